"""Word tokens for the model: jieba with the project's user dictionary of domain terms.

The dictionary keeps terms such as 超低排放 or 退城入园 whole, so the model can weigh them as units.
"""

from __future__ import annotations

import codecs
import logging
import re
import threading
from functools import lru_cache
from pathlib import Path

import jieba

from .errors import PolicytagError
from .paths import labels_dir

jieba.setLogLevel(logging.WARNING)

_PUNCT_OR_SPACE = re.compile(r"^[\W_]+$")
_NUMBER = re.compile(r"^\d+(?:\.\d+)?%?$")
NUMBER_TOKEN = "<num>"
_lock = threading.Lock()


def default_userdict() -> Path:
    return labels_dir() / "userdict.txt"


def read_userdict(path: str | Path) -> list[tuple[str, int | None, str | None]]:
    """Parse a jieba user dictionary in UTF-8 (with or without BOM) or GBK, any line endings.

    Each line is `term [frequency] [part-of-speech]`; blank lines and `#` comments are skipped.
    A malformed line is an error naming the line, not a silently ignored entry.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PolicytagError(f"cannot read user dictionary: {exc.strerror}", path) from None
    text = _decode_dictionary(data, path)
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        fields = line.split()
        if len(fields) > 3:
            raise PolicytagError(f"expected 'term [frequency] [tag]', got {len(fields)} fields", path, number)
        frequency = None
        tag = None
        if len(fields) >= 2:
            if not fields[1].isdigit():
                raise PolicytagError(f"frequency {fields[1]!r} is not a whole number", path, number)
            frequency = int(fields[1])
        if len(fields) == 3:
            if not fields[2].isalpha():
                raise PolicytagError(f"part-of-speech tag {fields[2]!r} is not a word", path, number)
            tag = fields[2]
        entries.append((fields[0], frequency, tag))
    return entries


def _decode_dictionary(data: bytes, path: Path) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise PolicytagError("user dictionary is neither UTF-8 nor GBK", path)


@lru_cache(maxsize=4)
def _tokenizer(userdict: Path) -> jieba.Tokenizer:
    tokenizer = jieba.Tokenizer()
    with _lock:
        tokenizer.initialize()
        for term, frequency, tag in read_userdict(userdict):
            tokenizer.add_word(term, frequency, tag)
    return tokenizer


def load_tokenizer(userdict: str | Path | None = None) -> jieba.Tokenizer:
    return _tokenizer(Path(userdict or default_userdict()).resolve())


@lru_cache(maxsize=200_000)
def words(text: str) -> tuple[str, ...]:
    """Word tokens of one sentence: punctuation dropped, Latin lower-cased, numbers folded to one token."""
    tokens = []
    for token in load_tokenizer().cut(text):
        token = token.strip().lower()
        if not token or _PUNCT_OR_SPACE.match(token):
            continue
        tokens.append(NUMBER_TOKEN if _NUMBER.match(token) else token)
    return tuple(tokens)
