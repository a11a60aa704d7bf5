"""One definition of the character classes (searchlib/analysis/chars.py), used everywhere."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from searchlib.analysis import chars
from searchlib.analysis.terms import number_strings

ROOT = Path(__file__).resolve().parents[2] / "searchlib"
# A Han range written out in a regex ("\u3400-\u9fff" and the like) instead of importing chars.
_LITERAL_RANGE = re.compile(r"\\u(?:3400|4e00|4E00|f900|F900)-\\u|\\U00020000-")
# Modules allowed to spell out a range of their own (none: every module imports analysis.chars).
NOT_YET: set[str] = set()


def test_no_module_spells_out_han_ranges() -> None:
    offenders = []
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if rel == "analysis/chars.py" or rel in NOT_YET:
            continue
        if _LITERAL_RANGE.search(path.read_text(encoding="utf-8")):
            offenders.append(rel)
    assert offenders == []


def test_every_component_uses_the_shared_objects() -> None:
    from searchlib.analysis import normalize, tokenize
    from searchlib.analysis.boilerplate import cues
    from searchlib.highlight import highlighter, snippets
    from searchlib.query import parser

    assert tokenize.HAN_CHARS is chars.HAN_CHARS and parser.HAN_CHARS is chars.HAN_CHARS
    assert normalize._PINYIN_RE is chars.PINYIN_ANNOTATION_RE
    assert cues._PINYIN is chars.PINYIN_ANNOTATION_RE and cues._CJK is chars.HAN_RE
    assert highlighter._NO_BREAK is chars.NO_BREAK and highlighter._JOINERS is chars.JOINERS
    assert highlighter._WORD_CHAR_RE is chars.WORD_CHAR_RE and snippets._WORD_CHAR_RE is chars.WORD_CHAR_RE


def test_supplementary_han_keeps_no_pinyin_either() -> None:
    """The pinyin pattern used to know only the BMP: 𠀀(diào)研 kept its annotation."""
    from searchlib.analysis.boilerplate.cues import strip_pinyin
    from searchlib.analysis.normalize import fold

    for text, plain in [("調(diào)研", "调研"), ("𠀀(diào)研", "𠀀研"), ("㐀(diào)研", "㐀研")]:
        assert fold(text).text == plain
        assert strip_pinyin(text) == text.replace("(diào)", "")


def test_pinyin_pattern_bounds() -> None:
    r = chars.PINYIN_ANNOTATION_RE
    assert r.search("調(diào)") and r.search("莊(zhuāng)") and r.search("發（fā）")
    assert not r.search("工程(2021)") and not r.search("说(de)") and not r.search("a(diào)")
    assert not r.search("調(abcdefzhuāng)")  # longer than a syllable


def test_vectorized_classes_agree_with_the_regexes() -> None:
    """The batch path's numpy classes and the tokenizer's regexes come from the same definitions."""
    cps = np.arange(0x10000, dtype=np.int64)
    cps = cps[(cps < 0xD800) | (cps > 0xDFFF)]
    extra = np.array([0x20000, 0x2A6D6, 0x3134F, 0x31350, 0x1F600, 0x1D400, 0x10400], dtype=np.int64)
    cps = np.concatenate([cps, extra])
    classes = chars.char_classes(cps)
    for cp, cls in zip(cps.tolist(), classes.tolist()):
        ch = chr(cp)
        if chars.HAN_RE.match(ch):
            expected = chars.HAN
        elif chars.WORD_CHAR_RE.match(ch):
            expected = chars.WORD
        elif ch in chars.NO_BREAK:
            expected = chars.NO_BREAK_CLASS
        elif ch in chars.JOINERS:
            expected = chars.JOINER
        else:
            expected = chars.BREAK
        assert cls == expected, hex(cp)
    assert chars.is_han("𠀀") and chars.is_han("長") and not chars.is_han("䷀") and not chars.is_han("a")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["长沙", "the", "a", "", "x" * 3, "工程"]), max_size=50), st.integers(0, 1000))
def test_number_strings_against_a_naive_model(strings: list[str], offset: int) -> None:
    vocab, ids = number_strings(strings, offset)
    naive: list[str] = []
    for s in strings:
        if s not in naive:
            naive.append(s)
    assert vocab == naive
    assert ids.tolist() == [naive.index(s) + offset for s in strings]


def test_index_layer_numbers_keyword_values_the_same_way() -> None:
    from searchlib.index.batch import _vocab_ids

    values = ["新华社", "人民网", "新华社", "长沙晚报"]
    vocab, ids = _vocab_ids(values)
    ref_vocab, ref_ids = number_strings(values)
    assert vocab == ref_vocab and ids.tolist() == ref_ids.tolist()
