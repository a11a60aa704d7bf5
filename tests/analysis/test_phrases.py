"""Phrase-level Traditional → Simplified folding (OpenCC's phrase tables, one Aho-Corasick pass)."""
from __future__ import annotations

import re

import opencc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus.peoples_daily import iter_documents
from searchlib.analysis.analyzer import Analyzer, default_analyzer
from searchlib.analysis.opencc_tables import build_phrase_table, opencc_data_dir, read_ocd2
from searchlib.analysis.phrases import PHRASE_TABLE_VERSION, PhraseFolder, T2SPhrases, phrase_table

CONFIGS = ("s2t", "s2tw", "s2hk")  # script conversions (s2twp also swaps vocabulary, which is not folded)
UNSTEMMED = Analyzer(stemmer=None)


def terms(text: str, analyzer: Analyzer | None = None) -> list[str]:
    return [t.text for t in (analyzer or default_analyzer()).analyze(text)]


def test_shipped_table_is_the_one_built_from_opencc() -> None:
    # If this fails after an OpenCC or jieba upgrade: run
    # searchlib.analysis.opencc_tables.write_phrase_table() and bump PHRASE_TABLE_VERSION.
    assert phrase_table() == build_phrase_table()


def test_ocd2_reader() -> None:
    table = read_ocd2(opencc_data_dir() / "STCharacters.ocd2")
    assert table["了"] == ["了", "瞭"]
    assert len(read_ocd2(opencc_data_dir() / "STPhrases.ocd2")) > 40_000


@pytest.mark.parametrize("simplified", ["了解", "借口", "想象", "项链", "背着", "答复", "他了解了情况", "看着他", "显著的著名成就", "计程车"])
@pytest.mark.parametrize("config", CONFIGS)
def test_examples_fold_to_the_same_terms(simplified: str, config: str) -> None:
    converted = opencc.OpenCC(config).convert(simplified)
    assert terms(converted) == terms(simplified)


def test_issue_examples_differ_without_the_phrase_table() -> None:
    chars_only = Analyzer(t2s_phrases=False)
    assert terms("瞭解", chars_only) != terms("了解", chars_only)
    assert terms("瞭解") == terms("了解") == ["了解"]
    for trad, simp in [("藉口", "借口"), ("想像", "想象"), ("項鍊", "项链"), ("揹著", "背着"), ("答覆", "答复")]:
        assert terms(trad) == terms(simp), (trad, simp)


def test_simplified_words_that_hold_a_regional_variant_stay() -> None:
    assert terms("显著") == ["显著"] and terms("著名") == ["著名"]
    assert terms("看著") == terms("看着")  # Taiwan writes 著 for 着
    assert terms("什么") == ["什么"]  # Taiwan's 么 (for 幺) is not folded: 么 is far more frequent


def test_offsets_of_a_length_changing_replacement() -> None:
    # the shipped table folds script only (equal lengths); a table may also replace a phrase by
    # one of another length, and then each folded character maps to the whole original block
    from searchlib.analysis.normalize import fold

    folder = PhraseFolder({"使用者": "用户"})
    text = "由使用者決定"
    folded = folder.apply(fold(text))
    assert folded.text == "由用户决定"
    assert folded.span(1, 2) == (1, 4) and folded.span(2, 3) == (1, 4)
    assert folded.span(3, 5) == (4, 6)


def test_taiwan_vocabulary_is_not_folded() -> None:
    # folding vocabulary would merge distinct mainland words: 程序 (program) vs 进程 (process)
    assert terms("程序") == ["程序"] and terms("进程") == ["进程"]
    assert terms("资讯") == ["资讯"] and terms("建立") == ["建立"]


