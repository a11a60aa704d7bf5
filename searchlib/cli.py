"""The ``search`` command: argument parsing and printing over the public library.

Every command calls the library (``searchlib.Index``, ``searchlib.ingest``, ``searchlib.clean``,
``searchlib.analyze``) and prints; no search logic lives here. This is the only module that
imports click.

Errors: one line on stderr, ``error: ...``. Exit status 0 on success, 1 for a runtime error
(missing, locked or damaged index, a malformed query, an unreadable input, a document id that
does not exist; ``search index`` also when some inputs were skipped), 2 for a usage error (bad
option or argument), 130 when interrupted. ``search --debug COMMAND`` shows the traceback instead.
"""
from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import click

import searchlib
from searchlib.errors import IndexNotFoundError, SearchlibError

__all__ = ["cli", "main"]

DEFAULT_INDEX = "index"
INDEX_ENV = "SEARCHLIB_INDEX"
CONTEXT_SETTINGS: dict[str, Any] = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class Failure(click.ClickException):
    """A runtime error: printed as ``error: <message>``, exit status 1 (or ``exit_code``)."""

    exit_code = 1

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _describe(exc: BaseException) -> str:
    """One line for an OSError or a library error."""
    if isinstance(exc, OSError) and exc.strerror:
        names = [n for n in (exc.filename, exc.filename2) if n]
        return _one_line(f"{exc.strerror}: {' -> '.join(map(str, names))}" if names else exc.strerror)
    return _one_line(str(exc)) or type(exc).__name__


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
            _error(f"{_one_line(exc.format_message())}{hint}")
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            _error(_one_line(exc.format_message()))
            sys.exit(exc.exit_code)
        except click.Abort:
            _error("aborted")
            sys.exit(1)
        sys.exit(rv if isinstance(rv, int) else 0)


def _error(message: str) -> None:
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


def _plural(n: int, noun: str, plural: str | None = None) -> str:
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


def _open(index_dir: str) -> searchlib.Index:
    try:
        return searchlib.Index.open(index_dir)
    except IndexNotFoundError:
        if _debug():
            raise
        raise Failure(
            f"no index at {index_dir}; create one with 'search index PATH... --index {index_dir}'"
        ) from None


def _sharded(index_dir: str) -> bool:
    """True when ``index_dir`` holds a sharded index (``shards.json``)."""
    return os.path.isfile(os.path.join(index_dir, "shards.json"))


@contextlib.contextmanager
def _cluster(scheduler: str | None) -> Iterator[Any]:
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


def _print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=None))


def _stdout_color() -> bool:
    from searchlib.highlight import color_enabled

    return color_enabled(sys.stdout)


def _stdin_bytes() -> Any:
    return getattr(sys.stdin, "buffer", sys.stdin)


def _plain(text: str) -> str:
    """``text`` made safe to print: control characters other than newline and tab (escape
    sequences) are shown as U+FFFD, so printing a document cannot drive the terminal."""
    from searchlib.highlight.format import format_text

    return format_text([(text, False)])


def _read_input(path: str) -> tuple[str, str]:
    """(raw text, kind) of FILE or ``-`` for ``clean``: ``html`` for .html/.htm files and for
    standard input that starts like an HTML page."""
    from searchlib.analysis.html import looks_like_html
    from searchlib.ingest import Source, kind_of, read_source

    kind = "text" if path == "-" else (kind_of(path) or "text")
    source = Source(None if path == "-" else path, kind, os.path.basename(path))
    text = read_source(source, _stdin_bytes())
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


def _size(n: int) -> str:
    size = float(n)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{n:,} bytes" if unit == "bytes" else f"{size:.1f} {unit} ({n:,} bytes)"
        size /= 1024
    return f"{n:,} bytes"  # pragma: no cover


# ------------------------------------------------------------------------------ the group


@click.group(cls=SearchGroup, context_settings=CONTEXT_SETTINGS, epilog="""\b
Examples:
  search index corpus/pages/ --index news-index
  search query '长沙 工程机械' --index news-index
  search clean page.txt --explain

Exit status: 0 ok, 1 runtime error, 2 usage error, 130 interrupted.""")
@click.version_option(searchlib.__version__, "--version", "-V", prog_name="search",
                      message="%(prog)s (searchlib) %(version)s")
@click.option("--debug", is_flag=True, help="Show the full traceback when something fails.")
def cli(debug: bool) -> None:
    """Full-text search for mixed Chinese / English / Indonesian news.

    Index text, Markdown, HTML and JSON Lines files, then query them with ranked, highlighted
    results. A Simplified Chinese query also finds Traditional text.
    """


