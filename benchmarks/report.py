"""Machine description and the outputs: ``latest.md`` (Markdown tables), ``latest.json``,
``scale.png`` (query latency and build time vs corpus size, log scale, one line per engine)."""
from __future__ import annotations

import datetime as dt
import json
import math
import os
import platform
import sqlite3
import sys
from importlib import metadata
from pathlib import Path

PACKAGES = ["searchlib", "whoosh", "jieba", "rjieba", "tantivy", "bm25s", "rank-bm25", "numpy",
            "opencc", "snownlp", "matplotlib"]
BASE = "searchlib"


# --------------------------------------------------------------------------- machine


def loadavg() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def mem_total_gb() -> float | None:
    try:
        with open("/proc/meminfo") as f:
            return round(int(f.readline().split()[1]) / 1024 / 1024, 1)
    except (OSError, ValueError, IndexError):
        return None


def versions() -> dict[str, str]:
    out = {}
    for p in PACKAGES:
        try:
            out[p] = metadata.version(p)
        except metadata.PackageNotFoundError:
            out[p] = "not installed"
    out["sqlite"] = sqlite3.sqlite_version
    return out


def machine(args) -> dict:
    argv = " ".join(sys.argv[1:]) if sys.argv and sys.argv[0].endswith("run.py") else ""
    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "command": f"python -m benchmarks.run {argv}".strip(),
        "platform": platform.platform(), "cpu": cpu_model(), "cpu_count": os.cpu_count(),
        "mem_gb": mem_total_gb(), "python": sys.version.split()[0],
        "packages": versions(), "loadavg_start": loadavg(), "quick": bool(args.quick),
    }


# --------------------------------------------------------------------------- formatting


def f(x, nd: int = 2) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, int):
        return f"{x:,}"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    if abs(x) >= 100:
        return f"{x:.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    return f"{x:.{nd}f}"


def rx(x, base) -> str:
    if x is None or base is None or not base or any(
            isinstance(v, float) and math.isnan(v) for v in (x, base)):
        return "–"
    return f"{x / base:.2f}x"


def table(header: list[str], rows: list[list]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(c if isinstance(c, str) else f(c) for c in r) + " |" for r in rows]
    return out + [""]


# --------------------------------------------------------------------------- sections


def _header(res: dict) -> list[str]:
    m = res["meta"]
    pk = ", ".join(f"{k} {v}" for k, v in m["packages"].items())
    return [
        "# searchlib benchmarks" + (" (--quick)" if m.get("quick") else ""), "",
        f"- date: {m['date']}", f"- command: `{m['command']}`",
        f"- machine: {m['platform']}; {m['cpu']}; {m['cpu_count']} CPUs; {m['mem_gb']} GB RAM",
        f"- Python {m['python']}; {pk}",
        f"- load average at start {m['loadavg_start']}, at end {m.get('loadavg_end')} "
        f"(the machine is shared; numbers are only comparable within one run)",
        f"- engines: {', '.join(m.get('engines', []))}; sections: "
        f"{', '.join(m.get('sections', []))}; total {f(m.get('total_s'))} s", ""]


