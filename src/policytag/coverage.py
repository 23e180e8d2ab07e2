"""How much of a document each label covers: counts, shares and mean probabilities of its sentences."""

from __future__ import annotations

from collections.abc import Sequence

from .tagging import TaggedSentence


def document_coverage(doc_id: str, tagged: Sequence[TaggedSentence], label_ids: Sequence[str]) -> dict:
    """Per label: sentences tagged, their share of the document's sentences, and the mean probability.

    A document with no sentences has share 0 and mean probability 0 for every label, not a division error.
    """
    n = len(tagged)
    labels = {}
    for label in label_ids:
        count = sum(1 for sentence in tagged if label in sentence.labels)
        mean_prob = sum(sentence.probs[label] for sentence in tagged) / n if n else 0.0
        labels[label] = {
            "n_sentences": count,
            "share": round(count / n, 4) if n else 0.0,
            "mean_prob": round(mean_prob, 4),
        }
    return {"type": "coverage", "doc_id": doc_id, "n_sentences": n, "labels": labels}
