"""Pinyin: reading Latin text as syllables, and the readings of Han words.

Two sides, used by query assistance (:mod:`searchlib.query.assist`) and the per-segment reading
data (:mod:`searchlib.index.readings`):

* **Latin → syllables** (query side, no table needed): :func:`pinyin_key` turns a typed token
  (``Chángshā``, ``chang2sha1``, ``xi'an``, ``CHANGSHA``) into a toneless key (``changsha``) when
  the whole token reads as a sequence of standard syllables (:data:`SYLLABLES`); ``ü`` is written
  ``v`` (``lvyou``, ``lüyou`` and ``lüe``/``lue`` all work). :func:`is_pinyin_prefix` accepts a
  key that stops inside a syllable (``changs``), for autocomplete.
* **Han → readings** (index side): :func:`word_readings` gives the toneless readings of a Han
  word, as tuples of syllables, from the shipped tables ``pinyin_chars.txt.gz`` and
  ``pinyin_phrases.txt.gz`` (generated from pypinyin by
  :mod:`searchlib.analysis.build_pinyin_table`): context-decided phrase readings
  first (``长沙`` → ``chang sha``, found by forward maximum matching inside longer words such as
  ``长沙市``), the readings of the remaining characters (heteronyms: ``行`` → ``xing``,
  ``hang``, ``heng``; the two most common of each inside a word) combined, at most
  :data:`MAX_READINGS` per word.

Keys never carry tones: people rarely type them, and a toned query (``Chángshā``) still finds
its word. Interjection syllables (``m``, ``n``, ``ng``, ``hm``, ``hng``) are left out of
:data:`SYLLABLES`, so ``n`` or ``ng`` never make an English token read as pinyin.
"""
from __future__ import annotations

import gzip
import itertools
import re
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

__all__ = [
    "MAX_READINGS", "SYLLABLES", "initials", "is_pinyin_prefix", "pinyin_key", "reading_table",
    "split_syllables", "typed_key", "word_keys", "word_readings",
]

_HERE = Path(__file__).resolve().parent
CHARS_TABLE = _HERE / "pinyin_chars.txt.gz"
PHRASES_TABLE = _HERE / "pinyin_phrases.txt.gz"
MAX_READINGS = 8
MAX_CHAR_READINGS = 2  # readings of one character combined inside a word the table does not know
_MAX_SYLLABLE = 6

SYLLABLES: frozenset[str] = frozenset("""
a ai an ang ao ba bai ban bang bao bei ben beng bi bian biang biao bie bin bing bo bong bu ca cai
can cang cao ce cei cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chua chuai
chuan chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de dei den deng di
dia dian diao die din ding diu dong dou du duan dui dun duo e ei en eng er fa fan fang fei fen feng
fiao fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang gui gun guo ha hai
han hang hao he hei hen heng hong hou hu hua huai huan huang hui hun huo ji jia jian jiang jiao jie
jin jing jiong jiu ju juan jue jun ka kai kan kang kao ke kei ken keng kong kou ku kua kuai kuan
kuang kui kun kuo la lai lan lang lao le lei len leng li lia lian liang liao lie lin ling liu lo
long lou lu luan lun luo lv lve ma mai man mang mao me mei men meng mi mian miao mie min ming miu
mo mou mu na nai nan nang nao ne nei nen neng ni nia nian niang niao nie nin ning niu nong nou nu
nuan nun nuo nv nve o ou pa pai pan pang pao pei pen peng pi pian piao pie pin ping po pou pu qi
qia qian qiang qiao qie qin qing qiong qiu qu quan que qun ran rang rao re ren reng ri rong rou ru
rua ruan rui run ruo sa sai san sang sao se sen seng sha shai shan shang shao she shei shen sheng
shi shou shu shua shuai shuan shuang shui shun shuo si song sou su suan sui sun suo ta tai tan tang
tao te tei teng ti tian tiao tie ting tong tou tu tuan tui tun tuo wa wai wan wang wei wen weng wo
wong wu xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue xun ya yan yang yao ye yi yin ying
yo yong you yu yuan yue yun za zai zan zang zao ze zei zen zeng zha zhai zhan zhang zhao zhe zhei
zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu zuan zui zun
zuo""".split())
# Every proper prefix of a syllable (for keys that stop mid-syllable: "changs").
_PARTIAL: frozenset[str] = frozenset(s[:i] for s in SYLLABLES for i in range(1, len(s)))

