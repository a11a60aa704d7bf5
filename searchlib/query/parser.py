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
    title:长沙 title:"..."    field restriction (searchable fields only; ``foo:bar`` with an unknown
                             field is plain text)
    indones*  工程*           prefix (expanded against the term dictionary at execution)
    a^2 "x y"^1.5 (a b)^3    boosts

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
from dataclasses import dataclass
from typing import TYPE_CHECKING

from searchlib.analysis.tokenize import HAN_CHARS, RUN_RE
from searchlib.errors import QueryError
from searchlib.query.ast import MATCH_NONE, BooleanQuery, Phrase, Prefix, QueryNode, Term

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

_OPEN_PAREN = "(（"
_CLOSE_PAREN = ")）"
_QUOTES = '"“”＂'
_STOP = set(_OPEN_PAREN + _CLOSE_PAREN + _QUOTES)
_OPERATORS = ("AND", "OR", "NOT")
_FIELD_RE = re.compile(r"([^\W\d][\w.]*)[:：](.*)\Z", re.S)
_BOOST_RE = re.compile(r"(.*)\^(\d{1,6}(?:\.\d{1,6})?)\Z", re.S)
_HAN_RE = re.compile(f"[{HAN_CHARS}]")
# Queries without any syntax (the common case: words separated by spaces) are analyzed in one
# call: the analyzer splits at whitespace exactly as the per-word path would.
_SYNTAX_RE = re.compile(r'["“”＂()（）+\-*^:：]|\b(?:AND|OR|NOT)\b')


# --------------------------------------------------------------------------- lexer


@dataclass
class _Lex:
    kind: str  # LP RP PHRASE WORD AND OR NOT SIGN FIELD BOOST
    text: str
    pos: int
    glued: bool  # no whitespace between the previous lexeme and this one


def _lex(s: str, fields: tuple[str, ...]) -> list[_Lex]:
    out: list[_Lex] = []
    i, n = 0, len(s)
    glued = False
    while i < n:
        c = s[i]
        if c.isspace():
            i += 1
            glued = False
            continue
        if c in _OPEN_PAREN:
            out.append(_Lex("LP", c, i, glued))
            i += 1
        elif c in _CLOSE_PAREN:
            out.append(_Lex("RP", c, i, glued))
            i += 1
        elif c in _QUOTES:
            j = i + 1
            while j < n and s[j] not in _QUOTES:
                j += 1
            out.append(_Lex("PHRASE", s[i + 1:j], i, glued))
            i = j + 1  # past the closing quote (or the end: an unclosed quote runs to the end)
        else:
            j = i
            while j < n and not s[j].isspace() and s[j] not in _STOP:
                j += 1
            _lex_word(s[i:j], i, glued, fields, out)
            i = j
        glued = True
    return out


def _lex_word(word: str, pos: int, glued: bool, fields: tuple[str, ...], out: list[_Lex]) -> None:
    """Split one whitespace/quote/paren-delimited word into modifiers and its text."""
    if word in _OPERATORS:
        out.append(_Lex(word, word, pos, glued))
        return
    if word[0] in "+-":
        out.append(_Lex("SIGN", word[0], pos, glued))
        word, pos, glued = word[1:], pos + 1, True
        if not word:
            return
    m = _FIELD_RE.match(word)
    if m and m.group(1).lower() in fields:  # an unknown "foo:bar" stays plain text
        out.append(_Lex("FIELD", m.group(1).lower(), pos, glued))
        rest = m.group(2)
        pos, glued = pos + len(word) - len(rest), True
        word = rest
        if not word:
            return
    m = _BOOST_RE.match(word)
    if m:
        if m.group(1):
            out.append(_Lex("WORD", m.group(1), pos, glued))
            glued = True
        out.append(_Lex("BOOST", m.group(2), pos + len(m.group(1)), glued))
        return
    out.append(_Lex("WORD", word, pos, glued))


# --------------------------------------------------------------------------- parser


@dataclass
class _Clause:
    occur: str  # "+", "-" or "" (default)
    node: QueryNode
    pos: int
    chunk: str | None = None  # raw text of a multi-term chunk (phrased when excluded)


