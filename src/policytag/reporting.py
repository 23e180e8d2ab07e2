"""`policytag report`: tag documents, find their city and year, aggregate, and write every report format."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from . import aggregate
from .errors import PolicytagError
from .ingest import Document
from .metadata import DocumentMeta, from_fields, from_filename, from_text, read_manifest, resolve
from .report import ReportTables
from .report.html import write_html
from .report.markdown import write_markdown
from .report.panel_files import write_panel_files
from .report.workbook import write_workbook
from .tagging import TaggedSentence
from .taxonomy import Taxonomy

WRITERS = (write_panel_files, write_workbook, write_html, write_markdown)


def document_meta(document: Document, manifest: dict[str, dict]) -> DocumentMeta:
    """Manifest row first, then the table's own columns, then the file name, then the text."""
    name = Path(document.doc_id).name
    sources = [("manifest", from_fields(manifest.get(document.doc_id) or manifest.get(name) or {}))]
    if document.meta:
        sources.append(("table", from_fields(document.meta)))
    else:
        sources.append(("filename", from_filename(name)))
    sources.append(("text", from_text(document.text)))
    return resolve(*sources)


def build_report(
    tagged_documents: Iterable[tuple[Document, list[TaggedSentence]]],
    taxonomy: Taxonomy,
    by: str,
    model_name: str,
    manifest_path: str | Path | None = None,
    on_unknown: Callable[[str, list[str]], None] = lambda doc_id, missing: None,
) -> ReportTables:
    manifest = read_manifest(manifest_path) if manifest_path else {}
    documents = []
    for document, tagged in tagged_documents:
        meta = document_meta(document, manifest)
        if meta.missing:
            on_unknown(document.doc_id, meta.missing)
        documents.append((aggregate.summarise(document.doc_id, tagged, taxonomy.ids), meta))
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
        model_name=model_name,
    )


def write_report(tables: ReportTables, out_dir: str | Path) -> list[Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for writer in WRITERS:
        result = writer(tables, out_dir)
        written.extend(result if isinstance(result, list) else [result])
    return written
