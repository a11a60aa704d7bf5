"""Metadata an HTML page declares: head ``<meta>`` tags, JSON-LD, ``<time>``, canonical links.

:func:`declared` reads what the markup states outright (OpenGraph, schema.org JSON-LD and
microdata, Dublin Core, the ``PubDate``-style tags of Chinese CMSs, ``<link rel=canonical>``,
``<html lang>``); :func:`choose_title` picks the headline among the page's headings and the
declared titles. Byline text (``来源:``, ``责任编辑:``, ``By ...``) is read by the shared
:mod:`searchlib.analysis.boilerplate.metadata` from the blocks the filter removed.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from searchlib.analysis.boilerplate.metadata import is_organisation, iso_date, normalize_lang, split_names, strip_site
from searchlib.analysis.html.dom import Dom
from searchlib.analysis.chars import HAN_CHARS

__all__ = ["UTC_TIME", "Declared", "choose_title", "declared", "without_badge"]

_PUBLISHED_KEYS = (
    "article:published_time", "og:published_time", "og:article:published_time", "datepublished",
    "publishdate", "publish-date", "publish_date", "pubdate", "pubtime", "publishtime", "publish_time",
    "firstpublishedtime", "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date", "dc.date.created",
    "dcterms.created", "sailthru.date", "parsely-pub-date", "date", "releasedate", "release_date", "created",
    "article.published", "article_date_original", "original-publish-date", "contentstart", "bt:pubdate",
    "cxenseparse:recs:publishtime", "publication_date", "eomportal-lastupdate", "dtk:publishdate",
    "article:published", "published_time", "published-date", "content_publisheddate",
)
_DATE_KEY = re.compile(r"date|publish|pubtime")
_NOT_PUBLISHED_KEY = re.compile(r"modif|updat|revis|expir|lastmod|changed|valid|review|birth|event|start|end")
_AUTHOR_KEYS = ("author", "article:author", "dc.creator", "dcterms.creator", "byl", "sailthru.author",
                "parsely-author", "dtk:author", "content_author", "cxenseparse:author", "article:author_name", "author_name",
                "twitter:creator", "contentsource")
_TITLE_KEYS = ("og:title", "twitter:title", "dc.title", "dcterms.title", "headline", "sailthru.title",
               "parsely-title", "articletitle", "title")
_SITE_KEYS = ("og:site_name", "application-name", "sitename", "dc.publisher", "publisher", "twitter:site",
              "apple-mobile-web-app-title")
_URL_KEYS = ("og:url", "twitter:url", "parsely-link")
_LANG_KEYS = ("og:locale", "language", "content-language", "dc.language", "lang")
_ARTICLE_TYPES = ("article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
                  "opinionnewsarticle", "webpage", "report", "posting", "socialmediaposting", "liveblogposting")


# A timestamp in UTC: its date may be the day before or after the one the page shows
UTC_TIME = re.compile(r"\d[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?\s*(?:Z|[+-]00:?00|\s*(?:UTC|GMT))\s*$", re.IGNORECASE)


@dataclass
class Declared:
    """Values the markup declares (empty strings / lists when absent)."""

    titles: list[str] = field(default_factory=list)     # og:title, JSON-LD headline, ... best first
    html_title: str = ""
    dates: list[str] = field(default_factory=list)      # ISO dates, best source first
    utc: list[bool] = field(default_factory=list)       # each date read from a UTC timestamp (...T23:10:00Z)
    authors: list[str] = field(default_factory=list)
    sites: list[str] = field(default_factory=list)     # every declared site name, og:site_name first
    site_name: list[str] = field(default_factory=list)  # og:site_name
    url: str = ""
    lang: str = ""


def _json_ld_items(raw: str) -> Iterator[dict[str, Any]]:
    try:
        data = json.loads(raw.strip().rstrip(";"))
    except ValueError:
        return
    stack = [data]
    seen = 0
    while stack and seen < 200:
        item = stack.pop()
        seen += 1
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            if "@graph" in item:
                stack.append(item["@graph"])
            yield item


def _type_of(item: dict[str, Any]) -> set[str]:
    t = item.get("@type")
    types = t if isinstance(t, list) else [t]
    return {str(x).lower() for x in types if x}


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return split_names(value) if not value.startswith("http") else []
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        out: list[str] = []
        for v in value[:10]:
            out.extend(n for n in _names(v) if n not in out)
        return out
    return []


def declared(dom: Dom) -> Declared:
    """What ``dom``'s head and structured data declare."""
    out = Declared(html_title=dom.title)
    metas: dict[str, list[str]] = {}
    for key, value in dom.metas:
        metas.setdefault(key, []).append(value)
    for item in (i for raw in dom.json_ld for i in _json_ld_items(raw)):
        types = _type_of(item)
        if not types & set(_ARTICLE_TYPES):
            if types & {"organization", "newsmediaorganization", "website"} and isinstance(item.get("name"), str):
                out.sites.append(item["name"])
            continue
        for key in ("headline", "name"):
            if isinstance(item.get(key), str) and "webpage" not in types:
                out.titles.append(item[key])
                break
        for key in ("datePublished", "dateCreated", "uploadDate"):
            d = iso_date(str(item.get(key) or ""))
            if d:
                out.dates.append(d)
                out.utc.append(bool(UTC_TIME.search(str(item.get(key)))))
                break
        out.authors.extend(n for n in _names(item.get("author")) if n not in out.authors)
        publisher = item.get("publisher")
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            out.sites.append(publisher["name"])
        page = item.get("mainEntityOfPage")
        url = page.get("@id") if isinstance(page, dict) else page
        if isinstance(url, str) and url.startswith("http") and not out.url:
            out.url = url
        if isinstance(item.get("url"), str) and item["url"].startswith("http") and not out.url:
            out.url = item["url"]
        if isinstance(item.get("inLanguage"), str) and not out.lang:
            out.lang = item["inLanguage"]
    for key in _TITLE_KEYS:
        if key in metas:
            out.titles.extend(v for v in metas[key] if v not in out.titles)
    for key in _PUBLISHED_KEYS:
        for v in metas.get(key, ()):
            d = iso_date(v)
            if d and d not in out.dates:
                out.dates.append(d)
                out.utc.append(bool(UTC_TIME.search(v)))
    if not out.dates:  # a CMS's own key (founder-date, article-date): a name that says publication date
        for key, values in metas.items():
            if key not in _PUBLISHED_KEYS and _DATE_KEY.search(key) and not _NOT_PUBLISHED_KEY.search(key):
                for v in values:
                    d = iso_date(v)
                    if d and d not in out.dates:
                        out.dates.append(d)
                        out.utc.append(bool(UTC_TIME.search(v)))
    for prop, text, _ in dom.item_props:  # schema.org microdata on visible elements
        if prop == "headline" and text and text not in out.titles:
            out.titles.append(text)
        elif prop == "author" and text and not out.authors:
            out.authors.extend(n for n in split_names(text) if not is_organisation(n))
    for key in _AUTHOR_KEYS:
        for v in metas.get(key, ()):
            if v.startswith(("http", "@")):
                continue
            out.authors.extend(n for n in split_names(v) if n not in out.authors)
        if out.authors:
            break
    # the site's own name first (og:site_name), then the name <title> shows beside the headline (filled
    # in by site_from_title once the headline is known), then the publisher JSON-LD names, then the rest
    json_ld_sites, out.sites = out.sites, []
    for key in _SITE_KEYS[:1]:
        out.site_name.extend(v for v in metas.get(key, ()) if v)
    out.sites.extend(out.site_name)
    out.sites.extend(json_ld_sites)
    for key in _SITE_KEYS[1:]:
        if key in metas:
            out.sites.extend(v.lstrip("@") for v in metas[key] if v and not v.startswith("http"))
    for rel, href in dom.links:
        if "canonical" in rel.split() and href.startswith("http"):
            out.url = href
            break
    if not out.url:
        for key in _URL_KEYS:
            if metas.get(key) and metas[key][0].startswith("http"):
                out.url = metas[key][0]
                break
    out.lang = dom.lang or out.lang
    if not out.lang:
        for key in _LANG_KEYS:
            if metas.get(key):
                out.lang = metas[key][0]
                break
    out.lang = normalize_lang(out.lang) or ""
    return out


