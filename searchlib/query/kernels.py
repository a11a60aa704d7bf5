"""Compiled kernels: loops that numpy can only express as dozens of small calls, compiled with
numba (the ``fast`` extra) and cached on disk.

Proximity rescoring of a pasted headline reads the positions of a dozen words in ten documents
and counts adjacent pairs: about 60 numpy calls on arrays of a few hundred entries, where each
call's fixed cost dominates (docs/INTERNALS.md has the profile). One compiled loop does the same
work in microseconds. The numpy code stays the reference implementation: tests compare the two,
and it is what runs when numba is missing.

Facet counts of a wide query (100,000 matches) are a gather and a ``bincount`` that widens every
value to 64 bits: one compiled loop (:mod:`searchlib.query.count_kernel`) counts in place. A sort
by a column walks the column's sorted order one document at a time
(:mod:`searchlib.query.sort_kernel`) instead of looking windows of it up with ``searchsorted``.
A one-word query ranked by score is scored and cut to its top k in one pass per segment
(:mod:`searchlib.query.term_kernel`) instead of about twenty numpy passes.

Loading numba costs a process about 0.1 s, and a kernel's first use in a process another 0.1 s
(read from numba's on-disk cache; compiling takes about a second the first time on a machine, per
combination of the segment's array widths). A one-shot ``search query`` never pays it: in the
default mode ``auto`` the kernels are loaded only once a process has run :data:`WARM_AFTER` calls
the numpy way (a server, a benchmark, a batch of queries). ``SEARCHLIB_KERNELS=numpy`` never loads
them, ``compiled`` loads them at the first call; :func:`set_mode` does the same in a process.
"""
from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any

from searchlib.errors import ArgumentError

__all__ = ["MODES", "WARM_AFTER", "available", "compile_errors", "disable", "mode", "proximity_counts", "leaf_top_k",
           "run", "set_mode", "sorted_walk", "value_counts"]

MODES = ("auto", "numpy", "compiled")
WARM_AFTER = 64  # calls a process makes the numpy way before ``auto`` loads the kernels

_lock = threading.Lock()
# "kernel": the proximity loop, "count": the counting loop, "walk": the sorted walk, "leaf": the
# leaf scorer (loaded together)
_state: dict[str, Any] = {"mode": None, "calls": 0, "kernel": None, "count": None, "walk": None, "leaf": None,
                          "failed": False, "errors": ()}


def mode() -> str:
    """The current mode: ``set_mode``'s, else ``SEARCHLIB_KERNELS``, else ``auto``."""
    m = _state["mode"]
    if m is None:
        m = os.environ.get("SEARCHLIB_KERNELS", "auto").strip().lower() or "auto"
        if m not in MODES:
            raise ArgumentError(f"SEARCHLIB_KERNELS must be one of {', '.join(MODES)}, got {m!r}")
        _state["mode"] = m
    return m  # type: ignore[no-any-return]


def set_mode(new: str) -> None:
    """Choose how kernels run in this process: ``auto``, ``numpy`` or ``compiled``."""
    if new not in MODES:
        raise ArgumentError(f"kernel mode must be one of {', '.join(MODES)}, got {new!r}")
    with _lock:
        _state["mode"] = new
        _state["calls"] = 0


def available() -> bool:
    """Whether numba is installed here and the kernels load (compiling happens at first use)."""
    return _load() is not None


def proximity_counts() -> Callable[..., int] | None:
    """The compiled :func:`searchlib.query.proximity_kernel.pairs_and_lead`, or None where the
    numpy way runs this call (mode ``numpy``, numba missing, or ``auto`` still warming up)."""
    return _kernel("kernel")


def value_counts() -> Callable[..., int] | None:
    """The compiled :func:`searchlib.query.count_kernel.count_at`, or None where the numpy way
    runs this call (as :func:`proximity_counts`)."""
    return _kernel("count")


def sorted_walk() -> Callable[..., int] | None:
    """The compiled :func:`searchlib.query.sort_kernel.walk_sorted`, or None where the numpy way
    runs this call (as :func:`proximity_counts`)."""
    return _kernel("walk")


def leaf_top_k() -> Callable[..., tuple[int, int]] | None:
    """The compiled :func:`searchlib.query.term_kernel.leaf_top_k`, or None where the numpy way
    runs this call (as :func:`proximity_counts`)."""
    return _kernel("leaf")  # type: ignore[return-value]


def _kernel(name: str) -> Callable[..., int] | None:
    m = mode()
    if m == "numpy":
        return None
    kernel = _state[name]
    if kernel is not None:
        return kernel  # type: ignore[no-any-return]
    if m == "auto":
        _state["calls"] += 1  # (a lost update between threads only delays loading by a call)
        if _state["calls"] <= WARM_AFTER:
            return None
    _load()
    return _state[name]  # type: ignore[no-any-return]


def run(name: str, *args: Any) -> Any:
    """Call the compiled loop ``name`` (``"count"``, ``"walk"``, ``"leaf"``) with ``args``; None
    where the numpy way must run instead: the loop is not loaded (mode ``numpy``, numba missing,
    ``auto`` still warming up) or numba cannot compile it for these arrays (the loops are then
    turned off in this process). A loop returns a number or a tuple, never None."""
    fn = _kernel(name)
    if fn is None:
        return None
    try:
        return fn(*args)
    except compile_errors():
        disable()
        return None


def compile_errors() -> tuple[type[BaseException], ...]:
    """The errors a kernel's first call raises when numba cannot compile it for these arrays (an
    unusual platform or array layout): the caller falls back to numpy (:func:`disable`)."""
    return _state["errors"]  # type: ignore[no-any-return]


def disable() -> None:
    """Stop using the compiled kernels in this process (after :func:`compile_errors`)."""
    with _lock:
        for name in _NAMES:
            _state[name] = None
        _state["failed"] = True


_NAMES = ("kernel", "count", "walk", "leaf")


def _load() -> Callable[..., int] | None:
    """Load every kernel not loaded yet (numba compiles each at its first call); the proximity
    kernel, or None where numba is missing or the kernels were turned off."""
    if _state["failed"] or all(_state[n] is not None for n in _NAMES):
        return _state["kernel"]  # type: ignore[no-any-return]
    # imported before taking the lock: an import takes Python's module locks, and a thread that
    # held ours while waiting for them could deadlock against one importing searchlib
    try:
        import numba
        from numba.core.errors import NumbaError
    except ImportError:  # the ``fast`` extra is not installed: numpy it is
        with _lock:
            _state["failed"] = True
        return None
    from searchlib.query import count_kernel, proximity_kernel, sort_kernel, term_kernel

    with _lock:
        if not _state["failed"] and any(_state[n] is None for n in _NAMES):
            _state["errors"] = (NumbaError,)

            def jit(fn: Callable[..., int]) -> Callable[..., int]:
                options = {"nogil": True, "boundscheck": False}
                try:
                    return numba.njit(cache=True, **options)(fn)  # type: ignore[no-any-return]
                except RuntimeError:  # no writable cache location: compile once per process instead
                    return numba.njit(**options)(fn)  # type: ignore[no-any-return]

            loops = {"kernel": proximity_kernel.pairs_and_lead, "count": count_kernel.count_at,
                     "walk": sort_kernel.walk_sorted, "leaf": term_kernel.leaf_top_k}
            for name in _NAMES:
                if _state[name] is None:
                    _state[name] = jit(loops[name])
    return _state["kernel"]  # type: ignore[no-any-return]
