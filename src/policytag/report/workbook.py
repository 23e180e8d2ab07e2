"""The Excel workbook: a groups × labels summary, the documents, the evidence sentences and the panel."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..textio import atomic_output
from . import ReportTables, shade


def write_workbook(tables: ReportTables, out_dir: Path) -> list[Path]:
    taxonomy = tables.taxonomy
    headers = {label.id: f"{label.zh} {label.id}" for label in taxonomy.labels}
    summary = tables.share_matrix().rename(columns=headers)
    summary.index.name = tables.group_header
    documents = tables.documents.rename(columns={
        "doc_id": "文档 doc_id", "city": "城市 city", "province": "省份 province",
        "year": "年份 year", "title": "标题 title", "n_total": "句子数 sentences",
    })
    evidence = tables.evidence.assign(
        label=tables.evidence["label"].map(lambda i: headers.get(i, i)),
        terms=tables.evidence["terms"].map(lambda t: "、".join(t)),
    ).rename(columns={"label": "类别 label", "rank": "排名 rank", "prob": "概率 prob", "text": "句子 sentence",
                      "terms": "关键词 terms", "index": "句序 index", "doc_id": "文档 doc_id", "city": "城市 city",
                      "province": "省份 province",
                      "year": "年份 year"})
    path = out_dir / "report.xlsx"
    with atomic_output(path, "wb") as handle, pd.ExcelWriter(handle, engine="openpyxl") as writer:
        summary.to_excel(writer, sheet_name="覆盖率 summary")
        documents.to_excel(writer, sheet_name="文档 documents", index=False)
        evidence.to_excel(writer, sheet_name="证据 evidence", index=False)
        tables.panel.to_excel(writer, sheet_name="panel", index=False)
        about = pd.DataFrame(list(tables.provenance.fields().items()), columns=["项目 field", "值 value"])
        about.to_excel(writer, sheet_name="来源 about", index=False)
        writer.sheets["来源 about"].column_dimensions["A"].width = 24
        writer.sheets["来源 about"].column_dimensions["B"].width = 120
        _style_summary(writer.sheets["覆盖率 summary"], len(summary), len(summary.columns))
        for name in ("文档 documents", "证据 evidence", "panel"):
            writer.sheets[name].freeze_panes = "A2"
    return [path]


def _style_summary(sheet, n_rows: int, n_columns: int) -> None:
    """Shares as percentages, shaded by value, so the sheet reads like the HTML heatmap."""
    sheet.freeze_panes = "B2"
    sheet.column_dimensions["A"].width = 24
    for column in range(2, n_columns + 2):
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = 14
        header = sheet.cell(row=1, column=column)
        header.alignment = Alignment(wrap_text=True, horizontal="center")
        header.font = Font(bold=True)
        for row in range(2, n_rows + 2):
            cell = sheet.cell(row=row, column=column)
            cell.number_format = "0.0%"
            if isinstance(cell.value, (int, float)):
                cell.fill = PatternFill("solid", fgColor=shade(cell.value))
