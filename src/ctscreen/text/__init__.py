"""Free-text screening: mentions of listed persons and organisations in plain text, HTML and PDF, and a
format hook for messages (MT, ISO 20022, PAXLST) whose parties are screened as queries.

    from ctscreen.text import screen_text, find_mentions
    result = screen_text(screener, data, format="auto", profile="kyc")   # -> TextResult (.to_dict())
    mentions = find_mentions(screener, "… Tehrik-e-Taliban Pakistan (TTP) …")

docs/text-screening.md describes the method, the JSON shape and the alias table.
"""

from ctscreen.text.aliases import AliasRow, media_aliases
from ctscreen.text.api import (
    MESSAGE_FORMATS,
    Party,
    available_formats,
    detect_format,
    extract,
    register_format,
    screen_text,
)
from ctscreen.text.extract import DEFAULT_MAX_BYTES, Extracted, TextInputError
from ctscreen.text.mentions import MentionFinder, find_mentions, finder_for
from ctscreen.text.result import Mention, MentionHit, PartyResult, TextResult

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MESSAGE_FORMATS",
    "AliasRow",
    "Extracted",
    "Mention",
    "MentionFinder",
    "MentionHit",
    "Party",
    "PartyResult",
    "TextInputError",
    "TextResult",
    "available_formats",
    "detect_format",
    "extract",
    "find_mentions",
    "finder_for",
    "media_aliases",
    "register_format",
    "screen_text",
]
