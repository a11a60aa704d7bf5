"""``search(..., timeout=seconds)``: scoring stops when the budget is spent and the results say
so (``timed_out``), holding what the segments done so far gave; no wall-clock assumption: the
budget is either already spent (1 ns) or never reached (an hour), or the deadline check is told
when to fire."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import searchlib
from searchlib.cli import cli
from searchlib.errors import ArgumentError, ArgumentTypeError
from searchlib.query.context import QueryContext, SearchTimeout

PER_SEGMENT = 40


@pytest.fixture(scope="module")
def ix_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("timeout") / "ix"
    ix = searchlib.Index.create(path)
    for seg in range(3):  # three segments
        with ix.writer(workers=1, merge=False) as w:
            for i in range(PER_SEGMENT):
                w.add({"id": f"{seg}-{i}", "body": f"长沙工程机械 第{i}条 " * (1 + i % 3)})
    ix.close()
    return path


def test_a_spent_budget_gives_marked_partial_results(ix_path: Path) -> None:
    ix = searchlib.Index.open(ix_path)
    full = ix.search("长沙", limit=200)
    assert not full.timed_out and full.total == 3 * PER_SEGMENT
    spent = ix.search("长沙", limit=200, timeout=1e-9)
    assert spent.timed_out and spent.total < full.total
    ample = ix.search("长沙", limit=200, timeout=3600)
    assert not ample.timed_out and [h.id for h in ample] == [h.id for h in full]


def test_the_segments_done_before_the_deadline_are_kept(ix_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ix = searchlib.Index.open(ix_path)
    calls = {"n": 0}

    def fire_on_the_second_segment(self: QueryContext) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise SearchTimeout()

    monkeypatch.setattr(QueryContext, "check_deadline", fire_on_the_second_segment)
    res = ix.search("长沙", limit=200, timeout=3600)
    assert res.timed_out and res.total == PER_SEGMENT  # the first segment's matches, exactly
    assert len({h.id.split("-")[0] for h in res}) == 1


@pytest.mark.parametrize("bad, error", [(0, ArgumentError), (-1, ArgumentError), (float("nan"), ArgumentError),
                                        ("1", ArgumentTypeError)])
def test_bad_budgets_are_argument_errors(ix_path: Path, bad: object, error: type) -> None:
    with pytest.raises(error):
        searchlib.Index.open(ix_path).search("长沙", timeout=bad)  # type: ignore[arg-type]


def test_cli_timeout_marks_json_and_text(ix_path: Path) -> None:
    r = CliRunner().invoke(cli, ["query", "长沙", "--index", str(ix_path), "--timeout", "1e-9", "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["timed_out"] is True
    r = CliRunner().invoke(cli, ["query", "长沙", "--index", str(ix_path), "--timeout", "1e-9"])
    assert r.exit_code == 0 and "timed out: partial results" in r.output
    r = CliRunner().invoke(cli, ["query", "长沙", "--index", str(ix_path), "--timeout", "0"])
    assert r.exit_code != 0 and "timeout" in r.output.lower()
