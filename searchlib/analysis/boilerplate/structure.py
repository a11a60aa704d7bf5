"""The article's own structure (runs last, after the learned pass): signature blocks
(:mod:`.signature`), lists a paragraph introduces with a colon, tables and schedules inside the
article, datelines and a notice's heading outweigh the per-line cues that removed them."""
from __future__ import annotations

import re
from itertools import chain, islice

from searchlib.analysis.boilerplate import cues as c
from searchlib.analysis.boilerplate import dates as d
from searchlib.analysis.boilerplate.page import Page
from searchlib.analysis.boilerplate.signature import keep_signature, kept as _kept
from searchlib.analysis.chars import HAN_CHARS

__all__ = ["keep_article_structure", "keep_signature"]


# ---------------------------------------------------------------- 8. the article's own structure
# Runs last, after the learned pass: shapes that belong to the document itself outweigh the per-line
# cues that removed them.

_RESTORABLE = frozenset({"credit", "byline", "caption", "contact"})  # weak per-line cues; never "Read more:" or ads


def keep_article_structure(page: Page) -> None:
    """Keep what the document's own structure shows to be its text: signature blocks, the items
    of a list that a paragraph introduces with a colon, tables and schedules inside the article."""
    keep_signature(page)
    keep_contact_section(page)
    keep_introduced_lists(page)
    keep_tables(page)
    keep_schedules(page)
    keep_list_runs(page)
    keep_datelines_and_attributions(page)
    keep_fields_inside_text(page)


_CELL_SEP = re.compile(r"\s*[|｜]\s*")
_WIDE_SEP = re.compile(r"\s*[\u3000\t]+\s*")
_TABLE_RESTORABLE = _RESTORABLE | {"navigation", "advertisement"}


def keep_tables(page: Page) -> None:
    """A table flattened to text ("品种 | 单位 | 本周均价", "Kubis | kg | Rp4.500 | Rp4.500", cells
    between ideographic spaces or tabs: "学校食堂　38　11　11"): three or more consecutive rows with the
    same number (three or more) of cells, most rows below the first (a header) holding figures,
    next to the article's text. Menus and footers are single rows."""
    n = len(page.texts)
    i = 0
    while i < n:
        cells = _cells(page, i)
        if cells < 3:
            i += 1
            continue
        j = i
        while j + 1 < n and _cells(page, j + 1) == cells:
            j += 1
        rows = range(i, j + 1)
        figures = 2 * sum(any(ch.isdigit() for ch in page.folded[k]) for k in rows[1:]) >= len(rows) - 1
        if len(rows) >= 3 and (figures and _beside_text(page, i, j) or len(rows) >= 4 and _inside_text(page, i, j)):
            for k in rows:
                if page.reasons[k] in _TABLE_RESTORABLE:
                    page.reasons[k] = None
        i = j + 1


def _cells(page: Page, i: int) -> int:
    f = page.folded[i]
    if page.reasons[i] == "empty" or page.long[i]:
        return 0
    if "|" in f or "｜" in f:
        parts = _CELL_SEP.split(f.strip())
    else:  # cells between ideographic spaces or tabs (folding turned them into plain spaces)
        raw = page.texts[i].strip()
        if "\u3000" not in raw and "\t" not in raw:
            return 0
        parts = _WIDE_SEP.split(raw)
    return len(parts) if all(parts) else 0


def _inside_text(page: Page, first: int, last: int) -> bool:
    """Kept lines right above and right below the rows, the one below article text: a table of
    words ("項目 | 本人親自辦理 | 委託他人辦理") inside the article."""
    above = page.non_empty(range(first - 1, -1, -1))
    below = page.non_empty(range(last + 1, len(page.texts)))
    return above is not None and below is not None and page.reasons[above] is None and page.reasons[below] is None \
        and (page.prose(below) or c.ends_sentence(page.folded[below]))


def _beside_text(page: Page, first: int, last: int) -> bool:
    """Kept article text within two non-empty lines above or below the rows (past the table's
    own heading: "A. Kejuruan dan Kuota")."""
    above = islice((k for k in range(first - 1, -1, -1) if page.reasons[k] != "empty"), 2)
    below = islice((k for k in range(last + 1, len(page.texts)) if page.reasons[k] != "empty"), 2)
    return any(page.reasons[k] is None and (page.prose(k) or c.ends_sentence(page.folded[k])) for k in chain(above, below))


