"""Migration revisions, oldest first (Alembic skips this file; it makes the folder a package, so that
installing ctscreen ships the revisions)."""
