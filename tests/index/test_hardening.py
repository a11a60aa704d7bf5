"""An index folder is untrusted (issue 13, items 1-5): links, FIFOs, devices, directories, crafted
JSON and crafted binary files give a clear SearchlibError (or, for damage only ``check()`` sees,
results ``check()`` then reports), never a hang, a crash, a plain exception or a write outside.

Cases that could hang or crash run in a forked child (tests/index/forked.py). The broad fuzz
(every file x every mutation, hypothesis-crafted JSON) is tests/index/test_fuzz.py (-m stress).
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from searchlib.api import Index
from searchlib.errors import IndexCorruptError, LockError
from searchlib.index.lock import WriteLock
from searchlib.index.reader import IndexReader
from tests.index.craft import edit_manifest, edit_meta, mutate, rewrite_segment_file
from tests.index.forked import problems, run_forked, workload
from tests.index.helpers import DOCS

QUERIES = ["长沙 工程机械", '"产业集群"', "company", "长沙 -天气", "indones*", "title:标题7"]
IDS = ["d1", "d3", "x7", "x250", "nope"]


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    path = tmp_path_factory.mktemp("hard") / "ix"
    ix = Index.create(path)
    with ix.writer(workers=1, buffer_docs=200, merge=False) as w:  # two segments
        for i in range(300):
            w.add({"id": f"x{i}", "title": f"标题{i}", "body": f"长沙工程机械产业集群 number {i} " * (i % 5 + 1)})
        for d in DOCS:
            w.add(d)
    with ix.writer(workers=1, merge=False) as w:
        w.delete("x1")  # a deletion bitmap
    ix.close()
    result = run_forked(lambda: workload(path, QUERIES, IDS, write=False))  # JSON, as every case's
    expected = result["value"]
    assert expected["check"]["ok"] == 304 and len(expected["search"]) == len(QUERIES)
    return path, expected


@pytest.fixture()
def ix_path(pristine: tuple[Path, dict[str, Any]], tmp_path: Path) -> Path:
    dst = tmp_path / "ix"
    shutil.copytree(pristine[0], dst)
    return dst


@pytest.fixture()
def outside(tmp_path: Path) -> Path:
    victim = tmp_path / "outside" / "victim.txt"
    victim.parent.mkdir()
    victim.write_text("do not touch", encoding="utf-8")
    return victim


def _seg_dir(path: Path, seg: int = 0) -> Path:
    return path / "segments" / json.loads((path / "manifest.json").read_text())["segments"][seg]["name"]


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    for root, dirs, files in sorted(os.walk(path)):
        for f in sorted(files):
            h.update(f.encode() + Path(root, f).read_bytes())
    return h.hexdigest()


# ------------------------------------------------------------------------------ 1. the write lock


def _attempts(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    seen: list[bool] = []
    real = WriteLock._attempt

    def attempt(self: WriteLock) -> bool:
        try:
            ok = real(self)
        except LockError:
            seen.append(False)
            raise
        seen.append(ok)
        return ok

    monkeypatch.setattr(WriteLock, "_attempt", attempt)
    return seen


@pytest.mark.parametrize("kind", ["outside", "dangling", "directory", "fifo", "devzero", "hardlink"])
def test_lock_file_that_is_not_a_plain_file_is_refused_at_once(ix_path: Path, outside: Path, kind: str,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    lock = ix_path / "write.lock"
    if kind == "hardlink":
        os.link(outside, lock)
    else:
        lock.write_text("{}")
        mutate(lock, kind, outside)
    before = outside.read_bytes()
    attempts = _attempts(monkeypatch)

    def writer() -> Any:
        Index.open(ix_path).writer(workers=1, lock_timeout=3600)  # refused at once, not after an hour

    result = run_forked(lambda: writer())
    assert result["outcome"] == "raised" and result["type"] == "LockError", result
    assert "write.lock" in result["message"] and "not a plain file" in result["message"]
    with pytest.raises(LockError) as err:
        writer()
    assert err.value.path == str(lock) and attempts == [False]
    assert outside.read_bytes() == before  # never truncated or written through the link
    assert os.path.lexists(lock)  # and not removed either: the user decides


def test_lock_symlink_on_creation_is_refused(tmp_path: Path, outside: Path) -> None:
    path = tmp_path / "new"
    path.mkdir()
    (path / "write.lock").symlink_to(outside)
    with pytest.raises(LockError, match="symbolic link"):
        Index.create(path)
    assert outside.read_text(encoding="utf-8") == "do not touch"


def test_regular_stale_lock_file_still_works(ix_path: Path) -> None:
    (ix_path / "write.lock").write_text("garbage, not JSON")
    with Index.open(ix_path).writer(workers=1, lock_timeout=5) as w:
        w.add({"id": "new", "body": "新"})
    assert not (ix_path / "write.lock").exists()


def test_lock_holder_with_crafted_fields_gives_a_plain_lock_error(ix_path: Path) -> None:
    w = Index.open(ix_path).writer(workers=1)
    (ix_path / "write.lock").write_text(json.dumps({"pid": "x", "host": 5, "time": 1e300}))
    with pytest.raises(LockError, match="another process"):
        Index.open(ix_path).writer(workers=1, lock_timeout=0)
    w.close()


# ------------------------------------------------------------------------------ 2. FIFOs, devices, directories


@pytest.mark.parametrize("kind", ["fifo", "directory", "devzero", "outside", "dangling"])
@pytest.mark.parametrize("name", ["manifest.json", "meta.json", "postings.docs", "store.bin", "terms.keys",
                                  "ids.hash", "_len.body", "del"])
def test_special_files_inside_the_index_give_index_corrupt_error(
        ix_path: Path, outside: Path, pristine: tuple[Path, dict[str, Any]], name: str, kind: str) -> None:
    if name == "manifest.json":
        target = ix_path / name
    elif name == "del":
        seg = _seg_dir(ix_path)
        target = next(seg.glob("del-*"))
    elif name.startswith("_"):  # a column: its file
        target = _seg_dir(ix_path) / _column_file(ix_path, name)
    else:
        target = _seg_dir(ix_path) / name
    mutate(target, kind, outside)
    before = _digest(outside.parent)
    result = run_forked(lambda: workload(ix_path, QUERIES, IDS))
    assert not problems(result, pristine[1]), problems(result, pristine[1])
    out = result["value"]
    failing = out["open"] if "error" in out["open"] else out["check"]
    assert failing["error"] in ("IndexCorruptError", "IndexNotFoundError"), failing
    assert failing["path"] == str(target), failing
    assert "error" in out.get("write", {"error": 1})  # nothing is written on top of a damaged index
    assert _digest(outside.parent) == before


def _column_file(ix_path: Path, column: str, seg: int = 0) -> str:
    """The file of a numeric column of segment ``seg`` (named by number, not by field)."""
    entry = json.loads((ix_path / "manifest.json").read_text(encoding="utf-8"))["segments"][seg]
    meta = json.loads((ix_path / "segments" / entry["name"] / "meta.json").read_text(encoding="utf-8"))
    (name,) = meta["columns"][column]["files"]
    return name


def test_devzero_meta_does_not_grow_memory(ix_path: Path) -> None:
    target = _seg_dir(ix_path) / "meta.json"
    mutate(target, "devzero", target)
    with pytest.raises(IndexCorruptError, match="not a regular file") as err:
        IndexReader.open(ix_path)  # refused before a byte is read: no unbounded read
    assert err.value.path == str(target)


def test_directory_in_place_of_a_file_is_not_a_plain_oserror(ix_path: Path) -> None:
    target = _seg_dir(ix_path) / "positions.pos"
    mutate(target, "directory", target)
    with pytest.raises(IndexCorruptError, match="is a directory"):
        Index.open(ix_path).search("长沙")


def test_symlinked_segment_folder_is_refused(ix_path: Path, tmp_path: Path) -> None:
    seg = _seg_dir(ix_path)
    moved = tmp_path / "elsewhere"
    shutil.move(str(seg), moved)
    seg.symlink_to(moved, target_is_directory=True)
    with pytest.raises(IndexCorruptError, match="symbolic link"):
        IndexReader.open(ix_path)


def test_index_path_that_is_a_fifo_or_file(tmp_path: Path) -> None:
    from searchlib.errors import IndexNotFoundError

    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "file").write_text("x")
    for p in ("fifo", "file"):
        result = run_forked(lambda p=p: Index.open(tmp_path / p))  # type: ignore[misc]
        assert result["outcome"] == "raised" and result["type"] == IndexNotFoundError.__name__, result


# ------------------------------------------------------------------------------ 3. crafted JSON, flipped ids


@pytest.mark.parametrize("key, value, file_hint", [
    ("doc_count", "x", "meta.json"),
    ("files", None, "meta.json"),
    ("text_fields", ["../../etc"], "meta.json"),
    ("field_length_totals", {"title": -1, "body": 3}, "meta.json"),
    ("term_count", -5, "meta.json"),
    ("terms", {"hash": "crc32", "max_probe": 10**9, "fields": []}, "meta.json"),
    ("ids", {"hash": "md5", "max_probe": 1}, "meta.json"),
    ("format_version", "3", "meta.json"),
    ("name", "../../other", "meta.json"),
    ("created_at", [], "meta.json"),  # a cache key of near-duplicate clusters: was a TypeError in dupes
    ("created_at", "yesterday", "meta.json"),
])
def test_crafted_segment_meta_names_file_and_key(ix_path: Path, key: str, value: Any, file_hint: str) -> None:
    meta_path = edit_meta(ix_path, 0, lambda m: m.__setitem__(key, value))
    for action in (lambda: IndexReader.open(ix_path), lambda: Index.open(ix_path).check(),
                   lambda: Index.open(ix_path).search("长沙")):
        with pytest.raises(IndexCorruptError) as err:
            action()
        assert err.value.path == str(meta_path) and repr(key)[1:-1] in str(err.value), str(err.value)


@pytest.mark.parametrize("value", [[], {}, 7, None])
def test_crafted_column_file_list_entries(ix_path: Path, value: Any) -> None:
    # found by the crafted-JSON fuzzer: a list in a column's file list made set() raise TypeError
    def change(m: dict[str, Any]) -> None:
        column = next(iter(m["columns"].values()))
        column["files"][0] = value

    meta_path = edit_meta(ix_path, 0, change)
    with pytest.raises(IndexCorruptError) as err:
        Index.open(ix_path).search("长沙")
    assert err.value.path == str(meta_path) and "files" in str(err.value)


@pytest.mark.parametrize("value", ["x", None, [1], 3, 2.5])
def test_crafted_float_column_base(tmp_path: Path, value: Any) -> None:
    """A float column is stored as it is (base 0); any other base in a crafted meta.json is
    IndexCorruptError, not a ValueError or TypeError at the first query."""
    ix = Index.create(tmp_path / "ix", fields={"score": "float"})
    with ix.writer(workers=1) as w:
        w.add({"id": "a", "body": "长沙", "score": 0.5})
    ix.close()

    def craft(meta: dict[str, Any]) -> None:
        meta["columns"]["score"]["base"] = value

    edit_meta(tmp_path / "ix", 0, craft)
    for action in (lambda: Index.open(tmp_path / "ix").search("长沙"), lambda: Index.open(tmp_path / "ix").check()):
        with pytest.raises(IndexCorruptError, match="base"):
            action()


@pytest.mark.parametrize("kind", ["numeric", "keyword", "vector"])
@pytest.mark.parametrize("value", [None, "x", -1, 2**70, [], {}])
def test_crafted_column_scalars(ix_path: Path, kind: str, value: Any) -> None:
    # found by the crafted-JSON fuzzer: a vector column's width of null, and a column kind that is a
    # list, escaped as TypeError.
    # Every scalar of every kind of column is checked, so any crafted value is IndexCorruptError.
    segments = json.loads((ix_path / "manifest.json").read_text(encoding="utf-8"))["segments"]
    metas = [json.loads((ix_path / "segments" / s["name"] / "meta.json").read_text(encoding="utf-8")) for s in segments]
    seg, name, entry = next((i, n, e) for i, m in enumerate(metas) for n, e in m["columns"].items() if e["kind"] == kind)
    for key in sorted(k for k in entry if k != "files"):
        if key == "missing" and value is None and kind != "vector":
            continue  # null is a valid "no sentinel"
        if key == "base" and (entry.get("type") == "float" or value == -1):
            continue  # a negative base is valid
        if key == "type" and kind == "vector" and isinstance(value, str):
            continue  # a vector's type is a free name
        case = ix_path.parent / f"ix-{key}"
        shutil.copytree(ix_path, case)
        meta_path = edit_meta(case, seg, lambda m, key=key: m["columns"][name].__setitem__(key, value))
        with pytest.raises(IndexCorruptError) as err:
            Index.open(case).search("长沙")
        assert err.value.path == str(meta_path) and "columns" in str(err.value), (key, str(err.value))


@pytest.mark.parametrize("change, key", [
    (lambda m: m.__setitem__("generation", "x"), "generation"),
    (lambda m: m.__setitem__("schema", 5), "schema"),
    (lambda m: m["schema"]["fields"].__setitem__("../x", "text"), "schema.fields"),
    (lambda m: m.__setitem__("analyzer", {"name": "searchlib-cjk", "version": 1, "user_words": 7}), "analyzer.user_words"),
    (lambda m: m["segments"][0].__setitem__("name", "../../../tmp"), "segments[0].name"),
    (lambda m: m["segments"][0].__setitem__("doc_count", 2**40), "segments[0].doc_count"),
    (lambda m: m["segments"][1].__setitem__("deletes", {"file": "/etc/passwd", "count": 1, "size": 1, "crc32": 0}),
     "segments[1].deletes.file"),
    (lambda m: m["segments"].append(dict(m["segments"][0])), "segments[2].name"),
    (lambda m: m.__setitem__("segments", {"a": 1}), "segments"),
])
def test_crafted_manifest_names_file_and_key(ix_path: Path, change: Any, key: str) -> None:
    edit_manifest(ix_path, change)
    with pytest.raises(IndexCorruptError) as err:
        Index.open(ix_path)
    assert err.value.path == str(ix_path / "manifest.json") and f"'{key}" in str(err.value), str(err.value)


def test_unknown_analyzer_in_a_crafted_manifest_is_a_searchlib_error(ix_path: Path) -> None:
    from searchlib.errors import AnalyzerMismatchError

    edit_manifest(ix_path, lambda m: m["analyzer"].__setitem__("stemmer", "klingon"))
    with pytest.raises(AnalyzerMismatchError):
        Index.open(ix_path)
    with pytest.raises(IndexCorruptError, match="'analyzer'"):  # the segments were built with another one
        IndexReader.open(ix_path)
    for seg in (0, 1):  # a consistent crafted index: the analyzer is refused when first used
        edit_meta(ix_path, seg, lambda m: m["analyzer"].__setitem__("stemmer", "klingon"))
    with pytest.raises(AnalyzerMismatchError):
        IndexReader.open(ix_path).analyzer  # noqa: B018


def test_manifest_schema_disagreeing_with_the_segments(ix_path: Path) -> None:
    edit_manifest(ix_path, lambda m: m["schema"]["fields"].__setitem__("title", "keyword"))
    with pytest.raises(IndexCorruptError, match="'text_fields'"):
        Index.open(ix_path).search("长沙")


@pytest.mark.parametrize("change", [
    lambda fields: fields.pop("source"),          # found by the crafted-JSON fuzzer: check() passed,
    lambda fields: fields.__setitem__("source", "int"),  # then source:... was "no such field"
    lambda fields: fields.__setitem__("date", "keyword"),
])
def test_manifest_schema_without_a_field_the_segments_hold(ix_path: Path, change: Any) -> None:
    edit_manifest(ix_path, lambda m: change(m["schema"]["fields"]))
    for action in (lambda: Index.open(ix_path).search("长沙"), lambda: Index.open(ix_path).check()):
        with pytest.raises(IndexCorruptError, match="'columns"):
            action()


@pytest.mark.parametrize("name", ["ids.keys", "ids.keyoff", "ids.hash"])
@pytest.mark.parametrize("crafted", [False, True])
def test_flipped_bits_in_the_id_dictionary(ix_path: Path, pristine: tuple[Path, dict[str, Any]], name: str,
                                           crafted: bool) -> None:
    """Every byte of the id dictionary flipped in turn (checksums recomputed or not): correct
    results or IndexCorruptError from search and get, never IndexError."""
    seg = _seg_dir(ix_path)
    original = (seg / name).read_bytes()
    step = max(len(original) // 8, 1)
    for pos in range(0, len(original), step):
        data = bytearray(original)
        data[pos] ^= 0x5A
        if crafted:
            rewrite_segment_file(ix_path, 0, name, bytes(data))
        else:
            (seg / name).write_bytes(bytes(data))
        result = run_forked(lambda: workload(ix_path, QUERIES, IDS, write=False))
        assert not problems(result, pristine[1]), (pos, problems(result, pristine[1]))
    (seg / name).write_bytes(original)


# ------------------------------------------------------------------------------ 4. crafted binary files


@pytest.mark.parametrize("name", ["ids.keys", "ids.keyoff", "ids.hash", "terms.keys", "terms.keyoff", "terms.hash",
                                  "postings.termoff", "postings.docs", "positions.termoff", "store.docoff",
                                  "store.docdict", "store.dictoff", "store.bin"])
def test_crafted_bytes_with_recomputed_checksums_never_crash(ix_path: Path, pristine: tuple[Path, dict[str, Any]],
                                                             name: str) -> None:
    """The bytes native code would parse, replaced by hostile values that every checksum agrees
    with (the crash of format 2's marisa-trie loader): errors or wrong results, no crash or hang."""
    seg = _seg_dir(ix_path)
    original = (seg / name).read_bytes()
    rng = np.random.default_rng(13)
    variants = [
        bytes(len(original)),                                     # zeros
        b"\xff" * len(original),                                  # all ones: huge offsets and ids
        rng.integers(0, 256, len(original), dtype=np.uint8).tobytes(),  # noise
        original[::-1],                                           # reversed
        original[: len(original) // 2] * 2,                       # repeated half
    ]
    for variant in variants:
        rewrite_segment_file(ix_path, 0, name, variant)
        result = run_forked(lambda: workload(ix_path, QUERIES, IDS, write=False))
        found = problems(result, pristine[1])
        assert not found, (name, found)


def test_hash_table_without_empty_slot_cannot_loop(ix_path: Path, pristine: tuple[Path, dict[str, Any]]) -> None:
    """A table with every slot taken and the largest probe count allowed: look-ups still end."""
    seg = _seg_dir(ix_path)
    meta = json.loads((seg / "meta.json").read_text())
    dtype = np.dtype(meta["files"]["terms.hash"]["dtype"])
    slots = meta["files"]["terms.hash"]["count"]
    rewrite_segment_file(ix_path, 0, "terms.hash", np.full(slots, 1, dtype=dtype).tobytes())
    edit_meta(ix_path, 0, lambda m: m["terms"].__setitem__("max_probe", min(255, slots - 1)))
    result = run_forked(lambda: workload(ix_path, QUERIES, IDS, write=False))
    assert not problems(result, pristine[1])
    assert "error" in result["value"]["check"]


# ------------------------------------------------------------------------------ 5. check() and statistics


def test_check_compares_field_length_totals_with_the_lengths(ix_path: Path) -> None:
    meta_path = edit_meta(ix_path, 0, lambda m: m["field_length_totals"].__setitem__("body", 2**62))
    with pytest.raises(IndexCorruptError) as err:
        Index.open(ix_path).check()
    assert err.value.path == str(meta_path)
    assert "field_length_totals" in str(err.value)


def test_check_finds_slightly_wrong_totals(ix_path: Path) -> None:
    meta_path = edit_meta(ix_path, 1, lambda m: m["field_length_totals"].__setitem__("title", m["field_length_totals"]["title"] + 1))
    with pytest.raises(IndexCorruptError, match="field_length_totals") as err:
        Index.open(ix_path).check()
    assert err.value.path == str(meta_path)


def test_check_finds_zeroed_lengths_with_recomputed_checksums(ix_path: Path) -> None:
    seg = _seg_dir(ix_path)
    name = _column_file(ix_path, "_len.body")
    size = (seg / name).stat().st_size
    target = rewrite_segment_file(ix_path, 0, name, bytes(size))

    def zero(m: dict[str, Any]) -> None:  # stored values are offsets from a base: 0 + base 0 = 0
        m["columns"]["_len.body"]["base"] = 0
        m["field_length_totals"]["body"] = 0  # consistent totals too

    edit_meta(ix_path, 0, zero)
    with pytest.raises(IndexCorruptError, match="length 0 in 'body' but a term at position") as err:
        Index.open(ix_path).check()
    assert err.value.path == str(target)


def test_check_reads_no_special_file(ix_path: Path) -> None:
    target = _seg_dir(ix_path) / "positions.pos"
    mutate(target, "devzero", target)
    result = run_forked(lambda: Index.open(ix_path).check())
    assert result["outcome"] == "raised" and result["type"] == "IndexCorruptError", result
    assert str(target) in result["message"]


def test_symlinked_segments_folder_is_refused(ix_path: Path, tmp_path: Path) -> None:
    moved = tmp_path / "elsewhere"
    shutil.move(str(ix_path / "segments"), moved)
    (ix_path / "segments").symlink_to(moved, target_is_directory=True)
    with pytest.raises(IndexCorruptError, match="symbolic link") as err:
        IndexReader.open(ix_path)
    assert err.value.path == str(ix_path / "segments")


# ------------------------------------------------------------------------------ crafted data met by a merge


@pytest.mark.parametrize("name", ["postings.docs", "postings.tfs", "postings.termoff", "store.docdict", "terms.keys"])
def test_optimize_of_crafted_arrays_is_index_corrupt_error_and_keeps_the_commit(ix_path: Path, name: str) -> None:
    """A file rewritten with its checksums recomputed (so only the merge's reads meet the damage:
    doc numbers out of range, offsets that go backwards): optimize raises IndexCorruptError, never
    an IndexError or ValueError, and the index stays at its last commit."""
    segments = sorted(p.name for p in (ix_path / "segments").iterdir())
    seg_dir = ix_path / "segments" / segments[0]
    data = bytearray((seg_dir / name).read_bytes())
    for at in range(0, len(data), max(1, len(data) // 64)):
        data[at] ^= 0xFF  # bytes flipped all along the file
    seg = [e["name"] for e in json.loads((ix_path / "manifest.json").read_text(encoding="utf-8"))["segments"]].index(seg_dir.name)
    rewrite_segment_file(ix_path, seg, name, bytes(data))
    before = (ix_path / "manifest.json").read_bytes()
    ix = Index.open(ix_path)
    with pytest.raises(IndexCorruptError) as err:
        with ix.writer(workers=1) as w:
            w.optimize()
    ix.close()
    assert "\n" not in str(err.value)
    assert (ix_path / "manifest.json").read_bytes() == before  # the last commit stands
    assert sorted(p.name for p in (ix_path / "segments").iterdir()) == segments  # no half-written segment left


def test_an_id_live_in_two_segments_is_found_by_check(ix_path: Path) -> None:
    """A crafted manifest that drops a segment's deletions makes an updated document live twice;
    check() says so (it used to pass, and optimize then failed with a ValueError)."""
    ix = Index.open(ix_path)
    with ix.writer(workers=1, merge=False) as w:
        w.update({"id": "x7", "title": "标题7", "body": "更新后的正文"})
    ix.close()
    edit_manifest(ix_path, lambda m: [s.__setitem__("deletes", None) for s in m["segments"]])
    with pytest.raises(IndexCorruptError, match="live in two segments"):
        Index.open(ix_path).check()
    ix = Index.open(ix_path)
    with pytest.raises(IndexCorruptError):
        with ix.writer(workers=1) as w:
            w.optimize()
