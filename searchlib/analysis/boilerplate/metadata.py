"""Metadata of a page: title, date, author, editor, source, url, lang - typed and normalized.

Shared by text pages (:func:`harvest`, from the lines the filter removed) and HTML pages
(:mod:`searchlib.analysis.html.meta`, which adds what the markup declares). Values are strings:

* ``date``: a full ISO date ``YYYY-MM-DD``. A date shown without its year (``9月28日``,
  ``(09-28)``) takes the year from the page's own context - another full date on the page, the
  URL, the copyright line - and is left out when the year cannot be known (never ``--09-28``).
* ``author`` and ``editor`` apart: ``作者:`` / ``记者`` / ``By`` / ``Penulis:`` / ``Oleh`` name
  authors, ``责任编辑:`` / ``编辑:`` / ``Editor:`` / ``Redaktur:`` name editors; several people
  are joined with ``", "``.
* ``source``: the publication a ``来源:`` / ``Source:`` / ``Sumber:`` label names (HTML: else the site);
  ``site``: the site's own name (HTML: OpenGraph, JSON-LD publisher, ``application-name``).
* ``url``: a URL the page gives for itself; ``lang``: the primary language subtag (``zh``,
  ``en``, ``id``, ...), detected from the text when nothing declares it.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from searchlib.analysis.boilerplate import fastre as _fastre
from searchlib.analysis.boilerplate import dates
from searchlib.analysis.boilerplate.cues import HEAD, han_count, strip_pinyin
from searchlib.analysis.chars import HAN_CHARS

__all__ = ["FIELDS", "complete_date", "detect_lang", "find_credits", "find_people", "find_photographers", "find_source",
           "harvest", "is_organisation", "published_date",
           "iso_date", "join_names", "split_names", "strip_site", "url_date", "url_year"]

FIELDS = ("title", "date", "author", "editor", "source", "site", "url", "lang")

_I = re.IGNORECASE
# Labels that start the next field of a byline, even glued to the previous value ("记者：杨帆 田甜编辑：马骁").
_NEXT_LABEL = (r"(?:来源|來源|作者|记者|記者|编辑|編輯|责任编辑|責任編輯|审核|審核|终审|終審|摄影|攝影|通讯员|通訊員|"
               r"发布时间|發布時間|发布日期|發布日期|发布单位|發布單位|更新时间|更新時間|更新日期|时间|時間|日期|点击|點擊|"
               r"阅读|閱讀|浏览|瀏覽|字号|字號|撰稿|撰文|校对|校對|点阅次数|點閱次數)")
_STOP = (r"(?=\s{2}|\s?[|｜;；()（）\[\]【】]|\s\S{1,8}\s?[:：]|" + _NEXT_LABEL + r"\s?[:：]|(?<=[" + HAN_CHARS + r"])\d|"
         r"\s?(?:19|20)\d\d[-/.年]|\s\d{1,2}[-/]\d{1,2}\s|$)")
_VALUE = r"\s*[:：]\s*([^|｜;；()（）\[\]【】\s][^|｜;；()（）\[\]【】]{0,60}?)" + _STOP
_TITLE_PREFIX = re.compile(r"^\s*(?:标题|標題|title|judul)\s*[:：]\s*", _I)
_SOURCE = (
    re.compile(r"(?:文章来源|文章來源|本文来源|本文來源|消息来源|新闻来源|稿件来源|信息来源|資料來源|发布单位|發布單位|"
               r"发布机构|發布機構|来源|來源|稿源|出处|出處|source|sumber)" + _VALUE, _I),
    re.compile(r"(?:来源于|來源於|来自|來自)(?:微信)?公众号\s*[:：「“]?\s*([" + HAN_CHARS + r"A-Za-z0-9·]{2,20})"),
    re.compile(r"^[(（]?\s*this (?:article|story) is from (?:the )?(.{2,120}?)[.)）]?$", _I),
    re.compile(r"^(?:本文)?(?:转载|轉載)(?:自|于)\s*[:：]?\s*([^\s,，。]{2,30})"),
)
_MONTH_DAY = r"(?i:" + "|".join(sorted(dates.MONTHS, key=len, reverse=True)) + r")\.?\s+\d"
_EDITOR_LABEL = (r"责任编辑|責任編輯|值班编辑|值班編輯|编辑|編輯|责编|責編|editor|editors|redaktur|penyunting")
_AUTHOR_LABEL = (r"作者|撰文|撰稿|执笔|執筆|本报记者|本報記者|记者|記者|通讯员|通訊員|文[、/／]\s*[摄攝图圖]|文字|"
                 r"penulis|pewarta|reporter|wartawan|kontributor|author|words|text|文")
_PHOTO_LABEL = r"摄影|攝影|摄像|攝像|图|圖|photos?|photography|foto|pictures?"
_EDITOR = (
    re.compile(r"(?<![\w])(?:" + _EDITOR_LABEL + r")" + _VALUE, _I),
    re.compile(r"(?i:edited|editing)\s+(?i:by)\s+([A-Z][\w.'-]*(?:\s+(?:[A-Z][\w.'-]*|and|dan|&)){0,6})"),
)
_AUTHOR = (
    re.compile(r"(?<![\w责責值])(?:" + _AUTHOR_LABEL + r")" + _VALUE, _I),
    re.compile(r"(?i:reporting|reported|writing|written|words|text)\s+(?i:by)\s+"
               r"([A-Z][\w.'-]*(?:\s+(?:[A-Z][\w.'-]*|and|dan|&)|,\s*[A-Z][\w.'-]*){0,8})"),
    re.compile(r"(?:本报记者|本報記者|记者|記者|通讯员|通訊員|实习生|實習生|实习记者|實習記者)\s*([" + HAN_CHARS + r"·]{2,4}?"
               r"(?:\s*(?:[、,，\s]|实习记者|實習記者|通讯员|通訊員|记者|記者)\s*[" + HAN_CHARS + r"·]{2,4}){0,3})"
               r"(?=$|\s|[、,，。)）/／]|报道|報導|报导|摄|攝|通讯员|通訊員)"),
    re.compile(r"^(?:[Bb]y|BY|[Oo]leh|OLEH|Posted by|Written by|Words by|Text by)\s+"
               r"([A-Z][\w.'-]*(?:\s+(?!" + _MONTH_DAY + r")(?:[A-Z][\w.'-]*|dan|and|&)|,\s*[A-Z][\w.'-]*){0,8})"),
    re.compile(r"^(?:laporan\s+(?:wartawan|reporter|kontributor)\s+[\w.]+,?\s+)([A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,4})",
               _I),
)
_LABEL = re.compile(_NEXT_LABEL + r"\s?[:：]")
# A job title after a byline's name: "By Sarah Mills, Transport Correspondent", "Jo Tan Senior Reporter"
_ROLES = r"(?:correspondents?|reporters?|editors?|writers?|columnists?|journalists?|producers?|analysts?|photographers?)"
_ROLE_AFTER = re.compile(r"\s+" + _ROLES + r"\b", _I)
_ROLE_TAIL = re.compile(r"\s*,\s*(?:[\w.'&-]+\s+){0,3}" + _ROLES + r"$"
                        r"|(?:\s+(?:senior|chief|staff|political|business|health|foreign|city|sports?|deputy|associate|"
                        r"special|contributing|news|managing|our))*\s+" + _ROLES + r"$", _I)


# Credits written with a slash: "文/王晓宇 图/李航", "文／鄭雅文", "攝影／許家豪" (read as labels with a colon)
_SLASH_CREDIT = re.compile(r"(?:(?:(?<=^)|(?<=[\s:：|｜(（]))(文|图|圖|摄|攝|撰文|文字)|(摄影|攝影))\s*[/／]\s*"
                           r"(?=[" + HAN_CHARS + r"])")
_SLASH_LABEL = {"文": "作者", "撰文": "作者", "文字": "作者"}
_AUTHOR_BEFORE_SLASH = re.compile(r"(?:作者|作\s*者)\s*[:：]\s*(?=(?:文|撰文|文字)\s*[/／])")


def _unglue(line: str) -> str:
    """``田甜编辑：马骁`` → ``田甜  编辑：马骁``: a field label glued to the value before it gets a
    gap (whole labels only: ``发布时间：`` is not cut into ``发布  时间：``); slash credits
    (``文/王晓宇 图/李航``) read as labelled ones (``作者：王晓宇  摄影：李航``)."""
    if "/" in line or "／" in line:
        line = _AUTHOR_BEFORE_SLASH.sub("", line)
        line = _SLASH_CREDIT.sub(lambda m: f"  {_SLASH_LABEL.get(m.group(1) or '', '摄影')}：", line)
    out, last = [], 0
    for m in _LABEL.finditer(line):
        if m.start() > 0 and line[m.start() - 1] not in " \t\u3000:：|｜":
            out.append(line[last:m.start()])
            out.append("  ")
            last = m.start()
    out.append(line[last:])
    return "".join(out)
_PHOTOGRAPHER = re.compile(r"(?<![\w])(?:" + _PHOTO_LABEL + r")" + _VALUE, _I)
_ROLE_WORDS = re.compile(r"^(?:本报记者|本報記者|特约记者|特約記者|见习记者|見習記者|实习记者|實習記者|实习生|實習生|记者|記者|"
                         r"通讯员|通訊員|摄影|攝影|摄|攝)\s*")
_NAME_SEP = re.compile(r"\s*(?:[,，、;；/／&]|\band\b|\bdan\b|和|与|與)\s*")
_CJK_NAME = re.compile(r"^[" + HAN_CHARS + r"·]{2,4}$")
_CJK = re.compile(r"[" + HAN_CHARS + r"]")
_LATIN_WORDS = re.compile(r"[a-z]+")
_NOT_A_NAME = re.compile(r"^(?:admin\b.*|administrator|staff|team|redaksi|editorial|newsroom|desk|humas\b.*|本站|本网|"
                         r"(?:our|staff|special|senior|a)\s+(?:correspondents?|reporters?|writers?|bureau)|"
                         r"correspondents?|agencies|wire\s+services?|(?:news|web|city|foreign)\s+desk|tim\s+redaksi|"
                         r"网站|佚名|未知|本报讯|本報訊|unknown|anonymous|\d.*|[a-z]{2,4}|dok\b.*|dokumentasi\b.*|"
                         r"istimewa|ist|net|internet|handout|supplied|file|getty.*|资料图|网络|網絡|網路)$", _I)
_NAME_END = re.compile(r"\s+(?:[-–—|]\s.*|(?:" + "|".join(sorted(dates.MONTHS, key=len, reverse=True)) + r")\.?\s+\d.*|"
                       r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|senin|selasa|rabu|kamis|jumat|"
                       r"sabtu|minggu|updated|published|diperbarui)\b.*|(?:on|at|pada)\s+\d.*|\d.*)$", _I)
# An organisation, not a person: 县统计局, 觀光處, "Pacific Tide Ltd".
_ORG = re.compile(r"[" + HAN_CHARS + r"]{2}(?:局|处|處|厅|廳|办|辦|办公室|辦公室|中心|委员会|委員會|委|院|所|站|队|隊|部|科|"
                  r"室|会|會|馆|館|公司|集团|集團|大学|大學|学校|學校|政府|医院|醫院|日报|日報|晚报|晚報|报社|報社|电台|"
                  r"電台|网|網|融媒|传媒|傳媒|新闻|新聞)$|\b(?:ltd|inc|news|media|group|agency|department|office|council|"
                  r"team|desk|radio|fm|tv|online|press)\b", _I)


# ------------------------------------------------------------------------------------ people


def split_names(value: str) -> list[str]:
    """People named in ``value``: ``"周晓帆 陈立"``, ``"A, B and C"``, ``"记者 王芳 通讯员 李明"``."""
    value = unicodedata.normalize("NFKC", value).strip(" .。,，:：-—|")
    names: list[str] = []
    for part in _NAME_SEP.split(value):
        part = part.strip(" .。:：-—")
        while True:  # "记者 王芳 通讯员 李明": role words between names
            stripped = _ROLE_WORDS.sub("", part)
            if stripped == part:
                break
            part = stripped
        if not part:
            continue
        words = part.split()
        if len(words) > 1 and all(_CJK_NAME.match(w) or _ROLE_WORDS.fullmatch(w) for w in words):
            names.extend(w for w in words if not _ROLE_WORDS.fullmatch(w))  # "周晓帆 陈立": two people
        else:
            names.append(part)
    out = []
    for n in names:
        n = _NAME_END.sub("", _ROLE_WORDS.sub("", n)).strip(" .。")  # "Newsroom December 20", "A - wartaKini"
        if n and not _NOT_A_NAME.match(n) and len(n) <= 60 and n not in out:
            out.append(n)
    return out


def is_organisation(name: str) -> bool:
    """``县统计局``, ``觀光處``, ``Pacific Tide Ltd``: a body, not a person."""
    return bool(_ORG.search(name.strip()))


def join_names(names: Iterable[str]) -> str:
    return ", ".join(dict.fromkeys(n for n in names if n))


def find_people(line: str) -> tuple[list[str], list[str]]:
    """(authors, editors) named in one byline-like line (NFKC text); a photographer counts as
    the author only when the line credits nobody else (a photo gallery)."""
    return _people(_unglue(line))


def find_credits(line: str) -> tuple[list[str], list[str], list[str]]:
    """(authors, editors, photographers) of one line: :func:`find_people` and
    :func:`find_photographers` with the line's labels unglued once."""
    line = _unglue(line)
    return (*_people(line), _photographers(line))


