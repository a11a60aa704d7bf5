"""Fuzzing the text inputs (stress): the query parser, the analyzer, the boilerplate cleaner and
``add_page`` take ANY string and answer with a result that keeps their contracts or a
SearchlibError; never another exception, and (the parser) never a RecursionError however deep the
nesting.

Each gets 500 hypothesis examples (arbitrary Unicode: surrogates, controls, astral characters;
shrunk to a minimal failing input) and then 50,000 seeded random inputs (the bulk: generated
cheaply, reproducible from the seed and the index printed on failure). SEARCHLIB_FUZZ_EXAMPLES and
SEARCHLIB_FUZZ_INPUTS change the two numbers. Inputs mix arbitrary characters with fragments that
exercise the code paths: query syntax, Han and Latin text, pinyin annotations, boilerplate cues,
long runs and deep nesting.
"""
from __future__ import annotations

import os
import random
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import searchlib
from searchlib.analysis.analyzer import Analyzer, default_analyzer
from searchlib.analysis.boilerplate import REASONS, clean
from searchlib.errors import DocumentError, QueryError
from searchlib.query.ast import QueryNode
from searchlib.query.parser import parse

pytestmark = pytest.mark.stress

N_EXAMPLES = int(os.environ.get("SEARCHLIB_FUZZ_EXAMPLES", "500"))
N_RANDOM = int(os.environ.get("SEARCHLIB_FUZZ_INPUTS", "50000"))
_SETTINGS = settings(max_examples=N_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)

_QUERY_BITS = ['"', "“", "”", "(", ")", "（", "）", "+", "-", "*", "^", "^2", "^0.5", ":", "：", "AND", "OR", "NOT",
               "title:", "body:", " ", "\t", "\n", "长沙", "工程机械", "長沙", "new york", "e-commerce", "a", "3.5",
               "。", "，", "\x00", "\ud800", "𠀀", "调(diào)", "((((((((((", "))))))))))", "NOT NOT", "*" * 5]
_TEXT_BITS = ["长沙", "工程机械产业集群", "長沙晚報(bào)", "調(diào)研", "New York-based", "Indonesia's", "e-commerce",
              "2023-05-12", "10:30", "来源:", "摘要:", "相关文章", "Share:", "Baca Juga:", "©", "By Li Wei", "|", " > ",
              "\n", "\r\n", "\t", "　", "\u200b", "\x00", "\ud800", "𠀀", "Ａ", "ﬁ", "İ", "ß", "。", "，", "...", "(一)"]

_ALPHABET = [chr(c) for c in [*range(0, 0x80), *range(0x4E00, 0x4E40), 0x3000, 0x3002, 0xFF0C, 0xD800, 0xDFFF, 0x200B,
                               0x85, 0x2028, 0xFEFF, 0x1F600, 0x20000, 0x0301, 0xFB01, 0x130, 0xDF, 0xFF21]]


