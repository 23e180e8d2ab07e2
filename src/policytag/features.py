"""Sentence features: TF-IDF over jieba words (with the domain dictionary) and over character n-grams.

Words carry the domain terms whole; character n-grams catch phrasings the tokenizer splits differently
and rare compounds the dictionary lacks.
"""

from __future__ import annotations

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

from .tokenization import words


def word_analyzer(text: str) -> list[str]:
    """Unigrams and adjacent-word bigrams of the jieba tokens (bigrams joined with a space)."""
    tokens = words(text)
    return list(tokens) + [f"{a} {b}" for a, b in zip(tokens, tokens[1:])]


def build_features(
    char_ngram_range: tuple[int, int] | None = (2, 4),
    min_df: int = 2,
    max_features: int | None = None,
) -> FeatureUnion:
    parts = [
        (
            "words",
            TfidfVectorizer(analyzer=word_analyzer, min_df=min_df, sublinear_tf=True, max_features=max_features),
        )
    ]
    if char_ngram_range is not None:
        parts.append(
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char",
                    ngram_range=tuple(char_ngram_range),
                    min_df=min_df,
                    sublinear_tf=True,
                    max_features=max_features,
                ),
            )
        )
    return FeatureUnion(parts)


def display_term(feature_name: str) -> str:
    """'words__超低 排放' → '超低排放'; 'chars__排放' → '排放'."""
    return feature_name.split("__", 1)[-1].replace(" ", "")
