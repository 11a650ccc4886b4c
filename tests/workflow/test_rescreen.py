"""Delta re-screening after a list version is activated: only affected customers, with the reasons."""

from __future__ import annotations

import pytest

from ctscreen.matching import Query
from ctscreen.workflow import InvalidInput, on_list_activated
from ctscreen.workflow.rescreen import delta_screener

CUSTOMERS = {
    "C-1": {"name": "Karim Haddad", "dob": "1971"},  # WL-001, amended in v2
    "C-2": {"name": "Yusuf Benali"},  # WL-002, unchanged
    "C-3": {"name": "Northern Crescent Relief Foundation", "schema": "organization"},  # WL-003, removed
    "C-4": {"name": "Tariq Jameel Rahimi"},  # no hit in v1; WL-006, added in v2
    "C-5": {"name": "John Smith"},  # nothing
}


@pytest.fixture
def screened(wf, screener, people):
    alerts = {}
    for customer_id, fields in CUSTOMERS.items():
        alerts[customer_id] = wf.screen_customer(people.screener, customer_id, fields, screener).new_alerts
    return alerts


def test_new_version_rescreens_only_affected_customers(wf, store, import_watchlist, screened, people):
    assert {k: len(v) for k, v in screened.items()} == {"C-1": 1, "C-2": 1, "C-3": 1, "C-4": 0, "C-5": 0}
    # A pending decision on the alert whose entry is removed becomes void.
    pending = wf.decide(people.analyst, screened["C-3"][0], "false-positive", "a different charity")
    import_watchlist("v2")
    screener_v2 = wf.load_screener(use_cache=False)

    report = on_list_activated(store, "watchlist", 1, 2, screener_v2)

    assert (report.added, report.amended, report.removed) == (1, 1, 1)
    assert report.customers_total == 5 and report.customers_rescreened == 2
    assert report.touched == {"C-1": ["watchlist:WL-001"], "C-4": ["watchlist:WL-006"]}
    assert report.new_alerts == 2 and report.closed_alerts == 1 and report.closed == screened["C-3"]
    delisted = wf.get_alert(people.analyst, screened["C-3"][0])
    assert delisted.status == "closed-delisted" and delisted.closed_reason == "delisted in watchlist v2"
    assert wf.get_decision(people.analyst, pending.id).status == "void"
    superseded = wf.get_alert(people.analyst, screened["C-1"][0])
    assert superseded.status == "closed-superseded" and "list entry changed" in superseded.closed_reason
    assert wf.get_alert(people.analyst, screened["C-2"][0]).status == "open"  # untouched
    (c4_alert,) = wf.list_alerts(people.analyst, customer_id="C-4")
    assert c4_alert.entity_id == "watchlist:WL-006" and c4_alert.list_versions == {"watchlist": 2}
    screening = wf.get_screening(people.analyst, c4_alert.screening_id)
    assert screening["reason"] == "rescreen watchlist v2"
    data = report.to_dict()
    assert data["changes"] == {"added": 1, "amended": 1, "removed": 1} and data["why"] == report.touched
    actions = [r.action for r in wf.audit_records(people.admin, limit=1000)]
    assert actions.count("rescreen.run") == 1 and "alert.close" in actions
    assert wf.verify_audit().ok


def test_rescreen_by_hand_skips_lists_already_done(wf, import_watchlist, screened):
    import_watchlist("v2")
    screener_v2 = wf.load_screener(use_cache=False)
    (first,) = wf.rescreen(screener_v2)
    assert first.skipped is None and (first.from_version, first.to_version) == (1, 2)
    assert first.customers_rescreened == 2
    (second,) = wf.rescreen(screener_v2)
    assert second.skipped and "already re-screened" in second.skipped
    (forced,) = wf.rescreen(screener_v2, force=True)
    assert forced.customers_rescreened == 2 and forced.new_alerts == 0  # the alerts are already open


def test_first_version_of_a_list_screens_everyone_against_all_its_entries(wf, screener, screened):
    # `watchlist` v1 was imported before any customer existed: everyone meets all its entries.
    (report,) = wf.rescreen(screener)
    assert report.from_version is None and report.added == 5
    assert set(report.touched) == {"C-1", "C-2", "C-3"} and report.new_alerts == 0


def test_screener_must_hold_the_new_version(wf, store, import_watchlist, screener, screened):
    import_watchlist("v2")
    with pytest.raises(InvalidInput, match="holds watchlist v1"):
        on_list_activated(store, "watchlist", 1, 2, screener)


def test_delta_index_scores_equal_the_full_index(wf, store, import_watchlist, watchlist_v1):
    import_watchlist("v2")
    full = wf.load_screener(use_cache=False)
    changed = [
        e for e in store.iter_entities(store.active_version("watchlist").id) if e.ref in ("WL-001", "WL-006")
    ]
    delta = delta_screener(changed, full, {"watchlist": 2})
    for name in ("Karim Haddad", "Tariq Jameel Rahimi", "Abu Salam", "Karim Rahimi"):
        in_full = {
            h.entity_id: h.score for h in full.screen(Query(name)).hits if h.ref in ("WL-001", "WL-006")
        }
        in_delta = {h.entity_id: h.score for h in delta.screen(Query(name)).hits}
        assert in_delta == in_full, name


def test_removed_entry_without_customers_costs_nothing(wf, store, import_watchlist, watchlist_v1):
    import_watchlist("v2")
    report = on_list_activated(store, "watchlist", 1, 2, wf.load_screener(use_cache=False))
    assert report.customers_total == 0 and report.customers_rescreened == 0 and report.closed_alerts == 0
