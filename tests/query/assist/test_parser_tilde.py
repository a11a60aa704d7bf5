"""Golden cases for the ~ syntax: fuzzy terms and sloppy phrases (and their misuse)."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from searchlib.errors import QueryError
from searchlib.query.ast import Fuzzy, Phrase
from searchlib.query.parser import parse

SCHEMA = {"title": "text", "body": "text", "source": "keyword", "date": "date"}


@pytest.mark.parametrize("query,expected", [
    ("broadbnd~1", "broadbnd~1"),
    ("broadbnd~2", "broadbnd~2"),
    ("broadbnd~", "broadbnd~2"),
    ("broadbnd~0", "broadbnd"),
    ("Broadbnd~1", "broadbnd~1"),
    ("broadbnd~1^2", "broadbnd~1^2"),
    ("title:broadbnd~1", "title:broadbnd~1"),
    ("+broadbnd~1 -cable", "+broadbnd~1 -cabl"),  # words are stemmed (English Snowball)
    ("长沙~1", "长沙~1"),
    ('"tram line"~3', '"tram line"~3'),
    ('"tram line"~0', '"tram line"'),
    ('"tram line"~3^2', '"tram line"~3^2'),
    ('title:"tram line"~2', 'title:"tram line"~2'),
    ('"长沙 机械"~4 source:新华社', '"长沙 机械"~4 #source:新华社'),
    ('"tram"~3', "tram"),
    ("source:a~1", "source:a~1"),
    ("a~b", "a b"),
])
def test_golden(query: str, expected: str) -> None:
    assert str(parse(query, schema=SCHEMA)) == expected


def test_nodes() -> None:
    node = parse("broadbnd~1")
    assert node == Fuzzy("broadbnd", 1)
    node = parse('"tram line"~3')
    assert isinstance(node, Phrase) and node.slop == 3 and node.units == ("tram", "line")


@pytest.mark.parametrize("query,position", [
    ("broadbnd~3", 8), ("broadbnd~1.5", 8), ("broadbnd~0.8", 8), ("abc*~1", 4), ("e-commerce~1", 0),
    ('"a b"~', 5), ('"a b"~x', 5), ('"a b"~1.5', 5), ('"a b"~-1', 5), ('"a b"~10001', 5), ('source:"a b"~2', 12),
])
def test_misuse_is_a_query_error(query: str, position: int) -> None:
    with pytest.raises(QueryError) as err:
        parse(query, schema=SCHEMA)
    assert err.value.position == position
    assert "\n" not in str(err.value)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='ab ~"12^*()-:', max_size=20))
def test_any_tilde_string_parses_or_raises_query_error(text: str) -> None:
    try:
        parse(text, schema=SCHEMA)
    except QueryError:
        pass
