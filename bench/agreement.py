"""Label agreement: how reproducible the annotations are, the ceiling any model is measured against.

    python bench/agreement.py [--second devset/second_annotator_sample.jsonl]
    python bench/agreement.py --corpus [--blind devset/corpus_blind_labels.jsonl]

Default: a second annotator labelled a random sample of the real development set's TUNING split blind; its
labels are scored against the first annotation. --corpus: every training-corpus sentence was re-annotated blind
(annotators following the guide, without the corpus labels); the corpus labels are scored against that
annotation, which says how consistent the training labels are with the guide as annotators read it.
Prints per-label and micro / macro F1, the share of identical label sets, and Cohen's kappa per label.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from sklearn.metrics import cohen_kappa_score

from policytag.corpus import corpus_files, label_matrix
from policytag.devset import SPLITS, load_references, sentence_hash
from policytag.metrics import format_metrics, label_metrics
from policytag.taxonomy import load_taxonomy
from policytag.textio import json_lines

HERE = Path(__file__).resolve().parent
DEVSET = HERE.parent / "devset"


def real_pairs(second_path: str, shared: str) -> list[tuple[list[str], list[str]]]:
    """(first annotation, second annotation) of the doubly annotated real sentences."""
    first = {(r["doc"], r["index"]): r for r in load_references(DEVSET / "real_dev.jsonl", shared, SPLITS)}
    second = load_references(second_path, shared, SPLITS)
    return [(first[(r["doc"], r["index"])]["labels"], r["labels"]) for r in second]


def corpus_pairs(blind_path: str) -> tuple[list[tuple[list[str], list[str]]], int]:
    """(blind annotation, corpus labels) of the corpus sentences, matched by sentence hash; and how many blind
    labels match no current corpus sentence (edited or removed since) and were left out."""
    corpus = {sentence_hash(record["text"]): record for path in corpus_files() for _, record in json_lines(path)}
    pairs, stale = [], 0
    for _, row in json_lines(Path(blind_path)):
        record = corpus.get(row["sha1"])
        if record is None:
            stale += 1
            continue
        pairs.append((row["labels"], record["labels"]))
    return pairs, stale


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--second", default=str(DEVSET / "second_annotator_sample.jsonl"))
    parser.add_argument("--corpus", action="store_true", help="score the corpus labels against its blind re-annotation")
    parser.add_argument("--blind", default=str(DEVSET / "corpus_blind_labels.jsonl"))
    parser.add_argument("--shared", default=str(HERE.parent.parent / "shared"))
    args = parser.parse_args()
    taxonomy = load_taxonomy()
    if args.corpus:
        pairs, stale = corpus_pairs(args.blind)
        print(f"{len(pairs)} corpus sentences re-annotated blind ({stale} changed since, left out); "
              "corpus labels scored against the blind annotation:")
    else:
        pairs = real_pairs(args.second, args.shared)
        print(f"{len(pairs)} sentences annotated twice; second annotator scored against the first:")
    truth = label_matrix([a for a, _ in pairs], taxonomy)
    other = label_matrix([b for _, b in pairs], taxonomy)
    print(format_metrics(label_metrics(truth, other, taxonomy.ids)))
    print(f"identical label sets: {np.mean((truth == other).all(axis=1)):.3f}")
    kappas = [cohen_kappa_score(truth[:, j], other[:, j]) if truth[:, j].any() or other[:, j].any() else float("nan")
              for j in range(len(taxonomy))]
    print("Cohen's kappa: " + ", ".join(f"{label} {k:.2f}" for label, k in zip(taxonomy.ids, kappas, strict=True)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
