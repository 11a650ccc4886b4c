"""The name cases of DOMAIN.md §2.4-2.7 against the real UN, OFAC and UK lists (kyc profile)."""

from __future__ import annotations

import pytest

from ctscreen.matching import Query, QueryError
from ctscreen.matching.engine import NAME_SHARE


def hits(screener, name: str, **fields) -> dict[str, object]:
    result = screener.screen(Query(name, **fields), "kyc", limit=20)
    return {h.entity_id: h for h in result.hits}


def assert_alerts(
    screener, name: str, *entity_ids: str, top: str | tuple[str, ...] | None = None, **fields
) -> None:
    found = hits(screener, name, **fields)
    for entity_id in entity_ids:
        assert entity_id in found, f"{name!r}: {entity_id} not found; got {list(found)[:8]}"
        assert found[entity_id].alert, f"{name!r}: {entity_id} scored {found[entity_id].score}, no alert"
    if top:
        tops = (top,) if isinstance(top, str) else top
        best = max(h.score for h in found.values())
        assert next(iter(found)) in tops or any(t in found and found[t].score == best for t in tops)


def test_hafiz_muhammad_saeed_across_un_and_ofac(real_screener):
    # UN keeps the title in the name; OFAC's primary is "SAEED, Muhammad" with the title dropped.
    assert_alerts(real_screener, "Hafiz Muhammad Saeed", "un:QDi.263", "ofac-sdn:10689", dob="1950-06-05")
    assert_alerts(real_screener, "Hafiz Muhammad Saeed", "un:QDi.263", "uk-ofsi:9215")
    assert_alerts(real_screener, "Hafez Mohammad Sayeed", "un:QDi.263")


def test_sirajuddin_haqqani_under_ofac_surname_slot(real_screener):
    # OFAC files him as "MUHAMMAD, Sirajuddin Haqqani Jalaluddin Khwasa".
    assert_alerts(real_screener, "Sirajuddin Haqqani", "un:TAi.144", "ofac-sdn:10743")
    assert_alerts(real_screener, "Siraj-ud-Din Haqqani", "un:TAi.144")


@pytest.mark.parametrize(
    "spelling", ["Ayman al-Zawahiri", "Ayman al-Dhawahri", "Ayman Eddaouahiri", "Aiman Zawahry"]
)
def test_zawahiri_spellings(real_screener, spelling):
    # The top hit is one of his entries: UN, OFAC or UK.
    assert_alerts(real_screener, spelling, "un:QDi.006", top=("un:QDi.006", "ofac-sdn:2676", "uk-ofsi:7016"))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Maimaitiming Maimaiti", "un:QDi.268"),
        ("Abudu Hake", "un:QDi.268"),
        ("Memetiming Memeti", "un:QDi.268"),
    ],
)
def test_uyghur_names_through_pinyin(real_screener, name, expected):
    assert_alerts(real_screener, name, expected)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Jaish-e-Mohammed", ("un:QDe.019", "ofac-sdn:6935")),
        ("Jaish i Muhammad", ("un:QDe.019",)),
        ("Lashkar-e-Toiba", ("un:QDe.118", "ofac-sdn:7140")),
        ("Lashkar e Tayyaba", ("un:QDe.118",)),
        ("Jamaat-ud-Dawa", ("un:QDe.118",)),
        ("Jamaat ud Dawah", ("un:QDe.118",)),
        ("Tehreek-i-Taliban Pakistan", ("un:QDe.132", "ofac-sdn:12206")),
        # Organisation names made of common personal names still count in full.
        ("AL-RASHID TRUST", ("ofac-sdn:6912", "uk-ofsi:6968")),
    ],
)
def test_organisation_spellings(real_screener, name, expected):
    assert_alerts(real_screener, name, *expected)


