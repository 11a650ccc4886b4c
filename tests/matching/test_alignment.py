"""The alignment's C twin (`_native.align`) gives what `compare._align_words` gives, bit for bit, wherever
`compare._align` hands a pair of names to it; and it refuses what is not a pair of prepared names."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ctscreen.matching import Query
from ctscreen.matching.compare import (
    NameMatch,
    PreparedName,
    _align,
    _align_words,
    _token_similarity,
    compare_names,
)
from ctscreen.matching.native import NATIVE
from ctscreen.names import TokenKind, make_token, tokenize_name

needs_native = pytest.mark.skipif(
    NATIVE is None, reason="the C loops are built by the wheel (`make compiled`)"
)


def _no_script_rule(a: PreparedName, b: PreparedName) -> bool:
    """The pairs `_align` gives to C."""
    return not any(
        (n.syllabic, n.vowels_guessed, bool(n.script_words)) != (False, False, False) for n in (a, b)
    )


def _exactly(a: NameMatch, b: NameMatch) -> bool:
    """Equal, every float the same double (repr tells 0.0 from -0.0) and every field of the same type."""
    if type(a) is not type(b) or a != b or repr(a) != repr(b):
        return False
    fields = [*zip(a, b, strict=True)]
    for pair, other in zip(a.pairs, b.pairs, strict=True):
        fields += zip(pair, other, strict=True)
    return all(type(x) is type(y) for x, y in fields)


# Queries of the kinds the benchmark screens: spellings of listed names, names in the lists' own order and in
# another, organisations, names with nothing like them listed, and some written in other scripts (handed to
# the Python path, which must not be disturbed by the C one).
_QUERIES = [
    ("Hafez Mohammad Sayeed", "person"),
    ("SAEED, Hafiz Muhammad", "person"),
    ("Usama bin Ladin", "person"),
    ("Sirajuddin Haqani", "person"),
    ("Ayman al-Dhawahri", "person"),
    ("Ayman Eddaouahiri", None),
    ("Igor ROTENBERG", "person"),
    ("Natalia Smirnova", "person"),
    ("Muhammad Khan", "person"),
    ("Peter Griffin", "person"),
    ("Abd al Rahman Ould Muhammad al Husayn Ould Muhammad Salim", "person"),
    ("Kim Jong Un", "person"),
    ("Pak Pong Nam", None),
    ("Lashkar e Tayyiba", "organization"),
    ("Jamaat ud Dawa", "organization"),
    ("Tehreek-i-Taliban Pakistan", "organization"),
    ("Islamic State Khorasan Province", "organization"),
    ("ISIL-K", "organization"),
    ("Al Rashid Trust", "organization"),
    ("Bank Melli Iran", "organization"),
    ("Alotaibi Trading", None),
    ("Kakazada", None),
    ("Евгений Пригожин", "person"),
    ("مرتضی میرزایی", "person"),
    ("张伟", "person"),
]


def _compared_names(screener):  # type: ignore[no-untyped-def]
    """Each of _QUERIES, prepared as a person's or an organisation's name, with each listed name it is compared
    with."""
    for text, schema in _QUERIES:
        query = Query(text, schema=schema).validated()
        for names in screener._candidate_entities(query).values():
            for name_index in names:
                facts = screener._listed(name_index)
                yield screener._prepare_query(query.name, query, facts.is_org), facts


@needs_native
def test_c_alignment_equals_python_on_the_real_lists(real_screener):
    compared = 0
    for prepared, facts in _compared_names(real_screener):
        rarity = real_screener.index.rarity_for(facts.is_org)
        listed = facts.name.prepared
        glued = prepared.glued_against(listed, rarity)
        for a, b in ((prepared, listed), (glued, listed.glued_against(glued, rarity))):
            if _no_script_rule(a, b):
                compared += 1
                assert _exactly(_align(a, b), _align_words(a, b)), (prepared, facts.name.full)
    assert compared > 500


@needs_native
def test_c_alignment_answers_by_the_word_not_the_object():
    rarity: dict[str, float] = {}
    listed = PreparedName.build(tokenize_name("Hafiz Muhammad SAEED"), rarity)
    query = PreparedName.build(tokenize_name("Hafez Mohammad Sayeed"), rarity)
    first = _align(query, listed)
    NATIVE.forget_pairs()
    # The same words as new objects: asked of the word rules afresh, and the same answer.
    fresh = PreparedName.build(tuple(t._replace() for t in query.tokens), rarity)
    assert fresh.tokens[0] is not query.tokens[0]
    assert _exactly(_align(fresh, listed), first)
    assert _exactly(first, _align_words(query, listed))
    assert first.score == compare_names(query, listed, rarity).score


@needs_native
def test_c_alignment_refuses_what_is_not_a_prepared_name():
    name = PreparedName.build(tokenize_name("Hafiz Muhammad SAEED"), {})
    fields = [name.tokens, name.weights, name.left_over_weights]
    with pytest.raises(ValueError, match="query name has 3 tokens, 2 weights"):
        NATIVE.align(name.tokens, name.weights[:2], name.left_over_weights, *fields, False)
    with pytest.raises(TypeError, match="listed name's token 1"):
        bad = (name.tokens[0], "saeed", name.tokens[2])
        NATIVE.align(*fields, bad, name.weights, name.left_over_weights, False)
    with pytest.raises(TypeError, match="float weights"):
        NATIVE.align(*fields, name.tokens, (1.0, 1, 1.0), name.left_over_weights, False)
    with pytest.raises(TypeError, match="7 arguments"):
        NATIVE.align(*fields, False)
    assert _exactly(NATIVE.align(*fields, *fields, False), _align_words(name, name))


# Any names of a few words from a small vocabulary (many ties between pairs of words), any weights: the two
# agree, exceptions included (weights a real name never has can leave nothing to divide by).
_WORDS = [
    "muhammad",
    "mohammed",
    "saeed",
    "sayeed",
    "hafiz",
    "al",
    "rahman",
    "abd",
    "khan",
    "m",
    "ali",
    "alotaibi",
]
_KINDS = [TokenKind.NAME, TokenKind.NAME, TokenKind.TITLE, TokenKind.INITIAL, TokenKind.GENERIC]
_weights = st.floats(min_value=0.0, max_value=2.0, allow_nan=False, allow_subnormal=False)


@st.composite
def _names(draw: st.DrawFn) -> PreparedName:
    tokens = tuple(
        make_token(draw(st.sampled_from(_WORDS)), draw(st.sampled_from(_KINDS)))
        for _ in range(draw(st.integers(0, 5)))
    )
    weights = tuple(draw(st.sampled_from([0.0, 0.12, 0.3, 1.0])) or draw(_weights) for _ in tokens)
    left_over = tuple(draw(st.sampled_from([w, w * 0.3, 0.0])) for w in weights)
    return PreparedName(
        tokens,
        weights,
        frozenset(t.canon for t in tokens),
        frozenset(t.key for t in tokens),
        (),
        draw(st.booleans()),
        left_over_weights=left_over,
    )


def _outcome(align, a: PreparedName, b: PreparedName) -> NameMatch | str:
    try:
        return align(a, b)
    except ZeroDivisionError as error:
        return f"ZeroDivisionError: {error}"


@needs_native
@settings(max_examples=400, deadline=None)
@given(_names(), _names())
def test_c_alignment_equals_python_on_any_names(query, listed):
    native, python = _outcome(_align, query, listed), _outcome(_align_words, query, listed)
    if isinstance(python, str):
        assert native == python
    else:
        assert _exactly(native, python)


# `_native.align` answers some pairs of words as no match without asking the word rules (`proven_unlike`):
# each of those must be a pair the rules find nothing in.
_LETTERS = "aaeeiouylldsshtkmnrbzgq"


@st.composite
def _respelled(draw: st.DrawFn) -> tuple[str, str]:
    """A word and the same word with a letter or two changed, added or dropped (alike pairs are the ones a
    wrong shortcut would miss), or another word."""
    word = draw(st.text(_LETTERS, min_size=1, max_size=9))
    other = word
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(other)))
        letter = draw(st.sampled_from(_LETTERS))
        other = draw(
            st.sampled_from([other[:at] + letter + other[at + 1 :], other[:at] + letter + other[at:]])
        )
    return word, draw(st.sampled_from([other, other, draw(st.text(_LETTERS, min_size=1, max_size=9))]))


@needs_native
@settings(max_examples=4000, deadline=None)
@given(_respelled(), st.sampled_from([TokenKind.NAME, TokenKind.NAME, TokenKind.TITLE, TokenKind.INITIAL]))
def test_pairs_the_c_alignment_settles_alone_are_no_match_by_the_rules(words, kind):
    first, second = make_token(words[0], kind), make_token(words[1], TokenKind.NAME)
    if NATIVE.unlike(first, second):
        assert _token_similarity(first, second)[0] == 0.0


@needs_native
def test_pairs_settled_alone_over_the_real_lists_are_no_match_by_the_rules(real_screener):
    settled = 0
    for prepared, facts in _compared_names(real_screener):
        for a in prepared.tokens:
            for b in facts.name.prepared.tokens:
                if NATIVE.unlike(a, b):
                    settled += 1
                    assert _token_similarity(a, b)[0] == 0.0, (a, b)
    assert settled > 200
