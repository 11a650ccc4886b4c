"""The versioned list store, on SQLite and PostgreSQL: versions, atomic activation, refusals, diff."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from ctscreen.errors import ImportRefused, ListFormatError, StoreError
from ctscreen.model import (
    DateKind,
    Entity,
    Identifier,
    IdentifierKind,
    Listing,
    Name,
    NameKind,
    PartialDate,
    Schema,
)
from ctscreen.sources.base import ParsedList


def person(ref: str, name: str, *aliases: str, dob: str | None = None) -> Entity:
    names = (Name(name), *(Name(a, NameKind.ALIAS) for a in aliases))
    return Entity(
        schema=Schema.PERSON,
        names=names,
        listing=Listing(source="test", reference=ref, programmes=("SDGT",)),
        birth_dates=(PartialDate(DateKind.EXACT, dob),) if dob else (),
    )


def org(ref: str, name: str) -> Entity:
    return Entity(
        schema=Schema.ORGANIZATION, names=(Name(name),), listing=Listing(source="test", reference=ref)
    )


def parsed(tmp_path: Path, entities: list[Entity], tag: str) -> ParsedList:
    # The store hashes the files a list came from; each test version gets a file with its own content.
    path = tmp_path / f"list-{tag}.txt"
    path.write_text(tag)
    return ParsedList(
        source="test", format="user-csv", entities=entities, files=[path], published="2026-01-01"
    )


BASE = [
    person("P1", "Usama bin Ladin", "Osama bin Laden", dob="1957"),
    person("P2", "Ayman al-Zawahiri"),
    org("O1", "Tehrik-e Taliban Pakistan"),
]


def test_import_creates_active_version(store, tmp_path):
    result = store.import_list(parsed(tmp_path, BASE, "v1"))
    assert result.created and result.activated and result.previous is None
    info = store.active_version("test")
    assert info is not None
    assert (info.version, info.entities, info.persons, info.organizations) == (1, 3, 2, 1)
    assert info.published == "2026-01-01"
    assert len(info.sha256) == 64
    assert [e.ref for e in store.iter_entities(info.id)] == ["O1", "P1", "P2"]


def test_round_trip_keeps_every_field(store, tmp_path):
    rich = replace(
        person("P9", "Hafiz Muhammad Saeed", "Hafiz Saeed", dob="1950-06-05"),
        identifiers=(Identifier(IdentifierKind.CNIC, "3520025509842-7", "Pakistan", "National ID No."),),
        nationalities=("Pakistan",),
        names=(Name("HAFIZ MUHAMMAD SAEED"), Name("حافظ محمد سعید", NameKind.ORIGINAL_SCRIPT, script="Arab")),
    )
    store.import_list(parsed(tmp_path, [rich], "rich"))
    [found] = store.find("P9")
    assert found == rich
    assert found.content_hash() == rich.content_hash()


def test_same_content_is_not_a_new_version(store, tmp_path):
    store.import_list(parsed(tmp_path, BASE, "v1"))
    again = store.import_list(parsed(tmp_path, BASE, "v1"))
    assert not again.created
    assert [v.version for v in store.versions("test")] == [1]


def test_new_version_activates_and_old_is_kept(store, tmp_path):
    store.import_list(parsed(tmp_path, BASE, "v1"))
    store.import_list(parsed(tmp_path, BASE[:2], "v2"))
    assert [(v.version, v.active) for v in store.versions("test")] == [(1, False), (2, True)]
    assert store.find("O1") == []  # not in the active version
    assert store.find("O1", source="test", version=1)[0].primary_name == "Tehrik-e Taliban Pakistan"
    store.activate("test", 1)
    assert store.active_version("test").version == 1


def test_shrink_by_more_than_half_is_refused(store, tmp_path):
    store.import_list(parsed(tmp_path, BASE, "v1"))
    with pytest.raises(ImportRefused, match="shrank from 3 to 1"):
        store.import_list(parsed(tmp_path, BASE[:1], "v2"))
    assert store.active_version("test").version == 1
    assert [v.version for v in store.versions("test")] == [1]
    forced = store.import_list(parsed(tmp_path, BASE[:1], "v2"), force=True)
    assert forced.version.version == 2 and forced.version.active


def test_failed_import_writes_nothing(store, tmp_path):
    store.import_list(parsed(tmp_path, BASE, "v1"))
    duplicate = [*BASE, person("P1", "Someone Else")]
    with pytest.raises(ListFormatError, match="duplicate list reference"):
        store.import_list(parsed(tmp_path, duplicate, "v2"))
    assert [v.version for v in store.versions("test")] == [1]
    assert store.active_version("test").entities == 3


def test_empty_list_refused(store, tmp_path):
    with pytest.raises(ImportRefused, match="no entities"):
        store.import_list(parsed(tmp_path, [], "empty"))
    assert store.versions() == []


def test_diff_reports_added_removed_and_amended_fields(store, tmp_path):
    store.import_list(parsed(tmp_path, BASE, "v1"))
    amended_p1 = replace(BASE[0], birth_dates=(PartialDate(DateKind.RANGE, None, 1956, 1958),))
    amended_p2 = replace(BASE[1], listing=replace(BASE[1].listing, programmes=("SDGT", "FTO")))
    store.import_list(parsed(tmp_path, [amended_p1, amended_p2, org("O2", "Jamaat-ul-Ahrar")], "v2"))
    diff = store.diff("test")
    assert (diff.old.version, diff.new.version) == (1, 2)
    assert [c.ref for c in diff.added] == ["O2"]
    assert [c.ref for c in diff.removed] == ["O1"]
    assert {c.ref: c.fields for c in diff.amended} == {"P1": ["birth_dates"], "P2": ["listing.programmes"]}
    as_json = diff.to_dict()
    assert as_json["counts"] == {"added": 1, "removed": 1, "amended": 2}
    # Explicit versions, the other way round.
    back = store.diff("test", 2, 1)
    assert [c.ref for c in back.added] == ["O1"]


def test_unknown_source_and_version(store, tmp_path):
    with pytest.raises(StoreError, match="no active version"):
        store.get_version("nope")
    store.import_list(parsed(tmp_path, BASE, "v1"))
    with pytest.raises(StoreError, match="no version 7"):
        store.get_version("test", 7)
    with pytest.raises(StoreError, match="no version before"):
        store.diff("test")
