"""Splitting folded text into tokens with unit positions: script runs, Han words, Latin words.

Position design (what phrase queries rely on)
---------------------------------------------
jieba segments the same characters differently depending on context: a document may hold
``工程机械`` as one word while the query ``工程机械产业`` arrives as ``工程 / 机械 / 产业``, or the
other way round. Word-numbered positions would make such phrases miss. So positions count
*units*, not words:

* every Han character is one unit, and a Han word (or sub-word) takes the position of its first
  character: ``工程机械`` at 7 spans units 7-10, its sub-word ``机械`` sits at 9;
* every Latin/digit word is one unit;
* a run of punctuation or symbols (other than whitespace and hyphens, :data:`~searchlib.analysis.chars.NO_BREAK`)
  between two tokens adds one empty unit, so a phrase never matches across ``。`` or ``,``
  unless the query has the same break.

At index time every Han character is also recorded as a single-character term at its own unit
(:mod:`searchlib.analysis.index_batch`). A phrase is then a sequence of units (characters for Han
text, words for Latin text) that must sit at consecutive positions: it matches wherever the
document contains the folded phrase text contiguously, whatever jieba did on either side. Word
terms (with search-mode sub-words, so ``机械`` finds ``工程机械``) carry the ranking; character
terms make phrases exact. The field length used by BM25 is the number of units, which does not
depend on the segmentation either.

Search mode
-----------
:class:`SearchMode` is the one definition of jieba's search mode used by searchlib: jieba's
default cut, plus, for every word longer than ``k`` characters (``k`` in :data:`SearchMode.GRAM_SIZES`),
each ``k``-character substring that starts with a Han character and is a dictionary word. This is
what ``jieba.cut_for_search`` and jieba-rs do (tests check it against both). The token path here
applies it per word (memoized); the batch path (:mod:`searchlib.analysis.index_batch`) applies the
same rules to arrays of packed keys; a property test checks that both give the same terms.
"""
from __future__ import annotations

import re
from bisect import insort
from collections.abc import Callable
from itertools import repeat
from operator import itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple

from searchlib.analysis.chars import HAN_CHARS, HAN_RE, NO_BREAK

if TYPE_CHECKING:
    import numpy as np
# numpy only for the batch path (SearchMode.gram_spans/known): one text does not import it.

__all__ = [
    "HAN_CHARS",
    "MAX_TOKEN_CHARS",
    "RUN_RE",
    "SearchMode",
    "Segmented",
    "Token",
    "merge_by_position",
    "scan_units",
    "segment",
    "segment_lazily",
]

# Han runs, or words of letters/digits with inner '.' or apostrophes ("u.s", "don't", "3.5").
RUN_RE = re.compile(
    rf"(?P<han>[{HAN_CHARS}]+)|[^\W_{HAN_CHARS}]+(?:[.'’][^\W_{HAN_CHARS}]+)*"
)
# Longer "words" are data garbage (base64, URLs without separators); Lucene drops them likewise.
MAX_TOKEN_CHARS = 128

_by_position = itemgetter(3)
_new = tuple.__new__


class Token(NamedTuple):
    """One term occurrence: ``text`` is the index term, ``start``/``end`` index the analyzed string."""

    text: str
    start: int
    end: int
    position: int


class Segmented(NamedTuple):
    """A folded text split into tokens (offsets into the folded text):

    ``han`` - Han words in position order; ``latin`` - Latin/digit words in position order, as
    written (stemming comes later); ``groups`` - for each Latin word, its stretch of Latin text
    (the number of Han runs before it); ``units`` - the unit count (BM25 field length)."""

    han: list[Token]
    latin: list[Token]
    groups: list[int]
    units: int


def scan_units(folded: str) -> tuple[list[Token], list[int], list[tuple[int, int, int]], int]:
    """One regex pass: Latin word tokens, their groups (the number of Han runs before each),
    the Han runs ``(start, end, first_unit)`` and the unit count. Words longer than
    :data:`MAX_TOKEN_CHARS` take their unit but give no token."""
    latin: list[Token] = []
    groups: list[int] = []
    stretches: list[tuple[int, int, int]] = []
    unit = 0
    prev = -1  # folded end of the previous run, -1 before the first
    no_break = NO_BREAK
    for m in RUN_RE.finditer(folded):
        ms, me = m.span()
        if ms > prev >= 0:
            if ms - prev == 1:  # the common case: one separator character
                if folded[prev] not in no_break:
                    unit += 1
            elif folded[prev:ms].strip(no_break):
                unit += 1
        prev = me
        if m.lastgroup:  # the only named group is "han"
            stretches.append((ms, me, unit))
            unit += me - ms
        else:
            if me - ms <= MAX_TOKEN_CHARS:
                latin.append(_new(Token, (m.group(), ms, me, unit)))
                groups.append(len(stretches))
            unit += 1
    return latin, groups, stretches, unit


