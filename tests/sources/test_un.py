"""UN Security Council consolidated list XML: the real 2026-02-27 file and hand-written fixtures."""

from __future__ import annotations

import re
import time
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from ctscreen.errors import ListFormatError
from ctscreen.model import (
    Address,
    DateKind,
    Entity,
    Identifier,
    IdentifierKind,
    NameKind,
    PartialDate,
    Place,
    Schema,
    count_by_schema,
)
from ctscreen.sources import un
from ctscreen.sources.base import ParsedList

# --- the real file ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def un_file(lists_dir: Path) -> Path:
    path = lists_dir / "un" / "consolidated.xml"
    if not path.exists():
        pytest.skip(f"{path} not found")
    return path


@pytest.fixture(scope="module")
def parsed(un_file: Path) -> ParsedList:
    return un.parse([un_file], format="un-xml")


@pytest.fixture(scope="module")
def by_ref(parsed: ParsedList) -> dict[str, Entity]:
    return {e.ref: e for e in parsed.entities}


def names_of(entity: Entity, kind: NameKind) -> list[str]:
    return [n.full for n in entity.names if n.kind is kind]


def test_real_counts_and_date(parsed: ParsedList, un_file: Path) -> None:
    assert parsed.source == "un"
    assert parsed.format == "un-xml"
    assert parsed.files == [un_file]
    assert parsed.published == "2026-02-27T00:00:09.554Z"
    assert len(parsed.entities) == 1003
    counts = count_by_schema(parsed.entities)
    assert counts["person"] == 730
    assert counts["organization"] == 273
    assert parsed.warnings == []


def test_real_programmes_and_prefixes(parsed: ParsedList) -> None:
    programmes = Counter(p for e in parsed.entities for p in e.listing.programmes)
    assert programmes == {
        "Al-Qaida": 341,
        "DPRK": 155,
        "Taliban": 140,
        "Iran": 121,
        "Iraq": 75,
        "DRC": 53,
        "Libya": 30,
        "Somalia": 24,
        "CAR": 15,
        "Haiti": 11,
        "Yemen": 11,
        "GB": 10,
        "Sudan": 9,
        "SouthSudan": 8,
    }
    prefixes = Counter(e.ref[:3] for e in parsed.entities)
    assert (prefixes["QDi"], prefixes["TAi"], prefixes["QDe"], prefixes["TAe"]) == (252, 135, 89, 5)


def test_real_references_are_stripped(parsed: ParsedList, by_ref: dict[str, Entity], un_file: Path) -> None:
    raw = un_file.read_bytes()
    padded = re.findall(rb"<REFERENCE_NUMBER>([^<]*\s)</REFERENCE_NUMBER>", raw)
    assert len(padded) == 12  # the file really pads some (KPe.023 ... KPe.056)
    refs = [e.ref for e in parsed.entities]
    assert len(set(refs)) == 1003
    assert all(re.fullmatch(r"[A-Z]{2}[ie]\.\d{3}", ref) for ref in refs)
    assert all(e.listing.un_reference == e.ref for e in parsed.entities)
    for value in padded:
        assert value.decode().strip() in by_ref


def test_real_ttp(by_ref: dict[str, Entity]) -> None:
    ttp = by_ref["QDe.132"]
    assert ttp.schema is Schema.ORGANIZATION
    assert ttp.primary_name == "TEHRIK-E TALIBAN PAKISTAN (TTP)"
    assert names_of(ttp, NameKind.ALIAS) == [
        "Tehrik-I-Taliban Pakistan",
        "Tehrik-e-Taliban",
        "Pakistani Taliban",
        "Tehreek-e-Taliban",
    ]
    assert [
        n for n in ttp.names if n.kind not in (NameKind.PRIMARY, NameKind.ALIAS, NameKind.ORIGINAL_SCRIPT)
    ] == []
    original = [n for n in ttp.names if n.kind is NameKind.ORIGINAL_SCRIPT]
    assert len(original) == 1
    assert original[0].full == "تحریک طالبان پاکستان"
    assert original[0].script == "Arab"
    assert ttp.listing.programmes == ("Al-Qaida",)
    assert ttp.listing.listed_on == "2011-07-29"
    assert ttp.listing.amended_on == ("2015-06-15", "2020-11-24")
    assert "Maulana Fazlullah (QDi.352)" in (ttp.listing.remarks or "")
    assert ttp.addresses == ()  # <ENTITY_ADDRESS><COUNTRY/></ENTITY_ADDRESS> is skipped
    assert ("dataid", "2971894") in ttp.extra


