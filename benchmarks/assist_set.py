"""Build the labelled query-assistance set: ``python -m benchmarks.assist_set`` → ``benchmarks/assist_set.json``.

Seeded and deterministic (numpy ``default_rng(SEED)``; pypinyin for the readings). Two corpora:

* ``pd``: People's Daily, January 1998 (:func:`benchmarks.corpora.load_pd`), one document per
  paragraph, ids ``pd-<line>``;
* ``pages``: the sample pages ``corpus/pages`` and ``corpus/unseen*`` (cleaned, as ``add_page``
  indexes them), ids ``<folder>/<page>``.

For a target document we take its most distinctive words (highest tf x idf; Han words of 2-4
characters that the analyzer indexes as words, or Latin words of 5+ letters) and write, per
target, some of these queries (``kind``):

* ``correct`` -- the words as they are (Han words, or English / Indonesian words);
* ``pinyin`` -- the Han words as toneless pinyin, one token per word (``zhuzhou guidao``);
* ``pinyin_spaced`` -- every syllable apart (``zhu zhou gui dao``);
* ``pinyin_tones`` -- with tone marks, capitalized as a name would be (``Zhūzhōu guǐdào``);
* ``homophone`` -- one character of the first word replaced by a common character whose usual
  (first) reading is the reading of the replaced one (``常沙`` for 长沙: what an input method
  offers for the same syllable), making text found nowhere in the corpus; the second word
  follows as typed;
* ``latin_typo`` -- one random edit (deletion, insertion, substitution, transposition; two for
  words of 9+ letters) in one or both words, never producing a word of the corpus.

Every query has its ``target`` (the document id), ``corpus``, ``kind``, ``words`` (the intended
words) and ``split``: ``dev`` or ``test`` by target (a seeded half of the targets each), so no
target's queries leak from the tuning half into the reported one.
"""
from __future__ import annotations

import json
import math
import re
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

SEED = 16
OUT = Path(__file__).resolve().parent / "assist_set.json"
N_PD_TARGETS = 130
N_PAGE_TARGETS = 160
_HAN_WORD = re.compile(r"[\u4e00-\u9fff]{2,4}")
_LATIN_WORD = re.compile(r"[a-z]{5,}")


def page_documents() -> list[tuple[str, str]]:
    """``(id, cleaned body)`` of every sample page, through the same cleaning as ``add_page``."""
    from corpus.pages import iter_pages
    from searchlib import clean

    root = Path(__file__).resolve().parent.parent / "corpus"
    out = []
    for folder in ["pages", *sorted(p.name for p in root.glob("unseen*"))]:
        for page in iter_pages(root / folder):
            out.append((f"{folder}/{page.name}", clean(page.text).text))
    return out


