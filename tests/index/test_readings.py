"""Per-segment query-assistance data (assist.bin): contents, merges, damage."""
from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import searchlib
from searchlib.analysis.pinyin import initials, word_readings
from searchlib.errors import IndexCorruptError
from searchlib.index.readings import FILE

DOCS = [
    {"id": "a", "title": "长沙工程机械", "body": "株洲轨道交通 银行行长 長沙市 broadband Internet 2024"},
    {"id": "b", "title": "", "body": "深圳宽带 dance"},
    {"id": "c", "title": "", "body": "西安景点 经典"},
]


def _index(path: Path, batches: list[list[dict[str, str]]]) -> searchlib.Index:
    ix = searchlib.Index.create(path)
    for batch in batches:
        with ix.writer(workers=1, merge=False) as w:
            for d in batch:
                w.add(d)
    return ix


def _contents(seg) -> tuple[dict[str, int], dict[str, set[str]], dict[str, int]]:  # type: ignore[no-untyped-def]
    rd = seg.readings
    words = {rd.word(o): int(rd.weight[o]) for o in range(rd.n_words)}
    by_key: dict[str, set[str]] = {}
    for w in words:
        for r in word_readings(w):
            by_key.setdefault("".join(r), set()).add(w)
    latin = {rd.latin_word(o): int(rd.lweight[o]) for o in range(rd.n_latin)}
    return words, by_key, latin


def test_contents_match_the_term_dictionary(tmp_path: Path) -> None:
    ix = _index(tmp_path / "ix", [DOCS])
    seg = ix.reader().segments[0]
    words, by_key, latin = _contents(seg)
    han_terms = {t for f in ("title", "body") for t, _ in seg.terms_with_prefix(f, "")
                 if len(t) >= 2 and all("\u4e00" <= c <= "\u9fff" for c in t)}
    assert set(words) == han_terms
    assert {"长沙", "株洲", "银行", "深圳"} <= set(words)
    assert words["长沙"] == 2  # title and body
    for key, expected in by_key.items():
        assert {seg.readings.word(o) for o in seg.readings.lookup(key).tolist()} == expected
    assert {seg.readings.word(o) for o in seg.readings.with_prefix("cs", initials=True).tolist()} >= {"长沙", "长沙市"}
    assert initials(("chang", "sha")) == "cs"
    assert set(latin) == {"broadband", "internet", "dance"}  # letters only: no numbers
    assert {seg.readings.word(o) for o in range(*seg.readings.han_with_prefix("长沙"))} == {"长沙", "长沙市"}


def test_merge_rebuilds_from_live_terms(tmp_path: Path) -> None:
    ix = _index(tmp_path / "ix", [DOCS[:1], DOCS[1:]])
    with ix.writer(workers=1, merge=False) as w:
        w.delete("b")
    ix.optimize()
    segs = ix.reader().segments
    assert len(segs) == 1
    words, _, latin = _contents(segs[0])
    assert "深圳" not in words and "dance" not in latin  # only in the deleted document
    assert {"长沙", "景点", "经典"} <= set(words)
    meta = json.loads((Path(segs[0].path) / "meta.json").read_text())
    assert FILE in meta["files"] and meta["readings"]["version"] == 2


def test_damage_is_reported(tmp_path: Path) -> None:
    ix = _index(tmp_path / "ix", [DOCS])
    seg_dir = Path(ix.reader().segments[0].path)
    ix.close()
    target = seg_dir / FILE
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.write_bytes(bytes(data))
    ix = searchlib.Index.open(tmp_path / "ix")
    with pytest.raises(IndexCorruptError) as err:
        ix.search("changsha")  # first use of the data
    assert os.path.samefile(err.value.path, target)
    with pytest.raises(IndexCorruptError):
        ix.check()
    assert ix.search("长沙", assist=False).ids == ["a"]  # the rest of the index still serves


