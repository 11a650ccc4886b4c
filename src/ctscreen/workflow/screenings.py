"""Recording a screening: the customer, the result, and what became of each alerting hit.

Each hit at or above the threshold gets one disposition:

- `alert`: a new alert was raised;
- `open-alert`: the customer already has an active alert for this list entry on the same evidence (same
  customer fields, same entry content), which stays the one to work on;
- `auto-cleared`: an active good-guy record matches (customer, fields hash, entry, entry content hash);
- `confirmed-true-match`: this customer was already confirmed a true match of this entry on the same
  evidence;
- an active alert on *older* evidence is closed as `closed-superseded` and a new alert raised (`alert`).

Screenings without a customer raise an alert for every alerting hit; they have no good-guy records.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, insert, select, update

from ctscreen.matching import ENGINE_VERSION, ScreeningResult
from ctscreen.store.tables import active_lists, entities, list_versions
from ctscreen.store.workflow_tables import alerts, customers, screenings
from ctscreen.workflow import alerts as alert_states
from ctscreen.workflow import audit, goodguys
from ctscreen.workflow._db import dumps, loads, now
from ctscreen.workflow.keys import Principal

ALERT = "alert"
OPEN_ALERT = "open-alert"
AUTO_CLEARED = "auto-cleared"
CONFIRMED_TRUE_MATCH = "confirmed-true-match"


@dataclass
class ScreeningRecord:
    """A stored screening: the engine's result plus each hit's workflow disposition."""

    screening_id: int
    customer_id: str | None
    created_at: str
    fields_hash: str
    reason: str
    result: ScreeningResult
    dispositions: list[dict[str, Any] | None] = field(default_factory=list)  # one per hit

    @property
    def new_alerts(self) -> list[int]:
        return [d["alert_id"] for d in self.dispositions if d and d["disposition"] == ALERT]

    @property
    def auto_cleared(self) -> list[str]:
        return [
            h.entity_id
            for h, d in zip(self.result.hits, self.dispositions, strict=True)
            if d and d["disposition"] == AUTO_CLEARED
        ]

    def to_dict(self) -> dict[str, Any]:
        """The result's public shape (docs/screening-json.md) plus `screening_id`, `customer_id`,
        `created_at`, `workflow` (counts) and a `workflow` object on every hit (null below threshold)."""
        data = self.result.to_dict()
        for hit, disposition in zip(data["hits"], self.dispositions, strict=True):
            hit["workflow"] = disposition
        counts = {ALERT: 0, OPEN_ALERT: 0, AUTO_CLEARED: 0, CONFIRMED_TRUE_MATCH: 0}
        for disposition in self.dispositions:
            if disposition:
                counts[disposition["disposition"]] += 1
        return {
            "screening_id": self.screening_id,
            "customer_id": self.customer_id,
            "created_at": self.created_at,
            "reason": self.reason,
            "fields_hash": self.fields_hash,
            **data,
            "workflow": {
                "new_alerts": counts[ALERT],
                "open_alerts": counts[OPEN_ALERT],
                "auto_cleared": counts[AUTO_CLEARED],
                "confirmed_true_matches": counts[CONFIRMED_TRUE_MATCH],
            },
        }


def entity_evidence(conn: Connection, result: ScreeningResult) -> dict[str, tuple[int | None, str | None]]:
    """(list version, content hash) of each alerting hit's entry, in the version the screener held (or
    the active version, for a screener that does not say)."""
    refs: dict[str, list[str]] = defaultdict(list)
    for hit in result.hits:
        if hit.alert:
            refs[hit.source].append(hit.ref)
    found: dict[str, tuple[int | None, str | None]] = {}
    for source, source_refs in refs.items():
        query = (
            select(entities.c.ref, entities.c.content_hash, list_versions.c.version)
            .join(list_versions, list_versions.c.id == entities.c.version_id)
            .where(list_versions.c.source == source, entities.c.ref.in_(source_refs))
        )
        version = result.list_versions.get(source)
        if version is not None:
            query = query.where(list_versions.c.version == version)
        else:
            query = query.join(active_lists, active_lists.c.version_id == list_versions.c.id)
        for row in conn.execute(query):
            found[f"{source}:{row.ref}"] = (row.version, row.content_hash)
    return found


def _upsert_customer(
    conn: Connection,
    actor: Principal,
    customer_id: str,
    fields: dict[str, str],
    fields_hash: str,
    profile: str,
    threshold: float | None,
    at: str,
) -> None:
    row = conn.execute(
        select(customers.c.fields_hash, customers.c.profile, customers.c.threshold).where(
            customers.c.customer_id == customer_id
        )
    ).first()
    values = {"fields": dumps(fields), "fields_hash": fields_hash, "profile": profile, "threshold": threshold}
    if row is None:
        conn.execute(
            insert(customers).values(customer_id=customer_id, created_at=at, updated_at=at, **values)
        )
        audit.append(
            conn,
            actor,
            "customer.create",
            f"customer:{customer_id}",
            {"fields_hash": fields_hash, "profile": profile, "threshold": threshold},
        )
        return
    if (row.fields_hash, row.profile, row.threshold) != (fields_hash, profile, threshold):
        conn.execute(
            update(customers).where(customers.c.customer_id == customer_id).values(updated_at=at, **values)
        )
        audit.append(
            conn,
            actor,
            "customer.update",
            f"customer:{customer_id}",
            {
                "fields_hash": fields_hash,
                "previous_fields_hash": row.fields_hash,
                "profile": profile,
                "threshold": threshold,
            },
        )


def record_screening(
    conn: Connection,
    *,
    actor: Principal,
    customer_id: str | None,
    fields: dict[str, str],
    fields_hash: str,
    result: ScreeningResult,
    threshold: float | None,
    reason: str,
) -> ScreeningRecord:
    """Store one screening and its alerts inside the caller's write transaction."""
    at = now()
    profile = result.profile.name
    if customer_id is not None:
        _upsert_customer(conn, actor, customer_id, fields, fields_hash, profile, threshold, at)
    screening_id = int(
        conn.execute(
            insert(screenings).values(
                customer_id=customer_id,
                fields=dumps(fields),
                fields_hash=fields_hash,
                profile=profile,
                threshold=result.profile.threshold,
                engine_version=ENGINE_VERSION,
                list_versions=dumps(result.list_versions),
                hits=len(result.hits),
                alerts=0,
                auto_cleared=0,
                result="{}",
                reason=reason,
                actor=actor.name,
                actor_key=actor.key_id,
                created_at=at,
            )
        ).inserted_primary_key[0]
    )
    audit.append(
        conn,
        actor,
        "screening",
        f"screening:{screening_id}",
        {
            "customer_id": customer_id,
            "fields_hash": fields_hash,
            "reason": reason,
            "profile": profile,
            "threshold": result.profile.threshold,
            "engine_version": ENGINE_VERSION,
            "list_versions": result.list_versions,
            "hits": [[h.entity_id, h.score, h.alert] for h in result.hits],
        },
    )
    record = ScreeningRecord(screening_id, customer_id, at, fields_hash, reason, result)
    evidence = entity_evidence(conn, result)
    for hit in result.hits:
        if not hit.alert:
            record.dispositions.append(None)
            continue
        version, entity_hash = evidence.get(hit.entity_id, (result.list_versions.get(hit.source), None))
        record.dispositions.append(_dispose(conn, actor, record, hit, version, entity_hash, at))
    conn.execute(
        update(screenings)
        .where(screenings.c.id == screening_id)
        .values(
            alerts=len(record.new_alerts),
            auto_cleared=len(record.auto_cleared),
            result=dumps(record.to_dict()),
        )
    )
    if customer_id is not None:
        conn.execute(
            update(customers)
            .where(customers.c.customer_id == customer_id)
            .values(last_screening_id=screening_id, last_screened_at=at)
        )
    return record


