"""Fixtures for the workflow tests: a workflow over the test database (SQLite and PostgreSQL), a small
fictional watchlist in two versions, and one API key per role (two people for the four-eyes roles)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

WATCHLIST = "watchlist"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "workflow"


def _import_watchlist(store: Any, version: str) -> Any:
    from ctscreen.sources import get_format

    fmt = get_format("user-csv")
    parsed = fmt.load().parse([FIXTURES / f"watchlist_{version}.csv"], format=fmt.name, source=WATCHLIST)
    return store.import_list(parsed)


@pytest.fixture
def import_watchlist(store: Any) -> Any:
    """`import_watchlist("v2")` imports tests/fixtures/workflow/watchlist_v2.csv as a new, active version of
    the `watchlist` list; returns the store's ImportResult."""
    return lambda version: _import_watchlist(store, version)


@pytest.fixture
def wf(store: Any) -> Any:
    from ctscreen.workflow import Workflow

    return Workflow(store)


@pytest.fixture
def watchlist_v1(store: Any) -> Any:
    return _import_watchlist(store, "v1")


@pytest.fixture
def screener(wf: Any, watchlist_v1: Any) -> Any:
    return wf.load_screener(use_cache=False)


class People:
    """One principal and token per person; `analyst2` and `supervisor2` are second people for four-eyes."""

    def __init__(self, wf: Any) -> None:
        from ctscreen.workflow import local_principal

        self.tokens: dict[str, str] = {}
        self.principals: dict[str, Any] = {}
        for label, name, role in (
            ("screener", "Sam Screener", "screener"),
            ("analyst", "Ana Analyst", "analyst"),
            ("analyst2", "Bo Analyst", "analyst"),
            ("supervisor", "Sue Supervisor", "supervisor"),
            ("supervisor2", "Sid Supervisor", "supervisor"),
            ("admin", "Ada Admin", "admin"),
        ):
            _, token = wf.create_key(local_principal(), name, role)
            self.tokens[label] = token
            self.principals[label] = wf.authenticate(token)

    def __getattr__(self, label: str) -> Any:
        try:
            return self.principals[label]
        except KeyError:
            raise AttributeError(label) from None


@pytest.fixture
def people(wf: Any) -> People:
    return People(wf)
