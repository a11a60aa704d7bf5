"""Whoosh 2.7.4 with jieba's ``ChineseAnalyzer`` (search-mode jieba tokens, lowercase, stop
words, stemming). Term queries use an OR group (BM25F ranking, like the other peers); phrases
use whoosh's phrase syntax; highlighting is whoosh's own ``hit.highlights("body")``.

Note: jieba's ``ChineseTokenizer`` stores the *character offset* as the token position, so
whoosh's phrase adjacency test rarely holds for multi-character words; this is measured as is.
"""
from __future__ import annotations

from benchmarks.engines.base import Engine


def check() -> None:
    import jieba.analyse  # noqa: F401
    import whoosh  # noqa: F401


class WhooshEngine(Engine):
    name = "whoosh"
    can_highlight = True
    stores_text = True
    note = "jieba ChineseAnalyzer (search mode); OR group"

    def __init__(self) -> None:
        self.ix = self.searcher = self.parser = None

    def build(self, corpus, path, tokens=None, limitmb: int = 256, **opts) -> None:
        from jieba.analyse import ChineseAnalyzer
        from whoosh import index
        from whoosh.fields import ID, TEXT, Schema

        self.fresh_dir(path)
        schema = Schema(id=ID(stored=True), body=TEXT(stored=True, analyzer=ChineseAnalyzer()))
        ix = index.create_in(path, schema)
        w = ix.writer(limitmb=limitmb)
        for doc_id, body in zip(corpus.ids, corpus.bodies):
            w.add_document(id=doc_id, body=body)
        w.commit()

    def open(self, path) -> None:
        from whoosh import index
        from whoosh.qparser import OrGroup, QueryParser

        self.ix = index.open_dir(path)
        self.searcher = self.ix.searcher()
        self.parser = QueryParser("body", self.ix.schema, group=OrGroup)

    def search_hits(self, query, k=10):
        return self.searcher.search(self.parser.parse(query), limit=k)

    def search(self, query, k=10):
        return [hit["id"] for hit in self.search_hits(query, k)]

    def phrase_search(self, phrase, k=10):
        return self.search('"%s"' % phrase.replace('"', " "), k)

    def highlight(self, query, hits):
        return [hit.highlights("body") for hit in hits]

    def close(self) -> None:
        if self.searcher is not None:
            self.searcher.close()
        self.ix = self.searcher = None
