"""Structured fields out of OFAC's free-text Remarks, shared by the OFAC CSV and XML parsers.

OFAC's legacy sdn.csv / cons_prim.csv carry everything beyond the name in one `Remarks` column: `;`-separated
clauses such as `DOB 05 Jun 1950`, `alt. DOB 1958`, `POB Sargodha, Punjab, Pakistan`, `nationality Pakistan`,
`Passport BE5978421 (Pakistan) issued 14 Nov 2007 expires 12 Nov 2012`, `National ID No. 3520025509842-7
(Pakistan)`, `Vessel Registration Identification IMO 9187629`, `a.k.a. 'HAFIZ SAHIB'` (a *weak* alias: weak
aliases live only here, in single quotes) and `Linked To: LASHKAR E-TAYYIBA`. The whole text ends with a period.
The sdnList XML gives the same facts as elements (`idList/id` with an `idType` written like the remark labels)
and keeps a short remainder in `remarks`. Clauses we do not recognise stay only in the raw remarks string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ctscreen.model import DateKind, Identifier, IdentifierKind, Name, NameKind, PartialDate, Place
from ctscreen.sources.base import clean

IK = IdentifierKind

# Remark labels (as OFAC writes them, also used as XML idType) for identity documents and registrations.
ID_LABELS: dict[str, IdentifierKind] = {
    "passport": IK.PASSPORT,
    "passport booklet": IK.PASSPORT,
    "diplomatic passport": IK.PASSPORT,
    "national id no.": IK.NATIONAL_ID,
    "national id no": IK.NATIONAL_ID,
    "cedula no.": IK.NATIONAL_ID,
    "d.n.i.": IK.NATIONAL_ID,
    "personal id card": IK.NATIONAL_ID,
    "identification number": IK.NATIONAL_ID,
    "kenyan id no.": IK.NATIONAL_ID,
    "turkish identification number": IK.NATIONAL_ID,
    "numero de identidad": IK.NATIONAL_ID,
    "tazkira national id card": IK.NATIONAL_ID,
    "c.u.r.p.": IK.NATIONAL_ID,
    "c.u.r.p. #": IK.NATIONAL_ID,
    "national foreign id number": IK.NATIONAL_ID,
    "citizen's card number": IK.NATIONAL_ID,
    "ssn": IK.NATIONAL_ID,
    "c.u.i.": IK.NATIONAL_ID,
    "tax id no.": IK.TAX_ID,
    "nit #": IK.TAX_ID,
    "ruc #": IK.TAX_ID,
    "r.f.c.": IK.TAX_ID,
    "rfc": IK.TAX_ID,
    "rif #": IK.TAX_ID,
    "v.a.t. number": IK.TAX_ID,
    "c.u.i.t.": IK.TAX_ID,
    "rtn": IK.TAX_ID,
    "us fein": IK.TAX_ID,
    "italian fiscal code": IK.TAX_ID,
    "registration number": IK.REGISTRATION,
    "registration id": IK.REGISTRATION,
    "business registration number": IK.REGISTRATION,
    "business registration document #": IK.REGISTRATION,
    "company number": IK.REGISTRATION,
    "uk company number": IK.REGISTRATION,
    "commercial registry number": IK.REGISTRATION,
    "government gazette number": IK.REGISTRATION,
    "folio mercantil no.": IK.REGISTRATION,
    "matricula mercantil no": IK.REGISTRATION,
    "matricula mercantil no.": IK.REGISTRATION,
    "c.r. no.": IK.REGISTRATION,
    "trade license no.": IK.REGISTRATION,
    "license": IK.REGISTRATION,
    "legal entity number": IK.REGISTRATION,
    "unified social credit code (uscc)": IK.REGISTRATION,
    "united social credit code certificate (usccc)": IK.REGISTRATION,
    "economic register number (cbls)": IK.REGISTRATION,
    "chamber of commerce number": IK.REGISTRATION,
    "public registration number": IK.REGISTRATION,
    "central registration system number": IK.REGISTRATION,
    "enterprise number": IK.REGISTRATION,
    "business number": IK.REGISTRATION,
    "certificate of incorporation number": IK.REGISTRATION,
    "istanbul chamber of comm. no.": IK.REGISTRATION,
    "dubai chamber of commerce membership no.": IK.REGISTRATION,
    "d-u-n-s number": IK.REGISTRATION,
    "le number": IK.REGISTRATION,
    "branch unit number": IK.REGISTRATION,
    "registered charity no.": IK.REGISTRATION,
    "permit number": IK.REGISTRATION,
    "sre permit no.": IK.REGISTRATION,
    "file number": IK.REGISTRATION,
    "aircraft tail number": IK.REGISTRATION,
    "previous aircraft tail number": IK.REGISTRATION,
    "vessel registration identification": IK.IMO,
    "mmsi": IK.OTHER,
    "swift/bic": IK.OTHER,
    "bik (ru)": IK.OTHER,
    "digital currency address": IK.OTHER,
    "aircraft manufacturer's serial number (msn)": IK.OTHER,
    "aircraft construction number (also called l/n or s/n or f/n)": IK.OTHER,
    "aircraft serial identification": IK.OTHER,
    "travel document number": IK.OTHER,
    "driver's license no.": IK.OTHER,
    "residency number": IK.OTHER,
    "birth certificate number": IK.OTHER,
    "credencial electoral": IK.OTHER,
    "electoral registry no.": IK.OTHER,
    "cartilla de servicio militar nacional": IK.OTHER,
    "visanumberid": IK.OTHER,
    "i.f.e.": IK.OTHER,
    "c.u.i.p.": IK.OTHER,
}

# Remark labels / XML idTypes that are facts about the listing, not identifiers: kept in `extra`.
EXTRA_LABELS: dict[str, str] = {
    "website": "website",
    "email address": "email",
    "phone number": "phone",
    "phone": "phone",
    "telephone": "phone",
    "telephone no.": "phone",
    "fax": "fax",
    "fax no.": "fax",
    "organization established date": "organization_established_date",
    "organization type": "organization_type",
    "target type": "target_type",
    "nationality of registration": "nationality_of_registration",
    "secondary sanctions risk": "secondary_sanctions_risk",
    "additional sanctions information": "additional_sanctions_information",
    "transactions prohibited for persons owned or controlled by u.s. financial institutions": (
        "transactions_prohibited"
    ),
    "executive order 13662 directive determination": "eo13662_directive",
    "executive order 13846 information": "eo13846_information",
    "executive order 14014 directive information": "eo14014_directive",
    "executive order 14024 directive information": "eo14024_directive",
    "executive order 14059 information": "eo14059_information",
    "caatsa section 235 information": "caatsa_section_235",
    "ifca determination": "ifca_determination",
    "listing date": "listing_date",
    "effective date": "effective_date",
    "purchase/sales for divestment date": "divestment_date",
    "isin": "isin",
    "issuer name": "issuer_name",
    "equity ticker": "equity_ticker",
    "chinese commercial code": "chinese_commercial_code",
    "aircraft model": "aircraft_model",
    "aircraft manufacture date": "aircraft_manufacture_date",
    "aircraft operator": "aircraft_operator",
    "aircraft mode s transponder code": "aircraft_mode_s_code",
    "former vessel flag": "former_vessel_flag",
    "other vessel flag": "other_vessel_flag",
    "other vessel type": "other_vessel_type",
    "other vessel call sign": "other_vessel_call_sign",
    "vessel year of build": "vessel_year_of_build",
}

# Identifier labels whose values can be letters only.
_CODE_LABELS = frozenset({"swift/bic", "aircraft tail number", "previous aircraft tail number"})
_LABEL_ALTERNATION = "|".join(
    re.escape(label) for label in sorted([*ID_LABELS, *EXTRA_LABELS], key=len, reverse=True)
)
_LABELLED = re.compile(
    rf"^(?:alt\.\s+)?({_LABEL_ALTERNATION})(?=[\s:]|$)[\s:]*(.*)$", re.IGNORECASE | re.DOTALL
)
_SIMPLE = re.compile(
    r"^(?:alt\.\s+)?(DOB|POB|nationality|citizen|Gender|Linked To:)(?=[\s:]|$)[\s:]*(.*)$",
    re.IGNORECASE | re.DOTALL,
)
_AKA = re.compile(r"^([afn])\.k\.a\.,?\s+(.+)$", re.IGNORECASE | re.DOTALL)
# NUMBER (Country) issued DATE expires DATE -- each part after the number optional.
_ID_TAIL = re.compile(
    r"^(?P<number>.+?)(?:\s*\((?P<country>[A-Za-z][A-Za-z ,.'-]*)\))?"
    r"(?P<dates>(?:\s+(?:issued|expires)\s+[0-9A-Za-z ]+?)*)$",
    re.DOTALL,
)
_TRAILING_COUNTRY = re.compile(r"^(.+?)\s*\(([A-Za-z][A-Za-z ,.'-]*)\)$")
_DATE = re.compile(r"^(?:(\d{1,2})\s+)?(?:([A-Za-z]{3,9})\.?\s+)?(\d{4})$")
_YEAR_RANGE = re.compile(r"^(\d{4})\s*-\s*(\d{4})$")
_NUMBER_SHAPE = re.compile(r"^[^\s]+(?: [^\s]+){0,4}$")
_SUBLABEL = re.compile(r"^([A-Za-z]{2,8}):\s*(?=\S*\d)")
_MONTHS = {
    name: index
    for index, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
# A final period after these is part of a name ("... S.A. DE C.V.", "... CO."), not the end of the remarks.
_DOTTED_ABBREVIATION = re.compile(r"^(?:[A-Z]{1,3}\.)+[A-Z]{1,3}$")  # S.A, C.V, D.O.O -- not www.vtb.ru
_ABBREVIATIONS = frozenset({"LTD", "LTDA", "CO", "INC", "CORP", "S", "JR", "SR", "CIA", "NO"})


@dataclass(frozen=True, slots=True)
class Remarks:
    """What could be read out of one entry's remarks; the raw text is kept by the caller."""

    birth_dates: tuple[PartialDate, ...] = ()
    birth_places: tuple[Place, ...] = ()
    nationalities: tuple[str, ...] = ()
    citizenships: tuple[str, ...] = ()
    gender: str | None = None
    identifiers: tuple[Identifier, ...] = ()
    names: tuple[Name, ...] = ()
    linked_to: tuple[str, ...] = ()
    extra: tuple[tuple[str, str], ...] = ()
    unparsed: tuple[str, ...] = ()


