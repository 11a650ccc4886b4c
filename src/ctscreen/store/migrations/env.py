"""Alembic environment: runs on the connection `ensure_schema` hands over, or on `CTSCREEN_DB`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from ctscreen.store.tables import metadata
from ctscreen.store.workflow_tables import alembic_version


def _include(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    return not (type_ == "table" and name == alembic_version.name)


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        include_object=_include,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
    )
    with context.begin_transaction():
        context.run_migrations()


def _main() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from ctscreen.store.engine import make_engine

    engine = make_engine(context.config.get_main_option("sqlalchemy.url") or None)
    with engine.connect() as connection:
        _run(connection)
        connection.commit()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("ctscreen migrations run online only (they inspect the database)")
_main()
