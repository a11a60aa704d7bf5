"""Shape checks of the JSON files of an index: every value a reader relies on, when it is read.

An index folder is untrusted (docs/SECURITY.md): ``manifest.json`` and each segment's
``meta.json`` carry CRC-32s, but a crafted file can carry correct ones. So after parsing, every
key a reader uses is checked for its type and range, every name that becomes part of a path is
checked to be one plain path component, and the cross-references between the files (the
manifest's document count against the segment's, file sizes against array counts) are checked.
A violation raises :class:`~searchlib.errors.IndexCorruptError` naming the file and the key, e.g.
``segments/seg1/meta.json: key 'doc_count' must be an integer >= 0, got 'x'``.

Keys a reader does not use are ignored (a newer writer may add some). The structure of the
binary files themselves is checked by their readers (cheap invariants at open, bounds at use)
and completely by :func:`searchlib.index.check.check_index`.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

from searchlib.errors import IndexCorruptError

__all__ = [
    "MAX_JSON_BYTES", "MAX_PROBE", "check_component", "validate_analyzer_config", "validate_keydict_params",
    "validate_manifest", "validate_schema", "validate_segment_meta", "validate_segments_agree",
]

# A manifest or segment meta larger than this is refused before it is read (a real one is a few
# KB, plus the analyzer's user words).
MAX_JSON_BYTES = 64 << 20
# Longest probe sequence a key dictionary may record (searchlib.index.termdict).
MAX_PROBE = 255
_U32 = (1 << 32) - 1
_MAX_FILE = 1 << 60
_MAX_COUNT = 1 << 40
_FIELD_KINDS = ("text", "keyword", "date", "int", "float", "stored")
_COLUMN_KINDS = {"numeric": ("length", "seq", "int", "date", "float"), "keyword": ("keyword",), "vector": None}
_MAX_VECTOR_WIDTH = 4096  # near-duplicate signatures are 64..256 wide
_ARRAY_DTYPES = ("|u1", "<u2", "<u4", "<i4", "<i8", "<u8", "<f8")
_ITEMSIZE = {"|u1": 1, "<u2": 2, "<u4": 4, "<i4": 4, "<i8": 8, "<u8": 8, "<f8": 8}
_HEX32 = re.compile(r"[0-9a-f]{32}\Z")


class _Checker:
    """Raises IndexCorruptError for ``path`` naming the offending key."""

    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, key: str, expected: str, value: Any = ...) -> IndexCorruptError:
        got = "" if value is ... else f", got {_short(value)}"
        return IndexCorruptError(
            f"{self.path}: key {key!r} must be {expected}{got} (damaged or crafted file; restore the index "
            "from a backup or rebuild it)",
            self.path,
        )

    def dict(self, d: Any, key: str) -> dict[str, Any]:
        if not isinstance(d, dict):
            raise self.fail(key, "an object", d)
        return d

    def get(self, d: dict[str, Any], key: str, prefix: str = "") -> Any:
        if key not in d:
            raise IndexCorruptError(f"{self.path}: key {prefix + key!r} is missing (damaged or crafted file)", self.path)
        return d[key]

    def int(self, value: Any, key: str, lo: int = 0, hi: int = _MAX_COUNT) -> int:
        if type(value) is not int or not lo <= value <= hi:
            raise self.fail(key, f"an integer in [{lo}, {hi}]" if hi < _MAX_COUNT else f"an integer >= {lo}", value)
        return value

    def str(self, value: Any, key: str) -> str:
        if not isinstance(value, str):
            raise self.fail(key, "a string", value)
        return value

    def bool(self, value: Any, key: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(key, "true or false", value)
        return value

    def list(self, value: Any, key: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(key, "a list", value)
        return value

    def component(self, value: Any, key: str) -> str:
        if not is_component(value):
            raise self.fail(key, "a plain file name (no path separators, no control characters, not '.' or '..')", value)
        return value


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


_BAD_CHARS = re.compile(r"[\x00-\x1f\x7f/\\]")


def is_component(name: Any) -> bool:
    """True when ``name`` can be used as ONE path component inside an index folder."""
    return (isinstance(name, str) and 0 < len(name) <= 200 and name not in (".", "..")
            and _BAD_CHARS.search(name) is None)


def check_component(name: Any, what: str) -> str:
    """``name`` when it is a plain path component, else ValueError (used when writing)."""
    if not is_component(name):
        raise ValueError(f"{what} must be a plain name (no '/', '\\\\', control characters, not '.' or '..'), got {name!r}")
    return name


# --------------------------------------------------------------------------- shared parts


def validate_analyzer_config(config: Any, path: str, key: str = "analyzer") -> dict[str, Any]:
    """The analyzer config's shape (the analyzer itself refuses names and values it does not know)."""
    c = _Checker(path)
    config = c.dict(config, key)
    c.str(c.get(config, "name", key + "."), f"{key}.name")
    c.int(c.get(config, "version", key + "."), f"{key}.version", 0, _U32)
    for flag in ("t2s", "strip_pinyin", "hmm"):
        if flag in config:
            c.bool(config[flag], f"{key}.{flag}")
    if config.get("stemmer") is not None:
        c.str(config["stemmer"], f"{key}.stemmer")
    if "user_words" in config:
        words = c.list(config["user_words"], f"{key}.user_words")
        for w in words:
            if not isinstance(w, str) or not w.strip():
                raise c.fail(f"{key}.user_words", "a list of non-empty strings", w)
    return config


