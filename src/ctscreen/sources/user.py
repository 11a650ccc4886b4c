"""A user's own list: CSV ("user-csv") or JSON ("user-json").

For lists that no official feed covers -- Pakistan's NACTA First Schedule of proscribed organisations, a
bank's internal blocklist -- kept by the user in a simple documented format (docs/user-lists.md). One row
(or JSON object) per party with `ref`, `name` and `type`, optional columns for aliases, dates of birth,
documents, addresses and the listing; several rows with the same `ref` are one party. Validation is strict
and names the line and the column, because a silently mis-read row is a party nobody screens against.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass, replace
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
from ctscreen.names import non_latin_script
from ctscreen.sources.base import ParsedList, clean, looks_like_html, read_text

CSV_FORMAT = "user-csv"
JSON_FORMAT = "user-json"
DEFAULT_SOURCE = "user"
SOURCE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
OFFICIAL_SOURCES = frozenset({"un", "ofac-sdn", "ofac-cons", "uk-ofsi", "uk-fcdo", "eu", "us-csl", "ftm"})

REQUIRED = ("ref", "name", "type")
SINGLE_VALUED = (
    "ref",
    "name",
    "type",
    "gender",
    "id_country",
    "original_script_language",
    "listed_on",
    "remarks",
    "un_reference",
)
MULTI_VALUED = (
    "aliases",
    "weak_aliases",
    "former_names",
    "original_script_names",
    "dob",
    "birth_place",
    "nationality",
    "citizenship",
    "passport",
    "national_id",
    "imo",
    "address",
    "country",
    "programmes",
    "title",
    "position",
)
COLUMNS = SINGLE_VALUED + MULTI_VALUED
EXTRA_PREFIX = "x_"

_TYPES = {
    "person": Schema.PERSON,
    "individual": Schema.PERSON,
    "organization": Schema.ORGANIZATION,
    "organisation": Schema.ORGANIZATION,
    "entity": Schema.ORGANIZATION,
    "vessel": Schema.VESSEL,
    "ship": Schema.VESSEL,
    "aircraft": Schema.AIRCRAFT,
}
_GENDERS = {"male": "male", "m": "male", "female": "female", "f": "female"}
_PAKISTAN = {"pk", "pak", "pakistan"}
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_RANGE = re.compile(r"^(\d{4})\s*\.\.\s*(\d{4})$")
_UN_REFERENCE = re.compile(r"^[A-Z]{2}[ie]\.\d{1,4}$")
_SLUG = re.compile(r"[^a-z0-9_-]+")
_COLUMN_SEPARATORS = re.compile(r"[\s-]+")


@dataclass(frozen=True)
class _Where:
    """Where a record sits, for error messages: a line (CSV, JSON lines) or a position in a JSON array."""

    path: Path
    line: int | None = None
    index: int | None = None

    def error(self, message: str, *, ref: str | None = None, field: str | None = None) -> ListFormatError:
        record = f"ref {ref}" if ref else None
        if self.index is not None:
            record = f"entity {self.index}" + (f" (ref {ref})" if ref else "")
        return ListFormatError(message, file=self.path, line=self.line, record=record, field=field)


# --- detection ------------------------------------------------------------------------------------------


def sniff(path: Path, head: bytes) -> str | None:
    if looks_like_html(head):
        return None
    text = head.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "replace")
    stripped = text.lstrip()
    if stripped.startswith(("[", "{")):
        return JSON_FORMAT if _looks_like_user_json(stripped) else None
    header = next((line for line in text.splitlines() if line.strip() and not line.startswith("#")), "")
    columns = {_column_name(c) for c in next(csv.reader([header]), [])}
    return CSV_FORMAT if columns.issuperset(REQUIRED) else None


def _looks_like_user_json(text: str) -> bool:
    first_line = text.split("\n", 1)[0].strip()
    try:
        first = json.loads(first_line)
    except ValueError:
        first = None
    if isinstance(first, dict):
        if "schema" in first and "properties" in first:
            return False  # FollowTheMoney
        return "ref" in first or "entities" in first
    if '"schema"' in text and '"properties"' in text:
        return False
    return '"entities"' in text or ('"ref"' in text and '"name"' in text)


# --- parsing --------------------------------------------------------------------------------------------


def parse(paths: list[Path], *, format: str = CSV_FORMAT, source: str | None = None) -> ParsedList:
    if len(paths) != 1:
        raise ListFormatError(f"a user list is read one file at a time; got {len(paths)} files")
    path = paths[0]
    text = _read(path)
    if format == JSON_FORMAT:
        records, meta = _json_records(text, path)
    elif format == CSV_FORMAT:
        records, meta = _csv_records(text, path)
    else:
        raise ListFormatError(f"format {format!r} is not a user-list format", file=path)
    source_name = _source_name(source, meta.get("name"), path)
    entities: dict[str, Entity] = {}
    for where, values in records:
        entity = _entity(values, where, source_name)
        if entity.ref in entities:
            entities[entity.ref] = _merge(entities[entity.ref], entity, where)
        else:
            entities[entity.ref] = entity
    if not entities:
        raise ListFormatError("the list has no entries", file=path)
    published = meta.get("published")
    if published is not None and not _is_iso_timestamp(published):
        raise ListFormatError(f"published {published!r} is not an ISO date (YYYY-MM-DD)", file=path)
    return ParsedList(
        source=source_name, format=format, entities=list(entities.values()), files=[path], published=published
    )


def _read(path: Path) -> str:
    try:
        text = read_text(path)
    except ListFormatError as exc:
        if exc.message.startswith("not valid"):
            raise ListFormatError(
                f"{exc.message}; save the list as UTF-8 (in Excel: 'CSV UTF-8')", file=path, line=exc.line
            ) from None
        raise
    if looks_like_html(text[:2048].encode("utf-8", "replace")):
        raise ListFormatError("an HTML page, not a user list", file=path)
    return text


Record = tuple[_Where, dict[str, list[str]]]


def _csv_records(text: str, path: Path) -> tuple[list[Record], dict[str, str]]:
    if text.lstrip().startswith(("[", "{")):
        raise ListFormatError("this is JSON, not CSV: use the user-json format", file=path, line=1)
    meta: dict[str, str] = {}
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    records: list[Record] = []
    previous_end = 0
    for cells in reader:
        line, previous_end = previous_end + 1, reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if cells[0].lstrip().startswith("#"):
            if header is None:
                _comment_meta(",".join(cells), meta)
            continue
        where = _Where(path, line=line)
        if header is None:
            header = _header(cells, where)
            continue
        if len(cells) != len(header):
            raise where.error(f"expected {len(header)} columns, found {len(cells)}", ref=clean(cells[0]))
        values: dict[str, list[str]] = {}
        for column, cell in zip(header, cells, strict=True):
            if column in MULTI_VALUED or column.startswith(EXTRA_PREFIX):
                values[column] = _split(cell)
            else:
                values[column] = [v] if (v := clean(cell)) else []
        records.append((where, values))
    if header is None:
        raise ListFormatError("no header line (ref,name,type,...)", file=path)
    return records, meta


def _comment_meta(line: str, meta: dict[str, str]) -> None:
    """`# name: pk-nacta` and `# published: 2025-06-01` before the header set the list's name and date."""
    key, sep, value = line.lstrip().lstrip("#").partition(":")
    key = key.strip().lower()
    if sep and key in ("name", "published") and (text := clean(value.strip().strip(","))):
        meta.setdefault(key, text)


