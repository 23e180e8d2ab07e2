"""Evaluation arithmetic: which labels a macro average counts."""

import numpy as np
import pytest

from policytag.metrics import format_metrics, label_metrics

LABELS = ["a", "b", "c"]


def test_macro_leaves_out_a_label_neither_annotated_nor_tagged_but_counts_one_only_tagged():
    truth = np.array([[1, 0, 0], [0, 0, 0], [1, 0, 0]])
    only_a = label_metrics(truth, truth, LABELS)
    assert only_a["macro"]["f1"] == 1.0 and only_a["macro_labels"] == 1
    assert "(macro avg over the 1 labels annotated or tagged at least once)" in format_metrics(only_a)

    tagged_b = label_metrics(truth, np.array([[1, 1, 0], [0, 0, 0], [1, 0, 0]]), LABELS)
    assert tagged_b["macro"]["f1"] == pytest.approx(0.5) and tagged_b["macro_labels"] == 2  # b: F1 0


def test_with_every_label_present_macro_is_the_plain_mean():
    truth = np.eye(3, dtype=int)
    predicted = np.array([[1, 0, 0], [0, 1, 1], [0, 0, 0]])
    metrics = label_metrics(truth, predicted, LABELS)
    # a and b right; c missed once and tagged wrongly once
    assert metrics["macro"]["f1"] == pytest.approx(np.mean([1.0, 1.0, 0.0]), abs=1e-4)
    assert "macro avg over" not in format_metrics(metrics)