_NOT_WORD = re.compile(r"[\W_]+")


def _key(text: str) -> str:
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).casefold())


def choose_title(decl: Declared, headings: list[tuple[int, str, bool, int]],
                 shown: Callable[[str], bool] = lambda key: False) -> tuple[str, int | None]:
    """The headline and the index of its block (None when it is not a block of the page).

    ``headings``: (block index, text, in chrome, level) of the page's ``<h1>``..``<h3>`` blocks.
    The headline is the visible one: a heading the declared titles (OpenGraph, JSON-LD,
    ``<title>``) confirm; else the first ``<h1>`` outside the chrome that is not the site's name
    (an SEO title may differ from the headline the reader sees); else the declared title with the
    site's name taken off; else ``<title>`` (site's name taken off) when a block outside the chrome
    shows it (``shown(key)``); else the first ``<h2>``/``<h3>`` outside the chrome; else ``<title>``.
    """
    keys: dict[str, str] = {}

    def key(text: str) -> str:  # _key, each text folded once
        k = keys.get(text)
        if k is None:
            k = keys[text] = _key(text)
        return k

    sites = [*decl.sites, *(t for t in _site_candidates(decl))]
    stripped = [strip_site(t, sites) for t in decl.titles if t.strip()]
    html_title = strip_site(decl.html_title, sites) if decl.html_title else ""
    declared_keys = [k for t in (*decl.titles, decl.html_title) if (k := key(t))]
    stripped_keys = [k for t in (*stripped, html_title) if (k := key(t))]
    site_keys = {key(s) for s in sites if key(s)}
    if html_title and key(html_title) != key(decl.html_title):
        # what strip_site took off <title> names the site (a logo <h1> with that text is not the headline)
        rest = key(decl.html_title).replace(key(html_title), "\x00", 1).split("\x00")
        site_keys.update(k for k in rest if len(k) >= 2)
    best: tuple[int, int, int] | None = None  # (score, -rank, index in headings)
    for rank, (_, text, chrome, level) in enumerate(headings):
        k = key(text)
        if len(k) < 2 or k in site_keys:
            continue
        score = 0
        if k in declared_keys or k in stripped_keys:
            score = 4
        elif any(len(k) >= 6 and (d.startswith(k) or d.endswith(k)) for d in declared_keys):
            score = 3
        elif any(len(s) >= 6 and s in k for s in stripped_keys):
            score = 2
        if score:
            score = score * 2 - (level > 1)  # an h1 before an h2 with the same evidence
            if best is None or (score, -rank) > best[:2]:
                best = (score, -rank, rank)
    if best is not None:
        index, text = headings[best[2]][0], headings[best[2]][1]
        return without_badge(text, [*decl.titles, decl.html_title]), index
    for index, text, chrome, level in headings:
        if level == 1 and not chrome and len(key(text)) >= 2 and key(text) not in site_keys:
            return without_badge(text, [*decl.titles, decl.html_title]), index
    if stripped:
        return stripped[0], None
    if html_title and key(html_title) not in site_keys and shown(key(html_title)):
        return html_title, None  # a press release's headline in a styled <span>, a sidebar's <h3> below
    for index, text, chrome, level in headings:
        if not chrome and len(key(text)) >= 4 and key(text) not in site_keys:
            return without_badge(text, [*decl.titles, decl.html_title]), index
    if _PAGE_LABEL.search(html_title):
        return "", None  # an e-paper's "蓮峰晚報--第A03版:澳聞" names its page, not the article
    return html_title, None


