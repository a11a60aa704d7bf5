"""The shipped Traditional → Simplified table is the one OpenCC's mappings give."""
from __future__ import annotations

from searchlib.analysis.normalize import build_fold_char_table, fold, fold_char_table


def test_shipped_table_equals_the_table_built_from_opencc() -> None:
    # If this fails after an OpenCC upgrade: run write_fold_char_table() and bump Analyzer.version,
    # since indexes built with the old table fold some characters differently.
    assert fold_char_table() == build_fold_char_table()


def test_table_maps_variants_to_one_simplified_character() -> None:
    table = fold_char_table()
    assert len(table) > 4000
    assert all(len(v) == 1 and ord(v) not in table for v in table.values())
    assert fold("發髮发").text == "发发发"
