"""Global statistics when shards decide differently: prefix expansions cut at ``max`` (each
shard's first ``max`` differ from the collection's), and a rewrite rule whose decision depends
on a document frequency (a question only some shards ask in phase 1, or none of them: it shows
up as ``missing`` in phase 2 and is answered by every shard)."""
from __future__ import annotations

from typing import Any

import pytest

import searchlib.query.compile as compile_module
import searchlib.query.searcher as searcher_module
from searchlib.distributed import ShardedIndex, build_shards, shard_of
from searchlib.query.ast import Prefix, QueryNode, Term
from searchlib.query.rewrite import han_word_as_phrase, term_doc_freq
from tests.distributed.helpers import FIELDS, CallLog, search_both, single_index, write_jsonl


def _ids_in(shard: int, shards: int, n: int, prefix: str = "d") -> list[str]:
    return [f"{prefix}{i}" for i in range(10_000) if shard_of(f"{prefix}{i}", shards) == shard][:n]


def test_a_missing_question_is_answered_by_shards_that_did_not_reach_it(tmp_path: Any, monkeypatch: Any) -> None:
    """A shard whose compilation stops early (a nested filter matching nothing there) never
    asks a question the others ask: it is asked by key, so the sum covers every shard."""
    monkeypatch.setattr(searcher_module, "DEFAULT_RULES", (rare_as_prefix, han_word_as_phrase))
    a, b = _ids_in(0, 2, 6), _ids_in(1, 2, 6)
    docs = ([{"id": i, "body": "kompaq news", "source": "AP"} for i in a[:1]]
            + [{"id": i, "body": "kompaqx news", "source": "AP"} for i in a[1:]]
            + [{"id": i, "body": "kompaq kompaqor weather", "source": "新华社"} for i in b[:1]]
            + [{"id": i, "body": "kompaqx weather", "source": "新华社"} for i in b[1:]])
    one = single_index(str(tmp_path / "one"), docs)
    build_shards(None, [write_jsonl(str(tmp_path / "d.jsonl"), docs)], str(tmp_path / "sh"), shards=2, fields=FIELDS)
    with one, ShardedIndex.open(str(tmp_path / "sh")) as sharded:
        calls = CallLog(sharded).calls
        for q in ["news (kompaq AND source:AP)", "weather (kompaq AND source:AP)", "kompaq"]:
            search_both(one, sharded, q, limit=12)
        assert calls.count("phase2") > 6
        assert "answer_keys" in calls  # the shard that stopped early was asked by key


def test_prefix_expansions_cut_differently_per_shard(tmp_path: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(compile_module, "MAX_PREFIX_EXPANSIONS", 2)
    # shard 0 is full of 工人 / 工厂, shard 1 of 工程 / 工具; the collection's first two mix them
    a, b = _ids_in(0, 2, 12), _ids_in(1, 2, 12)
    docs = ([{"id": i, "body": "工人 工厂 天气"} for i in a[:5]] + [{"id": i, "body": "工人 天气"} for i in a[5:8]]
            + [{"id": i, "body": "工程 工具"} for i in b[:6]] + [{"id": i, "body": "工程 天气"} for i in b[6:9]]
            + [{"id": i, "body": "工业"} for i in a[8:] + b[9:]])
    one = single_index(str(tmp_path / "one"), docs)
    build_shards(None, [write_jsonl(str(tmp_path / "d.jsonl"), docs)], str(tmp_path / "sh"), shards=2, fields=FIELDS)
    with one, ShardedIndex.open(str(tmp_path / "sh")) as sharded:
        calls = CallLog(sharded).calls
        for q in ["工*", "工* 天气", "天气 AND 工*"]:
            search_both(one, sharded, q, limit=20)
        assert "answer_keys" in calls  # the shards' own prefix frequencies were void: asked again
        assert sorted(sharded.search("工*").terms) == sorted(one.search("工*").terms)


def rare_as_prefix(node: QueryNode, ctx: Any) -> QueryNode | None:
    """A test rule whose decision depends on a global document frequency: a word held by
    exactly two documents is searched as a prefix."""
    if isinstance(node, Term) and node.text.isascii() and term_doc_freq(ctx, node.text, node.field) == 2:
        return Prefix(node.text, node.field, node.boost)
    return None


@pytest.mark.parametrize("together", [True, False])
def test_a_decision_taken_with_global_statistics(tmp_path: Any, monkeypatch: Any, together: bool) -> None:
    monkeypatch.setattr(searcher_module, "DEFAULT_RULES", (rare_as_prefix, han_word_as_phrase))
    a, b = _ids_in(0, 2, 6), _ids_in(1, 2, 6)
    # "compact" in two documents: of one shard (it alone asks about the prefix in phase 1) or of
    # two (no shard asks in phase 1): either way the question is not settled after phase 1; in
    # phase 2 every shard finds it missing and answers it, and the shards run again with the sums
    holders = a[:2] if together else [a[0], b[0]]
    docs = [{"id": i, "body": "compact compactor news" if i in holders else "compactness news weather"}
            for i in a + b]
    one = single_index(str(tmp_path / "one"), docs)
    build_shards(None, [write_jsonl(str(tmp_path / "d.jsonl"), docs)], str(tmp_path / "sh"), shards=2, fields=FIELDS)
    with one, ShardedIndex.open(str(tmp_path / "sh")) as sharded:
        calls = CallLog(sharded).calls
        search_both(one, sharded, "compact news", limit=12)
        assert one.search("compact").total == 12  # the rule fired: compact* matches compactness too
        # a second phase-2 round with the summed answers
        assert calls.count("phase2") > 2