def test_version_one_config_keeps_character_folding_only() -> None:
    v1 = {"name": "searchlib-cjk", "version": 1, "t2s": True, "strip_pinyin": True, "hmm": True,
          "stemmer": None, "user_words": []}
    old = Analyzer.from_config(v1)
    assert old.config() == v1
    assert not any(isinstance(s, T2SPhrases) for s in old.pipeline.stages)
    assert terms("瞭解", old) == ["瞭解"]
    new = Analyzer()
    assert new.config()["version"] == 2 and new.config()["t2s_phrases"] == PHRASE_TABLE_VERSION
    assert Analyzer.from_config(new.config()) == new


def test_bad_phrase_options() -> None:
    with pytest.raises(ValueError, match="not in this searchlib"):
        Analyzer(t2s_phrases=PHRASE_TABLE_VERSION + 1)
    with pytest.raises(ValueError, match="needs t2s"):
        Analyzer(t2s=False, t2s_phrases=True)
    assert Analyzer(t2s=False).t2s_phrases is None


@pytest.fixture(scope="module")
def sample() -> list[str]:
    import random

    out: list[str] = []
    for doc in iter_documents():
        out.extend(s for s in re.split(r"(?<=[。！？])", doc.text) if s.strip())
    return random.Random(7).sample(out, 300)


@pytest.mark.parametrize("config", CONFIGS)
def test_peoples_daily_sentences_agree_across_scripts(sample: list[str], config: str) -> None:
    """benchmarks/bench_t2s.py measures this on every sentence; here a sample must clear the goal."""
    converted = opencc.OpenCC(config).convert("\n".join(sample)).split("\n")
    differ = [s for s, c in zip(sample, converted) if terms(s) != terms(c)]
    assert len(differ) <= 0.005 * len(sample), differ[:3]


WORDS = ["瞭解", "了解", "藉口", "想像", "項鍊", "揹著", "答覆", "計程車", "出租車", "使用者", "資訊", "看著", "著名",
         "顯著", "哈薩克", "為了", "解決", "長沙", "調(diào)", "工程", "機械", "，", "。", " ", "CZT", "2021", "程式"]
TEXTS = st.one_of(st.lists(st.sampled_from(WORDS + list("瞭解了藉口借想像象項鍊链揹背著着答覆复計程車使用者資訊")),
                           max_size=25).map("".join), st.text(max_size=30))


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_token_spans_fold_to_the_token(text: str) -> None:
    """Every token's original span folds back to it - by itself, unless the span cuts through a
    phrase the fold replaced (then the phrase decided, in context); and always in context: the
    folded text holds the token at a place that maps exactly onto the span."""
    a = UNSTEMMED  # stemming is not folding: tokens here are folded words as they stand
    folded = a.fold(text)
    chars = Analyzer(t2s_phrases=False, stemmer=None).fold(text)
    matches = PhraseFolder(phrase_table()).matches(chars.text)
    replaced = [chars.span(s, e) for s, e, _ in matches]
    blocks = [chars.span(s, e) for s, e, v in matches if len(v) != e - s]
    for tok in a.analyze(text):
        s, e = tok.start, tok.end
        assert 0 <= s < e <= len(text)
        spots = [i for i in range(len(folded.text)) if folded.text.startswith(tok.text, i)]
        assert any(folded.span(i, i + len(tok.text)) == (s, e) for i in spots), tok
        if any(rs < s < re_ or rs < e < re_ for rs, re_ in replaced):
            continue  # the span cuts through a replaced phrase: only the context decides
        alone = a.fold(text[s:e]).text
        if any(s <= rs and re_ <= e for rs, re_ in blocks) or any(len(a.fold(c).text) != 1 for c in text[s:e]):
            assert tok.text in alone, tok  # a block maps whole: the span may hold more
        else:
            assert alone == tok.text, tok


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(TEXTS, st.lists(st.sampled_from(WORDS + ["\n"]), max_size=12).map("".join)), max_size=8))
def test_batch_folding_is_folding_one_by_one(texts: list[str]) -> None:
    """The writer folds a batch of texts at once (one automaton scan over them all)."""
    a = default_analyzer()
    assert a.fold_texts(texts) == [a.fold(t).text for t in texts]