def parse_remarks(text: str | None, *, individual: bool = False) -> Remarks:
    """Split `text` on `;` and read each clause it knows; `individual` makes weak a.k.a.s "SURNAME, Given"."""
    text = clean(text)
    if not text:
        return Remarks()
    dates: list[PartialDate] = []
    places: list[Place] = []
    nationalities: list[str] = []
    citizenships: list[str] = []
    gender: str | None = None
    identifiers: list[Identifier] = []
    names: list[Name] = []
    linked: list[str] = []
    extra: list[tuple[str, str]] = []
    unparsed: list[str] = []
    for raw in text.split(";"):
        clause = strip_final_period(raw.strip())
        if clause.startswith("(") and clause.endswith(")") and clause.count("(") == 1:
            clause = clause[1:-1].strip()  # the XML wraps some clauses in parentheses: "(Linked To: HAMAS)"
        if not clause:
            continue
        known = True
        labelled = _LABELLED.match(clause)
        simple = None if labelled else _SIMPLE.match(clause)
        aka = None if labelled or simple else _AKA.match(clause)
        if labelled:
            item = classify_id(labelled.group(1), labelled.group(2), None, from_remarks=True)
            if isinstance(item, Identifier):
                identifiers.append(item)
            elif item is not None:
                extra.append(item)
            else:
                known = False
        elif simple:
            label, value = simple.group(1).lower(), simple.group(2).strip()
            if not value:
                known = False
            elif label == "dob":
                date = parse_date(value)
                known = date is not None
                if date is not None:
                    dates.append(date)
            elif label == "pob":
                places.append(Place(text=value))
            elif label == "nationality":
                nationalities.append(value)
            elif label == "citizen":
                citizenships.append(value)
            elif label == "gender":
                gender = parse_gender(value)
                known = gender is not None
            else:
                linked.append(value)
        elif aka:
            name = _weak_name(aka.group(1).lower(), aka.group(2), individual=individual)
            known = name is not None
            if name is not None:
                names.append(name)
        else:
            known = False
        if not known:
            unparsed.append(clause)
    return Remarks(
        birth_dates=tuple(dates),
        birth_places=tuple(places),
        nationalities=tuple(nationalities),
        citizenships=tuple(citizenships),
        gender=gender,
        identifiers=tuple(identifiers),
        names=tuple(names),
        linked_to=tuple(linked),
        extra=tuple(extra),
        unparsed=tuple(unparsed),
    )


