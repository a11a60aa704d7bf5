"""``make demo``: index the bundled sample pages and run a few queries in each language.

Everything goes through the public API (the same calls the README shows), into ``index/`` (the
default index location), so ``search query ...`` works on the result afterwards.
"""
from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

import searchlib
from corpus.pages import iter_pages

QUERIES = [
    "工程机械 产业集群",              # Simplified
    "長沙工程機械",                    # Traditional: finds Simplified and Traditional pages
    '"产业集群"',                      # a phrase
    "construction machinery Changsha",  # English
    "ekspor alat berat",               # Indonesian
    "title:轨道交通 OR 高铁",          # field query, boolean
    "baterai listrik -Chongqing",      # exclusion
]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--index", default=str(Path(__file__).resolve().parent.parent / "index"))
    args = parser.parse_args(argv)
    index_dir = Path(args.index)
    if index_dir.exists():
        for child in index_dir.iterdir():  # keep the folder (and its .gitkeep), rebuild the index
            if child.name != ".gitkeep":
                shutil.rmtree(child) if child.is_dir() else child.unlink()

    pages = list(iter_pages())
    started = time.perf_counter()
    templates = searchlib.BoilerplateModel.fit(page.text for page in pages)  # site headers/footers
    ix = searchlib.Index.create(index_dir, exist_ok=True)
    with ix.writer() as w:
        for page in pages:
            w.add_page(page.text, page.name, templates)
    took = time.perf_counter() - started
    print(f"indexed {len(ix)} pages from corpus/pages into {index_dir} in {took:.2f} s\n")

    for query in QUERIES:
        results = ix.search(query, limit=3)
        print(f"search {query!r}: {results.total} matching, {results.took_ms:.2f} ms")
        for hit in results:
            title = hit.fields.get("title") or ""
            print(f"  {hit.score:6.2f}  {hit.id:<16} {title[:60]}")
            print(f"          {hit.snippet('body', format='text', max_chars=120)}")
        print()
    print("try: .venv/bin/search query '长沙 工程机械' --limit 5")


if __name__ == "__main__":
    main()
