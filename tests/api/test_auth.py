"""Keys and roles on every endpoint: no key, a malformed, forged or revoked key is refused with 401; a role
without the permission with 403; four-eyes holds over HTTP (both databases)."""

from __future__ import annotations

import pytest

from ctscreen.workflow import PERMISSIONS

# (method, route template as the app declares it, a concrete path, JSON body, permission needed). For the
# roles that hold the permission the request must get past authentication and the role check; what it
# answers then (200, 404 for an id that does not exist, 422) does not matter here. Bodies are chosen so
# that nothing slow or remote happens (no download: uk-ofsi is refused before any network use).
ENDPOINTS = [
    ("POST", "/screen", "/screen", {"name": "Karim Haddad"}, "screen"),
    ("POST", "/screen/batch", "/screen/batch", {"queries": [{"name": "Karim Haddad"}]}, "screen"),
    ("POST", "/text", "/text", {"text": "Karim Abdelsalam Haddad was seen."}, "screen"),
    ("GET", "/lists", "/lists", None, "screen"),
    ("GET", "/entities/{source}/{ref:path}", "/entities/watchlist/WL-001", None, "screen"),
    ("POST", "/lists/update", "/lists/update", {"sources": ["uk-ofsi"]}, "lists"),
    ("POST", "/lists/{source}/activate", "/lists/watchlist/activate", {"version": 99}, "lists"),
    ("POST", "/customers/{customer_id}/screen", "/customers/C-1/screen", {"name": "Karim Haddad"}, "screen"),
    ("POST", "/customers/{customer_id}/rescreen", "/customers/C-404/rescreen", None, "screen"),
    ("GET", "/customers", "/customers", None, "read"),
    ("GET", "/customers/{customer_id}", "/customers/C-404", None, "read"),
    ("GET", "/screenings/{screening_id}", "/screenings/99999", None, "read"),
    ("GET", "/goodguys", "/goodguys", None, "read"),
    ("GET", "/alerts", "/alerts?status=active", None, "read"),
    ("GET", "/alerts/{alert_id}", "/alerts/99999", None, "read"),
    (
        "POST",
        "/alerts/{alert_id}/decisions",
        "/alerts/99999/decisions",
        {"outcome": "false-positive", "reason": "different person"},
        "decide",
    ),
    ("GET", "/decisions", "/decisions", None, "read"),
    ("GET", "/decisions/pending", "/decisions/pending", None, "approve"),
    ("GET", "/decisions/{decision_id}", "/decisions/99999", None, "read"),
    ("POST", "/decisions/{decision_id}/approve", "/decisions/99999/approve", {}, "approve"),
    ("POST", "/decisions/{decision_id}/reject", "/decisions/99999/reject", {"comment": "no"}, "approve"),
    ("GET", "/keys", "/keys", None, "keys"),
    ("POST", "/keys", "/keys", {"name": "New Person", "role": "screener"}, "keys"),
    ("POST", "/keys/{key_id}/revoke", "/keys/000000000000/revoke", None, "keys"),
    ("GET", "/audit", "/audit", None, "audit"),
    ("GET", "/audit/verify", "/audit/verify", None, "audit"),
    ("POST", "/rescreen", "/rescreen", {}, "rescreen"),
    ("GET", "/exports/{what}", "/exports/alerts", None, "export"),
    ("GET", "/metrics", "/metrics", None, "screen"),
]
PUBLIC = {("GET", "/health")}
ROLES = ("screener", "analyst", "supervisor", "admin")


def _call(client, method, path, body, headers):
    return client.request(method, path, json=body, headers=headers)


def test_every_route_is_in_the_role_table(app):
    declared = {
        (method.upper(), path) for path, operations in app.openapi()["paths"].items() for method in operations
    }
    listed = {(method, template.replace(":path", "")) for method, template, *_ in ENDPOINTS}
    assert declared - PUBLIC == listed, "a route without a role check in this table"


@pytest.mark.parametrize(
    ("method", "template", "path", "body", "permission"),
    ENDPOINTS,
    ids=[f"{m} {t}" for m, t, *_ in ENDPOINTS],
)
def test_role_checks(client, keys, method, template, path, body, permission):
    for role in ROLES:
        response = _call(client, method, path, body, keys.headers(role))
        if permission in PERMISSIONS[role]:
            assert response.status_code not in (401, 403), (role, response.json())
        else:
            assert response.status_code == 403, (role, response.status_code, response.text)
            error = response.json()["error"]
            assert error["code"] == "forbidden" and f"role {role}" in error["message"]
    # No key, a revoked key, a malformed key, another scheme: 401 on every endpoint, before any validation.
    for headers in (
        {},
        keys.headers("revoked"),
        {"Authorization": "Bearer not-a-key"},
        {"Authorization": f"Basic {keys.tokens['admin']}"},
        {"Authorization": keys.tokens["admin"]},
    ):
        response = _call(client, method, path, body, headers)
        assert response.status_code == 401, (headers, response.status_code, response.text)
        assert response.json()["error"]["code"] == "unauthorized"
        assert response.headers["www-authenticate"].startswith("Bearer")


