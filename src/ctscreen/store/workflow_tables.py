"""Workflow tables (SQLAlchemy Core), on the same `metadata` as the list tables.

API keys, customers, screenings, alerts, decisions, good-guy records, re-screening runs and the hash-chained
audit log. JSON is stored as canonical text (sorted keys) so SQLite and PostgreSQL hold byte-identical
values and hashes over them are stable. Times are UTC ISO-8601 strings, as in the list tables. The schema
itself is created and upgraded by Alembic (`ctscreen.store.migrations`); these definitions are what the
code reads and writes, and `tests/workflow/test_migrations.py` checks that the two agree.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from ctscreen.store.tables import metadata

# Alembic's own bookkeeping table, declared here so that `metadata.drop_all` resets a database completely
# (the test fixtures do that between tests); Alembic creates and writes it, nothing else does.
alembic_version = Table(
    "alembic_version",
    metadata,
    Column("version_num", String(32), nullable=False),
    PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("key_id", String(24), primary_key=True),  # the public part of the token
    Column("name", String(200), nullable=False),  # the person (or system) the key belongs to
    Column("role", String(20), nullable=False),
    Column("secret_sha256", String(64), nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("revoked_at", String(40)),
    Column("revoked_by", String(200)),
)

customers = Table(
    "customers",
    metadata,
    Column("customer_id", String(100), primary_key=True),
    Column("fields", Text, nullable=False),  # canonical JSON of the screened fields
    Column("fields_hash", String(64), nullable=False),
    Column("profile", String(40), nullable=False),
    Column("threshold", Float),  # a per-customer override of the profile's alert threshold
    Column("created_at", String(40), nullable=False),
    Column("updated_at", String(40), nullable=False),
    Column("last_screening_id", Integer),
    Column("last_screened_at", String(40)),
)

screenings = Table(
    "screenings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("customer_id", String(100), ForeignKey("customers.customer_id")),
    Column("fields", Text, nullable=False),
    Column("fields_hash", String(64), nullable=False),
    Column("profile", String(40), nullable=False),
    Column("threshold", Float, nullable=False),
    Column("engine_version", String(20), nullable=False),
    Column("list_versions", Text, nullable=False),  # JSON {source: version}
    Column("hits", Integer, nullable=False),
    Column("alerts", Integer, nullable=False),  # new alerts raised by this screening
    Column("auto_cleared", Integer, nullable=False),
    Column("result", Text, nullable=False),  # the screening result JSON with each hit's disposition
    Column("reason", String(200), nullable=False),  # "screen", "rescreen un v3", ...
    Column("actor", String(200), nullable=False),
    Column("actor_key", String(24)),
    Column("created_at", String(40), nullable=False),
)
Index("ix_screenings_customer", screenings.c.customer_id)

alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("screening_id", Integer, ForeignKey("screenings.id"), nullable=False),
    Column("customer_id", String(100), ForeignKey("customers.customer_id")),
    Column("fields_hash", String(64), nullable=False),
    Column("entity_id", String(160), nullable=False),  # source:ref
    Column("source", String(40), nullable=False),
    Column("ref", String(100), nullable=False),
    Column("list_version", Integer),  # the version of `source` that produced the hit
    Column("entity_hash", String(64)),  # entities.content_hash of that version
    Column("entity_name", Text, nullable=False),
    Column("matched_name", Text, nullable=False),
    Column("score", Float, nullable=False),
    Column("threshold", Float, nullable=False),
    Column("explanation", Text, nullable=False),  # the hit's JSON (docs/screening-json.md)
    Column("list_versions", Text, nullable=False),
    Column("engine_version", String(20), nullable=False),
    Column("profile", String(40), nullable=False),
    Column("status", String(40), nullable=False),
    # "customer_id|entity_id" while the alert is active, NULL once closed: at most one active alert per
    # customer and list entry, enforced by the database as well as by the code.
    Column("active_key", String(270)),
    Column("created_at", String(40), nullable=False),
    Column("updated_at", String(40), nullable=False),
    Column("closed_at", String(40)),
    Column("closed_reason", Text),
    UniqueConstraint("active_key", name="uq_alerts_active_key"),
)
Index("ix_alerts_status", alerts.c.status)
Index("ix_alerts_customer", alerts.c.customer_id)
Index("ix_alerts_entity", alerts.c.entity_id)

decisions = Table(
    "decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("alert_id", Integer, ForeignKey("alerts.id"), nullable=False),
    Column("outcome", String(20), nullable=False),  # true-match | false-positive | escalate
    Column("reason", Text, nullable=False),
    Column("status", String(20), nullable=False),  # pending-approval | approved | rejected | final | void
    Column("requires_approval", Boolean, nullable=False),
    Column("alert_status_before", String(40), nullable=False),
    Column("decided_by", String(200), nullable=False),
    Column("decided_key", String(24), nullable=False),
    Column("decided_role", String(20), nullable=False),
    Column("decided_at", String(40), nullable=False),
    Column("reviewed_by", String(200)),
    Column("reviewed_key", String(24)),
    Column("reviewed_at", String(40)),
    Column("review_comment", Text),
)
Index("ix_decisions_alert", decisions.c.alert_id)
Index("ix_decisions_status", decisions.c.status)

goodguys = Table(
    "goodguys",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("customer_id", String(100), ForeignKey("customers.customer_id"), nullable=False),
    Column("fields_hash", String(64), nullable=False),
    Column("entity_id", String(160), nullable=False),
    Column("entity_hash", String(64), nullable=False),
    Column("alert_id", Integer, ForeignKey("alerts.id"), nullable=False),
    Column("decision_id", Integer, ForeignKey("decisions.id"), nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("active", Boolean, nullable=False),
    UniqueConstraint(
        "customer_id", "fields_hash", "entity_id", "entity_hash", name="uq_goodguys_customer_entity"
    ),
)

rescreen_runs = Table(
    "rescreen_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(40), nullable=False),
    Column("from_version", Integer),
    Column("to_version", Integer, nullable=False),
    Column("started_at", String(40), nullable=False),
    Column("finished_at", String(40), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("report", Text, nullable=False),  # JSON, the RescreenReport
)
Index("ix_rescreen_runs_source", rescreen_runs.c.source)

audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", String(40), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("actor_key", String(24)),
    Column("action", String(40), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("payload", Text, nullable=False),  # canonical JSON
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

# One row (id 1): the sequence number and hash of the last audit record. Writers lock it, so appends are
# serialised and the chain cannot fork; it also lets `verify` notice records cut off the end of the log.
audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
    Column("updated_at", String(40), nullable=False),
)

GENESIS_HASH = "0" * 64