class _Parser:
    def __init__(self, text: str, analyzer: Analyzer, default_operator: str, fields: tuple[str, ...]):
        self.text = text
        self.analyzer = analyzer
        self.default_and = default_operator == "AND"
        self.fields = fields
        self.lex = _lex(text, fields)
        self.i = 0
        self.units = 0  # MAX_CLAUSES accounting over distinct leaves
        self._counted: set[object] = set()

    # -- helpers ----------------------------------------------------------------------------
    def peek(self) -> _Lex | None:
        return self.lex[self.i] if self.i < len(self.lex) else None

    def count(self, node: QueryNode, pos: int) -> QueryNode:
        """Count a new leaf against :data:`MAX_CLAUSES` (duplicates are free: they are merged)."""
        if isinstance(node, Phrase):
            key: object = (Phrase, node.units, node.positions)
            size = len(node.units)
        else:
            key, size = (type(node), node.prefix if isinstance(node, Prefix) else node.text), 1  # type: ignore[attr-defined]
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
        return nxt is not None and nxt.glued and nxt.kind in ("WORD", "PHRASE", "LP")

    # -- grammar ----------------------------------------------------------------------------
    def parse(self) -> QueryNode:
        clauses = self.sequence(depth=0)
        node = _combine(clauses, self.default_and)
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
        if tok.kind == "FIELD":
            self.i += 1
            if not self.next_is_glued_primary():
                return None  # "title:" with nothing after it
            field = tok.text
            tok = self.lex[self.i]
        clause: _Clause | None
        if tok.kind == "LP":
            if depth >= MAX_DEPTH:
                raise QueryError(f"the query nests parentheses more than {MAX_DEPTH} deep; remove some", tok.pos)
            self.i += 1
            inner = self.sequence(depth + 1)
            node = _combine(inner, self.default_and) if inner else MATCH_NONE
            clause = _Clause("", node, tok.pos) if inner else None
        elif tok.kind == "PHRASE":
            self.i += 1
            node_ = self._phrase(tok.text, tok.pos)
            clause = _Clause("", node_, tok.pos) if node_ is not None else None
        elif tok.kind == "WORD":
            self.i += 1
            clause = self._word(tok.text, tok.pos)
        elif tok.kind == "BOOST":  # "^2" with nothing to boost: ignored
            self.i += 1
            return None
        else:  # an operator where a primary was expected (e.g. "title:AND"); the caller handles it
            return None
        boost = 1.0
        while (b := self.peek()) is not None and b.kind == "BOOST" and b.glued:
            self.i += 1
            boost *= min(float(b.text), MAX_BOOST)
        if clause is None:
            return None
        if field is not None:
            clause.node = clause.node.with_field(field)
        if boost != 1.0:
            clause.node = clause.node.with_boost(boost)
        return clause

    # -- leaves -----------------------------------------------------------------------------
    def _word(self, text: str, pos: int) -> _Clause | None:
        stripped = text.rstrip("*")
        if stripped != text:
            return self._prefix(stripped, pos)
        tokens = self.analyzer.analyze(text, mode="query")
        terms = list(dict.fromkeys(t.text for t in tokens))
        if not terms:
            return None
        if len(terms) == 1:
            return _Clause("", self.count(Term(terms[0]), pos), pos)
        group = _combine([_Clause("", self.count(Term(t), pos), pos) for t in terms], self.default_and)
        return _Clause("", group, pos, chunk=text)

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


def _leaf_field(node: QueryNode) -> str | None:
    for n in node.iter_nodes():
        if not isinstance(n, BooleanQuery):
            return n.field
    return None


# --------------------------------------------------------------------------- tree building


def _combine(clauses: list[_Clause], use_and: bool) -> QueryNode:
    """One BooleanQuery from clauses joined by AND (``use_and``) or OR."""
    if not clauses:
        return MATCH_NONE
    if len(clauses) == 1 and clauses[0].occur == "":
        return clauses[0].node
    must: list[QueryNode] = []
    should: list[QueryNode] = []
    must_not: list[QueryNode] = []
    for c in clauses:
        if c.occur == "-":
            must_not.append(c.node)
        elif c.occur == "+" or use_and:
            must.append(c.node)
        else:
            should.append(c.node)
    return BooleanQuery(tuple(must), tuple(should), tuple(must_not))


def _simplify(node: QueryNode) -> QueryNode:
    """Flatten redundant nesting, lift pure exclusions, drop duplicate and empty clauses."""
    if not isinstance(node, BooleanQuery):
        return node
    must: list[QueryNode] = []
    should: list[QueryNode] = []
    must_not: list[QueryNode] = []
    for occur, clauses in (("must", node.must), ("should", node.should), ("must_not", node.must_not)):
        for clause in clauses:
            c = _simplify(clause)
            if isinstance(c, BooleanQuery):
                if c.is_empty and not c.must_not:
                    continue  # an empty group: ignored (lenient), wherever it stands
                if occur != "must_not" and c.is_empty:
                    must_not.extend(c.must_not)  # "(NOT a) b" means "b -a"
                    continue
                if c.boost == 1.0 and occur == "should" and not c.must and not c.must_not:
                    should.extend(c.should)
                    continue
                if c.boost == 1.0 and occur == "must" and not c.should:
                    must.extend(c.must)
                    must_not.extend(c.must_not)
                    continue
                if c.boost == 1.0 and occur == "must_not" and not c.must and not c.must_not:
                    must_not.extend(c.should)  # -(a OR b) == -a -b
                    continue
            {"must": must, "should": should, "must_not": must_not}[occur].append(c)
    must = list(dict.fromkeys(must))
    should = [c for c in dict.fromkeys(should) if c not in must]
    must_not = list(dict.fromkeys(must_not))
    if not must and not should and not must_not:
        return MATCH_NONE
    if len(must) == 1 and not should and not must_not:
        only = must[0]
        return only.with_boost(node.boost) if node.boost != 1.0 else only
    if len(should) == 1 and not must and not must_not:
        only = should[0]
        return only.with_boost(node.boost) if node.boost != 1.0 else only
    return BooleanQuery(tuple(must), tuple(should), tuple(must_not), node.boost)


# --------------------------------------------------------------------------- entry point


def parse(
    query: str,
    analyzer: Analyzer | None = None,
    *,
    default_operator: str = "OR",
    fields: tuple[str, ...] | list[str] = DEFAULT_FIELDS,
) -> QueryNode:
    """Parse ``query`` into an AST, analyzing text with ``analyzer`` (query mode).

    ``fields`` are the names accepted in ``field:`` restrictions. Returns :data:`MATCH_NONE` (an
    empty :class:`BooleanQuery`) for an empty or punctuation-only query; raises
    :class:`~searchlib.errors.QueryError` only for the cases listed in the module docstring.
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
        terms = list(dict.fromkeys(t.text for t in analyzer.analyze(query, mode="query")))
        if len(terms) <= 1:
            return Term(terms[0]) if terms else MATCH_NONE
        clauses = tuple(Term(t) for t in terms)
        return BooleanQuery(must=clauses) if op == "AND" else BooleanQuery(should=clauses)
    return _Parser(query, analyzer, op, tuple(f.lower() for f in fields)).parse()
