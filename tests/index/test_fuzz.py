"""Fuzzing a real index folder, file by file (stress; docs/SECURITY.md).

Every case copies a pristine index (3 segments, a deletion bitmap, keyword fields), damages ONE
file, and runs what a user does (open, searches with stored fields and snippets, gets, a prefix
listing, check, stats, a commit: tests/index/forked.py) in a forked child with a 60 s hang
detector. Allowed outcomes: results equal to the pristine index's, or SearchlibErrors; results
may differ only when ``check()`` reports the damage (only it reads every byte). Anything else
fails: a crash (signal), a hang, another exception, or a change to the files outside the folder
(a victim file that symbolic links point to, and its folder).

Mutations: truncate, flip one bit, zero, grow, empty, and replacing the file by a FIFO, a
directory, a link to /dev/zero, a link outside the folder, a dangling link (every file x every
kind); then hypothesis draws more: flips and truncations anywhere, crafted JSON values in the
manifest and segment metas with every checksum recomputed, and crafted bytes in the binary files
with every checksum recomputed. A crafted file with correct checksums describes ANOTHER index, so
there the rule is weaker: errors are SearchlibErrors, and what ``check()`` accepts reads without
error. Each test prints its trials and outcomes (``pytest -s``).
"""
from __future__ import annotations

import collections
import hashlib
import json
import os
import shutil
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from searchlib.api import Index
from tests.index.craft import MUTATIONS, edit_manifest, index_files, mutate
from tests.index.forked import problems, run_forked, workload
from tests.index.helpers import DOCS

pytestmark = pytest.mark.stress

QUERIES = ["长沙 工程机械", '"产业集群"', "company", "长沙 -天气", "indones*", "title:标题7", "source:新华社"]
IDS = ["d1", "d3", "x7", "x250", "x1", "nope"]
_PRISTINE: dict[str, Any] = {}
# Examples per hypothesis test (SEARCHLIB_FUZZ_EXAMPLES overrides, for longer runs).
FUZZ_N = int(os.environ.get("SEARCHLIB_FUZZ_EXAMPLES", "300"))


@pytest.fixture(scope="module", autouse=True)
def _remove_pristine() -> Iterator[None]:
    yield
    if _PRISTINE:
        shutil.rmtree(_PRISTINE["root"], ignore_errors=True)
        _PRISTINE.clear()


def _pristine() -> tuple[Path, dict[str, Any]]:
    if not _PRISTINE:
        root = Path(tempfile.mkdtemp(prefix="fuzz-pristine-"))
        path = root / "ix"
        ix = Index.create(path)
        with ix.writer(workers=1, buffer_docs=150, merge=False) as w:  # three segments
            for i in range(320):
                w.add({"id": f"x{i}", "title": f"标题{i}", "body": f"长沙工程机械产业集群 number {i} 天气 " * (i % 5 + 1),
                       "source": ["新华社", "人民日报"][i % 2]})
            for d in DOCS:
                w.add(d)
        with ix.writer(workers=1, merge=False) as w:
            w.delete("x1")
            w.delete("x151")
        ix.close()
        result = run_forked(lambda: workload(path, QUERIES, IDS, write=False))
        assert result["outcome"] == "returned" and result["value"]["check"]["ok"] == 323, result
        _PRISTINE.update(root=root, path=path, expected=result["value"], files=index_files(path))
    return _PRISTINE["path"], _PRISTINE["expected"]


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    for root, dirs, files in sorted(os.walk(path)):
        dirs.sort()
        for f in sorted(files):
            p = Path(root, f)
            h.update(str(p.relative_to(path)).encode() + p.read_bytes())
    return h.hexdigest()


