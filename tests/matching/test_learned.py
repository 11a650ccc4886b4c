"""The learned name score: the packaged trees evaluate as written, stay monotone where fitted to, and the
engine explains with them."""

from __future__ import annotations

import json
import math
import random
from importlib.resources import files

import numpy as np
import pytest

from ctscreen.matching import Query, Screener
from ctscreen.matching.learned import (
    FEATURES,
    MONOTONE,
    TEMPER_FROM,
    NameModel,
    _tempered_logistic,
    default_name_model,
)
from ctscreen.matching.native import NATIVE


def _packaged() -> dict:
    return json.loads(files("ctscreen.matching").joinpath("data", "name_model.json").read_text("utf-8"))


def _walk(trees: list[list[dict]], baseline: float, row: list[float]) -> float:
    """The plain reading of the JSON: follow each tree from its root to a leaf."""
    total = baseline
    for nodes in trees:
        node = nodes[0]
        while not node["leaf"]:
            node = nodes[node["left"] if row[node["feature"]] <= node["threshold"] else node["right"]]
        total += node["value"]
    return total


def _random_rows(n: int, seed: int = 7) -> list[list[float]]:
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        rows.append(
            [
                rng.random(),  # formula_score
                rng.uniform(0, 3),
                rng.uniform(0, 3),
                rng.uniform(0, 2),
                rng.uniform(0, 2),
                rng.uniform(0, 1),
                rng.uniform(0, 2),
                rng.uniform(0, 3),
                float(rng.randint(1, 5)),
                float(rng.random() < 0.2),
                rng.random(),
                float(rng.random() < 0.3),
                rng.uniform(0, 1),
                float(rng.random() < 0.1),
                rng.random(),
                rng.random(),
                float(rng.randint(1, 6)),
                float(rng.randint(1, 8)),
                float(rng.randint(0, 3)),
                float(rng.randint(0, 5)),
            ]
        )
    return rows


def test_packaged_model_names_the_features_in_order():
    data = _packaged()
    assert tuple(data["features"]) == FEATURES
    assert data["trees"], "a model with no trees"
    assert data["fitted"]["fit_half"] == 0


def test_vectorised_walk_equals_plain_walk():
    data = _packaged()
    model = NameModel.from_dict(data)
    rows = _random_rows(300)
    ours = model.log_odds(rows)
    plain = [_walk(data["trees"], data["baseline"], row) for row in rows]
    assert np.allclose(ours, plain, atol=1e-9)


@pytest.mark.parametrize("feature", sorted(MONOTONE))
def test_score_moves_only_the_fitted_way(feature):
    model = default_name_model()
    column = FEATURES.index(feature)
    direction = MONOTONE[feature]
    for row in _random_rows(60, seed=column):
        low, high = list(row), list(row)
        low[column] = 0.0
        high[column] = 3.0
        a, b = model.score([low, high])
        assert (b - a) * direction >= -1e-12, f"{feature}: {a} -> {b}"


def test_tempering_is_continuous_and_monotone():
    model = default_name_model()
    z = np.linspace(-10, 20, 3001)
    # score() on log-odds directly: bypass the trees by a one-leaf model with the given baseline
    scores = [
        NameModel(model.version, float(v), *_one_leaf(), depth=1).score([[0.0] * len(FEATURES)])[0] for v in z
    ]
    assert all(b >= a for a, b in zip(scores, scores[1:], strict=False))
    below = 1 / (1 + math.exp(-(TEMPER_FROM - 1e-9)))
    assert abs(scores[int((TEMPER_FROM + 10) / 0.01)] - below) < 1e-6
    assert scores[int((12 + 10) / 0.01)] < 0.999  # strong matches (log-odds ~8-12) stay graded


def _one_leaf():
    return (
        np.array([0]),
        np.array([0]),
        np.array([np.inf]),
        np.array([0]),
        np.array([0]),
        np.array([0.0]),
    )


def test_model_with_other_features_is_refused():
    data = _packaged()
    data = {**data, "features": list(FEATURES[:-1])}
    with pytest.raises(ValueError, match="features differ"):
        NameModel.from_dict(data)


def test_wrong_width_rows_are_refused():
    with pytest.raises(ValueError, match="features"):
        default_name_model().log_odds([[0.0, 1.0]])