def _header(cells: list[str], where: _Where) -> list[str]:
    columns = [_column_name(c) for c in cells]
    for number, column in enumerate(columns, start=1):
        if not column:
            raise where.error(f"header column {number} has no name")
        if column not in COLUMNS and not column.startswith(EXTRA_PREFIX):
            raise where.error(_unknown_column(column), field=column)
        if columns.count(column) > 1:
            raise where.error(f"column {column!r} appears twice in the header", field=column)
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise where.error(f"header lacks the required column(s) {', '.join(missing)}")
    return columns


def _unknown_column(column: str) -> str:
    return (
        f"unknown column {column!r}; known columns: {', '.join(COLUMNS)} "
        f"(prefix your own columns with {EXTRA_PREFIX!r} to keep them as extra data)"
    )


def _json_records(text: str, path: Path) -> tuple[list[Record], dict[str, str]]:
    stripped = text.lstrip()
    if not stripped.startswith(("[", "{")):
        raise ListFormatError(
            "not JSON (expected '[' or '{'): use the user-csv format for CSV", file=path, line=1
        )
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg != "Extra data":
            raise ListFormatError(
                f"malformed JSON: {exc.msg} (column {exc.colno})", file=path, line=exc.lineno
            ) from None
        return _json_lines(text, path), {}
    if isinstance(document, list):
        return _json_array(document, path), {}
    if isinstance(document, dict) and "entities" in document:
        return _json_document(document, path)
    if isinstance(document, dict):  # a JSON-lines file of one line
        return [(_Where(path, line=1), _json_values(document, _Where(path, line=1)))], {}
    raise ListFormatError("expected a JSON array or object", file=path, line=1)


