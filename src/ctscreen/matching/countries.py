"""Country names, codes and free text as the lists write them -> ISO 3166-1 alpha-2 codes."""

from __future__ import annotations

import re
from functools import lru_cache

import pycountry

# Names the lists and users write that pycountry's lookup does not know (DOMAIN.md §1.1 pitfall 6).
_ALIASES = {
    "russia": "RU",
    "uk": "GB",
    "great britain": "GB",
    "england": "GB",
    "britain": "GB",
    "palestine": "PS",
    "occupied palestinian territory": "PS",
    "kosovo": "XK",
    "turkey": "TR",
    "north korea": "KP",
    "korea north": "KP",
    "dprk": "KP",
    "south korea": "KR",
    "korea south": "KR",
    "iran": "IR",
    "iran islamic republic of": "IR",
    "syria": "SY",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "vietnam": "VN",
    "viet nam": "VN",
    "laos": "LA",
    "moldova": "MD",
    "czech republic": "CZ",
    "ivory coast": "CI",
    "cote divoire": "CI",
    "burma": "MM",
    "democratic republic of the congo": "CD",
    "congo democratic republic": "CD",
    "republic of the congo": "CG",
    "united states of america": "US",
    "usa": "US",
    "uae": "AE",
    "west bank": "PS",
    "gaza": "PS",
    "gaza strip": "PS",
    "yugoslavia": "RS",
    "serbia and montenegro": "RS",
    "soviet union": "RU",
    "ussr": "RU",
    "macedonia": "MK",
    "swaziland": "SZ",
    "cape verde": "CV",
    "brunei": "BN",
}
_PARENS = re.compile(r"\(.*?\)")
_NON_WORD = re.compile(r"[^a-z ]+")


@lru_cache(maxsize=4096)
def country_code(text: str | None) -> str | None:
    """ISO alpha-2 for a country name, alpha-2/alpha-3 code or demonym-free text; None if unknown."""
    if not text:
        return None
    raw = text.strip()
    for candidate in (raw, _PARENS.sub("", raw).strip(), raw.split(",")[0].strip()):
        if not candidate:
            continue
        key = " ".join(_NON_WORD.sub(" ", candidate.lower()).split())
        if key in _ALIASES:
            return _ALIASES[key]
        try:
            return pycountry.countries.lookup(candidate).alpha_2
        except LookupError:
            continue
    return None