_SCHEDULE_RESTORABLE = _RESTORABLE | {"advertisement"}


def keep_schedules(page: Page) -> None:
    """A schedule inside the article ("Clinic schedule" / "October 21 (Monday), 7:00 AM – 12:00 NN:
    Barangay Adecor" / ..., "活动场次" / "7月13日（六）绘本说故事" / ...): two or more consecutive
    lines of a date, weekday or time followed by what happens (bare day headings may stand
    between them), after the article has begun and next to its text. Per-line cues read such
    items as bylines, captions or event ads; a byline is one line, not a run. Items with a phone
    number, an e-mail address or a ``|`` field separator stay as decided."""
    n = len(page.texts)
    first_prose = page.first_paragraph()
    if first_prose is None:
        return
    i = first_prose + 1
    while i < n:
        run: list[int] = []
        items = 0
        k = i
        while k < n:
            if page.reasons[k] == "empty":
                k += 1
                continue
            f = page.folded[k]
            shape = None if page.long[k] or "|" in f else d.schedule_shape(f)
            if shape is None:
                # a short heading inside the schedule ("Posyandu Lansia") when an item follows it
                nxt = page.non_empty(range(k + 1, n))
                if not (items and page.n_units[k] <= 8 and not c.ends_sentence(f) and nxt is not None
                        and not page.long[nxt] and "|" not in page.folded[nxt]
                        and d.schedule_shape(page.folded[nxt]) == "item"):
                    break
            run.append(k)
            items += shape == "item"
            k += 1
        if items >= 2 and _beside_text(page, run[0], run[-1]):
            for m in run:
                fm = page.folded[m]
                if page.reasons[m] in _SCHEDULE_RESTORABLE and not c.PHONE.search(fm) and not c.EMAIL.search(fm):
                    page.reasons[m] = None
        i = max(k, i + 1)


def keep_list_runs(page: Page) -> None:
    """Short lines the learned pass took from the middle of a run of kept short lines inside
    the article ("Persyaratan" / requirement / requirement / ... / "Jadwal"): kept, when the
    lines on both sides are kept, short and not sentences' ends of paragraphs, and the run
    leads into article text."""
    ruled = page.rule_reasons
    if ruled is None:
        return
    n = len(page.texts)
    first_prose = page.first_paragraph()
    if first_prose is None:
        return
    last = page.last_paragraph(after=first_prose)
    if last is None:
        return
    for i in range(first_prose + 1, last):
        if ruled[i] not in (None, "caption") or page.reasons[i] is None or page.long[i] or page.n_units[i] > 40 \
                or ruled[i] == "caption" and c.CAPTION_PLACEHOLDER.match(page.folded[i].strip()):
            continue  # (the learned pass's, or a caption cue's: "可重用手套（本會亦會提供）" in a list, not "[图片]")
        p = page.non_empty(range(i - 1, -1, -1))
        q = page.non_empty(range(i + 1, n))
        if p is None or q is None or page.reasons[p] is not None or page.reasons[q] is not None:
            continue
        if page.prose(p) or page.prose(q) or page.n_units[p] > 40 or page.n_units[q] > 40:
            continue
        if q < last:
            page.reasons[i] = None
    _keep_headed_runs(page, ruled, first_prose, last)


def _keep_headed_runs(page: Page, ruled: list[str | None], first_prose: int, last: int) -> None:
    """A whole run of short lines the learned pass took inside the article, under a kept short
    heading and with the article going on below it (a paragraph, or a kept sentence) (``The awardees`` / ``Rice: Ernesto
    Villanueva (Sibalom) …`` × 5 / ``Nominations … open in January.``): a list of the article."""
    n = len(page.texts)
    i = first_prose + 1
    while i < n:
        if ruled[i] is not None or page.reasons[i] is None or page.reasons[i] == "empty":
            i += 1
            continue
        run = []
        j = i
        while j < n and (page.reasons[j] == "empty" or (ruled[j] is None and page.reasons[j] is not None
                                                           and not page.long[j] and page.n_units[j] <= 40)):
            if page.reasons[j] != "empty":
                run.append(j)
            j += 1
        head = page.non_empty(range(i - 1, -1, -1))
        below = page.non_empty(range(j, n)) if j < n else None
        if run and head is not None and below is not None and page.reasons[below] is None \
                and (below <= last or c.ends_sentence(page.folded[below])) \
                and page.reasons[head] is None and not page.prose(head) and page.n_units[head] <= 20 \
                and not c.ends_sentence(page.folded[head]):
            for k in run:
                page.reasons[k] = None
        i = max(j, i + 1)


