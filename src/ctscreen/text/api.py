"""Screen a document: extract its text (and, for messages, its parties), find mentions, screen parties.

    from ctscreen.text import screen_text
    result = screen_text(screener, Path("report.pdf").read_bytes(), format="auto", profile="kyc")
    result.to_dict()  # docs/text-screening.md

Formats are pluggable: `register_format("mt", handler, detect=...)` adds one. A handler takes the input
(`bytes` or `str`) and an `encoding` keyword and returns an `Extracted`: the free text to scan for mentions
(e.g. MT103 :70: and :72: joined, with `fields` naming each stretch), the structured `parties` to screen as
queries, and warnings. Built in: `plain`, `html`, `pdf`. `auto` asks each registered detector, then
recognises PDF and HTML, else reads plain text.
"""

from __future__ import annotations

import importlib
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from ctscreen.matching import Hit, Query, QueryError, Screener, get_profile
from ctscreen.matching.profiles import Profile
from ctscreen.text.extract import (
    DEFAULT_MAX_BYTES,
    Extracted,
    TextInputError,
    check_size,
    extract_html,
    extract_pdf,
    extract_plain,
    looks_like_html,
    looks_like_pdf,
)
from ctscreen.text.mentions import find_mentions
from ctscreen.text.result import PartyResult, TextResult

# Message formats other modules provide; named here so the CLI can list them and say when one is missing.
MESSAGE_FORMATS = ("mt", "iso20022", "paxlst")
PARTY_CACHE_SIZE = 100_000  # party results remembered per screener (one list version)


class _PartyResults:
    """Hits of message parties already screened against one screener, least recently used dropped first.
    Payment traffic repeats its counterparties, and a party's hits change only with a new list version, which
    comes with a new screener (and so an empty cache)."""

    def __init__(self, screener: Screener, size: int = PARTY_CACHE_SIZE) -> None:
        self.screener = weakref.proxy(screener)
        self.size = size
        self._hits: OrderedDict[tuple[Query, Profile], list[Hit]] = OrderedDict()
        self._lock = threading.Lock()

    def screen(self, query: Query, profile: Profile) -> list[Hit]:
        key = (query, profile)
        with self._lock:
            hits = self._hits.get(key)
            if hits is not None:
                self._hits.move_to_end(key)
                return list(hits)
        hits = self.screener.screen(query, profile).hits
        with self._lock:
            self._hits[key] = hits
            if len(self._hits) > self.size:
                self._hits.popitem(last=False)
        return list(hits)


_PARTY_CACHES: weakref.WeakKeyDictionary[Screener, _PartyResults] = weakref.WeakKeyDictionary()
_PARTY_CACHES_LOCK = threading.Lock()


def _party_results(screener: Screener) -> _PartyResults:
    with _PARTY_CACHES_LOCK:
        found = _PARTY_CACHES.get(screener)
        if found is None:
            found = _PARTY_CACHES[screener] = _PartyResults(screener)
        return found


# Modules imported (once, quietly if absent) before a format is looked up; each calls register_format.
PLUGIN_MODULES: list[str] = [
    "ctscreen.text.formats.mt",
    "ctscreen.text.formats.iso20022",
    "ctscreen.text.formats.paxlst",
]


@dataclass(frozen=True)
class Party:
    """A structured party of a message: its role (debtor, creditor, passenger ...), its name, and the query
    to screen (with date of birth, country, identifier when the message has them)."""

    role: str
    name: str
    query: Query | None = None
    field: str | None = None


FormatHandler = Callable[..., Extracted]
Detector = Callable[[bytes], bool]


@dataclass(frozen=True)
class TextFormat:
    name: str
    handler: FormatHandler
    detect: Detector | None = None
    description: str = ""
    profile: str | None = None  # the profile used when the caller names none (border for manifests)


def _plain(data: bytes | str, *, encoding: str | None = None) -> Extracted:
    return extract_plain(data, encoding=encoding)


def _html(data: bytes | str, *, encoding: str | None = None) -> Extracted:
    return extract_html(data, encoding=encoding)


def _pdf(data: bytes | str, *, encoding: str | None = None) -> Extracted:
    return extract_pdf(data)


_BUILTIN = ("plain", "html", "pdf")
_FORMATS: dict[str, TextFormat] = {
    "plain": TextFormat("plain", _plain, None, "plain text (UTF-8, or --encoding)"),
    "html": TextFormat("html", _html, looks_like_html, "HTML: visible text, scripts and styles left out"),
    "pdf": TextFormat("pdf", _pdf, looks_like_pdf, "PDF: the text layer of each page (pypdf)"),
}
_plugins_loaded = False


