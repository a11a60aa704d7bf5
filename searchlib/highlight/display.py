"""Text as it is shown to users: stored text without scraped inline pinyin annotations.

Pages scraped from some sites carry a tone-marked pinyin syllable in parentheses after Han
characters (``調(diào)研``). Search ignores them (folding removes them), and what users read should
not show them either: :func:`display_text` gives ``調研``. Highlight offsets stay offsets into the
STORED text (``Hit.highlights``); :class:`Display` maps them onto the displayed text, so a snippet
marks the right characters (a match on ``調(diào)`` marks ``調``).

The annotation pattern is the one folding uses (:data:`searchlib.analysis.chars.PINYIN_ANNOTATION_RE`).
"""
from __future__ import annotations

from bisect import bisect_right
from typing import NamedTuple

from searchlib.analysis.chars import PINYIN_ANNOTATION_RE

__all__ = ["Display", "display_text"]


class Display(NamedTuple):
    """``text`` (what is shown) made from ``original`` by removing the ``removed`` spans
    (sorted, disjoint ``(start, end)`` in original offsets)."""

    original: str
    text: str
    removed: tuple[tuple[int, int], ...]

    @classmethod
    def of(cls, original: str) -> Display:
        """The display form of ``original``."""
        if not ("(" in original or "（" in original):
            return cls(original, original, ())
        removed = tuple(m.span() for m in PINYIN_ANNOTATION_RE.finditer(original))
        if not removed:
            return cls(original, original, ())
        pieces = []
        pos = 0
        for a, b in removed:
            pieces.append(original[pos:a])
            pos = b
        pieces.append(original[pos:])
        return cls(original, "".join(pieces), removed)

    def offset(self, o: int) -> int:
        """The display offset of original offset ``o`` (an offset inside a removed annotation
        maps to where the annotation was, right after the character it annotated)."""
        removed = self.removed
        if not removed:
            return o
        i = bisect_right(removed, (o, len(self.original) + 1))
        gone = 0
        for a, b in removed[:i]:
            gone += min(o, b) - a
        return o - gone

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The display ``(start, end)`` of an original span."""
        return self.offset(start), self.offset(end)


def display_text(text: str) -> str:
    """``text`` without inline pinyin annotations (``調(diào)研`` → ``調研``), for titles and any other
    stored text shown as it is."""
    return Display.of(text).text
