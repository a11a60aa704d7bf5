"""AST → weights: one weight per node of the (rewritten) query.

Clauses that can match nothing are dropped here (an OR of a missing word and a present one is the
present one); a required clause that matches nothing makes the whole query match nothing.
"""
from __future__ import annotations

from searchlib.query.ast import BooleanQuery, Expansion, Fuzzy, Phrase, Prefix, QueryNode, Term
from searchlib.query.context import QueryContext
from searchlib.query.filters import filter_weight
from searchlib.query.weights import (
    BoolWeight, ExpansionWeight, NoMatch, PhraseWeight, PrefixWeight, TermWeight, Weight,
)

__all__ = ["MAX_PREFIX_EXPANSIONS", "compile_query"]

MAX_PREFIX_EXPANSIONS = 200


def compile_query(node: QueryNode, ctx: QueryContext) -> Weight:
    if isinstance(node, BooleanQuery):
        must = [compile_query(c, ctx) for c in node.must]
        filters = [compile_query(c, ctx) for c in node.filter]
        if (must or filters) and any(isinstance(w, NoMatch) or (w.cost == 0 and w in filters) for w in (*must, *filters)):
            return NoMatch("a required clause matches nothing")
        should = []
        for c in node.should:
            w = compile_query(c, ctx)
            if not isinstance(w, NoMatch):
                should.append(w)
        must_not = []
        for c in node.must_not:
            w = compile_query(c, ctx)
            if not isinstance(w, NoMatch):
                must_not.append(w)
        if not must and not should and not filters:
            return NoMatch("no clause matches")
        if node.should and not should and not must:
            return NoMatch("no optional clause matches")
        if len(must) + len(should) == 1 and not must_not and not filters and node.boost == 1.0:
            return (must or should)[0]
        return BoolWeight(ctx, must, should, must_not, node.boost, filters)
    if node.is_filter:
        return filter_weight(ctx, node)
    fields = (node.field,) if node.field else ctx.default_fields
    if isinstance(node, Term):
        return TermWeight(ctx, node.text, fields, node.boost).finish()
    if isinstance(node, Phrase):
        return PhraseWeight(ctx, node.text, node.units, node.positions, fields, node.boost, node.slop).finish()
    if isinstance(node, Expansion):
        return ExpansionWeight(ctx, node.kind, node.source, node.terms, fields, node.boost, node.cap).finish()
    if isinstance(node, Fuzzy):  # normally expanded by the rewrite pass already
        from searchlib.query.assist.fuzzy import expand_fuzzy

        return compile_query(expand_fuzzy(node, ctx), ctx)
    if isinstance(node, Prefix):
        return PrefixWeight(ctx, node.prefix, fields, node.boost, MAX_PREFIX_EXPANSIONS).finish()
    raise TypeError(f"unknown query node {node!r}")
