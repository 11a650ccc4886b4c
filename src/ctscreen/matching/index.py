"""The in-memory index over every listed name: tokens, rarity weights and candidate keys.

Candidate generation must find every name that could score above a threshold without comparing the query with
all ~100,000 listed names. Each listed token is indexed under its canonical form and under its phonetic
skeleton with every one-letter deletion (so one inserted, dropped or changed consonant still meets), and
adjacent tokens are also indexed joined (split/joined names). A query collects, per token, the names sharing a
key and adds the token's rarity weight; the best-supported names go on to the full comparison.

The layout is compact on purpose (token ids, one postings array): it pickles and loads fast, so the CLI and
each service worker start in well under a second from the cached index.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from typing import NamedTuple

import numpy as np
from mypy_extensions import mypyc_attr

from ctscreen.matching.compare import KIND_WEIGHT, PreparedName, remember
from ctscreen.matching.countries import country_code
from ctscreen.matching.evidence import ListedDate, listed_date, normalize_identifier
from ctscreen.matching.native import NATIVE
from ctscreen.model import Entity, NameKind, Schema
from ctscreen.names import (
    ABJADS,
    Token,
    TokenKind,
    detect_script,
    is_legal_form,
    script_words,
    skeleton,
    tokenize_name,
)
from ctscreen.names.chinese import is_pinyin_syllable
from ctscreen.names.phonetic import plain_dental_skeleton, vowel_key

# Tokens that say nothing about who someone is: too common in the populations screened for rarity across
# the lists alone to capture (names/data/common_tokens.txt).
COMMON_TOKEN_WEIGHT = 0.12
RARITY_FLOOR = 0.05
SHORT_TOKEN_WEIGHT = 0.35
_KEYED_KINDS = (TokenKind.NAME, TokenKind.KUNYA, TokenKind.GENERIC, TokenKind.NUMBER)
_NAME = TokenKind.NAME  # a plain global: compiled, an enum member looked up on its class costs ~0.1 us
# Share of a token's weight a name earns by meeting it through each tier of keys: a name that shares the
# canonical form also shares the skeleton and its deletions, and so earns the whole weight.
TIER_SHARES = (0.4, 0.35, 0.25)
# Added, after the cut on support, to the share a name earns by meeting a query word's vowel-run key as well,
# where the word's skeleton is short: the phonetic tier counts once however many of its keys meet, and a
# skeleton of three consonants or fewer ties hundreds of names ("qada", kd: GDAE, KUDA... and AL-QAIDA). Among
# them the names whose vowels also agree go first. (For every word, it also reordered names that differ on
# long, selective words, and lost more than it found.)
VOWEL_KEY_BONUS = 0.05
VOWEL_KEY_MAX_SKELETON = 3


class IndexedEntity(NamedTuple):
    entity_id: str
    source: str
    ref: str
    schema: Schema
    primary: str
    birth_dates: tuple[ListedDate, ...]
    countries: frozenset[str]  # ISO alpha-2 of nationalities, citizenships, birth places, addresses
    nationalities: frozenset[str]
    gender: str | None
    identifiers: tuple[tuple[str, str, str], ...]  # (normalised number, as listed, kind)


NAMES_PER_ENTITY = 3  # most candidate names one entity may contribute to a query's candidates
TIED_LIMIT_FACTOR = 3  # names tied with the last candidate are taken up to this many times the limit
SHORTER_NAME_NUDGE = 1e-4  # support taken off per word of a candidate name, to break ties
# Support added to a listed name written word for word as the query: it has the most support a name can have,
# and this puts it ahead of names tied with it (the entity's shorter aliases, which the nudge favours).
AS_WRITTEN_BONUS = 0.01


# Posting slices [(start, end), ...] with the value each adds, once, to every name in them.
SupportGroups = list[tuple[float, list[tuple[int, int]]]]


class _TokenPostings(NamedTuple):
    """The posting slices a query token's keys find, per tier (`token_key_tiers`), and its vowel-run key's
    where that key counts (`candidate_names`)."""

    tiers: tuple[list[tuple[int, int]], ...]
    vowels: tuple[int, int] | None


TOKEN_POSTINGS_KEPT = 100_000  # query tokens whose postings are kept (`MatchIndex._postings_of`)


class QuerySupport(NamedTuple):
    """What a query's keys found in the index, for the choice of its candidate names (`MatchIndex._select`)."""

    groups: SupportGroups  # added in order before the cut
    vowels: SupportGroups  # the vowel keys' groups, added after the cut: they only rank
    as_written: tuple[int, ...]  # names written word for word as the query (AS_WRITTEN_BONUS)
    exact: tuple[int, ...]  # names always compared (`candidate_names`)
    threshold: float  # the cut on support


