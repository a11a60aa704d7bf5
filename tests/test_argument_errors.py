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
    (lambda ix: ix.get(5), TypeError),
    (lambda ix: ix.complete("长", limit=-1), ValueError),
])
def test_bad_arguments_are_searchlib_errors_of_the_usual_kind(ix: searchlib.Index, call: Any, kind: type) -> None:
    with pytest.raises(SearchlibError) as err:
        call(ix)
    assert isinstance(err.value, kind), type(err.value).__mro__
    assert "\n" not in str(err.value) and str(err.value)
