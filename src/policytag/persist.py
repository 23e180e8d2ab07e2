"""Saving and loading a model folder without ever executing code from it.

A model folder holds `model.skops` (the fitted PolicyTagger, in skops' data-only format) and
`model.json` (label set, SHA-256 of the model file, corpus hash, versions, metrics). Loading checks the
JSON, the hash, that every type in the file is on our allowlist, and that the label set matches the
taxonomy; any failure is a one-line PolicytagError.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

from .errors import PolicytagError
from .model import PolicyTagger
from .paths import default_model_dir
from .taxonomy import load_taxonomy
from .textio import atomic_output

MODEL_FILE = "model.skops"
META_FILE = "model.json"
# 2: coef_ and intercept_ give calibrated log-odds directly (version 1 kept a separate Platt sigmoid).
FORMAT_VERSION = 2
# Types skops does not trust by default but a policytag model is made of. Anything else in a file is
# refused before it is loaded: an exact list, because a trusted function could be called on user text.
_TRUSTED_TYPES = frozenset(
    {
        "policytag.model.PolicyTagger",
        "policytag.features.WordNgramTfidf",
        "policytag.features.CharNgramTfidf",
    }
)


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def save_model(model: PolicyTagger, directory: str | Path, metadata: dict) -> Path:
    import skops.io

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    model_path = directory / MODEL_FILE
    with atomic_output(model_path, "wb") as handle:
        handle.write(skops.io.dumps(model, compression=zipfile.ZIP_DEFLATED, compresslevel=9))
    meta = {
        "format_version": FORMAT_VERSION,
        "labels": list(model.classes_),
        "model_sha256": file_sha256(model_path),
        **metadata,
    }
    write_metadata(directory, meta)
    return directory


def write_metadata(directory: str | Path, meta: dict) -> None:
    with atomic_output(Path(directory) / META_FILE) as handle:
        json.dump(meta, handle, ensure_ascii=False, indent=2)
        handle.write("\n")


def read_metadata(directory: str | Path) -> dict:
    meta_path = Path(directory) / META_FILE
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PolicytagError("not a model folder (no model.json)", Path(directory)) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PolicytagError(f"unreadable model metadata ({type(exc).__name__})", meta_path) from None
    if not isinstance(meta, dict) or meta.get("format_version") != FORMAT_VERSION:
        raise PolicytagError(
            f"unsupported model format (expected format_version {FORMAT_VERSION}; retrain with this version)",
            meta_path,
        )
    for key in ("labels", "model_sha256"):
        if key not in meta:
            raise PolicytagError(f"model metadata lacks {key!r}", meta_path)
    return meta


def load_model(
    directory: str | Path | None = None, labels_directory: str | Path | None = None
) -> tuple[PolicyTagger, dict]:
    import skops.io

    directory = Path(directory or default_model_dir())
    meta = read_metadata(directory)
    model_path = directory / MODEL_FILE
    if not model_path.is_file():
        raise PolicytagError("model file is missing", model_path)
    if file_sha256(model_path) != meta["model_sha256"]:
        raise PolicytagError("model file does not match the hash recorded at training (corrupt or altered)", model_path)
    taxonomy_ids = load_taxonomy(labels_directory).ids
    if list(meta["labels"]) != taxonomy_ids:
        raise PolicytagError(
            f"model was trained on a different label set ({len(meta['labels'])} labels) than labels/labels.yaml"
            f" ({len(taxonomy_ids)} labels)",
            model_path,
        )
    data = model_path.read_bytes()
    try:
        untrusted = skops.io.get_untrusted_types(data=data)
        refused = [name for name in untrusted if name not in _TRUSTED_TYPES]
        if refused:
            raise PolicytagError(f"model file contains types we do not load: {', '.join(refused[:3])}", model_path)
        model = skops.io.loads(data, trusted=untrusted)
    except PolicytagError:
        raise
    except Exception as exc:  # skops raises many kinds on a damaged archive; all mean "unreadable"
        raise PolicytagError(f"unreadable model file ({type(exc).__name__})", model_path) from None
    if not isinstance(model, PolicyTagger) or list(model.classes_) != taxonomy_ids:
        raise PolicytagError("model file does not hold a policytag model for this label set", model_path)
    return model, meta
