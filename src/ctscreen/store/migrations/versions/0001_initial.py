"""Initial schema: the versioned list tables and the workflow tables.

Revision ID: 0001_initial
Revises: -
Created: 2026-01-01

Each table is created only when it is missing, so a database made by `metadata.create_all` before migrations
existed (list tables only) is adopted: its tables are kept, the workflow tables are added.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None

GENESIS_HASH = "0" * 64


def _missing(name: str) -> bool:
    return not sa.inspect(op.get_bind()).has_table(name)


def _create(
    name: str, *columns: sa.schema.SchemaItem, indexes: tuple[tuple[str, list[str]], ...] = ()
) -> None:
    if not _missing(name):
        return
    op.create_table(name, *columns)
    for index_name, index_columns in indexes:
        op.create_index(index_name, name, index_columns)


def upgrade() -> None:
    # -- the versioned list store (ctscreen.store.tables) --------------------------------------------
    _create(
        "list_versions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source", sa.String(40), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("format", sa.String(40), nullable=False),
        sa.Column("published", sa.String(40)),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("files", sa.Text, nullable=False),
        sa.Column("imported_at", sa.String(40), nullable=False),
        sa.Column("entities", sa.Integer, nullable=False),
        sa.Column("persons", sa.Integer, nullable=False),
        sa.Column("organizations", sa.Integer, nullable=False),
        sa.Column("vessels", sa.Integer, nullable=False),
        sa.Column("aircraft", sa.Integer, nullable=False),
        sa.Column("warnings", sa.Text, nullable=False),
        sa.UniqueConstraint("source", "version", name="uq_list_versions_source_version"),
    )
    _create(
        "active_lists",
        sa.Column("source", sa.String(40), primary_key=True),
        sa.Column("version_id", sa.Integer, sa.ForeignKey("list_versions.id"), nullable=False),
        sa.Column("activated_at", sa.String(40), nullable=False),
    )
    _create(
        "entities",
        sa.Column("version_id", sa.Integer, sa.ForeignKey("list_versions.id"), primary_key=True),
        sa.Column("ref", sa.String(100), primary_key=True),
        sa.Column("schema", sa.String(20), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        indexes=(("ix_entities_ref", ["ref"]),),
    )

    # -- workflow (ctscreen.store.workflow_tables) ---------------------------------------------------
    _create(
        "api_keys",
        sa.Column("key_id", sa.String(24), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("secret_sha256", sa.String(64), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("revoked_at", sa.String(40)),
        sa.Column("revoked_by", sa.String(200)),
    )
    _create(
        "customers",
        sa.Column("customer_id", sa.String(100), primary_key=True),
        sa.Column("fields", sa.Text, nullable=False),
        sa.Column("fields_hash", sa.String(64), nullable=False),
        sa.Column("profile", sa.String(40), nullable=False),
        sa.Column("threshold", sa.Float),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("updated_at", sa.String(40), nullable=False),
        sa.Column("last_screening_id", sa.Integer),
        sa.Column("last_screened_at", sa.String(40)),
    )
    _create(
        "screenings",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("customer_id", sa.String(100), sa.ForeignKey("customers.customer_id")),
        sa.Column("fields", sa.Text, nullable=False),
        sa.Column("fields_hash", sa.String(64), nullable=False),
        sa.Column("profile", sa.String(40), nullable=False),
        sa.Column("threshold", sa.Float, nullable=False),
        sa.Column("engine_version", sa.String(20), nullable=False),
        sa.Column("list_versions", sa.Text, nullable=False),
        sa.Column("hits", sa.Integer, nullable=False),
        sa.Column("alerts", sa.Integer, nullable=False),
        sa.Column("auto_cleared", sa.Integer, nullable=False),
        sa.Column("result", sa.Text, nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("actor_key", sa.String(24)),
        sa.Column("created_at", sa.String(40), nullable=False),
        indexes=(("ix_screenings_customer", ["customer_id"]),),
    )
    _create(
        "alerts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("screening_id", sa.Integer, sa.ForeignKey("screenings.id"), nullable=False),
        sa.Column("customer_id", sa.String(100), sa.ForeignKey("customers.customer_id")),
        sa.Column("fields_hash", sa.String(64), nullable=False),
        sa.Column("entity_id", sa.String(160), nullable=False),
        sa.Column("source", sa.String(40), nullable=False),
        sa.Column("ref", sa.String(100), nullable=False),
        sa.Column("list_version", sa.Integer),
        sa.Column("entity_hash", sa.String(64)),
        sa.Column("entity_name", sa.Text, nullable=False),
        sa.Column("matched_name", sa.Text, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("threshold", sa.Float, nullable=False),
        sa.Column("explanation", sa.Text, nullable=False),
        sa.Column("list_versions", sa.Text, nullable=False),
        sa.Column("engine_version", sa.String(20), nullable=False),
        sa.Column("profile", sa.String(40), nullable=False),
        sa.Column("status", sa.String(40), nullable=False),
        sa.Column("active_key", sa.String(270)),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("updated_at", sa.String(40), nullable=False),
        sa.Column("closed_at", sa.String(40)),
        sa.Column("closed_reason", sa.Text),
        sa.UniqueConstraint("active_key", name="uq_alerts_active_key"),
        indexes=(
            ("ix_alerts_status", ["status"]),
            ("ix_alerts_customer", ["customer_id"]),
            ("ix_alerts_entity", ["entity_id"]),
        ),
    )
    _create(
        "decisions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("alert_id", sa.Integer, sa.ForeignKey("alerts.id"), nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("requires_approval", sa.Boolean, nullable=False),
        sa.Column("alert_status_before", sa.String(40), nullable=False),
        sa.Column("decided_by", sa.String(200), nullable=False),
        sa.Column("decided_key", sa.String(24), nullable=False),
        sa.Column("decided_role", sa.String(20), nullable=False),
        sa.Column("decided_at", sa.String(40), nullable=False),
        sa.Column("reviewed_by", sa.String(200)),
        sa.Column("reviewed_key", sa.String(24)),
        sa.Column("reviewed_at", sa.String(40)),
        sa.Column("review_comment", sa.Text),
        indexes=(("ix_decisions_alert", ["alert_id"]), ("ix_decisions_status", ["status"])),
    )
    _create(
        "goodguys",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("customer_id", sa.String(100), sa.ForeignKey("customers.customer_id"), nullable=False),
        sa.Column("fields_hash", sa.String(64), nullable=False),
        sa.Column("entity_id", sa.String(160), nullable=False),
        sa.Column("entity_hash", sa.String(64), nullable=False),
        sa.Column("alert_id", sa.Integer, sa.ForeignKey("alerts.id"), nullable=False),
        sa.Column("decision_id", sa.Integer, sa.ForeignKey("decisions.id"), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.UniqueConstraint(
            "customer_id", "fields_hash", "entity_id", "entity_hash", name="uq_goodguys_customer_entity"
        ),
    )
    _create(
        "rescreen_runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source", sa.String(40), nullable=False),
        sa.Column("from_version", sa.Integer),
        sa.Column("to_version", sa.Integer, nullable=False),
        sa.Column("started_at", sa.String(40), nullable=False),
        sa.Column("finished_at", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("report", sa.Text, nullable=False),
        indexes=(("ix_rescreen_runs_source", ["source"]),),
    )
    _create(
        "audit_log",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("actor_key", sa.String(24)),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    if _missing("audit_head"):
        head = op.create_table(
            "audit_head",
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("seq", sa.Integer, nullable=False),
            sa.Column("hash", sa.String(64), nullable=False),
            sa.Column("updated_at", sa.String(40), nullable=False),
        )
        now = datetime.now(UTC).isoformat(timespec="seconds")
        op.bulk_insert(head, [{"id": 1, "seq": 0, "hash": GENESIS_HASH, "updated_at": now}])


def downgrade() -> None:
    # Dropping the audit log or the list versions would destroy records kept by law for years.
    raise NotImplementedError("the initial schema is not downgraded: it holds the audit log and the lists")
