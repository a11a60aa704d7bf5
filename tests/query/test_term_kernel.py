"""The compiled leaf scorer against the numpy way: the same matches, the same k kept (ties by
sequence number) with bit-identical scores, as plain Python and compiled, for one or two fields;
document numbers out of range refused; and the same hits and totals through a real index
(filters, deletions, phrases, any k) in both modes."""
from __future__ import annotations

import datetime as dt
import operator
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import searchlib
from searchlib.query import kernels, term_kernel
from searchlib.query.collectors import top_indices
from searchlib.query.scoring import saturate
from searchlib.query.setops import sum_by_doc


@pytest.fixture(autouse=True)
def _restore_mode() -> Iterator[None]:
    before = kernels.mode()
    yield
    kernels.set_mode(before)


def _loops() -> list:
    fns = [term_kernel.leaf_top_k]
    if kernels.available():
        kernels.set_mode("compiled")
        fns.append(kernels.leaf_top_k())
    return fns


def _numpy_top(parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]], k1: float, scale: float, seq: np.ndarray,
               k: int) -> tuple[int, set[tuple[int, float, int]]]:
    """What LeafWeight.matches and TopScoreCollector.collect do."""
    docs, x = sum_by_doc([d for d, _, _ in parts], [t * wn.take(d) for d, t, wn in parts])
    scores = scale * saturate(x, k1)
    if k == 0:
        return int(x.size), set()
    if docs.size > k:
        sel = top_indices(scores, k, lambda idx: seq.take(docs.take(idx)))
        docs, scores = docs.take(sel), scores.take(sel)
    return int(x.size), {(int(d), float(s), int(seq[d])) for d, s in zip(docs, scores)}


_NONE = (np.zeros(0, dtype=bool), np.zeros(0, dtype=np.uint8), np.uint8(0), np.uint8(0))  # nothing skipped


