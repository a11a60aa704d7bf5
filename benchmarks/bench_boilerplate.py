"""Boilerplate filter: line-level quality against the gold labels, and throughput.

Run ``.venv/bin/python -m benchmarks.bench_boilerplate [--sets pages unseen unseen2 unseen3 holdout]``.  For
every labelled page set it prints removal precision / recall / F1 and content retention per variety,
with and without the collection model, then throughput (pages/s, MB/s; median of 5 repeats), and
writes everything to ``benchmarks/results/boilerplate.json``.  The committed result file is written
with ``--sets pages unseen unseen2 unseen3 unseen4 unseen5``: the holdouts' figures are reported separately, by the lead.

The page sets, all read through the same code path (``corpus.pages.iter_pages(root)``):

* ``pages``   - ``corpus/pages``: the tuning set the rules were written on (its ``held_out`` subset
  shares the tuning sites, so it measures new articles of known sites);
* ``unseen``  - ``corpus/unseen``: 8 other sites written by someone else; development set 1 for
  generalization (broad cues were added while looking at it);
* ``unseen2`` - ``corpus/unseen2``: 8 more sites by a third author, written blind; development set 2
  (again broad cues and features, not its strings);
* ``unseen3`` - ``corpus/unseen3``: 10 more sites (2 pages each) by a fourth author, written blind;
  development set 3 (its miss families were generalized - blog/CMS chrome, short breadcrumbs,
  bracketed toolbars and ads, two-line headlines - never its strings);
* ``unseen4``, ``unseen5`` - ``corpus/unseen4``, ``corpus/unseen5``: 24 pages of 12 sites each, written
  blind; the training data of the learned line classifier (with the sets above; see
  ``corpus/train_line_model.py``, which reports its leave-one-site-out figures);
* ``holdout`` .. ``holdout9`` - evaluation sets written blind, never used for training or threshold
  selection. ``holdout2``, ``holdout8`` and ``holdout9`` are final (scored, never read line by
  line; 8 and 9 were written after the last change to the filter and scored once:
  F1 0.971 / 0.962, retention 0.992 / 0.996). ``holdout`` and ``holdout3`` .. ``holdout7`` are
  marked ``inspected``: their misses were read after their blind score was taken (learned pass,
  blind: holdout3 F1 0.956 / retention 0.978, holdout4 0.981 / 0.989, holdout5 0.966 / 0.966,
  holdout6 0.973 / 0.980, holdout7 0.949 / 0.927), so their later figures are development figures.
  The final sets were re-scored once after the issue 17 changes (headlines, promo tags, script
  lines, retrained line model): holdout2 / 8 / 9 F1 0.974 / 0.973 / 0.964, retention 1.000 / 0.987 /
  0.996.
* ``holdout10`` - 24 pages of 12 sites by two blind authors, written on 2026-12-07 after the last
  change to the filter and scored once (``benchmarks/results/holdout10_blind.json``): F1 0.969,
  retention 0.975 (6 of 236 content lines dropped, 5 of them on Traditional pages), titles 24 / 24.
  Its misses were read after that score (schedule items ``7月20日（六）…`` taken for bylines, and a
  schedule above an image), so it is ``inspected`` and its later figures are development figures.
* ``holdout11`` - 24 more pages of 12 sites (other site types: e-paper, news app, mirrored WeChat
  article, council release, wire portal, NGO newsletter; Philippine, UK and Caribbean papers,
  Tribun-style portal, police and pesantren pages) by two blind authors, written after the
  holdout10 fix and scored once (``benchmarks/results/holdout11_blind.json``): F1 0.955,
  retention 0.967 (9 of 263 content lines dropped, 6 on English pages), titles 21 / 24. Its misses
  were then read (schedules in English and Indonesian, an ROC-dated byline with a 點閱 counter, an
  issue label taken for the headline's first line, a one-line signature), so it is ``inspected``.
* ``holdout12`` - 24 more pages of 12 new site types by two blind authors, written after the
  holdout11 fixes and scored once (``benchmarks/results/holdout12_blind.json``): F1 0.950,
  retention 0.980 (5 of 254 content lines dropped, all on Indonesian pages), titles 22 / 24. Its
  misses were then read (a requirements list and a "label: date" schedule, a 新聞稿 section label
  taken for the headline), so it is ``inspected``.
* ``holdout13`` - 24 more pages of 12 new site types by two blind authors, written after the
  holdout12 fixes and scored once (``benchmarks/results/holdout13_blind.json``): F1 0.957,
  retention 0.996 (1 of 271 content lines dropped), titles 21 / 24. Its misses were then read
  (comment threads, author bios under "關於作者", key-points bullets, attachment links, a
  date-picker form taken for the headline, photo credits ending captions), so it is ``inspected``.
* ``holdout14`` - 24 more pages of 12 sites by two blind authors who chose the site types
  themselves, written after the holdout13 fixes and the retrained line classifier, scored once
  (``benchmarks/results/holdout14_blind.json``): F1 0.958, retention 0.974 (7 of 269 content
  lines dropped), titles 23 / 24. Its misses were then read (timelines and timetables, event
  details, a dateline alone on its line, a quote's attribution, a banner above the headline), so
  it is ``inspected``.
* ``holdout15`` - 24 more pages of 12 sites by two blind authors who chose the site types,
  written after the holdout14 fixes and scored once (``benchmarks/results/holdout15_blind.json``):
  F1 0.955, retention 0.991 (2 of 226 content lines dropped), titles 22 / 24. Its misses were
  read on 2026-12-07 (comment threads with their headers and reply links, ads in the article's
  ad slots, blog footers, newsroom calls for stories, a key-points label, a repeated dateline), so
  it is ``inspected``.
* ``holdout16`` - 24 more pages of 12 sites by two blind authors who chose the site types
  (hospital, college, trade association, temple foundation, community paper, museum; council,
  Kenyan regional site, sheriff's office, regional TV, vocational school, regional hospital),
  written while the holdout15 fixes were made and scored once after them
  (``benchmarks/results/holdout16_blind.json``): F1 0.972, retention 0.973 (7 of 264 content lines
  dropped), titles 23 / 23. Its misses were then read (datelines naming their country, a
  notice's greeting, signatory and fact fields, press-release credits), so it is ``inspected``.
* ``holdout17`` - 24 more pages of 12 sites by two blind authors who chose the site types
  (county hospital, rural bank, street office, farmers' association, district councillor,
  Macau school; Zambian community paper, Fiji daily, US school district, Kemenag office, football
  club, water utility), written while the holdout16 fixes were made and scored once after them
  (``benchmarks/results/holdout17_blind.json``): F1 0.955, retention 0.957 (12 of 276 content
  lines dropped), titles 23 / 23. Its misses were then read (price and event field lists, an
  official notice's heading, number and ROC-dated signature), so it is ``inspected``.
* ``holdout18`` - 24 more pages of 12 sites by two blind authors who chose the site types
  (meteorological bureau, museum, market-regulation bureau, national park, church, sports bureau;
  Welsh paper, Australian police district, cricket board, tourism office, district court,
  Muhammadiyah school), written while the holdout17 fixes were made and scored once after them
  (``benchmarks/results/holdout18_blind.json``): F1 0.969, retention 0.950 (14 of 278 content
  lines dropped), titles 23 / 23. Its misses were then read (tables between wide spaces or bars,
  an event's venue and tickets, a signature under an attachment line), so it is ``inspected``.
* ``holdout19`` - 24 more pages of 12 sites by two blind authors who chose the site types
  (bus company, writers' association, water bureau, community college, district sports
  association, rehabilitation NGO; Sri Lankan daily, Canadian municipality, rugby club, student
  press, nagari government, savings cooperative), written while the holdout18 fixes were made and
  scored once after them (``benchmarks/results/holdout19_blind.json``): F1 0.966, retention 0.954
  (12 content lines dropped), titles 23 / 23. Its misses were then read (a notice signed by an
  organisation and its branch, with a contact line and a release note; a letter's signatory; a
  winners' list under the first paragraph; a rugby score line), so it is ``inspected``.
* ``holdout20`` - 24 more pages of 12 sites by two blind authors who chose the site types
  (chamber of commerce, running association, university department, estate owners'
  corporation, township library, Macau food portal; Philippine TV station, Irish parish cluster,
  Kenyan dairy co-operative, Indonesian regency parliament, university research office, coffee
  co-operative), written while the holdout19 fixes were made and scored once after them
  (``benchmarks/results/holdout20_blind.json``): F1 0.939, retention 0.979, titles 22 / 24. Its
  misses were then read (two pages of a small site sharing chrome, WordPress thread headers,
  comments signed by a name and place, one-sentence captions under image markers, writers' bios,
  key-points boxes, an award list above a credit), so it is ``inspected``.
* ``holdout21`` - 24 more pages of 12 sites by two blind authors who chose the site types
  (county TV station, dairy company, local forum, Taiwanese radio station, Hong Kong property
  portal, Macau dragon-boat club; Antiguan maritime institute, Zambian newspaper, Australian
  beekeepers' association, regency government portal, Tribun-style portal, village website),
  written while the holdout20 fixes were made and scored once after them
  (``benchmarks/results/holdout21_blind.json``): F1 0.969, retention 0.984, titles 8 / 24 (with
  :func:`gold_title` as it then stood, which took the browser's title bar, headline and site name,
  for the headline on 12 pages; 14 / 24 with the title-bar rule below). Its misses were then read
  (a headline taken for a summary because a sidebar repeats it, a headline under a welcome banner,
  a notice's subject line and its signatory's rank and staff number), so it is ``inspected``.
* ``holdout22`` - 24 more pages of 12 sites by two blind authors who chose the site types
  (housing-fund centre, local-history blog, city news portal, fire bureau, Chinese-medicine
  clinic, university newsroom; Canadian local paper, Indian trade body, regional news portal,
  Indonesian news portal, mosque website, community health centre), written while
  the holdout21 fixes were made and told to label a browser title bar as chrome, scored once after
  them (``benchmarks/results/holdout22_blind.json``): F1 0.976, retention 0.970 (14 content
  lines dropped), titles 23 / 24. Its drops were then read (an essay's dated sign-off and an
  appendix's fields, a "… 謹啟" sign-off, a treasurer's signature, a circular's addressee,
  greeting and subject lines), so it is ``inspected``.
* ``holdout23`` - 24 more pages of 12 sites by two blind authors who chose the site types (see
  its README: six Chinese sites; a Ghanaian news site, a British Columbia library, a Scottish
  ferry operator, a North Maluku news site, a national park office, a Flores parish), written
  while the holdout22 fixes were made, scored once after them
  (``benchmarks/results/holdout23_blind.json``): F1 0.972, retention 0.980 (10 content lines
  dropped), titles 22 / 24. Its drops were then read (a last paragraph ending in an editor's
  initials "(rs)", dated list items, a profile box, a heading starting "Sekilas"), so it is
  ``inspected``.
* ``holdout24`` - 24 more pages of 12 sites by two blind authors who chose the site types (see
  its README: six Chinese sites; a Papua New Guinea paper, a Tobago botanic garden, a Nepal eye
  hospital, a Bengkulu news portal, a Demak coastal NGO, a Kaimana radio station), written while
  the holdout23 fixes were made, scored once after them
  (``benchmarks/results/holdout24_blind.json``): F1 0.979, retention 0.987 (6 content lines
  dropped), titles 23 / 24. Its drops were then read (a table's data source, "他说。" under a
  quote, a signature under two attachment lines, a list item read as a caption), so it is
  ``inspected``.
* ``holdout25`` - 24 more pages of 12 sites by two blind authors who chose the site types (see
  its README), written while the holdout24 fixes were made, scored once after them
  (``benchmarks/results/holdout25_blind.json``): F1 0.963, retention 0.975 (11 content lines
  dropped), titles 20 / 24. Its drops were then read (a notice's numbered contact section and
  signature, a table of words between bars, a headline under an ad's copy), so it is
  ``inspected``.
* ``holdout26`` - 24 more pages of 12 sites by two blind authors who chose the site types (see
  its README), written while the holdout25 fixes were made, scored once after them
  (``benchmarks/results/holdout26_blind.json``): F1 0.972, retention 0.987, titles 22 / 24. Its
  misses were then read (a notice's formal heading with its subject wrapped over two lines, a
  zoo's 落款, figure labels "图一　…", a comment thread under "网友评论（已有3条评论）"), so it
  is ``inspected``.
* ``holdout27`` - 24 more pages of 12 sites by two blind authors who chose the site types (see
  its README), written while the holdout26 fixes were made, scored once after them
  (``benchmarks/results/holdout27_blind.json``): F1 0.967, retention 0.973 (12 content lines
  dropped), titles 22 / 24. Its drops were then read (a table under its own heading, a notice's
  kind and subject on one line over its number, "Ref. No. …" over a letter, "Dr. …" / "Director"
  signing it, a schedule's note in brackets read as a photo credit), so it is ``inspected``.
* ``holdout28`` - 24 more pages of 12 sites by two blind authors who chose the site types (see
  its README), written after the last change to the filter (the holdout27 fixes) and scored once
  (``benchmarks/results/holdout28_blind.json``): F1 0.956, retention 0.962 (15 content lines
  dropped), titles 17 / 24. Its misses were then read (a headline over its deck under a site
  name in capitals, a writer's and photographer's credit read as a caption, interview questions
  "记者：…？" read as credits), so it is ``inspected``.
* ``holdout29`` - 24 more pages of 12 sites by two blind authors who chose the site types (see
  its README), written while the holdout28 fixes were made, scored once after them (the last
  change to the filter) (``benchmarks/results/holdout29_blind.json``). Final: unread.

Every set is also scored ``rules_only`` (``clean(..., learned=False)``, no collection model), so the
learned pass's contribution shows; on the training sets the learned figures are in-sample.

Headlines: every set also reports the exact-match rate of the harvested ``title`` against the
gold headline (:func:`gold_title`: the first line labelled ``title``, joined with the next when
that continues it), over the pages that have one.

Removal is scored as a binary decision per non-empty line (removed vs kept); ``reason_accuracy``
additionally reports how often the predicted reason equals the gold reason.  The collection model
is fitted (unsupervised: it never sees labels) as an index would fit it on the pages it ingests:
``with_model`` on the pages of that set, ``with_collection_model`` on all the sets scored in the
run together (more pages per template, and more chances to learn a common article line such as
"他说。" - which must still never be dropped).
"""
from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import Counter
from pathlib import Path
from typing import Any

