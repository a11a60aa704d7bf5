"""Phrase-level Traditional → Simplified folding: the :class:`T2SPhrases` stage.

Folding character by character (:func:`~searchlib.analysis.normalize.fold`) leaves the
conversions that depend on the phrase: ``瞭解``/``了解``, ``藉口``/``借口``, ``想像``/``想象``,
``項鍊``/``项链``, ``揹着``/``背着``, ``答覆``/``答复``, Taiwan's ``著`` for ``着``. This stage applies a table
of folded phrases derived from OpenCC's
dictionaries (:mod:`searchlib.analysis.opencc_tables`, shipped as ``t2s_phrases.json``) with one
leftmost-longest Aho-Corasick pass over the character-folded text, so a Simplified text and its
OpenCC conversions fold to the same string (``benchmarks/bench_t2s.py`` measures it).

Offsets stay exact: a replacement of equal length maps character to character (``瞭`` ↔ ``了``);
a replacement of another length (``計程車`` → ``出租车``) maps as a block, every character of it
to the whole original phrase.

The table folds script, not vocabulary: Taiwan's own words (``資訊`` for ``信息``, ``程序`` for
``进程``) stay themselves, because folding them would merge distinct mainland words (a search for
``程序`` must not find ``进程``). The terms ``analyze`` shows are the folded ones; snippets and
highlights use the original text.
"""
from __future__ import annotations

import json
from bisect import bisect_right
from functools import lru_cache
from pathlib import Path
from typing import Any

from searchlib.analysis.normalize import Folded, _block, _merge_identity, compose
from searchlib.analysis.stages import CharFilter

__all__ = ["PHRASE_TABLE_FILE", "PHRASE_TABLE_VERSION", "PhraseFolder", "T2SPhrases", "phrase_table"]

PHRASE_TABLE_FILE = Path(__file__).with_name("t2s_phrases.json")
# Indexes record this number (the analyzer's "t2s_phrases" option): a new table gets a new one.
PHRASE_TABLE_VERSION = 1


@lru_cache(maxsize=1)
def phrase_table() -> dict[str, str]:
    """The shipped phrase table: folded phrase → folded Simplified phrase."""
    data = json.loads(PHRASE_TABLE_FILE.read_text(encoding="utf-8"))
    if data.get("version") != PHRASE_TABLE_VERSION:
        raise ValueError(f"{PHRASE_TABLE_FILE} is version {data.get('version')}, expected {PHRASE_TABLE_VERSION}")
    return dict(data["pairs"])


