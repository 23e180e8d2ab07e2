"""Multi-label evaluation: per-label precision / recall / F1, their micro and macro averages, intervals that
resample whole documents, the per-document coverage error, and the agreement of two annotations."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from sklearn.metrics import cohen_kappa_score, precision_recall_fscore_support


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
    p, r, f, _ = precision_recall_fscore_support(Y_true, Y_pred, average="micro", zero_division=0)
    result["micro"] = {"precision": round(float(p), 4), "recall": round(float(r), 4), "f1": round(float(f), 4)}
    # A label that no sentence has and none is tagged with says nothing about the model (a small sample of one's
    # own reports may lack a label): it is left out of the macro average instead of counting as F1 0.
    occurs = (support > 0) | (Y_pred.sum(axis=0) > 0)
    result["macro"] = {name: round(float(values[occurs].mean()), 4) if occurs.any() else 0.0
                       for name, values in (("precision", precision), ("recall", recall), ("f1", f1))}
    result["macro_labels"] = int(occurs.sum())
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
    if metrics["macro_labels"] < len(metrics["labels"]):
        n = metrics["macro_labels"]
        lines.append(f"(macro avg over the {n} label{'' if n == 1 else 's'} annotated or tagged at least once)")
    lines.append(f"{'none-vs-some accuracy':<26}{metrics['none_accuracy']:>10.3f}")
    return "\n".join(lines)


def agreement(first, second, label_ids: list[str]) -> dict:
    """How far two annotations of the same sentences agree: the second scored against the first (`label_metrics`),
    the share of identical label sets, and Cohen's kappa per label (None where it is undefined: a label that
    neither annotation gives, or that both give to every sentence)."""
    first, second = np.asarray(first, dtype=int), np.asarray(second, dtype=int)
    result = label_metrics(first, second, label_ids)
    result["identical_sets"] = round(float((first == second).all(axis=1).mean()), 4) if len(first) else 0.0
    result["kappa"] = {}
    for j, label in enumerate(label_ids):
        both = np.concatenate([first[:, j], second[:, j]])
        defined = 0 < both.sum() < len(both)
        result["kappa"][label] = round(float(cohen_kappa_score(first[:, j], second[:, j])), 4) if defined else None
    return result


def format_agreement(result: dict) -> str:
    """The printed form of `agreement`: the per-label table, identical sets, and kappa per label."""
    kappas = ", ".join(f"{label} {'n/a' if k is None else f'{k:.2f}'}" for label, k in result["kappa"].items())
    return "\n".join([format_metrics(result), f"identical label sets: {result['identical_sets']:.3f}",
                      f"Cohen's kappa: {kappas}"])


def coverage_error(docs: list, truth: np.ndarray, predicted: np.ndarray) -> float:
    """Mean over documents of the mean over labels of |predicted share - annotated share| of the document's
    sentences: how far the coverage a report would print is from what a reader would count."""
    rows = defaultdict(list)
    for i, doc in enumerate(docs):
        rows[doc].append(i)
    errors = [np.abs(predicted[idx].mean(axis=0) - truth[idx].mean(axis=0)).mean() for idx in rows.values()]
    return float(np.mean(errors))


def bootstrap_intervals(docs: list, truth: np.ndarray, predicted: np.ndarray, draws: int = 1000,
                        seed: int = 0) -> tuple[tuple[float, float], tuple[float, float]]:
    """95% intervals of micro and macro F1 when whole documents are resampled with replacement.

    Sentences of one document are not independent (one report's style, one annotator), so documents are the
    unit; without documents, give each sentence its own. A label absent from a draw (no true and no predicted
    sentence) is left out of that draw's macro mean, and a draw with no label at all is left out.
    """
    names = sorted(set(docs))
    position = {doc: i for i, doc in enumerate(names)}
    doc_of = np.array([position[d] for d in docs])
    truth, predicted = truth.astype(bool), predicted.astype(bool)
    counts = np.zeros((len(names), 3, truth.shape[1]))  # per document: tp, fp, fn per label
    for k, cells in enumerate((truth & predicted, ~truth & predicted, truth & ~predicted)):
        np.add.at(counts[:, k, :], doc_of, cells)
    rng = np.random.default_rng(seed)
    micro, macro = [], []
    for _ in range(draws):
        tp, fp, fn = counts[rng.integers(0, len(names), len(names))].sum(axis=0)
        denominator = 2 * tp + fp + fn
        if not denominator.any():  # a draw of unlabelled, untagged sentences only: F1 is undefined
            continue
        micro.append(2 * tp.sum() / denominator.sum())
        macro.append(np.mean(2 * tp[denominator > 0] / denominator[denominator > 0]))
    return tuple(np.percentile(micro, [2.5, 97.5])), tuple(np.percentile(macro, [2.5, 97.5]))


def evaluation(truth: np.ndarray, predicted: np.ndarray, baseline: np.ndarray, label_ids: list[str],
               documents: list | None = None) -> dict:
    """What `policytag evaluate` prints, writes and records: the model's per-label metrics, 95% intervals
    (resampling whole documents when each sentence's document is given, else sentences), and the headline
    figures of the model and of a baseline on the same sentences, with the per-document coverage error when the
    documents are known."""
    result = label_metrics(truth, predicted, label_ids)
    units = documents if documents is not None else list(range(len(truth)))
    (micro_lo, micro_hi), (macro_lo, macro_hi) = bootstrap_intervals(units, truth, predicted)
    result["intervals_95"] = {"resampled": "document" if documents is not None else "sentence",
                              "n_units": len(set(units)),
                              "micro_f1": [round(micro_lo, 4), round(micro_hi, 4)],
                              "macro_f1": [round(macro_lo, 4), round(macro_hi, 4)]}
    # Whether the model counts a measure too often or too rarely: what a coverage panel inherits from it.
    result["shares"] = {label: {"annotated": round(float(truth[:, j].mean()), 4),
                                "tagged": round(float(predicted[:, j].mean()), 4)}
                        for j, label in enumerate(label_ids)}
    baseline_metrics = label_metrics(truth, baseline, label_ids)
    result["figures"] = {
        name: headline(scores, None if documents is None else coverage_error(documents, truth, labels))
        for name, scores, labels in (("policytag", result, predicted), ("keywords", baseline_metrics, baseline))
    }
    return result


def headline(metrics: dict, coverage: float | None) -> dict:
    """The figures a model records and its reports quote (`policytag.provenance`): micro and macro F1 of
    `label_metrics`, the per-document coverage error when the documents were known, and each label's F1 and
    number of annotated sentences, for the labels that were annotated at least once, so that a reader knows how
    far to trust each column of a report."""
    return {"micro_f1": round(metrics["micro"]["f1"], 4), "macro_f1": round(metrics["macro"]["f1"], 4),
            "coverage_error": None if coverage is None else round(coverage, 5),
            "labels": {label: {"f1": round(m["f1"], 4), "support": m["support"]}
                       for label, m in metrics["labels"].items() if m["support"] > 0}}


def format_evaluation(result: dict) -> str:
    """The printed form of `evaluation`: the per-label table, the intervals, the coverage error, the baseline."""
    intervals, figures = result["intervals_95"], result["figures"]
    by_document = intervals["resampled"] == "document"
    lines = [
        format_metrics(result),
        f"95% interval, {intervals['n_units']} {intervals['resampled']}s resampled: "
        f"micro F1 {intervals['micro_f1'][0]:.3f}–{intervals['micro_f1'][1]:.3f}, "
        f"macro F1 {intervals['macro_f1'][0]:.3f}–{intervals['macro_f1'][1]:.3f}",
        f"coverage error per document: {figures['policytag']['coverage_error']:.4f} (mean over labels of "
        "|predicted share − annotated share| of its sentences)" if by_document else
        "(give every sentence a doc_id to resample whole documents and get the per-document coverage error)",
    ]
    lines.append("share of sentences, annotated → tagged: " + ", ".join(
        f"{label} {100 * share['annotated']:.1f}% → {100 * share['tagged']:.1f}%"
        for label, share in result["shares"].items()))
    keywords = figures["keywords"]
    lines.append(f"keyword dictionary (labels/ seed terms) on the same sentences: micro F1 {keywords['micro_f1']:.3f}, "
                 f"macro F1 {keywords['macro_f1']:.3f}"
                 + (f", coverage error {keywords['coverage_error']:.4f}" if by_document else ""))
    return "\n".join(lines)
