"""Typed metadata of an HTML page: what the markup declares, then what its byline shows.

The byline *zone* is read in this order: the removed blocks between the headline and the first
kept paragraph (the article header: date, author, source, editor), removed blocks inside the body
(``本报记者 X``, ``Laporan Wartawan ...``), removed blocks right after it (``（责任编辑：X）``,
``Reporting by ...; Editing by ...``), then elements whose class or id names a field
(``post-author``, ``js_name``, ``pubtime``) near the article. Declared values (JSON-LD, ``<meta>``)
decide the date first and fill in author and source when the page shows none.
"""
from __future__ import annotations

import re
import unicodedata

from searchlib.analysis.boilerplate import metadata as m
from searchlib.analysis.chars import HAN_CHARS
from searchlib.analysis.html.dom import Dom
from searchlib.analysis.html.meta import UTC_TIME, Declared, site_from_title

__all__ = ["html_metadata"]

_HEAD_BLOCKS = 15      # removed blocks read between the headline and the body
_TAIL_BLOCKS = 12      # removed blocks read after the body
_NAME_ONLY = re.compile(r"^(?:[Bb]y\s+|[Oo]leh\s+|Posted by\s+)?([^\W\d_][\w .'·-]{1,40}?)(?:\s*[,|｜·/／]\s*.*)?$")


# "发表于 3 天前", "Posted on May 6": when a post was written, under an element named for its author
_POSTED_AT = re.compile(r"(?:发表于|發表於|发布于|發佈於|发布时间|發佈時間|posted\s+(?:on|at)|published\s+(?:on|at)|"
                        r"diterbitkan|dipublikasikan)", re.IGNORECASE)
_UPDATE_LABEL = re.compile(r"(?:updated|modified|diperbarui|更新|修改|最后修改|最後修改)\s*(?:on|at|pada)?\s*[:：]?\s*$",
                           re.IGNORECASE)


def _signed_date(blocks: list, kept: list[int], full_years: list[str], page_url: str) -> str | None:
    """The date under a notice's last lines (its 落款: ``2024年3月8日``, ``中華民國113年4月22日``),
    when the page shows no other: a short kept line that is only a date, among the last three."""
    for i in reversed(kept[-3:]):
        text = blocks[i].text.strip()
        if len(text) <= 20 and (found := m.published_date(text)):
            value = m.complete_date(found, full_years, page_url)
            if value:
                return value
    return None


def _before(block_text: str, time_text: str) -> str:
    """The few characters of ``block_text`` right before ``time_text`` (its label, if any)."""
    at = block_text.find(time_text.strip()) if time_text.strip() else -1
    return block_text[max(0, at - 24):at] if at > 0 else ""


