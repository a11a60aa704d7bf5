"""The signature that closes an official notice or letter (runs with the structure pass, after
the learned pass): the issuing body and the date of a Chinese notice (落款), "Place, date" with the
office, the signatory and their rank under an Indonesian letter, a signatory's name and title
under an English one. The document's own shape outweighs the per-line cues that removed them."""
from __future__ import annotations

import re

from searchlib.analysis.boilerplate import cues as c
from searchlib.analysis.boilerplate import dates as d
from searchlib.analysis.boilerplate.page import Page
from searchlib.analysis.chars import HAN_CHARS

__all__ = ["closes_text", "keep_signature", "kept"]

# The signature block (落款) that closes a Chinese official notice: the issuing body's name on its
# own line, then the date alone; an Indonesian or English letter closes with "Place, date", then
# the office and the signatory ("Ambon, 11 Maret 2024" / "Kepala Dinas ..." / "ttd." / name).
_CN_NUM = "〇零一二三四五六七八九十"
_SIGNATURE_DATE = re.compile(
    rf"^(?:\d{{4}}|(?:中华)?民国\s*\d{{2,3}}|[{_CN_NUM}]{{4}})\s*年\s*(?:\d{{1,2}}|[{_CN_NUM}]{{1,2}})\s*月"
    rf"\s*(?:\d{{1,2}}|[{_CN_NUM}]{{1,3}})\s*日$"
)
_SIGNATURE_BODY = re.compile(
    r"^[" + HAN_CHARS + r"()（）·]{2,28}(?:局|委员会|委|政府|办公室|办事处|办|中心|院|所|会|处|厅|部|站|队|公司|集团|馆|社|台|"
    r"协会|学校|管委会|指挥部|小组|股|课|科|组|园|场)(?:\s*(?:敬启|谨启|启))?$"
)
_PLACE_DATE = re.compile(r"^[^\W\d_][^\W\d_ .'-]*(?:[ .'-][^\W\d_]+){0,3},\s*" + d.DATE_DMY.pattern + "$")


def kept(page: Page, j: int | None) -> bool:
    return j is not None and page.reasons[j] is None


def closes_text(page: Page, j: int | None) -> bool:
    """Line ``j`` is kept article text ending a sentence ("特此通告。", "Demikian ... dilaksanakan.")."""
    return j is not None and page.reasons[j] is None and (page.prose(j) or c.ends_sentence(page.folded[j]))


