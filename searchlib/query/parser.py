"""Query string → AST (:mod:`searchlib.query.ast`).

Syntax::

    长沙 工程机械            terms, combined with the default operator (OR unless configured)
    长沙工程机械产业          text without spaces is analyzed (jieba, query mode) into several terms,
                             combined with the default operator; Traditional folds to the same terms
    "产业集群"  “产业集群”     phrase: the folded text must occur contiguously (exact, whatever the
                             segmentation); a multi-word chunk under NOT / ``-`` is also a phrase
    a AND b, a OR b, NOT a   operators (upper case only; ``and``/``or``/``not`` are plain words)
    +a -b                    required / excluded
    (a OR b) c               grouping
    title:长沙 title:"..."    field restriction of a text field
    source:新华社 tags:(经济 OR 湖南) id:a1
                             keyword (and id) fields: exact values, never analyzed
    date:2024-04-19 date:>=2024-04 date:[2024-01-01 TO 2024-03-31] date:{a TO b} date:>=now-7d
    views:>1000 views:[10 TO 99]
                             date / int / float fields: a value (a date is the span of its
                             precision), a comparison or a range (``[ ]`` inclusive, ``{ }``
                             exclusive, ``*`` open); see :mod:`searchlib.query.fieldvalues`
    indones*  工程*           prefix (expanded against the term dictionary at execution)
    broadbnd~1  broadbnd~    fuzzy: index terms within 1 (or 2, the default) Damerau-Levenshtein
                             edits; ``~0`` is the exact term
    "tram line"~3            sloppy phrase: the words within 3 positions of their places, in any
                             order (Lucene's slop; ``"a b"~2`` also matches ``b a``)
    a^2 "x y"^1.5 (a b)^3    boosts

Field filters (keyword, id, date, int, float clauses) never score. Next to other clauses (by
juxtaposition or AND) they are required filters, as ``site:`` is in a web search: ``长沙
source:新华社`` is 长沙 among 新华社's documents; joined by an explicit OR they are alternatives.
A ``name:`` that names no field of the index, a value that does not parse for its field's kind,
and a misused ``~`` (a distance other than 0, 1, 2; a fuzzy prefix or several words; a slop that is
not a whole number) raise :class:`~searchlib.errors.QueryError` naming them.

Precedence, loosest first: juxtaposition (the default operator) < ``OR`` < ``AND`` < ``NOT``/``+``/``-``.
With the default operator OR, ``a b AND c`` means ``a OR (b AND c)``; with AND, ``a b OR c`` means
``a AND (b OR c)``.

Malformed input is interpreted leniently rather than rejected: an unclosed quote runs to the end,
an unclosed parenthesis closes at the end, a stray ``)`` and dangling ``AND``/``OR``/``NOT``/``+``/
``-``/``title:`` are ignored, a boost that is not a number is plain text, punctuation-only text and
the empty query mean "match nothing". Three things raise :class:`~searchlib.errors.QueryError` with
the position to fix: a query whose every clause is excluded (``-a``, ``NOT a``); a query with more
than :data:`MAX_CLAUSES` units of work (every distinct term and prefix counts one, every distinct
phrase counts its units: 1,000 two-character phrases are 2,000), counted while parsing, so an
over-long query stops at the clause that crosses the cap and the error points there; and
parentheses nested more than :data:`MAX_DEPTH` deep. Nothing here recurses deeper than that, so no
input can exhaust the stack. Property-tested: any string gives an AST or a QueryError.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from searchlib.analysis.tokenize import HAN_CHARS, RUN_RE
from searchlib.errors import QueryError
from searchlib.query.ast import (
    MATCH_NONE,
    BooleanQuery,
    FieldFilter,
    Fuzzy,
    Phrase,
    Prefix,
    QueryNode,
    Term,
)
from searchlib.query.fieldvalues import between, range_node
from searchlib.query.lexer import (
    Lex,
    lex,
)

if TYPE_CHECKING:
    from searchlib.analysis.analyzer import Analyzer

__all__ = ["DEFAULT_FIELDS", "MAX_CLAUSES", "MAX_DEPTH", "parse"]

DEFAULT_FIELDS = ("title", "body")
# Lucene's BooleanQuery.maxClauseCount, counted in units of work: distinct terms and prefixes count
# one, distinct phrases one per unit (their cost grows with the units: one postings list each).
MAX_CLAUSES = 1024
# Parentheses deeper than this are refused: the parser, the AST's walks and the searcher recurse
# once or twice per level, far below Python's recursion limit at this depth.
MAX_DEPTH = 32
MAX_BOOST = 1e6

_HAN_RE = re.compile(f"[{HAN_CHARS}]")
# Queries without any syntax (the common case: words separated by spaces) are analyzed in one
# call: the analyzer splits at whitespace exactly as the per-word path would.
_SYNTAX_RE = re.compile(r'["“”＂()（）+\-*^:：~]|\b(?:AND|OR|NOT)\b')
_COMPARE_RE = re.compile(r"(>=|<=|>|<|=)?(.+)\Z", re.S)


# --------------------------------------------------------------------------- parser


@dataclass
class _Clause:
    occur: str  # "+", "-" or "" (default)
    node: QueryNode
    pos: int
    chunk: str | None = None  # raw text of a multi-term chunk (phrased when excluded)


class _Parser:
    def __init__(self, text: str, analyzer: Analyzer, default_operator: str, kinds: dict[str, str]):
        self.text = text
        self.analyzer = analyzer
        self.default_and = default_operator == "AND"
        self.names = {n.lower(): n for n in kinds}  # field names are matched case-insensitively
        self.fields = {n.lower(): k for n, k in kinds.items()}  # lower-case name -> kind
        self.lex = lex(text, self.fields)
        self.i = 0
        self.value_field: str | None = None  # inside "tags:( ... )": values of this non-text field
        self.units = 0  # MAX_CLAUSES accounting over distinct leaves
        self._counted: set[object] = set()

    # -- helpers ----------------------------------------------------------------------------
    def peek(self) -> Lex | None:
        return self.lex[self.i] if self.i < len(self.lex) else None

    def count(self, node: QueryNode, pos: int) -> QueryNode:
        """Count a new leaf against :data:`MAX_CLAUSES` (duplicates are free: they are merged)."""
        if isinstance(node, Phrase):
            key: object = (Phrase, node.units, node.positions)
            size = len(node.units)
        else:
            key, size = (type(node), str(node)), 1
        if key not in self._counted:
            self._counted.add(key)
            self.units += size
            if self.units > MAX_CLAUSES:
                raise QueryError(
                    f"the query has more than {MAX_CLAUSES} terms (every term, prefix and phrase word counts); "
                    "shorten it here",
                    pos,
                )
        return node

    def next_is_glued_primary(self) -> bool:
        nxt = self.peek()
        return nxt is not None and nxt.glued and nxt.kind in ("WORD", "FUZZY", "PHRASE", "LP", "FIELD")

    # -- grammar ----------------------------------------------------------------------------
    def parse(self) -> QueryNode:
        clauses = self.sequence(depth=0)
        node = _combine(clauses, self.default_and, juxtaposed=True)
        node = _simplify(node)
        if isinstance(node, BooleanQuery) and node.is_empty and node.must_not:
            first = min((c.pos for c in clauses if c.occur == "-"), default=0)
            raise QueryError(
                "the query only excludes documents; add a term to search for (e.g. 'a -b')", first
            )
        return node

    def sequence(self, depth: int) -> list[_Clause]:
        clauses: list[_Clause] = []
        while True:
            tok = self.peek()
            if tok is None:
                return clauses
            if tok.kind == "RP":
                self.i += 1
                if depth > 0:
                    return clauses
                continue  # a stray ')' is ignored
            clause = self.disjunction(depth)
            if clause is not None:
                clauses.append(clause)

    def disjunction(self, depth: int) -> _Clause | None:
        first = self.conjunction(depth)
        parts = [first] if first is not None else []
        while (tok := self.peek()) is not None and tok.kind == "OR":
            self.i += 1
            nxt = self.conjunction(depth)
            if nxt is not None:
                parts.append(nxt)
        if len(parts) <= 1:
            return parts[0] if parts else None
        return _Clause("", _combine(parts, use_and=False), parts[0].pos)

    def conjunction(self, depth: int) -> _Clause | None:
        first = self.unary(depth)
        parts = [first] if first is not None else []
        while (tok := self.peek()) is not None and tok.kind == "AND":
            self.i += 1
            nxt = self.unary(depth)
            if nxt is not None:
                parts.append(nxt)
        if len(parts) <= 1:
            return parts[0] if parts else None
        return _Clause("", _combine(parts, use_and=True), parts[0].pos)

    def unary(self, depth: int) -> _Clause | None:
        tok = self.peek()
        if tok is None or tok.kind == "RP":
            return None
        if tok.kind in ("AND", "OR"):  # dangling operator: ignored
            self.i += 1
            return None
        if tok.kind == "NOT":
            while (t := self.peek()) is not None and t.kind == "NOT":  # NOT NOT a == NOT a
                self.i += 1
            inner = self.unary(depth)
            if inner is None:
                return None
            return self._negate(inner, tok.pos)
        if tok.kind == "SIGN":
            self.i += 1
            if not self.next_is_glued_primary():
                return None  # a lone '+' / '-'
            inner = self.primary(depth)
            if inner is None:
                return None
            if tok.text == "-":
                return self._negate(inner, tok.pos)
            inner.occur, inner.pos = "+", tok.pos
            return inner
        return self.primary(depth)

    def _negate(self, clause: _Clause, pos: int) -> _Clause:
        node = clause.node
        if clause.chunk is not None:  # "-长沙工程机械": exclude the exact text, not any of its words
            phrased = self._phrase(clause.chunk, pos)
            if phrased is not None:
                field = _leaf_field(node)
                node = phrased if field is None else phrased.with_field(field)
        return _Clause("-", node, pos)

    def primary(self, depth: int) -> _Clause | None:
        tok = self.peek()
        if tok is None:
            return None
        field: str | None = None
        outer_value_field = self.value_field
        if tok.kind == "FIELD":
            self.i += 1
            nxt = self.peek()
            if nxt is None or not nxt.glued or nxt.kind not in ("WORD", "FUZZY", "PHRASE", "LP", "RANGE"):
                if self.fields.get(tok.text, "text") != "text":
                    raise QueryError(f"{tok.text}: needs a value", tok.pos)
                return None  # "title:" with nothing after it
            field = tok.text
            if self.fields.get(field, "text") != "text":
                self.value_field = field
            tok = self.lex[self.i]
        clause: _Clause | None
        try:
            if tok.kind == "LP":
                if depth >= MAX_DEPTH:
                    raise QueryError(f"the query nests parentheses more than {MAX_DEPTH} deep; remove some", tok.pos)
                self.i += 1
                inner = self.sequence(depth + 1)
                node = _combine(inner, self.default_and, juxtaposed=True) if inner else MATCH_NONE
                clause = _Clause("", node, tok.pos) if inner else None
            elif tok.kind == "RANGE":
                self.i += 1
                clause = self._range(tok.text, tok.pos)
            elif tok.kind == "PHRASE":
                self.i += 1
                slop = self.lex[self.i] if self.i < len(self.lex) and self.lex[self.i].kind == "SLOP" else None
                if slop is not None:
                    self.i += 1
                if self.value_field is not None:
                    if slop is not None:
                        raise QueryError(f"~{slop.text} (slop) applies to phrases of text fields, not {self.value_field}:", slop.pos)
                    clause = self._value(tok.text, tok.pos)
                else:
                    node_ = self._phrase(tok.text, tok.pos)
                    if slop is not None and slop.arg and isinstance(node_, Phrase):
                        node_ = Phrase(node_.units, node_.positions, node_.text, node_.field, node_.boost, slop.arg)
                    clause = _Clause("", node_, tok.pos) if node_ is not None else None
            elif tok.kind == "WORD":
                self.i += 1
                clause = self._value(tok.text, tok.pos) if self.value_field is not None else self._word(tok.text, tok.pos)
            elif tok.kind == "FUZZY":
                self.i += 1
                if self.value_field is not None:  # "tags:(a~1)": a keyword value is taken as written
                    clause = self._value(self.text[tok.pos:].split()[0].rstrip(")）"), tok.pos)
                else:
                    clause = self._fuzzy(tok.text, tok.arg, tok.pos)
            elif tok.kind == "SLOP":  # only ever follows a phrase (consumed there)
                self.i += 1
                return None
            elif tok.kind == "BOOST":  # "^2" with nothing to boost: ignored
                self.i += 1
                return None
            else:  # an operator where a primary was expected (e.g. "title:AND"); the caller handles it
                return None
        finally:
            self.value_field = outer_value_field
        boost = 1.0
        while (b := self.peek()) is not None and b.kind == "BOOST" and b.glued:
            self.i += 1
            boost *= min(float(b.text), MAX_BOOST)
        if clause is None:
            return None
        if field is not None:
            clause.node = clause.node.with_field(self.names[field])
        if boost != 1.0:
            clause.node = clause.node.with_boost(boost)
        return clause

    # -- leaves -----------------------------------------------------------------------------
    def _value(self, text: str, pos: int) -> _Clause:
        """A value of the non-text field in context: ``新华社``, ``2024-04``, ``>=now-7d``."""
        assert self.value_field is not None
        kind = self.fields[self.value_field]
        field = self.names[self.value_field]
        if kind in ("keyword", "id"):
            return _Clause("", self.count(FieldFilter(field, (text,)), pos), pos)
        m = _COMPARE_RE.match(text)
        op = (m.group(1) if m else None) or "="
        value = m.group(2) if m else text
        try:
            node = range_node(field, kind, op, value, label=text)
        except (ValueError, OverflowError):
            raise QueryError(f"{field}:{text} — {value!r} is not a {'date' if kind == 'date' else 'number'}", pos) from None
        return _Clause("", self.count(node, pos), pos)  # outside the try: its QueryError is a ValueError too

    def _range(self, text: str, pos: int) -> _Clause:
        """``[a TO b]`` / ``{a TO b}`` / mixed brackets, ``*`` for an open end."""
        kind = self.fields.get(self.value_field or "", "text")
        field = self.names.get(self.value_field or "")
        if field is None or kind in ("keyword", "id", "text", "stored"):
            raise QueryError(f"ranges need a date, int or float field, not {field or 'a text field'}", pos)
        parts = re.split(r"\s+TO\s+", text[1:-1].strip())
        if len(parts) != 2:
            raise QueryError(f"a range is written [from TO to], got {text!r}", pos)
        lo, hi = (None if p.strip() == "*" else p.strip() for p in parts)
        try:
            node = between(field, kind, lo, text[0] == "[", hi, text[-1] == "]", label=text)
        except (ValueError, OverflowError):
            raise QueryError(f"{field}:{text} — a bound is not a {'date' if kind == 'date' else 'number'}", pos) from None
        return _Clause("", self.count(node, pos), pos)

    def _word(self, text: str, pos: int) -> _Clause | None:
        stripped = text.rstrip("*")
        if stripped != text:
            return self._prefix(stripped, pos)
        leaves = query_leaves(self.analyzer.analyze(text, mode="query"))
        if not leaves:
            return None
        if len(leaves) == 1:
            return _Clause("", self.count(leaves[0], pos), pos)
        group = _combine([_Clause("", self.count(leaf, pos), pos) for leaf in leaves], self.default_and)
        return _Clause("", group, pos, chunk=text)

    def _fuzzy(self, text: str, distance: int, pos: int) -> _Clause | None:
        terms = list(dict.fromkeys(t.text for t in self.analyzer.analyze(text, mode="query")))
        if not terms:
            return None
        if len(terms) > 1:
            raise QueryError(
                f"fuzzy search takes one word; {text!r} is {len(terms)} ({', '.join(terms[:4])}): "
                "put ~ after each word", pos)
        return _Clause("", Term(terms[0]) if distance == 0 else Fuzzy(terms[0], distance), pos)

    def _prefix(self, text: str, pos: int) -> _Clause | None:
        folded = self.analyzer.fold(text).text
        runs = list(RUN_RE.finditer(folded))
        if not runs:
            return None
        last = runs[-1]
        prefix_node = self.count(Prefix(last.group()), pos)
        head = folded[: last.start()]
        head_terms = list(dict.fromkeys(t.text for t in self.analyzer.analyze(head, mode="query")))
        if not head_terms:
            return _Clause("", prefix_node, pos)
        parts = [_Clause("", self.count(Term(t), pos), pos) for t in head_terms] + [_Clause("", prefix_node, pos)]
        return _Clause("", _combine(parts, self.default_and), pos)

    def _phrase(self, text: str, pos: int) -> QueryNode | None:
        tokens = self.analyzer.analyze(text, mode="query")
        units: list[tuple[int, str]] = []
        for tok in tokens:
            if _HAN_RE.match(tok.text):
                units.extend((tok.position + k, ch) for k, ch in enumerate(tok.text))
            else:
                units.append((tok.position, tok.text))
        if not units:
            return None
        if len(units) > MAX_CLAUSES:  # before sorting or folding a huge phrase
            raise QueryError(f"the phrase has {len(units)} words, more than the {MAX_CLAUSES} a query may have; "
                             "shorten it", pos)
        units.sort()
        if len(units) == 1:
            return self.count(Term(units[0][1]), pos)
        base = units[0][0]
        folded = " ".join(self.analyzer.fold(text).text.split())
        return self.count(Phrase(tuple(u for _, u in units), tuple(p - base for p, _ in units), folded), pos)


def query_leaves(tokens: list[Any]) -> list[QueryNode]:
    """The leaves of a run of query text: one term per distinct token, except that single Han
    characters written together -- what jieba leaves of a word its dictionary lacks (``赤鱲角``
    → 赤 / 鱲 / 角) -- become the phrase of those characters, never an OR of single characters."""
    out: list[QueryNode] = []
    run: list[Any] = []

    def flush() -> None:
        if len(run) >= 2:
            chars = tuple(t.text for t in run)
            out.append(Phrase(chars, tuple(range(len(chars))), "".join(chars)))
        elif run:
            out.append(Term(run[0].text))
        run.clear()

    for tok in tokens:
        single_han = len(tok.text) == 1 and _HAN_RE.match(tok.text) is not None
        if single_han and run and tok.position == run[-1].position + 1 and tok.start == run[-1].end:
            run.append(tok)
            continue
        flush()
        if single_han:
            run.append(tok)
        else:
            out.append(Term(tok.text))
    flush()
    return list(dict.fromkeys(out))


def _leaf_field(node: QueryNode) -> str | None:
    for n in node.iter_nodes():
        if not isinstance(n, BooleanQuery):
            return n.field
    return None


# --------------------------------------------------------------------------- tree building


def _is_filter(node: QueryNode) -> bool:
    if isinstance(node, BooleanQuery):
        return not node.must and not node.must_not and all(_is_filter(c) for c in (*node.should, *node.filter))
    return node.is_filter


def _combine(clauses: list[_Clause], use_and: bool, juxtaposed: bool = False) -> QueryNode:
    """One BooleanQuery from clauses joined by AND (``use_and``) or OR. Field filters joined by
    juxtaposition or AND become required, unscored ``filter`` clauses."""
    if not clauses:
        return MATCH_NONE
    if len(clauses) == 1 and clauses[0].occur == "":
        return clauses[0].node
    must: list[QueryNode] = []
    should: list[QueryNode] = []
    must_not: list[QueryNode] = []
    filters: list[QueryNode] = []
    for c in clauses:
        if c.occur == "-":
            must_not.append(c.node)
        elif (juxtaposed or use_and or c.occur == "+") and _is_filter(c.node):
            filters.append(c.node)
        elif c.occur == "+" or use_and:
            must.append(c.node)
        else:
            should.append(c.node)
    return BooleanQuery(tuple(must), tuple(should), tuple(must_not), filter=tuple(filters))


def _simplify(node: QueryNode) -> QueryNode:
    """Flatten redundant nesting, lift pure exclusions, drop duplicate and empty clauses."""
    if not isinstance(node, BooleanQuery):
        return node
    must: list[QueryNode] = []
    should: list[QueryNode] = []
    must_not: list[QueryNode] = []
    filters: list[QueryNode] = []
    lists = {"must": must, "should": should, "must_not": must_not, "filter": filters}
    for occur, clauses in (("must", node.must), ("should", node.should), ("must_not", node.must_not),
                           ("filter", node.filter)):
        for clause in clauses:
            c = _simplify(clause)
            if isinstance(c, BooleanQuery):
                if c.is_empty and not c.must_not:
                    continue  # an empty group: ignored (lenient), wherever it stands
                if occur not in ("must_not", "filter") and c.is_empty:
                    must_not.extend(c.must_not)  # "(NOT a) b" means "b -a"
                    continue
                if c.boost == 1.0 and occur == "should" and not c.must and not c.must_not and not c.filter:
                    should.extend(c.should)
                    continue
                if c.boost == 1.0 and occur == "must" and not c.should:
                    must.extend(c.must)
                    must_not.extend(c.must_not)
                    filters.extend(c.filter)
                    continue
                if c.boost == 1.0 and occur == "must_not" and not c.must and not c.must_not and not c.filter:
                    must_not.extend(c.should)  # -(a OR b) == -a -b
                    continue
                if occur == "filter" and not c.must and not c.should and not c.must_not:
                    filters.extend(c.filter)
                    continue
            lists[occur].append(c)
    must = list(dict.fromkeys(must))
    should = [c for c in dict.fromkeys(should) if c not in must]
    must_not = list(dict.fromkeys(must_not))
    filters = list(dict.fromkeys(filters))
    if not must and not should and not must_not and not filters:
        return MATCH_NONE
    if len(must) == 1 and not should and not must_not and not filters:
        only = must[0]
        return only.with_boost(node.boost) if node.boost != 1.0 else only
    if len(should) == 1 and not must and not must_not and not filters:
        only = should[0]
        return only.with_boost(node.boost) if node.boost != 1.0 else only
    if len(filters) == 1 and not must and not should and not must_not:
        return filters[0]
    return BooleanQuery(tuple(must), tuple(should), tuple(must_not), node.boost, filter=tuple(filters))


# --------------------------------------------------------------------------- entry point


def parse(
    query: str,
    analyzer: Analyzer | None = None,
    *,
    default_operator: str = "OR",
    fields: tuple[str, ...] | list[str] = DEFAULT_FIELDS,
    schema: Mapping[str, str] | None = None,
) -> QueryNode:
    """Parse ``query`` into an AST, analyzing text with ``analyzer`` (query mode).

    ``schema``: the index's field kinds (``{name: kind}``), for ``field:`` clauses of every kind;
    without it, ``fields`` are the text fields accepted in ``field:`` restrictions. Returns
    :data:`MATCH_NONE` (an empty :class:`BooleanQuery`) for an empty or punctuation-only query;
    raises :class:`~searchlib.errors.QueryError` only for the cases listed in the module docstring.
    """
    if not isinstance(query, str):
        raise TypeError(f"query must be a string, got {type(query).__name__}")
    op = str(default_operator).upper()
    if op not in ("OR", "AND"):
        raise ValueError(f"default_operator must be 'OR' or 'AND', got {default_operator!r}")
    if analyzer is None:
        from searchlib.analysis.analyzer import default_analyzer

        analyzer = default_analyzer()
    if len(query) <= 1000 and not _SYNTAX_RE.search(query):
        leaves = query_leaves(analyzer.analyze(query, mode="query"))
        if len(leaves) <= 1:
            return leaves[0] if leaves else MATCH_NONE
        clauses = tuple(leaves)
        return BooleanQuery(must=clauses) if op == "AND" else BooleanQuery(should=clauses)
    kinds = {"id": "id", **dict(schema)} if schema is not None else {f: "text" for f in fields}
    return _Parser(query, analyzer, op, kinds).parse()
