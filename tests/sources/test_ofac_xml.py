"""OFAC sdnList XML: the real consolidated (non-SDN) file, its agreement with the CSV set, and fixtures."""

from __future__ import annotations

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
from ctscreen.sources import ofac_csv, ofac_xml
from ctscreen.sources.base import ParsedList

CONS = "ofac/consolidated_non_sdn"


def _by_ref(parsed: ParsedList) -> dict[str, Entity]:
    return {e.ref: e for e in parsed.entities}


@pytest.fixture(scope="module")
def cons_xml(lists_dir: Path) -> ParsedList:
    return ofac_xml.parse([lists_dir / CONS / "consolidated.xml"], format="ofac-xml")


@pytest.fixture(scope="module")
def cons_csv(lists_dir: Path) -> ParsedList:
    return ofac_csv.parse([lists_dir / CONS / "cons_prim.csv"], format="ofac-csv")


@pytest.fixture
def small(fixtures_dir: Path) -> ParsedList:
    return ofac_xml.parse([fixtures_dir / "ofac/xml/sdn_small.xml"], format="ofac-xml")


# --- the real consolidated XML ---------------------------------------------------------------------------------


def test_consolidated_xml_counts(cons_xml: ParsedList) -> None:
    assert cons_xml.source == "ofac-cons" and cons_xml.format == "ofac-xml"
    assert cons_xml.published == "2026-01-08"
    assert len(cons_xml.entities) == 442
    assert count_by_schema(cons_xml.entities) == {
        "person": 79,
        "organization": 363,
        "vessel": 0,
        "aircraft": 0,
    }
    assert cons_xml.warnings == []  # Record_Count 442 matches


def test_consolidated_xml_programmes_and_aliases(cons_xml: ParsedList) -> None:
    programmes = [p for e in cons_xml.entities for p in e.listing.programmes]
    assert programmes.count("UKRAINE-EO13662") == 286
    assert programmes.count("RUSSIA-EO14024") == 93
    assert programmes.count("NS-PLC") == 78
    assert programmes.count("CMIC-EO13959") == 68
    kinds = [n.kind for e in cons_xml.entities for n in e.names if n.kind is not NameKind.PRIMARY]
    assert len(kinds) == 1144  # every aka element
    assert kinds.count(NameKind.WEAK) == 72


def test_xml_and_csv_agree(cons_xml: ParsedList, cons_csv: ParsedList) -> None:
    xml, csv = _by_ref(cons_xml), _by_ref(cons_csv)
    assert set(xml) == set(csv)
    assert {k: e.primary_name for k, e in xml.items()} == {k: e.primary_name for k, e in csv.items()}
    assert {k: e.schema for k, e in xml.items()} == {k: e.schema for k, e in csv.items()}
    # The structured XML and the CSV remarks give the same facts (the files are three weeks apart).
    for field in ("birth_dates", "birth_places", "nationalities", "citizenships", "linked_to", "gender"):
        differing = [k for k in xml if _as_set(getattr(xml[k], field)) != _as_set(getattr(csv[k], field))]
        assert differing == [], field
    differing = [k for k in xml if set(xml[k].identifiers) != set(csv[k].identifiers)]
    assert differing == []
    differing = [k for k in xml if set(xml[k].extra) != set(csv[k].extra)]
    assert differing == []
    differing = [k for k in xml if set(xml[k].listing.programmes) != set(csv[k].listing.programmes)]
    assert differing == []


def _as_set(value: object) -> object:
    return set(value) if isinstance(value, tuple) else value


def test_real_individual_field_by_field(cons_xml: ParsedList) -> None:
    e = _by_ref(cons_xml)["9647"]
    assert e.schema is Schema.PERSON
    assert e.names == (
        Name("ZAHHAR, Mahmoud Khaled", given="Mahmoud Khaled", family="ZAHHAR"),
        Name("AL ZAHAR, Mahmoud Khaled", NameKind.ALIAS, given="Mahmoud Khaled", family="AL ZAHAR"),
        Name("ZAHAR, Mahmoud", NameKind.WEAK, given="Mahmoud", family="ZAHAR"),
        Name("AL-ZAHAR, Mahmoud", NameKind.WEAK, given="Mahmoud", family="AL-ZAHAR"),
    )
    assert e.gender == "male"  # from an idList entry of type Gender
    assert e.birth_dates == (PartialDate(value="1945"),)
    assert e.birth_places == (Place(text="Gaza Strip"),)
    assert e.nationalities == ("Palestinian",)
    assert e.linked_to == ("HAMAS",)  # remarks "(Linked To: HAMAS)"
    assert e.listing.remarks == "(Linked To: HAMAS)"
    assert e.identifiers == ()
    assert e.extra == (
        (
            "secondary_sanctions_risk",
            "section 1(b) of Executive Order 13224, as amended by Executive Order 13886",
        ),
    )
    assert set(e.listing.programmes) == {"NS-PLC", "SDGT"}


