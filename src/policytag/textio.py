"""Decoding user text files whatever their encoding, and writing outputs atomically."""

from __future__ import annotations

import codecs
import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from charset_normalizer import from_bytes

from .errors import PolicytagError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)


def decode_bytes(data: bytes, path: str | Path) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030/GBK; reject binary.

    UTF-8 is tried strictly first because it is self-validating; GB18030 (a superset of GBK and GB2312)
    next, because nearly any byte string is "valid" in some legacy code page and Chinese reports that are
    not UTF-8 are GBK in practice. charset-normalizer decides only what neither explains (e.g. Big5).
    """
    for bom, encoding, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise PolicytagError(f"starts with a {name} byte-order mark but is not valid {name} "
                                     f"(byte {exc.start})", path) from None
    if b"\x00" in data[:4096]:
        # Text never contains NUL bytes except as UTF-16 without a BOM; anything else is binary.
        for encoding in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if "\x00" not in text and _mostly_cjk_or_ascii(text):
                return text
        raise PolicytagError("binary file, not text", path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
        if _mostly_cjk_or_ascii(text):
            return text
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise PolicytagError("cannot detect the text encoding (not UTF-8, UTF-16 or GBK)", path)
    return str(best)


def _mostly_cjk_or_ascii(text: str) -> bool:
    if not text:
        return True
    plain = sum(
        1
        for ch in text
        if (ch.isascii() and (ch.isprintable() or ch in "\n\r\t"))
        or "\u3000" <= ch <= "\u9fff"
        or "\uff00" <= ch <= "\uffef"
    )
    return plain / len(text) > 0.9


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def read_text(path: str | Path) -> str:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PolicytagError(f"cannot read: {exc.strerror}", path) from None
    return decode_bytes(data, path)


def json_lines(path: str | Path) -> Iterator[tuple[int, dict]]:
    """(line number, object) for each non-blank line of a JSON Lines file; a bad line is an error naming it."""
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise PolicytagError(f"invalid JSON ({exc.msg})", path, number) from None
        if not isinstance(obj, dict):
            raise PolicytagError("expected a JSON object", path, number)
        yield number, obj


@contextlib.contextmanager
def atomic_output(path: str | Path, mode: str = "w") -> Iterator[IO]:
    """Write to a temporary file beside `path` and rename it into place only on success.

    A crash, an error or Ctrl-C leaves the previous file (or none), never a half-written one.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.chmod(tmp_name, 0o666 & ~_umask())  # mkstemp makes 0600; outputs get the user's usual mode
    try:
        with os.fdopen(fd, mode, encoding=None if "b" in mode else "utf-8") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
