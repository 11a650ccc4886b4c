"""UK OFSI Consolidated List of Financial Sanctions Targets: Excel (ConList.xlsx) and CSV (ConList.csv).

HM Treasury's Office of Financial Sanctions Implementation published the list at
https://ofsistorage.blob.core.windows.net/publishlive/2022format/ConList.{xlsx,csv,xml}; it stopped being updated
on 28 January 2026, when the FCDO UK Sanctions List became the single UK list (see `uk_fcdo`).

Layout (both files): row 1 is "Last Updated" and the list's date (dd/mm/yyyy); row 2 the header of 36 columns
(Name 6, Name 1..Name 5, Title, Name Non-Latin Script, ..., Regime, Listed On, UK Sanctions List Date Designated,
Last Updated, Group ID); then one row per name -- and, within a target, one row per combination of name,
address and date of birth, so every value repeats across the rows of its "Group ID". We group the rows by
Group ID into one Entity and dedupe. Multi-valued cells are numbered in place: "(1) Iraq (2) Sweden".
"Other Information" packs labelled fields: "(UK Sanctions List Ref):AQD0079. (UN Ref):QDe.132. ...".

This module also holds the helpers shared with `uk_fcdo` (dates, numbered cells, scripts, the entity builder).
"""

from __future__ import annotations

import csv
import html
import io
import itertools
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from ctscreen.errors import ListFormatError
from ctscreen.model import (
    Address,
    DateKind,
    Entity,
    Identifier,
    IdentifierKind,
    Listing,
    Name,
    NameKind,
    PartialDate,
    Place,
    Schema,
)
from ctscreen.names import detect_script as names_detect_script
from ctscreen.sources.base import ParsedList, clean, is_cnic, looks_like_html

FORMAT_XLSX = "uk-ofsi-xlsx"
FORMAT_CSV = "uk-ofsi-csv"
DEFAULT_SOURCE = "uk-ofsi"
SHEET = "Data"

NAME_PARTS = ("Name 1", "Name 2", "Name 3", "Name 4", "Name 5")
ADDRESS_PARTS = ("Address 1", "Address 2", "Address 3", "Address 4", "Address 5", "Address 6")
COLUMNS = (
    "Name 6",
    *NAME_PARTS,
    "Title",
    "Name Non-Latin Script",
    "Non-Latin Script Type",
    "Non-Latin Script Language",
    "DOB",
    "Town of Birth",
    "Country of Birth",
    "Nationality",
    "Passport Number",
    "Passport Details",
    "National Identification Number",
    "National Identification Details",
    "Position",
    *ADDRESS_PARTS,
    "Post/Zip Code",
    "Country",
    "Other Information",
    "Group Type",
    "Alias Type",
    "Alias Quality",
    "Regime",
    "Listed On",
    "UK Sanctions List Date Designated",
    "Last Updated",
    "Group ID",
)
# Without these the rows cannot be grouped, typed or named; the rest are read when present.
REQUIRED = ("Name 6", "Group Type", "Alias Type", "Group ID")
# Columns that describe the target rather than one name: rows repeating them add nothing but names.
_DETAIL_COLUMNS = tuple(c for c in COLUMNS if c not in {"Name 6", *NAME_PARTS, "Alias Type", "Alias Quality"})

SCHEMAS = {"individual": Schema.PERSON, "entity": Schema.ORGANIZATION, "ship": Schema.VESSEL}
HEADER_SCAN_ROWS = 5
MAX_WARNED = 10


# --------------------------------------------------------------------------------------------------------
# Shared helpers (also used by uk_fcdo)
# --------------------------------------------------------------------------------------------------------

_NUMBERED = re.compile(r"\((\d{1,2})\)")
_PLACEHOLDERS = {"-", "–", "—", "n/a", "N/A"}


@lru_cache(maxsize=65536)
def split_numbered(value: str | None) -> tuple[str | None, ...]:
    """Split an OFSI numbered cell "(1) a (2) b" into its items; "-" items stay as None so that parallel
    cells (passport number / details, town / country of birth) keep their alignment."""
    text = clean(value)
    if text is None:
        return ()
    if not text.startswith("(1)"):
        return (text,)
    starts: list[tuple[int, int]] = []
    expected = 1
    for match in _NUMBERED.finditer(text):
        # Only the running sequence counts: "(1) ... resolution 2293 (2016) ... (2) ..." has a "(2016)".
        if int(match.group(1)) == expected:
            starts.append((match.start(), match.end()))
            expected += 1
    items: list[str | None] = []
    for index, (_, end) in enumerate(starts):
        stop = starts[index + 1][0] if index + 1 < len(starts) else len(text)
        item = clean(text[end:stop].rstrip(" .,;"))
        items.append(None if item is None or item in _PLACEHOLDERS else item)
    return tuple(items)