def test_real_hafiz_saeed(by_ref: dict[str, Entity]) -> None:
    hms = by_ref["QDi.263"]
    assert hms.schema is Schema.PERSON
    primary = hms.names[0]
    assert (primary.full, primary.kind, primary.given, primary.family) == (
        "HAFIZ MUHAMMAD SAEED",
        NameKind.PRIMARY,
        "HAFIZ",
        "SAEED",
    )
    good = names_of(hms, NameKind.ALIAS)
    assert len(good) == 9
    assert "Hafiz Saeed" in good and "Tata Mohammad Syeed" in good
    assert names_of(hms, NameKind.WEAK) == ["Hafiz Ji"]
    assert hms.birth_dates == (PartialDate(DateKind.EXACT, value="1950-06-05"),)
    assert hms.birth_places == (
        Place("Sargodha, Punjab, Pakistan", city="Sargodha", region="Punjab", country="Pakistan"),
    )
    assert hms.nationalities == ("Pakistan",)
    assert hms.identifiers == (
        Identifier(
            IdentifierKind.CNIC,
            "3520025509842-7",
            country="Pakistan",
            type_text="National Identification Number",
        ),
    )
    assert hms.listing.listed_on == "2008-12-10"
    assert hms.listing.amended_on == ("2009-07-17", "2023-10-30", "2023-12-19")
    assert hms.listing.programmes == ("Al-Qaida",)
    assert (hms.listing.remarks or "").startswith(
        "Muhammad Saeed is the leader of Lashkar-e-Tayyiba (QDe.118)."
    )
    assert hms.addresses == (
        Address(
            "House No. 116E, Mohalla Johar, Lahore, Tehsil, Lahore City, Lahore District, Pakistan",
            street="House No. 116E, Mohalla Johar, Lahore, Tehsil",
            city="Lahore City",
            region="Lahore District",
            country="Pakistan",
            note="location as of May 2008",
        ),
    )
    assert hms.gender is None
    assert ("dataid", "2833107") in hms.extra


def test_real_birth_date_shapes(by_ref: dict[str, Entity], parsed: ParsedList) -> None:
    assert by_ref["TAi.002"].birth_dates == (
        PartialDate(DateKind.RANGE, from_year=1955, to_year=1958, note="Approximately"),
        PartialDate(DateKind.RANGE, from_year=1945, to_year=1950, note="Approximately"),
    )
    assert by_ref["CDi.001"].birth_dates == (PartialDate(DateKind.EXACT, value="1971"),)
    assert by_ref["CDi.004"].birth_dates[0].value == "1973-11"  # only a NOTE "Nov. 1973"
    kinds = Counter(d.kind for e in parsed.entities for d in e.birth_dates)
    assert kinds[DateKind.RANGE] == 31
    assert kinds[DateKind.APPROXIMATE] >= 117
    for entity in parsed.entities:
        for d in entity.birth_dates:
            if d.value:
                assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", d.value), (entity.ref, d)


def test_real_former_names(by_ref: dict[str, Entity], parsed: ParsedList) -> None:
    aqim = by_ref["QDe.014"]
    assert names_of(aqim, NameKind.FORMER) == [
        "Le Groupe Salafiste pour La Prédication et le Combat (GSPC)",
        "Salafist Group For Call and Combat",
    ]
    assert "AQIM" in names_of(aqim, NameKind.ALIAS)
    assert sum(n.kind is NameKind.FORMER for e in parsed.entities for n in e.names) == 19


