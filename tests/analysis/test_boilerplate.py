"""Boilerplate filter: golden pages per variety, tricky article lines, properties, garbage input."""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from searchlib.analysis.boilerplate import REASONS, BoilerplateModel, Cleaned, Line, clean
from tests.workcount import assert_linear


def reasons_of(text: str, model: BoilerplateModel | None = None) -> dict[str, str]:
    return {line.text: line.reason for line in clean(text, model).lines if line.text}


# ---------------------------------------------------------------- golden pages

ZH_HANS = """当前位置:首页 > 产业 > 正文内容
常德高新区电子信息产业园首期竣工
2023-03-08 10:12  来源:常德日报  阅读:1,024
摘要:3月7日,常德高新区电子信息产业园首期工程竣工,12家企业签约入驻...

3月7日,常德高新区电子信息产业园首期工程竣工,12家企业签约入驻,预计年产值可达30亿元。
园区负责人介绍,首期建成标准厂房18万平方米,配套建设了人才公寓和员工食堂。
招商政策
企业可拨打招商热线0736-7778888或登录园区官网查询入驻条件,园区将在3个工作日内回复。
“我们要把服务做到企业门口。”
他说。
责任编辑:王芳
分享到: 微信 微博 QQ空间
上一篇:常德港集装箱航线再添新班
相关文章
常德出台支持电子信息产业发展十条措施
沅江沿岸物流园开工建设...
Copyright © 2010-2024 常德在线 版权所有 湘ICP备10000001号
"""


def test_simplified_chinese_page():
    r = reasons_of(ZH_HANS)
    assert r["当前位置:首页 > 产业 > 正文内容"] == "navigation"
    assert r["常德高新区电子信息产业园首期竣工"] == "title"
    assert r["2023-03-08 10:12  来源:常德日报  阅读:1,024"] == "byline"
    assert r["摘要:3月7日,常德高新区电子信息产业园首期工程竣工,12家企业签约入驻..."] == "summary-duplicate"
    assert r["责任编辑:王芳"] == "credit"
    assert r["分享到: 微信 微博 QQ空间"] == "navigation"
    assert r["上一篇:常德港集装箱航线再添新班"] == "navigation"
    assert r["相关文章"] == r["常德出台支持电子信息产业发展十条措施"] == r["沅江沿岸物流园开工建设..."] == "related-list"
    assert r["Copyright © 2010-2024 常德在线 版权所有 湘ICP备10000001号"] == "disclaimer"
    kept = clean(ZH_HANS).text.split("\n")
    assert kept == [
        "3月7日,常德高新区电子信息产业园首期工程竣工,12家企业签约入驻,预计年产值可达30亿元。",
        "园区负责人介绍,首期建成标准厂房18万平方米,配套建设了人才公寓和员工食堂。",
        "招商政策",
        "企业可拨打招商热线0736-7778888或登录园区官网查询入驻条件,园区将在3个工作日内回复。",
        "“我们要把服务做到企业门口。”",
        "他說。".replace("說", "说"),
    ]
    meta = clean(ZH_HANS).metadata
    assert meta == {"title": "常德高新区电子信息产业园首期竣工", "date": "2023-03-08", "source": "常德日报",
                    "editor": "王芳", "lang": "zh"}  # 责任编辑 names the editor, not the author


ZH_HANT = """瀟湘資訊網(wǎng) 湖南產(chǎn)業(yè)信息服務平臺(tái)
益陽船舶製造業(yè)轉型升級 首艘電動貨船交付
發(fā)布時間(jiān):2023-10-10 來源:益陽日報(bào) 瀏覽:512
益陽日報(bào)10月9日訊 9日,一艘由益陽企業(yè)自主設計建造的純電動貨船交付使用,可載貨1500噸。
該船採用換電模式,在沿江(湘江)碼頭五分鐘即可完成電池更換,全年可減少碳排放約800噸。
2023年(第二屆)洞庭湖船舶產(chǎn)業(yè)博覽會將於11月舉辦。
(責任編輯(jí):劉洋)
掃碼關注瀟湘資訊公眾號(hào)
© 2024 瀟湘資訊網(wǎng) 版權所有
"""


def test_traditional_chinese_page_with_pinyin_artifacts():
    r = reasons_of(ZH_HANT)
    assert r["益陽船舶製造業(yè)轉型升級 首艘電動貨船交付"] == "title"
    assert r["發(fā)布時間(jiān):2023-10-10 來源:益陽日報(bào) 瀏覽:512"] == "byline"
    assert r["(責任編輯(jí):劉洋)"] == "credit"
    assert r["掃碼關注瀟湘資訊公眾號(hào)"] == "contact"
    assert r["© 2024 瀟湘資訊網(wǎng) 版權所有"] == "disclaimer"
    # the body keeps its pinyin artifacts and real parentheses verbatim (folding is for matching only)
    assert "2023年(第二屆)洞庭湖船舶產(chǎn)業(yè)博覽會將於11月舉辦。" in clean(ZH_HANT).text
    assert "沿江(湘江)碼頭" in clean(ZH_HANT).text
    meta = clean(ZH_HANT).metadata
    assert meta["date"] == "2023-10-10" and meta["source"] == "益陽日報" and meta["editor"] == "劉洋"
    assert "author" not in meta and meta["lang"] == "zh"


EN = """Home > News > Transport
Changde opens river-sea container route to Shanghai
By Zhou Lan | Updated: 2023-06-01 11:05 | 3 min read
Cranes at the new terminal in Changde. (CCBD/Li Wei)

A direct river-sea container route between Changde and Shanghai opened on Wednesday, cutting transit times for exporters in northern Hunan by about two days.
Advertisement
Read more: Yueyang port sets container record
Shippers can book space at www.changde-port.example.com or call 0736-7001234 for rates.
Related articles
Inland ports race to win Southeast Asia trade
Share: Facebook Twitter LinkedIn Email
We use cookies to improve your experience. By continuing to browse this site you agree to our use of cookies.
"""


def test_english_page():
    r = reasons_of(EN)
    assert r["Home > News > Transport"] == "navigation"
    assert r["Changde opens river-sea container route to Shanghai"] == "title"
    assert r["By Zhou Lan | Updated: 2023-06-01 11:05 | 3 min read"] == "byline"
    assert r["Cranes at the new terminal in Changde. (CCBD/Li Wei)"] == "caption"
    assert r["Advertisement"] == "advertisement"
    assert r["Read more: Yueyang port sets container record"] == "navigation"
    assert r["Related articles"] == r["Inland ports race to win Southeast Asia trade"] == "related-list"
    assert r["Share: Facebook Twitter LinkedIn Email"] == "navigation"
    assert r["We use cookies to improve your experience. By continuing to browse this site you agree to our use of cookies."] == "disclaimer"
    assert r["Shippers can book space at www.changde-port.example.com or call 0736-7001234 for rates."] == "content"
    assert clean(EN).metadata == {"title": "Changde opens river-sea container route to Shanghai",
                                  "date": "2023-06-01", "author": "Zhou Lan", "lang": "en"}


ID = """Beranda > Ekonomi > Industri
Pabrik Mesin Konstruksi Asal Hunan Dibuka di Batam
Penulis: Rina Kartika | Editor: Dimas Prasetyo
Selasa, 10 Oktober 2023 | 09:30 WIB
Lama Baca 3 Menit
Pabrik Mesin Konstruksi Asal Hunan Dibuka di Batam-Image-1

BATAM, Jakarta Ekonomi – Produsen mesin konstruksi asal Provinsi Hunan meresmikan pabrik perakitan ekskavator di Batam dengan kapasitas 3.000 unit per tahun.
Baca Juga: Kereta Cepat Angkut Satu Juta Penumpang
Iklan
10 Oktober 2023 menjadi hari pertama produksi, dengan 400 pekerja lokal yang telah dilatih.
Sumber: Kabartiongkok.id
Berita Terkait
Zhuzhou Kirim Kereta Listrik ke Malaysia
Hak Cipta © 2024 Jakarta Ekonomi. Seluruh hak dilindungi undang-undang.
"""


