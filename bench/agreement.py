"""Label agreement: how reproducible the annotations are, the ceiling any model is measured against.

    python bench/agreement.py [--split tune|test|all]
    python bench/agreement.py --corpus [--blind devset/corpus_blind_labels.jsonl]

Default: every sentence of the real development set was annotated twice, independently and blind
(`devset/real_dev_first.jsonl`, `devset/real_dev_second.jsonl`), and an adjudicator who was not told which
annotator gave which label settled every label they disagreed on, by the guide: that is the gold the benchmarks
score against (`devset/real_dev.jsonl`). Prints the second annotation scored against the first, then each against
the gold. --corpus: every training-corpus sentence was re-annotated blind (annotators following the guide, without
the corpus labels); the corpus labels are scored against that annotation, which says how consistent the training
labels are with the guide as annotators read it.
Each comparison prints per-label and micro / macro F1, the share of identical label sets and Cohen's kappa per label.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from policytag.corpus import corpus_files, label_matrix
from policytag.devset import SPLITS, load_references, sentence_hash
from policytag.metrics import agreement, format_agreement
from policytag.taxonomy import Taxonomy, load_taxonomy
from policytag.textio import json_lines

HERE = Path(__file__).resolve().parent
DEVSET = HERE.parent / "devset"
ANNOTATIONS = {"first": "real_dev_first.jsonl", "second": "real_dev_second.jsonl", "gold": "real_dev.jsonl"}

Pairs = list[tuple[list[str], list[str]]]


def real_annotations(shared: str, splits: tuple[str, ...]) -> dict[str, list[list[str]]]:
    """Labels of each annotation of the real development set ('first', 'second', 'gold'), in one sentence order."""
    by_reference = {
        name: {(r["doc"], r["index"]): r["labels"] for r in load_references(DEVSET / file, shared, splits)}
        for name, file in ANNOTATIONS.items()
    }
    order = list(by_reference["gold"])
    return {name: [labels[key] for key in order] for name, labels in by_reference.items()}


def corpus_pairs(blind_path: str) -> tuple[Pairs, int]:
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


def print_agreement(title: str, pairs: Pairs, taxonomy: Taxonomy) -> None:
    """The second of each pair scored against the first."""
    print(title)
    first = label_matrix([a for a, _ in pairs], taxonomy)
    second = label_matrix([b for _, b in pairs], taxonomy)
    print(format_agreement(agreement(first, second, taxonomy.ids)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=[*SPLITS, "all"], default="all", help="real development set part")
    parser.add_argument("--corpus", action="store_true", help="score the corpus labels against its blind re-annotation")
    parser.add_argument("--blind", default=str(DEVSET / "corpus_blind_labels.jsonl"))
    parser.add_argument("--shared", default=str(HERE.parent.parent / "shared"))
    args = parser.parse_args()
    taxonomy = load_taxonomy()
    if args.corpus:
        pairs, stale = corpus_pairs(args.blind)
        print_agreement(f"{len(pairs)} corpus sentences re-annotated blind ({stale} changed since, left out); "
                        "corpus labels scored against the blind annotation:", pairs, taxonomy)
        return 0
    splits = SPLITS if args.split == "all" else (args.split,)
    labels = real_annotations(args.shared, splits)
    n = len(labels["gold"])
    for title, truth, other in (
        (f"{n} real sentences ({args.split}) annotated twice, blind; the second annotation scored against the first:",
         "first", "second"),
        ("\nthe first annotation scored against the adjudicated gold:", "gold", "first"),
        ("\nthe second annotation scored against the adjudicated gold:", "gold", "second"),
    ):
        print_agreement(title, list(zip(labels[truth], labels[other], strict=True)), taxonomy)
    return 0


if __name__ == "__main__":
    sys.exit(main())
