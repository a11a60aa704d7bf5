"""SQLite FTS5 (stdlib sqlite3) over the shared pre-tokenized jieba text: a contentless FTS5
table (``unicode61`` tokenizer splits the space-joined tokens) plus a rowid -> id table. Term
queries: OR of quoted tokens ranked by FTS5's bm25; phrases: an FTS5 phrase ``"a b c"``."""
from __future__ import annotations

import os
import sqlite3

from benchmarks.engines.base import Engine
from benchmarks.pretok import query_tokens

SEARCH_SQL = (
    "SELECT d.id FROM (SELECT rowid, rank FROM fts WHERE fts MATCH ? ORDER BY rank LIMIT ?) r "
    "JOIN docs d ON d.rowid = r.rowid ORDER BY r.rank"
)


def check() -> None:
    con = sqlite3.connect(":memory:")
    con.execute("CREATE VIRTUAL TABLE t USING fts5(a)")
    con.close()


def _quote(tok: str) -> str:
    return '"' + tok.replace('"', '""') + '"'


class Fts5Engine(Engine):
    name = "fts5"
    pretokenized = True
    note = "pre-tokenized jieba (precise); contentless; OR; bm25()"

    def __init__(self) -> None:
        self.con = None

    @staticmethod
    def _db(path) -> str:
        return os.path.join(path, "index.sqlite")

    def build(self, corpus, path, tokens=None, **opts) -> None:
        self.fresh_dir(path)
        con = sqlite3.connect(self._db(path))
        con.execute("PRAGMA journal_mode=OFF")
        con.execute("PRAGMA synchronous=OFF")
        con.execute("CREATE TABLE docs(rowid INTEGER PRIMARY KEY, id TEXT)")
        con.execute("CREATE VIRTUAL TABLE fts USING fts5(body, content='', "
                    "tokenize='unicode61 remove_diacritics 0')")
        with con:
            con.executemany("INSERT INTO docs(rowid, id) VALUES (?, ?)", enumerate(corpus.ids, 1))
            con.executemany("INSERT INTO fts(rowid, body) VALUES (?, ?)", enumerate(tokens, 1))
            con.execute("INSERT INTO fts(fts) VALUES ('optimize')")
        con.close()

    def open(self, path) -> None:
        self.con = sqlite3.connect(self._db(path))
        self.con.execute("SELECT count(*) FROM docs").fetchone()

    def _run(self, match: str, k: int) -> list[str]:
        return [row[0] for row in self.con.execute(SEARCH_SQL, (match, k))]

    def search(self, query, k=10):
        toks = query_tokens(query)
        return self._run(" OR ".join(_quote(t) for t in toks), k) if toks else []

    def phrase_search(self, phrase, k=10):
        toks = query_tokens(phrase)
        return self._run(_quote(" ".join(toks)), k) if toks else []

    def close(self) -> None:
        if self.con is not None:
            self.con.close()
        self.con = None
