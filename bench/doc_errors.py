"""Per-document error analysis on the real development set: shares per label and example sentences.

    python bench/doc_errors.py "real/provincial-2026/云南省_2026.txt" [--model DIR] [--examples 2]

For one annotated document: the share of sentences the model tags with each label next to the annotated
share, then per label a few sentences it got right, falsely tagged, and missed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent

from policytag.corpus import label_matrix  # noqa: E402
from policytag.devset import SPLITS, load_references  # noqa: E402
from policytag.persist import load_model  # noqa: E402
from policytag.taxonomy import load_taxonomy  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("doc", help="document as named in devset/real_dev.jsonl")
    parser.add_argument("--model", help="model folder (default: shipped)")
    parser.add_argument("--shared", default=str(HERE.parent.parent / "shared"))
    parser.add_argument("--examples", type=int, default=2)
    args = parser.parse_args()
    taxonomy = load_taxonomy()
    refs = load_references(HERE.parent / "devset" / "real_dev.jsonl", args.shared, SPLITS)
    refs = [r for r in refs if r["doc"] == args.doc]
    if not refs:
        print(f"no annotated sentences for {args.doc}", file=sys.stderr)
        return 2
    model, _ = load_model(args.model)
    texts = [r["text"] for r in refs]
    truth = label_matrix([r["labels"] for r in refs], taxonomy)
    predicted = model.predict(texts)
    print(f"{args.doc}: {len(refs)} sentences (split {refs[0]['split']})\n")
    print(f"{'label':<26}{'tagged share':>14}{'annotated':>12}")
    for j, label in enumerate(taxonomy.ids):
        print(f"{label:<26}{predicted[:, j].mean():>14.3f}{truth[:, j].mean():>12.3f}")
    for j, label in enumerate(taxonomy.ids):
        print(f"\n== {label}")
        for name, mask in (("right", (predicted[:, j] == 1) & (truth[:, j] == 1)),
                           ("false +", (predicted[:, j] == 1) & (truth[:, j] == 0)),
                           ("missed", (predicted[:, j] == 0) & (truth[:, j] == 1))):
            for i in np.flatnonzero(mask)[: args.examples]:
                print(f"  {name:<8} #{refs[i]['index']}: {texts[i][:90]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
