"""The compiled proximity loop against the numpy reference: the same bonuses on real segments
(the loop run by numba, and as plain Python), the same search results, damaged postings refused,
and a one-shot process that never loads numba."""
from __future__ import annotations

import json
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import searchlib
from searchlib.errors import ArgumentError, IndexCorruptError
from searchlib.query import kernels, proximity_kernel
from searchlib.query.proximity import ProximityOptions, _bonus, _plan, _Word

_LATIN = [f"w{i}" for i in range(8)]
_HAN = ["长沙", "机械", "出口", "增长", "三成"]  # two units each
_VOCAB = _LATIN + _HAN


@pytest.fixture(autouse=True)
def _restore_mode() -> Iterator[None]:
    before = kernels.mode()
    yield
    kernels.set_mode(before)


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> Iterator[searchlib.Index]:
    rng = random.Random(11)
    ix = searchlib.Index.create(Path(tmp_path_factory.mktemp("kernel")) / "ix")

    def text(n: int) -> str:  # a skewed vocabulary: some words in most documents, several times each
        return " ".join(rng.choice(_VOCAB[: rng.randint(2, len(_VOCAB))]) for _ in range(n))

    with ix.writer(workers=1, buffer_docs=150, merge=False) as w:  # two segments
        for i in range(300):
            w.add({"id": f"d{i}", "title": text(rng.randint(0, 6)), "body": text(rng.randint(1, 60))})
    yield ix
    ix.close()


def _numba() -> bool:
    return kernels.available()


def _ctx() -> SimpleNamespace:
    weights = {"title": 2.0, "body": 1.0}
    return SimpleNamespace(default_fields=("title", "body"), params=SimpleNamespace(weight=weights.get),
                           avg_length=lambda f: 1.0, term_id=lambda s, f, t: s.seg.term_id(f, t))


def _words(query: list[tuple[str, float] | None]) -> list[_Word | None]:
    return [None if q is None else _Word(q[0], len(q[0]) if q[0] in _HAN else 1, q[1], ("title", "body"))
            for q in query]


def _interpreted(ctx, s, locals_, plan, options):  # type: ignore[no-untyped-def]
    """``_bonus`` with the loop run as plain Python (no numba): the kernel's own model."""
    original = kernels.proximity_counts
    kernels.proximity_counts = lambda: proximity_kernel.pairs_and_lead  # type: ignore[assignment]
    try:
        return _bonus(ctx, s, locals_, plan, options)
    finally:
        kernels.proximity_counts = original  # type: ignore[assignment]


@settings(max_examples=150, deadline=None)
@given(query=st.lists(st.one_of(st.none(), st.tuples(st.sampled_from(_VOCAB), st.floats(0.1, 9.0))),
                      min_size=1, max_size=14),
       docs=st.sets(st.integers(0, 149), min_size=1, max_size=12), seg_ord=st.integers(0, 1),
       gap=st.integers(0, 3), lead_units=st.integers(1, 60))
def test_the_loop_gives_the_numpy_bonus(ix: searchlib.Index, query: list[tuple[str, float] | None], docs: set[int],
                                        seg_ord: int, gap: int, lead_units: int) -> None:
    """Pairs and lead per document: compiled, interpreted and numpy agree (two fields, repeated and
    absent words, Han words of two units, any gap and lead length)."""
    reader = ix.reader()
    s = SimpleNamespace(seg=reader.segments[seg_ord], ord=seg_ord)
    ctx = _ctx()
    words = _words(query)
    locals_ = np.array(sorted(docs), dtype=np.int64)
    options = ProximityOptions(gap=gap, lead_units=lead_units)
    kernels.set_mode("numpy")
    want = _bonus(ctx, s, locals_, _plan(ctx, words), options)  # type: ignore[arg-type]
    got = _interpreted(ctx, s, locals_, _plan(ctx, words), options)
    assert got[0].tolist() == want[0].tolist()
    assert got[1].tolist() == want[1].tolist()
    if _numba():
        kernels.set_mode("compiled")
        got = _bonus(ctx, s, locals_, _plan(ctx, words), options)  # type: ignore[arg-type]
        assert got[0].tolist() == want[0].tolist()
        assert got[1].tolist() == want[1].tolist()


def test_the_model_is_not_vacuous(ix: searchlib.Index) -> None:
    """The property above compares real bonuses: words in order earn pairs and lead."""
    reader = ix.reader()
    s = SimpleNamespace(seg=reader.segments[0], ord=0)
    ctx = _ctx()
    plan = _plan(ctx, _words([("w0", 1.0), ("w1", 2.0), ("w0", 1.0), ("w2", 1.5), ("长沙", 3.0)]))
    locals_ = np.arange(150, dtype=np.int64)
    pairs, lead = _interpreted(ctx, s, locals_, plan, ProximityOptions())  # type: ignore[arg-type]
    assert (pairs > 0).sum() > 10 and (lead > 0).sum() > 10


def test_search_results_are_the_same_either_way(ix: searchlib.Index) -> None:
    rng = random.Random(3)
    queries = [" ".join(rng.choice(_VOCAB) for _ in range(rng.randint(5, 9))) for _ in range(40)]
    opts = ProximityOptions(max_doc_fraction=1.0)  # (this vocabulary's words are in most documents)
    kernels.set_mode("numpy")
    want = [[(h.id, h.score) for h in ix.search(q, limit=10, proximity=opts)] for q in queries]
    kernels.set_mode("compiled" if _numba() else "numpy")
    got = [[(h.id, h.score) for h in ix.search(q, limit=10, proximity=opts)] for q in queries]
    assert got == want
    plain = [[(h.id, h.score) for h in ix.search(q, limit=10, proximity=False)] for q in queries]
    assert sum(a != b for a, b in zip(want, plain)) > 20  # the rescoring did change them


