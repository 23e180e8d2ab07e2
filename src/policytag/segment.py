"""Split cleaned text into sentences: the unit that is annotated, tagged and counted.

A sentence ends at 。！？ (with any closing quotes or brackets that follow) or at a line break, so a
heading line is a sentence of its own, as the annotation guide requires.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .clean import clean_text

_SENTENCE = re.compile(r"[^。！？]*(?:[。！？]+[”’」』）)】]*|$)")
_HAS_CONTENT = re.compile(r"[\w\u3400-\u9fff]")


@dataclass(frozen=True)
class Sentence:
    doc_id: str
    index: int
    text: str


def split_sentences(text: str) -> list[str]:
    """Sentences of already cleaned text, in order; pieces without a letter, digit or CJK character are dropped."""
    sentences = []
    for line in text.split("\n"):
        for piece in _SENTENCE.findall(line):
            piece = piece.strip()
            if piece and _HAS_CONTENT.search(piece):
                sentences.append(piece)
    return sentences


def segment_document(doc_id: str, raw_text: str) -> list[Sentence]:
    return [Sentence(doc_id, i, s) for i, s in enumerate(split_sentences(clean_text(raw_text)))]
