"""SWIFT MT103 and MT202COV: blocks, fields, validation, parties and free text (docs/messages.md).

    from ctscreen.text import screen_text
    result = screen_text(screener, Path("payment.fin").read_bytes(), format="mt", profile="payments")

A file holds one message or several, each `{1:...}{2:...}{3:{...}}{4:<CR><LF>:20:...<CR><LF>-}{5:{...}}`
(a bare block-4 text starting `:20:` is read too). Parties (block 1/2 sender and receiver, 50a, 52a-58a, 59a;
in MT202COV also sequence B's 50a/52a/56a/57a/59a) are screened as structured queries; the free-text fields
(70, 72, 77B, 79) and the address lines of name-and-address fields are scanned for mentions.

Message structure that cannot be read (a block that is not closed, text outside blocks) raises
`MessageFormatError` naming the block and line. A message that reads but breaks the rules of its type (a
missing mandatory field, an option the type does not allow, a malformed :32A:, a line over 35 characters)
is screened anyway, with a warning naming the field and line; `parse_mt(..., strict=True)` raises instead.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ctscreen.text.extract import Extracted
from ctscreen.text.formats._common import (
    MessageFormatError,
    MessageParty,
    TextBuilder,
    address_country,
    bic8,
    bic_parts,
    country_of,
    decode_input,
    join_wrapped,
    make_query,
    register,
    where,
)

FORMAT = "mt"
WIDTH = 35  # characters per line of a party or narrative field

_BLOCK_START = re.compile(r"\{([0-9A-Z]{1,3}):")
_TAG_LINE = re.compile(r"^:(\d{2}[A-Z]?):")
_BLOCK4_END = re.compile(r"\n-\}")
_BRACE = re.compile(r"[{}]")
_GAP = re.compile(r"[\s$\x01\x03]*")
_HEADER1 = re.compile(r"^[FAL]\d{2}([A-Z0-9]{12})")
_HEADER2_IN = re.compile(r"^I(\d{3})([A-Z0-9]{12})")
_HEADER2_OUT = re.compile(r"^O(\d{3})\d{4}\d{6}([A-Z0-9]{12})")
_USER_FIELD = re.compile(r"\{(\d{3}):([^{}]*)\}")
_AMOUNT_32A = re.compile(r"^(\d{6})([A-Z]{3})(\d{1,15},\d{0,15})$")
_STRUCTURED_LINE = re.compile(r"^([1-8])/(.*)$")
_CODED_72 = re.compile(r"^/([A-Z0-9]{1,8})/(.*)$")
_PARTY_ID_50F = re.compile(r"^(ARNU|CCPT|CUST|DRLC|EMPL|NIDN|SOSE|TXID)/([A-Z]{2})/(.+)$")

ROLES = {
    "50": "ordering-customer",
    "52": "ordering-institution",
    "53": "sender-correspondent",
    "54": "receiver-correspondent",
    "55": "third-reimbursement-institution",
    "56": "intermediary",
    "57": "account-with-institution",
    "58": "beneficiary-institution",
    "59": "beneficiary",
}
_CUSTOMERS = frozenset({"50", "59"})
OPTIONS = {
    "50": ("A", "F", "K"),
    "52": ("A", "D"),
    "53": ("A", "B", "D"),
    "54": ("A", "B", "D"),
    "55": ("A", "B", "D"),
    "56": ("A", "C", "D"),
    "57": ("A", "B", "C", "D"),
    "58": ("A", "D"),
    "59": ("", "A", "F"),
}
FIELD_NAMES = {
    "20": "sender's reference",
    "21": "related reference",
    "23B": "bank operation code",
    "32A": "value date, currency, amount",
    "50a": "ordering customer",
    "58a": "beneficiary institution",
    "59a": "beneficiary customer",
    "71A": "details of charges",
}
MANDATORY = {
    "103": ("20", "23B", "32A", "50a", "59a", "71A"),
    "202COV": ("20", "21", "32A", "58a"),
}
MANDATORY_SEQUENCE_B = {"202COV": ("50a", "59a")}
KNOWN_TAGS = {
    "103": frozenset(
        [
            "13C",
            "20",
            "23B",
            "23E",
            "26T",
            "32A",
            "33B",
            "36",
            "50A",
            "50F",
            "50K",
            "51A",
            "52A",
            "52D",
            "53A",
            "53B",
            "53D",
            "54A",
            "54B",
            "54D",
            "55A",
            "55B",
            "55D",
            "56A",
            "56C",
            "56D",
            "57A",
            "57B",
            "57C",
            "57D",
            "59",
            "59A",
            "59F",
            "70",
            "71A",
            "71F",
            "71G",
            "72",
            "77B",
            "77T",
        ]
    ),
    "202COV": frozenset(
        [
            "20",
            "21",
            "13C",
            "32A",
            "52A",
            "52D",
            "53A",
            "53B",
            "53D",
            "54A",
            "54B",
            "54D",
            "56A",
            "56D",
            "57A",
            "57B",
            "57D",
            "58A",
            "58D",
            "72",
            "50A",
            "50F",
            "50K",
            "56C",
            "57C",
            "59",
            "59A",
            "59F",
            "70",
            "33B",
        ]
    ),
}
MAX_LINES = {"70": 4, "72": 6, "77B": 3, "79": 35, "50F": 5, "59F": 5, "50K": 5, "59": 5}
_FREE_TEXT = ("70", "72", "77B", "79")
_CHARGES = frozenset({"BEN", "OUR", "SHA"})
_OPERATION_CODES = frozenset({"CRED", "CRTS", "SPAY", "SPRI", "SSTD"})


@dataclass
class MTField:
    tag: str  # "50K", "59", "32A"
    lines: list[str]
    line: int  # line of the input where the field's tag is
    sequence: str = "A"  # "B": MT202COV's underlying customer credit transfer

    @property
    def number(self) -> str:
        return self.tag[:2]

    @property
    def option(self) -> str:
        return self.tag[2:]

    @property
    def label(self) -> str:
        return f":{self.tag}:" + (" (sequence B)" if self.sequence == "B" else "")


@dataclass
class Issue:
    field: str | None
    line: int | None
    message: str


@dataclass
class MTMessage:
    index: int  # 1-based position in the file
    type: str | None  # "103", "202COV", "202" ...; None when there is no block 2 and it cannot be told
    line: int  # line of the input where the message starts
    sender: str | None = None  # logical terminal address (BIC8 + terminal letter + branch) of block 1/2
    receiver: str | None = None
    header_line: int | None = None
    user_header: dict[str, str] = field(default_factory=dict)
    fields: list[MTField] = field(default_factory=list)
    text_line: int | None = None  # line of "{4:"
    issues: list[Issue] = field(default_factory=list)
    inferred: bool = False

    @property
    def name(self) -> str:
        return f"MT{self.type}" if self.type else "MT"

    def get(self, tag: str, sequence: str | None = None) -> MTField | None:
        for f in self.fields:
            if f.tag == tag and (sequence is None or f.sequence == sequence):
                return f
        return None

    def has(self, spec: str, sequence: str | None = None) -> bool:
        """`spec` "32A" (that tag) or "50a" (any option of 50)."""
        if spec.endswith("a"):
            return any(
                f.number == spec[:2] and (sequence is None or f.sequence == sequence) for f in self.fields
            )
        return self.get(spec, sequence) is not None


def _line_of(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def _closing_brace(text: str, start: int) -> int:
    """Index of the '}' closing the block whose '{' is at `start` (blocks 3 and 5 nest one level), or -1."""
    depth = 0
    for brace in _BRACE.finditer(text, start):
        if brace.group() == "{":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return brace.start()
    return -1


def _split_blocks(text: str) -> list[tuple[int, dict[str, tuple[str, int]]]]:
    """Messages of a file: (start position, {block id: (content, position of content)})."""
    messages: list[tuple[int, dict[str, tuple[str, int]]]] = []
    current: dict[str, tuple[str, int]] | None = None
    position = _GAP.match(text, 0).end()  # type: ignore[union-attr]
    while position < len(text):
        match = _BLOCK_START.match(text, position)
        if not match:
            raise MessageFormatError(
                f"expected a block '{{1:', '{{2:' ... but found {text[position : position + 20]!r}",
                format="MT",
                line=_line_of(text, position),
                index=len(messages) or None,
            )
        block = match.group(1)
        content_start = match.end()
        if block == "4":
            if text.startswith("-}", content_start):
                end = content_start  # an empty block 4
                after = end + 2
            else:
                end_match = _BLOCK4_END.search(text, content_start)
                if not end_match:
                    raise MessageFormatError(
                        "block 4 (the text block) is not closed by a line '-}'",
                        format="MT",
                        field="{4:",
                        line=_line_of(text, position),
                        index=len(messages) + (0 if current is not None else 1),
                    )
                end = end_match.start()
                after = end_match.end()
        else:
            close = _closing_brace(text, position)
            if close < 0:
                raise MessageFormatError(
                    f"block {block} is not closed by '}}'",
                    format="MT",
                    field=f"{{{block}:",
                    line=_line_of(text, position),
                    index=len(messages) + (0 if current is not None else 1),
                )
            end = close
            after = close + 1
        starts_new = current is None or block in current or (block in "1234" and "4" in current)
        if starts_new:
            current = {}
            messages.append((position, current))
        assert current is not None
        current[block] = (text[content_start:end], content_start)
        position = _GAP.match(text, after).end()  # type: ignore[union-attr]
    return messages


def _read_fields(body: str, first_line: int, message: MTMessage) -> None:
    """Fields of block-4 text `body`, whose first line is line `first_line` of the input."""
    current: MTField | None = None
    for offset, raw in enumerate(body.split("\n")):
        number = first_line + offset
        line = raw.rstrip("\r")
        tag = _TAG_LINE.match(line)
        if tag:
            current = MTField(tag.group(1), [line[tag.end() :]], number)
            message.fields.append(current)
        elif current is not None:
            current.lines.append(line)
        elif line.strip() and line.strip() != "-":
            message.issues.append(Issue(None, number, f"text before the first field: {line[:40]!r}"))
    for f in message.fields:
        while len(f.lines) > 1 and not f.lines[-1].strip():
            f.lines.pop()


def _infer_type(message: MTMessage) -> str | None:
    if message.has("58a") and message.has("50a") and message.has("59a"):
        return "202COV"
    if message.has("50a") and message.has("59a"):
        return "103"
    if message.has("58a"):
        return "202"
    return None


def parse_mt(data: bytes | str, *, encoding: str | None = None, strict: bool = False) -> list[MTMessage]:
    """The messages of an MT file. Structure that cannot be read raises MessageFormatError; rule breaks
    are in each message's `issues`, or raised (the first one) with `strict=True`."""
    text, _ = decode_input(data, encoding, "a SWIFT MT message")
    messages = _parse_text(text)
    if strict:
        for message in messages:
            for issue in message.issues:
                raise MessageFormatError(
                    issue.message,
                    format=message.name,
                    field=issue.field,
                    line=issue.line,
                    index=message.index if len(messages) > 1 else None,
                )
    return messages


