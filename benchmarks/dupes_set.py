"""The near-duplicate evaluation set: reposts of real articles among thousands of unrelated documents.

Built by a seeded script (:func:`build`), never stored: ``python -m benchmarks.dupes_set`` prints
its statistics.

* **Articles**: People's Daily paragraphs of 300+ characters (:func:`benchmarks.corpora.load_pd`)
  and the article text of the sample pages (``corpus/pages``, ``corpus/unseen*``, cleaned by
  ``searchlib.clean``: Simplified and Traditional Chinese, English, Indonesian) of 300+ characters.
* **Reposts** (0 to 6 per article, seeded): each applies one to four of
  - chrome lines added at the top and/or bottom: real page-chrome lines (navigation, bylines,
    credits, captions, related lists, disclaimers, contact blocks, ads) taken from the gold line
    labels of the sample pages;
  - a sentence dropped;
  - a sentence inserted from another article of the same script (same part);
  (a "sentence" is at most a third of the article: a longer one is cut at its commas);
  - conversion to Traditional script with OpenCC ``s2t``, ``s2tw`` or ``s2hk`` (Chinese only);
  - punctuation and whitespace changes (full-width ↔ half-width, removed commas, spaces and line
    breaks between sentences);
  and may get a site-decorated title.
* **Background**: the other People's Daily paragraphs of 50+ characters.
* **Clean gold**: unrelated documents must be unrelated. Every pair of documents (articles and
  background, reposts aside) whose unit 5-shingle sets have an exact Jaccard similarity of 0.2 or
  more (People's Daily repeats bylines, headings and passages of speeches) is broken by dropping
  the later document; candidate pairs come from an inverted index of shingles, independent of
  the library's signatures.
* **Parts**: articles and background are shuffled and split in two halves, ``dev`` (thresholds
  are tuned on it) and ``test`` (scored once), each indexed on its own.

A group is an article and its reposts; gold pairs are the pairs inside a group.
"""
from __future__ import annotations

import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PAGE_DIRS = ["corpus/pages", "corpus/unseen", "corpus/unseen2", "corpus/unseen3", "corpus/unseen4", "corpus/unseen5"]
CHROME_LABELS = {"navigation", "related-list", "disclaimer", "repeated-template", "byline", "credit", "caption",
                 "contact", "advertisement"}
SEED = 20261206
MIN_ARTICLE_CHARS = 300
MIN_BACKGROUND_CHARS = 50
NATURAL_JACCARD = 0.2
REPOSTS = [0, 0, 1, 1, 1, 2, 2, 3, 4, 6]  # drawn per article
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SENT = re.compile(r"(?<=[。！？!?；;])|(?<=[.!?])\s+")


@dataclass
class Part:
    name: str
    docs: list[dict[str, Any]]
    groups: dict[str, list[str]]  # article id -> [article id, repost ids...]
    perturbations: dict[str, list[str]] = field(default_factory=dict)  # repost id -> what was done

    def group_of(self) -> dict[str, str]:
        return {d: g for g, members in self.groups.items() for d in members}

    def gold_pairs(self) -> set[tuple[str, str]]:
        out = set()
        for members in self.groups.values():
            for i, a in enumerate(members):
                for b in members[i + 1:]:
                    out.add((a, b) if a < b else (b, a))
        return out


def chrome_lines() -> dict[str, list[str]]:
    """Page-chrome lines of the labelled sample pages, by script (``zh`` or ``latin``)."""
    out: dict[str, list[str]] = {"zh": [], "latin": []}
    for d in PAGE_DIRS:
        base = ROOT / d
        for lab in sorted(base.glob("labels/*.labels.tsv")) + sorted(base.glob("*.labels.tsv")):
            stem = lab.name.replace(".labels.tsv", "")
            page = base / f"{stem}.txt"
            if not page.exists():
                continue
            lines = page.read_text("utf-8").splitlines()
            for row in lab.read_text("utf-8").splitlines():
                parts = row.split("\t")
                if len(parts) < 2 or parts[1] not in CHROME_LABELS:
                    continue
                i = int(parts[0]) - 1
                if 0 <= i < len(lines) and len(lines[i].strip()) >= 4:
                    text = lines[i].strip()
                    out["zh" if _HAN.search(text) else "latin"].append(text)
    for k in out:
        out[k] = sorted(set(out[k]))
    return out


