"""UN Security Council Consolidated List, XML (format "un-xml", default source "un").

Published at https://scsanctions.un.org/resources/xml/en/consolidated.xml. Root `CONSOLIDATED_LIST` with the
publication time in `@dateGenerated`, then `INDIVIDUALS/INDIVIDUAL*` and `ENTITIES/ENTITY*`; no namespace.
Each record carries the permanent UN reference (`REFERENCE_NUMBER`, e.g. QDi.263), up to four name parts, the
regime (`UN_LIST_TYPE`), listing and amendment dates, aliases, addresses and, for individuals, dates and
places of birth, nationalities and documents.

The file is hand-edited and shows it (DOMAIN.md section 1.1): padded references and names, names wrapped
over lines, several names packed into one `ALIAS_NAME` ("Arabic (Latin; Latin)", "a; b; c",
"name (original script: Cyrillic)"), two alias-quality vocabularies (Good/Low for individuals,
a.k.a./f.k.a. for entities), free text in document and date fields. This module untangles what it safely
can and keeps the rest as notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from lxml import etree

from ctscreen.errors import ListFormatError
from ctscreen.model import (
    Address,
    DateKind,
    Entity,
    Identifier,
    IdentifierKind,
    Listing,
    Name,
    NameKind,
    PartialDate,
    Place,
    Schema,
)
from ctscreen.names import detect_script
from ctscreen.sources.base import ParsedList, clean, is_cnic, looks_like_html
from ctscreen.sources.safexml import parse_xml

FORMAT = "un-xml"
SOURCE = "un"
ROOT = "CONSOLIDATED_LIST"

_ROOT_TAG = re.compile(rb"<CONSOLIDATED_LIST[\s>/]")
_PLACEHOLDERS = frozenset({"na", "n/a"})
_NAME_FIELDS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
_RECORDS = {"INDIVIDUALS": ("INDIVIDUAL", Schema.PERSON), "ENTITIES": ("ENTITY", Schema.ORGANIZATION)}

# Individuals use Good/Low, entities a.k.a./f.k.a. for the same element; empty means an ordinary alias.
_QUALITY = {
    "": NameKind.ALIAS,
    "good": NameKind.ALIAS,
    "a.k.a.": NameKind.ALIAS,
    "low": NameKind.WEAK,
    "f.k.a.": NameKind.FORMER,
}
# An original-script piece of a weak or former alias becomes kind original-script; the note keeps the quality.
_QUALITY_NOTE = {NameKind.WEAK: "low-quality alias", NameKind.FORMER: "formerly known as"}

_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_YEAR = re.compile(r"\d{4}")
_YEAR_IN_TEXT = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    )
}
_MONTH_YEAR = re.compile(r"([A-Za-z]{3})[a-z]*\.?(?:\s+(\d{4}))?")

# Alias pollution: "Safia Farkash Mohammed Al-Hadad, born 1 Jan. 1953 (Oman passport ...)".
_BORN = re.compile(r",?\s+born\b", re.IGNORECASE)
# Enumerations run into a packed alias: "Mohammed Sabet; Mohammad Sabet b) M. Javad Kareemi Sabet".
_ENUMERATION = re.compile(r"(?:^|\s)[a-h]\)\s+")
# Names given inside an alias NOTE: "original script: Абу Банат", "In Arabic: رياض ...".
_NOTE_SCRIPT_NAME = re.compile(r"(?:original script|in arabic(?: script)?)\s*:\s*([^;]+)", re.IGNORECASE)
_UN_REF = re.compile(r"[A-Z]{2}[IE]\.\d{3}", re.IGNORECASE)
# Parenthesised remarks that describe an alias rather than name it.
_ANNOTATIONS = frozenset({"combat name", "birth name", "original script"})
_SUFFIX_NOTES = ((" - sub-unit name", "sub-unit name"),)

_PASSPORT_WORDS = ("passport", "passeport", "pasaporte", "pasaport", "паспорт")
_TAX_WORDS = ("fiscal code", "tax ")
_OTHER_ID_WORDS = (
    "birth certificate",
    "driver",
    "voter",
    "student",
    "ration card",
    "residential card",
    "military",
    "ex-serviceman",
    "other id",
)
_ID_WORDS = ("identif", "identity", "national")


@dataclass
class _Context:
    path: Path
    warnings: list[str] = field(default_factory=list)

    def warn(self, record: str, message: str) -> None:
        self.warnings.append(f"{self.path.name}: record {record}: {message}")


# --- detection -----------------------------------------------------------------------------------------


def sniff(path: Path, head: bytes) -> str | None:
    """A UN consolidated list names its root element near the top; nothing else uses that name."""
    if looks_like_html(head):
        return None
    return FORMAT if _ROOT_TAG.search(head[:8192]) else None


# --- parsing -------------------------------------------------------------------------------------------


def parse(paths: list[Path], *, format: str = FORMAT, source: str | None = None) -> ParsedList:
    if len(paths) != 1:
        raise ListFormatError(
            f"the UN list is one XML file, got {len(paths)} files", file=paths[0] if paths else None
        )
    path = paths[0]
    try:
        root = parse_xml(path, expected_roots=(ROOT,))
    except OSError as exc:
        raise ListFormatError(f"cannot read file: {exc.strerror}", file=path) from None
    except ListFormatError as exc:
        if exc.line is not None:
            raise
        # Empty file, HTML page: the whole file is wrong, so point at its start.
        raise ListFormatError(exc.message, file=path, line=1) from None
    ctx = _Context(path)
    published = clean(root.get("dateGenerated"))
    if published is None:
        ctx.warnings.append(f"{path.name}: root element has no dateGenerated attribute")
    source_name = source or SOURCE
    entities: list[Entity] = []
    seen_container = False
    seen_refs: set[str] = set()
    for container in root:
        if not isinstance(container.tag, str):
            continue
        expected = _RECORDS.get(container.tag)
        if expected is None:
            ctx.warnings.append(
                f"{path.name}:{container.sourceline}: unexpected element <{container.tag}> ignored"
            )
            continue
        seen_container = True
        record_tag, schema = expected
        for element in container:
            if not isinstance(element.tag, str):
                continue
            if element.tag != record_tag:
                ctx.warnings.append(
                    f"{path.name}:{element.sourceline}: unexpected <{element.tag}> in <{container.tag}> ignored"
                )
                continue
            entity = _parse_record(element, schema, source_name, ctx)
            if entity.ref in seen_refs:
                ctx.warn(entity.ref, f"reference used twice (again at line {element.sourceline})")
            seen_refs.add(entity.ref)
            entities.append(entity)
    if not seen_container:
        raise ListFormatError(
            f"<{ROOT}> has neither <INDIVIDUALS> nor <ENTITIES>", file=path, line=root.sourceline
        )
    return ParsedList(
        source=source_name,
        format=format,
        entities=entities,
        files=[path],
        published=published,
        warnings=ctx.warnings,
    )


def _parse_record(element: etree._Element, schema: Schema, source: str, ctx: _Context) -> Entity:
    kids = _group(element)
    dataid = _first(kids, "DATAID")
    reference = _first(kids, "REFERENCE_NUMBER")
    if reference is None:
        raise ListFormatError(
            f"<{element.tag}> has no REFERENCE_NUMBER",
            file=ctx.path,
            line=element.sourceline,
            record=f"DATAID {dataid}" if dataid else None,
            field="REFERENCE_NUMBER",
        )
    primary = _primary_name(kids, schema)
    if primary is None:
        raise ListFormatError(
            "record has no name (FIRST_NAME to FOURTH_NAME are all empty)",
            file=ctx.path,
            line=element.sourceline,
            record=reference,
            field="FIRST_NAME",
        )
    names = _record_names(kids, primary, reference, ctx)

    extra: list[tuple[str, str]] = []
    if dataid:
        extra.append(("dataid", dataid))
    extra.extend(("submitted_by", value) for value in _values_or_text(kids, "SUBMITTED_BY"))

    identifiers: list[Identifier] = []
    for document in kids.get("INDIVIDUAL_DOCUMENT", []):
        parsed = _document(document)
        if isinstance(parsed, Identifier):
            identifiers.append(parsed)
        elif parsed:
            extra.append(("document", parsed))  # a document described in words, with no NUMBER

    gender = _first(kids, "GENDER")
    return Entity(
        schema=schema,
        names=tuple(dict.fromkeys(names)),
        listing=_listing(kids, source, reference, ctx),
        gender=gender.lower() if gender else None,
        birth_dates=tuple(
            d for d in (_birth_date(e, reference, ctx) for e in kids.get("INDIVIDUAL_DATE_OF_BIRTH", [])) if d
        ),
        birth_places=tuple(p for p in map(_birth_place, kids.get("INDIVIDUAL_PLACE_OF_BIRTH", [])) if p),
        nationalities=tuple(v for v in _values(kids, "NATIONALITY") if v.lower() not in _PLACEHOLDERS),
        identifiers=tuple(identifiers),
        addresses=tuple(
            a for a in map(_address, kids.get("INDIVIDUAL_ADDRESS", []) + kids.get("ENTITY_ADDRESS", [])) if a
        ),
        titles=tuple(_values(kids, "TITLE")),
        positions=tuple(_values(kids, "DESIGNATION")),
        extra=tuple(extra),
    )


def _record_names(
    kids: dict[str, list[etree._Element]], primary: Name, reference: str, ctx: _Context
) -> list[Name]:
    names = [primary]
    if ";" in primary.full:
        # "COMPAGNIE AERIENNE DES GRANDS LACS (CAGL) ; GREAT LAKES BUSINESS COMPANY (GLBC)": two names in one.
        names.extend(
            Name(part, NameKind.ALIAS, note="part of the listed name")
            for part in _split_top_level(primary.full)
        )
    original = _first(kids, "NAME_ORIGINAL_SCRIPT")
    if original:
        names.append(Name(original, NameKind.ORIGINAL_SCRIPT, script=detect_script(original)))
    for alias in kids.get("INDIVIDUAL_ALIAS", []) + kids.get("ENTITY_ALIAS", []):
        names.extend(_alias_names(alias, reference, ctx))
    return names


def _listing(kids: dict[str, list[etree._Element]], source: str, reference: str, ctx: _Context) -> Listing:
    listed_on = _date_field(_first(kids, "LISTED_ON"), "LISTED_ON", reference, ctx)
    amended = [_date_field(v, "LAST_DAY_UPDATED", reference, ctx) for v in _values(kids, "LAST_DAY_UPDATED")]
    programme = _first(kids, "UN_LIST_TYPE")
    return Listing(
        source=source,
        reference=reference,
        programmes=(programme,) if programme else (),
        listed_on=listed_on,
        amended_on=tuple(d for d in amended if d),
        remarks=_first(kids, "COMMENTS1"),
        un_reference=reference,
    )


# --- element helpers -----------------------------------------------------------------------------------


def _group(element: etree._Element) -> dict[str, list[etree._Element]]:
    out: dict[str, list[etree._Element]] = {}
    for child in element:
        if isinstance(child.tag, str):
            out.setdefault(child.tag, []).append(child)
    return out


def _first(kids: dict[str, list[etree._Element]], tag: str) -> str | None:
    """Cleaned text of the first non-empty child `tag`."""
    for child in kids.get(tag, ()):
        value = clean(child.text)
        if value:
            return value
    return None


def _values(kids: dict[str, list[etree._Element]], tag: str) -> list[str]:
    """Cleaned, non-empty `tag/VALUE` texts, in order."""
    out: list[str] = []
    for child in kids.get(tag, ()):
        for value in child:
            text = clean(value.text) if value.tag == "VALUE" else None
            if text:
                out.append(text)
    return out


def _values_or_text(kids: dict[str, list[etree._Element]], tag: str) -> list[str]:
    """`tag/VALUE` texts, or the element's own text where the list writes it flat."""
    values = _values(kids, tag)
    if values:
        return values
    text = _first(kids, tag)
    return [text] if text else []