def keep_signature(page: Page) -> None:
    """Keep the signature of an official notice or letter right under its last sentence: one or
    two lines naming a body, then a date alone; or "Place, date" and the few lines under it that
    lead to the kept signatory."""
    for i in range(len(page.texts) - 1, -1, -1):
        if page.reasons[i] == "empty":
            continue
        f = page.folded[i].strip()
        if _SIGNATURE_DATE.match(f):
            bodies = []
            j = page.non_empty(range(i - 1, -1, -1))
            while j is not None and len(bodies) < 2 and _signature_body(page.folded[j].strip()):
                bodies.append(j)
                j = page.non_empty(range(j - 1, -1, -1))
            while j is not None and page.reasons[j] == "navigation" and (
                    _ATTACHED.match(page.folded[j].strip()) or _FILE_NAME.search(page.folded[j].strip())):
                j = page.non_empty(range(j - 1, -1, -1))  # "附件：1．…pdf" / "2．…docx" between the notice and its signature
            contact = None
            if j is not None and page.reasons[j] is not None and _NOTICE_CONTACT.match(page.folded[j].strip()):
                contact = j  # "联系人：… 联系电话：…": the notice's own last line, above its signature
                j = page.non_empty(range(j - 1, -1, -1))
            if bodies and closes_text(page, j):
                for k in (*bodies, i):
                    page.reasons[k] = None
                if contact is not None:
                    page.reasons[contact] = None
                after = page.non_empty(range(i + 1, len(page.texts)))
                if after is not None and _RELEASE_NOTE.match(page.folded[after].strip()):
                    page.reasons[after] = None  # "（此件公开发布）" under the date belongs to the notice
        elif _body_then_date(f) and closes_text(page, page.non_empty(range(i - 1, -1, -1))):
            page.reasons[i] = None  # the same two parts on one line: "天荒坪镇社区卫生服务中心　2024年9月10日"
        elif page.reasons[i] is not None and page.n_units[i] <= 6 and _SIGNATORY.search(page.texts[i]) \
                and _signed_by(page, i):
            pass  # (kept in _signed_by: "Fiona Drummond" / "Hon. Secretary" under the notice's last sentence)
        elif page.reasons[i] is not None and page.n_units[i] <= 30 and _SIGN_OFF.match(f) \
                and kept(page, page.non_empty(range(i - 1, -1, -1))):
            page.reasons[i] = None  # "德潤堂中醫診所 謹啟", "（守业　记于四月十六日夜）" under the last sentence
        elif page.reasons[i] is not None and page.n_units[i] <= 8 and _TITLED_NAME.match(page.texts[i].strip()) \
                and closes_text(page, page.non_empty(range(i - 1, -1, -1))) and _nothing_kept_after(page, i):
            page.reasons[i] = None  # "Fr. Declan Moran PP" under a parish letter's last sentence
        elif len(f) <= 60 and _PLACE_DATE.match(f) and closes_text(page, page.non_empty(range(i - 1, -1, -1))):
            page.reasons[i] = None
            block: list[int] = []
            signed = 0  # the block up to its last signatory line ("Bendahara DKM," / "H. Syamsuddin")
            short = True
            for k in range(i + 1, min(i + 4, len(page.texts))):
                if page.reasons[k] == "empty":
                    break
                if page.reasons[k] is None:  # kept (the office, the signatory): keep the lines above it
                    signed = len(block)
                    continue
                block.append(k)
                short = short and page.n_units[k] <= 30 and not c.ends_sentence(page.folded[k])
                if short and page.n_units[k] <= 16 and _SIGNATORY.search(page.texts[k]):
                    signed = len(block)
            for m in block[:signed]:  # the office and the signatory's own line, taken by cues
                page.reasons[m] = None
            _keep_rank_and_id(page, i)


# under an Indonesian official's name: the civil-service rank and grade, and the staff number
_RANK_OR_ID = re.compile(r"^(?:(?:pembina|penata|pengatur|juru)(?:\s+(?:utama|madya|muda|tingkat|tk\.?))*(?:\s+i)?"
                         r"\s*(?:[(（]\s*[iv]{1,3}\s*/\s*[a-e]\s*[)）])?|nip\.?\s*[:.]?\s*\d[\d ]{7,24})$")


def _keep_rank_and_id(page: Page, place_date: int) -> None:
    """``Pembina Utama Muda (IV/c)`` / ``NIP 19730512 199803 1 007`` right under the kept name
    of the official signing below "Place, date": the rest of the signature."""
    n = len(page.texts)
    k = place_date
    for _ in range(6):  # the office, "ttd.", the name
        nxt = page.non_empty(range(k + 1, n))
        if nxt is None or page.reasons[nxt] is not None:
            break
        k = nxt
    if k == place_date:
        return
    for _ in range(2):
        nxt = page.non_empty(range(k + 1, n))
        if nxt is None or not _RANK_OR_ID.match(page.folded[nxt].strip()):
            return
        page.reasons[nxt] = None
        k = nxt


# who signs a notice: a title or an academic degree ("Kepala Desa", "Drs.", "S.Pd.", "Principal")
_SIGNATORY = re.compile(r"\b(?:Drs?|Dra|Ir|Hj?|Prof)\.\s|,\s*(?:S|M|Dr)\.\s?[A-Z][a-z]{0,3}\.?|\b(?:Kepala|Ketua|Sekretaris|Bendahara|Treasurer|"
                        r"Camat|Lurah|Kades|Kepsek|Wakasek|Direktur|Bupati|Wali ?kota|Principal|Headteacher|"
                        r"Chair(?:person|man|woman)?|Secretary|Director)\b")


# a letter's or essay's sign-off: "…诊所 谨启", "（2024年3月 于平遥城南）", "（守业　记于四月十六日夜）"
_SIGN_OFF = re.compile(r"^\S.{0,24}\s*(?:谨启|敬启|谨上|敬上|拜启)$|^[(（][^()（）]{0,16}(?:记于|写于|作于|草于|"
                       r"\d{4}\s*年\s*\d{1,2}\s*月[^()（）]{0,4}于)[^()（）]{0,16}[)）]$")