def page_articles() -> list[dict[str, Any]]:
    """Cleaned article text (and title) of every sample page with 300+ characters of it."""
    import searchlib

    out = []
    for d in PAGE_DIRS:
        for page in sorted((ROOT / d).glob("*.txt")):
            cleaned = searchlib.clean(page.read_text("utf-8"))
            doc = cleaned.document(f"{d.split('/')[-1]}/{page.stem}")
            body = (doc.get("body") or "").strip()
            if len(body) >= MIN_ARTICLE_CHARS:
                out.append({"id": doc["id"], "title": doc.get("title") or "", "body": body})
    return out


def _units(text: str, fold: Any) -> list[str]:
    folded = fold(text).text
    return re.findall(r"[\u3400-\u9fff\uf900-\ufaff]|[^\W_\u3400-\u9fff\uf900-\ufaff]+", folded)


def _shingles(text: str, fold: Any, k: int = 5) -> set[int]:
    u = _units(text, fold)
    return {hash(tuple(u[i:i + k])) for i in range(len(u) - k + 1)}


def drop_natural_duplicates(docs: list[dict[str, Any]], threshold: float = NATURAL_JACCARD) -> tuple[list[dict[str, Any]], int]:
    """``docs`` without the later document of every pair at exact shingle Jaccard >= threshold."""
    from searchlib.analysis.analyzer import Analyzer

    fold = Analyzer().fold
    sh = [_shingles(d["body"], fold) for d in docs]
    index: dict[int, list[int]] = defaultdict(list)
    for i, s in enumerate(sh):
        for x in s:
            index[x].append(i)
    dropped: set[int] = set()
    for i, s in enumerate(sh):
        if i in dropped or not s:
            continue
        shared: Counter[int] = Counter()
        for x in s:
            posting = index[x]
            if len(posting) > 200:  # stock phrases: too common to tell anything
                continue
            shared.update(j for j in posting if j > i)
        for j, c in shared.items():
            if j in dropped:
                continue
            if c / (len(s) + len(sh[j]) - c) >= threshold:
                dropped.add(j)
    return [d for i, d in enumerate(docs) if i not in dropped], len(dropped)


def _sentences(text: str) -> list[str]:
    return [s for s in _SENT.split(text) if s and s.strip()]


_CLAUSE = re.compile(r"(?<=[，,、：:])")


def _pieces(text: str, limit: int) -> list[str]:
    """The sentences of ``text``; a sentence longer than ``limit`` characters is cut at its
    commas into runs of clauses of at most ``limit`` (a "sentence" is never a third of an
    article: that would be a different article, not a repost)."""
    out = []
    for sent in _sentences(text):
        if len(sent) <= limit:
            out.append(sent)
            continue
        run = ""
        for clause in [c for c in _CLAUSE.split(sent) if c]:
            if run and len(run) + len(clause) > limit:
                out.append(run)
                run = ""
            run += clause
        if run:
            out.append(run)
    return out


def _punctuation(text: str, rng: random.Random) -> str:
    pairs = [("，", ","), ("。", ". "), ("：", ":"), ("；", ";"), ("“", '"'), ("”", '"'), ("、", ","), ("（", "("), ("）", ")")]
    if rng.random() < 0.5:
        for a, b in pairs:
            text = text.replace(a, b)
    else:
        text = text.replace("，", "" if rng.random() < 0.5 else " ")
    if rng.random() < 0.5:
        text = re.sub(r"([。.!?！？])", lambda m: m.group(1) + rng.choice(["\n", "  ", "\n\n"]), text)
    if not _HAN.search(text) and rng.random() < 0.5:
        text = text.replace(", ", " , ").replace(". ", " .  ")
    return text