def _people(line: str) -> tuple[list[str], list[str]]:
    editors: list[str] = []
    spans: list[tuple[int, int]] = []
    for pattern in _EDITOR:
        for m in pattern.finditer(line):
            editors.extend(n for n in split_names(m.group(1)) if n not in editors)
            spans.append(m.span())
    for m in _PHOTOGRAPHER.finditer(line):  # "攝影／記者蔡孟哲": a reporter credited for the pictures only
        spans.append(m.span())
    rest = line
    for s, e in sorted(spans, reverse=True):
        rest = rest[:s] + " " * (e - s) + rest[e:]
    authors: list[str] = []
    for pattern in _AUTHOR:
        for m in pattern.finditer(rest):
            after = rest[m.end(1):m.end(1) + 8].lstrip()
            if after[:1] in ("摄", "攝") and after[:2] not in ("摄影", "攝影"):
                continue  # "（记者 王芳 摄）": the reporter took the picture
            value = m.group(1)
            if _ROLE_AFTER.match(rest[m.end(1):]) and len(value.split()) >= 3:
                value = value.rsplit(None, 1)[0]  # "By Sarah Mills Transport correspondent": a beat, not a name
            authors.extend(n for n in split_names(_ROLE_TAIL.sub("", value)) if n not in authors)
        if authors:
            break
    authors = [a for a in authors if not _ORG.search(a)]
    return authors, [e for e in editors if not _ORG.search(e)]