# a name with an office or clerical title that signs a letter ("Fr. Declan Moran PP", "Rev. Ana Lui")
_TITLED_NAME = re.compile(r"^(?:Fr|Rev|Revd|Msgr|Pastor|Father|Sister|Sr|Bishop|Cllr|Mayor|Romo|Pdt|Pastur)\.?\s+"
                          r"(?:[A-Z][a-z'’-]+|[A-Z]\.)(?:\s+(?:[A-Z][a-z'’-]+|[A-Z]\.)){0,3}"
                          r"(?:,?\s+(?:PP|CC|SJ|OP|OFM|SVD|MSC|CSsR|Adm))?$")


def _nothing_kept_after(page: Page, i: int) -> bool:
    after = page.non_empty(range(i + 1, len(page.texts)))
    return after is None or page.reasons[after] is not None


_FILE_NAME = re.compile(r"\.(?:pdf|docx?|xlsx?|pptx?|zip|rar|wps|ofd)\s*(?:[(（][^()（）]{0,16}[)）])?$")
_ATTACHED = re.compile(r"^(?:附件|lampiran|attachments?)\s*\d*\s*[:：]")
# a notice's contact line above its signature, and its release note under the date
_NOTICE_CONTACT = re.compile(r"^(?:联[系络]人|联[系络]电话|咨询电话|查询电话)\s*[:：]\s*\S.{0,38}$")
_RELEASE_NOTE = re.compile(r"^[(（]此件[^()（）]{2,8}[)）]$")
_SIGNATURE_PART = re.compile(r"^[" + HAN_CHARS + r"()（）·]{2,28}$")
_NAME = re.compile(r"^(?:(?:Dr|Mr|Mrs|Ms|Prof|Eng|Hon|Rev|Fr)\.?\s+)?(?:[A-Z][a-z'’-]+|[A-Z]\.)(?:\s+(?:[A-Z][a-z'’-]+|[A-Z]\.)){1,3}$")


# the official who signs it: "乡长　罗志诚", "局长 王建国" (an office, then a name)
_SIGNING_OFFICIAL = re.compile(r"^(?:乡长|镇长|市长|县长|区长|局长|主任|校长|院长|所长|理事长|主席|会长|村长|里长|社长|总经理)"
                               r"\s+[" + HAN_CHARS + r"·]{2,5}$")


def _signature_body(f: str) -> bool:
    """The issuing body of a notice: ``县医疗保障局``, an organisation and its branch
    (``澳门晨曦复康协会 黑沙湾服务中心``), or the official who signs it (``乡长　罗志诚``)."""
    if _SIGNATURE_BODY.match(f) or _SIGNING_OFFICIAL.match(f):
        return True
    parts = f.split()
    return len(parts) == 2 and all(_SIGNATURE_PART.match(p) for p in parts) and _SIGNATURE_BODY.match(parts[-1]) is not None


def _signed_by(page: Page, i: int) -> bool:
    """Line ``i`` is a signatory's title ("Hon. Secretary", "Kepala Desa") under a name alone
    on its line, right under the notice's last sentence, with nothing of the article after it:
    the signature of a letter without "Place, date". Keeps both lines."""
    name = page.non_empty(range(i - 1, -1, -1))
    if name is None or page.reasons[name] in (None, "related-list") or page.reasons[i] == "related-list" \
            or not _NAME.match(page.texts[name].strip()):
        return False  # ("Related Stories" / "Club Chairman Resigns": a list's header and a teaser)
    if not closes_text(page, page.non_empty(range(name - 1, -1, -1))):
        return False
    after = page.non_empty(range(i + 1, len(page.texts)))
    if after is not None and page.reasons[after] is None:
        return False
    page.reasons[name] = page.reasons[i] = None
    return True


def _body_then_date(f: str) -> bool:
    body, _, date = f.rpartition(" ")
    return bool(body) and len(f) <= 60 and bool(_SIGNATURE_DATE.match(date)) and bool(_SIGNATURE_BODY.match(body.strip()))
