"""Tiered merges, optimize, and parallel analysis giving the same index as in-line analysis."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from searchlib.api import Index
from searchlib.index.reader import IndexReader
from searchlib.index.writer import select_merges
from tests.index.helpers import live_docs


def _docs(n: int, prefix: str = "m") -> list[dict[str, str]]:
    words = ["长沙", "工程机械", "产业集群", "天气", "New York", "company", "。"]
    return [{"id": f"{prefix}{i}", "title": words[i % 7], "body": "".join(words[(i * j) % 7] for j in range(i % 13 + 1)),
             "source": ["新华社", "人民日报"][i % 2]} for i in range(n)]


def _postings(r: IndexReader) -> dict:
    out = {}
    for seg in r.segments:
        for field in ("title", "body", "source"):
            for term, tid in seg.terms_with_prefix(field, ""):
                docs, offsets, positions = seg.positions(tid)
                for i, local in enumerate(docs):
                    if seg.is_live(int(local)):
                        out[(field, term, seg.doc_id(int(local)))] = positions[offsets[i] : offsets[i + 1]].tolist()
    return out


def test_select_merges() -> None:
    assert select_merges([5] * 9) is None
    assert select_merges([5] * 10) == list(range(10))
    assert select_merges([20000, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5]) == list(range(1, 11))
    assert select_merges([50] * 3 + [5] * 3, factor=3) == [3, 4, 5]


def test_tiered_merge_keeps_segment_count_logarithmic(tmp_path: Path) -> None:
    ix = Index.create(tmp_path / "ix")
    docs = _docs(120)
    for i in range(0, 120, 2):
        with ix.writer(workers=1) as w:
            w.add(docs[i])
            w.add(docs[i + 1])
            if i % 10 == 0 and i:
                w.delete(docs[i - 3]["id"])
    r = ix.reader()
    assert len(r.segments) < 20
    assert sum(s.doc_count for s in r.segments) < 120 + 12  # merges purged deleted docs
    expected = {d["id"]: d for d in docs}
    for i in range(10, 120, 10):
        del expected[docs[i - 3]["id"]]
    assert live_docs(ix.path) == expected
    ix.check()


def test_optimize_merges_into_one_and_purges(tmp_path: Path) -> None:
    ix = Index.create(tmp_path / "ix")
    docs = _docs(60)
    for i in range(0, 60, 20):
        with ix.writer(workers=1, merge=False) as w:
            for d in docs[i : i + 20]:
                w.add(d)
    with ix.writer(workers=1, merge=False) as w:
        for i in range(0, 60, 3):
            w.delete(f"m{i}")
    before = _postings(ix.reader())
    stats_before = {f: ix.reader().stats(f) for f in ("title", "body")}
    assert ix.stats()["segments"] == 3
    ix.optimize()
    r = ix.reader()
    assert len(r.segments) == 1 and r.segments[0].doc_count == 40 and not r.segments[0].deleted.any()
    assert _postings(r) == before
    assert {f: r.stats(f) for f in ("title", "body")} == stats_before
    ix.check()


def test_parallel_build_equals_inline(tmp_path: Path) -> None:
    docs = _docs(2500, "p")
    out = []
    for workers in (1, 2):
        ix = Index.create(tmp_path / f"w{workers}")
        with ix.writer(workers=workers) as w:
            for d in docs:
                w.add(d)
        r = ix.reader()
        seg = r.segments[0]
        out.append((_postings(r), {d["id"]: d for d in r}, seg.field_lengths("body").copy()))
        ix.check()
    assert out[0][0] == out[1][0] and out[0][1] == out[1][1]
    assert np.array_equal(out[0][2], out[1][2])


def test_buffer_flushes_segments(tmp_path: Path) -> None:
    ix = Index.create(tmp_path / "ix")
    with ix.writer(workers=1, buffer_docs=100, merge=False) as w:
        for d in _docs(350):
            w.add(d)
    assert [s.doc_count for s in ix.reader().segments] == [100, 100, 100, 50]
