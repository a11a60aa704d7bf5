"""Text analysis: folding, segmentation, tokens with exact offsets, boilerplate filtering."""
from __future__ import annotations

from searchlib.analysis.analyzer import Analyzer, Token, analyze, default_analyzer
from searchlib.analysis.normalize import Folded, fold

__all__ = ["Analyzer", "Folded", "Token", "analyze", "default_analyzer", "fold"]
