"""Stemming Latin words by language: English and Indonesian share the Latin script.

* :func:`stem_function` - Snowball (PyStemmer) for one language, with a per-word cache.
* :func:`detect_language` - English, Indonesian or undecided, for a stretch of Latin words:
  function words of each language (``the``/``of`` vs ``yang``/``dan``) and Indonesian affixes
  (``-nya``, ``-kan``, ``meng-``, ``ber-`` ...). It is a tie-breaker between two languages, not a
  general language identifier: text in any other Latin-script language counts as undecided or
  as the closer of the two.
* :class:`StemByLanguage` - the analyzer's Latin filter (``Analyzer(stemmer="auto")``):

  - at index time every Latin word is indexed under its English stem AND its Indonesian stem
    (one term when they agree), at its own position: the index does not depend on guessing
    the language of a document, a title or a stretch of three words between Chinese text;
  - a query has no language either: its words are stemmed with the language detected for the
    query's stretch of Latin words, English when undecided (a single word without Indonesian
    affixes). Whichever stem the query uses, the documents hold it for every form of the word
    that shares it - ``minibus`` finds ``minibuses``, ``pembangunan`` finds ``membangun``, and a
    misdetected query still finds the words it was typed as.

  Why index both rather than detect per stretch at index time: detection on short stretches
  (titles, a name in a Chinese sentence) is unreliable, and a document stemmed with one language
  cannot be found by a query stemmed with the other; ``benchmarks/bench_stemming.py`` measures
  the choices on the English and Indonesian sample pages.
"""
from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from typing import Any, Literal

from searchlib.analysis.stages import LatinFilter

__all__ = ["LANGUAGES", "StemByLanguage", "detect_language", "stem_function"]

Mode = Literal["index", "query"]
LANGUAGES = ("english", "indonesian")
_CACHE_LIMIT = 100_000

_ENGLISH = frozenset(
    "the of and to in is are was were be been being for on with that this these those by as at from it its "
    "has have had will would said says an or not but which who whom whose their they them he she his her "
    "we our you your after before more than about into over also can could should may might there here "
    "when where while what how all any some such no only other most new first last up out so if do does did "
    "between under against during without within since because both each just very".split()
)
_INDONESIAN = frozenset(
    "yang dan di ke dari ini itu dengan untuk dalam pada tidak akan juga oleh karena ada atau adalah sebagai "
    "telah sudah para kami mereka kita saya lebih tersebut saat namun serta bagi hingga sejak antara agar "
    "kata ujar menurut bahwa tahun bisa dapat harus masih belum secara seperti setelah sebelum kepada "
    "sangat banyak baru akan yaitu yakni pun lagi hanya jika kalau tetapi tapi sedang sehingga melalui "
    "terhadap tentang bersama maupun demikian".split()
)
_ID_SUFFIXES = ("nya", "kan", "lah")


def stem_function(language: str) -> Callable[[str], str]:
    """A function stemming one word with Snowball ``language`` (words with digits or inner
    punctuation such as ``u.s`` or ``3.5bn`` stay as they are), remembering its answers.
    Safe to call from several threads: a PyStemmer object "must not be called concurrently",
    so each thread gets its own (the cache holds finished results only)."""
    import Stemmer

    first = Stemmer.Stemmer(language)
    owner = threading.get_ident()
    local = threading.local()
    cache: dict[str, str] = {}

    def stem(word: str) -> str:
        out = cache.get(word)
        if out is None:
            if not word.isalpha():
                out = word
            elif threading.get_ident() == owner:
                out = first.stemWord(word)
            else:
                stemmer = getattr(local, "stemmer", None)
                if stemmer is None:
                    stemmer = local.stemmer = Stemmer.Stemmer(language)
                out = stemmer.stemWord(word)
            if len(cache) < _CACHE_LIMIT:
                cache[word] = out
        return out

    return stem


# Indonesian prefixes before the consonants they take (meng-, ber-, ter-, per-, pe(N)-); left out
# where English words start the same way (di-: district, direct; mem-b: member; per-c: percent).
_ID_PREFIX_RE = re.compile(r"(?:meng|meny|peng|peny|memp|menj|menc|ber[bcdjkpst]|ter[bcdjkps]|per[bjkt]|pen[cdj]|pem[bp])")
_ID_CIRCUMFIX_RE = re.compile(r"(?:me|be|te|di|pe|ke|se)\w{3,}an")