def _json_lines(text: str, path: Path) -> list[Record]:
    records: list[Record] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = _Where(path, line=number)
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise where.error(f"malformed JSON: {exc.msg} (column {exc.colno})") from None
        records.append((where, _json_values(item, where)))
    return records


def _json_array(items: list[Any], path: Path) -> list[Record]:
    records: list[Record] = []
    for index, item in enumerate(items, start=1):
        where = _Where(path, index=index)
        records.append((where, _json_values(item, where)))
    return records


def _json_document(document: dict[str, Any], path: Path) -> tuple[list[Record], dict[str, str]]:
    unknown = sorted(set(document) - {"list", "entities"})
    if unknown:
        raise ListFormatError(
            f"unknown top-level key(s) {', '.join(unknown)}; expected list, entities", file=path
        )
    header = document.get("list") or {}
    if not isinstance(header, dict):
        raise ListFormatError('"list" must be an object {"name": ..., "published": ...}', file=path)
    meta = {key: str(header[key]) for key in ("name", "published") if header.get(key) not in (None, "")}
    items = document["entities"]
    if not isinstance(items, list):
        raise ListFormatError('"entities" must be a JSON array', file=path)
    return _json_array(items, path), meta


def _json_values(item: Any, where: _Where) -> dict[str, list[str]]:
    """One JSON entry as column → values; strings of multi-valued keys are `;`-split like CSV cells."""
    if not isinstance(item, dict):
        raise where.error("each entry must be a JSON object")
    ref = item.get("ref")
    ref_text = str(ref) if isinstance(ref, str | int) and not isinstance(ref, bool) else None
    values: dict[str, list[str]] = {}
    for key, value in item.items():
        column = _column_name(key)
        if column not in COLUMNS and not column.startswith(EXTRA_PREFIX):
            raise where.error(_unknown_column(column), ref=ref_text, field=key)
        multi = column in MULTI_VALUED or column.startswith(EXTRA_PREFIX)
        if value is None:
            values[column] = []
        elif isinstance(value, list):
            if not multi:
                raise where.error(f"{key} takes one value, not a list", ref=ref_text, field=key)
            if not all(isinstance(v, str) for v in value):
                raise where.error(f"{key} must be a list of strings", ref=ref_text, field=key)
            values[column] = [v for v in (clean(v) for v in value) if v]
        elif isinstance(value, str) or (
            isinstance(value, int) and not isinstance(value, bool) and column == "ref"
        ):
            text = str(value)
            values[column] = _split(text) if multi else [v] if (v := clean(text)) else []
        else:
            raise where.error(f"{key} must be a string or a list of strings", ref=ref_text, field=key)
    return values


# --- one entry ------------------------------------------------------------------------------------------


