"""OFAC legacy CSV set ("ofac-csv"): sdn.csv (SDN list) or cons_prim.csv (consolidated non-SDN list).

Published by the US Treasury's Office of Foreign Assets Control (Sanctions List Service downloads SDN.CSV,
ALT.CSV, ADD.CSV, SDN_COMMENTS.CSV, CONS_PRIM.CSV ...). The primary file has no header and 12 quoted columns:
ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner,
Remarks. `-0-` (often `-0- `) is null, lines end CRLF and the file ends with a 0x1A line. SDN_Type is
individual / vessel / aircraft, and null for organisations; several programmes are packed as `FTO] [SDGT`.
Companion files beside it are read automatically: alt.csv (ent_num, alt_num, aka|fka|nka, name, remarks),
add.csv (ent_num, add_num, address, city/state/postal, country, remarks) and sdn_comments.csv (ent_num, the
rest of a Remarks cut at OFAC's length limit); the consolidated set names them cons_alt / cons_add /
cons_comments. Remarks are read by `ofac_remarks`; the raw text is always kept in the listing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from ctscreen.errors import ListFormatError
from ctscreen.model import Address, Entity, Listing, Name, NameKind, Schema
from ctscreen.sources.base import ParsedList, clean, looks_like_html, read_text
from ctscreen.sources.ofac_remarks import parse_remarks, split_person_name

FORMAT = "ofac-csv"
PRIMARY_COLUMNS = 12
PRIMARY_NAMES = ("sdn.csv", "cons_prim.csv")
# role -> (file name in the SDN set, file name in the consolidated set, column count)
COMPANIONS: dict[str, tuple[str, str, int]] = {
    "alt": ("alt.csv", "cons_alt.csv", 5),
    "add": ("add.csv", "cons_add.csv", 6),
    "comments": ("sdn_comments.csv", "cons_comments.csv", 2),
}
_ROLE_BY_NAME = {name: role for role, names in COMPANIONS.items() for name in names[:2]}
_SCHEMAS = {"individual": Schema.PERSON, "vessel": Schema.VESSEL, "aircraft": Schema.AIRCRAFT}
_ALT_KINDS = {
    "aka": (NameKind.ALIAS, None),
    "fka": (NameKind.FORMER, None),
    "nka": (NameKind.ALIAS, "n.k.a."),
}
_VESSEL_FIELDS = (
    "call_sign",
    "vessel_type",
    "tonnage",
    "gross_registered_tonnage",
    "vessel_flag",
    "vessel_owner",
)
_NULL = "-0-"
T = TypeVar("T")
_EOF = "\x1a"  # DOS end-of-file marker OFAC still appends


@dataclass
class _Record:
    """One primary row while its companions are being attached."""

    ent_num: str
    line: int
    row: list[str]
    names: list[Name] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    remarks_tail: str = ""


def sniff(path: Path, head: bytes) -> str | None:
    """Claim a primary file by content (a 12-column row with a numeric ent_num); a file carrying the primary's
    name that is an HTML page or UTF-16 is claimed too, so that parsing says what is wrong with it."""
    row = _first_row(head)
    if row is not None and len(row) == PRIMARY_COLUMNS and row[0].strip().isdigit():
        return FORMAT
    if path.name.lower() in PRIMARY_NAMES and (looks_like_html(head) or _is_utf16(head)):
        return FORMAT
    return None


def is_companion(path: Path) -> bool:
    """alt / add / comments files, recognised by name and by the column count of their first row."""
    role = _ROLE_BY_NAME.get(path.name.lower())
    if role is None or not path.is_file():
        return False
    try:
        with path.open("rb") as handle:
            head = handle.read(65536)
    except OSError:
        return False
    row = _first_row(head)
    return row is not None and len(row) == COMPANIONS[role][2] and row[0].strip().isdigit()


def companions(path: Path) -> list[Path]:
    """The companion files present beside primary file `path` (matched case-insensitively)."""
    found = _find_companions(path)
    return [found[role] for role in COMPANIONS if role in found]


def parse(paths: list[Path], *, format: str = FORMAT, source: str | None = None) -> ParsedList:
    primary, given = _split_paths(paths)
    warnings: list[str] = []
    records = _read_primary(primary)
    found = _find_companions(primary)
    found.update(given)
    missing = [_companion_name(primary, role) for role in COMPANIONS if role not in found]
    if missing:
        warnings.append(
            f"{primary}: companion file(s) not found beside it: {', '.join(missing)}; "
            "aliases, addresses or remark continuations from them are missing"
        )
    files = [primary]
    for role in COMPANIONS:
        if role in found:
            files.append(found[role])
            _read_companion(found[role], role, records, warnings)
    source = source or ("ofac-cons" if "cons" in primary.name.lower() else "ofac-sdn")
    entities = [_entity(record, source) for record in records.values()]
    return ParsedList(source=source, format=format, entities=entities, files=files, warnings=warnings)


def _split_paths(paths: list[Path]) -> tuple[Path, dict[str, Path]]:
    """The one primary file, and any companion files passed explicitly (by role)."""
    if not paths:
        raise ListFormatError("no file given")
    primaries: list[Path] = []
    given: dict[str, Path] = {}
    for path in paths:
        role = _ROLE_BY_NAME.get(path.name.lower())
        if role is not None and len(paths) > 1:
            given[role] = path
        else:
            primaries.append(path)
    if len(primaries) != 1:
        names = ", ".join(str(p) for p in primaries) or "none"
        raise ListFormatError(f"expected one primary file (sdn.csv or cons_prim.csv), got: {names}")
    return primaries[0], given


def _find_companions(primary: Path) -> dict[str, Path]:
    try:
        beside = {p.name.lower(): p for p in primary.parent.iterdir() if p.is_file()}
    except OSError:
        return {}
    found = {}
    for role in COMPANIONS:
        candidate = beside.get(_companion_name(primary, role))
        if candidate is not None:
            found[role] = candidate
    return found


def _companion_name(primary: Path, role: str) -> str:
    sdn_name, cons_name, _ = COMPANIONS[role]
    return cons_name if primary.name.lower().startswith("cons") else sdn_name


def _read_primary(path: Path) -> dict[str, _Record]:
    records: dict[str, _Record] = {}
    for line, row in _rows(path, PRIMARY_COLUMNS):
        ent_num = row[0].strip()
        if ent_num in records:
            raise ListFormatError(
                f"ent_num {ent_num} appears twice (first on line {records[ent_num].line})",
                file=path,
                line=line,
                record=f"ent_num {ent_num}",
            )
        records[ent_num] = _Record(ent_num=ent_num, line=line, row=row)
    if not records:
        raise ListFormatError("no rows in file", file=path)
    return records


def _read_companion(path: Path, role: str, records: dict[str, _Record], warnings: list[str]) -> None:
    columns = COMPANIONS[role][2]
    try:
        text = _decode(path)
    except ListFormatError as exc:
        if exc.message == "file is empty":
            warnings.append(f"{path}: companion file is empty")
            return
        raise
    for line, row in _rows(path, columns, text=text):
        ent_num = row[0].strip()
        record = records.get(ent_num)
        if record is None:
            warnings.append(f"{path}:{line}: ent_num {ent_num} is not in the primary file; row ignored")
            continue
        if role == "alt":
            name = _alias(row, individual=record.row[2].strip().lower() == "individual")
            if name is None:
                warnings.append(f"{path}:{line}: ent_num {ent_num}: alias row without a name; ignored")
            else:
                record.names.append(name)
        elif role == "add":
            address = _address(row)
            if address is not None:  # OFAC writes an all-null row for "no address known"
                record.addresses.append(address)
        else:
            # The primary Remarks was cut at a fixed length, mid-word: the continuation joins without a space.
            # Neither side is stripped: the cut can fall just before or after a space ("...; Government" +
            # " Gazette Number ...").
            record.remarks_tail += row[1] if row[1].strip() != _NULL else ""


def _alias(row: list[str], *, individual: bool) -> Name | None:
    full = _value(row[3])
    if full is None:
        return None
    alt_type = (_value(row[2]) or "aka").lower()
    kind, note = _ALT_KINDS.get(alt_type, (NameKind.ALIAS, alt_type))
    remarks = _value(row[4])
    if remarks:
        note = f"{note}; {remarks}" if note else remarks
    family, given = split_person_name(full) if individual else (None, None)
    return Name(full=full, kind=kind, given=given, family=family, note=note)


def _address(row: list[str]) -> Address | None:
    street, city, country, note = _value(row[2]), _value(row[3]), _value(row[4]), _value(row[5])
    parts = [p for p in (street, city, country) if p]
    if not parts:
        return None
    # The second column packs city, state/province and postal code ("London EC3N 1DY"); kept whole as city.
    return Address(text=", ".join(parts), street=street, city=city, country=country, note=note)


def _entity(record: _Record, source: str) -> Entity:
    row = record.row
    raw_type = _value(row[2])
    schema = _SCHEMAS.get(raw_type.lower(), Schema.ORGANIZATION) if raw_type else Schema.ORGANIZATION
    individual = schema is Schema.PERSON
    full = _value(row[1]) or ""
    family, given = split_person_name(full) if individual else (None, None)
    names = [Name(full=full, kind=NameKind.PRIMARY, given=given, family=family), *record.names]
    remarks_text = clean((row[11] if row[11].strip() != _NULL else "") + record.remarks_tail)
    remarks = parse_remarks(remarks_text, individual=individual)
    seen = {n.full for n in names}
    for weak in remarks.names:
        if weak.full not in seen:
            seen.add(weak.full)
            names.append(weak)
    extra = [
        (key, value) for key, raw in zip(_VESSEL_FIELDS, row[5:11], strict=True) if (value := _value(raw))
    ]
    extra.extend(remarks.extra)
    title = _value(row[4])
    return Entity(
        schema=schema,
        names=tuple(names),
        listing=Listing(
            source=source,
            reference=record.ent_num,
            programmes=_programmes(row[3]),
            remarks=remarks_text,
        ),
        gender=remarks.gender,
        birth_dates=_unique(remarks.birth_dates),
        birth_places=_unique(remarks.birth_places),
        nationalities=_unique(remarks.nationalities),
        citizenships=_unique(remarks.citizenships),
        identifiers=_unique(remarks.identifiers),
        addresses=tuple(record.addresses),
        titles=(title,) if title else (),
        linked_to=_unique(remarks.linked_to),
        extra=_unique(extra),
    )


def _programmes(value: str) -> tuple[str, ...]:
    text = _value(value)
    if not text:
        return ()
    parts = (clean(p.strip("[] ")) for p in text.split("] ["))
    return tuple(p for p in parts if p)


def _rows(path: Path, columns: int, *, text: str | None = None) -> Iterator[tuple[int, list[str]]]:
    """Rows of a header-less OFAC CSV as (line number, cells), checking the column count and ent_num."""
    if text is None:
        text = _decode(path)
    reader = csv.reader(io.StringIO(text.rstrip("\r\n" + _EOF), newline=""), strict=True)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ListFormatError(f"malformed CSV: {exc}", file=path, line=reader.line_num) from None
        if not row or row == [_EOF] or (len(row) == 1 and not row[0].strip()):
            continue
        line = reader.line_num
        first = row[0].strip()
        record = f"ent_num {first}" if first else None
        if len(row) != columns:
            raise ListFormatError(
                f"expected {columns} columns, found {len(row)}", file=path, line=line, record=record
            )
        if not first.isdigit():
            raise ListFormatError(
                f"ent_num is not a number: {first[:40]!r}", file=path, line=line, field="ent_num"
            )
        yield line, row


def _decode(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ListFormatError(f"cannot read file: {exc.strerror}", file=path) from None
    if not data.strip(b" \t\r\n" + _EOF.encode()):
        raise ListFormatError("file is empty", file=path)
    if _is_utf16(data):
        raise ListFormatError(
            "file is UTF-16 encoded; OFAC CSV files are ASCII/UTF-8 (re-save as UTF-8)", file=path
        )
    if looks_like_html(data):
        raise ListFormatError("an HTML page, not an OFAC CSV file (a failed or blocked download?)", file=path)
    return read_text(path)


def _first_row(head: bytes) -> list[str] | None:
    head = head.removeprefix(b"\xef\xbb\xbf")
    line, newline, _ = head.partition(b"\n")
    if not newline and len(head) >= 65536:
        return None
    try:
        text = line.rstrip(b"\r").decode("utf-8")
    except UnicodeDecodeError:
        return None
    try:
        return next(csv.reader([text], strict=True), None)
    except csv.Error:
        return None


def _is_utf16(data: bytes) -> bool:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    sample = data[:200]
    return len(sample) >= 4 and sample.count(b"\x00") >= len(sample) // 4


def _value(text: str) -> str | None:
    value = text.strip()
    if value == _NULL or not value:
        return None
    # clean() only where there is whitespace to collapse: this runs for every cell.
    return clean(value) if ("  " in value or "\n" in value or "\t" in value or "\r" in value) else value


def _unique(items: list[T] | tuple[T, ...]) -> tuple[T, ...]:
    """Drop repeats (OFAC sometimes repeats a clause), keeping first-seen order."""
    return tuple(dict.fromkeys(items))


__all__ = ["FORMAT", "companions", "is_companion", "parse", "sniff"]
