"""Arabic-script words (Arabic, Persian, Urdu, Pashto) to Latin, vowels guessed the way romanisers do.

The script writes long vowels and consonants but no short vowels. A neutral "a" goes between two written
consonants, so "محمد" becomes "mahamad": its consonant skeleton (mhmd) equals that of every romanisation, and
no accidental digraph forms (ت + ح must not read as "th"). Letter values follow common English-language
romanisation (DOMAIN.md §2.4: ث th~s, ذ/ظ dh~z, خ kh, غ gh, ق q). Persian, Urdu and Pashto read ض as z
(Reza, Morteza, Ziaei, not Rada, Martada, Diai) and a word-initial و as v (Vahid); a name is taken for one
of them when any of its words has a letter Arabic does not use (ی ک گ پ چ ژ and the Urdu/Pashto letters).
Pashto ځ and څ are romanised z and s (Zadran), as the lists write them.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

ARABIC_WORD = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]+")

_CONSONANTS = {
    "ب": "b",
    "ت": "t",
    "ث": "s",
    "ج": "j",
    "ح": "h",
    "خ": "kh",
    "د": "d",
    "ذ": "z",
    "ر": "r",
    "ز": "z",
    "س": "s",
    "ش": "sh",
    "ص": "s",
    "ض": "d",
    "ط": "t",
    "ظ": "z",
    "غ": "gh",
    "ف": "f",
    "ق": "q",
    "ك": "k",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "ه": "h",
    "پ": "p",
    "چ": "ch",
    "ژ": "zh",
    "ک": "k",
    "گ": "g",
    "ٹ": "t",
    "ڈ": "d",
    "ڑ": "r",
    "ں": "n",
    "ھ": "h",
    "ڤ": "v",
    "ښ": "kh",
    "ځ": "z",
    "څ": "s",
    "ډ": "d",
    "ړ": "r",
    "ږ": "zh",
    "ګ": "g",
    "ڼ": "n",
}
_VOWELS = {
    "ا": "a",
    "آ": "a",
    "أ": "a",
    "إ": "i",
    "ٱ": "a",
    "ى": "a",
    "ة": "a",
    "ۃ": "a",
    "ۂ": "a",
    "ے": "e",
    "ې": "e",
    "ۍ": "ai",
    "ێ": "e",
    "ؤ": "u",
    "ئ": "i",
    "َ": "a",
    "ُ": "u",
    "ِ": "i",
    "ً": "an",
    "ٌ": "un",
    "ٍ": "in",
}
_SEMIVOWELS = {"و": ("w", "u"), "ي": ("y", "i"), "ی": ("y", "i")}  # consonant at word start, else vowel
_SILENT = {"ع", "ء", "ْ", "ـ", "ٰ"}  # ʿayn and hamza are dropped by most romanisations
_SHADDA = "ّ"
# Name particles with one settled romanisation.
_WHOLE_WORDS = {
    "عبد": "abd",
    "بن": "bin",
    "ابن": "ibn",
    "بنت": "bint",
    "ابو": "abu",
    "أبو": "abu",
    "ام": "umm",
    "الله": "allah",
}
_ABD_AL = ("عبدال", "عبدأل")  # ʿAbd al-X written as one word: read as "abd al X", the way it is spoken


# Letters of Persian, Urdu and Pashto that Arabic does not use.
NON_ARABIC_LETTERS = frozenset("یکگپچژٹڈڑںھےۃۂښځڅډړږګڼېۍێ")
_PERSIAN_CONSONANTS = {**_CONSONANTS, "ض": "z"}


def is_persianate(text: str) -> bool:
    """True when the text has a letter only Persian, Urdu or Pashto writes."""
    return not NON_ARABIC_LETTERS.isdisjoint(text)


# Letters written several ways for one sound, made one for looking a word up in names/data/arabic_names.txt.
_LOOKUP_FORMS = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ی": "ي", "ة": "ه", "ک": "ك", "ۀ": "ه"}
)


@cache
def _known_names() -> dict[str, str]:
    text = files("ctscreen.names").joinpath("data", "arabic_names.txt").read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            latin, *written = line.split()
            for word in written:
                out.setdefault(word.translate(_LOOKUP_FORMS), latin)
    return out


def arabic_to_latin(word: str, persianate: bool = False) -> str:
    if word in _WHOLE_WORDS:
        return _WHOLE_WORDS[word]
    known = _known_names().get(word.translate(_LOOKUP_FORMS))
    if known is not None:
        return known
    if word.startswith(_ABD_AL) and len(word) > 6:
        return "abd al " + arabic_to_latin(word[5:], persianate)
    consonants = _PERSIAN_CONSONANTS if persianate else _CONSONANTS
    out: list[str] = []
    previous_consonant = False
    for index, char in enumerate(word):
        if char in consonants:
            if previous_consonant:
                out.append("a")
            out.append(consonants[char])
            previous_consonant = True
        elif char in _SEMIVOWELS:
            consonant, vowel = _SEMIVOWELS[char]
            at_start = index == 0
            if at_start and persianate and consonant == "w":
                consonant = "v"
            out.append(consonant if at_start else vowel)
            previous_consonant = at_start
        elif char in _VOWELS:
            # Persian and Pashto write a final yeh as ى: Haji, Noorzai, not Haja, Nooraza.
            final_yeh = persianate and char == "ى" and index == len(word) - 1
            out.append("i" if final_yeh else _VOWELS[char])
            previous_consonant = False
        elif char == _SHADDA and out:
            out.append(out[-1][-1])
        elif char == "ع" and (index == 0 or previous_consonant):
            # ʿayn carries a vowel: ʿAbd -> Abd, ʿUmar -> Umar, Saʿd -> Sad, Saʿid -> Said
            out.append("a")
            previous_consonant = False
        elif char in _SILENT:
            previous_consonant = False if char == "ع" else previous_consonant
        else:
            out.append(char)
            previous_consonant = False
    return "".join(out)


@cache
def _org_words() -> tuple[dict[str, str], dict[str, str]]:
    """(Arabic-script form, as looked up -> English; Latin transliteration -> English), from
    names/data/org_translations_arabic.txt."""
    text = files("ctscreen.names").joinpath("data", "org_translations_arabic.txt").read_text(encoding="utf-8")
    script: dict[str, str] = {}
    latin: dict[str, str] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            english, *forms = line.split()
            for form in forms:
                if form.isascii():
                    latin.setdefault(form, english)
                else:
                    script.setdefault(form.translate(_LOOKUP_FORMS), english)
    return script, latin


# Prefixes written joined to a word: the article, and "and", "with", "for" before it.
_PREFIXES = ("وال", "بال", "فال", "لل", "ال", "و", "ب", "ل")


def org_word_in_english(word: str) -> str | None:
    """The English word the lists write for an Arabic-script organisation word (شبکه -> network), with its
    article or a joined "and"/"for" taken off; None when the word is not a known organisation word."""
    forms, _ = _org_words()
    looked_up = word.replace("\u200c", "").translate(_LOOKUP_FORMS)
    english = forms.get(looked_up)
    if english is None:
        for prefix in _PREFIXES:
            if looked_up.startswith(prefix) and len(looked_up) - len(prefix) >= 3:
                english = forms.get(looked_up[len(prefix) :])
                if english is not None:
                    break
    return english


def org_words_in_english(text: str) -> str:
    """`text` with each Arabic-script organisation word replaced by its English word."""
    return ARABIC_WORD.sub(lambda m: org_word_in_english(m.group(0)) or m.group(0), text)


def org_transliteration_in_english(word: str) -> str | None:
    """The English word for a transliterated organisation word (sharikat -> company), else None."""
    return _org_words()[1].get(word)


def is_arabic_letter(char: str) -> bool:
    return "\u0600" <= char <= "\u06ff" or "\u0750" <= char <= "\u077f" or "\ufb50" <= char <= "\ufeff"
