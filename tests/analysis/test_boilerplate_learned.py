"""The learned line classifier of the boilerplate filter: model file, guards, speed, training."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus import train_line_model as training
from corpus.pages import iter_pages
from searchlib.analysis.boilerplate import clean, learned, rules_page, structure
from tests.workcount import assert_linear

CHROME_TOP = "当前位置:首页 > 新闻 > 正文内容\n湖南发布新一轮制造业支持政策\n2023-05-05 08:00 来源:湖南日报 阅读:99\n"
CHROME_BOTTOM = "\n责任编辑:张三\n分享到: 微信 微博\n版权所有 © 2024 某某网\n"
PARA = "今年以来,湖南围绕工程机械、轨道交通和航空动力三大产业集群持续发力,全省规模以上工业增加值同比增长6.1%。"
PARA2 = PARA.replace("今年以来", "一季度")
EN_TOP = "Home > News > Business\nPort traffic climbs as new terminal opens\nBy Jane Doe | May 5, 2024\n"
EN_PARA = ("Container traffic through the port rose by a fifth in the first quarter, the operator said on "
           "Monday, as the new deep-water terminal took its first large ships.")
EN_PARA2 = ("Officials expect the terminal to handle two million containers a year once its second berth opens, "
            "which is planned for the end of next year.")
EN_BOTTOM = "\nShare: Facebook | X | WhatsApp\nCopyright © 2024 Harbour Times. All rights reserved.\n"
TRAINING_PAGES = [p for name in training.TRAINING_SETS for p in iter_pages(training.CORPUS / name)]


# ---------------------------------------------------------------- the model file

def _pure_data(value: object) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _pure_data(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_pure_data(v) for v in value)
    return value is None or isinstance(value, (str, int, float, bool))


def test_model_file_is_plain_json_data_and_loads():
    raw = learned.MODEL_PATH.read_bytes()
    data = json.loads(raw.decode("utf-8"))
    assert _pure_data(data)
    assert data["format"] == learned.FORMAT and data["features"] == list(learned.FEATURES)
    model = learned.default_model()
    assert model is learned.default_model()  # loaded once
    assert isinstance(model, learned.LineModel) and "content" in model.classes
    assert 0.0 < model.threshold <= 1.0
    assert set(data["info"]["training_sets"]) == set(training.TRAINING_SETS)
    again = learned.LineModel.from_dict(json.loads(json.dumps(model.to_dict())))
    x = np.random.default_rng(0).normal(size=(5, len(learned.FEATURES)))
    assert np.allclose(again.proba(x), model.proba(x))
    assert np.allclose(model.proba(x).sum(axis=1), 1.0)


@pytest.mark.parametrize("change", [
    {"format": "pickle"}, {"version": 99}, {"features": ["units"]}, {"threshold": 2.0},
    {"classes": ["content", "nonsense"]}, {"weights": [[1.0]]}, {"scale": None},
])
def test_malformed_model_data_is_rejected(change):
    data = {**learned.default_model().to_dict(), **change}
    with pytest.raises(ValueError):
        learned.LineModel.from_dict(data)


# ---------------------------------------------------------------- what the pass may do

def test_learned_false_is_the_rules_alone_and_the_pass_only_removes():
    """``learned=False`` gives the rules' decisions (``rules_page``, then the final structure
    pass); the learned pass only removes lines the rules kept, never as a title, and leaves every
    rule decision as it was."""
    touched = 0
    for page in TRAINING_PAGES:
        rules = clean(page.text, learned=False)
        expected = rules_page(page.text)
        structure.keep_article_structure(expected)
        assert [line.reason for line in rules.lines] == [r or "content" for r in expected.reasons], page.name
        both = clean(page.text)
        for a, b in zip(rules.lines, both.lines):
            if not a.kept:
                assert b.reason == a.reason, (page.name, a.text)
            elif not b.kept:
                touched += 1
                assert b.reason not in ("title", "empty"), (page.name, b.text)
    assert touched >= 40  # the pass does something on the training pages


def test_features_have_one_row_per_line_and_fixed_width():
    page = rules_page(CHROME_TOP + PARA + "\n\n热点排行\n1 长沙地铁新线开通\n2 湘江新区签约项目" + CHROME_BOTTOM)
    x = learned.line_features(page)
    assert x.shape == (len(page.texts), len(learned.FEATURES)) and x.dtype == np.float64
    assert np.isfinite(x).all()
    rows = learned.candidates(page)
    assert np.array_equal(learned.line_features(page, rows), x[rows])


def test_no_chrome_no_learned_pass():
    text = "Short line\nAnother short line\n" + EN_PARA + "\nWhat next\n" + EN_PARA2
    assert learned.candidates(rules_page(text)) == []
    assert clean(text).text == text


_LATIN_WORDS = st.text(alphabet="abcdefghijklmnoprstuvwy", min_size=2, max_size=9)
_latin_sentence = st.lists(_LATIN_WORDS, min_size=3, max_size=20).map(
    lambda ws: ws[0].capitalize() + " " + " ".join(ws[1:]) + ".")
_cjk_sentence = st.text(alphabet="的一是在了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经",
                        min_size=6, max_size=60).map(lambda s: s + "。")
_PLACES = ("middle", "last", "first", "after_chrome")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(_latin_sentence, _cjk_sentence), st.sampled_from(_PLACES), st.booleans())
def test_learned_pass_never_removes_a_sentence(sentence, where, english):
    """A line ending in ``.``/``。`` with six units or more is never removed by the learned pass,
    wherever it stands: the rules alone decide about it."""
    top, para, para2, bottom = (EN_TOP, EN_PARA, EN_PARA2, EN_BOTTOM) if english else \
        (CHROME_TOP, PARA, PARA2, CHROME_BOTTOM)
    body = {"middle": f"{para}\n{sentence}\n{para2}", "last": f"{para}\n{para2}\n{sentence}",
            "first": f"{sentence}\n{para}\n{para2}", "after_chrome": f"{para}\n{para2}"}[where]
    text = top + body + bottom + (sentence if where == "after_chrome" else "")
    rules_kept = sentence in clean(text, learned=False).text.split("\n")
    assert rules_kept == (sentence in clean(text).text.split("\n"))


@pytest.mark.parametrize("line", [
    "Follow the story on WhatsApp, she said.",
    "Read more about the plan on the council's website, he added.",
    "Subscribers get the report a day early, the company said.",
    "Baca juga laporan lengkapnya di situs resmi pemerintah daerah.",
    "欢迎市民关注“湖南发布”微信公众号了解更多政策信息。",
    "What happens next",
    "1. 建设智能制造示范工厂;",
])
@pytest.mark.parametrize("where", ["middle", "last"])
def test_article_lines_with_chrome_words_survive_the_learned_pass(line, where):
    """The learned pass leaves these lines to the rules, and keeps every one the rules keep.

    (Two of them are removed by the rules themselves - "Follow the story on WhatsApp, she said."
    as a prompt, "What happens next" as the last line glued to the credit - which is the rules'
    decision, unchanged here.)"""
    body = PARA + "\n" + (line + "\n" + PARA2 if where == "middle" else PARA2 + "\n" + line)
    text = CHROME_TOP + body + CHROME_BOTTOM
    rules = {l.text: l.reason for l in clean(text, learned=False).lines}
    both = {l.text: l.reason for l in clean(text).lines}
    assert both[line] == rules[line]
    if line not in ("Follow the story on WhatsApp, she said.", "What happens next"):
        assert both[line] == "content"


def test_list_introduced_by_a_colon_survives():
    items = ["- Klang: Bandar Botanic and Pandamaran", "- Shah Alam: Section 7 and Section 13",
             "- Petaling: Kelana Jaya"]
    text = EN_TOP + EN_PARA + "\nThe affected areas are:\n" + "\n".join(items) + "\n" + EN_PARA2 + EN_BOTTOM
    kept = clean(text).text.split("\n")
    assert all(item in kept for item in items)



def test_unmarked_items_under_an_article_phrase_ending_in_a_colon_survive():
    """Items without list markers ("街道:地址") under "...如下:" inside the article are its text,
    up to the line that closes the list; the chrome after it is still the filter's to judge."""
    items = ["古城街道:解放路18号", "新河镇:文化中心一楼", "东湖街道:湖滨路近公园路", "北岭镇:社区服务中心"]
    closing = "欢迎居民前往!"
    text = (CHROME_TOP + PARA + "\n" + PARA2 + "\n4个新服务点地址如下:\n" + "\n".join(items)
            + "\n" + closing + CHROME_BOTTOM)
    page = rules_page(text)
    rows = learned.candidates(page)
    assert not {page.texts.index(t) for t in [*items, closing]} & set(rows)
    cleaned = clean(text)
    kept = cleaned.text.split("\n")
    assert all(item in kept for item in items) and closing in kept
    assert [line.text for line in cleaned.lines if not line.kept and line.text][-3:] == [
        "责任编辑:张三", "分享到: 微信 微博", "版权所有 © 2024 某某网"]
    # a short label line after the list's closing line is not protected by the list
    assert page.texts.index("欢迎居民前往!") + 1 not in {page.texts.index(t) for t in items}


