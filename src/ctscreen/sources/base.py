"""What every list parser returns, and the small text helpers they share."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ctscreen.errors import ListFormatError
from ctscreen.model import Entity

_WHITESPACE = re.compile(r"\s+")
_CNIC_DASHED = re.compile(r"\b\d{5}-\s?\d{7}-\d\b")
_CNIC_WITH_CHECK = re.compile(r"\b\d{13}-\d\b")


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


def is_cnic(number: str, country: str | None) -> bool:
    """A Pakistani 13-digit ID, written 35202-4135948-7, 35202- 4135948-7 or 6110111883885; also 13 digits
    plus a dashed check digit (QDi.263: 3520025509842-7). The country is sometimes only in the number text
    ('Pakistani national identification number 5420124679187'). 11-digit numbers are the older NIC."""
    if _CNIC_DASHED.search(number):
        return True  # the 5-7-1 dashed layout is NADRA's own, even where the list names no country (QDi.308)
    pakistani = "pakistan" in (country or "").lower() or "pakistan" in number.lower()
    if not pakistani:
        return False
    digits = sum(char.isdigit() for char in number)
    return digits == 13 or (digits == 14 and _CNIC_WITH_CHECK.search(number) is not None)
