"""Apply a fitted tagger to a document's sentences: labels, a probability per label, and evidence terms.

`tag_batch` computes features and probabilities once for all sentences of a document; evidence (the terms
behind a label) is computed only where it is asked for, because reports need it for a few top sentences,
not for every tagged one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .model import PolicyTagger
from .segment import Sentence

EVIDENCE_TERMS = 3


@dataclass(frozen=True)
class TaggedSentence:
    doc_id: str
    index: int
    text: str
    labels: list[str]
    probs: dict[str, float]
    evidence: dict[str, list[str]]

    def to_json(self) -> dict:
        # Built by hand: dataclasses.asdict deep-copies every list and dict, which dominated `tag` on large inputs.
        return {"type": "sentence", "doc_id": self.doc_id, "index": self.index, "text": self.text,
                "labels": self.labels, "probs": self.probs, "evidence": self.evidence}


@dataclass(frozen=True)
class TaggedBatch:
    """The sentences of one document with their probabilities (n × labels) and assigned labels."""

    model: PolicyTagger
    sentences: list[Sentence]
    features: object
    probabilities: np.ndarray
    assigned: np.ndarray

    @property
    def label_ids(self) -> list[str]:
        return list(self.model.classes_)

    def evidence(self, label_index, rows) -> list[list[str]]:
        """The terms behind a label for the given sentence rows (`label_index`: one label, or one per row)."""
        rows = np.asarray(rows, dtype=int)
        if rows.size == 0:
            return []
        return self.model.explain(None, label_index, EVIDENCE_TERMS, features=self.features, rows=rows)

    def to_sentences(self) -> list[TaggedSentence]:
        """Every sentence with its labels, rounded probabilities and evidence for each assigned label."""
        label_ids = self.label_ids
        evidence: list[dict[str, list[str]]] = [{} for _ in self.sentences]
        rows, labels = np.nonzero(self.assigned)
        for row, j, terms in zip(rows.tolist(), labels.tolist(), self.evidence(labels, rows), strict=True):
            evidence[row][label_ids[j]] = terms
        rounded = np.round(self.probabilities, 4)
        return [
            TaggedSentence(
                doc_id=s.doc_id,
                index=s.index,
                text=s.text,
                labels=[label_ids[j] for j in np.flatnonzero(self.assigned[i])],
                probs=dict(zip(label_ids, rounded[i].tolist(), strict=True)),
                evidence=evidence[i],
            )
            for i, s in enumerate(self.sentences)
        ]


def tag_batch(model: PolicyTagger, sentences: list[Sentence]) -> TaggedBatch:
    features = model.transform([s.text for s in sentences]).tocsr()
    probabilities = model.proba_from_features(features)
    return TaggedBatch(model, sentences, features, probabilities, probabilities >= model.thresholds_)


def tag_sentences(model: PolicyTagger, sentences: list[Sentence]) -> list[TaggedSentence]:
    return tag_batch(model, sentences).to_sentences()
