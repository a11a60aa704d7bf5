"""Field values in queries and filters: ``source:新华社``, ``date:2024-04``, ``views:>1000``,
``date:[2024-01-01 TO 2024-03-31]``, ``{"date": {"gte": "2024-01-01"}}`` → filter AST nodes.

Dates are ranges of their precision: ``2024`` is the whole year, ``2024-04`` the month,
``2024-04-19`` the day, ``2024-04-19T10:30`` the minute; so ``date:2024-04-19`` matches that
whole day, ``date:>=2024-04`` starts with April 1, ``date:<=2024-04`` ends with April 30, and a
range ``[a TO b]`` runs from the start of ``a`` to the end of ``b`` (``{a TO b}`` from the end of
``a`` to the start of ``b``). ``now`` and ``now-7d`` (units ``s m h d w M y``) are relative to the
current time. Column values of dates are seconds since the epoch, UTC.
"""
from __future__ import annotations

import calendar
import datetime as _dt
import functools
import math
import re
import time
from collections.abc import Mapping
from typing import Any

from searchlib.errors import QueryError
from searchlib.query.ast import BooleanQuery, FieldFilter, QueryNode, RangeFilter

__all__ = ["FILTERABLE_KINDS", "date_span", "field_filter", "filter_nodes", "intersect", "parse_filter_args", "range_node"]

FILTERABLE_KINDS = ("keyword", "date", "int", "float", "id")

_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\Z")
_NOW = re.compile(r"now(?:\s*([+-])\s*(\d{1,9})\s*([smhdwMy]))?\Z")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)


