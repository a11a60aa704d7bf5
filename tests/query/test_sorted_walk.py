"""Sorting by a column narrows the matches before scoring them: dense matches walk the column's
sorted order (ties at the k-th value kept), sparse ones gather their values. Both must give the
naive order: the sort key, then score, then insertion order, across segments and deletions.
(Narrowing needs more than 4k matches in a segment, hence segments of up to 80 documents.)"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import searchlib

FIELDS = {"title": "text", "body": "text", "views": "int", "date": "date"}

_docs = st.lists(st.tuples(st.booleans(), st.integers(0, 6), st.integers(0, 3)), min_size=20, max_size=80)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(docs=_docs, deleted=st.sets(st.integers(0, 79), max_size=8), k=st.integers(1, 4),
       descending=st.booleans(), field=st.sampled_from(["views", "date"]), per_segment=st.integers(5, 80))
def test_sorted_top_k_equals_the_naive_order(docs: list[tuple[bool, int, int]], deleted: set[int], k: int,
                                             descending: bool, field: str, per_segment: int) -> None:
    tmp = tempfile.mkdtemp()
    try:
        ix = searchlib.Index.create(Path(tmp) / "ix", fields=FIELDS)
        with ix.writer(workers=1, buffer_docs=per_segment, merge=False) as w:
            for i, (hit, views, day) in enumerate(docs):
                # equal lengths and one occurrence each: every match scores the same
                w.add({"id": f"d{i}", "body": "长沙 天气" if hit else "株洲 天气", "views": views,
                       "date": f"2024-01-0{day + 1}"})
        with ix.writer(workers=1) as w:
            for i in deleted:
                w.delete(f"d{i}")
        live = [(i, d) for i, d in enumerate(docs) if i not in deleted and d[0]]
        value = (lambda d: d[1]) if field == "views" else (lambda d: d[2])
        want = sorted(live, key=lambda item: (-value(item[1]) if descending else value(item[1]), item[0]))
        res = ix.search("长沙", sort=("-" if descending else "") + field, limit=k)
        assert [h.id for h in res] == [f"d{i}" for i, _ in want[:k]]
        assert res.total == len(live)
        ix.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
