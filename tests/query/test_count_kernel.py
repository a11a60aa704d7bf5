"""The compiled counting loop against numpy: the same counts (model and compiled), document
numbers out of range refused, and the same facets in both modes on a real index."""
from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import searchlib
from searchlib.query import count_kernel, kernels


@pytest.fixture(autouse=True)
def _restore_mode() -> Iterator[None]:
    before = kernels.mode()
    yield
    kernels.set_mode(before)


def _numpy_counts(values: np.ndarray, docs: np.ndarray, size: int) -> np.ndarray:
    got = np.take(values, docs).astype(np.int64)
    got = got[(got >= 0) & (got < size)]
    return np.bincount(got, minlength=size)[:size]


_DTYPES = [np.uint8, np.uint16, np.int32, np.int64]


@settings(max_examples=200, deadline=None)
@given(values=st.lists(st.integers(-1, 300), min_size=1, max_size=200), dtype=st.sampled_from(_DTYPES),
       size=st.integers(1, 320), data=st.data())
def test_the_loop_counts_as_numpy(values: list[int], dtype: type, size: int, data: st.DataObject) -> None:
    """Values below 0 or at/after ``size`` (no value, a marker) are skipped; repeated documents
    count each time, as ``np.take`` + ``bincount`` do."""
    info = np.iinfo(dtype)
    arr = np.array([min(max(v, info.min), info.max) for v in values], dtype=dtype)
    docs = np.array(data.draw(st.lists(st.integers(0, arr.size - 1), max_size=300)), dtype=np.int32)
    want = _numpy_counts(arr, docs, size)
    fns = [count_kernel.count_at]
    if kernels.available():
        kernels.set_mode("compiled")
        fns.append(kernels.value_counts())
    for fn in fns:
        out = np.zeros(size, dtype=np.int64)
        assert fn(arr, docs, out) == 0
        assert out.tolist() == want.tolist()


@pytest.mark.parametrize("bad", [-1, 5, 1 << 20])
def test_a_document_outside_the_column_is_refused(bad: int) -> None:
    values = np.arange(5, dtype=np.uint8)
    fns = [count_kernel.count_at]
    if kernels.available():
        kernels.set_mode("compiled")
        fns.append(kernels.value_counts())
    for fn in fns:
        out = np.zeros(5, dtype=np.int64)
        assert fn(values, np.array([0, bad], dtype=np.int64), out) == count_kernel.BAD_DOC


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> Iterator[searchlib.Index]:
    rng = random.Random(5)
    ix = searchlib.Index.create(Path(tmp_path_factory.mktemp("count")) / "ix",
                                fields={"title": "text", "body": "text", "source": "keyword", "tags": "keyword",
                                        "date": "date", "views": "int"})
    words = ["长沙", "机械", "出口", "w1", "w2", "w3"]
    with ix.writer(workers=1, buffer_docs=120, merge=False) as w:  # three segments
        for i in range(330):
            doc = {"id": f"d{i}", "body": " ".join(rng.choice(words) for _ in range(rng.randint(1, 12)))}
            if rng.random() < 0.9:
                doc["source"] = f"s{rng.randint(0, 12)}"
            if rng.random() < 0.8:
                doc["date"] = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randint(0, 900))
            doc["tags"] = rng.sample(["a", "b", "c", "d"], rng.randint(0, 3))
            doc["views"] = rng.randint(0, 50)
            w.add(doc)
    with ix.writer(workers=1) as w:
        for i in range(0, 330, 7):
            w.delete(f"d{i}")
    yield ix
    ix.close()


@pytest.mark.parametrize("query", ["", "长沙", "w1 机械", "出口 -w2"])
def test_facets_are_the_same_either_way(ix: searchlib.Index, query: str) -> None:
    facets = ["source", "tags", "date:month", "date:day", "views"]
    kernels.set_mode("numpy")
    want = ix.search(query, limit=0, facets=facets, facet_limit=None, filter={"views": {"gte": 3}})
    kernels.set_mode("compiled" if kernels.available() else "numpy")
    got = ix.search(query, limit=0, facets=facets, facet_limit=None, filter={"views": {"gte": 3}})
    assert got.total == want.total > 0
    assert got.facets == want.facets
    assert sum(c for _, c in want.facets["source"]) < want.total  # some matches have no source
    assert sum(c for _, c in want.facets["date:month"]) < want.total  # nor a date


def test_a_kernel_numba_cannot_compile_falls_back_to_numpy(ix: searchlib.Index, monkeypatch: pytest.MonkeyPatch) -> None:
    class Refused(Exception):
        pass

    def refuse(*args: object) -> int:
        raise Refused("no compiled loop for these arrays")

    kernels.set_mode("numpy")
    want = ix.search("长沙", limit=0, facets=["source", "date:month"], facet_limit=None).facets
    monkeypatch.setitem(kernels._state, "count", refuse)
    monkeypatch.setitem(kernels._state, "failed", False)
    monkeypatch.setitem(kernels._state, "errors", (Refused,))
    kernels.set_mode("compiled")
    assert ix.search("长沙", limit=0, facets=["source", "date:month"], facet_limit=None).facets == want
    assert kernels._state["failed"] and kernels.value_counts() is None
