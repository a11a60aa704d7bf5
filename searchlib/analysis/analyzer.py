"""The analyzer: folding + segmentation composed into one named, versioned, configurable object.

Anything that stores analyzer output (the index) records :meth:`Analyzer.config` and refuses to
mix output of a different configuration. Two modes:

* ``"index"`` (default): jieba's search mode, so long words also yield their dictionary sub-words
  (``工程机械`` → ``工程``, ``机械``, ``工程机械``) and ``机械`` finds ``工程机械``;
* ``"query"``: jieba's default cut, one reading of the query text.

Positions follow the unit design documented in :mod:`searchlib.analysis.tokenize`.
"""
from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable
from typing import Any, Literal, NamedTuple

from searchlib.analysis.normalize import Folded, fold, fold_texts
from searchlib.analysis.tokenize import IndexBatch, SearchCut, Token, segment, segment_batch_for_index

__all__ = ["Analyzer", "IndexBatch", "IndexTerms", "Token", "analyze", "default_analyzer"]

Mode = Literal["index", "query"]
_STEMMERS = ("english", "indonesian")


class IndexTerms(NamedTuple):
    """Index terms of one field value (see :func:`~searchlib.analysis.tokenize.segment_batch_for_index`)."""

    terms: list[str]
    positions: list[int]
    length: int


