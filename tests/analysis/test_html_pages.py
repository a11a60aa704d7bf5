"""HTML extraction on page shapes a blind set showed (html_holdout4): a comment counter in the
byline, a government notice whose <title> is the site's name, table cells holding paragraphs,
subheadings with a "header" class, update times and a notice's signed date."""
from __future__ import annotations

from searchlib.analysis.html import clean_html

PARAS = [
    "Harga cabai rawit merah di Pasar Induk naik hampir dua kali lipat dalam sepekan terakhir menjelang bulan puasa.",
    "Para pedagang mengatakan pasokan dari sentra produksi berkurang karena hujan deras merusak tanaman petani.",
    "Pemerintah daerah berjanji menggelar operasi pasar mulai pekan depan untuk menahan kenaikan harga lebih lanjut.",
]


def _kept(html: str) -> str:
    return clean_html(html).text


def test_a_comment_counter_linking_to_the_thread_does_not_swallow_the_article() -> None:
    html = ("<html><head><title>Harga Cabai Naik</title></head><body><nav><a href='/'>Beranda</a></nav>"
            "<article class='detail'><h1>Harga Cabai Rawit Tembus Rp 95 Ribu</h1>"
            "<div class='detail__author'>Rina Kusumawati</div><div class='detail__date'>Senin, 17 Mar 2025 14:32 WIB</div>"
            "<div class='detail__info'><a href='#komentar' class='detail__comment-count'>14 komentar</a></div>"
            "<div class='detail__body'>" + "".join(f"<p>{p}</p>" for p in PARAS) + "</div>"
            "<div class='detail__komentar' id='komentar'><h4>Komentar (14)</h4><p>Silakan masuk untuk berkomentar.</p></div>"
            "</article></body></html>")
    text = _kept(html)
    assert all(p in text for p in PARAS)


def test_a_notice_whose_title_is_the_sites_name_keeps_its_headline_table_and_signed_date() -> None:
    rows = [("1", "苇川区人民医院预防接种门诊", "滨河路128号门诊楼三楼", "周一至周五 8:00-11:30", "86120315"),
            ("2", "东湖街道社区卫生服务中心", "东湖路46号", "周二、周四 8:00-11:00", "86231470")]
    table = "<table>" + "".join("<tr>" + "".join(f"<td><p>{c}</p></td>" for c in r) + "</tr>" for r in rows) + "</table>"
    html = ("<html><head><title>苇川区卫生健康委员会</title></head><body>"
            "<div class='top'>欢迎访问苇川区卫生健康委员会网站！</div>"
            "<div class='crumbs'>您当前的位置：<a href='/'>首页</a> &gt; 通知公告</div>"
            "<div class='article'><div class='art-tit' style='font-weight:bold'>关于开展流感疫苗接种工作的通知</div>"
            "<div class='art-info'>信息来源：　浏览次数：--</div><div class='art-content'>"
            "<p>区属各医疗卫生单位：</p><p>为做好今冬明春流感防控工作，保护重点人群健康，经研究，决定在全区开展流感疫苗接种工作，现将有关事项通知如下。</p>"
            "<p>一、接种门诊</p>" + table +
            "<p>二、有关要求</p><p>各接种门诊要严格落实预防接种工作规范，做好接种前告知和接种后留观，确保接种安全。</p>"
            "<p style='text-align:right'>苇川区卫生健康委员会</p><p style='text-align:right'>2024年3月8日</p></div></div>"
            "<div class='footer'><p>主办单位：苇川区卫生健康委员会　地址：苇川区滨河路201号</p></div></body></html>")
    page = clean_html(html)
    assert page.metadata["title"] == "关于开展流感疫苗接种工作的通知"
    assert page.metadata["date"] == "2024-03-08"
    assert all(cell in page.text for r in rows for cell in r[1:])


def test_a_subheading_with_a_header_class_and_an_update_time() -> None:
    html = ("<html><head><title>Kilele Notes</title></head><body><main><article>"
            "<h1>The new market levy, explained</h1>"
            "<div class='meta'><span>Last updated:</span> <time datetime='2025-10-21T11:47:03+03:00'>21 October 2025</time></div>"
            f"<p>{PARAS[0]}</p><h3 class='header-anchor-post'>What the money is for</h3><p>{PARAS[1]}</p>"
            f"<p>{PARAS[2]}</p></article></main></body></html>")
    page = clean_html(html)
    assert "What the money is for" in page.text
    assert "date" not in page.metadata  # an update's time is not the publication date


