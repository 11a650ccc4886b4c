"""OFAC Remarks parsing: dates, places, nationality, identifiers, weak a.k.a.s, Linked To, extra facts."""

from __future__ import annotations

import pytest

from ctscreen.model import DateKind, Identifier, IdentifierKind, Name, NameKind, PartialDate, Place
from ctscreen.sources.ofac_remarks import (
    classify_id,
    parse_date,
    parse_remarks,
    split_person_name,
    strip_final_period,
)

# The real remarks of ent_num 10689 (SAEED, Muhammad -- Hafiz Muhammad Saeed) in sdn.csv.
SAEED = (
    "DOB 05 Jun 1950; POB Sargodha, Punjab, Pakistan; nationality Pakistan; Passport BE5978421 (Pakistan) "
    "issued 14 Nov 2007 expires 12 Nov 2012; alt. Passport Booklet A5250088 (Pakistan); National ID No. "
    "3520025509842-7 (Pakistan); alt. National ID No. 23250460642 (Pakistan); a.k.a. 'HAFIZ SAHIB'; "
    "a.k.a. 'TATA JI'."
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05 Jun 1950", PartialDate(value="1950-06-05")),
        ("5 June 1950", PartialDate(value="1950-06-05")),
        ("Jun 1950", PartialDate(value="1950-06")),
        ("1962", PartialDate(value="1962")),
        ("1962.", PartialDate(value="1962")),
        ("circa 1963", PartialDate(kind=DateKind.APPROXIMATE, value="1963")),
        ("circa 01 Jan 1961", PartialDate(kind=DateKind.APPROXIMATE, value="1961-01-01")),
        ("1960 to 1962", PartialDate(kind=DateKind.RANGE, from_year=1960, to_year=1962)),
        (
            "01 Jan 1966 to 31 Dec 1968",
            PartialDate(kind=DateKind.RANGE, from_year=1966, to_year=1968, note="01 Jan 1966 to 31 Dec 1968"),
        ),
        ("circa 1963-1965", PartialDate(kind=DateKind.RANGE, from_year=1963, to_year=1965, note="circa")),
    ],
)
def test_parse_date_forms(text: str, expected: PartialDate) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["", "unknown", "32 Jan 1950", "05 Foo 1950", "05 1950", "1950 to ?"])
def test_parse_date_rejects_what_it_cannot_read(text: str) -> None:
    assert parse_date(text) is None


def test_saeed_remarks_field_by_field() -> None:
    r = parse_remarks(SAEED, individual=True)
    assert r.birth_dates == (PartialDate(value="1950-06-05"),)
    assert r.birth_places == (Place(text="Sargodha, Punjab, Pakistan"),)
    assert r.nationalities == ("Pakistan",)
    assert r.identifiers == (
        Identifier(
            IdentifierKind.PASSPORT,
            "BE5978421",
            country="Pakistan",
            type_text="Passport",
            note="issued 14 Nov 2007 expires 12 Nov 2012",
        ),
        Identifier(IdentifierKind.PASSPORT, "A5250088", country="Pakistan", type_text="Passport Booklet"),
        Identifier(IdentifierKind.CNIC, "3520025509842-7", country="Pakistan", type_text="National ID No."),
        Identifier(IdentifierKind.CNIC, "23250460642", country="Pakistan", type_text="National ID No."),
    )
    assert r.names == (Name("HAFIZ SAHIB", NameKind.WEAK), Name("TATA JI", NameKind.WEAK))
    assert r.unparsed == ()


def test_several_dobs_gender_citizenship_and_linked_to() -> None:
    r = parse_remarks(
        "DOB 1969; alt. DOB 1970; alt. DOB circa 1971; citizen Pakistan; alt. citizen Kenya; Gender Female; "
        "Linked To: LASHKAR E-TAYYIBA; Linked To: GRUPO CINJAB, S.A. DE C.V.",
        individual=True,
    )
    assert [d.value for d in r.birth_dates] == ["1969", "1970", "1971"]
    assert r.birth_dates[2].kind is DateKind.APPROXIMATE
    assert r.citizenships == ("Pakistan", "Kenya")
    assert r.gender == "female"
    # The period of "C.V." is part of the name; only OFAC's own closing period is dropped.
    assert r.linked_to == ("LASHKAR E-TAYYIBA", "GRUPO CINJAB, S.A. DE C.V.")


