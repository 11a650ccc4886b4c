"""Benchmark data builders. Everything here is deterministic: same list files + same seed = same queries.

Datasets (bench/README.md explains each one and the rules):

- `load_entities`: the real lists (UN, OFAC SDN 2024, OFAC consolidated non-SDN, UK OFSI) through ctscreen's
  own parsers, one `Entity` each, every `entity_id` unique.
- `build_held_out`: spelling/transliteration variants of a name that stays indexed (the held-out rule in
  `is_spelling_variant`) and every non-Latin-script name, removed from a copy of the entities ("held-out
  index") and used as queries with the expected entity.
- `build_self_queries`: each primary name and strong alias as a query against the full index.
- `build_innocents`: Faker people and companies in ten locales, fixed seed, names equal to a listed name
  dropped.
- `load_pair_sets`: the labelled name pairs from moov-io/watchman (shared/data/benchmarks/).

The bench keeps its own small text folding (`fold`) so that the held-out rule does not depend on the engine
under test.
"""

from __future__ import annotations

import csv
import os
import random
import unicodedata
import zlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from ctscreen.model import Entity, Name, NameKind, Schema
from ctscreen.names import reading_order

REPO = Path(__file__).resolve().parent.parent

LIST_FILES: tuple[tuple[str, str], ...] = (
    ("un", "lists/un/consolidated.xml"),
    ("ofac-sdn", "lists/ofac/sdn_2024-05-03/sdn.csv"),
    ("ofac-cons", "lists/ofac/consolidated_non_sdn/cons_prim.csv"),
    ("uk-ofsi", "lists/uk/ConList.xlsx"),
)

# -- the held-out rule: published in bench/README.md, checked by tests/bench/test_bench_data.py ----------
# An earlier version of one list: its names that the loaded version no longer carries are queries no
# matching rule was ever drawn from (`build_earlier_aliases`).
EARLIER_LIST = ("ofac-sdn", "lists/ofac/legacy_csv_2021-07-07/sdn.csv")
HELD_OUT_KINDS = (NameKind.ALIAS, NameKind.WEAK)  # kinds of name that may be held out as a variant query
REFERENCE_KINDS = (NameKind.PRIMARY, NameKind.ALIAS)  # kinds of name a variant must vary (and stay indexed)
MAX_TOKEN_COUNT_DIFF = 1  # token counts differ by at most this much
MIN_PAIR_SIMILARITY = 0.6  # every aligned token pair at least this similar (1 - Levenshtein / longer length)
MIN_MEAN_SIMILARITY = 0.75  # mean similarity of the aligned token pairs
CAP_PER_ENTITY = 2  # at most this many variants held out per entity
MAX_CLUSTER_KEY_ENTITIES = 5  # a shared name key links entities only when at most this many carry it

SEED = 20240503

# Faker locales of the innocent population, with the script their names are written in.
INNOCENT_LOCALES: tuple[tuple[str, str], ...] = (
    ("en_PK", "Latn"),
    ("ar_SA", "Arab"),
    ("fa_IR", "Arab"),
    ("id_ID", "Latn"),
    ("hi_IN", "Deva"),
    ("ru_RU", "Cyrl"),
    ("zh_CN", "Hani"),
    ("tr_TR", "Latn"),
    ("en_US", "Latn"),
    ("de_DE", "Latn"),
)
INNOCENTS_PER_LOCALE = 2000
INNOCENT_COMPANY_SHARE = 0.25


def data_dir() -> Path:
    """The shared data folder: CTSCREEN_DATA, or ../shared/data beside the repository."""
    return Path(os.environ.get("CTSCREEN_DATA", REPO.parent / "shared" / "data")).resolve()


# -- text helpers ----------------------------------------------------------------------------------------


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """NFKD, combining marks dropped, casefold, every run of non-alphanumerics one space."""
    decomposed = unicodedata.normalize("NFKD", text)
    out: list[str] = []
    for ch in decomposed:
        if unicodedata.combining(ch):
            continue
        out.append(ch if ch.isalnum() else " ")
    return " ".join("".join(out).casefold().split())


def tokens(text: str) -> list[str]:
    return fold(text).split()


