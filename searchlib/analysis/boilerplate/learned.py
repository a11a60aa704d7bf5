"""A small learned line classifier that runs after the rules.

The rules (:mod:`.rules`, :mod:`.passes`) only remove on positive evidence, so what they miss is
chrome without a cue: numbered "most read" lists, summaries without a repeat, bios and captions in
unusual phrasings.  This module scores every line the rules kept with a multinomial logistic
regression (softmax) over ~70 language-neutral features - the rules' own decisions around the line,
its shape, its position relative to the article and its neighbours - and removes it when the
predicted probability of chrome reaches the stored threshold.

When unsure, keep: the model is only asked about *candidates*.  A line that reads as article prose
(a sentence of six units or more, a paragraph, a multi-clause line, a quote, a continuation, a
short line sandwiched between paragraphs, an item of a list a paragraph introduces) is never a
candidate, and the pass only runs on pages where the rules found some chrome (already-cleaned text
has none, which keeps ``clean(clean(x).text)`` stable).  The model never removes a headline: lines
it finds most likely to be a title stay (headlines are :func:`~.headline.mark_title`'s job).

Every feature is computed in time linear in the page: per-line values in one pass, neighbour and
run values in one forward and one backward pass.  The weights live in ``line_model.json`` (plain
JSON, written by ``corpus/train_line_model.py``), loaded once, lazily.
"""
from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from searchlib.analysis.boilerplate import cues as c
from searchlib.analysis.boilerplate import dates as d
from searchlib.analysis.boilerplate import fastre as _fastre
from searchlib.analysis.boilerplate import rules
from searchlib.analysis.boilerplate.passes import Page

MODEL_PATH = Path(__file__).with_name("line_model.json")
FORMAT = "searchlib.boilerplate.line_model"
VERSION = 1
RULE_REASONS = ("content", "title", "summary-duplicate", "credit", "navigation", "byline", "caption",
                "contact", "disclaimer", "related-list", "advertisement", "repeated-template")
KEEP_CLASSES = ("content", "title")   # predicted classes that keep the line

_SHORT = 12                 # units: a label, a menu entry, a subheading
_PROSE_UNITS = 6            # a sentence this long is article text, whatever the model says
_MULTI_CLAUSE_UNITS = 24    # a line this long with a sentence break inside is article text
_ITEM_UNITS = 40            # a list item: at most this long
_DECK_UNITS = 16            # a line under the headline this long is its deck, not chrome
_NUMBERED_BARE = re.compile(r"^\d{1,2}\s+\S")        # "1 晋江机场新增..." (no dot after the number)
_URL = re.compile(r"https?://|www\.|\.(?:com|net|org|id|my|ph|sg|in|hk|tw|cn|co)\b")
_DATE = re.compile("|".join(p.pattern for p in (d.DATE_YMD, d.DATE_MD_CJK, d.DATE_DMY, d.DATE_MDY)))
_LATIN = re.compile(r"[^\W\d_]{2,}")
_DIGIT = re.compile(r"\d")
_CLAUSE = re.compile(r"[,，;；、]")
_INNER_STOP = re.compile(r"[。！？!?；;](?=\s*\S)|(?<=[^\W\d_])\.\s+(?=[^\W\d_])")
_LABEL_COLON = re.compile(r"^[^:：。.,，\s]{1,12}(?:\s[^:：。.,，\s]{1,12}){0,2}\s*[:：|｜]")
_NOT_CHROME = frozenset({None, "empty", "title"})
_OPEN = tuple("[【(（<《")
_CLOSE = tuple("]】)）>》")
_WEAK = frozenset({"byline", "credit", "caption", "contact"})


def _enough_chrome(reasons: Sequence[str | None]) -> bool:
    """Whether the rules found chrome to learn from: a line of a strong cue, or two of the weak
    ones (a byline, a credit). What cleaned text still shows of chrome is what the article's
    structure restored, mostly one line (an item of a list that reads as a byline), so the pass
    does not run again on it and cleaning cleaned text changes nothing."""
    weak = 0
    for r in reasons:
        if r in _NOT_CHROME:
            continue
        if r not in _WEAK:
            return True
        weak += 1
        if weak >= 2:
            return True
    return False