from corpus.pages import HELD_OUT, VARIETIES, Page, iter_pages, load_labels
from searchlib.analysis.boilerplate import BoilerplateModel, clean

RESULTS = Path(__file__).resolve().parent / "results" / "boilerplate.json"
CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SETS = {  # name -> (folder, role)
    "pages": (CORPUS / "pages", "tuning"),
    "unseen": (CORPUS / "unseen", "development"),
    "unseen2": (CORPUS / "unseen2", "development"),
    "unseen3": (CORPUS / "unseen3", "development"),
    "unseen4": (CORPUS / "unseen4", "training"),
    "unseen5": (CORPUS / "unseen5", "training"),
    "holdout": (CORPUS / "holdout", "inspected"),
    "holdout2": (CORPUS / "holdout2", "final"),
    "holdout3": (CORPUS / "holdout3", "inspected"),
    "holdout4": (CORPUS / "holdout4", "inspected"),
    "holdout5": (CORPUS / "holdout5", "inspected"),
    "holdout6": (CORPUS / "holdout6", "inspected"),
    "holdout7": (CORPUS / "holdout7", "inspected"),
    "holdout8": (CORPUS / "holdout8", "final"),
    "holdout9": (CORPUS / "holdout9", "final"),
    "holdout10": (CORPUS / "holdout10", "inspected"),
    "holdout11": (CORPUS / "holdout11", "inspected"),
    "holdout12": (CORPUS / "holdout12", "inspected"),
    "holdout13": (CORPUS / "holdout13", "inspected"),
    "holdout14": (CORPUS / "holdout14", "inspected"),
    "holdout15": (CORPUS / "holdout15", "inspected"),
    "holdout16": (CORPUS / "holdout16", "inspected"),
    "holdout17": (CORPUS / "holdout17", "inspected"),
    "holdout18": (CORPUS / "holdout18", "inspected"),
    "holdout19": (CORPUS / "holdout19", "inspected"),
    "holdout20": (CORPUS / "holdout20", "inspected"),
    "holdout21": (CORPUS / "holdout21", "inspected"),
    "holdout22": (CORPUS / "holdout22", "inspected"),
    "holdout23": (CORPUS / "holdout23", "inspected"),
    "holdout24": (CORPUS / "holdout24", "inspected"),
    "holdout25": (CORPUS / "holdout25", "inspected"),
    "holdout26": (CORPUS / "holdout26", "inspected"),
    "holdout27": (CORPUS / "holdout27", "inspected"),
    "holdout28": (CORPUS / "holdout28", "inspected"),
    "holdout29": (CORPUS / "holdout29", "final"),
}


