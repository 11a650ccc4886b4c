"""Compare two names token by token: one-to-one alignment, rarity weights, split/joined tokens.

The score of a name pair is
    coverage_query ** 0.7  *  coverage_list ** 0.3  *  information factor
where coverage_query is the weighted share of the query's tokens matched (each weighted by its similarity),
coverage_list the same for the listed name with unmatched listed tokens counting half (lists carry fathers'
and grandfathers' names a query often leaves out), and the information factor discounts a match that rests
only on very common tokens ("Muhammad Khan"). Every step is recorded for the explanation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import NamedTuple, TypeVar, cast

from rapidfuzz.distance import JaroWinkler, Levenshtein

from ctscreen.matching.native import NATIVE
from ctscreen.names import Token, TokenKind, family_heads, make_token, skeleton
from ctscreen.names.arabic import ScriptWord, could_romanise
from ctscreen.names.chinese import wade_giles
from ctscreen.names.phonetic import fold_digraphs, loose_key, plain_dental_skeleton, vowel_key

QUERY_EXPONENT = 0.7
LIST_EXPONENT = 0.3
UNMATCHED_LIST_WEIGHT = 0.5
UNMATCHED_LIST_WEIGHT_COVERED = 0.25
UNMATCHED_QUERY_WEIGHT = 0.75
UNMATCHED_QUERY_WEIGHT_COVERED = 0.4
CONFLICT_WEIGHT = 0.1
CONFLICT_FACTOR = 0.85
ANCHOR_WEIGHT = 0.3
UNANCHORED_FACTOR = 0.9
FULL_INFORMATION = 0.9  # summed weight of matched query tokens above which no information discount applies
INFORMATION_FLOOR = 0.7
# A word romanised from a script without short vowels has invented vowels: the same consonant skeleton is as
# close as it gets.
TRANSLITERATED_PHONETIC = 0.93
GUESSED_VOWELS_PHONETIC = 0.85  # the same skeleton where the spellings are otherwise far apart

PATRONYMIC_LEFT_OVER = 0.3
_PATRONYMIC_ENDINGS = (
    "ovich",
    "ovna",
)  # the canonical suffixes names/tokens.py gives East Slavic patronymics

# How much each kind of token counts, before rarity.
KIND_WEIGHT = {
    TokenKind.NAME: 1.0,
    TokenKind.KUNYA: 0.3,
    TokenKind.TITLE: 0.12,
    TokenKind.KIN: 0.03,
    TokenKind.GLUE: 0.0,
    TokenKind.LEGAL: 0.03,
    TokenKind.GENERIC: 0.3,
    TokenKind.INITIAL: 0.12,
    TokenKind.NUMBER: 0.6,
}


K = TypeVar("K")
V = TypeVar("V")


def remember(cache: dict[K, V], key: K, value: V, kept: int) -> V:
    """`value`, stored in `cache` under `key`, the cache emptied first when it holds `kept` entries. The
    engine's caches are plain dicts with this rather than functools.lru_cache, whose wrapper (a generic call,
    and its recency list kept at every hit) cost more than the lookups themselves."""
    if len(cache) >= kept:
        cache.clear()
    cache[key] = value
    return value


# Per-word caches of the word rules (`kept_per_word`): each new pair of words asks them several times.
WORDS_KEPT = 200_000
_ONSETS: dict[str, str] = {}
_LOOSE_KEYS: dict[str, str] = {}
_SKELETONS: dict[str, str] = {}
_VOWEL_KEYS: dict[str, str] = {}
_ARTICLED: dict[str, bool] = {}


def kept_per_word(cache: dict[str, V], word: str, rule: Callable[[str], V]) -> V:
    """`rule(word)`, kept in `cache` (`remember`, at most WORDS_KEPT words)."""
    found = cache.get(word)
    if found is None:
        found = remember(cache, word, rule(word), WORDS_KEPT)
    return found


def rounded(value: float, digits: int) -> float:
    """round(value, digits), which converts to decimal (~0.3 us), skipped for a whole number, which it leaves as
    it is: explanations round dozens of values a hit, many of them 0.0, 1.0 or counts."""
    return value if value % 1.0 == 0.0 else round(value, digits)


# TokenPair and NameMatch are NamedTuples rather than frozen dataclasses: one NameMatch per compared name and a
# TokenPair per matched word are made ~20 times per query, and a frozen dataclass is about 2.5x slower to build.
class TokenPair(NamedTuple):
    query: str
    listed: str
    how: str  # exact | variant | phonetic | spelling | initial | joined
    similarity: float
    weight: float  # the query token's weight


class NameMatch(NamedTuple):
    score: float
    pairs: tuple[TokenPair, ...]
    unmatched_query: tuple[str, ...]
    unmatched_listed: tuple[str, ...]
    information: float
    unmatched_query_weight: float = 0.0
    unmatched_listed_weight: float = 0.0
    transliterated: bool = False

    def explain(self) -> dict:
        return {
            "score": rounded(self.score, 4),
            "tokens": [
                {
                    "query": p.query,
                    "listed": p.listed,
                    "how": p.how,
                    "similarity": rounded(p.similarity, 3),
                    "weight": rounded(p.weight, 3),
                }
                for p in self.pairs
            ],
            "unmatched_query": list(self.unmatched_query),
            "unmatched_listed": list(self.unmatched_listed),
            "information": rounded(self.information, 3),
        }


_GLUE = TokenKind.GLUE  # plain globals (see _INITIAL)
_NAME = TokenKind.NAME


class PreparedName:
    """A name ready for comparison: its weighed tokens (glue dropped), their canonical forms and skeletons,
    and each adjacent pair joined into one word, for names a list writes split and a query joined. Not changed
    once built.

    A plain class rather than a frozen dataclass: compiled (setup.py), a dataclass's generated __init__ stays
    Python, and a frozen one sets each field through object.__setattr__ (2.8 us a name; a query prepares
    several, and glued names more)."""

    __slots__ = (
        "tokens",
        "weights",
        "canons",
        "keys",
        "joined",
        "transliterated",
        "joined_canons",
        "joined_keys",
        "left_over_weights",
        "syllabic",
        "vowels_guessed",
        "script_words",
    )

    def __init__(
        self,
        tokens: tuple[Token, ...],
        weights: tuple[float, ...],
        canons: frozenset[str],
        keys: frozenset[str],
        joined: tuple[Token | None, ...],
        transliterated: bool = False,
        joined_canons: frozenset[str] = frozenset(),
        joined_keys: frozenset[str] = frozenset(),
        left_over_weights: tuple[float, ...] = (),
        syllabic: bool = False,
        vowels_guessed: bool = False,
        script_words: Mapping[str, ScriptWord] | None = None,
    ) -> None:
        self.tokens = tokens
        self.weights = weights
        self.canons = canons
        self.keys = keys
        self.joined = joined  # joined[i] = tokens[i] + tokens[i + 1], where both are name tokens
        self.transliterated = transliterated  # written in another script: its words can only resemble
        self.joined_canons = joined_canons  # of `joined`, for a quick "could any join apply?"
        self.joined_keys = joined_keys
        # The weights a token counts with when left over: a middle patronymic counts less (records and other
        # lists often leave it out: "Igor ROTENBERG" for "Igor Arkadyevich ROTENBERG").
        self.left_over_weights = left_over_weights
        self.syllabic = syllabic  # written in Han characters: each word a Chinese syllable (see `_align`)
        # Written in a script without short vowels (Arabic, Persian, Urdu, Pashto, Hebrew): the romanisation's
        # vowels are guesses, so the same consonant skeleton is as close as two words get.
        self.vowels_guessed = vowels_guessed
        # Written in Arabic script: each word as `fold` reads it -> its letters (`names.script_words`); a word
        # matched otherwise than exactly must be a way to write them (`could_romanise`).
        self.script_words = script_words

    def __repr__(self) -> str:
        return f"PreparedName({' '.join(t.text for t in self.tokens)!r})"

    @classmethod
    def build(
        cls,
        tokens: tuple[Token, ...],
        rarity: dict[str, float],
        transliterated: bool = False,
        syllabic: bool = False,
        vowels_guessed: bool = False,
        script_words: Mapping[str, ScriptWord] | None = None,
    ) -> PreparedName:
        # Plain loops: compiled, the zips with strict= and the generators over them were generic calls and
        # iterators (10 us a build, 4 now), and a query's name is prepared once or twice per query.
        kept_words: list[Token] = []
        weight_list: list[float] = []
        for t in tokens:
            if t.kind is not _GLUE:
                kept_words.append(t)
                weight_list.append(KIND_WEIGHT[t.kind] * rarity.get(t.canon, 1.0))
        kept = tuple(kept_words)
        last = len(kept) - 1
        joined_list: list[Token | None] = []
        left_over: list[float] = []
        canons: set[str] = set()
        keys: set[str] = set()
        joined_canons: set[str] = set()
        joined_keys: set[str] = set()
        for i in range(len(kept)):
            t, w = kept[i], weight_list[i]
            canons.add(t.canon)
            if len(t.key) >= 3:
                keys.add(t.key)
            middle_patronymic = 0 < i < last and t.canon.endswith(_PATRONYMIC_ENDINGS)
            left_over.append(w * PATRONYMIC_LEFT_OVER if middle_patronymic else w)
            if i < last:
                after = kept[i + 1]
                together = _join(t, after) if t.kind is _NAME and after.kind is _NAME else None
                joined_list.append(together)
                if together is not None:
                    joined_canons.add(together.canon)
                    joined_keys.add(together.key)
        joined = tuple(joined_list)
        return cls(
            kept,
            tuple(weight_list),
            frozenset(canons),
            frozenset(keys),
            joined,
            transliterated,
            frozenset(joined_canons),
            frozenset(joined_keys),
            tuple(left_over),
            syllabic,
            vowels_guessed,
            _with_joined_words(script_words, kept, joined) if script_words else None,
        )

    def glued_against(self, other: PreparedName, rarity: dict[str, float]) -> PreparedName:
        """This name with adjacent tokens joined where the joined word is a token of `other`."""
        if self.joined_canons.isdisjoint(other.canons) and self.joined_keys.isdisjoint(other.keys):
            return self
        tokens: list[Token] = []
        i = 0
        while i < len(self.tokens):
            j = self.joined[i] if i < len(self.joined) else None
            if j is not None and (
                j.canon in other.canons
                # A word with no consonant key of its own ("Vaino", "Ivan" -> "n") must not ride along.
                or (j.key in other.keys and j.key not in (self.tokens[i].key, self.tokens[i + 1].key))
            ):
                tokens.append(j)
                i += 2
            else:
                tokens.append(self.tokens[i])
                i += 1
        return PreparedName.build(
            tuple(tokens),
            rarity,
            self.transliterated,
            self.syllabic,
            self.vowels_guessed,
            self.script_words,
        )


def _with_joined_words(
    script_words: Mapping[str, ScriptWord], tokens: tuple[Token, ...], joined: tuple[Token | None, ...]
) -> Mapping[str, ScriptWord]:
    """`script_words` and each join of two of its words (`PreparedName.joined`), as the letters of both
    written together: a join is held to its letters like any word (ولی جان, "valijan", may be WALIJAN;
    یوسف عقیلی, "yusufaqili", is not SHAFIQULLAH)."""
    found = dict(script_words)
    for a, b, together in zip(tokens, tokens[1:], joined, strict=False):
        first, second = script_words.get(a.text), script_words.get(b.text)
        if together is None or first is None or second is None or together.text in found:
            continue
        (a_letters, a_after_article), (b_letters, b_after_article) = first.word, second.word
        letters = a_letters + ("ال" if b_after_article else "") + b_letters
        found[together.text] = ScriptWord((letters, a_after_article), first.before, second.after)
    return found


_VOWELS = frozenset("aeiouyw")
_ARTICLE = re.compile(r"^(?:al|el)(?=[a-z]{4,})")
_ARTICLES = ("al", "el")
# Onsets romanisations swap: Cyrillic Ю as Yu or Ju, Korean ㅂ as P or B.
# and Arabic ذ/ظ as Dh, Z or D, Ukrainian Г as H where Russian writes G. Dh's class is z and z's is s (with
# c and ts), so {z, s} is the Dh/Z pair: Dhakir = Zakir.
_SOUND_ALIKE_ONSETS = ({"V", "j"}, {"b", "p"}, {"z", "d"}, {"h", "k"}, {"z", "s"})
_LETTER_CLASS = str.maketrans("qcgxvz", "kkkhws")


def _onset(word: str) -> str:
    return kept_per_word(_ONSETS, word, _onset_of)


def _onset_of(word: str) -> str:
    """The class of a word's first sound: any vowel (Usama/Osama) or a consonant class (q/k/g/c, kh/h/x)."""
    if word.startswith(("dzh", "dsch")):  # Russian Дж: Dzhokhar = Jokhar (German: Dschochar)
        return "j"
    if word.startswith(("tsch", "tch")):  # German, French for ч: Tschatajew = Chatayev, Tchad = Chad
        return "s"
    first = word[:2] if word[:2] in ("kh", "gh", "dh", "th", "sh", "ch", "dj", "zh", "ph") else word[:1]
    if first == "c" and word[1:2] in ("e", "i", "y"):
        return "s"  # a soft c, as the skeleton reads it: Cernysev = Chernyshev
    if first[:1] in _VOWELS and first != "w":
        return "V"
    return {
        "kh": "h",
        "gh": "k",
        "dh": "z",
        "th": "s",
        "sh": "s",
        "ch": "s",
        "dj": "j",
        "zh": "j",
        "ph": "f",
    }.get(first, first.translate(_LETTER_CLASS))