def _join(*parts: str | None, sep: str = "; ") -> str | None:
    kept = [p for p in parts if p]
    return sep.join(kept) if kept else None


# --- names ---------------------------------------------------------------------------------------------


def _primary_name(kids: dict[str, list[etree._Element]], schema: Schema) -> Name | None:
    # One record pads its FOURTH_NAME with "na" (not available); Korean "NA" is upper-case like all parts.
    parts = [None if (p := _first(kids, tag)) in _PLACEHOLDERS else p for tag in _NAME_FIELDS]
    present = [p for p in parts if p]
    if not present:
        return None
    full = " ".join(present)
    if schema is not Schema.PERSON:
        return Name(full)
    # FIRST_NAME is not always a given name (Korean order, titles), but it is what the list says.
    family = present[-1] if len(present) > 1 else None
    return Name(full, given=parts[0], family=family)


def _alias_names(element: etree._Element, reference: str, ctx: _Context) -> list[Name]:
    kids = _group(element)
    text = _first(kids, "ALIAS_NAME")
    if not text:
        return []
    quality = _first(kids, "QUALITY") or ""
    kind = _QUALITY.get(quality.lower())
    if kind is None:
        ctx.warn(reference, f"unknown alias QUALITY {quality!r}, read as an alias")
        kind = NameKind.ALIAS
    raw_note = _first(kids, "NOTE")
    note = _join(raw_note, _alias_birth(kids))
    names = [_make_name(full, kind, _join(piece_note, note)) for full, piece_note in split_alias(text)]
    alias_is_latin = all(detect_script(n.full) in (None, "Latn") for n in names)
    names.extend(
        _make_name(full, kind, note) for full in names_in_note(raw_note, alias_is_latin=alias_is_latin)
    )
    return names


