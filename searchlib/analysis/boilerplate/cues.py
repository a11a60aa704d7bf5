"""Language-neutral line features and small multilingual cue lists.

Every cue is matched against a *folded* copy of the first :data:`HEAD` characters of a line:
pinyin artifacts such as ``調(diào)`` are removed, Traditional is folded to Simplified (OpenCC
``t2s``), then NFKC (full-width ``：｜＞`` become ``:|>``) and case folding.  Cue lists are therefore
written once, in Simplified Chinese / lower-case English / lower-case Indonesian.

Cue lists are grouped by the removal reason they support (summary, credit, navigation, related
lists, caption, contact, disclaimer, advertisement), then widgets (pagination, font size, audio,
feedback and comment prompts), then the cues trusted only *after the article* (author bio,
publisher footer, slogans, commercial words) - see ``rules.classify_after_article``.

All regular expressions here are linear: bounded repetitions only, and where a group repeats, its
items are separated by characters they cannot contain (no ambiguous nested quantifiers); they only
ever see a bounded prefix of a line.

(Past 600 lines because it is mostly data: the cue lists of four language varieties, grouped by
reason; the code is a handful of helpers that read them.)
"""
from __future__ import annotations

import re
import unicodedata

from searchlib.analysis.boilerplate import fastre as _fastre
from searchlib.analysis.chars import HAN_CHARS, HAN_RE, PINYIN_ANNOTATION_RE

HEAD = 400  # characters of a line that cue matching ever looks at

try:  # OpenCC is a declared dependency; degrade to no folding rather than fail if it is broken.
    import opencc

    _T2S = opencc.OpenCC("t2s")
except Exception:  # pragma: no cover - exercised only without OpenCC
    _T2S = None

_PINYIN = PINYIN_ANNOTATION_RE  # the one definition, shared with searchlib.analysis.normalize.fold
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")
_CJK = HAN_RE
_CJK_RUNS = re.compile(f"[{HAN_CHARS}]+")
_LATIN_WORD = re.compile(r"[^\W\d_]{2,}")
_DIGITS = re.compile(r"\d+")
_ASCII_WORD = re.compile(r"[A-Za-z]{2,}")  # _LATIN_WORD on ASCII text
_ASCII_DIGITS = re.compile(r"[0-9]+")     # _DIGITS on ASCII text


def strip_pinyin(text: str) -> str:
    """Remove scraped pinyin glosses: ``發(fā)展`` -> ``發展``; real ``(2021)`` / ``(CZT)`` stay.

    Every cue of the filter is matched on text passed through this first (``fold_heads``, the raw
    heads handed to case-reading rules, the model's keys, the harvested metadata).
    """
    if "(" not in text and "（" not in text:  # every gloss is in brackets: nothing to remove, no scan
        return text
    return _PINYIN.sub("", text)


def fold_heads(lines: list[str]) -> list[str]:
    """Fold the head of every line for cue matching (one OpenCC call for the whole page).

    An ideographic space (U+3000) separates menu items and byline fields in CJK pages; NFKC would
    turn it into one ordinary space, so it is folded to a two-space gap (``NAV_MENU_GAP``,
    ``FIELD_SEP``) instead.
    """
    heads = [_safe(strip_pinyin(line[:HEAD])).replace("\u3000", "  ") for line in lines]
    if _T2S is not None and any(not h.isascii() and _CJK.search(h) for h in heads):
        converted = _T2S.convert("\n".join(heads)).split("\n")
        if len(converted) == len(heads):
            heads = converted
        else:  # pragma: no cover - defensive: OpenCC never merges lines in practice
            heads = [_T2S.convert(h) for h in heads]
    return [unicodedata.normalize("NFKC", h).casefold() for h in heads]


def _safe(text: str) -> str:
    """Control characters and lone surrogates as spaces (a printable text has none: no scan)."""
    return text if text.isprintable() else _UNSAFE.sub(" ", text)


def is_cjk_run(text: str) -> bool:
    """Only CJK ideographs (a verse line, a menu item)."""
    return bool(text) and len(_CJK.findall(text)) == len(text)


def han_count(text: str) -> int:
    """The Han characters of ``text`` (``len(HAN_RE.findall(text))``, counted by runs: one match
    for a run of them, not one a character)."""
    return sum(map(len, _CJK_RUNS.findall(text)))


def units(folded: str) -> int:
    """Rough amount of text: CJK characters count 1, Latin-script words 2, digit groups 1."""
    if folded.isascii():  # the same counts with plain ASCII classes, which scan faster (and no Han)
        return 2 * len(_ASCII_WORD.findall(folded)) + len(_ASCII_DIGITS.findall(folded))
    cjk = han_count(folded)
    return cjk + 2 * len(_LATIN_WORD.findall(folded)) + len(_DIGITS.findall(folded))


# ---------------------------------------------------------------- line shape

_CLOSERS = "\"'”’」』)）]】》"
_SENTENCE_END = set("。！？!?.;；…")
_LIST_ITEM = re.compile(
    r"^(?:\d{1,2}[.、)）](?!\d)|[（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}、|[•·▪◦\-–*]\s)"
)
_QUOTE_OPEN = tuple("\"“「『‘'")
# A bullet opening a teaser: "· title", "• title", "- title", and the full-width "．title" (NFKC: ".").
_BULLET = re.compile(r"^(?:[·•▪◦●○■□▸►▶*\-–—]\s*|\.(?=[^\W\d_]))")


# (and an Indonesian editor's initials after the last sentence: "… dari distributor. (rs)", "(*/ant)")
_END_MARK = re.compile(r"\s*[(（](?:\*|完|终|end|selesai|habis)[)）]$|(?<=[.!?。！？\"”])\s*[(（][a-z*]{1,3}(?:/[a-z]{1,3}){0,2}[)）]$")


def ends_sentence(folded: str) -> bool:
    """True for lines ending like a sentence (also ``:``, which introduces a list).

    End-of-article marks such as ``(*)`` or ``(完)`` are looked through.
    """
    last = folded[-1:]
    if last and last not in _CLOSERS and not last.isspace():  # (the common case: nothing to strip)
        return last in _SENTENCE_END or last == ":"
    core = folded.rstrip()
    if core.endswith((")", "）")):  # only then can it end with a mark
        core = _END_MARK.sub("", core)
    core = core.rstrip(_CLOSERS).rstrip()
    return bool(core) and (core[-1] in _SENTENCE_END or core[-1] == ":")


def ends_ellipsis(folded: str) -> bool:
    core = folded.rstrip().rstrip(_CLOSERS)
    return core.endswith("...") or core.endswith("…")


def is_list_item(folded: str) -> bool:
    return bool(_LIST_ITEM.match(folded))


def bullet(folded: str) -> int:
    """Length of a leading bullet marker (``·``, ``•``, ``-``, ``．``), 0 if the line has none."""
    m = _BULLET.match(folded)
    return m.end() if m else 0


def is_quote(folded: str) -> bool:
    return folded.startswith(_QUOTE_OPEN)


# ---------------------------------------------------------------- cue lists

def _words(*alternatives: str) -> str:
    return "(?:" + "|".join(alternatives) + ")"


_COLON = r"\s*[:：]"
_DECOR = "【】[]<>《》▌■●◆▶►▼▽▾↓—-=*#|:：_ \t"

SUMMARY_PREFIX = re.compile(
    r"^\s*[【\[]?" + _words("摘要", "内容摘要", "内容提要", "导读", "核心提示", "提要", "概要", "要点", "划重点", "重点",
                            "summary", "abstract", "in brief", "at a glance", "key points", "highlights",
                            "the gist", "tl;dr", "tldr", "in short", "in a nutshell", "ringkasan berita", "ringkasan", "sekilas", "intisari", "sorotan",
                            "poin penting", "inti berita") + r"\s*[】\]]?\s*[:：]?\s*"
)
# the fields of an event an article announces ("地点：…", "报名：…", "Venue: …"): its facts
EVENT_LABEL = re.compile(r"^(?:地点|地點|时间|時間|门票|門票|费用|費用|展期|日期|报名|報名|venue|time|date|tickets?|cost|"
                         r"admission|registration|tempat|waktu|tanggal|biaya|tiket|pendaftaran)$")
