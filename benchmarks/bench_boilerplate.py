"""Boilerplate filter: line-level quality against the gold labels, and throughput.

Run ``.venv/bin/python -m benchmarks.bench_boilerplate``.  Prints removal precision / recall / F1
and content retention per variety (all pages, and held-out pages only), then throughput (pages/s,
MB/s; median of 5 repeats) and writes everything to ``benchmarks/results/boilerplate.json``.

Removal is scored as a binary decision per non-empty line (removed vs kept); ``reason_accuracy``
additionally reports how often the predicted reason equals the gold reason.  The collection model
is fitted on all corpus pages (unsupervised: it never sees labels), as an index would fit it on
the pages it ingests.
"""
from __future__ import annotations

import json
import statistics
import time
from collections import Counter
from pathlib import Path

from corpus.pages import HELD_OUT, VARIETIES, Page, iter_pages, load_labels
from searchlib.analysis.boilerplate import BoilerplateModel, clean

RESULTS = Path(__file__).resolve().parent / "results" / "boilerplate.json"


def score_pages(pages: list[Page], model: BoilerplateModel | None) -> dict[str, float | int]:
    """Removal P/R/F1, content retention and reason accuracy over the labelled lines of ``pages``."""
    n = Counter()
    for page in pages:
        lines = clean(page.text, model).lines
        for line_no, gold in load_labels(page.name):
            line = lines[line_no - 1]
            n[(gold != "content", not line.kept)] += 1
            n["same_reason"] += line.reason == gold
            n["lines"] += 1
    tp, fp, fn, tn = n[(True, True)], n[(False, True)], n[(True, False)], n[(False, False)]
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"pages": len(pages), "lines": n["lines"], "boilerplate_lines": tp + fn,
            "content_lines": tn + fp, "precision": precision, "recall": recall, "f1": f1,
            "retention": tn / (tn + fp) if tn + fp else 1.0,
            "dropped_content_lines": fp, "reason_accuracy": n["same_reason"] / max(n["lines"], 1)}


def evaluate(pages: list[Page] | None = None, model: BoilerplateModel | None = None,
             fit: bool = True) -> dict[str, dict[str, dict[str, float | int]]]:
    """Scores per variety and overall, for all pages and for the held-out pages only."""
    pages = list(iter_pages()) if pages is None else pages
    if model is None and fit:
        model = BoilerplateModel.fit(p.text for p in pages)
    out: dict[str, dict[str, dict[str, float | int]]] = {}
    for subset, chosen in (("all", pages), ("held_out", [p for p in pages if p.name in HELD_OUT])):
        out[subset] = {v: score_pages([p for p in chosen if p.variety == v], model) for v in VARIETIES}
        out[subset]["total"] = score_pages(chosen, model)
    return out


def throughput(pages: list[Page], model: BoilerplateModel, repeats: int = 5) -> dict[str, float]:
    size_mb = sum(len(p.text.encode("utf-8")) for p in pages) / 1e6
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for page in pages:
            clean(page.text, model)
        times.append(time.perf_counter() - t0)
    t = statistics.median(times)
    t0 = time.perf_counter()
    BoilerplateModel.fit(p.text for p in pages)
    fit_s = time.perf_counter() - t0
    return {"pages": len(pages), "megabytes": size_mb, "median_seconds": t,
            "pages_per_s": len(pages) / t, "mb_per_s": size_mb / t, "fit_seconds": fit_s,
            "repeats": repeats}


def _row(name: str, s: dict) -> str:
    return (f"  {name:8} pages={s['pages']:3d} lines={s['lines']:4d}  P={s['precision']:.3f} "
            f"R={s['recall']:.3f} F1={s['f1']:.3f}  retention={s['retention']:.3f} "
            f"(dropped {s['dropped_content_lines']})  reason-acc={s['reason_accuracy']:.3f}")


def main() -> dict:
    pages = list(iter_pages())
    model = BoilerplateModel.fit(p.text for p in pages)
    result = {"with_model": evaluate(pages, model), "without_model": evaluate(pages, fit=False),
              "throughput": throughput(pages, model), "templates_learned": len(model)}
    for setting in ("with_model", "without_model"):
        for subset in ("all", "held_out"):
            print(f"{setting} / {subset}:")
            for name, scores in result[setting][subset].items():
                print(_row(name, scores))
    tp = result["throughput"]
    print(f"throughput: {tp['pages_per_s']:.0f} pages/s, {tp['mb_per_s']:.2f} MB/s "
          f"(median of {tp['repeats']}, {tp['pages']} pages, {tp['megabytes']:.3f} MB); "
          f"fit {tp['fit_seconds'] * 1000:.1f} ms, {result['templates_learned']} templates")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    tmp = RESULTS.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(RESULTS)
    print(f"wrote {RESULTS}")
    return result


if __name__ == "__main__":
    main()
