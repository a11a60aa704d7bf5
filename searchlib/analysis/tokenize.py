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
(:func:`segment_batch_for_index`). A phrase is then a sequence of units (characters for Han text,
words for Latin text) that must sit at consecutive positions: it matches wherever the document
contains the folded phrase text contiguously, whatever jieba did on either side. Word terms
(with search-mode sub-words, so ``机械`` finds ``工程机械``) carry the ranking; character terms
make phrases exact. The field length used by BM25 is the number of units, which does not depend
on the segmentation either.
"""
from __future__ import annotations

import re
from itertools import chain, compress
from operator import itemgetter
from typing import Callable, NamedTuple

import numpy as np

__all__ = ["HAN_CHARS", "MAX_TOKEN_CHARS", "RUN_RE", "IndexBatch", "SearchCut", "Segmented", "Token", "segment", "segment_batch_for_index"]

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


class IndexBatch(NamedTuple):
    """Index terms of a batch of folded texts, as flat arrays (see :func:`segment_batch_for_index`).

    Word terms (Latin words, Han words of two or more characters) are strings; Han unigrams are
    code points, so the writer can number them with numpy instead of one dict lookup each."""

    words: list[str]
    word_pos: np.ndarray  # int32 unit position of each word
    word_doc: np.ndarray  # int32 index of the text it came from
    han: np.ndarray  # uint32 code point of every Han character
    han_pos: np.ndarray  # int32
    han_doc: np.ndarray  # int32
    lengths: np.ndarray  # int32 units of each text


# Character classes for the vectorized scan (code points above the BMP are classified on the fly).
_BREAK, _NOBREAK_CLS, _WORD, _HAN, _JOINER = 0, 1, 2, 3, 4
_HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F))
_CLASSES: np.ndarray | None = None
_ASTRAL_WORD: dict[int, bool] = {}
_WORD_RE = re.compile(r"[^\W_]")


def _class_table() -> np.ndarray:
    """uint8 class of every BMP code point, built once (a few milliseconds): exactly the
    character sets :data:`RUN_RE` and :data:`_NO_BREAK` use."""
    global _CLASSES
    if _CLASSES is None:
        bmp = "".join(map(chr, range(0x10000)))
        table = np.zeros(0x10000, dtype=np.uint8)
        for m in re.finditer(r"[^\W_]+", bmp):
            table[m.start():m.end()] = _WORD
        for lo, hi in _HAN_RANGES[:3]:
            table[lo:hi + 1] = _HAN
        for ch in _NO_BREAK:
            table[ord(ch)] = _NOBREAK_CLS
        for ch in ".'’":
            table[ord(ch)] = _JOINER
        _CLASSES = table
    return _CLASSES


def _classify(cp: np.ndarray) -> np.ndarray:
    cls = _class_table()[np.minimum(cp, 0xFFFF)]
    astral = np.flatnonzero(cp > 0xFFFF)
    if astral.size:
        lo, hi = _HAN_RANGES[3]
        for i, c in zip(astral.tolist(), cp[astral].tolist()):
            if lo <= c <= hi:
                cls[i] = _HAN
            else:
                word = _ASTRAL_WORD.get(c)
                if word is None:
                    word = _ASTRAL_WORD[c] = _WORD_RE.match(chr(c)) is not None
                cls[i] = _WORD if word else _BREAK
    return cls


def _run_bounds(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Starts and ends of the maximal runs of True in ``mask``."""
    edges = np.diff(mask.view(np.int8), prepend=0, append=0)
    return np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)


_EMPTY_I32 = np.empty(0, dtype=np.int32)