# ------------------------------------------------------------------------------ index


@cli.command("index", epilog="""\b
Examples:
  search index corpus/pages/                   # a folder (recursive); ids: relative paths
  search index a.txt b.html docs.jsonl --index news-index
  curl -s https://example.com/a | search index - --id example-a --stdin-format html
  search index big.jsonl --json                # machine-readable summary

\b
Inputs: .txt .md .markdown (raw pages), .html .htm (converted to text), .jsonl (one
object per line: "id", "title", "body", extra string fields). Folders are walked in
sorted order, hidden files skipped, other extensions ignored. Raw pages are cleaned of
boilerplate (menus, bylines, share bars...) unless --no-clean: then the title is the first
non-empty line and the body the whole text. Lines repeated across many pages of one run
are learned as site templates and removed too (--no-learn turns that off). JSON Lines documents are indexed as given.
A folder is mirrored: re-indexing it updates changed files, skips unchanged ones and
deletes the documents of files that left it (--no-prune keeps them); ids are paths
relative to the indexed folder, also when a subfolder is indexed later. Only regular
files inside the folder are read: links leaving it (--follow-links to read them), FIFOs,
devices and files over --max-file-size are skipped with a warning. A bad input is
reported on one line and skipped; everything else is committed (exit status 1 if any
input had an error).""")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, allow_dash=True))
@index_option
@click.option("--no-clean", is_flag=True, help="Index raw pages as they are (no boilerplate filtering).")
@click.option("--no-learn", is_flag=True, help="Do not learn site templates from the pages of this run.")
@click.option("--id", "stdin_id", default="stdin", show_default=True, help="Document id for a page read from stdin ('-').")
@click.option("--stdin-format", type=click.Choice(["text", "html", "jsonl"]), default="text", show_default=True,
              help="What '-' (stdin) holds.")
@click.option("--commit-every", type=click.IntRange(min=1), default=None, metavar="N",
              help="Commit every N documents (default 10000): an interruption loses at most N.")
@click.option("--no-prune", is_flag=True, help="Keep the documents of files that left an indexed folder.")
@click.option("--follow-links", is_flag=True, help="Read symbolic links that lead out of a folder.")
@click.option("--max-file-size", type=SizeParam(), default="20MB", show_default=True, metavar="SIZE",
              help="Skip pages larger than this (and JSON Lines lines longer than this): 500k, 20MB, 1GB.")
@lock_timeout_option
@click.option("--shards", type=click.IntRange(min=1, max=4096), default=None, metavar="N",
              help="Build a sharded index of N shards (documents routed by id; shards built in parallel).")
