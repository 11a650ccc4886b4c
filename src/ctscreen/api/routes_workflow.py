"""Customers, screenings, alerts, decisions (four-eyes), good-guy records, keys, audit, re-screening and
exports: each route authenticates, checks the role and calls one `Workflow` method (docs/workflow.md),
which checks the finer rules itself (four-eyes, state) and raises errors that carry their HTTP status."""

from __future__ import annotations

import io
from typing import Any

from fastapi import APIRouter, Path, Request
from fastapi import Query as QueryParam
from fastapi.responses import JSONResponse, Response

from ctscreen.api.auth import (
    CanApprove,
    CanAudit,
    CanDecide,
    CanExport,
    CanManageKeys,
    CanRead,
    CanRescreen,
    CanScreen,
)
from ctscreen.api.errors import documented
from ctscreen.api.schemas import (
    NO_CONTROLS,
    AlertWithDecisions,
    AuditRecord,
    AuditVerification,
    Customer,
    CustomerScreenRequest,
    DecideRequest,
    Decision,
    GoodGuy,
    Key,
    KeyCreated,
    KeyRequest,
    RescreenRequest,
    ReviewRequest,
    ScreeningResult,
)
from ctscreen.api.schemas import Alert as AlertModel
from ctscreen.api.state import services
from ctscreen.workflow import Principal

router = APIRouter()

MAX_INT = 2_147_483_647  # ids are 32-bit integer columns on PostgreSQL
# Factories, not shared objects: FastAPI binds a parameter's FieldInfo to the first name it is used for.


def id_path() -> Any:
    return Path(ge=1, le=MAX_INT)


def customer_path() -> Any:
    return Path(min_length=1, max_length=100, pattern=NO_CONTROLS, description="Your customer id.")


def limit_param() -> Any:
    return QueryParam(100, ge=1, le=1000)


def offset_param() -> Any:
    return QueryParam(0, ge=0, le=MAX_INT)


def _text(description: str, max_length: int = 200) -> Any:
    return QueryParam(None, max_length=max_length, pattern=NO_CONTROLS, description=description)


def _json(data: Any, status_code: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status_code)


# -- customers and screenings ----------------------------------------------------------------------------


@router.post(
    "/customers/{customer_id}/screen",
    response_model=ScreeningResult,
    responses=documented(503),
    tags=["customers"],
    summary="Screen a customer (recorded)",
    description="Stores the customer's fields, profile and threshold and screens them: alerting hits become "
    "alerts unless a good-guy record clears them or an alert on the same evidence is open.",
)
def screen_customer(
    request: Request,
    principal: CanScreen,
    body: CustomerScreenRequest,
    customer_id: str = customer_path(),
) -> Any:
    svc = services(request)
    screener = svc.holder.get()
    record = svc.workflow.screen_customer(
        principal, customer_id, body.query_fields(), screener, body.profile, threshold=body.threshold
    )
    data = record.to_dict()
    svc.metrics.alerts_raised.labels(body.profile).inc(data["workflow"]["new_alerts"])
    svc.metrics.screenings.labels("customer", body.profile, str(data["alert"]).lower()).inc()
    return _json(data)


@router.post(
    "/customers/{customer_id}/rescreen",
    response_model=ScreeningResult,
    responses=documented(503),
    tags=["customers"],
    summary="Screen a stored customer again with their stored fields",
)
def rescreen_customer(request: Request, principal: CanScreen, customer_id: str = customer_path()) -> Any:
    svc = services(request)
    record = svc.workflow.rescreen_customer(principal, customer_id, svc.holder.get())
    data = record.to_dict()
    svc.metrics.alerts_raised.labels(data["profile"]).inc(data["workflow"]["new_alerts"])
    return _json(data)


@router.get("/customers", response_model=list[Customer], tags=["customers"], summary="Stored customers")
def list_customers(
    request: Request,
    principal: CanRead,
    limit: int = limit_param(),
    offset: int = offset_param(),
) -> Any:
    found = services(request).workflow.list_customers(principal, limit=limit, offset=offset)
    return _json([c.to_dict() for c in found])


@router.get("/customers/{customer_id}", response_model=Customer, tags=["customers"], summary="One customer")
def get_customer(request: Request, principal: CanRead, customer_id: str = customer_path()) -> Any:
    return _json(services(request).workflow.get_customer(principal, customer_id).to_dict())


@router.get(
    "/screenings/{screening_id}",
    response_model=ScreeningResult,
    tags=["customers"],
    summary="A recorded screening, as it was answered",
)
def get_screening(request: Request, principal: CanRead, screening_id: int = id_path()) -> Any:
    return _json(services(request).workflow.get_screening(principal, screening_id))


