"""Per-line rules: decide a removal reason from one folded line alone (no page context).

Each ``_is_*`` function answers one question.  They are deliberately conservative: a rule that
matches ordinary prose (a long line ending like a sentence) must carry a strong, specific cue.
Because these rules look at a single line only, they give the same answer on a page and on its
cleaned text, which is what makes :func:`~searchlib.analysis.boilerplate.clean` idempotent.
"""
from __future__ import annotations

from searchlib.analysis.boilerplate import cues as c
from searchlib.analysis.boilerplate import dates as d

SHORT = 40      # units: a "short" line (menu entry, label, heading)
LONG = 150      # units: beyond this only the strongest cues remove a line


def classify(folded: str, n_units: int) -> str | None:
    """The removal reason for one folded line, or ``None`` (keep, as far as this line goes)."""
    for reason, test in _RULES:
        if test(folded, n_units):
            return reason
    return None


def _is_advertisement(f: str, n: int) -> bool:
    bare = c.strip_decor(f)
    return bool(c.ADVERTISEMENT.match(bare)) or (n <= SHORT and bool(c.ADVERTISEMENT_LABEL.match(f)))


def _is_related_header(f: str, n: int) -> bool:
    return n <= 12 and bool(c.RELATED_HEADER.match(c.strip_decor(f)))


def _is_navigation(f: str, n: int) -> bool:
    if n > 80:
        return False
    if c.NAV_BREADCRUMB_LABEL.match(f) or c.NAV_HOME.match(f) or c.NAV_STANDALONE.match(f):
        return True
    if c.NAV_PREV_NEXT.match(f) or c.NAV_SHARE.match(f) or c.NAV_TAGS.match(f):
        return True
    if c.NAV_READ_MORE.match(f):
        return True
    return _is_crumb_trail(f) or _is_menu(f) or _is_social_bar(f)


def _is_crumb_trail(f: str) -> bool:
    parts = [p for p in c.NAV_CRUMB_SEP.split(f) if p]
    return len(parts) >= 3 and all(c.units(p) <= 10 for p in parts) and not c.ends_sentence(f)


def _is_menu(f: str) -> bool:
    parts = [p for p in c.NAV_MENU_SEP.split(f.strip()) if p.strip()]
    return len(parts) >= 3 and all(c.units(p) <= 8 and not c.ends_sentence(p) for p in parts)


def _is_social_bar(f: str) -> bool:
    tokens = f.replace("|", " ").replace(",", " ").split()
    return len(tokens) >= 2 and all(c.SOCIAL.fullmatch(t) for t in tokens)


def _is_byline(f: str, n: int) -> bool:
    if n > 60 or not d.has_byline_signal(f):
        return False
    cjk, words = d.byline_residue(f)
    return cjk <= 10 and words <= 5 and cjk + 2 * words <= 14


def _is_caption(f: str, n: int) -> bool:
    if c.CAPTION_SUFFIX.search(f) or c.CAPTION_PHRASE.search(f):
        return n <= LONG
    if n > 80:
        return False
    if c.CAPTION_LABEL.match(f) or c.CAPTION_START.match(f) or c.CAPTION_WRAPPED.match(f):
        return True
    return bool(c.CAPTION_PAREN_END.search(f.rstrip()))


def _is_credit(f: str, n: int) -> bool:
    if n > 80:
        return False
    if c.CREDIT_LABEL.match(f) or c.CREDIT_PHRASE.match(f):
        return True
    if f.startswith("by ") and n <= 12 and not c.ends_sentence(f):
        return True
    return n <= 30 and bool(c.CREDIT_REPORTER.search(f)) and not _has_clause_punct(f)


def _has_clause_punct(f: str) -> bool:
    return any(ch in f for ch in ",，。;；!！?？")


def _is_contact(f: str, n: int) -> bool:
    if n > 80:
        return False
    if c.CONTACT_LABEL.match(f) or c.CONTACT_CALL.match(f):
        return True
    if c.ends_sentence(f):
        return False
    reachable = bool(c.PHONE.search(f) or c.EMAIL.search(f))
    if n <= 50 and c.CONTACT_FIELD.search(f) and (reachable or ":" in f):
        return True
    if n <= 30 and c.PHONE_AFTER_COLON.search(f):
        return True
    if n <= 20 and c.CONTACT_WORD.search(f) and not _has_clause_punct(f):
        return True
    rest = c.EMAIL.sub(" ", c.PHONE.sub(" ", f))
    return reachable and c.units(rest) <= 2


def _is_disclaimer(f: str, n: int) -> bool:
    if n <= LONG and c.DISCLAIMER_STRONG.search(f):
        return True
    return n <= 12 and bool(c.DISCLAIMER_WEAK.match(f))


_RULES = (
    ("advertisement", _is_advertisement),
    ("related-list", _is_related_header),
    ("caption", _is_caption),
    ("byline", _is_byline),
    ("credit", _is_credit),
    ("navigation", _is_navigation),
    ("disclaimer", _is_disclaimer),
    ("contact", _is_contact),
)