def score_pages(pages: list[Page], model: BoilerplateModel | None, learned: bool = True
                ) -> dict[str, float | int]:
    """Removal P/R/F1, content retention and reason accuracy over the labelled lines of ``pages``."""
    n = Counter()
    for page in pages:
        lines = clean(page.text, model, learned=learned).lines
        for line_no, gold in load_labels(page.name, page.path.parent):
            line = lines[line_no - 1]
            n[(gold != "content", not line.kept)] += 1
            n["same_reason"] += line.reason == gold
            n["lines"] += 1
    tp, fp, fn, tn = n[(True, True)], n[(False, True)], n[(True, False)], n[(False, False)]
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"pages": len(pages), "lines": n["lines"], "boilerplate_lines": tp + fn,
            "content_lines": tn + fp, "precision": precision, "recall": recall, "f1": f1,
            "retention": tn / (tn + fp) if tn + fp else 1.0,
            "dropped_content_lines": fp, "reason_accuracy": n["same_reason"] / max(n["lines"], 1)}


def gold_title(page: Page) -> str | None:
    """The page's headline by its gold labels: the first line labelled ``title`` (the second when
    the first stands apart above the page's chrome: the browser's title bar, headline and site
    name, which the authors of holdout21 also labelled ``title``), joined with the
    next one when that continues it (a headline wrapped over two lines starts its second line in
    lower case); a second title line that starts a new phrase is a deck, not the headline. None
    when the page has no line labelled ``title``."""
    lines = page.text.split("\n")
    numbers = [n for n, label in load_labels(page.name, page.path.parent) if label == "title"]
    if not numbers:
        return None
    if len(numbers) > 1 and any(lines[k - 1].strip() for k in range(numbers[0] + 1, numbers[1])):
        numbers = numbers[1:]  # the first is the browser's title bar ("Headline | Site") above the page's chrome
    title = lines[numbers[0] - 1].strip()
    if len(numbers) > 1 and numbers[1] == numbers[0] + 1:
        nxt = lines[numbers[1] - 1].strip()
        if nxt[:1].islower():
            title = f"{title} {nxt}"
    return title


