"""Segments keep their documents in date order (searchlib.index.doc_order): the reordering of
columns, stored documents and postings against naive models, and through a real index: every
flushed and merged segment in date order, searches, listings, filters and sorts the same as an
index written in insertion order, deletions and updates in the reordered segments kept."""
from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import searchlib
from searchlib.index import doc_order, merge, writer
from searchlib.index.columns import KeywordColumn, NumericColumn, VectorColumn
from searchlib.index.postings import PostingsArrays
from searchlib.index.schema import SEQ_COLUMN
from searchlib.index.segment_writer import StoreInput


@settings(max_examples=200, deadline=None)
@given(data=st.data(), n=st.integers(2, 40))
def test_the_order_is_by_value_missing_last_ties_by_sequence(data: st.DataObject, n: int) -> None:
    values = data.draw(st.lists(st.integers(-3, 3), min_size=n, max_size=n))
    missing = data.draw(st.lists(st.booleans(), min_size=n, max_size=n))
    seq = data.draw(st.permutations(range(100, 100 + n)))
    cols = {"date": NumericColumn("date", np.array(values, dtype=np.int64), np.array(missing) if any(missing) else None),
            SEQ_COLUMN: NumericColumn("seq", np.array(seq, dtype=np.int64))}
    want = sorted(range(n), key=lambda i: (missing[i], 0 if missing[i] else values[i], seq[i]))
    got = doc_order.sort_order(cols)
    assert (list(range(n)) if got is None else got.tolist()) == want
    assert doc_order.inverse(np.array(want))[want].tolist() == list(range(n))


def test_no_order_without_a_date_column() -> None:
    assert doc_order.sort_order({"views": NumericColumn("int", np.array([3, 1]))}) is None
    assert doc_order.sort_order({"date": NumericColumn("float", np.array([3.0, 1.0]))}) is None


@settings(max_examples=100, deadline=None)
@given(data=st.data(), n=st.integers(1, 30))
def test_columns_and_stored_documents_follow_the_order(data: st.DataObject, n: int) -> None:
    order = np.array(data.draw(st.permutations(range(n))), dtype=np.int64)
    nums = np.array(data.draw(st.lists(st.integers(0, 9), min_size=n, max_size=n)), dtype=np.int64)
    miss = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    tags = data.draw(st.lists(st.lists(st.sampled_from(["a", "b", "c"]), max_size=3), min_size=n, max_size=n))
    offsets = np.cumsum([0] + [len(t) for t in tags])
    vecs = np.arange(2 * n, dtype=np.uint16).reshape(n, 2)
    cols = {"views": NumericColumn("int", nums, miss), "tags": KeywordColumn([w for t in tags for w in t], offsets),
            "sig": VectorColumn("s", vecs, None)}
    out = doc_order.permute_columns(cols, order)
    assert out["views"].values.tolist() == nums[order].tolist()
    assert out["views"].missing.tolist() == miss[order].tolist()
    kw = out["tags"]
    assert [kw.values[kw.offsets[i]:kw.offsets[i + 1]] for i in range(n)] == [tags[i] for i in order.tolist()]
    assert out["sig"].values.tolist() == vecs[order].tolist()
    # stored frames spread over several buffers (as chunks and merged runs give them)
    docs = [bytes([65 + i % 26]) * (1 + i % 5) for i in range(n)]
    cuts = sorted(set(data.draw(st.lists(st.integers(1, max(n - 1, 1)), max_size=4)))) if n > 1 else []
    bounds = [0, *cuts, n]
    frames = [memoryview(b"".join(docs[a:b])) for a, b in zip(bounds, bounds[1:]) if b > a]
    store = StoreInput(frames, np.array([len(d) for d in docs], dtype=np.int64), np.arange(n) % 3, [b"", b"x", b"y"])
    got = doc_order.permute_store(store, order)
    assert b"".join(bytes(f) for f in got.frames) == b"".join(docs[i] for i in order.tolist())
    assert got.frame_lens.tolist() == [len(docs[i]) for i in order.tolist()]
    assert got.doc_dict.tolist() == (np.arange(n) % 3)[order].tolist()


