"""The writer lock: one writer per index at a time.

``<index>/write.lock`` is created with ``O_CREAT | O_EXCL`` and holds ``pid``, ``host`` and
``time`` (JSON) for error messages; its holder also keeps an exclusive ``fcntl.flock`` on it for
as long as it writes. The flock is the truth: the kernel drops it when the holder dies, however it
dies, so a lock file whose flock can be taken is stale and is taken over (after checking that the
path still names the same file). A second writer polls until ``timeout`` and then raises
:class:`~searchlib.errors.LockError` naming the file and the holder. Release: unlink, then close.

On file systems without ``flock`` the pid recorded in the file decides: a lock of a process that
no longer exists on this host is stale.
"""
from __future__ import annotations

import errno
import fcntl
import json
import os
import socket
import time
from typing import Any

from searchlib.errors import LockError

__all__ = ["LOCK_FILE", "WriteLock"]

LOCK_FILE = "write.lock"
_POLL = 0.02


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
    def _holder(self) -> dict[str, Any]:
        try:
            with open(self.path, encoding="utf-8") as f:
                return json.loads(f.read() or "{}")
        except (OSError, ValueError):
            return {}

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
            if holder.get("host") == socket.gethostname() and isinstance(pid, int):
                return not _pid_alive(pid)
            return False

    def _stamp(self, fd: int) -> None:
        info = json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "time": time.time()}).encode()
        os.ftruncate(fd, 0)
        os.pwrite(fd, info, 0)

    def _attempt(self) -> bool:
        flags = os.O_RDWR | getattr(os, "O_CLOEXEC", 0)
        try:
            fd = os.open(self.path, flags | os.O_CREAT | os.O_EXCL, 0o644)
            fresh = True
        except FileExistsError:
            try:
                fd = os.open(self.path, flags)
            except FileNotFoundError:
                return False  # released meanwhile; try again
            fresh = False
        if not self._try_flock(fd):
            os.close(fd)
            return False
        try:
            same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
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
                holder = self._holder()
                who = (
                    f"process {holder.get('pid')} on {holder.get('host')} since "
                    f"{time.strftime('%Y-%m-%d %H:%M:%S', time.localtime(holder['time']))}"
                    if holder.get("time") else "another process"
                )
                raise LockError(
                    f"index is locked by another writer ({who}); lock file {self.path}. "
                    f"Waited {timeout:g} s: wait for that writer to finish, or pass a longer lock_timeout",
                    self.path,
                )
            time.sleep(_POLL)

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
