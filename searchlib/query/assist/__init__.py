"""Query assistance: pinyin search, typo tolerance, did-you-mean, fuzzy terms, autocomplete.

Everything here plugs into the query path through the rewrite pass (:mod:`searchlib.query.rewrite`)
and asks index-dependent questions through the statistics provider, so a sharded index decides
with global knowledge:

* :mod:`.pinyin` -- Latin words read as pinyin match the index's Han words (``changsha`` → 长沙);
* :mod:`.fuzzy` -- ``term~1`` / ``term~2`` and automatic typo tolerance for unknown Latin words;
* :mod:`.suggest` -- ``results.suggestion`` (Latin typos, Chinese homophone typos);
* :mod:`.complete` -- ``Index.complete(prefix)`` (Han, Latin, pinyin and initials prefixes);
* :mod:`.options` -- which parts run, per index and per query.

Expanded leaves are :class:`~searchlib.query.ast.Expansion` nodes: their terms are blended into one
pseudo-term with a boost below 1 (an exact match of the same strength ranks higher), and they are
the weight's ``expansions``, which is what highlighting marks. Nothing here imports rapidfuzz or
loads the reading table until a query needs it (the one-shot CLI stays fast).
"""
from __future__ import annotations

import re
from typing import Any

from searchlib.analysis.tokenize import HAN_CHARS
from searchlib.query.assist.options import ALL_OFF, DEFAULT, AssistOptions, resolve, settings_from_manifest
from searchlib.query.ast import BooleanQuery, Expansion, Fuzzy, Phrase, QueryNode, Term
from searchlib.query.context import QueryContext

__all__ = ["ALL_OFF", "DEFAULT", "AssistOptions", "AssistSession", "resolve", "settings_from_manifest"]


def _typo_word(text: str) -> bool:
    return text.isalpha() and text[0] < "\u2e80" and len(text) >= 4


# a query made of these alone can hold no Latin term: ASCII other than letters, CJK punctuation
# and Han characters (anything else might fold to a Latin letter: fullwidth forms, ㎏)
_NO_LATIN = re.compile(rf"[\x00-\x40\x5b-\x60\x7b-\x7f\u3000-\u303f{HAN_CHARS}]*")


def _latin_start(text: str) -> bool:
    """Whether a term starts with a letter below the CJK blocks: what the pinyin and typo rules
    look at (``_typo_word``, ``pinyin._latin_key``)."""
    return text[:1].isalpha() and text[0] < "\u2e80"


