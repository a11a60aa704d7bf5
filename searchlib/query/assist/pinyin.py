"""Pinyin search: a Latin word that reads as pinyin also matches the index's Han words.

``changsha``, ``Chángshā``, ``chang2sha1`` and ``chang sha`` (consecutive words joined) all read
``changsha``; every segment's reading data (:mod:`searchlib.index.readings`) lists the Han words
of the index with that reading (长沙), so an expansion is always a word that exists. Decisions:

* only words of two or more characters are expansions (a single syllable is dozens of
  characters: ``an`` is not 安), and at most :data:`MAX_PINYIN_EXPANSIONS`, the most frequent;
  a word typed as ONE syllable is not read as two (``guan`` is not 骨干 gu+an... nor ``xian``
  西安: type ``xi'an`` or ``xi an``), but consecutive syllables are read together
  (``qi ye jia ge`` → 企业 价格: the split covering the most words, then the fewest groups);
* a Latin word that the index holds at least as often as its best Han reading stays a Latin
  word (``dance``, ``men``, ``bank``, Indonesian ``makan`` in a mixed index): no expansion;
* the Latin word keeps matching exactly; the Han words are one blended pseudo-term with boost
  :data:`PINYIN_BOOST` and an idf capped at the Latin word's, so an exact match of the same
  strength ranks higher;
* only Latin input is read as pinyin: a Han query never matches another Han word through its
  reading (``景点`` does not find ``经典``, the trap Meilisearch's pinyin normalizer fell into).

Highlighting marks the Han words a query matched (they are the weight's expansions).
"""
from __future__ import annotations

from searchlib.analysis.pinyin import pinyin_key, split_syllables
from searchlib.query.ast import BooleanQuery, Expansion, QueryNode, Term
from searchlib.query.context import QueryContext

__all__ = ["MAX_GROUP", "MAX_PINYIN_EXPANSIONS", "PINYIN_BOOST", "pinyin_group_rule", "pinyin_rule", "pinyin_words"]

MAX_PINYIN_EXPANSIONS = 16
PINYIN_BOOST = 0.8
MAX_GROUP = 4  # "zhu zhou gui dao": at most this many typed words read as one Han word


def pinyin_words(ctx: QueryContext, key: str, fields: tuple[str, ...], limit: int = MAX_PINYIN_EXPANSIONS) -> list[tuple[str, int]]:
    """``[(han word, postings count), ...]`` of the index words reading ``key``, most frequent first."""
    skey = ("pinyin-terms", key, fields, limit)

    def compute() -> list[tuple[str, int]]:
        counts: dict[str, int] = {}
        for s in ctx.segs:
            rd = getattr(s.seg, "readings", None)  # segments without reading data: no expansions
            if rd is None:
                continue
            for o in rd.lookup(key).tolist():
                word = rd.word(o)
                for f in fields:
                    tid = s.seg.term_id(f, word)
                    if tid is not None:
                        counts[word] = counts.get(word, 0) + int(s.seg.doc_freq(tid))
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]

    return ctx.stats.expansions(skey, compute)


def _term_df(ctx: QueryContext, text: str, field: str | None) -> int:
    from searchlib.query.rewrite import term_doc_freq

    return term_doc_freq(ctx, text, field)


def _latin_key(node: QueryNode) -> str | None:
    if not isinstance(node, Term) or not node.text[:1].isalpha() or node.text[0] >= "\u2e80":  # Latin letters only
        return None
    return pinyin_key(node.text)


def single_syllable(text: str, key: str) -> bool:
    """Whether ``text`` (reading ``key``) was typed as one syllable (``guan``, not ``xi'an``)."""
    syl = split_syllables(key)
    return syl is not None and len(syl) == 1 and "'" not in text and "’" not in text


def pinyin_rule(node: QueryNode, ctx: QueryContext) -> QueryNode | None:
    """A Latin term that reads as pinyin: the term OR the Han words with its reading."""
    key = _latin_key(node)
    if key is None or single_syllable(node.text, key):  # type: ignore[attr-defined]
        return None
    assert isinstance(node, Term)
    fields = (node.field,) if node.field else ctx.default_fields
    words = pinyin_words(ctx, key, fields)
    if not words:
        return None
    df = _term_df(ctx, node.text, node.field)
    if df >= words[0][1]:
        return None  # the Latin word is at home in this index
    blend = Expansion("pinyin", node.text, tuple(w for w, _ in words), node.field, node.boost * PINYIN_BOOST,
                      cap=node.text if df else None)
    return BooleanQuery(should=(node, blend)) if df else blend


def _group(clauses: tuple[QueryNode, ...], ctx: QueryContext, required: bool) -> tuple[QueryNode, ...] | None:
    keys = [_latin_key(c) for c in clauses]
    n = len(clauses)
    found: dict[tuple[int, int], list[tuple[str, int]]] = {}

    def words_of(i: int, j: int) -> list[tuple[str, int]]:
        run = clauses[i:j]
        field = run[0].field
        if any(k is None for k in keys[i:j]) or any(c.field != field for c in run):
            return []
        fields = (field,) if field else ctx.default_fields
        words = pinyin_words(ctx, "".join(keys[i:j]), fields)  # type: ignore[arg-type]
        if not words or all(_term_df(ctx, c.text, field) >= words[0][1] for c in run):  # type: ignore[attr-defined]
            return []
        return words

    # best split of the clauses: most clauses covered by groups that read as words, then fewest groups
    best: list[tuple[int, int]] = [(0, 0)] * (n + 1)
    back: list[int] = [0] * (n + 1)
    for j in range(1, n + 1):
        best[j], back[j] = best[j - 1], j - 1
        if keys[j - 1] is None:
            continue
        for i in range(max(0, j - MAX_GROUP), j - 1):
            if keys[i] is None:
                continue
            cand = (best[i][0] + (j - i), best[i][1] - 1)
            if cand > best[j]:
                words = found.get((i, j))
                if words is None:
                    words = found[(i, j)] = words_of(i, j)
                if words:
                    best[j], back[j] = cand, i
    if not best[n][0]:
        return None
    pieces: list[tuple[int, int]] = []
    j = n
    while j:
        pieces.append((back[j], j))
        j = back[j]
    out: list[QueryNode] = []
    for i, j in reversed(pieces):
        run = clauses[i:j]
        if j - i == 1:
            out.append(run[0])
            continue
        words = found[(i, j)]
        boost = max(c.boost for c in run)
        blend = Expansion("pinyin", " ".join(c.text for c in run), tuple(w for w, _ in words), run[0].field,  # type: ignore[attr-defined]
                          boost * PINYIN_BOOST)
        if required:
            out.append(BooleanQuery(should=(BooleanQuery(must=run), blend)))
        else:
            out.extend(run)
            out.append(blend)
    return tuple(out)


def pinyin_group_rule(node: QueryNode, ctx: QueryContext) -> QueryNode | None:
    """Consecutive Latin words that read as one Han word together (``chang sha`` → 长沙)."""
    if not isinstance(node, BooleanQuery):
        return None
    should = _group(node.should, ctx, False) if len(node.should) > 1 else None
    must = _group(node.must, ctx, True) if len(node.must) > 1 else None
    if should is None and must is None:
        return None
    return BooleanQuery(must if must is not None else node.must, should if should is not None else node.should,
                        node.must_not, node.boost, filter=node.filter)
