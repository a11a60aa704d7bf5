"""Formatters: render snippet pieces ``(text, marked)`` as plain text, HTML or ANSI.

* ``text``: matches between ``**`` (Markdown bold): readable on any terminal or log without colour,
  and unlikely in news text (``【】`` and ``[]`` are common punctuation there). Control characters of
  the document (escape sequences included) show as U+FFFD so printing a snippet cannot drive the
  terminal.
* ``html``: document text escaped with :func:`html.escape` (``<script>`` comes out inert, quotes
  too, so a snippet is safe in element content and attribute values); matches in ``<mark>``.
* ``ansi``: matches in bold red (``ESC[1;31m`` … ``ESC[0m``, like grep), control characters
  replaced as for ``text``. ``color=None`` decides from the environment (:func:`color_enabled`);
  without colour the output is the ``text`` format, so matches stay visible.
"""
from __future__ import annotations

import html
import os
import re
import sys
from collections.abc import Sequence
from typing import IO, Any

__all__ = ["ANSI_END", "ANSI_MATCH", "FORMATS", "color_enabled", "format_ansi", "format_html", "format_text", "render"]

FORMATS = ("text", "html", "ansi")
TEXT_OPEN = TEXT_CLOSE = "**"
ANSI_MATCH = "\x1b[1;31m"
ANSI_END = "\x1b[0m"

Piece = tuple[str, bool]

# C0/C1 controls (ESC included), DEL, and bidi overrides/isolates that could reorder what follows.
_UNSAFE_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _safe(text: str) -> str:
    return _UNSAFE_RE.sub("\ufffd", text)


def color_enabled(stream: IO[Any] | None = None) -> bool:
    """Whether to colour output: not when ``NO_COLOR`` is set (and not empty, per no-color.org) or
    ``TERM=dumb``, and only when ``stream`` (default ``sys.stdout``) is a terminal."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("TERM") == "dumb":
        return False
    stream = sys.stdout if stream is None else stream
    try:
        return bool(stream is not None and stream.isatty())
    except (AttributeError, ValueError, OSError):  # closed or replaced streams
        return False


def format_text(pieces: Sequence[Piece], open: str = TEXT_OPEN, close: str = TEXT_CLOSE) -> str:
    """Plain text; matches between ``open`` and ``close`` (``**`` by default)."""
    if _UNSAFE_RE.search(open + close):  # markers with escape codes: keep them, clean the text only
        return _wrap(_safe_pieces(pieces), open, close)
    out = _wrap(pieces, open, close)
    return _safe(out) if _UNSAFE_RE.search(out) else out


def _wrap(pieces: Sequence[Piece], open: str, close: str) -> str:
    return "".join([f"{open}{t}{close}" if marked else t for t, marked in pieces])


def _safe_pieces(pieces: Sequence[Piece]) -> Sequence[Piece]:
    if any(_UNSAFE_RE.search(t) for t, _ in pieces):
        return [(_safe(t), marked) for t, marked in pieces]
    return pieces


def format_html(pieces: Sequence[Piece]) -> str:
    """HTML: escaped text, matches in ``<mark>``."""
    return "".join([f"<mark>{html.escape(t)}</mark>" if marked else html.escape(t) for t, marked in pieces])


def format_ansi(pieces: Sequence[Piece], color: bool | None = None) -> str:
    """Terminal text: matches in bold red; ``color=None`` → :func:`color_enabled`; no colour →
    :func:`format_text`."""
    if color is None:
        color = color_enabled()
    if not color:
        return format_text(pieces)
    return _wrap(_safe_pieces(pieces), ANSI_MATCH, ANSI_END)


def render(pieces: Sequence[Piece], format: str = "text", *, color: bool | None = None) -> str:
    """Render ``pieces`` in ``format`` (one of :data:`FORMATS`)."""
    if format == "text":
        return format_text(pieces)
    if format == "html":
        return format_html(pieces)
    if format == "ansi":
        return format_ansi(pieces, color)
    raise ValueError(f"unknown snippet format {format!r}; choose one of {', '.join(FORMATS)}")