def _parse_text(text: str) -> list[MTMessage]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    stripped = text.lstrip()
    if not stripped:
        raise MessageFormatError("the input is empty", format="MT")
    if stripped.startswith(":"):  # a bare block-4 text, without header blocks
        start = len(text) - len(stripped)
        body = stripped
        if body.rstrip().endswith("\n-"):
            body = body.rstrip()[:-2]
        message = MTMessage(1, None, _line_of(text, start), text_line=_line_of(text, start), inferred=True)
        _read_fields(body, _line_of(text, start), message)
        message.type = _infer_type(message)
        _check(message)
        return [message]
    messages = []
    for index, (position, blocks) in enumerate(_split_blocks(text), start=1):
        message = MTMessage(index, None, _line_of(text, position))
        if "1" in blocks:
            content, at = blocks["1"]
            match = _HEADER1.match(content)
            if match:
                message.sender = match.group(1)
            else:
                message.issues.append(
                    Issue("{1:", _line_of(text, at), f"basic header {content!r} is malformed")
                )
            message.header_line = _line_of(text, at)
        else:
            message.issues.append(Issue("{1:", message.line, "the basic header block {1:} is missing"))
        if "2" in blocks:
            content, at = blocks["2"]
            incoming = _HEADER2_IN.match(content)
            outgoing = _HEADER2_OUT.match(content)
            if incoming:
                message.type, message.receiver = incoming.group(1), incoming.group(2)
            elif outgoing:  # an output message: block 2 has the sender's address, block 1 the receiver's
                message.type = outgoing.group(1)
                message.receiver, message.sender = message.sender, outgoing.group(2)
            else:
                message.issues.append(
                    Issue("{2:", _line_of(text, at), f"application header {content!r} is malformed")
                )
        if "3" in blocks:
            message.user_header = dict(_USER_FIELD.findall(blocks["3"][0]))
        if message.type in ("202", "205") and message.user_header.get("119") == "COV":
            message.type += "COV"
        if "4" not in blocks:
            raise MessageFormatError(
                "the text block {4:} is missing", format=message.name, line=message.line, index=index
            )
        body, at = blocks["4"]
        message.text_line = _line_of(text, at)
        _read_fields(body, message.text_line, message)
        if message.type is None:
            message.type = _infer_type(message)
            message.inferred = True
        _check(message)
        messages.append(message)
    return messages


