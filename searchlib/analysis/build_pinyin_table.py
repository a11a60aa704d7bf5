"""Regenerate the reading tables behind pinyin search (needs ``pypinyin``): ``pinyin_chars.txt.gz``
and ``pinyin_phrases.txt.gz``.

    python -m searchlib.analysis.build_pinyin_table

The table holds, toneless (``ü`` written ``v``):

* every character pypinyin knows, with ALL its readings, most common first (heteronyms:
  ``长 zhang,chang``);
* the phrases of pypinyin's phrase dictionary that hold a heteronym (``长沙 chang'sha``,
  ``银行 yin'hang``, ``汽车 qi'che``): the reading that context decides, so a word it knows gets
  its one reading rather than every combination of its characters' rare readings.

They are generated here once and shipped, so building an index never imports pypinyin (0.7 s)
and the readings do not change with the installed pypinyin version. Two files, because a query
needs only the characters' readings (a homophone check) and a one-shot CLI query should not
load the phrases. pypinyin and its data
(pinyin-data, phrase-pinyin-data) are MIT-licensed.
"""
from __future__ import annotations

import gzip
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHARS = HERE / "pinyin_chars.txt.gz"
PHRASES = HERE / "pinyin_phrases.txt.gz"


def untone(syllable: str) -> str:
    """``lǜ`` → ``lv``, ``Cháng`` → ``chang``."""
    d = unicodedata.normalize("NFD", syllable.lower())
    kept = "".join(c for c in d if unicodedata.category(c) != "Mn" or c == "\u0308")
    return unicodedata.normalize("NFC", kept).replace("ü", "v").replace("ê", "e")


def main() -> int:
    import pypinyin
    from pypinyin import phrases_dict, pinyin_dict

    chars: dict[str, list[str]] = {}
    for cp, readings in sorted(pinyin_dict.pinyin_dict.items()):
        out: list[str] = []
        for r in readings.split(","):
            t = untone(r)
            if t.isascii() and t.isalpha() and t not in out:
                out.append(t)
        if out:
            chars[chr(cp)] = out
    head = f"# searchlib pinyin table v1, from pypinyin {pypinyin.__version__} (MIT): "
    lines = [head + "char<TAB>readings (most common first)"]
    for ch, rs in chars.items():
        lines.append(f"{ch}\t{','.join(rs)}")
    _write(CHARS, lines)
    lines = [head + "phrase<TAB>syl'syl"]
    n_phrases = 0
    for word, readings in sorted(phrases_dict.phrases_dict.items()):
        if len(word) < 2 or any(c not in chars for c in word):
            continue
        syls = [untone(r[0]) for r in readings]
        if len(syls) != len(word) or not all(s.isascii() and s.isalpha() for s in syls):
            continue
        if any(len(chars[c]) > 1 for c in word):
            lines.append(f"{word}\t{chr(39).join(syls)}")
            n_phrases += 1
    _write(PHRASES, lines)
    print(f"{CHARS.name}: {len(chars)} characters, {CHARS.stat().st_size:,} bytes; "
          f"{PHRASES.name}: {n_phrases} phrases, {PHRASES.stat().st_size:,} bytes")
    return 0


def _write(path: Path, lines: list[str]) -> None:
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), compresslevel=9, mtime=0))


if __name__ == "__main__":
    sys.exit(main())
