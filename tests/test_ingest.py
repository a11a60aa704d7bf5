"""searchlib.ingest: discovery, decoding, HTML to text, documents, and an ingestion run."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import searchlib
from searchlib.ingest import (
    Progress,
    Source,
    SourceError,
    decode,
    discover,
    html_to_text,
    ingest,
    page_document,
)

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "pages"


# ------------------------------------------------------------------------------ discovery


def test_discover_walks_sorted_skips_hidden_and_ignores_other_extensions(tmp_path: Path) -> None:
    for rel in ["b.txt", "a.md", "sub/z.html", "sub/y.htm", "sub/x.jsonl", "sub/deep/w.txt",
                ".hidden.txt", ".git/c.txt", "notes.pdf", "sub/data.csv"]:
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x", encoding="utf-8")
    found = discover([tmp_path])
    assert [(s.id, s.kind) for s in found] == [
        ("a.md", "text"), ("b.txt", "text"), ("sub/deep/w.txt", "text"), ("sub/x.jsonl", "jsonl"),
        ("sub/y.htm", "html"), ("sub/z.html", "html"),
    ]
    assert found.ignored == 2


def test_discover_files_stdin_and_missing(tmp_path: Path) -> None:
    (tmp_path / "README").write_text("x", encoding="utf-8")
    found = discover([tmp_path / "README", "-", tmp_path / "gone.txt"], stdin_id="piped", stdin_kind="html")
    assert found.sources == [
        Source(str(tmp_path / "README"), "text", "README"),
        Source(None, "html", "piped"),
        Source(str(tmp_path / "gone.txt"), "text", "gone.txt"),
    ]
    with pytest.raises(ValueError):
        discover(["-"], stdin_kind="pdf")


# ------------------------------------------------------------------------------ decoding


def test_decode() -> None:
    assert decode("\ufeff長沙\r\nline\rend".encode()) == "長沙\nline\nend"
    with pytest.raises(SourceError, match=r"a\.txt: not valid UTF-8 \(byte 0xb3 at offset 2\)"):
        decode(b"ok" + "长沙".encode("gbk"), "a.txt")
    with pytest.raises(SourceError, match="binary file .NUL byte at offset 1"):
        decode(b"P\x00NG", "img")
    with pytest.raises(SourceError, match="UTF-16"):
        decode("hi".encode("utf-16"), "u16")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=64))
def test_decode_raises_only_source_error(data: bytes) -> None:
    try:
        assert isinstance(decode(data), str)
    except SourceError:
        pass


# ------------------------------------------------------------------------------ HTML


def test_html_to_text() -> None:
    page = html_to_text(
        "<!doctype html><html><head><title> A &amp; B </title><meta charset=utf-8>"
        "<style>body{}</style><script>var x = '<p>no</p>';</script></head>"
        "<body><nav><ul><li>Home</li><li>News</li></ul></nav>"
        "<h1>長沙 機場</h1><p>First   para<br>second line &lt;ok&gt;</p>"
        "<div>Cell <b>bold</b> text<noscript>enable js</noscript></div>"
        "<table><tr><td>a</td><td>b</td></tr></table><svg><text>icon</text></svg></body></html>"
    )
    assert page.title == "A & B"
    assert page.text.split("\n") == ["Home", "News", "長沙 機場", "First para", "second line <ok>",
                                     "Cell bold text", "a", "b"]


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>/ ab=\"'&;!-pscriptyle\n長")), max_size=80))
def test_html_to_text_never_fails(markup: str) -> None:
    assert isinstance(html_to_text(markup).text, str)


# ------------------------------------------------------------------------------ documents


def test_page_document_matches_add_page(tmp_path: Path) -> None:
    """ingest predicts what add_page stores (to skip unchanged pages); pin the two together."""
    ix = searchlib.Index.create(tmp_path / "ix")
    pages = sorted(CORPUS.glob("*.txt"))
    with ix.writer(workers=1) as w:
        for p in pages:
            text = p.read_text(encoding="utf-8")
            assert w.add_page(text, id=p.name) == page_document(text, p.name)
        assert w.add_page("T\nbody", id="h", title="Given") == page_document("T\nbody", "h", title="Given")
    for p in pages:
        assert ix.get(p.name) == page_document(p.read_text(encoding="utf-8"), p.name)


def test_page_document_without_cleaning() -> None:
    doc = page_document("\n  Headline here \nNav | Home\nBody text.\n", "x", clean=False)
    assert doc == {"id": "x", "title": "Headline here", "body": "Headline here \nNav | Home\nBody text."}


# ------------------------------------------------------------------------------ a run


def _tree(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8")
    return root


def test_ingest_summary_and_idempotent_reindex(tmp_path: Path) -> None:
    src = _tree(tmp_path / "src", {
        "a.txt": "Kopi naik\nEkspor kopi Indonesia naik tahun ini.\n",
        "b.md": "# Teh\nEkspor teh turun.\n",
        "empty.txt": "  \n",
        "bad.txt": b"\xc3\x28",
        "docs.jsonl": json.dumps({"id": "j1", "title": "T", "body": "B", "url": "http://x", "date": None}) + "\n\n"
                      + '{"title": "no id"}\n',
        "skip.csv": "a,b",
    })
    ix = searchlib.Index.create(tmp_path / "ix")
    errors = []
    s = ingest(ix, discover([src]), on_error=errors.append, workers=1)
    assert (s.sources, s.added, s.updated, s.skipped, s.ignored, s.commits) == (5, 3, 0, 0, 2, 1)
    assert [e.source for e in errors] == [str(src / "bad.txt"), str(src / "docs.jsonl")]
    assert [e.message for e in s.errors] == [e.message for e in errors]
    assert "docs.jsonl:3: every line needs an \"id\" string" in s.errors[1].message
    assert ix.get("j1") == {"id": "j1", "title": "T", "body": "B", "url": "http://x"}
    assert s.to_dict()["documents"] == 3

    again = ingest(ix, discover([src]), workers=1)
    assert (again.added, again.updated, again.skipped, again.commits) == (0, 0, 3, 0)

    (src / "a.txt").write_text("Kopi turun\nEkspor kopi turun.\n", encoding="utf-8")
    third = ingest(ix, discover([src]), workers=1)
    assert (third.added, third.updated, third.skipped) == (0, 1, 2)
    assert len(ix) == 3
    assert "turun" in ix.get("a.txt")["body"]


def test_ingest_repeated_id_in_one_run_replaces(tmp_path: Path) -> None:
    a = _tree(tmp_path / "a", {"x.txt": "one\nfirst version body.\n"})
    b = _tree(tmp_path / "b", {"x.txt": "two\nsecond version body.\n"})
    ix = searchlib.Index.create(tmp_path / "ix")
    s = ingest(ix, discover([a, b]), workers=1)
    assert (s.added, s.updated) == (1, 1)
    assert len(ix) == 1 and "second" in ix.get("x.txt")["body"]


def test_ingest_no_clean_and_html(tmp_path: Path) -> None:
    src = _tree(tmp_path / "src", {"p.html": "<title>Judul</title><p>Menu</p><p>Isi.</p>", "q.txt": "Head\nMenu\nBody.\n"})
    ix = searchlib.Index.create(tmp_path / "ix")
    ingest(ix, discover([src]), clean=False, workers=1)
    folder = str(src.resolve())
    assert ix.get("p.html") == {"id": "p.html", "title": "Judul", "body": "Menu\nIsi.", "folder": folder}
    assert ix.get("q.txt") == {"id": "q.txt", "title": "Head", "body": "Head\nMenu\nBody.", "folder": folder}


def test_ingest_stdin(tmp_path: Path) -> None:
    ix = searchlib.Index.create(tmp_path / "ix")
    stream = io.BytesIO('{"id": "s1", "title": "a", "body": "b"}\n'.encode())
    s = ingest(ix, discover(["-"], stdin_kind="jsonl"), stdin=stream, workers=1)
    assert s.added == 1 and ix.get("s1") is not None


def test_commits_in_batches_and_keeps_them_when_the_run_fails(tmp_path: Path) -> None:
    src = _tree(tmp_path / "src", {f"p{i:02d}.txt": f"Title {i}\nBody number {i} about kopi.\n" for i in range(10)})
    ix = searchlib.Index.create(tmp_path / "ix")
    seen: list[Progress] = []

    def progress(p: Progress) -> None:
        seen.append(p)
        if p.done == 8:
            raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        ingest(ix, discover([src]), commit_every=3, progress=progress, workers=1)
    assert [p.done for p in seen if p.phase == "reading"] == list(range(1, 9)) and seen[-1].total == 10
    assert [p.done for p in seen if p.phase == "committing"] == [3, 6]
    # documents 1-6 were committed in two batches; 7-8 were rolled back with the failed run
    assert len(ix) == 6 and ix.get("p05.txt") is not None and ix.get("p06.txt") is None
    s = ingest(ix, discover([src]), commit_every=3, workers=1)
    assert (s.added, s.skipped, s.commits) == (4, 6, 2)
    assert len(ix) == 10


def test_commit_every_must_be_positive(tmp_path: Path) -> None:
    ix = searchlib.Index.create(tmp_path / "ix")
    with pytest.raises(ValueError):
        ingest(ix, [], commit_every=0)


def test_ingest_learns_templates_across_the_batch(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A line repeated on every page of a batch is a site template: removed with learning on."""
    from searchlib import Index
    from searchlib.analysis.boilerplate import clean
    from searchlib.ingest import discover, ingest

    template = "Warung Kopi Lembah Hijau menemani pembaca setiap pagi sejak lama"
    folder = tmp_path / "pages"
    folder.mkdir()
    for i in range(5):
        body = "\n\n".join(
            f"Paragraf {j} berita nomor {i} tentang panen jagung di desa {i}, kata petani setempat kepada wartawan."
            for j in range(4)
        )
        (folder / f"p{i}.txt").write_text(f"{body}\n\n{template}\n", encoding="utf-8")
    assert template in clean((folder / "p0.txt").read_text(encoding="utf-8")).text  # rules alone keep it

    learned = Index.create(tmp_path / "learned")
    ingest(learned, discover([folder]))
    plain = Index.create(tmp_path / "plain")
    ingest(plain, discover([folder]), learn=False)
    assert all(template not in learned.get(f"p{i}.txt")["body"] for i in range(5))
    assert all(template in plain.get(f"p{i}.txt")["body"] for i in range(5))
    assert "panen jagung" in learned.get("p0.txt")["body"]


