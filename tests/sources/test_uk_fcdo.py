"""FCDO UK Sanctions List parser: the real summary ODS (August 2025), CSV and XML fixtures, bad input."""

from __future__ import annotations

import io
import json
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from ctscreen.errors import ListFormatError
from ctscreen.model import (
    Address,
    DateKind,
    Identifier,
    IdentifierKind,
    Name,
    NameKind,
    PartialDate,
    Place,
    Schema,
    count_by_schema,
)
from ctscreen.sources import detect_format, parse_file, uk_fcdo, uk_ofsi
from ctscreen.sources.base import ParsedList

ISIL = "The ISIL (Da'esh) and Al-Qaida (United Nations Sanctions) (EU Exit) Regulations 2019"
SUMMARY_HEADER = [
    "Unique ID",
    "OFSI Group ID",
    "Name",
    "Regime Name",
    "Type",
    "Designation source",
    "Date Designated",
    "Sanctions Imposed",
]


@pytest.fixture(scope="module")
def ods_path(lists_dir: Path) -> Path:
    return lists_dir / "uk" / "FCDO_SL_2025-08-11_summary.ods"


@pytest.fixture(scope="module")
def summary(ods_path: Path) -> ParsedList:
    started = time.perf_counter()
    parsed = uk_fcdo.parse([ods_path], format="uk-fcdo-ods")
    assert time.perf_counter() - started < 10  # about 0.4 s: the million padding rows are not expanded
    return parsed


@pytest.fixture
def uk_dir(fixtures_dir: Path) -> Path:
    return fixtures_dir / "uk"


@pytest.fixture
def from_csv(uk_dir: Path) -> ParsedList:
    return uk_fcdo.parse([uk_dir / "UK-Sanctions-List_sample.csv"], format="uk-fcdo-csv")


@pytest.fixture
def from_xml(uk_dir: Path) -> ParsedList:
    return uk_fcdo.parse([uk_dir / "UK-Sanctions-List_sample.xml"], format="uk-fcdo-xml")


def by_ref(parsed: ParsedList) -> dict:
    return {e.ref: e for e in parsed.entities}


def names_of(entity, kind: NameKind) -> list[str]:
    return [n.full for n in entity.names if n.kind is kind]


def ods_cell(text: str, repeat: int = 1) -> str:
    attribute = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    if not text:
        return f"<table:table-cell{attribute}/>"
    return f'<table:table-cell office:value-type="string"{attribute}><text:p>{escape(text)}</text:p></table:table-cell>'