def _heap(k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    return np.empty(k, dtype=np.int64), np.empty(k), np.empty(k, dtype=np.int64), np.empty(k, dtype=np.int64)


@settings(max_examples=150, deadline=None)
@given(data=st.data(), k=st.integers(1, 8), n_segs=st.integers(1, 4))
def test_the_heap_carries_over_from_segment_to_segment(data: st.DataObject, k: int, n_segs: int) -> None:
    """Segments scored one after the other into one heap keep the k best of them all (score,
    then sequence number), each with its segment."""
    want: list[tuple[float, int, int, int]] = []
    segs = []
    for g in range(n_segs):
        n = data.draw(st.integers(1, 30))
        wn = np.array(data.draw(st.lists(st.sampled_from([0.5, 1.0]), min_size=n, max_size=n)))
        seq = np.arange(g * 100, g * 100 + n, dtype=np.int64)[::-1].copy()  # (later segments, newer documents)
        docs = np.array(sorted(data.draw(st.sets(st.integers(0, n - 1), max_size=n))), dtype=np.int32)
        tfs = np.array(data.draw(st.lists(st.sampled_from([1, 2]), min_size=docs.size, max_size=docs.size)), dtype=np.uint8)
        segs.append((docs, tfs, wn, seq))
        if docs.size:
            _, rows = _numpy_top([(docs, tfs, wn)], 1.2, 1.0, seq, docs.size)
            want.extend((s, q, g, d) for d, s, q in rows)
    want.sort(key=lambda r: (-r[0], r[1]))
    for fn in _loops():
        heap = _heap(k)
        held = 0
        for g, (docs, tfs, wn, seq) in enumerate(segs):
            matches, held = fn(docs, tfs, wn, docs[:0], tfs[:0], wn[:0], 1.2, 1.0, seq, k, *_NONE, 0, seq.size, g,
                               held, *heap)
            assert matches == docs.size
        out_d, out_s, out_q, out_g = heap
        got = sorted(zip(out_s[:held].tolist(), out_q[:held].tolist(), out_g[:held].tolist(), out_d[:held].tolist()),
                     key=lambda r: (-r[0], r[1]))
        assert got == want[:k]


@settings(max_examples=300, deadline=None)
@given(n=st.integers(1, 60), data=st.data(), k=st.integers(0, 8), two=st.booleans(), float_tfs=st.booleans(),
       k1=st.sampled_from([0.5, 1.2, 2.0]), scale=st.sampled_from([0.3, 1.0, 2.7]),
       reject=st.booleans(), col_dtype=st.sampled_from([None, np.uint8, np.uint32, np.uint64]))
def test_the_loop_keeps_the_numpy_top_k(n: int, data: st.DataObject, k: int, two: bool, float_tfs: bool,
                                        k1: float, scale: float, reject: bool, col_dtype: Any) -> None:
    # few distinct norms and frequencies: many equal scores, decided by sequence number
    wn_a = np.array(data.draw(st.lists(st.sampled_from([0.5, 1.0, 0.8]), min_size=n, max_size=n)))
    wn_b = np.array(data.draw(st.lists(st.sampled_from([2.0, 1.0]), min_size=n, max_size=n)))
    seq = np.array(data.draw(st.permutations(list(range(0, 3 * n, 3)))), dtype=np.int64)
    tf_dtype = np.float64 if float_tfs else np.uint8

    def part() -> tuple[np.ndarray, np.ndarray]:
        docs = np.array(sorted(data.draw(st.sets(st.integers(0, n - 1), max_size=n))), dtype=np.int32)
        tfs = np.array(data.draw(st.lists(st.sampled_from([1, 2, 3]), min_size=docs.size, max_size=docs.size)),
                       dtype=tf_dtype)
        return docs, tfs

    da, ta = part()
    db, tb = part() if two else (da[:0], ta[:0])
    rejected, column, lo, hi = _NONE
    ok = np.ones(n, dtype=bool)  # what the numpy way would be shown: accepted postings only
    if reject:
        rejected = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)))
        ok &= ~rejected
    if col_dtype is not None:
        top = int(np.iinfo(col_dtype).max)
        edge = st.sampled_from([0, 1, top - 1, top])
        column = np.array(data.draw(st.lists(st.integers(0, 5) | edge, min_size=n, max_size=n)), dtype=col_dtype)
        lo, hi = (col_dtype(v) for v in sorted(data.draw(st.lists(st.integers(0, 5) | edge, min_size=2, max_size=2))))
        if data.draw(st.booleans()):
            lo, hi = hi, lo  # (lo > hi: nothing passes)
        ok &= (column >= lo) & (column <= hi)
    first, end = sorted(data.draw(st.lists(st.integers(-2, n + 2), min_size=2, max_size=2))) \
        if data.draw(st.booleans()) else (0, n)
    ok[:max(first, 0)] = False
    ok[max(end, 0):] = False
    parts = [(d[ok[d]], t[ok[d]], wn) for d, t, wn in ((da, ta, wn_a), (db, tb, wn_b)) if d.size]
    parts = [p for p in parts if p[0].size]
    want_n, want = _numpy_top(parts, k1, scale, seq, k) if parts else (0, set())
    for fn in _loops():
        out_d, out_s, out_q, out_g = _heap(k)
        matches, held = fn(da, ta, wn_a, db, tb, wn_b, k1, scale, seq, k, rejected, column, lo, hi, first, end, 7, 0,
                           out_d, out_s, out_q, out_g)
        assert set(out_g[:held].tolist()) <= {7}
        assert matches == want_n
        got = {(int(d), float(s), int(q)) for d, s, q in zip(out_d[:held], out_s[:held], out_q[:held])}
        assert got == (want if k else set())


