"""The writer's vectorized index-term path agrees exactly with the token path (``segment``).

``segment`` (used for queries, highlighting and ``Analyzer.analyze``) is the reference: the batch
path must index every Latin word and every jieba word of two or more Han characters at the unit
``segment`` gives it, every Han character as a unigram at its unit, and the same field length -
whatever texts share the batch (texts without Han, empty texts, astral characters, huge runs).
"""
from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from searchlib.analysis.analyzer import Analyzer, default_analyzer
from searchlib.analysis.chars import HAN_CHARS
from searchlib.analysis.tokenize import MAX_TOKEN_CHARS, scan_units, segment

PIECES = st.sampled_from(
    ["长", "沙", "工程机械", "产业集群", "調(diào)研", "臺灣", "的", " ", "，", "。", "\n", "(2021)", "CZT", "5G",
     "U.S.", "kota-kota", "Ｃａｆé", "Straße", "e\u0301", "ﬁ", "①", "\x00", "\ud800", "\u3000", "don't",
     "3.5", "a..b", "_x_", "𠀀𠀁", "𝐀𝐁", "😀", "'", ".", "x" * (MAX_TOKEN_CHARS + 1), "T恤", "A股"]
)
TEXTS = st.one_of(st.text(max_size=40), st.lists(PIECES, max_size=30).map("".join))
SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_IS_HAN = __import__("re").compile(f"[{HAN_CHARS}]")


def reference(analyzer: Analyzer, text: str) -> tuple[Counter[tuple[str, int]], int]:
    folded = analyzer.fold(text).text
    tok = analyzer.pipeline.tokenizer
    han, latin, groups, units = segment(folded, tok.cut, tok.search_mode)
    if latin:
        latin = analyzer.pipeline.filter_latin(latin, groups, "index")
    expected: Counter[tuple[str, int]] = Counter()
    for t in han + latin:
        if not _IS_HAN.match(t.text[0]) or len(t.text) > 1:
            expected[(t.text, t.position)] += 1
    for start, end, base in scan_units(folded)[2]:
        for i in range(start, end):
            expected[(folded[i], base + i - start)] += 1
    return expected, units


def batch_terms(analyzer: Analyzer, texts: list[str]) -> list[tuple[Counter[tuple[str, int]], int]]:
    b = analyzer.index_batch(texts)
    out = [(Counter(), int(n)) for n in b.lengths.tolist()]
    terms = b.terms()
    assert len(set(terms)) == len(terms)  # each distinct term once
    assert b.keys.tolist() == sorted(set(b.keys.tolist()))
    for t, p, d in zip(b.ids.tolist(), b.positions.tolist(), b.docs.tolist()):
        out[d][0][(terms[t], p)] += 1
    return out


@SETTINGS
@given(st.lists(TEXTS, min_size=1, max_size=6))
def test_batch_matches_the_token_path(texts: list[str]) -> None:
    a = default_analyzer()
    assert batch_terms(a, texts) == [reference(a, t) for t in texts]


@settings(max_examples=100, deadline=None)
@given(st.lists(TEXTS, min_size=1, max_size=4))
def test_batch_matches_with_a_stemmer(texts: list[str]) -> None:
    a = Analyzer(stemmer="english")
    assert batch_terms(a, texts) == [reference(a, t) for t in texts]


def test_a_text_is_cut_the_same_alone_and_in_a_batch() -> None:
    a = default_analyzer()
    texts = ["工程机械产业集群", "English only, no Han", "", "长沙工程机械。", "Kota-kota 中国"]
    together = batch_terms(a, texts)
    assert together == [batch_terms(a, [t])[0] for t in texts]
    assert together[2] == (Counter(), 0)
    assert ("工程机械", 0) in together[0][0] and ("机", 2) in together[0][0]


def test_index_terms_is_the_batch_of_one() -> None:
    it = default_analyzer().index_terms("工程机械。New")
    assert sorted(zip(it.terms, it.positions)) == sorted(batch_terms(default_analyzer(), ["工程机械。New"])[0][0].elements())
    assert it.length == 6
