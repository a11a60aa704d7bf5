"""The rewrite pass: parsed AST → the AST that is actually executed (whoosh's ``simplify()``,
Lucene's ``Query.rewrite``).

Rewrites depend on the index (what its term dictionary holds, through the statistics provider,
so a sharded index rewrites with global knowledge) but not on any one segment. Each rule is a
small function ``(node, ctx) -> node | None`` (None: leave the node as it is), applied bottom-up
by :func:`rewrite` to every leaf, then to every boolean node once its clauses are rewritten (a
rule that reads several clauses together, e.g. ``chang sha`` as one pinyin word, answers there);
query assistance (:mod:`searchlib.query.assist`: pinyin, fuzzy terms, typos) adds its rules per
query.

Rules:

* :func:`han_word_as_phrase` -- a multi-character Han term that occurs nowhere as a word (jieba
  segmented the documents differently, or the word is unknown to its dictionary) is searched as
  the phrase of its characters, so ``长沙工程机械产业`` still finds documents where the words were
  cut another way, and ``赤鱲角`` never degrades into an OR of single characters.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from operator import is_not

from searchlib.analysis.tokenize import HAN_CHARS
from searchlib.query.ast import BooleanQuery, Phrase, QueryNode, Term
from searchlib.query.context import QueryContext
from searchlib.query.weights import TermWeight

__all__ = ["DEFAULT_RULES", "Rule", "han_word_as_phrase", "rewrite"]

Rule = Callable[[QueryNode, QueryContext], "QueryNode | None"]

_HAN_WORD = re.compile(f"[{HAN_CHARS}]{{2,}}")


def term_doc_freq(ctx: QueryContext, text: str, field: str | None) -> int:
    """Global document frequency of the term ``text`` in ``field`` (default fields when None),
    shared with the weight that later scores it (same statistics key, answered once)."""
    fields = (field,) if field else ctx.default_fields
    return ctx.doc_freq(TermWeight.key_for(text, fields), lambda: TermWeight(ctx, text, fields, 1.0).local_doc_freq())


def han_word_as_phrase(node: QueryNode, ctx: QueryContext) -> QueryNode | None:
    if not isinstance(node, Term) or not _HAN_WORD.fullmatch(node.text):
        return None
    if term_doc_freq(ctx, node.text, node.field) > 0:
        return None
    chars = tuple(node.text)
    return Phrase(chars, tuple(range(len(chars))), node.text, node.field, node.boost)


DEFAULT_RULES: tuple[Rule, ...] = (han_word_as_phrase,)


def rewrite(node: QueryNode, ctx: QueryContext, rules: Sequence[Rule] = DEFAULT_RULES) -> QueryNode:
    """``node`` with every rule applied to every node, leaves first (the first rule that answers wins)."""
    if isinstance(node, BooleanQuery):
        parts = []
        changed = False
        for clauses in (node.must, node.should, node.must_not):
            new = tuple([rewrite(c, ctx, rules) for c in clauses]) if clauses else clauses
            changed = changed or any(map(is_not, new, clauses))
            parts.append(new)
        if changed:
            node = BooleanQuery(parts[0], parts[1], parts[2], node.boost, filter=node.filter)
    for rule in rules:
        out = rule(node, ctx)
        if out is not None:
            return out
    return node