def test_indonesian_page():
    r = reasons_of(ID)
    assert r["Beranda > Ekonomi > Industri"] == "navigation"
    assert r["Pabrik Mesin Konstruksi Asal Hunan Dibuka di Batam"] == "title"
    assert r["Penulis: Rina Kartika | Editor: Dimas Prasetyo"] == "credit"
    assert r["Selasa, 10 Oktober 2023 | 09:30 WIB"] == r["Lama Baca 3 Menit"] == "byline"
    assert r["Pabrik Mesin Konstruksi Asal Hunan Dibuka di Batam-Image-1"] == "caption"
    assert r["Baca Juga: Kereta Cepat Angkut Satu Juta Penumpang"] == "navigation"
    assert r["Iklan"] == "advertisement"
    assert r["10 Oktober 2023 menjadi hari pertama produksi, dengan 400 pekerja lokal yang telah dilatih."] == "content"
    assert r["Sumber: Kabartiongkok.id"] == "credit"
    assert r["Berita Terkait"] == r["Zhuzhou Kirim Kereta Listrik ke Malaysia"] == "related-list"
    assert r["Hak Cipta © 2024 Jakarta Ekonomi. Seluruh hak dilindungi undang-undang."] == "disclaimer"
    meta = clean(ID).metadata
    assert meta == {"title": "Pabrik Mesin Konstruksi Asal Hunan Dibuka di Batam", "date": "2023-10-10",
                    "source": "Kabartiongkok.id", "author": "Rina Kartika", "editor": "Dimas Prasetyo",
                    "lang": "id"}


# ---------------------------------------------------------------- tricky article lines

CHROME_TOP = "当前位置:首页 > 新闻 > 正文内容\n湖南发布新一轮制造业支持政策\n2023-05-05 08:00 来源:湖南日报 阅读:99\n"
CHROME_BOTTOM = "\n责任编辑:张三\n分享到: 微信 微博\n版权所有 © 2024 某某网\n"
PARA = "今年以来,湖南围绕工程机械、轨道交通和航空动力三大产业集群持续发力,全省规模以上工业增加值同比增长6.1%。"


@pytest.mark.parametrize("line", [
    "市民可拨打12345政务服务热线或登录www.hunan.gov.cn查询政策细节,相关部门将在三个工作日内答复。",
    "Visitors can call 0731-8888 1234 or visit www.fair.example.com to register before May 10.",
    "“我们有信心把产业链留在湖南。”",
    "\"We are building a corridor, not a port.\"",
    "产业链加速集聚",
    "Why it matters",
    "据一位不愿透露姓名的***企业负责人介绍,部分订单已排到明年。",
    "2023年4月,长沙经开区新签约项目32个,总投资超过200亿元。",
    "March 28 marked the start of early rice planting in the province.",
    "12 Mei 2023 menjadi hari bersejarah bagi industri baterai nasional.",
    "他说。",
    "他說。",
    "1. 建设智能制造示范工厂;",
    "(二)组织企业参加柏林国际轨道交通技术展;",
    "2) Flights below 120 meters;",
    "Dilansir dari Harian Hunan pada Kamis (13/04/23), Indonesia menjadi salah satu pasar terbesar.",
    "床前明月光　疑是地上霜　举头望明月　低头思故乡",  # verse spaced like a menu
    "The photo was taken by Ana Lim. Photo: a flooded road near the market.",
])
def test_tricky_article_lines_survive(line):
    page = CHROME_TOP + PARA + "\n" + line + "\n" + PARA.replace("今年以来", "一季度") + CHROME_BOTTOM
    res = clean(page)
    assert line in res.text.split("\n"), [(l.text, l.reason) for l in res.lines]


PARA2 = PARA.replace("今年以来", "一季度")

# Article sentences that contain words of chrome cues; each must survive in the middle of the article
# and as its last line (where weaker, after-the-article cues apply).
NEAR_MISSES = [
    "The fund covers half the cost of new roofs for residents.",
    "Smith covers the repair costs himself, he said.",
    "Readers can sign up for the free program at the county library.",
    "Residents can subscribe to the city's flood alerts by texting FLOOD to 55555.",
    "Download the form from the county website before Friday.",
    "Edited by hand, each frame takes about three hours.",
    "Reporting by phone was impossible during the blackout.",
    "Page 2 of the report shows a sharp decline in exports.",
    "The government launched a WhatsApp channel for flood alerts last week.",
    "Have a tip about the fire? Police ask anyone with information to call 555-0100.",
    "The report is published by the World Bank.",
    "Continue reading the signs, the coach told his players.",
    "Follow the county's Facebook page for updates.",
    "Pengirim paket bertanggung jawab atas isi kiriman.",
    "Halaman 3 dokumen itu memuat daftar nama pejabat.",
    "Lanjutkan membaca laporan ini untuk mengetahui hasilnya.",
    "Unduh aplikasi PeduliLindungi di Play Store, kata juru bicara itu.",
    "Saluran WhatsApp resmi pemerintah kini punya 2 juta pengikut.",
    "在看守所里,他度过了三年时光。",
    "点赞的网友纷纷表示支持。",
    "市民可下载“随申办”APP,在线预约办理。",
    "法院认定,涉案作品版权属于原告所有。",
    "关注公众号的读者超过十万人。",
    "本站记者从市交通局获悉,新线路将于下月开通。",
    "文章未完待續的連載小說,吸引不少讀者。",
    "加入LINE好友的民眾可收到即時通知。",
    "Join the debate over the new bypass, the mayor urged residents.",
    "用户注册后即可参与抽奖活动。",
    "还没有评论家对这部作品公开表态。",
    "已有3条评论指出,新规定执行起来存在难度。",
    "“Follow the WhatsApp instructions you receive,” police said.",
    "She described the image: a lone tree in a flooded field.",
    # near misses of the third development set's families
    "Quotes delayed by the outage were restored within an hour, the exchange said.",
    "Required fields are marked on the application form, officials said.",
    "Like this: the council moved the bins again, and nobody was told.",
    "3. 在首页找到“预约挂号”,点击进入",
    "该平台视频播放量已突破1.2亿次。",
    "建议市民使用高分辨率屏幕查看地图。",
    "相关链接已在官网公布。",
    "“你可能错过了最好的时机。”",
    "Oleh karena itu, pemerintah daerah meminta warga tetap waspada.",
    "Kapal bersandar di dermaga. Menurut BMKG/Dwikorita cuaca membaik.",
]


@pytest.mark.parametrize("line", NEAR_MISSES)
@pytest.mark.parametrize("where", ["middle", "last"])
def test_article_lines_with_chrome_words_survive(line, where):
    body = PARA + "\n" + (line + "\n" + PARA2 if where == "middle" else PARA2 + "\n" + line)
    res = clean(CHROME_TOP + body + CHROME_BOTTOM)
    assert line in res.text.split("\n"), [(l.text, l.reason) for l in res.lines]


