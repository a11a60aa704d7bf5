"""Fuzzy terms against a brute-force edit-distance scan; sloppy phrases against a naive position check."""
from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import searchlib
from searchlib.analysis.analyzer import default_analyzer
from searchlib.query import search
from searchlib.query.assist.fuzzy import damerau_levenshtein, fuzzy_terms, typo_candidates
from searchlib.query.searcher import prepare
from tests.query.memindex import build_reader


def naive_dl(a: str, b: str) -> int:
    """Unrestricted Damerau-Levenshtein distance (Lowrance-Wagner), written out plainly."""
    inf = len(a) + len(b)
    last: dict[str, int] = {}
    d = [[inf] * (len(b) + 2) for _ in range(len(a) + 2)]
    for i in range(len(a) + 1):
        d[i + 1][0], d[i + 1][1] = inf, i
    for j in range(len(b) + 1):
        d[0][j + 1], d[1][j + 1] = inf, j
    for i in range(1, len(a) + 1):
        db = 0
        for j in range(1, len(b) + 1):
            k, l_ = last.get(b[j - 1], 0), db
            cost = 1
            if a[i - 1] == b[j - 1]:
                cost, db = 0, j
            d[i + 1][j + 1] = min(d[i][j] + cost, d[i + 1][j] + 1, d[i][j + 1] + 1,
                                  d[k][l_] + (i - k - 1) + 1 + (j - l_ - 1))
        last[a[i - 1]] = i
    return d[len(a) + 1][len(b) + 1]


@settings(max_examples=200, deadline=None)
@given(st.text("abcd", max_size=7), st.text("abcd", max_size=7))
def test_distance_is_damerau_levenshtein(a: str, b: str) -> None:
    assert damerau_levenshtein(a, b) == naive_dl(a, b)


_word = st.text("abcde", min_size=1, max_size=6)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_word, min_size=1, max_size=6), min_size=1, max_size=6), _word, st.integers(1, 2),
       st.integers(1, 3))
def test_fuzzy_expansion_equals_brute_force(bodies: list[list[str]], query: str, distance: int, n_seg: int) -> None:
    docs = [{"id": f"d{i}", "title": "", "body": " ".join(ws)} for i, ws in enumerate(bodies)]
    segments = [docs[i::n_seg] for i in range(n_seg) if docs[i::n_seg]]
    reader = build_reader(segments)
    _, ctx, _ = prepare(reader, "x", assist=False)
    got = fuzzy_terms(ctx, query, distance, ("body",), limit=10**6)
    analyzer = default_analyzer()
    doc_terms = [{t.text for t in analyzer.analyze(d["body"])} for d in docs]  # stems, as indexed
    vocab = set().union(*doc_terms)
    expected = {w for w in vocab if naive_dl(query, w) <= distance}
    assert {t for t, _ in got} == expected
    assert all(d == naive_dl(query, t) for t, d in got)
    assert [d for _, d in got] == sorted(d for _, d in got)  # nearest first
    # the query matches exactly the documents holding one of those terms
    res = search(reader, f"{query}~{distance}", limit=100)
    typed = analyzer.analyze(query, mode="query")[0].text  # the query's word is stemmed like the documents'
    found = {w for w in vocab if naive_dl(typed, w) <= distance}
    assert {h.id for h in res} == {d["id"] for d, ts in zip(docs, doc_terms) if found & ts}


