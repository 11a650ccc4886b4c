"""Good-guy records: confirmed false positives, bound to exactly what was compared.

The key is (customer_id, sha256 of the customer's screened fields, entity_id, the list entry's content hash).
A later screening whose alerting hit has the same key is cleared automatically (and says so, in the
screening result and the audit log); when the customer's fields or the entry's content change, the key no
longer matches and the hit becomes an alert again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update

from ctscreen.store.workflow_tables import goodguys


@dataclass(frozen=True)
class GoodGuyInfo:
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

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "customer_id": self.customer_id,
            "fields_hash": self.fields_hash,
            "entity_id": self.entity_id,
            "entity_hash": self.entity_hash,
            "alert_id": self.alert_id,
            "decision_id": self.decision_id,
            "created_at": self.created_at,
            "created_by": self.created_by,
            "active": self.active,
        }


def _from_row(row: Any) -> GoodGuyInfo:
    return GoodGuyInfo(
        id=row.id,
        customer_id=row.customer_id,
        fields_hash=row.fields_hash,
        entity_id=row.entity_id,
        entity_hash=row.entity_hash,
        alert_id=row.alert_id,
        decision_id=row.decision_id,
        created_at=row.created_at,
        created_by=row.created_by,
        active=bool(row.active),
    )


def find_active(
    conn: Connection, customer_id: str, fields_hash: str, entity_id: str, entity_hash: str
) -> int | None:
    return conn.execute(
        select(goodguys.c.id).where(
            goodguys.c.customer_id == customer_id,
            goodguys.c.fields_hash == fields_hash,
            goodguys.c.entity_id == entity_id,
            goodguys.c.entity_hash == entity_hash,
            goodguys.c.active.is_(True),
        )
    ).scalar()


def create(
    conn: Connection,
    *,
    customer_id: str,
    fields_hash: str,
    entity_id: str,
    entity_hash: str,
    alert_id: int,
    decision_id: int,
    created_at: str,
    created_by: str,
) -> int:
    """A new good-guy record, or the id of the one with the same key (deciding twice adds nothing)."""
    existing = conn.execute(
        select(goodguys.c.id).where(
            goodguys.c.customer_id == customer_id,
            goodguys.c.fields_hash == fields_hash,
            goodguys.c.entity_id == entity_id,
            goodguys.c.entity_hash == entity_hash,
        )
    ).scalar()
    if existing is not None:
        conn.execute(update(goodguys).where(goodguys.c.id == existing).values(active=True))
        return int(existing)
    return int(
        conn.execute(
            insert(goodguys).values(
                customer_id=customer_id,
                fields_hash=fields_hash,
                entity_id=entity_id,
                entity_hash=entity_hash,
                alert_id=alert_id,
                decision_id=decision_id,
                created_at=created_at,
                created_by=created_by,
                active=True,
            )
        ).inserted_primary_key[0]
    )


def list_goodguys(
    engine: Engine, *, customer_id: str | None = None, limit: int | None = None
) -> list[GoodGuyInfo]:
    query = select(goodguys).order_by(goodguys.c.id)
    if customer_id:
        query = query.where(goodguys.c.customer_id == customer_id)
    if limit is not None:
        query = query.limit(limit)
    with engine.connect() as conn:
        return [_from_row(r) for r in conn.execute(query)]
