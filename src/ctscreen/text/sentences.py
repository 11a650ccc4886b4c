"""A small rule-based sentence splitter (no model): good enough to show the sentence a mention sits in and to
keep a name from being read across two sentences.

A sentence ends at `.`, `!`, `?` or `…` (with any closing quotes or brackets) followed by white space and a
capital letter, a digit, an opening quote or bracket, or a letter of an uncased script (Arabic, Han ...); and at
an empty line (paragraph break). It does not end after a known abbreviation ("Mr.", "Dr.", "Gen.", "U.S."), after
a single capital letter (an initial, "J. Smith"), or inside a number ("3.5"). Arabic and Urdu "؟" and "۔", and
CJK "。" "！" "？" end a sentence too.
"""

from __future__ import annotations

import re

_END = re.compile(r"([.!?…؟۔]+|[。！？])([\"'”’»)\]]*)(\s+)")
_PARAGRAPH = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_WORD_BEFORE = re.compile(r"([^\W\d_](?:[\w.'’-]*[^\W_])?)$")
ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "gen",
        "lt",
        "col",
        "maj",
        "capt",
        "cpt",
        "sgt",
        "cmdr",
        "adm",
        "brig",
        "gov",
        "sen",
        "rep",
        "rev",
        "fr",
        "st",
        "jr",
        "sr",
        "messrs",
        "no",
        "nos",
        "vol",
        "p",
        "pp",
        "fig",
        "ed",
        "eds",
        "approx",
        "est",
        "etc",
        "vs",
        "cf",
        "al",
        "inc",
        "ltd",
        "co",
        "corp",
        "bros",
        "dept",
        "univ",
        "govt",
        "assn",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
        "sat",
        "sun",
        "u.s",
        "u.k",
        "u.n",
        "e.u",
        "u.a.e",
        "i.e",
        "e.g",
        "a.m",
        "p.m",
    ]
)


def _starts_sentence(char: str) -> bool:
    if not char:
        return True
    if char.isupper() or char.isdigit() or char in "\"'“‘«([¿¡":
        return True
    # Letters of uncased scripts (Arabic, Hebrew, Han, ...) have no capitals: any letter may start a sentence.
    return char.isalpha() and not char.islower() and not char.isupper()


def sentence_starts(text: str) -> list[int]:
    """Start offsets of the sentences of `text` (the first is 0), in order."""
    starts = {0}
    for match in _PARAGRAPH.finditer(text):
        starts.add(match.end())
    for match in _END.finditer(text):
        end = match.end()
        if end >= len(text):
            continue
        if not _starts_sentence(text[end]):
            continue
        if match.group(1) == ".":
            before = _WORD_BEFORE.search(text, max(0, match.start() - 40), match.start())
            if before:
                word = before.group(1).lower().rstrip(".")
                if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                    continue
        starts.add(end)
    return sorted(s for s in starts if s < len(text) or s == 0)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every sentence, covering the text; white space at the edges belongs to the span."""
    starts = sentence_starts(text)
    return [(s, e) for s, e in zip(starts, [*starts[1:], len(text)], strict=True)]


def clean_sentence(text: str) -> str:
    """A sentence as shown: white space (line breaks included) collapsed to single spaces."""
    return " ".join(text.split())
