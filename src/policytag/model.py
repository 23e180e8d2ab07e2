"""The sentence tagger: a scikit-learn estimator over texts with one calibrated linear model per label.

`fit(texts, Y)` takes raw sentences and a binary label matrix (n_sentences × n_labels, columns in the
order of `labels`); `predict_proba` gives calibrated probabilities, `predict` applies a per-label
threshold chosen by cross-validation inside `fit`, and `explain` names the terms that pushed a sentence
towards a label (feature value × weight of the linear model).

Each label's linear model sees the features scaled by how much more often they occur in that label's sentences
than in the others (the naive-Bayes log-count ratio of NB-SVM, Wang & Manning 2012); the scaling folds into the
weights, so prediction stays one sparse product.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from iterstrat.ml_stratifiers import MultilabelStratifiedKFold
from joblib import Parallel, delayed
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.svm import LinearSVC
from sklearn.utils.validation import check_is_fitted

from .derived import DerivedCaches
from .features import build_features, display_term

_THRESHOLD_GRID = np.round(np.arange(0.10, 0.91, 0.025), 3)


class PolicyTagger(DerivedCaches, ClassifierMixin, BaseEstimator):
    """Multi-label tagger for policy sentences.

    Parameters
    ----------
    labels : sequence of str
        Label ids, in the column order of the `Y` given to `fit`.
    classifier : {"svm", "logreg"}
        Linear base model per label: LinearSVC with sigmoid calibration, or logistic regression.
    C : float
        Inverse regularisation strength of the base model.
    nb_power : float or None
        Per label, features are multiplied by the naive-Bayes log-count ratio raised to this power (sign kept);
        None for unscaled features. 0.5 and C=1.0 measured best on real reports (bench/real_dev.py, tune split).
    class_weight : "balanced" or None
        "balanced" reweights positives; None measured better on real reports (bench/real_dev.py, tune split).
    char_ngram_range : (int, int) or None
        Character n-gram sizes added to the word features; None for words only.
    min_df : int
        Minimum number of training sentences a feature must occur in.
    join_ratio : float
        Extra training sentences, per training sentence, each made of 2 to `join_max` random training sentences
        joined by '；' and carrying the union of their labels. Real report sentences often run several measures
        together, which written training sentences rarely do; without such examples a measure named in one clause
        of a long sentence is diluted below its threshold. 0 for none. 0.66 with `join_max` 4 measured best on
        real reports (bench/real_dev.py, tune split, three seeds).
    join_max : int
        Most training sentences in one joined sentence (at least 2).
    threshold_folds : int
        Folds of the inner cross-validation that picks each label's decision threshold (0: use 0.5). The models
        fitted on these folds also steady the final weights: the shipped log-odds are the mean of the full-data
        model's and the fold models' mean (+0.002 micro and macro F1 on real reports, bench/tune_compare.py, three
        seeds), at no extra training or prediction cost.
    random_state : int
        Seed for the fold assignment and the joined sentences, so training is repeatable.
    n_jobs : int or None
        Processes for fitting (labels and threshold folds in parallel; -1 = all cores). Same model either way, up to
        rounding in the last bit of the calibration.
    """

    DERIVED = ("_terms", "_ranks", "_weights_by_feature")

    def __init__(
        self,
        labels=(),
        classifier="svm",
        C=1.0,
        nb_power=0.5,
        class_weight=None,
        char_ngram_range=(1, 2),
        min_df=2,
        join_ratio=0.66,
        join_max=4,
        threshold_folds=5,
        random_state=0,
        n_jobs=None,
    ):
        self.labels = labels
        self.classifier = classifier
        self.C = C
        self.nb_power = nb_power
        self.class_weight = class_weight
        self.char_ngram_range = char_ngram_range
        self.min_df = min_df
        self.join_ratio = join_ratio
        self.join_max = join_max
        self.threshold_folds = threshold_folds
        self.random_state = random_state
        self.n_jobs = n_jobs

    def _base_model(self):
        if self.classifier == "svm":
            svm = LinearSVC(C=self.C, class_weight=self.class_weight, random_state=self.random_state)
            model = CalibratedClassifierCV(svm, method="sigmoid", cv=3, ensemble=False)
        elif self.classifier == "logreg":
            model = LogisticRegression(
                C=self.C * 10, class_weight=self.class_weight, max_iter=2000, random_state=self.random_state)
        else:
            raise ValueError(f"classifier must be 'svm' or 'logreg', not {self.classifier!r}")
        return model if self.nb_power is None else NaiveBayesScaled(model, power=self.nb_power)

    def fit(self, X, y):
        texts = _as_texts(X)
        Y = np.asarray(y, dtype=int)
        if Y.ndim != 2 or Y.shape != (len(texts), len(self.labels)):
            raise ValueError(f"y must have shape ({len(texts)}, {len(self.labels)}), got {Y.shape}")
        empty = [self.labels[j] for j in np.flatnonzero(Y.sum(axis=0) == 0)]
        if empty:
            raise ValueError(f"no positive training sentence for: {', '.join(empty)}")
        self.classes_ = np.array(self.labels)
        self.vectorizer_ = build_features(self.char_ngram_range, self.min_df)
        features = self.vectorizer_.fit_transform(texts)
        rng = np.random.default_rng(self.random_state)
        fitted = OneVsRestClassifier(self._base_model(), n_jobs=self.n_jobs).fit(
            *self._with_joined(texts, features, Y, rng))
        # Keep only what prediction needs: per label the weights and intercept of its calibrated log-odds.
        # Prediction is then one sparse product, and the model file holds plain arrays.
        self.coef_, self.intercept_ = _log_odds(fitted)
        if self.threshold_folds:
            oof, fold_log_odds = self._fit_folds(texts, features, Y, rng)
            self.thresholds_ = _best_f1_thresholds(Y, oof)
            self.coef_ = (self.coef_ + np.mean([weights for weights, _ in fold_log_odds], axis=0)) / 2
            self.intercept_ = (self.intercept_ + np.mean([intercept for _, intercept in fold_log_odds], axis=0)) / 2
        else:
            self.thresholds_ = np.full(Y.shape[1], 0.5)
        self._forget_derived()
        return self

    def _with_joined(self, texts, features, Y, rng) -> tuple[sp.csr_matrix, np.ndarray]:
        """The training features and labels followed by those of `join_ratio` × n joined sentences (see `join_ratio`).

        Joins are drawn from the given sentences only, so inside a cross-validation fold they never contain a
        held-out sentence.
        """
        n_joined = round(self.join_ratio * len(texts)) if len(texts) >= 2 else 0
        if n_joined == 0:
            return features, Y
        if self.join_max < 2:
            raise ValueError(f"join_max must be at least 2, not {self.join_max!r}")
        sizes = rng.integers(2, min(self.join_max, len(texts)) + 1, size=n_joined)
        members = [rng.choice(len(texts), size=size, replace=False) for size in sizes]
        joined = ["；".join(texts[i].rstrip("。；，") for i in rows) + "。" for rows in members]
        joined_Y = np.vstack([Y[rows].max(axis=0) for rows in members])
        return sp.vstack([features, self._features(joined)], format="csr"), np.vstack([Y, joined_Y])

    def _display_terms(self) -> np.ndarray:
        """Feature names as shown in evidence."""
        return self._cached("_terms", lambda: np.array(
            [display_term(n) for n in self.vectorizer_.get_feature_names_out()], dtype=object))

    def _term_rank(self) -> np.ndarray:
        """Per feature: 0 for words, 1 for character n-grams of two or more, 2 for single characters."""
        return self._cached("_ranks", self._build_term_rank)

    def _build_term_rank(self) -> np.ndarray:
        n_words = len(self.vectorizer_.transformer_list[0][1].idf_)
        lengths = np.array([len(term) for term in self._display_terms()])
        return np.where(np.arange(len(lengths)) < n_words, 0, np.where(lengths >= 2, 1, 2))

    def _fit_folds(self, texts, features, Y, rng) -> tuple[np.ndarray, list[tuple[np.ndarray, np.ndarray]]]:
        """Out-of-fold probabilities of the training sentences over `threshold_folds` folds, and each fold model's
        log-odds parameters."""
        folds = MultilabelStratifiedKFold(n_splits=self.threshold_folds, shuffle=True, random_state=self.random_state)
        splits = list(folds.split(features, Y))
        training_sets = [
            self._with_joined([texts[i] for i in train], features[train], Y[train], rng) for train, _ in splits
        ]
        folds_fitted = Parallel(n_jobs=self.n_jobs)(
            delayed(_fit_fold)(self._base_model(), fold_features, fold_Y, features[test])
            for (fold_features, fold_Y), (_, test) in zip(training_sets, splits, strict=True)
        )
        oof = np.zeros(Y.shape)
        for (_, test), (probabilities, _) in zip(splits, folds_fitted, strict=True):
            oof[test] = probabilities
        return oof, [log_odds for _, log_odds in folds_fitted]

    def transform(self, X):
        """The sparse feature matrix of the texts (TF-IDF words and character n-grams)."""
        check_is_fitted(self, "coef_")
        return self._features(_as_texts(X))

    def _features(self, texts: list[str]):
        if not texts:
            return sp.csr_matrix((0, self.coef_.shape[1]))
        # The parts of the FeatureUnion, called directly: its generic dispatch (joblib, output wrappers) costs
        # milliseconds per call, several percent of a whole run when every document is one call.
        parts = [part.transform(texts) for _, part in self.vectorizer_.transformer_list]
        return sp.hstack(parts, format="csr") if len(parts) > 1 else parts[0].tocsr()

    def predict_proba(self, X) -> np.ndarray:
        return self.proba_from_features(self.transform(X))

    def proba_from_features(self, features) -> np.ndarray:
        """Probabilities from an already computed feature matrix, so tagging computes features once."""
        # coef_.T made C-ordered once: scipy's sparse × dense product otherwise copies the transposed weights
        # (features × labels) on every call, which cost more than the product itself.
        weights = self._cached("_weights_by_feature", lambda: np.ascontiguousarray(self.coef_.T))
        return expit(np.asarray(features @ weights) + self.intercept_)

    def predict(self, X) -> np.ndarray:
        return (self.predict_proba(X) >= self.thresholds_).astype(int)

    def explain(self, X, label_index, top_k: int = 3, features=None, rows=None) -> list[list[str]]:
        """For each text, the terms with the largest positive contribution towards one label.

        `label_index` is one label for every text, or an array with one label per text (or per row in `rows`),
        so that a document's evidence for all its labels is one call.

        Words (and word pairs) come first, since a reader recognises 超低排放改造 more easily than 排放;
        character n-grams of two or more characters fill the remaining places; a term inside an already chosen
        one is skipped. `features` may carry the texts' feature matrix when it is already computed, and `rows`
        pick some of its rows (reading them in place is much cheaper than slicing a sparse matrix).
        """
        features = (self.transform(X) if features is None else features).tocsr()
        chosen = np.arange(features.shape[0]) if rows is None else np.asarray(rows, dtype=np.int64)
        names, rank = self._display_terms(), self._term_rank()
        # every (row, feature) of the chosen rows at once; only picking non-overlapping terms is a Python loop
        starts, lengths = features.indptr[chosen], np.diff(features.indptr)[chosen]
        positions = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths) + np.arange(lengths.sum())
        answer_row = np.repeat(np.arange(len(chosen)), lengths)
        columns = features.indices[positions]
        labels = np.broadcast_to(np.asarray(label_index), chosen.shape)[answer_row]
        # np.take on flat (label, column) positions: several times faster than 2-d fancy indexing of coef_
        contributions = features.data[positions] * np.take(self.coef_, labels * self.coef_.shape[1] + columns)
        ranks = rank[columns]
        candidate = (contributions > 0) & (ranks < 2)
        answer_row, ranks, columns, contributions = (
            answer_row[candidate], ranks[candidate], columns[candidate], contributions[candidate])
        order = np.lexsort((-contributions, ranks, answer_row))
        # each row's candidates, best first, are one slice; a row stops being read once it has top_k terms
        bounds = np.searchsorted(answer_row[order], np.arange(len(chosen) + 1)).tolist()
        ordered_columns = columns[order].tolist()
        explanations: list[list[str]] = [[] for _ in chosen]
        for row, terms in enumerate(explanations):
            for column in ordered_columns[bounds[row]:bounds[row + 1]]:
                if len(terms) >= top_k:
                    break
                term = str(names[column])
                if not any(term in kept or kept in term for kept in terms):
                    terms.append(term)
        return explanations


class NaiveBayesScaled(ClassifierMixin, BaseEstimator):
    """A binary linear model fitted on features scaled by their naive-Bayes log-count ratio (NB-SVM).

    The ratio r = log((p / |p|₁) / (q / |q|₁)), with p and q the smoothed feature sums over positive and negative
    sentences, is computed from the training data it is fitted on (so cross-validation folds stay honest), and
    raised to `power` with its sign kept, which softens it.
    """

    def __init__(self, estimator=None, alpha=1.0, power=0.5):
        self.estimator = estimator
        self.alpha = alpha
        self.power = power

    def fit(self, X, y):
        X, y = sp.csr_matrix(X), np.asarray(y)
        self.classes_ = np.unique(y)
        positive = self.alpha + np.asarray(X[y == 1].sum(axis=0)).ravel()
        negative = self.alpha + np.asarray(X[y != 1].sum(axis=0)).ravel()
        ratio = np.log(positive / positive.sum()) - np.log(negative / negative.sum())
        self.scale_ = np.sign(ratio) * np.abs(ratio) ** self.power
        self.estimator_ = clone(self.estimator).fit(self._scaled(X), y)
        return self

    def _scaled(self, X):
        return sp.csr_matrix(X).multiply(self.scale_).tocsr()

    def predict_proba(self, X):
        return self.estimator_.predict_proba(self._scaled(X))

    def predict(self, X):
        return self.estimator_.predict(self._scaled(X))


def _fit_fold(base_model, features, Y, held_out) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Probabilities of the held-out rows and the log-odds parameters of a model fitted on the others."""
    fitted = OneVsRestClassifier(clone(base_model)).fit(features, Y)
    return fitted.predict_proba(held_out), _log_odds(fitted)


