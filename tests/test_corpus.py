import json
from collections import Counter

import pytest

from policytag.clean import clean_sentence
from policytag.corpus import (
    corpus_hash,
    fingerprints,
    load_corpus,
    pack_fingerprints,
    read_records,
    unpack_fingerprints,
)
from policytag.errors import PolicytagError
from policytag.ingest import read_document
from policytag.segment import segment_document

from .conftest import write_jsonl

GOOD = '{"text": "推进超低排放改造。", "labels": ["pollution_control"]}'


@pytest.mark.parametrize(
    "bad_line, message",
    [
        ('{"text": "推进节水。", "labels": ["water"]}', "unknown label 'water'"),
        ('{"text": "   ", "labels": []}', "'text' is missing or empty"),
        ('{"labels": []}', "'text' is missing or empty"),
        ('{"text": "推进节水。", "labels": "circular_economy"}', "'labels' must be a list"),
        ('{"text": "推进节水。", "labels": []', "invalid JSON"),
        ('["推进节水。", []]', "expected a JSON object"),
        (GOOD.replace("。", " 。"), "duplicate sentence"),
        ('{"text": "推进节水。", "labels": ["circular_economy", "circular_economy"]}', "repeated"),
        ('{"text": "推进节水。", "labels": [], "year": "2024"}', "'year' must be int"),
    ],
)
def test_each_corpus_error_names_file_and_line(tmp_path, bad_line, message):
    path = write_jsonl(tmp_path / "mine.jsonl", [GOOD, "", bad_line])
    with pytest.raises(PolicytagError, match=message) as error:
        read_records([path])
    assert str(error.value).startswith(f"{path}:3:")


def test_duplicates_across_files_point_to_the_first(tmp_path):
    write_jsonl(tmp_path / "a.jsonl", [GOOD])
    write_jsonl(tmp_path / "b.jsonl", [GOOD])
    with pytest.raises(PolicytagError, match=r"first at a.jsonl:1"):
        read_records([tmp_path])


def test_loads_as_a_datasets_table_with_class_labels(tmp_path):
    path = write_jsonl(tmp_path / "c.jsonl", [GOOD, '{"text": "各位代表：", "labels": [], "year": 2024}'])
    dataset = load_corpus([path])
    assert dataset.num_rows == 2
    assert dataset.features["labels"].feature.names[dataset[0]["labels"][0]] == "pollution_control"
    assert dataset[1]["labels"] == [] and dataset[1]["year"] == 2024


def test_corpus_hash_ignores_encoding_details(tmp_path):
    a = write_jsonl(tmp_path / "a.jsonl", [GOOD])
    b = tmp_path / "b" / "a.jsonl"
    b.parent.mkdir()
    b.write_bytes(b"\xef\xbb\xbf" + json.dumps(json.loads(GOOD)).encode() + b"\r\n")
    assert corpus_hash([a]) == corpus_hash([b])


def test_bundled_corpus_meets_its_size_and_balance_targets():
    records = read_records()
    counts = Counter(label for r in records for label in r["labels"])
    n = len(records)
    assert n >= 3000
    assert min(counts.values()) >= 200, counts
    assert sum(1 for r in records if not r["labels"]) / n >= 0.30
    assert sum(1 for r in records if len(r["labels"]) >= 2) / n >= 0.15


def test_no_corpus_sentence_comes_from_the_shared_documents(shared_dir):
    """The corpus is written for the project: no sentence of the real reports or seeds may appear in it, verbatim
    or nearly (writers who know the public reports can reproduce them from memory, which would leak the
    evaluation documents into training). Near: more than 80% of a sentence's character 6-grams occur in ../shared.
    """
    corpus = {r["text"] for r in read_records()}
    shared = set()
    for path in [*(shared_dir / "seeds").glob("*.txt"), *(shared_dir / "real").rglob("*.txt")]:
        document = read_document(path)
        shared.update(s.text for s in segment_document(document.doc_id, document.text))
    for line in (shared_dir / "real" / "national").glob("*.jsonl"):
        for row in map(json.loads, line.read_text(encoding="utf-8").splitlines()):
            shared.update(s.text for s in segment_document("n", row["content"]))
    shared = {clean_sentence(s) for s in shared}
    assert len(shared) > 10_000
    grams = {s[i : i + 6] for s in shared for i in range(len(s) - 5)}

    def near_copy(text: str) -> bool:
        own = [text[i : i + 6] for i in range(len(text) - 5)]
        return len(own) >= 5 and sum(g in grams for g in own) > 0.8 * len(own)

    copied = sorted(t for t in corpus if (t in shared and len(t) >= 8) or near_copy(t))
    assert not copied, f"{len(copied)} corpus sentences appear in ../shared, e.g. {copied[:3]}"


def test_fingerprints_survive_model_json_and_a_mangled_value_is_none():
    values = fingerprints(["推进节水。", "推进超低排放改造。", "推进节水。"])
    assert len(values) == 2
    assert (unpack_fingerprints(pack_fingerprints(values)) == values).all()
    for mangled in (None, 42, "", "not base64!", pack_fingerprints(values)[:-4]):
        assert unpack_fingerprints(mangled) is None
