"""Annotated sentence files (the training corpus, a user's corpus, an evaluation set): read and validated.

Format, one JSON object per line: {"text": ..., "labels": [...]} plus optional doc_id, city, year, source; or an
annotation workbook (.xlsx, `policytag.annotation`). Every problem is reported with its file and line. The
validated records are returned as a Hugging Face `datasets.Dataset` whose `labels` column is a sequence of
ClassLabel over the taxonomy.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import numpy as np

from .clean import clean_sentence
from .errors import PolicytagError
from .paths import corpus_dir
from .taxonomy import Taxonomy, load_taxonomy
from .textio import json_lines

_OPTIONAL_FIELDS = {"doc_id": str, "city": str, "source": str, "year": int}


def corpus_files(paths: Iterable[str | Path] | None = None) -> list[Path]:
    """The .jsonl files named, or found in the folders named (default: the bundled corpus/), sorted."""
    files: list[Path] = []
    for path in map(Path, paths or [corpus_dir()]):
        if path.is_dir():
            found = sorted(path.glob("*.jsonl"))
            if not found:
                raise PolicytagError("folder holds no .jsonl files", path)
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise PolicytagError("no such file or folder", path)
    return files


def read_records(
    paths: Iterable[str | Path] | None = None,
    taxonomy: Taxonomy | None = None,
    unique: bool = True,
    note: Callable[[str], None] | None = None,
) -> list[dict]:
    """Validated records of every file, in order; raises PolicytagError at the first bad line.

    `unique`: a repeated sentence is an error, as it must be in training data, where it would sit on both sides
    of a cross-validation split. An evaluation set drawn from whole documents may repeat a heading, so `evaluate`
    turns this off. `note` hears what is left out without being an error (rows of a workbook not labelled yet).
    """
    taxonomy = taxonomy or load_taxonomy()
    known = set(taxonomy.ids)
    first_seen: dict[str, tuple[Path, int]] = {}
    records = []
    for path in corpus_files(paths):
        for number, obj in _numbered_objects(path, taxonomy, note):
            record = _parse_record(obj, path, number, known)
            key = record["text"]
            if unique and key in first_seen:
                other, other_line = first_seen[key]
                raise PolicytagError(f"duplicate sentence (first at {other.name}:{other_line})", path, number)
            first_seen.setdefault(key, (path, number))
            records.append(record)
    if not records:
        raise PolicytagError("no annotated sentences found", ", ".join(str(p) for p in corpus_files(paths)))
    return records


def fingerprint(text: str) -> int:
    """A sentence's 64-bit BLAKE2b fingerprint (of the text as the corpus reader returns it, cleaned).

    A model keeps those of its training sentences, so that `evaluate` can leave out a sentence the model was
    trained on: 8 bytes a sentence, and no text.
    """
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")


def fingerprints(texts: Iterable[str]) -> np.ndarray:
    """The sorted, unique fingerprints of the sentences."""
    return np.unique(np.array([fingerprint(text) for text in texts], dtype=np.uint64))


def pack_fingerprints(values: np.ndarray) -> str:
    """`fingerprints` as one base64 string, for model.json."""
    return base64.b64encode(values.astype("<u8").tobytes()).decode("ascii")


def unpack_fingerprints(packed: object) -> np.ndarray | None:
    """The inverse of `pack_fingerprints`; None for anything else (an old or hand-edited model.json)."""
    try:
        raw = base64.b64decode(packed, validate=True) if isinstance(packed, str) else b""
    except (binascii.Error, ValueError):
        return None
    return np.frombuffer(raw, dtype="<u8").astype(np.uint64) if raw and len(raw) % 8 == 0 else None


def trained_on(texts: list[str], packed: object) -> np.ndarray | None:
    """Which of the sentences a model was trained on, from the fingerprints its model.json keeps (`packed`); None
    if it keeps none that can be read."""
    trained = unpack_fingerprints(packed)
    if trained is None:
        return None
    return np.isin(np.array([fingerprint(text) for text in texts], dtype=np.uint64), trained)


def _numbered_objects(path: Path, taxonomy: Taxonomy, note: Callable[[str], None] | None
                      ) -> Iterator[tuple[int, dict]]:
    """(line or row number, record object) of a JSON Lines file or of an annotation workbook."""
    if path.suffix.lower() != ".xlsx":
        return json_lines(path)
    from .annotation import read_sheet

    rows, unlabelled = read_sheet(path, taxonomy)
    if unlabelled and note:
        note(f"{path}: {unlabelled} rows not labelled yet (no label and no 'none' mark), left out")
    return iter(rows)


def load_corpus(paths: Iterable[str | Path] | None = None, taxonomy: Taxonomy | None = None,
                note: Callable[[str], None] | None = None):
    """The validated corpus as a `datasets.Dataset` (columns: text, labels, source, doc_id, city, year)."""
    import datasets

    taxonomy = taxonomy or load_taxonomy()
    records = read_records(paths, taxonomy, note=note)
    features = datasets.Features(
        {
            "text": datasets.Value("string"),
            "labels": datasets.Sequence(datasets.ClassLabel(names=taxonomy.ids)),
            "source": datasets.Value("string"),
            "doc_id": datasets.Value("string"),
            "city": datasets.Value("string"),
            "year": datasets.Value("int32"),
        }
    )
    columns = {name: [r.get(name) for r in records] for name in features}
    return datasets.Dataset.from_dict(columns, features=features)


def label_matrix(label_lists: Iterable[Iterable[str]], taxonomy: Taxonomy) -> np.ndarray:
    """Binary matrix (sentences × labels, taxonomy order) from lists of label ids."""
    index = {label_id: j for j, label_id in enumerate(taxonomy.ids)}
    rows = list(label_lists)
    matrix = np.zeros((len(rows), len(index)), dtype=int)
    for i, labels in enumerate(rows):
        for label in labels:
            matrix[i, index[label]] = 1
    return matrix


def corpus_hash(paths: Iterable[str | Path] | None = None) -> str:
    """SHA-256 over the validated content (not the bytes), so re-encoding a file does not change it."""
    digest = hashlib.sha256()
    for record in read_records(paths):
        digest.update(json.dumps([record["text"], sorted(record["labels"])], ensure_ascii=False).encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


def _parse_record(obj: dict, path: Path, number: int, known: set[str]) -> dict:
    text = obj.get("text")
    if not isinstance(text, str) or not clean_sentence(text):
        raise PolicytagError("'text' is missing or empty", path, number)
    labels = obj.get("labels")
    if not isinstance(labels, list) or not all(isinstance(label, str) for label in labels):
        raise PolicytagError("'labels' must be a list of label ids ([] for none)", path, number)
    unknown = [label for label in labels if label not in known]
    if unknown:
        raise PolicytagError(f"unknown label {unknown[0]!r}", path, number)
    if len(set(labels)) != len(labels):
        raise PolicytagError("a label is repeated", path, number)
    record = {"text": clean_sentence(text), "labels": labels}
    for name, kind in _OPTIONAL_FIELDS.items():
        value = obj.get(name)
        if value is not None:
            if not isinstance(value, kind) or isinstance(value, bool):
                raise PolicytagError(f"'{name}' must be {kind.__name__}", path, number)
            record[name] = value
    return record
