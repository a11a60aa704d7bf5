"""An index built with an older analyzer config opens and analyzes exactly as it was built."""
from __future__ import annotations

import json

import pytest

import searchlib
from searchlib.analysis.analyzer import Analyzer
from searchlib.errors import AnalyzerMismatchError

V1 = {"name": "searchlib-cjk", "version": 1, "t2s": True, "strip_pinyin": True, "hmm": True, "stemmer": None,
      "user_words": []}
DOCS = [
    {"id": "trad", "title": "", "body": "他瞭解情況，The minibuses run."},
    {"id": "simp", "title": "", "body": "他了解情况，a minibus ran."},
]


def _build(path, analyzer):  # noqa: ANN001, ANN202
    ix = searchlib.Index.create(path, analyzer=analyzer)
    with ix.writer() as w:
        for d in DOCS:
            w.add(d)
    return ix


def test_version_one_index_keeps_its_behaviour(tmp_path) -> None:
    _build(tmp_path / "old", Analyzer.from_config(V1))
    manifest = json.loads((tmp_path / "old" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["analyzer"] == V1  # what a release before version 2 wrote
    ix = searchlib.Index.open(tmp_path / "old")
    assert ix.search("瞭解").ids == ["trad"]  # characters only: 瞭解 and 了解 stay apart
    assert ix.search("minibus").ids == ["simp"]  # no stemming
    ix = searchlib.Index.create(tmp_path / "old", exist_ok=True)  # no analyzer given: the index's own
    assert ix.search("minibuses").ids == ["trad"]
    with pytest.raises(AnalyzerMismatchError, match="rebuild"):
        searchlib.Index.open(tmp_path / "old", analyzer=Analyzer())


def test_current_defaults(tmp_path) -> None:
    ix = _build(tmp_path / "new", Analyzer())
    assert sorted(ix.search("瞭解").ids) == ["simp", "trad"]
    assert sorted(ix.search("minibus").ids) == ["simp", "trad"]
    assert json.loads((tmp_path / "new" / "manifest.json").read_text(encoding="utf-8"))["analyzer"]["version"] == 2


def test_a_newer_config_is_refused_with_a_clear_error(tmp_path) -> None:
    from searchlib.index.manifest import read_manifest, write_manifest

    _build(tmp_path / "ix", Analyzer())
    manifest = read_manifest(str(tmp_path / "ix"))
    manifest["analyzer"]["version"] = 3  # as a later searchlib might write it
    write_manifest(str(tmp_path / "ix"), manifest)
    with pytest.raises(AnalyzerMismatchError, match="upgrade searchlib or rebuild"):
        searchlib.Index.open(tmp_path / "ix")