@settings(max_examples=150, deadline=None)
@given(data=st.data(), n_docs=st.integers(1, 12), n_terms=st.integers(1, 6), slice_occ=st.integers(1, 20))
def test_postings_are_sorted_by_document_again(data: st.DataObject, n_docs: int, n_terms: int, slice_occ: int) -> None:
    # the naive model: each term's (doc, positions) pairs, then the documents renumbered
    post: list[list[tuple[int, list[int]]]] = []
    for _ in range(n_terms):
        docs = sorted(data.draw(st.sets(st.integers(0, n_docs - 1), max_size=n_docs)))
        post.append([(d, sorted(data.draw(st.sets(st.integers(0, 50), min_size=1, max_size=4)))) for d in docs])
    inv = np.array(data.draw(st.permutations(range(n_docs))), dtype=np.int64)
    want = [sorted((int(inv[d]), p) for d, p in term) for term in post]
    post_off = np.cumsum([0] + [len(t) for t in post])
    pos_off = np.cumsum([0] + [sum(len(p) for _, p in t) for t in post])
    docs = np.array([inv[d] for t in post for d, _ in t], dtype=np.int32)  # renumbered, not sorted yet
    tfs = np.array([len(p) for t in post for _, p in t], dtype=np.uint8)
    pos = np.array([x for t in post for _, p in t for x in p], dtype=np.uint16)
    arrays = doc_order.sort_postings(PostingsArrays(post_off, docs, tfs, pos_off, pos), slice_occ)
    got = []
    for t in range(n_terms):
        rows = []
        occ = int(pos_off[t])
        for i in range(int(post_off[t]), int(post_off[t + 1])):
            tf = int(arrays.tfs[i])
            rows.append((int(arrays.docs[i]), arrays.positions[occ:occ + tf].tolist()))
            occ += tf
        got.append(rows)
    assert got == want


def _build(path: Path, sort: bool, monkeypatch: pytest.MonkeyPatch) -> searchlib.Index:
    if not sort:
        monkeypatch.setattr(writer, "sort_order", lambda columns: None)
        monkeypatch.setattr(merge, "sort_order", lambda columns: None)
    rng = random.Random(11)
    words = ["长沙", "天气", "机场", "w1", "w2", "w3", "新闻"]
    ix = searchlib.Index.create(path, fields={"views": "int", "tags": "keyword"})
    for batch in range(12):  # twelve flushed segments, merged by the policy (factor 3)
        with ix.writer(workers=1, buffer_docs=40, merge_factor=3) as w:
            for i in range(40):
                doc = {"id": f"d{batch}-{i}", "body": " ".join(rng.choice(words) for _ in range(rng.randint(1, 8))),
                       "views": rng.randint(0, 50), "source": rng.choice(["甲", "乙"]),
                       "tags": rng.sample(["x", "y", "z"], rng.randint(0, 2))}
                if rng.random() < 0.85:
                    doc["date"] = f"20{rng.randint(10, 24)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
                w.add(doc)
            for i in range(0, 40, 9):  # deletions and updates of earlier batches
                if batch:
                    w.delete(f"d{batch - 1}-{i}")
                    w.add({"id": f"d{batch - 1}-{i + 1}", "body": "更新 长沙", "date": "2011-01-01"})
    monkeypatch.undo()
    return ix


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[searchlib.Index, searchlib.Index]]:
    mp = pytest.MonkeyPatch()
    base = Path(tmp_path_factory.mktemp("order"))
    ixs = (_build(base / "sorted", True, mp), _build(base / "plain", False, mp))
    yield ixs
    for ix in ixs:
        ix.close()