def test_add_page_without_an_id_derives_one(tmp_path: Path) -> None:
    ix = searchlib.Index.create(tmp_path / "ix")
    page = "Kopi naik\nEkspor kopi Indonesia naik tahun ini, kata pejabat.\n"
    with ix.writer(workers=1) as w:
        by_url = w.add_page(page, url="https://example.id/kopi")
        hashed = w.add_page(page)
        again = w.add_page(page)   # the same page: the same id (replaced, not duplicated)
        other = w.add_page("Teh turun\nEkspor teh turun tahun ini, kata pejabat.\n")
    assert by_url["id"] == "https://example.id/kopi"
    assert hashed["id"].startswith("sha256:") and len(hashed["id"]) == 7 + 32
    assert again["id"] == hashed["id"] != other["id"]
    assert len(ix) == 3 and ix.get(hashed["id"])["body"] == hashed["body"]


def test_html_in_a_declared_legacy_charset(tmp_path: Path) -> None:
    from searchlib.ingest import decode_html

    html = "<html><head><meta charset='gb2312'><title>长沙</title></head><body><p>工程机械出口增长。</p></body></html>"
    data = html.encode("gbk")
    assert decode_html(data, "p.html") == html
    big5 = "<meta http-equiv='Content-Type' content='text/html; charset=big5'><p>臺灣</p>"
    assert decode_html(big5.encode("big5"), "t.html") == big5
    undeclared = "<p>长沙的工程机械出口一季度增长三成，对一带一路沿线国家出口占比首次超过六成。</p>"
    assert decode_html(undeclared.encode("gbk"), "x.html") == undeclared  # no declaration: detected
    with pytest.raises(SourceError, match="binary data"):
        decode_html(b"<meta charset='klingon'><p>\x00\xff</p>", "k.html")
    src = _tree(tmp_path / "src", {"p.html": data})
    ix = searchlib.Index.create(tmp_path / "ix")
    s = ingest(ix, discover([src]), workers=1)
    assert s.added == 1 and "工程机械" in ix.get("p.html")["body"]