_SCRIPT_PREFIXES: tuple[tuple[str, str], ...] = (
    ("LATIN", "Latn"),
    ("ARABIC", "Arab"),
    ("CYRILLIC", "Cyrl"),
    ("CJK", "Hani"),
    ("HANGUL", "Hang"),
    ("HIRAGANA", "Jpan"),
    ("KATAKANA", "Jpan"),
    ("GREEK", "Grek"),
    ("HEBREW", "Hebr"),
    ("GEORGIAN", "Geor"),
    ("ARMENIAN", "Armn"),
    ("DEVANAGARI", "Deva"),
    ("THAI", "Thai"),
    ("MYANMAR", "Mymr"),
    ("ETHIOPIC", "Ethi"),
)


@lru_cache(maxsize=200_000)
def script_of(text: str) -> str:
    """The dominant script of the letters in `text` (ISO 15924 code), "Zyyy" when there are no letters."""
    counts: dict[str, int] = defaultdict(int)
    for ch in text:
        if not ch.isalpha():
            continue
        name = unicodedata.name(ch, "")
        code = "Zzzz"
        for prefix, script in _SCRIPT_PREFIXES:
            if name.startswith(prefix):
                code = script
                break
        counts[code] += 1
    if not counts:
        return "Zyyy"
    return max(sorted(counts), key=lambda k: counts[k])


def token_similarity(a: str, b: str) -> float:
    """1 - Levenshtein distance / length of the longer token (plain Python: the rule needs no extras)."""
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return 1.0 - previous[-1] / max(len(a), len(b))


def align_tokens(left: Sequence[str], right: Sequence[str]) -> list[tuple[int, int, float]]:
    """Greedy one-to-one alignment: most similar token pairs first, ties by position. Returns (i, j, sim)."""
    pairs = sorted(
        ((token_similarity(a, b), i, j) for i, a in enumerate(left) for j, b in enumerate(right)),
        key=lambda p: (-p[0], p[1], p[2]),
    )
    used_left: set[int] = set()
    used_right: set[int] = set()
    out: list[tuple[int, int, float]] = []
    for sim, i, j in pairs:
        if i in used_left or j in used_right:
            continue
        used_left.add(i)
        used_right.add(j)
        out.append((i, j, sim))
    return sorted(out)


def is_spelling_variant(variant: str, name: str) -> bool:
    """The held-out rule: `variant` is a spelling/transliteration variant of `name`.

    Both are folded (`fold`) and split into tokens. It holds when
    1. both are Latin script and have at least one token, the token counts differ by at most 1, and a
       one-token variant only varies a one-token name (a lone given name is a partial name, not a variant);
    2. the token multisets differ (not the same name re-cased, re-punctuated or re-ordered);
    3. the greedy one-to-one token alignment pairs every token of the shorter name, each pair at least
       MIN_PAIR_SIMILARITY similar and the pairs MIN_MEAN_SIMILARITY similar on average;
    4. at least one aligned pair is spelled differently (similarity below 1): a name that only adds or
       drops a token ("Mullah Mohammed Omar" vs "Mohammed Omar") is not a spelling variant.
    """
    if script_of(variant) != "Latn" or script_of(name) != "Latn":
        return False
    left, right = tokens(variant), tokens(name)
    if not left or not right or abs(len(left) - len(right)) > MAX_TOKEN_COUNT_DIFF:
        return False
    if len(left) == 1 and len(right) > 1:
        return False
    if sorted(left) == sorted(right):
        return False
    aligned = align_tokens(left, right)
    if len(aligned) != min(len(left), len(right)):
        return False
    sims = [sim for _, _, sim in aligned]
    if min(sims) < MIN_PAIR_SIMILARITY or sum(sims) / len(sims) < MIN_MEAN_SIMILARITY:
        return False
    return any(sim < 1.0 for sim in sims)


def query_text(name: Name, schema: Schema) -> str:
    """The name as a customer record would carry it: OFAC's "SURNAME, Given" is put back in reading order
    for people (one comma only); everything else as listed."""
    text = name.full.strip()
    return reading_order(text) if schema is Schema.PERSON else text


# -- lists ---------------------------------------------------------------------------------------------


