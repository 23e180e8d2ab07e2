"""The self-contained HTML report: a heatmap, per-group profiles and evidence with highlighted terms.

One file, inline CSS, no script and nothing fetched, so it opens offline and can be mailed or archived.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from ..textio import atomic_output
from . import SATURATION_SHARE, ReportTables, shade


def highlight(text: str, terms: list[str]) -> Markup:
    """The sentence, HTML-escaped, with each evidence term wrapped in <mark>."""
    terms = sorted({t for t in terms if t}, key=len, reverse=True)
    if not terms:
        return escape(text)
    pattern = re.compile("|".join(map(re.escape, terms)))
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts.append(escape(text[last:match.start()]))
        parts.append(Markup("<mark>{}</mark>").format(match.group()))
        last = match.end()
    parts.append(escape(text[last:]))
    return Markup("").join(parts)


def render_html(tables: ReportTables) -> str:
    taxonomy = tables.taxonomy
    profile = tables.profile.assign(group=tables.profile.apply(tables.group_label, axis=1))
    evidence = {}
    if len(tables.evidence):
        rows = tables.evidence.assign(group=tables.evidence.apply(tables.group_label, axis=1))
        evidence = {key: chosen for key, chosen in rows.groupby(["group", "label"], sort=False)}
    max_share = max(SATURATION_SHARE, float(profile["share"].max() or 0))
    groups = []
    for key, (name, rows) in enumerate(profile.groupby("group", sort=False)):
        by_label = rows.set_index("label")
        cells = []
        for label in taxonomy.labels:
            row = by_label.loc[label.id]
            chosen = evidence.get((name, label.id))
            items = [] if chosen is None else [
                {"html": highlight(e["text"], list(e["terms"])),
                 "doc_id": e["doc_id"], "index": e["index"], "prob": e["prob"]}
                for _, e in chosen.iterrows()
            ]
            cells.append({
                "label": label.id, "zh": label.zh, "share": row["share"], "n": int(row["n_sentences"]),
                "colour": shade(row["share"]), "diff": row["share_minus_mean"],
                "bar": round(100 * row["share"] / max_share, 1),
                "mean_bar": round(100 * row["mean_share"] / max_share, 1),
                "evidence": items,
            })
        groups.append({"key": key, "name": name, "cells": cells, "n_total": int(rows["n_total"].iloc[0])})
    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = environment.from_string(
        resources.files("policytag").joinpath("resources/report.html.j2").read_text(encoding="utf-8")
    )
    unknown = tables.unknown_documents()
    return template.render(
        labels=taxonomy.labels, groups=groups, by=tables.by, provenance=tables.provenance, unknown=unknown,
        n_documents=len(tables.documents), n_sentences=int(tables.documents["n_total"].sum()),
        group_header=tables.group_header,
    )


def write_html(tables: ReportTables, out_dir: Path) -> list[Path]:
    path = out_dir / "report.html"
    with atomic_output(path) as handle:
        handle.write(render_html(tables))
    return [path]
