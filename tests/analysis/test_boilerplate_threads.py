"""Boilerplate filter: comment threads, ads in the article's ad slots, blog footers, newsroom calls
for stories, key-points labels and repeated datelines (invented pages)."""
from __future__ import annotations

from searchlib.analysis.boilerplate import BoilerplateModel, clean, rules_page, structure


def _kept(text: str, model: BoilerplateModel | None = None) -> dict[str, bool]:
    return {line.text: line.kept for line in clean(text, model).lines if line.text}


ARTICLE_EN = [
    "Harbour Ferry Timetable Changes From Monday",
    "The harbour ferry will leave fifteen minutes earlier on weekdays from Monday, the operator said on Friday.",
    "The change follows a survey of commuters who asked for an earlier arrival at the central wharf.",
    "Weekend sailings stay as they are until the summer timetable starts in December.",
]


def test_a_thread_of_comments_with_their_headers_and_reply_links_goes() -> None:
    chrome = ["Share This", "Facebook | X | WhatsApp | Email", "", "3 Comments",
              "Marlon T. on March 3, 2025 at 8:05 am", "Finally, the early boat I needed.", "Reply",
              "Desiree P. on March 3, 2025 at 9:40 am", "Hope they add a late one too.", "Reply",
              "ferrycommuter · 2h ago", "Same here, the 5pm is always full.",
              "Views expressed in the comments are those of the commenters and not of this site.",
              "Submit a Comment", "Save my name, email, and website in this browser for the next time I comment."]
    kept = _kept("\n".join(ARTICLE_EN + chrome))
    assert all(kept[t] for t in ARTICLE_EN[1:])
    assert not any(kept[t] for t in chrome if t)


def test_a_blog_thread_and_footer_in_indonesian_go() -> None:
    article = ["Petani Kopi Minta Harga Dasar",
               "Para petani kopi di lereng gunung meminta pemerintah daerah menetapkan harga dasar biji kopi.",
               "Mereka mengeluh harga di tingkat pengepul turun hampir separuh sejak bulan lalu.",
               "Pemerintah daerah berjanji membahas usulan itu dalam rapat bulan depan."]
    chrome = ["(rdk)", "*Penulis adalah petani kopi dan ketua kelompok tani di desa itu.",
              "Isi tulisan sepenuhnya menjadi tanggung jawab penulis dan tidak mewakili sikap redaksi.",
              "Diposting oleh Redaksi Warta di 20.15",
              "Bagikan ke Facebook | Bagikan ke X | Kirimkan Ini lewat Email | BlogThis!", "",
              "2 komentar:", "Maria Goreti 4 Maret 2025 pukul 10.12", "Betul sekali, harga sekarang tidak masuk akal.",
              "Balas", "Anonim 4 Maret 2025 pukul 11.30", "Semoga rapatnya tidak ditunda lagi.", "Balas",
              "Posting Komentar"]
    kept = _kept("\n".join(article + chrome))
    assert all(kept[t] for t in article[1:])
    assert not any(kept[t] for t in chrome if t)


def test_the_ad_in_an_ad_slot_goes_and_the_article_after_it_stays() -> None:
    article = ["Bakery Wins Regional Award",
               "A family bakery in the old town won the regional bread award on Saturday, its owner said.",
               "Advertisement",
               "Harbourside Plumbing — Burst pipe? Call us any time on (555) 010-2233.",
               "The bakery has been run by the same family for three generations.",
               "Advertisement",
               "Police urge anyone who saw the break-in to call the station on 555-0101.",
               "廣告",
               "山城茶禮盒 冬茶上市 買三送一｜訂購專線 049-255-1234",
               "茶農表示，今年冬茶產量比去年增加兩成，品質也更穩定。"]
    kept = _kept("\n".join(article))
    assert not kept["Harbourside Plumbing — Burst pipe? Call us any time on (555) 010-2233."]
    assert not kept["山城茶禮盒 冬茶上市 買三送一｜訂購專線 049-255-1234"]
    for line in (article[1], article[4], article[6], article[9]):
        assert kept[line], line


def test_the_newsrooms_call_for_stories_goes_a_public_hotline_in_a_sentence_stays() -> None:
    text = "\n".join([
        "河堤步道夜间照明启用",
        "市城管局表示，河堤步道新装的120盏路灯已于本周一起全部启用，夜间散步的市民明显增多。",
        "附近居民说，以前天黑后不敢走这段路，现在亮堂多了。",
        "市民如发现路灯损坏，可拨打12345热线反映。",
        "身边有新鲜事？欢迎拨打本报新闻热线0731-8888 1234，或添加微信告诉我们。",
        "讀者如有相關經歷，歡迎電郵 tips@example.com 與本報記者聯絡。",
    ])
    kept = _kept(text)
    assert kept["市民如发现路灯损坏，可拨打12345热线反映。"]
    assert not kept["身边有新鲜事？欢迎拨打本报新闻热线0731-8888 1234，或添加微信告诉我们。"]
    assert not kept["讀者如有相關經歷，歡迎電郵 tips@example.com 與本報記者聯絡。"]


def test_a_key_points_label_alone_goes_with_its_bullets() -> None:
    text = "\n".join([
        "花蓮假日公車新路線上路",
        "記者王小明／花蓮報導",
        "重點：",
        "‧ 每週六、日行駛",
        "‧ 全票三十元",
        "花蓮縣政府表示，假日觀光公車新路線將串聯火車站與海岸景點，試辦三個月後檢討。",
        "縣府指出，若搭乘人次穩定，將考慮延長行駛時間並增加班次。",
    ])
    kept = _kept(text)
    assert not kept["重點："] and not kept["‧ 每週六、日行駛"]
    assert kept["縣府指出，若搭乘人次穩定，將考慮延長行駛時間並增加班次。"]


def test_a_dateline_that_repeats_on_every_page_of_the_site_stays() -> None:
    def page(headline: str, body: list[str]) -> str:
        return "\n".join(["KPRX Radio News", "Home | News | Sports | Weather", headline,
                          "Share on Facebook | Share on X", "", "MILL CREEK, ORE. —", *body,
                          "© 2025 KPRX Radio. All rights reserved."])
    first = page("Bridge closure extended", [
        "The county said the old bridge on Route 9 will stay closed for two more weeks while crews replace the deck.",
        "Drivers should use the Elm Street detour, which adds about ten minutes to the trip."])
    second = page("Library opens on Sundays", [
        "The public library will open on Sunday afternoons starting next month, the board decided on Tuesday.",
        "The change is paid for by a grant from a local foundation for the next two years."])
    model = BoilerplateModel.fit([first, second, page("Council meets", ["The council meets on Monday."])])
    for text in (first, second):
        assert _kept(text, model)["MILL CREEK, ORE. —"]


def test_a_notices_greeting_fields_and_signatory_are_its_text() -> None:
    text = "\n".join([
        "Pengumuman Jadwal Ujian Semester",
        "Diposting oleh Admin | 2 Juli 2024",
        "Salam sejahtera,",
        "Diberitahukan kepada seluruh siswa kelas XI bahwa ujian semester dilaksanakan minggu depan di kelas masing-masing.",
        "Siswa wajib hadir tepat waktu dengan seragam lengkap serta membawa kartu ujian dari wali kelas.",
        "Demikian pengumuman ini kami sampaikan. Atas perhatiannya diucapkan terima kasih.",
        "Kupang, 2 Juli 2024",
        "Kepala Sekolah, Drs. Yohanes Bere",
        "",
        "Lampiran: jadwal.pdf",
    ])
    kept = _kept(text)
    for line in ("Salam sejahtera,", "Kupang, 2 Juli 2024", "Kepala Sekolah, Drs. Yohanes Bere"):
        assert kept[line], line
    assert not kept["Diposting oleh Admin | 2 Juli 2024"]


