"""Child process for the crash tests: writes to an index forever, logging each commit.

Usage: python -m tests.index.crash_child INDEX LOG SEED

Before each commit it appends ``intent <json>`` (the full {id: version} map the commit will make),
after ``commit()`` returns ``done <json>``; each line is flushed and fsynced. The parent kills it
with SIGKILL at a random moment and checks the index holds exactly the last ``done`` state (or the
``intent`` after it, when the kill hit between the manifest rename and the log line).
"""
from __future__ import annotations

import json
import os
import random
import sys

from searchlib.api import Index


def main() -> None:
    path, log_path, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
    rng = random.Random(seed)
    ix = Index.open(path)
    state = {d["id"]: d["v"] for d in ix.reader()}
    log = open(log_path, "a", encoding="utf-8")

    def write(kind: str) -> None:
        log.write(kind + " " + json.dumps(state, sort_keys=True) + "\n")
        log.flush()
        os.fsync(log.fileno())

    n = 0
    words = ["长沙", "工程", "机械", "产业", "集群", "new", "york", "company", "。", "，", "天气"]
    while True:
        with ix.writer(workers=1, buffer_docs=rng.choice([3, 50]), merge_factor=4) as w:
            for _ in range(rng.randint(1, 12)):
                n += 1
                op = rng.random()
                if op < 0.2 and state:
                    victim = rng.choice(sorted(state))
                    w.delete(victim)
                    del state[victim]
                else:
                    doc_id = f"d{rng.randint(0, 60)}" if op < 0.6 else f"n{seed}-{n}"
                    version = f"{seed}-{n}"
                    body = "".join(rng.choice(words) for _ in range(rng.randint(0, 40)))
                    w.add({"id": doc_id, "title": version, "body": body, "v": version})
                    state[doc_id] = version
            write("intent")
            w.commit()
            write("done")
            print("committed", flush=True)  # the parent waits for the first one (a pipe, not polling)


if __name__ == "__main__":
    main()
