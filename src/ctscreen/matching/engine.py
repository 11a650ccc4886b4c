"""Screen one query against the index: candidates, comparison, evidence, ranked and explained hits.

Pure: the same query, index and profile give the same hits on any machine. Loading list versions from the
store and caching the built index on disk happen outside (`ctscreen.screening`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib.resources import files
from typing import Any, NamedTuple, cast

from mypy_extensions import mypyc_attr

from ctscreen.matching.compare import NameMatch, PreparedName, compare_names, rounded
from ctscreen.matching.countries import country_code
from ctscreen.matching.evidence import (
    IDENTIFIER_FLOOR,
    Adjustment,
    compare_country,
    compare_dob,
    compare_gender,
    normalize_identifier,
    parse_query_date,
)
from ctscreen.matching.index import IndexedEntity, IndexedName, MatchIndex
from ctscreen.matching.learned import (
    FEATURES,
    NameModel,
    default_name_model,
    listed_model_texts,
    name_features,
)
from ctscreen.matching.profiles import Profile, get_profile
from ctscreen.model import Entity, NameKind, Schema
from ctscreen.names import (
    ABJADS,
    TokenKind,
    detect_script,
    family_of,
    french_reading,
    informative_text,
    script_words,
    slavic_reading,
    tokenize_name,
    without_own_acronym,
)

ENGINE_VERSION = "1.9.0"
NAME_SHARE = 0.93  # an exact name alone scores this; agreeing evidence adds the rest
MAX_NAME_LENGTH = 500
CANDIDATE_NAMES = 18  # names compared in full per query (docs/matching.md §2: 20 found no more at the kyc threshold, ~10 % slower)
# Names whose alignment scores below this keep that score: on the benchmark sets none of them scored above
# 0.58 by the learned model either, under every profile's report floor, and skipping them saves its time.
MODEL_GATE = 0.3
# A Chinese query whose family name meets another listed word, or with a syllable left over (engine 1.6.0).
CHINESE_NAME_CONFLICT_FACTOR = 0.7
COMPLETE_BONUS = 0.01  # name score added to a name matched word for word with nothing left over
# The least name score of an Arabic-script query matched word for word, nothing left over, each word closely
# (0.8 or more) and as a way to write its letters (`_complete_by_letters`): the trees read the guessed vowels'
# spelling ("maratazi mirazaii" for Morteza MIRZAI) and scored such names 0.35 to 0.65. None of the
# benchmark's 20,000 innocents is matched so (engine 1.8.2).
LETTERS_COMPLETE_FLOOR = 0.8
SCHEMAS = ("person", "organization", "vessel", "aircraft")
GENDERS = {"m": "male", "male": "male", "f": "female", "female": "female"}


class QueryError(ValueError):
    """A query field that cannot be used; the message names the field."""


# The query and result objects stay Python classes when the core is compiled (setup.py): callers pickle,
# copy and inspect them, and `_CheckedQuery`'s cached properties need an instance dict.
@mypyc_attr(native_class=False)
@dataclass(frozen=True)
class Query:
    name: str
    schema: str | None = None  # person | organization | vessel | aircraft | None (any)
    dob: str | None = None
    country: str | None = None
    gender: str | None = None
    id_number: str | None = None

    def validated(self) -> _CheckedQuery:
        name = (self.name or "").strip()
        if not name:
            raise QueryError("name: empty")
        if len(name) > MAX_NAME_LENGTH:
            raise QueryError(f"name: {len(name)} characters, more than the {MAX_NAME_LENGTH} allowed")
        schema = (self.schema or "").strip().lower() or None
        if schema in ("any", "unknown"):
            schema = None
        if schema in ("organisation", "entity", "company"):
            schema = "organization"
        if schema is not None and schema not in SCHEMAS:
            raise QueryError(f"type: {self.schema!r} is not one of {', '.join(SCHEMAS)} or any")
        try:
            dob = parse_query_date(self.dob) if self.dob and self.dob.strip() else None
        except ValueError as exc:
            raise QueryError(f"dob: {exc}") from None
        country = None
        if self.country and self.country.strip():
            country = country_code(self.country)
            if country is None:
                raise QueryError(f"country: {self.country!r} is not a country name or ISO code")
        gender = None
        if self.gender and self.gender.strip():
            gender = GENDERS.get(self.gender.strip().lower())
            if gender is None:
                raise QueryError(f"gender: {self.gender!r} is not male/female (m/f)")
        identifier = normalize_identifier(self.id_number) if self.id_number else None
        return _CheckedQuery(self, name, schema, dob, country, gender, identifier or None)


@mypyc_attr(native_class=False)
@dataclass(frozen=True)
class _CheckedQuery:
    raw: Query
    name: str
    schema: str | None
    dob: tuple[int, int | None, int | None] | None
    country: str | None
    gender: str | None
    identifier: str | None

    @cached_property
    def transliterated(self) -> bool:
        """Written in another script than Latin: its words can only resemble the listed romanisations."""
        return detect_script(self.name) not in (None, "Latn")

    @cached_property
    def vowels_guessed(self) -> bool:
        """Written in a script without short vowels: the romanisation's vowels are guesses."""
        return detect_script(self.name) in ABJADS

    @cached_property
    def syllabic(self) -> bool:
        """Written in Han characters: each word of the romanisation is one Chinese syllable."""
        return detect_script(self.name) == "Hani"

    @cached_property
    def readings(self) -> tuple[str, ...]:
        """Other readings of the name, sought and compared as well as the name as written (the best alignment
        counts): without an acronym of its own words in brackets ("RUSSIAN VENTURE COMPANY (RVK)"), which the
        listed name may lack; a Central European, German or French transliteration read as the lists' English
        one ("Jevgenij Prigožin", "Jewgeni Prigoschin", "Evgueni Prigojine" = Yevgeniy Prigozhin)."""
        # French spells English words too (group, house): an organisation's name is not read as French.
        french = french_reading(self.name) if self.schema != "organization" else None
        candidates = [
            r
            for r in (without_own_acronym(self.name), slavic_reading(self.name), french)
            if r and r != self.name
        ]
        if not candidates:
            return ()  # most names
        as_written = [t.canon for t in tokenize_name(self.name, False)]
        found: list[str] = []
        for reading in candidates:
            # A reading whose words are the same names (Mahmoud, Mahmud) would align the same.
            if reading not in found and [t.canon for t in tokenize_name(reading)] != as_written:
                found.append(reading)
        return tuple(found)

    @cached_property
    def script(self) -> str | None:
        return detect_script(self.name)

    @cached_property
    def family_syllable(self) -> str | None:
        """A Chinese name's family name, its first character, as romanised (张伟 -> "zhang")."""
        if not self.syllabic:
            return None
        tokens = tokenize_name(self.name, False)
        return tokens[0].text if tokens else None


