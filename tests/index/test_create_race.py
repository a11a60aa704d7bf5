"""Racing creators: creating the same new index from several threads or processes at once is
idempotent (``Index.create(exist_ok=True)``, which ``search index`` uses): all succeed, one index."""
from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from searchlib.analysis.analyzer import Analyzer
from searchlib.api import Index
from searchlib.errors import IndexExistsError
from searchlib.index.manifest import read_manifest

ROOT = Path(__file__).resolve().parents[2]


def test_threads_creating_one_index_all_succeed(tmp_path: Path) -> None:
    path = tmp_path / "ix"
    n = 8
    barrier = threading.Barrier(n)
    results: list[object] = []

    def create() -> None:
        barrier.wait()
        try:
            results.append(Index.create(path, exist_ok=True))
        except Exception as exc:  # noqa: BLE001 - the test reports any failure
            results.append(exc)

    threads = [threading.Thread(target=create) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(isinstance(r, Index) for r in results), results
    assert read_manifest(str(path))["generation"] == 0 and len(Index.open(path)) == 0


def test_create_without_exist_ok_still_refuses_an_existing_index(tmp_path: Path) -> None:
    Index.create(tmp_path / "ix")
    with pytest.raises(IndexExistsError, match="already exists"):
        Index.create(tmp_path / "ix")


def test_exist_ok_keeps_the_existing_analyzer(tmp_path: Path) -> None:
    """``create(exist_ok=True)`` without an analyzer opens an index built with another one (the
    racing ``search index`` runs must not fail on a stemmed index)."""
    Index.create(tmp_path / "ix", analyzer=Analyzer(stemmer="english"))
    ix = Index.create(tmp_path / "ix", exist_ok=True)
    assert ix.analyzer.stemmer == "english"


_CREATE = "import sys; from searchlib.cli import main; main(['index', sys.argv[1], '--index', sys.argv[2], '--quiet'])"


@pytest.mark.stress
def test_racing_search_index_processes(tmp_path: Path) -> None:
    """Two ``search index`` runs on the same new index, 6 trials: both succeed every time."""
    page = tmp_path / "page.txt"
    page.write_text("长沙工程机械\n\n长沙的工程机械产业集群发展迅速。\n", encoding="utf-8")
    for trial in range(6):
        path = tmp_path / f"ix{trial}"
        procs = [subprocess.Popen([sys.executable, "-c", _CREATE, str(page), str(path)], cwd=ROOT,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
        outcomes = [(p.wait(timeout=300), p.stderr.read().decode()) for p in procs]
        for p in procs:
            p.stdout.close()
            p.stderr.close()
        assert all(rc == 0 for rc, _ in outcomes), (trial, outcomes)
        assert len(Index.open(path)) == 1
