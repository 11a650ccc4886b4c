"""The learned name score: boosted trees over what the token alignment found.

`compare_names` aligns two names and records how each word matched; its hand-set formula (coverage both
ways, conflict and information discounts) is one feature here among twenty. The trees, fitted on benchmark
data by `bench/fit_name_model.py` (bench/README.md says on which half), turn those features into the
probability that the two names are the same listed name. The fitted trees are data
(`data/name_model.json`); this module only evaluates them, for every candidate of a query at once: with
numpy, or in C where the wheel built `_native.c` (the same sums bit for bit). Pure: no I/O beyond reading the
packaged model once.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

import numpy as np
from mypy_extensions import mypyc_attr
from rapidfuzz import fuzz
from rapidfuzz.distance import JaroWinkler

from ctscreen.matching.compare import NameMatch, kept_per_word, remember
from ctscreen.matching.native import NATIVE
from ctscreen.names import informative_text, is_informative, reading_order

# Cached (`compare.remember`): name_features asks it of every word left over, some seventy times per query,
# mostly the same words. One dict per reading (person, organisation), keyed by the word alone: a (word, bool)
# key would be a tuple made and hashed at every call.
_INFORMATIVE: tuple[dict[str, bool], dict[str, bool]] = ({}, {})
INFORMATIVE_KEPT = 200_000


def _is_informative(word: str, organization: bool) -> bool:
    cache = _INFORMATIVE[1 if organization else 0]
    found = cache.get(word)
    if found is None:
        found = remember(cache, word, is_informative(word, organization), INFORMATIVE_KEPT)
    return found


# A model text's words in order, as `fuzz.token_sort_ratio` sorts them at every call (a listed name's text meets
# query after query, a query's a dozen names): kept (`compare.remember`), and compared with `fuzz.ratio`.
_SORTED_WORDS: dict[str, str] = {}


def _words_sorted(text: str) -> str:
    return kept_per_word(_SORTED_WORDS, text, _sorting_words)


def _sorting_words(text: str) -> str:
    return " ".join(sorted(text.split()))


# Order matters: it is the column order of the fitted model.
FEATURES = (
    "formula_score",  # compare_names' own score
    "information",  # summed weight of the query words matched
    "exact_weight",  # weight x similarity of words matched exactly or as a listed variant
    "phonetic_weight",  # ... matched by sound (skeleton or vowel key)
    "spelling_weight",  # ... matched by spelling, initials or joined words
    "similarity_loss",  # weight x (1 - similarity) over matched words
    "unmatched_query_weight",
    "unmatched_listed_weight",
    "pairs",  # words matched
    "transliterated",  # either side written in another script
    "min_similarity",  # weakest match among words weighing >= 0.3
    "organization",  # the listed entity is not a person
    "anchor_weight",  # heaviest word matched exactly
    "weak_alias",  # the listed name is a low-quality a.k.a.
    "token_sort",  # rapidfuzz token_sort_ratio of the names' informative words (`model_texts`), 0..1
    "jaro_winkler",  # Jaro-Winkler of the same, the listed one as written or in reading order
    "query_words",  # informative words
    "listed_words",
    "unmatched_query_words",  # informative words left over: not titles, particles or legal forms
    "unmatched_listed_words",
)
# Features the score may only rise with (+1) or fall with (-1), imposed when fitting: a better alignment
# never lowers the score.
MONOTONE = {
    "formula_score": 1,
    "information": 1,
    "exact_weight": 1,
    "phonetic_weight": 1,
    "spelling_weight": 1,
    "similarity_loss": -1,
    "unmatched_query_weight": -1,
    "unmatched_listed_weight": -1,
    "min_similarity": 1,
    "anchor_weight": 1,
    "weak_alias": -1,
    "token_sort": 1,
    "jaro_winkler": 1,
    "unmatched_query_words": -1,
    "unmatched_listed_words": -1,
}
_EXACT = frozenset(("exact", "variant"))
# Above these log-odds (p ~ 0.92) the log-odds are divided by TEMPER before the logistic: the trees are sure
# of every strong match, and a score that reads 1.0 for all of them could not rank an exact name above a
# longer one that contains it ("TEHRIK-E TALIBAN PAKISTAN" vs "... JAMAAT UL AHRAR").
TEMPER_FROM = 2.5
TEMPER = 2.5


def model_texts(query: str, listed: str, organization: bool) -> tuple[str, str, str | None]:
    """What the name model reads of a query and a listed name: their informative words, folded
    (`ctscreen.names.informative_text`), and a person's listed name in reading order where that differs."""
    return (informative_text(query, organization), *listed_model_texts(listed, organization))


