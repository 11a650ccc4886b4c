"""Good-guy records: a confirmed false positive clears the same hit next time, and only the same hit."""

from __future__ import annotations

KARIM = {"name": "Karim Haddad", "dob": "1971"}


def _clear(wf, people, screener, customer_id="C-1", fields=KARIM):
    alert_id = wf.screen_customer(people.screener, customer_id, fields, screener).new_alerts[0]
    decision = wf.decide(people.analyst, alert_id, "false-positive", "customer born 1971 in Lyon, not Beirut")
    return wf.approve(people.supervisor, decision.id, True, "verified")


def test_confirmed_false_positive_is_cleared_automatically_next_time(wf, screener, people):
    approved = _clear(wf, people, screener)
    again = wf.screen_customer(people.screener, "C-1", KARIM, screener)
    assert again.new_alerts == [] and again.auto_cleared == ["watchlist:WL-001"]
    assert again.dispositions[0] == {"disposition": "auto-cleared", "goodguy_id": approved.goodguy_id}
    assert again.to_dict()["workflow"]["auto_cleared"] == 1
    records = wf.audit_records(people.admin, limit=1000)
    cleared = [r for r in records if r.action == "alert.auto_clear"]
    assert len(cleared) == 1 and cleared[0].payload["goodguy_id"] == approved.goodguy_id
    assert cleared[0].subject == f"screening:{again.screening_id}"


def test_pending_false_positive_clears_nothing(wf, screener, people):
    alert_id = wf.screen_customer(people.screener, "C-1", KARIM, screener).new_alerts[0]
    wf.decide(people.analyst, alert_id, "false-positive", "not him")
    again = wf.screen_customer(people.screener, "C-1", KARIM, screener)
    assert again.dispositions[0]["disposition"] == "open-alert"


def test_goodguy_is_bound_to_the_customer(wf, screener, people):
    _clear(wf, people, screener, "C-1")
    other = wf.screen_customer(people.screener, "C-2", KARIM, screener)
    assert len(other.new_alerts) == 1


def test_alert_comes_back_when_the_customer_fields_change(wf, screener, people):
    _clear(wf, people, screener)
    changed = wf.screen_customer(people.screener, "C-1", dict(KARIM, country="Lebanon"), screener)
    assert len(changed.new_alerts) == 1 and changed.auto_cleared == []


def test_alert_comes_back_when_the_list_entry_changes(wf, import_watchlist, screener, people):
    _clear(wf, people, screener)
    import_watchlist("v2")  # WL-001 amended: a new alias and passport
    screener_v2 = wf.load_screener(use_cache=False)
    again = wf.screen_customer(people.screener, "C-1", KARIM, screener_v2)
    assert len(again.new_alerts) == 1 and again.auto_cleared == []
    alert = wf.get_alert(people.analyst, again.new_alerts[0])
    assert alert.list_versions == {"watchlist": 2} and alert.list_version == 2
    # Unchanged entries keep their clearance across versions: WL-005 is the same in v1 and v2.
    amina = {"name": "Amina Siddiqui", "dob": "1985-07-19"}
    _clear(wf, people, screener_v2, "C-5", amina)
    assert wf.screen_customer(people.screener, "C-5", amina, screener).auto_cleared == ["watchlist:WL-005"]


def test_confirmed_true_match_is_not_raised_again_on_the_same_evidence(wf, screener, people):
    alert_id = wf.screen_customer(people.screener, "C-1", KARIM, screener).new_alerts[0]
    decision = wf.decide(people.analyst, alert_id, "true-match", "same DOB and passport")
    wf.approve(people.supervisor, decision.id)
    again = wf.screen_customer(people.screener, "C-1", KARIM, screener)
    assert again.new_alerts == []
    assert again.dispositions[0] == {"disposition": "confirmed-true-match", "alert_id": alert_id}
