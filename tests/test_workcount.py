"""The work counter the scaling tests use instead of clocks: it must see a quadratic step."""
from __future__ import annotations

import pytest

from tests.workcount import assert_linear, work


def _linear(items: list[int]) -> int:
    return sum(abs(x) for x in items)


def _quadratic(items: list[int]) -> int:
    """Linear work plus a small quadratic term (each item compared with 1/64 of the others)."""
    return _linear(items) + sum(abs(x - y) for x in items for y in items[:: 64])


def test_work_counts_calls_deterministically() -> None:
    assert work(_linear, list(range(100)))[1] == work(_linear, list(range(100)))[1]
    assert work(_linear, list(range(400)))[1] > 3 * work(_linear, list(range(100)))[1]


def test_assert_linear_accepts_linear_and_rejects_quadratic_work() -> None:
    assert_linear(lambda n: list(range(n)), _linear, 1_000)
    with pytest.raises(AssertionError, match="work grew"):
        assert_linear(lambda n: list(range(n)), _quadratic, 1_000)
