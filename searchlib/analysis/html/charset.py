"""The bytes of a page as text: UTF-8 when they are, else the charset the page declares, else the
charset its bytes show.

Pages from the open web are not all UTF-8: Chinese portals still serve GBK/GB2312, Taiwanese and
Hong Kong sites Big5, and a saved page has lost the HTTP header that named its charset. The order
follows what browsers do (WHATWG *encoding sniffing*), with one change: bytes that are valid UTF-8
are read as UTF-8 whatever the page declares, because a wrong ``<meta charset>`` is common and
valid UTF-8 with non-ASCII text is almost never an accident of another encoding.

1. a byte-order mark (UTF-8, UTF-16);
2. valid UTF-8;
3. the ``<meta charset>`` / ``http-equiv`` declaration in the first 16 KiB, read with the
   web's supersets (GB2312 and GBK as GB18030, Big5 as Big5-HKSCS, Latin-1 as windows-1252), a
   few stray bytes (at most 1 in 200) replaced;
4. detection (charset-normalizer, among the encodings news in these languages come in);
5. else :class:`ValueError` naming what is wrong (binary data, or no encoding fits).
"""
from __future__ import annotations

import codecs
import re

from searchlib.errors import DocumentError

__all__ = ["as_text", "decode_page"]

_SNIFF = 16384
_META = re.compile(rb"""<meta[^>]{0,300}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.IGNORECASE)
# WHATWG: a label names the superset browsers decode with
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030", "cp936": "gb18030",
              "big5": "big5hkscs", "x-x-big5": "big5hkscs", "cn-big5": "big5hkscs", "iso-8859-1": "cp1252",
              "latin1": "cp1252", "l1": "cp1252", "ascii": "cp1252", "us-ascii": "cp1252", "shift_jis": "cp932",
              "sjis": "cp932", "euc-kr": "cp949", "ks_c_5601-1987": "cp949"}
_CANDIDATES = ["utf_8", "gb18030", "big5hkscs", "cp1252", "cp932", "cp949", "euc_jp", "utf_16"]
_STRAY = 200  # at most one replaced character in this many


def as_text(page: str | bytes) -> str:
    """A page as text: ``str`` as it is, bytes through :func:`decode_page`; bytes that are no
    text (binary data, no encoding fits) and other types are a :class:`~searchlib.errors.DocumentError`."""
    if isinstance(page, str):
        return page
    if not isinstance(page, (bytes, bytearray, memoryview)):
        raise DocumentError(f"a page is text (str) or bytes, got {type(page).__name__}")
    try:
        return decode_page(bytes(page))
    except ValueError as exc:
        raise DocumentError(f"cannot read the page: {exc}") from None


def decode_page(data: bytes) -> str:
    """``data`` (a page as stored or downloaded) as text; see the module docstring."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", "replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", "replace").lstrip("\ufeff")
    nul = data.find(b"\x00", 0, _SNIFF)
    if nul >= 0:
        raise ValueError(f"binary data (a NUL byte at offset {nul}), not a page")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _declared(data)
    if declared is not None:
        text = _mostly(data, declared)
        if text is not None:
            return text
    text = _detected(data)
    if text is not None:
        return text
    text = _mostly(data, "utf-8")  # a page cut off inside a character, a few bad bytes
    if text is not None:
        return text
    named = f"; it declares {declared}" if declared else ""
    raise ValueError(f"no text encoding fits these bytes (not UTF-8{named}; convert the page to UTF-8)")


def _declared(data: bytes) -> str | None:
    """The codec of the page's ``<meta charset>`` (None: none, or a label Python does not know)."""
    m = _META.search(data[:_SNIFF])
    if not m:
        return None
    label = m.group(1).decode("ascii").lower()
    name = _SUPERSETS.get(label, label)
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return None if codec in ("utf-16", "utf-16-le", "utf-16-be", "utf-32") else codec  # a byte page cannot be


def _mostly(data: bytes, codec: str) -> str | None:
    """``data`` in ``codec`` when at most one character in :data:`_STRAY` had to be replaced."""
    text = data.decode(codec, "replace")
    bad = text.count("\ufffd") - data.decode(codec, "ignore").count("\ufffd")
    return text if bad * _STRAY <= max(len(text), 1) else None


def _detected(data: bytes) -> str | None:
    import charset_normalizer

    best = charset_normalizer.from_bytes(data, cp_isolation=_CANDIDATES).best()
    return None if best is None else str(best)
