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

import json
import os
import sys
import time
from collections.abc import Callable
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
    """(text, kind) of FILE or ``-`` for ``clean``; HTML converted to text."""
    from searchlib.ingest import Source, html_to_text, kind_of, read_source

    kind = "text" if path == "-" else (kind_of(path) or "text")
    source = Source(None if path == "-" else path, kind, os.path.basename(path))
    text = read_source(source, _stdin_bytes())
    if kind == "html":
        text = html_to_text(text).text
    return text, kind


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
Re-indexing updates changed documents and skips unchanged ones. A bad input is reported
on one line and skipped; everything else is committed (exit status 1 if any was skipped).""")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, allow_dash=True))
@index_option
@click.option("--no-clean", is_flag=True, help="Index raw pages as they are (no boilerplate filtering).")
@click.option("--no-learn", is_flag=True, help="Do not learn site templates from the pages of this run.")
@click.option("--id", "stdin_id", default="stdin", show_default=True, help="Document id for a page read from stdin ('-').")
@click.option("--stdin-format", type=click.Choice(["text", "html", "jsonl"]), default="text", show_default=True,
              help="What '-' (stdin) holds.")
@click.option("--commit-every", type=click.IntRange(min=1), default=None, metavar="N",
              help="Commit every N documents (default 10000): an interruption loses at most N.")
@lock_timeout_option
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary (errors still print).")
@json_option("the summary")
def index_cmd(paths: tuple[str, ...], index_dir: str, no_clean: bool, no_learn: bool, stdin_id: str, stdin_format: str,
              commit_every: int | None, lock_timeout: float, quiet: bool, as_json: bool) -> None:
    """Add files, folders, JSON Lines or stdin to the index (created if missing)."""
    from searchlib.ingest import COMMIT_EVERY, Problem, Progress, discover, ingest

    if paths.count("-") > 1:
        raise click.BadParameter("'-' (stdin) can be given only once", param_hint="PATHS")
    sources = discover(paths, stdin_id=stdin_id, stdin_kind=stdin_format)
    try:
        ix = searchlib.Index.open(index_dir)
    except IndexNotFoundError:
        ix = searchlib.Index.create(index_dir)
    show_bar = not quiet and not as_json and bool(sources.sources) and _isatty(sys.stderr)

    def on_error(p: Problem) -> None:
        click.echo(("\r\x1b[K" if show_bar else "") + f"error: {_one_line(p.message)}", err=True)

    options: dict[str, Any] = {"clean": not no_clean, "learn": not no_learn, "commit_every": commit_every or COMMIT_EVERY,
                               "on_error": on_error, "lock_timeout": lock_timeout, "stdin": _stdin_bytes()}
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
            f"{summary.documents:,} documents from {summary.sources:,} input{'' if summary.sources == 1 else 's'} in {summary.seconds:.2f} s{rate}: "
            f"{summary.added:,} added, {summary.updated:,} updated, {summary.skipped:,} skipped (unchanged), "
            f"{len(summary.errors):,} errors"
            + (f", {summary.ignored:,} files ignored (other extension or empty)" if summary.ignored else "")
            + f". Index {index_dir}: {total:,} documents."
        )
    if summary.errors:
        raise click.exceptions.Exit(1)


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


# ------------------------------------------------------------------------------ query


@cli.command("query", epilog="""\b
Examples:
  search query '长沙 工程机械'                 # Simplified also finds Traditional (長沙)
  search query '"产业集群" -长沙' --limit 5
  search query '长沙 source:新华社 date:>=2024-01' --sort -date
  search query '' --filter source=新华社 --since 2024-04 --facet tags
  search query 'title:excavator*' --json
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
@click.option("--collapse", metavar="FIELD", help="One hit per value of a keyword field.")
@click.option("--after", metavar="CURSOR", help="Continue after the last hit of a previous page (its next_cursor).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), metavar="SECONDS",
              help="Stop scoring after SECONDS and show the best hits found so far.")
@click.option("--format", "fmt", type=click.Choice(["text", "html", "ansi"]), default=None,
              help="Snippet format [default: ansi on a terminal, else text].")
@click.option("--no-assist", is_flag=True,
              help="No query assistance: no pinyin matches, typo tolerance, suggestion or ~ syntax.")
@json_option("the results")
def query_cmd(query: str, index_dir: str, limit: int, offset: int, fields: tuple[str, ...], filters: tuple[str, ...],
              since: str | None, until: str | None, sort: tuple[str, ...], facets: tuple[str, ...], collapse: str | None,
              after: str | None, timeout: float | None, fmt: str | None, no_assist: bool, as_json: bool) -> None:
    """Search the index: ranked hits with title, id, score and a highlighted snippet."""
    from searchlib.query.fieldvalues import parse_filter_args

    ix = _open(index_dir)
    with ix:
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
                            timeout=timeout, assist=not no_assist)
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
                meta.append(f"+{hit.collapsed:,} more like it")
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


# ------------------------------------------------------------------------------ show / delete


@cli.command("show", epilog="""\b
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
Example:
  search optimize --index news-index""")
@index_option
@lock_timeout_option
def optimize_cmd(index_dir: str, lock_timeout: float) -> None:
    """Merge all segments into one and purge deleted documents."""
    with _open(index_dir) as ix:
        before = ix.stats()
        t0 = time.perf_counter()
        ix.optimize(lock_timeout=lock_timeout)
        after = ix.stats()
    click.echo(
        f"optimized {index_dir}: {before['segments']} segment{'s' if before['segments'] != 1 else ''} -> "
        f"{after['segments']}, {before.get('deleted', 0):,} deleted documents purged, "
        f"{_size(int(after['size_bytes']))} ({time.perf_counter() - t0:.2f} s)"
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


@cli.command("explain", epilog="""\b
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
    text, _kind = _read_input(file)
    cleaned = searchlib.clean(text)
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


@cli.command("tokenize", epilog="""\b
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
