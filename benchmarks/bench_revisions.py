"""Term-query latency of two git revisions of searchlib, in one run (a refactoring's "before and
after": the same machine, the same load, alternating).

Each revision is checked out into a temporary worktree; a subprocess with that worktree first on
``sys.path`` builds People's Daily (one writer process, its own index folder), then times 1,000
term queries (``benchmarks.queries.term_queries``) with ``Index.search(q, limit=10)``: best of 3
passes of the per-query median. The revisions alternate ``--rounds`` times.

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
from benchmarks.queries import term_queries
import searchlib
pd = load_pd()
path = sys.argv[1]
if not os.path.exists(path):
    ix = searchlib.Index.create(path)
    with ix.writer(workers=1) as w:
        for i, b in zip(pd.ids, pd.bodies):
            w.add({"id": i, "body": b})
ix = searchlib.Index.open(path)
qs = [q["q"] for q in term_queries(pd, 1000)]
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
print(json.dumps({"p50_ms": min(best) * 1000.0}))
"""


def main(argv: list[str] | None = None) -> dict[str, list[float]]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("before")
    ap.add_argument("after")
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args(argv)
    out: dict[str, list[float]] = {args.before: [], args.after: []}
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
                    out[rev].append(json.loads(got.stdout.strip().splitlines()[-1])["p50_ms"])
        finally:
            for tree in trees.values():
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", tree], capture_output=True)
    for rev, values in out.items():
        print(f"{rev:>16}  term p50 " + " / ".join(f"{v:.3f} ms" for v in values))
    return out


if __name__ == "__main__":
    main()