# -- validation ---------------------------------------------------------------------------------------------


def _check(message: MTMessage) -> None:
    kind = message.type
    issues = message.issues
    if kind == "202COV":
        # sequence B (the underlying customer credit transfer) starts at 50a or 59a, or at the first field
        # after 58a other than sequence A's 72
        in_b = seen_58 = False
        for f in message.fields:
            if not in_b and (f.number in ("50", "59") or (seen_58 and f.number not in ("58", "72"))):
                in_b = True
            seen_58 = seen_58 or f.number == "58"
            if in_b:
                f.sequence = "B"
    if message.inferred:
        shown = f"MT{kind}" if kind else "of no known type"
        issues.append(
            Issue(None, message.line, f"no application header: read as a message {shown} from its fields")
        )
    for f in message.fields:
        if f.number in OPTIONS and f.option not in OPTIONS[f.number]:
            allowed = "/".join(o or "no letter" for o in OPTIONS[f.number])
            issues.append(
                Issue(f.label, f.line, f"option {f.option or 'no letter'} is not allowed ({allowed})")
            )
        for offset, line in enumerate(f.lines):
            if len(line) > WIDTH and f.tag not in ("77T",):
                issues.append(
                    Issue(
                        f.label, f.line + offset, f"a line of {len(line)} characters, at most {WIDTH} allowed"
                    )
                )
        limit = MAX_LINES.get(f.tag) or (5 if f.option == "D" else 2 if f.option == "A" else None)
        if limit and len(f.lines) > limit:
            issues.append(Issue(f.label, f.line, f"{len(f.lines)} lines, at most {limit} allowed"))
        if "\ufffd" in "".join(f.lines):
            bad = sum(line.count("\ufffd") for line in f.lines)
            issues.append(
                Issue(
                    f.label,
                    f.line,
                    f"{bad} byte(s) that are not UTF-8 were replaced by U+FFFD; screened as read",
                )
            )
        _check_value(f, issues)
    if kind not in MANDATORY:
        if kind is not None:
            issues.append(
                Issue(
                    None,
                    message.line,
                    f"MT{kind} is not MT103 or MT202COV: its fields were read by tag, unvalidated",
                )
            )
        return
    known = KNOWN_TAGS[kind]
    for f in message.fields:
        if f.tag not in known:
            issues.append(Issue(f.label, f.line, f"field :{f.tag}: is not part of MT{kind}"))
    for spec in MANDATORY[kind]:
        if not message.has(spec, "A" if kind == "202COV" else None):
            issues.append(_missing(spec, message, ""))
    for spec in MANDATORY_SEQUENCE_B.get(kind, ()):
        if not message.has(spec, "B"):
            issues.append(_missing(spec, message, " in sequence B (underlying customer credit transfer)"))


