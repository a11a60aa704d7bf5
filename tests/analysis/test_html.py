"""HTML extraction: structure decides chrome, the line filter decides the rest, metadata is typed."""
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from searchlib.analysis.html import clean_html, clean_page, extract, html_text, looks_like_html

PARAS = [
    "The council approved a new bus route linking the harbour to the university on Tuesday, officials said.",
    "Buses will run every 15 minutes during the morning and evening peaks, and every half hour at other times.",
    "Residents had asked for the service for years, according to a petition signed by more than 2,000 people.",
]


def page(body: str, head: str = "", lang: str = "en") -> str:
    return (f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'>{head}</head><body>"
            "<header class='site-header'><a class='logo' href='/'>Harbour Times</a>"
            "<nav><a href='/'>Home</a><a href='/news'>News</a><a href='/sport'>Sport</a></nav></header>"
            f"{body}"
            "<footer><p>Copyright 2024 Harbour Times. All rights reserved.</p>"
            "<p><a href='/about'>About</a> | <a href='/contact'>Contact</a></p></footer></body></html>")


ARTICLE = page(
    "<div class='main'><article><h1>New bus route links harbour and university</h1>"
    "<div class='byline'>By Jane Doe | 12 March 2024</div>"
    "<div class='share-bar'><a href='#'>Facebook</a> <a href='#'>X</a> <a href='#'>WhatsApp</a></div>"
    f"<div class='article-body'><p>{PARAS[0]}</p><p>{PARAS[1]}</p>"
    "<p style='display:none'>hidden keyword stuffing text that nobody sees on the page</p>"
    "<figure><img src='a.jpg'><figcaption>A bus at the harbour stop. (Photo: John Roe)</figcaption></figure>"
    f"<p>{PARAS[2]}</p><p>Editing by Sam Lee</p></div>"
    "<div class='related-posts'><h3>Related</h3><ul><li><a href='/a'>Ferry fares rise</a></li>"
    "<li><a href='/b'>New cycle lane opens</a></li></ul></div>"
    "<div class='comments'><h3>Comments</h3><p>Great news for students, finally a bus that goes there!</p></div>"
    "</article></div>"
    "<aside class='sidebar'><h3>Most read</h3><ol><li><a href='/c'>Storm closes beach</a></li></ol></aside>",
    head="<title>New bus route links harbour and university | Harbour Times</title>"
         "<meta property='og:site_name' content='Harbour Times'>"
         "<link rel='canonical' href='https://harbourtimes.example/news/2024/03/12/bus-route'>",
)


def test_article_body_title_and_metadata() -> None:
    c = clean_html(ARTICLE)
    assert c.text.split("\n") == PARAS
    assert c.metadata == {
        "title": "New bus route links harbour and university", "date": "2024-03-12", "author": "Jane Doe",
        "editor": "Sam Lee", "source": "Harbour Times", "site": "Harbour Times",
        "url": "https://harbourtimes.example/news/2024/03/12/bus-route", "lang": "en",
    }
    reasons = {line.text: line.reason for line in c.lines}
    assert reasons["New bus route links harbour and university"] == "title"
    assert reasons["A bus at the harbour stop. (Photo: John Roe)"] == "caption"
    assert all(not line.kept for line in c.lines if "Ferry" in line.text or "Most read" in line.text)
    assert "hidden keyword" not in " ".join(line.text for line in c.lines)  # never even a line


def test_lines_are_blocks_with_offsets_into_the_page_text() -> None:
    c = clean_html(ARTICLE)
    text = "\n".join(line.text for line in c.lines)
    assert all(text[line.start:line.end] == line.text for line in c.lines)


def test_chinese_portal_byline_editor_and_site_suffix() -> None:
    html = (
        "<html><head><title>江城新增8条公交线路_新闻中心_江城在线</title></head><body>"
        "<div class='nav'><a>首页</a><a>新闻中心</a><a>本地</a></div>"
        "<div class='position'>您当前的位置：<a>首页</a> &gt; <a>新闻中心</a> &gt; 正文</div>"
        "<div class='left'><h1>江城新增8条公交线路</h1>"
        "<div class='info'>2023-09-12 10:30:12　来源：<a>江城日报</a>　作者：周晓帆 陈立</div>"
        "<div class='content' id='zoom'><p>　　本报记者 周晓帆 通讯员 陈立</p>"
        "<p>　　9月11日起，江城公交集团在三区新开通8条社区微循环公交线路，串联起沿线30余个老旧小区。</p>"
        "<p>　　市交通运输局相关负责人表示，下一步将根据客流数据动态调整线路和班次，年内计划再开通20条线路。</p>"
        "</div><div class='editor'>【责任编辑：王婧】</div>"
        "<div class='relnews'><h3>相关新闻</h3><ul><li><a>江城公交开通定制专线</a></li></ul></div></div>"
        "<div class='footer'><p>江城在线 版权所有 Copyright © 2008-2025</p></div></body></html>"
    )
    c = clean_html(html)
    assert c.text.startswith("9月11日起") and c.text.endswith("再开通20条线路。") and c.text.count("\n") == 1
    m = c.metadata
    assert (m["title"], m["date"], m["author"], m["editor"], m["source"], m["lang"]) == (
        "江城新增8条公交线路", "2023-09-12", "周晓帆, 陈立", "王婧", "江城日报", "zh")


def test_dates_without_year_and_roc_dates() -> None:
    body = "<h1>{t}</h1><div class='meta'>{d}</div><div class='article-body'>" + "".join(f"<p>{p}</p>" for p in PARAS) + "</div>"
    no_year = clean_html(page(body.format(t="Bus route", d="Published 03-20 18:32")))
    assert "date" not in no_year.metadata  # the year cannot be known: never "--03-20"
    from_meta = clean_html(page(body.format(t="Bus route", d="Published 03-20 18:32"),
                                head="<meta property='article:published_time' content='2025-03-20T18:32:00+08:00'>"))
    assert from_meta.metadata["date"] == "2025-03-20"
    roc = clean_html(page(body.format(t="公車路線", d="發布日期：113-05-06　更新日期：113-05-08"), lang="zh-Hant"))
    assert roc.metadata["date"] == "2024-05-06"
    updated_first = clean_html(page(body.format(t="Bus", d="Updated: 21 March 2025 · Published: 20 March 2025")))
    assert updated_first.metadata["date"] == "2025-03-20"


def test_json_ld_and_open_graph() -> None:
    head = ("<script type='application/ld+json'>{\"@context\": \"https://schema.org\", \"@type\": \"NewsArticle\","
            " \"headline\": \"Harbour bus route approved\", \"datePublished\": \"2024-06-19T10:30:00+08:00\","
            " \"author\": [{\"@type\": \"Person\", \"name\": \"Lin Yu\"}, {\"@type\": \"Person\", \"name\": \"Wu Pei\"}],"
            " \"publisher\": {\"@type\": \"Organization\", \"name\": \"Harbour Times\"}}</script>"
            "<meta property='og:title' content='Harbour bus route approved'>")
    body = "<h2>Harbour bus route approved</h2><div class='article-body'>" + "".join(f"<p>{p}</p>" for p in PARAS) + "</div>"
    m = clean_html(page(body, head=head)).metadata
    assert (m["title"], m["date"], m["author"], m["source"]) == (
        "Harbour bus route approved", "2024-06-19", "Lin Yu, Wu Pei", "Harbour Times")


def test_a_wrapper_with_a_chrome_class_holding_the_article_is_not_chrome() -> None:
    """Class names lie: the article sits in ``side-article multi-fontsize``, a WeChat mirror calls
    its whole page ``rich_media``; the container holding most of the prose is the article."""
    body = ("<h1>Bus route approved</h1><div class='side-article txt-article'>"
            + "".join(f"<p>{p}</p>" for p in PARAS) + "</div>"
            "<div class='rich_media_tool'><a>Read 120</a> <a>Like 5</a></div>")
    assert clean_html(page(body)).text.split("\n") == PARAS


def test_list_and_table_inside_the_body_are_kept() -> None:
    body = ("<h1>Market prices</h1><div class='entry-content'>"
            f"<p>{PARAS[0]}</p><h2>Where to buy</h2><ul><li>Address: 12 Harbour Road, Suva</li>"
            "<li>Hours: 07:00-13:00, closed on Mondays</li></ul>"
            "<table><tr><th>Market</th><th>Price</th></tr><tr><td>Petisah</td><td>10.800</td></tr>"
            "<tr><td>Sambu</td><td>11.000</td></tr></table>"
            f"<p>{PARAS[1]}</p></div>")
    kept = clean_html(page(body)).text.split("\n")
    assert "Address: 12 Harbour Road, Suva" in kept and "Hours: 07:00-13:00, closed on Mondays" in kept
    assert "Where to buy" in kept and "Petisah" in kept and "11.000" in kept


@pytest.mark.parametrize(("text", "expected"), [
    ("<!DOCTYPE html><html>", True), ("  <html lang='zh'>", True), ("<!-- x --><head><title>t</title>", True),
    ("Judul berita\n<b>bold</b> text", False), ("", False),
])
def test_looks_like_html(text: str, expected: bool) -> None:
    assert looks_like_html(text) is expected


