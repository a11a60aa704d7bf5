"""The compiled sorted walk against the numpy walk: the same indices for any column (ties at the
k-th value, fewer than k matches, both directions), as plain Python and compiled, and the same
sorted hits through a real index either way."""
from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import searchlib
from searchlib.query import kernels, sort_kernel
from searchlib.query.order import _walk_sorted


@pytest.fixture(autouse=True)
def _restore_mode() -> Iterator[None]:
    before = kernels.mode()
    yield
    kernels.set_mode(before)


def _column(values: list[int]) -> SimpleNamespace:
    vals = np.array(values, dtype=np.int64)
    order = np.argsort(vals, kind="stable").astype(np.int32)
    return SimpleNamespace(sorted_docs=lambda: (order, vals.take(order)))


@settings(max_examples=300, deadline=None)
@given(values=st.lists(st.integers(-3, 3) | st.integers(-(2**63), 2**63 - 1), min_size=0, max_size=120),
       data=st.data(), k=st.integers(1, 12), descending=st.booleans())
def test_the_loop_walks_as_numpy(values: list[int], data: st.DataObject, k: int, descending: bool) -> None:
    col = _column(values)
    docs = np.array(sorted(data.draw(st.sets(st.integers(0, max(len(values) - 1, 0)), max_size=len(values)))),
                    dtype=np.int32)
    want = _walk_sorted(col, docs, k, descending) if docs.size else None
    fns = [sort_kernel.walk_sorted]
    if kernels.available():
        kernels.set_mode("compiled")
        fns.append(kernels.sorted_walk())
    order, svals = col.sorted_docs()
    for fn in fns:
        out = np.empty(docs.size, dtype=np.int64)
        found = fn(order, svals, docs, k, descending, out)
        if want is None:
            assert found == -1
        else:
            assert out[:found].tolist() == want.tolist()


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> Iterator[searchlib.Index]:
    rng = random.Random(9)
    ix = searchlib.Index.create(Path(tmp_path_factory.mktemp("walk")) / "ix",
                                fields={"title": "text", "body": "text", "views": "int", "date": "date"})
    with ix.writer(workers=1, buffer_docs=400, merge=False) as w:  # three segments, dense matches
        for i in range(1000):
            w.add({"id": f"d{i}", "body": rng.choice(["长沙 天气", "长沙", "株洲 天气"]), "views": rng.randint(0, 30),
                   "date": f"2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"})
    yield ix
    ix.close()


@pytest.mark.parametrize("sort", ["views", "-views", "-date", "date", ["-views", "date"]])
def test_sorted_hits_are_the_same_either_way(ix: searchlib.Index, sort: object) -> None:
    kernels.set_mode("numpy")
    want = [[(h.id, h.score) for h in ix.search(q, sort=sort, limit=k)] for q in ("长沙", "天气") for k in (1, 7, 30)]
    kernels.set_mode("compiled" if kernels.available() else "numpy")
    got = [[(h.id, h.score) for h in ix.search(q, sort=sort, limit=k)] for q in ("长沙", "天气") for k in (1, 7, 30)]
    assert got == want