@pytest.mark.parametrize(
    "name", ["ISIS-K", "ISIL-K", "Islamic State Khorasan", "Islamic State Khurasan Province"]
)
def test_isil_khorasan_names(real_screener, name):
    assert_alerts(real_screener, name, "un:QDe.161")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Mufti Noor Wali Mehsud", "un:QDi.427"),  # title only in the query
        ("Noor Wali Mehsud", "un:QDi.427"),
        ("Mullah Abdul Ghani Baradar", "un:TAi.024"),
        ("Maulvi Abdul Ghani Baradar", "un:TAi.024"),
        ("Haji Khalil Haqqani", "ofac-sdn:12561"),  # OFAC keeps "Haji" in the Title column only
        ("Muhammad Saeed", None),
    ],
)
def test_titles_on_one_side_only(real_screener, name, expected):
    if expected:
        assert_alerts(real_screener, name, expected)
    else:
        # "Muhammad Saeed" is a listed strong alias of QDi.263 and OFAC's primary name: it alerts, and a date
        # of birth that conflicts with the listed one clears it.
        assert_alerts(real_screener, name, "un:QDi.263", "ofac-sdn:10689")
        cleared = hits(real_screener, name, dob="1985-03-02")
        assert "un:QDi.263" not in cleared or not cleared["un:QDi.263"].alert


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("تحریک طالبان پاکستان", "un:QDe.132"),
        ("Умаров Доку Хаматович", "un:QDi.290"),
        ("القاعدة", "un:QDe.004"),
    ],
)
def test_cross_script_queries(real_screener, name, expected):
    assert_alerts(real_screener, name, expected)


@pytest.mark.parametrize(
    "name", ["Muhammad Khan", "John Smith", "Maria Garcia", "Wang Wei", "Ahmed Ali", "Global Trading LLC"]
)
def test_common_innocent_names_do_not_alert(real_screener, name):
    assert not any(h.alert for h in hits(real_screener, name).values())


def test_scores_are_graded_by_evidence(real_screener):
    plain = hits(real_screener, "Hafiz Muhammad Saeed")["un:QDi.263"].score
    with_dob = hits(real_screener, "Hafiz Muhammad Saeed", dob="1950-06-05")["un:QDi.263"].score
    year_only = hits(real_screener, "Hafiz Muhammad Saeed", dob="1950")["un:QDi.263"].score
    wrong_dob = hits(real_screener, "Hafiz Muhammad Saeed", dob="1988-01-01")["un:QDi.263"].score
    assert wrong_dob < plain < year_only < with_dob < 1.0
    wrong_type = hits(real_screener, "Hafiz Muhammad Saeed", schema="organization")
    assert "un:QDi.263" not in wrong_type or wrong_type["un:QDi.263"].score < plain


def test_identifier_match_is_a_strong_hit_even_when_the_name_differs(real_screener):
    # QDi.263's CNIC as the UN writes it, typed differently, under another name.
    found = hits(real_screener, "M. Saeed Hafiz-Sahib", id_number="35200 25509842 7")
    assert found["un:QDi.263"].alert and found["un:QDi.263"].score >= 0.97
    evidence = found["un:QDi.263"].to_dict()["explanation"]["evidence"]
    assert any(e["field"] == "identifier" for e in evidence)


def test_hit_explains_itself(real_screener):
    hit = hits(real_screener, "Hafez Mohammad Sayeed", dob="1950-06-05", country="Pakistan")["un:QDi.263"]
    data = hit.to_dict()
    assert data["ref"] == "QDi.263" and data["source"] == "un" and data["name"] == "HAFIZ MUHAMMAD SAEED"
    tokens = data["explanation"]["name"]["tokens"]
    assert {t["how"] for t in tokens} <= {"exact", "variant", "phonetic", "spelling", "initial"}
    assert {e["field"] for e in data["explanation"]["evidence"]} == {"dob", "country"}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "   "}, "name: empty"),
        ({"name": "x" * 10_000}, "name: 10000 characters"),
        ({"name": "Ali", "schema": "spaceship"}, "type:"),
        ({"name": "Ali", "dob": "31/31/1990"}, "dob:"),
        ({"name": "Ali", "dob": "yesterday"}, "dob:"),
        ({"name": "Ali", "country": "Atlantis"}, "country:"),
        ({"name": "Ali", "gender": "x"}, "gender:"),
    ],
)
def test_bad_queries_name_the_field(real_screener, fields, message):
    with pytest.raises(QueryError, match=message):
        real_screener.screen(Query(**fields))


