#!/usr/bin/env python3
"""Sanity check for the html_holdout3 set (standard library only).

For every <stem>.gold.json: it must parse, carry the expected keys, and every
line of "body" must occur in the visible text of <stem>.html (comparison with
all whitespace removed). Visible text = text nodes outside head/script/style/
noscript/template. Also reports body length (words for en/id, characters for zh).
"""
import json, os, re, sys
from html.parser import HTMLParser

HERE = os.path.dirname(os.path.abspath(__file__))
KEYS = ['title', 'date', 'author', 'editor', 'source', 'site', 'url', 'lang', 'body']
SKIP = {'head', 'script', 'style', 'noscript', 'template', 'title'}
VOID = {'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta',
        'param', 'source', 'track', 'wbr', 'amp-img'}


class Vis(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID and tag != 'amp-img':
            return
        self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack:
                if self.stack.pop() == tag:
                    break

    def handle_data(self, data):
        if not any(t in SKIP for t in self.stack):
            self.parts.append(data)


def visible(path):
    p = Vis()
    p.feed(open(path, encoding='utf-8').read())
    return ' '.join(p.parts)


def nows(s):
    return re.sub(r'\s+', '', s)


def main():
    stems = sorted(f[:-10] for f in os.listdir(HERE) if f.endswith('.gold.json'))
    bad = 0
    for st in stems:
        g = json.load(open(os.path.join(HERE, st + '.gold.json'), encoding='utf-8'))
        probs = []
        if list(g) != KEYS:
            probs.append('keys %s' % list(g))
        if g['date'] is not None and not re.fullmatch(r'\d{4}-\d\d-\d\d', g['date']):
            probs.append('date format')
        vis = nows(visible(os.path.join(HERE, st + '.html')))
        lines = [l for l in g['body'].split('\n') if l.strip()]
        for l in lines:
            if nows(l) not in vis:
                probs.append('body line not visible: ' + l[:60])
        if g['lang'] == 'zh':
            size = len(nows(g['body']))
            ok = 400 <= size <= 2000
            unit = 'chars'
        else:
            size = len(g['body'].split())
            ok = 250 <= size <= 1200
            unit = 'words'
        if not ok:
            probs.append('length %d %s' % (size, unit))
        if nows(g['title']) not in vis:
            probs.append('title not visible')
        print('%-14s %-5s %5d %-5s %-10s %s' % (st, 'OK' if not probs else 'FAIL', size, unit, g['date'], g['title'][:40]))
        for pr in probs:
            print('    ', pr)
        bad += bool(probs)
    print('%d pages, %d with problems' % (len(stems), bad))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