def make_repost(article: dict[str, Any], rng: random.Random, chrome: dict[str, list[str]],
                others: dict[bool, list[dict[str, Any]]], converters: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """One repost of ``article`` and the list of perturbations applied (an inserted sentence comes
    from another article of the same script: ``others[is Chinese]``)."""
    body = article["body"]
    zh = bool(_HAN.search(body))
    ops = ["chrome", "drop", "insert", "punct"] + (["trad"] if zh else [])
    chosen = rng.sample(ops, rng.randint(1, min(4, len(ops))))
    done = []
    limit = len(body) // 3
    sents = _pieces(body, limit)
    if "drop" in chosen:
        small = [i for i, x in enumerate(sents) if len(x) <= limit]
        if len(sents) >= 3 and small:
            del sents[rng.choice(small)]
            done.append("drop")
    if "insert" in chosen:
        donors = [d for d in others[zh] if d["id"] != article["id"]]
        donor = [x for x in _pieces(rng.choice(donors)["body"], limit) if len(x) <= limit] if donors else []
        if donor:
            sents.insert(rng.randrange(len(sents) + 1), rng.choice(donor))
            done.append("insert")
    text = "".join(sents) if zh else " ".join(s.strip() for s in sents)
    if "trad" in chosen:
        name = rng.choice(sorted(converters))
        text = converters[name].convert(text)
        done.append(name)
    if "punct" in chosen:
        text = _punctuation(text, rng)
        done.append("punct")
    if "chrome" in chosen:
        pool = chrome["zh" if zh else "latin"]
        top = rng.sample(pool, rng.randint(0, 2))
        bottom = rng.sample(pool, rng.randint(1 if not top else 0, 3))
        text = "\n".join(top + [text] + bottom)
        done.append(f"chrome{len(top) + len(bottom)}")
    title = article.get("title") or ""
    if title and rng.random() < 0.5:
        title = rng.choice(["转载：", "【独家】", "", "Repost: "]) + title + rng.choice([" - 新闻网", " | News", ""])
    return {"title": title, "body": text}, done


def build(seed: int = SEED, pd_limit: int | None = None) -> dict[str, Part]:
    """The ``dev`` and ``test`` parts (see the module docstring)."""
    import opencc

    from benchmarks.corpora import load_pd

    rng = random.Random(seed)
    pd = load_pd(pd_limit)
    articles = [{"id": i, "title": "", "body": b} for i, b in zip(pd.ids, pd.bodies) if len(b) >= MIN_ARTICLE_CHARS]
    articles += page_articles()
    background = [{"id": i, "title": "", "body": b} for i, b in zip(pd.ids, pd.bodies)
                  if MIN_BACKGROUND_CHARS <= len(b) < MIN_ARTICLE_CHARS]
    pool, n_dropped = drop_natural_duplicates(articles + background)
    kept = {d["id"] for d in pool}
    articles = [a for a in articles if a["id"] in kept]
    background = [b for b in background if b["id"] in kept]
    chrome = chrome_lines()
    converters = {name: opencc.OpenCC(name) for name in ("s2t", "s2tw", "s2hk")}
    rng.shuffle(articles)
    rng.shuffle(background)
    parts = {}
    for k, name in enumerate(("dev", "test")):
        arts = articles[k::2]
        back = background[k::2]
        others = {zh: [a for a in arts if bool(_HAN.search(a["body"])) == zh] for zh in (True, False)}
        docs: list[dict[str, Any]] = []
        groups: dict[str, list[str]] = {}
        perturb: dict[str, list[str]] = {}
        for a in arts:
            docs.append(dict(a))
            groups[a["id"]] = [a["id"]]
            for r in range(rng.choice(REPOSTS)):
                rep, done = make_repost(a, rng, chrome, others, converters)
                rid = f"{a['id']}~r{r}"
                docs.append({"id": rid, **rep})
                groups[a["id"]].append(rid)
                perturb[rid] = done
        docs += [dict(b) for b in back]
        rng.shuffle(docs)  # reposts are not next to their original
        parts[name] = Part(name, docs, groups, perturb)
    parts["dev"].perturbations["_natural_dropped"] = [str(n_dropped)]
    return parts


def describe(parts: dict[str, Part]) -> dict[str, Any]:
    out = {}
    for name, p in parts.items():
        sizes = Counter(len(m) for m in p.groups.values())
        ops = Counter(op.rstrip("0123456789") for k, v in p.perturbations.items() if not k.startswith("_") for op in v)
        out[name] = {"documents": len(p.docs), "articles": len(p.groups),
                     "articles_with_reposts": sum(1 for m in p.groups.values() if len(m) > 1),
                     "reposts": sum(len(m) - 1 for m in p.groups.values()), "gold_pairs": len(p.gold_pairs()),
                     "group_sizes": dict(sorted(sizes.items())), "perturbations": dict(ops)}
    out["natural_near_duplicates_dropped"] = int(parts["dev"].perturbations.get("_natural_dropped", ["0"])[0])
    return out


if __name__ == "__main__":
    import json

    print(json.dumps(describe(build()), ensure_ascii=False, indent=1))
