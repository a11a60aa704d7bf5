"""Folder sync: `search index DIR` mirrors the folder (deleted files leave, edits update, ids stay
relative to the recorded folder, subfolders never make second copies)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import searchlib
from searchlib.ingest import FOLDER_FIELD, discover, indexed_roots, ingest


def _page(title: str) -> str:
    return f"{title}\nBerita tentang {title} di desa, kata warga setempat kepada wartawan hari ini.\n"


def _tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return root


def _ids(ix: searchlib.Index) -> list[str]:
    return sorted(d["id"] for d in ix.reader())


@pytest.fixture()
def ix(tmp_path: Path):  # type: ignore[no-untyped-def]
    ix = searchlib.Index.create(tmp_path / "ix")
    yield ix
    ix.close()


def test_the_index_mirrors_the_folder(tmp_path: Path, ix: searchlib.Index) -> None:
    src = _tree(tmp_path / "news", {"a.txt": _page("Kopi"), "b.txt": _page("Teh"), "sub/c.md": _page("Gula")})
    first = ingest(ix, discover([src]), workers=1)
    assert (first.added, first.deleted) == (3, 0) and _ids(ix) == ["a.txt", "b.txt", "sub/c.md"]
    assert indexed_roots(ix) == [str(src.resolve())]
    assert ix.get("a.txt")[FOLDER_FIELD] == str(src.resolve())

    (src / "b.txt").unlink()
    (src / "a.txt").write_text(_page("Kopi Robusta"), encoding="utf-8")
    second = ingest(ix, discover([src]), workers=1)
    assert (second.added, second.updated, second.skipped, second.deleted) == (0, 1, 1, 1)
    assert _ids(ix) == ["a.txt", "sub/c.md"] and "Robusta" in ix.get("a.txt")["body"]

    unchanged = ingest(ix, discover([src]), workers=1)
    assert (unchanged.skipped, unchanged.deleted, unchanged.commits) == (2, 0, 0)


def test_no_prune_keeps_documents_of_deleted_files(tmp_path: Path, ix: searchlib.Index) -> None:
    src = _tree(tmp_path / "news", {"a.txt": _page("Kopi"), "b.txt": _page("Teh")})
    ingest(ix, discover([src]), workers=1)
    (src / "b.txt").unlink()
    s = ingest(ix, discover([src]), workers=1, prune=False)
    assert s.deleted == 0 and _ids(ix) == ["a.txt", "b.txt"]
    s = ingest(ix, discover([src]), workers=1)
    assert s.deleted == 1 and _ids(ix) == ["a.txt"]


def test_a_subfolder_of_an_indexed_folder_updates_the_same_documents(tmp_path: Path, ix: searchlib.Index) -> None:
    src = _tree(tmp_path / "news", {"a.txt": _page("Kopi"), "sub/c.txt": _page("Gula"), "sub/d.txt": _page("Garam")})
    ingest(ix, discover([src]), workers=1)
    (src / "sub" / "d.txt").unlink()
    (src / "sub" / "c.txt").write_text(_page("Gula Aren"), encoding="utf-8")
    (src / "a.txt").unlink()  # outside the subfolder: not this run's business
    s = ingest(ix, discover([src / "sub"]), workers=1)
    assert (s.added, s.updated, s.deleted) == (0, 1, 1)
    assert _ids(ix) == ["a.txt", "sub/c.txt"] and "Aren" in ix.get("sub/c.txt")["body"]
    assert indexed_roots(ix) == [str(src.resolve())]  # the subfolder is not a second root
    # a file of an indexed folder named explicitly gets its id there too
    s = ingest(ix, discover([src / "sub" / "c.txt"]), workers=1)
    assert s.skipped == 1 and _ids(ix) == ["a.txt", "sub/c.txt"]


def test_a_folder_holding_an_indexed_folder_keeps_its_ids(tmp_path: Path, ix: searchlib.Index) -> None:
    inner = _tree(tmp_path / "all" / "news", {"a.txt": _page("Kopi")})
    _tree(tmp_path / "all", {"top.txt": _page("Beras")})
    ingest(ix, discover([inner]), workers=1)
    s = ingest(ix, discover([tmp_path / "all"]), workers=1)
    assert (s.added, s.skipped) == (1, 1) and _ids(ix) == ["a.txt", "top.txt"]
    assert indexed_roots(ix) == sorted([str(inner.resolve()), str((tmp_path / "all").resolve())])
    (inner / "a.txt").unlink()
    s = ingest(ix, discover([tmp_path / "all"]), workers=1)  # the walk covers the inner folder too
    assert s.deleted == 1 and _ids(ix) == ["top.txt"]


def test_two_folders_do_not_prune_each_other(tmp_path: Path, ix: searchlib.Index) -> None:
    one = _tree(tmp_path / "one", {"a.txt": _page("Kopi")})
    two = _tree(tmp_path / "two", {"b.txt": _page("Teh")})
    ingest(ix, discover([one]), workers=1)
    ingest(ix, discover([two]), workers=1)
    assert _ids(ix) == ["a.txt", "b.txt"]
    (two / "b.txt").unlink()
    s = ingest(ix, discover([one]), workers=1)
    assert s.deleted == 0 and _ids(ix) == ["a.txt", "b.txt"]
    s = ingest(ix, discover([two]), workers=1)
    assert s.deleted == 1 and _ids(ix) == ["a.txt"]


def test_an_id_taken_by_another_folder_is_a_warning(tmp_path: Path, ix: searchlib.Index) -> None:
    one = _tree(tmp_path / "one", {"a.txt": _page("Kopi")})
    two = _tree(tmp_path / "two", {"a.txt": _page("Teh")})
    ingest(ix, discover([one]), workers=1)
    s = ingest(ix, discover([two]), workers=1)
    assert len(s.warnings) == 1 and f"1 document of folder {one.resolve()} replaced" in s.warnings[0].message
    assert ix.get("a.txt")[FOLDER_FIELD] == str(two.resolve())


def test_json_lines_documents_and_unreadable_files_are_never_pruned(tmp_path: Path, ix: searchlib.Index) -> None:
    src = _tree(tmp_path / "news", {"a.txt": _page("Kopi"), "docs.jsonl": json.dumps({"id": "j1", "body": "x"}) + "\n"})
    ingest(ix, discover([src]), workers=1)
    (src / "a.txt").write_bytes(b"\xff\xfe broken now")  # an error this run: the old version stays
    s = ingest(ix, discover([src]), workers=1)
    assert len(s.errors) == 1 and s.deleted == 0 and _ids(ix) == ["a.txt", "j1"]
    (src / "docs.jsonl").unlink()
    s = ingest(ix, discover([src]), workers=1)
    assert s.deleted == 0 and "j1" in _ids(ix)


def test_roots_are_recorded_in_the_same_commit(tmp_path: Path, ix: searchlib.Index) -> None:
    src = _tree(tmp_path / "news", {"a.txt": _page("Kopi")})
    gen = ix.stats()["generation"]
    ingest(ix, discover([src]), workers=1)
    r = ix.reader()
    assert r.generation == gen + 1 and r.user_data["roots"] == [str(src.resolve())] and len(r) == 1


def test_a_subfolder_that_cannot_be_listed_keeps_its_documents(tmp_path: Path, ix: searchlib.Index,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Files under a folder the walk could not list are unknown, not deleted: folder sync keeps
    their documents (it pruned them before), and still prunes what is really gone elsewhere."""
    import os

    src = _tree(tmp_path / "news", {"a.txt": _page("Kopi"), "b.txt": _page("Teh"),
                                    "sub/c.txt": _page("Gula"), "sub/deeper/d.txt": _page("Susu")})
    ingest(ix, discover([src]), workers=1)
    (src / "b.txt").unlink()
    real_scandir = os.scandir

    def scandir(path):  # type: ignore[no-untyped-def]
        if os.fspath(path).endswith("sub"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = discover([src])
    assert "cannot list the folder" in found.warnings[0].message
    summary = ingest(ix, found, workers=1)
    assert summary.deleted == 1 and _ids(ix) == ["a.txt", "sub/c.txt", "sub/deeper/d.txt"]


def test_a_folder_that_cannot_be_listed_at_all_keeps_every_document(tmp_path: Path, ix: searchlib.Index,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    src = _tree(tmp_path / "news", {"a.txt": _page("Kopi"), "sub/c.txt": _page("Gula")})
    ingest(ix, discover([src]), workers=1)
    monkeypatch.setattr(os, "scandir", lambda path: (_ for _ in ()).throw(PermissionError(13, "Permission denied")))
    summary = ingest(ix, discover([src]), workers=1)
    assert summary.deleted == 0 and _ids(ix) == ["a.txt", "sub/c.txt"]


def test_an_emptied_file_leaves_the_index(tmp_path: Path, ix: searchlib.Index) -> None:
    """The index mirrors the folder: a file emptied since the last run has nothing to index, so
    its old document goes (it used to stay, reported as "ignored"); --no-prune keeps it."""
    src = _tree(tmp_path / "news", {"a.txt": _page("Kopi"), "b.txt": _page("Teh")})
    ingest(ix, discover([src]), workers=1)
    (src / "b.txt").write_text("  \n", encoding="utf-8")
    kept = ingest(ix, discover([src]), workers=1, prune=False)
    assert kept.deleted == 0 and _ids(ix) == ["a.txt", "b.txt"]
    summary = ingest(ix, discover([src]), workers=1)
    assert summary.deleted == 1 and _ids(ix) == ["a.txt"]
