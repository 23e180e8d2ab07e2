"""Coverage arithmetic: tagged sentences → per-document summaries → per-document, city, province (and -year) tables.

Pure functions, no I/O (but for the packaged gazetteer, which orders the places). Each document is summarised as
soon as it is tagged (per label: sentences tagged, sum of probabilities, and its top evidence sentences), so a
report over any number of documents keeps only these small summaries in memory, never the sentences themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .gazetteer import load_gazetteer
from .metadata import DocumentMeta
from .tagging import TaggedBatch

GROUPINGS = {
    "document": ["doc_id", "city", "year"],
    "city": ["city"],
    "city-year": ["city", "year"],
    "province": ["province"],
    "province-year": ["province", "year"],
}
UNKNOWN = "(unknown)"
NATIONAL = "全国"
PANEL_COLUMNS = ["label", "n_sentences", "n_total", "share", "present", "mean_prob", "n_documents"]
EVIDENCE_COLUMNS = ["label", "rank", "prob", "doc_id", "index", "text", "terms"]
TOP_K = 3


@dataclass(frozen=True)
class DocumentSummary:
    """What a report needs of one document: per label (n tagged, sum of probabilities) and top evidence."""

    doc_id: str
    n_total: int
    tagged: dict[str, int]
    prob_sum: dict[str, float]
    evidence: list[tuple]  # (label, prob, doc_id, index, text, terms), at most top_k per label


def summarise(batch: TaggedBatch, doc_id: str, top_k: int = TOP_K) -> DocumentSummary:
    """Counts, probability sums and the top_k evidence sentences per label, from a document's tagged batch."""
    label_ids = batch.label_ids
    probabilities, assigned = batch.probabilities, batch.assigned
    # every label at once: label by label, highest probability first, among equals the earlier sentence
    labels, rows = np.nonzero(assigned.T)
    order = np.lexsort((rows, -probabilities[rows, labels], labels))
    labels, rows = labels[order], rows[order]
    keep = np.arange(len(labels)) - np.searchsorted(labels, labels) < top_k  # rank within the label < top_k
    top_labels, top_rows = labels[keep], rows[keep].tolist()
    evidence = []
    for row, j, terms in zip(top_rows, top_labels.tolist(), batch.evidence(top_labels, top_rows), strict=True):
        sentence = batch.sentences[row]
        evidence.append((label_ids[j], round(float(probabilities[row, j]), 4), doc_id, sentence.index, sentence.text,
                         terms))
    return DocumentSummary(
        doc_id=doc_id,
        n_total=len(batch.sentences),
        tagged=dict(zip(label_ids, assigned.sum(axis=0).astype(int).tolist(), strict=True)),
        prob_sum=dict(zip(label_ids, probabilities.sum(axis=0).tolist(), strict=True)),
        evidence=evidence,
    )


def document_table(documents: Iterable[tuple[DocumentSummary, DocumentMeta]]) -> pd.DataFrame:
    """One row per document: doc_id, city, province, year, title, n_total; unknown city/year stay empty."""
    rows = [(s.doc_id, m.city, m.province, m.year, m.title, s.n_total) for s, m in documents]
    table = pd.DataFrame(rows, columns=["doc_id", "city", "province", "year", "title", "n_total"])
    table["year"] = table["year"].astype("Int64")
    return table


def label_table(summaries: Iterable[DocumentSummary]) -> pd.DataFrame:
    """One row per document and label: doc_id, label, n_sentences (tagged), prob_sum."""
    rows = [(s.doc_id, label, s.tagged[label], s.prob_sum[label]) for s in summaries for label in s.tagged]
    return pd.DataFrame(rows, columns=["doc_id", "label", "n_sentences", "prob_sum"])


def evidence_table(summaries: Iterable[DocumentSummary]) -> pd.DataFrame:
    rows = [row for s in summaries for row in s.evidence]
    return pd.DataFrame(rows, columns=["label", "prob", "doc_id", "index", "text", "terms"])


def unknown_fields(by: str, city, province, year) -> list[str]:
    """What a document lacks for the grouping, in report order: "city", "year", and, for the province groupings,
    "province" when its city is known but in no province of the gazetteer (national reports need none)."""
    missing = [name for name, value in (("city", city), ("year", year)) if pd.isna(value)]
    if place_column(by) == "province" and pd.notna(city) and pd.isna(province) and city != NATIONAL:
        missing.append("province")
    return missing


def place_order(name: str) -> str:
    """Sort key of a place: 全国 first, then places in the order of their division codes, as China's statistical
    yearbooks list them (北京, 天津, 河北 …; a province's cities together), then places the gazetteer does not
    know, by name, and the unknown last."""
    if name == NATIONAL:
        return "0"
    if name == UNKNOWN:
        return "3"
    place = load_gazetteer().lookup(name)
    return f"1 {place.adcode}" if place else f"2 {name}"


