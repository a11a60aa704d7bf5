"""Folding: NFKC, case, Traditional → Simplified, inline pinyin; offsets back to the original."""
from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from searchlib.analysis.normalize import _candidate_folds, _fold_one, fold, fold_char_table, fold_texts


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("ＣＺＴ　２０２１", "czt 2021"),  # full-width → half-width, ideographic space
        ("Straße", "strasse"),
        ("長沙晚報", "长沙晚报"),
        ("發展髮型", "发展发型"),  # two Traditional characters, one Simplified form
        ("調(diào)研", "调研"),
        ("長沙晚報(bào)", "长沙晚报"),
        ("發(fā)展（fā）", "发展"),  # full-width parentheses too
        ("工程机械(2021)", "工程机械(2021)"),  # a real parenthesis stays
        ("三市(CZT)", "三市(czt)"),
        ("说(de)", "说(de)"),  # no tone mark: not recognised as an annotation, kept
        ("e\u0301cole", "école"),  # combining mark composes with its base
        ("", ""),
    ],
)
def test_fold_golden(text: str, folded: str) -> None:
    assert fold(text).text == folded


def test_offsets_identity_when_nothing_moves() -> None:
    f = fold("長沙工程機械 ABC")
    assert f.segments is None
    assert f.span(0, 2) == (0, 2)


def test_pinyin_removal_maps_back_to_whole_annotated_word() -> None:
    text = "開展調(diào)研工作"
    f = fold(text)
    assert f.text == "开展调研工作"
    start = f.text.index("调研")
    s, e = f.span(start, start + 2)
    assert text[s:e] == "調(diào)研"


def test_expansion_maps_to_whole_original_character() -> None:
    text = "Große Stadt"
    f = fold(text)
    assert f.text == "grosse stadt"
    s, e = f.span(0, 6)
    assert text[s:e] == "Große"


def test_lone_surrogates_become_replacement_characters() -> None:
    f = fold("ab\ud800cd")
    assert f.text == "ab\ufffdcd"
    assert f.span(3, 5) == (3, 5)


@pytest.mark.parametrize("bad", [None, b"bytes", 42, ["list"]])
def test_non_str_is_a_type_error(bad: object) -> None:
    with pytest.raises(TypeError, match="expected str"):
        fold(bad)  # type: ignore[arg-type]


def test_fold_table_maps_to_single_simplified_characters() -> None:
    table = fold_char_table()
    assert table[ord("國")] == "国"
    assert all(len(v) == 1 for v in table.values())
    # Every target is its own fold: folding twice changes nothing.
    assert all(ord(v) not in table for v in table.values())


def test_fold_is_idempotent_on_samples() -> None:
    for text in ["ＡＢＣ長沙(2021)調(diào)研", "Ünïcödé ß ﬁ", "①②③ ㈱"]:
        once = fold(text).text
        assert fold(once).text == once
        assert unicodedata.is_normalized("NFKC", once)


PIECES = st.sampled_from(["調(diào)研", "臺灣", "Ｃａｆé", "Straße", "İ", "e\u0301", "ﬁ", "①", "\ud800", "😀", "\n",
                          "(2021)", "ABC", "长沙", "１９９８年", "ΣΑΣ", "\u3000", "ǅ"])
TEXTS = st.lists(st.one_of(st.text(max_size=20), st.lists(PIECES, max_size=8).map("".join)), max_size=8)


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.booleans(), st.booleans())
def test_fold_texts_is_fold_of_each(texts: list[str], t2s: bool, strip: bool) -> None:
    assert fold_texts(texts, t2s=t2s, strip_pinyin=strip) == [fold(t, t2s=t2s, strip_pinyin=strip).text for t in texts]


def test_candidate_folds_match_one_character_at_a_time() -> None:
    """The block shortcut (256 characters per NFKC call) gives what folding each alone gives."""
    same, other = _candidate_folds()
    for r in same:
        for cp in r:
            assert _fold_one(chr(cp)) == chr(cp) and not unicodedata.combining(chr(cp))
    for cp, folded in list(other.items())[:5000]:
        assert _fold_one(chr(cp)) == folded
