"""The `policytag` command: train, tag, evaluate.

Exit codes: 0 success; 1 finished, but some input documents were skipped (each reported on stderr);
2 nothing done: bad arguments or bad input (one line on stderr naming the file, and the line where it applies).
Progress bars appear only when stderr is a terminal.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from . import __version__
from .errors import PolicytagError

EXIT_OK, EXIT_SKIPPED, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    try:
        return args.handler(args)
    except PolicytagError as exc:
        _warn(f"policytag: error: {exc}")
        return EXIT_ERROR
    except KeyboardInterrupt:
        _warn("policytag: interrupted; no partial output was kept")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="policytag",
        description="Tag sentences of Chinese policy reports with green-transformation measure categories.",
        epilog="Exit codes: 0 ok, 1 some documents skipped, 2 error.",
    )
    parser.add_argument("--version", action="version", version=f"policytag {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    train = commands.add_parser("train", help="train a model on annotated sentences and write it with its card",
                                description="Cross-validate on the corpus, print the figures, then fit the final "
                                            "model and write it, its metadata and its model card to --out.")
    train.add_argument("--corpus", nargs="+", metavar="PATH", help="corpus .jsonl files or folders (default: bundled corpus/)")
    train.add_argument("--out", metavar="DIR", help="model folder to write (default: models/default)")
    train.add_argument("--folds", type=int, default=5, help="cross-validation folds (default: 5)")
    train.set_defaults(handler=_train)

    tag = commands.add_parser("tag", help="tag every sentence of documents (txt, md, docx, pdf, html)",
                              description="Tag every sentence of the documents and folders given. Writes JSON Lines: "
                                          "one object per sentence, then one coverage object per document.")
    tag.add_argument("paths", nargs="*", metavar="PATH", help="documents or folders")
    tag.add_argument("--sentences", metavar="FILE.jsonl",
                     help="pre-split input: lines with 'id' and 'text', each tagged as one sentence")
    tag.add_argument("--out", metavar="FILE", help="output .jsonl (default: standard output)")
    tag.add_argument("--model", metavar="DIR", help="model folder (default: the shipped models/default)")
    tag.set_defaults(handler=_tag)

    evaluate = commands.add_parser("evaluate", help="score a model on an annotated file",
                                   description="Print per-label precision, recall, F1 and micro / macro averages of "
                                               "the model on annotated sentences in the corpus format.")
    evaluate.add_argument("--data", required=True, nargs="+", metavar="FILE.jsonl", help="annotated sentences")
    evaluate.add_argument("--model", metavar="DIR", help="model folder (default: the shipped models/default)")
    evaluate.add_argument("--out", metavar="FILE.json", help="also write the metrics as JSON")
    evaluate.set_defaults(handler=_evaluate)
    return parser


def _warn(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _progress(iterable, total: int | None, unit: str):
    from tqdm import tqdm

    return tqdm(iterable, total=total, unit=unit, disable=not sys.stderr.isatty(), file=sys.stderr)


def _train(args) -> int:
    from .paths import default_model_dir
    from .training import train

    if args.folds < 2:
        raise PolicytagError("--folds must be at least 2")
    train(args.corpus, Path(args.out) if args.out else default_model_dir(), folds=args.folds, log=_warn)
    return EXIT_OK


class _Output:
    """JSON Lines to a file (atomically, on success only) or to standard output."""

    def __init__(self, path: str | None):
        self.path = path

    def __enter__(self):
        if self.path is None:
            self._context = None
            self.handle = sys.stdout
        else:
            from .textio import atomic_output

            self._context = atomic_output(self.path)
            self.handle = self._context.__enter__()
        return self

    def write(self, obj: dict) -> None:
        self.handle.write(json.dumps(obj, ensure_ascii=False) + "\n")

    def __exit__(self, *exc_info):
        if self._context is not None:
            return self._context.__exit__(*exc_info)
        self.handle.flush()
        return False


def _tag(args) -> int:
    from .persist import load_model

    if bool(args.paths) == bool(args.sentences):
        raise PolicytagError("give either document PATHs or --sentences FILE.jsonl")
    model, _ = load_model(args.model)
    if args.sentences:
        return _tag_presplit(model, Path(args.sentences), args.out)
    return _tag_documents(model, args.paths, args.out)


def _tag_documents(model, paths: list[str], out: str | None) -> int:
    from .coverage import document_coverage
    from .ingest import find_documents, read_document
    from .segment import segment_document
    from .tagging import tag_sentences

    found = list(find_documents(paths))
    if not found:
        raise PolicytagError(f"no supported documents in {', '.join(paths)}")
    skipped = n_sentences = n_docs = 0
    label_ids = list(model.classes_)
    with _Output(out) as output:
        for path, doc_id in _progress(found, len(found), "doc"):
            try:
                document = read_document(path, doc_id)
            except PolicytagError as exc:
                _warn(f"policytag: skipped {exc}")
                skipped += 1
                continue
            tagged = tag_sentences(model, segment_document(document.doc_id, document.text))
            for sentence in tagged:
                output.write(sentence.to_json())
            output.write(document_coverage(document.doc_id, tagged, label_ids))
            n_sentences += len(tagged)
            n_docs += 1
    if n_docs == 0:
        raise PolicytagError("every document was skipped; nothing written")
    where = out or "standard output"
    _warn(f"tagged {n_sentences} sentences in {n_docs} documents ({skipped} skipped) -> {where}")
    return EXIT_SKIPPED if skipped else EXIT_OK


def _read_presplit(path: Path) -> Iterator[tuple[object, str]]:
    from .clean import clean_sentence
    from .textio import read_text

    seen = set()
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise PolicytagError(f"invalid JSON ({exc.msg})", path, number) from None
        if not isinstance(obj, dict) or "id" not in obj or not isinstance(obj.get("text"), str):
            raise PolicytagError("expected an object with 'id' and 'text'", path, number)
        if not isinstance(obj["id"], (str, int)) or isinstance(obj["id"], bool):
            raise PolicytagError("'id' must be a string or an integer", path, number)
        if obj["id"] in seen:
            raise PolicytagError(f"duplicate id {obj['id']!r}", path, number)
        seen.add(obj["id"])
        yield obj["id"], clean_sentence(obj["text"])


def _tag_presplit(model, path: Path, out: str | None) -> int:
    from .segment import Sentence
    from .tagging import tag_sentences

    rows = list(_read_presplit(path))
    if not rows:
        raise PolicytagError("no sentences to tag", path)
    tagged = tag_sentences(model, [Sentence("", i, text) for i, (_, text) in enumerate(rows)])
    with _Output(out) as output:
        for (row_id, _), sentence in zip(rows, tagged):
            output.write({"id": row_id, "labels": sentence.labels, "probs": sentence.probs, "evidence": sentence.evidence})
    _warn(f"tagged {len(rows)} sentences -> {out or 'standard output'}")
    return EXIT_OK


def _evaluate(args) -> int:
    from .corpus import label_matrix, read_records
    from .metrics import format_metrics, label_metrics
    from .persist import load_model
    from .taxonomy import load_taxonomy

    model, _ = load_model(args.model)
    taxonomy = load_taxonomy()
    records = read_records(args.data, taxonomy)
    truth = label_matrix([r["labels"] for r in records], taxonomy)
    predicted = model.predict([r["text"] for r in records])
    metrics = label_metrics(truth, predicted, taxonomy.ids)
    print(format_metrics(metrics))
    if args.out:
        from .textio import atomic_output

        with atomic_output(args.out) as handle:
            json.dump(metrics, handle, ensure_ascii=False, indent=2)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
