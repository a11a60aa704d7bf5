"""Connecting to a Dask cluster from a scheduler address (what the CLI's ``--scheduler`` takes)."""
from __future__ import annotations

from typing import Any

from searchlib.errors import ArgumentError, SearchlibError

__all__ = ["start_client"]


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise SearchlibError("Dask is not installed; install the extra: pip install 'searchlib[dask]'") from None
    return distributed


def start_client(scheduler: str, timeout: float = 10.0) -> tuple[Any, Any]:
    """``(client, cluster)`` for ``scheduler``: ``"local"`` or ``"local:N"`` starts a
    ``LocalCluster`` of N worker processes (one thread each; default: the CPU count) that lives as
    long as the client; anything else is the address of a running scheduler
    (``tcp://host:8786``). Close both when done (``cluster`` is None for an address)."""
    if not isinstance(scheduler, str) or not scheduler.strip():
        raise ArgumentError(f"scheduler must be an address (tcp://host:8786) or local[:workers], got {scheduler!r}")
    distributed = _distributed()
    text = scheduler.strip()
    if text == "local" or text.startswith("local:"):
        import os

        count = text.partition(":")[2]
        if count and not (count.isdigit() and int(count) >= 1):
            raise ArgumentError(f"local:N takes a number of workers >= 1, got {scheduler!r}")
        n = int(count) if count else (os.cpu_count() or 1)
        cluster = distributed.LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                           dashboard_address=None, silence_logs=40)
        return distributed.Client(cluster), cluster
    try:
        return distributed.Client(text, timeout=timeout), None
    except (OSError, TimeoutError) as exc:
        raise SearchlibError(f"cannot reach the Dask scheduler at {text} ({exc}); start it with "
                             "`dask scheduler` or use --scheduler local") from None
