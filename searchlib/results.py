"""Search results: :class:`Results` (a sequence of :class:`Hit`) with highlighting on demand.

One :class:`~searchlib.highlight.highlighter.Highlighter` is built per result set, lazily, the
first time a hit is asked for highlights or a snippet, from the query's positive terms and
phrases (folded forms; nothing under NOT; prefix queries contribute the expansions they used).
Hits are addressed as ``(segment ordinal, local document)`` in the reader snapshot the search ran
on; their stored fields are read from it on first access (``Index`` keeps its snapshot open), or
are given directly (hits that crossed a process boundary carry their fields).

Hits and their result set share a :class:`_Source` (the snapshot, analyzer, terms and
highlighter) instead of pointing at each other, so a result set and its hits hold no reference
cycle and are freed as soon as the caller drops them, not at the next garbage collection.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, overload

if TYPE_CHECKING:
    from searchlib.analysis.analyzer import Analyzer

__all__ = ["Hit", "Results"]

_NO_EXTRA: Mapping[str, Any] = MappingProxyType({})  # shared by the hits of plain searches (read-only)


class Hit:
    """One search hit: ``id``, ``score``, ``rank`` (1-based, offset included) and stored ``fields``.

    ``fields`` are read from the index on first access (stored documents are compressed; a
    top-10 that only needs ids does not pay for them), so read them while the reader the search
    ran on is open (``Index`` keeps its snapshot open).
    """

    __slots__ = ("id", "score", "rank", "address", "extra", "_fields", "_source")

    def __init__(self, id: str, score: float, fields: dict[str, Any] | None = None, rank: int = 0,  # noqa: A002
                 address: tuple[int, int] | None = None, extra: Mapping[str, Any] | None = None) -> None:
        self.id = id
        self.score = score
        self.rank = rank
        self.address = address  # (segment ordinal, local document) in the snapshot searched
        self.extra = extra or _NO_EXTRA  # collector data: e.g. {"collapsed": 3} for a collapsed hit
        self._fields = fields
        self._source: _Source | None = None

    @property
    def fields(self) -> dict[str, Any]:
        """Stored fields of the document (``id`` included)."""
        if self._fields is None:
            source = self._source
            if self.address is None or source is None or source.reader is None:
                self._fields = {"id": self.id}
            else:
                self._fields = source.load_fields(self)
        return self._fields

    def _highlighter(self) -> Any:
        if self._source is None:
            raise RuntimeError("this hit does not belong to a result set; highlights need the query")
        return self._source.highlighter

    def highlights(self, field: str = "body") -> list[tuple[int, int]]:
        """``[(start, end), ...]`` of the query's matches in the stored ``field`` text (original
        offsets: a Simplified query marks the Traditional characters it matched)."""
        text = self.fields.get(field) or ""
        if not text:
            return []
        return [tuple(s) for s in self._highlighter().spans(text)]  # type: ignore[misc]

    def snippet(
        self, field: str = "body", format: str = "text", max_chars: int = 240, color: bool | None = None  # noqa: A002
    ) -> str:
        """A window of the stored ``field`` text with the matches marked: ``format`` is ``"text"``,
        ``"html"`` (escaped, ``<mark>``) or ``"ansi"``; at most ``max_chars`` visible characters.
        ``color`` (ansi only): ``None`` detects ``NO_COLOR`` and whether stdout is a terminal."""
        text = self.fields.get(field) or ""
        if not text:
            return ""
        return self._highlighter().snippet(text, format=format, max_chars=max_chars, color=color)

    @property
    def title(self) -> str:
        """The stored title as shown: without scraped inline pinyin (``調(diào)研`` → ``調研``,
        :func:`searchlib.highlight.display_text`); ``""`` when the document has none."""
        from searchlib.highlight.display import display_text

        return display_text(str(self.fields.get("title") or ""))

    @property
    def collapsed(self) -> int:
        """Collapsed searches: how many other matches this hit stands for (0 otherwise)."""
        return int(self.extra.get("collapsed", 0))

    def to_dict(self, snippet: bool = True) -> dict[str, Any]:
        """``{"id", "score", "title", "snippet", "highlights": {"body": [[s, e], ...]}}`` (plus
        ``"collapsed"`` in collapsed searches, ``"similarity"`` in more-like-this results)."""
        out: dict[str, Any] = {"id": self.id, "score": self.score, "title": self.title}
        if "collapsed" in self.extra:
            out["collapsed"] = self.collapsed
        if "similarity" in self.extra:
            out["similarity"] = self.extra["similarity"]
        if snippet:
            out["snippet"] = self.snippet("body")
            out["highlights"] = {"body": [list(s) for s in self.highlights("body")]}
        return out

    def __repr__(self) -> str:
        return f"Hit(id={self.id!r}, score={self.score:.4f}, rank={self.rank})"


class Results(Sequence[Hit]):
    """The hits of one search, best first.

    ``total`` is the EXACT number of live documents matching the query (and the filter), not an
    estimate; ``len(results)`` is the number of hits returned (at most ``limit``).
    ``query`` is the query string, ``parsed`` its canonical parsed form, ``took_ms`` the search
    time (parse, rewrite, scoring and hit ids; stored fields and highlighting happen later, on demand).
    """

    def __init__(
        self,
        hits: list[Hit],
        total: int,
        query: str,
        took_ms: float,
        *,
        terms: Sequence[str] | Callable[[], tuple[Sequence[str], Sequence[str]]] = (),
        phrases: Sequence[str] = (),
        analyzer: Analyzer | None = None,
        offset: int = 0,
        parsed: str | Callable[[], str] | None = None,
        reader: Any = None,
        timed_out: bool = False,
        facets: dict[str, list[tuple[Any, int]]] | None = None,
        next_cursor: str | Callable[[], str | None] | None = None,
        groups: int | None = None,
        suggestion: str | None = None,
    ) -> None:
        self.hits = hits
        # ``terms`` may be a function giving (terms, phrases): derived from the query on first use
        self._source = source = _Source(reader, analyzer, terms, phrases)
        for h in hits:
            h._source = source
        self.total = total
        self.query = query
        self.took_ms = took_ms
        self.analyzer = analyzer
        self.offset = offset
        self._parsed = parsed
        self.reader = reader
        self.timed_out = timed_out  # True: the time budget ran out; hits and total are partial
        self.facets = facets or {}  # facet -> [(value, count), ...]
        self._next_cursor = next_cursor  # a string, or a function making it on first use
        self.groups = groups  # collapsed searches: the number of groups (total counts documents)
        self.suggestion = suggestion  # a corrected query when this one finds little, or None
        self.load_ms: float | None = None  # set by the caller that opened the index for this search

    @property
    def terms(self) -> tuple[str, ...]:
        """The query's positive terms (folded) that highlighting marks."""
        return self._source.terms

    @property
    def phrases(self) -> tuple[str, ...]:
        """The query's positive phrases (folded) that highlighting marks."""
        return self._source.phrases

    def _on_first_use(self, name: str) -> Any:
        """The attribute ``name``, computed by the function it holds on first use."""
        value = getattr(self, name)
        if callable(value):
            value = value()
            setattr(self, name, value)
        return value

    @property
    def parsed(self) -> str | None:
        """The query's canonical parsed form (as searched, after rewriting)."""
        return self._on_first_use("_parsed")  # type: ignore[no-any-return]

    @property
    def next_cursor(self) -> str | None:
        """Pass as ``after=`` to continue this order after the last hit (None: no hits)."""
        return self._on_first_use("_next_cursor")  # type: ignore[no-any-return]

    def load_fields(self, hit: Hit) -> dict[str, Any]:
        """Stored fields of ``hit``, read from the snapshot the search ran on."""
        return self._source.load_fields(hit)

    @property
    def highlighter(self) -> Any:
        """The query's Highlighter (built on first use, shared by every hit)."""
        return self._source.highlighter

    def __iter__(self) -> Iterator[Hit]:
        return iter(self.hits)

    def __len__(self) -> int:
        return len(self.hits)

    @overload
    def __getitem__(self, i: int) -> Hit: ...
    @overload
    def __getitem__(self, i: slice) -> list[Hit]: ...
    def __getitem__(self, i: int | slice) -> Hit | list[Hit]:
        return self.hits[i]

    @property
    def ids(self) -> list[str]:
        return [h.id for h in self.hits]

    def to_dict(self, snippets: bool = True) -> dict[str, Any]:
        """``{"query", "total", "took_ms", "hits": [...]}`` (the CLI's ``--json`` shape)."""
        out: dict[str, Any] = {
            "query": self.query,
            "total": self.total,
            "took_ms": round(self.took_ms, 3),
            "hits": [h.to_dict(snippet=snippets) for h in self.hits],
        }
        if self.timed_out:
            out["timed_out"] = True
        if self.facets:
            out["facets"] = {k: [[v, c] for v, c in items] for k, items in self.facets.items()}
        if self.groups is not None:
            out["groups"] = self.groups
        out["suggestion"] = self.suggestion
        out["next_cursor"] = self.next_cursor
        if self.load_ms is not None:
            out["load_ms"] = round(self.load_ms, 3)
        return out

    def __repr__(self) -> str:
        return f"Results(query={self.query!r}, total={self.total}, hits={len(self.hits)}, took_ms={self.took_ms:.3f})"