@scheduler_option
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary (errors still print).")
@json_option("the summary")
def index_cmd(paths: tuple[str, ...], index_dir: str, no_clean: bool, no_learn: bool, stdin_id: str, stdin_format: str,
              commit_every: int | None, no_prune: bool, follow_links: bool, max_file_size: int,
              lock_timeout: float, shards: int | None, scheduler: str | None, quiet: bool, as_json: bool) -> None:
    """Add files, folders, JSON Lines or stdin to the index (created if missing)."""
    from searchlib.ingest import COMMIT_EVERY, Problem, Progress, discover, ingest

    if shards is not None or scheduler is not None or _sharded(index_dir):
        _index_sharded(paths, index_dir, shards, scheduler, not no_clean, not no_learn, lock_timeout, quiet, as_json)
        return
    if paths.count("-") > 1:
        raise click.BadParameter("'-' (stdin) can be given only once", param_hint="PATHS")
    sources = discover(paths, stdin_id=stdin_id, stdin_kind=stdin_format, follow_links=follow_links,
                       max_file_size=max_file_size)
    ix = searchlib.Index.create(index_dir, exist_ok=True)  # opens it when it exists (idempotent under the lock)
    show_bar = not quiet and not as_json and bool(sources.sources) and _isatty(sys.stderr)

    def on_error(p: Problem) -> None:
        click.echo(("\r\x1b[K" if show_bar else "") + f"error: {_one_line(p.message)}", err=True)

    def on_warning(p: Problem) -> None:
        if not quiet:
            click.echo(("\r\x1b[K" if show_bar else "") + f"warning: {_one_line(p.message)}", err=True)

    options: dict[str, Any] = {"clean": not no_clean, "learn": not no_learn, "commit_every": commit_every or COMMIT_EVERY,
                               "on_error": on_error, "on_warning": on_warning, "lock_timeout": lock_timeout,
                               "stdin": _stdin_bytes(), "prune": not no_prune, "max_file_size": max_file_size}
    with ix:
        if show_bar:
            def show(p: Progress | None) -> str:
                if p is None:
                    return ""
                if p.phase == "committing":
                    return f"{p.summary.documents:,} docs read, committing..."
                return f"{p.summary.documents:,} docs read, {p.summary.docs_per_second:,.0f} docs/s"

            with click.progressbar(length=len(sources), label="indexing", file=sys.stderr, show_pos=True,
                                   item_show_func=show) as bar:
                done = 0

                def progress(p: Progress) -> None:
                    nonlocal done
                    bar.update(p.done - done, p)
                    done = p.done

                summary = ingest(ix, sources, progress=progress, **options)
        else:
            summary = ingest(ix, sources, **options)
        total = len(ix)
    if as_json:
        _print_json({**summary.to_dict(), "index": index_dir, "index_documents": total})
    elif not quiet:
        if not sources.sources:
            click.echo("warning: no indexable files found (.txt .md .markdown .html .htm .jsonl)", err=True)
        rate = f", {summary.docs_per_second:,.0f} docs/s" if summary.documents else ""
        click.echo(
            f"{_plural(summary.documents, 'document')} from {_plural(summary.sources, 'input')} in {summary.seconds:.2f} s{rate}: "
            f"{summary.added:,} added, {summary.updated:,} updated, {summary.skipped:,} skipped (unchanged), "
            + (f"{summary.deleted:,} deleted (files gone), " if summary.deleted else "")
            + f"{_plural(len(summary.errors), 'error')}"
            + (f", {_plural(len(summary.warnings), 'warning')}" if summary.warnings else "")
            + (f", {_plural(summary.ignored, 'file')} ignored (other extension or empty)" if summary.ignored else "")
            + f". Index {index_dir}: {_plural(total, 'document')}."
        )
    if summary.errors:
        raise click.exceptions.Exit(1)


def _index_sharded(paths: tuple[str, ...], index_dir: str, shards: int | None, scheduler: str | None, clean: bool,
                   learn: bool, lock_timeout: float, quiet: bool, as_json: bool) -> None:
    from searchlib.distributed import build_shards

    if shards is None and not _sharded(index_dir):
        raise click.BadParameter("a new sharded index needs --shards N", param_hint="'--scheduler'")
    if os.path.exists(os.path.join(index_dir, "manifest.json")):
        raise Failure(f"{index_dir} holds an unsharded index; build the sharded one in another folder")
    with _cluster(scheduler) as client:
        summary = build_shards(client, list(paths), index_dir, shards=shards, clean=clean, learn=learn,
                               lock_timeout=lock_timeout)
    for _, message in summary.errors:
        click.echo(f"error: {_one_line(message)}", err=True)
    if as_json:
        _print_json({**summary.to_dict(), "index": index_dir, "index_documents": sum(summary.shard_docs)})
    elif not quiet:
        rate = f", {summary.documents / summary.seconds:,.0f} docs/s" if summary.seconds > 0 and summary.documents else ""
        click.echo(
            f"{summary.documents:,} documents in {summary.seconds:.2f} s{rate} on {summary.workers} "
            f"worker{'' if summary.workers == 1 else 's'}: {summary.added:,} added, {summary.updated:,} updated, "
            f"{summary.skipped:,} skipped (unchanged), {len(summary.errors):,} errors"
            + (f", {summary.ignored:,} files ignored" if summary.ignored else "")
            + f". Sharded index {index_dir}: {sum(summary.shard_docs):,} documents in {summary.shards} shards "
            f"({', '.join(f'{n:,}' for n in summary.shard_docs)})."
        )
    if summary.errors:
        raise click.exceptions.Exit(1)


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


# ------------------------------------------------------------------------------ query