def _indonesian_shape(word: str) -> bool:
    """An Indonesian affix with a plausible stem left (``pembangunan``, ``diresmikan``,
    ``berkembang``); English words rarely look like this (1 of 2,043 in the sample pages)."""
    if len(word) < 6 or not word.isalpha():
        return False
    if word.endswith(_ID_SUFFIXES):
        return True
    return _ID_PREFIX_RE.match(word) is not None or (len(word) >= 7 and _ID_CIRCUMFIX_RE.fullmatch(word) is not None)


def detect_language(words: Sequence[str]) -> str | None:
    """``"english"``, ``"indonesian"`` or ``None`` (undecided) for folded Latin words."""
    en = idn = 0
    for w in words:
        if w in _ENGLISH:
            en += 2
        elif w in _INDONESIAN:
            idn += 2
        elif _indonesian_shape(w):
            idn += 1
    if en > idn:
        return "english"
    if idn > en:
        return "indonesian"
    return None


class StemByLanguage(LatinFilter):
    """English and Indonesian Snowball stemming (see the module docstring): index time, both
    stems of every Latin word; query time, the stem of the language detected for each stretch of
    Latin words (``default`` when undecided)."""

    name = "stem_by_language"

    def __init__(self, languages: Sequence[str] = LANGUAGES, default: str = "english", index: str = "all") -> None:
        languages = tuple(languages)
        if not languages or any(lang not in LANGUAGES for lang in languages) or default not in languages:
            raise ValueError(f"languages must be among {', '.join(LANGUAGES)} and hold the default; got {languages!r}, {default!r}")
        if index not in ("all", "detect"):
            raise ValueError(f"index must be 'all' (every language's stem) or 'detect', got {index!r}")
        self.languages = languages
        self.default = default
        self.index = index
        self._fns: dict[str, Callable[[str], str]] = {}
        self._all_terms: dict[str, tuple[str, ...]] = {}  # word -> its stems, every language

    def config(self) -> dict[str, Any]:
        return {"languages": list(self.languages), "default": self.default, "index": self.index}

    def function(self, language: str) -> Callable[[str], str]:
        fn = self._fns.get(language)
        if fn is None:
            fn = self._fns[language] = stem_function(language)
        return fn

    def apply(self, words: Sequence[str], groups: Sequence[int], mode: Mode = "index") -> tuple[list[str], list[int]]:
        if not any(map(str.isalpha, words)):  # digits, "u.s", "5g": never stemmed
            return list(words), list(range(len(words)))
        if mode == "index" and self.index == "all":
            per_word = list(map(self._all_terms.get, words))
            if None in per_word:
                per_word = [t or self._terms_of(w) for t, w in zip(per_word, words)]
            if max(map(len, per_word)) == 1:
                return [t[0] for t in per_word], list(range(len(words)))
            out: list[str] = []
            src: list[int] = []
            for i, terms in enumerate(per_word):
                out += terms
                src += [i] * len(terms)
            return out, src
        # one stem per word, the language detected for its stretch (queries; documents with
        # index="detect")
        out = []
        start = 0
        n = len(words)
        while start < n:
            end = start
            while end < n and groups[end] == groups[start]:
                end += 1
            lang = detect_language(words[start:end])
            if lang in self.languages:
                fn = self.function(lang)
                out.extend(fn(w) for w in words[start:end])
            else:  # undecided: each word by its own shape
                out.extend(self._stem_alone(w) for w in words[start:end])
            start = end
        return out, list(range(n))

    def _terms_of(self, word: str) -> tuple[str, ...]:
        terms = tuple(dict.fromkeys(self.function(lang)(word) for lang in self.languages)) if word.isalpha() else (word,)
        if len(self._all_terms) < _CACHE_LIMIT:
            self._all_terms[word] = terms
        return terms

    def _stem_alone(self, word: str) -> str:
        """A word of an undecided stretch: Indonesian when it has an Indonesian affix (and
        Indonesian is one of the languages), else the default language."""
        if _indonesian_shape(word) and "indonesian" in self.languages:
            return self.function("indonesian")(word)
        return self.function(self.default)(word)

    def word_terms(self, word: str) -> tuple[str, ...]:
        return self._all_terms.get(word) or self._terms_of(word)
