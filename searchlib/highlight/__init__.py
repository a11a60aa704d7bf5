"""Highlighting: the query's terms and phrases marked on the original text, and snippets.

```python
from searchlib.highlight import Highlighter
h = Highlighter(analyzer, terms=["工程机械", "czt"], phrases=["产业集群"])   # once per query
h.spans(text)                                   # [(start, end), ...] in the ORIGINAL text
h.snippet(text, format="text"|"html"|"ansi", max_chars=240)   # shown without inline pinyin
display_text("調(diào)研")                          # "調研": titles and other stored text as shown
```
Matching: :mod:`searchlib.highlight.highlighter`; windows: :mod:`searchlib.highlight.snippets`;
formats: :mod:`searchlib.highlight.format`; text as shown: :mod:`searchlib.highlight.display`.
"""
from __future__ import annotations

from searchlib.highlight.display import Display, display_text
from searchlib.highlight.format import FORMATS, color_enabled
from searchlib.highlight.highlighter import DocumentMatches, Highlighter
from searchlib.highlight.snippets import Match

__all__ = ["FORMATS", "Display", "DocumentMatches", "Highlighter", "Match", "color_enabled", "display_text"]
