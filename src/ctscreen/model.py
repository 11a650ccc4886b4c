"""The entity model every list format is parsed into.

One `Entity` is one listing on one list: a person, organisation, vessel or aircraft, with all its names,
dates and places of birth, nationalities, identifiers, addresses and the listing itself. The model is plain
frozen dataclasses so that parsers, the store and the matcher share it without any I/O; `to_dict` and
`from_dict` give the stable JSON shape stored per list version and printed by `ctscreen lists show --json`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any


class Schema(StrEnum):
    PERSON = "person"
    ORGANIZATION = "organization"
    VESSEL = "vessel"
    AIRCRAFT = "aircraft"


class NameKind(StrEnum):
    PRIMARY = "primary"
    ALIAS = "alias"  # a strong / good-quality a.k.a.
    WEAK = "weak"  # low-quality a.k.a.: nicknames, noms de guerre, partial names
    FORMER = "former"  # f.k.a.
    ORIGINAL_SCRIPT = "original-script"  # the name as written in its own script (Arabic, Cyrillic ...)


class IdentifierKind(StrEnum):
    PASSPORT = "passport"
    NATIONAL_ID = "national-id"
    CNIC = "cnic"  # Pakistani Computerised National Identity Card
    IMO = "imo"  # vessel IMO number
    TAX_ID = "tax-id"
    REGISTRATION = "registration"  # company / aircraft registration numbers
    OTHER = "other"


class DateKind(StrEnum):
    EXACT = "exact"  # full date, or year / year-month when that is all the list gives
    APPROXIMATE = "approximate"  # "circa", "approximately"
    RANGE = "range"  # from year to year


@dataclass(frozen=True, slots=True)
class Name:
    full: str
    kind: NameKind = NameKind.PRIMARY
    given: str | None = None
    family: str | None = None
    script: str | None = None  # ISO 15924 code where known: "Arab", "Cyrl", "Latn"
    language: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date as lists give it: `value` is ISO with the precision known (YYYY, YYYY-MM or YYYY-MM-DD);
    a range has `from_year`/`to_year` and no value."""

    kind: DateKind = DateKind.EXACT
    value: str | None = None
    from_year: int | None = None
    to_year: int | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Place:
    text: str
    city: str | None = None
    region: str | None = None
    country: str | None = None


@dataclass(frozen=True, slots=True)
class Identifier:
    kind: IdentifierKind
    number: str
    country: str | None = None
    type_text: str | None = None  # the document type as the list wrote it
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Address:
    text: str
    street: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Listing:
    source: str  # "un", "ofac-sdn", "uk-ofsi", ... or a user list's name
    reference: str  # the list's own reference: UN QDi.263, OFAC ent_num, UK group ID, EU logical id
    programmes: tuple[str, ...] = ()
    listed_on: str | None = None
    amended_on: tuple[str, ...] = ()
    remarks: str | None = None
    un_reference: str | None = None  # cross-reference to the UN listing where the list gives one
    authority: str | None = None
    other_references: tuple[str, ...] = ()  # e.g. UK Unique ID beside the OFSI group ID


@dataclass(frozen=True, slots=True)
class Entity:
    schema: Schema
    names: tuple[Name, ...]
    listing: Listing
    gender: str | None = None  # "male" | "female"
    birth_dates: tuple[PartialDate, ...] = ()
    birth_places: tuple[Place, ...] = ()
    nationalities: tuple[str, ...] = ()
    citizenships: tuple[str, ...] = ()
    identifiers: tuple[Identifier, ...] = ()
    addresses: tuple[Address, ...] = ()
    titles: tuple[str, ...] = ()
    positions: tuple[str, ...] = ()
    linked_to: tuple[str, ...] = ()
    extra: tuple[
        tuple[str, str], ...
    ] = ()  # source-specific fields kept verbatim (vessel flag, call sign ...)

    @property
    def source(self) -> str:
        return self.listing.source

    @property
    def ref(self) -> str:
        return self.listing.reference

    @property
    def entity_id(self) -> str:
        return f"{self.listing.source}:{self.listing.reference}"

    @property
    def primary_name(self) -> str:
        for name in self.names:
            if name.kind is NameKind.PRIMARY:
                return name.full
        return self.names[0].full if self.names else ""

    def to_dict(self) -> dict[str, Any]:
        return _to_jsonable(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entity:
        return Entity(
            schema=Schema(data["schema"]),
            names=tuple(
                Name(**{**n, "kind": NameKind(n.get("kind", "primary"))}) for n in data.get("names", ())
            ),
            listing=Listing(
                **{k: tuple(v) if isinstance(v, list) else v for k, v in data["listing"].items()}
            ),
            gender=data.get("gender"),
            birth_dates=tuple(
                PartialDate(**{**d, "kind": DateKind(d.get("kind", "exact"))})
                for d in data.get("birth_dates", ())
            ),
            birth_places=tuple(Place(**p) for p in data.get("birth_places", ())),
            nationalities=tuple(data.get("nationalities", ())),
            citizenships=tuple(data.get("citizenships", ())),
            identifiers=tuple(
                Identifier(**{**i, "kind": IdentifierKind(i["kind"])}) for i in data.get("identifiers", ())
            ),
            addresses=tuple(Address(**a) for a in data.get("addresses", ())),
            titles=tuple(data.get("titles", ())),
            positions=tuple(data.get("positions", ())),
            linked_to=tuple(data.get("linked_to", ())),
            extra=tuple((k, v) for k, v in data.get("extra", ())),
        )

    def content_hash(self) -> str:
        """sha256 of the canonical JSON form: equal content, equal hash, across versions and databases."""
        return hashlib.sha256(canonical_json(self.to_dict()).encode("utf-8")).hexdigest()


def canonical_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _to_jsonable(value: Any) -> Any:
    """Dataclass → dict without empty fields, so the stored shape stays small and diffs stay readable."""
    if isinstance(value, StrEnum):
        return value.value
    if hasattr(value, "__dataclass_fields__"):
        out: dict[str, Any] = {}
        for f in fields(value):
            item = getattr(value, f.name)
            if item is None or item == ():
                continue
            out[f.name] = _to_jsonable(item)
        return out
    if isinstance(value, tuple | list):
        return [_to_jsonable(v) for v in value]
    return value


def count_by_schema(entities: list[Entity] | tuple[Entity, ...]) -> dict[str, int]:
    counts = {s.value: 0 for s in Schema}
    for entity in entities:
        counts[entity.schema.value] += 1
    return counts


__all__ = [
    "Address",
    "DateKind",
    "Entity",
    "Identifier",
    "IdentifierKind",
    "Listing",
    "Name",
    "NameKind",
    "PartialDate",
    "Place",
    "Schema",
    "canonical_json",
    "count_by_schema",
]
