import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from policytag.corpus import read_records
from policytag.features import CharNgramTfidf


@pytest.mark.parametrize("ngram_range, min_df", [((1, 2), 2), ((1, 3), 1), ((2, 3), 3)])
def test_character_tfidf_matches_scikit_learn(ngram_range, min_df):
    texts = [r["text"] for r in read_records()][:1500] + ["PM2.5浓度下降", "", "节"]
    ours = CharNgramTfidf(ngram_range=ngram_range, min_df=min_df).fit(texts[:1200])
    reference = TfidfVectorizer(analyzer="char", ngram_range=ngram_range, min_df=min_df, sublinear_tf=True).fit(texts[:1200])
    names = list(ours.get_feature_names_out())
    assert sorted(names) == sorted(reference.get_feature_names_out())
    order = [reference.vocabulary_[name] for name in names]
    expected = reference.transform(texts)[:, order].toarray()
    assert np.allclose(ours.transform(texts).toarray(), expected)


def test_word_tfidf_matches_scikit_learn():
    from policytag.features import WordNgramTfidf, word_analyzer

    texts = [r["text"] for r in read_records()][:1500] + ["", "PM2.5"]
    ours = WordNgramTfidf(min_df=2).fit(texts[:1200])
    reference = TfidfVectorizer(analyzer=word_analyzer, min_df=2, sublinear_tf=True).fit(texts[:1200])
    names = list(ours.get_feature_names_out())
    assert sorted(names) == sorted(reference.get_feature_names_out())
    order = [reference.vocabulary_[name] for name in names]
    assert np.allclose(ours.transform(texts).toarray(), reference.transform(texts)[:, order].toarray())