def register_format(
    name: str,
    handler: FormatHandler,
    *,
    detect: Detector | None = None,
    description: str = "",
    profile: str | None = None,
    replace: bool = False,
) -> None:
    """Add a format. `handler(data, *, encoding=None) -> Extracted`; `detect(first_bytes) -> bool` lets
    `auto` recognise it (it sees the first 64 KiB). A name already taken needs `replace=True`."""
    name = name.strip().lower()
    if not name or name == "auto":
        raise ValueError(f"invalid format name {name!r}")
    if name in _FORMATS and not replace:
        raise ValueError(f"format {name!r} is already registered (pass replace=True to replace it)")
    if profile is not None:
        get_profile(profile)
    _FORMATS[name] = TextFormat(name, handler, detect, description, profile)


def _load_plugins() -> None:
    global _plugins_loaded
    if _plugins_loaded:
        return
    _plugins_loaded = True
    for module in PLUGIN_MODULES:
        try:
            importlib.import_module(module)
        except ImportError:
            continue


def available_formats() -> dict[str, str]:
    """Registered formats and what each is."""
    _load_plugins()
    return {name: f.description for name, f in _FORMATS.items()}


def detect_format(data: bytes | str) -> str:
    """The format `auto` picks for `data`."""
    _load_plugins()
    head = data[:65_536] if isinstance(data, bytes) else data[:65_536].encode("utf-8", "replace")
    for name, fmt in _FORMATS.items():
        if name not in _BUILTIN and fmt.detect is not None and fmt.detect(head):
            return name
    if looks_like_pdf(head):
        return "pdf"
    if looks_like_html(head):
        return "html"
    return "plain"


def extract(
    data: bytes | str,
    format: str = "auto",
    *,
    encoding: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> tuple[str, Extracted]:
    """(format used, extracted text/parties/warnings) of `data`; TextInputError when it cannot be read."""
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "surrogatepass"))
    check_size(size, max_bytes)
    _load_plugins()
    name = (format or "auto").strip().lower()
    if name == "auto":
        name = detect_format(data)
    fmt = _FORMATS.get(name)
    if fmt is None:
        if name in MESSAGE_FORMATS:
            raise TextInputError(
                f"format {name!r} is not available: no handler is registered for it "
                "(the message modules register theirs with ctscreen.text.register_format)"
            )
        raise TextInputError(f"unknown format {name!r}; known: auto, {', '.join(_FORMATS)}")
    extracted = fmt.handler(data, encoding=encoding)
    if not isinstance(extracted, Extracted):
        raise TypeError(f"the {name!r} format handler returned {type(extracted).__name__}, not Extracted")
    return name, extracted


def screen_text(
    screener: Screener,
    data: bytes | str,
    format: str = "auto",
    profile: str | None = None,
    *,
    threshold: float | None = None,
    report_floor: float | None = None,
    encoding: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> TextResult:
    """Screen a document or message: mentions of listed persons and organisations in its text, and its
    structured parties (for message formats). Raises TextInputError for input that cannot be read (too
    large, binary, a broken PDF); input read in part comes back with warnings."""
    if profile is not None:
        get_profile(profile)
    name, extracted = extract(data, format, encoding=encoding, max_bytes=max_bytes)
    chosen = get_profile(profile or _FORMATS[name].profile or "kyc").with_threshold(threshold)
    warnings = list(extracted.warnings)
    text = extracted.text
    mentions = []
    if text.strip():
        mentions = find_mentions(
            screener, text, chosen, report_floor=report_floor, fields=tuple(extracted.fields)
        )
    elif not extracted.parties and not any("no text" in w for w in warnings):
        warnings.append("the input has no text to screen")
    parties = []
    cache = _party_results(screener) if extracted.parties else None
    for party in extracted.parties:
        query = party.query or Query(party.name)
        try:
            hits = cache.screen(query, chosen) if cache is not None else []
            parties.append(PartyResult(party.role, party.name, hits, party.field))
        except QueryError as exc:
            parties.append(PartyResult(party.role, party.name, [], party.field, error=str(exc)))
            warnings.append(f"party {party.role} {party.name!r} was not screened: {exc}")
    return TextResult(
        format=name,
        mentions=mentions,
        parties=parties,
        warnings=warnings,
        list_versions=dict(screener.list_versions),
        profile=chosen.name,
        threshold=chosen.threshold,
        characters=len(text),
        text=text,
    )


__all__ = [
    "DEFAULT_MAX_BYTES",
    "MESSAGE_FORMATS",
    "PLUGIN_MODULES",
    "Extracted",
    "Party",
    "TextFormat",
    "TextInputError",
    "available_formats",
    "detect_format",
    "extract",
    "register_format",
    "screen_text",
]
