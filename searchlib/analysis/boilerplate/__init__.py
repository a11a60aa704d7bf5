"""Boilerplate filtering for scraped news pages (Chinese Simplified/Traditional, English, Indonesian).

A scraped page arrives as plain text, one paragraph or piece of chrome per line.  :func:`clean`
decides, line by line, whether the line is article text (kept, reason ``"content"``) or page chrome
(removed, with one of the reasons in :data:`REASONS`), and harvests metadata - title, date, source,
author - from what it removed.

How it decides, without being told the language:

* **Folding.** Every line's head (first 400 characters) is folded for matching: scraped pinyin
  glosses like ``調(diào)`` are dropped, Traditional is folded to Simplified (OpenCC ``t2s``), then
  NFKC and case folding.  Cue lists are therefore written once, in Simplified/lower case
  (:mod:`.cues`).
* **Per-line rules** (:mod:`.rules`): language-neutral shape (amount of text in "units" - a CJK
  character counts 1, a Latin word 2 -, sentence-final punctuation, list markers, quotes, phone
  numbers, dates, times, counters) plus small multilingual cue lists (``来源:``, ``Sumber:``,
  ``Share:``, ``版权所有``, ``Baca Juga:`` ...).  A rule that could match ordinary prose needs a
  strong cue *and* a short line: a body sentence that mentions a phone number, a website or a
  date stays.
* **Page passes** (:mod:`.passes`): summary lines repeated by a later paragraph (or, unlabelled
  under the headline, restated by the first paragraph), teaser lists under a related-articles
  header or bulleted below the article, captions glued to image markers, the site's masthead (short lines above the first menu/breadcrumb,
  "Name — motto" included, or above a headline confirmed by its byline), a short section path
  under the top chrome ("News / Rural", "Nasional > Cuaca"), the headline (only on pages that show
  other chrome; both lines of a two-line headline),
  templates learned across the collection (:class:`BoilerplateModel`), weaker cues trusted only
  below the last paragraph (author bio, tip line, "follow us", an ad with a phone number), and
  short label-like lines glued to chrome after the last paragraph (event ads).
* **Learned pass** (:mod:`.learned`): a small softmax line classifier, trained on labelled pages
  (``corpus/train_line_model.py``, weights in ``line_model.json``), scores the lines the rules kept
  from their shape, position and neighbours and removes the ones it finds to be chrome (numbered
  "most read" lists, unrepeated summaries, site names).  It never touches a line that reads as
  article prose, never removes a headline, and only runs on pages where the rules found chrome;
  ``clean(text, learned=False)`` gives the rules alone.
* **The article's own structure** (:func:`.structure.keep_article_structure`, last, after the learned
  pass): the signature block of an official notice or letter under its last sentence ("县医疗保障局"
  / "2024年10月9日", "Ambon, 11 Maret 2024" / office / "ttd." / name) and the items of a list that
  a paragraph introduces with a colon are kept, whatever per-line cue (a WhatsApp mention, a
  caption-like phrase) removed them.
* **When unsure, keep.**  Every pass only removes on positive evidence; lines never match a rule
  by being short alone.

Cleaning is linear in the input: rules only look at bounded line heads, every regular expression
is free of nested quantifiers, and page passes use hashing, not pairwise comparison.  Because the
evidence for every removal disappears with the removed lines, ``clean(clean(x).text)`` keeps every
line (without a model; with a model this holds for ordinary pages).
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from searchlib.analysis.boilerplate import blocks, cues, headline, metadata, passes, rules, structure
from searchlib.analysis.boilerplate import learned as learned_pass
from searchlib.analysis.boilerplate.model import BoilerplateModel

__all__ = ["HARVESTED_FIELDS", "REASONS", "BoilerplateModel", "Cleaned", "Line", "clean"]

HARVESTED_FIELDS = metadata.FIELDS  # title, date, author, editor, source, url, lang
REASONS = ("content", "title", "summary-duplicate", "credit", "navigation", "byline", "caption",
           "contact", "disclaimer", "related-list", "advertisement", "repeated-template", "empty")


@dataclass(frozen=True)
class Line:
    """One input line: ``text == source[start:end]`` (surrounding whitespace excluded)."""

    text: str
    kept: bool
    reason: str
    start: int
    end: int


@dataclass(frozen=True)
class Cleaned:
    text: str                                   # kept lines joined with "\n"
    lines: list[Line] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def removed(self) -> list[Line]:
        return [line for line in self.lines if not line.kept]

    def document(self, id: str | None = None, **extra: str) -> dict[str, str]:  # noqa: A002 - the field's name
        """The index document this page becomes: the kept text as ``body``, the harvested
        metadata as fields (``title`` always present), ``extra`` winning. Without ``id`` the
        page's id is derived (:meth:`derived_id`)."""
        doc: dict[str, str] = {"id": id if id is not None else self.derived_id(extra.get("url"))}
        for key in HARVESTED_FIELDS:
            value = self.metadata.get(key)
            if isinstance(value, str) and value:
                if key == "date" and not _FULL_DATE.match(value):
                    continue  # a date without its year ("--05-12") is not a date an index can use
                doc[key] = value
        doc.setdefault("title", "")
        doc["body"] = self.text
        doc.update(extra)
        return doc

    def derived_id(self, url: str | None = None) -> str:
        """An id for a page given none: its canonical URL (``url``, else the harvested one), else
        ``sha256:`` and a hash of its title and kept text (a page with no text left is hashed
        whole)."""
        url = url or self.metadata.get("url")
        if isinstance(url, str) and url.strip():
            return url.strip()
        title = self.metadata.get("title", "")
        basis = f"{title}\n{self.text}" if self.text.strip() else "\n".join(line.text for line in self.lines)
        return "sha256:" + hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()[:32]


