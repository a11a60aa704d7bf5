"""HTML extraction: article body, title, date, author/editor against gold, next to trafilatura,
readability-lxml and jusText on the same pages, and pages per second for each.

Run ``.venv/bin/python -m benchmarks.bench_html`` (the development set ``corpus/html_dev``), or
``--html-dir PATH [PATH ...]`` for any folder of the same format: ``<stem>.html`` and
``<stem>.gold.json`` with ``title``, ``date`` (``YYYY-MM-DD`` or null), ``author``, ``editor``
(names joined with ``", "`` or null), ``source``, ``url``, ``lang`` and ``body`` (the article
text, one paragraph per line). The variety of a page is its stem up to the last ``-`` (``zh-hans``,
``zh-hant``, ``en``, ``id``). ``--only searchlib`` skips the other extractors; ``--pages GLOB``
restricts the stems; ``--parsers`` also times a parse + DOM walk with lexbor (selectolax, the
extractor's parser) against lxml, the measurement that chose it; ``--split dev|check`` keeps the development pages of ``corpus/html_dev`` and
``corpus/html_holdout`` or their held-out check sites (:data:`CHECK`, :data:`HOLDOUT_CHECK`); ``--show-misses`` prints every title/date/author miss and the pages with the
lowest body F1.

Metrics (every extractor through the same code):

* **body**: shingle precision / recall / F1 of the extracted body against the gold body. The text
  is cut into units - each Han character one unit, each Latin word or number one unit (NFKC,
  case-folded; punctuation and line breaks ignored) - and the shingles are the overlapping 4-grams
  of units over the whole body (so: character 4-grams for Chinese, word 4-grams for Latin text),
  counted as multisets. **micro** sums the overlaps and sizes over all pages, **macro** averages
  the per-page P/R/F1.
* **title**: exact match after NFKC and whitespace collapsing.
* **date**: the ISO date equals the gold date, year included; scored on the pages whose gold has a
  date ("correct with year"), plus how many pages without one got a date anyway.
* **author** / **editor**: the set of names (split at ``,``) equals the gold set; a gold null
  wants no value. Extractors that do not report editors are scored on authors only.
* **source** / **site**: exact match (NFKC, whitespace collapsed), for the extractors that report them.
* **pages/s**: extraction alone (parsing included) of the pages held in memory, one process; the
  extractors are timed round-robin (one pass each per round, ``--repeats`` rounds) and each
  keeps its median pass, so a busy machine slows them alike. Compare ratios within one run.

Results go to ``benchmarks/results/html.json`` (``--out`` to change).
"""
from __future__ import annotations

import argparse
import fnmatch
import json
import re
import statistics
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "corpus" / "html_dev"
RESULTS = Path(__file__).resolve().parent / "results" / "html.json"
VARIETIES = ("zh-hans", "zh-hant", "en", "id")
# Sites of corpus/html_dev kept out of development for a mid-way check (one site per variety, never
# read while the extractor was written): --split check scores them, --split dev the rest.
CHECK = frozenset({"zh-hans-d13", "zh-hans-d14", "zh-hant-d30", "zh-hant-d31", "zh-hant-d32",
                   "en-d45", "en-d46", "id-d62", "id-d63", "id-d64"})
# Sites of corpus/html_holdout set aside the same way when that set became a development set (one
# site per variety among the sites with four pages: 云溪融媒, Meridian, KabarMahakam), scored once at
# the end of that round of work.
HOLDOUT_CHECK = frozenset({"zh-hans-h02", "zh-hans-h05", "zh-hans-h09", "zh-hans-h14",
                           "en-h36", "en-h40", "en-h44", "en-h47", "id-h49", "id-h53", "id-h57", "id-h61"})
SHINGLE = 4

_HAN_CHARS = "\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
_UNIT = re.compile(f"[{_HAN_CHARS}]|[^\\W_{_HAN_CHARS}]+")


@dataclass(frozen=True)
class GoldPage:
    stem: str
    variety: str
    html: str
    gold: dict[str, Any]


@dataclass
class Extracted:
    body: str
    title: str | None = None
    date: str | None = None
    author: str | None = None
    editor: str | None = None
    editors_reported: bool = False
    source: str | None = None
    site: str | None = None


def load(folder: Path, pattern: str | None = None, split: str = "all") -> list[GoldPage]:
    pages = []
    for html_path in sorted(folder.glob("*.html")):
        stem = html_path.stem
        gold_path = html_path.with_name(stem + ".gold.json")
        if not gold_path.exists() or (pattern and not fnmatch.fnmatch(stem, pattern)):
            continue
        if split != "all" and (stem in CHECK or stem in HOLDOUT_CHECK) != (split == "check"):
            continue
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        html = html_path.read_bytes().decode("utf-8", errors="replace")
        pages.append(GoldPage(stem, stem.rsplit("-", 1)[0], html, gold))
    return pages