def html_metadata(dom: Dom, reasons: list[str | None], title: str, title_index: int | None,
                  region: set[int], decl: Declared, url: str | None = None) -> dict[str, str]:
    """The page's metadata fields (see :mod:`searchlib.analysis.boilerplate.metadata`)."""
    blocks = dom.blocks
    n = len(blocks)
    kept = [i for i, r in enumerate(reasons) if r is None]
    first_body = kept[0] if kept else n
    last_body = kept[-1] if kept else n
    start = title_index + 1 if title_index is not None else max(0, first_body - _HEAD_BLOCKS)
    head = [i for i in range(start, first_body) if reasons[i] is not None][:_HEAD_BLOCKS]
    inner = [i for i in range(first_body, last_body) if reasons[i] in ("byline", "credit")]
    tail = [i for i in range(last_body + 1, n) if reasons[i] is not None and (i in region or not region)][:_TAIL_BLOCKS]
    zone = head + inner + tail
    near = range(max(0, (title_index if title_index is not None else first_body) - 3), min(n, last_body + _TAIL_BLOCKS))
    fields = [(kind, text) for kind, text, at in dom.fields if at in near and text]
    texts = _joined_labels(blocks, zone)

    meta: dict[str, str] = {}
    if title:
        meta["title"] = title
    page_url = decl.url or url or ""
    full_years = [d for d in decl.dates]
    date, utc = (decl.dates[0], decl.utc[0]) if decl.dates else (None, False)
    if date is None:
        for when, text, at, update in dom.times:
            if update or (at < n and _UPDATE_LABEL.search(_before(blocks[at].text, text))):
                continue  # "Last updated: <time>", <time class="updated">: not when it was published
            if at in near and (d := m.iso_date(when)):
                date, utc = d, bool(UTC_TIME.search(when))
                break

    def shown(tail: bool = True) -> str | None:  # the date the byline shows (``tail``: or a line after the text)
        for text in [*(texts[: len(head)]), *(t for k, t in fields if k == "date"), *(texts[len(head):] if tail else ())]:
            found = m.published_date(text)
            if found:
                value = _media_date(found, dom, near) or m.complete_date(found, full_years, page_url)
                if value:
                    return value
        return None

    if date is None:
        # the byline's date; else a notice's signed date (落款) before a date in the lists after it
        date = shown(tail=False) or _signed_date(blocks, kept, full_years, page_url) or shown()
    elif utc and (local := shown()) and _one_day_apart(date, local):
        date = local  # a UTC timestamp of 23:10Z for a page dated the next morning in Hong Kong
    if date is None:
        date = m.url_date(page_url)
    if date is None:
        date = _signed_date(blocks, kept, full_years, page_url)
    if date:
        meta["date"] = date

    authors: list[str] = []
    editors: list[str] = []
    photographers: list[str] = []
    for text in texts:
        a, e, p = m.find_credits(text)
        authors.extend(x for x in a if x not in authors)
        editors.extend(x for x in e if x not in editors)
        photographers.extend(x for x in p if x not in photographers)
    for kind, text in fields:
        text = _plain(text)
        if kind == "author" and not authors:
            a, e = m.find_people(text)
            if not a and not e:
                a = _bare_names(text)
            authors.extend(x for x in a if x not in authors)
            editors.extend(x for x in e if x not in editors)
        elif kind == "editor" and not editors:
            _, e = m.find_people(text)
            editors.extend(x for x in (e or _bare_names(text)) if x not in editors)
    if not authors and kept:
        # the credit opening the first paragraph: "〔記者王小明／台北報導〕...", "本报讯（记者 包晨）..."
        found = _LEAD_CREDIT.match(_plain(blocks[kept[0]].text[:80]))
        if found:
            authors.extend(a for a in m.find_people(found.group(1))[0] if a not in authors)
    if not authors:
        sites = {k for s in decl.sites if (k := _name_key(s))}
        authors = [a for a in decl.authors if not m.is_organisation(a) and not _is_site(_name_key(a), sites)]
    if not authors and photographers:
        authors = photographers  # a photo gallery: the photographer is the one credited creator
    if authors:
        meta["author"] = m.join_names(authors)
    if editors:
        meta["editor"] = m.join_names(editors)

    site = (decl.site_name[0] if decl.site_name else None) or site_from_title(decl.html_title, title) \
        or (decl.sites[0] if decl.sites else None)
    if site:
        site = _in_language(site, decl.lang)
    source = next((s for t in texts if (s := m.find_source(t))), None)
    if source is None:
        source = next((_plain(t) for k, t in fields if k == "source" and 1 < len(t) <= 40), None)
    if source is None:
        source = site
    if source:
        meta["source"] = source
    if site:
        meta["site"] = site
    if page_url:
        meta["url"] = page_url
    return meta


def _one_day_apart(a: str, b: str) -> bool:
    from datetime import date

    try:
        return abs((date.fromisoformat(a) - date.fromisoformat(b)).days) == 1
    except ValueError:
        return False