def test_real_isil_is_an_alias_of_aqi(by_ref: dict[str, Entity]) -> None:
    aqi = by_ref["QDe.115"]
    assert aqi.primary_name == "AL-QAIDA IN IRAQ"
    aliases = names_of(aqi, NameKind.ALIAS)
    assert "Islamic State in Iraq and the Levant" in aliases
    assert "Islamic State of Iraq" in aliases
    assert len(aliases) == 16


def test_real_packed_aliases_are_split(by_ref: dict[str, Entity], parsed: ParsedList) -> None:
    nusra = by_ref["QDe.137"]
    aliases = names_of(nusra, NameKind.ALIAS)
    assert "Hay’at Tahrir al-Sham (HTS)" in aliases  # curly apostrophe kept as written
    for name in (
        "Hayat Tahrir al-Sham",
        "Jabhat al-Nusrah",
        "Jabhat Fath al-Sham",
        "Ansar al-Mujahideen Network",
    ):
        assert name in aliases
    originals = names_of(nusra, NameKind.ORIGINAL_SCRIPT)
    assert "هيئة تحرير الشام" in originals
    assert "جبهة النصرة" in originals

    baghdadi = by_ref["QDi.299"]
    assert "Abu Bakr al-Baghdadi" in names_of(baghdadi, NameKind.WEAK)
    assert "Abu Du’a" in names_of(baghdadi, NameKind.WEAK)  # from the alias NOTE
    assert "أبو بكر البغدادي الحسيني القريشي" in names_of(baghdadi, NameKind.ORIGINAL_SCRIPT)

    byutukaev = by_ref["QDi.396"]
    assert "Amir Khazmat" in names_of(byutukaev, NameKind.WEAK)
    cyrillic = [n for n in byutukaev.names if n.full == "Амир Хазмат"]
    assert (
        len(cyrillic) == 1 and cyrillic[0].script == "Cyrl" and cyrillic[0].kind is NameKind.ORIGINAL_SCRIPT
    )

    assert names_of(by_ref["IRi.038"], NameKind.ALIAS)[:2] == ["Husain Salimi", "Hosain Salimi"]
    assert "M. Javad Kareemi Sabet" in names_of(by_ref["IRi.034"], NameKind.ALIAS)  # "... b) M. Javad ..."

    for entity in parsed.entities:
        for name in entity.names:
            assert name.full == " ".join(name.full.split()), (entity.ref, name)
            assert "original script" not in name.full.lower(), (entity.ref, name)
            if name.kind is not NameKind.PRIMARY:
                assert ";" not in name.full, (entity.ref, name)
                assert not name.full.startswith(")"), (entity.ref, name)


def test_real_original_script_names(parsed: ParsedList, un_file: Path) -> None:
    root = etree.parse(str(un_file)).getroot()
    expected = {
        (el.findtext("REFERENCE_NUMBER") or "").strip(): " ".join(
            (el.findtext("NAME_ORIGINAL_SCRIPT") or "").split()
        )
        for el in root.iter("INDIVIDUAL", "ENTITY")
        if (el.findtext("NAME_ORIGINAL_SCRIPT") or "").strip()
    }
    assert len(expected) == 378
    scripts: Counter[str | None] = Counter()
    for entity in parsed.entities:
        if entity.ref in expected:
            match = [
                n
                for n in entity.names
                if n.kind is NameKind.ORIGINAL_SCRIPT and n.full == expected[entity.ref]
            ]
            assert match, entity.ref
            scripts[match[0].script] += 1
    assert scripts == {"Arab": 366, "Cyrl": 11, "Latn": 1}


def test_real_whitespace_and_placeholders(by_ref: dict[str, Entity]) -> None:
    assert by_ref["SDi.007"].primary_name.startswith("GEDO HAMDAN AHMED")
    assert by_ref["TAi.153"].primary_name == "FAIZULLAH KHAN NOORZAI"  # FOURTH_NAME "na" dropped
    assert by_ref["HTe.002"].primary_name == "VIV ANSANM"
    # LISTED_ON "2015-07-01-04:00" carries a zone offset in 10 records
    assert all(e.listing.listed_on and len(e.listing.listed_on) == 10 for e in by_ref.values())