TITLE_PREFIX = re.compile(r"^\s*" + _words("标题", "title", "judul") + _COLON)

CREDIT_LABEL = re.compile(
    r"^[(（\[【]?\s*" + _words(
        "来源", "稿源", "出处", "本文来源", "文章来源", "消息来源", "原标题", "原文标题", "责任编辑",
        "编辑", "责编", "审核", "审校", "校对", "作者", "撰文", "文字", "文", "记者", "通讯员", "摄影",
        "摄像", "供稿", "资料来源", "数据来源", "信息来源", "新闻来源", "图表来源", "主编", "值班编辑",
        "实习生", "实习记者", "编译", "翻译", "译者", "监制", "制图", "美编", "排版", "核稿", "统筹",
        "source", "sources", "data source", "editor", "editors", "edited by", "reporter",
        "reporting by", "written by", "author", "writer", "contributor", "contributors",
        "contributing", "translator", "sumber", "sumber data", "penulis", "pewarta", "redaktur",
        "fotografer", "kontributor", "penyunting", "penerjemah", "teks", "naskah", "oleh", "by",
        # a press release's own credits: "Issued by: Lt. M. Greer, PIO", "Attribute to: Sheriff …"
        "issued by", "attribute to", "attributable to", "dikeluarkan oleh",
        # the metadata table of a government page, labels often spaced out to align: "索 引 号:"
        r"索\s?引\s?号", r"发\s?布\s?机\s?构", r"发\s?文\s?机\s?关", r"发\s?文\s?字\s?号", r"文\s?号",
        r"主\s?题\s?分\s?类", r"成\s?文\s?日\s?期", r"发\s?布\s?单\s?位", r"信\s?息\s?分\s?类",
    ) + r"\s*[:：|｜丨]"
)
CREDIT_PHRASE = re.compile(
    r"^[(（]?\s*" + _words(
        "this article is from", "this story is from", "this article was (?:first |originally )?published",
        r"this (?:article|story) (?:first |originally )?appeared (?:on|in)\b",
        "originally published", "artikel ini (?:telah )?(?:tayang|terbit)", "本文转载自", "转载自",
        "本文转自", "本文由", "本文来自", "本文(?:获|经)", "经授权转载", "授权转载",
    )
)
CREDIT_REPORTER = re.compile(r"记者|通讯员|特约撰稿|见习记者")
# "With files from the council's communications unit" (Canadian papers), "(mgw)", "(ant/rd)": the
# writer's initials closing an Indonesian report
CREDIT_FILES = re.compile(r"^(?:with files from|dengan bahan dari)\s+\S")
CREDIT_INITIALS = re.compile(r"^[(（]\s*[a-z]{2,6}(?:\s*/\s*[a-z]{2,6}){0,3}\s*[)）]$")
# a writer's bio closing an opinion piece: "*Penulis adalah guru ...", "*The writer is a ..."
CREDIT_WRITER_IS = re.compile(r"^[*＊]\s*(?:penulis|the (?:writer|author))\s+(?:adalah|is)\s\S")
# a blog platform's post footer: "Diposting oleh Redaksi KEL di 19.42", "Posted by Ann at 7:42 PM"
BYLINE_POSTED = re.compile(r"^(?:diposting|dipostkan|posted)\s+(?:oleh|by)\s+.{1,40}?\s+(?:di|pada|at)\s+"
                           r"\d{1,2}[.:]\d{2}(?:\s*[ap]\.?m\.?)?$")
# "Edited by Tom Alvarez", "(Reporting by A; editing by B)", "Ditulis oleh ...": short lines only.
CREDIT_BY = re.compile(
    r"^[(（]?\s*(?:additional |with additional )?" + _words(
        "reporting", "reported", "edited", "editing", "written", "compiled", "translated", "produced",
        "photographed", "photography", "photo", "photos", "video", "graphics", "illustration", "designed",
        "fact-checked", "copy-edited", "laporan", "ditulis", "disunting", "diedit", "diterjemahkan",
        "pelaporan", "peliputan", "liputan", "penulisan", "penyuntingan", "penyusunan", "disusun", "dilaporkan",
    ) + r"\s+(?:by|oleh)\s+\S"
)
# "By Jane Doe and John Roe, Associated Press": a longer "By ..." line naming a newsroom role.
CREDIT_ROLE = re.compile(_words(r"\bstaff\b", r"\bcorrespondents?\b", r"\breporters?\b", r"\bwriters?\b",
                                r"\beditors?\b", r"\bcontributors?\b", r"associated press", r"\breuters\b",
                                r"\bafp\b", r"\bbloomberg\b", r"news service", r"\bwartawan\b"))
CREDIT_NAME = re.compile(r"^(?:By|BY|Oleh|OLEH)\s+[A-Z][\w.'-]*(?:\s+(?:[A-Z][\w.'-]*|dan|and|&)){0,5}$")
CREDIT_REPORT = re.compile(r"^laporan (?:wartawan|reporter|kontributor|koresponden)\b")
CREDIT_START = re.compile(r"^(?:记者|通讯员|见习记者|特约记者|实习生|本报记者)")

NAV_BREADCRUMB_LABEL = re.compile(
    r"^" + _words("当前位置", "所在位置", "目前位置", "当前页面", r"(?:您|你)(?:当前|现在|目前)?(?:所在)?的?(?:位置|页面)",
                  r"(?:当前|现在)所在的?位置", "you are here", "lokasi anda", "posisi anda", "anda di sini",
                  "anda berada di") + _COLON
)
NAV_HOME = re.compile(r"^" + _words("首页", "主页", "网站首页", "home", "beranda", "homepage") + r"\s*[>»›/\\]")
NAV_CRUMB_SEP = re.compile(r"\s*[>»›]\s*")
NAV_MENU_SEP = re.compile(r"\s*[|｜•│▏┃]\s*|\s+·\s+")
NAV_MENU_GAP = re.compile(r"\s{2,}")          # "首页  城事  民生  财经": items spaced out
FIELD_SEP = re.compile(r"\s{2,}|\s*[|｜]\s*|\s+·\s+")  # fields of a byline row
NAV_VIDEO = re.compile(r"^(?:simak|tonton|saksikan)\s+(?:juga\s+)?video\b")  # "Simak Video '...'"
# Tag lists written as hashtags: "#玉里 #碾米厂 #历史建筑", "#banjir #jakarta".
HASHTAG = re.compile(r"#[^\s#]{1,30}")
# A section label in capitals, on the raw (unfolded) line: "EXPOS / MACHINERY", "RAIL & FERRIES / INDONESIA".
SECTION_LABEL = re.compile(r"^[^\W\d_][^\W_]*(?:[ &'.-]{1,3}[^\W_]+){0,3}(?:\s*/\s*[^\W\d_][^\W_]*"
                           r"(?:[ &'.-]{1,3}[^\W_]+){0,3}){1,3}$")
# The lead word of a share bar with no colon, and the copy-link button: "分享至 Facebook LINE X 复制连结".
SHARE_LEAD = re.compile(r"^" + _words("分享到", "分享至", "分享给", "分享", "转发到", "转发至", "share this article",
                                      "share this story", "share this", "share on", "share", "bagikan ke",
                                      "bagikan", "sebarkan") + r"(?:\s+(?:ke|to|via|on|di))?\s")