@mypyc_attr(native_class=False)
@dataclass(frozen=True)
class Hit:
    entity_id: str
    source: str
    ref: str
    schema: str
    name: str  # the listed primary name
    matched_name: str  # the listed name or alias that matched
    matched_kind: str
    score: float
    alert: bool
    name_match: NameMatch | None
    adjustments: tuple[Adjustment, ...]
    name_model: dict[str, Any] | None = None  # the learned score's inputs and output, for the explanation
    read_as: str | None = None  # the query read otherwise to match (`_CheckedQuery.readings`)

    def _name_explanation(self) -> dict[str, Any] | None:
        if self.name_match is None:
            return None
        explained = self.name_match.explain()
        if self.read_as is not None:
            explained["read_as"] = self.read_as
        if self.name_model is not None:
            explained["model"] = self.name_model
        return explained

    def to_dict(self) -> dict[str, Any]:
        """The public hit shape (docs/screening-json.md)."""
        return {
            "source": self.source,
            "ref": self.ref,
            "entity_id": self.entity_id,
            "schema": self.schema,
            "name": self.name,
            "matched_name": self.matched_name,
            "score": self.score,
            "alert": self.alert,
            "explanation": {
                "matched_name_kind": self.matched_kind,
                "name": self._name_explanation(),
                "evidence": [a.explain() for a in self.adjustments],
            },
        }


@mypyc_attr(native_class=False)
@dataclass(frozen=True)
class ScreeningResult:
    query: Query
    hits: list[Hit]
    profile: Profile
    list_versions: dict[str, int] = field(default_factory=dict)

    @property
    def alert(self) -> bool:
        return any(h.alert for h in self.hits)

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": {k: v for k, v in self.query.__dict__.items() if v is not None},
            "alert": self.alert,
            "hits": [h.to_dict() for h in self.hits],
            "profile": self.profile.name,
            "threshold": self.profile.threshold,
            "engine_version": ENGINE_VERSION,
            "list_versions": self.list_versions,
        }


