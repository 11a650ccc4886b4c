"""Fixtures for the REST service tests: the real app (`create_app`) over the test database (SQLite and
PostgreSQL, through the shared `db_url`/`store` fixtures), the fictional watchlist of the workflow tests,
one key per role (two people for the four-eyes roles) and a revoked key."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

WATCHLIST_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "workflow"
UN_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "un"


def import_watchlist(store: Any, version: str) -> Any:
    """Import tests/fixtures/workflow/watchlist_<version>.csv as the active version of `watchlist`."""
    from ctscreen.sources import get_format

    fmt = get_format("user-csv")
    parsed = fmt.load().parse(
        [WATCHLIST_DIR / f"watchlist_{version}.csv"], format=fmt.name, source="watchlist"
    )
    return store.import_list(parsed)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """CTSCREEN_HOME in the test's folder, so the on-disk index cache never leaves it."""
    path = tmp_path / "home"
    monkeypatch.setenv("CTSCREEN_HOME", str(path))
    monkeypatch.delenv("CTSCREEN_MIRROR", raising=False)
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    return path


@pytest.fixture
def watchlist(store: Any, home: Path) -> Any:
    return import_watchlist(store, "v1")


class Keys:
    """A token per label; `analyst2` and `supervisor2` are second people for four-eyes, `revoked` is an
    analyst key that was revoked."""

    LABELS = (
        ("screener", "Sam Screener", "screener"),
        ("analyst", "Ana Analyst", "analyst"),
        ("analyst2", "Bo Analyst", "analyst"),
        ("supervisor", "Sue Supervisor", "supervisor"),
        ("supervisor2", "Sid Supervisor", "supervisor"),
        ("admin", "Ada Admin", "admin"),
        ("revoked", "Rex Revoked", "analyst"),
    )

    def __init__(self, store: Any) -> None:
        from ctscreen.workflow import Workflow, local_principal

        workflow = Workflow(store)
        self.tokens: dict[str, str] = {}
        self.ids: dict[str, str] = {}
        for label, name, role in self.LABELS:
            info, token = workflow.create_key(local_principal(), name, role)
            self.tokens[label] = token
            self.ids[label] = info.key_id
        workflow.revoke_key(local_principal(), self.ids["revoked"])

    def headers(self, label: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[label]}"}


@pytest.fixture
def keys(store: Any) -> Keys:
    return Keys(store)


def make_settings(db_url: str, **changes: Any) -> Any:
    from ctscreen.api import ApiSettings

    defaults: dict[str, Any] = {"db_url": db_url, "reload_interval": 0.2, "reload_retry": 0.5}
    return ApiSettings(**(defaults | changes))


@pytest.fixture
def app(db_url: str, store: Any, watchlist: Any) -> Any:
    from ctscreen.api import create_app

    return create_app(make_settings(db_url))


@pytest.fixture
def client(app: Any) -> Iterator[Any]:
    from fastapi.testclient import TestClient

    with TestClient(app) as test_client:  # runs the lifespan: the index is loaded, the watcher started
        yield test_client


def wait_for(condition: Any, timeout: float = 15.0, step: float = 0.05) -> Any:
    """Poll until `condition()` is truthy; its value, or an AssertionError after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        time.sleep(step)


class Mirror:
    """A list mirror on loopback: path -> (status, body). Serves `{mirror}/{source}/{file}` as
    `lists update --mirror` expects."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, bytes]] = {}
        routes = self.routes

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                status, body = routes.get(self.path, (404, b"not found"))
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def serve(self, path: str, body: bytes, status: int = 200) -> None:
        self.routes[path] = (status, body)


@pytest.fixture
def mirror() -> Iterator[Mirror]:
    served = Mirror()
    yield served
    served.httpd.shutdown()
    served.httpd.server_close()


class RunningServer:
    """The app under a real uvicorn server on a loopback port, in a thread (lifespan included)."""

    def __init__(self, app: Any) -> None:
        import uvicorn

        config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="test-uvicorn", daemon=True)
        self.thread.start()
        wait_for(lambda: self.server.started, timeout=60)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


@pytest.fixture
def server(app: Any) -> Iterator[RunningServer]:
    running = RunningServer(app)
    yield running
    running.stop()


# Helpers as fixtures, so that test modules import nothing from this file.


@pytest.fixture
def publish(store: Any) -> Any:
    """`publish("v2")`: import watchlist_v2.csv as the new active version (as the CLI would)."""
    return lambda version: import_watchlist(store, version)


@pytest.fixture
def wait() -> Any:
    return wait_for


@pytest.fixture
def settings_for(db_url: str) -> Any:
    """`settings_for(**changes)`: the tests' ApiSettings over the test database."""
    return lambda **changes: make_settings(db_url, **changes)


@pytest.fixture
def un_fixtures() -> Path:
    return UN_FIXTURES