def _missing(spec: str, message: MTMessage, extra: str) -> Issue:
    label = f":{spec}:" if not spec.endswith("a") else f":{spec[:2]}a:"
    return Issue(
        label,
        message.text_line,
        f"mandatory field {label} ({FIELD_NAMES.get(spec, spec)}) is missing{extra} (block 4 starts at this line)",
    )


def _check_value(f: MTField, issues: list[Issue]) -> None:
    value = "\n".join(f.lines).strip()
    if f.tag in ("20", "21"):
        if not value or len(value) > 16 or value.startswith("/") or value.endswith("/") or "//" in value:
            issues.append(
                Issue(
                    f.label,
                    f.line,
                    f"reference {value!r} must be 1-16 characters, no leading, trailing or double '/'",
                )
            )
    elif f.tag == "23B":
        if value not in _OPERATION_CODES:
            issues.append(
                Issue(
                    f.label,
                    f.line,
                    f"bank operation code {value!r} is not one of {', '.join(sorted(_OPERATION_CODES))}",
                )
            )
    elif f.tag == "71A":
        if value not in _CHARGES:
            issues.append(Issue(f.label, f.line, f"details of charges {value!r} is not BEN, OUR or SHA"))
    elif f.tag == "32A":
        match = _AMOUNT_32A.match(value)
        if not match:
            issues.append(
                Issue(f.label, f.line, f"{value!r} is not YYMMDD + currency + amount (e.g. 250105USD1000,00)")
            )
        else:
            date = match.group(1)
            try:
                dt.date(2000 + int(date[:2]), int(date[2:4]), int(date[4:]))
            except ValueError:
                issues.append(Issue(f.label, f.line, f"value date {match.group(1)!r} is not a date (YYMMDD)"))
    elif f.option == "A" and f.number in OPTIONS:
        rest = f.lines[1:] if f.lines[0].startswith("/") else f.lines
        if not rest or bic_parts(rest[0]) is None:
            shown = rest[0] if rest else ""
            issues.append(
                Issue(f.label, f.line + len(f.lines) - len(rest), f"{shown!r} is not a BIC (option A)")
            )
    elif f.option == "F":
        first = f.lines[0]
        if not (first.startswith("/") or _PARTY_ID_50F.match(first)) and f.number == "50":
            issues.append(
                Issue(
                    f.label,
                    f.line,
                    f"first line {first!r} is neither /account nor a party identifier (CCPT/PK/...)",
                )
            )
        for offset, line in enumerate(f.lines[1:] if f.number == "50" or first.startswith("/") else f.lines):
            if line and not _STRUCTURED_LINE.match(line):
                issues.append(
                    Issue(
                        f.label, f.line + offset + 1, f"line {line!r} does not start with 1/ to 8/ (option F)"
                    )
                )


