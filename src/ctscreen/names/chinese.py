"""Chinese syllables: a pinyin syllable and its Wade-Giles spelling.

A name written in Han characters romanises to pinyin syllables (`normalize.fold`). Different syllables are
different names, however alike they sound in Latin letters (Zheng is not Zhang, Shen is not Chen), but one
syllable is spelled one way in pinyin and another in Wade-Giles, which Taiwanese and older records use
(Zhang = Chang, Xiao = Hsiao, Guo = Kuo, Shi = Shih). Apostrophes and umlauts of Wade-Giles are dropped, as
folding drops them from listed names.
"""

from __future__ import annotations

from functools import lru_cache

_WHOLE = {
    "zi": "tzu",
    "ci": "tzu",
    "si": "ssu",
    "zhi": "chih",
    "chi": "chih",
    "shi": "shih",
    "ri": "jih",
    "er": "erh",
    "you": "yu",
    "yi": "i",
    "yan": "yen",
    "ye": "yeh",
    "yong": "yung",
    "yue": "yueh",
}
_INITIALS = (
    "zh",
    "ch",
    "sh",
    "b",
    "p",
    "m",
    "f",
    "d",
    "t",
    "n",
    "l",
    "g",
    "k",
    "h",
    "j",
    "q",
    "x",
    "r",
    "z",
    "c",
    "s",
    "y",
    "w",
)
_INITIAL_WADE = {
    "b": "p",
    "d": "t",
    "g": "k",
    "j": "ch",
    "q": "ch",
    "x": "hs",
    "zh": "ch",
    "r": "j",
    "z": "ts",
    "c": "ts",
}


# Pinyin finals (v for ü).
_FINALS_WRITTEN = (
    "a o e i u v ai ei ui ao ou iu ie ue ve er an en in un vn ang eng ing ong ia iao ian iang iong ua uo uai uan "
    "uang"
)
_FINALS = frozenset(_FINALS_WRITTEN.split())


def is_pinyin_syllable(word: str) -> bool:
    """True for a word that can be one pinyin syllable ("hua", "jin", "zhang"); False for "kgb", "osk"."""
    if word in _WHOLE:
        return True
    initial = next((i for i in _INITIALS if word.startswith(i)), "")
    return word[len(initial) :] in _FINALS


@lru_cache(maxsize=4096)
def wade_giles(syllable: str) -> str:
    """The Wade-Giles spelling of one pinyin syllable ("zhang" -> "chang", "xiong" -> "hsiung"); a word that
    is not one pinyin syllable comes back as it is, or close to it."""
    if syllable in _WHOLE:
        return _WHOLE[syllable]
    initial = next((i for i in _INITIALS if syllable.startswith(i)), "")
    final = syllable[len(initial) :]
    if final.endswith("ong"):
        final = final[:-3] + "ung"  # zhong -> chung, xiong -> hsiung
    elif final.endswith("ian"):
        final = final[:-3] + "ien"
    elif final.endswith("ie"):
        final += "h"
    elif final == "uo" and initial not in ("g", "k", "h", "sh"):
        final = "o"  # duo -> to, zuo -> tso; guo -> kuo
    elif final == "e" and initial in ("g", "k", "h"):
        final = "o"  # ge -> ko, he -> ho
    elif final == "ui" and initial in ("g", "k"):
        final = "uei"
    return _INITIAL_WADE.get(initial, initial) + final
