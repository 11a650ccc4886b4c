"""Arabic-script words (Arabic, Persian, Urdu, Pashto) to Latin, vowels guessed the way romanisers do.

The script writes long vowels and consonants but no short vowels. A neutral "a" goes between two written
consonants, so "محمد" becomes "mahamad": its consonant skeleton (mhmd) equals that of every romanisation, and
no accidental digraph forms (ت + ح must not read as "th"). Letter values follow common English-language
romanisation (DOMAIN.md §2.4: ث th~s, ذ/ظ dh~z, خ kh, غ gh, ق q).
"""

from __future__ import annotations

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
    "ځ": "dz",
    "څ": "ts",
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
}


def arabic_to_latin(word: str) -> str:
    if word in _WHOLE_WORDS:
        return _WHOLE_WORDS[word]
    out: list[str] = []
    previous_consonant = False
    for index, char in enumerate(word):
        if char in _CONSONANTS:
            if previous_consonant:
                out.append("a")
            out.append(_CONSONANTS[char])
            previous_consonant = True
        elif char in _SEMIVOWELS:
            consonant, vowel = _SEMIVOWELS[char]
            at_start = index == 0
            out.append(consonant if at_start else vowel)
            previous_consonant = at_start
        elif char in _VOWELS:
            out.append(_VOWELS[char])
            previous_consonant = False
        elif char == _SHADDA and out:
            out.append(out[-1][-1])
        elif char == "ع" and index == 0:
            out.append("a")  # word-initial ʿayn carries a vowel: ʿAbd -> Abd, ʿUmar -> Umar
            previous_consonant = False
        elif char in _SILENT:
            previous_consonant = False if char == "ع" else previous_consonant
        else:
            out.append(char)
            previous_consonant = False
    return "".join(out)


def is_arabic_letter(char: str) -> bool:
    return "\u0600" <= char <= "\u06ff" or "\u0750" <= char <= "\u077f" or "\ufb50" <= char <= "\ufeff"
