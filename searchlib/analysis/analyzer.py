"""The analyzer: a named, versioned pipeline of stages built from a few options.

An :class:`Analyzer` turns its options into a :class:`~searchlib.analysis.stages.Pipeline`::

    StripPinyin() | Normalize() | T2SChars() | T2SPhrases() | JiebaTokenizer(hmm, user_words) | StemByLanguage()

and records them in :meth:`Analyzer.config`. Anything that stores analyzer output (the index)
records that config and refuses to mix output of a different one. Configs are versioned: an index
built by an older searchlib records a version-1 config, which :meth:`Analyzer.from_config` still
rebuilds with exactly its old behaviour (features added since are off when their keys are absent);
an analyzer using a newer feature records version 2, which an older searchlib refuses with a clear
error instead of analyzing differently.

Two modes:

* ``"index"`` (default): jieba's search mode, so long words also yield their dictionary sub-words
  (``工程机械`` → ``工程``, ``机械``, ``工程机械``) and ``机械`` finds ``工程机械``;
* ``"query"``: jieba's default cut, one reading of the query text.

Positions follow the unit design documented in :mod:`searchlib.analysis.tokenize`.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Literal, NamedTuple

from searchlib.analysis.normalize import Folded, fold
from searchlib.analysis.stages import (
    JiebaTokenizer,
    LatinFilter,
    Normalize,
    Pipeline,
    Stage,
    Stem,
    StripPinyin,
    T2SChars,
)
from searchlib.analysis.tokenize import Token

__all__ = ["Analyzer", "IndexTerms", "Token", "analyze", "default_analyzer"]

Mode = Literal["index", "query"]
_STEMMERS = (*Stem.LANGUAGES, "auto")
_LEGACY_KEYS = ("name", "version", "t2s", "strip_pinyin", "hmm", "stemmer", "user_words")
# Options added in config version 2; a version-1 config (no such key) means each one is off.
_V2_KEYS = ("t2s_phrases",)
_DEFAULT = object()


class IndexTerms(NamedTuple):
    """Index terms of one field value (see :mod:`searchlib.analysis.index_batch`)."""

    terms: list[str]
    positions: list[int]
    length: int


class Analyzer:
    """Chinese-aware analyzer for mixed Simplified/Traditional Chinese, English and Indonesian.

    Args:
        user_words: extra dictionary words for jieba (folded like any text, so a Traditional
            spelling works too).
        stemmer: Snowball stemming of Latin-script words (PyStemmer): ``"auto"`` (default) stems by
            language, English and Indonesian (:mod:`searchlib.analysis.stemming`: the index holds
            both stems of a word, a query uses the stem of its detected language); ``"english"``
            or ``"indonesian"`` stem every Latin word in that language; ``None``: no stemming.
        t2s: fold Traditional to Simplified characters.
        t2s_phrases: also fold OpenCC's phrases (:mod:`searchlib.analysis.phrases`: ``瞭解`` →
            ``了解``, Taiwan's ``著`` → ``着``); ``True`` (the default with ``t2s``) picks the
            current table, an int a table version, ``False`` turns it off.
        strip_pinyin: remove inline pinyin annotations such as ``調(diào)``.
        hmm: let jieba guess words missing from its dictionary (its HMM), as ``jieba.lcut`` does.
    """

    name = "searchlib-cjk"
    version = 2  # the newest config version this searchlib writes (see config())
    SUPPORTED_VERSIONS = (1, 2)

    def __init__(
        self,
        *,
        user_words: Iterable[str] = (),
        stemmer: str | None = "auto",
        t2s: bool = True,
        strip_pinyin: bool = True,
        hmm: bool = True,
        t2s_phrases: bool | int | None = _DEFAULT,  # type: ignore[assignment]
    ) -> None:
        from searchlib.analysis.phrases import PHRASE_TABLE_VERSION

        if stemmer is not None and stemmer not in _STEMMERS:
            raise ValueError(f"unknown stemmer {stemmer!r}; choose one of {', '.join(_STEMMERS)} or None")
        if t2s_phrases is _DEFAULT:
            t2s_phrases = bool(t2s)
        if t2s_phrases is True:
            t2s_phrases = PHRASE_TABLE_VERSION
        elif t2s_phrases is False:
            t2s_phrases = None
        if t2s_phrases is not None:
            if not isinstance(t2s_phrases, int) or t2s_phrases != PHRASE_TABLE_VERSION:
                raise ValueError(f"t2s_phrases: table {t2s_phrases!r} is not in this searchlib (it has {PHRASE_TABLE_VERSION}); "
                                 "rebuild the index or upgrade searchlib")
            if not t2s:
                raise ValueError("t2s_phrases needs t2s=True (the phrase table is written in folded characters)")
        self.t2s_phrases: int | None = t2s_phrases
        self.t2s = bool(t2s)
        self.strip_pinyin = bool(strip_pinyin)
        self.hmm = bool(hmm)
        self.stemmer = stemmer
        words = []
        for w in user_words:
            if not isinstance(w, str) or not w.strip():
                raise ValueError(f"user word must be a non-empty string, got {w!r}")
            words.append(fold(w.strip(), t2s=self.t2s, strip_pinyin=self.strip_pinyin).text)
        self.user_words: tuple[str, ...] = tuple(sorted(set(words)))
        self.pipeline = Pipeline(self._stages())
        self._tokenizer: JiebaTokenizer = self.pipeline.tokenizer  # type: ignore[assignment]
        self._config = self._make_config()
        self._analyzers: dict[str, Callable[[str], list[Token]]] = {}

    def _stages(self) -> list[Stage]:
        stages: list[Stage] = []
        if self.strip_pinyin:
            stages.append(StripPinyin())
        stages.append(Normalize())
        if self.t2s:
            stages.append(T2SChars())
        if self.t2s_phrases is not None:
            from searchlib.analysis.phrases import T2SPhrases

            stages.append(T2SPhrases(self.t2s_phrases))
        stages.append(JiebaTokenizer(hmm=self.hmm, user_words=self.user_words))
        if self.stemmer == "auto":
            from searchlib.analysis.stemming import StemByLanguage

            stages.append(StemByLanguage())
        elif self.stemmer is not None:
            stages.append(Stem(self.stemmer))
        return stages

    # -- identity -------------------------------------------------------------------------------
    def _make_config(self) -> dict[str, Any]:
        config: dict[str, Any] = {
            "name": self.name,
            "version": 1,
            "t2s": self.t2s,
            "strip_pinyin": self.strip_pinyin,
            "hmm": self.hmm,
            "stemmer": self.stemmer,
            "user_words": list(self.user_words),
        }
        if self.t2s_phrases is not None:
            config["t2s_phrases"] = self.t2s_phrases
        if any(k in config for k in _V2_KEYS) or self.stemmer == "auto":
            config["version"] = 2
        return config

    def config(self) -> dict[str, Any]:
        """JSON-serializable identity: name, version and every option that changes the output.

        An analyzer that uses no option added since version 1 records exactly the version-1
        config (so indexes of older searchlib releases compare equal); any newer option makes it
        version 2, which older releases refuse instead of analyzing differently."""
        return {k: (list(v) if isinstance(v, list) else v) for k, v in self._config.items()}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Analyzer:
        """Rebuild an analyzer from :meth:`config` output; refuses other names, versions or keys."""
        if not isinstance(config, dict):
            raise ValueError(f"an analyzer config is a JSON object, got {type(config).__name__}")
        version = config.get("version")
        if config.get("name") != cls.name or version not in cls.SUPPORTED_VERSIONS:
            raise ValueError(
                f"analyzer {config.get('name')!r} version {version!r} is not supported "
                f"by this searchlib ({cls.name!r} versions {', '.join(map(str, cls.SUPPORTED_VERSIONS))}); "
                "upgrade searchlib or rebuild the index"
            )
        known = set(_LEGACY_KEYS) | (set(_V2_KEYS) if version >= 2 else set())
        unknown = sorted(set(config) - known)
        if unknown:
            raise ValueError(f"analyzer config (version {version}) has options this searchlib does not know: "
                             f"{', '.join(unknown)}; upgrade searchlib or rebuild the index")
        if version == 1 and config.get("stemmer") == "auto":
            raise ValueError("analyzer config version 1 has no stemmer 'auto'")
        return cls(
            user_words=config.get("user_words", ()),
            stemmer=config.get("stemmer"),
            t2s=config.get("t2s", True),
            strip_pinyin=config.get("strip_pinyin", True),
            hmm=config.get("hmm", True),
            t2s_phrases=config.get("t2s_phrases"),  # absent: off (the version-1 behaviour)
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Analyzer) and self._config == other._config

    def __hash__(self) -> int:
        return hash(repr(sorted(self._config.items())))

    def __repr__(self) -> str:
        opts = {k: v for k, v in self._config.items() if k not in ("name", "version")}
        return f"Analyzer({self.name} v{self._config['version']}, {opts})"

    def __reduce__(self) -> tuple[Any, ...]:
        # Worker processes rebuild the analyzer from its config (jieba's state is not picklable).
        return (Analyzer.from_config, (self.config(),))

    # -- public ---------------------------------------------------------------------------------
    @property
    def latin_filter(self) -> LatinFilter | None:
        """The filter Latin words go through (stemming), or ``None``."""
        filters = self.pipeline.latin_filters
        return filters[0] if filters else None

    def stemmer_function(self) -> Callable[[str], str] | None:
        """The function this analyzer stems Latin words with, or ``None`` without stemming."""
        f = self.latin_filter
        return f.function() if isinstance(f, Stem) else None

    def word_terms(self, word: str) -> tuple[str, ...]:
        """The terms a folded Latin ``word`` may be indexed as (what highlighting compares with
        the query's terms): the word itself without stemming."""
        f = self.latin_filter
        return f.word_terms(word) if f is not None else (word,)

    def fold(self, text: str) -> Folded:
        """Fold ``text`` the way this analyzer does (see :mod:`searchlib.analysis.normalize`)."""
        return self.pipeline.fold(text)

    def fold_texts(self, texts: list[str]) -> list[str]:
        """``fold(t).text`` of every text, faster (no offset maps)."""
        return self.pipeline.fold_texts(texts)

    def analyze(self, text: str, mode: Mode = "index") -> list[Token]:
        """Tokens of ``text`` with offsets into ``text`` itself and unit positions."""
        fn = self._analyzers.get(mode)
        if fn is None:
            fn = self._analyzers[mode] = self.pipeline.compiled(mode)  # ValueError for a bad mode
        return fn(text)

    def index_terms(self, text: str) -> IndexTerms:
        """Terms and positions to index for ``text``: words of two or more Han characters
        (with search-mode sub-words), every Han character as a unigram, and Latin words."""
        b = self.index_batch([text])
        return IndexTerms(list(map(b.terms().__getitem__, b.ids.tolist())), b.positions.tolist(), int(b.lengths[0]))

    def index_batch(self, texts: list[str]) -> Any:
        """:meth:`index_terms` of many texts at once, as flat arrays
        (:class:`~searchlib.analysis.index_batch.IndexBatch`; what the index writer uses: numpy
        does the per-character work and jieba is called once for the batch)."""
        return self.pipeline.index_batch(texts)


_SHARED: Analyzer | None = None


def default_analyzer() -> Analyzer:
    """The shared analyzer with default options."""
    global _SHARED
    if _SHARED is None:
        _SHARED = Analyzer()
    return _SHARED


_COMPILED: dict[str, Callable[[str], list[Token]]] = {}


def analyze(text: str, mode: Mode = "index") -> list[Token]:
    """Analyze ``text`` with the default analyzer: ``[Token(text, start, end, position), ...]``."""
    fn = _COMPILED.get(mode)
    if fn is None:
        fn = _COMPILED[mode] = default_analyzer().pipeline.compiled(mode)  # ValueError for a bad mode
    return fn(text)