def _dispose(
    conn: Connection,
    actor: Principal,
    record: ScreeningRecord,
    hit: Any,
    version: int | None,
    entity_hash: str | None,
    at: str,
) -> dict[str, Any]:
    customer_id, fields_hash = record.customer_id, record.fields_hash
    if customer_id is not None and entity_hash is not None:
        goodguy_id = goodguys.find_active(conn, customer_id, fields_hash, hit.entity_id, entity_hash)
        if goodguy_id is not None:
            audit.append(
                conn,
                actor,
                "alert.auto_clear",
                f"screening:{record.screening_id}",
                {
                    "customer_id": customer_id,
                    "entity_id": hit.entity_id,
                    "entity_hash": entity_hash,
                    "fields_hash": fields_hash,
                    "score": hit.score,
                    "goodguy_id": goodguy_id,
                },
            )
            return {"disposition": AUTO_CLEARED, "goodguy_id": goodguy_id}
        confirmed = conn.execute(
            select(alerts.c.id)
            .where(
                alerts.c.customer_id == customer_id,
                alerts.c.entity_id == hit.entity_id,
                alerts.c.status == alert_states.CLOSED_TRUE_MATCH,
                alerts.c.fields_hash == fields_hash,
                alerts.c.entity_hash == entity_hash,
            )
            .order_by(alerts.c.id.desc())
            .limit(1)
        ).scalar()
        if confirmed is not None:
            return {"disposition": CONFIRMED_TRUE_MATCH, "alert_id": confirmed}
    if customer_id is not None:
        row = conn.execute(
            select(alerts).where(alerts.c.active_key == alert_states.active_key(customer_id, hit.entity_id))
        ).first()
        if row is not None:
            active = alert_states.alert_from_row(row)
            if active.fields_hash == fields_hash and active.entity_hash == entity_hash:
                return {"disposition": OPEN_ALERT, "alert_id": active.id}
            changed = []
            if active.fields_hash != fields_hash:
                changed.append("the customer's fields changed")
            if active.entity_hash != entity_hash:
                changed.append(f"the list entry changed ({hit.source} v{version})")
            alert_states.close_alert(
                conn,
                active,
                alert_states.CLOSED_SUPERSEDED,
                f"superseded by screening {record.screening_id}: {' and '.join(changed)}",
                actor,
            )
    result = record.result
    alert_id = int(
        conn.execute(
            insert(alerts).values(
                screening_id=record.screening_id,
                customer_id=customer_id,
                fields_hash=fields_hash,
                entity_id=hit.entity_id,
                source=hit.source,
                ref=hit.ref,
                list_version=version,
                entity_hash=entity_hash,
                entity_name=hit.name,
                matched_name=hit.matched_name,
                score=hit.score,
                threshold=result.profile.threshold,
                explanation=dumps(hit.to_dict()),
                list_versions=dumps(result.list_versions),
                engine_version=ENGINE_VERSION,
                profile=result.profile.name,
                status=alert_states.OPEN,
                active_key=alert_states.active_key(customer_id, hit.entity_id),
                created_at=at,
                updated_at=at,
            )
        ).inserted_primary_key[0]
    )
    audit.append(
        conn,
        actor,
        "alert.create",
        f"alert:{alert_id}",
        {
            "screening_id": record.screening_id,
            "customer_id": customer_id,
            "entity_id": hit.entity_id,
            "list_version": version,
            "entity_hash": entity_hash,
            "fields_hash": fields_hash,
            "score": hit.score,
            "threshold": result.profile.threshold,
            "profile": result.profile.name,
            "engine_version": ENGINE_VERSION,
            "list_versions": result.list_versions,
        },
    )
    return {"disposition": ALERT, "alert_id": alert_id}


def get_screening(conn: Connection, screening_id: int) -> dict[str, Any] | None:
    row = conn.execute(select(screenings.c.result).where(screenings.c.id == screening_id)).first()
    return None if row is None else loads(row.result)
