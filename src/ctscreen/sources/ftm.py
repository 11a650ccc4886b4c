"""OpenSanctions FollowTheMoney (FtM) entities, JSON lines ("ftm-json").

OpenSanctions publishes each dataset as `entities.ftm.json`: one JSON object per line, `{"id", "schema",
"properties": {name: [values]}, "datasets", "target", ...}`. Listed parties (Person, Organization, Company,
LegalEntity, Vessel, Airplane) are separate lines from the entities that describe them: a `Sanction` points to
its party through `properties.entity`, a `Passport`/`Identification` through `holder`, and an `Address` is
referenced from the party's `addressEntity`. The `targets.nested.json` variant puts those adjacent entities
inline, as objects inside the party's properties; both are read here. FtM data is CC BY-NC licensed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

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

FORMAT = "ftm-json"
SOURCE = "ftm"
_T = TypeVar("_T")

TARGET_SCHEMAS = {
    "Person": Schema.PERSON,
    "Organization": Schema.ORGANIZATION,
    "Company": Schema.ORGANIZATION,
    "LegalEntity": Schema.ORGANIZATION,
    "PublicBody": Schema.ORGANIZATION,
    "Vessel": Schema.VESSEL,
    "Airplane": Schema.AIRCRAFT,
}
_IDENTIFICATION_SCHEMAS = {"Passport", "Identification"}
# Party properties that are identifiers, with the kind each one is.
_ID_PROPERTIES = {
    "passportNumber": IdentifierKind.PASSPORT,
    "idNumber": IdentifierKind.NATIONAL_ID,
    "imoNumber": IdentifierKind.IMO,
    "taxNumber": IdentifierKind.TAX_ID,
    "innCode": IdentifierKind.TAX_ID,
    "vatCode": IdentifierKind.TAX_ID,
    "registrationNumber": IdentifierKind.REGISTRATION,
    "ogrnCode": IdentifierKind.REGISTRATION,
    "leiCode": IdentifierKind.REGISTRATION,
    "swiftBic": IdentifierKind.OTHER,
    "mmsi": IdentifierKind.OTHER,
}
# Party properties kept verbatim in `extra`.
_EXTRA_PROPERTIES = (
    "country",
    "jurisdiction",
    "topics",
    "fatherName",
    "motherName",
    "ethnicity",
    "religion",
    "flag",
    "callSign",
    "buildDate",
    "type",
    "model",
    "incorporationDate",
    "dissolutionDate",
    "sourceUrl",
    "wikidataId",
)
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
_PAKISTAN = {"pk", "pakistan"}


@dataclass
class _Record:
    """One FtM entity as read: where it was, and its properties as lists of strings (nested ones split off)."""

    id: str
    schema: str
    properties: dict[str, list[str]]
    line: int
    target: bool | None = None
    datasets: list[str] = field(default_factory=list)
    parent: str | None = None  # the party that this entity was nested in (targets.nested.json)


def sniff(path: Path, head: bytes) -> str | None:
    if looks_like_html(head):
        return None
    for raw in head.removeprefix(b"\xef\xbb\xbf").splitlines():
        line = raw.strip()
        if not line:
            continue
        if not line.startswith(b"{"):
            return None
        try:
            data = json.loads(line)
        except ValueError:
            # A first line longer than the sniffed head: judge by its opening keys.
            return FORMAT if b'"schema"' in line and b'"properties"' in line else None
        is_ftm = isinstance(data, dict) and "schema" in data and isinstance(data.get("properties"), dict)
        return FORMAT if is_ftm else None
    return None


def parse(paths: list[Path], *, format: str = FORMAT, source: str | None = None) -> ParsedList:
    if len(paths) != 1:
        raise ListFormatError(f"an FtM export is read one file at a time; got {len(paths)} files")
    path = paths[0]
    source_name = source or SOURCE
    records = list(_records(path))
    by_id: dict[str, _Record] = {}
    for record in records:
        if record.id in by_id and record.schema != by_id[record.id].schema:
            raise ListFormatError(
                f"id {record.id!r} is both {by_id[record.id].schema} (line {by_id[record.id].line}) and "
                f"{record.schema}",
                file=path,
                line=record.line,
            )
        by_id.setdefault(record.id, record)
    sanctions: dict[str, list[_Record]] = {}
    documents: dict[str, list[_Record]] = {}
    for record in records:
        if record.schema == "Sanction":
            for party in record.properties.get("entity") or ([record.parent] if record.parent else []):
                sanctions.setdefault(party, []).append(record)
        elif record.schema in _IDENTIFICATION_SCHEMAS:
            for party in record.properties.get("holder") or ([record.parent] if record.parent else []):
                documents.setdefault(party, []).append(record)
    warnings: list[str] = []
    entities: list[Entity] = []
    skipped: dict[str, int] = {}
    emitted: set[str] = set()
    for record in records:
        if record.schema not in TARGET_SCHEMAS:
            if record.schema not in _IDENTIFICATION_SCHEMAS | {"Sanction", "Address"}:
                skipped[record.schema] = skipped.get(record.schema, 0) + 1
            continue
        if record.target is False or record.id in emitted:
            continue  # related parties (owners, relatives) that are not themselves listed
        emitted.add(record.id)
        entities.append(
            _entity(
                record, sanctions.get(record.id, []), documents.get(record.id, []), by_id, source_name, path
            )
        )
    if skipped:
        counts = ", ".join(f"{schema} {count}" for schema, count in sorted(skipped.items()))
        warnings.append(f"entities of other schemas ignored: {counts}")
    dangling = sorted(party for party in sanctions if party not in by_id)
    if dangling:
        warnings.append(f"{len(dangling)} Sanction entities point to ids not in the file, e.g. {dangling[0]}")
    if not entities:
        raise ListFormatError(
            f"no listed parties ({', '.join(TARGET_SCHEMAS)}) among {len(records)} FtM entities", file=path
        )
    return ParsedList(source=source_name, format=format, entities=entities, files=[path], warnings=warnings)


def _records(path: Path) -> Iterator[_Record]:
    text = read_text(path)
    if looks_like_html(text[:2048].encode("utf-8", "replace")):
        raise ListFormatError("an HTML page, not FtM JSON lines (a failed or blocked download?)", file=path)
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ListFormatError(
                f"malformed JSON: {exc.msg} (column {exc.colno})", file=path, line=number
            ) from None
        yield from _flatten(data, number, path, parent=None)


def _flatten(data: Any, line: int, path: Path, parent: str | None) -> Iterator[_Record]:
    """The entity on this line and, depth first, every entity nested in its properties."""
    if not isinstance(data, dict) or not isinstance(data.get("schema"), str):
        raise ListFormatError('not an FtM entity: expected an object with a "schema"', file=path, line=line)
    entity_id = data.get("id")
    if not isinstance(entity_id, str) or not entity_id.strip():
        raise ListFormatError('FtM entity without an "id"', file=path, line=line, record=data["schema"])
    raw = data.get("properties", {})
    if not isinstance(raw, dict):
        raise ListFormatError('"properties" is not an object', file=path, line=line, record=entity_id)
    properties: dict[str, list[str]] = {}
    nested: list[Any] = []
    for name, values in raw.items():
        for value in values if isinstance(values, list) else [values]:
            if isinstance(value, dict):
                nested.append(value)
                if isinstance(value.get("id"), str):
                    properties.setdefault(name, []).append(value["id"])
            elif (
                isinstance(value, str | int | float)
                and not isinstance(value, bool)
                and (text := clean(str(value)))
            ):
                properties.setdefault(name, []).append(text)
    target = data.get("target")
    datasets = data.get("datasets")
    yield _Record(
        id=entity_id.strip(),
        schema=data["schema"],
        properties=properties,
        line=line,
        target=target if isinstance(target, bool) else None,
        datasets=[d for d in datasets if isinstance(d, str)] if isinstance(datasets, list) else [],
        parent=parent,
    )
    for child in nested:
        yield from _flatten(child, line, path, parent=entity_id.strip())


def _entity(
    record: _Record,
    sanctions: list[_Record],
    documents: list[_Record],
    by_id: dict[str, _Record],
    source: str,
    path: Path,
) -> Entity:
    props = record.properties
    schema = TARGET_SCHEMAS[record.schema]
    names = _names(props)
    if not names:
        raise ListFormatError("listed party without a name", file=path, line=record.line, record=record.id)
    return Entity(
        schema=schema,
        names=names,
        listing=_listing(record, sanctions, source),
        gender=_gender(props.get("gender", [])),
        birth_dates=_unique(_date(v) for v in props.get("birthDate", [])),
        birth_places=_unique(Place(text=v) for v in props.get("birthPlace", [])),
        nationalities=_unique(props.get("nationality", [])),
        citizenships=_unique(props.get("citizenship", [])),
        identifiers=_identifiers(record, documents),
        addresses=_addresses(props, by_id),
        titles=_unique(props.get("title", [])),
        positions=_unique(props.get("position", [])),
        extra=_unique(
            [("dataset", d) for d in record.datasets]
            + [(key, v) for key in _EXTRA_PROPERTIES for v in props.get(key, [])]
        ),
    )


def _names(props: dict[str, list[str]]) -> tuple[Name, ...]:
    """`name` values: the first Latin-script one is primary, the others aliases; then alias, weakAlias and
    previousName. Non-Latin spellings become original-script names."""
    full_names = props.get("name", [])
    latin = [n for n in full_names if non_latin_script(n) is None]
    primary = (latin or full_names or [None])[0]
    given = _single(props.get("firstName", []))
    family = _single(props.get("lastName", []))
    names: dict[str, Name] = {}
    if primary:
        names[primary] = Name(primary, NameKind.PRIMARY, given=given, family=family)
    groups = (
        (full_names, NameKind.ALIAS),
        (props.get("alias", []), NameKind.ALIAS),
        (props.get("weakAlias", []), NameKind.WEAK),
        (props.get("previousName", []), NameKind.FORMER),
    )
    for values, kind in groups:
        for full in values:
            if full in names:
                continue
            script = non_latin_script(full)
            names[full] = Name(full, NameKind.ORIGINAL_SCRIPT if script else kind, script=script)
    return tuple(names.values())


def _listing(record: _Record, sanctions: list[_Record], source: str) -> Listing:
    def values(key: str) -> list[str]:
        return [v for s in sanctions for v in s.properties.get(key, [])]

    listed = sorted(d for v in values("listingDate") + values("startDate") if (d := _iso_day(v)))
    un_refs = values("unscId")
    remarks = _unique(record.properties.get("notes", []) + values("reason"))
    return Listing(
        source=source,
        reference=record.id,
        programmes=_unique(values("programId") + values("program")),
        listed_on=listed[0] if listed else None,
        amended_on=_unique(sorted(d for v in values("modifiedAt") if (d := _iso_day(v)))),
        remarks="\n".join(remarks) or None,
        un_reference=un_refs[0] if un_refs else None,
        authority=next(iter(values("authority")), None),
        other_references=_unique(values("authorityId")),
    )


def _identifiers(record: _Record, documents: list[_Record]) -> tuple[Identifier, ...]:
    props = record.properties
    found: list[Identifier] = []
    for key, kind in _ID_PROPERTIES.items():
        for number in props.get(key, []):
            found.append(Identifier(kind=kind, number=number, type_text=key))
    for document in documents:
        doc = document.properties
        type_text = _single(doc.get("type", [])) or document.schema
        kind = IdentifierKind.PASSPORT if document.schema == "Passport" else _kind_from_type(type_text)
        note = "; ".join(
            f"{label} {v}"
            for key, label in (("startDate", "issued"), ("endDate", "expires"), ("authority", "issued by"))
            for v in doc.get(key, [])
        )
        country = _single(doc.get("country", []))
        for number in doc.get("number", []) + doc.get("passportNumber", []):
            found.append(
                Identifier(kind=kind, number=number, country=country, type_text=type_text, note=note or None)
            )
    # Passports appear both as the holder's passportNumber and as a Passport entity: keep the richer one.
    richer = {(i.kind, i.number) for i in found if i.country or i.note}
    found = [i for i in found if i.country or i.note or (i.kind, i.number) not in richer]
    return _unique(_as_cnic(i, record) for i in found)


def _as_cnic(identifier: Identifier, record: _Record) -> Identifier:
    """A national ID issued by Pakistan, or held by a Pakistani person with no issuer given, is a CNIC."""
    if identifier.kind is not IdentifierKind.NATIONAL_ID:
        return identifier
    if identifier.country is not None:
        pakistani = identifier.country.lower() in _PAKISTAN
    else:
        people = record.properties.get("nationality", []) + record.properties.get("citizenship", [])
        pakistani = record.schema == "Person" and any(c.lower() in _PAKISTAN for c in people)
    return replace(identifier, kind=IdentifierKind.CNIC) if pakistani else identifier


def _kind_from_type(type_text: str) -> IdentifierKind:
    text = type_text.lower()
    if "passport" in text:
        return IdentifierKind.PASSPORT
    if "tax" in text:
        return IdentifierKind.TAX_ID
    if "registration" in text:
        return IdentifierKind.REGISTRATION
    if "national" in text or "identity" in text or text == "identification":
        return IdentifierKind.NATIONAL_ID
    return IdentifierKind.OTHER


def _addresses(props: dict[str, list[str]], by_id: dict[str, _Record]) -> tuple[Address, ...]:
    found = [Address(text=v) for v in props.get("address", [])]
    for address_id in props.get("addressEntity", []):
        record = by_id.get(address_id)
        if record is None or record.schema != "Address":
            continue
        p = record.properties
        text = _single(p.get("full", [])) or ", ".join(
            v for key in ("street", "city", "postalCode", "region", "country") for v in p.get(key, [])
        )
        if text:
            found.append(
                Address(
                    text=text,
                    street=_single(p.get("street", [])),
                    city=_single(p.get("city", [])),
                    region=_single(p.get("region", [])),
                    postal_code=_single(p.get("postalCode", [])),
                    country=_single(p.get("country", [])),
                )
            )
    # The same address is often both a plain `address` string and an Address entity: keep the entity.
    structured = {a.text for a in found if a.country or a.city}
    return _unique(a for a in found if a.text not in structured or a.country or a.city)


def _date(value: str) -> PartialDate:
    """FtM dates are ISO prefixes ("1968", "1968-06", "1968-06-05", or a full timestamp)."""
    match = _PARTIAL_DATE.match(value)
    if not match:
        return PartialDate(DateKind.EXACT, None, note=value)
    return PartialDate(DateKind.EXACT, "-".join(p for p in match.groups() if p))


def _iso_day(value: str) -> str | None:
    match = _PARTIAL_DATE.match(value)
    return "-".join(p for p in match.groups() if p) if match else None


def _gender(values: list[str]) -> str | None:
    for value in values:
        if value.lower() in ("male", "female"):
            return value.lower()
    return None


def _single(values: list[str]) -> str | None:
    return values[0] if len(values) == 1 else None


def _unique(items: Iterable[_T]) -> tuple[_T, ...]:
    return tuple(dict.fromkeys(items))


__all__ = ["FORMAT", "SOURCE", "TARGET_SCHEMAS", "parse", "sniff"]
