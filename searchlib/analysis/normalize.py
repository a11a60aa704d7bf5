"""Folding: the text every other component matches on, plus a map back to the original.

``fold(text)`` applies, in order:

1. removal of inline pinyin annotations that scraped pages carry after Han characters
   (``調(diào)研`` → ``調研``); only a parenthesis right after a Han character holding one
   tone-marked syllable is removed, so ``(2021)`` or ``(CZT)`` stay;
2. Unicode NFKC (full-width → half-width, compatibility forms) and case folding;
3. Traditional → Simplified folding, character by character, from OpenCC's tables.

Why character by character: OpenCC converts phrase-aware, so the conversion of a substring can
differ from the same substring inside a longer text. Search needs the opposite guarantee: the fold
of ``text[start:end]`` must equal the slice of the fold of ``text``, or query and document drift
apart. The table is the closure of OpenCC's t2s and s2t character mappings, so every character of
one variant class (``發/髮/发``) folds to one representative.

The result is a :class:`Folded`: the folded string and a piecewise map from folded offsets to
original offsets. Most text needs no map at all (every character folds to exactly one character);
a single regex search decides that, which keeps the common path at C speed.
"""
from __future__ import annotations

import bisect
import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Callable, NamedTuple

from typing import TYPE_CHECKING

from searchlib.analysis.chars import HAN_RANGES, PINYIN_ANNOTATION_RE, PINYIN_CANDIDATE_RE

if TYPE_CHECKING:
    import numpy as np
# numpy is imported where the batch path needs it: analyzing one text (a query, the first call
# of a short-lived CLI) does not pay for it.

__all__ = ["Folded", "compose", "fold", "fold_char_table", "fold_texts", "strip_pinyin"]

_PINYIN_RE = PINYIN_ANNOTATION_RE
_PINYIN_CANDIDATE_RE = PINYIN_CANDIDATE_RE

# Ranges whose characters are checked at first use; outside them every character takes the
# careful path (NFKC may expand it, combine it with its neighbours, or case folding may grow it).
_CANDIDATE_RANGES = (
    (0x0000, 0x024F),  # ASCII, Latin-1, Latin Extended-A/B
    (0x2000, 0x206F),  # general punctuation
    (0x2E80, 0x2FDF),  # CJK radicals
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFF00, 0xFFEF),  # half-width and full-width forms
)


def _fold_one(segment: str) -> str:
    """NFKC + case fold of one base character with its combining marks (no t2s)."""
    folded = unicodedata.normalize("NFKC", segment).casefold()
    if not unicodedata.is_normalized("NFKC", folded):
        folded = unicodedata.normalize("NFKC", folded)
    return folded


@lru_cache(maxsize=1)
def _candidate_folds() -> tuple[tuple[range, ...], dict[int, str]]:
    """How each candidate character folds on its own: the ranges of characters that fold to
    themselves, and the fold of every other one (combining marks and surrogates left out).

    Characters are checked 256 at a time: a block of starters that NFKC and case folding leave
    unchanged as a whole holds only such characters (one C call instead of 256 Python steps;
    this runs at the first fold of every process, index workers included)."""
    same: list[range] = []
    other: dict[int, str] = {}
    for lo, hi in _CANDIDATE_RANGES:
        for b_lo in range(lo, hi + 1, 256):
            chars = range(b_lo, min(b_lo + 256, hi + 1))
            block = "".join(map(chr, chars))
            if not any(map(unicodedata.combining, block)) and block.casefold() == block \
                    and unicodedata.is_normalized("NFKC", block):
                same.append(chars)
                continue
            for cp in chars:
                ch = chr(cp)
                if not (0xD800 <= cp <= 0xDFFF or unicodedata.combining(ch)):
                    other[cp] = _fold_one(ch)
    return tuple(same), other


@lru_cache(maxsize=1)
def _simple_char_regex() -> re.Pattern[str]:
    """Regex matching any character that does NOT fold to exactly one character on its own."""
    return re.compile(_complex_class())


@lru_cache(maxsize=1)
def _complex_class() -> str:
    """The character class of :func:`_simple_char_regex`."""
    same, other = _candidate_folds()
    simple = sorted([cp for r in same for cp in r] + [cp for cp, f in other.items() if len(f) == 1])
    parts: list[str] = []
    start = prev = simple[0]
    for cp in simple[1:] + [-2]:
        if cp != prev + 1:
            lo_s = re.escape(chr(start))
            parts.append(lo_s if start == prev else f"{lo_s}-{re.escape(chr(prev))}")
            start = cp
        prev = cp
    return "[^" + "".join(parts) + "]"