FEATURES: tuple[str, ...] = (
    *(f"rule={r}" for r in RULE_REASONS),
    # shape
    "log_units", "units<=4", "units<=12", "units<=30", "units<=60", "ends_sentence", "ends_colon",
    "ellipsis", "quote", "list_item", "bullet", "numbered_bare", "digits", "phone", "date", "time",
    "url", "email", "sep_pipe", "sep_arrow", "sep_slash", "sep_dot", "cap_ratio", "title_case",
    "opens_bracket", "closes_bracket", "cjk_share", "clauses", "summary_label", "label_colon",
    "title_like", "after_article_cue", "byline_signal", "self_word", "reader_word", "commercial",
    "channel", "reporter_word",
    # position
    "rel_pos", "before_article", "after_article", "dist_prose", "first_line", "last_line",
    # neighbours and runs
    "prev_prose", "prev_removed", "prev_short", "prev_listy", "prev_colon", "prev_title",
    "next_prose", "next_removed", "next_short", "next_listy", "listy_run", "short_run",
    # page
    "frac_removed", "log_lines", "no_article",
)


class _Context:
    """Per-line arrays every feature and guard reads, built in one forward and one backward pass."""

    def __init__(self, page: Page) -> None:
        n = len(page.texts)
        self.page = page
        reasons = page.reasons
        self.non_empty = [r != "empty" for r in reasons]
        self.kept = [r is None for r in reasons]
        self.prose = [k and page.prose(i) for i, k in enumerate(self.kept)]
        self.short = [page.n_units[i] <= _SHORT for i in range(n)]
        self.listy = [ne and (c.is_list_item(f) or c.bullet(f) > 0 or bool(_NUMBERED_BARE.match(f)))
                      for ne, f in zip(self.non_empty, page.folded)]
        self.colon = [f.rstrip().endswith(":") for f in page.folded]
        self.prev = [-1] * n
        self.next = [-1] * n
        self.listy_run = [0] * n
        self.short_run = [0] * n       # kept, short, not prose: a block of labels or teasers
        self.dist_prose = [n] * n      # non-empty lines to the nearest kept paragraph
        self.intro_list = [False] * n  # a list item under a kept line ending in a colon
        self.into_prose = [False] * n  # kept lines running (nothing removed between) into a paragraph
        first_prose = next((i for i, p in enumerate(self.prose) if p), n)
        last, since_prose, run_l, run_s = -1, n, 0, 0
        fwd_l, fwd_s = [0] * n, [0] * n
        for i in range(n):
            if not self.non_empty[i]:
                continue
            self.prev[i] = last
            if last >= 0:
                self.next[last] = i
            since_prose = 0 if self.prose[i] else since_prose + 1
            self.dist_prose[i] = since_prose
            run_l = run_l + 1 if self.listy[i] else 0
            run_s = run_s + 1 if self._shortish(i) else 0
            fwd_l[i], fwd_s[i] = run_l, run_s
            if last >= 0 and (self.listy[i] or self.kept[i] and page.n_units[i] <= _ITEM_UNITS):
                self.intro_list[i] = self._introduced(i, last, first_prose)
            last = i
        since_prose, run_l, run_s, below = n, 0, 0, -1
        for i in range(n - 1, -1, -1):
            if not self.non_empty[i]:
                continue
            self.into_prose[i] = self.kept[i] and below >= 0 and (self.prose[below] or self.into_prose[below])
            if reasons[i] != "caption":  # an image and its caption inside the article do not end its flow
                below = i
            since_prose = 0 if self.prose[i] else since_prose + 1
            self.dist_prose[i] = min(self.dist_prose[i], since_prose)
            run_l = run_l + 1 if self.listy[i] else 0
            run_s = run_s + 1 if self._shortish(i) else 0
            self.listy_run[i] = fwd_l[i] + run_l - 1 if self.listy[i] else 0
            self.short_run[i] = fwd_s[i] + run_s - 1 if self._shortish(i) else 0
        prose_at = [i for i, p in enumerate(self.prose) if p]
        self.span = (prose_at[0], prose_at[-1]) if prose_at else None
        rank, k = [0] * n, 0
        for i in range(n):
            rank[i] = k
            k += self.non_empty[i]
        self.rank, self.n_lines = rank, max(k, 1)
        removed = sum(ne and not kp for ne, kp in zip(self.non_empty, self.kept))
        self.frac_removed = removed / self.n_lines
        self.has_chrome = any(r not in _NOT_CHROME for r in reasons)

    def _introduced(self, i: int, last: int, first_prose: int) -> bool:
        """Line ``i`` is an item of a list that the kept line above introduces with a colon:
        list-marked items under any such line, or unmarked items ("古美路街道:平南路228号")
        under a phrase of the article ("5家新食堂地址如下:"); later lines continue the list
        while they keep its marking, up to the first that ends a sentence ("快去尝尝吧!")."""
        if self.kept[last] and self.colon[last]:
            return self.listy[i] or (last > first_prose and self.page.n_units[last] >= _PROSE_UNITS)
        if not self.intro_list[last]:
            return False
        if self.listy[i]:
            return self.listy[last]
        return not self.listy[last] and not _ends_sentence(self.page.folded[last])

    def _shortish(self, i: int) -> bool:
        return self.kept[i] and self.short[i] and not self.prose[i]


