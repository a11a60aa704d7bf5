"""Language-neutral line features and small multilingual cue lists.

Every cue is matched against a *folded* copy of the first :data:`HEAD` characters of a line:
pinyin artifacts such as ``調(diào)`` are removed, Traditional is folded to Simplified (OpenCC
``t2s``), then NFKC (full-width ``：｜＞`` become ``:|>``) and case folding.  Cue lists are therefore
written once, in Simplified Chinese / lower-case English / lower-case Indonesian.

All regular expressions here are linear: no nested quantifiers, bounded repetitions only, and they
only ever see a bounded prefix of a line.
"""
from __future__ import annotations

import re
import unicodedata

HEAD = 400  # characters of a line that cue matching ever looks at

try:  # OpenCC is a declared dependency; degrade to no folding rather than fail if it is broken.
    import opencc

    _T2S = opencc.OpenCC("t2s")
except Exception:  # pragma: no cover - exercised only without OpenCC
    _T2S = None

_PINYIN = re.compile(
    r"(?<=[\u3400-\u9fff])\([a-zü]{0,6}[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]{0,6}\)"
)
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[^\W\d_]{2,}")
_DIGITS = re.compile(r"\d+")


def strip_pinyin(text: str) -> str:
    """Remove scraped pinyin glosses: ``發(fā)展`` -> ``發展``; real ``(2021)`` / ``(CZT)`` stay."""
    return _PINYIN.sub("", text)


def fold_heads(lines: list[str]) -> list[str]:
    """Fold the head of every line for cue matching (one OpenCC call for the whole page)."""
    heads = [_UNSAFE.sub(" ", strip_pinyin(line[:HEAD])) for line in lines]
    if _T2S is not None and any(_CJK.search(h) for h in heads):
        converted = _T2S.convert("\n".join(heads)).split("\n")
        if len(converted) == len(heads):
            heads = converted
        else:  # pragma: no cover - defensive: OpenCC never merges lines in practice
            heads = [_T2S.convert(h) for h in heads]
    return [unicodedata.normalize("NFKC", h).casefold() for h in heads]


def units(folded: str) -> int:
    """Rough amount of text: CJK characters count 1, Latin-script words 2, digit groups 1."""
    cjk = len(_CJK.findall(folded))
    return cjk + 2 * len(_LATIN_WORD.findall(folded)) + len(_DIGITS.findall(folded))


# ---------------------------------------------------------------- line shape

_CLOSERS = "\"'”’」』)）]】》"
_SENTENCE_END = set("。！？!?.;；…")
_LIST_ITEM = re.compile(
    r"^(?:\d{1,2}[.、)）](?!\d)|[（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}、|[•·▪◦\-–*]\s)"
)
_QUOTE_OPEN = tuple("\"“「『‘'")


_END_MARK = re.compile(r"\s*[(（](?:\*|完|终|end|selesai|habis)[)）]$")


def ends_sentence(folded: str) -> bool:
    """True for lines ending like a sentence (also ``:``, which introduces a list).

    End-of-article marks such as ``(*)`` or ``(完)`` are looked through.
    """
    core = _END_MARK.sub("", folded.rstrip()).rstrip(_CLOSERS).rstrip()
    return bool(core) and (core[-1] in _SENTENCE_END or core[-1] == ":")


def ends_ellipsis(folded: str) -> bool:
    core = folded.rstrip().rstrip(_CLOSERS)
    return core.endswith("...") or core.endswith("…")


def is_list_item(folded: str) -> bool:
    return bool(_LIST_ITEM.match(folded))


def is_quote(folded: str) -> bool:
    return folded.startswith(_QUOTE_OPEN)


# ---------------------------------------------------------------- cue lists

def _words(*alternatives: str) -> str:
    return "(?:" + "|".join(alternatives) + ")"


_COLON = r"\s*[:：]"
_DECOR = "【】[]<>《》▌■●◆▶►—-=*#|:：_ \t"

