"""Proximity rescoring: long queries reward words that stand together, in order, early; short
queries are plain BM25F; explain agrees; cursors continue the rescored order exactly."""
from __future__ import annotations

from pathlib import Path

import pytest

import searchlib
from searchlib.query.proximity import ProximityOptions

HEADLINE = "长沙 工程机械 出口 同比 增长 三成"
FILLER = "会议 指出 各地 要 加强 管理 做好 服务 推动 发展 提高 水平 落实 责任 "


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> searchlib.Index:
    path = tmp_path_factory.mktemp("prox") / "ix"
    ix = searchlib.Index.create(path)
    docs = [
        # the headline's words together, in order, at the start
        {"id": "together", "body": "长沙工程机械出口同比增长三成。" + FILLER * 3},
        # the same words, scattered through the text
        {"id": "scattered", "body": FILLER + "三成 " + FILLER + "增长 " + FILLER + "长沙 同比 " + FILLER
                                    + "出口 " + FILLER + "工程机械"},
        # the words in order, but late in a long text
        {"id": "late", "body": FILLER * 12 + "长沙工程机械出口同比增长三成"},
    ]
    docs += [{"id": f"f{i}", "body": FILLER + ("长沙 " if i % 5 == 0 else "增长 " if i % 5 == 1 else "") + FILLER}
             for i in range(30)]
    with ix.writer(workers=1, buffer_docs=7, merge=False) as w:  # several segments
        for d in docs:
            w.add(d)
    return ix


def test_long_query_prefers_words_together_in_order(ix: searchlib.Index) -> None:
    plain = ix.search(HEADLINE, proximity=False, limit=5)
    rescored = ix.search(HEADLINE, limit=5)
    assert rescored.ids[0] == "together"
    bonus = {h.id: h.score for h in rescored}
    base = {h.id: h.score for h in plain}
    assert all(bonus[i] >= base[i] for i in bonus)  # a bonus is never negative
    assert bonus["together"] - base["together"] > bonus["scattered"] - base["scattered"]
    assert bonus["together"] - base["together"] > bonus["late"] - base["late"]  # the lead counts
    assert rescored.total == plain.total


def test_short_queries_are_plain_bm25f(ix: searchlib.Index) -> None:
    for q in ("长沙", "长沙 增长", "长沙 工程机械 出口"):
        assert [(h.id, h.score) for h in ix.search(q, limit=10)] == \
               [(h.id, h.score) for h in ix.search(q, limit=10, proximity=False)]


def test_explain_shows_the_proximity_part(ix: searchlib.Index) -> None:
    res = ix.search(HEADLINE, limit=10)
    for hit in res:
        e = ix.explain(HEADLINE, hit.id)
        assert e.value == pytest.approx(hit.score, rel=1e-9)
        parts = e.find(proximity=e.details[-1].info.get("proximity")) if len(e.details) > 1 else []
        assert parts, "the proximity part is in the explanation"


def test_cursor_pages_continue_the_rescored_order(ix: searchlib.Index) -> None:
    opts = ProximityOptions(window=5)  # a small window, so pages cross its end
    full = ix.search(HEADLINE, limit=100, proximity=opts)
    paged, after = [], None
    while True:
        page = ix.search(HEADLINE, limit=3, after=after, proximity=opts)
        paged += page.ids
        if len(page) < 3:
            break
        after = page.next_cursor
    assert paged == full.ids and len(set(paged)) == full.total


def test_offset_pages_within_the_window(ix: searchlib.Index) -> None:
    full = ix.search(HEADLINE, limit=20)
    assert ix.search(HEADLINE, limit=5, offset=5).ids == full.ids[5:10]


def test_bad_option(ix: searchlib.Index) -> None:
    with pytest.raises(TypeError):
        ix.search(HEADLINE, proximity="yes")  # type: ignore[arg-type]


def test_sorted_and_collapsed_searches_are_not_rescored(ix: searchlib.Index, tmp_path: Path) -> None:
    a = ix.search(HEADLINE, sort="_doc", limit=5)
    assert a.ids == ix.search(HEADLINE, sort="_doc", limit=5, proximity=False).ids