@cli.command("query", cls=DashArgsCommand, epilog="""\b
Examples:
  search query '长沙 工程机械'                 # Simplified also finds Traditional (長沙)
  search query '"产业集群" -长沙' --limit 5
  search query '长沙 source:新华社 date:>=2024-01' --sort -date
  search query '' --filter source=新华社 --since 2024-04 --facet tags
  search query 'title:excavator*' --json
  search query '长沙 机场' --collapse duplicates   # one hit per story, reposts folded
  search query ekspor --field body --format html

\b
Syntax: words (OR by default), "phrases", AND / OR / NOT, +must -exclude,
title:word, prefix*, word^2 (boost), word~1 (fuzzy), "a b"~3 (slop); pinyin
(changsha) also finds 长沙; field filters source:新华社,
tags:(经济 OR 湖南), date:2024-04-19, date:[2024-01-01 TO 2024-03-31],
date:>=now-7d, views:>1000 narrow the other words. A query starting with
'-' goes after '--': search query -- '-长沙 机场'. An empty query with
--filter/--sort/--facet lists matching documents. Snippets mark matches in
colour on a terminal (not when piped or NO_COLOR is set), with **...** in
text and <mark> in html.""")
@click.argument("query")
@index_option
@click.option("--limit", "-n", type=click.IntRange(min=0), default=10, show_default=True, help="Hits to show.")
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True, help="Hits to skip (paging).")
@click.option("--field", "-f", "fields", multiple=True, metavar="FIELD",
              help="Search only this text field (repeatable; default: all text fields).")
@click.option("--filter", "filters", multiple=True, metavar="FIELD=VALUE",
              help="Only documents with this value (repeatable; a repeated field means any of; also FIELD>=VALUE, FIELD<VALUE...).")
@click.option("--since", metavar="DATE", help="Only documents dated on or after DATE (2024, 2024-04, 2024-04-19, now-7d).")
@click.option("--until", metavar="DATE", help="Only documents dated up to the end of DATE.")
@click.option("--sort", "sort", multiple=True, metavar="[-]FIELD",
              help="Order by a field (repeatable; '-' for descending; _score is the default).")
@click.option("--facet", "facets", multiple=True, metavar="FIELD",
              help="Count matching documents per value of FIELD (repeatable; date:month, date:day, date:year).")
@click.option("--collapse", metavar="FIELD|duplicates",
              help="One hit per value of a keyword field, or 'duplicates': one hit per near-duplicate cluster.")
@click.option("--after", metavar="CURSOR", help="Continue after the last hit of a previous page (its next_cursor).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), metavar="SECONDS",
              help="Stop scoring after SECONDS and show the best hits found so far.")
@click.option("--format", "fmt", type=click.Choice(["text", "html", "ansi"]), default=None,
              help="Snippet format [default: ansi on a terminal, else text].")
@click.option("--no-assist", is_flag=True,
              help="No query assistance: no pinyin matches, typo tolerance, suggestion or ~ syntax.")
@scheduler_option
@click.option("--allow-partial", is_flag=True,
              help="Sharded index: answer from the reachable shards when some stay unreachable (flagged partial).")
@json_option("the results")
def query_cmd(query: str, index_dir: str, limit: int, offset: int, fields: tuple[str, ...], filters: tuple[str, ...],
              since: str | None, until: str | None, sort: tuple[str, ...], facets: tuple[str, ...], collapse: str | None,
              after: str | None, timeout: float | None, fmt: str | None, no_assist: bool, scheduler: str | None,
              allow_partial: bool, as_json: bool) -> None:
    """Search the index (or a sharded index): ranked hits with title, id, score and a highlighted snippet."""
    with contextlib.ExitStack() as stack:
        extra: dict[str, Any] = {"assist": False} if no_assist else {}
        if _sharded(index_dir):
            from searchlib.distributed import ShardedIndex

            client = stack.enter_context(_cluster(scheduler))
            ix: Any = stack.enter_context(ShardedIndex.open(index_dir, client=client))
            extra["allow_partial"] = allow_partial
        elif scheduler is not None:
            raise Failure(f"--scheduler searches a sharded index, and {index_dir} holds none "
                          f"(build one with 'search index PATH... --shards N --index DIR')")
        else:
            ix = stack.enter_context(_open(index_dir))
        _query(ix, query, index_dir, limit, offset, fields, filters, since, until, sort, facets, collapse, after,
               timeout, fmt, as_json, extra)


