"""The reader contract of docs/INTERNALS.md, as the query layer uses it."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from searchlib.api import Index
from searchlib.index.reader import FieldStats, IndexReader, SegmentReader
from tests.index.helpers import DOCS


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> IndexReader:
    path = tmp_path_factory.mktemp("contract") / "ix"
    ix = Index.create(path)
    with ix.writer(workers=1, merge=False) as w:
        for d in DOCS[:3]:
            w.add(d)
    with ix.writer(workers=1, merge=False) as w:
        for d in DOCS[3:]:
            w.add(d)
        w.delete("d2")
    return IndexReader.open(path)


def test_snapshot_attributes(reader: IndexReader) -> None:
    assert reader.generation == 2 and reader.doc_count == 4 and len(reader.segments) == 2
    assert all(isinstance(s, SegmentReader) for s in reader.segments)
    assert reader.analyzer.config()["name"] == "searchlib-cjk"
    assert reader.schema.text_fields == ("title", "body")
    s0 = reader.segments[0]
    assert s0.doc_count == 3 and s0.live_count == 2
    assert s0.deleted.dtype == bool and s0.deleted.tolist() == [False, True, False]
    assert not s0.is_live(1) and s0.is_live(0)
    assert s0.local_of("d2") is None and s0.local_of("d1") == 0 and s0.local_of("d4") is None
    assert s0.stored(0) == DOCS[0]
    assert s0.doc_ids() == ["d1", "d2", "d3"] and s0.doc_ids([2, 0, 2]) == ["d3", "d1", "d3"]
    with pytest.raises(IndexError):
        s0.doc_ids([3])


def test_postings_and_positions(reader: IndexReader) -> None:
    seg = reader.segments[0]
    tid = seg.term_id("body", "工程机械")
    assert tid is not None and seg.term_id("body", "不存在") is None and seg.term_id("title", "集群") is None
    docs, tfs = seg.postings(tid)
    assert docs.dtype == np.int32 and tfs.dtype == np.int32
    assert docs.tolist() == [0, 2] and tfs.tolist() == [2, 1]
    assert seg.doc_freq(tid) == 2
    pdocs, offsets, positions = seg.positions(tid)
    assert offsets.dtype == np.int64 and positions.dtype == np.int32 and pdocs.tolist() == [0, 2]
    assert positions[offsets[0] : offsets[1]].tolist() == [3, 16]
    # unigrams sit at consecutive units: 工 程 机 械
    for i, ch in enumerate("工程机械"):
        d, o, p = seg.positions(seg.term_id("body", ch))
        assert 3 + i in p[o[0] : o[1]].tolist()


def test_prefix_lengths_stats(reader: IndexReader) -> None:
    seg = reader.segments[0]
    found = seg.terms_with_prefix("body", "工程")
    assert [t for t, _ in found] == sorted(t for t, _ in found)
    assert {"工程", "工程机械"} <= {t for t, _ in found}
    assert seg.terms_with_prefix("body", "工程", limit=1) == found[:1]
    lengths = seg.field_lengths("body")
    assert lengths.dtype == np.int64 and lengths.size == 3 and lengths[0] == reader.analyzer.index_terms(DOCS[0]["body"]).length == 24
    st = reader.stats("body")
    assert isinstance(st, FieldStats) and st.doc_count == 4
    assert st.total_length == sum(int(s.field_lengths("body")[~s.deleted].sum()) for s in reader.segments)
    assert seg.term_id("source", "新华社") is not None  # keyword field, exact value


def test_reader_is_a_stable_snapshot(tmp_path: Path) -> None:
    ix = Index.create(tmp_path / "ix")
    with ix.writer(workers=1) as w:
        w.add({"id": "a", "body": "旧"})
    old = IndexReader.open(ix.path)
    with ix.writer(workers=1) as w:
        w.delete("a")
        w.add({"id": "b", "body": "新"})
    ix.optimize()  # removes the old segment's files
    assert old.get("a") == {"id": "a", "body": "旧"} and old.get("b") is None and old.doc_count == 1
    seg = old.segments[0]
    assert seg.postings(seg.term_id("body", "旧"))[0].tolist() == [0]
    new = IndexReader.open(ix.path)
    assert new.get("a") is None and new.get("b") is not None
    old.close()
    new.close()
