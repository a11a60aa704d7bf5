"""Near-duplicates at query time: clusters against a naive model (all pairs, no LSH), the same
clusters whatever the segmentation, deletions, updates and merges, exploring == resolving all,
collapse="duplicates", more-like-this, and the errors."""
from __future__ import annotations

import itertools
import os
from typing import Any

import numpy as np
import opencc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import searchlib
from searchlib.analysis.analyzer import Analyzer
from searchlib.errors import ArgumentError, ArgumentTypeError, DocumentError
from searchlib.index.signatures import BINS, band_keys, batch_signatures
from searchlib.query.duplicates import DEFAULT_THRESHOLD, DuplicateFinder, finder

STORIES = [
    "长沙海关昨日发布数据，今年一季度长沙市工程机械产品出口额达到八十六亿元，同比增长三成。"
    "其中对一带一路沿线国家出口占比首次超过六成。车间负责人介绍，今年以来订单已排到七月。"
    "海关相关负责人表示，下一步将推广提前申报等便利化措施。",
    "湘江新区发布青年人才安居新政，符合条件的毕业生可申请三年租房补贴。新政同时提出建设保障性租赁住房两万套，"
    "优先面向新就业大学生。区人社局表示，申请通道将于下月开通，材料审核时间压缩到五个工作日。",
    "受冷空气影响，本周末省内大部分地区将出现降温降雨天气，最低气温可能跌破五度。气象部门提醒市民注意添衣保暖，"
    "农业生产单位要做好蔬菜大棚的防寒措施。高速公路部分路段可能出现团雾，驾驶员应减速慢行。",
    "The central bank kept its benchmark rate unchanged on Thursday, saying inflation had eased for a third "
    "month while exports recovered faster than expected. Analysts had widely predicted the pause. The bank said "
    "it would watch food prices closely and was ready to act if the currency weakened further.",
    "Pemerintah kota meresmikan jalur bus baru yang menghubungkan terminal utama dengan kawasan industri. "
    "Wali kota mengatakan layanan itu akan mengurangi kemacetan pada jam sibuk. Tarif perkenalan berlaku "
    "selama tiga bulan pertama, dan armada akan ditambah jika jumlah penumpang terus meningkat.",
]
CHROME = ["责任编辑：李娟", "分享到：微信 微博 QQ空间", "Share this article on Facebook Twitter", "本文来源：湘江日报"]
_S2T = opencc.OpenCC("s2t")


def variant(story: int, k: int) -> str:
    """A repost of ``STORIES[story]``: ``k`` picks the perturbations (0: the original)."""
    text = STORIES[story]
    if k == 0:
        return text
    sep = "。" if story < 3 else ". "
    sents = [s for s in text.split(sep) if s]
    if k & 1 and len(sents) > 3:
        del sents[1 + k % (len(sents) - 2)]
    text = sep.join(sents)
    if k & 2:
        text = _S2T.convert(text) if story < 3 else text.upper()
    if k & 4:
        text = CHROME[k % len(CHROME)] + "\n" + text.replace("，", ",").replace(". ", ".\n")
    if k & 8:
        text += "\n" + CHROME[(k + 1) % len(CHROME)]
    return text


