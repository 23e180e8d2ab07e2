"""Read user documents (txt, md, docx, pdf, html) into plain text, one Document per file.

Format quirks are handled here so that the rest of the pipeline sees text only: Word tables, PDF line
wrapping, HTML scripts and navigation, and legacy encodings.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import PolicytagError
from .textio import decode_bytes, json_lines, read_text

SUPPORTED_SUFFIXES = (".txt", ".md", ".docx", ".pdf", ".html", ".htm")
# Document formats common in Chinese government archives that policytag does not read. In a folder they are
# reported as skipped with what to convert them to, never passed over in silence: a missing year of reports
# would bias a panel without anyone noticing.
CONVERT_FIRST = {
    ".doc": "Word 97-2003 file: save it as .docx",
    ".wps": "WPS file: save it as .docx",
    ".rtf": "save it as .docx",
    ".odt": "save it as .docx",
    ".ofd": "OFD file: export it as .pdf",
    ".caj": "CAJ file: export it as .pdf",
}
TABLE_SUFFIXES = (".csv", ".jsonl", ".parquet")
TEXT_COLUMNS = ("text", "content")


@dataclass(frozen=True)
class Document:
    doc_id: str
    text: str
    path: str | None = None
    meta: dict = field(default_factory=dict)


def read_document(path: str | Path, doc_id: str | None = None) -> Document:
    path = Path(path)
    suffix = path.suffix.lower()
    readers = {
        ".txt": read_text,
        ".md": read_text,
        ".docx": _read_docx,
        ".pdf": _read_pdf,
        ".html": _read_html,
        ".htm": _read_html,
    }
    if suffix in CONVERT_FIRST:
        raise PolicytagError(f"cannot read {suffix} ({CONVERT_FIRST[suffix]})", path)
    if suffix not in readers:
        expected = ", ".join(SUPPORTED_SUFFIXES)
        raise PolicytagError(f"unsupported file type {suffix or '(none)'}; expected one of {expected}", path)
    text = readers[suffix](path)
    if not text.strip():
        hint = " (a scanned PDF has no text layer: run OCR on it first)" if suffix == ".pdf" else ""
        raise PolicytagError(f"document has no text{hint}", path)
    return Document(doc_id or path.name, text, str(path))


def find_documents(inputs: Iterable[str | Path]) -> Iterator[tuple[Path, str]]:
    """Expand files and folders into (path, doc_id) pairs; in a folder, only visible files that are supported
    or in a format to convert first (those are then reported as skipped).

    A document's id is its path relative to the folder it was found in, so ids stay unique and readable.
    Document tables (.csv, .jsonl, .parquet) are taken only when named, never from a folder, where a CSV is
    more likely a manifest.
    """
    for item in inputs:
        item = Path(item)
        if item.is_dir():
            for path in sorted(item.rglob("*")):
                relative = path.relative_to(item)
                if (
                    path.is_file()
                    and (path.suffix.lower() in SUPPORTED_SUFFIXES or path.suffix.lower() in CONVERT_FIRST)
                    and not any(part.startswith(".") for part in relative.parts)
                ):
                    yield path, relative.as_posix()
        elif item.is_file():
            yield item, item.name
        else:
            raise PolicytagError("no such file or folder", item)


@dataclass(frozen=True)
class DocumentFile:
    """A document file not read yet: a path is cheap to hand to a worker process, and parsing a PDF or Word
    file is often the slowest step, so whoever tags the document reads it."""

    path: Path
    doc_id: str


def iter_sources(inputs: Iterable[str | Path]) -> Iterator[DocumentFile | Document | PolicytagError]:
    """Every document of the inputs, in order: files as DocumentFile, table rows as Documents (a table is read
    here, row by row), and an unreadable table or row as its error, not raised."""
    for path, doc_id in find_documents(inputs):
        if path.suffix.lower() not in TABLE_SUFFIXES:
            yield DocumentFile(path, doc_id)
            continue
        try:
            yield from read_table_documents(path)
        except PolicytagError as exc:
            yield exc


def load_source(source: DocumentFile | Document | PolicytagError) -> Document | PolicytagError:
    """The Document of one source of `iter_sources`, or the error that stops it from being read."""
    if isinstance(source, DocumentFile):
        try:
            return read_document(source.path, source.doc_id)
        except PolicytagError as exc:
            return exc
    return source


def read_table_documents(path: str | Path) -> Iterator[Document | PolicytagError]:
    """Documents from a table with one document per row: a `text` (or `content`) column and metadata columns.

    Rows become Documents whose `meta` holds the other columns (city, year, title …); a row without text is
    yielded as a PolicytagError naming the file and row, so a batch can report it and go on.
    """
    import pandas as pd

    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix == ".jsonl":
            table = pd.DataFrame(row for _, row in json_lines(path))
        elif suffix == ".csv":
            table = pd.read_csv(io.StringIO(read_text(path)), dtype=str, keep_default_na=False)
        else:
            table = pd.read_parquet(path)
    except PolicytagError:
        raise
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        raise PolicytagError(f"not a readable {suffix} table ({type(exc).__name__})", path) from None
    column = next((c for c in TEXT_COLUMNS if c in table.columns), None)
    if column is None:
        raise PolicytagError(f"table has no text column (expected one of: {', '.join(TEXT_COLUMNS)})", path)
    id_column = next((c for c in ("doc_id", "id") if c in table.columns), None)
    for position, row in enumerate(table.to_dict("records"), start=1):
        doc_id = f"{path.name}#{row[id_column] if id_column else position}"
        text = row[column]
        if not isinstance(text, str) or not text.strip():
            yield PolicytagError(f"row {position} has no text", path, position if suffix == ".jsonl" else None)
            continue
        meta = {k: v for k, v in row.items() if k != column}
        yield Document(doc_id, text, str(path), meta)


def _read_docx(path: Path) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise PolicytagError(f"not a readable .docx file ({type(exc).__name__})", path) from None
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return "\n".join(lines)


_BLANK_LINES = re.compile(r"\n\s*\n")


def _read_pdf(path: Path) -> str:
    """Text of a PDF, with the layout's line wraps undone inside each text block.

    pdfminer separates text blocks (paragraphs, headings) by blank lines; inside a block a line break
    is only where the line ran out of width, so joining those lines restores whole sentences.
    """
    from pdfminer.high_level import extract_text
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        raw = extract_text(str(path))
    except (PDFSyntaxError, ValueError, TypeError, KeyError, AssertionError) as exc:
        raise PolicytagError(f"not a readable PDF ({type(exc).__name__})", path) from None
    except Exception as exc:  # pdfminer raises many private exception types on damaged files
        if exc.__class__.__module__.startswith("pdfminer"):
            raise PolicytagError(f"not a readable PDF ({type(exc).__name__})", path) from None
        raise
    blocks = _BLANK_LINES.split(raw.replace("\x0c", "\n\n"))
    return "\n".join("".join(line.strip() for line in block.splitlines()) for block in blocks)


_NON_CONTENT_TAGS = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "button")
_BLOCK_TAGS = (
    "p", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
    "section", "article", "blockquote", "pre", "dt", "dd", "caption", "title",
)


def _read_html(path: Path) -> str:
    from bs4 import BeautifulSoup

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PolicytagError(f"cannot read: {exc.strerror}", path) from None
    soup = BeautifulSoup(decode_bytes(data, path), "lxml")
    for tag in soup(_NON_CONTENT_TAGS):
        tag.decompose()
    root = soup.body or soup
    # Inline tags (a, span, strong) stay inside their sentence; block tags and <br> end a line.
    for br in root.find_all("br"):
        br.replace_with("\n")
    for block in root.find_all(_BLOCK_TAGS):
        block.append("\n")
    return root.get_text("")
