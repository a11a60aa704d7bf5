"""Analysis as composable stages: each works alone, pipelines compose, the fused fold is the stages."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from searchlib.analysis.analyzer import Analyzer
from searchlib.analysis.normalize import Folded, fold
from searchlib.analysis.phrases import T2SPhrases
from searchlib.analysis.stages import JiebaTokenizer, Normalize, Pipeline, Stem, StripPinyin, T2SChars
from searchlib.analysis.stemming import StemByLanguage

PIECES = st.sampled_from(["調(diào)", "發(fā)", "長沙", "瞭解", "計程車", "使用者", "Ｃａｆé", "Straße", "e\u0301", "ﬁ", "①",
                          "(2021)", "CZT", " ", "，", "\u3000", "…", "𠀀(diào)", "\ud800", "ΣΑΣ", "İ"])
TEXTS = st.one_of(st.text(max_size=30), st.lists(PIECES, max_size=15).map("".join))
SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def one_by_one(text: str, stages) -> Folded:  # noqa: ANN001
    folded = Folded(text, text, None)
    for st_ in stages:
        folded = st_.apply(folded)
    return folded


def same_map(a: Folded, b: Folded) -> bool:
    """Two folds of one text agree on the text and on where every folded character comes from."""
    n = len(a.text)
    return a.text == b.text and all(a.span(i, i + 1) == b.span(i, i + 1) for i in range(n))


@SETTINGS
@given(TEXTS)
def test_the_fused_fold_is_the_stages_one_by_one(text: str) -> None:
    stages = [StripPinyin(), Normalize(), T2SChars()]
    assert same_map(fold(text), one_by_one(text, stages))
    assert same_map(fold(text, t2s=False), one_by_one(text, stages[:2]))
    assert same_map(fold(text, strip_pinyin=False), one_by_one(text, stages[1:]))


@SETTINGS
@given(TEXTS)
def test_a_pipeline_folds_like_its_stages(text: str) -> None:
    stages = [StripPinyin(), Normalize(), T2SChars(), T2SPhrases()]
    assert same_map(Analyzer(stemmer=None).fold(text), one_by_one(text, stages))


def test_compose_with_the_pipe_operator() -> None:
    p = StripPinyin() | Normalize() | T2SChars() | JiebaTokenizer()
    assert isinstance(p, Pipeline)
    assert p == Analyzer(stemmer=None, t2s_phrases=False).pipeline
    assert repr(p) == "StripPinyin() | Normalize() | T2SChars() | JiebaTokenizer(hmm=True, user_words=[])"
    text = "長沙晚報(bào)調(diào)研 Running"
    assert p.analyze(text) == Analyzer(stemmer=None, t2s_phrases=False).analyze(text)
    stemmed = p | Stem("english")
    assert [t.text for t in stemmed.analyze("running cars", "query")] == ["run", "car"]


def test_a_pipeline_without_the_usual_prefix_still_works() -> None:
    # no fusion possible: every stage runs on its own
    p = Normalize() | StripPinyin() | JiebaTokenizer()
    text = "調(diào)研ＣＺＴ"
    tokens = p.analyze(text, "query")
    assert [t.text for t in tokens] == ["調研", "czt"]
    assert [text[t.start:t.end] for t in tokens] == ["調(diào)研", "ＣＺＴ"]


def test_stage_order_is_checked() -> None:
    with pytest.raises(ValueError, match="before the tokenizer"):
        JiebaTokenizer() | Normalize()
    with pytest.raises(ValueError, match="after the tokenizer"):
        Stem("english") | JiebaTokenizer()
    with pytest.raises(ValueError, match="one tokenizer"):
        JiebaTokenizer() | JiebaTokenizer()
    with pytest.raises(ValueError, match="no tokenizer"):
        (StripPinyin() | Normalize()).analyze("x")
    with pytest.raises(TypeError, match="not an analysis stage"):
        Pipeline(["x"])  # type: ignore[list-item]


def test_stages_alone() -> None:
    f = StripPinyin().apply(Folded("調(diào)研", "調(diào)研", None))
    assert f.text == "調研" and f.span(0, 1) == (0, 7)
    assert Normalize().apply(Folded("ＣＺＴ", "ＣＺＴ", None)).text == "czt"
    assert T2SChars().apply(Folded("長沙", "長沙", None)).text == "长沙"
    assert T2SPhrases().apply(Folded("瞭解", "瞭解", None)).text == "了解"
    assert Stem("english").apply(["running", "u.s"], [0, 0]) == (["run", "u.s"], [0, 1])
    terms, src = StemByLanguage().apply(["minibuses", "2021"], [0, 0], "index")
    assert (terms, src) == (["minibus", "minibuses", "2021"], [0, 0, 1])
    assert StemByLanguage().apply(["pembangunan", "jalan"], [0, 0], "query")[0] == ["bangun", "jalan"]
    assert StemByLanguage().apply(["the", "minibuses"], [0, 0], "query")[0] == ["the", "minibus"]


def test_stage_configs() -> None:
    assert T2SPhrases().config() == {"table": 1}
    assert StemByLanguage().config() == {"languages": ["english", "indonesian"], "default": "english", "index": "all"}
    with pytest.raises(ValueError):
        StemByLanguage(languages=["klingon"])
    with pytest.raises(ValueError):
        T2SPhrases(table=99)