@pytest.mark.parametrize("bad", [-1, 7, 1 << 20])
def test_a_document_outside_the_segment_is_refused(bad: int) -> None:
    """A crafted posting list (out of range, out of order) is refused where the loop reads it, and
    a span keeps the loop from reading anything outside it."""
    wn = np.ones(7)
    seq = np.arange(7, dtype=np.int64)
    wide = (-(1 << 40), 1 << 40)
    for fn in _loops():
        out = _heap(3)
        for docs_a, docs_b in (([0, bad], []), ([0], [1, bad]), ([bad, 0], [])):
            da, db = np.array(docs_a, dtype=np.int64), np.array(docs_b, dtype=np.int64)
            ta, tb = np.ones(da.size, dtype=np.uint8), np.ones(db.size, dtype=np.uint8)
            assert fn(da, ta, wn, db, tb, wn, 1.2, 1.0, seq, 3, *_NONE, *wide, 0, 0, *out)[0] == term_kernel.BAD_DOC
        if bad > 0:  # sorted postings, the bad document beyond the span: never read
            da = np.array([0, 3, bad], dtype=np.int64)
            got = fn(da, np.ones(3, np.uint8), wn, da[:0], da[:0].astype(np.uint8), wn, 1.2, 1.0, seq, 3, *_NONE, 0, 7, 0,
                     0, *out)
            assert got == (2, 2)


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> Iterator[searchlib.Index]:
    rng = random.Random(4)
    ix = searchlib.Index.create(Path(tmp_path_factory.mktemp("leaf")) / "ix",
                                fields={"title": "text", "body": "text", "views": "int", "source": "keyword"})
    words = ["长沙", "天气", "机械", "w1", "w2", "w3"]

    def text(n: int) -> str:
        return " ".join(rng.choice(words) for _ in range(n))

    with ix.writer(workers=1, buffer_docs=150, merge=False) as w:  # three segments
        for i in range(450):
            w.add({"id": f"d{i}", "title": text(rng.randint(0, 3)), "body": text(rng.randint(0, 9)),
                   "views": rng.randint(0, 9), "source": rng.choice("abc")})
    with ix.writer(workers=1) as w:
        for i in range(0, 450, 11):
            w.delete(f"d{i}")
    yield ix
    ix.close()


@pytest.mark.parametrize("query", ["长沙", "w1", '"长沙 天气"', "title:机械", "body:w2", "天气 source:a"])
def test_hits_are_the_same_either_way(ix: searchlib.Index, query: str) -> None:
    cases = [(k, f) for k in (1, 5, 40) for f in (None, {"views": {"gte": 3, "lt": 7}}, {"source": ["a", "c"]})]

    def run() -> list:
        return [([(h.id, h.score) for h in ix.search(query, limit=k, filter=f)], ix.search(query, limit=k, filter=f).total)
                for k, f in cases]

    kernels.set_mode("numpy")
    want = run()
    kernels.set_mode("compiled" if kernels.available() else "numpy")
    assert run() == want
    assert any(len(hits) == 40 for hits, _ in want) or query.startswith('"')


@pytest.mark.parametrize("arrays", ["rejected", "column"])
def test_a_document_outside_the_masks_is_refused(arrays: str) -> None:
    wn = np.ones(7)
    seq = np.arange(7, dtype=np.int64)
    rejected, column, lo, hi = _NONE
    if arrays == "rejected":
        rejected = np.zeros(4, dtype=bool)
    else:
        column, lo, hi = np.zeros(4, dtype=np.uint8), np.uint8(0), np.uint8(9)
    da, ta = np.array([0, 5], dtype=np.int32), np.ones(2, dtype=np.uint8)
    for fn in _loops():
        out = _heap(3)
        assert fn(da, ta, wn, da[:0], ta[:0], wn, 1.2, 1.0, seq, 3, rejected, column, lo, hi, 0, 7, 0, 0, *out)[0] == term_kernel.BAD_DOC


@pytest.fixture(scope="module")
def dated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[searchlib.Index]:
    """Five segments: the first written before ``views`` and ``day`` existed, two with some
    documents lacking a value, two in value order (the last with documents lacking a value at
    its end); deletions in three."""
    rng = random.Random(7)
    ix = searchlib.Index.create(Path(tmp_path_factory.mktemp("ranges")) / "ix", fields={"body": "text"})
    words = ["长沙", "天气", "w1", "w2"]
    with ix.writer(workers=1) as w:
        for i in range(120):
            w.add({"id": f"old{i}", "body": " ".join(rng.choice(words) for _ in range(rng.randint(1, 6)))})
    ix.add_fields({"views": "int", "day": "date"})
    for part in range(2):
        with ix.writer(workers=1, merge=False) as w:
            for i in range(150):
                doc = {"id": f"p{part}-{i}", "body": " ".join(rng.choice(words) for _ in range(rng.randint(1, 6)))}
                if rng.random() < 0.8:
                    doc["views"] = rng.choice([0, 1, 2, 5, 9, 1000, 2**40])
                if rng.random() < 0.8:
                    doc["day"] = f"2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
                w.add(doc)
    # two segments in value order (a feed added oldest first): ranges are spans of documents
    days = sorted(f"2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}" for _ in range(150))
    views = sorted(rng.choice([0, 1, 2, 5, 9, 1000, 2**40]) for _ in range(150))
    for part, missing_at_end in ((2, False), (3, True)):
        with ix.writer(workers=1, merge=False) as w:
            for i in range(150):
                doc = {"id": f"p{part}-{i}", "body": " ".join(rng.choice(words) for _ in range(rng.randint(1, 6)))}
                if not (missing_at_end and i >= 140):
                    doc["views"], doc["day"] = views[i], days[i]
                w.add(doc)
    with ix.writer(workers=1, merge=False) as w:
        for i in range(0, 150, 7):
            w.delete(f"p0-{i}")
            w.delete(f"old{i}")
            w.delete(f"p3-{i}")
    segs = ix.reader().segments
    assert len(segs) == 5
    assert [s.column("day").ascending() for s in segs[1:]] == [False, False, True, True]
    yield ix
    ix.close()


