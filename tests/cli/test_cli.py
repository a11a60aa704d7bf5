"""The ``search`` command through click's CliRunner (in-process, fast).

The bundled corpus (``corpus/pages/``: Simplified, Traditional, English, Indonesian news pages) is
indexed once per module; tests that change an index work on a copy.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import searchlib
from searchlib.cli import cli

CORPUS = Path(__file__).resolve().parents[2] / "corpus" / "pages"
N_PAGES = len(list(CORPUS.glob("*.txt")))


def run(*args: str, input: str | bytes | None = None, env: dict[str, str] | None = None) -> Result:  # noqa: A002
    env = {"NO_COLOR": None, "SEARCHLIB_INDEX": None, **(env or {})}  # type: ignore[dict-item]
    return CliRunner().invoke(cli, list(args), input=input, env=env)


def one_error_line(result: Result) -> str:
    """The single ``error: ...`` line a failing command prints on stderr (and nothing else there)."""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.output
    return lines[0]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "ix"
    result = run("index", str(CORPUS), "--index", str(path))
    assert result.exit_code == 0, result.output
    assert f"{N_PAGES} added, 0 updated, 0 skipped" in result.stdout
    return path


@pytest.fixture
def index_copy(index: Path, tmp_path: Path) -> Path:
    dst = tmp_path / "copy"
    shutil.copytree(index, dst)
    return dst


def query_json(index: Path, q: str, *extra: str) -> dict:
    result = run("query", q, "--index", str(index), "--json", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# ------------------------------------------------------------------------------ index


def test_index_ids_are_relative_paths(index: Path) -> None:
    ix = searchlib.Index.open(index)
    assert len(ix) == N_PAGES
    assert ix.get("zh-hant-01.txt") is not None  # the file name relative to the folder
    assert ix.get("labels/zh-hant-01.labels.tsv") is None  # unsupported extensions are ignored


def test_reindex_same_folder_skips_unchanged_and_updates_changed(index_copy: Path, tmp_path: Path) -> None:
    again = run("index", str(CORPUS), "--index", str(index_copy))
    assert again.exit_code == 0, again.output
    assert f"0 added, 0 updated, {N_PAGES} skipped (unchanged)" in again.stdout

    pages = tmp_path / "pages"
    shutil.copytree(CORPUS, pages)
    fresh = tmp_path / "fresh"
    assert run("index", str(pages), "--index", str(fresh)).exit_code == 0
    (pages / "en-02.txt").write_text("Chengdu drones\nA completely new body about zeppelins.\n", encoding="utf-8")
    (pages / "en-03.txt").unlink()
    changed = run("index", str(pages), "--index", str(fresh), "--json")
    assert changed.exit_code == 0, changed.output
    summary = json.loads(changed.stdout)
    assert (summary["added"], summary["updated"], summary["skipped"], summary["deleted"]) == (0, 1, N_PAGES - 2, 1)
    assert summary["index_documents"] == N_PAGES - 1  # updated, not duplicated; the deleted file left
    index_copy = fresh
    assert [h["id"] for h in query_json(index_copy, "zeppelins")["hits"]] == ["en-02.txt"]


def test_no_clean_keeps_boilerplate_and_uses_first_line_as_title(tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    page = CORPUS / "zh-hant-01.txt"
    assert run("index", str(page), "--index", str(ix), "--no-clean").exit_code == 0
    doc = searchlib.Index.open(ix).get("zh-hant-01.txt")
    assert doc["title"] == "港湘財經 GANGXIANG FINANCE"
    assert "主頁 › 財經" in doc["body"]  # navigation kept
    cleaned = tmp_path / "ix2"
    assert run("index", str(page), "--index", str(cleaned)).exit_code == 0
    doc2 = searchlib.Index.open(cleaned).get("zh-hant-01.txt")
    assert doc2["title"].startswith("長沙機場擴建工程")
    assert "主頁 › 財經" not in doc2["body"]


def test_stdin_page_and_jsonl(tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    r = run("index", "-", "--index", str(ix), "--id", "from-stdin", input="Judul\nIsi berita tentang ekspor kopi.\n")
    assert r.exit_code == 0, r.output
    r = run("index", "-", "--index", str(ix), input="plain page on stdin\n")
    assert r.exit_code == 0, r.output
    lines = [
        json.dumps({"id": "j1", "title": "Kopi", "body": "Ekspor kopi naik", "source": "Antara"}, ensure_ascii=False),
        "{not json",
        json.dumps({"id": "j2", "title": "茶叶", "body": "茶叶出口", "date": 2023}, ensure_ascii=False),
        json.dumps({"id": "j3", "title": "茶叶", "body": "茶葉出口增長"}, ensure_ascii=False),
    ]
    r = run("index", "-", "--index", str(ix), "--stdin-format", "jsonl", input="\n".join(lines) + "\n")
    assert r.exit_code == 1  # two bad lines reported, the others indexed
    errors = r.stderr.strip().splitlines()
    assert len(errors) == 2 and all(e.startswith("error: <stdin>:") for e in errors)
    assert "<stdin>:2: not valid JSON" in errors[0]
    assert "'date'" in errors[1] and "is a date field" in errors[1]
    ix_ = searchlib.Index.open(ix)
    assert ix_.get("from-stdin")["body"].endswith("ekspor kopi.")
    assert ix_.get("stdin") is not None
    assert ix_.get("j1") == {"id": "j1", "title": "Kopi", "body": "Ekspor kopi naik", "source": "Antara"}
    assert ix_.get("j2") is None and ix_.get("j3") is not None
    assert [h["id"] for h in query_json(ix, "茶叶出口")["hits"]] == ["j3"]


def test_html_file(tmp_path: Path) -> None:
    page = tmp_path / "site" / "a.html"
    page.parent.mkdir()
    page.write_text(
        "<html><head><title>Kopi &amp; Teh</title><style>p{color:red}</style></head><body>"
        "<nav><a href='/'>Beranda</a></nav><script>var secretword = 1;</script>"
        "<h1>Ekspor kopi naik</h1><p>Ekspor kopi Indonesia naik 12 persen&nbsp;tahun ini.</p></body></html>",
        encoding="utf-8",
    )
    ix = tmp_path / "ix"
    r = run("index", str(page.parent), "--index", str(ix))
    assert r.exit_code == 0, r.output
    doc = searchlib.Index.open(ix).get("a.html")
    assert doc["title"] == "Ekspor kopi naik"  # the visible headline, not the <title>
    assert "Ekspor kopi Indonesia naik 12 persen" in doc["body"] and "Beranda" not in doc["body"]
    assert query_json(ix, "secretword")["total"] == 0


def test_bad_files_are_reported_and_skipped_rest_committed(index_copy: Path, tmp_path: Path) -> None:
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    (src / "good.txt").write_text("Kopi\nBerita tentang ekspor kopi Sumatra yang naik.\n", encoding="utf-8")
    (src / "sub" / "gbk.txt").write_bytes("长沙工程机械".encode("gbk"))
    (src / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (src / "utf16.txt").write_bytes("长沙".encode("utf-16"))
    (src / "dangling.txt").symlink_to(src / "missing-target.txt")
    (src / ".hidden.txt").write_text("hidden", encoding="utf-8")
    r = run("index", str(src), "--index", str(index_copy))
    assert r.exit_code == 1
    lines = r.stderr.strip().splitlines()
    errors = [e for e in lines if e.startswith("error: ")]
    assert len(errors) == 3 and len(lines) == 4, r.stderr
    by_file = {os.path.basename(e.split(":")[1].strip()): e for e in lines}
    assert "not valid UTF-8 (byte 0xb3 at offset 0)" in by_file["gbk.txt"]
    assert "binary file" in by_file["image.txt"]
    assert "UTF-16" in by_file["utf16.txt"]
    assert by_file["dangling.txt"].startswith("warning: ") and "broken symbolic link" in by_file["dangling.txt"]
    assert "1 added" in r.stdout and "3 errors, 1 warning" in r.stdout
    ix = searchlib.Index.open(index_copy)
    assert len(ix) == N_PAGES + 1  # nothing committed before was lost
    assert ix.get("good.txt") is not None and ix.get(".hidden.txt") is None


def test_index_nonexistent_path_is_a_usage_error(tmp_path: Path) -> None:
    r = run("index", str(tmp_path / "nope"), "--index", str(tmp_path / "ix"))
    assert r.exit_code == 2
    assert "does not exist" in one_error_line(r)


def test_locked_index(index_copy: Path) -> None:
    ix = searchlib.Index.open(index_copy)
    with ix.writer(workers=1):
        r = run("index", str(CORPUS / "en-01.txt"), "--index", str(index_copy), "--lock-timeout", "0.05")
        assert r.exit_code == 1
        line = one_error_line(r)
        assert "locked" in line and "write.lock" in line
        assert "--lock-timeout" in line  # what a CLI user passes (the library name too, for Python)
        r = run("delete", "en-01.txt", "--index", str(index_copy), "--lock-timeout", "0")
        assert r.exit_code == 1 and "locked" in one_error_line(r)
    # readers are not blocked by a writer
    assert run("query", "长沙", "--index", str(index_copy)).exit_code == 0


# ------------------------------------------------------------------------------ query


def test_query_simplified(index: Path) -> None:
    data = query_json(index, "长沙 工程机械")
    assert data["hits"][0]["id"] == "zh-hans-01.txt"
    assert data["total"] >= 3


def test_query_simplified_finds_traditional(index: Path) -> None:
    data = query_json(index, "机场")  # only a Traditional page mentions 機場
    ids = [h["id"] for h in data["hits"]]
    assert "zh-hant-01.txt" in ids
    hit = data["hits"][ids.index("zh-hant-01.txt")]
    body = searchlib.Index.open(index).get("zh-hant-01.txt")["body"]
    spans = hit["highlights"]["body"]
    assert spans and all(body[s:e] == "機場" for s, e in spans)
    assert "**機場**" in hit["snippet"]


def test_query_traditional(index: Path) -> None:
    data = query_json(index, "長沙機場")
    assert data["hits"][0]["id"] == "zh-hant-01.txt"


def test_query_english(index: Path) -> None:
    data = query_json(index, "excavators Changsha")
    assert data["hits"][0]["id"] == "en-01.txt"


def test_query_indonesian(index: Path) -> None:
    data = query_json(index, "ekspor alat berat")
    assert data["hits"][0]["id"] == "id-01.txt"


def test_query_json_schema(index: Path) -> None:
    r = run("query", "长沙", "--index", str(index), "--json", "--limit", "3")
    assert r.exit_code == 0
    assert r.stdout.count("\n") == 1  # exactly one JSON object on one line
    assert "长沙" in r.stdout  # ensure_ascii=False
    data = json.loads(r.stdout)
    assert set(data) == {"query", "total", "took_ms", "load_ms", "hits", "suggestion", "next_cursor"}
    assert data["query"] == "长沙" and isinstance(data["total"], int) and isinstance(data["took_ms"], float)
    assert len(data["hits"]) == 3
    for hit in data["hits"]:
        assert set(hit) == {"id", "score", "title", "snippet", "highlights"}
        assert isinstance(hit["id"], str) and isinstance(hit["score"], float) and isinstance(hit["title"], str)
        assert set(hit["highlights"]) == {"body"}
        assert all(isinstance(s, int) and isinstance(e, int) and s < e for s, e in hit["highlights"]["body"])
    scores = [h["score"] for h in data["hits"]]
    assert scores == sorted(scores, reverse=True)


def test_query_limit_offset(index: Path) -> None:
    all_ids = [h["id"] for h in query_json(index, "长沙", "--limit", "4")["hits"]]
    page2 = query_json(index, "长沙", "--limit", "2", "--offset", "2")
    assert [h["id"] for h in page2["hits"]] == all_ids[2:4]


def test_query_text_output_and_formats(index: Path) -> None:
    r = run("query", "机场", "--index", str(index), "--limit", "1")
    assert r.exit_code == 0
    assert "\x1b[" not in r.stdout  # not a terminal: no colour
    assert "zh-hant-01.txt  score " in r.stdout and "**機場**" in r.stdout
    assert "(showing 1-1;" in r.stdout
    html = run("query", "机场", "--index", str(index), "--limit", "1", "--format", "html")
    assert "<mark>機場</mark>" in html.stdout
    ansi = run("query", "机场", "--index", str(index), "--limit", "1", "--format", "ansi")
    assert "\x1b[1;31m機場\x1b[0m" in ansi.stdout  # asked for explicitly
    no_hits = run("query", "zzzqqq", "--index", str(index))
    assert no_hits.exit_code == 0 and "0 hits for 'zzzqqq'" in no_hits.stdout


def test_query_field(index: Path) -> None:
    body_only = query_json(index, "excavator", "--field", "body")
    assert body_only["total"] >= 1
    r = run("query", "x", "--index", str(index), "--field", "nosuch")
    assert r.exit_code == 2
    assert "not a text field" in one_error_line(r)


def test_index_env_variable(index: Path) -> None:
    r = run("query", "长沙", "--json", env={"SEARCHLIB_INDEX": str(index)})
    assert r.exit_code == 0 and json.loads(r.stdout)["total"] > 0


# ------------------------------------------------------------------------------ errors


def test_missing_index(tmp_path: Path) -> None:
    for args in (["query", "x"], ["stats"], ["show", "a"], ["delete", "a"], ["optimize"], ["explain", "x", "a"]):
        r = run(*args, "--index", str(tmp_path / "none"))
        assert r.exit_code == 1, args
        line = one_error_line(r)
        assert "no index at" in line and "search index PATH... --index" in line


def test_malformed_query(index: Path) -> None:
    r = run("query", "--index", str(index), "--", "-长沙")
    assert r.exit_code == 1
    assert "only excludes" in one_error_line(r) and "at character 0" in r.stderr
    r = run("query", "长沙 AND NOT 机场", "--index", str(index))
    assert r.exit_code == 0


def test_damaged_index(index_copy: Path) -> None:
    seg_files = sorted(p for p in (index_copy / "segments").rglob("*") if p.is_file() and p.stat().st_size > 64)
    victim = seg_files[0]
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 0xFF
    victim.write_bytes(bytes(data))
    r = run("check", "--index", str(index_copy))
    assert r.exit_code == 1
    assert "damaged" in one_error_line(r) or "checksum" in r.stderr

    manifest = index_copy / "manifest.json"
    manifest.write_text(manifest.read_text(encoding="utf-8")[:40], encoding="utf-8")
    for args in (["query", "长沙"], ["stats"], ["index", str(CORPUS / "en-01.txt")]):
        r = run(*args, "--index", str(index_copy))
        assert r.exit_code == 1, args
        assert "damaged manifest" in one_error_line(r)


def test_options_after_double_dash(index: Path) -> None:
    """``--`` protects the query only; options after it still count."""
    r = run("query", "--", "-长沙 机场", "--index", str(index), "--json")  # the example
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["query"] == "-长沙 机场"
    r = run("query", "--", "-天气 长沙", "--index", str(index), "--json", "--limit", "2")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["query"] == "-天气 长沙" and 0 < len(data["hits"]) <= 2
    first = data["hits"][0]["id"]
    r = run("explain", "--", "-天气 长沙", first, "--index", str(index), "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["info"]["id"] == first
    r = run("tokenize", "--", "-x y", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["text"] == "-x y"


@pytest.mark.parametrize("query", ["", "*", "AND OR NOT", "。，", "()"])
def test_query_with_nothing_to_search_gives_a_hint(index: Path, query: str) -> None:
    r = run("query", query, "--index", str(index))
    assert r.exit_code == 0
    assert "0 hits" in r.stdout
    assert r.stderr.startswith("hint: ") and "nothing to search for" in r.stderr
    r = run("query", "长沙", "--index", str(index))
    assert r.stderr == ""


def test_too_long_query_points_at_the_clause_crossing_the_cap(index: Path) -> None:
    from searchlib.query.parser import MAX_CLAUSES

    words = [f"w{i}" for i in range(MAX_CLAUSES + 5)]
    query = "(" + " ".join(words) + ")"
    r = run("query", query, "--index", str(index))
    assert r.exit_code == 1
    line = one_error_line(r)
    assert f"at character {query.index(words[MAX_CLAUSES])}" in line and "character 0" not in line


def test_usage_errors_exit_2_with_one_line() -> None:
    for args in (["query"], ["query", "x", "--limit", "-1"], ["nosuchcommand"], ["tokenize", "x", "--mode", "bad"]):
        r = run(*args)
        assert r.exit_code == 2, args
        line = one_error_line(r)
        assert "--help" in line


def test_unexpected_error_is_one_line_unless_debug(index: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*a: object, **k: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(searchlib.Index, "search", boom)
    r = run("query", "x", "--index", str(index))
    assert r.exit_code == 1
    line = one_error_line(r)
    assert "unexpected RuntimeError: boom" in line and "--debug" in line
    r = run("--debug", "query", "x", "--index", str(index))
    assert isinstance(r.exception, RuntimeError)


def test_debug_shows_library_errors(tmp_path: Path) -> None:
    r = run("--debug", "stats", "--index", str(tmp_path / "none"))
    assert isinstance(r.exception, searchlib.IndexNotFoundError)


# ------------------------------------------------------------------------------ other commands


def test_show(index: Path) -> None:
    r = run("show", "zh-hans-01.txt", "--index", str(index))
    assert r.exit_code == 0
    assert r.stdout.startswith("id: zh-hans-01.txt\ntitle: 长沙工程机械")
    data = json.loads(run("show", "zh-hans-01.txt", "--index", str(index), "--json").stdout)
    assert data["id"] == "zh-hans-01.txt" and "body" in data
    r = run("show", "nope", "--index", str(index))
    assert r.exit_code == 1 and "no document with id 'nope'" in one_error_line(r)


def test_show_prints_typed_and_stored_values(tmp_path: Path) -> None:
    """Keywords, numbers, dates and stored objects print as text (a list of words joined by
    commas, the rest as JSON), not as a TypeError."""
    ix = searchlib.Index.create(tmp_path / "ix", fields={"tags": "keyword", "views": "int", "score": "float",
                                                         "extra": "stored"})
    with ix.writer(workers=1) as w:
        w.add({"id": "a1", "title": "t", "body": "正文", "tags": ["经济", "湖南"], "views": 1200, "score": 0.5,
               "extra": {"k": [1, 2]}})
    ix.close()
    r = run("show", "a1", "--index", str(tmp_path / "ix"))
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert "tags: 经济, 湖南" in lines and "views: 1200" in lines and "score: 0.5" in lines
    assert 'extra: {"k": [1, 2]}' in lines and lines[-1] == "正文"


def test_text_from_documents_cannot_print_lines_of_its_own(tmp_path: Path) -> None:
    """An id, a title or a keyword value holding line breaks shows them as ↵ on the one line it
    has: a document cannot forge hits, fields or rows in the output (escapes show as U+FFFD)."""
    ix = searchlib.Index.create(tmp_path / "ix", fields={"tags": "keyword"})
    doc_id = "esc\x1b[31mred\n  2. FAKE HIT"
    with ix.writer(workers=1) as w:
        w.add({"id": doc_id, "title": "t\r\nfake: title", "body": "hello esc", "tags": ["a\nb"]})
    ix.close()
    r = run("query", "hello", "--index", str(tmp_path / "ix"))
    assert r.exit_code == 0, r.output
    assert not any(line.lstrip().startswith(("2. FAKE", "fake:")) for line in r.stdout.splitlines())
    assert "\x1b" not in r.stdout and "↵" in r.stdout
    r = run("show", doc_id, "--index", str(tmp_path / "ix"))
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0].startswith("id: esc") and "↵" in lines[0] and lines[1].startswith("title: t↵fake")
    assert "tags: a↵b" in lines
    assert json.loads(run("show", doc_id, "--index", str(tmp_path / "ix"), "--json").stdout)["id"] == doc_id


def test_delete_and_optimize(index_copy: Path) -> None:
    r = run("delete", "en-01.txt", "id-01.txt", "--index", str(index_copy))
    assert r.exit_code == 0 and f"deleted 2 documents; {N_PAGES - 2} remain" in r.stdout
    assert run("show", "en-01.txt", "--index", str(index_copy)).exit_code == 1
    r = run("delete", "en-01.txt", "--index", str(index_copy))
    assert r.exit_code == 1 and "no document with id 'en-01.txt'" in one_error_line(r)
    r = run("optimize", "--index", str(index_copy))
    assert r.exit_code == 0 and "2 deleted documents purged" in r.stdout
    stats = json.loads(run("stats", "--index", str(index_copy), "--json").stdout)
    assert stats["documents"] == N_PAGES - 2 and stats["segments"] == 1 and stats["deleted"] == 0
    assert run("check", "--index", str(index_copy)).stdout.startswith("ok: ")


def test_optimize_json_and_singulars(index_copy: Path) -> None:
    r = run("delete", "en-01.txt", "--index", str(index_copy))
    assert r.exit_code == 0 and "deleted 1 document;" in r.stdout
    r = run("optimize", "--index", str(index_copy), "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["purged"] == 1 and data["segments"] == 1 and data["documents"] == N_PAGES - 1
    assert {"index", "segments_before", "size_bytes", "generation", "seconds"} <= set(data)
    r = run("delete", "id-01.txt", "--index", str(index_copy))
    r = run("optimize", "--index", str(index_copy))
    assert "1 segment -> 1, 1 deleted document purged" in r.stdout


def test_index_summary_singulars(tmp_path: Path) -> None:
    bad = tmp_path / "in"
    bad.mkdir()
    (bad / "a.txt").write_text("长沙工程机械\n\n长沙的工程机械产业集群发展迅速。\n", encoding="utf-8")
    (bad / "b.txt").write_bytes(b"\xff\xfe\x00bad")
    r = run("index", str(bad), "--index", str(tmp_path / "ix"))
    assert r.exit_code == 1
    assert "1 error." in r.stdout and "1 errors" not in r.stdout
    assert "1 document from" in r.stdout and "Index " in r.stdout and ": 1 document." in r.stdout


def test_stats(index: Path) -> None:
    r = run("stats", "--index", str(index), "--json")
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert {"documents", "segments", "terms", "size_bytes", "analyzer"} <= set(data)
    assert data["documents"] == N_PAGES and data["terms"] > 1000 and data["size_bytes"] > 0
    assert data["analyzer"]["name"] == "searchlib-cjk"
    text = run("stats", "--index", str(index)).stdout
    assert f"documents   {N_PAGES}" in text and "analyzer    searchlib-cjk v2" in text and "KiB" in text


def test_explain(index: Path) -> None:
    r = run("explain", "长沙 机场", "zh-hant-01.txt", "--index", str(index))
    assert r.exit_code == 0
    assert "term '机场'" in r.stdout and "idf" in r.stdout
    top = query_json(index, "长沙 机场")["hits"][0]
    data = json.loads(run("explain", "长沙 机场", "zh-hant-01.txt", "--index", str(index), "--json").stdout)
    assert data["value"] == pytest.approx(top["score"])
    r = run("explain", "长沙", "nope", "--index", str(index))
    assert r.exit_code == 1 and "no document with id 'nope'" in one_error_line(r)


def test_clean_explain_and_json() -> None:
    page = CORPUS / "zh-hant-01.txt"
    r = run("clean", str(page), "--explain")
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert lines[1].split()[:3] == ["2", "drop", "navigation"]
    assert lines[1].endswith("主頁 › 財經 › 內地經濟")
    content = [ln for ln in lines if ln.split()[1:3] == ["keep", "content"]]
    assert "8" in [ln.split()[0] for ln in content]
    assert any(ln.startswith("-- kept ") for ln in lines)
    assert any(ln.startswith("-- title: 長沙機場擴建工程") for ln in lines)

    data = json.loads(run("clean", str(page), "--json").stdout)
    assert set(data) == {"text", "metadata", "lines"}
    raw = page.read_text(encoding="utf-8")
    for line in data["lines"]:
        assert set(line) == {"line", "text", "kept", "reason", "start", "end"}
        assert raw[line["start"]:line["end"]] == line["text"]
    assert data["lines"][1]["reason"] == "navigation" and not data["lines"][1]["kept"]

    plain = run("clean", str(page))
    assert plain.stdout.strip() == data["text"].strip()
    stdin = run("clean", "-", input=raw)
    assert stdin.stdout == plain.stdout


def test_clean_invalid_utf8(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"ok \xff\xfe")
    r = run("clean", str(bad))
    assert r.exit_code == 1
    assert "not valid UTF-8 (byte 0xff at offset 3)" in one_error_line(r)


def test_tokenize() -> None:
    r = run("tokenize", "長沙工程機械 exports")
    assert r.exit_code == 0
    assert "长沙  (長沙)" in r.stdout and "工程机械  (工程機械)" in r.stdout and "exports" in r.stdout
    index_mode = json.loads(run("tokenize", "長沙工程機械", "--json").stdout)
    query_mode = json.loads(run("tokenize", "長沙工程機械", "--json", "--mode", "query").stdout)
    assert [t["text"] for t in query_mode["tokens"]] == ["长沙", "工程机械"]
    assert "机械" in [t["text"] for t in index_mode["tokens"]]
    for t in index_mode["tokens"]:
        assert "長沙工程機械"[t["start"]:t["end"]] == t["original"]


def test_tokenize_with_index_analyzer(index: Path) -> None:
    r = run("tokenize", "長沙", "--index", str(index))
    assert r.exit_code == 0 and "长沙" in r.stdout


def test_version() -> None:
    r = run("--version")
    assert r.exit_code == 0 and r.stdout.strip() == f"search (searchlib) {searchlib.__version__}"


@pytest.mark.parametrize("command", [None, *sorted(cli.commands)])
def test_help_with_example(command: str | None) -> None:
    r = run(*([command] if command else []), "--help")
    assert r.exit_code == 0, r.output
    assert "Usage: " in r.stdout and "Example" in r.stdout


def test_expected_commands_exist() -> None:
    assert {"index", "query", "show", "stats", "delete", "optimize", "clean", "tokenize", "explain"} <= set(cli.commands)


def test_query_filters_sort_facets_and_cursor(index: Path) -> None:
    r = run("query", "", "--index", str(index), "--sort", "-date", "--since", "2023-01", "--facet", "source",
            "--facet", "date:month", "--limit", "2", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    dates = [searchlib.Index.open(index).get(h["id"])["date"] for h in data["hits"]]
    assert dates == sorted(dates, reverse=True) and data["next_cursor"]
    assert data["facets"]["date:month"] and all(isinstance(c, int) for _, c in data["facets"]["source"])
    r2 = run("query", "", "--index", str(index), "--sort", "-date", "--since", "2023-01", "--limit", "2",
             "--after", data["next_cursor"], "--json")
    assert r2.exit_code == 0, r2.output
    assert not {h["id"] for h in json.loads(r2.stdout)["hits"]} & {h["id"] for h in data["hits"]}
    text = run("query", "长沙", "--index", str(index), "--facet", "source", "--filter", "date>=2023-01")
    assert text.exit_code == 0 and "source" in text.stdout and "hits for" in text.stdout


def test_query_bad_field_and_filter_are_one_line_errors(index: Path) -> None:
    for args in (["foo:bar"], ["长沙", "--filter", "nosuch=1"], ["长沙", "--filter", "nonsense"], ["长沙", "--sort", "body"]):
        r = run("query", *args, "--index", str(index))
        assert r.exit_code == 1 and r.stderr.count("\n") == 1 and r.stderr.startswith("error: "), args


def test_stats_lists_fields_with_kinds_and_counts(index: Path) -> None:
    r = run("stats", "--index", str(index))
    assert r.exit_code == 0 and "date     date" in r.stdout and "distinct" in r.stdout


def test_index_mirrors_the_folder_unless_no_prune(tmp_path: Path) -> None:
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    for name in ("a.txt", "b.txt", "sub/c.txt"):
        (src / name).write_text(f"{name}\nBerita tentang ekspor kopi Sumatra yang naik tahun ini.\n", encoding="utf-8")
    ix = tmp_path / "ix"
    assert run("index", str(src), "--index", str(ix)).exit_code == 0
    (src / "b.txt").unlink()
    (src / "sub" / "c.txt").unlink()
    kept = run("index", str(src / "sub"), "--index", str(ix), "--no-prune")
    assert kept.exit_code == 0 and "deleted" not in kept.stdout
    r = run("index", str(src / "sub"), "--index", str(ix), "--json")  # the subfolder: only its own files
    assert json.loads(r.stdout)["deleted"] == 1
    r = run("index", str(src), "--index", str(ix))
    assert r.exit_code == 0 and "1 deleted (files gone)" in r.stdout
    assert sorted(d["id"] for d in searchlib.Index.open(ix).reader()) == ["a.txt"]


def test_max_file_size_must_be_a_size(tmp_path: Path) -> None:
    r = run("index", str(tmp_path), "--index", str(tmp_path / "ix"), "--max-file-size", "lots")
    assert r.exit_code == 2 and "not a size" in one_error_line(r)


def test_clean_an_html_page_explains_blocks_and_metadata(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text(
        "<html lang='id'><head><title>Ekspor kopi naik | Kabar Kita</title></head><body>"
        "<nav><a href='/'>Beranda</a> <a href='/e'>Ekonomi</a></nav><h1>Ekspor kopi naik</h1>"
        "<div class='meta'>Penulis: Rina Marlina | Editor: Doni Saputra | 4 Maret 2024</div>"
        "<div class='isi'><p>Ekspor kopi Indonesia naik dua belas persen tahun ini, kata pejabat kementerian.</p>"
        "<p>Permintaan terbesar datang dari Jepang dan Amerika Serikat, disusul negara-negara Eropa.</p></div>"
        "</body></html>", encoding="utf-8")
    r = run("clean", str(page), "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["text"].startswith("Ekspor kopi Indonesia") and "Beranda" not in out["text"]
    assert {k: out["metadata"].get(k) for k in ("title", "date", "author", "editor", "lang")} == {
        "title": "Ekspor kopi naik", "date": "2024-03-04", "author": "Rina Marlina", "editor": "Doni Saputra",
        "lang": "id"}
    explained = run("clean", str(page), "--explain")
    assert "title" in explained.stdout and "-- editor: Doni Saputra" in explained.stdout
