"""The proximity bonus's counting loop, written for numba (:mod:`searchlib.query.kernels` compiles
it; as plain Python it is the slow, exact model the tests run too).

It does what :func:`searchlib.query.proximity._bonus` does with numpy, straight from a segment's
postings arrays (:mod:`searchlib.index.postings`): per query word (a *slot*: one word in one
field), a binary search of each window document in the word's document list and a running sum of
its term frequencies up to it give where the document's positions start; then per adjacent pair,
a merge of the two sorted position lists counts the occurrences of b starting 0..gap units after
a ends. Sums run in the numpy code's order (pairs of a field in query order, then fields), so the
two give the same floats. Damaged offsets or frequencies return an error code instead of reading
outside an array: ``code + 4 * slot`` with code 1 (postings offsets), 2 (positions offsets),
3 (frequencies disagree with the positions), where ``slot`` indexes ``tids`` flattened.
"""
from __future__ import annotations

import numpy as np

__all__ = ["BAD_FREQS", "BAD_POSITIONS", "BAD_POSTINGS", "pairs_and_lead"]

BAD_POSTINGS, BAD_POSITIONS, BAD_FREQS = 1, 2, 3


def pairs_and_lead(docs, tfs, pos, post_off, pos_off, tids, idf, adjacent, field_weights,  # type: ignore[no-untyped-def]
                   lead_field, locals_, gap, lead_units, pairs_out, lead_out):
    """Add each window document's pair sum to ``pairs_out`` and its lead idf to ``lead_out``;
    0, or an error code (module docstring). ``tids[field, word]``: term ids, -1 where the word is
    absent from the field (a slot is ``field * words + word``); ``idf[word]``; ``adjacent``: rows
    ``(a, b, a's units)`` in query order; ``lead_field``: the field whose first ``lead_units``
    units count, or -1; ``locals_``: the window's documents, ascending."""
    m = locals_.size
    n_fields, n_words = tids.shape
    n_terms = post_off.size - 1
    n_pairs = docs.size
    n_occ = pos.size
    start = np.zeros((n_fields, n_words, m), dtype=np.int64)
    length = np.zeros((n_fields, n_words, m), dtype=np.int64)
    for f in range(n_fields):
        for w in range(n_words):
            t = tids[f, w]
            if t < 0:
                continue
            slot = f * n_words + w
            if t >= n_terms:
                return BAD_POSTINGS + 4 * slot
            a = np.int64(post_off[t])
            b = np.int64(post_off[t + 1])
            if a < 0 or a > b or b > n_pairs or tfs.size != n_pairs:
                return BAD_POSTINGS + 4 * slot
            pa = np.int64(pos_off[t])
            pb = np.int64(pos_off[t + 1])
            if pa < 0 or pa > pb or pb > n_occ:
                return BAD_POSITIONS + 4 * slot
            lo = a  # documents ascend, so each search starts where the last one ended
            cur = a
            offset = pa  # where the positions of posting ``cur`` start
            for j in range(m):
                d = np.int64(locals_[j])
                hi = b
                while lo < hi:
                    mid = (lo + hi) >> 1
                    if np.int64(docs[mid]) < d:
                        lo = mid + 1
                    else:
                        hi = mid
                if lo < b and np.int64(docs[lo]) == d:
                    for c in range(cur, lo):  # (no test inside: the loop vectorizes)
                        offset += np.int64(tfs[c])
                    cur = lo
                    tf = np.int64(tfs[lo])
                    if tf < 1 or offset < pa or offset + tf > pb:  # (a negative frequency moves a start back)
                        return BAD_FREQS + 4 * slot
                    start[f, w, j] = offset
                    length[f, w, j] = tf
    if lead_field >= 0:
        for w in range(n_words):
            for j in range(m):
                if length[lead_field, w, j] > 0 and np.int64(pos[start[lead_field, w, j]]) < lead_units:
                    lead_out[j] += idf[w]
    for f in range(n_fields):
        part = np.zeros(m)
        for p in range(adjacent.shape[0]):
            wa = adjacent[p, 0]
            wb = adjacent[p, 1]
            if tids[f, wa] < 0 or tids[f, wb] < 0:
                continue
            shift = adjacent[p, 2]
            weight = field_weights[f] * min(idf[wa], idf[wb])
            for j in range(m):
                count = 0
                la = length[f, wa, j]
                lb = length[f, wb, j]
                if la > 0 and lb > 0:
                    k = start[f, wb, j]
                    end_b = k + lb
                    for x in range(start[f, wa, j], start[f, wa, j] + la):
                        want = np.int64(pos[x]) + shift
                        while k < end_b and np.int64(pos[k]) < want:
                            k += 1
                        y = k
                        while y < end_b and np.int64(pos[y]) <= want + gap:
                            count += 1
                            y += 1
                part[j] += (weight * count) / (count + 1.0)
        for j in range(m):
            pairs_out[j] += part[j]
    return 0