def classify_id(
    label: str, value: str, country: str | None, *, note: str | None = None, from_remarks: bool = False
) -> Identifier | tuple[str, str] | None:
    """An identifier, or an `extra` (key, value) pair, for one labelled fact (remark clause or XML `id`).

    From remarks the country and issue/expiry dates are still inside `value` and are split off here; from
    the XML they come as separate elements. ("gender", "male") is returned for the XML's misused Gender id.
    Returns None where a remark clause does not have the shape of a number (free text that starts like a label).
    """
    written = _tidy(label) or ""
    label = written.rstrip(" :-")
    value = strip_final_period((_tidy(value) or "").lstrip(":- ").strip())
    if not value:
        return None
    key, qualifier = label.lower(), ""
    if key not in ID_LABELS and key not in EXTRA_LABELS and key != "gender":
        # XML idTypes carry qualifiers the remarks put after the label: "Listing Date (EO 14024 Directive 2):".
        prefix = _LABELLED.match(label)
        if prefix:
            key, qualifier = prefix.group(1).lower(), prefix.group(2).strip()
            if qualifier and written.endswith(":"):
                qualifier += ":"
    if key == "gender":
        gender = parse_gender(value)
        return ("gender", gender) if gender else None
    if key in EXTRA_LABELS:
        return (EXTRA_LABELS[key], _tidy(f"{qualifier} {value}") or value)
    kind = ID_LABELS.get(key)
    if kind is None:
        if from_remarks:
            return None
        # An idType OFAC added after this table: keep numbers as identifiers, text as extra.
        if any(ch.isdigit() for ch in value):
            return Identifier(kind=IK.OTHER, number=value, country=_tidy(country), type_text=label)
        return (_slug(label), value)
    type_text = label
    if key == "digital currency address":
        # "Digital Currency Address - XBT 12QtD5B...": the currency belongs to the type, as in the XML idType.
        if not qualifier:
            currency, _, value = value.partition(" ")
            qualifier = f"- {currency}"
            type_text = f"{label} {qualifier}"
        value = value.strip()
        if not value or (from_remarks and " " in value):
            return None
        return Identifier(kind=kind, number=value, type_text=type_text)
    number = value
    if not from_remarks and not _tidy(country):
        # Some XML idNumbers carry the country the way remarks do: "1026303117642 (Russia)".
        trailing = _TRAILING_COUNTRY.match(number)
        if trailing:
            number, country = trailing.group(1), trailing.group(2)
    if from_remarks:
        match = _ID_TAIL.match(value)
        if not match:
            return None
        number = match.group("number").strip()
        country = match.group("country")
        note = _tidy(match.group("dates"))
        # A number has few words and a digit (codes like BIC "VTBRRUMM" or tail mark "EP-MMH" need none): this keeps
        # "Passport issued in Sarajevo, ..." out.
        code = key in _CODE_LABELS and " " not in number
        if not _NUMBER_SHAPE.match(number) or not (code or any(ch.isdigit() for ch in number)):
            return None
    sub = _SUBLABEL.match(number)
    if sub:  # "National ID No. CNIC: 35202-5400413-9", "Passport Booklet: A5199819"
        note = f"{sub.group(1)}; {note}" if note else sub.group(1)
        number = number[sub.end() :]
    country = _tidy(country)
    if number.upper().startswith("IMO "):
        # "Vessel Registration Identification IMO 9187629"; a "Company Number IMO ..." is an owner's number.
        if key == "company number":
            kind = IK.REGISTRATION
        else:
            kind = IK.IMO
            number = number[4:].strip()
    elif kind is IK.IMO:
        kind = IK.OTHER  # a vessel registration that is not an IMO number
    if kind is IK.NATIONAL_ID and country and country.lower() == "pakistan" and key.startswith("national id"):
        kind = IK.CNIC
    return Identifier(kind=kind, number=number, country=country, type_text=type_text, note=note)


