"""The term dictionary of one segment: a marisa-trie mapping ``field + "\\x01" + term`` → term id.

File ``terms.marisa`` is marisa-trie's own serialization. A key's trie id IS the term id that
addresses the postings arrays (:mod:`searchlib.index.postings`), so a look-up is one trie walk,
and a prefix look-up (``body`` + ``\\x01`` + ``工程``) walks one sub-tree. The file is
memory-mapped on open and handed to marisa as a buffer (so a reader keeps it even after a commit
removes the file); because a damaged trie could make the C library misbehave, its CRC-32 is
verified at open (it is small compared to the postings). The segment's id dictionary
(``ids.marisa``) is a trie of the same kind.
"""
from __future__ import annotations

import os
import zlib
from collections.abc import Iterable
from typing import Any

import marisa_trie

from searchlib.errors import IndexCorruptError
from searchlib.index.arrays import map_bytes
from searchlib.index.fsio import write_file
from searchlib.index.schema import TERM_SEP

__all__ = ["MappedTrie", "TermDict", "build_trie", "term_key", "write_trie"]

FILE = "terms.marisa"


def term_key(field: str, term: str) -> str:
    return field + TERM_SEP + term


def build_trie(keys: Iterable[str]) -> marisa_trie.Trie:
    return marisa_trie.Trie(keys)


def write_trie(path: str, trie: marisa_trie.Trie) -> tuple[int, int]:
    return write_file(path, trie.tobytes(), "term dictionary")


class MappedTrie:
    """A marisa trie over a memory-mapped file; holds the mapping for as long as the trie lives."""

    def __init__(self, seg_dir: str, name: str, entry: dict[str, Any]) -> None:
        path = os.path.join(seg_dir, name)
        self.buffer = map_bytes(path, entry["size"])
        if not entry["size"] or zlib.crc32(self.buffer) != entry["crc32"]:
            raise IndexCorruptError(f"dictionary {path} fails its checksum (damaged file)", path)
        self.trie = marisa_trie.Trie()
        try:
            self.trie.map(self.buffer)
        except Exception as exc:  # marisa reports damage as RuntimeError
            raise IndexCorruptError(f"dictionary {path} cannot be read: {exc}", path) from None


class TermDict:
    """Term ids of a segment by (field, term), and prefix enumeration."""

    def __init__(self, trie: marisa_trie.Trie) -> None:
        self.trie = trie

    def __len__(self) -> int:
        return len(self.trie)

    def term_id(self, field: str, term: str) -> int | None:
        return self.trie.get(field + TERM_SEP + term)

    def with_prefix(self, field: str, prefix: str, limit: int | None = None) -> list[tuple[str, int]]:
        head = field + TERM_SEP
        cut = len(head)
        items = sorted((key[cut:], tid) for key, tid in self.trie.iteritems(head + prefix))
        return items if limit is None else items[:limit]

    def items(self) -> list[tuple[str, int]]:
        """All ``(key, term_id)`` pairs (keys include the field prefix)."""
        return self.trie.items()

    def field_terms(self, field: str) -> list[tuple[str, int]]:
        return self.with_prefix(field, "")
