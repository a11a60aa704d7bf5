"""Engine adapters of ``benchmarks.bench_typed``: searchlib, tantivy-py and whoosh with a date, a
keyword and an int column.

Each adapter builds from a :class:`benchmarks.typed_corpus.TypedCorpus` (``build`` returns the
seconds it took), opens the index, and answers a query dict (see :mod:`benchmarks.typed_corpus`)
with :meth:`run`: ``{"total", "ids", "facets"}`` (``ids``: the top-10 hits' ids, best first;
``facets``: source value → count, facet cases only). ``run`` is what the benchmark times.

* searchlib: public API only (``Index.create(fields=...)``, ``ix.writer(workers=1)``,
  ``ix.search(query, filter=..., sort="-date", facets=["source"], facet_limit=None)``); facets with
  ``limit=0`` (counts and total only, like tantivy's ``aggregate``).
* tantivy-py: the shared rjieba tokens (``whitespace`` tokenizer) as in
  :mod:`benchmarks.engines.tantivy_engine`; ``date`` and ``views`` are fast fields (not indexed:
  range queries run on the fast field), ``source`` a ``raw`` text field with ``fast=True``;
  term + range is a boolean query of two ``Must`` clauses; ``search(..., order_by_field="date",
  order=Order.Desc)``; facets ``searcher.aggregate(query, {"terms": ...})``. One writer thread.
* whoosh: jieba's ``ChineseAnalyzer``; ``DATETIME``, ``ID`` and ``NUMERIC`` fields with
  ``sortable=True`` (columns); ``sortedby="date", reverse=True``; facets ``groupedby`` a
  ``FieldFacet`` with ``maptype=Count`` (``limit=1``: whoosh needs a positive limit).
"""
from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

from benchmarks.engines.base import dir_size
from benchmarks.typed_corpus import TYPED_FIELDS, TypedCorpus, naive_utc, utc

FACET_SIZE = 1000  # every source value (there are 50)


