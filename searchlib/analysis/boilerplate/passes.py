"""Page-level passes: decisions that need the neighbouring lines.

The page is a list of lines with a provisional reason each (``None`` = keep so far).  Passes run in
a fixed order, each with one job:

1. :func:`mark_summaries` - a lead/summary line repeated by a later paragraph;
2. :func:`mark_related_lists` - teasers that follow a related-articles header;
2b. :func:`mark_captions` - lines glued to an image marker or a caption (caption text, image name);
    (before them, :func:`~.blocks.mark_headed_blocks`: comment threads, bios and key-points boxes
    under the header that names them);
3. :func:`mark_masthead` - the site name and slogan above the first menu or breadcrumb (a login bar
   may come first), when the headline follows below it (a per-page stand-in for templates the
   model cannot learn yet);
3b. :func:`mark_section_paths` - a two-to-four-item section path ("News / Rural") directly under the
   top chrome, before any paragraph;
4. :func:`~.headline.mark_title` (its own module) - the headline, only on pages that show other
   chrome (with the first line of a two-line headline glued above a byline-confirmed one);
4b. :func:`mark_standfirst` - an unlabelled summary under the headline that the first paragraph
   restates;
5. :func:`mark_templates` - lines the collection model learned, unless article text surrounds them
   or they are short sentences of the article's flow ("他说。", "she said.");
6. :func:`mark_after_article` - lines after the last paragraph carrying cues too weak to trust
   inside the article (author bio, publisher footer, an ad with a phone number);
6b. :func:`mark_after_ad_label` / :func:`mark_tail_teasers` - the ad under an ``ADVERTISEMENT``
   label among chrome, bulleted teaser headlines below the article;
7. :func:`absorb_tail` - short label-like lines glued to chrome after the last paragraph
   (event advertisements: slogan, dates, venue, then the phone number).

Every pass only ever turns ``None`` into a reason, and only from evidence that survives in the
cleaned text, so cleaning cleaned text keeps every line. (One job: the passes in the order they run;
headline.py, structure.py and blocks.py took the headline, article-structure and headed-block ones.)
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from searchlib.analysis.boilerplate import cues as c
from searchlib.analysis.boilerplate import rules
from searchlib.analysis.boilerplate.page import Page
from searchlib.analysis.boilerplate.rules import SHORT
from searchlib.analysis.chars import HAN_CHARS

if TYPE_CHECKING:  # pragma: no cover
    from searchlib.analysis.boilerplate.model import BoilerplateModel

CUE_REASONS = frozenset({"credit", "navigation", "byline", "caption", "contact", "disclaimer",
                         "related-list", "advertisement", "summary-duplicate"})
_KEY_DROP = re.compile(r"[\W_]+")
_PREFIX_LEN = 16          # normalized characters shared before a prefix test is tried
_MAX_PREFIX_PEERS = 64    # later lines examined per candidate (bounds pathological pages)
_NEAR_WINDOW = 12         # later non-empty lines compared to a labelled summary
_NEAR_SHARE = 0.8         # bigram containment that counts as "the same text"


# ---------------------------------------------------------------- 1. summaries

def mark_summaries(page: Page) -> None:
    """Summary / lead lines whose text a later paragraph repeats (prefix or near-duplicate)."""
    kept = [i for i, r in enumerate(page.reasons) if r is None]
    by_prefix: dict[str, list[int]] = {}
    for i in kept:
        k = _key_head(page, i) if page.long[i] else page.key(i)
        if len(k) >= _PREFIX_LEN:
            by_prefix.setdefault(k[:_PREFIX_LEN], []).append(i)
    for i in kept:
        labelled = _summary_label(page.folded[i])
        if labelled:
            body = _summary_key(page.folded[i])
            if len(body) >= 4 and _repeated_later(page, i, body, by_prefix, near=True):
                page.reasons[i] = "summary-duplicate"
        elif not page.long[i]:
            body = page.key(i)
            if len(body) >= 20 and _repeated_later(page, i, body, by_prefix, near=False):
                page.reasons[i] = "summary-duplicate"


def _summary_label(folded: str) -> bool:
    """A summary's label set apart from its text (``摘要：``, ``【导读】``, ``Summary -``, alone on
    its line), not a heading that starts with the same word (``Sekilas tentang Anoa``)."""
    m = c.SUMMARY_PREFIX.match(folded)
    if m is None:
        return False
    rest = folded[m.end():]
    return not rest.strip() or any(ch in m.group() for ch in ":：】]") or rest.lstrip()[:1] in ("-", "–", "—", "|")


def _key_head(page: Page, i: int) -> str:
    """The first _PREFIX_LEN characters of ``page.key(i)`` (or all of a shorter key), from the head
    of the line when it holds that many: a line's key drops characters one by one, so the key of
    its head is the head of its key (a long line is not folded whole to be filed)."""
    head = _KEY_DROP.sub("", page.folded[i][:4 * _PREFIX_LEN])
    return head[:_PREFIX_LEN] if len(head) >= _PREFIX_LEN else page.key(i)[:_PREFIX_LEN]


def _summary_key(folded: str) -> str:
    body = c.SUMMARY_PREFIX.sub("", folded, count=1).rstrip()
    body = body.rstrip(".…").rstrip()
    return _KEY_DROP.sub("", body)


def _repeated_later(page: Page, i: int, body: str, by_prefix: dict[str, list[int]], near: bool) -> bool:
    peers = by_prefix.get(body[:_PREFIX_LEN], []) if len(body) >= _PREFIX_LEN else []
    for j in [j for j in peers if j > i][:_MAX_PREFIX_PEERS]:
        if page.reasons[j] is None and page.key(j).startswith(body) and (page.prose(j) or page.key(j) != body):
            return True  # (the same short line again is the headline's own teaser in a sidebar)
    if not near:
        return False
    seen = 0
    for j in range(i + 1, len(page.texts)):
        if page.reasons[j] is not None:
            continue
        seen += 1
        if seen > _NEAR_WINDOW:
            break
        if page.key(j).startswith(body) or _contained(body, page.key(j)) >= _NEAR_SHARE:
            return True
    return False


def _contained(a: str, b: str) -> float:
    grams = {a[k:k + 2] for k in range(len(a) - 1)}
    if not grams:
        return 0.0
    other = {b[k:k + 2] for k in range(len(b) - 1)}
    return len(grams & other) / len(grams)


# ---------------------------------------------------------------- 2. related lists

def mark_related_lists(page: Page, headers: list[int]) -> None:
    """Teasers after a related-articles header, until article text or other chrome resumes."""
    for h in headers:
        j = h + 1
        while j < len(page.texts):
            if page.reasons[j] == "empty":
                j += 1
                continue
            if page.reasons[j] in _INSIDE_LISTS:
                j += 1
                continue  # a teaser title repeated, already removed as a duplicate
            if page.reasons[j] is not None or not _teaser(page, j):
                break
            if not page.ellipsis[j] and _followed_by_text(page, j):
                break  # a short heading introducing article text, not a teaser
            page.reasons[j] = "related-list"
            j += 1


_INSIDE_LISTS = frozenset({"summary-duplicate", "title"})


def _teaser(page: Page, j: int) -> bool:
    return page.ellipsis[j] or page.title_like(j) or page.bulleted_teaser(j)


def _followed_by_text(page: Page, j: int) -> bool:
    k = page.non_empty(range(j + 1, len(page.texts)))
    return k is not None and page.reasons[k] is None and not _teaser(page, k)


# ---------------------------------------------------------------- 3. masthead

_MASTHEAD_SCAN = 6        # non-empty lines at the top searched for the first menu / breadcrumb
_MASTHEAD_LINES = 3       # at most this many site-name / slogan lines above it
_MASTHEAD_ANCHORS = frozenset({"navigation", "disclaimer"})  # menus, breadcrumbs, cookie notices
_HEADLINE_WINDOW = 8      # non-empty lines below the anchor searched for the headline


def mark_masthead(page: Page) -> None:
    """Site name and slogan: short non-sentences above the first menu/breadcrumb, headline below.

    On a page that opens ``THE LEDGER`` / ``Independent news since 1987`` / ``News | Business`` /
    ``Home > Local`` / headline, the first two lines are the site's header.  The collection model
    learns them once a site has several pages; this pass needs no model.  It declines when the
    headline itself sits above the menu (nothing title-like below the anchor).
    """
    top = [i for i, r in enumerate(page.reasons) if r != "empty"][:_MASTHEAD_SCAN]
    for anchor, a in enumerate(top):
        if page.reasons[a] not in _MASTHEAD_ANCHORS:
            continue
        heads = [i for i in top[:anchor] if page.reasons[i] is None]
        if not heads:
            continue  # a login bar or menu above the site name: try the next anchor
        if any(page.n_units[i] >= 10 and _above_byline(page, i) for i in heads):
            return  # a headline its byline confirms sits above the menu: no masthead to take
        if len(heads) <= _MASTHEAD_LINES and all(_masthead_like(page, i, slogan=True) for i in heads) \
                and _headline_below(page, a):
            for i in heads:
                page.reasons[i] = "repeated-template"
        return


def _masthead_like(page: Page, i: int, slogan: bool = False) -> bool:
    """Short, not a sentence, not a list item or quote; with ``slogan`` a short line of fragments
    ending in a full stop ("Ships. Sheds. Supply chains.") counts too (above the site's menu), and
    so does the site's name with its motto after a dash ("热点快报网 — 每天十分钟,看遍天下鲜事!")."""
    f = page.folded[i]
    sentence = c.ends_sentence(f) and not (slogan and (page.n_units[i] <= 12 or _name_and_motto(f)))
    return (not page.long[i] and page.n_units[i] <= 30 and not sentence
            and not c.is_list_item(f) and not c.is_quote(f))


_NAME_DASH = re.compile(r"\s[—–-]{1,2}\s|——")


def _name_and_motto(f: str) -> bool:
    """``Name — motto``: a name without punctuation, a dash, then a short motto."""
    parts = _NAME_DASH.split(f, maxsplit=1)
    if len(parts) != 2:
        return False
    name, motto = parts[0].strip(), parts[1].strip()
    return (1 <= c.units(name) <= 12 and not any(ch in name for ch in _CLAUSE + ".:")
            and 1 <= c.units(motto) <= 24)


def _headline_below(page: Page, anchor: int) -> bool:
    seen = 0
    for j in range(anchor + 1, len(page.texts)):
        if page.reasons[j] == "empty":
            continue
        seen += 1
        if seen > _HEADLINE_WINDOW or (page.reasons[j] is None and page.prose(j)):
            return False
        if page.reasons[j] is None and page.n_units[j] >= 4 and page.title_like(j):
            return True
    return False


# ---------------------------------------------------------------- 3b. section paths

# "News / Rural", "Nasional > Cuaca", "Business | Trade": two to four short section names.
_PATH_SEP = re.compile(r"\s+[/>»›|｜]\s+|\s*[>»›｜]\s*")
_PATH_ITEM = re.compile(r"(?:[A-Z][\w&'.-]*|&|and|dan)(?: (?:[A-Z][\w&'.-]*|&|and|dan)){0,2}|[" + HAN_CHARS + r"]{1,6}")


def mark_section_paths(page: Page) -> None:
    """A short section path right under the site's chrome, before the article starts.

    ``Home  News  Sport ...`` / ``News / Rural`` / headline: a trail of two section names is too
    short for the breadcrumb rule (three or more), but at the top of the page, directly under a menu
    or notice and above any paragraph, it is the page's section, not article text.
    """
    for i, r in enumerate(page.reasons):
        if r is None and page.prose(i):
            return
        if r is not None or page.n_units[i] > 12:
            continue
        above = page.non_empty(range(i - 1, -1, -1))
        if above is None or page.reasons[above] is None:
            continue
        items = _PATH_SEP.split(page.raw_head(i).strip())
        if 2 <= len(items) <= 4 and all(_PATH_ITEM.fullmatch(p) for p in items):
            page.reasons[i] = "navigation"


def _above_byline(page: Page, i: int) -> bool:
    """A headline, then its byline (a summary box may stand between them)."""
    k = page.non_empty(range(i + 1, len(page.texts)))
    if k is not None and (page.reasons[k] == "summary-duplicate" or c.SUMMARY_PREFIX.match(page.folded[k])):
        k = page.non_empty(range(k + 1, len(page.texts)))
    return k is not None and page.reasons[k] in ("byline", "credit")


# ---------------------------------------------------------------- 4b. standfirst

_STANDFIRST_SHARE = 0.6   # share of the standfirst's tokens found again in the first paragraph
_CJK_RUN = re.compile(r"[" + HAN_CHARS + r"]+")
_WORD = re.compile(r"[^\W\d_]+|\d+")


def mark_standfirst(page: Page) -> None:
    """A summary without a label, right below the headline, that the first paragraph restates.

    ``headline`` / ``The town's 20mph zone will become permanent ...`` / byline / ``KINGSFORD - A
    20mph speed limit ... will become permanent ...``: the first kept line under the headline, when
    most of its words (CJK: character pairs) come back in the first paragraph below it, is the
    page's standfirst.  Only chrome may stand between the headline, the summary and the paragraph.
    """
    if page.title is None:
        return
    first = next((i for i in range(page.title + 1, len(page.texts)) if page.reasons[i] is None), None)
    if first is None or page.long[first] or page.n_units[first] < 10:
        return
    body = next((j for j in range(first + 1, len(page.texts)) if page.reasons[j] is None), None)
    if body is None or not page.prose(body) or page.n_units[body] < page.n_units[first]:
        return
    mine, theirs = _tokens(page.folded[first]), _tokens(page.folded[body])
    if len(mine) >= 6 and len(mine & theirs) >= _STANDFIRST_SHARE * len(mine):
        page.reasons[first] = "summary-duplicate"


def _tokens(folded: str) -> set[str]:
    out: set[str] = set()
    for run in _CJK_RUN.findall(folded):
        out.update(run[k:k + 2] for k in range(max(len(run) - 1, 1)))
    out.update(w for w in _WORD.findall(_CJK_RUN.sub(" ", folded)) if len(w) > 2 or w.isdigit())
    return out


# ---------------------------------------------------------------- 4c. captions glued to images

_IMAGE_MARK = re.compile(r"^[\[【(（<]\s*(?:image|photo|picture|foto|gambar|图片|图|照片)\b[^\]】)）>]{0,80}[\]】)）>]$")


def mark_captions(page: Page) -> None:
    """Lines glued (no blank line between) to an image marker or a caption.

    ``[Image: ...]`` / ``The trial zone on Bridge Street ...``: a line directly under a bracketed
    image marker is its caption when a blank line or chrome follows it (it is not the start of a
    run of paragraphs).  ``Kopra Gorontalo 1`` / ``Buruh memuat ... Foto: Istimewa``: a short label
    directly above a caption, opening its block, is the image's name.
    """
    n = len(page.texts)
    for i in range(n):
        if page.reasons[i] != "caption":
            continue
        below = i + 1
        if _IMAGE_MARK.match(page.folded[i]) and below < n and page.reasons[below] is None \
                and not page.long[below] and page.n_units[below] <= 80 \
                and (below + 1 >= n or page.reasons[below + 1] is not None or _caption_shaped(page, below)):
            page.reasons[below] = "caption"
        above = i - 1
        if above >= 0 and page.reasons[above] is None and page.n_units[above] <= 12 \
                and _masthead_like(page, above) and (above == 0 or page.reasons[above - 1] is not None):
            page.reasons[above] = "caption"


_INNER_END = re.compile(r"[。！？!?]|\.\s+[A-Z]")
# a news lead's opening: a dateline ("SURABAYA –", "JAMBI:") or an agency tag ("（中央社…電）", "本报讯")
_LEAD_START = re.compile(r"^(?:[A-Z][A-Z .,'’()-]{2,40}\s*[–—:-]\s|[(（][^()（）]{2,30}[電电][)）]|本报讯|本報訊|据.{0,12}报道)")
_CAPTION_UNITS = (8, 50)  # one sentence: captions under image markers run 6-52 units (median 25)


def _caption_shaped(page: Page, j: int) -> bool:
    """One short sentence under an image marker, with the article going on below it: the
    photo's caption (``[图片]`` / ``图2　报告会现场，研究生…提问`` / paragraph). Not a question, a
    quote, a heading, a list's opening (``…四个环节：``) or a paragraph wrapped onto the next line."""
    f, raw = page.folded[j].strip(), page.texts[j].strip()
    if not _CAPTION_UNITS[0] <= page.n_units[j] <= _CAPTION_UNITS[1] or c.is_quote(f) or c.is_list_item(f) \
            or f.endswith((":", "?")) or _INNER_END.search(raw[:-1]) or _LEAD_START.match(raw):
        return False
    nxt = page.non_empty(range(j + 1, len(page.texts)))
    return nxt is not None and page.reasons[nxt] is None and page.prose(nxt) \
        and not page.texts[nxt].strip()[:1].islower()


# ---------------------------------------------------------------- 5. templates

def mark_templates(page: Page, model: BoilerplateModel) -> None:
    """Lines the collection model has seen on many pages, unless article text surrounds them."""
    cands = [i for i, r in enumerate(page.reasons) if r is None and model.is_template(page.texts[i])]
    if not cands:
        return
    templated = set(cands)
    own = [i for i, r in enumerate(page.reasons) if r is None and i not in templated and page.prose(i)]
    lo, hi = (own[0], own[-1]) if own else (None, None)
    for i in cands:
        if _sandwiched(page, i, templated):
            continue  # e.g. a recurring short line like "他说。" between two paragraphs
        if page.prose(i) and (lo is None or lo < i < hi):
            continue  # syndicated paragraph inside the article: keep
        if _in_article_flow(page, i, templated):
            continue
        page.reasons[i] = "repeated-template"


_ATTRIBUTION = 30         # units: "他说。", "she said.", "katanya.", "said port official Rudi Santoso."


def _in_article_flow(page: Page, i: int, templated: set[int]) -> bool:
    """A recurring line that belongs to the article it sits in, whatever the collection says.

    Short sentences ("他说。", "she said.", "katanya.") are how articles attribute quotes, so every
    collection repeats them; a line that continues a sentence (lower-case start) or that follows
    article text and ends like a sentence is part of that text.  Site templates are names, menus
    and notices, which other rules catch, not sentences glued under a paragraph.
    """
    f = page.folded[i]
    if page.long[i] or not c.ends_sentence(f) or c.ends_ellipsis(f):  # ("Cari di situs ini...": a search box)
        return page.texts[i][:1].islower()
    if page.n_units[i] <= 12:
        return True
    above = page.non_empty(range(i - 1, -1, -1))
    return (page.n_units[i] <= _ATTRIBUTION and above is not None and page.reasons[above] is None
            and above not in templated)


def _sandwiched(page: Page, i: int, templated: set[int]) -> bool:
    above = page.non_empty(range(i - 1, -1, -1))
    below = page.non_empty(range(i + 1, len(page.texts)))
    return all(k is not None and page.reasons[k] is None and k not in templated for k in (above, below))


# ---------------------------------------------------------------- 6.-7. after the article

def mark_after_article(page: Page) -> None:
    """Lines below the last paragraph that carry a cue trusted only outside the article."""
    last = page.last_paragraph()
    if last is None:
        return
    for i in range(last + 1, len(page.texts)):
        if page.reasons[i] is None and not page.long[i] and not _event_field(page.folded[i]):
            page.reasons[i] = rules.classify_after_article(page.raw_head(i), page.folded[i], page.n_units[i])


_FIELD_LABEL = re.compile(r"^\s*([^:：]{1,12})[:：]")


def _event_field(folded: str) -> bool:
    """``报名：9月23日起…致电…``: a field of the event the article announces, not an ad."""
    m = _FIELD_LABEL.match(folded)
    return m is not None and c.EVENT_LABEL.match(m.group(1).strip()) is not None


def mark_after_ad_label(page: Page) -> None:
    """The advertisement announced by an ``ADVERTISEMENT`` / ``广告`` / ``IKLAN`` label among chrome.

    Inside the article such a label marks an ad slot and article text usually resumes below it,
    so there the line below is only taken when it reads as ad copy: a pitch (a call, an order
    line, an offer) after a brand and a dash or between bars. Among chrome the line is taken when
    it does not end like a sentence (ad copy ends with a phone number, a price or a call).
    """
    for i, r in enumerate(page.reasons):
        if r != "advertisement" or not c.ADVERTISEMENT.match(c.strip_decor(page.folded[i])):
            continue
        above = page.non_empty(range(i - 1, -1, -1))
        ad = page.non_empty(range(i + 1, len(page.texts)))
        if above is None or ad is None or page.reasons[ad] is not None:
            continue
        after = page.non_empty(range(ad + 1, len(page.texts)))
        f = page.folded[ad]
        if page.reasons[above] is not None and (after is None or page.reasons[after] is not None) \
                and not page.long[ad] and page.n_units[ad] <= 80 and not c.ends_sentence(f):
            page.reasons[ad] = "advertisement"
        elif page.n_units[ad] <= 60 and c.AD_PITCH.search(f) \
                and (c.AD_BRAND_DASH.match(page.texts[ad].strip()) or "|" in f):
            page.reasons[ad] = "advertisement"


def mark_tail_teasers(page: Page) -> None:
    """Bulleted teasers below the last paragraph with no header: ``· headline`` / ``· headline...``.

    Two or more bulleted headlines in a row (chrome between them does not break the run), at least
    one cut off with an ellipsis, not introduced by a line ending in a colon (an article's own
    closing list).
    """
    last = page.last_paragraph()
    if last is None:
        return
    i = last + 1
    while i < len(page.texts):
        if page.reasons[i] is not None or not page.bulleted_teaser(i):
            i += 1
            continue
        run = [i]
        j = i + 1
        while j < len(page.texts) and (page.reasons[j] is not None or page.bulleted_teaser(j)):
            if page.reasons[j] is None:
                run.append(j)
            j += 1
        intro = page.non_empty(range(i - 1, -1, -1))
        opened = intro is not None and page.reasons[intro] is None and page.folded[intro].rstrip().endswith(":")
        if len(run) >= 2 and any(page.ellipsis[k] for k in run) and not opened:
            for k in run:
                page.reasons[k] = "related-list"
        i = j


def absorb_tail(page: Page) -> None:
    """Short label-like lines after the last paragraph that lead straight into removed chrome."""
    last = page.last_paragraph()
    if last is None:
        return
    below: str | None = None
    for i in range(len(page.texts) - 1, last, -1):
        r = page.reasons[i]
        if r == "empty":
            continue
        if r is not None:
            if below is None or r != "byline":  # a date inside an event ad keeps the ad's reason
                below = r
        elif below is not None and _label_like(page, i) and not _opened_list(page, i, last):
            page.reasons[i] = below
        else:
            below = None


# "附：信稿基本情况", "廖文彬小檔案": an appendix or a profile box heads the fields under it
_APPENDIX = re.compile(r"^\s*附\s*[:：]\s*\S|^\S{1,12}(?:小档案|档案|简历|小传)$")


def _opened_list(page: Page, i: int, last: int) -> bool:
    """A short line of a list the article opens with a colon (``获奖名单如下：`` / ``一等奖：…``)."""
    for k in range(i - 1, last - 1, -1):
        if page.reasons[k] == "empty":
            continue
        if page.folded[k].rstrip().endswith((":", "：")) or _APPENDIX.match(page.folded[k]):
            return page.reasons[k] is None
        if page.reasons[k] is not None or page.long[k] or page.prose(k):
            return False
    return False


def _label_like(page: Page, i: int) -> bool:
    f = page.folded[i]
    return (not page.long[i] and page.n_units[i] <= SHORT and not c.ends_sentence(f)
            and not c.is_list_item(f) and not c.is_quote(f) and not any(p in f for p in _CLAUSE))


_CLAUSE = ",，。;；!！?？"
