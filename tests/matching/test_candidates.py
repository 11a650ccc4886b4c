"""Candidate generation: how the places for full comparison are shared out."""

from __future__ import annotations

import pytest

from ctscreen.matching import Query, Screener
from ctscreen.matching.engine import CANDIDATE_NAMES
from ctscreen.matching.index import (
    NAMES_PER_ENTITY,
    TIED_LIMIT_FACTOR,
    QuerySupport,
    _pool,
    indexed_names,
    token_keys,
)
from ctscreen.matching.native import NATIVE
from ctscreen.model import Entity, Listing, Name, NameKind, Schema
from ctscreen.names import tokenize_name


def _person(ref: str, *names: str) -> Entity:
    kinds = [NameKind.PRIMARY] + [NameKind.ALIAS] * (len(names) - 1)
    return Entity(
        schema=Schema.PERSON,
        names=tuple(Name(n, kind=k) for n, k in zip(names, kinds, strict=True)),
        listing=Listing(source="user", reference=ref),
    )


def _candidate_among_namesakes(given_name: str, listed_name: str, *queries: str) -> list[bool]:
    """For each query, whether `listed_name` is a candidate among more people called `given_name` (and a
    surname of their own) than there are places."""
    crowd = [_person(f"C{i}", f"{given_name} Wardak{i}") for i in range(CANDIDATE_NAMES + 10)]
    screener = Screener.from_entities([*crowd, _person("LISTED", listed_name)])
    return ["user:LISTED" in screener.candidates(Query(query)) for query in queries]


def test_one_entity_with_many_aliases_leaves_places_for_the_others():
    crowded = _person("A", *[f"Karimullah Zadran {suffix}" for suffix in "BCDEFGHIJKLMNOPQRSTUVWXYZ"])
    others = [_person(f"O{i}", f"Karimullah Zadran Wardak{i}") for i in range(5)]
    screener = Screener.from_entities([crowded, *others])
    found = screener.candidates(Query("Karimullah Zadran"))
    assert set(found) >= {"user:A", *(f"user:O{i}" for i in range(5))}
    names = screener.index.candidate_names(
        tokenize_name("Karimullah Zadran", False),
        CANDIDATE_NAMES,
    )
    per_entity = {}
    for name_index in names:
        entity = screener.index.name_entity[name_index]
        per_entity[entity] = per_entity.get(entity, 0) + 1
    assert max(per_entity.values()) <= NAMES_PER_ENTITY


def test_names_tied_at_the_limit_are_all_compared():
    # More people listed under exactly the query's two words than there are places: all of them are found.
    same = [
        _person(f"S{i}", f"ZADRAN, Karimullah {i}", "Karimullah ZADRAN") for i in range(CANDIDATE_NAMES + 10)
    ]
    screener = Screener.from_entities(same)
    found = set(screener.candidates(Query("Karimullah Zadran")))
    assert len(found) == min(len(same), TIED_LIMIT_FACTOR * CANDIDATE_NAMES)


def test_surname_first_listing_is_a_candidate_among_many_given_name_first():
    given_first = [_person(f"G{i}", f"Karimullah Zadran Khan{i}") for i in range(CANDIDATE_NAMES + 5)]
    surname_first = _person("OFAC", "ZADRAN, Karimullah")
    screener = Screener.from_entities([*given_first, surname_first])
    assert "user:OFAC" in screener.candidates(Query("Karimullah Zadran"))


def test_words_written_apart_meet_a_listed_word_written_together_and_spelled_otherwise():
    # Persian script writes زاده apart ("kaka zadah"); the list writes KAKAZADA. Among many people sharing the
    # given name, the joined word's skeleton still brings the listed name in.
    queries = ("رحمت الله کاکا زاده", "کاکا زاده رحمت الله")
    assert _candidate_among_namesakes("Rahmatullah", "RAHMATULLAH KAKAZADA", *queries) == [True, True]


def test_a_listed_name_of_common_words_finds_its_own_entity_among_many_namesakes():
    # "Mohammad" is shared by dozens of listed people; the title-like surname is what tells them apart, and
    # OFAC's "RAUF, Hafiz Abdur" must meet "Hafiz Abdur RAUF" (the compound joins across the surname slot).
    crowd = [
        _person(f"M{i}", f"Mohammad {surname}")
        for i, surname in enumerate(
            ["KHAN", "AKBAR", "OMAR", "NABI", "RAHIM", "AMIN", "ZAHIR", "HASAN", "ISA", "YUSUF"] * 8
        )
    ]
    sayed = _person("S", "Mohammad SAYED")
    rauf = _person("R", "RAUF, Hafiz Abdur")
    screener = Screener.from_entities([*crowd, sayed, rauf])
    top = screener.screen(Query("Mohammad SAYED")).hits[0]
    assert top.entity_id == "user:S"
    assert screener.screen(Query("Hafiz Abdur Rauf")).hits[0].entity_id == "user:R"


