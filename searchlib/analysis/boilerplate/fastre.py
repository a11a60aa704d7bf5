"""Faster cue searches, same matches: a first-character lookahead for alternations of words.

Python's regular-expression engine tries a pattern at every position of the text. A cue such as
``(?:\\bpromo\\b|\\bdiskon\\b|特惠|...)`` costs a full try of every alternative at each position,
because its word boundaries keep the engine from using its own first-character shortcut.
:func:`prefiltered` reads the pattern's syntax tree for the characters a match can start with and
puts them in front as a lookahead, ``(?=[pd特...])(?:...)``: a position whose character is not one
of them fails at once. The lookahead consumes nothing and only turns away positions where no match
could start, so every ``search`` / ``match`` / ``sub`` / ``split`` / ``findall`` answer is the same
(a test checks it on every corpus line and on random text); patterns that may match an empty string,
start with any character, or have many possible first characters are returned unchanged.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from searchlib.analysis.chars import HAN_RE

try:  # the engine's own parser (Python 3.11+); without it, patterns are used as they are
    from re import _constants as _sc
    from re import _parser as _sp
except ImportError:  # pragma: no cover
    _sp = _sc = None  # type: ignore[assignment]

__all__ = ["accelerate", "ascii_screen", "first_chars", "literals", "prefiltered", "screened"]

_MAX_CHARS = 96     # more possible first characters than this: the lookahead would not pay
_SPACES = frozenset(chr(c) for c in range(0x3001) if chr(c).isspace())  # \s (every space is below U+3001)
_MAX_RANGE = 256    # a character range wider than this: treated as "any character"


def first_chars(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """The characters a match of ``pattern`` can start with (before case folding, which the
    lookahead compiled with the same flags applies again), or None when that is not known or any
    character may start one (an empty match included)."""
    if _sp is None:
        return None
    try:
        parsed = _sp.parse(pattern.pattern, pattern.flags)
    except Exception:  # pragma: no cover - a pattern the private parser reads differently
        return None
    found, nullable = _first(list(parsed))
    return frozenset(found) if found and not nullable else None


def _first(items: list) -> tuple[set[str] | None, bool]:  # type: ignore[type-arg]
    """(first characters, whether the sequence may match nothing); (None, _) when unknown."""
    out: set[str] = set()
    for op, av in items:
        if op in (_sc.AT, _sc.ASSERT, _sc.ASSERT_NOT):
            continue  # zero-width (anchor, boundary, lookaround): the next item consumes the first character
        if op is _sc.LITERAL:
            out.add(chr(av))
            return out, False
        if op is _sc.IN:
            chars = _charset(av)
            if chars is None:
                return None, False
            return out | chars, False
        if op is _sc.BRANCH:
            nullable = False
            for branch in av[1]:
                found, empty = _first(list(branch))
                if found is None:
                    return None, False
                out |= found
                nullable = nullable or empty
        elif op is _sc.SUBPATTERN:
            found, nullable = _first(list(av[-1]))
            if found is None:
                return None, False
            out |= found
        elif op in (_sc.MAX_REPEAT, _sc.MIN_REPEAT):
            low, _, sub = av
            found, empty = _first(list(sub))
            if found is None:
                return None, False
            out |= found
            nullable = low == 0 or empty
        else:
            return None, False  # any character, a category, a back reference...
        if not nullable:
            return out, False
    return out, True  # only zero-width or optional items: may match the empty string


def _gains(items: list, fold: bool) -> bool:  # type: ignore[type-arg]
    """Whether a lookahead can speed up the search: not when the engine already skips ahead by
    itself (the pattern starts with a literal - cased ones only without IGNORECASE - a character set,
    or an alternation of such literals) or the pattern is anchored at the start of the text."""
    if not items:
        return False
    op, av = items[0]
    if op is _sc.LITERAL:
        return fold and chr(av).lower() != chr(av).upper()
    if op is _sc.IN:
        return False
    if op is _sc.AT:
        return av is not _sc.AT_BEGINNING and av is not _sc.AT_BEGINNING_STRING
    if op is _sc.SUBPATTERN:
        return _gains(list(av[-1]), fold)
    if op in (_sc.MAX_REPEAT, _sc.MIN_REPEAT):
        return av[0] == 0 or _gains(list(av[2]), fold)  # an optional start: the engine has no shortcut
    if op is _sc.BRANCH:
        firsts = [branch[0] if len(branch) else None for branch in av[1]]
        if all(f is not None and f[0] is _sc.LITERAL and not (fold and chr(f[1]).lower() != chr(f[1]).upper())
               for f in firsts):
            return False  # the engine's own first-character set
        return not all(f is not None and f[0] is _sc.AT and f[1] in (_sc.AT_BEGINNING, _sc.AT_BEGINNING_STRING)
                       for f in firsts)
    return True


def _charset(items: list) -> set[str] | None:  # type: ignore[type-arg]
    out: set[str] = set()
    for op, av in items:
        if op is _sc.LITERAL:
            out.add(chr(av))
        elif op is _sc.RANGE and av[1] - av[0] <= _MAX_RANGE:
            out.update(chr(c) for c in range(av[0], av[1] + 1))
        elif op is _sc.CATEGORY and av is _sc.CATEGORY_SPACE:
            out.update(_SPACES)
        else:
            return None  # a negated set, a category (\d, \w), a wide range
    return out


def prefiltered(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` with a lookahead on its possible first characters (same matches, faster
    searches), or ``pattern`` itself when that cannot help."""
    chars = first_chars(pattern)
    if not chars or len(chars) > _MAX_CHARS or not _gains(list(_sp.parse(pattern.pattern, pattern.flags)),
                                                                       bool(pattern.flags & re.IGNORECASE)):
        return pattern
    if pattern.pattern.startswith("(?") and pattern.pattern[2:3].isalpha():
        return pattern  # inline global flags must stay first
    cls = "".join(re.escape(c) for c in sorted(chars))
    try:
        return re.compile(f"(?=[{cls}])(?:{pattern.pattern})", pattern.flags)
    except re.error:  # pragma: no cover
        return pattern