# -- parties and text ---------------------------------------------------------------------------------------


def _account(lines: list[str]) -> tuple[str | None, list[str]]:
    if lines and lines[0].startswith("/"):
        return lines[0].lstrip("/") or None, lines[1:]
    return None, lines


def _name_and_address(lines: list[str]) -> tuple[str, list[str]]:
    """Name lines (a line filled to 35 characters continues on the next) and the address lines after."""
    lines = [line.strip() for line in lines if line.strip()]
    if not lines:
        return "", []
    taken = 1
    while taken < len(lines) and len(lines[taken - 1]) >= WIDTH:
        taken += 1
    return join_wrapped(lines[:taken], WIDTH), lines[taken:]


def _date_8(value: str) -> str | None:
    value = value.strip()
    if re.fullmatch(r"\d{8}", value):
        return f"{value[:4]}-{value[4:6]}-{value[6:]}"
    return None


@dataclass
class _Found:
    parties: list[MessageParty]
    text: TextBuilder
    scan_addresses: bool
    warnings: list[str]


def _party(f: MTField, message: MTMessage, many: bool, found: _Found) -> None:
    role = ROLES[f.number]
    label = (f"message {message.index} " if many else "") + f.label
    place = where(message.name, f.label, f.line, message.index if many else None)
    option = f.option
    customer = f.number in _CUSTOMERS
    if option == "A":
        account, rest = _account(f.lines)
        bic = bic_parts(rest[0]) if rest else None
        if bic is None:
            return  # reported by validation
        code, country = bic
        query = make_query(
            code,
            schema="organization",
            country=country,
            id_number=bic8(code),
            warnings=found.warnings,
            place=place,
        )
        found.parties.append(
            MessageParty(
                role,
                code,
                query,
                label,
                account=account,
                bic=code,
                country=country,
                identifiers=(("bic", code),),
                line=f.line,
                message=message.index if many else None,
            )
        )
        return
    if option == "F":
        _structured_party(f, message, role, label, place, found, many)
        return
    if option in ("B", "C"):
        return  # a location or an account only: nothing to screen by name
    account, rest = _account(f.lines)
    name, address = _name_and_address(rest)
    if not name:
        found.warnings.append(f"{place}: no name to screen")
        return
    country = address_country(address)
    query = make_query(
        name,
        schema=None if customer else "organization",
        country=country,
        warnings=found.warnings,
        place=place,
    )
    found.parties.append(
        MessageParty(
            role,
            name,
            query,
            label,
            account=account,
            address=tuple(address),
            country=country,
            line=f.line,
            message=message.index if many else None,
        )
    )
    if address and found.scan_addresses:
        found.text.add(f"{label} address", "\n".join(address))


