"""Other readings of a name: Russian and Arabic names in Czech, German and French transliterations."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ctscreen.names import french_reading, slavic_reading, without_own_acronym


@pytest.mark.parametrize(
    ("name", "reading"),
    [
        ("Jevgenij Prigožin", "yevgeniy prigozhin"),
        ("Vjačeslav Volodin", "vyacheslav volodin"),
        ("Sergej Naryskin", "sergey naryskin"),  # a й written j is sign enough without a háček
        ("Radovan Karadžić", "radovan karadzhic"),
        # German: sch for ш (ж between vowels), tsch for ч, w for в.
        ("Jewgeni Prigoschin", "yevgeni prigozhin"),
        ("Wjatscheslaw Wolodin", "vyacheslav volodin"),
        ("Ramsan Kadyrow", "ramsan kadyrov"),
        # Nothing Slavic to read: j as in Arabic, French or English.
        ("Djamal Najib", None),
        ("Sanjay Jamal", None),
        ("Osama bin Laden", None),
        ("Anwar al-Awlaki", None),
        ("Marwan Jaber", None),
    ],
)
def test_a_central_european_transliteration_is_read_as_the_lists_english_one(name, reading):
    assert slavic_reading(name) == reading


@pytest.mark.parametrize(
    ("name", "reading"),
    [
        ("Sergueï Choïgou", "sergei shoigu"),
        ("Iouri Kovaltchouk", "yuri kovalchuk"),
        ("Evgueni Prigojine", "evgeni prigozhin"),  # j is ж, a final e silent
        ("Mikhaïl Michoustine", "mikhail mishustin"),
        ("Moustafa Djamel", "mustafa jamel"),  # dj is j
        # Titles and organisation words are left as they are; nothing French, no reading.
        ("Haji Moustafa", "haji mustafa"),
        ("Arora Group", None),
        ("Muhammad Khan", None),
        ("Усама", None),
    ],
)
def test_a_french_transliteration_is_read_as_the_lists_english_one(name, reading):
    assert french_reading(name) == reading


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
@settings(max_examples=500, deadline=None)
def test_readings_never_fail_and_give_folded_words(text):
    for read in (slavic_reading, french_reading):
        reading = read(text)
        assert reading == read(text)
        assert reading is None or (reading.isascii() and reading == reading.lower() and "  " not in reading)


@pytest.mark.parametrize(
    ("name", "compared"),
    [
        ("Российская венчурная компания (РВК)", "Российская венчурная компания"),
        ("Lashkar-e-Tayyiba (LeT)", "Lashkar-e-Tayyiba"),  # the connector's initial counts, or not
        ("MUJAHIDEEN YOUTH MOVEMENT (MYM)", "MUJAHIDEEN YOUTH MOVEMENT"),
        # Kept: not the initials of the rest, or not an acronym.
        ("IRAN ELECTRONIC INDUSTRIES CO. (SAIRAN)", "IRAN ELECTRONIC INDUSTRIES CO. (SAIRAN)"),
        ("NATIONAL (SHAHID BEHESHTI) UNIVERSITY", "NATIONAL (SHAHID BEHESHTI) UNIVERSITY"),
        ("Газпромбанк (АО)", "Газпромбанк (АО)"),
    ],
)
def test_own_acronym_in_brackets(name, compared):
    assert without_own_acronym(name) == compared
