"""Pinyin search: golden cases per variety, and the exact-match hits are never lost."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import searchlib
from searchlib.analysis.pinyin import SYLLABLES, is_pinyin_prefix, pinyin_key, reading_table, split_syllables


@pytest.mark.parametrize("token,key", [
    ("changsha", "changsha"), ("Chángshā", "changsha"), ("CHANGSHA", "changsha"), ("chang2sha1", "changsha"),
    ("xi'an", "xian"), ("lüyou", "lvyou"), ("lvyou", "lvyou"), ("nue", "nve"),
    ("bank", None), ("broadband", None), ("1998", None), ("chang22sha", None), ("", None), ("x'", None),
])
def test_pinyin_key(token: str, key: str | None) -> None:
    assert pinyin_key(token) == key


def test_syllables_match_the_table() -> None:
    table = {r for ch, value in reading_table()._raw.items() if len(ch) == 1 for r in value.split(",")}
    assert reading_table(phrases=False).readings("长沙")[0] in {("zhang", "sha"), ("chang", "sha")}
    assert SYLLABLES == table - {"m", "n", "ng", "hm", "hng"}
    assert split_syllables("zhuzhouguidao") == ["zhu", "zhou", "gui", "dao"]
    assert is_pinyin_prefix("changs") and is_pinyin_prefix("zh") and not is_pinyin_prefix("cs")


def test_readings_heteronyms_and_phrases() -> None:
    rt = reading_table()
    assert rt.readings("长沙") == [("chang", "sha")]  # the phrase decides 长 (zhang/chang)
    assert ("chang", "sha", "shi") in rt.readings("长沙市")  # maximum matching inside longer words
    assert rt.readings("银行")[0] == ("yin", "hang")
    assert {("xing",), ("hang",)} <= set(rt.readings("行"))  # heteronyms: every reading
    assert rt.readings("a") == []


@pytest.mark.parametrize("query", ["changsha", "Chángshā", "chang sha", "chang2sha1", "CHANGSHA", "Chang Sha"])
def test_pinyin_finds_the_han_word(ix: searchlib.Index, query: str) -> None:
    ids = ix.search(query, limit=20).ids
    assert {"zh1", "zh6", "zh7"} <= set(ids), ids


def test_pinyin_in_a_field(ix: searchlib.Index) -> None:
    assert set(ix.search("title:changsha").ids) == {"en1", "zh1", "zh7"}


def test_pinyin_several_words_and_highlights(ix: searchlib.Index) -> None:
    r = ix.search("zhuzhou guidao jiaotong")
    assert r.ids[0] == "zh2"
    body = r[0].fields["body"]
    covered = {i for a, b in r[0].highlights("body") for i in range(a, b)}
    start = body.index("株洲轨道交通")
    assert set(range(start, start + 6)) <= covered  # the Han words the pinyin matched are marked
    r = ix.search("shenzhen")
    assert r.ids == ["zh3"]
    # Traditional documents: the Simplified expansion marks the Traditional characters
    r = ix.search("yinhang")
    hit = next(h for h in r if h.id == "zh6")
    assert "銀行" in {hit.fields["body"][a:b] for a, b in hit.highlights("body")}


def test_exact_latin_match_ranks_above_the_expansion(ix: searchlib.Index) -> None:
    r = ix.search("changsha", limit=20)
    # en1 holds the Latin word itself (and id1 once): it outranks the Han documents
    assert r.ids[0] == "en1"
    assert r.ids.index("id1") < min(r.ids.index(i) for i in ("zh1", "zh6", "zh7"))


@pytest.mark.parametrize("word", ["dance", "men", "bank", "makan"])
def test_frequent_latin_words_stay_latin(ix: searchlib.Index, word: str) -> None:
    r = ix.search(word, limit=50)
    assert "pinyin" not in (r.parsed or ""), r.parsed
    assert all(h.id.startswith(("en", "id")) for h in r), r.ids


def test_han_query_never_matches_through_readings(ix: searchlib.Index) -> None:
    # 景点 and 经典 both read jingdian: the Chinese query matches its own word only
    assert set(ix.search("景点").ids) == {"zh4"}
    assert set(ix.search("经典").ids) == {"zh5"}
    # ... while the pinyin finds both
    assert {"zh4", "zh5"} <= set(ix.search("jingdian").ids)


def test_pinyin_can_be_turned_off(ix: searchlib.Index, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert ix.search("shenzhen", assist=False).ids == []
    assert ix.search("shenzhen", assist={"pinyin": False}).ids == []
    from tests.query.assist.conftest import build

    off = build(tmp_path / "off", assist={"pinyin": False})
    assert off.search("shenzhen").ids == []
    assert off.search("深圳").ids == ["zh3"]


_WORDS = ["changsha", "chang", "sha", "shenzhen", "zhuzhou", "dance", "men", "bank", "broadband", "xian", "jingdian",
          "yinhang", "tram", "line", "makan", "siang", "changsa", "alat", "berat", "jiaotong", "guidao", "river"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=4), st.sampled_from(["OR", "AND"]))
def test_pinyin_never_loses_exact_hits(ix: searchlib.Index, words: list[str], op: str) -> None:
    q = " ".join(words)
    plain = set(ix.search(q, limit=100, default_operator=op, assist=False).ids)
    assisted = set(ix.search(q, limit=100, default_operator=op).ids)
    assert plain <= assisted, (q, plain - assisted)


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_QUERY_TEXT = st.lists(st.sampled_from(list("长沙株洲銀行經典音乐深圳 -\"()~^:*ａＢcsＨａｎ12") + ["AND ", "OR ", "NOT ", "title:"]),
                       max_size=16).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_QUERY_TEXT)
def test_a_query_without_latin_words_or_tilde_skips_the_assistance_rules(ix: searchlib.Index, text: str) -> None:
    """The session's no-rules shortcut is exact: whenever it answers (), the full rules would
    have rewritten nothing either."""
    from searchlib.errors import QueryError
    from searchlib.query.assist import DEFAULT, AssistSession
    from searchlib.query.context import QueryContext
    from searchlib.query.parser import parse
    from searchlib.query.rewrite import DEFAULT_RULES, rewrite
    from searchlib.query.scoring import BM25Params
    from searchlib.query.stats import statistics_for

    reader = ix.reader()
    try:
        node = parse(text, reader.analyzer, fields=("title", "body"))
    except QueryError:
        return
    session = AssistSession(DEFAULT, text, reader.analyzer, None)
    ctx = QueryContext(reader, BM25Params(), ("title", "body"), statistics_for(reader, None))
    if session.rules(node):
        assert any(n.text[:1].isalpha() and n.text[0] < "\u2e80" for n in node.iter_nodes() if hasattr(n, "text")) or "~" in str(node)
        return
    full = AssistSession(DEFAULT, text, reader.analyzer, None).rules(None)
    assert str(rewrite(node, ctx, DEFAULT_RULES + full)) == str(rewrite(node, ctx, DEFAULT_RULES))


def test_fullwidth_latin_pinyin_still_expands(ix: searchlib.Index) -> None:
    assert "zh1" in ix.search("ｃｈａｎｇｓｈａ").ids
