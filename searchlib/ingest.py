"""Ingestion: turn files, folders, JSON Lines and standard input into indexed documents.

This is what ``search index`` runs, kept in the library so that scripts get the same behaviour
as the command line (the CLI only parses arguments and prints)::

    from searchlib import Index
    from searchlib.ingest import discover, ingest

    ix = Index.create("index/", exist_ok=True)
    summary = ingest(ix, discover(["corpus/pages/", "extra.jsonl"]))
    summary.added, summary.updated, summary.skipped, summary.errors

Inputs (:func:`discover`, :mod:`searchlib.inputs`; every folder is untrusted):

* a **file**: ``.txt`` / ``.md`` / ``.markdown`` are raw pages, ``.html`` / ``.htm`` HTML pages
  (UTF-8, else the charset their ``<meta>`` declares or their bytes show), ``.jsonl`` holds one document per line; a file named explicitly
  with any other extension is read as a raw text page. Its id is the file name (or its path in
  an indexed folder that holds it).
* a **directory**: walked recursively in sorted order; hidden files and folders (``.name``) are
  not entered, files with other extensions are ignored (counted in ``Summary.ignored``). Only
  regular files inside the folder are read: links leaving it (unless ``follow_links``), FIFOs,
  devices, sockets and files over ``max_file_size`` (20 MB by default) are skipped with a warning.
  Ids are paths relative to the indexed folder, with ``/`` separators (``labels/a.txt``).
* ``-``: standard input, one page (id ``stdin`` unless given) or JSON Lines.

Folder sync: ``ingest`` makes the index mirror the folders it is given. It records them (commit
user data), stores the folder on each of its pages (``folder``), updates changed files, skips
unchanged ones and, with ``prune`` (the default), deletes the documents of files that left the
folder, in the same commit. Indexing a subfolder of an indexed folder updates the same documents
(ids stay relative to the recorded folder), never second copies.

Documents:

* Raw pages go through boilerplate filtering by default: text and Markdown through the line filter
  (``searchlib.clean``, what ``IndexWriter.add_page`` does), HTML through the DOM-aware extractor
  (``searchlib.clean_html``); the kept text becomes the body, the page's metadata (title, date,
  author, editor, source, url, lang) the other fields. With ``clean=False`` the page is indexed as
  given: ``title`` = its first non-empty line (an HTML page's ``<title>``), ``body`` = the text.
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
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from searchlib.errors import DocumentError
from searchlib.inputs import (
    DEFAULT_MAX_FILE_SIZE,
    HTML_EXTENSIONS,
    JSONL_EXTENSIONS,
    KINDS,
    TEXT_EXTENSIONS,
    Discovery,
    Folder,
    Problem,
    Source,
    SourceError,
    decode,
    discover,
    kind_of,
    parse_size,
    read_bytes,
    read_lines,
)

if TYPE_CHECKING:
    from searchlib.analysis.boilerplate import BoilerplateModel
    from searchlib.api import Index

__all__ = [
    "COMMIT_EVERY",
    "DEFAULT_MAX_FILE_SIZE",
    "FOLDER_FIELD",
    "HTML_EXTENSIONS",
    "JSONL_EXTENSIONS",
    "KINDS",
    "ROOTS_KEY",
    "TEXT_EXTENSIONS",
    "Discovery",
    "Folder",
    "Problem",
    "Progress",
    "Source",
    "SourceError",
    "Summary",
    "decode",
    "decode_html",
    "discover",
    "html_to_text",
    "indexed_roots",
    "ingest",
    "kind_of",
    "learn_templates",
    "page_document",
    "parse_size",
    "read_source",
]

COMMIT_EVERY = 10_000
FOLDER_FIELD = "folder"   # stored on documents read from a folder: the indexed root they belong to
ROOTS_KEY = "roots"       # commit user data: the folders this index mirrors (real paths)


def read_source(source: Source, stdin: IO[bytes] | None = None, max_file_size: int = DEFAULT_MAX_FILE_SIZE) -> str:
    """The decoded text of ``source`` (raw: HTML is not converted here), at most ``max_file_size``
    bytes; :class:`SourceError` for anything that is not a readable regular UTF-8 file (an HTML
    page may also be in the charset its ``<meta>`` declares)."""
    data = read_bytes(source, stdin, max_file_size)
    return decode_html(data, source.name) if source.kind == "html" else decode(data, source.name)


# --------------------------------------------------------------------------------- HTML


@dataclass(frozen=True)
class HtmlText:
    text: str   # one line per block element, whitespace collapsed
    title: str  # the <title> element's text ("" when none)


def html_to_text(markup: str) -> HtmlText:
    """Text of an HTML page without cleaning, one line per block element (paragraphs, headings,
    list items, table cells, ``<br>``), entities decoded, scripts, styles and hidden elements
    dropped (:func:`searchlib.analysis.html.html_text`)."""
    from searchlib.analysis.html import html_text

    text, title = html_text(markup)
    return HtmlText(text, title)


def decode_html(data: bytes, name: str = "<input>") -> str:
    """An HTML page's text: UTF-8, else the charset its ``<meta>`` declares (GBK/GB2312 read as
    GB18030, Big5 as Big5-HKSCS), else the one its bytes show
    (:func:`searchlib.analysis.html.charset.decode_page`); binary data and bytes no encoding fits
    are a :class:`SourceError`."""
    from searchlib.analysis.html.charset import decode_page

    try:
        text = decode_page(data)
    except ValueError as exc:
        raise SourceError(f"{name}: {exc}") from None
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


# --------------------------------------------------------------------------------- documents


def page_document(
    raw_text: str, id: str | None = None, *, clean: bool = True, model: BoilerplateModel | None = None,  # noqa: A002
    kind: str = "text", **extra: str,
) -> dict[str, str]:
    """The document a raw page becomes (``kind``: ``text`` or ``html``).

    ``clean=True`` gives exactly what ``IndexWriter.add_page(raw_text, id, model, **extra)``
    stores for a text page (both use :meth:`Cleaned.document`) - ingestion uses it to tell an
    unchanged page from a changed one; an HTML page goes through
    :func:`searchlib.analysis.html.clean_html`. ``clean=False``: ``title`` is the first non-empty
    line (an HTML page's ``<title>``), ``body`` the whole text.
    """
    if kind == "html":
        if clean:
            from searchlib.analysis.html import clean_html

            return clean_html(raw_text, model).document(id, **extra)
        page = html_to_text(raw_text)
        if page.title:
            extra.setdefault("title", page.title)
        raw_text = page.text
    if clean:
        from searchlib.analysis.boilerplate import clean as clean_page

        return clean_page(raw_text, model).document(id, **extra)
    first = next((line.strip() for line in raw_text.split("\n") if line.strip()), "")
    doc = {"id": id if id is not None else "", "title": first, "body": raw_text.strip()}
    doc.update(extra)
    return doc


def _jsonl_documents(source: Source, stdin: IO[bytes] | None, max_line: int) -> Iterator[dict[str, Any] | SourceError]:
    """The documents of a JSON Lines input, read one line at a time (each line at most
    ``max_line`` bytes); a bad line is yielded as a :class:`SourceError` and the rest is read."""
    name = source.name
    for n, raw in read_lines(source, stdin, max_line):
        if isinstance(raw, SourceError):
            yield raw
            continue
        where = f"{name}:{n}"
        if n == 1:
            if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
                raise SourceError(f"{name}: UTF-16/32 text; convert it to UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)")
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield SourceError(f"{where}: not valid UTF-8 (byte 0x{raw[exc.start]:02x} at column {exc.start + 1})")
            continue
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except RecursionError:
            yield SourceError(f"{where}: JSON nested too deeply")
            continue
        except ValueError as exc:
            msg = getattr(exc, "msg", str(exc))
            col = getattr(exc, "colno", None)
            yield SourceError(f"{where}: not valid JSON ({msg}{f' at column {col}' if col else ''})")
            continue
        if not isinstance(obj, dict):
            yield SourceError(f"{where}: expected a JSON object, got {type(obj).__name__}")
            continue
        doc_id = obj.get("id")
        if not isinstance(doc_id, str) or not doc_id.strip():
            yield SourceError(f"{where}: every line needs an \"id\" string, got {doc_id!r}")
            continue
        yield {k: v for k, v in obj.items() if v is not None}  # values are checked by the schema


# --------------------------------------------------------------------------------- folder sync


def indexed_roots(index: Index) -> list[str]:
    """The folders ``index`` mirrors (real paths recorded by :func:`ingest`), sorted."""
    roots = index.reader().user_data.get(ROOTS_KEY, [])
    return sorted(r for r in roots if isinstance(r, str)) if isinstance(roots, list) else []


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _owner(path: str, roots: list[str]) -> str | None:
    """The deepest root that holds ``path`` (a real, absolute path), or None."""
    best = None
    for root in roots:
        if _inside(path, root) and (best is None or len(root) > len(best)):
            best = root
    return best


def _rel_id(path: str, root: str) -> str:
    return os.path.relpath(path, root).replace(os.sep, "/")


class _Placement:
    """Where each page belongs: its folder (the deepest indexed root holding it) and its id there.

    Ids are paths relative to that root, so indexing a subfolder of an indexed folder updates the
    same documents, and a folder holding an indexed folder keeps that folder's ids."""

    def __init__(self, recorded: list[str], folders: list[Folder]) -> None:
        self.recorded = list(recorded)
        self.roots = list(recorded)
        for f in folders:
            if _owner(f.path, self.roots) is None:
                self.roots.append(f.path)

    def place(self, source: Source) -> tuple[str, str | None]:
        """``(id, folder)`` of a page source (folder None: not from an indexed folder)."""
        if source.path is None:
            return source.id, None
        if source.folder is not None and source.rel is not None:
            full = os.path.join(source.folder, *source.rel.split("/"))
        else:
            full = os.path.join(os.path.realpath(os.path.dirname(os.path.abspath(source.path))),
                                os.path.basename(source.path))
        root = _owner(full, self.roots)
        if root is None:
            return source.id, None
        return _rel_id(full, root), root

    def covered(self, folder: Folder) -> dict[str, tuple[str, set[str]]]:
        """For every root a walk of ``folder`` covers: the id prefix it covers there and the ids
        of the files present (root -> (prefix, ids))."""
        out: dict[str, tuple[str, set[str]]] = {}
        top = _owner(folder.path, self.roots)
        assert top is not None
        prefix = "" if top == folder.path else _rel_id(folder.path, top) + "/"
        out[top] = (prefix, set())
        for root in self.roots:
            if root != top and _inside(root, folder.path):
                out[root] = ("", set())
        for rel in folder.present:
            full = os.path.join(folder.path, *rel.split("/"))
            root = _owner(full, self.roots)
            if root in out:
                out[root][1].add(_rel_id(full, root))
        return out


def _documents_of(index: Index, root: str) -> list[str]:
    """Ids of the live documents stored with ``folder == root``."""
    from searchlib.index.schema import KEYWORD_MAX_CHARS

    reader = index.reader()
    ids: list[str] = []
    if len(root) > KEYWORD_MAX_CHARS or reader.schema.kind(FOLDER_FIELD) != "keyword":
        return [d["id"] for d in reader if d.get(FOLDER_FIELD) == root]  # not a term: read them all
    for seg in reader.segments:
        tid = seg.term_id(FOLDER_FIELD, root)
        if tid is None:
            continue
        docs, _ = seg.postings(tid)
        ids.extend(seg.doc_id(int(local)) for local in docs if seg.is_live(int(local)))
    return ids


# --------------------------------------------------------------------------------- the run


@dataclass
class Summary:
    """The outcome of one :func:`ingest` run."""

    sources: int = 0          # inputs read (files, stdin)
    added: int = 0            # new ids
    updated: int = 0          # ids already in the index whose content changed
    skipped: int = 0          # ids already in the index with identical content (not rewritten)
    deleted: int = 0          # documents whose files left an indexed folder (folder sync)
    ignored: int = 0          # files in directories with unsupported extensions, empty inputs
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # entries skipped on purpose (links, FIFOs, size)
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
            "updated": self.updated, "skipped": self.skipped, "deleted": self.deleted,
            "ignored": self.ignored, "errors": [p.message for p in self.errors],
            "warnings": [p.message for p in self.warnings], "commits": self.commits,
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


def _looks_like_html(text: str) -> bool:
    from searchlib.analysis.html import looks_like_html

    return looks_like_html(text)


def _page_text(source: Source, text: str) -> str:
    """The lines of a page, as the collection's template model sees them."""
    return html_to_text(text).text if source.kind == "html" or _looks_like_html(text) else text


def learn_templates(sources: list[Source], sample: int = TEMPLATE_SAMPLE, max_file_size: int = DEFAULT_MAX_FILE_SIZE
                    ) -> tuple[BoilerplateModel | None, dict[int, str]]:
    """Fit a :class:`BoilerplateModel` on up to ``sample`` page sources (lines repeated across many
    pages of the batch are site templates). Returns the model (None when fewer than 2 pages) and
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
            texts[i] = read_source(source, max_file_size=max_file_size)
        except SourceError:
            continue
    pages = [_page_text(sources[i], t) for i, t in texts.items()]
    return (BoilerplateModel.fit(pages) if len(pages) >= 2 else None), texts


def ingest(
    index: Index,
    sources: Iterable[Source],
    *,
    clean: bool = True,
    commit_every: int = COMMIT_EVERY,
    progress: Callable[[Progress], None] | None = None,
    on_error: Callable[[Problem], None] | None = None,
    on_warning: Callable[[Problem], None] | None = None,
    stdin: IO[bytes] | None = None,
    workers: int | None = None,
    lock_timeout: float = 10.0,
    learn: bool = True,
    prune: bool = True,
    max_file_size: int = DEFAULT_MAX_FILE_SIZE,
) -> Summary:
    """Index ``sources`` (see :func:`discover`) into ``index``; returns a :class:`Summary`.

    With ``clean`` (the default) raw pages are cleaned of boilerplate; with ``learn`` too, lines
    that repeat across many pages of this batch are learned as templates first
    (:func:`learn_templates`) and removed everywhere. ``on_error`` is called with each
    :class:`Problem` as it happens (they are also collected in ``Summary.errors``), ``on_warning``
    with each entry skipped on purpose (``Summary.warnings``).

    Folder sync: the folders of a :class:`Discovery` are recorded in the index (commit user data,
    :func:`indexed_roots`); a page from a folder gets the id of its path relative to the deepest
    recorded folder holding it and a ``folder`` field naming that folder. With ``prune`` (the
    default), documents of a walked folder whose files are gone are deleted, in the same commit.
    JSON Lines documents carry their own ids and are never pruned.

    Raises only for problems with the index itself (``LockError``, a damaged index, a full disk,
    ...): then the current batch is rolled back and earlier commits stay.
    """
    if commit_every < 1:
        raise ValueError("commit_every must be at least 1")
    discovery = sources if isinstance(sources, Discovery) else None
    summary = Summary(ignored=discovery.ignored if discovery is not None else 0)
    folders = discovery.folders if discovery is not None else []
    sources = list(sources)
    t0 = time.perf_counter()
    placement = _Placement(indexed_roots(index), folders)
    model, prefetched = learn_templates(sources, max_file_size=max_file_size) if clean and learn else (None, {})
    pending = 0
    seen: set[str] = set()  # ids written by this run (a repeated id replaces the earlier one)
    moved: dict[tuple[str, str], int] = {}  # (old folder, new folder) -> documents whose id now comes from another folder

    def problem(source: Source | str, message: str, warning: bool = False) -> None:
        p = Problem(source if isinstance(source, str) else source.name, message)
        (summary.warnings if warning else summary.errors).append(p)
        callback = on_warning if warning else on_error
        if callback is not None:
            callback(p)

    for w_problem in (discovery.warnings if discovery is not None else []):
        problem(w_problem.source, w_problem.message, warning=True)

    def report(done: int, source: Source, phase: str = "reading") -> None:
        if progress is not None:
            summary.seconds = time.perf_counter() - t0
            progress(Progress(done, len(sources), source, summary, phase))

    with index.writer(workers=workers, lock_timeout=lock_timeout) as w:
        # the index as this run found it: ids are looked up there (no file system call, and a
        # document is decompressed only when one with its id exists)
        before_run = index.reader()
        done = 0

        def write(doc: dict[str, Any], source: Source) -> None:
            nonlocal pending
            existing = before_run.get(doc["id"]) if doc["id"] not in seen else None
            try:
                if doc["id"] in seen:
                    w.update(doc)
                    summary.updated += 1
                elif existing is None:
                    w.add(doc)
                    summary.added += 1
                elif existing == w.schema.normalize(doc)[0]:  # compared as stored (typed values)
                    summary.skipped += 1
                    return
                else:
                    before, now = existing.get(FOLDER_FIELD), doc.get(FOLDER_FIELD)
                    if before and now and before != now:
                        moved[(before, now)] = moved.get((before, now), 0) + 1
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
            if source.kind == "jsonl":
                try:
                    for i, item in enumerate(_jsonl_documents(source, stdin, max_file_size), start=1):
                        if isinstance(item, SourceError):
                            problem(source, str(item))
                        else:
                            write(item, source)
                        if i % 1000 == 0:
                            report(done - 1, source)
                except SourceError as exc:
                    problem(source, str(exc))
                report(done, source)
                continue
            try:
                text = prefetched.pop(index_in_batch, None)
                if text is None:
                    text = read_source(source, stdin, max_file_size)
            except SourceError as exc:
                problem(source, str(exc))
                report(done, source)
                continue
            if not text.strip():
                summary.ignored += 1
                if prune and source.folder is not None:  # emptied: the index mirrors it with no document
                    doc_id, folder = placement.place(source)
                    old = index.get(doc_id) if folder is not None and doc_id not in seen else None
                    if old is not None and old.get(FOLDER_FIELD) == folder and w.delete(doc_id):
                        summary.deleted += 1
                report(done, source)
                continue
            doc_id, folder = placement.place(source)
            extra = {FOLDER_FIELD: folder} if folder is not None else {}
            kind = "html" if source.kind == "html" or _looks_like_html(text) else "text"  # a saved page named .txt
            write(page_document(text, doc_id, clean=clean, model=model, kind=kind, **extra), source)
            report(done, source)
        for (before, now), n in moved.items():
            problem(now, f"{now}: {n} document{'s' if n > 1 else ''} of folder {before} replaced by files of the "
                         "same relative path here (ids are paths relative to their folder)", warning=True)
        if prune:
            for folder in folders:
                # files under a folder the walk could not list are unknown, not gone
                unlisted = [os.path.join(folder.path, *u.rstrip("/").split("/")) if u else folder.path
                            for u in folder.unlisted]
                for root, (prefix, present) in placement.covered(folder).items():
                    for doc_id in _documents_of(index, root):
                        if doc_id.startswith(prefix) and doc_id not in present and doc_id not in seen and not (
                                unlisted and any(_inside(os.path.join(root, *doc_id.split("/")), u) for u in unlisted)):
                            w.delete(doc_id)
                            summary.deleted += 1
        if placement.roots != placement.recorded:
            w.set_user_data(ROOTS_KEY, sorted(placement.roots))
        if w.has_changes():
            if sources:
                report(done, sources[-1], "committing")
            w.commit()
            summary.commits += 1
    summary.seconds = time.perf_counter() - t0
    return summary
