"""FCDO UK Sanctions List: CSV, XML and ODS.

The Foreign, Commonwealth & Development Office publishes the UK Sanctions List at
https://www.gov.uk/government/publications/the-uk-sanctions-list (files under
https://sanctionslist.fcdo.gov.uk/docs/: UK-Sanctions-List.csv, .xml, .ods); since 28 January 2026 it is the
single official UK list (the OFSI Consolidated List, `uk_ofsi`, was frozen that day).

- CSV: a metadata line ("Report Date: 08-Oct-2026"), then a header (Last Updated, Unique ID, OFSI Group ID,
  UN Reference Number, Name 6, Name 1..Name 5, Name type, Alias strength, ... Hull identification number
  (HIN)) and one row per name of a designation; rows are grouped by Unique ID.
- XML: <Designations><DateGenerated/><Designation> with UniqueID, Names/Name (Name1..Name6, NameType,
  AliasStrength), NonLatinNames/NonLatinName, Addresses/Address, IndividualDetails/Individual (DOBs,
  Nationalities, BirthDetails/Location, Positions, passports, national identifiers), EntityDetails,
  ShipDetails, RegimeName, UNReferenceNumber, DateDesignated, LastUpdated, ...
- ODS, and CSV in the same shape: the summary export seen in the wild, one row per designation with 8 columns
  (Unique ID, OFSI Group ID, Name, Regime Name, Type, Designation source, Date Designated, Sanctions
  Imposed) -- primary names only. A full-layout ODS (Name 6 ... columns) is read like the full CSV.

reference = Unique ID (e.g. "AQD0079"); the OFSI Group ID goes to `other_references`, so the two UK lists
can be joined.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from lxml import etree

from ctscreen.errors import ListFormatError
from ctscreen.model import Identifier, IdentifierKind, Name, NameKind, Schema
from ctscreen.sources.base import ParsedList, clean, looks_like_html
from ctscreen.sources.safexml import local_name, parse_xml, parse_xml_bytes
from ctscreen.sources.uk_ofsi import (
    SCHEMAS,
    EntityBuilder,
    birth_places,
    csv_records,
    decode_csv,
    is_zip,
    iso_date,
    make_address,
    national_identifier,
    non_latin_name,
    paired,
    partial_date,
    person_name,
    split_numbered,
    summarise,
    un_reference,
    unescape,
)

FORMAT_CSV = "uk-fcdo-csv"
FORMAT_XML = "uk-fcdo-xml"
FORMAT_ODS = "uk-fcdo-ods"
DEFAULT_SOURCE = "uk-fcdo"

ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
ODS_SHEET = "UK_Sanction_List"
MAX_CONTENT_BYTES = (
    256 * 1024 * 1024
)  # content.xml of the real list is 7 MB; more is a zip bomb or not a list
MAX_ROW_REPEAT = 1000  # a repeated row that is not empty is a real (odd) duplicate; millions are not
HEADER_SCAN_ROWS = 5

NAME_PARTS = ("Name 1", "Name 2", "Name 3", "Name 4", "Name 5")
ADDRESS_PARTS = tuple(f"Address Line {i}" for i in range(1, 7))
SUMMARY_REQUIRED = ("Unique ID", "Name", "Type")
FULL_REQUIRED = ("Unique ID", "Name 6", "Name type", "Designation Type")

# Columns of the full CSV that become `extra` pairs (key, column); "Designation source" is read for both layouts.
_CSV_EXTRA = (
    ("statement_of_reasons", "UK Statement of Reasons"),
    ("phone", "Phone number"),
    ("website", "Website"),
    ("email", "Email address"),
    ("entity_type", "Type of entity"),
    ("subsidiaries", "Subsidiaries"),
    ("parent_company", "Parent company"),
    ("vessel_owner", "Current owner/operator (s)"),
    ("vessel_previous_owner", "Previous owner/operator (s)"),
    ("vessel_flag", "Current believed flag of ship"),
    ("vessel_previous_flags", "Previous flags"),
    ("vessel_type", "Type of ship"),
    ("vessel_tonnage", "Tonnage of ship"),
    ("vessel_length", "Length of ship"),
    ("vessel_year_built", "Year Built"),
)
# The same for the XML: (key, element local name), read anywhere inside a Designation.
_XML_EXTRA = (
    ("designation_source", "DesignationSource"),
    ("statement_of_reasons", "UKStatementofReasons"),
    ("phone", "PhoneNumber"),
    ("website", "Website"),
    ("email", "EmailAddress"),
    ("entity_type", "TypeOfEntity"),
    ("subsidiaries", "Subsidiary"),
    ("parent_company", "ParentCompany"),
    ("vessel_owner", "CurrentOwnerOperator"),
    ("vessel_previous_owner", "PreviousOwnerOperator"),
    ("vessel_flag", "CurrentBelievedFlagOfShip"),
    ("vessel_previous_flags", "PreviousFlag"),
    ("vessel_type", "TypeOfShip"),
    ("vessel_tonnage", "TonnageOfShip"),
    ("vessel_length", "LengthOfShip"),
    ("vessel_year_built", "YearBuilt"),
)


def _schema(value: str | None) -> Schema | None:
    return SCHEMAS.get((value or "").strip().lower())


def name_kind(name_type: str | None, strength: str | None) -> NameKind:
    """NameType comes in several casings ("Primary Name", "Primary name", "ALias"); alias strength
    ("Good quality a.k.a" / "Low quality a.k.a") is given for UN designations only, blank = alias."""
    kind = (name_type or "").strip().lower()
    if kind == "primary name":
        return NameKind.PRIMARY
    if kind in ("fka", "formerly known as", "former name"):
        return NameKind.FORMER
    if kind.startswith("primary name variation"):
        return NameKind.ALIAS
    if (strength or "").strip().lower().startswith("low"):
        return NameKind.WEAK
    return NameKind.ALIAS


def _sanctions(value: str | None) -> list[str]:
    """Sanctions Imposed: "|"-separated in the CSV and XML (items sometimes repeated)."""
    return [item for item in (clean(v) for v in (value or "").split("|")) if item]


def _published_from_report_date(text: str | None) -> str | None:
    """The CSV's first line: "Report Date: 08-Oct-2026"."""
    if not text:
        return None
    value = text.split(":", 1)[1] if ":" in text else text
    value = value.strip().strip(",").strip()
    for pattern in ("%d-%b-%Y", "%d %B %Y", "%d %b %Y", "%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.strptime(value, pattern).strftime("%Y-%m-%d")
        except ValueError:
            continue
    return iso_date(value)


# --------------------------------------------------------------------------------------------------------
# Rows (CSV and ODS): full layout and summary layout
# --------------------------------------------------------------------------------------------------------


class _Rows:
    """One EntityBuilder per Unique ID, from rows of either layout."""

    def __init__(self, path: Path, header: Sequence[str | None], source: str) -> None:
        self.path = path
        self.source = source
        self.index = {name: i for i, name in enumerate(header) if name}
        if "Name 6" in self.index:
            self.summary = False
            required = FULL_REQUIRED
        elif "Name" in self.index:
            self.summary = True
            required = SUMMARY_REQUIRED
        else:
            raise ListFormatError(
                "not the UK Sanctions List layout: header has neither 'Name 6' (full list) nor 'Name' (summary)",
                file=path,
            )
        missing = [c for c in required if c not in self.index]
        if missing:
            raise ListFormatError(
                f"not the UK Sanctions List layout: header lacks column(s) {', '.join(map(repr, missing))}",
                file=path,
            )
        name_columns = (*NAME_PARTS, "Name 6", "Name type", "Alias strength", "Name non-latin script")
        name_columns += ("Non-latin script type", "Non-latin script language")
        self.name_columns = {self.index[c] for c in name_columns if c in self.index}
        self.builders: dict[str, EntityBuilder] = {}
        self.bad_dates: list[str] = []

    def get(self, row: Sequence[str], column: str) -> str | None:
        index = self.index.get(column)
        if index is None or index >= len(row):
            return None
        return clean(row[index])

    def add(self, line: int, row: Sequence[str]) -> None:
        reference = self.get(row, "Unique ID")
        if reference is None:
            raise ListFormatError("row without a Unique ID", file=self.path, line=line, field="Unique ID")
        type_column = "Type" if self.summary else "Designation Type"
        schema = _schema(self.get(row, type_column))
        if schema is None:
            raise ListFormatError(
                f"unknown {type_column} {self.get(row, type_column)!r} (expected Individual, Entity or Ship)",
                file=self.path,
                line=line,
                record=reference,
                field=type_column,
            )
        builder = self.builders.get(reference)
        if builder is None:
            builder = self.builders[reference] = EntityBuilder(reference, line)
        builder.add(builder.schemas, schema)
        self._common(builder, row)
        if self.summary:
            name = self.get(row, "Name")
            builder.add_name(Name(full=name, kind=NameKind.PRIMARY) if name else None)
            # The summary export joins the sanctions with ", " and its items contain no commas: kept whole.
            builder.add_extra("sanctions_imposed", self.get(row, "Sanctions Imposed"))
        else:
            self._full(builder, row, schema)

    def _common(self, b: EntityBuilder, row: Sequence[str]) -> None:
        b.add(b.other_references, self.get(row, "OFSI Group ID"))
        b.add(b.programmes, self.get(row, "Regime Name"))
        for column, bucket in (("Date Designated", b.listed), ("Last Updated", b.amended)):
            raw = self.get(row, column)
            iso = iso_date(raw)
            if iso:
                bucket.add(iso)
            elif raw:
                self.bad_dates.append(f"{b.reference} {column} {raw!r}")
        b.add_extra("designation_source", self.get(row, "Designation source"))

    def _full(self, b: EntityBuilder, row: Sequence[str], schema: Schema) -> None:
        get = self.get
        kind = name_kind(get(row, "Name type"), get(row, "Alias strength"))
        b.add_name(person_name([get(row, c) for c in NAME_PARTS], get(row, "Name 6"), kind, schema))
        b.add_name(
            non_latin_name(
                get(row, "Name non-latin script"),
                get(row, "Non-latin script type"),
                get(row, "Non-latin script language"),
            )
        )
        details = tuple(v for i, v in enumerate(row) if i not in self.name_columns)
        if details in b.seen_details:
            return
        b.seen_details.add(details)
        ref = un_reference(get(row, "UN Reference Number"))
        b.add(b.un_references, ref)
        b.add(b.remarks, unescape(get(row, "Other Information")))
        for sanction in _sanctions(get(row, "Sanctions Imposed")):
            b.add_extra("sanctions_imposed", sanction)
        for key, column in _CSV_EXTRA:
            b.add_extra(key, unescape(get(row, column)))
        for title in split_numbered(get(row, "Title")):
            b.add(b.titles, title)
        for position in split_numbered(get(row, "Position")):
            b.add(b.positions, position)
        b.add(b.genders, get(row, "Gender"))
        nationalities = [n for n in split_numbered(get(row, "Nationality(/ies)")) if n]
        for nationality in nationalities:
            b.add(b.nationalities, nationality)
        dob = partial_date(get(row, "D.O.B"))
        if dob is not None:
            if dob.value is None:
                self.bad_dates.append(f"{b.reference} D.O.B {dob.note!r}")
            b.add(b.birth_dates, dob)
        for place in birth_places(
            split_numbered(get(row, "Town of birth")), split_numbered(get(row, "Country of birth"))
        ):
            b.add(b.birth_places, place)
        info = get(row, "Passport additional information")
        for number, note in paired(split_numbered(get(row, "Passport number")), split_numbered(info), info):
            if number:
                b.add(b.identifiers, Identifier(IdentifierKind.PASSPORT, number, None, "Passport", note))
        info = get(row, "National Identifier additional information")
        for number, note in paired(
            split_numbered(get(row, "National Identifier number")), split_numbered(info), info
        ):
            if number:
                b.add(b.identifiers, national_identifier(number, note, nationalities, "National Identifier"))
        for number in split_numbered(get(row, "Business registration number (s)")):
            if number:
                b.add(
                    b.identifiers,
                    Identifier(IdentifierKind.REGISTRATION, number, None, "Business registration number"),
                )
        for number in split_numbered(get(row, "IMO number")):
            if number:
                b.add(b.identifiers, Identifier(IdentifierKind.IMO, number, None, "IMO number"))
        for number in split_numbered(get(row, "Hull identification number (HIN)")):
            if number:
                b.add(
                    b.identifiers,
                    Identifier(IdentifierKind.OTHER, number, None, "Hull identification number (HIN)"),
                )
        b.add(
            b.addresses,
            make_address(
                [get(row, c) for c in ADDRESS_PARTS],
                get(row, "Address Postal Code"),
                get(row, "Address Country"),
            ),
        )

    def result(self, format: str, published: str | None, warnings: list[str]) -> ParsedList:
        if not self.builders:
            raise ListFormatError("the header but no rows", file=self.path)
        return _result(
            self.path, self.source, format, published, self.builders.values(), self.bad_dates, warnings
        )


def _result(
    path: Path,
    source: str,
    format: str,
    published: str | None,
    builders: Iterable[EntityBuilder],
    bad_dates: list[str],
    warnings: list[str],
) -> ParsedList:
    builders = list(builders)
    no_primary = [b.reference for b in builders if b.names and b.primary is None]
    several = [b.reference for b in builders if len(b.schemas) > 1]
    entities = [b.build(source, warnings) for b in builders]
    summarise(warnings, "designations without a primary name (first name taken as primary)", no_primary)
    summarise(warnings, "designations with several types (the first is used)", several)
    summarise(warnings, "unparseable dates (kept in the note, or left out)", bad_dates)
    return ParsedList(
        source=source, format=format, entities=entities, files=[path], published=published, warnings=warnings
    )


def _find_header(rows: Sequence[Sequence[str | None]]) -> int | None:
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        cells = {clean(c) for c in row}
        if "Unique ID" in cells and ("Name 6" in cells or "Name" in cells):
            return index
    return None


# --------------------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------------------


def _parse_csv(path: Path, source: str) -> ParsedList:
    warnings: list[str] = []
    data = path.read_bytes()
    if looks_like_html(data[:4096]):
        raise ListFormatError("an HTML page, not a CSV list (a failed or blocked download?)", file=path)
    text = decode_csv(path, data, warnings)
    try:
        top = [
            row
            for _, row in zip(
                range(HEADER_SCAN_ROWS), csv.reader(io.StringIO(text, newline="")), strict=False
            )
        ]
    except csv.Error as exc:
        raise ListFormatError(f"malformed CSV: {exc}", file=path) from None
    header_at = _find_header(top)
    if header_at is None:
        raise ListFormatError(
            f"not the UK Sanctions List CSV: no header row with 'Unique ID' in the first {HEADER_SCAN_ROWS} lines",
            file=path,
        )
    published = None
    if header_at > 0:
        published = _published_from_report_date(",".join(top[0]))
    if published is None:
        warnings.append("no readable 'Report Date' line above the header; publication date unknown")
    header = [clean(c) for c in top[header_at]]
    while header and header[-1] is None:
        header.pop()
    rows = _Rows(path, header, source)
    for line, row in csv_records(path, text, header_at + 1, len(header)):
        rows.add(line, row)
    return rows.result(FORMAT_CSV, published, warnings)


# --------------------------------------------------------------------------------------------------------
# ODS (OpenDocument spreadsheet: a zip with content.xml)
# --------------------------------------------------------------------------------------------------------

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_T_TABLE = f"{{{_TABLE}}}table"
_T_ROW = f"{{{_TABLE}}}table-row"
_T_CELL = f"{{{_TABLE}}}table-cell"
_T_COVERED = f"{{{_TABLE}}}covered-table-cell"
_T_NAME = f"{{{_TABLE}}}name"
_T_COLS_REPEATED = f"{{{_TABLE}}}number-columns-repeated"
_T_ROWS_REPEATED = f"{{{_TABLE}}}number-rows-repeated"
_X_P = f"{{{_TEXT}}}p"
_X_S = f"{{{_TEXT}}}s"
_X_C = f"{{{_TEXT}}}c"
_X_BREAKS = {f"{{{_TEXT}}}tab", f"{{{_TEXT}}}line-break"}


def _paragraph_text(element: etree._Element) -> str:
    """Text of a <text:p>, with <text:s text:c="n"/> as spaces and tabs/line breaks as one space."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == _X_S:
            parts.append(" " * int(child.get(_X_C, "1") or 1))
        elif child.tag in _X_BREAKS:
            parts.append(" ")
        elif isinstance(child.tag, str):
            parts.append(_paragraph_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _cell_text(cell: etree._Element) -> str:
    return "\n".join(_paragraph_text(p) for p in cell if p.tag == _X_P)


def _repeat(element: etree._Element, attribute: str) -> int:
    try:
        return max(1, int(element.get(attribute, "1")))
    except ValueError:
        return 1


def _row_values(path: Path, row: etree._Element, width: int | None, number: int) -> list[str]:
    """A row's cell texts. Empty cells repeated thousands of times (ODS pads rows to 16,384 columns) are
    expanded only as far as the header is wide, never beyond; a filled cell repeated that often is refused."""
    values: list[str] = []
    for cell in row:
        if cell.tag not in (_T_CELL, _T_COVERED):
            continue
        repeat = _repeat(cell, _T_COLS_REPEATED)
        text = _cell_text(cell)
        if text:
            if repeat > MAX_ROW_REPEAT:
                raise ListFormatError(f"a cell repeated {repeat} times", file=path, line=number)
            values.extend([text] * repeat)
        else:
            room = (width - len(values)) if width else (repeat if repeat <= 64 else 0)
            values.extend([""] * max(0, min(repeat, room)))
    if width is not None and len(values) > width:
        if any(v.strip() for v in values[width:]):
            raise ListFormatError(
                f"expected {width} columns, found {len(values)} (cells beyond the header)",
                file=path,
                line=number,
            )
        del values[width:]
    return values


def _ods_rows(path: Path, table: etree._Element) -> Iterator[tuple[int, list[str]]]:
    """(spreadsheet row number, cells) for the non-empty rows; row 1 is the header, whose width bounds the rest."""
    width: int | None = None
    number = 0
    for row in table.iter(_T_ROW):
        repeat = _repeat(row, _T_ROWS_REPEATED)
        number += 1
        values = _row_values(path, row, width, number)
        if not any(v.strip() for v in values):
            number += repeat - 1  # empty padding rows (a million of them at the end): counted, not expanded
            continue
        if width is None:
            while values and not values[-1].strip():
                values.pop()
            width = len(values)
        if repeat > MAX_ROW_REPEAT:
            raise ListFormatError(f"a row repeated {repeat} times", file=path, line=number)
        for offset in range(repeat):
            yield number + offset, values
        number += repeat - 1


def _read_ods(path: Path) -> etree._Element:
    with path.open("rb") as handle:
        head = handle.read(4096)
    if not head.strip():
        raise ListFormatError("file is empty", file=path)
    if looks_like_html(head):
        raise ListFormatError(
            "an HTML page, not an ODS spreadsheet (a failed or blocked download?)", file=path
        )
    if not is_zip(head):
        raise ListFormatError("not an ODS spreadsheet (not a zip archive)", file=path)
    try:
        with zipfile.ZipFile(path) as archive:
            try:
                info = archive.getinfo("content.xml")
            except KeyError:
                raise ListFormatError(
                    "not an ODS spreadsheet: no content.xml in the archive", file=path
                ) from None
            if info.file_size > MAX_CONTENT_BYTES:
                raise ListFormatError(
                    f"content.xml is {info.file_size} bytes; refused as too large", file=path
                )
            data = archive.read(info)
    except (zipfile.BadZipFile, EOFError, OSError, RuntimeError, ValueError) as exc:
        raise ListFormatError(f"truncated or corrupt ODS (zip) file: {exc}", file=path) from None
    try:
        return parse_xml_bytes(data, name=str(path), expected_roots=("document-content",))
    except ListFormatError as exc:
        raise ListFormatError(f"content.xml: {exc.message}", file=path, line=exc.line) from None


def _parse_ods(path: Path, source: str) -> ParsedList:
    root = _read_ods(path)
    warnings: list[str] = []
    tables = list(root.iter(_T_TABLE))
    tables.sort(key=lambda t: t.get(_T_NAME) != ODS_SHEET)  # the list's own sheet first, if present
    for table in tables:
        rows_iter = _ods_rows(path, table)
        first = next(rows_iter, None)
        if first is None or _find_header([first[1]]) is None:
            continue
        if table.get(_T_NAME) != ODS_SHEET:
            warnings.append(f"no sheet {ODS_SHEET!r}; read sheet {table.get(_T_NAME)!r}")
        rows = _Rows(path, first[1], source)
        for line, values in rows_iter:
            rows.add(line, values)
        # The summary export has no date in its cells, and meta.xml holds the template's dates (2024, before
        # designations the file lists). A file name ("FCDO_SL_Mon_Aug 11 2025.ods") changes whenever someone
        # saves a copy, so it is not taken as the list's date: `published` stays None and the latest
        # designation date is reported instead as a lower bound.
        latest = max((d for b in rows.builders.values() for d in (*b.listed, *b.amended)), default=None)
        warnings.append(
            "the ODS file carries no publication date; published left unknown"
            + (f" (latest date in the rows: {latest})" if latest else "")
        )
        return rows.result(FORMAT_ODS, None, warnings)
    names = ", ".join(repr(t.get(_T_NAME)) for t in tables)
    raise ListFormatError(
        f"not the UK Sanctions List layout: no sheet whose first row holds 'Unique ID' and 'Name'/'Name 6' "
        f"(sheets: {names or 'none'})",
        file=path,
    )


# --------------------------------------------------------------------------------------------------------
# XML
# --------------------------------------------------------------------------------------------------------


_Index = dict[str, list[etree._Element]]


def _index(element: etree._Element) -> _Index:
    """Every descendant by local name, in document order: one walk per designation instead of one per field
    (the XML has no namespace, but one would not matter)."""
    index: _Index = defaultdict(list)
    for child in element.iter():
        if isinstance(child.tag, str):
            index[local_name(child)].append(child)
    return index


def _texts(index: _Index, name: str) -> list[str]:
    return [text for text in (clean(e.text) for e in index.get(name, ())) if text]


def _first(element: etree._Element, name: str) -> str | None:
    """Text of the first descendant named `name` in a small sub-element (a Name, an Address)."""
    for child in element.iter():
        if isinstance(child.tag, str) and local_name(child) == name:
            text = clean(child.text)
            if text:
                return text
    return None


def _designation(
    path: Path, element: etree._Element, builders: dict[str, EntityBuilder], bad_dates: list[str]
) -> None:
    line = element.sourceline
    index = _index(element)
    reference = next(iter(_texts(index, "UniqueID")), None)
    if reference is None:
        raise ListFormatError("<Designation> without <UniqueID>", file=path, line=line)
    type_text = next(iter(_texts(index, "IndividualEntityShip")), None)
    schema = _schema(type_text)
    if schema is None:
        raise ListFormatError(
            f"unknown <IndividualEntityShip> {type_text!r} (expected Individual, Entity or Ship)",
            file=path,
            line=line,
            record=reference,
        )
    b = builders.get(reference)
    if b is None:
        b = builders[reference] = EntityBuilder(reference, line)
    b.add(b.schemas, schema)
    for name in index.get("Name", ()):
        parts = [_first(name, f"Name{i}") for i in range(1, 6)]
        kind = name_kind(_first(name, "NameType"), _first(name, "AliasStrength"))
        b.add_name(person_name(parts, _first(name, "Name6"), kind, schema))
    for name in index.get("NonLatinName", ()):
        script_name = _first(name, "NameNonLatinScript")
        b.add_name(
            non_latin_name(
                script_name, _first(name, "NonLatinScriptType"), _first(name, "NonLatinScriptLanguage")
            )
        )
    for value in _texts(index, "OFSIGroupID"):
        b.add(b.other_references, value)
    for value in _texts(index, "RegimeName"):
        b.add(b.programmes, value)
    for value in _texts(index, "UNReferenceNumber"):
        b.add(b.un_references, un_reference(value))
    for name, bucket in (("DateDesignated", b.listed), ("LastUpdated", b.amended)):
        for value in _texts(index, name):
            iso = iso_date(value)
            if iso:
                bucket.add(iso)
            else:
                bad_dates.append(f"{reference} {name} {value!r}")
    for value in _texts(index, "OtherInformation"):
        b.add(b.remarks, unescape(value))
    for value in _texts(index, "SanctionsImposed"):
        for sanction in _sanctions(value):
            b.add_extra("sanctions_imposed", sanction)
    for key, name in _XML_EXTRA:
        for value in _texts(index, name):
            b.add_extra(key, unescape(value))
    for bucket, name in ((b.titles, "Title"), (b.positions, "Position"), (b.genders, "Gender")):
        for value in _texts(index, name):
            b.add(bucket, value)
    nationalities = _texts(index, "Nationality")
    for value in nationalities:
        b.add(b.nationalities, value)
    for value in _texts(index, "DOB"):
        dob = partial_date(value)
        if dob is not None and dob.value is None:
            bad_dates.append(f"{reference} DOB {value!r}")
        b.add(b.birth_dates, dob)
    for location in index.get("Location", ()):
        town, country = _first(location, "TownOfBirth"), _first(location, "CountryOfBirth")
        for place in birth_places([town] if town else [], [country] if country else []):
            b.add(b.birth_places, place)
    for passport in index.get("Passport", ()):
        number = _first(passport, "PassportNumber")
        if number:
            note = _first(passport, "PassportAdditionalInformation")
            b.add(b.identifiers, Identifier(IdentifierKind.PASSPORT, number, None, "Passport", note))
    for national in index.get("NationalIdentifier", ()):
        number = _first(national, "NationalIdentifierNumber")
        if number:
            note = _first(national, "NationalIdentifierAdditionalInformation")
            b.add(b.identifiers, national_identifier(number, note, nationalities, "National Identifier"))
    for kind, name, type_text in (
        (IdentifierKind.REGISTRATION, "BusinessRegistrationNumber", "Business registration number"),
        (IdentifierKind.IMO, "IMONumber", "IMO number"),
        (IdentifierKind.OTHER, "HullIdentificationNumber", "Hull identification number (HIN)"),
    ):
        for number in _texts(index, name):
            b.add(b.identifiers, Identifier(kind, number, None, type_text))
    for address in index.get("Address", ()):
        lines = [_first(address, f"AddressLine{i}") for i in range(1, 7)]
        b.add(
            b.addresses,
            make_address(lines, _first(address, "AddressPostalCode"), _first(address, "AddressCountry")),
        )


def _parse_xml(path: Path, source: str) -> ParsedList:
    root = parse_xml(path, expected_roots=("Designations",))
    warnings: list[str] = []
    generated = next((c.text for c in root if local_name(c) == "DateGenerated"), None)
    published = iso_date(generated)
    if published is None:
        warnings.append(f"<DateGenerated> missing or not a date ({generated!r}); publication date unknown")
    builders: dict[str, EntityBuilder] = {}
    bad_dates: list[str] = []
    for element in root:
        if isinstance(element.tag, str) and local_name(element) == "Designation":
            _designation(path, element, builders, bad_dates)
    if not builders:
        raise ListFormatError("no <Designation> in the file", file=path)
    return _result(path, source, FORMAT_XML, published, builders.values(), bad_dates, warnings)


# --------------------------------------------------------------------------------------------------------
# Parser-module contract
# --------------------------------------------------------------------------------------------------------

_ROOT_TAG = re.compile(rb"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")


def _root_tag(head: bytes) -> bytes | None:
    """Local name of the first element, skipping the XML declaration, comments and processing instructions."""
    position = 0
    while True:
        start = head.find(b"<", position)
        if start < 0:
            return None
        if head.startswith(b"<?", start):
            position = head.find(b"?>", start) + 2
        elif head.startswith(b"<!--", start):
            position = head.find(b"-->", start) + 3
        elif head.startswith(b"<!", start):
            position = head.find(b">", start) + 1
        else:
            match = _ROOT_TAG.match(head, start)
            return match.group(2) if match else None
        if position <= 1:
            return None


def _ods_head(path: Path) -> bytes:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "content.xml" not in names or "mimetype" not in names:
                return b""
            if archive.read("mimetype").strip() != ODS_MIMETYPE:
                return b""
            with archive.open("content.xml") as member:
                return member.read(262144)
    except (zipfile.BadZipFile, OSError, KeyError, EOFError, RuntimeError, ValueError):
        return b""


def sniff(path: Path, head: bytes) -> str | None:
    if is_zip(head):
        content = _ods_head(path)
        if b">Unique ID<" in content and (b">Name<" in content or b">Name 6<" in content):
            return FORMAT_ODS
        return None
    if looks_like_html(head):
        return None
    sample = head[:8192]
    if _root_tag(sample.lstrip(b"\xef\xbb\xbf \t\r\n")) == b"Designations":
        return FORMAT_XML
    if b"\x00" in sample:
        return None
    lines = sample.decode("utf-8-sig", errors="replace").splitlines()[:HEADER_SCAN_ROWS]
    for line in lines:
        if (
            "Unique ID" in line
            and "OFSI Group ID" in line
            and ("Name 6" in line or "Designation source" in line)
        ):
            return FORMAT_CSV
    return None


def parse(paths: list[Path], *, format: str, source: str | None = None) -> ParsedList:
    if len(paths) != 1:
        raise ListFormatError(f"{format} reads exactly one file, got {len(paths)}")
    path = paths[0]
    if not path.is_file():
        raise ListFormatError("no such file", file=path)
    source = source or DEFAULT_SOURCE
    readers: dict[str, Any] = {FORMAT_CSV: _parse_csv, FORMAT_XML: _parse_xml, FORMAT_ODS: _parse_ods}
    reader = readers.get(format)
    if reader is None:
        raise ListFormatError(f"format {format!r} is not read by the FCDO parser", file=path)
    return reader(path, source)


__all__ = ["parse", "sniff"]