def test_a_deck_under_the_headline_is_never_removed_by_the_learned_pass():
    deck = "Operator expects two million containers a year once the second berth opens next year"
    text = "Home > News > Business\nPort traffic climbs as new terminal opens\n" + deck + \
        "\nBy Jane Doe | May 5, 2024\n" + EN_PARA + "\n" + EN_PARA2 + EN_BOTTOM
    page = rules_page(text)
    ctx = learned._Context(page)
    i = page.texts.index(deck)
    if page.reasons[i - 1] == "title":
        assert i not in learned.candidates(page, ctx)
    assert clean(text).lines[i].kept == clean(text, learned=False).lines[i].kept

# ---------------------------------------------------------------- speed

def _long_page(n_lines: int) -> str:
    """Training pages glued together: chrome and article text in the proportions of real pages."""
    lines: list[str] = []
    for k in range(n_lines):
        if len(lines) >= n_lines:
            break
        lines += TRAINING_PAGES[k % len(TRAINING_PAGES)].text.split("\n")
    return "\n".join(lines[:n_lines])


def _linear(make, n: int) -> None:
    """4x the lines cost about 4x the work (a quadratic step would cost 16x); work is counted
    (tests.workcount), not timed, so a busy machine cannot fail it."""
    assert_linear(make, lambda text: clean(text, learned=True), n)


