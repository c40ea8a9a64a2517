"""Data files read as text: one reader for every command, free of SymPy and NumPy so that a
command whose result is kept on disk can look it up without importing them."""

from __future__ import annotations

import sys
from typing import IO

from symmle.errors import DataError

MAX_FILE_BYTES = 256 * 2**20
"""The largest data file read (256 MiB, some ten million values): /dev/zero has no end."""


def read_text(path: str, stdin: IO[str] | None = None) -> str:
    """The text of a data file, one reader for every command: ``-`` reads ``stdin``; at most
    MAX_FILE_BYTES; UTF-8 with or without a byte-order mark."""
    if path == "-":
        text = (sys.stdin if stdin is None else stdin).read(MAX_FILE_BYTES + 1)
        return checked_size(text, path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
        return checked_size(raw.decode("utf-8-sig"), path)
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "not a UTF-8 text file"
        raise DataError(f"cannot read the data file {path!r}: {reason}.") from None


def checked_size(text: str, path: str) -> str:
    if len(text) > MAX_FILE_BYTES:
        raise DataError(f"the data file {path!r} is larger than {MAX_FILE_BYTES // 2**20} MiB.")
    return text.removeprefix("\ufeff")


def read_data_file(path: str, stdin: IO[str] | None = None) -> str:
    """The text of a file of values (one a line or comma-separated), refused when empty."""
    text = read_text(path, stdin)
    if not text.strip():
        raise DataError(f"the data file {path!r} holds no values.")
    return text.strip() + "\n"
