"""HTML → blocks: one walk over the parsed document (selectolax / lexbor).

A *block* is the text of one block-level element (paragraph, heading, list item, table cell,
``<div>`` run of inline text), split at ``<br>``; inline elements (links, emphasis, spans) join
the block they sit in. Every block carries what the page's structure says about it:

* ``flags``: semantic ancestors (``<article>``, ``<main>``, ``<nav>``, ``<header>``, ``<footer>``,
  ``<aside>``, ``<form>``, ``<figure>``/``<figcaption>``, list items, tables, blockquotes) and ARIA
  roles / schema.org ``itemprop`` that say the same;
* ``classes``: the class/id vocabulary (:mod:`.vocab`) of its classed ancestors, with their
  depths: negative categories (``nav``, ``footer``, ``share``, ``related``, ``comment``, ``ad``,
  ``byline``, ``caption``, ``相关``, ``推荐``, ``版权`` ...; *strong* or *weak*) and positive ones
  (``article``, ``content``, ``post-body``, ``正文``, ``TRS_Editor`` ...);
* link characters (link density), its element path (ancestor ids, for text-density scoring of
  containers), heading level and block tag.

Hidden subtrees (``hidden``, ``aria-hidden="true"``, ``display:none``, ``visibility:hidden``,
screen-reader-only classes), scripts, styles, templates, forms' controls, SVG and iframes yield no
blocks. The walk also collects what metadata extraction needs: ``<title>``, ``<meta>``,
``<link rel=canonical>``, the ``lang`` attribute, JSON-LD scripts and ``<time>`` elements.

The walk is iterative (a deep page cannot overflow the interpreter's stack) and linear in the
document; an element's class and id are read through a cache, so repeated class names cost one
look-up, and the questions the walk asks of a tag are answered by one look-up too.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from searchlib.analysis.boilerplate.dates import RELATIVE_SHOWN
from searchlib.analysis.html.vocab import BODY, CLASS_INFO, NEG, POS, centred_class, class_info

__all__ = ["BODY", "Block", "Dom", "F", "NEG", "POS", "parse"]


class F:
    """Flag bits (``Block.flags``)."""

    ARTICLE = 1 << 0      # inside <article>, role=article, itemprop=articleBody
    MAIN = 1 << 1         # inside <main>, role=main
    NAV = 1 << 2          # inside <nav>, role=navigation
    HEADER = 1 << 3       # inside <header>, role=banner
    FOOTER = 1 << 4       # inside <footer>, role=contentinfo
    ASIDE = 1 << 5        # inside <aside>, role=complementary
    FORM = 1 << 6         # inside <form>
    FIGURE = 1 << 7       # inside <figure>
    FIGCAPTION = 1 << 8   # inside <figcaption> / <caption>
    LI = 1 << 9           # inside a list item
    TABLE = 1 << 10       # inside a table cell
    QUOTE = 1 << 11       # inside <blockquote> / <q>
    ADDRESS = 1 << 12     # inside <address>
    TIME = 1 << 13        # holds a <time> element
    BODY_PROP = 1 << 14   # inside itemprop=articleBody (or a well-known article-body class)
    PRE = 1 << 15         # inside <pre> (whitespace kept)
    DL = 1 << 16          # inside <dl>
    BUTTON = 1 << 17      # inside <button>, <label>, <select>, <option>
    CENTER = 1 << 18      # the block element itself is centred (align=center, text-align:center, <center>)
    AFTER_IMG = 1 << 19   # an image comes between the previous block and this one's text


_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_CENTER_STYLE = re.compile(r"text-align\s*:\s*center", re.IGNORECASE)
# A link to the site's home page: "/", "../../index.htm", "https://www.example.com/"
_HOME_HREF = re.compile(r"^(?:(?:https?:)?//[^/?#]+/?|/|(?:\.{1,2}/)+|(?:(?:https?:)?//[^/?#]+)?/?(?:\.{1,2}/)*"
                        r"(?:index|default|home)\.(?:html?|php|aspx?|jsp|shtml))$", re.IGNORECASE)
# What a match of _HOME_HREF ends with when it is not a bare "//host": a slash, or a home page's file
_HOME_FILE = re.compile(r"(?:index|default|home)\.(?:html?|php|aspx?|jsp|shtml)$", re.IGNORECASE)
_HOME_FILE_CHARS = 13  # the longest such ending: "default.shtml"


def _home_link(href: str) -> bool:
    """``_HOME_HREF.match(href)``, the full match tried only when ``href`` ends as a match must
    (an article's URL ending in ``.html`` is turned away by its last 13 characters)."""
    end = href.removesuffix("\n")  # ($ also matches before a final newline)
    if not (end.endswith("/") or _HOME_FILE.search(end[-_HOME_FILE_CHARS:])
            or "//" in end and "/" not in end[end.find("//") + 2:]):  # "https://example.com"
        return False
    return bool(_HOME_HREF.match(href))


_SPACE = re.compile(r"[ \t\n\r\f\v\xa0\u200b\ufeff]+")
# Adjacent inline elements whose Latin words or numbers would run together ("2024</span><span>10:32",
# "Facebook</a><a>Twitter") get a space; Han text never does.
_ALNUM = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
_FORMATTING = frozenset({"b", "strong", "i", "em", "u", "s", "font", "sup", "sub", "small", "big", "mark", "abbr",
                         "code", "tt", "var", "kbd", "samp", "bdi", "bdo", "wbr", "ruby", "rt", "rp", "nobr"})
_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed",
                   "canvas", "textarea", "select", "option", "input", "button", "head", "video", "audio",
                   "map", "frameset", "frame", "dialog", "-comment", "!doctype", "link", "meta", "base",
                   "datalist", "param", "source", "track", "marquee"})