def test_real_identifiers(by_ref: dict[str, Entity], parsed: ParsedList) -> None:
    kinds = Counter(i.kind for e in parsed.entities for i in e.identifiers)
    assert kinds[IdentifierKind.PASSPORT] == 315
    cnics = {e.ref: i.number for e in parsed.entities for i in e.identifiers if i.kind is IdentifierKind.CNIC}
    assert cnics["QDi.308"] == "35202- 4135948-7"
    assert cnics["QDi.433"] == "6110111883885"
    assert cnics["TAi.173"] == "Pakistani national identification number 5420124679187"
    qdi265 = {i.number: i.kind for i in by_ref["QDi.265"].identifiers}
    assert qdi265["24492025390"] is IdentifierKind.NATIONAL_ID  # 11 digits: the older NIC
    assert qdi265["AT0712501"] is IdentifierKind.PASSPORT
    french = [i for e in parsed.entities for i in e.identifiers if i.type_text == "Numéro de passeport"]
    assert len(french) == 3 and all(i.kind is IdentifierKind.PASSPORT for i in french)
    # documents with no NUMBER are kept as text, not lost
    assert (
        "document",
        "Passport: Tunisian passport number L723315, issued on 5 May 1998, expired on 4 May 2003",
    ) in by_ref["QDi.143"].extra


def test_real_person_fields(by_ref: dict[str, Entity], parsed: ParsedList) -> None:
    genders = Counter(e.gender for e in parsed.entities)
    assert (genders["male"], genders["female"]) == (52, 2)
    akhund = by_ref["TAi.002"]
    assert akhund.titles == ("Mullah", "Haji")
    assert akhund.positions[0] == "First Deputy, Council of Ministers under the Taliban regime"
    assert len(akhund.positions) == 4
    assert by_ref["CDi.001"].addresses == (Address("Rwanda", country="Rwanda", note="as of early 2016"),)


def test_real_tuple_fields_and_determinism(parsed: ParsedList, un_file: Path) -> None:
    for entity in parsed.entities[:50]:
        for name in (
            "names",
            "birth_dates",
            "birth_places",
            "nationalities",
            "identifiers",
            "addresses",
            "extra",
        ):
            assert isinstance(getattr(entity, name), tuple)
        assert isinstance(entity.listing.programmes, tuple)
        assert isinstance(entity.listing.amended_on, tuple)
    again = un.parse([un_file], format="un-xml")
    assert [e.content_hash() for e in again.entities] == [e.content_hash() for e in parsed.entities]
    assert Entity.from_dict(parsed.entities[0].to_dict()) == parsed.entities[0]


def test_real_parse_is_fast(un_file: Path) -> None:
    start = time.perf_counter()
    un.parse([un_file], format="un-xml")
    assert time.perf_counter() - start < 2.0


def test_real_sniff(un_file: Path, lists_dir: Path) -> None:
    assert un.sniff(un_file, un_file.read_bytes()[:65536]) == "un-xml"
    others = [p for p in lists_dir.rglob("*") if p.is_file() and p != un_file and p.suffix != ".md"]
    assert others
    for path in others:
        assert un.sniff(path, path.read_bytes()[:65536]) is None, path


def test_source_override(un_file: Path) -> None:
    result = un.parse([un_file], format="un-xml", source="un-test")
    assert result.source == "un-test"
    assert {e.listing.source for e in result.entities} == {"un-test"}


# --- hand-written fixtures ------------------------------------------------------------------------------


@pytest.fixture
def un_fixtures(fixtures_dir: Path) -> Path:
    return fixtures_dir / "un"


@pytest.fixture
def sample(un_fixtures: Path) -> dict[str, Entity]:
    result = un.parse([un_fixtures / "sample.xml"], format="un-xml")
    assert result.published == "2026-01-15T10:20:30.000Z"
    assert result.warnings == []
    return {e.ref: e for e in result.entities}


def test_sample_records(sample: dict[str, Entity]) -> None:
    assert list(sample) == ["QDi.901", "KPi.901", "QDe.901"]  # file order; padded reference stripped


