"""The tidy panel as CSV, Parquet and Stata .dta: one row per group and label, ready for pandas, R or Stata.

Parquet and .dta carry the provenance inside the file (schema metadata, data label); CSV has nowhere to put it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..textio import atomic_output
from . import ReportTables


def write_panel_files(tables: ReportTables, out_dir: Path) -> list[Path]:
    panel = tables.panel
    paths = [out_dir / "panel.csv", out_dir / "panel.parquet", out_dir / "panel.dta"]
    with atomic_output(paths[0]) as handle:
        panel.to_csv(handle, index=False, lineterminator="\n")
    provenance = tables.provenance.fields()
    with atomic_output(paths[1], "wb") as handle:
        table = pa.Table.from_pandas(panel, preserve_index=False)
        metadata = table.schema.metadata | {b"policytag": json.dumps(provenance, ensure_ascii=False).encode()}
        pq.write_table(table.replace_schema_metadata(metadata), handle)
    with atomic_output(paths[2], "wb") as handle:
        _for_stata(panel).to_stata(handle, write_index=False, version=118,
                                   data_label=tables.provenance.one_line(),
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
        if table[column].dtype == object or pd.api.types.is_string_dtype(table[column]):
            table[column] = table[column].fillna("").astype(str)
    return table