def parse_date(text: str | None) -> PartialDate | None:
    """OFAC date text: "05 Jun 1950", "Jun 1950", "1950", "circa 1963", "1960 to 1962", "circa 1963-1965"."""
    text = clean(text)
    if not text:
        return None
    text = text.rstrip(".")
    approximate = False
    lowered = text.lower()
    for prefix in ("circa ", "approximately ", "approx. ", "about "):
        if lowered.startswith(prefix):
            approximate, text = True, text[len(prefix) :].strip()
            break
    years = _YEAR_RANGE.match(text)
    if years or " to " in text:
        if years:
            first, second = _single_date(years.group(1)), _single_date(years.group(2))
        else:
            left, _, right = text.partition(" to ")
            first, second = _single_date(left.strip()), _single_date(right.strip())
        if first is None or second is None:
            return None
        from_year, to_year = int(first[:4]), int(second[:4])
        detailed = len(first) > 4 or len(second) > 4
        note = " ".join(filter(None, ("circa" if approximate else None, text if detailed else None))) or None
        return PartialDate(kind=DateKind.RANGE, from_year=from_year, to_year=to_year, note=note)
    value = _single_date(text)
    if value is None:
        return None
    return PartialDate(kind=DateKind.APPROXIMATE if approximate else DateKind.EXACT, value=value)


