"""Names as tokens: each folded word classified (name, title, particle, legal form ...), compounds joined,
spelling families and a phonetic key attached.

Word lists live in `names/data/*.txt`; each file says what reads it. Nothing is deleted: a title or a
particle stays a token with its kind, so the comparison can weigh it low and the explanation can show it.
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import cache, lru_cache
from importlib.resources import files
from typing import NamedTuple

from ctscreen.names.arabic import org_transliteration_in_english, org_words_in_english
from ctscreen.names.normalize import fold
from ctscreen.names.phonetic import skeleton


class TokenKind(StrEnum):
    NAME = "name"
    TITLE = "title"
    GLUE = "glue"  # al-, -e-, -ud-, of, and: optional, no weight
    KIN = "kin"  # bin, ibn, bint, ould: optional, very low weight
    KUNYA = "kunya"  # abu, umm: low weight, not optional
    LEGAL = "legal"  # LLC, Ltd, GmbH
    GENERIC = "generic"  # Foundation, Trust, Group
    INITIAL = "initial"  # a single letter
    NUMBER = "number"


class Token(NamedTuple):
    text: str  # the folded word as written
    canon: str  # spelling-family canonical form, compounds normalised (abd-al-X -> abdX, X-ud-din -> Xdin)
    key: str  # phonetic skeleton of canon
    kind: TokenKind


def _data_lines(name: str) -> list[list[str]]:
    text = files("ctscreen.names").joinpath("data", name).read_text(encoding="utf-8")
    return [line.split() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@cache
def _titles() -> dict[str, str]:
    return {word: line[0] for line in _data_lines("titles.txt") for word in line}


@cache
def _particles() -> dict[str, TokenKind]:
    kinds = {"glue": TokenKind.GLUE, "kin": TokenKind.KIN, "kunya": TokenKind.KUNYA}
    return {word: kinds[line[0]] for line in _data_lines("particles.txt") for word in line[1:]}


@cache
def _org_words() -> dict[str, TokenKind]:
    kinds = {"legal": TokenKind.LEGAL, "generic": TokenKind.GENERIC}
    return {
        word: kinds[line[0]] for line in _data_lines("org_words.txt") if line[0] in kinds for word in line[1:]
    }


@cache
def _legal_forms() -> dict[str, str]:
    """One legal form in several languages -> the form compared (OOO -> llc)."""
    return {word: line[1] for line in _data_lines("org_words.txt") if line[0] == "same" for word in line[1:]}


@cache
def _legal_phrases() -> tuple[tuple[tuple[str, ...], str], ...]:
    """Legal forms written out ("limited liability company" -> llc), longest first."""
    phrases = [(tuple(line[2:]), line[1]) for line in _data_lines("org_words.txt") if line[0] == "phrase"]
    return tuple(sorted(phrases, key=lambda p: -len(p[0])))


@cache
def _legal_phrase_starts() -> frozenset[str]:
    return frozenset(phrase[0] for phrase, _ in _legal_phrases())


@cache
def _org_translations() -> dict[str, str]:
    """Word beginnings of Russian organisation names -> the English word the lists write."""
    return {stem: line[0] for line in _data_lines("org_translations.txt") for stem in line[1:]}


MAX_ENDING = 8  # tekhnolog|icheskiy


@lru_cache(maxsize=100_000)
def org_translation(word: str) -> str | None:
    """The English word for a romanised Russian organisation word ("zheleznodorozhnyy" -> "railways"), by
    its longest known beginning."""
    stems = _org_translations()
    # A case ending or suffix is at most a few letters; a longer rest makes a compound of its own
    # (Tsentrtekhkhimmash is a name, not "centre").
    for end in range(len(word), max(3, len(word) - MAX_ENDING) - 1, -1):
        english = stems.get(word[:end])
        if english is not None:
            return english
    # An adjective of a place is the place: Uralskiy bank = Ural Bank, Arzamasskiy zavod = Arzamas plant.
    place = _PLACE_ADJECTIVE.match(word)
    return place.group(1) if place else None


_PLACE_ADJECTIVE = re.compile(r"^([a-z]{4,}?)sk(?:iy|aya|oye|oe|ie|ogo|oy|om|ikh|ii)$")


def _collapse_legal_phrases(words: list[str]) -> list[str]:
    if _legal_phrase_starts().isdisjoint(words):
        return words
    out: list[str] = []
    i = 0
    while i < len(words):
        for phrase, form in _legal_phrases():
            if tuple(words[i : i + len(phrase)]) == phrase:
                out.append(form)
                i += len(phrase)
                break
        else:
            out.append(words[i])
            i += 1
    return out


@cache
def _families() -> dict[str, str]:
    out: dict[str, str] = {}
    for line in _data_lines("variants.txt"):
        for word in line:
            out.setdefault(word, line[0])
    return out


def family_of(word: str) -> str:
    return _families().get(word, word)


@cache
def family_heads() -> frozenset[str]:
    """The canonical form of every spelling family: names known to be names, and known to differ from each
    other (Hasan is not Husayn, Mahmud is not Muhammad, though their consonants agree)."""
    return frozenset(_families().values())


# abd al-rahman / abdul rahman / abdulrahman / abdel rahman / abdurrahman -> abdrahman
_ABD_PREFIXES = frozenset(
    {"abd", "abdul", "abdel", "abdal", "abdol", "abdu", "abdur", "abdus", "abdar", "abdoul"}
)
_ABD_JOINED = re.compile(r"^abd(?:ou|[aeiou])(l|r|s|n|z|d|t|sh)(?=[a-z]{3,})")
# siraj-ud-din / sirajuddin / siraj al-din / serajeddine -> sirajdin
_DIN_JOINED = re.compile(r"^([a-z]{3,}?)(?:ud|ad|al|ed|el|ul|u|e|a|o|ou)?d{1,2}(?:in|een|ine|dine|eene)$")
_DIN_WORDS = frozenset({"din", "deen", "dine", "ddin", "ddine", "uddin", "eddine", "uddeen"})


# East Slavic patronymics: a given name + -ovich/-evich (-ovych Ukrainian, -avich Belarusian, -ovitsj Dutch...)
# or -ovna/-evna (-ivna, -auna). Read as the given name's family + one suffix, so Volodymyrovych and
# Vladimirovich, Ihorivna and Igorevna are one word.
_PATRONYMIC = re.compile(
    r"^([a-z]{3,}?)(?:[aoe]?[vw][iy]t?(?:ch|sch|sj|tch)|[oe]vi?c|ich|ych|[oe]vna|ivna|auna)$"
)


@cache
def _given_name_stems() -> dict[str, str]:
    """Family heads by the stem a patronymic keeps: "nikola" (Nikolaevich), "mykola" (Mykolayovych)."""
    out = dict(_families())
    for word, head in _families().items():
        out.setdefault(word.rstrip("yij"), head)
        if word.endswith("o"):  # Mykhailo -> Mykhailovych
            out.setdefault(word[:-1], head)
    return out


def _patronymic(word: str) -> str | None:
    if len(word) < 8 or not (match := _PATRONYMIC.match(word)):
        return None
    stem = match.group(1)
    female = word.endswith("na")
    stems = _given_name_stems()
    head = stems.get(stem) or stems.get(stem.rstrip("yij")) or stem.rstrip("y")
    return head + ("ovna" if female else "ovich")


# A long vowel written doubled or not: Taweel = Tawil, Jaafari = Ja'fari, Saleem = Salim.
_LONG_VOWEL = re.compile(r"ee|ii|aa|oo|uu")
_SHORT_VOWEL = {"ee": "i", "ii": "i", "aa": "a", "oo": "u", "uu": "u"}


def _abd_compound(match: re.Match[str]) -> str:
    """'abdul' + 'aziz' -> 'abdaziz'; a sun letter written once belongs to the name it assimilated into:
    'abdurezak' (ʿAbd ar-Razzaq) -> 'abdrezak', 'abdusalam' -> 'abdsalam'."""
    consonant = match.group(1)
    following = match.string[match.end() : match.end() + 1]
    return "abd" + consonant if consonant != "l" and following in "aeiou" else "abd"


def _canonical(word: str) -> str:
    family = family_of(word)
    if family[-2:] in ("ch", "na", "sj", "ic") and (patronymic := _patronymic(family)):
        return patronymic
    if family == word and len(word) >= 4 and _LONG_VOWEL.search(word):
        family = family_of(_LONG_VOWEL.sub(lambda m: _SHORT_VOWEL[m.group()], word))
    word = family
    if word.startswith("abd") and len(word) > 6 and word not in _families():
        word = _ABD_JOINED.sub(_abd_compound, word)
    if len(word) > 6 and (match := _DIN_JOINED.match(word)):
        word = match.group(1) + "din"
    return word


def kind_of(word: str, is_org: bool) -> TokenKind:
    """What a folded word is in a person's (or an organisation's) name: a name, title, particle, legal form..."""
    if word.isdigit():
        return TokenKind.NUMBER
    if is_org:
        org = _org_words().get(word)
        if org:
            return org
    particle = _particles().get(word)
    if particle:
        return particle
    if len(word) == 1 and word.isalpha():
        return TokenKind.INITIAL
    if not is_org and word in _titles():
        return TokenKind.TITLE
    return TokenKind.NAME


@lru_cache(maxsize=500_000)
def make_token(word: str, kind: TokenKind) -> Token:
    if kind is TokenKind.TITLE:
        canon = _titles().get(word, word)
    elif kind is TokenKind.LEGAL:
        canon = _legal_forms().get(word, word)
    else:
        canon = _canonical(word)
    return Token(word, canon, skeleton(canon) or canon, kind)


def _join_compounds(words: list[str]) -> list[str]:
    """Join the pieces of one name that some lists write apart: 'abd al rahman' and 'siraj ud din'."""
    out: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if word in _ABD_PREFIXES and i + 1 < len(words):
            j = i + 1
            if words[j] in ("al", "el", "ul", "ar", "as", "ur", "ad", "ash", "an", "az") and j + 1 < len(
                words
            ):
                j += 1
            out.append("abd" + words[j])
            i = j + 1
            continue
        if word in _DIN_WORDS and out and out[-1] not in ("al", "el", "ud", "ed", "ul"):
            out[-1] = out[-1] + "din"
            i += 1
            continue
        if (
            word in ("ud", "ad", "al", "ed", "el", "ul")
            and i + 1 < len(words)
            and words[i + 1] in _DIN_WORDS
            and out
        ):
            out[-1] = out[-1] + "din"
            i += 2
            continue
        out.append(word)
        i += 1
    return out


def _join_letters(words: list[str]) -> tuple[list[str], set[str]]:
    """An organisation's initials written apart are one word: "E. S. Co." -> "es co", "I T C" -> "itc".
    Returns the words and the words so made."""
    out: list[str] = []
    made: set[str] = set()
    run: list[str] = []
    for word in [*words, ""]:
        if len(word) == 1 and word.isalpha():
            run.append(word)
            continue
        if len(run) > 1:
            made.add("".join(run))
            out.append("".join(run))
        else:
            out.extend(run)
        run = []
        if word:
            out.append(word)
    return out, made


def reading_order(full: str) -> str:
    """A person's name as read: OFAC's "SURNAME, Given" put back to "Given SURNAME" (one comma only)."""
    if full.count(",") == 1:
        family, given = (part.strip() for part in full.split(","))
        if family and given:
            return f"{given} {family}"
    return full


_ARTICLES = frozenset({"al", "el"})


@lru_cache(maxsize=200_000)
def tokenize_name(text: str, is_org: bool = False) -> tuple[Token, ...]:
    """Tokens of one name. `is_org` turns on legal-form and generic-word recognition and off titles; a
    person's name is read in reading order, so "RAUF, Hafiz Abdur" joins "Abdur Rauf" as "Hafiz Abdur RAUF"
    does."""
    words = fold(_org_text(text) if is_org else reading_order(text)).split()
    if not words:
        return ()
    if is_org:
        tokens = _org_tokens(words)
        if all(token.kind in _LEGAL_ONLY_KINDS for token in tokens):
            # Nothing but legal words: they are the name ("ANO" for the Abu Nidal Organisation, "N.V. CO").
            tokens = tuple(
                t._replace(kind=TokenKind.NAME) if t.kind is TokenKind.LEGAL else t for t in tokens
            )
        return tokens
    words = _join_compounds(words)
    kinds = [kind_of(word, False) for word in words]
    for i in range(1, len(words)):
        # A title behind an article is a family name (EL-HAJJ, Al-Sheikh), and so is one in the surname's
        # place behind a name (Mohammad SAYED, Haji Sahib).
        if kinds[i] is not TokenKind.TITLE:
            continue
        surname_place = i == len(words) - 1 and (
            TokenKind.NAME in kinds[:i] or kinds[i - 1] is TokenKind.TITLE
        )
        if surname_place or words[i - 1] in _ARTICLES:
            kinds[i] = TokenKind.NAME
    return tuple(make_token(word, kind) for word, kind in zip(words, kinds, strict=True))


_LEGAL_ONLY_KINDS = frozenset({TokenKind.LEGAL, TokenKind.GLUE})


def is_legal_form(text: str) -> bool:
    """True for an organisation's legal form written alone ("LLC", "Private Limited", "N.V.")."""
    tokens = _org_tokens(fold(_org_text(text)).split())
    return bool(tokens) and all(token.kind is TokenKind.LEGAL for token in tokens)


