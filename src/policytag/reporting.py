"""`policytag report`: tag documents, find their city and year, aggregate, and write every report format."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from . import aggregate
from .errors import PolicytagError
from .provenance import Provenance
from .report import ReportTables
from .report.html import write_html
from .report.markdown import write_markdown
from .report.panel_files import write_panel_files
from .report.workbook import write_workbook
from .taxonomy import Taxonomy
from .work import Done

# Each writer takes the tables and the output folder, writes its files atomically and returns their paths.
WRITERS = (write_panel_files, write_workbook, write_html, write_markdown)


def build_report(
    done: Iterable[Done],
    taxonomy: Taxonomy,
    by: str,
    provenance: Provenance,
    on_unknown: Callable[[str, list[str]], None] = lambda doc_id, missing: None,
) -> ReportTables:
    """The report's tables from per-document results (work.report_summary), in any number."""
    documents = []
    for result in done:
        missing = aggregate.unknown_fields(by, result.meta.city, result.meta.province, result.meta.year)
        if missing:
            on_unknown(result.doc_id, missing)
        documents.append((result.summary, result.meta))
    if not documents:
        raise PolicytagError("no document could be read; nothing to report")
    summaries = [summary for summary, _ in documents]
    document_table = aggregate.document_table(documents)
    panel = aggregate.panel(aggregate.label_table(summaries), document_table, taxonomy.ids, by)
    return ReportTables(
        taxonomy=taxonomy,
        by=by,
        panel=panel,
        documents=document_table,
        evidence=aggregate.evidence(aggregate.evidence_table(summaries), document_table, by),
        profile=aggregate.profile(panel),
        provenance=provenance,
    )


def write_report(tables: ReportTables, out_dir: str | Path) -> list[Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    return [path for writer in WRITERS for path in writer(tables, out_dir)]