TABLE_FILE = Path(__file__).with_name("t2s_fold.json")


@lru_cache(maxsize=1)
def fold_char_table() -> dict[int, str]:
    """Traditional → Simplified character table (``str.translate`` form).

    Shipped with the package (``t2s_fold.json``, made by :func:`build_fold_char_table` from
    OpenCC): loading it takes milliseconds instead of 0.1 s, and folding - hence every index -
    does not change when a different OpenCC release is installed. A test checks that the shipped
    table still equals the one built from the installed OpenCC.
    """
    data = json.loads(TABLE_FILE.read_text(encoding="utf-8"))
    pairs = data["pairs"]
    return {ord(pairs[i]): pairs[i + 1] for i in range(0, len(pairs), 2)}


def write_fold_char_table(path: Path = TABLE_FILE) -> None:
    """Rebuild the shipped table from the installed OpenCC (then bump the analyzer version)."""
    import opencc

    table = build_fold_char_table()
    pairs = "".join(chr(k) + v for k, v in sorted(table.items()))
    version = getattr(opencc, "__version__", "unknown")
    path.write_text(json.dumps({"source": f"OpenCC {version} t2s/s2t closure", "pairs": pairs},
                               ensure_ascii=False) + "\n", encoding="utf-8")


def build_fold_char_table() -> dict[int, str]:
    """The Traditional → Simplified table computed from OpenCC.

    Variant classes are the connected components of OpenCC's t2s and s2t character mappings;
    each folds to the member that t2s leaves unchanged (the Simplified form), preferring the one
    most other members convert to.
    """
    import opencc

    chars = [chr(c) for lo, hi in HAN_RANGES if hi <= 0xFFFF for c in range(lo, hi + 1)]
    joined = "\n".join(chars)
    t2s = opencc.OpenCC("t2s").convert(joined).split("\n")
    s2t = opencc.OpenCC("s2t").convert(joined).split("\n")
    to_simple = dict(zip(chars, t2s))
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    indegree: dict[str, int] = {}
    for src, dst_list in ((chars, t2s), (chars, s2t)):
        for a, b in zip(src, dst_list):
            if a != b and len(b) == 1:
                if dst_list is t2s:
                    indegree[b] = indegree.get(b, 0) + 1
                ra, rb = find(a), find(b)
                if ra != rb:
                    parent[ra] = rb
    classes: dict[str, list[str]] = {}
    for ch in list(parent) + [p for p in parent.values()]:
        classes.setdefault(find(ch), []).append(ch)
    table: dict[int, str] = {}
    for members in classes.values():
        members = sorted(set(members))
        simple = [m for m in members if to_simple.get(m, m) == m] or members
        rep = max(simple, key=lambda m: (indegree.get(m, 0), "\u4e00" <= m <= "\u9fff", -ord(m)))
        for m in members:
            if m != rep:
                table[ord(m)] = rep
    return table


