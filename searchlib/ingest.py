"""Ingestion: turn files, folders, JSON Lines and standard input into indexed documents.

This is what ``search index`` runs, kept in the library so that scripts get the same behaviour
as the command line (the CLI only parses arguments and prints)::

    from searchlib import Index
    from searchlib.ingest import discover, ingest

    ix = Index.create("index/", exist_ok=True)
    summary = ingest(ix, discover(["corpus/pages/", "extra.jsonl"]))
    summary.added, summary.updated, summary.skipped, summary.errors

Inputs (:func:`discover`):

* a **file**: ``.txt`` / ``.md`` / ``.markdown`` are raw pages, ``.html`` / ``.htm`` are converted
  to text (:func:`html_to_text`), ``.jsonl`` holds one document per line; a file named explicitly
  with any other extension is read as a raw text page. Its id is the file name.
* a **directory**: walked recursively in sorted order; hidden files and folders (``.name``) are
  not entered, files with other extensions are ignored (counted in ``Summary.ignored``). Ids are
  paths relative to that directory, with ``/`` separators (``labels/a.txt``) - stable across runs.
* ``-``: standard input, one page (id ``stdin`` unless given) or JSON Lines.

Documents:

* Raw pages (text, Markdown, HTML) go through boilerplate filtering by default
  (``IndexWriter.add_page``: the kept lines become the body, title/date/source/author come from
  the page). For HTML, a non-empty ``<title>`` element is the title. With ``clean=False`` the
  page is indexed as given: ``title`` = its first non-empty line, ``body`` = the whole text.
* JSON Lines: each line is an object with ``id`` (required), ``title``, ``body`` and any extra
  string fields, indexed as given (``null`` values are left out; other non-strings are an error).

Re-indexing is idempotent: ids are stable, a document whose id is already in the index is replaced
(``update``) when its content changed and skipped when it is identical, so running the same import
twice adds nothing. Work is committed every ``commit_every`` documents and at the end, so an
interruption or crash loses at most the last batch, never what an earlier commit made durable.

Decoding: input must be UTF-8 (a BOM is dropped, CRLF becomes LF). A file with NUL bytes is
binary, a UTF-16 file is recognised by its BOM; both, invalid UTF-8 and unreadable files are
reported as one :class:`Problem` each (``path: what is wrong``) and skipped; the rest is indexed.
"""
from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import IO, TYPE_CHECKING, Any

from searchlib.errors import DocumentError

if TYPE_CHECKING:
    from searchlib.analysis.boilerplate import BoilerplateModel
    from searchlib.api import Index

__all__ = [
    "COMMIT_EVERY",
    "HTML_EXTENSIONS",
    "JSONL_EXTENSIONS",
    "TEXT_EXTENSIONS",
    "Problem",
    "Progress",
    "Source",
    "SourceError",
    "Summary",
    "decode",
    "discover",
    "html_to_text",
    "ingest",
    "learn_templates",
    "page_document",
    "read_source",
]

TEXT_EXTENSIONS = frozenset({".txt", ".md", ".markdown"})
HTML_EXTENSIONS = frozenset({".html", ".htm"})
JSONL_EXTENSIONS = frozenset({".jsonl"})
KINDS = ("text", "html", "jsonl")
COMMIT_EVERY = 10_000
_SNIFF = 8192  # bytes inspected for NUL (binary files)


class SourceError(DocumentError):
    """An input cannot be turned into documents (unreadable, binary, not UTF-8, bad JSON line)."""


# --------------------------------------------------------------------------------- discovery


@dataclass(frozen=True)
class Source:
    """One input: ``path`` (None for standard input), ``kind`` (``text`` | ``html`` | ``jsonl``)
    and ``id``, the document id of a page (unused for JSON Lines, whose lines carry their ids)."""

    path: str | None
    kind: str
    id: str

    @property
    def name(self) -> str:
        """How messages name this input."""
        return "<stdin>" if self.path is None else self.path


def kind_of(path: str) -> str | None:
    """``text`` / ``html`` / ``jsonl`` from the extension, or None for other files."""
    ext = os.path.splitext(path)[1].lower()
    if ext in TEXT_EXTENSIONS:
        return "text"
    if ext in HTML_EXTENSIONS:
        return "html"
    if ext in JSONL_EXTENSIONS:
        return "jsonl"
    return None


