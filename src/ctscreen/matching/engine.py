"""Screen one query against the index: candidates, comparison, evidence, ranked and explained hits.

Pure: the same query, index and profile give the same hits on any machine. Loading list versions from the
store and caching the built index on disk happen outside (`ctscreen.screening`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Any

from ctscreen.matching.compare import NameMatch, PreparedName, compare_names
from ctscreen.matching.countries import country_code
from ctscreen.matching.evidence import (
    IDENTIFIER_FLOOR,
    Adjustment,
    compare_country,
    compare_dob,
    compare_gender,
    normalize_identifier,
    parse_query_date,
)
from ctscreen.matching.index import IndexedEntity, MatchIndex
from ctscreen.matching.profiles import Profile, get_profile
from ctscreen.model import Entity, NameKind, Schema
from ctscreen.names import TokenKind, detect_script, family_of, tokenize_name

ENGINE_VERSION = "1.0.0"
NAME_SHARE = 0.93  # an exact name alone scores this; agreeing evidence adds the rest
MAX_NAME_LENGTH = 500
CANDIDATE_NAMES = 40
SCHEMAS = ("person", "organization", "vessel", "aircraft")
GENDERS = {"m": "male", "male": "male", "f": "female", "female": "female"}


_NOT_WORDS = (TokenKind.LEGAL, TokenKind.GENERIC, TokenKind.GLUE, TokenKind.KIN)


class QueryError(ValueError):
    """A query field that cannot be used; the message names the field."""


@dataclass(frozen=True)
class Query:
    name: str
    schema: str | None = None  # person | organization | vessel | aircraft | None (any)
    dob: str | None = None
    country: str | None = None
    gender: str | None = None
    id_number: str | None = None

    def validated(self) -> _CheckedQuery:
        name = (self.name or "").strip()
        if not name:
            raise QueryError("name: empty")
        if len(name) > MAX_NAME_LENGTH:
            raise QueryError(f"name: {len(name)} characters, more than the {MAX_NAME_LENGTH} allowed")
        schema = (self.schema or "").strip().lower() or None
        if schema in ("any", "unknown"):
            schema = None
        if schema in ("organisation", "entity", "company"):
            schema = "organization"
        if schema is not None and schema not in SCHEMAS:
            raise QueryError(f"type: {self.schema!r} is not one of {', '.join(SCHEMAS)} or any")
        try:
            dob = parse_query_date(self.dob) if self.dob and self.dob.strip() else None
        except ValueError as exc:
            raise QueryError(f"dob: {exc}") from None
        country = None
        if self.country and self.country.strip():
            country = country_code(self.country)
            if country is None:
                raise QueryError(f"country: {self.country!r} is not a country name or ISO code")
        gender = None
        if self.gender and self.gender.strip():
            gender = GENDERS.get(self.gender.strip().lower())
            if gender is None:
                raise QueryError(f"gender: {self.gender!r} is not male/female (m/f)")
        identifier = normalize_identifier(self.id_number) if self.id_number else None
        return _CheckedQuery(self, name, schema, dob, country, gender, identifier or None)


@dataclass(frozen=True)
class _CheckedQuery:
    raw: Query
    name: str
    schema: str | None
    dob: tuple[int, int | None, int | None] | None
    country: str | None
    gender: str | None
    identifier: str | None


@dataclass(frozen=True)
class Hit:
    entity_id: str
    source: str
    ref: str
    schema: str
    name: str  # the listed primary name
    matched_name: str  # the listed name or alias that matched
    matched_kind: str
    score: float
    alert: bool
    name_match: NameMatch | None
    adjustments: tuple[Adjustment, ...]

    def to_dict(self) -> dict[str, Any]:
        """The public hit shape (docs/screening-json.md)."""
        return {
            "source": self.source,
            "ref": self.ref,
            "entity_id": self.entity_id,
            "schema": self.schema,
            "name": self.name,
            "matched_name": self.matched_name,
            "score": self.score,
            "alert": self.alert,
            "explanation": {
                "matched_name_kind": self.matched_kind,
                "name": self.name_match.explain() if self.name_match else None,
                "evidence": [a.explain() for a in self.adjustments],
            },
        }


@dataclass(frozen=True)
class ScreeningResult:
    query: Query
    hits: list[Hit]
    profile: Profile
    list_versions: dict[str, int] = field(default_factory=dict)

    @property
    def alert(self) -> bool:
        return any(h.alert for h in self.hits)

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": {k: v for k, v in self.query.__dict__.items() if v is not None},
            "alert": self.alert,
            "hits": [h.to_dict() for h in self.hits],
            "profile": self.profile.name,
            "threshold": self.profile.threshold,
            "engine_version": ENGINE_VERSION,
            "list_versions": self.list_versions,
        }


@cache
def common_tokens() -> frozenset[str]:
    text = files("ctscreen.names").joinpath("data", "common_tokens.txt").read_text(encoding="utf-8")
    words = (w for line in text.splitlines() if not line.startswith("#") for w in line.split())
    return frozenset(family_of(w) for w in words)


class Screener:
    """Screens queries against one set of list versions. Build with `from_entities` (or load with
    `ctscreen.screening.load_screener`), then call `screen`; safe to share between threads."""

    def __init__(self, index: MatchIndex, list_versions: dict[str, int] | None = None) -> None:
        self.index = index
        self.list_versions = dict(list_versions or {})

    @classmethod
    def from_entities(
        cls, entities: Iterable[Entity], list_versions: dict[str, int] | None = None
    ) -> Screener:
        return cls(MatchIndex(list(entities), common_tokens()), list_versions)

    @staticmethod
    def profile(name: str = "kyc") -> Profile:
        return get_profile(name)

    def candidates(self, query: Query) -> list[str]:
        """Entity ids retrieved for full comparison, before scoring (for measuring candidate recall)."""
        return [self.index.entities[i].entity_id for i in self._candidate_entities(query.validated())]

    def _candidate_entities(self, query: _CheckedQuery) -> dict[int, list[int]]:
        """Candidate entities, each with the candidate names through which it was found."""
        tokens = tokenize_name(query.name, query.schema not in (None, "person"))
        found: dict[int, list[int]] = {}
        for name_index in self.index.candidate_names(tokens, CANDIDATE_NAMES):
            found.setdefault(self.index.name_entity[name_index], []).append(name_index)
        if query.identifier:
            for entity_index in self.index.identifier_postings.get(query.identifier, ()):
                found.setdefault(entity_index, list(self.index.names_of_entity[entity_index]))
        return found

    def screen(
        self,
        query: Query,
        profile: str | Profile = "kyc",
        *,
        limit: int | None = None,
        threshold: float | None = None,
    ) -> ScreeningResult:
        chosen = get_profile(profile) if isinstance(profile, str) else profile
        chosen = chosen.with_threshold(threshold)
        checked = query.validated()
        transliterated = detect_script(checked.name) not in (None, "Latn")
        prepared = {
            is_org: PreparedName.build(
                tokenize_name(checked.name, is_org), self.index.rarity_for(is_org), transliterated
            )
            for is_org in (False, True)
        }
        hits = []
        compared: dict[tuple[bool, tuple[int, ...]], NameMatch] = {}  # the same name on several lists
        for entity_index, name_indexes in self._candidate_entities(checked).items():
            hit = self._score(checked, prepared, entity_index, name_indexes, chosen, compared)
            if hit is not None:
                hits.append(hit)
        hits.sort(key=lambda h: (-h.score, h.entity_id))
        return ScreeningResult(query, hits[: limit or chosen.limit], chosen, self.list_versions)

    def _score(
        self,
        query: _CheckedQuery,
        prepared: dict[bool, PreparedName],
        entity_index: int,
        name_indexes: list[int],
        profile: Profile,
        compared: dict[tuple[bool, tuple[int, ...]], NameMatch],
    ) -> Hit | None:
        entity = self.index.entities[entity_index]
        is_org = entity.schema is not Schema.PERSON
        query_name = prepared[is_org]
        name_score, match, name = 0.0, None, None
        one_word = sum(1 for t in query_name.tokens if t.kind not in _NOT_WORDS) == 1
        for name_index in name_indexes:
            if name_index in self.index.acronym_names and not one_word:
                continue  # "TTP" stands for the group only when it stands alone, not inside "Ttp Smith"
            listed = self.index.name(name_index)
            key = (is_org, self.index.name_tokens[name_index])
            candidate = compared.get(key)
            if candidate is None:
                candidate = compared[key] = compare_names(
                    query_name, listed.prepared, self.index.rarity_for(is_org)
                )
            score = candidate.score * (profile.weak_alias_factor if listed.kind is NameKind.WEAK else 1.0)
            if score > name_score:
                name_score, match, name = score, candidate, listed
        score = NAME_SHARE * name_score
        adjustments = self._evidence(query, entity, profile)
        for adjustment in adjustments:
            if adjustment.effect == "bonus":
                score += adjustment.value if score > 0 else 0.0
            elif adjustment.effect == "factor":
                score *= adjustment.value
            elif adjustment.effect == "floor":
                score = max(score, adjustment.value)
        score = round(min(max(score, 0.0), 1.0), 4)
        if score < profile.report_floor:
            return None
        return Hit(
            entity_id=entity.entity_id,
            source=entity.source,
            ref=entity.ref,
            schema=entity.schema.value,
            name=entity.primary,
            matched_name=name.full if name else entity.primary,
            matched_kind=name.kind.value if name else "identifier",
            score=score,
            alert=score >= profile.threshold,
            name_match=match,
            adjustments=tuple(adjustments),
        )

    def _evidence(self, query: _CheckedQuery, entity: IndexedEntity, profile: Profile) -> list[Adjustment]:
        out: list[Adjustment] = []
        if query.identifier:
            for normalized, listed, kind in entity.identifiers:
                if normalized == query.identifier:
                    out.append(
                        Adjustment(
                            "identifier", "floor", IDENTIFIER_FLOOR, f"{kind} {listed} equals the query's"
                        )
                    )
                    break
        if query.schema and query.schema != entity.schema.value:
            out.append(
                Adjustment(
                    "type",
                    "factor",
                    profile.type_mismatch_factor,
                    f"{query.schema} vs listed {entity.schema.value}",
                )
            )
        if query.dob and entity.schema is Schema.PERSON:
            found = compare_dob(query.dob, entity.birth_dates)
            if found:
                out.append(found)
        if query.country:
            found = compare_country(query.country, entity.countries, entity.nationalities)
            if found:
                out.append(found)
        if query.gender:
            found = compare_gender(query.gender, entity.gender)
            if found:
                out.append(found)
        # Floors last, so a matching identifier is not discounted by a differing name or date.
        out.sort(key=lambda a: a.effect == "floor")
        return out
