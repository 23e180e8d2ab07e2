"""The per-document coverage object that `policytag tag` writes after each document's sentences."""

from __future__ import annotations

from .aggregate import DocumentSummary


def coverage_record(summary: DocumentSummary) -> dict:
    """Per label: sentences tagged, their share of the document's sentences, and the mean probability.

    A document with no sentences has share 0 and mean probability 0 for every label, not a division error.
    """
    n = summary.n_total
    labels = {
        label: {
            "n_sentences": count,
            "share": round(count / n, 4) if n else 0.0,
            "mean_prob": round(summary.prob_sum[label] / n, 4) if n else 0.0,
        }
        for label, count in summary.tagged.items()
    }
    return {"type": "coverage", "doc_id": summary.doc_id, "n_sentences": n, "labels": labels}
