"""Benchmark on the real development set: keyword dictionary vs fastText vs the shipped model, side by side.

    python bench/real_dev.py [--split test|tune|all] [--model DIR] [--references FILE] [--shared ../shared]

Prints micro / macro F1 and the per-document coverage error (mean over labels of |predicted share −
annotated share| of sentences, averaged over documents) for each system with 95% intervals of the F1 scores
(whole documents resampled, 1,000 draws, fixed seed), then per-label F1. The references
live in devset/real_dev.jsonl (the adjudicated gold; --references devset/real_dev_first.jsonl or
real_dev_second.jsonl scores against one annotator alone); their text is rebuilt from ../shared. The tuning split
may be looked at while improving the model; the test split is for reporting only.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from fasttext_peer import FastTextPeer  # noqa: E402

from policytag.corpus import label_matrix, read_records  # noqa: E402
from policytag.devset import SPLITS, load_references  # noqa: E402
from policytag.keywords import KeywordTagger  # noqa: E402
from policytag.metrics import bootstrap_intervals, coverage_error, headline, label_metrics  # noqa: E402
from policytag.paths import default_model_dir  # noqa: E402
from policytag.persist import load_model  # noqa: E402
from policytag.taxonomy import load_taxonomy  # noqa: E402
from policytag.training import record_real_report_figures  # noqa: E402

REFERENCES = HERE.parent / "devset" / "real_dev.jsonl"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=[*SPLITS, "all"], default="test")
    parser.add_argument("--model", help="model folder (default: shipped)")
    parser.add_argument("--references", default=str(REFERENCES), metavar="FILE",
                        help="annotations to score against (default: the adjudicated devset/real_dev.jsonl)")
    parser.add_argument("--shared", default=str(HERE.parent.parent / "shared"))
    parser.add_argument("--card", action="store_true",
                        help="also record the printed table in the model's metadata and model card")
    args = parser.parse_args()
    if args.card and Path(args.references).resolve() != REFERENCES.resolve():
        parser.error("--card records figures against the gold references only")

    taxonomy = load_taxonomy()
    splits = SPLITS if args.split == "all" else (args.split,)
    refs = load_references(args.references, args.shared, splits)
    texts = [r["text"] for r in refs]
    docs = [r["doc"] for r in refs]
    truth = label_matrix([r["labels"] for r in refs], taxonomy)
    print(f"real development set ({Path(args.references).name}), split={args.split}: "
          f"{len(refs)} sentences in {len(set(docs))} documents")

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
        predicted = system.predict(texts)
        metrics = label_metrics(truth, predicted, taxonomy.ids)
        intervals = bootstrap_intervals(docs, truth, predicted)
        results[name] = (metrics, coverage_error(docs, truth, predicted), intervals)

    lines = [f"{'system':<32}{'micro F1':>10}{'macro F1':>10}{'cov. err':>10}   95% interval, documents resampled"]
    for name, (metrics, cov, ((micro_lo, micro_hi), (macro_lo, macro_hi))) in results.items():
        lines.append(f"{name:<32}{metrics['micro']['f1']:>10.3f}{metrics['macro']['f1']:>10.3f}{cov:>10.4f}"
                     f"   micro {micro_lo:.3f}–{micro_hi:.3f}, macro {macro_lo:.3f}–{macro_hi:.3f}")
    names = list(results)
    lines.append("")
    lines.append(f"{'label (F1)':<26}{'support':>8}" + "".join(f"{n.split(' ')[0]:>12}" for n in names))
    for label in taxonomy.ids:
        support = results[names[0]][0]["labels"][label]["support"]
        f1s = "".join(f"{results[n][0]['labels'][label]['f1']:>12.3f}" for n in names)
        lines.append(f"{label:<26}{support:>8}" + f1s)
    table = "\n".join(lines)
    print("\n" + table)
    print(f"\nmodel trained {meta.get('trained_at')} on corpus {meta.get('corpus_hash', '')[:12]}")
    if args.card:
        figures = {name.split(" ")[0]: headline(metrics, cov) for name, (metrics, cov, _) in results.items()}
        model_dir = Path(args.model) if args.model else default_model_dir()
        data = (f"the {args.split} part of the real development set (`devset/`: {len(refs)} sentences of real "
                "reports the model was never trained on, each annotated twice blind and adjudicated)")
        record_real_report_figures(model_dir, f"python bench/real_dev.py --split {args.split} --card", data, table,
                                   figures)
        print(f"recorded in {model_dir / 'model.json'} and {model_dir / 'README.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
