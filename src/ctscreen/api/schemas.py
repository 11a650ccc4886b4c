"""Request and response models. Responses mirror the documented JSON shapes (docs/screening-json.md,
docs/text-screening.md, docs/cli-json.md, docs/workflow.md); the routes return those `to_dict()` objects
as they are, and these models describe them in the OpenAPI document (schemathesis checks that they agree).
Fields may be added to a response; none is renamed or removed without a major version.
"""

from __future__ import annotations

import codecs
from typing import Annotated, Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator, model_validator

from ctscreen.matching.profiles import PROFILES
from ctscreen.workflow import OUTCOMES, ROLES

ProfileName = Literal[tuple(PROFILES)]  # type: ignore[valid-type]
SchemaName = Literal[
    "person", "organization", "organisation", "entity", "company", "vessel", "aircraft", "any", "unknown"
]
GenderName = Literal["male", "female", "m", "f"]
Outcome = Literal[tuple(OUTCOMES)]  # type: ignore[valid-type]
Role = Literal[tuple(ROLES)]  # type: ignore[valid-type]
TextFormatName = Literal["auto", "plain", "html", "pdf", "mt", "iso20022", "paxlst"]

MAX_NAME = 500


# Free-text fields that reach the database: no control characters but tab and line breaks (PostgreSQL
# refuses NUL in text, and an audit trail has no use for the others).
NO_CONTROLS = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    @model_validator(mode="after")
    def _encodable(self) -> Any:
        """Refuse strings that cannot be written as UTF-8 (a lone surrogate escaped in the JSON, "\\ud800")
        and NUL, which no field needs, instead of failing later when they are stored or answered."""
        for name, value in self:
            _check_text(name, value, allow_nul=name in ("text", "content_base64"))
        return self


def _check_text(name: str, value: Any, *, allow_nul: bool = False) -> None:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError(
                f"{name}: contains a lone surrogate (\\ud800-\\udfff), which is not text"
            ) from None
        if not allow_nul and "\x00" in value:
            raise ValueError(f"{name}: contains a NUL character")
    elif isinstance(value, list):
        for item in value:
            _check_text(name, item, allow_nul=allow_nul)


# -- screening ---------------------------------------------------------------------------------------------


class QueryFields(_Request):
    """One name to screen, with the optional evidence that moves the score (as `ctscreen screen`)."""

    name: str = Field(min_length=1, max_length=MAX_NAME, description="The name, in any script.")
    schema_: SchemaName | None = Field(
        None,
        alias="schema",
        validation_alias=AliasChoices("schema", "type"),
        description="person | organization | vessel | aircraft | any (also accepted as `type`).",
    )
    dob: str | None = Field(
        None, max_length=40, description="Date of birth: YYYY, YYYY-MM, YYYY-MM-DD or DD/MM/YYYY."
    )
    country: str | None = Field(None, max_length=100, description="Nationality or country: name or ISO code.")
    gender: GenderName | None = None
    id_number: str | None = Field(
        None,
        max_length=100,
        validation_alias=AliasChoices("id_number", "id"),
        description="Passport, national ID, CNIC or IMO number (also accepted as `id`).",
    )

    def query_fields(self) -> dict[str, str]:
        """The fields as `ctscreen.matching.Query` and the workflow name them (unset ones left out)."""
        out = {
            "name": self.name,
            "schema": self.schema_,
            "dob": self.dob,
            "country": self.country,
            "gender": self.gender,
            "id_number": self.id_number,
        }
        return {k: v for k, v in out.items() if v is not None}


class ProfileOptions(_Request):
    profile: ProfileName = Field("kyc", description="kyc | payments | border: thresholds and weights.")
    threshold: float | None = Field(None, gt=0, le=1, description="Alert threshold instead of the profile's.")


class ScreenOptions(ProfileOptions):
    limit: int | None = Field(None, ge=1, le=100, description="Most hits per query (default: the profile's).")


class ScreenRequest(ScreenOptions, QueryFields):
    record: bool = Field(
        False,
        description="Record the screening in the workflow (stored, audited; alerting hits become alerts). "
        "The response then carries `screening_id` and a `workflow` object.",
    )


class BatchQuery(QueryFields):
    id: str | None = Field(None, max_length=200, description="Your reference for this query, echoed back.")

    # `id` is the caller's reference here, so the identifier is only `id_number`.
    id_number: str | None = Field(
        None, max_length=100, description="Passport, national ID, CNIC or IMO number."
    )


class BatchRequest(ScreenOptions):
    queries: list[BatchQuery] = Field(min_length=1, max_length=1000, description="1 to 1,000 queries.")


