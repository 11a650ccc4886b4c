"""One root exception; each subclass names what went wrong and where (file, line, record, field)."""

from __future__ import annotations

from pathlib import Path


class CTScreenError(Exception):
    """Base of every error ctscreen raises on purpose; the CLI prints these as one line, no traceback."""


class ListFormatError(CTScreenError):
    """A list file that cannot be read as the format it claims to be."""

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        record: str | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.record = record
        self.field = field
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}"
        parts = [where]
        if self.record:
            parts.append(f"record {self.record}")
        if self.field:
            parts.append(f"field {self.field}")
        return f"{': '.join(parts)}: {self.message}"


class UnknownFormatError(ListFormatError):
    """No parser recognises the file."""


class ImportRefused(CTScreenError):
    """A list that parsed but fails a safety check against the active version (e.g. it shrank by half)."""


class DownloadError(CTScreenError):
    """A download that failed, or served something that is not the list."""


class StoreError(CTScreenError):
    """The list store cannot do what was asked (unknown source or version, ...)."""
