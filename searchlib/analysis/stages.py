"""Analysis as composable stages: ``StripPinyin() | Normalize() | T2SChars() | JiebaTokenizer() | Stem("english")``.

Three kinds of stage, in this order (Lucene's char filters, tokenizer and token filters):

* :class:`CharFilter` - text to text with an offset map (:class:`~searchlib.analysis.normalize.Folded`):
  :class:`StripPinyin`, :class:`Normalize` (NFKC + case folding), :class:`T2SChars` (Traditional →
  Simplified, per character), :class:`~searchlib.analysis.phrases.T2SPhrases` (OpenCC's phrases).
* one :class:`Tokenizer` - folded text to tokens with unit positions: :class:`JiebaTokenizer`
  (script runs, Han words by jieba, Latin words; :mod:`searchlib.analysis.tokenize`).
* :class:`LatinFilter` s - Latin words to index terms: :class:`Stem` (Snowball, one language) and
  :class:`~searchlib.analysis.stemming.StemByLanguage` (English or Indonesian per stretch of text).

``a | b`` builds a :class:`Pipeline`. Every stage works alone (``StripPinyin().apply(folded)``) and
in a pipeline; the pipeline runs the usual prefix ``StripPinyin | Normalize | T2SChars`` as ONE
fused pass (:func:`~searchlib.analysis.normalize.fold`, tested equal to the stages one by one),
because that is most of the per-call cost of analyzing a sentence. Each stage has a ``config()``;
:class:`~searchlib.analysis.analyzer.Analyzer` turns its options into a pipeline and records them.
"""
from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Literal

from searchlib.analysis.normalize import (
    Folded,
    compose,
    fold,
    fold_char_table,
    fold_positional,
    fold_texts,
    strip_pinyin,
)
from searchlib.analysis.tokenize import SearchMode, Segmented, Token, merge_by_position, segment, segment_lazily

__all__ = [
    "CharFilter",
    "JiebaTokenizer",
    "LatinFilter",
    "Normalize",
    "Pipeline",
    "Stage",
    "Stem",
    "StripPinyin",
    "T2SChars",
    "Tokenizer",
]

Mode = Literal["index", "query"]
_new = tuple.__new__


class Stage:
    """One step of an analysis pipeline; ``a | b`` composes stages into a :class:`Pipeline`."""

    name = "stage"

    def config(self) -> dict[str, Any]:
        """JSON-serializable options of this stage (its identity inside an analyzer)."""
        return {}

    def __or__(self, other: Stage | Pipeline) -> Pipeline:
        return Pipeline((self,)) | other

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.config() == self.config()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self).__name__, repr(sorted(self.config().items()))))

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.config().items())
        return f"{type(self).__name__}({args})"


# -- char filters ---------------------------------------------------------------------------------
class CharFilter(Stage):
    """Text → text, keeping a map back to the original offsets."""

    def apply(self, folded: Folded) -> Folded:
        """This stage applied to ``folded.text``, mapped back to ``folded.original``."""
        raise NotImplementedError

    def apply_texts(self, texts: list[str]) -> list[str]:
        """The folded text of each of ``texts`` (what indexing needs: no offset maps)."""
        return [self.apply(Folded(t, t, None)).text for t in texts]


class StripPinyin(CharFilter):
    """Removes inline pinyin annotations after Han characters: ``調(diào)研`` → ``調研``."""

    name = "strip_pinyin"

    def apply(self, folded: Folded) -> Folded:
        return strip_pinyin(folded)


class Normalize(CharFilter):
    """Unicode NFKC and case folding (full-width → half-width, ``Straße`` → ``strasse``); lone
    surrogates become U+FFFD."""

    name = "normalize"

    def apply(self, folded: Folded) -> Folded:
        return compose(fold(folded.text, t2s=False, strip_pinyin=False), folded)

    def apply_texts(self, texts: list[str]) -> list[str]:
        return fold_texts(texts, t2s=False, strip_pinyin=False)


class T2SChars(CharFilter):
    """Traditional → Simplified, character by character (the closure of OpenCC's character
    tables, :func:`~searchlib.analysis.normalize.fold_char_table`); one character for one."""

    name = "t2s"

    def apply(self, folded: Folded) -> Folded:
        return Folded(folded.original, folded.text.translate(fold_char_table()), folded.segments)

    def apply_texts(self, texts: list[str]) -> list[str]:
        table = fold_char_table()
        return [t.translate(table) for t in texts]


