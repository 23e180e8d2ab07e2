"""Labelling one's own reports: a reproducible sample of their sentences, laid out for annotation in Excel.

The shipped model's figures were measured on other reports; a paper built on a new set of reports needs the
model's accuracy on those. `sample_sentences` and `sample_documents` draw the sentences, segmented exactly as
`tag` segments them, so the figures describe what `tag` and `report` count. `write_sample` writes them as a
workbook with one row per sentence and one column per label (or as JSON Lines for an annotation tool), and
`read_sheet` reads the labelled workbook back for `evaluate` or `train`, and `labels_by_sentence` matches two
people's labels of the same sample for `agree`.

Nothing is pre-filled from the model: labels shown to an annotator anchor the annotation, and an evaluation set
annotated that way would flatter the model.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np

from .errors import PolicytagError
from .ingest import Document
from .segment import Sentence, segment_document
from .taxonomy import Taxonomy
from .textio import atomic_output

SHEET = "标注 annotate"
GUIDE_SHEET = "说明 guide"
NONE = "none"
_FIXED = (("文档", "doc_id"), ("句序", "index"), ("句子", "text"))
_YES, _NO = (1, "1", 1.0, True), (None, "", 0, "0", 0.0, False)
T = TypeVar("T")


@dataclass(frozen=True)
class Sample:
    sentences: list[Sentence]  # in input order: by document, then by position in it
    n_documents: int  # documents read
    n_sentences: int  # sentences in them


def sample_sentences(documents: Iterable[Document], size: int, seed: int = 0) -> Sample:
    """`size` sentences drawn uniformly from all sentences of the documents: the sample that estimates how often
    the model is right on a sentence of these reports."""
    counts = _Counts()
    drawn = _reservoir(
        ((d, s) for d, document in enumerate(counts.documents(documents)) for s in counts.sentences(document)),
        size, np.random.default_rng(seed))
    return Sample([sentence for _, sentence in sorted(drawn, key=_position)], counts.n_documents, counts.n_sentences)


def sample_documents(documents: Iterable[Document], size: int, seed: int = 0) -> Sample:
    """Every sentence of `size` documents drawn uniformly: the sample that also measures per-document coverage."""
    counts = _Counts()
    drawn = _reservoir(
        ((d, counts.sentences(document)) for d, document in enumerate(counts.documents(documents))),
        size, np.random.default_rng(seed))
    sentences = [sentence for _, document_sentences in sorted(drawn, key=lambda pair: pair[0])
                 for sentence in document_sentences]
    return Sample(sentences, counts.n_documents, counts.n_sentences)


class _Counts:
    """Counts the documents and sentences streamed through it."""

    def __init__(self):
        self.n_documents = self.n_sentences = 0

    def documents(self, documents: Iterable[Document]) -> Iterator[Document]:
        for document in documents:
            self.n_documents += 1
            yield document

    def sentences(self, document: Document) -> list[Sentence]:
        sentences = segment_document(document.doc_id, document.text)
        self.n_sentences += len(sentences)
        return sentences


def _position(pair: tuple[int, Sentence]) -> tuple[int, int]:
    return pair[0], pair[1].index


def _reservoir(items: Iterable[T], size: int, rng: np.random.Generator) -> list[T]:
    """A uniform sample of `size` items from a stream of unknown length in one pass (Algorithm R), so that a
    sample from a large collection of reports holds only the sample in memory."""
    kept: list[T] = []
    for seen, item in enumerate(items):
        if seen < size:
            kept.append(item)
        else:
            slot = int(rng.integers(seen + 1))
            if slot < size:
                kept[slot] = item
    return kept


def check_sample_path(path: str | Path) -> Path:
    """The output path, if it names a format a sample can be written in; checked before any document is read."""
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".jsonl"):
        raise PolicytagError("write the sample to a .xlsx workbook or a .jsonl file", path)
    return path


def write_sample(sample: Sample, path: str | Path, taxonomy: Taxonomy) -> None:
    """The sample as an annotation workbook (.xlsx) or as JSON Lines without labels (.jsonl), written atomically."""
    path = check_sample_path(path)
    if path.suffix.lower() == ".jsonl":
        with atomic_output(path) as handle:
            for sentence in sample.sentences:
                row = {"doc_id": sentence.doc_id, "index": sentence.index, "text": sentence.text}
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    else:
        with atomic_output(path, "wb") as handle:
            _workbook(sample, taxonomy).save(handle)


def _workbook(sample: Sample, taxonomy: Taxonomy):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    headers = [*_FIXED, *((label.zh, label.id) for label in taxonomy.labels), ("无", NONE)]
    sheet.append([f"{zh}\n{column}" for zh, column in headers])
    for sentence in sample.sentences:
        sheet.append([sentence.doc_id, sentence.index, sentence.text])
    for column, (_, name) in enumerate(headers, start=1):
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = {"doc_id": 18, "index": 6, "text": 70}.get(name, 9)
        header = sheet.cell(row=1, column=column)
        header.font = Font(bold=True)
        header.alignment = Alignment(wrap_text=True, horizontal="center", vertical="top")
    for row in sheet.iter_rows(min_row=2, min_col=3, max_col=3):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "D2"
    marks = DataValidation(type="list", formula1='"1,0"', allow_blank=True, showErrorMessage=True,
                           errorTitle="1 or blank", error="Type 1 where the label applies; leave the others blank.")
    first, last = get_column_letter(len(_FIXED) + 1), get_column_letter(len(headers))
    marks.add(f"{first}2:{last}{len(sample.sentences) + 1}")
    sheet.add_data_validation(marks)
    _guide(book.create_sheet(GUIDE_SHEET), taxonomy)
    return book


def _guide(sheet, taxonomy: Taxonomy) -> None:
    """How to fill the sheet, and each label's scope from labels/labels.yaml, beside the sentences."""
    from openpyxl.styles import Alignment, Font

    for line in (
        "每句标注：适用的类别列填 1，其余留空；一个类别都不适用时在“无 none”列填 1。"
        "两者都未填的行视为尚未标注，评估时不计入。",
        "For each sentence: type 1 under every label that applies and leave the rest blank; type 1 under 'none' "
        "when no label applies. A row with neither is taken as not labelled yet and left out.",
        "Label the sentence itself, as the annotation guide says: a sentence gets every label whose measure it "
        "describes, commits to or reports on; slogans alone (绿色发展, 高质量发展) get none.",
        "Then: policytag evaluate --data THIS_FILE.xlsx",
        "",
    ):
        sheet.append([line])
    sheet.append(["label", "中文", "what belongs", "what does not"])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for label in taxonomy.labels:
        sheet.append([label.id, label.zh, "; ".join(label.includes), "; ".join(label.excludes)])
    for letter, width in zip("ABCD", (26, 18, 90, 60), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=7):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def read_sheet(path: str | Path, taxonomy: Taxonomy) -> tuple[list[tuple[int, dict]], int]:
    """(row number, record object) of each labelled row of an annotation workbook, and how many rows are not
    labelled yet. Columns are found by the id on the last line of their header, so their order, extra columns
    (a comment, say) and the Chinese names do not matter."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    path = Path(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError) as exc:
        raise PolicytagError(f"not a readable .xlsx workbook ({type(exc).__name__})", path) from None
    except OSError as exc:
        raise PolicytagError(f"cannot read ({exc.strerror or exc})", path) from None
    try:
        sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        columns = _columns(next(rows, ()), path, taxonomy)
        labelled, unlabelled = [], 0
        for number, row in enumerate(rows, start=2):
            record = _record(row, columns, path, number, taxonomy)
            if record is None:
                unlabelled += any(value not in _NO for value in row)
            else:
                labelled.append((number, record))
        return labelled, unlabelled
    finally:
        book.close()


def _columns(header: tuple, path: Path, taxonomy: Taxonomy) -> dict[str, int]:
    """Column id → position, from a header row whose cells end in the id ("污染防治\\npollution_control")."""
    columns = {}
    for position, cell in enumerate(header):
        if cell is not None and str(cell).split():
            columns.setdefault(str(cell).split()[-1], position)
    missing = [name for name in ("text", *taxonomy.ids, NONE) if name not in columns]
    if missing:
        raise PolicytagError(f"the first row must name the columns text, the label ids and {NONE}; missing: "
                             f"{', '.join(missing)}", path, 1)
    return columns


def _record(row: tuple, columns: dict[str, int], path: Path, number: int, taxonomy: Taxonomy) -> dict | None:
    """The record object of a labelled row (validated further by the corpus reader), None if not labelled."""
    def cell(name):
        position = columns[name]
        value = row[position] if position < len(row) else None
        return value.strip() if isinstance(value, str) else value

    def marked(name) -> bool:
        value = cell(name)
        if value in _YES:
            return True
        if value in _NO:
            return False
        raise PolicytagError(f"column {name}: expected 1 or blank, not {value!r}", path, number)

    labels = [label for label in taxonomy.ids if marked(label)]
    none = marked(NONE)
    if none and labels:
        raise PolicytagError(f"marked both {NONE} and {', '.join(labels)}", path, number)
    if not (none or labels):
        return None
    record = {"text": "" if cell("text") is None else str(cell("text")), "labels": labels}
    if "doc_id" in columns and cell("doc_id") not in (None, ""):
        record["doc_id"] = str(cell("doc_id"))
    return record


def labels_by_sentence(records: list[dict]) -> dict[tuple, list[str]]:
    """Labels by (doc_id, text, occurrence): the key that finds a sentence in another copy of the same sample,
    whatever the order of the rows and however many of them are labelled."""
    seen: dict[tuple, int] = {}
    labelled = {}
    for record in records:
        sentence = (record.get("doc_id", ""), record["text"])
        seen[sentence] = seen.get(sentence, 0) + 1
        labelled[(*sentence, seen[sentence])] = record["labels"]
    return labelled