def write_ods(
    path: Path, rows: list[list[str]], sheet: str = "UK_Sanction_List", padding: bool = True
) -> Path:
    """A minimal ODS like the FCDO export: rows padded to 16,384 columns and a million empty rows after."""
    body = []
    for row in rows:
        cells = "".join(ods_cell(v) for v in row)
        if padding:
            cells += ods_cell("", 16384 - len(row))
        body.append(f"<table:table-row>{cells}</table:table-row>")
    if padding:
        body.append(
            '<table:table-row table:number-rows-repeated="1048000">'
            '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
        )
    content = (
        '\ufeff<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
        f'<office:body><office:spreadsheet><table:table table:name="{sheet}">'
        '<table:table-column table:number-columns-repeated="16384"/>'
        f"{''.join(body)}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content.encode("utf-8"))
    return path


# ------------------------------------------------------------------------------------------- real ODS


def test_real_ods_counts(summary: ParsedList) -> None:
    assert summary.source == "uk-fcdo"
    assert summary.format == "uk-fcdo-ods"
    assert len(summary.entities) == 5302
    assert count_by_schema(summary.entities) == {
        "person": 3754,
        "organization": 1087,
        "vessel": 461,
        "aircraft": 0,
    }
    assert len({e.ref for e in summary.entities}) == 5302
    sources: dict[str, int] = {}
    for entity in summary.entities:
        for key, value in entity.extra:
            if key == "designation_source":
                sources[value] = sources.get(value, 0) + 1
    assert sources == {"UK": 4386, "UN": 908, "UK|UN": 8}


def test_real_ods_has_no_publication_date(summary: ParsedList) -> None:
    # No date in the cells; the file name is not trusted; the latest designation date is reported instead.
    assert summary.published is None
    assert any("no publication date" in w and "2025-07-23" in w for w in summary.warnings)


def test_real_ods_ttp_field_by_field(summary: ParsedList) -> None:
    ttp = by_ref(summary)["AQD0079"]
    assert ttp.schema is Schema.ORGANIZATION
    assert ttp.names == (Name("TEHRIK-E TALIBAN PAKISTAN", NameKind.PRIMARY),)
    assert ttp.listing.source == "uk-fcdo"
    assert ttp.listing.reference == "AQD0079"
    assert ttp.listing.other_references == ("12032",)
    assert ttp.listing.programmes == ("ISIL (Da'esh) and Al-Qaida",)
    assert ttp.listing.listed_on == "2011-07-29"
    assert ttp.listing.amended_on == ()
    assert ttp.listing.un_reference is None  # the summary has no UN reference column
    assert ttp.extra == (("designation_source", "UN"), ("sanctions_imposed", "Arms embargo, Asset freeze"))


def test_real_ods_first_and_last_rows(summary: ParsedList) -> None:
    first, last = summary.entities[0], summary.entities[-1]
    assert (first.ref, first.primary_name, first.schema) == (
        "AFG0001",
        "HAJI KHAIRULLAH HAJI SATTAR MONEY EXCHANGE",
        Schema.ORGANIZATION,
    )
    assert last.ref == "YEM0018"
    assert last.names == (Name("Al-HOUTHI Ali Hussein Badr Al Din", NameKind.PRIMARY),)
    assert last.schema is Schema.PERSON
    assert last.listing.other_references == ("16362",)
    assert last.listing.listed_on == "2024-02-27"
    assert ("designation_source", "UK") in last.extra


def test_real_ods_nameless_rows_are_kept_and_reported(summary: ParsedList) -> None:
    refs = by_ref(summary)
    for ref in ("BEL0174", "RUS1467"):
        assert refs[ref].names == ()
        assert any(ref in w and "no name" in w for w in summary.warnings)


def test_real_ods_joins_the_ofsi_list(summary: ParsedList, lists_dir: Path) -> None:
    """The OFSI Group ID in the FCDO list and the UK reference in OFSI's Other Information agree for TTP."""
    ofsi = uk_ofsi.parse([lists_dir / "uk" / "ConList.xlsx"], format="uk-ofsi-xlsx")
    ttp = {e.ref: e for e in ofsi.entities}["12032"]
    assert ttp.listing.other_references == ("AQD0079",)
    assert by_ref(summary)["AQD0079"].listing.other_references == (ttp.ref,)


def test_real_ods_sniff_and_determinism(ods_path: Path, summary: ParsedList) -> None:
    assert uk_fcdo.sniff(ods_path, ods_path.read_bytes()[:65536]) == "uk-fcdo-ods"
    assert detect_format(ods_path).name == "uk-fcdo-ods"
    again = uk_fcdo.parse([ods_path], format="uk-fcdo-ods")
    assert [e.content_hash() for e in again.entities] == [e.content_hash() for e in summary.entities]


# ------------------------------------------------------------------------------------------- CSV / XML fixtures


def test_csv_fixture_designations(from_csv: ParsedList) -> None:
    assert from_csv.format == "uk-fcdo-csv"
    assert from_csv.published == "2025-08-11"  # "Report Date: 11-Aug-2025"
    assert from_csv.warnings == []
    assert [e.ref for e in from_csv.entities] == ["AQD0079", "AQD0208", "AQD0112", "RUS2176", "GHR0086"]
    assert [e.schema for e in from_csv.entities] == [
        Schema.ORGANIZATION,
        Schema.PERSON,
        Schema.PERSON,
        Schema.VESSEL,
        Schema.PERSON,
    ]


def test_csv_ttp(from_csv: ParsedList) -> None:
    ttp = by_ref(from_csv)["AQD0079"]
    assert ttp.names[0] == Name("TEHRIK-E TALIBAN PAKISTAN", NameKind.PRIMARY)
    assert sorted(names_of(ttp, NameKind.ALIAS)) == [
        "PAKISTANI TALIBAN",
        "TEHREEK-E-TALIBAN",
        "TEHRIK-E-TALIBAN",
        "TEHRIK-I-TALIBAN PAKISTAN",
        "TTP",  # blank alias strength: an alias, not weak
    ]
    assert names_of(ttp, NameKind.ORIGINAL_SCRIPT) == ["تحریک طالبان پاکستان"]
    listing = ttp.listing
    assert listing.un_reference == "QDe.132"
    assert listing.other_references == ("12032",)
    assert listing.programmes == (ISIL,)
    assert listing.listed_on == "2011-07-29"
    assert listing.amended_on == ("2020-12-31",)
    assert listing.remarks.startswith("Tehrik-e Taliban is based in the tribal areas")
    assert ttp.addresses == (
        Address("Afghanistan", country="Afghanistan"),
        Address("Pakistan", country="Pakistan"),
    )
    assert ttp.extra == (
        ("designation_source", "UN"),
        ("sanctions_imposed", "Arms embargo"),
        ("sanctions_imposed", "Asset freeze"),
    )


def test_csv_individual_with_aliases_non_latin_name_and_partial_dob(from_csv: ParsedList) -> None:
    ghali = by_ref(from_csv)["AQD0208"]
    assert ghali.names == (
        Name("Iyad AG GHALI", NameKind.PRIMARY, given="Iyad", family="AG GHALI"),
        Name("اياد اغ غالي", NameKind.ORIGINAL_SCRIPT, script="Arab", language="Arabic"),
        Name("Sidi Mohamed ARHALI", NameKind.ALIAS, given="Sidi Mohamed", family="ARHALI"),
    )
    assert ghali.birth_dates == (PartialDate(DateKind.EXACT, "1958"),)  # dd/mm/1958
    assert ghali.birth_places == (
        Place("Abeibara, Kidal Region, Mali", city="Abeibara, Kidal Region", country="Mali"),
        Place("Bourem Region, Mali", city="Bourem Region", country="Mali"),
    )
    assert ghali.nationalities == ("Mali",)
    assert ghali.gender == "male"
    assert ghali.identifiers == (
        Identifier(
            IdentifierKind.PASSPORT,
            "A1037434",
            None,
            "Passport",
            "Mali number, issued on 10 Aug. 2001. Expired on 31 Dec. 2014.",
        ),
        Identifier(
            IdentifierKind.NATIONAL_ID, "012546", None, "National Identifier", "Malian birth certificate"
        ),
    )
    assert ghali.listing.un_reference == "QDi.316"
    assert ghali.listing.other_references == ("12862",)


def test_csv_cnic_and_weak_alias(from_csv: ParsedList) -> None:
    rehman = by_ref(from_csv)["AQD0112"]
    assert names_of(rehman, NameKind.WEAK) == ["Abdur Rehman Muhammad YAMIN"]  # Low quality a.k.a
    assert names_of(rehman, NameKind.ORIGINAL_SCRIPT) == [
        "عبد الرحمن",
        "عبد الرحمن السيندي",
        "عبدالله السندي",
    ]
    assert (
        Identifier(
            IdentifierKind.CNIC,
            "44103-5251752-5",
            "Pakistan",
            "National Identifier",
            "Pakistan national identity card number",
        )
        in rehman.identifiers
    )
    assert rehman.birth_dates == (PartialDate(DateKind.EXACT, "1965-10-03"),)
    assert rehman.addresses == (Address("Karachi, Pakistan", country="Pakistan"),)


def test_csv_ship(from_csv: ParsedList) -> None:
    ship = by_ref(from_csv)["RUS2176"]
    assert ship.names == (Name("KOROLEV PROSPECT", NameKind.PRIMARY),)
    assert ship.identifiers == (Identifier(IdentifierKind.IMO, "IMO9826902", None, "IMO number"),)
    assert ship.listing.other_references == ()
    assert ship.listing.un_reference is None
    extra = dict(ship.extra)
    assert extra["vessel_flag"] == "Gabon"
    assert extra["vessel_owner"] == "Stream Ship Management FZCO"
    assert extra["vessel_type"] == "Oil Tanker"
    assert extra["vessel_year_built"] == "2019"
    assert extra["statement_of_reasons"].startswith("KOROLEV PROSPECT (IMO 9826902) is involved")
    # "A|A": the repeated sanction is kept once
    assert [v for k, v in ship.extra if k == "sanctions_imposed"] == [
        "Shipping sanctions: (see 'Other information')"
    ]


def test_csv_uk_designation_with_name_variations(from_csv: ParsedList) -> None:
    haq = by_ref(from_csv)["GHR0086"]
    assert haq.names[0] == Name("Mian Abdul HAQ", NameKind.PRIMARY, given="Mian Abdul", family="HAQ")
    assert names_of(haq, NameKind.ALIAS) == ["Mian MITHOO", "Mian MITHU", "Mian MITTO", "Mian MITTU"]
    assert haq.titles == ("Mr",)
    assert haq.positions == ("Cleric (“Pir”) of Bharchundi Sharif Shrine",)
    assert haq.birth_places == (Place("Pakistan", country="Pakistan"),)
    assert haq.addresses == (
        Address("Hafizabad Taluka Daharki, District Ghotki, Pakistan", country="Pakistan"),
    )
    reasons = dict(haq.extra)["statement_of_reasons"]
    assert "HAQ's role" in reasons and "&#39;" not in reasons  # HTML character reference decoded


def test_xml_equals_csv(from_csv: ParsedList, from_xml: ParsedList) -> None:
    assert from_xml.format == "uk-fcdo-xml"
    assert from_xml.published == "2025-08-11"  # <DateGenerated>
    assert from_xml.warnings == []

    def canonical(entity) -> str:
        data = entity.to_dict()
        data["names"].sort(key=lambda n: json.dumps(n, ensure_ascii=False))  # CSV interleaves script names
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    assert [canonical(e) for e in from_xml.entities] == [canonical(e) for e in from_csv.entities]
    # and the field that differs only in form: the XML's primary comes first too
    assert [e.names[0].kind for e in from_xml.entities] == [NameKind.PRIMARY] * 5


def test_sniff_and_detect(uk_dir: Path) -> None:
    csv_path = uk_dir / "UK-Sanctions-List_sample.csv"
    xml_path = uk_dir / "UK-Sanctions-List_sample.xml"
    ofsi_csv = uk_dir / "ConList_sample.csv"
    assert uk_fcdo.sniff(csv_path, csv_path.read_bytes()[:65536]) == "uk-fcdo-csv"
    assert uk_fcdo.sniff(xml_path, xml_path.read_bytes()[:65536]) == "uk-fcdo-xml"
    assert uk_fcdo.sniff(ofsi_csv, ofsi_csv.read_bytes()[:65536]) is None
    assert uk_ofsi.sniff(csv_path, csv_path.read_bytes()[:65536]) is None
    assert parse_file(csv_path).format == "uk-fcdo-csv"
    assert parse_file(xml_path, source="gb-fcdo").entities[0].source == "gb-fcdo"
    un_like = b'<?xml version="1.0"?><CONSOLIDATED_LIST><INDIVIDUALS/></CONSOLIDATED_LIST>'
    assert uk_fcdo.sniff(Path("x.xml"), un_like) is None


def test_summary_layout_as_csv_and_small_ods(tmp_path: Path) -> None:
    row = [
        "AQD0079",
        "12032",
        "TEHRIK-E TALIBAN PAKISTAN",
        "ISIL (Da'esh) and Al-Qaida",
        "Entity",
        "UN",
        "29-07-2011",
    ]
    row.append("Arms embargo, Asset freeze")
    csv_path = tmp_path / "summary.csv"
    csv_path.write_text(",".join(SUMMARY_HEADER) + "\n" + ",".join(f'"{v}"' for v in row) + "\n")
    ods = write_ods(tmp_path / "summary.ods", [SUMMARY_HEADER, row])
    assert detect_format(ods).name == "uk-fcdo-ods"
    from_ods = uk_fcdo.parse([ods], format="uk-fcdo-ods")
    from_text = uk_fcdo.parse([csv_path], format="uk-fcdo-csv")
    assert from_ods.entities == from_text.entities
    assert from_ods.entities[0].listing.listed_on == "2011-07-29"


# ------------------------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "suffix, format", [(".ods", "uk-fcdo-ods"), (".xml", "uk-fcdo-xml"), (".csv", "uk-fcdo-csv")]
)
def test_html_page_saved_as_the_list(tmp_path: Path, suffix: str, format: str) -> None:
    path = tmp_path / f"UK-Sanctions-List{suffix}"
    path.write_text(
        "<!DOCTYPE html>\n<html><head><title>Access denied</title></head><body>blocked</body></html>"
    )
    assert uk_fcdo.sniff(path, path.read_bytes()) is None
    with pytest.raises(ListFormatError, match="HTML page") as error:
        uk_fcdo.parse([path], format=format)
    assert error.value.file == str(path)


