"""Bad arguments are SearchlibErrors that are also ValueError / TypeError (issue 13, item 9), on
the facade and its listing calls, with one clear line."""
from __future__ import annotations

from typing import Any

import pytest

import searchlib
from searchlib.errors import SearchlibError


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> searchlib.Index:
    index = searchlib.Index.create(tmp_path_factory.mktemp("args") / "ix")
    with index.writer(workers=1) as w:
        w.add({"id": "a", "body": "长沙工程机械", "source": "新华社", "date": "2024-04-19"})
    return index


def _add_page_with(ix: searchlib.Index, model: Any) -> None:
    with ix.writer(workers=1) as w:
        w.add_page("<html><body><p>长沙</p></body></html>", "p1", model)


@pytest.mark.parametrize("call, kind", [
    (lambda ix: ix.search("长沙", limit=-1), ValueError),
    (lambda ix: ix.search("长沙", offset=-5), ValueError),
    (lambda ix: ix.search("长沙", limit="10"), TypeError),
    (lambda ix: ix.search(None), TypeError),
    (lambda ix: ix.search("长沙", limit=True), TypeError),
    (lambda ix: ix.search("长沙", filter="source=新华社"), TypeError),
    (lambda ix: ix.search("长沙", sort=5), TypeError),
    (lambda ix: ix.search("长沙", facets=[3]), TypeError),
    (lambda ix: ix.search("长沙", after="not a cursor"), ValueError),
    (lambda ix: ix.count(filter={"date": {"gte": "yesterday-ish"}}), ValueError),
    (lambda ix: ix.count(5), TypeError),
    (lambda ix: searchlib.Index.open(None), TypeError),
    (lambda ix: searchlib.Index.open(5), TypeError),
    (lambda ix: searchlib.Index.create(None), TypeError),
    (lambda ix: _add_page_with(ix, "model"), TypeError),
    (lambda ix: ix.get(5), TypeError),
    (lambda ix: ix.complete("长", limit=-1), ValueError),
])
def test_bad_arguments_are_searchlib_errors_of_the_usual_kind(ix: searchlib.Index, call: Any, kind: type) -> None:
    with pytest.raises(SearchlibError) as err:
        call(ix)
    assert isinstance(err.value, kind), type(err.value).__mro__
    assert "\n" not in str(err.value) and str(err.value)


def _cursor(spec: list[str], values: Any) -> str:
    import base64
    import json

    return base64.urlsafe_b64encode(json.dumps([spec, values]).encode()).decode()


@pytest.mark.parametrize("sort, cursor", [
    ("-date", _cursor(["-date", "_score", "_doc"], ["abc", 1.0, 5])),       # a string for a date
    ("-date", _cursor(["-date", "_score", "_doc"], [1, "x", 5])),           # a string for the score
    ("-date", _cursor(["-date", "_score", "_doc"], [1, 1.0, 2.5])),         # a float for the doc
    ("-date", _cursor(["-date", "_score", "_doc"], [10**30, 1.0, 5])),      # past int64
    ("source", _cursor(["source", "_score", "_doc"], [3, 1.0, 5])),        # a number for a keyword
    ("-date", _cursor(["-date", "_score", "_doc"], [1, True, 5])),          # a bool
])
def test_a_crafted_cursor_is_an_argument_error(ix: searchlib.Index, sort: str, cursor: str) -> None:
    """A cursor is base64 JSON of the sort and its values; values of the wrong type were a
    TypeError, ValueError or OverflowError deep in the comparison."""
    with pytest.raises(SearchlibError, match="damaged cursor") as err:
        ix.search("长沙", sort=sort, after=cursor)
    assert isinstance(err.value, ValueError)


def test_a_cursor_nested_too_deeply_is_an_argument_error(ix: searchlib.Index) -> None:
    import base64

    deep = base64.urlsafe_b64encode(b"[" * 5000 + b"]" * 5000).decode()
    with pytest.raises(SearchlibError, match="not a cursor"):
        ix.search("长沙", sort="-date", after=deep)


def test_the_id_field_cannot_be_declared(tmp_path: Any) -> None:
    """fields={"id": ...} was dropped without a word; an id is always a string."""
    with pytest.raises(SearchlibError, match="every document's id"):
        searchlib.Index.create(tmp_path / "ix", fields={"id": "int"})
