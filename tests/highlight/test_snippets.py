"""Golden tests for snippet windows: whole text, windows, fragments, ellipses, limits."""
from __future__ import annotations

import re

import pytest

from searchlib.highlight import Highlighter
from searchlib.highlight.snippets import Match, select_fragments

FILLER = "今天天气很好，我们去公园散步。"  # 15 characters, one sentence
EN_FILLER = "Nothing else happened here at all today. "


def visible(snippet: str) -> str:
    return snippet.replace("**", "")


def test_short_text_is_shown_whole(analyzer):
    h = Highlighter(analyzer, terms=["工程机械"])
    assert h.snippet("长沙工程机械") == "长沙**工程机械**"
    assert h.snippet("長沙工程機械。") == "長沙**工程機械**。"


def test_empty_text(analyzer):
    assert Highlighter(analyzer, terms=["工程"]).snippet("") == ""
    assert Highlighter(analyzer, terms=["工程"]).snippet("", format="html") == ""


def test_no_match_shows_the_start_cut_at_a_sentence(analyzer):
    doc = FILLER * 20
    out = Highlighter(analyzer, terms=["不存在"]).snippet(doc, max_chars=50)
    assert out == FILLER * 3 + "…"
    out = Highlighter(analyzer, terms=["zzz"]).snippet(EN_FILLER * 10, max_chars=100)
    assert out == (EN_FILLER * 2).strip() + "…"


def test_window_starts_at_the_sentence_of_the_match(analyzer):
    doc = FILLER * 6 + "长沙工程机械产业发展迅速，带动了就业。" + FILLER * 10
    out = Highlighter(analyzer, terms=["工程机械"]).snippet(doc, max_chars=60)
    assert out.startswith("…长沙**工程机械**产业发展迅速，带动了就业。")
    assert out.endswith("…")
    assert len(visible(out)) <= 60
    # the window ends at a sentence end
    assert visible(out)[:-1].endswith("。")


def test_window_with_most_distinct_terms_wins(analyzer):
    doc = (
        FILLER * 3 + "产业产业产业产业。" + FILLER * 6 + "工程机械产业。" + FILLER * 6
    )
    out = Highlighter(analyzer, terms=["工程机械", "产业"]).snippet(doc, max_chars=40)
    assert "**工程机械产业**" in out  # both terms (one merged span) beat four of one term
    assert "产业产业" not in visible(out)


def test_several_fragments_when_one_window_misses_terms(analyzer):
    doc = FILLER * 6 + "长沙工程机械产业发展迅速。" + FILLER * 12
    doc += "产业集群初步形成。" + FILLER * 5
    h = Highlighter(analyzer, terms=["工程机械"], phrases=["产业集群"])
    out = h.snippet(doc, max_chars=80)
    assert " … " in out
    assert "**工程机械**" in out and "**产业集群**" in out
    assert out.startswith("…") and out.endswith("…")
    assert len(visible(out)) <= 80


def test_english_fragments_cut_between_words(analyzer):
    doc = (
        "The quick brown fox jumps over the lazy dog. " * 5
        + "Investors in Jakarta watched the CZT detector market closely, while analysts said demand would grow. "
        + EN_FILLER * 8
        + "Kota besar."
    )
    h = Highlighter(analyzer, terms=["czt", "kota", "jakarta"])
    out = h.snippet(doc, max_chars=60)
    assert out == "…in **Jakarta** watched the **CZT** … **Kota** besar."
    out = h.snippet(doc, max_chars=120)
    assert out.startswith("…Investors in **Jakarta** watched the **CZT** detector")
    assert out.endswith(" … **Kota** besar.")
    for word in re.findall(r"[A-Za-z]+", visible(out)):
        assert word in doc.split() or word + "." in doc.split() or word + "," in doc.split()


def test_match_at_the_end_gets_context_before(analyzer):
    doc = FILLER * 20 + "最后说到工程机械。"
    out = Highlighter(analyzer, terms=["工程机械"]).snippet(doc, max_chars=50)
    assert out.endswith("最后说到**工程机械**。")
    assert out.startswith("…")
    assert len(visible(out)) <= 50


def test_never_cuts_inside_a_match(analyzer):
    doc = "甲" * 100 + "乙" * 30 + "工程机械" + "丙" * 100
    h = Highlighter(analyzer, terms=["工程机械", "甲"])
    for max_chars in range(10, 80):
        out = h.snippet(doc, max_chars=max_chars)
        assert len(visible(out)) <= max_chars
        assert "工程机械" not in visible(out) or "**工程机械**" in out
        assert "**工程机" not in out.replace("**工程机械**", "")


def test_whitespace_is_collapsed(analyzer):
    out = Highlighter(analyzer, terms=["car"]).snippet("a  red\n\ncar\t here ")
    assert out == "a red **car** here"


def test_explicit_spans(analyzer):
    h = Highlighter(analyzer, terms=["工程"])
    assert h.snippet("长沙工程机械", spans=[(4, 6)]) == "长沙工程**机械**"
    assert h.snippet("长沙工程机械", spans=[(4, 6), (0, 2), (5, 99)]) == "**长沙**工程**机械**"


def test_max_chars_validation_and_tiny_limits(analyzer):
    h = Highlighter(analyzer, terms=["工程"])
    with pytest.raises(ValueError):
        h.snippet("工程", max_chars=0)
    assert visible(h.snippet("长沙工程机械" * 3, max_chars=3)) == "长沙工"


def test_select_fragments_pieces():
    text = "ab cd ef"
    assert select_fragments(text, [Match(3, 5, 1, 1)]) == [("ab ", False), ("cd", True), (" ef", False)]
    assert select_fragments("", []) == []


def test_a_huge_text_is_matched_in_its_beginning_only(analyzer, monkeypatch):
    """Matching keeps offset maps worth many times the text, so a snippet of a huge document is
    chosen from its first SNIPPET_SCAN_CHARS characters: a match there is marked, one beyond is
    not looked for (the snippet is the start, as for a text without matches)."""
    import searchlib.highlight.highlighter as hl

    monkeypatch.setattr(hl, "SNIPPET_SCAN_CHARS", 600)
    h = Highlighter(analyzer, terms=["工程机械"])
    early = FILLER * 10 + "长沙工程机械。" + FILLER * 200
    assert "**工程机械**" in h.snippet(early, max_chars=60)
    late = FILLER * 100 + "长沙工程机械。"
    out = h.snippet(late, max_chars=45)
    assert "**" not in out and out.startswith(FILLER)
    assert h.snippet(late, max_chars=45, spans=[(1502, 1506)]) == out  # a span past the scan is dropped too