def _method(res: dict) -> list[str]:
    qs = res.get("query_sets", {})
    bands = ", ".join(f"{b} df {lo}–{hi if hi < 10**9 else '∞'}"
                      for b, (lo, hi) in qs.get("bands", {}).items())
    agree = res.get("jieba_agreement")
    return [
        "## Method", "",
        "- Peers (tantivy, SQLite FTS5, bm25s, rank_bm25) get the SAME pre-tokenized text: jieba "
        "precise mode (`cut`, HMM on) computed with rjieba (jieba's compiled port"
        + (f"; identical to `jieba.lcut` on {agree:.0%} of a 300-doc sample" if agree is not None
           else "") + "), lowercased, punctuation dropped, space-joined; queries tokenized the "
        "same way. Their \"analysis included\" build time adds the (timed, this run) "
        "tokenization of the corpus; \"excl.\" is indexing of the given tokens only.",
        "- whoosh uses jieba's `ChineseAnalyzer` (search mode) and whoosh's own highlighter; "
        "searchlib uses its public API only (its own analysis).",
        "- Term queries: 1–3 words of one document-frequency band, space-separated"
        + (f" ({bands})" if bands else "") + "; peers combine the tokens with OR, BM25 ranked. "
        "Phrase queries: 2–3 consecutive gold words typed without spaces; gold = every document "
        "whose raw text contains the string. Known-item: 2–4 highest tf·idf words (≥2 chars) of "
        "one document, concatenated; the same Simplified queries are run on the Traditional copy.",
        f"- Latency: top-10, single thread, warm-up then {res['meta'].get('repeats', 3)} timed "
        "passes; a query's latency is its median over passes; QPS = queries / median pass time. "
        "Indexes are opened right after being built (warm page cache).",
        "- Every engine × corpus is built and queried in its own subprocess; peak RSS is that "
        "process's VmHWM reset just before the build (so it includes the corpus held in memory, "
        "shown as \"RSS before\").",
        "- Phrase recall = mean over queries of |top10 ∩ gold| / min(10, |gold|); precision = "
        "share of all returned documents whose text contains the phrase (Traditional copy: "
        "checked on its OpenCC t2s-folded text). †: no phrase support, the phrase text is run "
        "as a plain query.", ""]


def _corpora(res: dict) -> list[str]:
    rows = [[c["name"], c["docs"], c["chars"], c["mb"]] for c in res.get("corpora", [])]
    tok = res.get("tokenization", {})
    out = ["## Corpora", ""] + table(["corpus", "docs", "chars", "UTF-8 MB"], rows)
    if tok:
        out += ["Peer pre-tokenization (rjieba precise mode, timed this run): " + "; ".join(
            f"{k} {f(v['seconds'])} s ({f(v['chars_per_s'] / 1e6)} M chars/s)"
            for k, v in tok.items()), ""]
    return out


def _analyzer(res: dict) -> list[str]:
    a = res.get("analyzer")
    if not a:
        return []
    base = a["single"].get(BASE, {}).get("chars_per_s")
    rows = [[n, v["chars_per_s"] / 1e6, v["tokens"], v["passes"], rx(v["chars_per_s"], base)]
            for n, v in a["single"].items()]
    rows += [[f"searchlib, Pool({n})", v["chars_per_s"] / 1e6, "", v["passes"],
              rx(v["chars_per_s"], base)] for n, v in a.get("pool", {}).items()]
    return ([f"## Analyzer throughput ({a['docs']:,} docs, {a['chars']:,} chars)", ""]
            + table(["analyzer", "M chars/s", "tokens", "passes", "vs searchlib (1 proc)"], rows))


def _build(res: dict) -> list[str]:
    rows_by = {}
    for r in res.get("build", []):
        rows_by.setdefault(r["corpus"], []).append(r)
    out = ["## Build, size, open, memory", ""] if rows_by else []
    for corpus, rows in rows_by.items():
        base = next((r["build_s"] for r in rows if r["engine"] == BASE), None)
        out += [f"### {corpus}", ""] + table(
            ["engine", "build s (analysis incl.)", "build s (excl.)", "docs/s", "MB/s",
             "size MB", "size / raw", "open ms", "peak RSS MB", "RSS before MB",
             "stores text", "build vs searchlib"],
            [[r["engine"], r["build_s"], r["build_excl_analysis_s"], r["docs_per_s"],
              r["mb_per_s"], r["size_mb"], r["size_ratio"], r["open_ms"], r["peak_rss_mb"],
              r["rss_before_mb"], r["stores_text"], rx(r["build_s"], base)] for r in rows])
    return out


QTYPES = ["term", "term-rare", "term-medium", "term-frequent", "phrase", "known",
          "trad-known", "trad-phrase"]


