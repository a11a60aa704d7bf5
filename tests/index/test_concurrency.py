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
from searchlib.index.lock import WriteLock

ROOT = Path(__file__).resolve().parents[2]


def test_reader_process_sees_consistent_snapshots(tmp_path: Path) -> None:
    path = tmp_path / "ix"
    ix = Index.create(path)
    stop, out = tmp_path / "stop", tmp_path / "out.json"
    child = subprocess.Popen([sys.executable, "-m", "tests.index.reader_child", str(path), str(stop), str(out)], cwd=ROOT)
    try:
        time.sleep(0.5)  # let it start reading the empty index
        with ix.writer(workers=1, merge_factor=5) as w:
            for i in range(100):
                w.add({"id": f"c{i}", "body": f"文档{i}"})
                w.add({"id": "counter", "body": str(i + 1)})
                if i % 10 == 3:
                    w.delete(f"c{i}")  # deleted and re-added in the same commit
                    w.add({"id": f"c{i}", "body": f"文档{i}"})
                w.commit()
        time.sleep(0.3)
    finally:
        stop.touch()
        child.wait(timeout=60)
    result = json.loads(out.read_text())
    assert "error" not in result, result.get("error")
    assert result["reads"] > 20 and result["generations"] > 3
    assert len(ix) == 101
    ix.check()


def test_second_writer_times_out_with_lock_error(tmp_path: Path) -> None:
    ix = Index.create(tmp_path / "ix")
    with ix.writer(workers=1):
        t0 = time.monotonic()
        with pytest.raises(LockError) as err:
            ix.writer(lock_timeout=0.3)
        assert time.monotonic() - t0 >= 0.3
        assert err.value.path == str(tmp_path / "ix" / "write.lock")
        assert "write.lock" in str(err.value) and str(os.getpid()) in str(err.value)


def test_second_writer_waits_for_the_first(tmp_path: Path) -> None:
    ix = Index.create(tmp_path / "ix")
    first = ix.writer(workers=1)
    first.add({"id": "a", "body": "一"})

    def finish() -> None:
        time.sleep(0.3)
        first.commit()
        first.close()

    thread = threading.Thread(target=finish)
    thread.start()
    with ix.writer(workers=1, lock_timeout=10) as second:  # waits, then gets the lock
        assert ix.get("a") is not None
        second.add({"id": "b", "body": "二"})
    thread.join()
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


def test_stale_lock_of_dead_process_is_recovered(tmp_path: Path) -> None:
    ix = Index.create(tmp_path / "ix")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    lock = tmp_path / "ix" / "write.lock"
    lock.write_text(json.dumps({"pid": dead.pid, "host": socket.gethostname(), "time": time.time() - 5}))
    t0 = time.monotonic()
    w = ix.writer(workers=1, lock_timeout=5)
    assert time.monotonic() - t0 < 1
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
