#!/usr/bin/env python3
"""Check the gold files of this set (standard library only).

For every <stem>.gold.json next to this script:
  * the JSON parses and has exactly the keys title, date, author, editor,
    source, site, url, lang, body - in that order;
  * date is null or YYYY-MM-DD (and a real calendar date);
  * author / editor are null or non-empty strings; source, site, url, lang,
    title and body are non-empty strings; lang is zh / en / id;
  * the title and every body line occur in the visible text of <stem>.html
    (all whitespace removed on both sides);
  * body length is within range (Chinese: 400-1000 characters without
    whitespace; English/Indonesian: 250-550 words).
Visible text = text outside <head>, <script>, <style>, <noscript>,
<template>, <svg> and elements carrying the hidden attribute, aria-hidden="true"
or an inline display:none.
Prints every problem and exits 1 if any were found.
"""
import datetime
import glob
import json
import os
import re
import sys
from collections import OrderedDict
from html.parser import HTMLParser

KEYS = ["title", "date", "author", "editor", "source", "site", "url", "lang", "body"]
SKIP_TAGS = {"head", "script", "style", "noscript", "template", "svg", "title"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "param", "source", "track", "wbr", "amp-img"}
WS = re.compile(r"\s+")


class Visible(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []          # (tag, hidden?)
        self.parts = []

    def _hidden_now(self):
        return any(h for _, h in self.stack)

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        a = dict(attrs)
        style = (a.get("style") or "").replace(" ", "").lower()
        hidden = (tag in SKIP_TAGS or "hidden" in a or a.get("aria-hidden") == "true"
                  or "display:none" in style)
        self.stack.append((tag, hidden))

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        # pop up to the matching tag (tolerates unclosed <p>, <li>, ...)
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        if not self._hidden_now():
            self.parts.append(data)


def visible_text(path):
    p = Visible()
    with open(path, encoding="utf-8") as f:
        p.feed(f.read())
    p.close()
    return WS.sub("", "".join(p.parts))


def check(gold_path):
    probs = []
    stem = os.path.basename(gold_path)[: -len(".gold.json")]
    try:
        with open(gold_path, encoding="utf-8") as f:
            g = json.load(f, object_pairs_hook=OrderedDict)
    except Exception as e:  # noqa
        return [f"{stem}: JSON does not parse: {e}"]
    if list(g.keys()) != KEYS:
        probs.append(f"{stem}: keys {list(g.keys())} != {KEYS}")
    d = g.get("date")
    if d is not None:
        if not (isinstance(d, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", d)):
            probs.append(f"{stem}: bad date {d!r}")
        else:
            try:
                datetime.date.fromisoformat(d)
            except ValueError:
                probs.append(f"{stem}: impossible date {d!r}")
    for k in ("author", "editor"):
        v = g.get(k)
        if v is not None and not (isinstance(v, str) and v.strip()):
            probs.append(f"{stem}: {k} must be null or a non-empty string")
    for k in ("title", "source", "site", "url", "lang", "body"):
        v = g.get(k)
        if not (isinstance(v, str) and v.strip()):
            probs.append(f"{stem}: {k} must be a non-empty string")
    lang = g.get("lang")
    if lang not in ("zh", "en", "id"):
        probs.append(f"{stem}: lang {lang!r} not zh/en/id")
    if isinstance(g.get("url"), str) and not re.match(r"https?://", g["url"]):
        probs.append(f"{stem}: url is not absolute")
    html_path = os.path.join(os.path.dirname(gold_path), stem + ".html")
    if not os.path.exists(html_path):
        return probs + [f"{stem}: {stem}.html missing"]
    vis = visible_text(html_path)
    title = g.get("title") or ""
    if WS.sub("", title) not in vis:
        probs.append(f"{stem}: title not in visible text: {title}")
    body = g.get("body") or ""
    for i, line in enumerate(body.split("\n"), 1):
        l = WS.sub("", line)
        if not l:
            probs.append(f"{stem}: body line {i} is empty")
        elif l not in vis:
            probs.append(f"{stem}: body line {i} not in visible text: {line[:60]}")
    if lang == "zh":
        n = len(WS.sub("", body))
        if not 400 <= n <= 1000:
            probs.append(f"{stem}: body has {n} characters (want 400-1000)")
    elif lang in ("en", "id"):
        n = len(body.split())
        if not 250 <= n <= 550:
            probs.append(f"{stem}: body has {n} words (want 250-550)")
    return probs


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    golds = sorted(glob.glob(os.path.join(here, "*.gold.json")))
    htmls = sorted(glob.glob(os.path.join(here, "*.html")))
    probs = []
    for h in htmls:
        if not os.path.exists(h[:-5] + ".gold.json"):
            probs.append(f"{os.path.basename(h)}: no gold.json")
    for gp in golds:
        probs.extend(check(gp))
    if "-v" in sys.argv:
        for gp in golds:
            with open(gp, encoding="utf-8") as f:
                g = json.load(f)
            b = g["body"]
            n = len(WS.sub("", b)) if g["lang"] == "zh" else len(b.split())
            print(f"{os.path.basename(gp)[:-10]:14} {g['date']!s:10} {n:5} {g['title'][:30]}")
    for p in probs:
        print(p)
    print(f"{len(golds)} gold files checked, {len(probs)} problem(s)")
    return 1 if probs else 0


if __name__ == "__main__":
    sys.exit(main())
