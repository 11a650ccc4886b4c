"""`ctscreen serve` for real: two uvicorn worker processes on a loopback port over the test database.
Both load the index, answer, pick up a new list version, report metrics for all workers together, and
print no key (both databases)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys

import httpx
import pytest
import typer
from typer.testing import CliRunner

from ctscreen.api.settings import ApiSettings

# The command as the lead wires it into cli.py (`cli_serve.register(app)`), in a process of its own.
SCRIPT = """
import typer
from ctscreen.cli_serve import register
app = typer.Typer()
@app.callback()
def main() -> None:
    pass
register(app)
app()
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def served(db_url, store, watchlist, home, tmp_path, wait):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CTSCREEN_API_", "PROMETHEUS_"))}
    env |= {"CTSCREEN_DB": db_url, "CTSCREEN_HOME": str(home)}
    log = (tmp_path / "serve.log").open("w+")
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            SCRIPT,
            "serve",
            "--port",
            str(port),
            "--workers",
            "2",
            "--reload-interval",
            "0.3",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            return httpx.get(f"{url}/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return process.poll() is not None and pytest.fail(f"serve exited: {_read(log)}")

    try:
        wait(up, timeout=90, step=0.2)
        yield url, log
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _read(log) -> str:
    log.flush()
    log.seek(0)
    return log.read()


def test_serve_with_two_workers(served, keys, publish, wait):
    url, log = served
    headers = keys.headers("screener")
    with httpx.Client(base_url=url, headers=headers, timeout=30) as http:
        answers = [http.post("/screen", json={"name": "Karim Haddad"}) for _ in range(20)]
        assert {a.status_code for a in answers} == {200}
        assert {a.json()["list_versions"]["watchlist"] for a in answers} == {1}
        metrics = http.get("/metrics")
        assert metrics.status_code == 200
        # Whichever worker answers the scrape counts the requests of both.
        line = re.search(
            r'ctscreen_http_requests_total\{method="POST",route="/screen",status="200"\} (\S+)', metrics.text
        )
        assert line and float(line.group(1)) == 20.0
        assert re.search(r'ctscreen_list_age_seconds\{source="watchlist"\}', metrics.text)
        publish("v2")
        wait(
            lambda: all(
                http.post("/screen", json={"name": "x y"}).json()["list_versions"] == {"watchlist": 2}
                for _ in range(10)
            ),
            timeout=30,
        )
        assert http.get("/openapi.json").status_code == 200
    output = _read(log)
    assert "worker" in output.lower() or "started" in output.lower()
    for token in keys.tokens.values():
        assert token not in output


def test_serve_refuses_bad_options():
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        pass

    from ctscreen.cli_serve import register

    register(app)
    runner = CliRunner()
    assert runner.invoke(app, ["serve", "--workers", "0"]).exit_code == 2
    assert runner.invoke(app, ["serve", "--port", "70000"]).exit_code == 2
    assert runner.invoke(app, ["serve", "--max-body-kb", "0"]).exit_code == 2
    assert "--workers" in runner.invoke(app, ["serve", "--help"]).output


def test_settings_travel_through_the_environment():
    settings = ApiSettings(
        max_body_bytes=4096, max_list_age_hours=12.5, use_index_cache=False, mirror="http://m"
    )
    assert ApiSettings.from_env(settings.to_env()) == settings
    with pytest.raises(ValueError, match="CTSCREEN_API_MAX_BATCH"):
        ApiSettings.from_env({"CTSCREEN_API_MAX_BATCH": "many"})
    with pytest.raises(ValueError, match="max_batch"):
        ApiSettings(max_batch=1001)