def test_clean_page_dispatches_on_content() -> None:
    assert clean_page(ARTICLE).metadata["title"] == "New bus route links harbour and university"
    assert clean_page("Judul\nIsi berita yang panjang, kata warga setempat kepada wartawan.").text.startswith("Judul")
    with pytest.raises(ValueError):
        clean_page("x", kind="pdf")


def test_html_text_keeps_everything_visible() -> None:
    text, title = html_text(ARTICLE)
    assert title.startswith("New bus route") and "Home" in text and "Copyright 2024" in text
    assert "hidden keyword" not in text


def test_bytes_and_broken_markup() -> None:
    assert clean_html(ARTICLE.encode("utf-8")).text.split("\n") == PARAS
    assert clean_html("").text == "" and clean_html("<p>").text == ""
    assert "unclosed" in clean_html("<div><p>unclosed paragraph of text<div><b>bold").text


def test_deep_nesting_does_not_overflow() -> None:
    deep = "<div>" * 5000 + "<p>" + PARAS[0] + "</p>" + "</div>" * 5000
    assert PARAS[0] in html_text(deep)[0]


def test_deep_nesting_keeps_memory_linear() -> None:
    """Every block copied its whole path (and its classed ancestors): markup nested 30,000 deep
    (330 KB) took 2.8 GB. A block keeps its nearest 256 ancestors and 64 classed ones (real pages
    nest about 30 deep), so the walk holds memory linear in the page."""
    from searchlib.analysis.html.dom import parse

    deep = ("<div class='menu'><p>x</p>" * 3000) + "<p>" + PARAS[0] + "</p>" + "</div>" * 3000
    dom = parse(deep)
    assert max(len(b.path) for b in dom.blocks) <= 256 and max(len(b.classes) for b in dom.blocks) <= 64
    assert PARAS[0] in clean_html(deep).text


_TAGS = ["p", "div", "span", "a", "li", "ul", "h1", "h2", "nav", "footer", "script", "style", "br", "table", "td"]


@st.composite
def _markup(draw):  # type: ignore[no-untyped-def]
    parts = []
    for _ in range(draw(st.integers(0, 25))):
        kind = draw(st.integers(0, 3))
        tag = draw(st.sampled_from(_TAGS))
        if kind == 0:
            cls = draw(st.sampled_from(["", " class='share'", " class='article-body'", " hidden", " style='display:none'"]))
            parts.append(f"<{tag}{cls}>")
        elif kind == 1:
            parts.append(f"</{tag}>")
        else:
            parts.append(draw(st.one_of(st.text(alphabet=st.sampled_from(list("ab 長沙。,.&;<>\n")), max_size=30),
                                        st.sampled_from(["&amp;", "2024-05-06", "Share:", "来源：新华社"]))))
    return "".join(parts)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_markup())
def test_random_markup_never_fails_and_keeps_only_page_text(markup: str) -> None:
    c = clean_html(markup)
    visible = re.sub(r"\s+", "", html_text(markup)[0])
    for line in c.lines:
        assert line.text == line.text.strip() and line.text
        # the page's own text, in order (a skipped menu between two words of a block leaves a gap)
        rest = iter(visible)
        assert all(ch in rest for ch in re.sub(r"\s+", "", line.text))
    assert set(c.metadata) <= {"title", "date", "author", "editor", "source", "site", "url", "lang"}
    if "date" in c.metadata:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", c.metadata["date"])


def test_extract_exposes_the_dom() -> None:
    result = extract(ARTICLE)
    assert result.dom.title.endswith("| Harbour Times") and len(result.dom.blocks) == len(result.cleaned.lines)


def test_a_headline_in_a_styled_div_anchors_the_article() -> None:
    html = page("<div class='wrap'><div class='article-title'>Harbour bus route approved</div>"
                "<div class='meta'>By Jane Doe | 12 March 2024</div><div class='text'>"
                + "".join(f"<p>{p}</p>" for p in PARAS) + "</div></div>"
                "<div class='box'><p>Weather: sunny, 24 degrees in the afternoon, light winds from the east.</p></div>",
                head="<meta property='og:title' content='Harbour bus route approved'>")
    c = clean_html(html)
    assert c.text.split("\n") == PARAS
    assert c.metadata["title"] == "Harbour bus route approved" and c.metadata["author"] == "Jane Doe"
    assert next(ln.reason for ln in c.lines if ln.text == "Harbour bus route approved") == "title"


ID_PARAS = ["BEKASI - Pemerintah Kota Bekasi memperpanjang masa pendaftaran bantuan sosial hingga akhir bulan ini, "
            "kata kepala dinas sosial kepada wartawan pada Senin.",
            "Warga yang belum terdaftar dapat datang ke kantor kelurahan dengan membawa kartu keluarga dan KTP.",
            "Menurut data dinas, lebih dari 12.000 keluarga telah mendaftar sejak program dibuka bulan lalu."]