def _damaged(tmp_path: Path) -> tuple[searchlib.Index, object]:
    ix = searchlib.Index.create(tmp_path / "ix")
    with ix.writer(workers=1) as w:
        for i in range(20):
            w.add({"id": f"d{i}", "body": "w0 w1 w2 w3 w4 w5 w0 w1"})
    seg = ix.reader().segments[0]
    return ix, seg


@pytest.mark.parametrize("how", ["interpreted", "compiled"])
@pytest.mark.parametrize("damage", ["tfs", "termoff"])
def test_damaged_postings_are_refused(tmp_path: Path, how: str, damage: str) -> None:
    if how == "compiled" and not _numba():
        pytest.skip("numba is not installed (the fast extra)")
    ix, seg = _damaged(tmp_path)
    reader = seg.postings_reader()  # type: ignore[attr-defined]
    if damage == "tfs":
        tfs = np.array(reader.tfs)
        tfs[-1] = 200  # more occurrences than the term's positions hold
        reader.tfs = tfs
    else:
        off = np.array(reader.pos_off)
        off[-1] = off[-1] + 5  # positions past the end of the array
        reader.pos_off = off
    ctx = _ctx()
    s = SimpleNamespace(seg=seg, ord=0)
    plan = _plan(ctx, _words([(w, 1.0) for w in ("w0", "w1", "w2", "w3", "w4", "w5")]))
    locals_ = np.arange(20, dtype=np.int64)
    kernels.set_mode("compiled")
    with pytest.raises(IndexCorruptError, match="damaged"):
        if how == "interpreted":
            _interpreted(ctx, s, locals_, plan, ProximityOptions())  # type: ignore[arg-type]
        else:
            _bonus(ctx, s, locals_, plan, ProximityOptions())  # type: ignore[arg-type]
    ix.close()


def test_modes(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ArgumentError, match="kernel mode"):
        kernels.set_mode("fast")
    kernels.set_mode("numpy")
    assert kernels.proximity_counts() is None
    monkeypatch.setitem(kernels._state, "kernel", None)  # a process that has not loaded the kernels yet
    monkeypatch.setitem(kernels._state, "failed", False)
    kernels.set_mode("auto")
    assert all(kernels.proximity_counts() is None for _ in range(kernels.WARM_AFTER))  # warming up
    after = kernels.proximity_counts()
    assert (after is not None) == _numba()
    kernels._state["mode"] = None  # read from the environment again
    monkeypatch.setenv("SEARCHLIB_KERNELS", "turbo")
    with pytest.raises(ArgumentError, match="SEARCHLIB_KERNELS"):
        kernels.mode()
    monkeypatch.setenv("SEARCHLIB_KERNELS", "numpy")
    assert kernels.mode() == "numpy"


def test_a_one_shot_query_never_loads_numba(ix: searchlib.Index) -> None:
    """A process that runs a few long queries stays on numpy (``auto``): no numba import, no
    compile, no cache read."""
    code = ("import sys, json, searchlib\n"
            f"ix = searchlib.Index.open({str(ix.path)!r})\n"
            "r = [ix.search('w0 w1 w2 w3 w4 w5 长沙 机械').ids for _ in range(3)]\n"
            "print(json.dumps(['numba' in sys.modules, len(r[0])]))\n")
    env = {k: v for k, v in __import__("os").environ.items() if k != "SEARCHLIB_KERNELS"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    loaded, hits = json.loads(out.stdout.strip().splitlines()[-1])
    assert hits > 0 and loaded is False



def test_a_kernel_numba_cannot_compile_falls_back_to_numpy(ix: searchlib.Index, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where numba cannot compile the loop for these arrays, the search still answers, the numpy
    way, with the same results, and stops trying the kernel."""
    class Refused(Exception):
        pass

    def refuse(*args: object) -> int:
        raise Refused("no compiled loop for these arrays")

    q = "w0 w1 w2 w3 w4 w5 长沙 机械"
    opts = ProximityOptions(max_doc_fraction=1.0)
    kernels.set_mode("numpy")
    want = [(h.id, h.score) for h in ix.search(q, limit=10, proximity=opts)]
    monkeypatch.setitem(kernels._state, "kernel", refuse)
    monkeypatch.setitem(kernels._state, "failed", False)
    monkeypatch.setitem(kernels._state, "errors", (Refused,))
    kernels.set_mode("compiled")
    assert [(h.id, h.score) for h in ix.search(q, limit=10, proximity=opts)] == want
    assert kernels._state["failed"] and kernels.proximity_counts() is None



@settings(max_examples=200, deadline=None)
@given(shape=st.tuples(st.integers(1, 2), st.integers(1, 20), st.integers(1, 3)), seed=st.integers(0, 2**32 - 1))
def test_pairs_are_summed_in_query_order(shape: tuple[int, int, int], seed: int) -> None:
    """The numpy path sums a field's pairs as the compiled loop does, one after the other, for
    every shape (``.sum`` would not: it adds eight or more terms pairwise)."""
    from searchlib.query.proximity import _field_sums

    terms = np.random.default_rng(seed).random(shape) * 7.3
    want = np.zeros((shape[0], shape[2]))
    for f in range(shape[0]):
        for j in range(shape[2]):
            acc = 0.0
            for p in range(shape[1]):
                acc += float(terms[f, p, j])
            want[f, j] = acc
    assert _field_sums(terms).tolist() == want.tolist()
