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
from itertools import count, repeat
from operator import itemgetter
from typing import Callable, NamedTuple

import numpy as np

__all__ = ["HAN_CHARS", "MAX_TOKEN_CHARS", "RUN_RE", "IndexBatch", "SearchCut", "Segmented", "Token", "segment", "segment_batch_for_index", "unpack_terms"]

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

    Each distinct term of the batch is listed once: terms of one to three characters as packed
    int64 ``keys`` (sorted; :func:`unpack_terms` gives their strings), the others as ``strings``.
    Every occurrence is a term number into ``keys`` followed by ``strings``, a unit position and
    the index of the text it came from."""

    keys: np.ndarray  # int64, sorted, distinct
    strings: list[str]
    ids: np.ndarray  # int32 term number of each occurrence
    positions: np.ndarray  # int32 unit position
    docs: np.ndarray  # int32 index of the text
    lengths: np.ndarray  # int32 units of each text

    def terms(self) -> list[str]:
        """Every distinct term, in term-number order."""
        return unpack_terms(self.keys) + self.strings


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
    against ``tokenize``). The batch path builds those grams as packed keys
    (:func:`_pack`); :meth:`known` says which are dictionary words, remembering the answers.
    """

    MEMO_LIMIT = 500_000  # grams whose answer is remembered

    def __init__(self, cut: Callable[[str], list[str]], has_word: Callable[[str], bool]) -> None:
        self.cut = cut
        self.has_word = has_word
        self._memo: dict[int, bool] = {}

    def known(self, keys: np.ndarray) -> np.ndarray:
        """Which of the distinct packed ``keys`` are dictionary words (bool array)."""
        memo = self._memo
        found = np.fromiter(map(memo.get, keys.tolist(), repeat(2)), dtype=np.int8, count=keys.size)
        missing = np.flatnonzero(found == 2)
        if missing.size:
            answers = list(map(self.has_word, unpack_terms(keys[missing])))
            found[missing] = answers
            if len(memo) < self.MEMO_LIMIT:
                memo.update(zip(keys[missing].tolist(), answers))
        return found.view(bool)


# A term of one to three characters packs into one int64: 21 bits per code point, first character
# highest, absent characters 0 (U+0000 never occurs in a term), so equal keys mean equal strings.
_CP_BITS = 21
_CP_MASK = (1 << _CP_BITS) - 1


def _pack(cp: np.ndarray, starts: np.ndarray, lens: np.ndarray) -> np.ndarray:
    """Keys of the terms ``cp[s:s + n]`` (``n`` from 1 to 3)."""
    key = cp[starts].astype(np.int64) << (2 * _CP_BITS)
    two = np.flatnonzero(lens >= 2)
    key[two] |= cp[starts[two] + 1].astype(np.int64) << _CP_BITS
    three = two[lens[two] >= 3]
    key[three] |= cp[starts[three] + 2]
    return key


def unpack_terms(keys: np.ndarray) -> list[str]:
    """The strings of packed term keys: three UCS-4 code points per key read as numpy ``U3``
    (which drops the trailing NULs of shorter terms), so no Python loop builds them."""
    cps = np.empty((keys.size, 3), dtype="<u4")
    cps[:, 0] = keys >> (2 * _CP_BITS)
    cps[:, 1] = (keys >> _CP_BITS) & _CP_MASK
    cps[:, 2] = keys & _CP_MASK
    return cps.view("<U3").ravel().tolist()


def _spans(starts: np.ndarray, lens: np.ndarray, k: int) -> np.ndarray:
    """Start of every k-gram of the spans ``starts[i]:starts[i] + lens[i]`` (spans of fewer than
    k characters give none)."""
    per = np.maximum(lens - (k - 1), 0)
    total = int(per.sum())
    first = np.repeat(np.cumsum(per) - per, per)
    return np.repeat(starts, per) + (np.arange(total, dtype=np.int64) - first)