ZH_PARAS = ["　　本报讯 县政府日前召开常务会议，研究部署秋冬季森林防火工作，要求各乡镇落实网格化巡护责任。",
            "　　会议指出，今年入秋以来降水偏少，林区可燃物载量较大，森林火险等级持续偏高。",
            "　　会议要求，各级各部门要加强野外用火管控，严格落实二十四小时值班制度，确保发现火情及时处置。"]


@pytest.mark.parametrize(("markup", "paras"), [
    (  # semantic HTML5, no class names at all
        "<html lang='id'><body><header><p>Kabar Bekasi</p><nav><a href='/'>Beranda</a> <a href='/n'>Nasional</a></nav>"
        "</header><main><article><h1>Pendaftaran bansos diperpanjang</h1><p><time datetime='2024-05-06'>6 Mei 2024"
        "</time></p>" + "".join(f"<p>{p}</p>" for p in ID_PARAS) + "<footer><p>Tag: bansos, Bekasi</p></footer>"
        "</article></main><aside><h2>Terpopuler</h2><ol><li><a href='/1'>Banjir di Pondok Gede</a></li>"
        "<li><a href='/2'>Tol macet panjang</a></li></ol></aside><footer><p>© 2024 Kabar Bekasi</p></footer>"
        "</body></html>", ID_PARAS),
    (  # an old table layout, the headline in a bold cell, no <h1>
        "<html><head><title>县政府部署秋冬季森林防火工作_清源县人民政府</title></head><body><table><tr><td>"
        "<a href='/'>首页</a> | <a href='/zw'>政务公开</a> | <a href='/bs'>办事服务</a></td></tr><tr><td>"
        "<table><tr><td class='biaoti'><b>县政府部署秋冬季森林防火工作</b></td></tr><tr><td>发布时间：2023-10-16　"
        "来源：县应急管理局</td></tr><tr><td class='nr'>" + "".join(f"<p>{p}</p>" for p in ZH_PARAS) +
        "</td></tr></table></td></tr><tr><td>主办：清源县人民政府办公室　地址：清源县人民路1号</td></tr></table>"
        "</body></html>", [p.strip("　") for p in ZH_PARAS]),
    (  # the body split around an ad and a "Baca juga" line, unclassed comments after it
        "<html><body><h1>Pendaftaran bansos diperpanjang</h1><div class='content-1'><p>" + ID_PARAS[0] + "</p>"
        "<p>Baca juga: <a href='/x'>Harga beras naik di lima pasar</a></p><p>" + ID_PARAS[1] + "</p></div>"
        "<div class='ads-inline'>Iklan</div><div class='content-2'><p>" + ID_PARAS[2] + "</p></div>"
        "<div><h3>3 Komentar</h3><div><b>budi_s</b><p>Semoga pendaftarannya tidak ribet seperti tahun lalu ya.</p></div>"
        "</div></body></html>", ID_PARAS),
])
def test_templates_not_seen_in_development(markup: str, paras: list[str]) -> None:
    assert clean_html(markup).text.split("\n") == paras


ZH_BODY = "".join(f"<p>{p}</p>" for p in ZH_PARAS)
LAST = "The first buses will leave the harbour terminal at six in the morning from the first of next month."
ZH_TEXT = [p.strip("　") for p in ZH_PARAS]


