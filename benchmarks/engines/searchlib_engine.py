"""searchlib through its public API only (``searchlib.Index``). Built with
``ix.writer(workers=1)`` (single process, like the peers; the runner adds a ``workers=2`` row --
searchlib's own default is all cores). Queries are passed verbatim
(searchlib analyzes them itself); phrases use the ``"..."`` syntax; highlighting times
``hit.highlights("body")`` (and, separately, ``hit.snippet("body", format="text")``)."""
from __future__ import annotations

from benchmarks.engines.base import Engine


def check() -> None:
    import searchlib

    searchlib.Index  # noqa: B018 - raises until the Index API exists
    searchlib.analyze  # noqa: B018


class SearchlibEngine(Engine):
    name = "searchlib"
    can_highlight = True
    stores_text = True
    note = "public API; own analyzer"

    def __init__(self) -> None:
        self.ix = None

    def build(self, corpus, path, tokens=None, workers: int = 1, **opts) -> None:
        import shutil
        from pathlib import Path

        import searchlib

        shutil.rmtree(path, ignore_errors=True)  # Index.create makes the directory itself
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        ix = searchlib.Index.create(path)
        with ix.writer(workers=workers) as w:  # 1 = single process, like the peers
            for doc_id, body in zip(corpus.ids, corpus.bodies):
                w.add({"id": doc_id, "title": "", "body": body})
        if hasattr(ix, "close"):
            ix.close()

    def open(self, path) -> None:
        import searchlib

        self.ix = searchlib.Index.open(path)

    def search_hits(self, query, k=10):
        return list(self.ix.search(query, limit=k))

    def search(self, query, k=10):
        return [hit.id for hit in self.ix.search(query, limit=k)]

    def phrase_search(self, phrase, k=10):
        return self.search('"' + phrase.replace('"', " ") + '"', k)

    def highlight(self, query, hits):
        return [hit.highlights("body") for hit in hits]

    def snippet(self, query, hits):
        return [hit.snippet("body", format="text") for hit in hits]

    def close(self) -> None:
        if self.ix is not None and hasattr(self.ix, "close"):
            self.ix.close()
        self.ix = None