def test_health_needs_no_key(client):
    assert client.get("/health").status_code == 200


def test_forged_secret_is_refused(client, keys):
    token = keys.tokens["admin"]
    forged = token[:-1] + ("A" if token[-1] != "A" else "B")
    response = client.get("/keys", headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401 and response.json()["error"]["message"] == "invalid API key"


def test_revoked_key_is_refused_at_once(client, keys):
    created = client.post(
        "/keys", json={"name": "Tess Temp", "role": "screener"}, headers=keys.headers("admin")
    )
    assert created.status_code == 201
    token, key_id = created.json()["token"], created.json()["key_id"]
    assert token.startswith(f"cts_{key_id}_")
    mine = {"Authorization": f"Bearer {token}"}
    assert client.post("/screen", json={"name": "Karim Haddad"}, headers=mine).status_code == 200
    revoked = client.post(f"/keys/{key_id}/revoke", headers=keys.headers("admin"))
    assert revoked.status_code == 200 and revoked.json()["revoked"] is True
    refused = client.post("/screen", json={"name": "Karim Haddad"}, headers=mine)
    assert refused.status_code == 401
    assert "revoked" in refused.json()["error"]["message"] and token not in refused.text
    again = client.post(f"/keys/{key_id}/revoke", headers=keys.headers("admin"))
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"
    listed = client.get("/keys", headers=keys.headers("admin")).json()
    assert all("token" not in k and "secret" not in str(k) for k in listed)


def _alert_id(client, keys, customer="C-4E"):
    screened = client.post(
        f"/customers/{customer}/screen",
        json={"name": "Karim Abdelsalam Haddad", "dob": "1971-03-04", "profile": "kyc"},
        headers=keys.headers("screener"),
    )
    assert screened.status_code == 200, screened.text
    (alert,) = client.get(f"/alerts?customer_id={customer}", headers=keys.headers("analyst")).json()
    return alert["id"]


def test_screener_cannot_decide_and_analyst_cannot_approve(client, keys):
    alert_id = _alert_id(client, keys)
    decision = {"outcome": "false-positive", "reason": "different date of birth on the passport"}
    refused = client.post(f"/alerts/{alert_id}/decisions", json=decision, headers=keys.headers("screener"))
    assert refused.status_code == 403 and "may not decide alerts" in refused.json()["error"]["message"]
    decided = client.post(f"/alerts/{alert_id}/decisions", json=decision, headers=keys.headers("analyst"))
    assert decided.status_code == 201 and decided.json()["status"] == "pending-approval"
    decision_id = decided.json()["id"]
    for label in ("analyst", "analyst2"):  # the decider, and another analyst: neither may approve
        refused = client.post(f"/decisions/{decision_id}/approve", headers=keys.headers(label))
        assert refused.status_code == 403
    approved = client.post(f"/decisions/{decision_id}/approve", json={}, headers=keys.headers("supervisor"))
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert approved.json()["alert_status"] == "closed-false-positive"


def test_nobody_approves_their_own_decision(client, keys, store):
    from ctscreen.workflow import Workflow, local_principal

    alert_id = _alert_id(client, keys, "C-OWN")
    decision = {"outcome": "true-match", "reason": "same passport number"}
    decided = client.post(f"/alerts/{alert_id}/decisions", json=decision, headers=keys.headers("supervisor"))
    assert decided.status_code == 201
    decision_id = decided.json()["id"]
    own = client.post(f"/decisions/{decision_id}/approve", headers=keys.headers("supervisor"))
    assert own.status_code == 403 and own.json()["error"]["code"] == "forbidden"
    # The same person with a second key (names compared without case and spacing) is still refused.
    _, second = Workflow(store).create_key(local_principal(), "  sue   SUPERVISOR ", "supervisor")
    again = client.post(f"/decisions/{decision_id}/approve", headers={"Authorization": f"Bearer {second}"})
    assert again.status_code == 403
    other = client.post(f"/decisions/{decision_id}/approve", headers=keys.headers("supervisor2"))
    assert other.status_code == 200 and other.json()["alert_status"] == "closed-true-match"
