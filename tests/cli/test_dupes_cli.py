"""``search dupes``, ``search similar`` and ``search query --collapse duplicates``: through click's
runner, and once as a real subprocess."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.test_cli import one_error_line, run
from tests.query.test_duplicates import STORIES, variant

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("dupes")
    lines = []
    for story in range(len(STORIES)):
        for k in range(story % 3 + 1):  # 1, 2 or 3 copies
            lines.append({"id": f"s{story}-{k}", "title": f"story {story} copy {k}", "body": variant(story, k * 5)})
    src = base / "news.jsonl"
    src.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    path = base / "ix"
    result = run("index", str(src), "--index", str(path))
    assert result.exit_code == 0, result.output
    return path


def test_dupes_lists_clusters(index: Path) -> None:
    result = run("dupes", "--index", str(index), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["clusters"] == 3 and data["documents"] == 7
    assert [c["ids"] for c in data["shown"]] == [["s2-0", "s2-1", "s2-2"], ["s1-0", "s1-1"], ["s4-0", "s4-1"]]
    assert json.loads(run("dupes", "--index", str(index), "--json", "--min-size", "3").stdout)["clusters"] == 1
    text = run("dupes", "--index", str(index), "--limit", "1")
    assert text.exit_code == 0
    assert "1. 3 documents  story 2 copy 0" in text.stdout and "s2-0  s2-1  s2-2" in text.stdout
    assert text.stdout.rstrip().endswith("3 clusters of near-duplicates, 7 documents (showing 1)")


def test_similar(index: Path) -> None:
    result = run("similar", "s2-0", "--index", str(index), "--json", "--limit", "3")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["id"] == "s2-0"
    assert {h["id"] for h in data["hits"][:2]} == {"s2-1", "s2-2"}
    assert all("similarity" in h for h in data["hits"])
    text = run("similar", "s2-0", "--index", str(index))
    assert text.exit_code == 0 and "near-duplicate" in text.stdout and "similar documents to 's2-0'" in text.stdout
    missing = run("similar", "nope", "--index", str(index))
    assert missing.exit_code == 1 and one_error_line(missing) == f"error: no document with id 'nope' in {index}"


def test_query_collapse_duplicates(index: Path) -> None:
    plain = json.loads(run("query", "长沙 OR 租房 OR 降温", "--index", str(index), "--json", "--limit", "20").stdout)
    col = run("query", "长沙 OR 租房 OR 降温", "--index", str(index), "--json", "--limit", "20", "--collapse", "duplicates")
    assert col.exit_code == 0, col.output
    data = json.loads(col.stdout)
    stories = [h["id"].split("-")[0] for h in data["hits"]]
    assert len(stories) == len(set(stories)) == 3
    assert data["total"] == plain["total"] and "groups" not in data  # score order: groups not counted
    assert sum(h["collapsed"] for h in data["hits"]) == len(plain["hits"]) - 3
    text = run("query", "租房", "--index", str(index), "--collapse", "duplicates")
    assert "+1 copy" in text.stdout


def test_bad_threshold_is_a_usage_error(index: Path) -> None:
    for args in (["dupes", "--threshold", "0"], ["similar", "s1-0", "--threshold", "1.5"], ["dupes", "--min-size", "1"]):
        result = run(*args, "--index", str(index))
        assert result.exit_code == 2, args
        assert one_error_line(result).startswith("error: Invalid value")


def test_dupes_subprocess(index: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("SEARCHLIB_INDEX", "NO_COLOR")}
    p = subprocess.run([sys.executable, "-m", "searchlib.cli", "dupes", "--index", str(index), "--json"],
                       capture_output=True, cwd=ROOT, env=env, timeout=120)
    assert p.returncode == 0, p.stderr.decode()
    assert json.loads(p.stdout)["clusters"] == 3
    p = subprocess.run([sys.executable, "-m", "searchlib.cli", "similar", "nope", "--index", str(index)],
                       capture_output=True, cwd=ROOT, env=env, timeout=120)
    assert p.returncode == 1 and p.stderr.decode().count("\n") == 1
