"""Headlines of text pages: the headline, not its deck, a caption or a by-line; site suffixes off;
a page with a headline is never untitled. And the chrome issue 17 found leaking."""
from __future__ import annotations

import pytest

from benchmarks.bench_boilerplate import SETS, title_scores
from corpus.pages import iter_pages
from searchlib.analysis.boilerplate import BoilerplateModel, clean

BODY = ("Pemerintah kota membuka layanan pengaduan banjir lewat WhatsApp mulai pekan ini, kata kepala dinas "
        "kepada wartawan di Balai Kota pada Senin.\n"
        "Warga dapat mengirim foto dan lokasi genangan, lalu petugas akan menindaklanjuti laporan dalam 24 jam.\n")


def title(text: str) -> str | None:
    return clean(text).metadata.get("title")


def test_headline_and_deck_the_headline_wins() -> None:
    page = ("Home | Nasional | Daerah\nHome › Padang\n"
            "Jembatan Ampera Ditutup Sementara Malam Ini\nWarga Diminta Gunakan Jalur Alternatif\n"
            "Selasa, 14 Mei 2024 | 10:15 WIB\n" + BODY)
    c = clean(page)
    assert c.metadata["title"] == "Jembatan Ampera Ditutup Sementara Malam Ini"
    assert [ln.reason for ln in c.lines[2:4]] == ["title", "title"]  # the deck goes too


def test_headline_wrapped_over_two_lines_is_joined() -> None:
    page = ("Home | News | Local\nCane growers in Ba and Lautoka seek higher\nadvance payment as harvest costs climb\n"
            "By Mere Naivalu | 3 March 2024\n" + BODY)
    assert title(page) == "Cane growers in Ba and Lautoka seek higher advance payment as harvest costs climb"


def test_a_name_above_the_date_line_is_the_author_not_the_headline() -> None:
    page = ("THE PANAY LIGHTHOUSE\nHOME | NEWS | PROVINCES | BUSINESS\nDengue cases in Capiz up 64%\n"
            "Joanna Marie Delos Reyes\nPublished: October 22, 2025, 6:05 PM\n" + BODY)
    c = clean(page)
    assert c.metadata["title"] == "Dengue cases in Capiz up 64%"
    assert c.metadata["date"] == "2025-10-22"


@pytest.mark.parametrize("headline", [
    "Pemko Padang Buka Layanan Pengaduan Banjir Lewat WhatsApp",
    "“刷单返利”又出新花样 县公安局提醒：这5类电话请直接挂断",
])
def test_a_headline_a_contact_cue_matches_is_still_the_headline(headline: str) -> None:
    page = f"Beranda | Berita | Daerah\n当前位置: 首页 >> 民生 >> 正文\n{headline}\n发布时间：2025年10月09日 16:05　来源：县公安局\n" + BODY
    assert title(page) == headline


def test_site_suffixes_are_taken_off() -> None:
    for line, expected in [("洛阳至郑州通勤时间缩短一半_新闻中心_河洛网", "洛阳至郑州通勤时间缩短一半"),
                           ("奎屯市召开乡村振兴推进会 - 奎屯新闻网", "奎屯市召开乡村振兴推进会"),
                           ("Harga beras medium naik di lima pasar | Kompas.com", "Harga beras medium naik di lima pasar")]:
        assert title(f"首页 | 新闻 | 本地\n{line}\n发布时间：2024-05-06 来源：本网\n" + BODY) == expected
    assert title("首页 | 新闻\n藏在巷弄裡的六十年碗粿老店｜阿桂碗粿\n2022-01-09 作者：小米\n" + BODY) == \
        "藏在巷弄裡的六十年碗粿老店｜阿桂碗粿"  # a headline's own "｜" part is not a site


def test_a_page_without_chrome_is_not_untitled() -> None:
    c = clean("Layanan pengaduan banjir dibuka\n" + BODY)
    assert c.metadata["title"] == "Layanan pengaduan banjir dibuka"
    assert c.lines[0].kept  # named by its headline, but nothing is removed from a page without chrome
    assert "title" not in clean(BODY).metadata  # a paragraph is not a headline


def test_chrome_issue_17_found_leaking() -> None:
    page = ("首页 | 新闻 | 科技\n企业云端服务再升级 本地数据中心扩容完成\n"
            "发布时间：2024-05-06 10:00 来源：科技日报 作者：王明 点击：\n"
            "【限時優惠】企業雲端主機首年五折，立即洽詢專人\n"
            "本地最大数据中心扩容工程近日完成，新增机柜3000个，可满足全市企业上云需求。\n"
            "负责人表示，扩容后数据中心的能效比进一步提升，年节电约1200万千瓦时。\n"
            'var _hmt = _hmt || []; (function() { var hm = document.createElement("script"); })();\n'
            "如需转载请联系本网，电话：0371-12345678\n")
    c = clean(page)
    assert c.text.split("\n") == ["本地最大数据中心扩容工程近日完成，新增机柜3000个，可满足全市企业上云需求。",
                                  "负责人表示，扩容后数据中心的能效比进一步提升，年节电约1200万千瓦时。"]
    assert [ln.reason for ln in c.lines[2:4]] == ["byline", "advertisement"]
    assert c.metadata == {"title": "企业云端服务再升级 本地数据中心扩容完成", "date": "2024-05-06", "source": "科技日报",
                          "author": "王明", "lang": "zh"}


def test_prose_about_code_is_kept() -> None:
    line = "Window.open dan document.write adalah contoh fungsi lama, kata dosen itu kepada mahasiswa."
    assert line in clean("Home | Berita\nKuliah pemrograman\n" + line + "\n" + BODY).text


@pytest.mark.parametrize("name", ["pages", "unseen", "unseen2", "unseen3", "unseen4", "unseen5"])
def test_headlines_of_the_training_sets(name: str) -> None:
    pages = list(iter_pages(SETS[name][0]))
    scores = title_scores(pages, BoilerplateModel.fit(p.text for p in pages))
    assert scores["exact"] >= 0.95, scores["misses"]
