"""Property test of the on-disk format: random documents and operations → write → read back
stored fields identical and postings equal to a naive in-memory inverted index."""
from __future__ import annotations

import shutil
import tempfile
from collections import defaultdict

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from searchlib.analysis.analyzer import default_analyzer
from searchlib.api import Index
from searchlib.index.reader import IndexReader

PIECES = ["长沙", "工程", "机械", "產業", "集群", "的", "一", "new", "York", "e-commerce", "3.5", "。", "，", " ", "\n", "𠀀", "Ü"]
text = st.lists(st.sampled_from(PIECES), max_size=12).map("".join)
doc_ids = st.sampled_from([f"id{i}" for i in range(12)] + ["长id", "a b"])
doc = st.fixed_dictionaries(
    {"id": doc_ids, "title": text, "body": text},
    optional={"source": st.sampled_from(["新华社", "Reuters", ""]), "url": st.text(max_size=8)},
)
op = st.one_of(
    st.tuples(st.just("add"), doc),
    st.tuples(st.just("delete"), doc_ids),
    st.tuples(st.just("commit"), st.none()),
    st.tuples(st.just("optimize"), st.none()),
)


def naive_index(docs: dict[str, dict[str, str]]) -> dict[tuple[str, str], dict[str, list[int]]]:
    a = default_analyzer()
    inv: dict[tuple[str, str], dict[str, list[int]]] = defaultdict(dict)
    for d in docs.values():
        for field in ("title", "body"):
            it = a.index_terms(d.get(field, ""))
            for term, pos in zip(it.terms, it.positions):
                inv[(field, term)].setdefault(d["id"], []).append(pos)
        for field in ("source", "url"):
            value = d.get(field)
            if value and "\x00" not in value:
                inv[(field, value)][d["id"]] = [0]
    return {k: {i: sorted(p) for i, p in v.items()} for k, v in inv.items()}


def disk_index(r: IndexReader) -> dict[tuple[str, str], dict[str, list[int]]]:
    inv: dict[tuple[str, str], dict[str, list[int]]] = defaultdict(dict)
    for seg in r.segments:
        for field in ("title", "body", "source", "url"):
            for term, tid in seg.terms_with_prefix(field, ""):
                docs, offsets, positions = seg.positions(tid)
                pdocs, tfs = seg.postings(tid)
                assert (pdocs == docs).all() and (tfs == offsets[1:] - offsets[:-1]).all()
                assert seg.doc_freq(tid) == docs.size
                for i, local in enumerate(docs):
                    if seg.is_live(int(local)):
                        doc_id = seg.stored(int(local))["id"]
                        assert doc_id not in inv[(field, term)]
                        inv[(field, term)][doc_id] = positions[offsets[i] : offsets[i + 1]].tolist()
    return {k: v for k, v in inv.items() if v}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(op, max_size=25), st.sampled_from([1, 3, 1000]))
def test_roundtrip_matches_naive_index(ops, buffer_docs) -> None:  # type: ignore[no-untyped-def]
    path = tempfile.mkdtemp(prefix="prop-ix-")
    try:
        ix = Index.create(path)
        model: dict[str, dict[str, str]] = {}
        w = ix.writer(workers=1, buffer_docs=buffer_docs, merge_factor=2)
        committed: dict[str, dict[str, str]] = {}
        for kind, arg in ops:
            if kind == "add":
                w.add(arg)
                model[arg["id"]] = dict(arg)
            elif kind == "delete":
                assert w.delete(arg) == (arg in model)
                model.pop(arg, None)
            elif kind == "commit":
                w.commit()
                committed = dict(model)
            else:
                w.optimize()
                committed = dict(model)
                assert len(ix.reader().segments) <= 1
            assert {d["id"]: d for d in ix.reader()} == committed
        w.commit()
        w.close()
        r = IndexReader.open(path)
        assert {d["id"]: d for d in r} == model
        assert r.doc_count == len(model)
        for doc_id, d in model.items():
            assert r.get(doc_id) == d
        assert disk_index(r) == naive_index(model)
        a = default_analyzer()
        for field in ("title", "body"):
            total = sum(a.index_terms(d.get(field, "")).length for d in model.values())
            assert r.stats(field) == (len(model), total)
        ix.check()
        r.close()
    finally:
        shutil.rmtree(path, ignore_errors=True)


@pytest.mark.stress
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(op, max_size=40), st.sampled_from([1, 2, 5, 1000]))
def test_roundtrip_matches_naive_index_stress(ops, buffer_docs) -> None:  # type: ignore[no-untyped-def]
    test_roundtrip_matches_naive_index.hypothesis.inner_test(ops, buffer_docs)
