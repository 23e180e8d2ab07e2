import numpy as np
import pytest
from iterstrat.ml_stratifiers import MultilabelStratifiedShuffleSplit
from sklearn.base import clone
from sklearn.metrics import f1_score

from policytag.corpus import label_matrix, read_records
from policytag.model import PolicyTagger
from policytag.taxonomy import load_taxonomy


@pytest.fixture(scope="module")
def split():
    taxonomy = load_taxonomy()
    records = read_records()
    texts = np.array([r["text"] for r in records], dtype=object)
    Y = label_matrix([r["labels"] for r in records], taxonomy)
    train_rows, test_rows = next(MultilabelStratifiedShuffleSplit(n_splits=1, test_size=0.25,
                                                                    random_state=1).split(texts, Y))
    train_rows, test_rows = train_rows[:3000], test_rows[:1000]  # shuffled already; fewer rows keep the tests fast
    return taxonomy.ids, list(texts[train_rows]), Y[train_rows], list(texts[test_rows]), Y[test_rows]


@pytest.fixture(scope="module")
def fitted(split):
    ids, X, Y, _, _ = split
    return PolicyTagger(labels=ids).fit(X, Y)


def test_learns_well_above_chance_on_held_out_sentences(split, fitted):
    _, _, Y_train, X_test, Y_test = split
    predicted = fitted.predict(X_test)
    model_f1 = f1_score(Y_test, predicted, average="micro")
    rng = np.random.default_rng(0)
    chance = rng.random(Y_test.shape) < Y_train.mean(axis=0)  # guesses at each label's training rate
    chance_f1 = f1_score(Y_test, chance, average="micro")
    assert model_f1 > 2 * chance_f1, (model_f1, chance_f1)


def test_follows_scikit_learn_estimator_conventions(fitted):
    params = fitted.get_params()
    assert params["C"] == 1.0 and params["classifier"] == "svm" and params["nb_power"] == 0.5
    copy = clone(fitted)
    assert not hasattr(copy, "model_") and copy.get_params() == params


def test_probabilities_and_predictions_have_one_column_per_label(fitted):
    texts = ["全面完成钢铁企业超低排放改造。", "各位代表："]
    probabilities = fitted.predict_proba(texts)
    assert probabilities.shape == (2, 12) and ((probabilities >= 0) & (probabilities <= 1)).all()
    assert fitted.predict(texts).tolist() == (probabilities >= fitted.thresholds_).astype(int).tolist()
    assert fitted.predict_proba([]).shape == (0, 12)


def test_evidence_terms_come_from_the_sentence(fitted):
    text = "全面完成钢铁企业超低排放改造，城市污水处理率达到98%。"
    terms = fitted.explain([text], list(fitted.classes_).index("pollution_control"))[0]
    assert terms and all(term in text for term in terms)


def test_evidence_for_several_labels_and_rows_at_once_equals_one_call_per_label(fitted):
    texts = ["全面完成钢铁企业超低排放改造，城市污水处理率达到98%。", "建设国家级绿色工厂和零碳园区。", "各位代表："]
    features = fitted.transform(texts)
    rows, labels = [2, 0, 1, 0], [0, 0, 6, 1]
    at_once = fitted.explain(None, labels, features=features, rows=rows)
    one_by_one = [
        fitted.explain(None, label, features=features, rows=[row])[0] for row, label in zip(rows, labels, strict=True)]
    assert at_once == one_by_one and at_once[1]


def test_naive_bayes_scaling_favours_features_of_the_positive_sentences():
    from sklearn.linear_model import LogisticRegression

    from policytag.model import NaiveBayesScaled

    X = np.array([[2.0, 0.0, 1.0], [1.0, 0.0, 1.0], [0.0, 3.0, 1.0], [0.0, 1.0, 1.0]])
    scaled = NaiveBayesScaled(LogisticRegression(), power=1.0).fit(X, [1, 1, 0, 0])
    assert scaled.scale_[0] > 0 > scaled.scale_[1]
    assert abs(scaled.scale_[2]) < min(scaled.scale_[0], -scaled.scale_[1])  # in every sentence: weak either way


