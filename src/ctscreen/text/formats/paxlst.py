"""UN/EDIFACT PAXLST passenger and crew manifests (API): each traveller as a query (docs/messages.md).

    result = screen_text(screener, Path("manifest.edi").read_bytes(), format="paxlst", profile="border")

Segments are read with pydifact. Each traveller group starts at `NAD+FL` (passenger), `NAD+FM` (crew),
`NAD+DDT`/`NAD+DDU` (in transit) and holds `ATT+2` (gender), `DTM+329` (date of birth), `NAT+2`
(nationality, ICAO/ISO alpha-3), `DOC` (document type and number) with its `DTM+36` (expiry) and `LOC+91`
(issuing state), `LOC` (ports, residence, birth place) and `RFF` (booking reference, seat). The traveller is
screened as a person with the date of birth, nationality, gender and passport number (identity card when
there is no passport); a passport number equal to a listed one gives the engine's identifier floor (0.97),
whatever the name. Screen manifests with the `border` profile.

An interchange that is not EDIFACT or not a PAXLST raises `MessageFormatError`; a traveller with a date or
nationality that cannot be read, a document without a number or counts that do not add up give warnings
naming the segment, the rest being screened (`extract_paxlst(..., strict=True)` raises instead).
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from dataclasses import dataclass, field

from ctscreen.text.extract import Extracted
from ctscreen.text.formats._common import (
    MessageFormatError,
    MessageParty,
    country_of,
    decode_input,
    make_query,
    register,
)

FORMAT = "paxlst"
PROFILE = "border"
TRAVELLERS = {"FL": "passenger", "FM": "crew", "DDT": "passenger", "DDU": "crew", "COT": "passenger"}
# ICAO Doc 9303 nationality codes that are not ISO 3166 alpha-3
ICAO_CODES = {"D": "DE", "GBD": "GB", "GBN": "GB", "GBO": "GB", "GBP": "GB", "GBS": "GB", "RKS": "XK"}
NO_COUNTRY = frozenset({"XXA", "XXB", "XXC", "XXX", "UNO", "UNA", "UNK", "XOM", "XPO", "XES", "XMP", "XBA"})
GENDERS = {"M": "m", "F": "f"}
DOCUMENT_KINDS = {
    "P": "passport",
    "V": "visa",
    "I": "identity-card",
    "A": "identity-card",
    "C": "identity-card",
}
_DATE = re.compile(r"^(\d{2}|\d{4})(\d{2})(\d{2})$")


@dataclass
class Traveller:
    segment: int  # position of its NAD segment in the interchange (1-based)
    number: int  # 1-based position among the travellers
    qualifier: str
    surname: str = ""
    given: str = ""
    gender: str | None = None
    dob: str | None = None
    nationality: str | None = None  # ISO alpha-2
    documents: list[tuple[str, str]] = field(default_factory=list)  # (kind, number)
    address: list[str] = field(default_factory=list)
    details: list[tuple[str, str]] = field(default_factory=list)  # (kind, value): expiry, ports, booking

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.given, self.surname) if part)

    @property
    def identifier(self) -> str | None:
        """The passport number, else an identity document's (never a visa)."""
        for wanted in ("passport", "identity-card"):
            for kind, number in self.documents:
                if kind == wanted:
                    return number
        return None


def _component(element: object, index: int) -> str:
    if isinstance(element, list):
        value = element[index] if index < len(element) else ""
    else:
        value = element if index == 0 and isinstance(element, str) else ""
    return (value or "").strip()


def _components(element: object) -> list[str]:
    if isinstance(element, list):
        return [(v or "").strip() for v in element]
    return [(element or "").strip()] if isinstance(element, str) else []


def _element(segment: object, index: int) -> object:
    elements = segment.elements  # type: ignore[attr-defined]
    return elements[index] if index < len(elements) else ""


def _date(value: str, *, past: bool) -> str | None:
    """YYMMDD or CCYYMMDD -> YYYY-MM-DD; a two-digit year is the most recent past one for birth dates."""
    match = _DATE.match(value)
    if not match:
        return None
    year, month, day = match.groups()
    if len(year) == 2:
        today = dt.date.today()
        full = 2000 + int(year)
        if past and full > today.year:
            full -= 100
        year = str(full)
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _nationality(code: str) -> tuple[str | None, bool]:
    """(ISO alpha-2, known) of an ICAO nationality code; known is False for a code nobody knows."""
    code = code.strip().upper()
    if not code or code in NO_COUNTRY:
        return None, True
    if code in ICAO_CODES:
        return ICAO_CODES[code], True
    found = country_of(code) if len(code) in (2, 3) else None
    return found, found is not None


class _Reader:
    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.warnings: list[str] = []

    def issue(self, segment: int, tag: str, message: str) -> None:
        if self.strict:
            raise MessageFormatError(f"segment {segment} ({tag}): {message}", format="PAXLST")
        self.warnings.append(f"PAXLST segment {segment} ({tag}): {message}")