def test_a_date_field_between_paragraphs_is_a_fact_of_the_article() -> None:
    text = "\n".join([
        "夏季特展七月開幕",
        "2024-06-20 10:00　瀏覽數 1,234",
        "本館將於7月2日推出夏季特展，展出多件漁村生活文物，歡迎市民參觀。",
        "策展人表示，不少展品由街坊捐出，希望讓年輕一代認識昔日生活。",
        "展期：2024年7月2日至12月31日",
        "[圖片]",
        "展覽分為三個部分，分別介紹漁船、漁具和水上人家的婚嫁習俗，並設有互動區。",
        "館方表示，暑假期間將增設導賞場次，詳情可留意本館網站公佈。",
    ])
    kept = _kept(text)
    assert kept["展期：2024年7月2日至12月31日"]
    assert not kept["2024-06-20 10:00　瀏覽數 1,234"]


def test_a_dateline_naming_its_country_stays() -> None:
    text = "\n".join([
        "Valley News | Home | Farming | Business",
        "Mango farmers count losses as fruit flies return",
        "By Jane Wanjiru · March 3, 2025",
        "Share on Facebook | Share on X",
        "KITALE, Kenya —",
        "Hundreds of mango farmers in the valley say fruit flies have destroyed up to half of this season's crop.",
        "The county agriculture office said it would distribute traps to cooperatives from next week.",
    ])
    assert _kept(text)["KITALE, Kenya —"]


def test_press_release_credits_downloads_and_notes_go_the_article_stays() -> None:
    article = ["Boil Water Notice Lifted for Two Suburbs",
               "The council lifted the boil water notice for both suburbs on Thursday after three clean test results.",
               "Residents should run their cold taps for two minutes before drinking the water again."]
    chrome = ["Issued by: Communications Team, District Council",
              "Download: Water test results, 12 March 2025 (PDF, 1,2 MB)",
              "Catatan: Artikel ini hanya untuk edukasi dan tidak menggantikan saran dokter.",
              "Punya video kejadian di sekitar Anda? Kirim ke redaksi melalui WhatsApp 0812-1111-2222.",
              "Tulis komentar Anda di sini...",
              "本新聞稿內容以中文版本為準，葡文版本僅供參考。"]
    kept = _kept("\n".join(article + chrome))
    assert all(kept[t] for t in article[1:])
    assert not any(kept[t] for t in chrome)


def _restored(text: str, taken: dict[str, str], step) -> dict[str, str | None]:  # type: ignore[no-untyped-def]
    """The reasons after one structure step, given lines a cue or the line model took."""
    page = rules_page(text)
    for i, line in enumerate(page.texts):
        if line in taken:
            page.reasons[i] = taken[line]
    step(page)
    return {line: page.reasons[i] for i, line in enumerate(page.texts) if line}


def test_an_official_notices_heading_and_number_stay_when_the_template_took_them() -> None:
    text = "\n".join(["Pengumuman Gangguan Distribusi Air", "Dipublikasikan: Senin, 2 September 2024 08:15 WIB", "",
                      "PENGUMUMAN", "Nomor: 012/PENG/IX/2024",
                      "Diberitahukan kepada seluruh pelanggan bahwa distribusi air akan terganggu karena perbaikan pipa utama."])
    got = _restored(text, {"PENGUMUMAN": "repeated-template", "Nomor: 012/PENG/IX/2024": "repeated-template"},
                    structure.keep_datelines_and_attributions)
    assert got["PENGUMUMAN"] is None and got["Nomor: 012/PENG/IX/2024"] is None


def test_event_fields_and_a_roc_dated_signature_stay() -> None:
    text = "\n".join([
        "颱風農損救助即日起受理申請",
        "發布日期：2024-07-29　瀏覽數 321",
        "受颱風影響，本會即日起協助農友辦理農業災害救助申請，請農友把握期限。",
        "申請人須檢附身分證、印章及存摺影本，並於受理期間內至本會推廣股辦理。",
        "活動詳情",
        "日期：2024年9月7日（星期六）",
        "時間：上午10時至下午1時",
        "推廣股提醒，申請後將由鄉公所會同本會派員實地勘查，請勿先行清除受損作物。",
        "某某鄉農會推廣股　敬啟",
        "中華民國113年7月29日",
    ])
    kept = _kept(text)
    for line in ("日期：2024年9月7日（星期六）", "某某鄉農會推廣股　敬啟", "中華民國113年7月29日"):
        assert kept[line], line
    assert not kept["發布日期：2024-07-29　瀏覽數 321"]


def test_a_price_list_of_label_value_lines_stays_when_taken_as_links() -> None:
    text = "\n".join([
        "Tiket Laga Kandang Dijual Mulai Rabu",
        "Panitia pelaksana mulai menjual tiket laga kandang pekan ini di loket stadion dan secara daring.",
        "Harga tiket:",
        "Tribun VIP: Rp50.000",
        "Pelajar (wajib menunjukkan kartu pelajar): Rp15.000",
        "Penjualan di loket: Rabu–Jumat, pukul 09.00–16.00 WITA",
        "Panitia meminta suporter membeli tiket resmi dan tidak tergiur calo di sekitar stadion.",
    ])
    taken = {"Pelajar (wajib menunjukkan kartu pelajar): Rp15.000": "related-list",
             "Penjualan di loket: Rabu–Jumat, pukul 09.00–16.00 WITA": "related-list"}
    got = _restored(text, taken, structure.keep_fields_inside_text)
    assert all(got[line] is None for line in taken)


def test_app_pitches_notices_and_inline_comments_go() -> None:
    article = ["Persikayu Menang di Laga Kandang",
               "Persikayu menang 2-1 atas tim tamu dalam laga kandang yang disaksikan ribuan suporter di stadion.",
               "Pelatih mengatakan timnya bermain disiplin sepanjang pertandingan meski sempat tertinggal."]
    chrome = ["Unduh aplikasi Klub Mobile di Play Store – skor langsung, berita, dan kartu anggota.",
              "PROMO AKHIR TAHUN! Diskon tiket musiman 30% hingga Desember. Info: (0711) 555-1234.",
              "【手机银行】扫码下载本行手机银行APP，新客户首次绑卡立享话费红包",
              "温馨提示：本文内容仅供健康科普参考，不能替代医生面诊。",
              "风险提示：理财非存款，产品有风险，投资须谨慎。",
              "The views expressed in letters are those of the writers and not of this newspaper.",
              "The district does not discriminate in any programs or activities on the basis of sex or race.",
              "", "2 komentar",
              "Budi S. – 3 Maret 2025 pukul 19.12: Semoga menang lagi minggu depan!",
              "Komentar yang tampil menjadi tanggung jawab sepenuhnya pengirim.",
              "Recent News", "Kindergarten registration opens Feb. 3", "Board recognizes staff of the year"]
    kept = _kept("\n".join(article + chrome))
    assert all(kept[t] for t in article[1:])
    assert not [t for t in chrome if t and kept[t]]


