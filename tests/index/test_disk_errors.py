"""Disk full / permission denied at ANY write of a commit: the previous commit stays intact."""
from __future__ import annotations

import errno
from pathlib import Path

import pytest

from searchlib.api import Index
from searchlib.index import fsio
from tests.index.helpers import DOCS, live_docs


def _base(path: Path) -> Index:
    ix = Index.create(path)
    with ix.writer(workers=1) as w:
        for d in DOCS:
            w.add(d)
    return ix


def _change(ix: Index) -> None:
    with ix.writer(workers=1, buffer_docs=2, merge_factor=2) as w:
        w.delete("d1")
        w.update({"id": "d2", "body": "更新"})
        for i in range(5):
            w.add({"id": f"n{i}", "title": "新", "body": f"新文档 {i}"})


def _count_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    ix = _base(tmp_path / "count")
    calls = []
    real = fsio._write_all
    monkeypatch.setattr(fsio, "_write_all", lambda fd, view: (calls.append(1), real(fd, view)))
    _change(ix)
    monkeypatch.setattr(fsio, "_write_all", real)
    return len(calls)


@pytest.mark.filterwarnings("ignore:segment merge after commit failed:RuntimeWarning")
@pytest.mark.parametrize(("code", "word"), [(errno.ENOSPC, "disk full"), (errno.EACCES, "permission denied")])
def test_failure_at_every_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, word: str) -> None:
    total = _count_writes(tmp_path, monkeypatch)
    assert total > 20  # segments, deletion bitmaps, manifests (a merge too)
    ix = _base(tmp_path / "ix")
    before = live_docs(ix.path)
    real = fsio._write_all
    for k in range(total):
        calls = []

        def failing(fd: int, view: memoryview) -> None:
            calls.append(1)
            if len(calls) == k + 1:
                raise OSError(code, "injected")
            real(fd, view)

        monkeypatch.setattr(fsio, "_write_all", failing)
        try:
            _change(ix)
        except OSError as exc:
            assert word in str(exc) and "previous commit is intact" in str(exc)
            assert exc.errno == code
            committed = False
        else:
            committed = True  # the failure hit the optional merge after the commit
        monkeypatch.setattr(fsio, "_write_all", real)
        after = live_docs(ix.path)
        if committed:
            assert after["d2"]["body"] == "更新" and "d1" not in after
        else:
            assert after == before, k
        ix.check()
        # the lock was released and the index is writable again; restore the base state
        with ix.writer(workers=1) as w:
            for n in list(after):
                if n not in before:
                    w.delete(n)
            for d in before.values():
                w.add(d)
        assert live_docs(ix.path) == before