def literals(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Strings one of which every match of ``pattern`` holds, or None when that is not known.

    Each branch of the pattern's alternation gives the strings of one part it cannot match without:
    its longest run of plain characters (consecutive literals, which every match spells out as they
    are), else a group or repeated group that has such strings in each of its own branches. A branch
    without either, or a pattern that ignores case, gives None. A string holding a shorter one of
    them is left out (it adds no text)."""
    if pattern.flags & re.IGNORECASE:
        return None
    return _literals(pattern)


def _literals(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """:func:`literals` as written, case ignored or not."""
    if _sp is None:
        return None
    try:
        items = list(_sp.parse(pattern.pattern, pattern.flags))
    except re.error:  # pragma: no cover - a pattern the private parser reads differently
        return None
    found = _one_of(items)
    if not found:
        return None
    out: list[str] = []
    for word in sorted(found, key=lambda w: (len(w), w)):
        if not any(shorter in word for shorter in out):
            out.append(word)
    return tuple(out)


def ascii_screen(pattern: re.Pattern[str]) -> Callable[[str], bool] | None:
    """A test that is False only for an ASCII text where ``pattern`` cannot match anywhere: the text
    holds none of the ASCII :func:`literals` (the others cannot occur in it). A pattern that ignores
    case is screened on the lower-cased text when its other literals hold a Han character (which
    has no case: no ASCII character matches it); None when no such test is known."""
    fold = bool(pattern.flags & re.IGNORECASE)
    words = _literals(pattern)
    if words is None:
        return None
    if fold:
        if not all(w.isascii() or HAN_RE.search(w) for w in words):
            return None  # e.g. "ſ" matches "s" when case is ignored
        lowered = tuple(w.lower() for w in words if w.isascii())
        return lambda text: not text.isascii() or any(map(text.lower().__contains__, lowered))
    ascii_words = tuple(w for w in words if w.isascii())
    return lambda text: not text.isascii() or any(map(text.__contains__, ascii_words))


def _one_of(items: list) -> set[str] | None:  # type: ignore[type-arg]
    """Strings one of which every match of the sequence ``items`` holds (see :func:`literals`)."""
    # zero-width items (the lookahead of prefiltered(), anchors, boundaries) consume nothing: the
    # text of a match is that of the rest
    items = [item for item in items if item[0] not in (_sc.AT, _sc.ASSERT, _sc.ASSERT_NOT)]
    if len(items) == 1 and items[0][0] is _sc.BRANCH:
        out: set[str] = set()
        for branch in items[0][1][1]:
            found = _one_of(list(branch))
            if not found:
                return None
            out |= found
        return out
    best: set[str] | None = None
    run: list[str] = []
    for op, av in (*items, (None, None)):
        if op is _sc.LITERAL:
            run.append(chr(av))
            continue
        candidates = []
        if run:
            candidates.append({"".join(run)})
            run = []
        if op is _sc.SUBPATTERN and not av[1] & re.IGNORECASE:
            candidates.append(_one_of(list(av[-1])))
        elif op in (_sc.MAX_REPEAT, _sc.MIN_REPEAT) and av[0] >= 1:
            candidates.append(_one_of(list(av[2])))
        elif op is _sc.BRANCH:
            candidates.append(_one_of([(op, av)]))
        for candidate in candidates:
            if candidate and (best is None or min(map(len, candidate)) > min(map(len, best))):
                best = candidate  # the part whose shortest string is longest: the fewest texts hold one
    return best


def screened(pattern: re.Pattern[str]) -> Callable[[str], re.Match[str] | None]:
    """``pattern.search`` that answers None at once where :func:`ascii_screen` says no match can be
    (an ASCII text without any of the words a match must hold), the common case for the long
    alternations of cue words on Latin-script lines; same answers."""
    possible = ascii_screen(pattern)
    search = pattern.search
    if possible is None:
        return search

    def screened_search(text: str) -> re.Match[str] | None:
        return search(text) if possible(text) else None

    return screened_search


ACCELERATED: list[tuple[str, re.Pattern[str], re.Pattern[str]]] = []  # (name, original, prefiltered): for tests


def accelerate(namespace: dict[str, object]) -> None:
    """Replace every pattern of a module's namespace (and in its tuples of patterns) by its
    :func:`prefiltered` form; called at the end of the cue modules. The shared character classes
    of :mod:`searchlib.analysis.chars` stay the very objects every component uses."""
    from searchlib.analysis import chars

    module = str(namespace.get("__name__", "?"))
    shared = {id(v) for v in vars(chars).values() if isinstance(v, re.Pattern)}

    def fast(name: str, pattern: re.Pattern[str]) -> re.Pattern[str]:
        if id(pattern) in shared:
            return pattern
        out = prefiltered(pattern)
        if out is not pattern:
            ACCELERATED.append((f"{module}.{name}", pattern, out))
        return out

    for name, value in list(namespace.items()):
        if isinstance(value, re.Pattern):
            namespace[name] = fast(name, value)
        elif isinstance(value, tuple) and value and all(isinstance(v, re.Pattern) for v in value):
            namespace[name] = tuple(fast(f"{name}[{i}]", v) for i, v in enumerate(value))