def _fresh(path: str | Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
    Path(path).parent.mkdir(parents=True, exist_ok=True)


class SearchlibTyped:
    name = "searchlib"

    def __init__(self) -> None:
        self.ix: Any = None

    KINDS = {"date": "date", "source": "keyword", "views": "int"}

    @classmethod
    def build(cls, tc: TypedCorpus, path: str, fields: tuple[str, ...] = TYPED_FIELDS, workers: int = 1) -> float:
        """Build with the typed ``fields`` (dates given as naive UTC datetimes); seconds taken."""
        import searchlib

        _fresh(path)
        ids, bodies = tc.corpus.ids, tc.corpus.bodies
        values = tc.values(fields, aware=False)
        names = list(values)
        columns = [values[f] for f in names]
        t0 = time.perf_counter()
        ix = searchlib.Index.create(path, fields={"title": "text", "body": "text", **{f: cls.KINDS[f] for f in names}})
        with ix.writer(workers=workers) as w:
            for i in range(len(ids)):
                doc = {"id": ids[i], "title": "", "body": bodies[i]}
                for f, col in zip(names, columns):
                    doc[f] = col[i]
                w.add(doc)
        seconds = time.perf_counter() - t0
        ix.close()
        return seconds

    def open(self, path: str) -> None:
        import searchlib

        self.ix = searchlib.Index.open(path)

    def segments(self) -> int:
        return len(self.ix.reader().segments)

    def run(self, q: dict[str, Any]) -> dict[str, Any]:
        filt: dict[str, Any] = {}
        if q["date"] is not None:
            filt["date"] = {"gte": naive_utc(q["date"][0]).isoformat(), "lt": naive_utc(q["date"][1]).isoformat()}
        if q["views"] is not None:
            filt["views"] = {"gte": q["views"][0], "lt": q["views"][1]}
        text = q["word"] or ""
        if q["facet"] is not None:
            r = self.ix.search(text, limit=0, filter=filt or None, facets=[q["facet"]], facet_limit=None)
            return {"total": r.total, "ids": [], "facets": dict(r.facets[q["facet"]])}
        r = self.ix.search(text, limit=10, filter=filt or None, sort=q["sort"])
        return {"total": r.total, "ids": [h.id for h in r], "facets": None}

    def close(self) -> None:
        if self.ix is not None:
            self.ix.close()
        self.ix = None


class TantivyTyped:
    name = "tantivy"

    def __init__(self) -> None:
        self.index: Any = None
        self.searcher: Any = None
        self.schema: Any = None

    @staticmethod
    def _schema(fields: tuple[str, ...]) -> Any:
        import tantivy

        sb = tantivy.SchemaBuilder()
        sb.add_text_field("id", stored=True, tokenizer_name="raw")
        sb.add_text_field("body", stored=False, tokenizer_name="whitespace")
        if "date" in fields:
            sb.add_date_field("date", indexed=False, fast=True)
        if "source" in fields:
            sb.add_text_field("source", stored=False, tokenizer_name="raw", fast=True, index_option="basic")
        if "views" in fields:
            sb.add_integer_field("views", indexed=False, fast=True)
        return sb.build()

    @classmethod
    def build(cls, tc: TypedCorpus, path: str, fields: tuple[str, ...] = TYPED_FIELDS, heap: int = 256_000_000,
              threads: int = 1) -> float:
        """Build from the shared tokens with the typed ``fields`` (aware UTC dates); seconds taken."""
        import tantivy

        _fresh(path)
        Path(path).mkdir(parents=True)
        ids, tokens = tc.corpus.ids, tc.tokens
        values = tc.values(fields, aware=True)
        names = list(values)
        columns = [values[f] for f in names]
        t0 = time.perf_counter()
        index = tantivy.Index(cls._schema(fields), path=str(path))
        w = index.writer(heap_size=heap, num_threads=threads)
        Doc = tantivy.Document
        for i in range(len(ids)):
            w.add_document(Doc(id=ids[i], body=tokens[i], **{f: col[i] for f, col in zip(names, columns)}))
        w.commit()
        w.wait_merging_threads()
        return time.perf_counter() - t0

    def open(self, path: str) -> None:
        import tantivy

        self.index = tantivy.Index.open(str(path))
        self.schema = self.index.schema
        self.searcher = self.index.searcher()

    def segments(self) -> int:
        return int(self.searcher.num_segments)

    def _query(self, q: dict[str, Any]) -> Any:
        import tantivy

        Q = tantivy.Query
        clauses = []
        if q["word"] is not None:
            clauses.append(Q.term_query(self.schema, "body", q["word"]))
        if q["date"] is not None:
            lo, hi = (utc(s) for s in q["date"])
            clauses.append(Q.range_query(self.schema, "date", tantivy.FieldType.Date, lo, hi, include_upper=False))
        if q["views"] is not None:
            clauses.append(Q.range_query(self.schema, "views", tantivy.FieldType.Integer, q["views"][0], q["views"][1],
                                         include_upper=False))
        if len(clauses) == 1:
            return clauses[0]
        return Q.boolean_query([(tantivy.Occur.Must, c) for c in clauses])

    def run(self, q: dict[str, Any]) -> dict[str, Any]:
        import tantivy

        query = self._query(q)
        if q["facet"] is not None:
            agg = self.searcher.aggregate(query, {"f": {"terms": {"field": q["facet"], "size": FACET_SIZE}}})
            buckets = agg["f"]["buckets"]
            counts = {b["key"]: b["doc_count"] for b in buckets}
            return {"total": sum(counts.values()) + agg["f"].get("sum_other_doc_count", 0), "ids": [],
                    "facets": counts}
        if q["sort"] == "-date":
            res = self.searcher.search(query, 10, order_by_field="date", order=tantivy.Order.Desc)
        else:
            res = self.searcher.search(query, 10)
        doc = self.searcher.doc
        return {"total": res.count, "ids": [doc(addr)["id"][0] for _key, addr in res.hits], "facets": None}

    def close(self) -> None:
        self.index = self.searcher = None


class WhooshTyped:
    name = "whoosh"

    def __init__(self) -> None:
        self.ix: Any = None
        self.searcher: Any = None

    @staticmethod
    def build(tc: TypedCorpus, path: str, fields: tuple[str, ...] = TYPED_FIELDS, limitmb: int = 256) -> float:
        """Build with jieba's ``ChineseAnalyzer`` and the typed ``fields`` (naive UTC dates)."""
        from jieba.analyse import ChineseAnalyzer
        from whoosh import index
        from whoosh.fields import DATETIME, ID, NUMERIC, TEXT, Schema

        _fresh(path)
        Path(path).mkdir(parents=True)
        kinds = {"date": DATETIME(sortable=True), "source": ID(sortable=True),
                 "views": NUMERIC(int, bits=64, sortable=True)}
        ids, bodies = tc.corpus.ids, tc.corpus.bodies
        values = tc.values(fields, aware=False)
        names = list(values)
        columns = [values[f] for f in names]
        schema = Schema(id=ID(stored=True), body=TEXT(analyzer=ChineseAnalyzer()), **{f: kinds[f] for f in names})
        t0 = time.perf_counter()
        ix = index.create_in(str(path), schema)
        w = ix.writer(limitmb=limitmb)
        for i in range(len(ids)):
            w.add_document(id=ids[i], body=bodies[i], **{f: col[i] for f, col in zip(names, columns)})
        w.commit()
        return time.perf_counter() - t0

    def open(self, path: str) -> None:
        from whoosh import index

        self.ix = index.open_dir(str(path))
        self.searcher = self.ix.searcher()

    def segments(self) -> int:
        return len(self.ix._segments())

    @staticmethod
    def _query(q: dict[str, Any]) -> Any:
        from whoosh import query as wq

        clauses = []
        if q["word"] is not None:
            clauses.append(wq.Term("body", q["word"]))
        if q["date"] is not None:
            clauses.append(wq.DateRange("date", naive_utc(q["date"][0]), naive_utc(q["date"][1]), endexcl=True))
        if q["views"] is not None:
            clauses.append(wq.NumericRange("views", q["views"][0], q["views"][1], endexcl=True))
        return clauses[0] if len(clauses) == 1 else wq.And(clauses)

    def run(self, q: dict[str, Any]) -> dict[str, Any]:
        from whoosh import sorting

        query = self._query(q)
        if q["facet"] is not None:
            facet = sorting.FieldFacet(q["facet"], maptype=sorting.Count)
            res = self.searcher.search(query, limit=1, groupedby={"f": facet})
            return {"total": len(res), "ids": [], "facets": dict(res.groups("f"))}
        if q["sort"] == "-date":
            res = self.searcher.search(query, limit=10, sortedby="date", reverse=True)
        else:
            res = self.searcher.search(query, limit=10)
        return {"total": len(res), "ids": [h["id"] for h in res], "facets": None}

    def close(self) -> None:
        if self.searcher is not None:
            self.searcher.close()
        self.ix = self.searcher = None


ENGINES = {"searchlib": SearchlibTyped, "tantivy": TantivyTyped, "whoosh": WhooshTyped}


def size_of(path: str | Path) -> int:
    return dir_size(path)
