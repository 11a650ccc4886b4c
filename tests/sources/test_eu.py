"""EU FSF XML parser: the hand-written sample (no real EU file is available offline), field by field, and
hostile or broken input."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctscreen.errors import ListFormatError
from ctscreen.model import DateKind, Entity, IdentifierKind, NameKind, PartialDate, Schema
from ctscreen.names import non_latin_script
from ctscreen.sources import eu

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "eu"
SAMPLE = FIXTURES / "eu_fsf_sample.xml"
HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="2025-01-01">\n'


@pytest.fixture(scope="module")
def parsed() -> eu.ParsedList:
    return eu.parse([SAMPLE], format="eu-xml")


@pytest.fixture(scope="module")
def by_ref(parsed: eu.ParsedList) -> dict[str, Entity]:
    return {e.ref: e for e in parsed.entities}


def names(entity: Entity, kind: NameKind) -> list[str]:
    return [n.full for n in entity.names if n.kind is kind]


def write(tmp_path: Path, body: str, name: str = "eu.xml") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def test_list_level(parsed: eu.ParsedList) -> None:
    assert parsed.source == "eu"
    assert parsed.format == "eu-xml"
    assert parsed.published == "2025-06-20T17:21:44.512+02:00"
    assert [e.ref for e in parsed.entities] == ["13401", "12603", "141772", "1235", "1300", "126900"]
    assert parsed.warnings == []
    assert parsed.files == [SAMPLE]


def test_source_override() -> None:
    assert eu.parse([SAMPLE], format="eu-xml", source="eu-test").entities[0].source == "eu-test"


def test_ttp_entity(by_ref: dict[str, Entity]) -> None:
    ttp = by_ref["13401"]
    assert ttp.schema is Schema.ORGANIZATION
    assert ttp.primary_name == "Tehrik-e Taliban Pakistan (TTP)"
    assert names(ttp, NameKind.ALIAS) == [
        "Tehrik-I-Taliban Pakistan",
        "Tehrik-e-Taliban",
        "Pakistani Taliban",
        "Tehreek-e-Taliban",
    ]
    urdu = [n for n in ttp.names if n.kind is NameKind.ORIGINAL_SCRIPT]
    assert [(n.full, n.script, n.language) for n in urdu] == [("تحریک طالبان پاکستان", "Arab", "ur")]
    assert ttp.listing.un_reference == "QDe.132"
    assert ttp.listing.other_references == ("EU.3850.41",)
    assert ttp.listing.programmes == ("TAQA",)
    assert ttp.listing.listed_on == "2011-08-04"  # no designationDate: the first regulation's publication
    assert (
        ttp.listing.remarks
        == "Based in the tribal areas along the Afghanistan/Pakistan border. Formed in 2007."
    )
    assert ttp.addresses == ()  # the only address is country "00"/UNKNOWN
    assert ("regulation", "754/2011 (OJ L199)") in ttp.extra


def test_hafiz_saeed(by_ref: dict[str, Entity]) -> None:
    saeed = by_ref["12603"]
    assert saeed.schema is Schema.PERSON
    primary = saeed.names[0]
    assert (primary.full, primary.kind, primary.given, primary.family) == (
        "Hafiz Muhammad Saeed",
        NameKind.PRIMARY,
        "Hafiz Muhammad",
        "Saeed",
    )
    # The FR repeat of the same spelling is not a second name.
    assert [n.full for n in saeed.names].count("Hafiz Muhammad Saeed") == 1
    arabic = next(n for n in saeed.names if n.kind is NameKind.ORIGINAL_SCRIPT)
    assert (arabic.full, arabic.script, arabic.language) == ("حافظ محمد سعيد", "Arab", "ar")
    assert names(saeed, NameKind.WEAK) == ["Hafiz Ji"]
    assert "Tata Mohammad Syeed" in names(saeed, NameKind.ALIAS)
    assert saeed.gender == "male"
    assert saeed.birth_dates == (PartialDate(DateKind.EXACT, "1950-06-05"),)
    place = saeed.birth_places[0]
    assert (place.text, place.city, place.region, place.country) == (
        "Sargodha, Punjab, PAKISTAN",
        "Sargodha",
        "Punjab",
        "PAKISTAN",
    )
    assert saeed.citizenships == ("PAKISTAN",)
    assert saeed.nationalities == ()
    (cnic,) = saeed.identifiers
    assert (cnic.kind, cnic.number, cnic.country, cnic.type_text) == (
        IdentifierKind.CNIC,
        "3520025509842-7",
        "PAKISTAN",
        "National identification card",
    )
    (address,) = saeed.addresses
    assert address.street == "House No. 116E, Mohalla Johar, Lahore, Tehsil"
    assert (address.city, address.region, address.country) == ("Lahore", "Lahore District", "PAKISTAN")
    assert address.note == "Location as of May 2008; as at listing time"
    assert saeed.listing.un_reference == "QDi.263"
    assert saeed.listing.amended_on == ("2008-12-17", "2024-01-09")
    assert saeed.listing.remarks == (
        "Leader of Lashkar-e-Tayyiba (QDe.118).\nIn custody of the Government of Pakistan since 12 February 2020."
    )


def test_ghafari_passport_with_zero_not_letter_o(by_ref: dict[str, Entity]) -> None:
    ghafari = by_ref["141772"]
    (passport,) = ghafari.identifiers
    assert passport.kind is IdentifierKind.PASSPORT
    assert passport.number == "01503093"  # the EU writes zero-one; the UN file has letter O
    assert passport.country == "AFGHANISTAN"
    assert passport.type_text == "National passport"
    assert (
        passport.note
        == "known expired; issued 2016-08-25; Issued in Kabul, Afghanistan; expired on 25 Aug. 2021"
    )
    assert ghafari.birth_dates == (
        PartialDate(DateKind.EXACT, "1994-10-28"),
        PartialDate(DateKind.EXACT, "1990-05-24"),
    )
    assert len(ghafari.birth_places) == 1  # the second birthdate has no place ("UNKNOWN")
    assert ghafari.titles == ("Dr.",)
    assert ghafari.positions == ("Leader of the Islamic State of Iraq and the Levant - Khorasan (ISIL-K)",)
    assert ghafari.listing.un_reference == "QDi.431"


def test_akhund_enumerations_and_year_ranges(by_ref: dict[str, Entity]) -> None:
    akhund = by_ref["1235"]
    assert akhund.titles == ("Mullah", "Haji")
    assert akhund.positions == (
        "First Deputy, Council of Ministers under the Taliban regime",
        "Foreign Minister under the Taliban regime",
        "Governor of Kandahar under the Taliban regime",
        "Political Advisor of Mullah Mohammed Omar",
    )
    assert akhund.birth_dates == (
        PartialDate(DateKind.RANGE, None, 1955, 1958, "circa"),
        PartialDate(DateKind.RANGE, None, 1945, 1950, "circa"),
    )
    assert akhund.birth_places[0].city == "Pashmul village, Panjwai District"
    assert akhund.listing.programmes == ("AFG",)
    assert akhund.listing.amended_on == ()  # regulationType "regulation", not an amendment


def test_madani_circa_year_place_only_birthdate_and_alias_quality_remark(by_ref: dict[str, Entity]) -> None:
    madani = by_ref["1300"]
    assert madani.birth_dates == (
        PartialDate(DateKind.APPROXIMATE, "1960"),
        PartialDate(DateKind.EXACT, "1961-08"),  # year + monthOfYear, no day
    )
    assert [p.city for p in madani.birth_places] == ["Paliran village, Namakab District", "Taluqan City"]
    # strong="true" but the remark grades it low ("lo quality", a typo seen in the real data)
    weak = next(n for n in madani.names if n.full == "Madani Saheb")
    assert (weak.kind, weak.note) == (NameKind.WEAK, "lo quality alias")
    assert madani.titles == ("Maulavi",)


def test_isil_k_weak_alias_translations_and_two_programmes(by_ref: dict[str, Entity]) -> None:
    isil_k = by_ref["126900"]
    assert isil_k.schema is Schema.ORGANIZATION
    assert isil_k.primary_name == "Islamic State in Iraq and the Levant – Khorasan (ISIL-K)"
    assert names(isil_k, NameKind.WEAK) == ["ISIS-K"]
    bulgarian = next(n for n in isil_k.names if n.language == "bg")
    assert (bulgarian.kind, bulgarian.script) == (NameKind.ORIGINAL_SCRIPT, "Cyrl")
    french = next(n for n in isil_k.names if n.language == "fr")
    assert (french.kind, french.full) == (NameKind.ALIAS, "État islamique en Iraq et au Levant – Khorasan")
    assert isil_k.listing.programmes == ("TAQA", "EUAQ")
    assert isil_k.listing.listed_on == "2019-05-14"  # designationDate wins over the regulations
    (address,) = isil_k.addresses
    assert (address.text, address.region, address.note) == (
        "Nangarhar Province, AFGHANISTAN",
        "Nangarhar Province",
        "WEB: none known",
    )


def test_deterministic(parsed: eu.ParsedList) -> None:
    again = eu.parse([SAMPLE], format="eu-xml")
    assert [e.content_hash() for e in again.entities] == [e.content_hash() for e in parsed.entities]


def test_non_latin_script() -> None:
    assert non_latin_script("Hafiz Saeed") is None
    assert non_latin_script("Ghafārī") is None
    assert non_latin_script("حافظ") == "Arab"
    assert non_latin_script("Иван") == "Cyrl"
    assert non_latin_script("Μέγα") == "Grek"
    assert non_latin_script("金正恩") == "Hani"


def test_sniff() -> None:
    assert eu.sniff(SAMPLE, SAMPLE.read_bytes()[:65536]) == "eu-xml"
    assert eu.sniff(SAMPLE, b'<?xml version="1.0"?><CONSOLIDATED_LIST dateGenerated="x">') is None
    assert eu.sniff(SAMPLE, b"<html><body>http://eu.europa.ec/fpi/fsd/export <export</body></html>") is None


# --- bad input --------------------------------------------------------------------------------------------


def test_entity_bomb_is_refused() -> None:
    with pytest.raises(ListFormatError, match="DTD or entities") as info:
        eu.parse([FIXTURES / "entity_bomb.xml"], format="eu-xml")
    assert info.value.line == 2


def test_external_entity_is_refused(tmp_path: Path) -> None:
    xxe = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><export>&e;</export>'
    with pytest.raises(ListFormatError, match="DTD"):
        eu.parse([write(tmp_path, xxe)], format="eu-xml")


def test_html_page_saved_as_xml() -> None:
    with pytest.raises(ListFormatError, match="HTML page") as info:
        eu.parse([FIXTURES / "html_page.xml"], format="eu-xml")
    assert info.value.file == str(FIXTURES / "html_page.xml")
    assert eu.sniff(FIXTURES / "html_page.xml", (FIXTURES / "html_page.xml").read_bytes()) is None


def test_truncated_xml() -> None:
    with pytest.raises(ListFormatError, match="malformed or truncated XML") as info:
        eu.parse([FIXTURES / "truncated.xml"], format="eu-xml")
    assert info.value.line is not None and info.value.line > 10


def test_empty_file(tmp_path: Path) -> None:
    with pytest.raises(ListFormatError, match="empty"):
        eu.parse([write(tmp_path, "  \n")], format="eu-xml")


def test_wrong_root(tmp_path: Path) -> None:
    un = '<?xml version="1.0"?><CONSOLIDATED_LIST dateGenerated="2026-01-01"/>'
    with pytest.raises(ListFormatError, match="expected <export>"):
        eu.parse([write(tmp_path, un)], format="eu-xml")


def test_export_in_another_namespace(tmp_path: Path) -> None:
    other = '<?xml version="1.0"?><export xmlns="urn:other"><sanctionEntity logicalId="1"/></export>'
    with pytest.raises(ListFormatError, match="not an EU FSF file"):
        eu.parse([write(tmp_path, other)], format="eu-xml")


def test_no_entities(tmp_path: Path) -> None:
    with pytest.raises(ListFormatError, match="no <sanctionEntity>"):
        eu.parse([write(tmp_path, HEAD + "</export>")], format="eu-xml")


def test_missing_logical_id_names_the_line(tmp_path: Path) -> None:
    body = (
        HEAD
        + '<sanctionEntity euReferenceNumber="EU.1.1">\n<subjectType code="person"/></sanctionEntity></export>'
    )
    with pytest.raises(ListFormatError, match="without logicalId") as info:
        eu.parse([write(tmp_path, body)], format="eu-xml")
    assert info.value.line == 3


def test_unknown_subject_type(tmp_path: Path) -> None:
    body = (
        HEAD + '<sanctionEntity logicalId="7">\n<subjectType code="vessel"/>\n'
        '<nameAlias wholeName="X" strong="true"/></sanctionEntity></export>'
    )
    with pytest.raises(ListFormatError, match="unknown subjectType code 'vessel'") as info:
        eu.parse([write(tmp_path, body)], format="eu-xml")
    assert (info.value.record, info.value.field, info.value.line) == ("logicalId 7", "subjectType", 4)


def test_entity_without_name(tmp_path: Path) -> None:
    body = (
        HEAD
        + '<sanctionEntity logicalId="8"><subjectType code="person"/><nameAlias wholeName=""/></sanctionEntity></export>'
    )
    with pytest.raises(ListFormatError, match="no name") as info:
        eu.parse([write(tmp_path, body)], format="eu-xml")
    assert info.value.record == "logicalId 8"


def test_duplicate_logical_id(tmp_path: Path) -> None:
    one = '<sanctionEntity logicalId="9"><subjectType code="person"/><nameAlias wholeName="A"/></sanctionEntity>\n'
    with pytest.raises(ListFormatError, match="appears twice"):
        eu.parse([write(tmp_path, HEAD + one + one + "</export>")], format="eu-xml")


def test_minimal_entity_with_name_parts_only(tmp_path: Path) -> None:
    body = (
        HEAD + '<sanctionEntity logicalId="10"><subjectType classificationCode="P"/>'
        '<nameAlias firstName="Abdul" middleName="Rahman" lastName="Yasin" gender="F"/>'
        '<birthdate year="0" circa="false"/></sanctionEntity></export>'
    )
    (entity,) = eu.parse([write(tmp_path, body)], format="eu-xml").entities
    assert entity.schema is Schema.PERSON
    assert (entity.primary_name, entity.names[0].given, entity.names[0].family) == (
        "Abdul Rahman Yasin",
        "Abdul Rahman",
        "Yasin",
    )
    assert entity.gender == "female"
    assert entity.birth_dates == ()  # year 0 means "not given"


def test_more_than_one_file_is_refused() -> None:
    with pytest.raises(ListFormatError, match="one XML file"):
        eu.parse([SAMPLE, SAMPLE], format="eu-xml")