@cache
def common_tokens() -> frozenset[str]:
    text = files("ctscreen.names").joinpath("data", "common_tokens.txt").read_text(encoding="utf-8")
    words = (w for line in text.splitlines() if not line.startswith("#") for w in line.split())
    return frozenset(family_of(w) for w in words)


_DEFAULT_MODEL = object()


# Plain globals: compiled, an enum member looked up on its class costs ~0.1 us (as in compare.py).
_WEAK = NameKind.WEAK
_PERSON = Schema.PERSON


class _NameScore:
    """An entity's best-scoring name (`Screener._name_scores`). A plain class: compiled, a dataclass's
    generated __init__ stays Python, and ~15 are made per query."""

    def __init__(
        self,
        score: float,
        formula: float,  # compare_names' own score: breaks ties between equal model scores
        match: NameMatch,
        listed: IndexedName,
        features: list[float] | None,  # the name model's inputs, None when scored by the formula
        notes: tuple[Adjustment, ...] = (),  # factors of the name's own, applied with the evidence (`_hit`)
        ranked: float = 0.0,  # the score with those factors: the entity's best name is chosen by it
        read_as: str | None = None,  # the query's other reading that matched, where not the name as written
        letters_floor: bool = False,  # the score is LETTERS_COMPLETE_FLOOR, above the trees' own
    ) -> None:
        self.score = score
        self.formula = formula
        self.match = match
        self.listed = listed
        self.features = features
        self.notes = notes
        self.ranked = ranked
        self.read_as = read_as
        self.letters_floor = letters_floor


def _has_word(name: PreparedName) -> bool:
    return any(t.kind is TokenKind.NAME and len(t.canon) >= 3 for t in name.tokens)


class _Listed(NamedTuple):
    """What screening asks of one listed name at every query, worked out once per name (`Screener._listed`)."""

    name: IndexedName
    is_org: bool
    acronym: bool  # "TTP": stands for the group only when a query is that acronym and nothing else
    formula_only: bool  # an acronym or a name without a real word ("P-561"): nothing like what the model saw
    script: str | None  # the script of a name listed in its original script; None for a romanised name
    model_texts: tuple[str, str | None]  # the name as the name model reads it (`listed_model_texts`)


def _rounded(score: float) -> float:
    """A hit's score as reported: clipped to [0, 1], four decimals."""
    return round(min(max(score, 0.0), 1.0), 4)


def _below(score: float, floor: float) -> bool:
    """`_rounded(score) < floor`, rounding only near the floor: four decimals move a score by at most 0.00005
    (round() with digits is a decimal conversion, ~0.3 us, and most candidates are far from the floor)."""
    if score >= floor + 1e-4:
        return False
    if score < floor - 1e-4:
        return True
    return _rounded(score) < floor


def _complete(match: NameMatch) -> bool:
    """Every word on both sides matched exactly or as a listed spelling variant."""
    return (
        not match.unmatched_query
        and not match.unmatched_listed
        and all(p.how in ("exact", "variant") for p in match.pairs)
    )


def _complete_by_letters(match: NameMatch, query: PreparedName) -> bool:
    """Every word on both sides matched, and each query word not matched exactly matched at 0.8 or more and
    as a way to write its Arabic-script letters (`PreparedName.script_words`, joins included)."""
    script_words = query.script_words
    return (
        script_words is not None
        and not match.unmatched_query
        and not match.unmatched_listed
        and all(
            p.how in ("exact", "variant") or (p.similarity >= 0.8 and p.query in script_words)
            for p in match.pairs
        )
    )


def _complete_bonus(match: NameMatch) -> float:
    """Twice the bonus for a name written as listed letter for letter (a one-word name: TSARGRAD must rank above
    "Общество Царьград", Tsargrad Society, which the trees favour for its romanisation)."""
    return 2 * COMPLETE_BONUS if _as_written(match) else COMPLETE_BONUS


