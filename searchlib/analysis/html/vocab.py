"""The class/id vocabulary of page chrome and article containers, read by the DOM walk
(:mod:`.dom`): what an element's ``class`` and ``id`` say about it.

* negative categories (``nav``, ``footer``, ``share``, ``related``, ``comment``, ``ad``, ``byline``,
  ``caption``, ``相关``, ``推荐``, ``版权`` ...): *strong* when a specific word occurs anywhere in the
  value, *weak* when a generic token such as ``list`` or ``media`` is a whole part of it;
* positive ones (``article``, ``content``, ``post-body``, ``正文``, ``TRS_Editor`` ...);
* hidden elements (``sr-only``, ``d-none``), centred blocks (``text-center``) and the metadata field
  a byline element is named for (``post-author`` → author).

A site repeats its class names on every page and every element: each answer is cached by value.
"""
from __future__ import annotations

import re

from searchlib.analysis.chars import HAN_CHARS

__all__ = ["BODY", "CLASS_INFO", "NEG", "POS", "centred_class", "class_info"]

# Class / id vocabulary. Each category: exact tokens, and substrings (long enough not to occur by
# chance inside other words). Tokens come from splitting class/id values at non-letters and at
# lower→upper case changes ("relNews" → "rel", "news").
_NEG_VOCAB: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "nav": (("nav", "menu", "menus", "crumb", "crumbs", "position", "location", "dqwz", "weizhi", "subnav",
             "topnav", "mainnav", "channel", "navbar", "skip", "breadcrumbs", "sitemap", "dh", "lanmu"),
            ("breadcrumb", "navigation", "navbar", "menu", "当前位置", "导航")),
    "header": (("header", "masthead", "topbar", "logo", "brand", "site", "branding", "head", "top", "toplink",
                "toolbar", "utility", "sitename"),
               ("masthead", "site-header", "siteheader", "page-header", "topbar", "top-bar")),
    "footer": (("footer", "foot", "bottom", "copyright", "copy", "beian", "icp", "colophon", "legal", "bq",
                "banquan", "imprint", "disclaimer", "about", "contact"),
               ("footer", "copyright", "版权", "beian", "disclaimer")),
    "sidebar": (("sidebar", "side", "aside", "rail", "sidebox", "col-right", "rightbar", "widget", "widgets",
                 "sider", "side-bar"),
                ("sidebar", "widget", "side-bar", "side_bar", "rightbox", "right-box")),
    "share": (("share", "sharing", "social", "sns", "bdshare", "jiathis", "addthis", "sharethis", "fenxiang",
               "print", "tools", "actions", "toolbox"),
              ("share", "social", "分享")),
    "related": (("related", "relate", "relnews", "xgxw", "recommend", "tuijian", "tj", "more", "also",
                 "readmore", "further", "prevnext", "prev", "next", "pager", "pagination", "pages", "paging",
                 "xiangguan", "similar", "suggest", "suggested", "upnext", "teaser", "teasers",
                 "feed", "cards", "hotnews", "latest", "newslist"),
                ("related", "recommend", "相关", "推荐", "prevnext", "pagination", "more-news", "morenews",
                 "read-more", "readmore", "also-read", "baca-juga", "bacajuga", "artikel-terkait", "terkait",
                 "you-may", "youmay", "newslist", "news-list")),
    "comment": (("comment", "comments", "reply", "replies", "disqus", "pinglun", "pl", "discuss", "respond",
                 "komentar", "feedback"),
                ("comment", "评论", "disqus", "komentar")),
    "ad": (("ad", "ads", "adv", "advert", "adverts", "advertisement", "adsense", "gg", "guanggao", "sponsor",
            "sponsored", "promo", "promotion", "dfp", "adslot", "adbox", "banner", "iklan", "commercial",
            "partner", "partners", "affiliate", "marketing", "outbrain", "taboola"),
           ("advert", "adsbygoogle", "sponsor", "广告", "iklan", "ad-slot", "ad_slot", "adslot", "ad-box",
            "ad-container", "ad-wrap", "google-ad", "banner-ad", "promo")),
    "popular": (("hot", "rank", "ranking", "popular", "trending", "mostread", "most", "top10", "paihang",
                 "phb", "hits", "terpopuler", "populer"),
                ("popular", "trending", "most-read", "mostread", "hotnews", "排行", "热点", "terpopuler")),
    "tags": (("tags", "tag", "keywords", "keyword", "topics", "labels", "label", "category", "categories",
              "hashtags"),
             ("tagcloud", "tag-list", "taglist", "post-tags", "article-tags", "关键词")),
    "byline": (("byline", "author", "authors", "meta", "info", "source", "date", "time", "pubtime", "posted",
                "editor", "writer", "reporter", "dateline", "publish", "published", "timestamp", "penulis",
                "entry-meta", "postmeta", "by", "attribution", "credit", "credits", "zuozhe", "laiyuan"),
               ("byline", "post-meta", "article-meta", "entry-meta", "article-info", "articleinfo",
                "pubtime", "publish-time", "author", "editor", "source", "来源", "责任编辑")),
    "caption": (("caption", "figcaption", "pic", "photo", "img", "image", "gallery", "slide", "slider",
                 "credit", "thumb", "thumbnail", "media", "video", "player"),
                ("caption", "pic-txt", "pictxt", "img-desc", "photo-desc", "image-desc", "wp-caption", "图片")),
    "subscribe": (("subscribe", "subscription", "newsletter", "login", "signin", "signup", "register",
                   "search", "qrcode", "qr", "ewm", "erweima", "wechat", "weixin", "wx", "follow", "download",
                   "app", "apps", "popup", "modal", "cookie", "cookies", "gdpr", "consent", "notice",
                   "alert", "paywall", "overlay"),
                  ("subscribe", "newsletter", "qrcode", "二维码", "cookie", "consent", "paywall")),
}
_POS_VOCAB: tuple[tuple[str, ...], tuple[str, ...]] = (
    ("article", "content", "post", "entry", "story", "body", "main", "detail", "details", "zw", "zhengwen",
     "text", "con", "trs", "editor", "artibody", "maintext", "read", "news", "isi", "berita", "bodytext",
     "cont", "txt", "arti", "wenzhang", "neirong", "nr", "prose", "rich", "richtext", "markdown"),
    ("article-body", "articlebody", "article-content", "articlecontent", "post-body", "postbody",
     "post-content", "postcontent", "entry-content", "entrycontent", "story-body", "storybody",
     "news-content", "newscontent", "newstext", "news-text", "content-text", "main-text", "maintext",
     "trs_editor", "正文", "artibody", "detail-content", "article-text", "articletext", "zoom", "text-content",
     "read-content", "isi-berita", "detail__body", "itemfulltext", "td-post-content", "the-content"),
)
NEG: dict[str, int] = {name: 1 << i for i, name in enumerate(_NEG_VOCAB)}
POS = 1       # a positive token (article, content, 正文, ...)
BODY = 2      # a well-known article-body container (articleBody, entry-content, TRS_Editor, ...)
_STRONG_BODY = frozenset({"articlebody", "article-body", "article_body", "post-body", "entry-content",
                          "trs_editor", "artibody", "article-content", "story-body", "news-content",
                          "newscontent", "post-content", "detail-content", "itemfulltext"})

