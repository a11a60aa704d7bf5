"""Snippets and titles are shown without inline pinyin; highlight offsets stay in the stored text."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from searchlib.highlight import Display, Highlighter, display_text
from searchlib.highlight.format import ANSI_END, ANSI_MATCH

TEXT = "胡衡華強(qiáng)調(diào),要抓住關(guān)鍵環(huán)節(jié)。"


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("調(diào)研", "調研"),
        ("長沙晚報(bào)調(diào)研", "長沙晚報調研"),
        ("發(fā)展（fā）", "發展"),  # full-width parentheses
        ("𠀀(diào)研", "𠀀研"),  # a Han character of a supplementary plane: the same definition as folding
        ("工程机械(2021)", "工程机械(2021)"),  # not pinyin
        ("三市(CZT)", "三市(CZT)"),
        ("说(de)", "说(de)"),  # no tone mark
        ("(diào)研", "(diào)研"),  # no Han character before it
        ("", ""),
    ],
)
def test_display_text(raw: str, shown: str) -> None:
    assert display_text(raw) == shown


def test_display_offsets() -> None:
    d = Display.of("開展調(diào)研工作")
    assert d.text == "開展調研工作"
    assert d.span(2, 9) == (2, 3)  # 調(diào) → 調
    assert d.span(9, 10) == (3, 4)  # 研
    assert d.offset(5) == 3  # inside the annotation: right after 調


def test_snippet_golden_formats(analyzer) -> None:
    terms = [t.text for t in analyzer.analyze("强调 关键", mode="query")]
    h = Highlighter(analyzer, terms=terms)
    assert [TEXT[s:e] for s, e in h.spans(TEXT)] == ["強(qiáng)調(diào)", "關(guān)鍵"]  # offsets into the stored text
    assert h.snippet(TEXT) == "胡衡華**強調**,要抓住**關鍵**環節。"
    assert h.snippet(TEXT, format="html") == "胡衡華<mark>強調</mark>,要抓住<mark>關鍵</mark>環節。"
    assert h.snippet(TEXT, format="ansi", color=True) == (
        f"胡衡華{ANSI_MATCH}強調{ANSI_END},要抓住{ANSI_MATCH}關鍵{ANSI_END}環節。"
    )


def test_snippet_window_counts_shown_characters(analyzer) -> None:
    text = "前言。" + "長沙晚報(bào)調(diào)研" * 20 + "结尾"
    h = Highlighter(analyzer, terms=["结尾"])
    snippet = h.snippet(text, max_chars=20)
    assert "(" not in snippet and snippet.endswith("**结尾**")
    assert len(snippet.replace("**", "")) <= 20


def test_caller_spans_move_with_the_text(analyzer) -> None:
    h = Highlighter(analyzer)
    assert h.snippet("開展調(diào)研工作", spans=[(2, 10)]) == "開展**調研**工作"


def test_hit_highlights_and_snippets_through_the_index(tmp_path) -> None:
    import searchlib

    ix = searchlib.Index.create(tmp_path / "ix")
    with ix.writer() as w:
        w.add({"id": "a", "title": "湖南調(diào)研", "body": TEXT})
    hit = ix.search("强调")[0]
    assert [TEXT[s:e] for s, e in hit.highlights("body")] == ["強(qiáng)調(diào)"]
    assert hit.snippet("body") == "胡衡華**強調**,要抓住關鍵環節。"
    assert hit.snippet("title") == "湖南調研"
    assert display_text(hit.fields["title"]) == "湖南調研"
    assert hit.title == "湖南調研" and hit.to_dict()["title"] == "湖南調研"  # shown as read
    assert hit.fields["title"] == "湖南調(diào)研"  # stored as given
    from click.testing import CliRunner

    from searchlib.cli import cli

    out = CliRunner().invoke(cli, ["query", "强调", "--index", str(tmp_path / "ix")])
    assert out.exit_code == 0 and "湖南調研" in out.output and "(diào)" not in out.output


PIECES = st.sampled_from(["長", "沙", "調(diào)", "發(fā)", "研", "展", "强调", "強(qiáng)", "，", "(2021)", "CZT", "工程", "(de)"])


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=30).map("".join))
def test_snippet_is_the_display_text_with_the_spans_marked(text: str) -> None:
    from searchlib.analysis.analyzer import default_analyzer

    a = default_analyzer()
    h = Highlighter(a, terms=["调", "强调", "工程", "czt"])
    snippet = h.snippet(text, max_chars=10_000)
    assert snippet.replace("**", "") == display_text(text)
    shown = Display.of(text)
    expected = [shown.text[slice(*shown.span(s, e))] for s, e in h.spans(text)]
    assert re.findall(r"\*\*(.+?)\*\*", snippet) == [x for x in expected if x]