SUMMARY_PREFIX = re.compile(
    r"^\s*[【\[]?" + _words("摘要", "内容摘要", "内容提要", "导读", "核心提示", "提要", "summary",
                            "abstract", "ringkasan", "sekilas") + r"\s*[】\]]?\s*[:：]?\s*"
)
TITLE_PREFIX = re.compile(r"^\s*" + _words("标题", "title", "judul") + _COLON)

CREDIT_LABEL = re.compile(
    r"^[(（\[【]?\s*" + _words(
        "来源", "稿源", "出处", "本文来源", "文章来源", "消息来源", "原标题", "原文标题", "责任编辑",
        "编辑", "责编", "审核", "审校", "校对", "作者", "撰文", "文字", "记者", "通讯员", "摄影",
        "摄像", "供稿", "source", "sources", "editor", "editors", "edited by", "reporter",
        "reporting by", "written by", "author", "writer", "sumber", "penulis", "pewarta",
        "reporter", "redaktur", "fotografer", "kontributor",
    ) + _COLON
)
CREDIT_PHRASE = re.compile(
    r"^[(（]?\s*" + _words(
        "this article is from", "this story is from", "this article was (?:first |originally )?published",
        "originally published", "artikel ini (?:telah )?(?:tayang|terbit)", "本文转载自", "转载自",
        "本文转自", "本文由", "本文来自",
    )
)
CREDIT_REPORTER = re.compile(r"记者|通讯员|特约撰稿|见习记者")

NAV_BREADCRUMB_LABEL = re.compile(
    r"^" + _words("当前位置", "您的位置", "你的位置", "所在位置", "您现在的位置", "当前页面",
                  "you are here", "lokasi anda") + _COLON
)
NAV_HOME = re.compile(r"^" + _words("首页", "主页", "网站首页", "home", "beranda", "homepage") + r"\s*[>»›/\\]")
NAV_CRUMB_SEP = re.compile(r"\s*[>»›]\s*")
NAV_MENU_SEP = re.compile(r"\s*[|｜]\s*|\s+·\s+")
NAV_PREV_NEXT = re.compile(
    r"^" + _words("上一篇", "下一篇", "上一条", "下一条", "上篇", "下篇", "上一页", "下一页",
                  "previous article", "previous post", "previous story", "previous",
                  "next article", "next post", "next story", "next", "prev",
                  "artikel sebelumnya", "artikel selanjutnya", "berita sebelumnya",
                  "berita selanjutnya", "sebelumnya", "selanjutnya", "berikutnya")
    + r"\s*(?:[:：>»]|$)"
)
NAV_SHARE = re.compile(
    r"^" + _words("分享到", "分享至", "分享给朋友", "分享给好友", "分享给", "分享", "转发到", "转发至", "一键分享", "share this article",
                  "share this story", "share this", "share on", "share", "bagikan artikel ini",
                  "bagikan", "sebarkan") + r"\s*[:：]"
)
SOCIAL = re.compile(_words("facebook", "twitter", "whatsapp", "linkedin", "telegram", "email",
                           "e-mail", "微信", "微博", "qq空间", "qq", "line", "pinterest", "reddit",
                           "weibo", "wechat", "x", "豆瓣", "朋友圈"))
NAV_TAGS = re.compile(
    r"^" + _words("标签", "关键词", "关键字", "tags", "tag", "topics", "topik", "kata kunci",
                  "keywords", "label") + _COLON
)
NAV_READ_MORE = re.compile(
    r"^[【\[]?" + _words("baca juga", "read more", "read also", "also read", "see also", "simak juga",
                         "lihat juga", "baca selengkapnya", "延伸阅读", "阅读更多", "更多阅读", "点击阅读",
                         "点击查看", "查看更多", "相关链接", "推荐阅读") + r"[】\]]?\s*[:：>»]\s*\S"
)
NAV_STANDALONE = re.compile(
    r"^" + _words("read more", "阅读全文", "展开全文", "返回首页", "返回顶部", "返回列表", "返回搜狐,查看更多",
                  "back to top", "load more", "show more", "muat lebih banyak", "kembali ke atas",
                  "打印本页", "关闭窗口", "打印", "关闭", "收藏", "字号", "【字号", "[打印]", "[关闭]",
                  "点击排行", "更多>>", "more>>", "更多") + r"[\s\]】>»:：大中小打印关闭]*$"
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
        "rekomendasi", "pilihan editor", "terkini",
    ) + r"$"
)