@pytest.mark.realdata
def test_hit_explains_the_model_inputs(real_entities):
    screener = Screener.from_entities(real_entities)
    [hit, *_] = screener.screen(Query("Tehrik-i-Taliban Pakistan", schema="organization")).hits
    model = hit.to_dict()["explanation"]["name"]["model"]
    assert list(model["features"]) == list(FEATURES)
    assert model["name_score"] * 0.93 == pytest.approx(hit.score, abs=1e-3)
    # Every input a float, a name with nothing left over included: the JSON reads 0.0, not 0, from the
    # Python sources and the compiled build alike.
    assert not hit.name_match.unmatched_query and not hit.name_match.unmatched_listed
    assert all(type(value) is float for value in model["features"].values()), model["features"]


@pytest.mark.realdata
def test_formula_only_screener_scores_by_the_alignment(real_entities):
    formula = Screener.from_entities(real_entities, name_model=None)
    [hit, *_] = formula.screen(Query("Bank Melli Iran", schema="organization")).hits
    assert hit.name_match is not None
    assert hit.score == pytest.approx(0.93 * hit.name_match.score, abs=1e-3)
    assert "model" not in hit.to_dict()["explanation"]["name"]


@pytest.mark.realdata
def test_model_keeps_other_banks_of_a_country_apart(real_screener):
    # "BANK SADERAT IRAN" shares two of the three words of "Bank Melli Iran"; it must not alert for it.
    hits = real_screener.screen(Query("Bank Melli Iran", schema="organization"), "kyc").hits
    alerting = {h.name for h in hits if h.alert}
    assert "BANK MELLI IRAN" in alerting
    assert not any("SADERAT" in name or "KESHAVARZI" in name for name in alerting)


@pytest.mark.realdata
def test_exact_listed_name_ranks_above_a_longer_one(real_screener):
    # "AL KAWTHAR" is listed by OFAC as such and by the UK as "AL KAWTHAR CO."; the exact one comes first.
    hits = real_screener.screen(Query("AL KAWTHAR", schema="organization")).hits
    assert hits[0].matched_name == "AL KAWTHAR"
    assert hits[0].score > next(h.score for h in hits if h.matched_name != "AL KAWTHAR")


@pytest.mark.realdata
def test_acronym_alone_is_scored_by_the_alignment(real_screener):
    hits = real_screener.screen(Query("TTP", schema="organization")).hits
    assert "un:QDe.132" in {h.entity_id for h in hits}
    ttp = next(h for h in hits if h.entity_id == "un:QDe.132")
    assert ttp.name_model is None  # the trees never saw an acronym


@pytest.mark.realdata
@pytest.mark.parametrize(("query", "acronym"), [("Huff PLC", "HUF"), ("Speer", "SPIR"), ("Raid PLC", "RAD")])
def test_an_acronym_is_matched_by_its_letters_only(real_screener, query, acronym):
    # HORMOZ UREA FERTILIZER COMPANY is "HUF", SPECIAL PURPOSE ISLAMIC REGIMENT "SPIR": a firm named Huff or
    # Speer sounds like them and is neither.
    hits = real_screener.screen(Query(query, schema="organization"), "border").hits
    assert acronym not in {h.matched_name for h in hits}
    spelled = real_screener.screen(Query(acronym, schema="organization"), "border").hits
    assert acronym in {h.matched_name for h in spelled}


@pytest.mark.realdata
def test_a_name_of_legal_words_only_finds_its_entity(real_screener):
    # UK lists the Abu Nidal Organisation's acronym "ANO", which is also a Russian legal form (autonomous
    # non-profit organisation), and NASERIN VAHID as "N.V. CO": read as legal forms, they had no name at all.
    for query, entity_id in (("ANO", "uk-ofsi:6933"), ("N.V. CO", "uk-ofsi:11240")):
        hits = real_screener.screen(Query(query, schema="organization")).hits
        assert hits and hits[0].entity_id == entity_id
        assert hits[0].alert


@pytest.mark.realdata
def test_an_acronym_of_two_words_is_matched_when_written_alone(real_screener):
    # "... GREATER SAHARA (ISIS-GS)": the query "ISIS-GS" is the acronym and nothing else, though two words.
    hits = real_screener.screen(Query("ISIS-GS", schema="organization")).hits
    assert hits[0].matched_name == "ISIS-GS" and hits[0].alert
    assert "ISIS-GS" not in {h.matched_name for h in real_screener.screen(Query("ISIS GS Trading Ltd")).hits}