@router.get("/goodguys", response_model=list[GoodGuy], tags=["customers"], summary="Good-guy records")
def list_goodguys(
    request: Request,
    principal: CanRead,
    customer_id: str | None = _text("Only this customer's.", 100),
) -> Any:
    found = services(request).workflow.list_goodguys(principal, customer_id=customer_id)
    return _json([g.to_dict() for g in found])


# -- alerts and decisions --------------------------------------------------------------------------------


@router.get(
    "/alerts",
    response_model=list[AlertModel],
    tags=["alerts"],
    summary="Alerts, oldest first",
    description="`status=active` is the analysts' queue (open, pending approval, escalated); several "
    "statuses may be given comma-separated.",
)
def list_alerts(
    request: Request,
    principal: CanRead,
    status: str | None = _text("A status, several comma-separated, or `active`."),
    customer_id: str | None = _text("Only this customer's.", 100),
    entity_id: str | None = _text("Only alerts on this list entry (`source:ref`)."),
    source: str | None = _text("Only alerts on this list.", 40),
    profile: str | None = _text("Only this profile's.", 40),
    screening_id: int | None = QueryParam(None, ge=1, le=MAX_INT),
    since: str | None = _text("Created at or after (ISO 8601 UTC).", 40),
    until: str | None = _text("Created before (ISO 8601 UTC).", 40),
    limit: int = limit_param(),
    offset: int = offset_param(),
) -> Any:
    statuses = [s.strip() for s in status.split(",") if s.strip()] if status else None
    found = services(request).workflow.list_alerts(
        principal,
        status=statuses,
        customer_id=customer_id,
        entity_id=entity_id,
        source=source,
        profile=profile,
        screening_id=screening_id,
        since=since,
        until=until,
        limit=limit,
        offset=offset,
    )
    return _json([a.to_dict() for a in found])


@router.get(
    "/alerts/{alert_id}",
    response_model=AlertWithDecisions,
    tags=["alerts"],
    summary="One alert with its evidence and decisions",
)
def get_alert(request: Request, principal: CanRead, alert_id: int = id_path()) -> Any:
    workflow = services(request).workflow
    alert = workflow.get_alert(principal, alert_id)
    history = workflow.list_decisions(principal, alert_id=alert_id, limit=None)
    return _json(alert.to_dict() | {"decisions": [d.to_dict() for d in history]})


@router.post(
    "/alerts/{alert_id}/decisions",
    response_model=Decision,
    status_code=201,
    tags=["alerts"],
    summary="Decide an alert: true-match, false-positive or escalate",
    description="Under four-eyes (per profile) a true match or false positive waits for a supervisor's "
    "approval by a different person. Only a role with `approve` decides an escalated alert.",
)
def decide(
    request: Request,
    principal: CanDecide,
    body: DecideRequest,
    alert_id: int = id_path(),
) -> Any:
    svc = services(request)
    decision = svc.workflow.decide(principal, alert_id, body.outcome, body.reason)
    svc.metrics.decisions.labels(body.outcome).inc()
    return _json(decision.to_dict(), 201)


@router.get(
    "/decisions", response_model=list[Decision], tags=["decisions"], summary="Decisions, oldest first"
)
def list_decisions(
    request: Request,
    principal: CanRead,
    status: str | None = _text("pending-approval, approved, rejected, final or void.", 40),
    alert_id: int | None = QueryParam(None, ge=1, le=MAX_INT),
    since: str | None = _text("Decided at or after (ISO 8601 UTC).", 40),
    until: str | None = _text("Decided before (ISO 8601 UTC).", 40),
    limit: int = limit_param(),
    offset: int = offset_param(),
) -> Any:
    found = services(request).workflow.list_decisions(
        principal, status=status, alert_id=alert_id, since=since, until=until, limit=limit, offset=offset
    )
    return _json([d.to_dict() for d in found])


@router.get(
    "/decisions/pending",
    response_model=list[Decision],
    tags=["decisions"],
    summary="Decisions waiting for approval (supervisors)",
)
def pending(request: Request, principal: CanApprove, limit: int = limit_param()) -> Any:
    found = services(request).workflow.pending_approvals(principal, limit=limit)
    return _json([d.to_dict() for d in found])


@router.get("/decisions/{decision_id}", response_model=Decision, tags=["decisions"], summary="One decision")
def get_decision(request: Request, principal: CanRead, decision_id: int = id_path()) -> Any:
    return _json(services(request).workflow.get_decision(principal, decision_id).to_dict())


