"""What the message formats share: the error they raise, the party they give back, decoding, query building,
re-joining names and text cut at fixed line widths, and the text-with-fields builder."""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass

from ctscreen.matching import Query, QueryError
from ctscreen.matching.countries import country_code
from ctscreen.text.api import FormatHandler, Party, register_format
from ctscreen.text.extract import TextInputError, binary_reason, decode


def register(name: str, handler: FormatHandler, *, detect, description: str, profile: str) -> None:  # type: ignore[no-untyped-def]
    """register_format(...), passing the format's default screening profile where the API takes one."""
    extra = {"profile": profile} if "profile" in inspect.signature(register_format).parameters else {}
    register_format(name, handler, detect=detect, description=description, replace=True, **extra)


_BIC = re.compile(r"^([A-Z]{4})([A-Z]{2})([A-Z0-9]{2})([A-Z0-9]{3})?$")
_MIN_IDENTIFIER = 5  # shorter "identifiers" collide with unrelated listed numbers


class MessageFormatError(TextInputError):
    """A message that cannot be read as its format. The text names the message, field and line."""

    def __init__(
        self,
        message: str,
        *,
        format: str,
        field: str | None = None,
        line: int | None = None,
        index: int | None = None,
    ) -> None:
        self.message = message
        self.format = format
        self.field = field
        self.line = line
        self.index = index
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"{where(self.format, self.field, self.line, self.index)}: {self.message}"


def where(format: str, field: str | None = None, line: int | None = None, index: int | None = None) -> str:
    """'MT103 message 2, field :59: (line 14)': the place a warning or error is about."""
    out = format
    if index is not None:
        out += f" message {index}"
    if field:
        out += f", field {field}" if index is not None else f" field {field}"
    if line is not None:
        out += f" (line {line})"
    return out


