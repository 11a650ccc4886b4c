"""The name normaliser: folding any script, tokens and their kinds, variant families, phonetic keys."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ctscreen.names import TokenKind, detect_script, fold, skeleton, tokenize_name


@given(st.text())
@settings(max_examples=500, deadline=None)
def test_fold_never_fails_and_is_idempotent_and_deterministic(text):
    folded = fold(text)
    assert folded == fold(text)
    assert fold(folded) == folded
    assert folded == "" or (folded.isascii() and folded == folded.lower() and "  " not in folded)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200), st.booleans())
@settings(max_examples=500, deadline=None)
def test_tokenize_never_fails_on_any_unicode(text, is_org):
    tokens = tokenize_name(text, is_org)
    assert tokens == tokenize_name(text, is_org)
    for token in tokens:
        assert token.text and token.canon and token.key is not None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Usama", "Osama"),
        ("Qaida", "Qaeda"),
        ("Qa'ida", "Qa’ida"),
        ("Mohammed", "Muhammad"),
        ("Hussein", "Hossein"),
        ("Yusuf", "Youssef"),
        ("Tehrik", "Tehreek"),
        ("Zawahiri", "Dhawahri"),
        ("Abd al-Rahman", "Abdulrahman"),
        ("Abdurrahman", "Abdel Rahman"),
        ("Siraj ud Din", "Sirajuddin"),
        ("Jalaluddin", "Jallaloudine"),
    ],
)
def test_spelling_variants_share_a_canonical_form(a, b):
    assert [t.canon for t in tokenize_name(a)] == [t.canon for t in tokenize_name(b)]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Dawood", "Daoud"),
        ("Hamzah", "Hamza"),
        ("Mawlawi", "Maulavi"),
        ("Khalid", "Halid"),
        ("Uthman", "Usman"),
    ],
)
def test_romanisation_pairs_share_a_skeleton(a, b):
    assert skeleton(fold(a)) == skeleton(fold(b))


def test_arabic_script_meets_its_romanisation_on_the_skeleton():
    arabic = [t.key for t in tokenize_name("تحریک طالبان پاکستان") if t.kind is TokenKind.NAME]
    latin = [t.key for t in tokenize_name("Tehrik Taliban Pakistan") if t.kind is TokenKind.NAME]
    assert arabic == latin
    assert [t.key for t in tokenize_name("أيمن الظواهري") if t.kind is TokenKind.NAME] == ["mn", "zhr"]


def test_titles_and_particles_are_marked_not_deleted():
    kinds = {t.text: t.kind for t in tokenize_name("Hafiz Muhammad bin Saeed al-Pakistani")}
    assert kinds == {
        "hafiz": TokenKind.TITLE,
        "muhammad": TokenKind.NAME,
        "bin": TokenKind.KIN,
        "saeed": TokenKind.NAME,
        "al": TokenKind.GLUE,
        "pakistani": TokenKind.NAME,
    }
    org = {t.text: t.kind for t in tokenize_name("Al Rashid Trust Ltd", is_org=True)}
    assert (
        org["trust"] is TokenKind.GENERIC
        and org["ltd"] is TokenKind.LEGAL
        and org["rashid"] is TokenKind.NAME
    )


def test_acronym_dots_and_scripts():
    assert fold("I.S.I.S.-K") == "isis k"
    assert fold("Умаров Доку") == "umarov doku"
    assert detect_script("Умаров Доку") == "Cyrl"
    assert detect_script("تحریک طالبان") == "Arab"
    assert detect_script("1234") is None
    assert fold("김정은") == "gim jeong eun"