def load_entities(base: Path | None = None, sources: Iterable[str] | None = None) -> list[Entity]:
    """Parse the benchmark lists with ctscreen's parsers; entity ids are made unique if a list repeats one."""
    from ctscreen.sources import parse_file

    base = base or data_dir()
    wanted = set(sources) if sources else None
    out: list[Entity] = []
    seen: set[str] = set()
    for source, rel in LIST_FILES:
        if wanted is not None and source not in wanted:
            continue
        parsed = parse_file(base / rel)
        for entity in parsed.entities:
            if not entity.names:
                continue
            if entity.entity_id in seen:
                n = 2
                while f"{entity.entity_id}~{n}" in seen:
                    n += 1
                entity = replace(entity, listing=replace(entity.listing, reference=f"{entity.ref}~{n}"))
            seen.add(entity.entity_id)
            out.append(entity)
    return out


# -- queries -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BenchQuery:
    qid: str
    text: str
    set: str  # variant | cross-script | self | innocent | pair
    schema: str | None  # entity schema (person/organization/vessel/aircraft) or innocent kind
    expected: frozenset[str] = frozenset()  # acceptable entity ids; empty for innocents
    script: str = "Latn"
    kind: str = ""  # name kind held out, or "person"/"company" for innocents
    source: str = ""  # list the expected entity comes from, or the Faker locale
    origin: str = ""  # the indexed name a variant varies (for reading results)
    owner: str = ""  # the entity the query was taken from


@dataclass
class HeldOut:
    index_entities: list[Entity]  # the entities with held-out names removed
    variants: list[BenchQuery]
    cross_script: list[BenchQuery]
    stats: dict[str, int] = field(default_factory=dict)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def same_listing_clusters(entities: Sequence[Entity]) -> dict[str, frozenset[str]]:
    """Entities that are the same listed party on different lists: linked by UN reference (UN entry and the
    UK/other entry carrying its UN reference), by an identical strong name (primary or alias, folded,
    tokens sorted, two tokens or more, same schema) shared by at most MAX_CLUSTER_KEY_ENTITIES entities, or,
    for people on different lists, by a shared year of birth and near-identical strong names
    (`_same_person_pairs`). A query's top hit on any member of its entity's cluster counts as correct."""
    uf = _UnionFind()
    by_un: dict[str, list[str]] = defaultdict(list)
    by_key: dict[tuple[str, tuple[str, ...]], set[str]] = defaultdict(set)
    for e in entities:
        uf.find(e.entity_id)
        un_ref = e.listing.un_reference or (e.ref if e.source == "un" else None)
        if un_ref:
            by_un[un_ref.strip().upper()].append(e.entity_id)
        for n in e.names:
            if n.kind in REFERENCE_KINDS and script_of(n.full) == "Latn":
                toks = tuple(sorted(tokens(query_text(n, e.schema))))
                if len(toks) >= 2:
                    by_key[(e.schema.value, toks)].add(e.entity_id)
    for ids in by_un.values():
        for other in ids[1:]:
            uf.union(ids[0], other)
    for a, b in _same_person_pairs(entities):
        uf.union(a, b)
    for ids in by_key.values():
        if 1 < len(ids) <= MAX_CLUSTER_KEY_ENTITIES:
            first, *rest = sorted(ids)
            for other in rest:
                uf.union(first, other)
    members: dict[str, set[str]] = defaultdict(set)
    for e in entities:
        members[uf.find(e.entity_id)].add(e.entity_id)
    return {e.entity_id: frozenset(members[uf.find(e.entity_id)]) for e in entities}


def _birth_years(e: Entity) -> set[int]:
    years: set[int] = set()
    for d in e.birth_dates:
        if d.value and d.value[:4].isdigit():
            years.add(int(d.value[:4]))
        elif d.from_year and d.to_year and 0 <= d.to_year - d.from_year <= 5:
            years.update(range(d.from_year, d.to_year + 1))
    return years


def _near_identical(left: Sequence[str], right: Sequence[str]) -> bool:
    """Two token lists that name the same person: counts within one, every token of the shorter aligned at
    0.7 or better, mean 0.85 or better."""
    if len(left) < 2 or len(right) < 2 or abs(len(left) - len(right)) > 1:
        return False
    aligned = align_tokens(left, right)
    sims = [sim for _, _, sim in aligned]
    return len(aligned) == min(len(left), len(right)) and min(sims) >= 0.7 and sum(sims) / len(sims) >= 0.85


