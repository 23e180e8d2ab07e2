"""The tidy panel as CSV, Parquet and Stata .dta: one row per group and label, ready for pandas, R or Stata."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..textio import atomic_output
from . import ReportTables


def write_panel_files(tables: ReportTables, out_dir: Path) -> list[Path]:
    panel = tables.panel
    paths = [out_dir / "panel.csv", out_dir / "panel.parquet", out_dir / "panel.dta"]
    with atomic_output(paths[0]) as handle:
        panel.to_csv(handle, index=False, lineterminator="\n")
    with atomic_output(paths[1], "wb") as handle:
        panel.to_parquet(handle, index=False)
    with atomic_output(paths[2], "wb") as handle:
        _for_stata(panel).to_stata(handle, write_index=False, version=118,
                                   variable_labels={"share": "share of sentences tagged",
                                                    "mean_prob": "mean probability over sentences",
                                                    "n_sentences": "sentences tagged with label",
                                                    "n_total": "sentences in group"})
    return paths


def _for_stata(panel: pd.DataFrame) -> pd.DataFrame:
    """Stata has no booleans or nullable integers: present → 0/1, a missing year → ."""
    table = panel.copy()
    table["present"] = table["present"].astype("int8")
    table["year"] = table["year"].astype("float64")
    for column in table.columns:
        if table[column].dtype == object:
            table[column] = table[column].fillna("").astype(str)
    return table
