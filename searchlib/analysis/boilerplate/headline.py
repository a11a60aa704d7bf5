"""The headline of a text page (pass 4 of :mod:`~.passes`): :func:`mark_title` picks it among
the title-like lines above the first paragraph of a page that shows chrome (the one over its
byline, not the site's own header, the one the browser's title bar repeats), marks the
masthead above it, its first or second line when wrapped, its deck and its copies further down;
:func:`leading_headline` names the first line of a page without chrome.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from searchlib.analysis.boilerplate import cues as c
from searchlib.analysis.boilerplate.page import Page
from searchlib.analysis.chars import HAN_CHARS
from searchlib.analysis.boilerplate.passes import (
    _MASTHEAD_LINES,
    _PATH_SEP,
    CUE_REASONS,
    _above_byline,
    _masthead_like,
)

if TYPE_CHECKING:  # pragma: no cover
    from searchlib.analysis.boilerplate.model import BoilerplateModel

__all__ = ["keep_without_chrome", "leading_headline", "mark_title"]


def mark_title(page: Page, model: BoilerplateModel | None) -> None:
    """The headline: the longest title-like line above the first paragraph of a chrome-bearing page."""
    for i, r in enumerate(page.reasons):
        if r is None and c.TITLE_PREFIX.match(page.folded[i]):
            page.reasons[i] = "title"
            page.title = i
            return
    if not any(r in CUE_REASONS for r in page.reasons):
        return  # no chrome: plain text (for instance already-cleaned text) has no headline to strip
    first = page.first_paragraph()
    if first is None:
        return  # a headline heads an article: without a paragraph there is none to strip
    shown = _shown_under_title_bar(page, first)
    if shown is not None:
        bar, best = shown
        page.reasons[bar] = "title"
        _set_title(page, best, model, _above_byline(page, best), top_line=False)  # (the bar shows where it starts)
        deck = page.non_empty(range(best + 1, len(page.texts)))
        if deck is not None and page.reasons[deck] is None and page.n_units[deck] <= 80 and _above_byline(page, deck):
            page.reasons[deck] = "title"  # the deck between the headline and its byline
        return
    window = range(first)
    cands = [i for i in window
             if page.reasons[i] is None and page.n_units[i] >= 4 and page.title_like(i) and not _WEB_ADDRESS.match(page.folded[i])]
    # a headline a weak per-line cue took (a headline about a WhatsApp line or "5类电话", a teaser
    # run that swallowed it) is still the headline when its byline stands right under it
    cands += [i for i in window if page.reasons[i] in _WEAK_TITLE_CUES and page.n_units[i] >= 8
              and page.title_like(i) and _above_byline(page, i) and not c.is_list_item(page.folded[i])]
    if model is not None:  # prefer lines that are not the site's own header
        own = [i for i in cands if not model.is_template(page.texts[i])]
        cands = own or cands
    named = [i for i in cands if not _name_like(page, i)]  # "Joanna Marie Delos Reyes" above the date line
    cands = named or cands
    headed = [i for i in cands if _above_byline(page, i)]  # "headline, then date/author line"
    cands = headed or cands
    best = max(cands, key=lambda i: page.n_units[i], default=None)
    if best is None:
        return
    bar = best
    best = _headline_in_title_bar(page, best, cands)
    if bar != best:
        page.reasons[bar] = "title"  # the browser's title bar: the headline and the site's name
    _set_title(page, best, model, best in headed)


def keep_without_chrome(page: Page) -> None:
    """After the last pass: a headline was stripped because the page showed chrome; when every
    line that showed it was kept as article text in the end, the page is plain text after all,
    and plain text keeps its headline (it still names the page). Cleaning the kept text again
    would otherwise find the same cue, keep that line again, and strip the next title-like line
    as a second headline. A labelled title (``标题:``) is a field and stays out."""
    if page.title is None or any(r is not None and r not in ("title", "empty") for r in page.reasons):
        return
    for i, r in enumerate(page.reasons):
        if r == "title" and not c.TITLE_PREFIX.match(page.folded[i]):
            page.reasons[i] = None


def _set_title(page: Page, best: int, model: BoilerplateModel | None, headed: bool, top_line: bool = True) -> None:
    """Line ``best`` is the headline: mark it, the masthead lines above a bylined one, its first
    (``top_line``) or second line when wrapped, and its copies further down."""
    page.reasons[best] = "title"
    page.title = best
    if headed:
        _mark_above_headline(page, best)
    if top_line:
        _mark_headline_top_line(page, best, model)
    if page.title_text is None:
        _continuation(page, page.title)
    key = page.key(best)
    if len(key) >= 8:
        for j in range(best + 1, len(page.texts)):
            if page.reasons[j] is None and page.key(j) == key:
                page.reasons[j] = "title"


_HAN = re.compile(f"[{HAN_CHARS}]")
_SITE_REST = 40  # what a title bar holds after its headline: the site's name (and a section)
_PAST_FIRST = 8  # lines searched below the first paragraph-like line for the headline the bar repeats


def _shown_under_title_bar(page: Page, first: int) -> tuple[int, int] | None:
    """``Headline – Site`` as the page's first line and ``Headline`` above the article, right over
    its byline (whatever a per-line cue made of it: a dated headline reads as a byline) or over
    its own second line: ``(title bar, headline)``."""
    bar = page.non_empty(range(len(page.texts)))
    if bar is None or bar >= first:
        return None
    key = page.key(bar)
    for j in range(bar + 1, min(len(page.texts), first + _PAST_FIRST)):  # (an ad's copy may come first)
        if page.reasons[j] == "empty" or page.reasons[j] == "title":
            continue
        kj = page.key(j)
        if len(kj) < 8 or not key.startswith(kj) or len(key) == len(kj):
            continue
        nxt = page.non_empty(range(j + 1, len(page.texts)))
        wrapped = nxt is not None and key.startswith(kj + page.key(nxt)) and len(page.key(nxt)) >= 4
        bylined = _above_byline(page, j) or page.reasons[j] == "byline" or nxt is not None and _above_byline(page, nxt)
        if (len(key) - len(kj) <= _SITE_REST and bylined) or wrapped:  # (a deck may stand above the byline)
            return bar, j
    return None


def _headline_in_title_bar(page: Page, best: int, cands: list[int]) -> int:
    """``Headline - Site`` (the browser's title bar, first on the page) and ``Headline`` further
    down: the headline is the shorter line that the longer one starts with."""
    key = page.key(best)
    inner = [i for i in cands if i != best and len(page.key(i)) >= 8 and key.startswith(page.key(i))]
    if inner:
        return max(inner, key=lambda i: page.n_units[i])
    if best == page.non_empty(range(len(page.texts))):  # the bar heads the page; the headline may
        for i in range(best + 1, len(page.texts)):   # follow a welcome banner the window stopped at
            if page.reasons[i] is None and len(page.key(i)) >= 8 and key.startswith(page.key(i)) \
                    and page.title_like(i) and _above_byline(page, i):
                return i
    return best


_WEAK_TITLE_CUES = frozenset({"contact", "related-list", "advertisement", "caption"})
_WEB_ADDRESS = re.compile(r"^\s*(?:https?://|www\.)\S*\s*$")  # a bare address is never the headline
_PERSON = re.compile(r"^(?:[A-Z][a-z'’-]+|[A-Z]\.)(?:\s+(?:[A-Z][a-z'’-]+|[A-Z]\.|de|del|delos|van|von|bin|binti|al)){1,3}"
                     r"(\s*,\s*(?:[A-Za-z]+\s+){0,3}(?i:correspondent|reporter|editor|writer|journalist|contributor|"
                     r"columnist|photographer|staff|wartawan|kontributor|jurnalis|koresponden|penulis|redaktur))?$")


def _name_like(page: Page, i: int) -> bool:
    """A person's name, with a role or right above the date line: ``Lim Jia Hui, Transport
    Correspondent``, ``Joanna Marie Delos Reyes`` / ``March 3, 2024``: a by-line without its "By",
    not a headline."""
    m = _PERSON.match(page.raw_head(i).strip())
    if not m:
        return False
    below = page.non_empty(range(i + 1, len(page.texts)))
    return bool(m.group(1)) or (below is not None and page.reasons[below] in ("byline", "credit"))


def leading_headline(page: Page) -> int | None:
    """The first line of a page without chrome when it reads as its headline: title-like, then a
    paragraph. It names the page (metadata) but stays in the text - nothing marks it as chrome."""
    first = page.non_empty(range(len(page.texts)))
    if first is None or page.reasons[first] not in (None, "title") or page.n_units[first] < 4 \
            or not page.title_like(first):
        return None
    nxt = page.non_empty(range(first + 1, len(page.texts)))
    return first if nxt is not None and page.reasons[nxt] is None and page.prose(nxt) else None


def _mark_above_headline(page: Page, title: int) -> None:
    """Site name / kicker lines at the very top, above a headline that a byline confirms.

    ``瀟湘資訊網 湖南產業信息服務平臺`` / headline / ``發布時間:... 來源:...``: nothing of the article
    comes before its headline, so short non-sentences among the first lines above it are the site's.
    """
    above = [i for i in range(title) if page.reasons[i] != "empty"]
    if len(above) > _MASTHEAD_LINES:
        return  # the headline is not among the first lines of the page
    for i in above:
        if i == above[-1] and page.n_units[i] >= 8 and not c.SITE_NAME.search(page.folded[i]) \
                and page.title_like(i) and not _section_path(page, i):
            continue  # glued above the headline and no site's name: the headline's first line, or its kicker
        if page.reasons[i] is None and _masthead_like(page, i):
            page.reasons[i] = "repeated-template"


def _mark_headline_top_line(page: Page, title: int, model: BoilerplateModel | None = None) -> None:
    """The first line of a two-line headline: ``当前位置:... > 正文`` / ``第十届...博览会开幕`` /
    ``绿色智造成为展馆最大看点`` / byline.  A title-like line glued above the chosen headline, itself
    directly under chrome (or the page's first line), is where the headline starts (nothing of the
    article comes first): it becomes the headline, and the chosen line its second line - one
    headline wrapped over two lines when it goes on in lower case, else its deck."""
    above = page.non_empty(range(title - 1, -1, -1))
    if above is None or page.reasons[above] is not None or page.n_units[above] < 6 or _name_like(page, above) \
            or _section_path(page, above) or not (page.title_like(above) or _ends_comma(page, above)) \
            or _ISSUE_LABEL.match(page.folded[above]) or above < title - 1 and _SLOGAN.search(page.folded[above]) \
            or model is not None and model.is_template(page.texts[above]):
        return  # an issue label ("《同行》第58期", "Vol. 12 No. 3") or a line every page of the site shows
    # nothing of the article above it: only chrome, or labels and menus not yet known as chrome
    for k in range(above):
        if page.reasons[k] is None and (page.prose(k) or page.n_units[k] >= 12 and c.ends_sentence(page.folded[k])) \
                and not _in_capitals(page.texts[k]):
            return  # ("YUNNAN DIANYUE ROAD & BRIDGE CONSTRUCTION GROUP CO., LTD." is the site's name, not text)
    page.reasons[above] = "title"
    page.title = above
    second = page.texts[title].strip()
    if second[:1].islower():
        page.title_text = f"{page.texts[above].strip()} {second}"


# "Ayo Sukseskan Pilkada ...! Gunakan Hak Pilih Anda" set apart above the headline: a banner, not
# its first line (a headline wrapped right under a quoted exclamation is glued to it)
_SLOGAN = re.compile(r"[!！]\s*\S")
_ISSUE_LABEL = re.compile(r"^\W*(?:《[^》]{1,16}》\s*)?(?:第\s*[\d一二三四五六七八九十百]+\s*[期版卷号]"
                          r"|(?:vol(?:ume)?|issue|edisi|no)\.?\s*\d+)")


def _in_capitals(text: str) -> bool:
    """A Latin line in capitals only: a company's or a site's name under its logo."""
    return not any(ch.islower() for ch in text) and any("A" <= ch <= "Z" for ch in text) \
        and _HAN.search(text) is None


def _ends_comma(page: Page, i: int) -> bool:
    """``Jembatan Ampera Ditutup Sementara Malam Ini,``: the first half of a headline split at a comma."""
    f = page.folded[i].rstrip()
    return f.endswith((",", "，")) and not page.long[i] and page.n_units[i] <= 40 and not c.is_list_item(f)


def _section_path(page: Page, i: int) -> bool:
    """``焦點 › 社會``, ``Vanuatu > Sanma Province``, ``IHSG 7.134 | Rupiah 16.020 | Emas ...``: a
    section path, a menu or a ticker, not a headline (headlines seldom hold bars or arrows)."""
    f = page.folded[i].strip()
    if any(sep in f for sep in ("|", "│", "▏", " > ", "›", "»", " / ")):
        return True
    items = _PATH_SEP.split(f)
    return 2 <= len(items) <= 4 and all(c.units(c.strip_decor(p)) <= 8 for p in items)


def _continuation(page: Page, title: int) -> None:
    """The second line of a headline wrapped in two: glued below it, starting in lower case,
    ``Kawanan Pesut Mahakam Kembali Terlihat`` / ``di Perairan Muara Kaman``."""
    below = page.non_empty(range(title + 1, len(page.texts)))
    if below is None or page.reasons[below] not in (None, "title") or not page.texts[below].strip()[:1].islower() \
            or not page.title_like(below) or page.n_units[below] > 30:
        return
    page.reasons[below] = "title"
    page.title_text = f"{page.texts[title].strip()} {page.texts[below].strip()}"