@dataclass
class Discovery:
    """What :func:`discover` found: the sources in order and how many files it ignored."""

    sources: list[Source]
    ignored: int = 0

    def __iter__(self) -> Iterator[Source]:
        return iter(self.sources)

    def __len__(self) -> int:
        return len(self.sources)


def discover(paths: Iterable[str | os.PathLike[str]], *, stdin_id: str = "stdin", stdin_kind: str = "text") -> Discovery:
    """The inputs named by ``paths`` (files, directories, ``-`` for standard input), in order.

    A path that does not exist is kept as a text source: reading it reports the problem.
    """
    if stdin_kind not in KINDS:
        raise ValueError(f"stdin_kind must be one of {', '.join(KINDS)}, got {stdin_kind!r}")
    found = Discovery([])
    for raw in paths:
        path = os.fspath(raw)
        if path == "-":
            found.sources.append(Source(None, stdin_kind, stdin_id))
        elif os.path.isdir(path):
            _walk(path, found)
        else:
            found.sources.append(Source(path, kind_of(path) or "text", os.path.basename(path) or path))
    return found


def _walk(root: str, found: Discovery) -> None:
    """Supported files under ``root`` in path order (component by component, like ``sort`` on
    the relative paths split at ``/``), not entering hidden folders."""
    start = len(found.sources)
    for top, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = os.path.join(top, name)
            kind = kind_of(name)
            if kind is None:
                found.ignored += 1
                continue
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            found.sources.append(Source(path, kind, rel))
    found.sources[start:] = sorted(found.sources[start:], key=lambda s: s.id.split("/"))


# --------------------------------------------------------------------------------- decoding