_DATELINE_ALONE = re.compile(r"^[A-Z][A-Z .,'’()-]{2,40}?(?:,\s*[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)?\s*"
                             r"(?:[:–—-]|\(\w{2,12}\)\s*[:–—-]?)$")
# the greeting that opens a notice or letter ("Shalom dan salam sejahtera,", "Dear parents,", "各位家长：")
_GREETING = re.compile(r"^(?:assalamu.?alaikum\b|shalom\b|salam sejahtera\b|om swastiastu\b|namo buddhaya\b|"
                       r"salam (?:sehat|hangat|jumpa)\b|yth\.?\s|kepada yth\b|dear\s|尊敬的|亲爱的|各位)")
_ATTRIBUTION = re.compile(r"^[—―–-]{1,2}\s*\S")
# a local station's dateline repeats on every page of the site ("FORT ST. JOHN, B.C. —"): still text
_DATELINE_RESTORABLE = _RESTORABLE | {"repeated-template", "advertisement", "navigation", "related-list"}
_NOTICE_RESTORABLE = _DATELINE_RESTORABLE | {"summary-duplicate"}
# an official notice's own heading and number, above its first paragraph: "PENGUMUMAN" /
# "Nomor: 045/PENG/IX/2024", "公告" / "文号：…"
_NOTICE_HEADING = re.compile(r"^(?:pengumuman|undangan|surat edaran|maklumat|public notice|notice|公告|通告|通知|启事)$")
_REFERENCE_ALONE = re.compile(r"^(?:ref(?:erence)?\.?\s*(?:no\.?|number)?|our ref\.?|nomor|no\.)\s*[:：]?\s*(?=\S*\d)\S*/\S+$")
_NOTICE_HEADING_START = re.compile(r"^(?:pengumuman|undangan|surat edaran|maklumat|public notice|notice)\s+\S")
_NOTICE_ABOUT = re.compile(r"^(?:tentang|perihal|hal|about|subject|re)\s*[:：]?$")
_NOTICE_NUMBER = re.compile(r"^(?:nomor|no\.|number|ref(?:erence)?|文号|编号)\s*[:：]\s*\S{3,40}$")


_DATA_SOURCE = re.compile(r"^[(（]?(?:数据来源|资料来源|資料來源|data source|source|sumber data)\s*[:：]")
_TABLE_ROW = re.compile(r"\S[\u3000\t|｜]+\S.*[\u3000\t|｜]+\S")  # cells between wide spaces or bars
_SAID = re.compile(r"^(?:他|她|他们|她们|[" + HAN_CHARS + r"]{2,4})(?:说|表示|笑说|补充说|强调)[。.]$")
_LETTER_FIELD = re.compile(r"^(?:sub(?:ject)?|ref|re|perihal|hal|lampiran|事由|主题)\s*[.:：]\s*\S.{0,160}$")
_ADDRESSEE = re.compile(r"^(?:to|kepada(?: yth\.?)?|yth\.?|致)\s*[:：]?$")


def _keep_addressee(page: Page, greeting: int) -> None:
    """``To`` / ``All Members`` glued above a letter's greeting: whom the letter is addressed to."""
    above = []
    k = greeting
    for _ in range(3):
        k = k - 1
        if k < 0 or page.reasons[k] == "empty" or page.long[k] or page.n_units[k] > 16:
            return
        above.append(k)
        if _ADDRESSEE.match(page.folded[k].strip()):
            for m in above:
                if page.reasons[m] in _DATELINE_RESTORABLE:
                    page.reasons[m] = None
            return


