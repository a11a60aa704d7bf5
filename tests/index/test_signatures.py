"""Near-duplicate signatures at index time: what they are computed from, the vector column that
stores them (write, read, merge, check), and what they estimate."""
from __future__ import annotations

import itertools
import os
import random
import re

import numpy as np
import pytest

import searchlib
from searchlib.analysis.analyzer import Analyzer
from searchlib.errors import IndexCorruptError
from searchlib.index.column_merge import merge_columns
from searchlib.index.columns import VectorColumn, VectorColumnReader, check_column, write_columns
from searchlib.index.reader import IndexReader
from searchlib.index.signatures import (
    BANDS, BINS, MIN_UNITS, SHINGLE, SIGNATURE_COLUMN, SIGNATURE_TYPE, band_keys, batch_signatures, lsh_lookup, lsh_table,
    signature_field,
)

ARTICLE = ("钱其琛在讲话中指出，中国和南非建立外交关系，是两国关系史中一个重要里程碑，标志着两国友好合作关系新篇章的开始。"
           "我们同南非朋友一样对两国关系实现正常化感到高兴。双方同意在经济、贸易、文化等领域加强合作。")
ARTICLE_TRAD = ("錢其琛在講話中指出，中國和南非建立外交關係，是兩國關係史中一個重要里程碑，標誌着兩國友好合作關係新篇章的開始。"
                "我們同南非朋友一樣對兩國關係實現正常化感到高興。雙方同意在經濟、貿易、文化等領域加強合作。")
ENGLISH = ("The central bank kept its benchmark rate unchanged on Thursday, saying inflation had eased "
           "for a third month while exports recovered faster than expected in the first quarter.")


def sigs(texts: list[str], analyzer: Analyzer | None = None) -> tuple[np.ndarray, np.ndarray]:
    a = analyzer or Analyzer()
    return batch_signatures(a.index_batch(texts), len(texts))


def test_traditional_punctuation_whitespace_and_width_do_not_change_the_signature() -> None:
    variants = [
        ARTICLE,
        ARTICLE_TRAD,
        ARTICLE.replace("，", ",").replace("。", ". "),
        re.sub(r"(.{7})", r"\1 \n", ARTICLE),
        ARTICLE.replace("，", "").replace("、", "／"),
    ]
    s, has = sigs(variants)
    assert has.all()
    for row in s[1:]:
        assert np.array_equal(row, s[0])
    e, _ = sigs([ENGLISH, ENGLISH.upper().replace(",", " ;"), "ＴＨＥ " + ENGLISH[4:].replace(" ", "  ")])
    assert np.array_equal(e[0], e[1]) and np.array_equal(e[0], e[2])


def test_signature_does_not_depend_on_the_batch() -> None:
    texts = [ARTICLE, ENGLISH, ARTICLE_TRAD[:40], "short", "", ENGLISH[:60] + ARTICLE[:30]]
    together, has = sigs(texts)
    for i, t in enumerate(texts):
        alone, has1 = sigs([t])
        assert has1[0] == has[i]
        assert np.array_equal(alone[0], together[i])
    rev, _ = sigs(texts[::-1])
    assert np.array_equal(rev[::-1], together)


def test_short_and_empty_bodies_have_no_signature() -> None:
    words = [f"w{i}" for i in range(30)]
    han = re.sub(r"[^\u4e00-\u9fff]", "", ARTICLE)
    texts = ["", "。。。", "长沙", han[:MIN_UNITS - 1], han[:MIN_UNITS], " ".join(words[:MIN_UNITS - 1]),
             " ".join(words[:MIN_UNITS]), "，".join(han[:MIN_UNITS])]
    s, has = sigs(texts)
    assert has.tolist() == [False, False, False, False, True, False, True, True]
    assert not s[~has].any()


def units(text: str) -> list[str]:
    """Naive model of the signature's units: each Han character and each Latin/digit word of
    the folded text (texts here have no '.' or apostrophes inside words)."""
    folded = Analyzer().fold(text).text
    return re.findall(r"[\u3400-\u9fff\uf900-\ufaff]|[^\W_\u3400-\u9fff\uf900-\ufaff]+", folded)


def jaccard(a: str, b: str) -> float:
    sa = {tuple(u[i:i + SHINGLE]) for u in [units(a)] for i in range(len(u) - SHINGLE + 1)}
    sb = {tuple(u[i:i + SHINGLE]) for u in [units(b)] for i in range(len(u) - SHINGLE + 1)}
    return len(sa & sb) / len(sa | sb)


