"""Durable file writing: every byte the index writes goes through here.

* :func:`write_file` creates a NEW file (``O_EXCL``), writes it fully, fsyncs it and returns its
  size and CRC-32, which segment metas and the manifest record.
* :func:`atomic_write` replaces a file atomically: temp file → fsync → ``os.replace`` → fsync of
  the directory. This is how the manifest (the commit point) is written.
* :func:`fsync_dir` makes a directory entry (a new or renamed file) durable.

An ``OSError`` from the operating system (disk full, permission denied) is re-raised with the
path and what was being written, so a failed commit says what happened. Tests inject failures by
replacing :func:`_write_all`.
"""
from __future__ import annotations

import errno
import os
import secrets
import zlib
from typing import Union

import numpy as np

__all__ = ["Buffer", "atomic_write", "crc32_file", "fsync_dir", "write_file", "remove_quietly"]

Buffer = Union[bytes, bytearray, memoryview, np.ndarray]
_CHUNK = 1 << 24


def _as_bytes(data: Buffer) -> memoryview:
    if isinstance(data, np.ndarray):
        data = np.ascontiguousarray(data)
        return memoryview(data).cast("B") if data.size else memoryview(b"")
    return memoryview(data).cast("B")


def _write_all(fd: int, view: memoryview) -> None:
    """Write every byte of ``view`` to ``fd`` (``os.write`` may write less than asked)."""
    while len(view):
        n = os.write(fd, view[:_CHUNK])
        view = view[n:]


def _describe(exc: OSError, path: str, what: str) -> OSError:
    reason = {errno.ENOSPC: "disk full", errno.EACCES: "permission denied", errno.EROFS: "read-only file system",
              errno.EDQUOT: "disk quota exceeded"}.get(exc.errno or 0, exc.strerror or str(exc))
    err = OSError(exc.errno, f"cannot write {what} {path}: {reason}; the previous commit is intact")
    err.filename = path
    return err


def write_file(path: str, data: Buffer | list[Buffer], what: str = "index file") -> tuple[int, int]:
    """Create ``path`` (must not exist), write ``data`` (one buffer or several, concatenated),
    fsync, close. Returns ``(size, crc32)``."""
    parts = data if isinstance(data, list) else [data]
    views = [_as_bytes(p) for p in parts]
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o644)
    except OSError as exc:
        raise _describe(exc, path, what) from exc
    size = 0
    crc = 0
    try:
        for view in views:
            _write_all(fd, view)
            crc = zlib.crc32(view, crc)
            size += len(view)
        os.fsync(fd)
    except OSError as exc:
        os.close(fd)
        remove_quietly(path)
        raise _describe(exc, path, what) from exc
    os.close(fd)
    return size, crc


def atomic_write(path: str, data: bytes, what: str = "file") -> None:
    """Replace ``path`` with ``data`` atomically and durably."""
    directory = os.path.dirname(path) or "."
    tmp = f"{path}.tmp-{os.getpid()}-{secrets.token_hex(4)}"
    write_file(tmp, data, what)
    try:
        os.replace(tmp, path)
    except OSError as exc:
        remove_quietly(tmp)
        raise _describe(exc, path, what) from exc
    fsync_dir(directory)


def fsync_dir(path: str) -> None:
    """fsync a directory so that entries created or renamed in it survive a crash."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems refuse fsync on directories; nothing more we can do
    finally:
        os.close(fd)


def crc32_file(path: str) -> tuple[int, int]:
    """``(size, crc32)`` of a file, read in chunks."""
    crc = 0
    size = 0
    with open(path, "rb") as f:
        while True:
            chunk = f.read(_CHUNK)
            if not chunk:
                break
            crc = zlib.crc32(chunk, crc)
            size += len(chunk)
    return size, crc


def remove_quietly(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass
