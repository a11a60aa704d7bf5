"""Segment format 4: date, int and float values that their column gives back exactly are not
stored twice; the segment reader restores them. ``get`` must still return every value exactly
as the schema stored it, across segments, merges, deletes and format-3 segments."""
from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import searchlib
from searchlib.errors import IndexCorruptError
from searchlib.index import batch, segment_writer
from searchlib.index.arrays import write_array
from searchlib.index.reader import IndexReader
from searchlib.index.schema import Schema, column_restores, seconds_date
from tests.index.craft import edit_meta, rewrite_segment_file

FIELDS = {"title": "text", "body": "text", "date": "date", "views": "int", "rating": "float"}

_offsets = st.sampled_from([None, dt.timezone.utc, dt.timezone(dt.timedelta(hours=8)),
                            dt.timezone(dt.timedelta(hours=-5, minutes=-30))])
_datetimes = st.builds(
    lambda d, tz, micro: d.replace(tzinfo=tz, microsecond=micro),
    st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(2100, 1, 1)), _offsets,
    st.sampled_from([0, 0, 0, 500_000]),
)
_midnights = st.builds(lambda d: dt.datetime(d.year, d.month, d.day), st.dates(dt.date(1960, 1, 1)))
_dates = st.one_of(st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)), _datetimes, _midnights)
_doc = st.fixed_dictionaries({"body": st.sampled_from(["长沙 机场", "weather news", "株洲"])}, optional={
    "date": _dates,
    "views": st.integers(-(1 << 63), (1 << 63) - 1),
    "rating": st.floats(allow_nan=False, allow_infinity=False),
})
_op = st.one_of(
    st.tuples(st.just("add"), st.integers(0, 7), _doc),
    st.tuples(st.just("delete"), st.integers(0, 7), st.none()),
    st.tuples(st.just("commit"), st.none(), st.none()),
    st.tuples(st.just("optimize"), st.none(), st.none()),
)


def _stored(doc: dict[str, Any]) -> dict[str, Any]:
    return Schema(FIELDS).normalize(doc)[0]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=st.lists(_op, max_size=14))
def test_get_returns_every_value_as_stored(ops: list[tuple[str, int | None, dict | None]]) -> None:
    tmp = tempfile.mkdtemp()
    try:
        ix = searchlib.Index.create(Path(tmp) / "ix", fields=FIELDS)
        model: dict[str, dict[str, Any]] = {}
        w = ix.writer(workers=1, buffer_docs=3, merge=False)
        for kind, n, doc in ops:
            if kind == "add":
                full = {"id": f"d{n}", **doc}  # type: ignore[dict-item]
                w.update(full)
                model[full["id"]] = _stored(full)
            elif kind == "delete":
                w.delete(f"d{n}")
                model.pop(f"d{n}", None)
            elif kind == "commit":
                w.commit()
            else:
                w.commit()
                w.optimize()
        w.commit()
        w.close()
        for doc_id, want in model.items():
            assert ix.get(doc_id) == want
        assert sorted(ix.ids()) == sorted(model)
        ix.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _add(ix: searchlib.Index, docs: list[dict[str, Any]]) -> None:
    with ix.writer(workers=1) as w:
        w.add_many(docs)


def _raw_docs(path: Path) -> list[dict[str, Any]]:
    with IndexReader.open(path) as r:
        return [seg.store.document(i) for seg in r.segments for i in range(seg.doc_count)]


def test_values_the_column_restores_are_not_stored_twice(tmp_path: Path) -> None:
    docs = [
        {"id": "plain", "body": "x", "date": "2024-04-19", "views": 7, "rating": 0.1},
        {"id": "time", "body": "x", "date": "2024-04-19T10:30:00"},
        {"id": "offset", "body": "x", "date": "2024-04-19T10:30:00+08:00"},
        {"id": "micro", "body": "x", "date": dt.datetime(2024, 4, 19, 10, 30, 0, 250)},
        {"id": "midnight", "body": "x", "date": dt.datetime(2024, 4, 19)},  # a date-time, not a date
    ]
    ix = searchlib.Index.create(tmp_path / "ix", fields=FIELDS)
    _add(ix, docs)
    raw = {d["id"]: d for d in _raw_docs(tmp_path / "ix")}
    assert raw["plain"] == {"id": "plain", "body": "x"}
    assert "date" not in raw["time"]
    assert raw["offset"]["date"] == "2024-04-19T10:30:00+08:00"
    assert raw["micro"]["date"] == "2024-04-19T10:30:00.000250"
    assert raw["midnight"]["date"] == "2024-04-19T00:00:00"
    for d in docs:
        assert ix.get(d["id"]) == _stored(d)


def test_seconds_date_and_column_restores() -> None:
    assert seconds_date(0) == "1970-01-01" and seconds_date(-1) == "1969-12-31T23:59:59"
    assert column_restores("date", "2024-04-19") and column_restores("date", "2024-04-19T00:00:01")
    assert not column_restores("date", "2024-04-19T00:00:00")
    assert not column_restores("date", "2024-04-19T01:00:00+01:00")
    assert column_restores("int", -(1 << 63)) and column_restores("float", 1e300)
    assert not column_restores("keyword", "x")
    with pytest.raises(ValueError):
        seconds_date(1 << 60)


