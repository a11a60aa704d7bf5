"""Top-level filters check only a word's candidates (no whole mask) when the word is rare: the
results must be exactly those of a brute-force pass over the documents, deletions included."""
from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import searchlib

SOURCES = ["新华社", "人民网", "Kompas", "AP"]
N = 600  # one segment; a word is in at most 12 documents, well under 1/16 of them


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, dict[str, dict[str, Any]]]:
    rng = random.Random(7)
    docs: dict[str, dict[str, Any]] = {}
    for i in range(N):
        doc: dict[str, Any] = {"id": f"d{i}", "body": " ".join(f"word{rng.randrange(60)}" for _ in range(3))}
        if rng.random() < 0.8:
            doc["source"] = rng.choice(SOURCES)
        if rng.random() < 0.8:
            doc["date"] = str(dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(730)))
        if rng.random() < 0.8:
            doc["views"] = rng.randrange(1000)
        docs[doc["id"]] = doc
    ix = searchlib.Index.create(tmp_path_factory.mktemp("lazy") / "ix", fields={"views": "int"})
    with ix.writer(workers=1) as w:
        for doc in docs.values():
            w.add(doc)
    with ix.writer(workers=1) as w:
        for i in range(0, N, 7):
            w.delete(f"d{i}")
            del docs[f"d{i}"]
    return ix, docs


_date = st.dates(dt.date(2023, 1, 1), dt.date(2024, 12, 31)).map(str)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(word=st.integers(0, 59), source=st.one_of(st.none(), st.sampled_from(SOURCES)),
       lo=st.one_of(st.none(), _date), hi=st.one_of(st.none(), _date),
       views=st.one_of(st.none(), st.integers(0, 1000)))
def test_a_rare_word_with_filters_equals_brute_force(corpus: tuple[Any, dict[str, dict[str, Any]]], word: int,
                                                      source: str | None, lo: str | None, hi: str | None,
                                                      views: int | None) -> None:
    ix, docs = corpus
    query = [f"word{word}"]
    if source is not None:
        query.append(f"source:{source}")
    if lo is not None or hi is not None:
        query.append(f"date:[{lo or '*'} TO {hi or '*'}]")
    if views is not None:
        query.append(f"views:<{views}")

    def passes(d: dict[str, Any]) -> bool:
        return (f"word{word}" in d["body"].split()
                and (source is None or d.get("source") == source)
                and (lo is None and hi is None or "date" in d and (lo or "") <= d["date"] <= (hi or "9999")
                     and (lo is None or d["date"] >= lo))
                and (views is None or "views" in d and d["views"] < views))

    want = {i for i, d in docs.items() if passes(d)}
    got = ix.search(" ".join(query), limit=N)
    assert {h.id for h in got.hits} == want and got.total == len(want)


def test_a_rare_word_never_builds_the_whole_range_mask(corpus: tuple[Any, dict[str, dict[str, Any]]],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    # the candidate path is what this file tests: a whole mask here would mean it did not run
    import searchlib.query.filters as filters

    def no_whole_mask(self: Any, seg: Any) -> Any:
        raise AssertionError("whole range mask built for a rare word")

    monkeypatch.setattr(filters._RangeFilter, "_compute", no_whole_mask)
    ix, docs = corpus
    got = ix.search("word7 date:[2023-06-01 TO 2024-06-01]", limit=N)
    want = {i for i, d in docs.items() if "word7" in d["body"].split() and "2023-06-01" <= d.get("date", "") <= "2024-06-01"}
    assert {h.id for h in got.hits} == want