def _organization(ref: str, *names: str) -> Entity:
    return Entity(
        schema=Schema.ORGANIZATION,
        names=tuple(
            Name(n, kind=NameKind.PRIMARY if i == 0 else NameKind.ALIAS) for i, n in enumerate(names)
        ),
        listing=Listing(source="user", reference=ref),
    )


def test_a_listed_name_of_short_and_generic_words_is_compared_when_written_as_listed():
    # No word of "M AND S TRADING" is selective enough to be keyed; written as listed, it is still compared.
    firms = [_organization(f"T{i}", f"{letter} AND S TRADING") for i, letter in enumerate("ABCDEFGHJKLM")]
    screener = Screener.from_entities([*firms, _organization("BEN", "BEN")])
    assert screener.screen(Query("M AND S TRADING", schema="organization")).hits[0].entity_id == "user:T11"
    assert "user:BEN" in screener.candidates(Query("BEN", schema="organization"))


def test_th_and_dh_are_also_keyed_as_t_and_d():
    # Arabic ث/ذ romanised th/dh or t/d: the skeleton alone keys KAWTHARANI "ksrn" and Kawtarani "ktrn".
    listed = [
        _person("K", "KAWTHARANI, Muhammad"),
        _person("D", "AL-AHMAD, Mahmud Dhiyab"),
        *[_person(f"M{i}", f"Muhammad Filler{i}") for i in range(40)],
    ]
    screener = Screener.from_entities(listed)
    assert "user:K" in screener.candidates(Query("Muhammad KAWTARANI"))
    assert "user:D" in screener.candidates(Query("Mahmoud Diab"))


def test_a_legal_form_in_brackets_is_not_another_name():
    # OFAC writes "ASIA ENERGY GENERAL TRADING (LLC)": "LLC" is no name of the firm, whereas "(TTP)" is one.
    firm = {text for text, _, _ in indexed_names(_organization("A", "ASIA ENERGY GENERAL TRADING (LLC)"))}
    assert "ASIA ENERGY GENERAL TRADING" in firm
    assert "LLC" not in firm
    ttp = {text for text, _, _ in indexed_names(_organization("T", "TEHRIK-E TALIBAN PAKISTAN (TTP)"))}
    assert "TTP" in ttp


def test_first_and_last_name_find_a_listed_name_with_middle_names_among_many_namesakes():
    # A form asks for first and last name: "Salah SALAH" for OFAC's "SALAH, Salah Abdallah Mohamed". Among
    # many shorter names holding "Salah", the first and last words side by side still bring it in.
    queries = ("Salah SALAH", "SALAH, Salah")
    assert _candidate_among_namesakes("Salah", "SALAH, Salah Abdallah Mohamed", *queries) == [True, True]


def test_first_and_last_name_spelled_otherwise_find_a_listed_name_among_many_namesakes():
    # "Natalia SMIRNOVA" for "Natalya Ivanova SMIRNOVA": both words meet by sound only, and more listed people
    # are called "Natalia" as written than there are places; the two words' sounds side by side bring it in.
    # (Smirnova is a common surname, weighed as such; the others listed make Natalia a rare given name.)
    crowd = [_person(f"C{i}", f"Natalia Petrovna Wardak{i}") for i in range(CANDIDATE_NAMES + 10)]
    others = [_person(f"O{i}", f"Karim{i} Zadran{i}") for i in range(500)]
    listed = _person("LISTED", "Natalya Ivanova SMIRNOVA")
    screener = Screener.from_entities([*crowd, *others, listed])
    assert "user:LISTED" in screener.candidates(Query("Natalia Smirnova"))
    assert "user:LISTED" in screener.candidates(Query("SMIRNOVA, Natalia"))


def test_a_town_in_sk_meets_its_russian_adjective():
    # "Челябинский" reads as the place "chelyabin" (Uralskiy = Ural); the lists write CHELYABINSK.
    [adjective] = tokenize_name("Челябинский", True)
    [town] = tokenize_name("CHELYABINSK", True)
    assert set(token_keys(adjective)) & set(token_keys(town))


def test_a_short_skeleton_shared_by_many_names_goes_to_the_names_whose_vowels_agree():
    # القاعدة reads "al qada": its skeleton, kd, is shared by more listed names than there are places
    # (OGD, GIID...). AL-QAIDA also has its vowels, and that brings it in (it had lost every place to the
    # shorter names tied with it).
    crowd = [
        Entity(
            schema=Schema.ORGANIZATION,
            names=(Name(word),),
            listing=Listing(source="user", reference=f"C{i}{word}"),
        )
        for i in range(TIED_LIMIT_FACTOR * CANDIDATE_NAMES)
        for word in ("OGD", "GIID")
    ]
    listed = Entity(
        schema=Schema.ORGANIZATION,
        names=(Name("AL-QAIDA"),),
        listing=Listing(source="user", reference="QDe.004"),
    )
    screener = Screener.from_entities([*crowd, listed])
    assert "user:QDe.004" in screener.candidates(Query("القاعدة", schema="organization"))
    assert "user:QDe.004" in screener.candidates(Query("Al Qada"))