def find_photographers(line: str) -> list[str]:
    """People a photo credit names (``摄影：X``, ``Photos: X``, ``Foto: X``)."""
    return _photographers(_unglue(line))


def _photographers(line: str) -> list[str]:
    out: list[str] = []
    for m in _PHOTOGRAPHER.finditer(line):
        out.extend(n for n in split_names(m.group(1)) if n not in out and not _ORG.search(n))
    return out


_NEXT_FIELD = re.compile(r"\s+(?:作者|记者|編輯|编辑|責任編輯|责任编辑|发布时间|發佈時間|时间|時間)\b")


def find_source(line: str) -> str | None:
    line = _unglue(line)
    for pattern in _SOURCE:
        m = pattern.search(line)
        if m and m.group(1).strip():
            value = m.group(1).strip().rstrip(".。")
            value = _NEXT_FIELD.split(value)[0]
            return value.strip() or None
    return None


# ------------------------------------------------------------------------------------ dates

_URL_YMD = re.compile(
    r"(?<!\d)((?:19|20)\d\d)[-/_.]?(0[1-9]|1[0-2])[-/_.]?(0[1-9]|[12]\d|3[01])(?!\d)"  # /2023/09/12/, 20230912
    r"|(?<!\d)((?:19|20)\d\d)/(1[0-2]|0?[1-9])/([12]\d|3[01]|0?[1-9])(?=/)"           # art/2020/12/8/
)
_URL_YEAR = re.compile(r"(?<![\d])((?:19|20)\d\d)(?:[-/_.]?(?:0[1-9]|1[0-2]))?(?![\d])")
_COPYRIGHT_YEAR = re.compile(r"(?:©|\(c\)|copyright|版权所有|版權所有)\D{0,20}((?:19|20)\d\d)(?:\s*[-–]\s*((?:19|20)\d\d))?", _I)