COPY_LINK = re.compile(_words("复制链接", "复制连结", "复制网址", "拷贝链接", "copy link", "copy url",
                              "salin tautan", "salin link", "copy the link"))
NAV_CJK_MENU_ITEM = re.compile(rf"[{HAN_CHARS}]{{2,4}}")  # 首页 新闻 会展 投资 ... (single spaces)
NAV_CJK_MENU_WORD = re.compile(_words("首页", "主页", "新闻", "资讯", "视频", "图片", "专题", "联系我们", "关于我们",
                                      "登录", "注册", "订阅", "财经", "体育", "娱乐", "科技", "国际", "国内",
                                      "社会", "评论", "直播", "本地", "要闻", "即时"))
NAV_PREV_NEXT = re.compile(
    r"^[«‹<←◀◄]{0,2}\s*" + _words("上一篇", "下一篇", "上一则", "下一则", "前一篇", "后一篇", "上一条", "下一条", "上篇", "下篇", "上一页", "下一页",
                  "previous article", "previous post", "previous story", "previous", "older post", "newer post",
                  "next article", "next post", "next story", "next", "prev",
                  "artikel sebelumnya", "artikel selanjutnya", "berita sebelumnya",
                  "berita selanjutnya", "sebelumnya", "selanjutnya", "berikutnya")
    + r"\s*(?:[:：>»]|$)"
)
NAV_SHARE = re.compile(
    r"^" + _words("分享到", "分享至", "分享给朋友", "分享给好友", "分享给", "分享", "转发到", "转发至", "一键分享", "share this article",
                  "share this story", "share this", "share on", "share", "bagikan artikel ini",
                  "bagikan", "sebarkan") + r"(?:\s+(?:ke|to|via|on|di))?\s*[:：]"
)
SOCIAL = re.compile(_words("facebook", "twitter", "whatsapp", "linkedin", "telegram", "email",
                           "e-mail", "微信", "微博", "qq空间", "qq", "line", "pinterest", "reddit",
                           "weibo", "wechat", "x", "豆瓣", "朋友圈", "blogthis!?"))
# each button of a blog's share row named with its own verb: "Bagikan ke Facebook | Kirimkan Ini lewat Email"
SHARE_ITEM_LEAD = re.compile(r"^\s*(?:share (?:to|on|via)|bagikan (?:ke|lewat|via)|kirim(?:kan)?(?: ini)? (?:lewat|via|ke)|"
                             r"email this|分享到|分享至)\s*")
NAV_TAGS = re.compile(
    r"^" + _words("标签", "关键词", "关键字", "分类", "栏目", "所属栏目", "所属分类", "频道", "话题",
                  "tags", "tag", "tagged", "tagged with", "topics", "topic", "filed under", "posted in",
                  "categories", "category", "section", "sections", "more on", "topik", "kata kunci",
                  "keywords", "label", "kategori", "rubrik", "kanal",
                  r"(?:suggested|related|popular|trending|more) (?:topics?|tags)", r"(?:topik|tag) (?:terkait|populer|pilihan)",
                  "相关标签", "热门标签", "相关话题", "热门话题") + _COLON
)
NAV_READ_MORE = re.compile(
    r"^[【\[]?" + _words("baca juga", "read more", "read also", "also read", "see also", "simak juga",
                         "lihat juga", "baca selengkapnya", "baca pula", "baca", "tonton juga", "saksikan juga",
                         "related", "related story", "related article", "related coverage",
                         "related reading", "read next", "more coverage", "don't miss", "watch",
                         "listen", "延伸阅读", "阅读更多", "更多阅读", "点击阅读", "点击查看", "查看更多",
                         "相关链接", "推荐阅读", "相关阅读", "相关新闻", "相关报道", "相关文章", "相关",
                         "看更多", "热读", "往期回顾", "更多新闻", "更多报道", "更多资讯", "trending", "trending now",
                         "most read", "popular", "most popular", "terpopuler", "populer", "terkini", "热门", "热点",
                         "热门推荐", "热门文章", "猜你喜欢", "推荐")
    + r"[】\]]?\s*[:：>»]\s*\S"
)
LINK_NOTE = re.compile(r"[,(]\s*(?:opens|open|opening) (?:in )?(?:a )?new (?:tab|window)\)?\s*$"
                       r"|[,(]\s*(?:membuka|buka) (?:di )?(?:tab|jendela) baru\)?\s*$|[(（]新窗口打开[)）]\s*$")
NAV_STANDALONE = re.compile(
    r"^" + _words("read more", "阅读全文", "展开全文", "返回首页", "返回顶部", "返回列表", "返回搜狐,查看更多",
                  "back to top", "load more", "show more", "muat lebih banyak", "kembali ke atas",
                  "打印本页", "关闭窗口", "打印", "关闭", "收藏", "字号", "【字号", "[打印]", "[关闭]",
                  "点击排行", "更多>>", "more>>", "更多", r"skip to (?:main )?(?:content|navigation)",
                  "sign in", "sign up", "log in", "login", "log out", "register", "search", "menu",
                  r"print this (?:article|story|page)", "print", r"email this (?:article|story)",
                  "copy link", "salin tautan", "salin link", r"share this(?: article| story| post)?", "tweet",
                  r"submit (?:a )?comment", "post a comment", "posting komentar", "kirim komentar",
                  "lihat selengkapnya", "lihat semua", "tampilkan semua", "halaman selanjutnya",
                  "halaman berikutnya", "next page", "masuk", "cari", "登录", "注册", "搜索", "原文链接",
                  "原文连结", "阅读原文", "举报", "举报/反馈", "反馈", "纠错", r"powered by \w+",
                  r"(?:gmt[+-]\d{1,2},.{0,24})?processed in [\d.]+ second\(?s?\)?.{0,30}",  # a forum engine's footer
                  r":::\s*[a-z]?",  # ":::", ":::C": the skip-link anchors of accessible (Taiwan gov) sites
                  "新闻稿", "新闻发布", "press releases?", "media releases?", "media statements?", "siaran pers",
                  # attachment headers and end marks: "附件下载:", "Lampiran", "（完）", "-ends-", "###"
                  "附件下载", "附件", "相关附件", "lampiran", "attachments?", "downloads?",
                  r"[(\-–—\s]*完\s*[)\-–—]*", r"-\s*ends?\s*-", "###")
    + r"[\s\]】>»:：大中小打印关闭]*$"
)

RELATED_HEADER = re.compile(
    r"^" + _words(
        "相关文章", "相关阅读", "相关新闻", "相关报道", "相关推荐", "相关资讯", "推荐阅读", "热门文章",
        "热门推荐", "热点推荐", "热点新闻", "猜你喜欢", "更多精彩", "更多新闻", "延伸阅读", "精彩推荐",
        "最新文章", "阅读排行", "热门排行", "热门阅读", "编辑推荐", "往期回顾", "related articles",
        "related stories", "related news", "related posts", "related content", "related reading",
        "related", "more stories", "more from [^:：]{1,40}", "you may also like", "you might also like",
        "recommended for you", "recommended", "most read", "most popular", "most viewed",
        "popular stories", "popular now", "popular", "trending now", "trending", "berita terkait",
        "artikel terkait", "baca juga", "berita lainnya", "terpopuler", "berita populer",
        "rekomendasi", "pilihan editor", "terkini", "related coverage", "related topics",
        "related links", "related videos", "more coverage", "more news", "more on this story",
        "more in [^:：]{1,40}", "latest news", "latest stories", "top stories", "editor's picks",
        "editors' picks", "read next", "up next", "don't miss", "further reading",
        "in case you missed it", "you may also be interested in", "berita pilihan", "baca lainnya",
        "artikel lainnya", "berita menarik lainnya", "jangan lewatkan", "paling banyak dibaca",
        "populer", "相关专题", "相关视频", "更多报道", "你可能感兴趣", "你可能还想看", "大家都在看",
        "今日推荐", "往期精彩", "最新消息", "即时新闻", "往期推荐", "往期文章", "精彩回顾", "推荐文章",
        "更多推荐", "看更多", "video pilihan", "video terkait", "video lainnya", "foto lainnya",
        "galeri foto", "berita video", "baca selanjutnya", "baca berikutnya", "artikel selanjutnya",
        "相关链接", r"(?:you )?(?:may|might) have missed(?: these| this)?(?: stories| news| articles)?",
        r"(?:anda )?mungkin (?:anda )?(?:melewatkan|terlewat)[^:：]{0,20}", r"(?:你|您)?可能错过了?\S{0,8}",
        "不要错过", "别错过", "错过了这些", "recent news", "recent posts", "recent stories", "最新动态",
        "最新资讯", "berita terbaru", "artikel terbaru",
        # "更多縱谷日日新聞報導", "More from the Courier", "Lebih banyak berita": more of the site's own
        r"更多\S{0,12}(?:新闻|报道|报导|文章|资讯|消息|好文)", r"more (?:news|stories|articles) from [^:：]{1,40}",
        r"(?:lebih banyak|selengkapnya) (?:berita|artikel)[^:：]{0,30}",
    ) + r"$"
)