def test_fuzzy_golden(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.query.assist.conftest import build

    ix = build(tmp_path / "ix")
    assert set(ix.search("broadbnd~1").ids) == {"en1", "en4"}
    assert ix.search("broadbnd~1").suggestion is None  # the user asked for the fuzzy match
    assert ix.search("broadband~0").parsed == "broadband"
    r = ix.search("dence~1")
    assert "danc" in r.terms and {"en2", "id2"} <= set(r.ids)  # stemmed, like the index (English stem)
    # exact matches rank above their fuzzy neighbours of the same strength
    ix2 = build(tmp_path / "ix2", [{"id": "a", "title": "", "body": "colour"}, {"id": "b", "title": "", "body": "color"}])
    assert ix2.search("color~1").ids == ["b", "a"]
    assert ix2.search("colour~1").ids == ["a", "b"]
    assert ix.search("broadbnd~1", assist={"pinyin": False, "typos": False}).ids == ["en4", "en1"]
    for off in ({"fuzzy": False}, False):  # False: every part off, the ~ syntax included
        with pytest.raises(searchlib.QueryError, match="turned off"):
            ix.search("broadbnd~1", assist=off)


def test_typo_candidates_only_nearest_words(tmp_path) -> None:  # type: ignore[no-untyped-def]
    reader = build_reader([[{"id": "a", "title": "", "body": "broadband broadcast 2024 broad"}]])
    _, ctx, _ = prepare(reader, "x", assist=False)
    assert typo_candidates(ctx, "broadbnd", ("body",)) == ["broadband"]
    assert typo_candidates(ctx, "brd", ("body",)) == []  # too short to guess


# -- sloppy phrases ---------------------------------------------------------------------------------


def naive_sloppy(units: list[str], rel: list[int], slop: int, positions: dict[str, list[int]]) -> bool:
    lists = [positions.get(u, []) for u in units]
    for choice in itertools.product(*lists):
        if len(set(choice)) < len(choice):
            continue
        offsets = [p - r for p, r in zip(choice, rel)]
        if max(offsets) - min(offsets) <= slop:
            return True
    return False


_token = st.sampled_from(["a", "b", "c", "d", ",", "a"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_token, min_size=1, max_size=10), min_size=1, max_size=8),
       st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=2, max_size=4), st.integers(0, 5), st.integers(1, 2))
def test_slop_equals_naive_position_check(bodies: list[list[str]], phrase: list[str], slop: int, n_seg: int) -> None:
    a = default_analyzer()
    docs = [{"id": f"d{i}", "title": "", "body": " ".join(ws)} for i, ws in enumerate(bodies)]
    segments = [docs[i::n_seg] for i in range(n_seg) if docs[i::n_seg]]
    reader = build_reader(segments)
    res = search(reader, f'"{" ".join(phrase)}"~{slop}', limit=100)
    expected = set()
    for d in docs:
        terms = a.index_terms(d["body"])
        positions: dict[str, list[int]] = {}
        for t, p in zip(terms.terms, terms.positions):
            positions.setdefault(t, []).append(p)
        if naive_sloppy(phrase, list(range(len(phrase))), slop, positions):
            expected.add(d["id"])
    assert {h.id for h in res} == expected
    assert res.total == len(expected)
    if slop == 0:  # the same as the exact phrase
        assert {h.id for h in search(reader, f'"{" ".join(phrase)}"', limit=100)} == expected


def test_slop_golden(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.query.assist.conftest import build

    ix = build(tmp_path / "ix")
    assert ix.search('"tram line"').ids == ["en3"]
    assert ix.search('"line tram"').ids == []
    assert ix.search('"line tram"~1').ids == []
    assert ix.search('"line tram"~2').ids == ["en3"]  # reversed: slop 2, as in Lucene
    assert ix.search('"river station"~3').ids == ["en3"]  # river bank and the station
    assert ix.search('"river station"~2').ids == []
    assert ix.search('"长沙 出口"~6').ids == ["zh1"]
    r = ix.search('"tram depot"~3')
    assert r.ids == ["en3"] and {"tram", "depot"} <= set(r.terms)
    # an exact occurrence outscores a loose one
    ix2 = build(tmp_path / "ix2", [{"id": "near", "title": "", "body": "new tram line"},
                                   {"id": "far", "title": "", "body": "new tram for the line"}])
    assert ix2.search('"tram line"~5').ids == ["near", "far"]
    e = ix2.explain('"tram line"~5', "far")
    assert e.matched and 0 < e.find(field="body")[0].info["tf"] < 1
