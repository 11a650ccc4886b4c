"""The append-only, hash-chained audit log.

Each record holds a sequence number, the UTC time, the actor (name and key id), an action, a subject and a
JSON payload, plus the hash of the previous record and its own hash:

    hash = sha256(prev_hash + canonical_json([seq, at, actor, actor_key, action, subject, payload]))

where `payload` is the stored canonical JSON text. The first record's prev_hash is 64 zeros. A head row holds
the last sequence number and hash; appends lock it (inside the caller's write transaction), so concurrent
writers cannot fork the chain. `verify` walks the chain and names the first record that was edited,
deleted or reordered, and compares the end of the chain with the head row, which catches records cut off
the end. Anyone who can rewrite the whole table and the head row can forge a consistent chain: record the
head hash (`ctscreen audit verify` prints it) somewhere the database's administrators cannot write, and
compare it later.

Payloads name records by id and hash (customer fields hash, entity content hash) rather than copying
personal data, so the log never has to be edited to honour an erasure of a customer's data elsewhere.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, insert, select, update

from ctscreen.errors import StoreError
from ctscreen.model import canonical_json
from ctscreen.store.workflow_tables import GENESIS_HASH, audit_head, audit_log
from ctscreen.workflow._db import dumps, loads, now, write_transaction

if TYPE_CHECKING:
    from ctscreen.workflow.keys import Principal

LIST_ACTIONS = {"import": "list.import", "activate": "list.activate"}


def record_hash(
    prev_hash: str,
    seq: int,
    at: str,
    actor: str,
    actor_key: str | None,
    action: str,
    subject: str,
    payload: str,
) -> str:
    body = canonical_json([seq, at, actor, actor_key, action, subject, payload])
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class AuditRecord:
    seq: int
    at: str
    actor: str
    actor_key: str | None
    action: str
    subject: str
    payload: dict[str, Any]
    prev_hash: str
    hash: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": self.at,
            "actor": self.actor,
            "actor_key": self.actor_key,
            "action": self.action,
            "subject": self.subject,
            "payload": self.payload,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }


def append(conn: Connection, actor: Principal, action: str, subject: str, payload: dict[str, Any]) -> int:
    """Append one record inside the caller's write transaction (`_db.write_transaction`); returns its seq."""
    head = conn.execute(select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1)).first()
    if head is None:
        raise StoreError("the audit chain head row is missing: the audit log has been tampered with")
    seq, at, text = head.seq + 1, now(), dumps(payload)
    digest = record_hash(head.hash, seq, at, actor.name, actor.key_id, action, subject, text)
    conn.execute(
        insert(audit_log).values(
            seq=seq,
            at=at,
            actor=actor.name,
            actor_key=actor.key_id,
            action=action,
            subject=subject,
            payload=text,
            prev_hash=head.hash,
            hash=digest,
        )
    )
    conn.execute(update(audit_head).where(audit_head.c.id == 1).values(seq=seq, hash=digest, updated_at=at))
    return seq


def audit_list_event(
    engine: Engine,
    action: str,
    source: str,
    version: int,
    *,
    actor: Principal,
    detail: dict[str, Any] | None = None,
) -> int:
    """Record a list import or activation (`action`: "import" or "activate"); returns the record's seq.

    For the importer and `lists activate`: `detail` may carry the file sha256, counts, the previous version.
    """
    if action not in LIST_ACTIONS:
        raise ValueError(f"action: {action!r} is not one of {', '.join(LIST_ACTIONS)}")
    with write_transaction(engine) as conn:
        return append(
            conn,
            actor,
            LIST_ACTIONS[action],
            f"list:{source}:v{version}",
            {"source": source, "version": version, **(detail or {})},
        )


def _record(row: Any) -> AuditRecord:
    return AuditRecord(
        seq=row.seq,
        at=row.at,
        actor=row.actor,
        actor_key=row.actor_key,
        action=row.action,
        subject=row.subject,
        payload=loads(row.payload),
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


def records(
    engine: Engine,
    *,
    after_seq: int = 0,
    limit: int = 100,
    subject: str | None = None,
    newest_first: bool = False,
) -> list[AuditRecord]:
    query = select(audit_log).where(audit_log.c.seq > after_seq)
    if subject:
        query = query.where(audit_log.c.subject == subject)
    query = query.order_by(audit_log.c.seq.desc() if newest_first else audit_log.c.seq).limit(limit)
    with engine.connect() as conn:
        return [_record(r) for r in conn.execute(query)]


@dataclass(frozen=True)
class AuditVerification:
    ok: bool
    records: int  # records checked
    head_seq: int | None
    head_hash: str | None
    first_bad_seq: int | None
    problem: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "records": self.records,
            "head_seq": self.head_seq,
            "head_hash": self.head_hash,
            "first_bad_seq": self.first_bad_seq,
            "problem": self.problem,
        }


def verify(engine: Engine) -> AuditVerification:
    """Walk the chain from the first record; report the first record that does not check out."""
    checked = 0
    expected_seq, prev = 1, GENESIS_HASH
    with engine.connect() as conn:
        head = conn.execute(select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1)).first()
        head_seq, head_hash = (head.seq, head.hash) if head is not None else (None, None)

        def bad(seq: int, problem: str) -> AuditVerification:
            return AuditVerification(False, checked, head_seq, head_hash, seq, problem)

        rows = conn.execution_options(yield_per=2000).execute(select(audit_log).order_by(audit_log.c.seq))
        for row in rows:
            if row.seq != expected_seq:
                return bad(
                    expected_seq,
                    f"record {expected_seq} is missing (the next record is {row.seq}): deleted or renumbered",
                )
            if row.prev_hash != prev:
                return bad(
                    row.seq,
                    f"record {row.seq} does not follow record {row.seq - 1} (its prev_hash differs): "
                    "records were deleted, reordered or edited",
                )
            digest = record_hash(
                row.prev_hash, row.seq, row.at, row.actor, row.actor_key, row.action, row.subject, row.payload
            )
            if digest != row.hash:
                return bad(row.seq, f"record {row.seq} was altered: its content does not match its hash")
            prev = row.hash
            expected_seq += 1
            checked += 1
    last = expected_seq - 1
    if head is None:
        return bad(last + 1, "the audit chain head row is missing")
    if head.seq != last:
        if head.seq > last:
            return bad(
                last + 1, f"the log ends at record {last} but {head.seq} were written: records removed"
            )
        return bad(head.seq + 1, f"the log runs to record {last} but the head says {head.seq}")
    if head.hash != prev:
        return bad(
            last, f"the hash of record {last} differs from the head's: the end of the log was rewritten"
        )
    return AuditVerification(True, checked, head_seq, head_hash, None, None)
