"""What every list parser returns, and the small text helpers they share."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ctscreen.errors import ListFormatError
from ctscreen.model import Entity

_WHITESPACE = re.compile(r"\s+")


@dataclass
class ParsedList:
    """The result of parsing one list file (or one set of files, like OFAC's sdn/alt/add/comments CSVs)."""

    source: str  # "un", "ofac-sdn", ...
    format: str  # the parser's format name, e.g. "un-xml"
    entities: list[Entity]
    files: list[Path]
    published: str | None = None  # the list's own publication date/time (ISO), where the file gives one
    warnings: list[str] = field(default_factory=list)


def clean(value: str | None) -> str | None:
    """Collapse whitespace and line breaks, strip; empty → None. Lists pad names and wrap them mid-word."""
    if value is None:
        return None
    value = _WHITESPACE.sub(" ", value).strip()
    return value or None


def read_text(path: Path, encodings: tuple[str, ...] = ("utf-8-sig",)) -> str:
    """Read a text list file, naming the file and the byte offset when the encoding is wrong."""
    data = path.read_bytes()
    if not data.strip():
        raise ListFormatError("file is empty", file=path)
    last_error: UnicodeDecodeError | None = None
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            last_error = exc
    assert last_error is not None
    line = data[: last_error.start].count(b"\n") + 1
    raise ListFormatError(
        f"not valid {encodings[0]} text (byte 0x{data[last_error.start]:02x} at offset {last_error.start})",
        file=path,
        line=line,
    )


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def looks_like_html(head: bytes) -> bool:
    sample = head[:2048].lstrip().lower()
    return sample.startswith((b"<!doctype html", b"<html")) or b"<html" in sample[:512]