def test_final_period_is_dropped_only_where_it_ends_the_remarks() -> None:
    assert parse_remarks("Linked To: HAMAS.").linked_to == ("HAMAS",)
    assert parse_remarks("Linked To: KPD S.A.").linked_to == ("KPD S.A.",)
    assert parse_remarks("Linked To: ACME TRADING CO.").linked_to == ("ACME TRADING CO.",)
    assert strip_final_period("a.k.a. 'M.O.G.E.'.") == "a.k.a. 'M.O.G.E.'"
    assert strip_final_period("POB Moscow, Russia.") == "POB Moscow, Russia"


def test_weak_aliases_single_quotes_and_name_parts() -> None:
    r = parse_remarks(
        "a.k.a. 'HQN'; a.k.a. 'AL-FILIPINI, Abu Abdul Rahman'; a.k.a. ''ABD AL-RAHMAN'; a.k.a. ''FOOPIE''; "
        "f.k.a. 'ALPHA'; n.k.a. 'LGOK'",
        individual=True,
    )
    assert r.names == (
        Name("HQN", NameKind.WEAK),
        Name("AL-FILIPINI, Abu Abdul Rahman", NameKind.WEAK, given="Abu Abdul Rahman", family="AL-FILIPINI"),
        Name("'ABD AL-RAHMAN", NameKind.WEAK),  # the leading apostrophe is an ayn, not a quote
        Name("FOOPIE", NameKind.WEAK),
        Name("ALPHA", NameKind.WEAK, note="f.k.a."),
        Name("LGOK", NameKind.WEAK, note="n.k.a."),
    )


def test_organisation_weak_alias_is_not_split() -> None:
    (name,) = parse_remarks("a.k.a. 'ANGLO-CARIBBEAN CO., LTD.'", individual=False).names
    assert name == Name("ANGLO-CARIBBEAN CO., LTD.", NameKind.WEAK)


def test_vessel_imo_and_company_imo() -> None:
    r = parse_remarks(
        "Vessel Registration Identification IMO 9187629; MMSI 572469210; Company Number IMO 5055293.; "
        "Identification Number IMO 6032118; Former Vessel Flag Malta"
    )
    assert r.identifiers == (
        Identifier(IdentifierKind.IMO, "9187629", type_text="Vessel Registration Identification"),
        Identifier(IdentifierKind.OTHER, "572469210", type_text="MMSI"),
        Identifier(IdentifierKind.REGISTRATION, "IMO 5055293", type_text="Company Number"),
        Identifier(IdentifierKind.IMO, "6032118", type_text="Identification Number"),
    )
    assert r.extra == (("former_vessel_flag", "Malta"),)


def test_identifier_shapes() -> None:
    r = parse_remarks(
        "Tax ID No. 32071216470 (Texas) (United States); National ID No. D489833(9) (Hong Kong); "
        "National ID No. CNIC: 35202-5400413-9 (Pakistan); Cedula No. 6068015 (Colombia); NIT # 800018928-0 "
        "(Colombia); Registration Number 1027700070518(Russia); Tax ID No. 2583018-0; SWIFT/BIC VTBRRUMM; "
        "Aircraft Tail Number EP-MMH; Digital Currency Address - XBT 12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h"
    )
    assert r.identifiers == (
        Identifier(
            IdentifierKind.TAX_ID, "32071216470 (Texas)", country="United States", type_text="Tax ID No."
        ),
        Identifier(
            IdentifierKind.NATIONAL_ID, "D489833(9)", country="Hong Kong", type_text="National ID No."
        ),
        Identifier(
            IdentifierKind.CNIC,
            "35202-5400413-9",
            country="Pakistan",
            type_text="National ID No.",
            note="CNIC",
        ),
        Identifier(IdentifierKind.NATIONAL_ID, "6068015", country="Colombia", type_text="Cedula No."),
        Identifier(IdentifierKind.TAX_ID, "800018928-0", country="Colombia", type_text="NIT #"),
        Identifier(
            IdentifierKind.REGISTRATION, "1027700070518", country="Russia", type_text="Registration Number"
        ),
        Identifier(IdentifierKind.TAX_ID, "2583018-0", type_text="Tax ID No."),
        Identifier(IdentifierKind.OTHER, "VTBRRUMM", type_text="SWIFT/BIC"),
        Identifier(IdentifierKind.REGISTRATION, "EP-MMH", type_text="Aircraft Tail Number"),
        Identifier(
            IdentifierKind.OTHER,
            "12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h",
            type_text="Digital Currency Address - XBT",
        ),
    )


