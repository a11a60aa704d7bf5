"""The first-character lookahead of the cue patterns (boilerplate/fastre.py) changes no match."""
from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

# (the cue modules accelerate their patterns on import)
from searchlib.analysis.boilerplate import cues, dates, metadata, rules
from searchlib.analysis.boilerplate.fastre import (
    ACCELERATED,
    ascii_screen,
    first_chars,
    literals,
    prefiltered,
    screened,
)

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def _lines() -> list[str]:
    raw: list[str] = []
    for path in sorted(CORPUS.glob("*/*.txt"))[::4]:  # every fourth page of every text set
        raw.extend(line for line in path.read_text(encoding="utf-8", errors="replace").split("\n") if line.strip())
    return raw + cues.fold_heads(raw)


LINES = _lines()


def _answers(p: re.Pattern[str], text: str) -> tuple:  # type: ignore[type-arg]
    m = p.search(text)
    return (m and (m.span(), m.groups()), bool(p.match(text)), p.findall(text), p.sub("\x00", text), p.split(text))


def test_the_cue_modules_are_accelerated() -> None:
    names = {name for name, _, _ in ACCELERATED}
    assert {"searchlib.analysis.boilerplate.cues.COMMERCIAL", "searchlib.analysis.boilerplate.cues.MEDIA_WORD",
            "searchlib.analysis.boilerplate.dates._BYLINE_WORDS"} <= names
    assert cues.COMMERCIAL.pattern.startswith("(?=[")


def test_same_answers_on_every_corpus_line() -> None:
    assert len(LINES) > 1000
    for name, original, fast in ACCELERATED:
        for text in LINES:
            assert _answers(original, text) == _answers(fast, text), (name, text)


# random text over the characters the patterns start with, and the characters around them
_ALPHABET = sorted({ch for _, p, _ in ACCELERATED for ch in (first_chars(p) or ())}
                   | set("abcdeinorst ABCPRS0123456789.,:;-/()（）：，。 \u3000年月日的了网报"))


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=60))
def test_same_answers_on_random_text(text: str) -> None:
    for name, original, fast in ACCELERATED:
        assert _answers(original, text) == _answers(fast, text), (name, text)


def test_first_characters_and_patterns_left_alone() -> None:
    assert first_chars(re.compile(r"(?:a|)b")) == {"a", "b"}  # an optional part: its characters and the next
    assert first_chars(re.compile(r"(?:a|)")) is None  # may match nothing: any position
    assert first_chars(re.compile(r"(?i)\bpromo\b")) == {"p"}
    assert first_chars(re.compile(r"^(?:x )?\s*y")) is not None and " " in first_chars(re.compile(r"^(?:x )?\s*y"))
    assert first_chars(re.compile(r"\d+|a")) is None and first_chars(re.compile(r".a")) is None
    for source in (r"^abc", r"abc", r"[ab]c", r"(?:ab|cd)e"):  # the engine skips ahead by itself
        assert prefiltered(re.compile(source)) is re.compile(source)
    for source in (r"\bfoo|\bbar|baz?", r"(?:a|)b", r"(?:please )?\s*log ?in"):
        p = re.compile(source)
        q = prefiltered(p)
        assert q is not p
        for text in ("foo", "xbar", "ba", "a foo bar", "bazaar", "", "ab b", "please login", "  log in", "blog in"):
            assert _answers(p, text) == _answers(q, text), (source, text)


def _screened_patterns() -> list[tuple[str, re.Pattern[str]]]:
    out = [(name, fast) for name, _, fast in ACCELERATED]
    for module in (cues, dates, metadata, rules):
        for name, value in vars(module).items():
            for p in value if isinstance(value, tuple) else (value,):
                if isinstance(p, re.Pattern):
                    out.append((f"{module.__name__}.{name}", p))
    return out


def test_the_ascii_screen_never_turns_a_match_away() -> None:
    screens = [(name, p, test) for name, p in _screened_patterns() if (test := ascii_screen(p)) is not None]
    assert sum(1 for _, p, _ in screens if p.flags & re.IGNORECASE) >= 5  # the byline patterns, say
    texts = LINES + [line.upper() for line in LINES if line.isascii()] + [line.title() for line in LINES[::3]]
    for name, p, test in screens:
        for text in texts:
            assert test(text) or not p.search(text), (name, text)


def test_screened_search_gives_the_same_answers() -> None:
    screened_some = 0
    for name, p in _screened_patterns():
        search = screened(p)
        screened_some += search is not p.search
        for text in LINES:
            m, n = p.search(text), search(text)
            assert (m and (m.span(), m.groups())) == (n and (n.span(), n.groups())), (name, text)
    assert screened_some >= 20


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=sorted(set(_ALPHABET) | set("cookiepltghwyu©")), max_size=60))
def test_screened_search_on_random_text(text: str) -> None:
    for name, p in _screened_patterns():
        m, n = p.search(text), screened(p)(text)
        assert (m and m.span()) == (n and n.span()), (name, text)
        for variant in (text.upper(), text.swapcase()):
            m, n = p.search(variant), screened(p)(variant)
            assert (m and m.span()) == (n and n.span()), (name, variant)


def test_literals() -> None:
    assert literals(re.compile(r"ab|c(d)e")) == ("c", "ab")   # the longest run of each branch
    assert literals(re.compile(r"a+b|xyz|wxyz")) == ("a", "xyz")  # "wxyz" holds "xyz"
    assert literals(re.compile(r"x(?:abc|de)y|q?(?:fgh)+")) == ("de", "abc", "fgh")  # a group's branches
    assert literals(re.compile(r"(?:a|\d)b")) == ("b",) and literals(re.compile(r"(?i:ab)c|d")) == ("c", "d")
    assert literals(re.compile(r"(?i)ab")) is None and literals(re.compile(r"ab|\d")) is None
    assert literals(prefiltered(re.compile(r"\bfoo|\bbar"))) == ("bar", "foo")
    assert "copyright" in literals(cues.DISCLAIMER_STRONG)
    assert ascii_screen(re.compile(r"(?i)foto|图")) is not None and ascii_screen(re.compile(r"(?i)ſx")) is None
    assert ascii_screen(re.compile(r"(?i)foto|图"))("A FOTO") and not ascii_screen(re.compile(r"(?i)foto|图"))("A photo")
