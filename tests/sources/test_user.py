"""User-list CSV and JSON (docs/user-lists.md): the NACTA-style samples field by field, every value syntax,
the source-name rules and the validation errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ctscreen.errors import ListFormatError
from ctscreen.model import DateKind, Entity, IdentifierKind, NameKind, PartialDate, Schema
from ctscreen.sources import user
from ctscreen.sources.base import ParsedList

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "user"
CSV_SAMPLE = FIXTURES / "pk_proscribed_sample.csv"
JSON_SAMPLE = FIXTURES / "pk_proscribed_sample.json"


@pytest.fixture(scope="module")
def csv_list() -> ParsedList:
    return user.parse([CSV_SAMPLE], format="user-csv")


@pytest.fixture(scope="module")
def csv_by_ref(csv_list: ParsedList) -> dict[str, Entity]:
    return {e.ref: e for e in csv_list.entities}


def write(tmp_path: Path, text: str | bytes, name: str = "list.csv") -> Path:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


def parse_csv(
    tmp_path: Path, text: str, name: str = "list.csv", source: str | None = "test-list"
) -> ParsedList:
    return user.parse([write(tmp_path, text, name)], format="user-csv", source=source)


def parse_json(
    tmp_path: Path, data: object, name: str = "list.json", source: str | None = "test-list"
) -> ParsedList:
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    return user.parse([write(tmp_path, text, name)], format="user-json", source=source)


# --- the samples --------------------------------------------------------------------------------------------


def test_csv_sample_list_level(csv_list: ParsedList) -> None:
    assert csv_list.format == "user-csv"
    assert csv_list.source == "pk_proscribed_sample"  # from the file name: no --source, no "# name:"
    assert csv_list.published is None
    assert len(csv_list.entities) == 10  # 11 data rows, PK-ATA-009 on two rows
    assert {e.schema for e in csv_list.entities} == {Schema.ORGANIZATION}
    assert csv_list.warnings == []


def test_csv_sample_entity(csv_by_ref: dict[str, Entity]) -> None:
    ttp = csv_by_ref["PK-ATA-007"]
    assert [(n.full, n.kind) for n in ttp.names] == [
        ("Tehrik-e-Taliban Pakistan", NameKind.PRIMARY),
        ("Tehrik-I-Taliban Pakistan", NameKind.ALIAS),
        ("Tehreek-e-Taliban", NameKind.ALIAS),
        ("Pakistani Taliban", NameKind.ALIAS),
        ("TTP", NameKind.WEAK),
        ("تحریک طالبان پاکستان", NameKind.ORIGINAL_SCRIPT),
    ]
    urdu = ttp.names[-1]
    assert (urdu.script, urdu.language) == ("Arab", "ur")
    assert ttp.listing.source == "pk_proscribed_sample"
    assert ttp.listing.programmes == ("ATA 1997 First Schedule",)
    assert ttp.listing.listed_on == "2008-08-25"
    assert ttp.listing.un_reference == "QDe.132"
    assert ttp.listing.remarks == "Formed in 2007 in the tribal areas along the Afghanistan/Pakistan border"
    assert [(a.text, a.country) for a in ttp.addresses] == [("Pakistan", "Pakistan")]
    assert ttp.extra == (("nacta_serial", "7"),)


def test_csv_rows_with_the_same_ref_merge(csv_by_ref: dict[str, Entity]) -> None:
    jud = csv_by_ref["PK-ATA-009"]
    assert [(n.full, n.kind) for n in jud.names] == [
        ("Jamaat-ud-Dawa", NameKind.PRIMARY),
        ("Jamaat ud Dawah", NameKind.ALIAS),
        ("JuD", NameKind.WEAK),
        ("جماعت الدعوۃ", NameKind.ORIGINAL_SCRIPT),
        ("Jama'at al-Dawa", NameKind.ALIAS),
        ("Jamaat-ud-Daawa", NameKind.ALIAS),
    ]
    assert jud.listing.remarks == "Second row of the same ref: its aliases are added to the first row"
    assert jud.listing.listed_on is None
    assert jud.extra == (("nacta_serial", "9"),)


def test_json_sample() -> None:
    parsed = user.parse([JSON_SAMPLE], format="user-json")
    assert (parsed.source, parsed.published, parsed.format) == ("pk-nacta-sample", "2025-01-15", "user-json")
    jem, ttp, bla = parsed.entities
    assert [n.full for n in jem.names] == [
        "Jaish-e-Mohammad",
        "Jaish-i-Mohammed",
        "Army of Mohammed",
        "JeM",
        "جیش محمد",
    ]
    assert jem.listing.un_reference == "QDe.019"
    # a `;`-packed string and a JSON array give the same names
    assert [n.full for n in ttp.names if n.kind is NameKind.ALIAS] == [
        "Tehrik-I-Taliban Pakistan",
        "Tehreek-e-Taliban",
        "Pakistani Taliban",
    ]
    assert [(a.text, a.country) for a in ttp.addresses] == [
        ("Pakistan", "Pakistan"),
        ("Afghanistan", "Afghanistan"),
    ]
    assert bla.names[-1].language is None  # no original_script_language given
    assert [n.full for n in bla.names if n.kind is NameKind.ALIAS] == []  # "aliases": null


def test_csv_and_json_samples_agree(csv_by_ref: dict[str, Entity]) -> None:
    parsed = user.parse([JSON_SAMPLE], format="user-json", source="pk_proscribed_sample")
    for entity in parsed.entities:
        csv_names = csv_by_ref[entity.ref].names
        assert [(n.full, n.kind, n.script) for n in entity.names] == [
            (n.full, n.kind, n.script) for n in csv_names
        ]
        assert entity.listing.listed_on == csv_by_ref[entity.ref].listing.listed_on


def test_sniff() -> None:
    assert user.sniff(CSV_SAMPLE, CSV_SAMPLE.read_bytes()) == "user-csv"
    assert user.sniff(JSON_SAMPLE, JSON_SAMPLE.read_bytes()) == "user-json"
    assert (
        user.sniff(JSON_SAMPLE, b'{"ref": "1", "name": "A", "type": "person"}\n{"ref": "2"}') == "user-json"
    )
    assert user.sniff(JSON_SAMPLE, b'[\n  {"ref": "1", "name": "A", "type": "person"}\n]') == "user-json"
    assert user.sniff(CSV_SAMPLE, b"Ref, Name , TYPE\n1,A,person\n") == "user-csv"
    ftm_line = b'{"id": "x", "schema": "Person", "properties": {"name": ["A"]}, "ref": "1"}\n'
    assert user.sniff(JSON_SAMPLE, ftm_line) is None
    csl = b"_id,source,entity_number,type,programs,name,title\n"
    assert user.sniff(CSV_SAMPLE, csl) is None
    assert user.sniff(CSV_SAMPLE, b'36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA"\n') is None
    assert user.sniff(CSV_SAMPLE, b"<html><body>ref,name,type</body></html>") is None


# --- value syntax ---------------------------------------------------------------------------------------------


def test_person_row_all_columns(tmp_path: Path) -> None:
    text = (
        "ref,name,type,aliases,weak_aliases,former_names,original_script_names,dob,birth_place,nationality,"
        "citizenship,gender,passport,national_id,id_country,address,country,title,position,programmes,"
        "listed_on,remarks,un_reference,X-Case File\n"
        "BL-1,Abdul Rauf Example,individual,A. R. Example,Rauf,Abdul Raouf Sample,عبد الرؤف,"
        '"1966-03-03; ~1965; 1960..1962; 1959-07",Lahore,Pakistan,Pakistan; United Kingdom,M,'
        'AB1234567,35202-1234567-1,PK,"House 1, Street 2, Lahore",Pakistan,Maulana,Treasurer,'
        "Internal blocklist,2024-02,Test row,,CF-9\n"
    )
    (entity,) = parse_csv(tmp_path, text).entities
    assert entity.schema is Schema.PERSON
    assert [(n.full, n.kind) for n in entity.names] == [
        ("Abdul Rauf Example", NameKind.PRIMARY),
        ("A. R. Example", NameKind.ALIAS),
        ("Rauf", NameKind.WEAK),
        ("Abdul Raouf Sample", NameKind.FORMER),
        ("عبد الرؤف", NameKind.ORIGINAL_SCRIPT),
    ]
    assert entity.birth_dates == (
        PartialDate(DateKind.EXACT, "1966-03-03"),
        PartialDate(DateKind.APPROXIMATE, "1965"),
        PartialDate(DateKind.RANGE, from_year=1960, to_year=1962),
        PartialDate(DateKind.EXACT, "1959-07"),
    )
    assert [p.text for p in entity.birth_places] == ["Lahore"]
    assert entity.nationalities == ("Pakistan",)
    assert entity.citizenships == ("Pakistan", "United Kingdom")
    assert entity.gender == "male"
    assert [(i.kind, i.number, i.country) for i in entity.identifiers] == [
        (IdentifierKind.PASSPORT, "AB1234567", "PK"),
        (IdentifierKind.CNIC, "35202-1234567-1", "PK"),
    ]
    assert [(a.text, a.country) for a in entity.addresses] == [("House 1, Street 2, Lahore", "Pakistan")]
    assert (entity.titles, entity.positions) == (("Maulana",), ("Treasurer",))
    assert entity.listing.listed_on == "2024-02"
    assert entity.listing.un_reference is None
    assert entity.extra == (("case_file", "CF-9"),)


def test_vessel_with_imo_and_non_pakistani_national_id(tmp_path: Path) -> None:
    text = "ref,name,type,imo,national_id,id_country\nV1,OCEAN STAR,ship,IMO 9116412,X-1,AF\n"
    (entity,) = parse_csv(tmp_path, text).entities
    assert entity.schema is Schema.VESSEL
    assert [(i.kind, i.number) for i in entity.identifiers] == [
        (IdentifierKind.NATIONAL_ID, "X-1"),
        (IdentifierKind.IMO, "IMO 9116412"),
    ]


def test_comments_and_csv_list_metadata(tmp_path: Path) -> None:
    text = (
        "\ufeff# name: my-blocklist\n# published: 2025-03-01\n\nref,name,type\n# a comment row\n1,A,person\n"
    )
    parsed = parse_csv(tmp_path, text, source=None)
    assert (parsed.source, parsed.published, len(parsed.entities)) == ("my-blocklist", "2025-03-01", 1)


def test_json_lines_and_array(tmp_path: Path) -> None:
    lines = '{"ref": 1, "name": "A", "type": "person", "aliases": ["B; C"]}\n\n{"ref": "2", "name": "D", "type": "aircraft"}\n'
    parsed = parse_json(tmp_path, lines)
    assert [e.ref for e in parsed.entities] == ["1", "2"]
    assert [n.full for n in parsed.entities[0].names] == ["A", "B; C"]  # array items are not split
    array = [{"ref": "1", "name": "A", "type": "person", "dob": "~1970-05"}]
    (entity,) = parse_json(tmp_path, array).entities
    assert entity.birth_dates == (PartialDate(DateKind.APPROXIMATE, "1970-05"),)


def test_source_name_rules(tmp_path: Path) -> None:
    text = "ref,name,type\n1,A,organization\n"
    assert parse_csv(tmp_path, text, name="PK Proscribed Orgs (2025).csv", source=None).source == (
        "pk-proscribed-orgs-2025"
    )
    assert parse_csv(tmp_path, text, source="nacta").source == "nacta"
    doc = {"list": {"name": "from-json"}, "entities": [{"ref": "1", "name": "A", "type": "person"}]}
    assert parse_json(tmp_path, doc, source=None).source == "from-json"
    assert parse_json(tmp_path, doc, source="given").source == "given"  # the argument wins


@pytest.mark.parametrize("name", ["un", "ofac-sdn", "ofac-cons", "uk-ofsi", "uk-fcdo", "eu", "us-csl", "ftm"])
def test_official_source_names_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(ListFormatError, match="reserved for the official list"):
        parse_csv(tmp_path, "ref,name,type\n1,A,person\n", source=name)


def test_official_name_from_file_name_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ListFormatError, match="name derived from the file name 'eu' is reserved"):
        parse_csv(tmp_path, "ref,name,type\n1,A,person\n", name="EU.csv", source=None)


@pytest.mark.parametrize("name", ["My List", "-x", "x" * 41, "Ünicode", ""])
def test_invalid_source_names(tmp_path: Path, name: str) -> None:
    doc = {"list": {"name": name}, "entities": [{"ref": "1", "name": "A", "type": "person"}]}
    with pytest.raises(ListFormatError, match="not a valid list name"):
        parse_json(tmp_path, doc, name="_.json", source=None)


# --- validation errors --------------------------------------------------------------------------------------


def error_of(call) -> ListFormatError:  # type: ignore[no-untyped-def]
    with pytest.raises(ListFormatError) as info:
        call()
    return info.value


def test_unknown_type_names_line_and_field(tmp_path: Path) -> None:
    err = error_of(lambda: parse_csv(tmp_path, "ref,name,type\n1,A,person\n2,B,group\n"))
    assert "type 'group' is not one of person, organization, vessel, aircraft" in err.message
    assert (err.line, err.record, err.field) == (3, "ref 2", "type")
    assert str(err).startswith(f"{tmp_path / 'list.csv'}:3: record ref 2: field type:")


@pytest.mark.parametrize(
    ("dob", "message"),
    [
        ("1950-13", "not a real date"),
        ("1950-02-30", "not a real date"),
        ("05/06/1950", "is not a date"),
        ("1960..1955", "ends before it starts"),
        ("circa 1960", "is not a date"),
    ],
)
def test_bad_dates(tmp_path: Path, dob: str, message: str) -> None:
    err = error_of(lambda: parse_csv(tmp_path, f"ref,name,type,dob\nP1,A,person,{dob}\n"))
    assert message in err.message
    assert (err.line, err.field) == (2, "dob")


def test_listed_on_takes_no_approximation(tmp_path: Path) -> None:
    err = error_of(lambda: parse_csv(tmp_path, "ref,name,type,listed_on\nP1,A,person,~2001\n"))
    assert err.field == "listed_on"


def test_missing_name(tmp_path: Path) -> None:
    err = error_of(lambda: parse_csv(tmp_path, "ref,name,type\n1,A,person\n2,  ,person\n"))
    assert ("missing name", err.line, err.field, err.record) == (err.message, 3, "name", "ref 2")


def test_missing_name_in_json_array(tmp_path: Path) -> None:
    data = [{"ref": "1", "name": "A", "type": "person"}, {"ref": "2", "type": "person"}]
    err = error_of(lambda: parse_json(tmp_path, data))
    assert (err.message, err.record, err.field, err.line) == (
        "missing name",
        "entity 2 (ref 2)",
        "name",
        None,
    )


def test_wrong_column_count(tmp_path: Path) -> None:
    err = error_of(lambda: parse_csv(tmp_path, "ref,name,type,aliases\n1,A,person,B\n2,C,person\n"))
    assert (err.message, err.line, err.record) == ("expected 4 columns, found 3", 3, "ref 2")


def test_bad_encoding(tmp_path: Path) -> None:
    data = "ref,name,type\n1,Café Example,organization\n".encode("cp1252")
    err = error_of(lambda: user.parse([write(tmp_path, data)], format="user-csv", source="x"))
    assert "not valid utf-8" in err.message and "save the list as UTF-8" in err.message
    assert err.line == 2


def test_empty_files(tmp_path: Path) -> None:
    assert "empty" in error_of(lambda: parse_csv(tmp_path, "")).message
    assert "no header" in error_of(lambda: parse_csv(tmp_path, "# only a comment\n")).message
    assert "no entries" in error_of(lambda: parse_csv(tmp_path, "ref,name,type\n")).message
    assert "no entries" in error_of(lambda: parse_json(tmp_path, [])).message


def test_unknown_and_duplicate_columns(tmp_path: Path) -> None:
    err = error_of(lambda: parse_csv(tmp_path, "ref,name,type,alias\n1,A,person,B\n"))
    assert "unknown column 'alias'" in err.message and "'x_'" in err.message
    assert (err.line, err.field) == (1, "alias")
    err = error_of(lambda: parse_csv(tmp_path, "ref,name,type,Name\n1,A,person,B\n"))
    assert "appears twice" in err.message
    err = error_of(lambda: parse_csv(tmp_path, "ref,name\n1,A\n"))
    assert "lacks the required column(s) type" in err.message


def test_json_errors(tmp_path: Path) -> None:
    lines = '{"ref": "1", "name": "A", "type": "person"}\n{"ref": "2", "name": "B" "type": "person"}\n'
    err = error_of(lambda: parse_json(tmp_path, lines))
    assert "malformed JSON" in err.message and err.line == 2
    err = error_of(lambda: parse_json(tmp_path, '[{"ref": "1", "name": "A", "type": "person"},'))
    assert "malformed JSON" in err.message and err.line == 1
    err = error_of(lambda: parse_json(tmp_path, [{"ref": "1", "name": ["A", "B"], "type": "person"}]))
    assert (err.message, err.field) == ("name takes one value, not a list", "name")
    err = error_of(
        lambda: parse_json(tmp_path, [{"ref": "1", "name": "A", "type": "person", "aliases": [1]}])
    )
    assert "list of strings" in err.message
    err = error_of(lambda: parse_json(tmp_path, [{"ref": "1", "name": "A", "type": "person", "schema": "x"}]))
    assert "unknown column 'schema'" in err.message
    err = error_of(lambda: parse_json(tmp_path, {"entities": [], "extra": 1}))
    assert "unknown top-level key(s) extra" in err.message
    err = error_of(lambda: parse_json(tmp_path, ["not an object"]))
    assert "must be a JSON object" in err.message and err.record == "entity 1"
    doc = {"list": {"published": "last week"}, "entities": [{"ref": "1", "name": "A", "type": "person"}]}
    assert "is not an ISO date" in error_of(lambda: parse_json(tmp_path, doc)).message


def test_format_mix_ups(tmp_path: Path) -> None:
    err = error_of(lambda: user.parse([write(tmp_path, '[{"ref": "1"}]')], format="user-csv", source="x"))
    assert "use the user-json format" in err.message
    err = error_of(lambda: user.parse([write(tmp_path, "ref,name,type\n")], format="user-json", source="x"))
    assert "use the user-csv format" in err.message
    err = error_of(
        lambda: user.parse([write(tmp_path, "<html><body>x</body></html>")], format="user-csv", source="x")
    )
    assert "HTML page" in err.message


def test_gender_and_un_reference_checks(tmp_path: Path) -> None:
    err = error_of(lambda: parse_csv(tmp_path, "ref,name,type,gender\n1,A,person,unknown\n"))
    assert err.field == "gender"
    err = error_of(lambda: parse_csv(tmp_path, "ref,name,type,gender\n1,A,organization,male\n"))
    assert "only for persons" in err.message
    err = error_of(lambda: parse_csv(tmp_path, "ref,name,type,un_reference\n1,A,organization,QDE 132\n"))
    assert err.field == "un_reference"


def test_merge_conflicts(tmp_path: Path) -> None:
    err = error_of(lambda: parse_csv(tmp_path, "ref,name,type\n1,A,person\n1,A,organization\n"))
    assert "contradicts" in err.message and (err.line, err.field) == (3, "type")
    err = error_of(lambda: parse_csv(tmp_path, "ref,name,type,listed_on\n1,A,person,2001\n1,B,person,2002\n"))
    assert err.field == "listed_on"
    merged = parse_csv(tmp_path, "ref,name,type,passport,id_country\n1,A,person,P1,PK\n1,A B,person,P2,AF\n")
    (entity,) = merged.entities
    assert [(n.full, n.kind) for n in entity.names] == [("A", NameKind.PRIMARY), ("A B", NameKind.ALIAS)]
    assert [(i.number, i.country) for i in entity.identifiers] == [("P1", "PK"), ("P2", "AF")]