def _same_person_pairs(entities: Sequence[Entity]) -> list[tuple[str, str]]:
    """People listed on different lists with a common year of birth and near-identical strong names."""
    names_of: dict[str, list[list[str]]] = {}
    source_of: dict[str, str] = {}
    blocks: dict[tuple[int, str], list[str]] = defaultdict(list)
    for e in entities:
        if e.schema is not Schema.PERSON:
            continue
        years = _birth_years(e)
        if not years:
            continue
        toks = [
            tokens(query_text(n, e.schema))
            for n in e.names
            if n.kind in REFERENCE_KINDS and script_of(n.full) == "Latn"
        ]
        names_of[e.entity_id] = [t for t in toks if t]
        source_of[e.entity_id] = e.source
        keys = {(y, tok) for y in years for t in toks for tok in t if len(tok) >= 4}
        for key in keys:
            blocks[key].append(e.entity_id)
    pairs: set[tuple[str, str]] = set()
    for ids in blocks.values():
        if len(ids) > 50:
            continue
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                if source_of[a] == source_of[b] or (min(a, b), max(a, b)) in pairs:
                    continue
                if any(_near_identical(x, y) for x in names_of[a] for y in names_of[b]):
                    pairs.add((min(a, b), max(a, b)))
    return sorted(pairs)


def _keys(name: Name, entity: Entity) -> set[str]:
    """The folded forms of a name as listed and in reading order (`query_text`)."""
    return {k for k in (fold(name.full), fold(query_text(name, entity.schema))) if k}


