"""Blocks whose header says what they are (a page-level pass, after the per-line rules): the
comment thread under its header, the author's bio under "About the author", the bullets of a
key-points box above the article."""
from __future__ import annotations

import re

from searchlib.analysis.boilerplate import cues as c
from searchlib.analysis.boilerplate import dates as d
from searchlib.analysis.boilerplate.page import Page

__all__ = ["mark_author_bio", "mark_headed_blocks"]

_COMMENT_LINE = re.compile(r"^[^\s:：]{1,20}(?:\s[^\s:：]{1,20})?(?:\s*(?:回复|reply|replied|balas|membalas)\s*"
                           r"[^\s:：]{1,20})?\s*[:：]\s*\S")
# a thread's header in other words: "2 komentar:", "Tidak ada komentar:", "已有 56 人参与  查看全部评论",
# "网友评论（已有3条评论）"
_THREAD_HEADER = re.compile(r"^(?:\d{1,6}\s*(?:comments?|responses?|replies|komentar|tanggapan|(?:则|条|个)?(?:留言|评论))|no comments|"
                            r"(?:tidak|belum) ada komentar|已有\s*\d{1,6}\s*(?:人|位)?参与|查看全部评论|暂无评论|"
                            r"(?:网友|读者)?(?:评论|留言)\s*[(（](?:已有|共)\s*\d{1,6}\s*(?:条|则|个)?(?:评论|留言)?[)）])"
                            r"\s*[:：]?(?:\s+\S.{0,20})?$")
# WordPress's "2 thoughts on “Title”", "3 tanggapan untuk “Judul”", "12 responses to “Title”"
_THREAD_ON = re.compile(r"^(?:\d{1,6}|one|satu)\s+(?:thoughts?|comments?|responses?|replies|tanggapan|komentar|balasan)\s+"
                        r"(?:on|to|for|untuk|pada|di|atas)\s+[\"“'‘«]")
# the moderation rule under a thread's header ("Komentar yang mengandung unsur SARA … akan dihapus")
_MODERATION = re.compile(r"(?:comments?|komentar|评论|留言).{0,80}(?:moderat|remov|delet|dihapus|dimoderasi|审核|删除)"
                         r"|(?:moderat|dihapus|审核后).{0,40}(?:comments?|komentar|评论|留言)")
# one comment's header: who and when ("Kervin J. on October 24, 2024 at 9:12 am",
# "Yohanes Nggadas 5 November 2024 pukul 09.31", "Rahmat (Dusun Krajan) · 3 November 2024")
_COMMENT_WHEN = re.compile(r"\b(?:pukul|jam|at)\s+\d{1,2}[.:]\d{2}|\d{1,2}:\d{2}|\b(?:hours?|days?|minutes?|jam|hari|"
                           r"menit) (?:ago|yang lalu)\b|\b\d{1,3}\s?(?:h|hr|hrs|m|min|mins|d|w)\s+ago\b|"
                           r"\d+\s*(?:分钟|小时|天)前")
_COMMENT_INLINE = re.compile(r"^[^\W\d][^·–—:：]{0,30}?\s[·–—-]\s[^:：–—]{4,40}?(?:\d{4}|\d{1,2}[.:]\d{2})"
                             r"[^:：–—]{0,12}?\s*[:：–—]\s*\S")
_REPLY = re.compile(r"^(?:reply|balas|回复|回覆|like|suka|report|laporkan|举报|点赞|赞)(?:\s*[(（]?\d{0,4}[)）]?)?"
                    r"\s*[↓↩]?$")

# more names of a key-points box, trusted only as a label alone on its line ("重點：")
_KEY_POINTS_ALONE = re.compile(r"^[【\[]?(?:重点|本文重点|新闻重点|看点|速览)[】\]]?\s*[:：]?$")
_ABOUT_AUTHOR = re.compile(r"^[\[【]?\s*(?:关于作者|作者简介|作者介绍|about the (?:author|writer)|tentang penulis|profil penulis)"
                           r"\s*[\]】]?\s*[:：]?$")


# "Sandra Pettit says:" alone on its line (WordPress), the time on the next
_SAYS_HEAD = re.compile(r"^\S.{0,40}?\s(?:says|said|wrote|replied|berkata|menulis|membalas)\s*[:：]?$|^\S.{0,20}?(?:说|說|写道|寫道)\s*[:：]$")


