"""The ``search`` command: argument parsing and printing over the public library.

Every command calls the library (``searchlib.Index``, ``searchlib.ingest``, ``searchlib.clean``,
``searchlib.analyze``) and prints; no search logic lives here. This package is the only place
that imports click: :mod:`.common` holds what the commands share, :mod:`.app` the group, and
one module per family of commands registers them (:mod:`.indexing`, :mod:`.querying`,
:mod:`.duplicates`, :mod:`.documents`, :mod:`.maintenance`, :mod:`.text`).

Errors: one line on stderr, ``error: ...``. Exit status 0 on success, 1 for a runtime error
(missing, locked or damaged index, a malformed query, an unreadable input, a document id that
does not exist; ``search index`` also when some inputs were skipped), 2 for a usage error (bad
option or argument), 130 when interrupted. ``search --debug COMMAND`` shows the traceback instead.
"""
from __future__ import annotations

from searchlib.cli import documents, duplicates, indexing, maintenance, querying, text  # noqa: F401  (registration)
from searchlib.cli.app import cli

__all__ = ["cli", "main"]


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``search`` console script."""
    cli.main(args=argv, prog_name="search")
