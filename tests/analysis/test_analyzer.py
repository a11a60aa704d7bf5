"""Golden tokenization for each variety, positions, sub-words, options and bad input."""
from __future__ import annotations

import pytest

import searchlib
from searchlib.analysis.analyzer import Analyzer, default_analyzer
from tests.workcount import assert_linear


PLAIN = Analyzer(stemmer=None)  # no stemming: Latin words as written


def terms(text: str, mode: str = "index", analyzer: Analyzer | None = None) -> list[str]:
    return [t.text for t in (analyzer or default_analyzer()).analyze(text, mode)]  # type: ignore[arg-type]


def test_public_analyze_returns_tokens_with_original_offsets() -> None:
    text = "長沙工程機械"
    tokens = searchlib.analyze(text)
    assert [(t.text, t.start, t.end, t.position) for t in tokens] == [
        ("长沙", 0, 2, 0),
        ("工程", 2, 4, 2),
        ("工程机械", 2, 6, 2),
        ("机械", 4, 6, 4),
    ]
    assert [text[t.start : t.end] for t in tokens] == ["長沙", "工程", "工程機械", "機械"]


def test_query_mode_has_no_sub_words() -> None:
    assert terms("长沙工程机械产业", "query") == ["长沙", "工程机械", "产业"]


def test_simplified_golden() -> None:
    assert terms("株洲市先进轨道交通装备产业链建设推进大会召开", "query") == [
        "株洲市", "先进", "轨道交通", "装备", "产业链", "建设", "推进", "大会", "召开",
    ]


def test_traditional_with_pinyin_golden() -> None:
    text = "胡衡華強(qiáng)調(diào),要抓住關(guān)鍵環(huán)節(jié)。"
    tokens = default_analyzer().analyze(text, "query")
    assert [t.text for t in tokens] == ["胡衡华", "强调", "要", "抓住", "关键环节"]
    assert [text[t.start : t.end] for t in tokens] == [
        "胡衡華", "強(qiáng)調(diào)", "要", "抓住", "關(guān)鍵環(huán)節(jié)",
    ]


def test_english_golden() -> None:
    text = "The U.S. and CZT signed 5G deals in 2021, worth $3.5bn."
    assert terms(text, analyzer=PLAIN) == [
        "the", "u.s", "and", "czt", "signed", "5g", "deals", "in", "2021", "worth", "3.5bn",
    ]
    # the default analyzer indexes a word under its English and its Indonesian stem (one term
    # when they agree) and stems a query in its detected language
    assert terms(text) == [
        "the", "u.s", "and", "czt", "sign", "signed", "5g", "deal", "deals", "in", "2021", "worth", "3.5bn",
    ]
    assert terms(text, "query") == ["the", "u.s", "and", "czt", "sign", "5g", "deal", "in", "2021", "worth", "3.5bn"]


def test_indonesian_golden() -> None:
    text = "Sichuan dan Chongqing Kolaborasi Bangun Klaster Industri, kota-kota besar"
    assert terms(text, analyzer=PLAIN) == [
        "sichuan", "dan", "chongqing", "kolaborasi", "bangun", "klaster", "industri", "kota", "kota", "besar",
    ]
    assert terms("Pembangunan jalan tol", "query") == ["bangun", "jalan", "tol"]


def test_mixed_text_positions_count_units() -> None:
    tokens = PLAIN.analyze("长沙CZT工程机械 alliance", "query")
    assert [(t.text, t.position) for t in tokens] == [
        ("长沙", 0), ("czt", 2), ("工程机械", 3), ("alliance", 7),
    ]


def test_punctuation_adds_a_break_unit_whitespace_and_hyphen_do_not() -> None:
    a = [(t.text, t.position) for t in PLAIN.analyze("new york, kota-kota", "query")]
    assert a == [("new", 0), ("york", 1), ("kota", 3), ("kota", 4)]
    b = [(t.text, t.position) for t in default_analyzer().analyze("机械。产业", "query")]
    assert b == [("机械", 0), ("产业", 3)]


def test_index_terms_add_every_han_character_as_a_unigram() -> None:
    it = PLAIN.index_terms("工程机械。New")
    pairs = sorted(zip(it.terms, it.positions), key=lambda p: (p[1], p[0]))
    assert ("工程机械", 0) in pairs and ("机械", 2) in pairs
    for i, ch in enumerate("工程机械"):
        assert (ch, i) in pairs
    assert ("new", 5) in pairs
    assert it.length == 6  # 4 characters + 1 break + 1 word


def test_sub_word_lets_machinery_find_construction_machinery() -> None:
    assert "机械" in terms("工程机械")
    assert "机械" in default_analyzer().index_terms("工程机械").terms


