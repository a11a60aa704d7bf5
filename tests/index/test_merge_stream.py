"""A merge writes its postings a slice of output terms at a time (searchlib.index.merge): the
result does not depend on the slice size (down to one term a slice), keeps every live
occurrence of the inputs (a model read through the readers before the merge), and the pieces it
is built on (appending file writer, streamed postings, letting go of mapped pages) behave."""
from __future__ import annotations

import os
import random
import shutil
import zlib
from pathlib import Path

import numpy as np
import pytest

import searchlib
from searchlib.index import fsio, merge
from searchlib.index.arrays import map_array, write_array
from searchlib.index.postings import PostingsStream, write_postings
from tests.index.test_merge import _postings


def _build(path: Path) -> searchlib.Index:
    """Six segments (no merges) with a word in every document, rare words, dates (the merge
    reorders) and deletions, some of which empty a term in its segment."""
    rng = random.Random(5)
    words = ["长沙", "天气", "机场", "w1", "w2", "w3", "新闻", "赤鱲角"] + [f"r{i}" for i in range(40)]
    ix = searchlib.Index.create(path, fields={"views": "int"})
    for batch in range(6):
        with ix.writer(workers=1, merge=False) as w:
            for i in range(30):
                body = "常见 " + " ".join(rng.choice(words) for _ in range(rng.randint(0, 12)))
                doc = {"id": f"d{batch}-{i}", "title": rng.choice(words), "body": body, "views": rng.randint(0, 9)}
                if rng.random() < 0.8:
                    doc["date"] = f"20{rng.randint(10, 24)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
                w.add(doc)
            w.add({"id": f"only{batch}", "body": f"uniq{batch}"})
        if batch:
            with ix.writer(workers=1, merge=False) as w:
                w.delete(f"only{batch - 1}")  # the segment's only posting of that word
                for i in range(0, 30, 7):
                    w.delete(f"d{batch - 1}-{i}")
    return ix


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = Path(tmp_path_factory.mktemp("stream")) / "ix"
    _build(path).close()
    return path


def _files(ix: searchlib.Index) -> dict[str, tuple[int, int]]:
    (seg,) = ix.reader().segments
    return {name: (e["size"], e["crc32"]) for name, e in seg.meta["files"].items()}


@pytest.mark.parametrize("slice_occurrences", [1, 3, 50])
def test_any_slice_size_writes_the_same_segment(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               slice_occurrences: int) -> None:
    whole, sliced = tmp_path / "whole", tmp_path / "sliced"
    shutil.copytree(built, whole)
    shutil.copytree(built, sliced)
    a = searchlib.Index.open(whole)
    before = _postings(a.reader())
    docs_before = {i: a.get(i) for i in a.ids()}
    assert len(a.reader().segments) == 6
    a.optimize()  # one slice holds every term here
    monkeypatch.setattr(merge, "SLICE_OCCURRENCES", slice_occurrences)
    b = searchlib.Index.open(sliced)
    b.optimize()
    assert _files(b) == _files(a)
    for ix in (a, b):
        assert _postings(ix.reader()) == before
        assert {i: ix.get(i) for i in ix.ids()} == docs_before
        ix.check()
    assert [h.id for h in b.search("常见", limit=200)] == [h.id for h in a.search("常见", limit=200)]
    assert b.search("uniq5").total == 1 and b.search("uniq1").total == 0


def test_file_writer_appends_checksums_and_aborts(tmp_path: Path) -> None:
    out = fsio.FileWriter(str(tmp_path / "f"))
    parts = [b"abc", np.arange(5, dtype=np.uint16), memoryview(b""), bytearray(b"xyz")]
    for p in parts:
        out.write(p)
    size, crc = out.finish()
    data = (tmp_path / "f").read_bytes()
    assert data == b"abc" + np.arange(5, dtype=np.uint16).tobytes() + b"xyz"
    assert (size, crc) == (len(data), zlib.crc32(data))
    with pytest.raises(ValueError):
        out.write(b"more")
    with pytest.raises(OSError, match="cannot write index file"):
        fsio.FileWriter(str(tmp_path / "f"))  # never over an existing file
    gone = fsio.FileWriter(str(tmp_path / "g"))
    gone.write(b"partial")
    gone.abort()
    gone.abort()
    assert not (tmp_path / "g").exists() and (tmp_path / "f").read_bytes() == data


def test_a_stream_that_disagrees_with_its_offsets_leaves_no_file(tmp_path: Path) -> None:
    post_off = np.array([0, 2, 3], dtype=np.int64)
    pos_off = np.array([0, 2, 4], dtype=np.int64)
    chunks = [(np.array([0, 1]), np.array([1, 1]), np.array([0, 0])), (np.array([1]), np.array([2]), np.array([1, 3]))]
    files = write_postings(str(tmp_path), PostingsStream(post_off, pos_off, 2, 1, iter(chunks)), n_docs=2)
    assert files["postings.docs"]["count"] == 3 and files["positions.pos"]["count"] == 4
    assert map_array(str(tmp_path), "postings.tfs", files["postings.tfs"]).tolist() == [1, 1, 2]
    bad = tmp_path / "bad"
    bad.mkdir()
    with pytest.raises(ValueError, match="writer bug"):
        write_postings(str(bad), PostingsStream(post_off, pos_off, 2, 1, iter(chunks[:1])), n_docs=2)
    assert not {"postings.docs", "postings.tfs", "positions.pos"} & set(os.listdir(bad))

    def failing():  # type: ignore[no-untyped-def]
        yield chunks[0]
        raise OSError(28, "cannot write index file: disk full")

    worse = tmp_path / "worse"
    worse.mkdir()
    with pytest.raises(OSError):
        write_postings(str(worse), PostingsStream(post_off, pos_off, 2, 1, failing()), n_docs=2)
    assert not {"postings.docs", "postings.tfs", "positions.pos"} & set(os.listdir(worse))


def test_dropping_pages_keeps_the_values(tmp_path: Path) -> None:
    values = np.arange(300_000, dtype=np.int32)
    entry = write_array(str(tmp_path), "a", values, np.int32)
    mapped = map_array(str(tmp_path), "a", entry)
    view = mapped[1000:2000]
    assert int(mapped.sum()) == int(values.sum())
    fsio.drop_pages(view)
    fsio.drop_pages(mapped)
    assert np.array_equal(mapped, values) and np.array_equal(view, values[1000:2000])
    fsio.drop_pages(values)  # not a mapping: nothing happens
    fsio.drop_pages(np.zeros(0))