def test_tables_between_wide_spaces_or_bars_with_a_header_row_stay() -> None:
    text = "\n".join([
        "县局开展校园食品安全检查",
        "本次检查共出动执法人员60人次，检查各类主体98家，具体情况如下：",
        "检查类别\u3000检查户数\u3000发现问题",
        "学校食堂\u300030\u30009",
        "校外供餐单位\u30005\u30002",
        "“对发现的问题，我们逐户建立台账，月底前组织复查。”执法人员说。",
        "項目｜舊制｜新制",
        "床位分配｜先到先得｜抽籤",
        "申請時間｜入園前60日｜入園前30日",
        "管理處提醒，未經申請擅自進入者將依法處以罰鍰。",
    ])
    rows = ["检查类别\u3000检查户数\u3000发现问题", "学校食堂\u300030\u30009", "校外供餐单位\u30005\u30002",
            "項目｜舊制｜新制", "床位分配｜先到先得｜抽籤"]
    got = _restored(text, dict.fromkeys(rows, "navigation"), structure.keep_tables)
    assert all(got[row] is None for row in rows)


def test_an_events_venue_and_tickets_and_a_signature_under_an_attachment_stay() -> None:
    text = "\n".join([
        "盐业历史文物展开幕",
        "展览分为四个单元，展出文物一百二十余件，其中三十件为首次公开展出。",
        "“我们希望观众看到一粒盐背后的生产史。”策展人说。",
        "展期：2024年5月18日—11月30日",
        "地点：本院三号展厅（二层）",
        "门票：免费，需提前实名预约",
        "媒体联络：院办公室 0359-2058 601",
    ])
    fields = {"展期：2024年5月18日—11月30日": "byline", "地点：本院三号展厅（二层）": "contact",
              "门票：免费，需提前实名预约": "contact", "媒体联络：院办公室 0359-2058 601": "contact"}
    got = _restored(text, fields, structure.keep_fields_inside_text)
    assert got["展期：2024年5月18日—11月30日"] is None and got["地点：本院三号展厅（二层）"] is None
    assert got["门票：免费，需提前实名预约"] is None and got["媒体联络：院办公室 0359-2058 601"] == "contact"
    notice = "\n".join([
        "关于第二批食品安全监督抽检信息的通告",
        "现将本局组织的第二批食品安全监督抽检结果予以公布，共抽检食品120批次，合格118批次。",
        "消费者如发现不合格食品仍在销售，请拨打12315投诉举报。",
        "特此通告。",
        "附件：第二批食品安全监督抽检合格产品信息.xlsx",
        "某某县市场监督管理局",
        "2024年7月15日",
    ])
    kept = _kept(notice)
    assert kept["某某县市场监督管理局"] and kept["2024年7月15日"]
    assert not kept["附件：第二批食品安全监督抽检合格产品信息.xlsx"]


def test_no_headline_is_stripped_from_a_page_without_a_paragraph() -> None:
    """Found by the idempotency property: a page of scraps with one chrome cue (a caption-like
    ``-Image-1``) lost its longest title-like line as a headline; cleaning the result again then
    took the next one. A headline heads an article, so without a paragraph none is stripped."""
    for text in ["'\n-Image-1\n来源:(CCBD/Zhang Hao)\n来源:\n相关文章0\n来源:",
                 "'\n-Image-1\n来源:(CCBD/Zhang Hao)\n来源:\n相关文章0\nwww.example.com"]:
        once = clean(text)
        assert clean(once.text).text == once.text
        assert all(line.reason != "title" for line in once.lines)
    page = clean("来源：新华社\n长沙机场扩建工程开工\n"
                 "长沙黄花国际机场改扩建工程今天正式开工，预计二〇二八年建成投用，年旅客吞吐量将大幅提升。")
    assert [line.text for line in page.lines if line.reason == "title"] == ["长沙机场扩建工程开工"]


def test_a_notices_signature_keeps_its_branch_contact_line_and_release_note() -> None:
    """A notice signed by an organisation and its branch on one line, with a Chinese-numeral
    date; a contact line between its last sentence and the signature; a release note under the
    date. The structure pass keeps all of it when a cue or the line model took it."""
    lines = ["各位居民：本中心定於下月起延長週末開放時間，歡迎預約使用。",
             "聯絡人：何小姐　聯絡電話：2888 1234",
             "南灣長者綜合服務協會 北區服務中心",
             "二〇二四年九月二日",
             "（此件公開發布）",
             "分享至：Facebook　微信"]
    taken = {lines[1]: "contact", lines[2]: "disclaimer", lines[3]: "disclaimer", lines[4]: "credit",
             lines[5]: "navigation"}
    got = _restored("\n".join(lines), taken, structure.keep_signature)
    assert [got[x] for x in lines] == [None, None, None, None, None, "navigation"]
    # an address footer of the site, under a related list, is not a signature
    footer = ["相關新聞", "· 長者中心舉辦中秋聚會", "南灣長者綜合服務協會 北區服務中心", "二〇二四年九月二日"]
    got = _restored("\n".join(footer), {footer[1]: "related-list", footer[2]: "contact", footer[3]: "byline"},
                    structure.keep_signature)
    assert got[footer[2]] == "contact" and got[footer[3]] == "byline"


def test_a_letters_signatory_name_and_title_stay_under_its_last_sentence() -> None:
    lines = ["Members are reminded that subscriptions for the new season are due by the end of the month.",
             "Aileen Moncrieff", "Club Secretary", "Share:  Facebook  |  X"]
    got = _restored("\n".join(lines), {lines[1]: "navigation", lines[2]: "navigation", lines[3]: "navigation"},
                    structure.keep_signature)
    assert [got[x] for x in lines] == [None, None, None, "navigation"]
    byline = ["Members are reminded that subscriptions for the new season are due by the end of the month.",
              "Aileen Moncrieff", "Staff Writer"]  # an author's credit: no signatory's title
    got = _restored("\n".join(byline), {byline[1]: "credit", byline[2]: "credit"}, structure.keep_signature)
    assert got[byline[1]] == "credit" and got[byline[2]] == "credit"


def test_the_first_paragraph_may_introduce_a_list_of_long_items() -> None:
    lines = ["经专家评审，本届乡村摄影大赛共评出获奖作品六组，现将获奖名单公布如下（按组别排列）：",
             "风光组：《晨雾里的梯田》林晓东（龙胜）　《雪后的村口》韦春燕（三江）　《稻香时节》覃立国（融水）",
             "人物组：《老篾匠》石海波（资源）　《赶圩的阿婆》蒙丽华（恭城）",
             "纪实组：《修路的冬天》黄永强（灌阳）",
             "对评选结果有异议的，请于公示期内以书面形式向组委会办公室提出，逾期不予受理。"]
    taken = {lines[1]: "byline", lines[2]: "byline", lines[3]: "byline"}
    got = _restored("\n".join(lines), taken, structure.keep_introduced_lists)
    assert all(got[x] is None for x in lines)


def test_scraps_found_by_the_idempotency_property_stay_idempotent() -> None:
    """A bare web address is never the headline; a line ending in a label ("…来源:") names its
    source and introduces no list (cleaning the result again then restored other lines)."""
    for text in ["工程机械产业集群\n来源:\nwww.example.com\n相关文章来源:来源:来源:来源:来源:来源:\nShare:2023-05-12",
                 "工程机械产业集群“我们有信心。”来源:来源:\n相关文章\n3 min read\n相关文章来源:他说。",
                 "摘要:来源:来源:\n*工程机械产业集群\n图片来源网络\n来源:\n工程机械产业集群工程机械产业集群2023-05-12来源:\n"
                 "图片来源网络\n摘要:\n\""]:
        once = clean(text)
        assert clean(once.text).text == once.text