def segment_batch_for_index(
    folded_texts: list[str], search: SearchCut, stem: Callable[[str], str] | None = None
) -> IndexBatch:
    """Index terms of many folded texts at once: Han words of two or more characters (jieba's
    search-mode sub-words included), every Han character as a unigram, and Latin words, each at
    the unit position :func:`segment` gives it.

    Per-character work is numpy over the texts joined by ``"\\n"`` (runs, units and unigrams come
    from character classes and cumulative sums, not a Python loop), and jieba cuts the texts that
    hold Han characters in ONE call (``"\\n"`` ends a jieba block, so each text is cut exactly as
    on its own), in search mode through :class:`SearchCut`. Terms of one to three characters
    (every unigram, most Han words, every sub-word) are numbered as packed int64 keys with one
    ``np.unique``, and only the batch's distinct ones become strings; Latin words and longer Han
    words are numbered with a dict. Python-level work is left for those and jieba's own output.
    """
    n = len(folded_texts)
    big = "\n".join(folded_texts)
    if not big:
        z = _EMPTY_I32
        return IndexBatch(np.empty(0, np.int64), [], z, z, z, np.zeros(n, np.int32))
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

    # Latin words (over-long ones take a unit but are not indexed, like Lucene's max token length),
    # and Han words of four or more characters: numbered with a dict, as strings
    lat = ~is_han & (ends - starts <= MAX_TOKEN_CHARS)
    ws, we = starts[lat].tolist(), ends[lat].tolist()
    strings = [big[s:e] for s, e in zip(ws, we)]
    if stem is not None:
        strings = list(map(stem, strings))
    str_pos = [unit[lat]]
    str_doc = [run_doc[lat]]

    # Han unigrams: every character of every Han run, at its run's unit plus its offset;
    # with Han words of two or three characters and the sub-words, numbered as packed keys
    hr = is_han
    h_lens = (ends - starts)[hr]
    han_idx = np.flatnonzero(han)
    keys = [cp[han_idx].astype(np.int64) << (2 * _CP_BITS)]
    key_pos = [han_idx + np.repeat(unit[hr] - starts[hr], h_lens)]
    key_doc = [np.repeat(run_doc[hr], h_lens)]

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
        word = (lens > 1) & han[s]
        short = np.flatnonzero(word & (lens <= 3))
        long_ = np.flatnonzero(word & (lens > 3))
        # search-mode sub-words: the 2-grams of words longer than two, the 3-grams of words longer
        # than three, that start with a Han character and are dictionary words
        sub = np.flatnonzero(lens > 2)
        g2 = _spans(s[sub], lens[sub], 2)
        sub3 = sub[lens[sub] > 3]
        g3 = _spans(s[sub3], lens[sub3], 3)
        g_start = np.concatenate([g2, g3])
        g_len = np.repeat(np.array([2, 3], dtype=np.int64), [g2.size, g3.size])
        on_han = han[g_start]
        g_start, g_len = g_start[on_han], g_len[on_han]
        g_keys = _pack(cp, g_start, g_len)
        distinct, inverse = np.unique(g_keys, return_inverse=True)
        is_word = search.known(distinct)[inverse]
        w_start = np.concatenate([s[short], g_start[is_word]])
        keys.append(np.concatenate([_pack(cp, s[short], lens[short]), g_keys[is_word]]))
        strings += [base[i] for i in long_.tolist()]
        h_unit = unit[hr]
        h_doc = run_doc[hr]
        for starts_, out_pos, out_doc in ((w_start, key_pos, key_doc), (s[long_], str_pos, str_doc)):
            run = np.searchsorted(h_start, starts_, side="right") - 1
            out_pos.append(h_unit[run] + starts_ - h_start[run])
            out_doc.append(h_doc[run])

    distinct, key_ids = np.unique(np.concatenate(keys), return_inverse=True)
    vocab, str_ids = _number(strings, distinct.size)
    return IndexBatch(
        distinct,
        vocab,
        np.concatenate([key_ids.astype(np.int32), str_ids]),
        np.concatenate(key_pos + str_pos).astype(np.int32),
        np.concatenate(key_doc + str_doc).astype(np.int32),
        lengths,
    )


def _number(strings: list[str], offset: int) -> tuple[list[str], np.ndarray]:
    """The distinct ``strings`` in first-seen order, and each one's number in that list plus
    ``offset``."""
    if not strings:
        return [], _EMPTY_I32
    seen: dict[str, int] = {}
    first = np.fromiter(map(seen.setdefault, strings, count()), dtype=np.int64, count=len(strings))
    dense = np.empty(len(strings), dtype=np.int32)
    dense[np.fromiter(seen.values(), dtype=np.int64, count=len(seen))] = np.arange(offset, offset + len(seen), dtype=np.int32)
    return list(seen), dense[first]
