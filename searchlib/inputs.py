"""Input files, treated as untrusted: discovery in folders and bounded, type-checked reading.

A folder handed to ``search index`` may hold anything: symbolic links to files elsewhere on the
machine (``/etc/passwd``) or to devices that never end (``/dev/zero``, ``/dev/urandom``), FIFOs
that block a reader forever, sockets, files of many gigabytes, link loops. This module yields
only what is safe to read:

* **Folders** yield regular files *inside* the folder. A symbolic link whose target leaves the
  folder is skipped with a warning unless ``follow_links=True``; a link to a file inside the
  folder is read like that file; links to folders are entered only with ``follow_links`` (each
  real folder once, so link loops end). FIFOs, sockets and devices are skipped with a warning.
* **Every file** (found in a folder or named explicitly) is opened with ``O_NONBLOCK`` (a FIFO
  cannot block the open) and, for files found in a folder, ``O_NOFOLLOW`` (a file swapped for a
  link after the walk is refused); ``fstat`` on the open descriptor must show a regular file,
  and at most ``max_file_size`` bytes are read (a file over the cap is skipped with a message).
  An explicitly named link is followed (the user chose it), with the same checks on its target.
* JSON Lines are read line by line, each line capped at ``max_file_size`` (a large export is
  fine, a 20 GB line is not).

Problems are :class:`SourceError` (one line, naming the input); discovery reports skipped
entries as :class:`Problem` warnings instead of failing.
"""
from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO

from searchlib.errors import DocumentError

__all__ = [
    "DEFAULT_MAX_FILE_SIZE",
    "HTML_EXTENSIONS",
    "JSONL_EXTENSIONS",
    "KINDS",
    "TEXT_EXTENSIONS",
    "Discovery",
    "Folder",
    "Problem",
    "Source",
    "SourceError",
    "decode",
    "discover",
    "format_size",
    "kind_of",
    "parse_size",
    "read_bytes",
    "read_lines",
]

TEXT_EXTENSIONS = frozenset({".txt", ".md", ".markdown"})
HTML_EXTENSIONS = frozenset({".html", ".htm"})
JSONL_EXTENSIONS = frozenset({".jsonl"})
KINDS = ("text", "html", "jsonl")
DEFAULT_MAX_FILE_SIZE = 20 * 1024 * 1024   # bytes: far above any news page, far below a disk image
_SNIFF = 8192  # bytes inspected for NUL (binary files)
_CHUNK = 1 << 20


class SourceError(DocumentError):
    """An input cannot be turned into documents (unreadable, binary, not UTF-8, bad JSON line,
    not a regular file, over the size cap)."""


@dataclass(frozen=True)
class Problem:
    """An input (or one line of it) that was skipped, and why (``message`` names the input)."""

    source: str
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Source:
    """One input: ``path`` (None for standard input), ``kind`` (``text`` | ``html`` | ``jsonl``)
    and ``id``, the document id of a page (unused for JSON Lines, whose lines carry their ids).

    A file found in a folder also has ``folder`` (the real path of the folder walked) and ``rel``
    (its path inside that folder, ``/``-separated; equal to ``id``); ``follow`` says whether
    opening it may follow a symbolic link (explicitly named files and accepted links)."""

    path: str | None
    kind: str
    id: str
    folder: str | None = None
    rel: str | None = None
    follow: bool = True
    real: str | None = None  # a folder's file: its real path when listed (reading checks it is still that file)

    @property
    def name(self) -> str:
        """How messages name this input."""
        return "<stdin>" if self.path is None else self.path


@dataclass(frozen=True)
class Folder:
    """A folder named for discovery: its real path, the ``/``-separated relative paths of every
    supported file present in it (read or skipped), which folder sync must not prune, and the
    subfolders it could not list."""

    path: str
    present: frozenset[str]
    # ``/``-ended relative paths of the folders the walk could not list ("" for the folder itself):
    # their files are unknown, so folder sync keeps their documents
    unlisted: frozenset[str] = frozenset()