def test_contact_and_sanctions_facts_go_to_extra() -> None:
    r = parse_remarks(
        "Website www.vtb.com; alt. Website www.vtb.ru; Email Address info@star.ru; Phone Number 982188526300; "
        "Organization Established Date 17 Oct 1990; Target Type Financial Institution; "
        "Secondary sanctions risk: section 1(b) of Executive Order 13224, as amended by Executive Order 13886; "
        "Listing Date (EO 14024 Directive 2): 24 Feb 2022; "
        "Additional Sanctions Information - Subject to Secondary Sanctions"
    )
    assert r.extra == (
        ("website", "www.vtb.com"),
        ("website", "www.vtb.ru"),
        ("email", "info@star.ru"),
        ("phone", "982188526300"),
        ("organization_established_date", "17 Oct 1990"),
        ("target_type", "Financial Institution"),
        (
            "secondary_sanctions_risk",
            "section 1(b) of Executive Order 13224, as amended by Executive Order 13886",
        ),
        ("listing_date", "(EO 14024 Directive 2): 24 Feb 2022"),
        ("additional_sanctions_information", "Subject to Secondary Sanctions"),
    )
    assert r.identifiers == ()


def test_unknown_and_free_text_clauses_are_left_unparsed() -> None:
    r = parse_remarks(
        "Scientific Studies and Research Center Employee; Passport issued in Sarajevo, Bosnia-Herzegovina; "
        "DOB sometime; Gender Unknown; ; nationality Syria.",
        individual=True,
    )
    assert r.nationalities == ("Syria",)
    assert r.unparsed == (
        "Scientific Studies and Research Center Employee",
        "Passport issued in Sarajevo, Bosnia-Herzegovina",
        "DOB sometime",
        "Gender Unknown",
    )
    assert r.identifiers == () and r.birth_dates == () and r.gender is None


def test_empty_remarks() -> None:
    assert parse_remarks(None) == parse_remarks("  ") == parse_remarks("") == parse_remarks(";;")


def test_parenthesised_xml_clause() -> None:
    r = parse_remarks("For more information on directives, see the link.; (Linked To: HAMAS)")
    assert r.linked_to == ("HAMAS",)
    assert r.unparsed == ("For more information on directives, see the link",)


def test_classify_xml_id_types() -> None:
    assert classify_id("Gender", "Male", None) == ("gender", "male")
    assert classify_id("Website", "www.veb.ru", None) == ("website", "www.veb.ru")
    assert classify_id("Secondary sanctions risk:", "See Section 11 of Executive Order 14024.", None) == (
        "secondary_sanctions_risk",
        "See Section 11 of Executive Order 14024",
    )
    # The XML puts the qualifier in idType; it ends up as in the CSV remarks.
    assert classify_id("Listing Date (EO 14024 Directive 2):", "24 Feb 2022", None) == (
        "listing_date",
        "(EO 14024 Directive 2): 24 Feb 2022",
    )
    assert classify_id("Vessel Registration Identification", "IMO 9187629", None) == Identifier(
        IdentifierKind.IMO, "9187629", type_text="Vessel Registration Identification"
    )
    assert classify_id("Digital Currency Address - ETH", "0x098B716B8Aaf", None) == Identifier(
        IdentifierKind.OTHER, "0x098B716B8Aaf", type_text="Digital Currency Address - ETH"
    )
    assert classify_id("Registration ID", "1026303117642 (Russia)", None) == Identifier(
        IdentifierKind.REGISTRATION, "1026303117642", country="Russia", type_text="Registration ID"
    )
    assert classify_id("National ID No.", "61101-9618232-1", "Pakistan", note="issued 2010") == Identifier(
        IdentifierKind.CNIC,
        "61101-9618232-1",
        country="Pakistan",
        type_text="National ID No.",
        note="issued 2010",
    )
    # idTypes this table does not know: numbers stay identifiers, text goes to extra.
    assert classify_id("Brand New Document", "XY-99", None) == Identifier(
        IdentifierKind.OTHER, "XY-99", type_text="Brand New Document"
    )
    assert classify_id("Some Flag", "Yes", None) == ("some_flag", "Yes")
    assert classify_id("Passport", "  ", "Iran") is None


def test_split_person_name() -> None:
    assert split_person_name("BIN LADIN, Usama bin Muhammad bin Awad") == (
        "BIN LADIN",
        "Usama bin Muhammad bin Awad",
    )
    assert split_person_name("DELOS REYES, Feliciano Semborio, Jr.") == (
        "DELOS REYES",
        "Feliciano Semborio, Jr.",
    )
    assert split_person_name("ABU ZUBAYDAH") == (None, None)
