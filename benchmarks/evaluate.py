"""Turn raw worker outputs (doc-id lists and latencies) into the report's rows."""
from __future__ import annotations

import math

from benchmarks import metrics as M

MB = 1024 * 1024


def build_row(out: dict, tok_seconds: float, pretokenized: bool, stores_text: bool) -> dict:
    """One row of the build table from a worker result (``build`` and ``open_s``)."""
    b = out["build"]
    incl = b["seconds"] + (tok_seconds if pretokenized else 0.0)
    return {
        "corpus": out["corpus"], "engine": out["engine"], "docs": b["docs"],
        "build_s": incl, "build_excl_analysis_s": b["seconds"] if pretokenized else None,
        "docs_per_s": b["docs"] / incl if incl else math.nan,
        "mb_per_s": b["raw_bytes"] / MB / incl if incl else math.nan,
        "size_mb": b["size_bytes"] / MB, "size_ratio": b["size_bytes"] / b["raw_bytes"],
        "open_ms": out.get("open_s", math.nan) * 1e3, "peak_rss_mb": b["peak_rss_mb"],
        "rss_before_mb": b["rss_before_mb"], "stores_text": stores_text,
    }


def latency_row(s: dict, idx: list[int] | None = None) -> dict:
    """Latency summary of a query set, optionally restricted to query indexes ``idx``."""
    lat = s["lat_s"] if idx is None else [s["lat_s"][i] for i in idx if i < len(s["lat_s"])]
    passes = s["pass_s"] if idx is None else [p * len(lat) / max(1, s["n"]) for p in s["pass_s"]]
    row = M.latency_summary(lat, passes)
    row.update(repeats=s["repeats"], capped=s["capped"], errors=s["errors"])
    if idx is not None:  # QPS of a band: from its own per-query medians
        row["qps"] = len(lat) / sum(lat) if lat and sum(lat) > 0 else math.nan
    return row


def band_indexes(term_queries: list[dict]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for i, q in enumerate(term_queries):
        out.setdefault(q["band"], []).append(i)
    return out


def phrase_quality(found, queries: list[dict], gold_key: str, text_of) -> dict:
    n = len(found)
    recall = M.phrase_recall(found, [q[gold_key] for q in queries[:n]])
    precision, returned = M.phrase_precision(found, [q["q"] for q in queries[:n]], text_of)
    return {"recall": recall, "precision": precision, "returned": returned, "n": n}


def known_quality(found, queries: list[dict]) -> dict:
    n = len(found)
    return {"mrr": M.mrr(found, [q["target"] for q in queries[:n]]), "n": n,
            "found_top10": sum(q["target"] in f for f, q in zip(found, queries))}


def overlap(found: dict[str, list], base: str = "searchlib") -> dict[str, float]:
    """Mean top-10 Jaccard of every engine's results vs ``base`` (over the common prefix)."""
    if base not in found:
        return {}
    ref = found[base]
    return {e: M.mean_jaccard(ids[:len(ref)], ref[:len(ids)]) for e, ids in found.items()
            if e != base}
