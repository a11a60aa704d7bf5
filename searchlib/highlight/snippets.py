"""Snippet windows: which parts of a document to show around its matches.

Input: the original text, its merged matches (:class:`Match`, sorted and disjoint; ``bits`` says
which query terms/phrases each one holds) and ``max_chars``, the number of visible characters
allowed (ellipses and separators included, markup excluded). Output: a list of pieces
``(text, marked)`` that a formatter (:mod:`searchlib.highlight.format`) renders.

How the window is chosen
------------------------
* A document of at most ``max_chars`` characters is shown whole.
* No match: the start of the document, cut at the best boundary (below), then ``…``.
* Otherwise the *core* is the run of consecutive matches that fits in the budget with the most
  distinct query terms, then the most matches (the earliest wins ties). The core is widened into
  a window of context. Leftwards: to the start of its sentence (or of the text) when that lies
  within two thirds of the spare room, else of its clause (within half), else to the space
  nearest a third of the spare room, else a character boundary there. Rightwards: to the last
  sentence end, else clause end, else space in the upper half of the remaining room; else the
  same nearer the core; else a character boundary. At the end of the text, room left over goes
  back to the left. Boundaries: sentence ``。！？；…!?;``, ``.`` before a space, and line breaks
  (with closing quotes or brackets that follow); clause ``，、：,:``. A cut never falls inside a
  match (the one exception: a single match longer than the whole budget) nor, where avoidable,
  inside a Latin word.
* When the best window misses query terms that occur elsewhere in the document, several smaller
  windows are tried (greedily, each adding the most missing terms, at most
  :data:`MAX_FRAGMENTS`), joined with `` … ``; they are used if they show more distinct terms.
* ``…`` marks text left out at the start or end; whitespace runs show as one space.
* Below 8 characters there is no room for boundaries or ellipses: the plain start of the text.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from typing import NamedTuple

from searchlib.analysis.chars import WORD_CHAR_RE

__all__ = ["MAX_FRAGMENTS", "Match", "Piece", "select_fragments"]

MAX_FRAGMENTS = 3
ELLIPSIS = "…"
SEPARATOR = " … "

Piece = tuple[str, bool]  # (visible text, is a match)

_CLOSERS = "\"'”’」』）)\\]】》"
_SENTENCE_END_RE = re.compile(rf"(?:[。！？；!?;…]+|\.+(?=\s)|\n)[{_CLOSERS}]*")
_CLAUSE_END_RE = re.compile(rf"[，、：,:]+[{_CLOSERS}]*")
_SPACE_RE = re.compile(r"\s+")
_NONSPACE_RE = re.compile(r"\S")
_WORD_CHAR_RE = WORD_CHAR_RE  # a letter/digit of a non-Han script
_RIGHT_CUTS = ((_SENTENCE_END_RE, True), (_CLAUSE_END_RE, True), (_SPACE_RE, False))
_LOOKBACK = 8  # a boundary ending at p starts at most this far before it (terminators + closers)


class Match(NamedTuple):
    """One highlighted span of the original text: ``bits`` = which query terms/phrases it holds
    (bit i = the i-th one), ``count`` = how many raw matches were merged into it."""

    start: int
    end: int
    bits: int
    count: int


class _Doc:
    """The text with its matches, and the boundary searches over it."""

    __slots__ = ("text", "n", "matches", "starts", "ends")

    def __init__(self, text: str, matches: list[Match]) -> None:
        self.text = text
        self.n = len(text)
        self.matches = matches
        self.starts = [m.start for m in matches]
        self.ends = [m.end for m in matches]

    def match_at(self, p: int) -> Match | None:
        """The match that a cut at ``p`` would split (``start < p < end``), if any."""
        i = bisect_left(self.starts, p) - 1
        if i >= 0 and self.ends[i] > p:
            return self.matches[i]
        return None

    def boundaries(self, regex: re.Pattern[str], lo: int, hi: int, at_end: bool = True) -> list[int]:
        """Cut positions in ``[lo, hi]`` after (``at_end``) or before each regex match."""
        i = bisect_left(self.starts, hi) - 1  # the last match starting before hi
        check = i >= 0 and self.ends[i] > lo  # some match overlaps the range
        if at_end:
            found = [m.end() for m in regex.finditer(self.text, max(0, lo - _LOOKBACK), hi)]
        else:
            found = [m.start() for m in regex.finditer(self.text, lo, hi)]
        if found and found[0] < lo:
            found = [p for p in found if p >= lo]
        if check:
            found = [p for p in found if self.match_at(p) is None]
        return found

    def splits_word(self, p: int) -> bool:
        word = _WORD_CHAR_RE.match
        return 0 < p < self.n and word(self.text, p - 1) is not None and word(self.text, p) is not None

    def char_cut(self, p: int, lo: int) -> int:
        """``p`` moved out of any match and, if the range allows, out of a Latin word."""
        m = self.match_at(p)
        if m is not None:  # a match holding p never reaches outside [lo, hi] on both sides
            p = m.start if m.start >= lo else m.end
        if self.splits_word(p):
            q = p
            while q > lo and self.splits_word(q):
                q -= 1
            if not self.splits_word(q) and self.match_at(q) is None:
                p = q
        return p

    # -- one window -------------------------------------------------------------------------------
    def cut_right(self, lo: int, hi: int) -> int:
        """End of a window that must reach ``lo`` and may reach ``hi``."""
        if hi >= self.n:
            return self.n
        mid = lo + (hi - lo) // 2
        for start in (mid, lo):  # a good boundary in the upper half, else one nearer the core
            for regex, at_end in _RIGHT_CUTS:
                found = self.boundaries(regex, start, hi if start == mid else mid, at_end)
                if found:
                    return found[-1]
        return self.char_cut(hi, lo)

    def cut_left(self, core_start: int, slack: int) -> int:
        """Start of a window around a core starting at ``core_start`` with ``slack`` spare chars."""
        lo = max(0, core_start - slack)
        near = max(lo, core_start - (2 * slack) // 3)
        found = self.boundaries(_SENTENCE_END_RE, near, core_start)
        if found:
            return found[-1]  # the start of the sentence holding the core
        if near == 0:
            return 0  # the start of the text is a sentence start too
        found = self.boundaries(_CLAUSE_END_RE, max(lo, core_start - slack // 2), core_start)
        if found:
            return found[-1]
        target = core_start - slack // 3
        found = self.boundaries(_SPACE_RE, lo, core_start)
        if found:
            return min(found, key=lambda p: abs(p - target))
        return self.char_cut(target, lo)

    def fit(self, core_start: int, core_end: int, width: int) -> tuple[int, int]:
        """A window of at most ``width`` characters containing the core, cut at good boundaries."""
        if core_end - core_start >= width:
            return core_start, core_start + width  # only a single over-long match gets here
        slack = width - (core_end - core_start)
        a = self.cut_left(core_start, slack)
        b = self.cut_right(core_end, min(self.n, a + width))
        if b == self.n and a > 0:  # at the end of the text: give the spare room to the left
            lo = max(0, b - width)
            if lo == 0:
                a = 0
            else:
                found = self.boundaries(_SENTENCE_END_RE, lo, a)
                if found:
                    a = found[0]
        return a, b


def _popcount(x: int) -> int:
    return bin(x).count("1")


def _best_core(matches: list[Match], width: int, want: int) -> tuple[int, int, tuple[int, int]]:
    """Consecutive matches ``[i, j)`` spanning at most ``width`` characters with the most distinct
    wanted bits, then the most wanted matches; the earliest wins ties. A single match always
    qualifies. Returns ``(i, j, (distinct, count))``."""
    counts: dict[int, int] = {}
    distinct = total = 0
    best = (0, 1, (-1, -1))
    j = 0
    m = len(matches)
    for i in range(m):
        start = matches[i].start
        if j <= i:
            j = i
        while j < m and (j == i or matches[j].end - start <= width):
            bits = matches[j].bits & want
            if bits:
                total += matches[j].count
                while bits:
                    low = bits & -bits
                    bits ^= low
                    c = counts.get(low, 0)
                    if c == 0:
                        distinct += 1
                    counts[low] = c + 1
            j += 1
        if (distinct, total) > best[2]:
            best = (i, j, (distinct, total))
        bits = matches[i].bits & want
        if bits:
            total -= matches[i].count
            while bits:
                low = bits & -bits
                bits ^= low
                counts[low] -= 1
                if counts[low] == 0:
                    distinct -= 1
    return best


def _bits_of(matches: list[Match]) -> int:
    bits = 0
    for m in matches:
        bits |= m.bits
    return bits


def _windows(doc: _Doc, max_chars: int) -> list[tuple[int, int]]:
    """The fragments ``[(start, end), ...]`` to show, sorted and disjoint."""
    matches = doc.matches
    if not matches:
        hi = max_chars - 1
        return [(0, doc.cut_right(0, hi) or hi)]
    budget = max_chars - 2  # room for a leading and a trailing ellipsis
    all_bits = _bits_of(matches)
    i, j, _ = _best_core(matches, budget, all_bits)
    single_bits = _bits_of(matches[i:j])
    single = [doc.fit(matches[i].start, matches[j - 1].end, budget)]
    if single_bits == all_bits:
        return single

    # Several fragments, each core adding the most query terms still missing.
    width = max(8, budget // MAX_FRAGMENTS)
    cores: list[list[int]] = []
    covered = used = 0
    while covered != all_bits and len(cores) < MAX_FRAGMENTS:
        i, j, (new, _) = _best_core(matches, width, all_bits & ~covered)
        if new <= 0:
            break
        a, b = matches[i].start, matches[j - 1].end
        cost = (b - a) + (len(SEPARATOR) if cores else 0)
        if used + cost > budget:
            break
        cores.append([a, b])
        covered |= _bits_of(matches[i:j])
        used += cost
    if _popcount(covered) <= _popcount(single_bits):
        return single
    cores.sort()
    merged: list[list[int]] = []
    for a, b in cores:
        if merged and a - merged[-1][1] <= len(SEPARATOR):  # showing the gap costs no more
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    k = len(merged)
    room = budget - len(SEPARATOR) * (k - 1)
    slack = max(0, room - sum(b - a for a, b in merged)) // k
    frags = [doc.fit(a, b, (b - a) + slack) for a, b in merged]
    out: list[tuple[int, int]] = []
    for a, b in frags:
        # overlapping, or so close that showing the gap costs no more than a separator
        if out and (a - out[-1][1] <= len(SEPARATOR) or not _NONSPACE_RE.search(doc.text, out[-1][1], a)):
            out[-1] = (out[-1][0], max(b, out[-1][1]))
        else:
            out.append((a, b))
    return out


def select_fragments(text: str, matches: list[Match], max_chars: int = 240) -> list[Piece]:
    """Pieces ``(text, marked)`` of the snippet of ``text``: at most ``max_chars`` visible chars."""
    if max_chars < 1:
        raise ValueError(f"max_chars must be at least 1, got {max_chars}")
    n = len(text)
    if n == 0:
        return []
    if n <= max_chars:
        frags = [(0, n)]
    elif max_chars < 8:  # too small for ellipses and boundaries: the plain start of the text
        first = _NONSPACE_RE.search(text)
        a = first.start() if first else 0
        frags = [(a, min(n, a + max_chars))]
    else:
        frags = _windows(_Doc(text, matches), max_chars)
    pieces: list[Piece] = []
    append = pieces.append
    sub = _SPACE_RE.sub
    k, n_matches = 0, len(matches)
    b = 0
    for idx, (a, b) in enumerate(frags):
        collapse = _SPACE_RE.search(text, a, b) is not None
        if collapse:
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
        if idx:
            append((SEPARATOR, False))
        elif a and max_chars >= 8 and _NONSPACE_RE.search(text, 0, a):
            append((ELLIPSIS, False))
        pos = a
        while k < n_matches and matches[k].end <= a:
            k += 1
        while k < n_matches:
            m = matches[k]
            if m.start >= b:
                break
            s, e = max(m.start, a), min(m.end, b)
            if s > pos:
                append((sub(" ", text[pos:s]) if collapse else text[pos:s], False))
            append((sub(" ", text[s:e]) if collapse else text[s:e], True))
            pos = e
            if m.end > b:
                break
            k += 1
        if pos < b:
            append((sub(" ", text[pos:b]) if collapse else text[pos:b], False))
    if b < n and max_chars >= 8 and _NONSPACE_RE.search(text, b):
        append((ELLIPSIS, False))
    return pieces