def _comment_head(page: Page, j: int) -> bool:
    """Who wrote a comment and when, on its own line."""
    f = page.folded[j]
    if page.n_units[j] <= 16 and _SAYS_HEAD.match(f.strip()):
        return True
    return page.n_units[j] <= 40 and not c.ends_sentence(f) and (
        bool(_COMMENT_WHEN.search(f)) or (d.find_date(f) is not None and page.n_units[j] <= 24))


def _name_above_when(page: Page, j: int) -> bool:
    """Line ``j`` is followed by a comment's "when" line (its commenter's name, on a line of its own)."""
    nxt = page.non_empty(range(j + 1, len(page.texts)))
    return nxt is not None and _comment_head(page, nxt)


_CLAUSE = re.compile(r"[,，。;；!！?？:：]")


def _name_above_text(page: Page, j: int) -> bool:
    """Line ``j`` (short) is followed by a comment's text: a sentence, or a longer line."""
    nxt = page.non_empty(range(j + 1, len(page.texts)))
    return nxt is not None and page.reasons[nxt] is None and (
        page.n_units[nxt] > 12 or c.ends_sentence(page.folded[nxt]))


def _mark_thread(page: Page, header: int) -> None:
    """The comments under a thread's header: ``name: comment`` lines, or a comment's header (who,
    when) with its text up to the reply link. It ends at the first line that is neither."""
    n = len(page.texts)
    in_comment = False
    for j in range(header + 1, n):
        r = page.reasons[j]
        if r == "empty":
            continue
        f = page.folded[j].strip()
        if _REPLY.match(f) or _THREAD_HEADER.match(f) or c.COMMENTS.match(f) \
                or (page.n_units[j] <= 40 and c.COMMENT_PROMPT.search(f)):
            in_comment = False
        elif _comment_head(page, j):
            in_comment = True
        elif r is None and page.n_units[j] <= 6 and not c.ends_sentence(f) and _name_above_when(page, j):
            pass  # "Andi_Maba24" / "9 September 2024 pukul 19.42": who, on the line above when
        elif r is None and page.n_units[j] <= 12 and not _CLAUSE.search(f) and _name_above_text(page, j):
            in_comment = True  # "风一样的老杨　云南" / the comment: who (and where), then what they wrote
        elif r is None and page.n_units[j] <= 80 and _MODERATION.search(f):
            in_comment = False
        elif r is None and page.n_units[j] <= 120 and _COMMENT_INLINE.match(page.texts[j].strip()):
            pass  # "Esther N. · 14 Oct 2024 – Thank you for …": who, when and the comment on one line
        elif r is None and not page.long[j] and page.n_units[j] <= 80 and _COMMENT_LINE.match(page.folded[j]):
            pass
        elif in_comment and r is None and page.n_units[j] <= 300:
            pass  # a comment's text, under its header
        elif r == "navigation":
            continue  # the thread's own widgets (sort order, form fields) do not end it
        else:
            return
        if r is None:
            page.reasons[j] = "navigation"