def title_scores(pages: list[Page], model: BoilerplateModel | None) -> dict[str, Any]:
    """Headline exact-match rate over the pages with a gold headline (and the misses)."""
    ok, total, misses = 0, 0, []
    for page in pages:
        gold = gold_title(page)
        if gold is None:
            continue
        got = clean(page.text, model).metadata.get("title", "")
        total += 1
        if " ".join(got.split()) == " ".join(gold.split()):
            ok += 1
        else:
            misses.append({"page": page.name, "got": got, "gold": gold})
    return {"pages": total, "exact": ok / total if total else 1.0, "misses": misses}


def by_variety(pages: list[Page], model: BoilerplateModel | None, learned: bool = True
               ) -> dict[str, dict[str, float | int]]:
    """Scores per variety (varieties with no page are left out) and ``total``."""
    out = {v: score_pages(chosen, model, learned) for v in VARIETIES
           if (chosen := [p for p in pages if p.variety == v])}
    out["total"] = score_pages(pages, model, learned)
    return out


def evaluate(pages: list[Page] | None = None, model: BoilerplateModel | None = None,
             fit: bool = True, learned: bool = True) -> dict[str, dict[str, dict[str, float | int]]]:
    """Scores per variety and overall: ``all`` pages, and ``held_out`` (tuning-set held-out pages).

    ``pages`` defaults to the tuning set; the model, unless given, is fitted on ``pages``;
    ``learned=False`` scores the rules without the learned line classifier.
    """
    pages = list(iter_pages()) if pages is None else pages
    if model is None and fit:
        model = BoilerplateModel.fit(p.text for p in pages)
    out = {"all": by_variety(pages, model, learned)}
    held_out = [p for p in pages if p.name in HELD_OUT]
    if held_out:
        out["held_out"] = by_variety(held_out, model, learned)
    return out


