"""Train the tagger on a corpus: cross-validated figures first, then the final model and its card."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import platform
import textwrap
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
from iterstrat.ml_stratifiers import MultilabelStratifiedKFold
from sklearn.base import clone

from . import __version__
from .corpus import corpus_files, corpus_hash, fingerprints, label_matrix, load_corpus, pack_fingerprints
from .metrics import format_metrics, label_metrics
from .model import PolicyTagger
from .persist import save_model
from .taxonomy import load_taxonomy

CV_FOLDS = 5
SEED = 0
_VERSIONED = ("policytag", "scikit-learn", "numpy", "scipy", "jieba", "skops", "datasets", "iterative-stratification")


def default_estimator(label_ids: list[str]) -> PolicyTagger:
    return PolicyTagger(labels=label_ids, random_state=SEED, n_jobs=-1)


def cross_validated_predictions(estimator: PolicyTagger, texts: list[str], Y: np.ndarray, folds: int = CV_FOLDS,
                                progress: Callable[[int], None] | None = None) -> np.ndarray:
    """Out-of-fold label predictions from iteratively stratified multi-label k-fold."""
    splitter = MultilabelStratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED)
    predicted = np.zeros_like(Y)
    texts_array = np.array(texts, dtype=object)
    for fold, (train_rows, test_rows) in enumerate(splitter.split(texts_array, Y), start=1):
        model = clone(estimator).fit(list(texts_array[train_rows]), Y[train_rows])
        predicted[test_rows] = model.predict(list(texts_array[test_rows]))
        if progress:
            progress(fold)
    return predicted


def library_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in _VERSIONED:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = __version__ if name == "policytag" else "not installed"
    return versions


def train(corpus_paths: Iterable[str | Path] | None, out_dir: str | Path, folds: int = CV_FOLDS,
          log: Callable[[str], None] = print) -> dict:
    taxonomy = load_taxonomy()
    paths = corpus_files(corpus_paths)
    dataset = load_corpus(paths, taxonomy, note=log)
    texts = list(dataset["text"])
    names = dataset.features["labels"].feature.names
    Y = label_matrix([[names[i] for i in row] for row in dataset["labels"]], taxonomy)
    log(f"corpus: {len(texts)} sentences from {len(paths)} files")
    estimator = default_estimator(taxonomy.ids)

    started = time.perf_counter()
    predicted = cross_validated_predictions(estimator, texts, Y, folds, lambda f: log(f"  cv fold {f}/{folds} done"))
    cv = label_metrics(Y, predicted, taxonomy.ids)
    table = format_metrics(cv)
    log(f"{folds}-fold cross-validation (iterative stratification, seed {SEED}):\n{table}")

    fit_started = time.perf_counter()
    model = clone(estimator).fit(texts, Y)
    fit_seconds = time.perf_counter() - fit_started
    metadata = {
        "trained_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "corpus_hash": corpus_hash(paths),
        "corpus_files": [p.name for p in paths],
        "n_sentences": len(texts),
        "label_positives": {label: int(Y[:, j].sum()) for j, label in enumerate(taxonomy.ids)},
        "params": {k: v for k, v in model.get_params().items() if k != "labels"},
        "thresholds": {label: float(t) for label, t in zip(taxonomy.ids, model.thresholds_, strict=True)},
        "versions": library_versions(),
        "cv": {"folds": folds, "seed": SEED, "metrics": cv, "table": table},
        "fit_seconds": round(fit_seconds, 2),
        "training_fingerprints": pack_fingerprints(fingerprints(texts)),
    }
    save_model(model, out_dir, metadata)
    write_model_card(Path(out_dir), metadata, taxonomy)
    log(f"final fit: {fit_seconds:.1f} s; total {time.perf_counter() - started:.1f} s")
    log(f"model written to {out_dir}")
    return metadata


def write_model_card(directory: Path, meta: dict, taxonomy) -> None:
    from .textio import atomic_output

    labels = "\n".join(
        f"| `{label.id}` | {label.zh} | {label.en} | {meta['label_positives'][label.id]} "
        f"| {meta['thresholds'][label.id]:.3f} |"
        for label in taxonomy.labels
    )
    versions = ", ".join(f"{k} {v}" for k, v in meta["versions"].items())
    real = meta.get("real_dev")
    real_section = (
        f"""
## Real reports (never trained on)

{textwrap.fill(f"Measured {real['measured_at']} with `{real['command']}` on {real['data']}. As printed:", 115)}

```
{real['table']}
```
"""
        if real
        else "\nReal-report figures: not measured yet (`policytag evaluate --record` on annotated real sentences).\n"
    )
    card = f"""# policytag model card

Trained {meta['trained_at']} by `python train.py` on {meta['n_sentences']} annotated sentences
(`corpus/`: {', '.join(meta['corpus_files'])}); corpus hash `{meta['corpus_hash']}`.

**Model**: TF-IDF over jieba words (unigrams + bigrams, domain user dictionary) and character n-grams,
one-vs-rest linear classifier per label (on features scaled by the label's naive-Bayes log-count ratio when
`nb_power` is set) with calibrated probabilities, per-label decision thresholds tuned by inner
cross-validation (the inner folds' models averaged into the final log-odds); the training sentences are joined
ones as well (`join_ratio` × n sentences of 2 to `join_max` training sentences each, carrying the union of their
labels, drawn inside each fold). Parameters: `{meta['params']}`.

**Intended use**: tagging sentences of Chinese government work reports, city news features and park surveys with
green-transformation policy-measure categories, for research on coverage; not for decisions about individuals.
The corpus is written for the project in the register of real reports; performance on real text is measured
separately (below, and in the project README). Before a paper relies on its coverage figures for a set of reports,
measure it on a labelled sample of those reports (`policytag sample`, then `policytag evaluate`).

## Labels

| id | 中文 | English | training positives | threshold |
|---|---|---|---|---|
{labels}

## Cross-validation ({meta['cv']['folds']}-fold, iterative stratification, seed {meta['cv']['seed']})

As printed by `python train.py`:

```
{meta['cv']['table']}
```

{real_section}
## Versions

{versions}
"""
    with atomic_output(directory / "README.md") as handle:
        handle.write(card)


def record_real_report_figures(model_dir: Path, command: str, data: str, table: str, figures: dict) -> None:
    """Store an evaluation on annotated real sentences in model.json and the model card.

    `figures` holds micro_f1, macro_f1 and coverage_error per system ("policytag", and "keywords" for the
    dictionary on the same sentences); every report made with the model quotes them (`policytag.provenance`).
    """
    from .persist import read_metadata, write_metadata

    meta = read_metadata(model_dir)
    meta["real_dev"] = {"measured_at": dt.date.today().isoformat(), "command": command, "data": data,
                        "table": table, "figures": figures}
    write_metadata(model_dir, meta)
    write_model_card(Path(model_dir), meta, load_taxonomy())
