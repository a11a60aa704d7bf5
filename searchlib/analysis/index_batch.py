"""Index terms of many folded texts at once: the vectorized form of the token path.

What a text is indexed as is defined by :mod:`searchlib.analysis.tokenize`: its units, Han words
in jieba's search mode (:class:`~searchlib.analysis.tokenize.SearchMode`), every Han character as
a unigram, Latin words (through the analyzer's Latin filter, e.g. stemming). This module computes
the same terms for a batch of texts with numpy doing the per-character work; a property test
(``tests/analysis/test_index_batch.py``) checks it against the token path term for term.

* Character classes come from :func:`searchlib.analysis.chars.char_classes` (the definitions the
  tokenizer's regex is built from); runs, units and unigrams come from cumulative sums.
* jieba cuts the texts that hold Han characters in ONE call (``"\\n"`` ends a jieba block, so each
  text is cut exactly as on its own); the search-mode sub-words are the rules of
  :class:`~searchlib.analysis.tokenize.SearchMode` applied to arrays.
* Terms of one to three characters (every unigram, most Han words, every sub-word) are numbered as
  packed int64 keys (:mod:`searchlib.analysis.terms`) with one ``np.unique``; only Latin words and
  longer Han words go through a dict.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from searchlib.analysis.chars import HAN, JOINER, NO_BREAK_CLASS, WORD, char_classes
from searchlib.analysis.terms import CP_BITS, number_strings, pack_terms, unpack_terms
from searchlib.analysis.tokenize import MAX_TOKEN_CHARS, SearchMode

__all__ = ["IndexBatch", "segment_batch_for_index"]

_EMPTY_I32 = np.empty(0, dtype=np.int32)


class IndexBatch(NamedTuple):
    """Index terms of a batch of folded texts, as flat arrays.

    Each distinct term of the batch is listed once: terms of one to three characters as packed
    int64 ``keys`` (sorted; :func:`~searchlib.analysis.terms.unpack_terms` gives their strings),
    the others as ``strings``. Every occurrence is a term number into ``keys`` followed by
    ``strings``, a unit position and the index of the text it came from."""

    keys: np.ndarray  # int64, sorted, distinct
    strings: list[str]
    ids: np.ndarray  # int32 term number of each occurrence
    positions: np.ndarray  # int32 unit position
    docs: np.ndarray  # int32 index of the text
    lengths: np.ndarray  # int32 units of each text

    def terms(self) -> list[str]:
        """Every distinct term, in term-number order."""
        return unpack_terms(self.keys) + self.strings


class _Runs(NamedTuple):
    """The script runs of a batch, in text order, with their units."""

    starts: np.ndarray
    ends: np.ndarray
    is_han: np.ndarray
    doc: np.ndarray  # int32 text of each run
    unit: np.ndarray  # unit of each run's first character, counted from its text's start
    lengths: np.ndarray  # int32 units of each text
    han: np.ndarray  # bool per character: Han
    h_start: np.ndarray  # starts of the Han runs


def _run_bounds(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Starts and ends of the maximal runs of True in ``mask``."""
    edges = np.diff(mask.view(np.int8), prepend=0, append=0)
    return np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)


