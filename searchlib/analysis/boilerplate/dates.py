"""Dates, times, view counts and reading-time phrases: what bylines are made of."""
from __future__ import annotations

import re
from searchlib.analysis.boilerplate import fastre as _fastre
from searchlib.analysis.boilerplate.cues import han_count
from searchlib.analysis.chars import HAN_RE

_EN_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
_ID_MONTHS = {
    "januari": 1, "februari": 2, "maret": 3, "mei": 5, "juni": 6, "juli": 7, "agustus": 8, "agu": 8,
    "okt": 10, "oktober": 10, "des": 12, "desember": 12,
}
MONTHS = {**_EN_MONTHS, **_ID_MONTHS}
_MONTH = "(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"

DATE_YMD = re.compile(r"(?<!\d)(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)\s*日?")
DATE_MD_CJK = re.compile(r"(?<!\d)(\d{1,2})\s*月\s*(\d{1,2})\s*日")
DATE_MD_PAREN = re.compile(r"[(（](\d{1,2})-(\d{1,2})[)）]")
DATE_DMY = re.compile(r"(?<!\d)(\d{1,2})\s+(" + _MONTH + r")\s+(\d{4})(?!\d)")
DATE_MDY = re.compile(r"\b(" + _MONTH + r")\s+(\d{1,2}),?\s+(\d{4})(?!\d)")
# Taiwan's ROC years (year + 1911): 民國113年3月5日, 113-05-06, 108/10/18, 113年3月5日
DATE_ROC = re.compile(r"(?:民國|民国)\s*(\d{2,3})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})"
                      r"|(?<![\d/.-])(1[01]\d)([-/.])(\d{1,2})\5(\d{1,2})(?![\d/.-])"
                      r"|(?<![\d/.-])(1[01]\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
TIME = re.compile(r"(?<!\d)\d{1,2}:\d{2}(?::\d{2})?(?!\d)")
RELATIVE = re.compile(  # (Traditional units too: the DOM's text is not folded)
    r"\d{1,3}\s*(?:秒|分钟|分鐘|小时|小時|天|周|週|个月|個月|年)前"
    r"|\d{1,3}\s*(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago"
    r"|\d{1,3}\s*(?:detik|menit|jam|hari|minggu|bulan|tahun)\s+(?:yang\s+)?lalu"
)
# An element's whole text that is a relative time ("3 天前", "昨天 21:05", "2 hours ago", "kemarin"),
# as forums and timeago widgets show one with the time itself in a tooltip
RELATIVE_SHOWN = re.compile(r"\s*(?:" + RELATIVE.pattern + r"|刚刚|剛剛|昨天|前天|今天"
                            r"|(?:yesterday|today|just now|kemarin|hari ini|baru saja)\b)", re.IGNORECASE)
_VIEWS_PARTS = (  # a counter after its label, after a label and colon, before its unit
    r"(?:阅读|浏览|点击|点阅|浏览次数|点阅次数|阅读量|阅读数|点击数|点击量|人气|views?|reads?|dibaca|dilihat)\s*[:：]?\s*\d[\d,.]*",
    r"(?:浏览量|访问量|阅读次数|点击次数)\s*[:：]\s*\d[\d,.]*",
    r"\d[\d,.]*\s*(?:views|reads|次阅读|次浏览|人阅读|kali\s+dibaca)",
)
VIEWS = re.compile("|".join(_VIEWS_PARTS))
# VIEWS one part at a time (a line holds one when any part matches): the first two get a first-character
# lookahead (see fastre), the third, which starts with a digit, is tried only when its unit is there.
_VIEWS_LABELLED = tuple(re.compile(part) for part in _VIEWS_PARTS[:2])
_VIEWS_COUNTED = re.compile(_VIEWS_PARTS[2])
_VIEWS_UNITS = ("views", "reads", "次阅读", "次浏览", "人阅读", "kali")
READING_TIME = re.compile(
    r"(?:lama\s+baca|waktu\s+baca|baca)\s*:?\s*(?:[±~≈]|sekitar\s)?\s*\d{1,3}\s*menit"
    r"|\d{1,3}\s*(?:-\s*)?min(?:ute)?s?\s+read"
    r"|(?:reading|read)\s+time\s*:?\s*[±~≈]?\s*\d{1,3}\s*min"
    r"|(?:阅读时间|预计阅读|阅读需要|阅读约|阅读时长)\D{0,4}\d{1,3}\s*分钟"
    r"|\d{1,3}\s*menit\s+(?:membaca|baca)"
)
_SIGNALS = (DATE_YMD, DATE_ROC, DATE_MD_CJK, DATE_MD_PAREN, DATE_DMY, DATE_MDY, TIME, RELATIVE, VIEWS, READING_TIME)

# Words that carry no article content inside a byline.
_BYLINE_WORDS = re.compile(
    r"发布时间|发表时间|更新时间|发布日期|发布于|发布|时间|日期|来源|作者|编辑|浏览次数|浏览量|访问量|浏览|阅读|点击|次|"
    r"星期[一二三四五六日天]|周[一二三四五六日]|上午|下午|晚上|凌晨|中午|早上|"
    r"\b(?:published|updated|posted|last|by|on|at|views?|reads?|min|read|wib|wita|wit|gmt|utc|am|pm|"
    r"diperbarui|diterbitkan|dipublikasikan|dibaca|kali|lama|baca|menit|pukul|oleh|"
    r"senin|selasa|rabu|kamis|jumat|sabtu|minggu|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|mon|tue|wed|thu|fri|sat|sun|admin)\b"
)
_WORD = re.compile(r"[^\W\d_]{2,}")


_ANY_DIGIT = re.compile(r"\d")


_FOUR_DIGITS = re.compile(r"\d{4}")


def has_byline_signal(folded: str) -> bool:
    # every signal (a date, a time, a counter, a reading time) holds a digit: most lines have none;
    # each pattern is tried only when the text holds what it cannot match without (same answer, faster)
    f = folded
    if not _ANY_DIGIT.search(f):
        return False
    if _FOUR_DIGITS.search(f) and (DATE_YMD.search(f) or DATE_DMY.search(f) or DATE_MDY.search(f)):
        return True
    if ("1" in f and DATE_ROC.search(f)) or "月" in f and DATE_MD_CJK.search(f) or "-" in f and DATE_MD_PAREN.search(f) \
            or ":" in f and TIME.search(f):
        return True
    if ("前" in f or "ago" in f or "lalu" in f) and RELATIVE.search(f):
        return True
    if ("min" in f or "menit" in f or "分钟" in f) and READING_TIME.search(f):
        return True
    return any(p.search(f) for p in _VIEWS_LABELLED) or any(u in f for u in _VIEWS_UNITS) \
        and bool(_VIEWS_COUNTED.search(f))  # (VIEWS.search, faster)


_LISTING_LEAD = re.compile(r"\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:[(（](?:星期|周)?[一二三四五六日天][)）]|星期[一二三四五六日天]|周[一二三四五六日])?")
# what a byline or a date header holds besides its date (sources, authors, counters, lunar dates)
_NOT_LISTING = re.compile(r"发布|发表时间|更新|来源|作者|编辑|责编|记者|通讯员|报讯|电讯|报道|摄|供稿|新闻网|日报|晚报|"
                          r"电视台|融媒|浏览|点击|农历|阴历")


def is_event_listing(folded: str) -> bool:
    """``7月20日（六）手作书签与藏书票``, ``7月15日：鲜活食品档位``: an item of a schedule in the
    article (a yearless month-day, then what happens), not a byline. A byline's date is a
    publication date: it has a year or a time, a counter or a byline word (source, author,
    reporter), none of which such an item holds."""
    m = _LISTING_LEAD.match(folded)
    if m is None:
        return False
    rest = folded[m.end():]
    if _ANY_DIGIT.search(rest) and any(p.search(folded) for p in (DATE_YMD, TIME, RELATIVE, VIEWS, READING_TIME)):
        return False
    if _NOT_LISTING.search(rest):
        return False
    return han_count(rest) >= 4


# -- schedules ----------------------------------------------------------------------------------
# "October 23 (Wednesday), 7:00 AM – 3:00 PM: Barangay Tambo", "19.30 WITA – Pembukaan ...",
# "Monday 21 October – 9:00 a.m.: Vieux Fort School": when (dates, weekdays, times), then what.
_WHEN = re.compile(
    r"\d{1,2}[:.]\d{2}\s*(?:[ap]\.?\s?m\b\.?|wib\b|wita\b|wit\b|nn\b|noon\b|h\b)?"
    r"|\b\d{1,2}\s*[ap]\.?m\b\.?"
    r"|\b(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\b"
    r"|\b(?:senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu)\b"
    r"|\b" + _MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?\b|\b\d{1,2}(?:st|nd|rd|th)?\s+" + _MONTH + r"(?![a-z])"
    r"|\d{1,2}\s*月\s*\d{1,2}\s*日|星期[一二三四五六日天]|周[一二三四五六日]|[(（](?:周|星期)?[一二三四五六日天][)）]"
    r"|\b\d{4}\b|\b(?:noon|midnight|to|until|and|from|dan|sampai|hingga|pukul|jam|s/d|onwards|every|setiap)\b"
    r"|\d{1,2}\s*时\s*(?:\d{1,2}\s*分|半)?|上午|下午|晚上|中午|早上|凌晨|逢|每逢|每周|[至到起止]"
)
_WHEN_SIGNAL = re.compile(
    r"\d{1,2}[:.]\d{2}|\b\d{1,2}\s*[ap]\.?m\b|\d{1,2}\s*月\s*\d{1,2}\s*日|\d{1,2}\s*时|\b" + _MONTH + r"\s+\d{1,2}\b"
    r"|\b\d{1,2}\s+" + _MONTH + r"(?![a-z])"
)
_WHAT_SEP = re.compile(r"\s*(?::|\s[-–—]\s|[–—])\s*")
_NOT_WHAT = re.compile(
    r"\b(?:by|posted|published|updated|views?|reads?|oleh|dibaca|diperbarui|diterbitkan|diposting|ditulis|"
    r"dipublikasikan|editor|penulis|reporter|"
    r"source|sumber|photo|foto|comments?|komentar)\b|来源|作者|记者|编辑|发布|浏览|阅读|点击|报讯|电讯|新闻网|日报|晚报|融媒"
    r"|电视台|[网讯]\s*$"
)


def _bare(text: str) -> tuple[int, int]:
    rest = _WHEN.sub(" ", text)
    return han_count(rest), len(_WORD.findall(rest))


def schedule_shape(folded: str) -> str | None:
    """``"item"`` for a schedule line (a date, weekday or time, then what happens there: ``Friday,
    October 25, 7.30pm - Gala night``, ``14.00 WITA – Lomba masak``), ``"day"`` for a bare
    date or weekday line heading a day of one (``Jumat, 25 Oktober 2024``), else None. Lines
    with byline or credit words (by, posted, updated, views, source, 来源, 作者) are neither."""
    f = folded.strip()
    if not f or len(f) > 160 or not _ANY_DIGIT.search(f) or _NOT_WHAT.search(f):
        return None
    if not _WHEN_SIGNAL.search(f) and not (DATE_DMY.search(f) or DATE_MDY.search(f) or DATE_YMD.search(f)):
        return None
    cjk, words = _bare(f)
    if cjk == 0 and words == 0:
        return "day"
    for m in reversed(list(_WHAT_SEP.finditer(f))):  # the last separator after which the "what" starts
        lead, what = f[: m.start()], f[m.end():]
        if not _WHEN_SIGNAL.search(lead) and not DATE_DMY.search(lead) and not DATE_YMD.search(lead):
            continue
        lead_cjk, lead_words = _bare(lead)
        what_cjk, what_words = _bare(what)
        if lead_cjk <= 4 and lead_words <= 2 and (what_cjk >= 3 or what_words >= 2):
            return "item"
    label, sep, when = f.partition(":")  # "Pendaftaran daring: 2–20 Desember 2024": what, then when
    if sep and when.strip() and 2 <= sum(_bare(label)) and han_count(label) <= 12 and len(_WORD.findall(label)) <= 5 \
            and (_bare(when) == (0, 0) or _time_then_han(when.strip())):
        return "item"  # ("早班: 6:20 报福镇客运站发车": a label, then a timed item)
    if _time_then_han(f):
        return "item"  # "22:40 接到报警": a time, then what happened
    m = DATE_MD_CJK.match(f)  # "7月20日（六）手作书签": no separator after a Chinese date
    if m is not None and is_event_listing(f):
        return "item"
    return None


def _time_then_han(f: str) -> bool:
    """``22:40 接到报警``: a date or time leading straight into at least three Han characters."""
    m = HAN_RE.search(f)
    if m is None or m.start() == 0:
        return False
    lead = f[: m.start()]
    return bool(_WHEN_SIGNAL.search(lead)) and _bare(lead) == (0, 0) and han_count(f[m.start():]) >= 3


def byline_residue(folded: str) -> tuple[int, int]:
    """(CJK characters, Latin words) left once dates, counts and byline words are removed."""
    rest = folded
    for pattern in _SIGNALS:
        rest = pattern.sub(" ", rest)
    rest = _BYLINE_WORDS.sub(" ", rest)
    return han_count(rest), len(_WORD.findall(rest))


def find_date(folded: str) -> str | None:
    """The first date in a (folded) line, ISO ``YYYY-MM-DD`` when the year is known."""
    best: tuple[int, str] | None = None
    for pattern, build in (
        (DATE_YMD, lambda m: _iso(m.group(1), m.group(2), m.group(3))),
        (DATE_DMY, lambda m: _iso(m.group(3), MONTHS[m.group(2).rstrip(".")], m.group(1))),
        (DATE_MDY, lambda m: _iso(m.group(3), MONTHS[m.group(1).rstrip(".")], m.group(2))),
        (DATE_MD_CJK, lambda m: _md(m.group(1), m.group(2))),
        (DATE_MD_PAREN, lambda m: _md(m.group(1), m.group(2))),
    ):
        m = pattern.search(folded)
        if m:
            value = build(m)
            if value and (best is None or m.start() < best[0]):
                best = (m.start(), value)
    return best[1] if best else None


def _iso(year: str | int, month: str | int, day: str | int) -> str | None:
    y, mo, d = int(year), int(month), int(day)
    if 1 <= mo <= 12 and 1 <= d <= 31 and 1900 <= y <= 2200:
        return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def _md(month: str, day: str) -> str | None:
    mo, d = int(month), int(day)
    return f"--{mo:02d}-{d:02d}" if 1 <= mo <= 12 and 1 <= d <= 31 else None


# Same matches, faster searches (a first-character lookahead where the engine has none; see fastre).
_fastre.accelerate(globals())