@pytest.mark.parametrize(
    "suffix, format", [(".ods", "uk-fcdo-ods"), (".xml", "uk-fcdo-xml"), (".csv", "uk-fcdo-csv")]
)
def test_empty_file(tmp_path: Path, suffix: str, format: str) -> None:
    path = tmp_path / f"UK-Sanctions-List{suffix}"
    path.write_bytes(b"")
    with pytest.raises(ListFormatError, match="file is empty"):
        uk_fcdo.parse([path], format=format)


def test_truncated_ods(tmp_path: Path, ods_path: Path) -> None:
    data = ods_path.read_bytes()
    path = tmp_path / "cut.ods"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ListFormatError, match="truncated or corrupt ODS") as error:
        uk_fcdo.parse([path], format="uk-fcdo-ods")
    assert error.value.file == str(path)


def test_ods_whose_content_is_cut(tmp_path: Path) -> None:
    whole = write_ods(tmp_path / "whole.ods", [SUMMARY_HEADER], padding=False)
    with zipfile.ZipFile(whole) as archive:
        content = archive.read("content.xml")
    path = tmp_path / "cut.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content[: len(content) - 40])
    with pytest.raises(ListFormatError, match="content.xml: malformed or truncated XML"):
        uk_fcdo.parse([path], format="uk-fcdo-ods")


