import openpyxl
import pandas as pd
import pytest

from policytag import aggregate
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
                        aggregate.profile(panel), "test-model")


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


def test_workbook_has_summary_documents_and_evidence_with_chinese_headers(report_tables, tmp_path):
    write_report(report_tables, tmp_path)
    book = openpyxl.load_workbook(tmp_path / "report.xlsx")
    assert book.sheetnames == ["覆盖率 summary", "文档 documents", "证据 evidence", "panel"]
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