def _query(ix: Any, query: str, index_dir: str, limit: int, offset: int, fields: tuple[str, ...],
           filters: tuple[str, ...], since: str | None, until: str | None, sort: tuple[str, ...],
           facets: tuple[str, ...], collapse: str | None, after: str | None, timeout: float | None,
           fmt: str | None, as_json: bool, extra: dict[str, Any]) -> None:
    from searchlib.query.fieldvalues import parse_filter_args

    text_fields = tuple(ix.schema.text_fields)
    unknown = [f for f in fields if f not in text_fields]
    if unknown:
        raise click.BadParameter(
            f"{unknown[0]!r} is not a text field of this index (text fields: {', '.join(text_fields)})",
            param_hint="'--field'",
        )
    filt = parse_filter_args(list(filters), since, until)
    sort_keys = [k.strip() for item in sort for k in item.split(",") if k.strip()]
    results = ix.search(query, limit=limit, offset=offset, fields=list(fields) or None, filter=filt or None,
                        sort=sort_keys or None, facets=list(facets) or None, collapse=collapse, after=after,
                        timeout=timeout, **extra)
    if not results.parsed:  # the query reduced to nothing: empty, '*', only operators or punctuation
        click.echo(f"hint: {query!r} has nothing to search for (no words: only operators, punctuation or "
                   "a bare '*'); search for words, \"phrases\" or prefix*, or list documents with --filter, "
                   "--sort or --facet (see 'search query --help')", err=True)
    snippet_field = "body" if not fields or "body" in fields else fields[0]
    if as_json:
        data = results.to_dict()
        if fmt == "html":
            for hit, out in zip(results, data["hits"]):
                out["snippet"] = hit.snippet("body", format="html")
        _print_json(data)
        return
    color = fmt == "ansi" or (fmt is None and _stdout_color())
    fmt = fmt or ("ansi" if color else "text")
    for hit in results:
        title = _plain(str(hit.fields.get("title") or "")) or "(untitled)"
        click.echo(f"{hit.rank:>3}. " + click.style(title, bold=True), color=color)
        meta = [_plain(hit.id), f"score {hit.score:.3f}"]
        for key in ("date", "source"):
            if hit.fields.get(key):
                meta.append(_plain(str(hit.fields[key])))
        if collapse is not None and hit.collapsed:
            noun = "cop" + ("y" if hit.collapsed == 1 else "ies") if collapse == "duplicates" else "more like it"
            meta.append(f"+{hit.collapsed:,} {noun}")
        click.echo("     " + click.style("  ".join(meta), dim=True), color=color)
        snippet = hit.snippet(snippet_field, format=fmt, color=color if fmt == "ansi" else None)
        if snippet:
            click.echo("     " + snippet.replace("\n", " "), color=color)
        click.echo("")
    _print_facets(results.facets)
    if results.suggestion:
        click.echo(f"Did you mean: {_plain(results.suggestion)}")
    shown = f"showing {offset + 1}-{offset + len(results)}" if len(results) else "none shown"
    noun = "hit" if results.total == 1 else "hits"
    extra = f", {results.groups:,} groups" if results.groups is not None else ""
    partial = "; timed out: partial results" if results.timed_out else ""
    if getattr(results, "partial", False):
        partial += f"; shards {', '.join(map(str, results.failed_shards))} unreachable: partial results"
    click.echo(f"{results.total:,} {noun}{extra} for {query!r} ({shown}; {results.took_ms:.1f} ms{partial})")
    if results.next_cursor and len(results) == limit:
        click.echo(f"next page: --after {results.next_cursor}")


@cli.command("complete", epilog="""\b
Examples:
  search complete 株                # 株洲, 株洲市, ...
  search complete changs            # pinyin: 长沙, 长沙市, ...
  search complete cs --limit 5      # initials: 长沙, ...
  search complete indo --json""")
@click.argument("prefix")
@index_option
@click.option("--limit", "-n", type=click.IntRange(min=0), default=10, show_default=True, help="Completions to show.")
@click.option("--no-titles", is_flag=True, help="Words only, no document titles.")
@json_option("the completions")
def complete_cmd(prefix: str, index_dir: str, limit: int, no_titles: bool, as_json: bool) -> None:
    """Autocomplete PREFIX: words and titles of the index, most useful first (Han, Latin,
    pinyin and initials prefixes)."""
    with _open(index_dir) as ix:
        t0 = time.perf_counter()
        items = ix.complete(prefix, limit=limit, titles=not no_titles)
        took_ms = (time.perf_counter() - t0) * 1000.0
    if as_json:
        _print_json({"prefix": prefix, "completions": items, "took_ms": round(took_ms, 3)})
        return
    for item in items:
        click.echo(_plain(item))


def _print_facets(facets: dict[str, list[tuple[Any, int]]]) -> None:
    """A compact table: one line per facet, the values with their counts."""
    if not facets:
        return
    width = max(len(name) for name in facets)
    for name, items in facets.items():
        values = "  ".join(f"{_plain(str(v))} {c:,}" for v, c in items) or "(none)"
        click.echo(f"{name:<{width}}  {values}")
    click.echo("")


# ------------------------------------------------------------------------------ near-duplicates


