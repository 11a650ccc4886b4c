"""The project's media-alias table and the other word lists the mention finder reads (`text/data/`).

The lists lack many names the press uses: "ISKP" for ISIL-K, "Daesh" for ISIL, "Afghan Taliban" for the
Taliban (DOMAIN.md §2.6). `data/media_aliases.csv` maps each such name to the listed name(s) it stands for,
on every list, and says where the usage is documented. Each row:

- `alias`: the name as the press writes it (any script);
- `kind`: `acronym` (alerts only when the text around it supports it, see `mentions.py`) or `media-name`;
- `expands_to`: the listed name(s) it stands for, `|`-separated, written as on the lists. The engine screens
  each one, so the score and explanation of an alias hit are the engine's;
- `entities`: `source:ref` of the listings meant (space-separated). A hit is kept when its entity is one of
  these or carries an `expands_to` name word for word (the UK copy of a UN listing, a later list version);
- `source`: where the usage is documented; `note`: anything a reviewer should know.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

KINDS = ("acronym", "media-name")


class AliasTableError(ValueError):
    """A row of an alias table that cannot be used; the message names the row and the field."""


@dataclass(frozen=True)
class AliasRow:
    alias: str
    kind: str  # acronym | media-name
    expands_to: tuple[str, ...]
    entities: tuple[str, ...]  # entity ids, "source:ref"
    source: str
    note: str = ""
    line: int = 0

    @property
    def is_acronym(self) -> bool:
        return self.kind == "acronym"

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "alias": self.alias,
            "kind": self.kind,
            "expands_to": list(self.expands_to),
            "entities": list(self.entities),
            "source": self.source,
        }
        if self.note:
            out["note"] = self.note
        return out


def _data_text(name: str) -> str:
    return files("ctscreen.text").joinpath("data", name).read_text(encoding="utf-8")


def parse_alias_table(text: str, origin: str = "media_aliases.csv") -> tuple[AliasRow, ...]:
    """Rows of an alias table in the CSV layout above; a bad row raises AliasTableError naming it."""
    reader = csv.DictReader(io.StringIO(text))
    wanted = {"alias", "kind", "expands_to", "entities", "source"}
    missing = wanted - set(reader.fieldnames or ())
    if missing:
        raise AliasTableError(f"{origin}: missing column(s) {', '.join(sorted(missing))}")
    rows: list[AliasRow] = []
    for number, record in enumerate(reader, start=2):
        where = f"{origin}:{number}"
        if None in record or any(value is None for value in record.values()):
            raise AliasTableError(f"{where}: wrong number of fields")
        alias = record["alias"].strip()
        kind = record["kind"].strip()
        expands = tuple(x.strip() for x in record["expands_to"].split("|") if x.strip())
        entities = tuple(record["entities"].split())
        source = record["source"].strip()
        if not alias:
            raise AliasTableError(f"{where}: field alias is empty")
        if kind not in KINDS:
            raise AliasTableError(f"{where}: field kind is {kind!r}, not one of {', '.join(KINDS)}")
        if not expands:
            raise AliasTableError(f"{where}: field expands_to is empty")
        if not source:
            raise AliasTableError(f"{where}: field source is empty: say where the usage is documented")
        for entity in entities:
            if ":" not in entity:
                raise AliasTableError(f"{where}: field entities: {entity!r} is not source:ref")
        rows.append(
            AliasRow(alias, kind, expands, entities, source, (record.get("note") or "").strip(), number)
        )
    return tuple(rows)


@cache
def media_aliases() -> tuple[AliasRow, ...]:
    """The packaged alias table (`text/data/media_aliases.csv`)."""
    return parse_alias_table(_data_text("media_aliases.csv"))


def _word_lines(name: str) -> frozenset[str]:
    return frozenset(
        word
        for line in _data_text(name).splitlines()
        if line.strip() and not line.lstrip().startswith("#")
        for word in line.split()
    )


@cache
def context_cues() -> frozenset[str]:
    """Words that, near an acronym, say a group is meant (`text/data/context_cues.txt`)."""
    return _word_lines("context_cues.txt")


@cache
def function_words() -> frozenset[str]:
    return _word_lines("function_words.txt")


@cache
def lowercase_words() -> frozenset[str]:
    """Common English words that are also names ("said"): not a name when written in lower case."""
    return _word_lines("lowercase_words.txt")


@cache
def role_words() -> frozenset[str]:
    """Words that stand before a person's name without being part of it (`text/data/role_words.txt`)."""
    return _word_lines("role_words.txt")


@cache
def generic_org_words() -> frozenset[str]:
    """Words of generic institution names (`text/data/generic_org_words.txt`)."""
    return _word_lines("generic_org_words.txt")


@cache
def place_words() -> frozenset[str]:
    """One-word place names: regions and cities from `text/data/places.txt` plus every country name."""
    from ctscreen.names import fold

    words = set(_word_lines("places.txt"))
    try:
        import pycountry

        for country in pycountry.countries:
            for attribute in ("name", "common_name", "official_name"):
                value = getattr(country, attribute, None)
                if value:
                    folded = fold(value)
                    if folded and " " not in folded:
                        words.add(folded)
    except ImportError:  # pragma: no cover - pycountry is a dependency; the regions list still works
        pass
    return frozenset(words)


@dataclass(frozen=True)
class NotMention:
    phrase: str
    reason: str
    source: str


@cache
def not_mentions() -> tuple[NotMention, ...]:
    """Well-known names that collide with a listed alias (`text/data/not_mentions.csv`): reported, not alerted."""
    reader = csv.DictReader(io.StringIO(_data_text("not_mentions.csv")))
    return tuple(
        NotMention(r["phrase"].strip(), r["reason"].strip(), r["source"].strip())
        for r in reader
        if r.get("phrase")
    )