def _alias_birth(kids: dict[str, list[etree._Element]]) -> str | None:
    """Alias-specific date and place of birth, as note text: 'born 1969-02-05 in Tripoli, Libya'."""
    when = _first(kids, "DATE_OF_BIRTH")
    where = _join(_first(kids, "CITY_OF_BIRTH"), _first(kids, "COUNTRY_OF_BIRTH"), sep=", ")
    if not when and not where:
        return None
    return _join("born", when, f"in {where}" if where else None, sep=" ")


def _make_name(full: str, kind: NameKind, note: str | None) -> Name:
    script = detect_script(full)
    if script not in (None, "Latn"):
        return Name(full, NameKind.ORIGINAL_SCRIPT, script=script, note=_join(_QUALITY_NOTE.get(kind), note))
    return Name(full, kind, note=note)


def split_alias(text: str) -> list[tuple[str, str | None]]:
    """Split one ALIAS_NAME into (name, note) pieces.

    Handles `a; b; c`, `Arabic (Latin; Latin)`, `Latin (Arabic)`, `name (original script: Cyrillic)`,
    `Latin Arabic` run together, `..., born 1953 (...)` and descriptive remarks such as `(birth name)`.
    Parentheses that are part of the name -- acronyms like `(HTS)`, a leading `(Sheikh)` -- stay.
    """
    text = clean(text) or ""
    note: str | None = None
    born = _BORN.search(text)
    if born and born.start() > 0:
        note = text[born.start() :].strip(" ,")
        text = text[: born.start()]
    text = _ENUMERATION.sub("; ", text)
    pieces: list[tuple[str, str | None]] = []
    for part in _split_top_level(text):
        pieces.extend((name, _join(piece_note, note)) for name, piece_note in _split_piece(part))
    return [(name, piece_note) for name, piece_note in pieces if name]