def _guarded(ctx: _Context, i: int) -> bool:
    """Article prose by shape: never a candidate for the learned pass."""
    page = ctx.page
    f, n = page.folded[i], page.n_units[i]
    labelled = bool(c.SUMMARY_PREFIX.match(f))  # "导读:", "Ringkasan:": a label, not the article's voice
    if page.long[i] or (ctx.prose[i] and not labelled) or c.is_quote(f) or page.texts[i][:1].islower():
        return True
    if not labelled and _ends_sentence(f) and n >= _PROSE_UNITS:
        return True
    if not labelled and n >= _MULTI_CLAUSE_UNITS and _INNER_STOP.search(f):
        return True
    p, q = ctx.prev[i], ctx.next[i]
    if p >= 0 and page.reasons[p] == "title" and n >= _DECK_UNITS:
        return True  # a deck under the headline: the article's own summary of itself
    if p >= 0 and ctx.prose[p] and (q >= 0 and ctx.prose[q] or _ends_sentence(f)):
        return True  # a subheading or quote between paragraphs, or "he said." under one
    if ctx.colon[i] and n >= _PROSE_UNITS and q >= 0 and ctx.kept[q] and (ctx.listy[q] or ctx.prose[q]):
        return True  # "下一步將重點做好三件事:" introducing a list or a paragraph
    if ctx.span is not None and ctx.span[0] < i < ctx.span[1] and ctx.into_prose[i]:
        return True  # a subheading or list inside the article, leading into a paragraph
    return ctx.intro_list[i]


def _ends_sentence(f: str) -> bool:
    return c.ends_sentence(f) and not f.rstrip().endswith(":")


def candidates(page: Page, ctx: _Context | None = None) -> list[int]:
    """Lines the learned pass may remove: kept by the rules, not article prose by shape."""
    ctx = ctx or _Context(page)
    if not ctx.has_chrome:
        return []
    return [i for i in range(len(page.texts)) if ctx.kept[i] and ctx.non_empty[i] and not _guarded(ctx, i)]


def line_features(page: Page, rows: Sequence[int] | None = None, ctx: _Context | None = None) -> np.ndarray:
    """The feature matrix (``len(rows)`` x ``len(FEATURES)``) of ``page`` as the rules left it.

    ``rows`` defaults to every line.  ``page.reasons`` must hold the rules' decisions (before the
    learned pass).
    """
    ctx = ctx or _Context(page)
    rows = range(len(page.texts)) if rows is None else rows
    out = np.zeros((len(rows), len(FEATURES)), dtype=np.float64)
    for r, i in enumerate(rows):
        out[r] = _row(ctx, i)
    return out


