"""Harvest title, date, source and author from the lines the filter removed."""
from __future__ import annotations

import re
import unicodedata

from searchlib.analysis.boilerplate import dates
from searchlib.analysis.boilerplate.cues import HEAD, strip_pinyin

_I = re.IGNORECASE
_VALUE = r"\s*[:：]\s*([^|｜,，;；()（）\s][^|｜,，;；()（）]{0,60}?)(?=\s\s|\s?[|｜,，;；()（）]|\s\S{1,6}[:：]|$)"
_TITLE_PREFIX = re.compile(r"^\s*(?:标题|標題|title|judul)\s*[:：]\s*", _I)
_SOURCE = (
    re.compile(r"(?:来源|來源|稿源|出处|出處|文章来源|文章來源|source|sumber)" + _VALUE, _I),
    re.compile(r"^[(（]?\s*this (?:article|story) is from (?:the )?(.{2,120}?)[.)）]?$", _I),
)
_AUTHOR = (
    re.compile(r"(?:作者|撰文|penulis|reporter|pewarta|written by|author)" + _VALUE, _I),
    re.compile(r"(?:记者|記者)\s+([\u3400-\u9fff]{2,4})"),
    re.compile(r"^(?:[Bb]y|[Oo]leh)\s+([A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3})"),
)
_EDITOR = re.compile(r"(?:责任编辑|責任編輯|编辑|編輯|责编|責編|editor|redaktur)" + _VALUE, _I)


def harvest(texts: list[str], folded: list[str], reasons: list[str | None], title: int | None) -> dict[str, str]:
    meta: dict[str, str] = {}
    if title is not None:
        meta["title"] = _TITLE_PREFIX.sub("", texts[title]).strip()
    removed = [i for i, r in enumerate(reasons) if r in ("byline", "credit")]
    last_kept = max((i for i, r in enumerate(reasons) if r is None), default=len(reasons))
    dated = [i for i in removed if i < last_kept]  # not dates of an event advertised below the article
    for i in sorted(dated, key=lambda i: reasons[i] != "byline"):  # bylines first
        date = dates.find_date(folded[i])
        if date:
            meta["date"] = date
            break
    plain = {i: unicodedata.normalize("NFKC", strip_pinyin(texts[i][:HEAD])).strip() for i in removed}
    _first(meta, "source", plain, _SOURCE)
    _first(meta, "author", plain, _AUTHOR)
    if "author" not in meta:
        _first(meta, "author", plain, (_EDITOR,))
    return meta


def _first(meta: dict[str, str], name: str, plain: dict[int, str], patterns) -> None:
    for pattern in patterns:
        for i in sorted(plain):
            m = pattern.search(plain[i])
            if m and m.group(1).strip():
                meta[name] = m.group(1).strip().rstrip(".。")
                return
