"""The ``search`` group: global options; the commands register on it."""
from __future__ import annotations

import click

import searchlib
from searchlib.cli.common import (
    CONTEXT_SETTINGS,
    SearchGroup,
)

# ------------------------------------------------------------------------------ the group


@click.group(cls=SearchGroup, context_settings=CONTEXT_SETTINGS, epilog="""\b
Examples:
  search index corpus/pages/ --index news-index
  search query '长沙 工程机械' --index news-index
  search clean page.txt --explain

Exit status: 0 ok, 1 runtime error, 2 usage error, 130 interrupted.""")
@click.version_option(searchlib.__version__, "--version", "-V", prog_name="search",
                      message="%(prog)s (searchlib) %(version)s")
@click.option("--debug", is_flag=True, help="Show the full traceback when something fails.")
def cli(debug: bool) -> None:
    """Full-text search for mixed Chinese / English / Indonesian news.

    Index text, Markdown, HTML and JSON Lines files, then query them with ranked, highlighted
    results. A Simplified Chinese query also finds Traditional text.
    """