# Word-initial consonants one romanisation writes voiced and another voiceless: Korean McCune-Reischauer
# "Pak Pong Nam" vs Revised "Bong", "Chang-Su" vs "Jang Su"; Arabic/Persian j/ch less so but alike. And the
# y sound written j (German, Slavic, Spanish: Jusuf = Yusuf, Jakovlev = Yakovlev, Jarraya = Yarraya).
_VOICING_PAIRS = frozenset(
    {("b", "p"), ("p", "b"), ("d", "t"), ("t", "d"), ("g", "k"), ("k", "g"), ("j", "y"), ("y", "j")}
)
VOICING_VARIANT = 0.9


def _cedilla_variant(a: str, b: str) -> bool:
    """French ç written c where another spelling has s: Faycal = Faysal (Fayçal)."""
    if len(a) != len(b) or len(a) < 5:
        return False
    differ = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    return (
        len(differ) == 1
        and {a[differ[0]], b[differ[0]]} == {"c", "s"}
        and a[differ[0] + 1 : differ[0] + 2] in ("a", "o", "u")
    )


def _voicing_variant(a: str, b: str) -> bool:
    if a[0] == "c" and a[1:2] == "h" and b[0] == "j":
        return a[2:] == b[1:]
    if b[0] == "c" and b[1:2] == "h" and a[0] == "j":
        return b[2:] == a[1:]
    return (a[0], b[0]) in _VOICING_PAIRS and a[1:] == b[1:]


