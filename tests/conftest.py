"""Shared test settings.

The real list files are found through one setting, CTSCREEN_DATA (default: ../shared/data beside the
repository). Tests that need them use the `lists_dir` fixture and skip, saying why, when the folder is absent.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def shared_data_dir() -> Path:
    return Path(os.environ.get("CTSCREEN_DATA", REPO.parent / "shared" / "data")).resolve()


@pytest.fixture(scope="session")
def data_dir() -> Path:
    path = shared_data_dir()
    if not (path / "lists").is_dir():
        pytest.skip(f"real list files not found under {path} (set CTSCREEN_DATA)")
    return path


@pytest.fixture(scope="session")
def lists_dir(data_dir: Path) -> Path:
    return data_dir / "lists"


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


# -- databases: every store test runs on SQLite and on a real PostgreSQL server -------------------------

PG_URL_ENV = "CTSCREEN_TEST_PG_URL"  # set by scripts/postgres.sh through `make test` / .ci/run


@pytest.fixture(scope="session")
def pg_admin_url(worker_id: str) -> str:
    url = os.environ.get(PG_URL_ENV)
    if not url:
        if os.environ.get("CTSCREEN_REQUIRE_PG"):
            pytest.fail(
                f"{PG_URL_ENV} is not set but CTSCREEN_REQUIRE_PG is: PostgreSQL tests cannot be skipped"
            )
        pytest.skip(f"no PostgreSQL server: set {PG_URL_ENV} (scripts/postgres.sh prints one)")
    return url


@pytest.fixture(scope="session")
def pg_url(pg_admin_url: str, worker_id: str) -> str:
    """One database per xdist worker, so parallel workers never share tables."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"ctscreen_test_{worker_id}".replace("-", "_")
    admin = create_engine(pg_admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(pg_admin_url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database for one test."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ctscreen.db'}"
    from sqlalchemy import create_engine

    from ctscreen.store.tables import metadata

    url = request.getfixturevalue("pg_url")
    engine = create_engine(url)
    metadata.drop_all(engine)
    engine.dispose()
    return url


@pytest.fixture
def store(db_url: str):  # type: ignore[no-untyped-def]
    from ctscreen.store import ListStore, make_engine

    engine = make_engine(db_url)
    yield ListStore(engine)
    engine.dispose()


@pytest.fixture
def cli_env(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Environment for running the CLI against the test database."""
    monkeypatch.setenv("CTSCREEN_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CTSCREEN_DB", db_url)
    return {"CTSCREEN_HOME": str(tmp_path / "home"), "CTSCREEN_DB": db_url}


# -- a screener over the lists the matching targets name: UN + OFAC SDN 2024 + OFAC consolidated + UK OFSI --

SCREENING_FILES = (
    "un/consolidated.xml",
    "ofac/sdn_2024-05-03/sdn.csv",
    "ofac/consolidated_non_sdn/cons_prim.csv",
    "uk/ConList.xlsx",
)


@pytest.fixture(scope="session")
def screening_paths(lists_dir: Path) -> list[Path]:
    return [lists_dir / relative for relative in SCREENING_FILES]


@pytest.fixture(scope="session")
def real_entities(screening_paths: list[Path]) -> list:
    from ctscreen.sources import parse_file

    return [e for path in screening_paths for e in parse_file(path).entities]


@pytest.fixture(scope="session")
def real_screener(real_entities: list):  # type: ignore[no-untyped-def]
    from ctscreen.matching import Screener

    return Screener.from_entities(real_entities, {"un": 1, "ofac-sdn": 1, "ofac-cons": 1, "uk-ofsi": 1})