def _seconds(d: _dt.datetime) -> int:
    if d.tzinfo is None:
        d = d.replace(tzinfo=_dt.timezone.utc)
    return int((d - _EPOCH).total_seconds() // 1)


def _add_months(d: _dt.datetime, months: int) -> _dt.datetime:
    month0 = d.year * 12 + d.month - 1 + months
    year, month = divmod(month0, 12)
    if not 1 <= year <= 9999:
        raise ValueError("date out of range")
    day = min(d.day, calendar.monthrange(year, month + 1)[1])
    return d.replace(year=year, month=month + 1, day=day)


def date_span(text: str, now: float | None = None) -> tuple[int, int]:
    """``[start, end)`` in seconds of a date written with any precision (or ``now±N unit``);
    ValueError when it is not a date."""
    t = text.strip()
    m = _NOW.match(t)
    if not m:
        return _absolute_span(t)
    base = int(time.time() if now is None else now)
    if not m.group(1):
        return base, base + 1
    n = int(m.group(2)) * (1 if m.group(1) == "+" else -1)
    unit = m.group(3)
    if unit in _UNIT_SECONDS:
        at = base + n * _UNIT_SECONDS[unit]
    else:
        d = _dt.datetime.fromtimestamp(base, tz=_dt.timezone.utc)
        at = _seconds(_add_months(d, n * (12 if unit == "y" else 1)))
    return at, at + 1


@functools.lru_cache(maxsize=1024)
def _absolute_span(t: str) -> tuple[int, int]:
    """:func:`date_span` of a written date (not ``now``): a pure function of the text, cached
    (a searcher paging with one filter parses the same bounds again and again)."""
    m = _PARTIAL_DATE.match(t)
    if m:
        year = int(m.group(1))
        if m.group(3):
            day = _dt.datetime(year, int(m.group(2)), int(m.group(3)))
            return _seconds(day), _seconds(day) + 86400
        if m.group(2):
            start = _dt.datetime(year, int(m.group(2)), 1)
            return _seconds(start), _seconds(_add_months(start, 1))
        start = _dt.datetime(year, 1, 1)
        return _seconds(start), _seconds(start.replace(year=year + 1)) if year < 9999 else _seconds(start) + 366 * 86400
    if len(t) > 64:
        raise ValueError("too long")
    if t.endswith(("Z", "z")):
        t = t[:-1] + "+00:00"
    try:
        d = _dt.datetime.fromisoformat(t.replace(" ", "T", 1))
    except ValueError:
        raise ValueError(f"{t!r} is not a date: write 2024-04-19, 2024-04, 2024, 2024-04-19T10:30+08:00 "
                         "or now-7d") from None
    if not (t[:4].isdigit() and len(t) >= 13):
        raise ValueError("not an ISO 8601 date-time")
    start = _seconds(d)
    # precision of what was written: minutes ("T10:30") or seconds
    step = 60 if re.fullmatch(r".*T\d{1,2}:\d{2}(?:[+-]\d{2}:?\d{2})?", t.replace(" ", "T", 1)) else 1
    return start, start + step


def _date_value(value: Any) -> tuple[int, int]:
    if isinstance(value, _dt.datetime):
        s = _seconds(value)
        return s, s + 1
    if isinstance(value, _dt.date):
        s = _seconds(_dt.datetime(value.year, value.month, value.day))
        return s, s + 86400
    if isinstance(value, str):
        return date_span(value)
    raise ValueError(f"not a date: {value!r}")


def _number(kind: str, value: Any) -> int | float:
    if isinstance(value, bool):
        raise ValueError("not a number")
    if isinstance(value, str):
        text = value.strip().replace(",", "") if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?", value.strip()) else value.strip()
        value = float(text) if kind == "float" or re.search(r"[.eE]", text) else int(text)
    if not isinstance(value, (int, float)) or (isinstance(value, float) and not math.isfinite(value)):
        raise ValueError("not a finite number")
    return value


def _span(kind: str, value: Any) -> tuple[Any, Any]:
    """``[lo, hi)`` of one value: a date's whole span, a number itself (hi None: equal)."""
    if kind == "date":
        return _date_value(value)
    return _number(kind, value), None


def range_node(field: str, kind: str, op: str, value: Any, label: str = "") -> RangeFilter:
    """``field op value`` (op: ``=`` ``>`` ``>=`` ``<`` ``<=``) as a range filter."""
    lo, hi = _span(kind, value)
    if kind != "date":  # numbers: a point
        if op == "=":
            return RangeFilter(field, lo, lo, True, True, label)
        return RangeFilter(field, lo if op[0] == ">" else None, lo if op[0] == "<" else None,
                           op == ">=", op == "<=", label)
    if op == "=":
        return RangeFilter(field, lo, hi, True, False, label)
    if op == ">=":
        return RangeFilter(field, lo, None, True, False, label)
    if op == ">":
        return RangeFilter(field, hi, None, True, False, label)
    if op == "<":
        return RangeFilter(field, None, lo, True, False, label)
    return RangeFilter(field, None, hi, True, False, label)  # "<=": up to the end of the span


def between(field: str, kind: str, lo: Any, lo_inclusive: bool, hi: Any, hi_inclusive: bool, label: str = "") -> RangeFilter:
    """``[lo TO hi]``-style range; None bounds are open."""
    lo_v: Any = None
    hi_v: Any = None
    lo_inc = hi_inc = True
    if lo is not None:
        a, b = _span(kind, lo)
        if kind == "date":
            lo_v, lo_inc = (a, True) if lo_inclusive else (b, True)
        else:
            lo_v, lo_inc = a, lo_inclusive
    if hi is not None:
        a, b = _span(kind, hi)
        if kind == "date":
            hi_v, hi_inc = (b, False) if hi_inclusive else (a, False)
        else:
            hi_v, hi_inc = a, hi_inclusive
    return RangeFilter(field, lo_v, hi_v, lo_inc, hi_inc, label)


def intersect(parts: list[RangeFilter]) -> RangeFilter:
    """The bounds of several ranges of one field as one range (one column pass per segment, not
    one per bound)."""
    if len(parts) == 1:
        return parts[0]
    lo: Any = None
    hi: Any = None
    lo_inc = hi_inc = True
    for p in parts:
        if p.lo is not None and (lo is None or p.lo > lo or (p.lo == lo and not p.lo_inclusive)):
            lo, lo_inc = p.lo, p.lo_inclusive
        if p.hi is not None and (hi is None or p.hi < hi or (p.hi == hi and not p.hi_inclusive)):
            hi, hi_inc = p.hi, p.hi_inclusive
    return RangeFilter(parts[0].field, lo, hi, lo_inc, hi_inc)


def field_filter(field: str, kind: str, value: Any) -> QueryNode:
    """One value of a filter: a keyword/id value, or a date/number (its whole span)."""
    if kind in ("keyword", "id"):
        if not isinstance(value, str):
            raise ValueError(f"{kind} values are strings, got {value!r}")
        return FieldFilter(field, (value,))
    return range_node(field, kind, "=", value)


_OPS = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}


def filter_nodes(schema: Any, filt: Mapping[str, Any], cache: dict[Any, Any] | None = None) -> list[QueryNode]:
    """The filter dict of ``search(filter=...)`` as filter nodes (one per field, combined with AND).

    ``{"source": "新华社"}`` (a list means any of), ``{"date": {"gte": ..., "lt": ...}}`` with
    ``gt/gte/lt/lte`` for dates and numbers, ``{"id": [...]}``. Raises :class:`QueryError` naming
    the field or the value that cannot be used. ``cache``: a dict kept with ``schema`` (one per
    snapshot) where the nodes of a filter written with constant values are remembered (a
    searcher paging or refining with one filter gives it again and again; nodes are immutable);
    one with a relative date (``now-7d``) is built each time."""
    key = _filter_key(filt) if cache is not None else None
    if key is not None:
        got = cache.get(key)  # type: ignore[union-attr]
        if got is not None:
            return list(got)
    nodes = _filter_nodes(schema, filt)
    if key is not None and cache is not None:
        if len(cache) >= 256:
            cache.clear()
        cache[key] = tuple(nodes)
    return nodes


