"""Documents live in the shard of their id; updates and deletes (ShardedWriter, incremental
build_shards) find them there, and the sharded index keeps answering as one index would."""
from __future__ import annotations

import json
from typing import Any

import pytest

from searchlib.distributed import ShardedIndex, build_shards, shard_of
from searchlib.distributed.layout import read_layout
from searchlib.errors import AnalyzerMismatchError, ArgumentError, DocumentError, IndexNotFoundError, LockError
from tests.distributed.helpers import FIELDS, search_both, shard_ids, single_index, write_jsonl

DOCS = [{"id": f"a{i}", "title": ["长沙", "工程机械", "weather"][i % 3], "body": f"长沙 工程 机械 news {i % 5}",
         "source": ["新华社", "AP"][i % 2], "date": f"2024-03-{1 + i % 28:02d}"} for i in range(40)]
QUERIES = ["长沙", "工程机械 news", "weather", "工*", '"工程 机械"']


def test_shard_of_is_stable() -> None:
    # the routing is data on disk: it must never change between versions or machines
    assert [shard_of(f"doc{i}", 4) for i in range(8)] == [shard_of(f"doc{i}", 4) for i in range(8)]
    assert shard_of("a1", 1) == 0
    golden = {"a0": 0, "a1": 3, "长沙-1": 0, "p7": 3}  # blake2b-64 of the UTF-8 id, big-endian, mod 4
    assert {k: shard_of(k, 4) for k in golden} == golden
    import hashlib

    for k in golden:
        digest = hashlib.blake2b(k.encode("utf-8"), digest_size=8).digest()
        assert shard_of(k, 7) == int.from_bytes(digest, "big") % 7


def test_documents_live_in_the_shard_of_their_id(tmp_path: Any) -> None:
    build_shards(None, [write_jsonl(str(tmp_path / "d.jsonl"), DOCS)], str(tmp_path / "sh"), shards=3, fields=FIELDS)
    per_shard = shard_ids(str(tmp_path / "sh"), 3)
    for s, ids in enumerate(per_shard):
        assert all(shard_of(i, 3) == s for i in ids)
    assert set().union(*per_shard) == {d["id"] for d in DOCS}
    layout = read_layout(str(tmp_path / "sh"))
    assert layout.shards == 3 and layout.next_seq == 40 and layout.schema.kind("date") == "date"


def _apply(one: Any, sharded: Any, ops: list[tuple[str, Any]]) -> None:
    with one.writer(workers=1) as w1, sharded.writer() as w2:
        for op, arg in ops:
            if op == "delete":
                w1.delete(arg)
                w2.delete(arg)
            else:
                w1.add(arg)
                w2.add(arg)


@pytest.mark.parametrize("on_cluster", [False, True])
def test_updates_and_deletes_are_routed(tmp_path: Any, request: Any, on_cluster: bool) -> None:
    client = request.getfixturevalue("client") if on_cluster else None
    one = single_index(str(tmp_path / "one"), DOCS)
    build_shards(client, [write_jsonl(str(tmp_path / "d.jsonl"), DOCS)], str(tmp_path / "sh"), shards=3, fields=FIELDS)
    with one, ShardedIndex.open(str(tmp_path / "sh"), client=client) as sharded:
        _apply(one, sharded, [
            ("add", {"id": "a3", "title": "更新", "body": "更新的 长沙 天气", "source": "人民网"}),
            ("delete", "a4"), ("delete", "a5"), ("delete", "nosuch"),
            ("add", {"id": "new1", "title": "weather", "body": "weather news 长沙", "tags": "x", "views": 7}),
            ("add", {"id": "a5", "title": "back", "body": "re-added after its delete"}),
        ])
        assert sharded.get("a3")["title"] == "更新" and sharded.get("a4") is None
        assert sharded.get("a5")["title"] == "back" and sharded.get("new1")["views"] == 7
        assert len(sharded) == len(one) == 40
        per_shard = shard_ids(str(tmp_path / "sh"), 3)
        assert "a4" not in set().union(*per_shard)
        for s, ids in enumerate(per_shard):
            assert all(shard_of(i, 3) == s for i in ids)
        # a field a new document brought is declared by every shard (they agree on kinds)
        assert sharded.schema.kind("views") == "int" and sharded.schema.kind("tags") == "keyword"
        kinds = [sharded.info()[s]["schema"] for s in range(3)]
        assert all(k == kinds[0] for k in kinds)
        for q in QUERIES:
            search_both(one, sharded, q, limit=8)
            search_both(one, sharded, q, limit=5, facets=["source"], sort="-date")
        search_both(one, sharded, "", filter={"views": {"gte": 1}}, facets=["tags"])


