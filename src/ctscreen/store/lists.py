"""Versioned lists: import a parsed list as a new immutable version, activate atomically, diff versions."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, and_, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from ctscreen.errors import ImportRefused, ListFormatError, StoreError
from ctscreen.model import Entity, canonical_json, count_by_schema
from ctscreen.sources.base import ParsedList
from ctscreen.store.engine import make_engine
from ctscreen.store.migrations import ensure_schema
from ctscreen.store.tables import active_lists, entities, list_versions

# A new version with fewer than this share of the active version's entities is refused unless forced:
# a truncated download or a partial export must not silently delist most designations.
MIN_SHARE_OF_ACTIVE = 0.5
_INSERT_BATCH = 2000


@dataclass(frozen=True)
class VersionInfo:
    id: int
    source: str
    version: int
    format: str
    published: str | None
    sha256: str
    files: list[dict[str, Any]]
    imported_at: str
    entities: int
    persons: int
    organizations: int
    vessels: int
    aircraft: int
    warnings: list[str]
    active: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The public shape of `ctscreen lists status --json` (docs/cli-json.md)."""
        return {
            "source": self.source,
            "version": self.version,
            "active": self.active,
            "format": self.format,
            "published": self.published,
            "entities": self.entities,
            "persons": self.persons,
            "organizations": self.organizations,
            "vessels": self.vessels,
            "aircraft": self.aircraft,
            "imported_at": self.imported_at,
            "sha256": self.sha256,
            "files": self.files,
            "warnings": self.warnings,
        }


@dataclass(frozen=True)
class ImportResult:
    version: VersionInfo
    created: bool  # False when the same content was already the active version
    activated: bool
    previous: VersionInfo | None


@dataclass
class EntityChange:
    ref: str
    name: str
    fields: list[str] = field(default_factory=list)


@dataclass
class ListDiff:
    source: str
    old: VersionInfo
    new: VersionInfo
    added: list[EntityChange]
    removed: list[EntityChange]
    amended: list[EntityChange]

    def to_dict(self) -> dict[str, Any]:
        """The public shape of `ctscreen lists diff --json` (docs/cli-json.md)."""
        return {
            "source": self.source,
            "from_version": self.old.version,
            "to_version": self.new.version,
            "counts": {
                "added": len(self.added),
                "removed": len(self.removed),
                "amended": len(self.amended),
            },
            "added": [{"ref": c.ref, "name": c.name} for c in self.added],
            "removed": [{"ref": c.ref, "name": c.name} for c in self.removed],
            "amended": [{"ref": c.ref, "name": c.name, "fields": c.fields} for c in self.amended],
        }


