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
from functools import cache, lru_cache
from importlib.resources import files
from typing import NamedTuple

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


# -- Which romanisations an Arabic-script word can have ------------------------------------------------------
# `arabic_to_latin` writes one reading with guessed vowels; these tables say every way the lists' romanisers
# write each letter, so a Latin word can be tested against the letters themselves: شمشیری can be SHAMSHIRI but
# سمسار cannot (س is never sh), ملیكا cannot be MALIK (its final ا is a written vowel), ایلیا cannot be ALI.
# Short vowels are not written, so up to two vowels may stand between any two letters and at the end.
_SHORT_VOWELS = "[aeiou]{0,2}"
_CONSONANT_SPELLINGS = {
    "ب": "b",
    "پ": "p",
    "ت": "t",
    "ث": "th|t|s",
    "ج": "j|dj|dzh|dsch|g|zh",
    "چ": "ch|tch|tsch|c|sh",
    "ح": "h|kh|x",
    "خ": "kh|h|x|ch|j|k",
    "د": "d|dh|t",  # Turkish writes a final d as t: Mehmet, Ahmet
    "ذ": "dh|d|z|th",
    "ر": "r",
    "ز": "z|s",
    "ژ": "zh|j|z|g",
    "س": "s|c|z",
    "ش": "sh|ch|sch|s",  # Turkish ş, Czech š fold to s
    "ص": "s|c",
    "ض": "d|dh|z",
    "ط": "t|d|th",
    "ظ": "z|dh|th|d",
    "غ": "gh|g|rh|r|kh",
    "ف": "f|ph|v|p",
    "ق": "q|k|g|c|kh|gh",
    "ك": "k|c|q|ch|g",
    "ک": "k|c|q|ch|g",
    "گ": "g|k",
    "ل": "l",
    "م": "m",
    "ن": "n|m",
    "ڤ": "v",
    "ٹ": "t",
    "ڈ": "d",
    "ڑ": "r",
    "ښ": "kh|sh|x",
    "ځ": "z|dz",
    "څ": "s|ts",
    "ډ": "d",
    "ړ": "r",
    "ږ": "zh|g|j",
    "ګ": "g",
    "ڼ": "n",
}
# Letters romanisers may leave unwritten (ʿayn, hamza, a final h or ta marbuta), whatever their position.
_OPTIONAL_SPELLINGS = {
    "ه": "h?",
    "ھ": "h?",
    "ع": "c?",  # Somali writes ʿayn as c: Cabdullahi
    "ں": "n?",
    "ء": "",
    "ئ": "[aeiouy]{0,2}",
    "ؤ": "[aeiouw]{0,2}",
    "ى": "(?:a|i|y|e)?",
    "ة": "(?:a|ah|at|e|eh|et|ih|i|h)?",  # (at the end, written: see romanisation_pattern)
    "ۃ": "(?:a|ah|at|e|eh|et)?",
    "ۂ": "(?:a|ah|e|eh)?",
    "ۀ": "(?:a|ah|e|eh|ye|yi)?",
    "ے": "(?:e|ay|ai|y|a|i)?",
    "إ": "[aeiu]?",
    "ٱ": "[aeiou]?",
}
_LONG_VOWEL_SPELLINGS = {
    "ا": "(?:a|e|o){1,2}",
    "آ": "(?:a|e|o){1,2}",
    "أ": "[aeiou]{0,2}",
    "ې": "e|i|ai",
    "ێ": "e|i|ai",
    "ۍ": "ai|ay|i|e",
}
_FIRST_LETTER_SPELLINGS = {
    "ا": "[aeiou]?",  # before و or ی: its vowel may merge with theirs (ایمان, Iman; اویس, Uwais)
    "أ": "[aeiou]?",
    "آ": "(?:a|e|o){1,2}",
    "و": "w|v|u|o",
    "ي": "y|i|j|e",
    "ی": "y|i|j|e",
}
# و and ی inside a word: a long vowel or a consonant (Dawud, Sayyid).
_SEMIVOWEL_SPELLINGS = {"و": "ww?|v|uu?|oo?", "ي": "yy?|ii?|ee?|j", "ی": "yy?|ii?|ee?|j"}
_UNWRITTEN_MARKS = frozenset("ًٌٍَُِّْـٰ")
_SUN_LETTERS = frozenset("تثدذرزسشصضطظلن")
# After the last letter, unwritten vowels but never i: a final -i is a written ی/ي (Salim is not SALIMI,
# Marouf not MAROUFI, Jafar not JAFARI; engine 1.8.2).
_FINAL_UNWRITTEN = "[aeou]{0,2}"


