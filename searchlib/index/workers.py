"""Analysis worker processes for one writer: starting them cheaply and safely.

The writer hands chunks of documents to a ``multiprocessing`` pool running
:func:`searchlib.index.batch.analyze_in_worker`. How the workers start matters for speed and
safety: ``fork`` on Linux while the process runs a single Python thread (a forked worker starts in
milliseconds with jieba's dictionary already loaded, and no lock held by another thread can be
copied into it); ``spawn`` otherwise (a fresh interpreter that imports searchlib and loads the
dictionary: ~0.4 s of CPU per worker). ``SEARCHLIB_WORKER_START=spawn|fork`` overrides.
"""
from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import sys
import threading
from typing import Any

from searchlib.index.batch import init_worker

__all__ = ["start_method", "start_pool"]


@contextlib.contextmanager
def _main_module_hidden():  # type: ignore[no-untyped-def]
    """Start workers without re-running the caller's ``__main__`` script.

    ``spawn`` children normally re-import the parent's main script, which breaks scripts that lack
    an ``if __name__ == "__main__"`` guard and slows start-up; the workers only need searchlib, so
    the main module's path is hidden while they start."""
    main = sys.modules.get("__main__")
    saved = {k: getattr(main, k) for k in ("__file__", "__spec__") if main is not None and hasattr(main, k)}
    try:
        for k in saved:
            if k == "__file__":
                delattr(main, k)
            else:
                setattr(main, k, None)
        yield
    finally:
        for k, v in saved.items():
            setattr(main, k, v)


def start_method() -> str:
    """``fork`` when it is safe and available, else ``spawn`` (see the module docstring)."""
    forced = os.environ.get("SEARCHLIB_WORKER_START")
    if forced in ("fork", "spawn"):
        return forced
    if not sys.platform.startswith("linux") or "fork" not in multiprocessing.get_all_start_methods():
        return "spawn"
    return "fork" if threading.active_count() == 1 else "spawn"


def _trim_heap() -> None:
    """Give free heap memory back to the OS before forking (glibc ``malloc_trim``): free pages that
    stayed mapped would be shared copy-on-write with the children, and the big arrays this
    process allocates later would copy them page by page instead of getting fresh ones."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def start_pool(processes: int, analyzer_config: dict[str, Any], lock_fd: int | None) -> Any:
    """A pool of ``processes`` analysis workers. ``lock_fd``: the writer's lock descriptor, which a
    forked worker inherits (and with it the flock) and must close."""
    method = start_method()
    ctx = multiprocessing.get_context(method)
    inherited = [lock_fd] if method == "fork" and lock_fd is not None else []
    if method == "fork":
        gc.freeze()  # the children's garbage collector leaves inherited objects alone (no copy-on-write)
        _trim_heap()
    try:
        with _main_module_hidden():
            return ctx.Pool(processes, initializer=init_worker, initargs=(analyzer_config, inherited))
    finally:
        if method == "fork":
            gc.unfreeze()
