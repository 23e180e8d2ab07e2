"""Sentence features: TF-IDF over jieba words (with the domain dictionary) and over character n-grams.

Words carry the domain terms whole; character n-grams catch phrasings the tokenizer splits differently
and rare compounds the dictionary lacks.
"""

from __future__ import annotations

from collections import Counter
from itertools import pairwise

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.pipeline import FeatureUnion
from sklearn.utils.validation import check_is_fitted

from .derived import DerivedCaches
from .tokenization import SENTENCE_BREAK, joined_raw_tokens, normalise_tokens, words


def word_analyzer(text: str) -> list[str]:
    """Unigrams and adjacent-word bigrams of the jieba tokens (bigrams joined with a space)."""
    tokens = words(text)
    return list(tokens) + [f"{a} {b}" for a, b in pairwise(tokens)]


def build_features(
    char_ngram_range: tuple[int, int] | None = (1, 2),
    min_df: int = 2,
) -> FeatureUnion:
    parts = [("words", WordNgramTfidf(min_df=min_df))]
    if char_ngram_range is not None:
        parts.append(("chars", CharNgramTfidf(ngram_range=tuple(char_ngram_range), min_df=min_df)))
    return FeatureUnion(parts)


def display_term(feature_name: str) -> str:
    """'words__超低 排放' → '超低排放'; 'chars__排放' → '排放'."""
    return feature_name.split("__", 1)[-1].replace(" ", "")


def _tfidf(rows: list[int], columns: list[int] | np.ndarray, n_rows: int, idf: np.ndarray) -> sp.csr_matrix:
    """Counts → sublinear TF (1 + log count) × IDF, rows L2-normalised: scikit-learn's TfidfVectorizer arithmetic.

    The row norms are computed here rather than by sklearn's `normalize`, whose input checks cost more than the
    arithmetic on a document's worth of sentences.
    """
    matrix = sp.csr_matrix((np.ones(len(columns)), (rows, columns)), shape=(n_rows, len(idf)))
    matrix.sum_duplicates()
    data = (1.0 + np.log(matrix.data)) * idf[matrix.indices]
    row_of = np.repeat(np.arange(n_rows), np.diff(matrix.indptr))
    matrix.data = data / np.sqrt(np.bincount(row_of, data * data, minlength=n_rows))[row_of]
    return matrix


def _smooth_idf(n_documents: int, document_frequency: np.ndarray) -> np.ndarray:
    return np.log((1 + n_documents) / (1 + document_frequency)) + 1.0


_UNKNOWN, _BREAK, _DROPPED, _SEVERAL = -1, -2, -3, -4


class _WordCodes(dict):
    """Raw token → the column of its normalised word (_UNKNOWN if not kept), filled on first sight.

    Normalisation looks at one token at a time, so this equals `normalise_tokens` followed by a vocabulary
    lookup, at the cost of one dict lookup for almost every token. One integer per token (_DROPPED when
    normalisation drops it, as it does punctuation; _SEVERAL when it splits it, as "2024-03-18") lets numpy read
    a document's codes straight off the lookups, rather than chaining a tuple per token. Cleared at its bound:
    numbers and names keep adding raw tokens on a long run.
    """

    BOUND = 200_000

    def __init__(self, columns: dict[str, int]):
        super().__init__({SENTENCE_BREAK: _BREAK})
        self.columns = columns

    def _words(self, token: str) -> tuple[int, ...]:
        return tuple(self.columns.get(word, _UNKNOWN) for word in normalise_tokens((token,)))

    def __missing__(self, token: str) -> int:
        if len(self) >= self.BOUND:
            self.clear()
            self[SENTENCE_BREAK] = _BREAK
        codes = self._words(token)
        code = self[token] = codes[0] if len(codes) == 1 else _SEVERAL if codes else _DROPPED
        return code

    def codes(self, tokens: list[str]) -> np.ndarray:
        """The codes of the tokens' normalised words, in order: dropped tokens left out, split ones spliced in.

        Tokens that split are rare enough to be normalised again here, each time.
        """
        codes = np.fromiter(map(self.__getitem__, tokens), dtype=np.int64, count=len(tokens))
        split = np.flatnonzero(codes == _SEVERAL)
        if split.size:
            parts = [self._words(tokens[i]) for i in split.tolist()]
            lengths = np.ones(len(codes), dtype=np.int64)
            lengths[split] = [len(part) for part in parts]
            starts = np.cumsum(lengths) - lengths
            codes = np.repeat(codes, lengths)
            for start, part in zip(starts[split].tolist(), parts, strict=True):
                codes[start:start + len(part)] = part
        return codes[codes != _DROPPED]