# -- tokenizer ------------------------------------------------------------------------------------
class Tokenizer(Stage):
    """Folded text → tokens with unit positions (:mod:`searchlib.analysis.tokenize`)."""

    def segment(self, folded: str, mode: Mode = "index") -> Segmented:
        raise NotImplementedError

    def index_batch(self, folded_texts: list[str], latin_filter: LatinFilter | None) -> Any:
        """Index terms of many folded texts at once (:mod:`searchlib.analysis.index_batch`)."""
        raise NotImplementedError


class JiebaTokenizer(Tokenizer):
    """Script runs; Han runs segmented by jieba (through ``rjieba``; index mode = jieba's search
    mode, query mode = its default cut), Latin/digit runs split into words.

    Args:
        hmm: let jieba guess words missing from its dictionary (as ``jieba.lcut`` does).
        user_words: extra dictionary words (already folded).
    """

    name = "jieba"

    def __init__(self, hmm: bool = True, user_words: Iterable[str] = ()) -> None:
        self.hmm = bool(hmm)
        self.user_words = tuple(sorted(set(user_words)))
        self._jieba: Any = None
        self._cut: Callable[[str], list[str]] | None = None
        self._search: SearchMode | None = None
        self._lock = threading.Lock()

    def config(self) -> dict[str, Any]:
        return {"hmm": self.hmm, "user_words": list(self.user_words)}

    def _load(self) -> None:
        with self._lock:
            if self._jieba is not None:
                return
            import rjieba

            if self.user_words:
                jieba = rjieba.Jieba()
                for word in self.user_words:
                    jieba.add_word(word, None, None)
            else:
                jieba = rjieba._DEFAULT_JIEBA
            self._cut = functools.partial(jieba.cut, hmm=self.hmm)
            self._search = SearchMode(jieba.has_word)
            self._jieba = jieba

    @property
    def jieba(self) -> Any:
        """The ``rjieba.Jieba`` instance (loaded on first use)."""
        if self._jieba is None:
            self._load()
        return self._jieba

    def cut(self, text: str) -> list[str]:
        """jieba's default cut of ``text`` (words that tile it)."""
        return self.cut_function()(text)

    def cut_function(self) -> Callable[[str], list[str]]:
        """jieba's default cut as a function of the text (loads the dictionary)."""
        if self._cut is None:
            self._load()
        return self._cut  # type: ignore[return-value]

    @property
    def search_mode(self) -> SearchMode:
        if self._search is None:
            self._load()
        return self._search  # type: ignore[return-value]

    def segment(self, folded: str, mode: Mode = "index") -> Segmented:
        if self._cut is None:
            self._load()
        return segment(folded, self._cut, self._search if mode == "index" else None)  # type: ignore[arg-type]

    def index_batch(self, folded_texts: list[str], latin_filter: LatinFilter | None) -> Any:
        from searchlib.analysis.index_batch import segment_batch_for_index

        if self._cut is None:
            self._load()
        return segment_batch_for_index(folded_texts, self._search, self._cut, latin_filter)  # type: ignore[arg-type]


# -- Latin filters --------------------------------------------------------------------------------
class LatinFilter(Stage):
    """Latin words → index terms. ``groups[i]`` says which stretch of Latin text (between two Han
    runs of one text) word ``i`` belongs to, for filters that decide per stretch (a language).

    :meth:`apply` returns the terms and, for each term, the index of the word it came from (a
    word may give no term, one, or several at its position)."""

    def apply(self, words: Sequence[str], groups: Sequence[int], mode: Mode = "index") -> tuple[list[str], list[int]]:
        raise NotImplementedError

    def word_terms(self, word: str) -> tuple[str, ...]:
        """Every term ``word`` may be indexed as, whatever its stretch (what highlighting matches)."""
        terms, _ = self.apply([word], [0], "index")
        return tuple(dict.fromkeys(terms))