@dataclass
class Discovery:
    """What :func:`discover` found: the sources in order, how many files it ignored (other
    extensions), what it skipped with a warning, and the folders it walked."""

    sources: list[Source]
    ignored: int = 0
    warnings: list[Problem] = field(default_factory=list)
    folders: list[Folder] = field(default_factory=list)

    def __iter__(self) -> Iterator[Source]:
        return iter(self.sources)

    def __len__(self) -> int:
        return len(self.sources)


def kind_of(path: str) -> str | None:
    """``text`` / ``html`` / ``jsonl`` from the extension, or None for other files."""
    ext = os.path.splitext(path)[1].lower()
    if ext in TEXT_EXTENSIONS:
        return "text"
    if ext in HTML_EXTENSIONS:
        return "html"
    if ext in JSONL_EXTENSIONS:
        return "jsonl"
    return None


_UNITS = {"": 1, "b": 1, "k": 1024, "kb": 1024, "kib": 1024, "m": 1024**2, "mb": 1024**2, "mib": 1024**2,
          "g": 1024**3, "gb": 1024**3, "gib": 1024**3}


def parse_size(text: str | int) -> int:
    """Bytes from ``"20MB"``, ``"500k"``, ``"1.5 GiB"`` or a plain number (units are powers of 1024)."""
    if isinstance(text, int) and not isinstance(text, bool):
        value, unit = float(text), ""
    else:
        s = str(text).strip().lower().replace(" ", "")
        digits = len(s) - len(s.lstrip("0123456789."))
        value_s, unit = s[:digits], s[digits:]
        try:
            value = float(value_s)
        except ValueError:
            raise ValueError(f"not a size: {text!r} (use bytes or a unit: 500k, 20MB, 1GB)") from None
    if unit not in _UNITS:
        raise ValueError(f"unknown size unit in {text!r} (use k, MB or GB)")
    size = int(value * _UNITS[unit])
    if size < 1:
        raise ValueError(f"size must be at least 1 byte, got {text!r}")
    return size


def format_size(n: int) -> str:
    """``20 MB``-style rendering (powers of 1024) for messages."""
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("kB", 1024)):
        if n >= factor:
            value = n / factor
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{n} bytes"


# --------------------------------------------------------------------------------- discovery


def discover(
    paths: Iterable[str | os.PathLike[str]],
    *,
    stdin_id: str = "stdin",
    stdin_kind: str = "text",
    follow_links: bool = False,
    max_file_size: int = DEFAULT_MAX_FILE_SIZE,
) -> Discovery:
    """The inputs named by ``paths`` (files, directories, ``-`` for standard input), in order.

    A path that does not exist is kept as a text source: reading it reports the problem. Folder
    entries that are not safe to read (see the module docstring) are left out and listed in
    ``Discovery.warnings``.
    """
    if stdin_kind not in KINDS:
        raise ValueError(f"stdin_kind must be one of {', '.join(KINDS)}, got {stdin_kind!r}")
    if isinstance(max_file_size, bool) or not isinstance(max_file_size, int) or max_file_size < 1:
        raise ValueError(f"max_file_size must be a positive number of bytes, got {max_file_size!r}")
    found = Discovery([])
    for raw in paths:
        path = os.fspath(raw)
        if path == "-":
            found.sources.append(Source(None, stdin_kind, stdin_id))
        elif os.path.isdir(path):
            real = os.path.realpath(path)
            if not _utf8(real):
                found.warnings.append(Problem(path, f"{os.fsdecode(path)!a}: the folder's path is not valid UTF-8 "
                                                    "and cannot be recorded in the index; skipped (rename it)"))
                continue
            _Walk(path, found, follow_links, max_file_size).run()
        else:
            found.sources.append(Source(path, kind_of(path) or "text", os.path.basename(path) or path))
    return found


def _utf8(path: str) -> bool:
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes of a file name (surrogate escapes)
        return False
    return True


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


