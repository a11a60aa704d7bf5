"""Counting work instead of timing it: tests must pass on a busy machine (no wall-clock limits).

:func:`work` runs a function under ``sys.setprofile`` and counts the Python-level events (calls and
returns of Python and C functions): a deterministic measure of the algorithmic work, whatever the
load. :func:`assert_linear` compares that count for an input of size n and 4n: linear code does
about 4x the work, a quadratic step 16x. What it cannot see: superlinear work inside ONE C call (a
regular expression backtracking); the benchmarks time those.
"""
from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["assert_linear", "work"]


def work(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, int]:
    """``(fn(*args, **kwargs), events)``: its result and the profile events it caused."""
    count = 0

    def profile(frame: Any, event: str, arg: Any) -> None:
        nonlocal count
        count += 1

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        result = fn(*args, **kwargs)
    finally:
        sys.setprofile(previous)
    if threading.current_thread() is not threading.main_thread():  # pragma: no cover - not used so
        raise RuntimeError("work() counts the calling thread only")
    return result, count


def assert_linear(make: Callable[[int], Any], fn: Callable[[Any], Any], n: int, factor: int = 4,
                  slack: float = 1.25) -> tuple[int, int]:
    """Work of ``fn(make(factor * n))`` is at most ``slack * factor`` times that of ``fn(make(n))``
    (quadratic work would be ``factor ** 2`` times). Returns both counts."""
    _, small = work(fn, make(n))
    _, big = work(fn, make(factor * n))
    assert big <= slack * factor * small, f"work grew {big / small:.1f}x for {factor}x the input ({small} -> {big} events)"
    return small, big
