"""FollowTheMoney JSON lines parser: hand-written entities.ftm.json and targets.nested.json samples (no real
OpenSanctions export is available offline), field by field, and broken input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ctscreen.errors import ListFormatError
from ctscreen.model import DateKind, Entity, IdentifierKind, NameKind, PartialDate, Schema
from ctscreen.sources import ftm
from ctscreen.sources.base import ParsedList

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ftm"
SAMPLE = FIXTURES / "sample.ftm.json"
NESTED = FIXTURES / "sample.nested.json"


@pytest.fixture(scope="module")
def parsed() -> ParsedList:
    return ftm.parse([SAMPLE], format="ftm-json")


@pytest.fixture(scope="module")
def by_ref(parsed: ParsedList) -> dict[str, Entity]:
    return {e.ref: e for e in parsed.entities}


def write_lines(tmp_path: Path, *items: object, name: str = "e.ftm.json") -> Path:
    path = tmp_path / name
    path.write_text(
        "\n".join(i if isinstance(i, str) else json.dumps(i) for i in items) + "\n", encoding="utf-8"
    )
    return path


def test_list_level(parsed: ParsedList) -> None:
    assert (parsed.source, parsed.format, parsed.published) == ("ftm", "ftm-json", None)
    # Sanction, Passport, Address and Ownership lines describe parties; the non-target Company is skipped.
    assert [e.ref for e in parsed.entities] == [
        "ftm-un-qdi-263",
        "ftm-un-qdi-431",
        "ftm-un-qde-132",
        "ftm-ofac-27304",
    ]
    assert parsed.warnings == ["entities of other schemas ignored: Ownership 1"]


def test_person_with_sanction(by_ref: dict[str, Entity]) -> None:
    saeed = by_ref["ftm-un-qdi-263"]
    assert saeed.schema is Schema.PERSON
    primary = saeed.names[0]
    assert (primary.full, primary.kind, primary.given, primary.family) == (
        "Hafiz Muhammad Saeed",
        NameKind.PRIMARY,
        "Hafiz Muhammad",
        "Saeed",
    )
    arabic = saeed.names[1]
    assert (arabic.full, arabic.kind, arabic.script) == ("حافظ محمد سعيد", NameKind.ORIGINAL_SCRIPT, "Arab")
    assert [n.full for n in saeed.names if n.kind is NameKind.ALIAS] == [
        "Hafiz Mohammad Sahib",
        "Hafiz Mohammad Sayid",
        "Hafiz Saeed",
        "Hafez Mohammad Saeed",
    ]
    assert [n.full for n in saeed.names if n.kind is NameKind.WEAK] == ["Hafiz Ji"]
    assert saeed.gender == "male"
    assert saeed.birth_dates == (PartialDate(DateKind.EXACT, "1950-06-05"),)
    assert [p.text for p in saeed.birth_places] == ["Sargodha, Punjab, Pakistan"]
    assert saeed.nationalities == ("pk",)
    (cnic,) = saeed.identifiers  # idNumber of a Pakistani person, no issuer given
    assert (cnic.kind, cnic.number, cnic.type_text) == (IdentifierKind.CNIC, "3520025509842-7", "idNumber")
    assert saeed.positions == ("Leader of Lashkar-e-Tayyiba",)
    listing = saeed.listing
    assert listing.un_reference == "QDi.263"
    assert listing.programmes == ("UN-SCISIL", "UN SC ISIL (Da'esh) and Al-Qaida")
    assert listing.listed_on == "2008-12-10"
    assert listing.amended_on == ("2023-12-19",)
    assert listing.authority == "United Nations Security Council (UN SC)"
    assert listing.remarks == "Leader of Lashkar-e-Tayyiba (QDe.118)."
    assert ("dataset", "un_sc_sanctions") in saeed.extra
    assert ("topics", "sanction") in saeed.extra


def test_passport_entity_and_two_sanctions(by_ref: dict[str, Entity]) -> None:
    ghafari = by_ref["ftm-un-qdi-431"]
    # passportNumber on the person and the Passport entity give one identifier, the detailed one
    (passport,) = ghafari.identifiers
    assert (passport.kind, passport.number, passport.country, passport.type_text, passport.note) == (
        IdentifierKind.PASSPORT,
        "O1503093",
        "af",
        "Passport",
        "issued 2016-08-25; expires 2021-08-25",
    )
    assert ghafari.birth_dates == (
        PartialDate(DateKind.EXACT, "1994-10-28"),
        PartialDate(DateKind.EXACT, "1990-05-24"),
    )
    urdu = [n for n in ghafari.names if n.kind is NameKind.ORIGINAL_SCRIPT]
    assert [n.full for n in urdu] == ["ثناء اللہ غفاری"]  # given as an alias, written in Arabic script
    assert ghafari.titles == ("Dr.",)
    assert ghafari.listing.programmes == ("UN-SCISIL", "EU-TAQA")
    assert ghafari.listing.listed_on == "2021-12-21"  # the earliest of listingDate / startDate
    assert ghafari.listing.other_references == ("EU.7291.11",)
    assert ghafari.listing.un_reference == "QDi.431"


def test_organization_with_address_entity(by_ref: dict[str, Entity]) -> None:
    ttp = by_ref["ftm-un-qde-132"]
    assert ttp.schema is Schema.ORGANIZATION
    assert ttp.primary_name == "Tehrik-e Taliban Pakistan (TTP)"
    assert ttp.names[1].kind is NameKind.ORIGINAL_SCRIPT
    assert [(a.text, a.country) for a in ttp.addresses] == [
        ("Tribal areas along the Afghanistan/Pakistan border", "pk")
    ]
    assert ttp.listing.un_reference == "QDe.132"
    assert ("country", "pk") in ttp.extra


def test_vessel(by_ref: dict[str, Entity]) -> None:
    vessel = by_ref["ftm-ofac-27304"]
    assert vessel.schema is Schema.VESSEL
    assert [(n.full, n.kind) for n in vessel.names] == [
        ("ADRIAN DARYA 1", NameKind.PRIMARY),
        ("GRACE 1", NameKind.FORMER),
    ]
    assert [(i.kind, i.number) for i in vessel.identifiers] == [(IdentifierKind.IMO, "9116412")]
    assert vessel.listing.programmes == ("US-TERR", "SDGT")
    assert vessel.listing.other_references == ("27304",)
    assert ("flag", "ir") in vessel.extra


def test_nested_targets() -> None:
    parsed = ftm.parse([NESTED], format="ftm-json")
    jua, ghafari = parsed.entities
    assert jua.primary_name == "Jamaat-ul-Ahrar (JuA)"
    assert [n.full for n in jua.names if n.kind is NameKind.WEAK] == ["Ahrar-ul-Hind"]
    # the nested Sanction has no `entity`: it belongs to the party it is nested in
    assert (jua.listing.un_reference, jua.listing.listed_on) == ("QDe.152", "2017-07-06")
    assert [(a.text, a.city, a.country) for a in jua.addresses] == [
        ("Mohmand Agency, Pakistan", "Mohmand Agency", "pk")
    ]
    assert [(i.kind, i.number, i.country) for i in ghafari.identifiers] == [
        (IdentifierKind.PASSPORT, "O1503093", "af")
    ]
    assert parsed.warnings == []


def test_source_override_and_determinism(parsed: ParsedList) -> None:
    again = ftm.parse([SAMPLE], format="ftm-json", source="opensanctions")
    assert {e.source for e in again.entities} == {"opensanctions"}
    assert [e.to_dict()["names"] for e in again.entities] == [e.to_dict()["names"] for e in parsed.entities]


def test_sniff() -> None:
    assert ftm.sniff(SAMPLE, SAMPLE.read_bytes()) == "ftm-json"
    assert ftm.sniff(NESTED, NESTED.read_bytes()) == "ftm-json"
    assert ftm.sniff(SAMPLE, b'\n\n{"ref": "1", "name": "X", "type": "person"}\n') is None
    assert ftm.sniff(SAMPLE, b'[{"schema": "Person", "properties": {}}]') is None
    assert ftm.sniff(SAMPLE, b"ref,name,type\n") is None
    # a first line longer than the sniffed head
    assert ftm.sniff(SAMPLE, b'{"id": "x", "schema": "Person", "properties": {"name": ["A') == "ftm-json"


def test_partial_dates(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path,
        {
            "id": "p",
            "schema": "Person",
            "properties": {"name": ["A"], "birthDate": ["1968", "1968-06", "1970-01-02T00:00:00"]},
        },
    )
    (entity,) = ftm.parse([path], format="ftm-json").entities
    assert [d.value for d in entity.birth_dates] == ["1968", "1968-06", "1970-01-02"]


# --- bad input ----------------------------------------------------------------------------------------------


def test_malformed_line_names_its_number(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path,
        {"id": "p", "schema": "Person", "properties": {"name": ["A"]}},
        "",
        '{"id": "q", "schema": "Person", "properties": {"name": ["B"]}',
    )
    with pytest.raises(ListFormatError, match="malformed JSON") as info:
        ftm.parse([path], format="ftm-json")
    assert info.value.line == 3
    assert info.value.file == str(path)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "e.ftm.json"
    path.write_bytes(b"\n\n")
    with pytest.raises(ListFormatError, match="empty"):
        ftm.parse([path], format="ftm-json")


def test_bad_encoding(tmp_path: Path) -> None:
    path = tmp_path / "e.ftm.json"
    path.write_bytes(
        json.dumps({"id": "p", "schema": "Person", "properties": {"name": ["Café"]}}).encode("latin-1")
    )
    path.write_bytes(path.read_bytes().replace(b"Caf\\u00e9", "Café".encode("latin-1")))
    with pytest.raises(ListFormatError, match="not valid utf-8"):
        ftm.parse([path], format="ftm-json")


def test_no_listed_parties(tmp_path: Path) -> None:
    path = write_lines(tmp_path, {"id": "s", "schema": "Sanction", "properties": {"entity": ["x"]}})
    with pytest.raises(ListFormatError, match="no listed parties"):
        ftm.parse([path], format="ftm-json")


def test_line_that_is_not_an_entity(tmp_path: Path) -> None:
    path = write_lines(tmp_path, {"id": "p", "schema": "Person", "properties": {"name": ["A"]}}, [1, 2, 3])
    with pytest.raises(ListFormatError, match="not an FtM entity") as info:
        ftm.parse([path], format="ftm-json")
    assert info.value.line == 2


def test_entity_without_id(tmp_path: Path) -> None:
    path = write_lines(tmp_path, {"schema": "Person", "properties": {"name": ["A"]}})
    with pytest.raises(ListFormatError, match='without an "id"') as info:
        ftm.parse([path], format="ftm-json")
    assert info.value.line == 1


def test_party_without_name(tmp_path: Path) -> None:
    path = write_lines(tmp_path, {"id": "p9", "schema": "Person", "properties": {"birthDate": ["1970"]}})
    with pytest.raises(ListFormatError, match="without a name") as info:
        ftm.parse([path], format="ftm-json")
    assert (info.value.line, info.value.record) == (1, "p9")


def test_html_page(tmp_path: Path) -> None:
    path = tmp_path / "e.ftm.json"
    path.write_text("<html><head><title>Access denied</title></head></html>", encoding="utf-8")
    with pytest.raises(ListFormatError, match="HTML page"):
        ftm.parse([path], format="ftm-json")


def test_same_id_with_two_schemas(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path,
        {"id": "x", "schema": "Person", "properties": {"name": ["A"]}},
        {"id": "x", "schema": "Vessel", "properties": {"name": ["A"]}},
    )
    with pytest.raises(ListFormatError, match="both Person") as info:
        ftm.parse([path], format="ftm-json")
    assert info.value.line == 2


def test_dangling_sanction_is_a_warning(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path,
        {"id": "p", "schema": "Person", "properties": {"name": ["A"]}},
        {"id": "s", "schema": "Sanction", "properties": {"entity": ["missing"], "programId": ["X"]}},
    )
    parsed = ftm.parse([path], format="ftm-json")
    assert parsed.warnings == ["1 Sanction entities point to ids not in the file, e.g. missing"]