def _chinese_name_conflicts(family: str, listed_full: str, match: NameMatch) -> list[Adjustment]:
    """A Chinese name written in characters is whole, family name first. A list that writes "SURNAME, Given"
    (OFAC) or "Given SURNAME" (UK) says which word is the family name: when the query's does not meet it, the
    romanisations agree by chance (金宇, Jin Yu, is not YU, Jin; 程宇, Cheng Yu, is not LI, Cheng Yu). And a
    syllable left over on either side is another given name (李成, Li Cheng, is not Li Cheng He)."""
    out = []
    surname = _listed_surname(listed_full)
    if surname:
        listed_family = {t.text for t in tokenize_name(surname, False)}
        if not any(p.query == family and p.listed in listed_family for p in match.pairs):
            out.append(
                Adjustment(
                    "family_name",
                    "factor",
                    CHINESE_NAME_CONFLICT_FACTOR,
                    f"the query's family name {family!r} (its first character) is not the listed {surname!r}",
                )
            )
    left_over = [*match.unmatched_query, *match.unmatched_listed]
    if left_over:
        out.append(
            Adjustment(
                "given_name",
                "factor",
                CHINESE_NAME_CONFLICT_FACTOR,
                f"a Chinese name written in characters is whole: {', '.join(left_over)!r} left over",
            )
        )
    return out


def _listed_surname(listed_full: str) -> str | None:
    """The family name where the list's writing marks it: before the comma, or the words in capitals among
    words that are not."""
    surname, comma, _ = listed_full.partition(",")
    if comma:
        return surname
    words = listed_full.split()
    capitals = [w for w in words if w.isupper() and len(w) > 1]
    if capitals and len(capitals) < len(words) and any(w[:1].isupper() and not w.isupper() for w in words):
        return " ".join(capitals)
    return None


# Two names in the same script other than Latin are compared through one romanisation, which has no
# variants of its own: words that romanise differently are written differently (دادفر, Dadfar, is not
# دادرس, Dadras). Only their spelling families (Олександр, Александр) are the same name.
SAME_SCRIPT_RESPELLED_FACTOR = 0.75
_RESPELLED = Adjustment(
    "name",
    "factor",
    SAME_SCRIPT_RESPELLED_FACTOR,
    "written in the listed name's own script, with words spelled otherwise",
)


def _respelled(match: NameMatch) -> bool:
    return any(p.how not in ("exact", "variant") for p in match.pairs)


def _as_written(match: NameMatch) -> bool:
    """Every word on both sides matched letter for letter."""
    return (
        not match.unmatched_query
        and not match.unmatched_listed
        and all(p.how == "exact" for p in match.pairs)
    )


def _as_listed(match: NameMatch) -> bool:
    """Two or more words, each written as listed (one short word alone is left to the model: "BEN", "AAB")."""
    return len(match.pairs) >= 2 and all(p.how == "exact" for p in match.pairs)


