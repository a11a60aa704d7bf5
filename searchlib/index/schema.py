"""The index schema: the kind of every field, and turning documents into typed values.

Every document has a unique string ``id``. Field kinds:

* ``text``: analyzed (words, sub-words and Han unigrams with unit positions), stored, with a
  per-document length column (BM25). Default: ``title``, ``body``.
* ``keyword``: one string or a list of strings (tags); stored as given, indexed as exact terms
  (values up to :data:`KEYWORD_MAX_CHARS`) and as an ordinal column (filters, sorting, facets,
  collapsing).
* ``date``: a date or date-time (``datetime.date``, ``datetime.datetime`` or an ISO 8601 string);
  stored as an ISO string (``2024-04-19``, ``2024-04-19T10:30:00+08:00``), a column of seconds
  since the epoch (UTC; a value without an offset is taken as UTC).
* ``int`` / ``float``: numbers (native, or strings that parse); stored as numbers, a column.
* ``stored``: stored only (any JSON value).

:data:`NEWS_FIELDS` is the default schema of a new index. A field a document carries that the
schema does not declare gets a kind from its value (a string or list of strings: keyword; an int:
int; a float: float; a date: date; anything else: stored) and joins the schema at the next commit;
a field's kind never changes. Names starting with ``_`` are reserved for internal columns.

The schema is recorded in the manifest (``"schema"``) as ``{"fields": {name: kind}}``; the order
of text fields is part of it.
"""
from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from searchlib.errors import DocumentError, SchemaError
from searchlib.index.validate import check_component

__all__ = [
    "COLUMN_KINDS", "FIELD_KINDS", "ID_FIELD", "KEYWORD_MAX_CHARS", "MAX_DOCUMENT_CHARS", "NEWS_FIELDS", "Schema",
    "column_restores", "date_seconds", "parse_date", "seconds_date", "validate_document",
]

ID_FIELD = "id"
FIELD_KINDS = ("text", "keyword", "date", "int", "float", "stored")
COLUMN_KINDS = ("keyword", "date", "int", "float")
NEWS_FIELDS: Mapping[str, str] = {
    "title": "text", "body": "text", "source": "keyword", "author": "keyword", "editor": "keyword",
    "section": "keyword", "lang": "keyword", "url": "keyword", "date": "date",
}
# Longer keyword values are stored and kept in the column, but not indexed as terms.
KEYWORD_MAX_CHARS = 256
# Characters of all the fields of one document together: a stored document encodes to at most
# 6 bytes per character (JSON escapes), which readers bound (searchlib.index.store.MAX_DOC_BYTES).
MAX_DOCUMENT_CHARS = 128 << 20
# Separates the field name from the term in term-dictionary keys (field names cannot hold it).
TERM_SEP = "\x01"
INT_MIN, INT_MAX = -(1 << 63), (1 << 63) - 1
LENGTH_COLUMN = "_len."  # + text field name: its field lengths
SEQ_COLUMN = "_seq"  # document sequence number (insertion order, stable across merges)