def keep_datelines_and_attributions(page: Page) -> None:
    """A wire dateline alone on its line right above the paragraph it opens (``HYDERABAD:``,
    ``KERIO VALLEY, Kenya —``), a notice's greeting above its first paragraph (``Shalom dan salam
    sejahtera,``), and the attribution under a quote (``— Helm Declan Ruane, speaking at Killala
    pier``): the article's own text, whatever per-line cue took them."""
    n = len(page.texts)
    for i in range(n):
        if page.reasons[i] not in _NOTICE_RESTORABLE or page.long[i] or page.n_units[i] > 30:
            continue
        raw = page.texts[i].strip()
        if page.reasons[i] in _DATELINE_RESTORABLE and (
                _DATELINE_ALONE.match(raw) or (page.n_units[i] <= 12 and _GREETING.match(page.folded[i])
                                               and page.folded[i].rstrip()[-1:] in ",，:：")):
            q = page.non_empty(range(i + 1, n))
            fields = []
            while q is not None and len(fields) < 2 and _LETTER_FIELD.match(page.folded[q].strip()):
                fields.append(q)  # "Sub: …" / "Ref: …" between a letter's greeting and its text
                q = page.non_empty(range(q + 1, n))
            if q is not None and page.reasons[q] is None and page.prose(q):
                for k in (i, *fields):
                    if page.reasons[k] in _DATELINE_RESTORABLE:
                        page.reasons[k] = None
                if fields or not _DATELINE_ALONE.match(raw):
                    _keep_addressee(page, i)
        elif _NOTICE_HEADING.match(page.folded[i].strip()) or (
                page.n_units[i] <= 30 and _NOTICE_HEADING_START.match(page.folded[i].strip())
                and (q := page.non_empty(range(i + 1, n))) is not None and _NOTICE_NUMBER.match(page.folded[q].strip())):
            # ("PENGUMUMAN DATA FISIK DAN DATA YURIDIS" over its "Nomor: …": the kind and the subject on one line)
            q = page.non_empty(range(i + 1, n))
            number = q if q is not None and _NOTICE_NUMBER.match(page.folded[q].strip()) else None
            if number is not None:
                q = page.non_empty(range(number + 1, n))
            heading = [i, number]
            if q is not None and _NOTICE_ABOUT.match(page.folded[q].strip()):  # "TENTANG" / its subject
                heading.append(q)
                q = page.non_empty(range(q + 1, n))
                while q is not None and (len(heading) == 3 or len(heading) < 6 and page.n_units[q] <= 40
                                         and not page.prose(q)):
                    heading.append(q)  # the subject, wrapped over up to three lines ("… TAHUN ANGGARAN 2025")
                    q = page.non_empty(range(q + 1, n))
            if q is not None and page.reasons[q] is None and page.prose(q):
                for k in heading:  # (a heading restating the headline is the document's own, not a summary)
                    if k is not None and page.reasons[k] in _NOTICE_RESTORABLE:
                        page.reasons[k] = None
        elif page.reasons[i] in _DATELINE_RESTORABLE and _REFERENCE_ALONE.match(page.folded[i].strip()) \
                and (q := page.non_empty(range(i + 1, n))) is not None and page.reasons[q] is None and page.prose(q):
            page.reasons[i] = None  # "Ref. No. UHARI/HR/ATT/2024/07" over a letter's or notice's first paragraph
        elif page.reasons[i] in _RESTORABLE and page.n_units[i] <= 40 and _DATA_SOURCE.match(page.folded[i].strip()) \
                and _kept(page, page.non_empty(range(i - 1, -1, -1))) and _kept(page, page.non_empty(range(i + 1, n))) \
                and _TABLE_ROW.search(page.texts[page.non_empty(range(i - 1, -1, -1))]):
            page.reasons[i] = None  # "（数据来源：…）" under a table, the article going on below
        elif page.reasons[i] in _RESTORABLE and page.n_units[i] <= 8 and _SAID.match(page.folded[i].strip()) \
                and (p := page.non_empty(range(i - 1, -1, -1))) is not None and page.reasons[p] is None \
                and c.is_quote(page.folded[p]):
            page.reasons[i] = None  # “…” / "他说。": the quote's attribution
        elif page.reasons[i] in _RESTORABLE and _ATTRIBUTION.match(raw) and not c.PHONE.search(page.folded[i]) and not c.EMAIL.search(page.folded[i]):
            p = page.non_empty(range(i - 1, -1, -1))
            if p is not None and page.reasons[p] is None and c.is_quote(page.folded[p]):
                page.reasons[i] = None