def test_sample_person_names(sample: dict[str, Entity]) -> None:
    person = sample["QDi.901"]
    primary = person.names[0]
    assert (primary.full, primary.given, primary.family) == (
        "ABDUL KARIM AL-TESTI",
        "ABDUL",
        "KARIM AL-TESTI",
    )
    original = person.names[1]
    assert (original.full, original.kind, original.script) == (
        "عبد الكريم التستي",
        NameKind.ORIGINAL_SCRIPT,
        "Arab",
    )
    aliases = names_of(person, NameKind.ALIAS)
    assert aliases[:5] == [
        "Abdul Kareem Testi",
        "Karim Testy",
        "Abd al-Karim",
        "Abdel Karim al-Testi",
        "Karim ‘Abd al-Testi",
    ]
    assert "Karim Ali Testi" in aliases  # ", born 1 Jan. 1960 (...)" moved to the note
    assert "Agha Karim" in aliases  # Latin and Arabic run together, split
    assert aliases[-2:] == ["Kareem Testi", "Karem Testi"]  # "a)" enumeration
    assert names_of(person, NameKind.WEAK) == ["Abu Test", "Abu Tast", "Abou Test", "Abu Testov"]
    originals = {n.full: n for n in person.names if n.kind is NameKind.ORIGINAL_SCRIPT}
    assert set(originals) == {"عبد الكريم التستي", "أبو تست", "Абу Тестов", "كريم التستي", "آغا کریم"}
    assert originals["Абу Тестов"].script == "Cyrl"
    assert originals["أبو تست"].note == "low-quality alias"
    notes = {n.full: n.note for n in person.names if n.note}
    assert notes["Abu Test"] == "nom de guerre"
    assert notes["Karim ‘Abd al-Testi"] == "born 1961-02-03 in Testabad, Pakistan"
    assert notes["Karim Ali Testi"] == "born 1 Jan. 1960 (passport no. 123)"
    assert [n.note for n in person.names if n.full == "Karim Testi"] == ["birth name", None]


def test_sample_person_fields(sample: dict[str, Entity]) -> None:
    person = sample["QDi.901"]
    assert person.gender == "male"
    assert person.titles == ("Mullah", "Dr.")
    assert person.positions == ("Head of finance",)
    assert person.nationalities == ("Pakistan",)
    assert person.listing.listed_on == "2010-01-02"
    assert person.listing.amended_on == ("2011-03-04", "2015-06-07")
    assert person.listing.remarks == "Leader of Test Front (QDe.901). Review concluded on 1 Jan. 2020."
    assert person.birth_dates == (
        PartialDate(DateKind.EXACT, value="1960-05-06"),
        PartialDate(DateKind.APPROXIMATE, value="1958"),
        PartialDate(DateKind.RANGE, from_year=1955, to_year=1957, note="Approximately"),
        PartialDate(DateKind.EXACT, value="1959-09", note="Sep."),
    )
    assert person.birth_places == (
        Place("Testabad, Punjab, Pakistan", city="Testabad", region="Punjab", country="Pakistan"),
    )
    assert person.addresses == (
        Address(
            "House 1, Test Road, Lahore, Punjab, 54000, Pakistan",
            street="House 1, Test Road",
            city="Lahore",
            region="Punjab",
            postal_code="54000",
            country="Pakistan",
            note="as of 2015",
        ),
        Address("Afghanistan/Pakistan border region"),
    )
    assert person.identifiers == (
        Identifier(
            IdentifierKind.PASSPORT,
            "AB1234567",
            country="Pakistan",
            type_text="Numéro de passeport",
            note="issued 2005-01-01; issued in Karachi",
        ),
        Identifier(
            IdentifierKind.CNIC,
            "35202- 4135948-7",
            country="Pakistan",
            type_text="National Identification Number",
            note="issued 2004",
        ),
        Identifier(
            IdentifierKind.NATIONAL_ID,
            "24492025390",
            country="Pakistan",
            type_text="National Identification Number",
        ),
        Identifier(
            IdentifierKind.OTHER, "B-55", type_text="National Identification Number / Birth certificate"
        ),
    )
    assert person.extra == (
        ("dataid", "1001"),
        ("submitted_by", "Testland"),
        ("document", "Passport: Tunisian passport number L 191609"),
    )