class Schema:
    """Field kinds of an index. ``Schema()`` is the news default (:data:`NEWS_FIELDS`)."""

    def __init__(self, fields: Mapping[str, str] | Iterable[str] | None = None) -> None:
        kinds: dict[str, str] = {}
        if fields is None:
            kinds = dict(NEWS_FIELDS)
        elif isinstance(fields, Mapping):
            for name, kind in fields.items():
                if kind not in FIELD_KINDS:
                    raise SchemaError(f"field {name!r}: kind must be one of {', '.join(FIELD_KINDS)}, got {kind!r}")
                kinds[check_name(name)] = kind
        else:
            if isinstance(fields, str):
                raise SchemaError("fields must be a list of text field names or a {name: kind} mapping")
            for name in fields:
                kinds[check_name(name)] = "text"
        if ID_FIELD in kinds:
            raise SchemaError(f"{ID_FIELD!r} is every document's id (a string), not a field to declare")
        for name, kind in kinds.items():
            if kind == "text":  # segment metas list text fields; they are checked as plain names
                try:
                    check_component(name, "a text field name")
                except ValueError as exc:
                    raise SchemaError(str(exc)) from None
        self.kinds = kinds
        self.text_fields: tuple[str, ...] = tuple(n for n, k in kinds.items() if k == "text")

    def kind(self, name: str) -> str | None:
        """The kind of ``name`` (``id`` for the id field), or None when it is not declared."""
        if name == ID_FIELD:
            return "id"
        return self.kinds.get(name)

    def with_fields(self, fields: Mapping[str, str]) -> Schema:
        """This schema plus ``fields``; a field that exists with another kind is refused."""
        out = dict(self.kinds)
        for name, kind in Schema(fields).kinds.items():
            old = out.get(name)
            if old is not None and old != kind:
                raise SchemaError(f"field {name!r} is {_a(old)} field of this index; its kind cannot change to {kind} "
                                  "(use a new field name, or rebuild the index)")
            out[name] = kind
        return Schema(out)

    def normalize(self, doc: object) -> tuple[dict[str, Any], dict[str, str]]:
        """``(stored document, new fields)``: ``doc`` with every value checked and converted for
        its field's kind, and the kinds of the fields it adds to the schema. Raises
        :class:`DocumentError` naming the field and the value that does not fit."""
        if type(doc) is not dict and not isinstance(doc, Mapping):  # the ABC check is slow: plain dicts skip it
            raise DocumentError(f"a document must be a dict of field name → value, got {type(doc).__name__}")
        doc_id = _check_id(doc.get(ID_FIELD))
        out: dict[str, Any] = {}
        added: dict[str, str] = {}
        kinds = self.kinds
        chars = len(doc_id)
        for name, value in doc.items():
            if name == ID_FIELD:
                out[name] = doc_id
                continue
            if not isinstance(name, str) or not name or "\x00" in name or TERM_SEP in name:
                raise DocumentError(f"document {doc_id!r}: bad field name {name!r} (non-empty string, no control characters)")
            if value is None:
                continue  # an absent value
            kind = kinds.get(name)
            if kind is None:
                if name.startswith("_"):
                    raise DocumentError(f"document {doc_id!r}: field names starting with '_' are reserved ({name!r})")
                if not _encodes(name):  # a known name was checked when its field was added
                    raise DocumentError(f"document {doc_id!r}: field name {name!r} is not valid Unicode (a lone surrogate)")
                if _CONTROL.search(name):
                    raise DocumentError(f"document {doc_id!r}: bad field name {name!r} (non-empty string, no control characters)")
                kind = added[name] = infer_kind(value)
            out[name] = convert(doc_id, name, kind, value)
            chars += len(name) + _size(value)
        if chars > MAX_DOCUMENT_CHARS:
            raise DocumentError(f"document {doc_id!r} has {chars:,} characters, more than the {MAX_DOCUMENT_CHARS:,} "
                                "one document may have; split it")
        return out, added

    def to_json(self) -> dict[str, Any]:
        return {"fields": dict(self.kinds)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Schema:
        return cls(dict(data["fields"]))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Schema) and self.kinds == other.kinds

    def __repr__(self) -> str:
        return f"Schema({self.kinds})"


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")  # line breaks and escapes: never in a field name


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_name(name: object) -> str:
    if not isinstance(name, str) or not name or TERM_SEP in name or _CONTROL.search(name) or not _encodes(name):
        raise SchemaError(f"field name must be a non-empty string without control characters, got {name!r}")
    if name.startswith("_"):
        raise SchemaError(f"field names starting with '_' are reserved, got {name!r}")
    return name


def _check_id(doc_id: object) -> str:
    if doc_id is None:
        raise DocumentError("document has no 'id' field; every document needs a unique string id")
    if not isinstance(doc_id, str) or not doc_id.strip():
        raise DocumentError(f"document id must be a non-empty string, got {doc_id!r}")
    if "\x00" in doc_id:
        raise DocumentError(f"document id {doc_id!r} contains a NUL character")
    _check_text(doc_id, doc_id, ID_FIELD)
    return doc_id


def _check_text(doc_id: str, value: str, name: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise DocumentError(
            f"document {doc_id!r}: field {name!r} is not valid Unicode (lone surrogate at character {exc.start})"
        ) from None
    return value


def infer_kind(value: object) -> str:
    """The kind an undeclared field gets from its first value."""
    if isinstance(value, str) or (isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value)):
        return "keyword"
    if isinstance(value, bool):
        return "stored"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, (_dt.date, _dt.datetime)):
        return "date"
    return "stored"