def files_digest(paths: Iterable[Path]) -> tuple[str, list[dict[str, Any]]]:
    """sha256 of one file, or for a set of files the sha256 of their sorted "name sha256" lines."""
    described = []
    for path in paths:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        described.append({"name": path.name, "sha256": digest, "bytes": path.stat().st_size})
    described.sort(key=lambda d: d["name"])
    if len(described) == 1:
        return described[0]["sha256"], described
    lines = "".join(f"{d['name']} {d['sha256']}\n" for d in described)
    return hashlib.sha256(lines.encode()).hexdigest(), described


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class ListStore:
    def __init__(self, engine: Engine | None = None) -> None:
        self.engine = engine or make_engine()
        ensure_schema(self.engine)

    # -- reading -------------------------------------------------------------------------------------

    def _version_from_row(self, row: Any, active_ids: set[int]) -> VersionInfo:
        return VersionInfo(
            id=row.id,
            source=row.source,
            version=row.version,
            format=row.format,
            published=row.published,
            sha256=row.sha256,
            files=json.loads(row.files),
            imported_at=row.imported_at,
            entities=row.entities,
            persons=row.persons,
            organizations=row.organizations,
            vessels=row.vessels,
            aircraft=row.aircraft,
            warnings=json.loads(row.warnings),
            active=row.id in active_ids,
        )

    def _active_ids(self, conn: Any) -> set[int]:
        return {r.version_id for r in conn.execute(select(active_lists.c.version_id))}

    def active_versions(self) -> list[VersionInfo]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(list_versions)
                .join(active_lists, active_lists.c.version_id == list_versions.c.id)
                .order_by(list_versions.c.source)
            ).all()
            return [self._version_from_row(r, {r.id for r in rows}) for r in rows]

    def active_version(self, source: str) -> VersionInfo | None:
        return next((v for v in self.active_versions() if v.source == source), None)

    def versions(self, source: str | None = None) -> list[VersionInfo]:
        with self.engine.connect() as conn:
            query = select(list_versions).order_by(list_versions.c.source, list_versions.c.version)
            if source:
                query = query.where(list_versions.c.source == source)
            active = self._active_ids(conn)
            return [self._version_from_row(r, active) for r in conn.execute(query)]

    def get_version(self, source: str, version: int | None = None) -> VersionInfo:
        """One version of a source; the active one when `version` is None."""
        if version is None:
            found = self.active_version(source)
            if found is None:
                raise StoreError(f"no active version of list {source!r}; import it first")
            return found
        for info in self.versions(source):
            if info.version == version:
                return info
        raise StoreError(f"list {source!r} has no version {version}")

    def iter_entities(self, version_id: int) -> Iterator[Entity]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(entities.c.data).where(entities.c.version_id == version_id).order_by(entities.c.ref)
            )
            for row in rows:
                yield Entity.from_dict(json.loads(row.data))

    def active_entities(self) -> Iterator[Entity]:
        """Every entity of every active list version: what screening runs against."""
        for info in self.active_versions():
            yield from self.iter_entities(info.id)

    def find(self, ref: str, source: str | None = None, version: int | None = None) -> list[Entity]:
        """Entities with this list reference, in the active versions (or one given version of `source`)."""
        if version is not None:
            if source is None:
                raise StoreError("a version number needs a source")
            version_ids = [self.get_version(source, version).id]
        else:
            version_ids = [v.id for v in self.active_versions() if source is None or v.source == source]
        if not version_ids:
            return []
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(entities.c.data).where(
                    and_(entities.c.ref == ref.strip(), entities.c.version_id.in_(version_ids))
                )
            )
            return [Entity.from_dict(json.loads(r.data)) for r in rows]

    # -- writing -------------------------------------------------------------------------------------

    def import_list(
        self, parsed: ParsedList, *, activate: bool = True, force: bool = False, published: str | None = None
    ) -> ImportResult:
        """Store `parsed` as a new version of its source and (by default) activate it, all in one
        transaction: on any failure nothing is written and the previously active version stays active."""
        sha256, files = files_digest(parsed.files)
        rows = _entity_rows(parsed)
        counts = count_by_schema(parsed.entities)
        previous = self.active_version(parsed.source)
        if previous is not None and previous.sha256 == sha256:
            return ImportResult(version=previous, created=False, activated=False, previous=previous)
        if not parsed.entities:
            raise ImportRefused(f"{_files_label(parsed)}: list {parsed.source!r} has no entities; refused")
        if (
            activate
            and previous is not None
            and not force
            and len(parsed.entities) < MIN_SHARE_OF_ACTIVE * previous.entities
        ):
            raise ImportRefused(
                f"{_files_label(parsed)}: list {parsed.source!r} shrank from {previous.entities} to "
                f"{len(parsed.entities)} entities (more than half gone); refused, version "
                f"{previous.version} stays active (use --force if this is right)"
            )
        try:
            with self.engine.begin() as conn:
                next_version = (
                    conn.execute(
                        select(func.max(list_versions.c.version)).where(
                            list_versions.c.source == parsed.source
                        )
                    ).scalar()
                    or 0
                ) + 1
                version_id = conn.execute(
                    insert(list_versions).values(
                        source=parsed.source,
                        version=next_version,
                        format=parsed.format,
                        published=published or parsed.published,
                        sha256=sha256,
                        files=json.dumps(files),
                        imported_at=_now(),
                        entities=len(parsed.entities),
                        persons=counts["person"],
                        organizations=counts["organization"],
                        vessels=counts["vessel"],
                        aircraft=counts["aircraft"],
                        warnings=json.dumps(parsed.warnings, ensure_ascii=False),
                    )
                ).inserted_primary_key[0]
                for start in range(0, len(rows), _INSERT_BATCH):
                    batch = [{**r, "version_id": version_id} for r in rows[start : start + _INSERT_BATCH]]
                    conn.execute(insert(entities), batch)
                if activate:
                    self._set_active(conn, parsed.source, version_id)
        except IntegrityError as exc:
            raise StoreError(
                f"{_files_label(parsed)}: could not store list {parsed.source!r}: {exc.orig}"
            ) from None
        info = self.get_version(parsed.source, next_version)
        return ImportResult(version=info, created=True, activated=activate, previous=previous)

    def activate(self, source: str, version: int) -> VersionInfo:
        """Make an existing version the active one (e.g. roll back)."""
        info = self.get_version(source, version)
        with self.engine.begin() as conn:
            self._set_active(conn, source, info.id)
        return self.get_version(source, version)

    def _set_active(self, conn: Any, source: str, version_id: int) -> None:
        updated = conn.execute(
            update(active_lists)
            .where(active_lists.c.source == source)
            .values(version_id=version_id, activated_at=_now())
        ).rowcount
        if not updated:
            conn.execute(
                insert(active_lists).values(source=source, version_id=version_id, activated_at=_now())
            )

    # -- comparing -----------------------------------------------------------------------------------

    def diff(self, source: str, old_version: int | None = None, new_version: int | None = None) -> ListDiff:
        """Added, removed and amended entities between two versions (default: the one before the active
        version, and the active version)."""
        new = self.get_version(source, new_version)
        if old_version is None:
            earlier = [v for v in self.versions(source) if v.version < new.version]
            if not earlier:
                raise StoreError(f"list {source!r} has no version before {new.version} to compare with")
            old = earlier[-1]
        else:
            old = self.get_version(source, old_version)
        old_rows = self._hashes(old.id)
        new_rows = self._hashes(new.id)
        added = [EntityChange(ref, new_rows[ref][1]) for ref in sorted(new_rows.keys() - old_rows.keys())]
        removed = [EntityChange(ref, old_rows[ref][1]) for ref in sorted(old_rows.keys() - new_rows.keys())]
        changed_refs = sorted(
            ref for ref in new_rows.keys() & old_rows.keys() if new_rows[ref][0] != old_rows[ref][0]
        )
        old_data = self._data(old.id, changed_refs)
        new_data = self._data(new.id, changed_refs)
        amended = [
            EntityChange(ref, new_rows[ref][1], changed_fields(old_data[ref], new_data[ref]))
            for ref in changed_refs
        ]
        return ListDiff(source, old, new, added, removed, amended)

    def _hashes(self, version_id: int) -> dict[str, tuple[str, str]]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(entities.c.ref, entities.c.content_hash, entities.c.name).where(
                    entities.c.version_id == version_id
                )
            )
            return {r.ref: (r.content_hash, r.name) for r in rows}

    def _data(self, version_id: int, refs: list[str]) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(refs), 500):
                chunk = refs[start : start + 500]
                rows = conn.execute(
                    select(entities.c.ref, entities.c.data).where(
                        and_(entities.c.version_id == version_id, entities.c.ref.in_(chunk))
                    )
                )
                out.update({r.ref: json.loads(r.data) for r in rows})
        return out


