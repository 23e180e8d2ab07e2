"""Benchmark on the real development set: keyword dictionary vs fastText vs the shipped model, side by side.

    python bench/real_dev.py [--split test|tune|all] [--model DIR] [--shared ../shared]

Prints micro / macro F1 and the per-document coverage error (mean over labels of |predicted share −
annotated share| of sentences, averaged over documents) for each system, then per-label F1. The references
live in devset/real_dev.jsonl; their text is rebuilt from ../shared. The tuning split may be looked at while
improving the model; the test split is for reporting only.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from fasttext_peer import FastTextPeer  # noqa: E402

from policytag.corpus import label_matrix, read_records  # noqa: E402
from policytag.devset import SPLITS, load_references  # noqa: E402
from policytag.keywords import KeywordTagger  # noqa: E402
from policytag.metrics import label_metrics  # noqa: E402
from policytag.persist import load_model  # noqa: E402
from policytag.taxonomy import load_taxonomy  # noqa: E402

REFERENCES = HERE.parent / "devset" / "real_dev.jsonl"


def coverage_error(docs: list[str], truth: np.ndarray, predicted: np.ndarray) -> float:
    rows = defaultdict(list)
    for i, doc in enumerate(docs):
        rows[doc].append(i)
    errors = [np.abs(predicted[idx].mean(axis=0) - truth[idx].mean(axis=0)).mean() for idx in rows.values()]
    return float(np.mean(errors))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=[*SPLITS, "all"], default="test")
    parser.add_argument("--model", help="model folder (default: shipped)")
    parser.add_argument("--shared", default=str(HERE.parent.parent / "shared"))
    args = parser.parse_args()

    taxonomy = load_taxonomy()
    splits = SPLITS if args.split == "all" else (args.split,)
    refs = load_references(REFERENCES, args.shared, splits)
    texts = [r["text"] for r in refs]
    docs = [r["doc"] for r in refs]
    truth = label_matrix([r["labels"] for r in refs], taxonomy)
    print(f"real development set, split={args.split}: {len(refs)} sentences in {len(set(docs))} documents")

    corpus = read_records()
    corpus_texts = [r["text"] for r in corpus]
    corpus_Y = label_matrix([r["labels"] for r in corpus], taxonomy)
    model, meta = load_model(args.model)
    systems = {
        "keywords (labels/ seed terms)": KeywordTagger(taxonomy).fit(),
        "fastText (same corpus)": FastTextPeer(taxonomy.ids).fit(corpus_texts, corpus_Y),
        f"policytag ({Path(args.model).name if args.model else 'shipped'})": model,
    }
    results = {}
    for name, system in systems.items():
        started = time.perf_counter()
        predicted = system.predict(texts)
        seconds = time.perf_counter() - started
        metrics = label_metrics(truth, predicted, taxonomy.ids)
        results[name] = (metrics, coverage_error(docs, truth, predicted), seconds)

    print(f"\n{'system':<32}{'micro F1':>10}{'macro F1':>10}{'cov. err':>10}")
    for name, (metrics, cov, _) in results.items():
        print(f"{name:<32}{metrics['micro']['f1']:>10.3f}{metrics['macro']['f1']:>10.3f}{cov:>10.4f}")
    names = list(results)
    print(f"\n{'label (F1)':<26}{'support':>8}" + "".join(f"{n.split(' ')[0]:>12}" for n in names))
    for label in taxonomy.ids:
        support = results[names[0]][0]["labels"][label]["support"]
        print(f"{label:<26}{support:>8}" + "".join(f"{results[n][0]['labels'][label]['f1']:>12.3f}" for n in names))
    print(f"\nmodel trained {meta.get('trained_at')} on corpus {meta.get('corpus_hash', '')[:12]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
