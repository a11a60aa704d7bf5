"""Numeric sort orders keep each segment's best k as arrays and pick the k first once at the end
(:class:`~searchlib.query.collectors.TopFieldCollector`); keyword orders go through Python rows.
The two ways must give the same hits, values and cursors on any index: missing values (a
segment's own marker, or a whole segment written before the field existed), ties broken by
score and insertion order, negative and huge integers, floats, several keys, pages."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import searchlib
from searchlib.query import collectors

_words = st.lists(st.sampled_from(["长沙", "天气", "w1", "w2"]), min_size=1, max_size=5).map(" ".join)
_views = st.one_of(st.none(), st.integers(-3, 3), st.sampled_from([-(2**63), 2**63 - 1, 2**53 + 1, 2**53]))
_rating = st.one_of(st.none(), st.sampled_from([-1.5, -0.0, 0.0, 0.25, 2.0, 1e300]))
_docs = st.lists(st.tuples(_words, _views, _rating, st.one_of(st.none(), st.integers(1, 4))), min_size=1, max_size=40)
_sorts = st.lists(st.sampled_from(["views", "-views", "rating", "-rating", "date", "-date", "_score", "-_doc"]),
                  min_size=1, max_size=3, unique=True)


def _pages(ix: searchlib.Index, query: str, sort: list[str], k: int) -> list[list[tuple[str, float, object]]]:
    out, after = [], None
    for _ in range(4):
        res = ix.search(query, sort=sort, limit=k, after=after)
        out.append([(h.id, h.score, res.next_cursor) for h in res])
        after = res.next_cursor
        if after is None:
            break
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(old=_docs, new=_docs, per_segment=st.integers(3, 20), sort=_sorts, k=st.integers(1, 6),
       query=st.sampled_from(["", "长沙", "w1 天气"]))
def test_numeric_chunks_give_the_rows_order(old: list, new: list, per_segment: int, sort: list[str], k: int,
                                            query: str) -> None:
    tmp = tempfile.mkdtemp()
    try:
        ix = searchlib.Index.create(Path(tmp) / "ix", fields={"title": "text", "body": "text"})
        with ix.writer(workers=1, buffer_docs=per_segment, merge=False) as w:  # no columns in these
            for i, (body, *_rest) in enumerate(old):
                w.add({"id": f"o{i}", "body": body})
        ix.add_fields({"views": "int", "rating": "float", "date": "date"})
        with ix.writer(workers=1, buffer_docs=per_segment, merge=False) as w:
            for i, (body, views, rating, day) in enumerate(new):
                doc = {"id": f"n{i}", "body": body, "views": views, "rating": rating}
                if day is not None:
                    doc["date"] = f"2024-02-0{day}"
                w.add({f: v for f, v in doc.items() if v is not None})
        got = _pages(ix, query, sort, k)
        original = collectors.TopFieldCollector.__init__

        def rows_only(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            original(self, *args, **kwargs)
            self._numeric = False

        collectors.TopFieldCollector.__init__ = rows_only  # type: ignore[method-assign]
        try:
            want = _pages(ix, query, sort, k)
        finally:
            collectors.TopFieldCollector.__init__ = original  # type: ignore[method-assign]
        assert got == want
        ix.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