@pytest.mark.parametrize(("markup", "paras"), [
    (  # the headline's header holds only the byline: the body beside it, past wrappers that add nothing
        "<html><body><div class='td-main-content'><article><div class='td-post-header'><header class='td-post-title'>"
        "<h1>New bus route links harbour and university</h1><div class='td-module-meta-info'><span>By Jane Doe</span>"
        "<time datetime='2024-03-12'>March 12, 2024</time></div></header></div>"
        "<div class='x1'><div class='x2'><div class='x3'>" + "".join(f"<p>{p}</p>" for p in PARAS) + "</div></div></div>"
        "</article></div></body></html>", PARAS),
    (  # a metadata table repeats the headline above the article's own title box
        "<html><head><title>县政府部署秋冬季森林防火工作</title></head><body><table class='xxgk_table'>"
        "<tr><td>名称：</td><td>县政府部署秋冬季森林防火工作</td></tr><tr><td>主题词：</td><td>森林 防火 秋冬季</td></tr>"
        "</table><table class='art_box'><tr><td class='art_title'>县政府部署秋冬季森林防火工作</td></tr>"
        "<tr><td class='art_info'>发布时间：2023-10-16</td></tr><tr><td><div class='TRS_Editor'>" + ZH_BODY +
        "</div></td></tr></table></body></html>", ZH_TEXT),
    (  # a CMS wraps the article in a <form>; its short paragraphs are not form labels
        "<html><head><title>图书馆五一开放时间的通知-江城大学新闻网</title></head><body><div class='top'>"
        "<h1 class='logo'><a href='/'>江城大学新闻网</a></h1></div><form name='_newscontent_fromname'>"
        "<h2>图书馆五一开放时间的通知</h2><div class='v_news_content'><p>根据学校放假安排，图书馆开放时间调整如下：</p>"
        "<p>5月1日至5月4日：总馆自习区开放。</p><p>5月5日起：恢复正常开放时间。</p><p>南校区分馆：假期闭馆。</p>"
        "</div></form></body></html>",
        ["根据学校放假安排，图书馆开放时间调整如下：", "5月1日至5月4日：总馆自习区开放。", "5月5日起：恢复正常开放时间。",
         "南校区分馆：假期闭馆。"]),
    (  # a centred line under a picture is its caption; a centred bold subheading is not
        "<html><body><h1>县政府部署秋冬季森林防火工作</h1><div class='content'>" + f"<p>{ZH_PARAS[0]}</p>"
        "<p style='text-align:center'><img src='a.jpg'></p><p style='text-align:center'>防火检查现场</p>"
        f"<p>{ZH_PARAS[1]}</p><p align='center'><img src='b.jpg'></p><p align='center'><b>下一步工作</b></p>"
        f"<p>{ZH_PARAS[2]}</p></div></body></html>", [*ZH_TEXT[:2], "下一步工作", ZH_TEXT[2]]),
    (  # an editor's initials closing the last paragraph go, the paragraph stays
        "<html><body><h1>Pendaftaran bansos diperpanjang</h1><div class='detail__body-text'>"
        + "".join(f"<p>{p}</p>" for p in ID_PARAS[:2]) + f"<p>{ID_PARAS[2]} <strong>(abq/iwd)</strong></p>"
        "</div></body></html>", ID_PARAS),
    (  # a table between two parts of the body, each part in a container of its own
        "<html><body><h1>Market prices</h1><div class='article'><div class='part'>"
        + "".join(f"<p>{p}</p>" for p in PARAS[:2]) + "</div><table><tr><td>Petisah market</td><td>10.800</td></tr>"
        "</table><div class='part'>" + "".join(f"<p>{p}</p>" for p in (*PARAS[2:], LAST)) + "</div></div>"
        "<div class='sidebar'><p>Weather: sunny, 24 degrees in the afternoon, light winds from the east.</p></div>"
        "</body></html>", [*PARAS[:2], "Petisah market", "10.800", *PARAS[2:], LAST]),
])
def test_templates_of_the_second_development_set(markup: str, paras: list[str]) -> None:
    assert clean_html(markup).text.split("\n") == paras


def test_headline_choice_logo_h1_press_release_span_and_badge() -> None:
    logo = ("<html><head><title>图书馆五一开放时间的通知-江城大学新闻网</title></head><body>"
            "<h1 class='logo'><a href='/'>江城大学新闻网</a></h1><h2>图书馆五一开放时间的通知</h2>"
            f"<div class='content'>{ZH_BODY}</div></body></html>")
    assert clean_html(logo).metadata["title"] == "图书馆五一开放时间的通知"
    release = ("<html><head><title>九龍城道路工程臨時交通安排</title></head><body><div id='x1'>"
               "<span class='x2'>九龍城道路工程臨時交通安排</span><br><br><span>"
               + "<br><br>".join(ZH_TEXT) + "</span></div><div class='x3'><h3>本日其他新聞公報</h3><ul>"
               "<li><a href='/a'>天文台舉行開放日</a></li></ul></div></body></html>")
    assert clean_html(release).metadata["title"] == "九龍城道路工程臨時交通安排"
    badge = page("<article><h1><span class='live-badge'>LIVE</span>Chennai rains LIVE updates: schools shut</h1>"
                 "<div class='body'>" + "".join(f"<p>{p}</p>" for p in PARAS) + "</div></article>",
                 head="<meta property='og:title' content='Chennai rains LIVE updates: schools shut'>")
    assert clean_html(badge).metadata["title"] == "Chennai rains LIVE updates: schools shut"