_ISO_DATE = re.compile(r"\s*((?:19|20)\d\d)-(\d\d)-(\d\d)")


def iso_date(text: str) -> str | None:
    """The first full date in ``text`` as ``YYYY-MM-DD`` (ISO timestamps, ``2024/06/19``,
    ``2022 年 1 月 9 日``, ``31 Oktober 2023``, ``Oct 31, 2023``), or None."""
    if not text:
        return None
    t = unicodedata.normalize("NFKC", text).casefold()
    m = _ISO_DATE.match(t)  # ISO 8601 first: the commonest in markup
    if m:
        return dates._iso(m.group(1), m.group(2), m.group(3))
    found = dates.find_date(t)
    return found if found and not found.startswith("--") else None


_UPDATED = re.compile(r"(?:更新|修改|最后更新|最後更新|updated?|last updated|modified|edited|diperbarui|diupdate"
                      r"|最[后後]由\s*\S{1,10})"  # Discuz's "本帖最后由 <user> 于 <date> 编辑": an edit
                      r"\W{0,3}(?:时间|時間|日期|于|於|on|at|pada)?\W{0,3}$", _I)
_ROC = dates.DATE_ROC  # 民國113年3月5日, 113-05-06, 108/10/18, 113年3月5日
# Day, month and year in digits: "06/05/2024, 14:20 WIB", "05.03.2024" (day first unless the middle is past 12)
_NUMERIC_DMY = re.compile(r"(?<![\d/.:-])(\d{1,2})([/.-])(\d{1,2})\2((?:19|20)\d\d)(?![\d/.-])")
_ORDINAL = re.compile(r"(?<=\d)(?:st|nd|rd|th)\b")  # "March 5th, 2024", "5th March 2024"
_ANY_DATE = re.compile("|".join(f"(?:{p.pattern})" for p in (dates.DATE_YMD, dates.DATE_DMY, dates.DATE_MDY,
                                                               dates.DATE_MD_CJK, dates.DATE_MD_PAREN)))