def listed_model_texts(listed: str, organization: bool) -> tuple[str, str | None]:
    """The listed half of `model_texts`: the same for every query, so the engine keeps it."""
    reordered = None if organization else reading_order(listed)
    return (
        informative_text(listed, organization),
        informative_text(reordered) if reordered is not None and reordered != listed else None,
    )


def name_features(
    match: NameMatch,
    query_text: str,
    listed_text: str,
    organization: bool,
    weak_alias: bool,
    listed_reading: str | None = None,
) -> list[float]:
    """One row of FEATURES for an aligned pair of names; the texts are those of `model_texts`."""
    exact = phonetic = spelling = loss = anchor = 0.0
    weakest = 1.0
    for pair in match.pairs:
        contribution = pair.weight * pair.similarity
        if pair.how in _EXACT:
            exact += contribution
            anchor = max(anchor, pair.weight)
        elif pair.how == "phonetic":
            phonetic += contribution
        else:
            spelling += contribution
        loss += pair.weight * (1.0 - pair.similarity)
        if pair.weight >= 0.3:
            weakest = min(weakest, pair.similarity)
    return [
        match.score,
        match.information,
        exact,
        phonetic,
        spelling,
        loss,
        match.unmatched_query_weight,
        match.unmatched_listed_weight,
        float(len(match.pairs)),
        float(match.transliterated),
        weakest,
        float(organization),
        anchor,
        float(weak_alias),
        fuzz.ratio(_words_sorted(query_text), _words_sorted(listed_text)) / 100.0,  # token_sort_ratio
        max(
            JaroWinkler.similarity(query_text, listed_text),
            JaroWinkler.similarity(query_text, listed_reading) if listed_reading else 0.0,
        ),
        float(query_text.count(" ") + 1 if query_text else 0),
        float(listed_text.count(" ") + 1 if listed_text else 0),
        float(sum(1 for word in match.unmatched_query if _is_informative(word, organization))),
        float(sum(1 for word in match.unmatched_listed if _is_informative(word, organization))),
    ]


