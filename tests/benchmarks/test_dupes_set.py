"""The repost generator of the near-duplicate benchmark (benchmarks/dupes_set.py): seeded, the
perturbations it claims, natural duplicates removed, pairwise scoring."""
from __future__ import annotations

import random

import opencc

from benchmarks import dupes_set
from benchmarks.bench_duplicates import choose_threshold, pair_scores

ARTICLE = {"id": "a", "title": "长沙工程机械出口增长",
           "body": "长沙海关昨日发布数据，今年一季度长沙市工程机械产品出口额达到八十六亿元，同比增长三成。"
                   "其中对一带一路沿线国家出口占比首次超过六成。车间负责人介绍，今年以来订单已排到七月。"
                   "海关相关负责人表示，下一步将推广提前申报等便利化措施。"}
OTHER = {"id": "b", "title": "", "body": "湘江新区发布青年人才安居新政，符合条件的毕业生可申请三年租房补贴。"
                                        "新政同时提出建设保障性租赁住房两万套，优先面向新就业大学生。"}
CHROME = {"zh": ["责任编辑：李娟", "分享到：微信 微博", "相关阅读：湖南外贸持续增长"], "latin": ["Share this"]}


def test_pieces_never_exceed_a_third() -> None:
    body = ARTICLE["body"]
    pieces = dupes_set._pieces(body, len(body) // 3)
    assert "".join(pieces) == body
    assert all(len(p) <= len(body) // 3 for p in pieces)


def test_reposts_are_seeded_and_do_what_they_say() -> None:
    conv = {name: opencc.OpenCC(name) for name in ("s2t", "s2tw", "s2hk")}
    others = {True: [ARTICLE, OTHER], False: []}

    def make(seed: int) -> list[tuple[dict, list[str]]]:
        rng = random.Random(seed)
        return [dupes_set.make_repost(ARTICLE, rng, CHROME, others, conv) for _ in range(40)]

    a, b = make(1), make(1)
    assert a == b
    seen = set()
    for rep, done in a:
        assert 1 <= len(done) <= 4
        seen.update(op.rstrip("0123456789") for op in done)
        if "drop" not in done and "insert" not in done and not any(op.startswith("s2") for op in done):
            assert "一带一路" in rep["body"] or "一帶一路" in rep["body"]
        if any(op.startswith("chrome") for op in done):
            assert any(line in rep["body"] for line in CHROME["zh"])
        if "insert" in done:
            assert len(rep["body"]) > 0
    assert {"chrome", "drop", "insert", "punct"} <= seen and seen & {"s2t", "s2tw", "s2hk"}


def test_natural_duplicates_are_dropped() -> None:
    docs = [ARTICLE, OTHER, {"id": "c", "title": "", "body": ARTICLE["body"].replace("昨日", "今日")},
            {"id": "d", "title": "", "body": "完全不同的一段文字，讲的是冬季运动会的筹备进展和场馆建设情况。"}]
    kept, dropped = dupes_set.drop_natural_duplicates(docs)
    assert [d["id"] for d in kept] == ["a", "b", "d"] and dropped == 1


def test_part_gold_pairs_and_scores() -> None:
    part = dupes_set.Part("p", [], {"a": ["a", "a~r0", "a~r1"], "b": ["b"]})
    gold = part.gold_pairs()
    assert gold == {("a", "a~r0"), ("a", "a~r1"), ("a~r0", "a~r1")}
    assert part.group_of()["a~r1"] == "a"
    s = pair_scores([["a", "a~r0"], ["a~r1", "b"]], gold)
    assert (s["precision"], round(s["recall"], 4)) == (0.5, 0.3333)
    rows = [{"threshold": 0.3, "precision": 0.97, "recall": 1.0}, {"threshold": 0.35, "precision": 0.99, "recall": 0.99},
            {"threshold": 0.4, "precision": 1.0, "recall": 0.99}]
    assert choose_threshold(rows)["threshold"] == 0.4