_MD_DASH = re.compile(r"(?<![\d/.-])(0?[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\s+\d{1,2}:\d{2}")
# A date in Chinese numerals (government notices, press releases): 二〇二四年四月十九日, 二零二三年十二月三十一日
_HAN_DIGITS = {ch: i for i, chars in enumerate(("〇○零", "一", "二", "三", "四", "五", "六", "七", "八", "九"))
               for ch in chars}
_HAN_DATE = re.compile(r"([〇○零一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,2})\s*月"
                       r"\s*([一二三四五六七八九十]{1,3})\s*[日号號]")


def _han_number(text: str) -> int:
    """一 → 1, 十 → 10, 十九 → 19, 二十 → 20, 三十一 → 31."""
    if "十" not in text:
        return _HAN_DIGITS[text]
    tens, _, ones = text.partition("十")
    return (_HAN_DIGITS[tens] if tens else 1) * 10 + (_HAN_DIGITS[ones] if ones else 0)


def published_date(text: str) -> str | None:
    """The first publication date a byline-like line shows (``YYYY-MM-DD``, or ``--MM-DD`` when it
    shows no year): dates after an "updated" label are skipped, ROC years (民國113, ``113-05-06``)
    converted."""
    t = unicodedata.normalize("NFKC", text).casefold()
    if "st" in t or "nd" in t or "rd" in t or "th" in t:
        t = _ORDINAL.sub("", t)
    for m in _ROC.finditer(t):
        if _UPDATED.search(t[max(0, m.start() - 16):m.start()]):
            continue
        y, mo, d = (m.group(1, 2, 3) if m.group(1) else m.group(4, 6, 7) if m.group(4) else m.group(8, 9, 10))
        value = dates._iso(int(y) + 1911, mo, d)
        if value:
            return value
    for m in _ANY_DATE.finditer(t):
        if _UPDATED.search(t[max(0, m.start() - 16):m.start()]):
            continue
        value = dates.find_date(m.group(0))
        if value:
            return value
    for m in _HAN_DATE.finditer(t):
        if _UPDATED.search(t[max(0, m.start() - 16):m.start()]):
            continue
        try:
            value = dates._iso("".join(str(_HAN_DIGITS[ch]) for ch in m.group(1)), _han_number(m.group(2)),
                               _han_number(m.group(3)))
        except KeyError:  # "十十", "二十十": not a number
            value = None
        if value:
            return value
    for m in _NUMERIC_DMY.finditer(t):
        if _UPDATED.search(t[max(0, m.start() - 16):m.start()]):
            continue
        first, second = int(m.group(1)), int(m.group(3))
        value = dates._iso(m.group(4), first, second) if second > 12 else dates._iso(m.group(4), second, first)
        if value:
            return value
    m = _MD_DASH.search(t)  # "11-08 10:20": month-day and time, no year
    if m and not _UPDATED.search(t[max(0, m.start() - 16):m.start()]):
        return f"--{int(m.group(1)):02d}-{int(m.group(2)):02d}"
    return None


