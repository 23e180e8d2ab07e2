import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from policytag.corpus import read_records
from policytag.features import CharNgramTfidf, WordNgramTfidf


@pytest.mark.parametrize("ngram_range, min_df", [((1, 2), 2), ((1, 3), 1), ((2, 3), 3)])
def test_character_tfidf_matches_scikit_learn(ngram_range, min_df):
    texts = [r["text"] for r in read_records()][:1500] + ["PM2.5浓度下降", "", "节"]
    ours = CharNgramTfidf(ngram_range=ngram_range, min_df=min_df).fit(texts[:1200])
    reference = TfidfVectorizer(analyzer="char", ngram_range=ngram_range, min_df=min_df, sublinear_tf=True)
    reference.fit(texts[:1200])
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


@pytest.mark.parametrize("vectorizer", [CharNgramTfidf(min_df=1), WordNgramTfidf(min_df=1)], ids=["chars", "words"])
def test_lookup_tables_are_rebuilt_on_refit_and_never_stored(vectorizer):
    """A refitted vectorizer must not look columns up in the tables of its previous fit, and a model file
    holds fitted parameters only (a pandas index in the state is what once made saving a used model fail)."""
    vectorizer.fit(["节能降碳改造", "污水处理厂"]).transform(["节能改造"])
    vectorizer.fit(["生态保护修复", "绿色金融"])
    refitted = vectorizer.transform(["生态修复金融"])
    fresh = type(vectorizer)(min_df=1).fit(["生态保护修复", "绿色金融"]).transform(["生态修复金融"])
    assert (refitted != fresh).nnz == 0
    assert not set(vectorizer.DERIVED) & set(vectorizer.__getstate__())