_BLOCK = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
    "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
    "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "main", "menu", "nav", "ol", "p", "pre",
    "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_TAG_FLAGS = {
    "article": F.ARTICLE, "main": F.MAIN, "nav": F.NAV, "header": F.HEADER, "footer": F.FOOTER,
    "aside": F.ASIDE, "form": F.FORM, "figure": F.FIGURE, "figcaption": F.FIGCAPTION, "caption": F.FIGCAPTION,
    "li": F.LI, "td": F.TABLE, "th": F.TABLE, "blockquote": F.QUOTE, "q": F.QUOTE, "address": F.ADDRESS,
    "pre": F.PRE, "dl": F.DL, "label": F.BUTTON, "menu": F.NAV, "center": F.CENTER,
}
_ROLE_FLAGS = {"navigation": F.NAV, "banner": F.HEADER, "contentinfo": F.FOOTER, "complementary": F.ASIDE,
               "main": F.MAIN, "article": F.ARTICLE, "search": F.FORM, "menu": F.NAV, "menubar": F.NAV,
               "dialog": F.FORM, "alert": F.FORM, "toolbar": F.NAV, "button": F.BUTTON}


@dataclass(slots=True)
class Block:
    """One block of text and what the structure says about it (see the module docstring)."""

    text: str
    tag: str                  # the block element: p, div, li, td, h2, ...
    flags: int
    classes: tuple[tuple[int, int, int, int, int], ...]  # classed ancestors: (depth, id, strong NEG, weak NEG, POS bits)
    depth: int
    link_chars: int
    chars: int                # characters without spaces
    heading: int              # 1-6 for <h1>..<h6>, else 0
    path: tuple[int, ...]     # element ids from the root to the block element
    bold: bool = False        # the whole text is in <strong>/<b>
    home: bool = False        # the whole text is a link to the site's home page (a logo, "Home")

    @property
    def link_density(self) -> float:
        return self.link_chars / self.chars if self.chars else 0.0

    def negatives(self, below: int = -1, weak: bool = True, ignore: frozenset[int] | set[int] = frozenset()
                  ) -> tuple[int, int, int, int]:
        """``(categories, nearest categories, depth of the deepest negative ancestor, depth of the
        deepest positive one)`` over the classed ancestors deeper than ``below`` and not in
        ``ignore`` (element ids), ``weak``: counting the generic tokens too."""
        cats = near = 0
        neg_depth = pos_depth = -1
        in_body = False
        for depth, node, strong, weak_mask, pos in self.classes:
            if pos & BODY:
                in_body = True  # inside a known article body only specific words count
            if depth <= below or node in ignore:
                continue
            mask = strong | (weak_mask if weak and not in_body else 0)
            if mask:
                cats |= mask
                near = mask
                neg_depth = depth
            if pos & (POS | BODY):
                pos_depth = depth
        return cats, near, neg_depth, pos_depth

    @property
    def strong_body(self) -> bool:
        return any(pos & BODY for *_, pos in self.classes)