CAPTION_SUFFIX = re.compile(r"[-_ ](?:image|img|photo|foto|gambar|picture|配图|图片|图)[-_ ]?\d{1,3}$")
CAPTION_LABEL = re.compile(
    r"^[(（\[【]?\s*" + _words("图片来源", "图源", "图片", "图文", "图说", "照片", "摄影", "photo",
                                "photos", "photograph", "foto", "gambar", "image", "caption",
                                "file photo", "ilustrasi foto", "image credit", "photo credit", "credit",
                                "credits", "kredit foto", "kredit") + _COLON
)
# A photo credit on its own line: "Getty Images", "REUTERS", "ANTARA FOTO", "视觉中国".
CAPTION_AGENCY = re.compile(r"^[(（]?" + _words(
    "getty images", "reuters", "afp", "ap", "ap photo", "epa", "antara", "antara foto", "xinhua",
    "shutterstock", "istock", "istockphoto", "istimewa", "视觉中国", "新华社发", "ic photo",
) + r"[)）]?$")
CAPTION_PHRASE = re.compile(
    _words("图片来源网络", r"图片来源\s*[:：]", "图片来源于网络", "图片来自网络", "图片源于网络", "gambar diambil dari internet",
           "foto diambil dari internet", "image source", "photo shows", "file photo", "资料图")
)
CAPTION_START = re.compile(r"^(?:图为|图:|图\s?/|▲|△|\[图片\]|\[image\]|photo shows|ilustrasi\b|foto\b"
                           r"|(?:arsip foto|foto arsip|foto dokumentasi|foto dok\.?|file photo|archive photo)\s*[-–—:]\s)")
# A figure's label and name: "图一　M17椁室全景", "图2 …", "Figure 3: …", "Gambar 1. …" (a space or a
# colon after the number: "图1显示……" is a sentence about the figure)
CAPTION_FIGURE = re.compile(r"^(?:图|figure|fig\.|gambar|grafik)\s*(?:\d{1,3}|[一二三四五六七八九十]{1,3})(?:[-.]\d{1,2})?"
                            r"(?:\s*[:：.．、]\s*|\s+)\S")
# The credit closing a caption, on the raw line: "... Merak, Banten. PAN/Yusuf Hakim" (an agency
# in capitals, a slash, a name), "... at Coombe Park Oval. Picture by Sam Nguyen".
CAPTION_RAW_CREDIT_END = re.compile(
    r"(?:[.!?] [A-Z]{2,8}(?: [A-Z]{2,8})?/[A-Z][\w'-]*(?: [A-Z][\w'-]*){0,2}"
    r"|[.!?] (?:Picture|Photo|Photograph|Image|Foto|Gambar)s? (?:by|oleh|courtesy of) [A-Z][\w'-]*(?: [A-Z][\w'-]*){0,3})$"
)
CAPTION_PAREN_END = re.compile(
    r"[(（](?:[^()（）]{0,40}(?:photo|foto|图片|资料图|资料照|档案照|截图|图取自|file|供图)[^()（）]{0,40}"
    r"|[^()（）]{0,40}(?:摄|摄影|提供)\s*"  # (a credit's last word: "（中午提供午餐）" is a schedule's note)
    r"|[^()（）]{0,40}(?:摄影|摄|图)\s*[:：/][^()（）]{0,40}|[^()（）]{0,40}由[^()（）]{1,20}提供[^()（）]{0,40}"
    r"|[^()（）/\d]{2,40}/[^()（）/\d]{2,30})[)）]$"
)
# The photo credit closing a caption: "... last month. Picture: Courier archive", "... Foto: Istimewa",
# "... 图:新华社 张三".  The label follows a sentence or a space; the credit is a short name.
CAPTION_CREDIT_LABEL_END = re.compile(
    r"(?:^|[\s.。!?)）])" + _words("picture", "pictures", "pic", "photo", "photos", "photograph", "foto",
                                     "image", "gambar", "kredit foto", "photo credit", "图", "图片", "摄影")
    + r"\s*[:：/]\s*[^\W\d_](?:[^,;:!?。,;:!?()（）]{0,40}[^\s.,;:!?。,;:!?()（）])?$"
)
CAPTION_WRAPPED = re.compile(r"^[(（][^()（）]{4,300}(?:摄|供图|图)[)）]$")
# A bracketed media placeholder: "[photo unavailable]", "[Video: ...]", "(图片载入中…)", "[Infografis]".
CAPTION_PLACEHOLDER = re.compile(r"^[\[(（【<][^\[\]()（）【】<>]{0,60}[\])）】>]$")
MEDIA_WORD = re.compile(_words(
    r"\bphotos?\b", r"\bimages?\b", r"\bpictures?\b", r"\bvideos?\b", r"\bgraphics?\b",
    r"\bgallery\b", r"\binfographics?\b", r"\bchart\b", r"\baudio\b", r"\bembed", r"\bslideshow\b",
    r"\bfoto\b", r"\bgambar\b", r"\bgrafis\b", r"\binfografis\b", "图片", "图", "照片", "视频", "影片",
    "图表", "音频",
))
# "... Selasa pagi. KabarPesisir.id/Dimas Prakoso", "ANTARA FOTO/Budi", "REUTERS/Jane Doe": the
# photo credit of a caption, a site or agency, a slash and a name, closing the line.
_NAME = r"[^\W\d_]+(?:[.'-][^\W\d_]+)*"
CAPTION_CREDIT_END = re.compile(
    r"(?:(?<![\w./])[\w-]{2,30}\.(?:id|com|co|net|org|tv|news|my|sg|tw|hk|cn|mo)\s*/\s*" + _NAME
    + r"(?:\s" + _NAME + r"){1,3}"
    + r"|\b(?:antara foto|antara|reuters|ap photo|afp|getty images|epa|xinhua|anadolu)\s*/\s*" + _NAME
    + r"(?:\s" + _NAME + r"){0,3})$"
)