def _media_date(partial: str, dom: Dom, near: range) -> str | None:
    """A month-day date completed from the URL of a picture or video of the article dated the same
    month and day (``/uploads/2023/11/08/poster.jpg`` for "11-08 10:20")."""
    if not partial.startswith("--"):
        return None
    for url, at in dom.media:
        if at in near and (full := m.url_date(url)) and full[4:] == partial[1:]:
            return full
    return None


# A label and its name in one block without a colon: "Penulis Dewi Lestari", "Editor Andi Saputra"
_BARE_LABEL = re.compile(r"^(Penulis|Pewarta|Reporter|Editor|Redaktur|Writer|Author|Kontributor)\s+(?=[A-Z][a-z])")
_LEAD_CREDIT = re.compile(r"^(?:本报讯|本報訊|本网讯|本網訊|[^\s〔［\[【(（]{2,12}讯|[^\s〔［\[【(（]{2,12}訊)?\s*"
                          r"[〔［\[【(（]\s*((?:本报|本報|实习|實習|特约|特約)?(?:记者|記者)[^〕］\]】)）]{2,40})[〕］\]】)）]")
_LABEL_ONLY = re.compile(r"^(?:penulis|editor|redaktur|reporter|pewarta|author|writer|by|oleh|sumber|source|"
                         r"作者|记者|記者|编辑|編輯|责任编辑|責任編輯|来源|來源|撰文|通讯员|通訊員)\s*[:：]?$", re.IGNORECASE)


def _colon_after_label(text: str) -> str:
    """``_BARE_LABEL.sub(r"\\1: ", text, count=1)`` (a template substitution hashes its whole pattern
    on every call: the label is put back by hand)."""
    found = _BARE_LABEL.match(text)
    return text if found is None else f"{found.group(1)}: {text[found.end():]}"


def _joined_labels(blocks: list, zone: list[int]) -> list[str]:
    """Zone texts, a label block joined to the value block after it (``Editor`` / ``Ervina Sari``)."""
    texts = [_colon_after_label(_plain(blocks[i].text)) for i in zone]
    for k in range(len(zone) - 1):
        if zone[k + 1] == zone[k] + 1 and _LABEL_ONLY.match(texts[k]):
            texts[k] = f"{texts[k].rstrip(':： ')}: {texts[k + 1]}"
    return texts


_HAN_LATIN = re.compile(r"^([" + HAN_CHARS + r"][" + HAN_CHARS + r"·\s]*?)(?:\s+|\s*[|｜/(（-]\s*)([A-Za-z][\w .&'-]*?)[)）]?$"
                        r"|^([A-Za-z][\w .&'-]*?)(?:\s+|\s*[|｜/(（-]\s*)([" + HAN_CHARS + r"][" + HAN_CHARS + r"·\s]*?)[)）]?$")


def _in_language(site: str, lang: str) -> str:
    """A bilingual site name in the page's language: ``維港新聞 Harbour News`` is ``維港新聞`` on a
    Chinese page, ``Harbour News`` on an English one."""
    found = _HAN_LATIN.match(site.strip())
    if not found or not lang:
        return site
    han, latin = (found.group(1), found.group(2)) if found.group(1) else (found.group(4), found.group(3))
    return (han if lang == "zh" else latin).strip()


_NOT_WORD = re.compile(r"[\W_]+")


def _name_key(text: str) -> str:
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).casefold())


def _is_site(key: str, sites: set[str]) -> bool:
    """``Cebu Herald`` for the site ``The Cebu Herald``: an unsigned piece credited to the outlet."""
    return bool(key) and any(key == s or len(key) >= 4 and (key in s or s in key) for s in sites)


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKC", m.strip_pinyin(text[:400])).strip()


def _bare_names(text: str) -> list[str]:
    """Names written without a label (``Hannah Ropata, Coast FM News``, ``By Jo Tan``)."""
    found = _NAME_ONLY.match(text.strip())
    if not found or _POSTED_AT.match(found.group(1)):
        return []
    return [x for x in m.split_names(found.group(1)) if not m.is_organisation(x)]
