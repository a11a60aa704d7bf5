"""``IndexWriter.add_analyzed(..., seqs=...)``: sequence numbers given by the caller (the shards of
a distributed index number documents across all shards, so ties break as in one index)."""
from __future__ import annotations

import numpy as np
import pytest

from searchlib.api import Index
from searchlib.errors import DocumentError
from searchlib.index.batch import analyze_batch


def _batch(ix: Index, w, docs):  # type: ignore[no-untyped-def]
    normalized = [w.schema.normalize(d)[0] for d in docs]
    return analyze_batch(ix.analyzer, w.schema.kinds, normalized, None), [d["id"] for d in docs]


def _seqs(ix: Index) -> dict[str, int]:
    r = ix.reader()
    out = {}
    for seg in r.segments:
        seq = seg.seq()
        for local, doc_id in enumerate(seg.doc_ids()):
            if not seg.deleted[local]:
                out[doc_id] = int(seq[local])
    return out


def test_given_sequence_numbers_are_stored_and_break_ties(tmp_path) -> None:  # type: ignore[no-untyped-def]
    ix = Index.create(tmp_path / "ix")
    docs = [{"id": f"d{i}", "body": "same words here"} for i in range(4)]
    with ix.writer(workers=1) as w:
        batch, ids = _batch(ix, w, docs)
        w.add_analyzed(batch, ids, seqs=[40, 10, 30, 20])
    assert _seqs(ix) == {"d0": 40, "d1": 10, "d2": 30, "d3": 20}
    # equal scores: ties break by sequence number
    assert ix.search("words", limit=4).ids == ["d1", "d3", "d2", "d0"]
    assert [h.id for h in ix.search("", sort="_doc", filter={"id": ids}, limit=4)] == ["d1", "d3", "d2", "d0"]
    # later documents without given numbers follow the largest one, in a segment of their own
    with ix.writer(workers=1) as w:
        w.add({"id": "e", "body": "same words here"})
    assert _seqs(ix)["e"] == 41
    ix.optimize()  # merges keep the numbers
    assert _seqs(ix) == {"d0": 40, "d1": 10, "d2": 30, "d3": 20, "e": 41}


def test_explicit_and_implicit_documents_never_share_a_segment(tmp_path) -> None:  # type: ignore[no-untyped-def]
    ix = Index.create(tmp_path / "ix")
    with ix.writer(workers=1) as w:
        w.add({"id": "a", "body": "x"})
        batch, ids = _batch(ix, w, [{"id": "b", "body": "x"}, {"id": "a", "body": "y"}])
        w.add_analyzed(batch, ids, seqs=[100, 7])
        w.add({"id": "c", "body": "x"})
    got = _seqs(ix)
    assert got["b"] == 100 and got["a"] == 7 and got["c"] == 101
    assert ix.get("a")["body"] == "y"
    assert len(ix) == 3


@pytest.mark.parametrize("seqs", [[1], [1, 1], [-1, 2], ["a", "b"], [1.5, 2.5], None])
def test_bad_sequence_numbers_are_refused(tmp_path, seqs) -> None:  # type: ignore[no-untyped-def]
    ix = Index.create(tmp_path / "ix")
    with ix.writer(workers=1) as w:
        batch, ids = _batch(ix, w, [{"id": "a", "body": "x"}, {"id": "b", "body": "y"}])
        if seqs is None:
            w.add_analyzed(batch, ids, seqs=np.array([5, 6], dtype=np.uint32))
            return
        with pytest.raises(DocumentError, match="seqs"):
            w.add_analyzed(batch, ids, seqs=seqs)
