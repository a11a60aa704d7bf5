"""Text analysis: folding, segmentation, tokens with exact offsets, boilerplate filtering.

Submodules load on first use (``import searchlib`` stays cheap)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["Analyzer", "Folded", "Token", "analyze", "default_analyzer", "fold"]

_LAZY = {
    "Analyzer": "searchlib.analysis.analyzer",
    "Token": "searchlib.analysis.analyzer",
    "analyze": "searchlib.analysis.analyzer",
    "default_analyzer": "searchlib.analysis.analyzer",
    "Folded": "searchlib.analysis.normalize",
    "fold": "searchlib.analysis.normalize",
}

if TYPE_CHECKING:
    from searchlib.analysis.analyzer import Analyzer, Token, analyze, default_analyzer
    from searchlib.analysis.normalize import Folded, fold


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'searchlib.analysis' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
