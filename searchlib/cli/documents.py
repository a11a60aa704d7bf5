"""``search show`` and ``search delete``: one document by id."""
from __future__ import annotations

import json

import click

from searchlib.cli.app import cli
from searchlib.cli.common import (
    DashArgsCommand,
    Failure,
    index_option,
    json_option,
    lock_timeout_option,
    open_index,
    line_of,
    plain,
    print_error,
    print_json,
    stdout_color,
)

# ------------------------------------------------------------------------------ show / delete


@cli.command("show", cls=DashArgsCommand, epilog="""\b
Examples:
  search show zh-hant-01.txt
  search show labels/a.txt --json""")
@click.argument("doc_id", metavar="ID")
@index_option
@json_option("the stored fields")
def show_cmd(doc_id: str, index_dir: str, as_json: bool) -> None:
    """Print the stored fields of one document."""
    with open_index(index_dir) as ix:
        doc = ix.get(doc_id)
    if doc is None:
        raise Failure(f"no document with id {doc_id!r} in {index_dir}")
    if as_json:
        print_json(doc)
        return
    color = stdout_color()
    for name, value in doc.items():
        if name != "body":
            click.echo(click.style(f"{line_of(name)}:", bold=True) + f" {line_of(_as_text(value))}", color=color)
    if "body" in doc:
        click.echo("")
        click.echo(plain(_as_text(doc["body"])))


def _as_text(value: object) -> str:
    """A stored value as one line: text as it is, a list of words joined by commas, numbers and
    anything else (stored objects) as JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ", ".join(value)
    return json.dumps(value, ensure_ascii=False, default=str)


@cli.command("delete", epilog="""\b
Examples:
  search delete en-01.txt
  search delete a.txt b.txt --index news-index""")
@click.argument("doc_ids", nargs=-1, required=True, metavar="ID...")
@index_option
@lock_timeout_option
def delete_cmd(doc_ids: tuple[str, ...], index_dir: str, lock_timeout: float) -> None:
    """Delete documents by id (exit status 1 if some id was not found)."""
    with open_index(index_dir) as ix:
        with ix.writer(workers=1, lock_timeout=lock_timeout) as w:
            missing = [d for d in doc_ids if not w.delete(d)]
        remaining = len(ix)
    deleted = len(doc_ids) - len(missing)
    click.echo(f"deleted {deleted:,} document{'s' if deleted != 1 else ''}; {remaining:,} remain in {index_dir}")
    for d in missing:
        print_error(f"no document with id {d!r} in {index_dir}")
    if missing:
        raise click.exceptions.Exit(1)