def place_code(name: str) -> str | None:
    """The place's six-digit administrative-division code (行政区划代码), the key on which panels are merged with
    yearbook data; None for 全国, the unknown and places the gazetteer does not know by this full name."""
    place = load_gazetteer().lookup(name) if name not in (NATIONAL, UNKNOWN) else None
    return place.adcode if place is not None and place.name == name else None


def place_column(by: str) -> str:
    """The panel's place column for a grouping: province for the province groupings, else city."""
    return "province" if by.startswith("province") else "city"


def _with_groups(documents: pd.DataFrame) -> pd.DataFrame:
    """Unknown places as their own group; national reports (city 全国) are their own province group too."""
    national = documents["city"].where(documents["city"] == NATIONAL)
    return documents.assign(city=documents["city"].fillna(UNKNOWN),
                            province=documents["province"].fillna(national).fillna(UNKNOWN))


def panel(labels: pd.DataFrame, documents: pd.DataFrame, label_ids: Sequence[str], by: str = "city") -> pd.DataFrame:
    """Tidy coverage panel: one row per group and label.

    n_sentences: sentences tagged with the label; n_total: all sentences of the group; share = n_sentences /
    n_total; present: at least one tagged sentence; mean_prob: mean probability over all the group's sentences;
    n_documents: documents in the group; adcode: the place's division code (`place_code`). Documents without a
    known city (province, for the province groupings) form the group "(unknown)"; a group with no sentences has
    share 0 and mean_prob 0.
    """
    keys = GROUPINGS[by]
    grid = _with_groups(documents).merge(pd.DataFrame({"label": list(label_ids)}), how="cross")
    grid = grid.merge(labels, on=["doc_id", "label"], how="left").fillna({"n_sentences": 0, "prob_sum": 0.0})
    grouped = (
        grid.groupby(keys + ["label"], dropna=False, sort=False)
        .agg(n_sentences=("n_sentences", "sum"), prob_sum=("prob_sum", "sum"), n_total=("n_total", "sum"),
             n_documents=("doc_id", "nunique"))
        .reset_index()
    )
    safe_total = grouped["n_total"].where(grouped["n_total"] > 0)
    grouped["share"] = (grouped["n_sentences"] / safe_total).fillna(0.0).round(4)
    grouped["mean_prob"] = (grouped["prob_sum"] / safe_total).fillna(0.0).round(4)
    grouped["present"] = grouped["n_sentences"] > 0
    grouped["n_sentences"] = grouped["n_sentences"].astype(int)
    grouped["n_total"] = grouped["n_total"].astype(int)
    if "year" not in keys:
        grouped["year"] = pd.NA
    columns = (["doc_id"] if by == "document" else []) + [place_column(by), "year"] + PANEL_COLUMNS
    label_order = {label: i for i, label in enumerate(label_ids)}
    orders = {"label": label_order.get, "city": place_order, "province": place_order}
    result = grouped[columns].sort_values(
        keys + ["label"], key=lambda col: col.map(orders[col.name]) if col.name in orders else col,
        na_position="last",
    )
    result["year"] = result["year"].astype("Int64")
    place = place_column(by)
    result.insert(result.columns.get_loc(place) + 1, "adcode", result[place].map(place_code).astype("string"))
    return result.reset_index(drop=True)


def evidence(
    evidence_rows: pd.DataFrame, documents: pd.DataFrame, by: str = "city", top_k: int = TOP_K
) -> pd.DataFrame:
    """The top_k tagged sentences per group and label, highest probability first, with where they stand."""
    keys = GROUPINGS[by]
    columns = list(dict.fromkeys(keys + EVIDENCE_COLUMNS))
    rows = evidence_rows.merge(_with_groups(documents)[["doc_id", "city", "province", "year"]], on="doc_id")
    if rows.empty:
        return pd.DataFrame(columns=columns)
    rows = rows.sort_values(["prob", "doc_id", "index"], ascending=[False, True, True])
    top = rows.groupby(keys + ["label"], dropna=False, sort=False).head(top_k).copy()
    top["rank"] = top.groupby(keys + ["label"], dropna=False, sort=False).cumcount() + 1
    return top[columns].reset_index(drop=True)


def profile(panel_table: pd.DataFrame) -> pd.DataFrame:
    """Each group's share per label relative to the mean share of all groups in the run (difference and ratio)."""
    table = panel_table.copy()
    mean = table.groupby("label")["share"].transform("mean")
    table["mean_share"] = mean.round(4)
    table["share_minus_mean"] = (table["share"] - mean).round(4)
    table["share_ratio"] = (table["share"] / mean.where(mean > 0)).round(3)
    return table