class IndexedName(NamedTuple):
    entity: int  # position in MatchIndex.entities
    full: str
    kind: NameKind
    prepared: PreparedName


def token_key_tiers(token: Token) -> tuple[list[str], list[str], list[str]]:
    """Keys by strength: the canonical form, the phonetic skeleton, the skeleton with one letter deleted."""
    key = token.key
    canon = token.canon
    exact = ["c" + canon]
    if len(canon) >= 6 and canon[:2] in ("al", "el"):
        exact.append("c" + canon[2:])  # "alotaibi" meets "al-Otaibi"
    phonetic = ["k" + key] if len(key) >= 2 else []
    plain = plain_dental_skeleton(canon)  # th/dh also read as t/d (Dhiyab = Diab)
    if plain is not None:
        phonetic.append("k" + plain)
    if len(canon) >= 6 and canon.endswith("sk"):
        # A town in -sk is its adjective's stem: CHELYABINSK = Chelyabinskiy, read as "chelyabin".
        phonetic.append("k" + skeleton(canon[:-2]))
    if len(canon) >= 4:
        phonetic.append("v" + vowel_key(canon))
    deletions = ["k" + key[:i] + key[i + 1 :] for i in range(len(key))] if len(key) >= 4 else []
    return exact, phonetic, deletions


def token_keys(token: Token) -> list[str]:
    """Every key a listed token is indexed under."""
    return [key for tier in token_key_tiers(token) for key in tier]


def joined_keys(tokens: tuple[Token, ...]) -> list[str]:
    """Keys for adjacent name tokens written together ("sana ullah" -> "sanaullah")."""
    keys = []
    named = [t for t in tokens if t.kind in _KEYED_KINDS]
    for a, b in zip(named, named[1:], strict=False):
        joined = a.canon + b.canon
        keys.append("c" + joined)
        key = skeleton(joined)
        if len(key) >= 4:
            keys.append("k" + key)
    return keys


def _first_and_last_key(tokens: tuple[Token, ...], common: frozenset[str] = frozenset()) -> list[str]:
    """A person's first and last names side by side, as a form asks for them: "Salah SALAH" for "SALAH,
    Salah Abdallah Mohamed", "Ana ZEA" for "HERNANDEZ ZEA, Ana Elvia"."""
    named = [t for t in tokens if t.kind in _KEYED_KINDS]
    if len(named) < 3:
        return []
    first, last = named[0], named[-1]
    keys = ["f" + first.canon + last.canon]
    if _selective_sounds(first, last, common):
        keys.append("g" + first.key + " " + last.key)
    return keys


def _selective_sounds(first: Token, last: Token, common: frozenset[str]) -> bool:
    """Two name words whose sounds side by side are rare enough to key: skeletons of three or more consonants
    (Abu's "b" and Ali's "l" are shared by thousands), not both common names ("Muhammad AL-AHMAD" sounds
    like hundreds of listed names)."""
    return (
        first.kind is _NAME
        and last.kind is _NAME
        and len(first.key) >= 3
        and len(last.key) >= 3
        and not (first.canon in common and last.canon in common)
    )