_FULL_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def clean(text: str, model: BoilerplateModel | None = None, learned: bool = True) -> Cleaned:
    """Split ``text`` into lines (on ``\\n``), keep article text, drop and explain the rest.

    ``learned=False`` leaves the learned line classifier out (the rules and the final structure
    pass only).
    """
    if not isinstance(text, str):
        raise TypeError(f"clean() takes str, got {type(text).__name__}")
    if model is not None and not isinstance(model, BoilerplateModel):
        raise TypeError(f"model must be a BoilerplateModel or None, got {type(model).__name__}")
    if not text:
        return Cleaned("", [], {})
    spans = list(_line_spans(text))
    page = _build_page([text[s:e] for s, e in spans])
    _decide(page, model)
    line_model = learned_pass.default_model() if learned else None
    if line_model is not None:
        page.rule_reasons = list(page.reasons)
        learned_pass.apply(page, line_model)
    structure.keep_article_structure(page)
    headline.keep_without_chrome(page)
    lines = [Line(t, r is None, r or "content", s, e)
             for t, r, (s, e) in zip(page.texts, page.reasons, spans)]
    kept = "\n".join(line.text for line in lines if line.kept)
    meta = metadata.harvest(page.texts, page.folded, page.reasons, page.title, page.title_text)
    if "title" not in meta:
        first = headline.leading_headline(page)
        if first is not None:  # a page without chrome still has its headline (kept in the text)
            meta = {"title": metadata.strip_site(page.texts[first].strip()), **meta}
    return Cleaned(kept, lines, meta)


def _line_spans(text: str) -> Iterable[tuple[int, int]]:
    """(start, end) of every ``\\n``-separated line, whitespace trimmed."""
    pos = 0
    while True:
        nl = text.find("\n", pos)
        stop = len(text) if nl < 0 else nl
        segment = text[pos:stop]
        core = segment.strip()
        if core:
            start = pos + (len(segment) - len(segment.lstrip()))
            yield start, start + len(core)
        else:
            yield pos, pos
        if nl < 0:
            return
        pos = nl + 1


def rules_page(text: str, model: BoilerplateModel | None = None) -> passes.Page:
    """The page as the rules leave it (before the learned pass and the final structure pass,
    :func:`~.structure.keep_article_structure`): what the line model is trained on."""
    page = _build_page([text[s:e] for s, e in _line_spans(text)]) if text else _build_page([])
    _decide(page, model)
    return page


def _build_page(texts: list[str]) -> passes.Page:
    folded = cues.fold_heads(texts)
    long = [len(t) > cues.HEAD for t in texts]
    n_units = [max(cues.units(f), 200) if lg else cues.units(f) for f, lg in zip(folded, long)]
    ellipsis = [cues.ends_ellipsis(t[-16:]) for t in texts]
    reasons: list[str | None] = ["empty" if not t else None for t in texts]
    return passes.Page(texts, folded, n_units, long, ellipsis, reasons)


def _decide(page: passes.Page, model: BoilerplateModel | None) -> None:
    headers = []
    for i, r in enumerate(page.reasons):
        if r is None:
            page.reasons[i] = rules.classify(page.folded[i], page.n_units[i], page.raw_head(i))
            if page.reasons[i] == "related-list":
                headers.append(i)
    passes.mark_summaries(page)
    passes.mark_related_lists(page, headers)
    blocks.mark_headed_blocks(page)
    passes.mark_captions(page)
    passes.mark_masthead(page)
    passes.mark_section_paths(page)
    headline.mark_title(page, model)
    passes.mark_standfirst(page)
    if model is not None:
        passes.mark_templates(page, model)
    blocks.mark_author_bio(page)
    passes.mark_after_article(page)
    passes.mark_after_ad_label(page)
    passes.mark_tail_teasers(page)
    passes.absorb_tail(page)
