"""CSV exports of alerts and decisions for auditors.

One row per alert (with its latest decision) or per decision (with its alert's evidence): ids, times,
actors and their key ids, reasons, the list entry and content hash, score, threshold, profile, engine and
list versions. A cell that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or
carriage return) is prefixed with `'`, so an exported name or reason can never execute in the auditor's
spreadsheet. Each export is itself audited (who exported what, how many rows).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any, TextIO

from sqlalchemy import Engine, select

from ctscreen.store.workflow_tables import alerts, decisions
from ctscreen.workflow import audit
from ctscreen.workflow._db import dumps, write_transaction
from ctscreen.workflow.alerts import AlertInfo, alert_from_row, list_alerts
from ctscreen.workflow.decisions import decision_from_row, list_decisions
from ctscreen.workflow.keys import Principal

ALERT_COLUMNS = (
    "alert_id",
    "status",
    "created_at",
    "updated_at",
    "closed_at",
    "closed_reason",
    "customer_id",
    "screening_id",
    "profile",
    "score",
    "threshold",
    "entity_id",
    "source",
    "ref",
    "list_version",
    "entity_hash",
    "listed_name",
    "matched_name",
    "fields_hash",
    "engine_version",
    "list_versions",
    "decisions",
    "last_outcome",
    "last_reason",
    "decided_by",
    "decided_key",
    "decided_at",
    "decision_status",
    "reviewed_by",
    "reviewed_key",
    "reviewed_at",
    "review_comment",
)
DECISION_COLUMNS = (
    "decision_id",
    "alert_id",
    "outcome",
    "reason",
    "status",
    "requires_approval",
    "decided_by",
    "decided_key",
    "decided_role",
    "decided_at",
    "reviewed_by",
    "reviewed_key",
    "reviewed_at",
    "review_comment",
    "alert_status",
    "customer_id",
    "entity_id",
    "list_version",
    "entity_hash",
    "score",
    "threshold",
    "profile",
    "engine_version",
    "list_versions",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PAGE = 1000


def safe_cell(value: Any) -> str:
    """A CSV cell: JSON for structures, '' for None, and formula-looking text defused."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        value = dumps(value)
    text = str(value)
    if isinstance(value, str) and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def _alert_pages(engine: Engine, filters: dict[str, Any]) -> Iterator[list[AlertInfo]]:
    offset = 0
    while True:
        page = list_alerts(engine, **filters, limit=_PAGE, offset=offset)
        if not page:
            return
        yield page
        offset += len(page)


def export_alerts(engine: Engine, out: TextIO, *, actor: Principal, **filters: Any) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ALERT_COLUMNS)
    rows = 0
    for page in _alert_pages(engine, filters):
        with engine.connect() as conn:
            found = conn.execute(
                select(decisions)
                .where(decisions.c.alert_id.in_([a.id for a in page]))
                .order_by(decisions.c.id)
            ).all()
        by_alert: dict[int, list[Any]] = {}
        for row in found:
            by_alert.setdefault(row.alert_id, []).append(decision_from_row(row))
        for alert in page:
            history = by_alert.get(alert.id, [])
            last = history[-1] if history else None
            record = {
                "alert_id": alert.id,
                "status": alert.status,
                "created_at": alert.created_at,
                "updated_at": alert.updated_at,
                "closed_at": alert.closed_at,
                "closed_reason": alert.closed_reason,
                "customer_id": alert.customer_id,
                "screening_id": alert.screening_id,
                "profile": alert.profile,
                "score": alert.score,
                "threshold": alert.threshold,
                "entity_id": alert.entity_id,
                "source": alert.source,
                "ref": alert.ref,
                "list_version": alert.list_version,
                "entity_hash": alert.entity_hash,
                "listed_name": alert.entity_name,
                "matched_name": alert.matched_name,
                "fields_hash": alert.fields_hash,
                "engine_version": alert.engine_version,
                "list_versions": alert.list_versions,
                "decisions": len(history),
                "last_outcome": last and last.outcome,
                "last_reason": last and last.reason,
                "decided_by": last and last.decided_by,
                "decided_key": last and last.decided_key,
                "decided_at": last and last.decided_at,
                "decision_status": last and last.status,
                "reviewed_by": last and last.reviewed_by,
                "reviewed_key": last and last.reviewed_key,
                "reviewed_at": last and last.reviewed_at,
                "review_comment": last and last.review_comment,
            }
            writer.writerow([safe_cell(record[c]) for c in ALERT_COLUMNS])
            rows += 1
    _audit_export(engine, actor, "alerts", filters, rows)
    return rows


def export_decisions(engine: Engine, out: TextIO, *, actor: Principal, **filters: Any) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(DECISION_COLUMNS)
    rows, offset = 0, 0
    while True:
        page = list_decisions(engine, **filters, limit=_PAGE, offset=offset)
        if not page:
            break
        offset += len(page)
        alert_ids = sorted({d.alert_id for d in page})
        by_id = {
            a.id: a
            for start in range(0, len(alert_ids), 500)
            for a in _alerts_by_id(engine, alert_ids[start : start + 500])
        }
        for decision in page:
            alert = by_id[decision.alert_id]
            record = {
                "decision_id": decision.id,
                "alert_id": decision.alert_id,
                "outcome": decision.outcome,
                "reason": decision.reason,
                "status": decision.status,
                "requires_approval": decision.requires_approval,
                "decided_by": decision.decided_by,
                "decided_key": decision.decided_key,
                "decided_role": decision.decided_role,
                "decided_at": decision.decided_at,
                "reviewed_by": decision.reviewed_by,
                "reviewed_key": decision.reviewed_key,
                "reviewed_at": decision.reviewed_at,
                "review_comment": decision.review_comment,
                "alert_status": alert.status,
                "customer_id": alert.customer_id,
                "entity_id": alert.entity_id,
                "list_version": alert.list_version,
                "entity_hash": alert.entity_hash,
                "score": alert.score,
                "threshold": alert.threshold,
                "profile": alert.profile,
                "engine_version": alert.engine_version,
                "list_versions": alert.list_versions,
            }
            writer.writerow([safe_cell(record[c]) for c in DECISION_COLUMNS])
            rows += 1
    _audit_export(engine, actor, "decisions", filters, rows)
    return rows


def _alerts_by_id(engine: Engine, ids: list[int]) -> list[AlertInfo]:
    with engine.connect() as conn:
        return [alert_from_row(r) for r in conn.execute(select(alerts).where(alerts.c.id.in_(ids)))]


def _audit_export(engine: Engine, actor: Principal, kind: str, filters: dict[str, Any], rows: int) -> None:
    with write_transaction(engine) as conn:
        audit.append(conn, actor, "export", f"export:{kind}", {"filters": filters, "rows": rows})