@mypyc_attr(native_class=False)  # the text and message screeners cache per Screener by weak reference
class Screener:
    """Screens queries against one set of list versions. Build with `from_entities` (or load with
    `ctscreen.screening.load_screener`), then call `screen`; safe to share between threads.

    `name_model` scores each aligned name pair (`ctscreen.matching.learned`); None scores by the alignment's
    own formula, as `bench/fit_name_model.py` does when it gathers the model's training rows."""

    def __init__(
        self,
        index: MatchIndex,
        list_versions: dict[str, int] | None = None,
        name_model: NameModel | None | object = _DEFAULT_MODEL,
    ) -> None:
        self.index = index
        self.list_versions = dict(list_versions or {})
        self.name_model: NameModel | None = (
            default_name_model() if name_model is _DEFAULT_MODEL else name_model  # type: ignore[assignment]
        )
        # Per listed name, filled at its first comparison (or all at once by `warm`).
        self._listed_names: list[_Listed | None] = [None] * index.name_count

    @classmethod
    def from_entities(
        cls,
        entities: Iterable[Entity],
        list_versions: dict[str, int] | None = None,
        name_model: NameModel | None | object = _DEFAULT_MODEL,
    ) -> Screener:
        return cls(MatchIndex(list(entities), common_tokens()), list_versions, name_model)

    @staticmethod
    def profile(name: str = "kyc") -> Profile:
        return get_profile(name)

    def warm(self) -> Screener:
        """Prepare every listed name for comparison (about 2 s over the UN, OFAC and UK lists). Otherwise each
        is prepared at its first comparison, and a long-running service or a batch answers its first
        thousands of queries about a third slower. Worth it before serving or forking batch workers; not for
        one query from the command line."""
        self.index.prepare_all()
        for name_index in range(self.index.name_count):
            self._listed(name_index)
        return self

    def _listed(self, name_index: int) -> _Listed:
        found = self._listed_names[name_index]
        if found is None:
            listed = self.index.name(name_index)
            acronym = name_index in self.index.acronym_names
            is_org = self.index.entities[listed.entity].schema is not Schema.PERSON
            script = detect_script(listed.full) if listed.kind is NameKind.ORIGINAL_SCRIPT else None
            found = self._listed_names[name_index] = _Listed(
                listed,
                is_org,
                acronym,
                acronym or not _has_word(listed.prepared),
                script,
                listed_model_texts(listed.full, is_org),
            )
        return found

    def candidates(self, query: Query) -> list[str]:
        """Entity ids retrieved for full comparison, before scoring (for measuring candidate recall)."""
        return [self.index.entities[i].entity_id for i in self._candidate_entities(query.validated())]

    def _candidate_entities(self, query: _CheckedQuery) -> dict[int, list[int]]:
        """Candidate entities, each with the candidate names through which it was found."""
        is_org = query.schema not in (None, "person")
        found: dict[int, list[int]] = {}
        index = self.index
        name_entity = index.name_entity  # locals: attributes of Python classes, looked up per name otherwise
        for text in (query.name, *query.readings):
            tokens = tokenize_name(text, is_org)
            for name_index in index.candidate_names(tokens, CANDIDATE_NAMES, query.transliterated, is_org):
                names = found.setdefault(name_entity[name_index], [])
                if name_index not in names:
                    names.append(name_index)
        if query.identifier:
            for entity_index in self.index.identifier_postings.get(query.identifier, ()):
                found.setdefault(entity_index, list(self.index.names_of_entity[entity_index]))
        return found

    def screen(
        self,
        query: Query,
        profile: str | Profile = "kyc",
        *,
        limit: int | None = None,
        threshold: float | None = None,
    ) -> ScreeningResult:
        chosen = get_profile(profile) if isinstance(profile, str) else profile
        chosen = chosen.with_threshold(threshold)
        checked = query.validated()
        candidates = self._candidate_entities(checked)
        best = self._name_scores(checked, candidates, chosen)
        # Without a date, country, gender or identifier in the query the only evidence is the type check, which
        # can only lower a score: an entity whose name alone scores under the report floor is dropped here,
        # before its evidence is worked out (most candidates, every query).
        name_floor = (
            chosen.report_floor
            if chosen.type_mismatch_factor <= 1
            and not (checked.identifier or checked.dob or checked.country or checked.gender)
            else None
        )
        hits = []
        for entity_index in candidates:
            named = best.get(entity_index)
            if name_floor is not None and _below(NAME_SHARE * named.score if named else 0.0, name_floor):
                continue
            hit = self._hit(checked, entity_index, named, chosen)
            if hit is not None:
                hits.append(hit)
        hits.sort(key=lambda h: (-h.score, -(h.name_match.score if h.name_match else 0.0), h.entity_id))
        return ScreeningResult(query, hits[: limit or chosen.limit], chosen, self.list_versions)

    def _name_scores(
        self, query: _CheckedQuery, candidates: dict[int, list[int]], profile: Profile
    ) -> dict[int, _NameScore]:
        """Each candidate entity's best-scoring name: aligned word by word, then scored by the name model."""
        # The query as a person's name and as an organisation's, each prepared when a candidate first needs it.
        prepared: dict[bool, PreparedName] = {}
        compared: dict[int, NameMatch] = {}  # by the listed PreparedName's id: the same name on several lists
        aligned: list[tuple[int, _Listed, NameMatch]] = []
        formula_only: set[int] = set()  # positions in `aligned` the model does not score
        respelled: set[int] = set()  # positions of names in the query's own script, spelled otherwise
        # The query's other readings (`_CheckedQuery.readings`), where it has any: each aligned and scored by the
        # model as well, and the best counts. Positions in `aligned` of a reading's alignment -> which (from 1).
        has_readings = bool(query.readings)
        prepared_readings: dict[bool, tuple[PreparedName, ...]] = {}
        compared_readings: dict[int, tuple[NameMatch, ...]] = {}
        aligned_reading: dict[int, int] = {}
        listed_names = self._listed_names
        for entity_index, name_indexes in candidates.items():
            for name_index in name_indexes:
                facts = listed_names[name_index] or self._listed(name_index)
                is_org = facts.is_org
                query_name = prepared.get(is_org)
                if query_name is None:
                    query_name = prepared[is_org] = self._prepare_query(query.name, query, is_org)
                    if has_readings:
                        prepared_readings[is_org] = tuple(
                            self._prepare_query(text, query, is_org) for text in query.readings
                        )
                if facts.acronym and len(query_name.tokens) != len(facts.name.prepared.tokens):
                    continue  # "TTP" stands for the group only when it stands alone, not inside "Ttp Smith"
                listed = facts.name
                # One PreparedName per distinct name and kind in the index, so its id is the name's key.
                key = id(listed.prepared)
                match = compared.get(key)
                if match is None:
                    match = compared[key] = compare_names(
                        query_name, listed.prepared, self.index.rarity_for(is_org)
                    )
                    if has_readings:
                        compared_readings[key] = tuple(
                            compare_names(reading, listed.prepared, self.index.rarity_for(is_org))
                            for reading in prepared_readings[is_org]
                        )
                # (Indexed, not enumerated: compiled, a loop over a range runs in C.)
                matches = [match, *compared_readings[key]] if has_readings else [match]
                for place in range(len(matches)):
                    match = matches[place]
                    if facts.acronym and not _as_written(match):
                        continue  # an acronym is its letters: "Huff" is not HUF, nor "Raid" RAD
                    if match.pairs:
                        if facts.formula_only:
                            formula_only.add(len(aligned))
                        if facts.script is not None and facts.script == query.script and _respelled(match):
                            respelled.add(len(aligned))
                        if place:
                            aligned_reading[len(aligned)] = place
                        aligned.append((entity_index, facts, match))
        if not aligned:
            return {}
        rows: list[list[float] | None] = [None] * len(aligned)
        lifted: set[int] = set()  # positions whose score LETTERS_COMPLETE_FLOOR raised
        scores = [match.score for _, _, match in aligned]
        if self.name_model is not None:
            # The query's text for the model as a person's and as an organisation's name, when first needed.
            query_texts: dict[object, str] = {}  # by is_org, and by reading where the query has readings
            modelled = [
                i
                for i, (_, _, match) in enumerate(aligned)
                if match.score >= MODEL_GATE and i not in formula_only
            ]
            for i in modelled:
                _, facts, match = aligned[i]
                is_org = facts.is_org
                listed_text, listed_reading = facts.model_texts
                text_key = (is_org, aligned_reading.get(i, 0)) if has_readings else is_org
                query_text = query_texts.get(text_key)
                if query_text is None:
                    place = aligned_reading.get(i, 0)
                    text = query.readings[place - 1] if place else query.name
                    query_text = query_texts[text_key] = informative_text(text, is_org)
                rows[i] = name_features(
                    match,
                    query_text,
                    listed_text,
                    is_org,
                    facts.name.kind is _WEAK,
                    listed_reading,
                )
            if modelled:
                model_scores = self.name_model.score([cast(list[float], rows[i]) for i in modelled])
                for k in range(len(modelled)):
                    i, score = modelled[k], model_scores[k]
                    # A name matched word for word, nothing left over, scores at least its alignment and a little
                    # more: an exact listed name ranks above a near one and is reported even when its words are
                    # common. Written exactly as listed, it scores the most a name can, and more than any other
                    # spelling of it (read otherwise, the query is not written as listed).
                    match = aligned[i][2]
                    if _complete(match):
                        score = (
                            1.0
                            if _as_listed(match) and not (has_readings and i in aligned_reading)
                            else min(
                                1.0 - COMPLETE_BONUS, max(float(score), match.score) + _complete_bonus(match)
                            )
                        )
                    elif (
                        query.vowels_guessed
                        and score < LETTERS_COMPLETE_FLOOR
                        and _complete_by_letters(match, prepared[aligned[i][1].is_org])
                    ):
                        score = LETTERS_COMPLETE_FLOOR
                        lifted.add(i)
                    scores[i] = float(score)
        best: dict[int, _NameScore] = {}
        for i in range(len(aligned)):
            entity_index, facts, match = aligned[i]
            score, listed = scores[i], facts.name
            if listed.kind is _WEAK:
                score *= profile.weak_alias_factor
            # A factor of the name's own (in `notes`, applied with the evidence) counts in choosing it.
            notes = (_RESPELLED,) if i in respelled else ()
            ranked = score * _RESPELLED.value if notes else score
            current = best.get(entity_index)
            if (
                current is None
                or ranked > current.ranked
                or (ranked == current.ranked and match.score > current.formula)
            ):
                reading = aligned_reading.get(i) if has_readings else None
                read_as = query.readings[reading - 1] if reading else None
                best[entity_index] = _NameScore(
                    score, match.score, match, listed, rows[i], notes, ranked, read_as, i in lifted
                )
        return best

    def _prepare_query(self, name: str, query: _CheckedQuery, is_org: bool) -> PreparedName:
        """The query's `name` prepared for comparison with a person's or an organisation's names."""
        prepared = PreparedName.build(
            tokenize_name(name, is_org),
            self.index.rarity_for(is_org),
            query.transliterated,
            query.syllabic,
            query.vowels_guessed,
            script_words(name) if query.vowels_guessed else None,
        )
        return prepared

    def _hit(
        self, query: _CheckedQuery, entity_index: int, named: _NameScore | None, profile: Profile
    ) -> Hit | None:
        entity = self.index.entities[entity_index]
        score = NAME_SHARE * named.score if named else 0.0
        adjustments = self._evidence(query, entity, profile)
        if named is not None and named.notes:
            adjustments[:0] = named.notes
        if named is not None and query.family_syllable and entity.schema is _PERSON:
            adjustments.extend(_chinese_name_conflicts(query.family_syllable, named.listed.full, named.match))
        for adjustment in adjustments:
            if adjustment.effect == "bonus":
                score += adjustment.value if score > 0 else 0.0
            elif adjustment.effect == "factor":
                score *= adjustment.value
            elif adjustment.effect == "floor":
                score = max(score, adjustment.value)
        score = _rounded(score)
        if score < profile.report_floor:
            return None
        return Hit(
            entity_id=entity.entity_id,
            source=entity.source,
            ref=entity.ref,
            schema=entity.schema.value,
            name=entity.primary,
            matched_name=named.listed.full if named else entity.primary,
            matched_kind=named.listed.kind.value if named else "identifier",
            score=score,
            alert=score >= profile.threshold,
            name_match=named.match if named else None,
            adjustments=tuple(adjustments),
            name_model=self._model_explanation(named),
            read_as=named.read_as if named else None,
        )

    def _model_explanation(self, named: _NameScore | None) -> dict[str, Any] | None:
        if named is None or named.features is None or self.name_model is None:
            return None
        explained = {
            "version": self.name_model.version,
            "name_score": rounded(named.score, 4),
            "features": {FEATURES[k]: rounded(v, 4) for k, v in enumerate(named.features)},
        }
        if named.letters_floor:
            explained["floor"] = (
                f"{LETTERS_COMPLETE_FLOOR}: every word matched, each a way to write the query's Arabic-script letters"
            )
        return explained

    def _evidence(self, query: _CheckedQuery, entity: IndexedEntity, profile: Profile) -> list[Adjustment]:
        out: list[Adjustment] = []
        if query.identifier:
            for normalized, listed, kind in entity.identifiers:
                if normalized == query.identifier:
                    out.append(
                        Adjustment(
                            "identifier", "floor", IDENTIFIER_FLOOR, f"{kind} {listed} equals the query's"
                        )
                    )
                    break
        if query.schema and query.schema != entity.schema.value:
            out.append(
                Adjustment(
                    "type",
                    "factor",
                    profile.type_mismatch_factor,
                    f"{query.schema} vs listed {entity.schema.value}",
                )
            )
        if query.dob and entity.schema is _PERSON:
            found = compare_dob(query.dob, entity.birth_dates)
            if found:
                out.append(found)
        if query.country:
            found = compare_country(query.country, entity.countries, entity.nationalities)
            if found:
                out.append(found)
        if query.gender:
            found = compare_gender(query.gender, entity.gender)
            if found:
                out.append(found)
        # Floors last, so a matching identifier is not discounted by a differing name or date.
        out.sort(key=lambda a: a.effect == "floor")
        return out
