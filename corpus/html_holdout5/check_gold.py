#!/usr/bin/env python3
"""Check the gold files of this page set (standard library only).

Usage: python3 check_gold.py [folder]   (default: the folder holding this script)

Checks, for every <stem>.html / <stem>.gold.json pair:
  * both files exist, are UTF-8, and the JSON parses;
  * the JSON was written with ensure_ascii=False (no \\uXXXX escapes);
  * keys are exactly title, date, author, editor, source, site, url, lang, body (in that order);
  * date is null or a valid YYYY-MM-DD; author/editor are strings or null;
  * lang is zh/en/id and matches the stem prefix;
  * the title and every body line occur in the page's visible text (whitespace removed);
  * the body length is in range (zh: 400-1000 non-space characters; en/id: 250-550 words).
Exit status 0 when no problems are found.
"""
import datetime
import json
import os
import re
import sys
from html.parser import HTMLParser

KEYS = ['title', 'date', 'author', 'editor', 'source', 'site', 'url', 'lang', 'body']
SKIP = {'script', 'style', 'noscript', 'template', 'head', 'title'}


class Visible(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in SKIP:
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in SKIP and self.skip > 0:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def squash(s):
    return ''.join(s.split())


def visible_text(path):
    with open(path, encoding='utf-8') as f:
        src = f.read()
    p = Visible()
    p.feed(src)
    p.close()
    return squash(''.join(p.parts))


def check_pair(folder, stem):
    probs = []
    hp = os.path.join(folder, stem + '.html')
    gp = os.path.join(folder, stem + '.gold.json')
    if not os.path.exists(hp):
        return ['missing ' + stem + '.html']
    if not os.path.exists(gp):
        return ['missing ' + stem + '.gold.json']
    raw = open(gp, encoding='utf-8').read()
    if re.search(r'\\u[0-9a-fA-F]{4}', raw):
        probs.append('gold.json has \\u escapes (not ensure_ascii=False)')
    try:
        g = json.loads(raw)
    except ValueError as e:
        return probs + ['gold.json does not parse: %s' % e]
    if list(g.keys()) != KEYS:
        probs.append('keys/order wrong: %s' % list(g.keys()))
    d = g.get('date')
    if d is not None:
        if not (isinstance(d, str) and re.fullmatch(r'\d{4}-\d{2}-\d{2}', d)):
            probs.append('bad date %r' % d)
        else:
            try:
                datetime.date.fromisoformat(d)
            except ValueError:
                probs.append('impossible date %r' % d)
    for k in ('author', 'editor'):
        v = g.get(k)
        if v is not None and (not isinstance(v, str) or not v.strip()):
            probs.append('%s must be a non-empty string or null' % k)
    for k in ('title', 'source', 'site', 'url', 'body'):
        if not isinstance(g.get(k), str) or not g.get(k).strip():
            probs.append('%s must be a non-empty string' % k)
    if isinstance(g.get('url'), str) and not re.match(r'https?://', g['url']):
        probs.append('url is not absolute')
    lang = g.get('lang')
    if lang not in ('zh', 'en', 'id'):
        probs.append('bad lang %r' % lang)
    elif not stem.startswith(lang):
        probs.append('lang %r does not match stem' % lang)
    if probs and any(p.startswith('keys') or 'non-empty' in p for p in probs):
        return probs
    vis = visible_text(hp)
    if squash(g['title']) not in vis:
        probs.append('title not in visible text: %r' % g['title'])
    lines = g['body'].split('\n')
    for i, line in enumerate(lines):
        if not line.strip():
            probs.append('empty body line %d' % (i + 1))
        elif squash(line) not in vis:
            probs.append('body line %d not in visible text: %r' % (i + 1, line[:60]))
    if lang == 'zh':
        n = len(squash(g['body']))
        if not 400 <= n <= 1000:
            probs.append('zh body length %d outside 400-1000' % n)
    elif lang in ('en', 'id'):
        n = len(g['body'].split())
        if not 250 <= n <= 550:
            probs.append('body word count %d outside 250-550' % n)
    if squash(g['title']) == squash(lines[0]):
        probs.append('body starts with the headline')
    return probs


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    names = os.listdir(folder)
    stems = sorted({n[:-5] for n in names if n.endswith('.html')} |
                   {n[:-10] for n in names if n.endswith('.gold.json')})
    total = 0
    for stem in stems:
        probs = check_pair(folder, stem)
        total += len(probs)
        status = 'OK' if not probs else 'PROBLEMS'
        print('%-14s %s' % (stem, status))
        for p in probs:
            print('    - ' + p)
    print('%d pages, %d problems' % (len(stems), total))
    return 1 if total else 0


if __name__ == '__main__':
    sys.exit(main())
