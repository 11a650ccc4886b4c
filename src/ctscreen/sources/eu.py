"""EU Financial Sanctions Files (FSF) consolidated list, XML ("eu-xml").

Published by the European Commission (DG FISMA) as `xmlFullSanctionsList_1_1`: root `export` in namespace
http://eu.europa.ec/fpi/fsd/export with `generationDate`; one `sanctionEntity` per listing, whose values sit
in attributes of child elements (`nameAlias`, `citizenship`, `birthdate`, `address`, `identification`,
`regulation`) plus `remark` text children. Names are repeated once per EU language (`nameLanguage`), with
`strong="false"` marking low-quality aliases.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import TypeVar

from lxml import etree

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
from ctscreen.sources.base import ParsedList, clean, looks_like_html
from ctscreen.sources.safexml import children, parse_xml

FORMAT = "eu-xml"
SOURCE = "eu"
NAMESPACE = "http://eu.europa.ec/fpi/fsd/export"
_T = TypeVar("_T")

_SUBJECT_TYPES = {
    "person": Schema.PERSON,
    "p": Schema.PERSON,
    "enterprise": Schema.ORGANIZATION,
    "e": Schema.ORGANIZATION,
}
_GENDERS = {"m": "male", "f": "female"}
# Country placeholders that carry no information ("00" / "UNKNOWN" are the FSF's own "not known").
_NO_COUNTRY = {"", "00", "unknown"}
# "(a) Mullah, (b) Maulavi": the FSF packs several titles/functions into one attribute.
_ENUMERATION = re.compile(r"\(\s*[a-z]{1,2}\s*\)\s*")
# nameAlias remarks sometimes grade the alias, with typos seen in the data ("lo quality", "god quality").
_LOW_QUALITY = re.compile(r"\blow?\s+quality\b", re.IGNORECASE)
_GOOD_QUALITY = re.compile(r"\bgo+d\s+quality\b", re.IGNORECASE)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")

_ID_KINDS = {
    "passport": IdentifierKind.PASSPORT,
    "id": IdentifierKind.NATIONAL_ID,
    "ssn": IdentifierKind.NATIONAL_ID,
    "fiscalcode": IdentifierKind.TAX_ID,
    "tax": IdentifierKind.TAX_ID,
    "regnumber": IdentifierKind.REGISTRATION,
    "imo": IdentifierKind.IMO,
    "other": IdentifierKind.OTHER,
}
_ID_FLAGS = (
    ("diplomatic", "diplomatic"),
    ("knownExpired", "known expired"),
    ("knownFalse", "known false"),
    ("reportedLost", "reported lost"),
    ("revokedByIssuer", "revoked by issuer"),
)


def sniff(path: Path, head: bytes) -> str | None:
    if looks_like_html(head):
        return None
    if NAMESPACE.encode() in head and b"<export" in head:
        return FORMAT
    return None


def parse(paths: list[Path], *, format: str = FORMAT, source: str | None = None) -> ParsedList:
    if len(paths) != 1:
        raise ListFormatError(f"the EU list is one XML file; got {len(paths)} files")
    path = paths[0]
    root = parse_xml(path, expected_roots=("export",))
    namespace = etree.QName(root).namespace
    if namespace != NAMESPACE:
        raise ListFormatError(
            f"root <export> is in namespace {namespace!r}, expected {NAMESPACE!r}: not an EU FSF file",
            file=path,
            line=root.sourceline,
        )
    source_name = source or SOURCE
    entities: list[Entity] = []
    seen: dict[str, int | None] = {}
    for element in children(root, "sanctionEntity"):
        entity = _entity(element, source_name, path)
        if entity.ref in seen:
            raise ListFormatError(
                f"logicalId {entity.ref} appears twice (first at line {seen[entity.ref]})",
                file=path,
                line=element.sourceline,
                record=f"logicalId {entity.ref}",
            )
        seen[entity.ref] = element.sourceline
        entities.append(entity)
    if not entities:
        raise ListFormatError("no <sanctionEntity> records in the file", file=path)
    return ParsedList(
        source=source_name,
        format=format,
        entities=entities,
        files=[path],
        published=clean(root.get("generationDate")),
    )


def _entity(element: etree._Element, source: str, path: Path) -> Entity:
    reference = clean(element.get("logicalId"))
    if not reference:
        raise ListFormatError("sanctionEntity without logicalId", file=path, line=element.sourceline)
    record = f"logicalId {reference}"
    schema = _schema(element, path, record)
    names, titles, positions, gender = _names(children(element, "nameAlias"))
    if not names:
        raise ListFormatError(
            "no name (nameAlias/@wholeName)", file=path, line=element.sourceline, record=record
        )
    regulations = children(element, "regulation")
    return Entity(
        schema=schema,
        names=names,
        listing=_listing(element, reference, regulations, source),
        gender=gender,
        birth_dates=_unique(d for b in children(element, "birthdate") if (d := _birth_date(b)) is not None),
        birth_places=_unique(p for b in children(element, "birthdate") if (p := _birth_place(b)) is not None),
        citizenships=_unique(c for e in children(element, "citizenship") if (c := _country(e)) is not None),
        identifiers=_unique(
            i for e in children(element, "identification") if (i := _identifier(e)) is not None
        ),
        addresses=_unique(a for e in children(element, "address") if (a := _address(e)) is not None),
        titles=titles,
        positions=positions,
        extra=_extra(element, regulations),
    )


def _schema(element: etree._Element, path: Path, record: str) -> Schema:
    subject = next(iter(children(element, "subjectType")), None)
    if subject is None:
        raise ListFormatError("no <subjectType>", file=path, line=element.sourceline, record=record)
    code = (subject.get("code") or subject.get("classificationCode") or "").strip().lower()
    try:
        return _SUBJECT_TYPES[code]
    except KeyError:
        raise ListFormatError(
            f"unknown subjectType code {code!r} (expected person or enterprise)",
            file=path,
            line=subject.sourceline,
            record=record,
            field="subjectType",
        ) from None


def _listing(
    element: etree._Element, reference: str, regulations: list[etree._Element], source: str
) -> Listing:
    published = sorted({d for r in regulations if (d := _iso_date(r.get("publicationDate")))})
    # Older records have no designationDate: the earliest act that lists them stands in for it.
    listed_on = _iso_date(element.get("designationDate")) or (published[0] if published else None)
    amended = tuple(
        d
        for r in regulations
        if (r.get("regulationType") or "").lower() == "amendment"
        and (d := _iso_date(r.get("publicationDate")))
    )
    remarks = [text for r in children(element, "remark") if (text := clean(r.text))]
    eu_ref = clean(element.get("euReferenceNumber"))
    return Listing(
        source=source,
        reference=reference,
        programmes=_unique(p for r in regulations if (p := clean(r.get("programme")))),
        listed_on=listed_on,
        amended_on=tuple(sorted(set(amended))),
        remarks="\n".join(remarks) or None,
        un_reference=clean(element.get("unitedNationId")),
        other_references=(eu_ref,) if eu_ref else (),
    )


def _names(
    aliases: list[etree._Element],
) -> tuple[tuple[Name, ...], tuple[str, ...], tuple[str, ...], str | None]:
    """Names plus the titles, functions and gender that the FSF attaches to each nameAlias."""
    candidates: list[Name] = []
    titles: list[str] = []
    positions: list[str] = []
    gender: str | None = None
    for alias in aliases:
        name = _name(alias)
        if name is not None:
            candidates.append(name)
        titles.extend(_split_enumeration(alias.get("title")))
        positions.extend(_split_enumeration(alias.get("function")))
        gender = gender or _GENDERS.get((alias.get("gender") or "").strip().lower())
    primary = _pick_primary(candidates)
    names: dict[str, Name] = {}
    if primary is not None:
        candidates.remove(primary)
        names[primary.full] = Name(
            primary.full, NameKind.PRIMARY, primary.given, primary.family, primary.script, primary.language
        )
    for name in candidates:
        names.setdefault(name.full, name)  # the same spelling recurs once per EU language
    return tuple(names.values()), _unique(titles), _unique(positions), gender


def _name(alias: etree._Element) -> Name | None:
    first = clean(alias.get("firstName"))
    middle = clean(alias.get("middleName"))
    last = clean(alias.get("lastName"))
    given = clean(" ".join(p for p in (first, middle) if p))
    full = clean(alias.get("wholeName")) or clean(" ".join(p for p in (given, last) if p))
    if not full:
        return None
    remarks = " ".join(text for r in children(alias, "remark") if (text := clean(r.text)))
    strong = (alias.get("strong") or "true").strip().lower() != "false"
    if _LOW_QUALITY.search(remarks):
        strong = False
    elif _GOOD_QUALITY.search(remarks):
        strong = True
    script = non_latin_script(full)
    language = clean(alias.get("nameLanguage"))
    kind = NameKind.ALIAS if strong else NameKind.WEAK
    if script is not None:
        kind = NameKind.ORIGINAL_SCRIPT
        if not strong:  # keep the grading, which the kind can no longer carry
            remarks = clean(f"{remarks} (low quality)")
    return Name(
        full=full,
        kind=kind,
        given=given,
        family=last,
        script=script,
        language=language.lower() if language else None,
        note=remarks or None,
    )


def _pick_primary(names: list[Name]) -> Name | None:
    """The first strong Latin-script name; failing that the first strong name, then the first name."""
    for wanted in (NameKind.ALIAS, NameKind.ORIGINAL_SCRIPT, NameKind.WEAK):
        for name in names:
            if name.kind is wanted:
                return name
    return None


def _split_enumeration(value: str | None) -> list[str]:
    text = clean(value)
    if not text:
        return []
    if not _ENUMERATION.search(text):
        return [text]
    parts = (clean(p.strip(" ,;")) for p in _ENUMERATION.split(text))
    return [p for p in parts if p]


def _birth_date(element: etree._Element) -> PartialDate | None:
    circa = (element.get("circa") or "").strip().lower() == "true"
    range_from = _int(element.get("yearRangeFrom"))
    range_to = _int(element.get("yearRangeTo"))
    if range_from is not None or range_to is not None:
        return PartialDate(DateKind.RANGE, None, range_from, range_to, "circa" if circa else None)
    value = _iso_date(element.get("birthdate"))
    if value is None:
        year = _int(element.get("year"))
        month = _int(element.get("monthOfYear") or element.get("month"))
        day = _int(element.get("dayOfMonth") or element.get("day"))
        if year is None:
            return None
        value = f"{year:04d}"
        if month:
            value += f"-{month:02d}"
            if day:
                value += f"-{day:02d}"
    return PartialDate(DateKind.APPROXIMATE if circa else DateKind.EXACT, value)


def _birth_place(element: etree._Element) -> Place | None:
    city = clean(element.get("city"))
    place = clean(element.get("place"))
    region = clean(element.get("region"))
    country = _country(element)
    parts = [p for p in (place, city, region, country) if p]
    if not parts:
        return None
    return Place(text=", ".join(parts), city=city or place, region=region, country=country)


def _address(element: etree._Element) -> Address | None:
    street = clean(element.get("street"))
    po_box = clean(element.get("poBox"))
    city = clean(element.get("city"))
    place = clean(element.get("place"))
    region = clean(element.get("region"))
    zip_code = clean(element.get("zipCode"))
    country = _country(element)
    parts = [p for p in (street, po_box and f"PO Box {po_box}", place, city, zip_code, region, country) if p]
    notes = [text for r in children(element, "remark") if (text := clean(r.text))]
    notes += [text for c in children(element, "contactInfo") if (text := _contact_info(c))]
    if (element.get("asAtListingTime") or "").strip().lower() == "true":
        notes.append("as at listing time")
    if not parts:
        return None
    return Address(
        text=", ".join(parts),
        street=street,
        city=city or place,
        region=region,
        postal_code=zip_code,
        country=country,
        note="; ".join(notes) or None,
    )


def _contact_info(element: etree._Element) -> str | None:
    key = clean(element.get("key"))
    value = clean(element.get("value")) or clean(element.text)
    if not value:
        return None
    return f"{key}: {value}" if key else value


def _identifier(element: etree._Element) -> Identifier | None:
    number = clean(element.get("number")) or clean(element.get("latinNumber"))
    if not number:
        return None
    code = (element.get("identificationTypeCode") or "").strip().lower()
    description = clean(element.get("identificationTypeDescription"))
    country = _country(element)
    kind = _ID_KINDS.get(code) or _kind_from_description(description)
    if kind is IdentifierKind.NATIONAL_ID and _is_pakistan(element):
        kind = IdentifierKind.CNIC
    notes = [
        label for attribute, label in _ID_FLAGS if (element.get(attribute) or "").strip().lower() == "true"
    ]
    latin = clean(element.get("latinNumber"))
    if latin and latin != number:
        notes.append(f"latin number {latin}")
    if issued_by := clean(element.get("issuedBy")):
        notes.append(f"issued by {issued_by}")
    if issue_date := clean(element.get("issueDate")):
        notes.append(f"issued {issue_date}")
    if on_document := clean(element.get("nameOnDocument")):
        notes.append(f"name on document: {on_document}")
    notes += [text for r in children(element, "remark") if (text := clean(r.text))]
    return Identifier(
        kind=kind,
        number=number,
        country=country,
        type_text=description or (code or None),
        note="; ".join(notes) or None,
    )


def _kind_from_description(description: str | None) -> IdentifierKind:
    text = (description or "").lower()
    if "passport" in text:
        return IdentifierKind.PASSPORT
    if "imo" in text:
        return IdentifierKind.IMO
    if "tax" in text or "fiscal" in text:
        return IdentifierKind.TAX_ID
    if "registration" in text:
        return IdentifierKind.REGISTRATION
    if "identi" in text:
        return IdentifierKind.NATIONAL_ID
    return IdentifierKind.OTHER


def _is_pakistan(element: etree._Element) -> bool:
    code = (element.get("countryIso2Code") or "").strip().upper()
    return code == "PK" or (element.get("countryDescription") or "").strip().upper() == "PAKISTAN"


def _country(element: etree._Element) -> str | None:
    """The country as the FSF writes it (countryDescription), else the ISO code; None for "UNKNOWN"/"00"."""
    for value in (element.get("countryDescription"), element.get("countryIso2Code")):
        text = clean(value)
        if text and text.lower() not in _NO_COUNTRY:
            return text
    return None


def _extra(element: etree._Element, regulations: list[etree._Element]) -> tuple[tuple[str, str], ...]:
    pairs: list[tuple[str, str]] = []
    if details := clean(element.get("designationDetails")):
        pairs.append(("designation_details", details))
    for regulation in regulations:
        if title := clean(regulation.get("numberTitle")):
            pairs.append(("regulation", title))
        for url in children(regulation, "publicationUrl"):
            if text := clean(url.text):
                pairs.append(("regulation_url", text))
    return _unique(pairs)


def _iso_date(value: str | None) -> str | None:
    match = _ISO_DATE.match((value or "").strip())
    return f"{match[1]}-{match[2]}-{match[3]}" if match else None


def _int(value: str | None) -> int | None:
    text = (value or "").strip()
    if not text.isdigit():
        return None
    number = int(text)
    return number or None  # the FSF writes 0 for "not given"


def _unique(items: Iterable[_T]) -> tuple[_T, ...]:
    """Drop repeats, keep first-seen order (deterministic output)."""
    return tuple(dict.fromkeys(items))


__all__ = ["FORMAT", "NAMESPACE", "SOURCE", "parse", "sniff"]