# A loose reading (`phonetic.loose_key`) is the last test for two spellings of one name, scored below a
# skeleton match: with JW >= 0.75, or at any JW >= LOOSE_LONG_JW when three or more consonants agree.
LOOSE_BASE = 0.78
LOOSE_LONG_JW = 0.6


def _loose_key(word: str) -> str:
    return kept_per_word(_LOOSE_KEYS, word, loose_key)


def _loose_match(a: str, b: str, jw: float) -> bool:
    if jw < LOOSE_LONG_JW:  # most pairs of words: no key made
        return False
    key = _loose_key(a)
    return key != "" and key == _loose_key(b) and (jw >= 0.75 or len(key) >= 3)


# Most pairs of words are no match. The pair cache (`_token_match`) holds None for them, one shared object,
# rather than a (0.0, "") each: compiled (setup.py), every tuple a function returns is a new object, and a
# batch fills the cache with millions of pairs.
_NO_MATCH = (0.0, "")


def _similarity(a_canon: str, a_key: str, b_canon: str, b_key: str) -> tuple[float, str] | None:
    """`_word_similarity`; None when none applies. Not kept itself: `_token_match` keeps its answer per pair of
    words, and a cache of its own here met one call in ten again in the speed benchmark while costing every
    call a tuple made, hashed and stored."""
    found = _word_similarity(a_canon, a_key, b_canon, b_key)
    return found if found[0] else None