@mypyc_attr(native_class=False)  # keeps a cache in its instance dict (`_doubled`)
@dataclass(frozen=True)
class NameModel:
    """Boosted regression trees flattened into one node table. A leaf points to itself, so walking every
    tree `depth` steps lands each row on a leaf whatever the tree's shape."""

    version: str
    baseline: float
    roots: np.ndarray  # node index of each tree's root
    feature: np.ndarray
    threshold: np.ndarray  # go left when x[feature] <= threshold
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray  # a leaf's contribution to the log-odds
    depth: int

    @classmethod
    def from_dict(cls, data: dict) -> NameModel:
        if tuple(data["features"]) != FEATURES:
            raise ValueError("name model: its features differ from ctscreen.matching.learned.FEATURES")
        feature: list[int] = []
        threshold: list[float] = []
        left: list[int] = []
        right: list[int] = []
        value: list[float] = []
        roots: list[int] = []
        for tree in data["trees"]:
            base = len(feature)
            roots.append(base)
            for node in tree:
                if node["leaf"]:
                    here = len(feature)
                    feature.append(0)
                    threshold.append(np.inf)
                    left.append(here)
                    right.append(here)
                    value.append(node["value"])
                else:
                    feature.append(node["feature"])
                    threshold.append(node["threshold"])
                    left.append(base + node["left"])
                    right.append(base + node["right"])
                    value.append(0.0)
        return cls(
            data["version"],
            float(data["baseline"]),
            np.array(roots, dtype=np.intp),
            np.array(feature, dtype=np.intp),
            np.array(threshold, dtype=np.float64),
            np.array(left, dtype=np.intp),
            np.array(right, dtype=np.intp),
            np.array(value, dtype=np.float64),
            int(data["depth"]),
        )

    def log_odds(self, rows: Sequence[Sequence[float]]) -> np.ndarray:
        x = np.asarray(rows, dtype=np.float64)
        if x.ndim != 2 or x.shape[1] != len(FEATURES):
            raise ValueError(f"name model: expected rows of {len(FEATURES)} features")
        # The walk runs on doubled node numbers (2 * node, see _doubled) and with take() rather than fancy
        # indexing: the same lookups in fewer and cheaper numpy calls, about a tenth of a query's time.
        # The roots are one row, broadcast against the rows' offsets in the first step.
        feature, threshold, children, value, node = self._doubled
        flat = x.ravel()
        offset = (np.arange(len(x)) * x.shape[1])[:, None]
        for _ in range(self.depth):
            go_right = flat.take(offset + feature.take(node)) > threshold.take(node)
            node = children.take(node + go_right)
        return self.baseline + np.add.reduce(value.take(node), axis=1)

    @property
    def _doubled(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The node table indexed by 2 * node (+ 1 for the right child): feature, threshold and value repeated
        twice, children[2 * node + went_right] = 2 * child, so a step needs no multiplication, and the roots."""
        found = self.__dict__.get("_doubled_cache")
        if found is None:
            children = np.empty(2 * len(self.left), dtype=np.intp)
            children[0::2], children[1::2] = 2 * self.left, 2 * self.right
            found = (
                np.repeat(self.feature, 2),
                np.repeat(self.threshold, 2),
                children,
                np.repeat(self.value, 2),
                2 * self.roots,
            )
            object.__setattr__(self, "_doubled_cache", found)
        return found

    @property
    def _native_trees(self) -> Any:
        """The node table as `_native.Trees` (checked and copied once; not pickled)."""
        found = self.__dict__.get("_native_trees_cache")
        if found is None:
            assert NATIVE is not None
            found = NATIVE.Trees(
                self.roots,
                self.feature,
                self.threshold,
                self.left,
                self.right,
                self.value,
                self.depth,
                self.baseline,
                len(FEATURES),
            )
            object.__setattr__(self, "_native_trees_cache", found)
        return found

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "_native_trees_cache"}

    def probability(self, rows: Sequence[Sequence[float]]) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.log_odds(rows)))

    def score(self, rows: Sequence[Sequence[float]]) -> list[float]:
        """The name score in [0, 1] of each row: the probability, tempered above TEMPER_FROM so strong matches
        stay graded. Monotone in the probability, so it ranks the same. The trees are walked in C where the
        wheel built `_native.c` (the same sums as `log_odds`, bit for bit), else by `log_odds`."""
        log_odds = self._native_trees.log_odds(rows) if NATIVE is not None else self.log_odds(rows).tolist()
        return [_tempered_logistic(z) for z in log_odds]


def _tempered_logistic(z: float) -> float:
    if z > TEMPER_FROM:
        z = TEMPER_FROM + (z - TEMPER_FROM) / TEMPER
    try:
        return 1.0 / (1.0 + math.exp(-z))
    except OverflowError:  # log-odds below -709: as np.exp's inf gives
        return 0.0


@cache
def default_name_model() -> NameModel:
    text = files("ctscreen.matching").joinpath("data", "name_model.json").read_text(encoding="utf-8")
    return NameModel.from_dict(json.loads(text))
