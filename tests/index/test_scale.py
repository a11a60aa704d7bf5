"""Bounded memory: flushing at ``buffer_docs``/``buffer_bytes`` before the commit, bounded merges,
the per-document stored-field format (segments of earlier formats refused), and RSS at scale (stress)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import zlib
from pathlib import Path

import pytest

from searchlib.api import Index
from searchlib.errors import IndexCorruptError
from searchlib.index import writer as writer_mod
from searchlib.index.manifest import read_manifest, write_manifest
from searchlib.index.reader import IndexReader
from searchlib.index.writer import select_merges
from tests.index.helpers import live_docs

ROOT = Path(__file__).resolve().parents[2]


def _docs(n: int, prefix: str = "s") -> list[dict[str, str]]:
    words = ["长沙", "工程机械", "产业集群", "天气", "New York", "company", "。", "发展迅速", "人民日报"]
    return [{"id": f"{prefix}{i}", "title": words[i % 9], "body": "".join(words[(i * j + j) % 9] for j in range(i % 17 + 3)),
             "source": ["新华社", "人民日报"][i % 2]} for i in range(n)]


def _segment_dirs(path: Path) -> list[str]:
    root = path / "segments"
    return sorted(d for d in os.listdir(root) if (root / d / "meta.json").exists())


@pytest.mark.stress  # scaling tests (worker processes, several segments): the stress run
@pytest.mark.parametrize("workers", [1, 2])
def test_flush_at_buffer_docs_invisible_until_commit(tmp_path: Path, workers: int) -> None:
    ix = Index.create(tmp_path / "ix")
    with ix.writer(workers=1) as w:
        w.add({"id": "old", "body": "已经提交的文档"})
    generation = read_manifest(str(tmp_path / "ix"))["generation"]
    docs = _docs(230)
    with ix.writer(workers=workers, buffer_docs=50, merge=False) as w:
        for d in docs[:120]:
            w.add(d)
        # two full segments are on disk already, the third is still filling
        on_disk = _segment_dirs(tmp_path / "ix")
        assert len(on_disk) == 1 + 2
        with IndexReader.open(tmp_path / "ix") as r:  # ... but no reader sees them
            assert r.generation == generation and r.doc_count == 1 and len(r.segments) == 1
        assert len(ix) == 1 and ix.get("s0") is None
        for d in docs[120:]:
            w.add(d)
        assert len(_segment_dirs(tmp_path / "ix")) == 1 + 4
    r = ix.reader()
    assert sorted(s.doc_count for s in r.segments) == [1, 30, 50, 50, 50, 50]
    assert live_docs(tmp_path / "ix") == {"old": {"id": "old", "body": "已经提交的文档"}, **{d["id"]: d for d in docs}}
    ix.check()


def test_rollback_removes_flushed_segments(tmp_path: Path) -> None:
    ix = Index.create(tmp_path / "ix")
    w = ix.writer(workers=1, buffer_docs=20)
    for d in _docs(70):
        w.add(d)
    assert len(_segment_dirs(tmp_path / "ix")) == 3
    w.rollback()
    assert _segment_dirs(tmp_path / "ix") == []
    w.close()
    assert len(ix) == 0


def test_buffer_bytes_flushes_segments(tmp_path: Path) -> None:
    ix = Index.create(tmp_path / "ix")
    with ix.writer(workers=1, buffer_bytes=1, merge=False) as w:  # every analysed chunk is a segment
        for d in _docs(3 * writer_mod.CHUNK_DOCS + 5):
            w.add(d)
    assert [s.doc_count for s in ix.reader().segments] == [writer_mod.CHUNK_DOCS] * 3 + [5]
    ix.check()


@pytest.mark.stress
@pytest.mark.parametrize("workers", [1, 2])
def test_upsert_within_the_filling_segment(tmp_path: Path, workers: int) -> None:
    """A document replaced after its first version went to analysis (same filling segment) ends up
    once, in its last version; ids stay unique inside every segment."""
    ix = Index.create(tmp_path / "ix")
    docs = _docs(3 * writer_mod.CHUNK_DOCS)
    with ix.writer(workers=workers, merge=False) as w:
        for d in docs:
            w.add(d)
        for d in docs[:50]:
            w.add(dict(d, body="第二版 " + d["body"]))
        w.delete(docs[60]["id"])
    expected = {d["id"]: d for d in docs}
    for d in docs[:50]:
        expected[d["id"]] = dict(d, body="第二版 " + d["body"])
    del expected[docs[60]["id"]]
    assert live_docs(tmp_path / "ix") == expected
    assert ix.search("第二版", limit=100).total == 50
    ix.check()


def test_merges_take_at_most_factor_segments() -> None:
    assert select_merges([20_000] * 50) == list(range(10))
    # after five such merges: five 200k segments, one tier up, fewer than the factor: no more
    assert select_merges([200_000] * 5) is None
    # the smallest of a crowded tier go first
    assert select_merges([40, 30, 50, 28, 60, 35], factor=3) == [1, 3, 5]


def test_stored_documents_use_a_trained_dictionary(tmp_path: Path) -> None:
    ix = Index.create(tmp_path / "ix")
    docs = _docs(1200)
    with ix.writer(workers=1) as w:
        for d in docs:
            w.add(d)
    seg = ix.reader().segments[0]
    st = seg._store
    assert st.version == 2 and st.dict_count == 1 and len(st.dictionary(0)) > 1000
    assert all(seg.stored(i) == docs[i] for i in range(0, 1200, 7))


@pytest.mark.parametrize("version", [1, 2])
def test_segments_of_earlier_formats_are_refused_with_a_rebuild_hint(tmp_path: Path, version: int) -> None:
    """Formats 1 and 2 kept marisa-trie dictionaries, which this version no longer parses."""
    path = tmp_path / "ix"
    ix = Index.create(path)
    with ix.writer(workers=1) as w:
        w.add({"id": "a", "body": "文档"})
    ix.close()
    manifest = read_manifest(str(path))
    entry = manifest["segments"][0]
    meta_path = path / "segments" / entry["name"] / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["format_version"] = version
    raw = json.dumps(meta).encode("utf-8")
    meta_path.write_bytes(raw)
    entry["meta_size"], entry["meta_crc32"] = len(raw), zlib.crc32(raw)
    write_manifest(str(path), manifest)
    with pytest.raises(IndexCorruptError, match=f"segment format version {version} is not supported.*rebuild the index") as err:
        IndexReader.open(path)
    assert err.value.path == str(meta_path)


def test_unknown_segment_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ix"
    ix = Index.create(path)
    with ix.writer(workers=1) as w:
        w.add({"id": "a", "body": "文档"})
    ix.close()
    manifest = read_manifest(str(path))
    entry = manifest["segments"][0]
    meta_path = path / "segments" / entry["name"] / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["format_version"] = 99
    raw = json.dumps(meta).encode("utf-8")
    meta_path.write_bytes(raw)
    entry["meta_size"], entry["meta_crc32"] = len(raw), zlib.crc32(raw)
    write_manifest(str(path), manifest)
    with pytest.raises(IndexCorruptError, match="segment format version 99 is not supported"):
        IndexReader.open(path)


_RSS_SCRIPT = textwrap.dedent('''
    import json, random, shutil, sys
    from searchlib.api import Index
    n, path = int(sys.argv[1]), sys.argv[2]
    rnd = random.Random(7)
    words = [("长沙工程机械产业集群天气发展迅速人民日报新华社经济改革开放"[i:i + 2]) for i in range(0, 30, 2)] + \\
            ["company", "Jakarta", "e-commerce", "。", "，"]
    ix = Index.create(path)
    def hwm():
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    base = hwm()
    with ix.writer(workers=1) as w:
        for i in range(n):
            w.add({"id": f"d{i}", "title": "", "body": "".join(rnd.choice(words) for _ in range(40))})
    print(json.dumps({"base_mb": base, "peak_mb": hwm(), "docs": len(ix),
                      "segments": len(ix.reader().segments)}))
''')


@pytest.mark.stress
def test_memory_stays_bounded_at_scale(tmp_path: Path) -> None:
    """150k documents (8 flushed segments, merged at most 10 at a time) in one commit: the peak RSS
    stays far below what holding the collection (or one merge of everything) in memory would need."""
    out = subprocess.run([sys.executable, "-c", _RSS_SCRIPT, "150000", str(tmp_path / "ix")], cwd=ROOT,
                         capture_output=True, text=True, check=True, timeout=900)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["docs"] == 150_000
    assert result["peak_mb"] - result["base_mb"] < 400, result
