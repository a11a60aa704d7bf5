"""Loader for the sample news pages in ``corpus/pages/`` and their gold line labels.

Each page ``<variety>-NN.txt`` (variety: ``zh-hans``, ``zh-hant``, ``en``, ``id``) has a label file
``labels/<variety>-NN.labels.tsv`` with one row per non-empty line:
``line_no<TAB>label<TAB>first 40 characters``.  ``line_no`` is 1-based; ``label`` is ``content``
or one of the boilerplate removal reasons of :mod:`searchlib.analysis.boilerplate`.
The pages are invented, written for this project.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent / "pages"
VARIETIES = ("zh-hans", "zh-hant", "en", "id")


@dataclass(frozen=True)
class Page:
    name: str       # file stem, e.g. "zh-hant-04"
    variety: str    # "zh-hans" | "zh-hant" | "en" | "id"
    path: Path
    text: str


def variety_of(name: str) -> str:
    return name.rsplit("-", 1)[0]


def iter_pages(root: str | Path | None = None) -> Iterator[Page]:
    """Every page under ``root`` (default: the shipped corpus), sorted by name."""
    base = Path(root) if root is not None else ROOT
    for path in sorted(base.glob("*.txt")):
        yield Page(path.stem, variety_of(path.stem), path, path.read_text(encoding="utf-8"))


def load_labels(name: str, root: str | Path | None = None) -> list[tuple[int, str]]:
    """Gold ``(line_no, label)`` pairs of page ``name`` (1-based line numbers)."""
    base = Path(root) if root is not None else ROOT
    rows = []
    for raw in (base / "labels" / f"{name}.labels.tsv").read_text(encoding="utf-8").splitlines():
        if raw.strip():
            line_no, label, _ = raw.split("\t", 2)
            rows.append((int(line_no), label))
    return rows


# Pages the boilerplate rules were NOT developed on (about a third of each variety).  They were
# written together with the others, so they share sites and chrome; the rules were tuned only on
# the remaining pages (and the shapes of the seed pages in /work/shared/seeds).
HELD_OUT = frozenset({
    "zh-hans-08", "zh-hans-09", "zh-hans-10",
    "zh-hant-07", "zh-hant-08", "zh-hant-09",
    "en-07", "en-08", "en-09",
    "id-06", "id-07", "id-08",
})
