import re

import pytest

from policytag.errors import PolicytagError
from policytag.taxonomy import load_taxonomy


def test_twelve_labels_with_chinese_and_english_names():
    taxonomy = load_taxonomy()
    assert len(taxonomy) == 12
    for label in taxonomy.labels:
        assert label.zh and label.en and label.definition and label.seed_terms


def test_label_ids_are_exactly_those_of_the_annotation_guide(shared_dir):
    guide = (shared_dir / "annotation-guide.md").read_text(encoding="utf-8")
    table_ids = re.findall(r"^\| `([a-z_]+)` \|", guide, flags=re.M)
    assert load_taxonomy().ids == table_ids


def test_a_broken_label_file_is_one_error_naming_the_file(tmp_path):
    (tmp_path / "labels.yaml").write_text("labels:\n  - id: Bad Id\n", encoding="utf-8")
    with pytest.raises(PolicytagError, match=r"labels\.yaml"):
        load_taxonomy(tmp_path)


def test_duplicate_label_ids_are_refused(tmp_path):
    entry = "  - {id: a, zh: 甲, en: A, definition: d, includes: [], excludes: [], seed_terms: []}\n"
    (tmp_path / "labels.yaml").write_text("labels:\n" + entry + entry, encoding="utf-8")
    with pytest.raises(PolicytagError, match="twice"):
        load_taxonomy(tmp_path)