class Stem(LatinFilter):
    """Snowball stemming of every Latin word in one language (PyStemmer); words with digits or
    inner punctuation stay as they are."""

    name = "stem"
    LANGUAGES = ("english", "indonesian")

    def __init__(self, language: str) -> None:
        if language not in self.LANGUAGES:
            raise ValueError(f"unknown stemmer {language!r}; choose one of {', '.join(self.LANGUAGES)} or None")
        self.language = language
        self._fn: Callable[[str], str] | None = None

    def config(self) -> dict[str, Any]:
        return {"language": self.language}

    def function(self) -> Callable[[str], str]:
        """The stemming function (cached per word)."""
        if self._fn is None:
            from searchlib.analysis.stemming import stem_function

            self._fn = stem_function(self.language)
        return self._fn

    def apply(self, words: Sequence[str], groups: Sequence[int], mode: Mode = "index") -> tuple[list[str], list[int]]:
        return list(map(self.function(), words)), list(range(len(words)))


# -- the pipeline ---------------------------------------------------------------------------------
class Pipeline:
    """Char filters, one tokenizer, Latin filters: ``a | b | c``. Incomplete pipelines (no
    tokenizer yet) can be composed further; :meth:`analyze` needs a tokenizer."""

    def __init__(self, stages: Iterable[Stage]) -> None:
        self.stages: tuple[Stage, ...] = tuple(stages)
        chars: list[CharFilter] = []
        tokenizer: Tokenizer | None = None
        latin: list[LatinFilter] = []
        for st in self.stages:
            if isinstance(st, CharFilter):
                if tokenizer is not None:
                    raise ValueError(f"{st!r}: character filters come before the tokenizer")
                chars.append(st)
            elif isinstance(st, Tokenizer):
                if tokenizer is not None:
                    raise ValueError(f"{st!r}: a pipeline has one tokenizer")
                tokenizer = st
            elif isinstance(st, LatinFilter):
                if tokenizer is None:
                    raise ValueError(f"{st!r}: Latin filters come after the tokenizer")
                latin.append(st)
            else:
                raise TypeError(f"not an analysis stage: {st!r}")
        self.char_filters = tuple(chars)
        self.tokenizer = tokenizer
        self.latin_filters = tuple(latin)
        self._fused, self._rest = _fuse(self.char_filters)
        self._compiled: dict[str, Callable[[str], list[Token]]] = {}

    def __or__(self, other: Stage | Pipeline) -> Pipeline:
        more = other.stages if isinstance(other, Pipeline) else (other,)
        return Pipeline(self.stages + tuple(more))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Pipeline) and self.stages == other.stages

    def __hash__(self) -> int:
        return hash(self.stages)

    def __repr__(self) -> str:
        return " | ".join(map(repr, self.stages))

    # -- running ------------------------------------------------------------------------------------
    def fold(self, text: str) -> Folded:
        """The char filters applied to ``text``, with the map back to it."""
        fused = self._fused
        if fused is not None:
            folded = fold(text, t2s=fused[0], strip_pinyin=fused[1])
        else:
            if type(text) is not str:
                fold(text)  # the same TypeError as the fused path
            folded = Folded(text, text, None)
        for st in self._rest:
            folded = st.apply(folded)
        return folded

    def fold_texts(self, texts: list[str]) -> list[str]:
        """The folded text of each of ``texts`` (no offset maps)."""
        fused = self._fused
        out = fold_texts(texts, t2s=fused[0], strip_pinyin=fused[1]) if fused is not None else list(texts)
        for st in self._rest:
            out = st.apply_texts(out)
        return out

    def _need_tokenizer(self) -> Tokenizer:
        if self.tokenizer is None:
            raise ValueError(f"this pipeline has no tokenizer: {self!r}")
        return self.tokenizer

    def analyze(self, text: str, mode: Mode = "index") -> list[Token]:
        """Tokens of ``text`` with offsets into ``text`` itself and unit positions."""
        fn = self._compiled.get(mode)
        if fn is None:
            fn = self.compiled(mode)
        return fn(text)

    def compiled(self, mode: Mode) -> Callable[[str], list[Token]]:
        """:meth:`analyze` for one mode as one function with everything it needs bound (built
        once): most of the cost of analyzing a sentence is per call, not per character."""
        fn = self._compiled.get(mode)
        if fn is not None:
            return fn
        if mode not in ("index", "query"):
            raise ValueError(f"mode must be 'index' or 'query', got {mode!r}")
        tokenizer = self._need_tokenizer()
        fused, rest = self._fused, self._rest
        filter_latin = self.filter_latin if self.latin_filters else None
        if fused is not None and isinstance(tokenizer, JiebaTokenizer):
            # the usual pipeline: everything inlined
            t2s, strip = fused
            if mode == "index":
                cut, search, segment_ = tokenizer.cut_function(), tokenizer.search_mode, segment
            else:
                # a query may have no Han text at all: load jieba's dictionary (~0.1 s) when one does
                def cut(text: str) -> list[str]:
                    nonlocal cut
                    cut = tokenizer.cut_function()
                    return cut(text)

                search, segment_ = None, segment_lazily
            after = tuple(getattr(st, "apply_function", lambda st=st: st.apply)() for st in rest)
            apply_one = after[0] if len(after) == 1 else None

            def analyze(text: str) -> list[Token]:
                folded = fold_positional(text, t2s, strip)
                if apply_one is not None:
                    folded = apply_one(folded)
                else:
                    for apply in after:
                        folded = apply(folded)
                han, latin, groups, _ = segment_(folded[1], cut, search)
                if latin:
                    if filter_latin is not None:
                        latin = filter_latin(latin, groups, mode)
                    han = merge_by_position(han, latin) if han else latin
                if folded[2] is None:
                    return han
                span = folded.span
                return [_new(Token, (t, *span(s, e), p)) for t, s, e, p in han]
        else:
            fold_ = self.fold

            def analyze(text: str) -> list[Token]:
                folded = fold_(text)
                han, latin, groups, _ = tokenizer.segment(folded[1], mode)
                if latin:
                    if filter_latin is not None:
                        latin = filter_latin(latin, groups, mode)
                    han = merge_by_position(han, latin) if han else latin
                if folded[2] is None:
                    return han
                span = folded.span
                return [_new(Token, (t, *span(s, e), p)) for t, s, e, p in han]

        self._compiled[mode] = analyze
        return analyze

    def filter_latin(self, latin: list[Token], groups: list[int], mode: Mode) -> list[Token]:
        """The Latin filters applied to the Latin tokens of one text (``groups``: the stretch of
        Latin text each belongs to, see :class:`~searchlib.analysis.tokenize.Segmented`)."""
        words = [t[0] for t in latin]
        if len(self.latin_filters) == 1:
            out, src = self.latin_filters[0].apply(words, groups, mode)
            if out == words:  # nothing stemmed (digits, words that are their own stems)
                return latin
        else:
            out, src = words, list(range(len(latin)))
            for f in self.latin_filters:
                out, picked = f.apply(out, groups, mode)
                src = [src[i] for i in picked]
                groups = [groups[i] for i in picked]
        return [_new(Token, (w, *latin[i][1:])) for w, i in zip(out, src)]

    def index_batch(self, texts: list[str]) -> Any:
        """Index terms of many texts at once (:class:`~searchlib.analysis.index_batch.IndexBatch`)."""
        return self._need_tokenizer().index_batch(self.fold_texts(texts), _Chain(self.latin_filters) if self.latin_filters else None)