class SearchCut:
    """jieba's search mode rebuilt from its default cut, for the batch path.

    ``tokenize(mode="search")`` returns a Python tuple per word; the default cut returns bare
    strings that tile the text (offsets are a cumulative sum) and costs half as much. Search mode
    adds, for every word longer than two characters, each 2-gram that is a dictionary word, and
    for words longer than three, each such 3-gram - exactly what jieba and jieba-rs do (tested
    against ``tokenize``). Sub-words of a word are memoized: words recur a lot in a collection.
    """

    def __init__(self, cut: Callable[[str], list[str]], has_word: Callable[[str], bool]) -> None:
        self.cut = cut
        self._memo = _SubwordMemo(has_word)

    def subwords(self, words: list[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
        """Search-mode sub-words of ``words`` (each longer than two characters): the grams,
        their offsets in their word, and the index of their word in ``words``."""
        subs = list(map(self._memo.__getitem__, words))
        grams = list(chain.from_iterable(map(_first, subs)))
        rel = np.fromiter(chain.from_iterable(map(_second, subs)), dtype=np.int64, count=len(grams))
        per_word = np.fromiter(map(len, map(_first, subs)), dtype=np.int64, count=len(subs))
        return grams, rel, np.repeat(np.arange(len(subs), dtype=np.int64), per_word)


class _SubwordMemo(dict[str, tuple[tuple[str, ...], tuple[int, ...]]]):
    """word -> (its search-mode grams, their offsets); computed on a miss, bounded in size."""

    __slots__ = ("has_word",)
    LIMIT = 200_000

    def __init__(self, has_word: Callable[[str], bool]) -> None:
        super().__init__()
        self.has_word = has_word

    def __missing__(self, word: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
        has, n = self.has_word, len(word)
        found = [(i, 2) for i in range(n - 1) if has(word[i:i + 2])]
        if n > 3:
            found += [(i, 3) for i in range(n - 2) if has(word[i:i + 3])]
        out = (tuple(word[i:i + k] for i, k in found), tuple(i for i, _ in found))
        if len(self) < self.LIMIT:
            self[word] = out
        return out


_first, _second = itemgetter(0), itemgetter(1)


def segment_batch_for_index(
    folded_texts: list[str], search: SearchCut, stem: Callable[[str], str] | None = None
) -> IndexBatch:
    """Index terms of many folded texts at once: Han words of two or more characters (jieba's
    search-mode sub-words included), every Han character as a unigram, and Latin words, each at
    the unit position :func:`segment` gives it.

    Per-character work is numpy over the texts joined by ``"\\n"`` (runs, units and unigrams come
    from character classes and cumulative sums, not a Python loop), and jieba cuts the texts that
    hold Han characters in ONE call (``"\\n"`` ends a jieba block, so each text is cut exactly as
    on its own), in search mode through :class:`SearchCut`. Python-level work is left for the
    Latin word strings and jieba's own output.
    """
    n = len(folded_texts)
    big = "\n".join(folded_texts)
    if not big:
        z = _EMPTY_I32
        return IndexBatch([], z, z, np.empty(0, np.uint32), z, z, np.zeros(n, np.int32))
    cp = np.frombuffer(big.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    doc_start = np.zeros(n, dtype=np.int64)
    if n > 1:
        np.cumsum(np.fromiter(map(len, folded_texts[:-1]), dtype=np.int64, count=n - 1) + 1, out=doc_start[1:])
    cls = _classify(cp)
    han = cls == _HAN
    word = cls == _WORD
    # '.' and apostrophes join letters/digits on both sides into one word ("u.s", "3.5", "don't")
    joiner = cls == _JOINER
    joiner[0] = joiner[-1] = False
    joiner[1:-1] &= word[:-2] & word[2:]
    latin = word | joiner
    h_start, h_end = _run_bounds(han)
    l_start, l_end = _run_bounds(latin)
    # all runs in text order; Han and Latin runs never overlap
    starts = np.concatenate([h_start, l_start])
    order = np.argsort(starts, kind="stable")
    starts = starts[order]
    ends = np.concatenate([h_end, l_end])[order]
    is_han = order < h_start.size
    n_runs = starts.size
    run_doc = (np.searchsorted(doc_start, starts, side="right") - 1).astype(np.int32)
    # a break between two runs of one text: any character in the gap that is not a no-break separator
    breaking = ~(han | latin | (cls == _NOBREAK_CLS))
    cum_break = np.zeros(cp.size + 1, dtype=np.int64)
    np.cumsum(breaking, out=cum_break[1:])
    brk = np.zeros(n_runs, dtype=np.int64)
    if n_runs > 1:
        brk[1:] = cum_break[starts[1:]] > cum_break[ends[:-1]]
    first = np.ones(n_runs, dtype=bool)
    first[1:] = run_doc[1:] != run_doc[:-1]
    size = np.where(is_han, ends - starts, 1)
    before = np.cumsum(brk) + np.cumsum(size) - size  # units before each run, counted from the batch start
    first_idx = np.flatnonzero(first)
    unit = before - np.repeat(before[first_idx], np.diff(np.append(first_idx, n_runs)))
    lengths = np.zeros(n, dtype=np.int32)
    if n_runs:
        last = np.append(first_idx[1:] - 1, n_runs - 1)
        lengths[run_doc[last]] = unit[last] + size[last]

    # Latin words (over-long ones take a unit but are not indexed, like Lucene's max token length)
    lat = ~is_han & (ends - starts <= MAX_TOKEN_CHARS)
    ws, we = starts[lat].tolist(), ends[lat].tolist()
    words = [big[s:e] for s, e in zip(ws, we)]
    if stem is not None:
        words = list(map(stem, words))
    word_pos = [unit[lat].astype(np.int32)]
    word_doc = [run_doc[lat]]

    # Han unigrams: every character of every Han run, at its run's unit plus its offset
    hr = is_han
    h_lens = (ends - starts)[hr]
    han_idx = np.flatnonzero(han)
    han_pos = (han_idx + np.repeat(unit[hr] - starts[hr], h_lens)).astype(np.int32)
    han_doc = np.repeat(run_doc[hr], h_lens)

    # Han words from jieba: texts with Han characters only, in one call
    if han_idx.size:
        has_han = np.zeros(n, dtype=bool)
        has_han[run_doc[hr]] = True
        picked = np.flatnonzero(has_han)
        if picked.size == n:
            text, shift = big, None
        else:
            text = "\n".join([folded_texts[i] for i in picked.tolist()])
            lens = np.fromiter((len(folded_texts[i]) + 1 for i in picked.tolist()), dtype=np.int64, count=picked.size)
            j_start = np.zeros(picked.size, dtype=np.int64)
            np.cumsum(lens[:-1], out=j_start[1:])
            shift = (j_start, doc_start[picked] - j_start)
        base = search.cut(text)
        m = len(base)
        lens = np.fromiter(map(len, base), dtype=np.int64, count=m)
        s = np.cumsum(lens) - lens  # jieba's default cut tiles the text
        if shift is not None:
            s += shift[1][np.searchsorted(shift[0], s, side="right") - 1]
        keep = lens > 1
        keep &= han[s]
        long_ = np.flatnonzero(lens > 2).tolist()
        grams, rel, owner = search.subwords([base[i] for i in long_])
        g_start = s[np.asarray(long_, dtype=np.int64)[owner]] + rel
        g_keep = han[g_start]
        starts_kept = np.concatenate([s[keep], g_start[g_keep]])
        run = np.searchsorted(h_start, starts_kept, side="right") - 1
        h_unit = unit[hr]
        words += compress(base, keep.tolist())
        words += compress(grams, g_keep.tolist())
        word_pos.append((h_unit[run] + starts_kept - h_start[run]).astype(np.int32))
        word_doc.append(run_doc[hr][run])
    return IndexBatch(
        words, np.concatenate(word_pos), np.concatenate(word_doc).astype(np.int32, copy=False),
        cp[han_idx], han_pos, han_doc.astype(np.int32, copy=False), lengths,
    )