class _Walk:
    """One folder, walked in path order (component by component) without entering hidden folders."""

    def __init__(self, top: str, found: Discovery, follow_links: bool, max_size: int) -> None:
        self.top = top
        self.root = os.path.realpath(top)
        self.found = found
        self.follow_links = follow_links
        self.max_size = max_size
        self.present: set[str] = set()
        self.unlisted: set[str] = set()
        self.visited: set[tuple[int, int]] = set()
        # folders to list: (path, relative path, real path) - no recursion, so a folder nested
        # thousands deep is walked like any other
        self.pending: list[tuple[str, str, str]] = []

    def warn(self, path: str, message: str) -> None:
        self.found.warnings.append(Problem(path, f"{path}: {message}"))

    def run(self) -> None:
        start = len(self.found.sources)
        self.pending.append((self.top, "", self.root))
        while self.pending:
            self._folder(*self.pending.pop())
        self.found.sources[start:] = sorted(self.found.sources[start:], key=lambda s: s.id.split("/"))
        self.found.folders.append(Folder(self.root, frozenset(self.present), frozenset(self.unlisted)))

    def _folder(self, path: str, rel: str, real: str) -> None:
        try:
            st = os.stat(path)
            if (st.st_dev, st.st_ino) in self.visited:
                return  # a link loop, or a folder reached twice through links
            self.visited.add((st.st_dev, st.st_ino))
            with os.scandir(path) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            self.warn(path, f"cannot list the folder ({exc.strerror or exc}); skipped, and its documents kept")
            self.unlisted.add(rel)
            return
        start = len(self.pending)
        for entry in entries:
            if entry.name.startswith("."):
                continue
            self._entry(entry, f"{rel}{entry.name}", os.path.join(real, entry.name))
        self.pending[start:] = self.pending[start:][::-1]  # popped in name order: the recursion's order

    def _entry(self, entry: os.DirEntry[str], rel: str, real: str) -> None:
        try:
            link = entry.is_symlink()
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            link, is_dir = False, False
        kind = None if is_dir else kind_of(entry.name)
        if link:
            self._link(entry, rel)
            return
        if is_dir:
            self.pending.append((entry.path, rel + "/", real))
            return
        if kind is None:
            self.found.ignored += 1
            return
        self.present.add(rel)
        self._file(entry.path, rel, kind, follow=False, real=real)

    def _link(self, entry: os.DirEntry[str], rel: str) -> None:
        target = os.path.realpath(entry.path)
        inside = _inside(target, self.root)
        is_dir = os.path.isdir(target)
        kind = kind_of(entry.name) if not is_dir else None
        if not is_dir and kind is None:
            self.found.ignored += 1
            return
        if not is_dir:
            self.present.add(rel)
        if not inside and not self.follow_links:
            self.warn(entry.path, f"symbolic link to {target}, outside the folder; skipped (--follow-links to index it)")
            return
        if is_dir:
            if self.follow_links:
                self.pending.append((target, rel + "/", target))
            # a link to a folder inside the folder: its files are indexed under their own path
            return
        if not os.path.exists(target):
            self.warn(entry.path, "broken symbolic link; skipped")
            return
        assert kind is not None
        self._file(target, rel, kind, follow=False, real=target)

    def _file(self, path: str, rel: str, kind: str, follow: bool, real: str | None = None) -> None:
        try:
            st = os.stat(path) if follow else os.lstat(path)
        except OSError as exc:
            self.warn(path, f"cannot read ({exc.strerror or exc}); skipped")
            return
        if not stat.S_ISREG(st.st_mode):
            self.warn(path, f"{_file_type(st.st_mode)}, not a regular file; skipped")
            return
        if st.st_size > self.max_size and kind != "jsonl":
            self.warn(path, f"{format_size(st.st_size)}, over the {format_size(self.max_size)} file size limit; "
                            "skipped (--max-file-size raises it)")
            return
        self.found.sources.append(Source(path, kind, rel, self.root, rel, follow, real))


