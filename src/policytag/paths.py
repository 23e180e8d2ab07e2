"""Where the bundled data lives, for a source checkout and for an installed wheel alike.

A wheel carries `labels/`, `models/` and `samples/` inside the package as `_data/`; a checkout (or an
editable install) reads them from the repository root. Everything else asks this module.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_PACKAGED = _PACKAGE_DIR / "_data"
_REPO_ROOT = _PACKAGE_DIR.parent.parent


def data_root() -> Path:
    return _PACKAGED if _PACKAGED.is_dir() else _REPO_ROOT


def labels_dir() -> Path:
    return data_root() / "labels"


def default_model_dir() -> Path:
    return data_root() / "models" / "default"


def corpus_dir() -> Path:
    return data_root() / "corpus"


def samples_dir() -> Path:
    return data_root() / "samples"
