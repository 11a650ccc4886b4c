"""Transactions and encoding shared by the workflow modules.

Every change the workflow makes runs in `write_transaction`, which first takes the one writer lock: on
PostgreSQL a row lock on the audit chain head (`SELECT ... FOR UPDATE`), on SQLite `BEGIN IMMEDIATE` (the
database's single write lock). Writers are therefore serialised: checks ("is this alert still open?") and
the writes that follow them see the same state, and audit records are appended in one order, so the hash
chain cannot fork. Screening itself (the expensive part) runs before the transaction.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, select

from ctscreen.errors import StoreError
from ctscreen.model import canonical_json
from ctscreen.store.workflow_tables import audit_head


def now() -> str:
    """The current UTC time, ISO-8601 with milliseconds."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def dumps(data: Any) -> str:
    """Canonical JSON: sorted keys, no spaces, UTF-8 kept; the same text on every database."""
    return canonical_json(data)


def loads(text: str | None) -> Any:
    return json.loads(text) if text else None


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction holding the workflow's writer lock; committed on success, rolled back on error."""
    with engine.connect() as conn:
        dialect = conn.dialect.name
        if dialect == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        elif dialect == "postgresql":
            head = conn.execute(
                select(audit_head.c.seq).where(audit_head.c.id == 1).with_for_update()
            ).first()
            if head is None:
                raise StoreError("the audit chain head row is missing: the audit log has been tampered with")
        else:
            raise StoreError(f"database backend {dialect!r} is not supported (SQLite or PostgreSQL)")
        try:
            yield conn
        except BaseException:
            conn.rollback()
            raise
        conn.commit()
