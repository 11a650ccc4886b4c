"""The workflow over the real UN consolidated list: alerts with UN references and versions, and delta
re-screening when a new UN version removes one designation and amends another."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ctscreen.importer import import_paths
from ctscreen.model import Name, NameKind
from ctscreen.sources.base import ParsedList

pytestmark = pytest.mark.realdata

CUSTOMERS = {
    "K-1": {"name": "Hafiz Muhammad Saeed", "dob": "1950", "schema": "person"},  # un:QDi.263
    "K-2": {"name": "Sirajuddin Haqqani", "schema": "person"},  # un:TAi.144
    "K-3": {"name": "Tehrik-e Taliban Pakistan", "schema": "organization"},  # un:QDe.132
    "K-4": {"name": "Maria Schmidt", "dob": "1990-02-01", "schema": "person"},
}


@pytest.fixture
def un_store(store, lists_dir):
    (outcome,) = list(import_paths(store, [lists_dir / "un" / "consolidated.xml"]))
    assert outcome.error is None, outcome.error
    return store


def test_real_un_screening_delta_rescreen(wf, un_store, people, tmp_path):
    screener = wf.load_screener(use_cache=False)
    records = {cid: wf.screen_customer(people.screener, cid, f, screener) for cid, f in CUSTOMERS.items()}
    alerts = {cid: [wf.get_alert(people.analyst, a) for a in r.new_alerts] for cid, r in records.items()}
    saeed = next(a for a in alerts["K-1"] if a.ref == "QDi.263")
    assert saeed.list_versions == {"un": 1} and saeed.source == "un" and saeed.entity_hash
    assert any(a.ref == "TAi.144" for a in alerts["K-2"]) and any(a.ref == "QDe.132" for a in alerts["K-3"])
    assert alerts["K-4"] == []

    # UN v2: QDi.263 removed, TAi.144 amended (one more alias), everything else as it was.
    current = list(un_store.iter_entities(un_store.active_version("un").id))
    changed = []
    for entity in current:
        if entity.ref == "QDi.263":
            continue
        if entity.ref == "TAi.144":
            entity = replace(entity, names=(*entity.names, Name("Khalifa Sahib", NameKind.ALIAS)))
        changed.append(entity)
    path = tmp_path / "un-v2.xml"
    path.write_text("un v2 (test)")
    un_store.import_list(ParsedList(source="un", format="un-xml", entities=changed, files=[path]))

    report = wf.on_list_activated("un", 1, 2, wf.load_screener(use_cache=False))
    assert (report.added, report.amended, report.removed) == (0, 1, 1)
    assert report.customers_total == 4 and list(report.touched) == ["K-2"]
    assert report.closed == [saeed.id] and report.new_alerts == 1
    assert wf.get_alert(people.analyst, saeed.id).closed_reason == "delisted in un v2"
    (fresh,) = [
        a for a in wf.list_alerts(people.analyst, customer_id="K-2", status="open") if a.ref == "TAi.144"
    ]
    assert fresh.list_version == 2 and fresh.list_versions == {"un": 2}
    assert wf.verify_audit().ok