def _distinctive(docs_terms: list[list[str]], pick: Any, k: int) -> list[list[str]]:
    df: Counter = Counter()
    for terms in docs_terms:
        df.update(set(terms))
    n = len(docs_terms)
    out = []
    for terms in docs_terms:
        tf = Counter(t for t in terms if pick(t))
        scored = sorted(tf, key=lambda t: (-(tf[t] * math.log(n / df[t])), t))
        out.append([t for t in scored if df[t] < max(3, n // 20)][:k])
    return out


def _pinyin_variants(words: list[str], rng: np.random.Generator) -> dict[str, str]:
    from pypinyin import Style, lazy_pinyin

    plain = [lazy_pinyin(w, style=Style.NORMAL) for w in words]
    toned = [lazy_pinyin(w, style=Style.TONE) for w in words]
    if not all(s.isascii() and s.isalpha() for syl in plain for s in syl):
        return {}
    return {
        "pinyin": " ".join("".join(s) for s in plain),
        "pinyin_spaced": " ".join(s for syl in plain for s in syl),
        "pinyin_tones": " ".join(("".join(s).capitalize() if rng.random() < 0.5 else "".join(s)) for s in toned),
    }


def _homophone(word: str, rng: np.random.Generator, common: list[str], text_of_corpus: str) -> str | None:
    from pypinyin import Style, lazy_pinyin, pinyin

    reading = lazy_pinyin(word, style=Style.NORMAL)
    for i in rng.permutation(len(word)).tolist():
        target = reading[i]
        cands = [c for c in common if c != word[i] and pinyin(c, style=Style.NORMAL)[0][0] == target]
        rng.shuffle(cands)
        for c in cands[:30]:
            typo = word[:i] + c + word[i + 1:]
            if typo not in text_of_corpus:
                return typo
    return None


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _typo(word: str, rng: np.random.Generator, vocab: set[str]) -> str | None:
    for _ in range(50):
        w = word
        for _ in range(2 if len(word) >= 9 else 1):
            i = int(rng.integers(1, len(w)))  # people rarely miss the first letter
            op = int(rng.integers(4))
            if op == 0:
                w = w[:i] + w[i + 1:]
            elif op == 1:
                w = w[:i] + _LETTERS[int(rng.integers(26))] + w[i:]
            elif op == 2:
                w = w[:i] + _LETTERS[int(rng.integers(26))] + w[i + 1:]
            elif i < len(w) - 1:
                w = w[:i] + w[i + 1] + w[i] + w[i + 2:]
        if w != word and w not in vocab:
            return w
    return None


def build() -> list[dict[str, Any]]:
    from benchmarks.corpora import load_pd
    from searchlib.analysis.analyzer import default_analyzer

    rng = np.random.default_rng(SEED)
    a = default_analyzer()
    queries: list[dict[str, Any]] = []

    # -- People's Daily: Han words (gold segmentation) that the analyzer also indexes as words
    pd = load_pd()
    assert pd.gold is not None
    char_freq: Counter = Counter()
    for body in pd.bodies:
        char_freq.update(c for c in body if "\u4e00" <= c <= "\u9fff")
    common = [c for c, _ in char_freq.most_common(1500)]
    everything = "\n".join(pd.bodies)
    eligible = [i for i, b in enumerate(pd.bodies) if len(b) >= 40]
    targets = sorted(rng.choice(eligible, size=N_PD_TARGETS * 2, replace=False).tolist())
    picked = 0
    for i in targets:
        if picked >= N_PD_TARGETS:
            break
        terms = set(a.index_terms(pd.bodies[i]).terms)
        words = [w for w in _distinctive_one(pd.gold, i) if w in terms][:2]
        if len(words) < 2:
            continue
        picked += 1
        base = {"corpus": "pd", "target": pd.ids[i], "words": words}
        queries.append({**base, "kind": "correct", "q": " ".join(words)})
        for kind, q in _pinyin_variants(words, rng).items():
            queries.append({**base, "kind": kind, "q": q})
        typo = _homophone(words[0], rng, common, everything)
        if typo is not None:
            queries.append({**base, "kind": "homophone", "q": f"{typo} {words[1]}", "typo": typo})

    # -- sample pages: Han words of the Chinese pages, Latin words of the English/Indonesian ones
    docs = page_documents()
    terms = [a.index_terms(body).terms for _, body in docs]
    vocab = {t for ts in terms for t in ts}
    page_text = "\n".join(a.fold(body).text for _, body in docs)
    best_han = _distinctive(terms, lambda t: bool(_HAN_WORD.fullmatch(t)), 2)
    best_latin = _distinctive(terms, lambda t: bool(_LATIN_WORD.fullmatch(t)), 2)
    order = rng.permutation(len(docs)).tolist()
    for j in order[:N_PAGE_TARGETS]:
        doc_id = docs[j][0]
        base = {"corpus": "pages", "target": doc_id}
        if "/zh-" in doc_id and len(best_han[j]) == 2:
            words = best_han[j]
            queries.append({**base, "words": words, "kind": "correct", "q": " ".join(words)})
            for kind, q in _pinyin_variants(words, rng).items():
                queries.append({**base, "words": words, "kind": kind, "q": q})
            typo = _homophone(words[0], rng, common, page_text)
            if typo is not None:
                queries.append({**base, "words": words, "kind": "homophone", "q": f"{typo} {words[1]}", "typo": typo})
        elif ("/en-" in doc_id or "/id-" in doc_id) and len(best_latin[j]) == 2:
            words = best_latin[j]
            queries.append({**base, "words": words, "kind": "correct", "q": " ".join(words)})
            both = rng.random() < 0.3
            typos = [(_typo(w, rng, vocab) if (k == 0 or both) else w) for k, w in enumerate(words)]
            if all(typos):
                queries.append({**base, "words": words, "kind": "latin_typo", "q": " ".join(typos)})  # type: ignore[arg-type]

    # -- dev / test halves by target
    target_ids = sorted({q["target"] for q in queries})
    dev = set(rng.permutation(target_ids)[: len(target_ids) // 2].tolist())
    for q in queries:
        q["split"] = "dev" if q["target"] in dev else "test"
    return queries


def _distinctive_one(gold: list[list[str]], i: int) -> list[str]:
    """The most distinctive Han words (2-4 characters) of document ``i`` by tf x idf (df cached)."""
    global _PD_DF
    if _PD_DF is None:
        _PD_DF = Counter()
        for words in gold:
            _PD_DF.update(set(words))
    n = len(gold)
    tf = Counter(w for w in gold[i] if _HAN_WORD.fullmatch(w))
    return sorted(tf, key=lambda w: (-(tf[w] * math.log(n / _PD_DF[w])), w))


_PD_DF: Counter | None = None


def main() -> None:
    queries = build()
    rows = ",\n".join(json.dumps(q, ensure_ascii=False, separators=(",", ":")) for q in queries)
    OUT.write_text(f'{{"seed": {SEED}, "queries": [\n{rows}\n]}}\n', encoding="utf-8")  # one query per line
    kinds = Counter((q["corpus"], q["kind"]) for q in queries)
    print(f"{OUT}: {len(queries)} queries")
    for (corpus, kind), n in sorted(kinds.items()):
        print(f"  {corpus:<6} {kind:<14} {n}")


if __name__ == "__main__":
    main()