class WordNgramTfidf(DerivedCaches, TransformerMixin, BaseEstimator):
    """TF-IDF over jieba words and adjacent-word bigrams (`word_analyzer`).

    The same matrix as scikit-learn's TfidfVectorizer(analyzer=word_analyzer, sublinear_tf=True) up to column
    order (tests/test_features.py), but the vocabulary is stored as one string rather than a dict of a hundred
    thousand entries, which is what made model files slow to load and check.
    """

    DERIVED = ("_term_index", "_tables")

    def __init__(self, min_df=2):
        self.min_df = min_df

    def fit(self, X, y=None):
        frequency = Counter()
        n_documents = 0
        for text in X:
            frequency.update(set(word_analyzer(text)))
            n_documents += 1
        terms = sorted(term for term, count in frequency.items() if count >= self.min_df)
        self.vocabulary_text_ = "\n".join(terms)
        self.idf_ = _smooth_idf(n_documents, np.array([frequency[t] for t in terms], dtype=float))
        self._forget_derived()
        return self

    def _index(self) -> dict[str, int]:
        return self._cached("_term_index", lambda: {
            term: i for i, term in enumerate(self.vocabulary_text_.split("\n") if self.vocabulary_text_ else [])
        })

    def _lookup_tables(self) -> tuple[_WordCodes, pd.Index, np.ndarray]:
        """(raw token → word columns), integer keys of the word pairs, the pairs' columns; built on first use.

        A pair is keyed by its two words' columns, so all pairs of a document are found by one hashed lookup.
        Both words of a kept pair are kept words themselves: a pair is in no more sentences than either word.
        """
        return self._cached("_tables", self._build_lookup_tables)

    def _build_lookup_tables(self) -> tuple[_WordCodes, pd.Index, np.ndarray]:
        index, n_terms = self._index(), len(self.idf_)
        single = {term: column for term, column in index.items() if " " not in term}
        pairs = [(column, term.split(" ")) for term, column in index.items() if " " in term]
        pairs = [(column, single[a], single[b]) for column, (a, b) in pairs if a in single and b in single]
        keys = pd.Index(np.array([a * n_terms + b for _, a, b in pairs], dtype=np.int64))
        columns = np.array([column for column, _, _ in pairs], dtype=np.int64)
        return _WordCodes(single), keys, columns

    def transform(self, X):
        """Array operations over the tokens of all texts at once; no Python loop per word."""
        check_is_fitted(self, "vocabulary_text_")
        texts = [str(text) for text in X]
        word_codes, pair_keys, pair_columns = self._lookup_tables()
        codes = word_codes.codes(joined_raw_tokens(texts))
        rows = np.cumsum(codes == _BREAK)
        known = codes >= 0
        adjacent = known[:-1] & known[1:]
        found = pair_keys.get_indexer(codes[:-1][adjacent] * len(self.idf_) + codes[1:][adjacent])
        is_pair = found >= 0
        columns = np.concatenate([codes[known], pair_columns[found[is_pair]]])
        row_of = np.concatenate([rows[known], rows[:-1][adjacent][is_pair]])
        return _tfidf(row_of, columns, len(texts), self.idf_)

    def fit_transform(self, X, y=None):
        X = list(X)
        return self.fit(X).transform(X)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        check_is_fitted(self, "vocabulary_text_")
        return np.array(list(self._index()), dtype=object)


class CharNgramTfidf(DerivedCaches, TransformerMixin, BaseEstimator):
    """TF-IDF over character n-grams, computed with array operations instead of a Python loop per n-gram.

    Gives the same matrix as sklearn's TfidfVectorizer(analyzer="char", lowercase=True, sublinear_tf=True,
    smooth_idf=True, norm="l2") up to column order (tests/test_features.py checks it), at several times its speed:
    character n-grams are the bulk of the features, and counting them was the slowest step of tagging.
    Each n-gram of up to three characters is packed into one integer, 21 bits a character.
    """

    DERIVED = ("_keys",)

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
        self.idf_ = _smooth_idf(len(X), document_frequency[keep])
        self._forget_derived()
        return self

    def transform(self, X):
        check_is_fitted(self, "vocabulary_")
        rows, keys = self._ngram_keys(X)
        # a hash table over the vocabulary: several times faster than binary search here
        columns = self._cached("_keys", lambda: pd.Index(self.vocabulary_)).get_indexer(keys)
        known = columns >= 0
        return _tfidf(rows[known], columns[known], len(X), self.idf_)

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