def _structured_party(
    f: MTField, message: MTMessage, role: str, label: str, place: str, found: _Found, many: bool
) -> None:
    lines = list(f.lines)
    account = None
    identifiers: list[tuple[str, str]] = []
    if lines and lines[0].startswith("/"):
        account = lines.pop(0).lstrip("/") or None
    elif lines and f.number == "50":
        party_id = _PARTY_ID_50F.match(lines[0])
        if party_id:
            lines.pop(0)
            kind = {"CCPT": "passport", "NIDN": "national-id", "TXID": "tax-id"}.get(
                party_id.group(1), party_id.group(1).lower()
            )
            identifiers.append((kind, party_id.group(3).strip()))
    names: list[str] = []
    name_lengths: list[int] = []
    address: list[str] = []
    towns: list[str] = []
    country = dob = None
    for line in lines:
        match = _STRUCTURED_LINE.match(line.strip())
        if not match:
            continue  # reported by validation
        number, value = match.group(1), match.group(2).strip()
        if number == "1":
            names.append(value)
            name_lengths.append(len(line.rstrip()))
        elif number == "2":
            address.append(value)
        elif number == "3":
            if country is None and re.match(r"^[A-Z]{2}(/|$)", value):
                country = value[:2]
                value = value[3:]
            if value:
                towns.append(value)
        elif number == "4":
            dob = _date_8(value)
            if dob is None:
                found.warnings.append(
                    f"{place}: date of birth {value!r} is not YYYYMMDD; screened without it"
                )
        elif number == "5" and value:
            identifiers.append(("place-of-birth", value))
        elif number == "6" and value:
            identifiers.append(("customer-id", value))
        elif number == "7" and value:
            identifiers.append(("national-id", value[3:] if re.match(r"^[A-Z]{2}/", value) else value))
        elif number == "8" and value and identifiers:
            kind, previous = identifiers[-1]
            identifiers[-1] = (kind, previous + value)
    name = join_wrapped(names, WIDTH, " ", name_lengths)
    if not name:
        found.warnings.append(f"{place}: no name (1/) to screen")
        return
    wanted = ("passport", "national-id", "tax-id")
    id_number = next((v for k in wanted for kind, v in identifiers if kind == k), None)
    person = dob is not None or any(
        k in ("passport", "national-id", "place-of-birth") for k, _ in identifiers
    )
    query = make_query(
        name,
        schema="person" if person else None,
        dob=dob,
        country=country_of(country) if country else None,
        id_number=id_number,
        warnings=found.warnings,
        place=place,
    )
    whole_address = tuple(address + towns)
    found.parties.append(
        MessageParty(
            role,
            name,
            query,
            label,
            account=account,
            address=whole_address,
            country=country,
            identifiers=tuple(identifiers),
            line=f.line,
            message=message.index if many else None,
        )
    )
    if whole_address and found.scan_addresses:
        found.text.add(f"{label} address", "\n".join(whole_address))


