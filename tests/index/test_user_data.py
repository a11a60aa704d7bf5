"""Commit user data: a small JSON map written atomically with a commit (Lucene's commitUserData)."""
from __future__ import annotations

import json
import os

import pytest

from searchlib.api import Index
from searchlib.index.reader import IndexReader


@pytest.fixture()
def ix(tmp_path):  # type: ignore[no-untyped-def]
    ix = Index.create(tmp_path / "ix")
    yield ix
    ix.close()


def test_user_data_is_committed_with_the_documents(ix) -> None:  # type: ignore[no-untyped-def]
    assert ix.reader().user_data == {}
    with ix.writer(workers=1) as w:
        w.add({"id": "a", "body": "一"})
        w.set_user_data("roots", {"/data/news": {"files": 1}})
        assert w.user_data == {"roots": {"/data/news": {"files": 1}}}
        assert ix.reader().user_data == {}  # not visible before the commit
    r = ix.reader()
    assert r.user_data == {"roots": {"/data/news": {"files": 1}}} and ix.get("a") is not None
    with open(os.path.join(ix.path, "manifest.json"), encoding="utf-8") as f:
        assert json.load(f)["user_data"] == {"roots": {"/data/news": {"files": 1}}}


def test_a_commit_of_user_data_alone_is_a_commit(ix) -> None:  # type: ignore[no-untyped-def]
    gen = ix.stats()["generation"]
    with ix.writer(workers=1) as w:
        w.set_user_data("k", [1, "二"])
    assert ix.stats()["generation"] == gen + 1 and ix.reader().user_data == {"k": [1, "二"]}
    with ix.writer(workers=1) as w:  # keys not set again are kept; None removes one
        w.set_user_data("other", True)
    assert ix.reader().user_data == {"k": [1, "二"], "other": True}
    with ix.writer(workers=1) as w:
        w.set_user_data("k", None)
    assert ix.reader().user_data == {"other": True}


def test_rollback_forgets_user_data(ix) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RuntimeError), ix.writer(workers=1) as w:
        w.add({"id": "a", "body": "一"})
        w.set_user_data("k", 1)
        raise RuntimeError("boom")
    assert ix.reader().user_data == {} and ix.get("a") is None
    w = ix.writer(workers=1)
    try:
        w.set_user_data("k", 2)
        w.rollback()
        assert not w.has_changes() and w.user_data == {}
    finally:
        w.close()


def test_merges_and_optimize_keep_user_data(ix) -> None:  # type: ignore[no-untyped-def]
    for i in range(12):  # enough segments for the tiered policy to merge
        with ix.writer(workers=1) as w:
            w.add({"id": f"d{i}", "body": f"第{i}篇"})
            if i == 0:
                w.set_user_data("k", "v")
    ix.optimize()
    r = IndexReader.open(ix.path)
    try:
        assert len(r.segments) == 1 and r.user_data == {"k": "v"}
    finally:
        r.close()


@pytest.mark.parametrize(("key", "value"), [("", 1), (3, 1), ("k", float("nan")), ("k", object())])
def test_bad_user_data(ix, key, value) -> None:  # type: ignore[no-untyped-def]
    with ix.writer(workers=1) as w, pytest.raises(ValueError):
        w.set_user_data(key, value)
