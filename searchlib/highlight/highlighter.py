"""Match spans of a query's terms and phrases on the ORIGINAL document text.

How a document is matched
-------------------------
1. The document is folded with the analyzer (:meth:`Analyzer.fold`): Traditional → Simplified,
   NFKC, case folding, inline pinyin removed. Everything below runs on the folded text.
2. One Aho-Corasick automaton, built once per :class:`Highlighter` (i.e. once per query), holds
   the folded surface forms of the terms and phrases. It reports every occurrence, nested and
   overlapping ones included.
3. Word boundaries: a pattern whose first (last) character is a letter or digit of a non-Han
   script only counts where the document has a token boundary before (after) it, by the same
   rule as the tokenizer (:data:`searchlib.analysis.tokenize.RUN_RE`): ``car`` does not match in
   ``scar``, ``cars`` or ``car's`` (the tokenizer reads ``car's`` as one word), but does in
   ``car-free`` and ``car工厂``. Han characters have no boundary constraint.
4. Stemming: when the analyzer stems Latin words (its Latin filter), they are matched through
   the terms the index holds for them instead (:meth:`Analyzer.word_terms`: with the default
   ``stemmer="auto"`` a word's English and Indonesian stems), so ``run`` marks ``running`` and
   ``runs`` and ``minibus`` marks ``minibuses``. Multi-word Latin phrases are always matched on
   these words (stemmed or not): consecutive words separated only by whitespace or hyphens, each
   holding the phrase's query term for that word, as the phrase query itself matches them
   (``new york`` marks ``New  York`` and ``new-york``).
5. Phrases are one span each and match as the phrase query does: their units (Han characters,
   Latin words) in order with only whitespace or hyphens between them. The automaton holds the
   compact form (``产业 集群`` → ``产业集群``; Latin words keep one space between them); when the
   document has whitespace or hyphens at all, a regex built once per query also finds the
   occurrences with gaps (``产业\n集群``, ``iPhone 手机``). Multi-word Latin phrases are matched on
   words as in 4. A phrase with punctuation inside is matched literally.
6. Overlapping, nested and touching matches merge into one span (the union): ``马克思`` with the
   terms ``马克`` and ``马克思`` marks ``马克思`` whole (whoosh#532 marked ``马克``).
7. Folded spans map back to original offsets with :meth:`Folded.span`: a Simplified query marks
   the Traditional characters it matched, and a match ending in a character that carried an
   inline pinyin annotation extends over it (``调`` marks ``調(diào)``).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, Literal, NamedTuple

import ahocorasick

from searchlib.analysis.analyzer import Analyzer, default_analyzer
from searchlib.analysis.normalize import Folded
from searchlib.analysis.chars import HAN_CHARS, JOINERS, NO_BREAK, WORD_CHAR_RE
from searchlib.analysis.tokenize import MAX_TOKEN_CHARS, RUN_RE
from searchlib.highlight.display import Display
from searchlib.highlight.format import render
from searchlib.highlight.snippets import Match, select_fragments

__all__ = ["SNIPPET_SCAN_CHARS", "DocumentMatches", "Highlighter"]

Format = Literal["text", "html", "ansi"]

# One character of a tokenizer "word" (a letter or digit of a non-Han script), and the characters
# that join two word parts into one word ("u.s", "don't", "3.5").
_WORD_CHAR_RE = WORD_CHAR_RE
_JOINERS = JOINERS
_SPACES_RE = re.compile(r"\s+")
# Between two words of a phrase only whitespace and hyphens may stand (the tokenizer's rule: any
# other character adds a break unit, and a phrase does not match across a break).
_NO_BREAK = NO_BREAK
_GAP = f"[{re.escape(_NO_BREAK)}]"
_GAP_CHAR_RE = re.compile(_GAP)
_LEFT_BOUNDARY = rf"(?<![^\W_{HAN_CHARS}])(?<![^\W_{HAN_CHARS}][{_JOINERS}])"
_RIGHT_BOUNDARY = rf"(?![^\W_{HAN_CHARS}])(?![{_JOINERS}][^\W_{HAN_CHARS}])"
_CACHE_SIZE = 64
# A snippet is chosen from a text's first million characters: matching keeps offset maps worth
# many times the text, so a 20-million-character document cost 480 MB and 2.4 s for one snippet
SNIPPET_SCAN_CHARS = 1 << 20


class _Pattern(NamedTuple):
    """Value stored in the automaton for one surface form."""

    length: int
    bit: int  # 1 << index of the query term or phrase it came from
    check_left: bool
    check_right: bool


class DocumentMatches(NamedTuple):
    """Matches of one document: merged spans in original offsets with what matched inside."""

    folded: Folded
    matches: list[Match]

    @property
    def spans(self) -> list[tuple[int, int]]:
        return [(m.start, m.end) for m in self.matches]


class Highlighter:
    """Highlights one query's terms and phrases in documents.

    Build one per query and reuse it for every hit: the automaton is compiled here, and the last
    documents' matches are cached so that :meth:`spans` followed by :meth:`snippet` on the same
    text matches once.

    Args:
        analyzer: the analyzer the index was built with (its folding, and its stemmer if any).
        terms: the query's index terms (folded forms; NOT-terms already left out by the caller).
        phrases: the query's phrases (folded phrase text).
    """

    def __init__(
        self,
        analyzer: Analyzer | None = None,
        terms: Iterable[str] = (),
        phrases: Iterable[str] = (),
    ) -> None:
        self.analyzer = analyzer if analyzer is not None else default_analyzer()
        self._stems = self.analyzer.latin_filter is not None  # Latin words are matched on their index terms
        self._word_terms: dict[str, tuple[str, ...]] = {}
        self.terms: tuple[str, ...] = tuple(dict.fromkeys(_check_str(t, "term") for t in terms))
        self.phrases: tuple[str, ...] = tuple(dict.fromkeys(_check_str(p, "phrase") for p in phrases))
        self.labels: tuple[str, ...] = ()  # query term/phrase behind each bit, in bit order
        self._automaton: Any = None
        self._word_keys: dict[str, int] = {}  # Latin word key (an index term of the word) -> bits
        self._word_phrases: dict[str, list[tuple[tuple[str, ...], int]]] = {}  # first key -> phrases
        self._gap_patterns: list[tuple[str, int]] = []  # phrases with Han, any no-break gaps allowed
        self._gap_re: re.Pattern[str] | None = None
        self._gap_bits: list[int] = []
        self._cache: dict[str, DocumentMatches] = {}
        self._build()

    # -- construction -----------------------------------------------------------------------------
    def _build(self) -> None:
        fold = self.analyzer.fold
        surface: dict[str, int] = {}  # surface form -> bits
        labels: list[str] = []

        def label(text: str) -> int:
            labels.append(text)
            return 1 << (len(labels) - 1)

        for raw in self.terms:
            term = _SPACES_RE.sub(" ", fold(raw).text).strip()
            if not term:
                continue
            if " " in term:  # a caller passed several words as one term: match it as a phrase
                self._add_phrase(term, label(raw), surface)
                continue
            bit = label(raw)
            if self._stems and _is_word(term):
                # an index term, or a surface form a caller passed: both match through the terms
                for key in {term, *self.terms_of(term)}:
                    self._word_keys[key] = self._word_keys.get(key, 0) | bit
            else:
                surface[term] = surface.get(term, 0) | bit
        for raw in self.phrases:
            phrase = _SPACES_RE.sub(" ", fold(raw).text).strip()
            if phrase:
                self._add_phrase(phrase, label(raw), surface)
        self.labels = tuple(labels)
        if self._gap_patterns:
            self._gap_re = re.compile("|".join(f"(?P<g{i}>{p})" for i, (p, _) in enumerate(self._gap_patterns)))
            self._gap_bits = [bit for _, bit in self._gap_patterns]
        if surface:
            automaton = ahocorasick.Automaton()
            for form, bit in surface.items():
                automaton.add_word(
                    form,
                    _Pattern(len(form), bit, bool(_WORD_CHAR_RE.match(form)), bool(_WORD_CHAR_RE.match(form[-1]))),
                )
            automaton.make_automaton()
            self._automaton = automaton

    def _add_phrase(self, phrase: str, bit: int, surface: dict[str, int]) -> None:
        units, clean = _units(phrase)
        if not units:
            return
        if not clean:  # punctuation between units (a break): the literal text only
            surface[phrase] = surface.get(phrase, 0) | bit
            return
        if not any(han for _, han in units):
            if len(units) == 1 and not self._stems:
                surface[units[0][0]] = surface.get(units[0][0], 0) | bit
                return
            keys = self._query_terms(phrase, [u for u, _ in units])
            if len(keys) == 1:
                self._word_keys[keys[0]] = self._word_keys.get(keys[0], 0) | bit
            else:  # matched on the document's words (stems), with any no-break gap between
                self._word_phrases.setdefault(keys[0], []).append((keys, bit))
            return
        compact = "".join(
            (" " if i and not han and not units[i - 1][1] else "") + u for i, (u, han) in enumerate(units)
        )
        surface[compact] = surface.get(compact, 0) | bit
        if len(units) > 1:
            self._gap_patterns.append((_gap_pattern(units), bit))

    def terms_of(self, word: str) -> tuple[str, ...]:
        """The index terms of a folded Latin ``word`` (remembered)."""
        terms = self._word_terms.get(word)
        if terms is None:
            terms = self.analyzer.word_terms(word) if self._stems else (word,)
            if len(self._word_terms) < 50_000:
                self._word_terms[word] = terms
        return terms

    def _query_terms(self, phrase: str, words: list[str]) -> tuple[str, ...]:
        """The query terms of a Latin phrase's words, as the phrase query analyzes them (stemmed
        in the phrase's language); the words themselves without stemming."""
        if not self._stems:
            return tuple(words)
        terms = tuple(t.text for t in self.analyzer.analyze(phrase, mode="query"))
        return terms if len(terms) == len(words) else tuple(words)

    # -- matching -----------------------------------------------------------------------------------
    def match(self, text: str) -> DocumentMatches:
        """Folded text and merged matches of ``text`` (cached for the last few documents)."""
        cached = self._cache.get(text)
        if cached is not None:
            return cached
        folded = self.analyzer.fold(text)
        result = DocumentMatches(folded, self._find(folded))
        cache = self._cache
        if len(cache) >= _CACHE_SIZE:
            cache.clear()  # simple and thread-safe; the cache only has to outlive one hit's calls
        cache[text] = result
        return result

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Sorted, disjoint ``(start, end)`` spans of ``text`` (original offsets) to highlight."""
        return self.match(text).spans

    def _find(self, folded: Folded) -> list[Match]:
        ftext = folded.text
        raw: list[tuple[int, int, int]] = []  # (folded start, folded end, bits)
        if self._automaton is not None and ftext:
            n = len(ftext)
            word_char = _WORD_CHAR_RE.match
            for last, (length, bit, check_left, check_right) in self._automaton.iter(ftext):
                end = last + 1
                start = end - length
                if check_left and start > 0 and (
                    word_char(ftext, start - 1)
                    or (start > 1 and ftext[start - 1] in _JOINERS and word_char(ftext, start - 2))
                ):
                    continue
                if check_right and end < n and (
                    word_char(ftext, end)
                    or (end + 1 < n and ftext[end] in _JOINERS and word_char(ftext, end + 1))
                ):
                    continue
                raw.append((start, end, bit))
        if self._word_keys or self._word_phrases:
            raw.extend(self._match_words(ftext))
        if self._gap_re is not None and _GAP_CHAR_RE.search(ftext):
            bits = self._gap_bits
            for m in self._gap_re.finditer(ftext):
                raw.append((m.start(), m.end(), bits[int(m.lastgroup[1:])]))  # type: ignore[index]
        if not raw:
            return []
        raw.sort()
        return self._to_original(folded, raw)

    def _match_words(self, ftext: str) -> list[tuple[int, int, int]]:
        """Latin words (through their index terms when the analyzer stems) and multi-word Latin
        phrases."""
        keys = self._word_keys
        phrases = self._word_phrases
        terms_of = self.terms_of
        words: list[tuple[tuple[str, ...], int, int]] = []
        out: list[tuple[int, int, int]] = []
        for m in RUN_RE.finditer(ftext):
            if m.lastgroup == "han" or m.end() - m.start() > MAX_TOKEN_CHARS:
                continue
            terms = terms_of(m.group())
            bit = 0
            for t in terms:
                bit |= keys.get(t, 0)
            if bit:
                out.append((m.start(), m.end(), bit))
            if phrases:
                words.append((terms, m.start(), m.end()))
        if phrases:
            for i, (terms, start, _) in enumerate(words):
                for first in terms:
                    for pkeys, bit in phrases.get(first, ()):
                        j = i + len(pkeys)
                        if j > len(words):
                            continue
                        ok = True
                        for k in range(1, len(pkeys)):
                            w = words[i + k]
                            if pkeys[k] not in w[0] or ftext[words[i + k - 1][2] : w[1]].strip(_NO_BREAK):
                                ok = False
                                break
                        if ok:
                            out.append((start, words[j - 1][2], bit))
        return out

    @staticmethod
    def _to_original(folded: Folded, raw: list[tuple[int, int, int]]) -> list[Match]:
        """Merge sorted folded matches (union of overlapping/touching ones), map them to original
        offsets, extend over trailing pinyin annotations, and merge again where mapping joined them."""
        merged: list[list[int]] = []  # [start, end, bits, count]
        for start, end, bit in raw:
            if merged and start <= merged[-1][1]:
                last = merged[-1]
                if end > last[1]:
                    last[1] = end
                last[2] |= bit
                last[3] += 1
            else:
                merged.append([start, end, bit, 1])
        if folded.segments is None:
            return [Match(s, e, b, c) for s, e, b, c in merged]
        original = folded.original
        flen = len(folded.text)
        span = folded.span
        out: list[Match] = []
        for fs, fe, bits, count in merged:
            s, e = span(fs, fe)
            nxt = span(fe, fe + 1)[0] if fe < flen else len(original)
            if nxt > e and original[e] in "(（":
                e = nxt  # the match's last character carried an inline pinyin annotation
            if out and s <= out[-1].end:
                prev = out[-1]
                out[-1] = Match(prev.start, max(e, prev.end), prev.bits | bits, prev.count + count)
            else:
                out.append(Match(s, e, bits, count))
        return out

    # -- snippets -----------------------------------------------------------------------------------
    def snippet(
        self,
        text: str,
        format: Format = "text",
        max_chars: int = 240,
        spans: Sequence[tuple[int, int]] | None = None,
        *,
        color: bool | None = None,
    ) -> str:
        """A snippet of ``text`` with the matches marked (see :mod:`searchlib.highlight.snippets` for
        how windows are chosen and :mod:`searchlib.highlight.format` for the formats). The snippet
        shows the text without inline pinyin annotations (:mod:`searchlib.highlight.display`:
        ``調(diào)研`` shows as ``調研``, a match on it marks ``調研``); :meth:`spans` stay offsets into
        ``text`` itself.

        ``max_chars`` bounds the visible characters (ellipses included, markup excluded).
        ``spans``: highlight these original-text spans instead of matching the query (each distinct
        folded span text then counts as one term when windows are compared).
        ``color`` (``format="ansi"`` only): ``None`` = colour only when ``NO_COLOR`` is unset and
        stdout is a terminal. Only the first :data:`SNIPPET_SCAN_CHARS` characters of ``text`` are
        looked at (matching and folding keep offset maps, several times the text's size).
        """
        text = _check_str(text, "text")
        if len(text) > SNIPPET_SCAN_CHARS:  # a snippet of a huge document comes from its beginning
            text = text[:SNIPPET_SCAN_CHARS]
            if spans is not None:
                spans = [(s, e) for s, e in spans if e <= SNIPPET_SCAN_CHARS]
        if spans is None:
            matches = self.match(text).matches
        else:
            matches = _matches_from_spans(self.analyzer, text, spans)
        shown = Display.of(text)  # shown without inline pinyin; the matches move with the text
        if shown.removed:
            matches = _moved(matches, shown)
        pieces = select_fragments(shown.text, matches, max_chars)
        return render(pieces, format, color=color)

    def __repr__(self) -> str:
        return f"Highlighter(terms={list(self.terms)!r}, phrases={list(self.phrases)!r})"


def _moved(matches: list[Match], shown: Display) -> list[Match]:
    """Matches in original offsets → in the displayed text (merging any that meet there)."""
    out: list[Match] = []
    for m in matches:
        s, e = shown.span(m.start, m.end)
        if e <= s:
            continue
        if out and s <= out[-1].end:
            prev = out[-1]
            out[-1] = Match(prev.start, max(e, prev.end), prev.bits | m.bits, prev.count + m.count)
        else:
            out.append(Match(s, e, m.bits, m.count))
    return out


def _matches_from_spans(analyzer: Analyzer, text: str, spans: Sequence[tuple[int, int]]) -> list[Match]:
    n = len(text)
    clean = sorted((max(0, int(s)), min(n, int(e))) for s, e in spans)
    keys: dict[str, int] = {}
    out: list[Match] = []
    for s, e in clean:
        if e <= s:
            continue
        bit = 1 << keys.setdefault(analyzer.fold(text[s:e]).text, len(keys))
        if out and s <= out[-1].end:
            prev = out[-1]
            out[-1] = Match(prev.start, max(e, prev.end), prev.bits | bit, prev.count + 1)
        else:
            out.append(Match(s, e, bit, 1))
    return out


def _units(phrase: str) -> tuple[list[tuple[str, bool]], bool]:
    """Phrase units as the tokenizer counts them (each Han character, each Latin word) with a Han
    flag, and whether only whitespace/hyphens stand between them (no break)."""
    units: list[tuple[str, bool]] = []
    clean = True
    pos = 0
    for m in RUN_RE.finditer(phrase):
        if units and phrase[pos : m.start()].strip(_NO_BREAK):
            clean = False
        if m.lastgroup == "han":
            units.extend((c, True) for c in m.group())
        else:
            units.append((m.group(), False))
        pos = m.end()
    return units, clean


def _gap_pattern(units: list[tuple[str, bool]]) -> str:
    """Regex for a phrase's units with whitespace/hyphens allowed between them (required between
    two Latin words), and token boundaries at Latin ends."""
    parts = [_LEFT_BOUNDARY] if not units[0][1] else []
    for i, (unit, han) in enumerate(units):
        if i:
            parts.append(_GAP + ("+" if not han and not units[i - 1][1] else "*"))
        parts.append(re.escape(unit))
    if not units[-1][1]:
        parts.append(_RIGHT_BOUNDARY)
    return "".join(parts)


def _is_word(text: str) -> bool:
    """True when ``text`` is one tokenizer word of a non-Han script (``czt``, ``kota``, ``3.5``)."""
    m = RUN_RE.fullmatch(text)
    return m is not None and m.lastgroup != "han"


def _check_str(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{what} must be str, got {type(value).__name__}")
    return value
