"""Fold any name, in any script, to lower-case Latin words.

Every step keeps what matters for names: the Arabic article written onto a word becomes its own word, CJK
syllables become separate words (joined again by the comparison's glue step), apostrophes for ʿayn and hamza
vanish ("Qa'ida" = "Qaida"), dots inside acronyms vanish ("I.S.I.S." = "ISIS"), and every other punctuation
mark becomes a space. Transliteration tables come from `anyascii` (all scripts, incl. Arabic, Persian, Urdu,
Pashto, Cyrillic, Greek, Ge'ez, Hangul, Han); the Arabic-script pre-pass here only separates articles.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from functools import lru_cache

from anyascii import anyascii

from ctscreen.names.arabic import ARABIC_WORD, ScriptWord, arabic_to_latin, is_persianate

_ARABIC_ARTICLE = re.compile(
    r"(?<![\u0600-\u06FF])ال(?!له(?![\u0600-\u06FF]))(?=[\u0600-\u06FF]{2,})"
)  # not Allah
# Persian family-name suffixes written apart from the name they end: محمد پور is one name, Mohammadpour.
_PERSIAN_SUFFIX = re.compile(r"(?<=[\u0600-\u06FF])[\s\u200c]+(پور|زاده|زادہ|نژاد)(?![\u0600-\u06FF])")
_CJK = re.compile(r"([\u1100-\u11FF\u3040-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF])")
_APOSTROPHES = re.compile(r"['`´ʻʼʽʾʿ‘’‛′]")
_ACRONYM_DOTS = re.compile(r"(?<=\b[a-z])\.(?=[a-z]\b)")
_NOT_WORD = re.compile(r"[^a-z0-9]+")

SCRIPT_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0041, 0x024F, "Latn"),
    (0x0370, 0x03FF, "Grek"),
    (0x0400, 0x052F, "Cyrl"),
    (0x0530, 0x058F, "Armn"),
    (0x0590, 0x05FF, "Hebr"),
    (0x0600, 0x06FF, "Arab"),
    (0x0700, 0x074F, "Syrc"),
    (0x0750, 0x077F, "Arab"),
    (0x08A0, 0x08FF, "Arab"),
    (0x0900, 0x097F, "Deva"),
    (0x0980, 0x09FF, "Beng"),
    (0x0A00, 0x0A7F, "Guru"),
    (0x0E00, 0x0E7F, "Thai"),
    (0x1000, 0x109F, "Mymr"),
    (0x10A0, 0x10FF, "Geor"),
    (0x1100, 0x11FF, "Hang"),
    (0x1200, 0x139F, "Ethi"),
    (0x3040, 0x30FF, "Jpan"),
    (0x3400, 0x4DBF, "Hani"),
    (0x4E00, 0x9FFF, "Hani"),
    (0xAC00, 0xD7AF, "Hang"),
    (0xFB1D, 0xFB4F, "Hebr"),
    (0xFB50, 0xFDFF, "Arab"),
    (0xFE70, 0xFEFF, "Arab"),
)


_SCRIPT_STARTS = [low for low, _, _ in SCRIPT_RANGES]
# Scripts that write consonants and long vowels only: a romanisation invents the short vowels.
ABJADS = frozenset({"Arab", "Hebr", "Syrc"})


@lru_cache(maxsize=65536)
def detect_script(text: str) -> str | None:
    """The ISO 15924 code of the script most letters of `text` are written in (None if it has no letters).
    Japanese kana anywhere makes it "Jpan" (kana mixed with Han); letters outside the known blocks are "Zyyy"."""
    if text.isascii():
        return "Latn" if any(c.isalpha() for c in text) else None
    counts: dict[str, int] = {}
    for char in text:
        if not char.isalpha():
            continue
        code = ord(char)
        index = bisect_right(_SCRIPT_STARTS, code) - 1
        script = SCRIPT_RANGES[index][2] if index >= 0 and code <= SCRIPT_RANGES[index][1] else "Zyyy"
        counts[script] = counts.get(script, 0) + 1
    if not counts:
        return None
    if "Jpan" in counts:
        return "Jpan"
    return max(sorted(counts), key=lambda s: counts[s])


def non_latin_script(text: str) -> str | None:
    """The script of `text` when it is not Latin (or letter-less): what lists call an original-script name."""
    script = detect_script(text)
    return None if script in (None, "Latn") else script


def _unicode_words(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in text)


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lower-case ASCII words separated by single spaces; '' for text with no letters or digits."""
    text = _unicode_words(text)
    if not text.isascii():
        text = _ARABIC_ARTICLE.sub("ال ", _PERSIAN_SUFFIX.sub(r"\1", text))
        persianate = is_persianate(text)
        text = ARABIC_WORD.sub(lambda m: arabic_to_latin(m.group(0), persianate), text)
        text = _CJK.sub(r" \1 ", text)
        text = anyascii(text)
    text = text.lower().replace("&", " and ")
    text = _APOSTROPHES.sub("", text)
    text = _ACRONYM_DOTS.sub("", text)
    return _NOT_WORD.sub(" ", text).strip()


def script_words(text: str) -> dict[str, ScriptWord]:
    """Each Arabic-script word of `text` that `fold` writes as one word, by that folded word (`ScriptWord`,
    for `arabic.could_romanise`). Empty for text in other scripts."""
    text = _PERSIAN_SUFFIX.sub(r"\1", _unicode_words(text))
    persianate = is_persianate(text)
    read: list[tuple[str, tuple[str, bool]]] = []
    for match in ARABIC_WORD.finditer(text):
        word = match.group(0)
        after_article = _ARABIC_ARTICLE.match(word) is not None
        word = word[2:] if after_article else word  # `fold` writes the article apart
        readings = _NOT_WORD.sub(" ", arabic_to_latin(word, persianate).lower()).split()
        read.append((readings[0] if len(readings) == 1 else "", (word, after_article)))
    found: dict[str, ScriptWord | None] = {}
    for index, (latin, letters) in enumerate(read):
        if not latin:
            continue
        entry = ScriptWord(
            letters,
            read[index - 1][1] if index > 0 else None,
            read[index + 1][1] if index + 1 < len(read) else None,
        )
        # Two words written apart but read alike ("فاطمه", "فاطمة"): neither speaks for the other.
        found[latin] = entry if latin not in found else None
    return {latin: entry for latin, entry in found.items() if entry is not None}


def words(text: str) -> list[str]:
    folded = fold(text)
    return folded.split() if folded else []
