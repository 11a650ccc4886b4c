"""Batch input: CSV with a header, JSON lines, or Parquet, read row by row.

`iter_rows(path)` checks that the file is a table it can read (and raises `BatchInputError`, naming the
file, when it is not) before it returns; the rows then stream, so a file of any size is read in constant
memory. A row that is malformed (wrong field count, bytes that are not UTF-8, a line that is not JSON, a
field that is not text) still comes out, with `error` set and its line number, so the caller can report
it and go on; a value the engine refuses (an empty name, a bad date) is found later, when it is screened.

Columns (CSV header names and JSON keys, case-insensitive): `id`, `name`, and optionally `type` (or
`schema`), `dob`, `country`, `gender`, `id_number`; other columns are ignored. Without an id the row's
line number (Parquet: its 1-based row number) is its id.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from ctscreen.errors import CTScreenError
from ctscreen.matching import Query

FORMATS = ("csv", "jsonl", "parquet")
SUFFIXES = {
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
}
QUERY_FIELDS = ("name", "type", "dob", "country", "gender", "id_number")
COLUMN_ALIASES = {"schema": "type"}
CSV_DELIMITERS = (",", ";", "\t", "|")
SNIFF_BYTES = 65536
PARQUET_BATCH_ROWS = 4096
_BOM = b"\xef\xbb\xbf"
# Bytes that never occur in a text table: C0 controls other than tab, newlines and form feed, and DEL.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])
_CONTROL_SHARE = 0.01


class BatchInputError(CTScreenError):
    """A batch input file that cannot be read as a table at all; the message names the file."""

    def __init__(self, path: str | Path, message: str) -> None:
        self.path = str(path)
        self.message = message
        super().__init__(f"{path}: {message}")


class Row(NamedTuple):
    """One input row: where it is, its id, the query fields as given, and what is wrong with it, if anything
    the reader can tell (`error`, without the position; `where` gives that)."""

    line: int
    id: Any
    name: str | None = None
    schema: str | None = None
    dob: str | None = None
    country: str | None = None
    gender: str | None = None
    id_number: str | None = None
    error: str | None = None
    unit: str = "line"  # "line" for text files, "row" for Parquet

    @property
    def where(self) -> str:
        return f"{self.unit} {self.line}"

    def query(self) -> Query:
        return Query(
            self.name or "",
            schema=self.schema,
            dob=self.dob,
            country=self.country,
            gender=self.gender,
            id_number=self.id_number,
        )


# -- the file as a whole ---------------------------------------------------------------------------------


def detect_format(path: str | Path) -> str:
    """ "csv", "jsonl" or "parquet", from the content first (Parquet's magic number, a leading `{`), then
    the extension. Raises `BatchInputError` for a file that is missing, empty, binary, compressed or
    UTF-16."""
    path = Path(path)
    head = _read_head(path)
    suffix = path.suffix.lower()
    if head.startswith(b"PAR1"):
        return "parquet"
    if SUFFIXES.get(suffix) == "parquet":
        raise BatchInputError(path, "not a Parquet file (it does not start with PAR1)")
    text = head.removeprefix(_BOM).strip()
    if not text:
        raise BatchInputError(path, "file is empty")
    _check_text(path, head)
    fmt = SUFFIXES.get(suffix) or ("jsonl" if text.startswith((b"{", b"[")) else "csv")
    if fmt == "jsonl" and text.startswith(b"["):
        raise BatchInputError(path, "a JSON array, not JSON lines: write one JSON object per line")
    return fmt


def iter_rows(path: str | Path) -> Iterator[Row]:
    """The rows of a batch input file, in file order. The file is checked before this returns (a
    `BatchInputError` for one that is not a table); the rows are read as they are consumed."""
    path = Path(path)
    fmt = detect_format(path)
    if fmt == "csv":
        delimiter, columns = _csv_header(path)
        return _csv_rows(path, delimiter, columns)
    if fmt == "jsonl":
        return _jsonl_rows(path)
    return _parquet_rows(path, _parquet_columns(path))


def estimate_rows(path: str | Path) -> int | None:
    """About how many rows `iter_rows` will give (exact for Parquet; lines for text, less a CSV header),
    for a progress bar; None when unknown."""
    path = Path(path)
    try:
        fmt = detect_format(path)
        if fmt == "parquet":
            pq = _pyarrow_parquet(path)
            with pq.ParquetFile(path) as parquet:
                return int(parquet.metadata.num_rows)
        lines, last = 0, b"\n"
        with path.open("rb") as handle:
            while block := handle.read(1 << 20):
                lines += block.count(b"\n")
                last = block[-1:]
        lines += last != b"\n"
        return max(lines - (fmt == "csv"), 0)
    except (OSError, BatchInputError):
        return None


def _read_head(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(SNIFF_BYTES)
    except FileNotFoundError:
        raise BatchInputError(path, "no such file") from None
    except IsADirectoryError:
        raise BatchInputError(path, "a directory, not a file") from None
    except OSError as exc:
        raise BatchInputError(path, f"cannot read: {exc.strerror or exc}") from None


def _check_text(path: Path, head: bytes) -> None:
    if head.startswith(b"\x1f\x8b"):
        raise BatchInputError(path, "gzip-compressed: decompress it first")
    if head.startswith(b"PK\x03\x04"):
        raise BatchInputError(path, "a ZIP archive (an Excel workbook?), not a table: save it as CSV (UTF-8)")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BatchInputError(path, "UTF-16 text: save it as UTF-8")
    if b"\x00" in head:
        raise BatchInputError(path, "binary data, not a CSV, JSON lines or Parquet table")
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if controls > max(2, _CONTROL_SHARE * len(head)):
        raise BatchInputError(path, "binary data, not a CSV, JSON lines or Parquet table")


@lru_cache(maxsize=1024)
def _column_key(name: str) -> str:
    key = re.sub(r"[\s\-]+", "_", name.replace("\ufeff", "").strip().lower())
    return COLUMN_ALIASES.get(key, key)


def _column_map(names: Iterable[Any]) -> dict[str, int]:
    """Field ("id" and the query fields) -> position of its first column."""
    found: dict[str, int] = {}
    for position, name in enumerate(names):
        key = _column_key(str(name))
        if key in ("id", *QUERY_FIELDS) and key not in found:
            found[key] = position
    return found


def _describe_columns(names: list[str]) -> str:
    shown = ", ".join(repr(n[:30]) for n in names[:10])
    return shown + (", ..." if len(names) > 10 else "")


# -- values ------------------------------------------------------------------------------------------------


def _undecodable(text: str) -> int | None:
    """The first byte that did not decode (read with errors="surrogateescape"), or None."""
    if text.isascii():
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        for char in text:
            if "\udc80" <= char <= "\udcff":
                return ord(char) - 0xDC00
    return None


def _repaired(text: str) -> str:
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _text(value: Any) -> str | None:
    """A query field's value as text; ValueError for one that is not a scalar."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        raise ValueError("expected text, got true/false")
    if isinstance(value, float) and not math.isfinite(value):
        return None  # NaN: a missing value (pandas writes one for an empty cell)
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ValueError(f"not UTF-8 text (byte 0x{value[exc.start]:02x})") from None
    raise ValueError(f"expected text, got {_type_name(value)}")


def _type_name(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list | tuple):
        return "a list"
    return type(value).__name__


def _id(value: Any, line: int) -> Any:
    """The id as given (a JSON string or number stays one); the line number when missing or blank."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return line
    if isinstance(value, float) and not math.isfinite(value):
        return line
    if isinstance(value, str | int | float):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value if isinstance(value, list | dict) else str(value)


def _record_row(record: dict[str, Any], line: int, unit: str) -> Row:
    """A row from a mapping of field -> value (a JSON object, a Parquet row)."""
    row_id = _id(record.get("id"), line)
    if "name" not in record:
        return Row(line, row_id, error="name: missing", unit=unit)
    values: list[str | None] = []
    for field in QUERY_FIELDS:
        try:
            values.append(_text(record.get(field)) or None)
        except ValueError as exc:
            return Row(line, row_id, error=f"{field}: {exc}", unit=unit)
    return Row(line, row_id, *values, unit=unit)


# -- CSV -------------------------------------------------------------------------------------------------


def _open_csv(path: Path):  # type: ignore[no-untyped-def]
    # surrogateescape: a row with bytes that are not UTF-8 is read, and reported, instead of ending the file
    return path.open("r", encoding="utf-8-sig", errors="surrogateescape", newline="")


def _csv_header(path: Path) -> tuple[str, dict[str, int]]:
    """The delimiter (the first of , ; tab | that gives a `name` column) and the column map."""
    with _open_csv(path) as handle:
        first = next((line for line in handle if line.strip()), "")
    first = first.rstrip("\r\n")
    for delimiter in CSV_DELIMITERS:
        names = next(csv.reader([first], delimiter=delimiter), [])
        columns = _column_map(names)
        if "name" in columns:
            return delimiter, columns
    names = next(csv.reader([first]), [])
    raise BatchInputError(
        path,
        "not a batch table: the first line should be a CSV header with a 'name' column "
        f"(found {_describe_columns([_repaired(n) for n in names])})",
    )


def _tap(lines: Iterable[str], taken: list[str]) -> Iterator[str]:
    """The lines, each also kept in `taken` (cleared by the caller after each row), so a row that swallowed
    the lines after it through an unbalanced quote can be read again line by line."""
    for line in lines:
        taken.append(line)
        yield line


def _csv_rows(path: Path, delimiter: str, columns: dict[str, int]) -> Iterator[Row]:
    with _open_csv(path) as handle:
        taken: list[str] = []
        reader = csv.reader(_tap(handle, taken), delimiter=delimiter)
        width = 0
        for header in reader:
            if not _blank(header):
                width = len(header)
                break
        end = reader.line_num
        while True:
            taken.clear()
            start = end + 1
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                end = reader.line_num
                yield Row(start, start, error=f"not a CSV row: {exc}")
                continue
            end = reader.line_num
            if _blank(fields):
                continue  # an empty line, or one of empty fields (",,,", as spreadsheets export them)
            if end > start and _swallowed(fields, width, columns):
                yield from _reread(list(taken), start, delimiter, width, columns)
            else:
                yield _csv_row(fields, start, width, columns)


def _blank(fields: list[str]) -> bool:
    return not any(field.strip() for field in fields)


def _swallowed(fields: list[str], width: int, columns: dict[str, int]) -> bool:
    """A record over several lines whose field count is wrong, or whose id or query fields hold a line
    break: an unbalanced quote, not a quoted multi-line address."""
    if len(fields) != width:
        return True
    return any(position < len(fields) and "\n" in fields[position] for position in columns.values())


def _reread(
    lines: list[str], start: int, delimiter: str, width: int, columns: dict[str, int]
) -> Iterator[Row]:
    for offset, raw in enumerate(lines):
        line = start + offset
        text = raw.rstrip("\r\n")
        try:
            fields = next(csv.reader([text], delimiter=delimiter), [])
        except csv.Error as exc:
            yield Row(line, line, error=f"not a CSV row: {exc}")
            continue
        if _blank(fields):
            continue
        row = _csv_row(fields, line, width, columns)
        if text.count('"') % 2 and row.error is None:
            row = row._replace(error='unbalanced quote (")')
        yield row


def _csv_row(fields: list[str], line: int, width: int, columns: dict[str, int]) -> Row:
    count = len(fields)
    position = columns.get("id")
    raw_id = fields[position] if position is not None and position < count else None
    if raw_id is not None and _undecodable(raw_id) is not None:
        return Row(line, _id(_repaired(raw_id), line), error=_encoding_error("id", raw_id))
    row_id = _id(raw_id, line)
    if count != width:
        return Row(line, row_id, error=f"{count} field{'' if count == 1 else 's'}, the header has {width}")
    values: list[str | None] = []
    for field in QUERY_FIELDS:
        position = columns.get(field)
        value = fields[position] if position is not None else None
        if value is not None and _undecodable(value) is not None:
            return Row(line, row_id, error=_encoding_error(field, value))
        values.append(value or None)
    return Row(line, row_id, *values)


def _encoding_error(field: str, value: str) -> str:
    byte = _undecodable(value)
    return f"{field}: not UTF-8 text (byte 0x{byte:02x}); save the file as UTF-8"


# -- JSON lines --------------------------------------------------------------------------------------------


def _jsonl_rows(path: Path) -> Iterator[Row]:
    with path.open("rb") as handle:
        for line, raw in enumerate(handle, 1):
            if line == 1:
                raw = raw.removeprefix(_BOM)
            if not raw.strip():
                continue
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                message = f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at column {exc.start + 1})"
                yield Row(line, _salvaged_id(raw, line), error=message)
                continue
            try:
                record = json.loads(text)
            except json.JSONDecodeError as exc:
                yield Row(line, line, error=f"not valid JSON: {exc.msg} at column {exc.colno}")
                continue
            except RecursionError:
                yield Row(line, line, error="not valid JSON: nested too deeply")
                continue
            if not isinstance(record, dict):
                yield Row(line, line, error=f"not a JSON object but {_type_name(record)}")
                continue
            yield _record_row({_column_key(k): v for k, v in record.items()}, line, "line")


def _salvaged_id(raw: bytes, line: int) -> Any:
    """The id of a line that is not UTF-8, where the rest of it still parses, for the error row."""
    try:
        record = json.loads(raw.decode("utf-8", "replace"))
    except (ValueError, RecursionError):
        return line
    if not isinstance(record, dict):
        return line
    keyed = {_column_key(k): v for k, v in record.items()}
    return _id(keyed.get("id"), line)


# -- Parquet -------------------------------------------------------------------------------------------------


def _pyarrow_parquet(path: Path):  # type: ignore[no-untyped-def]
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise BatchInputError(path, "reading Parquet needs pyarrow: pip install pyarrow") from None
    return pq


def _parquet_columns(path: Path) -> dict[str, str]:
    """Field -> the Parquet column that holds it."""
    pq = _pyarrow_parquet(path)
    try:
        with pq.ParquetFile(path) as parquet:
            names = list(parquet.schema_arrow.names)
    except Exception as exc:  # pyarrow raises ArrowInvalid, OSError, ... for a damaged file
        raise BatchInputError(path, f"not a readable Parquet file: {exc}") from None
    columns = {field: names[position] for field, position in _column_map(names).items()}
    if "name" not in columns:
        raise BatchInputError(path, f"no 'name' column (found {_describe_columns(names)})")
    return columns


def _parquet_rows(path: Path, columns: dict[str, str]) -> Iterator[Row]:
    pq = _pyarrow_parquet(path)
    fields = list(columns)
    line = 0
    with pq.ParquetFile(path) as parquet:
        batches = parquet.iter_batches(batch_size=PARQUET_BATCH_ROWS, columns=list(columns.values()))
        while True:
            try:
                batch = next(batches)
            except StopIteration:
                return
            except Exception as exc:  # a damaged page: the rest of the file cannot be read
                raise BatchInputError(path, f"row {line + 1} and after: cannot read: {exc}") from None
            values = [batch.column(i).to_pylist() for i in range(batch.num_columns)]
            for record in zip(*values, strict=True):
                line += 1
                yield _record_row(dict(zip(fields, record, strict=True)), line, "row")
