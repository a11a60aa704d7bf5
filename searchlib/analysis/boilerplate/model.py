"""Collection-level learning of page templates (site headers, slogans, footers).

A line is a template when its normalized form occurs on at least ``min_docs`` pages and on at
least ``min_share`` of all pages.  Normalization ignores case, width and whitespace, and in short lines that
are not sentences digits too, so ``© 2023`` and ``© 2024`` or view counters still count as the same line.  The model is a plain set
of keys: it serializes to JSON (``to_dict`` / ``from_dict``), never to pickle.

Learning is only half the decision: :func:`~searchlib.analysis.boilerplate.clean` removes a
template line only where article text does not surround it, so a syndicated paragraph or a common
short sentence ("他说。") that recurs across pages stays.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

from searchlib.analysis.boilerplate.cues import strip_pinyin

FORMAT = "searchlib.boilerplate.model"
VERSION = 1
MAX_LINE = 2000       # longer lines are never templates (and are not hashed)
_FOLD_DIGITS = 60     # lines up to this length compare with digits folded to 0
_READABLE = 200       # keys up to this length are stored as text, longer ones as a digest
_SPACE = re.compile(r"\s+")
_DIGIT = re.compile(r"\d[\d,.]*")
_SENTENCE_END = set("。！？!?.…")


def template_key(line: str) -> str | None:
    """The normalized key of a line, or ``None`` for blank or very long lines."""
    if not isinstance(line, str) or len(line) > MAX_LINE:
        return None
    key = _SPACE.sub("", unicodedata.normalize("NFKC", strip_pinyin(line)).casefold())
    if 0 < len(key) <= _FOLD_DIGITS and key[-1] not in _SENTENCE_END:  # counters, years: not sentences
        key = _DIGIT.sub("0", key)
    if not key:
        return None
    if len(key) > _READABLE:
        return "#" + hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    return key


_PAIR_PAGES = 6       # a key on more pages than this is judged by its count alone
_PAIR_SHARED = 3      # lines two pages must share to count as one site's chrome
_PAIR_TEXT = 1 / 3    # at most this share of a page's sentences may be shared (else: a repost)


def _is_text(key: str) -> bool:
    return key.startswith("#") or (len(key) >= 20 and key[-1] in _SENTENCE_END)


def _site_pairs(df: Counter[str], where: dict[str, list[int]], n_text: list[int], need: float) -> set[str]:
    """Lines that two pages of one small site share: too few pages for the counts, but two
    different articles that share a block of lines (menu, footer, about box) share chrome. Two
    copies of one article (a repost) share most of their sentences and are left alone."""
    shared: dict[tuple[int, int], list[str]] = {}
    for k, v in df.items():
        if 2 <= v < need and v <= _PAIR_PAGES:
            pages = where[k]
            for a in range(len(pages)):
                for b in range(a + 1, len(pages)):
                    shared.setdefault((pages[a], pages[b]), []).append(k)
    out: set[str] = set()
    for (a, b), keys in shared.items():
        if len(keys) < _PAIR_SHARED:
            continue
        text = sum(map(_is_text, keys))
        if text > _PAIR_TEXT * min(n_text[a], n_text[b]):
            continue
        out.update(keys)
    return out


class BoilerplateModel:
    """Template lines learned from a collection of pages."""

    def __init__(self, templates: Iterable[str] = (), *, min_docs: int = 3, min_share: float = 0.02,
                 n_docs: int = 0) -> None:
        self._templates = frozenset(templates)
        self.min_docs = min_docs
        self.min_share = min_share
        self.n_docs = n_docs

    @classmethod
    def fit(cls, pages: Iterable[str], min_docs: int = 3, min_share: float = 0.02,
            pairs: bool = True) -> BoilerplateModel:
        """Learn the lines that recur on ``min_docs`` pages and ``min_share`` of the collection.

        The default share (2 %) keeps a one-site footer learnable in collections of up to ~50
        pages per site and more; for a large multi-site crawl fit one model per site, or lower
        ``min_share``. ``pairs``: also learn the lines that fewer pages share when two of them
        share a block of lines (at least three) but not their article: a small site's menu and
        footer (two copies of one article share their sentences and teach nothing).
        """
        if isinstance(min_docs, bool) or not isinstance(min_docs, int) or min_docs < 1:
            raise ValueError(f"min_docs must be an integer >= 1, got {min_docs!r}")
        if not isinstance(min_share, (int, float)) or not 0.0 <= min_share <= 1.0:
            raise ValueError(f"min_share must be a number between 0 and 1, got {min_share!r}")
        if isinstance(pages, str):
            raise TypeError("fit() takes an iterable of page texts, not a single str")
        df: Counter[str] = Counter()
        where: dict[str, list[int]] = {}  # the first few pages of each key (for site pairs)
        n_text: list[int] = []
        n = 0
        for page in pages:
            if not isinstance(page, str):
                raise TypeError(f"pages must be str, got {type(page).__name__}")
            keys = {k for k in map(template_key, page.split("\n")) if k is not None}
            df.update(keys)
            for k in keys:
                seen = where.setdefault(k, [])
                if len(seen) < _PAIR_PAGES:
                    seen.append(n)
            n_text.append(sum(map(_is_text, keys)))
            n += 1
        need = max(min_docs, min_share * n)
        templates = {k for k, v in df.items() if v >= need}
        if pairs:
            templates |= _site_pairs(df, where, n_text, need)
        return cls(templates, min_docs=min_docs, min_share=min_share, n_docs=n)

    def is_template(self, line: str) -> bool:
        key = template_key(line)
        return key is not None and key in self._templates

    def __len__(self) -> int:
        return len(self._templates)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BoilerplateModel) and self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"BoilerplateModel({len(self)} templates from {self.n_docs} pages)"

    def to_dict(self) -> dict:
        return {"format": FORMAT, "version": VERSION, "min_docs": self.min_docs,
                "min_share": self.min_share, "n_docs": self.n_docs,
                "templates": sorted(self._templates)}

    @classmethod
    def from_dict(cls, d: dict) -> BoilerplateModel:
        if not isinstance(d, dict) or d.get("format") != FORMAT:
            raise ValueError("not a serialized BoilerplateModel (missing or wrong 'format')")
        if d.get("version") != VERSION:
            raise ValueError(f"unsupported BoilerplateModel version {d.get('version')!r}; expected {VERSION}")
        templates = d.get("templates")
        if not isinstance(templates, list) or not all(isinstance(t, str) for t in templates):
            raise ValueError("BoilerplateModel 'templates' must be a list of strings")
        return cls(templates, min_docs=int(d.get("min_docs", 3)),
                   min_share=float(d.get("min_share", 0.02)), n_docs=int(d.get("n_docs", 0)))
