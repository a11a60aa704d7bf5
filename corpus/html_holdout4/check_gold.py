#!/usr/bin/env python3
"""Check the gold files of this page set (standard library only).

Usage: python3 check_gold.py [folder]      (default: the folder of this script)

Checks, for every <stem>.gold.json next to a <stem>.html:
  * the JSON parses and has exactly the keys title, date, author, editor, source,
    site, url, lang, body - in that order;
  * date is null or YYYY-MM-DD (a real calendar date);
  * author/editor are null or non-empty strings; title/source/site/url/body non-empty;
  * lang is zh, en or id;
  * the title and every body line occur in the page's visible text
    (text outside <head>, <script>, <style>, <noscript>, <template>; whitespace removed);
  * body length: 400-1000 characters for zh, 250-550 words for en/id.
Exit status 1 when any problem is found.
"""
import datetime
import glob
import json
import os
import re
import sys
from html.parser import HTMLParser

KEYS = ['title', 'date', 'author', 'editor', 'source', 'site', 'url', 'lang', 'body']
SKIP = {'head', 'script', 'style', 'noscript', 'template'}


class Visible(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in SKIP:
            self.depth += 1

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        if tag in SKIP and self.depth > 0:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth == 0:
            self.parts.append(data)


def squash(s):
    return ''.join(s.split())


def visible_text(path):
    p = Visible()
    with open(path, encoding='utf-8') as f:
        p.feed(f.read())
    p.close()
    return squash(''.join(p.parts))


def check(folder):
    problems = []
    golds = sorted(glob.glob(os.path.join(folder, '*.gold.json')))
    htmls = sorted(glob.glob(os.path.join(folder, '*.html')))
    stems_g = {os.path.basename(g)[:-len('.gold.json')] for g in golds}
    stems_h = {os.path.basename(h)[:-len('.html')] for h in htmls}
    for s in sorted(stems_h - stems_g):
        problems.append(f'{s}: html without gold.json')
    for s in sorted(stems_g - stems_h):
        problems.append(f'{s}: gold.json without html')
    rows = []
    for g in golds:
        stem = os.path.basename(g)[:-len('.gold.json')]
        try:
            with open(g, encoding='utf-8') as f:
                raw = f.read()
            gold = json.loads(raw)
        except Exception as e:  # noqa
            problems.append(f'{stem}: JSON does not parse: {e}')
            continue
        if '\\u' in raw:
            problems.append(f'{stem}: JSON not written with ensure_ascii=False')
        if list(gold.keys()) != KEYS:
            problems.append(f'{stem}: keys {list(gold.keys())} != {KEYS}')
            continue
        d = gold['date']
        if d is not None:
            if not isinstance(d, str) or not re.fullmatch(r'\d{4}-\d{2}-\d{2}', d):
                problems.append(f'{stem}: bad date {d!r}')
            else:
                try:
                    datetime.date.fromisoformat(d)
                except ValueError:
                    problems.append(f'{stem}: impossible date {d!r}')
        for k in ('author', 'editor'):
            v = gold[k]
            if v is not None and (not isinstance(v, str) or not v.strip()):
                problems.append(f'{stem}: {k} must be null or a non-empty string')
        for k in ('title', 'source', 'site', 'url', 'body'):
            if not isinstance(gold[k], str) or not gold[k].strip():
                problems.append(f'{stem}: {k} empty')
        if gold['lang'] not in ('zh', 'en', 'id'):
            problems.append(f'{stem}: bad lang {gold["lang"]!r}')
        if not str(gold['url']).startswith(('http://', 'https://')):
            problems.append(f'{stem}: url not absolute')
        html_path = os.path.join(folder, stem + '.html')
        if not os.path.exists(html_path):
            continue
        vis = visible_text(html_path)
        if squash(gold['title']) not in vis:
            problems.append(f'{stem}: title not in visible text: {gold["title"]!r}')
        lines = gold['body'].split('\n')
        for i, line in enumerate(lines, 1):
            if not line.strip():
                problems.append(f'{stem}: body line {i} is empty')
            elif squash(line) not in vis:
                problems.append(f'{stem}: body line {i} not in visible text: {line[:40]!r}')
        if len(set(lines)) != len(lines):
            problems.append(f'{stem}: duplicate body lines')
        if gold['lang'] == 'zh':
            n = len(gold['body'])
            unit = 'chars'
            if not 400 <= n <= 1000:
                problems.append(f'{stem}: body {n} chars, want 400-1000')
        else:
            n = len(gold['body'].split())
            unit = 'words'
            if not 250 <= n <= 550:
                problems.append(f'{stem}: body {n} words, want 250-550')
        rows.append((stem, n, unit, len(lines), d))
    for stem, n, unit, nl, d in rows:
        print(f'{stem:14s} {n:5d} {unit:5s} {nl:3d} lines  date={d}')
    print(f'{len(rows)} gold files checked')
    if problems:
        print(f'{len(problems)} problem(s):')
        for p in problems:
            print('  - ' + p)
        return 1
    print('no problems')
    return 0


if __name__ == '__main__':
    folder = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    sys.exit(check(folder))
