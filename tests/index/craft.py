"""Crafting damaged index folders for the hardening tests: replace a file, edit a JSON file and
recompute the checksums that cover it (a crafted file, not a random flip), mutate files in place."""
from __future__ import annotations

import json
import os
import shutil
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from searchlib.index.manifest import write_manifest

__all__ = ["MUTATIONS", "edit_manifest", "edit_meta", "index_files", "mutate", "rewrite_segment_file"]


def _manifest(path: Path) -> dict[str, Any]:
    return json.loads((path / "manifest.json").read_text(encoding="utf-8"))


def edit_manifest(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """Edit manifest.json with ``change`` and recompute its CRC (``write_manifest`` does)."""
    data = _manifest(path)
    data.pop("crc32", None)
    change(data)
    write_manifest(str(path), data)


def edit_meta(path: Path, seg: int, change: Callable[[dict[str, Any]], None]) -> Path:
    """Edit segment number ``seg``'s meta.json with ``change``; the manifest's record of its size
    and CRC is recomputed. Returns the meta's path."""
    data = _manifest(path)
    entry = data["segments"][seg]
    meta_path = path / "segments" / entry["name"] / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    change(meta)
    raw = json.dumps(meta, ensure_ascii=False).encode("utf-8")
    meta_path.unlink()
    meta_path.write_bytes(raw)

    def fix(m: dict[str, Any]) -> None:
        m["segments"][seg]["meta_size"] = len(raw)
        m["segments"][seg]["meta_crc32"] = zlib.crc32(raw)

    edit_manifest(path, fix)
    return meta_path


def rewrite_segment_file(path: Path, seg: int, name: str, data: bytes) -> Path:
    """Replace a segment file with ``data`` and record its new size and CRC in the meta (and the
    meta's in the manifest): a crafted file that every checksum agrees with."""
    entry = _manifest(path)["segments"][seg]
    target = path / "segments" / entry["name"] / name
    target.unlink()
    target.write_bytes(data)

    def fix(meta: dict[str, Any]) -> None:
        f = meta["files"][name]
        f["size"], f["crc32"] = len(data), zlib.crc32(data)
        if "dtype" in f:
            f["count"] = len(data) // {"|u1": 1, "<u2": 2, "<u4": 4, "<i4": 4, "<i8": 8}[f["dtype"]]

    edit_meta(path, seg, fix)
    return target


def index_files(path: Path) -> list[str]:
    """Every file of the index folder, relative paths, sorted."""
    out = []
    for root, _, files in os.walk(path):
        for f in files:
            out.append(os.path.relpath(os.path.join(root, f), path))
    return sorted(out)


def _replace(target: Path) -> None:
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)
    else:
        target.unlink()


def mutate(target: Path, kind: str, outside: Path, at: float = 0.5, bit: int = 0) -> None:
    """Damage ``target`` in place: ``truncate`` (to ``at`` of its size), ``flip`` (one bit at ``at``),
    ``zero`` (every byte), ``grow`` (bytes appended), ``empty``, ``fifo``, ``directory``,
    ``devzero`` (a symbolic link to /dev/zero), ``outside`` (a symbolic link to the file ``outside``),
    ``dangling`` (a symbolic link to nothing)."""
    data = target.read_bytes() if target.is_file() else b""
    pos = min(int(len(data) * at), max(len(data) - 1, 0))
    if kind == "truncate":
        target.write_bytes(data[:pos])
    elif kind == "flip":
        if data:
            b = bytearray(data)
            b[pos] ^= 1 << bit
            target.write_bytes(bytes(b))
    elif kind == "zero":
        target.write_bytes(bytes(len(data)))
    elif kind == "grow":
        target.write_bytes(data + b"\x00\xff" * 64)
    elif kind == "empty":
        target.write_bytes(b"")
    elif kind == "fifo":
        _replace(target)
        os.mkfifo(target)
    elif kind == "directory":
        _replace(target)
        target.mkdir()
        (target / "x").write_bytes(data[:16])
    elif kind == "devzero":
        _replace(target)
        target.symlink_to("/dev/zero")
    elif kind == "outside":
        _replace(target)
        target.symlink_to(outside)
    elif kind == "dangling":
        _replace(target)
        target.symlink_to(target.parent / "no-such-file")
    else:  # pragma: no cover
        raise ValueError(kind)


MUTATIONS = ("truncate", "flip", "zero", "grow", "empty", "fifo", "directory", "devzero", "outside", "dangling")
