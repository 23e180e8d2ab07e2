"""Compare model or corpus variants on the tuning split of the real development set, over several seeds.

    python bench/tune_compare.py --variant shipped '{}' --variant C2 '{"C": 2.0}' \
        --variant plus-slice '{}' path/to/new_slice.jsonl [--seeds 0 1 2]

Each variant is a name, PolicyTagger parameters as JSON (applied on top of the shipped defaults) and optional
extra corpus files added to the bundled corpus. Every variant is trained once per seed (the seed drives the
joined sentences and the threshold folds, which move tune F1 by about ±0.004 on their own) and evaluated on the
tuning split only; the test split stays unseen until a decision is made. Prints one line per seed and the mean.
`--leave-out` drops tuning documents whose path contains any of the given strings: the documents a corpus writer
read to learn the register, which can no longer judge that writer's sentences. `--corpus-fraction F` trains on a
random fraction F of the bundled corpus (a new draw per seed; extra files are added whole): a learning curve, which
says how much the model gains from more sentences like those it has; F = 0 trains on the extra files alone.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from real_dev import REFERENCES  # noqa: E402

from policytag.corpus import label_matrix, read_records  # noqa: E402
from policytag.devset import load_references  # noqa: E402
from policytag.errors import PolicytagError  # noqa: E402
from policytag.metrics import coverage_error, label_metrics  # noqa: E402
from policytag.paths import corpus_dir  # noqa: E402
from policytag.taxonomy import load_taxonomy  # noqa: E402
from policytag.training import default_estimator  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--variant", nargs="+", action="append", required=True, metavar="NAME PARAMS [CORPUS]",
                        help="a name, PolicyTagger parameters as JSON, then any extra corpus files")
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--leave-out", nargs="+", default=[], metavar="TEXT",
                        help="leave out tuning documents whose path contains any of these")
    parser.add_argument("--corpus-fraction", type=float, default=1.0, metavar="F",
                        help="train on a random fraction of the bundled corpus (0 <= F <= 1; 0: the extra files alone)")
    parser.add_argument("--shared", default=str(HERE.parent.parent / "shared"))
    args = parser.parse_args()
    if not 0 <= args.corpus_fraction <= 1:
        parser.error(f"--corpus-fraction must be in [0, 1], not {args.corpus_fraction}")

    taxonomy = load_taxonomy()
    refs = [r for r in load_references(REFERENCES, args.shared, ("tune",))
            if not any(text in r["doc"] for text in args.leave_out)]
    texts, docs = [r["text"] for r in refs], [r["doc"] for r in refs]
    truth = label_matrix([r["labels"] for r in refs], taxonomy)
    print(f"tuning split: {len(refs)} sentences in {len(set(docs))} documents")
    bundled = read_records([corpus_dir()], taxonomy)
    variants = []
    for name, *rest in args.variant:
        if not rest:
            parser.error(f"variant {name!r}: give its parameters as JSON ('{{}}' for none)")
        try:
            params = json.loads(rest[0])
            default_estimator(taxonomy.ids).set_params(**params)
        except ValueError as exc:  # bad JSON or an unknown parameter
            parser.error(f"variant {name!r}: {exc}")
        # read together with the bundled corpus so that a sentence already there is a duplicate error
        extra = read_records([corpus_dir(), *rest[1:]], taxonomy)[len(bundled):]
        if args.corpus_fraction == 0 and not extra:
            parser.error(f"variant {name!r}: --corpus-fraction 0 leaves nothing to train on; give corpus files")
        variants.append((name, params, extra))
    for name, params, extra in variants:
        scores = []
        for seed in args.seeds:
            keep = np.random.default_rng(seed).permutation(len(bundled))[:round(args.corpus_fraction * len(bundled))]
            corpus = [bundled[i] for i in sorted(keep)] + extra
            corpus_texts = [r["text"] for r in corpus]
            corpus_Y = label_matrix([r["labels"] for r in corpus], taxonomy)
            model = default_estimator(taxonomy.ids).set_params(**{"random_state": seed, **params})
            predicted = model.fit(corpus_texts, corpus_Y).predict(texts)
            metrics = label_metrics(truth, predicted, taxonomy.ids)
            scores.append((metrics["micro"]["precision"], metrics["micro"]["recall"], metrics["micro"]["f1"],
                           metrics["macro"]["f1"], coverage_error(docs, truth, predicted)))
            print(f"{name:<20} seed {seed}  n={len(corpus):<6} P {scores[-1][0]:.3f}  R {scores[-1][1]:.3f}  "
                  f"micro {scores[-1][2]:.3f}  macro {scores[-1][3]:.3f}  cov {scores[-1][4]:.4f}", flush=True)
        p, r, micro, macro, cov = np.mean(scores, axis=0)
        print(f"{name:<20} mean    n={len(corpus):<6} P {p:.3f}  R {r:.3f}  micro {micro:.3f}  macro {macro:.3f}  "
              f"cov {cov:.4f}", flush=True)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except PolicytagError as exc:
        sys.exit(f"tune_compare: error: {exc}")
