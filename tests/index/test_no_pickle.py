"""The index format never unpickles: no pickle, marshal or eval anywhere in the package, except
the messages of a Dask cluster between its own client and workers (docs/SECURITY.md)."""
from __future__ import annotations

import re
from pathlib import Path

import searchlib


def test_no_unsafe_deserialization_in_package() -> None:
    root = Path(searchlib.__file__).parent
    bad = re.compile(r"\b(import\s+pickle|from\s+pickle|pickle\.(?:loads?|Unpickler)\b|cPickle|marshal\.loads?\b|import\s+marshal|allow_pickle\s*=\s*True|(?<![\w.])eval\(|exec\()")
    # A shard call travels between the coordinator and its cluster's workers as pickled bytes, as
    # Dask's own task messages do; no byte of an index folder reaches these two files' loads.
    cluster_messages = {
        ("distributed/shard.py", "import pickle"),
        ("distributed/shard.py", "method, args = pickle.loads(call)"),
        ("distributed/transport.py", "import pickle"),
        ("distributed/transport.py", "return True, pickle.loads(reply)"),
    }
    offenders = []
    for path in root.rglob("*.py"):
        name = path.relative_to(root).as_posix()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if (name, line.strip()) in cluster_messages:
                continue
            if bad.search(line) and not line.lstrip().startswith("#"):
                offenders.append(f"{path.relative_to(root)}:{n}: {line.strip()}")
    assert not offenders, offenders
