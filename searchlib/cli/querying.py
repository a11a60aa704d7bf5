"""``search query`` and ``search complete``: results, facets and completions out."""
from __future__ import annotations

import contextlib
import time
from typing import Any

import click

from searchlib.cli.app import cli
from searchlib.cli.common import (
    DashArgsCommand,
    Failure,
    dask_client,
    index_option,
    is_sharded,
    json_option,
    open_index,
    line_of,
    print_json,
    scheduler_option,
    stdout_color,
)

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
        if is_sharded(index_dir):
            from searchlib.distributed import ShardedIndex

            client = stack.enter_context(dask_client(scheduler))
            ix: Any = stack.enter_context(ShardedIndex.open(index_dir, client=client))
            extra["allow_partial"] = allow_partial
        elif scheduler is not None:
            raise Failure(f"--scheduler searches a sharded index, and {index_dir} holds none "
                          f"(build one with 'search index PATH... --shards N --index DIR')")
        else:
            ix = stack.enter_context(open_index(index_dir))
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
        print_json(data)
        return
    color = fmt == "ansi" or (fmt is None and stdout_color())
    fmt = fmt or ("ansi" if color else "text")
    for hit in results:
        title = line_of(hit.title) or "(untitled)"
        click.echo(f"{hit.rank:>3}. " + click.style(title, bold=True), color=color)
        meta = [line_of(hit.id), f"score {hit.score:.3f}"]
        for key in ("date", "source"):
            if hit.fields.get(key):
                meta.append(line_of(str(hit.fields[key])))
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
        click.echo(f"Did you mean: {line_of(results.suggestion)}")
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
    with open_index(index_dir) as ix:
        t0 = time.perf_counter()
        items = ix.complete(prefix, limit=limit, titles=not no_titles)
        took_ms = (time.perf_counter() - t0) * 1000.0
    if as_json:
        print_json({"prefix": prefix, "completions": items, "took_ms": round(took_ms, 3)})
        return
    for item in items:
        click.echo(line_of(item))


def _print_facets(facets: dict[str, list[tuple[Any, int]]]) -> None:
    """A compact table: one line per facet, the values with their counts."""
    if not facets:
        return
    width = max(len(name) for name in facets)
    for name, items in facets.items():
        values = "  ".join(f"{line_of(str(v))} {c:,}" for v, c in items) or "(none)"
        click.echo(f"{name:<{width}}  {values}")
    click.echo("")
