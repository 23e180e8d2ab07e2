import json
import shutil
import zipfile

import pytest
import skops.io

from policytag.corpus import corpus_hash
from policytag.errors import PolicytagError
from policytag.model import PolicyTagger
from policytag.paths import default_model_dir
from policytag.persist import META_FILE, MODEL_FILE, file_sha256, load_model, read_metadata, save_model

MAX_SHIPPED_BYTES = 20 * 1024 * 1024


@pytest.fixture
def model_copy(tmp_path):
    target = tmp_path / "model"
    shutil.copytree(default_model_dir(), target)
    return target


def test_shipped_model_was_trained_on_the_current_corpus():
    """Fails when corpus/ changed after the model was trained: retrain with `python train.py`."""
    assert read_metadata(default_model_dir())["corpus_hash"] == corpus_hash()


def test_shipped_model_loads_and_fits_the_size_budget(shipped_model):
    assert (default_model_dir() / MODEL_FILE).stat().st_size < MAX_SHIPPED_BYTES
    assert isinstance(shipped_model, PolicyTagger)


def test_a_truncated_model_file_is_one_error(model_copy):
    path = model_copy / MODEL_FILE
    path.write_bytes(path.read_bytes()[:1000])
    with pytest.raises(PolicytagError, match="does not match the hash"):
        load_model(model_copy)


def test_a_corrupt_file_with_a_matching_hash_is_still_one_error(model_copy):
    path = model_copy / MODEL_FILE
    path.write_bytes(b"PK\x03\x04 this is not a model")
    meta = json.loads((model_copy / META_FILE).read_text(encoding="utf-8"))
    meta["model_sha256"] = file_sha256(path)
    (model_copy / META_FILE).write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(PolicytagError, match="unreadable model file"):
        load_model(model_copy)


def test_a_file_that_would_call_untrusted_code_is_refused_before_loading(model_copy, shipped_model):
    """A tampered model that names an arbitrary callable (here os.system) in place of a part must never load."""
    import os

    archive = model_copy / MODEL_FILE
    archive.write_bytes(skops.io.dumps(shipped_model))
    with zipfile.ZipFile(archive) as source:
        schema = json.loads(source.read("schema.json"))
        members = {name: source.read(name) for name in source.namelist() if name != "schema.json"}
    assert _swap_function(schema, ("policytag.features", "CharNgramTfidf"), ("os", "system")), "schema layout changed"
    with zipfile.ZipFile(archive, "w") as target:
        target.writestr("schema.json", json.dumps(schema))
        for name, data in members.items():
            target.writestr(name, data)
    meta = json.loads((model_copy / META_FILE).read_text(encoding="utf-8"))
    meta["model_sha256"] = file_sha256(archive)
    (model_copy / META_FILE).write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(PolicytagError, match=r"types we do not load: os\.system"):
        load_model(model_copy)
    assert os.path.exists(archive)


def _swap_function(node, old, new) -> bool:
    """Point every reference to function `old` (module, name) in a skops schema at `new` instead."""
    swapped = False
    if isinstance(node, dict):
        if (node.get("__module__"), node.get("__class__")) == old:
            node["__module__"], node["__class__"] = new
            swapped = True
        for value in node.values():
            swapped |= _swap_function(value, old, new)
    elif isinstance(node, list):
        for value in node:
            swapped |= _swap_function(value, old, new)
    return swapped


def test_a_model_with_another_label_set_is_refused(model_copy):
    meta = json.loads((model_copy / META_FILE).read_text(encoding="utf-8"))
    meta["labels"] = meta["labels"][:-1]
    (model_copy / META_FILE).write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(PolicytagError, match="different label set"):
        load_model(model_copy)


@pytest.mark.parametrize("content", [None, "{not json", '{"format_version": 99}'])
def test_missing_or_bad_metadata_is_one_error(model_copy, content):
    meta = model_copy / META_FILE
    if content is None:
        meta.unlink()
    else:
        meta.write_text(content, encoding="utf-8")
    with pytest.raises(PolicytagError):
        load_model(model_copy)


def test_a_model_saved_by_the_previous_format_is_refused_with_a_hint(model_copy):
    """Version 1 files kept a separate sigmoid: loading them with today's prediction would be silently wrong."""
    meta = json.loads((model_copy / META_FILE).read_text(encoding="utf-8"))
    meta["format_version"] = 1
    (model_copy / META_FILE).write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(PolicytagError, match="retrain with this version"):
        load_model(model_copy)


def test_save_then_load_round_trips(tmp_path, shipped_model):
    save_model(shipped_model, tmp_path, {"note": "copy"})
    loaded, meta = load_model(tmp_path)
    sentence = ["推进工业园区循环化改造。"]
    assert (loaded.predict_proba(sentence) == shipped_model.predict_proba(sentence)).all()
    assert meta["note"] == "copy"
