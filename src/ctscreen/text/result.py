"""The public shape of a text screening result (docs/text-screening.md).

```
{"format": "plain", "mentions": [{"start", "end", "text", "sentence", "hits": [<hit>]}],
 "parties": [{"role", "name", "hits": [<hit>]}], "warnings": [...], "list_versions": {...}, ...}
```

Each `<hit>` has the shape of a `ctscreen screen`/`batch` hit (docs/screening-json.md); a mention hit adds
`explanation.text`: how the finder found the mention and every text rule that changed its alert.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from ctscreen.matching import ENGINE_VERSION, Hit


@dataclass
class MentionHit:
    """An engine hit on a mention, with the alert as the text rules leave it and why."""

    hit: Hit
    alert: bool
    found_by: str  # list-name | alias-table
    rules: list[str] = field(default_factory=list)
    alias: dict[str, Any] | None = None

    @property
    def entity_id(self) -> str:
        return self.hit.entity_id

    @property
    def score(self) -> float:
        return self.hit.score

    def to_dict(self) -> dict[str, Any]:
        out = self.hit.to_dict()
        out["alert"] = self.alert
        explanation = copy.copy(out["explanation"])
        text: dict[str, Any] = {"found_by": self.found_by}
        if self.alias is not None:
            text["alias"] = self.alias
        if self.rules:
            text["rules"] = list(self.rules)
        explanation["text"] = text
        out["explanation"] = explanation
        return out


@dataclass
class Mention:
    start: int  # offsets (Unicode code points) into the screened text: text[start:end] == self.text
    end: int
    text: str
    sentence: str
    hits: list[MentionHit]
    field: str | None = None  # the message field the mention is in, for formats that give fields

    @property
    def alert(self) -> bool:
        return any(h.alert for h in self.hits)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "sentence": self.sentence,
            "alert": self.alert,
            "hits": [h.to_dict() for h in self.hits],
        }
        if self.field is not None:
            out["field"] = self.field
        return out


@dataclass
class PartyResult:
    """A structured party of a message (payer, payee, passenger ...) screened as a query."""

    role: str
    name: str
    hits: list[Hit]
    field: str | None = None
    error: str | None = None

    @property
    def alert(self) -> bool:
        return any(h.alert for h in self.hits)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "role": self.role,
            "name": self.name,
            "alert": self.alert,
            "hits": [h.to_dict() for h in self.hits],
        }
        if self.field is not None:
            out["field"] = self.field
        if self.error is not None:
            out["error"] = self.error
        return out


@dataclass
class TextResult:
    format: str
    mentions: list[Mention]
    parties: list[PartyResult]
    warnings: list[str]
    list_versions: dict[str, int]
    profile: str = "kyc"
    threshold: float = 0.0
    characters: int = 0  # length of the screened text (after extraction)
    text: str = field(default="", repr=False)  # the screened text itself, for the Python API (not in JSON)

    @property
    def alert(self) -> bool:
        return any(m.alert for m in self.mentions) or any(p.alert for p in self.parties)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "alert": self.alert,
            "mentions": [m.to_dict() for m in self.mentions],
            "parties": [p.to_dict() for p in self.parties],
            "warnings": list(self.warnings),
            "characters": self.characters,
            "profile": self.profile,
            "threshold": self.threshold,
            "engine_version": ENGINE_VERSION,
            "list_versions": dict(self.list_versions),
        }
