"""The compliance workflow over HTTP (both databases): a customer is screened, the alert is decided and
approved by two people, the good-guy record clears the next screening; keys, audit, re-screening, CSV."""

from __future__ import annotations

import csv
import io

KARIM = {"name": "Karim Abdelsalam Haddad", "dob": "1971-03-04", "country": "Lebanon"}


def test_alert_to_good_guy_over_http(client, keys):
    screened = client.post("/customers/C-100/screen", json=KARIM, headers=keys.headers("screener"))
    assert screened.status_code == 200
    body = screened.json()
    assert body["customer_id"] == "C-100" and body["workflow"]["new_alerts"] == 1
    customer = client.get("/customers/C-100", headers=keys.headers("analyst")).json()
    assert (
        customer["last_screening_id"] == body["screening_id"] and customer["fields"]["name"] == KARIM["name"]
    )
    assert [c["customer_id"] for c in client.get("/customers", headers=keys.headers("analyst")).json()] == [
        "C-100"
    ]

    queue = client.get("/alerts?status=active", headers=keys.headers("analyst")).json()
    assert len(queue) == 1 and queue[0]["entity_id"] == "watchlist:WL-001" and queue[0]["status"] == "open"
    alert_id = queue[0]["id"]
    decided = client.post(
        f"/alerts/{alert_id}/decisions",
        json={"outcome": "false-positive", "reason": "customer born in Tripoli, passport LB0000001"},
        headers=keys.headers("analyst"),
    )
    assert decided.status_code == 201
    decision_id = decided.json()["id"]
    pending = client.get("/decisions/pending", headers=keys.headers("supervisor")).json()
    assert [d["id"] for d in pending] == [decision_id]
    twice = client.post(
        f"/alerts/{alert_id}/decisions",
        json={"outcome": "true-match", "reason": "second opinion"},
        headers=keys.headers("analyst2"),
    )
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "conflict"
    no_comment = client.post(f"/decisions/{decision_id}/reject", json={}, headers=keys.headers("supervisor"))
    assert no_comment.status_code == 422
    approved = client.post(f"/decisions/{decision_id}/approve", headers=keys.headers("supervisor"))
    assert approved.status_code == 200 and approved.json()["goodguy_id"] is not None
    alert = client.get(f"/alerts/{alert_id}", headers=keys.headers("analyst")).json()
    assert alert["status"] == "closed-false-positive"
    assert [d["status"] for d in alert["decisions"]] == ["approved"]
    goodguys = client.get("/goodguys?customer_id=C-100", headers=keys.headers("analyst")).json()
    assert len(goodguys) == 1 and goodguys[0]["entity_id"] == "watchlist:WL-001"
    again = client.post("/customers/C-100/rescreen", headers=keys.headers("screener")).json()
    assert again["workflow"]["auto_cleared"] == 1 and again["workflow"]["new_alerts"] == 0
    decisions = client.get(f"/decisions?alert_id={alert_id}", headers=keys.headers("analyst")).json()
    assert client.get(f"/decisions/{decision_id}", headers=keys.headers("analyst")).json() == decisions[0]

    exported = client.get("/exports/alerts", headers=keys.headers("supervisor"))
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert len(rows) == 1 and rows[0]["entity_id"] == "watchlist:WL-001"
    decisions_csv = client.get("/exports/decisions?status=approved", headers=keys.headers("supervisor"))
    assert len(list(csv.DictReader(io.StringIO(decisions_csv.text)))) == 1

    verified = client.get("/audit/verify", headers=keys.headers("supervisor")).json()
    assert verified["ok"] is True and verified["records"] > 5
    log = client.get(f"/audit?subject=alert:{alert_id}", headers=keys.headers("supervisor")).json()
    assert [r["action"] for r in log][0] == "alert.create"
    assert log[0]["actor"] == "Sam Screener"
    reviewed = client.get(f"/audit?subject=decision:{decision_id}", headers=keys.headers("supervisor")).json()
    assert {r["actor"] for r in reviewed} == {"Ana Analyst", "Sue Supervisor"}


def test_delta_rescreen_after_a_list_update(client, keys, publish, wait):
    client.post(
        "/customers/C-200/screen",
        json={"name": "Tariq Rahimi", "dob": "1979"},
        headers=keys.headers("screener"),
    )
    publish("v2")  # adds WL-006 Tariq Jameel Rahimi
    wait(
        lambda: (
            client.get("/lists", headers=keys.headers("screener")).json()["index"]["list_versions"]
            == {"watchlist": 2}
        )
    )
    reports = client.post("/rescreen", json={"sources": ["watchlist"]}, headers=keys.headers("admin"))
    assert reports.status_code == 200, reports.text
    (report,) = reports.json()
    assert report["to_version"] == 2 and report["new_alerts"] == 1
    alerts = client.get("/alerts?customer_id=C-200", headers=keys.headers("analyst")).json()
    assert [a["entity_id"] for a in alerts] == ["watchlist:WL-006"]


def test_keys_over_http(client, keys):
    admin = keys.headers("admin")
    created = client.post("/keys", json={"name": "Gail Gateway", "role": "screener"}, headers=admin)
    assert created.status_code == 201 and created.json()["role"] == "screener"
    bad_role = client.post("/keys", json={"name": "X", "role": "root"}, headers=admin)
    assert bad_role.status_code == 422 and bad_role.json()["error"]["details"][0]["field"] == "body.role"
    listed = client.get("/keys?include_revoked=false", headers=admin).json()
    assert "Gail Gateway" in {k["name"] for k in listed} and "Rex Revoked" not in {k["name"] for k in listed}
