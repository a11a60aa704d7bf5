"""Add / update / delete / rollback semantics, documents, the facade's bookkeeping."""
from __future__ import annotations

import pytest

from searchlib.analysis.analyzer import Analyzer
from searchlib.api import Index
from searchlib.errors import AnalyzerMismatchError, DocumentError, IndexExistsError, IndexNotFoundError, SearchlibError
from tests.index.helpers import DOCS, live_docs


@pytest.fixture()
def ix(tmp_path):  # type: ignore[no-untyped-def]
    ix = Index.create(tmp_path / "ix")
    with ix.writer(workers=1) as w:
        for d in DOCS:
            w.add(d)
    yield ix
    ix.close()


def test_add_get_len(ix) -> None:  # type: ignore[no-untyped-def]
    assert len(ix) == len(DOCS)
    for d in DOCS:
        assert ix.get(d["id"]) == d
    assert ix.get("nope") is None
    assert "d1" in ix and "nope" not in ix
    stats = ix.stats()
    assert stats["documents"] == 5 and stats["segments"] == 1 and stats["generation"] == 1
    assert stats["terms"] > 20 and stats["size_bytes"] > 0
    assert stats["analyzer"] == Analyzer().config()


def test_update_replaces_and_add_is_upsert(ix) -> None:  # type: ignore[no-untyped-def]
    with ix.writer(workers=1) as w:
        w.update({"id": "d1", "title": "新标题", "body": "新内容"})
        w.add({"id": "d2", "title": "t", "body": "b"})  # add replaces an existing id too
        w.add({"id": "d6", "title": "", "body": "六"})
    assert len(ix) == 6
    assert ix.get("d1") == {"id": "d1", "title": "新标题", "body": "新内容"}
    assert ix.get("d2")["body"] == "b"
    r = ix.reader()
    assert r.doc_freq("body", "集群") == 1  # d1's old body no longer counts (d3 still has it)
    assert r.doc_freq("body", "新") == 1


def test_delete(ix) -> None:  # type: ignore[no-untyped-def]
    with ix.writer(workers=1) as w:
        assert w.delete("d1") is True
        assert w.delete("d1") is False
        assert w.delete("missing") is False
        w.add({"id": "x", "body": "临时"})
        assert w.delete("x") is True  # a buffered document
    assert len(ix) == 4 and ix.get("d1") is None and ix.get("x") is None
    seg = ix.reader().segments[0]
    assert seg.local_of("d1") is None and seg.live_count == 4 and seg.deleted.sum() == 1


def test_delete_then_readd_in_one_writer(ix) -> None:  # type: ignore[no-untyped-def]
    with ix.writer(workers=1, buffer_docs=2) as w:
        w.delete("d1")
        w.add({"id": "d1", "body": "一"})
        w.add({"id": "a", "body": "二"})  # flushes d1 + a into an uncommitted segment
        w.update({"id": "d1", "body": "三"})  # replaces a flushed, uncommitted document
        w.add({"id": "b", "body": "四"})
    assert ix.get("d1") == {"id": "d1", "body": "三"}
    assert len(ix) == 7
    assert set(live_docs(ix.path)) == {"d1", "d2", "d3", "d4", "d5", "a", "b"}
    ix.check()


def test_rollback_and_exception(ix) -> None:  # type: ignore[no-untyped-def]
    gen = ix.stats()["generation"]
    with ix.writer(workers=1, buffer_docs=1) as w:
        w.add({"id": "r1", "body": "回滚"})  # flushed (buffer_docs=1), not committed
        w.delete("d2")
        w.rollback()
        w.add({"id": "kept", "body": "保留"})
    assert ix.get("r1") is None and ix.get("d2") is not None and ix.get("kept") is not None
    with pytest.raises(RuntimeError):
        with ix.writer(workers=1) as w:
            w.add({"id": "boom", "body": "异常"})
            w.delete("d3")
            raise RuntimeError("caller failed")
    assert ix.get("boom") is None and ix.get("d3") is not None
    assert ix.stats()["generation"] == gen + 1
    # nothing left behind by the rolled-back segments
    assert ix.check()["segments"] == len(ix.reader().segments)
    import os

    assert sorted(os.listdir(ix.path + "/segments")) == sorted(s.name for s in ix.reader().segments)


