"""Where a set of figures came from: what a paper needs to cite them and a reader needs to reproduce them.

Every report file carries it (a workbook sheet, a section of the HTML page, a line of the Markdown summary,
Parquet schema metadata, the .dta data label), so a panel that travels without its folder still says which tool,
which model (by SHA-256, not only by name) and how accurate that model was measured to be on real reports.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from . import __version__


@dataclass(frozen=True)
class Provenance:
    policytag_version: str
    model: str
    model_sha256: str
    trained_at: str
    corpus_hash: str
    n_training_sentences: int | None
    real_report_accuracy: str
    label_f1: tuple[tuple[str, float, int], ...]  # (label id, F1, annotated sentences) on real reports, if recorded
    created_at: str

    @classmethod
    def from_model(cls, model_name: str, meta: dict) -> Provenance:
        return cls(
            policytag_version=__version__,
            model=model_name,
            model_sha256=meta["model_sha256"],
            trained_at=meta.get("trained_at", "unknown"),
            corpus_hash=meta.get("corpus_hash", "unknown"),
            n_training_sentences=meta.get("n_sentences"),
            real_report_accuracy=real_report_accuracy(meta.get("real_dev")),
            label_f1=recorded_label_f1(meta.get("real_dev")),
            created_at=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        )

    def fields(self) -> dict[str, str]:
        """Name → value, in a fixed order, for tables and metadata."""
        fields = {name: "" if value is None else str(value) for name, value in asdict(self).items()}
        fields["label_f1"] = ", ".join(f"{label} {f1:.3f} ({n})" for label, f1, n in self.label_f1)
        return fields

    def f1_of(self, label_id: str) -> float | None:
        """The label's recorded F1 on real reports, if there is one."""
        return next((f1 for label, f1, _ in self.label_f1 if label == label_id), None)

    def one_line(self) -> str:
        """Short enough for a Stata data label's 80 characters."""
        return f"policytag {self.policytag_version}, model {self.model} sha256:{self.model_sha256[:12]}"


def real_report_accuracy(record: object) -> str:
    """The model's recorded figures on annotated real sentences (`bench/real_dev.py --card`, or
    `policytag evaluate --record` for a model of one's own), or a plain statement that there are none.

    model.json is a file users can edit, and older cards kept only the printed table, so a record that is not as
    the recorder now writes it is said to be so rather than trusted or allowed to stop the report.
    """
    if record is None:
        return "Accuracy on real reports: not measured (see `policytag evaluate --record`)"
    try:
        figures = record["figures"]
        text = f"Accuracy measured {record['measured_at']} on {record['data']}: {_scores(figures['policytag'])}"
        if "keywords" in figures:
            text += f"; a keyword dictionary on the same sentences: {_scores(figures['keywords'])}"
    except (KeyError, TypeError, ValueError, AttributeError):
        return ("Accuracy on real reports: unknown (model.json holds no figures as `policytag evaluate --record` "
                "writes them; see the model card)")
    return text


def recorded_label_f1(record: object) -> tuple[tuple[str, float, int], ...]:
    """(label id, F1, annotated sentences) of the model's recorded evaluation; none if the record lacks them or is
    not as the recorder writes it (an older or hand-edited model.json)."""
    try:
        labels = record["figures"]["policytag"]["labels"]
        return tuple((str(label), float(m["f1"]), int(m["support"])) for label, m in labels.items())
    except (KeyError, TypeError, ValueError, AttributeError):
        return ()


def _scores(system: dict) -> str:
    """micro F1, macro F1 and, when the sentences came with their documents, the coverage error."""
    text = f"micro F1 {system['micro_f1']:.3f}, macro F1 {system['macro_f1']:.3f}"
    if system.get("coverage_error") is not None:
        text += f", coverage error {system['coverage_error']:.4f}"
    return text
