"""A consonant skeleton tuned for romanised Arabic, Persian, Urdu, Pashto and Russian names.

Arabic script writes no short vowels, and every romanisation spends them differently (Usama/Osama,
Mohammed/Muhammad, Dawood/Daoud), so the key keeps consonants only, after folding the letter pairs that
romanisations swap (DOMAIN.md §2.4): q/k/g/c (qaf), kh/h/x, gh/g, dh/z (dhal, za), th/s (tha), sh/ch/s,
ph/f, German tsch/dsch, a soft c as s, w/v/u (waw) and y (ya) as vowels, doubled letters single, a final h
silent (Hamzah/Hamza). `loose_key` folds further, for comparison only.
"""

from __future__ import annotations

import re

_DIGRAPHS = (
    ("tsch", "s"),  # German romanisation of Russian ч, дж: Tschatajew = Chatayev, Dschochar = Jokhar
    ("dsch", "j"),
    ("sch", "s"),
    ("tch", "s"),  # French and English ч: Tchad = Chad, Timtchenko = Timchenko
    ("kh", "h"),
    ("gh", "k"),
    ("dh", "z"),
    ("th", "s"),
    ("sh", "s"),
    ("ch", "s"),
    ("zh", "j"),
    ("dj", "j"),
    ("ph", "f"),
    ("ck", "k"),
    ("tz", "z"),
    # A soft c, after ch and ck are read: Defence = Defense, Vince = Vins.
    ("ce", "se"),
    ("ci", "si"),
    ("cy", "sy"),
)
_LETTERS = str.maketrans(
    {
        "q": "k",
        "c": "k",
        "g": "k",
        "x": "ks",
        "a": None,
        "e": None,
        "i": None,
        "o": None,
        "u": None,
        "y": None,
        "w": None,
        "v": None,
    }
)
_DOUBLES = re.compile(r"(.)\1+")


def _single(match: re.Match[str]) -> str:
    """A doubled letter's replacement. A function rather than the template r"\1", which `re` expands through
    Python code on every call, whether or not anything matched: skeletons are made for every new query word."""
    return match.group(1)


def fold_digraphs(word: str) -> str:
    """The word with the letter groups romanisations swap made one letter: 'dzhikhad' -> 'jihad'."""
    for pair, single in _DIGRAPHS:
        if pair in word:
            word = word.replace(pair, single)
    return word


def skeleton(word: str) -> str:
    """Consonant key of one folded word: 'zawahiri', 'dhawahri' -> 'zhr'; 'usama', 'osama' -> 'sm'."""
    word = fold_digraphs(word)
    word = _DOUBLES.sub(_single, word.translate(_LETTERS))
    if len(word) > 1 and word.endswith("h"):
        word = word[:-1]
    return word


def plain_dental_skeleton(word: str) -> str | None:
    """The skeleton with th and dh read as t and d, where the word has them and that differs: Arabic ث and ذ
    are written th/dh, t/d and s/z, and the skeleton reads th as s and dh as z (Kawtharani = Kawtarani,
    Gadhafi = Gaddafi)."""
    if "th" not in word and "dh" not in word:
        return None
    plain = skeleton(word.replace("th", "t").replace("dh", "d"))
    return plain if len(plain) >= 2 and plain != skeleton(word) else None


_VOWEL_RUNS = re.compile(r"[aeiouy]+")
_VOWEL_KEY_LETTERS = str.maketrans({"q": "k", "c": "k", "g": "k", "x": "ks", "w": "v"})


def vowel_key(word: str) -> str:
    """Like `skeleton`, but every run of vowels kept as one "a": it tells apart the short names a bare
    skeleton merges (Wajeeh/Wajih -> 'vaja'; Babaee/Babaei -> 'baba'; Iwanow/Ivanov -> 'avanav')."""
    for pair, single in _DIGRAPHS:
        if pair in word:
            word = word.replace(pair, single)
    word = _VOWEL_RUNS.sub("a", _DOUBLES.sub(_single, word.translate(_VOWEL_KEY_LETTERS)))
    if len(word) > 1 and word.endswith("h"):
        word = word[:-1]
    return word


_LOOSE_DIGRAPHS = (
    ("kh", "k"),
    ("gh", "k"),
    ("dh", "d"),
    ("th", "t"),
    ("bh", "b"),
    ("ph", "f"),
    ("sh", "s"),
    ("ch", "s"),
    ("zh", "j"),
    ("dj", "j"),
    ("ge", "je"),
    ("gi", "ji"),
)
_LOOSE_LETTERS = str.maketrans(
    {"z": "s", "d": "t", "b": "p", "v": "f", "w": "f", "g": "k", "q": "k", "c": "k", "x": "ks"}
    | dict.fromkeys("haeiouy")
)


def loose_key(word: str) -> str:
    """Looser than `skeleton`: voicing and the letter groups romanisations confuse folded too (dh/d, kh/k,
    z/s, b/p, a soft g), every h dropped: Dhahi = Dahi, Khatirji = Katerji, Bhutvi = Budvi, Anzhelika =
    Angelika. Too loose to index by; a last test for two words already alike in spelling."""
    for pair, single in _LOOSE_DIGRAPHS:
        if pair in word:
            word = word.replace(pair, single)
    return _DOUBLES.sub(_single, word.translate(_LOOSE_LETTERS))
