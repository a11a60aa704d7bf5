"""Did-you-mean and typo tolerance; autocomplete; assistance settings."""
from __future__ import annotations

import pytest

import searchlib
from searchlib.errors import ArgumentError, ArgumentTypeError


@pytest.mark.parametrize("query,suggestion", [
    ("broadbnd", "broadband"),
    ("Broadbnd internet", "broadband internet"),
    ("title:broadbnd", "title:broadband"),
    ("excavatros changsha", "excavators changsha"),
    ("常沙", "长沙"),
    ("常沙 excavators", "长沙 excavators"),
])
def test_suggestion(ix: searchlib.Index, query: str, suggestion: str) -> None:
    assert ix.search(query).suggestion == suggestion


@pytest.mark.parametrize("query", [
    "broadband", "changsha", "长沙", "長沙", "长沙 broadband", "深圳宽带", "zhuzhou", "dance", "株洲轨道交通",
    "broadbnd~1", '"tram line"~2', "xyzzyq", "qqq", "景点",
])
def test_no_suggestion_for_fine_queries(ix: searchlib.Index, query: str) -> None:
    assert ix.search(query).suggestion is None


def test_typo_tolerance_finds_the_documents(ix: searchlib.Index) -> None:
    r = ix.search("broadbnd")
    assert set(r.ids) == {"en1", "en4"} and "broadband" in r.terms
    assert ix.search("broadbnd", assist={"typos": False}).ids == []
    assert ix.search("broadbnd", assist={"typos": False}).suggestion == "broadband"
    assert ix.search("broadbnd", assist={"suggest": False}).suggestion is None
    # a homophone typo finds the word it sounds like, marked in the snippet
    r = ix.search("常沙")
    assert {"zh1", "zh7"} <= set(r.ids)
    assert ix.search("常沙", assist=False).suggestion is None


def test_suggestion_in_cli_json(ix: searchlib.Index) -> None:
    from click.testing import CliRunner

    from searchlib.cli import cli

    out = CliRunner().invoke(cli, ["query", "broadbnd", "--index", ix.path, "--json"])
    assert out.exit_code == 0, out.output
    import json

    assert json.loads(out.output)["suggestion"] == "broadband"
    out = CliRunner().invoke(cli, ["query", "broadbnd", "--index", ix.path])
    assert "Did you mean: broadband" in out.output
    out = CliRunner().invoke(cli, ["query", "broadbnd", "--index", ix.path, "--no-assist"])
    assert "Did you mean" not in out.output and "0 hits" in out.output


# -- autocomplete ---------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix,expected", [
    ("株", "株洲"), ("株洲", "株洲市"), ("changs", "长沙"), ("cs", "长沙"), ("zz", "株洲"), ("zhuzh", "株洲"),
    ("shenz", "深圳"), ("broad", "broadband"), ("Broad", "broadband"), ("長", "长沙"), ("exc", "excavators"),
])
def test_complete(ix: searchlib.Index, prefix: str, expected: str) -> None:
    assert expected in ix.complete(prefix), ix.complete(prefix)


def test_complete_ranking_titles_and_limits(ix: searchlib.Index) -> None:
    got = ix.complete("changs")
    assert got[0] == "长沙"  # the most frequent word first
    assert "长沙工程机械" in got  # a title starting with the best word
    assert ix.complete("changs", titles=False)[:1] == ["长沙"] and "长沙工程机械" not in ix.complete("changs", titles=False)
    assert len(ix.complete("c", limit=3)) <= 3
    assert ix.complete("c", limit=0) == []
    assert ix.complete("长沙 zhuz") == ["长沙 株洲", *[x for x in ix.complete("长沙 zhuz") if x != "长沙 株洲"]]
    assert ix.complete("") == [] and ix.complete("  ") == [] and ix.complete("!!") == []
    assert ix.complete("qqqqqq") == []
    with pytest.raises(ArgumentTypeError):
        ix.complete(3)  # type: ignore[arg-type]
    with pytest.raises(ArgumentError):
        ix.complete("a", limit=-1)


