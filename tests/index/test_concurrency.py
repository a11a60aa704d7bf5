"""Readers in another process during commits; the writer lock (contention, waiting, stale locks)."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from searchlib.api import Index
from searchlib.errors import LockError
from searchlib.index import lock as lock_module
from searchlib.index.lock import WriteLock

ROOT = Path(__file__).resolve().parents[2]


def _wait_for_generation(child: subprocess.Popen[str], generation: int) -> None:
    """Block until the reader child reports having read ``generation`` or a later one."""
    while True:
        line = child.stdout.readline()  # type: ignore[union-attr]
        assert line, "the reader child stopped"
        if int(line.split()[1]) >= generation:
            return


def test_reader_process_sees_consistent_snapshots(tmp_path: Path) -> None:
    path = tmp_path / "ix"
    ix = Index.create(path)
    stop, out = tmp_path / "stop", tmp_path / "out.json"
    child = subprocess.Popen([sys.executable, "-m", "tests.index.reader_child", str(path), str(stop), str(out)], cwd=ROOT,
                             stdout=subprocess.PIPE, text=True)
    seen = 0
    try:
        _wait_for_generation(child, 0)  # it reads the empty index
        with ix.writer(workers=1, merge_factor=5) as w:
            for i in range(100):
                w.add({"id": f"c{i}", "body": f"文档{i}"})
                w.add({"id": "counter", "body": str(i + 1)})
                if i % 10 == 3:
                    w.delete(f"c{i}")  # deleted and re-added in the same commit
                    w.add({"id": f"c{i}", "body": f"文档{i}"})
                w.commit()
                if i % 10 == 9:  # let it read this commit before the next ones (a pipe, not a sleep)
                    _wait_for_generation(child, w.generation)
                    seen += 1
    finally:
        stop.touch()
        child.wait(timeout=120)  # a hang guard only
        child.stdout.close()  # type: ignore[union-attr]
    result = json.loads(out.read_text())
    assert "error" not in result, result.get("error")
    assert seen == 10 and result["generations"] >= 11 and result["reads"] >= result["generations"]
    assert len(ix) == 101
    ix.check()


class _FakeClock:
    """Stands in for the lock module's ``time``: sleeping advances it at once."""

    def __init__(self) -> None:
        self.now = 0.0
        self.time, self.strftime, self.localtime = time.time, time.strftime, time.localtime

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def _count_attempts(monkeypatch: pytest.MonkeyPatch, on_fail: threading.Event | None = None) -> list[bool]:
    outcomes: list[bool] = []
    real = WriteLock._attempt

    def attempt(self: WriteLock) -> bool:
        ok = real(self)
        outcomes.append(ok)
        if not ok and on_fail is not None:
            on_fail.set()
        return ok

    monkeypatch.setattr(WriteLock, "_attempt", attempt)
    return outcomes


def test_second_writer_times_out_with_lock_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ix = Index.create(tmp_path / "ix")
    with ix.writer(workers=1):
        clock = _FakeClock()
        monkeypatch.setattr(lock_module, "time", clock)
        attempts = _count_attempts(monkeypatch)
        with pytest.raises(LockError) as err:
            ix.writer(lock_timeout=0.3)
        assert clock.now >= 0.3 and not any(attempts) and len(attempts) >= 0.3 / lock_module._POLL
        assert err.value.path == str(tmp_path / "ix" / "write.lock")
        assert "write.lock" in str(err.value) and str(os.getpid()) in str(err.value)


def test_second_writer_waits_for_the_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ix = Index.create(tmp_path / "ix")
    first = ix.writer(workers=1)
    first.add({"id": "a", "body": "一"})
    refused = threading.Event()
    attempts = _count_attempts(monkeypatch, refused)

    def finish() -> None:
        refused.wait()  # the second writer has been refused once: now let it in
        first.commit()
        first.close()

    thread = threading.Thread(target=finish)
    thread.start()
    with ix.writer(workers=1, lock_timeout=120) as second:  # waits, then gets the lock
        assert ix.get("a") is not None
        second.add({"id": "b", "body": "二"})
    thread.join()
    assert attempts[0] is False and attempts[-1] is True
    assert len(ix) == 2


def test_writer_lock_excludes_other_processes(tmp_path: Path) -> None:
    ix = Index.create(tmp_path / "ix")
    code = (
        "import sys; from searchlib.api import Index; from searchlib.errors import LockError\n"
        "try:\n    Index.open(sys.argv[1]).writer(lock_timeout=0.2)\nexcept LockError as e:\n    print('LOCKED', e.path)\n"
    )
    with ix.writer(workers=1):
        res = subprocess.run([sys.executable, "-c", code, str(tmp_path / "ix")], cwd=ROOT, capture_output=True, text=True)
    assert res.stdout.startswith("LOCKED"), res.stderr


def test_stale_lock_of_dead_process_is_recovered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ix = Index.create(tmp_path / "ix")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    lock = tmp_path / "ix" / "write.lock"
    lock.write_text(json.dumps({"pid": dead.pid, "host": socket.gethostname(), "time": time.time() - 5}))
    attempts = _count_attempts(monkeypatch)
    w = ix.writer(workers=1, lock_timeout=5)
    assert attempts == [True]  # taken over at the first attempt, no waiting
    assert w._lock.recovered_from["pid"] == dead.pid
    assert json.loads(lock.read_text())["pid"] == os.getpid()
    w.close()
    assert not lock.exists()


def test_stale_lock_of_killed_writer_process(tmp_path: Path) -> None:
    Index.create(tmp_path / "ix")
    code = (
        "import sys, time; from searchlib.api import Index\n"
        "w = Index.open(sys.argv[1]).writer(workers=1); w.add({'id': 'x', 'body': 'y'}); print('held', flush=True); time.sleep(60)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", code, str(tmp_path / "ix")], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "held"
    with pytest.raises(LockError):
        Index.open(tmp_path / "ix").writer(lock_timeout=0.1)
    child.kill()
    child.wait()
    child.stdout.close()
    with Index.open(tmp_path / "ix").writer(workers=1, lock_timeout=2) as w:
        w.add({"id": "z", "body": "恢复"})
    assert len(Index.open(tmp_path / "ix")) == 1


def test_lock_takeover_race_keeps_one_holder(tmp_path: Path) -> None:
    """Many threads racing for the lock: never two holders at once."""
    (tmp_path / "ix").mkdir()
    holders = []
    active = []
    errors = []

    def worker() -> None:
        lock = WriteLock(str(tmp_path / "ix"))
        for _ in range(20):
            try:
                lock.acquire(timeout=10)
            except LockError as exc:
                errors.append(exc)
                return
            active.append(1)
            holders.append(len(active))
            time.sleep(0.001)
            active.pop()
            lock.release()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and max(holders) == 1 and len(holders) == 80
