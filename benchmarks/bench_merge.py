"""Time and memory of merging a built index into one segment (``Index.optimize``).

Usage: ``python -m benchmarks.bench_merge INDEX``. INDEX is copied to a scratch folder
first (never changed); the copy is optimized in this process while a thread samples
``/proc/self/status`` every 20 ms. Prints seconds, segments before, and the peaks of RSS
(``VmHWM``), anonymous memory (``RssAnon``: arrays, Python objects) and file-backed pages
(``RssFile``: the inputs' memory maps), in MB. Linux only (the figures come from ``/proc``).
"""
from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import threading
import time
from pathlib import Path

FIELDS = ("VmHWM", "RssAnon", "RssFile")


def _status() -> dict[str, int]:
    out = {}
    with open("/proc/self/status") as f:
        for line in f:
            key = line.split(":")[0]
            if key in FIELDS:
                out[key] = int(line.split()[1]) // 1024
    return out


def run(index: Path) -> dict[str, float]:
    import searchlib

    with tempfile.TemporaryDirectory(prefix="bench-merge-") as tmp:
        copy = Path(tmp) / "ix"
        shutil.copytree(index, copy)
        peaks = dict.fromkeys(FIELDS, 0)
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                for k, v in _status().items():
                    peaks[k] = max(peaks[k], v)
                stop.wait(0.02)

        ix = searchlib.Index.open(copy)
        before = ix.stats()["segments"]
        docs = len(ix)
        base = _status()
        thread = threading.Thread(target=sample, daemon=True)
        thread.start()
        t0 = time.perf_counter()
        ix.optimize()
        seconds = time.perf_counter() - t0
        stop.set()
        thread.join()
        ix.close()
    return {"seconds": round(seconds, 2), "segments_before": before, "docs": docs,
            **{f"peak_{k}_mb": v for k, v in peaks.items()}, **{f"start_{k}_mb": v for k, v in base.items()}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("index", type=Path)
    args = ap.parse_args()
    print(json.dumps(run(args.index), indent=1))


if __name__ == "__main__":
    main()