def _split_piece(piece: str) -> list[tuple[str, str | None]]:
    # A stray bracket left by an editor (QDi.327: ") Abdelrahman ..."), separators at either end.
    piece = piece.strip(" ,;").lstrip(") ").rstrip("( ")
    for suffix, suffix_note in _SUFFIX_NOTES:
        if piece.lower().endswith(suffix):
            return [(name, _join(note, suffix_note)) for name, note in _split_piece(piece[: -len(suffix)])]
    head, inner = _trailing_group(piece)
    if inner is None or not head:
        return _split_mixed_script(piece)
    if inner.lower().startswith("original script:"):
        return _split_piece(head) + _split_piece(inner.split(":", 1)[1])
    if inner.lower() in _ANNOTATIONS:
        return [(head, None if inner.lower() == "original script" else inner)]
    if ";" in inner or detect_script(head) != detect_script(inner):
        out = _split_piece(head)
        for part in _split_top_level(inner):
            out.extend(_split_piece(part))
        return out
    if inner[:1].islower() or _UN_REF.fullmatch(inner):
        return [(head, inner)]
    return [(piece, None)]


def _split_top_level(text: str) -> list[str]:
    """Split on `;` outside parentheses; clean the parts and drop empty ones."""
    parts: list[str] = []
    depth = 0
    start = 0
    for i, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        elif char == ";" and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p for p in (clean(part.strip(" ,;")) for part in parts) if p]


def _trailing_group(text: str) -> tuple[str, str | None]:
    """('head', 'inner') when `text` ends with a balanced `( ... )` group, else (text, None)."""
    if not text.endswith(")"):
        return text, None
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        if text[i] == ")":
            depth += 1
        elif text[i] == "(":
            depth -= 1
            if depth == 0:
                return text[:i].strip(" ,;"), text[i + 1 : -1].strip()
    return text, None