# The choice of candidates from their support runs in numpy (`MatchIndex._select`) and, where the wheel built
# it, in C (`_native.c`): both are held to the same answers.
_BUILT = pytest.mark.skipif(NATIVE is None, reason="the C loops are built by the wheel (`make compiled`)")
SELECTORS = ["numpy", pytest.param("native", marks=_BUILT)]


def _select(index, how, groups, vowels=(), as_written=(), exact=(), threshold=1e-6, limit=CANDIDATE_NAMES):
    select = index._select if how == "numpy" else index._select_native
    return select(QuerySupport(list(groups), list(vowels), tuple(as_written), tuple(exact), threshold), limit)


def _crowd(count: int) -> Screener:
    return Screener.from_entities([_person(f"C{i}", f"Karimullah Zadran Wardak{i}") for i in range(count)])


@pytest.mark.parametrize("how", SELECTORS)
def test_names_tied_past_the_pool_are_taken_in_index_order(how):
    limit = 2
    screener = _crowd(_pool(limit) + 15)
    index = screener.index
    everyone = index.posting_slices["ckarimullah"]
    chosen = _select(index, how, [(0.5, [everyone])], limit=limit)
    # All tied: up to TIED_LIMIT_FACTOR times the limit, the first names listed.
    assert (
        chosen == sorted(index.posting_ids[everyone[0] : everyone[1]].tolist())[: TIED_LIMIT_FACTOR * limit]
    )


@pytest.mark.parametrize("how", SELECTORS)
def test_a_name_under_two_keys_of_one_group_is_counted_once(how):
    screener = _crowd(5)
    index = screener.index
    everyone = index.posting_slices["ckarimullah"]
    wardak3 = index.posting_slices["cwardak3"]
    # Wardak3 is under both keys of the first group, and alone under the second: 0.3 + 0.3, not 0.3 + 0.3 + 0.3.
    groups = [(0.3, [everyone, wardak3]), (0.3, [wardak3])]
    assert (
        _select(index, how, groups, threshold=0.6, limit=1)
        == index.posting_ids[wardak3[0] : wardak3[1]].tolist()
    )
    assert _select(index, how, groups, threshold=0.61, limit=1) == []


@pytest.mark.parametrize("how", SELECTORS)
def test_exact_names_come_first_and_count_towards_their_entity(how):
    screener = Screener.from_entities(
        [
            _person("A", "Karimullah Zadran", *[f"Karimullah Zadran {s}" for s in "BCDEF"]),
            _person("B", "Karimullah"),
        ]
    )
    index = screener.index
    everyone = index.posting_slices["ckarimullah"]
    names_of_a = index.names_of_entity[0]
    exact = (names_of_a[-1],)
    chosen = _select(index, how, [(0.5, [everyone])], exact=exact, limit=10)
    assert chosen[0] == exact[0]
    assert sum(index.name_entity[n] == 0 for n in chosen) == NAMES_PER_ENTITY
    assert index.names_of_entity[1][0] in chosen


@_BUILT
def test_native_selection_refuses_bad_input_and_stays_clean():
    screener = _crowd(5)
    index = screener.index
    everyone = index.posting_slices["ckarimullah"]
    good = _select(index, "native", [(0.5, [everyone])])
    with pytest.raises(IndexError, match="outside the postings"):
        _select(index, "native", [(0.5, [everyone]), (0.5, [(0, len(index.posting_ids) + 1)])])
    with pytest.raises(TypeError, match="a group is"):
        _select(index, "native", [0.5])
    with pytest.raises(TypeError, match="name_sizes"):
        NATIVE.select_candidates(
            index.posting_ids, index.name_sizes.astype("float64"), index.name_entity_ids, [], [], (), (),
            0.1, 1, 0.0, 0.0, 1, 1, 1,
        )  # fmt: skip
    # A posting id outside the names, met after a good group has added to the scratch.
    bad_ids = index.posting_ids.copy()
    bad_ids[everyone[1] - 1] = index.name_count + 5
    with pytest.raises(IndexError, match="a posting outside the names"):
        NATIVE.select_candidates(
            bad_ids, index.name_sizes, index.name_entity_ids, [(0.5, [everyone]), (0.5, [everyone])], [], (),
            (), 0.1, 10, 0.0, 0.0, 3, 3, 120,
        )  # fmt: skip
    # What the failed calls had added is gone: the same query gets the same answer.
    assert (
        _select(index, "native", [(0.5, [everyone])]) == good == _select(index, "numpy", [(0.5, [everyone])])
    )