class _Case:
    """A fresh copy of the pristine index next to an 'outside' folder holding a victim file."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="fuzz-case-"))
        self.path = self.root / "ix"
        shutil.copytree(_pristine()[0], self.path)
        self.outside = self.root / "outside"
        self.outside.mkdir()
        self.victim = self.outside / "victim.txt"
        self.victim.write_text('{"format": "searchlib-index", "not": "yours"}\n', encoding="utf-8")
        self.before = _digest(self.outside)

    def run(self, strict: bool = True) -> tuple[dict[str, Any], list[str]]:
        result = run_forked(lambda: workload(self.path, QUERIES, IDS))
        found = problems(result, _pristine()[1], strict)
        if _digest(self.outside) != self.before:
            found.append("a file outside the index folder changed")
        return result, found

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def _classify(result: dict[str, Any]) -> str:
    if result.get("outcome") != "returned":
        return str(result.get("outcome"))
    out = result["value"]
    for step in ("open", "len"):
        if "error" in out.get(step, {}):
            return f"refused at {step}: {out[step]['error']}"
    if "ok" in out["check"]:
        same = all(out.get(k) == _pristine()[1].get(k) for k in ("search", "get", "prefix", "len"))
        return "check passed, results as pristine" if same else "check passed, results differ (a crafted index)"
    errors = sum(1 for s in out["search"] + out["get"] if "error" in s)
    return f"check: {out['check']['error']}, {errors} read errors"


class _Tally:
    def __init__(self, name: str) -> None:
        self.name = name
        self.outcomes: collections.Counter[str] = collections.Counter()
        self.failures: list[str] = []

    def add(self, label: str, result: dict[str, Any], found: list[str]) -> None:
        self.outcomes[_classify(result)] += 1
        if found:
            self.failures.append(f"{label}: {found}")

    def report(self) -> None:
        total = sum(self.outcomes.values())
        print(f"\n{self.name}: {total} trials, {len(self.failures)} failures")
        for outcome, n in self.outcomes.most_common():
            print(f"  {n:5d}  {outcome}")
        assert not self.failures, self.failures[:5]


def _plan() -> Iterator[tuple[str, str, float, int]]:
    for rel in _pristine_files():
        for kind in MUTATIONS:
            if kind in ("flip", "truncate"):
                for at in (0.0, 0.37, 0.99):
                    yield rel, kind, at, 3
            else:
                yield rel, kind, 0.5, 0


def _pristine_files() -> list[str]:
    _pristine()
    return list(_PRISTINE["files"])


def test_every_file_every_mutation() -> None:
    tally = _Tally("every file x every mutation")
    for rel, kind, at, bit in _plan():
        case = _Case()
        try:
            mutate(case.path / rel, kind, case.victim, at, bit)
            result, found = case.run()
            tally.add(f"{rel} {kind} at {at}", result, found)
        finally:
            case.close()
    tally.report()


def test_random_damage() -> None:
    tally = _Tally("random flips, truncations and growth (hypothesis)")

    @settings(max_examples=FUZZ_N, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(file=st.integers(0, 10_000), kind=st.sampled_from(["flip", "flip", "flip", "truncate", "grow"]),
           at=st.floats(0, 1), bit=st.integers(0, 7))
    def one(file: int, kind: str, at: float, bit: int) -> None:
        files = _pristine_files()
        rel = files[file % len(files)]
        case = _Case()
        try:
            mutate(case.path / rel, kind, case.victim, at, bit)
            result, found = case.run()
            tally.add(f"{rel} {kind} at {at} bit {bit}", result, found)
            assert not found, found
        finally:
            case.close()

    one()
    tally.report()


# ------------------------------------------------------------------------------ crafted JSON

_BAD_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.sampled_from([0, -1, 1, 2**31, 2**32, 2**62, 10**30]),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
    st.sampled_from(["../../etc", "/etc/passwd", "..", ".", "a/b", "\x00", "x" * 300, "seg/../../..", "del-1/../../x"]),
    st.lists(st.one_of(st.integers(), st.text(max_size=4), st.none()), max_size=4),
    st.dictionaries(st.text(max_size=6), st.one_of(st.integers(), st.text(max_size=4)), max_size=3),
    st.recursive(st.integers(), lambda c: st.lists(c, max_size=2), max_leaves=50),
)


def _key_paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(data, dict):
        for k, v in data.items():
            out.extend(_key_paths(v, prefix + (k,)))
    elif isinstance(data, list):
        for i, v in enumerate(data[:4]):
            out.extend(_key_paths(v, prefix + (i,)))
    return out


def _set(data: Any, path: tuple[Any, ...], value: Any, delete: bool) -> None:
    for k in path[:-1]:
        data = data[k]
    if delete and isinstance(data, dict):
        del data[path[-1]]
    else:
        data[path[-1]] = value


def test_crafted_json() -> None:
    tally = _Tally("crafted JSON values, checksums recomputed (hypothesis)")

    @settings(max_examples=FUZZ_N, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(which=st.integers(0, 3), pick=st.integers(0, 10_000), value=_BAD_VALUES, delete=st.booleans())
    def one(which: int, pick: int, value: Any, delete: bool) -> None:
        case = _Case()
        try:
            manifest = json.loads((case.path / "manifest.json").read_text(encoding="utf-8"))
            if which == 0:  # the manifest itself
                paths = [p for p in _key_paths(manifest) if p != ("crc32",)]
                path = paths[pick % len(paths)]
                edit_manifest(case.path, lambda m: _set(m, path, value, delete))
                label = f"manifest {path} = {value!r:.60}"
            else:  # a segment meta, its size and CRC recomputed in the manifest
                seg = (which - 1) % len(manifest["segments"])
                meta_path = case.path / "segments" / manifest["segments"][seg]["name"] / "meta.json"
                meta = json.loads(meta_path.read_text(encoding="utf-8"))
                paths = _key_paths(meta)
                path = paths[pick % len(paths)]
                _set(meta, path, value, delete)
                raw = json.dumps(meta, ensure_ascii=False).encode("utf-8")
                meta_path.unlink()
                meta_path.write_bytes(raw)

                def fix(m: dict[str, Any]) -> None:
                    m["segments"][seg]["meta_size"], m["segments"][seg]["meta_crc32"] = len(raw), zlib.crc32(raw)

                edit_manifest(case.path, fix)
                label = f"segment {seg} meta {path} = {value!r:.60}"
            result, found = case.run(strict=False)
            tally.add(label, result, found)
            assert not found, (label, found)
        finally:
            case.close()

    one()
    tally.report()


# ------------------------------------------------------------------------------ crafted binary files

def test_crafted_binary() -> None:
    from tests.index.craft import rewrite_segment_file

    tally = _Tally("crafted bytes in binary files, checksums recomputed (hypothesis)")

    @settings(max_examples=FUZZ_N, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(pick=st.integers(0, 10_000), at=st.floats(0, 1), patch=st.binary(min_size=1, max_size=16),
           mode=st.sampled_from(["patch", "patch", "truncate", "extend"]))
    def one(pick: int, at: float, patch: bytes, mode: str) -> None:
        case = _Case()
        try:
            manifest = json.loads((case.path / "manifest.json").read_text(encoding="utf-8"))
            targets = [(seg, name) for seg, e in enumerate(manifest["segments"])
                       for name in sorted(os.listdir(case.path / "segments" / e["name"]))
                       if name != "meta.json" and not name.startswith("del-")]
            seg, name = targets[pick % len(targets)]
            data = (case.path / "segments" / manifest["segments"][seg]["name"] / name).read_bytes()
            pos = int(len(data) * at)
            if mode == "patch":
                data = data[:pos] + patch + data[pos + len(patch):]
            elif mode == "truncate":
                data = data[:pos]
            else:
                data = data + patch * 8
            rewrite_segment_file(case.path, seg, name, data)
            result, found = case.run(strict=False)
            tally.add(f"segment {seg} {name} {mode} at {pos}", result, found)
            assert not found, (name, mode, pos, found)
        finally:
            case.close()

    one()
    tally.report()
