"""Compact term numbering shared by the analyzer's batch path and the index writer.

* A term of one to three characters packs into one int64 (:func:`pack_terms`): 21 bits per code
  point, first character highest, absent characters 0 (U+0000 never occurs in a term), so equal
  keys mean equal strings and numpy can number millions of Han terms without a dict.
* :func:`number_strings` numbers the other terms (Latin words, long Han words, keyword values)
  in first-seen order with one C-level pass of ``dict.setdefault``.
"""
from __future__ import annotations

from itertools import count

import numpy as np

__all__ = ["CP_BITS", "number_strings", "pack_terms", "unpack_terms"]

CP_BITS = 21
_CP_MASK = (1 << CP_BITS) - 1
_EMPTY_I32 = np.empty(0, dtype=np.int32)


def pack_terms(cp: np.ndarray, starts: np.ndarray, lens: np.ndarray) -> np.ndarray:
    """Keys of the terms ``cp[s:s + n]`` (code points ``cp``; ``n`` from 1 to 3)."""
    key = cp[starts].astype(np.int64) << (2 * CP_BITS)
    two = np.flatnonzero(lens >= 2)
    key[two] |= cp[starts[two] + 1].astype(np.int64) << CP_BITS
    three = two[lens[two] >= 3]
    key[three] |= cp[starts[three] + 2]
    return key


def unpack_terms(keys: np.ndarray) -> list[str]:
    """The strings of packed term keys: three UCS-4 code points per key read as numpy ``U3``
    (which drops the trailing NULs of shorter terms), so no Python loop builds them."""
    cps = np.empty((keys.size, 3), dtype="<u4")
    cps[:, 0] = keys >> (2 * CP_BITS)
    cps[:, 1] = (keys >> CP_BITS) & _CP_MASK
    cps[:, 2] = keys & _CP_MASK
    return cps.view("<U3").ravel().tolist()


def number_strings(strings: list[str], offset: int = 0) -> tuple[list[str], np.ndarray]:
    """The distinct ``strings`` in first-seen order, and each occurrence's number in that list
    plus ``offset`` (int32)."""
    if not strings:
        return [], _EMPTY_I32
    seen: dict[str, int] = {}
    first = np.fromiter(map(seen.setdefault, strings, count()), dtype=np.int64, count=len(strings))
    dense = np.empty(len(strings), dtype=np.int32)
    dense[np.fromiter(seen.values(), dtype=np.int64, count=len(seen))] = np.arange(offset, offset + len(seen), dtype=np.int32)
    return list(seen), dense[first]