def test_user_words() -> None:
    plain = terms("株潭一体化示范区", "query")
    custom = Analyzer(user_words=["株潭一体化"])
    assert "株潭一体化" not in plain
    assert "株潭一体化" in terms("株潭一体化示范区", "query", custom)
    # A Traditional spelling of the user word is folded like any text.
    assert Analyzer(user_words=["長株潭"]).user_words == ("长株潭",)


def test_stemming_is_optional() -> None:
    assert terms("running cars", analyzer=PLAIN) == ["running", "cars"]
    assert terms("running cars", analyzer=Analyzer(stemmer="english")) == ["run", "car"]
    assert terms("pembangunan", analyzer=Analyzer(stemmer="indonesian")) == ["bangun"]
    with pytest.raises(ValueError, match="unknown stemmer"):
        Analyzer(stemmer="klingon")


def test_config_round_trip_and_identity() -> None:
    for a in (Analyzer(user_words=["株潭"], stemmer="english"), Analyzer(), PLAIN,
              Analyzer(t2s_phrases=False, stemmer=None), Analyzer(t2s=False, hmm=False)):
        b = Analyzer.from_config(a.config())
        assert a == b and a.config() == b.config()
    assert Analyzer(stemmer="english") != Analyzer()
    with pytest.raises(ValueError, match="not supported"):
        Analyzer.from_config({**Analyzer().config(), "version": 999})
    with pytest.raises(ValueError, match="does not know: colour"):
        Analyzer.from_config({**Analyzer().config(), "colour": "blue"})


V1 = {"name": "searchlib-cjk", "version": 1, "t2s": True, "strip_pinyin": True, "hmm": True, "stemmer": None,
      "user_words": []}


def test_a_version_one_config_analyzes_as_before() -> None:
    """An index written by the previous release records V1: it must analyze exactly as then."""
    old = Analyzer.from_config(V1)
    assert old.config() == V1  # recorded identity unchanged: opening such an index compares equal
    assert [type(s).__name__ for s in old.pipeline.stages] == ["StripPinyin", "Normalize", "T2SChars", "JiebaTokenizer"]
    assert terms("The minibuses 瞭解", analyzer=old) == ["the", "minibuses", "瞭解"]
    assert Analyzer.from_config({**V1, "stemmer": "english"}).config() == {**V1, "stemmer": "english"}
    with pytest.raises(ValueError, match="does not know: t2s_phrases"):
        Analyzer.from_config({**V1, "t2s_phrases": 1})  # new options need version 2
    with pytest.raises(ValueError, match="no stemmer 'auto'"):
        Analyzer.from_config({**V1, "stemmer": "auto"})


def test_new_options_write_version_two() -> None:
    assert Analyzer().config()["version"] == 2
    assert Analyzer(stemmer=None, t2s_phrases=False).config() == V1  # nothing new: version 1 as before
    assert Analyzer(stemmer="auto", t2s_phrases=False).config()["version"] == 2


def test_analyzer_pickles_through_its_config() -> None:
    import pickle

    a = Analyzer(user_words=["株潭"])
    assert pickle.loads(pickle.dumps(a)) == a


@pytest.mark.parametrize("bad", [None, b"\xe9\x95\xbf", 3.14])
def test_bad_types(bad: object) -> None:
    with pytest.raises(TypeError):
        searchlib.analyze(bad)  # type: ignore[arg-type]


def test_bad_mode() -> None:
    with pytest.raises(ValueError, match="mode"):
        default_analyzer().analyze("x", "fast")  # type: ignore[arg-type]


def test_control_characters_and_surrogates_do_not_crash() -> None:
    text = "长沙\x00\x01工程\ud800机械\x7f abc\u200b def"
    tokens = searchlib.analyze(text)
    assert "长沙" in [t.text for t in tokens]
    assert all(0 <= t.start < t.end <= len(text) for t in tokens)


def test_empty_and_whitespace() -> None:
    assert searchlib.analyze("") == []
    assert searchlib.analyze(" \n\t　") == []


def test_ten_megabytes_is_correct_and_the_work_linear() -> None:
    unit = "长沙工程机械产业集群。The CZT alliance, 2021! "
    text = (unit * 250_000)[:10_000_000]
    tokens = default_analyzer().analyze(text, "query")
    assert tokens[-1].end <= len(text)
    assert tokens[0].text == "长沙"
    # 4x the text, about 4x the work: counted (tests.workcount), so a quadratic step shows as 16x
    for mode in ("query", "index"):
        assert_linear(lambda k: unit * k, lambda t: default_analyzer().analyze(t, mode), 2_000)  # noqa: B023
    assert_linear(lambda k: [unit * 20] * k, default_analyzer().index_batch, 100)


def test_giant_latin_word_is_dropped_not_indexed() -> None:
    text = "a" * 5000 + " ok"
    assert terms(text, analyzer=PLAIN) == ["ok"]