def _paren_groups(text: str) -> list[str]:
    """Inner texts of the top-level balanced parenthesised groups in `text`."""
    groups: list[str] = []
    depth = 0
    start = 0
    for i, char in enumerate(text):
        if char == "(":
            if depth == 0:
                start = i + 1
            depth += 1
        elif char == ")" and depth > 0:
            depth -= 1
            if depth == 0:
                groups.append(text[start:i])
    return groups


def _split_mixed_script(piece: str) -> list[tuple[str, str | None]]:
    """'Agha Jan Alizai اغا جان عالیزی' → the Latin and the Arabic run, when the text is exactly two runs."""
    runs: list[tuple[str | None, list[str]]] = []
    for token in piece.split():
        script = detect_script(token)
        if runs and (script is None or script == runs[-1][0]):
            runs[-1][1].append(token)
        else:
            runs.append((script, [token]))
    if len(runs) == 2 and None not in (runs[0][0], runs[1][0]):
        return [(" ".join(tokens), None) for _, tokens in runs]
    return [(piece, None)]


def names_in_note(note: str | None, *, alias_is_latin: bool) -> list[str]:
    """Names an alias NOTE spells out: original-script forms ('original script: Абу Банат', 'In Arabic: ...')
    and `;`-lists of transliterations ('(Abu Du’a; Abu Duaa’) prominently known ...')."""
    if not note:
        return []
    found: list[str] = []
    for match in _NOTE_SCRIPT_NAME.finditer(note):
        candidate = (clean(match.group(1)) or "").strip(" .,")
        if detect_script(candidate) not in (None, "Latn"):
            found.append(candidate)
    groups = [g for g in _paren_groups(note) if ";" in g]
    if not groups and not alias_is_latin and ";" in note:
        groups = [note]  # a non-Latin alias whose note is just its transliterations
    for group in groups:
        if any(char.isdigit() for char in group):
            continue  # passport numbers, dates: not a list of names
        for part in _split_top_level(group):
            if detect_script(part) == "Latn" and len(part.split()) <= 8:
                found.append(part)
    return found


# --- dates ---------------------------------------------------------------------------------------------


def _iso_date(value: str | None) -> str | None:
    """'2008-12-10' (also '2015-07-01-04:00' with a zone offset) → '2008-12-10'; anything else → None."""
    if not value:
        return None
    match = _ISO_DATE.match(value)
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
    except ValueError:
        return None


def _date_field(value: str | None, name: str, reference: str, ctx: _Context) -> str | None:
    parsed = _iso_date(value)
    if value and parsed is None:
        ctx.warn(reference, f"{name} {value!r} is not a date, ignored")
    return parsed


def _birth_date(element: etree._Element, reference: str, ctx: _Context) -> PartialDate | None:
    kids = _group(element)
    type_of_date = (_first(kids, "TYPE_OF_DATE") or "").upper()
    note = _first(kids, "NOTE")
    from_year, to_year = _first(kids, "FROM_YEAR"), _first(kids, "TO_YEAR")
    if from_year or to_year:
        if not all(y is None or _YEAR.fullmatch(y) for y in (from_year, to_year)):
            ctx.warn(
                reference, f"date-of-birth range {from_year!r}-{to_year!r} is not two years, kept as note"
            )
            return PartialDate(note=_join(f"{from_year}-{to_year}", note))
        return PartialDate(
            DateKind.RANGE,
            from_year=int(from_year) if from_year else None,
            to_year=int(to_year) if to_year else None,
            note=note,
        )
    kind = DateKind.APPROXIMATE if type_of_date == "APPROXIMATELY" else DateKind.EXACT
    raw_date, year = _first(kids, "DATE"), _first(kids, "YEAR")
    value = _iso_date(raw_date)
    if raw_date and value is None:
        ctx.warn(reference, f"date of birth {raw_date!r} is not a date, kept as note")
        note = _join(raw_date, note)
    if value is None and year:
        if _YEAR.fullmatch(year):
            value = _with_month(year, note)
        else:
            ctx.warn(reference, f"year of birth {year!r} is not a year, kept as note")
            note = _join(year, note)
    if value is None and note:
        value, kind = _date_from_note(note, kind)
    if value is None and note is None:
        return None
    return PartialDate(kind, value=value, note=note)