def test_control_characters_and_mixed_scripts_do_not_crash(real_screener):
    result = real_screener.screen(Query("Tehrik\x00-e-\u200bTaliban\tPakistan\x1b طالبان"))
    assert "un:QDe.132" in {h.entity_id for h in result.hits}


@pytest.mark.parametrize(
    ("name", "entity_id", "schema"),
    [
        (
            "PUBLIC JOINT STOCK COMPANY POLYUS",
            "ofac-sdn:43097",
            "organization",
        ),  # also on the UK list, as "ПАО Полюс"
        (
            "I&S HOLDING COMPANY, S.A.",
            "ofac-sdn:13356",
            "organization",
        ),  # no word selective enough to be keyed
        ("M AND S TRADING", "ofac-sdn:46793", "organization"),
        # Written as listed among many aliases of the same words: the name as written is compared, not only
        # the entry's shorter aliases ("KALASHNIKOV CONCERN", which score below OFAC's full name).
        ("JSC KALASHNIKOV CONCERN", "uk-ofsi:15305", "organization"),
        ("Ahmed DIB", "uk-ofsi:12478", "person"),
    ],
)
def test_a_listed_name_finds_its_own_entry_first(real_screener, name, entity_id, schema):
    # First, or tied with another entry listing the very same name (UK's "PJSC POLYUS"): no other spelling of
    # the name outranks the name as written.
    found = hits(real_screener, name, schema=schema)
    assert entity_id in found, f"{name!r}: own entry not found; got {list(found)[:5]}"
    assert found[entity_id].score == max(h.score for h in found.values())
    if name.endswith("POLYUS"):  # real words, every one as listed: the most a name alone scores
        assert found[entity_id].score == NAME_SHARE


@pytest.mark.realdata
def test_gadhafi_is_gaddafi(real_screener):
    # OFAC's 2021 list had "GADHAFI, Mohammed"; it now writes "GADDAFI, Muhammad" (ذ as dh and as d).
    assert_alerts(real_screener, "Mohammed GADHAFI", "ofac-sdn:12628", top="ofac-sdn:12628")
    # and "ELKADDAFI, Saadi": the article joined, the name spelled otherwise.
    assert_alerts(real_screener, "Saadi ELKADDAFI", "ofac-sdn:12629")


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # Czech/Slovak-style transliteration of Russian, with and without the háček, German and French: the
        # lists write PRIGOZHIN, Yevgeniy; KOVALCHUK, Yuri; VOLODIN, Vyacheslav; SHOIGU; MISHUSTIN.
        ("Jevgenij Prigožin", "ofac-sdn:21171"),
        ("Jevgenij Prigozin", "ofac-sdn:21171"),
        ("Jurij Kovalčuk", "ofac-sdn:16680"),
        ("Vjačeslav Volodin", "ofac-sdn:16714"),
        ("Jewgeni Prigoschin", "ofac-sdn:21171"),  # German
        ("Juri Kowaltschuk", "ofac-sdn:16680"),
        ("Sergueï Choïgou", "ofac-sdn:35173"),  # French
        ("Iouri Kovaltchouk", "ofac-sdn:16680"),
        ("Mikhaïl Michoustine", "ofac-sdn:35282"),
    ],
)
def test_czech_german_and_french_transliterations_of_russian_names(real_screener, name, expected):
    assert_alerts(real_screener, name, expected)
