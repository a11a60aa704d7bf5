"""Phrase results are exact: a document matches iff its folded text contains the folded phrase
contiguously, whatever jieba did to either side (property test over random texts)."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from searchlib.analysis.analyzer import default_analyzer
from searchlib.query import search
from tests.query.memindex import build_reader

_CHARS = "工程机械長沙长产业的和是"
_text = st.text(alphabet=_CHARS, min_size=1, max_size=30)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_text, min_size=1, max_size=8), st.data())
def test_phrase_matches_iff_substring(bodies: list[str], data: st.DataObject) -> None:
    a = default_analyzer()
    docs = [{"id": f"x{i}", "title": "", "body": b} for i, b in enumerate(bodies)]
    split = data.draw(st.integers(0, len(docs)))
    reader = build_reader([docs[:split], docs[split:]] if 0 < split < len(docs) else [docs])
    src = a.fold(data.draw(st.sampled_from(bodies))).text
    start = data.draw(st.integers(0, len(src) - 1))
    phrase = src[start:start + data.draw(st.integers(2, 6))]
    if len(phrase) < 2:
        return
    res = search(reader, f'"{phrase}"', limit=100)
    expected = {d["id"] for d in docs if phrase in a.fold(d["body"]).text}
    assert {h.id for h in res} == expected
    assert res.total == len(expected)
    # phrase frequency: the score grows with occurrences, and explain agrees
    for h in res:
        count = sum(1 for i in range(len(a.fold(h.fields["body"]).text)) if a.fold(h.fields["body"]).text.startswith(phrase, i))
        from searchlib.query import explain

        e = explain(reader, f'"{phrase}"', h.id)
        assert e.find(field="body")[0].info["tf"] == count
