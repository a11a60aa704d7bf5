"""Query execution entry points: ``search`` and ``explain`` (the ``Index`` facade calls them).

How a search runs (tantivy's Query → Weight → Scorer split, with Lucene's rewrite and
collectors)::

    query string ─parse─► AST ─rewrite─► AST ─compile─► weights ─execute─► collectors ─► Results
                          (parser)   (rewrite.py,     (compile.py,       (execute.py,
                                     index-aware)     statistics from    MaxScore, filters
                                                      stats.py)          as accepted docs)

1. :func:`~searchlib.query.parser.parse` turns the string into an AST with analyzed terms.
2. :func:`~searchlib.query.rewrite.rewrite` adapts it to the index (a Han word the index never
   holds as a word becomes the phrase of its characters).
3. :func:`~searchlib.query.compile.compile_query` builds one weight per node; leaves take their
   global statistics (N, document frequency, average field lengths) from a statistics provider:
   the reader's own by default, or one given by the caller (a sharded index passes global ones).
   Nothing here depends on how documents are split into segments or on deleted documents.
4. :func:`~searchlib.query.execute.execute` scores segment by segment into collectors (top-k by
   score, count, ...); filters become per-segment accepted-document masks, so ``total`` is exact.

``Results.total`` is EXACT: the number of live documents matching the query (and the filter).
"""
from __future__ import annotations

import math
import time

import numpy as np
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from searchlib.errors import ArgumentError, ArgumentTypeError, QueryError
from searchlib.query.assist import AssistOptions, AssistSession, resolve, settings_from_manifest, uses_tilde
from searchlib.query.ast import BooleanQuery, MatchAll, QueryNode
from searchlib.query.collapse import CollapseCollector
from searchlib.query.collectors import (
    Collector, CountCollector, MultiCollector, TopFieldCollector, TopScoreCollector,
)
from searchlib.query.compile import compile_query
from searchlib.query.context import QueryContext, SegmentContext, live_segments
from searchlib.query.execute import DEFAULT_EXECUTION, ExecutionOptions, execute
from searchlib.query.explanation import Explanation
from searchlib.query.facets import FacetCollector, parse_facets
from searchlib.query.fieldvalues import filter_nodes
from searchlib.query.filters import as_filters
from searchlib.query.order import Order, parse_sort
from searchlib.query.parser import DEFAULT_FIELDS, parse
from searchlib.query.proximity import (
    DEFAULT_PROXIMITY, ProximityOptions, applies, explain_bonus, proximity_terms, rescore,
)
from searchlib.query.rewrite import DEFAULT_RULES, rewrite
from searchlib.query.scoring import BM25Params, DEFAULT_FIELD_WEIGHTS
from searchlib.query.stats import ReaderCache, ReaderStatistics, Statistics, reader_cache
from searchlib.query.weights import NoMatch, Weight
from searchlib.results import Hit, Results

__all__ = ["DEFAULT_OPERATOR", "DUPLICATES", "explain", "prepare", "search"]

# OR, measured (benchmarks/bench_query.py, People's Daily, 19,484 docs, 500 known-item queries):
# MRR@10 0.937 with OR vs 0.924 with AND, on Simplified and on a Traditional copy alike. AND
# drops the target whenever one query word is absent from it (or jieba cut the query differently
# from the document) -- nothing is returned at all for such queries -- while BM25 over OR still
# ranks the target first when it holds the rarer words. AND remains available per query.
DEFAULT_OPERATOR = "OR"
# collapse=DUPLICATES groups by near-duplicate cluster instead of a field's value
DUPLICATES = "duplicates"


def _text_fields(reader: Any) -> tuple[str, ...]:
    schema = getattr(reader, "schema", None)
    fields = getattr(schema, "text_fields", None)
    return tuple(fields) if fields else DEFAULT_FIELDS


_DEFAULT_PARAMS = BM25Params()
_SCORE_ORDER = Order([])


def _params(k1: float | None, b: float | None, field_weights: Mapping[str, float] | None) -> BM25Params:
    if k1 is None and b is None and not field_weights:
        return _DEFAULT_PARAMS
    weights = dict(DEFAULT_FIELD_WEIGHTS)
    if field_weights:
        if not isinstance(field_weights, Mapping):
            raise ArgumentTypeError(f"field_weights must be a dict of field name → weight, got {field_weights!r}")
        weights.update(field_weights)
    given: dict[str, Any] = {"field_weights": weights}
    for name, value in (("k1", k1), ("b", b)):
        if value is not None:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ArgumentTypeError(f"{name} must be a number, got {value!r}")
            given[name] = float(value)
    try:
        return BM25Params(**given)
    except ValueError as exc:
        raise ArgumentError(str(exc)) from None


