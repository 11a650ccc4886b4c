"""Alembic migrations: the schema they build is the one the code declares, on SQLite and PostgreSQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import insert, inspect, select, text

from ctscreen.errors import StoreError
from ctscreen.store import ListStore, make_engine
from ctscreen.store.migrations import HEAD_REVISION, alembic_config, current_revision, ensure_schema
from ctscreen.store.tables import active_lists, entities, list_versions, metadata


def test_head_revision_constant_names_the_newest_migration():
    from alembic.script import ScriptDirectory

    assert ScriptDirectory.from_config(alembic_config()).get_heads() == [HEAD_REVISION]


def test_migrated_schema_matches_the_table_definitions(db_url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = make_engine(db_url)
    ensure_schema(engine)
    with engine.connect() as conn:
        assert current_revision(conn) == HEAD_REVISION
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
    assert set(inspect(engine).get_table_names()) == set(metadata.tables)
    engine.dispose()


def test_database_from_before_migrations_is_adopted(db_url):
    engine = make_engine(db_url)
    metadata.create_all(engine, tables=[list_versions, active_lists, entities])  # the old create_all
    with engine.begin() as conn:
        version_id = conn.execute(
            insert(list_versions).values(
                source="old",
                version=1,
                format="user-csv",
                sha256="0" * 64,
                files="[]",
                imported_at="2025-01-01T00:00:00+00:00",
                entities=0,
                persons=0,
                organizations=0,
                vessels=0,
                aircraft=0,
                warnings="[]",
            )
        ).inserted_primary_key[0]
    store = ListStore(engine)
    assert [v.id for v in store.versions("old")] == [version_id]
    assert set(inspect(engine).get_table_names()) == set(metadata.tables)
    with engine.connect() as conn:
        assert current_revision(conn) == HEAD_REVISION
    engine.dispose()


def test_processes_starting_together_migrate_once(db_url):
    engines = [make_engine(db_url) for _ in range(4)]
    with ThreadPoolExecutor(len(engines)) as pool:
        list(pool.map(ensure_schema, engines))
    with engines[0].connect() as conn:
        assert current_revision(conn) == HEAD_REVISION
        from ctscreen.store.workflow_tables import alembic_version, audit_head

        assert len(conn.execute(select(alembic_version)).all()) == 1
        assert len(conn.execute(select(audit_head)).all()) == 1
    for engine in engines:
        engine.dispose()


def test_database_from_a_newer_ctscreen_is_refused_clearly(db_url):
    engine = make_engine(db_url)
    ensure_schema(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    engine.dispose()
    newer = make_engine(db_url)
    with pytest.raises(StoreError, match="newer ctscreen"):
        ListStore(newer)
    newer.dispose()
