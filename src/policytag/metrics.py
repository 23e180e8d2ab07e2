"""Multi-label evaluation: per-label precision / recall / F1 and their micro and macro averages."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import precision_recall_fscore_support


def label_metrics(Y_true, Y_pred, label_ids: list[str]) -> dict:
    Y_true = np.asarray(Y_true, dtype=int)
    Y_pred = np.asarray(Y_pred, dtype=int)
    precision, recall, f1, support = precision_recall_fscore_support(Y_true, Y_pred, average=None, zero_division=0)
    result = {
        "n_sentences": int(Y_true.shape[0]),
        "labels": {
            label: {
                "precision": round(float(precision[j]), 4),
                "recall": round(float(recall[j]), 4),
                "f1": round(float(f1[j]), 4),
                "support": int(support[j]),
            }
            for j, label in enumerate(label_ids)
        },
    }
    for average in ("micro", "macro"):
        p, r, f, _ = precision_recall_fscore_support(Y_true, Y_pred, average=average, zero_division=0)
        result[average] = {"precision": round(float(p), 4), "recall": round(float(r), 4), "f1": round(float(f), 4)}
    none_true = Y_true.sum(axis=1) == 0
    none_pred = Y_pred.sum(axis=1) == 0
    result["none_accuracy"] = round(float(np.mean(none_true == none_pred)), 4) if len(Y_true) else 0.0
    return result


def format_metrics(metrics: dict) -> str:
    """A fixed-width table, the form printed by `train` and `evaluate` and pasted into the model card."""
    lines = [f"{'label':<26}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}"]
    for label, m in metrics["labels"].items():
        lines.append(f"{label:<26}{m['precision']:>10.3f}{m['recall']:>10.3f}{m['f1']:>10.3f}{m['support']:>10d}")
    for average in ("micro", "macro"):
        m = metrics[average]
        lines.append(f"{average + ' avg':<26}{m['precision']:>10.3f}{m['recall']:>10.3f}{m['f1']:>10.3f}"
                     f"{metrics['n_sentences']:>10d}")
    lines.append(f"{'none-vs-some accuracy':<26}{metrics['none_accuracy']:>10.3f}")
    return "\n".join(lines)