def _single_date(text: str) -> str | None:
    match = _DATE.match(text)
    if not match:
        return None
    day, month_name, year = match.groups()
    if month_name is None:
        return None if day else year
    month = _MONTHS.get(month_name.lower())
    if month is None:
        return None
    if day is None:
        return f"{year}-{month:02d}"
    if not 1 <= int(day) <= 31:
        return None
    return f"{year}-{month:02d}-{int(day):02d}"


def parse_gender(text: str) -> str | None:
    value = text.strip().rstrip(".").lower()
    return value if value in ("male", "female") else None


def split_person_name(full: str) -> tuple[str | None, str | None]:
    """OFAC writes people "SURNAME, Given Names" -> (family, given); no comma -> (None, None)."""
    family, sep, given = full.partition(",")
    if not sep:
        return None, None
    return clean(family), clean(given)


def strip_final_period(text: str) -> str:
    """Drop the period OFAC puts at the end of remarks, but not one that ends "S.A." or "CO."."""
    if not text.endswith("."):
        return text
    body = text[:-1].rstrip()
    if body.endswith(("'", '"', ")")):
        return body  # "a.k.a. 'M.O.G.E.'." -- the period follows the closing quote
    last = body.rsplit(" ", 1)[-1]
    if (
        _DOTTED_ABBREVIATION.match(last)
        or last.upper() in _ABBREVIATIONS
        or (len(last) == 1 and last.isalpha())
    ):
        return text
    return body


def _weak_name(marker: str, quoted: str, *, individual: bool) -> Name | None:
    """`a.k.a. 'X'` -> weak Name X. f.k.a./n.k.a. in remarks are weak too; the note says which."""
    value = quoted.strip()
    if len(value) >= 2 and value.startswith("'") and value.endswith("'"):
        value = value[1:-1]
        if len(value) >= 2 and value.startswith("'") and value.endswith("'"):
            value = value[1:-1]  # ''FOOPIE'': a nickname quoted inside the quotes
    value = value.replace("', '", ", ")  # "'ABU-AL-KARKH', 'Yusuf'" -> one name
    full = _tidy(value)
    if not full:
        return None
    family, given = split_person_name(full) if individual else (None, None)
    note = {"f": "f.k.a.", "n": "n.k.a."}.get(marker)
    return Name(full=full, kind=NameKind.WEAK, given=given, family=family, note=note)


def _tidy(value: str | None) -> str | None:
    """clean() without the regex where there is nothing to collapse: this runs for every clause."""
    if value is None:
        return None
    if "  " in value or "\n" in value or "\t" in value or "\r" in value:
        return clean(value)
    return value.strip() or None


def _slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_") or "other"


__all__ = [
    "EXTRA_LABELS",
    "ID_LABELS",
    "Remarks",
    "classify_id",
    "parse_date",
    "parse_gender",
    "parse_remarks",
    "split_person_name",
    "strip_final_period",
]