class PhraseFolder:
    """One leftmost-longest replacement pass of a phrase table.

    Uses ``ahocorasick_rs`` (Rust): a leftmost-longest automaton over ~2,000 Chinese phrases
    costs about a microsecond per sentence there, where pyahocorasick's trie (a linear search
    over the ~1,000 first characters at every step) costs ten times that - and this pass runs on
    every text searchlib analyzes."""

    def __init__(self, table: dict[str, str]) -> None:
        import ahocorasick_rs

        keys = sorted(table)
        # a key that maps to itself still hides the shorter keys inside it: None = keep
        self._values: list[str | None] = [table[k] if table[k] != k else None for k in keys]
        self.size = len(keys)
        self._find = None
        if keys:
            automaton = ahocorasick_rs.AhoCorasick(
                keys, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest,
                implementation=ahocorasick_rs.Implementation.ContiguousNFA,  # as fast here as a DFA, built 10x faster
            )
            self._find = automaton.find_matches_as_indexes

    def matches(self, text: str) -> list[tuple[int, int, str]]:
        """``(start, end, replacement)`` of the replacements in ``text``, in order."""
        find = self._find
        if find is None or not text:
            return []
        found = find(text)
        if not found:
            return found
        values = self._values
        return [(s, e, v) for i, s, e in found if (v := values[i]) is not None]

    def apply_text(self, text: str) -> str:
        """``text`` with every replacement made."""
        found = self.matches(text)
        if not found:
            return text
        out: list[str] = []
        pos = 0
        for start, end, value in found:
            out.append(text[pos:start])
            out.append(value)
            pos = end
        out.append(text[pos:])
        return "".join(out)

    def apply_texts(self, texts: list[str]) -> list[str]:
        """:meth:`apply_text` of every text, with ONE automaton scan over the texts joined (no
        key holds a line break, so no match crosses two texts)."""
        if len(texts) < 2:
            return [self.apply_text(t) for t in texts]
        joined = "\n".join(texts)
        found = self.matches(joined)
        if not found:
            return texts
        starts = [0]
        for t in texts:
            starts.append(starts[-1] + len(t) + 1)
        out = list(texts)
        k = -1
        pieces: list[str] = []
        pos = 0
        for start, end, value in found:
            if start >= starts[k + 1] if k >= 0 else True:
                if k >= 0:  # finish the previous text
                    pieces.append(joined[pos:starts[k + 1] - 1])
                    out[k] = "".join(pieces)
                k = bisect_right(starts, start) - 1
                pieces, pos = [], starts[k]
            pieces.append(joined[pos:start])
            pieces.append(value)
            pos = end
        pieces.append(joined[pos:starts[k + 1] - 1])
        out[k] = "".join(pieces)
        return out

    def apply(self, folded: Folded) -> Folded:
        """The replacements made in ``folded.text``, mapped back to ``folded.original``."""
        found = self.matches(folded.text)
        if not found:
            return folded
        text = folded.text
        out: list[str] = []
        segments: list[tuple[int, int, int, int]] = []
        pos = fpos = 0
        same_length = True
        for start, end, value in found:
            if start > pos:
                segments.append((fpos, fpos + start - pos, pos, start))
                fpos += start - pos
            out.append(text[pos:start])
            out.append(value)
            if len(value) == end - start:
                segments.append((fpos, fpos + len(value), start, end))
            else:
                same_length = False
                _block(segments, fpos, fpos + len(value), start, end)
            fpos += len(value)
            pos = end
        out.append(text[pos:])
        new_text = "".join(out)
        if same_length:  # one character for one: the map does not change
            return Folded(folded.original, new_text, folded.segments)
        if pos < len(text):
            segments.append((fpos, fpos + len(text) - pos, pos, len(text)))
        return compose(Folded(text, new_text, _merge_identity(segments)), folded)


@lru_cache(maxsize=1)
def _default_folder() -> PhraseFolder:
    return PhraseFolder(phrase_table())


class T2SPhrases(CharFilter):
    """Folds OpenCC's phrases (see the module docstring); comes after :class:`~searchlib.analysis.stages.Normalize`
    and :class:`~searchlib.analysis.stages.T2SChars`, whose output the table's keys are written in."""

    name = "t2s_phrases"

    def __init__(self, table: int = PHRASE_TABLE_VERSION) -> None:
        if table != PHRASE_TABLE_VERSION:
            raise ValueError(f"phrase table {table!r} is not available in this searchlib (it has {PHRASE_TABLE_VERSION})")
        self.table = table

    def config(self) -> dict[str, Any]:
        return {"table": self.table}

    @property
    def folder(self) -> PhraseFolder:
        return _default_folder()

    def apply(self, folded: Folded) -> Folded:
        return _default_folder().apply(folded)

    def apply_function(self) -> Any:
        """:meth:`apply` as one function for the analyzer's per-call path: most texts have no
        phrase to fold, and for them this costs one automaton scan."""
        folder = _default_folder()
        find, apply = folder._find, folder.apply
        if find is None:
            return lambda folded: folded

        def apply_phrases(folded: Folded) -> Folded:
            return apply(folded) if find(folded[1]) else folded

        return apply_phrases

    def apply_texts(self, texts: list[str]) -> list[str]:
        return _default_folder().apply_texts(texts)
