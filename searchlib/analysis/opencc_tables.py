"""Reading OpenCC's dictionaries and deriving searchlib's phrase fold table from them (build time).

searchlib ships its folding tables as data (``t2s_fold.json``, ``t2s_phrases.json``): folding,
hence every index, must not change when another OpenCC release is installed. This module makes
the phrase table from the installed ``opencc`` package; tests check that the shipped table is
still the one it makes. Nothing here runs when text is analyzed.

OpenCC's dictionaries ship as ``.ocd2`` files: the header ``OPENCC_MARISA_0.2.5``, a marisa trie of
the keys, then the values (item count, byte count, NUL-terminated strings, and per item the
number of values and each one's byte length); a key's trie id is its item number.

How the phrase table is derived (:func:`build_phrase_table`)
-----------------------------------------------------------
Folding must give a Simplified text and its conversions (OpenCC ``s2t``, ``s2tw``, ``s2twp``,
``s2hk``) the same string. The character table already folds most of them; what is left are
characters whose conversion depends on the phrase (``了解`` → ``瞭解`` but ``瞭望`` stays), regional
variants (``着`` → ``著`` in Taiwan), and Taiwan's own vocabulary (``信息`` → ``資訊``).

1. Every Simplified phrase OpenCC knows (``STPhrases``, the phrases generated from the regional
   tables, and the Simplified form of the regional phrase keys) is converted with the four
   configurations. Where the character fold ``C`` of the conversion differs from ``C`` of the
   phrase, the table maps ``C(conversion)`` → ``C(phrase)``. When several phrases convert to one
   key, the most frequent one in jieba's dictionary wins (``高階`` comes from ``高级`` far more
   often than from ``高端``).
2. Single characters come from OpenCC's own reverse tables (``TWVariantsRev``, ``HKVariantsRev``:
   ``著`` → ``着``, ``衞`` → ``卫``) when a Simplified character really converts to them, and from
   ``TSCharacters`` for the supplementary planes (which the character table leaves out). A single
   character is never folded to a rarer one (``么`` stays, though Taiwan's ``么`` is ``幺``).
3. Phrases whose characters fold to themselves but hold such a character (``顯著`` → ``显著``,
   ``著名``) map to themselves, so the longest match keeps them.
4. The table is closed: every value is a fixed point of the table (``哈萨克`` → ``哈萨克斯坦``
   needs ``哈萨克斯坦`` → itself), and chains are followed to their end.

The fold applies the table with one leftmost-longest Aho-Corasick pass after the character fold.
"""
from __future__ import annotations

import json
import os
import struct
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["PHRASE_CONFIGS", "build_phrase_table", "opencc_data_dir", "read_ocd2", "write_phrase_table"]

OCD2_HEADER = b"OPENCC_MARISA_0.2.5"
# Script conversions only. s2twp also swaps vocabulary (mainland 进程 → Taiwan 程序, 信息 → 資訊,
# 创建 → 建立): reversing that would fold distinct mainland words into each other (a search for
# 程序 would find 进程), so Taiwan's and Hong Kong's vocabulary tables are left out on purpose.
PHRASE_CONFIGS = ("s2t", "s2tw", "s2hk")


def opencc_data_dir() -> Path:
    """The folder of the installed OpenCC package's ``.ocd2`` dictionaries."""
    import opencc

    base = Path(opencc.__file__).resolve().parent
    for cand in (base / "clib" / "share" / "opencc", base / "data"):
        if any(cand.glob("*.ocd2")):
            return cand
    raise FileNotFoundError(f"no OpenCC .ocd2 dictionaries under {base}")


def read_ocd2(path: str | os.PathLike[str]) -> dict[str, list[str]]:
    """Key → values of one OpenCC ``.ocd2`` dictionary."""
    import marisa_trie

    data = Path(path).read_bytes()
    if not data.startswith(OCD2_HEADER):
        raise ValueError(f"{path}: not an OpenCC .ocd2 dictionary")
    trie = marisa_trie.Trie()
    trie.frombytes(data[len(OCD2_HEADER):])
    pos = len(OCD2_HEADER) + len(trie.tobytes())
    n_items, total = struct.unpack_from("<II", data, pos)
    pos += 8
    buf = data[pos:pos + total]
    pos += total
    values: list[list[str]] = []
    at = 0
    for _ in range(n_items):
        (count,) = struct.unpack_from("<H", data, pos)
        pos += 2
        item = []
        for _ in range(count):
            (size,) = struct.unpack_from("<H", data, pos)
            pos += 2
            item.append(buf[at:at + size - 1].decode("utf-8"))
            at += size
        values.append(item)
    if pos != len(data):
        raise ValueError(f"{path}: unexpected trailing data")
    return {key: values[i] for key, i in trie.items()}


def _converter(config: str) -> Callable[[list[str]], list[str]]:
    import opencc

    cc = opencc.OpenCC(config)

    def convert(items: list[str]) -> list[str]:
        out = cc.convert("\n".join(items)).split("\n")
        if len(out) != len(items):
            raise ValueError(f"OpenCC {config} changed the number of lines")
        return out

    return convert