def _runs(cp: np.ndarray, doc_start: np.ndarray, n: int) -> _Runs:
    """Han runs and Latin words (:data:`~searchlib.analysis.tokenize.RUN_RE`) with the unit of
    each (:func:`~searchlib.analysis.tokenize.scan_units`), for all texts at once."""
    cls = char_classes(cp)
    han = cls == HAN
    word = cls == WORD
    # '.' and apostrophes join letters/digits on both sides into one word ("u.s", "3.5", "don't")
    joiner = cls == JOINER
    joiner[0] = joiner[-1] = False
    joiner[1:-1] &= word[:-2] & word[2:]
    latin = word | joiner
    h_start, h_end = _run_bounds(han)
    l_start, l_end = _run_bounds(latin)
    starts = np.concatenate([h_start, l_start])  # Han and Latin runs never overlap
    order = np.argsort(starts, kind="stable")
    starts = starts[order]
    ends = np.concatenate([h_end, l_end])[order]
    is_han = order < h_start.size
    n_runs = starts.size
    run_doc = (np.searchsorted(doc_start, starts, side="right") - 1).astype(np.int32)
    # a break between two runs of one text: any character in the gap that is not a no-break separator
    breaking = ~(han | latin | (cls == NO_BREAK_CLASS))
    cum_break = np.zeros(cp.size + 1, dtype=np.int64)
    np.cumsum(breaking, out=cum_break[1:])
    brk = np.zeros(n_runs, dtype=np.int64)
    if n_runs > 1:
        brk[1:] = cum_break[starts[1:]] > cum_break[ends[:-1]]
    first = np.ones(n_runs, dtype=bool)
    first[1:] = run_doc[1:] != run_doc[:-1]
    size = np.where(is_han, ends - starts, 1)
    before = np.cumsum(brk) + np.cumsum(size) - size  # units before each run, from the batch start
    first_idx = np.flatnonzero(first)
    unit = before - np.repeat(before[first_idx], np.diff(np.append(first_idx, n_runs)))
    lengths = np.zeros(n, dtype=np.int32)
    if n_runs:
        last = np.append(first_idx[1:] - 1, n_runs - 1)
        lengths[run_doc[last]] = unit[last] + size[last]
    return _Runs(starts, ends, is_han, run_doc, unit, lengths, han, h_start)


def segment_batch_for_index(
    folded_texts: list[str],
    search: SearchMode,
    cut: Callable[[str], list[str]],
    latin_filter: Any = None,
) -> IndexBatch:
    """Index terms of many folded texts: Han words of two or more characters (search-mode
    sub-words included), every Han character as a unigram, and Latin words (through
    ``latin_filter``, an object with ``apply(words, groups) -> (terms, sources)``, see
    :mod:`searchlib.analysis.stages`), each at the unit position the token path gives it."""
    n = len(folded_texts)
    big = "\n".join(folded_texts)
    if not big:
        z = _EMPTY_I32
        return IndexBatch(np.empty(0, np.int64), [], z, z, z, np.zeros(n, np.int32))
    cp = np.frombuffer(big.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    doc_start = np.zeros(n, dtype=np.int64)
    if n > 1:
        np.cumsum(np.fromiter(map(len, folded_texts[:-1]), dtype=np.int64, count=n - 1) + 1, out=doc_start[1:])
    runs = _runs(cp, doc_start, n)
    strings, str_pos, str_doc = _latin_terms(big, runs, doc_start, latin_filter)
    keys, key_pos, key_doc = _han_unigrams(cp, runs)
    if key_pos[0].size:
        _han_words(folded_texts, big, cp, doc_start, runs, search, cut,
                   (keys, key_pos, key_doc), (strings, str_pos, str_doc))
    distinct, key_ids = np.unique(np.concatenate(keys), return_inverse=True)
    vocab, str_ids = number_strings(strings, distinct.size)
    return IndexBatch(
        distinct,
        vocab,
        np.concatenate([key_ids.astype(np.int32), str_ids]),
        np.concatenate(key_pos + str_pos).astype(np.int32),
        np.concatenate(key_doc + str_doc).astype(np.int32),
        runs.lengths,
    )


def _latin_terms(big: str, runs: _Runs, doc_start: np.ndarray, latin_filter: Any
                 ) -> tuple[list[str], list[np.ndarray], list[np.ndarray]]:
    """Latin words (over-long ones take a unit but are not indexed, like Lucene's max token
    length) through the Latin filter; a word's group is its stretch of Latin text between Han
    runs within one text (what the filter decides a language for)."""
    lat = ~runs.is_han & (runs.ends - runs.starts <= MAX_TOKEN_CHARS)
    ws, we = runs.starts[lat], runs.ends[lat]
    words = [big[s:e] for s, e in zip(ws.tolist(), we.tolist())]
    pos, doc = runs.unit[lat], runs.doc[lat]
    if latin_filter is not None and words:
        cuts = np.union1d(runs.h_start, doc_start[1:])
        groups = np.searchsorted(cuts, ws, side="right").tolist()
        words, src = latin_filter.apply(words, groups)
        src_a = np.asarray(src, dtype=np.int64)
        pos, doc = pos[src_a], doc[src_a]
    return words, [pos], [doc]


def _han_unigrams(cp: np.ndarray, runs: _Runs) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]:
    """Every character of every Han run, at its run's unit plus its offset, as packed keys."""
    hr = runs.is_han
    h_lens = (runs.ends - runs.starts)[hr]
    han_idx = np.flatnonzero(runs.han)
    keys = [cp[han_idx].astype(np.int64) << (2 * CP_BITS)]
    key_pos = [han_idx + np.repeat(runs.unit[hr] - runs.starts[hr], h_lens)]
    key_doc = [np.repeat(runs.doc[hr], h_lens)]
    return keys, key_pos, key_doc