def test_ods_with_another_layout(tmp_path: Path) -> None:
    path = write_ods(tmp_path / "budget.ods", [["Item", "Cost"], ["Paper", "3"]], sheet="Budget")
    assert uk_fcdo.sniff(path, path.read_bytes()[:65536]) is None
    with pytest.raises(ListFormatError, match="no sheet whose first row holds 'Unique ID'.*'Budget'"):
        uk_fcdo.parse([path], format="uk-fcdo-ods")


def test_ods_bad_row_is_named_by_its_spreadsheet_row(tmp_path: Path) -> None:
    good = [
        "AFG0001",
        "12703",
        "HAJI KHAIRULLAH",
        "Afghanistan",
        "Entity",
        "UN",
        "29-06-2012",
        "Asset freeze",
    ]
    bad = ["AFG0002", "12704", "ROSHAN", "Afghanistan", "Aircraft", "UN", "29-06-2012", "Asset freeze"]
    path = write_ods(tmp_path / "list.ods", [SUMMARY_HEADER, good, bad])
    with pytest.raises(ListFormatError, match="unknown Type 'Aircraft'") as error:
        uk_fcdo.parse([path], format="uk-fcdo-ods")
    assert (error.value.line, error.value.record) == (3, "AFG0002")


def test_ods_cells_beyond_the_header(tmp_path: Path) -> None:
    row = [
        "AFG0001",
        "12703",
        "HAJI KHAIRULLAH",
        "Afghanistan",
        "Entity",
        "UN",
        "29-06-2012",
        "Asset freeze",
        "?",
    ]
    path = write_ods(tmp_path / "list.ods", [SUMMARY_HEADER, row])
    with pytest.raises(ListFormatError, match="expected 8 columns, found 9") as error:
        uk_fcdo.parse([path], format="uk-fcdo-ods")
    assert error.value.line == 2