def test_real_entity_ids(cons_xml: ParsedList) -> None:
    e = _by_ref(cons_xml)["17013"]
    assert e.schema is Schema.ORGANIZATION
    assert (
        Identifier(IdentifierKind.REGISTRATION, "1027739609391", "Russia", "Registration ID") in e.identifiers
    )
    assert Identifier(IdentifierKind.TAX_ID, "7702070139", "Russia", "Tax ID No.") in e.identifiers
    assert Identifier(IdentifierKind.OTHER, "VTBRRUMM", type_text="SWIFT/BIC") in e.identifiers
    assert ("website", "www.vtb.com") in e.extra and (
        "organization_established_date",
        "17 Oct 1990",
    ) in e.extra
    # idNumber "1026303117642 (Russia)" with no idCountry: the country is split off.
    ids = _by_ref(cons_xml)["17064"].identifiers
    assert Identifier(IdentifierKind.REGISTRATION, "1026303117642", "Russia", "Registration ID") in ids


def test_deterministic(lists_dir: Path, cons_xml: ParsedList) -> None:
    again = ofac_xml.parse([lists_dir / CONS / "consolidated.xml"], format="ofac-xml")
    assert [e.content_hash() for e in again.entities] == [e.content_hash() for e in cons_xml.entities]


def test_sniff_real_files(lists_dir: Path) -> None:
    def sniff(rel: str) -> str | None:
        path = lists_dir / rel
        return ofac_xml.sniff(path, path.read_bytes()[:65536])

    assert sniff(f"{CONS}/consolidated.xml") == "ofac-xml"
    assert sniff("un/consolidated.xml") is None
    assert sniff(f"{CONS}/cons_prim.csv") is None


# --- fixtures ------------------------------------------------------------------------------------------------------


def test_fixture_individual(small: ParsedList) -> None:
    e = _by_ref(small)["10"]
    assert e.schema is Schema.PERSON
    assert e.names == (
        Name("TESTMAN, John Quincy", given="John Quincy", family="TESTMAN"),
        Name("TESTMANN, John", NameKind.ALIAS, given="John", family="TESTMANN"),
        Name("ABU TEST, Jack", NameKind.WEAK, given="Jack", family="ABU TEST"),
        Name("OLDNAME, John", NameKind.FORMER, given="John", family="OLDNAME"),
    )
    assert e.titles == ("Leader of EXAMPLE FRONT",)
    assert e.gender == "female"
    assert e.listing.programmes == ("SDGT", "FTO")
    assert e.birth_dates == (PartialDate(DateKind.APPROXIMATE, "1963"), PartialDate(value="1950-06-05"))
    assert e.birth_places == (Place(text="Lahore, Punjab, Pakistan"),)
    assert e.nationalities == ("Pakistan",) and e.citizenships == ("Afghanistan",)
    assert e.identifiers == (
        Identifier(
            IdentifierKind.PASSPORT,
            "AB123456",
            "Pakistan",
            "Passport",
            "issued 01 Jan 2010 expires 31 Dec 2015",
        ),
        Identifier(IdentifierKind.CNIC, "35202-1234567-1", "Pakistan", "National ID No."),
        Identifier(IdentifierKind.TAX_ID, "1026303117642", "Russia", "Tax ID No."),
        Identifier(IdentifierKind.OTHER, "XY-99", type_text="Brand New Document"),
    )
    assert e.extra == (
        (
            "secondary_sanctions_risk",
            "section 1(b) of Executive Order 13224, as amended by Executive Order 13886",
        ),
        ("listing_date", "(EO 14024 Directive 2): 24 Feb 2022"),
    )
    assert e.addresses == (
        Address(
            "1 Main Street, Lahore, Punjab, 54000, Pakistan",
            street="1 Main Street",
            city="Lahore",
            region="Punjab",
            postal_code="54000",
            country="Pakistan",
        ),
    )
    assert e.linked_to == ("EXAMPLE FRONT S.A.",)


def test_fixture_entity_and_vessel(small: ParsedList) -> None:
    by_ref = _by_ref(small)
    org = by_ref["20"]
    assert org.schema is Schema.ORGANIZATION
    assert org.names == (Name("EXAMPLE FRONT S.A."), Name("EFSA", NameKind.WEAK))
    vessel = by_ref["30"]
    assert vessel.schema is Schema.VESSEL
    assert vessel.identifiers == (
        Identifier(IdentifierKind.IMO, "1234567", type_text="Vessel Registration Identification"),
        Identifier(IdentifierKind.OTHER, "123456789", type_text="MMSI"),
    )
    assert vessel.extra == (
        ("call_sign", "ABCD1"),
        ("vessel_type", "Crude Oil Tanker"),
        ("tonnage", "100000"),
        ("gross_registered_tonnage", "50000"),
        ("vessel_flag", "Panama"),
        ("vessel_owner", "Owner Co"),
    )


def test_fixture_header_and_record_count_warning(small: ParsedList, fixtures_dir: Path) -> None:
    assert small.published == "2024-05-03"
    assert small.source == "ofac-sdn"  # no "cons" in the file name
    assert small.warnings == [
        f"{fixtures_dir / 'ofac/xml/sdn_small.xml'}: Record_Count says 4 entries, the file has 3"
    ]