def _text_key(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold().strip()


def build_held_out(
    entities: Sequence[Entity],
    cap_per_entity: int = CAP_PER_ENTITY,
    clusters: dict[str, frozenset[str]] | None = None,
) -> HeldOut:
    """Hold out spelling variants (the rule in `is_spelling_variant`) and every non-Latin-script name.

    Variants: for each entity in list order, its alias/weak names in order; a name is held out when it is a
    spelling variant of a primary/strong-alias name of the same entity that stays indexed, its folded form
    is nobody's primary name, and the entity has fewer than `cap_per_entity` variants held out. The names
    it varies are pinned (never held out themselves). A held-out name is removed from every entity that
    carries it (same folded form, alias/weak/former kinds); all of those entities are expected. A name
    some variant relies on is never removed, on any entity.
    Cross-script: every name whose dominant script is not Latin is removed from every entity carrying it
    (same text) and asked once, expecting all of them. Expected sets are widened by `same_listing_clusters`.
    """
    clusters = clusters if clusters is not None else same_listing_clusters(entities)
    primary_folds = {
        key for e in entities for n in e.names if n.kind is NameKind.PRIMARY for key in _keys(n, e)
    }
    # folded form -> entities carrying it as a removable kind
    carriers: dict[str, set[str]] = defaultdict(set)
    for e in entities:
        for n in e.names:
            if n.kind is not NameKind.PRIMARY:
                for key in _keys(n, e):
                    carriers[key].add(e.entity_id)

    removed_folds: dict[str, str] = {}  # folded form -> qid
    pinned_folds: set[str] = set()  # folded forms some variant relies on: they stay indexed everywhere
    variants: list[BenchQuery] = []
    for e in entities:
        if len(e.names) < 2:
            continue
        pinned: set[int] = set()
        held: list[int] = []
        for i, n in enumerate(e.names):
            if len(held) >= cap_per_entity:
                break
            if n.kind not in HELD_OUT_KINDS or i in pinned:
                continue
            qtext = query_text(n, e.schema)
            key = fold(qtext)
            keys = _keys(n, e)
            if not key or keys & primary_folds or removed_folds.keys() & keys or keys & pinned_folds:
                continue
            matched: list[int] = []
            for j, ref in enumerate(e.names):
                if j == i or j in held or ref.kind not in REFERENCE_KINDS:
                    continue
                if removed_folds.keys() & _keys(ref, e):
                    continue
                if is_spelling_variant(qtext, query_text(ref, e.schema)):
                    matched.append(j)
            if not matched:
                continue
            held.append(i)
            pinned.update(matched)
            for j in matched:
                pinned_folds.update(_keys(e.names[j], e))
            qid = f"v{len(variants):05d}"
            owners = {e.entity_id}
            for k in keys:
                removed_folds[k] = qid
                owners |= carriers[k]
            expected = set()
            for eid in sorted(owners):
                expected |= clusters.get(eid, {eid})
            variants.append(
                BenchQuery(
                    qid=qid,
                    text=qtext,
                    set="variant",
                    schema=e.schema.value,
                    expected=frozenset(expected),
                    script=script_of(qtext),
                    kind=n.kind.value,
                    source=e.source,
                    origin=e.names[matched[0]].full,
                    owner=e.entity_id,
                )
            )

    # cross-script: every non-Latin name
    cross_carriers: dict[str, list[tuple[Entity, Name]]] = defaultdict(list)
    for e in entities:
        for n in e.names:
            if n.kind is NameKind.PRIMARY:
                continue
            sc = script_of(n.full)
            if sc not in ("Latn", "Zyyy"):
                cross_carriers[_text_key(n.full)].append((e, n))
    cross: list[BenchQuery] = []
    for key in sorted(cross_carriers, key=lambda k: (cross_carriers[k][0][0].entity_id, k)):
        carried = cross_carriers[key]
        e, n = carried[0]
        expected = set()
        for other, _ in carried:
            expected |= clusters.get(other.entity_id, {other.entity_id})
        cross.append(
            BenchQuery(
                qid=f"x{len(cross):05d}",
                text=n.full.strip(),
                set="cross-script",
                schema=e.schema.value,
                expected=frozenset(expected),
                script=script_of(n.full),
                kind=n.kind.value,
                source=e.source,
                origin=e.primary_name,
                owner=e.entity_id,
            )
        )

    index_entities: list[Entity] = []
    removed_keys = set(removed_folds)
    removed_names = 0
    for e in entities:
        kept = tuple(
            n
            for n in e.names
            if n.kind is NameKind.PRIMARY
            or (not _keys(n, e) & removed_keys and _text_key(n.full) not in cross_carriers)
        )
        removed_names += len(e.names) - len(kept)
        index_entities.append(replace(e, names=kept) if len(kept) != len(e.names) else e)
    stats = {
        "entities": len(entities),
        "names": sum(len(e.names) for e in entities),
        "variant_queries": len(variants),
        "cross_script_queries": len(cross),
        "names_removed_from_index": removed_names,
        "entities_in_multi_entity_clusters": sum(1 for c in clusters.values() if len(c) > 1),
    }
    return HeldOut(index_entities=index_entities, variants=variants, cross_script=cross, stats=stats)


def build_self_queries(
    entities: Sequence[Entity], clusters: dict[str, frozenset[str]] | None = None
) -> list[BenchQuery]:
    """Every primary name and strong alias, in reading order (`query_text`), expecting its own entity (or a
    member of its same-listing cluster). Deduplicated per entity; non-Latin aliases are left to the
    cross-script set."""
    clusters = clusters if clusters is not None else same_listing_clusters(entities)
    out: list[BenchQuery] = []
    for e in entities:
        seen: set[str] = set()
        for n in e.names:
            if n.kind not in REFERENCE_KINDS:
                continue
            text = query_text(n, e.schema)
            key = fold(text)
            if not key or key in seen:
                continue
            seen.add(key)
            out.append(
                BenchQuery(
                    qid=f"s{len(out):05d}",
                    text=text,
                    set="self",
                    schema=e.schema.value,
                    expected=clusters.get(e.entity_id, frozenset({e.entity_id})),
                    script=script_of(text),
                    kind=n.kind.value,
                    source=e.source,
                    origin=n.full,
                    owner=e.entity_id,
                )
            )
    return out


PARTIAL_MIN_WORDS = 3  # a listed person name needs this many name words to be shortened


def _people_with_latin_primary(entities: Sequence[Entity]) -> Iterator[tuple[Entity, Name]]:
    for e in entities:
        if e.schema is not Schema.PERSON:
            continue
        primary = next((n for n in e.names if n.kind is NameKind.PRIMARY), None)
        if primary is not None and script_of(primary.full) == "Latn":
            yield e, primary


_ABD = frozenset({"abd", "abdul", "abdel", "abdal", "abdol", "abdu", "abdur", "abdus", "abdoul"})
_ARTICLES = frozenset({"al", "el", "ul", "ar", "as", "ur", "ad", "ash", "an", "az"})


def _name_words(text: str) -> list[str]:
    """The words of a name, with "'Abd al-Aziz" kept as one: "Abd" alone is no one's name (DOMAIN.md §2)."""
    out: list[str] = []
    pending: list[str] = []
    for word in text.split():
        parts = fold(word).split()
        pending.append(word)
        # Waiting for the rest of an 'Abd compound: "'Abd" (then maybe "al-"), or "'Abd al" written apart.
        if parts and (
            parts[-1] in _ABD or (len(pending) > 1 and parts == [parts[0]] and parts[0] in _ARTICLES)
        ):
            continue
        out.append(" ".join(pending))
        pending = []
    if pending:
        out.append(" ".join(pending))
    return out


def build_partial_names(
    entities: Sequence[Entity],
    clusters: dict[str, frozenset[str]] | None = None,
    shapes: Sequence[str] = ("first-last",),
) -> list[BenchQuery]:
    """Listed people asked by a shortened name, as customer records often carry them: for each person whose
    primary name has PARTIAL_MIN_WORDS name words or more (titles, particles and kinship words not counted),
    its first and last name word in reading order ("first-last"; "first-second" also keeps the second word,
    the father's name of an Arabic name). Expecting the entity (or its same-listing cluster). Only shortened
    names of two uncommon words (neither in ctscreen's common-name list: "Sirajuddin Haqqani", not "Jamal
    Hussein", which should need more than a name to alert), and none that is itself some entity's listed
    name (the self set asks those)."""
    from ctscreen.matching.engine import common_tokens
    from ctscreen.names import TokenKind, tokenize_name

    common = common_tokens()

    clusters = clusters if clusters is not None else same_listing_clusters(entities)
    listed = {fold(n.full) for e in entities for n in e.names}
    listed |= {fold(query_text(n, e.schema)) for e in entities for n in e.names}
    out: list[BenchQuery] = []
    for e, primary in _people_with_latin_primary(entities):
        text = query_text(primary, e.schema)
        words: list[tuple[str, bool]] = []  # (word as written, is a common name word)
        for word in _name_words(text.replace(",", " ")):
            names = [t for t in tokenize_name(word, False) if t.kind is TokenKind.NAME]
            if names:
                words.append((word, any(t.canon in common for t in names)))
        if len(words) < PARTIAL_MIN_WORDS:
            continue
        for shape in shapes:
            kept = (words[0], words[-1]) if shape == "first-last" else (words[0], words[1])
            short = " ".join(word for word, _ in kept)
            if any(is_common for _, is_common in kept) or fold(short) in listed:
                continue
            out.append(
                BenchQuery(
                    qid=f"p{len(out):05d}",
                    text=short,
                    set="partial",
                    schema=e.schema.value,
                    expected=clusters.get(e.entity_id, frozenset({e.entity_id})),
                    kind=shape,
                    source=e.source,
                    origin=primary.full,
                    owner=e.entity_id,
                )
            )
    return out


def build_longer_names(
    entities: Sequence[Entity],
    clusters: dict[str, frozenset[str]] | None = None,
    seed: int = SEED,
) -> list[BenchQuery]:
    """Listed people asked by a longer name than the list gives, as customer records often carry them: the
    primary name in reading order with one more given name after the first word (a middle or father's name
    the list leaves out), drawn from the first words of other listed people's names. None that is itself
    some entity's listed name."""
    from ctscreen.names import TokenKind, tokenize_name

    rng = random.Random(seed)
    clusters = clusters if clusters is not None else same_listing_clusters(entities)
    listed = {fold(n.full) for e in entities for n in e.names}
    people: list[tuple[Entity, list[str]]] = []
    for e, primary in _people_with_latin_primary(entities):
        words = query_text(primary, e.schema).replace(",", " ").split()
        if sum(1 for w in words for t in tokenize_name(w, False) if t.kind is TokenKind.NAME) >= 2:
            people.append((e, words))
    pool = sorted({words[0] for _, words in people if len(words[0]) >= 3})
    out: list[BenchQuery] = []
    for e, words in people:
        extra = rng.choice(pool)
        if fold(extra) in {fold(w) for w in words}:
            continue
        longer = " ".join([words[0], extra, *words[1:]])
        if fold(longer) in listed:
            continue
        out.append(
            BenchQuery(
                qid=f"l{len(out):05d}",
                text=longer,
                set="longer",
                schema=e.schema.value,
                expected=clusters.get(e.entity_id, frozenset({e.entity_id})),
                kind="middle-name",
                source=e.source,
                origin=" ".join(words),
                owner=e.entity_id,
            )
        )
    return out


@dataclass
class Innocents:
    queries: list[BenchQuery]
    dropped_listed: int  # generated names equal (folded) to a listed name
    dropped_duplicates: int
    per_locale: dict[str, int]
    dropped_real_companies: int = 0  # drawn from Faker's lists of real firms (`real_company_names`)


def real_company_names() -> frozenset[str]:
    """Company names Faker draws from lists of real firms rather than making up: Tehran-listed companies
    (fa_IR), the RBC 500 (ru_RU) and the Capital 500 (tr_TR). Real companies in sanctioned economies,
    some of them listed (Bank Saderat Iran, Bank Pasargad, Gazprom, Goznak, AvtoVAZ), so not innocents by
    construction; and a script-preserving fold cannot see that "Газпром" is the listed GAZPROM."""
    from faker.providers.company.fa_IR import Provider as Persian
    from faker.providers.company.ru_RU import Provider as Russian
    from faker.providers.company.tr_TR import Provider as Turkish

    return frozenset([*Persian.company_names, *Russian.large_companies, *Turkish.large_companies])


def build_innocents(
    entities: Sequence[Entity],
    per_locale: int = INNOCENTS_PER_LOCALE,
    seed: int = SEED,
    locales: Sequence[tuple[str, str]] = INNOCENT_LOCALES,
) -> Innocents:
    """People and companies from Faker, `per_locale` per locale (a quarter companies), fixed seed. A name that
    folds to a listed name (any kind) is dropped and counted, and so are a company Faker takes from a list of
    real firms (`real_company_names`) and a repeat; generation goes on until the locale has `per_locale`
    names."""
    from faker import Faker

    listed = {fold(n.full) for e in entities for n in e.names}
    listed |= {fold(query_text(n, e.schema)) for e in entities for n in e.names}
    real_companies = real_company_names()
    out: list[BenchQuery] = []
    dropped_listed = 0
    dropped_dup = 0
    dropped_real = 0
    counts: dict[str, int] = {}
    for li, (locale, _script) in enumerate(locales):
        fake = Faker(locale)
        fake.seed_instance(seed + li)
        rng = random.Random(seed * 31 + li)
        seen: set[str] = set()
        made = 0
        attempts = 0
        while made < per_locale and attempts < per_locale * 20:
            attempts += 1
            is_company = rng.random() < INNOCENT_COMPANY_SHARE
            text = fake.company() if is_company else fake.name()
            key = fold(text)
            if not key:
                continue
            if key in listed:
                dropped_listed += 1
                continue
            if is_company and text in real_companies:
                dropped_real += 1
                continue
            if key in seen:
                dropped_dup += 1
                continue
            seen.add(key)
            out.append(
                BenchQuery(
                    qid=f"i{len(out):05d}",
                    text=text,
                    set="innocent",
                    schema="organization" if is_company else "person",
                    script=script_of(text),
                    kind="company" if is_company else "person",
                    source=locale,
                )
            )
            made += 1
        counts[locale] = made
    return Innocents(out, dropped_listed, dropped_dup, counts, dropped_real)


FIT_SEED = 777  # Faker seed of the innocents the name model is fitted on (the benchmark's are SEED)


def build_earlier_aliases(
    entities: Sequence[Entity],
    clusters: dict[str, frozenset[str]] | None = None,
    base: Path | None = None,
) -> list[BenchQuery]:
    """Spelling variants from an earlier version of a list (`EARLIER_LIST`, OFAC SDN of 2021-07-07 with its
    alt.csv): each name of an entity still listed that no loaded entity carries any more (by folded form),
    and that is a spelling variant (`is_spelling_variant`) of a name the entity carries now. Screened against
    the full index: nothing is held out. Expected sets are widened by `same_listing_clusters`."""
    from ctscreen.sources import parse_file

    source, rel = EARLIER_LIST
    clusters = clusters if clusters is not None else same_listing_clusters(entities)
    current = {e.entity_id: e for e in entities if e.source == source}
    carried = {key for e in entities for n in e.names for key in _keys(n, e)}
    queries: list[BenchQuery] = []
    seen: set[tuple[str, str]] = set()
    for earlier in parse_file((base or data_dir()) / rel).entities:
        now = current.get(earlier.entity_id)
        if now is None:
            continue
        for name in earlier.names:
            text = query_text(name, earlier.schema)
            key = fold(text)
            if not key or (now.entity_id, key) in seen or _keys(name, earlier) & carried:
                continue
            varied = [n for n in now.names if is_spelling_variant(text, query_text(n, now.schema))]
            if not varied:
                continue
            seen.add((now.entity_id, key))
            queries.append(
                BenchQuery(
                    qid=f"e{len(queries):05d}",
                    text=text,
                    set="earlier-alias",
                    schema=now.schema.value,
                    expected=clusters.get(now.entity_id, frozenset({now.entity_id})),
                    script=script_of(text),
                    kind=name.kind.value,
                    source=source,
                    origin=varied[0].full,
                    owner=now.entity_id,
                )
            )
    return queries


def fit_half(query: BenchQuery) -> int:
    """0 when a held-out query's entity belongs to the half the name model is fitted on, 1 for the half the
    benchmark reports (bench/README.md). By a checksum of the first expected entity id, so every query for
    one listed party falls in the same half."""
    return zlib.crc32(sorted(query.expected)[0].encode("utf-8")) % 2


def subsample(items: Sequence, n: int | None, seed: int = SEED) -> list:
    """A fixed random subset of `n` items, in their original order (all of them when n is None or large)."""
    if n is None or n >= len(items):
        return list(items)
    rng = random.Random(seed)
    picked = sorted(rng.sample(range(len(items)), n))
    return [items[i] for i in picked]


# -- labelled pairs (moov-io/watchman copies, see shared/data/benchmarks/PROVENANCE.md) -------------------


@dataclass(frozen=True)
class LabelledPair:
    set: str  # cascade-1 | cascade-2 | cross-script-pairs
    left: str
    right: str
    is_match: bool
    schema: str | None
    category: str


_PAIR_SCHEMA = {"Company": "organization", "Vessel": "vessel", "Person": "person"}


def load_pair_sets(base: Path | None = None) -> dict[str, list[LabelledPair]]:
    bench_dir = (base or data_dir()) / "benchmarks" / "watchman"
    out: dict[str, list[LabelledPair]] = {}
    for set_name, file_name in (
        ("cascade-1", "cascade-name-pairs.csv"),
        ("cascade-2", "cascade-name-pairs-2.csv"),
    ):
        path = bench_dir / file_name
        if not path.exists():
            continue
        with path.open(encoding="utf-8", newline="") as fh:
            out[set_name] = [
                LabelledPair(
                    set=set_name,
                    left=row["name1"],
                    right=row["name2"],
                    is_match=row["is_match"].strip().lower() == "true",
                    schema=_PAIR_SCHEMA.get(row["schema"].strip()),
                    category=row["category"],
                )
                for row in csv.DictReader(fh)
            ]
    path = bench_dir / "cross_script_pairs.csv"
    if path.exists():
        pairs = []
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh):
                if not row or row[0].lstrip().startswith("#") or len(row) < 4:
                    continue
                pairs.append(
                    LabelledPair(
                        set="cross-script-pairs",
                        left=row[0].strip(),
                        right=row[1].strip(),
                        is_match=True,
                        schema="person",
                        category=row[3].strip(),
                    )
                )
        out["cross-script-pairs"] = pairs
    return out
