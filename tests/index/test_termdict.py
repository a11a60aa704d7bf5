"""The key dictionaries (segment format 3) against a naive model: exact and prefix look-ups, sorted
iteration, ids; on disk and in memory; crafted hash collisions."""
from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from searchlib.index import termdict
from searchlib.index.schema import TERM_SEP

_terms = st.lists(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=6), max_size=60, unique=True)


def _open(tmp: Path, vocab: dict[str, list[str]]) -> tuple[termdict.TermDict, dict[str, np.ndarray]]:
    built, ids = termdict.build_terms(vocab)
    files = termdict.write_keys(str(tmp), termdict.TERMS, built)
    keys = termdict.open_keydict(str(tmp), termdict.TERMS, files, built.params)
    return termdict.TermDict(keys, built.params["fields"]), ids


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=_terms, title=_terms, probe=st.text(max_size=3))
def test_term_dictionary_matches_a_naive_model(tmp_path_factory: pytest.TempPathFactory, body: list[str],
                                               title: list[str], probe: str) -> None:
    vocab = {"body": body, "title": title, "source": ["新华社", "x/y"]}
    td, ids = _open(tmp_path_factory.mktemp("td"), vocab)
    naive = sorted((f, t) for f, ts in vocab.items() for t in ts)  # (field, term) order is id order
    assert len(td) == len(naive)
    for field, terms in vocab.items():
        for term, tid in zip(terms, ids[field].tolist()):
            assert naive[tid] == (field, term)
            assert td.term_id(field, term) == tid and td.term(tid) == term and td.field_of(tid) == field
        absent = probe + "\x00"
        assert td.term_id(field, absent) == (ids[field][terms.index(absent)] if absent in terms else None)
        want = sorted((t, naive.index((field, t))) for t in terms if t.startswith(probe))
        assert td.with_prefix(field, probe) == want
        assert td.with_prefix(field, probe, limit=2) == want[:2]
        assert list(td.iter_terms(field, probe)) == sorted((t, naive.index((field, t))) for t in terms if t >= probe)
        assert td.field_terms(field) == sorted((t, naive.index((field, t))) for t in terms)
    assert td.term_id("nosuchfield", body[0] if body else "x") is None
    assert td.items() == [(f + TERM_SEP + t, i) for i, (f, t) in enumerate(naive)]
    td.keys.verify(td.lookups(), list(td.ranges.values()))


def test_same_term_in_two_fields_has_two_ids(tmp_path: Path) -> None:
    td, ids = _open(tmp_path, {"body": ["天", "天气"], "title": ["天"]})
    assert td.term_id("body", "天") != td.term_id("title", "天")
    assert td.with_prefix("title", "天") == [("天", td.term_id("title", "天"))]


def test_id_dictionary_keeps_document_order() -> None:
    ids = [f"doc-{i}" for i in range(500)] + ["長沙/1", "a" * 300]
    built = termdict.build_ids(ids)
    r = built.reader()
    assert [r.key(i) for i in range(len(ids))] == ids
    assert all(r.get(d) == i for i, d in enumerate(ids))
    assert r.get("doc-500") is None and r.get("") is None
    r.verify()


def _colliding(n: int) -> list[str]:
    """``n`` ids whose CRC-32 all land in the same slot of the table built for them."""
    size = 2 * n + 1
    out = []
    i = 0
    while len(out) < n:
        key = f"k{i}"
        if zlib.crc32(key.encode()) % size == 0:
            out.append(key)
        i += 1
    return out


def test_crafted_crc_collisions_switch_to_a_keyed_hash() -> None:
    normal = termdict.build_ids([f"doc-{i}" for i in range(300)])
    assert normal.params["hash"] == "crc32"
    keys = _colliding(300)
    built = termdict.build_ids(keys)
    assert built.params["hash"] == "blake2b" and len(built.params["key"]) == 32
    assert built.params["max_probe"] <= termdict.PROBE_LIMIT
    r = built.reader()
    assert all(r.get(k) == i for i, k in enumerate(keys))
    r.verify()
    assert termdict.build_ids(keys).params["key"] != built.params["key"]  # random per build


def test_empty_dictionaries(tmp_path: Path) -> None:
    td, _ = _open(tmp_path, {})
    assert len(td) == 0 and td.term_id("body", "x") is None and td.with_prefix("body", "") == []
    r = termdict.build_ids([]).reader()
    assert len(r) == 0 and r.get("x") is None
