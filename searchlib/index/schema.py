"""The index schema: which document fields are analyzed, which are exact-match keywords.

Every document has a unique string ``id``. Fields are of three kinds:

* ``text``: analyzed with the index's analyzer (words, sub-words and Han unigrams with unit
  positions), stored, and given a per-document field length (BM25). Default: ``title``, ``body``.
* ``keyword``: stored, and indexed as ONE exact term (the whole value, unchanged) at position 0,
  so ``source:新华社``-style exact filters are a postings look-up. Any field a document carries
  that the schema does not declare is a keyword field (``url``, ``date``, ``source``, ...).
* ``stored``: stored only.

The schema is recorded in the manifest (``"schema"``) as ``{"fields": {name: kind}}``; the order
of text fields is part of it. Validation of documents lives here too (:func:`validate_document`).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from searchlib.errors import DocumentError
from searchlib.index.validate import check_component

__all__ = ["FIELD_KINDS", "ID_FIELD", "KEYWORD_MAX_CHARS", "MAX_DOCUMENT_CHARS", "Schema", "validate_document"]

ID_FIELD = "id"
FIELD_KINDS = ("text", "keyword", "stored")
# Longer keyword values are stored but not indexed as terms (they are not filter values).
KEYWORD_MAX_CHARS = 256
# Characters of all the fields of one document together: a stored document encodes to at most
# 6 bytes per character (JSON escapes), which readers bound (searchlib.index.store.MAX_DOC_BYTES).
MAX_DOCUMENT_CHARS = 128 << 20
# Separates the field name from the term in term-dictionary keys (field names cannot hold it).
TERM_SEP = "\x01"


class Schema:
    """Field kinds of an index. ``Schema()`` is the default: ``title`` and ``body`` are text."""

    def __init__(self, fields: Mapping[str, str] | Iterable[str] | None = None) -> None:
        kinds: dict[str, str] = {}
        if fields is None:
            kinds = {"title": "text", "body": "text"}
        elif isinstance(fields, Mapping):
            for name, kind in fields.items():
                if kind not in FIELD_KINDS:
                    raise ValueError(f"field {name!r}: kind must be one of {FIELD_KINDS}, got {kind!r}")
                kinds[_check_name(name)] = kind
        else:
            if isinstance(fields, str):
                raise ValueError("fields must be a list of text field names or a {name: kind} mapping")
            for name in fields:
                kinds[_check_name(name)] = "text"
        kinds.pop(ID_FIELD, None)
        for name, kind in kinds.items():
            if kind == "text":  # a text field has a file of its own: lengths.<name>
                check_component(name, "a text field name")
        self.kinds = kinds
        self.text_fields: tuple[str, ...] = tuple(n for n, k in kinds.items() if k == "text")
        self.stored_only: frozenset[str] = frozenset(n for n, k in kinds.items() if k == "stored")

    def kind(self, name: str) -> str:
        """``text``, ``keyword`` or ``stored``; undeclared fields are keywords, ``id`` is ``id``."""
        if name == ID_FIELD:
            return "id"
        return self.kinds.get(name, "keyword")

    def to_json(self) -> dict[str, Any]:
        return {"fields": dict(self.kinds)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Schema:
        return cls(dict(data["fields"]))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Schema) and self.kinds == other.kinds

    def __repr__(self) -> str:
        return f"Schema({self.kinds})"


def _check_name(name: object) -> str:
    if not isinstance(name, str) or not name or TERM_SEP in name or "\x00" in name:
        raise ValueError(f"field name must be a non-empty string without control characters, got {name!r}")
    return name


def validate_document(doc: object) -> dict[str, str]:
    """Return ``doc`` as a plain dict of str → str, or raise :class:`DocumentError` saying why."""
    if type(doc) is not dict and not isinstance(doc, Mapping):  # the ABC check is slow: plain dicts skip it
        raise DocumentError(f"a document must be a dict of field name → string, got {type(doc).__name__}")
    doc_id = doc.get(ID_FIELD)
    if doc_id is None:
        raise DocumentError("document has no 'id' field; every document needs a unique string id")
    if not isinstance(doc_id, str) or not doc_id.strip():
        raise DocumentError(f"document id must be a non-empty string, got {doc_id!r}")
    if "\x00" in doc_id:
        raise DocumentError(f"document id {doc_id!r} contains a NUL character")
    out: dict[str, str] = {}
    chars = 0
    for name, value in doc.items():
        if not isinstance(name, str) or not name or "\x00" in name or TERM_SEP in name:
            raise DocumentError(f"document {doc_id!r}: bad field name {name!r} (non-empty string, no control characters)")
        if not isinstance(value, str):
            raise DocumentError(
                f"document {doc_id!r}: field {name!r} must be a string, got {type(value).__name__}"
                " (convert numbers and dates to strings; leave absent fields out)"
            )
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise DocumentError(
                f"document {doc_id!r}: field {name!r} is not valid Unicode (lone surrogate at character {exc.start})"
            ) from None
        chars += len(value) + len(name)
        out[name] = value
    if chars > MAX_DOCUMENT_CHARS:
        raise DocumentError(f"document {doc_id!r} has {chars:,} characters, more than the {MAX_DOCUMENT_CHARS:,} "
                            "one document may have; split it")
    return out