@dataclass
class Dom:
    """What the walk found: blocks in document order, and the pieces metadata is made of."""

    blocks: list[Block] = field(default_factory=list)
    title: str = ""                                   # <title>
    lang: str = ""                                    # <html lang> (or the first lang attribute)
    metas: list[tuple[str, str]] = field(default_factory=list)  # (name/property/itemprop lower-cased, content)
    links: list[tuple[str, str]] = field(default_factory=list)  # (rel lower-cased, href)
    json_ld: list[str] = field(default_factory=list)
    # (datetime attribute, text, block index, whether the element says it is an update's time)
    times: list[tuple[str, str, int, bool]] = field(default_factory=list)
    item_props: list[tuple[str, str, int]] = field(default_factory=list)  # (itemprop, text, block index)
    node_depth: list[int] = field(default_factory=list)  # element depth of every id in ``Block.path``
    fields: list[tuple[str, str, int]] = field(default_factory=list)  # (author|editor|source|date, text, block index)
    media: list[tuple[str, int]] = field(default_factory=list)  # (image/video/poster URL, block index)
    n_elements: int = 0


_SKIPPABLE = (NEG["nav"] | NEG["share"] | NEG["comment"] | NEG["ad"] | NEG["popular"] | NEG["related"]
              | NEG["subscribe"] | NEG["sidebar"] | NEG["footer"])
_CHROME_TAGS = frozenset({"nav", "aside", "footer"})
_NOT_CENTER = ~F.CENTER
# A block's path (and its ancestors' class signals) keeps its nearest ancestors only: every block
# copies its path, so markup nested 30,000 deep would hold ~450 M entries (real pages nest < 100).
# Below that depth no subtree is measured for skipping either (each measure reads the subtree's text).
_MAX_PATH = 255
_MAX_CLASSED = 63  # classed ancestors a block remembers (read for every block: kept shorter)
# Attributes the walk reads besides class and id (and href, src): an element without any of them
# takes a short path
_RARE_ATTRS = frozenset({"hidden", "aria-hidden", "style", "align", "role", "itemprop", "datetime", "lang",
                         "xml:lang"})
# What the walk asks of an element's tag, in one look-up: (block element, flags it sets, heading
# level, an inline element whose edges may glue Latin words together, the tag's own handling)
_TAG_INFO: dict[str, tuple[bool, int, int, bool, int]] = {}
_CHROME, _TITLE, _LINK, _BOLD, _HTML = 1, 2, 3, 4, 5
_SPECIAL = {**dict.fromkeys(_CHROME_TAGS, _CHROME), "title": _TITLE, "a": _LINK, "strong": _BOLD, "b": _BOLD,
            "html": _HTML}


def _tag_info(tag: str) -> tuple[bool, int, int, bool, int]:
    is_block = tag in _BLOCK
    info = (is_block, _TAG_FLAGS.get(tag, 0), _HEADINGS.get(tag, 0), not is_block and tag not in _FORMATTING,
            _SPECIAL.get(tag, 0))
    if len(_TAG_INFO) < 5_000:
        _TAG_INFO[tag] = info
    return info
