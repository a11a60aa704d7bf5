"""HTML pages: DOM-aware article extraction and typed metadata (see :mod:`.extract`).

``clean_html(markup)`` is :func:`searchlib.clean` for HTML: the same :class:`Cleaned` result (kept
text, every block as a line with its decision and reason, metadata). ``clean_page(raw)`` picks the
right one for a raw page whatever it holds.
"""
from __future__ import annotations

import re

from searchlib.analysis.html.charset import as_text, decode_page
from searchlib.analysis.html.dom import parse
from searchlib.analysis.html.extract import HtmlPage, extract

__all__ = ["HtmlPage", "as_text", "clean_html", "clean_page", "decode_page", "extract", "html_text", "looks_like_html", "parse"]

_HTML_START = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|meta\s|title>)",
                         re.IGNORECASE | re.DOTALL)


def clean_html(markup: str | bytes, model=None, learned: bool = True, url: str | None = None):  # type: ignore[no-untyped-def]
    """Article text, per-block decisions and metadata of an HTML page (a ``Cleaned``); bytes are
    decoded with the charset the page declares or shows (:func:`as_text`)."""
    return extract(markup, model, learned, url).cleaned


def looks_like_html(text: str) -> bool:
    """True for a document that starts like an HTML page (doctype, ``<html>``, ``<head>``...)."""
    return bool(_HTML_START.match(text[:2000]))


def clean_page(raw: str | bytes, model=None, kind: str = "auto"):  # type: ignore[no-untyped-def]
    """``clean_html`` for HTML (``kind="html"``, or ``"auto"`` and it looks like HTML), else the
    text filter (:func:`searchlib.clean`). Bytes are decoded first (:func:`as_text`)."""
    if kind not in ("auto", "html", "text"):
        raise ValueError(f"kind must be 'auto', 'html' or 'text', got {kind!r}")
    raw = as_text(raw)
    if kind == "html" or kind == "auto" and looks_like_html(raw):
        return clean_html(raw, model)
    from searchlib.analysis.boilerplate import clean

    return clean(raw, model)


def html_text(markup: str | bytes) -> tuple[str, str]:
    """``(text, title)`` of a page without any cleaning: every visible block, one per line
    (scripts, styles, hidden elements left out), and its ``<title>``."""
    dom = parse(as_text(markup), skip_chrome=False)
    return "\n".join(b.text for b in dom.blocks), dom.title
