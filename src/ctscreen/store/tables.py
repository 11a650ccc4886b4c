"""Table definitions (SQLAlchemy Core). Entities are stored whole, as canonical JSON, once per version."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

list_versions = Table(
    "list_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(40), nullable=False),
    Column("version", Integer, nullable=False),
    Column("format", String(40), nullable=False),
    Column("published", String(40)),
    Column("sha256", String(64), nullable=False),
    Column("files", Text, nullable=False),  # JSON list of {"name", "sha256", "bytes"}
    Column("imported_at", String(40), nullable=False),
    Column("entities", Integer, nullable=False),
    Column("persons", Integer, nullable=False),
    Column("organizations", Integer, nullable=False),
    Column("vessels", Integer, nullable=False),
    Column("aircraft", Integer, nullable=False),
    Column("warnings", Text, nullable=False),  # JSON list of strings
    UniqueConstraint("source", "version", name="uq_list_versions_source_version"),
)

active_lists = Table(
    "active_lists",
    metadata,
    Column("source", String(40), primary_key=True),
    Column("version_id", Integer, ForeignKey("list_versions.id"), nullable=False),
    Column("activated_at", String(40), nullable=False),
)

entities = Table(
    "entities",
    metadata,
    Column("version_id", Integer, ForeignKey("list_versions.id"), primary_key=True),
    Column("ref", String(100), primary_key=True),
    Column("schema", String(20), nullable=False),
    Column("name", Text, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("data", Text, nullable=False),
)

Index("ix_entities_ref", entities.c.ref)

# The workflow tables share this metadata: importing them here lets `metadata` describe the whole schema
# (the migrations are checked against it; the test fixtures drop everything through it).
from ctscreen.store import workflow_tables as _workflow_tables  # noqa: E402, F401
