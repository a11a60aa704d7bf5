"""Shared helpers for the index tests."""
from __future__ import annotations

import hashlib
import os
from typing import Any

from searchlib.index.reader import IndexReader


def live_docs(path: Any) -> dict[str, dict[str, str]]:
    """All live stored documents of the latest commit, by id."""
    with IndexReader.open(str(path)) as r:
        docs = {d["id"]: d for d in r}
        assert len(docs) == r.doc_count
        return docs


def file_hashes(path: Any) -> dict[str, str]:
    out = {}
    for root, _, files in os.walk(str(path)):
        for f in files:
            full = os.path.join(root, f)
            if f == "write.lock":
                continue
            with open(full, "rb") as fh:
                out[os.path.relpath(full, str(path))] = hashlib.sha256(fh.read()).hexdigest()
    return out


def segment_files(path: Any) -> list[str]:
    """Every file of every segment named by the current manifest."""
    with IndexReader.open(str(path)) as r:
        out = []
        for seg in r.segments:
            out.extend(os.path.join(seg.path, f) for f in sorted(os.listdir(seg.path)))
        return out


DOCS = [
    {"id": "d1", "title": "长沙工程机械", "body": "长沙的工程机械产业集群发展迅速，工程机械出口增长。", "source": "新华社"},
    {"id": "d2", "title": "", "body": "这项工程和机械无关。湖南长沙的道路工程进展顺利。", "source": "人民日报"},
    {"id": "d3", "title": "長沙產業", "body": "長沙工程機械產業很強，产业集群效应明显。", "url": "http://x/3"},
    {"id": "d4", "title": "New York", "body": "A New York-based e-commerce company expands in Indonesia.", "source": "Reuters"},
    {"id": "d5", "title": "Jakarta", "body": "Indonesian e-commerce grows; the company of New York reports.", "date": "1998-01-05"},
]