def _filter_key(filt: Mapping[str, Any]) -> tuple[Any, ...] | None:
    """A hashable copy of ``filt``, or None where it has a relative date (``now``) or a value
    that cannot be a key."""
    parts: list[Any] = []
    for name, spec in filt.items():
        if type(spec) is dict:
            values = tuple(spec.values())
            spec = ("range", tuple(spec), values)
        elif type(spec) in (list, tuple):
            values = spec = tuple(spec)
        else:
            values = (spec,)
        for v in values:
            if type(v) is str:
                if "now" in v.lower():
                    return None
            elif type(v) not in (int, float, _dt.date, _dt.datetime):
                return None  # (anything else is built each time: a set, a mapping of another type...)
        parts.append((name, spec))
    return tuple(parts)


def _filter_nodes(schema: Any, filt: Mapping[str, Any]) -> list[QueryNode]:
    nodes: list[QueryNode] = []
    for name, spec in filt.items():
        kind = field_kind(schema, name)
        try:
            if isinstance(spec, Mapping):
                if kind not in ("date", "int", "float"):
                    raise ValueError(f"ranges (gt/gte/lt/lte) need a date, int or float field; {name!r} is {kind}")
                unknown = [k for k in spec if k not in _OPS]
                if unknown or not spec:
                    raise ValueError(f"a range takes gt, gte, lt, lte, got {sorted(map(str, spec)) or 'nothing'}")
                nodes.append(intersect([range_node(name, kind, _OPS[op], v) for op, v in spec.items()]))
                continue
            values = list(spec) if isinstance(spec, (list, tuple, set, frozenset)) else [spec]
            if not values:
                raise ValueError("an empty list matches nothing; leave the field out instead")
            if kind in ("keyword", "id"):
                if not all(isinstance(v, str) for v in values):
                    raise ValueError(f"{name!r} is a {kind} field: give strings")
                nodes.append(FieldFilter(name, tuple(dict.fromkeys(values))))
            else:
                parts = [field_filter(name, kind, v) for v in values]
                nodes.append(parts[0] if len(parts) == 1 else BooleanQuery(should=tuple(parts)))
        except (ValueError, OverflowError) as exc:
            raise QueryError(f"filter on {name!r}: {exc}") from None
    return nodes


def field_kind(schema: Any, name: str) -> str:
    """The kind of a field a filter or a ``field:`` clause names, or :class:`QueryError` listing
    the fields that can be used."""
    kind = schema.kind(name) if schema is not None else ("id" if name == "id" else None)
    if kind in FILTERABLE_KINDS:
        return kind
    kinds = getattr(schema, "kinds", {}) or {}
    usable = ", ".join(["id", *(f"{n} ({k})" for n, k in kinds.items() if k in FILTERABLE_KINDS)])
    if kind is None:
        raise QueryError(f"the index has no field {name!r}; fields: {', '.join(kinds) or 'none'}; filterable: {usable}")
    raise QueryError(f"field {name!r} is a {kind} field and cannot filter; filterable fields: {usable}"
                     + (f" (search text with {name}:word)" if kind == "text" else ""))


_ARG_RE = re.compile(r"\s*([^=<>!\s][^=<>!]*?)\s*(>=|<=|=|>|<)\s*(.*)\Z", re.S)
_ARG_OPS = {">=": "gte", "<=": "lte", ">": "gt", "<": "lt"}


def parse_filter_args(items: list[str], since: str | None = None, until: str | None = None,
                      date_field: str = "date") -> dict[str, Any]:
    """A filter dict from command-line style items: ``source=新华社`` (repeat a field for any of
    several values), ``views>=1000``, ``date<2024-05``; ``since``/``until`` bound ``date_field``
    (inclusive: ``until 2024-04`` includes April). :class:`QueryError` for an item that is not
    ``FIELD OP VALUE``."""
    out: dict[str, Any] = {}
    for item in items:
        m = _ARG_RE.match(item)
        if not m or not m.group(3).strip():
            raise QueryError(f"filter {item!r}: write FIELD=VALUE (or FIELD>=VALUE, FIELD<VALUE, ...)")
        name, op, value = m.group(1), m.group(2), m.group(3).strip()
        current = out.get(name)
        if op == "=":
            if isinstance(current, dict):
                raise QueryError(f"filter {item!r}: {name} already has a range; give values or a range, not both")
            out[name] = [*(current or []), value]
        else:
            if isinstance(current, list):
                raise QueryError(f"filter {item!r}: {name} already has values; give values or a range, not both")
            out[name] = {**(current or {}), _ARG_OPS[op]: value}
    for op, value in (("gte", since), ("lte", until)):
        if value:
            current = out.get(date_field)
            if isinstance(current, list):
                raise QueryError(f"--since/--until with {date_field}=...: give values or a range, not both")
            out[date_field] = {**(current or {}), op: value}
    return {k: (v[0] if isinstance(v, list) and len(v) == 1 else v) for k, v in out.items()}