class _Chain:
    """Several Latin filters as one (for the batch path)."""

    def __init__(self, filters: Sequence[LatinFilter]) -> None:
        self.filters = filters

    def apply(self, words: Sequence[str], groups: Sequence[int]) -> tuple[list[str], list[int]]:
        src = list(range(len(words)))
        out = list(words)
        grp = list(groups)
        for f in self.filters:
            out, picked = f.apply(out, grp, "index")
            src = [src[i] for i in picked]
            grp = [grp[i] for i in picked]
        return out, src


def _fuse(chars: Sequence[CharFilter]) -> tuple[tuple[bool, bool] | None, tuple[CharFilter, ...]]:
    """``((t2s, strip_pinyin), rest)`` when the filters start with ``[StripPinyin] Normalize
    [T2SChars]`` (run as one :func:`~searchlib.analysis.normalize.fold`), else ``(None, all)``."""
    i = 0
    strip = t2s = False
    if i < len(chars) and type(chars[i]) is StripPinyin:
        strip, i = True, i + 1
    if i < len(chars) and type(chars[i]) is Normalize:
        i += 1
    else:
        return None, tuple(chars)
    if i < len(chars) and type(chars[i]) is T2SChars:
        t2s, i = True, i + 1
    return (t2s, strip), tuple(chars[i:])
