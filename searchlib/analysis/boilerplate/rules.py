"""Per-line rules: decide a removal reason from one folded line alone (no page context).

Each ``_is_*`` function answers one question.  They are deliberately conservative: a rule that
matches ordinary prose (a long line ending like a sentence) must carry a strong, specific cue.
:func:`classify_after_article` holds the weaker cues that the page pass
:func:`~searchlib.analysis.boilerplate.passes.mark_after_article` trusts only below the last
paragraph (author bio, tip line, an advertisement with a phone number).
Because these rules look at a single line only, they give the same answer on a page and on its
cleaned text, which is what makes :func:`~searchlib.analysis.boilerplate.clean` idempotent.
"""
from __future__ import annotations

import re

from searchlib.analysis.boilerplate import fastre as _fastre
from searchlib.analysis.boilerplate import cues as c
from searchlib.analysis.boilerplate import dates as d

SHORT = 40      # units: a "short" line (menu entry, label, heading)
LONG = 150      # units: beyond this only the strongest cues remove a line


def classify(folded: str, n_units: int, text: str = "") -> str | None:
    """The removal reason for one folded line, or ``None`` (keep, as far as this line goes).

    ``text``, the line's raw head, is only needed by the cues that read letter case.
    """
    if n_units > 80:  # only these rules can fire on a line this long (every other one needs <= 80 units)
        for reason, test in _LONG_RULES:
            if test(folded, n_units):
                return reason
        return None
    for reason, test in _RULES:
        if test(folded, n_units):
            return reason
    if not text:
        return None
    raw = text.strip()
    if n_units <= 16 and _is_section_label(raw):
        return "navigation"
    if n_units <= 14 and c.CREDIT_NAME.match(raw):
        return "credit"  # "Oleh Dimas Prasetyo": a by-line naming a person, nothing else
    if n_units <= 14 and "@" in raw and _NAME_EMAIL.match(raw):
        return "credit"  # "Dana Whitfield dwhitfield@kvledger.com": the author and where to write
    if n_units <= 80 and c.CAPTION_RAW_CREDIT_END.search(raw):
        return "caption"  # "... Pelabuhan Merak, Banten. PAN/Yusuf Hakim"
    return None