def _latency(res: dict) -> list[str]:
    q = res.get("queries", {})
    if not q:
        return []
    rows = []
    for t in QTYPES:
        base = q.get(BASE, {}).get(t, {}).get("p50_ms")
        for eng, sets in q.items():
            s = sets.get(t)
            if s:
                cap = " (capped by time budget)" if s.get("capped") else ""
                if s.get("repeats", 3) < res["meta"].get("repeats", 3):
                    cap += f" ({s['repeats']} passes)"
                rows.append([t, eng, f"{s['n']}{cap}", s["p50_ms"], s["p95_ms"], s["qps"],
                             rx(s["p50_ms"], base)])
    return (["## Query latency (top-10, single thread)", ""]
            + table(["query type", "engine", "queries", "p50 ms", "p95 ms", "QPS",
                     "p50 / searchlib p50"], rows))


def _quality(res: dict) -> list[str]:
    q = res.get("quality", {})
    if not q:
        return []
    rows, mrr_rows = [], []
    for eng, v in q.items():
        mark = "" if v.get("native_phrase") else " †"
        p, tp = v.get("phrase", {}), v.get("trad-phrase", {})
        if p or tp:
            rows.append([eng + mark, p.get("recall"), p.get("precision"), p.get("returned"),
                         tp.get("recall"), tp.get("precision"), tp.get("returned")])
        k, tk = v.get("known", {}), v.get("trad-known", {})
        if k or tk:
            mrr_rows.append([eng, k.get("mrr"), f"{k.get('found_top10', '–')}/{k.get('n', '–')}",
                             tk.get("mrr"), f"{tk.get('found_top10', '–')}/{tk.get('n', '–')}"])
    return (["## Phrase queries: recall and precision (top 10)", ""]
            + table(["engine", "recall", "precision", "returned", "Trad recall",
                     "Trad precision", "Trad returned"], rows)
            + ["## Known-item MRR@10", ""]
            + table(["engine", "MRR@10 Simplified", "found", "MRR@10 Traditional copy", "found"],
                    mrr_rows))


def _highlight(res: dict) -> list[str]:
    h = res.get("highlight", {})
    if not h:
        return []
    spans = h.get(BASE, {}).get("p50_ms")
    snip = h.get(BASE + " snippet(text)", {}).get("p50_ms")
    rows = [[e, v["n"], v["hits"], v["p50_ms"], v["p95_ms"], v["mean_ms"], rx(v["p50_ms"], spans),
             rx(v["p50_ms"], snip)] for e, v in h.items()]
    return (["## Highlighting the top 10 of each term query (highlight call only)", ""]
            + table(["engine", "queries", "hits", "p50 ms", "p95 ms", "mean ms",
                     "p50 / searchlib highlights()", "p50 / searchlib snippet()"], rows))


def _overlap(res: dict) -> list[str]:
    o = res.get("overlap", {})
    if not o:
        return []
    cols = [c for c in ["term", "phrase", "known", "trad-known", "trad-phrase"]
            if any(c in v for v in o.values())]
    return (["## Top-10 overlap with searchlib (mean Jaccard)", ""]
            + table(["engine"] + cols, [[e] + [v.get(c) for c in cols] for e, v in o.items()]))


def _scale(res: dict, png: str | None) -> list[str]:
    sc = res.get("scale", [])
    if not sc:
        return []
    base = {(r["size"]): r for r in sc if r["engine"] == BASE}
    rows = [[r["engine"], r["size"], r.get("build_s"), r.get("build_excl_analysis_s"),
             r.get("size_mb"), r.get("peak_rss_mb"), r.get("p50_ms"), r.get("p95_ms"),
             r.get("qps"), rx(r.get("p50_ms"), base.get(r["size"], {}).get("p50_ms")),
             rx(r.get("build_s"), base.get(r["size"], {}).get("build_s"))] for r in sc]
    out = ["## Scale: synthetic corpora (term queries)", ""] + table(
        ["engine", "docs", "build s", "build s (excl.)", "size MB", "peak RSS MB", "p50 ms",
         "p95 ms", "QPS", "p50 / searchlib", "build / searchlib"], rows)
    return out + ([f"![scale]({png})", ""] if png else [])


