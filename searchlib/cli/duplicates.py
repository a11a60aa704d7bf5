"""``search dupes`` and ``search similar``: near-duplicate reposts."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from searchlib.cli.app import cli
from searchlib.cli.common import (
    Failure,
    index_option,
    json_option,
    open_index,
    line_of,
    print_json,
    stdout_color,
)
from searchlib.highlight import display_text

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
    with open_index(index_dir) as ix:
        clusters = ix.clusters(min_size=min_size, threshold=threshold)
        shown = clusters if limit is None else clusters[:limit]
        if as_json:
            print_json({"index": index_dir, "clusters": len(clusters),
                         "documents": sum(len(c) for c in clusters),
                         "shown": [{"size": len(c), "ids": c} for c in shown]})
            return
        for n, members in enumerate(shown, start=1):
            first = ix.get(members[0]) or {}
            title = line_of(display_text(str(first.get("title") or ""))) or line_of(str(first.get("body") or ""))[:60] \
                or "(untitled)"
            click.echo(f"{n:>3}. {len(members)} documents  {title}")
            click.echo("     " + "  ".join(line_of(m) for m in members))
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
    with open_index(index_dir) as ix:
        if doc_id not in ix:
            raise Failure(f"no document with id {doc_id!r} in {index_dir}")
        results = ix.similar(doc_id, limit=limit, threshold=threshold)
        if as_json:
            data = results.to_dict()
            data["id"] = doc_id
            print_json(data)
            return
        color = stdout_color()
        for hit in results:
            title = line_of(hit.title) or "(untitled)"
            click.echo(f"{hit.rank:>3}. " + click.style(title, bold=True), color=color)
            sim = hit.extra.get("similarity", 0.0)
            label = f"near-duplicate, {sim:.0%} shared" if sim >= (threshold or _default_threshold()) else f"{sim:.0%} shared text"
            click.echo("     " + click.style(f"{line_of(hit.id)}  score {hit.score:.3f}  {label}", dim=True), color=color)
            snippet = hit.snippet("body", format="ansi" if color else "text", color=color)
            if snippet:
                click.echo("     " + snippet.replace("\n", " "), color=color)
            click.echo("")
        click.echo(f"{len(results):,} similar document{'' if len(results) == 1 else 's'} to {doc_id!r} "
                   f"({results.took_ms:.1f} ms)")


def _default_threshold() -> float:
    from searchlib.query.duplicates import DEFAULT_THRESHOLD

    return DEFAULT_THRESHOLD
