"""Alerts: hits at or above the threshold, with the evidence needed to reproduce them years later.

An alert carries the screening and customer it came from, the list entry (`entity_id` = source:ref), the list
version that produced the hit and that entry's content hash in it, the score, the threshold, the hit's full
explanation, every list version the screener held, the engine version and the profile.

Statuses: `open` → (`decided-pending-approval` →) `closed-true-match` | `closed-false-positive`; `escalated`
(waits for a supervisor's decision); `closed-delisted` (the entry left the list); `closed-superseded` (a new
alert replaced it because the customer's fields or the entry's content changed). At most one alert per
customer and list entry is active (open, pending approval or escalated) at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, select, update

from ctscreen.store.workflow_tables import alerts, decisions
from ctscreen.workflow import audit
from ctscreen.workflow._db import loads, now
from ctscreen.workflow.errors import InvalidInput, NotFound

if TYPE_CHECKING:
    from ctscreen.workflow.keys import Principal

OPEN = "open"
PENDING_APPROVAL = "decided-pending-approval"
ESCALATED = "escalated"
CLOSED_TRUE_MATCH = "closed-true-match"
CLOSED_FALSE_POSITIVE = "closed-false-positive"
CLOSED_DELISTED = "closed-delisted"
CLOSED_SUPERSEDED = "closed-superseded"
ACTIVE = (OPEN, PENDING_APPROVAL, ESCALATED)
STATUSES = (*ACTIVE, CLOSED_TRUE_MATCH, CLOSED_FALSE_POSITIVE, CLOSED_DELISTED, CLOSED_SUPERSEDED)


def active_key(customer_id: str | None, entity_id: str) -> str | None:
    return f"{customer_id}|{entity_id}" if customer_id else None


@dataclass(frozen=True)
class AlertInfo:
    id: int
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
    explanation: dict[str, Any]
    list_versions: dict[str, int]
    engine_version: str
    profile: str
    status: str
    created_at: str
    updated_at: str
    closed_at: str | None
    closed_reason: str | None

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "screening_id": self.screening_id,
            "customer_id": self.customer_id,
            "fields_hash": self.fields_hash,
            "entity_id": self.entity_id,
            "source": self.source,
            "ref": self.ref,
            "list_version": self.list_version,
            "entity_hash": self.entity_hash,
            "entity_name": self.entity_name,
            "matched_name": self.matched_name,
            "score": self.score,
            "threshold": self.threshold,
            "profile": self.profile,
            "engine_version": self.engine_version,
            "list_versions": self.list_versions,
            "explanation": self.explanation,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "closed_at": self.closed_at,
            "closed_reason": self.closed_reason,
        }


def alert_from_row(row: Any) -> AlertInfo:
    return AlertInfo(
        id=row.id,
        screening_id=row.screening_id,
        customer_id=row.customer_id,
        fields_hash=row.fields_hash,
        entity_id=row.entity_id,
        source=row.source,
        ref=row.ref,
        list_version=row.list_version,
        entity_hash=row.entity_hash,
        entity_name=row.entity_name,
        matched_name=row.matched_name,
        score=row.score,
        threshold=row.threshold,
        explanation=loads(row.explanation),
        list_versions=loads(row.list_versions),
        engine_version=row.engine_version,
        profile=row.profile,
        status=row.status,
        created_at=row.created_at,
        updated_at=row.updated_at,
        closed_at=row.closed_at,
        closed_reason=row.closed_reason,
    )


def get_alert(conn: Connection, alert_id: int) -> AlertInfo:
    row = conn.execute(select(alerts).where(alerts.c.id == alert_id)).first()
    if row is None:
        raise NotFound(f"no alert {alert_id}")
    return alert_from_row(row)


def list_alerts(
    engine: Engine,
    *,
    status: str | list[str] | None = None,
    customer_id: str | None = None,
    entity_id: str | None = None,
    source: str | None = None,
    profile: str | None = None,
    screening_id: int | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int | None = 100,
    offset: int = 0,
) -> list[AlertInfo]:
    """Alerts, oldest first, filtered; `status` may be one status, a list, or "active" (open, pending
    approval, escalated)."""
    query = select(alerts).order_by(alerts.c.id)
    if status:
        wanted = [status] if isinstance(status, str) else list(status)
        expanded = [s for w in wanted for s in (ACTIVE if w == "active" else (w,))]
        for s in expanded:
            if s not in STATUSES:
                raise InvalidInput(f"status: {s!r} is not one of active, {', '.join(STATUSES)}")
        query = query.where(alerts.c.status.in_(expanded))
    if customer_id:
        query = query.where(alerts.c.customer_id == customer_id)
    if entity_id:
        query = query.where(alerts.c.entity_id == entity_id)
    if source:
        query = query.where(alerts.c.source == source)
    if profile:
        query = query.where(alerts.c.profile == profile)
    if screening_id is not None:
        query = query.where(alerts.c.screening_id == screening_id)
    if since:
        query = query.where(alerts.c.created_at >= since)
    if until:
        query = query.where(alerts.c.created_at < until)
    if limit is not None:
        query = query.limit(limit)
    if offset:
        query = query.offset(offset)
    with engine.connect() as conn:
        return [alert_from_row(r) for r in conn.execute(query)]


def close_alert(conn: Connection, alert: AlertInfo, status: str, reason: str, actor: Principal) -> None:
    """Close an active alert without a decision (delisted, superseded); a pending decision on it is void."""
    at = now()
    conn.execute(
        update(alerts)
        .where(alerts.c.id == alert.id)
        .values(status=status, active_key=None, updated_at=at, closed_at=at, closed_reason=reason)
    )
    voided = conn.execute(
        update(decisions)
        .where(decisions.c.alert_id == alert.id, decisions.c.status == "pending-approval")
        .values(status="void", reviewed_at=at, review_comment=f"alert closed: {reason}")
    ).rowcount
    audit.append(
        conn,
        actor,
        "alert.close",
        f"alert:{alert.id}",
        {
            "status": status,
            "previous_status": alert.status,
            "reason": reason,
            "customer_id": alert.customer_id,
            "entity_id": alert.entity_id,
            "voided_decisions": voided,
        },
    )