def build_phrase_table(char_fold: Callable[[str], str] | None = None,
                       frequency: Callable[[str], int] | None = None) -> dict[str, str]:
    """The phrase fold table derived from the installed OpenCC (see the module docstring).

    ``char_fold`` is the character fold the table is applied after (default: searchlib's
    :func:`~searchlib.analysis.normalize.fold` without phrases); ``frequency`` a word's count in
    jieba's dictionary (default: from the ``jieba`` package, a development dependency)."""
    if char_fold is None:
        from searchlib.analysis.normalize import fold

        def char_fold(text: str) -> str:
            return fold(text).text

    if frequency is None:
        import jieba

        jieba.initialize()
        freq = jieba.dt.FREQ
        frequency = lambda w: freq.get(w, 0)  # noqa: E731
    C = char_fold
    d = opencc_data_dir()

    def read(name: str) -> dict[str, list[str]]:
        return read_ocd2(d / f"{name}.ocd2")

    t2s = _converter("t2s")
    sources: set[str] = set(read("STPhrases")) | set(read("STPhrases_GeneratedFromRegionalPhrases"))
    for name in ("TWVariantsPhrases", "HKVariantsPhrases"):
        sources.update(t2s(sorted(read(name))))
    phrases = sorted(s for s in sources if len(s) > 1 and "\n" not in s)
    chars = sorted(set(read("STCharacters")) | set(read("TWVariants")) | set(read("HKVariants")))
    candidates: dict[str, set[str]] = defaultdict(set)
    same: set[str] = set()  # phrases whose conversions fold to themselves
    arising: set[tuple[str, str]] = set()  # (folded conversion, folded character) of single characters
    for config in PHRASE_CONFIGS:
        convert = _converter(config)
        for s, t in zip(phrases, convert(phrases)):
            key, value = C(t), C(s)
            if key != value:
                candidates[key].add(value)
            else:
                same.add(key)
        for s, t in zip(chars, convert(chars)):
            if C(t) != C(s):
                arising.add((C(t), C(s)))

    table: dict[str, str] = {}
    for key, values in candidates.items():
        table[key] = max(sorted(values), key=frequency)
    single: dict[str, str] = {}
    for name in ("TWVariantsRev", "HKVariantsRev"):
        for k, vs in sorted(read(name).items()):
            key, value = C(k), C(t2s([vs[0]])[0])
            if len(key) == 1 and key != value and (key, value) in arising:
                single[key] = value
    for name in ("TSCharacters", "TSCharactersExt"):
        for k, vs in sorted(read(name).items()):
            if len(k) == 1 and ord(k) > 0xFFFF:
                key, value = C(k), C(vs[0])
                if len(key) == 1 and key != value:
                    single.setdefault(key, value)
    for key, value in single.items():
        table.setdefault(key, value)
    for key in [k for k in table if len(k) == 1 and ord(k) <= 0xFFFF]:
        if frequency(table[key]) < frequency(key):  # never fold a common character to a rarer form
            del table[key]
    protect: set[str] = set(same)
    for name in ("TWVariantsRevPhrases", "HKVariantsRevPhrases"):
        for k, vs in read(name).items():
            key, value = C(k), C(t2s([vs[0]])[0])
            if len(key) > 1:
                if key != value:
                    table.setdefault(key, max(sorted(candidates.get(key, set()) | {value}), key=frequency))
                else:
                    protect.add(key)
    singles = {k for k in table if len(k) == 1}
    for key in sorted(protect):
        if key not in table and any(ch in singles for ch in key):
            table[key] = key
    return _close(table)


def _close(table: dict[str, str], rounds: int = 20) -> dict[str, str]:
    """Make every value a fixed point of the table and follow chains to their end."""
    from searchlib.analysis.phrases import PhraseFolder

    for _ in range(rounds):
        folder = PhraseFolder(table)
        added = False
        for value in sorted(set(table.values())):
            if value not in table and folder.apply_text(value) != value:
                table[value] = value
                added = True
        folder = PhraseFolder(table)
        closed = {k: folder.apply_text(v) for k, v in table.items()}
        if closed == table and not added:
            return table
        table = closed
    raise ValueError("the phrase table does not settle; check the OpenCC dictionaries")


def write_phrase_table(path: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """Rebuild the shipped phrase table from the installed OpenCC (then bump
    :data:`~searchlib.analysis.phrases.PHRASE_TABLE_VERSION`: indexes record it)."""
    import opencc

    from searchlib.analysis.phrases import PHRASE_TABLE_FILE, PHRASE_TABLE_VERSION

    table = build_phrase_table()
    data = {
        "source": f"OpenCC {getattr(opencc, '__version__', 'unknown')}: STPhrases reversed under "
                  f"{', '.join(PHRASE_CONFIGS)} (not s2twp: vocabulary, not script); regional variant tables; "
                  "see searchlib.analysis.opencc_tables",
        "version": PHRASE_TABLE_VERSION,
        "pairs": sorted(table.items()),
    }
    pairs = ",\n".join(json.dumps(p, ensure_ascii=False) for p in data["pairs"])
    text = (f'{{\n"source": {json.dumps(data["source"], ensure_ascii=False)},\n"version": {data["version"]},\n'
            f'"pairs": [\n{pairs}\n]\n}}\n')  # one pair per line: readable diffs
    Path(path or PHRASE_TABLE_FILE).write_text(text, encoding="utf-8")
    return data
