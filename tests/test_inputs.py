"""searchlib.inputs: folders are untrusted (links out, devices, FIFOs, huge files), reads are bounded."""
from __future__ import annotations

import io
import os
import threading
from pathlib import Path

import pytest

import searchlib
from searchlib.inputs import Source, SourceError, discover, parse_size, read_bytes
from searchlib.ingest import ingest, read_source

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
needs_devices = pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")


def _folder(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    (src / "ok.txt").write_text("Judul\nIsi berita yang aman dibaca.\n", encoding="utf-8")
    return src


def _ids(found) -> list[str]:  # type: ignore[no-untyped-def]
    return [s.id for s in found.sources]


def test_a_link_leaving_the_folder_is_skipped_with_a_warning(tmp_path: Path) -> None:
    src = _folder(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("password=hunter2\n", encoding="utf-8")
    (src / "leak.txt").symlink_to(secret)
    found = discover([src])
    assert _ids(found) == ["ok.txt"]
    assert len(found.warnings) == 1 and "outside the folder" in found.warnings[0].message
    assert "leak.txt" in found.warnings[0].message
    followed = discover([src], follow_links=True)
    assert _ids(followed) == ["leak.txt", "ok.txt"] and not followed.warnings
    assert read_source(followed.sources[0]) == "password=hunter2\n"


def test_a_link_inside_the_folder_is_read_and_a_broken_one_warned(tmp_path: Path) -> None:
    src = _folder(tmp_path)
    (src / "sub").mkdir()
    (src / "sub" / "a.txt").write_text("A\nbody.\n", encoding="utf-8")
    (src / "latest.txt").symlink_to(src / "sub" / "a.txt")
    (src / "gone.txt").symlink_to(src / "nowhere.txt")
    (src / "subdir-link").symlink_to(src / "sub")  # its files are indexed once, under their own path
    found = discover([src])
    assert _ids(found) == ["latest.txt", "ok.txt", "sub/a.txt"]
    assert [w.message.split(": ", 1)[1] for w in found.warnings] == ["broken symbolic link; skipped"]


@needs_devices
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_behind_a_link_is_never_read(tmp_path: Path, device: str) -> None:
    src = _folder(tmp_path)
    (src / "endless.txt").symlink_to(device)
    assert _ids(discover([src])) == ["ok.txt"]  # leaves the folder
    found = discover([src], follow_links=True)  # even when links may be followed: not a regular file
    assert _ids(found) == ["ok.txt"] and "character device, not a regular file" in found.warnings[0].message
    with pytest.raises(SourceError, match="character device, not a regular file"):
        read_bytes(Source(str(src / "endless.txt"), "text", "endless.txt"))  # named explicitly


@needs_fifo
def test_a_fifo_never_blocks(tmp_path: Path) -> None:
    src = _folder(tmp_path)
    os.mkfifo(src / "pipe.txt")
    found = discover([src])
    assert _ids(found) == ["ok.txt"] and "FIFO" in found.warnings[0].message
    # named explicitly: opened without blocking (no writer exists), then refused
    done = threading.Event()
    errors: list[str] = []

    def read() -> None:
        try:
            read_bytes(Source(str(src / "pipe.txt"), "text", "pipe.txt"))
        except SourceError as exc:
            errors.append(str(exc))
        done.set()

    t = threading.Thread(target=read, daemon=True)
    t.start()
    t.join(60)
    assert done.is_set() and "FIFO (named pipe), not a regular file" in errors[0]


def test_size_cap_in_folders_named_files_and_stdin(tmp_path: Path) -> None:
    src = _folder(tmp_path)
    (src / "big.txt").write_bytes(b"x" * 5000)
    found = discover([src], max_file_size=4096)
    assert _ids(found) == ["ok.txt"] and "over the 4 kB file size limit" in found.warnings[0].message
    with pytest.raises(SourceError, match="over the 4 kB file size limit"):
        read_bytes(Source(str(src / "big.txt"), "text", "big.txt"), max_size=4096)
    with pytest.raises(SourceError, match="over the 4 kB file size limit"):
        read_bytes(Source(None, "text", "stdin"), stdin=io.BytesIO(b"y" * 5000), max_size=4096)
    assert read_bytes(Source(None, "text", "stdin"), stdin=io.BytesIO(b"y" * 4096), max_size=4096) == b"y" * 4096


def test_a_file_swapped_for_a_link_after_the_walk_is_refused(tmp_path: Path) -> None:
    src = _folder(tmp_path)
    found = discover([src])
    secret = tmp_path / "secret.txt"
    secret.write_text("password\n", encoding="utf-8")
    os.remove(src / "ok.txt")
    (src / "ok.txt").symlink_to(secret)
    with pytest.raises(SourceError, match="symbolic link"):
        read_source(found.sources[0])


def test_link_loops_end(tmp_path: Path) -> None:
    src = _folder(tmp_path)
    (src / "a").mkdir()
    (src / "a" / "x.txt").write_text("X\nx body.\n", encoding="utf-8")
    (src / "a" / "loop").symlink_to(src)
    found = discover([src], follow_links=True)
    assert _ids(found) == ["a/x.txt", "ok.txt"]


def test_unreadable_folder_is_a_warning(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads every folder")
    src = _folder(tmp_path)
    (src / "locked").mkdir()
    (src / "locked" / "a.txt").write_text("a\n", encoding="utf-8")
    os.chmod(src / "locked", 0)
    try:
        found = discover([src])
    finally:
        os.chmod(src / "locked", 0o755)
    assert _ids(found) == ["ok.txt"] and "cannot list the folder" in found.warnings[0].message


def test_ingest_reports_warnings_and_indexes_the_rest(tmp_path: Path) -> None:
    src = _folder(tmp_path)
    (src / "leak.txt").symlink_to(tmp_path)  # a link to a folder outside
    (src / "big.md").write_bytes(b"# big\n" + b"x" * 3000)
    (src / "rows.jsonl").write_text(
        '{"id": "r1", "body": "short"}\n{"id": "r2", "body": "' + "z" * 3000 + '"}\n{"id": "r3", "body": "ok"}\n',
        encoding="utf-8")
    ix = searchlib.Index.create(tmp_path / "ix")
    warned: list[str] = []
    s = ingest(ix, discover([src], max_file_size=2048), workers=1, max_file_size=2048,
               on_warning=lambda p: warned.append(p.message))
    assert sorted(d["id"] for d in ix.reader()) == ["ok.txt", "r1", "r3"]
    assert len(s.warnings) == 2 and warned == [p.message for p in s.warnings]
    assert [e.message for e in s.errors] == [f"{src / 'rows.jsonl'}:2: line over the 2 kB size limit; skipped"]


@pytest.mark.parametrize(("text", "size"), [("20MB", 20 << 20), ("500k", 500 << 10), ("1.5 GiB", 3 << 29),
                                            ("4096", 4096), (7, 7)])
def test_parse_size(text, size) -> None:  # type: ignore[no-untyped-def]
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "abc", "5 parsecs", "0", "-3k"])
def test_parse_size_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_size(text)


def test_a_folder_nested_thousands_deep_is_walked(tmp_path: Path) -> None:
    """The walk keeps a list of folders to visit, not a recursion: 1,200 levels (a RecursionError
    at about 500 before) are walked like any folder."""
    src = _folder(tmp_path)
    deep = str(src)
    try:
        for _ in range(1200):  # one level at a time: pathlib's mkdir and os.makedirs recurse over parents
            deep += "/d"
            os.mkdir(deep)
        with open(os.path.join(deep, "bottom.txt"), "w", encoding="utf-8") as f:
            f.write("Bottom\nThe deepest page.\n")
        found = discover([src])
        assert _ids(found) == ["/".join(["d"] * 1200 + ["bottom.txt"]), "ok.txt"]
        assert read_source(found.sources[0]).startswith("Bottom")
    finally:  # bottom up, one level at a time: pytest's clean-up (shutil.rmtree) would recurse too
        if os.path.exists(os.path.join(deep, "bottom.txt")):
            os.remove(os.path.join(deep, "bottom.txt"))
        while deep != str(src):
            if os.path.isdir(deep):
                os.rmdir(deep)
            deep = os.path.dirname(deep)


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc/self/fd")
def test_a_subfolder_swapped_for_a_link_after_the_walk_is_refused(tmp_path: Path) -> None:
    """O_NOFOLLOW guards a file's own name only; a folder on its path replaced by a link to a
    folder elsewhere after the walk leads to another file, which reading refuses."""
    src = _folder(tmp_path)
    (src / "sub").mkdir()
    (src / "sub" / "s.txt").write_text("Sub\nA page in a subfolder.\n", encoding="utf-8")
    found = discover([src])
    evil = tmp_path / "evil"
    evil.mkdir()
    (evil / "s.txt").write_text("Secret\nNot in the folder.\n", encoding="utf-8")
    (src / "sub" / "s.txt").unlink()
    (src / "sub").rmdir()
    (src / "sub").symlink_to(evil)
    source = next(s for s in found.sources if s.id == "sub/s.txt")
    with pytest.raises(SourceError, match="not to the file listed"):
        read_source(source)
    assert read_source(next(s for s in found.sources if s.id == "ok.txt")).startswith("Judul")


def test_a_folder_whose_path_is_not_utf8_is_skipped_with_a_warning(tmp_path: Path) -> None:
    """Its path could not be recorded in the index (folder sync records the roots): a warning,
    and the other inputs are indexed."""
    src = _folder(tmp_path)
    bad = os.path.join(os.fsencode(tmp_path), b"nu\xff")
    try:
        os.mkdir(bad)
    except (OSError, UnicodeError):
        pytest.skip("the file system refuses a name that is not UTF-8")
    with open(os.path.join(bad, b"a.txt"), "wb") as f:
        f.write(b"A\nA page.\n")
    found = discover([os.fsdecode(bad), src])
    assert _ids(found) == ["ok.txt"] and "not valid UTF-8" in found.warnings[0].message
    ix = searchlib.Index.create(tmp_path / "ix")
    summary = ingest(ix, found, workers=1)
    assert summary.added == 1 and len(ix) == 1


def test_a_folder_reached_twice_is_read_under_its_first_name_in_order(tmp_path: Path) -> None:
    """With --follow-links a folder may be reached through a link too; it is read once, under
    the name that comes first in path order (the walk visits folders in name order)."""
    src = _folder(tmp_path)
    (src / "b").mkdir()
    (src / "b" / "x.txt").write_text("X\nx body.\n", encoding="utf-8")
    (src / "z-link").symlink_to(src / "b")
    (src / "a-link").symlink_to(src / "b")
    found = discover([src], follow_links=True)
    assert _ids(found) == ["a-link/x.txt", "ok.txt"]
