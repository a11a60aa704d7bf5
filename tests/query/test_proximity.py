"""Proximity rescoring: long queries reward words that stand together, in order, early; short
queries are plain BM25F; explain agrees; cursors continue the rescored order exactly."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import searchlib
from searchlib.query.proximity import ProximityOptions, _bonus, _plan, _Word

HEADLINE = "长沙 工程机械 出口 同比 增长 三成"
FILLER = "会议 指出 各地 要 加强 管理 做好 服务 推动 发展 提高 水平 落实 责任 "


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> searchlib.Index:
    path = tmp_path_factory.mktemp("prox") / "ix"
    ix = searchlib.Index.create(path)
    docs = [
        # the headline's words together, in order, at the start
        {"id": "together", "body": "长沙工程机械出口同比增长三成。" + FILLER * 3},
        # the same words, scattered through the text
        {"id": "scattered", "body": FILLER + "三成 " + FILLER + "增长 " + FILLER + "长沙 同比 " + FILLER
                                    + "出口 " + FILLER + "工程机械"},
        # the words in order, but late in a long text
        {"id": "late", "body": FILLER * 12 + "长沙工程机械出口同比增长三成"},
    ]
    docs += [{"id": f"f{i}", "body": FILLER + ("长沙 " if i % 5 == 0 else "增长 " if i % 5 == 1 else "") + FILLER}
             for i in range(30)]
    with ix.writer(workers=1, buffer_docs=7, merge=False) as w:  # several segments
        for d in docs:
            w.add(d)
    return ix


def test_long_query_prefers_words_together_in_order(ix: searchlib.Index) -> None:
    plain = ix.search(HEADLINE, proximity=False, limit=5)
    rescored = ix.search(HEADLINE, limit=5)
    assert rescored.ids[0] == "together"
    bonus = {h.id: h.score for h in rescored}
    base = {h.id: h.score for h in plain}
    assert all(bonus[i] >= base[i] for i in bonus)  # a bonus is never negative
    assert bonus["together"] - base["together"] > bonus["scattered"] - base["scattered"]
    assert bonus["together"] - base["together"] > bonus["late"] - base["late"]  # the lead counts
    assert rescored.total == plain.total


def test_short_queries_are_plain_bm25f(ix: searchlib.Index) -> None:
    for q in ("长沙", "长沙 增长", "长沙 工程机械 出口"):
        assert [(h.id, h.score) for h in ix.search(q, limit=10)] == \
               [(h.id, h.score) for h in ix.search(q, limit=10, proximity=False)]


def test_explain_shows_the_proximity_part(ix: searchlib.Index) -> None:
    res = ix.search(HEADLINE, limit=10)
    for hit in res:
        e = ix.explain(HEADLINE, hit.id)
        assert e.value == pytest.approx(hit.score, rel=1e-9)
        parts = e.find(proximity=e.details[-1].info.get("proximity")) if len(e.details) > 1 else []
        assert parts, "the proximity part is in the explanation"


def test_cursor_pages_continue_the_rescored_order(ix: searchlib.Index) -> None:
    opts = ProximityOptions(window=5)  # a small window, so pages cross its end
    full = ix.search(HEADLINE, limit=100, proximity=opts)
    paged, after = [], None
    while True:
        page = ix.search(HEADLINE, limit=3, after=after, proximity=opts)
        paged += page.ids
        if len(page) < 3:
            break
        after = page.next_cursor
    assert paged == full.ids and len(set(paged)) == full.total


def test_offset_pages_within_the_window(ix: searchlib.Index) -> None:
    full = ix.search(HEADLINE, limit=20)
    assert ix.search(HEADLINE, limit=5, offset=5).ids == full.ids[5:10]


def test_bad_option(ix: searchlib.Index) -> None:
    with pytest.raises(TypeError):
        ix.search(HEADLINE, proximity="yes")  # type: ignore[arg-type]


def test_sorted_and_collapsed_searches_are_not_rescored(ix: searchlib.Index, tmp_path: Path) -> None:
    a = ix.search(HEADLINE, sort="_doc", limit=5)
    assert a.ids == ix.search(HEADLINE, sort="_doc", limit=5, proximity=False).ids


# -- the bonus against a naive model -------------------------------------------------------------
_VOCAB = ["ab", "cd", "ef", "gh"]


class _Seg:
    """A segment of documents given per field as ``{word: set of positions}``."""

    def __init__(self, fields: dict[str, list[dict[str, set[int]]]]) -> None:
        self.fields = fields
        self.ids = [(f, w) for f in fields for w in sorted({w for d in fields[f] for w in d})]

    def term_id(self, field: str, text: str) -> int | None:
        return self.ids.index((field, text)) if (field, text) in self.ids else None

    def positions_of_many(self, tids: list[int], locals_: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        out = [(k, i, p) for k, t in enumerate(tids) for i, doc in enumerate(locals_.tolist())
               for p in sorted(self.fields[self.ids[t][0]][doc].get(self.ids[t][1], ()))]
        return tuple(np.array([x[j] for x in out], dtype=np.int64) for j in range(3))  # type: ignore[return-value]


def _naive(fields: dict[str, list[dict[str, set[int]]]], weights: dict[str, float], words: list[_Word | None],
           gap: int, lead_units: int) -> list[tuple[float, float]]:
    out = []
    distinct = {w.text: w for w in words if w is not None}
    total = sum(w.idf for w in distinct.values())
    for i, doc in enumerate(fields["body"]):
        pairs = 0.0
        for f, docs in fields.items():
            for a, b in zip(words, words[1:]):
                if a is None or b is None:
                    continue
                d = docs[i]
                n = sum(1 for p in d.get(a.text, ()) for s in range(a.units, a.units + gap + 1) if p + s in d.get(b.text, ()))
                pairs += weights[f] * min(a.idf, b.idf) * n / (n + 1.0)
        lead = sum(w.idf for w in distinct.values() if any(p < lead_units for p in doc.get(w.text, ())))
        out.append((pairs, lead / total if total else lead))
    return out


_DOCS = st.lists(st.dictionaries(st.sampled_from(_VOCAB), st.sets(st.integers(0, 30), min_size=1, max_size=8)),
                 min_size=1, max_size=6)


@settings(max_examples=200, deadline=None)
@given(docs=_DOCS, titles=st.none() | _DOCS,
       query=st.lists(st.one_of(st.none(), st.tuples(st.sampled_from(_VOCAB), st.integers(1, 3))), min_size=1, max_size=7),
       gap=st.integers(0, 2), lead_units=st.integers(1, 30))
def test_bonus_equals_a_naive_count(docs: list[dict[str, set[int]]], titles: list[dict[str, set[int]]] | None,
                                    query: list[tuple[str, int] | None], gap: int, lead_units: int) -> None:
    """Pairs (occurrences of b starting 0..gap units after a ends, per field, times the field's
    weight) and lead (body only), per document, equal a direct count over the positions, whatever
    the words, repeats, gaps and fields."""
    fields = {"body": docs}
    if titles is not None:
        fields = {"title": (titles + [{}] * len(docs))[: len(docs)], "body": docs}
    weights = {"title": 2.5, "body": 1.0}
    idf = {w: 1.0 + i * 0.37 for i, w in enumerate(_VOCAB)}
    units = {}
    words: list[_Word | None] = []
    for item in query:
        if item is None:
            words.append(None)
        else:
            text, n = item
            units.setdefault(text, n)  # one word, one length
            words.append(_Word(text, units[text], idf[text], tuple(fields)))
    seg = SimpleNamespace(seg=_Seg(fields), ord=0)
    ctx = SimpleNamespace(default_fields=tuple(fields), params=SimpleNamespace(weight=weights.get),
                          avg_length=lambda f: 1.0, term_id=lambda s, f, t: s.seg.term_id(f, t))
    options = ProximityOptions(gap=gap, lead_units=lead_units)
    pairs, lead = _bonus(ctx, seg, np.arange(len(docs), dtype=np.int64), _plan(ctx, words), options)  # type: ignore[arg-type]
    expected = _naive(fields, weights, words, gap, lead_units)
    assert pairs.tolist() == pytest.approx([p for p, _ in expected], rel=1e-12, abs=1e-12)
    assert lead.tolist() == pytest.approx([ld for _, ld in expected], rel=1e-12, abs=1e-12)
