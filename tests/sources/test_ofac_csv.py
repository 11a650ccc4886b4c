"""OFAC legacy CSV set: real sdn.csv / cons_prim.csv files with their companions, and small fixtures."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from ctscreen.errors import ListFormatError
from ctscreen.model import (
    Address,
    DateKind,
    Entity,
    Identifier,
    IdentifierKind,
    Name,
    NameKind,
    PartialDate,
    Place,
    Schema,
    count_by_schema,
)
from ctscreen.sources import ofac_csv
from ctscreen.sources.base import ParsedList

LEGACY = "ofac/legacy_csv_2021-07-07"
SDN_2024 = "ofac/sdn_2024-05-03"
CONS = "ofac/consolidated_non_sdn"


def _by_ref(parsed: ParsedList) -> dict[str, Entity]:
    return {e.ref: e for e in parsed.entities}


def _programme_count(parsed: ParsedList, programme: str) -> int:
    return sum(programme in e.listing.programmes for e in parsed.entities)


def _csv_rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [row for row in csv.reader(handle) if len(row) > 1]


@pytest.fixture(scope="module")
def legacy(lists_dir: Path) -> ParsedList:
    return ofac_csv.parse([lists_dir / LEGACY / "sdn.csv"], format="ofac-csv")


@pytest.fixture(scope="module")
def sdn_2024(lists_dir: Path) -> ParsedList:
    return ofac_csv.parse([lists_dir / SDN_2024 / "sdn.csv"], format="ofac-csv")


@pytest.fixture(scope="module")
def cons(lists_dir: Path) -> ParsedList:
    return ofac_csv.parse([lists_dir / CONS / "cons_prim.csv"], format="ofac-csv")


# --- real files: counts -------------------------------------------------------------------------------------


def test_sdn_2024_counts(sdn_2024: ParsedList) -> None:
    assert sdn_2024.source == "ofac-sdn" and sdn_2024.format == "ofac-csv"
    assert len(sdn_2024.entities) == 14965
    assert count_by_schema(sdn_2024.entities) == {
        "person": 6854,
        "organization": 6884,
        "vessel": 851,
        "aircraft": 376,
    }
    assert _programme_count(sdn_2024, "FTO") == 70
    assert _programme_count(sdn_2024, "SDGT") == 2386
    assert sdn_2024.published is None  # the legacy CSV carries no date


def test_sdn_2024_without_companions_warns(sdn_2024: ParsedList, lists_dir: Path) -> None:
    assert sdn_2024.files == [lists_dir / SDN_2024 / "sdn.csv"]
    (warning,) = sdn_2024.warnings
    assert "alt.csv" in warning and "add.csv" in warning and "sdn_comments.csv" in warning
    assert all(n.kind is not NameKind.ALIAS for e in sdn_2024.entities for n in e.names)


def test_legacy_counts_and_companions(legacy: ParsedList, lists_dir: Path) -> None:
    folder = lists_dir / LEGACY
    assert len(legacy.entities) == 8976
    assert count_by_schema(legacy.entities) == {
        "person": 4620,
        "organization": 3673,
        "vessel": 406,
        "aircraft": 277,
    }
    assert _programme_count(legacy, "FTO") == 74
    assert _programme_count(legacy, "SDGT") == 1709
    assert [p.name for p in legacy.files] == ["sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"]
    assert legacy.warnings == []  # every ent_num in alt/add/comments resolves

    alt_rows = _csv_rows(folder / "alt.csv")
    assert len(alt_rows) == 11910
    strong = Counter(
        n.kind for e in legacy.entities for n in e.names if n.kind in (NameKind.ALIAS, NameKind.FORMER)
    )
    assert sum(strong.values()) == 11910
    assert strong[NameKind.FORMER] == sum(r[2] == "fka" for r in alt_rows) == 369
    assert sum(n.note == "n.k.a." for e in legacy.entities for n in e.names) == 18

    add_rows = _csv_rows(folder / "add.csv")
    empty = sum(all(c.strip() == "-0-" for c in r[2:5]) for r in add_rows)
    assert len(add_rows) == 13837 and empty == 2397
    # OFAC writes an all-null row when no address is known; those attach nothing.
    assert sum(len(e.addresses) for e in legacy.entities) == len(add_rows) - empty


def test_consolidated_csv_counts(cons: ParsedList, lists_dir: Path) -> None:
    assert cons.source == "ofac-cons"
    assert len(cons.entities) == 442
    assert count_by_schema(cons.entities)["person"] == 79
    assert count_by_schema(cons.entities)["organization"] == 363
    assert [p.name for p in cons.files] == [
        "cons_prim.csv",
        "cons_alt.csv",
        "cons_add.csv",
        "cons_comments.csv",
    ]
    assert cons.warnings == []
    assert sum(n.kind in (NameKind.ALIAS, NameKind.FORMER) for e in cons.entities for n in e.names) == 1073
    add_rows = _csv_rows(lists_dir / CONS / "cons_add.csv")
    empty = sum(all(c.strip() == "-0-" for c in r[2:5]) for r in add_rows)
    assert sum(len(e.addresses) for e in cons.entities) == len(add_rows) - empty == 522


# --- real files: entities field by field ---------------------------------------------------------------------


def test_hafiz_saeed(legacy: ParsedList) -> None:
    e = _by_ref(legacy)["10689"]
    assert e.schema is Schema.PERSON
    assert e.names[0] == Name("SAEED, Muhammad", NameKind.PRIMARY, given="Muhammad", family="SAEED")
    assert Name("SAEED, Hafiz Muhammad", NameKind.ALIAS, given="Hafiz Muhammad", family="SAEED") in e.names
    assert len([n for n in e.names if n.kind is NameKind.ALIAS]) == 8
    assert [n.full for n in e.names if n.kind is NameKind.WEAK] == ["HAFIZ SAHIB", "TATA JI"]
    assert e.listing.programmes == ("SDGT",)
    assert e.birth_dates == (PartialDate(value="1950-06-05"),)
    assert e.birth_places == (Place(text="Sargodha, Punjab, Pakistan"),)
    assert e.nationalities == ("Pakistan",)
    assert Identifier(IdentifierKind.CNIC, "3520025509842-7", "Pakistan", "National ID No.") in e.identifiers
    assert e.identifiers[0] == Identifier(
        IdentifierKind.PASSPORT, "BE5978421", "Pakistan", "Passport", "issued 14 Nov 2007 expires 12 Nov 2012"
    )
    assert e.addresses == (
        Address(
            text="House No. 116 E, Mohalla Johar, Town: Lahore, Tehsil:, Lahore City, Lahore District, Pakistan",
            street="House No. 116 E, Mohalla Johar, Town: Lahore, Tehsil:",
            city="Lahore City, Lahore District",
            country="Pakistan",
        ),
    )
    assert e.listing.remarks is not None and e.listing.remarks.startswith("DOB 05 Jun 1950; POB Sargodha")


def test_lashkar_e_tayyiba(legacy: ParsedList) -> None:
    e = _by_ref(legacy)["7140"]
    assert e.schema is Schema.ORGANIZATION
    assert e.primary_name == "LASHKAR E-TAYYIBA"
    assert e.names[0].given is None and e.names[0].family is None
    assert e.listing.programmes == ("FTO", "SDGT")
    aliases = [n.full for n in e.names if n.kind is NameKind.ALIAS]
    assert len(aliases) == 44
    assert aliases[:3] == ["LASHKAR E-TOIBA", "LASHKAR-I-TAIBA", "ARMY OF THE RIGHTEOUS"]
    assert "JAMAAT-UD-DAWA" in aliases and "MILLI MUSLIM LEAGUE" in aliases
    assert [n.full for n in e.names if n.kind is NameKind.WEAK] == ["JUD", "TAJK", "MML"]
    assert e.addresses == (Address(text="Pakistan", country="Pakistan"),)


def test_haqqani_network_weak_alias_only_in_remarks(legacy: ParsedList, sdn_2024: ParsedList) -> None:
    for parsed in (legacy, sdn_2024):
        e = _by_ref(parsed)["15484"]
        assert e.names == (Name("HAQQANI NETWORK"), Name("HQN", NameKind.WEAK))
        assert e.listing.programmes == ("FTO", "SDGT")
        assert e.listing.remarks == "a.k.a. 'HQN'."
    assert [a.country for a in _by_ref(legacy)["15484"].addresses] == ["Afghanistan", "Pakistan"]


def test_bin_ladin(legacy: ParsedList) -> None:
    e = _by_ref(legacy)["6365"]
    assert e.names[0] == Name(
        "BIN LADIN, Usama bin Muhammad bin Awad", given="Usama bin Muhammad bin Awad", family="BIN LADIN"
    )
    assert [n.full for n in e.names[1:]] == [
        "BIN LADIN, Usama",
        "BIN LADEN, Usama",
        "BIN LADEN, Osama",
        "BIN LADIN, Osama",
        "BIN LADIN, Osama bin Muhammad bin Awad",
    ]
    assert e.birth_dates == (PartialDate(value="1957-07-30"), PartialDate(value="1958"))
    assert e.birth_places == (Place(text="Jeddah, Saudi Arabia"), Place(text="Yemen"))
    assert e.addresses == ()  # add.csv has an all-null row for him
    assert e.gender is None and e.identifiers == ()


def test_vessel_with_imo(legacy: ParsedList) -> None:
    e = _by_ref(legacy)["15036"]
    assert e.schema is Schema.VESSEL and e.primary_name == "ARTAVIL"
    assert e.identifiers[0] == Identifier(
        IdentifierKind.IMO, "9187629", type_text="Vessel Registration Identification"
    )
    assert dict(e.extra)["call_sign"] == "T2EU4"
    assert e.extra[:5] == (
        ("call_sign", "T2EU4"),
        ("vessel_type", "Crude/Oil Products Tanker"),
        ("tonnage", "99,144"),
        ("gross_registered_tonnage", "56,068"),
        ("vessel_flag", "Iran"),
    )
    assert e.linked_to == ("NATIONAL IRANIAN TANKER COMPANY",)
    assert Name("ALPHA", NameKind.WEAK, note="f.k.a.") in e.names


def test_every_vessel_with_an_imo_remark_gets_an_imo(sdn_2024: ParsedList) -> None:
    with_remark = [
        e for e in sdn_2024.entities if "Vessel Registration Identification IMO" in (e.listing.remarks or "")
    ]
    assert len(with_remark) > 800
    assert all(any(i.kind is IdentifierKind.IMO for i in e.identifiers) for e in with_remark)


def test_remarks_continuation_is_joined(legacy: ParsedList) -> None:
    by_ref = _by_ref(legacy)
    # sdn.csv cuts the remarks mid-word ("PROMO RAI"); sdn_comments.csv continues it ("Z S.A.S.; ...").
    assert "Linked To: PROMO RAIZ S.A.S." in (by_ref["12300"].listing.remarks or "")
    assert "PROMO RAIZ S.A.S." in by_ref["12300"].linked_to
    assert Name("snowsjohn", NameKind.WEAK) in by_ref["28263"].names
    assert by_ref["28263"].linked_to == ("LAZARUS GROUP",)


def test_consolidated_continuation_keeps_the_space(cons: ParsedList) -> None:
    e = _by_ref(cons)["17254"]  # cut "...; Government" + " Gazette Number 00044463 (Russia)"
    assert (
        Identifier(IdentifierKind.REGISTRATION, "00044463", "Russia", "Government Gazette Number")
        in e.identifiers
    )


def test_every_dob_clause_is_read(sdn_2024: ParsedList) -> None:
    per_entity = [
        {
            c.strip().removeprefix("alt. ").rstrip(".")
            for c in (e.listing.remarks or "").split(";")
            if c.strip().startswith(("DOB ", "alt. DOB "))
        }
        for e in sdn_2024.entities
    ]
    dobs = [d for found in per_entity for d in found]  # repeats on one entry counted once
    assert len(dobs) > 7000
    assert sum(len(e.birth_dates) for e in sdn_2024.entities) == len(dobs)
    kinds = Counter(d.kind for e in sdn_2024.entities for d in e.birth_dates)
    assert (
        kinds[DateKind.APPROXIMATE]
        == sum(d.startswith("DOB circa") and not (" to " in d or "-" in d) for d in dobs)
        > 60
    )
    assert kinds[DateKind.RANGE] == sum(" to " in d or "-" in d for d in dobs) > 60


def test_every_weak_alias_clause_is_read(sdn_2024: ParsedList) -> None:
    clauses = [c.strip() for e in sdn_2024.entities for c in (e.listing.remarks or "").split(";")]
    aka_clauses = sum(c.startswith(("a.k.a. '", "f.k.a. '", "n.k.a. '")) for c in clauses)
    weak = sum(n.kind is NameKind.WEAK for e in sdn_2024.entities for n in e.names)
    assert aka_clauses > 3000
    assert weak == aka_clauses - _repeated_weak(sdn_2024)


def _repeated_weak(parsed: ParsedList) -> int:
    """Weak a.k.a.s that repeat a name already on the entry (dropped as duplicates)."""
    from ctscreen.sources.ofac_remarks import parse_remarks

    repeated = 0
    for e in parsed.entities:
        strong = {n.full for n in e.names if n.kind is not NameKind.WEAK}
        seen: set[str] = set()
        for name in parse_remarks(e.listing.remarks, individual=e.schema is Schema.PERSON).names:
            if name.full in strong or name.full in seen:
                repeated += 1
            seen.add(name.full)
    return repeated


def test_parse_is_deterministic(lists_dir: Path, cons: ParsedList) -> None:
    again = ofac_csv.parse([lists_dir / CONS / "cons_prim.csv"], format="ofac-csv")
    assert [e.content_hash() for e in again.entities] == [e.content_hash() for e in cons.entities]


def test_entity_fields_are_tuples(legacy: ParsedList) -> None:
    e = _by_ref(legacy)["10689"]
    for value in (e.names, e.identifiers, e.addresses, e.extra, e.listing.programmes, e.birth_dates):
        assert isinstance(value, tuple)


# --- sniffing and companions --------------------------------------------------------------------------------


def test_sniff_real_files(lists_dir: Path) -> None:
    def sniff(rel: str) -> str | None:
        path = lists_dir / rel
        return ofac_csv.sniff(path, path.read_bytes()[:65536])

    assert sniff(f"{LEGACY}/sdn.csv") == "ofac-csv"
    assert sniff(f"{SDN_2024}/sdn.csv") == "ofac-csv"
    assert sniff(f"{CONS}/cons_prim.csv") == "ofac-csv"
    for other in (
        f"{LEGACY}/alt.csv",
        f"{LEGACY}/add.csv",
        f"{LEGACY}/sdn_comments.csv",
        f"{CONS}/consolidated.xml",
        "un/consolidated.xml",
        "us_csl/csl_subset_2023-11-30.csv",
        "us_csl/consolidated_fixture_2025-06-25.csv",
    ):
        assert sniff(other) is None, other


def test_is_companion(lists_dir: Path, fixtures_dir: Path) -> None:
    for rel in (
        f"{LEGACY}/alt.csv",
        f"{LEGACY}/add.csv",
        f"{LEGACY}/sdn_comments.csv",
        f"{CONS}/cons_alt.csv",
        f"{CONS}/cons_add.csv",
        f"{CONS}/cons_comments.csv",
    ):
        assert ofac_csv.is_companion(lists_dir / rel), rel
    assert not ofac_csv.is_companion(lists_dir / LEGACY / "sdn.csv")
    assert not ofac_csv.is_companion(lists_dir / "us_csl/csl_subset_2023-11-30.csv")
    # The name alone is not enough: this alt.csv's second row is short but its first row has the right shape...
    assert ofac_csv.is_companion(fixtures_dir / "ofac/bad_companion/alt.csv")
    # ...while a primary file renamed alt.csv has 12 columns and is not a companion.
    assert not ofac_csv.is_companion(fixtures_dir / "ofac/bad_companion/sdn.csv")


def test_is_companion_checks_content(tmp_path: Path) -> None:
    fake = tmp_path / "alt.csv"
    fake.write_text('1,"NAME",-0- ,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n')
    assert not ofac_csv.is_companion(fake)
    assert ofac_csv.sniff(fake, fake.read_bytes()) == "ofac-csv"
    assert not ofac_csv.is_companion(tmp_path / "add.csv")  # missing


def test_companions_listed(fixtures_dir: Path) -> None:
    names = [p.name for p in ofac_csv.companions(fixtures_dir / "ofac/set/sdn.csv")]
    assert names == ["alt.csv", "add.csv", "sdn_comments.csv"]


# --- fixtures ------------------------------------------------------------------------------------------------


@pytest.fixture
def fixture_set(fixtures_dir: Path) -> ParsedList:
    return ofac_csv.parse([fixtures_dir / "ofac/set/sdn.csv"], format="ofac-csv")


def test_fixture_set_entities(fixture_set: ParsedList) -> None:
    by_ref = _by_ref(fixture_set)
    assert list(by_ref) == ["10", "20", "30", "40", "50"]
    person = by_ref["10"]
    assert person.names == (
        Name("TESTMAN, John Quincy", given="John Quincy", family="TESTMAN"),
        Name("TESTMANN, John", NameKind.ALIAS, given="John", family="TESTMANN"),
        Name("JQ", NameKind.WEAK),
    )
    assert person.birth_dates == (
        PartialDate(DateKind.APPROXIMATE, "1963"),
        PartialDate(DateKind.RANGE, from_year=1960, to_year=1962),
        PartialDate(value="1950-06"),
    )
    assert person.citizenships == ("Afghanistan",) and person.gender == "male"
    assert person.identifiers == (
        Identifier(IdentifierKind.CNIC, "35202-1234567-1", "Pakistan", "National ID No."),
        Identifier(
            IdentifierKind.PASSPORT,
            "AB123456",
            "Pakistan",
            "Passport",
            "issued 01 Jan 2010 expires 31 Dec 2015",
        ),
    )
    assert person.linked_to == ("EXAMPLE FRONT S.A.",)
    # "...; Web" + "site www.example.org." from sdn_comments.csv
    assert person.extra == (("email", "jq@example.org"), ("website", "www.example.org"))
    assert "Leading ideological figure" in (person.listing.remarks or "")
    assert person.addresses == (
        Address(
            "1 Main Street, Lahore 54000, Pakistan",
            street="1 Main Street",
            city="Lahore 54000",
            country="Pakistan",
        ),
    )

    org = by_ref["20"]
    assert org.schema is Schema.ORGANIZATION and org.listing.programmes == ("FTO", "SDGT")
    assert org.names == (
        Name("EXAMPLE FRONT S.A."),
        Name("OLD FRONT", NameKind.FORMER),
        Name("NEW FRONT", NameKind.ALIAS, note="n.k.a."),
        Name("EFSA", NameKind.WEAK),
    )
    assert org.addresses == ()  # all-null add.csv row

    vessel = by_ref["30"]
    assert vessel.schema is Schema.VESSEL
    assert vessel.identifiers[0] == Identifier(
        IdentifierKind.IMO, "1234567", type_text="Vessel Registration Identification"
    )
    assert dict(vessel.extra)["vessel_owner"] == "Owner Co"
    assert vessel.addresses == (Address("Panama", country="Panama", note="c/o owner"),)

    aircraft = by_ref["40"]
    assert aircraft.schema is Schema.AIRCRAFT
    assert aircraft.identifiers == (
        Identifier(IdentifierKind.REGISTRATION, "EP-ABC", type_text="Aircraft Tail Number"),
    )
    assert aircraft.extra == (("aircraft_model", "B747"),)

    assert by_ref["50"].titles == ("Minister of Tests",) and by_ref["50"].listing.remarks is None


def test_orphan_companion_row_is_a_warning(fixture_set: ParsedList, fixtures_dir: Path) -> None:
    assert fixture_set.warnings == [
        f"{fixtures_dir / 'ofac/set/alt.csv'}:4: ent_num 99 is not in the primary file; row ignored"
    ]


def test_explicit_companions_and_source_override(fixtures_dir: Path) -> None:
    folder = fixtures_dir / "ofac/set"
    parsed = ofac_csv.parse([folder / "sdn.csv", folder / "alt.csv"], format="ofac-csv", source="my-ofac")
    assert parsed.source == "my-ofac" and all(e.source == "my-ofac" for e in parsed.entities)
    assert len(parsed.files) == 4


def test_renamed_primary_detected_by_content(fixtures_dir: Path) -> None:
    path = fixtures_dir / "ofac/renamed/ofac_sdn_2024.csv"
    assert ofac_csv.sniff(path, path.read_bytes()) == "ofac-csv"
    parsed = ofac_csv.parse([path], format="ofac-csv")
    assert [e.primary_name for e in parsed.entities] == ["ALONE CO."]
    assert parsed.source == "ofac-sdn"
    assert len(parsed.warnings) == 1 and "not found" in parsed.warnings[0]


# --- bad input ------------------------------------------------------------------------------------------------


def _error(path: Path) -> ListFormatError:
    with pytest.raises(ListFormatError) as info:
        ofac_csv.parse([path], format="ofac-csv")
    return info.value


def test_wrong_column_count_names_file_line_and_ent_num(fixtures_dir: Path) -> None:
    path = fixtures_dir / "ofac/bad_columns/sdn.csv"
    error = _error(path)
    assert (error.file, error.line, error.record) == (str(path), 2, "ent_num 306")
    assert "expected 12 columns, found 9" in str(error)


def test_non_numeric_ent_num(fixtures_dir: Path) -> None:
    error = _error(fixtures_dir / "ofac/bad_entnum/sdn.csv")
    assert error.line == 2 and error.field == "ent_num" and "'x12'" in error.message


def test_bad_companion_row(fixtures_dir: Path) -> None:
    path = fixtures_dir / "ofac/bad_companion/alt.csv"
    error = _error(fixtures_dir / "ofac/bad_companion/sdn.csv")
    assert (error.file, error.line, error.record) == (str(path), 2, "ent_num 1")
    assert "expected 5 columns, found 3" in error.message


def test_empty_file(tmp_path: Path) -> None:
    for content in (b"", b"\r\n\x1a", b"   \n"):
        path = tmp_path / "sdn.csv"
        path.write_bytes(content)
        assert _error(path).message == "file is empty"


def test_utf16_file(tmp_path: Path) -> None:
    path = tmp_path / "sdn.csv"
    path.write_bytes(
        '36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'.encode("utf-16")
    )
    assert ofac_csv.sniff(path, path.read_bytes()) == "ofac-csv"  # by name, so the error below is shown
    assert "UTF-16" in _error(path).message


def test_invalid_bytes(tmp_path: Path) -> None:
    path = tmp_path / "sdn.csv"
    path.write_bytes(
        b'1,"GOOD CO.",-0- ,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
        b'2,"BAD \xff\xfe NAME",-0- ,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
    )
    error = _error(path)
    assert error.line == 2 and "0xff" in error.message


def test_html_page_saved_as_sdn_csv(fixtures_dir: Path) -> None:
    path = fixtures_dir / "ofac/html/sdn.csv"
    assert ofac_csv.sniff(path, path.read_bytes()) == "ofac-csv"
    assert "HTML page" in _error(path).message


def test_unclosed_quote(tmp_path: Path) -> None:
    path = tmp_path / "sdn.csv"
    path.write_text('1,"GOOD CO.",-0- ,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"unterminated\r\n')
    error = _error(path)
    assert error.file == str(path) and error.line is not None


def test_duplicate_ent_num(tmp_path: Path) -> None:
    row = '5,"SAME",-0- ,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
    path = tmp_path / "sdn.csv"
    path.write_text(row + row)
    error = _error(path)
    assert error.line == 2 and "twice" in error.message


def test_companion_alone_is_refused(fixtures_dir: Path) -> None:
    with pytest.raises(ListFormatError):
        ofac_csv.parse([fixtures_dir / "ofac/set/alt.csv"], format="ofac-csv")