def test_html_pages_are_cleaned_and_typed(tmp_path: Path) -> None:
    html = ("<html lang='id'><head><title>Harga beras naik | Kabar Kita</title>"
            "<meta property='article:published_time' content='2024-03-04T10:00:00+07:00'></head><body>"
            "<nav><a href='/'>Beranda</a> <a href='/n'>Nasional</a></nav><h1>Harga beras naik</h1>"
            "<div class='credit'>Penulis: Rina Marlina | Editor: Doni Saputra</div>"
            "<div class='txt-article'><p>Harga beras medium di lima pasar tradisional naik Rp 500 per kilogram, "
            "kata pejabat dinas perdagangan kota kepada wartawan.</p><p>Stok masih aman, hanya distribusinya "
            "berkurang karena musim tanam di daerah sentra produksi.</p></div></body></html>")
    src = _tree(tmp_path / "src", {"a.html": html})
    ix = searchlib.Index.create(tmp_path / "ix")
    ingest(ix, discover([src]), workers=1)
    doc = ix.get("a.html")
    assert {k: doc[k] for k in ("title", "date", "author", "editor", "lang")} == {
        "title": "Harga beras naik", "date": "2024-03-04", "author": "Rina Marlina", "editor": "Doni Saputra",
        "lang": "id"}
    assert "Beranda" not in doc["body"] and doc["body"].startswith("Harga beras medium")
    with ix.writer(workers=1) as w:  # add_page recognises HTML too
        assert w.add_page(html, "b")["title"] == "Harga beras naik"