# Chrome in phrasings that appear in neither labelled corpus.
CHROME_ANYWHERE = [
    "(Reporting by Ana Lim in Jakarta; Editing by Mark Potter)", "Additional reporting by Sam Wu",
    "By Jane Doe and John Roe, Associated Press", "Photo by John Smith/The Ledger", "Penyunting: Dewi Lestari",
    "编辑丨李四", "Laporan Wartawan Tribunnews.com, Andi Saputra", "Posted in: Politics, Elections",
    "Kategori: Ekonomi", "Page 2 of 3", "上一页 1 2 3 下一页", "第1页 共3页", "Halaman 1 dari 2",
    "Text size: A A A", "[Video]", "(影片載入中…)", "Warga mengantre BBM di Jakarta. ANTARA FOTO/Budi Santoso",
    "Article continues after this advertisement", "(文章未完,請繼續往下閱讀)",
    "Join our WhatsApp channel for breaking news", "Ikuti saluran WhatsApp KabarKota untuk berita terbaru",
    "加入LINE好友,掌握第一手消息", "订阅我们的电子报", "Was this story useful?", "Apakah artikel ini bermanfaat?",
    "点个在看,分享给更多人", "相关阅读:长沙地铁6号线东延段开通", "Related: Port fees to rise in July",
    "Disclaimer: This content is for information only.", "*本文仅供参考,不构成投资建议。",
    "(c) 2023 Example Media Group", "Listen to this story", "Leave a comment", "Advertise with us",
    "Simak Video 'Banjir Rendam Ratusan Rumah di Bekasi'", "点击上方蓝字关注我们", "本文獲遠見雜誌授權轉載",
    "訂閱《港灣日報》YouTube頻道", "Bagikan artikel ini ke:", "Skip to main content", "【纠错】",
    # widgets and labels of the second development set's families, in other phrasings
    "SPORT / FOOTBALL", "WORLD / ASIA & PACIFIC", "字號:大 中 小 [打印] [關閉]",
    "首页　本地　财经　图片　直播　English", "分享至　Facebook　LINE　X　複製連結", "Share  Facebook  WhatsApp  Copy link",
    "#banjir #jakarta #cuaca", "#港口　#冷鏈　#物流", "昵称(必填)  邮箱(必填)  网站", "已有 12 条评论", "暂无评论,快来抢沙发!",
    "Join the discussion: comments are moderated.", "評論(8) 請先登入再發表評論", "Belum ada komentar.",
    "訂閱電子報,每週把最新產業動態送到您的信箱。", "Subscribe to our newsletter and get the best stories in your inbox.",
    "Rescue crews search the riverbank on Sunday. Photo: Harbour Times", "Petugas memeriksa tanggul. Foto: Dok. BPBD",
    "Oleh: Ahmad Fauzi",
    # blog / CMS chrome, widgets and notices of the third development set's families, in other phrasings
    "Anda berada di: Beranda > Berita > Daerah", "你现在的位置：首页 > 新闻 > 正文", "« Previous Post: Road works finish early",
    "Like this:  Like Loading...", "Your email address will not be shared.", "Have a story? Email tips@example.com",
    "【字号：大 中 小】【打印】【关闭】", "點讚 128　評論 36　分享", "[AD] Summer sale at Harbour Mall, 50% off",
    "（广告）春季家装节 满5000减800 立即抢购 >>", "(Liputan oleh Rina Ayu; Penyuntingan oleh Budi)",
    "Foto arsip - Warga melintas di Jalan Sudirman, Jakarta, 3 Maret 2025.", "浏览次数：1234　字号：大 中 小",
    "Best viewed in Chrome at 1280x800 resolution", "本站建议使用1366×768以上分辨率浏览", "Oleh Siti Rahma dan Andi Putra",
    "Related Topics: Jakarta, Floods", "Read the full report, opens in a new window", "All prices delayed at least 20 minutes.",
    "Data harga tertunda 15 menit.", "Standar Redaksi: Pedoman Pemberitaan Kami", "Crews clear the pier. Picture by Ann Lee",
]
CHROME_AFTER_ARTICLE = [
    "Follow us on Instagram", "Got a news tip? Email tips@example.com",
    "Jane Doe is a senior correspondent for The Daily Example.", "扫码下载XX新闻客户端",
    "Harbor Times is published by Harbor Media Group Ltd.",
    "Grand Opening Sale! 50% off all furniture. Call 555-0199",
    "春季车展 4月1日-3日 会展中心 购票热线 8866 2277", "Punya informasi menarik? Kirim ke redaksi@kabarkota.example",
]


@pytest.mark.parametrize("line", CHROME_ANYWHERE)
def test_chrome_in_other_phrasings_is_removed_anywhere(line):
    res = clean(CHROME_TOP + PARA + "\n" + line + "\n" + PARA2 + CHROME_BOTTOM)
    assert {l.text: l.reason for l in res.lines}[line] != "content"


@pytest.mark.parametrize("line", CHROME_AFTER_ARTICLE)
def test_chrome_after_the_article_is_removed(line):
    res = clean(CHROME_TOP + PARA + "\n" + PARA2 + "\n" + line + "\n")
    assert {l.text: l.reason for l in res.lines}[line] != "content"


def test_site_header_above_menu_or_above_confirmed_headline_is_removed():
    top_menu = ("THE VALLEY TIMES\nNews for the valley since 1901\nNews | Sports | Opinion | Obituaries\n"
                "Mill reopens after flood repairs\nBy Ann Lee | May 2, 2024\n" + PARA + "\n")
    r = reasons_of(top_menu)
    assert r["THE VALLEY TIMES"] == r["News for the valley since 1901"] == "repeated-template"
    assert r["Mill reopens after flood repairs"] == "title"
    no_menu = "港灣日報網 Harbour Daily\n南濱港冷鏈物流園啟用\n發佈日期:2024-11-05 來源:港灣日報\n" + PARA + "\n"
    assert reasons_of(no_menu)["港灣日報網 Harbour Daily"] == "repeated-template"
    # headline above the menu: nothing title-like below it, so the headline is not taken for a masthead
    title_first = "Mill reopens after flood repairs\nHome > News\n" + PARA + "\n"
    assert reasons_of(title_first)["Mill reopens after flood repairs"] == "title"


def test_site_name_and_slogan_between_login_bar_and_menu_are_removed():
    page = ("Sign in | Register | Newsletters\nHARBOUR TRADE REVIEW\nShips. Sheds. Supply chains.\n"
            "NEWS  PORTS  SHIPPING  LOGISTICS  EVENTS\nPORTS / ASIA\nKeelung cold store opens as fruit exports climb\n"
            "Staff Reporter | May 2, 2024 | 3 min read\n" + PARA + "\n" + PARA2 + "\n")
    r = reasons_of(page)
    assert r["HARBOUR TRADE REVIEW"] == r["Ships. Sheds. Supply chains."] == "repeated-template"
    assert r["PORTS / ASIA"] == "navigation"
    assert r["Keelung cold store opens as fruit exports climb"] == "title"


def test_section_path_two_line_headline_and_name_with_motto_are_removed():
    page = ("港城快讯 — 每天五分钟，读懂一座城！\n首页 本地 财经 体育 视频 | 简体 繁體\n本地 > 交通\n"
            "港城跨海大桥今日通车\n沿线三座码头同步启用\n发布时间：2025-06-01 09:00　来源：港城快讯\n" + PARA + "\n")
    r = reasons_of(page)
    assert r["港城快讯 — 每天五分钟，读懂一座城！"] == "repeated-template"
    assert r["首页 本地 财经 体育 视频 | 简体 繁體"] == "navigation"
    assert r["港城跨海大桥今日通车"] == r["沿线三座码头同步启用"] == "title"
    short_path = ("Harbour Herald\nHome  News  Sport  Business  Opinion\nNews / Harbour\n"
                  "Ferry timetable changes from Monday\nBy Ann Lee\n" + PARA + "\n")
    assert reasons_of(short_path)["News / Harbour"] == "navigation"
    assert reasons_of(short_path)["Ferry timetable changes from Monday"] == "title"


def test_cue_matching_ignores_pinyin_glosses_in_either_parentheses():
    page = ("港城快訊 Harbour News\n首頁 本地 財經 體(tǐ)育 視頻（shì）\n" + PARA + "\n")
    assert reasons_of(page)["首頁 本地 財經 體(tǐ)育 視頻（shì）"] == "navigation"


def test_headline_above_an_oleh_byline_is_the_title():
    page = ("KABARKOTA.ID\nHOME | BERITA | EKONOMI\nHOME / EKONOMI\nPasar Ikan Baru Dibuka di Tepi Pelabuhan\n\n"
            "Oleh: Siti Rahma\nDiterbitkan: 03/09/2024 - 10:00 WIB\n\n"
            "Pemerintah kota membuka pasar ikan baru di tepi pelabuhan pada Senin pagi, disaksikan ratusan warga.\n")
    r = reasons_of(page)
    assert r["Pasar Ikan Baru Dibuka di Tepi Pelabuhan"] == "title"
    assert r["Oleh: Siti Rahma"] != "content"


def test_standfirst_restated_by_the_first_paragraph_is_removed():
    lead = "Harbour officials said the new cold store will double fruit exports within two years."
    body = ("KEELUNG - The new cold store at the harbour will double fruit exports within two years, "
            "harbour officials said on Monday, as the first shipments left for Manila.")
    page = ("Home > News\nCold store opens at Keelung harbour\n\n" + lead + "\n\nBy Ann Lee\n"
            "Published 09:00, 2 May 2024\n\n" + body + "\n\n" + PARA + "\n")
    r = reasons_of(page)
    assert r[lead] == "summary-duplicate" and r[body] == "content"
    # a first paragraph followed by one that is about something else stays
    other = "Fruit growers in the south have waited a decade for a modern cold store near the port."
    r = reasons_of(page.replace(lead, other))
    assert r[other] == "content"


