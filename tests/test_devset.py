"""The real development set: references that rebuild their text from ../shared, and never training data;
double-annotated, with a gold that settles only what the two annotators disagreed on."""

import json

import pytest

from policytag.clean import clean_sentence
from policytag.corpus import read_records
from policytag.devset import SPLITS, load_references
from policytag.errors import PolicytagError
from policytag.taxonomy import load_taxonomy
from policytag.textio import json_lines
from tests.conftest import REPO, write_jsonl

REFERENCES = REPO / "devset" / "real_dev.jsonl"
ANNOTATIONS = [REPO / "devset" / name for name in ("real_dev_first.jsonl", "real_dev_second.jsonl")]


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


def test_the_gold_keeps_what_both_annotators_gave_and_adds_only_what_one_of_them_gave():
    gold, first, second = ([row for _, row in json_lines(path)] for path in (REFERENCES, *ANNOTATIONS))
    identity = [[(r["doc"], r["index"], r["sha1"], r["split"]) for r in rows] for rows in (gold, first, second)]
    assert identity[0] == identity[1] == identity[2]
    label_ids = set(load_taxonomy().ids)
    for row in gold + first + second:
        assert row["labels"] == sorted(set(row["labels"])) and set(row["labels"]) <= label_ids, row
    for g, a, b in zip(gold, first, second, strict=True):
        assert set(a["labels"]) & set(b["labels"]) <= set(g["labels"]) <= set(a["labels"]) | set(b["labels"]), g
    disagreements = sum(a["labels"] != b["labels"] for a, b in zip(first, second, strict=True))
    assert 0 < disagreements < len(gold) / 4