def mark_headed_blocks(page: Page) -> None:
    """Blocks whose header says what they are: the ``name: comment`` lines of a thread under its
    header (``热门评论``, ``留言(3)``, ``Comments``); the author's bio under ``关于作者`` / ``About
    the author``; the bullets of a key-points box (``Key points``, ``要点``) above the article."""
    n = len(page.texts)
    # (a key-points box's bullets may be as long as paragraphs: the article starts after them)
    first_prose = next((i for i in range(n) if page.reasons[i] is None and page.prose(i)
                        and not c.bullet(page.folded[i])), n)
    for i in range(n):
        if page.reasons[i] == "empty":
            continue
        f = page.folded[i].strip()
        if i > first_prose and page.reasons[i] in (None, "navigation", "related-list") and _THREAD_ON.match(f):
            page.reasons[i] = "navigation"  # (it quotes the headline, so it may be long)
            _mark_thread(page, i)
        elif page.long[i]:
            continue
        elif i > first_prose and ((page.reasons[i] == "navigation" and c.COMMENTS.match(f))
                                  or (page.reasons[i] in (None, "navigation") and _THREAD_HEADER.match(f))):
            # (a thread follows the article: "14 komentar" in the byline counts comments, it heads none)
            page.reasons[i] = page.reasons[i] or "navigation"
            _mark_thread(page, i)
        elif _ABOUT_AUTHOR.match(f):
            page.reasons[i] = page.reasons[i] or "credit"
            j = page.non_empty(range(i + 1, n))
            if j is not None and page.reasons[j] is None and page.n_units[j] <= 120:
                page.reasons[j] = "credit"
        elif i < first_prose and page.reasons[i] in (None, "summary-duplicate"):
            m = c.SUMMARY_PREFIX.match(f)
            if (m is None or m.end() < len(f)) and not _KEY_POINTS_ALONE.match(f):
                continue  # "Key points" alone: a box label, its bullets follow
            for j in range(i + 1, first_prose):
                if page.reasons[j] == "empty":
                    continue
                fj = page.folded[j]
                if page.reasons[j] is not None or not (c.bullet(fj) > 0 or c.is_list_item(fj)):
                    break
                page.reasons[j] = "summary-duplicate"
            _mark_points_block(page, i)
            page.reasons[i] = page.reasons[i] or "summary-duplicate"


_POINTS_MAX = 5


def _mark_points_block(page: Page, label: int) -> None:
    """The unmarked sentences of a key-points box right under its label (``Key points`` /
    ``Ringkasan Berita:``), up to the blank line or chrome that closes the box, with the article
    going on after it: at most a few short sentences."""
    n = len(page.texts)
    run = []
    j = label + 1
    while j < n and page.reasons[j] is None and not page.long[j] and page.n_units[j] <= 80:
        run.append(j)
        j += 1
    if not run or len(run) > _POINTS_MAX or (j < n and page.reasons[j] is None):
        return  # no box, or one that does not close (the article itself)
    if not any(page.reasons[k] is None and page.prose(k) for k in range(j, n)):
        return
    for k in run:
        page.reasons[k] = "summary-duplicate"


# "作者簡介：阿Ken，土生土長澳門人…": the bio's label and the bio on one line
_ABOUT_AUTHOR_INLINE = re.compile(r"^[\[【]?\s*(?:关于作者|作者简介|作者介绍|about the (?:author|writer)|tentang penulis|"
                                  r"profil penulis)\s*[\]】]?\s*[:：]\s*\S")
# "Jun Ebarle covers agriculture for …", "Rina Oktaviani adalah staf Humas …", "Dana Lee is a reporter …"
_BIO = re.compile(r"^((?:[A-Z][a-z'’-]+|[A-Z]\.)(?:\s+(?:[A-Z][a-z'’-]+|[A-Z]\.|Anak|bin|binti|de|van|von)){1,4})\s+"
                  r"(?:covers|reports on|writes (?:about|on|for)|(?:is|was) (?:an?|the)|adalah|merupakan)\b")


def mark_author_bio(page: Page) -> None:
    """The writer's bio after the article: ``作者簡介：…`` on one line, or the last paragraph
    introducing the writer a byline or credit line named (``By Jun Ebarle`` … ``Jun Ebarle covers
    agriculture for …``, ``… is the RBA's biosecurity officer``). A person's description inside
    the story is not at its end or names no one the byline names."""
    n = len(page.texts)
    first_prose = page.first_paragraph()
    if first_prose is None:
        return
    for i in range(first_prose + 1, n):
        if page.reasons[i] is None and page.n_units[i] <= 160 and _ABOUT_AUTHOR_INLINE.match(page.folded[i].strip()):
            page.reasons[i] = "credit"
    last = page.last_paragraph(after=first_prose)
    if last is None or page.n_units[last] > 160:
        return
    m = _BIO.match(page.texts[last].strip())
    if m is None:
        return
    name = m.group(1).casefold()
    if any(page.reasons[k] in ("byline", "credit") and name in page.texts[k].casefold()
           or page.texts[k].strip().casefold() == name for k in range(last)):  # (or alone on its line)
        page.reasons[last] = "credit"  # (the writer the byline named: "By MWILA CHANDA | October 18")