def test_dates_in_chinese_numerals_and_from_the_article_pictures() -> None:
    release = ("<html><body><h1>九龍城道路工程臨時交通安排</h1><div id='pressrelease'>"
               + "<br><br>".join(ZH_TEXT) + "<br><br>完<br><br>二〇二四年四月十九日（星期五）<br>香港時間15時30分</div>"
               "</body></html>")
    assert clean_html(release).metadata["date"] == "2024-04-19"
    video = ("<html><body><h1>县人民医院专家团队走进乡镇开展义诊</h1><div class='info'>来源：县人民医院 11-08 10:20</div>"
             "<div class='content'><video poster='/uploads/2023/11/08/poster.jpg'></video>" + ZH_BODY + "</div>"
             "<ul class='list'><li><a href='/1'>其他新闻</a><img src='/uploads/2021/11/08/x.jpg'></li></ul></body></html>")
    assert clean_html(video).metadata["date"] == "2023-11-08"


def test_byline_people_and_site_names() -> None:
    from searchlib.analysis.boilerplate.metadata import find_people, find_photographers

    assert find_people("作者：文/王晓宇 林可 图/李航来源：党委宣传部编辑：刘洋") == (["王晓宇", "林可"], ["刘洋"])
    assert find_photographers("作者：文/王晓宇 图/李航") == ["李航"]
    assert find_people("（記者林怡君攝）") == ([], [])  # the reporter took the picture
    assert find_people("記者周奕廷／專題報導　攝影／記者蔡孟哲") == (["周奕廷"], [])
    assert find_people("文／鄭雅文攝影／許家豪03月18日閱讀時間 14 分鐘")[0] == ["鄭雅文"]
    assert find_people("By Our Correspondent") == ([], [])
    head = ("<meta property='og:site_name' content='維港新聞 Harbour News'><meta name='author' content='Harbour News'>")
    m = clean_html(page("<h1>巴士新路線獲批</h1><div class='article-body'>" + ZH_BODY + "</div>", head=head,
                        lang="zh-HK")).metadata
    assert m["site"] == "維港新聞" and "author" not in m  # an unsigned piece credited to the outlet


def test_an_unconfirmed_headline_anchors_only_a_container_holding_the_article() -> None:
    """No <title>, OpenGraph or <h1>: the first <h2> may be a sidebar box's title or a subheading
    inside the article; the article is then found by its prose."""
    sidebar_first = ("<html><body><div class='a'><h2>Latest</h2><p><a href='/1'>Ferry fares rise</a></p></div>"
                     "<div class='b'><div class='c'>New bus route approved</div>"
                     + "".join(f"<p>{p}</p>" for p in (*PARAS, LAST)) + "</div></body></html>")
    assert clean_html(sidebar_first).text.split("\n") == [*PARAS, LAST]
    subheading = ("<html><body><div class='c'><div class='t'>New bus route approved</div>"
                  + "".join(f"<p>{p}</p>" for p in PARAS[:2]) + "<h2>What changes</h2>"
                  + "".join(f"<p>{p}</p>" for p in (PARAS[2], LAST)) + "</div></body></html>")
    assert clean_html(subheading).text.split("\n") == [*PARAS[:2], "What changes", PARAS[2], LAST]


def test_the_article_continued_after_an_ad_below_the_headlines_container() -> None:
    """The headline sits in the body's first part; its last paragraphs follow in a container of their
    own after an ad: they are the article's, a comment thread further down is not."""
    markup = page("<div class='story'><div class='part-1'><h1>New bus route links harbour and university</h1>"
                  + "".join(f"<p>{p}</p>" for p in PARAS) + "</div><div class='ad-slot'>Advertisement</div>"
                  f"<div class='part-2'><p>{LAST}</p></div><div class='x'><h3>2 Comments</h3><div><b>jim88</b>"
                  "<p>Not convinced. They promised the same thing before the last election and nothing happened.</p>"
                  "</div></div></div>")
    assert clean_html(markup).text.split("\n") == [*PARAS, LAST]


def test_prose_under_a_chrome_name_is_read() -> None:
    """A short article on a heavy page, its wrapper named like chrome ("layout-sidebar-wrap"): the
    wrapper is read (a link list under such a name is skipped unread)."""
    menu = "".join(f"<li><a href='/s{i}'>Section number {i} of the site</a></li>" for i in range(40))
    markup = page(f"<ul class='topics'>{menu}</ul><h1>New bus route links harbour and university</h1>"
                  "<div class='layout-sidebar-wrap'><div class='x'>" + "".join(f"<p>{p}</p>" for p in PARAS)
                  + "</div></div><div class='sidebar-list'><ul>" + menu + "</ul></div>")
    assert clean_html(markup).text.split("\n") == PARAS


