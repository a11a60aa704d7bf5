"""Blocks whose header says what they are (a page-level pass, after the per-line rules): the
comment thread under its header, the author's bio under "About the author", the bullets of a
key-points box above the article."""
from __future__ import annotations

import re

from searchlib.analysis.boilerplate import cues as c
from searchlib.analysis.boilerplate.page import Page

__all__ = ["mark_headed_blocks"]

_COMMENT_LINE = re.compile(r"^[^\s:：]{1,20}(?:\s*(?:回复|reply|replied|balas|membalas)\s*[^\s:：]{1,20})?\s*[:：]\s*\S")
_ABOUT_AUTHOR = re.compile(r"^[\[【]?\s*(?:关于作者|作者简介|作者介绍|about the (?:author|writer)|tentang penulis|profil penulis)"
                           r"\s*[\]】]?\s*[:：]?$")


def mark_headed_blocks(page: Page) -> None:
    """Blocks whose header says what they are: the ``name: comment`` lines of a thread under its
    header (``热门评论``, ``留言(3)``, ``Comments``); the author's bio under ``关于作者`` / ``About
    the author``; the bullets of a key-points box (``Key points``, ``要点``) above the article."""
    n = len(page.texts)
    first_prose = next((i for i in range(n) if page.reasons[i] is None and page.prose(i)), n)
    for i in range(n):
        if page.reasons[i] == "empty" or page.long[i]:
            continue
        f = page.folded[i].strip()
        if page.reasons[i] == "navigation" and c.COMMENTS.match(f):
            for j in range(i + 1, n):
                if page.reasons[j] == "empty":
                    break
                if page.long[j] or page.n_units[j] > 80 or not _COMMENT_LINE.match(page.folded[j]):
                    break
                if page.reasons[j] is None:
                    page.reasons[j] = "navigation"
        elif _ABOUT_AUTHOR.match(f):
            page.reasons[i] = page.reasons[i] or "credit"
            j = page.non_empty(range(i + 1, n))
            if j is not None and page.reasons[j] is None and page.n_units[j] <= 120:
                page.reasons[j] = "credit"
        elif i < first_prose and page.reasons[i] in (None, "summary-duplicate"):
            m = c.SUMMARY_PREFIX.match(f)
            if m is None or m.end() < len(f):
                continue  # "Key points" alone: a box label, its bullets follow
            for j in range(i + 1, first_prose):
                if page.reasons[j] == "empty":
                    continue
                fj = page.folded[j]
                if page.reasons[j] is not None or not (c.bullet(fj) > 0 or c.is_list_item(fj)):
                    break
                page.reasons[j] = "summary-duplicate"
            page.reasons[i] = page.reasons[i] or "summary-duplicate"
