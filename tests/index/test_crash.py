"""A writer killed with SIGKILL at random moments never damages the index."""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from searchlib.api import Index
from tests.index.helpers import live_docs

ROOT = Path(__file__).resolve().parents[2]


def _last_states(log: Path) -> tuple[dict | None, dict | None]:
    done = intent = None
    if not log.exists():
        return None, None
    for line in log.read_text(encoding="utf-8").splitlines():
        kind, _, payload = line.partition(" ")
        try:
            state = json.loads(payload)
        except ValueError:
            continue  # torn last line
        if kind == "done":
            done, intent = state, None
        elif kind == "intent":
            intent = state
    return done, intent


def _trial(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    path = tmp_path / f"ix{seed}"
    log = tmp_path / f"log{seed}"
    Index.create(path).close()
    for round_ in range(2):  # a second child recovers the stale lock of the first
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.index.crash_child", str(path), str(log), str(seed * 10 + round_)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        assert child.stdout.readline() == b"committed\n", child.stderr.read().decode()  # its first commit
        time.sleep(rng.uniform(0.0, 0.6))  # the random moment of the kill (not a synchronisation)
        assert child.poll() is None, child.stderr.read().decode()
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        child.stdout.close()
        child.stderr.close()
        done, intent = _last_states(log)
        ix = Index.open(path)
        ix.check()
        got = {k: v["v"] for k, v in live_docs(path).items()}
        assert got == done or (intent is not None and got == intent), f"seed {seed} round {round_}"
        assert len(ix) == len(got)
        ix.close()
        with open(log, "a", encoding="utf-8") as f:  # the verified state is the next child's start
            f.write("\ndone " + json.dumps(got, sort_keys=True) + "\n")  # after a torn line, if any
    # The index is writable afterwards (the dead child's lock is recovered).
    with Index.open(path).writer(workers=1, lock_timeout=5) as w:
        w.add({"id": "after", "body": "恢复"})
    Index.open(path).check()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sigkill_during_writes(tmp_path: Path, seed: int) -> None:
    _trial(tmp_path, seed)


@pytest.mark.stress
@pytest.mark.parametrize("seed", range(100, 125))
def test_sigkill_during_writes_stress(tmp_path: Path, seed: int) -> None:
    _trial(tmp_path, seed)
