"""Apply a fitted tagger to sentences: labels, a probability per label, and evidence terms per label."""

from __future__ import annotations

from dataclasses import asdict, dataclass

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
        return {"type": "sentence", **asdict(self)}


def tag_sentences(model: PolicyTagger, sentences: list[Sentence]) -> list[TaggedSentence]:
    if not sentences:
        return []
    label_ids = list(model.classes_)
    features = model.transform([s.text for s in sentences]).tocsr()
    probabilities = model.proba_from_features(features)
    assigned = probabilities >= model.thresholds_
    evidence: list[dict[str, list[str]]] = [{} for _ in sentences]
    for j, label in enumerate(label_ids):
        rows = np.flatnonzero(assigned[:, j])
        if rows.size:
            for row, terms in zip(rows, model.explain(None, j, EVIDENCE_TERMS, features=features[rows])):
                evidence[row][label] = terms
    rounded = np.round(probabilities, 4)
    return [
        TaggedSentence(
            doc_id=s.doc_id,
            index=s.index,
            text=s.text,
            labels=[label_ids[j] for j in np.flatnonzero(assigned[i])],
            probs=dict(zip(label_ids, rounded[i].tolist())),
            evidence=evidence[i],
        )
        for i, s in enumerate(sentences)
    ]