CONTACT_LABEL = re.compile(
    r"^[(（\[【]?\s*" + _words(
        "电话", "联系电话", "咨询电话", "服务电话", "热线", "新闻热线", "服务热线", "咨询热线", "报名电话",
        "投诉电话", "举报电话", "传真", "地址", "联系地址", "邮箱", "电子邮箱", "投稿邮箱", "邮编", "微信",
        "微信号", "公众号", "qq", "qq群", "tel", "phone", "telephone", "fax", "email", "e-mail",
        "address", "wechat", "whatsapp", "telp", "telepon", "alamat", "surel", "redaksi", "kontak",
        "hubungi kami", "商务合作", "合作热线", "广告热线", "广告合作", "联系我们", "contact us",
    ) + r"\s*[:：.]"
)
CONTACT_FIELD = re.compile(
    _words("电话", "热线", "微信", "手机", "邮箱", r"\btel", r"\btelp", r"\bphone", r"\bwhatsapp", r"\bemail",
           r"\bwechat", r"\bqq", r"\bhp\b", r"\bwa\b")
    + r"\s*[:：.]?\s*[\w(+]"
)
CONTACT_CALL = re.compile(
    r"^" + _words("扫码关注", "长按识别", "扫描二维码", "扫一扫", "关注我们", "关注公众号", "欢迎关注",
                  "follow us", "ikuti kami", "hubungi kami", "联系我们")
)
CONTACT_WORD = re.compile(_words("微信号", "扫一扫", "二维码", "长按识别", "长按扫码", "长按/扫", "公众号",
                                 r"\bwhatsapp\b", r"\bwechat\b"))
# Tip lines and reach-the-reporter lines: "Have a tip? Email ...", "Reach him at ...", "Punya info? ...".
CONTACT_TIP = re.compile(
    r"^" + _words(
        r"(?:have|got) (?:a )?(?:news )?(?:story )?tips?\b", r"news tips?\s*[:?]",
        r"(?:have|got) (?:a |any )?(?:news|story|scoop|story idea)\s*[?:]", r"ada (?:berita|cerita|info)\s*[?:]",
        r"send (?:us )?(?:your )?(?:news )?tips\b", r"reach (?:him|her|them|me|us)\b",
        r"(?:reach|contact|email|e-mail|write to) (?:the )?(?:author|writer|reporter|newsroom|editors?)\b",
        r"(?:contact|email|e-mail) (?:him|her|them)\b", r"punya (?:informasi|info|berita|cerita|video|foto)\b",
        r"kirim(?:kan)? (?:informasi|berita|tulisan|artikel|rilis)\b", "报料", "爆料", "新闻线索",
        "提供新闻线索", "欢迎投稿",
    )
)
# the newsroom asking readers for stories, with its number or address (checked on folded text):
# "…欢迎拨打蓉城晚报新闻热线028-…", "读者如曾遇到类似骗局，欢迎电邮 news@… 与本报记者联络。"
CONTACT_NEWSROOM = re.compile(r"(?:新闻热线|报料热线|爆料热线|报料电话|新闻线索)|欢迎.{0,40}?(?:与|和|向|联系|联络)"
                              r"\s*本(?:报|台|网|刊|站)")
PHONE_AFTER_COLON = re.compile(r"[:：]\s*\+?\(?\d[\d\s()-]{6,18}\d\s*$")
PHONE = re.compile(r"\+?\(?\d{2,4}\)?[\s-]?\d{3,4}[\s-]?\d{3,5}")
# A short local number after a contact word: "Info: 555-0147", "致电 8866 2277", "WA 0852 1777".
LABELLED_NUMBER = re.compile(
    _words(r"\binfo", r"\btel", r"\btelp", r"\bcall", r"\bhubungi", r"\bwa", r"\bsms", r"\btext",
           "致电", "电话", "热线", "专线", "查询") + r"\s*[:：.]?\s*\+?\(?\d[\d\s()-]{5,18}\d"
)
EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,4}")

DISCLAIMER_STRONG = re.compile(_words(
    "©", r"copyright\s*(?:©|\(c\)|\d{4})", "^copyright", "版权所有", "版权归", "all rights reserved",
    "hak cipta", "seluruh hak", "未经授权", "未经许可", "不得转载", "禁止转载", "转载请注明", "转载须注明",
    "免责声明", "trust principles", "侵删", "如有侵权", "侵权请联系", "reproduction without permission",
    "without permission is prohibited", "icp备", "icp证", "公网安备", "we use cookies",
    "this site uses cookies", "this website uses cookies", "use of cookies", "cookie policy",
    "accept cookies", "kami menggunakan cookie", "使用cookie", "本文仅代表作者", "不代表本站",
    "本站部分文章", "本站部分内容", "仅供学习交流", "sign up for our", "subscribe to our",
    "subscribe now", "berlangganan sekarang", "版权声明", "如需转载", "转载请", "转载时请", "download aplikasi", "下载客户端", "点击订阅",
    "著作权所有", r"^\(c\)\s*(?:\d{4}|copyright)", "仅代表作者", "信息存储空间服务", "仅提供信息存储",
    # who answers for comments and opinion pieces
    r"views expressed in (?:the )?comments", r"comments (?:are|do not) (?:the views|reflect)",
    r"(?:sepenuhnya )?(?:menjadi )?tanggung jawab (?:penulis|komentator|pengirim)\b.{0,60}\btidak mewakili",
    r"komentar .{0,40}tanggung jawab (?:sepenuhnya )?(?:pengirim|penulis|komentator)",
    r"views expressed in (?:the )?(?:letters|comments|this (?:article|column|opinion))",
    r"does not discriminate (?:in any|on the basis|against)", r"^风险提示[:：]", r"理财非存款",
    r"保留.{0,20}权利.{0,30}最终(?:决定|解释)", r"所需费用由.{0,12}(?:酬金|津贴)",
    "网友评论仅供", "評論僅代表", "评论仅代表",
    # a bilingual release: which version prevails
    r"(?:中文|英文)(?:及|和|与|或)(?:英文|中文)(?:版本?)?\S{0,8}(?:歧异|差异|不一致|出入)\S{0,8}为准",
    r"以(?:中|英|葡)文(?:版本?)?为准\W{0,2}(?:中|英|葡)文(?:版本?)?仅供参考",
    # a health article's own disclaimer: "Catatan: Artikel ini hanya untuk edukasi dan tidak menggantikan ..."
    r"(?:(?:artikel ini|this article|this information)\b|本文).{0,60}(?:tidak (?:dapat )?menggantikan|does not replace|"
    r"is not a substitute for|不能替代|不能代替)",
    r"in (?:the )?(?:case|event) of (?:any )?(?:discrepancy|inconsistency|conflict) between the (?:english|chinese)",
))
# Market-data notices (short lines only): "All quotes delayed a minimum of 15 minutes. ...",
# "Data harga tertunda 15 menit", "行情数据延迟15分钟".
MARKET_NOTICE = re.compile(_words(
    r"^all (?:stock |market |price )?(?:quotes|prices|data) (?:are |is )?delayed\b",
    r"\b(?:quotes|prices|data) (?:are |is )?delayed (?:by )?(?:a minimum of |at least |up to )?\d{1,2} ?min",
    r"^(?:semua )?(?:data|harga|kutipan)(?: harga| pasar| saham)? (?:tertunda|terlambat)\b",
    r"(?:行情|报价|数据)\S{0,4}(?:延迟|延时)\s*\d{1,2}\s*分钟",
))
# The site telling how to view it: "建议使用1920×1080分辨率浏览本网站", "Best viewed in Chrome".
SITE_NOTICE = re.compile(_words(
    r"(?:建议|推荐|最佳)\S{0,16}分辨率", r"分辨率\S{0,10}(?:浏览|访问|观看)", r"(?:浏览|访问)本(?:网)?站\S{0,6}(?:建议|推荐)",
    r"\bbest viewed (?:in|with|at|using)\b", r"\brecommended (?:screen )?resolution\b",
    r"\bresolusi (?:layar )?(?:terbaik|yang disarankan)\b",
))
# "Disclaimer: ...", "免责声明:...", "声明:..." - a label that only ever introduces a notice.
DISCLAIMER_LABEL = re.compile(
    r"^[\[【(（*]?\s*" + _words("disclaimer", "免责声明", "特别声明", "声明", "版权声明", "penafian",
                                 "sanggahan", "catatan redaksi") + r"\s*[\]】)）]?\s*[:：]"
)
# The newsroom's standards, linked under the article: "Our Standards: The ... Trust Principles."
STANDARDS_LABEL = re.compile(r"^" + _words("our standards", "editorial standards", "standar kami", "standar redaksi",
                                            "我们的标准", "编辑准则") + _COLON)