def test_incremental_build_updates_in_place(tmp_path: Any) -> None:
    src = str(tmp_path / "d.jsonl")
    root = str(tmp_path / "sh")
    write_jsonl(src, DOCS)
    first = build_shards(None, [src], root, shards=2, fields=FIELDS)
    assert (first.added, first.updated, first.skipped) == (40, 0, 0)
    changed = [dict(d, body="改写 " + d["body"]) if i % 10 == 0 else d for i, d in enumerate(DOCS)]
    changed.append({"id": "z1", "title": "新的", "body": "新增 文档"})
    write_jsonl(src, changed)
    again = build_shards(None, [src], root)  # the existing index keeps its 2 shards
    assert (again.added, again.updated, again.skipped) == (1, 4, 36)
    one = single_index(str(tmp_path / "one"), DOCS)
    with one.writer(workers=1) as w:
        for d in changed:
            if one.get(d["id"]) != d:
                w.add(d)
    with one, ShardedIndex.open(root) as sharded:
        assert len(sharded) == 41
        assert sharded.get("a10")["body"].startswith("改写")
        for q in QUERIES + ["改写", "新增"]:
            # an incremental run numbers every document it reads (skipped ones too): the same
            # order as one index, other numbers, so cursor strings differ
            search_both(one, sharded, q, cursors=False, limit=10)


def test_build_refuses_what_it_cannot_do(tmp_path: Any) -> None:
    from searchlib.analysis.analyzer import Analyzer

    src = write_jsonl(str(tmp_path / "d.jsonl"), DOCS[:3])
    root = str(tmp_path / "sh")
    with pytest.raises(ArgumentError, match="shards=N"):
        build_shards(None, [src], root)
    with pytest.raises(ArgumentError, match="shards must be"):
        build_shards(None, [src], root, shards=0)
    build_shards(None, [src], root, shards=2)
    with pytest.raises(ArgumentError, match="resharding"):
        build_shards(None, [src], root, shards=3)
    with pytest.raises(AnalyzerMismatchError):
        build_shards(None, [src], root, analyzer=Analyzer(stemmer="english"))
    with pytest.raises(ArgumentError, match="standard input"):
        build_shards(None, ["-"], root)
    with pytest.raises(IndexNotFoundError, match="no sharded index"):
        ShardedIndex.open(str(tmp_path / "nothing"))
    ix = ShardedIndex.open(root)
    with ix.writer() as w:
        with pytest.raises(DocumentError):
            w.add({"title": "no id"})
        with pytest.raises(LockError):  # one sharded writer at a time
            ix.writer(lock_timeout=0.05)
    ix.close()


def test_bad_inputs_are_reported_and_the_rest_indexed(tmp_path: Any) -> None:
    src = tmp_path / "d.jsonl"
    lines = [json.dumps(DOCS[0], ensure_ascii=False), "{not json", json.dumps({"title": "no id"}),
             json.dumps({"id": "n1", "views": 3}), json.dumps(DOCS[1], ensure_ascii=False), "[1, 2]"]
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "p1.txt").write_text("长沙工程机械\n\n长沙的工程机械产业集群发展迅速。\n", encoding="utf-8")
    (tmp_path / "pages" / "bin.txt").write_bytes(b"\x00\x01binary")
    (tmp_path / "pages" / "skip.pdf").write_bytes(b"%PDF")
    summary = build_shards(None, [str(src), str(tmp_path / "pages")], str(tmp_path / "sh"), shards=2, blocksize=40)
    messages = " | ".join(m for _, m in summary.errors)
    assert summary.added == 4, messages  # typed values ("views": 3) are fine
    assert "not valid JSON" in messages and '"id"' in messages
    assert "JSON object" in messages and "binary" in messages
    assert summary.ignored == 1
    with ShardedIndex.open(str(tmp_path / "sh")) as ix:
        assert "产业集群" in ix.get("p1.txt")["body"]
        assert ix.search("产业集群").ids == ["p1.txt"]