def _review(
    request: Request, principal: Principal, decision_id: int, approve: bool, comment: str | None
) -> Any:
    svc = services(request)
    decision = svc.workflow.approve(principal, decision_id, approve=approve, comment=comment)
    svc.metrics.reviews.labels("approved" if approve else "rejected").inc()
    return _json(decision.to_dict())


@router.post(
    "/decisions/{decision_id}/approve",
    response_model=Decision,
    tags=["decisions"],
    summary="Approve another person's decision (four-eyes)",
)
def approve(
    request: Request,
    principal: CanApprove,
    body: ReviewRequest | None = None,
    decision_id: int = id_path(),
) -> Any:
    return _review(request, principal, decision_id, True, body.comment if body else None)


@router.post(
    "/decisions/{decision_id}/reject",
    response_model=Decision,
    tags=["decisions"],
    summary="Reject another person's decision (a comment is required)",
)
def reject(
    request: Request,
    principal: CanApprove,
    body: ReviewRequest,
    decision_id: int = id_path(),
) -> Any:
    return _review(request, principal, decision_id, False, body.comment)


# -- keys (admins) ---------------------------------------------------------------------------------------


@router.get("/keys", response_model=list[Key], tags=["keys"], summary="API keys (never their secrets)")
def list_keys(
    request: Request,
    principal: CanManageKeys,
    include_revoked: bool = QueryParam(True),
) -> Any:
    found = services(request).workflow.list_keys(principal, include_revoked=include_revoked)
    return _json([k.to_dict() for k in found])


@router.post(
    "/keys",
    response_model=KeyCreated,
    status_code=201,
    tags=["keys"],
    summary="Create a key; its token is in this answer only",
)
def create_key(request: Request, principal: CanManageKeys, body: KeyRequest) -> Any:
    info, token = services(request).workflow.create_key(principal, body.name, body.role)
    return _json(info.to_dict() | {"token": token}, 201)


@router.post(
    "/keys/{key_id}/revoke",
    response_model=Key,
    tags=["keys"],
    summary="Revoke a key (final)",
)
def revoke_key(
    request: Request,
    principal: CanManageKeys,
    key_id: str = Path(pattern=r"^[0-9a-f]{12}$", description="The key id (12 hex characters)."),
) -> Any:
    return _json(services(request).workflow.revoke_key(principal, key_id).to_dict())


# -- audit, re-screening, exports ------------------------------------------------------------------------


@router.get("/audit", response_model=list[AuditRecord], tags=["audit"], summary="Audit log records")
def audit_records(
    request: Request,
    principal: CanAudit,
    after_seq: int = QueryParam(0, ge=0, le=MAX_INT),
    limit: int = limit_param(),
    subject: str | None = _text("Only records about this subject (`alert:12`, `key:<id>` ...)."),
    newest_first: bool = QueryParam(False),
) -> Any:
    found = services(request).workflow.audit_records(
        principal, after_seq=after_seq, limit=limit, subject=subject, newest_first=newest_first
    )
    return _json([r.to_dict() for r in found])


@router.get(
    "/audit/verify",
    response_model=AuditVerification,
    tags=["audit"],
    summary="Walk the hash chain of the audit log",
)
def audit_verify(request: Request, principal: CanAudit) -> Any:
    return _json(services(request).workflow.verify_audit(principal).to_dict())


@router.post(
    "/rescreen",
    response_model=list[dict[str, Any]],
    responses=documented(503),
    tags=["lists"],
    summary="Delta re-screening for list activations not yet re-screened (admin)",
)
def rescreen(request: Request, principal: CanRescreen, body: RescreenRequest | None = None) -> Any:
    svc = services(request)
    body = body or RescreenRequest()
    reports = svc.workflow.rescreen(svc.holder.get(), sources=body.sources, force=body.force, actor=principal)
    return _json([r.to_dict() for r in reports])


_CSV = {200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "CSV"}}


@router.get(
    "/exports/{what}",
    response_class=Response,
    responses=_CSV,
    tags=["audit"],
    summary="CSV for auditors: alerts (with their latest decision) or decisions",
)
def export(
    request: Request,
    principal: CanExport,
    what: str = Path(pattern="^(alerts|decisions)$", description="alerts | decisions"),
    status: str | None = _text("Only this status.", 40),
    since: str | None = _text("From (ISO 8601 UTC).", 40),
    until: str | None = _text("Before (ISO 8601 UTC).", 40),
) -> Response:
    workflow = services(request).workflow
    method = workflow.export_alerts_csv if what == "alerts" else workflow.export_decisions_csv
    out = io.StringIO()
    method(principal, out, status=status, since=since, until=until)
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="ctscreen-{what}.csv"'},
    )