@pytest.mark.parametrize("filt", [
    {"views": {"gte": 2, "lt": 1000}}, {"views": {"gt": 2}}, {"views": {"lte": 5}}, {"views": {"gt": 0}},
    {"views": {"gte": 2**40}}, {"views": {"lt": 0}}, {"views": {"gte": -5, "lte": 2**70}}, {"views": {"gte": 9, "lt": 9}},
    {"views": {"gte": 1.5}}, {"day": {"gte": "2024-03-01", "lt": "2024-06-01"}}, {"day": {"lte": "2024-02-15"}},
    {"day": {"gte": "2024-09"}}, {"views": {"gte": 1}, "day": {"gte": "2024-05"}},
])
def test_range_filters_checked_in_the_loop_match_the_numpy_way(dated: searchlib.Index, filt: dict) -> None:
    def run() -> list:
        out = []
        for q in ("长沙", "w1", '"长沙 天气"'):
            for k in (1, 10, 500):
                r = dated.search(q, limit=k, filter=filt)
                out.append(([(h.id, h.score) for h in r], r.total))
        return out

    kernels.set_mode("numpy")
    want = run()
    kernels.set_mode("compiled" if kernels.available() else "numpy")
    assert run() == want
    assert any(total for _, total in want) or filt == {"views": {"lt": 0}} or filt == {"views": {"gte": 9, "lt": 9}}


_BOUNDS = {"gte": operator.ge, "gt": operator.gt, "lte": operator.le, "lt": operator.lt}


def _passes(value: Any, spec: dict) -> bool:
    if value is None:
        return False
    if isinstance(value, str):  # a date: compare as datetimes, a bound like "2024-09" as its first day
        value = dt.datetime.fromisoformat(value).replace(tzinfo=None)
        spec = {op: dt.datetime.fromisoformat(b if len(b) > 7 else b + "-01") for op, b in spec.items()}
    return all(_BOUNDS[op](value, bound) for op, bound in spec.items())


@pytest.mark.parametrize("filt", [
    {"views": {"gte": 2, "lt": 1000}}, {"views": {"gt": 2}}, {"views": {"lte": 5}}, {"views": {"gte": 2**40}},
    {"views": {"lt": 0}}, {"views": {"gte": 1.5}}, {"day": {"gte": "2024-03-01", "lt": "2024-06-01"}},
    {"day": {"lte": "2024-02-15"}}, {"day": {"gt": "2024-09-19"}}, {"views": {"gte": 1}, "day": {"gte": "2024-05"}},
])
@pytest.mark.parametrize("mode", ["numpy", "compiled"])
def test_range_filters_match_a_filter_over_the_ranked_list(dated: searchlib.Index, filt: dict, mode: str) -> None:
    """The naive model: every match ranked without the filter, then the documents whose stored
    values pass it, in that order (filters never change scores)."""
    kernels.set_mode(mode if kernels.available() else "numpy")
    for q in ("长沙", "w1", '"长沙 天气"'):
        ranked = dated.search(q, limit=10_000)
        kept = [(h.id, h.score) for h in ranked
                if all(_passes(dated.get(h.id).get(f), spec) for f, spec in filt.items())]
        for k in (1, 10, 500):
            r = dated.search(q, limit=k, filter=filt)
            assert ([(h.id, h.score) for h in r], r.total) == (kept[:k], len(kept))