def test_each_shard_is_written_on_one_worker_and_reads_stay_bounded(client: Any, tmp_path: Any, monkeypatch: Any) -> None:
    """Every write of a shard goes to the shard's home worker (the shards to different workers),
    and partition q is read only once the writes of partition q - 2 * window are done (at most
    two windows of partitions in flight)."""
    import searchlib.distributed.transport as transport_module
    from searchlib.distributed.build import read_partition
    from searchlib.distributed.writer import write_shard

    log: list[tuple[str, Any]] = []

    class Recording(transport_module.DaskRunner):
        def submit(self, fn: Any, *args: Any, where: str | None = None, **kwargs: Any) -> Any:
            future = super().submit(fn, *args, where=where, **kwargs)
            if fn is write_shard:
                log.append(("write", (args[0], where, future)))
            elif fn is read_partition:
                log.append(("read", None))
            return future

        def wait(self, futures: list[Any]) -> None:
            super().wait(futures)
            log.append(("waited", set(futures)))

    monkeypatch.setattr(transport_module, "DaskRunner", Recording)
    docs = [{"id": f"w{i}", "body": f"长沙 news {i} " + "填充 " * 40} for i in range(400)]
    src = write_jsonl(str(tmp_path / "d.jsonl"), docs)
    window = 2
    summary = build_shards(client, [src], str(tmp_path / "sh"), shards=2, blocksize=2048, window=window)
    assert summary.partitions >= 10 and sum(summary.shard_docs) == 400
    writes = [what for kind, what in log if kind == "write"]
    homes: dict[str, set[Any]] = {}
    for path, where, _ in writes:
        homes.setdefault(path, set()).add(where)
    assert len(homes) == 2 and all(len(h) == 1 and None not in h for h in homes.values())
    assert len(set().union(*homes.values())) == 2  # two workers, one shard each
    per_partition = [{f for _, _, f in writes[i:i + 2]} for i in range(0, len(writes), 2)]
    done: set[Any] = set()
    q = 0
    for kind, what in log:
        if kind == "waited":
            done |= what
        elif kind == "read":
            if q >= 2 * window:
                assert per_partition[q - 2 * window] <= done, q
            q += 1
    assert q == summary.partitions


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_VALUES = st.one_of(st.none(), st.text(alphabet=st.characters(codec="utf-8"), max_size=12), st.integers(-5, 5),
                    st.lists(st.text(max_size=3), max_size=2))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.fixed_dictionaries({"id": st.text(alphabet="ab长\u2028 ", min_size=1, max_size=4)},
                                      optional={"body": _VALUES, "title": _VALUES, "x": _VALUES}), max_size=12),
       st.booleans())
def test_a_partition_travels_as_lines_and_comes_back_as_the_same_documents(tmp_path: Any, docs: list[dict[str, Any]],
                                                                          ensure_ascii: bool) -> None:
    """What a shard's writer gets from a JSON Lines partition (PackedDocs, its lines) equals what
    routing the parsed documents gives: positions, ids, values (None left out), line separators
    inside strings included."""
    from searchlib.distributed.build import Partition, read_partition, route
    from searchlib.distributed.writer import PackedDocs

    path = tmp_path / "p.jsonl"
    path.write_text("".join(json.dumps(d, ensure_ascii=ensure_ascii) + "\n" for d in docs) + "\n", encoding="utf-8")
    got = read_partition(Partition("jsonl", path=str(path), start=0, end=-1), 3, {})
    valid = [{k: v for k, v in d.items() if v is not None} for d in docs if d["id"].strip()]
    want = route(valid, 3, {})
    assert got["count"] == want["count"] and got["fields"] == want["fields"]
    for packed, expected in zip(got["routed"], want["routed"]):
        assert isinstance(packed, PackedDocs) and len(packed) == len(expected)
        assert packed.documents() == expected


def test_a_layout_nested_too_deeply_and_wrong_argument_types_are_searchlib_errors(tmp_path: Any) -> None:
    """shards.json nested 100,000 deep was a RecursionError from json; a path or client of the
    wrong type an AttributeError or TypeError."""
    from searchlib.errors import ArgumentTypeError, IndexCorruptError

    build_shards(None, [write_jsonl(str(tmp_path / "d.jsonl"), DOCS[:5])], str(tmp_path / "sh"), shards=2, fields=FIELDS)
    for bad in (None, 5):
        with pytest.raises(ArgumentTypeError):
            ShardedIndex.open(bad)  # type: ignore[arg-type]
    with pytest.raises(ArgumentTypeError, match="Client"):
        ShardedIndex.open(str(tmp_path / "sh"), client="tcp://nowhere:1")
    (tmp_path / "sh" / "shards.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(IndexCorruptError, match="not valid JSON"):
        ShardedIndex.open(str(tmp_path / "sh"))
