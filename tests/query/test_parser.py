"""Query language → AST: golden parses, lenient handling of malformed input, and a property test
(any string parses to an AST or raises QueryError, nothing else)."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from searchlib.errors import QueryError
from searchlib.query.ast import MATCH_NONE, BooleanQuery, Phrase, Prefix, QueryNode, Term
from searchlib.query.parser import MAX_CLAUSES, MAX_DEPTH, parse


def p(q: str, **kw: object) -> str:
    return str(parse(q, **kw))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("长沙", "长沙"),
        ("a b", "a b"),
        ("a AND b", "+a +b"),
        ("a OR b", "a b"),
        ("a b AND c", "a (+b +c)"),
        ("a AND b OR c", "(+a +b) c"),
        ("+a +b c -d", "+a +b c -d"),
        ("a -b", "a -b"),
        ("a NOT b", "a -b"),
        ("a AND NOT b", "+a -b"),
        ("a OR NOT b", "a -b"),
        ("(a OR b) AND c", "+(a b) +c"),
        ('"产业集群"', '"产业集群"'),
        ("“产业集群”", '"产业集群"'),
        ('"new york"', '"new york"'),
        ("title:长沙", "title:长沙"),
        ('title:"工程机械"', 'title:"工程机械"'),
        ("title:(a b)", "title:a title:b"),
        ("body:a^2", "body:a^2"),
        ("indones*", "indones*"),
        ("工程*", "工程*"),
        ("a^2 (b c)^3", "a^2 (b c)^3"),
        ('"x y"^1.5', '"x y"^1.5'),
        ("Indonesia", "indonesia"),
        ("and or not", "and or not"),  # lower-case operators are words
        ("来源：新华社", "来源 新华社"),  # a full-width colon after a word that is no field: text
        ("http://example.com/a", "http example.com a"),  # a URL is text, not a field
        ("3:2", "3 2"),
        ('"机"', "机"),  # a one-unit phrase is a term
    ],
)
def test_golden(query: str, expected: str) -> None:
    assert p(query) == expected


def test_chinese_without_spaces_is_analyzed_into_terms_with_default_operator() -> None:
    assert p("长沙工程机械产业") == "长沙 工程机械 产业"
    assert p("长沙工程机械产业", default_operator="AND") == "+长沙 +工程机械 +产业"
    node = parse("长沙工程机械产业")
    assert isinstance(node, BooleanQuery)
    assert node.should == (Term("长沙"), Term("工程机械"), Term("产业"))


def test_traditional_folds_to_the_same_ast() -> None:
    assert parse("長沙工程機械產業") == parse("长沙工程机械产业")
    assert parse('"產業集群" title:長沙') == parse('"产业集群" title:长沙')


def test_default_operator_and_precedence() -> None:
    assert p("a b OR c", default_operator="AND") == "+a +(b c)"
    assert p("a b c", default_operator="and") == "+a +b +c"
    with pytest.raises(ValueError):
        parse("a", default_operator="XOR")


def test_phrase_units_are_characters_for_han_and_words_for_latin() -> None:
    node = parse('"工程机械产业"')
    assert node == Phrase(("工", "程", "机", "械", "产", "业"), (0, 1, 2, 3, 4, 5), "工程机械产业")
    node = parse('"New York-based"')
    assert isinstance(node, Phrase)
    assert node.units == ("new", "york", "base") and node.positions == (0, 1, 2)  # stemmed, as documents are
    # a punctuation break leaves a one-unit gap, as it does in documents
    node = parse('"长沙，工程"')
    assert isinstance(node, Phrase) and node.positions == (0, 1, 3, 4)


def test_excluded_chunk_is_a_phrase() -> None:
    assert p("产业 -长沙工程机械") == '产业 -"长沙工程机械"'
    assert p("产业 NOT 长沙工程机械") == '产业 -"长沙工程机械"'


def test_prefix_with_head_text() -> None:
    assert parse("indones*") == Prefix("indones")
    assert p("new york*") == "new york*"
    assert p("INDONES*") == "indones*"  # folded


def test_field_applies_to_groups_and_phrases() -> None:
    node = parse('title:"工程 机械"^2')
    assert isinstance(node, Phrase) and node.field == "title" and node.boost == 2.0
    assert p("title:长沙工程机械") == "title:长沙 title:工程机械"


def test_boost_multiplies() -> None:
    node = parse("(a^2)^3")
    assert node == Term("a", boost=6.0)


def test_highlight_terms_skip_excluded_and_give_phrase_text() -> None:
    terms, phrases = parse('長沙 "工程機械" -产业 indones* NOT x').highlight_terms()
    assert terms == ["长沙"]
    assert phrases == ["工程机械"]


@pytest.mark.parametrize(
    "query, expected",
    [
        ('"unclosed', "unclos"),  # one word: a term, stemmed by the default analyzer
        ('"unclosed phrase', '"unclosed phrase"'),
        ("(a OR", "a"),
        ("(a OR b", "a b"),
        ("a OR b)", "a b"),
        ("a AND", "a"),
        ("AND a", "a"),
        ("a OR OR b", "a b"),
        ("NOT", ""),
        ("title:", ""),
        ("title: a", "a"),
        ("", ""),
        ("   ", ""),
        ("。。，！？", ""),
        ("()", ""),
        ("a -", "a"),
        ("+", ""),
        ("^2", ""),
        ("a^", "a"),
        ("*", ""),
        ("a)b(", "a b"),
        ("NOT NOT a b", "b -a"),
        ("(NOT a) b", "b -a"),
    ],
)
def test_malformed_is_lenient(query: str, expected: str) -> None:
    assert p(query) == expected


@pytest.mark.parametrize("query", ["NOT a", "-a", "-a -b", "NOT (a b)", "-\"x y\""])
def test_only_exclusions_raise_query_error_with_position(query: str) -> None:
    with pytest.raises(QueryError) as err:
        parse(query)
    assert err.value.position == 0
    assert "add a term" in str(err.value)


def test_empty_query_is_match_none() -> None:
    assert parse("") == MATCH_NONE
    assert parse("，。") == MATCH_NONE


class _CountingAnalyzer:
    """The default analyzer, counting the texts it analyzes (the parser's work)."""

    def __init__(self) -> None:
        from searchlib.analysis.analyzer import default_analyzer

        self.inner = default_analyzer()
        self.calls = 0

    def analyze(self, text: str, mode: str = "index"):  # type: ignore[no-untyped-def]
        self.calls += 1
        return self.inner.analyze(text, mode=mode)

    def fold(self, text: str):  # type: ignore[no-untyped-def]
        return self.inner.fold(text)


def test_very_long_queries() -> None:
    node = parse("中国 " * 5000)  # 10,000 characters, one distinct term
    assert node == Term("中国")
    node = parse("a" * 10_000)  # one huge (over-long) Latin word: dropped by the analyzer
    assert isinstance(node, QueryNode)
    node = parse('"' + "工程机械" * 256 + '"')  # 1,024 units: the most one query may have
    assert isinstance(node, Phrase) and len(node.units) == MAX_CLAUSES
    with pytest.raises(QueryError, match="shorten") as err:
        parse('a "' + "工程机械" * 2500 + '"')  # a phrase of 10,000 units
    assert err.value.position == 2
    many = " ".join(f"w{i}" for i in range(MAX_CLAUSES + 1))
    with pytest.raises(QueryError, match="shorten") as err:
        parse(many)
    assert err.value.position == many.index(f"w{MAX_CLAUSES}")  # the term that crossed the cap


@pytest.mark.parametrize("kind, value", [("int", "{i}"), ("date", "now-{i}d")])
def test_the_cap_on_typed_values_says_the_query_is_too_long(kind: str, value: str) -> None:
    """A value clause crossing the cap is refused for its length, not as "not a number" (the
    cap's QueryError, a ValueError too, was caught as a bad value)."""
    many = " ".join(f"v:{value.format(i=i)}" for i in range(MAX_CLAUSES + 5))
    with pytest.raises(QueryError, match="more than 1024 terms"):
        parse(many, schema={"v": kind, "body": "text", "title": "text"})


def test_every_phrase_unit_counts_against_the_cap() -> None:
    """1,000 OR-ed two-character phrases are 2,000 units of work: refused at the phrase that
    crosses the cap (not at character 0), after analyzing no more than the query up to there."""
    phrases = [f'"{a}{b}"' for a in "长沙工程机械产业集群天气发展迅速人民日报新华社经济改革开放" for b in "一二三四五六七八九十甲乙丙丁戊己庚辛壬癸"]
    query = " OR ".join(phrases[:1000])
    counting = _CountingAnalyzer()
    with pytest.raises(QueryError, match="more than 1024") as err:
        parse(query, counting)  # type: ignore[arg-type]
    crossing = phrases[MAX_CLAUSES // 2]  # the 513th distinct phrase brings the units to 1,026
    assert err.value.position == query.index(crossing)
    assert f"at character {err.value.position}" in str(err.value)
    assert counting.calls <= MAX_CLAUSES // 2 + 2  # stopped there: work bounded by the cap, not the query
    assert parse(" OR ".join(phrases[: MAX_CLAUSES // 2])) is not None  # 1,024 units: accepted


def test_the_cap_bounds_the_work_of_any_long_query() -> None:
    counting = _CountingAnalyzer()
    query = " ".join(f"w{i}" for i in range(100_000)) + " (x)"  # syntax: the full parser
    with pytest.raises(QueryError):
        parse(query, counting)  # type: ignore[arg-type]
    assert counting.calls == MAX_CLAUSES + 1


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 200, 5000])
def test_deep_nesting_is_a_query_error_not_a_recursion_error(depth: int) -> None:
    query = "(" * depth + "x" + ")" * depth
    with pytest.raises(QueryError, match="nests parentheses") as err:
        parse(query)
    assert err.value.position == MAX_DEPTH  # the first parenthesis too deep
    for q in ("NOT (" * depth + "x" + ")" * depth, "+(" * depth + "x", "title:(" * depth + "a"):
        with pytest.raises(QueryError):
            parse(q)


def test_nesting_up_to_the_limit_parses() -> None:
    query = "(" * MAX_DEPTH + "x" + ")" * MAX_DEPTH
    assert p(query) == "x"
    query = "".join(f"(a{i} {'AND' if i % 2 else 'OR'} " for i in range(MAX_DEPTH)) + "z" + ")" * MAX_DEPTH
    node = parse(query)
    assert str(node).count("(") >= MAX_DEPTH - 2 and "z" in str(node)  # nested, not flattened
    node.highlight_terms()


_alphabet = st.sampled_from(list('ab 长沙工程機械"()+-*^:：“”（）ANDORNT title body 2.0。,\\\t\n') + ["AND", "OR", "NOT", "title:", "^2"])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=60), st.lists(_alphabet, max_size=25).map("".join)))
def test_any_string_parses_or_raises_query_error(query: str) -> None:
    try:
        node = parse(query)
    except QueryError as e:
        assert e.position is None or 0 <= e.position <= len(query)
        return
    assert isinstance(node, QueryNode)
    str(node)
    node.highlight_terms()


_plain_words = st.lists(
    st.sampled_from(["长沙", "工程机械产业", "長沙工程機械", "new", "York", "e", "3.5", "的", "，", "。", "and", "or",
                     "Indonesia's", "的确", "发展中国家", "ab", "x1"]),
    min_size=0, max_size=8,
)


@settings(max_examples=200, deadline=None)
@given(_plain_words, st.sampled_from(["OR", "AND"]))
def test_fast_path_equals_full_parser(words: list[str], op: str) -> None:
    from searchlib.analysis.analyzer import default_analyzer
    from searchlib.query.parser import _Parser

    q = " ".join(words)
    slow = _Parser(q, default_analyzer(), op, {"title": "text", "body": "text"}).parse()
    assert parse(q, default_operator=op) == slow


def test_unknown_field_is_a_query_error_listing_the_fields() -> None:
    with pytest.raises(QueryError, match=r"no field 'foo'; fields: .*title.*body"):
        parse("长沙 foo:bar")