def _random_strings(seed: int, bits: list[str], longest: int) -> Iterator[tuple[int, str]]:
    """``(i, text)``: seeded random strings of fragments and arbitrary characters, and deep nests."""
    rng = random.Random(seed)
    for i in range(N_RANDOM):
        r = rng.random()
        if r < 0.05:
            d = rng.randint(0, 3000)
            yield i, "(" * d + rng.choice(bits) + ")" * rng.randint(0, d)
        elif r < 0.4:
            yield i, "".join(rng.choices(_ALPHABET, k=rng.randint(0, longest)))
        else:
            yield i, "".join(rng.choice(bits) if rng.random() < 0.7 else rng.choice(_ALPHABET)
                             for _ in range(rng.randint(0, longest // 3)))


def _bulk(seed: int, bits: list[str], longest: int, check: Callable[[str], None]) -> None:
    for i, text in _random_strings(seed, bits, longest):
        try:
            check(text)
        except BaseException as exc:
            raise AssertionError(f"random input {i} of seed {seed} failed: {text[:200]!r}: {exc!r}") from exc


queries = st.one_of(st.text(max_size=80), st.lists(st.sampled_from(_QUERY_BITS), max_size=40).map("".join),
                    st.integers(0, 400).map(lambda d: "(" * d + "x" + ")" * d))
texts = st.one_of(st.text(max_size=200), st.lists(st.one_of(st.sampled_from(_TEXT_BITS), st.text(max_size=6)),
                                                   max_size=60).map("".join))


def _parse_ok(query: str, op: str) -> None:
    try:
        node = parse(query, default_operator=op)
    except QueryError as exc:
        assert exc.position is None or 0 <= exc.position <= len(query)
        return
    assert isinstance(node, QueryNode)
    str(node)
    node.highlight_terms()


def test_parser_takes_any_string() -> None:
    given(queries, st.sampled_from(["OR", "AND"]))(_SETTINGS(_parse_ok))()
    _bulk(1, _QUERY_BITS, 120, lambda q: _parse_ok(q, "AND" if len(q) % 3 == 0 else "OR"))


_STEMMED = Analyzer(stemmer="english")


def _analyze_ok(text: str, stemmed: bool) -> None:
    analyzer = _STEMMED if stemmed else default_analyzer()
    for mode in ("index", "query"):
        tokens = analyzer.analyze(text, mode)  # type: ignore[arg-type]
        for t in tokens:
            assert 0 <= t.start < t.end <= len(text) and t.text and t.position >= 0
    terms = analyzer.index_terms(text)
    # every position is inside the field's length (check() relies on it: searchlib.index.check)
    assert len(terms.terms) == len(terms.positions) and all(0 <= p < terms.length for p in terms.positions)


def test_analyzer_takes_any_string() -> None:
    given(texts, st.booleans())(_SETTINGS(_analyze_ok))()
    _bulk(2, _TEXT_BITS, 150, lambda t: _analyze_ok(t, len(t) % 2 == 0))


def _clean_ok(text: str) -> None:
    res = clean(text)
    for line in res.lines:
        assert text[line.start:line.end] == line.text and line.reason in REASONS
    assert res.text == "\n".join(line.text for line in res.lines if line.kept)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in res.metadata.items())


def test_cleaner_takes_any_string() -> None:
    given(texts)(_SETTINGS(_clean_ok))()
    _bulk(3, [*_TEXT_BITS, "\n", "\n", "\n\n"], 200, _clean_ok)


def test_add_page_takes_any_string(tmp_path: Path) -> None:
    """Random pages and ids through one writer (committed every 5,000): every page is stored as
    returned, or refused with DocumentError; the index checks whole at the end."""
    ix = searchlib.Index.create(tmp_path / "ix")
    writer = ix.writer(workers=1)
    added: dict[str, dict[str, str]] = {}

    def add(raw: str, doc_id: str) -> None:
        try:
            doc = writer.add_page(raw, id=doc_id)
        except DocumentError:
            return
        assert doc["id"] == doc_id and all(isinstance(v, str) for v in doc.values())
        added[doc_id] = doc
        if len(added) % 5000 == 0:
            writer.commit()

    try:
        given(texts, st.one_of(st.text(min_size=1, max_size=12), st.integers(0, 10**6).map(str)))(_SETTINGS(add))()
        rng = random.Random(4)
        _bulk(4, [*_TEXT_BITS, "\n", "\n"], 200, lambda t: add(t, rng.choice([t[:8], str(rng.randint(0, 10**6))]) or "x"))
        writer.commit()
    finally:
        writer.close()
    sample = list(added.items())[:: max(len(added) // 500, 1)]
    for doc_id, doc in sample:
        assert ix.get(doc_id) == doc
    assert len(ix) == len(added)
    ix.check()
    print(f"\nadd_page: {len(added)} distinct pages stored, index checked")
