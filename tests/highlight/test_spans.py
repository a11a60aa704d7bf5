"""Golden tests for match spans: scripts, folding artifacts, nesting, boundaries, stemming."""
from __future__ import annotations

import pytest

from searchlib.highlight import Highlighter


def marked(h: Highlighter, text: str) -> list[str]:
    return [text[s:e] for s, e in h.spans(text)]


# -- Chinese: Simplified, Traditional, pinyin artifacts, width ------------------------------------
def test_simplified_query_marks_traditional_text(analyzer):
    h = Highlighter(analyzer, terms=["工程机械", "产业"])
    text = "長沙工程機械產業發展迅速"
    assert h.spans(text) == [(2, 8)]  # touching matches merge into one span
    assert marked(h, text) == ["工程機械產業"]


def test_simplified_text(analyzer):
    h = Highlighter(analyzer, terms=["工程机械", "czt"], phrases=["产业集群"])
    text = "长沙工程机械与产业集群，以及CZT探测器。"
    assert marked(h, text) == ["工程机械", "产业集群", "CZT"]


def test_inline_pinyin_is_marked_with_its_character(analyzer):
    h = Highlighter(analyzer, terms=["调研"])
    text = "開展調(diào)研工作"
    assert marked(h, text) == ["調(diào)研"]
    # a match ending on the annotated character extends over the annotation
    assert marked(Highlighter(analyzer, terms=["调"]), "調(diào)查") == ["調(diào)"]
    assert marked(Highlighter(analyzer, terms=["调"]), "調（diào）") == ["調（diào）"]
    # parentheses that are not pinyin stay outside
    assert marked(Highlighter(analyzer, terms=["会议"]), "會議(2021)") == ["會議"]


def test_full_width_and_ligatures_map_back(analyzer):
    assert marked(Highlighter(analyzer, terms=["czt"]), "ＣＺＴ探测器") == ["ＣＺＴ"]
    assert marked(Highlighter(analyzer, terms=["finance"]), "ﬁnance news") == ["ﬁnance"]
    assert marked(Highlighter(analyzer, terms=["strasse"]), "Die Straße.") == ["Straße"]


def test_nested_longest_wins_whoosh_532(analyzer):
    text = "马克思主义和马克"
    assert marked(Highlighter(analyzer, terms=["马克思"]), text) == ["马克思"]
    assert marked(Highlighter(analyzer, terms=["马克", "马克思"]), text) == ["马克思", "马克"]
    assert marked(Highlighter(analyzer, terms=["马克", "马克思", "克思"]), text) == ["马克思", "马克"]


def test_overlapping_matches_merge(analyzer):
    h = Highlighter(analyzer, terms=["工程机械", "机械产业"])
    assert h.spans("长沙工程机械产业") == [(2, 8)]


def test_phrase_is_one_span_and_han_spaces_are_removed(analyzer):
    text = "长沙产业集群发展"
    assert Highlighter(analyzer, phrases=["产业集群"]).spans(text) == [(2, 6)]
    assert Highlighter(analyzer, phrases=["产业 集群"]).spans(text) == [(2, 6)]
    assert Highlighter(analyzer, phrases=["產業集群"]).spans(text) == [(2, 6)]  # folded like the text


def test_phrase_matches_across_whitespace_and_hyphens_like_the_phrase_query(analyzer):
    h = Highlighter(analyzer, phrases=["产业集群", "iphone 手机", "kota-kota"])
    text = "產業\n集群、产业 - 集群；iPhone手机、iPhone  手机、iPhones 手机；Kota kota，kota-kota"
    assert marked(h, text) == ["產業\n集群", "产业 - 集群", "iPhone手机", "iPhone  手机", "Kota kota", "kota-kota"]
    # punctuation is a break: the phrase does not match across it
    assert Highlighter(analyzer, phrases=["产业集群"]).spans("产业，集群") == []


# -- Latin: word boundaries, digits, Indonesian, stemming ------------------------------------------
def test_latin_word_boundaries(plain):
    h = Highlighter(plain, terms=["car"])
    text = "car scar cars car's Car-free car工厂 CAR."
    assert h.spans(text) == [(0, 3), (20, 23), (29, 32), (35, 38)]
    assert marked(h, text) == ["car", "Car", "car", "CAR"]


