"""One exception hierarchy for the whole library.

Every error a caller can act on derives from :class:`SearchlibError`; messages say what went wrong
and what to do next, because the CLI prints them verbatim as one line.
"""
from __future__ import annotations

__all__ = [
    "SearchlibError",
    "AnalyzerMismatchError",
    "IndexCorruptError",
    "IndexExistsError",
    "IndexNotFoundError",
    "LockError",
    "QueryError",
    "DocumentError",
    "SchemaError",
    "ArgumentError",
    "ArgumentTypeError",
]


class SearchlibError(Exception):
    """Base class of every error raised on purpose by searchlib."""


class IndexNotFoundError(SearchlibError):
    """No index at the given path."""


class IndexExistsError(SearchlibError):
    """``Index.create`` found an index already there."""


class IndexCorruptError(SearchlibError):
    """A file of the index is missing, truncated or fails its checksum."""

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path


class AnalyzerMismatchError(SearchlibError):
    """The index was built with a different analyzer configuration."""


class LockError(SearchlibError):
    """Another writer holds the index lock."""

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path


class QueryError(SearchlibError, ValueError):
    """A query string (or a ``filter=`` value) cannot be used; ``position`` points at the problem;
    also a ``ValueError``."""

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message if position is None else f"{message} (at character {position})")
        self.position = position


class DocumentError(SearchlibError):
    """A document given to a writer is not acceptable (missing id, wrong types, ...)."""


class SchemaError(SearchlibError, ValueError):
    """A field declaration the index cannot take (an unknown kind, a kind change, a bad name)."""


class ArgumentError(SearchlibError, ValueError):
    """An argument has a value the call cannot take (``limit=-1``); also a ``ValueError``."""


class ArgumentTypeError(SearchlibError, TypeError):
    """An argument has the wrong type (``search(None)``); also a ``TypeError``."""