def _entity(values: dict[str, list[str]], where: _Where, source: str) -> Entity:
    def one(column: str) -> str | None:
        found = values.get(column) or []
        return found[0] if found else None

    def many(column: str) -> list[str]:
        return values.get(column) or []

    ref = one("ref")
    for column in REQUIRED:
        if not one(column):
            raise where.error(f"missing {column}", ref=ref, field=column)
    assert ref is not None
    schema = _schema(one("type") or "", where, ref)
    gender = one("gender")
    if gender is not None:
        if gender.lower() not in _GENDERS:
            raise where.error(f"gender {gender!r} is not male or female", ref=ref, field="gender")
        if schema is not Schema.PERSON:
            raise where.error("gender is only for persons", ref=ref, field="gender")
    un_reference = one("un_reference")
    if un_reference is not None and not _UN_REFERENCE.match(un_reference):
        raise where.error(
            f"un_reference {un_reference!r} is not a UN reference like QDe.132 or TAi.002",
            ref=ref,
            field="un_reference",
        )
    listed_on = one("listed_on")
    if listed_on is not None:
        _date(listed_on, where, ref, "listed_on")  # validates
    return Entity(
        schema=schema,
        names=_names(values, one("name") or "", one("original_script_language")),
        listing=Listing(
            source=source,
            reference=ref,
            programmes=tuple(dict.fromkeys(many("programmes"))),
            listed_on=listed_on,
            remarks=one("remarks"),
            un_reference=un_reference,
        ),
        gender=_GENDERS[gender.lower()] if gender else None,
        birth_dates=tuple(dict.fromkeys(_date(v, where, ref, "dob") for v in many("dob"))),
        birth_places=tuple(dict.fromkeys(Place(text=v) for v in many("birth_place"))),
        nationalities=tuple(dict.fromkeys(many("nationality"))),
        citizenships=tuple(dict.fromkeys(many("citizenship"))),
        identifiers=_identifiers(values, one("id_country")),
        addresses=_addresses(many("address"), many("country")),
        titles=tuple(dict.fromkeys(many("title"))),
        positions=tuple(dict.fromkeys(many("position"))),
        extra=tuple(
            dict.fromkeys(
                (column.removeprefix(EXTRA_PREFIX), v)
                for column in values
                if column.startswith(EXTRA_PREFIX)
                for v in values[column]
            )
        ),
    )


def _schema(value: str, where: _Where, ref: str) -> Schema:
    try:
        return _TYPES[value.lower()]
    except KeyError:
        raise where.error(
            f"type {value!r} is not one of person, organization, vessel, aircraft", ref=ref, field="type"
        ) from None


def _names(values: dict[str, list[str]], primary: str, language: str | None) -> tuple[Name, ...]:
    names: dict[str, Name] = {primary: Name(primary, NameKind.PRIMARY, script=non_latin_script(primary))}
    groups = (
        ("aliases", NameKind.ALIAS),
        ("weak_aliases", NameKind.WEAK),
        ("former_names", NameKind.FORMER),
        ("original_script_names", NameKind.ORIGINAL_SCRIPT),
    )
    for column, kind in groups:
        for full in values.get(column) or []:
            script = non_latin_script(full)
            # An alias written in another script than Latin is an original-script name.
            kind_here = NameKind.ORIGINAL_SCRIPT if kind is NameKind.ALIAS and script else kind
            lang = language.lower() if language and kind_here is NameKind.ORIGINAL_SCRIPT else None
            names.setdefault(full, Name(full, kind_here, script=script, language=lang))
    return tuple(names.values())


def _date(value: str, where: _Where, ref: str, field: str) -> PartialDate:
    """YYYY, YYYY-MM, YYYY-MM-DD; `~` before any of them for "about"; YYYY..YYYY for a range of years."""
    text = value.strip()
    bad = (
        f"{field} {value!r} is not a date: use YYYY, YYYY-MM, YYYY-MM-DD, ~YYYY (about) or YYYY..YYYY (range)"
    )
    if field == "dob" and (match := _RANGE.match(text)):
        start, end = int(match[1]), int(match[2])
        if start > end:
            raise where.error(f"dob range {value!r} ends before it starts", ref=ref, field=field)
        return PartialDate(DateKind.RANGE, from_year=start, to_year=end)
    approximate = field == "dob" and text.startswith("~")
    match = _DATE.match(text.removeprefix("~").strip() if approximate else text)
    if not match:
        raise where.error(bad, ref=ref, field=field)
    year, month, day = match.groups()
    try:
        dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise where.error(f"{field} {value!r} is not a real date", ref=ref, field=field) from None
    iso = "-".join(p for p in (year, month, day) if p)
    return PartialDate(DateKind.APPROXIMATE if approximate else DateKind.EXACT, iso)


def _identifiers(values: dict[str, list[str]], id_country: str | None) -> tuple[Identifier, ...]:
    national_kind = IdentifierKind.NATIONAL_ID
    if id_country and id_country.lower() in _PAKISTAN:
        national_kind = IdentifierKind.CNIC  # Pakistan's national identity card
    found = [
        Identifier(IdentifierKind.PASSPORT, n, id_country, "passport") for n in values.get("passport") or []
    ]
    found += [
        Identifier(national_kind, n, id_country, "national_id") for n in values.get("national_id") or []
    ]
    found += [Identifier(IdentifierKind.IMO, n, None, "imo") for n in values.get("imo") or []]
    return tuple(dict.fromkeys(found))


