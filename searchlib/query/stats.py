"""Statistics providers: where a query's global BM25 statistics come from.

Scoring needs, for every leaf of a query, numbers about the WHOLE collection: the number of live
documents ``N``, the leaf's document frequency, the average length of each field, and (for
prefixes and other expansions) which index terms the leaf stands for. A :class:`Statistics`
object answers those questions during compilation (tantivy's ``Bm25StatisticsProvider``):

* :class:`ReaderStatistics` computes them from one reader snapshot, caching answers per snapshot
  in bounded LRU caches (the default);
* :class:`FixedStatistics` answers from numbers gathered elsewhere -- e.g. summed over the shards
  of a distributed index -- so that every shard scores with the same global statistics;
* :class:`RecordingStatistics` wraps another provider and records every answer, which is how a
  shard reports its local statistics for a query.

Questions are keyed by plain hashable tuples (``("term", "长沙", ("title", "body"))``); a provider
that does not know the answer calls ``compute()``, which the asking leaf supplies (it computes
from the postings it loads anyway, so nothing is read twice).
"""
from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from typing import Any, Generic, Protocol, TypeVar

__all__ = [
    "FixedStatistics", "LRUCache", "ReaderStatistics", "RecordingStatistics", "Statistics",
    "reader_cache", "statistics_for",
]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Statistics(Protocol):
    """What a query's compilation asks about the collection."""

    def n_docs(self) -> int:
        """Live documents in the collection."""

    def total_length(self, field: str) -> int:
        """Sum of ``field``'s length (units) over live documents."""

    def doc_freq(self, key: tuple[Any, ...], compute: Callable[[], int]) -> int:
        """Live documents matching the leaf described by ``key``."""

    def expansions(self, key: tuple[Any, ...], compute: Callable[[], list[tuple[str, int]]]) -> list[tuple[str, int]]:
        """``[(term, weight), ...]`` an expanding leaf (prefix, fuzzy, pinyin) stands for."""


class LRUCache(Generic[K, V]):
    """A small thread-safe LRU map bounded by entries and by a caller-supplied size of values."""

    def __init__(self, max_entries: int, max_size: int | None = None, sizeof: Callable[[Any], int] | None = None) -> None:
        self.max_entries = max_entries
        self.max_size = max_size
        self.sizeof = sizeof
        self.size = 0
        self._data: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        # no lock: each OrderedDict call is atomic under the GIL, and the entry may only have
        # been evicted in between (then it is simply not moved); put() keeps the size consistent
        value = self._data.get(key)
        if value is not None:
            try:
                self._data.move_to_end(key)
            except KeyError:
                pass
        return value

    def put(self, key: K, value: V) -> None:
        with self._lock:
            old = self._data.pop(key, None)
            if old is not None and self.sizeof is not None:
                self.size -= self.sizeof(old)
            self._data[key] = value
            if self.sizeof is not None:
                self.size += self.sizeof(value)
            while self._data and (len(self._data) > self.max_entries
                                  or (self.max_size is not None and self.size > self.max_size and len(self._data) > 1)):
                _, dropped = self._data.popitem(last=False)
                if self.sizeof is not None:
                    self.size -= self.sizeof(dropped)

    def __len__(self) -> int:
        return len(self._data)


# Per reader snapshot: answers and length-normalization arrays. Bounded: a long-lived reader
# serving many distinct queries keeps at most this much (measured: a People's Daily snapshot's
# norms are 156 KB per field and segment; 1M documents in 5 segments, 1.6 MB each).
DF_CACHE_ENTRIES = 20_000
NORM_CACHE_ENTRIES = 64
NORM_CACHE_BYTES = 256 << 20


class ReaderCache:
    """Caches attached to one reader snapshot (statistics answers and per-segment arrays)."""

    def __init__(self) -> None:
        self.answers: LRUCache[tuple[Any, ...], Any] = LRUCache(DF_CACHE_ENTRIES)
        self.arrays: LRUCache[tuple[Any, ...], Any] = LRUCache(NORM_CACHE_ENTRIES, NORM_CACHE_BYTES,
                                                             lambda a: int(getattr(a, "nbytes", 0)))
        self.lengths: dict[str, int] = {}
        self.memo: dict[str, Any] = {}  # what a query derives from the snapshot alone (its fields, kinds, settings)


