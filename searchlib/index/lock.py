"""The writer lock: one writer per index at a time.

``<index>/write.lock`` is created with ``O_CREAT | O_EXCL`` and holds ``pid``, ``host`` and
``time`` (JSON) for error messages; its holder also keeps an exclusive ``fcntl.flock`` on it for
as long as it writes. The flock is the truth: the kernel drops it when the holder dies, however it
dies, so a lock file whose flock can be taken is stale and is taken over (after checking that the
path still names the same file). A second writer polls until ``timeout`` and then raises
:class:`~searchlib.errors.LockError` naming the file and the holder. Release: unlink, then close.

On file systems without ``flock`` the pid recorded in the file decides: a lock of a process that
no longer exists on this host is stale.

The lock file is the one file of the index a writer opens for WRITING that it did not create
itself, so it is opened with ``O_NOFOLLOW | O_NONBLOCK`` after an ``lstat``: a symbolic link
(dangling or not), a directory, a FIFO, a device or a file with other hard links named
``write.lock`` is refused at once with a LockError naming it (never followed, truncated, waited
on or retried until the timeout).
"""
from __future__ import annotations

import errno
import fcntl
import json
import os
import socket
import stat
import time
from typing import Any

from searchlib.errors import LockError

__all__ = ["LOCK_FILE", "WriteLock"]

LOCK_FILE = "write.lock"
_POLL = 0.02
_MAX_LOCK_BYTES = 64 << 10
_FLAGS = os.O_RDWR | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class WriteLock:
    def __init__(self, index_dir: str) -> None:
        self.path = os.path.join(index_dir, LOCK_FILE)
        self.fd: int | None = None
        self.recovered_from: dict[str, Any] | None = None

    # -- helpers -------------------------------------------------------------------------------
    def _refuse(self, mode: int, links: int = 1) -> LockError:
        if stat.S_ISLNK(mode):
            kind = "a symbolic link"
        elif stat.S_ISDIR(mode):
            kind = "a directory"
        elif stat.S_ISFIFO(mode):
            kind = "a FIFO"
        elif not stat.S_ISREG(mode):
            kind = "a device or other special file"
        else:
            kind = f"a file with {links} hard links"
        return LockError(
            f"lock file {self.path} is {kind}, not a plain file of this index; it is never followed or written: "
            "remove it (no writer is using it) and try again",
            self.path,
        )

    def _open_existing(self) -> int | None:
        """The existing lock file opened for writing, or None when it vanished; LockError when it
        is anything but a plain regular file inside the index folder."""
        try:
            st = os.lstat(self.path)
        except FileNotFoundError:
            return None
        if not stat.S_ISREG(st.st_mode) or st.st_nlink != 1:
            raise self._refuse(st.st_mode, st.st_nlink)
        try:
            fd = os.open(self.path, _FLAGS)
        except FileNotFoundError:
            return None
        except OSError as exc:
            if exc.errno == errno.ELOOP:  # became a symbolic link since the lstat
                raise self._refuse(stat.S_IFLNK) from None
            raise
        fst = os.fstat(fd)
        if stat.S_ISREG(fst.st_mode) and fst.st_nlink == 0:  # its holder released (unlinked) it meanwhile
            os.close(fd)
            return None
        if not stat.S_ISREG(fst.st_mode) or fst.st_nlink != 1:
            os.close(fd)
            raise self._refuse(fst.st_mode, fst.st_nlink)
        return fd

    def _holder(self) -> dict[str, Any]:
        """What the holder recorded (pid, host, time), or {} when unreadable."""
        try:
            st = os.lstat(self.path)
            if not stat.S_ISREG(st.st_mode) or st.st_size > _MAX_LOCK_BYTES:
                return {}
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
                         | getattr(os, "O_CLOEXEC", 0))
            try:
                if not stat.S_ISREG(os.fstat(fd).st_mode):
                    return {}
                data = json.loads(os.read(fd, _MAX_LOCK_BYTES).decode("utf-8") or "{}")
            finally:
                os.close(fd)
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _try_flock(self, fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError as exc:
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                return False
            # No flock on this file system: fall back to the recorded pid.
            holder = self._holder()
            pid = holder.get("pid")
            if holder.get("host") == socket.gethostname() and type(pid) is int and 0 < pid < 1 << 31:
                return not _pid_alive(pid)
            return False

    def _stamp(self, fd: int) -> None:
        info = json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "time": time.time()}).encode()
        os.ftruncate(fd, 0)
        os.pwrite(fd, info, 0)

    def _attempt(self) -> bool:
        try:
            fd = os.open(self.path, _FLAGS | os.O_CREAT | os.O_EXCL, 0o644)  # O_EXCL: never follows a link
            fresh = True
        except FileExistsError:
            fd = self._open_existing()
            if fd is None:
                return False  # released meanwhile; try again
            fresh = False
        except FileNotFoundError:
            raise LockError(f"cannot create lock file {self.path}: the index folder does not exist", self.path) from None
        if not self._try_flock(fd):
            os.close(fd)
            return False
        try:
            st = os.lstat(self.path)
            same = stat.S_ISREG(st.st_mode) and os.fstat(fd).st_ino == st.st_ino
        except FileNotFoundError:
            same = False
        if not same:  # the file we locked was released and unlinked meanwhile
            os.close(fd)
            return False
        if not fresh:
            self.recovered_from = self._holder()  # the previous holder died without releasing
        self._stamp(fd)
        self.fd = fd
        return True

    # -- public --------------------------------------------------------------------------------
    def acquire(self, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + max(timeout, 0.0)
        while True:
            try:
                if self._attempt():
                    return
            except PermissionError as exc:
                raise LockError(f"cannot create lock file {self.path}: permission denied", self.path) from exc
            if time.monotonic() >= deadline:
                who = self._describe_holder()
                raise LockError(
                    f"index is locked by another writer ({who}); lock file {self.path}. "
                    f"Waited {timeout:g} s: wait for that writer to finish, or wait longer "
                    "(--lock-timeout SECONDS on the command line, lock_timeout= in Python)",
                    self.path,
                )
            time.sleep(_POLL)

    def _describe_holder(self) -> str:
        holder = self._holder()
        try:
            since = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(float(holder["time"])))
            return f"process {int(holder['pid'])} on {str(holder.get('host'))[:100]} since {since}"
        except (KeyError, TypeError, ValueError, OverflowError, OSError):
            return "another process"

    def release(self) -> None:
        if self.fd is None:
            return
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass
        finally:
            os.close(self.fd)  # drops the flock
            self.fd = None

    @property
    def held(self) -> bool:
        return self.fd is not None
