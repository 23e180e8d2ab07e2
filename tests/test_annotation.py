"""Labelling one's own reports: the sample, the workbook, and reading it back for evaluate and train."""

import json

import numpy as np
import pytest
from openpyxl import Workbook, load_workbook

from policytag.annotation import NONE, SHEET, _reservoir, sample_documents, sample_sentences, write_sample
from policytag.cli import main
from policytag.corpus import read_records
from policytag.errors import PolicytagError
from policytag.ingest import Document
from policytag.paths import samples_dir
from policytag.segment import segment_document
from policytag.taxonomy import load_taxonomy

TAXONOMY = load_taxonomy()
DOCUMENTS = [Document(f"d{d}.txt", "\n".join(f"第{d}号文件第{i}句，推进超低排放改造。" for i in range(10 + d)))
             for d in range(6)]


def test_the_reservoir_draws_every_item_equally_often():
    counts = np.zeros(10)
    for seed in range(3000):
        for item in _reservoir(range(10), 3, np.random.default_rng(seed)):
            counts[item] += 1
    assert counts.sum() == 9000
    assert np.all(np.abs(counts / 3000 - 0.3) < 0.04)  # each item's chance is 3/10


def test_a_sentence_sample_is_reproducible_in_document_order_and_counts_its_population():
    sample = sample_sentences(DOCUMENTS, 12, seed=5)
    assert sample.n_documents == 6 and sample.n_sentences == sum(10 + d for d in range(6))
    assert len(sample.sentences) == 12
    assert sample == sample_sentences(DOCUMENTS, 12, seed=5)
    assert sample.sentences != sample_sentences(DOCUMENTS, 12, seed=6).sentences
    order = [(int(s.doc_id[1]), s.index) for s in sample.sentences]
    assert order == sorted(order)
    segmented = {(s.doc_id, s.index): s.text for d in DOCUMENTS for s in segment_document(d.doc_id, d.text)}
    assert all(segmented[(s.doc_id, s.index)] == s.text for s in sample.sentences)  # as `tag` segments them


def test_a_document_sample_holds_whole_documents():
    sample = sample_documents(DOCUMENTS, 2, seed=1)
    drawn = sorted({s.doc_id for s in sample.sentences})
    assert len(drawn) == 2
    for doc_id in drawn:
        assert [s.index for s in sample.sentences if s.doc_id == doc_id] == list(range(10 + int(doc_id[1])))
    assert len(sample_documents(DOCUMENTS, 50).sentences) == sample.n_sentences  # more than there are: all


def _label(path, marks: dict[int, list[str]]):
    """Fill a sample workbook as an annotator would: row number -> the columns to mark with 1."""
    book = load_workbook(path)
    sheet = book[SHEET]
    column = {str(cell.value).split()[-1]: cell.column for cell in sheet[1]}
    for row, names in marks.items():
        for name in names:
            sheet.cell(row=row, column=column[name], value=1)
    book.save(path)


def test_a_labelled_workbook_reads_back_as_records_and_unlabelled_rows_are_left_out(tmp_path):
    path = tmp_path / "sample.xlsx"
    sample = sample_documents(DOCUMENTS, 1, seed=0)
    write_sample(sample, path, TAXONOMY)
    _label(path, {2: ["pollution_control"], 3: ["pollution_control", "land_use"], 4: [NONE]})
    notes = []
    records = read_records([path], TAXONOMY, note=notes.append)
    assert [r["labels"] for r in records] == [["pollution_control"], ["pollution_control", "land_use"], []]
    assert [r["text"] for r in records] == [s.text for s in sample.sentences[:3]]
    assert {r["doc_id"] for r in records} == {sample.sentences[0].doc_id}
    assert notes == [f"{path}: {len(sample.sentences) - 3} rows not labelled yet (no label and no 'none' mark), "
                     "left out"]
    guide = load_workbook(path)["说明 guide"]
    assert {row[0] for row in guide.iter_rows(values_only=True)} >= set(TAXONOMY.ids)


@pytest.mark.parametrize("cell, message", [
    (("pollution_control", "yes"), "row 2|column pollution_control: expected 1 or blank, not 'yes'"),
    ((NONE, 1), "marked both none and energy_carbon"),
])
def test_a_badly_filled_row_is_an_error_naming_the_file_and_row(tmp_path, cell, message):
    path = tmp_path / "sample.xlsx"
    write_sample(sample_sentences(DOCUMENTS, 3), path, TAXONOMY)
    _label(path, {2: ["energy_carbon"]})
    book = load_workbook(path)
    sheet = book[SHEET]
    column = {str(c.value).split()[-1]: c.column for c in sheet[1]}
    sheet.cell(row=2, column=column[cell[0]], value=cell[1])
    book.save(path)
    with pytest.raises(PolicytagError) as error:
        read_records([path], TAXONOMY)
    assert str(error.value).startswith(f"{path}:2: ")
    assert message.split("|")[-1] in str(error.value)