def _threshold_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--threshold", type=click.FloatRange(min=0, max=1, min_open=True), default=None, metavar="T",
        help="Estimated share of shared text (Jaccard similarity, 0-1] that makes two documents near-duplicates "
             "[default: the library's tuned value].",
    )(f)


@cli.command("dupes", epilog="""\b
Examples:
  search dupes                          # every cluster of reposts, largest first
  search dupes --min-size 5 --limit 20
  search dupes --json""")
@index_option
@click.option("--min-size", type=click.IntRange(min=2), default=2, show_default=True, metavar="N",
              help="Only clusters of at least N documents.")
@click.option("--limit", "-n", type=click.IntRange(min=0), default=None, metavar="N", help="Show at most N clusters.")
@_threshold_option
@json_option("the clusters")
def dupes_cmd(index_dir: str, min_size: int, limit: int | None, threshold: float | None, as_json: bool) -> None:
    """List clusters of near-duplicate documents (reposts of one text)."""
    with _open(index_dir) as ix:
        clusters = ix.clusters(min_size=min_size, threshold=threshold)
        shown = clusters if limit is None else clusters[:limit]
        if as_json:
            _print_json({"index": index_dir, "clusters": len(clusters),
                         "documents": sum(len(c) for c in clusters),
                         "shown": [{"size": len(c), "ids": c} for c in shown]})
            return
        for n, members in enumerate(shown, start=1):
            first = ix.get(members[0]) or {}
            title = _plain(str(first.get("title") or "")) or _plain(str(first.get("body") or ""))[:60] or "(untitled)"
            click.echo(f"{n:>3}. {len(members)} documents  {title}")
            click.echo("     " + "  ".join(_plain(m) for m in members))
    total = sum(len(c) for c in clusters)
    more = f" (showing {len(shown):,})" if len(shown) < len(clusters) else ""
    click.echo(f"{len(clusters):,} cluster{'' if len(clusters) == 1 else 's'} of near-duplicates, "
               f"{total:,} documents{more}")


@cli.command("similar", epilog="""\b
Examples:
  search similar zh-hans-01.txt
  search similar pd-1042 --limit 5 --json""")
@click.argument("doc_id", metavar="ID")
@index_option
@click.option("--limit", "-n", type=click.IntRange(min=0), default=10, show_default=True, help="Hits to show.")
@_threshold_option
@json_option("the results")
def similar_cmd(doc_id: str, index_dir: str, limit: int, threshold: float | None, as_json: bool) -> None:
    """Documents most similar in content to ID: its reposts first, then the same subject."""
    with _open(index_dir) as ix:
        if doc_id not in ix:
            raise Failure(f"no document with id {doc_id!r} in {index_dir}")
        results = ix.similar(doc_id, limit=limit, threshold=threshold)
        if as_json:
            data = results.to_dict()
            data["id"] = doc_id
            _print_json(data)
            return
        color = _stdout_color()
        for hit in results:
            title = _plain(str(hit.fields.get("title") or "")) or "(untitled)"
            click.echo(f"{hit.rank:>3}. " + click.style(title, bold=True), color=color)
            sim = hit.extra.get("similarity", 0.0)
            label = f"near-duplicate, {sim:.0%} shared" if sim >= (threshold or _default_threshold()) else f"{sim:.0%} shared text"
            click.echo("     " + click.style(f"{_plain(hit.id)}  score {hit.score:.3f}  {label}", dim=True), color=color)
            snippet = hit.snippet("body", format="ansi" if color else "text", color=color)
            if snippet:
                click.echo("     " + snippet.replace("\n", " "), color=color)
            click.echo("")
        click.echo(f"{len(results):,} similar document{'' if len(results) == 1 else 's'} to {doc_id!r} "
                   f"({results.took_ms:.1f} ms)")


def _default_threshold() -> float:
    from searchlib.query.duplicates import DEFAULT_THRESHOLD

    return DEFAULT_THRESHOLD


# ------------------------------------------------------------------------------ show / delete


@cli.command("show", cls=DashArgsCommand, epilog="""\b
Examples:
  search show zh-hant-01.txt
  search show labels/a.txt --json""")
@click.argument("doc_id", metavar="ID")
@index_option
@json_option("the stored fields")
def show_cmd(doc_id: str, index_dir: str, as_json: bool) -> None:
    """Print the stored fields of one document."""
    with _open(index_dir) as ix:
        doc = ix.get(doc_id)
    if doc is None:
        raise Failure(f"no document with id {doc_id!r} in {index_dir}")
    if as_json:
        _print_json(doc)
        return
    color = _stdout_color()
    for name, value in doc.items():
        if name != "body":
            click.echo(click.style(f"{name}:", bold=True) + f" {_plain(value)}", color=color)
    if "body" in doc:
        click.echo("")
        click.echo(_plain(doc["body"]))


