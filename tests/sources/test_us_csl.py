"""US Consolidated Screening List CSV: the real subset (4,227 rows, 4,220 _id) and the 13-row fixture,
entity by entity, plus broken input."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctscreen.errors import ListFormatError
from ctscreen.model import DateKind, Entity, IdentifierKind, NameKind, PartialDate, Schema, count_by_schema
from ctscreen.sources import us_csl
from ctscreen.sources.base import ParsedList

HEADER = ",".join(us_csl.COLUMNS)
SDN = "Specially Designated Nationals (SDN) - Treasury Department"


@pytest.fixture(scope="module")
def subset_path(lists_dir: Path) -> Path:
    return lists_dir / "us_csl" / "csl_subset_2023-11-30.csv"


@pytest.fixture(scope="module")
def subset(subset_path: Path) -> ParsedList:
    return us_csl.parse([subset_path], format="us-csl-csv")


@pytest.fixture(scope="module")
def by_ref(subset: ParsedList) -> dict[str, Entity]:
    return {e.ref: e for e in subset.entities}


@pytest.fixture(scope="module")
def small(lists_dir: Path) -> dict[str, Entity]:
    parsed = us_csl.parse([lists_dir / "us_csl" / "consolidated_fixture_2025-06-25.csv"], format="us-csl-csv")
    assert parsed.warnings == []
    return {e.ref: e for e in parsed.entities}


def row(**values: str) -> str:
    cells = [values.get(column, "") for column in us_csl.COLUMNS]
    return ",".join(f'"{c}"' for c in cells)


def write(tmp_path: Path, text: str | bytes, name: str = "csl.csv") -> Path:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


# --- the real subset ----------------------------------------------------------------------------------------


def test_subset_counts(subset: ParsedList) -> None:
    assert subset.source == "us-csl"
    assert subset.format == "us-csl-csv"
    assert subset.published is None  # the CSV carries no date
    assert len(subset.entities) == 4220  # 4,227 data rows, 4,220 distinct _id
    assert len({e.ref for e in subset.entities}) == 4220
    assert count_by_schema(subset.entities) == {
        "person": 1123,
        "organization": 3094,
        "vessel": 3,
        "aircraft": 0,
    }


def test_subset_warnings(subset: ParsedList) -> None:
    assert "line 2: repeated header line skipped" in subset.warnings
    merged = [w for w in subset.warnings if "rows merged" in w]
    assert sorted(w.split(":")[0] for w in merged) == sorted(
        f"_id {i}" for i in ("17014", "17016", "17143", "17250", "17254", "9659", "9647")
    )
    assert any(
        w.startswith("line 4233: the file ends inside the last record (_id 11476)") for w in subset.warnings
    )


def test_sub_list_counts(subset: ParsedList) -> None:
    def on(list_name: str) -> int:
        return sum(1 for e in subset.entities if list_name in e.listing.programmes)

    # PROVENANCE counts rows per sub-list; the merged _ids appear under both of their sub-lists.
    assert on(SDN) == 1738
    assert on("Entity List (EL) - Bureau of Industry and Security") == 919
    assert on("Denied Persons List (DPL) - Bureau of Industry and Security") == 577
    assert on("Sectoral Sanctions Identifications List (SSI) - Treasury Department") == 288
    assert on("Palestinian Legislative Council List (PLC) - Treasury Department") == 78


def test_duplicate_ids_merged(by_ref: dict[str, Entity]) -> None:
    bank = by_ref["17014"]
    assert bank.primary_name == "Joint Stock Company Russian Agricultural Bank"  # the first row's spelling
    fulls = [n.full for n in bank.names]
    # the SSI row repeats every name in capitals: one spelling kept per name, case-insensitively
    assert fulls == [
        "Joint Stock Company Russian Agricultural Bank",
        "Russian Agricultural Bank",
        "Russian Agricultural Bank Open Joint Stock Company",
        "Rosselkhozbank",
        "Russian Agricultural Bank OJSC",
        "RusAg",
    ]
    assert bank.listing.programmes == (
        "UKRAINE-EO13662",
        "RUSSIA-EO14024",
        "Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department",
        "Sectoral Sanctions Identifications List (SSI) - Treasury Department",
    )
    assert [v for k, v in bank.extra if k == "csl_source"] == [
        "Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department",
        "Sectoral Sanctions Identifications List (SSI) - Treasury Department",
    ]
    assert len(bank.addresses) == 2  # identical in both rows, kept once each
    assert [i.number for i in bank.identifiers] == ["1027700342890", "52750822"]


def test_merged_person_keeps_both_spellings(by_ref: dict[str, Entity]) -> None:
    zahar = by_ref["9647"]
    assert zahar.schema is Schema.PERSON
    assert zahar.primary_name == "Mahmoud Khaled ZAHHAR"
    sdn_style = next(n for n in zahar.names if n.full == "ZAHHAR, Mahmoud Khaled")
    assert (sdn_style.kind, sdn_style.given, sdn_style.family) == (NameKind.ALIAS, "Mahmoud Khaled", "ZAHHAR")
    assert zahar.linked_to == ("HAMAS",)
    assert zahar.nationalities == ("PS",)  # from the SDN row's column and the PLC row's "Nationality Country"
    assert zahar.gender == "male"
    assert zahar.birth_dates == (PartialDate(DateKind.EXACT, "1945"),)
    assert zahar.listing.programmes[:2] == ("NS-PLC", "SDGT")


def test_hafiz_saeed(by_ref: dict[str, Entity]) -> None:
    saeed = by_ref["10689"]
    assert saeed.schema is Schema.PERSON
    assert (saeed.names[0].full, saeed.names[0].given, saeed.names[0].family) == (
        "SAEED, Muhammad",
        "Muhammad",
        "SAEED",
    )
    assert "SAEED, Hafiz Muhammad" in [n.full for n in saeed.names]
    assert "TATA JI" in [n.full for n in saeed.names]
    assert saeed.listing.programmes == ("SDGT", SDN)
    assert saeed.listing.other_references == ("10689",)
    assert saeed.birth_dates == (PartialDate(DateKind.EXACT, "1950-06-05"),)
    assert [p.text for p in saeed.birth_places] == ["Sargodha, Punjab, Pakistan"]
    assert saeed.nationalities == ("PK",)
    assert [(i.kind, i.number, i.country, i.note) for i in saeed.identifiers] == [
        (IdentifierKind.PASSPORT, "Booklet A5250088", "PK", None),
        (IdentifierKind.PASSPORT, "BE5978421", "PK", "14 Nov 2007, 12 Nov 2012"),
        (IdentifierKind.CNIC, "23250460642", "PK", None),
        (IdentifierKind.CNIC, "3520025509842-7", "PK", None),
    ]
    (address,) = saeed.addresses
    assert address.country == "PK"
    assert address.text.startswith("House No. 116 E, Mohalla Johar")


def test_lashkar_e_tayyiba(by_ref: dict[str, Entity]) -> None:
    let = by_ref["7140"]
    assert let.schema is Schema.ORGANIZATION
    assert let.primary_name == "LASHKAR E-TAYYIBA"
    aliases = [n.full for n in let.names if n.kind is NameKind.ALIAS]
    assert {"JAMAAT-UD-DAWA", "FALAH-I-INSANIAT FOUNDATION (FIF)", "MILLI MUSLIM LEAGUE"} <= set(aliases)
    assert let.listing.programmes[:2] == ("FTO", "SDGT")
    assert [a.text for a in let.addresses] == ["PK"]


def test_linked_to_several_and_circa_day(by_ref: dict[str, Entity]) -> None:
    peshawari = by_ref["11355"]
    assert peshawari.linked_to == (
        "JAMIA TALEEM-UL-QURAN-WAL-HADITH MADRASSA",
        "TALIBAN",
        "LASHKAR E-TAYYIBA",
    )
    assert peshawari.birth_dates == (PartialDate(DateKind.APPROXIMATE, "1961-01-01"),)
    assert [a.country for a in peshawari.addresses] == ["PK", "PK", "SA"]


def test_date_of_birth_spellings(by_ref: dict[str, Entity]) -> None:
    assert by_ref["6944"].birth_dates == (
        PartialDate(DateKind.EXACT, "1969"),
        PartialDate(DateKind.EXACT, "1963"),
        PartialDate(DateKind.EXACT, "1964-02-11"),
    )
    assert by_ref["7929"].birth_dates == (PartialDate(DateKind.APPROXIMATE, "1966-07-07"),)
    assert by_ref["6862"].birth_dates == (PartialDate(DateKind.EXACT, "1938-09"),)
    passport = by_ref["6944"].identifiers[0]
    assert (passport.number, passport.country, passport.note) == (
        "G 649385",
        None,
        "08 Sep 2006, 17 Jul 2011",
    )


def test_pakistani_identification_number_is_a_cnic(by_ref: dict[str, Entity]) -> None:
    loan = by_ref["10593"]
    assert [(i.kind, i.number, i.type_text) for i in loan.identifiers] == [
        (IdentifierKind.PASSPORT, "AA8908881", "Passport"),
        (IdentifierKind.CNIC, "35200-5407888-5", "Identification Number"),
    ]
    assert loan.citizenships == ("PK",)
    assert loan.nationalities == ()
    assert loan.listing.programmes[0] == "SDNTK"


def test_diplomatic_passport_qualifier_goes_to_note(by_ref: dict[str, Entity]) -> None:
    (passport,) = by_ref["10570"].identifiers
    assert (passport.number, passport.country, passport.note) == ("D000000483", "SY", "Diplomatic")
    assert by_ref["10570"].positions == ("Syrian Deputy Vice President for Security Affairs",)
    assert by_ref["10570"].listing.remarks == "Major General"


def test_vessel(by_ref: dict[str, Entity]) -> None:
    ebano = by_ref["4243"]
    assert ebano.schema is Schema.VESSEL
    assert [n.full for n in ebano.names] == ["EBANO", "ANA I", "SAND SWAN"]
    (imo,) = ebano.identifiers
    assert (imo.kind, imo.number, imo.type_text) == (
        IdentifierKind.IMO,
        "IMO 7406784",
        "Vessel Registration Identification",
    )
    extra = dict(ebano.extra)
    assert (extra["vessel_type"], extra["vessel_flag"], extra["gross_tonnage"]) == (
        "General Cargo",
        "Panama",
        "2595",
    )


def test_truncated_last_record_keeps_complete_fields(by_ref: dict[str, Entity]) -> None:
    cut = by_ref["11476"]
    assert cut.primary_name == "BERMUDEZ SUAZA, Pedro Antonio"
    assert cut.schema is Schema.PERSON
    assert cut.listing.programmes == ("SDNT", SDN)
    assert cut.addresses == ()  # the field the file ends in is dropped, not half-read
    assert ("truncated", "record cut off at the end of the file, from field addresses") in cut.extra


def test_untyped_bis_entries_are_organizations_flagged(by_ref: dict[str, Entity], subset: ParsedList) -> None:
    untyped = [e for e in subset.entities if ("csl_type", "not given by the list") in e.extra]
    assert len(untyped) == 2039
    assert all(e.schema is Schema.ORGANIZATION for e in untyped)


def test_subset_is_deterministic(subset_path: Path, subset: ParsedList) -> None:
    again = us_csl.parse([subset_path], format="us-csl-csv")
    assert [e.content_hash() for e in again.entities] == [e.content_hash() for e in subset.entities]


def test_sniff_real_files(subset_path: Path, lists_dir: Path) -> None:
    assert us_csl.sniff(subset_path, subset_path.read_bytes()[:65536]) == "us-csl-csv"
    for other in (
        "ofac/sdn_2024-05-03/sdn.csv",
        "un/consolidated.xml",
        "ofac/consolidated_non_sdn/cons_prim.csv",
    ):
        path = lists_dir / other
        assert us_csl.sniff(path, path.read_bytes()[:65536]) is None


# --- the small 2025 fixture -----------------------------------------------------------------------------------


def test_fixture_rows(small: dict[str, Entity]) -> None:
    assert len(small) == 13
    rim = small["52291"]
    assert (rim.schema, rim.primary_name, rim.gender) == (Schema.PERSON, "RIM, Ryong Nam", "male")
    assert rim.birth_dates == (PartialDate(DateKind.EXACT, "1978-12-05"),)
    assert rim.nationalities == ("KP",)
    assert [(i.kind, i.number, i.country) for i in rim.identifiers] == [
        (IdentifierKind.PASSPORT, "836238033", "KP")
    ]
    assert [(a.text, a.country) for a in rim.addresses] == [("Shenyang, CN", "CN"), ("Pyongyang, KP", "KP")]
    assert (
        "Secondary sanctions risk",
        "North Korea Sanctions Regulations, sections 510.201 and 510.210",
    ) in rim.extra

    ash = small["b601cbf2841d0aaedfe63661581ffbc3d54b6ba39d7e3a9027cff50e"]
    assert ash.schema is Schema.ORGANIZATION  # DPL rows have no type
    assert ash.listing.listed_on == "2002-03-04"
    assert ash.listing.other_references == ()
    assert ash.listing.remarks == "50 YEAR DENIAL"
    extra = dict(ash.extra)
    assert (extra["end_date"], extra["standard_order"], extra["csl_type"]) == (
        "2056-06-29",
        "Y",
        "not given by the list",
    )

    evren = small["26182"]
    assert evren.citizenships == ("TR",)
    assert evren.identifiers[0].number == "U00242309"


# --- bad input ----------------------------------------------------------------------------------------------


def test_wrong_column_count_names_line_and_record(tmp_path: Path) -> None:
    good = row(_id="1", source="X", type="Entity", name="ACME")
    text = f"{HEADER}\n{good}\n" + '"2","X","","Entity","","SHORT ROW"\n' + good.replace('"1"', '"3"') + "\n"
    with pytest.raises(ListFormatError, match="expected 29 columns, found 6") as info:
        us_csl.parse([write(tmp_path, text)], format="us-csl-csv")
    assert (info.value.line, info.value.record) == (3, "_id 2")


def test_bad_encoding(tmp_path: Path) -> None:
    text = f"{HEADER}\n{row(_id='1', source='X', type='Entity', name='CAFÉ')}\n".encode("cp1252")
    with pytest.raises(ListFormatError, match="not valid utf-8") as info:
        us_csl.parse([write(tmp_path, text)], format="us-csl-csv")
    assert info.value.line == 2


def test_empty_file(tmp_path: Path) -> None:
    with pytest.raises(ListFormatError, match="empty"):
        us_csl.parse([write(tmp_path, "")], format="us-csl-csv")


def test_header_only(tmp_path: Path) -> None:
    with pytest.raises(ListFormatError, match="no data rows"):
        us_csl.parse([write(tmp_path, HEADER + "\n" + HEADER + "\n")], format="us-csl-csv")


def test_other_csv_is_refused(tmp_path: Path) -> None:
    sdn_csv = '36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- \n'
    with pytest.raises(ListFormatError, match="header lacks _id, source, type, name") as info:
        us_csl.parse([write(tmp_path, sdn_csv)], format="us-csl-csv")
    assert info.value.line == 1


def test_html_page(tmp_path: Path) -> None:
    with pytest.raises(ListFormatError, match="HTML page"):
        us_csl.parse(
            [write(tmp_path, "<!DOCTYPE html><html><body>Not Found</body></html>")], format="us-csl-csv"
        )


def test_unknown_type(tmp_path: Path) -> None:
    text = f"{HEADER}\n{row(_id='5', source='X', type='Spaceship', name='A')}\n"
    with pytest.raises(ListFormatError, match="unknown type 'Spaceship'") as info:
        us_csl.parse([write(tmp_path, text)], format="us-csl-csv")
    assert (info.value.line, info.value.record, info.value.field) == (2, "_id 5", "type")


def test_unreadable_date_of_birth(tmp_path: Path) -> None:
    text = f"{HEADER}\n{row(_id='6', source='X', type='Individual', name='A', dates_of_birth='sometime in 1960')}\n"
    with pytest.raises(ListFormatError, match="unreadable date of birth") as info:
        us_csl.parse([write(tmp_path, text)], format="us-csl-csv")
    assert (info.value.record, info.value.field) == ("_id 6", "dates_of_birth")


def test_missing_name(tmp_path: Path) -> None:
    text = f"{HEADER}\n{row(_id='7', source='X', type='Entity')}\n"
    with pytest.raises(ListFormatError, match="empty name"):
        us_csl.parse([write(tmp_path, text)], format="us-csl-csv")


def test_short_last_row_with_newline_is_not_taken_for_truncation(tmp_path: Path) -> None:
    text = f"{HEADER}\n{row(_id='1', source='X', type='Entity', name='A')}\n" + '"2","X","","Entity"\n'
    with pytest.raises(ListFormatError, match="expected 29 columns, found 4"):
        us_csl.parse([write(tmp_path, text)], format="us-csl-csv")


def test_packed_fields_in_a_small_file(tmp_path: Path) -> None:
    text = (
        HEADER
        + "\n"
        + row(
            _id="9",
            source=SDN,
            entity_number="9",
            type="Aircraft",
            programs="SDGT; IRGC",
            name="EP-ABC",
            alt_names="Alpha;Beta; ",
            ids="Aircraft Tail Number, EP-ABC; Website, www.example.ir",
        )
        + "\n"
    )
    (entity,) = us_csl.parse([write(tmp_path, text)], format="us-csl-csv", source="csl-test").entities
    assert entity.source == "csl-test"
    assert entity.schema is Schema.AIRCRAFT
    assert [n.full for n in entity.names] == ["EP-ABC", "Alpha", "Beta"]
    assert entity.listing.programmes == ("SDGT", "IRGC", SDN)
    assert [(i.kind, i.number) for i in entity.identifiers] == [(IdentifierKind.REGISTRATION, "EP-ABC")]
    assert ("Website", "www.example.ir") in entity.extra


def test_file_cut_before_the_name_of_its_last_record(tmp_path: Path) -> None:
    text = f"{HEADER}\n{row(_id='1', source='X', type='Entity', name='A')}\n" + '"2","Specially Desig'
    with pytest.raises(ListFormatError, match="ends inside the last record, before its name") as info:
        us_csl.parse([write(tmp_path, text)], format="us-csl-csv")
    assert (info.value.line, info.value.record) == (3, "_id 2")


def test_file_cut_after_the_name_of_its_last_record(tmp_path: Path) -> None:
    text = (
        f"{HEADER}\n{row(_id='1', source='X', type='Entity', name='A')}\n"
        + '"2","X","2","Entity","SDGT","B","Dir'
    )
    parsed = us_csl.parse([write(tmp_path, text)], format="us-csl-csv")
    assert [e.primary_name for e in parsed.entities] == ["A", "B"]
    assert parsed.entities[1].positions == ()  # "title" was cut: dropped
    assert parsed.warnings == [
        "line 3: the file ends inside the last record (_id 2); kept its first 6 of 29 fields"
    ]