def test_matching_bins_estimate_the_jaccard_similarity_of_unit_shingles() -> None:
    rng = random.Random(5)
    sentences = [s + "。" for s in (ARTICLE + ARTICLE_TRAD).split("。") if s]
    words = ENGLISH.lower().replace(",", "").split()
    pairs = []
    for _ in range(60):
        base = rng.sample(sentences, 4)
        other = base[:] if rng.random() < 0.5 else rng.sample(sentences, 4)
        if rng.random() < 0.5:
            other[rng.randrange(4)] = "".join(rng.sample("天地玄黄宇宙洪荒日月盈昃辰宿列张寒来暑往秋收冬藏", 12))
        pairs.append(("".join(base), "".join(other)))
    for _ in range(30):
        a = rng.sample(words, 20)
        b = a[:10] + rng.sample(words, 10)
        pairs.append((" ".join(a), " ".join(b)))
    flat = [t for p in pairs for t in p]
    s, has = sigs(flat)
    errors = []
    for i, (a, b) in enumerate(pairs):
        est = float((s[2 * i] == s[2 * i + 1]).mean())
        errors.append(est - jaccard(a, b))
    errors_arr = np.abs(np.array(errors))
    # 32 bins: standard error <= 0.09; the mean error is far smaller
    assert errors_arr.mean() < 0.06, errors_arr.mean()
    assert errors_arr.max() < 0.35, errors_arr.max()


def test_lsh_table_finds_exactly_the_documents_sharing_a_band() -> None:
    rng = np.random.default_rng(3)
    sig = rng.integers(0, 4, size=(300, BINS), dtype=np.uint16)  # few values: many shared bands
    present = rng.random(300) < 0.9
    table = lsh_table(sig, present)
    keys = band_keys(sig)
    q = rng.integers(0, 300, 20)
    row, doc = lsh_lookup(table, keys[q])
    got = set(zip(row.tolist(), doc.tolist()))
    want = {(i, d) for i, qi in enumerate(q.tolist()) for d in range(300)
            if present[d] and (keys[d] == keys[qi]).any()}
    assert {(r, d) for r, d in got} == want
    assert lsh_lookup(table, keys[:0])[0].size == 0
    assert lsh_lookup(lsh_table(sig, np.zeros(300, bool)), keys[:3])[0].size == 0


def test_lsh_lookup_top_key_does_not_spill_into_the_next_band() -> None:
    sig = np.zeros((3, BINS), dtype=np.uint16)
    sig[0, :] = 0xFFFF
    sig[1, 2:] = 0xFFFF  # band 0 is 0, others all ones
    table = lsh_table(sig, np.ones(3, bool))
    keys = band_keys(sig)
    row, doc = lsh_lookup(table, keys[:1])
    assert sorted(set(doc.tolist())) == [0, 1]
    assert np.bincount(doc, minlength=3).tolist() == [BANDS, BANDS - 1, 0]


def test_signature_field() -> None:
    assert signature_field({"title": "text", "body": "text"}) == "body"
    assert signature_field({"title": "text", "text": "text", "source": "keyword"}) == "text"
    assert signature_field({"title": "text"}) is None


# --------------------------------------------------------------------------- the vector column


def test_vector_column_roundtrip_merge_and_check(tmp_path: os.PathLike[str]) -> None:
    d = str(tmp_path)
    values = np.arange(5 * 4, dtype=np.uint16).reshape(5, 4)
    missing = np.array([False, True, False, False, True])
    meta = write_columns(d, 5, {"_v": VectorColumn("t/1", values, missing)})
    entry = meta["_v"]
    assert entry["kind"] == "vector" and entry["width"] == 4 and entry["missing"]
    col = VectorColumnReader(d, "_v", entry, 5)
    assert col.present().tolist() == [True, False, True, True, False]
    assert np.array_equal(col.matrix()[~missing], values[~missing])
    assert col.value(1) is None and col.value(2).tolist() == values[2].tolist()
    assert check_column(col) is None
    alive = np.array([True, True, False, True, True])
    merged = merge_columns([(col, alive), (None, np.ones(2, bool))], "vector", "t/1")
    assert isinstance(merged, VectorColumn)
    assert merged.values.shape == (6, 4)
    assert merged.missing.tolist() == [False, True, False, True, True, True]
    assert np.array_equal(merged.values[[0, 2]], values[[0, 3]])
    other = merge_columns([(col, alive)], "vector", "t/2")  # another type: nothing carried over
    assert other.missing.all()


