"""Formatters: text markers, HTML escaping, ANSI colour and its switches, terminal safety."""
from __future__ import annotations

import io

import pytest

from searchlib.highlight import Highlighter, color_enabled
from searchlib.highlight.format import ANSI_END, ANSI_MATCH, format_text, render


def test_html_escapes_the_page(analyzer):
    h = Highlighter(analyzer, terms=["alert", "工程"])
    text = '<script>alert("x")</script> & 工程 <b onclick=\'y\'>'
    out = h.snippet(text, format="html")
    assert out == (
        "&lt;script&gt;<mark>alert</mark>(&quot;x&quot;)&lt;/script&gt; &amp; <mark>工程</mark> "
        "&lt;b onclick=&#x27;y&#x27;&gt;"
    )
    assert "<" not in out.replace("<mark>", "").replace("</mark>", "")


def test_html_escapes_inside_matches(analyzer):
    h = Highlighter(analyzer, terms=["at&t"])
    assert h.snippet("AT&T <x>", format="html") == "<mark>AT&amp;T</mark> &lt;x&gt;"


def test_ansi_colour_on_and_off(analyzer):
    h = Highlighter(analyzer, terms=["工程"])
    assert h.snippet("长沙工程", format="ansi", color=True) == f"长沙{ANSI_MATCH}工程{ANSI_END}"
    assert h.snippet("长沙工程", format="ansi", color=False) == "长沙**工程**"


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_color_detection(monkeypatch, analyzer):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TERM", raising=False)
    assert color_enabled(_Tty()) is True
    assert color_enabled(io.StringIO()) is False  # not a terminal
    monkeypatch.setattr("sys.stdout", _Tty())
    h = Highlighter(analyzer, terms=["工程"])
    assert ANSI_MATCH in h.snippet("长沙工程", format="ansi")
    monkeypatch.setenv("NO_COLOR", "1")
    assert color_enabled(_Tty()) is False
    assert h.snippet("长沙工程", format="ansi") == "长沙**工程**"
    monkeypatch.setenv("NO_COLOR", "")  # empty means unset (no-color.org)
    assert color_enabled(_Tty()) is True
    monkeypatch.setenv("TERM", "dumb")
    assert color_enabled(_Tty()) is False
    monkeypatch.delenv("TERM")
    monkeypatch.setattr("sys.stdout", io.StringIO())
    assert "\x1b" not in h.snippet("长沙工程", format="ansi")


def test_control_characters_cannot_drive_the_terminal(analyzer):
    h = Highlighter(analyzer, terms=["工程"])
    text = "长沙\x1b[2J工程\x07\u202e机械"
    for fmt in ("text", "ansi"):
        out = h.snippet(text, format=fmt, color=True)
        assert "\x07" not in out and "\u202e" not in out and "[2J" in out
        assert out.count("\x1b") == (2 if fmt == "ansi" else 0)


def test_custom_text_markers():
    assert format_text([("a", False), ("b", True)], "[", "]") == "a[b]"
    assert format_text([("\x1bx", False), ("b", True)], "\x1b[1m", "\x1b[0m") == "\ufffdx\x1b[1mb\x1b[0m"


def test_unknown_format():
    with pytest.raises(ValueError, match="choose one of"):
        render([("a", False)], "markdown")