# A notice in which the site speaks about itself: the site ("本站", "this website") and a hedge or
# a rights claim ("未做核实", "not responsible", "版权") in the same short line.
SELF_REFERENCE = re.compile(_words(
    "本站", "本网站", "本平台", "本通讯", "本文", r"this (?:site|website)", r"\bsitus ini", r"\bportal ini",
))
HEDGE = re.compile(_words(
    "版权", r"\bcopyright\b", r"\bhak cipta\b", r"all rights", "主办", "承办", "主管",  # rights, owner
    "仅供参考", r"未(?:做|作|经)?独立核实", "未经核实", "不作任何保证", "不承担", "不代表", "不构成",  # hedges
    r"not (?:be )?(?:held )?responsible", "no responsibility", r"do(?:es)? not necessarily",
    r"not (?:constitute|intended as) (?:investment|financial|legal) advice", r"tidak bertanggung jawab",
    r"berhak (?:menghapus|mengedit|menyunting)", "bukan (?:merupakan )?rekomendasi",
))
DISCLAIMER_WEAK = re.compile(r"^" + _words("subscribe", "newsletter", "berlangganan", "订阅", "disclaimer",
                                           "声明", "terms of use", "privacy policy"))

ADVERTISEMENT = re.compile(
    r"^" + _words("advertisement", "advertisements", "advertising", "ad", "ads", "sponsored",
                  "sponsored content", "广告", "推广", "赞助", "赞助内容", "iklan",
                  "scroll to continue with content", "scroll to continue reading",
                  "scroll untuk melanjutkan membaca", "scroll untuk melanjutkan", "konten bersponsor")
    + r"$"
)
ADVERTISEMENT_LABEL = re.compile(r"^" + _words("广告", "advertisement", "iklan", "sponsored") + _COLON)
# An ad tagged in brackets before its copy: "[广告] 夏季清凉好物 ...", "【廣告】母親節限定！...".
ADVERTISEMENT_TAG = re.compile(r"^[\[【(（]\s*" + _words("广告", "推广", "赞助", "ad", "ads", "advertisement",
                                                          "advertorial", "sponsored", "promoted", "iklan",
                                                          "promo", "限时优惠", "限时特惠", "限时特价", "限时抢购",
                                                          "优惠", "特惠", "特价", "促销", "秒杀", "团购", "福利",
                                                          "好物推荐", "sale", "hot deal", "deal", "diskon",
                                                          "promo spesial") + r"\s*[\]】)）]\s*\S")
# A site's name or motto: "瀟湘資訊網 湖南產業信息服務平臺", "LintasRiau", "Kabar Kita Online".
SITE_NAME = re.compile(
    r"网|平台|门户|在线|资讯|融媒|传媒|日报|晚报|时报|电台|新闻|频道|官方|\.(?:com|net|org|id|cn|tw|hk|my|sg|ph)\b|"
    r"\b(?:news|online|daily|times|post|herald|tribune|radio|fm|tv|portal|media|gazette|journal|express|wire|"
    r"berita|kabar|warta|info)\b"
)
# Script text that leaked into a page dump: analytics and ad-loader code, not article text.
CODE_LINE = re.compile(
    r"^\s*(?:var|let|const)\s+[\w$]+\s*=|^\s*\(?\s*function\s*\(|^\s*(?:window|document)\.[\w$]+|"
    r"^\s*(?:_hmt|_gaq|gtag|dataLayer|googletag|adsbygoogle|_paq)\b|^\s*<\s*/?\s*script\b|"
    r"^\s*\(adsbygoogle\b|^\s*\}\)\(\);?\s*$"
)
# A counter left empty when the page was saved ("... 点击:", "Dibaca:"): still a byline field.
EMPTY_COUNTER = re.compile(r"\s*[|｜]?\s*(?:点击|阅读|浏览|点击数|点击量|阅读数|阅读量|浏览量|浏览次数|访问量|"
                           r"views?|reads?|hits|dibaca)\s*[:：]?\s*(?:--|-|—)?\s*$")
# The buy button closing an ad: "... 点击进入>>", "... ▶ 立即抢购", "Shop now", "Beli sekarang".
# With its pointer only: "点击进入" alone may close a step of a how-to list.
_AD_CALLS = _words("点击进入", "立即抢购", "马上抢购", "立即购买", "点击购买", "立即选购", "点我购买", "shop now",
                   "buy now", "order now", "beli sekarang", "pesan sekarang")
# ad copy in an ad slot inside the article: a brand and a dash before the pitch ("Sunrise Insurance —
# Protect your business ..."), bars between the pitch's parts ("池上米禮盒 新米上市｜訂購專線 089-...")
AD_BRAND_DASH = re.compile(r"^[^\W\d_][^.!?。！？]{1,40}?\s[—–]\s")
AD_PITCH = re.compile(_words(
    r"\bcall\b", r"get a (?:free )?quote", r"(?:order|book|shop|buy|apply|register|enrol+) (?:now|today|online)",
    r"now open", r"visit us", r"learn more", r"free (?:delivery|shipping|consultation|trial)", r"\d+\s?% off",
    r"limited (?:time|offer)", r"hubungi", r"pesan sekarang", r"daftar sekarang", r"diskon", r"promo\b",
    r"gratis ongkir", "订购", "訂購", "预购", "預購", "专线", "專線", "优惠", "優惠", r"买.送.", r"買.送.", "限时",
    "限時", "抢购", "搶購", "招生", "热卖", "熱賣", "礼盒", "禮盒"))
AD_CALL = re.compile(r"(?:[▶►→»]\s*" + _AD_CALLS + r"|" + _AD_CALLS + r"\s*(?:>>|》》|»|▶|►|→))\s*[!！]?$")
# Selling the site's own ad space: "Advertise with us", "Pasang iklan? Hubungi ...", "广告合作".
# an app or product pitch opening its line: "Unduh aplikasi X di Play Store – live score, …" (its features
# after a dash; "Unduh aplikasi X di Play Store, kata juru bicara itu." is reported speech), "PROMO PASANG BARU!
# Diskon …", "【手机银行】扫码下载…APP，…立享…"
AD_OPENING = re.compile(r"^(?:(?:unduh|download) (?:aplikasi|the app|our app)\b[^,.]{0,60}\s[–—-]\s|promo\b[^.!?]{0,40}!|"
                        r"【[^】]{1,8}】\s*(?:扫码|扫描|下载|点击))")