def _check_count(name: str, value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ArgumentTypeError(f"{name} must be an integer >= 0, got {value!r}")
    if value < 0:
        raise ArgumentError(f"{name} must be an integer >= 0, got {value!r}")
    return value


def _check_timeout(timeout: object) -> float | None:
    if timeout is None:
        return None
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        raise ArgumentTypeError(f"timeout must be a number of seconds, got {timeout!r}")
    if not (timeout > 0 and math.isfinite(timeout)):
        raise ArgumentError(f"timeout must be a positive number of seconds, got {timeout!r}")
    return float(timeout)


def _split_filters(node: QueryNode) -> tuple[QueryNode, list[QueryNode]]:
    """``(scored part, top-level filters)``: filters at the root apply to every match, so they
    become rejected documents instead of weights."""
    if node.is_filter and not isinstance(node, MatchAll):
        return MatchAll(), [node]
    if isinstance(node, BooleanQuery) and node.filter:
        rest: QueryNode = BooleanQuery(node.must, node.should, node.must_not, node.boost)
        if not node.must and not node.should:
            rest = BooleanQuery((MatchAll(),), (), node.must_not) if node.must_not else MatchAll()
        return rest, list(node.filter)
    return node, []


def _schema_kinds(reader: Any) -> dict[str, str] | None:
    kinds = getattr(getattr(reader, "schema", None), "kinds", None)
    return dict(kinds) if kinds is not None else None


class _Setup(NamedTuple):
    """What every query derives from the snapshot alone: computed once per reader."""

    text_fields: tuple[str, ...]
    kinds: dict[str, str] | None  # shared: read-only
    assist: AssistOptions  # the index's query-assistance settings
    cache: ReaderCache  # (never anything that refers to the reader: the cache is weakly keyed by it)
    segs: list[SegmentContext]  # the live segments, unfiltered (shared by the queries: read-only)


def _setup(reader: Any) -> _Setup:
    cache = reader_cache(reader)
    setup = cache.memo.get("query-setup")
    if setup is None:
        setup = cache.memo["query-setup"] = _Setup(_text_fields(reader), _schema_kinds(reader),
                                                   settings_from_manifest(getattr(reader, "manifest", None)),
                                                   cache, live_segments(reader))
    return setup  # type: ignore[no-any-return]


def _assist_session(reader: Any, query: str, assist: Any, node: QueryNode, setup: _Setup | None = None) -> Any:
    setup = setup or _setup(reader)
    options = setup.assist if assist is None else setup.assist & resolve(assist)
    if not options.fuzzy and uses_tilde(node):
        where = "this index" if not setup.assist.fuzzy else "this query"
        raise QueryError(f"the ~ syntax (fuzzy terms, sloppy phrases) is turned off for {where}", max(query.find("~"), 0))
    return AssistSession(options, query, reader.analyzer, setup.kinds)


def prepare(
    reader: Any,
    query: str | QueryNode,
    *,
    fields: Iterable[str] | None = None,
    default_operator: str | None = None,
    k1: float | None = None,
    b: float | None = None,
    field_weights: Mapping[str, float] | None = None,
    stats: Statistics | None = None,
    deadline: float | None = None,
    filter: Mapping[str, Any] | None = None,  # noqa: A002
    match_all: bool = False,
    lift_filters: bool = True,
    assist: Any = None,
    session_out: list[Any] | None = None,
) -> tuple[QueryNode, QueryContext, Weight]:
    """Parse, rewrite and compile ``query`` against ``reader``: ``(rewritten AST, context, weight)``.
    ``query`` may also be an AST built by the caller (its text already analyzed).

    ``filter`` and the query's top-level field filters become the segments' rejected documents
    (``lift_filters``; otherwise they stay required clauses, as :func:`explain` wants them).
    ``match_all``: an empty query matches every document (filters and sorting list documents).
    ``assist``: query assistance for this query (see :mod:`searchlib.query.assist.options`);
    the :class:`~searchlib.query.assist.AssistSession` is appended to ``session_out``."""
    if not isinstance(query, (str, QueryNode)):
        raise ArgumentTypeError(f"query must be a string, got {type(query).__name__}")
    setup = _setup(reader)
    text_fields = setup.text_fields
    if fields is None:
        default_fields = text_fields
    else:
        if isinstance(fields, str):
            fields = [fields]
        default_fields = tuple(dict.fromkeys(fields))
        unknown = [f for f in default_fields if f not in text_fields]
        if unknown or not default_fields:
            raise ArgumentError(
                f"fields must name searchable text fields ({', '.join(text_fields)}), got {list(default_fields)}"
            )
    op = DEFAULT_OPERATOR if default_operator is None else str(default_operator).upper()
    if op not in ("OR", "AND"):
        raise ArgumentError(f"default_operator must be 'OR' or 'AND', got {default_operator!r}")
    params = _params(k1, b, field_weights)
    schema = getattr(reader, "schema", None)
    if filter is not None and not isinstance(filter, Mapping):
        raise ArgumentTypeError(f"filter must be a dict of field name → value(s) or range, got {filter!r}")
    extra = filter_nodes(schema, filter, setup.cache.memo.setdefault("filters", {})) if filter else []
    if isinstance(query, QueryNode):  # built by the caller (more-like-this), already analyzed
        node: QueryNode = query
    elif match_all and not query.strip():
        node = MatchAll()
    else:
        node = parse(query, reader.analyzer, default_operator=op, fields=text_fields, schema=setup.kinds)
    ctx = QueryContext(reader, params, default_fields,
                       stats if stats is not None else ReaderStatistics(reader, setup.cache), deadline, setup.cache,
                       setup.segs)
    # query assistance (pinyin, typos, ~) for query strings; an AST built by the caller has none
    session = _assist_session(reader, query, assist, node, setup) if isinstance(query, str) else None
    if session_out is not None and session is not None:
        session_out.append(session)
    node = rewrite(node, ctx, DEFAULT_RULES + tuple(session.rules(node)) if session is not None else DEFAULT_RULES)
    node = shown = session.finish(node, ctx) if session is not None else node
    if lift_filters:
        node, lifted = _split_filters(node)
        extra += lifted
        if extra:
            weights = [compile_query(f, ctx) for f in extra]
            if any(isinstance(w, NoMatch) for w in weights):
                return shown, ctx, NoMatch("a filter matches nothing")
            filters = as_filters(weights)
            ctx.segs = [SegmentContext(s.seg, s.ord, filters=filters) for s in ctx.segs]
    elif extra:
        node = shown = BooleanQuery((node,), filter=tuple(extra)) if not isinstance(node, MatchAll) else BooleanQuery(filter=tuple(extra))
    return shown, ctx, compile_query(node, ctx)


def search(
    reader: Any,
    query: str | QueryNode,
    *,
    limit: int = 10,
    offset: int = 0,
    filter: Mapping[str, Any] | None = None,  # noqa: A002 - the public name
    fields: Iterable[str] | None = None,
    default_operator: str | None = None,
    k1: float | None = None,
    b: float | None = None,
    field_weights: Mapping[str, float] | None = None,
    sort: str | Sequence[str] | None = None,
    facets: str | Sequence[str] | None = None,
    facet_limit: int | None = 10,
    collapse: str | None = None,
    after: str | None = None,
    timeout: float | None = None,
    stats: Statistics | None = None,
    execution: ExecutionOptions | None = None,
    collapse_keys: Any = None,
    proximity: bool | ProximityOptions = True,
    duplicate_threshold: float | None = None,
    assist: Any = None,
) -> Results:
    """Run ``query`` against the snapshot ``reader``; the ``limit`` best hits after ``offset``.

    ``filter``: field values every hit must have (``{"source": "新华社"}``, a list for any of,
    ``{"date": {"gte": ..., "lt": ...}}``; several fields combine with AND). ``fields``: the
    text fields that unfielded terms search (default: every text field, BM25F-combined).
    ``default_operator``: ``"OR"`` (default) or ``"AND"``. ``k1``, ``b``, ``field_weights``
    override the BM25F parameters (defaults 1.2, 0.75, title 2.0 / body 1.0).
    ``sort``: ``"-date"``, ``["source", "-views"]`` or ``"_score"`` (default); ties break by
    score, then insertion order. ``facets``: fields to count over all matches
    (``results.facets``; ``"date:month"`` histograms), at most ``facet_limit`` values each.
    ``collapse``: a keyword field: one hit per value (``hit.collapsed`` counts the others);
    ``"duplicates"``: one hit per near-duplicate cluster (:mod:`searchlib.query.duplicates`;
    ``duplicate_threshold`` overrides its similarity threshold). ``collapse_keys``: a custom
    grouping (the ``keys`` hook of :class:`~searchlib.query.collapse.CollapseCollector`).
    ``after``: ``results.next_cursor`` of the previous page. An empty query with a filter, sort,
    facets or collapse lists every matching document.
    ``timeout``: seconds of scoring after which the best hits found so far are returned with
    ``results.timed_out = True``. ``stats``: where global statistics come from (default: this
    reader). ``execution``: pruning options (results do not depend on them). ``proximity``:
    rescore the best BM25F matches of multi-word queries by how close, in order and how early
    their words occur (:mod:`searchlib.query.proximity`; True: defaults, False: plain BM25F, or
    a :class:`~searchlib.query.proximity.ProximityOptions`); it applies to relevance order only.
    ``assist``: query assistance (pinyin, typos, did-you-mean, ``~`` syntax): ``True`` (default:
    what the index allows), ``False`` (none), or a dict turning parts off (``{"pinyin": False}``);
    see :mod:`searchlib.query.assist.options`. ``results.suggestion`` is the corrected query
    when a word found nothing.
    Raises :class:`~searchlib.errors.QueryError` for a query that cannot be interpreted and
    :class:`~searchlib.errors.ArgumentError` / :class:`~searchlib.errors.ArgumentTypeError` for
    bad arguments.
    """
    t0 = time.perf_counter()
    if type(limit) is not int or limit < 0:  # noqa: E721 (bool is not a count)
        limit = _check_count("limit", limit)
    if type(offset) is not int or offset < 0:  # noqa: E721
        offset = _check_count("offset", offset)
    if facet_limit is not None:
        facet_limit = _check_count("facet_limit", facet_limit)
    budget = _check_timeout(timeout) if timeout is not None else None
    deadline = None if budget is None else t0 + budget
    schema = getattr(reader, "schema", None)
    order = _SCORE_ORDER if sort is None else Order(parse_sort(sort, schema))
    specs = parse_facets(facets, schema) if facets is not None else []
    cursor = order.decode(after) if after is not None else None
    # collapsing by near-duplicate cluster in score order: the pruned top-k, grouped (see below)
    top_duplicates = collapse == DUPLICATES and collapse_keys is None and order.by_score_only and cursor is None
    if collapse == DUPLICATES and collapse_keys is None and not top_duplicates:
        from searchlib.query.duplicates import collapse_keys as duplicate_keys

        collapse_keys = duplicate_keys(reader, duplicate_threshold)
    elif collapse is not None and collapse_keys is None and not top_duplicates:
        if not isinstance(collapse, str):
            raise ArgumentTypeError(f"collapse must be a field name, got {collapse!r}")
        if schema is not None and schema.kind(collapse) != "keyword":
            kinds = getattr(schema, "kinds", {}) or {}
            usable = ", ".join(n for n, k in kinds.items() if k == "keyword") or "none"
            raise ArgumentError(f"cannot collapse on {collapse!r}: collapse takes a keyword field ({usable}) "
                                f"or {DUPLICATES!r}")
    listing = bool(filter or sort is not None or specs or collapse is not None or after is not None)
    sessions: list[Any] = []
    node, ctx, weight = prepare(reader, query, fields=fields, default_operator=default_operator, k1=k1, b=b,
                                field_weights=field_weights, stats=stats, deadline=deadline, filter=filter,
                                match_all=listing, assist=assist, session_out=sessions)
    suggestion = sessions[0].suggestion() if sessions else None
    k = offset + limit
    if top_duplicates:
        page, total, facet_result, timed_out = _top_duplicates(reader, ctx, weight, offset, k, specs, facet_limit,
                                                                execution, duplicate_threshold)
        return _results(reader, query, node, weight, page, total, offset, order, t0, timed_out, facet_result, None,
                        suggestion)
    prox = _proximity_options(proximity) if order.by_score_only and collapse is None else None
    words = proximity_terms(node, ctx, prox) if prox is not None else []
    if prox is not None and not applies(words, prox):
        prox = None
    ranker: Collector
    if collapse is not None:
        ranker = CollapseCollector(collapse, order, collapse_keys)
    elif order.by_score_only and (cursor is None or prox is not None):
        ranker = TopScoreCollector(max(k, prox.window) if prox is not None else k)
    else:
        ranker = TopFieldCollector(k, order, cursor)
    facet_collector = FacetCollector(specs) if specs else None
    run = execution or DEFAULT_EXECUTION
    if isinstance(ranker, TopScoreCollector) and facet_collector is None:
        count: Any = ranker  # it counts every match itself: one collector, no fan-out
        timed_out = execute(weight, ctx, ranker, run)
    else:
        count = CountCollector()
        timed_out = execute(weight, ctx, MultiCollector(ranker, count, facet_collector), run)
    if prox is not None:
        assert isinstance(ranker, TopScoreCollector)
        rows = rescore(ctx, words, ranker.result(), prox)
        if cursor is not None:
            rows = _after_window(rows, cursor, k, weight, ctx, order, run, ranker.k)
        page = [(row, None) for row in rows[offset:k]]
        n_groups: int | None = None
    elif isinstance(ranker, CollapseCollector):
        groups = ranker.result()
        if cursor is not None:
            point = order.sort_key((cursor, 0.0, 0, 0, 0))
            groups = [g for g in groups if order.sort_key(g[0]) > point]
        page = [(row, {"collapsed": size - 1}) for row, size in groups[offset:k]]
        n_groups = len(groups)
    else:
        page = [(row, None) for row in ranker.result()[offset:k]]  # type: ignore[attr-defined]
        n_groups = None
    return _results(reader, query, node, weight, page, count.total, offset, order, t0, timed_out,
                    facet_collector.result(facet_limit) if facet_collector is not None else None, n_groups,
                    suggestion)


def _results(reader: Any, query: str | QueryNode, node: QueryNode, weight: Weight, page: list[tuple[Any, Any]],
             total: int, offset: int, order: Order, t0: float, timed_out: bool, facets: Any,
             n_groups: int | None, suggestion: str | None = None) -> Results:
    ids = _page_ids(reader.segments, page)
    hits = [Hit(i, row[1], None, rank, address=(row[3], row[4]), extra=extra)
            for i, rank, (row, extra) in zip(ids, range(offset + 1, offset + 1 + len(page)), page)]
    last = page[-1][0] if page else None
    next_cursor = (lambda: order.cursor_of(last)) if last is not None else None  # encoded on first use
    expansions = weight.expansions  # (not the weight: it holds the query's postings)
    took_ms = (time.perf_counter() - t0) * 1000.0
    return Results(hits, total, query if isinstance(query, str) else str(node), took_ms,
                   terms=lambda: _highlights(node, expansions),
                   analyzer=reader.analyzer, offset=offset, parsed=node.__str__, reader=reader, timed_out=timed_out,
                   facets=facets, next_cursor=next_cursor, groups=n_groups, suggestion=suggestion)


def _highlights(node: QueryNode, expansions: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """``(terms, phrases)`` a result set highlights: the query's positive leaves and the
    expansions its weights used (prefix, fuzzy, pinyin)."""
    terms, phrases = node.highlight_terms()
    return list(dict.fromkeys([*terms, *expansions])), phrases


def _page_ids(segs: Any, page: list[tuple[Any, Any]]) -> list[str]:
    """The document ids of a page of rows (one segment: looked up in one call)."""
    if not page:
        return []
    first = page[0][0][3]
    if all(row[3] == first for row, _ in page):
        return segs[first].doc_ids([row[4] for row, _ in page])  # type: ignore[no-any-return]
    return [segs[row[3]].doc_id(row[4]) for row, _ in page]


def _top_duplicates(reader: Any, ctx: QueryContext, weight: Weight, offset: int, k: int, specs: Any,
                    facet_limit: int | None, execution: ExecutionOptions | None,
                    threshold: float | None) -> tuple[list[tuple[Any, Any]], int, Any, bool]:
    """``collapse="duplicates"`` in score order without scoring every match: the best ``kk``
    hits (MaxScore-pruned, as a plain search), grouped by cluster. A cluster's best copy is
    among them whenever any copy is (the others score lower), so once they hold ``k`` clusters
    the first ``k`` are exact; otherwise ``kk`` grows. Each shown hit's other matching copies are
    counted by testing its cluster's members against the query. ``groups`` is not counted
    (that would need every match's cluster): None."""
    from searchlib.query.duplicates import finder, top_groups

    f = finder(reader, threshold)
    kk = k + max(5, k // 2)  # a few more than shown: pruning stays almost as tight as a plain top-k
    while True:
        count = CountCollector()
        facet_collector = FacetCollector(specs) if specs else None
        top = TopScoreCollector(kk)
        timed_out = execute(weight, ctx, MultiCollector(top, count, facet_collector), execution or DEFAULT_EXECUTION)
        rows = top.result()
        groups = top_groups(f, rows)
        if len(groups) >= k or len(rows) < kk or timed_out:
            break
        kk *= 4
    shown = groups[offset:k]
    copies = f.matching_copies(ctx, weight, [node for _, node in shown])
    page = [(row, {"collapsed": n - 1}) for (row, _), n in zip(shown, copies)]
    facets = facet_collector.result(facet_limit) if facet_collector is not None else None
    return page, count.total, facets, timed_out


def _proximity_options(proximity: bool | ProximityOptions) -> ProximityOptions | None:
    if proximity is True:
        return DEFAULT_PROXIMITY
    if isinstance(proximity, ProximityOptions):
        return proximity
    if not isinstance(proximity, bool):
        raise ArgumentTypeError(f"proximity must be True, False or a ProximityOptions, got {proximity!r}")
    return DEFAULT_PROXIMITY if proximity else None


def _after_window(rows: list[Any], cursor: list[Any], k: int, weight: Weight, ctx: QueryContext, order: Order,
                  run: ExecutionOptions, window: int) -> list[Any]:
    """The rows after ``cursor`` in the rescored order: the rescored window's rows after it, then
    (when the window holds every match, nothing more) the documents outside the window in BM25F
    order. Every rescored score is >= the BM25F score of any document outside the window, so
    this is one total order."""
    point = (-float(cursor[0]), int(cursor[1]))
    out = [r for r in rows if (-r[1], r[2]) > point]
    if len(rows) < window or len(out) >= k:
        return out[:k]
    inside = {(r[3], r[4]) for r in rows}
    segs = []
    for s in ctx.segs:
        rejected = (s.rejected.copy() if s.rejected is not None else np.zeros(s.seg.doc_count, dtype=bool))
        for seg_ord, local in inside:
            if seg_ord == s.ord:
                rejected[local] = True
        segs.append(SegmentContext(s.seg, s.ord, rejected))
    ctx.segs = segs
    rest = TopFieldCollector(k, order, cursor)
    execute(weight, ctx, rest, run)
    return (out + rest.result())[:k]


def explain(
    reader: Any,
    query: str,
    doc_id: str,
    *,
    filter: Mapping[str, Any] | None = None,  # noqa: A002
    fields: Iterable[str] | None = None,
    default_operator: str | None = None,
    k1: float | None = None,
    b: float | None = None,
    field_weights: Mapping[str, float] | None = None,
    stats: Statistics | None = None,
    proximity: bool | ProximityOptions = True,
    assist: Any = None,
) -> Explanation:
    """Why document ``doc_id`` scores what it scores for ``query`` with the same options as
    :func:`search` (its value equals the score ``search`` gives it; ``matched`` is False when the
    document does not match, filters included)."""
    if not isinstance(doc_id, str):
        raise ArgumentTypeError(f"doc_id must be a string, got {type(doc_id).__name__}")
    node, ctx, weight = prepare(reader, query, fields=fields, default_operator=default_operator, k1=k1, b=b,
                                field_weights=field_weights, stats=stats, filter=filter,
                                match_all=bool(filter), lift_filters=False, assist=assist)
    prox = _proximity_options(proximity)
    for s in ctx.segs:
        local = s.seg.local_of(doc_id)
        if local is not None:
            e = weight.explain(s, local)
            details = [e]
            value = e.value if e.matched else 0.0
            if prox is not None and e.matched:
                window = search(reader, query, limit=prox.window, filter=filter, fields=fields,
                                default_operator=default_operator, k1=k1, b=b, field_weights=field_weights,
                                stats=stats, proximity=False)
                bonus = explain_bonus(ctx, node, s.ord, local, doc_id in window.ids, prox)
                if bonus is not None:
                    details.append(bonus)
                    value += bonus.value
            return Explanation(value, f"score of {doc_id!r} for {str(node)!r}",
                               details, matched=e.matched, info={"id": doc_id, "query": query})
    return Explanation(0.0, f"no live document with id {doc_id!r}", matched=False,
                       info={"id": doc_id, "query": query})
