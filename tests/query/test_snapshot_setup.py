"""What a search derives from the snapshot alone (text fields, field kinds, the index's assistance
settings) is computed once per reader, and a new commit's reader sees the new values."""
from __future__ import annotations

from pathlib import Path

import pytest

import searchlib
from searchlib.errors import QueryError


def test_a_field_added_after_a_search_is_searchable_at_the_next_commit(tmp_path: Path) -> None:
    ix = searchlib.Index.create(tmp_path / "ix", fields={"title": "text", "body": "text"})
    with ix.writer(workers=1) as w:
        w.add({"id": "a", "body": "长沙的港口今天很忙。"})
    assert ix.search("港口").total == 1
    with pytest.raises(QueryError, match="region"):
        ix.search("region:湖南")
    ix.add_fields({"region": "keyword"})
    with ix.writer(workers=1) as w:
        w.add({"id": "b", "body": "长沙今天下雨。", "region": "湖南"})
    assert [h.id for h in ix.search("region:湖南")] == ["b"]
    ix.close()


def test_assistance_settings_follow_the_commit(tmp_path: Path) -> None:
    ix = searchlib.Index.create(tmp_path / "ix")
    with ix.writer(workers=1) as w:
        w.add({"id": "a", "body": "长沙的港口今天很忙。"})
    assert ix.search("changsha").total == 1  # pinyin on by default
    ix.set_assist({"pinyin": False})
    assert ix.search("changsha").total == 0
    ix.close()
