"""Find mentions of listed persons and organisations in free text.

Two passes, as the fast name screeners do (docs/text-screening.md):

1. **Dictionary pass.** The text is cut into words with their offsets; each word is folded (any script to
   Latin, `names.fold`), put in its spelling family and given a key: the word itself when short, else its
   consonant skeleton (`names.skeleton`), so "Tehreek"/"Tehrik" and "Qaeda"/"Qaida" share a key. Glue
   ("al-", "-e-", "bin"), English function words and punctuation boundaries are left out. An Aho-Corasick
   automaton (pyahocorasick) built once per Screener from every listed name of a person or organisation,
   from pairs of the informative words of person names (in both orders: "Sirajuddin Haqqani" of
   "SIRAJUDDIN JALLALOUDINE HAQQANI") and from the project's alias table finds every run of words whose keys
   spell a listed name. A run is widened over neighbouring words that belong to the same listed entity.
2. **Engine pass.** Each candidate span is screened by the matching engine (`Screener.screen`), so the score
   and explanation are the engine's. Text rules then keep or drop each hit and may hold back its alert, and
   say so in `explanation.text.rules`: the span must cover the listed name's informative words; a person needs
   two words; a one-word organisation must match its listed word closely, keep its article ("al-Qaida", not
   "Qaida"), be capitalised and not stand inside a longer proper name or be a place; an acronym alerts only
   when the document names the entity in full or, for a group acronym of the alias table, a group word
   ("militant", "banned", "claimed" ...) or another group stands near it.

Overlapping candidates are resolved by score with a small bonus per word, so "Islamic State-Khorasan
province" wins over the "Islamic State" inside it. Long texts are processed in chunks cut at sentence ends.
"""

from __future__ import annotations

import gc
import re
import threading
import weakref
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz.distance import JaroWinkler, Levenshtein

from ctscreen.matching import Hit, Profile, Query, Screener, get_profile
from ctscreen.matching.compare import KIND_WEIGHT
from ctscreen.model import NameKind, Schema
from ctscreen.names import TokenKind, fold, skeleton, tokenize_name
from ctscreen.text.aliases import (
    AliasRow,
    context_cues,
    function_words,
    generic_org_words,
    lowercase_words,
    media_aliases,
    not_mentions,
    place_words,
    role_words,
)
from ctscreen.text.result import Mention, MentionHit
from ctscreen.text.sentences import clean_sentence, sentence_starts

try:  # a C automaton; the pure-Python trie below gives the same matches, slower
    import ahocorasick as _ahocorasick
except ImportError:  # pragma: no cover - exercised only where pyahocorasick is not installed
    _ahocorasick = None

CHUNK_CHARS = 256_000  # text is processed in chunks of about this size, cut at sentence ends
CUE_WINDOW = 12  # words either side of an acronym searched for a group-context word or another group
MAX_EXTEND = 4  # words a candidate may grow by on each side
MAX_SPAN_WORDS = 64  # longer than any mention: how far back to look for a mention near another
MAX_EXTEND_ENTITIES = 64  # a candidate shared by more entities than this is not widened
INFORMATIVE_WEIGHT = 0.3  # a listed word weighing this much (kind weight x rarity) identifies the name
PAIR_MIN_WEIGHT = 0.3  # a pair of a person's words is a pattern when one of them weighs this much
LENGTH_BONUS = 0.03  # per word, when choosing between overlapping candidates
ENGINE_LIMIT = 25  # hits asked of the engine per span, before the text rules
CACHE_SIZE = 50_000  # screened spans remembered per finder
GATE_SIMILARITY = 0.82  # Jaro-Winkler of a written word and its listed spelling, to be worth screening
MAX_PATTERN_SPELLINGS = 64  # listed spellings kept per automaton key sequence (for the spelling check)
SCHEMAS = ("person", "organization")

_MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
    "\u0900-\u0903\u093a-\u094f\u0951-\u0957\u0962\u0963\u00ad\u200c\u200d"
)
_WORD = re.compile(
    r"(?:[^\W\d_]\.){2,}(?![^\W_])"  # a dotted acronym: I.S.I.S., U.S.
    rf"|[^\W_](?:[^\W_]|[{_MARKS}]|['’ʼ‘`](?=[^\W_]))*"
)
_POSSESSIVE = ("'s", "’s", "'S", "’S", "ʼs")
_POSSESSIVE_SET = frozenset(_POSSESSIVE)
_SOFT_BREAK_IN_TEXT = re.compile(r"(?<=[^\W\d_])[-\u00ad\u2010][ \t]*\r?\n[ \t]*(?=[^\W\d_])")  # "Tali-\nban"
_BREAK = re.compile(r"[,;:()\[\]{}\"“”«»„|/\\!?…؟،]|\s[–—‒―]|[–—‒―]\s|\s['‘’]|['‘’]\s|\n[ \t\r]*\n")
_ARTICLES = frozenset({"al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "the", "l", "ul"})
_ATTACHED_ARTICLES = frozenset({"al", "el", "ul"})  # kept in a mention's span ("al-Qaida", not "the Taliban")


# -- words ------------------------------------------------------------------------------------------------


def _key(canon: str, phonetic: str) -> str:
    """The automaton key of a word: short words as they are, longer ones by consonant skeleton."""
    if len(canon) <= 4 or len(phonetic) < 2 or not canon.isalpha():
        return canon
    return "~" + phonetic


# Flags of a word part (bit mask): how the stream treats it.
_F_DROP = 1  # glue or kin ("al", "-e-", "bin"): never a key
_F_FUNCTION = 2  # an English (or Urdu, Arabic, Russian) function word: a key only when written as an acronym
_F_LOWER_ONLY = 4  # a common word that is also a name ("said"): not a key when written in lower case
_F_ABD = 8  # "abd", "abdul" ...: joined with the next word by the name tokenizer
_F_DIN = 16  # "din", "uddin" ...: joined onto the word before


def _key(canon: str, phonetic: str) -> str:
    """The automaton key of a word: short words as they are, longer ones by consonant skeleton."""
    if len(canon) <= 4 or len(phonetic) < 2 or not canon.isalpha():
        return canon
    return "~" + phonetic


_INFO: dict[str, tuple[tuple[str, str, str, TokenKind, int], ...]] = {}
_INFO_MAX = 400_000


def _word_info(word: str) -> tuple[tuple[str, str, str, TokenKind, int], ...]:
    """(fold, canon, key, kind, flags) of each part of one written word (most words have one part)."""
    found = _INFO.get(word)
    if found is not None:
        return found
    if len(_INFO) >= _INFO_MAX:
        _INFO.clear()
    folded = fold(word.replace("\u00ad", ""))
    functional = function_words()
    out = []
    if word.lower() in functional and not word.isascii():  # "میں", "في", "на": compared as written
        out = [(part, part, part, TokenKind.NAME, _F_FUNCTION) for part in folded.split()]
    else:
        lower_only = lowercase_words()
        for part in folded.split():
            tokens = tokenize_name(part)
            if not tokens:
                continue
            token = tokens[0]
            flags = 0
            if token.kind is TokenKind.GLUE or token.kind is TokenKind.KIN:
                flags |= _F_DROP
            if part in functional:
                flags |= _F_FUNCTION
            if part in lower_only:
                flags |= _F_LOWER_ONLY
            if _abd_prefix(part):
                flags |= _F_ABD
            if part[:1] in "deu" and _din_word(part):
                flags |= _F_DIN
            out.append((token.text, token.canon, _key(token.canon, token.key), token.kind, flags))
    found = _INFO[word] = tuple(out)
    return found


@lru_cache(maxsize=4096)
def _abd_prefix(word: str) -> bool:
    """'abd', 'abdul', 'abdel' ...: joined with the next word by the name tokenizer ("abdul rahman")."""
    return word.startswith("abd") and len(word) <= 6 and len(tokenize_name(word + " rahman")) == 1


@lru_cache(maxsize=4096)
def _din_word(word: str) -> bool:
    """'din', 'uddin', 'deen' ...: joined onto the word before by the name tokenizer ("siraj ud din")."""
    return len(word) <= 7 and len(tokenize_name("siraj " + word)) == 1


@lru_cache(maxsize=65_536)
def _compound(words: str) -> tuple[str, str, str, TokenKind, int] | None:
    tokens = tokenize_name(words)
    if len(tokens) != 1:
        return None
    token = tokens[0]
    return (token.text, token.canon, _key(token.canon, token.key), token.kind, 0)


def _cased(text: str) -> bool:
    return text.upper() != text.lower()


def _latin_capitals(name: str, longest: int) -> bool:
    """A listed name that is one short word in Latin capitals ("ISIL", "HQN"; "TTP-JA" is two words)."""
    letters = name.replace(".", "").replace("-", "")
    return letters.isascii() and letters.isalpha() and letters.isupper() and len(letters) <= longest


def _shouted(word: str) -> bool:
    """A word of two or more letters written in capitals only."""
    return len(word) >= 2 and word.isupper()


def _acronymish(surface: str) -> bool:
    """Written as an acronym: at least two capitals ("TTP", "LeT", "JuD", "ИГИЛ") and at most 8 letters.
    Uncased scripts (Arabic, Han) write no acronyms this way: their short names are words ("داعش")."""
    letters = [c for c in surface if c.isalpha()]
    if not letters or len(letters) > 8:
        return False
    return sum(1 for c in letters if c.isupper()) >= 2


# -- the word stream of a text ----------------------------------------------------------------------------


class _Stream:
    """The words of a text with offsets, folds, keys, kinds, segments (runs of words with no punctuation
    boundary between them) and sentences; and the automaton haystack: the keys in order, " | " at each
    segment boundary, with the word each key belongs to. Built by `_stream`; the columns fold, canon, kind
    and flags are read from each word's part tuple, on first use."""

    def __init__(self, text: str, sentences: list[int]) -> None:
        self.text = text
        self.sentences = sentences  # start offsets
        self.start: list[int] = []
        self.end: list[int] = []
        self.part: list[tuple[str, str, str, TokenKind, int]] = []  # fold, canon, key, kind, flags
        self.key: list[str | None] = []  # the key used (None: not in the haystack)
        self.seg: list[int] = []
        self.sent: list[int] = []
        self.haystack = ""
        self.key_word: list[int] = []  # key ordinal -> word index
        self.key_at_end: dict[int, int] = {}  # haystack offset after a key -> key ordinal
        self._caps: dict[int, bool] = {}
        self._columns: dict[int, list] = {}

    def _column(self, number: int) -> list:
        found = self._columns.get(number)
        if found is None or len(found) != len(self.part):
            found = self._columns[number] = [p[number] for p in self.part]
        return found

    @property
    def fold(self) -> list[str]:
        return self._column(0)

    @property
    def canon(self) -> list[str]:
        return self._column(1)

    @property
    def kind(self) -> list[TokenKind]:
        return self._column(3)

    @property
    def flags(self) -> list[int]:
        return self._column(4)

    def __len__(self) -> int:
        return len(self.start)

    def surface(self, i: int) -> str:
        return self.text[self.start[i] : self.end[i]]

    def span_text(self, a: int, b: int) -> str:
        return self.text[self.start[a] : self.end[b]]

    def no_case(self, sentence: int) -> bool:
        """Whether a sentence carries no case signal: written in capitals only (a headline, a payment
        message), in lower case only, or in an uncased script."""
        found = self._caps.get(sentence)
        if found is None:
            begin = self.sentences[sentence]
            stop = self.sentences[sentence + 1] if sentence + 1 < len(self.sentences) else len(self.text)
            body = self.text[begin:stop]
            found = self._caps[sentence] = body == body.upper() or body == body.lower()
        return found


def _soft_breaks(text: str) -> dict[int, int]:
    """Offsets where a word is broken by a hyphen at a line end ("Tali-\\nban"): end of the first part ->
    start of the second."""
    if "\n" not in text:
        return {}
    return {m.start(): m.end() for m in _SOFT_BREAK_IN_TEXT.finditer(text)}


def _word_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, word) of every word; a word broken by a hyphen at a line end is joined again when its
    second part starts in lower case ("Tali-\\nban", not "Tehrik-e-\\nTaliban"), and a possessive "'s" is
    left out."""
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    soft = _soft_breaks(text)
    if soft:
        joined: list[tuple[int, int, str]] = []
        for item in words:
            if joined and joined[-1][1] in soft and soft[joined[-1][1]] == item[0] and item[2][:1].islower():
                left, right = _word_info(joined[-1][2]), _word_info(item[2])
                if left and right and not (left[-1][4] & _F_DROP) and not (right[0][4] & _F_DROP):
                    joined[-1] = (joined[-1][0], item[1], joined[-1][2] + item[2])
                    continue
            joined.append(item)
        words = joined
    if "'" not in text and "’" not in text and "ʼ" not in text:
        return words
    possessive = _POSSESSIVE_SET
    return [
        (start, end - 2, word[:-2]) if word[-2:] in possessive and len(word) > 3 else (start, end, word)
        for start, end, word in words
    ]


def _stream(text: str, sentences: list[int], haystack: bool = True) -> _Stream:
    """The word stream of `text` (and its automaton haystack). This loop is the hot path of text
    screening: it appends to a few parallel lists and keeps each word's cached part tuple."""
    st = _Stream(text, sentences)
    S, E, P, K, SG, SN = st.start, st.end, st.part, st.key, st.seg, st.sent
    columns = (S, E, P, K, SG, SN)
    seq: list[str] = []  # keys in order, "|" at segment boundaries
    seq_word: list[int] = []
    bounds = [*sentences[1:], len(text) + 1]
    next_bound = bounds[0]
    sent_i = 0
    seg = 0
    key_seg = -1
    prev_end = -1
    prev_word = ""
    prev_flags = 0
    pprev_flags = 0
    n = 0
    info_get = _INFO.get
    breaks = _BREAK.search
    special = _F_DROP | _F_FUNCTION | _F_LOWER_ONLY
    for w_start, w_end, word in _word_spans(text):
        if prev_end >= 0:
            if w_start >= next_bound:
                while w_start >= next_bound:
                    sent_i += 1
                    next_bound = bounds[sent_i]
                seg += 1
            elif (w_start - prev_end != 1 or text[prev_end] != " ") and breaks(text, prev_end, w_start):
                seg += 1
        info = info_get(word) or _word_info(word)
        if len(info) == 1 and not (info[0][4] or (prev_flags | pprev_flags) & _F_ABD):
            # the common case: a plain word of one part, no compound with the word before
            part = info[0]
            key = part[2]
            if haystack:
                if seg != key_seg:
                    if key_seg >= 0:
                        seq.append("|")
                        seq_word.append(-1)
                    key_seg = seg
                seq.append(key)
                seq_word.append(n)
            S.append(w_start)
            E.append(w_end)
            P.append(part)
            K.append(key)
            SG.append(seg)
            SN.append(sent_i)
            n += 1
            pprev_flags = prev_flags = 0
            prev_end = w_end
            prev_word = word
            continue
        for part in info:
            key = part[2]
            flags = part[4]
            start = w_start
            if flags & special:
                if flags & _F_DROP:
                    key = None
                elif flags & _F_FUNCTION:
                    if word.islower() or word[1:].islower():
                        key = None
                    else:
                        key = _function_key(text, st, key, word, w_end, prev_word, sent_i)
                elif flags & _F_LOWER_ONLY and word.islower():
                    key = None
            if (prev_flags & _F_ABD or flags & _F_DIN or pprev_flags & _F_ABD) and n and SG[-1] == seg:
                merged = _merge(P, SG, seg, part, prev_flags)
                if merged is not None:
                    drop, part = merged
                    key = part[2]
                    flags = 0
                    start = S[-drop]
                    for _ in range(drop):
                        if K[-1] is not None and haystack:  # take its key back out of the haystack
                            seq.pop()
                            seq_word.pop()
                        for column in columns:
                            column.pop()
                        n -= 1
            if key is not None and haystack:
                if seg != key_seg:
                    if key_seg >= 0:
                        seq.append("|")
                        seq_word.append(-1)
                    key_seg = seg
                seq.append(key)
                seq_word.append(n)
            S.append(start)
            E.append(w_end)
            P.append(part)
            K.append(key)
            SG.append(seg)
            SN.append(sent_i)
            n += 1
            pprev_flags, prev_flags = prev_flags, flags
        prev_end = w_end
        prev_word = word
    if haystack:
        st.haystack = " " + " ".join(seq) + " "
        key_at_end = st.key_at_end
        key_word = st.key_word
        position = 1
        for element, word_index in zip(seq, seq_word, strict=True):
            position += len(element)
            if word_index >= 0:
                key_at_end[position] = len(key_word)
                key_word.append(word_index)
            position += 1
    return st


def _function_key(
    text: str, st: _Stream, key: str, word: str, w_end: int, prev_word: str, sentence: int
) -> str | None:
    """The key of a function word with capitals: kept when written as an acronym ("IS", "LeT") among
    mixed-case words; not when the sentence or its neighbours shout ("AL-QAIDA IN THE ...")."""
    if sum(1 for c in word if c.isupper()) < 2 or st.no_case(sentence) or _shouted(prev_word):
        return None
    following = _WORD.search(text, w_end)
    if following is not None and _shouted(following.group()):
        return None
    return key


def _merge(
    P: list[tuple[str, str, str, TokenKind, int]],
    SG: list[int],
    seg: int,
    part: tuple[str, str, str, TokenKind, int],
    prev_flags: int,
) -> tuple[int, tuple[str, str, str, TokenKind, int]] | None:
    """Join a compound the name tokenizer joins ("abdul rahman", "abd al rahman", "siraj ud din"):
    (parts to drop, the joined part), or None."""
    f, flags = part[0], part[4]
    if flags & _F_DROP:
        return None
    last = P[-1]
    before = P[-2] if len(P) >= 2 and SG[-2] == seg else None
    merged = None
    drop = 1
    if prev_flags & _F_ABD:
        merged = _compound(last[0] + " " + f)
    elif last[3] is TokenKind.GLUE and before is not None and before[4] & _F_ABD:
        merged, drop = _compound(before[0] + " " + last[0] + " " + f), 2
    elif flags & _F_DIN:
        if last[3] is TokenKind.NAME:
            merged = _compound(last[0] + " " + f)
        elif last[3] is TokenKind.GLUE and before is not None:
            merged, drop = _compound(before[0] + " " + last[0] + " " + f), 2
    return (drop, merged) if merged is not None else None


@dataclass(frozen=True)
class _NameKeys:
    keys: tuple[str, ...]
    canons: tuple[str, ...]
    kinds: tuple[TokenKind, ...]
    article: bool  # the name starts with an article ("AL-QAIDA", "THE YOUTH")


@lru_cache(maxsize=131_072)
def name_keys(name: str) -> _NameKeys:
    """The automaton keys of a listed name or alias: as in running text, but function words are dropped only
    when two other words remain ("Islamic State in Iraq" -> islamic state iraq; "IS BANK" keeps "is")."""
    st = _stream(name, [0], haystack=False)
    kept = [i for i in range(len(st)) if not st.flags[i] & _F_DROP]
    informative = [i for i in kept if not st.flags[i] & (_F_FUNCTION | _F_LOWER_ONLY)]
    chosen = informative if len(informative) >= 2 else kept
    article = bool(len(st)) and st.kind[0] is TokenKind.GLUE and st.fold[0] in _ARTICLES
    return _NameKeys(
        tuple(_key(st.canon[i], skeleton(st.canon[i]) or st.canon[i]) for i in chosen),
        tuple(st.canon[i] for i in chosen),
        tuple(st.kind[i] for i in chosen),
        article,
    )


# -- the automaton ----------------------------------------------------------------------------------------


@dataclass
class _Pattern:
    n: int
    plain: set[int] = field(default_factory=set)  # entities, no condition
    article: set[int] = field(default_factory=set)  # one-word names that need their article before them
    acronym: set[int] = field(default_factory=set)  # one-word names that must be written as an acronym
    aliases: list[AliasRow] = field(default_factory=list)
    canons: set[tuple[str, ...]] = field(default_factory=set)  # the listed spellings behind the keys
    persons_only: bool = True


class _PyAutomaton:
    """Fallback for a missing pyahocorasick: the same matches over the key sequence, by a dictionary trie."""

    def __init__(self) -> None:
        self.root: dict = {}

    def add(self, keys: Sequence[str], value: int) -> None:
        node = self.root
        for key in keys:
            node = node.setdefault(key, {})
        node[None] = value

    def iter_keys(self, keys: Sequence[str | None]) -> Iterable[tuple[int, int]]:
        """(ordinal of the last key, pattern id) of every match; None is a boundary."""
        for i in range(len(keys)):
            node = self.root
            j = i
            while j < len(keys) and keys[j] is not None:
                node = node.get(keys[j])
                if node is None:
                    break
                if None in node:
                    yield j, node[None]
                j += 1


@dataclass
class _Candidate:
    a: int  # first word (stream index)
    b: int  # last word
    entities: set[int] = field(default_factory=set)
    aliases: list[AliasRow] = field(default_factory=list)
    n_keys: int = 0


@dataclass
class _Scored:
    a: int
    b: int
    hits: list[MentionHit]
    acronym: bool
    n_keys: int
    aliases: list[AliasRow]

    @property
    def rank(self) -> float:
        return max(h.score for h in self.hits) + LENGTH_BONUS * self.n_keys


@dataclass(frozen=True)
class _Judged:
    """An engine hit that passed the text rules that depend on the span's words alone."""

    hit: Hit
    is_org: bool
    alert: bool
    rules: tuple[str, ...]
    lower_checks: tuple[str, ...]  # words that must not be written in lower case in mixed-case text


class MentionFinder:
    """The dictionary over one Screener's index, built once (`finder_for`), then `find` any number of texts.
    Thread-safe for finding: the caches are plain dicts filled idempotently."""

    def __init__(self, screener: Screener, aliases: Sequence[AliasRow] | None = None) -> None:
        self.screener = screener
        self.index = screener.index
        self.aliases = tuple(media_aliases() if aliases is None else aliases)
        self._cues = context_cues()
        self._places = place_words()
        self._not_mentions = {fold(n.phrase): n for n in not_mentions()}
        self._roles = role_words()
        self._generic = generic_org_words()
        self._screened: dict[tuple, list[Hit]] = {}
        self._expanded: dict[tuple, list[Hit]] = {}
        self._listed_tokens: dict[tuple[str, bool], dict[str, float]] = {}
        self._judged: dict[tuple, list[_Judged]] = {}
        self._gate: dict[tuple[tuple[str, ...], int], bool] = {}
        self._alias_dicts: dict[AliasRow, dict] = {}
        self._resolved_id_cache: dict[AliasRow, set[str]] = {}
        self._build()

    # -- building ----------------------------------------------------------------------------------------

    def _build(self) -> None:
        index = self.index
        patterns: dict[tuple[str, ...], _Pattern] = {}
        entity_keys: list[set[str]] = [set() for _ in index.entities]
        by_fold: dict[str, set[int]] = defaultdict(set)
        acronym_names: set[str] = set()
        rarity = index.rarity

        def pattern(keys: tuple[str, ...], canons: tuple[str, ...], person: bool = False) -> _Pattern:
            found = patterns.get(keys)
            if found is None:
                found = patterns[keys] = _Pattern(len(keys))
            if len(found.canons) < MAX_PATTERN_SPELLINGS:
                found.canons.add(canons)
            if not person:
                found.persons_only = False
            return found

        for name_index, full in enumerate(index.name_full):
            entity_index = index.name_entity[name_index]
            schema = index.entities[entity_index].schema
            if schema is not Schema.PERSON and schema is not Schema.ORGANIZATION:
                continue
            by_fold[fold(full)].add(entity_index)
            nk = name_keys(full)
            keys = nk.keys
            if not keys:
                continue
            entity_keys[entity_index].update(keys)
            kind = index.name_kind[name_index]
            canons = nk.canons
            if schema is Schema.PERSON:
                if len(keys) >= 2:
                    pattern(keys, canons, True).plain.add(entity_index)
                    if len(keys) == 2:
                        pattern(keys[::-1], canons[::-1], True).plain.add(entity_index)
                    else:
                        weights = [
                            KIND_WEIGHT[k] * rarity.get(c, 1.0)
                            for c, k in zip(nk.canons, nk.kinds, strict=True)
                        ]
                        for i in range(len(keys)):
                            for j in range(i + 1, len(keys)):
                                if TokenKind.INITIAL in (nk.kinds[i], nk.kinds[j]):
                                    continue
                                if max(weights[i], weights[j]) >= PAIR_MIN_WEIGHT and keys[i] != keys[j]:
                                    pair, spelled = (keys[i], keys[j]), (canons[i], canons[j])
                                    pattern(pair, spelled, True).plain.add(entity_index)
                                    pattern(pair[::-1], spelled[::-1], True).plain.add(entity_index)
                continue
            if len(keys) >= 2:
                pattern(keys, canons).plain.add(entity_index)
                continue
            is_acronym = (
                name_index in index.acronym_names or kind is NameKind.WEAK or _latin_capitals(full, 4)
            )
            if is_acronym:
                acronym_names.add(full)
                pattern(keys, canons).acronym.add(entity_index)
            elif nk.article:
                pattern(keys, canons).article.add(entity_index)
            else:
                pattern(keys, canons).plain.add(entity_index)

        self._resolved: dict[AliasRow, frozenset[int]] = {}
        ids = {e.entity_id: i for i, e in enumerate(index.entities)}
        for row in self.aliases:
            nk = name_keys(row.alias)
            if not nk.keys:
                continue
            resolved = {ids[e] for e in row.entities if e in ids}
            for name in row.expands_to:
                resolved.update(by_fold.get(fold(name), ()))
            self._resolved[row] = frozenset(resolved)
            pattern(nk.keys, nk.canons).aliases.append(row)

        self._acronym_names = frozenset(acronym_names)
        self._entity_keys = [frozenset(k) for k in entity_keys]
        self._patterns = list(patterns.values())
        if _ahocorasick is not None:
            automaton = _ahocorasick.Automaton()
            for pid, (keys, _) in enumerate(patterns.items()):
                automaton.add_word(" " + " ".join(keys) + " ", pid)
            automaton.make_automaton()
            self._automaton = automaton
            self._trie = None
        else:  # pragma: no cover
            trie = _PyAutomaton()
            for pid, keys in enumerate(patterns):
                trie.add(keys, pid)
            self._automaton = None
            self._trie = trie

    @property
    def pattern_count(self) -> int:
        return len(self._patterns)

    # -- finding -----------------------------------------------------------------------------------------

    def find(
        self,
        text: str,
        profile: str | Profile = "kyc",
        *,
        threshold: float | None = None,
        report_floor: float | None = None,
        cue_window: int = CUE_WINDOW,
        fields: Sequence[tuple[str, int, int]] = (),
    ) -> list[Mention]:
        """Mentions of listed persons and organisations in `text`, in text order. `report_floor` (default:
        the profile's threshold less 0.08) drops weaker hits; `fields` (label, start, end) name the message
        field each mention is in."""
        chosen = get_profile(profile) if isinstance(profile, str) else profile
        chosen = chosen.with_threshold(threshold)
        floor = round(chosen.threshold - 0.08, 4) if report_floor is None else report_floor
        with _collector_paused():
            return self._find(text, chosen, floor, cue_window, fields)

    def _find(
        self,
        text: str,
        chosen: Profile,
        floor: float,
        cue_window: int,
        fields: Sequence[tuple[str, int, int]],
    ) -> list[Mention]:
        found: list[tuple[Mention, _Scored, str | None]] = []  # mention, its scoring, a context cue near it
        for offset, chunk in _chunks(text):
            sentences = sentence_starts(chunk)
            st = _stream(chunk, sentences)
            if not len(st):
                continue
            scored = self._choose(self._score_all(st, self._candidates(st), chosen, floor))
            for item in scored:
                mention = Mention(
                    start=offset + st.start[item.a],
                    end=offset + st.end[item.b],
                    text=st.span_text(item.a, item.b),
                    sentence=self._sentence(st, item.a),
                    hits=item.hits,
                )
                cue = self._cue(st, item, scored, cue_window) if item.acronym else None
                found.append((mention, item, cue))
        self._apply_context(found, cue_window)
        mentions = [m for m, _, _ in found]
        if fields:
            for mention in mentions:
                for label, begin, stop in fields:
                    if begin <= mention.start < stop:
                        mention.field = label
                        break
        return mentions

    def _sentence(self, st: _Stream, i: int) -> str:
        number = st.sent[i]
        begin = st.sentences[number]
        stop = st.sentences[number + 1] if number + 1 < len(st.sentences) else len(st.text)
        return clean_sentence(st.text[begin:stop])

    def _candidates(self, st: _Stream) -> list[_Candidate]:
        found: dict[tuple[int, int], _Candidate] = {}
        matches: Iterable[tuple[int, int]]
        key_word = st.key_word
        if self._automaton is not None:
            key_at_end = st.key_at_end
            matches = ((key_at_end[end], pid) for end, pid in self._automaton.iter(st.haystack))
        else:  # pragma: no cover
            sequence: list[str | None] = [None if k == "|" else k for k in st.haystack.split()]
            key_word = [-1 if k is None else 0 for k in sequence]
            ordinal = 0
            for position, k in enumerate(sequence):
                if k is not None:
                    key_word[position] = st.key_word[ordinal]
                    ordinal += 1
            matches = self._trie.iter_keys(sequence)
        canon = st.canon
        gate = self._gate
        for last, pid in matches:
            pat = self._patterns[pid]
            first = last - pat.n + 1
            a = key_word[first]
            b = key_word[last]
            written = tuple(canon[key_word[o]] for o in range(first, last + 1))
            if written not in pat.canons:
                gate_key = (written, pid)
                passed = gate.get(gate_key)
                if passed is None:
                    if len(gate) >= CACHE_SIZE:
                        gate.clear()
                    passed = gate[gate_key] = _spelled_like(written, pat.canons)
                if not passed:
                    continue  # the keys agree but no listed spelling does ("people across" / "Pavel Grachev")
            if pat.persons_only and not pat.aliases and _lower_word(st, key_word, first, last):
                continue  # a person's name is capitalised in mixed-case text
            entities = set(pat.plain)
            aliases = [r for r in pat.aliases if self._spells(st, a, b, r)]
            before = self._article_before(st, a)
            if pat.n == 1:
                if pat.article and before is not None:
                    entities |= pat.article
                acronym = _acronymish(st.surface(a))
                if acronym:
                    entities |= pat.acronym
                else:
                    aliases = [r for r in aliases if not r.is_acronym]
                if not entities and not aliases:
                    continue
            if before is not None and (st.fold[before] in _ATTACHED_ARTICLES or pat.article):
                a = before
            candidate = found.get((a, b))
            if candidate is None:
                candidate = found[(a, b)] = _Candidate(a, b, n_keys=pat.n)
            candidate.entities |= entities
            candidate.aliases.extend(r for r in aliases if r not in candidate.aliases)
        out = list(found.values())
        widened = []
        for candidate in out:
            entities = set(candidate.entities)
            for row in candidate.aliases:
                entities |= self._resolved.get(row, frozenset())
            if not entities or len(entities) > MAX_EXTEND_ENTITIES:
                continue
            a, b = self._widen(st, candidate.a, candidate.b, entities)
            if (a, b) != (candidate.a, candidate.b) and (a, b) not in found:
                n_keys = sum(1 for i in range(a, b + 1) if st.key[i] is not None)
                wide = _Candidate(a, b, set(candidate.entities), [], n_keys)
                found[(a, b)] = wide
                widened.append(wide)
        return out + widened

    @staticmethod
    def _spells(st: _Stream, a: int, b: int, row: AliasRow) -> bool:
        """Whether the words a..b spell the alias (keys are consonant skeletons: "disease" shares one
        with "Daesh"); each word must be the alias word or a close spelling of it."""
        words = [st.canon[i] for i in range(a, b + 1) if st.key[i] is not None]
        wanted = name_keys(row.alias).canons
        return len(words) == len(wanted) and all(
            w == x or _close_spelling(w, x, "") for w, x in zip(words, wanted, strict=True)
        )

    @staticmethod
    def _article_before(st: _Stream, i: int) -> int | None:
        j = i - 1
        if j >= 0 and st.seg[j] == st.seg[i] and st.kind[j] is TokenKind.GLUE and st.fold[j] in _ARTICLES:
            return j
        return None

    def _widen(self, st: _Stream, a: int, b: int, entities: set[int]) -> tuple[int, int]:
        """Grow a span over neighbouring words that are words of one of its entities' names."""
        owned = [self._entity_keys[e] for e in entities]

        def belongs(i: int) -> bool:
            key = st.key[i]
            return key is not None and any(key in keys for keys in owned)

        n = len(st)
        for step in (1, -1):
            edge = b if step == 1 else a
            grown = 0
            while grown < MAX_EXTEND:
                k = edge + step
                while (
                    0 <= k < n
                    and st.seg[k] == st.seg[edge]
                    and st.key[k] is None
                    and (st.kind[k] is TokenKind.GLUE or st.kind[k] is TokenKind.KIN)
                ):
                    k += step
                if not (0 <= k < n) or st.seg[k] != st.seg[edge]:
                    break
                if belongs(k):
                    edge = k
                    grown += 1
                else:
                    break
            if step == 1:
                b = edge
            else:
                a = edge
        return a, b

    # -- scoring -----------------------------------------------------------------------------------------

    def _screen(self, name: str, profile: Profile) -> list[Hit]:
        key = (name, profile.name, profile.threshold)
        hits = self._screened.get(key)
        if hits is None:
            if len(self._screened) >= CACHE_SIZE:
                self._screened.clear()
            result = self.screener.screen(Query(name), profile, limit=ENGINE_LIMIT)
            hits = self._screened[key] = [h for h in result.hits if h.schema in SCHEMAS]
        return hits

    def _expansion(self, row: AliasRow, profile: Profile) -> list[Hit]:
        """Hits of the names an alias stands for, on the entities the row means."""
        key = (row, profile.name, profile.threshold)
        hits = self._expanded.get(key)
        if hits is None:
            resolved = self._resolved.get(row, frozenset())
            ids = {self.index.entities[i].entity_id for i in resolved}
            best: dict[str, Hit] = {}
            for name in row.expands_to:
                for hit in self._screen(name, profile):
                    if hit.entity_id in ids and (
                        hit.entity_id not in best or hit.score > best[hit.entity_id].score
                    ):
                        best[hit.entity_id] = hit
            hits = self._expanded[key] = sorted(best.values(), key=lambda h: (-h.score, h.entity_id))
        return hits

    def _listed(self, name: str, is_org: bool) -> dict[str, float]:
        key = (name, is_org)
        found = self._listed_tokens.get(key)
        if found is None:
            found = {}
            for token in tokenize_name(name, is_org):
                if token.kind in (TokenKind.NAME, TokenKind.KUNYA, TokenKind.NUMBER):
                    found[token.text] = max(found.get(token.text, 0.0), self.index.weight(token))
                else:
                    found.setdefault(token.text, 0.0)
            self._listed_tokens[key] = found
        return found

    def _score_all(
        self, st: _Stream, candidates: list[_Candidate], profile: Profile, floor: float
    ) -> list[_Scored]:
        out = []
        for candidate in candidates:
            scored = self._score(st, candidate, profile, floor)
            if scored is not None:
                out.append(scored)
        return out

    def _score(self, st: _Stream, c: _Candidate, profile: Profile, floor: float) -> _Scored | None:
        query = " ".join(st.span_text(c.a, c.b).split())
        folded = fold(query)
        aliases = c.aliases
        allowed: set[str] | None = None
        if aliases:
            allowed = set()
            for row in aliases:
                allowed |= self._resolved_ids(row)
        kept: dict[str, MentionHit] = {}
        lower: set[str] | None = None
        for judged in self._static(query, folded, c.n_keys, profile, floor):
            hit = judged.hit
            if allowed is not None and hit.entity_id not in allowed:
                continue
            if judged.lower_checks:
                if lower is None:
                    lower = self._lower_words(st, c)
                if any(word in lower for word in judged.lower_checks):
                    continue  # a lower-case word in mixed-case text is a name only when spelled as listed
            alert = judged.alert
            rules = list(judged.rules)
            if alert and not judged.is_org:
                reason = self._longer_name(st, c)
                if reason:
                    alert = False
                    rules.append(reason)
            elif alert and c.n_keys == 1 and not aliases:
                reason = self._one_word_doubt(st, c, folded)
                if reason:
                    alert = False
                    rules.append(reason)
            kept[hit.entity_id] = MentionHit(hit, alert, "list-name", rules)
        for row in aliases:
            note = (
                f"{row.alias!r} is {'an acronym' if row.is_acronym else 'a media name'} for "
                f"{' / '.join(row.expands_to)} "
                f"(alias table line {row.line}: {row.source})"
            )
            for hit in self._expansion(row, profile):
                if hit.score < floor:
                    continue
                current = kept.get(hit.entity_id)
                if current is not None and current.score >= hit.score:
                    if current.alias is None:
                        current.alias = self._alias_dict(row)
                        current.rules.append(note)
                    continue
                kept[hit.entity_id] = MentionHit(hit, hit.alert, "alias-table", [note], self._alias_dict(row))
        if not kept:
            return None
        hits = sorted(kept.values(), key=lambda h: (-h.score, h.entity_id))
        self._demote_longer_names(hits, query)
        acronym = any(r.is_acronym for r in aliases) or all(
            h.hit.matched_name in self._acronym_names for h in hits
        )
        if not aliases:
            not_mention = self._not_mentions.get(folded)
            if not_mention is not None:
                for h in hits:
                    if h.alert:
                        h.alert = False
                        h.rules.append(f"{query!r} is {not_mention.reason} (text/data/not_mentions.csv)")
        return _Scored(c.a, c.b, hits[: profile.limit], acronym, c.n_keys, aliases)

    def _alias_dict(self, row: AliasRow) -> dict:
        found = self._alias_dicts.get(row)
        if found is None:
            found = self._alias_dicts[row] = row.to_dict()
        return found

    def _resolved_ids(self, row: AliasRow) -> set[str]:
        found = self._resolved_id_cache.get(row)
        if found is None:
            found = self._resolved_id_cache[row] = {
                self.index.entities[i].entity_id for i in self._resolved.get(row, frozenset())
            }
        return found

    @staticmethod
    def _lower_words(st: _Stream, c: _Candidate) -> set[str]:
        """Folded words of a span written in lower case, in a sentence with a case signal."""
        if st.no_case(st.sent[c.a]):
            return set()
        return {
            st.fold[i]
            for i in range(c.a, c.b + 1)
            if st.key[i] is not None and st.text[st.start[i]].islower()
        }

    def _static(self, query: str, folded: str, n_keys: int, profile: Profile, floor: float) -> list[_Judged]:
        """The engine's hits on a span that pass the text rules that depend on the span alone (cached)."""
        key = (query, n_keys, profile.name, profile.threshold, floor)
        found = self._judged.get(key)
        if found is None:
            if len(self._judged) >= CACHE_SIZE:
                self._judged.clear()
            found = []
            query_kinds: dict[str, TokenKind] | None = None
            for hit in self._screen(query, profile):
                if hit.score < floor:
                    continue
                if query_kinds is None:
                    query_kinds = {t.text: t.kind for t in tokenize_name(query)}
                judged = self._judge(hit, folded, n_keys, query_kinds)
                if judged is not None:
                    found.append(judged)
            self._judged[key] = found
        return found

    def _judge(self, hit: Hit, folded: str, n_keys: int, query_kinds: dict[str, TokenKind]) -> _Judged | None:
        """Keep or drop one engine hit on a span by the rules that depend on the span's words alone, and hold
        back its alert where such a rule says so."""
        match = hit.name_match
        if match is None or not match.pairs:
            return None
        is_org = hit.schema != "person"
        if hit.matched_name in self._acronym_names and fold(hit.matched_name).replace(
            " ", ""
        ) != folded.replace(" ", ""):
            return None  # an acronym stands for the entity only when the text writes exactly that acronym
        listed = self._listed(hit.matched_name, is_org)
        informative = {t for t, w in listed.items() if w >= INFORMATIVE_WEIGHT}
        covered = sum(1 for p in match.pairs if p.listed in informative or p.listed not in listed)
        if covered < max(1, min(2, len(informative))):
            return None  # the text has too few of the listed name's identifying words
        if not is_org and n_keys < 2:
            return None  # one word does not identify a person in running text
        if not any(
            p.how in ("exact", "variant") for p in match.pairs if p.listed in informative or not informative
        ):
            return None  # running text is full of sound-alike words: one identifying word must be spelled as listed
        for p in match.pairs:
            if (p.listed in informative or p.listed not in listed) and not _close_spelling(
                p.query, p.listed, p.how
            ):
                return None  # "Ali" for "ALIQ", "Omari" for "OMAR": another name, not a spelling of this one
        rules: list[str] = []
        alert = hit.alert
        if not is_org:
            if self._other_person(query_kinds, hit, listed, informative):
                return None
        elif alert and self._generic_name(hit.matched_name):
            alert = False
            rules.append(
                f"{hit.matched_name!r} is a generic institution name (text/data/generic_org_words.txt): "
                "the text does not say which country's body it is"
            )
        if n_keys == 1 and is_org:
            pair = max(match.pairs, key=lambda p: p.weight)
            close = (
                pair.how in ("exact", "variant")
                or len(skeleton(pair.listed)) >= 4
                or Levenshtein.distance(pair.query, pair.listed) <= 1
            )
            if not close:
                return None
        lower_checks = tuple(p.query for p in match.pairs if not is_org or p.how not in ("exact", "variant"))
        return _Judged(hit, is_org, alert, tuple(rules), lower_checks)

    def _other_person(
        self, query_kinds: dict[str, TokenKind], hit: Hit, listed: dict[str, float], informative: set[str]
    ) -> str | None:
        """Why a person mention names someone other than the listed person, or None."""
        match = hit.name_match
        assert match is not None
        matched = {p.listed for p in match.pairs}

        def found(word: str) -> bool:
            return word in matched or any(word in m for m in matched)

        parts = _name_parts(hit.matched_name)
        surname = [t for t in parts[1] if t in informative]
        if surname and not any(found(t) for t in surname):
            return f"the text lacks the listed family name ({' '.join(surname)})"
        given = [t for t in parts[0] if listed.get(t, 0.0) > 0.0]
        if given and given[0] in informative and not found(given[0]):
            return f"the text lacks the listed first name ({given[0]}): another person of the family"
        extra_query = [t for t in match.unmatched_query if query_kinds.get(t) is TokenKind.NAME]
        extra_listed = [t for t in match.unmatched_listed if listed.get(t, 0.0) > 0.0]
        if extra_query and extra_listed:
            return f"both names have words the other lacks ({', '.join(extra_query)} / {', '.join(extra_listed)})"
        if sum(1 for p in match.pairs if p.listed in informative) < 2 and extra_listed:
            return "one identifying word only, and the listed name has more"
        return None

    def _longer_name(self, st: _Stream, c: _Candidate) -> str | None:
        """Why a person mention may be part of a longer name the list lacks ("Abu Bakr Hussein"), or None:
        a capitalised name word right after it, or right before it that is not a role ("Minister")."""
        for k, side in ((c.b + 1, "after"), (c.a - 1, "before")):
            if not (0 <= k < len(st)) or st.seg[k] != st.seg[c.a] or st.sent[k] != st.sent[c.a]:
                continue
            if st.key[k] is None or st.no_case(st.sent[k]) or st.kind[k] is TokenKind.TITLE:
                continue
            surface = st.surface(k)
            if not (_cased(surface) and surface[:1].isupper()):
                continue
            if side == "before" and (
                st.fold[k] in self._roles or st.fold[k] in self._places or self._sentence_start(st, k)
            ):
                continue
            return (
                f"{surface!r} stands {side} the name: the text names someone with a longer name "
                f"({st.span_text(min(k, c.a), max(k, c.b))!r})"
            )
        return None

    def _generic_name(self, name: str) -> bool:
        words = fold(name).split()
        return bool(words) and all(w in self._generic for w in words)

    def _one_word_doubt(self, st: _Stream, c: _Candidate, folded: str) -> str | None:
        """Why a one-word organisation name in running text may be an ordinary word, or None."""
        words = [i for i in range(c.a, c.b + 1) if st.key[i] is not None]
        if not words:
            return None
        word = words[0]
        surface = st.surface(word)
        core = fold(surface)
        if core in self._places or folded in self._places:
            return f"{surface!r} is a place name; a place alone is not a mention of the organisation"
        if _cased(surface) and not st.no_case(st.sent[word]) and surface == surface.lower():
            has_article = any(st.kind[i] is TokenKind.GLUE for i in range(c.a, word))
            if not has_article:
                return f"{surface!r} is written in lower case: read as an ordinary word, not a name"
        for k in (c.a - 1, c.b + 1):
            if 0 <= k < len(st) and st.seg[k] == st.seg[word] and st.key[k] is not None:
                neighbour = st.surface(k)
                if (
                    _cased(neighbour)
                    and neighbour[:1].isupper()
                    and not st.no_case(st.sent[k])
                    and not (k == c.a - 1 and st.sent[k] == st.sent[word] and self._sentence_start(st, k))
                ):
                    return (
                        f"{surface!r} stands inside a longer proper name ({st.span_text(min(k, c.a), max(k, c.b))!r})"
                        " that the lists do not have"
                    )
        return None

    @staticmethod
    def _sentence_start(st: _Stream, k: int) -> bool:
        return k == 0 or st.sent[k - 1] != st.sent[k]

    def _demote_longer_names(self, hits: list[MentionHit], query: str) -> None:
        """Organisations whose listed name and the text differ by identifying words (a branch or a splinter,
        "TTP GEEDAR GROUP"; or a parent whose name the text extends, "Islamic State in Iraq and the Levant"
        in "... - Khorasan") do not alert when another listing matches the text word for word."""
        full: list[MentionHit] = []
        partial: list[tuple[MentionHit, list[str]]] = []
        query_words: dict[str, TokenKind] | None = None
        for h in hits:
            match = h.hit.name_match
            if h.hit.schema != "organization" or match is None:
                continue
            if h.found_by == "alias-table":
                full.append(h)
                continue
            listed = self._listed(h.hit.matched_name, True)
            missing = [t for t in match.unmatched_listed if listed.get(t, 0.0) >= INFORMATIVE_WEIGHT]
            if match.unmatched_query:
                if query_words is None:
                    query_words = {t.text: t.kind for t in tokenize_name(query, True)}
                missing += [
                    t
                    for t in match.unmatched_query
                    if query_words.get(t) is TokenKind.NAME
                    and self.index.rarity.get(t, 1.0) >= INFORMATIVE_WEIGHT
                ]
            (partial.append((h, missing)) if missing else full.append(h))
        if not partial or not any(h.alert for h in full):
            return
        best = max(h.score for h in full if h.alert)
        for h, missing in partial:
            if h.alert and h.score <= best + 0.02:
                h.alert = False
                h.rules.append(
                    f"the listed name and the text differ by identifying words ({', '.join(missing)}); "
                    "another listing matches the text word for word"
                )

    @staticmethod
    def _choose(scored: list[_Scored]) -> list[_Scored]:
        """Non-overlapping candidates, best first (score plus a small bonus per word), in text order."""
        chosen: list[_Scored] = []
        taken: set[int] = set()
        for item in sorted(scored, key=lambda s: (-s.rank, s.a, -(s.b - s.a))):
            words = range(item.a, item.b + 1)
            if any(i in taken for i in words):
                continue
            chosen.append(item)
            taken.update(words)
        chosen.sort(key=lambda s: s.a)
        return chosen

    # -- acronym context ---------------------------------------------------------------------------------

    def _cue(self, st: _Stream, item: _Scored, scored: list[_Scored], window: int) -> str | None:
        """A group-context word or another group's mention near an acronym, in the same sentence."""
        sentence = st.sent[item.a]
        lo, hi = max(0, item.a - window), min(len(st) - 1, item.b + window)
        nearest: tuple[int, str] | None = None
        for i in range(lo, hi + 1):
            if item.a <= i <= item.b or st.sent[i] != sentence:
                continue
            if st.fold[i] in self._cues:
                distance = item.a - i if i < item.a else i - item.b
                if nearest is None or distance < nearest[0]:
                    nearest = (distance, f"group-context word {st.surface(i)!r} {distance} word(s) away")
        if nearest is not None:
            return nearest[1]
        # `scored` is in text order: look only at the mentions that start near this one
        first = bisect_left(scored, item.a - window - MAX_SPAN_WORDS, key=lambda x: x.a)
        for other in scored[first:]:
            if other.a > item.b + window:
                break
            if other is item or other.acronym or st.sent[other.a] != sentence:
                continue
            distance = item.a - other.b if other.b < item.a else other.a - item.b
            if 0 < distance <= window and any(h.alert and h.hit.schema == "organization" for h in other.hits):
                return f"another listed group ({st.span_text(other.a, other.b)!r}) is named {distance} word(s) away"
        return None

    def _apply_context(self, found: list[tuple[Mention, _Scored, str | None]], window: int) -> None:
        """An acronym alerts when the document names the same entity in full, or (for a group acronym of the
        alias table) when a group-context word or another group stands near it."""
        named: dict[str, Mention] = {}
        for mention, item, _ in found:
            if item.acronym:
                continue
            for h in mention.hits:
                if h.alert:
                    named.setdefault(h.entity_id, mention)
        for mention, item, cue in found:
            if not item.acronym:
                continue
            known: set[str] = set()
            for row in item.aliases:
                known |= {self.index.entities[i].entity_id for i in self._resolved.get(row, frozenset())}
            for h in mention.hits:
                if not h.alert:
                    continue
                full = named.get(h.entity_id)
                if full is not None:
                    h.rules.append(
                        f"acronym {mention.text!r}: the document also names {h.hit.name!r} in full "
                        f"({full.text!r} at {full.start})"
                    )
                elif h.entity_id in known and cue:
                    h.rules.append(f"acronym {mention.text!r}: {cue}")
                else:
                    h.alert = False
                    h.rules.append(
                        f"acronym {mention.text!r} not alerted: the document does not name "
                        f"{h.hit.name!r} in full"
                        + (
                            f" and no group-context word or other group stands within {window} words"
                            if h.entity_id in known
                            else " (only a group acronym of the alias table may alert on context words)"
                        )
                    )


def _spelled_like(written: tuple[str, ...], spellings: set[tuple[str, ...]]) -> bool:
    """Whether the written words could be one of the listed spellings: each word close to its listed word
    and at least one of them the same."""
    for listed in spellings:
        same = len(written) == 1
        for w, x in zip(written, listed, strict=True):
            if w == x:
                same = True
            elif min(len(w), len(x)) < 4 or JaroWinkler.similarity(w, x) < GATE_SIMILARITY:
                break
        else:
            if same:
                return True
    return False


def _lower_word(st: _Stream, key_word: list[int], first: int, last: int) -> bool:
    """Whether a key word of the run is written in lower case in a sentence that has a case signal."""
    for o in range(first, last + 1):
        i = key_word[o]
        if st.text[st.start[i]].islower() and not st.no_case(st.sent[i]):
            return True
    return False


def _close_spelling(query: str, listed: str, how: str) -> bool:
    """Whether two aligned words are spellings of one name (not merely similar names): same spelling family,
    or long words (6+ letters) that sound alike, or a one-vowel change in a 5-letter word (Laden/Ladin)."""
    if how in ("exact", "variant") or query == listed:
        return True
    if how == "initial":
        return False
    shortest = min(len(query), len(listed))
    if shortest >= 6:
        return True
    return (
        shortest >= 5
        and len(query) == len(listed)
        and Levenshtein.distance(query, listed) <= 1
        and skeleton(query) == skeleton(listed)
    )


def _name_parts(name: str) -> tuple[list[str], list[str]]:
    """(given-name words, family-name words), folded, where the list marks them: "SURNAME, Given" (OFAC),
    or a mixed-case "Given SURNAME" (UK); else all words as given names and no family name (UN writes
    names in capitals, given names first)."""
    if "," in name:
        family, given = name.split(",", 1)
        return fold(given).split(), fold(family).split()
    words = name.split()
    upper = [w for w in words if w.isupper() and len(w) >= 2]
    if upper and len(upper) < len(words):
        return fold(" ".join(w for w in words if w not in upper)).split(), fold(" ".join(upper)).split()
    return fold(name).split(), []


_GC_LOCK = threading.Lock()
_GC_USERS = 0
_GC_WAS_ENABLED = False


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while finding: the word stream allocates many small objects
    that live until the text is done, and each full collection would walk the whole list index (millions of
    objects) for nothing; this halves the time on long texts. Re-entrant and thread-safe: the collector
    resumes when the last finder running leaves, and only if it was running before."""
    global _GC_USERS, _GC_WAS_ENABLED
    with _GC_LOCK:
        if _GC_USERS == 0:
            _GC_WAS_ENABLED = gc.isenabled()
            gc.disable()
        _GC_USERS += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _GC_USERS -= 1
            if _GC_USERS == 0 and _GC_WAS_ENABLED:
                gc.enable()


def _chunks(text: str) -> Iterable[tuple[int, str]]:
    """(offset, piece) of `text`, each about CHUNK_CHARS long, cut after a paragraph or sentence end."""
    length = len(text)
    begin = 0
    while begin < length:
        stop = begin + CHUNK_CHARS
        if stop >= length:
            yield begin, text[begin:]
            return
        window = text[stop : stop + 20_000]
        cut = -1
        for pattern in ("\n\n", "\n", ". ", " "):
            found = window.find(pattern)
            if found >= 0:
                cut = stop + found + len(pattern)
                break
        if cut < 0:
            cut = stop
        yield begin, text[begin:cut]
        begin = cut


_FINDERS: weakref.WeakKeyDictionary[Screener, MentionFinder] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def finder_for(screener: Screener) -> MentionFinder:
    """The finder of a Screener, built on first use and kept as long as the Screener lives."""
    finder = _FINDERS.get(screener)
    if finder is None:
        with _LOCK:
            finder = _FINDERS.get(screener)
            if finder is None:
                finder = _FINDERS[screener] = MentionFinder(screener)
    return finder


def find_mentions(
    screener: Screener,
    text: str,
    profile: str | Profile = "kyc",
    *,
    threshold: float | None = None,
    report_floor: float | None = None,
    fields: Sequence[tuple[str, int, int]] = (),
) -> list[Mention]:
    """Mentions of listed persons and organisations in free text (also for message free-text fields such as
    MT103 :70: or pacs.008 RmtInf/Ustrd; `fields` names them)."""
    return finder_for(screener).find(
        text, profile, threshold=threshold, report_floor=report_floor, fields=fields
    )