@cli.command("delete", epilog="""\b
Examples:
  search delete en-01.txt
  search delete a.txt b.txt --index news-index""")
@click.argument("doc_ids", nargs=-1, required=True, metavar="ID...")
@index_option
@lock_timeout_option
def delete_cmd(doc_ids: tuple[str, ...], index_dir: str, lock_timeout: float) -> None:
    """Delete documents by id (exit status 1 if some id was not found)."""
    with _open(index_dir) as ix:
        with ix.writer(workers=1, lock_timeout=lock_timeout) as w:
            missing = [d for d in doc_ids if not w.delete(d)]
        remaining = len(ix)
    deleted = len(doc_ids) - len(missing)
    click.echo(f"deleted {deleted:,} document{'s' if deleted != 1 else ''}; {remaining:,} remain in {index_dir}")
    for d in missing:
        _error(f"no document with id {d!r} in {index_dir}")
    if missing:
        raise click.exceptions.Exit(1)


# ------------------------------------------------------------------------------ stats / optimize / check


@cli.command("stats", epilog="""\b
Examples:
  search stats
  search stats --index news-index --json""")
@index_option
@json_option("the statistics")
def stats_cmd(index_dir: str, as_json: bool) -> None:
    """Documents, segments, terms, size and analyzer of the index."""
    with _open(index_dir) as ix:
        stats = ix.stats()
    if as_json:
        _print_json({"index": index_dir, **stats})
        return
    a = stats.get("analyzer") or {}
    options = [k for k in ("t2s", "strip_pinyin", "hmm") if a.get(k)]
    analyzer = (f"{a.get('name', '?')} v{a.get('version', '?')} ({', '.join(options) or 'no options'}; "
                f"stemmer: {a.get('stemmer') or 'none'}; user words: {len(a.get('user_words') or [])})")
    rows = [
        ("index", index_dir),
        ("documents", f"{stats['documents']:,}"),
        ("deleted", f"{stats.get('deleted', 0):,}"),
        ("segments", f"{stats['segments']:,}"),
        ("terms", f"{stats['terms']:,}"),
        ("size", _size(int(stats["size_bytes"]))),
        ("generation", str(stats.get("generation", "?"))),
        ("analyzer", analyzer),
    ]
    for name, value in rows:
        click.echo(f"{name:<11} {value}")
    values = stats.get("field_values") or {}
    if values:
        click.echo("fields")
        width = max(len(n) for n in values)
        for name, info in values.items():
            distinct = f", {info['distinct']:,} distinct" if "distinct" in info else ""
            docs = info["documents"]
            click.echo(f"  {_plain(name):<{width}}  {info['kind']:<8} {docs:,} document{'' if docs == 1 else 's'}{distinct}")


@cli.command("optimize", epilog="""\b
Examples:
  search optimize --index news-index
  search optimize --json""")
@index_option
@lock_timeout_option
@json_option("the result")
def optimize_cmd(index_dir: str, lock_timeout: float, as_json: bool) -> None:
    """Merge all segments into one and purge deleted documents."""
    with _open(index_dir) as ix:
        before = ix.stats()
        t0 = time.perf_counter()
        ix.optimize(lock_timeout=lock_timeout)
        after = ix.stats()
    seconds = time.perf_counter() - t0
    if as_json:
        _print_json({"index": index_dir, "segments_before": before["segments"], "segments": after["segments"],
                     "purged": before.get("deleted", 0), "documents": after["documents"],
                     "size_bytes": after["size_bytes"], "generation": after["generation"],
                     "seconds": round(seconds, 3)})
        return
    click.echo(
        f"optimized {index_dir}: {_plural(before['segments'], 'segment')} -> {after['segments']}, "
        f"{_plural(before.get('deleted', 0), 'deleted document')} purged, "
        f"{_size(int(after['size_bytes']))} ({seconds:.2f} s)"
    )


@cli.command("check", epilog="""\b
Example:
  search check --index news-index""")
@index_option
@json_option("the result")
def check_cmd(index_dir: str, as_json: bool) -> None:
    """Verify every checksum and structure of the index (exit status 1 if damaged)."""
    with _open(index_dir) as ix:
        result = ix.check()
    if as_json:
        _print_json({"index": index_dir, "ok": True, **result})
    else:
        click.echo(f"ok: {index_dir}: " + ", ".join(f"{k} {v:,}" if isinstance(v, int) else f"{k} {v}"
                                                     for k, v in result.items()))