_ONE_HOT = {reason: k for k, reason in enumerate(RULE_REASONS)}
_ARROW = re.compile("[>»›]")
_DOT = re.compile("[·•]")
# cue searches skipped on a Latin-script line without a word a match must hold (see fastre.screened)
_self_word, _reader_word, _commercial, _prompt_channel_weak, _credit_reporter = (
    _fastre.screened(p) for p in (c.SELF_WORD, c.READER_WORD, c.COMMERCIAL, c.PROMPT_CHANNEL_WEAK, c.CREDIT_REPORTER))


def _row(ctx: _Context, i: int) -> list[float]:
    page = ctx.page
    f, raw, n = page.folded[i], page.raw_head(i), page.n_units[i]
    onehot = [0.0] * len(RULE_REASONS)
    reason = page.reasons[i]
    if reason != "empty":
        onehot[_ONE_HOT.get(reason or "content", 0)] = 1.0
    words = _LATIN.findall(raw)
    caps = sum(w[0].isupper() for w in words)
    cjk = c.han_count(f)
    stripped = f.strip()
    digits = bool(_DIGIT.search(f))  # every date, time, phone and counter needs one: skip them if none
    shape = [
        math.log1p(n), n <= 4, n <= 12, n <= 30, n <= 60, _ends_sentence(f), ctx.colon[i],
        page.ellipsis[i], c.is_quote(f), c.is_list_item(f), c.bullet(f) > 0, bool(_NUMBERED_BARE.match(f)),
        digits, digits and bool(c.PHONE.search(f)), digits and bool(_DATE.search(f)),
        digits and bool(d.TIME.search(f)), "." in f and bool(_URL.search(f)),
        "@" in f and bool(c.EMAIL.search(f)), "|" in f, bool(_ARROW.search(f)),
        "/" in f, bool(_DOT.search(f)), caps / len(words) if words else 0.0,
        len(words) >= 2 and caps == len(words), stripped.startswith(_OPEN), stripped.endswith(_CLOSE),
        cjk / n if n else 0.0, min(len(_CLAUSE.findall(f)), 4) / 4, bool(c.SUMMARY_PREFIX.match(f)),
        bool(_LABEL_COLON.match(stripped)), page.title_like(i),
        rules.classify_after_article(raw, f, n) is not None, digits and d.has_byline_signal(f),
        bool(_self_word(f)), bool(_reader_word(f)), bool(_commercial(f)),
        bool(_prompt_channel_weak(f)), bool(_credit_reporter(f)),
    ]
    span = ctx.span
    rank = ctx.rank[i]
    position = [
        rank / ctx.n_lines, span is not None and i < span[0], span is not None and i > span[1],
        math.log1p(min(ctx.dist_prose[i], 50)), ctx.prev[i] < 0, ctx.next[i] < 0,
    ]
    p, q = ctx.prev[i], ctx.next[i]
    neighbours = [
        p >= 0 and ctx.prose[p], p >= 0 and not ctx.kept[p], p >= 0 and ctx.short[p],
        p >= 0 and ctx.listy[p], p >= 0 and ctx.colon[p] and ctx.kept[p],
        p >= 0 and page.reasons[p] == "title",
        q >= 0 and ctx.prose[q], q >= 0 and not ctx.kept[q], q >= 0 and ctx.short[q],
        q >= 0 and ctx.listy[q], math.log1p(ctx.listy_run[i]), math.log1p(ctx.short_run[i]),
    ]
    whole = [ctx.frac_removed, math.log1p(ctx.n_lines), span is None]
    return onehot + [float(v) for v in (*shape, *position, *neighbours, *whole)]