def test_vector_column_without_missing_and_damaged_files(tmp_path: os.PathLike[str]) -> None:
    d = str(tmp_path)
    values = np.arange(3 * 2, dtype=np.uint32).reshape(3, 2)
    entry = write_columns(d, 3, {"_v": VectorColumn("t/1", values)})["_v"]
    assert not entry["missing"] and list(entry["files"]) == ["col0.values"]
    col = VectorColumnReader(d, "_v", entry, 3)
    assert col.present().all()
    with pytest.raises(IndexCorruptError):
        VectorColumnReader(d, "_v", entry, 4)
    bad = dict(entry, width=4)
    with pytest.raises(IndexCorruptError):
        VectorColumnReader(d, "_v", bad, 3)
    with pytest.raises(ValueError):
        write_columns(d, 4, {"_w": VectorColumn("t/1", values)})


def test_signatures_survive_updates_deletes_and_merges(tmp_path: os.PathLike[str]) -> None:
    ix = searchlib.Index.create(str(tmp_path / "ix"))
    docs = {f"d{i}": ARTICLE[i:] + ENGLISH[: 3 * i] for i in range(12)}
    with ix.writer(workers=1, merge=False) as w:
        for k, v in itertools.islice(docs.items(), 6):
            w.add({"id": k, "body": v})
    with ix.writer(workers=1, merge=False) as w:
        for k, v in itertools.islice(docs.items(), 6, None):
            w.add({"id": k, "body": v})
        w.add({"id": "none", "title": "no body"})
        w.delete("d2")
        docs["d3"] = ENGLISH
        w.update({"id": "d3", "body": ENGLISH})
    del docs["d2"]

    def stored() -> dict[str, list[int] | None]:
        out = {}
        with IndexReader.open(ix.path) as r:
            for seg in r.segments:
                col = seg.column(SIGNATURE_COLUMN)
                for local, doc_id in enumerate(seg.doc_ids()):
                    if not seg.deleted[local]:
                        v = col.value(local) if col is not None else None
                        out[doc_id] = None if v is None else v.tolist()
        return out

    before = stored()
    expect, has = sigs(list(docs.values()))
    assert {k: before[k] for k in docs} == {k: e.tolist() for k, e in zip(docs, expect)}
    assert before["none"] is None
    ix.optimize()
    with IndexReader.open(ix.path) as r:
        assert len(r.segments) == 1
        assert r.segments[0].column(SIGNATURE_COLUMN).type == SIGNATURE_TYPE
    assert stored() == before
    assert ix.check()["documents"] == len(docs) + 1


def _signature_rows(path: str) -> dict[str, list[int] | None]:
    out: dict[str, list[int] | None] = {}
    with IndexReader.open(path) as r:
        for seg in r.segments:
            col = seg.column(SIGNATURE_COLUMN)
            for local, doc_id in enumerate(seg.doc_ids()):
                v = col.value(local) if col is not None else None
                out[doc_id] = None if v is None else v.tolist()
    return out


def test_worker_processes_compute_the_same_signatures(tmp_path: os.PathLike[str]) -> None:
    docs = [{"id": f"d{i}", "body": (ARTICLE[i % 40:] if i % 3 else ENGLISH[i % 30:]) + f" 第{i}号"} for i in range(900)]
    paths = []
    for workers in (1, 2):
        ix = searchlib.Index.create(str(tmp_path / f"w{workers}"))
        with ix.writer(workers=workers) as w:
            for d in docs:
                w.add(d)
        paths.append(ix.path)
    a, b = _signature_rows(paths[0]), _signature_rows(paths[1])
    assert a == b and sum(v is not None for v in a.values()) == len(docs)


def test_check_names_a_damaged_signature_file(tmp_path: os.PathLike[str]) -> None:
    ix = searchlib.Index.create(str(tmp_path / "ix"))
    with ix.writer(workers=1) as w:
        w.add({"id": "a", "body": ARTICLE})
        w.add({"id": "b", "body": "短"})  # no signature: the column has a presence bitmap
    with IndexReader.open(ix.path) as r:
        seg = r.segments[0]
        files = seg.meta["columns"][SIGNATURE_COLUMN]["files"]
        assert len(files) == 2
        target = os.path.join(seg.path, sorted(files)[-1])  # col<N>.values
    with open(target, "r+b") as f:
        first = f.read(1)
        f.seek(0)
        f.write(bytes([first[0] ^ 0xFF]))
    with pytest.raises(IndexCorruptError, match=os.path.basename(target)):
        ix.check()