def evaluate_set(root: Path, collection: BoilerplateModel | None = None) -> dict:
    """One page set, with a model fitted on it, without a model, and with a ``collection`` model."""
    pages = list(iter_pages(root))
    model = BoilerplateModel.fit(p.text for p in pages)
    out = {"with_model": evaluate(pages, model), "without_model": evaluate(pages, fit=False),
           "rules_only": evaluate(pages, fit=False, learned=False)}
    if collection is not None:
        out["with_collection_model"] = evaluate(pages, collection)
    out["templates_learned"] = len(model)
    out["titles"] = title_scores(pages, model)
    return out


def throughput(pages: list[Page], model: BoilerplateModel, repeats: int = 5,
               learned: bool = True) -> dict[str, float]:
    size_mb = sum(len(p.text.encode("utf-8")) for p in pages) / 1e6
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for page in pages:
            clean(page.text, model, learned=learned)
        times.append(time.perf_counter() - t0)
    t = statistics.median(times)
    t0 = time.perf_counter()
    BoilerplateModel.fit(p.text for p in pages)
    fit_s = time.perf_counter() - t0
    return {"pages": len(pages), "megabytes": size_mb, "median_seconds": t,
            "pages_per_s": len(pages) / t, "mb_per_s": size_mb / t, "fit_seconds": fit_s,
            "repeats": repeats}


