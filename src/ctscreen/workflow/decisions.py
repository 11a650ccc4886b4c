"""Decisions on alerts and their four-eyes review.

An analyst (or anyone with the `decide` permission) records `true-match`, `false-positive` or `escalate`, with
a reason. Under four-eyes (per profile, `WorkflowSettings.four_eyes`), a true match or false positive waits
as `pending-approval` until a second person with the `approve` permission confirms or rejects it; the
reviewer must hold a different key *and* be a different person (key name, compared without case or extra
spaces) than the decider. Without four-eyes the decision is `final` at once. An escalation is final and
hands the alert to supervisors: only a principal with `approve` may decide an escalated alert.

A confirmed false positive on a customer's alert becomes a good-guy record (`goodguys.py`); a rejected
decision returns the alert to the state it was in before.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update

from ctscreen.store.workflow_tables import alerts, decisions
from ctscreen.workflow import alerts as alert_states
from ctscreen.workflow import audit, goodguys
from ctscreen.workflow._db import now
from ctscreen.workflow.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from ctscreen.workflow.keys import APPROVE, DECIDE, Principal, person_key, require

TRUE_MATCH = "true-match"
FALSE_POSITIVE = "false-positive"
ESCALATE = "escalate"
OUTCOMES = (TRUE_MATCH, FALSE_POSITIVE, ESCALATE)

PENDING = "pending-approval"
APPROVED = "approved"
REJECTED = "rejected"
FINAL = "final"
VOID = "void"
STATUSES = (PENDING, APPROVED, REJECTED, FINAL, VOID)

# Four-eyes by profile. Onboarding (kyc) and border decisions are kept for years and a cleared false
# positive silences that hit for good: a second person confirms. Payment alerts hold a customer's money
# under a release deadline of minutes and are re-screened per payment, so the first analyst's decision
# stands; an institution whose policy says otherwise turns it on. Unknown profiles require approval.
DEFAULT_FOUR_EYES: Mapping[str, bool] = {"kyc": True, "border": True, "payments": False}
MIN_REASON = 3
MAX_TEXT = 4000


@dataclass(frozen=True)
class WorkflowSettings:
    four_eyes: Mapping[str, bool] = field(default_factory=lambda: dict(DEFAULT_FOUR_EYES))

    def requires_approval(self, profile: str) -> bool:
        return bool(self.four_eyes.get(profile, True))


@dataclass(frozen=True)
class DecisionInfo:
    id: int
    alert_id: int
    outcome: str
    reason: str
    status: str
    requires_approval: bool
    alert_status_before: str
    decided_by: str
    decided_key: str
    decided_role: str
    decided_at: str
    reviewed_by: str | None
    reviewed_key: str | None
    reviewed_at: str | None
    review_comment: str | None
    alert_status: str | None = None  # the alert's status after this decision (when read with it)
    goodguy_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "alert_id": self.alert_id,
            "outcome": self.outcome,
            "reason": self.reason,
            "status": self.status,
            "requires_approval": self.requires_approval,
            "decided_by": self.decided_by,
            "decided_key": self.decided_key,
            "decided_role": self.decided_role,
            "decided_at": self.decided_at,
            "reviewed_by": self.reviewed_by,
            "reviewed_key": self.reviewed_key,
            "reviewed_at": self.reviewed_at,
            "review_comment": self.review_comment,
            "alert_status": self.alert_status,
            "goodguy_id": self.goodguy_id,
        }


def decision_from_row(
    row: Any, alert_status: str | None = None, goodguy_id: int | None = None
) -> DecisionInfo:
    return DecisionInfo(
        id=row.id,
        alert_id=row.alert_id,
        outcome=row.outcome,
        reason=row.reason,
        status=row.status,
        requires_approval=bool(row.requires_approval),
        alert_status_before=row.alert_status_before,
        decided_by=row.decided_by,
        decided_key=row.decided_key,
        decided_role=row.decided_role,
        decided_at=row.decided_at,
        reviewed_by=row.reviewed_by,
        reviewed_key=row.reviewed_key,
        reviewed_at=row.reviewed_at,
        review_comment=row.review_comment,
        alert_status=alert_status,
        goodguy_id=goodguy_id,
    )


def check_outcome(outcome: str) -> str:
    cleaned = (outcome or "").strip().lower().replace("_", "-").replace(" ", "-")
    if cleaned not in OUTCOMES:
        raise InvalidInput(f"outcome: {outcome!r} is not one of {', '.join(OUTCOMES)}")
    return cleaned


def check_text(label: str, text: str | None, *, required: bool) -> str | None:
    cleaned = (text or "").strip()
    if not cleaned:
        if required:
            raise InvalidInput(f"{label}: required; say why")
        return None
    if required and len(cleaned) < MIN_REASON:
        raise InvalidInput(f"{label}: too short; say why")
    if len(cleaned) > MAX_TEXT:
        raise InvalidInput(f"{label}: {len(cleaned)} characters, more than the {MAX_TEXT} allowed")
    return cleaned


def _closed_status(outcome: str) -> str:
    return alert_states.CLOSED_TRUE_MATCH if outcome == TRUE_MATCH else alert_states.CLOSED_FALSE_POSITIVE


def _goodguy(
    conn: Connection, alert: alert_states.AlertInfo, decision_id: int, by: Principal, at: str
) -> int | None:
    """The good-guy record a confirmed false positive becomes (none without a customer or entry hash)."""
    if alert.customer_id is None or alert.entity_hash is None:
        return None
    goodguy_id = goodguys.create(
        conn,
        customer_id=alert.customer_id,
        fields_hash=alert.fields_hash,
        entity_id=alert.entity_id,
        entity_hash=alert.entity_hash,
        alert_id=alert.id,
        decision_id=decision_id,
        created_at=at,
        created_by=by.name,
    )
    audit.append(
        conn,
        by,
        "goodguy.create",
        f"goodguy:{goodguy_id}",
        {
            "customer_id": alert.customer_id,
            "fields_hash": alert.fields_hash,
            "entity_id": alert.entity_id,
            "entity_hash": alert.entity_hash,
            "alert_id": alert.id,
            "decision_id": decision_id,
        },
    )
    return goodguy_id


def decide(
    conn: Connection,
    settings: WorkflowSettings,
    principal: Principal,
    alert_id: int,
    outcome: str,
    reason: str,
) -> DecisionInfo:
    """Record a decision inside a write transaction; see the module docstring for the rules."""
    require(principal, DECIDE)
    if principal.key_id is None:
        # Decisions are a person's judgement: the local CLI operator must use their own key.
        raise PermissionDenied("deciding an alert needs the decider's own API key")
    outcome = check_outcome(outcome)
    reason_text = check_text("reason", reason, required=True)
    assert reason_text is not None
    alert = alert_states.get_alert(conn, alert_id)
    if alert.status == alert_states.ESCALATED:
        if not principal.can(APPROVE):
            raise PermissionDenied(
                f"alert {alert_id} is escalated: a supervisor decides it, not {principal.name} "
                f"(role {principal.role})"
            )
        if outcome == ESCALATE:
            raise Conflict(f"alert {alert_id} is already escalated")
    elif alert.status != alert_states.OPEN:
        raise Conflict(f"alert {alert_id} is {alert.status}: only open or escalated alerts can be decided")
    at = now()
    requires_approval = outcome != ESCALATE and settings.requires_approval(alert.profile)
    status = PENDING if requires_approval else FINAL
    if outcome == ESCALATE:
        alert_status = alert_states.ESCALATED
    elif requires_approval:
        alert_status = alert_states.PENDING_APPROVAL
    else:
        alert_status = _closed_status(outcome)
    decision_id = conn.execute(
        insert(decisions).values(
            alert_id=alert_id,
            outcome=outcome,
            reason=reason_text,
            status=status,
            requires_approval=requires_approval,
            alert_status_before=alert.status,
            decided_by=principal.name,
            decided_key=principal.key_id or "",
            decided_role=principal.role,
            decided_at=at,
        )
    ).inserted_primary_key[0]
    closing = alert_status in (alert_states.CLOSED_TRUE_MATCH, alert_states.CLOSED_FALSE_POSITIVE)
    conn.execute(
        update(alerts)
        .where(alerts.c.id == alert_id)
        .values(
            status=alert_status,
            updated_at=at,
            **({"active_key": None, "closed_at": at, "closed_reason": reason_text} if closing else {}),
        )
    )
    audit.append(
        conn,
        principal,
        "decision.record",
        f"decision:{decision_id}",
        {
            "alert_id": alert_id,
            "outcome": outcome,
            "reason": reason_text,
            "status": status,
            "alert_status": alert_status,
            "customer_id": alert.customer_id,
            "entity_id": alert.entity_id,
        },
    )
    goodguy_id = None
    if outcome == FALSE_POSITIVE and not requires_approval:
        goodguy_id = _goodguy(conn, alert, decision_id, principal, at)
    row = conn.execute(select(decisions).where(decisions.c.id == decision_id)).one()
    return decision_from_row(row, alert_status, goodguy_id)


def review(
    conn: Connection, principal: Principal, decision_id: int, approve: bool, comment: str | None
) -> DecisionInfo:
    """Confirm (`approve=True`) or reject a pending decision inside a write transaction."""
    require(principal, APPROVE)
    comment_text = check_text("comment", comment, required=not approve)
    row = conn.execute(select(decisions).where(decisions.c.id == decision_id)).first()
    if row is None:
        raise NotFound(f"no decision {decision_id}")
    if row.status != PENDING:
        raise Conflict(f"decision {decision_id} is {row.status}, not pending approval")
    if principal.key_id is None or principal.key_id == row.decided_key:
        raise PermissionDenied(
            f"four-eyes: decision {decision_id} must be reviewed with another person's key"
        )
    if person_key(principal.name) == person_key(row.decided_by):
        raise PermissionDenied(
            f"four-eyes: {principal.name} made decision {decision_id} and cannot review it; "
            "a second person must"
        )
    alert = alert_states.get_alert(conn, row.alert_id)
    if alert.status != alert_states.PENDING_APPROVAL:
        raise Conflict(f"alert {alert.id} is {alert.status}, not waiting for approval")
    at = now()
    status = APPROVED if approve else REJECTED
    alert_status = _closed_status(row.outcome) if approve else row.alert_status_before
    conn.execute(
        update(decisions)
        .where(decisions.c.id == decision_id)
        .values(
            status=status,
            reviewed_by=principal.name,
            reviewed_key=principal.key_id,
            reviewed_at=at,
            review_comment=comment_text,
        )
    )
    conn.execute(
        update(alerts)
        .where(alerts.c.id == alert.id)
        .values(
            status=alert_status,
            updated_at=at,
            **({"active_key": None, "closed_at": at, "closed_reason": row.reason} if approve else {}),
        )
    )
    audit.append(
        conn,
        principal,
        "decision.approve" if approve else "decision.reject",
        f"decision:{decision_id}",
        {
            "alert_id": alert.id,
            "outcome": row.outcome,
            "decided_by": row.decided_by,
            "decided_key": row.decided_key,
            "comment": comment_text,
            "alert_status": alert_status,
        },
    )
    goodguy_id = None
    if approve and row.outcome == FALSE_POSITIVE:
        goodguy_id = _goodguy(conn, alert, decision_id, principal, at)
    updated = conn.execute(select(decisions).where(decisions.c.id == decision_id)).one()
    return decision_from_row(updated, alert_status, goodguy_id)


def get_decision(conn: Connection, decision_id: int) -> DecisionInfo:
    row = conn.execute(
        select(decisions, alerts.c.status.label("alert_status"))
        .join(alerts, alerts.c.id == decisions.c.alert_id)
        .where(decisions.c.id == decision_id)
    ).first()
    if row is None:
        raise NotFound(f"no decision {decision_id}")
    return decision_from_row(row, row.alert_status)


def list_decisions(
    engine: Engine,
    *,
    status: str | None = None,
    alert_id: int | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int | None = 100,
    offset: int = 0,
) -> list[DecisionInfo]:
    query = (
        select(decisions, alerts.c.status.label("alert_status"))
        .join(alerts, alerts.c.id == decisions.c.alert_id)
        .order_by(decisions.c.id)
    )
    if status:
        if status not in STATUSES:
            raise InvalidInput(f"status: {status!r} is not one of {', '.join(STATUSES)}")
        query = query.where(decisions.c.status == status)
    if alert_id is not None:
        query = query.where(decisions.c.alert_id == alert_id)
    if since:
        query = query.where(decisions.c.decided_at >= since)
    if until:
        query = query.where(decisions.c.decided_at < until)
    if limit is not None:
        query = query.limit(limit)
    if offset:
        query = query.offset(offset)
    with engine.connect() as conn:
        return [decision_from_row(r, r.alert_status) for r in conn.execute(query)]
