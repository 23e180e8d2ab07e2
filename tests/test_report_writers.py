import json

import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest

from policytag import __version__, aggregate
from policytag.provenance import Provenance
from policytag.report import ReportTables
from policytag.report.html import highlight, render_html
from policytag.reporting import write_report
from policytag.taxonomy import load_taxonomy

from .test_aggregate import tables  # noqa: F401  (the hand-made fixture)


@pytest.fixture
def report_tables(tables):  # noqa: F811
    """The hand-made fixture widened to the full label set (the other labels: never tagged, probability 0)."""
    labels, evidence_rows, documents = tables
    taxonomy = load_taxonomy()
    others = pd.DataFrame([(doc, label, 0, 0.0) for doc in documents["doc_id"] for label in taxonomy.ids
                           if label not in set(labels["label"])], columns=labels.columns)
    panel = aggregate.panel(pd.concat([labels, others], ignore_index=True), documents, taxonomy.ids, "city")
    return ReportTables(taxonomy, "city", panel, documents, aggregate.evidence(evidence_rows, documents, "city"),
                        aggregate.profile(panel), Provenance.from_model("test-model", MODEL_META))


MODEL_META = {
    "model_sha256": "ab12" * 16, "trained_at": "2026-01-02T03:04:05Z", "corpus_hash": "c0ffee", "n_sentences": 100,
    "real_dev": {"data": "10 annotated sentences (gold.jsonl)", "measured_at": "2026-01-03", "figures": {
        "policytag": {"micro_f1": 0.8123, "macro_f1": 0.7771, "coverage_error": 0.00971,
                      "labels": {"pollution_control": {"f1": 0.8376, "support": 106},
                                 "land_use": {"f1": 0.7031, "support": 84}}},
        "keywords": {"micro_f1": 0.6, "macro_f1": 0.55, "coverage_error": 0.018}}},
}


def test_every_writer_produces_a_readable_file(report_tables, tmp_path):
    written = {p.name for p in write_report(report_tables, tmp_path)}
    assert written == {"panel.csv", "panel.parquet", "panel.dta", "report.xlsx", "report.html", "summary.md"}
    csv = pd.read_csv(tmp_path / "panel.csv")
    parquet = pd.read_parquet(tmp_path / "panel.parquet")
    stata = pd.read_stata(tmp_path / "panel.dta")
    assert len(csv) == len(parquet) == len(stata) == 3 * 12  # 柳州市, 镇江市, (unknown) × 12 labels
    liuzhou = stata[(stata.city == "柳州市") & (stata.label == "pollution_control")].iloc[0]
    assert liuzhou.n_sentences == 2 and liuzhou.present == 1
    assert set(csv.columns) >= {"city", "year", "label", "n_sentences", "share", "present", "mean_prob", "n_documents"}


def test_workbook_has_summary_documents_evidence_and_provenance_with_chinese_headers(report_tables, tmp_path):
    write_report(report_tables, tmp_path)
    book = openpyxl.load_workbook(tmp_path / "report.xlsx")
    assert book.sheetnames == ["覆盖率 summary", "文档 documents", "证据 evidence", "panel", "来源 about"]
    headers = [cell.value for cell in book["覆盖率 summary"][1]]
    assert "污染防治 pollution_control" in headers and "土地集约与空间布局 land_use" in headers
    evidence = list(book["证据 evidence"].values)
    assert any(row[-1] == "超低排放" for row in evidence[1:])


def test_html_is_self_contained_and_highlights_terms(report_tables):
    html = render_html(report_tables)
    assert "<script" not in html and "http://" not in html and "https://" not in html
    assert "污染防治" in html and 'id="heatmap"' in html
    assert "<mark>" not in render_html(report_tables).split("证据句")[0]
    assert str(highlight("推进超低排放改造<b>", ["超低排放"])) == "推进<mark>超低排放</mark>改造&lt;b&gt;"


def test_markdown_lists_the_documents_without_metadata(report_tables, tmp_path):
    write_report(report_tables, tmp_path)
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert "| 柳州市 |" in summary and "33.3%" in summary
    assert "`lost`: city and year unknown" in summary


def test_every_report_file_says_which_model_made_it_and_how_accurate_it_was(report_tables, tmp_path):
    write_report(report_tables, tmp_path)
    sha = MODEL_META["model_sha256"]
    parquet = pq.read_schema(tmp_path / "panel.parquet").metadata
    assert json.loads(parquet[b"policytag"])["model_sha256"] == sha
    with pd.io.stata.StataReader(tmp_path / "panel.dta") as stata:
        assert stata.data_label == f"policytag {__version__}, model test-model sha256:{sha[:12]}"
    about = dict(openpyxl.load_workbook(tmp_path / "report.xlsx")["来源 about"].iter_rows(min_row=2, values_only=True))
    assert about["model_sha256"] == sha and about["trained_at"] == "2026-01-02T03:04:05Z"
    accuracy = ("on 10 annotated sentences (gold.jsonl): micro F1 0.812, macro F1 0.777, coverage error 0.0097; "
                "a keyword dictionary on the same sentences: micro F1 0.600, macro F1 0.550, coverage error 0.0180")
    assert accuracy in about["real_report_accuracy"]
    for page in ("report.html", "summary.md"):
        text = (tmp_path / page).read_text(encoding="utf-8")
        assert sha[:12] in text and accuracy in text, page


def test_reports_show_how_far_each_label_can_be_trusted(report_tables, tmp_path):
    write_report(report_tables, tmp_path)
    about = dict(openpyxl.load_workbook(tmp_path / "report.xlsx")["来源 about"].iter_rows(min_row=2, values_only=True))
    assert about["label_f1"] == "pollution_control 0.838 (106), land_use 0.703 (84)"
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert "污染防治 0.84 (106), 土地集约与空间布局 0.70 (84)" in summary
    header = (tmp_path / "report.html").read_text(encoding="utf-8").split("<tbody>")[0]
    assert "模型F1 model F1" in header and "<small>0.84</small>" in header and "<small>0.70</small>" in header
    assert header.count("<small>–</small>") == 10  # the ten labels without a recorded figure


def test_a_model_never_measured_on_real_reports_says_so():
    unmeasured = Provenance.from_model("mine", {"model_sha256": "0" * 64})
    assert unmeasured.real_report_accuracy.startswith("Accuracy on real reports: not measured")
    assert unmeasured.fields()["n_training_sentences"] == "" and unmeasured.fields()["label_f1"] == ""
    for edited in ({"figures": {"policytag": {"micro_f1": "high"}}}, "oops", {"table": "printed only"}):
        provenance = Provenance.from_model("mine", {"model_sha256": "0" * 64, "real_dev": edited})
        assert provenance.real_report_accuracy.startswith("Accuracy on real reports: unknown"), edited
        assert provenance.label_f1 == (), edited
