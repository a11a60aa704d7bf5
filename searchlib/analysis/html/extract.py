"""HTML page → article text and metadata: the page's structure and the line filter, one decision.

1. :func:`~searchlib.analysis.html.dom.parse` splits the page into blocks with their structural
   features (tag path, class/id vocabulary, link density, semantic containers); hidden parts never
   become blocks, and chrome subtrees holding little of the page's text are not even read.
2. **Structure** decides what it can be sure of: blocks under navigation, footers, share bars,
   comment threads, ads, related and popular lists (by element, ARIA role or class/id word, when
   that ancestor is deeper than any article-body ancestor; generic class words only for short or
   link-heavy blocks), figure captions, and link lists. An element holding most of the page's prose
   is never chrome, whatever its class says.
3. **The article's container** is found from its headline (the heading the declared titles
   confirm): the headline's nearest ancestor holding the prose after it, then the deepest container
   holding three quarters of that prose (the body without the byline, the summary box or the
   comments), with sibling containers that hold paragraphs. Without a headline, text density alone
   chooses. Blocks outside are chrome.
4. **The line filter** (:mod:`searchlib.analysis.boilerplate`: multilingual per-line rules, page
   passes, the learned line classifier, the article-structure pass) decides the blocks inside, with
   the structural decisions around them as its context, so bylines, captions, credits, contact
   notices and "read also" lines *inside* the container go too; list items, subheadings and table
   cells between the body's paragraphs are kept against weak per-line cues.
5. **Metadata** (:mod:`.fields`): the headline; date, author/editor, source, site, URL and language
   from the markup and from the byline blocks around the body.

(Past 600 lines with one job: the extraction's steps in the order they run, each a small function.)
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from searchlib.analysis.boilerplate import Cleaned, Line, cues, dates, passes, rules, structure
from searchlib.analysis.boilerplate import learned as learned_pass
from searchlib.analysis.boilerplate.headline import mark_title
from searchlib.analysis.boilerplate import metadata as text_meta
from searchlib.analysis.boilerplate.model import BoilerplateModel
from searchlib.analysis.chars import HAN_CHARS
from searchlib.analysis.html.charset import as_text
from searchlib.analysis.html.dom import NEG, Block, Dom, F, parse
from searchlib.analysis.html.fields import html_metadata
from searchlib.analysis.html.meta import Declared, choose_title, declared, without_badge

__all__ = ["extract", "HtmlPage"]

# Structural reasons, strongest category first (the nearest classed ancestor's categories decide).
_CATEGORY_REASON = (
    ("ad", "advertisement"), ("share", "navigation"), ("comment", "navigation"),
    ("subscribe", "advertisement"), ("related", "related-list"), ("popular", "related-list"),
    ("tags", "navigation"), ("nav", "navigation"), ("footer", "disclaimer"), ("header", "repeated-template"),
    ("sidebar", "related-list"),
)
_WEAK_CATEGORY_REASON = (("byline", "byline"), ("caption", "caption"))
_FLAG_REASON = ((F.NAV, "navigation"), (F.FOOTER, "disclaimer"), (F.ASIDE, "related-list"),
                (F.HEADER, "repeated-template"), (F.BUTTON, "navigation"))
_NOT_WORD = re.compile(r"[\W_]+")
_CONTEXT = 8              # locked lines the line filter sees on each side of the lines it decides
_WEAK_UNITS = 40          # generic class tokens only remove blocks this short (or link lists)
_DOMINANT = 0.5           # an element holding this share of the page's prose is not chrome, whatever its class
_BODY_SHARE = 0.75        # the article body holds this share of the prose under the headline's anchor
_PARAGRAPH_UNITS = 30    # a block this long ending a sentence is a paragraph
_SIBLING_SHARE = 0.3      # a sibling container with this share of the body's prose is body too
_CONTINUATION_SHARE = 0.1  # ... or this share, right after the headline's own container (no prose between)
_GROW = 1.6              # an ancestor joins the article when it holds this much more prose
_GROW_PAST = 3.0         # ... this much more, when it is found past wrappers that add nothing
_PROSE_MIN_UNITS = 12
_CAPTION_UNITS = 80       # a centred line under a picture this short is its caption
_CARDS = 3               # teaser cards side by side: a list of teasers, not the article
_UNCONFIRMED = 0.5       # an unconfirmed headline's container must hold this share of the page's prose
_HEADLINE_REACH = 8      # blocks above the article searched for its headline
_HEADLINE_SIMILAR = 0.15  # ... sharing at least this share of words with the declared title
_LATIN = re.compile(r"[^\W\d_]+")
_CLAUSE_MARK = re.compile("[,，。.;；]")
_HAN_ONLY = re.compile(r"[" + HAN_CHARS + r"]+")


@dataclass(frozen=True)
class HtmlPage:
    """The result of :func:`extract`: the cleaned page and the parsed DOM (for callers that
    want the structure, e.g. the benchmark)."""

    cleaned: Cleaned
    dom: Dom


def _structural(b: Block, units: int, below: int = -1, weak: bool = True,
                ignore: frozenset[int] | set[int] = frozenset()) -> str | None:
    """The reason the structure alone gives for block ``b`` (None: no opinion), reading the class
    vocabulary of its ancestors deeper than ``below`` and not in ``ignore`` (``weak``: generic
    tokens too, for short or link-heavy blocks only: a paragraph of prose is not removed because a
    wrapper is called ``list`` or ``media``)."""
    flags = b.flags
    weak = weak and (units <= _WEAK_UNITS or b.link_density >= 0.5)
    cats, near, neg_depth, pos_depth = b.negatives(below, weak, ignore)
    if cats and (neg_depth > pos_depth or neg_depth == pos_depth and not b.strong_body):
        for name, reason in _CATEGORY_REASON:
            if near & NEG[name] and not (name == "header" and b.heading and flags & (F.ARTICLE | F.MAIN)
                                         and near == NEG[name]):
                return reason  # (an article's <h3 class="header-anchor-post"> is its subheading)
        if units <= 80:
            for name, reason in _WEAK_CATEGORY_REASON:
                if near & NEG[name]:
                    return reason
    in_article = flags & (F.ARTICLE | F.MAIN)
    if flags & (F.NAV | F.BUTTON):
        return "navigation"
    if flags & F.FOOTER:
        return "disclaimer"
    if flags & F.ASIDE and not (in_article and b.link_density < 0.5):
        return "related-list"  # an <aside> inside the article and not a link list is a pull quote
    if flags & F.HEADER and not in_article:
        return "repeated-template"
    if flags & F.FIGCAPTION:
        return "caption"
    if flags & F.AFTER_IMG and flags & F.CENTER and units <= _CAPTION_UNITS and not (b.bold or b.heading):
        return "caption"  # a centred line under a picture: its caption, unmarked (CMS editors, Word)
    if flags & F.FORM and units <= _WEAK_UNITS:
        return "navigation"  # a search or login form's labels (CMSs also wrap whole articles in a <form>)
    if b.link_density >= 0.5 and (units <= 60 or b.link_density >= 0.8):
        return "related-list" if flags & F.LI else "navigation"
    return None


def _prose_weight(b: Block, folded: str, units: int) -> float:
    ends = cues.ends_sentence(folded)
    if units < _PROSE_MIN_UNITS and not ends:
        return 0.0
    ld = b.link_density
    w = units * (1.0 - ld) ** 2
    if ends or _CLAUSE_MARK.search(folded):
        w *= 1.5
    return w


def _teaser_cards(blocks: list[Block], raw: list[float]) -> list[int]:
    """The summaries of teaser cards: a paragraph under a linked headline, the two alone in a wrapper
    of their own, three or more such wrappers side by side ("More from Opinion" with standfirsts)."""
    by_parent: dict[int, list[int]] = {}
    for i in range(1, len(blocks)):
        b, h = blocks[i], blocks[i - 1]
        if raw[i] <= 0 or len(b.path) < 3 or h.path[:-1] != b.path[:-1] or h.link_density < 0.9 \
                or not (h.heading or h.bold or h.chars <= 80):
            continue
        wrapper = b.path[-2]
        if i + 1 < len(blocks) and wrapper in blocks[i + 1].path or i >= 2 and wrapper in blocks[i - 2].path:
            continue  # the wrapper holds more than the card: an article's own list, not a card
        by_parent.setdefault(b.path[-3], []).append(i)
    return [i for found in by_parent.values() if len(found) >= _CARDS for i in found]


def _dominant(blocks: list[Block], raw: list[float]) -> set[int]:
    """Classed elements that hold most of the page's prose (by text alone): the article's own
    containers, whatever their class names say (``side-article``, ``rich_media``)."""
    total = sum(raw)
    held: dict[int, float] = {}
    for b, w in zip(blocks, raw):
        if w > 0:
            for entry in b.classes:
                held[entry[1]] = held.get(entry[1], 0.0) + w
    return {node for node, h in held.items() if total > 0 and h >= _DOMINANT * total}


def _held(blocks: list[Block], weights: list[float], node: int, start: int = 0) -> float:
    return sum(w for b, w in zip(blocks[start:], weights[start:]) if node in b.path)


def _confirmed(headline: Block, decl: Declared) -> bool:
    """An ``<h1>``, or a block the declared titles (OpenGraph, JSON-LD, ``<title>``) name."""
    if headline.heading == 1:
        return True
    key = _key(headline.text)
    return len(key) >= 4 and any(key in k or len(k) >= 4 and k in key
                                 for k in (_key(t) for t in (*decl.titles, decl.html_title)) if k)


def _heading_before(blocks: list[Block], strong: list[str | None], body: set[int], lines: bool = False) -> int | None:
    """The article's headline when nothing declares it: the heading (or bold line) at the top of the
    article or just above it with no chrome between; with ``lines``, else its first block when that is
    a short line ending no sentence."""
    start = _body_start(blocks, body)
    if start is None:
        return None
    for i in range(start, max(-1, start - _HEADLINE_REACH), -1):
        b = blocks[i]
        if strong[i] is not None:
            if i < start:
                break  # chrome between: the heading above is the chrome's
            continue
        if (1 <= b.heading <= 3 or b.bold and _headline_like(b.text)) and b.link_density < 0.5 and 4 <= b.chars <= 120:
            return i
    if not lines:
        return None
    topmost_caption = None
    for i in range(start - 1, max(-1, start - _HEADLINE_REACH), -1):
        b = blocks[i]
        fits = 8 <= b.chars <= 150 and b.link_density < 0.5
        if strong[i] is not None:
            if strong[i] in ("byline", "caption"):
                if strong[i] == "caption" and fits:
                    topmost_caption = i
                continue  # the article's own byline or picture between headline and text
            if strong[i] == "navigation" and b.chars <= 40 and _TOOLBAR.search(b.text):
                continue  # "【字体：大 中 小】【打印本页】" between the headline and the text
            break
        if _DECK.match(b.text):
            continue  # a deck below the headline (——记…)
        if fits and _headline_like(b.text):
            return i  # the nearest line above that reads like a headline (a byline above it is skipped)
    else:
        topmost_caption = None
    if topmost_caption is not None and _headline_like(blocks[topmost_caption].text):
        return topmost_caption  # a centred line right below the chrome: a headline styled like a caption
    b = blocks[start]
    if 4 <= b.chars <= 120 and b.link_density < 0.5 and strong[start] is None and _headline_like(b.text):
        return start
    return None


_TOOLBAR = re.compile(r"字体|字號|字号|打印|列印|关闭|關閉|font size|print")
_DECK = re.compile(r"\s*(?:——|－－|--|—\s)")


# the fields of a byline ("发布时间：… 信息来源：… 浏览次数：…"), however many it holds
_BYLINE_FIELD = re.compile(r"(?:发布时间|发布日期|发布者|信息来源|文章来源|浏览次数|点击数|阅读次数|责任编辑|"
                           r"posted on|published on|diterbitkan|dipublikasikan)\s*[:：]?", re.IGNORECASE)


def _headline_like(text: str) -> bool:
    """A line that could be a headline: no sentence end, no byline, credit or other cue."""
    folded = cues.fold_heads([text])[0]
    return not cues.ends_sentence(folded) and not _BYLINE_FIELD.search(folded) \
        and rules.classify(folded, cues.units(folded), text[: cues.HEAD]) is None


def _visible_headline(blocks: list[Block], strong: list[str | None], body: set[int], declared_title: str) -> int | None:
    """The short line just above the article's first block (bylines and dates skipped) that shares
    words (Latin) or character pairs (Han) with the declared title."""
    start = _body_start(blocks, body)
    if start is None:
        return None
    want = _title_grams(declared_title)
    best, best_sim = None, _HEADLINE_SIMILAR
    for i in range(start, max(-1, start - _HEADLINE_REACH), -1):
        b = blocks[i]
        if not 8 <= b.chars <= 200 or b.link_density >= 0.5 or cues.ends_sentence(b.text.rstrip()[-2:]):
            continue
        if strong[i] is not None and not b.heading:
            continue
        got = _title_grams(b.text)
        sim = len(want & got) / len(want | got) if want and got else 0.0
        if sim > best_sim:
            best, best_sim = i, sim
    return best


_RIGHTS = re.compile(r"版权所有|版權所有|著作权|著作權|主办单位|主辦單位|copyright|©|all rights reserved|hak cipta",
                     re.IGNORECASE)


def _rights_holder(markup: str, key: str) -> bool:
    """Whether a copyright notice of the page names ``key`` (see :func:`_key`) as its holder (or
    the footer gives ``key``'s address). The markup is read, not the blocks: a footer is often
    skipped unread."""
    if len(key) < 2:
        return False
    if _key(re.sub(r"<[^>]*>", " ", markup[-len(markup) // 3:])).find(key + "地址") >= 0:
        return True  # the footer's "南投縣霧溪鄉公所　地址：…": the site's owner and its address
    for found in _RIGHTS.finditer(markup):
        near = re.sub(r"<[^>]*>", " ", markup[max(0, found.start() - 120): found.end() + 120])
        if key in _key(near):
            return True
    return False


def _title_grams(text: str) -> set[str]:
    """Latin words of three letters or more and pairs of Han characters, case and width folded."""
    t = unicodedata.normalize("NFKC", text).casefold()
    words = {w for w in _LATIN.findall(t) if len(w) >= 3}
    han = "".join(_HAN_ONLY.findall(t))
    return words | {han[k:k + 2] for k in range(len(han) - 1)}


# an e-paper's own links carry its edition's date: "../../../html/2025-09/12/node_1.htm"
_EDITION_LINK = re.compile(r"""href=["']?[^"'>\s]*?/(20\d\d)-(\d\d)/(\d\d)/(?:node|content)_\d+\.htm""", re.IGNORECASE)


def _edition_date(markup: str) -> str | None:
    """The date in the page's links to its e-paper's pages and articles, when they agree (at
    least two links, one date): an e-paper page that shows no date of its own near the article."""
    links = _EDITION_LINK.findall(markup[:200_000])
    if len(links) < 2 or len(set(links)) != 1:
        return None
    y, mo, d = links[0]
    return f"{y}-{mo}-{d}" if 1 <= int(mo) <= 12 and 1 <= int(d) <= 31 else None


def _body_start(blocks: list[Block], body: set[int]) -> int | None:
    """The first block inside the article body."""
    return next((i for i, b in enumerate(blocks) if not body.isdisjoint(b.path)), None)


def _listed_headline(blocks: list[Block], body: set[int]) -> int | None:
    """A short line among the few right above the article whose text a link elsewhere on the page
    repeats (the page's list of its articles)."""
    start = _body_start(blocks, body)
    if start is None:
        return None
    links = {_key(b.text) for b in blocks if b.link_density >= 0.5 and 4 <= b.chars <= 120}
    for i in range(start - 1, max(-1, start - _HEADLINE_REACH), -1):
        b = blocks[i]
        if 4 <= b.chars <= 120 and b.link_density < 0.5 and _key(b.text) in links and _headline_like(b.text):
            return i
    return None


def _showing(blocks: list[Block], strong: list[str | None], key: str, also: int | None = None) -> list[int]:
    """Blocks outside the chrome whose text is ``key`` (see :func:`_key`), and ``also``."""
    lo, hi = 0.8 * len(key) - 2, 2 * len(key) + 20  # a block's length says when its key cannot match
    return [i for i, b in enumerate(blocks) if i == also or lo <= b.chars <= hi and strong[i] is None
            and _key(b.text) == key and not _chrome_heading(b, None)]


def _anchored_root(blocks: list[Block], weights: list[float], title: int) -> tuple[int | None, float]:
    """The article's container found from its headline: from the headline's parent, go up while
    the next ancestor holds much more prose after the headline (the body sits beside the headline's
    own header, not necessarily in it), and past wrappers holding none (the headline's own header,
    title box or table row). Returns the container and the prose it holds after the headline."""
    path = blocks[title].path
    if len(path) < 2:
        return None, 0.0
    held_by = dict.fromkeys(path, 0.0)  # the prose after the headline each of its ancestors holds
    for b, w in zip(blocks[title + 1:], weights[title + 1:]):
        if w > 0:
            for node in b.path:  # the headline's ancestors are a prefix of the block's path
                if node not in held_by:
                    break
                held_by[node] += w
    k = len(path) - 2
    held = held_by[path[k]]
    while k > 0:
        j = k - 1
        up = held_by[path[j]]
        while j > 0 and 0 < up <= held:
            # wrappers adding nothing decide nothing: look past them, but only a container holding
            # much more than the headline's (its header with the standfirst, not a sidebar) then joins
            j -= 1
            up = held_by[path[j]]
        if held > 0 and up <= (_GROW if j == k - 1 else _GROW_PAST) * held:
            break
        k = j
        held = up
    return (path[k], held) if held > 0 else (None, 0.0)


def _best_root(blocks: list[Block], weights: list[float]) -> int | None:
    """Without a headline: the container with the best text-density score (its own blocks and its
    children's count fully, older descendants less), widened to the ancestor that holds half of the
    prose when the best one does not."""
    score: dict[int, float] = {}
    for b, w in zip(blocks, weights):
        if w <= 0 or not b.path:
            continue
        for k, node in enumerate(reversed(b.path[-6:])):
            score[node] = score.get(node, 0.0) + w / (1.0 if k <= 1 else k)
    if not score:
        return None
    total = sum(weights)
    best = max(score, key=lambda n: score[n])
    if _held(blocks, weights, best) < 0.5 * total:
        path = next(b.path for b in blocks if best in b.path)
        for node in reversed(path[: path.index(best)]):
            if _held(blocks, weights, node) >= 0.5 * total:
                return node
    return best


def _deepest_holding(blocks: list[Block], weights: list[float], within: int, start: int, depth: list[int]) -> int:
    """Under the headline's anchor: the deepest container holding most (``_BODY_SHARE``) of the
    prose after the headline - the article body, without the summary box or the byline beside it."""
    held: dict[int, float] = {}
    total = 0.0
    for b, w in zip(blocks[start:], weights[start:]):
        if w <= 0 or within not in b.path:
            continue
        total += w
        for node in b.path[b.path.index(within):]:
            held[node] = held.get(node, 0.0) + w
    if total <= 0:
        return within
    return max((n for n, h in held.items() if h >= _BODY_SHARE * total), key=lambda n: depth[n], default=within)


def _with_siblings(blocks: list[Block], weights: list[float], best: int, within: int | None,
                   paragraphs: list[bool]) -> set[int]:
    """``best`` and its sibling containers that hold prose too - paragraphs, not only list items or
    cells (an article body split around an ad or a "read also" box) - and every sibling between
    them (a table or a list between two parts of the body), as element ids."""
    chosen = {best}
    path = next(b.path for b in blocks if best in b.path)
    k = path.index(best)
    if k == 0:
        return chosen
    parent = path[k - 1]
    best_held = 0.0
    held: dict[int, float] = {}
    prose: set[int] = set()
    siblings: set[int] = set()
    for b, w, para in zip(blocks, weights, paragraphs):
        p = b.path
        if parent not in p:
            continue
        if best in p:
            best_held += w
            continue
        j = p.index(parent)
        if j + 1 < len(p):
            node = p[j + 1]
            siblings.add(node)
            if w > 0:
                held[node] = held.get(node, 0.0) + w
                if para:
                    prose.add(node)
    if best == within:
        # the headline's own container: only the parts that continue it below (the article's end split
        # off after an ad or a "read also" box), not a comment thread or a teaser box after other text
        for node in sorted(n for n in siblings if n > best):
            if node in prose and held[node] >= _CONTINUATION_SHARE * best_held:
                chosen.add(node)
            elif held.get(node, 0.0) > 0:
                break
        return chosen
    chosen.update(node for node, h in held.items() if h >= _SIBLING_SHARE * best_held and node in prose)
    if len(chosen) > 1:  # element ids run in document order: the siblings between two parts are the body's
        lo, hi = min(chosen), max(chosen)
        chosen.update(node for node in siblings if lo < node < hi)
    return chosen


def extract(markup: str | bytes, model: BoilerplateModel | None = None, learned: bool = True,
            url: str | None = None) -> HtmlPage:
    """Clean an HTML page: ``.cleaned`` is a :class:`~searchlib.analysis.boilerplate.Cleaned`
    (kept text, every block as a line with its decision, metadata); see the module docstring.
    Bytes are decoded as a browser would (:func:`~searchlib.analysis.html.charset.as_text`)."""
    markup = as_text(markup)
    dom = parse(markup)
    blocks = dom.blocks
    texts = [b.text for b in blocks]
    heads = [t[: cues.HEAD] for t in texts]  # structure needs amounts of text only: folding comes later
    long = [len(t) > cues.HEAD for t in texts]
    n_units = [max(cues.units(h), 200) if lg else cues.units(h) for h, lg in zip(heads, long)]
    raw = [_prose_weight(b, h, n) for b, h, n in zip(blocks, heads, n_units)]
    cards = _teaser_cards(blocks, raw)
    for i in cards:
        raw[i] = 0.0
    dominant = _dominant(blocks, raw)
    strong = [_structural(b, n, weak=False, ignore=dominant) for b, n in zip(blocks, n_units)]
    for i in cards:
        strong[i] = "related-list"
    weights = [0.0 if s else w for s, w in zip(strong, raw)]
    decl = declared(dom)
    # a heading that links to the home page is the site's logo, never the headline
    headings = [(i, b.text, _chrome_heading(b, strong[i]), b.heading) for i, b in enumerate(blocks)
                if 1 <= b.heading <= 3 and not b.home]
    title, title_index = choose_title(decl, headings, lambda key: bool(_showing(blocks, strong, key)))
    if title and not decl.titles and _rights_holder(markup, _key(title)):
        title_index = None  # a bare <title> the footer names as the site's owner: no copy of it is the headline
    elif title:
        # the headline in a styled <div> or <p> ("article-title") when no heading holds it, and of
        # several copies (a metadata table's "name" row, a hidden mobile header) the one heading the
        # most prose: a block outside the chrome with the headline's text
        copies = _showing(blocks, strong, _key(title), title_index)
        if len(copies) > 1 or title_index is None and copies:
            title_index = max(copies, key=lambda i: (_anchored_root(blocks, weights, i)[1], i == title_index, -i))
    anchor = _anchored_root(blocks, weights, title_index)[0] if title_index is not None else None
    first = title_index if anchor is not None else 0
    if anchor is not None:
        best: int | None = _deepest_holding(blocks, weights, anchor, first, dom.node_depth)
    else:
        best = _best_root(blocks, weights)
    paragraphs = [w > 0 and n >= _PARAGRAPH_UNITS and not b.flags & (F.LI | F.TABLE) and not b.heading
                  and cues.ends_sentence(h) for b, w, n, h in zip(blocks, weights, n_units, heads)]
    body = _with_siblings(blocks, weights, best, anchor, paragraphs) if best is not None else set()
    if anchor is not None and not _confirmed(blocks[title_index], decl):
        # A headline nothing confirms (a page without <title>, OpenGraph or <h1>: the first <h2> may
        # be a sidebar box's) anchors the article only when its container holds the article's prose
        held = sum(w for b, w in zip(blocks[first:], weights[first:]) if not body.isdisjoint(b.path))
        above = any(w > 0 and anchor in b.path for b, w in zip(blocks[:first], weights[:first]))
        alt = _best_root(blocks, weights)
        if alt is not None and (above or held < _UNCONFIRMED * sum(weights)):
            # (prose above it in its own container: a subheading of the article, not its headline)
            alt_body = _with_siblings(blocks, weights, alt, None, paragraphs)
            if above or sum(w for b, w in zip(blocks, weights) if not alt_body.isdisjoint(b.path)) >= 2 * held:
                anchor, first, best, body = None, 0, alt, alt_body
        # its headline is the heading right above it, not a section label or a box title further up
        nearest = _heading_before(blocks, strong, body, lines=anchor is None)
        if nearest is not None:
            title_index, title = nearest, without_badge(blocks[nearest].text, [*decl.titles, decl.html_title])
    if title_index is None and not title and body:
        # nothing declares one: the line above the article that the page also lists elsewhere (an
        # e-paper's headline between its 引题 and 副题, in the page's list of articles), else the
        # heading or headline-like line right above it
        title_index = _listed_headline(blocks, body) or _heading_before(blocks, strong, body, lines=True)
        title = blocks[title_index].text if title_index is not None else title
    elif title_index is None and title and body:
        # the declared title is not on the page (an SEO title): the visible headline is the line above
        # the article that shares words with it
        key = _key(title)
        if any(b.home and _key(b.text) == key for b in blocks):  # <title> is the site's name (its logo's)
            title_index = _heading_before(blocks, strong, body)
        elif not decl.titles and _rights_holder(markup, key):
            # a bare <title> that the copyright line names is the site's name (an e-paper's, a
            # hospital's news page): the headline is the line above the article
            title_index = _heading_before(blocks, strong, body, lines=True)
        else:
            title_index = _visible_headline(blocks, strong, body, title)
        if title_index is not None:
            title = without_badge(blocks[title_index].text, [*decl.titles, decl.html_title])
    below = dom.node_depth[anchor] if anchor is not None else (dom.node_depth[best] if best is not None else -1)
    reasons: list[str | None] = []
    locked: dict[int, str] = {}
    for i, b in enumerate(blocks):
        inside = best is None or (i >= first and not body.isdisjoint(b.path))
        r = _structural(b, n_units[i], below, ignore=dominant) if inside else (strong[i] or _outside_reason(b))
        if r is not None:
            locked[i] = r
        reasons.append(r)
    if title_index is not None:
        reasons[title_index] = "title"
        locked[title_index] = "title"
    _lock_comment_threads(blocks, heads, n_units, title_index or 0, reasons, locked)
    # The line filter reads the article and the chrome around it (its passes and the learned pass look
    # at neighbours): the lines it may decide, fully folded, and _CONTEXT locked lines on each side.
    open_lines = [i for i, r in enumerate(reasons) if r is None]
    if open_lines:
        lo = max(0, min(open_lines[0], title_index if title_index is not None else open_lines[0]) - _CONTEXT)
        hi = min(len(blocks), open_lines[-1] + _CONTEXT + 1)
        window = range(lo, hi)
        w_texts = texts[lo:hi]
        folded = [h.casefold() for h in heads[lo:hi]]
        w_units = n_units[lo:hi]
        w_open = [i - lo for i in open_lines]
        for k, f in zip(w_open, cues.fold_heads([w_texts[k] for k in w_open])):
            folded[k] = f
            h = heads[lo + k]
            if f != h and not (h.isascii() and f == h.lower()):  # else the same units as the head's
                w_units[k] = max(cues.units(f), 200) if long[lo + k] else cues.units(f)
        page = passes.Page(w_texts, folded, w_units, long[lo:hi], [cues.ends_ellipsis(t[-16:]) for t in w_texts],
                           reasons[lo:hi])
        _decide(page, model, title_index - lo if title_index is not None and lo <= title_index < hi else None)
        if learned:
            line_model = learned_pass.default_model()
            if line_model is not None:
                learned_pass.apply(page, line_model)
        structure.keep_article_structure(page)
        _keep_body_structure(page, blocks[lo:hi], {i - lo: r for i, r in locked.items() if i in window})
        _mark_article_end(page)
        reasons[lo:hi] = page.reasons
        if title_index is None and page.title is not None:
            title_index = lo + page.title
    for i, r in locked.items():
        reasons[i] = r
    if all(r is not None for r in reasons):
        # nothing kept, yet the page holds paragraphs (an article wrapped whole in a <footer> or a
        # <nav>, a structure read wrongly): its paragraphs, rather than an empty article
        for i, (w, n, h) in enumerate(zip(raw, n_units, heads)):
            if w > 0 and n >= _PARAGRAPH_UNITS and cues.ends_sentence(h.casefold()) and i != title_index:
                reasons[i] = None
    lines: list[Line] = []
    pos = 0
    for t, r in zip(texts, reasons):
        lines.append(Line(t, r is None, r or "content", pos, pos + len(t)))
        pos += len(t) + 1
    kept = "\n".join(line.text for line in lines if line.kept)
    region = {i for i, b in enumerate(blocks) if anchor is None or anchor in b.path}
    meta = _metadata(dom, texts, reasons, decl, title, title_index, region, url)
    if "date" not in meta and (edition := _edition_date(markup)):
        meta["date"] = edition
    return HtmlPage(Cleaned(kept, lines, meta), dom)


_STRUCTURE_TAGS = frozenset({"li", "h2", "h3", "h4", "h5", "h6", "td", "th", "dd", "dt"})
_RESTORABLE = frozenset({"contact", "byline", "credit", "caption", "repeated-template"})


def _keep_body_structure(page: passes.Page, blocks: list[Block], locked: dict[int, str]) -> None:
    """List items, subheadings and table cells of the article body, between its paragraphs, are
    the article's: a per-line cue that reads ``地址：...`` as a contact line or ``營業時間：...`` as a
    byline does not outweigh the markup that puts them in the body's own list or table."""
    kept = [i for i, r in enumerate(page.reasons) if r is None and page.prose(i)]
    if len(kept) < 2:
        return
    lo, hi = kept[0], kept[-1]
    for i in range(lo + 1, hi):
        b = blocks[i]
        if (page.reasons[i] in _RESTORABLE and i not in locked
                and (b.tag in _STRUCTURE_TAGS or b.flags & (F.TABLE | F.LI))  # (a <p> inside a cell or item)
                and b.link_density < 0.5 and not page.long[i]):
            page.reasons[i] = None


# A line that only says the article ends: 完, （完）, -END-, (selesai)
_END_LINE = re.compile(r"^[\s(（\[【<\-—–=*#~]*(?:全文完|本文完|完|终|end|the end|selesai|habis|tamat)[\s)）\]】>\-—–=*#~.。]*$")


def _mark_article_end(page: passes.Page) -> None:
    """An end mark below the article's paragraphs (a press release's 完) closes it: the mark and the
    short lines after it (the release's date and time, a desk's note) are not the article's."""
    seen_prose = False
    for i, r in enumerate(page.reasons):
        if r is not None:
            continue
        if page.prose(i):
            seen_prose = True
        elif seen_prose and page.n_units[i] <= 4 and _END_LINE.match(page.folded[i]):
            page.reasons[i] = "credit"
            for j in range(i + 1, len(page.reasons)):
                if page.reasons[j] is None:
                    if page.prose(j):
                        return
                    page.reasons[j] = "byline" if dates.has_byline_signal(page.folded[j]) else "credit"
            return


def _lock_comment_threads(blocks: list[Block], heads: list[str], n_units: list[int], start: int,
                          reasons: list[str | None], locked: dict[int, str]) -> None:
    """A comment thread without a class that says so: a header that is only "3 Komentar",
    "Comments (12)", "网友评论" heads it, and everything after the header in the header's own
    container (readers' names, their comments, the form) is the thread, not the article."""
    for i in range(start + 1, len(blocks)):
        b = blocks[i]
        if n_units[i] > 12 or len(b.path) < 2 or not (b.heading or b.bold or b.tag in ("div", "p", "span")):
            continue
        if b.link_density >= 0.5 or not cues.COMMENTS.match(heads[i].strip().casefold()):
            continue  # ("14 komentar" linking to the thread from the byline heads nothing)
        parent = b.path[-2]
        inside = [k for k in range(i, len(blocks)) if parent in blocks[k].path and k not in locked]
        if any(blocks[k].strong_body for k in inside):
            continue  # the header's container holds the article's body: it is not the thread's
        for k in inside:
            locked[k] = reasons[k] = "navigation"
        return


def _chrome_heading(b: Block, reason: str | None) -> bool:
    """A heading in the page's chrome (a site name in the masthead, a sidebar box title); the
    ``<header>`` of an ``<article>`` holds its headline."""
    flags = b.flags
    return (reason is not None or bool(flags & (F.NAV | F.FOOTER | F.ASIDE))
            or bool(flags & F.HEADER and not flags & (F.ARTICLE | F.MAIN)))


def _outside_reason(b: Block) -> str:
    cats, near, _, _ = b.negatives()
    for name, reason in (*_CATEGORY_REASON, *_WEAK_CATEGORY_REASON):
        if near & NEG[name]:
            return reason
    return "related-list" if b.flags & F.LI else "navigation"


def _key(text: str) -> str:
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).casefold())


def _decide(page: passes.Page, model: BoilerplateModel | None, title_index: int | None) -> None:
    headers = []
    for i, r in enumerate(page.reasons):
        if r is None:
            page.reasons[i] = rules.classify(page.folded[i], page.n_units[i], page.raw_head(i))
        if page.reasons[i] == "related-list" and i not in headers:
            headers.append(i)
    passes.mark_summaries(page)
    passes.mark_related_lists(page, headers)
    passes.mark_captions(page)
    if title_index is None:
        mark_title(page, model)
    else:
        page.title = title_index
    passes.mark_standfirst(page)
    if model is not None:
        passes.mark_templates(page, model)
    passes.mark_after_article(page)
    passes.mark_after_ad_label(page)
    passes.mark_tail_teasers(page)
    passes.absorb_tail(page)


def _metadata(dom: Dom, texts: list[str], reasons: list[str | None], decl: Declared, title: str,
              title_index: int | None, region: set[int], url: str | None) -> dict[str, str]:
    meta = html_metadata(dom, reasons, title, title_index, region, decl, url)
    lang = decl.lang or text_meta.detect_lang("\n".join(t for t, r in zip(texts, reasons) if r is None))
    if lang:
        meta["lang"] = lang
    return meta