def _as_texts(X) -> list[str]:
    if isinstance(X, str):
        raise TypeError("expected a sequence of sentences, got a single string")
    return [str(x) for x in X]


def _log_odds(fitted: OneVsRestClassifier) -> tuple[np.ndarray, np.ndarray]:
    """Per label (rows) the weights, and the intercepts, of the fitted models' calibrated log-odds."""
    parameters = [_label_log_odds(estimator) for estimator in fitted.estimators_]
    return np.vstack([weights for weights, _ in parameters]), np.array([intercept for _, intercept in parameters])


def _label_log_odds(estimator) -> tuple[np.ndarray, float]:
    """(weights, intercept) of a fitted binary model whose probability is expit(weights · x + intercept).

    A sigmoid-calibrated LinearSVC (ensemble=False) has one base model and one Platt sigmoid expit(-(a·score + b)),
    which folds into its weights; a logistic regression's are its log-odds already; a naive-Bayes scaling
    multiplies into the weights.
    """
    if isinstance(estimator, NaiveBayesScaled):
        weights, intercept = _label_log_odds(estimator.estimator_)
        return weights * estimator.scale_, intercept
    if isinstance(estimator, CalibratedClassifierCV):
        calibrated = estimator.calibrated_classifiers_[0]
        sigmoid = calibrated.calibrators[0]
        base = calibrated.estimator
        a, b = float(sigmoid.a_), float(sigmoid.b_)
        return -a * np.ravel(base.coef_), -(a * float(np.ravel(base.intercept_)[0]) + b)
    return np.ravel(estimator.coef_), float(np.ravel(estimator.intercept_)[0])


def _best_f1_thresholds(Y: np.ndarray, probabilities: np.ndarray) -> np.ndarray:
    """Per label, the threshold on the grid that maximises F1 of the probabilities against Y."""
    thresholds = np.empty(Y.shape[1])
    for j in range(Y.shape[1]):
        scores = [_f1(Y[:, j], probabilities[:, j] >= t) for t in _THRESHOLD_GRID]
        thresholds[j] = _THRESHOLD_GRID[int(np.argmax(scores))]
    return thresholds


def _f1(truth: np.ndarray, predicted: np.ndarray) -> float:
    tp = np.sum(truth & predicted)
    denominator = truth.sum() + predicted.sum()
    return 0.0 if denominator == 0 else 2 * tp / denominator
