"""The query AST: what a query string means, independent of how it is executed.

Nodes are small frozen dataclasses holding *analyzed* text (folded index terms), so two query
strings that mean the same thing (``長沙`` and ``长沙``) give equal trees:

* :class:`Term` -- one index term (``工程机械``, ``indonesia``);
* :class:`Phrase` -- a sequence of *units* at fixed relative positions (one unit per Han character,
  one per Latin word; see :mod:`searchlib.analysis.tokenize`), plus the folded phrase text used for
  highlighting;
* :class:`Prefix` -- every index term starting with a folded prefix (expanded at execution);
* :class:`BooleanQuery` -- ``must`` (all required), ``should`` (scored; at least one required when
  there is no ``must``), ``must_not`` (excluded, never scored).

``field`` is ``None`` for "the default fields" (``title`` and ``body`` in a BM25F combination) or a
field name for a ``field:`` restriction; ``boost`` multiplies the node's score.
``str(node)`` renders a canonical Lucene-like form (``+a +b -c``, ``title:"工程机械"^2``) used by the
golden tests and by :class:`~searchlib.results.Results.query` consumers for debugging.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from dataclasses import field as dc_field

__all__ = ["BooleanQuery", "Phrase", "Prefix", "QueryNode", "Term", "MATCH_NONE"]


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
    """

    units: tuple[str, ...]
    positions: tuple[int, ...]
    text: str
    field: str | None = None
    boost: float = 1.0

    def __str__(self) -> str:
        return f'{_fmt_field(self.field)}"{self.text}"{_fmt_boost(self.boost)}'

    def _collect_highlights(self, terms: list[str], phrases: list[str]) -> None:
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
class BooleanQuery(QueryNode):
    """``must`` clauses are all required, ``must_not`` clauses excluded; ``should`` clauses add to
    the score and, when there is no ``must`` clause, at least one of them is required.

    An empty BooleanQuery matches nothing (:data:`MATCH_NONE`)."""

    must: tuple[QueryNode, ...] = ()
    should: tuple[QueryNode, ...] = ()
    must_not: tuple[QueryNode, ...] = ()
    boost: float = 1.0
    field: str | None = dc_field(default=None, repr=False, compare=False)

    def __str__(self) -> str:
        parts = [f"+{_wrap(c)}" for c in self.must]
        parts += [_wrap(c) for c in self.should]
        parts += [f"-{_wrap(c)}" for c in self.must_not]
        body = " ".join(parts)
        if self.boost != 1.0:
            return f"({body}){_fmt_boost(self.boost)}"
        return body

    def iter_nodes(self) -> Iterator[QueryNode]:
        yield self
        for clause in (*self.must, *self.should, *self.must_not):
            yield from clause.iter_nodes()

    def _collect_highlights(self, terms: list[str], phrases: list[str]) -> None:
        for clause in (*self.must, *self.should):
            clause._collect_highlights(terms, phrases)

    def with_field(self, name: str) -> QueryNode:
        return BooleanQuery(
            tuple(c.with_field(name) for c in self.must),
            tuple(c.with_field(name) for c in self.should),
            tuple(c.with_field(name) for c in self.must_not),
            self.boost,
        )

    @property
    def is_empty(self) -> bool:
        return not (self.must or self.should)


def _wrap(node: QueryNode) -> str:
    if isinstance(node, BooleanQuery) and node.boost == 1.0:
        return f"({node})"
    return str(node)


MATCH_NONE = BooleanQuery()
