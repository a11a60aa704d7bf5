"""The manifest: the ONE file naming the live segments of a commit (the commit point).

``<index>/manifest.json`` is replaced atomically on every commit (temp file → fsync → rename →
fsync of the directory, :func:`searchlib.index.fsio.atomic_write`), so a reader sees either the
old or the new commit, never a mix. Content (UTF-8 JSON)::

    {"format": "searchlib-index", "format_version": 1,
     "generation": 7,                      # +1 per commit (merges commit too)
     "analyzer": {...},                    # Analyzer.config() of the analyzer that built it
     "schema": {"fields": {...}},          # searchlib.index.schema.Schema.to_json()
     "next_segment": 12,                   # counter for new segment names
     "segments": [{"name": "seg000011-3fa2c1d0", "doc_count": 20000,
                   "meta_size": 1234, "meta_crc32": 99,       # of <segment>/meta.json
                   "deletes": null | {"file": "del-7.bits", "count": 3, "size": 2500, "crc32": 5}}],
     "committed_at": 1700000000.0,
     "user_data": {"key": <JSON value>},   # optional: the writer's commit user data (Lucene's
                                           # commitUserData), e.g. the folders an index mirrors
     "crc32": 123}                         # CRC-32 of this JSON without the "crc32" key

Segment folders live in ``<index>/segments/``. Reading opens the manifest only when it is a
regular file of bounded size (:func:`searchlib.index.fsio.read_bounded`) and checks every key
(:func:`searchlib.index.validate.validate_manifest`): a damaged or crafted manifest gives
IndexCorruptError naming the file and the key.
"""
from __future__ import annotations

import json
import re
import os
import time
import zlib
from typing import Any

from searchlib.errors import IndexCorruptError, IndexNotFoundError
from searchlib.index.fsio import atomic_write, read_bounded
from searchlib.index.validate import MAX_JSON_BYTES, validate_manifest

__all__ = ["FORMAT", "FORMAT_VERSION", "MANIFEST", "SEGMENTS_DIR", "manifest_token", "manifest_unchanged", "read_manifest", "user_data",
           "write_manifest"]

FORMAT = "searchlib-index"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SEGMENTS_DIR = "segments"


def _canonical(data: dict[str, Any]) -> bytes:
    body = {k: v for k, v in data.items() if k != "crc32"}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def manifest_path(index_dir: str) -> str:
    return os.path.join(index_dir, MANIFEST)


def manifest_token(index_dir: str, path: str | None = None) -> tuple[int, int, int, int] | None:
    """A cheap identity of the current manifest file (changes on every commit), or None.
    ``path``: the manifest's path when the caller has it already (a reader asks per search)."""
    try:
        st = os.stat(path or manifest_path(index_dir))
    except FileNotFoundError:
        return None
    return (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size)


_GENERATION_RE = re.compile(rb'"generation":\s*(\d+)')


def manifest_unchanged(index_dir: str, token: Any, generation: int, path: str | None = None) -> bool:
    """True when the manifest is still the one with ``token`` and ``generation``.

    The stat token alone is almost always enough; but inode numbers are recycled and mtimes
    are coarse, so for a manifest modified in the last two seconds the generation is read too."""
    if token is None or manifest_token(index_dir, path) != token:
        return False
    if time.time() - token[2] / 1e9 > 2.0:
        return True
    try:  # a regex over the raw bytes: this runs before every search right after a commit
        m = _GENERATION_RE.search(read_bounded(manifest_path(index_dir), MAX_JSON_BYTES, "manifest"))
    except (OSError, IndexCorruptError):
        return False
    return m is not None and int(m.group(1)) == generation


def read_manifest(index_dir: str) -> dict[str, Any]:
    path = manifest_path(index_dir)
    try:
        raw = read_bounded(path, MAX_JSON_BYTES, "manifest")
    except FileNotFoundError:
        if not os.path.isdir(index_dir):
            raise IndexNotFoundError(f"no index at {index_dir} (directory does not exist); create one with Index.create") from None
        raise IndexNotFoundError(f"no index at {index_dir} ({MANIFEST} missing); create one with Index.create") from None
    except NotADirectoryError:
        raise IndexNotFoundError(f"no index at {index_dir} (not a directory)") from None
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise IndexCorruptError(f"{path} is not valid JSON (damaged manifest)", path) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise IndexCorruptError(f"{path} is not a searchlib index manifest", path)
    try:
        crc = zlib.crc32(_canonical(data))
    except (ValueError, RecursionError):
        crc = None
    if crc is None or data.get("crc32") != crc:
        raise IndexCorruptError(f"{path} fails its checksum (damaged manifest)", path)
    if data.get("format_version") != FORMAT_VERSION:
        raise IndexCorruptError(
            f"{path}: index format version {data.get('format_version')!r} is not supported by this searchlib "
            f"(it reads version {FORMAT_VERSION}); rebuild the index",
            path,
        )
    return validate_manifest(data, path)


def new_manifest(analyzer_config: dict[str, Any], schema_json: dict[str, Any]) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "generation": 0,
        "analyzer": analyzer_config,
        "schema": schema_json,
        "next_segment": 0,
        "segments": [],
    }


def user_data(manifest: dict[str, Any]) -> dict[str, Any]:
    """The commit user data of a manifest (``{}`` when it has none or it is not an object)."""
    data = manifest.get("user_data")
    return dict(data) if isinstance(data, dict) else {}


def write_manifest(index_dir: str, data: dict[str, Any]) -> None:
    data = dict(data)
    data["committed_at"] = time.time()
    data["crc32"] = zlib.crc32(_canonical(data))
    atomic_write(manifest_path(index_dir), json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"), "manifest")