def test_settings_per_index(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.query.assist.conftest import build

    ix = build(tmp_path / "ix", assist=False)
    assert ix.assist_settings == searchlib.Index.open(ix.path).assist_settings
    assert not ix.assist_settings.pinyin and not ix.assist_settings.complete
    assert ix.complete("changs") == []
    assert ix.search("shenzhen").ids == [] and ix.search("broadbnd").suggestion is None
    with pytest.raises(searchlib.QueryError, match="this index"):
        ix.search("broadbnd~1")
    seg = ix.reader().segments[0]
    assert seg.readings is None  # no reading data is built while every user of it is off
    ix.set_assist({"complete": False})
    assert ix.assist_settings.pinyin and not ix.assist_settings.complete
    with ix.writer(workers=1, merge=False) as w:
        w.add({"id": "new", "title": "", "body": "深圳湾"})
    # the new segment lists 深圳 under shenzhen; expansions are index-wide, so the old segment's
    # 深圳 matches too
    assert set(ix.search("shenzhen").ids) == {"zh3", "new"}
    assert ix.reader().segments[0].readings is None
    ix.optimize()
    assert ix.reader().segments[0].readings is not None
    assert set(ix.search("shenzhen").ids) == {"zh3", "new"}
    with pytest.raises(ArgumentError):
        ix.set_assist({"pinyn": False})
    with pytest.raises(ArgumentTypeError):
        ix.set_assist({"pinyin": "no"})
    with pytest.raises(ArgumentTypeError):
        searchlib.Index.open(ix.path).search("x", assist="yes")


def test_cli_complete(ix: searchlib.Index) -> None:
    import json
    import subprocess
    import sys

    from click.testing import CliRunner

    from searchlib.cli import cli

    out = CliRunner().invoke(cli, ["complete", "changs", "--index", ix.path, "--no-titles"])
    assert out.exit_code == 0 and out.output.splitlines()[0] == "长沙", out.output
    out = CliRunner().invoke(cli, ["complete", "cs", "--index", ix.path, "--json", "--limit", "2"])
    data = json.loads(out.output)
    assert data["prefix"] == "cs" and data["completions"][0] == "长沙" and len(data["completions"]) <= 2
    proc = subprocess.run([sys.executable, "-m", "searchlib.cli", "complete", "株", "--index", ix.path],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and "株洲" in proc.stdout.splitlines(), proc.stderr
    proc = subprocess.run([sys.executable, "-m", "searchlib.cli", "query", "broadbnd~7", "--index", ix.path],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and proc.stderr.startswith("error: fuzzy search takes a distance of 0, 1 or 2")


def test_excluded_words_are_taken_as_typed(ix: searchlib.Index) -> None:
    # "-changsha" excludes the Latin word only, "-broadbnd" nothing (and suggests nothing)
    assert {"zh1", "zh7"} <= set(ix.search("长沙 -changsha").ids)
    assert "en1" not in ix.search("长沙 -changsha").ids
    r = ix.search("internet -broadbnd")
    assert set(r.ids) == {"en1", "en4"} and r.suggestion is None
    for q in ("excavators -常沙", "excavators NOT 常沙", "excavators -title:常沙"):
        r = ix.search(q)
        assert r.suggestion is None and "homophone" not in (r.parsed or ""), q
    assert ix.search("excavators 常沙").suggestion == "excavators 长沙"


def test_corrections_and_completions_are_words_not_stems(ix: searchlib.Index) -> None:
    # the index holds English stems ("danc", "provid"); what users are offered are words
    assert ix.search("dancce").suggestion == "dance"
    assert ix.search("provders").suggestion == "providers"  # 1 edit as typed, 2 between the stems
    assert {"en4"} <= set(ix.search("provders").ids)
    words = ix.complete("dan") + ix.complete("pro") + ix.complete("exc")
    assert "dance" in words and "providers" in words and "excavators" in words
    assert not {"danc", "provid", "excav"} & set(words)
