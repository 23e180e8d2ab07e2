"""Agreement between two annotators of the same real sentences: the ceiling any model is measured against.

    python bench/agreement.py [--second devset/second_annotator_sample.jsonl]

The second annotator labelled a random sample of the TUNING split blind. Prints per-label and micro / macro F1
of the second annotation against the first (symmetric for micro F1), and Cohen's kappa per label.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sklearn.metrics import cohen_kappa_score

from policytag.corpus import label_matrix
from policytag.devset import SPLITS, load_references
from policytag.metrics import format_metrics, label_metrics
from policytag.taxonomy import load_taxonomy

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--second", default=str(HERE.parent / "devset" / "second_annotator_sample.jsonl"))
    parser.add_argument("--shared", default=str(HERE.parent.parent / "shared"))
    args = parser.parse_args()
    taxonomy = load_taxonomy()
    first = {(r["doc"], r["index"]): r for r in load_references(HERE.parent / "devset" / "real_dev.jsonl", args.shared, SPLITS)}
    second = load_references(args.second, args.shared, SPLITS)
    pairs = [(first[(r["doc"], r["index"])]["labels"], r["labels"]) for r in second]
    truth = label_matrix([a for a, _ in pairs], taxonomy)
    other = label_matrix([b for _, b in pairs], taxonomy)
    print(f"{len(pairs)} sentences annotated twice; second annotator scored against the first:")
    print(format_metrics(label_metrics(truth, other, taxonomy.ids)))
    kappas = [cohen_kappa_score(truth[:, j], other[:, j]) if truth[:, j].any() or other[:, j].any() else float("nan")
              for j in range(len(taxonomy))]
    print("Cohen's kappa: " + ", ".join(f"{label} {k:.2f}" for label, k in zip(taxonomy.ids, kappas)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