def url_date(url: str | None) -> str | None:
    """A full date written in a URL path (``/2023/09/12/``, ``/20230912/``, ``art/2020/12/8/``)."""
    if not url:
        return None
    path = re.sub(r"^[a-z]+://[^/]+", "", url, flags=_I)
    for m in _URL_YMD.finditer(path):
        y, mo, d = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(4), m.group(5), m.group(6))
        value = dates._iso(y, mo, d)
        if value:
            return value
    return None


def url_year(url: str | None) -> int | None:
    if not url:
        return None
    path = re.sub(r"^[a-z]+://[^/]+", "", url, flags=_I)
    m = _URL_YEAR.search(path)
    return int(m.group(1)) if m else None


def complete_date(partial: str | None, full_dates: Iterable[str], url: str | None = None,
                  copyright_lines: Iterable[str] = ()) -> str | None:
    """``partial`` (``YYYY-MM-DD`` or ``--MM-DD``) as a full date, the year taken from the page:
    the other full dates it shows (the latest year at or before the month), the URL, then the
    copyright line; None when no year can be known."""
    if not partial:
        return None
    if not partial.startswith("--"):
        return partial
    mo, d = int(partial[2:4]), int(partial[5:7])
    years = [int(x[:4]) for x in full_dates if x and not x.startswith("--")]
    year = None
    if years:
        year = max(years)
    else:
        year = url_year(url)
        if year is None:
            for line in copyright_lines:
                m = _COPYRIGHT_YEAR.search(line)
                if m:
                    year = int(m.group(2) or m.group(1))
                    break
    return dates._iso(year, mo, d) if year else None


# ------------------------------------------------------------------------------------ titles

_SITE_SEP = re.compile(r"\s+[-–—|｜:·•»]\s+|\s*[_｜|：]\s*|\s+-{2}\s+|\s*——\s*|(?<=\S):\s+|"
                       r"(?<=[" + HAN_CHARS + r"”》）])-(?=[" + HAN_CHARS + r"])")  # "…的通知-江东理工大学新闻网"
_INSTITUTION = re.compile(r"\b(?:pemerintah|pemkab|pemkot|kabupaten|kota|provinsi|dinas|government|council|ministry|"
                          r"department|university|universitas|college|ledger|chronicle|observer|monitor|review)\b", _I)