_UNKNOWN_PART = {"", "0", "00", "dd", "mm", "xx", "DD", "MM", "XX", "??"}
_DATE_SPLIT = re.compile(r"[/.\-]")


def _valid(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


@lru_cache(maxsize=16384)
def _partial_iso(text: str) -> str | None:
    """dd/mm/yyyy, mm/yyyy, yyyy, dd-mm-yyyy or ISO yyyy-mm-dd with "00"/"dd"/"mm" for unknown parts
    -> ISO at the precision known ("1958", "1962-09", "1962-02-20"); None when not a date."""
    parts = _DATE_SPLIT.split(text.strip())
    if len(parts) == 3 and len(parts[0]) == 4:  # ISO order
        parts = [parts[2], parts[1], parts[0]]
    if len(parts) < 3:  # "mm/yyyy" or "yyyy"
        parts = ["", "", *parts][-3:]
    if len(parts) != 3:
        return None
    day, month, year = (p.strip() for p in parts)
    if not (len(year) == 4 and year.isdigit()):
        return None
    y = int(year)
    if month in _UNKNOWN_PART:
        return year
    if not month.isdigit() or not 1 <= int(month) <= 12:
        return None
    m = int(month)
    if day in _UNKNOWN_PART:
        return f"{y:04d}-{m:02d}"
    if not day.isdigit() or not _valid(y, m, int(day)):
        return None
    return f"{y:04d}-{m:02d}-{int(day):02d}"


def partial_date(value: Any) -> PartialDate | None:
    """A date of birth as the UK lists write it; unparseable text is kept in `note` rather than lost."""
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return PartialDate(value=value.strftime("%Y-%m-%d"))
    text = clean(str(value))
    if text is None:
        return None
    iso = _partial_iso(text)
    if iso is None:
        return PartialDate(value=None, note=text)
    return PartialDate(kind=DateKind.EXACT, value=iso)


def iso_date(value: Any) -> str | None:
    """A full listing date (dd/mm/yyyy, dd-mm-yyyy, ISO or a spreadsheet date) as ISO; else None."""
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    text = clean(str(value))
    if text is None:
        return None
    iso = _partial_iso(text.split(" ")[0].split("T")[0])
    return iso if iso is not None and len(iso) == 10 else None


_UN_REF = re.compile(r"^\s*([A-Za-z]{2})([ieIE])\s*\.\s*(\d{1,4})")


def un_reference(value: str | None) -> str | None:
    """UN reference numbers as the UN writes them ("QDe.132"); the UK lists sometimes write "QDE.145" or
    "CDi. 038", which would not join with the UN list's REFERENCE_NUMBER."""
    if not value:
        return None
    match = _UN_REF.match(value)
    if not match:
        return None
    return f"{match.group(1).upper()}{match.group(2).lower()}.{match.group(3)}"


# What the lists write in "Non-Latin Script Type", for names whose letters say nothing (rare).
_SCRIPT_NAMES = {
    "arabic": "Arab",
    "persian": "Arab",
    "urdu": "Arab",
    "pashto": "Arab",
    "cyrillic": "Cyrl",
    "cryillic": "Cyrl",
    "cyrilic": "Cyrl",
    "russian": "Cyrl",
    "chinese": "Hani",
    "georgian": "Geor",
    "hebrew": "Hebr",
    "hangul": "Hang",
    "korean": "Hang",
    "thai": "Thai",
    "greek": "Grek",
    "burmese": "Mymr",
    "ethiopic": "Ethi",
}


def detect_script(text: str, hint: str | None = None) -> str | None:
    """ISO 15924 code of the script most letters of `text` are in ("Cyrl" for a Cyrillic name with one stray
    Latin "C"); falls back on the list's own script-type text when the name has no letters."""
    return names_detect_script(text) or _SCRIPT_NAMES.get((hint or "").strip().lower())


_PAKISTAN = re.compile(r"pakistan", re.IGNORECASE)
_TAX = re.compile(r"\b(?:TIN|INN|tax)\b", re.IGNORECASE)


def national_identifier(
    number: str, details: str | None, nationalities: Sequence[str], type_text: str
) -> Identifier:
    """A national ID as an Identifier: a Pakistani CNIC (sources.base.is_cnic) is told apart by a details text
    naming Pakistan, or, without details, a Pakistani nationality."""
    pakistani = bool(details and _PAKISTAN.search(details)) or (
        not details and any(_PAKISTAN.search(n) for n in nationalities)
    )
    if all(c.isdigit() or c in "- " for c in number) and is_cnic(number, "Pakistan" if pakistani else None):
        return Identifier(IdentifierKind.CNIC, number, "Pakistan", type_text, details)
    if _TAX.search(details or "") or _TAX.search(number):
        return Identifier(IdentifierKind.TAX_ID, number, None, type_text, details)
    return Identifier(IdentifierKind.NATIONAL_ID, number, None, type_text, details)


def paired(numbers: Sequence[str | None], details: Sequence[str | None], raw_details: str | None) -> list:
    """Pair numbered items with their numbered details; when the counts differ the whole details text goes
    with each item, so nothing is dropped or misattributed."""
    if len(details) == len(numbers):
        return list(zip(numbers, details, strict=True))
    if len(details) == 1:
        return [(n, details[0]) for n in numbers]
    return [(n, clean(raw_details)) for n in numbers]


def birth_places(towns: Sequence[str | None], countries: Sequence[str | None]) -> list[Place]:
    pairs: list[tuple[str | None, str | None]]
    if len(towns) == len(countries):
        pairs = list(zip(towns, countries, strict=True))
    elif not towns or not countries:
        pairs = [(t, None) for t in towns] + [(None, c) for c in countries]
    elif len(countries) == 1:
        pairs = [(t, countries[0]) for t in towns]
    else:  # ambiguous: keep the towns and the countries apart rather than guess the pairing
        pairs = [(t, None) for t in towns] + [(None, c) for c in countries]
    places = []
    for town, country in pairs:
        text = ", ".join(p for p in (town, country) if p)
        if text:
            places.append(Place(text=text, city=town, country=country))
    return places


def make_address(lines: Iterable[str | None], postal_code: str | None, country: str | None) -> Address | None:
    parts = [p for p in (clean(x) for x in lines) if p]
    postal_code = clean(postal_code)
    country = clean(country)
    text = ", ".join([*parts, *(p for p in (postal_code, country) if p)])
    if not text:
        return None
    return Address(text=text, postal_code=postal_code, country=country)


def person_name(
    parts: Sequence[str | None], last: str | None, kind: NameKind, schema: Schema | None
) -> Name | None:
    """Name 1..Name 5 then Name 6, as the lists print them. Given/family only where the list split the name:
    a person with Name 6 and at least one of Name 1..5 (a bare Name 6 may be a whole alias or nickname)."""
    given_parts = [p for p in (clean(x) for x in parts) if p]
    family = clean(last)
    full = clean(" ".join([*given_parts, *([family] if family else [])]))
    if full is None:
        return None
    if schema is Schema.PERSON and family and given_parts:
        return Name(full=full, kind=kind, given=" ".join(given_parts), family=family)
    return Name(full=full, kind=kind)


def non_latin_name(text: str | None, script_type: str | None, language: str | None) -> Name | None:
    """The "non-Latin script" column; some cells hold a scholarly Latin transliteration ("Baššār Ḥāfiẓ
    al-Asad"), kept as an alias in Latin script rather than called original-script."""
    full = clean(text)
    if full is None:
        return None
    script = detect_script(full, clean(script_type))
    if script == "Latn":
        return Name(
            full=full, kind=NameKind.ALIAS, script="Latn", note="given in the non-Latin script column"
        )
    return Name(full=full, kind=NameKind.ORIGINAL_SCRIPT, script=script, language=clean(language))


def unescape(text: str | None) -> str | None:
    """FCDO text fields carry HTML character references ("&#39;"); OFSI's do not, so this is a no-op there."""
    if text is None or "&" not in text:
        return text
    return html.unescape(text)


_RANK = {NameKind.PRIMARY: 0, NameKind.ALIAS: 1, NameKind.FORMER: 2, NameKind.WEAK: 3}


class EntityBuilder:
    """Collects one target's values from many rows (or elements), dedupes them in first-seen order, and
    builds the Entity. Shared by the OFSI and FCDO parsers."""

    def __init__(self, reference: str, line: int | None) -> None:
        self.reference = reference
        self.line = line
        self.schemas: dict[Schema, None] = {}
        self.names: dict[str, Name] = {}
        self.primary: str | None = None
        self.birth_dates: dict[PartialDate, None] = {}
        self.birth_places: dict[Place, None] = {}
        self.nationalities: dict[str, None] = {}
        self.identifiers: dict[Identifier, None] = {}
        self.addresses: dict[Address, None] = {}
        self.titles: dict[str, None] = {}
        self.positions: dict[str, None] = {}
        self.genders: dict[str, None] = {}
        self.programmes: dict[str, None] = {}
        self.listed: set[str] = set()
        self.amended: set[str] = set()
        self.remarks: dict[str, None] = {}
        self.un_references: dict[str, None] = {}
        self.other_references: dict[str, None] = {}
        self.extra: dict[tuple[str, str], None] = {}
        self.seen_details: set[tuple[Any, ...]] = set()

    def add_name(self, name: Name | None) -> None:
        if name is None:
            return
        if name.kind is NameKind.PRIMARY:
            if self.primary is None:
                self.primary = name.full
            elif self.primary != name.full:  # a second "Primary name" row: keep it, as an alias
                name = Name(name.full, NameKind.ALIAS, name.given, name.family, name.script, name.language)
        current = self.names.get(name.full)
        if current is None:
            self.names[name.full] = name
        elif _RANK.get(name.kind, 9) < _RANK.get(current.kind, 9):
            self.names[name.full] = name  # the stronger reading wins; dict keeps the first position

    def add(self, bucket: dict, value: Any) -> None:
        if value is not None and value != "":
            bucket.setdefault(value, None)

    def add_extra(self, key: str, value: str | None) -> None:
        value = clean(value)
        if value:
            self.extra.setdefault((key, value), None)

    def build(self, source: str, warnings: list[str]) -> Entity:
        names = list(self.names.values())
        if not names:
            # Kept, not dropped: the designation exists (and its other references may lead to its names).
            warnings.append(f"record {self.reference}: no name given; kept without names")
        elif self.primary is None:
            # No row marked as the primary name: promote the first Latin-script name, say so.
            index = next((i for i, n in enumerate(names) if n.kind is not NameKind.ORIGINAL_SCRIPT), 0)
            first = names[index]
            names[index] = Name(
                first.full, NameKind.PRIMARY, first.given, first.family, first.script, first.language
            )
            self.primary = first.full
        names.sort(key=lambda n: 0 if n.full == self.primary and n.kind is NameKind.PRIMARY else 1)
        schema = next(iter(self.schemas), None)
        if schema is None:
            raise ListFormatError("no entity type", line=self.line, record=self.reference)
        genders = {g.lower() for g in self.genders}
        return Entity(
            schema=schema,
            names=tuple(names),
            listing=Listing(
                source=source,
                reference=self.reference,
                programmes=tuple(self.programmes),
                listed_on=min(self.listed) if self.listed else None,
                amended_on=tuple(sorted(self.amended)),
                remarks=clean(" ".join(self.remarks)) if self.remarks else None,
                un_reference=next(iter(self.un_references), None),
                other_references=tuple(self.other_references),
            ),
            gender=genders.pop() if len(genders) == 1 and genders <= {"male", "female"} else None,
            birth_dates=tuple(self.birth_dates),
            birth_places=tuple(self.birth_places),
            nationalities=tuple(self.nationalities),
            identifiers=tuple(self.identifiers),
            addresses=tuple(self.addresses),
            titles=tuple(self.titles),
            positions=tuple(self.positions),
            # By key, first-seen order within a key: the same list in CSV or XML gives the same entity.
            extra=tuple(sorted(self.extra, key=lambda pair: pair[0])),
        )


def summarise(warnings: list[str], what: str, items: list[str]) -> None:
    """One warning line per kind of oddity, naming the first few records, instead of thousands of lines."""
    if items:
        shown = ", ".join(items[:MAX_WARNED]) + (
            f" and {len(items) - MAX_WARNED} more" if len(items) > MAX_WARNED else ""
        )
        warnings.append(f"{len(items)} {what}: {shown}")


# Cell values repeat on every row of a target: cleaning each distinct string once saves most of the work.
_clean_cached = lru_cache(maxsize=131072)(clean)


def cell_text(value: Any) -> str | None:
    """A spreadsheet cell as text: numbers without a spurious ".0", dates as ISO."""
    if value is None:
        return None
    if isinstance(value, str):
        return _clean_cached(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    return clean(str(value))


def decode_csv(path: Path, data: bytes, warnings: list[str]) -> str:
    """UTF-8 (with or without BOM) first; cp1252 as the fallback older Excel exports need."""
    if not data.strip():
        raise ListFormatError("file is empty", file=path)
    bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    try:
        return data[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        first_error = exc
        first_error.start += bom  # offsets in the file, not after the BOM
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        line = data[: first_error.start].count(b"\n") + 1
        raise ListFormatError(
            f"neither UTF-8 nor cp1252 text (byte 0x{data[first_error.start]:02x} at offset {first_error.start})",
            file=path,
            line=line,
        ) from None
    warnings.append("not UTF-8; read as cp1252 (Windows-1252)")
    return text


def csv_records(path: Path, text: str, skip: int, width: int) -> Iterator[tuple[int, list[str]]]:
    """The records after the first `skip` ones (preamble and header), with the line each starts on; a row
    must have the header's column count (extra trailing empty cells, as spreadsheet exports add, pass)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    previous_end = 0
    try:
        for number, row in enumerate(reader):
            line = previous_end + 1
            previous_end = reader.line_num
            if number < skip:
                continue
            if not row or not any(cell.strip() for cell in row):
                continue
            if len(row) > width and not any(cell.strip() for cell in row[width:]):
                row = row[:width]
            if len(row) != width:
                raise ListFormatError(f"expected {width} columns, found {len(row)}", file=path, line=line)
            yield line, row
    except csv.Error as exc:
        raise ListFormatError(f"malformed CSV: {exc}", file=path, line=reader.line_num) from None


def is_zip(head: bytes) -> bool:
    return head[:4] == b"PK\x03\x04"


# --------------------------------------------------------------------------------------------------------
# OFSI rows
# --------------------------------------------------------------------------------------------------------

# "Other Information" labels; anything else in brackets is ordinary text ("(2016)", "(QDe.135)").
_OTHER_INFO_LABELS = (
    "UK Sanctions List Ref",
    "UK Statement of Reasons",
    "UN Ref",
    "Gender",
    "Phone number",
    "Tel",
    "Fax",
    "Email address",
    "Website",
    "Type of entity",
    "Parent company",
    "Subsidiaries",
    "Business Reg No",
    "IMO number",
    "Flag of ship",
    "Previous flags",
    "Type of ship",
    "Tonnage of ship",
    "Length of ship",
    "Year built",
    "Current owners",
)
_OTHER_INFO = re.compile(r"\((" + "|".join(re.escape(label) for label in _OTHER_INFO_LABELS) + r")\)\s*:")
_UK_REF = re.compile(r"\b[A-Z]{3}\d{4}\b")
_EXTRA_KEYS = {
    "Phone number": "phone",
    "Tel": "phone",
    "Fax": "fax",
    "Email address": "email",
    "Website": "website",
    "Type of entity": "entity_type",
    "Parent company": "parent_company",
    "Subsidiaries": "subsidiaries",
    "Flag of ship": "vessel_flag",
    "Previous flags": "vessel_previous_flags",
    "Type of ship": "vessel_type",
    "Tonnage of ship": "vessel_tonnage",
    "Length of ship": "vessel_length",
    "Year built": "vessel_year_built",
    "Current owners": "vessel_owner",
}


def other_information(text: str) -> list[tuple[str, str]]:
    """The labelled fields of OFSI's "Other Information", in order, values as written (trailing "." off)."""
    fields: list[tuple[str, str]] = []
    matches = list(_OTHER_INFO.finditer(text))
    for index, match in enumerate(matches):
        stop = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        value = clean(text[match.end() : stop].strip().rstrip("."))
        if value:
            fields.append((match.group(1), value))
    return fields


def _apply_other_information(builder: EntityBuilder, text: str, bad_un: list[str]) -> None:
    builder.add(builder.remarks, text)
    for label, value in other_information(text):
        if label == "UK Sanctions List Ref":  # "AQD0079", or "INU0082 and SYR0310" for a merged target
            for ref in _UK_REF.findall(value) or [value]:
                builder.add(builder.other_references, ref)
        elif label == "UN Ref":
            ref = un_reference(value)
            if ref:
                builder.add(builder.un_references, ref)
            else:
                bad_un.append(f"{builder.reference} ({value[:20]!r})")
        elif label == "Gender":
            builder.add(builder.genders, value)
        elif label == "IMO number":
            for item in split_numbered(value):
                if item:
                    builder.add(builder.identifiers, Identifier(IdentifierKind.IMO, item, None, "IMO number"))
        elif label == "Business Reg No":
            for item in split_numbered(value):
                if item:
                    builder.add(
                        builder.identifiers,
                        Identifier(IdentifierKind.REGISTRATION, item, None, "Business Reg No"),
                    )
        elif label in _EXTRA_KEYS:
            for item in split_numbered(value):
                builder.add_extra(_EXTRA_KEYS[label], item)


class _OfsiRows:
    """Turns OFSI rows (one per name x address x DOB) into one EntityBuilder per Group ID."""

    def __init__(self, path: Path, header: Sequence[str | None], source: str) -> None:
        self.path = path
        self.source = source
        self.index = {name: i for i, name in enumerate(header) if name}
        missing = [c for c in REQUIRED if c not in self.index]
        if missing:
            raise ListFormatError(
                f"not the OFSI Consolidated List layout: header lacks column(s) {', '.join(map(repr, missing))}",
                file=path,
            )
        self.detail_index = [self.index.get(c) for c in _DETAIL_COLUMNS]
        self.builders: dict[str, EntityBuilder] = {}
        self.name_rows = 0
        self.odd_alias: dict[str, None] = {}
        self.bad_dates: list[str] = []
        self.bad_un: list[str] = []

    def get(self, row: Sequence[Any], column: str) -> str | None:
        index = self.index.get(column)
        if index is None or index >= len(row):
            return None
        return cell_text(row[index])

    def add(self, line: int, row: Sequence[Any]) -> None:
        group = self.get(row, "Group ID")
        if group is None:
            raise ListFormatError("row without a Group ID", file=self.path, line=line, field="Group ID")
        builder = self.builders.get(group)
        if builder is None:
            builder = self.builders[group] = EntityBuilder(group, line)
        group_type = self.get(row, "Group Type")
        schema = SCHEMAS.get((group_type or "").lower())
        if schema is None:
            raise ListFormatError(
                f"unknown Group Type {group_type!r} (expected Individual, Entity or Ship)",
                file=self.path,
                line=line,
                record=f"Group ID {group}",
                field="Group Type",
            )
        builder.add(builder.schemas, schema)
        self.name_rows += 1
        builder.add_name(self._name(row, schema))
        builder.add_name(
            non_latin_name(
                self.get(row, "Name Non-Latin Script"),
                self.get(row, "Non-Latin Script Type"),
                self.get(row, "Non-Latin Script Language"),
            )
        )
        details = tuple(row[i] if i is not None and i < len(row) else None for i in self.detail_index)
        if details not in builder.seen_details:  # the same details repeat on every name row
            builder.seen_details.add(details)
            self._details(builder, row)

    def _name(self, row: Sequence[Any], schema: Schema) -> Name | None:
        alias_type = (self.get(row, "Alias Type") or "").lower()
        quality = (self.get(row, "Alias Quality") or "").lower()
        if alias_type == "primary name":
            kind = NameKind.PRIMARY
        elif alias_type == "fka":
            kind = NameKind.FORMER
        elif alias_type == "aka" and quality.startswith("low"):
            kind = NameKind.WEAK
        else:
            if alias_type not in ("aka", "primary name variation"):
                self.odd_alias.setdefault(alias_type, None)
            kind = NameKind.ALIAS
        return person_name([self.get(row, c) for c in NAME_PARTS], self.get(row, "Name 6"), kind, schema)

    def _details(self, b: EntityBuilder, row: Sequence[Any]) -> None:
        get = self.get
        nationalities = [n for n in split_numbered(get(row, "Nationality")) if n]
        for nationality in nationalities:
            b.add(b.nationalities, nationality)
        for title in split_numbered(get(row, "Title")):
            b.add(b.titles, title)
        for position in split_numbered(get(row, "Position")):
            b.add(b.positions, position)
        dob_cell = self.index.get("DOB")
        dob = partial_date(row[dob_cell] if dob_cell is not None and dob_cell < len(row) else None)
        if dob is not None:
            if dob.value is None:
                self.bad_dates.append(f"{b.reference} DOB {dob.note!r}")
            b.add(b.birth_dates, dob)
        for place in birth_places(
            split_numbered(get(row, "Town of Birth")), split_numbered(get(row, "Country of Birth"))
        ):
            b.add(b.birth_places, place)
        passports = get(row, "Passport Details")
        for number, note in paired(
            split_numbered(get(row, "Passport Number")), split_numbered(passports), passports
        ):
            if number:
                b.add(b.identifiers, Identifier(IdentifierKind.PASSPORT, number, None, "Passport", note))
        ids = get(row, "National Identification Details")
        for number, note in paired(
            split_numbered(get(row, "National Identification Number")), split_numbered(ids), ids
        ):
            if number:
                b.add(
                    b.identifiers, national_identifier(number, note, nationalities, "National Identification")
                )
        b.add(
            b.addresses,
            make_address(
                [get(row, c) for c in ADDRESS_PARTS], get(row, "Post/Zip Code"), get(row, "Country")
            ),
        )
        b.add(b.programmes, get(row, "Regime"))
        for column, bucket in (("Listed On", b.listed), ("Last Updated", b.amended)):
            raw = row[self.index[column]] if column in self.index and self.index[column] < len(row) else None
            iso = iso_date(raw)
            if iso:
                bucket.add(iso)
            elif raw not in (None, ""):
                self.bad_dates.append(f"{b.reference} {column} {raw!r}")
        designated = iso_date(get(row, "UK Sanctions List Date Designated"))
        b.add_extra("uk_date_designated", designated)
        info = get(row, "Other Information")
        if info and info not in b.remarks:
            _apply_other_information(b, info, self.bad_un)

    def result(self, format: str, published: str | None, warnings: list[str]) -> ParsedList:
        entities = []
        no_primary = [b.reference for b in self.builders.values() if b.names and b.primary is None]
        for builder in self.builders.values():
            if len(builder.schemas) > 1:
                warnings.append(f"record {builder.reference}: several Group Types; the first is used")
            entities.append(builder.build(self.source, warnings))
        summarise(warnings, "groups without a 'Primary name' row (first name taken as primary)", no_primary)
        summarise(warnings, "unparseable dates (kept in the note, or left out)", self.bad_dates)
        summarise(warnings, "unreadable UN references in Other Information", self.bad_un)
        if self.odd_alias:
            warnings.append(
                f"unknown Alias Type value(s) read as alias: {', '.join(map(repr, self.odd_alias))}"
            )
        return ParsedList(
            source=self.source,
            format=format,
            entities=entities,
            files=[self.path],
            published=published,
            warnings=warnings,
        )


def _published(path: Path, first_row: Sequence[Any], warnings: list[str]) -> str | None:
    """Row 1 is "Last Updated" and the list's date."""
    label = cell_text(first_row[0]) if first_row else None
    if label and label.lower().startswith("last updated"):
        value = first_row[1] if len(first_row) > 1 else None
        if value is None and ":" in label:
            value = label.split(":", 1)[1]
        iso = iso_date(value)
        if iso is None:
            warnings.append(f"'Last Updated' date not readable: {value!r}")
        return iso
    warnings.append("no 'Last Updated' row above the header; publication date unknown")
    return None


def _find_header(rows: Sequence[Sequence[Any]]) -> int | None:
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        names = {cell_text(c) for c in row}
        if "Group ID" in names and "Name 6" in names:
            return index
    return None


# --------------------------------------------------------------------------------------------------------
# Excel
# --------------------------------------------------------------------------------------------------------


def _open_workbook(path: Path) -> Any:
    from openpyxl import load_workbook  # imported here: only this format needs it

    with path.open("rb") as handle:
        data_head = handle.read(4096)
    if not data_head.strip():
        raise ListFormatError("file is empty", file=path)
    if looks_like_html(data_head):
        raise ListFormatError(
            "an HTML page, not an Excel workbook (a failed or blocked download?)", file=path
        )
    if not is_zip(data_head):
        raise ListFormatError("not an .xlsx workbook (not a zip archive)", file=path)
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zip, XML, KeyError... for a broken workbook
        raise ListFormatError(
            f"truncated or corrupt .xlsx workbook ({type(exc).__name__}: {exc})", file=path
        ) from None


def _parse_xlsx(path: Path, source: str) -> ParsedList:
    workbook = _open_workbook(path)
    warnings: list[str] = []
    try:
        names = list(workbook.sheetnames)
        order = [SHEET] if SHEET in names else []
        order += [n for n in names if n != SHEET]
        for sheet_name in order:
            rows_iter = workbook[sheet_name].iter_rows(values_only=True)
            top = [row for _, row in zip(range(HEADER_SCAN_ROWS), rows_iter, strict=False)]
            header_at = _find_header(top)
            if header_at is None:
                continue
            if sheet_name != SHEET:
                warnings.append(f"no sheet {SHEET!r}; read sheet {sheet_name!r}")
            published = _published(path, top[0], warnings) if header_at > 0 else None
            if header_at == 0:
                warnings.append("no 'Last Updated' row above the header; publication date unknown")
            reader = _OfsiRows(path, [cell_text(c) for c in top[header_at]], source)
            line = 0
            rows = itertools.chain(top[header_at + 1 :], rows_iter)
            for line, row in enumerate(rows, start=header_at + 2):  # spreadsheet row numbers
                if any(c is not None and c != "" for c in row):
                    reader.add(line, row)
            if not reader.builders:
                raise ListFormatError(f"sheet {sheet_name!r} has the header but no rows", file=path)
            return reader.result(FORMAT_XLSX, published, warnings)
    except ListFormatError:
        raise
    except Exception as exc:  # a sheet cut short fails only while its rows are read
        raise ListFormatError(
            f"truncated or corrupt .xlsx workbook ({type(exc).__name__}: {exc})", file=path
        ) from None
    finally:
        workbook.close()
    missing = ", ".join(repr(c) for c in REQUIRED)
    raise ListFormatError(
        f"not the OFSI Consolidated List layout: no sheet {SHEET!r} with a header row holding {missing} "
        f"in its first {HEADER_SCAN_ROWS} rows (sheets: {', '.join(map(repr, names))})",
        file=path,
    )


# --------------------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------------------


def _parse_csv(path: Path, source: str) -> ParsedList:
    warnings: list[str] = []
    data = path.read_bytes()
    if looks_like_html(data[:4096]):
        raise ListFormatError("an HTML page, not a CSV list (a failed or blocked download?)", file=path)
    text = decode_csv(path, data, warnings)
    top: list[list[str]] = []
    try:
        for _, row in zip(range(HEADER_SCAN_ROWS), csv.reader(io.StringIO(text, newline="")), strict=False):
            top.append(row)
    except csv.Error as exc:
        raise ListFormatError(f"malformed CSV: {exc}", file=path) from None
    header_at = _find_header(top)
    if header_at is None:
        raise ListFormatError(
            "not the OFSI Consolidated List CSV: no header row with 'Group ID' and 'Name 6' "
            f"in the first {HEADER_SCAN_ROWS} lines",
            file=path,
        )
    published = _published(path, top[0], warnings) if header_at > 0 else None
    if header_at == 0:
        warnings.append("no 'Last Updated' row above the header; publication date unknown")
    header = [clean(c) for c in top[header_at]]
    while header and header[-1] is None:  # a trailing comma on the header line
        header.pop()
    reader = _OfsiRows(path, header, source)
    for line, row in csv_records(path, text, header_at + 1, len(header)):
        reader.add(line, row)
    if not reader.builders:
        raise ListFormatError("the header but no rows", file=path)
    return reader.result(FORMAT_CSV, published, warnings)


# --------------------------------------------------------------------------------------------------------
# Parser-module contract
# --------------------------------------------------------------------------------------------------------


def _zip_member_head(path: Path, names: Sequence[str], size: int = 262144) -> bytes:
    """The first bytes (decompressed) of the first zip member present; b"" when none or not a zip."""
    try:
        with zipfile.ZipFile(path) as archive:
            present = set(archive.namelist())
            for name in names:
                if name in present:
                    with archive.open(name) as member:
                        return member.read(size)
    except (zipfile.BadZipFile, OSError, KeyError, EOFError, RuntimeError, ValueError):
        return b""
    return b""


def sniff(path: Path, head: bytes) -> str | None:
    if is_zip(head):
        # Header strings sit near the start of the shared strings (or of the sheet, for inline strings).
        text = _zip_member_head(path, ("xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"))
        if b">Group ID<" in text and b">Name 6<" in text and b">Alias Type<" in text:
            return FORMAT_XLSX
        return None
    sample = head[:8192]
    if b"\x00" in sample:
        return None
    lines = sample.decode("utf-8-sig", errors="replace").splitlines()[:3]
    if not lines or not lines[0].lstrip('"').lower().startswith("last updated"):
        return None
    if any("Group ID" in line and "Name 6" in line and "Alias Type" in line for line in lines[1:]):
        return FORMAT_CSV
    return None


def parse(paths: list[Path], *, format: str, source: str | None = None) -> ParsedList:
    if len(paths) != 1:
        raise ListFormatError(f"{format} reads exactly one file, got {len(paths)}")
    path = paths[0]
    if not path.is_file():
        raise ListFormatError("no such file", file=path)
    source = source or DEFAULT_SOURCE
    if format == FORMAT_XLSX:
        return _parse_xlsx(path, source)
    if format == FORMAT_CSV:
        return _parse_csv(path, source)
    raise ListFormatError(f"format {format!r} is not read by the OFSI parser", file=path)


__all__ = ["parse", "sniff"]