class Folded(NamedTuple):
    """Folded text plus the map from folded offsets back to the original string.

    ``segments`` is ``None`` when folding kept every character in place (offsets identical).
    Otherwise it is a sorted tuple of ``(folded_start, folded_end, orig_start, orig_end)``:
    a segment whose two lengths are equal maps character to character; any other segment maps
    as a block (every folded character in it comes from the whole original span).
    """

    original: str
    text: str
    segments: tuple[tuple[int, int, int, int], ...] | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``(start, end)`` of the folded span ``[start, end)`` (``end > start``)."""
        segs = self.segments
        if segs is None:
            return start, end
        return self._orig_start(start), self._orig_end(end - 1)

    def _segment(self, i: int) -> tuple[int, int, int, int]:
        segs = self.segments
        assert segs is not None
        return segs[bisect.bisect_right(segs, i, key=_folded_start) - 1]

    def _orig_start(self, i: int) -> int:
        fs, fe, os_, oe = self._segment(i)
        return os_ + (i - fs) if fe - fs == oe - os_ else os_

    def _orig_end(self, i: int) -> int:
        fs, fe, os_, oe = self._segment(i)
        return os_ + (i - fs) + 1 if fe - fs == oe - os_ else oe


def _folded_start(segment: tuple[int, int, int, int]) -> int:
    return segment[0]


def _check_text(text: object) -> str:
    if not isinstance(text, str):
        raise TypeError(f"expected str, got {type(text).__name__}; decode bytes first (e.g. data.decode('utf-8'))")
    return text


@lru_cache(maxsize=2)
def _change_regex(t2s: bool) -> tuple[re.Pattern[str], dict[int, str]]:
    """Regex of runs of case-folded simple characters whose fold still differs, with their table.

    For text made only of simple characters, ``fold`` is ``casefold`` (C speed) followed by this
    table on the few characters NFKC or t2s change (full-width forms, Traditional characters).
    """
    table = fold_char_table() if t2s else {}
    same, other = _candidate_folds()
    change: dict[int, str] = {}
    for r in same:  # these fold to themselves: only t2s changes them
        change.update((cp, t) for cp in r if (t := table.get(cp)) is not None and t != chr(cp))
    for cp, folded in other.items():
        ch = chr(cp)
        cf = ch.casefold()
        if len(folded) != 1 or len(cf) != 1:
            continue
        target = folded.translate(table)
        if target != cf:
            change[ord(cf)] = target
    chars = "".join(re.escape(chr(c)) for c in sorted(change))
    return re.compile(f"[{chars}]+"), change


def fold(text: str, *, t2s: bool = True, strip_pinyin: bool = True) -> Folded:
    """Fold ``text`` for matching; see the module docstring for the steps.

    Lone surrogates (which cannot come from valid UTF-8) are folded to U+FFFD so that every
    later step, and encoding for storage, is safe; offsets are unchanged.
    """
    return fold_positional(text, t2s, strip_pinyin)


def fold_positional(text: str, t2s: bool, strip_pinyin: bool) -> Folded:
    """:func:`fold` with positional options (the analyzer's per-call path)."""
    if type(text) is not str:
        text = _check_text(text)
    if text.isascii():
        return _new(Folded, (text, text.lower(), None))
    complex_or_paren = _COMPLEX_OR_PAREN_RE or _init_complex()
    m = complex_or_paren.search(text)
    if m is not None:
        # one scan decides the common case; the rare texts sort out what it found
        if (strip_pinyin and ("(" in text or "（" in text)) and (pinyin := list(_PINYIN_RE.finditer(text))):
            return _fold_careful(text, pinyin, fold_char_table() if t2s else None)
        while m is not None and text[m.start()] in "(（":
            m = complex_or_paren.search(text, m.end())
        if m is not None:  # a character that does not fold to exactly one character
            return _fold_careful(text, [], fold_char_table() if t2s else None)
    change = _CHANGE.get(t2s) or _init_change(t2s)
    return _new(Folded, (text, change[0].sub(change[1], text.casefold()), None))


@lru_cache(maxsize=2)
def _change_array(t2s: bool) -> np.ndarray | None:
    """The change table of :func:`_change_regex` as a code point array over the BMP (identity
    elsewhere), or None when a change is not one character for one."""
    import numpy as np

    change = _change_regex(t2s)[1]
    if any(len(v) != 1 or k > 0xFFFF for k, v in change.items()):
        return None
    table = np.arange(0x10000, dtype="<u4")
    if change:
        table[np.fromiter(change.keys(), dtype=np.int64, count=len(change))] = [ord(v) for v in change.values()]
    return table


def fold_texts(texts: list[str], *, t2s: bool = True, strip_pinyin: bool = True) -> list[str]:
    """``fold(t).text`` for every text (what indexing needs: no offset map), the texts on the
    fast path folded together - one ``casefold`` and one substitution over their concatenation
    instead of several calls per text. Texts with pinyin or complex characters are folded alone."""
    global _COMPLEX_RE
    if _COMPLEX_RE is None:
        _COMPLEX_RE = _simple_char_regex()
    big = "\n".join(texts)
    starts = [0]
    for t in texts:
        starts.append(starts[-1] + len(t) + 1)
    alone: set[int] = set()
    for pattern in ((_PINYIN_CANDIDATE_RE,) if strip_pinyin else ()) + (_COMPLEX_RE,):
        pos = 0
        while (m := pattern.search(big, pos)) is not None:
            i = bisect.bisect_right(starts, m.start()) - 1
            alone.add(i)
            pos = starts[i + 1]
    if alone:
        together = [t for i, t in enumerate(texts) if i not in alone]
        big = "\n".join(together)
    else:
        together = texts
    if big.isascii():
        folded = big.lower()
    else:
        folded = big.casefold()
        table = _change_array(t2s)
        if table is not None and len(folded) == len(big):
            import numpy as np

            # one table look-up per character in numpy: no Python call per changed run
            cp = np.frombuffer(folded.encode("utf-32-le", "surrogatepass"), dtype="<u4")
            if cp.size and int(cp.max()) < table.size:
                folded = table[cp].tobytes().decode("utf-32-le")
            else:
                change = _CHANGE.get(t2s) or _init_change(t2s)
                folded = change[0].sub(change[1], folded)
        else:
            change = _CHANGE.get(t2s) or _init_change(t2s)
            folded = change[0].sub(change[1], folded)
    if len(folded) != len(big):  # not one character for one: should not happen on this path
        return [fold(t, t2s=t2s, strip_pinyin=strip_pinyin)[1] for t in texts]
    out: list[str] = []
    pos = 0
    for t in together:
        out.append(folded[pos:pos + len(t)])
        pos += len(t) + 1
    if alone:
        it = iter(out)
        out = [fold(t, t2s=t2s, strip_pinyin=strip_pinyin)[1] if i in alone else next(it)
               for i, t in enumerate(texts)]
    return out


_new = tuple.__new__
_COMPLEX_RE: re.Pattern[str] | None = None
_COMPLEX_OR_PAREN_RE: re.Pattern[str] | None = None


def _init_complex() -> re.Pattern[str]:
    """The fast path's regex, compiled at first use: a character that does not fold to exactly
    one character, or a parenthesis that may open an inline pinyin annotation."""
    global _COMPLEX_OR_PAREN_RE
    if _COMPLEX_OR_PAREN_RE is None:
        _COMPLEX_OR_PAREN_RE = re.compile(_complex_class() + "|[(（]")
    return _COMPLEX_OR_PAREN_RE
_CHANGE: dict[bool, tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = {}


def _init_change(t2s: bool) -> tuple[re.Pattern[str], Callable[[re.Match[str]], str]]:
    """Build the change regex and its memo for one ``t2s`` setting at first use."""
    change_re, change = _change_regex(t2s)
    runs = _RunTranslations(change)
    _CHANGE[t2s] = (change_re, lambda m, get=runs.__getitem__: get(m.group()))
    return _CHANGE[t2s]


class _RunTranslations(dict[str, str]):
    """Memo of translated runs: the same full-width numbers and Traditional words recur a lot."""

    __slots__ = ("table",)

    def __init__(self, table: dict[int, str]) -> None:
        super().__init__()
        self.table = table

    def __missing__(self, run: str) -> str:
        out = run.translate(self.table)
        if len(self) < 100_000:
            self[run] = out
        return out


_COMBINING_RUN = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u3099\u309a]*")


def _fold_careful(text: str, pinyin: list[re.Match[str]], table: dict[int, str] | None) -> Folded:
    """Slow path: segment by segment, recording how folded offsets map to original ones."""
    pieces: list[str] = []
    segments: list[tuple[int, int, int, int]] = []
    complex_re = _simple_char_regex()
    fpos = 0

    def emit(folded: str, os_: int, oe: int) -> None:
        nonlocal fpos
        if table is not None:
            folded = folded.translate(table)
        if not folded:
            return
        segments.append((fpos, fpos + len(folded), os_, oe))
        pieces.append(folded)
        fpos += len(folded)

    cuts = [(m.start(), m.end()) for m in pinyin] + [(len(text), len(text))]
    pos = 0
    for cut_start, cut_end in cuts:
        while pos < cut_start:
            m = complex_re.search(text, pos, cut_start)
            simple_end = m.start() if m else cut_start
            if simple_end > pos:
                emit(unicodedata.normalize("NFKC", text[pos:simple_end]).casefold(), pos, simple_end)
                pos = simple_end
            if m:
                seg_start = m.start()
                if unicodedata.combining(text[seg_start]) and pieces and seg_start > 0 and segments[-1][3] == seg_start:
                    # A combining mark composes with the base character before it: refold both.
                    seg_start = _unemit_last_char(pieces, segments)
                    fpos = segments[-1][1] if segments else 0
                end = _COMBINING_RUN.match(text, m.end(), cut_start).end()
                seg = text[seg_start:end]
                if any(0xD800 <= ord(c) <= 0xDFFF for c in seg):
                    seg = "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in seg)
                emit(_fold_one(seg), seg_start, end)
                pos = end
        if cut_end > cut_start and segments and segments[-1][3] == cut_start:
            _absorb_annotation(segments, cut_end)
        pos = max(pos, cut_end)
    return Folded(text, "".join(pieces), _merge_identity(segments))


def _absorb_annotation(segments: list[tuple[int, int, int, int]], orig_end: int) -> None:
    """Let the character before a removed annotation own it: ``調(diào)`` maps to ``调`` whole."""
    fs, fe, os_, oe = segments.pop()
    if fe - fs == oe - os_ and fe - fs > 1:
        segments.append((fs, fe - 1, os_, oe - 1))
        fs, os_ = fe - 1, oe - 1
    segments.append((fs, fe, os_, orig_end))


def _unemit_last_char(pieces: list[str], segments: list[tuple[int, int, int, int]]) -> int:
    """Take back the last original character emitted; return its original offset."""
    fs, fe, os_, oe = segments.pop()
    piece = pieces.pop()
    if fe - fs == oe - os_ and oe - os_ > 1:
        segments.append((fs, fe - 1, os_, oe - 1))
        pieces.append(piece[:-1])
        return oe - 1
    return os_


def _merge_identity(segments: list[tuple[int, int, int, int]]) -> tuple[tuple[int, int, int, int], ...]:
    """Merge adjacent one-to-one segments so look-ups bisect over few entries."""
    merged: list[tuple[int, int, int, int]] = []
    for seg in segments:
        if merged:
            pfs, pfe, pos_, poe = merged[-1]
            fs, fe, os_, oe = seg
            if pfe == fs and poe == os_ and pfe - pfs == poe - pos_ and fe - fs == oe - os_:
                merged[-1] = (pfs, fe, pos_, oe)
                continue
        merged.append(seg)
    return tuple(merged)


# -- composing offset maps (the stages of searchlib.analysis.stages) --------------------------------
def _block(out: list[tuple[int, int, int, int]], fs: int, fe: int, os_: int, oe: int) -> None:
    """Append segments mapping every folded character of ``[fs, fe)`` to the whole original
    ``[os_, oe)``. Equal lengths would read as one-to-one, so such a block is written one folded
    character at a time."""
    if fe - fs == oe - os_ and fe - fs > 1:
        out.extend((f, f + 1, os_, oe) for f in range(fs, fe))
    elif fe > fs:
        out.append((fs, fe, os_, oe))


def compose(outer: Folded, inner: Folded) -> Folded:
    """``outer`` applied after ``inner`` (``outer.original == inner.text``): the folded text of
    ``outer`` with a map straight back to ``inner.original``."""
    if outer.segments is None:
        return Folded(inner.original, outer.text, inner.segments)
    if inner.segments is None:
        return Folded(inner.original, outer.text, outer.segments)
    isegs = inner.segments
    out: list[tuple[int, int, int, int]] = []
    for fs, fe, is_, ie in outer.segments:
        if fe - fs != ie - is_:  # a block: every character maps to the whole original span
            if ie > is_:
                os_, oe = inner.span(is_, ie)
            else:  # nothing in the inner text (cannot come from searchlib's stages): a point
                os_ = oe = inner.span(is_, is_ + 1)[0] if is_ < len(inner.text) else len(inner.original)
            _block(out, fs, fe, os_, oe)
            continue
        k = bisect.bisect_right(isegs, is_, key=_folded_start) - 1
        pos = is_
        while pos < ie:
            ifs, ife, ios, ioe = isegs[k]
            b = min(ie, ife)
            if ife - ifs == ioe - ios:
                out.append((fs + pos - is_, fs + b - is_, ios + pos - ifs, ios + b - ifs))
            else:
                _block(out, fs + pos - is_, fs + b - is_, ios, ioe)
            pos = b
            k += 1
    return Folded(inner.original, outer.text, _merge_identity(out))


def strip_pinyin(folded: Folded) -> Folded:
    """Remove inline pinyin annotations from ``folded.text`` (the annotated character then maps
    to itself and its annotation); the pinyin step of :func:`fold` as a stage of its own."""
    text = folded.text
    if not ("(" in text or "（" in text):
        return folded
    matches = list(_PINYIN_RE.finditer(text))
    if not matches:
        return folded
    pieces: list[str] = []
    segs: list[tuple[int, int, int, int]] = []
    pos = fpos = 0
    for m in matches:
        a, b = m.span()
        if a - 1 > pos:
            segs.append((fpos, fpos + a - 1 - pos, pos, a - 1))
        pieces.append(text[pos:a])
        fpos += a - pos
        segs.append((fpos - 1, fpos, a - 1, b))  # the annotated character owns its annotation
        pos = b
    if pos < len(text):
        segs.append((fpos, fpos + len(text) - pos, pos, len(text)))
        pieces.append(text[pos:])
    return compose(Folded(text, "".join(pieces), _merge_identity(segs)), folded)