CAPTION_SUFFIX = re.compile(r"[-_ ]image[-_ ]?\d{1,3}$")
CAPTION_LABEL = re.compile(
    r"^[(（\[【]?\s*" + _words("图片来源", "图源", "图片", "图文", "图说", "照片", "摄影", "photo",
                                "photos", "photograph", "foto", "gambar", "image", "caption",
                                "file photo", "ilustrasi foto") + _COLON
)
CAPTION_PHRASE = re.compile(
    _words("图片来源网络", r"图片来源\s*[:：]", "图片来源于网络", "图片来自网络", "图片源于网络", "gambar diambil dari internet",
           "foto diambil dari internet", "image source", "photo shows", "file photo", "资料图")
)
CAPTION_START = re.compile(r"^(?:图为|图:|▲|△|\[图片\]|\[image\]|photo shows|ilustrasi\b|foto\b)")
CAPTION_PAREN_END = re.compile(
    r"[(（](?:[^()（）]{0,40}(?:photo|foto|摄|图片|资料图|file)[^()（）]{0,40}"
    r"|[^()（）/\d]{2,40}/[^()（）/\d]{2,30})[)）]$"
)
CAPTION_WRAPPED = re.compile(r"^[(（][^()（）]{4,300}(?:摄|供图|图)[)）]$")

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
           r"\bwechat", r"\bqq", r"\bhp", r"\bwa")
    + r"\s*[:：.]?\s*[\w(+]"
)
CONTACT_CALL = re.compile(
    r"^" + _words("扫码关注", "长按识别", "扫描二维码", "扫一扫", "关注我们", "关注公众号", "欢迎关注",
                  "follow us", "ikuti kami", "hubungi kami", "联系我们")
)
CONTACT_WORD = re.compile(_words("微信号", "扫一扫", "二维码", "长按识别", "长按扫码", "长按/扫", "公众号",
                                 r"\bwhatsapp\b", r"\bwechat\b"))
PHONE_AFTER_COLON = re.compile(r"[:：]\s*\+?\(?\d[\d\s()-]{6,18}\d\s*$")
PHONE = re.compile(r"\+?\(?\d{2,4}\)?[\s-]?\d{3,4}[\s-]?\d{3,5}")
EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,4}")

DISCLAIMER_STRONG = re.compile(_words(
    "©", r"copyright\s*(?:©|\(c\)|\d{4})", "^copyright", "版权所有", "版权归", "all rights reserved",
    "hak cipta", "seluruh hak", "未经授权", "未经许可", "不得转载", "禁止转载", "转载请注明", "转载须注明",
    "免责声明", "侵删", "如有侵权", "侵权请联系", "reproduction without permission",
    "without permission is prohibited", "icp备", "icp证", "公网安备", "we use cookies",
    "this site uses cookies", "this website uses cookies", "use of cookies", "cookie policy",
    "accept cookies", "kami menggunakan cookie", "使用cookie", "本文仅代表作者", "不代表本站",
    "本站部分文章", "本站部分内容", "仅供学习交流", "sign up for our", "subscribe to our",
    "subscribe now", "berlangganan sekarang", "版权声明", "如需转载", "转载请", "转载时请", "download aplikasi", "下载客户端", "点击订阅",
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


def strip_decor(folded: str) -> str:
    """``【相关文章】`` / ``—— Related ——`` -> the bare cue."""
    return folded.strip(_DECOR)
