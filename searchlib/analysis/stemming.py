"""Snowball stemming of Latin words (PyStemmer), one language or chosen per stretch of text."""
from __future__ import annotations

from collections.abc import Callable

__all__ = ["stem_function"]

_CACHE_LIMIT = 100_000


def stem_function(language: str) -> Callable[[str], str]:
    """A function stemming one word with Snowball ``language`` (words with digits or inner
    punctuation such as ``u.s`` or ``3.5bn`` stay as they are), remembering its answers."""
    import Stemmer

    stemmer = Stemmer.Stemmer(language)
    cache: dict[str, str] = {}

    def stem(word: str) -> str:
        out = cache.get(word)
        if out is None:
            out = stemmer.stemWord(word) if word.isalpha() else word
            if len(cache) < _CACHE_LIMIT:
                cache[word] = out
        return out

    return stem