@dataclass(frozen=True)
class MessageParty(Party):
    """A party of a payment message or manifest: what `Party` has (role, name, query, field) and the
    details the message gives beside them. Accounts are kept here for the analyst, never screened: they are
    not identifiers on the lists."""

    account: str | None = None
    address: tuple[str, ...] = ()
    bic: str | None = None
    country: str | None = None
    identifiers: tuple[tuple[str, str], ...] = ()  # (kind, value): passport, national-id, lei, bic ...
    line: int | None = None
    message: int | None = None  # 1-based index of the message in a file of several

    def details(self) -> dict[str, object]:
        """What the message gives beside the name, and the query screened (for the audit record)."""
        out: dict[str, object] = {}
        if self.query is not None:
            out["query"] = {k: v for k, v in self.query.__dict__.items() if v is not None}
        for key in ("account", "bic", "country", "line", "message"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.address:
            out["address"] = list(self.address)
        if self.identifiers:
            out["identifiers"] = [{"kind": k, "value": v} for k, v in self.identifiers]
        return out


def decode_input(data: bytes | str, encoding: str | None, what: str) -> tuple[str, list[str]]:
    """The text of a message: refuse binary input, decode bytes (bytes that are not UTF-8 become U+FFFD and a
    warning counts them)."""
    if isinstance(data, str):
        return data, []
    reason = binary_reason(data)
    if reason:
        raise TextInputError(f"not {what}: {reason}")
    text, warnings = decode(data, encoding)
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, warnings


def bic_parts(value: str) -> tuple[str, str] | None:
    """(BIC as given, upper-cased, 8 or 11 characters; its ISO country code) or None if not a BIC."""
    value = value.strip().upper()
    match = _BIC.match(value)
    if not match:
        return None
    code = match.group(2)
    if country_code(code) != code:
        return None
    return value, code


def bic8(bic: str) -> str:
    """The institution's BIC: the lists give BICs as 8 characters (OFAC "SWIFT/BIC"), so the branch is cut."""
    return bic[:8]


def country_of(value: str | None) -> str | None:
    """ISO alpha-2 code of a code or country name, or None."""
    if not value or not value.strip():
        return None
    return country_code(value.strip())


# Two-letter words at the end of an address line that are also ISO country codes but usually are not meant
# as one ("ST" street, "AL" the article, "CO" company, "NO" number ...).
_AMBIGUOUS_CODES = frozenset(
    [
        "AL",
        "AM",
        "AS",
        "AT",
        "BE",
        "BY",
        "CA",
        "CO",
        "DE",
        "ID",
        "IN",
        "IS",
        "IT",
        "LA",
        "MA",
        "ME",
        "NE",
        "NO",
        "OR",
        "PA",
        "SO",
        "ST",
        "TO",
        "UN",
    ]
)


def address_country(lines: list[str] | tuple[str, ...]) -> str | None:
    """A country written at the end of unstructured address lines: a last line that is a country name
    ("PAKISTAN"), starts "CC/" ("PK/LAHORE"), or ends in an unambiguous two-letter code ("LAHORE PK")."""
    if not lines:
        return None
    last = lines[-1].strip().rstrip(".,")
    if not last:
        return None
    slash = re.match(r"^([A-Z]{2})/", last)
    if slash and country_code(slash.group(1)) == slash.group(1):
        return slash.group(1)
    if not re.search(r"\d", last) and len(last) > 3:
        whole = country_code(last)
        if whole:
            return whole
    words = last.replace(",", " ").split()
    if len(words) >= 2 and re.fullmatch(r"[A-Z]{2}", words[-1]) and words[-1] not in _AMBIGUOUS_CODES:
        code = words[-1]
        if country_code(code) == code:
            return code
    return None


def join_wrapped(lines: list[str], width: int, separator: str = " ", lengths: list[int] | None = None) -> str:
    """Join lines of a field cut at `width` characters: a line filled to the width that ends inside a word
    ("HAFIZ MUHAMMAD SAE" + "ED") is continued without a break, a line ending in a hyphen without a space
    ("LASHKAR-" + "E-TAYYIBA"); other lines are joined with `separator`. `lengths`: the length each line had
    in the message, when a prefix ("/BNF/", "//") was cut off it."""
    out = ""
    for number, line in enumerate(lines):
        if number == 0:
            out = line
            continue
        previous = lines[number - 1]
        full = (lengths[number - 1] if lengths else len(previous)) >= width
        if (full and previous[-1:].isalnum() and line[:1].isalnum()) or (
            previous.endswith("-") and line[:1].isalnum()
        ):
            out += line
        else:
            out += separator + line
    return out


def make_query(
    name: str,
    *,
    schema: str | None = None,
    dob: str | None = None,
    country: str | None = None,
    gender: str | None = None,
    id_number: str | None = None,
    warnings: list[str],
    place: str,
) -> Query | None:
    """A query the engine accepts: a field it refuses (a date that is not a date, an unknown country) is
    dropped with a warning naming it, so the name is still screened. None (with a warning) when the name
    itself cannot be screened."""
    name = " ".join(name.split())
    if id_number is not None and len(re.sub(r"[^0-9A-Za-z]", "", id_number)) < _MIN_IDENTIFIER:
        id_number = None
    fields = {"schema": schema, "dob": dob, "country": country, "gender": gender, "id_number": id_number}
    while True:
        query = Query(name, **fields)  # type: ignore[arg-type]
        try:
            query.validated()
            return query
        except QueryError as exc:
            reason = str(exc)
            key = reason.split(":", 1)[0].strip()
            key = {"type": "schema"}.get(key, key)
            if key == "name" or key not in fields or fields[key] is None:
                warnings.append(f"{place}: the party {name!r} cannot be screened: {reason}")
                return None
            warnings.append(f"{place}: {reason}; screened without it")
            fields[key] = None


class TextBuilder:
    """The free text of a message, stretch by stretch, with the (label, start, end) span of each."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.fields: list[tuple[str, int, int]] = []
        self.length = 0

    def add(self, label: str, text: str) -> None:
        text = text.strip()
        if not text:
            return
        if self.parts:
            self.parts.append("\n\n")  # an empty line: a sentence (and a name) ends between fields
            self.length += 2
        self.fields.append((label, self.length, self.length + len(text)))
        self.parts.append(text)
        self.length += len(text)

    def text(self) -> str:
        return "".join(self.parts)