def test_bounds_are_checked_even_with_a_valid_checksum(tmp_path: Path) -> None:
    """Data rewritten with a matching checksum but wrong contents is refused, not read past."""
    import zlib

    import zstandard

    from searchlib.index.readings import Readings

    ix = _index(tmp_path / "ix", [DOCS])
    seg = ix.reader().segments[0]
    meta = json.loads((Path(seg.path) / "meta.json").read_text())["readings"]
    target = Path(seg.path) / FILE
    raw = bytearray(zstandard.ZstdDecompressor().decompress(target.read_bytes(), max_output_size=meta["raw_size"]))

    def attempt(payload: bytes, entry: dict) -> None:  # type: ignore[type-arg]
        packed = zstandard.ZstdCompressor().compress(payload)
        target.write_bytes(packed)
        Readings(seg.path, entry, {"size": len(packed), "crc32": zlib.crc32(packed)})

    off, dtype, _ = meta["sections"]["post"]
    bad = bytearray(raw)
    bad[off:off + 1] = b"\xff"  # a word ordinal out of range (the segment has fewer words)
    with pytest.raises(IndexCorruptError, match="out of range"):
        attempt(bytes(bad), meta)
    wide = dict(meta, sections=dict(meta["sections"], post=[off, dtype, 10**9]))
    with pytest.raises(IndexCorruptError, match="outside the file"):
        attempt(bytes(raw), wide)
    short = dict(meta, sections=dict(meta["sections"], wordlen=[meta["sections"]["wordlen"][0], "|u1", 1]))
    with pytest.raises(IndexCorruptError, match="inconsistent"):
        attempt(bytes(raw), short)
    with pytest.raises(IndexCorruptError, match="decompressed size"):
        attempt(bytes(raw) + b"x" * 8, meta)


@pytest.mark.parametrize("spec", [{}, {"0": 1}, None, [], ["x"], [0, "<u9", 1], [float("inf"), "|u1", 1], "abc"])
def test_crafted_section_descriptions_are_refused(tmp_path: Path, spec: object) -> None:
    # found by the crafted-JSON fuzzer: a dict as a section's description raised KeyError
    from searchlib.index.readings import Readings

    ix = _index(tmp_path / "ix", [DOCS])
    seg = ix.reader().segments[0]
    meta = json.loads((Path(seg.path) / "meta.json").read_text())
    entry = dict(meta["readings"], sections=dict(meta["readings"]["sections"], lweight=spec))
    with pytest.raises(IndexCorruptError, match="lweight"):
        Readings(seg.path, entry, meta["files"][FILE])


def test_a_snapshot_reads_its_assistance_data_after_a_merge_removed_its_files(tmp_path: Path) -> None:
    # found by the thread stress test: assist.bin was opened on first use, so a reader whose
    # segments a later commit merged away failed with FileNotFoundError; it is mapped at open now
    from searchlib.index.reader import IndexReader
    from searchlib.query.searcher import search

    ix = _index(tmp_path / "ix", [DOCS[:1], DOCS[1:]])
    reader = IndexReader.open(tmp_path / "ix")
    before = [seg.path for seg in reader.segments]
    ix.optimize()
    assert not any(os.path.exists(p) for p in before)  # the snapshot's folders are gone
    assert {h.id for h in search(reader, "changsha")} == {"a"}  # pinyin: the readings of the old snapshot
    assert all(seg.readings is not None for seg in reader.segments)


_HAN = "长沙银行行长重庆株洲深圳西安景点经典工程机械轨道交通市的了会调研乐音"


def _sections(rd) -> dict[str, list[int]]:  # type: ignore[no-untyped-def]
    return {"words": rd.all_words(), "keys": rd.all_keys(False), "ikeys": rd.all_keys(True),
            "post": rd.post.tolist(), "ipost": rd.ipost.tolist(), "postoff": rd.postoff.tolist(),
            "ipostoff": rd.ipostoff.tolist(), "weight": rd.weight.tolist(), "latin": rd.all_latin_words()}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.text(alphabet=_HAN, min_size=2, max_size=12), min_size=1, max_size=6), min_size=2, max_size=4),
       st.sets(st.integers(0, 30)))
def test_a_merge_copies_readings_exactly_as_computing_them_again(tmp_path_factory: pytest.TempPathFactory,
                                                                 batches: list[list[str]], deleted: set[int]) -> None:
    """A merge remaps its inputs' reading postings in numpy; the result equals the data a flush
    of the same live documents computes word by word (whatever the inputs and deletions)."""
    root = tmp_path_factory.mktemp("merge")
    docs = [[{"id": f"{b}-{i}", "body": " ".join([t, t[::-1]])} for i, t in enumerate(batch)]
            for b, batch in enumerate(batches)]
    ix = _index(root / "merged", docs)
    flat = [d for batch in docs for d in batch]
    gone = {flat[i]["id"] for i in deleted if i < len(flat)}
    with ix.writer(workers=1, merge=False) as w:
        for doc_id in gone:
            w.delete(doc_id)
    ix.optimize()
    fresh = _index(root / "fresh", [[d for d in flat if d["id"] not in gone]])
    merged = [s.readings for s in ix.reader().segments if s.live_count]
    again = [s.readings for s in fresh.reader().segments if s.live_count]
    assert len(merged) == len(again) <= 1
    if merged:
        assert (merged[0] is None) == (again[0] is None)
        if merged[0] is not None:
            assert _sections(merged[0]) == _sections(again[0])


_WORKER_DOCS = [{"id": str(i), "body": f"{_HAN[i % 20:i % 20 + 6]} 长沙 重庆 行长 word{i % 7} dance"} for i in range(120)]