def test_headline_when_the_declared_title_is_not_shown() -> None:
    body = "<div class='text'>" + "".join(f"<p>{p}</p>" for p in PARAS) + "</div>"
    # an SEO title differs from the visible headline, set in a styled <div>
    seo = page("<div class='hl'>Harbour and university linked by new bus route</div><div class='by'>By Jane Doe</div>"
               + body, head="<meta property='og:title' content='New bus route links the harbour to the university'>")
    c = clean_html(seo)
    assert c.metadata["title"] == "Harbour and university linked by new bus route" and c.text.split("\n") == PARAS
    # <title> is the site's name, the logo's <h1> links home, the headline is an <h2> below a section label
    logo = ("<html><head><title>Harbour Daily</title></head><body><div class='brand'><h1><a href='/'>Harbour Daily</a>"
            "</h1></div><h2>Local News</h2><p><a href='/a'>All stories</a></p><div class='story'>"
            "<h2>New bus route links harbour and university</h2>" + body + "</div></body></html>")
    c = clean_html(logo)
    assert c.metadata["title"] == "New bus route links harbour and university" and c.text.split("\n") == PARAS


def test_a_utc_timestamp_gives_way_to_the_date_the_page_shows() -> None:
    body = ("<h1>屯門屋苑停電逾七小時</h1><div class='meta'>{shown}</div><div class='article-body'>" + ZH_BODY + "</div>")
    utc = "<meta property='article:published_time' content='2023-08-01T23:10:00.000Z'>"
    assert clean_html(page(body.format(shown="2023年8月2日 星期三 07:10"), head=utc, lang="zh-HK")).metadata["date"] \
        == "2023-08-02"
    assert clean_html(page(body.format(shown="更新：2023年8月5日"), head=utc, lang="zh-HK")).metadata["date"] \
        == "2023-08-01"  # nothing shown a day apart: the declared date stands
    local = "<meta property='article:published_time' content='2023-08-01T23:10:00+08:00'>"
    assert clean_html(page(body.format(shown="2023年8月2日 07:10"), head=local, lang="zh-HK")).metadata["date"] \
        == "2023-08-01"


@pytest.mark.parametrize(("shown", "iso"), [
    ("06/05/2024, 14:20 WIB", "2024-05-06"),       # day first
    ("12/25/2024 10:00 AM", "2024-12-25"),         # the middle is past 12: month first
    ("March 5th, 2024", "2024-03-05"),
    ("Posted on 5th March 2024", "2024-03-05"),
    ("發布日期：113年3月5日", "2024-03-05"),          # ROC year without 民國
    ("二〇二四年三月五日", "2024-03-05"),
    ("112/04/09 08:15", "2023-04-09"),              # ROC year with slashes
])
def test_byline_dates_in_more_formats(shown: str, iso: str) -> None:
    from searchlib.analysis.boilerplate.metadata import published_date

    assert published_date(shown) == iso


def _epaper(head: str, headline_rows: str) -> str:
    # an e-paper page: a table layout, <title> the paper's name, the page's story list on the left,
    # the headline a styled cell above the story, the copyright in the footer
    stories = "".join(f"<tr><td><a href='c{i}.htm'>{t}</a></td></tr>"
                      for i, t in enumerate(["河滨公园夜间照明改造完工", "城南片区新增三处公交首末站", "社区食堂试点扩大到十个街道"]))
    return (f"<html><head><title>滨江晚报</title>{head}</head><body>"
            "<table><tr><td>2023年04月09日 星期日 | <a href='node_1.htm'>首页</a> | <a href='p.pdf'>本版PDF</a></td></tr></table>"
            f"<table><tr><td valign='top'><table><tr><td><b>本版标题导航</b></td></tr>{stories}</table></td>"
            f"<td valign='top'><table>{headline_rows}"
            "<tr><td class='content'><p>本报记者 周明远</p>" + ZH_BODY + "</td></tr></table></td></tr></table>"
            "<table><tr><td align='center'>滨江晚报社版权所有 未经授权不得转载<br>地址：滨江路1号</td></tr></table>"
            "</body></html>")


@pytest.mark.parametrize("rows", [
    "<tr><td align='center' class='t1'>城南片区新增三处公交首末站</td></tr>",
    "<tr><td align='center' class='t1'>城南片区新增三处公交首末站</td></tr>"
    "<tr><td align='center' class='t2'>——记公交集团线网优化的一年</td></tr>",  # a deck below it
])
def test_a_bare_title_that_the_copyright_names_is_the_site(rows: str) -> None:
    c = clean_html(_epaper("<meta name='founder-date' content='2023-04-09'>", rows))
    assert c.metadata["title"] == "城南片区新增三处公交首末站"
    assert c.metadata["date"] == "2023-04-09"  # a CMS's own date key


def test_only_publication_date_keys_are_read() -> None:
    c = clean_html(_epaper("<meta name='last-modified-date' content='2024-01-02'>",
                           "<tr><td align='center'>城南片区新增三处公交首末站</td></tr>"))
    assert c.metadata.get("date") != "2024-01-02"