# ------------------------------------------------------------------------------ explain


@cli.command("explain", cls=DashArgsCommand, epilog="""\b
Example:
  search explain '长沙 机场' zh-hant-01.txt""")
@click.argument("query")
@click.argument("doc_id", metavar="ID")
@index_option
@json_option("the explanation tree")
def explain_cmd(query: str, doc_id: str, index_dir: str, as_json: bool) -> None:
    """Why document ID gets its score for QUERY (the BM25F computation, term by term)."""
    with _open(index_dir) as ix:
        if doc_id not in ix:
            raise Failure(f"no document with id {doc_id!r} in {index_dir}")
        explanation = ix.explain(query, doc_id)
    if as_json:
        _print_json(explanation.to_dict())
    else:
        click.echo(str(explanation))


# ------------------------------------------------------------------------------ clean / tokenize


_DECISION = {True: "keep", False: "drop"}


@cli.command("clean", epilog="""\b
Examples:
  search clean page.txt                 # the article text only
  search clean page.html --explain      # every line: keep/drop and why
  cat page.txt | search clean - --json""")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("--explain", is_flag=True, help="Show every line with its decision (keep/drop) and reason.")
@json_option("the cleaned text, metadata and every line's decision")
def clean_cmd(file: str, explain: bool, as_json: bool) -> None:
    """Remove boilerplate (navigation, bylines, share bars, ...) from a raw page."""
    text, kind = _read_input(file)
    cleaned = searchlib.clean_html(text) if kind == "html" else searchlib.clean(text)
    if as_json:
        _print_json({
            "text": cleaned.text,
            "metadata": dict(cleaned.metadata),
            "lines": [{"line": n, "text": ln.text, "kept": ln.kept, "reason": ln.reason, "start": ln.start, "end": ln.end}
                      for n, ln in enumerate(cleaned.lines, start=1)],
        })
        return
    if not explain:
        click.echo(_plain(cleaned.text))
        return
    color = _stdout_color()
    width = max((len(ln.reason) for ln in cleaned.lines), default=7)
    for n, ln in enumerate(cleaned.lines, start=1):
        if not ln.text:
            continue
        head = f"{n:>4} {_DECISION[ln.kept]} {ln.reason:<{width}}  "
        line = head + _plain(ln.text)
        click.echo(line if ln.kept else click.style(line, dim=True), color=color)
    kept = sum(1 for ln in cleaned.lines if ln.kept and ln.text)
    nonempty = sum(1 for ln in cleaned.lines if ln.text)
    click.echo(f"-- kept {kept} of {nonempty} lines")
    for key, value in cleaned.metadata.items():
        click.echo(f"-- {key}: {_plain(value)}")


@cli.command("tokenize", cls=DashArgsCommand, epilog="""\b
Examples:
  search tokenize '長沙工程機械 exports grew'
  search tokenize '长沙工程机械' --mode query --json""")
@click.argument("text")
@click.option("--mode", type=click.Choice(["index", "query"]), default="index", show_default=True,
              help="index: every word and sub-word the index stores; query: how a query is cut.")
@click.option("--index", "-i", "index_dir", default=None, metavar="DIR", type=click.Path(file_okay=False),
              help="Use the analyzer this index was built with (default: the standard analyzer).")
@json_option("the tokens")
def tokenize_cmd(text: str, mode: str, index_dir: str | None, as_json: bool) -> None:
    """Show how TEXT is analyzed: terms with positions and offsets into TEXT ('-': stdin)."""
    if text == "-":
        text = _read_input("-")[0]
    if index_dir is not None:
        with _open(index_dir) as ix:
            tokens = ix.analyzer.analyze(text, mode=mode)
    else:
        tokens = searchlib.analyze(text, mode=mode)
    if as_json:
        _print_json({"text": text, "mode": mode, "tokens": [
            {"text": t.text, "start": t.start, "end": t.end, "position": t.position, "original": text[t.start:t.end]}
            for t in tokens]})
        return
    for t in tokens:
        original = text[t.start:t.end]
        shown = _plain(t.text) + ("" if original == t.text else f"  ({_plain(original)})")
        click.echo(f"{t.position:>5}  {t.start:>5}-{t.end:<5}  {shown}")


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``search`` console script."""
    cli.main(args=argv, prog_name="search")


if __name__ == "__main__":
    main()