def test_training_data_without_a_label_is_refused():
    with pytest.raises(ValueError, match="no positive training sentence for: b"):
        PolicyTagger(labels=["a", "b"]).fit(["甲。", "乙。"], [[1, 0], [1, 0]])


@pytest.mark.parametrize("classifier, nb_power", [("svm", 0.5), ("svm", None), ("logreg", 0.5), ("logreg", None)])
def test_compact_linear_prediction_equals_scikit_learns_calibrated_models(split, classifier, nb_power):
    """The model keeps only weights (with the naive-Bayes scaling folded in), intercepts and Platt sigmoids; its
    probabilities must be those of the scikit-learn models it was fitted as."""
    from sklearn.multiclass import OneVsRestClassifier

    ids, X, Y, X_test, _ = split
    model = PolicyTagger(labels=ids, classifier=classifier, nb_power=nb_power, join_ratio=0, threshold_folds=0)
    model.fit(X, Y)
    reference = OneVsRestClassifier(model._base_model()).fit(model.transform(X), Y)
    assert np.allclose(model.predict_proba(X_test), reference.predict_proba(model.transform(X_test)), atol=1e-12)


def test_a_refitted_tagger_forgets_what_it_derived_from_its_previous_fit():
    """Lookup tables and display names are caches of the fitted state: a refit must rebuild them."""
    from policytag.corpus import label_matrix, read_records
    from policytag.taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    records = read_records()
    X, Y = [r["text"] for r in records], label_matrix([r["labels"] for r in records], taxonomy)
    tagger = PolicyTagger(labels=taxonomy.ids, threshold_folds=0).fit(X[:2000], Y[:2000])
    tagger.explain(X[:2], 0)
    tagger.predict_proba(X[:2])
    tagger.fit(X[2000:4000], Y[2000:4000])
    assert len(tagger._display_terms()) == tagger.coef_.shape[1]
    assert tagger.predict_proba(X[:3]).shape == (3, len(taxonomy))
    assert not set(tagger.DERIVED) & set(tagger.__getstate__())


def test_fitting_on_several_processes_gives_the_same_model(split):
    ids, X, Y, X_test, _ = split
    serial = PolicyTagger(labels=ids, threshold_folds=3).fit(X, Y)
    parallel = PolicyTagger(labels=ids, threshold_folds=3, n_jobs=2).fit(X, Y)
    assert np.array_equal(serial.coef_, parallel.coef_)
    assert np.array_equal(serial.thresholds_, parallel.thresholds_)
    # the intercepts carry the Platt sigmoids' offsets, which may differ in the last bit (BLAS threads differ
    # between processes)
    assert np.allclose(serial.predict_proba(X_test), parallel.predict_proba(X_test), rtol=1e-12, atol=1e-15)


def test_joined_training_sentences_carry_the_union_of_their_labels(split):
    ids, X, Y, _, _ = split
    rows = [i for i, text in enumerate(X) if "；" not in text][:200]
    X, Y = [X[i] for i in rows], Y[rows]
    model = PolicyTagger(labels=ids, join_ratio=0.5, join_max=3, threshold_folds=0).fit(X, Y)
    features, joined_texts = model.transform(X), []
    model._features = lambda texts: joined_texts.extend(texts) or PolicyTagger._features(model, texts)
    all_features, all_Y = model._with_joined(X, features, Y, np.random.default_rng(0))
    assert all_features.shape[0] == all_Y.shape[0] == 300 and np.array_equal(all_Y[:200], Y)
    label_of = {text.rstrip("。；，"): labels for text, labels in zip(X, Y, strict=True)}
    for text, labels in zip(joined_texts, all_Y[200:], strict=True):
        members = text.rstrip("。").split("；")
        assert 2 <= len(members) <= 3 and all(m in label_of for m in members), text
        assert np.array_equal(labels, np.max([label_of[m] for m in members], axis=0)), text


def test_transform_equals_the_feature_union_it_bypasses(split):
    ids, X, Y, X_test, _ = split
    model = PolicyTagger(labels=ids, threshold_folds=0).fit(X, Y)
    assert (model.transform(X_test) != model.vectorizer_.transform(X_test)).nnz == 0