def test_captions_glued_to_image_markers_are_removed():
    page = (CHROME_TOP + "\n[Photo: the new terminal]\nThe new terminal seen from the ferry pier on Monday\n\n"
            + PARA + "\n\nGudang Baru 2\nPekerja menata peti buah di gudang pendingin. Foto: Dok. Humas\n\n"
            + PARA2 + CHROME_BOTTOM)
    r = reasons_of(page)
    assert r["The new terminal seen from the ferry pier on Monday"] == "caption"
    assert r["Gudang Baru 2"] == "caption"
    assert r["Pekerja menata peti buah di gudang pendingin. Foto: Dok. Humas"] == "caption"
    assert r[PARA] == r[PARA2] == "content"
    # without blank lines, a paragraph right under an image marker is article text
    dense = CHROME_TOP + "[圖片]\n" + PARA + "\n" + PARA2 + CHROME_BOTTOM
    assert reasons_of(dense)[PARA] == "content"


def test_bulleted_teasers_after_a_header_or_at_the_page_end_are_removed():
    teasers = ["．花蓮港新碼頭啟用　貨櫃量看增三成...", "．台東鐵道觀光列車　暑假加開班次..."]
    page = CHROME_TOP + PARA + "\n" + PARA2 + "\n責任編輯:王五\n更多港灣日報新聞報導\n" + "\n".join(teasers) + "\n"
    r = reasons_of(page)
    assert all(r[t] == "related-list" for t in teasers) and r["更多港灣日報新聞報導"] == "related-list"
    tail = ["• Ferry fares to rise in July...", "• Harbour tunnel reopens after repairs"]
    r = reasons_of(CHROME_TOP + PARA + "\n" + PARA2 + "\nTags: Ports, Ferries\n" + "\n".join(tail) + "\n")
    assert all(r[t] == "related-list" for t in tail)
    # the article's own closing list, introduced by a colon, stays
    own = ["- Ferry fares rise in July...", "- Harbour tunnel reopens"]
    page = CHROME_TOP + PARA + "\nThe council also announced:\n" + "\n".join(own) + CHROME_BOTTOM
    assert all(reasons_of(page)[t] == "content" for t in own)


def test_advertisement_under_its_label_among_chrome_is_removed():
    ad = "Harbour Fitness - first month free, call 555 0142 today"
    page = CHROME_TOP + PARA + "\n" + PARA2 + "\nTags: Ports\nADVERTISEMENT\n" + ad + "\nRelated stories\n"
    assert reasons_of(page)[ad] == "advertisement"
    # an ad slot inside the article: the paragraph below the label stays
    inline = "Exports rose again in May, with fruit and seafood leading the growth at 12 percent"
    page = CHROME_TOP + PARA + "\nADVERTISEMENT\n" + inline + "\n" + PARA2 + CHROME_BOTTOM
    assert reasons_of(page)[inline] == "content"


def test_numbered_list_at_end_of_article_survives():
    items = ["1. 擴大海外倉布局;", "2. 引進跨境支付機構;", "3. 培育本土跨境電商品牌。"]
    page = CHROME_TOP + PARA + "\n片區管委會表示,下一步將重點做好三件事:\n" + "\n".join(items) + CHROME_BOTTOM
    kept = clean(page).text.split("\n")
    assert all(item in kept for item in items)


def test_event_advertisement_block_after_article_is_removed():
    ad = ["見證大國重器 共赴機械之約", "歡迎參觀2023長沙國際工程機械展覽會", "中國·長沙國際會展中心", "0731-84128866"]
    page = CHROME_TOP + PARA + "\n" + "\n".join(ad) + "\n"
    res = clean(page)
    assert res.text == PARA
    assert {l.reason for l in res.lines if l.text in ad} == {"contact"}


def test_summary_duplicate_traditional_vs_simplified_and_no_prefix():
    page = ("摘要：成渝中线高铁建成后成都至重庆最快50分钟可达...\n" "成渝中線高鐵建成後成都至重慶最快50分鐘可達。這條高鐵全長約292公里。\n"
            "Summary: The fair runs until Monday and expects 80,000 visitors\n"
            "The fair runs until Monday and expects 80,000 visitors, organizers said on Friday.\n"
            "Kota Chengdu meresmikan pusat riset kecerdasan buatan\n"
            "Kota Chengdu meresmikan pusat riset kecerdasan buatan yang fokus pada pertanian cerdas.\n")
    r = reasons_of(page)
    assert r["摘要：成渝中线高铁建成后成都至重庆最快50分钟可达..."] == "summary-duplicate"
    assert r["Summary: The fair runs until Monday and expects 80,000 visitors"] == "summary-duplicate"
    assert r["Kota Chengdu meresmikan pusat riset kecerdasan buatan"] == "summary-duplicate"
    assert sum(v == "content" for v in r.values()) == 3


def test_summary_without_a_repeat_is_kept():
    assert reasons_of("摘要:本文梳理了湖南十年来的工程机械出口数据\n" + PARA)["摘要:本文梳理了湖南十年来的工程机械出口数据"] == "content"


def test_related_list_stops_where_article_text_resumes():
    page = (PARA + "\nRelated\nInland ports race to win Southeast Asia trade\nHow a Hunan crane became a star...\n"
            "Background\nThe province first opened a river-sea route in 2010, and traffic has tripled since then.\n")
    r = reasons_of(page)
    assert r["Inland ports race to win Southeast Asia trade"] == "related-list"
    assert r["How a Hunan crane became a star..."] == "related-list"
    assert r["Background"] == "content"  # a short heading that introduces article text


def test_plain_text_without_chrome_loses_no_title():
    text = "Hunan exporters turn to rail\nRail freight from Changsha to Europe grew by a third this year, operators said."
    assert clean(text).text == text


# ---------------------------------------------------------------- the collection model

def _site_pages(n: int = 5) -> list[str]:
    head = "湘江在线 — 湖南新闻门户\n"
    foot = "\n本网站由湘江日报社主办\n"
    return [head + f"第{i}篇文章的标题不一样\n2023-01-0{i} 来源:某报\n" + PARA.replace("6.1", f"{i}.{i}")
            + "\n他说。\n" + f"这是第{i}篇文章独有的一段正文内容,讲述园区{_PARKS[i]}工程的进展情况。" + foot
            for i in range(1, n + 1)]


_PARKS = ["", "东区", "西区", "南区", "北区", "中心区", "高新区", "经开区"]


def test_model_learns_site_templates_and_keeps_recurring_article_lines():
    pages = _site_pages()
    model = BoilerplateModel.fit(pages)
    assert model.is_template("湘江在线 — 湖南新闻门户") and model.is_template("  本网站由湘江日报社主办 ")
    assert model.is_template("他说。")  # recurs on every page...
    r = reasons_of(pages[0], model)
    assert r["湘江在线 — 湖南新闻门户"] == "repeated-template"
    # the footer is also recognized without the model ("本网站" + "主办"), so its reason may be either
    assert r["本网站由湘江日报社主办"] in ("repeated-template", "disclaimer")
    assert r["他说。"] == "content"  # ...but sits between paragraphs, so it stays
    assert r[PARA.replace("6.1", "1.1")] == "content"


@pytest.mark.parametrize("said", ["他说。", "她說。", "she said.", "katanya.", "he added."])
def test_model_never_drops_attribution_lines_that_recur_across_the_collection(said):
    """A collection where most articles attribute a quote with the same short line: the model learns
    it as a template, and it must still stay wherever it sits in the article - between paragraphs,
    as the article's last line right above the credit, or right after a caption."""
    def para(i: int) -> str:
        return PARA.replace("6.1", f"{i}.{i}")

    def quote(i: int) -> str:
        return f"“今年第{i}期工程的进度比去年快很多。”"

    layouts = [
        lambda i: para(i) + "\n" + quote(i) + "\n" + said + "\n" + _unique(i),           # between paragraphs
        lambda i: para(i) + "\n" + _unique(i) + "\n" + quote(i) + "\n" + said,           # last line, above credit
        lambda i: para(i) + "\n" + quote(i) + "\n" + said + "\n[圖片]\n" + _unique(i),  # above an image
    ]
    pages = [CHROME_TOP + layouts[i % 3](i) + CHROME_BOTTOM for i in range(9)]
    model = BoilerplateModel.fit(pages)
    assert model.is_template(said) and model.is_template(CHROME_TOP.split("\n")[0])
    for i, page in enumerate(pages):
        res = clean(page, model)
        kept = res.text.split("\n")
        assert said in kept and para(i) in kept and quote(i) in kept, [(l.text, l.reason) for l in res.lines]


