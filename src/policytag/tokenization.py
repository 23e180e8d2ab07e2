"""Word tokens for the model: jieba with the project's user dictionary of domain terms.

The dictionary keeps terms such as 超低排放 or 退城入园 whole, so the model can weigh them as units.
Two interchangeable backends cut the text: `jieba` (pure Python, always installed) and `rjieba` (the Rust port,
about twenty times faster; `pip install 'policytag[fast]'`). Both load the same dictionary and, after the
normalisation in `words`, give the same tokens (tests/test_tokenization.py checks this on the whole corpus).
rjieba is used when installed; POLICYTAG_TOKENIZER=jieba or =rjieba forces one.
"""

from __future__ import annotations

import codecs
import importlib.util
import logging
import os
import re
import threading
from functools import lru_cache
from pathlib import Path

import jieba

from .errors import PolicytagError
from .paths import labels_dir

jieba.setLogLevel(logging.WARNING)

BACKENDS = ("jieba", "rjieba")
_PUNCT_OR_SPACE = re.compile(r"^[\W_]+$")
_ASCII_PIECES = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?%?")
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


def default_backend() -> str:
    chosen = os.environ.get("POLICYTAG_TOKENIZER")
    if chosen:
        if chosen not in BACKENDS:
            raise PolicytagError(f"POLICYTAG_TOKENIZER must be one of {', '.join(BACKENDS)}, not {chosen!r}")
        return chosen
    return "rjieba" if importlib.util.find_spec("rjieba") else "jieba"


@lru_cache(maxsize=8)
def _tokenizer(userdict: Path, backend: str):
    if backend == "rjieba":
        import rjieba

        tokenizer = rjieba.Jieba()
    else:
        tokenizer = jieba.Tokenizer()
        with _lock:
            tokenizer.initialize()
    for term, frequency, tag in read_userdict(userdict):
        tokenizer.add_word(term, frequency, tag)
    return tokenizer


def load_tokenizer(userdict: str | Path | None = None, backend: str | None = None):
    """A cutter (`.cut(text)` → tokens) of the chosen backend with the user dictionary loaded."""
    return _tokenizer(Path(userdict or default_userdict()).resolve(), backend or default_backend())


def normalise_tokens(raw_tokens) -> tuple[str, ...]:
    """Punctuation dropped, Latin lower-cased and split at symbols, numbers folded to one token.

    Splitting Latin runs at symbols ("2024-03-18" → 2024 03 18) is also what makes the two backends agree:
    they differ only in whether such runs are kept whole.
    """
    tokens = []
    for token in raw_tokens:
        if not token.isascii():
            if token.isalnum():  # the common case, a Chinese word: keep as it is
                tokens.append(token)
            elif not _PUNCT_OR_SPACE.match(token):
                tokens.append(token.strip())
            continue
        for piece in _ASCII_PIECES.findall(token.lower()):
            tokens.append(NUMBER_TOKEN if _NUMBER.match(piece) else piece)
    return tuple(tokens)


@lru_cache(maxsize=1)
def _default_cut():
    return load_tokenizer().cut


@lru_cache(maxsize=16_384)  # covers a training corpus; bounded, so long runs do not grow
def words(text: str) -> tuple[str, ...]:
    """Word tokens of one sentence, from the default backend and dictionary."""
    return normalise_tokens(_default_cut()(text))


SENTENCE_BREAK = "\n"


def joined_raw_tokens(texts: list[str]) -> list[str]:
    """The tokenizer's raw tokens of every text from one call, consecutive texts separated by SENTENCE_BREAK.

    One call for a whole document instead of one per sentence: the tokenizers treat a line break as a
    boundary, so cutting the joined text gives each sentence's own tokens (tests/test_tokenization.py checks
    both backends on the corpus). Line breaks inside a text become spaces, which normalisation drops as it
    drops the line break. Normalising each raw token with `normalise_tokens` gives the texts' `words`.
    """
    if not texts:
        return []
    return list(_default_cut()(SENTENCE_BREAK.join(text.replace(SENTENCE_BREAK, " ") for text in texts)))