@lru_cache(maxsize=50_000)
def romanisation_pattern(word: str, after_article: bool = False) -> re.Pattern[str] | None:
    """A pattern every plausible romanisation of the Arabic-script `word` matches in full (folded: lower-case
    ASCII letters), from its written letters; None for a word with a letter the tables do not know.
    `after_article`: the word followed the article (الدين), which a romanisation may write onto it: Eddine,
    Aldin, Uddin."""
    letters = [char for char in word if char not in _UNWRITTEN_MARKS]
    parts: list[str] = []
    for index, char in enumerate(letters):
        after, before = letters[index + 1 : index + 2], letters[index - 1 : index]
        if before == [char]:
            parts.append(f"(?:{parts[-1]})?")  # a letter written twice may read as one (الله, a typing slip)
            continue
        if index > 0 and char in "اأ" and after == ["ل"]:
            part = "[aeiou]{0,2}"  # the article inside a word: Abdullah, Khairullah, Dhu'l-Fiqar
        elif char == "ل" and before == ["ا"] and index > 1 and after and after[0] in _SUN_LETTERS:
            part = "l?"  # and assimilated to a sun letter: Abdurrahman, Alaoddini
        elif char == "و" and before == ["خ"] and after == ["ا"]:
            part = "(?:w|u|o|v)?"  # Persian silent و: Khwaja = Khaja
        elif index == 0 and char in "اأ" and not (after and after[0] in _SEMIVOWEL_SPELLINGS):
            part = "[aeiou]"  # a carrier for a vowel every romanisation writes (Ehsan is not Hasan), one
            # that may merge with a long vowel after it (ایمان, Iman)
        elif index == 0 and char in _FIRST_LETTER_SPELLINGS:
            part = f"(?:{_FIRST_LETTER_SPELLINGS[char]})"
        elif char in _CONSONANT_SPELLINGS:
            part = f"(?:{_CONSONANT_SPELLINGS[char]})+"  # + : a doubled letter (shadda) is rarely written
        elif char in _SEMIVOWEL_SPELLINGS:
            if index == len(letters) - 1 and char in "يی":
                part = f"(?:{_SEMIVOWEL_SPELLINGS[char]}|a|e)"  # final ی: -i, or Persian -a (Morteza)
            else:
                part = f"(?:{_SEMIVOWEL_SPELLINGS[char]})"
        elif char in _LONG_VOWEL_SPELLINGS:
            part = f"(?:{_LONG_VOWEL_SPELLINGS[char]})"
        elif char in _OPTIONAL_SPELLINGS:
            part = _OPTIONAL_SPELLINGS[char]
        else:
            return None
        parts.append(part)
    if not parts:
        return None
    article = "(?:[aeiou]l?)?" if after_article else ""  # the l assimilated is the next letter doubled
    if letters[-1] == "ة":
        # The feminine ending is the word's last sound, and always written: Kamila is not KAMALI. After ع,
        # often written as its vowel alone, that vowel may come before it (عة read "aa").
        stem = _SHORT_VOWELS.join(parts[:-1]) + (_SHORT_VOWELS if letters[-2:-1] == ["ع"] else "")
        return re.compile(article + stem + "(?:a|ah|at|e|eh|et|h|t[aiu]n?)")
    return re.compile(article + _SHORT_VOWELS.join(parts) + _FINAL_UNWRITTEN)


class ScriptWord(NamedTuple):
    """An Arabic-script word of a name (a query's or a listed one), with the words written before and after it,
    which a romanisation may write onto it (ولى الله, WALIULLAH; أبو بكر, ABUBAKAR). Each is (letters, written
    after the article)."""

    word: tuple[str, bool]
    before: tuple[str, bool] | None = None
    after: tuple[str, bool] | None = None


def could_romanise(script_word: ScriptWord, latin: str) -> bool:
    """Whether the folded Latin word `latin` is a way to write `script_word`'s letters, alone or joined to
    the word before or after it. True where a letter is unknown to the tables (nothing to go by)."""
    own = romanisation_pattern(*script_word.word)
    if own is None or own.fullmatch(latin):
        return True
    before = romanisation_pattern(*script_word.before) if script_word.before else None
    after = romanisation_pattern(*script_word.after) if script_word.after else None
    for cut in range(1, len(latin)):
        head, tail = latin[:cut], latin[cut:]
        if before is not None and before.fullmatch(head) and own.fullmatch(tail):
            return True
        if after is not None and own.fullmatch(head) and after.fullmatch(tail):
            return True
    return False
