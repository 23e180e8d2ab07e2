"""Sentence features: TF-IDF over jieba words (with the domain dictionary) and over character n-grams.

Words carry the domain terms whole; character n-grams catch phrasings the tokenizer splits differently
and rare compounds the dictionary lacks.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion
from sklearn.preprocessing import normalize
from sklearn.utils.validation import check_is_fitted

from .tokenization import words


def word_analyzer(text: str) -> list[str]:
    """Unigrams and adjacent-word bigrams of the jieba tokens (bigrams joined with a space)."""
    tokens = words(text)
    return list(tokens) + [f"{a} {b}" for a, b in zip(tokens, tokens[1:])]


def build_features(
    char_ngram_range: tuple[int, int] | None = (1, 2),
    min_df: int = 2,
) -> FeatureUnion:
    parts = [
        (
            "words",
            TfidfVectorizer(analyzer=word_analyzer, min_df=min_df, sublinear_tf=True),
        )
    ]
    if char_ngram_range is not None:
        parts.append(("chars", CharNgramTfidf(ngram_range=tuple(char_ngram_range), min_df=min_df)))
    return FeatureUnion(parts)


def display_term(feature_name: str) -> str:
    """'words__超低 排放' → '超低排放'; 'chars__排放' → '排放'."""
    return feature_name.split("__", 1)[-1].replace(" ", "")


class CharNgramTfidf(TransformerMixin, BaseEstimator):
    """TF-IDF over character n-grams, computed with array operations instead of a Python loop per n-gram.

    Gives the same matrix as sklearn's TfidfVectorizer(analyzer="char", lowercase=True, sublinear_tf=True,
    smooth_idf=True, norm="l2") up to column order (tests/test_features.py checks it), at several times its speed:
    character n-grams are the bulk of the features, and counting them was the slowest step of tagging.
    Each n-gram of up to three characters is packed into one integer, 21 bits a character.
    """

    def __init__(self, ngram_range=(1, 2), min_df=2):
        self.ngram_range = ngram_range
        self.min_df = min_df

    def _ngram_keys(self, texts) -> tuple[np.ndarray, np.ndarray]:
        """(row, key) of every n-gram occurrence, n-grams never crossing from one text into the next."""
        low, high = self.ngram_range
        if not 1 <= low <= high <= 3:
            raise ValueError("ngram_range must lie within (1, 3)")
        texts = [str(t).lower() for t in texts]
        lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
        codes = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64) + 1
        rows = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
        all_rows, all_keys = [], []
        for n in range(low, high + 1):
            if len(codes) < n:
                continue
            span = len(codes) - n + 1
            keys = codes[:span].copy()
            for offset in range(1, n):
                keys = (keys << np.uint64(21)) | codes[offset : offset + span]
            same_text = rows[:span] == rows[n - 1 : n - 1 + span]
            all_rows.append(rows[:span][same_text])
            all_keys.append(keys[same_text])
        if not all_keys:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint64)
        return np.concatenate(all_rows), np.concatenate(all_keys)

    def fit(self, X, y=None):
        rows, keys = self._ngram_keys(X)
        pairs = np.unique(np.stack([keys, rows.astype(np.uint64)]), axis=1)
        vocabulary, document_frequency = np.unique(pairs[0], return_counts=True)
        keep = document_frequency >= self.min_df
        self.vocabulary_ = vocabulary[keep]
        self.idf_ = np.log((1 + len(X)) / (1 + document_frequency[keep])) + 1.0
        return self

    def transform(self, X):
        check_is_fitted(self, "vocabulary_")
        rows, keys = self._ngram_keys(X)
        columns = np.searchsorted(self.vocabulary_, keys)
        known = columns < len(self.vocabulary_)
        known[known] = self.vocabulary_[columns[known]] == keys[known]
        counts = sp.csr_matrix(
            (np.ones(int(known.sum())), (rows[known], columns[known])), shape=(len(X), len(self.vocabulary_))
        )
        counts.sum_duplicates()
        counts.data = (1.0 + np.log(counts.data)) * self.idf_[counts.indices]
        return normalize(counts, norm="l2", copy=False)

    def fit_transform(self, X, y=None):
        return self.fit(X).transform(X)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        check_is_fitted(self, "vocabulary_")
        return np.array([_unpack(int(key)) for key in self.vocabulary_], dtype=object)


def _unpack(key: int) -> str:
    chars = []
    while key:
        chars.append(chr((key & 0x1FFFFF) - 1))
        key >>= 21
    return "".join(reversed(chars))