_SKIP_SHARE = 0.3   # a chrome subtree with less than this share of the page's text is skipped unread,
_PROSE_CHARS = 200  # ... unless it holds this much text, mostly not links (see _Walker._small)
_PROSE_CHROME = NEG["comment"] | NEG["related"] | NEG["popular"]  # prose that is never the article: skipped
_FORM_SHARE = 0.2   # a <form> holding this share of the page's text wraps content, not a form's labels
_FORM_CHARS = 300   # the same without the page's size (skip_chrome=False)


class _Walker:
    def __init__(self, dom: Dom, page_chars: int = 0) -> None:
        self.page_chars = page_chars
        self.dom = dom
        self.parts: list[str] = []
        self.link_chars = 0
        self.bold_chars = 0
        self.home_chars = 0
        self.next_id = 0
        self.has_time = False
        self.after_img = False

    def flush(self, ctx: tuple) -> None:  # type: ignore[type-arg]
        if not self.parts:
            return
        raw = "".join(self.parts)
        self.parts.clear()
        if raw.isspace() or not raw.replace("\x00", "").strip():
            self.link_chars = self.bold_chars = self.home_chars = 0
            self.has_time = False
            return
        link_chars, self.link_chars = self.link_chars, 0
        bold_chars, self.bold_chars = self.bold_chars, 0
        home_chars, self.home_chars = self.home_chars, 0
        has_time, self.has_time = self.has_time, False
        (tag, flags, classes, depth, heading, path) = ctx
        if has_time:
            flags |= F.TIME
        pre = flags & F.PRE
        pieces = raw.split("\n") if pre else raw.split("\x00")
        if not pre and (")" in raw or "）" in raw):
            pieces = _split_signoff(pieces)
        for piece in pieces:
            text = _SPACE.sub(" ", piece).strip(" \u3000") if not pre else piece.rstrip()
            if not text.strip():
                continue
            chars = len(text) - text.count(" ")
            self.dom.blocks.append(Block(
                text, tag, flags | (F.AFTER_IMG if self.after_img else 0), classes, depth,
                min(link_chars, chars), chars, heading, path, bold_chars >= chars > 0 and len(pieces) == 1,
                home_chars >= chars > 0 and len(pieces) == 1,
            ))
            self.after_img = False

    def walk(self, root: LexborNode) -> None:
        dom = self.dom
        parts = self.parts
        blocks_len = dom.blocks.__len__
        node_depth = dom.node_depth
        root_ctx: tuple = ("body", 0, (), 0, 0, ())  # type: ignore[type-arg]
        # Depth-first over child iterators: entering an element pushes a frame (its parent's
        # iterator and context, and what leaving it takes: the block to flush, the link / bold /
        # inline-gap bookkeeping) and iterates its children; an exhausted iterator leaves it.
        frames: list[tuple] = []  # type: ignore[type-arg]
        push, pop = frames.append, frames.pop
        it = iter((root,))
        cur = root_ctx
        in_link = in_bold = in_home = 0
        n_elements = 0
        next_id = self.next_id  # (a local while walking)
        glue = False  # an inline element's edge since the last text: Latin words on both sides get a space
        while True:
            for node in it:
                tag = node.tag
                if tag == "-text":
                    text = node.text_content
                    if text:
                        if glue:
                            if parts and text[0] in _ALNUM and parts[-1][-1] in _ALNUM:
                                parts.append(" ")
                            glue = False
                        parts.append(text)
                        if in_link:
                            self.link_chars += len(text) - text.count(" ")
                            if in_home:
                                self.home_chars += len(text) - text.count(" ")
                        if in_bold:
                            self.bold_chars += len(text) - text.count(" ")
                    continue
                if tag in _SKIP or tag is None:
                    if tag == "video" or tag == "source":
                        self._media(node)
                    if tag == "script":
                        self._script(node)
                    elif tag == "meta" or tag == "link":
                        self._head_tag(node, tag)
                    elif tag == "head":
                        self._head(node)
                    continue
                if tag == "br":
                    parts.append("\x00")
                    continue
                if tag == "img":
                    self._media(node)
                    if not "".join(parts).replace("\x00", "").strip():
                        self.after_img = True  # not an inline icon inside a line of text
                    continue
                n_elements += 1
                attrs = node.attributes
                ctx = cur
                (ptag, flags, classes, depth, heading, path) = ctx
                depth += 1
                info = _TAG_INFO.get(tag) or _tag_info(tag)
                is_block, tag_flags, tag_heading, glues, special = info
                if tag_flags and (tag != "form" or self._small_form(node)):
                    flags |= tag_flags
                if is_block and ptag != "center":
                    flags &= _NOT_CENTER  # centring is the block's own (a layout table's align=center is not)
                if tag_heading:
                    heading = tag_heading
                if attrs:
                    body_prop = False
                    if _RARE_ATTRS.isdisjoint(attrs):  # the common case: at most class, id, href, src...
                        if is_block:
                            cls = attrs.get("class")
                            if cls and centred_class(cls):
                                flags |= F.CENTER
                    else:
                        if "hidden" in attrs or attrs.get("aria-hidden") == "true":
                            continue
                        style = attrs.get("style")
                        if style and _HIDDEN_STYLE.search(style):
                            continue
                        if is_block:
                            align = attrs.get("align")
                            cls = attrs.get("class")
                            if (align and align.lower() == "center" or style and _CENTER_STYLE.search(style)
                                    or cls and centred_class(cls)):
                                flags |= F.CENTER
                        role = attrs.get("role")
                        if role:
                            flags |= _ROLE_FLAGS.get(role.lower(), 0)
                        prop = attrs.get("itemprop")
                        if prop:
                            low = prop.lower()
                            if low == "articlebody":
                                flags |= F.BODY_PROP | F.ARTICLE
                                body_prop = True
                            if low in ("author", "datepublished", "datemodified", "headline", "name", "publisher"):
                                dom.item_props.append((low, _text_of(node), blocks_len()))
                        if "datetime" in attrs and tag == "time" or (prop and prop.lower() == "datepublished"):
                            marks = f"{attrs.get('class') or ''} {prop or ''}".lower()
                            update = ("updated" in marks or "modified" in marks) and "published" not in marks
                            dom.times.append(((attrs.get("datetime") or attrs.get("content") or ""), _text_of(node),
                                              blocks_len(), update))
                            self.has_time = True
                    tip = attrs.get("title")
                    if tip and tip[:1].isdigit() and RELATIVE_SHOWN.match(shown := _text_of(node)):
                        # "3 天前" / "2 hours ago" whose tooltip holds the time itself (Discuz, timeago):
                        # the tooltip is the element's datetime
                        dom.times.append((tip, shown, blocks_len(), False))
                    cls = attrs.get("class")
                    ident = attrs.get("id")
                    if cls or ident:
                        strong, weak, pos, hidden, field_kind = CLASS_INFO.get((cls, ident)) or class_info(cls, ident)
                        if hidden:
                            continue
                        if body_prop:
                            pos |= BODY | POS
                        if strong & _SKIPPABLE and not pos and depth <= _MAX_PATH and self._small(node, flags, strong):
                            continue  # a menu, share bar, comment thread, ad or list of links: not read at all
                        if strong or weak or pos:
                            classes = (*classes[-_MAX_CLASSED:], (depth, next_id, strong, weak, pos))
                        if field_kind and len(dom.fields) < 200:
                            text = _text_of(node)
                            if len(text) <= _FIELD_CHARS:  # a byline, not an article body called "TRS_Editor"
                                dom.fields.append((field_kind, text, blocks_len()))
                    elif body_prop:
                        classes = (*classes[-_MAX_CLASSED:], (depth, next_id, 0, 0, BODY | POS))
                    if special == _HTML:
                        lang = attrs.get("lang") or attrs.get("xml:lang")
                        if lang and not dom.lang:
                            dom.lang = lang.strip()
                if special == _CHROME and not flags & (F.ARTICLE | F.MAIN) and depth <= _MAX_PATH and self._small(node, flags, 0):
                    continue
                if special == _TITLE:
                    if not dom.title:
                        dom.title = _SPACE.sub(" ", node.text(deep=True) or "").strip()
                    continue
                kind = 0
                if special == _LINK:
                    kind = 1
                    in_link += 1
                    href = attrs.get("href") if attrs else None
                    if href and _home_link(href.strip()):
                        kind |= 8
                        in_home += 1
                elif special == _BOLD:
                    kind = 2
                    in_bold += 1
                if glues:
                    glue = True
                    kind |= 4
                node_id = next_id
                next_id += 1
                node_depth.append(depth)
                if is_block:
                    if parts:
                        self.flush(ctx)
                    glue = False
                    new_ctx = (tag, flags, classes, depth, heading, (*path[-_MAX_PATH:], node_id))
                else:
                    new_ctx = (ptag, flags, classes, depth, heading, path)
                push((it, cur, new_ctx, is_block, kind))
                it = node.iter(include_text=True)
                cur = new_ctx
                break  # into the element's children
            else:  # the children of an element are done: leave it
                if not frames:
                    break
                it, cur, leave_ctx, is_block, kind = pop()
                if kind:
                    if kind & 1:
                        in_link -= 1
                        if kind & 8:
                            in_home -= 1
                    elif kind & 2:
                        in_bold -= 1
                    if kind & 4:
                        glue = True
                if is_block:
                    if parts:
                        self.flush(leave_ctx)
                    glue = False
        dom.n_elements += n_elements
        self.next_id = next_id
        self.flush(root_ctx)

    def _small(self, node: LexborNode, flags: int, strong: int) -> bool:
        """A chrome subtree holding little of the page's text (so it cannot be the article's own
        container, whatever its name says), and no footer inside the article (sign-offs live there)."""
        if strong and flags & (F.ARTICLE | F.MAIN) and not strong & ~NEG["footer"] & _SKIPPABLE:
            return False
        if not self.page_chars:
            return False  # skipping is off (or the page has no text)
        text = node.text(deep=True)
        if not text:
            return True
        if len(text) >= _SKIP_SHARE * self.page_chars:
            return False
        if strong & _PROSE_CHROME or len(text) < _PROSE_CHARS:
            return True
        # Prose under a name that says chrome ("content-sidebar-wrap", "share-layout" around a short
        # article on a heavy page) is read: the structure decides it with the rest. Link lists are not.
        links = sum(len(a.text(deep=True) or "") for a in node.css("a"))
        return links >= 0.5 * len(text.strip())

    def _media(self, node: LexborNode) -> None:
        """Remember where a picture or video lives: its URL may hold the date the page omits the year of."""
        attrs = node.attributes
        media = self.dom.media
        if attrs and len(media) < 200:
            for key in ("src", "poster", "data-src", "data-original"):
                url = attrs.get(key)
                if url:
                    media.append((url, len(self.dom.blocks)))

    def _small_form(self, node: LexborNode) -> bool:
        """A search, login or comment form; a ``<form>`` holding much of the page's text is a CMS's
        wrapper around the article (ASP.NET, VSB), not a form's labels."""
        text = node.text(deep=True) or ""
        chars = len(text) - text.count(" ") - text.count("\n")
        return chars < (_FORM_SHARE * self.page_chars if self.page_chars else _FORM_CHARS)

    def _script(self, node: LexborNode) -> None:
        attrs = node.attributes
        kind = (attrs.get("type") or "").lower() if attrs else ""
        if "ld+json" in kind:
            text = node.text(deep=True)
            if text and len(text) < 200_000:
                self.dom.json_ld.append(text)

    def _head_tag(self, node: LexborNode, tag: str) -> None:
        attrs = node.attributes
        if not attrs:
            return
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or attrs.get("http-equiv")
            content = attrs.get("content")
            if key and content:
                self.dom.metas.append((key.strip().lower(), _SPACE.sub(" ", content).strip()))
        else:
            rel, href = attrs.get("rel"), attrs.get("href")
            if rel and href:
                self.dom.links.append((rel.strip().lower(), href.strip()))

    def _head(self, node: LexborNode) -> None:
        for child in node.traverse():
            tag = child.tag
            if tag in ("meta", "link"):
                self._head_tag(child, tag)
            elif tag == "script":
                self._script(child)
            elif tag == "title" and not self.dom.title:
                self.dom.title = _SPACE.sub(" ", child.text(deep=True) or "").strip()