def _org_tokens(words: list[str]) -> tuple[Token, ...]:
    words, initials = _join_letters(words)
    return tuple(_org_token(word, word in initials) for word in _collapse_legal_phrases(words))


def _org_text(text: str) -> str:
    """An organisation's name with its Arabic-script organisation words in English (names/arabic.py)."""
    return text if text.isascii() else org_words_in_english(text)


def _org_token(word: str, is_initials: bool) -> Token:
    if is_initials:
        return make_token(word, TokenKind.NAME)
    english = org_transliteration_in_english(word) or org_translation(word)
    if english is None or english == word:
        return make_token(word, kind_of(word, True))
    # Compared as the English word, shown as written.
    return make_token(english, kind_of(english, True))._replace(text=word)


# Words the name model does not read: they say nothing about who a party is.
_SILENT_KINDS = frozenset({TokenKind.TITLE, TokenKind.GLUE, TokenKind.KIN, TokenKind.LEGAL})


def is_informative(word: str, is_org: bool = False) -> bool:
    """False for titles, particles and legal forms (Haji, bin, al-, LLC, "limited")."""
    return kind_of(word, is_org) not in _SILENT_KINDS


@lru_cache(maxsize=200_000)
def informative_text(text: str, is_org: bool = False) -> str:
    """The folded name without its titles, particles and legal forms ("Haji Maluk" -> "maluk",
    "AUKCION LIMITED LIABILITY COMPANY" -> "aukcion"); the folded name where nothing else is left."""
    words = fold(_org_text(text) if is_org else text).split()
    if is_org:
        words = _collapse_legal_phrases(words)
    kept = [w for w in words if is_informative(w, is_org)]
    return " ".join(kept or words)


def is_title(word: str) -> bool:
    return word in _titles()
