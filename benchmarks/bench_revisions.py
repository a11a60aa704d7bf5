"""Query latency (and build time) of two git revisions of searchlib, in one run (a
refactoring's "before and after": the same machine, the same load, alternating).

Each revision is checked out into a temporary worktree; a subprocess with that worktree first on
``sys.path`` builds People's Daily (one writer process, its own index folder; the build is timed
once per revision), then times 1,000 term queries, 200 phrase queries and 500 known-item queries
(``benchmarks.queries``) with ``Index.search(q, limit=10)``: per kind, best of 3 passes of the
per-query median. The revisions alternate ``--rounds`` times.

Run::

    .venv/bin/python -m benchmarks.bench_revisions ec9538f^ ec9538f
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_CHILD = r"""
import json, os, statistics, sys, time
from benchmarks.corpora import load_pd
from benchmarks.queries import known_item_queries, phrase_queries, term_queries
import searchlib
pd = load_pd()
path = sys.argv[1]
build_s = None
if not os.path.exists(path):
    t0 = time.perf_counter()
    ix = searchlib.Index.create(path)
    with ix.writer(workers=1) as w:
        for i, b in zip(pd.ids, pd.bodies):
            w.add({"id": i, "body": b})
    build_s = time.perf_counter() - t0
ix = searchlib.Index.open(path)
kinds = {"term": [q["q"] for q in term_queries(pd, 1000)],
         "phrase": [q["q"] for q in phrase_queries(pd, 200)],
         "known-item": [q["q"] for q in known_item_queries(pd, 500)]}
out = {"build_s": build_s}
for kind, qs in kinds.items():
    for q in qs:
        ix.search(q, limit=10)
    best = []
    for _ in range(3):
        ts = []
        for q in qs:
            t0 = time.perf_counter()
            ix.search(q, limit=10)
            ts.append(time.perf_counter() - t0)
        best.append(statistics.median(ts))
    out[kind] = min(best) * 1000.0
out["p50_ms"] = out["term"]
print(json.dumps(out))
"""


def main(argv: list[str] | None = None) -> dict[str, list[dict[str, float]]]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("before")
    ap.add_argument("after")
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args(argv)
    out: dict[str, list[dict[str, float]]] = {args.before: [], args.after: []}
    with tempfile.TemporaryDirectory(prefix="searchlib-revs-") as tmp:
        trees = {}
        for n, rev in enumerate((args.before, args.after)):
            tree = os.path.join(tmp, f"tree{n}")
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", tree, rev], check=True,
                           capture_output=True)
            trees[rev] = tree
        try:
            for _ in range(args.rounds):
                for n, rev in enumerate((args.before, args.after)):
                    env = dict(os.environ, PYTHONPATH=trees[rev])
                    got = subprocess.run([sys.executable, "-c", _CHILD, os.path.join(tmp, f"ix{n}")], cwd=trees[rev],
                                         env=env, check=True, capture_output=True, text=True)
                    out[rev].append(json.loads(got.stdout.strip().splitlines()[-1]))
        finally:
            for tree in trees.values():
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", tree], capture_output=True)
    for kind in ("term", "phrase", "known-item"):
        for rev, values in out.items():
            print(f"{rev:>16}  {kind:>10} p50 " + " / ".join(f"{v[kind]:.3f} ms" for v in values))
    for rev, values in out.items():
        built = [v["build_s"] for v in values if v.get("build_s") is not None]
        print(f"{rev:>16}  build (one writer, 19,484 documents) " + " / ".join(f"{b:.1f} s" for b in built))
    return out


if __name__ == "__main__":
    main()
