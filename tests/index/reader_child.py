"""Child process for the snapshot test: reads the index in a loop until told to stop.

Usage: python -m tests.index.reader_child INDEX STOPFILE OUT

Every snapshot must be consistent: the live document count equals the count stored in the
``counter`` document of the same snapshot, every doc ``c<i>`` (i < count) is there, and a term
look-up agrees. Prints ``gen <g>`` (flushed) each time it reads a generation it had not seen (the
parent waits on these lines instead of sleeping). Writes ``{"reads": n, "generations": k}`` or
the error to OUT.
"""
from __future__ import annotations

import json
import os
import sys
import traceback

from searchlib.api import Index
from searchlib.index.reader import IndexReader


def main() -> None:
    path, stop, out = sys.argv[1:4]
    reads = 0
    gens: set[int] = set()
    ix = Index.open(path)
    try:
        while not os.path.exists(stop):
            # alternate a private snapshot and the facade's cached one
            r = IndexReader.open(path) if reads % 2 else ix.reader()
            counter = r.get("counter")
            n = int(counter["body"]) if counter else 0
            assert r.doc_count == n + (1 if counter else 0), (r.generation, r.doc_count, n)
            if n:
                last = r.get(f"c{n - 1}")
                assert last is not None and last["body"] == f"文档{n - 1}", (r.generation, n)
                assert r.get(f"c{n}") is None
                assert r.doc_freq("body", "文档") == n, (r.generation, n)
            if r.generation not in gens:
                gens.add(r.generation)
                print(f"gen {r.generation}", flush=True)
            if reads % 2:
                r.close()
            reads += 1
        result = {"reads": reads, "generations": len(gens)}
    except BaseException:
        result = {"error": traceback.format_exc()}
    with open(out, "w", encoding="utf-8") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