def test_empty_commit_makes_no_generation(ix) -> None:  # type: ignore[no-untyped-def]
    gen = ix.stats()["generation"]
    with ix.writer(workers=1):
        pass
    assert ix.stats()["generation"] == gen


def test_writer_closed_after_with(ix) -> None:  # type: ignore[no-untyped-def]
    with ix.writer(workers=1) as w:
        pass
    with pytest.raises(SearchlibError, match="closed"):
        w.add({"id": "z", "body": ""})


def test_explicit_commits_in_one_writer(ix) -> None:  # type: ignore[no-untyped-def]
    w = ix.writer(workers=1)
    try:
        w.add({"id": "c1", "body": "一"})
        g1 = w.commit()
        assert ix.get("c1") is not None
        w.delete("c1")
        g2 = w.commit()
        assert g2 == g1 + 1 and ix.get("c1") is None
    finally:
        w.close()


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ("text", "must be a dict"),
        ({"title": "x"}, "no 'id'"),
        ({"id": ""}, "non-empty string"),
        ({"id": 5}, "non-empty string"),
        ({"id": "a", "body": 3}, "field 'body' is a text field and needs a string, got 3"),
        ({"id": "a", "body": ["x"]}, "needs a string"),
        ({"id": "a", "date": "--09-28"}, "field 'date' is a date field .* got '--09-28'"),
        ({"id": "a", "_seq": "1"}, "reserved"),
        ({"id": "a", "body": "bad \ud800 surrogate"}, "lone surrogate"),
        ({"id": "a", 7: "x"}, "bad field name"),
        ({"id": "a", "f\udc80": "v"}, "field name .* lone surrogate"),
        ({"id": "a", "a\nb  title  text  999 documents": "y"}, "no control characters"),  # would forge a stats row
        ({"id": "a", "x\x1b[31m": "y"}, "no control characters"),
        # a date whose UTC moment leaves datetime's range: refused here, not a ValueError at commit
        ({"id": "a", "date": "9999-12-31T23:59:59-12:00"}, "between the years 1 and 9999"),
        ({"id": "a", "date": "0001-01-01T00:00+14:00"}, "between the years 1 and 9999"),
    ],
)
def test_bad_documents(ix, doc, message) -> None:  # type: ignore[no-untyped-def]
    with ix.writer(workers=1) as w:
        with pytest.raises(DocumentError, match=message):
            w.add(doc)
    assert len(ix) == len(DOCS)


def test_a_refused_document_costs_only_itself(ix) -> None:  # type: ignore[no-untyped-def]
    """A document refused by add() (here a field name that is not valid Unicode, which once
    passed add() and failed the whole commit) leaves the writer's other documents to commit."""
    with ix.writer(workers=1) as w:
        w.add({"id": "good-1", "body": "fine"})
        with pytest.raises(DocumentError):
            w.add({"id": "bad", "body": "x", "f\ud800": "v"})
        w.add({"id": "good-2", "body": "fine too"})
    assert ix.get("good-1") and ix.get("good-2") and ix.get("bad") is None


def test_a_float_field_refuses_an_integer_too_large_for_a_float(tmp_path) -> None:  # type: ignore[no-untyped-def]
    ix = Index.create(tmp_path / "f", fields={"score": "float"})
    with ix.writer(workers=1) as w:
        with pytest.raises(DocumentError, match="finite number"):
            w.add({"id": "a", "body": "x", "score": 10**400})  # was an OverflowError
        w.add({"id": "b", "body": "x", "score": 10**300})
    assert ix.get("b")["score"] == 1e300