class TokenPair(BaseModel):
    query: str
    listed: str
    how: str
    similarity: float
    weight: float


class NameExplanation(BaseModel):
    score: float
    tokens: list[TokenPair]
    unmatched_query: list[str]
    unmatched_listed: list[str]
    information: float


class Evidence(BaseModel):
    field: str
    effect: str
    value: float
    detail: str


class Explanation(BaseModel):
    matched_name_kind: str
    name: NameExplanation | None
    evidence: list[Evidence]


class Hit(BaseModel):
    source: str
    ref: str
    entity_id: str
    schema_: str = Field(alias="schema")
    name: str
    matched_name: str
    score: float
    alert: bool
    explanation: Explanation
    workflow: dict[str, Any] | None = Field(
        None, description="Recorded screenings only: the hit's disposition (null below the threshold)."
    )


class ScreeningResult(BaseModel):
    """The shape of `ctscreen screen --json` (docs/screening-json.md); a recorded screening adds the
    workflow fields."""

    query: dict[str, str]
    alert: bool
    hits: list[Hit]
    profile: str
    threshold: float
    engine_version: str
    list_versions: dict[str, int]
    screening_id: int | None = None
    customer_id: str | None = None
    created_at: str | None = None
    reason: str | None = None
    fields_hash: str | None = None
    workflow: dict[str, int] | None = None


class BatchItem(BaseModel):
    id: str | None = None
    query: dict[str, str] | None = None
    alert: bool
    hits: list[Hit]
    error: str | None = Field(None, description="Why this query was not screened (it keeps its place).")


class BatchResult(BaseModel):
    results: list[BatchItem]
    screened: int
    errors: int
    alerts: int
    profile: str
    threshold: float
    engine_version: str
    list_versions: dict[str, int]


# -- text --------------------------------------------------------------------------------------------------


