"""fastText supervised, trained on the same corpus and tokens as policytag: the common fast peer in benchmarks.

fastText is optional (`pip install '.[bench]'`); it is used only here, never by the package.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from policytag.tokenization import words

NONE_LABEL = "__label__none"


def _line(text: str) -> str:
    return " ".join(words(text))


class FastTextPeer:
    """One-vs-all fastText classifier on jieba tokens; a label is predicted when its probability ≥ 0.5."""

    def __init__(self, label_ids: list[str], epoch: int = 25, lr: float = 0.5, word_ngrams: int = 2, seed: int = 0):
        self.label_ids = label_ids
        self.params = {"epoch": epoch, "lr": lr, "wordNgrams": word_ngrams, "loss": "ova", "seed": seed, "thread": 1,
                       "verbose": 0, "minCount": 1}

    def fit(self, texts: list[str], Y: np.ndarray) -> FastTextPeer:
        import fasttext

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "train.txt"
            with open(path, "w", encoding="utf-8") as handle:
                for text, row in zip(texts, Y, strict=True):
                    labels = [f"__label__{self.label_ids[j]}" for j in np.flatnonzero(row)] or [NONE_LABEL]
                    handle.write(" ".join(labels) + " " + _line(text) + "\n")
            self.model = fasttext.train_supervised(input=str(path), **self.params)
        return self

    def tokenized(self, texts: list[str]) -> list[str]:
        return [_line(text) for text in texts]

    def predict_tokenized(self, lines: list[str]) -> np.ndarray:
        labels, _ = self.model.predict(lines, k=-1, threshold=0.5)
        index = {f"__label__{label}": j for j, label in enumerate(self.label_ids)}
        predicted = np.zeros((len(lines), len(self.label_ids)), dtype=int)
        for i, row in enumerate(labels):
            for label in row:
                if label in index:
                    predicted[i, index[label]] = 1
        return predicted

    def predict(self, texts: list[str]) -> np.ndarray:
        return self.predict_tokenized(self.tokenized(texts))