def test_each_page_is_cleaned_once_and_new_ids_are_not_read_back(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import searchlib
    from searchlib.analysis import boilerplate
    from searchlib.index.reader import IndexReader
    from searchlib.ingest import discover, ingest

    src = tmp_path / "pages"
    src.mkdir()
    for i in range(6):
        (src / f"p{i}.txt").write_text(f"标题{i}\n\n长沙工程机械第{i}篇报道的正文内容。\n", encoding="utf-8")
    calls = {"clean": 0, "get": 0}
    real_clean, real_get = boilerplate.clean, IndexReader.get

    def counting_clean(*a, **k):  # type: ignore[no-untyped-def]
        calls["clean"] += 1
        return real_clean(*a, **k)

    def counting_get(self, doc_id):  # type: ignore[no-untyped-def]
        calls["get"] += 1
        return real_get(self, doc_id)

    monkeypatch.setattr(boilerplate, "clean", counting_clean)
    monkeypatch.setattr(IndexReader, "get", counting_get)
    ix = searchlib.Index.create(tmp_path / "ix")
    summary = ingest(ix, discover([str(src)]))
    assert summary.added == 6 and calls["clean"] == 6
    stored_reads = calls["get"]
    again = ingest(ix, discover([str(src)]))  # unchanged pages: skipped, each read back once
    assert again.skipped == 6 and again.added == again.updated == 0
    assert calls["clean"] == 12 and calls["get"] - stored_reads == 6


def test_one_bad_json_line_costs_only_itself(tmp_path: Path) -> None:
    """Lines nested 100,000 deep (a RecursionError in json), a date out of range and a float of
    400 digits (ValueError / OverflowError at commit) are reported one by one; the good lines
    around them are indexed (the run used to stop with nothing committed)."""
    deep = "[" * 100_000 + "]" * 100_000
    lines = [json.dumps({"id": "g1", "body": "hello one"}),
             json.dumps({"id": "e1", "body": "x", "date": "9999-12-31T23:59:59-12:00"}),
             deep,
             '{"id": "e2", "nested": ' + deep + "}",
             '{"id": "e3", "body": "x", "score": 1' + "0" * 400 + ".5}",
             json.dumps({"id": "g2", "body": "hello two"})]
    src = tmp_path / "docs.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ix = searchlib.Index.create(tmp_path / "ix", fields={"score": "float"})
    summary = ingest(ix, discover([src]), workers=1)
    assert summary.added == 2 and sorted(d["id"] for d in ix.reader()) == ["g1", "g2"]
    messages = [e.message for e in summary.errors]
    assert len(messages) == 4 and sum("nested too deeply" in m for m in messages) == 2
