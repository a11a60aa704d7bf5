"""The token path: jieba's search mode defined once, and the fast reading of units along jieba's
words equal to the regex definition (``scan_units``) on any text."""
from __future__ import annotations

import re

import pytest
import rjieba
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus.peoples_daily import iter_documents
from searchlib.analysis.analyzer import default_analyzer
from searchlib.analysis.chars import HAN_RE
from searchlib.analysis.tokenize import SearchMode, _segment_scanned, scan_units, segment

PIECES = st.sampled_from(
    ["长", "沙", "工程机械", "产业集群", "卡拉ok", "t恤", "a股", "三k党", "12.5%", "1998年", "3.5bn", "u.s.",
     "don't", "kota-kota", "e-commerce", "--", "...", "\r\n", "\n", " ", "，", "。", "“", "”", "(2021)", "%",
     "+", "#", "&", "_", "-", ".", "'", "’", "CZT", "iPhone手机", "5G", "Café", "𠀀𠀁", "䷀", "😀", "x" * 130,
     "中.国", "中-国", "2021-05-12", "#1", "c++", "\u3000", "ｅ"]
)
TEXTS = st.one_of(st.text(max_size=40), st.lists(PIECES, max_size=25).map("".join))
SETTINGS = settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _tok():
    a = default_analyzer()
    t = a.pipeline.tokenizer
    return a, t.cut_function(), t.search_mode


@SETTINGS
@given(TEXTS)
def test_reading_along_jieba_equals_the_regex_scan(text: str) -> None:
    a, cut, search = _tok()
    folded = a.fold(text).text
    for mode in (None, search):
        fast, ref = segment(folded, cut, mode), _segment_scanned(folded, cut, mode)
        assert (fast.han, fast.latin, fast.units) == (ref.han, ref.latin, ref.units)
        assert _partition(fast.groups) == _partition(ref.groups)


def _partition(groups: list[int]) -> list[int]:
    """Group labels renumbered in first-seen order (only which words share a group matters)."""
    seen: dict[int, int] = {}
    return [seen.setdefault(g, len(seen)) for g in groups]


@SETTINGS
@given(TEXTS)
def test_units_and_latin_words_are_scan_units(text: str) -> None:
    a, cut, search = _tok()
    folded = a.fold(text).text
    latin, groups, runs, units = scan_units(folded)
    seg = segment(folded, cut, search)
    assert seg.latin == latin and seg.units == units and len(seg.groups) == len(latin)
    # groups: equal exactly when no Han run lies between two Latin words
    for i in range(len(latin) - 1):
        between = any(latin[i].end <= start < latin[i + 1].start for start, _, _ in runs)
        assert (seg.groups[i] != seg.groups[i + 1]) == between


@pytest.fixture(scope="module")
def sentences() -> list[str]:
    out: list[str] = []
    for doc in iter_documents(limit=800):
        out.extend(s for s in re.split(r"(?<=[。！？])", doc.text) if s)
    return out[:1500]


def test_search_mode_is_jiebas(sentences: list[str]) -> None:
    """SearchMode over the default cut gives exactly jieba-rs's search mode (rjieba.tokenize), in
    its order once sorted by start; rjieba itself is checked against jieba in test_jieba_parity."""
    a, cut, search = _tok()
    jieba = a.pipeline.tokenizer.jieba
    mismatches = []
    for s in sentences:
        folded = a.fold(s).text
        ours = [(t.text, t.start, t.end) for t in segment(folded, cut, search).han]
        theirs = sorted((t for t in jieba.tokenize(folded, "search", True) if HAN_RE.match(t[0])),
                        key=lambda t: t[1])
        if ours != theirs:
            mismatches.append(s)
    assert mismatches == []


def test_search_mode_rules_on_a_word() -> None:
    mode = SearchMode(rjieba._DEFAULT_JIEBA.has_word)
    assert mode.expansion("工程机械") == (("工程", 0, 2), ("工程机械", 0, 4), ("机械", 2, 4))
    assert mode.expansion("中华人民共和国") == (
        ("中华", 0, 2), ("中华人民共和国", 0, 7), ("华人", 1, 3), ("人民", 2, 4), ("共和", 4, 6), ("共和国", 4, 7))
    assert mode.expansion("ab") == ()  # no Han character, no term


def test_fast_reading_is_used_for_chinese_sentences(sentences: list[str]) -> None:
    """Not a speed test: the reading along jieba's words must apply to ordinary news text (if it
    fell back to the regex pass everywhere, analysis would be slower but still correct)."""
    from searchlib.analysis.tokenize import _NOT_ALONG_RE, _segment_along

    a, cut, search = _tok()
    folded = [a.fold(s).text for s in sentences]
    along = [f for f in folded if _NOT_ALONG_RE.search(f) is None and _segment_along(f, cut, search) is not None]
    assert len(along) >= 0.95 * len(folded)


def test_a_query_without_han_text_never_loads_jieba() -> None:
    from searchlib.analysis.analyzer import Analyzer

    a = Analyzer(user_words=["长沙工程"])  # its own jieba instance: nothing loaded yet
    tokenizer = a.pipeline.tokenizer
    assert tokenizer._jieba is None
    latin = a.analyze("Broadband internet in Jakarta, 2024", mode="query")
    assert tokenizer._jieba is None  # a Latin query never pays for the dictionary
    assert [t.text for t in latin] == [t.text for t in default_analyzer().analyze("Broadband internet in Jakarta, 2024", mode="query")]
    assert [t.text for t in a.analyze("长沙 broadband", mode="query")] == ["长沙", "broadband"]
    assert tokenizer._jieba is not None  # loaded on the first Han text
