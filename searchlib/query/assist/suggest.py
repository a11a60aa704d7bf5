"""Did-you-mean: corrections for the words of a query that find (almost) nothing.

* **Latin typos** come from the typo rule (:func:`searchlib.query.assist.fuzzy.typo_candidates`):
  a word the index does not hold is corrected to its nearest, most frequent index term.
* **Chinese homophone typos** (``常沙`` for 长沙: right sound, wrong character) are found here, on
  the query text: a stretch of Han text that the analyzer could not read as a known word (a word
  the index never holds, or two to four characters jieba left single) is looked up by its
  readings in the index's reading data; an index word of the same length that reads the same,
  differs in at most one character (two from four characters), and is at least
  :data:`HOMOPHONE_RATIO` times as frequent as the typed text (as a phrase) is its correction.
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
HOMOPHONE_MIN = 3
MAX_SPAN = 4
_HAN_RUN = re.compile(f"[{HAN_CHARS}]+")
_HAN_ONLY = re.compile(f"[{HAN_CHARS}]+")
_FIELD_BEFORE = re.compile(r"([^\W\d][\w.]*)[:：]\Z")


@dataclass(frozen=True)
class HanFix:
    """A stretch ``query[start:end]`` (folded: ``typed``) to replace by the index word ``word``."""

    start: int
    end: int
    typed: str
    word: str
    count: int


def _allowed_diff(n: int) -> int:
    return 1 if n <= 3 else 2


def homophone_words(ctx: QueryContext, text: str, fields: tuple[str, ...]) -> list[tuple[str, int]]:
    """Index words that read like the Han ``text`` (same length, at most one or two characters
    different, not ``text`` itself), most frequent first: ``[(word, postings count), ...]``."""
    key = ("homophones", text, fields)

    def compute() -> list[tuple[str, int]]:
        from searchlib.analysis.pinyin import reading_table

        keys = {"".join(r) for r in reading_table().readings(text)}
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
    return ctx.stats.doc_freq(w.stats_key(), w.local_doc_freq)


def _term_df(ctx: QueryContext, text: str, fields: tuple[str, ...]) -> int:
    from searchlib.query.weights import TermWeight

    w = TermWeight(ctx, text, fields, 1.0)
    return ctx.stats.doc_freq(w.stats_key(), w.local_doc_freq)


def _spans(query: str, analyzer: Any, kinds: dict[str, str]) -> list[tuple[int, int, str, bool]]:
    """Candidate stretches ``(start, end, folded text, is_word)`` of the query's Han text."""
    out: list[tuple[int, int, str, bool]] = []
    for m in _HAN_RUN.finditer(query):
        fm = _FIELD_BEFORE.search(query, 0, m.start())
        if fm is not None and kinds.get(fm.group(1).lower(), "text") != "text":
            continue  # a keyword value, taken as written
        tokens = [t for t in analyzer.analyze(m.group(), mode="query") if _HAN_ONLY.fullmatch(t.text)]
        singles: list[Any] = []

        def flush() -> None:
            if 2 <= len(singles) <= MAX_SPAN:
                a, b = singles[0].start, singles[-1].end
                out.append((m.start() + a, m.start() + b, "".join(t.text for t in singles), False))
            singles.clear()

        for t in tokens:
            if len(t.text) == 1:
                if singles and singles[-1].end != t.start:
                    flush()
                singles.append(t)
                continue
            flush()
            if len(t.text) <= MAX_SPAN:
                out.append((m.start() + t.start, m.start() + t.end, t.text, True))
        flush()
    return out


def han_fixes(query: str, analyzer: Any, ctx: QueryContext, kinds: dict[str, str]) -> list[HanFix]:
    """Homophone corrections for the Han text of ``query`` (see the module docstring)."""
    fields = ctx.default_fields
    fixes: list[HanFix] = []
    for start, end, text, is_word in _spans(query, analyzer, kinds):
        if is_word and _term_df(ctx, text, fields) > 0:
            continue  # a word of the index: correct as typed
        words = homophone_words(ctx, text, fields)
        if not words or words[0][1] < HOMOPHONE_MIN:
            continue
        word, count = words[0]
        if _phrase_df(ctx, text, fields) * HOMOPHONE_RATIO > count:
            continue  # the typed text is common enough to be meant
        fixes.append(HanFix(start, end, text, word, count))
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
