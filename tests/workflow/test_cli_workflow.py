"""The workflow commands through Typer's CliRunner, against SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from ctscreen.cli import app as main_app
from ctscreen.cli_workflow import register

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "workflow"


@pytest.fixture
def app() -> typer.Typer:
    workflow_app = typer.Typer()
    register(workflow_app)
    return workflow_app


@pytest.fixture
def run(app, cli_env):
    runner = CliRunner()

    def invoke(*args: str, key: str | None = None, expect: int = 0):
        env = {"CTSCREEN_API_KEY": key} if key else {}
        result = runner.invoke(app, list(args), env=env)
        assert result.exit_code == expect, result.output
        return result

    return invoke


def _import(version: str) -> None:
    result = CliRunner().invoke(
        main_app, ["lists", "import", str(FIXTURES / f"watchlist_{version}.csv"), "--source", "watchlist"]
    )
    assert result.exit_code == 0, result.output


def _key(run, name: str, role: str) -> str:
    return json.loads(run("keys", "create", name, "--role", role, "--json").stdout)["token"]


def test_keys_create_list_revoke(run):
    result = run("keys", "create", "Ana Analyst", "--role", "analyst")
    token = result.stdout.split()[-1]
    assert token.startswith("cts_") and "shown only this once" in result.output
    listed = json.loads(run("keys", "list", "--json").stdout)
    assert [(k["name"], k["role"], k["revoked"]) for k in listed] == [("Ana Analyst", "analyst", False)]
    assert token not in run("keys", "list").stdout
    key_id = listed[0]["key_id"]
    assert "revoked API key" in run("keys", "revoke", key_id).stdout
    assert "already revoked" in run("keys", "revoke", key_id, expect=1).output
    assert "role" in run("keys", "create", "Eve", "--role", "root", expect=2).output
    # An analyst's key may not create keys.
    analyst = _key(run, "Bo Analyst", "analyst")
    assert (
        "may not manage API keys"
        in run("keys", "create", "Eve", "--role", "admin", key=analyst, expect=1).output
    )
    assert "revoked" in run("keys", "list", key=token, expect=1).output


def test_screen_decide_approve_audit_export(run, tmp_path):
    _import("v1")
    screener = _key(run, "Sam Screener", "screener")
    analyst = _key(run, "Ana Analyst", "analyst")
    supervisor = _key(run, "Sue Supervisor", "supervisor")

    result = run("customers", "screen", "C-1", "Karim Haddad", "--dob", "1971", "--json", key=screener)
    screening = json.loads(result.stdout)
    assert screening["customer_id"] == "C-1" and screening["workflow"]["new_alerts"] == 1
    alert_id = screening["hits"][0]["workflow"]["alert_id"]
    assert "1 new alerts" in run("customers", "screen", "C-2", "Yusuf Benali", key=screener).stdout

    assert [a["id"] for a in json.loads(run("alerts", "list", "--status", "open", "--json").stdout)] == [
        alert_id,
        alert_id + 1,
    ]
    assert (
        "own API key"
        in run("alerts", "decide", str(alert_id), "-o", "false-positive", "-m", "x", expect=1).output
    )
    assert (
        "may not decide"
        in run(
            "alerts", "decide", str(alert_id), "-o", "false-positive", "-m", "not him", key=screener, expect=1
        ).output
    )
    decision = json.loads(
        run(
            "alerts",
            "decide",
            str(alert_id),
            "-o",
            "false-positive",
            "-m",
            "born in Lyon",
            "--json",
            key=analyst,
        ).stdout
    )
    assert decision["status"] == "pending-approval"
    pending = json.loads(run("decisions", "list", "--status", "pending-approval", "--json").stdout)
    assert [d["id"] for d in pending] == [decision["id"]]
    assert "may not approve" in run("decisions", "approve", str(decision["id"]), key=analyst, expect=1).output
    assert "approved" in run("decisions", "approve", str(decision["id"]), "-m", "ok", key=supervisor).stdout
    shown = json.loads(run("alerts", "show", str(alert_id), "--json").stdout)
    assert (
        shown["status"] == "closed-false-positive"
        and shown["decisions"][0]["reviewed_by"] == "Sue Supervisor"
    )
    again = json.loads(
        run("customers", "screen", "C-1", "Karim Haddad", "--dob", "1971", "--json", key=screener).stdout
    )
    assert again["workflow"]["auto_cleared"] == 1
    customer = json.loads(run("customers", "show", "C-1", "--json").stdout)
    assert len(customer["goodguys"]) == 1 and customer["fields"]["name"] == "Karim Haddad"
    assert "C-2" in run("customers", "list").stdout

    out = tmp_path / "alerts.csv"
    assert "2 alerts exported" in run("export", "alerts", "--out", str(out)).output
    assert out.read_text().count("\n") == 3
    assert "decision_id" in run("export", "decisions").stdout
    assert "alerts or decisions" in run("export", "customers", expect=2).output

    verified = json.loads(run("audit", "verify", "--json").stdout)
    assert verified["ok"] and verified["records"] > 10
    log = json.loads(run("audit", "log", "--limit", "3", "--json").stdout)
    assert [r["seq"] for r in log] == [1, 2, 3]
    for token in (screener, analyst, supervisor):
        assert token not in json.dumps(log)


def test_audit_verify_fails_on_tampering(run):
    run("keys", "create", "Ana Analyst", "--role", "analyst")
    run("keys", "create", "Bo Analyst", "--role", "analyst")
    assert "audit log intact" in run("audit", "verify").stdout
    from sqlalchemy import text

    from ctscreen.store import make_engine

    engine = make_engine()
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET payload = '{}' WHERE seq = 1"))
    engine.dispose()
    assert "broken at record 1" in run("audit", "verify", expect=1).output


def test_rescreen_command(run):
    _import("v1")
    screener = _key(run, "Sam Screener", "screener")
    run("customers", "screen", "C-1", "Karim Haddad", "--dob", "1971", key=screener)
    run("customers", "screen", "C-4", "Tariq Jameel Rahimi", key=screener)
    # `lists import` of a new version re-screens the stored customers it touches by itself...
    imported = CliRunner().invoke(
        main_app, ["lists", "import", str(FIXTURES / "watchlist_v2.csv"), "--source", "watchlist"]
    )
    assert imported.exit_code == 0, imported.output
    assert "re-screened 2 of 2 customers" in imported.stderr and "2 new alerts" in imported.stderr
    assert "already re-screened" in run("rescreen").stdout
    # ...and `ctscreen rescreen --force` runs it again by hand: nothing new, the alerts exist already.
    (report,) = json.loads(run("rescreen", "--source", "watchlist", "--force", "--json").stdout)
    assert (report["from_version"], report["to_version"]) == (1, 2)
    assert (
        report["customers_total"] == 2 and report["customers_rescreened"] == 2 and report["new_alerts"] == 0
    )
    assert "no active version" in run("rescreen", "--source", "nope", expect=2).output
