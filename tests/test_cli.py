import json
import os
import subprocess
import sys

import pytest

from policytag.cli import main
from policytag.paths import samples_dir

from .conftest import write_jsonl


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _command_names() -> list[str]:
    """The subcommands the parser offers, so that a new one cannot miss this test."""
    import argparse

    from policytag.cli import _parser

    commands = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    return sorted(commands.choices)


@pytest.mark.parametrize("command", [[], *([name] for name in _command_names())])
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--help"])
    assert exit_info.value.code == 0
    assert "usage: policytag" in capsys.readouterr().out


def test_report_offers_every_grouping_the_aggregation_knows():
    from policytag.aggregate import GROUPINGS
    from policytag.cli import REPORT_GROUPINGS

    assert sorted(REPORT_GROUPINGS) == sorted(GROUPINGS)


def test_tag_the_bundled_samples_in_every_format(tmp_path):
    out = tmp_path / "tags.jsonl"
    assert main(["tag", str(samples_dir()), "--out", str(out)]) == 0
    rows = read_jsonl(out)
    coverage = [r for r in rows if r["type"] == "coverage"]
    sentences = [r for r in rows if r["type"] == "sentence"]
    assert {c["doc_id"].rsplit(".", 1)[1] for c in coverage} == {"txt", "docx", "html"}
    for doc in coverage:
        own = [s for s in sentences if s["doc_id"] == doc["doc_id"]]
        assert doc["n_sentences"] == len(own) > 0
        assert [s["index"] for s in own] == list(range(len(own)))
        for label, figures in doc["labels"].items():
            tagged = sum(label in s["labels"] for s in own)
            assert figures["n_sentences"] == tagged
            assert figures["share"] == pytest.approx(tagged / len(own), abs=1e-4)
    first = sentences[0]
    assert set(first) == {"type", "doc_id", "index", "text", "labels", "probs", "evidence"}
    assert len(first["probs"]) == 12
    assert any(s["labels"] for s in sentences)
    for s in sentences:
        assert set(s["evidence"]) == set(s["labels"])


def test_a_bad_document_in_a_folder_is_reported_and_skipped(tmp_path, capsys):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "good.txt").write_text("全面完成钢铁企业超低排放改造。\n今年新增光伏装机50万千瓦。", encoding="utf-8")
    (folder / "broken.docx").write_bytes(b"not a docx")
    out = tmp_path / "tags.jsonl"
    assert main(["tag", str(folder), "--out", str(out)]) == 1
    error = capsys.readouterr().err
    assert "broken.docx" in error and "Traceback" not in error
    assert "tagged 2 sentences in 1 document (1 skipped)" in error
    assert {r["doc_id"] for r in read_jsonl(out)} == {"good.txt"}


def test_pre_split_mode_keeps_ids_and_does_not_resegment(tmp_path):
    source = write_jsonl(tmp_path / "in.jsonl", [
        json.dumps({"id": "a", "text": "推进园区循环化改造。加快建设绿色工厂。"}, ensure_ascii=False),
        json.dumps({"id": 7, "text": "各位代表："}, ensure_ascii=False),
    ])
    out = tmp_path / "out.jsonl"
    assert main(["tag", "--sentences", str(source), "--out", str(out)]) == 0
    rows = read_jsonl(out)
    assert [r["id"] for r in rows] == ["a", 7]
    assert set(rows[0]) == {"id", "labels", "probs", "evidence"}


@pytest.mark.parametrize("line, message", [
    ('{"text": "推进节水。"}', "expected an object with 'id' and 'text'"),
    ('{"id": 1, "text": "推进节水。"', "invalid JSON"),
])
def test_pre_split_errors_name_the_line_and_write_nothing(tmp_path, capsys, line, message):
    source = write_jsonl(tmp_path / "in.jsonl", ['{"id": 0, "text": "推进节水。"}', line])
    out = tmp_path / "out.jsonl"
    assert main(["tag", "--sentences", str(source), "--out", str(out)]) == 2
    assert f"in.jsonl:2: {message}" in capsys.readouterr().err
    assert not out.exists()


