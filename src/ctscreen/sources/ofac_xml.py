"""OFAC sdnList XML ("ofac-xml"): the legacy SDN.XML and the consolidated non-SDN CONSOLIDATED.XML.

Published by the US Treasury's Office of Foreign Assets Control (Sanctions List Service). Root `sdnList` in a
namespace that has changed over the years (so it is ignored), a header `publshInformation` (sic) with
`Publish_Date` (MM/DD/YYYY) and `Record_Count`, then one `sdnEntry` per listing: uid, firstName, lastName (an
organisation's whole name is in lastName), title, sdnType (Individual / Entity / Vessel / Aircraft), remarks,
programList/program, idList/id (idType, idNumber, idCountry, issueDate, expirationDate -- also misused for
"Gender", "Website", "Secondary sanctions risk:" ...), akaList/aka (type a.k.a. / f.k.a. / n.k.a., category
strong / weak), addressList/address, nationalityList, citizenshipList, dateOfBirthList, placeOfBirthList and
vesselInfo. Names are rebuilt as "LASTNAME, Firstname", the way the CSV files write them.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import TypeVar

from lxml import etree

from ctscreen.errors import ListFormatError
from ctscreen.model import Address, Entity, Identifier, Listing, Name, NameKind, PartialDate, Place, Schema
from ctscreen.sources.base import ParsedList, clean
from ctscreen.sources.ofac_remarks import classify_id, parse_date, parse_remarks, split_person_name
from ctscreen.sources.safexml import child_text, children, local_name, parse_xml

FORMAT = "ofac-xml"
ROOT = "sdnList"
_ROOT_TAG = re.compile(
    rb"^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<(?:!DOCTYPE\s+)?(?:[A-Za-z_][\w.-]*:)?sdnList[\s>/\[]",
    re.DOTALL,
)  # a DOCTYPE naming sdnList is claimed too, so that parsing refuses it with the reason
_SCHEMAS = {
    "individual": Schema.PERSON,
    "entity": Schema.ORGANIZATION,
    "vessel": Schema.VESSEL,
    "aircraft": Schema.AIRCRAFT,
}
_VESSEL_FIELDS = (
    ("callSign", "call_sign"),
    ("vesselType", "vessel_type"),
    ("tonnage", "tonnage"),
    ("grossRegisteredTonnage", "gross_registered_tonnage"),
    ("vesselFlag", "vessel_flag"),
    ("vesselOwner", "vessel_owner"),
)
_PUBLISH_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
T = TypeVar("T")


def sniff(path: Path, head: bytes) -> str | None:
    """XML whose root element is sdnList, in any namespace (UTF-8, or UTF-16 with a byte-order mark)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head[: len(head) // 2 * 2].decode("utf-16", errors="replace").encode("utf-8")
    return FORMAT if _ROOT_TAG.match(head.removeprefix(b"\xef\xbb\xbf")) else None


def parse(paths: list[Path], *, format: str = FORMAT, source: str | None = None) -> ParsedList:
    if len(paths) != 1:
        raise ListFormatError(f"the OFAC XML format is one file; got {len(paths)}")
    path = paths[0]
    root = parse_xml(path, expected_roots=(ROOT,))
    source = source or ("ofac-cons" if "cons" in path.name.lower() else "ofac-sdn")
    warnings: list[str] = []
    published, expected_count = _header(root, path, warnings)
    entities: list[Entity] = []
    seen: dict[str, int] = {}
    for number, element in enumerate(children(root, "sdnEntry"), start=1):
        entity = _entity(element, path, number, source)
        if entity.ref in seen:
            raise ListFormatError(
                f"uid {entity.ref} appears twice (first on line {seen[entity.ref]})",
                file=path,
                line=element.sourceline,
                record=f"uid {entity.ref}",
            )
        seen[entity.ref] = element.sourceline or 0
        entities.append(entity)
    if not entities:
        raise ListFormatError("no sdnEntry elements in the file", file=path)
    if expected_count is not None and expected_count != len(entities):
        warnings.append(f"{path}: Record_Count says {expected_count} entries, the file has {len(entities)}")
    return ParsedList(
        source=source, format=format, entities=entities, files=[path], published=published, warnings=warnings
    )


def _header(root: etree._Element, path: Path, warnings: list[str]) -> tuple[str | None, int | None]:
    info = next(iter(children(root, "publshInformation") or children(root, "publishInformation")), None)
    if info is None:
        warnings.append(f"{path}: no publshInformation header; publication date unknown")
        return None, None
    published = None
    raw_date = clean(child_text(info, "Publish_Date"))
    if raw_date:
        match = _PUBLISH_DATE.match(raw_date)
        try:
            month, day, year = (int(g) for g in match.groups()) if match else (0, 0, 0)
            published = date(year, month, day).isoformat()
        except ValueError:
            warnings.append(f"{path}: Publish_Date {raw_date!r} is not MM/DD/YYYY; ignored")
    count = None
    raw_count = clean(child_text(info, "Record_Count"))
    if raw_count:
        if raw_count.isdigit():
            count = int(raw_count)
        else:
            warnings.append(f"{path}: Record_Count {raw_count!r} is not a number; ignored")
    return published, count


def _entity(element: etree._Element, path: Path, number: int, source: str) -> Entity:
    uid = clean(child_text(element, "uid"))
    where = {"file": path, "line": element.sourceline}
    if not uid:
        raise ListFormatError("sdnEntry without uid", record=f"sdnEntry #{number}", field="uid", **where)
    if not uid.isdigit():
        raise ListFormatError(f"uid is not a number: {uid[:40]!r}", record=f"sdnEntry #{number}", **where)
    record = f"uid {uid}"
    raw_type = clean(child_text(element, "sdnType"))
    schema = _SCHEMAS.get((raw_type or "").lower())
    if schema is None:
        raise ListFormatError(f"unknown sdnType {raw_type!r}", record=record, field="sdnType", **where)
    individual = schema is Schema.PERSON
    primary = _name(element, NameKind.PRIMARY, individual=individual)
    if primary is None:
        raise ListFormatError("sdnEntry without a name", record=record, field="lastName", **where)

    remarks_text = clean(child_text(element, "remarks"))
    remarks = parse_remarks(remarks_text, individual=individual)
    names = [primary, *_akas(element, individual=individual)]
    seen = {n.full for n in names}
    names.extend(n for n in remarks.names if n.full not in seen)

    gender: str | None = remarks.gender
    identifiers: list[Identifier] = []
    extra: list[tuple[str, str]] = []
    for item in _ids(element):
        if isinstance(item, Identifier):
            identifiers.append(item)
        elif item[0] == "gender":
            gender = gender or item[1]
        else:
            extra.append(item)
    identifiers.extend(remarks.identifiers)
    vessel = _first(element, "vesselInfo")
    if vessel is not None:
        extra[:0] = [(key, value) for tag, key in _VESSEL_FIELDS if (value := clean(child_text(vessel, tag)))]
    extra.extend(remarks.extra)

    title = clean(child_text(element, "title"))
    return Entity(
        schema=schema,
        names=tuple(names),
        listing=Listing(
            source=source,
            reference=uid,
            programmes=_unique(_texts(element, "programList", "program")),
            remarks=remarks_text,
        ),
        gender=gender,
        birth_dates=_unique([*_birth_dates(element), *remarks.birth_dates]),
        birth_places=_unique([*_birth_places(element), *remarks.birth_places]),
        nationalities=_unique(
            [*_texts(element, "nationalityList", "nationality", "country"), *remarks.nationalities]
        ),
        citizenships=_unique(
            [*_texts(element, "citizenshipList", "citizenship", "country"), *remarks.citizenships]
        ),
        identifiers=_unique(identifiers),
        addresses=_unique(_addresses(element)),
        titles=(title,) if title else (),
        linked_to=_unique(list(remarks.linked_to)),
        extra=_unique(extra),
    )


def _name(
    element: etree._Element, kind: NameKind, *, individual: bool, note: str | None = None
) -> Name | None:
    last = clean(child_text(element, "lastName"))
    first = clean(child_text(element, "firstName"))
    if not last and not first:
        return None
    if last and first:
        return Name(full=f"{last}, {first}", kind=kind, given=first, family=last, note=note)
    full = last or first or ""
    # Weak a.k.a.s of people come whole in lastName ("ZAHAR, Mahmoud"): split them as the CSV names are.
    family, given = split_person_name(full) if individual else (None, None)
    return Name(full=full, kind=kind, given=given, family=family, note=note)


def _akas(element: etree._Element, *, individual: bool) -> list[Name]:
    names: list[Name] = []
    for aka in _items(element, "akaList", "aka"):
        aka_type = (clean(child_text(aka, "type")) or "a.k.a.").lower()
        weak = (clean(child_text(aka, "category")) or "").lower() == "weak"
        if weak:
            kind, note = NameKind.WEAK, (aka_type if aka_type != "a.k.a." else None)
        elif aka_type == "f.k.a.":
            kind, note = NameKind.FORMER, None
        else:
            kind, note = NameKind.ALIAS, (aka_type if aka_type != "a.k.a." else None)
        name = _name(aka, kind, individual=individual, note=note)
        if name is not None:
            names.append(name)
    return names


def _ids(element: etree._Element) -> list[Identifier | tuple[str, str]]:
    out: list[Identifier | tuple[str, str]] = []
    for item in _items(element, "idList", "id"):
        id_type = clean(child_text(item, "idType")) or ""
        value = clean(child_text(item, "idNumber")) or ""
        dates = [
            f"{word} {text}"
            for word, tag in (("issued", "issueDate"), ("expires", "expirationDate"))
            if (text := clean(child_text(item, tag)))
        ]
        found = classify_id(id_type, value, child_text(item, "idCountry"), note=" ".join(dates) or None)
        if found is not None:
            out.append(found)
    return out


def _birth_dates(element: etree._Element) -> list[PartialDate]:
    dates = []
    for text in _texts(element, "dateOfBirthList", "dateOfBirthItem", "dateOfBirth"):
        date = parse_date(text)
        dates.append(date if date is not None else PartialDate(note=text))
    return dates


def _birth_places(element: etree._Element) -> list[Place]:
    return [Place(text=t) for t in _texts(element, "placeOfBirthList", "placeOfBirthItem", "placeOfBirth")]


def _addresses(element: etree._Element) -> list[Address]:
    out = []
    for item in _items(element, "addressList", "address"):
        street = ", ".join(
            p for tag in ("address1", "address2", "address3") if (p := clean(child_text(item, tag)))
        )
        city = clean(child_text(item, "city"))
        region = clean(child_text(item, "stateOrProvince"))
        postal = clean(child_text(item, "postalCode"))
        country = clean(child_text(item, "country"))
        parts = [p for p in (street, city, region, postal, country) if p]
        if parts:
            out.append(
                Address(
                    text=", ".join(parts),
                    street=street or None,
                    city=city,
                    region=region,
                    postal_code=postal,
                    country=country,
                )
            )
    return out


def _first(element: etree._Element, name: str) -> etree._Element | None:
    for child in element:
        if local_name(child) == name:
            return child
    return None


def _items(element: etree._Element, list_name: str, item_name: str) -> list[etree._Element]:
    container = _first(element, list_name)
    return children(container, item_name) if container is not None else []


def _texts(element: etree._Element, list_name: str, item_name: str, field: str | None = None) -> list[str]:
    """Cleaned texts of list items (or of one field inside each item), skipping empty ones."""
    out = []
    for item in _items(element, list_name, item_name):
        text = clean(child_text(item, field) if field else item.text)
        if text:
            out.append(text)
    return out


def _unique(items: list[T]) -> tuple[T, ...]:
    return tuple(dict.fromkeys(items))


__all__ = ["FORMAT", "parse", "sniff"]