def _addresses(addresses: list[str], countries: list[str]) -> tuple[Address, ...]:
    """A single country is the country of every address; otherwise each country stands as its own entry."""
    if len(countries) == 1 and addresses:
        return tuple(dict.fromkeys(Address(text=a, country=countries[0]) for a in addresses))
    found = [Address(text=a) for a in addresses] + [Address(text=c, country=c) for c in countries]
    return tuple(dict.fromkeys(found))


# --- several rows, one party ------------------------------------------------------------------------------


def _merge(first: Entity, other: Entity, where: _Where) -> Entity:
    """Rows sharing a ref: the first row's name stays primary, later names become aliases, lists are joined;
    single values (type, gender, listing date, UN reference) must agree."""
    ref = first.ref
    for label, a, b in (
        ("type", first.schema, other.schema),
        ("gender", first.gender, other.gender),
        ("listed_on", first.listing.listed_on, other.listing.listed_on),
        ("un_reference", first.listing.un_reference, other.listing.un_reference),
    ):
        if a is not None and b is not None and a != b:
            raise where.error(
                f"{label} {b!r} contradicts {a!r} in an earlier row of the same ref", ref=ref, field=label
            )
    names = {n.full: n for n in first.names}
    for name in other.names:
        demoted = replace(name, kind=NameKind.ALIAS) if name.kind is NameKind.PRIMARY else name
        names.setdefault(name.full, demoted)
    remarks = [r for r in (first.listing.remarks, other.listing.remarks) if r]

    def union(a: tuple[Any, ...], b: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(dict.fromkeys(a + b))

    return replace(
        first,
        names=tuple(names.values()),
        listing=replace(
            first.listing,
            programmes=union(first.listing.programmes, other.listing.programmes),
            listed_on=first.listing.listed_on or other.listing.listed_on,
            remarks="\n".join(dict.fromkeys(remarks)) or None,
            un_reference=first.listing.un_reference or other.listing.un_reference,
        ),
        gender=first.gender or other.gender,
        birth_dates=union(first.birth_dates, other.birth_dates),
        birth_places=union(first.birth_places, other.birth_places),
        nationalities=union(first.nationalities, other.nationalities),
        citizenships=union(first.citizenships, other.citizenships),
        identifiers=union(first.identifiers, other.identifiers),
        addresses=union(first.addresses, other.addresses),
        titles=union(first.titles, other.titles),
        positions=union(first.positions, other.positions),
        extra=union(first.extra, other.extra),
    )


# --- helpers --------------------------------------------------------------------------------------------


def _source_name(given: str | None, listed: str | None, path: Path) -> str:
    """The `source` argument, else the list's own name, else the file name slugged ("PK Proscribed.csv" →
    "pk-proscribed"); never one of the official list names."""
    if given:
        name, origin = given, "source name"
    elif listed:
        name, origin = listed, "list name"
    else:
        name, origin = _slug(path.stem), "name derived from the file name"
    if not SOURCE_NAME.match(name):
        raise ListFormatError(
            f"{origin} {name!r} is not a valid list name (lower-case letters, digits, '-' and '_', "
            f"at most 40, starting with a letter or digit)",
            file=path,
        )
    if name in OFFICIAL_SOURCES:
        raise ListFormatError(
            f"{origin} {name!r} is reserved for the official list; choose another name for a user list",
            file=path,
        )
    return name


def _slug(stem: str) -> str:
    slug = _SLUG.sub("-", stem.lower()).strip("-_")[:40]
    return slug.rstrip("-_")


def _column_name(name: str) -> str:
    return _COLUMN_SEPARATORS.sub("_", name.strip().lower())


def _split(cell: str) -> list[str]:
    return [v for part in cell.split(";") if (v := clean(part))]


def _is_iso_timestamp(value: str) -> bool:
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


__all__ = [
    "COLUMNS",
    "CSV_FORMAT",
    "JSON_FORMAT",
    "OFFICIAL_SOURCES",
    "REQUIRED",
    "SOURCE_NAME",
    "parse",
    "sniff",
]
