"""Damaged files: open/check raise IndexCorruptError naming the file and touch nothing else."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from searchlib.api import Index
from searchlib.errors import IndexCorruptError
from searchlib.index.reader import IndexReader
from tests.index.helpers import DOCS, file_hashes, segment_files


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("corrupt") / "ix"
    ix = Index.create(path)
    with ix.writer(workers=1) as w:
        for i in range(300):
            w.add({"id": f"x{i}", "title": f"标题{i}", "body": f"长沙工程机械产业集群 number {i} " * (i % 7 + 1), "source": "新华社"})
        for d in DOCS:
            w.add(d)
    with ix.writer(workers=1) as w:
        w.delete("x1")  # a deletion bitmap too
    ix.close()
    return path


def _copy(pristine: Path, tmp_path: Path) -> Path:
    dst = tmp_path / "ix"
    shutil.copytree(pristine, dst)
    return dst


def _files(pristine: Path) -> list[str]:
    return [os.path.relpath(f, pristine) for f in segment_files(pristine)] + ["manifest.json"]


def _use(path: Path) -> None:
    """Open and use everything, as a reader would."""
    with IndexReader.open(path) as r:
        for seg in r.segments:
            for local in range(seg.doc_count):
                seg.stored(local)
            for _, tid in seg.terms_with_prefix("body", ""):
                seg.positions(tid)


def test_files_cover_every_structure(pristine: Path) -> None:
    names = {os.path.basename(f) for f in _files(pristine)}
    assert {"terms.keys", "terms.hash", "postings.docs", "positions.pos", "store.bin", "meta.json", "ids.keys", "ids.hash",
            "manifest.json"} <= names
    assert any(n.startswith("del-") for n in names)
    Index.open(pristine).check()


@pytest.mark.parametrize("mode", ["truncate", "bitflip"])
def test_damaged_file_is_named(pristine: Path, tmp_path: Path, mode: str) -> None:
    for rel in _files(pristine):
        path = _copy(pristine, tmp_path)
        target = path / rel
        before = file_hashes(path)
        data = bytearray(target.read_bytes())
        if mode == "truncate":
            data = data[: len(data) // 2]
        else:
            data[len(data) // 2] ^= 0x10
        target.write_bytes(bytes(data))
        with pytest.raises(IndexCorruptError) as err:
            Index.open(path).check()
        assert err.value.path is not None and os.path.samefile(err.value.path, target), (rel, err.value.path)
        assert rel in str(err.value) or os.path.basename(rel) in str(err.value)
        if mode == "truncate":
            with pytest.raises(IndexCorruptError) as err:
                IndexReader.open(path)
            assert os.path.samefile(err.value.path, target), rel
        else:
            # open may or may not notice a flipped bit in a large array, but never fails otherwise
            try:
                _use(path)
            except IndexCorruptError:
                pass
        after = file_hashes(path)
        changed = {k for k in before if before[k] != after.get(k)}
        assert changed == {rel}, rel
        shutil.rmtree(path)


def test_missing_segment_file(pristine: Path, tmp_path: Path) -> None:
    path = _copy(pristine, tmp_path)
    victim = [f for f in segment_files(path) if f.endswith("postings.tfs")][0]
    os.remove(victim)
    with pytest.raises(IndexCorruptError) as err:
        IndexReader.open(path)
    assert err.value.path == victim
