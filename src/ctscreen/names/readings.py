"""Other readings of a name: the same name in another transliteration convention, read as the lists write it.

The lists romanise Russian and Arabic names the English way (Yevgeniy Prigozhin, Mustafa); a customer file,
a passport or a press report may use the Czech, German or French way (Jevgenij Prigožin, Jewgeni Prigoschin,
Evgueni Prigojine, Moustafa). Each function gives the name folded as the English convention would write it,
or None where the name shows no sign of that convention; an organisation's name may also carry an acronym of
its own words the listed name lacks. The engine compares such a reading as well as the name as written, and
the better alignment counts. Pure functions over strings.
"""

from __future__ import annotations

import re

from ctscreen.names.normalize import fold
from ctscreen.names.tokens import TokenKind, kind_of

# Czech, Slovak, Slovene and Croatian write Russian ч, ш, ж with a háček; the lists write ch, sh, zh.
_HACEK = str.maketrans({"č": "ch", "š": "sh", "ž": "zh", "Č": "Ch", "Š": "Sh", "Ž": "Zh"})
# Russian й written j (Jevgenij, Sergej, Nikolaj), or я, ю, е after a consonant (Vjačeslav, Ljudmila); not
# -aj, -uj, which end Arabic and South Asian names (Siraj, Faraj, Mahfuj).
_SLAVIC_J = re.compile(r"(?:[iyeo]j|olaj)\b|[vlmbp]j[aeiou]")
# German writes ш as sch, ч as tsch, в as w, -ов as -ow, е as je (Jewgeni Prigoschin, Ramsan Kadyrow).
_GERMAN = re.compile(r"sch|[ao]w\b|\bjew")  # not -ew: Andrew, Matthew
_GERMAN_LETTERS = (("tsch", "ch"), ("w", "v"))
# German sch is ш or ж; between vowels read as ж (Prigoschin = Prigozhin), where the name as written is
# already compared as ш by the skeleton (Mischustin = Mishustin).
_GERMAN_SCH_BETWEEN_VOWELS = re.compile(r"(?<=[aeiouy])sch(?=[aeiouy])")
# Not dj (Arabic or French j: Djamal), nor English Jo-, Ji- (John, Jim), where Russian would write Ё, И.
_J_AS_Y = re.compile(r"(?<!d)(?<!\b)j|\bj(?=[aeu])")


def slavic_reading(text: str) -> str | None:
    """A Russian name in a Central European or German transliteration, folded as the lists' English one writes
    it: "Jevgenij Prigožin" -> "yevgeniy prigozhin", "Jewgeni Prigoschin" -> "yevgeni prigozhin". None where the
    name shows no sign of one (a háček; a j where the Russian has й, я, ю or е; German sch, -ow, Jew-)."""
    has_hacek = any(c in text for c in "čšžČŠŽ")
    if (
        not has_hacek
        and "j" not in text
        and "J" not in text
        and "sch" not in text.lower()
        and "w" not in text.lower()
    ):
        return None  # most names: nothing to read otherwise
    plain = fold(text)
    folded = fold(text.translate(_HACEK)) if has_hacek else plain
    german = _GERMAN.search(folded) is not None
    if not (has_hacek or german or _SLAVIC_J.search(folded)):
        return None
    if german:
        for written, english in _GERMAN_LETTERS:
            folded = folded.replace(written, english)
        folded = _GERMAN_SCH_BETWEEN_VOWELS.sub("zh", folded).replace("sch", "sh")
    folded = _J_AS_Y.sub("y", folded)
    return folded if folded != plain else None


_FRENCH_MARKS = frozenset("ïëéèÏËÉÈ")
_FRENCH_SIGNS = re.compile(r"ou|tch|dj|gu[eiy]")
_TURKISH_LETTERS = frozenset("şğıŞĞİ")  # Turkish writes ç for ch and j for zh: not French
_FRENCH_Y = re.compile(r"^i(?=ou|a|e|o)")  # Iouri = Yuri, Iakov = Yakov
_FRENCH_GU = re.compile(r"gu(?=[eiy])")  # Sergueï = Sergei: the u only keeps the g hard


def french_reading(text: str) -> str | None:
    """A name in the French transliteration of Russian or Arabic, folded as the lists' English one writes it:
    "Sergueï Choïgou" -> "sergei shoigu", "Iouri Kovaltchouk" -> "yuri kovalchuk", "Moustafa" -> "mustafa".
    None where its name words show no sign of one (ou, tch, dj, gue, or a French accent)."""
    marked = not _FRENCH_MARKS.isdisjoint(text)
    if not marked and not _FRENCH_SIGNS.search(text.lower()):
        return None  # most names (and any not in Latin letters): nothing to read otherwise
    if not _TURKISH_LETTERS.isdisjoint(text):
        return None
    plain = fold(text)
    words = plain.split()
    # Titles, particles and organisation words (Haji, al, Group) are neither read nor a sign.
    names = [i for i, word in enumerate(words) if _is_plain_name(word)]
    if not marked and not any(_FRENCH_SIGNS.search(words[i]) for i in names):
        return None
    for i in names:
        # tch is ч and dj is j; any other ch is ш and any other j is ж (Prigojine = Prigozhin).
        word = words[i].replace("tch", "\x01").replace("dj", "\x02").replace("ch", "sh").replace("j", "zh")
        word = word.replace("\x01", "ch").replace("\x02", "j")
        word = _FRENCH_GU.sub("g", _FRENCH_Y.sub("y", word)).replace("ou", "u")
        if len(word) > 4 and word[-1] == "e" and word[-2] not in "aeiouy":
            word = word[:-1]  # a silent final e: Michoustine = Mishustin
        words[i] = word
    reading = " ".join(words)
    return reading if reading != plain else None


def _is_plain_name(word: str) -> bool:
    """A word read as a name by person and organisation alike: not a title, particle or organisation word."""
    return kind_of(word, False) is TokenKind.NAME and kind_of(word, True) is TokenKind.NAME


_BRACKETED = re.compile(r"\s*\(([^()]{2,12})\)\s*")


def without_own_acronym(text: str) -> str:
    """The name without an acronym in brackets made of its other words' initials: "Российская венчурная
    компания (РВК)" -> "Российская венчурная компания". Such an acronym repeats the name; left in, it would be a
    word the listed name lacks. Any other bracketed part is kept ("NATIONAL (SHAHID BEHESHTI) UNIVERSITY")."""
    found = _BRACKETED.search(text)
    if found is None or len(_BRACKETED.findall(text)) != 1:
        return text
    letters = fold(found.group(1)).replace(" ", "")
    rest = (text[: found.start()] + " " + text[found.end() :]).strip()
    words = fold(rest).split()
    if not (2 <= len(letters) <= 8 and letters.isalpha() and len(words) >= 2):
        return text
    named = [w for w in words if kind_of(w, True) is not TokenKind.GLUE]
    return rest if letters in ("".join(w[0] for w in words), "".join(w[0] for w in named)) else text