def test_truncated_xml(tmp_path: Path, uk_dir: Path) -> None:
    data = (uk_dir / "UK-Sanctions-List_sample.xml").read_bytes()
    path = tmp_path / "UK-Sanctions-List.xml"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ListFormatError, match="malformed or truncated XML") as error:
        uk_fcdo.parse([path], format="uk-fcdo-xml")
    assert error.value.line is not None


@pytest.mark.parametrize(
    "xml, message",
    [
        ('<?xml version="1.0"?><sdnList><sdnEntry/></sdnList>', "root element is <sdnList>"),
        ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><Designations/>', "DTD or entities"),
        ("<Designations><DateGenerated>11/08/2025</DateGenerated></Designations>", "no <Designation>"),
        (
            "<Designations><Designation><IndividualEntityShip>Entity</IndividualEntityShip></Designation></Designations>",
            "without <UniqueID>",
        ),
        (
            "<Designations><Designation><UniqueID>X1</UniqueID>"
            "<IndividualEntityShip>Plane</IndividualEntityShip></Designation></Designations>",
            "unknown <IndividualEntityShip> 'Plane'",
        ),
    ],
)
def test_bad_xml(tmp_path: Path, xml: str, message: str) -> None:
    path = tmp_path / "UK-Sanctions-List.xml"
    path.write_text(xml)
    with pytest.raises(ListFormatError, match=message.replace("(", r"\(").replace(")", r"\)")):
        uk_fcdo.parse([path], format="uk-fcdo-xml")


