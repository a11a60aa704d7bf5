"""Engine registry. Adapters import their engine lazily so a missing package only skips it."""
from __future__ import annotations

import importlib

ENGINES = {
    "searchlib": "benchmarks.engines.searchlib_engine:SearchlibEngine",
    "whoosh": "benchmarks.engines.whoosh_engine:WhooshEngine",
    "tantivy": "benchmarks.engines.tantivy_engine:TantivyEngine",
    "fts5": "benchmarks.engines.fts5_engine:Fts5Engine",
    "bm25s": "benchmarks.engines.bm25s_engine:Bm25sEngine",
    "rank_bm25": "benchmarks.engines.rank_bm25_engine:RankBm25Engine",
}


def engine_class(name: str):
    module, _, cls = ENGINES[name].partition(":")
    return getattr(importlib.import_module(module), cls)


def create(name: str):
    return engine_class(name)()


def availability(name: str) -> tuple[bool, str]:
    """(usable, note). Each adapter module may define ``check() -> None`` raising when unusable."""
    try:
        module = importlib.import_module(ENGINES[name].partition(":")[0])
        check = getattr(module, "check", None)
        if check is not None:
            check()
        return True, ""
    except Exception as exc:  # noqa: BLE001 - any failure means "skip with a note"
        return False, f"{type(exc).__name__}: {exc}"
