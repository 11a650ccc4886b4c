"""US Consolidated Screening List (CSL), CSV ("us-csl-csv").

Published by the International Trade Administration (trade.gov) as one UTF-8 CSV of 29 columns that merges
eleven export-control and sanctions lists of the Departments of Commerce, State and the Treasury (SDN, Entity
List, Denied Persons, ...). Multi-valued cells are packed with "; " (alt_names, addresses, programs, ids ...),
and each `ids` item is "Type, value[, country][, dates]". Known quirks handled here: the header line can be
repeated, the same `_id` can appear once per sub-list (merged into one entity, with a warning), and a copy
cut off in its last record keeps the complete fields of that record (with a warning).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TypeVar

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
from ctscreen.names import non_latin_script
from ctscreen.sources.base import ParsedList, clean, looks_like_html, read_text

FORMAT = "us-csl-csv"
SOURCE = "us-csl"
COLUMNS = (
    "_id",
    "source",
    "entity_number",
    "type",
    "programs",
    "name",
    "title",
    "addresses",
    "federal_register_notice",
    "start_date",
    "end_date",
    "standard_order",
    "license_requirement",
    "license_policy",
    "call_sign",
    "vessel_type",
    "gross_tonnage",
    "gross_registered_tonnage",
    "vessel_flag",
    "vessel_owner",
    "remarks",
    "source_list_url",
    "alt_names",
    "citizenships",
    "dates_of_birth",
    "nationalities",
    "places_of_birth",
    "source_information_url",
    "ids",
)
_REQUIRED = ("_id", "source", "type", "name")
_HEADER_PREFIX = b"_id,source,entity_number,type,programs,name"
_SEP = "; "
_T = TypeVar("_T")

# The BIS and State lists (Entity List, DPL, UVL, MEU, ISN, DTC) leave `type` empty: persons and companies alike.
_TYPES = {
    "individual": Schema.PERSON,
    "entity": Schema.ORGANIZATION,
    "vessel": Schema.VESSEL,
    "aircraft": Schema.AIRCRAFT,
    "": Schema.ORGANIZATION,
}
# Columns kept verbatim in `extra` (no model slot).
_EXTRA_COLUMNS = (
    "federal_register_notice",
    "end_date",
    "standard_order",
    "license_requirement",
    "license_policy",
    "call_sign",
    "vessel_type",
    "gross_tonnage",
    "gross_registered_tonnage",
    "vessel_flag",
    "vessel_owner",
    "source_list_url",
    "source_information_url",
)
# `ids` item types that are identity or registration documents; every other item type goes to `extra`.
_ID_KINDS: dict[str, IdentifierKind] = {
    **dict.fromkeys(
        (
            "passport",
            "diplomatic passport",
            "british national overseas passport",
            "travel document number",
        ),
        IdentifierKind.PASSPORT,
    ),
    **dict.fromkeys(
        (
            "national id no.",
            "cedula no.",
            "d.n.i.",
            "c.u.r.p.",
            "personal id card",
            "national foreign id number",
            "identification number",
            "kenyan id no.",
            "moroccan personal id no.",
            "bosnian personal id no.",
            "electoral registry no.",
            "credencial electoral",
            "ssn",
            "immigration no.",
            "public security and immigration no.",
            "driver's license no.",
        ),
        IdentifierKind.NATIONAL_ID,
    ),
    **dict.fromkeys(
        (
            "tax id no.",
            "nit #",
            "r.f.c.",
            "rfc",
            "ruc #",
            "italian fiscal code",
            "us fein",
            "v.a.t. number",
            "c.u.i.t.",
            "paraguayan tax identification number",
        ),
        IdentifierKind.TAX_ID,
    ),
    **dict.fromkeys(
        (
            "registration id",
            "registration number",
            "unified social credit code (uscc)",
            "business registration document #",
            "business registration number",
            "c.r. no.",
            "legal entity number",
            "le number",
            "public registration number",
            "certificate of incorporation number",
            "company number",
            "uk company number",
            "registered charity no.",
            "government gazette number",
            "aircraft tail number",
        ),
        IdentifierKind.REGISTRATION,
    ),
    "vessel registration identification": IdentifierKind.IMO,
}
_COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")
_LINKED_TO = re.compile(r"\(Linked To: ([^)]+)\)")
_LINKED_TO_SEP = re.compile(r";\s*Linked To:\s*")
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
    )
}
_DOB = re.compile(
    r"^(?P<circa>circa\s+)?(?:(?P<day>\d{1,2})\s+)?(?:(?P<month>[A-Za-z]{3})\s+)?(?P<year>\d{4})$"
)
_ISO_DOB = re.compile(r"^(?P<circa>circa\s+)?(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})$")


def sniff(path: Path, head: bytes) -> str | None:
    if looks_like_html(head):
        return None
    if head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(_HEADER_PREFIX):
        return FORMAT
    return None


def parse(paths: list[Path], *, format: str = FORMAT, source: str | None = None) -> ParsedList:
    if len(paths) != 1:
        raise ListFormatError(f"the US CSL is one CSV file; got {len(paths)} files")
    path = paths[0]
    source_name = source or SOURCE
    warnings: list[str] = []
    groups: dict[str, list[dict[str, str]]] = {}
    for row in _rows(path, warnings):
        groups.setdefault(row["_id"], []).append(row)
    if not groups:
        raise ListFormatError("no data rows under the header", file=path)
    entities = []
    for reference, rows in groups.items():
        if len(rows) > 1:
            lists = "; ".join(dict.fromkeys(r["source"] for r in rows))
            warnings.append(f"_id {reference}: {len(rows)} rows merged into one entity ({lists})")
        entities.append(_entity(reference, rows, source_name, path))
    return ParsedList(source=source_name, format=format, entities=entities, files=[path], warnings=warnings)


def _rows(path: Path, warnings: list[str]) -> Iterable[dict[str, str]]:
    """Data rows as dicts keyed by column name, plus `_line`; repeated headers skipped, lengths checked."""
    text = read_text(path)
    if looks_like_html(text[:2048].encode("utf-8", "replace")):
        raise ListFormatError("an HTML page, not the CSL CSV (a failed or blocked download?)", file=path)
    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[tuple[int, list[str]]] = []
    previous_end = 0
    for cells in reader:
        records.append((previous_end + 1, cells))
        previous_end = reader.line_num
    header = [h.strip() for h in records[0][1]] if records else []
    missing = [c for c in _REQUIRED if c not in header]
    if missing:
        raise ListFormatError(
            f"not a US CSL CSV: header lacks {', '.join(missing)} (expected {','.join(COLUMNS[:6])},...)",
            file=path,
            line=1,
        )
    cut_off = not text.endswith(("\n", "\r"))
    last = len(records) - 1
    for index, (line, cells) in enumerate(records[1:], start=1):
        if not any(c.strip() for c in cells):
            continue
        if [c.strip() for c in cells] == header:
            warnings.append(f"line {line}: repeated header line skipped")
            continue
        record = f"_id {cells[0].strip()}" if cells[0].strip() else None
        truncated = False
        if len(cells) != len(header):
            if not (cut_off and index == last and len(cells) < len(header)):
                raise ListFormatError(
                    f"expected {len(header)} columns, found {len(cells)}", file=path, line=line, record=record
                )
            # The file ends inside this record: keep the complete fields, drop the one cut in the middle.
            cells = cells[:-1]
            truncated = True
            warnings.append(
                f"line {line}: the file ends inside the last record ({record}); kept its first "
                f"{len(cells)} of {len(header)} fields"
            )
        row = dict(zip(header, (c.strip() for c in cells), strict=False))
        row["_line"] = str(line)
        if truncated:
            row["_truncated"] = header[len(cells)]
            if any(c not in row for c in _REQUIRED):
                raise ListFormatError(
                    "the file ends inside the last record, before its name: truncated download?",
                    file=path,
                    line=line,
                    record=record,
                )
        _check(row, path)
        yield row


def _check(row: dict[str, str], path: Path) -> None:
    line = int(row["_line"])
    if not row["_id"]:
        raise ListFormatError("empty _id", file=path, line=line, field="_id")
    record = f"_id {row['_id']}"
    if row.get("type", "").lower() not in _TYPES:
        raise ListFormatError(
            f"unknown type {row['type']!r} (expected Individual, Entity, Vessel, Aircraft or empty)",
            file=path,
            line=line,
            record=record,
            field="type",
        )
    if not row.get("name"):
        raise ListFormatError("empty name", file=path, line=line, record=record, field="name")


def _entity(reference: str, rows: list[dict[str, str]], source: str, path: Path) -> Entity:
    """One entity from all rows sharing an `_id` (one per CSL sub-list); values are unioned in row order."""
    types = [r["type"] for r in rows if r.get("type")]
    schema = _TYPES[types[0].lower()] if types else Schema.ORGANIZATION
    names = _names(rows, schema)
    identifiers: list[Identifier] = []
    extra: list[tuple[str, str]] = []
    nationalities: list[str] = []
    genders: list[str] = []
    for row in rows:
        extra.append(("csl_source", row["source"]))
        ids, id_extra, id_nationalities, id_genders = _ids(row.get("ids", ""))
        identifiers += ids
        extra += id_extra
        nationalities += id_nationalities
        genders += id_genders
        extra += [(c, v) for c in _EXTRA_COLUMNS if (v := clean(row.get(c)))]
    if not types:
        extra.append(("csl_type", "not given by the list"))
    for row in rows:
        if "_truncated" in row:
            extra.append(
                ("truncated", f"record cut off at the end of the file, from field {row['_truncated']}")
            )
    programmes = _split(r.get("programs") for r in rows) + _unique(r["source"] for r in rows)
    remarks = _unique(v for r in rows if (v := clean(r.get("remarks"))))
    listed = sorted(v for r in rows if (v := clean(r.get("start_date"))))
    return Entity(
        schema=schema,
        names=names,
        listing=Listing(
            source=source,
            reference=reference,
            programmes=_unique(programmes),
            listed_on=listed[0] if listed else None,
            remarks="\n".join(remarks) or None,
            other_references=_unique(v for r in rows if (v := clean(r.get("entity_number")))),
        ),
        gender=genders[0] if genders else None,
        birth_dates=_unique(_birth_date(v, path, r) for r in rows for v in _split([r.get("dates_of_birth")])),
        birth_places=_unique(Place(text=v) for v in _split(r.get("places_of_birth") for r in rows)),
        nationalities=_unique(_split(r.get("nationalities") for r in rows) + tuple(nationalities)),
        citizenships=_split(r.get("citizenships") for r in rows),
        identifiers=_unique(identifiers),
        addresses=_unique(_address(v) for v in _split(r.get("addresses") for r in rows)),
        positions=_unique(v for r in rows if (v := clean(r.get("title")))),
        linked_to=_unique(name for r in rows for name in _linked_to(r.get("remarks", ""))),
        extra=_unique(extra),
    )


def _linked_to(remarks: str) -> list[str]:
    """OFAC remarks name related parties as "(Linked To: A; Linked To: B)"."""
    return [
        n
        for group in _LINKED_TO.findall(remarks)
        for part in _LINKED_TO_SEP.split(group)
        if (n := clean(part))
    ]


def _names(rows: list[dict[str, str]], schema: Schema) -> tuple[Name, ...]:
    """The first row's name is primary; other rows' names and every alt_name become aliases (one per
    spelling, compared case-insensitively: the sub-lists write the same name in different cases)."""
    names: dict[str, Name] = {}
    for row in rows:
        for index, full in enumerate([clean(row["name"]) or "", *_split([row.get("alt_names")])]):
            key = full.casefold()
            if not full or key in names:
                continue
            kind = NameKind.PRIMARY if not names and index == 0 else NameKind.ALIAS
            script = non_latin_script(full)
            if script and kind is NameKind.ALIAS:
                kind = NameKind.ORIGINAL_SCRIPT
            given, family = _person_parts(full) if schema is Schema.PERSON else (None, None)
            names[key] = Name(full=full, kind=kind, given=given, family=family, script=script)
    return tuple(names.values())


def _person_parts(full: str) -> tuple[str | None, str | None]:
    """SDN-style "FAMILY, Given" → (given, family); other spellings are left whole."""
    if full.count(",") != 1:
        return None, None
    family, given = (clean(p) for p in full.split(","))
    return given, family


def _ids(value: str) -> tuple[list[Identifier], list[tuple[str, str]], list[str], list[str]]:
    """Split the `ids` cell into documents, extra (key, value) pairs, nationalities and genders."""
    identifiers: list[Identifier] = []
    extra: list[tuple[str, str]] = []
    nationalities: list[str] = []
    genders: list[str] = []
    for item in _split([value]):
        type_text, _, rest = item.partition(", ")
        type_text, rest = type_text.strip(), rest.strip()
        key = type_text.lower()
        if not rest:
            extra.append(("id", type_text))
        elif key == "gender":
            genders.append(rest.lower())
        elif key == "nationality country":
            nationalities.append(rest)
        elif key in _ID_KINDS:
            identifiers.append(_identifier(_ID_KINDS[key], type_text, rest))
        else:
            extra.append((type_text.rstrip(" :-"), rest))
    return identifiers, extra, nationalities, genders


def _identifier(kind: IdentifierKind, type_text: str, rest: str) -> Identifier:
    """ "G 649385, 08 Sep 2006, 17 Jul 2011" or "01503093, AF": number first, then an ISO country code and
    issue/expiry dates or other qualifiers, which go to the note."""
    number, *details = (p.strip() for p in rest.split(", "))
    country = next((d for d in details if _COUNTRY_CODE.match(d)), None)
    notes = [d for d in details if d and d != country]
    if kind is IdentifierKind.NATIONAL_ID and country == "PK":
        kind = IdentifierKind.CNIC
    return Identifier(
        kind=kind, number=number, country=country, type_text=type_text, note=", ".join(notes) or None
    )


def _address(text: str) -> Address:
    """CSL addresses are one free-text string ending in an ISO country code ("..., Peshawar, PK")."""
    last = text.rsplit(",", 1)[-1].strip()
    return Address(text=text, country=last if _COUNTRY_CODE.match(last) else None)


def _birth_date(value: str, path: Path, row: dict[str, str]) -> PartialDate:
    """ "1980-02-08", "1962", "Sep 1938", "circa 1951", "circa 07 Jul 1966"."""
    iso = _ISO_DOB.match(value)
    match = iso or _DOB.match(value)
    if match is None:
        raise ListFormatError(
            f"unreadable date of birth {value!r}",
            file=path,
            line=int(row["_line"]),
            record=f"_id {row['_id']}",
            field="dates_of_birth",
        )
    kind = DateKind.APPROXIMATE if match["circa"] else DateKind.EXACT
    if iso:
        return PartialDate(kind, f"{iso['year']}-{iso['month']}-{iso['day']}")
    month = _MONTHS.get((match["month"] or "").lower())
    if match["month"] and month is None:
        raise ListFormatError(
            f"unknown month in date of birth {value!r}",
            file=path,
            line=int(row["_line"]),
            record=f"_id {row['_id']}",
            field="dates_of_birth",
        )
    iso_value = match["year"]
    if month:
        iso_value += f"-{month:02d}"
        if match["day"]:
            iso_value += f"-{int(match['day']):02d}"
    return PartialDate(kind, iso_value)


def _split(values: Iterable[str | None]) -> tuple[str, ...]:
    """Unpack "; "-packed cells (several cells in order), cleaned, empties and repeats dropped."""
    return _unique(v for value in values if value for part in value.split(";") if (v := clean(part)))


def _unique(items: Iterable[_T]) -> tuple[_T, ...]:
    return tuple(dict.fromkeys(items))


__all__ = ["COLUMNS", "FORMAT", "SOURCE", "parse", "sniff"]
