"""Where and when a document is from: city (or province / 全国), year and title.

Each field is taken from the first source that has it: a row of the user's manifest (or the metadata columns
of a document table), then the file name, then the text's own header (title line, "××市人民政府", the
"——2024年3月5日在××市第…届人民代表大会" line). What none of them states stays unknown: never guessed.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from .clean import clean_text
from .errors import PolicytagError
from .gazetteer import LEVELS, Gazetteer, load_gazetteer
from .ingest import Document
from .textio import read_text

FIELDS = ("city", "year", "title")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_YEAR_IN_TITLE = re.compile(r"((?:19|20)\d{2})年度?")
_SPEECH_LINE = re.compile(r"^—*\s*((?:19|20)\d{2})年\d{1,2}月\d{1,2}日在(.{2,20}?)第.{1,4}届人民代表大会")
_DATE_LINE = re.compile(r"^—*\s*((?:19|20)\d{2})[年\-./]\d{1,2}[月\-./]\d{1,2}")
_GOVERNMENT = re.compile(r"([\u4e00-\u9fff]{2,12}?)人民政府")
_REPORT_TITLE = re.compile(r"([\u4e00-\u9fff]{2,24}?)(?:人民)?政府工作报告")
# An administrative unit as a report names itself: 江苏省, 昆山市, 恩施土家族苗族自治州, 苏州工业园区.
_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "省", "市", "县", "区", "州", "盟", "旗")
_UNIT = re.compile(r"[\u4e00-\u9fff]{2,}?(?:" + "|".join(_SUFFIXES) + ")")
_NAVIGATION = re.compile(r"^(?:您的位置|当前位置|首页|>|＞|当前位置：.*)")
_HEADER_LINES = 15
_TITLE_ZONE = 3
_LEAD_CHARS = 600
_HEAD_CHARS = 4000  # the header and opening lie well within this; no need to clean the whole text
_MAX_TITLE = 60


@dataclass(frozen=True)
class DocumentMeta:
    city: str | None = None
    province: str | None = None
    year: int | None = None
    title: str | None = None
    sources: dict = field(default_factory=dict)


def read_manifest(path: str | Path) -> dict[str, dict]:
    """Manifest CSV `file,city,year,title` (+ optional columns) → {file name: row}; validated line by line."""
    path = Path(path)
    rows = {}
    reader = csv.DictReader(io.StringIO(read_text(path)))
    if not reader.fieldnames or "file" not in reader.fieldnames:
        raise PolicytagError("manifest needs a 'file' column (and city, year, title)", path, 1)
    for number, row in enumerate(reader, start=2):
        name = (row.get("file") or "").strip()
        if not name:
            raise PolicytagError("empty 'file' value", path, number)
        if name in rows:
            raise PolicytagError(f"file {name!r} is listed twice", path, number)
        year = (row.get("year") or "").strip()
        if year and not _YEAR.fullmatch(year):
            raise PolicytagError(f"year {year!r} is not a four-digit year", path, number)
        rows[name] = {k: (v or "").strip() for k, v in row.items() if k}
    return rows


def from_fields(row: dict, gazetteer: Gazetteer | None = None) -> dict:
    """Metadata given explicitly (manifest row, table columns): city normalised through the gazetteer."""
    gazetteer = gazetteer or load_gazetteer()
    found = {}
    city = str(row.get("city") or "").strip()
    if city:
        place = gazetteer.lookup(city)
        found["city"] = place.name if place else city
        found["province"] = place.province if place else None
    year = str(row.get("year") or "").strip()
    if year and _YEAR.fullmatch(year.removesuffix(".0")):
        found["year"] = int(year.removesuffix(".0"))
    title = str(row.get("title") or "").strip()
    if title:
        found["title"] = title
    return found


def from_filename(name: str, gazetteer: Gazetteer | None = None) -> dict:
    """`2026_上海市_政府工作报告.txt`, `柳州_2023.docx`: a four-digit year and a place named in the stem."""
    gazetteer = gazetteer or load_gazetteer()
    stem = Path(name).stem
    found = {}
    year = _YEAR.search(stem)
    if year:
        found["year"] = int(year.group(1))
    place = _most_specific(gazetteer.mentions(stem))
    # a unit the gazetteer lacks, inside a place it holds (江苏省昆山市): the unit, not the place around it
    inner = [unit for unit in (_last_unit(part, gazetteer) for part in re.split(r"[\W_\d]+", stem))
             if unit and unit[1] is not None and gazetteer.lookup(unit[0]) is None]
    if inner:
        found["city"], found["province"] = inner[0]
    elif place:
        found["city"], found["province"] = place.name, place.province
    return found


def from_text(text: str, gazetteer: Gazetteer | None = None) -> dict:
    """The document's own header: title line, speech line, "××人民政府", then the opening paragraph."""
    gazetteer = gazetteer or load_gazetteer()
    lines = [line for line in clean_text(text[:_HEAD_CHARS]).split("\n") if line and not _NAVIGATION.match(line)]
    header = lines[:_HEADER_LINES]
    found = {}
    if header and len(header[0]) <= _MAX_TITLE:
        found["title"] = header[0]
        year = _YEAR_IN_TITLE.search(header[0])
        if year:
            found["year"] = int(year.group(1))
    for line in header:
        speech = _SPEECH_LINE.match(line)
        date = _DATE_LINE.match(line)
        if "year" not in found and (speech or date):
            found["year"] = int((speech or date).group(1))
    stated = _reporting_unit(header, gazetteer)
    if stated:
        found["city"], found["province"] = stated
        return found
    place = (
        _most_specific(gazetteer.mentions("\n".join(lines[:_TITLE_ZONE])))
        or _first_place(_header_phrases(header), gazetteer)
        or _lead_place(lines, text, gazetteer)
    )
    if place:
        found["city"], found["province"] = place.name, place.province
    return found