def test_twenty_thousand_line_page_is_linear_with_the_learned_pass():
    assert len(learned.candidates(rules_page(_long_page(20_000)))) > 1000  # the learned pass has work to do
    clean(_long_page(20_000))
    _linear(_long_page, 2_000)


def test_chrome_heavy_and_garbage_pages_are_linear():
    def chrome(n: int) -> str:
        return "\n".join(f"{i}. Ringgit ends week {i} higher | Most Read" if i % 3 else "Advertisement"
                         for i in range(n))

    def garbage(n: int) -> str:
        return "\n".join("·" * (i % 7) + " 1 " + "短行" * (i % 5) + ":" for i in range(n))

    _linear(chrome, 1_000)
    _linear(garbage, 1_000)


# ---------------------------------------------------------------- training

@pytest.mark.parametrize("name", ["holdout", "holdout2", "holdout3", "HOLDOUT", "../holdout"])
def test_training_refuses_the_holdout_sets(name):
    with pytest.raises(PermissionError):
        training.set_root(name)
    with pytest.raises(PermissionError):
        training.load_set(name)
    with pytest.raises(PermissionError):
        training.build((name,), verbose=False)


def test_training_sets_and_site_groups():
    assert not any("holdout" in name for name in training.TRAINING_SETS)
    pages = training.load_set("unseen4")
    site = training.sites(pages)
    assert len(set(site)) == 12  # 12 invented sites, 2 pages each (see its README)
    by_name = dict(zip((p.name for p in pages), site))
    assert by_name["en-k13"] == by_name["en-k14"] != by_name["en-k15"]


def _close(a: object, b: object) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b))
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(float(a), float(b), rel_tol=1e-3, abs_tol=1e-4)  # type: ignore[arg-type]
    return a == b


def test_refitting_on_the_training_sets_reproduces_the_shipped_weights():
    """The final fit (the slow part, cross-validation, is the stress test below)."""
    shipped = learned.default_model()
    pages = [pd for name in training.TRAINING_SETS for pd in training.load_set(name)]
    model = training.train(pages, list(shipped.classes), shipped.threshold)
    data = training._rounded(model, shipped.info)
    assert _close(data, json.loads(learned.MODEL_PATH.read_text(encoding="utf-8")))


@pytest.mark.stress
def test_retraining_reproduces_the_shipped_model_and_its_cv_figures():
    data, cv = training.build(verbose=False)
    shipped = json.loads(learned.MODEL_PATH.read_text(encoding="utf-8"))
    assert data["info"] == shipped["info"]  # threshold and cross-validated figures, exactly
    assert _close(data, shipped)
    total = cv["learned"]["all"]["total"]
    assert total["retention"] >= training.MIN_RETENTION and total["f1"] >= 0.95
    for name in ("unseen4", "unseen5"):
        assert cv["learned"][name]["total"]["f1"] > cv["rules"][name]["total"]["f1"]
        assert cv["learned"][name]["total"]["f1"] >= 0.95 and cv["learned"][name]["total"]["retention"] >= 0.99
