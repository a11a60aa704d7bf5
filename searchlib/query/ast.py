"""The query AST: what a query string means, independent of how it is executed.

Nodes are small frozen dataclasses holding *analyzed* text (folded index terms), so two query
strings that mean the same thing (``長沙`` and ``长沙``) give equal trees:

* :class:`Term` -- one index term (``工程机械``, ``indonesia``);
* :class:`Phrase` -- a sequence of *units* at fixed relative positions (one unit per Han character,
  one per Latin word; see :mod:`searchlib.analysis.tokenize`), plus the folded phrase text used for
  highlighting;
* :class:`Prefix` -- every index term starting with a folded prefix (expanded at execution);
* :class:`Fuzzy` -- index terms within 1 or 2 edits of a term (``broadbnd~1``; expanded by the
  rewrite pass);
* :class:`Expansion` -- a fixed set of index terms standing in for one typed term, scored as one
  blended pseudo-term below an exact match (pinyin ``changsha`` → 长沙, a typo, a homophone);
* :class:`BooleanQuery` -- ``must`` (all required), ``should`` (scored; at least one required when
  there is no ``must``), ``must_not`` (excluded, never scored), ``filter`` (required, never
  scored: ``source:新华社`` next to words narrows, as Elasticsearch's bool filter);
* :class:`FieldFilter` -- documents whose keyword field holds any of some values (or whose id is
  one of them);
* :class:`RangeFilter` -- documents whose date/int/float column lies in a range (a date such as
  ``2024-04`` is the range of its whole month);
* :class:`MatchAll` -- every document (an empty query with filters or a sort lists documents).

``field`` is ``None`` for "the default fields" (``title`` and ``body`` in a BM25F combination) or a
field name for a ``field:`` restriction; ``boost`` multiplies the node's score.
``str(node)`` renders a canonical Lucene-like form (``+a +b -c``, ``title:"工程机械"^2``) used by the
golden tests and by :class:`~searchlib.results.Results.query` consumers for debugging.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from dataclasses import field as dc_field

__all__ = [
    "BooleanQuery", "Expansion", "FieldFilter", "Fuzzy", "MATCH_NONE", "MatchAll", "Phrase", "Prefix", "QueryNode",
    "RangeFilter", "Term",
]


def _fmt_boost(boost: float) -> str:
    if boost == 1.0:
        return ""
    return f"^{boost:g}"


def _fmt_field(name: str | None) -> str:
    return f"{name}:" if name else ""


def _quote_if_needed(text: str) -> str:
    if not text or any(c.isspace() or c in '"()^*:+-' for c in text):
        return '"' + text.replace('"', " ") + '"'
    return text


class QueryNode:
    """Base of every AST node."""

    boost: float
    field: str | None
    is_filter = False  # True: matches without scoring (field filters)

    def iter_nodes(self) -> Iterator[QueryNode]:
        """This node and every node below it (depth first)."""
        yield self

    def highlight_terms(self) -> tuple[list[str], list[str]]:
        """``(terms, phrases)`` to highlight: folded forms of the positive (not excluded) leaves.

        Prefix queries contribute nothing here (their expansions are known only at execution;
        the searcher adds the expansions it used)."""
        terms: list[str] = []
        phrases: list[str] = []
        self._collect_highlights(terms, phrases)
        # keep first-seen order, drop duplicates
        return list(dict.fromkeys(terms)), list(dict.fromkeys(phrases))

    def _collect_highlights(self, terms: list[str], phrases: list[str]) -> None:
        pass

    def with_boost(self, boost: float) -> QueryNode:
        return replace(self, boost=self.boost * boost)  # type: ignore[type-var]

    def with_field(self, name: str) -> QueryNode:
        return replace(self, field=name)  # type: ignore[type-var]


@dataclass(frozen=True)
class Term(QueryNode):
    """One analyzed index term, e.g. ``Term("工程机械")`` or ``Term("york", field="title")``."""

    text: str
    field: str | None = None
    boost: float = 1.0

    def __str__(self) -> str:
        return f"{_fmt_field(self.field)}{_quote_if_needed(self.text)}{_fmt_boost(self.boost)}"

    def _collect_highlights(self, terms: list[str], phrases: list[str]) -> None:
        terms.append(self.text)


@dataclass(frozen=True)
class Phrase(QueryNode):
    """Units (index terms) that must occur at ``positions`` relative to a common base.

    ``units[i]`` must sit at ``base + positions[i]``; ``positions[0] == 0`` and positions grow
    (a punctuation break in the phrase leaves a one-unit gap, as in documents). ``text`` is the
    folded phrase text, for display and highlighting.

    ``slop`` > 0 (``"a b"~N``) relaxes the positions as Lucene does: the units may sit anywhere,
    in any order, on distinct positions, as long as their offsets ``position - positions[i]``
    span at most ``slop`` (``"a b"~1`` matches ``a x b``; ``b a`` needs ``~2``).
    """

    units: tuple[str, ...]
    positions: tuple[int, ...]
    text: str
    field: str | None = None
    boost: float = 1.0
    slop: int = 0

    def __str__(self) -> str:
        slop = f"~{self.slop}" if self.slop else ""
        return f'{_fmt_field(self.field)}"{self.text}"{slop}{_fmt_boost(self.boost)}'

    def _collect_highlights(self, terms: list[str], phrases: list[str]) -> None:
        if self.slop:  # the words may stand apart: mark each of them
            terms.extend(self.text.split())
        else:
            phrases.append(self.text)


@dataclass(frozen=True)
class Prefix(QueryNode):
    """Every index term that starts with the folded ``prefix`` (``indones*``, ``工程*``)."""

    prefix: str
    field: str | None = None
    boost: float = 1.0

    def __str__(self) -> str:
        return f"{_fmt_field(self.field)}{self.prefix}*{_fmt_boost(self.boost)}"


@dataclass(frozen=True)
class Fuzzy(QueryNode):
    """Index terms within ``distance`` (1 or 2) Damerau-Levenshtein edits of ``term``
    (``broadbnd~1``); the rewrite pass replaces it by the term and its expansions."""

    term: str
    distance: int
    field: str | None = None
    boost: float = 1.0

    def __str__(self) -> str:
        return f"{_fmt_field(self.field)}{_quote_if_needed(self.term)}~{self.distance}{_fmt_boost(self.boost)}"

    def _collect_highlights(self, terms: list[str], phrases: list[str]) -> None:
        terms.append(self.term)


@dataclass(frozen=True)
class Expansion(QueryNode):
    """Index ``terms`` standing in for what was typed (``source``), blended into one pseudo-term
    (Lucene's SynonymQuery): ``kind`` says why (``pinyin``, ``fuzzy``, ``typo``, ``homophone``).
    ``cap``: an exact term whose idf this node's idf never exceeds, so that with ``boost`` < 1
    a document matching the expansion scores below one matching ``cap`` as strongly."""

    kind: str
    source: str
    terms: tuple[str, ...]
    field: str | None = None
    boost: float = 1.0
    cap: str | None = None

    def __str__(self) -> str:
        shown = ",".join(self.terms[:4]) + (",..." if len(self.terms) > 4 else "")
        return f"{_fmt_field(self.field)}{self.kind}({_quote_if_needed(self.source)}:{shown}){_fmt_boost(self.boost)}"

    def _collect_highlights(self, terms: list[str], phrases: list[str]) -> None:
        terms.extend(self.terms)


def _fmt_bound(value: object) -> str:
    return "*" if value is None else str(value)


@dataclass(frozen=True)
class FieldFilter(QueryNode):
    """Documents whose ``field`` (keyword or ``id``) holds any of ``values`` exactly."""

    field: str  # type: ignore[assignment]
    values: tuple[str, ...]
    boost: float = 1.0
    is_filter = True

    def __str__(self) -> str:
        vals = [_quote_if_needed(v) for v in self.values]
        return f"{self.field}:{vals[0]}" if len(vals) == 1 else f"{self.field}:({' OR '.join(vals)})"

    def with_field(self, name: str) -> QueryNode:
        return self


@dataclass(frozen=True)
class RangeFilter(QueryNode):
    """Documents whose ``field`` column value ``v`` satisfies ``lo <(=) v <(=) hi`` (None: open).
    Bounds are in column units (seconds since the epoch for dates); ``label`` shows the range as
    it was written."""

    field: str  # type: ignore[assignment]
    lo: int | float | None
    hi: int | float | None
    lo_inclusive: bool = True
    hi_inclusive: bool = False
    label: str = ""
    boost: float = 1.0
    is_filter = True

    def __str__(self) -> str:
        if self.label:
            return f"{self.field}:{self.label}"
        left = "[" if self.lo_inclusive else "{"
        right = "]" if self.hi_inclusive else "}"
        return f"{self.field}:{left}{_fmt_bound(self.lo)} TO {_fmt_bound(self.hi)}{right}"

    def with_field(self, name: str) -> QueryNode:
        return self


@dataclass(frozen=True)
class MatchAll(QueryNode):
    """Every live document, unscored (score 0)."""

    boost: float = 1.0
    field: str | None = dc_field(default=None, repr=False, compare=False)
    is_filter = True

    def __str__(self) -> str:
        return "*:*"

    def with_field(self, name: str) -> QueryNode:
        return self


@dataclass(frozen=True)
class BooleanQuery(QueryNode):
    """``must`` clauses are all required, ``must_not`` clauses excluded; ``should`` clauses add to
    the score and, when there is no ``must`` clause, at least one of them is required.

    An empty BooleanQuery matches nothing (:data:`MATCH_NONE`)."""

    must: tuple[QueryNode, ...] = ()
    should: tuple[QueryNode, ...] = ()
    must_not: tuple[QueryNode, ...] = ()
    boost: float = 1.0
    field: str | None = dc_field(default=None, repr=False, compare=False)
    filter: tuple[QueryNode, ...] = ()

    def __str__(self) -> str:
        parts = [f"+{_wrap(c)}" for c in self.must]
        parts += [_wrap(c) for c in self.should]
        parts += [f"-{_wrap(c)}" for c in self.must_not]
        parts += [f"#{_wrap(c)}" for c in self.filter]
        body = " ".join(parts)
        if self.boost != 1.0:
            return f"({body}){_fmt_boost(self.boost)}"
        return body

    def iter_nodes(self) -> Iterator[QueryNode]:
        # pre-order without a generator per level (every query walks its tree a few times)
        stack: list[QueryNode] = [self]
        while stack:
            node = stack.pop()
            if isinstance(node, BooleanQuery):
                yield node
                stack.extend(reversed((*node.must, *node.should, *node.must_not, *node.filter)))
            elif type(node).iter_nodes is QueryNode.iter_nodes:  # a leaf
                yield node
            else:
                yield from node.iter_nodes()

    def _collect_highlights(self, terms: list[str], phrases: list[str]) -> None:
        for clause in (*self.must, *self.should):
            clause._collect_highlights(terms, phrases)

    def with_field(self, name: str) -> QueryNode:
        return BooleanQuery(
            tuple(c.with_field(name) for c in self.must),
            tuple(c.with_field(name) for c in self.should),
            tuple(c.with_field(name) for c in self.must_not),
            self.boost,
            filter=self.filter,
        )

    @property
    def is_empty(self) -> bool:
        return not (self.must or self.should or self.filter)


def _wrap(node: QueryNode) -> str:
    if isinstance(node, BooleanQuery) and node.boost == 1.0:
        return f"({node})"
    return str(node)


MATCH_NONE = BooleanQuery()