def test_a_headline_stays_when_all_the_chrome_that_stripped_it_is_kept() -> None:
    """Found by the idempotency property: a cue line (a date under a label) made the page look
    chrome-bearing, so its headline went; the structure pass then kept that line as text. Cleaned
    again, the same happened to the next title-like line. A page whose chrome was all kept is
    plain text: its headline stays in the text, and still names the page."""
    text = "工程机械产业集群\n摘要:相关文章\n阅读:1,234来源:来源:来源:来源:来源:\n摘要:2023-05-12"
    once = clean(text)
    assert once.text == text and once.metadata["title"] == "工程机械产业集群"
    assert clean(once.text).text == once.text
    # chrome that stays removed still strips the headline
    page = clean("首页 > 新闻 > 本地\n长沙机场扩建工程开工\n"
                 "长沙黄花国际机场改扩建工程今天正式开工，预计二〇二八年建成投用，年旅客吞吐量将大幅提升。")
    assert [line.text for line in page.lines if line.reason == "title"] == ["长沙机场扩建工程开工"]


def test_a_label_ends_a_line_only_as_a_word_and_a_list_header_is_no_signature() -> None:
    for intro in ["Guests can book rooms at the following hotel:", "Forms are available from these useful resources:"]:
        lines = ["Registration for the regional chess open closes on Friday, the organisers said on Monday.",
                 intro, "Harbour View: 18 rooms", "Bay Lodge: 12 rooms", "Hill Inn: 9 rooms",
                 "Players who need a room should book before the end of the month."]
        got = _restored("\n".join(lines), {x: "contact" for x in lines[2:5]}, structure.keep_introduced_lists)
        assert all(got[x] is None for x in lines[2:5]), intro
    related = ["Members are reminded that subscriptions for the new season are due by the end of the month.",
               "Related Stories", "Club Chairman Resigns", "Share:  Facebook  |  X"]
    got = _restored("\n".join(related), {related[1]: "related-list", related[2]: "related-list",
                                          related[3]: "navigation"}, structure.keep_signature)
    assert got[related[1]] == "related-list" and got[related[2]] == "related-list"


def test_a_comment_whose_author_stands_on_the_line_above_its_time_goes() -> None:
    text = "\n".join([
        "Pasar Malam Ramadan",
        "Diposting 12 Maret 2024",
        "Pemerintah kota membuka pasar malam Ramadan di lapangan utama mulai Senin, dengan 120 pedagang terdaftar.",
        "Pengunjung diminta menjaga kebersihan dan memarkir kendaraan di area yang telah disediakan panitia.",
        "2 Komentar",
        "Budi_Santoso88",
        "12 Maret 2024 pukul 20.15",
        "Mantap, semoga parkirnya tertib tahun ini.",
        "Rina K.",
        "13 Maret 2024 pukul 08.02",
        "Harga takjilnya masih terjangkau kok.",
        "Tinggalkan Balasan",
    ])
    kept = _kept(text)
    assert kept["Pengunjung diminta menjaga kebersihan dan memarkir kendaraan di area yang telah disediakan panitia."]
    for line in ["Budi_Santoso88", "Mantap, semoga parkirnya tertib tahun ini.", "Rina K.",
                 "Harga takjilnya masih terjangkau kok."]:
        assert not kept[line], line


def test_wordpress_thread_headers_quoting_the_headline_and_their_comments_go() -> None:
    for header, reply, moderation in (
            ("2 thoughts on “Harbour Ferry Timetable Changes From Monday”", "Reply", None),
            ("3 tanggapan untuk “Jadwal Kapal Feri Berubah Mulai Senin”", "Balas",
             "Komentar yang mengandung unsur SARA, ujaran kebencian atau promosi akan dihapus oleh admin.")):
        chrome = [header, *([moderation] if moderation else []),
                  "Tom Walsh says: 3 March 2025 at 8:05 am", "Will the Saturday boat change as well, or only weekdays?",
                  reply, "Rina – 3 Maret 2025 pukul 09.40", "Good news for those of us on the early shift.", reply]
        kept = _kept("\n".join(ARTICLE_EN + chrome))
        assert all(kept[t] for t in ARTICLE_EN[1:])
        assert not any(kept[t] for t in chrome), [t for t in chrome if kept[t]]


def test_comments_signed_by_a_name_and_place_line_go_under_their_header() -> None:
    article = ["城南半程马拉松下月开跑", "城南半程马拉松将于下月十二日开跑，报名通道本周五上午九点开启，名额共五千个。",
               "组委会表示，今年在沿途增设了六个补给站和两个医疗点，并首次设置亲子跑项目。",
               "报名者需提交近一年内的体检报告，外省跑者与本地跑者的报名要求相同。"]
    chrome = ["写留言", "留言", "风一样的老杨　云南", "去年没抢到名额，今年定好闹钟了！", "小鹿跑跑　贵州",
              "外省跑者可以报名吗？需要提供什么材料？", "作者回复：可以的，欢迎参赛～"]
    kept = _kept("\n".join(article + chrome))
    assert all(kept[t] for t in article[1:])
    assert not any(kept[t] for t in chrome), [t for t in chrome if kept[t]]


def test_a_priests_signature_under_a_parish_letter_stays() -> None:
    letter = ["New Weekend Mass Times From October",
              "From the first Saturday of October the Vigil Mass will be at 6pm in Camross and at 7.30pm in Rosenallis.",
              "We know that change is not easy. Thank you for your patience and for your kindness to each other.",
              "Fr. Declan Moran PP"]
    kept = _kept("\n".join(letter + ["Share this:", "Facebook   WhatsApp   Email   Print"]))
    assert all(kept[t] for t in letter[1:])
    assert not kept["Share this:"]


def test_a_list_opened_by_a_colon_is_not_absorbed_into_the_credit_below_it() -> None:
    article = ["学院举办科普讲解大赛", "科普讲解大赛决赛在学院报告厅举行，共有十二名选手参加比赛，评委从内容、表达和创意三个方面打分。",
               "获奖名单如下：", "一等奖：邓雨桐", "二等奖：胡嘉豪　王思远", "三等奖：周晴　陈可欣"]
    kept = _kept("\n".join(article + ["", "（文/鲁佳琪　图/学生记者团　审核/方敏）"]))
    assert all(kept[t] for t in article[1:])
    assert not kept["（文/鲁佳琪　图/学生记者团　审核/方敏）"]
    assert not _kept("课程内容\n第一、二堂：手機基本操作與Wi-Fi連線\n联系电话：0571-8888 1234")["联系电话：0571-8888 1234"]
    assert _kept("本期课程共八堂，由志工担任小老师，带领长辈学习手机操作。\n课程内容\n第一、二堂：手機基本操作與Wi-Fi連線\n"
                 "第三、四堂：使用本館線上目錄查詢館藏與預約")["第一、二堂：手機基本操作與Wi-Fi連線"]


def test_a_one_sentence_caption_under_an_image_marker_goes_a_lead_or_a_paragraph_stays() -> None:
    para = "区工商联联合六家银行举办政银企对接会，四十余家企业负责人到场咨询普惠信贷产品，现场达成意向金额一点二亿元。"
    more = "对接会上，银行客户经理逐项介绍了产品和办理流程，并为企业负责人提供一对一咨询服务，解答融资方面的具体问题。"
    for caption in ("图2　报告会现场，研究生就基因编辑脱靶效应问题向报告人提问",
                    "区工商联副主席（右二）在活动现场听取企业负责人对融资服务的意见建议。",
                    "Tim reviewer menilai presentasi proposal hibah penelitian internal di Ruang Sidang LPPM."):
        kept = _kept("\n".join(["政银企对接会助企融资", para, "[图片]", caption, more]))
        assert not kept[caption] and kept[para] and kept[more]
    for text in ("SURABAYA – Nurul, santriwati kelas XI, meraih juara pertama lomba tingkat provinsi pekan lalu.",
                 "The terminal handles about 9,000 passengers a day. Weekend traffic can exceed 20,000.",
                 "“我父亲出去散步，到现在还没回来。”", "演练重点检验四个环节："):
        kept = _kept("\n".join(["政银企对接会助企融资", para, "[图片]", text, more]))
        assert kept[text], text