# ------------------------------------------------------------------------------ metrics


def units(text: str) -> list[str]:
    """Han characters and Latin words/numbers, NFKC and case-folded."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return _UNIT.findall(text)


def shingles(text: str, n: int = SHINGLE) -> Counter[tuple[str, ...]]:
    u = units(text)
    if len(u) < n:
        return Counter([tuple(u)]) if u else Counter()
    return Counter(tuple(u[i:i + n]) for i in range(len(u) - n + 1))


def body_scores(got: str, gold: str) -> tuple[int, int, int]:
    """(overlap, extracted size, gold size) in shingles."""
    a, b = shingles(got), shingles(gold)
    return sum((a & b).values()), sum(a.values()), sum(b.values())


def _prf(overlap: int, got: int, gold: int) -> tuple[float, float, float]:
    p = overlap / got if got else (1.0 if not gold else 0.0)
    r = overlap / gold if gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _norm_title(t: str | None) -> str:
    return " ".join(unicodedata.normalize("NFKC", t or "").split())


def _names(v: str | None) -> frozenset[str]:
    if not v:
        return frozenset()
    return frozenset(" ".join(unicodedata.normalize("NFKC", x).split()).casefold()
                     for x in re.split(r"\s*[,，、;；]\s*", v) if x.strip())


def score(pages: list[GoldPage], results: list[Extracted]) -> dict[str, Any]:
    per_page = []
    for page, ex in zip(pages, results):
        g = page.gold
        overlap, n_got, n_gold = body_scores(ex.body, g.get("body") or "")
        p, r, f = _prf(overlap, n_got, n_gold)
        gold_date = g.get("date")
        row = {
            "stem": page.stem, "variety": page.variety, "overlap": overlap, "got": n_got, "gold": n_gold,
            "p": p, "r": r, "f1": f,
            "title_ok": _norm_title(ex.title) == _norm_title(g.get("title")),
            "date_ok": (ex.date or None) == (gold_date or None),
            "gold_has_date": bool(gold_date),
            "author_ok": _names(ex.author) == _names(g.get("author")),
            "editor_ok": (_names(ex.editor) == _names(g.get("editor"))) if ex.editors_reported else None,
            "source_ok": _norm_title(ex.source) == _norm_title(g.get("source")) if ex.editors_reported else None,
            "site_ok": _norm_title(ex.site) == _norm_title(g.get("site")) if ex.site is not None or ex.editors_reported
            else None,
            "title": ex.title, "date": ex.date, "author": ex.author, "editor": ex.editor, "source": ex.source,
            "site": ex.site,
        }
        per_page.append(row)
    return {"total": _aggregate(per_page),
            "by_variety": {v: _aggregate(rows) for v in VARIETIES
                           if (rows := [x for x in per_page if x["variety"] == v])},
            "pages": per_page}


def _aggregate(rows: list[dict[str, Any]]) -> dict[str, Any]:
    overlap = sum(x["overlap"] for x in rows)
    got = sum(x["got"] for x in rows)
    gold = sum(x["gold"] for x in rows)
    mp, mr, mf = _prf(overlap, got, gold)
    dated = [x for x in rows if x["gold_has_date"]]
    undated = [x for x in rows if not x["gold_has_date"]]
    editors = [x for x in rows if x["editor_ok"] is not None]
    return {
        "pages": len(rows),
        "micro": {"precision": mp, "recall": mr, "f1": mf},
        "macro": {"precision": statistics.fmean(x["p"] for x in rows), "recall": statistics.fmean(x["r"] for x in rows),
                  "f1": statistics.fmean(x["f1"] for x in rows)},
        "title_exact": sum(x["title_ok"] for x in rows) / len(rows),
        "date_with_year": sum(x["date_ok"] for x in dated) / len(dated) if dated else None,
        "dated_pages": len(dated),
        "date_given_when_none": sum(1 for x in undated if x["date"]),
        "undated_pages": len(undated),
        "author": sum(x["author_ok"] for x in rows) / len(rows),
        "editor": sum(x["editor_ok"] for x in editors) / len(editors) if editors else None,
        "source": _share(rows, "source_ok"),
        "site": _share(rows, "site_ok"),
    }


def _share(rows: list[dict[str, Any]], key: str) -> float | None:
    scored = [x[key] for x in rows if x[key] is not None]
    return sum(scored) / len(scored) if scored else None


# ------------------------------------------------------------------------------ extractors


def searchlib_extractor() -> Callable[[str], Extracted]:
    from searchlib.analysis.html import extract

    def run(html: str) -> Extracted:
        c = extract(html).cleaned
        m = c.metadata
        return Extracted(c.text, m.get("title"), m.get("date"), m.get("author"), m.get("editor"), True,
                         m.get("source"), m.get("site"))

    return run


def trafilatura_extractor() -> Callable[[str], Extracted]:
    import trafilatura

    def run(html: str) -> Extracted:
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=True)
        if doc is None:
            return Extracted("")
        get = (lambda k: getattr(doc, k, None)) if not isinstance(doc, dict) else doc.get
        author = get("author")
        if author:
            author = ", ".join(a.strip() for a in re.split(r";", author) if a.strip())
        return Extracted(get("text") or "", get("title"), get("date"), author, None, False, None, get("sitename"))

    return run


def readability_extractor() -> Callable[[str], Extracted]:
    import lxml.html
    from readability import Document

    def run(html: str) -> Extracted:
        doc = Document(html)
        summary = doc.summary(html_partial=True)
        tree = lxml.html.fromstring(summary)
        for br in tree.iter("br"):
            br.tail = "\n" + (br.tail or "")
        blocks = [" ".join(el.text_content().split()) for el in tree.iter("p", "li", "h1", "h2", "h3", "h4", "td", "pre")]
        text = "\n".join(b for b in blocks if b) or tree.text_content()
        return Extracted(text, doc.short_title())

    return run


def justext_extractor() -> Callable[[str], Extracted]:
    import justext

    stoplists = {"en": justext.get_stoplist("English"), "id": justext.get_stoplist("Indonesian")}

    def run(html: str, variety: str = "") -> Extracted:
        stop = stoplists.get(variety, frozenset())
        paragraphs = justext.justext(html.encode("utf-8"), stop)
        return Extracted("\n".join(p.text for p in paragraphs if not p.is_boilerplate))

    run.wants_variety = True  # type: ignore[attr-defined]
    return run


EXTRACTORS: dict[str, Callable[[], Callable[..., Extracted]]] = {
    "searchlib": searchlib_extractor,
    "trafilatura": trafilatura_extractor,
    "readability": readability_extractor,
    "justext": justext_extractor,
}


def _call(fn: Callable[..., Extracted], page: GoldPage) -> Extracted:
    if getattr(fn, "wants_variety", False):
        return fn(page.html, page.variety)
    return fn(page.html)


def run_extractors(names: list[str], pages: list[GoldPage], repeats: int) -> dict[str, dict[str, Any]]:
    """Score every extractor, then time them round-robin (one pass of each per round, so a busy
    machine slows them alike) and keep each one's median pass."""
    fns: dict[str, Callable[..., Extracted]] = {}
    out: dict[str, dict[str, Any]] = {}
    for name in names:
        try:
            fn = EXTRACTORS[name]()
        except ImportError as exc:
            print(f"  {name}: not installed ({exc}); pip install -e '.[bench]'")
            continue
        results = [_call(fn, p) for p in pages]  # also warms caches and lazy imports
        fns[name] = fn
        out[name] = score(pages, results)
        out[name]["editors_reported"] = bool(results and results[0].editors_reported)
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            for p in pages:
                _call(fn, p)
            times[name].append(time.perf_counter() - t0)
    for name in fns:
        t = statistics.median(times[name])
        out[name]["pages_per_s"] = len(pages) / t if t > 0 else float("inf")
        out[name]["seconds_per_pass"] = times[name]
    return out


