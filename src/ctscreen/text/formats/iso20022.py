"""ISO 20022 pacs.008, pain.001 (and pacs.009 COV): parties, addresses and remittance text (docs/messages.md).

    result = screen_text(screener, Path("pacs008.xml").read_bytes(), format="iso20022", profile="payments")

The XML is parsed with the project's safe parser (`ctscreen.sources.safexml`): a document that declares a
DTD or entities is refused (no external entity is fetched, no entity expanded), as is one that is not
well-formed, with the line. The `Document` may be the root or sit in an envelope (a business application
header beside it). Parties -- `Dbtr`, `Cdtr`, `UltmtDbtr`, `UltmtCdtr`, `InitgPty`, the agents (`DbtrAgt`,
`CdtrAgt`, `IntrmyAgt1..3`, `PrvsInstgAgt1..3`, `InstgAgt`, `InstdAgt`) and a structured remittance's
invoicer/invoicee -- are screened as queries with the country of their postal address (or residence, or
BIC), date of birth and a passport / national / tax identifier when the message gives them. Free text --
`RmtInf/Ustrd`, `RmtInf/Strd/AddtlRmtInf`, `InstrForCdtrAgt`/`InstrForNxtAgt` instructions, regulatory
reporting details and unstructured `AdrLine`s -- is scanned for mentions.

A missing mandatory element, a count that does not match, a country that is not a code: a warning naming
the element and line, the rest screened (`extract_iso20022(..., strict=True)` raises instead).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from ctscreen.errors import ListFormatError
from ctscreen.sources.safexml import local_name, parse_xml_bytes
from ctscreen.text.extract import Extracted, TextInputError, binary_reason
from ctscreen.text.formats._common import (
    MessageFormatError,
    MessageParty,
    TextBuilder,
    address_country,
    bic8,
    bic_parts,
    country_of,
    join_wrapped,
    make_query,
    register,
)

FORMAT = "iso20022"
NAMESPACE = re.compile(r"^urn:iso:std:iso:20022:tech:xsd:([a-z]{4})\.(\d{3})\.(\d{3})\.(\d{2})$")
ROOTS = (
    "Document",
    "BusMsg",
    "BizMsg",
    "BusinessMessage",
    "Envelope",
    "Message",
    "DataPDU",
    "RequestPayload",
)
_DECLARATIONS = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
USTRD_WIDTH = 140
NAME_LENGTH = 140

MESSAGES = {
    "FIToFICstmrCdtTrf": "pacs.008",
    "CstmrCdtTrfInitn": "pain.001",
    "FICdtTrf": "pacs.009",
}
PARTY_ROLES = {
    "Dbtr": "debtor",
    "Cdtr": "creditor",
    "UltmtDbtr": "ultimate-debtor",
    "UltmtCdtr": "ultimate-creditor",
    "InitgPty": "initiating-party",
    "Invcr": "invoicer",
    "Invcee": "invoicee",
}
AGENT_ROLES = {
    "InstgAgt": "instructing-agent",
    "InstdAgt": "instructed-agent",
    "PrvsInstgAgt1": "previous-instructing-agent",
    "PrvsInstgAgt2": "previous-instructing-agent",
    "PrvsInstgAgt3": "previous-instructing-agent",
    "IntrmyAgt1": "intermediary",
    "IntrmyAgt2": "intermediary",
    "IntrmyAgt3": "intermediary",
    "DbtrAgt": "debtor-agent",
    "CdtrAgt": "creditor-agent",
}
# Transaction elements screened, in message order; a pacs.009's Dbtr/Cdtr are agents (FinInstnId).
TX_PARTIES = (
    "InstgAgt",
    "InstdAgt",
    "PrvsInstgAgt1",
    "PrvsInstgAgt2",
    "PrvsInstgAgt3",
    "IntrmyAgt1",
    "IntrmyAgt2",
    "IntrmyAgt3",
    "UltmtDbtr",
    "InitgPty",
    "Dbtr",
    "DbtrAgt",
    "CdtrAgt",
    "Cdtr",
    "UltmtCdtr",
)
_TX_PARTIES = frozenset(TX_PARTIES)
MANDATORY_GROUP = {
    "pacs.008": ("MsgId", "CreDtTm", "NbOfTxs", "SttlmInf"),
    "pain.001": ("MsgId", "CreDtTm", "NbOfTxs", "InitgPty"),
    "pacs.009": ("MsgId", "CreDtTm", "NbOfTxs", "SttlmInf"),
}
MANDATORY_TX = {
    "pacs.008": ("PmtId", "IntrBkSttlmAmt", "ChrgBr", "Dbtr", "DbtrAgt", "CdtrAgt", "Cdtr"),
    "pain.001": ("PmtId", "Amt"),
    "pacs.009": ("PmtId", "IntrBkSttlmAmt", "Dbtr", "Cdtr"),
}
MANDATORY_PAYMENT = ("PmtInfId", "PmtMtd", "ReqdExctnDt", "Dbtr", "DbtrAcct", "DbtrAgt")  # pain.001 PmtInf
PERSON_ID_SCHEMES = ("CCPT", "NIDN", "TXID", "ARNU", "SOSE")
ORG_ID_SCHEMES = ("TXID", "CINC", "COID", "SREN", "SRET")
ID_KINDS = {"CCPT": "passport", "NIDN": "national-id", "TXID": "tax-id", "ARNU": "alien-registration"}
ADDRESS_PARTS = ("Dept", "SubDept", "StrtNm", "BldgNb", "BldgNm", "Flr", "PstBx", "Room", "PstCd", "TwnNm",
                 "TwnLctnNm", "DstrctNm", "CtrySubDvsn")  # fmt: skip


_PATHS: dict[tuple[str, str], str] = {}  # (namespace, "PstlAdr/Ctry") -> the namespaced path
_ADDRESS_PARTS = frozenset(ADDRESS_PARTS)


@dataclass
class _Context:
    ns: str
    kind: str  # pacs.008 | pain.001 | pacs.009
    strict: bool
    warnings: list[str]
    parties: list[MessageParty] = field(default_factory=list)
    scan_addresses: bool = False
    text: TextBuilder = field(default_factory=TextBuilder)

    def path(self, relative: str) -> str:
        """'PstlAdr/Ctry' in the message's namespace, as lxml's find() wants it."""
        key = (self.ns, relative)
        cached = _PATHS.get(key)
        if cached is None:
            parts = relative.split("/")
            cached = "/".join(f"{{{self.ns}}}{part}" for part in parts) if self.ns else relative
            if len(_PATHS) < 10_000:
                _PATHS[key] = cached
        return cached

    def find(self, element: etree._Element, relative: str) -> etree._Element | None:
        return element.find(self.path(relative))

    def findall(self, element: etree._Element, relative: str) -> list[etree._Element]:
        return element.findall(self.path(relative))

    def text_of(self, element: etree._Element, relative: str) -> str | None:
        found = element.find(self.path(relative))
        if found is None or found.text is None:
            return None
        value = " ".join(found.text.split())
        return value or None

    def issue(self, where: str, line: int | None, message: str) -> None:
        if self.strict:
            raise MessageFormatError(message, format=self.kind, field=where, line=line)
        self.warnings.append(
            f"{self.kind} element {where}" + (f" (line {line})" if line else "") + f": {message}"
        )


def _prepare(data: bytes | str, warnings: list[str]) -> bytes:
    """Bytes to parse: text is encoded as UTF-8; bytes declared (or defaulting to) UTF-8 that are not get
    the bad sequences replaced by U+FFFD, with a warning naming the line."""
    if isinstance(data, str):
        return _XML_DECLARATION.sub("", data, count=1).encode("utf-8")
    reason = binary_reason(data)
    if reason:
        raise TextInputError(f"not an ISO 20022 message: {reason}")
    declared = _XML_ENCODING.match(data)
    encoding = declared.group(1).decode("ascii").lower().replace("_", "-") if declared else "utf-8"
    if encoding not in ("utf-8", "utf8") or data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        fixed = data.decode("utf-8", errors="replace")
        bad = fixed.count("\ufffd") - data.decode("utf-8", errors="ignore").count("\ufffd")
        warnings.append(
            f"ISO 20022: {bad} byte sequence(s) are not valid UTF-8 (the first on line {line}, byte {exc.start}) "
            "and were replaced by U+FFFD; the rest was screened as read"
        )
        return fixed.encode("utf-8")
    return data


def _parse(data: bytes) -> etree._Element:
    declaration = _DECLARATIONS.search(data)
    if declaration:
        raise MessageFormatError(
            "the XML declares a DTD or entities; refused (no external entity is fetched, no entity expanded)",
            format="ISO 20022",
            line=data.count(b"\n", 0, declaration.start()) + 1,
        )
    try:
        return parse_xml_bytes(data, name="<input>", expected_roots=ROOTS)
    except ListFormatError as exc:
        raise MessageFormatError(exc.message, format="ISO 20022", line=exc.line) from None


def _document(root: etree._Element) -> etree._Element:
    if local_name(root) == "Document":
        return root
    for element in root.iter():
        if local_name(element) == "Document":
            return element
    raise MessageFormatError(
        f"no <Document> element in <{local_name(root)}>", format="ISO 20022", line=root.sourceline
    )


def _message(document: etree._Element, warnings: list[str], strict: bool) -> tuple[etree._Element, _Context]:
    body = next((child for child in document if isinstance(child.tag, str)), None)
    if body is None:
        raise MessageFormatError("the <Document> is empty", format="ISO 20022", line=document.sourceline)
    name = local_name(body)
    kind = MESSAGES.get(name)
    tag = document.tag if isinstance(document.tag, str) else ""
    ns = tag[1:].split("}", 1)[0] if tag.startswith("{") else ""
    match = NAMESPACE.match(ns)
    if match:
        declared = f"{match.group(1)}.{match.group(2)}"
        if kind is None:
            raise MessageFormatError(
                f"{declared}.{match.group(3)}.{match.group(4)} <{name}> is not supported "
                "(supported: pacs.008, pain.001, pacs.009)",
                format="ISO 20022",
                line=body.sourceline,
            )
        if declared != kind:
            raise MessageFormatError(
                f"namespace {ns} is {declared} but the message is <{name}> ({kind})",
                format="ISO 20022",
                line=document.sourceline,
            )
    elif kind is None:
        raise MessageFormatError(
            f"<{name}> in namespace {ns or '(none)'} is not an ISO 20022 pacs.008, pain.001 or pacs.009 message",
            format="ISO 20022",
            line=body.sourceline,
        )
    context = _Context(ns, kind, strict, warnings)
    if not match:
        context.issue(
            "Document",
            document.sourceline,
            f"namespace {ns or '(none)'} is not an ISO 20022 one; read as {kind}",
        )
    if body.find(f"{{{ns}}}GrpHdr" if ns else "GrpHdr") is None and body.find("GrpHdr") is not None:
        raise MessageFormatError(
            "the message's elements are not in the namespace of its <Document>",
            format=kind,
            line=body.sourceline,
        )
    return body, context


# -- parties --------------------------------------------------------------------------------------------------


def _address(
    context: _Context, party: etree._Element
) -> tuple[list[str], list[str], str | None, etree._Element | None]:
    """(structured parts, AdrLine lines, country code as written, the Ctry element)."""
    address = context.find(party, "PstlAdr")
    if address is None:
        return [], [], None, None
    parts: list[str] = []
    lines: list[str] = []
    country = country_element = None
    for child in address:  # one pass over the address's elements, in message order
        name = local_name(child)
        value = " ".join(child.text.split()) if child.text else ""
        if name == "Ctry":
            country, country_element = value or None, child
        elif not value:
            continue
        elif name == "AdrLine":
            lines.append(value)
        elif name in _ADDRESS_PARTS:
            parts.append(value)
    return parts, lines, country, country_element


def _checked_country(
    context: _Context, value: str | None, element: etree._Element | None, where: str
) -> str | None:
    if not value:
        return None
    code = country_of(value) if re.fullmatch(r"[A-Z]{2}", value) else None
    if code is None:
        context.issue(
            where,
            element.sourceline if element is not None else None,
            f"country {value!r} is not an ISO 3166 code",
        )
    return code


def _party(context: _Context, element: etree._Element, tag: str, label: str, agent_expected: bool) -> None:
    institution = context.find(element, "FinInstnId")
    if institution is None:
        institution = element.find(context.path("Agt/FinInstnId"))
    if institution is not None:
        _agent(context, institution, tag, label)
        return
    if agent_expected:
        context.issue(label, element.sourceline, "the agent has no <FinInstnId>: not screened")
        return
    holder = context.find(element, "Pty")  # PartyIdentification wrapped as <Pty> in some versions
    if holder is not None and context.find(holder, "Nm") is not None:
        element = holder
    role = PARTY_ROLES.get(tag, tag.lower())
    name = context.text_of(element, "Nm")
    parts, lines, written_country, country_element = _address(context, element)
    place = f"{context.kind} element {label}"
    country = _checked_country(context, written_country, country_element, f"{label}/PstlAdr/Ctry")
    residence = context.text_of(element, "CtryOfRes")
    if country is None and residence:
        country = _checked_country(
            context, residence, context.find(element, "CtryOfRes"), f"{label}/CtryOfRes"
        )
    if country is None and lines:
        country = address_country(lines)
    identifiers: list[tuple[str, str]] = []
    schema = None
    dob = None
    bic = None
    organisation = context.find(element, "Id/OrgId")
    private = context.find(element, "Id/PrvtId")
    id_number = None
    if private is not None:
        schema = "person"
        dob = context.text_of(private, "DtAndPlcOfBirth/BirthDt")
        city = context.text_of(private, "DtAndPlcOfBirth/CityOfBirth")
        if city:
            identifiers.append(("place-of-birth", city))
        found: dict[str, str] = {}
        for other in context.findall(private, "Othr"):
            value = context.text_of(other, "Id")
            scheme = (
                context.text_of(other, "SchmeNm/Cd") or context.text_of(other, "SchmeNm/Prtry") or "other"
            )
            if value:
                identifiers.append((ID_KINDS.get(scheme, scheme.lower()), value))
                found.setdefault(scheme, value)
        id_number = next((found[s] for s in PERSON_ID_SCHEMES if s in found), None)
    elif organisation is not None:
        schema = "organization"
        any_bic = context.text_of(organisation, "AnyBIC") or context.text_of(organisation, "BICOrBEI")
        lei = context.text_of(organisation, "LEI")
        found = {}
        for other in context.findall(organisation, "Othr"):
            value = context.text_of(other, "Id")
            scheme = (
                context.text_of(other, "SchmeNm/Cd") or context.text_of(other, "SchmeNm/Prtry") or "other"
            )
            if value:
                identifiers.append((scheme.lower(), value))
                found.setdefault(scheme, value)
        if any_bic and bic_parts(any_bic):
            bic = bic_parts(any_bic)[0]  # type: ignore[index]
            identifiers.insert(0, ("bic", bic))
            id_number = bic8(bic)
            if country is None:
                country = bic[4:6]
        elif lei:
            identifiers.insert(0, ("lei", lei))
            id_number = lei
        else:
            id_number = next((found[s] for s in ORG_ID_SCHEMES if s in found), None)
    screened_name = name or bic
    if not screened_name:
        context.issue(label, element.sourceline, "the party has no name (Nm) and no BIC: not screened")
        return
    if name and len(name) > NAME_LENGTH:
        context.issue(
            f"{label}/Nm", element.sourceline, f"name of {len(name)} characters, at most {NAME_LENGTH}"
        )
    query = make_query(
        screened_name, schema=schema, dob=dob, country=country, id_number=id_number,
        warnings=context.warnings, place=place,
    )  # fmt: skip
    account = _account(context, element, tag)
    context.parties.append(
        MessageParty(
            role, screened_name, query, label, account=account, address=tuple(parts + lines), bic=bic,
            country=country, identifiers=tuple(identifiers), line=element.sourceline,
        )
    )  # fmt: skip
    if lines and context.scan_addresses:
        context.text.add(f"{label}/PstlAdr/AdrLine", "\n".join(lines))


def _account(context: _Context, element: etree._Element, tag: str) -> str | None:
    parent = element.getparent()
    if parent is None or tag not in ("Dbtr", "Cdtr", "DbtrAgt", "CdtrAgt"):
        return None
    account = context.find(parent, f"{tag}Acct/Id")
    if account is None:
        return None
    return context.text_of(account, "IBAN") or context.text_of(account, "Othr/Id")


def _agent(context: _Context, institution: etree._Element, tag: str, label: str) -> None:
    role = AGENT_ROLES.get(tag, PARTY_ROLES.get(tag, tag.lower()))
    name = context.text_of(institution, "Nm")
    written_bic = context.text_of(institution, "BICFI") or context.text_of(institution, "BIC")
    bic = None
    if written_bic:
        parts = bic_parts(written_bic)
        if parts is None:
            context.issue(
                f"{label}/FinInstnId/BICFI", institution.sourceline, f"{written_bic!r} is not a BIC"
            )
        else:
            bic = parts[0]
    lei = context.text_of(institution, "LEI")
    address_parts, lines, written_country, country_element = _address(context, institution)
    country = _checked_country(context, written_country, country_element, f"{label}/PstlAdr/Ctry")
    if country is None and bic:
        country = bic[4:6]
    screened_name = name or bic
    if not screened_name:
        return  # a clearing-system member id only: nothing to screen by name
    identifiers: list[tuple[str, str]] = []
    if bic:
        identifiers.append(("bic", bic))
    if lei:
        identifiers.append(("lei", lei))
    member = context.text_of(institution, "ClrSysMmbId/MmbId")
    if member:
        identifiers.append(("clearing-member", member))
    query = make_query(
        screened_name, schema="organization", country=country, id_number=bic8(bic) if bic else lei,
        warnings=context.warnings, place=f"{context.kind} element {label}",
    )  # fmt: skip
    holder = institution.getparent()
    account = _account(context, holder, tag) if holder is not None else None
    context.parties.append(
        MessageParty(
            role, screened_name, query, label, account=account, address=tuple(address_parts + lines), bic=bic,
            country=country, identifiers=tuple(identifiers), line=institution.sourceline,
        )
    )  # fmt: skip
    if lines and context.scan_addresses:
        context.text.add(f"{label}/PstlAdr/AdrLine", "\n".join(lines))


# -- transactions -------------------------------------------------------------------------------------------


def _free_text(context: _Context, tx: etree._Element, prefix: str) -> None:
    for holder in ("InstrForCdtrAgt", "InstrForNxtAgt"):
        for number, element in enumerate(context.findall(tx, holder), start=1):
            info = context.text_of(element, "InstrInf")
            if info:
                context.text.add(f"{prefix}/{holder}[{number}]/InstrInf", info)
    for number, remittance in enumerate(context.findall(tx, "RmtInf"), start=1):
        here = f"{prefix}/RmtInf" + (f"[{number}]" if number > 1 else "")
        lines = [e.text.strip() for e in context.findall(remittance, "Ustrd") if e.text and e.text.strip()]
        if lines:
            context.text.add(f"{here}/Ustrd", join_wrapped(lines, USTRD_WIDTH, "\n"))
        for s, structured in enumerate(context.findall(remittance, "Strd"), start=1):
            extra = [
                e.text.strip()
                for e in context.findall(structured, "AddtlRmtInf")
                if e.text and e.text.strip()
            ]
            if extra:
                context.text.add(f"{here}/Strd[{s}]/AddtlRmtInf", "\n".join(extra))
            for tag in ("Invcr", "Invcee"):
                element = context.find(structured, tag)
                if element is not None:
                    _party(context, element, tag, f"{here}/Strd[{s}]/{tag}", False)
    for number, report in enumerate(context.findall(tx, "RgltryRptg"), start=1):
        details = [
            " ".join(e.text.split()) for e in report.iter(context.path("Inf")) if e.text and e.text.strip()
        ]
        if details:
            context.text.add(f"{prefix}/RgltryRptg[{number}]", "\n".join(details))


def _transaction(context: _Context, tx: etree._Element, prefix: str, mandatory: tuple[str, ...]) -> None:
    present: set[str] = set()
    underlying = None
    for child in tx:  # one pass, in message order
        tag = local_name(child)
        present.add(tag)
        if tag in _TX_PARTIES:
            _party(context, child, tag, f"{prefix}/{tag}", tag in AGENT_ROLES or context.kind == "pacs.009")
        elif tag == "UndrlygCstmrCdtTrf":
            underlying = child
    for name in mandatory:
        if name not in present:
            context.issue(prefix, tx.sourceline, f"mandatory element <{name}> is missing")
    _free_text(context, tx, prefix)
    if underlying is not None:  # pacs.009 COV: the customer transfer it covers
        here = f"{prefix}/UndrlygCstmrCdtTrf"
        for child in underlying:
            tag = local_name(child)
            if tag in _TX_PARTIES:
                _party(context, child, tag, f"{here}/{tag}", tag in AGENT_ROLES)
        _free_text(context, underlying, here)


def _count(context: _Context, header: etree._Element | None, counted: int, label: str) -> None:
    if header is None:
        return
    declared = context.text_of(header, "NbOfTxs")
    if declared is not None and declared.isdigit() and int(declared) != counted:
        element = context.find(header, "NbOfTxs")
        context.issue(
            label, element.sourceline if element is not None else None,
            f"NbOfTxs says {declared} but the message has {counted} transaction(s)",
        )  # fmt: skip


def extract_iso20022(
    data: bytes | str, *, encoding: str | None = None, strict: bool = False, scan_addresses: bool = False
) -> Extracted:
    """The handler of format "iso20022": parties to screen, free text with its elements, warnings.
    (`encoding` is not used: XML says its own encoding.) `strict`: raise on the first rule break instead of
    warning; `scan_addresses`: scan unstructured AdrLine text for mentions too."""
    warnings: list[str] = []
    if encoding:
        warnings.append("--encoding is ignored for ISO 20022: the XML declaration gives the encoding")
    prepared = _prepare(data, warnings)
    document = _document(_parse(prepared))
    body, context = _message(document, warnings, strict)
    context.scan_addresses = scan_addresses
    header = context.find(body, "GrpHdr")
    if header is None:
        context.issue("GrpHdr", body.sourceline, "mandatory element <GrpHdr> (group header) is missing")
    else:
        for name in MANDATORY_GROUP[context.kind]:
            if context.find(header, name) is None:
                context.issue("GrpHdr", header.sourceline, f"mandatory element <{name}> is missing")
        for tag in ("InstgAgt", "InstdAgt", "InitgPty"):
            element = context.find(header, tag)
            if element is not None:
                _party(context, element, tag, f"GrpHdr/{tag}", tag in AGENT_ROLES)
    if context.kind == "pain.001":
        payments = context.findall(body, "PmtInf")
        if not payments:
            context.issue("PmtInf", body.sourceline, "no <PmtInf> (payment information): nothing to pay")
        counted = 0
        for p, payment in enumerate(payments, start=1):
            prefix = f"PmtInf[{p}]"
            for name in MANDATORY_PAYMENT:
                if context.find(payment, name) is None:
                    context.issue(prefix, payment.sourceline, f"mandatory element <{name}> is missing")
            for tag in ("UltmtDbtr", "Dbtr", "DbtrAgt"):
                element = context.find(payment, tag)
                if element is not None:
                    _party(context, element, tag, f"{prefix}/{tag}", tag in AGENT_ROLES)
            transactions = context.findall(payment, "CdtTrfTxInf")
            if not transactions:
                context.issue(prefix, payment.sourceline, "no <CdtTrfTxInf> (credit transfer transaction)")
            counted += len(transactions)
            for t, tx in enumerate(transactions, start=1):
                _transaction(context, tx, f"{prefix}/CdtTrfTxInf[{t}]", MANDATORY_TX["pain.001"])
        _count(context, header, counted, "GrpHdr/NbOfTxs")
    else:
        transactions = context.findall(body, "CdtTrfTxInf")
        if not transactions:
            context.issue("CdtTrfTxInf", body.sourceline, "no <CdtTrfTxInf> (credit transfer transaction)")
        for t, tx in enumerate(transactions, start=1):
            _transaction(context, tx, f"CdtTrfTxInf[{t}]", MANDATORY_TX[context.kind])
        _count(context, header, len(transactions), "GrpHdr/NbOfTxs")
    parties = _deduplicated(context.parties)
    text = context.text.text()
    if not parties and not text.strip():
        raise MessageFormatError(
            "no party and no free text to screen", format=context.kind, line=body.sourceline
        )
    return Extracted(text, warnings, parties, list(context.text.fields))


def _deduplicated(parties: list[MessageParty]) -> list[MessageParty]:
    """A party repeated in every transaction (the same debtor agent in a bulk message) is screened once; its
    `field` says how many other places it was in."""
    seen: dict[tuple[object, ...], int] = {}
    repeats: dict[int, int] = {}
    out: list[MessageParty] = []
    for party in parties:
        key = (party.role, party.query, party.name, party.account)
        if key in seen:
            repeats[seen[key]] = repeats.get(seen[key], 0) + 1
            continue
        seen[key] = len(out)
        out.append(party)
    if not repeats:
        return out
    from dataclasses import replace

    for index, count in repeats.items():
        out[index] = replace(out[index], field=f"{out[index].field} (and {count} more)")
    return out


_DETECT = re.compile(
    rb"urn:iso:std:iso:20022:tech:xsd:(?:pacs|pain)\.|<(?:\w+:)?(?:FIToFICstmrCdtTrf|CstmrCdtTrfInitn|FICdtTrf)\b"
)


def detect_iso20022(head: bytes) -> bool:
    """XML whose first 64 KiB name an ISO 20022 pacs/pain namespace or message element."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return start == b"<" and bool(_DETECT.search(head))


register(
    FORMAT,
    extract_iso20022,
    detect=detect_iso20022,
    description="ISO 20022 pacs.008 / pain.001 / pacs.009: parties and agents as queries; RmtInf/Ustrd as text",
    profile="payments",
)