@pytest.mark.realdata
def test_a_firms_short_word_weighs_as_rare_as_the_lists_make_it(real_screener):
    # OFAC's "OSK AO" (United Shipbuilding Corporation): "OSK" is an acronym, not a short given name that many
    # people outside the lists share; written with another legal form, the firm still alerts.
    hits = real_screener.screen(Query("OSK OAO", schema="organization")).hits
    assert hits[0].entity_id == "ofac-sdn:16886" and hits[0].alert


@pytest.mark.realdata
def test_a_one_word_name_as_listed_ranks_above_a_romanised_name_with_a_word_left_over(real_screener):
    # UK lists "TSARGRAD" (an alias of TSARGRAD OOO) and "Общество Царьград" (Tsargrad Society, another
    # entity): the name written as the query, and nothing else, comes first.
    hits = real_screener.screen(Query("TSARGRAD", schema="organization")).hits
    assert hits[0].matched_name == "TSARGRAD"


@pytest.mark.skipif(NATIVE is None, reason="the C loops are built by the wheel (`make compiled`)")
def test_native_walk_sums_as_numpy_does_bit_for_bit():
    model = default_name_model()
    rows = _random_rows(2000, seed=7)
    nodes = (model.roots, model.feature, model.threshold, model.left, model.right, model.value)
    trees = NATIVE.Trees(*nodes, model.depth, model.baseline, len(FEATURES))
    assert trees.log_odds(rows) == model.log_odds(rows).tolist()  # equal floats, not close ones
    assert model.score(rows) == [_tempered_logistic(z) for z in model.log_odds(rows).tolist()]
    with pytest.raises(ValueError, match="expected rows of 20 features, got 2"):
        trees.log_odds([[0.0, 1.0]])
    with pytest.raises(TypeError, match="threshold"):
        NATIVE.Trees(*nodes[:2], nodes[2].astype("float32"), *nodes[3:], 1, 0.0, len(FEATURES))
    bad_left = nodes[3].copy()
    bad_left[5] = len(bad_left)
    with pytest.raises(ValueError, match="outside the arrays"):
        NATIVE.Trees(*nodes[:3], bad_left, *nodes[4:], model.depth, model.baseline, len(FEATURES))
    with pytest.raises(ValueError, match="outside the arrays"):  # a feature the rows do not have
        NATIVE.Trees(*nodes, model.depth, model.baseline, 3)


def test_the_model_is_told_which_names_are_weak_aliases():
    # One entity holds the query's name as a weak alias, another as its primary name: each name's own kind
    # reaches the model, whichever was compared last.
    from ctscreen.model import Entity, Listing, Name, NameKind, Schema

    def person(ref: str, *names: Name) -> Entity:
        return Entity(schema=Schema.PERSON, names=names, listing=Listing(source="user", reference=ref))

    for order in (1, -1):
        entities = [
            person("WEAK", Name("Kasim OZTAS"), Name("DZTAS, Kasim", kind=NameKind.WEAK)),
            person("STRONG", Name("Kasim DZTAS")),
        ][::order]
        hits = {h.ref: h for h in Screener.from_entities(entities).screen(Query("Kasim Dztas")).hits}
        assert hits["WEAK"].name_model["features"]["weak_alias"] == 1.0
        assert hits["STRONG"].name_model["features"]["weak_alias"] == 0.0


def test_token_sort_of_kept_sorted_words_is_rapidfuzz_token_sort_ratio(real_screener):
    # name_features compares the words sorted once (`_words_sorted`) with fuzz.ratio: the same number as
    # fuzz.token_sort_ratio, over the real lists' model texts against queries of several kinds.
    from rapidfuzz import fuzz

    from ctscreen.matching.learned import _words_sorted

    listed = [real_screener._listed(i).model_texts[0] for i in range(0, real_screener.index.name_count, 97)]
    queries = ["hafiz muhammad saeed", "saeed hafiz", "islamic state khorasan", "ali", "zvezda", "al qaida"]
    queries += listed[::41]
    compared = 0
    for query in queries:
        for text in listed:
            assert fuzz.ratio(_words_sorted(query), _words_sorted(text)) == fuzz.token_sort_ratio(query, text)
            compared += 1
    assert compared > 3000