def test_an_e_paper_page_label_title_a_forum_tag_and_a_toolbar_under_the_headline() -> None:
    body = "".join(f"<p>{p}</p>" for p in PARAS)
    epaper = ("<html><head><title>蓮峰晚報--第A03版:澳聞</title></head><body><table>"
              "<tr><td><a href='../../../html/2025-09/12/node_1.htm'>首頁</a></td><td>2025年9月12日　星期五</td></tr>"
              "<tr><td><a href='../../../html/2025-09/12/node_2.htm'>第A02版：要聞</a></td></tr>"
              "<tr><td><a href='content_41233.htm'>內港北雨水泵房下月動工</a></td></tr></table>"
              "<table><tr><td class='font01'>颱風季後加快推進防洪排澇工程</td></tr>"
              "<tr><td class='font02'>內港北雨水泵房下月動工</td></tr>"
              "<tr><td class='font03'>預計二〇二七年完工　沿岸水浸時間可望縮短</td></tr>"
              "<tr><td><div id='ozoom'>" + body + "</div></td></tr></table></body></html>")
    page = clean_html(epaper)
    assert page.metadata["title"] == "內港北雨水泵房下月動工" and page.metadata["date"] == "2025-09-12"
    forum = ("<html><head><title>葵涌新街市重開實測 十個檔口價錢逐樣比 - 飲食男女 - 鯉門討論區 - Powered by Discuz!</title></head>"
             "<body><div id='postlist'><h1><a href='forum.php?typeid=71'>[街市]</a> 葵涌新街市重開實測 十個檔口價錢逐樣比</h1>"
             f"<div class='t_f'>{body}</div></div></body></html>")
    assert clean_html(forum).metadata["title"] == "葵涌新街市重開實測 十個檔口價錢逐樣比"
    notice = ("<html><head><title>澄岭市教育局</title></head><body><div class='crumb'>您当前的位置：<a href='/'>首页</a> &gt; 通知公告</div>"
              "<div class='bt' style='font-size:24px;font-weight:bold'>关于开展暑期校外培训机构安全专项检查的通知</div>"
              "<div class='info'><span class='font'>【字体：<a href='javascript:doZoom(18)'>大</a> <a href='#'>中</a> <a href='#'>小</a>】</span></div>"
              "<div id='zoom'><p>各县（市、区）教育局，市直各学校：</p><p>为切实做好暑期校外培训安全管理工作，保障学生人身安全和合法权益，市教育局决定在全市范围内开展专项检查。</p>"
              "<p>各地要对照检查清单逐项核查，发现问题立即整改，整改不到位的依法依规处理。</p><p style='text-align:right'>2025年6月18日</p></div>"
              "<ul class='list'><li><a href='/art/2025/5/30/a.html'>关于公布全市校外培训机构白名单的公告</a><span>2025-05-30</span></li></ul>"
              "<div class='footer'><p>主办单位：澄岭市教育局　地址：澄岭市府前大道188号</p></div></body></html>")
    page = clean_html(notice)
    assert page.metadata["title"] == "关于开展暑期校外培训机构安全专项检查的通知"
    assert page.metadata["date"] == "2025-06-18"


def test_paragraphs_are_never_all_dropped() -> None:
    paras = ["The harbour ferry will leave fifteen minutes earlier on weekdays from Monday, the operator said on Friday.",
             "The change follows a survey of commuters who asked for an earlier arrival at the central wharf, it said."]
    for tag in ("footer", "nav"):
        html = (f"<html><head><title>Ferry times change</title></head><body><{tag}><h1>Ferry times change</h1>"
                + "".join(f"<p>{p}</p>" for p in paras) + f"</{tag}></body></html>")
        assert all(p in clean_html(html).text for p in paras)
    assert clean_html("<html><body><nav><a href='/'>Home</a> <a href='/x'>News</a></nav></body></html>").text == ""