_FIELD = re.compile(r"^([^:：]{1,48})[:：]\s*\S")
# the labels of a page's own byline fields (when it was published, by whom): not the article's fields
_PUBLISH_LABEL = re.compile(r"^(?:发布|发表|更新|来源|作者|编辑|浏览|阅读|点击|相关|上一篇|下一篇|标签|"
                            r"posted|published|updated|by|source|tags?|previous|next|read more|baca juga|unduh|download|"
                            r"下载|附件|lampiran|diposting|dipublikasikan|diterbitkan|diperbarui|sumber|penulis|editor)")


_SAYS = re.compile(r"(?:说|says|said|wrote|menulis|berkata)\s*$")


def keep_fields_inside_text(page: Page) -> None:
    """"Label: value" lines under a kept line of the article, below its first paragraph
    (``展期：2024年7月2日至12月31日``, ``周一至周五：18:00—22:00``, ``地點：本館二樓展覽廳``), are
    the article's facts, not the page's byline (whose fields say when and by whom it was
    published) nor a list of links: a date field between two kept lines, or a run of fields
    right under the article's text, taken by the byline or related-list cues."""
    n = len(page.texts)
    first = page.first_paragraph()
    first = n if first is None else first
    for i in range(first + 1, n):
        r = page.reasons[i]
        f = page.folded[i].strip()
        m = _FIELD.match(f)
        if r in ("contact", "credit") and m is not None and c.EVENT_LABEL.match(m.group(1).strip()):
            r = "byline"  # "地点：…展厅", "门票：免费…": an event's facts, not the page's address or credit
        if r not in ("byline", "related-list") or page.long[i] or page.n_units[i] > 40:
            continue
        if m is None or len(m.group(1).split()) > 6 or _PUBLISH_LABEL.match(m.group(1).strip()) or _SAYS.search(m.group(1)) \
                or c.PHONE.search(f) or c.EMAIL.search(f):
            continue  # (a commenter's "Karen Lau 說：2024年5月15日" heads a comment)
        above = _text_neighbour(page, range(i - 1, -1, -1))
        if above is None or page.reasons[above] is not None:
            continue
        below = _text_neighbour(page, range(i + 1, n))
        in_text = below is not None and page.reasons[below] is None
        nxt = _FIELD.match(page.folded[below].strip()) if below is not None else None
        in_run = nxt is not None and (page.reasons[below] in ("byline", "related-list") or (
            page.reasons[below] in ("contact", "credit") and c.EVENT_LABEL.match(nxt.group(1).strip()) is not None))
        if in_text or in_run or _FIELD.match(page.folded[above].strip()):  # (the run's last field)
            page.reasons[i] = None


def _text_neighbour(page: Page, span: range) -> int | None:
    """The nearest line in ``span`` that is neither empty nor a caption (photos sit between paragraphs)."""
    for j in span:
        if page.reasons[j] not in ("empty", "caption"):
            return j
    return None


# a notice's own numbered section giving whom to contact: "五、联系方式", "三、咨询方式"
_CONTACT_SECTION = re.compile(r"^[一二三四五六七八九十]{1,3}[、.．]\s*(?:联系方式|联系人|联系电话|咨询方式|咨询电话|报名方式|联系我们)[:：]?$")
_SECTION_FIELD = re.compile(r"^[^:：]{2,12}[:：]\s*\S")


def keep_contact_section(page: Page) -> None:
    """The field lines of a notice's own numbered contact section (``五、联系方式`` / ``联系人：…``
    / ``联系电话：…``), followed by more of the notice: its text, not the site's contact block."""
    n = len(page.texts)
    for i in range(n):
        if page.reasons[i] is not None or not _CONTACT_SECTION.match(page.folded[i].strip()):
            continue
        rows, k = [], i + 1
        while k < n and len(rows) < 6 and page.reasons[k] != "empty" and _SECTION_FIELD.match(page.folded[k].strip()) \
                and not page.long[k]:
            rows.append(k)
            k += 1
        after = page.non_empty(range(k, n))
        if rows and after is not None and page.reasons[after] is None:
            for r in rows:
                if page.reasons[r] in _SCHEDULE_RESTORABLE | {"related-list"}:
                    page.reasons[r] = None


