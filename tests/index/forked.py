"""Running one damaged-index case in a forked child, so that a crash or a hang is an outcome the
test reports instead of the end of the test run.

:func:`run_forked` forks, runs the function in the child and sends back its JSON result through a
pipe. Outcomes: ``{"outcome": "returned", "value": ...}``; ``"crash"`` (the child died by a signal:
a segfault in native code); ``"hang"`` (no answer within the limit, a generous one: a hang
detector, not a speed test); ``"exit"`` (it exited without answering). :func:`workload` is what
each case runs: open, searches, gets, check, a commit, each step recorded as its result or its
exception's class (SearchlibError subclasses are allowed outcomes, anything else is a bug).
"""
from __future__ import annotations

import json
import os
import select
import signal
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["HANG_SECONDS", "run_forked", "workload"]

HANG_SECONDS = 60.0


def run_forked(fn: Callable[[], Any], limit: float = HANG_SECONDS) -> dict[str, Any]:
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: run, answer, leave without any cleanup of the parent's state
        os.close(r)
        try:
            result: dict[str, Any] = {"outcome": "returned", "value": fn()}
        except BaseException as exc:  # noqa: BLE001 - reported to the parent
            result = {"outcome": "raised", "type": type(exc).__name__, "message": str(exc)[:500],
                      "traceback": traceback.format_exc()[-3000:]}
        data = json.dumps(result, default=repr).encode("utf-8")
        while data:
            data = data[os.write(w, data):]
        os._exit(0)
    os.close(w)
    chunks = []
    deadline = time.monotonic() + limit  # a hang detector only
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return {"outcome": "hang"}
            ready, _, _ = select.select([r], [], [], left)
            if ready:
                chunk = os.read(r, 1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
    finally:
        os.close(r)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        return {"outcome": "crash", "signal": os.WTERMSIG(status)}
    if not chunks:
        return {"outcome": "exit", "status": status}
    return json.loads(b"".join(chunks))


def _step(fn: Callable[[], Any]) -> Any:
    """The step's result, or ``{"error": class, "searchlib": bool}`` when it raised."""
    from searchlib.errors import SearchlibError

    try:
        return {"ok": fn()}
    except SearchlibError as exc:
        return {"error": type(exc).__name__, "searchlib": True, "message": str(exc)[:300],
                "path": getattr(exc, "path", None)}
    except Exception as exc:  # noqa: BLE001 - a bug: reported
        return {"error": type(exc).__name__, "searchlib": False, "message": str(exc)[:300],
                "traceback": traceback.format_exc()[-2000:]}


def _answer(ix: Any, q: str) -> list[Any]:
    res = ix.search(q, limit=5)
    return [res.total] + [[h.id, round(h.score, 9), h.fields, h.snippet("body")] for h in res]


def workload(path: Path, queries: list[str], ids: list[str], write: bool = True) -> dict[str, Any]:
    """What a user does with an index, step by step (each step independent of the others' errors)."""
    from searchlib.api import Index

    out: dict[str, Any] = {}
    opened = _step(lambda: Index.open(path))
    if "error" in opened:
        out["open"] = opened
        return out
    ix = opened["ok"]
    out["open"] = {"ok": True}
    out["len"] = _step(lambda: len(ix))
    out["search"] = [_step(lambda q=q: _answer(ix, q)) for q in queries]  # type: ignore[misc]
    out["get"] = [_step(lambda i=i: ix.get(i)) for i in ids]  # type: ignore[misc]
    out["prefix"] = _step(lambda: [t for seg in ix.reader().segments for t in seg.terms_with_prefix("body", "长")])
    out["check"] = _step(lambda: ix.check()["documents"])
    out["stats"] = _step(lambda: {k: v for k, v in ix.stats().items() if k in ("documents", "segments", "terms")})
    if write:
        def commit() -> int:
            with ix.writer(workers=1, lock_timeout=5) as w:
                w.add({"id": "fuzz-new", "title": "新", "body": "长沙工程机械 新文档"})
                w.delete(ids[0])
            return len(ix)

        out["write"] = _step(commit)
    return out


def problems(result: dict[str, Any], pristine: dict[str, Any], strict: bool = True) -> list[str]:
    """What is wrong with a case's outcome: a crash, a hang, an exception that is not a
    SearchlibError, or, when ``check()`` passed, a difference from the pristine index (``strict``:
    the files were damaged, and check() verifies every checksum, so a passing check means every
    byte is as written) or any read error (not ``strict``: crafted files with recomputed
    checksums describe ANOTHER index, whose results nothing can predict; but what check() accepts
    must read without error). Empty when the outcome is allowed (see docs/SECURITY.md)."""
    if result.get("outcome") != "returned":
        return [f"{result.get('outcome')}: {result}"]
    out = result["value"]
    found = []

    def walk(step: Any, name: str) -> None:
        if isinstance(step, list):
            for i, s in enumerate(step):
                walk(s, f"{name}[{i}]")
        elif isinstance(step, dict) and "error" in step and not step.get("searchlib"):
            found.append(f"{name}: {step['error']}: {step.get('message')}\n{step.get('traceback', '')}")

    for name, step in out.items():
        walk(step, name)
    if out.get("check", {}).get("ok") is not None:  # the index verified whole
        for name in ("open", "len", "search", "get", "prefix", "stats"):
            steps = out.get(name) if isinstance(out.get(name), list) else [out.get(name)]
            if strict and out.get(name) != pristine.get(name):
                found.append(f"{name} differs from the pristine index although check() passed")
            elif not strict and any(isinstance(s, dict) and "error" in s for s in steps):
                found.append(f"{name} failed although check() passed: {steps}")
    return found
