"""Durable file writing and safe file reading: every byte the index writes or reads goes through here.

* :func:`write_file` creates a NEW file (``O_EXCL``), writes it fully, fsyncs it and returns its
  size and CRC-32, which segment metas and the manifest record.
* :func:`atomic_write` replaces a file atomically: temp file → fsync → ``os.replace`` → fsync of
  the directory. This is how the manifest (the commit point) is written.
* :func:`fsync_dir` makes a directory entry (a new or renamed file) durable.

An ``OSError`` from the operating system (disk full, permission denied) is re-raised with the
path and what was being written, so a failed commit says what happened. Tests inject failures by
replacing :func:`_write_all`.

Reading treats the index folder as untrusted (see docs/SECURITY.md): :func:`open_regular` opens
an index file without following a symbolic link (``O_NOFOLLOW``: a link to /dev/zero or to a file
outside the folder is refused) and without blocking (``O_NONBLOCK``: opening a FIFO returns at
once), then ``fstat`` must show a regular file (not a FIFO, a directory or a device) whose size is
bounded or known before anything is read. :func:`read_bounded`, :func:`map_file` and
:func:`crc32_file` build on it. Anything else raises :class:`~searchlib.errors.IndexCorruptError`
naming the path; a missing file stays :class:`FileNotFoundError` (a reader racing a commit
retries on it).
"""
from __future__ import annotations

import errno
import mmap
import os
import secrets
import stat
import zlib
from collections.abc import Iterable
from typing import Any, Union

import numpy as np

from searchlib.errors import IndexCorruptError

__all__ = [
    "Buffer", "FileWriter", "atomic_write", "crc32_file", "drop_pages", "fsync_dir", "map_file", "open_regular",
    "read_bounded", "remove_quietly", "write_file",
]

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


def write_file(path: str, data: Buffer | Iterable[Buffer], what: str = "index file") -> tuple[int, int]:
    """Create ``path`` (must not exist), write ``data`` (one buffer, or several concatenated: a
    list, or any iterable producing them as they are written), fsync, close. Returns ``(size,
    crc32)``."""
    parts = [data] if isinstance(data, (bytes, bytearray, memoryview, np.ndarray, mmap.mmap)) else data
    out = FileWriter(path, what)
    try:
        for part in parts:
            out.write(part)
    except BaseException:
        out.abort()
        raise
    return out.finish()