def test_source_override(fixtures_dir: Path) -> None:
    parsed = ofac_xml.parse([fixtures_dir / "ofac/xml/sdn_small.xml"], format="ofac-xml", source="ofac-test")
    assert parsed.source == "ofac-test" and {e.source for e in parsed.entities} == {"ofac-test"}


def test_sniff_any_namespace() -> None:
    path = Path("x.xml")
    assert (
        ofac_xml.sniff(path, b'<?xml version="1.0"?>\n<sdnList xmlns="http://tempuri.org/sdnList.xsd">')
        == "ofac-xml"
    )
    assert ofac_xml.sniff(path, b"\xef\xbb\xbf<sdnList>") == "ofac-xml"
    assert ofac_xml.sniff(path, b"<!-- comment -->\n<o:sdnList xmlns:o='urn:x'>") == "ofac-xml"
    assert ofac_xml.sniff(path, b"<CONSOLIDATED_LIST><sdnList>") is None
    assert ofac_xml.sniff(path, b"<sdnListing>") is None
    assert ofac_xml.sniff(path, b'36,"AEROCARIBBEAN AIRLINES",-0- ') is None


# --- bad input --------------------------------------------------------------------------------------------------------


def _error(path: Path) -> ListFormatError:
    with pytest.raises(ListFormatError) as info:
        ofac_xml.parse([path], format="ofac-xml")
    return info.value


def test_truncated_xml(fixtures_dir: Path) -> None:
    error = _error(fixtures_dir / "ofac/xml/truncated.xml")
    assert "truncated" in error.message and error.line is not None


def test_html_saved_as_xml(fixtures_dir: Path) -> None:
    assert "HTML page" in _error(fixtures_dir / "ofac/html/sdn.xml").message


def test_wrong_root(fixtures_dir: Path) -> None:
    error = _error(fixtures_dir / "ofac/xml/wrong_root.xml")
    assert "CONSOLIDATED_LIST" in error.message and "sdnList" in error.message


def test_entity_bomb_refused(fixtures_dir: Path) -> None:
    path = fixtures_dir / "ofac/xml/entity_bomb.xml"
    assert ofac_xml.sniff(path, path.read_bytes()) == "ofac-xml"
    error = _error(path)
    assert "DTD" in error.message and error.line == 2


def test_unknown_sdn_type(fixtures_dir: Path) -> None:
    error = _error(fixtures_dir / "ofac/xml/bad_type.xml")
    assert error.record == "uid 1" and error.field == "sdnType" and error.line == 3


def test_entry_without_uid(fixtures_dir: Path) -> None:
    error = _error(fixtures_dir / "ofac/xml/no_uid.xml")
    assert error.record == "sdnEntry #1" and error.field == "uid"


def test_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "sdn.xml"
    empty.write_bytes(b"")
    assert _error(empty).message == "file is empty"


def test_utf16_xml_is_read_and_truncated_utf16_refused(fixtures_dir: Path, tmp_path: Path) -> None:
    text = (fixtures_dir / "ofac/xml/sdn_small.xml").read_text(encoding="utf-8")
    text = text.replace('<?xml version="1.0" standalone="yes"?>', '<?xml version="1.0" encoding="UTF-16"?>')
    path = tmp_path / "sdn.xml"
    path.write_bytes(text.encode("utf-16"))  # declared and with a byte-order mark: valid XML
    assert ofac_xml.sniff(path, path.read_bytes()[:65536]) == "ofac-xml"
    assert [e.ref for e in ofac_xml.parse([path], format="ofac-xml").entities] == ["10", "20", "30"]
    path.write_bytes(text[:2000].encode("utf-16"))
    error = _error(path)
    assert error.file == str(path) and "truncated" in error.message


def test_invalid_bytes(fixtures_dir: Path, tmp_path: Path) -> None:
    data = (fixtures_dir / "ofac/xml/sdn_small.xml").read_bytes().replace(b"TESTMANN", b"TEST\xff\xfeMANN")
    path = tmp_path / "sdn.xml"
    path.write_bytes(data)
    error = _error(path)
    assert error.line == 64 and "encoding" in error.message


def test_no_entries(tmp_path: Path) -> None:
    path = tmp_path / "sdn.xml"
    path.write_text(
        "<sdnList><publshInformation><Publish_Date>13/45/2024</Publish_Date></publshInformation></sdnList>"
    )
    assert "no sdnEntry" in _error(path).message


def test_bad_publish_date_is_a_warning(fixtures_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "sdn.xml"
    text = (fixtures_dir / "ofac/xml/sdn_small.xml").read_text(encoding="utf-8")
    path.write_text(text.replace("05/03/2024", "13/45/2024").replace("<Record_Count>4", "<Record_Count>3"))
    parsed = ofac_xml.parse([path], format="ofac-xml")
    assert parsed.published is None
    assert parsed.warnings == [f"{path}: Publish_Date '13/45/2024' is not MM/DD/YYYY; ignored"]