def test_digits_and_joined_words(analyzer):
    assert marked(Highlighter(analyzer, terms=["2021"]), "2021年 20210 2021.5 v2021") == ["2021"]
    assert marked(Highlighter(analyzer, terms=["u.s"]), "the U.S. economy, us") == ["U.S"]


def test_indonesian(analyzer):
    h = Highlighter(analyzer, terms=["kota", "jakarta"])
    text = "Kota-kota besar seperti Jakarta; kotamadya bukan."
    assert marked(h, text) == ["Kota", "kota", "Jakarta"]


def test_indonesian_stemming(indonesian):
    h = Highlighter(indonesian, terms=["bangun"])
    text = "Pembangunan jalan, membangun bangunan; bangunlah?"
    assert marked(h, text) == ["Pembangunan", "membangun", "bangunan", "bangunlah"]  # -lah is a particle


def test_english_stemming_matches_through_stems(english):
    h = Highlighter(english, terms=["run", "happili"])  # index terms are stems
    text = "Running happily, he runs; she ran. RUN!"
    assert marked(h, text) == ["Running", "happily", "runs", "RUN"]
    # surface forms given by a caller are stemmed too
    assert marked(Highlighter(english, terms=["running"]), "runs ran") == ["runs"]


def test_latin_phrases(analyzer, english):
    h = Highlighter(analyzer, phrases=["new york"])
    text = "New  York, new-york, new\nyork; new, york; newyork"
    assert marked(h, text) == ["New  York", "new-york", "new\nyork"]
    hs = Highlighter(english, phrases=["running shoes"])
    assert marked(hs, "Run shoe, runs shoes; running, shoes") == ["Run shoe", "runs shoes"]


def test_mixed_script_term(analyzer, plain):
    assert marked(Highlighter(plain, terms=["iphone", "手机"]), "新款iPhone手机与iPhones") == ["iPhone手机"]
    # the default analyzer indexes iphones under its stem iphone too
    assert marked(Highlighter(analyzer, terms=["iphone", "手机"]), "新款iPhone手机与iPhones") == ["iPhone手机", "iPhones"]


def test_default_analyzer_marks_both_languages_stemmed_matches(analyzer):
    """stemmer="auto": the index holds a word's English and Indonesian stems; the highlighter
    marks every word whose terms hold a query term, as the index matched them."""
    terms = [t.text for t in analyzer.analyze("minibus pembangunan", mode="query")]
    assert terms == ["minibus", "bangun"]
    text = "Minibuses and a minibus; pembangunan jalan, membangun bangunan. The builders."
    assert marked(Highlighter(analyzer, terms=terms), text) == ["Minibuses", "minibus", "pembangunan", "membangun", "bangunan"]
    query = [t.text for t in analyzer.analyze("running shoes", mode="query")]
    assert marked(Highlighter(analyzer, terms=query), "He runs in new shoes; running shoe") == ["runs", "shoes", "running", "shoe"]
    assert marked(Highlighter(analyzer, phrases=["running shoes"]), "Run shoe, runs shoes; running, shoes") == ["Run shoe", "runs shoes"]


# -- edges -----------------------------------------------------------------------------------------
def test_empty_inputs(analyzer):
    assert Highlighter(analyzer, terms=["工程"]).spans("") == []
    assert Highlighter(analyzer).spans("长沙工程机械") == []
    assert Highlighter(analyzer, terms=["", "  "]).spans("长沙 工程") == []


def test_rejects_non_strings(analyzer):
    with pytest.raises(TypeError):
        Highlighter(analyzer, terms=[b"bytes"])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        Highlighter(analyzer, terms=["x"]).snippet(b"bytes")  # type: ignore[arg-type]


def test_cache_returns_the_same_spans(analyzer):
    h = Highlighter(analyzer, terms=["产业"])
    texts = [f"第{i}个产业" for i in range(200)]
    first = [h.spans(t) for t in texts]
    assert [h.spans(t) for t in texts] == first
    assert len(h._cache) <= 64


def test_default_analyzer():
    assert Highlighter(terms=["工程"]).spans("工程") == [(0, 2)]