_SMALL_WORDS = frozenset({"of", "the", "and", "for", "de", "di", "dan", "&"})
_SITE_WORDS = re.compile(
    r"网$|網$|网站|網站|在线|在線|新闻|新聞|频道|頻道|中心$|日报|日報|晚报|晚報|时报|時報|早报|早報|报$|報$|电台|電台|电视|電視|"
    r"政府|门户|門戶|官网|官網|融媒|传媒|傳媒|集团|集團|资讯|資訊|法院|学院|學院|大学|大學|"
    r"\.com|\.cn|\.net|\.org|\.id|\.tw|\.hk|\.co\b|\bnews\b|\bonline\b|\btimes\b|\bpost\b|\bdaily\b|\bherald\b|"
    r"\btribune\b|\bradio\b|\btv\b|\bfm\b|\bberita\b|\bportal\b|\bmedia\b|\bkompas|\bdetik|\btempo\b|"
    r"\bjournal\b|\bgazette\b|\bexpress\b|\bweekly\b|\bmagazine\b|\bblog\b|\bwire\b|\bmail\b|\bstar\b",
    _I,
)


_NOT_WORD = re.compile(r"\W+")
_WORD_OR_NUMBER = re.compile(r"[^\W\d_]+|\d+")


def _norm(text: str) -> str:
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).casefold())


def strip_site(title: str, sites: Iterable[str] = ()) -> str:
    """``title`` without the site name and section a ``<title>`` appends or prepends:
    ``…缩短一半_新闻中心_河洛网``, ``… - 奎屯新闻网``, ``… | Kompas.com``, ``河洛网 - …``.

    A segment goes when it names a known site (``sites``: og:site_name, the publisher), or looks
    like a site or section name (网, 新闻, 频道, ``.com``, News ...) and is short next to the rest.
    """
    title = " ".join(title.split())
    known = {_norm(s) for s in sites if s and _norm(s)}
    for _ in range(4):
        parts = _SITE_SEP.split(title)
        seps = _SITE_SEP.findall(title)
        if len(parts) < 2:
            break
        last, first = parts[-1].strip(), parts[0].strip()
        rest_last = title[: len(title) - len(last) - len(seps[-1])].strip()
        rest_first = title[len(first) + len(seps[0]):].strip()
        if _is_site_part(last, rest_last, known, sep=seps[-1]):
            title = rest_last
        elif _is_site_part(first, rest_first, known, leading=True):
            title = rest_first
        else:
            break
    return title.strip()


def _is_site_part(part: str, rest: str, known: set[str], leading: bool = False, sep: str = "") -> bool:
    if not part or not rest:
        return False
    key = _norm(part)
    if key in known or any(k and (k in key or key in k) and len(key) >= 2 for k in known):
        return True
    if leading:
        return False  # only a known site name is taken off the front
    n_part, n_rest = _units(part), _units(rest)
    if n_part > 16 or n_rest < 4 or n_part > n_rest + 4:
        return False
    if _SITE_WORDS.search(part):
        return True
    if _INSTITUTION.search(part) and all(w[:1].isupper() or w in _SMALL_WORDS for w in part.split()):
        return True  # "... – Pemerintah Kabupaten Tanjung Selaras", "... - Riverbend Shire Council" (a name)
    # "... | Broadland Echo": a short name in title case after a bar
    words = part.split()
    return sep.strip() in ("|", "｜") and 1 <= len(words) <= 4 and all(w[:1].isupper() for w in words) \
        and len(rest.split()) >= 4


def _units(text: str) -> int:
    return han_count(text) + 2 * len(_WORD_OR_NUMBER.findall(_CJK.sub(" ", text)))


# ------------------------------------------------------------------------------------ language

_EN_WORDS = frozenset("the and of to in is was for on that with as by at from are be has have said will".split())
_ID_WORDS = frozenset("yang dan di ke dari ini itu untuk dengan pada tidak dalam akan juga adalah oleh "
                      "karena bahwa sudah kata mereka warga".split())


def detect_lang(text: str) -> str | None:
    """``zh``, ``en`` or ``id`` from the text itself (Han share, then function words), or None."""
    sample = text[:4000]
    han = han_count(sample)
    words = _LATIN_WORDS.findall(sample.casefold())
    if han >= 20 and han >= len(words):
        return "zh"
    if len(words) < 5:
        return "zh" if han >= 4 else None
    en = sum(w in _EN_WORDS for w in words)
    ind = sum(w in _ID_WORDS for w in words)
    if max(en, ind) < 2:
        return None
    return "id" if ind > en else "en"