_PAGE_LABEL = re.compile(r"第\s*[A-Z]?\d{1,3}\s*版\s*[:：]")


# (and a forum's category tag: "[街市] 葵涌新街市重開實測 …", "【行山報告】…")
_BADGE = re.compile(r"^(?:(?:LIVE|BREAKING|EXCLUSIVE|WATCH|VIDEO|PREMIUM|SPONSORED|UPDATED|NEW|PAID)\s+(?=\S)"
                    r"|[\[【〔]\s*[^\[\]【】〔〕]{1,8}\s*[\]】〕]\s*(?=\S))")


def without_badge(text: str, titles: list[str]) -> str:
    """The headline without a status badge set before it (``LIVE``, ``BREAKING``, ``PREMIUM``: a styled
    label, not words of the headline) when the declared title has the rest and not the badge."""
    found = _BADGE.match(text)
    if found:
        rest = _key(text[found.end():])
        bracketed = text[:1] in "[【〔"  # a category tag: the <title> may go on with the site's name
        if any(_key(t) == rest or bracketed and len(rest) >= 8 and _key(t).startswith(rest) for t in titles):
            return text[found.end():]
    return text


def _site_candidates(decl: Declared) -> list[str]:
    """Site names a ``<title>`` shows beside the declared title: ``Site: Title``, ``Title | Site``."""
    out = []
    html = " ".join(decl.html_title.split())
    for t in decl.titles:
        t = " ".join(t.split())
        if t and html != t and t in html:
            rest = html.replace(t, "\x00", 1)
            for part in re.split(r"\x00", rest):
                part = part.strip(" :|｜-–—_·•»")
                if part and len(part) <= 40:
                    out.append(part)
    return out


# the forum or CMS software a title credits ("... - 鹭汀论坛 - Powered by Discuz!"): never the site
_ENGINE_CREDIT = re.compile(r"(?:powered\s+by|proudly\s+powered\s+by|built\s+with|由\s*\S+\s*驱动)\b", re.IGNORECASE)


def site_from_title(html_title: str, headline: str) -> str | None:
    """The site's name a ``<title>`` adds to the headline: ``..._新闻中心_江城在线`` → ``江城在线``,
    ``Slow Roads Asia: Two days ...`` → ``Slow Roads Asia`` (the outermost part, not the section)."""
    html_title, headline = " ".join(html_title.split()), " ".join(headline.split())
    if not headline or headline == html_title or headline not in html_title:
        return None
    before, after = html_title.split(headline, 1)
    for rest, outer in ((after, -1), (before, 0)):
        parts = [p.strip(" -_|｜:：–—·•»") for p in re.split(r"\s*[_｜|–—]\s*|\s+[-:·•»]\s+|\s*[：:]\s*$|^\s*[：:]\s*|"
                                                          r"(?<=[" + HAN_CHARS + r"])-|-(?=[" + HAN_CHARS + r"])", rest)]
        parts = [p for p in parts if p and not _ENGINE_CREDIT.match(p)]
        if parts and 1 <= len(parts[outer]) <= 40:
            return parts[outer]
    return None