def _decode(data: bytes | str, encoding: str | None) -> tuple[str, list[str]]:
    if isinstance(data, bytes) and encoding is None:
        syntax = re.search(rb"UNB\+(UNO[A-Z])", data[:512])
        if syntax and syntax.group(1) in (b"UNOC", b"UNOB", b"UNOD", b"UNOE", b"UNOF"):
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                return decode_input(
                    data, "latin-1" if syntax.group(1) == b"UNOC" else None, "a PAXLST manifest"
                )
    return decode_input(data, encoding, "a PAXLST manifest")


def _segments(text: str, reader: _Reader) -> list[object]:
    """The segments of the interchange. Input cut short (a last segment without its terminator, a broken
    escape) keeps the segments read before it, with a warning, when they hold travellers."""
    try:
        from pydifact.exceptions import EDISyntaxError
        from pydifact.parser import Parser
    except ImportError:  # pragma: no cover - pydifact is a dependency of the message formats
        raise MessageFormatError(
            "reading PAXLST needs the pydifact package (pip install pydifact)", format="PAXLST"
        ) from None
    text = text.strip()
    if not text:
        raise MessageFormatError("the input is empty", format="PAXLST")
    if not (text.startswith("UNA") or text.startswith("UNB")):
        raise MessageFormatError(
            f"not a UN/EDIFACT interchange: it starts {text[:20]!r}, not with UNA or UNB", format="PAXLST"
        )
    segments: list[object] = []
    try:
        with warnings.catch_warnings():  # pydifact warns for each service segment it has no schema for
            warnings.simplefilter("ignore")
            for segment in Parser().parse(text):
                segments.append(segment)
    except Exception as exc:  # EDISyntaxError, and assorted errors pydifact raises on broken input
        shown = str(exc) if isinstance(exc, EDISyntaxError) else f"{type(exc).__name__}: {exc}"
        last = f" ({segments[-1].tag})" if segments else ""  # type: ignore[attr-defined]
        message = f"unreadable EDIFACT after segment {len(segments)}{last}: {shown}"
        if reader.strict or not any(getattr(s, "tag", "") == "NAD" for s in segments):
            raise MessageFormatError(message, format="PAXLST") from None
        reader.warnings.append(f"PAXLST: {message}; the travellers before it were screened")
    return segments