def _exact_key(tokens: tuple[Token, ...]) -> str:
    return " ".join(t.canon for t in tokens)


def _written_key(tokens: tuple[Token, ...]) -> str:
    return " ".join(t.text for t in tokens)


def _joined_sound_keys(a: str, b: str) -> list[str]:
    """Skeleton keys of two words joined, both orders, where long enough to be selective (kept: callers only
    read the list)."""
    found = _JOINED_SOUND_KEYS.get((a, b))
    if found is None:
        keys = [k for k in ("k" + skeleton(a + b), "k" + skeleton(b + a)) if len(k) >= 4]
        found = remember(_JOINED_SOUND_KEYS, (a, b), keys, TOKEN_POSTINGS_KEPT)
    return found


_JOINED_SOUND_KEYS: dict[tuple[str, str], list[str]] = {}


_PARENTHESIS = re.compile(r"\s*\(([^()]{2,40})\)\s*")
_ACRONYM_KINDS = (TokenKind.NAME, TokenKind.GENERIC, TokenKind.KUNYA)


def indexed_names(entity: Entity) -> list[tuple[str, NameKind, bool]]:
    """The names an entity is indexed under: every listed name, plus for organisations a name written with
    its acronym in parentheses split in two ("TEHRIK-E TALIBAN PAKISTAN (TTP)" -> the name, and "TTP"), and
    the acronym of each strong name of three or more words. Entries: (name, kind, is_acronym)."""
    out: list[tuple[str, NameKind, bool]] = []
    for name in entity.names:
        out.append((name.full, name.kind, False))
        if entity.schema is Schema.PERSON:
            continue
        inner = _PARENTHESIS.findall(name.full)
        if inner and name.kind is not NameKind.ORIGINAL_SCRIPT:
            out.append((_PARENTHESIS.sub(" ", name.full).strip(), name.kind, False))
            # "(LLC)", "(Private) Limited": a legal form in brackets is not another name of the entity.
            out.extend((text, NameKind.WEAK, _is_acronym(text)) for text in inner if not is_legal_form(text))
        if name.kind in (NameKind.PRIMARY, NameKind.ALIAS, NameKind.FORMER):
            words = [
                t for t in tokenize_name(_PARENTHESIS.sub(" ", name.full), True) if t.kind in _ACRONYM_KINDS
            ]
            if len(words) >= 3 and all(t.text.isalpha() for t in words):
                out.append(("".join(t.text[0] for t in words).upper(), NameKind.WEAK, True))
    return out


def _is_acronym(text: str) -> bool:
    letters = text.replace("-", "").replace(".", "")
    return letters.isalpha() and letters.isupper() and len(letters) <= 8


def _entity_record(entity: Entity) -> IndexedEntity:
    dates = tuple(
        d
        for d in (listed_date(b.kind.value, b.value, b.from_year, b.to_year) for b in entity.birth_dates)
        if d is not None
    )
    nationality_codes = {
        c for c in (country_code(n) for n in (*entity.nationalities, *entity.citizenships)) if c
    }
    other = [p.country for p in entity.birth_places] + [a.country for a in entity.addresses]
    countries = nationality_codes | {c for c in (country_code(x) for x in other if x) if c}
    identifiers = tuple(
        (normalize_identifier(i.number), i.number, i.kind.value)
        for i in entity.identifiers
        if len(normalize_identifier(i.number)) >= 4
    )
    return IndexedEntity(
        entity_id=entity.entity_id,
        source=entity.source,
        ref=entity.ref,
        schema=entity.schema,
        primary=entity.primary_name,
        birth_dates=dates,
        countries=frozenset(countries),
        nationalities=frozenset(nationality_codes),
        gender=entity.gender,
        identifiers=identifiers,
    )