def validate_schema(schema: Any, path: str) -> dict[str, Any]:
    c = _Checker(path)
    schema = c.dict(schema, "schema")
    fields = c.dict(c.get(schema, "fields", "schema."), "schema.fields")
    for name, kind in fields.items():
        if not name or "\x00" in name or "\x01" in name:
            raise c.fail("schema.fields", "field names without control characters", name)
        if kind not in _FIELD_KINDS:
            raise c.fail(f"schema.fields.{name}", f"one of {', '.join(_FIELD_KINDS)}", kind)
        if kind == "text":
            c.component(name, f"schema.fields.{name}")
    return schema


# --------------------------------------------------------------------------- manifest


def validate_manifest(data: dict[str, Any], path: str) -> dict[str, Any]:
    """Every key of a parsed ``manifest.json`` that readers and writers use."""
    c = _Checker(path)
    c.int(c.get(data, "generation"), "generation")
    c.int(c.get(data, "next_segment"), "next_segment")
    if "next_seq" in data:
        c.int(data["next_seq"], "next_seq", 0, 1 << 62)
    validate_analyzer_config(c.get(data, "analyzer"), path)
    validate_schema(c.get(data, "schema"), path)
    if "committed_at" in data and (type(data["committed_at"]) not in (int, float)):
        raise c.fail("committed_at", "a number", data["committed_at"])
    segments = c.list(c.get(data, "segments"), "segments")
    names: set[str] = set()
    for i, entry in enumerate(segments):
        key = f"segments[{i}]"
        entry = c.dict(entry, key)
        name = c.component(c.get(entry, "name", key + "."), f"{key}.name")
        if name in names:
            raise c.fail(f"{key}.name", "unique", name)
        names.add(name)
        doc_count = c.int(c.get(entry, "doc_count", key + "."), f"{key}.doc_count", 0, (1 << 31) - 1)
        c.int(c.get(entry, "meta_size", key + "."), f"{key}.meta_size", 1, MAX_JSON_BYTES)
        c.int(c.get(entry, "meta_crc32", key + "."), f"{key}.meta_crc32", 0, _U32)
        deletes = entry.get("deletes")
        if deletes is not None:
            dk = f"{key}.deletes"
            deletes = c.dict(deletes, dk)
            file = c.component(c.get(deletes, "file", dk + "."), f"{dk}.file")
            if not file.startswith("del-") or file == "meta.json":
                raise c.fail(f"{dk}.file", "a deletion bitmap name (del-...)", file)
            c.int(c.get(deletes, "count", dk + "."), f"{dk}.count", 0, doc_count)
            c.int(c.get(deletes, "size", dk + "."), f"{dk}.size", (doc_count + 7) // 8, (doc_count + 7) // 8)
            c.int(c.get(deletes, "crc32", dk + "."), f"{dk}.crc32", 0, _U32)
    return data


# --------------------------------------------------------------------------- segment meta


def validate_keydict_params(params: Any, path: str, key: str, count: int, slots: int) -> dict[str, Any]:
    """The hash parameters of a key dictionary (:mod:`searchlib.index.termdict`)."""
    c = _Checker(path)
    params = c.dict(params, key)
    kind = c.get(params, "hash", key + ".")
    if kind == "crc32":
        pass
    elif kind == "blake2b":
        k = c.get(params, "key", key + ".")
        if not isinstance(k, str) or not _HEX32.match(k):
            raise c.fail(f"{key}.key", "32 lower-case hex digits", k)
    else:
        raise c.fail(f"{key}.hash", "'crc32' or 'blake2b'", kind)
    c.int(c.get(params, "max_probe", key + "."), f"{key}.max_probe", 0, min(MAX_PROBE, max(slots - 1, 0)))
    if slots < count + 1:
        raise c.fail(key, f"a hash table of more than {count} slots", slots)
    return params


def validate_segment_meta(meta: Any, path: str, entry: dict[str, Any], required_files: Iterable[str]) -> dict[str, Any]:
    """Every key of a parsed segment ``meta.json`` that readers use, and its agreement with the
    manifest ``entry``; ``required_files`` are the files the reader of this format opens (text
    fields add ``lengths.<field>``)."""
    c = _Checker(path)
    meta = c.dict(meta, "(top level)")
    name = c.get(meta, "name")
    if name != entry["name"]:
        raise c.fail("name", f"the segment's folder name {entry['name']!r} (the meta of another segment?)", name)
    doc_count = c.int(c.get(meta, "doc_count"), "doc_count", 0, (1 << 31) - 1)
    if doc_count != entry["doc_count"]:
        raise c.fail("doc_count", f"{entry['doc_count']}, the document count the manifest records", doc_count)
    c.int(c.get(meta, "term_count"), "term_count", 0, (1 << 32) - 2)
    created = meta.get("created_at", 0.0)  # a cache key of per-segment data (near-duplicate clusters)
    if type(created) not in (int, float) or not math.isfinite(created):
        raise c.fail("created_at", "a time in seconds", created)
    c.int(c.get(meta, "posting_count"), "posting_count")
    c.int(c.get(meta, "occurrence_count"), "occurrence_count")
    if "analyzer" in meta:
        validate_analyzer_config(meta["analyzer"], path)
    text_fields = c.list(c.get(meta, "text_fields"), "text_fields")
    for f in text_fields:
        c.component(f, "text_fields")
        if "\x01" in f:
            raise c.fail("text_fields", "names without control characters", f)
    if len(set(text_fields)) != len(text_fields):
        raise c.fail("text_fields", "a list of distinct names", text_fields)
    fields = c.list(c.get(meta, "fields"), "fields")
    for f in fields:
        c.str(f, "fields")
    totals = c.dict(c.get(meta, "field_length_totals"), "field_length_totals")
    for f in text_fields:
        c.int(c.get(totals, f, "field_length_totals."), f"field_length_totals.{f}", 0, doc_count * ((1 << 31) - 1))
    files = c.dict(c.get(meta, "files"), "files")
    for fname, fentry in files.items():
        c.component(fname, "files")
        key = f"files.{fname}"
        fentry = c.dict(fentry, key)
        size = c.int(c.get(fentry, "size", key + "."), f"{key}.size", 0, _MAX_FILE)
        c.int(c.get(fentry, "crc32", key + "."), f"{key}.crc32", 0, _U32)
        if "dtype" in fentry or "count" in fentry:
            dtype = c.get(fentry, "dtype", key + ".")
            if dtype not in _ARRAY_DTYPES:
                raise c.fail(f"{key}.dtype", f"one of {', '.join(_ARRAY_DTYPES)}", dtype)
            count = c.int(c.get(fentry, "count", key + "."), f"{key}.count", 0, _MAX_FILE)
            if count * _ITEMSIZE[dtype] != size:
                raise c.fail(f"{key}.count", f"{size} bytes / {_ITEMSIZE[dtype]} per item", count)
    if "columns" in meta:
        columns = validate_columns(meta["columns"], files, path)
        for f in text_fields:
            c.get(columns, "_len." + f, "columns.")
        required = list(required_files)
    else:  # segments written before columns: field lengths were plain arrays
        required = [*required_files, *(f"lengths.{f}" for f in text_fields)]
    for fname in required:
        c.get(files, fname, "files.")
    return meta


def validate_columns(columns: Any, files: dict[str, Any], path: str) -> dict[str, Any]:
    """The ``columns`` entry of a segment meta (:mod:`searchlib.index.columns`): kinds, types,
    numbers, and files that the meta lists (the column readers check the arrays' lengths)."""
    c = _Checker(path)
    columns = c.dict(columns, "columns")
    for name, entry in columns.items():
        key = f"columns.{name}"
        if not name or "\x00" in name:
            raise c.fail("columns", "column names without NUL", name)
        entry = c.dict(entry, key)
        kind = c.get(entry, "kind", key + ".")
        if type(kind) is not str or kind not in _COLUMN_KINDS:  # str first: a list is not hashable
            raise c.fail(f"{key}.kind", f"one of {', '.join(_COLUMN_KINDS)}", kind)
        types = _COLUMN_KINDS[kind]
        type_ = c.str(c.get(entry, "type", key + "."), f"{key}.type")
        if types is not None and type_ not in types:
            raise c.fail(f"{key}.type", f"one of {', '.join(types)}", type_)
        cfiles = c.list(c.get(entry, "files", key + "."), f"{key}.files")
        for fname in cfiles:
            c.component(fname, f"{key}.files")  # strings first: the distinctness check hashes them
        if not cfiles or len(set(cfiles)) != len(cfiles):
            raise c.fail(f"{key}.files", "a list of distinct file names", cfiles)
        for fname in cfiles:
            if fname not in files:
                raise c.fail(f"{key}.files", "files listed in 'files'", fname)
        if kind == "numeric":
            base = entry.get("base", 0)
            if type_ == "float" and (type(base) is not int or base != 0):
                raise c.fail(f"{key}.base", "0 (floats are stored as they are)", base)
            if type(base) is not int or not -(1 << 63) <= base < 1 << 63:
                raise c.fail(f"{key}.base", "a 64-bit integer", base)
            missing = entry.get("missing")
            if missing is not None and (type(missing) is not int or missing < -(1 << 63) or missing >= 1 << 64):
                raise c.fail(f"{key}.missing", "an integer or null", missing)
            if len(cfiles) != 1:
                raise c.fail(f"{key}.files", "one file", list(cfiles))
        elif kind == "keyword":
            multi = c.bool(c.get(entry, "multi", key + "."), f"{key}.multi")
            stems = {f.split(".", 1)[0] for f in cfiles}
            parts = {f.split(".", 1)[1] if "." in f else "" for f in cfiles}
            want = {"dict", "dictoff", "ords"} | ({"docoff"} if multi else set())
            if len(stems) != 1 or parts != want:
                raise c.fail(f"{key}.files", f"the files {sorted(want)} of one column", sorted(cfiles))
            missing = entry.get("missing")
            if missing is not None and (type(missing) is not int or not 0 <= missing < 1 << 32):
                raise c.fail(f"{key}.missing", "an integer or null", missing)
        else:  # vector
            c.int(c.get(entry, "width", key + "."), f"{key}.width", 1, _MAX_VECTOR_WIDTH)
            missing = c.bool(c.get(entry, "missing", key + "."), f"{key}.missing")
            stems = {f.split(".", 1)[0] for f in cfiles}
            parts = {f.split(".", 1)[1] if "." in f else "" for f in cfiles}
            want = {"values"} | ({"missing"} if missing else set())
            if len(stems) != 1 or parts != want:
                raise c.fail(f"{key}.files", f"the files {sorted(want)} of one column", sorted(cfiles))
    return columns


def validate_segments_agree(manifest: dict[str, Any], metas: list[tuple[str, dict[str, Any]]]) -> None:
    """Every segment was built with the index's analyzer and text fields (``metas``: path and meta
    of each segment): a manifest that disagrees with its segments was edited, not written."""
    analyzer = manifest["analyzer"]
    text_fields = [n for n, k in manifest["schema"]["fields"].items() if k == "text"]
    for path, meta in metas:
        if "analyzer" in meta and meta["analyzer"] != analyzer:
            raise _Checker(path).fail("analyzer", "the analyzer the manifest records (the segment was built with another)",
                                      meta["analyzer"])
        # a text field added after the segment was written is absent from it (searched as empty)
        if not set(meta["text_fields"]) <= set(text_fields):
            raise _Checker(path).fail("text_fields", f"text fields of the manifest's {text_fields}", meta["text_fields"])
        # fields are added, never removed or changed: a column of a field the manifest lacks, or of
        # another kind, means an edited manifest
        fields = manifest["schema"]["fields"]
        for name, entry in (meta.get("columns") or {}).items():
            if name.startswith("_"):
                continue  # the index's own columns (lengths, sequence numbers, signatures)
            if fields.get(name) != entry.get("type"):
                raise _Checker(path).fail(f"columns.{name}", f"a column of a {entry.get('type')} field the manifest "
                                          f"declares (it says {fields.get(name)!r})", name)