def test_sample_second_person(sample: dict[str, Entity]) -> None:
    kim = sample["KPi.901"]
    assert (kim.names[0].given, kim.names[0].family) == ("KIM", "TEST SAM")
    assert kim.gender == "female"
    assert kim.listing.remarks is None
    assert kim.listing.amended_on == ()
    assert [(n.full, n.kind, n.script) for n in kim.names[1:]] == [
        ("Jin Tesan", NameKind.ALIAS, None),
        ("金铁三", NameKind.ORIGINAL_SCRIPT, "Hani"),
    ]
    assert kim.birth_dates == (PartialDate(DateKind.EXACT, value="1973-11", note="Nov. 1973"),)


def test_sample_entity(sample: dict[str, Entity]) -> None:
    front = sample["QDe.901"]
    assert front.schema is Schema.ORGANIZATION
    assert front.names[0].full == "TEST FRONT FOR THE PEOPLE (TFP)"
    assert front.names[0].given is None and front.names[0].family is None
    assert names_of(front, NameKind.ALIAS) == [
        "Test Front (TF)",
        "Jabhat Test",
        "Test Jabha",
        "The Testers’ Front",
        "Test Network",
    ]
    assert names_of(front, NameKind.FORMER) == ["Old Test Group"]
    assert names_of(front, NameKind.ORIGINAL_SCRIPT) == ["جبهة الاختبار", "جبهة", "شبكة الاختبار"]
    assert [n.note for n in front.names if n.full == "Test Network"] == ["sub-unit name"]
    assert front.addresses == (
        Address("Syrian Arab Republic", country="Syrian Arab Republic", note="Operates in"),
    )
    assert front.birth_dates == () and front.identifiers == () and front.gender is None


# --- bad input ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message", "line", "record"),
    [
        ("truncated.xml", "truncated", 28, None),
        ("ofac_sdnlist.xml", "root element is <sdnList>", 2, None),
        ("html_page.xml", "HTML page", 1, None),
        ("external_entity.xml", "DTD", 2, None),
        ("billion_laughs.xml", "DTD", 2, None),
        ("empty.xml", "empty", 1, None),
        ("no_reference.xml", "no REFERENCE_NUMBER", 9, "DATAID 7777"),
        ("no_name.xml", "no name", 4, "QDe.999"),
        ("no_records.xml", "neither <INDIVIDUALS> nor <ENTITIES>", 2, None),
        ("latin1.xml", "malformed", 4, None),
    ],
)
def test_bad_input(un_fixtures: Path, name: str, message: str, line: int, record: str | None) -> None:
    path = un_fixtures / name
    with pytest.raises(ListFormatError) as caught:
        un.parse([path], format="un-xml")
    error = caught.value
    assert message in error.message
    assert error.file == str(path)
    assert error.line == line
    assert error.record == record
    text = str(error)
    assert text.startswith(f"{path}:{line}: ")
    if record:
        assert f"record {record}" in text


def test_missing_file_and_file_count(un_fixtures: Path) -> None:
    with pytest.raises(ListFormatError, match="cannot read file"):
        un.parse([un_fixtures / "does_not_exist.xml"], format="un-xml")
    with pytest.raises(ListFormatError, match="one XML file"):
        un.parse([un_fixtures / "sample.xml", un_fixtures / "sample.xml"], format="un-xml")


def test_sniff_fixtures(un_fixtures: Path) -> None:
    def sniff(name: str) -> str | None:
        path = un_fixtures / name
        return un.sniff(path, path.read_bytes()[:65536])

    assert sniff("sample.xml") == "un-xml"
    assert sniff("ofac_sdnlist.xml") is None
    assert sniff("html_page.xml") is None
    assert sniff("empty.xml") is None


