"""The installed ``search`` script as a real subprocess: exit codes, streams, stdin, terminals.

The script is the console script next to the running interpreter (``.venv/bin/search``), else
``shutil.which("search")``, else ``python -m searchlib.cli``. The repository root is put first on
PYTHONPATH so the subprocess imports this checkout whatever its working directory.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import searchlib

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus" / "pages"
N_PAGES = len(list(CORPUS.glob("*.txt")))


def search_command() -> list[str]:
    sibling = Path(sys.executable).parent / "search"
    if sibling.is_file() and os.access(sibling, os.X_OK):
        return [str(sibling)]
    found = shutil.which("search")
    if found:
        return [found]
    return [sys.executable, "-m", "searchlib.cli"]


SEARCH = search_command()


def env(**extra: str) -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "SEARCHLIB_INDEX", "PYTHONPATH")}
    e["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])
    e.update(extra)
    return e


def search(*args: str, input: bytes | None = None, cwd: Path | None = None, **extra_env: str) -> subprocess.CompletedProcess[bytes]:  # noqa: A002
    return subprocess.run([*SEARCH, *args], input=input, capture_output=True, env=env(**extra_env),
                          cwd=cwd, timeout=120)


def out(p: subprocess.CompletedProcess[bytes]) -> str:
    return p.stdout.decode("utf-8")


def err(p: subprocess.CompletedProcess[bytes]) -> str:
    return p.stderr.decode("utf-8")


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sub") / "ix"
    p = search("index", str(CORPUS), "--index", str(path))
    assert p.returncode == 0, err(p)
    assert err(p) == ""  # not a terminal: no progress bar
    assert f"{N_PAGES} added" in out(p)
    return path


def test_four_varieties_json(index: Path) -> None:
    for query, expected in [("长沙 工程机械", "zh-hans-01.txt"), ("機場", "zh-hant-01.txt"),
                            ("excavators", "en-01.txt"), ("ekspor alat berat", "id-01.txt")]:
        p = search("query", query, "--index", str(index), "--json")
        assert p.returncode == 0, err(p)
        data = json.loads(out(p))
        assert data["hits"][0]["id"] == expected, query
        assert set(data["hits"][0]) == {"id", "score", "title", "snippet", "highlights"}
    simplified = json.loads(out(search("query", "机场", "--index", str(index), "--json")))
    assert "zh-hant-01.txt" in [h["id"] for h in simplified["hits"]]  # Simplified finds Traditional


def test_default_index_is_cwd_index_and_env_overrides(index: Path, tmp_path: Path) -> None:
    (tmp_path / "index").symlink_to(index)
    assert search("stats", "--json", cwd=tmp_path).returncode == 0
    p = search("stats", "--json", cwd=ROOT, SEARCHLIB_INDEX=str(index))
    assert json.loads(out(p))["documents"] == N_PAGES


def test_exit_codes_and_single_error_line(index: Path, tmp_path: Path) -> None:
    missing = search("query", "x", "--index", str(tmp_path / "none"))
    assert missing.returncode == 1
    assert err(missing).startswith("error: no index at") and err(missing).count("\n") == 1
    malformed = search("query", "--index", str(index), "--", "NOT 长沙")
    assert malformed.returncode == 1 and "at character" in err(malformed)
    usage = search("query")
    assert usage.returncode == 2 and err(usage).startswith("error: Missing argument") and err(usage).count("\n") == 1
    bad = tmp_path / "src"
    bad.mkdir()
    (bad / "ok.txt").write_text("Judul\nIsi berita yang cukup panjang tentang kopi.\n", encoding="utf-8")
    (bad / "big5.txt").write_bytes("長沙機場".encode("big5"))
    p = search("index", str(bad), "--index", str(tmp_path / "ix"))
    assert p.returncode == 1
    assert err(p).count("\n") == 1 and "big5.txt: not valid UTF-8" in err(p)
    assert "1 added" in out(p)
    for text in (err(missing), err(malformed), err(usage), err(p)):
        assert "Traceback" not in text


def test_stdin(tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    p = search("index", "-", "--index", str(ix), "--id", "piped", input="标题\n湖南长沙的茶叶出口增长。\n".encode())
    assert p.returncode == 0, err(p)
    shown = json.loads(out(search("show", "piped", "--index", str(ix), "--json")))
    assert "茶叶出口" in shown["body"]
    bad = search("index", "-", "--index", str(ix), input=b"\xff\xfe\x00bad")
    assert bad.returncode == 1 and "<stdin>" in err(bad)


def test_version_and_help() -> None:
    p = search("--version")
    assert p.returncode == 0 and out(p).strip() == f"search (searchlib) {searchlib.__version__}"
    for cmd in ("index", "query", "show", "stats", "delete", "optimize", "clean", "tokenize", "explain", "check"):
        h = search(cmd, "--help")
        assert h.returncode == 0 and "Example" in out(h), cmd


def test_pipe_to_closed_reader_is_quiet(index: Path) -> None:
    proc = subprocess.Popen([*SEARCH, "query", "长沙", "--index", str(index), "--limit", "50"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env())
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert "Traceback" not in stderr


pty = pytest.importorskip("pty")


def run_in_terminal(*args: str, **extra_env: str) -> tuple[int, str]:
    """Run ``search`` with stdout and stderr on a pseudo-terminal; (exit status, what it showed)."""
    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen([*SEARCH, *args], stdin=subprocess.DEVNULL, stdout=slave, stderr=slave,
                                env=env(TERM="xterm", **extra_env), close_fds=True)
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the other side closed
                break
            if not data:
                break
            chunks.append(data)
        return proc.wait(timeout=60), b"".join(chunks).decode("utf-8", "replace")
    finally:
        os.close(master)


def test_colour_on_terminal_not_with_no_color(index: Path) -> None:
    code, shown = run_in_terminal("query", "机场", "--index", str(index), "--limit", "1")
    assert code == 0 and "\x1b[1;31m機場\x1b[0m" in shown
    code, shown = run_in_terminal("query", "机场", "--index", str(index), "--limit", "1", NO_COLOR="1")
    assert code == 0 and "\x1b[" not in shown and "**機場**" in shown


def test_progress_bar_on_terminal(tmp_path: Path) -> None:
    code, shown = run_in_terminal("index", str(CORPUS), "--index", str(tmp_path / "ix"))
    assert code == 0
    assert "indexing" in shown and "docs/s" in shown
    assert f"{N_PAGES} added" in shown


@pytest.mark.skipif(not hasattr(os, "mkfifo") or not os.path.exists("/dev/zero"), reason="needs FIFOs and /dev/zero")
def test_untrusted_folder_fifo_device_link_and_huge_file(tmp_path: Path) -> None:
    """A FIFO, a link to /dev/zero, a link out of the folder and a huge file: the run ends, reads
    none of them, warns about each, and indexes the rest (exit status 0: nothing failed)."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "ok.txt").write_text("Kopi\nBerita tentang ekspor kopi Sumatra yang naik.\n", encoding="utf-8")
    os.mkfifo(src / "pipe.txt")
    (src / "zero.txt").symlink_to("/dev/zero")
    (tmp_path / "outside.txt").write_text("secret\n", encoding="utf-8")
    (src / "out.txt").symlink_to(tmp_path / "outside.txt")
    (src / "huge.html").write_bytes(b"<p>" + b"x" * 3_000_000)
    p = search("index", str(src), "--index", str(tmp_path / "ix"), "--max-file-size", "2MB")
    assert p.returncode == 0, p.stderr
    warnings = p.stderr.decode().strip().splitlines()
    assert len(warnings) == 4 and all(w.startswith("warning: ") for w in warnings), warnings
    assert "1 added" in out(p) and "4 warnings" in out(p)
    assert [d["id"] for d in searchlib.Index.open(tmp_path / "ix").reader()] == ["ok.txt"]
    # named explicitly: the same checks, as errors
    p = search("index", str(src / "pipe.txt"), str(src / "zero.txt"), "--index", str(tmp_path / "ix"))
    assert p.returncode == 1
    assert [ln.split(": ", 2)[2] for ln in p.stderr.decode().strip().splitlines()] == [
        "a FIFO (named pipe), not a regular file", "a character device, not a regular file"]
