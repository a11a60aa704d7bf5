"""Do a Simplified text and its Traditional conversions give the same terms?

Corpus: People's Daily, January 1998 (``corpus.peoples_daily``), split into sentences after
``。！？``. Each sentence is converted with OpenCC ``s2t``, ``s2tw``, ``s2twp`` (Taiwan, with its
vocabulary) and ``s2hk``; a sentence agrees when ``analyze`` (index mode: jieba's search mode,
sub-words included) gives the same term sequence for the original and the conversion.

Two analyzers in the same run: the default one (character table + OpenCC phrase table,
:mod:`searchlib.analysis.phrases`) and the same without the phrase table (``t2s_phrases=False``,
the version-1 behaviour). Prints agreement per conversion and pooled over the three script
conversions (s2t, s2tw, s2hk; s2twp also swaps Taiwan's vocabulary -- 进程 → 程序, 信息 → 資訊 --
which searchlib deliberately does not fold back, so it is reported apart), and the first differing
terms of a few sentences that still differ; ``--json PATH`` writes the figures.

Run: ``python -m benchmarks.bench_t2s [--limit N] [--seed S] [--examples K] [--json PATH]``
(``--limit`` samples N sentences, seeded; default: all of them).
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time

from corpus.peoples_daily import iter_documents
from searchlib.analysis.analyzer import Analyzer

CONFIGS = ("s2t", "s2tw", "s2twp", "s2hk")
SCRIPT = ("s2t", "s2tw", "s2hk")  # script conversions; s2twp changes words too


def sentences(limit: int | None = None, seed: int = 1998) -> list[str]:
    out: list[str] = []
    for doc in iter_documents():
        out.extend(s for s in re.split(r"(?<=[。！？])", doc.text) if s.strip())
    if limit is not None and limit < len(out):
        out = random.Random(seed).sample(out, limit)
    return out


def first_difference(a: list[str], b: list[str]) -> tuple[str, str]:
    for x, y in zip(a, b):
        if x != y:
            return x, y
    return (a[len(b)] if len(a) > len(b) else ""), (b[len(a)] if len(b) > len(a) else "")


def measure(texts: list[str], analyzers: dict[str, Analyzer], examples: int = 5) -> dict:
    import opencc

    res: dict = {"sentences": len(texts), "configs": {}}
    for name, analyzer in analyzers.items():
        res["configs"][name] = {}
    originals = {name: [[t.text for t in a.analyze(s)] for s in texts] for name, a in analyzers.items()}
    for config in CONFIGS:
        converted = opencc.OpenCC(config).convert("\n".join(texts)).split("\n")
        assert len(converted) == len(texts)
        for name, analyzer in analyzers.items():
            diff = []
            for s, c, orig in zip(texts, converted, originals[name]):
                terms = [t.text for t in analyzer.analyze(c)]
                if terms != orig:
                    diff.append((s, c, first_difference(orig, terms)))
            res["configs"][name][config] = {
                "differ": len(diff),
                "agree": round(1 - len(diff) / len(texts), 5),
                "examples": [{"simplified": s, "converted": c, "terms": list(d)} for s, c, d in diff[:examples]],
            }
    for name in analyzers:
        per = res["configs"][name]
        differ = sum(per[c]["differ"] for c in SCRIPT)
        per["pooled"] = {"differ": differ, "agree": round(1 - differ / (len(texts) * len(SCRIPT)), 5)}
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="sample this many sentences (default: all)")
    ap.add_argument("--seed", type=int, default=1998)
    ap.add_argument("--examples", type=int, default=3)
    ap.add_argument("--json", default=None, help="write the figures to this file")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    texts = sentences(args.limit, args.seed)
    analyzers = {"phrases (default)": Analyzer(), "characters only": Analyzer(t2s_phrases=False)}
    res = measure(texts, analyzers, args.examples)
    res["seconds"] = round(time.perf_counter() - t0, 1)
    print(f"People's Daily sentences: {len(texts):,}; identical index terms, original vs conversion")
    print(f"{'analyzer':22s} " + " ".join(f"{c:>15s}" for c in CONFIGS) + f" {'pooled (script)':>15s}")
    for name, per in res["configs"].items():
        cells = [f"{per[c]['agree']:.2%} ({per[c]['differ']})" for c in CONFIGS + ("pooled",)]
        print(f"{name:22s} " + " ".join(f"{x:>15s}" for x in cells))
    for name, per in res["configs"].items():
        for c in CONFIGS:
            for ex in per[c]["examples"]:
                print(f"  [{name}, {c}] {ex['terms'][0]!r} vs {ex['terms'][1]!r}: {ex['simplified'][:40]}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(res, f, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
