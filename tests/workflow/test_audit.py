"""The hash-chained audit log: every change is recorded, and any edit, deletion or reordering is found."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import text

from ctscreen.workflow import PermissionDenied, audit_list_event, local_principal


@pytest.fixture
def history(wf, screener, people):
    """A few of every kind of record."""
    record = wf.screen_customer(people.screener, "C-1", {"name": "Karim Haddad", "dob": "1971"}, screener)
    decision = wf.decide(people.analyst, record.new_alerts[0], "false-positive", "customer born in Lyon")
    wf.approve(people.supervisor, decision.id, True, "ok")
    wf.screen(people.screener, {"name": "Amina Siddiqui"}, screener)
    audit_list_event(wf.engine, "import", "watchlist", 1, actor=local_principal(), detail={"entities": 5})
    audit_list_event(wf.engine, "activate", "watchlist", 1, actor=local_principal())
    wf.export_alerts_csv(people.supervisor, io.StringIO())
    return wf.audit_records(people.admin, limit=1000)


def test_every_change_is_audited_with_actor_and_time(wf, history, people):
    actions = [r.action for r in history]
    for expected in (
        "key.create",
        "customer.create",
        "screening",
        "alert.create",
        "decision.record",
        "decision.approve",
        "goodguy.create",
        "list.import",
        "list.activate",
        "export",
    ):
        assert expected in actions, expected
    assert [r.seq for r in history] == list(range(1, len(history) + 1))
    approve = next(r for r in history if r.action == "decision.approve")
    assert approve.actor == "Sue Supervisor" and approve.actor_key == people.supervisor.key_id
    assert approve.at.endswith("+00:00") and approve.payload["decided_by"] == "Ana Analyst"
    listing = next(r for r in history if r.action == "list.import")
    assert listing.subject == "list:watchlist:v1" and listing.payload == {
        "source": "watchlist",
        "version": 1,
        "entities": 5,
    }
    result = wf.verify_audit(people.supervisor)
    assert result.ok and result.records == len(history) and result.head_seq == len(history)
    assert result.head_hash == history[-1].hash


def test_only_supervisors_and_admins_read_the_audit_log(wf, people):
    with pytest.raises(PermissionDenied):
        wf.verify_audit(people.analyst)
    with pytest.raises(PermissionDenied):
        wf.audit_records(people.analyst)


def _sql(wf, statement: str) -> None:
    with wf.engine.begin() as conn:
        conn.execute(text(statement))


def test_edited_record_is_detected(wf, history):
    _sql(wf, 'UPDATE audit_log SET payload = \'{"reason":"nothing to see"}\' WHERE seq = 5')
    result = wf.verify_audit()
    assert not result.ok and result.first_bad_seq == 5 and "altered" in result.problem


def test_edited_actor_is_detected(wf, history):
    _sql(wf, "UPDATE audit_log SET actor = 'Somebody Else' WHERE seq = 9")
    assert wf.verify_audit().first_bad_seq == 9


def test_edited_record_with_recomputed_hash_breaks_the_next_link(wf, history):
    from ctscreen.workflow.audit import record_hash

    row = history[3]
    forged = record_hash(
        row.prev_hash, row.seq, row.at, "Mallory", row.actor_key, row.action, row.subject, "{}"
    )
    _sql(
        wf,
        f"UPDATE audit_log SET actor = 'Mallory', payload = '{{}}', hash = '{forged}' WHERE seq = {row.seq}",
    )
    result = wf.verify_audit()
    assert result.first_bad_seq == row.seq + 1 and "does not follow" in result.problem


def test_deleted_record_is_detected(wf, history):
    _sql(wf, "DELETE FROM audit_log WHERE seq = 4")
    result = wf.verify_audit()
    assert not result.ok and result.first_bad_seq == 4 and "missing" in result.problem


def test_reordered_records_are_detected(wf, history):
    _sql(wf, "UPDATE audit_log SET seq = -1 WHERE seq = 6")
    _sql(wf, "UPDATE audit_log SET seq = 6 WHERE seq = 7")
    _sql(wf, "UPDATE audit_log SET seq = 7 WHERE seq = -1")
    result = wf.verify_audit()
    assert not result.ok and result.first_bad_seq == 6


def test_records_cut_off_the_end_are_detected(wf, history):
    last = len(history)
    _sql(wf, f"DELETE FROM audit_log WHERE seq >= {last - 1}")
    result = wf.verify_audit()
    assert not result.ok and result.first_bad_seq == last - 1 and "removed" in result.problem


def test_list_event_action_is_checked(wf):
    with pytest.raises(ValueError, match="action"):
        audit_list_event(wf.engine, "delete", "un", 1, actor=local_principal())
