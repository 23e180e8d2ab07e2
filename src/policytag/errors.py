"""One error type for everything a user hands us, so the CLI can print it as a single line."""

from __future__ import annotations

from pathlib import Path


class PolicytagError(Exception):
    """Bad user input (document, corpus, manifest, model, dictionary), located by file and line."""

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def __reduce__(self):
        # so that an error raised in a worker process reaches the parent with its file and line
        return type(self), (self.message, self.path, self.line)

    def __str__(self) -> str:
        where = self.path or ""
        if self.path and self.line is not None:
            where += f":{self.line}"
        return f"{where}: {self.message}" if where else self.message
