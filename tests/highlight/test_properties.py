"""Property tests: spans are valid and genuine, snippets respect their limits and never split a match."""
from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from searchlib.analysis.tokenize import RUN_RE
from searchlib.highlight import Highlighter
from searchlib.highlight.snippets import select_fragments

TERMS = [
    "工程机械", "机械", "产业", "马克", "马克思", "调", "调研", "发展",
    "czt", "car", "ab", "fi", "ss", "2021", "kota",
]
PHRASES = ["产业集群", "car ab", "发展 czt", "kota-kota", "马克 思"]
# Pieces of text that exercise folding (Traditional, pinyin, full width, ligatures, ß), scripts,
# word boundaries and sentence/clause punctuation.
PIECES = list("工程机械產業发發展馬克思马克调調研集群长沙的了") + [
    "(diào)", "（yán）", "(2021)", "ＣＺＴ", "czt", "CZT", "car", "Car", "scar", "cars", "car's",
    "ab", "AB", "ﬁ", "fi", "ß", "ss", "2021", "Kota", "kota-kota", " ", "  ", "\n", "。", "，", ".",
    "!", "?", ";", "'", "-", "<", "&", "\x1b", "é", "e\u0301",
]
texts = st.lists(st.sampled_from(PIECES), max_size=120).map("".join)
term_sets = st.lists(st.sampled_from(TERMS), max_size=5)
phrase_sets = st.lists(st.sampled_from(PHRASES), max_size=2)

_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check_spans(text: str, spans: list[tuple[int, int]]) -> None:
    prev_end = -1
    for s, e in spans:
        assert 0 <= s < e <= len(text)
        assert s > prev_end  # sorted, disjoint, touching spans merged
        prev_end = e


def _phrase_in(folded: str, phrase: str) -> bool:
    """The phrase's words/characters in order with at most whitespace and hyphens between them."""
    words = phrase.split(" ")
    if all(RUN_RE.fullmatch(w) for w in words) and not re.search(r"[\u4e00-\u9fff]", phrase):
        return re.search(r"[\s\-‐–]+".join(map(re.escape, words)), folded) is not None
    squeeze = lambda s: re.sub(r"[\s\-‐–]+", "", s)  # noqa: E731
    return squeeze(phrase) in squeeze(folded)


@_SETTINGS
@given(texts, term_sets, phrase_sets)
def test_spans_are_valid_and_hold_a_query_form(analyzer, text, terms, phrases):
    h = Highlighter(analyzer, terms=terms, phrases=phrases)
    spans = h.spans(text)
    _check_spans(text, spans)
    for s, e in spans:
        folded = analyzer.fold(text[s:e]).text
        assert any(t in folded for t in terms) or any(_phrase_in(folded, p) for p in phrases), (text[s:e], folded)


@_SETTINGS
@given(texts, term_sets)
def test_every_han_occurrence_is_covered(analyzer, text, terms):
    """Completeness: each occurrence of a Han term in the folded text lies inside a span."""
    h = Highlighter(analyzer, terms=terms)
    spans = h.spans(text)
    folded = analyzer.fold(text)
    for term in terms:
        if not re.fullmatch(r"[\u4e00-\u9fff]+", term):
            continue
        start = folded.text.find(term)
        while start >= 0:
            os_, oe = folded.span(start, start + len(term))
            assert any(s <= os_ and oe <= e for s, e in spans), (term, text)
            start = folded.text.find(term, start + 1)


@_SETTINGS
@given(texts, term_sets)
def test_latin_matches_are_whole_tokens(analyzer, text, terms):
    h = Highlighter(analyzer, terms=[t for t in terms if t.isascii()])
    tokens = {analyzer.fold(text).span(m.start(), m.end()) for m in RUN_RE.finditer(analyzer.fold(text).text)}
    starts = {s for s, _ in tokens}
    ends = {e for _, e in tokens}
    for s, e in h.spans(text):
        assert s in starts and e in ends, (text, text[s:e])


@_SETTINGS
@given(
    st.lists(st.sampled_from(["running", "Runs", "ran", "shoes", "SHOE", "happily", " ", ", ", "。", "跑步"]), max_size=40)
    .map("".join)
)
def test_stemmed_spans_hold_a_stemmed_term(english, text):
    h = Highlighter(english, terms=["run", "shoe"])
    spans = h.spans(text)
    _check_spans(text, spans)
    for s, e in spans:
        stems = {t.text for t in english.analyze(text[s:e], mode="query")}
        assert stems & {"run", "shoe"}, text[s:e]


