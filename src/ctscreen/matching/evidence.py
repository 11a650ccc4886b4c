"""Secondary evidence: dates of birth, countries, gender, identifiers, entity type.

Each check returns an adjustment and a line for the explanation. Agreement adds a little (an exact name with
a matching date of birth ranks above the exact name alone); a conflict discounts. Partial dates (year only,
year ranges, "approximately") are the norm in the lists, so a date conflicts only when it is outside every
listed date by more than the listed precision allows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

DOB_EXACT_BONUS = 0.05
DOB_YEAR_BONUS = 0.03
DOB_CONFLICT_FACTOR = 0.75  # an exact name (0.93) with a conflicting date falls under kyc and payments
COUNTRY_BONUS = 0.02
COUNTRY_CONFLICT = -0.03
GENDER_CONFLICT_FACTOR = 0.9
IDENTIFIER_FLOOR = 0.97

_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?\s*$")
_DMY = re.compile(r"^\s*(\d{1,2})[./](\d{1,2})[./](\d{4})\s*$")


class ListedDate(NamedTuple):
    year: int | None
    month: int | None
    day: int | None
    from_year: int | None
    to_year: int | None
    approximate: bool

    def describe(self) -> str:
        if self.year is None:
            return f"{self.from_year}–{self.to_year}"
        text = str(self.year)
        if self.month:
            text += f"-{self.month:02d}"
        if self.day:
            text += f"-{self.day:02d}"
        return ("c. " if self.approximate else "") + text


@dataclass(frozen=True, slots=True)
class Adjustment:
    field: str
    effect: str  # "bonus" | "penalty" | "factor" | "floor"
    value: float
    detail: str

    def explain(self) -> dict:
        return {
            "field": self.field,
            "effect": self.effect,
            "value": round(self.value, 4),
            "detail": self.detail,
        }


def parse_query_date(text: str) -> tuple[int, int | None, int | None]:
    """YYYY, YYYY-MM, YYYY-MM-DD or DD/MM/YYYY -> (year, month, day); ValueError naming the problem."""
    match = _DATE.match(text)
    if match:
        year, month, day = (int(g) if g else None for g in match.groups())
    else:
        dmy = _DMY.match(text)
        if not dmy:
            raise ValueError(f"date of birth {text!r} is not YYYY, YYYY-MM, YYYY-MM-DD or DD/MM/YYYY")
        day, month, year = (int(g) for g in dmy.groups())
    assert year is not None
    if (
        not 1800 <= year <= 2100
        or (month is not None and not 1 <= month <= 12)
        or (day is not None and not 1 <= day <= 31)
    ):
        raise ValueError(f"date of birth {text!r} is out of range")
    return year, month, day


def listed_date(
    kind: str, value: str | None, from_year: int | None, to_year: int | None
) -> ListedDate | None:
    if value:
        match = _DATE.match(value)
        if not match:
            return None
        year, month, day = (int(g) if g else None for g in match.groups())
        return ListedDate(year, month, day, None, None, kind == "approximate")
    if from_year and to_year:
        return ListedDate(None, None, None, from_year, to_year, kind == "approximate")
    return None


def compare_dob(
    query: tuple[int, int | None, int | None], listed: tuple[ListedDate, ...]
) -> Adjustment | None:
    if not listed:
        return None
    year, month, day = query
    best: Adjustment | None = None
    nearest = None
    for d in listed:
        if d.year is None:
            assert d.from_year is not None and d.to_year is not None
            if d.from_year <= year <= d.to_year:
                return Adjustment("dob", "bonus", DOB_YEAR_BONUS, f"{year} within listed {d.describe()}")
            distance = min(abs(year - d.from_year), abs(year - d.to_year))
        else:
            if d.year == year:
                same_month = month is None or d.month is None or d.month == month
                same_day = day is None or d.day is None or d.day == day
                if same_month and same_day:
                    if month and day and d.month and d.day:
                        return Adjustment(
                            "dob", "bonus", DOB_EXACT_BONUS, f"{_fmt(query)} = listed {d.describe()}"
                        )
                    best = best or Adjustment(
                        "dob", "bonus", DOB_YEAR_BONUS, f"{_fmt(query)} fits listed {d.describe()}"
                    )
                    continue
                distance = 0
            else:
                distance = abs(d.year - year)
            if d.approximate:
                distance = max(0, distance - 2)
        nearest = distance if nearest is None else min(nearest, distance)
    if best:
        return best
    if nearest is not None and nearest <= 1:
        return None  # close enough to be a typo or a rounding of an approximate date
    listed_text = ", ".join(d.describe() for d in listed)
    return Adjustment(
        "dob", "factor", DOB_CONFLICT_FACTOR, f"{_fmt(query)} conflicts with listed {listed_text}"
    )


def _fmt(query: tuple[int, int | None, int | None]) -> str:
    year, month, day = query
    return f"{year}" + (f"-{month:02d}" if month else "") + (f"-{day:02d}" if day and month else "")


def compare_country(
    query_code: str, listed_codes: frozenset[str], nationality_codes: frozenset[str]
) -> Adjustment | None:
    if not listed_codes:
        return None
    if query_code in listed_codes:
        return Adjustment("country", "bonus", COUNTRY_BONUS, f"{query_code} is a listed country")
    if nationality_codes:
        listed = ", ".join(sorted(listed_codes))
        return Adjustment("country", "bonus", COUNTRY_CONFLICT, f"{query_code} not among listed {listed}")
    return None


def compare_gender(query: str, listed: str | None) -> Adjustment | None:
    if not listed or query == listed:
        return None
    return Adjustment("gender", "factor", GENDER_CONFLICT_FACTOR, f"{query} vs listed {listed}")


_ID_JUNK = re.compile(r"[^0-9A-Z]")


def normalize_identifier(number: str) -> str:
    """Upper-case letters and digits only; the letter O read as zero (O1503093 vs 01503093, DOMAIN.md §1.3)."""
    return _ID_JUNK.sub("", number.upper()).replace("O", "0")
