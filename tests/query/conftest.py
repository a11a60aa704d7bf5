from __future__ import annotations

from typing import Any

import pytest

from tests.query.memindex import build_reader

# A small corpus with the cases the query core must get right: the same characters segmented
# differently (工程机械 as one word vs 工程 / 机械 apart), Traditional script, titles, Latin text,
# keyword fields for filters.
DOCS = [
    {"id": "d1", "title": "长沙工程机械", "body": "长沙的工程机械产业集群发展迅速，工程机械出口增长。", "source": "新华社"},
    {"id": "d2", "title": "", "body": "这项工程和机械无关。湖南长沙的道路工程进展顺利。", "source": "人民日报"},
    {"id": "d3", "title": "長沙產業", "body": "長沙工程機械產業很強，产业集群效应明显。", "source": "新华社"},
    {"id": "d4", "title": "New York", "body": "A New York-based e-commerce company expands in Indonesia.", "source": "Reuters"},
    {"id": "d5", "title": "Jakarta", "body": "Indonesian e-commerce grows; the company of New York reports.", "source": "Reuters"},
    {"id": "d6", "title": "机械", "body": "农业机械化水平提高，机械工程学院招生。", "source": "人民日报"},
    {"id": "d7", "title": "", "body": "经济发展，产业升级，工程建设，长沙长沙长沙。", "source": "新华社"},
    {"id": "d8", "title": "天气", "body": "今天天气很好。", "source": "人民日报"},
]


def disk_index(path: Any, batches: list[list[dict[str, str]]], deleted: list[str] = ()) -> Any:  # type: ignore[assignment]
    """A real on-disk index (``searchlib.Index``): one commit per batch (no merging), then the
    deletions in a last commit."""
    from searchlib.api import Index

    ix = Index.create(str(path))
    for batch in batches:
        with ix.writer(workers=1, merge=False) as w:
            for d in batch:
                w.add(d)
    if deleted:
        with ix.writer(workers=1, merge=False) as w:
            for doc_id in deleted:
                w.delete(doc_id)
    return ix


@pytest.fixture(scope="session", params=["mem", "disk"])
def reader(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The corpus as an in-memory reader (the INTERNALS contract, query layer alone) and as a real
    on-disk index read through ``searchlib.index.reader``."""
    if request.param == "mem":
        return build_reader([DOCS])
    ix = disk_index(tmp_path_factory.mktemp("qix"), [DOCS])
    return ix.reader()
