"""The shard layout of a distributed index: ``shards.json``, shard folders, routing by id.

A sharded index is a folder holding ``shards.json`` and one ordinary searchlib index folder per
shard (``shard-000/``, ``shard-001/``, ...). Every document lives in exactly one shard, chosen
by a hash of its id (:func:`shard_of`), so an update or a delete finds its shard without asking
the others. ``shards.json`` (UTF-8 JSON, replaced atomically)::

    {"format": "searchlib-shards", "format_version": 1,
     "shards": 8, "routing": "blake2b-64",        # shard = blake2b(id, 8 bytes) mod shards
     "dirs": ["shard-000", ...],                   # folder of each shard, relative to this file
     "analyzer": {...},                            # Analyzer.config(): every shard uses it
     "schema": {"fields": {...}},                  # the union of the shards' schemas
     "next_seq": 123456,                           # next global sequence number (tie-breaks)
     "updated_at": 1700000000.0}

The file is data only; it is validated on reading (a damaged or foreign file raises
:class:`~searchlib.errors.IndexCorruptError`, a missing one
:class:`~searchlib.errors.IndexNotFoundError`).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import time
from dataclasses import dataclass, replace
from typing import Any

from searchlib.errors import ArgumentError, IndexCorruptError, IndexNotFoundError, SchemaError
from searchlib.index.fsio import atomic_write
from searchlib.index.schema import Schema

__all__ = ["LAYOUT_FILE", "MAX_SHARDS", "ROUTING", "Layout", "read_layout", "shard_of", "write_layout"]

LAYOUT_FILE = "shards.json"
FORMAT = "searchlib-shards"
FORMAT_VERSION = 1
ROUTING = "blake2b-64"
MAX_SHARDS = 4096
_MAX_BYTES = 4 << 20  # a layout file is small; anything larger is not one
_DIR_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def shard_of(doc_id: str, shards: int) -> int:
    """The shard holding the document ``doc_id``: a stable hash of its UTF-8 bytes (the same
    on every machine and Python process, unlike ``hash()``), modulo the number of shards."""
    digest = hashlib.blake2b(doc_id.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % shards


@dataclass(frozen=True)
class Layout:
    """What ``shards.json`` says: the shard folders, analyzer, schema and sequence counter."""

    path: str  # the sharded index folder (absolute)
    dirs: tuple[str, ...]
    analyzer: dict[str, Any]
    schema: Schema
    next_seq: int = 0

    @property
    def shards(self) -> int:
        return len(self.dirs)

    def shard_path(self, shard: int) -> str:
        return os.path.join(self.path, self.dirs[shard])

    def shard_of(self, doc_id: str) -> int:
        return shard_of(doc_id, len(self.dirs))

    def with_schema(self, schemas: list[dict[str, str]]) -> Layout:
        """This layout with the fields the shards' schemas added (a field whose kind differs
        between shards raises :class:`~searchlib.errors.SchemaError`)."""
        merged = self.schema
        for kinds in schemas:
            try:
                merged = merged.with_fields(kinds)
            except SchemaError as exc:
                raise SchemaError(f"the shards disagree on a field's kind ({exc}); declare the field "
                                  "with build_shards(..., fields={name: kind})") from None
        return replace(self, schema=merged)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT, "format_version": FORMAT_VERSION, "shards": len(self.dirs), "routing": ROUTING,
            "dirs": list(self.dirs), "analyzer": self.analyzer, "schema": self.schema.to_json(),
            "next_seq": int(self.next_seq), "updated_at": time.time(),
        }


def check_shards(shards: object) -> int:
    if isinstance(shards, bool) or not isinstance(shards, int) or not 1 <= shards <= MAX_SHARDS:
        raise ArgumentError(f"shards must be an integer from 1 to {MAX_SHARDS}, got {shards!r}")
    return shards


def default_dirs(shards: int) -> tuple[str, ...]:
    return tuple(f"shard-{i:03d}" for i in range(shards))


def layout_token(path: str) -> tuple[int, int, int] | None:
    """A cheap identity of the current ``shards.json`` (changes whenever it is replaced)."""
    try:
        st = os.stat(os.path.join(path, LAYOUT_FILE))
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def read_layout(path: str | os.PathLike[str]) -> Layout:
    """The layout of the sharded index at ``path``."""
    root = os.path.abspath(os.fspath(path))
    file = os.path.join(root, LAYOUT_FILE)
    try:
        fd = os.open(file, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise IndexNotFoundError(f"no sharded index at {root} (no {LAYOUT_FILE}); build one with build_shards "
                                 "or `search index ... --shards N`") from None
    except OSError as exc:
        raise IndexCorruptError(f"cannot open {file}: {exc.strerror or exc}", file) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise IndexCorruptError(f"{file} is not a regular file", file)
        if st.st_size > _MAX_BYTES:
            raise IndexCorruptError(f"{file} is {st.st_size} bytes: not a shard layout", file)
        with os.fdopen(fd, "rb", closefd=False) as f:
            raw = f.read(_MAX_BYTES + 1)
    finally:
        os.close(fd)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: nested too deeply for json
        raise IndexCorruptError(f"{file} is not valid JSON; restore it or rebuild the sharded index", file) from None
    return _parse(root, file, data)


def _parse(root: str, file: str, data: Any) -> Layout:
    def bad(what: str) -> IndexCorruptError:
        return IndexCorruptError(f"{file}: {what}; restore it or rebuild the sharded index", file)

    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise bad("not a searchlib shard layout")
    if data.get("format_version") != FORMAT_VERSION:
        raise bad(f"format version {data.get('format_version')!r} is not {FORMAT_VERSION} (a newer searchlib wrote it?)")
    if data.get("routing") != ROUTING:
        raise bad(f"unknown routing {data.get('routing')!r}")
    dirs = data.get("dirs")
    n = data.get("shards")
    if (not isinstance(dirs, list) or isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_SHARDS
            or len(dirs) != n or not all(isinstance(d, str) and _DIR_RE.match(d) for d in dirs)
            or len(set(dirs)) != n):
        raise bad("bad shard list")
    analyzer = data.get("analyzer")
    if not isinstance(analyzer, dict):
        raise bad("bad analyzer")
    schema_data = data.get("schema")
    try:
        if not isinstance(schema_data, dict) or not isinstance(schema_data.get("fields"), dict):
            raise ValueError
        schema = Schema.from_json(schema_data)
    except (ValueError, TypeError, KeyError):
        raise bad("bad schema") from None
    next_seq = data.get("next_seq")
    if isinstance(next_seq, bool) or not isinstance(next_seq, int) or not 0 <= next_seq < (1 << 62):
        raise bad("bad next_seq")
    return Layout(root, tuple(dirs), analyzer, schema, next_seq)


def write_layout(layout: Layout) -> None:
    """Replace ``shards.json`` atomically (call with the sharded index's lock held)."""
    raw = json.dumps(layout.to_json(), ensure_ascii=False, indent=1).encode("utf-8")
    atomic_write(os.path.join(layout.path, LAYOUT_FILE), raw, "shard layout")
