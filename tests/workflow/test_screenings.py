"""Screening customers and screening without a customer: stored results, alerts and their evidence."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ctscreen.matching import ENGINE_VERSION, PROFILES, Query
from ctscreen.store.tables import entities, list_versions
from ctscreen.workflow import InvalidInput, NotFound, PermissionDenied

KARIM = {"name": "Karim Haddad", "dob": "1971", "schema": "person"}


def test_customer_screening_stores_customer_result_and_alert_with_evidence(wf, screener, people, store):
    record = wf.screen_customer(people.screener, "C-1", KARIM, screener, "kyc")
    assert record.customer_id == "C-1" and len(record.new_alerts) == 1
    data = record.to_dict()
    assert data["workflow"] == {
        "new_alerts": 1,
        "open_alerts": 0,
        "auto_cleared": 0,
        "confirmed_true_matches": 0,
    }
    hit = data["hits"][0]
    assert hit["entity_id"] == "watchlist:WL-001" and hit["workflow"]["disposition"] == "alert"

    alert = wf.get_alert(people.analyst, record.new_alerts[0])
    assert alert.status == "open" and alert.customer_id == "C-1" and alert.screening_id == record.screening_id
    assert alert.list_versions == {"watchlist": 1} and alert.list_version == 1
    assert (
        alert.engine_version == ENGINE_VERSION
        and alert.profile == "kyc"
        and alert.threshold == PROFILES["kyc"].threshold
    )
    assert alert.score == hit["score"] and alert.explanation["explanation"]["name"] is not None
    with store.engine.connect() as conn:
        stored_hash = conn.execute(
            select(entities.c.content_hash)
            .join(list_versions, list_versions.c.id == entities.c.version_id)
            .where(list_versions.c.source == "watchlist", entities.c.ref == "WL-001")
        ).scalar_one()
    assert alert.entity_hash == stored_hash

    customer = wf.get_customer(people.analyst, "C-1")
    assert customer.fields == {"dob": "1971", "name": "Karim Haddad", "schema": "person"}
    assert customer.last_screening_id == record.screening_id
    assert wf.get_screening(people.analyst, record.screening_id) == data


def test_rescreening_same_customer_does_not_duplicate_the_active_alert(wf, screener, people):
    first = wf.screen_customer(people.screener, "C-1", KARIM, screener)
    second = wf.screen_customer(people.screener, "C-1", dict(KARIM, name="  Karim   Haddad "), screener)
    assert second.new_alerts == []
    assert second.dispositions[0] == {"disposition": "open-alert", "alert_id": first.new_alerts[0]}
    assert len(wf.list_alerts(people.analyst, customer_id="C-1")) == 1


def test_changed_customer_fields_supersede_the_active_alert(wf, screener, people):
    first = wf.screen_customer(people.screener, "C-1", KARIM, screener)
    second = wf.screen_customer(people.screener, "C-1", dict(KARIM, dob="1971-03-04"), screener)
    assert len(second.new_alerts) == 1
    old = wf.get_alert(people.analyst, first.new_alerts[0])
    assert old.status == "closed-superseded" and "customer's fields changed" in old.closed_reason
    assert [a.id for a in wf.list_alerts(people.analyst, status="active")] == second.new_alerts


def test_screening_without_customer_is_recorded_and_alerts(wf, screener, people):
    record = wf.screen(people.screener, Query("Amina Siddiqui", dob="1985-07-19"), screener, "border")
    assert record.customer_id is None and len(record.new_alerts) == 1
    again = wf.screen(people.screener, {"name": "Amina Siddiqui"}, screener, "border")
    assert len(again.new_alerts) == 1  # no customer: nothing to deduplicate against
    alert = wf.get_alert(people.analyst, again.new_alerts[0])
    assert alert.customer_id is None and alert.profile == "border"


def test_hits_below_threshold_raise_no_alert(wf, screener, people):
    record = wf.screen_customer(people.screener, "C-9", {"name": "John Smith"}, screener)
    assert record.result.hits == [] and record.new_alerts == []
    record = wf.screen_customer(people.screener, "C-1", KARIM, screener, threshold=0.99)
    assert record.result.hits and record.new_alerts == [] and record.dispositions == [None]


def test_screener_role_screens_but_cannot_read(wf, screener, people):
    record = wf.screen_customer(people.screener, "C-1", KARIM, screener)
    with pytest.raises(PermissionDenied):
        wf.get_alert(people.screener, record.new_alerts[0])
    with pytest.raises(PermissionDenied):
        wf.list_alerts(people.screener)
    with pytest.raises(PermissionDenied):
        wf.get_customer(people.screener, "C-1")


@pytest.mark.parametrize(
    ("customer_id", "fields", "message"),
    [
        ("", KARIM, "customer_id: empty"),
        ("C-1", {"name": "  "}, "name: empty"),
        ("C-1", {"name": "X", "shoe_size": "44"}, "shoe_size: not a screening field"),
        ("C-1", {"name": "X", "dob": "yesterday"}, "dob:"),
        ("C-1", {"name": "X", "country": "Atlantis"}, "country:"),
    ],
)
def test_bad_input_is_refused_naming_the_field(wf, screener, people, customer_id, fields, message):
    with pytest.raises(InvalidInput, match=message):
        wf.screen_customer(people.screener, customer_id, fields, screener)


def test_unknown_profile_and_missing_records(wf, screener, people):
    with pytest.raises(InvalidInput, match="profile"):
        wf.screen_customer(people.screener, "C-1", KARIM, screener, "casino")
    with pytest.raises(NotFound):
        wf.get_alert(people.analyst, 999)
    with pytest.raises(NotFound):
        wf.get_customer(people.analyst, "nobody")
    with pytest.raises(NotFound):
        wf.get_screening(people.analyst, 999)
