"""searchlib: full-text search for mixed Chinese / English / Indonesian text.

The public surface is small and re-exported here; heavy modules load on first use so that
``import searchlib`` (and the CLI's ``--help``) stays fast.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from searchlib.errors import (
    AnalyzerMismatchError,
    DocumentError,
    IndexCorruptError,
    IndexExistsError,
    IndexNotFoundError,
    LockError,
    QueryError,
    SearchlibError,
)

__version__ = "0.1.0"

__all__ = [
    "Analyzer",
    "AnalyzerMismatchError",
    "BoilerplateModel",
    "Cleaned",
    "DocumentError",
    "Hit",
    "Index",
    "IndexCorruptError",
    "IndexExistsError",
    "IndexNotFoundError",
    "LockError",
    "QueryError",
    "Results",
    "SearchlibError",
    "Token",
    "__version__",
    "analyze",
    "clean",
    "clean_html",
]

_LAZY = {
    "Analyzer": "searchlib.analysis.analyzer",
    "Token": "searchlib.analysis.analyzer",
    "analyze": "searchlib.analysis.analyzer",
    "clean": "searchlib.analysis.boilerplate",
    "clean_html": "searchlib.analysis.html",
    "Cleaned": "searchlib.analysis.boilerplate",
    "BoilerplateModel": "searchlib.analysis.boilerplate",
    "Index": "searchlib.api",
    "Results": "searchlib.api",
    "Hit": "searchlib.api",
}

if TYPE_CHECKING:
    from searchlib.analysis.analyzer import Analyzer, Token, analyze
    from searchlib.analysis.boilerplate import BoilerplateModel, Cleaned, clean
    from searchlib.analysis.html import clean_html
    from searchlib.api import Hit, Index, Results


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'searchlib' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
