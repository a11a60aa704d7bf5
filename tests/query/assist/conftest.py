from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import searchlib

# Chinese, Traditional, English and Indonesian documents with the words the assistance cases need.
DOCS = [
    {"id": "zh1", "title": "长沙工程机械", "body": "长沙的工程机械产业集群发展迅速。长沙市的出口增长。"},
    {"id": "zh2", "title": "株洲轨道交通", "body": "株洲轨道交通装备产业集群年产值突破千亿元。株洲市政府表示。"},
    {"id": "zh3", "title": "深圳宽带", "body": "深圳的宽带网络覆盖全市，深圳市民受益。"},
    {"id": "zh4", "title": "旅游景点", "body": "西安的旅游景点吸引游客，景点门票降价。"},
    {"id": "zh5", "title": "经典音乐", "body": "经典音乐会在西安举行，经典曲目受欢迎。"},
    {"id": "zh6", "title": "銀行行長", "body": "長沙銀行行長表示，長沙的銀行業穩健。"},
    {"id": "zh7", "title": "长沙晚报", "body": "长沙晚报报道长沙城市建设。"},
    {"id": "en1", "title": "Changsha excavators", "body": "Changsha machinery makers ship excavators; broadband internet in Changsha."},
    {"id": "en2", "title": "Dance night", "body": "Men and women dance by the bank of the river. The dance school grows."},
    {"id": "en3", "title": "Tram line", "body": "The new tram line opens; the line connects the river bank and the station tram depot."},
    {"id": "en4", "title": "Broadband", "body": "Broadband prices fall as broadband providers compete for internet users."},
    {"id": "id1", "title": "Ekspor alat berat", "body": "Produsen alat berat di Kota Changsha mencatat lonjakan ekspor ke Asia Tenggara."},
    {"id": "id2", "title": "Makan siang", "body": "Mereka makan siang bersama dan menari dance tradisional di tepi sungai."},
]


def build(path: Path, docs: list[dict[str, str]] = DOCS, **create: Any) -> searchlib.Index:
    ix = searchlib.Index.create(path, **create)
    with ix.writer(workers=1) as w:
        for d in docs:
            w.add(d)
    return ix


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> searchlib.Index:
    return build(tmp_path_factory.mktemp("assist") / "ix")
