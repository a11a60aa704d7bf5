"""The adapter interface every engine implements (one small module per engine)."""
from __future__ import annotations

import os
import shutil
from pathlib import Path


def dir_size(path: str | Path) -> int:
    """Bytes of all files under ``path`` (or of ``path`` itself when it is a file)."""
    p = Path(path)
    if p.is_file():
        return p.stat().st_size
    total = 0
    for root, _dirs, files in os.walk(p):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(root, f))
            except OSError:
                pass
    return total


class Engine:
    """Adapter contract.

    ``build(corpus, path, tokens)`` indexes a :class:`benchmarks.corpora.Corpus` into ``path``;
    ``tokens`` (space-joined jieba tokens per document, see :mod:`benchmarks.pretok`) is given to
    engines with ``pretokenized = True``. ``open(path)`` loads it for searching;
    ``search(query, k)`` / ``phrase_search(phrase, k)`` return doc ids, best first.
    ``search_hits`` + ``highlight(query, hits)`` exist where ``can_highlight``: the harness times
    only ``highlight``. ``native_phrase = False`` means the phrase text is run as a plain query.
    """

    name = "base"
    pretokenized = False
    native_phrase = True
    can_highlight = False
    stores_text = False
    note = ""

    def build(self, corpus, path: str, tokens: list[str] | None = None, **opts) -> None:
        raise NotImplementedError

    def open(self, path: str) -> None:
        raise NotImplementedError

    def search(self, query: str, k: int = 10) -> list[str]:
        raise NotImplementedError

    def phrase_search(self, phrase: str, k: int = 10) -> list[str]:
        return self.search(phrase, k)

    def search_hits(self, query: str, k: int = 10):
        raise NotImplementedError

    def highlight(self, query: str, hits) -> list:
        raise NotImplementedError

    def size_on_disk(self, path: str) -> int:
        return dir_size(path)

    def close(self) -> None:
        pass

    @staticmethod
    def fresh_dir(path: str) -> None:
        shutil.rmtree(path, ignore_errors=True)
        Path(path).mkdir(parents=True)