def test_the_writers_bio_after_the_article_goes_a_description_inside_it_stays() -> None:
    story = ["Farmers Honoured for Saving Water",
             "By Jun Ebarle · Published August 22, 2024",
             "Ten farmers and fisherfolk from Antique received this year's provincial awards for farming that saves water.",
             "Jun Ebarle said the awards would be presented again next year, the provincial agriculturist added in a statement."]
    bio = "Jun Ebarle covers agriculture and the environment for TV27 Panay News from San Jose de Buenavista."
    kept = _kept("\n".join(story + [bio, "Share this:"]))
    assert not kept[bio] and all(kept[t] for t in story[2:])
    # the same sentence about someone the byline does not name stays (a person in the story)
    other = bio.replace("Jun Ebarle", "Rosa Dalida")
    assert _kept("\n".join(story + [other, "Share this:"]))[other]
    label = "作者簡介：阿Ken，土生土長澳門人，做過十年廚房，最鍾意周圍搵街坊小店，相信每間老店背後都有一個故事。"
    zh = ["氹仔老街的牛雜檔", "這間牛雜檔開業三十多年，老闆每日凌晨四點開始準備湯底，街坊話佢嘅蘿蔔係全澳最入味。",
          "老闆話，只要仲行得郁，佢都會繼續開檔，因為街坊已經成為佢生活嘅一部分。"]
    kept = _kept("\n".join(zh + [label]))
    assert not kept[label] and all(kept[t] for t in zh[1:])


def test_a_list_under_a_short_heading_with_the_article_going_on_below_stays() -> None:
    story = ["Farmers Honoured for Saving Water",
             "Ten farmers and fisherfolk from Antique received this year's provincial awards for farming that saves water.",
             "The provincial agriculturist said the awards encourage farmers to share what works in their fields.",
             "The awardees"]
    items = ["Rice: Ernesto Villanueva (Sibalom) and Dante Alojado (San Remigio)",
             "Vegetables: Arnel Dalisay (Hamtic) and Cristina Pe Benito (Belison)",
             "Fisheries: Rolando Sumagaysay (Tibiao) and Marites Espino (Pandan)"]
    end = "Nominations for next year's awards open in January."
    kept = _kept("\n".join(story + items + [end, "Jun Ebarle covers agriculture for TV27 Panay News.", "Share this:"]))
    assert all(kept[t] for t in story[1:] + items + [end])
    fields = ["展期：2024年5月18日—11月30日", "地点：河东博物院三号展厅（二层）", "门票：免费，需提前通过官网或微信小程序实名预约"]
    museum = ["河东盐池文物特展开幕", "河东博物院举办的盐池文物特展昨日开幕，展出文物两百余件，分为四个单元介绍盐业生产和运输的历史。",
              "“我们希望通过这些文物让观众看到，一粒盐的背后是一部生产史。”", "策展人贺文斌说。"]
    kept = _kept("\n".join(museum + fields + ["媒体联络：院办公室 0359-2058 601　邮箱：media@hedong.example.cn"]))
    assert all(kept[t] for t in museum[1:] + fields)


def test_key_points_under_in_short_or_sorotan_go_and_a_registration_field_is_no_ad() -> None:
    lead = "SAN JOSE – A rice farmer from Sibalom who dries his paddies every few days won this year's provincial award."
    more = "The provincial agriculturist said the awards encourage farmers to share what works in their own fields."
    for label in ("IN SHORT", "Sorotan"):
        bullets = ["• Ten farmers and fisherfolk from Antique received this year's provincial awards for farming that saves water.",
                   "• Each awardee gets P50,000 plus a package of seeds or fishing gear."]
        kept = _kept("\n".join(["Antique Honours Ten Farmers", label, *bullets, lead, more]))
        assert not any(kept[b] for b in bullets) and kept[lead] and kept[more]
    course = ["長者普通話班第二期招生", "中心開辦的長者普通話班反應熱烈，第一期二十位學員全部完成課程，不少人已能用普通話和孫兒聊天。",
              "何婆婆說，上星期她第一次用普通話跟孫女講完一整通電話，開心到成晚瞓唔著。",
              "第二期：10月7日至11月25日（逢星期一）上午10時至11時半",
              "報名：9月23日起，可親臨長者中心或致電2776 3305，額滿即止"]
    kept = _kept("\n".join(course + ["作者簡介：林卓謙，本會長者中心活動幹事。", "上一篇：專題：夏日送涼"]))
    assert all(kept[t] for t in course[1:])


def test_the_headline_under_a_title_bar_and_a_welcome_banner_is_the_title() -> None:
    page = ["Musdes RKPDes 2025, Warga Prioritaskan Jalan Dusun - Website Resmi Desa Talang Sejuk",
            "Website Resmi Desa Talang Sejuk", "Beranda | Profil Desa | Pemerintahan | Data Desa | Kontak",
            "Selamat datang di Website Resmi Desa Talang Sejuk. Mari bersama membangun desa yang mandiri dan sejahtera.",
            "Beranda / Artikel / Berita Desa", "",
            "Musdes RKPDes 2025, Warga Prioritaskan Jalan Dusun",
            "Diposting oleh Administrator | 21 Agustus 2024 | Dibaca 312 kali",
            "Pemerintah Desa Talang Sejuk menggelar Musyawarah Desa penyusunan rencana kerja tahun 2025 di balai desa.",
            "Warga sepakat memprioritaskan perbaikan jalan dusun yang rusak sejak musim hujan tahun lalu."]
    assert clean("\n".join(page)).metadata["title"] == "Musdes RKPDes 2025, Warga Prioritaskan Jalan Dusun"


def test_a_headline_repeated_in_a_sidebar_list_is_still_the_headline() -> None:
    headline = "Varroa: what the move from eradication to management means for members"
    page = ["Riverina Beekeepers' Association Inc.", "Home   About   Membership   News   Events   Contact", "",
            headline, "Posted on 23 February 2024 by Ross Kelleher · 4 Comments",
            "Eradication of varroa mite has ended and the national response is now a management program for every keeper.",
            "Hive registration and a varroa check every 16 weeks are still compulsory for every beekeeper in the state.",
            "Recent Posts", headline, "Notice of Annual General Meeting 2024"]
    result = clean("\n".join(page))
    assert result.metadata["title"] == headline