_FIELD_CHARS = 150
# An editor's sign-off closing the last paragraph: "... di jalur utama. (abq/abq)", "...。（编辑：周琳）"
_SIGNOFF = re.compile(r"(?<=[.!?。！？”\"’'])\s*([(（]\s*(?:[A-Za-z]{2,5}(?:\s*/\s*[A-Za-z]{2,5})+|"
                      r"(?:责任编辑|責任編輯|编辑|編輯|责编|責編)\s*[:：]\s*[^()（）]{1,20})\s*[)）])\s*$")


def _split_signoff(pieces: list[str]) -> list[str]:
    """Pieces (lines of a block) with an editor's sign-off at their end split in two: the paragraph
    stays, the sign-off becomes a line of its own (the line filter removes it)."""
    out = []
    for piece in pieces:
        found = _SIGNOFF.search(piece) if piece.rstrip(" \t\n\r\u3000\xa0").endswith((")", "）")) else None
        if found and piece[: found.start()].strip():
            out.extend((piece[: found.start()], found.group(1)))
        else:
            out.append(piece)
    return out


def _text_of(node: LexborNode) -> str:
    return _SPACE.sub(" ", node.text(deep=True, separator=" ") or "").strip()[:500]


# lexbor's tokenizer takes time quadratic in the attributes of one tag (80,000 attributes: 27 s).
# A tag longer than this (a real one is: a data: URI in src) keeps its first _MAX_ATTRS attributes.
_LONG_TAG_CHARS = 1 << 16
_MAX_ATTRS = 256
_LONG_TAG = {str: re.compile(r"<([A-Za-z][^\s<>/]*)([^<>]{%d,})>" % _LONG_TAG_CHARS),
             bytes: re.compile(rb"<([A-Za-z][^\s<>/]*)([^<>]{%d,})>" % _LONG_TAG_CHARS)}
