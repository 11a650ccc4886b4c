"""Matching: candidate generation over an in-memory index, token-level comparison, evidence, explanations.

Pure: no I/O, no database, no clock. `Screener.from_entities(entities)` builds the index;
`screener.screen(Query(...), profile="kyc")` returns ranked, explained hits.
"""

from ctscreen.matching.engine import ENGINE_VERSION, Hit, Query, QueryError, Screener, ScreeningResult
from ctscreen.matching.profiles import PROFILES, Profile, get_profile

__all__ = [
    "ENGINE_VERSION",
    "PROFILES",
    "Hit",
    "Profile",
    "Query",
    "QueryError",
    "Screener",
    "ScreeningResult",
    "get_profile",
]