def _han_words(folded_texts: list[str], big: str, cp: np.ndarray, doc_start: np.ndarray, runs: _Runs,
               search: SearchMode, cut: Callable[[str], list[str]],
               key_out: tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]],
               str_out: tuple[list[str], list[np.ndarray], list[np.ndarray]]) -> None:
    """Han words of two or more characters and their search-mode sub-words, from ONE jieba call
    over the texts that hold Han characters: words of two or three characters and the sub-words
    as packed keys (appended to ``key_out``), longer words as strings (to ``str_out``)."""
    n = len(folded_texts)
    hr = runs.is_han
    has_han = np.zeros(n, dtype=bool)
    has_han[runs.doc[hr]] = True
    picked = np.flatnonzero(has_han)
    if picked.size == n:
        text, shift = big, None
    else:
        text = "\n".join([folded_texts[i] for i in picked.tolist()])
        lens = np.fromiter((len(folded_texts[i]) + 1 for i in picked.tolist()), dtype=np.int64, count=picked.size)
        j_start = np.zeros(picked.size, dtype=np.int64)
        np.cumsum(lens[:-1], out=j_start[1:])
        shift = (j_start, doc_start[picked] - j_start)
    base = cut(text)
    lens = np.fromiter(map(len, base), dtype=np.int64, count=len(base))
    s = np.cumsum(lens) - lens  # jieba's default cut tiles the text
    if shift is not None:
        s += shift[1][np.searchsorted(shift[0], s, side="right") - 1]
    han = runs.han
    word = (lens > 1) & han[s]
    short = np.flatnonzero(word & (lens <= 3))
    long_ = np.flatnonzero(word & (lens > 3))
    g_start, g_len = search.gram_spans(s, lens)
    on_han = han[g_start]
    g_start, g_len = g_start[on_han], g_len[on_han]
    g_keys = pack_terms(cp, g_start, g_len)
    distinct, inverse = np.unique(g_keys, return_inverse=True)
    is_word = search.known(distinct)[inverse]
    w_start = np.concatenate([s[short], g_start[is_word]])
    keys, key_pos, key_doc = key_out
    strings, str_pos, str_doc = str_out
    keys.append(np.concatenate([pack_terms(cp, s[short], lens[short]), g_keys[is_word]]))
    strings += [base[i] for i in long_.tolist()]
    h_start = runs.h_start
    h_unit = runs.unit[hr]
    h_doc = runs.doc[hr]
    for starts_, out_pos, out_doc in ((w_start, key_pos, key_doc), (s[long_], str_pos, str_doc)):
        run = np.searchsorted(h_start, starts_, side="right") - 1
        out_pos.append(h_unit[run] + starts_ - h_start[run])
        out_doc.append(h_doc[run])
