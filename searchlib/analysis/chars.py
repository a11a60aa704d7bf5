"""Character classes: the ONE definition every component of searchlib matches text with.

Folding, the tokenizer (its regex and its vectorized batch path), the highlighter, snippets and
the boilerplate cues all need to agree on what a Han character is, what a word character is,
which separators do not break a phrase and what an inline pinyin annotation looks like. They
import these definitions instead of spelling out ranges of their own.

* :data:`HAN_RANGES` - CJK unified ideographs with extension A, the compatibility ideographs and
  the supplementary planes (extensions B to G, compatibility supplement). ``HAN_CHARS`` is the
  same set as the body of a regex character class.
* :data:`WORD_CHAR` - a letter or digit of a non-Han script (one character of a Latin "word").
* :data:`JOINERS` - characters that join two word parts into one word (``u.s``, ``don't``, ``3.5``).
* :data:`NO_BREAK` - whitespace and hyphens: they separate words without adding a break unit, so
  a phrase matches across them (``kota-kota``, ``e-commerce``, ``new  york``).
* :data:`PINYIN_ANNOTATION_RE` - one tone-marked pinyin syllable in ASCII or full-width parentheses
  right after a Han character (``調(diào)``), as scraped pages carry them; ``(2021)``, ``(CZT)`` and
  ``(de)`` (no tone mark) are not annotations.
"""
from __future__ import annotations

import re

__all__ = [
    "BREAK",
    "HAN",
    "JOINER",
    "NO_BREAK_CLASS",
    "WORD",
    "char_classes",
    "HAN_CHARS",
    "HAN_RANGES",
    "HAN_RE",
    "JOINERS",
    "NO_BREAK",
    "PINYIN_ANNOTATION_RE",
    "PINYIN_CANDIDATE_RE",
    "TONE_VOWELS",
    "WORD_CHAR",
    "WORD_CHAR_RE",
    "is_han",
]

HAN_RANGES: tuple[tuple[int, int], ...] = (
    (0x3400, 0x4DBF),  # extension A
    (0x4E00, 0x9FFF),  # unified ideographs
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0x20000, 0x3134F),  # extensions B-G and the compatibility supplement
)


def _class_body(ranges: tuple[tuple[int, int], ...]) -> str:
    return "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in ranges)


HAN_CHARS = _class_body(HAN_RANGES)
HAN_RE = re.compile(f"[{HAN_CHARS}]")
WORD_CHAR = rf"[^\W_{HAN_CHARS}]"
WORD_CHAR_RE = re.compile(WORD_CHAR)
JOINERS = ".'’"
NO_BREAK = " \t\r\n\f\v\u3000\u00a0-‐–"

TONE_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
# A syllable has at most six letters, so five on either side of the tone vowel is enough; the
# bounded repetitions keep the regex linear on any input.
_SYLLABLE = rf"[(（][a-zü]{{0,5}}[{TONE_VOWELS}][a-zü]{{0,5}}[)）]"
PINYIN_ANNOTATION_RE = re.compile(rf"(?<=[{HAN_CHARS}]){_SYLLABLE}")
# The same without the look-behind (which makes a scan three times slower): finds every text that
# MAY hold an annotation.
PINYIN_CANDIDATE_RE = re.compile(_SYLLABLE)


def is_han(ch: str) -> bool:
    """True when the single character ``ch`` is a Han character."""
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in HAN_RANGES)


# Character classes of the vectorized batch path (:mod:`searchlib.analysis.index_batch`), built
# from the definitions above so that numpy and the regexes cannot disagree.
BREAK, NO_BREAK_CLASS, WORD, HAN, JOINER = 0, 1, 2, 3, 4
_CLASSES = None
_ANY_WORD_RE = re.compile(r"[^\W_]")
_ASTRAL: dict[int, int] = {}


def char_classes(cp):  # type: ignore[no-untyped-def]
    """uint8 class of every code point of the int array ``cp`` (BMP from a table built once,
    a few milliseconds; the rare astral characters one by one, remembered)."""
    import numpy as np

    global _CLASSES
    if _CLASSES is None:
        bmp = "".join(map(chr, range(0x10000)))
        table = np.full(0x10000, BREAK, dtype=np.uint8)
        for m in re.finditer(r"[^\W_]+", bmp):
            table[m.start():m.end()] = WORD
        for lo, hi in HAN_RANGES:
            if hi <= 0xFFFF:
                table[lo:hi + 1] = HAN
        for ch in NO_BREAK:
            table[ord(ch)] = NO_BREAK_CLASS
        for ch in JOINERS:
            table[ord(ch)] = JOINER
        _CLASSES = table
    cls = _CLASSES[np.minimum(cp, 0xFFFF)]
    astral = np.flatnonzero(cp > 0xFFFF)
    for i, c in zip(astral.tolist(), cp[astral].tolist()):
        k = _ASTRAL.get(c)
        if k is None:
            ch = chr(c)
            k = _ASTRAL[c] = HAN if is_han(ch) else WORD if _ANY_WORD_RE.match(ch) else BREAK
        cls[i] = k
    return cls