def _item_shape(page: Page, i: int) -> str:
    f = page.folded[i]
    if c.is_list_item(f) or c.bullet(f) > 0:
        return "marked"
    return "pair" if _PAIR.match(f.strip()) else "plain"


_PAIR = re.compile(r"^[^:：]{2,40}[:：]\s*\S[^:：]{0,60}$")  # "Dried kava root: 1,240 tonnes"


def keep_introduced_lists(page: Page) -> None:
    """Items of a list under a kept phrase of the article that ends with a colon ("Materi
    pelatihan meliputi:", "5家新食堂地址如下:"), removed one by one by per-line cues (a WhatsApp
    mention, a caption-like phrase, "label: value"), are the article's text. The items are the
    short lines that follow with the first item's shape; unmarked items, and lists whose items were
    all removed ("週六 10:00 開幕", a schedule read as bylines), only count when article text
    follows the list. Items with a phone number or an e-mail address, or led by a credit,
    caption or contact label ("Source:", "Foto:", "Telp:"), stay as decided."""
    first_prose = page.first_paragraph()
    if first_prose is None:
        return
    for i in range(first_prose, len(page.texts)):  # (the first paragraph may introduce one)
        f = page.folded[i]
        if page.reasons[i] is not None or not f.rstrip().endswith(":") or page.n_units[i] < 6 \
                or _ends_in_label(f):
            continue  # (a line ending in a label, "...他说。来源:", names its source, not a list)
        items, shape, k = [], None, i + 1
        while k < len(page.texts):
            if page.reasons[k] == "empty":
                k += 1
                continue
            if page.long[k] or page.n_units[k] > 60 or page.prose(k) or _labelled(page.folded[k]):
                break  # a paragraph, or the list's own credit ("資料來源:...") under it
            fk = page.folded[k].strip()
            if c.CAPTION_FIGURE.match(fk) or c.CAPTION_PLACEHOLDER.match(fk) and c.MEDIA_WORD.search(fk):
                break  # an image ("[图片]", "图一　…"): the list ended above it
            item_shape = _item_shape(page, k)
            if shape is None:
                shape = item_shape
            elif item_shape != shape or shape == "plain" and c.ends_sentence(page.folded[items[-1]]):
                break  # another shape, or the line after a plain list's closing sentence
            items.append(k)
            k += 1
        # article text after the list, or the credit of its figures ("資料來源:..."): that line is
        # removed, so it counts only for items of a shape (marked, "label: value") that stay kept
        # without it; a plain list needs text after it (cleaning cleaned text changes nothing)
        followed = k < len(page.texts) and (page.reasons[k] is None
                                            or shape != "plain" and _labelled(page.folded[k]))
        # (whether every item was removed is the rules' answer: the learned pass may answer
        # differently once the page is cleaned, and cleaning cleaned text must change nothing)
        ruled = page.rule_reasons or page.reasons
        if len(items) < 2 or not followed and (shape == "plain" or all(ruled[m] for m in items)):
            continue
        for m in items:
            fm = page.folded[m]
            by_model = ruled[m] is None  # the learned pass took it: an item of the list all the same
            if (page.reasons[m] in _RESTORABLE or by_model) and not c.PHONE.search(fm) and not c.EMAIL.search(fm):
                page.reasons[m] = None


_LAST_CLAUSE = re.compile(r"[。.!?！？;；]")


def _ends_in_label(folded: str) -> bool:
    """The line's last clause is, or ends in, a credit, caption or contact label ("...他说。来源:",
    "...2023-05-12来源:")."""
    tail = _LAST_CLAUSE.split(folded.rstrip())[-1].lstrip(' "\'”’」』)')
    # a label inside the line starts a word ("hotel:" is not "tel:"); Han labels need no space
    return any(_labelled(tail[k:]) for k in range(max(len(tail) - 12, 0), len(tail))
               if k == 0 or not tail[k].isascii() or not tail[k - 1].isalnum())


def _labelled(folded: str) -> bool:
    """Led by a credit, caption or contact label ("Source:", "Foto:", "Telp:")."""
    return any(label.match(folded) for label in (c.CREDIT_LABEL, c.CAPTION_LABEL, c.CONTACT_LABEL))
