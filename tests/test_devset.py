"""The real development set: references that rebuild their text from ../shared, and never training data."""

import json

import pytest

from policytag.clean import clean_sentence
from policytag.corpus import read_records
from policytag.devset import SPLITS, load_references
from policytag.errors import PolicytagError
from tests.conftest import REPO, write_jsonl

REFERENCES = REPO / "devset" / "real_dev.jsonl"


@pytest.fixture(scope="module")
def references(shared_dir):
    return load_references(REFERENCES, shared_dir)


def test_every_reference_rebuilds_its_sentence_and_the_splits_share_no_document(references):
    assert len(references) >= 2500
    documents = {split: {r["doc"] for r in references if r["split"] == split} for split in SPLITS}
    assert all(documents.values()) and not documents["tune"] & documents["test"]


def test_no_development_sentence_is_in_the_training_corpus(references):
    corpus = {clean_sentence(r["text"]) for r in read_records()}
    leaked = [r["text"] for r in references if len(r["text"]) >= 10 and clean_sentence(r["text"]) in corpus]
    assert not leaked, leaked[:3]


def test_a_reference_whose_sentence_changed_fails_loudly_with_its_line(shared_dir, tmp_path):
    lines = REFERENCES.read_text(encoding="utf-8").splitlines()[:3]
    tampered = json.loads(lines[2]) | {"sha1": "0" * 16}
    path = write_jsonl(tmp_path / "refs.jsonl", [*lines[:2], json.dumps(tampered, ensure_ascii=False)])
    with pytest.raises(PolicytagError, match="no longer matches its hash") as error:
        load_references(path, shared_dir)
    assert str(error.value).startswith(f"{path}:3:")
