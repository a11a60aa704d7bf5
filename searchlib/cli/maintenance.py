"""``search stats``, ``optimize``, ``check`` and ``explain``: looking after an index."""
from __future__ import annotations

import time

import click

from searchlib.cli.app import cli
from searchlib.cli.common import (
    DashArgsCommand,
    Failure,
    human_size,
    index_option,
    json_option,
    lock_timeout_option,
    open_index,
    line_of,
    plural,
    print_json,
)

# ------------------------------------------------------------------------------ stats / optimize / check


@cli.command("stats", epilog="""\b
Examples:
  search stats
  search stats --index news-index --json""")
@index_option
@json_option("the statistics")
def stats_cmd(index_dir: str, as_json: bool) -> None:
    """Documents, segments, terms, size and analyzer of the index."""
    with open_index(index_dir) as ix:
        stats = ix.stats()
    if as_json:
        print_json({"index": index_dir, **stats})
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
        ("size", human_size(int(stats["size_bytes"]))),
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
            click.echo(f"  {line_of(name):<{width}}  {info['kind']:<8} {docs:,} document{'' if docs == 1 else 's'}{distinct}")


@cli.command("optimize", epilog="""\b
Examples:
  search optimize --index news-index
  search optimize --json""")
@index_option
@lock_timeout_option
@json_option("the result")
def optimize_cmd(index_dir: str, lock_timeout: float, as_json: bool) -> None:
    """Merge all segments into one and purge deleted documents."""
    with open_index(index_dir) as ix:
        before = ix.stats()
        t0 = time.perf_counter()
        ix.optimize(lock_timeout=lock_timeout)
        after = ix.stats()
    seconds = time.perf_counter() - t0
    if as_json:
        print_json({"index": index_dir, "segments_before": before["segments"], "segments": after["segments"],
                     "purged": before.get("deleted", 0), "documents": after["documents"],
                     "size_bytes": after["size_bytes"], "generation": after["generation"],
                     "seconds": round(seconds, 3)})
        return
    click.echo(
        f"optimized {index_dir}: {plural(before['segments'], 'segment')} -> {after['segments']}, "
        f"{plural(before.get('deleted', 0), 'deleted document')} purged, "
        f"{human_size(int(after['size_bytes']))} ({seconds:.2f} s)"
    )


@cli.command("check", epilog="""\b
Example:
  search check --index news-index""")
@index_option
@json_option("the result")
def check_cmd(index_dir: str, as_json: bool) -> None:
    """Verify every checksum and structure of the index (exit status 1 if damaged)."""
    with open_index(index_dir) as ix:
        result = ix.check()
    if as_json:
        print_json({"index": index_dir, "ok": True, **result})
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
    with open_index(index_dir) as ix:
        if doc_id not in ix:
            raise Failure(f"no document with id {doc_id!r} in {index_dir}")
        explanation = ix.explain(query, doc_id)
    if as_json:
        print_json(explanation.to_dict())
    else:
        click.echo(str(explanation))