def _word_similarity(a_canon: str, a_key: str, b_canon: str, b_key: str) -> tuple[float, str]:
    """The best of the ways two different words can be the same name; 0 when none applies."""
    shortest = min(len(a_canon), len(b_canon))
    if shortest < 3:
        return 0.0, ""
    jw = JaroWinkler.similarity(a_canon, b_canon)
    if jw < 0.7:  # below every spelling and sound rule: only an article or a digraph spelling is left
        # Most pairs of words end here: test for an article before paying for the call.
        if a_key == b_key and len(a_key) >= 3:
            return _digraph_variant(a_canon, b_canon)
        if _loose_match(a_canon, b_canon, jw):
            return LOOSE_BASE, "phonetic"
        return _article_variant(a_canon, b_canon)
    if _voicing_variant(a_canon, b_canon) or _cedilla_variant(a_canon, b_canon):  # (JW >= 0.77: "pom"/"bom")
        return VOICING_VARIANT, "phonetic"
    best, how = (
        (0.95 * jw, "spelling") if jw >= 0.9 and not _prefix_of_longer(a_canon, b_canon) else (0.0, "")
    )
    onsets = {_onset(a_canon), _onset(b_canon)}
    if len(onsets) == 1 or onsets in _SOUND_ALIKE_ONSETS:
        # Same consonant skeleton or same vowel-run key, starting alike: a romanisation variant, unless the
        # spellings are too far apart for the key to mean anything ("waahid"/"hadid", "holly"/"hilowle").
        same_skeleton = jw >= 0.75 and (a_key == b_key or _dental_keys_meet(a_canon, a_key, b_canon, b_key))
        same_vowel_key = jw >= 0.7 and _vowel_key(a_canon) == _vowel_key(b_canon)
        if same_skeleton or same_vowel_key:
            phonetic = (
                0.82 + 0.13 * max(0.0, jw - 0.7) / 0.3 + (0.03 if same_skeleton and same_vowel_key else 0.0)
            )
            if phonetic > best:
                best, how = min(phonetic, 0.96), "phonetic"
        elif (
            best < 0.8
            and min(len(a_key), len(b_key)) >= 4
            and jw >= 0.85
            and Levenshtein.distance(a_key, b_key) <= 1
        ):
            best, how = 0.8, "phonetic"
    if not best and jw >= 0.88 and shortest >= 5:
        best, how = 0.9 * jw, "spelling"
    if best:
        if best < 0.95 and (_may_have_article(a_canon) or _may_have_article(b_canon)):
            # A sound match that is in fact the same word behind an article: as written together, a variant.
            article = _article_variant(a_canon, b_canon)
            if article[0] > best:
                return article
        return best, how
    article = _article_variant(a_canon, b_canon)
    if not article[0] and _loose_match(a_canon, b_canon, jw):
        return LOOSE_BASE + 0.13 * (jw - 0.7) / 0.3, "phonetic"
    return article


