"""The assistance rules are skipped from the query text alone when it holds no character that
could fold to a Latin letter and no ``~``: that shortcut must never skip a query whose parsed
tree the full walk would give rules."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import searchlib.query.assist as assist
from searchlib.analysis.analyzer import Analyzer
from searchlib.errors import QueryError
from searchlib.query.assist import DEFAULT, AssistSession
from searchlib.query.parser import parse

_ANALYZER = Analyzer()
# Han, ASCII, fullwidth and compatibility forms that fold to Latin letters, CJK punctuation, syntax
_CHARS = list("北京大学調研中文 ") + list("abcXYZ019 .,:;-\"'()") + list("ＡａＢ㎏ℌ①ⓐﬁ𝐀Ⅻ（）。、～~")


def _has_rules(text: str) -> bool:
    node = parse(text, _ANALYZER)
    return bool(AssistSession(DEFAULT, text, _ANALYZER, None).rules(node))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(_CHARS), max_size=10))
def test_the_text_precheck_agrees_with_the_tree_walk(text: str) -> None:
    try:
        with_precheck = _has_rules(text)
    except QueryError:
        return
    saved = assist._NO_LATIN
    assist._NO_LATIN = re.compile(r"(?!)")  # never matches: always walk the tree
    try:
        walked = _has_rules(text)
    finally:
        assist._NO_LATIN = saved
    assert with_precheck == walked


@pytest.mark.parametrize("text", ["Ｂeijing", "北京㎏", "ｌｉｎｇ"])
def test_folded_latin_still_gets_rules(text: str) -> None:
    assert _has_rules(text)
