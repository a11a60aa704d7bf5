"""A LocalCluster shared by the distributed tests: 2 worker processes, 1 thread each, localhost
only. Started once per session (worker start-up costs seconds on a busy 2-core machine)."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from distributed import Client, LocalCluster


@pytest.fixture(scope="session")
def cluster() -> Iterator[Any]:
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      host="127.0.0.1", silence_logs=50) as c:
        yield c


@pytest.fixture
def client(cluster: Any) -> Iterator[Any]:
    with Client(cluster, timeout=60) as c:
        c.wait_for_workers(2, timeout=120)  # a test that killed a worker may have left one restarting
        yield c
