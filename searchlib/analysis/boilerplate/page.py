"""The page the line passes work on: line texts, folded heads, sizes and a reason per line."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from searchlib.analysis.boilerplate import cues as c

__all__ = ["Page"]

_KEY_DROP = re.compile(r"[\W_]+")


@dataclass
class Page:
    texts: list[str]                      # stripped line texts
    folded: list[str]                     # folded heads (see cues.fold_heads)
    n_units: list[int]
    long: list[bool]                      # longer than cues.HEAD: always treated as prose
    ellipsis: list[bool]                  # the line (not just its head) ends with "..." / "…"
    reasons: list[str | None]
    title: int | None = None
    title_text: str | None = None         # the headline when it spans two lines
    keys: list[str | None] = field(default_factory=list)
    rule_reasons: list[str | None] | None = None  # the reasons before the learned pass (set by clean)

    def key(self, i: int) -> str:
        """The folded head without punctuation and spaces, made when first asked for (the passes
        compare only the kept lines' keys)."""
        keys = self.keys
        if not keys:
            keys = self.keys = [None] * len(self.folded)
        k = keys[i]
        if k is None:
            k = keys[i] = _KEY_DROP.sub("", self.folded[i])
        return k

    def raw_head(self, i: int) -> str:
        """The line's head as written (case kept, for the cues that read capitals), pinyin glosses removed."""
        return c.strip_pinyin(self.texts[i][:c.HEAD])

    def non_empty(self, indices) -> int | None:
        for j in indices:
            if self.reasons[j] != "empty":
                return j
        return None

    def first_paragraph(self) -> int | None:
        """The first kept line that reads as article text (reasons change as passes run: asked anew)."""
        return next((i for i, r in enumerate(self.reasons) if r is None and self.prose(i)), None)

    def last_paragraph(self, after: int = -1) -> int | None:
        """The last kept line that reads as article text, if it comes after line ``after``."""
        return next((i for i in range(len(self.texts) - 1, after, -1) if self.reasons[i] is None and self.prose(i)),
                    None)

    def prose(self, i: int) -> bool:
        """Article-like: long, or a sentence of some length."""
        if self.long[i]:
            return True
        n = self.n_units[i]
        return n >= 60 or (n >= 25 and c.ends_sentence(self.folded[i]))

    def title_like(self, i: int) -> bool:
        f = self.folded[i]
        if self.long[i] or not 2 <= self.n_units[i] <= 60 or c.is_list_item(f):
            return False
        core = f.rstrip().rstrip(c._CLOSERS)
        return not core or core[-1] not in "。.;；:：…,，"

    def bulleted_teaser(self, i: int) -> bool:
        """``· headline`` / ``．headline...``: a bullet, then a headline or a cut-off teaser."""
        b = c.bullet(self.folded[i])
        if not b or self.long[i]:
            return False
        rest = self.folded[i][b:]
        core = rest.rstrip().rstrip(c._CLOSERS)
        return 2 <= c.units(rest) <= 60 and (self.ellipsis[i] or (bool(core) and core[-1] not in "。.;；:：,，"))