_NAME_EMAIL = re.compile(r"^(?:By\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’.-]*){1,3}\s*[|,·•–—-]?\s*"
                         r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+$")


def _is_section_label(text: str) -> bool:
    """A section path in capitals: ``EXPOS / MACHINERY``, ``RAIL & FERRIES / INDONESIA``."""
    t = text.strip()
    return t.upper() == t and any(ch.isalpha() for ch in t) and bool(c.SECTION_LABEL.match(t))


def _is_code(f: str, n: int) -> bool:
    """A line of script (``var _hmt = _hmt || [];``, ``(function() {...})();``): it has code's
    punctuation too, so prose that starts with "window." or "document." stays."""
    return bool(c.CODE_LINE.match(f)) and sum(f.count(ch) for ch in "=;(){}[]") >= 3


def _is_advertisement(f: str, n: int) -> bool:
    bare = c.strip_decor(f)
    if c.ADVERTISEMENT.match(bare):
        return True
    if n <= SHORT and (c.ADVERTISEMENT_LABEL.match(f) or c.ADVERTISEMENT_TAG.match(f)):
        return True  # "广告:...", "[广告] 夏季清凉好物 限时秒杀"
    if n <= 30 and _ad_call(f.rstrip()) and not c.is_quote(f) and not c.is_list_item(f):
        return True  # "... 限时秒杀 点击进入>>", "... ▶ 立即抢购"
    if n <= SHORT and c.ADVERTISE_CALL.match(f) and not c.ends_sentence(f):
        return True  # "Advertise with us", not "广告投放量同比下降20%。"
    if n <= 50 and c.AD_OPENING.match(f) and not c.is_quote(f):
        return True  # "Unduh aplikasi … di Play Store", "PROMO …!", "【手机银行】扫码下载…"
    return n <= 16 and bool(c.CONTINUE_MARKER.match(c.strip_marker(bare)))


def _is_long_prompt(f: str, n: int) -> bool:
    """A channel promo long enough to pass for a paragraph: "Simak breaking news dan berita pilihan kami
    langsung di ponselmu ... WhatsApp Channel ... Pastikan kamu sudah install aplikasi WhatsApp ya."
    An imperative opening, the reader addressed, and two channel words or a channel's link."""
    if n > LONG or c.is_quote(f) or not c.PROMPT_VERB.match(f) or not c.READER_WORD.search(f):
        return False
    channels = {m.group(0) for m in c.PROMPT_CHANNEL.finditer(f)}
    return len(channels) >= 2 or bool(channels and _CHANNEL_LINK.search(f))


_CHANNEL_LINK = re.compile(r"(?:whatsapp\.com/channel|t\.me/|news\.google\.com)")


def _is_prompt(f: str, n: int) -> bool:
    """Newsletter / WhatsApp-channel prompts ("Get ... in your inbox. Sign up - it's free.")."""
    if c.is_quote(f):
        return False  # a quoted instruction is someone's speech, not the site's prompt
    if n <= 60 and _addresses_reader(f):
        return True  # "订阅《X》电子报,每天早上7点把东部大小事送到你的信箱。"
    if n > SHORT or f.rstrip().endswith("。"):  # Chinese prose mentioning an app ends like a sentence
        return False
    if c.PROMPT_ACTION.search(f) or (c.PROMPT_VERB.match(f) and c.PROMPT_CHANNEL.search(f)):
        return True
    # A Chinese imperative that does not end like a sentence: "订阅《港湾日报》YouTube频道"
    return n <= 30 and bool(c.PROMPT_VERB_ZH.match(f) and c.PROMPT_CHANNEL_WEAK.search(f))


def _addresses_reader(f: str) -> bool:
    """An imperative naming a subscription channel and speaking to the reader ("you", "你", "Anda")."""
    verb = c.PROMPT_VERB_ZH.match(f) or c.PROMPT_VERB.match(f)
    return bool(verb and c.PROMPT_CHANNEL.search(f) and c.READER_WORD.search(f))


def _is_weak_prompt(f: str, n: int) -> bool:
    """"Follow us on Instagram", "扫码下载...APP": an app or social channel, for the site or by QR code."""
    if n > SHORT or f.rstrip().endswith("。") or not c.PROMPT_CHANNEL_WEAK.search(f):
        return False
    return bool(c.QR_VERB.match(f) or (c.PROMPT_VERB.match(f) and c.SELF_WORD.search(f)))


def _is_related_header(f: str, n: int) -> bool:
    return n <= 12 and bool(c.RELATED_HEADER.match(c.strip_decor(f)))


def _is_navigation(f: str, n: int) -> bool:
    if n > 80:
        return False
    if c.NAV_BREADCRUMB_LABEL.match(f) or c.NAV_HOME.match(f) or c.NAV_STANDALONE.match(f):
        return True
    if n <= 12 and c.NAV_STANDALONE.match(c.strip_decor(f)):
        return True  # "【纠错】", "[ Print ]"
    if n <= 40 and c.NAV_VIDEO.match(f):
        return True
    if c.NAV_PREV_NEXT.match(f) or c.NAV_SHARE.match(f) or c.NAV_TAGS.match(f):
        return True
    if c.NAV_READ_MORE.match(f):
        return True
    if n <= 30 and (c.ENGAGEMENT.match(f) or c.LISTEN.match(f) or _is_pagination(f)):
        return True
    if n <= 12 and (c.FONT_SIZE.match(f) or c.FONT_BUTTONS.match(f) or c.COMMENTS.match(f)):
        return True
    if n <= 40 and (_comment_prompt(f) or _is_toolbar(f) or _is_action_bar(f)):
        return True
    if n <= 30 and _link_note(f):
        return True  # "Purchase Licensing Rights, opens new tab": a link read out to screen readers
    if n <= 40 and len(_FORM_FIELD.findall(f)) >= 2 and not c.ends_sentence(f):
        return True  # "按日期查阅新闻公报:[年] [月] [日] 查阅": a form's fields
    if n <= 60 and (link := _ATTACHMENT.search(f)) and not c.ends_sentence(f[: link.start()]):
        return True  # "1. 托育机构备案申请表.docx": a download link
    return (_is_crumb_trail(f) or _is_menu(f) or _is_cjk_menu(f) or _is_social_bar(f)
            or _is_hashtags(f))


_FORM_FIELD = re.compile(r"[\[【][^\]】\s]{1,6}[\]】]")
_ATTACHMENT = re.compile(r"\.(?:pdf|docx?|xlsx?|pptx?|zip|rar|7z|wps|csv|txt|odt|ods)\s*(?:[(（][^()（）]{0,24}[)）])?\s*$"
                         r"|[(（](?:pdf|docx?|xlsx?|pptx?|zip)[,，;]?\s*[\d.,]+\s*[kmg]b[)）]\s*$")


def _is_toolbar(f: str) -> bool:
    """A font-size / print / close toolbar: ``字号:大 中 小  【打印】【关闭】``,
    ``【字体:大 中 小】【打印本页】【关闭窗口】``, or two or more bracketed buttons (``【打印】【关闭】``)."""
    m = c.FONT_SIZE.match(f)
    if m:
        return not c.WIDGET_BUTTON.sub("", f[m.end():]).strip(_TOOLBAR_GAPS)
    bracketed = c.BRACKETED_BUTTON.findall(f)
    return len(bracketed) >= 2 and not c.BRACKETED_BUTTON.sub("", f).strip(_TOOLBAR_GAPS)


_TOOLBAR_GAPS = " |｜/·]】)）"


def _is_action_bar(f: str) -> bool:
    """Reader actions with their counters: ``点赞(5,420)  收藏  分享到朋友圈``, ``Like 12 | Share``."""
    items = [p.strip() for p in c.FIELD_SEP.split(f.strip()) if p.strip()]
    return len(items) >= 2 and all(c.ACTION_ITEM.fullmatch(p) for p in items)


def _is_hashtags(f: str) -> bool:
    """Tags written as hashtags: ``#玉里  #碾米厂  #历史建筑`` (the whole line, two or more tags)."""
    if "#" not in f:
        return False
    tags = c.HASHTAG.findall(f)
    return len(tags) >= 2 and not c.HASHTAG.sub("", f).strip(" ,|·")


def _is_pagination(f: str) -> bool:
    """Only page numbers, arrows and page words, with at least one number and one page word/arrow."""
    if not any(map(str.isdigit, f)) or c.PAGE_TOKEN.sub("", f):
        return False
    return bool(c.PAGE_WORD.search(f)) or any(ch in f for ch in "»›>")


def _is_crumb_trail(f: str) -> bool:
    if not ("›" in f or ">" in f or "»" in f):
        return False  # no separator: one part (the same answer as splitting, without the split)
    parts = [p for p in c.NAV_CRUMB_SEP.split(f) if p]
    return len(parts) >= 3 and all(c.units(p) <= 10 for p in parts) and not c.ends_sentence(f)


def _is_menu(f: str) -> bool:
    """Three or more short items between ``|`` or ``·``, or four or more spaced out by gaps.

    Verse quoted in an article is spaced out like a menu; its lines are CJK runs of one length
    (five or seven characters), which a menu's items are not.
    """
    t = f.strip()
    for sep, least in ((c.NAV_MENU_SEP, 3), (c.NAV_MENU_GAP, 4)):
        if not (_MENU_SEP_CHAR.search(t) if least == 3 else _GAP.search(t)):
            continue  # no separator: one part (the same answer as splitting, without the split)
        parts = [p.strip() for p in sep.split(t) if p.strip()]
        if len(parts) >= least and all(c.units(p) <= 8 and not c.ends_sentence(p) for p in parts) \
                and not _is_verse(parts):
            return True
    return False


_MENU_SEP_CHARS = "|｜•│▏┃·"  # every character NAV_MENU_SEP splits at
_MENU_SEP_CHAR = re.compile("[" + re.escape(_MENU_SEP_CHARS) + "]")  # one of them, found in one scan
_GAP = re.compile(r"\s\s")        # what NAV_MENU_GAP needs


def _is_verse(parts: list[str]) -> bool:
    return len({len(p) for p in parts}) == 1 and len(parts[0]) >= 5 and all(c.is_cjk_run(p) for p in parts)


def _is_cjk_menu(f: str) -> bool:
    """Chinese section names separated by single spaces, one a menu word: ``首页 新闻 会展 投资 专题``."""
    if f.isascii():
        return False  # (every item is Han characters)
    parts = f.replace("|", " ").split()  # "首页 热点 社会 ... 图片 | 简体 繁体"
    return (len(parts) >= 5 and all(c.NAV_CJK_MENU_ITEM.fullmatch(p) for p in parts)
            and any(c.NAV_CJK_MENU_WORD.fullmatch(p) for p in parts))


def _is_social_bar(f: str) -> bool:
    """Only network names, optionally after a share word and with a copy-link button:
    ``Facebook | X | WhatsApp``, ``分享至  Facebook  LINE  X  复制连结``."""
    bare = c.SHARE_LEAD.sub("", f, count=1)
    if _copy_link(bare):  # (else the sub changes nothing)
        bare = c.COPY_LINK.sub(" ", bare)
    tokens = bare.replace("|", " ").replace(",", " ").split()
    if len(tokens) >= 2 and all(c.SOCIAL.fullmatch(t) for t in tokens):
        return True
    items = f.split("|")  # every button with its own verb: "Bagikan ke Facebook | Bagikan ke X"
    return len(items) >= 2 and all(c.SOCIAL.fullmatch(c.SHARE_ITEM_LEAD.sub("", i, count=1).strip()) for i in items)


_NUMBERED = re.compile(r"^\d{1,2}[.)]\s+\S")


def _is_byline(f: str, n: int) -> bool:
    if n <= 30 and c.BYLINE_POSTED.match(f):
        return True  # "Diposting oleh Redaksi KEL di 19.42": a blog's post footer
    if n > 60 or not d.has_byline_signal(f) or d.is_event_listing(f) or _NUMBERED.match(f):
        return False  # ("2. Petugas Liturgi Minggu, 29 September 2024": an item of the article's list)
    f = c.EMPTY_COUNTER.sub("", f) or f  # "... 来源:科技日报 点击:" (the counter came out empty)
    if c.ends_sentence(f) and not _is_field_row(f):
        return False  # a dated sentence is prose ("展会将持续至3月19日。"): when unsure, keep
    cjk, words = d.byline_residue(f)
    return (cjk <= 10 and words <= 5 and cjk + 2 * words <= 14) or _is_field_row(f)


def _is_field_row(f: str) -> bool:
    """``2024-04-02 10:15  来源:江岸都市报  记者 方晓岚 通讯员 章程``: every field a date or a credit."""
    fields = [p for p in c.FIELD_SEP.split(f.strip()) if p.strip()]
    return len(fields) >= 2 and all(_is_field(p.strip()) for p in fields)


def _is_field(p: str) -> bool:
    n = c.units(p)
    if d.has_byline_signal(p):
        cjk, words = d.byline_residue(p)
        return cjk <= 6 and words <= 3
    if c.CREDIT_LABEL.match(p) or c.CREDIT_START.match(p):
        return n <= 20 and not _has_clause_punct(p)
    return _is_toolbar(p)  # "... 来源:市应急管理局  【字体:大 中 小】"


def _is_caption(f: str, n: int) -> bool:
    if _caption_suffix(f) or _caption_phrase(f):
        return n <= LONG
    if n > 80:
        return False
    if c.CAPTION_LABEL.match(f) or c.CAPTION_START.match(f) or c.CAPTION_WRAPPED.match(f):
        return True
    if c.CREDIT_LABEL.match(f) or _WRITER_SLASH.match(f):
        return False  # "撰文：林曉彤　攝影：梁浩文", "文／陳思妤　攝影／黃冠霖": the writer first, a credit line
    if n <= 40 and c.CAPTION_FIGURE.match(f) and not c.ends_sentence(f):
        return True
    end = f.rstrip()
    if end.endswith((")", "）")) and c.CAPTION_PAREN_END.search(end) or "/" in end and c.CAPTION_CREDIT_END.search(end):
        return True
    if (":" in end or "：" in end or "/" in end) and c.CAPTION_CREDIT_LABEL_END.search(end):
        return True  # "... last month. Picture: Courier archive", "... Foto: Istimewa"
    if _CN_PHOTO_CREDIT_END.search(end):
        return True  # "游仙区一处农村客运候车亭。游仙区交通运输局供图", "... 本报记者 罗佳 摄"
    if c.CAPTION_AGENCY.match(f.strip()):
        return True
    return n <= 16 and _is_media_placeholder(f.strip())


_INTERVIEW_QUESTION = re.compile(r"^(?:记者|本报记者|主持人|问)\s*[:：]\s*\S.*[?？]$")
_WRITER_SLASH = re.compile(r"^(?:文|撰文|文字|采访|记者)\s*/\s*\S")
# A Chinese caption's credit after its sentence: "。XX局供图", "。本报记者 罗佳 摄" (a bare "…拍摄" at
# the end of a sentence is prose: the photographer's credit sets "摄" apart)
_CN_PHOTO_CREDIT_END = re.compile(r"[。.]\s*[^\s。.,，:：;；]{2,16}(?:供图|提供)$|[。.]\s*[^。.,，:：;；]{2,20}\s摄$")


def _is_media_placeholder(f: str) -> bool:
    """``[photo unavailable]``, ``[Video: ...]``, ``(图片载入中…)``: a bracketed line naming a medium."""
    if not (c.CAPTION_PLACEHOLDER.match(f) and c.MEDIA_WORD.search(f)):
        return False
    inner = f[1:-1].rstrip().removesuffix("...")  # "(图片载入中…)" is still loading, not a sentence
    return not inner.endswith((".", "。", "!", "?"))  # "(The video was later removed.)" is prose


def _is_credit(f: str, n: int) -> bool:
    if n > 80 or n > 12 and _INTERVIEW_QUESTION.match(f):
        return False  # ("记者：何师傅，您还记得……吗？" asks a question in an interview: the article's text)
    if c.CREDIT_LABEL.match(f) or c.CREDIT_PHRASE.match(f) or (n <= 30 and _WRITER_SLASH.match(f)):
        return True
    if (n <= 30 and c.CREDIT_FILES.match(f)) or c.CREDIT_INITIALS.match(f) or (n <= 60 and c.CREDIT_WRITER_IS.match(f)):
        return True
    if f.startswith("by ") and not c.ends_sentence(f) and (n <= 12 or (n <= 24 and c.CREDIT_ROLE.search(f))):
        return True
    if n <= 24 and c.CREDIT_REPORT.match(f):
        return True  # "Laporan Wartawan Tribunnews.com, Andi Saputra"
    if c.CREDIT_BY.match(f) and not any(ch in f for ch in ",，") \
            and (n <= 10 or (n <= 30 and not c.ends_sentence(f))):
        return True  # "Edited by Tom Alvarez", not "Edited by hand, each frame ..."
    return n <= 30 and bool(c.CREDIT_REPORTER.search(f)) and not _has_clause_punct(f)


_NEWSROOM = re.compile(r"\b(?:redaksi|newsroom|news desk|editors?)\b|本报|本台|本网|编辑部")


def _has_clause_punct(f: str) -> bool:
    return bool(_CLAUSE_PUNCT.search(f))


_CLAUSE_PUNCT = re.compile("[,，。;；!！?？]")


def _is_contact(f: str, n: int) -> bool:
    if n > 80:
        return False
    if c.CONTACT_NEWSROOM.search(f) and (c.PHONE.search(f) or c.EMAIL.search(f)):
        return True  # the newsroom's own call for stories, with its number or address
    if c.CONTACT_LABEL.match(f) or (c.CONTACT_CALL.match(f) and not f.rstrip().endswith("。")):
        return True  # "关注公众号的读者超过十万人。" is a sentence, not a call
    if n <= 40 and c.CONTACT_TIP.match(f) and (c.EMAIL.search(f) or (c.PHONE.search(f) and _NEWSROOM.search(f))):
        return True  # "Got a story? Email news@...": a tip line with its address, wherever it stands
    if c.ends_sentence(f):
        return False
    reachable = bool(c.PHONE.search(f) or c.EMAIL.search(f))
    field = _contact_field(f) if n <= 50 else None
    if field is not None and (reachable or ":" in field.group() or field.group()[-1].isdigit()):
        return True  # "手机：…", "热线 3188…", not "第一堂：手机基本操作" (a number or colon follows the field)
    if n <= 30 and c.PHONE_AFTER_COLON.search(f):
        return True
    if n <= 20 and c.CONTACT_WORD.search(f) and not _has_clause_punct(f):
        return True
    return reachable and c.units(c.EMAIL.sub(" ", c.PHONE.sub(" ", f))) <= 2  # only a number or an address


_SENTENCE_END = re.compile(r"[。！？!?]|\.(?:\s|$)")


def _in_first_sentence(f: str, m: re.Match[str] | None) -> bool:
    """A notice states its cue up front; prose that mentions copyright later in a paragraph
    ("...按照双方约定，版权归保护区所有。") is article text."""
    if m is None:
        return False
    end = _SENTENCE_END.search(f)
    return end is None or m.start() < end.end()


def _is_disclaimer(f: str, n: int) -> bool:
    if n <= LONG and (_in_first_sentence(f, _disclaimer_strong(f)) or c.DISCLAIMER_LABEL.match(f)):
        return True
    if n <= 80 and _self_reference(f) and _hedge(f):
        return True
    if n <= 40 and _is_publisher(f):
        return True
    if n <= 40 and _site_notice(f) and not c.ends_sentence(f):
        return True  # "建议使用1920×1080分辨率浏览本网站"
    if n <= 20 and c.STANDARDS_LABEL.match(f) and not _has_clause_punct(f):
        return True  # "Standar Kami: Prinsip Kepercayaan PAN."
    if n <= 40 and _market_notice(f):
        return True  # "All quotes delayed a minimum of 15 minutes."
    return n <= 12 and bool(c.DISCLAIMER_WEAK.match(f))


def _is_publisher(f: str) -> bool:
    """"X is a publication of Y Pte Ltd", "X is an independent news service covering ..."."""
    return bool((_publisher(f) and _company(f)) or c.MEDIA_SELF.match(f))


def classify_after_article(text: str, folded: str, n_units: int) -> str | None:
    """The reason for a line found *below the last paragraph*, where weaker cues suffice.

    Inside the article these cues could be prose ("The fund covers half the cost", a sentence with a
    phone number); once the article has ended they are the author's bio, the publisher's footer or
    an advertisement with its phone number.
    """
    f, n = folded, n_units
    if n > 60 or c.is_quote(f) or c.is_list_item(f):
        return None
    if n <= 40 and (c.AUTHOR_BIO.match(text) or c.AUTHOR_BIO_FOLDED.match(f)):
        return "byline"
    if n <= 20 and c.SLOGAN_SINCE.search(f) and not c.ends_sentence(f):
        return "repeated-template"
    if n <= 40 and c.CONTACT_TIP.match(f) and (c.EMAIL.search(f) or _self_word(f)):
        return "contact"  # "Have a tip? Email newsroom@...", not a police appeal with a hotline
    if _is_weak_prompt(f, n):
        return "advertisement"
    if c.ends_sentence(f) or not (_reachable(f) or c.LABELLED_NUMBER.search(f)):
        return None
    return "advertisement" if _commercial(f) else "contact"


def _reachable(f: str) -> bool:
    return bool(c.PHONE.search(f) or c.EMAIL.search(f))


_RULES = (
    ("repeated-template", _is_code),  # the site's own script text (analytics, ad loaders)
    ("advertisement", _is_advertisement),
    ("related-list", _is_related_header),
    ("caption", _is_caption),
    ("byline", _is_byline),
    ("credit", _is_credit),
    ("navigation", _is_navigation),
    ("disclaimer", _is_disclaimer),
    ("contact", _is_contact),
    ("advertisement", _is_prompt),  # after contact: "扫码关注..." stays a contact line
    ("advertisement", _is_long_prompt),
)
_LONG_RULES = tuple((reason, test) for reason, test in _RULES
                    if test in (_is_code, _is_advertisement, _is_caption, _is_disclaimer, _is_long_prompt))


# Same matches, faster searches (a first-character lookahead where the engine has none; see fastre).
_fastre.accelerate(globals())
# The searches of long cue alternations that most lines reach, skipped on a Latin-script line without
# any of the words a match must hold (see fastre.screened): same answers.
_disclaimer_strong = _fastre.screened(c.DISCLAIMER_STRONG)
_self_reference = _fastre.screened(c.SELF_REFERENCE)
_hedge = _fastre.screened(c.HEDGE)
_site_notice = _fastre.screened(c.SITE_NOTICE)
_market_notice = _fastre.screened(c.MARKET_NOTICE)
_publisher = _fastre.screened(c.PUBLISHER)
_company = _fastre.screened(c.COMPANY)
_link_note = _fastre.screened(c.LINK_NOTE)
_copy_link = _fastre.screened(c.COPY_LINK)
_ad_call = _fastre.screened(c.AD_CALL)
_comment_prompt = _fastre.screened(c.COMMENT_PROMPT)
_caption_suffix = _fastre.screened(c.CAPTION_SUFFIX)
_caption_phrase = _fastre.screened(c.CAPTION_PHRASE)
_contact_field = _fastre.screened(c.CONTACT_FIELD)
_self_word = _fastre.screened(c.SELF_WORD)
_commercial = _fastre.screened(c.COMMERCIAL)