def _month(text: str) -> int | None:
    match = _MONTH_YEAR.fullmatch(text.strip())
    return _MONTHS.get(match[1].lower()) if match else None


def _with_month(year: str, note: str | None) -> str:
    """YEAR 1958 with NOTE 'Sep.' → '1958-09'."""
    month = _month(note) if note else None
    return f"{year}-{month:02d}" if month else year


def _date_from_note(note: str, kind: DateKind) -> tuple[str | None, DateKind]:
    """A date of birth given only as a note: 'Nov. 1973' → 1973-11; 'Between Aug. and Sep. 1977' → ~1977."""
    match = _MONTH_YEAR.fullmatch(note.strip())
    if match and match[2] and match[1].lower() in _MONTHS:
        return f"{match[2]}-{_MONTHS[match[1].lower()]:02d}", kind
    years = _YEAR_IN_TEXT.findall(note)
    if len(years) == 1:
        return years[0], DateKind.APPROXIMATE
    return None, kind


# --- places, addresses, documents ----------------------------------------------------------------------


def _birth_place(element: etree._Element) -> Place | None:
    kids = _group(element)
    street, city = _first(kids, "STREET"), _first(kids, "CITY")
    region, country = _first(kids, "STATE_PROVINCE"), _first(kids, "COUNTRY")
    text = _join(street, city, region, country, _first(kids, "NOTE"), sep=", ")
    if text is None:
        return None
    return Place(text, city=city, region=region, country=country)


def _address(element: etree._Element) -> Address | None:
    kids = _group(element)
    street, city = _first(kids, "STREET"), _first(kids, "CITY")
    region, postal, country = (
        _first(kids, "STATE_PROVINCE"),
        _first(kids, "ZIP_CODE"),
        _first(kids, "COUNTRY"),
    )
    note = _first(kids, "NOTE")
    text = _join(street, city, region, postal, country, sep=", ")
    if text is None:
        if note is None:
            return None  # <INDIVIDUAL_ADDRESS><COUNTRY/></INDIVIDUAL_ADDRESS>: nothing listed
        return Address(note)  # the whole address is written as a note
    return Address(
        text, street=street, city=city, region=region, postal_code=postal, country=country, note=note
    )


def _document(element: etree._Element) -> Identifier | str | None:
    """An Identifier; or, for a document described only in words (no NUMBER), its text for `extra`."""
    kids = _group(element)
    type1, type2 = _first(kids, "TYPE_OF_DOCUMENT"), _first(kids, "TYPE_OF_DOCUMENT2")
    if type1 and type2 and type1.lower() == type2.lower():
        type2 = None
    type_text = _join(type1, type2, sep=" / ")
    issuing, country_of_issue = _first(kids, "ISSUING_COUNTRY"), _first(kids, "COUNTRY_OF_ISSUE")
    country = issuing or country_of_issue
    issued = _first(kids, "DATE_OF_ISSUE")
    note = _join(
        f"issued {issued}" if issued else None,
        f"issued in {city}" if (city := _first(kids, "CITY_OF_ISSUE")) else None,
        f"country of issue {country_of_issue}"
        if issuing and country_of_issue and issuing != country_of_issue
        else None,
        _first(kids, "NOTE"),
    )
    number = _first(kids, "NUMBER")
    if number is None:
        return _join(type_text, _join(country, note), sep=": ")
    kind = identifier_kind(type_text or "", number, country)
    return Identifier(kind, number, country=country, type_text=type_text, note=note)


def identifier_kind(type_text: str, number: str, country: str | None) -> IdentifierKind:
    """Passport types come in English, French and Spanish; a Pakistani 13-digit national ID is a CNIC."""
    lowered = type_text.lower()
    if any(word in lowered for word in _PASSPORT_WORDS):
        return IdentifierKind.PASSPORT
    if any(word in lowered for word in _TAX_WORDS):
        return IdentifierKind.TAX_ID
    if any(word in lowered for word in _OTHER_ID_WORDS):
        return IdentifierKind.OTHER
    if any(word in lowered for word in _ID_WORDS):
        return IdentifierKind.CNIC if is_cnic(number, country) else IdentifierKind.NATIONAL_ID
    return IdentifierKind.OTHER


__all__ = ["FORMAT", "SOURCE", "detect_script", "identifier_kind", "is_cnic", "parse", "sniff", "split_alias"]