def _empty_and_huge(tmp_path, size: int) -> None:  # type: ignore[no-untyped-def]
    ix = Index.create(tmp_path / "big")
    body = ("长沙工程机械产业集群发展迅速。New York company " * (size // 30 + 1))[:size]
    with ix.writer(workers=1) as w:
        w.add({"id": "empty", "title": "", "body": ""})
        w.add({"id": "huge", "title": "大", "body": body})
    assert ix.get("huge")["body"] == body
    assert ix.get("empty") == {"id": "empty", "title": "", "body": ""}
    r = ix.reader()
    seg = r.segments[0]
    docs, offsets, positions = seg.positions(seg.term_id("body", "company"))
    assert list(docs) == [seg.local_of("huge")] and positions.size == body.count("company")
    assert positions.max() < seg.field_lengths("body")[seg.local_of("huge")]
    ix.check()


def test_empty_and_big_documents(tmp_path) -> None:  # type: ignore[no-untyped-def]
    _empty_and_huge(tmp_path, 1024 * 1024)


@pytest.mark.stress
def test_empty_and_huge_documents(tmp_path) -> None:  # type: ignore[no-untyped-def]
    _empty_and_huge(tmp_path, 10 * 1024 * 1024)  # analysis alone takes ~7 s


def test_create_open_errors(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(IndexNotFoundError):
        Index.open(tmp_path / "none")
    ix = Index.create(tmp_path / "a")
    with pytest.raises(IndexExistsError):
        Index.create(tmp_path / "a")
    assert Index.create(tmp_path / "a", exist_ok=True).path == ix.path
    with pytest.raises(AnalyzerMismatchError):
        Index.open(tmp_path / "a", analyzer=Analyzer(stemmer="english"))
    with pytest.raises(AnalyzerMismatchError):
        Index.create(tmp_path / "a", analyzer=Analyzer(user_words=["长沙机械"]), exist_ok=True)
    Index.open(tmp_path / "a", analyzer=Analyzer())


def test_custom_analyzer_is_recorded_and_rebuilt(tmp_path) -> None:  # type: ignore[no-untyped-def]
    a = Analyzer(user_words=["长沙工程"], stemmer="english")
    ix = Index.create(tmp_path / "c", analyzer=a)
    with ix.writer(workers=1) as w:
        w.add({"id": "1", "body": "长沙工程 running"})
    ix2 = Index.open(tmp_path / "c")
    assert ix2.analyzer == a and ix2.reader().analyzer == a
    seg = ix2.reader().segments[0]
    assert seg.term_id("body", "长沙工程") is not None and seg.term_id("body", "run") is not None


def test_custom_fields(tmp_path) -> None:  # type: ignore[no-untyped-def]
    ix = Index.create(tmp_path / "f", fields={"title": "text", "body": "text", "summary": "text", "raw": "stored"})
    with ix.writer(workers=1) as w:
        w.add({"id": "1", "title": "标题", "body": "正文", "summary": "摘要内容", "raw": "<b>x</b>", "source": "新华社"})
    seg = ix.reader().segments[0]
    assert seg.term_id("summary", "摘要") is not None
    assert seg.field_lengths("summary")[0] == 4
    assert seg.term_id("raw", "<b>x</b>") is None  # stored only
    assert seg.term_id("source", "新华社") is not None  # undeclared → keyword
    assert ix.get("1")["raw"] == "<b>x</b>"


def test_add_page_stores_the_cleaned_document(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from corpus.pages import iter_pages
    from searchlib.analysis.boilerplate import BoilerplateModel, clean

    pages = list(iter_pages())
    model = BoilerplateModel.fit(p.text for p in pages)
    page = pages[0]
    ix = Index.create(tmp_path / "p")
    with ix.writer(workers=1) as w:
        stored = w.add_page(page.text, id="p1")
        w.add_page(page.text, "p2", model, url="http://x", title="自己的标题")
    assert ix.get("p1") == stored == clean(page.text).document("p1")
    assert stored["title"] and all(line in page.text for line in stored["body"].split("\n"))
    assert ix.get("p2") == clean(page.text, model).document("p2", url="http://x", title="自己的标题")


def test_index_closed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with Index.create(tmp_path / "x") as ix:
        assert len(ix) == 0
    with pytest.raises(SearchlibError):
        ix.reader()
