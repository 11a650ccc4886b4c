"""Schema migrations (Alembic) and `ensure_schema`, which every store and workflow object calls on start.

`ensure_schema(engine)` brings a database to the newest revision: an empty database gets every table, a
database made before migrations existed (by `metadata.create_all`) is adopted, an up-to-date one costs one
small query. It holds a lock while migrating (PostgreSQL: an advisory lock; SQLite: `BEGIN IMMEDIATE`), so
several processes starting at once against a new database migrate it once.

New revisions: `alembic -c src/ctscreen/store/migrations/alembic.ini revision -m "what"` (against
`CTSCREEN_DB` or the default SQLite file), then set `HEAD_REVISION` below to the new revision id;
`tests/workflow/test_migrations.py` fails until the two agree.
"""

from __future__ import annotations

import weakref
from pathlib import Path

from sqlalchemy import Connection, Engine, select, text
from sqlalchemy.exc import DBAPIError

from ctscreen.errors import StoreError
from ctscreen.store.tables import metadata  # noqa: F401  (the list tables, and through them the rest)
from ctscreen.store.workflow_tables import alembic_version

HEAD_REVISION = "0001_initial"
MIGRATIONS_DIR = Path(__file__).resolve().parent
# Any constant works: the bytes spell "ctscmig1", naming this lock among other advisory-lock users.
_PG_MIGRATION_LOCK = 0x6374_7363_6D69_6731

_ready: weakref.WeakSet[Engine] = weakref.WeakSet()


def alembic_config(url: str | None = None):  # type: ignore[no-untyped-def]
    """An Alembic `Config` for this package's migrations (`url`: the database, default `CTSCREEN_DB`)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def current_revision(conn: Connection) -> str | None:
    try:
        rows = conn.execute(select(alembic_version.c.version_num)).scalars().all()
    except DBAPIError:
        conn.rollback()
        return None
    return rows[0] if len(rows) == 1 else None


def ensure_schema(engine: Engine) -> None:
    """Upgrade the database behind `engine` to the newest revision (Alembic `upgrade head`)."""
    if engine in _ready:
        return
    with engine.connect() as conn:
        if current_revision(conn) == HEAD_REVISION:
            _ready.add(engine)
            return
    from alembic import command
    from alembic.util import CommandError

    with engine.connect() as conn:
        _lock(conn)
        config = alembic_config()
        config.attributes["connection"] = conn
        try:
            command.upgrade(config, "head")
        except CommandError as exc:
            raise StoreError(
                f"cannot upgrade the database schema to {HEAD_REVISION}: {exc} (a newer ctscreen may have "
                "migrated this database; run that version)"
            ) from None
        conn.commit()
    _ready.add(engine)


def _lock(conn: Connection) -> None:
    """Begin the migration transaction holding a lock that other migrating processes wait for."""
    name = conn.dialect.name
    if name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    elif name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
    else:
        raise StoreError(f"database backend {name!r} is not supported (SQLite or PostgreSQL)")
