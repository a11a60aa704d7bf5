"""The query core: parser (query string → AST), BM25F scoring kernels, top-k execution."""
from __future__ import annotations

from searchlib.query.ast import BooleanQuery, Phrase, Prefix, QueryNode, Term
from searchlib.query.execute import ExecutionOptions
from searchlib.query.explanation import Explanation
from searchlib.query.parser import parse
from searchlib.query.scoring import BM25Params
from searchlib.query.searcher import explain, search
from searchlib.results import Hit, Results

__all__ = [
    "BM25Params",
    "BooleanQuery",
    "ExecutionOptions",
    "Explanation",
    "Hit",
    "Phrase",
    "Prefix",
    "QueryNode",
    "Results",
    "Term",
    "explain",
    "parse",
    "search",
]