class AssistSession:
    """The assistance of one query: its rewrite rules, and what they learnt for the suggestion."""

    def __init__(self, options: AssistOptions, query: str, analyzer: Any, kinds: dict[str, str] | None) -> None:
        self.options = options
        self.query = query
        self.analyzer = analyzer
        self.kinds = kinds or {}  # read-only (shared by the queries of a snapshot)
        self.latin: dict[str, str] = {}  # unknown Latin term -> its correction
        self.han: list[Any] = []
        self._excluded: set[int] = set()
        self._typed_words: dict[str, str] | None = None

    def rules(self, node: QueryNode | None = None) -> tuple[Any, ...]:
        """The rewrite rules of this query's assistance. ``node``: the parsed query, whose
        excluded clauses (``-word``, ``NOT word``) are left as typed: excluding what a word might
        have meant would drop more than was asked. A query with neither a Latin word nor the
        ``~`` syntax needs none of them (every rule here starts from one of those)."""
        if node is not None:
            if _NO_LATIN.fullmatch(self.query) and "~" not in self.query:
                return ()  # no character that folds to a Latin letter, no ~: no rule can apply
            latin = fuzzy = False
            excluded: set[int] = set()
            for n in node.iter_nodes():
                if isinstance(n, Term):
                    latin = latin or _latin_start(n.text)
                elif isinstance(n, Fuzzy):
                    fuzzy = True
                elif isinstance(n, BooleanQuery) and n.must_not:
                    excluded.update(id(x) for c in n.must_not for x in c.iter_nodes())
            if not latin and not fuzzy:
                return ()
            self._excluded = excluded
        from searchlib.query.assist.pinyin import pinyin_group_rule, pinyin_rule

        out: list[Any] = [fuzzy_rule]
        if self.options.pinyin:
            out.append(self._included(pinyin_rule))
        if self.options.typos or self.options.suggest:
            out.append(self._included(self.typo_rule))
        if self.options.pinyin:
            out.append(pinyin_group_rule)
        return tuple(out)

    def _included(self, rule: Any) -> Any:
        def run(node: QueryNode, ctx: QueryContext) -> QueryNode | None:
            return None if id(node) in self._excluded else rule(node, ctx)

        return run

    def typo_rule(self, node: QueryNode, ctx: QueryContext) -> QueryNode | None:
        if not isinstance(node, Term) or not _typo_word(node.text):
            return None
        if self.options.pinyin:
            from searchlib.analysis.pinyin import pinyin_key
            from searchlib.query.assist.pinyin import single_syllable

            key = pinyin_key(node.text)
            if key is not None and single_syllable(node.text, key):
                return None  # a pinyin syllable ("ling", "zhou"), not an English typo
        from searchlib.query.rewrite import term_doc_freq

        if term_doc_freq(ctx, node.text, node.field) > 0:
            return None
        from searchlib.query.assist.fuzzy import TYPO_BOOST, typo_candidates, typo_words

        fields = (node.field,) if node.field else ctx.default_fields
        cands = typo_candidates(ctx, node.text, fields)  # index terms near the (stemmed) term
        typed = self._typed().get(node.text, node.text)
        words = typo_words(ctx, typed)  # words near the word as typed: what a suggestion shows
        for w in words:  # a word found only as typed (stemming moved it further): search its term
            term = self._term_of(w)
            if term and term not in cands and term_doc_freq(ctx, term, node.field) > 0:
                cands.append(term)
        if not cands:
            return None
        if self.options.suggest:
            self.latin[node.text] = words[0] if words else cands[0]
        if not self.options.typos:
            return None
        return Expansion("typo", node.text, tuple(cands), node.field, node.boost * TYPO_BOOST)

    def _typed(self) -> dict[str, str]:
        """``{query term: the folded word typed for it}`` of the query's Latin words (stemming
        makes ``dancce`` the term ``dancc``; a correction is a word, found from the word)."""
        if self._typed_words is None:
            from searchlib.analysis.tokenize import RUN_RE

            out: dict[str, str] = {}
            for m in RUN_RE.finditer(self.query):
                if m.group("han"):
                    continue
                run = m.group()
                for t in self.analyzer.analyze(run, mode="query"):
                    out.setdefault(t.text, self.analyzer.fold(run[t.start:t.end]).text)
            self._typed_words = out
        return self._typed_words

    def _term_of(self, word: str) -> str | None:
        tokens = self.analyzer.analyze(word, mode="query")
        return tokens[0].text if len(tokens) == 1 else None

    def finish(self, node: QueryNode, ctx: QueryContext) -> QueryNode:
        """After the rules: Chinese homophone corrections (added as optional clauses)."""
        if not (self.options.typos or self.options.suggest) or not _has_han(self.query) or not _maybe_misread(node):
            return node
        from searchlib.query.assist.suggest import HOMOPHONE_BOOST, han_fixes

        self.han = han_fixes(self.query, self.analyzer, ctx, self.kinds)
        if not self.han or not self.options.typos:
            return node
        extra = tuple(Expansion("homophone", f.typed, f.alternatives or (f.word,), None, HOMOPHONE_BOOST) for f in self.han)
        if isinstance(node, BooleanQuery):
            if node.must or not node.should:
                return node  # required words (AND): a suggestion only
            return BooleanQuery(node.must, node.should + extra, node.must_not, node.boost, filter=node.filter)
        if node.is_filter:
            return node
        return BooleanQuery(should=(node, *extra))

    def suggestion(self) -> str | None:
        if not self.options.suggest or not (self.latin or self.han):
            return None
        from searchlib.query.assist.suggest import apply_fixes

        return apply_fixes(self.query, self.analyzer, self.latin, self.han)


def _maybe_misread(node: QueryNode) -> bool:
    """Whether the parsed query holds Han text the analyzer may have misread: a single character
    (jieba found no word there) or a phrase (quoted, or a word the index never holds). A query
    of known words only skips the homophone pass (and its second analysis of the text)."""
    nodes = (node.must + node.should + node.must_not + node.filter) if isinstance(node, BooleanQuery) else (node,)
    if any(isinstance(n, BooleanQuery) for n in nodes):
        nodes = tuple(node.iter_nodes())  # nested: walk the whole tree
    for n in nodes:
        if isinstance(n, Term) and len(n.text) == 1 and n.text >= "\u3400":
            return True
        if isinstance(n, Phrase) and any(u >= "\u3400" for u in n.units):
            return True
    return False


_HAN_RE = re.compile(f"[{HAN_CHARS}]")


def _has_han(text: str) -> bool:
    return _HAN_RE.search(text) is not None


def fuzzy_rule(node: QueryNode, ctx: QueryContext) -> QueryNode | None:
    """``term~N`` → the term OR its expansions."""
    if not isinstance(node, Fuzzy):
        return None
    from searchlib.query.assist.fuzzy import expand_fuzzy

    return expand_fuzzy(node, ctx)


def uses_tilde(node: QueryNode) -> bool:
    """Whether the query uses the ``~`` syntax (a fuzzy term or a sloppy phrase)."""
    return any(isinstance(n, Fuzzy) or (isinstance(n, Phrase) and n.slop) for n in node.iter_nodes())
