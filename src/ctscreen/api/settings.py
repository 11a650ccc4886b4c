"""Service settings: one frozen object, built by hand (tests) or from the environment (`ctscreen serve`
passes its options to every worker process through `CTSCREEN_API_*` variables)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from typing import Any

from ctscreen.workflow import WorkflowSettings

MAX_BATCH = 1000  # queries in one POST /screen/batch (the bound; lower it with max_batch)
_ENV_PREFIX = "CTSCREEN_API_"


@dataclass(frozen=True)
class ApiSettings:
    # The database: any SQLAlchemy URL; None: CTSCREEN_DB, else the SQLite file under CTSCREEN_HOME.
    db_url: str | None = None
    # Largest request body accepted (bytes); larger ones get 413 before any work is done.
    max_body_bytes: int = 1024 * 1024
    # POST /text takes documents (PDF, HTML), so its own, larger bound.
    max_text_bytes: int = 10 * 1024 * 1024
    max_batch: int = MAX_BATCH
    # GET /health answers "degraded" when an active list version was imported longer ago than this.
    max_list_age_hours: float = 72.0
    # Seconds between checks of the active list versions (one small query); a change loads a new index.
    reload_interval: float = 5.0
    # After a failed index load, the same list versions are tried again only after this many seconds.
    reload_retry: float = 60.0
    # Load the index from / write it to the on-disk cache under CTSCREEN_HOME/index.
    use_index_cache: bool = True
    # Fill the index's lazy caches (about a second for 45,000 names) before a new index serves, and build
    # the mention finder of POST /text too (a few seconds), so that no request pays for them.
    warm_index: bool = True
    warm_text: bool = True
    # Where POST /lists/update downloads from: None = the official URLs (or CTSCREEN_MIRROR). A server
    # setting, never a request field, so a client cannot point the service at an arbitrary URL.
    mirror: str | None = None
    # Serve the OpenAPI document (/openapi.json) and its browsable form (/docs) without a key. They
    # describe the API and hold no data; turn them off where even that should stay private.
    public_docs: bool = True
    # Four-eyes per profile and other workflow settings.
    workflow: WorkflowSettings = field(default_factory=WorkflowSettings)

    def __post_init__(self) -> None:
        if not 1 <= self.max_batch <= MAX_BATCH:
            raise ValueError(f"max_batch: {self.max_batch} is not in 1..{MAX_BATCH}")
        for name in ("max_body_bytes", "max_text_bytes"):
            if getattr(self, name) < 1024:
                raise ValueError(f"{name}: {getattr(self, name)} is below 1024 bytes")
        if self.reload_interval <= 0 or self.reload_retry < 0 or self.max_list_age_hours <= 0:
            raise ValueError("reload_interval and max_list_age_hours must be positive, reload_retry >= 0")

    def with_changes(self, **changes: Any) -> ApiSettings:
        return replace(self, **changes)

    # -- the environment, for worker processes -------------------------------------------------------

    def to_env(self) -> dict[str, str]:
        """The settings as `CTSCREEN_API_*` variables (workflow settings are not carried)."""
        out: dict[str, str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "workflow" or value is None:
                continue
            out[_ENV_PREFIX + f.name.upper()] = str(int(value) if isinstance(value, bool) else value)
        return out

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> ApiSettings:
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(_ENV_PREFIX + f.name.upper())
            if raw is None or f.name == "workflow":
                continue
            kind = type(getattr(cls(), f.name)) if f.name not in ("db_url", "mirror") else str
            try:
                if kind is bool:
                    values[f.name] = raw.strip().lower() in ("1", "true", "yes", "on")
                else:
                    values[f.name] = kind(raw)
            except ValueError:
                raise ValueError(
                    f"{_ENV_PREFIX}{f.name.upper()}: {raw!r} is not a valid {kind.__name__}"
                ) from None
        return cls(**values)
