"""A short Markdown summary for pasting into a paper draft or an issue."""

from __future__ import annotations

from pathlib import Path

from ..textio import atomic_output
from . import ReportTables

TOP_LABELS = 3


def render_markdown(tables: ReportTables) -> str:
    taxonomy = tables.taxonomy
    matrix = tables.share_matrix()
    n_docs = len(tables.documents)
    n_sentences = int(tables.documents["n_total"].sum())
    lines = [
        "# Green-transformation measure coverage",
        "",
        f"{n_docs} documents, {n_sentences} sentences, grouped by {tables.by}. "
        "Share = sentences tagged with the category / all sentences of the group.",
        "",
        "| group | " + " | ".join(label.zh for label in taxonomy.labels) + " |",
        "|---|" + "---:|" * len(taxonomy),
    ]
    for group, row in matrix.iterrows():
        lines.append(f"| {group} | " + " | ".join(f"{row[i] * 100:.1f}%" for i in taxonomy.ids) + " |")
    if tables.provenance.label_f1:
        lines += ["", "Model F1 per category on annotated real reports (annotated sentences in brackets; see the last "
                  "line): " + ", ".join(f"{taxonomy[label].zh} {f1:.2f} ({n})"
                                        for label, f1, n in tables.provenance.label_f1 if label in taxonomy.ids)
                  + ". Read the columns with the lower figures with more care."]
    lines += ["", "Most covered categories per group:", ""]
    for group, row in matrix.iterrows():
        top = row.sort_values(ascending=False).head(TOP_LABELS)
        named = ", ".join(f"{taxonomy[i].zh} ({share * 100:.1f}%)" for i, share in top.items() if share > 0)
        lines.append(f"- **{group}**: {named or 'none tagged'}")
    unknown = tables.unknown_documents()
    if unknown:
        lines += ["", "Documents whose place or year could not be determined (reported, not guessed):", ""]
        lines += [f"- `{doc_id}`: {' and '.join(missing)} unknown" for doc_id, missing in unknown]
    source = tables.provenance
    lines += ["", f"Made {source.created_at} with policytag {source.policytag_version}, model `{source.model}` "
              f"(sha256 `{source.model_sha256[:12]}…`, trained {source.trained_at}). {source.real_report_accuracy}. "
              "Tags are model predictions: check the evidence before citing a figure."]
    return "\n".join(lines) + "\n"


def write_markdown(tables: ReportTables, out_dir: Path) -> list[Path]:
    path = out_dir / "summary.md"
    with atomic_output(path) as handle:
        handle.write(render_markdown(tables))
    return [path]