# "lue"/"nue" are the usual keyboard spellings of lüe/nüe; tone digits follow a syllable.
_ALIASES = (("lue", "lve"), ("nue", "nve"))
_TYPED_RE = re.compile(r"[a-zv](?:[a-zv]|[1-5](?![1-5])|['’](?=[a-zv]))*")


def _strip_marks(text: str) -> str:
    """Lower case, tone marks removed, ``ü`` → ``v``."""
    if text.isascii():
        return text.lower()
    d = unicodedata.normalize("NFD", text.lower())
    kept = "".join(c for c in d if unicodedata.category(c) != "Mn" or c == "\u0308")
    return unicodedata.normalize("NFC", kept).replace("ü", "v").replace("ê", "e")


def split_syllables(key: str) -> list[str] | None:
    """One segmentation of ``key`` into syllables (fewest syllables), or None when there is none."""
    n = len(key)
    if not n or n > 64:
        return None
    best: list[int | None] = [None] * (n + 1)  # best[i]: syllable count of key[:i]
    back = [0] * (n + 1)
    best[0] = 0
    for i in range(n):
        if best[i] is None:
            continue
        for j in range(i + 1, min(n, i + _MAX_SYLLABLE) + 1):
            if key[i:j] in SYLLABLES and (best[j] is None or best[i] + 1 < best[j]):  # type: ignore[operator]
                best[j] = best[i] + 1  # type: ignore[operator]
                back[j] = i
    if best[n] is None:
        return None
    out = []
    j = n
    while j:
        out.append(key[back[j]:j])
        j = back[j]
    return out[::-1]


def pinyin_key(token: str) -> str | None:
    """The toneless key of ``token`` when all of it reads as pinyin syllables (``Chángshā`` →
    ``changsha``, ``xi'an`` → ``xian``, ``chang2sha1`` → ``changsha``), else None."""
    t = _strip_marks(token)
    if not _TYPED_RE.fullmatch(t):
        return None
    key = re.sub(r"[1-5'’]", "", t)
    for a, b in _ALIASES:
        if a in key:
            key = key.replace(a, b)
    return key if split_syllables(key) is not None else None


def is_pinyin_prefix(key: str) -> bool:
    """True when ``key`` is syllables followed by at most one incomplete syllable (``changs``)."""
    n = len(key)
    if not n or n > 64 or not key.isascii() or not key.isalpha():
        return False
    ok = [False] * (n + 1)
    ok[0] = True
    for i in range(n):
        if not ok[i]:
            continue
        for j in range(i + 1, min(n, i + _MAX_SYLLABLE) + 1):
            piece = key[i:j]
            if piece in SYLLABLES:
                ok[j] = True
            if j == n and piece in _PARTIAL:
                return True
    return ok[n]


def typed_key(token: str) -> str:
    """``token`` lower-cased without tone marks, tone digits or apostrophes (for prefixes)."""
    key = re.sub(r"[1-5'’]", "", _strip_marks(token))
    for a, b in _ALIASES:
        key = key.replace(a, b)
    return key


def initials(syllables: tuple[str, ...]) -> str:
    """First letters: ``("chang", "sha")`` → ``cs`` (what people type for abbreviations)."""
    return "".join(s[0] for s in syllables)


