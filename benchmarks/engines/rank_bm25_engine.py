"""rank_bm25 (``BM25Okapi``, pure Python, O(N) per query) over the shared pre-tokenized jieba
text; pickled to disk. Bag of words (no phrase support). The harness runs it only on the
People's Daily corpus and caps each query set (it is far too slow for the scale runs)."""
from __future__ import annotations

import os
import pickle

import numpy as np

from benchmarks.engines.base import Engine
from benchmarks.pretok import query_tokens


def check() -> None:
    import rank_bm25  # noqa: F401


class RankBm25Engine(Engine):
    name = "rank_bm25"
    pretokenized = True
    native_phrase = False
    note = "pre-tokenized jieba (precise); in-memory; O(N) per query"

    def __init__(self) -> None:
        self.model = self.ids = None

    @staticmethod
    def _file(path) -> str:
        return os.path.join(path, "bm25okapi.pickle")

    def build(self, corpus, path, tokens=None, **opts) -> None:
        from rank_bm25 import BM25Okapi

        self.fresh_dir(path)
        model = BM25Okapi([t.split() for t in tokens])
        with open(self._file(path), "wb") as f:
            pickle.dump((model, corpus.ids), f, protocol=pickle.HIGHEST_PROTOCOL)

    def open(self, path) -> None:
        with open(self._file(path), "rb") as f:
            self.model, self.ids = pickle.load(f)

    def search(self, query, k=10):
        toks = query_tokens(query)
        if not toks:
            return []
        scores = self.model.get_scores(toks)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.lexsort((top, -scores[top]))]
        return [self.ids[i] for i in top.tolist() if scores[i] > 0]

    def close(self) -> None:
        self.model = self.ids = None
