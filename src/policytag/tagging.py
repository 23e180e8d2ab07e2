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
    texts = [s.text for s in sentences]
    label_ids = list(model.classes_)
    probabilities = model.predict_proba(texts)
    assigned = probabilities >= model.thresholds_
    evidence: list[dict[str, list[str]]] = [{} for _ in sentences]
    for j, label in enumerate(label_ids):
        rows = np.flatnonzero(assigned[:, j])
        if rows.size:
            for row, terms in zip(rows, model.explain([texts[r] for r in rows], j, EVIDENCE_TERMS)):
                evidence[row][label] = terms
    return [
        TaggedSentence(
            doc_id=s.doc_id,
            index=s.index,
            text=s.text,
            labels=[label_ids[j] for j in np.flatnonzero(assigned[i])],
            probs={label: round(float(probabilities[i, j]), 4) for j, label in enumerate(label_ids)},
            evidence=evidence[i],
        )
        for i, s in enumerate(sentences)
    ]
