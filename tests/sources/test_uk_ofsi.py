"""UK OFSI Consolidated List parser: the real ConList.xlsx (14/04/2025), a CSV fixture cut from it, bad input."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

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
from ctscreen.sources import detect_format, parse_file, uk_ofsi
from ctscreen.sources.base import ParsedList

TTP_ALIASES = [
    "PAKISTANI TALIBAN",
    "TEHREEK-E-TALIBAN",
    "TEHRIK-E-TALIBAN",
    "TEHRIK-I-TALIBAN PAKISTAN",
    "TTP",
]
SAMPLE_GROUPS = ["12632", "12862", "12809", "12032"]  # in file order


@pytest.fixture(scope="module")
def conlist_path(lists_dir: Path) -> Path:
    return lists_dir / "uk" / "ConList.xlsx"


@pytest.fixture(scope="module")
def conlist(conlist_path: Path) -> ParsedList:
    started = time.perf_counter()
    parsed = uk_ofsi.parse([conlist_path], format="uk-ofsi-xlsx")
    assert time.perf_counter() - started < 15  # about 2 s; a regression to per-cell work shows here
    return parsed


@pytest.fixture(scope="module")
def by_group(conlist: ParsedList) -> dict:
    return {e.ref: e for e in conlist.entities}


@pytest.fixture
def sample_csv(fixtures_dir: Path) -> Path:
    return fixtures_dir / "uk" / "ConList_sample.csv"


def names_of(entity, kind: NameKind) -> list[str]:
    return [n.full for n in entity.names if n.kind is kind]


def write_xlsx(path: Path, rows: list[list]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Data"
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def csv_rows(path: Path) -> list[list[str]]:
    import csv

    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


# ------------------------------------------------------------------------------------------- real file


def test_real_counts_and_date(conlist: ParsedList) -> None:
    assert conlist.source == "uk-ofsi"
    assert conlist.format == "uk-ofsi-xlsx"
    assert conlist.published == "2025-04-14"
    assert len(conlist.entities) == 4688
    assert count_by_schema(conlist.entities) == {
        "person": 3663,
        "organization": 1010,
        "vessel": 15,
        "aircraft": 0,
    }
    assert len({e.ref for e in conlist.entities}) == 4688
    # The two groups with no "Primary name" row are said, not hidden.
    assert any("16601" in w and "16789" in w and "Primary name" in w for w in conlist.warnings)
    assert all(e.names and e.names[0].kind is NameKind.PRIMARY for e in conlist.entities)


def test_every_real_name_row_lands_in_its_group(conlist_path: Path, by_group: dict) -> None:
    """18,798 name rows: each row's name (Name 1..5 then Name 6) is among its group's names."""
    sheet = load_workbook(conlist_path, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 18798
    missing = []
    for row in rows:
        full = " ".join(" ".join(str(p).split()) for p in (*row[1:6], row[0]) if p)
        if full not in {n.full for n in by_group[row[35]].names}:
            missing.append((row[35], full))
    assert missing == []


def test_real_ttp(by_group: dict) -> None:
    ttp = by_group["12032"]
    assert ttp.schema is Schema.ORGANIZATION
    assert ttp.names[0] == Name("TEHRIK-E TALIBAN PAKISTAN", NameKind.PRIMARY)
    assert sorted(names_of(ttp, NameKind.ALIAS)) == TTP_ALIASES
    assert names_of(ttp, NameKind.WEAK) == []
    assert [n for n in ttp.names if n.kind is NameKind.ORIGINAL_SCRIPT] == [
        Name("تحریک طالبان پاکستان", NameKind.ORIGINAL_SCRIPT, script="Arab")
    ]
    assert len(ttp.names) == 7  # 12 rows (6 names x 2 addresses) deduped
    listing = ttp.listing
    assert (listing.source, listing.reference) == ("uk-ofsi", "12032")
    assert listing.un_reference == "QDe.132"
    assert listing.other_references == ("AQD0079",)
    assert listing.programmes == ("ISIL (Da'esh) and Al-Qaida",)
    assert listing.listed_on == "2011-08-11"
    assert listing.amended_on == ("2020-12-31",)
    assert listing.remarks.startswith(
        "(UK Sanctions List Ref):AQD0079. (UN Ref):QDe.132. Tehrik-e Taliban is based"
    )
    assert ttp.addresses == (
        Address("Afghanistan", country="Afghanistan"),
        Address("Pakistan", country="Pakistan"),
    )
    assert ttp.extra == (("uk_date_designated", "2011-07-29"),)
    assert ttp.entity_id == "uk-ofsi:12032"


def test_real_individual_with_partial_dob_and_arabic_name(by_group: dict) -> None:
    ghali = by_group["12862"]  # Iyad AG GHALI, QDi.316
    assert ghali.schema is Schema.PERSON
    assert ghali.names == (
        Name("Iyad AG GHALI", NameKind.PRIMARY, given="Iyad", family="AG GHALI"),
        Name("اياد اغ غالي", NameKind.ORIGINAL_SCRIPT, script="Arab"),
        Name("Sidi Mohamed ARHALI", NameKind.ALIAS, given="Sidi Mohamed", family="ARHALI"),
    )
    assert ghali.birth_dates == (PartialDate(DateKind.EXACT, "1958"),)  # written 00/00/1958
    assert ghali.birth_places == (
        Place("Abeibara, Kidal Region, Mali", city="Abeibara, Kidal Region", country="Mali"),
        Place("Bourem Region, Mali", city="Bourem Region", country="Mali"),
    )
    assert ghali.nationalities == ("Mali",)
    assert ghali.gender is None  # its Other Information has no "(Gender):"
    assert ghali.identifiers == (
        Identifier(
            IdentifierKind.PASSPORT,
            "A1037434",
            None,
            "Passport",
            "Mali number, issued on 10 Aug. 2001. Expired on 31 Dec. 2014.",
        ),
        Identifier(
            IdentifierKind.NATIONAL_ID, "012546", None, "National Identification", "Malian birth certificate"
        ),
    )
    assert ghali.addresses == (Address("Mali", country="Mali"),)
    assert ghali.listing.un_reference == "QDi.316"
    assert ghali.listing.other_references == ("AQD0208",)
    assert ghali.listing.listed_on == "2013-03-04"


def test_real_cnic_weak_aliases_and_several_original_script_names(by_group: dict) -> None:
    rehman = by_group["12632"]
    assert rehman.names[0].full == "ABDUR REHMAN"
    assert rehman.names[0].given is None and rehman.names[0].family is None  # a bare Name 6 is not split
    assert names_of(rehman, NameKind.ORIGINAL_SCRIPT) == [
        "عبد الرحمن",
        "عبد الرحمن السيندي",
        "عبدالله السندي",
    ]
    assert names_of(rehman, NameKind.WEAK) == ["Abdur Rehman Muhammad YAMIN"]
    assert "Abdul Rehman AL-SINDHI" in names_of(rehman, NameKind.ALIAS)
    assert (
        Identifier(
            IdentifierKind.CNIC,
            "44103-5251752-5",
            "Pakistan",
            "National Identification",
            "Pakistan national identity card number",
        )
        in rehman.identifiers
    )
    assert rehman.birth_dates == (PartialDate(DateKind.EXACT, "1965-10-03"),)
    assert rehman.addresses == (Address("Karachi, Pakistan", country="Pakistan"),)
    # 8645: "Low quality" a.k.a. are weak, "Good quality" ones strong.
    dabski = by_group["8645"]
    assert sorted(names_of(dabski, NameKind.WEAK)) == ["Abdallah AL- MASRI", "Abu NAIM"]
    assert sorted(names_of(dabski, NameKind.ALIAS)) == ["Abdullah RAGAB", "Abu AL-WARD"]
    assert [i.number for i in dabski.identifiers if i.kind is IdentifierKind.PASSPORT] == [
        "1990/345751",
        "345741",
    ]
    cnics = [i for e in by_group.values() for i in e.identifiers if i.kind is IdentifierKind.CNIC]
    # 13 plain CNICs, and QDi.263's "3520025509842-7" (13 digits plus a dashed check digit, as the UN writes it).
    assert len(cnics) == 14
    assert all(i.country == "Pakistan" for i in cnics)
    assert sorted(sum(c.isdigit() for c in i.number) for i in cnics) == [13] * 13 + [14]


def test_real_cyrillic_latin_transliteration_and_other_scripts(by_group: dict) -> None:
    zadachin = by_group["15890"]
    assert (
        Name("ЗАДАЧИН Андрей Андреевич", NameKind.ORIGINAL_SCRIPT, script="Cyrl", language="Russian")
        in zadachin.names
    )
    # A Latin transliteration given in the "non-Latin script" column is an alias, not an original-script name.
    assert [n for n in by_group["13458"].names if n.script == "Latn"][0].kind is NameKind.ALIAS
    assert (
        Name("カザン火薬工場", NameKind.ORIGINAL_SCRIPT, script="Jpan", language="Japanese")
        in by_group["16531"].names
    )
    assert [n.script for n in by_group["16816"].names if n.kind is NameKind.ORIGINAL_SCRIPT] == ["Hang"]


def test_real_merged_regimes_and_references(by_group: dict) -> None:
    qods = by_group["11241"]  # listed under two regimes, two "Primary name" rows
    assert qods.listing.programmes == ("Iran (Nuclear)", "Syria")
    assert qods.listing.other_references == ("INU0082", "SYR0310")
    assert qods.listing.listed_on == "2010-07-27"  # the earlier of the two Listed On dates
    assert qods.names[0] == Name("ISLAMIC REVOLUTIONARY GUARD CORPS (IRGC) QODS FORCE", NameKind.PRIMARY)
    assert "ISLAMIC REVOLUTIONARY GUARDS CORPS - QODS FORCE" in names_of(qods, NameKind.ALIAS)
    assert ("entity_type", "Military") in qods.extra
    # UN references written "CDi. 038" and "QDE.145." are normalised to the UN's own form.
    assert by_group["16180"].listing.un_reference == "CDi.038"
    assert by_group["13169"].listing.un_reference == "QDe.145"
    assert sum(1 for e in by_group.values() if e.listing.un_reference) == 866


def test_real_vessel(by_group: dict) -> None:
    ship = by_group["13651"]
    assert ship.schema is Schema.VESSEL
    assert ship.names[0].full == "SAM JONG 2"
    assert ship.identifiers == (Identifier(IdentifierKind.IMO, "7408873", None, "IMO number"),)
    assert ("vessel_flag", "North Korea") in ship.extra
    assert ("vessel_owner", "Korea Samjong Shipping") in ship.extra
    assert ("vessel_year_built", "1975") in ship.extra


def test_real_country_of_birth_without_town(by_group: dict) -> None:
    haq = by_group["15672"]  # Mian Abdul HAQ: Country of Birth "Pakistan", no town
    assert haq.birth_places == (Place("Pakistan", country="Pakistan"),)
    assert haq.titles == ("Mr",)
    assert haq.positions == ("Cleric (“Pir”) of Bharchundi Sharif Shrine",)
    assert names_of(haq, NameKind.ALIAS) == ["Mian MITHOO", "Mian MITHU", "Mian MITTO", "Mian MITTU"]
    assert haq.addresses == (
        Address("Hafizabad Taluka Daharki, District Ghotki, Pakistan", country="Pakistan"),
    )


def test_real_group_without_primary_row(by_group: dict) -> None:
    institute = by_group["16601"]
    assert institute.names[0] == Name("33RD SCIENTIFIC RESEARCH AND TESTING INSTITUTE", NameKind.PRIMARY)
    assert [n.kind for n in institute.names[1:]] == [NameKind.ALIAS, NameKind.ALIAS]


def test_real_sniff_and_detect(conlist_path: Path, lists_dir: Path) -> None:
    head = conlist_path.read_bytes()[:65536]
    assert uk_ofsi.sniff(conlist_path, head) == "uk-ofsi-xlsx"
    assert detect_format(conlist_path).name == "uk-ofsi-xlsx"
    ods = lists_dir / "uk" / "FCDO_SL_2025-08-11_summary.ods"
    assert uk_ofsi.sniff(ods, ods.read_bytes()[:65536]) is None


# ------------------------------------------------------------------------------------------- CSV variant


def test_csv_fixture_equals_the_excel_rows(sample_csv: Path, by_group: dict) -> None:
    parsed = uk_ofsi.parse([sample_csv], format="uk-ofsi-csv")
    assert parsed.format == "uk-ofsi-csv"
    assert parsed.published == "2025-04-14"
    assert [e.ref for e in parsed.entities] == SAMPLE_GROUPS
    for entity in parsed.entities:
        assert entity == by_group[entity.ref]


def test_csv_fixture_field_by_field(sample_csv: Path) -> None:
    parsed = parse_file(sample_csv)  # detected, not told
    assert parsed.format == "uk-ofsi-csv"
    assert parsed.warnings == []
    ttp = {e.ref: e for e in parsed.entities}["12032"]
    assert ttp.names[0].full == "TEHRIK-E TALIBAN PAKISTAN"
    assert sorted(names_of(ttp, NameKind.ALIAS)) == TTP_ALIASES
    assert ttp.listing.un_reference == "QDe.132"
    aamir = {e.ref: e for e in parsed.entities}["12809"]
    assert aamir.names[0] == Name(
        "AAMIR ALI CHAUDHRY", NameKind.PRIMARY, given="AAMIR ALI", family="CHAUDHRY"
    )
    assert names_of(aamir, NameKind.WEAK) == ["HUZAIFA"]
    assert aamir.addresses == ()  # the row's Country cell is empty text
    assert aamir.identifiers[1].kind is IdentifierKind.CNIC
    assert uk_ofsi.parse([sample_csv], format="uk-ofsi-csv", source="gb-hmt").entities[0].source == "gb-hmt"


def test_csv_is_deterministic(sample_csv: Path) -> None:
    first = uk_ofsi.parse([sample_csv], format="uk-ofsi-csv").entities
    second = uk_ofsi.parse([sample_csv], format="uk-ofsi-csv").entities
    assert [e.content_hash() for e in first] == [e.content_hash() for e in second]


def test_csv_cp1252_fallback(tmp_path: Path, sample_csv: Path) -> None:
    rows = csv_rows(sample_csv)
    header = rows[1]
    row = dict.fromkeys(header, "")
    row.update(
        {
            "Name 6": "HAQ",
            "Name 1": "Mian",
            "Name 2": "Abdul",
            "Position": "Cleric (“Pir”) of Bharchundi Sharif Shrine",
            "Country": "Pakistan",
            "Other Information": "(UK Sanctions List Ref):GHR0086. (Gender):Male",
            "Group Type": "Individual",
            "Alias Type": "Primary name",
            "Regime": "Global Human Rights",
            "Listed On": "09/12/2022",
            "Last Updated": "09/12/2022",
            "Group ID": "15672",
        }
    )
    lines = ["Last Updated,14/04/2025", ",".join(header), ",".join(f'"{row[h]}"' for h in header)]
    path = tmp_path / "ConList.csv"
    path.write_bytes("\r\n".join(lines).encode("cp1252"))
    parsed = uk_ofsi.parse([path], format="uk-ofsi-csv")
    assert any("cp1252" in w for w in parsed.warnings)
    haq = parsed.entities[0]
    assert haq.positions == ("Cleric (“Pir”) of Bharchundi Sharif Shrine",)
    assert haq.gender == "male"
    assert haq.listing.other_references == ("GHR0086",)


def test_small_xlsx_in_ofsi_layout_equals_csv(tmp_path: Path, sample_csv: Path) -> None:
    rows = csv_rows(sample_csv)
    path = write_xlsx(tmp_path / "ConList.xlsx", [rows[0][:2], *rows[1:]])
    assert detect_format(path).name == "uk-ofsi-xlsx"
    from_xlsx = uk_ofsi.parse([path], format="uk-ofsi-xlsx")
    from_csv = uk_ofsi.parse([sample_csv], format="uk-ofsi-csv")
    assert from_xlsx.published == "2025-04-14"
    assert from_xlsx.entities == from_csv.entities


# ------------------------------------------------------------------------------------------- bad input


def test_xlsx_with_another_layout(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "other.xlsx", [["Customer", "Country"], ["ACME Ltd", "UK"]])
    assert uk_ofsi.sniff(path, path.read_bytes()[:65536]) is None
    with pytest.raises(ListFormatError) as error:
        uk_ofsi.parse([path], format="uk-ofsi-xlsx")
    message = str(error.value)
    assert str(path) in message
    assert "'Group ID'" in message and "'Data'" in message and "not the OFSI" in message


def test_xlsx_header_missing_a_required_column(tmp_path: Path, sample_csv: Path) -> None:
    rows = csv_rows(sample_csv)
    header = [h if h != "Alias Type" else "Alias" for h in rows[1]]
    path = write_xlsx(tmp_path / "ConList.xlsx", [rows[0][:2], header, rows[2]])
    with pytest.raises(ListFormatError, match="lacks column.*'Alias Type'"):
        uk_ofsi.parse([path], format="uk-ofsi-xlsx")


def test_truncated_xlsx(tmp_path: Path, sample_csv: Path) -> None:
    rows = csv_rows(sample_csv)
    whole = write_xlsx(tmp_path / "whole.xlsx", [rows[0][:2], *rows[1:]]).read_bytes()
    path = tmp_path / "ConList.xlsx"
    path.write_bytes(whole[: len(whole) * 2 // 3])
    with pytest.raises(ListFormatError, match="truncated or corrupt") as error:
        uk_ofsi.parse([path], format="uk-ofsi-xlsx")
    assert error.value.file == str(path)


def test_xlsx_whose_sheet_is_cut_inside(tmp_path: Path, sample_csv: Path) -> None:
    """A zip that opens but whose sheet XML ends mid-row fails while the rows are read, still clearly."""
    rows = csv_rows(sample_csv)
    source = write_xlsx(tmp_path / "whole.xlsx", [rows[0][:2], *rows[1:]])
    path = tmp_path / "ConList.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w") as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            new.writestr(item, data)
    with pytest.raises(ListFormatError, match="truncated or corrupt"):
        uk_ofsi.parse([path], format="uk-ofsi-xlsx")


@pytest.mark.parametrize("name, format", [("ConList.xlsx", "uk-ofsi-xlsx"), ("ConList.csv", "uk-ofsi-csv")])
def test_empty_file(tmp_path: Path, name: str, format: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"")
    with pytest.raises(ListFormatError, match="file is empty"):
        uk_ofsi.parse([path], format=format)


@pytest.mark.parametrize("name, format", [("ConList.xlsx", "uk-ofsi-xlsx"), ("ConList.csv", "uk-ofsi-csv")])
def test_html_page_saved_as_the_list(tmp_path: Path, name: str, format: str) -> None:
    path = tmp_path / name
    path.write_text("<!DOCTYPE html><html><body><h1>503 Service Unavailable</h1></body></html>")
    assert uk_ofsi.sniff(path, path.read_bytes()) is None
    with pytest.raises(ListFormatError, match="HTML page"):
        uk_ofsi.parse([path], format=format)


def test_csv_wrong_column_count_names_the_line(tmp_path: Path, sample_csv: Path) -> None:
    lines = sample_csv.read_bytes().decode("utf-8-sig").split("\r\n")
    lines[4] = lines[4].replace(",,", ",", 1)  # line 5 loses one column
    path = tmp_path / "ConList.csv"
    path.write_text("\r\n".join(lines), encoding="utf-8")
    with pytest.raises(ListFormatError) as error:
        uk_ofsi.parse([path], format="uk-ofsi-csv")
    assert error.value.line == 5
    assert "expected 36 columns, found 35" in str(error.value)
    assert f"{path}:5:" in str(error.value)


def test_csv_neither_utf8_nor_cp1252(tmp_path: Path, sample_csv: Path) -> None:
    head = sample_csv.read_bytes().split(b"\r\n")[:2]
    path = tmp_path / "ConList.csv"
    path.write_bytes(b"\r\n".join([*head, b"X\x81\x8d" + b"," * 35]))
    with pytest.raises(ListFormatError, match="neither UTF-8 nor cp1252") as error:
        uk_ofsi.parse([path], format="uk-ofsi-csv")
    assert error.value.line == 3


def test_csv_unknown_group_type_and_missing_group_id(tmp_path: Path, sample_csv: Path) -> None:
    rows = csv_rows(sample_csv)
    import csv

    def write(mutate) -> Path:
        data = [list(r) for r in rows[:3]]
        mutate(data[2])
        path = tmp_path / "ConList.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(data)
        return path

    with pytest.raises(ListFormatError, match="unknown Group Type 'Aircraft'") as error:
        uk_ofsi.parse([write(lambda r: r.__setitem__(28, "Aircraft"))], format="uk-ofsi-csv")
    assert error.value.line == 3 and error.value.record == "Group ID 12632"
    with pytest.raises(ListFormatError, match="without a Group ID") as error:
        uk_ofsi.parse([write(lambda r: r.__setitem__(35, ""))], format="uk-ofsi-csv")
    assert error.value.line == 3


def test_csv_that_is_not_the_ofsi_list(tmp_path: Path) -> None:
    path = tmp_path / "ConList.csv"
    path.write_text("name,country\nACME,UK\n")
    assert uk_ofsi.sniff(path, path.read_bytes()) is None
    with pytest.raises(ListFormatError, match="not the OFSI Consolidated List CSV"):
        uk_ofsi.parse([path], format="uk-ofsi-csv")


# ------------------------------------------------------------------------------------------- helpers


@pytest.mark.parametrize(
    "text, iso",
    [
        ("20/02/1962", "1962-02-20"),
        ("00/00/1958", "1958"),
        ("00/05/1958", "1958-05"),
        ("dd/mm/1945", "1945"),
        ("09/1962", "1962-09"),
        ("1954", "1954"),
        ("31/02/1970", None),
        ("unknown", None),
    ],
)
def test_partial_dates(text: str, iso: str | None) -> None:
    date = uk_ofsi.partial_date(text)
    assert date is not None
    assert date.value == iso
    assert date.note == (None if iso else text)


def test_split_numbered() -> None:
    assert uk_ofsi.split_numbered("(1) Iraq (2) Sweden") == ("Iraq", "Sweden")
    assert uk_ofsi.split_numbered("(1) Tunis (2) - (3) -") == ("Tunis", None, None)
    assert uk_ofsi.split_numbered("(1) Afghanistan. (2) Pakistan") == ("Afghanistan", "Pakistan")
    # a bracketed year inside an item is not an item number
    assert uk_ofsi.split_numbered("(1) resolution 2293 (2016) (2) x") == ("resolution 2293 (2016)", "x")
    assert uk_ofsi.split_numbered("Russia. Former USSR") == ("Russia. Former USSR",)
    assert uk_ofsi.split_numbered(None) == ()
