"""``search index ... --shards N [--scheduler ...]`` and ``search query ... --scheduler ...``."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from click.testing import CliRunner

from searchlib.cli import cli
from tests.distributed.helpers import write_jsonl

DOCS = [{"id": f"c{i}", "title": ["长沙工程机械", "New York", "天气"][i % 3], "body": f"长沙 工程机械 company {i}",
         "source": ["新华社", "AP"][i % 2]} for i in range(30)]


def _strip(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in ("took_ms", "load_ms", "shards")}


def test_cli_builds_and_queries_a_sharded_index_in_process(tmp_path: Any) -> None:
    src = write_jsonl(str(tmp_path / "d.jsonl"), DOCS)
    runner = CliRunner()
    r = runner.invoke(cli, ["index", src, "--index", str(tmp_path / "one"), "-q"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(cli, ["index", src, "--index", str(tmp_path / "sh"), "--shards", "3"])
    assert r.exit_code == 0, r.output
    assert "30 added" in r.output and "3 shards" in r.output
    for args in (["长沙 工程机械"], ["company", "--facet", "source", "--sort", "-source"], ["", "--filter", "source=AP"]):
        one = json.loads(runner.invoke(cli, ["query", *args, "--index", str(tmp_path / "one"), "--json"]).output)
        sh = json.loads(runner.invoke(cli, ["query", *args, "--index", str(tmp_path / "sh"), "--json"]).output)
        assert _strip(one) == _strip(sh)
    r = runner.invoke(cli, ["query", "长沙", "--index", str(tmp_path / "sh")])
    assert r.exit_code == 0 and "30 hits" in r.output
    # errors: one line, exit 1 or 2
    r = runner.invoke(cli, ["query", "长沙", "--index", str(tmp_path / "one"), "--scheduler", "local:1"])
    assert r.exit_code == 1 and "holds none" in r.output
    r = runner.invoke(cli, ["index", src, "--index", str(tmp_path / "one"), "--shards", "2"])
    assert r.exit_code == 1 and "unsharded" in r.output
    r = runner.invoke(cli, ["index", src, "--index", str(tmp_path / "new"), "--scheduler", "local:0"])
    assert r.exit_code == 2 and "--shards N" in r.output


def test_cli_on_a_running_scheduler_in_a_subprocess(cluster: Any, tmp_path: Any) -> None:
    src = write_jsonl(str(tmp_path / "d.jsonl"), DOCS)
    env = dict(os.environ, PYTHONPATH=os.getcwd())
    address = cluster.scheduler_address

    def search(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "searchlib.cli", *args], capture_output=True, text=True,
                              env=env, timeout=300)

    r = search("index", src, "--index", str(tmp_path / "sh"), "--shards", "2", "--scheduler", address, "--json")
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert summary["added"] == 30 and summary["workers"] == 2 and sum(summary["shard_docs"]) == 30
    r = search("query", "长沙 工程机械", "--index", str(tmp_path / "sh"), "--scheduler", address, "--json", "--limit", "3")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["total"] == 30 and len(data["hits"]) == 3 and data["shards"] == 2
    assert "**" in data["hits"][0]["snippet"]
    r = search("query", "长沙", "--index", str(tmp_path / "sh"), "--scheduler", "tcp://127.0.0.1:9")
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and "cannot reach the Dask scheduler" in r.stderr