def read_travellers(
    data: bytes | str, *, encoding: str | None = None, strict: bool = False
) -> tuple[list[Traveller], list[str]]:
    """The travellers of a PAXLST interchange and the warnings about it."""
    text, decode_warnings = _decode(data, encoding)
    reader = _Reader(strict)
    reader.warnings.extend(decode_warnings)
    segments = _segments(text, reader)
    travellers: list[Traveller] = []
    current: Traveller | None = None
    in_document = False
    seen_unb = False
    messages = 0
    open_message: int | None = None  # segment of the UNH not yet closed by its UNT
    message_segments = 0
    declared_count: int | None = None
    for position, segment in enumerate(segments, start=1):
        tag = segment.tag  # type: ignore[attr-defined]
        message_segments += 1
        if tag == "UNA":
            continue
        if tag == "UNB":
            seen_unb = True
            continue
        if not seen_unb:
            raise MessageFormatError(
                f"segment {position} ({tag}) comes before the interchange header UNB", format="PAXLST"
            )
        if tag == "UNH":
            messages += 1
            open_message = position
            message_segments = 1
            kind = _component(_element(segment, 1), 0)
            if kind != "PAXLST":
                raise MessageFormatError(
                    f"segment {position} (UNH): message type {kind or '(none)'!r} is not PAXLST",
                    format="PAXLST",
                )
            current = None
            continue
        if tag == "UNT":
            count = _component(_element(segment, 0), 0)
            if count.isdigit() and int(count) != message_segments:
                reader.issue(position, "UNT", f"says {count} segments but the message has {message_segments}")
            open_message = None
            current = None
            continue
        if tag == "CNT":
            total = _components(_element(segment, 0))
            if len(total) > 1 and total[0] == "42" and total[1].isdigit():
                declared_count = (declared_count or 0) + int(total[1])
            current = None
            continue
        if tag == "NAD":
            qualifier = _component(_element(segment, 0), 0)
            in_document = False
            if qualifier not in TRAVELLERS:
                current = None
                continue
            current = Traveller(position, len(travellers) + 1, qualifier)
            travellers.append(current)
            names = _components(_element(segment, 3))
            current.surname = names[0] if names else ""
            current.given = " ".join(n for n in names[1:] if n)
            current.address = [
                value for index in range(4, 9) for value in _components(_element(segment, index)) if value
            ]
            if not current.surname:
                reader.issue(
                    position, "NAD", f"traveller {current.number} has no surname (NAD element 4, C080)"
                )
            continue
        if current is None:
            continue
        if tag == "ATT":
            if _component(_element(segment, 0), 0) == "2":
                value = _component(_element(segment, 2), 0).upper()
                current.gender = GENDERS.get(value)
        elif tag == "DTM":
            parts = _components(_element(segment, 0))
            qualifier = parts[0] if parts else ""
            value = parts[1] if len(parts) > 1 else ""
            if qualifier == "329":
                current.dob = _date(value, past=True)
                if current.dob is None:
                    reader.issue(
                        position,
                        "DTM",
                        f"date of birth {value!r} is not YYMMDD or CCYYMMDD; screened without it",
                    )
            elif qualifier == "36" and in_document:
                current.details.append(("document-expiry", _date(value, past=False) or value))
        elif tag == "NAT":
            code = _component(_element(segment, 1), 0)
            country, known = _nationality(code)
            current.nationality = current.nationality or country
            if not known:
                reader.issue(
                    position,
                    "NAT",
                    f"nationality {code!r} is not an ICAO/ISO country code; screened without it",
                )
        elif tag == "DOC":
            kind_code = _component(_element(segment, 0), 0).upper()
            number = _component(_element(segment, 1), 0)
            in_document = True
            kind = DOCUMENT_KINDS.get(kind_code[:1], "document") if kind_code else "document"
            if not number:
                reader.issue(
                    position, "DOC", f"traveller {current.number}: document {kind_code or '?'} has no number"
                )
            else:
                current.documents.append((kind, number))
        elif tag == "LOC":
            parts = _components(_element(segment, 0))
            place = _component(_element(segment, 1), 0)
            label = {"91": "document-issuer", "178": "embarkation", "179": "disembarkation", "174": "residence",
                     "180": "birth-place", "22": "clearance"}.get(parts[0] if parts else "", "location")  # fmt: skip
            if place:
                current.details.append((label, place))
        elif tag == "RFF":
            parts = _components(_element(segment, 0))
            if len(parts) > 1 and parts[1]:
                current.details.append(
                    ({"AVF": "booking", "SEA": "seat"}.get(parts[0], parts[0].lower()), parts[1])
                )
    if not seen_unb:
        raise MessageFormatError("no interchange header UNB", format="PAXLST")
    if messages == 0:
        raise MessageFormatError("no message (UNH ... UNT) in the interchange", format="PAXLST")
    if open_message is not None:
        reader.issue(
            open_message, "UNH", "the message is not closed by a UNT segment: the manifest may be cut short"
        )
    if declared_count is not None:
        passengers = sum(1 for t in travellers if TRAVELLERS[t.qualifier] == "passenger") or len(travellers)
        if declared_count not in (passengers, len(travellers)):
            reader.issue(
                len(segments),
                "CNT",
                f"CNT+42 says {declared_count} travellers but the manifest has {len(travellers)}",
            )
    if not travellers:
        raise MessageFormatError(
            "no traveller (NAD+FL passenger or NAD+FM crew) in the manifest", format="PAXLST"
        )
    return travellers, reader.warnings


def extract_paxlst(data: bytes | str, *, encoding: str | None = None, strict: bool = False) -> Extracted:
    """The handler of format "paxlst": each traveller as a party (role passenger or crew)."""
    travellers, notes = read_travellers(data, encoding=encoding, strict=strict)
    parties = []
    for traveller in travellers:
        label = f"NAD+{traveller.qualifier} traveller {traveller.number} (segment {traveller.segment})"
        if not traveller.name:
            continue  # warned
        query = make_query(
            traveller.name, schema="person", dob=traveller.dob, country=traveller.nationality,
            gender=traveller.gender, id_number=traveller.identifier, warnings=notes, place=f"PAXLST {label}",
        )  # fmt: skip
        parties.append(
            MessageParty(
                TRAVELLERS[traveller.qualifier], traveller.name, query, label, address=tuple(traveller.address),
                country=traveller.nationality, identifiers=tuple(traveller.documents + traveller.details),
            )
        )  # fmt: skip
    if not parties:
        # Nothing to screen: say why rather than return an empty manifest that reads as "no hits".
        why = "; ".join(notes) if notes else "it names no traveller (no NAD+FL/FM/DDT/DDU segment)"
        raise MessageFormatError(f"no traveller could be read: {why}", format="PAXLST")
    return Extracted("", notes, parties, [])


def detect_paxlst(head: bytes) -> bool:
    """An EDIFACT interchange (UNA/UNB) whose UNH names PAXLST."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return start[:3] in (b"UNA", b"UNB") and b"PAXLST" in head[:4096]


register(
    FORMAT,
    extract_paxlst,
    detect=detect_paxlst,
    description="UN/EDIFACT PAXLST (API manifests): each passenger/crew member with DOB, nationality, passport",
    profile=PROFILE,
)