def _file_type(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "a special file"


# --------------------------------------------------------------------------------- reading


def _open(source: Source) -> int:
    """A descriptor on ``source.path`` that is a regular file (:class:`SourceError` otherwise)."""
    assert source.path is not None
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if not source.follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(source.path, flags)
    except FileNotFoundError:
        raise SourceError(f"{source.name}: no such file or directory") from None
    except IsADirectoryError:
        raise SourceError(f"{source.name}: is a directory") from None
    except PermissionError:
        raise SourceError(f"{source.name}: permission denied") from None
    except OSError as exc:
        if not source.follow and os.path.islink(source.path):
            raise SourceError(f"{source.name}: became a symbolic link after the folder was listed; skipped") from None
        raise SourceError(f"{source.name}: cannot read ({exc.strerror or exc})") from None
    try:
        mode = os.fstat(fd).st_mode
    except OSError as exc:
        os.close(fd)
        raise SourceError(f"{source.name}: cannot read ({exc.strerror or exc})") from None
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise SourceError(f"{source.name}: {_file_type(mode)}, not a regular file")
    if source.real is not None:
        # O_NOFOLLOW guards the last name only: a folder on the way swapped for a link after the
        # walk would lead elsewhere. Where the system says which file a descriptor holds, it must
        # be the file the walk listed.
        try:
            opened = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            opened = None
        if opened is not None and opened != source.real:
            os.close(fd)
            raise SourceError(f"{source.name}: its path leads to {opened!a} now, not to the file listed (a folder on "
                              "the way replaced after the folder was listed); skipped")
    return fd


def _read_capped(read, limit: int, name: str) -> bytes:  # type: ignore[no-untyped-def]
    parts: list[bytes] = []
    size = 0
    while True:
        chunk = read(min(_CHUNK, limit + 1 - size))
        if not chunk:
            return b"".join(parts)
        parts.append(chunk)
        size += len(chunk)
        if size > limit:
            raise SourceError(f"{name}: over the {format_size(limit)} file size limit; skipped "
                              "(--max-file-size raises it)")


def read_bytes(source: Source, stdin: IO[bytes] | None = None, max_size: int = DEFAULT_MAX_FILE_SIZE) -> bytes:
    """The bytes of ``source`` (at most ``max_size``: :class:`SourceError` beyond)."""
    if source.path is None:
        stream = stdin if stdin is not None else sys.stdin.buffer
        return _read_capped(stream.read, max_size, source.name)
    fd = _open(source)
    try:
        if os.fstat(fd).st_size > max_size:
            raise SourceError(f"{source.name}: {format_size(os.fstat(fd).st_size)}, over the "
                              f"{format_size(max_size)} file size limit; skipped (--max-file-size raises it)")
        return _read_capped(lambda n: os.read(fd, n), max_size, source.name)
    except OSError as exc:
        raise SourceError(f"{source.name}: cannot read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)


def read_lines(source: Source, stdin: IO[bytes] | None = None, max_line: int = DEFAULT_MAX_FILE_SIZE
               ) -> Iterator[tuple[int, bytes | SourceError]]:
    """``(line number, raw line)`` of ``source`` one at a time (JSON Lines), each line at most
    ``max_line`` bytes (a longer line is yielded as a :class:`SourceError` and skipped)."""
    if source.path is None:
        stream = stdin if stdin is not None else sys.stdin.buffer
        yield from _lines(stream, max_line, source.name)
        return
    fd = _open(source)
    try:
        with os.fdopen(fd, "rb", closefd=False) as stream:
            yield from _lines(stream, max_line, source.name)
    except OSError as exc:
        raise SourceError(f"{source.name}: cannot read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)


def _lines(stream: IO[bytes], max_line: int, name: str) -> Iterator[tuple[int, bytes | SourceError]]:
    n = 0
    while True:
        line = stream.readline(max_line + 1)
        if not line:
            return
        n += 1
        if len(line) > max_line and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # skip the rest of the long line, bounded reads
                line = stream.readline(_CHUNK)
            yield n, SourceError(f"{name}:{n}: line over the {format_size(max_line)} size limit; skipped")
            continue
        yield n, line


def decode(data: bytes, name: str = "<input>") -> str:
    """UTF-8 ``data`` as text (BOM dropped, CRLF/CR → LF); :class:`SourceError` for binary data,
    UTF-16/32 and invalid UTF-8, naming the byte offset of the problem."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceError(f"{name}: UTF-16/32 text; convert it to UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)")
    nul = data.find(b"\x00", 0, _SNIFF)
    if nul >= 0:
        raise SourceError(f"{name}: binary file (NUL byte at offset {nul}); only UTF-8 text, HTML and JSON Lines can be indexed")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(
            f"{name}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "convert it to UTF-8 (e.g. iconv -f GB18030 -t UTF-8)"
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text
