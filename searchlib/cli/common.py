"""What every command shares: errors, options, opening an index, printing."""
from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Callable, Iterator
from typing import Any

import click

import searchlib
from searchlib.errors import IndexNotFoundError, SearchlibError

DEFAULT_INDEX = "index"
INDEX_ENV = "SEARCHLIB_INDEX"
CONTEXT_SETTINGS: dict[str, Any] = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class Failure(click.ClickException):
    """A runtime error: printed as ``error: <message>``, exit status 1 (or ``exit_code``)."""

    exit_code = 1

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def one_line(text: str) -> str:
    return " ".join(str(text).split())


def _describe(exc: BaseException) -> str:
    """One line for an OSError or a library error."""
    if isinstance(exc, OSError) and exc.strerror:
        names = [n for n in (exc.filename, exc.filename2) if n]
        return one_line(f"{exc.strerror}: {' -> '.join(map(str, names))}" if names else exc.strerror)
    return one_line(str(exc)) or type(exc).__name__


class SearchGroup(click.Group):
    """Central error handling: library and OS errors become one ``error:`` line."""

    def invoke(self, ctx: click.Context) -> Any:
        debug = bool(ctx.params.get("debug"))
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            if debug:
                raise
            raise Failure("interrupted (work committed before the interruption is kept)", 130) from None
        except BrokenPipeError:
            # The reader of our output went away (``search query x | head -1``): stop quietly.
            _silence_stdout()
            raise click.exceptions.Exit(1) from None
        except (SearchlibError, OSError) as exc:
            if debug:
                raise
            raise Failure(_describe(exc)) from None
        except Exception as exc:  # noqa: BLE001 - the last resort: one line, not a traceback
            if debug:
                raise
            raise Failure(
                f"unexpected {type(exc).__name__}: {_describe(exc)} (rerun with 'search --debug ...' "
                "for the traceback, and please report it)"
            ) from None

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as exc:
            if type(exc).__name__ == "NoArgsIsHelpError":  # bare ``search``: the help, as it is
                click.echo(exc.format_message(), err=True)
                sys.exit(exc.exit_code)
            hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
            print_error(f"{one_line(exc.format_message())}{hint}")
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            print_error(one_line(exc.format_message()))
            sys.exit(exc.exit_code)
        except click.Abort:
            print_error("aborted")
            sys.exit(1)
        sys.exit(rv if isinstance(rv, int) else 0)


def print_error(message: str) -> None:
    try:
        click.echo(f"error: {message}", err=True)
    except (BrokenPipeError, ValueError):  # pragma: no cover - stderr closed
        pass


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # pragma: no cover - not a real file (tests)
        pass


# ------------------------------------------------------------------------------ shared helpers


class DashArgsCommand(click.Command):
    """A command whose positional arguments (a query, an id) may start with ``-``.

    ``--`` protects the command's positional arguments only: ``search query -- '-长沙 机场'
    --index news`` reads ``-长沙 机场`` as the query and still parses ``--index news`` (plain
    click would take every word after ``--`` as an argument)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if "--" in args:
            i = args.index("--")
            n = sum(1 for p in self.params if isinstance(p, click.Argument) and p.nargs == 1)
            protected, rest = args[i + 1 : i + 1 + n], args[i + 1 + n :]
            args = [*args[:i], *rest, "--", *protected]
        return super().parse_args(ctx, args)


def plural(n: int, noun: str, plural: str | None = None) -> str:
    return f"{n:,} {noun if n == 1 else (plural or noun + 's')}"


def index_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--index", "-i", "index_dir", default=DEFAULT_INDEX, envvar=INDEX_ENV, show_default=True,
        show_envvar=True, metavar="DIR", type=click.Path(file_okay=False),
        help=f"Index directory (environment variable {INDEX_ENV} sets the default).",
    )(f)


def json_option(what: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option("--json", "as_json", is_flag=True, help=f"Print {what} as one JSON object.")


def lock_timeout_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--lock-timeout", type=click.FloatRange(min=0), default=10.0, show_default=True, metavar="SECONDS",
        help="How long to wait for another writer to finish before giving up.",
    )(f)


def _debug() -> bool:
    ctx = click.get_current_context(silent=True)
    return bool(ctx is not None and ctx.find_root().params.get("debug"))


def open_index(index_dir: str) -> searchlib.Index:
    try:
        return searchlib.Index.open(index_dir)
    except IndexNotFoundError:
        if _debug():
            raise
        raise Failure(
            f"no index at {index_dir}; create one with 'search index PATH... --index {index_dir}'"
        ) from None


def is_sharded(index_dir: str) -> bool:
    """True when ``index_dir`` holds a sharded index (``shards.json``)."""
    return os.path.isfile(os.path.join(index_dir, "shards.json"))


@contextlib.contextmanager
def dask_client(scheduler: str | None) -> Iterator[Any]:
    """A Dask client for ``--scheduler`` (closed afterwards; a local cluster is stopped), or None."""
    if scheduler is None:
        yield None
        return
    from searchlib.distributed import start_client

    client, cluster = start_client(scheduler)
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def scheduler_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--scheduler", metavar="ADDRESS|local[:N]", default=None,
        help="Run on a Dask cluster: a scheduler address (tcp://host:8786), or 'local:N' for N local worker "
             "processes (sharded indexes; needs searchlib[dask]).",
    )(f)


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=None))


def stdout_color() -> bool:
    from searchlib.highlight import color_enabled

    return color_enabled(sys.stdout)


def stdin_bytes() -> Any:
    return getattr(sys.stdin, "buffer", sys.stdin)


def plain(text: str) -> str:
    """``text`` made safe to print: control characters other than newline and tab (escape
    sequences) are shown as U+FFFD, so printing a document cannot drive the terminal."""
    from searchlib.highlight.format import format_text

    return format_text([(text, False)])


def line_of(text: str) -> str:
    """:func:`plain` for a place that holds one line (a title, an id, a field's value or name):
    line breaks show as ``↵``, so a document cannot print lines that look like output of ours."""
    if "\n" in text or "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "↵")
    return plain(text)


def read_input(path: str) -> tuple[str, str]:
    """(raw text, kind) of FILE or ``-`` for ``clean``: ``html`` for .html/.htm files and for
    standard input that starts like an HTML page."""
    from searchlib.analysis.html import looks_like_html
    from searchlib.ingest import Source, kind_of, read_source

    kind = "text" if path == "-" else (kind_of(path) or "text")
    source = Source(None if path == "-" else path, kind, os.path.basename(path))
    text = read_source(source, stdin_bytes())
    if kind == "text" and looks_like_html(text):
        kind = "html"
    return text, kind


class SizeParam(click.ParamType):
    """A size in bytes written as ``500k``, ``20MB`` or a plain number."""

    name = "size"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        from searchlib.inputs import parse_size

        try:
            return parse_size(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


def human_size(n: int) -> str:
    size = float(n)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{n:,} bytes" if unit == "bytes" else f"{size:.1f} {unit} ({n:,} bytes)"
        size /= 1024
    return f"{n:,} bytes"  # pragma: no cover
