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