def test_a_notices_heading_subject_and_its_signatorys_rank_and_number_stay() -> None:
    notice = ["PENGUMUMAN", "NOMOR: 800.1.2.2/412/BKPSDM/IX/2024", "TENTANG",
              "HASIL SELEKSI ADMINISTRASI PENGADAAN PPPK TENAGA TEKNIS TAHUN ANGGARAN 2024",
              "Berdasarkan hasil verifikasi dokumen pelamar dan rapat panitia seleksi daerah, dengan ini diumumkan hasil seleksi administrasi.",
              "Demikian pengumuman ini kami sampaikan untuk diketahui dan dilaksanakan sebagaimana mestinya.",
              "Buranga, 2 September 2024", "KEPALA BADAN KEPEGAWAIAN DAERAH,", "ttd.",
              "LA ODE MUHAMMAD ZAINAL, S.Sos., M.Si.", "Pembina Utama Muda (IV/c)", "NIP 19730512 199803 1 007"]
    page = ["Beranda | Profil Daerah | Pemerintahan | Berita | Pengumuman | Kontak", "Beranda / Pengumuman", "",
            "Pengumuman Hasil Seleksi Administrasi PPPK Tenaga Teknis 2024",
            "Ditulis oleh Admin BKPSDM · Senin, 2 September 2024 · 16:40 WITA · Dilihat 9.837 kali", "",
            *notice, "Lampiran: Daftar Hasil Seleksi.pdf (1,3 MB) | Unduh", "Sumber: BKPSDM Kabupaten Buton Utara"]
    kept = _kept("\n".join(page))
    assert all(kept[t] for t in notice), [t for t in notice if not kept[t]]


def test_wordpress_comments_headed_by_name_says_and_a_forum_footer_go() -> None:
    chrome = ["4 thoughts on “Harbour Ferry Timetable Changes From Monday”", "Sandra Pettit says:",
              "February 23, 2024 at 8:41 pm", "Thanks, clearest explanation I've read so far. Booked in for Monday.",
              "Reply", "Col McInnes says:", "February 24, 2024 at 7:02 am",
              "Does the change apply to the Saturday boat as well or just weekdays?", "Reply",
              "GMT+8, 2024-10-20 21:16 , Processed in 0.092158 second(s), 28 queries ."]
    kept = _kept("\n".join(ARTICLE_EN + chrome))
    assert all(kept[t] for t in ARTICLE_EN[1:])
    assert not any(kept[t] for t in chrome), [t for t in chrome if kept[t]]


def test_an_unmarked_key_points_box_closed_by_a_blank_line_goes() -> None:
    points = ["Eradication of varroa mite has ended and the national response is now a management program.",
              "Hive registration and a varroa check every 16 weeks are still compulsory for every beekeeper."]
    body = ["Members will by now have heard that the national response to varroa mite has formally moved from eradication to management.",
            "This post tries to answer the questions the committee has been asked most often since the announcement last week."]
    for label in ("Key points", "Ringkasan Berita:"):
        page = ["Varroa: what the move to management means", "Posted on 23 February 2024 by Ross Kelleher", "",
                label, *points, "", *body]
        kept = _kept("\n".join(page))
        assert not any(kept[t] for t in points) and all(kept[t] for t in body)


def test_a_bio_naming_the_writer_of_an_upper_case_byline_goes() -> None:
    story = ["Cotton Farmers Wait Days at Buying Depots", "By MWILA CHANDA | October 18, 2024 | 9 min read",
             "Farmers queued for three days at the buying depot on the Great East Road after the scale broke down.",
             "Back at the depot, the scale was repaired on Thursday evening and the queue began to move again."]
    bio = "Mwila Chanda is the Mirror's agriculture correspondent. He has reported on farming in Eastern Province since 2016."
    kept = _kept("\n".join(story + [bio, "", "Share: Facebook | WhatsApp | X | Email"]))
    assert not kept[bio] and all(kept[t] for t in story[2:])


def test_a_search_boxs_placeholder_the_site_repeats_goes() -> None:
    pages = [f"Portal Resmi Kabupaten Buton Utara\nBeranda | Profil Daerah | Berita | Kontak\nCari di situs ini...\n"
             f"Berita {i}: Pemerintah kabupaten meresmikan jembatan baru di kecamatan nomor {i} pada hari Senin pagi.\n"
             f"Jembatan sepanjang {40 + i} meter itu menghubungkan dua desa yang selama ini terpisah oleh sungai.\n"
             f"Hak Cipta © 2024 Pemerintah Kabupaten Buton Utara." for i in range(2)]
    model = BoilerplateModel.fit(pages)
    assert not _kept(pages[0], model)["Cari di situs ini..."]


def test_an_essays_sign_off_appendix_fields_and_a_notices_signatory_stay() -> None:
    essay = ["城南老井记", "写完这篇，我把初稿念给刘桂兰老人听。她听完沉默了很久，说你把那棵槐树也写上，不能光写井。",
             "附：信稿基本情况", "题名：裕晋昌信稿（封面残）", "存页：46页，毛边纸，线装", "尺寸：约24×13厘米", "现藏：平遥城内私人",
             "（守业　记于四月十六日夜）"]
    kept = _kept("\n".join(essay + ["", "本文为原创，转载请注明出处并联系作者。", "标签：平遥 老井 城南 口述史"]))
    assert all(kept[t] for t in essay[1:]), [t for t in essay if not kept[t]]
    clinic = ["中秋節應診時間安排", "本診所中秋節期間應診時間安排如下，如需預約或查詢，請致電2391 6628。", "不便之處，敬請原諒。",
              "德潤堂中醫診所 謹啟"]
    kept = _kept("\n".join(clinic + ["", "分享：Facebook｜WhatsApp｜複製連結", "最新消息", "7月起旺角總店新增星期六針灸時段"]))
    assert all(kept[t] for t in clinic[1:])
    report = ["Laporan Keuangan Masjid Pekan Pertama Juli 2024",
              "Pengurus mengucapkan terima kasih kepada seluruh jamaah dan para donatur atas infaq yang telah disalurkan.",
              "Wassalamu'alaikum warahmatullahi wabarakatuh.", "Tarakan, 5 Juli 2024", "Bendahara DKM,", "H. Syamsuddin"]
    kept = _kept("\n".join(report + ["Infaq dan sedekah dapat disalurkan melalui rekening BSI 7123456789 a.n. DKM Al-Ikhlas",
                                     "Bagikan ke:   WhatsApp   Facebook   Telegram   Salin link"]))
    assert all(kept[t] for t in report[1:]), [t for t in report if not kept[t]]


def test_a_circulars_addressee_greeting_and_subject_stay() -> None:
    head = ["To", "All Members", "Dear Member,", "Sub: Annual updation of Importer-Exporter Code (IEC) – reg.",
            "Ref: Our Circular No. 04/2024-25 dated 12.05.2024"]
    body = ["Members are aware that every IEC holder is required to update the IEC details on the portal every year.",
            "It has come to the notice of the Federation that the IECs of several member units have been de-activated."]
    page = ["Circular No. 11/2024-25 – Annual updation of IEC", "Posted on 3 October 2024 by NVKMF Secretariat",
            "Category: Circulars", *head, *body, "Share: Facebook | WhatsApp | Email"]
    kept = _kept("\n".join(page))
    assert all(kept[t] for t in head[2:] + body), [t for t in head + body if not kept[t]]