def _unique(i: int) -> str:
    return f"这是第{i}篇文章独有的一段正文内容,讲述园区{_PARKS[i % len(_PARKS)]}工程第{i}期的进展情况。"


def test_long_lines_differing_in_numbers_are_not_one_template():
    pages = [f"Exports from Changsha rose by {i} percent in the first quarter to {i * 7} billion yuan, officials said."
             for i in range(10)]
    assert not BoilerplateModel.fit(pages).is_template(pages[0])
    assert BoilerplateModel.fit([f"阅读:{i}" for i in range(10)]).is_template("阅读:12,345")


def test_model_keeps_syndicated_paragraphs():
    story = ["The same wire story appears on many sites and its paragraphs must all survive intact.",
             "A second paragraph of the wire story, repeated verbatim by every site that carried it."]
    pages = [f"Site {i} header\n" + "\n".join(story) + f"\nUnique closing paragraph number {i} for this page only." for i in range(6)]
    model = BoilerplateModel.fit(pages)
    assert model.is_template(story[0])
    for page in pages:
        assert all(s in clean(page, model).text for s in story)


def test_model_json_round_trip_and_validation():
    model = BoilerplateModel.fit(_site_pages(), min_docs=3, min_share=0.5)
    data = json.loads(json.dumps(model.to_dict()))
    again = BoilerplateModel.from_dict(data)
    assert again == model and len(again) == len(model) > 0
    assert again.is_template("本网站由湘江日报社主办")
    with pytest.raises(ValueError):
        BoilerplateModel.from_dict({"format": "other"})
    with pytest.raises(ValueError):
        BoilerplateModel.from_dict({**data, "version": 99})
    with pytest.raises(ValueError):
        BoilerplateModel.fit([], min_docs=0)
    with pytest.raises(ValueError):
        BoilerplateModel.fit([], min_share=2)
    with pytest.raises(TypeError):
        BoilerplateModel.fit("a single page")
    with pytest.raises(TypeError):
        BoilerplateModel.fit([b"bytes"])


def test_min_docs_and_min_share():
    pages = _site_pages(4)
    assert not BoilerplateModel.fit(pages, min_docs=5, pairs=False).is_template("本网站由湘江日报社主办")
    # below min_docs, pages that share a block of chrome but not their articles still teach it
    assert BoilerplateModel.fit(pages, min_docs=5).is_template("本网站由湘江日报社主办")
    assert BoilerplateModel.fit(pages + ["x"] * 100, min_docs=3, min_share=0.0).is_template("本网站由湘江日报社主办")
    crawl = pages + ["x"] * 100
    assert not BoilerplateModel.fit(crawl, min_docs=3, min_share=0.1, pairs=False).is_template("本网站由湘江日报社主办")
    assert BoilerplateModel.fit(crawl, min_docs=3, min_share=0.1).is_template("本网站由湘江日报社主办")


def test_two_pages_of_a_small_site_teach_its_chrome_but_a_repost_teaches_nothing():
    site = ["Kabar Gayo — Portal Berita Dataran Tinggi", "Beranda | Daerah | Ekonomi | Olahraga",
            "About the cooperative: founded in 1987, it buys coffee cherries from 900 member farmers.",
            "© 2024 Kabar Gayo. All rights reserved."]
    art = [[f"Article {a} paragraph {i}: the district council discussed item {a}{i} of the budget at length."
            for i in range(6)] for a in "AB"]
    pages = ["\n".join([site[0], site[1], *art[k], site[2], site[3]]) for k in range(2)]
    others = [f"Another site, page {i}\nOne unrelated paragraph number {i} stands here alone." for i in range(20)]
    model = BoilerplateModel.fit(pages + others)
    assert all(model.is_template(line) for line in site)
    assert not any(model.is_template(line) for line in art[0] + art[1])
    # the same article on two sites: most of its sentences shared, so nothing is learned from it
    repost = ["\n".join(["Site one header", *art[0], "Site one footer line", "Contact site one"]),
              "\n".join(["Site two header", *art[0], "Site two footer line", "Contact site two"])]
    model = BoilerplateModel.fit(repost + others)
    assert not any(model.is_template(line) for line in art[0])
    # two pages sharing fewer than three lines are not known to be one site
    model = BoilerplateModel.fit(["\n".join([site[0], *art[0], site[3]]), "\n".join([site[0], *art[1], site[3]])] + others)
    assert not model.is_template(site[0])


# ---------------------------------------------------------------- contract and garbage input

