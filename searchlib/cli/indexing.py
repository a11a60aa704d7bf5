"""``search index``: files, folders, stdin and sharded builds in."""
from __future__ import annotations

import os
import sys
from typing import Any

import click

import searchlib
from searchlib.cli.app import cli
from searchlib.cli.common import (
    Failure,
    SizeParam,
    dask_client,
    index_option,
    is_sharded,
    json_option,
    lock_timeout_option,
    one_line,
    plural,
    print_json,
    scheduler_option,
    stdin_bytes,
)

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

    if shards is not None or scheduler is not None or is_sharded(index_dir):
        _index_sharded(paths, index_dir, shards, scheduler, not no_clean, not no_learn, lock_timeout, quiet, as_json)
        return
    if paths.count("-") > 1:
        raise click.BadParameter("'-' (stdin) can be given only once", param_hint="PATHS")
    sources = discover(paths, stdin_id=stdin_id, stdin_kind=stdin_format, follow_links=follow_links,
                       max_file_size=max_file_size)
    ix = searchlib.Index.create(index_dir, exist_ok=True)  # opens it when it exists (idempotent under the lock)
    show_bar = not quiet and not as_json and bool(sources.sources) and _isatty(sys.stderr)

    def on_error(p: Problem) -> None:
        click.echo(("\r\x1b[K" if show_bar else "") + f"error: {one_line(p.message)}", err=True)

    def on_warning(p: Problem) -> None:
        if not quiet:
            click.echo(("\r\x1b[K" if show_bar else "") + f"warning: {one_line(p.message)}", err=True)

    options: dict[str, Any] = {"clean": not no_clean, "learn": not no_learn, "commit_every": commit_every or COMMIT_EVERY,
                               "on_error": on_error, "on_warning": on_warning, "lock_timeout": lock_timeout,
                               "stdin": stdin_bytes(), "prune": not no_prune, "max_file_size": max_file_size}
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
        print_json({**summary.to_dict(), "index": index_dir, "index_documents": total})
    elif not quiet:
        if not sources.sources:
            click.echo("warning: no indexable files found (.txt .md .markdown .html .htm .jsonl)", err=True)
        rate = f", {summary.docs_per_second:,.0f} docs/s" if summary.documents else ""
        click.echo(
            f"{plural(summary.documents, 'document')} from {plural(summary.sources, 'input')} in {summary.seconds:.2f} s{rate}: "
            f"{summary.added:,} added, {summary.updated:,} updated, {summary.skipped:,} skipped (unchanged), "
            + (f"{summary.deleted:,} deleted (files gone), " if summary.deleted else "")
            + f"{plural(len(summary.errors), 'error')}"
            + (f", {plural(len(summary.warnings), 'warning')}" if summary.warnings else "")
            + (f", {plural(summary.ignored, 'file')} ignored (other extension or empty)" if summary.ignored else "")
            + f". Index {index_dir}: {plural(total, 'document')}."
        )
    if summary.errors:
        raise click.exceptions.Exit(1)


def _index_sharded(paths: tuple[str, ...], index_dir: str, shards: int | None, scheduler: str | None, clean: bool,
                   learn: bool, lock_timeout: float, quiet: bool, as_json: bool) -> None:
    from searchlib.distributed import build_shards

    if shards is None and not is_sharded(index_dir):
        raise click.BadParameter("a new sharded index needs --shards N", param_hint="'--scheduler'")
    if os.path.exists(os.path.join(index_dir, "manifest.json")):
        raise Failure(f"{index_dir} holds an unsharded index; build the sharded one in another folder")
    with dask_client(scheduler) as client:
        summary = build_shards(client, list(paths), index_dir, shards=shards, clean=clean, learn=learn,
                               lock_timeout=lock_timeout)
    for _, message in summary.errors:
        click.echo(f"error: {one_line(message)}", err=True)
    if as_json:
        print_json({**summary.to_dict(), "index": index_dir, "index_documents": sum(summary.shard_docs)})
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
