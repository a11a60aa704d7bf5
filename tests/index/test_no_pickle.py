"""The index format never unpickles: no pickle, marshal or eval anywhere in the package."""
from __future__ import annotations

import re
from pathlib import Path

import searchlib


def test_no_unsafe_deserialization_in_package() -> None:
    root = Path(searchlib.__file__).parent
    bad = re.compile(r"\b(import\s+pickle|from\s+pickle|pickle\.(?:loads?|Unpickler)\b|cPickle|marshal\.loads?\b|import\s+marshal|allow_pickle\s*=\s*True|(?<![\w.])eval\(|exec\()")
    offenders = []
    for path in root.rglob("*.py"):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if bad.search(line) and not line.lstrip().startswith("#"):
                offenders.append(f"{path.relative_to(root)}:{n}: {line.strip()}")
    assert not offenders, offenders