def test_editor_initials_list_items_with_dates_a_profile_box_and_a_sekilas_heading_stay() -> None:
    story = ["Distribusi Elpiji Tiga Kilogram Dijadwalkan Ulang",
             "Pemerintah kota menjadwalkan ulang distribusi elpiji tiga kilogram ke pangkalan di empat kecamatan mulai pekan ini.",
             "Sekilas tentang Pangkalan Resmi",
             "Pangkalan resmi wajib menjual sesuai harga eceran tertinggi dan mencatat setiap pembeli dalam buku catatan harian.",
             "Jadwal pengiriman:", "1. Kecamatan Kota, Senin, 16 September 2024", "2. Kecamatan Pulau, Selasa, 17 September 2024",
             "Hamid menyebut jadwal tersebut masih bisa berubah menyesuaikan ketersediaan stok dari distributor. (rs)"]
    kept = _kept("\n".join(story + ["Bagikan:   WhatsApp   Facebook", "Berita Terkait", "Harga Cabai Naik Jelang Lebaran"]))
    assert all(kept[t] for t in story[1:]), [t for t in story if not kept[t]]
    profile = ["晶鋐半導體擴建先進封裝廠", "晶鋐半導體昨日宣布在竹南擴建先進封裝廠，預計三年內新增一千五百個工作機會，並與在地大學合作培育人才。",
               "廖文彬小檔案", "現職：晶鋐半導體總經理", "學歷：國立清華大學材料科學工程博士", "年齡：52歲"]
    kept = _kept("\n".join(profile + ["", "延伸閱讀", "台積電擴大先進封裝產能"]))
    assert all(kept[t] for t in profile[1:]), [t for t in profile if not kept[t]]


def test_a_headline_the_title_bar_repeats_is_the_title_even_when_dated_or_wrapped() -> None:
    page = ["Warta Paroki Minggu Biasa XXV, 22 September 2024 – Paroki St. Yosef Pekerja Danga",
            "Paroki Santo Yosef Pekerja Danga", "Beranda | Profil Paroki | Jadwal Misa | Warta Paroki | Kontak",
            "Jadwal Misa Minggu: Sabtu 17.00 · Minggu 06.30 dan 09.00 WITA", "",
            "Warta Paroki Minggu Biasa XXV, 22 September 2024",
            "Diposting oleh Sekretariat Paroki | Sabtu, 21 September 2024 | 16:05 WITA",
            "Syalom, umat Paroki Santo Yosef Pekerja Danga yang terkasih dalam Kristus, berikut pengumuman untuk pekan ini.",
            "Umat yang ingin mendaftarkan intensi Misa dapat menyerahkannya di sekretariat paroki paling lambat hari Jumat."]
    assert clean("\n".join(page)).metadata["title"] == "Warta Paroki Minggu Biasa XXV, 22 September 2024"
    wrapped = ["專訪／晶鋐半導體總經理廖文彬：先進封裝人才缺口 三年內補不齊 | 晶片島科技報 ChipIsle",
               "晶片島科技報 ChipIsle Tech", "搜尋 | 訂閱電子報 | 登入 / 加入會員", "首頁 › 半導體 › 專訪", "",
               "專訪／晶鋐半導體總經理廖文彬：", "先進封裝人才缺口 三年內補不齊",
               "文／許承翰　攝影／蘇俊廷　2025.11.12 08:00　閱讀時間約 7 分鐘", "分享　Facebook　LINE　X　複製連結",
               "晶鋐半導體總經理廖文彬接受本報專訪時表示，先進封裝的人才缺口至少要三年才補得齊，公司正與大學合作開設專班。",
               "他說，封裝製程橫跨材料、機械與電機，過去很少有學校專門培育，企業只能自己從頭教起。"]
    result = clean("\n".join(wrapped))
    assert result.metadata["title"].startswith("專訪／晶鋐半導體總經理廖文彬：")
    assert not any(line.kept for line in result.lines[:5] if line.text)


def test_a_tables_data_source_a_quotes_attribution_and_a_signature_under_attachments_stay() -> None:
    story = ["甘州区玉米制种面积连续三年增长", "甘州区农业农村局介绍，今年全区玉米制种面积继续增长，良种覆盖率稳步提高，农民增收明显。",
             "年份　面积（万亩）　单产（吨）", "2022年　98.6　4.31", "2023年　101.2　4.52", "2024年　103.5　4.68",
             "（数据来源：甘州区农业农村局）", "种子管理站站长何立群说，下一步将继续推广节水制种技术，扩大订单生产规模。",
             "“墒情不错，今年应该又是个好年景。”", "他说。"]
    kept = _kept("\n".join(story + ["", "责任编辑：王芳", "上一篇：甘州区召开春耕生产推进会"]))
    assert all(kept[t] for t in story[1:]), [t for t in story if not kept[t]]
    notice = ["关于做好2025年体育中考工作的通知", "各区教育局、各初中学校：现将2025年体育中考有关事项通知如下，请认真做好组织工作。",
              "附件：1．2025年体育中考考生须知.pdf", "2．体育中考免考（缓考）申请表.docx", "常州市教育考试院", "常州市教育局", "2025年4月7日"]
    kept = _kept("\n".join(notice + ["注：本网站发布的通知如与纸质文件不一致，以纸质文件为准。", "【打印本页】【关闭窗口】"]))
    assert all(kept[t] for t in notice[4:]), [t for t in notice if not kept[t]]


def test_a_notices_contact_section_a_table_of_words_and_a_headline_under_an_ad() -> None:
    notice = ["关于征集老照片老物件的公告", "为记录城市变迁，本馆面向社会征集反映本县历史风貌的老照片、老物件，现将有关事项公告如下。",
              "五、联系方式", "联系人：周老师、葛老师", "联系电话：0527-86213347（工作日上午8:30—12:00）",
              "电子邮箱：shdasz_zhengji@163.com", "特此公告。", "泗洪县档案史志馆", "2024年5月8日"]
    kept = _kept("\n".join(notice + ["", "附件下载：登记表.docx", "【打印本页】【关闭窗口】"]))
    assert all(kept[t] for t in notice[1:]), [t for t in notice if not kept[t]]
    table = ["應備證件一覽", "項目 | 本人親自辦理 | 委託他人辦理", "國民身分證 | 應備 | 雙方均應備",
             "印章或簽名 | 擇一 | 委託人印章及委託書", "戶口名簿 | 應備 | 應備"]
    faq = ["遷徙登記常見問題", "遷徙登記可向全國任一戶政事務所申請，但部分項目需回原戶籍地辦理，請事先電話確認。"]
    kept = _kept("\n".join(faq + table + ["如有疑問，歡迎洽詢本所戶籍課，我們將盡快回覆您的問題。", "", "回上一頁", "瀏覽人次：1234"]))
    assert all(kept[t] for t in table), [t for t in table if not kept[t]]
    page = ["Flood waters reach Maun weeks early as Thamalakane swells | The Delta Sentinel", "Skip to content",
            "Home | News | Ngamiland | Business | Tourism | Sport", "ADVERTISEMENT",
            "Kgosi Hardware & Build, Maun — cement, roofing sheets, borehole pumps and solar kits. Free delivery in town.", "",
            "Home › News › Ngamiland", "Flood waters reach Maun weeks early as Thamalakane swells",
            "Boat operators are celebrating, but farmers in Shorobe are counting their losses",
            "By Onalenna Keitseng · 14 May 2025, 07:45 · 9 min read",
            "The Thamalakane River reached Maun almost three weeks earlier than usual this year, the water affairs office said.",
            "Farmers in Shorobe said the early flood had washed away fields that were only half harvested."]
    assert clean("\n".join(page)).metadata["title"] == "Flood waters reach Maun weeks early as Thamalakane swells"