def test_csv_wrong_column_count_names_the_line(tmp_path: Path, uk_dir: Path) -> None:
    lines = (uk_dir / "UK-Sanctions-List_sample.csv").read_bytes().decode("utf-8-sig").split("\r\n")
    lines[3] = lines[3] + ",extra"  # line 4: one cell too many
    path = tmp_path / "UK-Sanctions-List.csv"
    path.write_text("\r\n".join(lines), encoding="utf-8")
    with pytest.raises(ListFormatError) as error:
        uk_fcdo.parse([path], format="uk-fcdo-csv")
    assert error.value.line == 4
    assert "expected 58 columns, found 59" in str(error.value)


def test_csv_not_the_list(tmp_path: Path) -> None:
    path = tmp_path / "UK-Sanctions-List.csv"
    path.write_text("Report Date: 11-Aug-2025\nid,name\n1,x\n")
    with pytest.raises(ListFormatError, match="no header row with 'Unique ID'"):
        uk_fcdo.parse([path], format="uk-fcdo-csv")


def test_csv_header_lacking_a_column(tmp_path: Path) -> None:
    path = tmp_path / "UK-Sanctions-List.csv"
    path.write_text("Report Date: 11-Aug-2025\nUnique ID,Name 6,Name type\nX1,ACME,Primary Name\n")
    with pytest.raises(ListFormatError, match="lacks column.*'Designation Type'"):
        uk_fcdo.parse([path], format="uk-fcdo-csv")


def test_ods_name_text_with_spaces_and_breaks() -> None:
    from lxml import etree

    cell = etree.parse(
        io.BytesIO(
            b'<table:table-cell xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
            b' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
            b'<text:p>AL<text:s text:c="2"/>QAIDA<text:line-break/>IN <text:span>IRAQ</text:span></text:p>'
            b"</table:table-cell>"
        )
    ).getroot()
    assert uk_fcdo._cell_text(cell) == "AL  QAIDA IN IRAQ"