ADVERTISE_CALL = re.compile(
    r"^" + _words(r"advertise (?:with|in|on)\b", r"advertising (?:enquiries|inquiries|opportunities)",
                  r"pasang iklan\b", r"info iklan\b", "广告合作", "广告投放", "广告刊登", "刊登广告",
                  "广告招商", "广告热线")
)
# Ad-slot markers around an inline advertisement: "Story continues below", "(文章未完,请往下阅读)",
# "- - - Lanjutkan membaca di bawah ini - - -".  Matched on the line without decoration.
CONTINUE_MARKER = re.compile(
    r"^" + _words(
        r"(?:the )?(?:story|article|content|text|report) continues (?:below|after)",
        r"continue reading(?: (?:below|the main story|after))?",
        r"scroll (?:down )?(?:to|for) (?:continue|more|resume)",
        r"lanjutkan membaca", r"lanjut(?:kan)? baca", r"gulir (?:ke bawah )?untuk", r"artikel berlanjut",
        "文章未完", r"未完[,，]?\s*请?(?:继续)?往下", "下滑继续", r"请?继续往下(?:阅读|看|滑)", "继续阅读下文",
        "广告后继续", "阅读下文",
    ) + r"[^.!?。！？]{0,24}$"  # the whole line: "Continue reading the signs, he said." is prose
)
# Prompts to follow the site elsewhere: newsletters, apps, WhatsApp/Telegram/LINE channels.  A prompt
# is an imperative at the start of the line plus a channel word ("Get ... in your inbox", "Dapatkan
# update berita ... Gabung Channel WhatsApp", "扫码下载...APP").  Channels that only a prompt names
# count anywhere; channels an article may also name (an app, a channel) count after the article.
PROMPT_VERBS_ZH = ("扫码", "扫描", "下载", "订阅", "关注", "加入", "追踪", "点击", "长按")
PROMPT_VERB_ZH = re.compile(r"^\W{0,3}" + _words(*PROMPT_VERBS_ZH))
PROMPT_VERB = re.compile(
    r"^(?:\W{0,3})" + _words(
        r"sign up\b", r"subscribe\b", r"download\b", r"get\b", r"join\b", r"follow\b", r"install\b",
        r"ikuti\b", r"gabung\b", r"bergabung(?:lah)?\b", r"dapatkan\b", r"unduh\b", r"daftar\b",
        r"berlangganan\b", r"langganan\b", r"klik\b", r"baca\b", r"cek\b", r"simak\b", *PROMPT_VERBS_ZH,
    )
)
PROMPT_CHANNEL = re.compile(_words(
    r"\bnewsletters?\b", r"\binbox\b", r"\bwhatsapp\b", r"\btelegram\b", r"google news",
    r"\bline\s*(?:@|official\b|oa\b)", r"\bupdate berita\b", r"\bberita terkini\b", r"\bbreaking news\b",
    r"\bberita terbaru\b",
    "客户端", "公众号", "视频号", "电子报", "line好友", "官方line",
))
PROMPT_CHANNEL_WEAK = re.compile(_words(
    r"(?<![a-z])apps?(?![a-z])", r"\baplikasi\b", r"\bchannel\b", r"\bsaluran\b", r"\binstagram\b",
    r"\byoutube\b", r"\btiktok\b", r"\bfacebook\b", r"\btwitter\b", "频道", "邮箱", "微博", "抖音",
))
# The call itself, anywhere in a short line: "Sign up - it's free", "立即订阅 >>".
PROMPT_ACTION = re.compile(_words(
    r"sign up\s*[-–—:,]?\s*it'?s free", r"subscribe (?:now|today)\b", "立即订阅", "免费订阅", "电子报",
    "送到您的邮箱", r"打开.{0,8}app(?:阅读|查看|看)", r"打开.{0,8}app.{0,3}阅读体验更", r"下载.{0,8}app.{0,3}阅读",
))
# After the article a prompt may name any channel, if it speaks for the site ("follow us", "本报")
# or points at a QR code.
READER_WORD = re.compile(_words(r"\byou\b", r"\byour\b", r"\banda\b", r"\bkamu\b", "你", "您"))
SELF_WORD = re.compile(_words(r"\bus\b", r"\bour\b", r"\bkami\b", "我们", "本报", "本网", "本台", "本站", "小编"))
QR_VERB = re.compile(r"^\W{0,3}" + _words("扫码", "扫描", "长按", r"scan\b", r"pindai\b"))


# ---------------------------------------------------------------- controls and widgets

# Pagination: "Halaman: 1 2 Selanjutnya »", "Page 2 of 3", "第1页 共3页", "上一页 1 2 3 下一页".
PAGE_WORD = re.compile(_words(r"\bhalaman\b", r"\bhal\b", r"\bpages?\b", r"\bnext\b", r"\bprev(?:ious)?\b",
                              r"\bselanjutnya\b", r"\bsebelumnya\b", r"\bberikutnya\b", "下一页", "上一页",
                              "尾页", "末页", r"第\s*\d{1,3}\s*页", r"共\s*\d{1,3}\s*页"))
PAGE_TOKEN = re.compile(_words(PAGE_WORD.pattern, r"\bof\b", r"\bdari\b", "首页", r"\d{1,3}", r"\ball\b",
                               r"\bsemua\b", r"\btampilkan\b", "全文", r"[«»‹›<>|:·.…/\-–\s]"))
# Font-size and audio widgets: "字体大小:A A A", "字号:大 中 小", "Text size A- A+", "Listen to this article".
FONT_SIZE = re.compile(
    r"^[\[【(（]?\s*" + _words("字体大小", "字体", "字号", "文字大小", "字级设定", "字级设置", "字型大小", "字级",
                  "text size", "font size", "ukuran huruf",
                  "ukuran font", "ukuran teks", "ukuran") + r"\s*[:：]?\s*(?:[a大中小特标准较+\-]\s*){1,6}[|｜]?"
)
FONT_BUTTONS = re.compile(r"^(?:a\s*[+\-]?\s*){2,4}$")
# Buttons of a print / font-size toolbar, once the "字号:大 中 小" part is taken off.
WIDGET_BUTTON = re.compile(
    r"[\[【(（<]?\s*" + _words("打印本页", "打印", "关闭窗口", "关闭", "收藏", "纠错", "推荐", "复制链接",
                                "print", "close", "email", "e-mail", "cetak", "tutup", "a\\+", "a-", "a",
                                "大", "中", "小") + r"\s*[\]】)）>]?"
)
# One toolbar button in brackets: "【打印本页】", "[ Print ]", "【返回顶部】".
BRACKETED_BUTTON = re.compile(
    r"[\[【(（<]\s*" + _words("打印本页", "打印此页", "打印", "关闭窗口", "关闭", "收藏", "纠错", "推荐", "复制链接",
                                "返回顶部", "返回首页", "返回列表", "分享", "print", "close", "email", "e-mail",
                                "cetak", "tutup", "back to top", "kembali ke atas")
    + r"\s*[\]】)）>]"
)
LISTEN = re.compile(r"^" + _words(r"listen to (?:this )?(?:article|story)", r"dengarkan (?:artikel|berita)",
                                   "听新闻", "语音播报", "收听本文", "听全文", "朗读本文"))