class TextRequest(_Request):
    text: str | None = Field(None, description="The text or HTML to screen.")
    content_base64: str | None = Field(None, description="Binary input (a PDF), base64-encoded.")
    format: TextFormatName = "auto"
    profile: ProfileName = "kyc"
    threshold: float | None = Field(None, gt=0, le=1)
    encoding: str | None = Field(None, max_length=40, description="Encoding of `content_base64` text/HTML.")

    @model_validator(mode="after")
    def _one_input(self) -> TextRequest:
        if (self.text is None) == (self.content_base64 is None):
            raise ValueError("give exactly one of `text` and `content_base64`")
        return self

    @field_validator("encoding")
    @classmethod
    def _known_encoding(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                codecs.lookup(value)
            except LookupError:
                raise ValueError(f"unknown encoding {value!r}") from None
        return value


class Mention(BaseModel):
    start: int
    end: int
    text: str
    sentence: str
    alert: bool
    hits: list[dict[str, Any]]
    field: str | None = None


class Party(BaseModel):
    role: str
    name: str
    alert: bool
    hits: list[dict[str, Any]]
    field: str | None = None
    error: str | None = None


class TextResult(BaseModel):
    """The shape of `ctscreen text --json` (docs/text-screening.md)."""

    format: str
    alert: bool
    mentions: list[Mention]
    parties: list[Party]
    warnings: list[str]
    characters: int
    profile: str
    threshold: float
    engine_version: str
    list_versions: dict[str, int]


# -- lists and entities ------------------------------------------------------------------------------------


class ListVersion(BaseModel):
    """The shape of `ctscreen lists status --json` (docs/cli-json.md)."""

    source: str
    version: int
    active: bool
    format: str
    published: str | None
    entities: int
    persons: int
    organizations: int
    vessels: int
    aircraft: int
    imported_at: str
    sha256: str
    files: list[dict[str, Any]]
    warnings: list[str]


class IndexInfo(BaseModel):
    loaded: bool
    list_versions: dict[str, int]
    loaded_at: str | None
    load_seconds: float | None
    last_error: str | None
    reloads: int
    failures: int


class ListsResponse(BaseModel):
    lists: list[ListVersion]
    index: IndexInfo = Field(description="What this worker's screening index holds.")


class Entity(BaseModel):
    """A listed entity as `ctscreen lists show --json` prints it (docs/cli-json.md); empty keys are
    left out."""

    model_config = ConfigDict(extra="allow")

    schema_: str = Field(alias="schema")
    names: list[dict[str, Any]]
    listing: dict[str, Any]


class EntityResponse(BaseModel):
    entity_id: str
    source: str
    ref: str
    list_version: int
    entity: Entity


class UpdateRequest(_Request):
    sources: list[Annotated[str, Field(max_length=40, pattern=NO_CONTROLS)]] | None = Field(
        None,
        max_length=20,
        description="Official lists to download (un, ofac-sdn, ofac-cons, uk-fcdo, eu, us-csl); default all.",
    )
    force: bool = Field(False, description="Import even when a list shrank by more than half.")


class UpdateOutcome(BaseModel):
    source: str
    status: Literal["updated", "unchanged", "failed"]
    version: int | None = None
    previous_version: int | None = None
    entities: int | None = None
    rescreen: str | None = None
    error: str | None = None


class UpdateResponse(BaseModel):
    results: list[UpdateOutcome]
    index: IndexInfo


class ActivateRequest(_Request):
    version: int = Field(ge=1, le=1_000_000, description="A stored version of the list to make active.")


class ActivateResponse(BaseModel):
    list: ListVersion
    previous_version: int | None
    rescreen: str | None
    index: IndexInfo


# -- health ------------------------------------------------------------------------------------------------


class ListHealth(BaseModel):
    source: str
    version: int
    published: str | None
    imported_at: str
    age_hours: float | None
    stale: bool


class Health(BaseModel):
    status: Literal["ok", "degraded", "unavailable"]
    problems: list[str]
    max_list_age_hours: float
    lists: list[ListHealth]
    index: dict[str, Any]
    engine_version: str
    version: str


# -- workflow ----------------------------------------------------------------------------------------------


class CustomerScreenRequest(ProfileOptions, QueryFields):
    """The customer's fields, profile and threshold; all are stored with the customer."""


class Customer(BaseModel):
    customer_id: str
    fields: dict[str, str]
    fields_hash: str
    profile: str
    threshold: float | None
    created_at: str
    updated_at: str
    last_screening_id: int | None
    last_screened_at: str | None


class Alert(BaseModel):
    id: int
    status: str
    screening_id: int
    customer_id: str | None
    fields_hash: str
    entity_id: str
    source: str
    ref: str
    list_version: int | None
    entity_hash: str | None
    entity_name: str
    matched_name: str
    score: float
    threshold: float
    profile: str
    engine_version: str
    list_versions: dict[str, int]
    explanation: dict[str, Any]
    created_at: str
    updated_at: str
    closed_at: str | None
    closed_reason: str | None


class Decision(BaseModel):
    id: int
    alert_id: int
    outcome: str
    reason: str
    status: str
    requires_approval: bool
    decided_by: str
    decided_key: str | None
    decided_role: str
    decided_at: str
    reviewed_by: str | None
    reviewed_key: str | None
    reviewed_at: str | None
    review_comment: str | None
    alert_status: str | None
    goodguy_id: int | None


class AlertWithDecisions(Alert):
    decisions: list[Decision]


class DecideRequest(_Request):
    outcome: Outcome = Field(description="true-match | false-positive | escalate")
    reason: str = Field(min_length=1, max_length=4000, pattern=NO_CONTROLS, description="Why; required.")


class ReviewRequest(_Request):
    comment: str | None = Field(None, max_length=4000, pattern=NO_CONTROLS, description="Required to reject.")


class GoodGuy(BaseModel):
    id: int
    customer_id: str
    fields_hash: str
    entity_id: str
    entity_hash: str
    alert_id: int
    decision_id: int
    created_at: str
    created_by: str
    active: bool


class Key(BaseModel):
    key_id: str
    name: str
    role: str
    created_at: str
    created_by: str
    revoked: bool
    revoked_at: str | None
    revoked_by: str | None


class KeyCreated(Key):
    token: str = Field(description="The key itself: shown this once, stored only as a hash.")


class KeyRequest(_Request):
    name: str = Field(
        min_length=1,
        max_length=200,
        pattern=NO_CONTROLS,
        description="The person (or system) the key is for.",
    )
    role: Role


class RescreenRequest(_Request):
    sources: list[Annotated[str, Field(max_length=40, pattern=NO_CONTROLS)]] | None = Field(
        None, max_length=50
    )
    force: bool = False


class AuditRecord(BaseModel):
    seq: int
    at: str
    actor: str
    actor_key: str | None
    action: str
    subject: str
    payload: dict[str, Any]
    prev_hash: str
    hash: str


class AuditVerification(BaseModel):
    ok: bool
    records: int
    head_seq: int | None
    head_hash: str | None
    first_bad_seq: int | None
    problem: str | None


class ErrorDetail(BaseModel):
    status: int
    code: str
    message: str
    details: list[Any]


class ErrorResponse(BaseModel):
    """Every error answers this shape."""

    error: ErrorDetail