def _row(name: str, s: dict) -> str:
    return (f"    {name:8} pages={s['pages']:3d} lines={s['lines']:4d}  P={s['precision']:.3f} "
            f"R={s['recall']:.3f} F1={s['f1']:.3f}  retention={s['retention']:.3f} "
            f"(dropped {s['dropped_content_lines']})  reason-acc={s['reason_accuracy']:.3f}")


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sets", nargs="+", choices=list(SETS), default=list(SETS),
                        help="page sets to score (a set whose folder is missing is skipped)")
    args = parser.parse_args(argv)
    result: dict = {"sets": {}}
    chosen = []
    for name in dict.fromkeys(args.sets):
        root, role = SETS[name]
        if root.is_dir():
            chosen.append((name, root, role))
        else:
            print(f"{name}: {root} not found, skipped")
    timed: list[Page] = [p for _, root, _ in chosen for p in iter_pages(root)]
    collection = BoilerplateModel.fit(p.text for p in timed) if timed else None
    for name, root, role in chosen:
        scores = evaluate_set(root, collection)
        result["sets"][name] = {"role": role, "root": str(root.relative_to(CORPUS.parent)), **scores}
        for setting in ("with_model", "without_model", "rules_only", "with_collection_model"):
            for subset, rows in scores[setting].items():
                print(f"{name} ({role}) / {setting} / {subset}:")
                for variety, s in rows.items():
                    print(_row(variety, s))
        t = scores["titles"]
        print(f"{name} ({role}) / titles (with_model): exact {t['exact']:.3f} "
              f"({t['pages'] - len(t['misses'])} of {t['pages']} pages with a gold headline)")
    if timed:
        result["throughput"] = throughput(timed, collection)
        result["throughput_rules_only"] = throughput(timed, collection, learned=False)
        result["templates_learned"] = len(collection)
        for key, what in (("throughput", "with the learned pass"), ("throughput_rules_only", "rules only")):
            tp = result[key]
            print(f"throughput ({what}): {tp['pages_per_s']:.0f} pages/s, {tp['mb_per_s']:.2f} MB/s "
                  f"(median of {tp['repeats']}, {tp['pages']} pages of {', '.join(result['sets'])}, "
                  f"{tp['megabytes']:.3f} MB); fit {tp['fit_seconds'] * 1000:.1f} ms, "
                  f"{result['templates_learned']} templates")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    tmp = RESULTS.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(RESULTS)
    print(f"wrote {RESULTS}")
    return result


if __name__ == "__main__":
    main()