# --- helpers --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Abdul Rehman; Abd Ur-Rehman", [("Abdul Rehman", None), ("Abd Ur-Rehman", None)]),
        (
            "حسن غول (Hassan Ghul; Hassan Gul)",
            [("حسن غول", None), ("Hassan Ghul", None), ("Hassan Gul", None)],
        ),
        ("Akrin Saleh Akrin (أقرين صالح أقرين)", [("Akrin Saleh Akrin", None), ("أقرين صالح أقرين", None)]),
        ("Muslim (original script: Муслим)", [("Muslim", None), ("Муслим", None)]),
        ("EL PARA (COMBAT NAME)", [("EL PARA", "COMBAT NAME")]),
        ("Hilarion Santos, III (third)", [("Hilarion Santos, III", "third")]),
        ("SECOND ACADEMY OF NATURAL SCIENCES (KPE.018)", [("SECOND ACADEMY OF NATURAL SCIENCES", "KPE.018")]),
        ("Lord’s Resistance Movement/Army (LRM/A)", [("Lord’s Resistance Movement/Army (LRM/A)", None)]),
        ("Lom-ali Butayev (Butaev)", [("Lom-ali Butayev (Butaev)", None)]),
        ("(Sheikh) Musa Hilal", [("(Sheikh) Musa Hilal", None)]),
        ("Akhter Mohmad (اختر محمد ),", [("Akhter Mohmad", None), ("اختر محمد", None)]),
        (") Abdelrahman Juhan", [("Abdelrahman Juhan", None)]),
        ("A Name, born 1953 (x)", [("A Name", "born 1953 (x)")]),
        ("Osborne Trading", [("Osborne Trading", None)]),
    ],
)
def test_split_alias(text: str, expected: list[tuple[str, str | None]]) -> None:
    assert un.split_alias(text) == expected


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("Hafiz Saeed", "Latn"),
        ("Al Qaïda", "Latn"),
        ("تحریک طالبان پاکستان", "Arab"),
        ("Эмират Кавказ", "Cyrl"),
        ("朝鲜联合机械贸易会社", "Hani"),
        ("김철삼", "Hang"),
        ("-- 123 --", None),
    ],
)
def test_detect_script(text: str, script: str | None) -> None:
    assert un.detect_script(text) == script


@pytest.mark.parametrize(
    ("type_text", "number", "country", "kind"),
    [
        ("Passport", "A123", None, IdentifierKind.PASSPORT),
        ("Número de pasaporte", "A123", None, IdentifierKind.PASSPORT),
        ("National Identification Number / national passport", "A123", None, IdentifierKind.PASSPORT),
        ("National Identification Number", "3520025509842-7", "Pakistan", IdentifierKind.CNIC),
        ("National Identification Number", "6110111883885", "Pakistan", IdentifierKind.CNIC),
        ("National Identification Number", "6110111883885", "Afghanistan", IdentifierKind.NATIONAL_ID),
        ("National Identification Number", "24492025390", "Pakistan", IdentifierKind.NATIONAL_ID),
        (
            "National Identification Number / Italian Fiscal Code:",
            "BNSDLA70L14Z352B",
            None,
            IdentifierKind.TAX_ID,
        ),
        ("National Identification Number / Voter ID", "1", None, IdentifierKind.OTHER),
        ("", "123", None, IdentifierKind.OTHER),
    ],
)
def test_identifier_kind(type_text: str, number: str, country: str | None, kind: IdentifierKind) -> None:
    assert un.identifier_kind(type_text, number, country) is kind


def test_odd_values_warn_without_failing(un_fixtures: Path) -> None:
    result = un.parse([un_fixtures / "odd_values.xml"], format="un-xml")
    first, second = result.entities
    assert first.listing.listed_on is None and second.listing.listed_on is None
    assert [(n.full, n.kind) for n in first.names[1:]] == [("Odd Value", NameKind.ALIAS)]
    assert first.birth_dates == (PartialDate(DateKind.EXACT, note="19x5"),)
    assert len(result.warnings) == 5
    joined = "\n".join(result.warnings)
    for expected in (
        "'not yet' is not a date",
        "'Medium'",
        "'19x5' is not a year",
        "'2020-02-30'",
        "used twice",
    ):
        assert expected in joined
    assert all(w.startswith("odd_values.xml: record QDi.950: ") for w in result.warnings)
