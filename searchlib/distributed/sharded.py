"""``ShardedIndex``: one collection in many shards, searched scatter-gather in two phases, or
in one when the query's statistics are cached.

A search (:meth:`ShardedIndex.search`) is validated here first (the same checks and errors as
``Index.search``, against the collection's schema; a set of arguments that passed them once is
remembered, as they depend on nothing else while ``shards.json`` stays the same), then:

1. **statistics**: every shard parses, rewrites and compiles the query against its own data
   and reports what the compilation asked (:meth:`ShardSearcher.phase1
   <searchlib.distributed.shard.ShardSearcher.phase1>`): live documents, field-length totals,
   document frequencies, complete prefix listings. The sums are the collection's statistics
   (:mod:`searchlib.distributed.gather`). A question only some shards asked (their data led
   their rewrite elsewhere) is left out: with the global numbers it may not be asked at all.
   A prefix frequency computed with expansions other than the collection's is put again to
   that shard by its key (:func:`~searchlib.distributed.collect.answer_keys`).
2. **top-k**: every shard runs the query with those global statistics and returns its first
   ``offset + limit`` rows in the result order, its exact total, facet counts and collapse
   groups; the coordinator merges them. A shard whose compilation still asks something the
   global statistics lack (a decision that took another path with the global numbers) reports
   the question instead of results; it is answered by ALL shards (by key, for those whose
   compilation did not reach it) and the shards that asked run again.

**Statistics cache.** The statistics a search finally used (after any ``missing`` rounds) are
kept, LRU, by the query and the options that change its compilation (fields, operator, k1, b,
field weights, filter, and whether it lists every match), with the generation of each shard's
commit they were computed on. The same query again skips phase 1: phase 2 goes out with the
cached statistics and each shard first compares that generation with its latest commit (the
check phase 1 makes anyway); a shard with a newer commit answers ``stale`` instead of results,
the entry is dropped and the search runs both phases. A shard that fails during such a round
also sends the search through both phases, so statistics, partial results and errors are those
of a search without the cache; a search with failed shards is not cached. So a commit is seen
by the next search, cached or not, and the cache never changes a result. A new ``shards.json``
empties it.

So hits, scores, totals, facets, groups and cursors are those one index holding the same
documents would give: scores use the same numbers in the same order (identical floats), and
ties break by the global sequence number that :func:`~searchlib.distributed.build.build_shards`
and :class:`~searchlib.distributed.writer.ShardedWriter` give every document.
"""
from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from searchlib.errors import ArgumentError, ArgumentTypeError, SearchlibError
from searchlib.distributed.gather import LISTING, combine_answer, merge_collapsed, merge_facets, merge_rows, void_prefix_answers
from searchlib.distributed.layout import Layout, layout_token, read_layout
from searchlib.distributed.shard import _prepare_options
from searchlib.distributed.transport import DaskRunner, DaskTransport, InlineRunner, LocalTransport, ShardUnavailable
from searchlib.query.assist.options import AssistOptions
from searchlib.results import Hit, Results

__all__ = ["ShardedIndex", "ShardedResults"]

# Shards send the stored fields of their rows with phase 2 when a search asks for at most this
# many (offset + limit); deeper pages fetch the fields of the page's hits in a third call.
INLINE_FIELDS = 100
MAX_ROUNDS = 6  # statistics rounds before giving up (each adds a decided question; never reached in tests)
CACHED_STATISTICS = 1024  # queries whose global statistics the coordinator keeps (LRU)
CACHED_ANSWERS = 500_000  # ... and at most this many statistics answers in all (a prefix listing counts its terms)
VALIDATED = 1024  # argument sets known to pass the checks of search (LRU)
# the checks run on an empty reader: the assistance that only looks words up (pinyin, typos,
# suggestions) and the proximity rescore find nothing there and raise nothing, so they are off;
# the ~ syntax stays on, as its own check may raise
_CHECKS_ONLY = AssistOptions(pinyin=False, typos=False, suggest=False)


