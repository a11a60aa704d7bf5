"""Did-you-mean: corrections for the words of a query that find (almost) nothing.

* **Latin typos** come from the typo rule (:func:`searchlib.query.assist.fuzzy.typo_candidates`):
  a word the index does not hold is corrected to its nearest, most frequent index term.
* **Chinese homophone typos** (``常沙`` for 长沙: right sound, wrong character) are found here, on
  the query text: stretches of two to four characters around what the analyzer could not read
  as a known word (a single character jieba left alone, a word the index never holds) are
  looked up by their readings in the index's reading data; an index word of the same length
  that reads the same, differs in at most one character (two from four characters), and is
  more than :data:`HOMOPHONE_RATIO` times as frequent as the typed text (as a phrase; a rare
  word only when the typed text occurs nowhere) is its correction.
* Traditional/Simplified mixes need nothing: folding already makes them the same terms.

Nothing is suggested for a query whose words all stand in the index (a correct query).
:func:`apply_fixes` writes the corrected query: the original text with only the corrected words
replaced, syntax and the other words as typed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from searchlib.analysis.tokenize import HAN_CHARS, RUN_RE
from searchlib.query.context import QueryContext

__all__ = ["HOMOPHONE_BOOST", "HOMOPHONE_MIN", "HOMOPHONE_RATIO", "HanFix", "apply_fixes", "han_fixes", "homophone_words"]

HOMOPHONE_BOOST = 0.7
HOMOPHONE_RATIO = 10
HOMOPHONE_MIN = 3  # below this count, a correction needs text found nowhere (phrase df 0)
MAX_SPAN = 4
_HAN_RUN = re.compile(f"[{HAN_CHARS}]+")
_HAN_ONLY = re.compile(f"[{HAN_CHARS}]+")
_FIELD_BEFORE = re.compile(r"([^\W\d][\w.]*)[:：]\Z")
_EXCLUDED_BEFORE = re.compile(r"(?:(?:^|[\s(（])-|\bNOT\s+)(?:[^\W\d][\w.]*[:：])?[\"“”＂(（]?\Z")


@dataclass(frozen=True)
class HanFix:
    """A stretch ``query[start:end]`` (folded: ``typed``) to replace by the index word ``word``."""

    start: int
    end: int
    typed: str
    word: str
    count: int
    alternatives: tuple[str, ...] = ()  # every homophone word searched (the suggestion takes ``word``)


def _allowed_diff(n: int) -> int:
    return 1 if n <= 3 else 2


def homophone_words(ctx: QueryContext, text: str, fields: tuple[str, ...]) -> list[tuple[str, int]]:
    """Index words that read like the Han ``text`` (same length, at most one or two characters
    different, not ``text`` itself), most frequent first: ``[(word, postings count), ...]``."""
    key = ("homophones", text, fields)

    def compute() -> list[tuple[str, int]]:
        from searchlib.analysis.pinyin import reading_table

        keys = {"".join(r) for r in reading_table(phrases=False).readings(text)}
        n = len(text)
        limit = _allowed_diff(n)
        counts: dict[str, int] = {}
        for s in ctx.segs:
            rd = getattr(s.seg, "readings", None)  # segments without reading data: no expansions
            if rd is None:
                continue
            for k in keys:
                for o in rd.lookup(k).tolist():
                    word = rd.word(o)
                    if len(word) != n or word == text or sum(a != b for a, b in zip(word, text)) > limit:
                        continue
                    for f in fields:
                        tid = s.seg.term_id(f, word)
                        if tid is not None:
                            counts[word] = counts.get(word, 0) + int(s.seg.doc_freq(tid))
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:4]

    return ctx.stats.expansions(key, compute)


def _phrase_df(ctx: QueryContext, text: str, fields: tuple[str, ...]) -> int:
    from searchlib.query.weights import PhraseWeight

    w = PhraseWeight(ctx, text, tuple(text), tuple(range(len(text))), fields, 1.0)
    return ctx.doc_freq(w.stats_key(), w.local_doc_freq)


def _term_df(ctx: QueryContext, text: str, fields: tuple[str, ...]) -> int:
    from searchlib.query.weights import TermWeight

    w = TermWeight(ctx, text, fields, 1.0)
    return ctx.doc_freq(w.stats_key(), w.local_doc_freq)


def _runs(query: str, analyzer: Any, kinds: dict[str, str]) -> list[tuple[int, list[Any]]]:
    """The Han runs of the query (not keyword values): ``(offset, Han tokens)``."""
    out = []
    for m in _HAN_RUN.finditer(query):
        fm = _FIELD_BEFORE.search(query, 0, m.start())
        if fm is not None and kinds.get(fm.group(1).lower(), "text") != "text":
            continue  # a keyword value, taken as written
        if _EXCLUDED_BEFORE.search(query, 0, m.start()):
            continue  # an excluded word, taken as written
        tokens = [t for t in analyzer.analyze(m.group(), mode="query") if _HAN_ONLY.fullmatch(t.text)]
        if tokens:
            out.append((m.start(), tokens))
    return out


def han_fixes(query: str, analyzer: Any, ctx: QueryContext, kinds: dict[str, str]) -> list[HanFix]:
    """Homophone corrections for the Han text of ``query`` (see the module docstring).

    A token is suspect when it is a single character (jieba found no word there) or a word the
    index never holds. Every window of adjacent tokens of 2 to :data:`MAX_SPAN` characters that
    holds a suspect is tried, longest first (``迷老鼠`` is 米老鼠, not 迷 + 老鼠; ``忠长距离``
    is 中长距离), and the first correction found wins its characters."""
    fields = ctx.default_fields
    fixes: list[HanFix] = []
    for base, tokens in _runs(query, analyzer, kinds):
        suspect = [len(t.text) == 1 or _term_df(ctx, t.text, fields) == 0 for t in tokens]
        if not any(suspect):
            continue
        windows = []
        for i in range(len(tokens)):
            length = 0
            for j in range(i, len(tokens)):
                if j > i and tokens[j].start != tokens[j - 1].end:
                    break  # not adjacent (whitespace between them)
                length += len(tokens[j].text)
                if length > MAX_SPAN:
                    break
                if length >= 2 and any(suspect[i:j + 1]):
                    windows.append((-length, i, j))
        taken: set[int] = set()
        for _, i, j in sorted(windows):
            if taken & set(range(i, j + 1)):
                continue
            text = "".join(t.text for t in tokens[i:j + 1])
            words = homophone_words(ctx, text, fields)
            if not words:
                continue
            word, count = words[0]
            own = _phrase_df(ctx, text, fields)
            if count < HOMOPHONE_MIN and own > 0 or own * HOMOPHONE_RATIO >= count:
                continue  # the typed text is common enough to be meant
            taken.update(range(i, j + 1))
            alternatives = tuple(w for w, c in words if own * HOMOPHONE_RATIO < c)
            fixes.append(HanFix(base + tokens[i].start, base + tokens[j].end, text, word, count, alternatives))
    return fixes


def apply_fixes(query: str, analyzer: Any, latin: dict[str, str], han: list[HanFix]) -> str | None:
    """``query`` with the corrected words replaced, or None when nothing changes."""
    edits: list[tuple[int, int, str]] = [(f.start, f.end, f.word) for f in han]
    if latin:
        for m in RUN_RE.finditer(query):
            if m.group("han"):
                continue
            tokens = analyzer.analyze(m.group(), mode="query")
            if len(tokens) == 1 and tokens[0].text in latin:
                edits.append((m.start(), m.end(), latin[tokens[0].text]))
    if not edits:
        return None
    edits.sort()
    out = []
    pos = 0
    for a, b, text in edits:
        if a < pos:
            continue
        out.append(query[pos:a])
        out.append(text)
        pos = b
    out.append(query[pos:])
    fixed = "".join(out)
    return fixed if fixed != query else None