# ------------------------------------------------------------------------------ parser choice


_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "textarea", "select", "button"})


def _walk_lexbor(markup: str) -> int:
    from selectolax.lexbor import LexborHTMLParser

    chars = 0
    stack = [LexborHTMLParser(markup).body]
    while stack:
        node = stack.pop()
        if node is None:
            continue
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                chars += len(child.text_content or "")
            elif tag not in _SKIP_TAGS:
                attrs = child.attributes
                attrs.get("class"), attrs.get("id")
                stack.append(child)
    return chars


def _walk_lxml(markup: str) -> int:
    import lxml.html

    chars = 0
    stack = [lxml.html.document_fromstring(markup)]
    while stack:
        el = stack.pop()
        if el.text:
            chars += len(el.text)
        for child in el:
            if child.tail:
                chars += len(child.tail)
            if isinstance(child.tag, str) and child.tag not in _SKIP_TAGS:
                child.get("class"), child.get("id")
                stack.append(child)
    return chars


def parser_choice(pages: list[GoldPage], repeats: int) -> dict[str, float]:
    """Pages per second of a parse plus a walk reading every element's class and id and every text
    node (the work the extractor's DOM walk does), for lexbor (selectolax) and lxml, round-robin."""
    walkers = {"selectolax (lexbor)": _walk_lexbor, "lxml": _walk_lxml}
    times: dict[str, list[float]] = {name: [] for name in walkers}
    for fn in walkers.values():
        fn(pages[0].html)
    for _ in range(repeats):
        for name, fn in walkers.items():
            t0 = time.perf_counter()
            for p in pages:
                fn(p.html)
            times[name].append(time.perf_counter() - t0)
    return {name: len(pages) / statistics.median(t) for name, t in times.items()}


