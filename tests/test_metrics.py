"""Evaluation arithmetic: which labels a macro average counts; the agreement of two annotations."""

import numpy as np
import pytest

from policytag.metrics import agreement, format_agreement, format_metrics, label_metrics

LABELS = ["a", "b", "c"]


def test_macro_leaves_out_a_label_neither_annotated_nor_tagged_but_counts_one_only_tagged():
    truth = np.array([[1, 0, 0], [0, 0, 0], [1, 0, 0]])
    only_a = label_metrics(truth, truth, LABELS)
    assert only_a["macro"]["f1"] == 1.0 and only_a["macro_labels"] == 1
    assert "(macro avg over the 1 label annotated or tagged at least once)" in format_metrics(only_a)

    tagged_b = label_metrics(truth, np.array([[1, 1, 0], [0, 0, 0], [1, 0, 0]]), LABELS)
    assert tagged_b["macro"]["f1"] == pytest.approx(0.5) and tagged_b["macro_labels"] == 2  # b: F1 0


def test_with_every_label_present_macro_is_the_plain_mean():
    truth = np.eye(3, dtype=int)
    predicted = np.array([[1, 0, 0], [0, 1, 1], [0, 0, 0]])
    metrics = label_metrics(truth, predicted, LABELS)
    # a and b right; c missed once and tagged wrongly once
    assert metrics["macro"]["f1"] == pytest.approx(np.mean([1.0, 1.0, 0.0]), abs=1e-4)
    assert "macro avg over" not in format_metrics(metrics)


def test_agreement_gives_kappa_where_it_is_defined():
    first = np.array([[1, 0, 1], [0, 0, 1], [1, 0, 1], [0, 0, 1]])
    second = np.array([[1, 0, 1], [0, 0, 1], [0, 0, 1], [0, 0, 1]])
    result = agreement(first, second, LABELS)
    assert result["identical_sets"] == 0.75
    # a: 2x2 table [[2, 0], [1, 1]] -> observed 0.75, expected 0.5 -> kappa 0.5
    assert result["kappa"]["a"] == pytest.approx(0.5)
    assert result["kappa"]["b"] is None and result["kappa"]["c"] is None  # never given; given to every sentence
    assert "Cohen's kappa: a 0.50, b n/a, c n/a" in format_agreement(result)
