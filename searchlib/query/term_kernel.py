"""The best k matches of one BM25F leaf in one segment, written for numba
(:mod:`searchlib.query.kernels` compiles it; as plain Python it is the slow, exact model the
tests run too).

The numpy way scores a leaf (a word in one or two fields) in about twenty array passes per
segment: gather each document's length norm, multiply, saturate, scale, add the fields up with a
stable sort, then partition for the top k; for a rare word those are twenty calls' fixed costs.
The loop here does it in one pass with a heap of k, in the numpy code's order of operations
(same floats), and keeps the same k (score descending, ties by sequence number ascending).
"""
from __future__ import annotations

__all__ = ["BAD_DOC", "leaf_top_k"]

BAD_DOC = -1


def leaf_top_k(docs_a, tfs_a, wn_a, docs_b, tfs_b, wn_b, k1, scale, seq, k,  # type: ignore[no-untyped-def]
               rejected, column, lo, hi, first, end, seg_ord, held, out_docs, out_scores, out_seq, out_seg):
    """Score the union of two fields' postings (``docs_b`` may be empty) and keep the best ``k``
    in the heap ``out_*`` (its first ``held`` entries: the best of earlier segments, kept with
    this one's, each with its segment ordinal in ``out_seg``; unordered); return ``(matches,
    held)``: the number of this segment's documents and how many of ``out_*`` are filled now, or
    ``(BAD_DOC, 0)`` when a document number is outside ``wn_*``, ``seq`` or a non-empty
    ``rejected`` / ``column``. A document's normalized frequency is
    ``tf_a * wn_a[d] + tf_b * wn_b[d]`` (fields in order, as
    :func:`~searchlib.query.setops.sum_by_doc` adds them); its score is
    ``scale * (x * (k1 + 1) / (k1 + x))`` (:func:`~searchlib.query.scoring.saturate`).

    Only documents ``first .. end - 1`` are taken (a range filter over a column in document
    order; the postings are cut by binary search). Documents the query may not return are
    skipped before they are scored or counted: those ``rejected`` marks (deleted, filtered out;
    empty: none) and, where ``column`` is not empty, those whose ``column`` value lies outside
    ``lo ..= hi`` (a range filter on the raw column, its bounds in the column's own type)."""
    def lower_bound(arr, target):  # type: ignore[no-untyped-def]
        a = 0
        b = arr.size
        while a < b:
            mid = (a + b) >> 1
            if arr[mid] < target:
                a = mid + 1
            else:
                b = mid
        return a

    # where each field's postings enter and leave the span
    i = lower_bound(docs_a, first)
    na = lower_bound(docs_a, end)
    j = lower_bound(docs_b, first)
    nb = lower_bound(docs_b, end)
    n_wa = wn_a.size
    n_wb = wn_b.size
    n_seq = seq.size
    n_rej = rejected.size
    n_col = column.size
    c1 = k1 + 1.0
    matches = 0
    while i < na or j < nb:
        # the next document and the fields it is in
        if j >= nb:  # (the usual case: one field, or the other's postings done)
            d = docs_a[i]
            in_a = True
            in_b = False
        elif i >= na:
            d = docs_b[j]
            in_a = False
            in_b = True
        else:
            d = docs_a[i]
            in_a = d <= docs_b[j]
            in_b = docs_b[j] <= d
            if not in_a:
                d = docs_b[j]
        if d < 0 or d >= n_seq or (in_a and d >= n_wa) or (in_b and d >= n_wb):
            return BAD_DOC, 0
        if n_rej:
            if d >= n_rej:
                return BAD_DOC, 0
            skip = rejected[d]
        else:
            skip = False
        if n_col and not skip:
            if d >= n_col:
                return BAD_DOC, 0
            v = column[d]
            skip = v < lo or v > hi
        if skip:
            if in_a:
                i += 1
            if in_b:
                j += 1
            continue
        if in_a:
            x = tfs_a[i] * wn_a[d]
            i += 1
            if in_b:
                x = x + tfs_b[j] * wn_b[d]
                j += 1
        else:
            x = tfs_b[j] * wn_b[d]
            j += 1
        matches += 1
        if k == 0:
            continue
        sc = scale * (x * c1 / (k1 + x))
        if held == k and sc < out_scores[0]:
            continue  # (most documents: below the worst one held)
        q = seq[d]
        if held < k:
            # sift up: the root is the worst held (lowest score; among equal scores, latest seq)
            c = held
            held += 1
            while c > 0:
                p = (c - 1) >> 1
                if out_scores[p] < sc or (out_scores[p] == sc and out_seq[p] > q):
                    break
                out_scores[c] = out_scores[p]
                out_seq[c] = out_seq[p]
                out_docs[c] = out_docs[p]
                out_seg[c] = out_seg[p]
                c = p
            out_scores[c] = sc
            out_seq[c] = q
            out_docs[c] = d
            out_seg[c] = seg_ord
        elif sc > out_scores[0] or q < out_seq[0]:  # (sc == the worst score here: ties by seq)
            c = 0
            while True:
                left = 2 * c + 1
                if left >= held:
                    break
                w = left
                right = left + 1
                if right < held and (out_scores[right] < out_scores[left]
                                     or (out_scores[right] == out_scores[left] and out_seq[right] > out_seq[left])):
                    w = right
                if out_scores[w] > sc or (out_scores[w] == sc and out_seq[w] < q):
                    break
                out_scores[c] = out_scores[w]
                out_seq[c] = out_seq[w]
                out_docs[c] = out_docs[w]
                out_seg[c] = out_seg[w]
                c = w
            out_scores[c] = sc
            out_seq[c] = q
            out_docs[c] = d
            out_seg[c] = seg_ord
    return matches, held