class FileWriter:
    """A new file written in parts, for several files filled side by side (a merge writes a
    segment's postings slice by slice): created like :func:`write_file` (must not exist),
    :meth:`write` appends, :meth:`finish` fsyncs and closes and returns ``(size, crc32)``,
    :meth:`abort` closes and removes it. An ``OSError`` names the path, as in :func:`write_file`."""

    def __init__(self, path: str, what: str = "index file") -> None:
        self.path, self.what = path, what
        try:
            self._fd: int | None = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o644)
        except OSError as exc:
            raise _describe(exc, path, what) from exc
        self.size = 0
        self.crc = 0

    def write(self, part: Buffer | mmap.mmap) -> None:
        if self._fd is None:
            raise ValueError(f"{self.path} is closed")
        view = _as_bytes(part)
        try:
            _write_all(self._fd, view)
        except OSError as exc:
            self.abort()
            raise _describe(exc, self.path, self.what) from exc
        self.crc = zlib.crc32(view, self.crc)
        self.size += len(view)

    def finish(self) -> tuple[int, int]:
        if self._fd is None:
            raise ValueError(f"{self.path} is closed")
        try:
            os.fsync(self._fd)
        except OSError as exc:
            self.abort()
            raise _describe(exc, self.path, self.what) from exc
        os.close(self._fd)
        self._fd = None
        return self.size, self.crc

    def abort(self) -> None:
        """Close and remove the file (nothing once finished or aborted)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
            remove_quietly(self.path)


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


# -- reading --------------------------------------------------------------------------------------

_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _refuse(path: str, mode: int, what: str) -> IndexCorruptError:
    return IndexCorruptError(
        f"{what} {path} is {_kind(mode)}, not a regular file; index files must be plain files inside the "
        "index folder (restore the index from a backup or rebuild it)",
        path,
    )


def open_regular(path: str, what: str = "index file", max_size: int | None = None,
                 expected_size: int | None = None) -> tuple[int, int]:
    """Open the regular file ``path`` read-only; returns ``(fd, size)``; the caller closes ``fd``.

    Refused with IndexCorruptError: a symbolic link, a directory, a FIFO, a device, a socket, a
    file larger than ``max_size`` or not of ``expected_size`` bytes. Errors that are not the file's
    fault (FileNotFoundError, NotADirectoryError, PermissionError, too many open files, ...) pass
    through unchanged as OSError."""
    try:
        fd = os.open(path, _READ_FLAGS)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # a symbolic link (O_NOFOLLOW)
            raise _refuse(path, stat.S_IFLNK, what) from None
        raise  # not the file's fault (too many open files, permission denied, ...): the OS error as is
    try:
        fst = os.fstat(fd)
        if not stat.S_ISREG(fst.st_mode):
            raise _refuse(path, fst.st_mode, what)
        size = fst.st_size
        if expected_size is not None and size != expected_size:
            raise IndexCorruptError(
                f"{what} {path} has {size} bytes, expected {expected_size} (truncated or damaged); "
                "restore the index from a backup or rebuild it",
                path,
            )
        if max_size is not None and size > max_size:
            raise IndexCorruptError(
                f"{what} {path} has {size:,} bytes, more than the {max_size:,} such a file can have (damaged)", path
            )
    except BaseException:
        os.close(fd)
        raise
    return fd, size


def _read_fd(fd: int, size: int, path: str, what: str) -> bytes:
    """Exactly ``size`` bytes from ``fd`` (a regular file; one byte more proves it did not grow)."""
    parts = []
    left = size + 1
    while left > 0:
        try:
            chunk = os.read(fd, min(left, _CHUNK))
        except OSError as exc:
            raise IndexCorruptError(f"cannot read {what} {path}: {exc.strerror}", path) from None
        if not chunk:
            break
        parts.append(chunk)
        left -= len(chunk)
    data = b"".join(parts)
    if len(data) != size:
        raise IndexCorruptError(f"{what} {path} changed size while being read (expected {size} bytes)", path)
    return data


def read_bounded(path: str, max_size: int, what: str = "index file", expected_size: int | None = None) -> bytes:
    """The whole content of the regular file ``path``, refused when larger than ``max_size``."""
    fd, size = open_regular(path, what, max_size=max_size, expected_size=expected_size)
    try:
        return _read_fd(fd, size, path, what)
    finally:
        os.close(fd)


def map_file(path: str, expected_size: int, what: str = "index file") -> Any:
    """Map the regular file ``path`` read-only after checking its size; an ``mmap`` (``b""`` when empty)."""
    fd, size = open_regular(path, what, expected_size=expected_size)
    try:
        if size == 0:
            return b""
        try:
            return mmap.mmap(fd, 0, access=mmap.ACCESS_READ)
        except ValueError as exc:
            raise IndexCorruptError(f"cannot map {what} {path}: {exc}", path) from None
        except OSError as exc:  # the OS's limits (descriptors, address space): not the file's fault
            exc.filename = path
            raise
    finally:
        os.close(fd)


def crc32_file(path: str, what: str = "index file", max_size: int | None = None) -> tuple[int, int]:
    """``(size, crc32)`` of the regular file ``path``, read in chunks (never past the size it had
    when opened)."""
    fd, size = open_regular(path, what, max_size=max_size)
    crc = 0
    done = 0
    try:
        while done < size:
            try:
                chunk = os.read(fd, min(_CHUNK, size - done))
            except OSError as exc:
                raise IndexCorruptError(f"cannot read {what} {path}: {exc.strerror}", path) from None
            if not chunk:
                break
            crc = zlib.crc32(chunk, crc)
            done += len(chunk)
    finally:
        os.close(fd)
    return done, crc


def drop_pages(array: Any) -> None:
    """Let go of the pages of the file mapping under ``array`` (a view of :func:`map_file`'s
    ``mmap``) that this process touched: they stay in the page cache and are read again on the
    next access, but stop counting in this process's memory (a merge reads gigabytes of input
    once). Nothing where the array is not a file mapping or the platform has no ``madvise``."""
    base = array
    while isinstance(base, np.ndarray):
        base = base.base
    if isinstance(base, memoryview):
        base = base.obj
    advice = getattr(mmap, "MADV_DONTNEED", None)
    if isinstance(base, mmap.mmap) and advice is not None and not base.closed:
        try:
            base.madvise(advice)
        except (OSError, ValueError):  # advice only: never a reason to fail
            pass


def remove_quietly(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass
