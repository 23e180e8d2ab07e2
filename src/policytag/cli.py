"""The `policytag` command: train, tag, report, sample, evaluate, agree.

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

# The groupings of policytag.aggregate.GROUPINGS, named here so that `--help` does not import pandas.
REPORT_GROUPINGS = ["city", "city-year", "province", "province-year", "document"]

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

    model_option = argparse.ArgumentParser(add_help=False)
    model_option.add_argument("--model", metavar="DIR", help="model folder (default: the shipped models/default)")
    engine_options = argparse.ArgumentParser(add_help=False)
    engine_options.add_argument("--jobs", type=int, default=1, metavar="N",
                                help="worker processes on this machine (default: 1; 0 = one per core)")
    engine_options.add_argument("--engine", choices=["local", "dask"], default="local",
                                help="local processes, or a Dask cluster (default: local)")
    engine_options.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address, with --engine dask")

    train = commands.add_parser("train", help="train a model on annotated sentences and write it with its card",
                                description="Cross-validate on the corpus, print the figures, then fit the final "
                                            "model and write it, its metadata and its model card to --out.")
    train.add_argument("--corpus", nargs="+", metavar="PATH",
                       help="corpus .jsonl files or folders (default: bundled corpus/)")
    train.add_argument("--out", metavar="DIR", help="model folder to write (default: models/default)")
    train.add_argument("--folds", type=int, default=5, help="cross-validation folds (default: 5)")
    train.set_defaults(handler=_train)

    tag = commands.add_parser("tag", parents=[model_option, engine_options],
                              help="tag every sentence of documents (txt, md, docx, pdf, html)",
                              description="Tag every sentence of the documents and folders given. Writes JSON Lines: "
                                          "one object per sentence, then one coverage object per document.")
    tag.add_argument("paths", nargs="*", metavar="PATH", help="documents or folders")
    tag.add_argument("--sentences", metavar="FILE.jsonl",
                     help="pre-split input: lines with 'id' and 'text', each tagged as one sentence")
    tag.add_argument("--out", metavar="FILE", help="output .jsonl (default: standard output)")
    tag.set_defaults(handler=_tag)

    report = commands.add_parser("report", parents=[model_option, engine_options],
                                 help="coverage per document, city or province (and year): panel, workbook, HTML, "
                                      "Markdown",
                                 description="Tag the documents, find each one's city and year (manifest, then file "
                                             "name, then the text), and write panel.csv / .parquet / .dta, "
                                             "report.xlsx, report.html and summary.md to --out.")
    report.add_argument("paths", nargs="+", metavar="INPUT",
                        help="documents, folders, or document tables (.csv, .jsonl, .parquet with a text column)")
    report.add_argument("--out", required=True, metavar="DIR", help="folder for the report files")
    report.add_argument("--manifest", metavar="FILE.csv",
                        help="CSV with file,city,year,title columns (takes precedence)")
    report.add_argument("--by", choices=REPORT_GROUPINGS, default="city",
                        help="grouping (default: city; a city's province comes from the gazetteer, and national "
                             "reports are the province group 全国)")
    report.set_defaults(handler=_report)

    sample = commands.add_parser(
        "sample", help="draw sentences of your own reports to label, as a workbook",
        description="Draw a reproducible random sample of the sentences of the documents given (segmented as `tag` "
                    "segments them) and write it for labelling: an Excel workbook with one row per sentence and one "
                    "column per label (.xlsx), or JSON Lines without labels (.jsonl). Label it, then run "
                    "`policytag evaluate --data FILE` to measure the model on your own reports.")
    sample.add_argument("paths", nargs="+", metavar="INPUT",
                        help="documents, folders, or document tables (.csv, .jsonl, .parquet with a text column)")
    size = sample.add_mutually_exclusive_group(required=True)
    size.add_argument("--size", type=int, metavar="N", help="N sentences drawn at random from all the documents")
    size.add_argument("--documents", type=int, metavar="K",
                      help="every sentence of K documents drawn at random (lets evaluate measure coverage too)")
    sample.add_argument("--seed", type=int, default=0, help="random seed: the same seed draws the same sample")
    sample.add_argument("--out", required=True, metavar="FILE", help="sample.xlsx or sample.jsonl")
    sample.set_defaults(handler=_sample)

    evaluate = commands.add_parser("evaluate", parents=[model_option], help="score a model on an annotated file",
                                   description="Print per-label precision, recall, F1 and micro / macro averages of "
                                               "the model on annotated sentences in the corpus format, with 95%% "
                                               "intervals; when every sentence has a doc_id, the intervals resample "
                                               "whole documents and the per-document coverage error is printed too. "
                                               "Sentences the model was trained on are left out and counted.")
    evaluate.add_argument("--data", required=True, nargs="+", metavar="FILE",
                          help="annotated sentences: .jsonl, or a workbook labelled from `policytag sample`")
    evaluate.add_argument("--out", metavar="FILE.json", help="also write the metrics as JSON")
    evaluate.add_argument("--record", action="store_true",
                          help="store the figures in the --model folder's model.json and card, so that reports made "
                               "with the model quote them (for sentences the model was not trained on)")
    evaluate.set_defaults(handler=_evaluate)

    agree = commands.add_parser(
        "agree", help="how far two people's labels of the same sentences agree (Cohen's kappa)",
        description="Score the second annotation of a set of sentences against the first (two copies of one "
                    "`policytag sample` workbook labelled independently, or .jsonl files): per-label and micro / "
                    "macro F1, identical label sets and Cohen's kappa per label, the intercoder reliability a paper "
                    "reports. Sentences are matched by document and text; those labelled in one file only are "
                    "counted and left out.")
    agree.add_argument("first", metavar="FIRST", help="one annotation (.xlsx or .jsonl)")
    agree.add_argument("second", metavar="SECOND", help="the other annotation of the same sentences")
    agree.add_argument("--out", metavar="FILE.xlsx", help="also write the sentences labelled differently, to settle")
    agree.set_defaults(handler=_agree)
    return parser


def _warn(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _count(n: int, noun: str) -> str:
    """'1 document', '3 documents'."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


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

    def write_lines(self, lines: list[str]) -> None:
        self.handle.write("".join(line + "\n" for line in lines))

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
    return _tag_documents(model, args, args.out)


class _UnknownMetadata:
    """Names the first few documents whose place or year is stated nowhere, then only counts the rest, so that a
    large batch without metadata does not bury the other messages; every one is listed in the report."""

    SHOWN = 10

    def __init__(self):
        self.count = 0

    def __call__(self, doc_id: str, missing: list[str]) -> None:
        self.count += 1
        if self.count <= self.SHOWN:
            _warn(f"policytag: {doc_id}: {' and '.join(missing)} not found; reported as unknown")

    def summarise(self) -> None:
        if self.count > self.SHOWN:
            _warn(f"policytag: {self.count - self.SHOWN} more documents with place or year not found; all "
                  "are listed in summary.md and report.html")


class _Skips:
    """Counts and reports documents that could not be read."""

    def __init__(self):
        self.count = 0

    def __call__(self, error: PolicytagError) -> None:
        self.count += 1
        _warn(f"policytag: skipped {error}")


def _engine(args) -> dict:
    """Keyword arguments for pipeline.run from --jobs / --engine / --scheduler, validated."""
    import os

    if args.engine == "dask":
        if not args.scheduler:
            raise PolicytagError("--engine dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)")
        return {"scheduler": args.scheduler}
    if args.scheduler:
        raise PolicytagError("--scheduler is only used with --engine dask")
    if args.jobs < 0:
        raise PolicytagError("--jobs must be 0 (one per core) or more")
    return {"jobs": args.jobs or os.cpu_count() or 1}


def _count_documents(paths: list[str]) -> int | None:
    """How many documents the inputs hold, for the progress bar; None when a table must be read to know."""
    from .ingest import TABLE_SUFFIXES, find_documents

    found = list(find_documents(paths))
    if not found:
        raise PolicytagError(f"no supported documents in {', '.join(paths)}")
    if any(path.suffix.lower() in TABLE_SUFFIXES for path, _ in found):
        return None
    return len(found)


def _run_with_progress(work, model, args, skips: _Skips):
    """Per-document results of `work`, with a progress bar (documents, sentences/s) on a terminal only."""
    import time

    from .pipeline import run

    total = _count_documents(args.paths)
    started, n_sentences = time.perf_counter(), 0
    with _progress(run(work, model, args.paths, skips, **_engine(args)), total, "doc") as bar:
        for done in bar:
            n_sentences += done.n_sentences
            bar.set_postfix_str(f"{n_sentences / max(time.perf_counter() - started, 1e-9):.0f} sentences/s")
            yield done


def _tag_documents(model, args, out: str | None) -> int:
    from .work import tagged_lines

    skips = _Skips()
    n_sentences = n_docs = 0
    with _Output(out) as output:
        for done in _run_with_progress(tagged_lines, model, args, skips):
            output.write_lines(done.lines)
            n_sentences += done.n_sentences
            n_docs += 1
        if n_docs == 0:
            raise PolicytagError("every document was skipped; nothing written")
    _warn(f"tagged {_count(n_sentences, 'sentence')} in {_count(n_docs, 'document')} ({skips.count} skipped) "
          f"-> {out or 'standard output'}")
    return EXIT_SKIPPED if skips.count else EXIT_OK


def _report(args) -> int:
    from functools import partial

    from .metadata import read_manifest
    from .persist import load_model
    from .provenance import Provenance
    from .reporting import build_report, write_report
    from .taxonomy import load_taxonomy
    from .work import report_summary

    model, meta = load_model(args.model)
    manifest = read_manifest(args.manifest) if args.manifest else {}
    skips, unknown = _Skips(), _UnknownMetadata()
    tables = build_report(
        _run_with_progress(partial(report_summary, manifest=manifest), model, args, skips),
        load_taxonomy(),
        args.by,
        provenance=Provenance.from_model(Path(args.model).name if args.model else "default", meta),
        on_unknown=unknown,
    )
    unknown.summarise()
    _warn_unused_manifest_rows(manifest, list(tables.documents["doc_id"]), args.manifest)
    written = write_report(tables, args.out)
    n_docs = len(tables.documents)
    _warn(f"report on {_count(n_docs, 'document')} ({skips.count} skipped), grouped by {args.by}:")
    for path in written:
        _warn(f"  {path}")
    return EXIT_SKIPPED if skips.count else EXIT_OK


def _warn_unused_manifest_rows(manifest: dict[str, dict], doc_ids: list[str], manifest_path: str | None) -> None:
    """A manifest row that matches no input document is most likely a typo in its file name: say so."""
    used = set(doc_ids) | {Path(doc_id).name for doc_id in doc_ids}
    unused = sorted(name for name in manifest if name not in used)
    if unused:
        shown = ", ".join(unused[:3]) + (f" and {len(unused) - 3} more" if len(unused) > 3 else "")
        _warn(f"policytag: {manifest_path}: {len(unused)} row(s) match no input document: {shown}")


def _sample(args) -> int:
    from .annotation import check_sample_path, sample_documents, sample_sentences, write_sample
    from .pipeline import read_documents
    from .taxonomy import load_taxonomy

    by_sentence = args.size is not None
    option, size, draw = ("--size", args.size, sample_sentences) if by_sentence else (
        "--documents", args.documents, sample_documents)
    if size < 1:
        raise PolicytagError(f"{option} must be at least 1")
    out = check_sample_path(args.out)
    skips = _Skips()
    documents = _progress(read_documents(args.paths, skips), _count_documents(args.paths), "doc")
    sample = draw(documents, size, args.seed)
    if sample.n_documents == 0:
        raise PolicytagError("every document was skipped; nothing written")
    write_sample(sample, out, load_taxonomy())
    n_drawn_docs = len({sentence.doc_id for sentence in sample.sentences})
    _warn(f"sampled {_count(len(sample.sentences), 'sentence')} of {_count(n_drawn_docs, 'document')} (from "
          f"{_count(sample.n_sentences, 'sentence')} in {_count(sample.n_documents, 'document')}; {skips.count} "
          f"skipped) -> {args.out}")
    unit, available = ("sentence", sample.n_sentences) if by_sentence else ("document", sample.n_documents)
    if size > available:
        _warn(f"policytag: asked for {_count(size, unit)}, but the input holds {available}: took them all")
    if out.suffix.lower() == ".xlsx":
        _warn(f"label it (1 under each label that applies, or under none), then: policytag evaluate --data {args.out}")
    else:
        _warn(f"add \"labels\" to each line, then: policytag evaluate --data {args.out}")
    return EXIT_SKIPPED if skips.count else EXIT_OK


def _read_presplit(path: Path) -> Iterator[tuple[object, str]]:
    from .clean import clean_sentence
    from .textio import json_lines

    seen = set()
    for number, obj in json_lines(path):
        if "id" not in obj or not isinstance(obj.get("text"), str):
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
        for (row_id, _), sentence in zip(rows, tagged, strict=True):
            output.write(
                {"id": row_id, "labels": sentence.labels, "probs": sentence.probs, "evidence": sentence.evidence})
    _warn(f"tagged {_count(len(rows), 'sentence')} -> {out or 'standard output'}")
    return EXIT_OK


def _evaluate(args) -> int:
    from .corpus import label_matrix, read_records
    from .keywords import KeywordTagger
    from .metrics import evaluation, format_evaluation
    from .paths import default_model_dir
    from .persist import load_model
    from .taxonomy import load_taxonomy

    if args.record and (not args.model or Path(args.model).resolve() == default_model_dir().resolve()):
        raise PolicytagError("--record writes into the model folder: give --model DIR for a model of your own")
    model, meta = load_model(args.model)
    taxonomy = load_taxonomy()
    records = read_records(args.data, taxonomy, unique=False, note=lambda message: _warn(f"policytag: {message}"))
    records, n_trained_on = _not_trained_on(records, meta)
    texts = [r["text"] for r in records]
    # Sentences of one document are not independent: with doc_ids, whole documents are the resampled unit.
    documents = [r["doc_id"] for r in records] if all(r.get("doc_id") for r in records) else None
    result = evaluation(label_matrix([r["labels"] for r in records], taxonomy), model.predict(texts),
                        KeywordTagger(taxonomy).fit().predict(texts), taxonomy.ids, documents)
    result["left_out_trained_on"] = n_trained_on
    printed = format_evaluation(result)
    print(printed)
    if args.out:
        from .textio import atomic_output

        with atomic_output(args.out) as handle:
            json.dump(result, handle, ensure_ascii=False, indent=2)
    if args.record:
        from .training import record_real_report_figures

        names = ", ".join(Path(path).name for path in args.data)
        data = (_count(len(records), "annotated sentence")
                + (f" in {_count(len(set(documents)), 'document')}" if documents else "") + f" ({names}"
                + (f"; {n_trained_on} that the model was trained on left out)" if n_trained_on else ")"))
        record_real_report_figures(Path(args.model), f"policytag evaluate --data {names} --record", data, printed,
                                   result["figures"])
        _warn(f"recorded in {Path(args.model) / 'model.json'} and its model card; reports made with it quote them")
    return EXIT_OK


def _not_trained_on(records: list[dict], meta: dict) -> tuple[list[dict], int]:
    """The records the model was not trained on, and how many it was: figures on those would flatter it (a
    workbook that went into `train` and then into `evaluate`, or a stock line that the corpus also holds)."""
    from .corpus import trained_on

    seen = trained_on([r["text"] for r in records], meta.get("training_fingerprints"))
    if seen is None:
        _warn("policytag: the model does not list its training sentences (retrain it to have that checked): make "
              "sure these sentences were not among them")
        return records, 0
    if seen.all():
        raise PolicytagError("the model was trained on every one of these sentences: evaluate on sentences it has "
                             "not seen")
    if seen.any():
        _warn(f"policytag: left out {int(seen.sum())} of {len(records)} sentences that the model was trained on "
              "(figures on them would flatter it)")
    return [record for record, trained_on in zip(records, seen, strict=True) if not trained_on], int(seen.sum())


def _agree(args) -> int:
    from .annotation import labels_by_sentence
    from .corpus import label_matrix, read_records
    from .metrics import agreement, format_agreement
    from .taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    if args.out and Path(args.out).suffix.lower() != ".xlsx":
        raise PolicytagError("write the disagreements to a .xlsx workbook", args.out)
    annotations = [labels_by_sentence(read_records([path], taxonomy, unique=False,
                                             note=lambda message: _warn(f"policytag: {message}")))
                   for path in (args.first, args.second)]
    shared = [key for key in annotations[0] if key in annotations[1]]
    if not shared:
        raise PolicytagError(f"{args.first} and {args.second} have no labelled sentence in common")
    only = len(annotations[0]) + len(annotations[1]) - 2 * len(shared)
    if only:
        _warn(f"policytag: {_count(only, 'sentence')} labelled in one file only, left out")
    first, second = ([annotation[key] for key in shared] for annotation in annotations)
    print(f"{len(shared)} sentences labelled in both; {Path(args.second).name} scored against {Path(args.first).name}:")
    print(format_agreement(agreement(label_matrix(first, taxonomy), label_matrix(second, taxonomy), taxonomy.ids)))
    if args.out:
        _write_disagreements(args.out, [(key, a, b) for key, a, b in zip(shared, first, second, strict=True)
                                        if sorted(a) != sorted(b)], Path(args.first).name, Path(args.second).name)
    return EXIT_OK


def _write_disagreements(path: str, rows: list[tuple[tuple, list[str], list[str]]], first: str, second: str) -> None:
    import pandas as pd

    from .textio import atomic_output

    columns = ["doc_id", "text", f"first ({first})", f"second ({second})"]
    table = pd.DataFrame([(doc_id, text, " ".join(a) or "none", " ".join(b) or "none")
                          for (doc_id, text, _), a, b in rows], columns=columns)
    with atomic_output(path, "wb") as handle:
        table.to_excel(handle, index=False, sheet_name="disagreements")
    _warn(f"{_count(len(rows), 'sentence')} labelled differently -> {path}")


if __name__ == "__main__":
    sys.exit(main())
