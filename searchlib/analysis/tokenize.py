"""Splitting folded text into index terms with positions.

Position design (what phrase queries rely on)
---------------------------------------------
jieba segments the same characters differently depending on context: a document may hold
``工程机械`` as one word while the query ``工程机械产业`` arrives as ``工程 / 机械 / 产业``, or the
other way round. Word-numbered positions would make such phrases miss. So positions count
*units*, not words:

* every Han character is one unit, and a Han word (or sub-word) takes the position of its first
  character: ``工程机械`` at 7 spans units 7-10, its sub-word ``机械`` sits at 9;
* every Latin/digit word is one unit;
* a run of punctuation or symbols (other than whitespace and hyphens) between two tokens adds one
  empty unit, so a phrase never matches across ``。`` or ``,`` unless the query has the same break.

At index time every Han character is also recorded as a single-character term at its own unit
(:func:`segment_for_index`). A phrase is then a sequence of units (characters for Han text,
words for Latin text) that must sit at consecutive positions: it matches wherever the document
contains the folded phrase text contiguously, whatever jieba did on either side. Word terms
(with search-mode sub-words, so ``机械`` finds ``工程机械``) carry the ranking; character terms
make phrases exact. The field length used by BM25 is the number of units, which does not depend
on the segmentation either.
"""
from __future__ import annotations

import re
from operator import itemgetter
from typing import Callable, NamedTuple

__all__ = ["HAN_CHARS", "MAX_TOKEN_CHARS", "RUN_RE", "Segmented", "Token", "segment", "segment_for_index"]

HAN_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# Han runs, or words of letters/digits with inner '.' or apostrophes ("u.s", "don't", "3.5").
RUN_RE = re.compile(
    rf"(?P<han>[{HAN_CHARS}]+)|[^\W_{HAN_CHARS}]+(?:[.'’][^\W_{HAN_CHARS}]+)*"
)
# Longer "words" are data garbage (base64, URLs without separators); Lucene drops them likewise.
MAX_TOKEN_CHARS = 128

_by_start = itemgetter(1)
_by_position = itemgetter(3)
# Whitespace and hyphens separate words without breaking a phrase ("kota-kota", "e-commerce").
_NO_BREAK = " \t\r\n\f\v\u3000\u00a0-‐–"


class Token(NamedTuple):
    """One term occurrence: ``text`` is the index term, ``start``/``end`` index the analyzed string."""

    text: str
    start: int
    end: int
    position: int


class Segmented(NamedTuple):
    """Word tokens (folded offsets), the Han stretches ``(start, end, first_unit)``, the unit count."""

    tokens: list[Token]
    stretches: list[tuple[int, int, int]]
    units: int


Cut = Callable[[str], list[tuple[str, int, int]]]


def _scan_runs(
    folded: str, stem: Callable[[str], str] | None
) -> tuple[list[Token], list[tuple[int, int, int]], int, list[int | None] | None]:
    """One regex pass: Latin word tokens, Han stretches ``(start, end, first_unit)``, the unit
    count, and ``offset_at`` (unit minus folded offset for every Han character, else None;
    ``None`` itself when there is no Han text)."""
    new = tuple.__new__
    latin: list[Token] = []
    stretches: list[tuple[int, int, int]] = []
    unit = 0
    prev = -1  # folded end of the previous run, -1 before the first
    no_break = _NO_BREAK
    for m in RUN_RE.finditer(folded):
        ms = m.start()
        if ms > prev >= 0:
            if ms - prev == 1:  # the common case: one separator character
                if folded[prev] not in no_break:
                    unit += 1
            elif folded[prev:ms].strip(no_break):
                unit += 1
        prev = me = m.end()
        if m.lastgroup:  # the only named group is "han"
            stretches.append((ms, me, unit))
            unit += me - ms
        else:
            if me - ms <= MAX_TOKEN_CHARS:
                word = m.group()
                latin.append(new(Token, (stem(word) if stem else word, ms, me, unit)))
            unit += 1
    if not stretches:
        return latin, stretches, unit, None
    offset_at: list[int | None] = [None] * len(folded)
    for rs, re_, base in stretches:
        offset_at[rs:re_] = [base - rs] * (re_ - rs)
    return latin, stretches, unit, offset_at


def segment(
    folded: str,
    cut: Cut,
    stem: Callable[[str], str] | None = None,
    *,
    sort: bool = False,
) -> Segmented:
    """Tokens of ``folded`` with unit positions, sorted by position.

    One regex pass finds the Han runs and Latin words and assigns units; ``cut`` (jieba's
    ``tokenize``) then segments the whole text in ONE call, far cheaper than one call per Han
    run, and each Han word takes the unit of its first character. ``sort`` orders jieba's
    search-mode output by start.
    """
    new = tuple.__new__
    latin, stretches, units, offset_at = _scan_runs(folded, stem)
    if offset_at is None:
        return new(Segmented, (latin, stretches, units))
    words = cut(folded)
    if sort:
        words.sort(key=_by_start)
    han = [new(Token, (w, s, e, s + o)) for w, s, e in words if (o := offset_at[s]) is not None]
    if latin:
        han.extend(latin)
        han.sort(key=_by_position)
    return new(Segmented, (han, stretches, units))


def segment_for_index(
    folded: str, cut: Cut, stem: Callable[[str], str] | None = None
) -> tuple[list[str], list[int], int]:
    """``(terms, positions, units)`` to index: Han words of two or more characters (search-mode
    sub-words included), every Han character as a unigram, Latin words. No offsets, no Token
    objects, positions not sorted: the index groups occurrences by term anyway."""
    latin, stretches, units, offset_at = _scan_runs(folded, stem)
    terms = [t[0] for t in latin]
    positions = [t[3] for t in latin]
    if offset_at is None:
        return terms, positions, units
    words = [(w, s + o) for w, s, e in cut(folded) if e - s > 1 and (o := offset_at[s]) is not None]
    terms.extend(w for w, _ in words)
    positions.extend(p for _, p in words)
    for start, end, base in stretches:
        terms.extend(folded[start:end])
        positions.extend(range(base, base + end - start))
    return terms, positions, units
