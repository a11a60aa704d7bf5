"""Known-item search on the English and Indonesian sample pages, with and without stemming.

Documents: every sample page of ``corpus/pages`` and ``corpus/unseen*`` (all four varieties, the
Chinese ones as distractors), cleaned with ``searchlib.clean``; title from the page's metadata.
Queries are built from the English and Indonesian pages, each with its page as the known item:

* ``title``: the page title's content words;
* ``sentence``: four consecutive content words of a body sentence (three per page, seeded).

In the ``variant`` form of a query every word that has a morphological variant attested in the
pages of its language is replaced by it (``excavators`` → ``excavator``, ``pengiriman`` →
``mengirim``). Variants come from simple affix rules checked against the vocabulary (English
``-s/-es/-ies/-ed/-ing``; Indonesian ``me(N)-, ber-, di-, ter-, pe(N)-, per-, ke-`` and
``-kan/-an/-i/-nya``), not from the stemmers being measured. The ``exact`` form keeps the words as
written: stemming must not cost anything there.

Each analyzer builds its own index of the same documents; MRR@10 per language and query form.
``--json PATH`` writes the figures. Run: ``python -m benchmarks.bench_stemming``.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PAGE_SETS = ["pages", "unseen", "unseen2", "unseen3", "unseen4", "unseen5"]
EN_STOP = set(
    "the of and to in is are was were be been for on with that this these those by as at from it its has have had "
    "will would said says an or not but which who their they he she his her we our after before more than about "
    "into over also can could may there when where while what how all any some such no only other new first up "
    "out so if do does did a".split()
)
ID_STOP = set(
    "yang dan di ke dari ini itu dengan untuk dalam pada tidak akan juga oleh karena ada atau adalah sebagai telah "
    "sudah para kami mereka kita saya lebih tersebut saat namun serta bagi hingga sejak antara agar kata ujar "
    "menurut bahwa bisa dapat harus masih belum secara seperti setelah sebelum kepada sangat banyak baru pun".split()
)
WORD = re.compile(r"[a-z]+")
ID_PREFIXES = ["", "me", "mem", "men", "meng", "ber", "di", "ter", "pe", "pem", "pen", "peng", "per", "ke", "se"]
ID_SUFFIXES = ["", "kan", "an", "i", "nya"]


def load_documents() -> list[dict[str, str]]:
    import searchlib

    docs = []
    for name in PAGE_SETS:
        for path in sorted((ROOT / "corpus" / name).glob("*.txt")):
            page = searchlib.clean(path.read_text(encoding="utf-8"))
            title = page.metadata.get("title") or page.text.split("\n", 1)[0]
            docs.append({"id": f"{name}/{path.stem}", "title": title, "body": page.text,
                         "lang": path.stem.split("-")[0]})
    return docs


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def english_variants(w: str) -> set[str]:
    out = {w + "s", w + "es", w + "ed", w + "d", w + "ing"}
    if w.endswith("ies"):
        out |= {w[:-3] + "y"}
    if w.endswith("es"):
        out |= {w[:-2]}
    if w.endswith("s") and not w.endswith("ss"):
        out |= {w[:-1]}
    if w.endswith("y"):
        out |= {w[:-1] + "ies", w[:-1] + "ied"}
    if w.endswith("e"):
        out |= {w[:-1] + "ing", w + "d"}
    if w.endswith("ing"):
        out |= {w[:-3], w[:-3] + "e", w[:-3] + "s", w[:-3] + "es"}
    if w.endswith("ed"):
        out |= {w[:-2], w[:-1], w[:-2] + "s", w[:-2] + "ing"}
    return out - {w}


def indonesian_variants(w: str) -> set[str]:
    cores = {w}
    for p in ID_PREFIXES:
        for s in ID_SUFFIXES:
            if (p or s) and w.startswith(p) and w.endswith(s) and len(w) - len(p) - len(s) >= 4:
                cores.add(w[len(p):len(w) - len(s)] if s else w[len(p):])
    return {p + c + s for c in cores for p in ID_PREFIXES for s in ID_SUFFIXES} - {w}


def build_queries(docs: list[dict[str, str]], seed: int = 7, per_doc: int = 3) -> list[dict[str, Any]]:
    vocab = {lang: Counter(w for d in docs if d["lang"] == lang for w in words(d["title"] + "\n" + d["body"]))
             for lang in ("en", "id")}
    rng = random.Random(seed)
    queries = []
    for d in docs:
        lang = d["lang"]
        if lang not in ("en", "id"):
            continue
        stop = EN_STOP if lang == "en" else ID_STOP
        gen = english_variants if lang == "en" else indonesian_variants
        voc = vocab[lang]

        def variant(w: str) -> str | None:
            found = [v for v in gen(w) if len(v) >= 4 and voc.get(v)]
            return max(found, key=lambda v: (voc[v], v)) if found else None

        def make(ws: list[str], kind: str) -> None:
            content = [w for w in ws if w not in stop and len(w) > 2]
            if len(content) < 2:
                return
            swapped = [variant(w) or w for w in content]
            if swapped == content:
                return
            queries.append({"doc": d["id"], "lang": lang, "kind": kind, "exact": " ".join(content),
                            "variant": " ".join(swapped)})

        make(words(d["title"]), "title")
        sentences = [s for s in re.split(r"(?<=[.!?])\s+|\n", d["body"]) if len(words(s)) >= 8]
        for s in rng.sample(sentences, min(per_doc, len(sentences))):
            content = [w for w in words(s) if w not in stop and len(w) > 2]
            with_variant = [i for i, w in enumerate(content) if variant(w)]
            if not with_variant:
                continue
            i = rng.choice(with_variant)
            start = max(0, min(i - 1, len(content) - 4))
            make(content[start:start + 4], "sentence")
    return queries


def analyzers() -> dict[str, Any]:
    from searchlib.analysis.analyzer import Analyzer

    return {
        "none": Analyzer(stemmer=None),
        "english (all words)": Analyzer(stemmer="english"),
        "indonesian (all words)": Analyzer(stemmer="indonesian"),
        "auto (index both, query detected)": Analyzer(stemmer="auto"),
        "detected on both sides": _DetectAnalyzer(),
    }


def _DetectAnalyzer() -> Any:
    """Per-stretch detection at index time too (what the shipped "auto" does not do), for
    comparison; a benchmark-only analyzer (its config is never written to an index that lasts)."""
    from searchlib.analysis.analyzer import Analyzer
    from searchlib.analysis.stages import Pipeline
    from searchlib.analysis.stemming import StemByLanguage

    a = Analyzer(stemmer="auto")
    stages = [s if not isinstance(s, StemByLanguage) else StemByLanguage(index="detect") for s in a.pipeline.stages]
    a.pipeline = Pipeline(stages)
    a._analyzers = {}
    a._config = {**a._config, "stemmer_index": "detect"}
    return a


def evaluate(analyzer: Any, docs: list[dict[str, str]], queries: list[dict[str, Any]]) -> dict[str, Any]:
    from unittest import mock

    from searchlib.analysis.analyzer import Analyzer
    from searchlib.api import Index

    original = Analyzer.from_config.__func__  # type: ignore[attr-defined]

    def from_config(cls: Any, config: dict[str, Any]) -> Any:
        # the benchmark-only analyzer is rebuilt as itself (its option is not a searchlib one)
        return analyzer if config == analyzer.config() else original(cls, config)

    with tempfile.TemporaryDirectory() as tmp, mock.patch.object(Analyzer, "from_config", classmethod(from_config)):
        ix = Index.create(Path(tmp) / "ix", analyzer=analyzer)
        with ix.writer(workers=1) as w:
            for d in docs:
                w.add({"id": d["id"], "title": d["title"], "body": d["body"]})
        scores: dict[str, list[float]] = {}
        for q in queries:
            for form in ("exact", "variant"):
                ids = [h.id for h in ix.search(q[form], limit=10)]
                rr = 1.0 / (ids.index(q["doc"]) + 1) if q["doc"] in ids else 0.0
                for key in (f"{q['lang']} {form}", f"all {form}"):
                    scores.setdefault(key, []).append(rr)
        ix.close() if hasattr(ix, "close") else None
    return {k: round(sum(v) / len(v), 4) for k, v in sorted(scores.items())}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", default=None)
    ap.add_argument("--show", type=int, default=0, help="print this many queries")
    args = ap.parse_args(argv)
    docs = load_documents()
    queries = build_queries(docs, args.seed)
    langs = Counter(q["lang"] for q in queries)
    print(f"{len(docs)} documents; {len(queries)} queries ({langs['en']} English, {langs['id']} Indonesian)")
    for q in queries[:args.show]:
        print(f"  [{q['lang']} {q['kind']}] {q['variant']!r}  (exact: {q['exact']!r})")
    results = {}
    for name, analyzer in analyzers().items():
        results[name] = evaluate(analyzer, docs, queries)
    cols = ["en exact", "en variant", "id exact", "id variant", "all exact", "all variant"]
    print(f"{'MRR@10':36s}" + "".join(f"{c:>12s}" for c in cols))
    for name, r in results.items():
        print(f"{name:36s}" + "".join(f"{r.get(c, 0):12.4f}" for c in cols))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"documents": len(docs), "queries": queries, "mrr": results}, f, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