def _handed_to_workers(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The handles of the reading computations the writers hand to a worker from now on."""
    from searchlib.index.writer import IndexWriter

    handles: list[object] = []
    defer = IndexWriter._defer_readings

    def spied(self: IndexWriter) -> Callable[..., object] | None:
        submit = defer(self)
        if submit is None:
            return None

        def counted(fn: Callable[..., object], *args: object) -> object:
            handles.append(submit(fn, *args))
            return handles[-1]
        return counted

    monkeypatch.setattr(IndexWriter, "_defer_readings", spied)
    return handles


def _built_with(path: Path, workers: int, then: Callable[[searchlib.Index], None] = lambda ix: None) -> list[dict]:
    """The reading data of every segment of an index of :data:`_WORKER_DOCS` (three segments)
    written with ``workers`` analysis processes, after ``then(ix)``; each segment's meta lists
    the file."""
    ix = searchlib.Index.create(path)
    with ix.writer(workers=workers, merge=False, buffer_docs=40) as w:
        for d in _WORKER_DOCS:
            w.add(d)
    then(ix)
    segs = ix.reader().segments
    for seg in segs:
        meta = json.loads((Path(seg.path) / "meta.json").read_text())
        assert FILE in meta["files"] and meta["readings"]["version"] == 2
    out = [_sections(seg.readings) for seg in segs]
    ix.close()
    return out


def test_readings_computed_by_a_worker_equal_those_of_a_flush(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With analysis workers a segment's reading data is computed by a worker and written before
    the commit; every segment then lists it and holds what a one-process writer computes."""
    alone = _built_with(tmp_path / "w1", 1)
    handles = _handed_to_workers(monkeypatch)
    pooled = _built_with(tmp_path / "w2", 2)
    assert len(handles) == 3 and all(h is not None for h in handles)  # one per flush, in a worker
    assert len(alone) == 3
    assert alone == pooled


def test_readings_of_a_merge_computed_by_a_worker_equal_those_computed_in_process(tmp_path: Path,
                                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """With analysis workers, a merge's reading data is computed by a worker from the inputs'
    reading files while the merge goes on; the merged segment lists it and holds the same data
    as a one-process writer's merge, deletions included."""
    def delete_then_merge(workers: int) -> Callable[[searchlib.Index], None]:
        def then(ix: searchlib.Index) -> None:
            with ix.writer(workers=workers, merge=False) as w:
                for i in range(0, 120, 3):
                    w.delete(str(i))
            with ix.writer(workers=workers) as w:
                w.optimize()
        return then

    alone = _built_with(tmp_path / "w1", 1, delete_then_merge(1))
    handles = _handed_to_workers(monkeypatch)
    pooled = _built_with(tmp_path / "w2", 2, delete_then_merge(2))
    assert len(handles) == 4 and all(h is not None for h in handles)  # three flushes and the merge
    assert len(alone) == 1
    assert alone == pooled


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="长沙行abcZ9_ \n", min_size=1, max_size=10), max_size=30))
def test_words_of_equals_a_term_by_term_match(terms: list[str]) -> None:
    """The one-pass word finder (and its fallback for terms holding line breaks) gives what
    matching each term on its own gives: Han words of 2-8 characters, Latin words of letters."""
    import re

    import numpy as np

    from searchlib.index.readings import _words_of

    doc_freq = np.arange(1, len(terms) + 1, dtype=np.int64)
    han: dict[str, int] = {}
    latin: dict[str, int] = {}
    _words_of(terms, np.arange(len(terms)), doc_freq, han, latin)
    want_han: dict[str, int] = {}
    want_latin: dict[str, int] = {}
    for t, c in zip(terms, doc_freq.tolist()):
        if re.fullmatch(r"[\u4e00-\u9fff]{2,8}", t):
            want_han[t] = want_han.get(t, 0) + c
        elif re.fullmatch(r"[A-Za-z]{2,32}", t):
            want_latin[t] = want_latin.get(t, 0) + c
    assert han == want_han and latin == want_latin


@given(st.lists(st.sets(st.text(alphabet="abcz", max_size=6)), min_size=1, max_size=5))
def test_union_of_sorted_keys_equals_a_set_union(groups: list[set[str]]) -> None:
    """A merge joins its inputs' reading keys (each sorted, no repeats) by binary search, input
    after input; the result is the sorted set union, whatever the overlaps and lengths."""
    import numpy as np

    from searchlib.index.readings import _union_sorted

    union = np.empty(0, dtype="S6")
    for g in groups:
        union = _union_sorted(union, np.array(sorted(k.encode() for k in g), dtype="S6"))
    assert union.tolist() == sorted({k.encode() for g in groups for k in g})