def _ratios(res: dict) -> list[str]:
    """Explicit one-line ratios against searchlib for the headline figures."""
    lines = []
    q = res.get("queries", {})
    for t in ("term", "phrase", "known"):
        b = q.get(BASE, {}).get(t, {}).get("p50_ms")
        for e, sets in q.items():
            if e != BASE and t in sets and b:
                lines.append(f"- {t}: {e} p50 / searchlib p50 = {rx(sets[t]['p50_ms'], b)}")
    builds = [r for r in res.get("build", []) if r["corpus"] == res["meta"]["plan"]["pd"]]
    b = next((r["build_s"] for r in builds if r["engine"] == BASE), None)
    for r in builds:
        if r["engine"] != BASE and b:
            lines.append(f"- build {r['corpus']}: {r['engine']} / searchlib = "
                         f"{rx(r['build_s'], b)}")
    h = res.get("highlight", {})
    snip = h.get(BASE + " snippet(text)", {}).get("p50_ms")
    if "whoosh" in h and snip:
        lines.append(f"- highlighting: whoosh highlights() p50 / searchlib snippet() p50 = "
                     f"{rx(h['whoosh']['p50_ms'], snip)}")
    a = res.get("analyzer", {}).get("single", {})
    if BASE in a:
        for e, v in a.items():
            if e != BASE:
                lines.append(f"- analyzer chars/s: {e} / searchlib = "
                             f"{rx(v['chars_per_s'], a[BASE]['chars_per_s'])}")
    return (["## Ratios against searchlib (>1x: the peer is slower/larger, except throughput)",
             ""] + lines + [""]) if lines else []


def markdown(res: dict, png: str | None = "scale.png") -> str:
    parts = (_header(res) + _method(res) + _corpora(res) + _analyzer(res) + _build(res)
             + _latency(res) + _quality(res) + _highlight(res) + _overlap(res)
             + _scale(res, png) + _ratios(res))
    parts += ["## Skipped / capped", ""] + [f"- {s}" for s in res.get("skipped", [])] + [""]
    if res.get("notes"):
        parts += ["## Notes", ""] + [f"- {n}" for n in res["notes"]]
    return "\n".join(parts).rstrip() + "\n"


def plot_scale(res: dict, path: Path) -> bool:
    sc = res.get("scale", [])
    if not sc:
        return False
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    for key, ax, label in (("p50_ms", axes[0], "query latency p50 (ms)"),
                           ("build_s", axes[1], "build time incl. analysis (s)")):
        for eng in dict.fromkeys(r["engine"] for r in sc):
            pts = sorted((r["size"], r[key]) for r in sc if r["engine"] == eng
                         and r.get(key) is not None and not math.isnan(r[key]))
            if pts:
                ax.plot(*zip(*pts), marker="o", label=eng)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("documents")
        ax.set_ylabel(label)
        ax.grid(True, which="both", alpha=0.3)
    axes[0].legend(fontsize=8)
    fig.suptitle("synthetic People's Daily corpora: latency and build time vs size")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, "utf-8")
    os.replace(tmp, path)


def _no_nan(x):
    """NaN -> None so latest.json is strict JSON."""
    if isinstance(x, float) and math.isnan(x):
        return None
    if isinstance(x, dict):
        return {str(k): _no_nan(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_no_nan(v) for v in x]
    return x


def write_all(res: dict, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    png = out / "scale.png"
    has_png = plot_scale(res, png)
    md, js = out / "latest.md", out / "latest.json"
    _atomic_write(md, markdown(res, png.name if has_png else None))
    _atomic_write(js, json.dumps(_no_nan(res), ensure_ascii=False, indent=1, default=str) + "\n")
    return [md, js] + ([png] if has_png else [])