def test_evaluate_prints_metrics_for_an_annotated_file(tmp_path, capsys):
    data = write_jsonl(tmp_path / "gold.jsonl", [
        '{"text": "全面完成钢铁企业超低排放改造，关停散乱污企业30家。", "labels": ["pollution_control"]}',
        '{"text": "本次会议共收到书面意见十二份。", "labels": []}',
    ])
    out = tmp_path / "metrics.json"
    assert main(["evaluate", "--data", str(data), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "macro avg" in printed and "pollution_control" in printed
    assert json.loads(out.read_text(encoding="utf-8"))["n_sentences"] == 2
    assert "2 sentences resampled" in printed
    assert json.loads(out.read_text(encoding="utf-8"))["figures"]["policytag"]["coverage_error"] is None


def test_evaluate_with_documents_resamples_them_and_prints_the_coverage_error(tmp_path, capsys):
    sentences = [("a", "全面完成钢铁企业超低排放改造，关停散乱污企业30家。", ["pollution_control"]),
                 ("a", "本次会议共收到书面意见十二份。", []),
                 ("b", "新增光伏装机50万千瓦，单位GDP能耗下降3%。", ["energy_carbon"]),
                 ("b", "今年经济运行总体平稳。", ["pollution_control"])]  # a label the model should not give
    data = write_jsonl(tmp_path / "gold.jsonl", [
        json.dumps({"doc_id": doc, "text": text, "labels": labels}, ensure_ascii=False)
        for doc, text, labels in sentences])
    out = tmp_path / "metrics.json"
    assert main(["evaluate", "--data", str(data), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "2 documents resampled" in printed and "keyword dictionary (labels/ seed terms) on the same" in printed
    metrics = json.loads(out.read_text(encoding="utf-8"))
    assert metrics["intervals_95"]["resampled"] == "document"
    assert metrics["shares"]["pollution_control"]["annotated"] == 0.5
    assert "share of sentences, annotated → tagged: pollution_control 50.0% →" in printed
    # document b: pollution_control annotated on 1 of 2 sentences, predicted on none -> |0 - 0.5| / 12 labels
    assert metrics["figures"]["policytag"]["coverage_error"] == pytest.approx((0.5 / 12) / 2, abs=1e-4)


def test_evaluate_leaves_out_sentences_the_model_was_trained_on(tmp_path, capsys):
    import shutil

    from policytag.corpus import read_records
    from policytag.paths import default_model_dir

    trained = [r["text"] for r in read_records()[:2]]
    unseen = "全面完成钢铁企业超低排放改造，关停散乱污企业30家。"
    data = write_jsonl(tmp_path / "gold.jsonl", [json.dumps({"text": t, "labels": []}, ensure_ascii=False)
                                                  for t in [*trained, unseen]])
    out = tmp_path / "metrics.json"
    assert main(["evaluate", "--data", str(data), "--out", str(out)]) == 0
    assert "left out 2 of 3 sentences that the model was trained on" in capsys.readouterr().err
    metrics = json.loads(out.read_text(encoding="utf-8"))
    assert metrics["n_sentences"] == 1 and metrics["left_out_trained_on"] == 2

    only_trained = write_jsonl(tmp_path / "trained.jsonl", data.read_text(encoding="utf-8").splitlines()[:2])
    assert main(["evaluate", "--data", str(only_trained)]) == 2
    assert "trained on every one of these sentences" in capsys.readouterr().err

    # a model folder that does not list its training sentences is evaluated, with a warning
    old = tmp_path / "old"
    shutil.copytree(default_model_dir(), old)
    meta = json.loads((old / "model.json").read_text(encoding="utf-8"))
    del meta["training_fingerprints"]
    (old / "model.json").write_text(json.dumps(meta), encoding="utf-8")
    assert main(["evaluate", "--data", str(data), "--model", str(old)]) == 0
    assert "does not list its training sentences" in capsys.readouterr().err


def test_evaluate_record_puts_the_figures_into_ones_own_model_and_its_reports_quote_them(tmp_path, capsys):
    import shutil

    from policytag.paths import default_model_dir

    mine = tmp_path / "mine"
    shutil.copytree(default_model_dir(), mine)
    data = write_jsonl(tmp_path / "gold.jsonl", [
        json.dumps({"doc_id": doc, "text": text, "labels": labels}, ensure_ascii=False)
        for doc, text, labels in [("a", "全面完成钢铁企业超低排放改造。", ["pollution_control"]),
                                  ("b", "新增光伏装机50万千瓦。", ["energy_carbon"])]])
    assert main(["evaluate", "--data", str(data), "--record"]) == 2  # never into the shipped model
    assert "give --model DIR" in capsys.readouterr().err
    assert main(["evaluate", "--data", str(data), "--model", str(mine), "--record"]) == 0
    record = json.loads((mine / "model.json").read_text(encoding="utf-8"))["real_dev"]
    assert record["data"] == "2 annotated sentences in 2 documents (gold.jsonl)"
    assert set(record["figures"]) == {"policytag", "keywords"}
    assert "policytag evaluate --data gold.jsonl --record" in (mine / "README.md").read_text(encoding="utf-8")
    out = tmp_path / "report"
    assert main(["report", str(samples_dir()), "--model", str(mine), "--out", str(out)]) == 0
    assert "on 2 annotated sentences in 2 documents (gold.jsonl): micro F1" in (out / "summary.md").read_text(
        encoding="utf-8")


def test_a_corrupt_model_is_one_line_and_exit_2(tmp_path, capsys):
    (tmp_path / "model.json").write_text("{", encoding="utf-8")
    assert main(["tag", str(samples_dir()), "--model", str(tmp_path)]) == 2
    error = capsys.readouterr().err.strip()
    assert error.count("\n") == 0 and "model.json" in error


def test_output_is_not_left_half_written_when_tagging_fails(tmp_path, monkeypatch):
    import policytag.work as work

    calls = {"n": 0}
    real = work.tag_batch

    def fail_on_second(model, sentences):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return real(model, sentences)

    monkeypatch.setattr(work, "tag_batch", fail_on_second)
    out = tmp_path / "tags.jsonl"
    out.write_text("previous results\n", encoding="utf-8")
    assert main(["tag", str(samples_dir()), "--out", str(out)]) == 130
    assert out.read_text(encoding="utf-8") == "previous results\n"
    assert [p.name for p in tmp_path.iterdir()] == ["tags.jsonl"]


def test_the_installed_command_is_quiet_when_piped(tmp_path):
    out = tmp_path / "tags.jsonl"
    result = subprocess.run(
        [sys.executable, "-m", "policytag", "tag", str(samples_dir()), "--out", str(out)],
        capture_output=True, text=True, env={**os.environ, "PYTHONIOENCODING": "utf-8"}, check=False,
    )
    assert result.returncode == 0
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]  # one summary line, no progress bar
    assert str(out) in result.stderr
