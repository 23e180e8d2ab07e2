"""The keyword-dictionary baseline: what users do today, built from the seed terms in labels/.

A sentence gets a label when it contains any of that label's seed terms. It has the estimator interface of
PolicyTagger so that benchmarks treat both alike.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from .taxonomy import Taxonomy


class KeywordTagger(ClassifierMixin, BaseEstimator):
    def __init__(self, taxonomy: Taxonomy | None = None):
        self.taxonomy = taxonomy

    def fit(self, X=None, y=None):
        """Nothing is learned: the dictionary is the labels' seed terms."""
        self.classes_ = np.array(self.taxonomy.ids)
        self.terms_ = [label.seed_terms for label in self.taxonomy.labels]
        return self

    def predict(self, X) -> np.ndarray:
        texts = [str(x) for x in X]
        return np.array(
            [[int(any(term in text for term in terms)) for terms in self.terms_] for text in texts], dtype=int
        ).reshape(len(texts), len(self.terms_))
