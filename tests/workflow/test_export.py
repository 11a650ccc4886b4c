"""CSV exports for auditors: alerts and decisions with reasons, people, times and list versions."""

from __future__ import annotations

import csv
import io

import pytest

from ctscreen.workflow import PermissionDenied
from ctscreen.workflow.export import ALERT_COLUMNS, DECISION_COLUMNS, safe_cell


@pytest.fixture
def decided(wf, screener, people):
    first = wf.screen_customer(people.screener, "C-1", {"name": "Karim Haddad", "dob": "1971"}, screener)
    decision = wf.decide(
        people.analyst, first.new_alerts[0], "false-positive", '=HYPERLINK("x") born in Lyon'
    )
    wf.approve(people.supervisor, decision.id, True, "verified passport")
    wf.screen_customer(people.screener, "C-2", {"name": "Yusuf Benali"}, screener)
    return decision


def _read(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_alert_export_has_evidence_and_latest_decision(wf, people, decided):
    out = io.StringIO()
    assert wf.export_alerts_csv(people.supervisor, out) == 2
    assert out.getvalue().splitlines()[0].split(",") == list(ALERT_COLUMNS)
    first, second = _read(out.getvalue())
    assert first["status"] == "closed-false-positive" and first["entity_id"] == "watchlist:WL-001"
    assert first["list_versions"] == '{"watchlist":1}' and first["engine_version"] and first["entity_hash"]
    assert first["decided_by"] == "Ana Analyst" and first["reviewed_by"] == "Sue Supervisor"
    assert first["last_reason"].startswith("'=HYPERLINK")  # never a live formula in a spreadsheet
    assert second["status"] == "open" and second["decisions"] == "0" and second["decided_by"] == ""
    out = io.StringIO()
    assert wf.export_alerts_csv(people.supervisor, out, status="open") == 1


def test_decision_export_has_reasons_people_and_times(wf, people, decided):
    out = io.StringIO()
    assert wf.export_decisions_csv(people.admin, out) == 1
    assert out.getvalue().splitlines()[0].split(",") == list(DECISION_COLUMNS)
    (row,) = _read(out.getvalue())
    assert row["decision_id"] == str(decided.id) and row["outcome"] == "false-positive"
    assert row["status"] == "approved" and row["requires_approval"] == "true"
    assert row["decided_key"] == people.analyst.key_id and row["reviewed_key"] == people.supervisor.key_id
    assert row["decided_at"] <= row["reviewed_at"] and row["review_comment"] == "verified passport"
    assert row["customer_id"] == "C-1" and row["list_versions"] == '{"watchlist":1}'
    exports = [r for r in wf.audit_records(people.admin, limit=1000) if r.action == "export"]
    assert exports[-1].payload == {"filters": {}, "rows": 1} and exports[-1].actor == "Ada Admin"


def test_analysts_cannot_export(wf, people):
    with pytest.raises(PermissionDenied):
        wf.export_alerts_csv(people.analyst, io.StringIO())


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20", "'+44 20"),
        ("-x", "'-x"),
        ("@SUM", "'@SUM"),
        ("plain", "plain"),
        (-0.5, "-0.5"),
        (None, ""),
    ],
)
def test_formula_like_cells_are_defused(value, cell):
    assert safe_cell(value) == cell