def _prefix_of_longer(a: str, b: str) -> bool:
    """A word of three letters that begins a word of five or more: Ali, Alika (Jaro-Winkler's bonus for a
    shared beginning lifts them to 0.91). Not a number: 101 is 101st."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) == 3 and len(long) >= 5 and short.isalpha() and long.startswith(short)


def _dental_keys_meet(a_canon: str, a_key: str, b_canon: str, b_key: str) -> bool:
    """The skeletons meet with th/dh read as t/d on either side (Gadhafi = Gaddafi), as the index keys them."""
    a_plain, b_plain = plain_dental_skeleton(a_canon), plain_dental_skeleton(b_canon)
    return (a_plain is not None and a_plain in (b_key, b_plain)) or (b_plain is not None and b_plain == a_key)


def _digraph_variant(a_canon: str, b_canon: str) -> tuple[float, str]:
    """One sound spelled with different letter groups: Russian "dzhikhad" = "jihad" (дж, х), German
    "lichachow" = "likhachev". Compared with the digraphs folded as the skeleton folds them."""
    a, b = fold_digraphs(a_canon), fold_digraphs(b_canon)
    jw = JaroWinkler.similarity(a, b)
    if jw < 0.85 or _onset(a) != _onset(b):
        return 0.0, ""
    return 0.82 + 0.13 * (jw - 0.7) / 0.3, "phonetic"


# Sun letters the article assimilates to and is written together with: Eddine = ed-Dine, Arrahman = ar-Rahman.
_SUN_LETTERS = frozenset("dnrstz")


# Sun letters written with two Latin letters: the article before them is often written with one (Ashami =
# ash-Shami, not Ashshami).
_SUN_DIGRAPHS = ("sh", "th", "dh")


def _assimilated_article(word: str) -> bool:
    """Starts with a vowel and a doubled sun letter (Eddine, Arrahman), or a sun letter written sh/th/dh
    (Ashami)."""
    return (
        word[0] in "aeu"
        and len(word) > 3
        and ((word[1] == word[2] and word[1] in _SUN_LETTERS) or word[1:3] in _SUN_DIGRAPHS)
    )


def _may_have_article(word: str) -> bool:
    return kept_per_word(_ARTICLED, word, _article_first)  # every new pair of words asks it of both


def _article_first(word: str) -> bool:
    return word[:2] in _ARTICLES or _assimilated_article(word)


def _without_assimilated_article(word: str) -> str:
    """ "eddine" -> "dine", "ashami" -> "shami" (the rest at least four letters); the word itself otherwise."""
    if len(word) <= 5 or not _assimilated_article(word):
        return word
    return word[2:] if word[1] == word[2] else word[1:]


def _article_variant(a_canon: str, b_canon: str) -> tuple[float, str]:
    """ "Alotaibi" = "al-Otaibi" written together; (0, "") for any other pair of different words."""
    if not (_may_have_article(a_canon) or _may_have_article(b_canon)):
        return 0.0, ""
    if _without_assimilated_article(a_canon) == _without_assimilated_article(b_canon):
        return 0.95, "variant"
    if a_canon[:2] not in _ARTICLES and b_canon[:2] not in _ARTICLES:
        return 0.0, ""
    a_rest, b_rest = _ARTICLE.sub("", a_canon), _ARTICLE.sub("", b_canon)
    if a_rest == b_rest:
        return 0.95, "variant"
    # Joined and spelled otherwise: Elkaddafi = al-Gaddafi, Aldabbas = Dabas.
    if (
        (a_rest != a_canon or b_rest != b_canon)
        and _skeleton(a_rest) == _skeleton(b_rest)
        and ({_onset(a_rest), _onset(b_rest)} in _SOUND_ALIKE_ONSETS or _onset(a_rest) == _onset(b_rest))
    ):
        jw = JaroWinkler.similarity(a_rest, b_rest)
        if jw >= 0.8:
            return 0.82 + 0.13 * (jw - 0.7) / 0.3, "phonetic"
    return 0.0, ""


_INITIAL = TokenKind.INITIAL  # a plain global: an enum member looked up on its class costs ~0.1 us in 3.11


def token_similarity(a: Token, b: Token) -> tuple[float, str]:
    """Similarity of two tokens in [0, 1] and how they matched."""
    return _token_match(a, b) or _NO_MATCH


# `_token_match`'s cache: plain dicts (`remember`), one per word, of that word's matches with every word it has
# met (so a query word is hashed once per listed name, not once per pair, some 200 times a query), all emptied
# when they hold TOKEN_MATCHES_KEPT pairs.
_TOKEN_MATCHES: dict[Token, dict[Token, tuple[float, str] | None]] = {}
_token_matches_kept = [0]  # pairs held
TOKEN_MATCHES_KEPT = 1_000_000
_UNSEEN: object = object()  # an object, not a tuple: compiled, a tuple constant is a new object at each use


def _matches_of(a: Token) -> dict[Token, tuple[float, str] | None]:
    """The cached matches of `a` (`_token_match`)."""
    row = _TOKEN_MATCHES.get(a)
    if row is None:
        row = _TOKEN_MATCHES[a] = {}
    return row


def _token_match(a: Token, b: Token) -> tuple[float, str] | None:
    """`token_similarity`, cached; None for no match."""
    return _token_match_in(_matches_of(a), a, b)


def _token_match_in(
    row: dict[Token, tuple[float, str] | None], a: Token, b: Token
) -> tuple[float, str] | None:
    """`_token_match` where `row` is `_matches_of(a)`."""
    found: object = row.get(b, _UNSEEN)
    if found is not _UNSEEN:
        return cast("tuple[float, str] | None", found)
    if _token_matches_kept[0] >= TOKEN_MATCHES_KEPT:
        _TOKEN_MATCHES.clear()  # `row` lives on with its caller; the next query starts afresh
        _token_matches_kept[0] = 0
    similar = _token_similarity(a, b)
    match = row[b] = similar if similar[0] else None
    _token_matches_kept[0] += 1
    return match


def _token_match_uncached(a: Token, b: Token) -> tuple[float, str] | None:
    """`_token_match` without its cache, for `_native.align`, which keeps the answers itself."""
    similar = _token_similarity(a, b)
    return similar if similar[0] else None


def _token_similarity(a: Token, b: Token) -> tuple[float, str]:
    if a.canon == b.canon:
        return (1.0, "exact") if a.text == b.text else (0.97, "variant")
    if a.kind is _INITIAL or b.kind is _INITIAL:
        return (0.5, "initial") if a.text[:1] == b.text[:1] else (0.0, "")
    if _different_names(a.canon, b.canon):
        return 0.0, ""
    found = _similarity(a.canon, a.key, b.canon, b.key) or _NO_MATCH
    if found[0] < 0.9 and (a.text != a.canon or b.text != b.canon):
        # A spelling family's head can be far from the word as written ("jemaah" vs "jamaah" -> "jamaat").
        as_written = _similarity(a.text, _skeleton(a.text), b.text, _skeleton(b.text))
        if as_written is not None and as_written[0] > found[0]:
            return as_written
    return found


def _different_names(a_canon: str, b_canon: str) -> bool:
    """Two different spelling families: two names, however alike they sound (Mahmud, Muhammad). Not where one
    starts the other ("Abdul" may be a shortened "Abdullah")."""
    heads = family_heads()
    return (
        a_canon in heads
        and b_canon in heads
        and not (a_canon.startswith(b_canon) or b_canon.startswith(a_canon))
    )


def _skeleton(word: str) -> str:
    return kept_per_word(_SKELETONS, word, skeleton)


def _vowel_key(word: str) -> str:
    return kept_per_word(_VOWEL_KEYS, word, vowel_key)


@lru_cache(maxsize=200_000)
def _join(a: Token, b: Token) -> Token:
    return make_token(a.text + b.text, TokenKind.NAME)


def compare_names(query: PreparedName, listed: PreparedName, rarity: dict[str, float]) -> NameMatch:
    """Align `query` to `listed` one-to-one and score the pair (see the module docstring)."""
    q, c = query.tokens, listed.tokens
    if not q or not c:
        return NameMatch(0.0, (), tuple(t.text for t in q), tuple(t.text for t in c), 0.0)
    if query.canons != listed.canons:
        # The tests glued_against starts with, inline: most pairs have nothing to join, and this runs ~20 times
        # per query.
        glued_query, glued_listed = query, listed
        if not (query.joined_canons.isdisjoint(listed.canons) and query.joined_keys.isdisjoint(listed.keys)):
            glued_query = query.glued_against(listed, rarity)
        if not (
            listed.joined_canons.isdisjoint(glued_query.canons)
            and listed.joined_keys.isdisjoint(glued_query.keys)
        ):
            glued_listed = listed.glued_against(glued_query, rarity)
        if glued_query is not query or glued_listed is not listed:
            glued = _align(glued_query, glued_listed)
            if (glued_query.canons - query.canons) <= listed.canons and (
                glued_listed.canons - listed.canons
            ) <= glued_query.canons:
                return glued  # every join spells a word of the other side
            # A join that only sounds like a word of the other side can lose more than it wins ("Vasiliy
            # SYSOYEV" -> "vasiliysysoyev" ~ "Vasilievich"): keep the better reading.
            plain = _align(query, listed)
            return glued if glued.score >= plain.score else plain
    return _align(query, listed)


_EXACT_HOWS = frozenset({"exact", "variant"})


def _syllable_match(a: str, b: str) -> tuple[float, str]:
    if wade_giles(a) == b or wade_giles(b) == a:
        return 0.95, "variant"
    return 0.0, ""


_ROMANISABLE: dict[tuple[ScriptWord, str], bool] = {}


def _could_romanise(script_word: ScriptWord, latin: str) -> bool:
    """`could_romanise`, kept (`remember`): its patterns are tried at every cut of the word, and a query's
    Arabic-script word meets the same listed words in name after name."""
    found = _ROMANISABLE.get((script_word, latin))
    if found is None:
        found = remember(_ROMANISABLE, (script_word, latin), could_romanise(script_word, latin), WORDS_KEPT)
    return found


def _nisba_of_known_name(a: Token, b: Token) -> bool:
    """One word is a known name (a spelling family's head) and the other, of the same consonants, ends in
    i/y where it does not: a family name made from it (Mohammadi, Hasani). Only known names: a final ی is
    also Persian's written "a" (مرتضی, Morteza), and lists drop it (میرزا for MIRZAEI)."""
    a_i, b_i = a.text[-1] in "iy", b.text[-1] in "iy"
    if a_i == b_i:
        return False
    plain = b if a_i else a
    return plain.canon in family_heads()


def _align(query: PreparedName, listed: PreparedName) -> NameMatch:
    """The two names' words paired one to one, best pairs first, and the pair scored (the module docstring).
    In C (`_native.align`) where the wheel built it and no script's rule applies to the pair (most pairs)."""
    if NATIVE is not None and not (
        query.syllabic
        or listed.syllabic
        or query.vowels_guessed
        or listed.vowels_guessed
        or query.script_words
        or listed.script_words
    ):
        return cast(
            NameMatch,
            NATIVE.align(
                query.tokens,
                query.weights,
                query.left_over_weights,
                listed.tokens,
                listed.weights,
                listed.left_over_weights,
                query.transliterated or listed.transliterated,
            ),
        )
    return _align_words(query, listed)


def _align_words(query: PreparedName, listed: PreparedName) -> NameMatch:
    """`_align` in Python, every rule; `_native.align` is its twin where no script's rule applies."""
    q, c = query.tokens, listed.tokens
    wq, wc = query.weights, listed.weights
    transliterated = query.transliterated or listed.transliterated
    vowels_guessed = query.vowels_guessed or listed.vowels_guessed
    similarity = _token_match_in  # a local: the loop below is the hottest in screening
    syllabic = query.syllabic or listed.syllabic
    script_words = query.script_words
    listed_script_words = listed.script_words if not script_words else None  # one side is enough
    candidates: list[tuple[float, float, int, int, str]] = []
    for i, qt in enumerate(q):
        wq_i = wq[i]
        script_word = script_words.get(qt.text) if script_words else None
        matches = _matches_of(qt)
        for j, ct in enumerate(c):
            sim, how = similarity(matches, qt, ct) or _NO_MATCH
            if syllabic and how not in _EXACT_HOWS:
                # Chinese syllables that differ are different names (Zheng is not Zhang), unless one is the
                # other's Wade-Giles spelling (Zhang = Chang).
                sim, how = _syllable_match(qt.canon, ct.canon)
            if vowels_guessed and qt.key == ct.key:
                if sim > 0 and how not in _EXACT_HOWS:
                    if _nisba_of_known_name(qt, ct):
                        continue  # a final ی/ي is written: Mohammadi is not Muhammad
                    if how == "phonetic" and sim < TRANSLITERATED_PHONETIC:
                        sim = TRANSLITERATED_PHONETIC
                elif (
                    not sim
                    and (len(qt.key) >= 3 or (len(qt.key) == 2 and script_word is not None))
                    and not _different_names(qt.canon, ct.canon)
                    and not _nisba_of_known_name(qt, ct)
                ):
                    # The guessed vowels can be far from any romanisation's ("anatasar" for انتصار, Intissar):
                    # three or more consonants in the same order are the evidence there is, unless the two
                    # are known to be different names (Mahmud, Muhammad; Husayn, HOSSEINI). Two, where the
                    # query's letters are at hand to hold the listed word to (below: قائم, "qaim", is GHAEM).
                    sim, how = GUESSED_VOWELS_PHONETIC, "phonetic"
            if sim > 0 and how not in _EXACT_HOWS and (script_word or listed_script_words):
                # Not a way to write the Arabic-script word's letters: سمسار is not SHAMSHIRI, ایلیا not ALI.
                if script_word and not _could_romanise(script_word, ct.text):
                    continue
                listed_word = listed_script_words.get(ct.text) if listed_script_words else None
                if listed_word and not _could_romanise(listed_word, qt.text):
                    continue
            if sim > 0:
                candidates.append((-sim, -(wq_i + wc[j]), i, j, how))
    if not candidates:
        return NameMatch(0.0, (), tuple(t.text for t in q), tuple(t.text for t in c), 0.0)
    candidates.sort()
    used_q = [False] * len(q)
    used_c = [False] * len(c)
    pairs: list[TokenPair] = []
    most_pairs = min(len(q), len(c))
    matched_q = matched_c = information = 0.0
    anchored = False
    for negative_sim, _, i, j, how in candidates:
        if used_q[i] or used_c[j]:
            continue
        sim = -negative_sim
        used_q[i] = used_c[j] = True
        weight = wq[i]
        matched_q += sim * weight
        matched_c += sim * wc[j]
        information += weight
        pairs.append(TokenPair(q[i].text, c[j].text, how, sim, weight))
        if not anchored and weight >= ANCHOR_WEIGHT and how in ("exact", "variant"):
            anchored = True
        if len(pairs) == most_pairs:
            break  # one side is used up: every candidate left would be skipped
    # Summed one by one in index order, from 0.0, as `_native.align` sums them (sum() compensates its
    # rounding from Python 3.12 on) and so that a name with nothing left over reports 0.0, not 0. By
    # enumerate rather than zip(strict=True): compiled, a zip with a keyword is a generic call.
    total_q = 0.0
    for w in wq:
        total_q += w
    if total_q <= 0:
        return NameMatch(0.0, (), tuple(t.text for t in q), tuple(t.text for t in c), 0.0)
    unmatched_c = unmatched_q = 0.0
    for k, w in enumerate(listed.left_over_weights):
        if not used_c[k]:
            unmatched_c += w
    for k, w in enumerate(query.left_over_weights):
        if not used_q[k]:
            unmatched_q += w
    # A query word left over beside a listed name matched in full (a middle name, a second surname) says
    # less against the match than one left over beside a partly matched name.
    listed_covered = unmatched_c <= 0.15 and (
        information >= 1.4
        # or the words left over sit between the first and last, both matched: a father's name the list omits
        # ("Yousef Awad AL-SHARAFI" for "AL-SHARAFI, Yousef").
        or (len(q) >= 3 and used_q[0] and used_q[-1] and len(pairs) >= 2)
    )
    unmatched_query_weight = UNMATCHED_QUERY_WEIGHT_COVERED if listed_covered else UNMATCHED_QUERY_WEIGHT
    coverage_q = matched_q / (matched_q + unmatched_query_weight * unmatched_q + (information - matched_q))
    # Likewise listed words left over (fathers' and grandfathers' names) beside a query matched in full on
    # two or more informative words.
    query_covered = unmatched_q <= 0.05 and information >= 1.4
    unmatched_list_weight = UNMATCHED_LIST_WEIGHT_COVERED if query_covered else UNMATCHED_LIST_WEIGHT
    coverage_c = matched_c / (matched_c + unmatched_list_weight * unmatched_c) if matched_c > 0 else 0.0
    score = coverage_q**QUERY_EXPONENT * coverage_c**LIST_EXPONENT
    if unmatched_q >= CONFLICT_WEIGHT and unmatched_c >= CONFLICT_WEIGHT:
        # Words left over on both sides: "James Griffin" vs "Peter Griffin" is another person, not a partial name.
        score *= CONFLICT_FACTOR
    if not anchored and not transliterated and (len(pairs) >= 2 or unmatched_c >= CONFLICT_WEIGHT):
        # Every word only resembles its partner: each resemblance could be chance, and they add up.
        score *= UNANCHORED_FACTOR
    if information < FULL_INFORMATION:
        score *= INFORMATION_FLOOR + (1 - INFORMATION_FLOOR) * information / FULL_INFORMATION
    return NameMatch(
        min(score, 1.0),
        tuple(pairs),
        tuple([t.text for k, t in enumerate(q) if not used_q[k]]),
        tuple([t.text for k, t in enumerate(c) if not used_c[k]]),
        information,
        unmatched_q,
        unmatched_c,
        transliterated,
    )


if NATIVE is not None:
    NATIVE.configure_alignment(
        _token_match_uncached,
        TokenPair,
        NameMatch,
        TokenKind.INITIAL,
        query_exponent=QUERY_EXPONENT,
        list_exponent=LIST_EXPONENT,
        unmatched_list_weight=UNMATCHED_LIST_WEIGHT,
        unmatched_list_weight_covered=UNMATCHED_LIST_WEIGHT_COVERED,
        unmatched_query_weight=UNMATCHED_QUERY_WEIGHT,
        unmatched_query_weight_covered=UNMATCHED_QUERY_WEIGHT_COVERED,
        conflict_weight=CONFLICT_WEIGHT,
        conflict_factor=CONFLICT_FACTOR,
        anchor_weight=ANCHOR_WEIGHT,
        unanchored_factor=UNANCHORED_FACTOR,
        full_information=FULL_INFORMATION,
        information_floor=INFORMATION_FLOOR,
    )