def naive_clusters(docs: dict[str, str], threshold: float) -> set[frozenset[str]]:
    """Clusters by the definition, without LSH tables: every pair sharing a band and agreeing on
    enough bins is an edge; clusters are the connected components of two or more documents."""
    ids = list(docs)
    if not ids:
        return set()
    sig, has = batch_signatures(Analyzer().index_batch([docs[i] for i in ids]), len(ids))
    keys = band_keys(sig)
    need = int(np.ceil(threshold * BINS - 1e-9))
    parent = list(range(len(ids)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in itertools.combinations(range(len(ids)), 2):
        if has[a] and has[b] and (keys[a] == keys[b]).any() and int((sig[a] == sig[b]).sum()) >= need:
            parent[find(a)] = find(b)
    groups: dict[int, set[str]] = {}
    for i, doc_id in enumerate(ids):
        groups.setdefault(find(i), set()).add(doc_id)
    return {frozenset(g) for g in groups.values() if len(g) > 1}


def build(path: Any, batches: list[list[tuple[str, str]]], deletes: list[str] = (), merge: bool = False,  # type: ignore[assignment]
          buffer_docs: int = 1000) -> searchlib.Index:
    ix = searchlib.Index.create(str(path))
    for batch in batches:
        with ix.writer(workers=1, merge=merge, buffer_docs=buffer_docs) as w:
            for doc_id, body in batch:
                w.add({"id": doc_id, "title": doc_id, "body": body})
    if deletes:
        with ix.writer(workers=1, merge=merge) as w:
            for doc_id in deletes:
                w.delete(doc_id)
    return ix


def index_clusters(ix: searchlib.Index, threshold: float | None = None) -> set[frozenset[str]]:
    return {frozenset(c) for c in ix.clusters(threshold=threshold)}


doc_spec = st.tuples(st.integers(0, len(STORIES) - 1), st.integers(0, 15))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(specs=st.lists(doc_spec, min_size=2, max_size=14), cuts=st.lists(st.integers(1, 13), max_size=3),
       dels=st.lists(st.integers(0, 13), max_size=3), data=st.data())
def test_clusters_match_the_naive_model_whatever_the_segmentation(tmp_path_factory: Any, specs: list[tuple[int, int]],
                                                                   cuts: list[int], dels: list[int], data: Any) -> None:
    docs = {f"s{story}v{k}n{i}": variant(story, k) for i, (story, k) in enumerate(specs)}
    ids = list(docs)
    deleted = sorted({ids[d] for d in dels if d < len(ids)})
    live = {k: v for k, v in docs.items() if k not in deleted}
    want = naive_clusters(live, DEFAULT_THRESHOLD)
    items = list(docs.items())
    bounds = [0, *sorted({c for c in cuts if c < len(items)}), len(items)]
    batches = [items[a:b] for a, b in zip(bounds, bounds[1:]) if b > a]
    layouts = [
        build(tmp_path_factory.mktemp("a"), [items], deleted),
        build(tmp_path_factory.mktemp("b"), batches, deleted, buffer_docs=data.draw(st.integers(1, 5))),
    ]
    merged = build(tmp_path_factory.mktemp("c"), batches, deleted)
    merged.optimize()
    layouts.append(merged)
    for ix in layouts:
        assert index_clusters(ix) == want
        cluster_of = {m: c for c in want for m in c}
        reader = ix.reader()
        f = DuplicateFinder(reader, DEFAULT_THRESHOLD)
        for doc_id in live:
            assert set(ix.duplicates(doc_id)) == set(cluster_of.get(doc_id, {doc_id})) - {doc_id}
            node = f.node_of(doc_id)
            explored = f.labels_of(np.array([node]))[0]
            assert explored == DuplicateFinder(reader, DEFAULT_THRESHOLD).all_labels()[node]
        ix.close()


def test_updates_and_deletes_change_the_clusters(tmp_path: Any) -> None:
    ix = build(tmp_path / "ix", [[("a", variant(0, 0)), ("b", variant(0, 2)), ("c", variant(1, 0))],
                                 [("d", variant(0, 5)), ("e", variant(1, 3))]])
    assert index_clusters(ix) == {frozenset("abd"), frozenset("ce")}
    assert ix.duplicates("a") == ["b", "d"] or set(ix.duplicates("a")) == {"b", "d"}
    with ix.writer(workers=1) as w:
        w.update({"id": "b", "body": variant(2, 0)})  # no longer a copy of story 0
        w.delete("e")
    assert index_clusters(ix) == {frozenset("ad")}
    assert ix.duplicates("c") == [] and ix.duplicates("b") == []
    with ix.writer(workers=1) as w:
        w.add({"id": "f", "body": variant(2, 1)})
    ix.optimize()
    assert index_clusters(ix) == {frozenset("ad"), frozenset("bf")}


def test_duplicates_are_ordered_by_similarity_and_clusters_by_size(tmp_path: Any) -> None:
    ix = build(tmp_path / "ix", [[("orig", variant(0, 0)), ("trad", variant(0, 2)), ("cut", variant(0, 13)),
                                  ("x", variant(3, 0)), ("y", variant(3, 2))]])
    assert ix.duplicates("orig")[0] == "trad"  # identical after folding
    assert ix.clusters() == [["orig", "trad", "cut"], ["x", "y"]]
    assert ix.clusters(min_size=3) == [["orig", "trad", "cut"]]
    strict = ix.clusters(threshold=1.0)
    assert ["orig", "trad"] in strict and ["x", "y"] in strict


def test_documents_without_a_signature(tmp_path: Any) -> None:
    ix = build(tmp_path / "ix", [[("a", variant(0, 0)), ("b", "短文"), ("c", "短文")]])
    with ix.writer(workers=1) as w:
        w.add({"id": "t", "title": "only a title"})
    assert ix.duplicates("b") == [] and ix.duplicates("t") == []
    assert ix.clusters() == []
    res = ix.search("短文 title", collapse="duplicates")
    assert sorted(res.ids) == ["b", "c", "t"] and all(h.collapsed == 0 for h in res)


def test_errors(tmp_path: Any) -> None:
    ix = build(tmp_path / "ix", [[("a", variant(0, 0))]])
    with pytest.raises(DocumentError, match="no document with id 'nope'"):
        ix.duplicates("nope")
    with pytest.raises(DocumentError):
        ix.similar("nope")
    with pytest.raises(ArgumentTypeError):
        ix.duplicates(3)  # type: ignore[arg-type]
    for bad in (0, -0.1, 1.5):
        with pytest.raises(ArgumentError, match="threshold"):
            ix.duplicates("a", threshold=bad)
    with pytest.raises(ArgumentTypeError):
        ix.duplicates("a", threshold="0.5")  # type: ignore[arg-type]
    with pytest.raises(ArgumentError, match="min_size"):
        ix.clusters(min_size=1)
    with pytest.raises(ArgumentError):
        ix.similar("a", limit=-1)
    with pytest.raises(ArgumentError, match="duplicates"):
        ix.search("长沙", collapse="body")


@pytest.fixture(scope="module")
def news(tmp_path_factory: Any) -> searchlib.Index:
    """Every story with several reposts, spread over segments."""
    batches = []
    for story in range(len(STORIES)):
        batches.append([(f"s{story}-{k}", variant(story, k)) for k in (0, 2, 5, 9, 12)])
    ix = build(tmp_path_factory.mktemp("news") / "ix", batches)
    with ix.writer(workers=1, merge=False) as w:
        w.add({"id": "other", "body": "长沙地铁六号线东延段通过初步验收，预计年底开通运营，沿线设站八座。"})
    return ix


def test_collapse_keeps_the_best_copy_and_counts_the_others(news: searchlib.Index) -> None:
    for q in ("长沙 工程机械 出口", "central bank rate", "一带一路 OR 租房补贴 OR 降温", "长沙"):
        plain = news.search(q, limit=100)
        col = news.search(q, limit=100, collapse="duplicates")
        assert col.total == plain.total
        story = [h.id.split("-")[0] for h in col if h.id != "other"]
        assert len(story) == len(set(story))  # one hit per story
        by_story: dict[str, list[str]] = {}
        for h in plain:
            by_story.setdefault(h.id.split("-")[0] if h.id != "other" else h.id, []).append(h.id)
        for h in col:
            members = by_story[h.id.split("-")[0] if h.id != "other" else h.id]
            assert h.id == members[0]  # the best-scored copy represents its cluster
            assert h.collapsed == len(members) - 1
        assert col.groups is None  # score order: the pruned top hits are grouped, groups not counted
        full = news.search(q, limit=100, collapse="duplicates", sort="_doc")  # another order: every match grouped
        assert full.groups == len(by_story)
    page1 = news.search("长沙 OR central OR 租房", limit=2, collapse="duplicates")
    page2 = news.search("长沙 OR central OR 租房", limit=2, offset=2, collapse="duplicates")
    assert not set(page1.ids) & set(page2.ids)
    top = next(h for h in news.search("长沙 工程机械", collapse="duplicates") if h.id.startswith("s0"))
    assert top.to_dict()["collapsed"] == 4


def test_top_k_collapse_equals_collapsing_every_match(news: searchlib.Index) -> None:
    """The score-order shortcut gives the hits and counts of the collector that groups every match."""
    from searchlib.query.duplicates import collapse_keys
    from searchlib.query.searcher import search

    reader = news.reader()
    keys = collapse_keys(reader)
    for q in ("长沙", "长沙 OR central OR 租房 OR 降温 OR bus", "出口 OR 补贴", "rate OR kota OR 气温", ""):
        for offset, limit in ((0, 1), (0, 3), (1, 2), (2, 5), (0, 30)):
            fast = search(reader, q, limit=limit, offset=offset, collapse="duplicates", facets=["source"] if q else None)
            full = search(reader, q, limit=limit, offset=offset, collapse="duplicates", collapse_keys=keys,
                          facets=["source"] if q else None)
            assert [(h.id, h.collapsed) for h in fast] == [(h.id, h.collapsed) for h in full], (q, offset, limit)
            assert [h.score for h in fast] == pytest.approx([h.score for h in full])
            assert fast.total == full.total and fast.facets == full.facets
            assert fast.next_cursor == full.next_cursor
    narrowed = search(reader, "长沙", collapse="duplicates", filter={"id": ["s0-0", "s0-5", "other"]})
    assert sorted((h.id, h.collapsed) for h in narrowed) == [("other", 0), ("s0-5", 1)] or \
        sorted((h.id, h.collapsed) for h in narrowed) == [("other", 0), ("s0-0", 1)]


def test_collapse_on_a_reader_without_signatures() -> None:
    from searchlib.query.searcher import search
    from tests.query.memindex import build_reader

    reader = build_reader([[{"id": "a", "body": STORIES[0]}], [{"id": "b", "body": STORIES[0]}]])
    res = search(reader, "长沙", collapse="duplicates")
    assert sorted(res.ids) == ["a", "b"] and all(h.collapsed == 0 for h in res)
    assert search(reader, "长沙", collapse="duplicates", sort="_doc").groups == 2


def test_similar_ranks_reposts_first(news: searchlib.Index) -> None:
    res = news.similar("s0-0", limit=6)
    assert "s0-0" not in res.ids
    assert {h.id for h in res.hits[:4]} == {"s0-2", "s0-5", "s0-9", "s0-12"}
    assert all(h.extra["similarity"] >= DEFAULT_THRESHOLD for h in res.hits[:4])
    assert [h.rank for h in res] == list(range(1, len(res) + 1))
    assert res.hits[0].snippet("body")  # highlighting with the query's words works
    assert "similarity" in res.hits[0].to_dict()
    en = news.similar("s3-9", limit=3)
    assert set(en.ids) <= {"s3-0", "s3-2", "s3-5", "s3-12"}
    assert news.similar("s0-0", limit=0).ids == []
    lone = news.similar("other", limit=3)
    assert "other" not in lone.ids


def test_index_threshold_setting(news: searchlib.Index) -> None:
    try:
        news.duplicate_threshold = 1.0
        strict = set(news.duplicates("s0-0"))
        assert strict == {"s0-2"} or strict < {"s0-2", "s0-5", "s0-9", "s0-12"}
        col = news.search("长沙 工程机械", collapse="duplicates", limit=50)
        assert sum(h.collapsed for h in col) == col.total - len(col)
        assert len(col) > len(news.search("长沙 工程机械", collapse="duplicates", limit=50, duplicate_threshold=0.3))
    finally:
        news.duplicate_threshold = None
    assert set(news.duplicates("s0-0")) == {"s0-2", "s0-5", "s0-9", "s0-12"}


def test_finder_is_cached_per_snapshot(news: searchlib.Index) -> None:
    r = news.reader()
    assert finder(r) is finder(r) and finder(r, 0.7) is not finder(r)
    assert os.path.isdir(news.path)


@pytest.mark.parametrize("query, offset", [("nothingmatchesthis", 0), ("长沙", 50)])
def test_collapse_without_hits_on_a_fresh_snapshot(tmp_path: Any, query: str, offset: int) -> None:
    # found running the README's example: a query without hits asked the cluster finder about
    # no documents before it had explored any, and tripped an assertion
    ix = build(tmp_path / "ix", [[(f"s0-{k}", variant(0, k)) for k in (0, 2)]])
    res = ix.search(query, offset=offset, collapse="duplicates")
    assert res.hits == [] and res.total == ix.search(query).total