class _LRU:
    """A bounded, thread-safe least-recently-used map; each entry weighs ``weight`` (entries
    heavier than a tenth of ``max_weight`` are not kept)."""

    def __init__(self, max_entries: int, max_weight: int | None = None) -> None:
        self.max_entries = max_entries
        self.max_weight = max_weight
        self._data: OrderedDict[Any, tuple[Any, int]] = OrderedDict()
        self._weight = 0
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self._lock:
            entry = self._data.get(key)
            if entry is None:
                return None
            self._data.move_to_end(key)
            return entry[0]

    def put(self, key: Any, value: Any, weight: int = 1) -> None:
        if self.max_weight is not None and weight * 10 > self.max_weight:
            return
        with self._lock:
            old = self._data.pop(key, None)
            if old is not None:
                self._weight -= old[1]
            self._data[key] = (value, weight)
            self._weight += weight
            while len(self._data) > self.max_entries or (self.max_weight is not None and self._weight > self.max_weight):
                _, (_, w) = self._data.popitem(last=False)
                self._weight -= w

    def pop(self, key: Any) -> None:
        with self._lock:
            old = self._data.pop(key, None)
            if old is not None:
                self._weight -= old[1]

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self._weight = 0

    def __len__(self) -> int:
        return len(self._data)


def _freeze(value: Any) -> Any:
    """A hashable, type-exact image of a search argument (None when it holds something else
    than None, str, bool, int, float, lists, tuples and mappings of them: not cached)."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return (type(value).__name__, value)
    if isinstance(value, Mapping):
        items = []
        for k, v in value.items():
            fk, fv = _freeze(k), _freeze(v)
            if fk is None or fv is None:
                return None
            items.append((fk, fv))
        return ("map", tuple(items))
    if isinstance(value, (list, tuple)):
        out = tuple(_freeze(v) for v in value)
        return None if any(v is None for v in out) else (type(value).__name__, out)
    return None


def _weight(fixed: tuple[int, dict[str, int], dict[Any, Any]]) -> int:
    return 1 + sum(len(v) if isinstance(v, list) else 1 for v in fixed[2].values())


class ShardedResults(Results):
    """:class:`~searchlib.results.Results` of a sharded search, plus ``partial`` (True when
    ``allow_partial`` let unreachable shards be left out: then hits, totals and facets cover
    only the others) and ``failed_shards``."""

    def __init__(self, *args: Any, partial: bool = False, failed_shards: Sequence[int] = (), shards: int = 0,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.partial = partial
        self.failed_shards = list(failed_shards)
        self.shards = shards

    def to_dict(self, snippets: bool = True) -> dict[str, Any]:
        out = super().to_dict(snippets)
        out["shards"] = self.shards
        if self.partial:
            out["partial"] = True
            out["failed_shards"] = self.failed_shards
        return out


class _EmptyReader:
    """A reader with no documents and the collection's analyzer and schema: searching it runs
    every argument and query check of ``search`` (same errors as one index) and nothing else."""

    doc_count = 0
    segments: list[Any] = []
    generation = 0

    def __init__(self, analyzer: Any, schema: Any) -> None:
        self.analyzer = analyzer
        self.schema = schema

    def stats(self, field: str) -> Any:
        from searchlib.index.reader import FieldStats

        return FieldStats(0, 0)


class ShardedIndex:
    """A sharded searchlib index (see the module docstring). Open with :meth:`open`."""

    def __init__(self, path: str, layout: Layout, transport: Any, client: Any, runner: Any) -> None:
        self.path = path
        self._layout = layout
        self._token = layout_token(path)
        self.transport = transport
        self.client = client
        self._runner_obj = runner
        self._analyzer: Any = None
        self._closed = False
        # global statistics by (query, compilation options): (fixed, generation of each shard)
        self._statistics_cache = _LRU(CACHED_STATISTICS, CACHED_ANSWERS)
        self._validated = _LRU(VALIDATED)
        self.rounds = 0  # calls made to the shards (each a round trip to all of them at once)

    @classmethod
    def open(cls, path: str | os.PathLike[str], client: Any = None, *, retries: int = 2,
             call_timeout: float = 120.0, channels: bool = True) -> ShardedIndex:
        """Open the sharded index at ``path``. With ``client`` (a ``dask.distributed.Client``)
        each shard is opened once on a worker that sees its folder, as an actor; without, the
        shards are searched in this process. ``retries``: how many other workers a shard call
        tries after its worker failed; ``call_timeout``: seconds after which a shard that does
        not answer counts as failed (a guard against hung workers). ``channels``: call the shard
        actors over direct sockets (:mod:`searchlib.distributed.channel`; ``tcp://`` clusters
        only); False keeps every call on Dask's comms."""
        if not isinstance(path, (str, os.PathLike)):
            raise ArgumentTypeError(f"path must be a string or path-like object, got {type(path).__name__}")
        if client is not None and not callable(getattr(client, "run", None)):
            raise ArgumentTypeError(f"client must be a dask.distributed.Client, got {type(client).__name__}")
        root = os.path.abspath(os.fspath(path))
        layout = read_layout(root)
        paths = [layout.shard_path(i) for i in range(layout.shards)]
        if client is None:
            return cls(root, layout, LocalTransport(paths), None, InlineRunner())
        transport = DaskTransport(client, root, list(layout.dirs), retries=retries, call_timeout=call_timeout,
                                  use_channels=channels)
        return cls(root, layout, transport, client, DaskRunner(client))

    # -- layout -------------------------------------------------------------------------------------
    @property
    def layout(self) -> Layout:
        """The current ``shards.json`` (re-read when a build or writer replaced it)."""
        token = layout_token(self.path)
        if token != self._token:
            self._layout = read_layout(self.path)
            self._token = token
            self._statistics_cache.clear()
            self._validated.clear()
        return self._layout

    @property
    def shards(self) -> int:
        return self.layout.shards

    @property
    def schema(self) -> Any:
        return self.layout.schema

    @property
    def analyzer(self) -> Any:
        if self._analyzer is None:
            from searchlib.analysis.analyzer import Analyzer

            self._analyzer = Analyzer.from_config(self.layout.analyzer)
            self._analyzer.analyze("预热 warm")  # load the dictionary once, not inside a search
        return self._analyzer

    def placement(self) -> dict[int, str]:
        """The worker (address) each shard is open on (``"local"``: this process)."""
        return self.transport.placement()

    def _runner(self) -> Any:
        return self._runner_obj

    def _worker_of(self, shard: int) -> str | None:
        where = self.transport.placement().get(shard)
        return None if where in (None, "local") else where

    def _check_open(self) -> None:
        if self._closed:
            raise SearchlibError(f"sharded index {self.path} is closed")

    # -- calls ----------------------------------------------------------------------------------------
    def _call(self, calls: Mapping[int, tuple[str, tuple[Any, ...]]], allow_partial: bool) -> tuple[dict[int, Any], list[int]]:
        self.rounds += 1
        results, failures = self.transport.call(calls)
        if failures and not allow_partial:
            shards = sorted(failures)
            first = failures[shards[0]]
            raise ShardUnavailable(
                f"shard{'s' if len(shards) > 1 else ''} {', '.join(map(str, shards))} of {self.path} unreachable "
                f"after retries on other workers ({first}); check the workers and the shard folders, or pass "
                "allow_partial=True for results from the other shards", shards)
        return results, sorted(failures)

    # -- documents -------------------------------------------------------------------------------------
    def get(self, doc_id: str) -> dict[str, Any] | None:
        """Stored fields of the live document with that id (asked of its shard only), or None."""
        self._check_open()
        if not isinstance(doc_id, str):
            raise ArgumentTypeError(f"doc_id must be a string, got {type(doc_id).__name__}")
        shard = self.layout.shard_of(doc_id)
        results, _ = self._call({shard: ("get", (doc_id,))}, False)
        return results[shard]

    def __contains__(self, doc_id: object) -> bool:
        return isinstance(doc_id, str) and self.get(doc_id) is not None

    def info(self) -> dict[int, dict[str, Any]]:
        """Per shard: ``{"docs", "generation", "schema", "pid"}``."""
        self._check_open()
        results, _ = self._call({s: ("info", ()) for s in range(self.shards)}, False)
        return results

    def __len__(self) -> int:
        return sum(i["docs"] for i in self.info().values())

    def ids(self) -> Iterator[str]:
        """The ids of every live document, shard by shard."""
        results, _ = self._call({s: ("ids", ()) for s in range(self.shards)}, False)
        for s in sorted(results):
            yield from results[s]

    def count(self, query: str = "", filter: Mapping[str, Any] | None = None) -> int:  # noqa: A002
        if not query.strip() and not filter:
            return len(self)
        return self.search(query, limit=0, filter=filter).total

    def writer(self, lock_timeout: float = 10.0, skip_unchanged: bool = False) -> Any:
        """A :class:`~searchlib.distributed.writer.ShardedWriter`: ``add`` / ``update`` /
        ``delete`` / ``add_page`` routed to the shard of each id."""
        from searchlib.distributed.writer import ShardedWriter

        self._check_open()
        return ShardedWriter(self, lock_timeout=lock_timeout, skip_unchanged=skip_unchanged)

    # -- search ------------------------------------------------------------------------------------------
    def search(
        self,
        query: str,
        limit: int = 10,
        offset: int = 0,
        filter: Mapping[str, Any] | None = None,  # noqa: A002
        fields: Iterable[str] | None = None,
        *,
        sort: str | Sequence[str] | None = None,
        facets: str | Sequence[str] | None = None,
        collapse: str | None = None,
        after: str | None = None,
        timeout: float | None = None,
        facet_limit: int | None = 10,
        allow_partial: bool = False,
        default_operator: str | None = None,
        k1: float | None = None,
        b: float | None = None,
        field_weights: Mapping[str, float] | None = None,
    ) -> ShardedResults:
        """Search every shard; the same arguments and :class:`~searchlib.results.Results` as
        ``Index.search`` (hits carry their stored fields; highlighting works as on one index).
        ``allow_partial``: when shards stay unreachable, return the others' results with
        ``results.partial = True`` instead of raising
        :class:`~searchlib.distributed.transport.ShardUnavailable`."""
        from searchlib.query.facets import parse_facets
        from searchlib.query.order import Order, parse_sort
        from searchlib.query.searcher import search as search_one

        self._check_open()
        t0 = time.perf_counter()
        layout = self.layout
        analyzer = self.analyzer
        load_ms = (time.perf_counter() - t0) * 1000.0
        t0 = time.perf_counter()
        if fields is not None and isinstance(fields, str):
            fields = [fields]
        elif fields is not None:
            fields = list(fields)
        # every argument and query check of one index, against the collection's schema (once per
        # set of arguments: the checks depend on nothing else)
        arguments = _freeze((query, limit, offset, filter, fields, default_operator, k1, b, field_weights, sort,
                             facets, facet_limit, collapse, after, timeout))
        if arguments is None or self._validated.get(arguments) is None:
            search_one(_EmptyReader(analyzer, layout.schema), query, limit=limit, offset=offset, filter=filter,
                       fields=fields, default_operator=default_operator, k1=k1, b=b, field_weights=field_weights,
                       sort=sort, facets=facets, facet_limit=facet_limit, collapse=collapse, after=after,
                       timeout=timeout, proximity=False, assist=_CHECKS_ONLY)
            if arguments is not None:
                self._validated.put(arguments, True)
        listing = bool(filter or sort is not None or facets or collapse is not None or after is not None)
        options = {"fields": fields, "default_operator": default_operator, "k1": k1, "b": b,
                   "field_weights": dict(field_weights) if field_weights else None, "filter": filter,
                   "listing": listing, "sort": sort, "facets": facets, "collapse": collapse, "after": after,
                   "timeout": timeout}
        k = offset + limit
        shards = list(range(layout.shards))
        # one round when the statistics of this query are cached (and still those of every
        # shard's latest commit), else two: phase 1, then phase 2
        key = _freeze((query, _prepare_options(options)))
        cached = self._statistics_cache.get(key) if key is not None else None
        found = None
        if cached is not None and sorted(cached[1]) == shards:
            found = self._phase2(query, options, cached[0], cached[1], shards, k, True, cached=True)
            if found is None:
                self._statistics_cache.pop(key)
        if found is not None:
            parts, failed, _ = found
            generations = cached[1]
        else:
            fixed, generations, failed = self._statistics(query, options, shards, allow_partial)
            live = [s for s in shards if s not in failed]
            found = self._phase2(query, options, fixed, generations, live, k, allow_partial)
            assert found is not None
            parts, more_failed, final = found
            failed = sorted(set(failed) | set(more_failed))
            if key is not None and not failed and sorted(generations) == shards:
                self._statistics_cache.put(key, (final, dict(generations)), _weight(final))
        # merge
        schema = layout.schema
        order = Order(parse_sort(sort, schema))
        cursor = order.decode(after) if after is not None else None
        specs = parse_facets(facets, schema)
        answered = [parts[s] for s in sorted(parts)]
        if collapse is not None:
            groups, n_groups = merge_collapsed(order, answered, cursor)
            page: list[tuple[list[Any], dict[str, Any] | None]] = [
                (row, {"collapsed": size - 1}) for row, size in groups[offset:k]]
        else:
            n_groups = None
            page = [(row, None) for row in merge_rows(order, [p["rows"] for p in answered], k)[offset:k]]
        missing_fields = [row[3] for row, _ in page if row[4] is None]
        if missing_fields:
            fetched = self._fetch(missing_fields, generations, allow_partial)
            for row, _ in page:
                if row[4] is None:
                    row[4] = fetched.get(row[3]) or {"id": row[3]}
        hits = [Hit(row[3], row[1], row[4], rank, extra=extra) for rank, (row, extra) in enumerate(page, start=offset + 1)]
        first = answered[0] if answered else {"terms": [], "phrases": [], "parsed": query}
        took_ms = (time.perf_counter() - t0) * 1000.0
        results = ShardedResults(
            hits, sum(p["total"] for p in answered), query, took_ms, terms=first["terms"], phrases=first["phrases"],
            analyzer=analyzer, offset=offset, parsed=first["parsed"], reader=None,
            timed_out=any(p["timed_out"] for p in answered),
            facets=merge_facets(specs, [p["facets"] for p in answered], facet_limit) if specs else None,
            next_cursor=order.cursor_of(page[-1][0]) if page else None, groups=n_groups,
            partial=bool(failed), failed_shards=failed, shards=layout.shards)
        results.load_ms = load_ms
        return results

    def explain(self, query: str, doc_id: str, **options: Any) -> Any:
        """Why ``doc_id`` scores what it scores (computed on its shard with the collection's
        statistics: the value equals its score in :meth:`search`)."""
        self._check_open()
        if not isinstance(doc_id, str):
            raise ArgumentTypeError(f"doc_id must be a string, got {type(doc_id).__name__}")
        from searchlib.query.searcher import explain as explain_one

        filter_ = options.get("filter")
        explain_one(_EmptyReader(self.analyzer, self.schema), query, doc_id, **options)
        opts = dict(options, listing=bool(filter_))
        fixed, generations, _ = self._statistics(query, opts, list(range(self.shards)), False)
        shard = self.layout.shard_of(doc_id)
        results, _ = self._call({shard: ("explain", (query, doc_id, opts, fixed, generations.get(shard)))}, False)
        return results[shard]

    # -- phases ---------------------------------------------------------------------------------------
    def _statistics(self, query: str, options: dict[str, Any], shards: list[int], allow_partial: bool
                    ) -> tuple[tuple[int, dict[str, int], dict[Any, Any]], dict[int, int], list[int]]:
        """Phase 1: the collection's statistics for ``query``: ``((n_docs, lengths, answers),
        generation per shard, failed shards)``."""
        reports, failed = self._call({s: ("phase1", (query, options)) for s in shards}, allow_partial)
        generations = {s: r["generation"] for s, r in reports.items()}
        n = sum(r["n_docs"] for r in reports.values())
        lengths: dict[str, int] = {}
        for r in reports.values():
            for f, v in r["lengths"].items():
                lengths[f] = lengths.get(f, 0) + int(v)
        per_key: dict[Any, dict[int, Any]] = {}
        for s, r in reports.items():
            for key, value in r["answers"].items():
                per_key.setdefault(key, {})[s] = value
        answered = sorted(reports)
        answers = self._complete(per_key, answered, (n, lengths), generations, allow_partial, failed, fill_gaps=False)
        return (n, lengths, answers), generations, failed

    def _complete(self, per_key: dict[Any, dict[int, Any]], shards: list[int], totals: tuple[int, dict[str, int]],
                  generations: dict[int, int], allow_partial: bool, failed: list[int],
                  known: Mapping[Any, Any] | None = None, fill_gaps: bool = True) -> dict[Any, Any]:
        """``known`` plus the global answers of the keys in ``per_key`` (shard -> answer).

        ``fill_gaps``: a key some shards did not answer is asked of them by key (listings
        first: prefix frequencies depend on them); without, it is left out (after phase 1 a
        question only some shards asked may not matter with the global numbers: if it does,
        phase 2 reports it missing). A shard's prefix frequency computed with expansions other
        than the collection's is always asked again. Failing shards move from ``shards`` to
        ``failed``."""
        n, lengths = totals
        answers: dict[Any, Any] = dict(known or {})

        def ask(need: dict[int, list[Any]]) -> None:
            need = {s: keys for s, keys in need.items() if keys and s in shards}
            if not need:
                return
            fixed = (n, lengths, dict(answers))
            got, lost = self._call({s: ("answer_keys", (keys, fixed, generations.get(s))) for s, keys in need.items()},
                                   allow_partial)
            for s in lost:
                if s not in failed:
                    failed.append(s)
                if s in shards:
                    shards.remove(s)
            for s, values in got.items():
                for key, value in values.items():
                    per_key.setdefault(key, {})[s] = value

        def complete(key: Any) -> bool:
            return all(s in per_key[key] for s in shards)

        listings = [k for k in per_key if k[0] == LISTING]
        if fill_gaps:
            ask({s: [k for k in listings if s not in per_key[k]] for s in shards})
        void: dict[int, list[Any]] = {}
        for key in listings:
            if not complete(key):
                continue
            answers[key] = combine_answer(key, [per_key[key][s] for s in shards])
            for s in shards:
                dep = void_prefix_answers(key, answers[key], per_key[key][s])
                if dep is not None and dep in per_key and s in per_key[dep]:
                    del per_key[dep][s]
                    void.setdefault(s, []).append(dep)
        others = [k for k in per_key if k[0] != LISTING]
        if fill_gaps:
            ask({s: [k for k in others if s not in per_key[k]] for s in shards})
        else:
            ask(void)
        for key in others:
            if complete(key) and shards:
                answers[key] = combine_answer(key, [per_key[key][s] for s in shards])
        return answers

    def _phase2(self, query: str, options: dict[str, Any], fixed: tuple[int, dict[str, int], dict[Any, Any]],
                generations: dict[int, int], shards: list[int], k: int, allow_partial: bool, cached: bool = False
                ) -> tuple[dict[int, dict[str, Any]], list[int], tuple[int, dict[str, int], dict[Any, Any]]] | None:
        """Phase 2: ``(parts by shard, failed shards, the statistics finally used)``.

        ``cached``: ``fixed`` comes from the cache (no phase 1 ran): a shard with a newer commit
        than ``generations`` says so, and so does any failure: None then (the caller runs both
        phases as without a cache, so statistics, partial results and errors are the same)."""
        n, lengths, answers = fixed
        parts: dict[int, dict[str, Any]] = {}
        failed: list[int] = []
        todo = list(shards)
        for round_ in range(MAX_ROUNDS):
            # the first round of cached statistics asks each shard to check its latest commit; a
            # shard that answers is on that generation (its snapshot is held for later rounds)
            latest = (True,) if cached and round_ == 0 else ()
            calls = {s: ("phase2", (query, options, (n, lengths, answers), k, INLINE_FIELDS, generations.get(s))
                         + latest) for s in todo}
            got, lost = self._call(calls, allow_partial)
            if cached and (lost or any("stale" in part for part in got.values())):
                return None
            failed.extend(lost)
            missing: dict[Any, dict[int, Any]] = {}
            todo = []
            for s, part in got.items():
                if "missing" in part:
                    todo.append(s)
                    for key, value in part["missing"].items():
                        missing.setdefault(key, {})[s] = value
                else:
                    parts[s] = part
            if not todo:
                return parts, failed, (n, lengths, answers)
            live = [s for s in shards if s not in failed]
            answers = self._complete(missing, live, (n, lengths), generations, allow_partial, failed, answers)
            if cached and failed:
                return None
        raise SearchlibError(f"the shards of {self.path} did not agree on the statistics of {query!r} "
                             f"after {MAX_ROUNDS} rounds; please report this query")

    def _fetch(self, ids: list[str], generations: dict[int, int], allow_partial: bool) -> dict[str, Any]:
        layout = self.layout
        by_shard: dict[int, list[str]] = {}
        for doc_id in ids:
            by_shard.setdefault(layout.shard_of(doc_id), []).append(doc_id)
        got, _ = self._call({s: ("fetch", (i, generations.get(s))) for s, i in by_shard.items()}, allow_partial)
        out: dict[str, Any] = {}
        for values in got.values():
            out.update(values)
        return out

    # -- lifecycle ----------------------------------------------------------------------------------
    def close(self) -> None:
        if not self._closed:
            self.transport.close()
            self._closed = True

    def __enter__(self) -> ShardedIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"ShardedIndex({self.path!r}, shards={self._layout.shards}, transport={self.transport.kind})"


def _check(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ArgumentError(f"{name} must be an integer >= 0, got {value!r}")