def _reporting_unit(header: list[str], gazetteer: Gazetteer) -> tuple[str, str | None] | None:
    """(city, province) of the government a report names as its own: in its title ("2024年昆山市政府工作报告") or
    its speech line ("在昆山市第十八届人民代表大会"); None if it names none.

    The last unit named is the reporting one ("江苏省昆山市" → 昆山市). One the gazetteer does not hold (a
    county-level city, a district, a city since renamed or merged) is taken by its own name, with the province
    only if the phrase names it: otherwise the fallbacks below would file it under its province or a city its
    opening mentions (昆山 under 苏州), where a panel would silently count it.
    """
    title = _YEAR_IN_TITLE.sub("", header[0]) if header else ""
    phrases = [m.group(1).removeprefix("关于") for m in _REPORT_TITLE.finditer(title)][:1]
    phrases += [speech.group(2) for speech in map(_SPEECH_LINE.match, header) if speech]
    return next(filter(None, (_last_unit(phrase, gazetteer) for phrase in phrases)), None)


def _last_unit(phrase: str, gazetteer: Gazetteer) -> tuple[str, str | None] | None:
    """(name, province) of the last administrative unit a phrase names, None if it names none.

    A place the gazetteer holds is taken as such (柳州, 广西柳州市 → 柳州市). A unit it lacks is taken by its own
    name: after a province the phrase names, with that province (江苏省昆山市 → 昆山市, 江苏省); after a city,
    together with the city's name (苏州工业园区, 江苏省); alone, with no province (襄樊市).
    """
    mentions = gazetteer.mentions(phrase)
    if not mentions:
        return (phrase, None) if _UNIT.fullmatch(phrase) else None
    last = mentions[-1]
    tail = phrase[last.end:]
    if not tail or tail in _SUFFIXES:
        return last.place.name, last.place.province
    if not _UNIT.fullmatch(tail):
        return None
    if last.place.level == "province":
        return tail, last.place.province
    return phrase[last.start:], last.place.province


def resolve(*sources: tuple[str, dict]) -> DocumentMeta:
    """Merge (source name, fields) pairs, earlier sources winning field by field."""
    merged: dict = {}
    origin: dict = {}
    for name, fields in sources:
        for key in FIELDS:
            if key not in merged and fields.get(key) is not None:
                merged[key] = fields[key]
                origin[key] = name
                if key == "city":
                    merged["province"] = fields.get("province")
    return DocumentMeta(
        city=merged.get("city"), province=merged.get("province"), year=merged.get("year"),
        title=merged.get("title"), sources=origin,
    )


def _most_specific(mentions) -> object | None:
    """The most local place named (a city over its province), the earliest among equals."""
    if not mentions:
        return None
    return max(mentions, key=lambda m: (LEVELS.index(m.place.level), -m.start)).place


def _header_phrases(header: list[str]) -> list[str]:
    phrases = []
    for line in header:
        speech = _SPEECH_LINE.match(line)
        if speech:
            phrases.append(speech.group(2))
        if "人民政府" in line:  # a plain substring test spares most lines the slow lazy-prefix search
            phrases.extend(m.group(1) for m in _GOVERNMENT.finditer(line))
    return phrases


def _first_place(phrases: list[str], gazetteer: Gazetteer):
    for phrase in phrases:
        place = _most_specific(gazetteer.mentions(phrase))
        if place:
            return place
    return None


def _lead_place(lines: list[str], text: str, gazetteer: Gazetteer):
    """Among places named in the opening, the one the whole document names most often."""
    lead = "\n".join(lines)[:_LEAD_CHARS]
    candidates = {m.place for m in gazetteer.mentions(lead)}
    if not candidates:
        return None
    counts = {place: 0 for place in candidates}
    for mention in gazetteer.mentions(text):
        if mention.place in counts:
            counts[mention.place] += 1
    return max(candidates, key=lambda p: (counts[p], LEVELS.index(p.level)))


def document_meta(document: Document, manifest: dict[str, dict]) -> DocumentMeta:
    """Manifest row first, then the table's own columns, then the file name, then the text."""
    name = Path(document.doc_id).name
    sources = [("manifest", from_fields(manifest.get(document.doc_id) or manifest.get(name) or {}))]
    if document.meta:
        sources.append(("table", from_fields(document.meta)))
    else:
        sources.append(("filename", from_filename(name)))
    sources.append(("text", from_text(document.text)))
    return resolve(*sources)