def test_format_3_segments_are_read_and_merged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ix = searchlib.Index.create(tmp_path / "ix", fields=FIELDS)
    old = {"id": "old", "body": "x", "date": "2020-02-02", "views": 3}
    with monkeypatch.context() as m:  # what the previous version wrote: every value stored
        m.setattr(segment_writer, "SEGMENT_FORMAT_VERSION", 3)
        m.setattr(batch, "column_restores", lambda *args: False)
        _add(ix, [old])
    assert _raw_docs(tmp_path / "ix")[0] == old
    new = {"id": "new", "body": "y", "date": "2021-03-03T04:05:06", "rating": 2.5}
    _add(ix, [new])
    with IndexReader.open(tmp_path / "ix") as r:
        assert [s.format_version for s in r.segments] == [3, 4]
    assert ix.get("old") == old and ix.get("new") == new
    ix.optimize()
    with IndexReader.open(tmp_path / "ix") as r:
        assert [s.format_version for s in r.segments] == [4]
    assert ix.get("old") == old and ix.get("new") == new
    assert [h.id for h in ix.search("", filter={"date": {"lt": "2021"}})] == ["old"]


def test_a_crafted_date_out_of_range_is_a_corrupt_index(tmp_path: Path) -> None:
    path = tmp_path / "ix"
    ix = searchlib.Index.create(path, fields=FIELDS)
    _add(ix, [{"id": "a", "body": "x", "date": "2024-04-19"}])
    ix.close()
    seg = next((path / "segments").iterdir())
    meta = json.loads((seg / "meta.json").read_text(encoding="utf-8"))
    (name,) = meta["columns"]["date"]["files"]
    huge = np.array([np.iinfo(np.int64).max], dtype="<i8")
    out = tmp_path / "craft"
    out.mkdir()
    entry = write_array(str(out), name, huge, "<i8")
    rewrite_segment_file(path, 0, name, (out / name).read_bytes())

    def retype(m: dict[str, Any]) -> None:
        m["columns"]["date"].update(base=0, missing=None)
        m["files"][name].update(dtype=entry["dtype"], count=entry["count"])

    edit_meta(path, 0, retype)
    with pytest.raises(IndexCorruptError, match="date out of range"):
        searchlib.Index.open(path).get("a")


def test_int64_min_next_to_missing_values_survives_writes_and_merges(tmp_path: Path) -> None:
    """A column spanning the whole int64 range is stored raw; its missing-value marker must be
    a number no document holds (it was int64 min, which then read back as missing)."""
    ix = searchlib.Index.create(tmp_path / "ix", fields={"title": "text", "n": "int"})
    _add(ix, [{"id": "a", "title": "x", "n": -(1 << 63)}, {"id": "b", "title": "x", "n": (1 << 63) - 1},
              {"id": "m", "title": "x"}])
    _add(ix, [{"id": "c", "title": "x", "n": -(1 << 63) + 1}, {"id": "d", "title": "x"}])
    for _ in range(2):
        assert ix.get("a")["n"] == -(1 << 63) and ix.get("c")["n"] == -(1 << 63) + 1 and "n" not in ix.get("m")
        assert [h.id for h in ix.search("x", sort="n")] == ["a", "c", "b", "m", "d"]
        assert [h.id for h in ix.search("x", sort="-n")] == ["b", "c", "a", "m", "d"]
        assert ix.count(filter={"n": {"lt": 0}}) == 2
        ix.optimize()


def _crafted_column(tmp_path: Path, field: str, kind: str, value: Any, array: np.ndarray, dtype: str,
                    entry_change: dict[str, Any]) -> Path:
    path = tmp_path / "ix"
    ix = searchlib.Index.create(path, fields={"title": "text", field: kind})
    _add(ix, [{"id": "a", "title": "x", field: value}])
    ix.close()
    seg = next((path / "segments").iterdir())
    meta = json.loads((seg / "meta.json").read_text(encoding="utf-8"))
    name = next(f for f in meta["columns"][field]["files"] if f.endswith((".values", ".ords")))
    out = tmp_path / "craft"
    out.mkdir()
    entry = write_array(str(out), name, array, dtype)
    rewrite_segment_file(path, 0, name, (out / name).read_bytes())

    def retype(m: dict[str, Any]) -> None:
        m["columns"][field].update(entry_change)
        m["files"][name].update(dtype=entry["dtype"], count=entry["count"])

    edit_meta(path, 0, retype)
    return path


@pytest.mark.parametrize("kind, value", [("date", "2024-04-19"), ("int", 5)])
def test_a_numeric_column_of_floats_for_an_integer_field_is_a_corrupt_index(tmp_path: Path, kind: str, value: Any) -> None:
    path = _crafted_column(tmp_path, "n", kind, value, np.array([np.nan]), "<f8", {"base": 0, "missing": None})
    with pytest.raises(IndexCorruptError, match="float64 values for a"):
        searchlib.Index.open(path).get("a")


def test_negative_keyword_ordinals_are_a_corrupt_index(tmp_path: Path) -> None:
    path = _crafted_column(tmp_path, "src", "keyword", "p", np.array([-5]), "<i8", {"missing": None})
    ix = searchlib.Index.open(path)
    with pytest.raises(IndexCorruptError, match="negative ordinal"):
        ix.search("x", facets=["src"])
    with pytest.raises(IndexCorruptError, match="negative ordinal"):
        ix.check()