_ATTR = {str: re.compile(r"""\s+[^\s=<>"'/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?"""),
         bytes: re.compile(rb"""\s+[^\s=<>"'/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?""")}


def _tame_long_tags(markup: str | bytes) -> str | bytes:
    kind = type(markup)
    attr = _ATTR[kind]

    def tame(m: re.Match) -> Any:  # type: ignore[type-arg]
        found = attr.findall(m.group(2))
        if len(found) <= _MAX_ATTRS:
            return m.group(0)
        return m.group(0)[:1] + m.group(1) + m.group(0)[:0].join(found[:_MAX_ATTRS]) + m.group(0)[-1:]

    return _LONG_TAG[kind].sub(tame, markup)


def parse(markup: str | bytes, skip_chrome: bool = True) -> Dom:
    """Parse ``markup`` and walk it once (see the module docstring). ``skip_chrome=False`` reads
    every visible block, menus and footers included."""
    if len(markup) > _LONG_TAG_CHARS:
        markup = _tame_long_tags(markup)
    tree = LexborHTMLParser(markup)
    dom = Dom()
    root = tree.root
    if root is None:
        return dom
    body = tree.body
    walker = _Walker(dom, len(body.text(deep=True) or "") if body is not None and skip_chrome else 0)
    attrs = root.attributes
    if attrs:
        lang = attrs.get("lang") or attrs.get("xml:lang")
        if lang:
            dom.lang = lang.strip()
    head = tree.head
    if head is not None:
        walker._head(head)
    if body is not None:
        walker.walk(body)
    return dom