def test_a_workbook_without_the_label_columns_or_not_a_workbook_at_all_is_one_error(tmp_path):
    book = Workbook()
    book.active.append(["text", "pollution_control"])
    book.active.append(["推进超低排放改造。", 1])
    book.save(tmp_path / "own.xlsx")
    with pytest.raises(PolicytagError, match=r"own.xlsx:1: the first row must name .* missing: energy_carbon"):
        read_records([tmp_path / "own.xlsx"], TAXONOMY)
    (tmp_path / "fake.xlsx").write_text("not a zip", encoding="utf-8")
    with pytest.raises(PolicytagError, match=r"fake.xlsx: not a readable .xlsx workbook"):
        read_records([tmp_path / "fake.xlsx"], TAXONOMY)


def test_an_evaluation_set_may_repeat_a_sentence_but_a_training_corpus_may_not(tmp_path):
    lines = [json.dumps({"doc_id": doc, "text": "一、过去一年工作回顾", "labels": []}, ensure_ascii=False)
             for doc in ("a", "b")]
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert len(read_records([path], TAXONOMY, unique=False)) == 2
    with pytest.raises(PolicytagError, match="duplicate sentence"):
        read_records([path], TAXONOMY)


def test_sample_label_evaluate_from_the_command_line(tmp_path, capsys):
    out = tmp_path / "sample.xlsx"
    assert main(["sample", str(samples_dir()), "--documents", "1", "--seed", "2", "--out", str(out)]) == 0
    printed = capsys.readouterr().err
    assert "sampled" in printed and f"policytag evaluate --data {out}" in printed
    rows = list(load_workbook(out)[SHEET].iter_rows(min_row=2, values_only=True))
    assert len({row[0] for row in rows}) == 1 and len(rows) > 5
    _label(out, {row: [NONE] for row in range(2, len(rows) + 2)})  # every sentence: no measure
    assert main(["evaluate", "--data", str(out)]) == 0
    captured = capsys.readouterr()
    assert "none-vs-some accuracy" in captured.out and "coverage error per document" in captured.out
    assert "not labelled yet" not in captured.err


@pytest.mark.parametrize("args, message", [
    (["--size", "0", "--out", "s.xlsx"], "--size must be at least 1"),
    (["--size", "5", "--out", "s.csv"], "s.csv: write the sample to a .xlsx workbook or a .jsonl file"),
])
def test_sample_argument_errors_are_one_line_and_write_nothing(tmp_path, capsys, args, message):
    args = [a if not a.startswith("s.") else str(tmp_path / a) for a in args]
    assert main(["sample", str(samples_dir()), *args]) == 2
    assert message.split(": ")[-1] in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_sample_as_json_lines_and_more_than_there_is(tmp_path, capsys):
    out = tmp_path / "sample.jsonl"
    assert main(["sample", str(samples_dir()), "--size", "100000", "--out", str(out)]) == 0
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert set(lines[0]) == {"doc_id", "index", "text"}
    assert f"input holds {len(lines)}: took them all" in capsys.readouterr().err


def test_agree_matches_two_annotations_by_sentence_and_writes_the_disagreements(tmp_path, capsys):
    import pandas as pd

    rows = [("a", "推进超低排放改造。", ["pollution_control"]), ("a", "一、工作回顾", []),
            ("b", "一、工作回顾", []), ("b", "建设分布式光伏。", ["energy_carbon"])]
    first = tmp_path / "first.jsonl"
    first.write_text("".join(json.dumps({"doc_id": d, "text": t, "labels": labels}, ensure_ascii=False) + "\n"
                             for d, t, labels in rows), encoding="utf-8")
    # the other annotator's file in another order, one label differing and one sentence not labelled
    second = tmp_path / "second.jsonl"
    changed = [("b", "建设分布式光伏。", ["energy_carbon", "green_finance"]), ("b", "一、工作回顾", []),
               ("a", "一、工作回顾", [])]
    second.write_text("".join(json.dumps({"doc_id": d, "text": t, "labels": labels}, ensure_ascii=False) + "\n"
                              for d, t, labels in changed), encoding="utf-8")
    out = tmp_path / "disagreements.xlsx"
    assert main(["agree", str(first), str(second), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "3 sentences labelled in both" in captured.out and "identical label sets: 0.667" in captured.out
    assert "1 sentence labelled in one file only, left out" in captured.err
    table = pd.read_excel(out)
    assert table.values.tolist() == [["b", "建设分布式光伏。", "energy_carbon", "energy_carbon green_finance"]]

    unrelated = tmp_path / "other.jsonl"
    unrelated.write_text('{"text": "完全不同的一句。", "labels": []}\n', encoding="utf-8")
    assert main(["agree", str(first), str(unrelated)]) == 2
    assert "no labelled sentence in common" in capsys.readouterr().err