class SearchMode:
    """jieba's search mode over its default cut (see the module docstring).

    Args:
        has_word: whether a string is a dictionary word (jieba's ``FREQ`` entry with a count).
    """

    GRAM_SIZES = (2, 3)
    MEMO_LIMIT = 500_000  # words and grams whose answer is remembered

    def __init__(self, has_word: Callable[[str], bool]) -> None:
        self.has_word = has_word
        self._known: dict[int, bool] = {}
        # word -> expansion: a dict whose hits cost no Python call (the token path looks up
        # every long word of every text)
        self.expansions = _Expansions(self)

    # -- one word at a time (the token path) -----------------------------------------------------
    def expansion(self, word: str) -> tuple[tuple[str, int, int], ...]:
        """``(term, start, end)`` of the search-mode terms of ``word`` that start with a Han
        character (offsets relative to the word), ordered by ``(start, end)``: the word itself
        (when it starts with a Han character) and its dictionary sub-words."""
        return self.expansions[word]

    def _expand(self, word: str) -> tuple[tuple[str, int, int], ...]:
        n = len(word)
        found = [(word, 0, n)] if HAN_RE.match(word) else []
        for k in self.GRAM_SIZES:
            for i in range(n - k + 1 if n > k else 0):
                gram = word[i:i + k]
                if HAN_RE.match(gram) and self.has_word(gram):
                    found.append((gram, i, i + k))
        return tuple(sorted(found, key=_start_end))

    # -- many words at once (the batch path) ---------------------------------------------------
    def gram_spans(self, starts: np.ndarray, lens: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Start and length of every candidate sub-word of the words ``starts[i]:starts[i] + lens[i]``
        (each ``k``-gram of a word longer than ``k``); the caller keeps those that start with a
        Han character and are dictionary words (:meth:`known`)."""
        import numpy as np

        g_start, g_len = [], []
        for k in self.GRAM_SIZES:
            per = np.maximum(lens - (k - 1), 0) * (lens > k)
            total = int(per.sum())
            first = np.repeat(np.cumsum(per) - per, per)
            g_start.append(np.repeat(starts, per) + (np.arange(total, dtype=np.int64) - first))
            g_len.append(np.full(total, k, dtype=np.int64))
        return np.concatenate(g_start), np.concatenate(g_len)

    def known(self, keys: np.ndarray) -> np.ndarray:
        """Which of the distinct packed term ``keys`` (:mod:`searchlib.analysis.terms`) are
        dictionary words (bool array), remembering the answers."""
        import numpy as np

        from searchlib.analysis.terms import unpack_terms

        memo = self._known
        found = np.fromiter(map(memo.get, keys.tolist(), repeat(2)), dtype=np.int8, count=keys.size)
        missing = np.flatnonzero(found == 2)
        if missing.size:
            answers = list(map(self.has_word, unpack_terms(keys[missing])))
            found[missing] = answers
            if len(memo) < self.MEMO_LIMIT:
                memo.update(zip(keys[missing].tolist(), answers))
        return found.view(bool)


class _Expansions(dict[str, tuple[tuple[str, int, int], ...]]):
    __slots__ = ("mode",)

    def __init__(self, mode: SearchMode) -> None:
        super().__init__()
        self.mode = mode

    def __missing__(self, word: str) -> tuple[tuple[str, int, int], ...]:
        out = self.mode._expand(word)
        if len(self) < SearchMode.MEMO_LIMIT:
            self[word] = out
        return out


def _start_end(t: tuple[str, int, int]) -> tuple[int, int]:
    return t[1], t[2]


# Text is read along jieba's words when every character is Han or below U+3400 (so "a word >=
# U+3400 starts with a Han character" holds); letters outside ASCII below U+3400 (jieba cuts
# them one by one) are caught on the way. Characters jieba joins to Han characters in one block
# (ASCII letters, digits and a few symbols) need the Latin-aware reading.
_NOT_ALONG_RE = re.compile(rf"[^\x00-\u33ff{HAN_CHARS}]")
_BLOCK_CHAR_RE = re.compile(r"[a-zA-Z0-9+#&._%\-]")
_NOT_HAN_ALONG_RE = re.compile(rf"[^\x00-\u33ff{HAN_CHARS}]|[a-zA-Z0-9+#&._%\-]")  # either of the two
_WORD_OR_HAN_RE = re.compile(r"[^\W_]")
_HAN_FROM = "\u3400"
_HAN_ANY_RE = re.compile(f"[{HAN_CHARS}]")
_ASCII_ALNUM = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
# The one-character separators that do not break a phrase, and CRLF (jieba yields it whole).
_NO_BREAK_WORDS = frozenset(NO_BREAK) | {"\r\n"}
_NOWHERE = 1 << 62


def segment(folded: str, cut: Callable[[str], list[str]], search: SearchMode | None = None) -> Segmented:
    """Tokens of ``folded`` with unit positions.

    ``cut`` is jieba's default cut (words that tile the text); with ``search`` every word longer
    than two characters expands into its search-mode terms (:class:`SearchMode`). jieba cuts the
    whole text in ONE call, far cheaper than one call per run, and each Han word takes the unit of
    its first character; Han tokens come out in position order (a sub-word that starts with its
    word before it, as jieba orders them).

    Units and Latin words are defined by :func:`scan_units` (one regex pass). Most text is read
    along jieba's words instead, which gives the same result faster: a Han word lies within one
    run, a word starting with an ASCII letter or digit starts a :data:`RUN_RE` word, every other
    word is a separator. Where jieba's words do not line up with that (a dictionary word mixing
    scripts, letters jieba cuts one by one), the regex pass decides.
    """
    if _NOT_HAN_ALONG_RE.search(folded) is None:  # the common case, in one scan
        seg = _segment_han_along(folded, cut, search)
    elif _NOT_ALONG_RE.search(folded) is None:
        seg = _segment_along(folded, cut, search)
    else:
        seg = None
    return seg if seg is not None else _segment_scanned(folded, cut, search)


def segment_lazily(folded: str, cut: Callable[[str], list[str]], search: SearchMode | None = None) -> Segmented:
    """:func:`segment` that calls ``cut`` only for text holding Han characters (text without any
    takes the definition's regex pass): a Latin query never loads jieba's dictionary."""
    if _HAN_ANY_RE.search(folded) is None:
        return _segment_scanned(folded, cut, search)
    return segment(folded, cut, search)


def _segment_scanned(folded: str, cut: Callable[[str], list[str]], search: SearchMode | None) -> Segmented:
    """:func:`segment` with the units from :func:`scan_units` (the definition)."""
    latin, groups, stretches, units = scan_units(folded)
    if not stretches:
        return _new(Segmented, ([], latin, groups, units))
    unit_at: list[int | None] = [None] * len(folded)  # the unit of every Han character
    for rs, re_, base in stretches:
        unit_at[rs:re_] = range(base, base + re_ - rs)
    han: list[Token] = []
    append = han.append
    s = 0
    if search is None:
        for w in cut(folded):
            n = len(w)
            p = unit_at[s]
            if p is not None:
                append(_new(Token, (w, s, s + n, p)))
            s += n
    else:
        expansions = search.expansions
        for w in cut(folded):
            n = len(w)
            if n > 2:  # a word starting with a Latin letter may have Han sub-words too
                for g, a, b in expansions[w]:
                    append(_new(Token, (g, s + a, s + b, unit_at[s + a])))
            else:
                p = unit_at[s]
                if p is not None:
                    append(_new(Token, (w, s, s + n, p)))
            s += n
    return _new(Segmented, (han, latin, groups, units))


def _segment_han_along(folded: str, cut: Callable[[str], list[str]], search: SearchMode | None) -> Segmented | None:
    """:func:`segment` of text without the characters jieba joins to Han ones (no Latin words):
    read along jieba's words, every one a Han word or one separator; None if a separator turns
    out to be a letter (which RUN_RE would make a word)."""
    han: list[Token] = []
    append = han.append
    s = unit = 0
    brk = False  # a breaking separator since the last Han run (only after one: unit > 0)
    han_from, no_break = _HAN_FROM, _NO_BREAK_WORDS
    if search is None:
        for w in cut(folded):
            n = len(w)
            if w >= han_from:
                if brk:
                    unit += 1
                    brk = False
                append(_new(Token, (w, s, s + n, unit)))
                unit += n
            elif w not in no_break:
                if w.isalnum():
                    return None
                if unit:
                    brk = True
            s += n
    else:
        expansions = search.expansions
        for w in cut(folded):
            n = len(w)
            if w >= han_from:
                if brk:
                    unit += 1
                    brk = False
                if n > 2:
                    for g, a, b in expansions[w]:
                        append(_new(Token, (g, s + a, s + b, unit + a)))
                else:
                    append(_new(Token, (w, s, s + n, unit)))
                unit += n
            elif w not in no_break:
                if w.isalnum():
                    return None
                if unit:
                    brk = True
            s += n
    return _new(Segmented, (han, [], [], unit))


def _segment_along(folded: str, cut: Callable[[str], list[str]], search: SearchMode | None) -> Segmented | None:
    """:func:`segment` read along jieba's words (text without ``_NOT_ALONG_RE`` characters), or
    None where jieba's words do not line up with the runs."""
    bounds = [p for m in _BLOCK_CHAR_RE.finditer(folded) if (p := m.start()) and folded[p - 1] >= _HAN_FROM]
    bounds.append(_NOWHERE)
    nb, bi = bounds[0], 0
    han: list[Token] = []
    latin: list[Token] = []
    groups: list[int] = []
    append = han.append
    s = unit = 0
    latin_end = 0  # end of the last RUN_RE word
    brk = False  # a breaking separator since the last run (only after one: unit > 0)
    han_from, alnum, no_break = _HAN_FROM, _ASCII_ALNUM, _NO_BREAK_WORDS
    expansions = search.expansions if search is not None else None
    for w in cut(folded):
        n = len(w)
        if s >= nb:
            if s > nb:
                return None  # a word runs from a Han character into a Latin one
            bi += 1
            nb = bounds[bi]
        if w >= han_from:
            if brk:
                unit += 1
                brk = False
            if n > 2 and expansions is not None:
                for g, a, b in expansions[w]:
                    append(_new(Token, (g, s + a, s + b, unit + a)))
            else:
                append(_new(Token, (w, s, s + n, unit)))
            unit += n
        elif s < latin_end:  # inside a RUN_RE word begun by an earlier jieba word
            if s + n > latin_end:
                tail = w[latin_end - s:]
                if _WORD_OR_HAN_RE.search(tail):
                    return None
                if tail.strip(NO_BREAK):
                    brk = True
        elif w[0] in alnum:
            m = RUN_RE.match(folded, s)
            me = m.end()  # type: ignore[union-attr]
            if brk:
                unit += 1
                brk = False
            if me - s <= MAX_TOKEN_CHARS:
                latin.append(_new(Token, (m.group(), s, me, unit)))  # type: ignore[union-attr]
                groups.append(len(han))
            unit += 1
            latin_end = me
            if s + n > me:
                tail = w[me - s:]
                if _WORD_OR_HAN_RE.search(tail):
                    return None
                if tail.strip(NO_BREAK):
                    brk = True
        elif n == 1 or w == "\r\n":
            if w.isalnum():
                return None  # a letter outside ASCII: RUN_RE may join it to its neighbours
            if unit and w not in no_break:
                brk = True
        else:
            if _WORD_OR_HAN_RE.search(w):
                return None
            if unit and w.strip(NO_BREAK):
                brk = True
        s += n
    if nb != _NOWHERE:
        return None  # the last word runs from a Han character into a Latin one
    return _new(Segmented, (han, latin, groups, unit))


def merge_by_position(han: list[Token], latin: list[Token]) -> list[Token]:
    """One token list in position order (each input is in position order already; a Han and a
    Latin token never share a position). Usually a few Latin words go into many Han tokens."""
    if not latin:
        return han
    if not han:
        return latin
    if len(latin) <= 8:
        out = list(han)
        for tok in latin:
            insort(out, tok, key=_by_position)
        return out
    out = han + latin
    out.sort(key=_by_position)  # two sorted runs: one merge pass
    return out


def __getattr__(name: str) -> Any:
    # Older names, now in their own modules.
    if name in ("IndexBatch", "segment_batch_for_index"):
        from searchlib.analysis import index_batch

        return getattr(index_batch, name)
    if name == "unpack_terms":
        from searchlib.analysis.terms import unpack_terms

        return unpack_terms
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
