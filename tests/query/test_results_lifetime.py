"""A result set and its hits hold no reference cycle: dropping them frees them at once (not at
the next garbage collection), and a hit kept on its own still reads its fields and highlights."""
from __future__ import annotations

import gc
import weakref
from pathlib import Path

import searchlib


def _index(tmp_path: Path) -> searchlib.Index:
    ix = searchlib.Index.create(tmp_path / "ix")
    with ix.writer(workers=1) as w:
        w.add({"id": "a", "title": "港口", "body": "长沙的港口今天很忙。"})
        w.add({"id": "b", "title": "天气", "body": "长沙今天下雨。"})
    return ix


def test_results_and_hits_are_freed_without_the_cycle_collector(tmp_path: Path) -> None:
    ix = _index(tmp_path)
    ix.search("长沙")  # warm caches: they may keep objects of their own
    was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        results = ix.search("长沙 港口")
        assert len(results) == 2 and results.parsed
        gone = weakref.ref(results)
        del results
        assert gone() is None
    finally:
        if was_enabled:
            gc.enable()
        ix.close()


def test_a_hit_outlives_its_result_set(tmp_path: Path) -> None:
    ix = _index(tmp_path)
    try:
        hit = ix.search("港口")[0]
        gc.collect()
        assert hit.id == "a"
        assert hit.fields["body"] == "长沙的港口今天很忙。"
        assert hit.highlights("body") == [(3, 5)]
        assert "港口" in hit.snippet("body")
    finally:
        ix.close()


def test_parsed_is_the_rewritten_query(tmp_path: Path) -> None:
    ix = _index(tmp_path)
    try:
        assert ix.search("长沙 港口").parsed == "长沙 港口"
        assert ix.search("港口 -下雨").parsed == "港口 -下雨"
    finally:
        ix.close()
