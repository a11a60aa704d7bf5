"""Pages that are not UTF-8: GBK / GB2312 / Big5 portals, a wrong or missing declaration, BOMs,
binary data. Every path (``clean_html``, ``clean_page``, ``add_page``, ``search index``) reads
the same text the page shows in a browser."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import searchlib
from searchlib.analysis.html import as_text, clean_html, clean_page
from searchlib.analysis.html.charset import decode_page
from searchlib.cli import cli
from searchlib.errors import DocumentError
from searchlib.ingest import SourceError, decode_html

HANS_TITLE = "江城新增八条社区微循环公交线路"
HANS = ["江城市交通运输局昨日发布消息，八条社区微循环公交线路将于下月一日起开通，串起三十余个老旧小区与地铁站点。",
        "新线路全部采用小型纯电动公交车，早晚高峰每十分钟一班，其余时段每二十分钟一班，沿途设置站点六十余个。",
        "市民王女士说，以前去地铁站要走二十分钟，现在家门口就能坐上车，出行方便了很多。"]
HANT_TITLE = "港灣新設三條社區小巴路線"
HANT = ["運輸署昨日公布，三條新社區小巴路線將於下月起投入服務，連接屋邨與港鐵站，方便長者及學生出行。",
        "新路線全數採用低地台車輛，繁忙時間每八分鐘一班，非繁忙時間每十五分鐘一班，車費維持不變。",
        "區議員表示，居民爭取多年的路線終於落實，希望日後可以延長服務時間至深夜。"]


def page(title: str, paras: list[str], meta: str = "") -> str:
    hant = title == HANT_TITLE  # the chrome in the page's own script (Big5 has no Simplified characters)
    section, home, news, rights = (("新聞中心", "首頁", "新聞", "版權所有 港灣新聞網") if hant
                                   else ("新闻中心", "首页", "新闻", "版权所有 江城新闻网"))
    body = "".join(f"<p>{p}</p>" for p in paras)
    return (f"<!doctype html><html><head>{meta}<title>{title}_{section}</title></head><body>"
            f"<nav><a href='/'>{home}</a> <a href='/news'>{news}</a></nav><article><h1>{title}</h1>{body}</article>"
            f"<footer>{rights}</footer></body></html>")


CASES = [
    ("gbk declared", page(HANS_TITLE, HANS, '<meta charset="gbk">'), "gbk", HANS_TITLE, HANS),
    ("gb2312 http-equiv", page(HANS_TITLE, HANS, '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'),
     "gb2312", HANS_TITLE, HANS),
    ("big5 declared", page(HANT_TITLE, HANT, '<meta charset="big5">'), "big5hkscs", HANT_TITLE, HANT),
    ("gbk undeclared", page(HANS_TITLE, HANS), "gbk", HANS_TITLE, HANS),
    ("gbk declared as utf-8", page(HANS_TITLE, HANS, '<meta charset="utf-8">'), "gbk", HANS_TITLE, HANS),
    ("utf-8 declared as gbk", page(HANS_TITLE, HANS, '<meta charset="gbk">'), "utf-8", HANS_TITLE, HANS),
    ("utf-8 with a BOM", page(HANS_TITLE, HANS), "utf-8-sig", HANS_TITLE, HANS),
    ("utf-16 with a BOM", page(HANT_TITLE, HANT), "utf-16", HANT_TITLE, HANT),
]


@pytest.mark.parametrize("name, markup, encoding, title, paras", CASES, ids=[c[0] for c in CASES])
def test_pages_in_other_charsets_read_as_the_browser_shows_them(name: str, markup: str, encoding: str, title: str,
                                                                paras: list[str]) -> None:
    raw = markup.encode(encoding)
    assert decode_page(raw).lstrip("\ufeff") == markup
    for cleaned in (clean_html(raw), clean_page(raw)):
        assert cleaned.metadata["title"] == title
        assert cleaned.text.split("\n") == paras


def test_a_few_stray_bytes_in_a_declared_charset_are_replaced_not_fatal() -> None:
    raw = page(HANS_TITLE, HANS * 4, '<meta charset="gbk">').encode("gbk")
    raw = raw[:400] + b"\xff" + raw[400:]
    assert clean_html(raw).metadata["title"] == HANS_TITLE


@pytest.mark.parametrize("raw", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", bytes(range(256)) * 4])
def test_binary_data_is_a_document_error(raw: bytes) -> None:
    with pytest.raises(DocumentError, match="binary data|no text encoding"):
        clean_html(raw)
    with pytest.raises(SourceError):
        decode_html(raw, "x.html")


def test_add_page_and_folder_ingest_take_gbk_pages(tmp_path: Path) -> None:
    raw = page(HANS_TITLE, HANS, '<meta charset="gbk">').encode("gbk")
    ix = searchlib.Index.create(tmp_path / "ix")
    with ix.writer(workers=1) as w:
        w.add_page(raw, id="gbk-page")
    assert ix.search("微循环公交").ids == ["gbk-page"]
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "big5.html").write_bytes(page(HANT_TITLE, HANT).encode("big5hkscs"))  # undeclared Big5 (HKSCS: 屋邨)
    r = CliRunner().invoke(cli, ["index", str(folder), "--index", str(tmp_path / "ix")])
    assert r.exit_code == 0, r.output
    hit = searchlib.Index.open(tmp_path / "ix").search('"社区小巴"')  # a Simplified phrase, the Big5 page
    assert [h.title for h in hit] == [HANT_TITLE]


def test_text_and_types() -> None:
    assert as_text("already text") == "already text"
    with pytest.raises(DocumentError):
        as_text(5)  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=3000))
def test_any_bytes_are_text_or_a_value_error(raw: bytes) -> None:
    try:
        out = decode_page(raw)
    except ValueError:
        return
    assert isinstance(out, str)