_TOKEN_SPLIT = re.compile(r"[^0-9A-Za-z" + HAN_CHARS + r"]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


_HIDDEN_CLASS = frozenset({"hidden", "hide", "d-none", "sr-only", "visually-hidden", "visuallyhidden",
                           "screen-reader-text", "screenreader", "invisible", "is-hidden", "u-hidden",
                           "element-invisible", "offscreen", "a11y-hidden"})


# class/id words naming a metadata field: (field, words)
_FIELD_WORDS = (
    ("editor", ("editor", "redaktur", "bianji", "zebian")),
    ("author", ("author", "byline", "writer", "reporter", "penulis", "zuozhe", "jizhe", "fn", "creator",
                "contributor")),
    ("source", ("source", "laiyuan", "origin", "js_name", "nickname", "account", "sumber")),
    ("date", ("publish", "pubtime", "pubdate", "posted", "post-date", "postdate", "entry-date", "date", "time",
              "fabu", "shijian", "dateline")),
)


_token_cache: dict[str, tuple[int, int, int, bool]] = {}


def _classify(value: str) -> tuple[int, int, int, bool]:
    """(strong NEG mask, weak NEG mask, POS/BODY bits, hidden) of one class/id attribute value.

    Strong: a specific word found anywhere in the value (``related-posts``, ``bdsharebuttonbox``);
    weak: a generic token that is the whole of one class name part (``list``, ``media``, ``top``),
    trusted only below the article's container (see ``extract``)."""
    hit = _token_cache.get(value)
    if hit is not None:
        return hit
    low = value.lower()
    tokens = set(_TOKEN_SPLIT.split(_CAMEL.sub(" ", value).lower()))
    tokens.discard("")
    strong = weak = 0
    for name, (exact, subs) in _NEG_VOCAB.items():
        if any(sub in low for sub in subs):
            strong |= NEG[name]
        elif tokens & _EXACT[name]:
            weak |= NEG[name]
    pos = POS if tokens & _POS_EXACT or any(sub in low for sub in _POS_VOCAB[1]) else 0
    if any(sub in low for sub in _STRONG_BODY):
        pos |= BODY
    hidden = bool(set(low.split()) & _HIDDEN_CLASS)
    out = (strong, weak, pos, hidden)
    if len(_token_cache) < 50_000:
        _token_cache[value] = out
    return out


CLASS_INFO: dict[tuple[str | None, str | None], tuple[int, int, int, bool, str | None]] = {}


def class_info(cls: str | None, ident: str | None) -> tuple[int, int, int, bool, str | None]:
    """(strong NEG mask, weak NEG mask, POS/BODY bits, hidden, metadata field) of an element's class
    and id together: :func:`_classify` of each, :func:`_field_of` of both, one cached look-up."""
    strong = weak = pos = 0
    hidden = False
    for value in (cls, ident):
        if value:
            st, wk, ps, hd = _classify(value)
            strong |= st
            weak |= wk
            pos |= ps
            hidden = hidden or hd
    out = (strong, weak, pos, hidden, _field_of(cls or "", ident or ""))
    if len(CLASS_INFO) < 50_000:
        CLASS_INFO[(cls, ident)] = out
    return out


_EXACT = {name: frozenset(exact) for name, (exact, _) in _NEG_VOCAB.items()}
_POS_EXACT = frozenset(_POS_VOCAB[0])


_NOT_FIELD = frozenset({"photo", "foto", "img", "image", "pic", "picture", "caption", "gallery", "video", "thumb",
                        "tag", "tags", "avatar"})
_field_cache: dict[tuple[str, str], str | None] = {}


_CENTER_TOKENS = frozenset({"center", "centre", "centered", "centred", "aligncenter", "textcenter", "tc", "tac"})
_center_cache: dict[str, bool] = {}


def centred_class(cls: str) -> bool:
    """``f_center``, ``text-center``, ``aligncenter``: a class that centres the block."""
    hit = _center_cache.get(cls)
    if hit is None:
        hit = bool(set(_TOKEN_SPLIT.split(_CAMEL.sub(" ", cls).lower())) & _CENTER_TOKENS) or "text-center" in cls.lower()
        if len(_center_cache) < 20_000:
            _center_cache[cls] = hit
    return hit


def _field_of(cls: str, ident: str) -> str | None:
    """The metadata field an element's class/id names (``post-author`` → author), or None."""
    key = (cls, ident)
    if key in _field_cache:
        return _field_cache[key]
    tokens = set(_TOKEN_SPLIT.split(_CAMEL.sub(" ", f"{cls} {ident}").lower())) - {""}
    low = f"{cls} {ident}".lower()
    out = None
    if tokens & _NOT_FIELD:
        tokens = set()  # "photo__source", "td-post-source-tags": a picture's credit, a list of tags
        low = ""
    for name, words in _FIELD_WORDS:
        if tokens & set(words) or any(len(w) > 4 and w in low for w in words):
            out = name
            break
    if len(_field_cache) < 20_000:
        _field_cache[key] = out
    return out