_CACHES: weakref.WeakKeyDictionary[Any, ReaderCache] = weakref.WeakKeyDictionary()
_CACHES_LOCK = threading.Lock()


_LAST: tuple[Any, ReaderCache] | None = None  # (weak reference to a reader, its cache): the last one asked


def _forget(ref: Any) -> None:
    """The last reader asked was freed: drop its cache now (not when another reader is asked)."""
    global _LAST
    last = _LAST
    if last is not None and last[0] is ref:
        _LAST = None


def reader_cache(reader: Any) -> ReaderCache:
    """The cache of ``reader`` (created on first use; dropped with the reader)."""
    global _LAST
    last = _LAST  # one read: another thread may replace it meanwhile
    if last is not None and last[0]() is reader:  # the usual case: queries in a row on one snapshot
        return last[1]
    try:
        cache = _CACHES.get(reader)
        if cache is None:
            with _CACHES_LOCK:
                cache = _CACHES.get(reader)
                if cache is None:
                    cache = _CACHES[reader] = ReaderCache()
        _LAST = (weakref.ref(reader, _forget), cache)
        return cache
    except TypeError:  # a reader that cannot be weakly referenced: no caching across queries
        return ReaderCache()


class ReaderStatistics:
    """Statistics of one reader snapshot, computed on demand and cached for the snapshot's life."""

    def __init__(self, reader: Any, cache: ReaderCache | None = None) -> None:
        self.reader = reader
        self.cache = cache if cache is not None else reader_cache(reader)

    def n_docs(self) -> int:
        return int(self.reader.doc_count)

    def total_length(self, field: str) -> int:
        total = self.cache.lengths.get(field)
        if total is None:
            total = self.cache.lengths[field] = int(self.reader.stats(field).total_length)
        return total

    def _answer(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        value = self.cache.answers.get(key)
        if value is None:
            value = compute()
            self.cache.answers.put(key, value)
        return value

    # both answered from the snapshot's cache (one method: every query term asks)
    doc_freq = _answer
    expansions = _answer


class FixedStatistics:
    """Statistics given from outside (e.g. summed over shards). Questions it has no answer for
    are computed locally and listed in :attr:`missing`, so a caller can tell that the local
    answer was used."""

    def __init__(self, n_docs: int, total_lengths: Mapping[str, int], answers: Mapping[tuple[Any, ...], Any]) -> None:
        self._n = int(n_docs)
        self._lengths = dict(total_lengths)
        self._answers = dict(answers)
        self.missing: list[tuple[Any, ...]] = []

    def n_docs(self) -> int:
        return self._n

    def total_length(self, field: str) -> int:
        return int(self._lengths.get(field, 0))

    def doc_freq(self, key: tuple[Any, ...], compute: Callable[[], int]) -> int:
        return self._answer(key, compute)

    def expansions(self, key: tuple[Any, ...], compute: Callable[[], list[tuple[str, int]]]) -> list[tuple[str, int]]:
        return self._answer(key, compute)

    def _answer(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        if key in self._answers:
            return self._answers[key]
        self.missing.append(key)
        value = self._answers[key] = compute()
        return value


class RecordingStatistics:
    """Answers from ``inner`` and remembers every question and answer (:attr:`answers`)."""

    def __init__(self, inner: Statistics, fields: tuple[str, ...] = ()) -> None:
        self.inner = inner
        self.answers: dict[tuple[Any, ...], Any] = {}
        self.lengths: dict[str, int] = {f: inner.total_length(f) for f in fields}

    def n_docs(self) -> int:
        return self.inner.n_docs()

    def total_length(self, field: str) -> int:
        value = self.lengths[field] = self.inner.total_length(field)
        return value

    def doc_freq(self, key: tuple[Any, ...], compute: Callable[[], int]) -> int:
        value = self.answers[key] = self.inner.doc_freq(key, compute)
        return value

    def expansions(self, key: tuple[Any, ...], compute: Callable[[], list[tuple[str, int]]]) -> list[tuple[str, int]]:
        value = self.answers[key] = self.inner.expansions(key, compute)
        return value


def statistics_for(reader: Any, stats: Statistics | None) -> Statistics:
    """``stats`` when given, else the reader's own statistics."""
    return stats if stats is not None else ReaderStatistics(reader)
