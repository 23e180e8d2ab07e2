"""The label set, read from `labels/labels.yaml` and validated in one place.

Labels are data: nothing else in the package spells out label ids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .errors import PolicytagError
from .paths import labels_dir

_ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
_REQUIRED = ("id", "zh", "en", "definition", "includes", "excludes", "seed_terms")


@dataclass(frozen=True)
class Label:
    id: str
    zh: str
    en: str
    definition: str
    includes: tuple[str, ...]
    excludes: tuple[str, ...]
    seed_terms: tuple[str, ...]


@dataclass(frozen=True)
class Taxonomy:
    labels: tuple[Label, ...]

    @property
    def ids(self) -> list[str]:
        return [label.id for label in self.labels]

    def __getitem__(self, label_id: str) -> Label:
        for label in self.labels:
            if label.id == label_id:
                return label
        raise KeyError(label_id)

    def __len__(self) -> int:
        return len(self.labels)


def load_taxonomy(directory: str | Path | None = None) -> Taxonomy:
    path = Path(directory or labels_dir()) / "labels.yaml"
    return _load(path.resolve())


@lru_cache(maxsize=8)
def _load(path: Path) -> Taxonomy:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise PolicytagError(f"cannot read label file: {exc.strerror}", path) from None
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise PolicytagError("invalid YAML", path, None if line is None else line + 1) from None
    if not isinstance(raw, dict) or not isinstance(raw.get("labels"), list) or not raw["labels"]:
        raise PolicytagError("expected a mapping with a non-empty 'labels' list", path)
    labels = []
    seen = set()
    for position, entry in enumerate(raw["labels"], start=1):
        if not isinstance(entry, dict):
            raise PolicytagError(f"label #{position} is not a mapping", path)
        missing = [key for key in _REQUIRED if key not in entry]
        if missing:
            raise PolicytagError(f"label #{position} lacks {', '.join(missing)}", path)
        label_id = entry["id"]
        if not isinstance(label_id, str) or not _ID_PATTERN.match(label_id):
            raise PolicytagError(f"label #{position} has an invalid id {label_id!r}", path)
        if label_id in seen:
            raise PolicytagError(f"label id {label_id!r} appears twice", path)
        seen.add(label_id)
        for key in ("includes", "excludes", "seed_terms"):
            if not isinstance(entry[key], list) or not all(isinstance(x, str) for x in entry[key]):
                raise PolicytagError(f"label {label_id!r}: {key} must be a list of strings", path)
        labels.append(
            Label(
                id=label_id,
                zh=str(entry["zh"]),
                en=str(entry["en"]),
                definition=str(entry["definition"]),
                includes=tuple(entry["includes"]),
                excludes=tuple(entry["excludes"]),
                seed_terms=tuple(entry["seed_terms"]),
            )
        )
    return Taxonomy(tuple(labels))