@mypyc_attr(native_class=False)  # compiled or not, pickled alike to the index cache
class MatchIndex:
    """Names, rarity weights and postings for one set of list versions. Built once, then read-only (the
    prepared-name cache fills as names are compared; it is rebuilt from the stored tokens after loading)."""

    def __init__(self, entities: list[Entity], common_tokens: frozenset[str] = frozenset()) -> None:
        self.entities: list[IndexedEntity] = []
        self.tokens: list[Token] = []
        token_ids: dict[Token, int] = {}
        self.name_entity: list[int] = []
        self.name_full: list[str] = []
        self.name_kind: list[NameKind] = []
        self.name_tokens: list[tuple[int, ...]] = []
        self.acronym_names: set[int] = set()  # matched only by a one-word query (see engine)
        postings: dict[str, list[int]] = defaultdict(list)
        exact_names: dict[str, list[int]] = defaultdict(list)
        written_names: dict[str, list[int]] = defaultdict(list)
        document_frequency: Counter[str] = Counter()
        identifier_postings: dict[str, list[int]] = defaultdict(list)
        for entity in entities:
            entity_index = len(self.entities)
            record = _entity_record(entity)
            self.entities.append(record)
            for normalized, _, _ in record.identifiers:
                identifier_postings[normalized].append(entity_index)
            is_org = entity.schema is not Schema.PERSON
            seen_names: dict[tuple[Token, ...], int] = {}
            entity_canons: set[str] = set()
            for full, kind, is_acronym in indexed_names(entity):
                tokens = tokenize_name(full, is_org)
                if not tokens:
                    continue
                if tokens in seen_names:
                    # Also listed as a strong name: "AAB" split off "ABDALLAH AZZAM BRIGADES (AAB)" and an alias.
                    seen = seen_names[tokens]
                    if self.name_kind[seen] is NameKind.WEAK and kind is not NameKind.WEAK:
                        self.name_kind[seen] = kind
                    continue
                name_index = seen_names[tokens] = len(self.name_full)
                if is_acronym:
                    self.acronym_names.add(name_index)
                self.name_entity.append(entity_index)
                self.name_full.append(full)
                self.name_kind.append(kind)
                self.name_tokens.append(tuple(token_ids.setdefault(t, len(token_ids)) for t in tokens))
                written_names[_written_key(tokens)].append(name_index)
                if not any(t.kind is TokenKind.NAME and len(t.canon) >= 4 for t in tokens):
                    exact_names[_exact_key(tokens)].append(name_index)
                keys = {k for t in tokens if t.kind in _KEYED_KINDS for k in token_keys(t)}
                keys.update(joined_keys(tokens))
                if not is_org:
                    keys.update(_first_and_last_key(tokens, common_tokens))
                for key in keys:
                    postings[key].append(name_index)
                entity_canons.update(t.canon for t in tokens)
            document_frequency.update(entity_canons)
        self.tokens = list(token_ids)
        self.common_tokens = common_tokens
        self.rarity = self._rarity(document_frequency, common_tokens)
        # Organisation names are not people's names: "Al Rashid Trust" is not common because Rashid is.
        self.rarity_org = self._rarity(document_frequency, frozenset(), people=False)
        self.names_of_entity: list[tuple[int, ...]] = [()] * len(self.entities)
        grouped: dict[int, list[int]] = defaultdict(list)
        for name_index, entity_index in enumerate(self.name_entity):
            grouped[entity_index].append(name_index)
        for entity_index, names in grouped.items():
            self.names_of_entity[entity_index] = tuple(names)
        # All postings in one array; each key maps to its slice. Of numpy's index type (intp), so that indexing
        # the support array with a slice does not first copy it to that type (some thirty times a query).
        self.posting_ids = np.fromiter(
            (i for ids in postings.values() for i in ids),
            dtype=np.intp,
            count=sum(map(len, postings.values())),
        )
        self.posting_slices: dict[str, tuple[int, int]] = {}
        start = 0
        for key, ids in postings.items():
            self.posting_slices[key] = (start, start + len(ids))
            start += len(ids)
        self.identifier_postings = {k: tuple(sorted(set(v))) for k, v in identifier_postings.items()}
        self.exact_names = {k: tuple(v) for k, v in exact_names.items()}
        self.written_names = {k: tuple(v) for k, v in written_names.items()}
        self._prepared: dict[
            tuple[bool, tuple[int, ...]], PreparedName
        ] = {}  # one per distinct name and kind

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state["_prepared"] = {}
        state.pop("_name_sizes", None)
        state.pop("_name_entity_ids", None)
        state.pop("_token_postings_cache", None)
        return state

    def _rarity(
        self, frequency: Counter[str], common: frozenset[str], people: bool = True
    ) -> dict[str, float]:
        """Inverse document frequency over entities, scaled to (0, 1]: a token on one entity weighs 1."""
        total = max(len(self.entities), 2)
        scale = math.log(total)
        weights = {}
        for canon, count in frequency.items():
            weight = max(RARITY_FLOOR, math.log(total / count) / scale)
            if canon in common:
                weight = min(weight, COMMON_TOKEN_WEIGHT)
            elif len(canon) <= 3 and (people or is_pinyin_syllable(canon)):
                # Short words (Yu, Jin, Ali, Rafi...) are shared by many people outside the lists too, and
                # Chinese firms' syllables (Hua, Hai, Run) by many firms; a firm's other short words are
                # acronyms (KGB, OSK), as rare as the lists say.
                weight = min(weight, SHORT_TOKEN_WEIGHT)
            weights[canon] = round(weight, 4)
        for canon in common:
            weights.setdefault(canon, COMMON_TOKEN_WEIGHT)
        return weights

    @property
    def name_count(self) -> int:
        return len(self.name_full)

    def rarity_for(self, is_org: bool) -> dict[str, float]:
        return self.rarity_org if is_org else self.rarity

    def name(self, name_index: int) -> IndexedName:
        token_ids = self.name_tokens[name_index]
        is_org = self.entities[self.name_entity[name_index]].schema is not Schema.PERSON
        prepared = self._prepared.get((is_org, token_ids))
        if prepared is None:
            tokens = tuple(self.tokens[t] for t in token_ids)
            transliterated = self.name_kind[name_index] is NameKind.ORIGINAL_SCRIPT
            script = detect_script(self.name_full[name_index]) if transliterated else "Latn"
            prepared = PreparedName.build(
                tokens,
                self.rarity_for(is_org),
                transliterated,
                script == "Hani",
                script in ABJADS,
                script_words(self.name_full[name_index]) if script == "Arab" else None,
            )
            self._prepared[(is_org, token_ids)] = prepared
        return IndexedName(
            self.name_entity[name_index], self.name_full[name_index], self.name_kind[name_index], prepared
        )

    @property
    def name_sizes(self) -> np.ndarray:
        """Words in each name (built on first use; not pickled)."""
        sizes = self.__dict__.get("_name_sizes")
        if sizes is None:
            sizes = self._name_sizes = np.array([len(t) for t in self.name_tokens], dtype=np.float32)
        return sizes

    @property
    def name_entity_ids(self) -> np.ndarray:
        """`name_entity` as an array, for `_native.c` (built on first use; not pickled)."""
        found = self.__dict__.get("_name_entity_ids")
        if found is None:
            found = self._name_entity_ids = np.array(self.name_entity, dtype=np.intp)
        return found

    def prepare_all(self) -> None:
        """Prepare every listed name for comparison now rather than at its first comparison."""
        for name_index in range(self.name_count):
            self.name(name_index)

    def weight(self, token: Token, is_org: bool = False) -> float:
        return KIND_WEIGHT[token.kind] * self.rarity_for(is_org).get(token.canon, 1.0)

    @property
    def _token_postings(self) -> dict[Token, _TokenPostings]:
        """`_postings_of`'s cache (not pickled)."""
        found: dict[Token, _TokenPostings] | None = self.__dict__.get("_token_postings_cache")
        if found is None:
            found = {}
            self._token_postings_cache = found
        return found

    def _postings_of(self, token: Token) -> _TokenPostings:
        """What a query token's keys find (`candidate_names`), kept: common words ("muhammad", "ali") recur in
        query after query, and each has a dozen keys to look up."""
        slices = self.posting_slices
        tiers = token_key_tiers(token)
        found = tuple([s for s in map(slices.get, tier) if s is not None] for tier in tiers)
        phonetic = tiers[1]
        vowels = None
        if len(token.key) <= VOWEL_KEY_MAX_SKELETON and phonetic and phonetic[-1][0] == "v":
            vowels = slices.get(phonetic[-1])  # the vowel-run key, last of its tier
        return remember(self._token_postings, token, _TokenPostings(found, vowels), TOKEN_POSTINGS_KEPT)

    def _support_group(self, groups: SupportGroups, keys: list[str], value: float) -> bool:
        """`value` for every name under any of `keys`, once per name, as a group of posting slices; whether any
        key was found."""
        found = [s for s in map(self.posting_slices.get, keys) if s is not None]
        if found:
            groups.append((value, found))
        return bool(found)

    def candidate_names(
        self, tokens: tuple[Token, ...], limit: int, transliterated: bool = False, is_org: bool = False
    ) -> list[int]:
        """Names sharing keys with the query, best supported first. `transliterated`: the query was written
        in another script, whose word breaks romanisations do not keep; `is_org`: the query is read as an
        organisation's name, whose words weigh as organisations' do (`rarity_for`)."""
        # A listed name without a word of its own of four letters or more, written word for word as the
        # query, is always compared: its keys alone would not select it ("BEN", "M AND S TRADING").
        exact = self.exact_names.get(_exact_key(tokens), ())
        # Support, as groups (value, posting slices): each group adds its value once to every name in its
        # slices, in order (`_select`).
        groups: SupportGroups = []
        total = 0.0
        hit_any = False
        vowels: SupportGroups = []  # added after the cut: they only rank
        for token in tokens:
            if token.kind not in _KEYED_KINDS:
                continue
            weight = self.weight(token, is_org)
            total += weight
            postings = self._token_postings.get(token) or self._postings_of(token)
            for tier, found in enumerate(postings.tiers):  # (compiled, a zip with strict= is a generic call)
                if found:
                    hit_any = True
                    groups.append((TIER_SHARES[tier] * weight, found))
            if postings.vowels is not None:
                vowels.append((VOWEL_KEY_BONUS * weight, [postings.vowels]))
        named = [t for t in tokens if t.kind in _KEYED_KINDS]
        for k in range(len(named) - 1):  # (compiled, a zip with strict= is a generic call)
            a, b = named[k], named[k + 1]
            pair = self.weight(a, is_org) + self.weight(b, is_org)
            # Both orders: OFAC writes "SAEED, Muhammad" where a customer writes "Muhammad Saeed".
            hit_any |= self._support_group(groups, ["c" + a.canon + b.canon, "c" + b.canon + a.canon], pair)
            if transliterated:
                # Written apart in the script, together in the romanisation, and spelled differently: Persian
                # "کاکا زاده" ("kaka zadah") vs KAKAZADA.
                sound_keys = _joined_sound_keys(a.canon, b.canon)
                hit_any |= self._support_group(groups, sound_keys, TIER_SHARES[1] * pair)
        if len(named) >= 2:
            first, last = named[0], named[-1]
            keys = ["f" + first.canon + last.canon, "f" + last.canon + first.canon]
            pair = self.weight(first, is_org) + self.weight(last, is_org)
            hit_any |= self._support_group(groups, keys, pair)
            # The same two words by sound: "Natalia SMIRNOVA" for "Natalya Ivanova SMIRNOVA" must not lose its
            # place to the dozens of listed names with "Natalia" written so.
            if _selective_sounds(first, last, self.common_tokens):
                sound_keys = ["g" + first.key + " " + last.key, "g" + last.key + " " + first.key]
                hit_any |= self._support_group(groups, sound_keys, TIER_SHARES[1] * pair)
        if not hit_any:
            return list(exact)
        as_written = self.written_names.get(_written_key(tokens), ())
        support = QuerySupport(groups, vowels, as_written, exact, max(0.2 * total, 1e-6))
        return self._select_native(support, limit) if NATIVE is not None else self._select(support, limit)

    def _select_native(self, support: QuerySupport, limit: int) -> list[int]:
        """`_select` in C (`_native.c`), where the wheel built it."""
        assert NATIVE is not None
        return NATIVE.select_candidates(  # type: ignore[no-any-return]
            self.posting_ids,
            self.name_sizes,
            self.name_entity_ids,
            *support,
            limit,
            AS_WRITTEN_BONUS,
            SHORTER_NAME_NUDGE,
            NAMES_PER_ENTITY,
            TIED_LIMIT_FACTOR,
            _pool(limit),
        )

    def _select(self, query: QuerySupport, limit: int) -> list[int]:
        """The candidate names from what the query's keys found (`candidate_names`), with numpy; `_native.c` has
        its twin.

        Support is float32, summed group by group. Names under the threshold drop out; the vowel keys' groups
        then add to the rest, and a nudge by length ranks them (ties to shorter names). Of more than `_pool`
        names, those ranked at least the pool-th best go on, ties included; then the exact names, and the best
        ranked (ties to the lower name number), at most NAMES_PER_ENTITY of one entity, up to `limit` and past
        it only for names tied with the last one taken."""
        groups, vowels, as_written, exact, threshold = query
        ids = self.posting_ids
        support = np.zeros(self.name_count, dtype=np.float32)
        for value, found in groups:
            # Fancy-index += adds once per distinct name even when keys repeat it: no np.unique needed.
            names = ids[found[0][0] : found[0][1]] if len(found) == 1 else _concatenated(ids, found)
            support[names] += value
        if as_written:
            support[list(as_written)] += AS_WRITTEN_BONUS
        supported = (support >= threshold).nonzero()[0]
        for value, found in vowels:
            support[_concatenated(ids, found)] += value
        # Ties (common words: hundreds of names hold "Muhammad" and "Saeed") go to the shorter names, which
        # the query can match in full; the nudge is far below any real difference in support.
        ranked = support[supported] - SHORTER_NAME_NUDGE * self.name_sizes[supported]
        pool = _pool(limit)
        if len(supported) > pool:
            kth = np.partition(ranked, len(ranked) - pool)[len(ranked) - pool]
            keep = ranked >= kth
            supported, ranked = supported[keep], ranked[keep]
        chosen: list[int] = list(exact)
        name_entity = self.name_entity
        per_entity: dict[int, int] = {}
        for name_index in exact:
            per_entity[name_entity[name_index]] = per_entity.get(name_entity[name_index], 0) + 1
        most = TIED_LIMIT_FACTOR * limit
        order = (-ranked).argsort(kind="stable")
        last_value: float | None = None
        for name_index, value in zip(supported[order].tolist(), ranked[order].tolist(), strict=True):
            taken = len(chosen)
            if taken >= limit and (value != last_value or taken >= most):
                break  # past the limit only for names tied with the last one taken ("Muhammad Saeed")
            # An entity with many near-identical aliases must not take every place from the others.
            entity = name_entity[name_index]
            of_entity = per_entity.get(entity, 0)
            if exact and name_index in exact:
                continue
            if of_entity < NAMES_PER_ENTITY:
                per_entity[entity] = of_entity + 1
                chosen.append(name_index)
                last_value = value
        return chosen


def _pool(limit: int) -> int:
    """Names ranked for the choice, at least: four times the most that may be taken."""
    return max(1, limit * 4 * TIED_LIMIT_FACTOR)


def _concatenated(ids: np.ndarray, found: list[tuple[int, int]]) -> np.ndarray:
    return np.concatenate([ids[start:end] for start, end in found])
