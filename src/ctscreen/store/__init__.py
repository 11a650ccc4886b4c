"""The versioned list store: every import is an immutable version, one version per source is active.

SQLAlchemy Core over an embedded SQLite file by default (`CTSCREEN_HOME`), PostgreSQL by URL
(`CTSCREEN_DB`). Nothing outside this package talks to the database.
"""

from ctscreen.store.engine import database_url, make_engine
from ctscreen.store.lists import ImportResult, ListStore, VersionInfo

__all__ = ["ImportResult", "ListStore", "VersionInfo", "database_url", "make_engine"]
