"""bm25s (sparse-matrix BM25, in memory; saved with ``save``/``load``) over the shared
pre-tokenized jieba text. Bag of words: no phrase support (the phrase text is run as a plain
query). Documents with score 0 are dropped from the top k."""
from __future__ import annotations

import json
import os

from benchmarks.engines.base import Engine
from benchmarks.pretok import query_tokens


def check() -> None:
    import bm25s  # noqa: F401


class Bm25sEngine(Engine):
    name = "bm25s"
    pretokenized = True
    native_phrase = False
    note = "pre-tokenized jieba (precise); in-memory; OR"

    def __init__(self) -> None:
        self.retriever = self.ids = None

    def build(self, corpus, path, tokens=None, **opts) -> None:
        import bm25s

        self.fresh_dir(path)
        tok = bm25s.tokenize(tokens, lower=False, token_pattern=r"\S+", stopwords=None,
                             show_progress=False)
        retriever = bm25s.BM25()
        retriever.index(tok, show_progress=False)
        retriever.save(path, show_progress=False)
        with open(os.path.join(path, "ids.json"), "w", encoding="utf-8") as f:
            json.dump(corpus.ids, f)

    def open(self, path) -> None:
        import bm25s

        self.retriever = bm25s.BM25.load(path, show_progress=False)
        with open(os.path.join(path, "ids.json"), encoding="utf-8") as f:
            self.ids = json.load(f)

    def search(self, query, k=10):
        toks = query_tokens(query)
        if not toks:
            return []
        docs, scores = self.retriever.retrieve([toks], k=min(k, len(self.ids)), show_progress=False,
                                               n_threads=0)
        return [self.ids[d] for d, s in zip(docs[0].tolist(), scores[0].tolist()) if s > 0]

    def close(self) -> None:
        self.retriever = self.ids = None
