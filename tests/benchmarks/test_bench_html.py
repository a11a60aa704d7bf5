"""benchmarks.bench_html: the body metric (unit 4-gram shingles) and a run on any folder of pages."""
from __future__ import annotations

import json
from pathlib import Path

from benchmarks import bench_html
from benchmarks.bench_html import body_scores, shingles, units


def test_units_are_han_characters_and_latin_words() -> None:
    assert units("長沙 Excavator exports, 2024年！") == ["長", "沙", "excavator", "exports", "2024", "年"]
    assert sum(shingles("长沙工程机械").values()) == 3  # character 4-grams of Han text
    assert sum(shingles("one two three four five").values()) == 2  # word 4-grams of Latin text
    assert shingles("a b") == {("a", "b"): 1}  # shorter than a shingle: the whole text counts once


def test_body_scores_ignore_line_breaks_and_count_repeats() -> None:
    gold = "第一段文字内容。\n第二段文字内容。"
    assert body_scores("第一段文字内容。第二段文字内容。", gold) == (11, 11, 11)
    overlap, got, want = body_scores("第一段文字内容。", gold)
    assert (overlap, got, want) == (4, 4, 11)  # precision 1, recall 4/11
    assert body_scores("", gold)[1:] == (0, 11)


def test_a_folder_of_the_same_format(tmp_path: Path) -> None:
    paras = ["Ekspor kopi Indonesia naik dua belas persen tahun ini, kata pejabat kementerian perdagangan.",
             "Permintaan terbesar datang dari Jepang dan Amerika Serikat, disusul negara-negara Eropa."]
    html = ("<html lang='id'><head><title>Ekspor kopi naik | Kabar Kita</title></head><body><nav><a>Beranda</a>"
            "<a>Ekonomi</a></nav><h1>Ekspor kopi naik</h1><div class='byline'>Oleh Rina Marlina | 4 Maret 2024</div>"
            "<div class='isi'>" + "".join(f"<p>{p}</p>" for p in paras) + "</div></body></html>")
    (tmp_path / "id-x01.html").write_text(html, encoding="utf-8")
    gold = {"title": "Ekspor kopi naik", "date": "2024-03-04", "author": "Rina Marlina", "editor": None,
            "source": "Kabar Kita", "site": "Kabar Kita", "url": None, "lang": "id", "body": "\n".join(paras)}
    (tmp_path / "id-x01.gold.json").write_text(json.dumps(gold), encoding="utf-8")
    out = tmp_path / "result.json"
    result = bench_html.main(["--html-dir", str(tmp_path), "--only", "searchlib", "--repeats", "1", "--out", str(out)])
    total = next(iter(result["sets"].values()))["searchlib"]["total"]
    assert total["micro"]["f1"] == 1.0 and total["title_exact"] == 1.0 and total["date_with_year"] == 1.0
    assert total["author"] == 1.0 and total["editor"] == 1.0 and total["site"] == 1.0
    assert json.loads(out.read_text(encoding="utf-8"))["sets"]