class Analyzer:
    """Chinese-aware analyzer for mixed Simplified/Traditional Chinese, English and Indonesian.

    Args:
        user_words: extra dictionary words for jieba (folded like any text, so a Traditional
            spelling works too).
        stemmer: ``None`` (default), ``"english"`` or ``"indonesian"``: Snowball stemming of
            Latin-script words via PyStemmer.
        t2s: fold Traditional to Simplified characters.
        strip_pinyin: remove inline pinyin annotations such as ``調(diào)``.
        hmm: let jieba guess words missing from its dictionary (its HMM), as ``jieba.lcut`` does.
    """

    name = "searchlib-cjk"
    version = 1

    def __init__(
        self,
        *,
        user_words: Iterable[str] = (),
        stemmer: str | None = None,
        t2s: bool = True,
        strip_pinyin: bool = True,
        hmm: bool = True,
    ) -> None:
        if stemmer is not None and stemmer not in _STEMMERS:
            raise ValueError(f"unknown stemmer {stemmer!r}; choose one of {', '.join(_STEMMERS)} or None")
        self.t2s = t2s
        self.strip_pinyin = strip_pinyin
        self.hmm = hmm
        self.stemmer = stemmer
        words = []
        for w in user_words:
            if not isinstance(w, str) or not w.strip():
                raise ValueError(f"user word must be a non-empty string, got {w!r}")
            words.append(fold(w.strip(), t2s=t2s, strip_pinyin=strip_pinyin).text)
        self.user_words: tuple[str, ...] = tuple(sorted(set(words)))
        self._jieba: Any = None
        self._stem_cache: dict[str, str] = {}
        self._stemmer_obj: Any = None
        self._lock = threading.Lock()
        self._cutters: dict[str, Any] = {}
        self._search_cut: SearchCut | None = None
        self._stem_fn: Any = None
        self._stem()

    # -- identity -------------------------------------------------------------------------------
    def config(self) -> dict[str, Any]:
        """JSON-serializable identity: name, version and every option that changes the output."""
        return {
            "name": self.name,
            "version": self.version,
            "t2s": self.t2s,
            "strip_pinyin": self.strip_pinyin,
            "hmm": self.hmm,
            "stemmer": self.stemmer,
            "user_words": list(self.user_words),
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Analyzer:
        """Rebuild an analyzer from :meth:`config` output; refuses other names or versions."""
        if config.get("name") != cls.name or config.get("version") != cls.version:
            raise ValueError(
                f"analyzer {config.get('name')!r} version {config.get('version')!r} is not supported "
                f"by this searchlib ({cls.name!r} version {cls.version})"
            )
        return cls(
            user_words=config.get("user_words", ()),
            stemmer=config.get("stemmer"),
            t2s=config.get("t2s", True),
            strip_pinyin=config.get("strip_pinyin", True),
            hmm=config.get("hmm", True),
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Analyzer) and self.config() == other.config()

    def __hash__(self) -> int:
        return hash(repr(sorted(self.config().items())))

    def __repr__(self) -> str:
        opts = {k: v for k, v in self.config().items() if k not in ("name", "version")}
        return f"Analyzer({self.name} v{self.version}, {opts})"

    def __reduce__(self) -> tuple[Any, ...]:
        # Worker processes rebuild the analyzer from its config (jieba's state is not picklable).
        return (Analyzer.from_config, (self.config(),))

    # -- machinery ------------------------------------------------------------------------------
    def _segmenter(self) -> Any:
        if self._jieba is None:
            with self._lock:
                if self._jieba is None:
                    import rjieba

                    if self.user_words:
                        jieba = rjieba.Jieba()
                        for word in self.user_words:
                            jieba.add_word(word, None, None)
                    else:
                        jieba = rjieba._DEFAULT_JIEBA
                    self._jieba = jieba
        return self._jieba

    def _stem(self) -> Any:
        if self._stem_fn is not None or self.stemmer is None:
            return self._stem_fn
        import Stemmer

        if self._stemmer_obj is None:
            self._stemmer_obj = Stemmer.Stemmer(self.stemmer)
        first, cache, name = self._stemmer_obj, self._stem_cache, self.stemmer
        # A PyStemmer object "must not be called concurrently": one per thread (the cache is a
        # plain dict of finished results, safe to share).
        local = threading.local()
        owner = threading.get_ident()

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
                        stemmer = local.stemmer = Stemmer.Stemmer(name)
                    out = stemmer.stemWord(word)
                if len(cache) < 100_000:
                    cache[word] = out
            return out

        self._stem_fn = stem
        return stem

    def _cutter(self, mode: Mode) -> Any:
        cutter = self._cutters.get(mode)
        if cutter is None:
            cutter = functools.partial(self._segmenter().tokenize, mode="search" if mode == "index" else "default", hmm=self.hmm)
            self._cutters[mode] = cutter
        return cutter

    # -- public ---------------------------------------------------------------------------------
    def stemmer_function(self) -> Callable[[str], str] | None:
        """The function this analyzer stems Latin words with, or ``None`` without stemming."""
        return self._stem()

    def fold(self, text: str) -> Folded:
        """Fold ``text`` the way this analyzer does (see :mod:`searchlib.analysis.normalize`)."""
        return fold(text, t2s=self.t2s, strip_pinyin=self.strip_pinyin)

    def analyze(self, text: str, mode: Mode = "index") -> list[Token]:
        """Tokens of ``text`` with offsets into ``text`` itself and unit positions."""
        if mode not in ("index", "query"):
            raise ValueError(f"mode must be 'index' or 'query', got {mode!r}")
        folded = fold(text, t2s=self.t2s, strip_pinyin=self.strip_pinyin)
        tokens = segment(folded[1], self._cutters.get(mode) or self._cutter(mode), self._stem_fn, sort=mode == "index")[0]
        if folded.segments is None:
            return tokens
        span, new = folded.span, tuple.__new__
        return [new(Token, (t, *span(s, e), p)) for t, s, e, p in tokens]

    def index_terms(self, text: str) -> IndexTerms:
        """Terms and positions to index for ``text``: words of two or more Han characters
        (with search-mode sub-words), every Han character as a unigram, and Latin words."""
        b = self.index_batch([text])
        return IndexTerms(list(map(b.terms().__getitem__, b.ids.tolist())), b.positions.tolist(), int(b.lengths[0]))

    def index_batch(self, texts: list[str]) -> IndexBatch:
        """:meth:`index_terms` of many texts at once, as flat arrays (what the index writer uses:
        numpy does the per-character work and jieba is called once for the batch)."""
        t2s, strip = self.t2s, self.strip_pinyin
        folded = fold_texts(texts, t2s=t2s, strip_pinyin=strip)
        search = self._search_cut
        if search is None:
            jieba, hmm = self._segmenter(), self.hmm
            search = self._search_cut = SearchCut(lambda text: jieba.cut(text, hmm), jieba.has_word)
        return segment_batch_for_index(folded, search, self._stem())


_DEFAULT: Analyzer | None = None


def default_analyzer() -> Analyzer:
    """The shared analyzer with default options."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Analyzer()
    return _DEFAULT


def analyze(text: str, mode: Mode = "index") -> list[Token]:
    """Analyze ``text`` with the default analyzer: ``[Token(text, start, end, position), ...]``."""
    return default_analyzer().analyze(text, mode)