class LineModel:
    """Softmax regression over :data:`FEATURES` with a removal threshold; JSON data only."""

    def __init__(self, classes: Sequence[str], mean: np.ndarray, scale: np.ndarray, weights: np.ndarray,
                 bias: np.ndarray, threshold: float, info: dict | None = None) -> None:
        self.classes = tuple(classes)
        self.mean = np.asarray(mean, dtype=np.float64)
        self.scale = np.asarray(scale, dtype=np.float64)
        self.weights = np.asarray(weights, dtype=np.float64)
        self.bias = np.asarray(bias, dtype=np.float64)
        self.threshold = float(threshold)
        self.info = dict(info or {})
        k, nf = len(self.classes), len(FEATURES)
        if "content" not in self.classes or len(set(self.classes)) != k or k < 2:
            raise ValueError("LineModel classes must be distinct and include 'content'")
        if not set(self.classes) <= set(RULE_REASONS):
            raise ValueError(f"unknown LineModel classes: {sorted(set(self.classes) - set(RULE_REASONS))}")
        if self.mean.shape != (nf,) or self.scale.shape != (nf,) or self.weights.shape != (nf, k) \
                or self.bias.shape != (k,):
            raise ValueError("LineModel arrays do not match the feature and class counts")
        if not all(np.isfinite(a).all() for a in (self.mean, self.scale, self.weights, self.bias)) \
                or (self.scale <= 0).any() or not 0.0 < self.threshold <= 1.0:
            raise ValueError("LineModel numbers must be finite, scales positive, threshold in (0, 1]")
        self._keep = np.array([cl in KEEP_CLASSES for cl in self.classes])
        self._title = self.classes.index("title") if "title" in self.classes else -1

    def proba(self, x: np.ndarray) -> np.ndarray:
        """Class probabilities, one row per feature row."""
        z = ((x - self.mean) / self.scale) @ self.weights + self.bias
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def decide(self, x: np.ndarray) -> list[str | None]:
        """The removal reason per row, ``None`` to keep."""
        if not len(x):
            return []
        p = self.proba(x)
        remove = p[:, ~self._keep].sum(axis=1).tolist()
        bests = p.argmax(axis=1).tolist()  # (every row's argmax at once: the same answers, one call)
        removal = np.where(self._keep, -1.0, p).argmax(axis=1).tolist()
        out: list[str | None] = []
        for best, pr, reason in zip(bests, remove, removal):
            if pr < self.threshold or best == self._title:
                out.append(None)  # unsure, or most likely the headline: keep
                continue
            out.append(self.classes[reason])
        return out

    def to_dict(self) -> dict:
        return {"format": FORMAT, "version": VERSION, "features": list(FEATURES),
                "classes": list(self.classes), "threshold": self.threshold,
                "mean": self.mean.tolist(), "scale": self.scale.tolist(),
                "weights": self.weights.tolist(), "bias": self.bias.tolist(), "info": self.info}

    @classmethod
    def from_dict(cls, data: dict) -> LineModel:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("not a serialized LineModel (missing or wrong 'format')")
        if data.get("version") != VERSION:
            raise ValueError(f"unsupported LineModel version {data.get('version')!r}; expected {VERSION}")
        if data.get("features") != list(FEATURES):
            raise ValueError("LineModel was trained on other features; retrain it")
        try:
            return cls(data["classes"], np.array(data["mean"], dtype=np.float64),
                       np.array(data["scale"], dtype=np.float64), np.array(data["weights"], dtype=np.float64),
                       np.array(data["bias"], dtype=np.float64), float(data["threshold"]), data.get("info"))
        except (KeyError, TypeError) as exc:
            raise ValueError(f"malformed LineModel: {exc}") from exc

    @classmethod
    def load(cls, path: str | Path = MODEL_PATH) -> LineModel:
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


@functools.cache
def default_model() -> LineModel | None:
    """The shipped model, loaded once; ``None`` if it has not been trained (rules only)."""
    return LineModel.load() if MODEL_PATH.exists() else None


def apply(page: Page, model: LineModel) -> None:
    """Remove the candidates the model scores as chrome (after the rules, before metadata)."""
    if not _enough_chrome(page.reasons):
        return  # no chrome, nothing to learn from (cleaned text stays as it is)
    ctx = _Context(page)
    rows = candidates(page, ctx)
    if not rows:
        return
    for i, reason in zip(rows, model.decide(line_features(page, rows, ctx))):
        if reason is not None:
            page.reasons[i] = reason
