"""Query string → lexemes: the first step of :mod:`searchlib.query.parser`.

A lexeme is a parenthesis, a quoted phrase (and its ``~slop``), an operator (``AND``/``OR``/
``NOT``, upper case only), a sign (``+``/``-``), a field name (only names of the index's
fields: ``http://...`` or ``来源：...`` is text), a range (``date:[a TO b]``, to its closing
bracket), a word, a fuzzy word (``word~1``) or a boost (``^2``). ``glued`` records whether
whitespace came before a lexeme (``title:长沙`` vs ``title: 长沙``). Errors that only the
characters can tell (a range never closed, an unknown field, a misused ``~``) are raised here
with their position.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from searchlib.errors import QueryError

__all__ = ["CLOSE_PAREN", "Lex", "MAX_FUZZY_DISTANCE", "MAX_SLOP", "OPEN_PAREN", "QUOTES", "lex"]

OPEN_PAREN = "(（"
CLOSE_PAREN = ")）"
QUOTES = '"“”＂'
_STOP = set(OPEN_PAREN + CLOSE_PAREN + QUOTES)
_OPERATORS = ("AND", "OR", "NOT")
_FIELD_RE = re.compile(r"([^\W\d][\w.]*)([:：])(.*)\Z", re.S)
_RANGE_RE = re.compile(r"([+-]?)([^\W\d][\w.]*)[:：]([\[{])")
_ASCII_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*\Z")
_TILDE_RE = re.compile(r"(.+)~([0-9.]*)\Z", re.S)
_SLOP_RE = re.compile(r"~([0-9.]*)")
MAX_FUZZY_DISTANCE = 2
MAX_SLOP = 10_000
_BOOST_RE = re.compile(r"(.*)\^(\d{1,6}(?:\.\d{1,6})?)\Z", re.S)


@dataclass
class Lex:
    """One lexeme: what it is, its text and where it starts in the query."""

    kind: str  # LP RP PHRASE SLOP WORD FUZZY AND OR NOT SIGN FIELD BOOST RANGE
    text: str
    pos: int
    glued: bool  # no whitespace between the previous lexeme and this one
    arg: int = 0  # FUZZY: the distance; SLOP: the slop


def lex(s: str, fields: dict[str, str]) -> list[Lex]:
    """The lexemes of query ``s``; ``fields``: the index's fields and their kinds."""
    out: list[Lex] = []
    i, n = 0, len(s)
    glued = False
    while i < n:
        c = s[i]
        if c.isspace():
            i += 1
            glued = False
            continue
        m = _RANGE_RE.match(s, i)
        if m and m.group(2).lower() in fields and (i == 0 or s[i - 1].isspace() or s[i - 1] in _STOP):
            # "date:[2024-01-01 TO 2024-03-31]": the range runs to its closing bracket
            close = min((j for j in (s.find("]", m.end()), s.find("}", m.end())) if j >= 0), default=-1)
            if close < 0:
                raise QueryError(f"the range after {m.group(2)}: is not closed (add ']' or '}}')", m.start(3))
            if m.group(1):
                out.append(Lex("SIGN", m.group(1), i, glued))
                glued = True
            out.append(Lex("FIELD", m.group(2).lower(), m.start(2), glued))
            out.append(Lex("RANGE", s[m.start(3):close + 1], m.start(3), True))
            i = close + 1
            glued = True
            continue
        if c in OPEN_PAREN:
            out.append(Lex("LP", c, i, glued))
            i += 1
        elif c in CLOSE_PAREN:
            out.append(Lex("RP", c, i, glued))
            i += 1
        elif c in QUOTES:
            j = i + 1
            while j < n and s[j] not in QUOTES:
                j += 1
            out.append(Lex("PHRASE", s[i + 1:j], i, glued))
            i = j + 1  # past the closing quote (or the end: an unclosed quote runs to the end)
            if i < n and s[i] == "~":
                m = _SLOP_RE.match(s, i)
                assert m is not None
                out.append(Lex("SLOP", m.group(1), i, True, _slop(m.group(1), i)))
                i = m.end()
        else:
            j = i
            while j < n and not s[j].isspace() and s[j] not in _STOP:
                j += 1
            _lex_word(s[i:j], i, glued, fields, out)
            i = j
        glued = True
    return out


def _lex_word(word: str, pos: int, glued: bool, fields: dict[str, str], out: list[Lex]) -> None:
    """Split one whitespace/quote/paren-delimited word into modifiers and its text."""
    if word in _OPERATORS:
        out.append(Lex(word, word, pos, glued))
        return
    if word[0] in "+-":
        out.append(Lex("SIGN", word[0], pos, glued))
        word, pos, glued = word[1:], pos + 1, True
        if not word:
            return
    m = _FIELD_RE.match(word)
    if m:
        name = m.group(1).lower()
        rest = m.group(3)
        if name in fields:
            out.append(Lex("FIELD", name, pos, glued))
            pos, glued = pos + len(word) - len(rest), True
            word = rest
            if not word:
                return
        elif m.group(2) == ":" and _ASCII_NAME.match(m.group(1)) and not rest.startswith("//"):
            # "foo:bar" names a field the index does not have (a URL or "来源：..." text does not)
            raise QueryError(f"the index has no field {m.group(1)!r}; fields: {', '.join(fields)}", pos)
    boost = None
    m = _BOOST_RE.match(word)
    if m:
        word, boost = m.group(1), m.group(2)
    if word:
        fm = _TILDE_RE.match(word)
        if fm and fields.get(out[-1].text if out and out[-1].kind == "FIELD" else "", "text") == "text":
            tilde = pos + len(fm.group(1))
            out.append(Lex("FUZZY", fm.group(1), pos, glued, _fuzzy_distance(word, fm.group(2), tilde)))
        else:
            out.append(Lex("WORD", word, pos, glued))
        glued = True
    if boost is not None:
        out.append(Lex("BOOST", boost, pos + len(word), glued))


def _fuzzy_distance(word: str, text: str, pos: int) -> int:
    if not text:
        return MAX_FUZZY_DISTANCE  # "roam~" as in Lucene: the largest distance
    if not text.isdigit() or int(text) > MAX_FUZZY_DISTANCE:
        raise QueryError(f"fuzzy search takes a distance of 0, 1 or 2 edits ({word!r}: write e.g. word~1)", pos)
    if word[: -len(text) - 1].endswith("*"):
        raise QueryError(f"a prefix cannot also be fuzzy ({word!r})", pos)
    return int(text)


def _slop(text: str, pos: int) -> int:
    if not text.isdigit() or int(text) > MAX_SLOP:
        raise QueryError(f'a phrase slop is a whole number of positions, 0 to {MAX_SLOP} (write e.g. "a b"~3)', pos)
    return int(text)