def test_every_segment_is_in_date_order(pair: tuple[searchlib.Index, searchlib.Index]) -> None:
    sorted_ix, plain = pair
    segs = sorted_ix.reader().segments
    assert len(segs) > 1
    assert all(s.column("date").ascending() for s in segs)
    assert not all(s.column("date").ascending() for s in plain.reader().segments)
    for s in segs:  # every document keeps its own stored fields, id and date
        for local in range(0, s.doc_count, 7):
            doc_id = s.doc_id(local)
            assert s.stored(local).get("id", doc_id) == doc_id
            want = plain.get(doc_id) if s.is_live(local) else None
            if want is not None:
                assert s.column("date").stored_value(local) == want.get("date")


@pytest.mark.parametrize("kwargs", [
    {"query": "长沙"}, {"query": "天气 机场"}, {"query": '"长沙 天气"'}, {"query": "更新"},
    {"query": "长沙", "filter": {"date": {"gte": "2015-03-01", "lt": "2019-01-01"}}},
    {"query": "w1", "filter": {"date": {"lte": "2012-05-15"}, "source": "甲"}},
    {"query": "", "filter": {"date": {"gte": "2020-01-01"}}, "sort": "-date"},
    {"query": "天气", "sort": ["-date", "views"]}, {"query": "", "sort": "date", "limit": 500},
    {"query": "新闻", "facets": ["source", "tags", "date:month"]}, {"query": "w2", "collapse": "source"},
    {"query": "", "filter": {"tags": "x"}, "sort": "-views", "limit": 30},
])
def test_searches_are_the_same_as_in_insertion_order(pair: tuple[searchlib.Index, searchlib.Index], kwargs: dict) -> None:
    sorted_ix, plain = pair
    kwargs = dict(kwargs)
    query = kwargs.pop("query")
    kwargs.setdefault("limit", 50)
    a, b = sorted_ix.search(query, **kwargs), plain.search(query, **kwargs)
    assert [(h.id, h.score, h.fields) for h in a] == [(h.id, h.score, h.fields) for h in b]
    assert a.total == b.total and a.facets == b.facets
    if kwargs.get("sort") is not None and a.next_cursor:  # the next page continues alike
        assert [h.id for h in sorted_ix.search(query, after=a.next_cursor, **kwargs)] == \
            [h.id for h in plain.search(query, after=b.next_cursor, **kwargs)]


def test_listings_hold_the_same_documents(pair: tuple[searchlib.Index, searchlib.Index]) -> None:
    sorted_ix, plain = pair
    assert sorted(sorted_ix.ids()) == sorted(plain.ids())
    assert len(sorted_ix) == len(plain)
    for doc_id in sorted(plain.ids())[::13]:
        assert sorted_ix.get(doc_id) == plain.get(doc_id)
    f = {"date": {"gte": "2013-01-01", "lt": "2016-01-01"}}
    assert sorted_ix.count(filter=f) == plain.count(filter=f)
    assert sorted(d["id"] for d in sorted_ix.documents(filter=f)) == sorted(d["id"] for d in plain.documents(filter=f))


def test_deletions_in_the_segment_being_filled_follow_the_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Documents deleted or replaced while their segment is still being filled stay deleted once
    the segment is written in date order."""
    monkeypatch.setattr(writer, "CHUNK_DOCS", 5)  # documents move into the filling segment early
    ix = searchlib.Index.create(tmp_path / "ix")
    with ix.writer(workers=1, buffer_docs=1000) as w:
        for i in range(60):
            w.add({"id": f"d{i}", "body": f"长沙 w{i % 4}", "date": f"2020-01-{1 + (59 - i) % 28:02d}"})
        for i in range(0, 60, 4):
            w.delete(f"d{i}")
        w.add({"id": "d1", "body": "更新", "date": "2001-01-01"})
    seg, = ix.reader().segments[:1]
    assert seg.column("date").ascending()
    assert sorted(ix.ids()) == sorted(f"d{i}" for i in range(60) if i % 4)
    assert ix.search("长沙", limit=100).total == 44
    assert ix.get("d1")["body"] == "更新" and ix.get("d4") is None
