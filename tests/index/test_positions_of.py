"""Positions of terms in chosen documents (what proximity rescoring reads): ``positions_of`` and
``positions_of_many`` against the whole position lists the segment decodes for a term."""
from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import searchlib

_VOCAB = [f"w{i}" for i in range(12)]


@pytest.fixture(scope="module")
def seg(tmp_path_factory: pytest.TempPathFactory):
    rng = random.Random(7)
    ix = searchlib.Index.create(Path(tmp_path_factory.mktemp("pos")) / "ix")
    with ix.writer(workers=1) as w:
        for i in range(400):
            # a skewed vocabulary: some words in most documents, several times each
            words = [rng.choice(_VOCAB[: rng.randint(1, len(_VOCAB))]) for _ in range(rng.randint(1, 40))]
            w.add({"id": f"d{i}", "body": " ".join(words)})
    reader = ix.reader()
    assert len(reader.segments) == 1
    assert all(reader.segments[0].term_id("body", w) is not None for w in _VOCAB)
    yield reader.segments[0]
    ix.close()


def _model(seg, term_id: int, docs: list[int]) -> tuple[list[int], list[int]]:
    pdocs, offsets, pos = seg.positions(term_id)
    where = {int(d): k for k, d in enumerate(pdocs)}
    owner, out = [], []
    for i, d in enumerate(docs):
        k = where.get(d)
        if k is not None:
            ps = pos[offsets[k]:offsets[k + 1]].tolist()
            owner += [i] * len(ps)
            out += ps
    return owner, out


@settings(max_examples=150, deadline=None)
@given(words=st.lists(st.sampled_from(_VOCAB), min_size=0, max_size=6),
       docs=st.sets(st.integers(0, 399), min_size=0, max_size=25))
def test_positions_of_many_is_positions_of_for_each_term(seg, words: list[str], docs: set[int]) -> None:
    tids = [t for t in (seg.term_id("body", w) for w in words) if t is not None]
    chosen = np.array(sorted(docs), dtype=np.int64)
    which, owner, pos = seg.positions_of_many(tids, chosen)
    want_which, want_owner, want_pos = [], [], []
    for k, t in enumerate(tids):
        o, p = _model(seg, t, sorted(docs))
        got_o, got_p = seg.positions_of(t, chosen)
        assert (got_o.tolist(), got_p.tolist()) == (o, p)
        want_which += [k] * len(o)
        want_owner += o
        want_pos += p
    assert (which.tolist(), owner.tolist(), pos.tolist()) == (want_which, want_owner, want_pos)
