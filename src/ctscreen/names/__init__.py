"""Name normalisation: any script to Latin words, tokens with kinds, spelling families, phonetic keys.

Pure functions over strings and the word lists in `names/data/`; no I/O beyond reading those packaged files.
"""

from ctscreen.names.normalize import (
    ABJADS,
    detect_script,
    fold,
    non_latin_script,
    script_words,
    words,
)
from ctscreen.names.phonetic import skeleton
from ctscreen.names.readings import french_reading, slavic_reading, without_own_acronym
from ctscreen.names.tokens import (
    Token,
    TokenKind,
    family_heads,
    family_of,
    informative_text,
    is_informative,
    is_legal_form,
    make_token,
    reading_order,
    tokenize_name,
)

__all__ = [
    "ABJADS",
    "Token",
    "TokenKind",
    "detect_script",
    "family_heads",
    "family_of",
    "fold",
    "french_reading",
    "informative_text",
    "is_informative",
    "is_legal_form",
    "make_token",
    "non_latin_script",
    "reading_order",
    "script_words",
    "skeleton",
    "slavic_reading",
    "tokenize_name",
    "without_own_acronym",
    "words",
]