def test_a_notices_heading_keeps_its_subject_wrapped_over_two_lines() -> None:
    lines = ["PENGUMUMAN", "Nomor: 800/27/DISDIK/V/2025", "TENTANG", "JADWAL DAFTAR ULANG PESERTA DIDIK BARU",
             "SEKOLAH DASAR NEGERI TAHUN PELAJARAN 2025/2026",
             "Berdasarkan hasil seleksi penerimaan peserta didik baru, dengan ini diumumkan bahwa daftar ulang "
             "dilaksanakan pada tanggal 2 sampai 5 Juni 2025 di sekolah masing-masing."]
    taken = {lines[0]: "repeated-template", lines[1]: "repeated-template", lines[2]: "repeated-template",
             lines[3]: "advertisement", lines[4]: "advertisement"}
    got = _restored("\n".join(lines), taken, structure.keep_datelines_and_attributions)
    assert all(got[x] is None for x in lines)
    # without the paragraph under it, the same lines stay as decided
    got = _restored("\n".join(lines[:5]), taken, structure.keep_datelines_and_attributions)
    assert got[lines[3]] == "advertisement"


def test_a_parks_signature_under_its_notice_is_kept() -> None:
    lines = ["本通告自发布之日起施行。", "特此通告。", "东湖植物园", "2025年3月6日"]
    got = _restored("\n".join(lines), {lines[2]: "repeated-template", lines[3]: "byline"}, structure.keep_signature)
    assert got[lines[2]] is None and got[lines[3]] is None


def test_figure_labels_are_captions_and_end_the_list_above_them() -> None:
    page = ["首页 > 考古发现", "城东墓地发掘取得新收获",
            "经过半年发掘，考古队在城东墓地共清理墓葬二十余座，出土了一批重要文物，现将部分墓葬情况介绍如下：",
            "M3　一椁一棺　铜鼎2、陶壶4", "M5　一椁两棺　铜剑1、玉璧1", "M8　单棺　陶鼎2", "[图片]",
            "图一　M5墓室全景（由东向西）", "二、出土遗物",
            "出土遗物以陶器为主，铜器次之，另有少量玉石器，其中一件铜剑保存完好，剑身铭文清晰可辨，是本次发掘的重要发现。"]
    kept = _kept("\n".join(page))
    assert not kept["图一　M5墓室全景（由东向西）"]
    assert kept["M3　一椁一棺　铜鼎2、陶壶4"] and kept["二、出土遗物"]
    for line in ["图1显示，今年全县粮食产量比去年增长一成。", "Figure 2 shows exports rising through the year."]:
        assert clean(line).lines[0].reason != "caption"


def test_a_thread_under_a_counted_comment_header_is_removed() -> None:
    page = ["首页 > 本地新闻", "老街菜市场完成改造重新开业",
            "经过三个月的改造，老街菜市场今天重新开业，市场内新增了冷链摊位和公共休息区，摊主和市民都说环境比以前好多了。",
            "市场管理方表示，改造后的摊位租金保持不变，并将延长周末营业时间。",
            "分享到：微信　微博", "网友评论（已有2条评论）", "街坊阿明　2025-04-02 09:15", "终于修好了，周末去逛逛。",
            "小城老陈　2025-04-02 10:40", "希望停车位也能多一些。", "我要评论"]
    kept = _kept("\n".join(page))
    assert not any(kept[x] for x in page[5:])
    assert kept[page[2]] and kept[page[3]]


def test_a_table_under_its_own_heading_is_beside_the_text() -> None:
    lines = ["Dalam rangka meningkatkan kompetensi tenaga kerja, balai membuka pendaftaran pelatihan dengan "
             "ketentuan sebagai berikut:", "", "A. Program dan Kuota", "No | Program | Durasi | Kuota",
             "1 | Las Listrik | 240 JP | 16 orang", "2 | Tata Boga | 200 JP | 16 orang", "3 | Barista | 160 JP | 16 orang",
             "", "B. Persyaratan"]
    got = _restored("\n".join(lines), {x: "navigation" for x in lines[3:7]}, structure.keep_tables)
    assert all(got[x] is None for x in lines[3:7])


def test_a_notices_kind_and_subject_on_one_line_and_a_reference_number_stay() -> None:
    lines = ["PENGUMUMAN HASIL SELEKSI ADMINISTRASI", "Nomor: 12/Peng/BLK/VI/2025",
             "Berdasarkan hasil seleksi administrasi calon peserta pelatihan, dengan ini diumumkan nama-nama peserta "
             "yang dinyatakan lulus dan berhak mengikuti tahap wawancara."]
    got = _restored("\n".join(lines), {lines[0]: "summary-duplicate", lines[1]: "advertisement"},
                    structure.keep_datelines_and_attributions)
    assert got[lines[0]] is None and got[lines[1]] is None
    letter = ["Ref. No. KDA/ADM/2025/14",
              "The District Water Board invites sealed bids from registered contractors for the repair of the "
              "Kibwezi intake weir, as described in the tender document."]
    got = _restored("\n".join(letter), {letter[0]: "advertisement"}, structure.keep_datelines_and_attributions)
    assert got[letter[0]] is None
    # a reference line with nothing of the letter under it stays as decided
    got = _restored(letter[0] + "\nShare: Facebook | X", {letter[0]: "advertisement"},
                    structure.keep_datelines_and_attributions)
    assert got[letter[0]] == "advertisement"


def test_a_doctors_signature_and_title_under_a_call_for_applications() -> None:
    lines = ["The closing date is Friday 3 October 2025 at 4.00pm. Only shortlisted candidates will be contacted.",
             "Dr. Amina K. Salim", "Director"]
    got = _restored("\n".join(lines), {lines[1]: "credit", lines[2]: "credit"}, structure.keep_signature)
    assert got[lines[1]] is None and got[lines[2]] is None


def test_a_note_in_brackets_is_a_caption_only_as_a_credit() -> None:
    from searchlib.analysis.boilerplate import cues as c

    def paren_caption(text: str) -> bool:
        return bool(c.CAPTION_PAREN_END.search(c.fold_heads([text])[0]))

    for credit in ["居民练习心肺复苏。（摄影：吴志远）", "（张三 摄）", "（图／王五）", "（受访者供图）", "（资料由主办单位提供）"]:
        assert paren_caption(credit), credit
    for note in ["時間：每日上午9:00至下午4:00（中午提供午餐）", "会议室（可提供投影设备）"]:
        assert not paren_caption(note), note


def test_writer_and_photographer_credits_and_interview_questions() -> None:
    from searchlib.analysis.boilerplate import cues as c, rules

    def reason(line: str) -> str | None:
        f = c.fold_heads([line])[0]
        return rules.classify(f, c.units(f), line[:40])

    assert reason("撰文：林曉彤　攝影：梁浩文") == "credit"
    assert reason("文／陳思妤　攝影／黃冠霖") == "credit"
    assert reason("摄影：张三") == "caption"
    assert reason("记者：张三 李四") == "credit"
    assert reason("记者：王师傅，您第一次上桥干活是什么时候？") is None  # a question in an interview


def test_the_headline_over_its_deck_under_a_site_name_in_capitals() -> None:
    page = ["设为首页 | 加入收藏", "东岭路桥集团有限公司",
            "JIANGBEI DONGLING ROAD & BRIDGE CONSTRUCTION GROUP CO., LTD.",
            "首页 | 集团概况 | 新闻中心 | 工程业绩", "您现在的位置：首页 > 新闻中心", "江北特大桥顺利合龙",
            "全线控制性工程取得决定性进展", "发布日期：2025-05-18  作者：杨柳  点击数：1024",
            "5月16日上午，随着最后一方混凝土浇筑完成，由集团承建的江北特大桥顺利合龙，标志着全线控制性工程取得决定性进展。"]
    res = clean("\n".join(page))
    assert res.metadata["title"] == "江北特大桥顺利合龙"
    assert [line.reason for line in res.lines[5:7]] == ["title", "title"]