def normalize_lang(value: str | None) -> str | None:
    """The primary subtag of a language tag (``zh-Hant-TW`` → ``zh``, ``in`` → ``id``)."""
    if not value:
        return None
    primary = re.split(r"[-_]", value.strip().lower(), maxsplit=1)[0]
    if not re.fullmatch(r"[a-z]{2,3}", primary):
        return None
    return {"in": "id", "zho": "zh", "chi": "zh", "eng": "en", "ind": "id"}.get(primary, primary)


# ------------------------------------------------------------------------------------ text pages

_MAX_FIELD_LINES = 200   # removed lines read for fields (bylines sit near the top and the bottom)
_MAX_DATE_LINES = 2000   # lines read for the page's full dates (the context of a date without a year)
_YEAR_HINT = re.compile(r"(?:19|20)\d\d")
_URL = re.compile(r"(?:原文链接|原文鏈接|本文链接|本文鏈接|原文地址|链接|鏈接|url|link|tautan)\s*[:：]\s*(https?://\S+)", _I)


def harvest(texts: list[str], folded: list[str], reasons: list[str | None], title: int | None,
            title_text: str | None = None) -> dict[str, str]:
    """Metadata of a text page from its lines and the filter's decisions (``reasons``: None for
    kept lines); ``title`` is the headline's line (``title_text`` its full text when the
    headline spans two lines)."""
    meta: dict[str, str] = {}
    if title is not None:
        value = _TITLE_PREFIX.sub("", title_text or texts[title]).strip()
        if value:
            meta["title"] = strip_site(value)
    removed = [i for i, r in enumerate(reasons) if r not in (None, "empty", "title")]
    last_kept = max((i for i, r in enumerate(reasons) if r is None), default=len(reasons))
    cache: dict[int, str] = {}

    def plain(i: int) -> str:
        if i not in cache:
            cache[i] = unicodedata.normalize("NFKC", strip_pinyin(texts[i][:HEAD])).strip()
        return cache[i]

    labelled = [i for i in removed if reasons[i] in ("byline", "credit", "caption", "contact", "disclaimer",
                                                      "navigation")][:_MAX_FIELD_LINES]
    url = next((m.group(1).rstrip(".,;)）") for i in labelled if (m := _URL.search(plain(i)))), None)
    full = [d for f in folded[:_MAX_DATE_LINES] if _YEAR_HINT.search(f) and (d := iso_date(f))]
    bylines = [i for i in labelled if reasons[i] in ("byline", "credit") and i < last_kept]
    footers = [texts[i] for i in labelled if reasons[i] == "disclaimer"]
    for i in sorted(bylines, key=lambda i: reasons[i] != "byline"):  # bylines first
        # the publication date (ROC years converted), else any date the line shows (only "updated")
        date = complete_date(published_date(texts[i][:HEAD]) or dates.find_date(folded[i]), full, url, footers)
        if date:
            meta["date"] = date
            break
    credits = [i for i in labelled if reasons[i] != "navigation"]
    for i in credits:
        source = find_source(plain(i))
        if source:
            meta["source"] = source
            break
    authors: list[str] = []
    editors: list[str] = []
    for i in credits:
        if reasons[i] == "caption":
            continue
        a, e = find_people(plain(i))
        authors.extend(x for x in a if x not in authors)
        editors.extend(x for x in e if x not in editors)
    if authors:
        meta["author"] = join_names(authors)
    if editors:
        meta["editor"] = join_names(editors)
    if url:
        meta["url"] = url
    kept = [texts[i][:1000] for i, r in enumerate(reasons[:_MAX_DATE_LINES]) if r is None]
    lang = detect_lang("\n".join(kept or texts[:_MAX_DATE_LINES]))
    if lang:
        meta["lang"] = lang
    return meta


# Same matches, faster searches (a first-character lookahead where the engine has none; see fastre).
_fastre.accelerate(globals())
