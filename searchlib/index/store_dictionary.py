"""A writer's stored-document dictionary: sampled from its first documents, trained, applied.

Stored documents are one zstd frame each; a dictionary trained on the first
:data:`~searchlib.index.store.TRAIN_SAMPLE_DOCS` documents of a writer makes those small frames
compress like a large one. Chunks analyzed before the dictionary exists are stored uncompressed
by the analysis and compressed here when their segment is written; chunks analyzed after carry
their dictionary's number (workers get the dictionary with their tasks).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from searchlib.index.batch import StoredChunk
from searchlib.index.segment_writer import StoreInput
from searchlib.index.store import TRAIN_SAMPLE_DOCS, FrameCompressor, train_dictionary

__all__ = ["StoreDictionary"]


class StoreDictionary:
    """The dictionaries of one writer (:attr:`number`: the current one, -1 before training)."""

    def __init__(self) -> None:
        self.dicts: list[bytes] = []
        self.number = -1
        self.compressor: FrameCompressor | None = None
        self._samples: list[bytes] = []

    @property
    def current(self) -> bytes | None:
        """The current dictionary (what a worker compresses with), or None."""
        return self.dicts[self.number] if self.number >= 0 else None

    def sample(self, chunk: StoredChunk) -> None:
        """Keep the documents of an uncompressed chunk as training samples, and train once
        there are enough."""
        if chunk.dict_no < 0 and self.number < 0 and len(self._samples) < TRAIN_SAMPLE_DOCS:
            self._samples.extend(_split(chunk))
            if len(self._samples) >= TRAIN_SAMPLE_DOCS:
                self.train(force=True)

    def train(self, force: bool) -> None:
        """Train from the samples (adopted when it is a real dictionary, or when ``force``:
        enough samples, and still none)."""
        dictionary = train_dictionary(self._samples)
        if dictionary or force:
            self.dicts.append(dictionary)
            self.number = len(self.dicts) - 1
            self.compressor = FrameCompressor(dictionary)
            self._samples = []

    def store_input(self, chunks: list[StoredChunk]) -> StoreInput:
        """The stored documents of a segment from its chunks, every frame compressed (training
        first when the writer never had enough documents for a forced training)."""
        if self.number < 0 and any(c.dict_no < 0 for c in chunks):
            self.train(force=False)
        compressor = self.compressor or FrameCompressor(b"")
        dicts: list[bytes] = []
        seg_no: dict[int, int] = {}
        frames: list[Any] = []
        lens: list[np.ndarray] = []
        doc_dict: list[np.ndarray] = []
        for c in chunks:
            if c.dict_no < 0:
                blob, flens = compressor.compress(c.blob, c.lens)
                c = StoredChunk(blob, flens, self.number)
            n = seg_no.get(c.dict_no)
            if n is None:
                n = seg_no[c.dict_no] = len(dicts)
                dicts.append(self.dicts[c.dict_no] if c.dict_no >= 0 else b"")
            frames.append(c.blob)
            lens.append(c.lens)
            doc_dict.append(np.full(c.lens.size, n, dtype=np.uint8))
        if not dicts:
            dicts.append(b"")
        frame_lens = np.concatenate(lens) if lens else np.zeros(0, dtype=np.int64)
        return StoreInput(frames, frame_lens, np.concatenate(doc_dict) if doc_dict else np.zeros(0, np.uint8), dicts)


def _split(chunk: StoredChunk) -> list[bytes]:
    """The documents of an uncompressed stored chunk, one bytes object each."""
    mv = memoryview(chunk.blob)
    off = [0]
    off.extend(np.cumsum(chunk.lens, dtype=np.int64).tolist())
    return [bytes(mv[off[i] : off[i + 1]]) for i in range(len(off) - 1)]