@_SETTINGS
@given(texts, term_sets, phrase_sets, st.integers(min_value=1, max_value=200))
def test_snippets_respect_limits_and_matches(analyzer, text, terms, phrases, max_chars):
    h = Highlighter(analyzer, terms=terms, phrases=phrases)
    analysis = h.match(text)
    pieces = select_fragments(text, analysis.matches, max_chars)
    assert sum(len(t) for t, _ in pieces) <= max_chars
    if text.strip():
        assert pieces
    collapse = lambda s: re.sub(r"\s+", " ", s)  # noqa: E731
    whole = {collapse(text[s:e]) for s, e in analysis.spans}
    longest = max((e - s for s, e in analysis.spans), default=0)
    if max_chars >= 8 and longest <= max_chars - 2:
        for t, marked in pieces:
            if marked:
                assert t in whole, (t, whole)
    html = h.snippet(text, format="html", max_chars=max_chars)
    assert "<" not in html.replace("<mark>", "").replace("</mark>", "")
    assert "\x1b" not in h.snippet(text, format="text", max_chars=max_chars)
    assert "\x1b" not in h.snippet(text, format="ansi", max_chars=max_chars, color=False)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200), st.lists(st.text(min_size=1, max_size=4), max_size=4), st.integers(1, 120))
def test_arbitrary_text_never_breaks(analyzer, text, terms, max_chars):
    h = Highlighter(analyzer, terms=terms, phrases=terms[:1])
    _check_spans(text, h.spans(text))
    out = h.snippet(text, format="text", max_chars=max_chars)
    assert isinstance(out, str)
    pieces = select_fragments(text, h.match(text).matches, max_chars)
    assert sum(len(t) for t, _ in pieces) <= max_chars


SENTENCES = [
    "今天天气很好，我们去公园散步。", "长沙工程机械产业发展迅速，带动了就业。", "產業集群初步形成！",
    "馬克思主義研究會召開會議；", "Investors in Jakarta watched the CZT market closely. ", "Kota-kota besar tumbuh? ",
    "没有任何关键词的一句话，只是填充内容而已。", "A car, a scar and two cars. ", "调(diào)研报告\n",
]


@_SETTINGS
@given(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=60).map("".join), term_sets, phrase_sets,
       st.integers(min_value=8, max_value=260))
def test_long_documents_get_windows_with_matches(analyzer, text, terms, phrases, max_chars):
    h = Highlighter(analyzer, terms=terms, phrases=phrases)
    found = h.match(text)
    pieces = select_fragments(text, found.matches, max_chars)
    assert sum(len(t) for t, _ in pieces) <= max_chars
    whole = {re.sub(r"\s+", " ", text[s:e]) for s, e in found.spans}
    marked = [t for t, m in pieces if m]
    if max((e - s for s, e in found.spans), default=0) <= max_chars - 2:  # else a match must be cut
        assert all(t in whole for t in marked)
        assert marked or not found.spans
    fragments = sum(1 for t, _ in pieces if t == " … ") + 1
    assert fragments <= 3


# -- every phrase hit is highlighted (end to end: the searcher finds it, the highlighter marks it)

_DOC_PIECES = list("工程机械产业集群發展长沙的了，。 ") + ["(diào)", "CZT", "czt ", "kota-kota ", "car ", "\n"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.sampled_from(_DOC_PIECES), min_size=1, max_size=40).map("".join), min_size=1, max_size=6),
       st.sampled_from(["工程机械", "产业集群", "机械产业", "长沙的", "发展", "kota-kota", "czt car"]))
def test_every_phrase_hit_gets_highlighted(tmp_path_factory, bodies: list[str], phrase: str) -> None:  # type: ignore[no-untyped-def]
    import searchlib

    ix = searchlib.Index.create(tmp_path_factory.mktemp("ph") / "ix")
    with ix.writer(workers=1) as w:
        for i, body in enumerate(bodies):
            w.add({"id": f"d{i}", "body": body})
    res = ix.search(f'"{phrase}"', limit=100)
    assert res.total == len(res)
    for hit in res:
        spans = hit.highlights("body")
        assert spans, (phrase, hit.fields["body"])  # a document the phrase matched shows a mark
        _check_spans(hit.fields["body"], spans)
    ix.close()