# ------------------------------------------------------------------------------ report


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def _line(name: str, s: dict[str, Any], pps: float | None = None) -> str:
    d = s["date_with_year"]
    e = s["editor"]
    return (f"  {name:12} pages={s['pages']:3d}  micro P/R/F1 {s['micro']['precision']:.3f}/{s['micro']['recall']:.3f}/"
            f"{s['micro']['f1']:.3f}  macro F1 {s['macro']['f1']:.3f}  title {s['title_exact']:.3f}  "
            f"date {'-' if d is None else f'{d:.3f}'} ({s['date_given_when_none']}/{s['undated_pages']} undated given)"
            f"  author {s['author']:.3f}  editor {'-' if e is None else f'{e:.3f}'}"
            f"  source {_fmt(s['source'])}  site {_fmt(s['site'])}"
            + (f"  {pps:.0f} pages/s" if pps is not None else ""))


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--html-dir", "--sets", nargs="+", type=Path, default=[DEV], dest="dirs",
                        help="folders of <stem>.html + <stem>.gold.json (default: corpus/html_dev)")
    parser.add_argument("--only", nargs="+", choices=list(EXTRACTORS), default=list(EXTRACTORS))
    parser.add_argument("--pages", default=None, help="glob on the page stems (e.g. 'en-*')")
    parser.add_argument("--split", choices=("all", "dev", "check"), default="all",
                        help="the development pages, the held-out check sites (CHECK, HOLDOUT_CHECK), or all")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--parsers", action="store_true",
                        help="also time a parse + DOM walk with lexbor (selectolax) and with lxml")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    result: dict[str, Any] = {"sets": {}}
    for folder in args.dirs:
        pages = load(folder, args.pages, args.split)
        if not pages:
            print(f"{folder}: no pages with gold found, skipped")
            continue
        print(f"{folder} ({len(pages)} pages)")
        runs = run_extractors(list(dict.fromkeys(args.only)), pages, args.repeats)
        for name, r in runs.items():
            print(_line(name, r["total"], r["pages_per_s"]))
        for variety in VARIETIES:
            rows = [(name, r["by_variety"][variety]) for name, r in runs.items() if variety in r["by_variety"]]
            if rows:
                print(f" {variety}:")
                for name, s in rows:
                    print(_line(name, s))
        if "searchlib" in runs and "trafilatura" in runs:
            ratio = runs["searchlib"]["pages_per_s"] / runs["trafilatura"]["pages_per_s"]
            print(f"  searchlib pages/s = {ratio:.1f}x trafilatura's (same run)")
        if args.parsers:
            speeds = parser_choice(pages, args.repeats)
            result.setdefault("parsers", {})[str(folder)] = speeds
            print("  parse + walk: " + ", ".join(f"{name} {pps:.0f} pages/s" for name, pps in speeds.items()))
        if args.show_misses and "searchlib" in runs:
            _show_misses(runs["searchlib"], pages)
        key = str(folder.resolve().relative_to(ROOT)) if folder.resolve().is_relative_to(ROOT) else folder.name
        result["sets"][key] = {name: {k: v for k, v in r.items() if k != "pages" or args.show_misses}
                               for name, r in runs.items()}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(args.out)
    print(f"wrote {args.out}")
    return result


def _show_misses(run: dict[str, Any], pages: list[GoldPage]) -> None:
    gold = {p.stem: p.gold for p in pages}
    for row in run["pages"]:
        g = gold[row["stem"]]
        for field in ("title", "date", "author", "editor", "source", "site"):
            if row[f"{field}_ok"] is False:
                print(f"  MISS {row['stem']} {field}: got {row.get(field)!r} want {g.get(field)!r}")
    for row in sorted(run["pages"], key=lambda x: x["f1"])[:12]:
        print(f"  BODY {row['stem']}: P={row['p']:.3f} R={row['r']:.3f} F1={row['f1']:.3f}")


if __name__ == "__main__":
    main()