def _free_text(f: MTField, label: str, text: TextBuilder) -> None:
    lines = [line.rstrip() for line in f.lines]
    if f.tag != "72":
        text.add(label, join_wrapped(lines, WIDTH, "\n"))
        return
    # 72: "/CODE/text" starts a piece, "//" continues it; each piece is a stretch of its own
    pieces: list[tuple[str | None, list[str], list[int]]] = []
    for line in lines:
        if line.startswith("//") and pieces:
            pieces[-1][1].append(line[2:])
            pieces[-1][2].append(len(line))
            continue
        coded = _CODED_72.match(line)
        if coded:
            pieces.append((coded.group(1), [coded.group(2)], [len(line)]))
        elif pieces:
            pieces[-1][1].append(line)
            pieces[-1][2].append(len(line))
        else:
            pieces.append((None, [line], [len(line)]))
    for code, parts, lengths in pieces:
        text.add(f"{label}/{code}/" if code else label, join_wrapped(parts, WIDTH, " ", lengths))


def _header_party(role: str, address: str | None, message: MTMessage, many: bool, found: _Found) -> None:
    if not address:
        return
    bic = address[:8] + address[9:12]  # the logical terminal address has a terminal letter at position 9
    parts = bic_parts(bic)
    if parts is None:
        return
    code, country = parts
    field_name = "{1:}" if role == "sender" else "{2:}"
    label = (f"message {message.index} " if many else "") + ("header " + role)
    place = where(message.name, field_name, message.header_line, message.index if many else None)
    query = make_query(
        code,
        schema="organization",
        country=country,
        id_number=bic8(code),
        warnings=found.warnings,
        place=place,
    )
    found.parties.append(
        MessageParty(
            role,
            code,
            query,
            label,
            bic=code,
            country=country,
            identifiers=(("bic", code),),
            line=message.header_line,
            message=message.index if many else None,
        )
    )


def extract_mt(
    data: bytes | str, *, encoding: str | None = None, strict: bool = False, scan_addresses: bool = False
) -> Extracted:
    """The handler of format "mt": parties to screen, free text with its fields, warnings. `strict`: raise
    on the first rule break instead of warning; `scan_addresses`: scan the address lines of parties for
    mentions too (off: place names in addresses give more noise than finds, docs/messages.md)."""
    text, warnings = decode_input(data, encoding, "a SWIFT MT message")
    messages = _parse_text(text)
    many = len(messages) > 1
    found = _Found([], TextBuilder(), scan_addresses=scan_addresses, warnings=warnings)
    for message in messages:
        for issue in message.issues:
            if strict:
                raise MessageFormatError(
                    issue.message,
                    format=message.name,
                    field=issue.field,
                    line=issue.line,
                    index=message.index if many else None,
                )
            warnings.append(
                f"{where(message.name, issue.field, issue.line, message.index if many else None)}: {issue.message}"
            )
        _header_party("sender", message.sender, message, many, found)
        _header_party("receiver", message.receiver, message, many, found)
        for f in message.fields:
            label = (f"message {message.index} " if many else "") + f.label
            if f.number in ROLES:
                _party(f, message, many, found)
            elif f.tag in _FREE_TEXT:
                _free_text(f, label, found.text)
    screened = found.text.text()
    if not found.parties and not screened.strip():
        raise MessageFormatError(
            "no party and no free text to screen (no fields 50a/59a/52a-58a/70/72)",
            format=messages[0].name if len(messages) == 1 else "MT",
        )
    return Extracted(screened, warnings, list(found.parties), list(found.text.fields))


_DETECT = re.compile(rb"^\s*(?:\{[1-4]:|:20:)")


def detect_mt(head: bytes) -> bool:
    """An MT message: starts with a block '{1:' ... '{4:' or with field ':20:' (a bare text block)."""
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    return bool(_DETECT.match(head))


register(
    FORMAT,
    extract_mt,
    detect=detect_mt,
    description="SWIFT MT103 / MT202COV: parties (50a, 52a-58a, 59a, header BICs) as queries; 70/72/77B as text",
    profile="payments",
)