def test_types_and_empty_input():
    assert clean("") == Cleaned("", [], {})
    for bad in (None, b"bytes", 3, ["a"]):
        with pytest.raises(TypeError):
            clean(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        clean("text", model={"templates": []})  # type: ignore[arg-type]
    res = clean("\n \n\t\n")
    assert res.text == "" and [l.reason for l in res.lines] == ["empty"] * 4
    assert isinstance(res.lines[0], Line)


def test_every_reason_is_documented():
    seen = set()
    for text in (ZH_HANS, ZH_HANT, EN, ID, "\n".join(_site_pages()[0:1])):
        seen |= {l.reason for l in clean(text, BoilerplateModel.fit(_site_pages())).lines}
    assert seen <= set(REASONS)
    assert {"title", "summary-duplicate", "credit", "navigation", "byline", "caption", "contact",
            "disclaimer", "related-list", "advertisement", "repeated-template", "empty", "content"} == seen


def test_fifty_megabyte_single_line_is_linear():
    """One line of 50 million characters; a quarter of it costs a quarter of the work."""
    assert_linear(lambda k: "工程机械" * k, clean, 3_125_000)
    res = clean("工程机械" * 12_500_000)
    assert len(res.lines) == 1 and res.lines[0].kept and res.lines[0].end == 50_000_000


# Garbage makers: a size k -> text (k as in the examples: about a million characters)
_GARBAGE = {
    "controls": (lambda k: "\x00\x01\x02\x7f" * k, 500_000),
    "nul-lines": (lambda k: ("\x00" * 50 + "\n") * k, 20_000),
    "parens": (lambda k: "(" * k + "来源:" + " " * k, 1_000_000),
    "separators": (lambda k: "来源:" + " |" * k + "\n" + "Share: " + "Facebook " * (k // 5 * 2), 500_000),
    "slashes": (lambda k: "a/" * k + "\n" + "..." * k + "\n" + "摘要:" + "长沙" * k, 500_000),
    "pinyin": (lambda k: "调(diào)" * k, 300_000),
    "numbers": (lambda k: "0731-" * k + "\n" + "2023-05-12 " * (k // 2), 400_000),
    "surrogates": (lambda k: "\ud800\udfff 坏的代理对 \x85\u2028\u2029 mixed \r\n" * k, 20_000),
}


@pytest.mark.parametrize("name", sorted(_GARBAGE))
def test_garbage_input_is_bounded_and_consistent(name):
    """Full size: every line maps back to its text; 4x the input costs about 4x the work (counted,
    not timed: the machine may be busy)."""
    make, k = _GARBAGE[name]
    text = make(k)
    res = clean(text)
    for line in res.lines:
        assert text[line.start:line.end] == line.text
    assert_linear(make, clean, k // 16)


def test_many_short_lines_are_linear():
    assert_linear(lambda n: "\n".join(f"相关文章 {i}" if i % 7 == 0 else f"短行{i}..." for i in range(n)), clean, 5_000)


# ---------------------------------------------------------------- properties

_FRAGMENTS = [
    "来源:", "來源：", "摘要:", "Summary:", "相关文章", "Berita Terkait", "Baca Juga:", "Read more:",
    "Share:", "分享到:", "版权所有", "©", "2023-05-12", "10:30", "阅读:1,234", "3 min read", "Lama Baca 3 Menit",
    "电话:0731-84321000", "www.example.com", "-Image-1", "图片来源网络", "Advertisement", "Iklan", "他说。",
    "“我们有信心。”", "1. ", "(一)", "***", "...", "…", "工程机械产业集群", "長沙晚報(bào)", "(2021)",
    "Changsha excavator makers", "Kereta cepat Jakarta-Bandung", ",", "。", " ", "|", " > ", "\t", "\r",
    "首页", "Home", "Beranda", "责任编辑:", "By Li Wei", "(CCBD/Zhang Hao)", "\x00", "　",
]
_line = st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=8)), max_size=8).map("".join)
_page = st.lists(_line, max_size=25).map("\n".join)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_page)
def test_lines_cover_input_exactly_once(text):
    res = clean(text)
    raw = text.split("\n") if text else []
    assert len(res.lines) == len(raw)
    for line, source in zip(res.lines, raw):
        assert line.text == source.strip()
        assert text[line.start:line.end] == line.text
        assert line.reason in REASONS and line.kept == (line.reason == "content")
    assert res.text == "\n".join(line.text for line in res.lines if line.kept)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_page)
def test_cleaning_is_idempotent_on_kept_content(text):
    once = clean(text)
    twice = clean(once.text)
    assert twice.text == once.text, [(l.text, l.reason) for l in twice.lines if not l.kept]


def test_idempotent_with_model_on_corpus_pages():
    from corpus.pages import iter_pages

    pages = list(iter_pages())
    model = BoilerplateModel.fit(p.text for p in pages)
    for page in pages:
        once = clean(page.text, model)
        assert clean(once.text, model).text == once.text, page.name


NOTICE = (
    "首页 > 政务公开 > 通知公告\n"
    "关于做好2025年度农村公路养护工作的通知\n"
    "发布时间:2025-03-02 09:30 来源:县交通运输局\n"
    "各乡镇人民政府、县直有关单位:\n"
    "为进一步提升农村公路通行条件,现就做好2025年度农村公路养护工作通知如下,请各单位结合实际认真抓好落实。\n"
    "请各乡镇于每月5日前将上月养护情况报县交通运输局公路股,联系电话:0743-1234567。\n"
    "{body}\n"
    "{date}\n"
    "责任编辑:李明\n"
    "上一篇:县交通运输局召开安全生产会议\n"
)


@pytest.mark.parametrize("body,date", [("县交通运输局", "2025年3月1日"), ("县交通运输局", "二〇二五年三月一日"),
                                       ("縣交通運輸局", "民國114年3月1日")])
def test_signature_of_an_official_notice_is_kept(body, date):
    lines = clean(NOTICE.format(body=body, date=date)).lines
    by_text = {line.text: line for line in lines}
    assert by_text[body].kept and by_text[date].kept
    assert not by_text["责任编辑:李明"].kept and not by_text["发布时间:2025-03-02 09:30 来源:县交通运输局"].kept


def test_a_body_and_date_pair_not_under_a_paragraph_is_still_chrome():
    text = "首页 > 新闻\n县交通运输局\n2025年3月1日\n" + NOTICE.format(body="", date="").split("\n", 3)[3]
    lines = clean(text).lines
    assert [(line.kept, line.reason) for line in lines[1:3]] == [(False, "title"), (False, "byline")]


ID_LETTER = (
    "Beranda > Pengumuman\n"
    "Pengumuman Penutupan Sementara Jalan Pasar Lama\n"
    "Dalam rangka perbaikan saluran air, Jalan Pasar Lama ditutup sementara mulai 4 sampai 18 Maret 2024 "
    "dan kendaraan dialihkan melalui Jalan Kenanga.\n"
    "Demikian pengumuman ini disampaikan untuk diketahui bersama.\n"
    "Sungai Liat, 1 Maret 2024\n"
    "Kepala Dinas Pekerjaan Umum Kabupaten Bangka\n"
    "ttd.\n"
    "Ir. Rahmat Hidayat, M.T.\n"
    "\n"
    "Bagikan: Facebook | X | WhatsApp\n"
    "Hak cipta © 2024 Pemerintah Kabupaten Bangka\n"
)


def test_latin_letter_signature_is_kept():
    lines = {line.text: line for line in clean(ID_LETTER).lines}
    for text in ("Sungai Liat, 1 Maret 2024", "ttd.", "Ir. Rahmat Hidayat, M.T."):
        assert lines[text].kept, text
    assert lines["Kepala Dinas Pekerjaan Umum Kabupaten Bangka"].kept
    assert not lines["Bagikan: Facebook | X | WhatsApp"].kept


LIST_PAGE = (
    "Home > Business\n"
    "Copra exports recover after two dry years\n"
    "By Mele Tavita | 3 April 2024\n"
    "Copra shipments from the northern islands rose sharply in the first quarter after two years of "
    "drought cut harvests, the commodities board said on Tuesday.\n"
    "Shipments recorded by the board for the quarter:\n"
    "Copra: 2,310 tonnes\n"
    "Coconut oil: 640 tonnes\n"
    "Source: board export register\n"
    "The board expects prices to stay firm until the cyclone season ends in May, its chairman said.\n"
    "Reporting by Mele Tavita; editing by Sione Fifita\n"
    "Read more: Cyclone season forecast points to a quiet year\n"
)


def test_items_of_an_introduced_list_are_not_removed_by_per_line_cues():
    lines = {line.text: line for line in clean(LIST_PAGE).lines}
    assert lines["Copra: 2,310 tonnes"].kept and lines["Coconut oil: 640 tonnes"].kept
    assert not lines["Source: board export register"].kept  # a credit label, not an item
    assert not lines["Reporting by Mele Tavita; editing by Sione Fifita"].kept
    assert not lines["Read more: Cyclone season forecast points to a quiet year"].kept


CHROME_TOP_ZH_HANT = "首頁 > 地方 > 嘉義\n舊木料市集週末登場\n2024-05-05 08:00 記者王小明\n"
CHROME_BOTTOM_ZH_HANT = "分享到: LINE Facebook\n版權所有 © 2024 某某新聞網\n"


TABLE_PAGE = (
    "Beranda | Berita | Ekonomi | Olahraga\n"
    "Harga Sayur di Pasar Induk Turun Jelang Panen Raya\n"
    "Oleh Rina Marlina | 12 Juni 2024 | 2 menit baca\n"
    "Harga sejumlah komoditas sayur di pasar induk turun pekan ini karena pasokan dari sentra "
    "produksi di dataran tinggi mulai melimpah menjelang panen raya.\n"
    "Komoditas | Satuan | Minggu lalu | Minggu ini\n"
    "Tomat | kg | Rp14.000 | Rp11.500\n"
    "Wortel | kg | Rp9.000 | Rp8.000\n"
    "Buncis | kg | Rp12.000 | Rp12.000\n"
    "Pedagang memperkirakan harga masih akan turun hingga akhir bulan.\n"
    "Bagikan: Facebook | X | WhatsApp | Telegram\n"
)


def test_a_table_inside_the_article_is_kept_and_menus_are_not():
    lines = {line.text: line for line in clean(TABLE_PAGE).lines}
    for row in ("Komoditas | Satuan | Minggu lalu | Minggu ini", "Tomat | kg | Rp14.000 | Rp11.500",
                "Wortel | kg | Rp9.000 | Rp8.000", "Buncis | kg | Rp12.000 | Rp12.000"):
        assert lines[row].kept, row
    assert not lines["Beranda | Berita | Ekonomi | Olahraga"].kept
    assert not lines["Bagikan: Facebook | X | WhatsApp | Telegram"].kept


@pytest.mark.parametrize("paragraph,intro,items,after,removed", [
    # a schedule whose every item reads as a byline, article text after it
    ("市政府文化局表示,今年市集以舊木料再利用為主題,展出以老屋拆下的木料重新製作的家具與器物。", "市集活動時間如下:",
     ["週六 10:00 開幕與職人介紹", "週六 14:00 舊料刨修示範", "週日 16:00 職人座談"],
     "親子體驗課程每場限20組家庭,即日起開放線上報名,額滿為止。", "2024-05-05 08:00 記者王小明"),
    # a list ended by its own source line (a credit label: not an item, stays removed)
    ("院方表示,晚間門診求診人數持續增加,候診時間經常超過一小時,因此決定延長服務時間。", "新服務時間如下:",
     ["星期一至五:上午9時至晚上10時", "星期六:上午9時至下午1時", "星期日及公眾假期:休息"],
     "資料來源:某某醫院公共關係部", "資料來源:某某醫院公共關係部"),
])
def test_a_list_the_article_introduces_is_kept_whole(paragraph, intro, items, after, removed):
    text = CHROME_TOP_ZH_HANT + "\n".join([paragraph, intro, *items, after]) + "\n" + CHROME_BOTTOM_ZH_HANT
    lines = {line.text: line for line in clean(text).lines}
    for item in items:
        assert lines[item].kept, item
    assert not lines[removed].kept


@pytest.mark.parametrize("line", ["9月6日（六）亲子共读：月亮上的兔子", "9月13日：社区篮球友谊赛", "10月2日 星期三 非遗剪纸体验课",
                                  "10月9日（三）老人手机课堂开班"])
def test_a_schedule_item_is_not_a_byline(line):
    """A yearless month-day followed by what happens is an item of a schedule in the article; a
    byline's date comes with a year, a time, a counter or a source / author word."""
    from searchlib.analysis.boilerplate import cues, dates, rules

    assert dates.is_event_listing(line)
    assert rules.classify(line, cues.units(line), line) is None


@pytest.mark.parametrize("line", ["9月6日 新华社", "9月6日 10:30 来源：县融媒体中心", "9月6日 本报记者 李明",
                                  "2024年9月6日 星期五", "9月6日 星期五 农历八月初四", "9月6日 阅读 1200"])
def test_bylines_and_date_headers_are_not_schedule_items(line):
    from searchlib.analysis.boilerplate import dates

    assert not dates.is_event_listing(line)


def test_a_schedule_above_an_image_inside_the_article_survives():
    items = ["9月6日（六）亲子共读：月亮上的兔子", "9月13日（六）手工灯笼制作", "9月20日（六）小小讲解员体验",
             "9月27日（六）阅读之星颁奖"]
    text = ("首页 > 新闻动态 > 正文\n社区书屋秋季读书会开始报名\n发布时间：2024-08-30 浏览次数：316\n\n"
            "为丰富辖区少年儿童的课余生活，社区书屋今年秋季推出系列读书活动，面向辖区小学生开放报名。\n"
            "活动安排\n" + "\n".join(items) + "\n[图片]\n图为去年读书会现场。\n"
            "每场活动限额25人，报名请到社区服务中心一楼登记，额满即止。\n\n责任编辑：王芳\n版权所有 © 2024 某某社区\n")
    kept = clean(text).text.split("\n")
    assert all(item in kept for item in items)
    assert "责任编辑：王芳" not in kept and "[图片]" not in kept


_EN_TOP = "Home | News | Sport | Contact\nRiverside hall reopens after two-year repair\nBy Tom Hale | Posted May 2, 2024\n"
_EN_FOOT = "\nShare: Facebook | X | Email\nCopyright © 2024 Valley Gazette. All rights reserved.\n"


@pytest.mark.parametrize("items", [
    ["Friday, May 10, 7.30pm - Opening concert: the town brass band",
     "Saturday, May 11, 10am and 2pm - Craft fair in the main hall",
     "Sunday, May 12, 11am - Free open day and building tours"],
    ["Monday 13 May – 9:00 a.m.: Riverside Primary School", "Tuesday 14 May – 1:30 p.m.: Hill Road Community Centre"],
    ["Sabtu, 11 Mei 2024", "08.00 WIB – Senam pagi bersama warga", "10.30 WIB – Lomba mewarnai untuk anak",
     "Minggu, 12 Mei 2024", "07.00 WIB – Jalan sehat keliling kampung"],
])
def test_a_schedule_inside_the_article_survives(items):
    """A run of date / time lines each followed by what happens, inside the article, is its text:
    bylines come alone, not in runs."""
    text = (_EN_TOP + "The hall on Mill Street reopens next week after a two-year repair paid for by residents "
            "and the county council, the trustees said on Thursday.\nOpening week\n" + "\n".join(items)
            + "\nTickets for the concert are on sale at the library and online, and the tours need no booking.\n"
            + _EN_FOOT)
    kept = clean(text).text.split("\n")
    assert all(item in kept for item in items)
    assert "By Tom Hale | Posted May 2, 2024" not in kept


@pytest.mark.parametrize("line", ["Posted Tuesday 14 May – 9:00 a.m.", "By Tom Hale | May 2, 2024 7:30pm",
                                  "Updated: 5:30 PM", "Kamis, 24 Oktober 2024 - 10:15 WIB | Editor: Rina"])
def test_bylines_are_not_schedule_items(line):
    from searchlib.analysis.boilerplate import cues, dates

    assert dates.schedule_shape(cues.fold_heads([line])[0]) != "item"


def test_an_roc_dated_byline_with_a_view_count_is_a_byline_and_confirms_the_headline():
    text = ("嘉南縣政府全球資訊網\n首頁 > 新聞稿\n字級：小 中 大\n"
            "鄉立運動公園啟用　週末起開放夜間照明\n全長一點二公里步道串起三個社區\n"
            "發布日期：113-05-06　發布單位：工務處　點閱次數：88\n"
            "縣府投入經費興建的鄉立運動公園今天正式啟用，園區設有環狀步道、籃球場及兒童遊戲區，週末起開放夜間照明至晚間十時。\n"
            "工務處表示，園區步道全長一點二公里，串起周邊三個社區，方便居民運動散步。\n"
            "\n回上一頁　友善列印\n")
    cleaned = clean(text)
    assert cleaned.metadata["title"] == "鄉立運動公園啟用 週末起開放夜間照明"
    assert cleaned.metadata.get("date") == "2024-05-06"
    reasons = {line.text: line.reason for line in cleaned.lines}
    assert reasons["發布日期：113-05-06　發布單位：工務處　點閱次數：88"] == "byline"



def test_a_one_line_signature_under_the_last_sentence_is_kept():
    text = ("首页 > 通知公告\n关于开展秋季老年人健康体检的通知\n发布时间：2024-09-02 来源：镇卫生院 浏览次数：56\n"
            "各村（社区）：\n为做好辖区老年人健康管理工作，镇卫生院将于9月中旬开展秋季健康体检，请符合条件的老年人按时参加。\n"
            "如有疑问，请拨打卫生院公卫科电话咨询。\n"
            "溪口镇社区卫生服务中心　2024年9月2日\n"
            "编辑：王丽\n")
    kept = clean(text).text.split("\n")
    assert "溪口镇社区卫生服务中心　2024年9月2日" in kept and "编辑：王丽" not in kept


def test_skip_link_anchors_are_navigation():
    from searchlib.analysis.boilerplate import cues, rules

    for line in (":::", ":::C", "::: "):
        f = cues.fold_heads([line])[0]
        assert rules.classify(f, cues.units(f), line) == "navigation"


def test_a_line_ending_in_a_source_label_does_not_introduce_a_list():
    """``...他说。来源:`` names its source on the next line; the lines under it are not items of an
    article list to restore (found by the idempotency property: restoring them made cleaning
    cleaned text drop them)."""
    text = "相关文章来源:来源:来源:来源:来源:来源:\n他说。来源:\n10:30\n0来源:版权所有\n来源:"
    once = clean(text)
    assert clean(once.text).text == once.text


def test_a_requirements_list_and_a_label_then_date_schedule_inside_the_article_survive():
    reqs = ["Berdomisili di Kota Pontianak dibuktikan dengan KTP", "Berusia paling rendah 18 tahun",
            "Memiliki usaha kuliner yang sudah berjalan", "Bersedia mengikuti pelatihan sampai selesai"]
    dates_ = ["Pendaftaran daring: 3–14 Juni 2024", "Seleksi berkas: 17 Juni 2024 – 21 Juni 2024",
              "Pengumuman peserta: 25 Juni 2024"]
    text = ("Beranda | Berita | Pengumuman | Kontak\nPelatihan Wirausaha Kuliner Dibuka untuk 100 Peserta\n"
            "Diposting oleh Admin | Senin, 27 Mei 2024 | Dibaca 1.204 kali\n\n"
            "PONTIANAK – Dinas Koperasi membuka pendaftaran pelatihan wirausaha kuliner bagi 100 warga yang "
            "ingin mengembangkan usaha makanan rumahan.\nPersyaratan\n" + "\n".join(reqs) + "\nJadwal\n"
            + "\n".join(dates_) + "\nPendaftaran tidak dipungut biaya apa pun dan dilakukan melalui laman resmi "
            "dinas, sedangkan pertanyaan dapat disampaikan langsung ke kantor dinas pada hari kerja.\n"
            "Bagikan: Facebook | X | WhatsApp\nHak Cipta © 2024 Dinas Koperasi\n")
    kept = clean(text).text.split("\n")
    assert all(line in kept for line in reqs + dates_)
    assert "Diposting oleh Admin | Senin, 27 Mei 2024 | Dibaca 1.204 kali" not in kept



@pytest.mark.parametrize("line,reason", [
    ("按日期查阅新闻公报：[年]　[月]　[日]　查阅", "navigation"),
    ("1. 2024年秋季入学申请表.docx", "navigation"),
    ("Lampiran: Jadwal_Vaksinasi_2024.pdf", "navigation"),
    ("附件下载：", "navigation"),
    ("（完）", "navigation"),
    ("Maya Lindqvist mlindqvist@riverside-courier.com", "credit"),
    ("This article originally appeared on The Riverside Courier: Library hours extended", "credit"),
    ("新建的社区食堂一角。某某街道办事处供图", "caption"),
    ("志愿者在公园清理落叶。（区园林局提供）", "caption"),
    ("如本新闻稿的中文及英文版本有任何歧异，概以英文版本为准。", "disclaimer"),
])
def test_chrome_cues(line, reason):
    from searchlib.analysis.boilerplate import cues, rules

    f = cues.fold_heads([line])[0]
    assert rules.classify(f, cues.units(f), line) == reason


@pytest.mark.parametrize("line", [
    "请在7月15日前提交申请，申请表请命名为姓名.docx。",
    "他说，这张照片是记者在现场拍摄的。",
    "记者走访了现场。这张照片由居民自己拍摄",
    "Correction: An earlier version of this story misstated the number of families helped.",
    "调查显示，今年的工程完成率已经达到九成。",
])
def test_article_lines_like_those_cues_stay(line):
    from searchlib.analysis.boilerplate import cues, rules

    f = cues.fold_heads([line])[0]
    assert rules.classify(f, cues.units(f), line) is None


def test_blocks_named_by_their_header():
    text = ("首页 > 新闻 > 正文\n城郊公园新增三条健身步道\n2024-05-06 09:30 来源：区融媒体中心 阅读 356\n"
            "要点\n• 三条步道总长4.2公里\n• 沿途设有饮水点和休息亭\n"
            "区园林局今天介绍，城郊公园新增的三条健身步道已全部完工，总长4.2公里，沿途设置了饮水点、休息亭和指示牌，方便市民锻炼。\n"
            "园林局工作人员表示，步道夜间照明将开放至晚上十点，市民可通过热线12345反映使用中的问题。\n"
            "关于作者\n王晓，区融媒体中心记者，长期关注城市公园与公共空间。\n"
            "热门评论\n晨跑的老李：终于有地方跑步了！\n小区张阿姨 回复 晨跑的老李：晚上也很亮堂\n"
            "版权所有 © 2024 区融媒体中心\n")
    lines = {line.text: line for line in clean(text).lines}
    assert lines["• 三条步道总长4.2公里"].reason == "summary-duplicate"
    assert lines["王晓，区融媒体中心记者，长期关注城市公园与公共空间。"].reason == "credit"
    assert lines["晨跑的老李：终于有地方跑步了！"].reason == "navigation"
    assert lines["小区张阿姨 回复 晨跑的老李：晚上也很亮堂"].reason == "navigation"
    assert lines["园林局工作人员表示，步道夜间照明将开放至晚上十点，市民可通过热线12345反映使用中的问题。"].kept


@pytest.mark.parametrize("items", [
    ["21:05 接到群众报警", "21:30 民警赶到河堤入口", "22:10 在芦苇丛旁找到走失儿童"],
    ["首班：6:30 城东客运站发车", "上午：9:10、11:00", "末班：17:40 县城公交总站返程"],
    ["日期：9月3日至11月26日，逢星期二", "時間：晚上7時至8時30分"],
])
def test_timelines_and_timetables_inside_the_article_survive(items):
    text = ("首页 > 本地新闻 > 正文\n县城新开通两条城乡公交线路\n2024-08-20 09:10 来源：县融媒体中心 浏览：521\n"
            "县交通运输局今天宣布，两条连接偏远村镇与县城的公交线路正式开通，沿线三千多名村民出行将更加方便。\n"
            "运行安排\n" + "\n".join(items) + "\n"
            "交通运输局提醒，线路开通首月实行免费乘车，村民可持身份证直接上车，有疑问可致电客运站咨询。\n"
            "责任编辑：李明\n版权所有 © 2024 县融媒体中心\n")
    kept = clean(text).text.split("\n")
    assert all(item in kept for item in items)
    assert "责任编辑：李明" not in kept


def test_a_dateline_alone_and_a_quote_attribution_stay():
    text = ("Home | News | Sindh | Business\nCity extends water rationing after main line bursts\n"
            "Published June 11, 2024 | Updated 11:42pm\nShare on Facebook | Share on X\n"
            "KARACHI:\nThe water board has extended rotational supply in three districts after a main line burst "
            "late on Sunday, leaving thousands of households without piped water for a second day.\n"
            "\"We are working around the clock to restore supply to every block.\"\n"
            "— Chief engineer Farah Qureshi, speaking at the site\n"
            "Officials said repairs would take at least five days because a whole section of pipe must be replaced.\n"
            "Copyright © 2024 The Daily Record\n")
    kept = clean(text).text.split("\n")
    assert "KARACHI:" in kept and "— Chief engineer Farah Qureshi, speaking at the site" in kept
    assert "Published June 11, 2024 | Updated 11:42pm" not in kept


@pytest.mark.parametrize("text,title", [
    # an issue label set apart above the headline
    (("長者互助協會\n關於我們｜活動報名｜會訊｜聯絡我們\n首頁 > 會訊 > 第12期 > 專題\n《互助》第12期（2024年春季號）\n\n"
      "屋邨長者學用手機　義工上門教視像通話\n撰文：何志明｜2024年3月8日｜瀏覽次數：120\n"
      "本會今年初推出「手機伴我行」計劃，由中學生義工到屋邨長者家中，教他們用手機與家人視像通話。\n"
      "參加計劃的長者大多獨居，子女在外地工作，過往只能靠電話聯絡。\n"),
     "屋邨長者學用手機 義工上門教視像通話"),
    # a section label above the date line
    (("English | 繁體 | 简体\n某某大學 Some University\n首頁 > 傳媒中心 > 新聞稿\n\n新聞稿\n2024年5月3日\n"
      "某某大學研究：城市熱島令夜間氣溫上升兩度\n"
      "某某大學地理系一項研究發現，市區夜間氣溫較郊區平均高出兩度，人口密集的舊區尤其明顯。\n"
      "研究團隊建議政府在舊區增加綠化及通風廊，以紓緩熱島效應。\n傳媒查詢：陳小姐（電話：2345 6789）\n"),
     "某某大學研究：城市熱島令夜間氣溫上升兩度"),
    # a banner set apart above the headline
    (("Website Resmi Pemerintah Kabupaten Contoh\nBeranda | Profil | Berita | Kontak\nBeranda / Berita\n"
      "Ayo Sukseskan Gerakan Bersih Sungai! Jaga Lingkungan Kita\n\n"
      "Dinas Lingkungan Hidup Bersihkan Sungai Kapuas Sepanjang Lima Kilometer\n"
      "Diposting oleh Admin | Senin, 12 Agustus 2024 | Dilihat 804 kali\n"
      "Putussibau – Dinas Lingkungan Hidup bersama warga membersihkan sampah di sepanjang lima kilometer "
      "bantaran Sungai Kapuas pada Minggu pagi.\n"
      "Kegiatan ini diikuti lebih dari dua ratus relawan dari berbagai kelurahan dan sekolah.\n"),
     "Dinas Lingkungan Hidup Bersihkan Sungai Kapuas Sepanjang Lima Kilometer"),
])
def test_the_headline_not_a_label_or_banner_near_it(text, title):
    """Issue labels ("《互助》第12期"), section labels ("新聞稿") and banners ("Ayo ...! ...") near the
    headline are not its first line, nor the headline itself."""
    assert clean(text).metadata["title"] == title
