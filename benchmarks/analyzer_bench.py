"""Analyzer throughput in characters per second over the People's Daily raw text.

Single process: ``searchlib.analyze`` vs ``jieba.lcut`` vs ``rjieba.cut`` (each warmed up; the
figure is the median of ``repeats`` full passes, fewer when one pass exceeds ``budget_s``).
Multi-process: searchlib in a ``multiprocessing`` Pool of N workers over chunks of documents
(workers are started and warmed before the clock starts; only token counts travel back).
"""
from __future__ import annotations

import time
from multiprocessing import get_context

from benchmarks.metrics import median

CHUNK_DOCS = 250


def _count(tokens) -> int:
    return len(tokens) if isinstance(tokens, list) else sum(1 for _ in tokens)


def analyzers(names) -> dict:
    """name -> callable(text) -> tokens, for the importable ones; errors as strings."""
    out: dict = {}
    for name in names:
        try:
            if name == "searchlib":
                import searchlib

                out[name] = searchlib.analyze
            elif name == "jieba":
                import jieba

                jieba.initialize()
                out[name] = jieba.lcut
            elif name == "rjieba":
                import rjieba

                out[name] = rjieba.cut
        except Exception as exc:  # noqa: BLE001
            out[name] = f"{type(exc).__name__}: {exc}"
    return out


def time_passes(fn, texts, repeats: int, budget_s: float) -> tuple[list[float], int]:
    for t in texts[:50]:
        _count(fn(t))
    passes, tokens = [], 0
    for _ in range(repeats):
        t0 = time.perf_counter()
        tokens = sum(_count(fn(t)) for t in texts)
        passes.append(time.perf_counter() - t0)
        if sum(passes) > budget_s:
            break
    return passes, tokens


def _init_worker() -> None:
    import searchlib

    searchlib.analyze("预热 warm-up 文本")


def _analyze_chunk(chunk: list[str]) -> int:
    import searchlib

    return sum(_count(searchlib.analyze(t)) for t in chunk)


def pool_passes(texts, workers: int, repeats: int, budget_s: float) -> list[float]:
    chunks = [texts[i:i + CHUNK_DOCS] for i in range(0, len(texts), CHUNK_DOCS)]
    ctx = get_context("fork")
    with ctx.Pool(workers, initializer=_init_worker) as pool:
        pool.map(_analyze_chunk, chunks[:workers])  # warm every worker
        passes = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            pool.map(_analyze_chunk, chunks, chunksize=1)
            passes.append(time.perf_counter() - t0)
            if sum(passes) > budget_s:
                break
    return passes


def run(texts: list[str], repeats: int = 3, budget_s: float = 30.0,
        names=("searchlib", "jieba", "rjieba"), pool_sizes=(1, 2)) -> dict:
    chars = sum(map(len, texts))
    res: dict = {"chars": chars, "docs": len(texts), "single": {}, "pool": {}, "skipped": {}}
    fns = analyzers(names)
    for name, fn in fns.items():
        if isinstance(fn, str):
            res["skipped"][name] = fn
            continue
        passes, tokens = time_passes(fn, texts, repeats, budget_s)
        res["single"][name] = {"seconds": median(passes), "passes": len(passes),
                               "chars_per_s": chars / median(passes), "tokens": tokens}
    if callable(fns.get("searchlib")):
        for n in pool_sizes:
            try:
                passes = pool_passes(texts, n, repeats, budget_s)
            except Exception as exc:  # noqa: BLE001
                res["skipped"][f"searchlib pool {n}"] = f"{type(exc).__name__}: {exc}"
                continue
            res["pool"][n] = {"seconds": median(passes), "passes": len(passes),
                              "chars_per_s": chars / median(passes)}
    return res
