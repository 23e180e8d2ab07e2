"""The real development set: annotations of real reports, kept as references, never as text.

A reference names a document under `../shared` (a path, or `file.jsonl#year` for a row of the national
reports), a sentence index, a hash of the sentence and its labels. The text is rebuilt by segmenting that
document with the project's own pipeline; when a hash no longer matches, loading fails loudly instead of
evaluating on the wrong sentence.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from .errors import PolicytagError
from .segment import segment_document
from .textio import json_lines, read_text

SPLITS = ("tune", "test")


def sentence_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def document_sentences(shared: Path, doc: str) -> list[str]:
    return list(_document_sentences(shared.resolve(), doc))


@lru_cache(maxsize=64)
def _document_sentences(shared: Path, doc: str) -> tuple[str, ...]:
    if "#" in doc:
        file_name, key = doc.split("#", 1)
        path = shared / file_name
        for _, row in json_lines(path):
            if str(row.get("year")) == key:
                return tuple(s.text for s in segment_document(doc, row["content"]))
        raise PolicytagError(f"no row with year {key}", path)
    path = shared / doc
    return tuple(s.text for s in segment_document(doc, read_text(path)))


def load_references(path: str | Path, shared: str | Path, splits: Iterable[str] = SPLITS) -> list[dict]:
    """Records {doc, index, text, labels, split} for the chosen splits, text rebuilt from `shared`."""
    path, shared = Path(path), Path(shared)
    wanted = set(splits)
    records = []
    for number, ref in json_lines(path):
        try:
            doc, index, digest, labels, split = ref["doc"], ref["index"], ref["sha1"], ref["labels"], ref["split"]
        except KeyError:
            raise PolicytagError("expected {doc, index, sha1, labels, split}", path, number) from None
        if split not in wanted:
            continue
        sentences = document_sentences(shared, doc)
        if index >= len(sentences) or sentence_hash(sentences[index]) != digest:
            raise PolicytagError(
                f"sentence {index} of {doc} no longer matches its hash (segmentation or ../shared changed)",
                path,
                number,
            )
        records.append({"doc": doc, "index": index, "text": sentences[index], "labels": labels, "split": split})
    return records