def changed_fields(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Names of the fields that differ; the listing's own fields are reported as `listing.<field>`."""
    changed = []
    for key in sorted(old.keys() | new.keys()):
        if key == "listing":
            old_listing, new_listing = old.get(key, {}), new.get(key, {})
            changed += [
                f"listing.{k}"
                for k in sorted(old_listing.keys() | new_listing.keys())
                if old_listing.get(k) != new_listing.get(k)
            ]
        elif old.get(key) != new.get(key):
            changed.append(key)
    return changed


def _entity_rows(parsed: ParsedList) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    label = _files_label(parsed)
    for entity in parsed.entities:
        if entity.source != parsed.source:
            # A parser may be told a different source name; the stored listing must agree with it.
            entity = _with_source(entity, parsed.source)
        ref = entity.ref
        if not ref:
            raise ListFormatError("an entity has no reference", file=label, record=entity.primary_name)
        if ref in seen:
            raise ListFormatError("duplicate list reference", file=label, record=ref)
        seen.add(ref)
        data = entity.to_dict()
        text = canonical_json(data)
        rows.append(
            {
                "ref": ref,
                "schema": entity.schema.value,
                "name": entity.primary_name,
                "content_hash": hashlib.sha256(text.encode("utf-8")).hexdigest(),
                "data": text,
            }
        )
    return rows


def _with_source(entity: Entity, source: str) -> Entity:
    return replace(entity, listing=replace(entity.listing, source=source))


def _files_label(parsed: ParsedList) -> str:
    return ", ".join(str(p) for p in parsed.files) or parsed.source
