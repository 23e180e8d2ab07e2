"""What a worker does with one document, for each command.

Each function takes the model and one Document and returns only what the parent process needs, so that with
several workers the parent merely writes or collects small results: `tag` gets its output lines ready-made,
`report` gets a per-document summary and the document's metadata.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from .aggregate import DocumentSummary, summarise
from .coverage import coverage_record
from .ingest import Document
from .metadata import DocumentMeta, document_meta
from .model import PolicyTagger
from .segment import segment_document
from .tagging import tag_batch


@dataclass(frozen=True)
class Done:
    doc_id: str
    n_sentences: int
    lines: list[str] | None = None
    summary: DocumentSummary | None = None
    meta: DocumentMeta | None = None


def tagged_lines(model: PolicyTagger, document: Document) -> Done:
    """The JSON Lines of `policytag tag` for one document: its sentences, then its coverage object."""
    batch = tag_batch(model, segment_document(document.doc_id, document.text))
    lines = [json.dumps(sentence.to_json(), ensure_ascii=False) for sentence in batch.to_sentences()]
    lines.append(json.dumps(coverage_record(summarise(batch, document.doc_id, top_k=0)), ensure_ascii=False))
    return Done(document.doc_id, len(batch.sentences), lines=lines)


def report_summary(model: PolicyTagger, document: Document, manifest: dict[str, dict]) -> Done:
    """A report's view of one document: coverage summary with top evidence, and resolved metadata."""
    batch = tag_batch(model, segment_document(document.doc_id, document.text))
    summary = summarise(batch, document.doc_id)
    return Done(document.doc_id, len(batch.sentences), summary=summary, meta=document_meta(document, manifest))