class _Source:
    """What a result set's hits read from: the snapshot, and the query's terms for highlighting."""

    __slots__ = ("reader", "analyzer", "_terms", "_phrases", "_highlighter")

    def __init__(self, reader: Any, analyzer: Analyzer | None,
                 terms: Sequence[str] | Callable[[], tuple[Sequence[str], Sequence[str]]],
                 phrases: Sequence[str]) -> None:
        self.reader = reader
        self.analyzer = analyzer
        self._terms: Any = terms if callable(terms) else tuple(terms)
        self._phrases: tuple[str, ...] = tuple(phrases)
        self._highlighter: Any = None

    @property
    def terms(self) -> tuple[str, ...]:
        if callable(self._terms):  # computed on first use (a search that only reads ids never does)
            terms, phrases = self._terms()
            self._terms, self._phrases = tuple(terms), tuple(phrases)
        return self._terms  # type: ignore[no-any-return]

    @property
    def phrases(self) -> tuple[str, ...]:
        self.terms  # noqa: B018 (computes both)
        return self._phrases

    def load_fields(self, hit: Hit) -> dict[str, Any]:
        reader = self.reader
        if getattr(reader, "closed", False):
            from searchlib.errors import SearchlibError

            raise SearchlibError(
                f"cannot read the stored fields of {hit.id!r}: the index reader this search ran on was closed; "
                "read hit.fields before closing it"
            )
        seg, local = hit.address  # type: ignore[misc]
        return reader.segments[seg].stored(local)

    @property
    def highlighter(self) -> Any:
        if self._highlighter is None:
            from searchlib.highlight.highlighter import Highlighter

            self._highlighter = Highlighter(self.analyzer, self.terms, self.phrases)
        return self._highlighter
