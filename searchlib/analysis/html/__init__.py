"""HTML pages: DOM-aware article extraction and metadata (see :mod:`.extract`)."""
from __future__ import annotations

from searchlib.analysis.html.extract import HtmlPage, extract

__all__ = ["HtmlPage", "extract"]