# Reader-feedback prompts: "Was this article helpful? Yes No", "觉得有用?点个“在看”吧".
ENGAGEMENT = re.compile(
    r"^" + _words(
        r"was this (?:article|story|page|information) (?:helpful|useful)", r"did you (?:find|like|enjoy) this",
        r"how (?:useful|helpful) was this", r"rate this (?:article|story)",
        r"apakah (?:artikel|berita|informasi) ini (?:bermanfaat|membantu)", r"bagaimana reaksi anda",
        r"berikan (?:reaksi|penilaian)", "点击(?:上方|下方|右上角|左下角|蓝字)",
        "觉得(?:有用|不错|好看|有帮助)[?？!！,，]", "(?:点|给)个?[\"“]?在看",
        r"(?:点赞|在看|分享|转发|收藏)(?:\s*[、|/,，]?\s*(?:点赞|在看|分享|转发|收藏)){1,4}\s*$",
        "喜欢(?:这篇文章|本文)[,，]",
        r"like this\s*:\s*(?:like\b|loading)", r"(?:loading|memuat)\s*(?:\.{2,3}|…)\s*$",
    )
)
# A bar of reader actions with counters: "点赞(2.1万)  收藏  分享到朋友圈", "Like 12 | Share | Save".
ACTION_ITEM = re.compile(
    _words("点赞", "赞", "在看", "分享", "转发", "收藏", "喜欢", "评论", "留言", "打赏", "likes?", "shares?", "save",
           "saved", "comments?", "suka", "bagikan", "simpan", "komentar")
    + r"\s*(?:[(（]\s*[\d.,]{1,9}\s*[万千kmrb+]?\s*[)）]|[\d.,]{1,9}\s*[万千kmrb+]?)?"
    + r"|" + _words("分享到", "分享至", "转发到", "share to", "share on", "bagikan ke") + r"\s*\S{1,8}"
)
# Comment widgets: form fields, counters and prompts ("昵称(必填) 邮箱(必填)", "已有 4 条评论",
# "还没有评论", "Join the conversation.", "留言(3) 请登入后发表留言").  Short lines only (see rules).
COMMENT_PROMPT = re.compile(
    _words(
        rf"^已有\s*\d{{1,6}}\s*(?:条|则|个|位|人)?\s*(?:评论|留言|回复|跟帖)(?![{HAN_CHARS}])",
        rf"^(?:目前)?(?:还没有|暂无|尚无)(?:任何|人)?(?:评论|留言)(?:哦|呢|喔)?(?![{HAN_CHARS}])", "抢沙发",
        "文明发言", "理性发言",
        r"^(?:评论|留言|跟帖|回复|comments?|komentar|responses?|replies)\s*[(（]\s*\d{1,6}\s*[)）]",
        r"(?:登录|登入)后?(?:才能|即可|方可|再)?(?:发表|参与)?(?:留言|评论|回复|讨论)",
        r"^(?:昵称|名字|姓名|nickname|name|nama)\s*[(（\[]?\s*(?:必填|required|wajib)",
        r"^join the (?:conversation|discussion|debate)\s*[.!:]", r"^(?:be the first to comment|no comments yet)\b",
        r"^(?:you must be |please )?(?:log(?:ged)? ?in|sign(?:ed)? in)(?: or (?:register|sign up))? to "
        r"(?:comment|reply|post|join)\b",
        r"^comments are closed\b", r"^(?:belum ada komentar|jadilah (?:yang )?(?:pertama|orang pertama))",
        r"^(?:silakan |harap )?(?:login|masuk) untuk (?:berkomentar|mengomentari|memberi komentar)",
        r"^tinggalkan (?:komentar|balasan)\b",
        # the comment form of a blog: "Your email address will not be published. Required fields are marked *"
        r"^your email(?: address)? will not be (?:published|shared|displayed)",
        r"^required fields are marked\s*(?:\*|with an? )",
        r"^alamat email anda tidak akan (?:dipublikasikan|ditampilkan|disebarkan)", r"^ruas yang wajib ditandai",
        r"^(?:您的|你的)?(?:电子)?邮箱(?:地址)?不会被公开", r"^必填项已用\s*\*?\s*标注",
        r"^save my name,? email,? and website in this browser", r"^simpan nama,? email,? dan situs web saya",
        r"^(?:tulis|berikan|ketik) komentar\b", r"^write (?:a|your) comment\b", r"^(?:写下|发表)(?:你|您)的(?:评论|留言)",
    )
)
COMMENTS = re.compile(
    r"^(?:\d{1,6}\s*)?" + _words("comments?", "leave a (?:comment|reply)", "show comments", "view comments",
                                  "join the (?:conversation|discussion)", "komentar", "kirim komentar",
                                  "tulis komentar", "lihat komentar", "发表评论", "我要评论", "网友评论", "评论",
                                  "热门评论", "全部评论", "精彩评论", "最新评论", "网友留言", "留言", "跟帖", "查看评论")
    + r"\s*(?:[(（]?\d{0,6}[)）]?|[(（](?:已有|共)\s*\d{1,6}\s*(?:条|则|个|個)?(?:评论|評論|留言)?[)）])\s*$"
)  # ("评论(3)", "网友评论（已有3条评论）")

# ---------------------------------------------------------------- cues trusted only after the article
# (MEDIA_SELF and PUBLISHER + COMPANY are also trusted anywhere: an article rarely describes its own site)

# Author bio, checked on the raw (unfolded) line: "Greg Lindqvist covers City Hall for The Ledger."
AUTHOR_BIO = re.compile(
    r"^(?!(?:The|This|That|It|A|An|He|She|They|We)\b)[A-Z][\w.'-]*(?:\s[A-Z][\w.'-]*){0,3}\s"
    r"(?:covers|reports on|writes about|writes for|is (?:a|an|the) (?:[\w-]+\s){0,3}"
    r"(?:reporter|writer|correspondent|editor|journalist|columnist|contributor|producer|photographer))\b"
    r".{0,80}?\b(?:for|at|with)\s(?:the\s)?[A-Z]"  # "... for The Ledger": a publication follows
)
AUTHOR_BIO_FOLDED = re.compile(r"^[(（]?\s*" + _words(r"penulis (?:adalah|merupakan)", "作者系", "作者为",
                                                       "作者单位", r"the (?:author|writer) is"))
# The publisher footer: "X is a publication of Y Pte Ltd", "X merupakan media milik PT ...".
PUBLISHER = re.compile(_words(
    r"is a publication of", r"is published by", r"is (?:a|an) (?:\w+ )?(?:product|service|brand|subsidiary) of",
    r"merupakan (?:media|portal|situs)(?: berita)? (?:milik|di bawah)", "旗下(?:网站|媒体|品牌|平台)",
))
# The site describing itself: "West China Review is an independent English-language news service ...".
MEDIA_SELF = re.compile(
    r"^[^,.;:!?]{2,40}?\s(?:is|adalah|merupakan)\s(?:an?\s)?(?:[\w-]+\s){0,3}"
    r"(?:news (?:service|site|portal|outlet|website)|newspaper|media (?:outlet|company)"
    r"|portal berita|situs berita|media (?:online|siber|daring))"
    r"\s(?:covering|serving|dedicated to|focused on|focusing on|reporting on|yang)\b"
)
# A slogan with the founding year: "Tepercaya Sejak 2009", "Independent news since 1987", "创刊于1949年".
SLOGAN_SINCE = re.compile(_words(r"\b(?:since|sejak|established|founded|est\.?)\s+(?:in\s+)?\d{4}\b",
                                 r"创刊于\s*\d{4}", r"创办于\s*\d{4}", r"创立于\s*\d{4}", r"始于\s*\d{4}"))
COMPANY = re.compile(_words(r"\bpte\b", r"\bltd\b", r"\binc\b", r"\bllc\b", r"\bplc\b", r"\bcorp\b",
                            r"\bmedia\b", r"\bgroup\b", r"\bpt\b", r"\btbk\b", r"\bsdn bhd\b", "有限公司",
                            "集团", "传媒"))
# Commercial words of an advertisement that carries a phone number ("PROMO!", "Tickets $8", "限时特惠").
COMMERCIAL = re.compile(_words(
    r"\bpromo\b", r"\bdiskon\b", r"\bsale\b", r"\bticket", r"\boff\b", r"\bfree\b", r"\bgratis\b",
    r"\bhubungi\b", r"\binfo\b", r"\breservasi\b", r"\bpemesanan\b", r"\bpendaftaran\b",
    r"\bcall\b", r"\bbook\b", r"\border\b", r"\$\s?\d", r"\brp\s?\d", "特惠", "优惠", "限时", "预订",
    "订购", "致电", "热线", "专线", "报名", "咨询", "查询", "买.送.", "免费", "招租", "招商", "!",
))


def strip_decor(folded: str) -> str:
    """``【相关文章】`` / ``—— Related ——`` -> the bare cue."""
    return folded.strip(_DECOR)


def strip_marker(bare: str) -> str:
    """``(文章未完,请往下阅读)`` / ``- - - Lanjutkan membaca - - -`` -> the bare marker text."""
    return bare.strip("()（）").strip(" -–—=*#_.·")


# Same matches, faster searches (a first-character lookahead where the engine has none; see fastre).
_fastre.accelerate(globals())
