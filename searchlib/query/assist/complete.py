"""Autocomplete: ``Index.complete(prefix)`` → words (and titles) of the index, most useful first.

What the last word of the prefix completes to (the words before it are kept as typed):

* a Han prefix (``株``) → the index's Han words starting with it (株洲, 株洲市, ...);
* a Latin prefix (``indo``) → the index's Latin words starting with it (indonesia, ...), and
  * when it reads as pinyin, possibly ending inside a syllable (``changs``, ``zhuzh``), the Han
    words whose reading starts with it (长沙, 长沙市, 株洲);
  * the Han words whose initials start with it (``cs`` → 长沙; ``zz`` → 株洲): initials only
    complete, they never search;
* titles (``titles=True``): the titles of the documents that hold the best completion in their
  title, when the title starts with that completion.

"Useful" is frequency: postings of the word over the text fields, summed over segments (words
from initials count half, being the vaguest match). Everything is read from each segment's
assistance data (:mod:`searchlib.index.readings`): sorted word lists and reading keys, so a
look-up is a few binary searches and a top-k over the matching range.
"""
from __future__ import annotations

import re
from typing import Any

import numpy as np

from searchlib.analysis.pinyin import is_pinyin_prefix, typed_key
from searchlib.analysis.tokenize import HAN_CHARS
from searchlib.highlight.display import display_text

__all__ = ["MAX_PREFIX_CHARS", "complete"]

MAX_PREFIX_CHARS = 64
_PER_SEGMENT = 64  # best words taken from each segment's matching range before merging
_LAST_WORD = re.compile(rf"([{HAN_CHARS}]+|[^\s{HAN_CHARS}]+)\s*\Z")
_LATIN = re.compile(r"[a-z\u00c0-\u024f'’0-9]+\Z")
_HAN = re.compile(f"[{HAN_CHARS}]+\\Z")


def _top(ords: np.ndarray, weights: np.ndarray, k: int) -> list[tuple[int, int]]:
    if not ords.size:
        return []
    w = weights[ords].astype(np.int64)
    if ords.size > k:
        keep = np.argpartition(-w, k - 1)[:k]
        ords, w = ords[keep], w[keep]
    return list(zip(ords.tolist(), w.tolist()))


def _words(reader: Any, last: str, limit: int) -> list[tuple[str, int]]:
    """``[(completion of the last word, score), ...]`` best first."""
    scores: dict[str, float] = {}
    k = max(limit, _PER_SEGMENT)
    han = bool(_HAN.fullmatch(last))
    key = typed_key(last) if not han else ""
    pinyin = bool(key) and is_pinyin_prefix(key)
    initials = bool(key) and key.isascii() and key.isalpha() and 2 <= len(key) <= 8
    for seg in reader.segments:
        rd = getattr(seg, "readings", None)
        if rd is None or not seg.live_count:
            continue
        if han:
            a, b = rd.han_with_prefix(last)
            for o, w in _top(np.arange(a, b), rd.weight, k):
                word = rd.word(o)
                scores[word] = scores.get(word, 0) + w
            continue
        a, b = rd.latin_with_prefix(last)
        for o, w in _top(np.arange(a, b), rd.lweight, k):
            word = rd.latin_word(o)
            scores[word] = scores.get(word, 0) + w
        if pinyin:
            for o, w in _top(np.unique(rd.with_prefix(key)), rd.weight, k):
                word = rd.word(o)
                scores[word] = scores.get(word, 0) + w
        if initials:
            for o, w in _top(np.unique(rd.with_prefix(key, initials=True)), rd.weight, k):
                word = rd.word(o)
                scores[word] = scores.get(word, 0) + w * 0.5
    return sorted(scores.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[:limit]


def _titles(reader: Any, word: str, limit: int) -> list[str]:
    """Titles of the documents holding ``word`` in their title that start with it."""
    out: list[str] = []
    if "title" not in getattr(reader.schema, "text_fields", ()):
        return out
    for seg in reader.segments:
        tid = seg.term_id("title", word)
        if tid is None:
            continue
        docs, _ = seg.postings(tid)
        for local in docs[:limit * 4].tolist():
            if seg.deleted[local]:
                continue
            title = display_text(str(seg.stored(local).get("title") or "")).strip()
            if title and reader.analyzer.fold(title).text.startswith(word) and title not in out:
                out.append(title)
                if len(out) >= limit:
                    return out
    return out


def complete(reader: Any, prefix: str, limit: int = 10, *, titles: bool = True) -> list[str]:
    """Completions of ``prefix`` (see the module docstring), at most ``limit``, best first."""
    folded = reader.analyzer.fold(prefix[:MAX_PREFIX_CHARS]).text
    m = _LAST_WORD.search(folded)
    if m is None or not folded.strip() or limit <= 0:
        return []
    head = folded[: m.start(1)]  # the words before the last, folded (as every completion is)
    last = m.group(1)
    if not (_HAN.fullmatch(last) or _LATIN.fullmatch(last)):
        return []
    words = _words(reader, last, limit)
    out = [head + w for w, _ in words]
    if titles and words:
        extra = [t for t in _titles(reader, words[0][0], 3) if t not in out]
        if extra:  # the best titles after the best word, before the rest
            out = out[:1] + extra + out[1:]
    return list(dict.fromkeys(out))[:limit]
