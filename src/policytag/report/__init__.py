"""Writers for the coverage report: tidy panel files, an Excel workbook, an HTML page and a Markdown summary.

Each writer takes the tables built by `policytag.aggregate` and writes its file atomically.
"""

from dataclasses import dataclass

import pandas as pd

from ..aggregate import GROUPINGS, place_column, unknown_fields
from ..provenance import Provenance
from ..taxonomy import Taxonomy

SATURATION_SHARE = 0.25


def shade(share: float) -> str:
    """Heatmap colour (hex RRGGBB) of a share: white at 0, deep green from SATURATION_SHARE up."""
    strength = min(1.0, max(0.0, float(share)) / SATURATION_SHARE)
    red_blue = round(255 - strength * 200)
    green = round(255 - strength * 90)
    return f"{red_blue:02X}{green:02X}{red_blue:02X}"


@dataclass(frozen=True)
class ReportTables:
    """Everything a writer may need, computed once."""

    taxonomy: Taxonomy
    by: str
    panel: pd.DataFrame
    documents: pd.DataFrame
    evidence: pd.DataFrame
    profile: pd.DataFrame
    provenance: Provenance

    @property
    def group_header(self) -> str:
        return {"document": "文档 document", "city-year": "城市-年份 city-year", "province": "省份 province",
                "province-year": "省份-年份 province-year"}.get(self.by, "城市 city")

    def unknown_documents(self) -> list[tuple[str, list[str]]]:
        """(doc_id, what it lacks for the grouping: aggregate.unknown_fields) for each document that lacks any."""
        unknown = []
        for _, document in self.documents.iterrows():
            missing = unknown_fields(self.by, document["city"], document["province"], document["year"])
            if missing:
                unknown.append((document["doc_id"], missing))
        return unknown

    def group_label(self, row) -> str:
        """How a group is named in tables and pages: 柳州市, 柳州市 2023, 广西壮族自治区, or a document id."""
        if self.by == "document":
            return str(row["doc_id"])
        place = row[place_column(self.by)]
        if "year" in GROUPINGS[self.by]:
            return f"{place} {row['year'] if pd.notna(row['year']) else '(year unknown)'}"
        return str(place)

    def share_matrix(self) -> pd.DataFrame:
        """Groups × labels, the share of sentences; columns in taxonomy order."""
        table = self.panel.assign(group=self.panel.apply(self.group_label, axis=1))
        matrix = table.pivot_table(index="group", columns="label", values="share", sort=False, aggfunc="first")
        return matrix.reindex(columns=self.taxonomy.ids)
