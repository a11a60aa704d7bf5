"""Housekeeping after a commit: which segments to merge (tiered policy), which files to remove.

Both are pure decisions over a manifest and the folder: the writer calls them with its lock
held, and a crash between a commit and the clean-up only leaves files that the next clean-up
removes (nothing a manifest names is ever touched).
"""
from __future__ import annotations

import math
import os
import shutil
from typing import Any

from searchlib.index.manifest import SEGMENTS_DIR

__all__ = ["MERGE_FACTOR", "collect_garbage", "select_merges"]

MERGE_FACTOR = 10


def select_merges(live_counts: list[int], factor: int = MERGE_FACTOR) -> list[int] | None:
    """Tiered policy: indexes of segments to merge, or None. Segments fall in tiers by
    ``floor(log_factor(live documents))``; in the smallest tier holding ``factor`` or more
    segments, the ``factor`` smallest are merged (never more: memory and time of one merge stay
    bounded, and a commit after a huge load never merges everything into one giant segment)."""
    tiers: dict[int, list[int]] = {}
    for i, n in enumerate(live_counts):
        tiers.setdefault(int(math.log(max(n, 1), factor)), []).append(i)
    for tier in sorted(tiers):
        members = tiers[tier]
        if len(members) >= factor:
            return sorted(sorted(members, key=lambda i: (live_counts[i], i))[:factor])
    return None


def collect_garbage(path: str, manifest: dict[str, Any]) -> None:
    """Remove segment folders and deletion bitmaps the manifest does not name (call with the lock held).
    Readers that still map removed files keep reading them (POSIX semantics)."""
    seg_root = os.path.join(path, SEGMENTS_DIR)
    live = {e["name"]: e for e in manifest["segments"]}
    try:
        names = os.listdir(seg_root)
    except FileNotFoundError:
        return
    for name in names:
        entry = live.get(name)
        full = os.path.join(seg_root, name)
        if entry is None:
            shutil.rmtree(full, ignore_errors=True)
            continue
        keep = entry["deletes"]["file"] if entry.get("deletes") else None
        try:
            files = os.listdir(full)
        except OSError:
            continue
        for f in files:
            if f.startswith("del-") and f != keep:
                try:
                    os.remove(os.path.join(full, f))
                except OSError:
                    pass
    for f in os.listdir(path):
        if f.startswith("manifest.json.tmp-"):
            try:
                os.remove(os.path.join(path, f))
            except OSError:
                pass
