"""The document path end to end: documents → sentences → tagged sentences, one document at a time.

Streaming, so memory stays flat however many documents there are; a document that cannot be read is handed
to `on_skip` and the rest go on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from .errors import PolicytagError
from .ingest import Document, iter_documents
from .model import PolicyTagger
from .segment import segment_document
from .tagging import TaggedSentence, tag_sentences


def tag_documents(
    model: PolicyTagger, inputs: Iterable[str | Path], on_skip: Callable[[PolicytagError], None]
) -> Iterator[tuple[Document, list[TaggedSentence]]]:
    for item in iter_documents(inputs):
        if isinstance(item, PolicytagError):
            on_skip(item)
            continue
        yield item, tag_sentences(model, segment_document(item.doc_id, item.text))
