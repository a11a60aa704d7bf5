"""``search clean`` and ``search tokenize``: the analysis steps on their own, no index."""
from __future__ import annotations

import click

import searchlib
from searchlib.cli.app import cli
from searchlib.cli.common import (
    DashArgsCommand,
    json_option,
    open_index,
    line_of,
    plain,
    print_json,
    read_input,
    stdout_color,
)

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
    text, kind = read_input(file)
    cleaned = searchlib.clean_html(text) if kind == "html" else searchlib.clean(text)
    if as_json:
        print_json({
            "text": cleaned.text,
            "metadata": dict(cleaned.metadata),
            "lines": [{"line": n, "text": ln.text, "kept": ln.kept, "reason": ln.reason, "start": ln.start, "end": ln.end}
                      for n, ln in enumerate(cleaned.lines, start=1)],
        })
        return
    if not explain:
        click.echo(plain(cleaned.text))
        return
    color = stdout_color()
    width = max((len(ln.reason) for ln in cleaned.lines), default=7)
    for n, ln in enumerate(cleaned.lines, start=1):
        if not ln.text:
            continue
        head = f"{n:>4} {_DECISION[ln.kept]} {ln.reason:<{width}}  "
        line = head + plain(ln.text)
        click.echo(line if ln.kept else click.style(line, dim=True), color=color)
    kept = sum(1 for ln in cleaned.lines if ln.kept and ln.text)
    nonempty = sum(1 for ln in cleaned.lines if ln.text)
    click.echo(f"-- kept {kept} of {nonempty} lines")
    for key, value in cleaned.metadata.items():
        click.echo(f"-- {key}: {line_of(value)}")


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
        text = read_input("-")[0]
    if index_dir is not None:
        with open_index(index_dir) as ix:
            tokens = ix.analyzer.analyze(text, mode=mode)
    else:
        tokens = searchlib.analyze(text, mode=mode)
    if as_json:
        print_json({"text": text, "mode": mode, "tokens": [
            {"text": t.text, "start": t.start, "end": t.end, "position": t.position, "original": text[t.start:t.end]}
            for t in tokens]})
        return
    for t in tokens:
        original = text[t.start:t.end]
        shown = line_of(t.text) + ("" if original == t.text else f"  ({line_of(original)})")
        click.echo(f"{t.position:>5}  {t.start:>5}-{t.end:<5}  {shown}")