_HREF_PARTS = [*"/.:?#hxtpsIiıNnDdEeXxoOmMlLſKK\n ", "index", "default", "home", "html", "shtml", "php", "aspx", "jsp",
               "http:", "https:", "//", "example.com"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_HREF_PARTS), max_size=10).map("".join))
def test_the_home_link_screen_gives_the_full_pattern_s_answer(href: str) -> None:
    from searchlib.analysis.html.dom import _HOME_HREF, _home_link

    assert _home_link(href) == bool(_HOME_HREF.match(href))
    for known in ("/", "../../index.htm", "https://www.example.com/", "//example.com", "HOME.ASPX",
                  "https://example.com/news/2024/05/story.html", "/news/story", "https://example.com?x=1"):
        assert _home_link(known) == bool(_HOME_HREF.match(known))


_FORUM_POST = (
    "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>"
    "<title>老街菜市场改造后重新开张 - 杂谈 - 江畔论坛 - Powered by Discuz!</title></head><body>"
    "<div id='nv'><a href='/'>首页</a><a href='/forum'>论坛</a></div>"
    "<h1><span id='thread_subject'>老街菜市场改造后重新开张</span></h1>"
    "<div class='authi'><a class='xw1' href='space-uid-1.html'>江边客</a></div>"
    "<div class='authi'><em id='authorposton101'>发表于 <span title='{tooltip}'>{shown}</span></em></div>"
    "<div class='t_fsz'><i class='pstatus'> 本帖最后由 江边客 于 2024-5-7 09:12 编辑 </i><br/>"
    "<div class='t_f'>" + ZH_BODY + "</div></div>"
    "<div id='ft'>GMT+8, 2024-5-9 21:40</div></body></html>")


@pytest.mark.parametrize(("tooltip", "shown", "iso"), [
    ("2024-5-6 20:13:47", "3&nbsp;天前", "2024-05-06"),
    ("2024-5-6 20:13:47", "昨天&nbsp;21:05", "2024-05-06"),
    ("2024-05-06T20:13:47+08:00", "2 hours ago", "2024-05-06"),
    ("2024-05-06 20:13", "5 menit yang lalu", "2024-05-06"),
])
def test_a_relative_time_gives_the_date_of_its_tooltip(tooltip: str, shown: str, iso: str) -> None:
    """"3 天前" with the time itself in its title attribute (Discuz, timeago): the tooltip's date,
    not the thread's "last edited on" notice; the forum software the <title> credits is not the
    site, and the "发表于" (posted at) line under an element named for the author is no name."""
    meta = clean_html(_FORUM_POST.format(tooltip=tooltip, shown=shown)).metadata
    assert meta["date"] == iso
    assert meta["site"] == "江畔论坛"
    assert "发表于" not in meta.get("author", "")


def test_a_tooltip_is_a_date_only_under_a_relative_time() -> None:
    """A title attribute that holds a date under text that is not a relative time (a link's
    tooltip, a label) is not the page's date."""
    html = _FORUM_POST.format(tooltip="2019-01-01", shown="查看原帖")
    assert clean_html(html).metadata.get("date") != "2019-01-01"


def test_a_forum_edit_notice_is_not_a_publication_date() -> None:
    from searchlib.analysis.boilerplate.metadata import published_date

    assert published_date("本帖最后由 江边客 于 2024-5-7 09:12 编辑") is None
    assert published_date("本帖最後由 江邊客 於 2024-5-7 09:12 編輯") is None
    assert published_date("江边客 发表于 2024-5-6 20:13") == "2024-05-06"


@pytest.mark.parametrize("as_bytes", [False, True])
def test_a_tag_with_too_many_attributes_is_cut_not_parsed_for_ever(as_bytes: bool) -> None:
    """lexbor's tokenizer is quadratic in one tag's attributes (80,000 took 27 s): a tag over
    64 KB keeps its first 256 attributes; a long tag of few attributes (a data: URI) is untouched."""
    from searchlib.analysis.html.dom import _tame_long_tags

    many = "<p " + " ".join(f"a{i}=b" for i in range(20_000)) + ">" + PARAS[0] + "</p>"
    tamed = _tame_long_tags(many.encode() if as_bytes else many)
    text = tamed.decode() if as_bytes else tamed
    assert text.count("=") == 256 and text.startswith("<p a0=b a1=b") and text.endswith(">" + PARAS[0] + "</p>")
    uri = "<p>x</p><img alt='a' src='data:image/png;base64," + "QUJD" * 40_000 + "'><p>y</p>"
    assert _tame_long_tags(uri) == uri
    assert PARAS[0] in clean_html("<html><body>" + many + "</body></html>").text
