"""Property tests: offsets fold back to the term, positions never go backwards, scripts agree."""
from __future__ import annotations

import opencc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from searchlib.analysis.analyzer import Analyzer, default_analyzer
from searchlib.analysis.phrases import PhraseFolder, phrase_table

UNSTEMMED = Analyzer(stemmer=None)  # folding and positions: tokens as the folded words stand
CHARS = Analyzer(stemmer=None, t2s_phrases=False)


def fold(text: str):  # noqa: ANN201
    return UNSTEMMED.fold(text)

HAN = "长沙工程机械产业集群调研发展湖南株洲中国国际会议经济建设人民政府的了是在和"
TRAD = "長沙工程機械產業集群調研發展湖南株洲中國國際會議經濟建設人民政府"
PIECES = st.sampled_from(
    [*HAN, *TRAD, "調(diào)", "發(fā)", " ", "，", "。", "(2021)", "CZT", "5G", "U.S.", "kota-kota", "Ｃａｆé",
     "Straße", "e\u0301", "ﬁ", "①", "\x00", "\ud800", "\u3000", "don't", "3.5"]
)
TEXTS = st.one_of(st.text(max_size=60), st.lists(PIECES, max_size=40).map("".join))
S2T = opencc.OpenCC("s2t")
SETTINGS = settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def expands(text: str) -> bool:
    """True when some character of ``text`` folds to more than one character."""
    return any(len(fold(c).text) != 1 for c in text)


@SETTINGS
@given(TEXTS)
def test_folding_a_token_span_gives_the_token(text: str) -> None:
    """(A span cutting through a phrase the phrase table replaced is decided by its context:
    tests/analysis/test_phrases.py covers those.)"""
    chars = CHARS.fold(text)
    replaced = [chars.span(s, e) for s, e, _ in PhraseFolder(phrase_table()).matches(chars.text)]
    for mode in ("index", "query"):
        for tok in UNSTEMMED.analyze(text, mode):
            assert 0 <= tok.start < tok.end <= len(text)
            if any(rs < tok.start < re_ or rs < tok.end < re_ or (tok.start <= rs and re_ <= tok.end)
                   for rs, re_ in replaced):
                continue
            folded = fold(text[tok.start : tok.end]).text
            if expands(text[tok.start : tok.end]):
                assert tok.text in folded
            else:
                assert folded == tok.text


@SETTINGS
@given(TEXTS)
def test_positions_are_non_decreasing(text: str) -> None:
    for analyzer in (default_analyzer(), UNSTEMMED):
        for mode in ("index", "query"):
            positions = [t.position for t in analyzer.analyze(text, mode)]
            assert positions == sorted(positions)


@SETTINGS
@given(st.lists(st.sampled_from([*HAN, "，", " ", "CZT", "2021"]), max_size=40).map("".join))
def test_traditional_and_simplified_give_the_same_terms(simplified: str) -> None:
    traditional = S2T.convert(simplified)
    a = default_analyzer()
    for mode in ("index", "query"):
        assert [t.text for t in a.analyze(traditional, mode)] == [t.text for t in a.analyze(simplified, mode)]
    assert a.index_terms(traditional) == a.index_terms(simplified)


@SETTINGS
@given(TEXTS)
def test_index_terms_agree_with_analyze(text: str) -> None:
    a = default_analyzer()
    it = a.index_terms(text)
    words = {(t.text, t.position) for t in a.analyze(text, "index")}
    indexed = set(zip(it.terms, it.positions))
    # Every analyzed word of 2+ characters or Latin word is indexed at the same position.
    assert {w for w in words if len(w[0]) > 1 or w[0].isascii()} <= indexed
    assert len(it.terms) == len(it.positions)
