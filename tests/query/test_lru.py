"""The statistics provider's bounded LRU map: the same answers as a naive model, its bounds
kept, and concurrent readers and writers never break it (reads take no lock)."""
from __future__ import annotations

import threading
from collections import OrderedDict

from hypothesis import given, settings
from hypothesis import strategies as st

from searchlib.query.stats import LRUCache

_OPS = st.lists(st.tuples(st.sampled_from(["get", "put"]), st.integers(0, 9), st.integers(1, 5)), max_size=80)


@settings(max_examples=200, deadline=None)
@given(_OPS, st.integers(1, 5), st.one_of(st.none(), st.integers(1, 12)))
def test_lru_equals_a_naive_model(ops: list[tuple[str, int, int]], max_entries: int, max_size: int | None) -> None:
    cache: LRUCache[int, int] = LRUCache(max_entries, max_size, sizeof=(lambda v: v) if max_size else None)
    model: OrderedDict[int, int] = OrderedDict()
    for op, key, value in ops:
        if op == "get":
            got = model.get(key)
            if got is not None:
                model.move_to_end(key)
            assert cache.get(key) == got
        else:
            model.pop(key, None)
            model[key] = value
            while model and (len(model) > max_entries or (max_size and sum(model.values()) > max_size and len(model) > 1)):
                model.popitem(last=False)
            cache.put(key, value)
        assert list(cache._data.items()) == list(model.items())
        assert cache.size == (sum(model.values()) if max_size else 0)


def test_concurrent_gets_and_puts_keep_the_bounds() -> None:
    cache: LRUCache[int, int] = LRUCache(50, 400, sizeof=lambda v: v)
    errors: list[BaseException] = []

    def work(seed: int) -> None:
        try:
            for i in range(20_000):
                key = (i * 7919 + seed) % 120
                if i % 3:
                    value = cache.get(key)
                    assert value is None or value == key % 9 + 1
                else:
                    cache.put(key, key % 9 + 1)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(s,)) for s in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(cache) <= 50 and cache.size == sum(cache._data.values()) <= 400
