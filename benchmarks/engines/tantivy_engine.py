"""tantivy (Python bindings) over the shared pre-tokenized jieba text (``whitespace``
tokenizer), single writer thread. Term queries: BM25 OR of the query tokens; phrases: tantivy's
positional phrase query (a single-token phrase is a term query). Only the id is stored."""
from __future__ import annotations

from benchmarks.engines.base import Engine
from benchmarks.pretok import query_tokens


def check() -> None:
    import tantivy  # noqa: F401


class TantivyEngine(Engine):
    name = "tantivy"
    pretokenized = True
    note = "pre-tokenized jieba (precise); 1 writer thread; OR"

    def __init__(self) -> None:
        self.index = self.searcher = self.schema = None

    @staticmethod
    def _schema():
        import tantivy

        sb = tantivy.SchemaBuilder()
        sb.add_text_field("id", stored=True, tokenizer_name="raw")
        sb.add_text_field("body", stored=False, tokenizer_name="whitespace")
        return sb.build()

    def build(self, corpus, path, tokens=None, heap: int = 256_000_000, threads: int = 1, **opts):
        import tantivy

        self.fresh_dir(path)
        index = tantivy.Index(self._schema(), path=path)
        w = index.writer(heap_size=heap, num_threads=threads)
        for doc_id, toks in zip(corpus.ids, tokens):
            w.add_document(tantivy.Document(id=doc_id, body=toks))
        w.commit()
        w.wait_merging_threads()

    def open(self, path) -> None:
        import tantivy

        self.index = tantivy.Index.open(path)
        self.schema = self.index.schema
        self.searcher = self.index.searcher()

    def _run(self, query, k):
        res = self.searcher.search(query, k)
        return [self.searcher.doc(addr)["id"][0] for _score, addr in res.hits]

    def search(self, query, k=10):
        import tantivy

        toks = query_tokens(query)
        if not toks:
            return []
        q = tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, tantivy.Query.term_query(self.schema, "body", t)) for t in toks])
        return self._run(q, k)

    def phrase_search(self, phrase, k=10):
        import tantivy

        toks = query_tokens(phrase)
        if not toks:
            return []
        if len(toks) == 1:
            q = tantivy.Query.term_query(self.schema, "body", toks[0])
        else:
            q = tantivy.Query.phrase_query(self.schema, "body", toks)
        return self._run(q, k)

    def close(self) -> None:
        self.index = self.searcher = None