class ReadingTable:
    """Readings of characters and context-decided readings of phrases (loaded once)."""

    def __init__(self, phrases: bool = True) -> None:
        raw = _read_table(CHARS_TABLE)
        starts: dict[str, int] = {}  # first character -> length of the longest phrase it starts
        if phrases:
            table = _read_table(PHRASES_TABLE)
            for k in table:
                n = len(k)
                if n > 1 and starts.get(k[0], 0) < n:
                    starts[k[0]] = n
            raw.update(table)
        self._chars: dict[str, tuple[str, ...]] = {}
        self._raw = raw  # values split on first use
        self._starts = starts

    def phrase(self, text: str) -> tuple[str, ...] | None:
        """The context-decided reading of a phrase of the table, or None."""
        value = self._raw.get(text) if len(text) > 1 else None
        return tuple(value.split("'")) if value else None

    def char_readings(self, ch: str) -> tuple[str, ...]:
        rs = self._chars.get(ch)
        if rs is None:
            value = self._raw.get(ch) if len(ch) == 1 else None
            rs = self._chars[ch] = tuple(value.split(",")) if value else ()
        return rs

    def keys(self, word: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """:meth:`readings` of ``word`` joined (distinct, most likely first) and their initials:
        what a segment's reading data stores. The two common cases (a phrase of the table, and
        characters with one reading each) skip building the reading tuples: a segment flush
        asks this of every new word."""
        n = len(word)
        if n > 1:
            whole = self._raw.get(word)
            if whole and whole.count("'") == n - 1:
                return (whole.replace("'", ""),), ("".join([s[0] for s in whole.split("'")]),)
        chars = self._chars
        firsts = []
        for c in word:
            rs = chars.get(c)
            if rs is None:
                rs = self.char_readings(c)
            if len(rs) != 1:
                break
            firsts.append(rs[0])
        else:
            return (("".join(firsts),), ("".join([s[0] for s in firsts]),)) if firsts else ((), ())
        readings = self.readings(word)
        return (tuple(dict.fromkeys("".join(r) for r in readings)),
                tuple(dict.fromkeys("".join([x[0] for x in r]) for r in readings)))

    def readings(self, word: str, limit: int = MAX_READINGS) -> list[tuple[str, ...]]:
        """Readings of the Han ``word`` (tuples of syllables), most likely first; ``[]`` when a
        character has no reading."""
        raw = self._raw
        n = len(word)
        if n > 1:
            whole = raw.get(word)
            if whole and whole.count("'") == n - 1:  # a phrase of the table: its one reading
                return [tuple(whole.split("'"))]
        char_readings = self.char_readings
        firsts = []
        for c in word:  # no heteronym: one reading, and no phrase holds these characters
            rs = char_readings(c)
            if len(rs) != 1:
                break
            firsts.append(rs[0])
        else:
            return [tuple(firsts)] if firsts else []
        slots: list[tuple[tuple[str, ...], ...]] = []  # per piece: alternatives (syllable tuples)
        i = 0
        starts = self._starts
        char_readings = self.char_readings
        total = 1
        while i < n:
            longest = starts.get(word[i], 0)
            found = False
            for k in range(min(longest, n - i), 1, -1):
                value = raw.get(word[i:i + k])
                if value:
                    fixed = tuple(value.split("'"))
                    if len(fixed) == k:
                        slots.append((fixed,))
                        i += k
                        found = True
                        break
            if found:
                continue
            rs = char_readings(word[i])
            if not rs:
                return []
            if n > 1:
                rs = rs[:MAX_CHAR_READINGS]  # inside a word, the rarest readings are noise
            slots.append(tuple((r,) for r in rs))
            total *= len(rs)
            i += 1
        if total == 1:
            return [tuple(s for slot in slots for s in slot[0])]
        sizes = [len(s) for s in slots]
        if total <= 64:
            combos = sorted(itertools.product(*[range(k) for k in sizes]), key=sum)[:limit]
        else:  # first readings, then one character at a time on another reading
            combos = [tuple(0 for _ in sizes)]
            for p, k in enumerate(sizes):
                for alt in range(1, k):
                    combos.append(tuple(alt if q == p else 0 for q in range(len(sizes))))
            combos = combos[:limit]
        out = []
        for combo in combos:
            syl: tuple[str, ...] = ()
            for slot, choice in zip(slots, combo):
                syl += slot[choice]
            out.append(syl)
        return out


def _read_table(path: Path) -> dict[str, str]:
    with gzip.open(path, "rb") as f:
        text = f.read().decode("utf-8")
    parts = re.split("[\t\n]", text[text.index("\n") + 1:])
    table = dict(zip(parts[0::2], parts[1::2]))
    table.pop("", None)
    return table


_TABLES: dict[bool, ReadingTable] = {}
_TABLE_LOCK = threading.Lock()


def reading_table(phrases: bool = True) -> ReadingTable:
    """The shipped table (loaded on first use, shared). ``phrases=False``: the characters only
    (a third of the loading time), enough to read a query's characters; with phrases when
    they are loaded anyway."""
    table = _TABLES.get(phrases) or _TABLES.get(True)
    if table is None:
        with _TABLE_LOCK:
            table = _TABLES.get(phrases) or _TABLES.get(True)
            if table is None:
                table = _TABLES[phrases] = ReadingTable(phrases)
    return table


@lru_cache(maxsize=1 << 16)
def word_readings(word: str) -> tuple[tuple[str, ...], ...]:
    """Cached :meth:`ReadingTable.readings`."""
    return tuple(reading_table().readings(word))


@lru_cache(maxsize=1 << 17)  # ~35 MB when full; merges copy their inputs' readings instead
def word_keys(word: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``(distinct toneless readings, distinct initials)`` of a Han word, as the per-segment data
    stores them (``长沙`` → ``(("changsha",), ("cs",))``); cached, since the segments of one index
    and their merges share most of their words."""
    return reading_table().keys(word)
