"""The shared jieba segmentation fed to the pre-tokenized peers (tantivy, SQLite FTS5, bm25s,
rank_bm25).

Choice: jieba *precise mode* (``cut``, HMM on), computed with ``rjieba`` -- the compiled port of
jieba with the same dictionary and algorithm (its output equals ``jieba.lcut``; the harness checks
this on a sample and reports it). Precise mode is used rather than ``cut_for_search`` because its
tokens do not overlap, so token positions stay meaningful for phrase queries. Tokens are
lowercased; whitespace and punctuation-only tokens are dropped. Each document becomes one line of
space-joined tokens. Query text is tokenized by the same function.
"""
from __future__ import annotations

import os
import re
import time
from pathlib import Path

from benchmarks.corpora import CACHE

_PUNCT_TOKEN = re.compile(r"(?<!\S)[^\w\s]+(?!\S)")
_cut = None


def _cutter():
    global _cut
    if _cut is None:
        import rjieba

        _cut = rjieba.cut
    return _cut


def tokenize(text: str) -> str:
    """Space-joined, lowercased precise-mode jieba tokens of ``text`` (punctuation dropped)."""
    joined = " ".join(_cutter()(text)).lower()
    return " ".join(_PUNCT_TOKEN.sub(" ", joined).split())


def query_tokens(text: str) -> list[str]:
    """Token list of a query string, tokenized exactly like documents."""
    return tokenize(text).split()


def token_file(spec: str) -> Path:
    return CACHE / "tok" / f"{spec.replace(':', '@')}.txt"


def tokenize_corpus(corpus) -> tuple[Path, float]:
    """Tokenize every body (timed) and write one line per document; returns (path, seconds).

    Done once per corpus per run by the runner; the seconds are added to each peer's build time
    for the "analysis included" figure.
    """
    _cutter()  # dictionary load is not part of the timing
    tokenize("预热")
    t0 = time.perf_counter()
    lines = [tokenize(b) for b in corpus.bodies]
    seconds = time.perf_counter() - t0
    path = token_file(corpus.name)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    with open(tmp, "w", encoding="utf-8") as f:
        f.writelines(line + "\n" for line in lines)
    os.replace(tmp, path)
    return path, seconds


def read_tokens(path: Path | str) -> list[str]:
    """Space-joined token lines written by :func:`tokenize_corpus`."""
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f]


def agreement_with_jieba(texts, limit: int = 300) -> float:
    """Share of ``texts[:limit]`` where rjieba.cut == jieba.lcut (reported, not timed)."""
    import jieba

    sample = list(texts[:limit])
    if not sample:
        return 1.0
    same = sum(_cutter()(t) == jieba.lcut(t) for t in sample)
    return same / len(sample)