def decode(data: bytes, name: str = "<input>") -> str:
    """UTF-8 ``data`` as text (BOM dropped, CRLF/CR → LF); :class:`SourceError` for binary data,
    UTF-16/32 and invalid UTF-8, naming the byte offset of the problem."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceError(f"{name}: UTF-16/32 text; convert it to UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)")
    nul = data.find(b"\x00", 0, _SNIFF)
    if nul >= 0:
        raise SourceError(f"{name}: binary file (NUL byte at offset {nul}); only UTF-8 text, HTML and JSON Lines can be indexed")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(
            f"{name}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "convert it to UTF-8 (e.g. iconv -f GB18030 -t UTF-8)"
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _read_bytes(source: Source, stdin: IO[bytes] | None) -> bytes:
    if source.path is None:
        stream = stdin if stdin is not None else sys.stdin.buffer
        return stream.read()
    try:
        with open(source.path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        raise SourceError(f"{source.name}: no such file or directory") from None
    except IsADirectoryError:
        raise SourceError(f"{source.name}: is a directory") from None
    except PermissionError:
        raise SourceError(f"{source.name}: permission denied") from None
    except OSError as exc:
        raise SourceError(f"{source.name}: cannot read ({exc.strerror or exc})") from None


def read_source(source: Source, stdin: IO[bytes] | None = None) -> str:
    """The decoded text of ``source`` (raw: HTML is not converted here)."""
    return decode(_read_bytes(source, stdin), source.name)


# --------------------------------------------------------------------------------- HTML


_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "head", "iframe", "object", "canvas"})
_BLOCK = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "details", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"})


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skip: list[str] = []  # stack of open skipped elements
        self.title: list[str] = []
        self.in_title = False

    def _break(self) -> None:
        line = " ".join("".join(self.current).split())
        if line:
            self.lines.append(line)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self.in_title = True
        elif tag in _SKIP and tag not in _VOID:
            self.skip.append(tag)
        elif tag in _BLOCK and not self.skip:
            self._break()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK and not self.skip:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        elif tag in _SKIP:
            if tag in self.skip:  # close up to the matching element (tolerates sloppy markup)
                while self.skip and self.skip.pop() != tag:
                    pass
        elif tag in _BLOCK and not self.skip:
            self._break()

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        elif not self.skip:
            self.current.append(data)


@dataclass(frozen=True)
class HtmlText:
    text: str   # one line per block element, whitespace collapsed
    title: str  # the <title> element's text ("" when none)


def html_to_text(markup: str) -> HtmlText:
    """Text of an HTML page, one line per block element (paragraphs, headings, list items, table
    cells, ``<br>``), entities decoded, ``<script>``/``<style>``/``<head>`` content dropped."""
    p = _TextExtractor()
    p.feed(markup)
    p.close()
    p._break()
    return HtmlText("\n".join(p.lines), " ".join("".join(p.title).split()))


# --------------------------------------------------------------------------------- documents


def page_document(
    raw_text: str, id: str, *, clean: bool = True, model: BoilerplateModel | None = None, **extra: str  # noqa: A002
) -> dict[str, str]:
    """The document a raw page becomes.

    ``clean=True`` gives exactly what ``IndexWriter.add_page(raw_text, id, model, **extra)``
    stores (both use :meth:`Cleaned.document`) - ingestion uses it to tell an unchanged page from
    a changed one. ``clean=False``: ``title`` is the first non-empty line, ``body`` the whole text.
    """
    if clean:
        from searchlib.analysis.boilerplate import clean as clean_page

        return clean_page(raw_text, model).document(id, **extra)
    first = next((line.strip() for line in raw_text.split("\n") if line.strip()), "")
    doc = {"id": id, "title": first, "body": raw_text.strip()}
    doc.update(extra)
    return doc


def _jsonl_documents(text: str, name: str) -> Iterator[dict[str, str] | SourceError]:
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{name}:{n}"
        try:
            obj = json.loads(line)
        except ValueError as exc:
            yield SourceError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(obj, dict):
            yield SourceError(f"{where}: expected a JSON object, got {type(obj).__name__}")
            continue
        doc_id = obj.get("id")
        if not isinstance(doc_id, str) or not doc_id.strip():
            yield SourceError(f"{where}: every line needs an \"id\" string, got {doc_id!r}")
            continue
        bad = [k for k, v in obj.items() if v is not None and not isinstance(v, str)]
        if bad:
            yield SourceError(
                f"{where}: field {bad[0]!r} of document {doc_id!r} must be a string, got "
                f"{type(obj[bad[0]]).__name__} (convert numbers and dates to strings)"
            )
            continue
        yield {k: v for k, v in obj.items() if v is not None}


# --------------------------------------------------------------------------------- the run


@dataclass(frozen=True)
class Problem:
    """An input (or one line of it) that was skipped, and why (``message`` names the input)."""

    source: str
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass
class Summary:
    """The outcome of one :func:`ingest` run."""

    sources: int = 0          # inputs read (files, stdin)
    added: int = 0            # new ids
    updated: int = 0          # ids already in the index whose content changed
    skipped: int = 0          # ids already in the index with identical content (not rewritten)
    ignored: int = 0          # files in directories with unsupported extensions, empty inputs
    errors: list[Problem] = field(default_factory=list)
    commits: int = 0
    seconds: float = 0.0

    @property
    def documents(self) -> int:
        """Documents read (added + updated + skipped)."""
        return self.added + self.updated + self.skipped

    @property
    def docs_per_second(self) -> float:
        return self.documents / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "sources": self.sources, "documents": self.documents, "added": self.added,
            "updated": self.updated, "skipped": self.skipped, "ignored": self.ignored,
            "errors": [p.message for p in self.errors], "commits": self.commits,
            "seconds": round(self.seconds, 3),
        }


@dataclass(frozen=True)
class Progress:
    """Passed to the progress callback after each input (and every 1,000 JSON Lines documents)."""

    done: int             # inputs finished
    total: int            # inputs in all
    source: Source        # the input being read
    summary: Summary      # counts so far (``seconds`` = elapsed)
    phase: str = "reading"  # "reading", or "committing" (analysis and writing of the pending batch)


# Pages read up front to learn the collection's templates (BoilerplateModel); bounds memory.
TEMPLATE_SAMPLE = 5000


def _page_text(source: Source, text: str) -> tuple[str, dict[str, str]]:
    """The text a page source is cleaned from, and fields its markup gives (an HTML title)."""
    if source.kind != "html":
        return text, {}
    page = html_to_text(text)
    return page.text, ({"title": page.title} if page.title else {})


def learn_templates(sources: list[Source], sample: int = TEMPLATE_SAMPLE) -> tuple[BoilerplateModel | None, dict[int, str]]:
    """Fit a :class:`BoilerplateModel` on up to ``sample`` page sources (lines repeated across many
    pages of the batch are site templates). Returns the model (None when fewer than 3 pages) and
    the decoded texts read, by source index, so they are not read twice. Unreadable sources and
    stdin are left for the main pass to read and report."""
    from searchlib.analysis.boilerplate import BoilerplateModel

    texts: dict[int, str] = {}
    for i, source in enumerate(sources):
        if len(texts) >= sample:
            break
        if source.kind == "jsonl" or source.path is None:
            continue
        try:
            texts[i] = read_source(source)
        except SourceError:
            continue
    pages = [_page_text(sources[i], t)[0] for i, t in texts.items()]
    return (BoilerplateModel.fit(pages) if len(pages) >= 3 else None), texts


def ingest(
    index: Index,
    sources: Iterable[Source],
    *,
    clean: bool = True,
    commit_every: int = COMMIT_EVERY,
    progress: Callable[[Progress], None] | None = None,
    on_error: Callable[[Problem], None] | None = None,
    stdin: IO[bytes] | None = None,
    workers: int | None = None,
    lock_timeout: float = 10.0,
    learn: bool = True,
) -> Summary:
    """Index ``sources`` (see :func:`discover`) into ``index``; returns a :class:`Summary`.

    With ``clean`` (the default) raw pages are cleaned of boilerplate; with ``learn`` too, lines
    that repeat across many pages of this batch are learned as templates first
    (:func:`learn_templates`) and removed everywhere. ``on_error`` is called with each
    :class:`Problem` as it happens (they are also collected in
    ``Summary.errors``). Raises only for problems with the index itself (``LockError``, a damaged
    index, a full disk, ...): then the current batch is rolled back and earlier commits stay.
    """
    if commit_every < 1:
        raise ValueError("commit_every must be at least 1")
    summary = Summary(ignored=sources.ignored if isinstance(sources, Discovery) else 0)
    sources = list(sources)
    t0 = time.perf_counter()
    model, prefetched = learn_templates(sources) if clean and learn else (None, {})
    pending = 0
    seen: set[str] = set()  # ids written by this run (a repeated id replaces the earlier one)

    def problem(source: Source, message: str) -> None:
        p = Problem(source.name, message)
        summary.errors.append(p)
        if on_error is not None:
            on_error(p)

    def report(done: int, source: Source, phase: str = "reading") -> None:
        if progress is not None:
            summary.seconds = time.perf_counter() - t0
            progress(Progress(done, len(sources), source, summary, phase))

    with index.writer(workers=workers, lock_timeout=lock_timeout) as w:

        done = 0

        def write(doc: dict[str, str], source: Source, raw: str | None = None, extra: dict[str, str] | None = None) -> None:
            """``raw``: a page (``doc`` is what it becomes); otherwise ``doc`` is indexed as given."""
            nonlocal pending
            existing = index.get(doc["id"])
            try:
                if doc["id"] in seen:
                    w.update(doc)
                    summary.updated += 1
                elif existing is None:
                    if raw is not None and clean:
                        w.add_page(raw, doc["id"], model, **(extra or {}))
                    else:
                        w.add(doc)
                    summary.added += 1
                elif existing == doc:
                    summary.skipped += 1
                    return
                else:
                    w.update(doc)
                    summary.updated += 1
            except DocumentError as exc:
                problem(source, f"{source.name}: {exc}")
                return
            seen.add(doc["id"])
            pending += 1
            if pending >= commit_every:
                report(done, source, "committing")
                w.commit()
                summary.commits += 1
                pending = 0

        for index_in_batch, source in enumerate(sources):
            done += 1
            summary.sources += 1
            try:
                text = prefetched.pop(index_in_batch, None)
                if text is None:
                    text = read_source(source, stdin)
            except SourceError as exc:
                problem(source, str(exc))
                report(done, source)
                continue
            if not text.strip():
                summary.ignored += 1
                report(done, source)
                continue
            if source.kind == "jsonl":
                for i, item in enumerate(_jsonl_documents(text, source.name), start=1):
                    if isinstance(item, SourceError):
                        problem(source, str(item))
                    else:
                        write(item, source)
                    if i % 1000 == 0:
                        report(done - 1, source)
            else:
                text, extra = _page_text(source, text)
                write(page_document(text, source.id, clean=clean, model=model, **extra), source, raw=text, extra=extra)
            report(done, source)
        if w.has_changes():
            if sources:
                report(done, sources[-1], "committing")
            w.commit()
            summary.commits += 1
    summary.seconds = time.perf_counter() - t0
    return summary