def _size(value: object) -> int:
    """Characters a value stores (strings and lists of strings; numbers count as a few)."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, (list, tuple)):
        return sum(_size(v) for v in value) + len(value)
    if isinstance(value, Mapping):
        return sum(len(str(k)) + _size(v) for k, v in value.items())
    return 8


def _a(kind: str) -> str:
    return ("an " if kind[0] in "aeiou" else "a ") + kind


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def convert(doc_id: str, name: str, kind: str, value: object) -> Any:
    """``value`` as the stored value of a ``kind`` field, or :class:`DocumentError`."""
    def bad(expected: str) -> DocumentError:
        return DocumentError(f"document {doc_id!r}: field {name!r} is {_a(kind)} field and needs {expected}, got {_show(value)}")

    if kind == "text":
        if not isinstance(value, str):
            raise bad("a string")
        return _check_text(doc_id, value, name)
    if kind == "keyword":
        if isinstance(value, str):
            return _check_text(doc_id, value, name)
        if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
            return [_check_text(doc_id, v, name) for v in dict.fromkeys(value)]
        raise bad("a string or a list of strings")
    if kind == "date":
        try:
            moment = parse_date(value)
            if moment.year in (1, 9999):  # its UTC moment must be a date too (9999-12-31T23:00-12:00 is not)
                seconds_date(date_seconds(moment))
            return format_date(moment)
        except (TypeError, ValueError, OverflowError):
            raise bad("a date (datetime.date, datetime.datetime or an ISO 8601 string such as 2024-04-19) "
                      "between the years 1 and 9999") from None
    if kind == "int":
        if isinstance(value, bool):
            raise bad("an integer")
        if isinstance(value, str):
            text = value.strip()
            if not re.fullmatch(r"[+-]?[0-9]{1,19}", text):  # int() would also take "1_000" and " ١٢ "
                raise bad("an integer")
            value = int(text)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if not isinstance(value, int) or not INT_MIN <= value <= INT_MAX:
            raise bad("a 64-bit integer")
        return value
    if kind == "float":
        if isinstance(value, bool):
            raise bad("a number")
        if isinstance(value, str):
            try:
                value = float(value.strip())
            except ValueError:
                raise bad("a number") from None
        try:
            number = float(value) if isinstance(value, (int, float)) else math.nan
        except OverflowError:  # an integer of hundreds of digits
            number = math.inf
        if not math.isfinite(number):
            raise bad("a finite number")
        return number
    if kind == "stored":
        _check_json(doc_id, name, value)
        return value
    raise DocumentError(f"document {doc_id!r}: field {name!r} has an unknown kind {kind!r}")


def _check_json(doc_id: str, name: str, value: object, depth: int = 0) -> None:
    if depth > 32:
        raise DocumentError(f"document {doc_id!r}: field {name!r} is nested too deeply")
    if value is None or isinstance(value, (bool, int)):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise DocumentError(f"document {doc_id!r}: field {name!r} holds a non-finite number")
        return
    if isinstance(value, str):
        _check_text(doc_id, value, name)
        return
    if isinstance(value, (list, tuple)):
        for v in value:
            _check_json(doc_id, name, v, depth + 1)
        return
    if isinstance(value, Mapping):
        for k, v in value.items():
            if not isinstance(k, str):
                raise DocumentError(f"document {doc_id!r}: field {name!r} holds a mapping with a non-string key")
            _check_json(doc_id, name, v, depth + 1)
        return
    raise DocumentError(f"document {doc_id!r}: field {name!r} holds a {type(value).__name__}, which cannot be stored "
                        "(use strings, numbers, lists or dicts)")


# --------------------------------------------------------------------------- dates

_DATE_RE = re.compile(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?\Z")
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)


def parse_date(value: object) -> _dt.date | _dt.datetime:
    """A date or datetime from a native value or an ISO 8601 string (``2024-04-19``,
    ``2024-04-19T10:30``, ``2024-04-19 10:30:00+08:00``, ``...Z``); ValueError otherwise."""
    if isinstance(value, _dt.datetime):
        return value
    if isinstance(value, _dt.date):
        return value
    if not isinstance(value, str):
        raise TypeError(f"not a date: {value!r}")
    text = value.strip()
    if len(text) > 64:
        raise ValueError("date string too long")
    m = _DATE_RE.match(text)
    if m and m.group(3):
        return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    out = _dt.datetime.fromisoformat(text)
    if not (text[:4].isdigit() and len(text) >= 10):
        raise ValueError(f"not an ISO 8601 date: {value!r}")
    return out


def format_date(d: _dt.date | _dt.datetime) -> str:
    if isinstance(d, _dt.datetime):
        return d.isoformat(timespec="seconds" if not d.microsecond else "microseconds")
    return d.isoformat()


_NAIVE_EPOCH = _dt.datetime(1970, 1, 1)
_DAY = 86400


def seconds_date(seconds: int) -> str:
    """The date a date column's ``seconds`` stand for, as stored: ``2024-04-19`` at midnight,
    else ``2024-04-19T10:30:00`` (UTC, no offset). ValueError when out of datetime's range."""
    try:
        moment = _NAIVE_EPOCH + _dt.timedelta(seconds=int(seconds))
    except OverflowError:
        raise ValueError(f"{seconds} seconds is out of the date range") from None
    return moment.date().isoformat() if seconds % _DAY == 0 else moment.isoformat(timespec="seconds")


def column_restores(kind: str, value: Any, seconds: int | None = None) -> bool:
    """Whether the column of a ``kind`` field gives back the stored ``value`` exactly, so the
    stored document can leave it out (segment format 4): always for numbers (int64, float64);
    for dates when :func:`seconds_date` of its seconds is the same string (a date, or a
    date-time in whole seconds without an offset). ``seconds``: the date's column value, when
    the caller has it already."""
    if kind in ("int", "float"):
        return True
    if kind == "date":
        return seconds_date(date_seconds(value) if seconds is None else seconds) == value
    return False


def date_seconds(d: _dt.date | _dt.datetime | str) -> int:
    """Seconds since 1970-01-01 UTC (a value without a UTC offset is taken as UTC)."""
    if isinstance(d, str):
        d = parse_date(d)
    if not isinstance(d, _dt.datetime):
        d = _dt.datetime(d.year, d.month, d.day)
    if d.tzinfo is None:
        d = d.replace(tzinfo=_dt.timezone.utc)
    return int((d - _EPOCH).total_seconds() // 1)


def validate_document(doc: object, schema: Schema | None = None) -> dict[str, Any]:
    """``doc`` checked and converted against ``schema`` (default: the news schema)."""
    return (schema or Schema()).normalize(doc)[0]
