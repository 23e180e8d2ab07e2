"""Coverage arithmetic: tagged sentences → per-document, per-city and per-city-year tables.

Pure functions over pandas tables, no I/O. The sentence table has one row per (sentence, label): doc_id,
index, text, label, tagged (0/1), prob, terms; the document table has one row per document: doc_id,
city, province, year, title, n_total (its number of sentences).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from .metadata import DocumentMeta
from .tagging import TaggedSentence

GROUPINGS = {"document": ["doc_id", "city", "year"], "city": ["city"], "city-year": ["city", "year"]}
UNKNOWN = "(unknown)"
PANEL_COLUMNS = ["label", "n_sentences", "n_total", "share", "present", "mean_prob", "n_documents"]


def sentence_table(tagged: Iterable[TaggedSentence], label_ids: Sequence[str]) -> pd.DataFrame:
    rows = [
        (s.doc_id, s.index, s.text, label, int(label in s.labels), s.probs[label], s.evidence.get(label, []))
        for s in tagged
        for label in label_ids
    ]
    return pd.DataFrame(rows, columns=["doc_id", "index", "text", "label", "tagged", "prob", "terms"])


def document_table(documents: Iterable[tuple[str, DocumentMeta, int]]) -> pd.DataFrame:
    """(doc_id, metadata, number of sentences) per document → one row each; unknown city/year stay empty."""
    rows = [(doc_id, m.city, m.province, m.year, m.title, n) for doc_id, m, n in documents]
    table = pd.DataFrame(rows, columns=["doc_id", "city", "province", "year", "title", "n_total"])
    table["year"] = table["year"].astype("Int64")
    return table


def panel(sentences: pd.DataFrame, documents: pd.DataFrame, label_ids: Sequence[str], by: str = "city") -> pd.DataFrame:
    """Tidy coverage panel: one row per group and label.

    n_sentences: sentences tagged with the label; n_total: all sentences of the group; share = n_sentences /
    n_total; present: at least one tagged sentence; mean_prob: mean probability over all the group's sentences;
    n_documents: documents in the group. Documents without a known city form the group "(unknown)"; a group with
    no sentences has share 0 and mean_prob 0.
    """
    keys = GROUPINGS[by]
    docs = documents.assign(city=documents["city"].fillna(UNKNOWN))
    per_doc_label = (
        sentences.groupby(["doc_id", "label"], sort=False)
        .agg(n_sentences=("tagged", "sum"), prob_sum=("prob", "sum"))
        .reset_index()
    )
    grid = docs.merge(pd.DataFrame({"label": list(label_ids)}), how="cross")
    grid = grid.merge(per_doc_label, on=["doc_id", "label"], how="left").fillna({"n_sentences": 0, "prob_sum": 0.0})
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
    ordered = ["doc_id"] if by == "document" else []
    columns = ordered + ["city", "year"] + PANEL_COLUMNS
    label_order = {label: i for i, label in enumerate(label_ids)}
    result = grouped[columns].sort_values(
        keys + ["label"], key=lambda col: col.map(label_order) if col.name == "label" else col, na_position="last"
    )
    result["year"] = result["year"].astype("Int64")
    return result.reset_index(drop=True)


def evidence(sentences: pd.DataFrame, documents: pd.DataFrame, by: str = "city", top_k: int = 3) -> pd.DataFrame:
    """The top_k tagged sentences per group and label, highest probability first, with where they stand."""
    keys = GROUPINGS[by]
    docs = documents.assign(city=documents["city"].fillna(UNKNOWN))[["doc_id", "city", "year"]]
    columns = list(dict.fromkeys(keys + ["label", "rank", "prob", "doc_id", "index", "text", "terms"]))
    tagged = sentences[sentences["tagged"] == 1].merge(docs, on="doc_id")
    if tagged.empty:
        return pd.DataFrame(columns=columns)
    tagged = tagged.sort_values(["prob", "doc_id", "index"], ascending=[False, True, True])
    top = tagged.groupby(keys + ["label"], dropna=False, sort=False).head(top_k).copy()
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
