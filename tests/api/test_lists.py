"""List updates through the API (a loopback mirror stands in for the publishers): a good update is
activated, audited and served at once; a failed download, parse or validation, or an index load that
crashes, leaves the previous version served. Rollback; /health freshness (both databases)."""

from __future__ import annotations

import pytest

ABDUL = {"name": "Abdul Kareem Testi"}


@pytest.fixture
def mirrored_app(settings_for, store, watchlist, mirror):
    from ctscreen.api import create_app

    return create_app(settings_for(mirror=f"{mirror.url}/m"))


@pytest.fixture
def mclient(mirrored_app):
    from fastapi.testclient import TestClient

    with TestClient(mirrored_app) as test_client:
        yield test_client


def _versions(client, keys):
    return client.post("/screen", json=ABDUL, headers=keys.headers("screener")).json()["list_versions"]


def test_update_activates_audits_and_serves_the_new_version_at_once(mclient, keys, mirror, un_fixtures):
    # A stored customer that the new list will match: re-screened after the update.
    screened = mclient.post(
        "/customers/C-UN/screen", json={"name": "Abdul Karim al-Testi"}, headers=keys.headers("screener")
    )
    assert screened.status_code == 200 and screened.json()["workflow"]["new_alerts"] == 0
    mirror.serve("/m/un/consolidated.xml", (un_fixtures / "sample.xml").read_bytes())
    response = mclient.post("/lists/update", json={"sources": ["un"]}, headers=keys.headers("admin"))
    assert response.status_code == 200, response.text
    (outcome,) = response.json()["results"]
    assert outcome["status"] == "updated" and outcome["version"] == 1 and outcome["entities"] == 3
    assert "re-screened 1 of 1 customers" in outcome["rescreen"] and "1 new alerts" in outcome["rescreen"]
    assert response.json()["index"]["list_versions"] == {"un": 1, "watchlist": 1}
    answer = mclient.post("/screen", json=ABDUL, headers=keys.headers("screener")).json()
    assert answer["list_versions"] == {"un": 1, "watchlist": 1}
    assert answer["hits"][0]["entity_id"] == "un:QDi.901"
    audit = mclient.get("/audit?subject=list:un:v1", headers=keys.headers("admin")).json()
    assert [(r["action"], r["actor"]) for r in audit] == [
        ("list.import", "Ada Admin"),
        ("list.activate", "Ada Admin"),
    ]
    again = mclient.post("/lists/update", json={"sources": ["un"]}, headers=keys.headers("admin"))
    assert again.status_code == 200 and again.json()["results"][0]["status"] == "unchanged"


@pytest.mark.parametrize(
    ("served", "status", "code"),
    [
        ("html_page.xml", 502, "download_failed"),  # an HTML page instead of the list
        ("shrunk", 409, "import_refused"),  # a valid list that lost more than half its entries
        ("no_records.xml", 422, "list_format_error"),  # the root element without its sections
        ("truncated.xml", 422, "list_format_error"),  # a broken file
        (None, 502, "download_failed"),  # 404 at the mirror
    ],
)
def test_failed_update_leaves_the_previous_version_served(
    mclient, keys, mirror, un_fixtures, served, status, code
):
    mirror.serve("/m/un/consolidated.xml", (un_fixtures / "sample.xml").read_bytes())
    assert (
        mclient.post("/lists/update", json={"sources": ["un"]}, headers=keys.headers("admin")).status_code
        == 200
    )
    before = _versions(mclient, keys)
    if served is None:
        mirror.routes.clear()
    elif served == "shrunk":
        mirror.serve("/m/un/consolidated.xml", _shrunk_sample(un_fixtures))
    else:
        mirror.serve("/m/un/consolidated.xml", (un_fixtures / served).read_bytes())
    response = mclient.post("/lists/update", json={"sources": ["un"]}, headers=keys.headers("admin"))
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code and "active versions are unchanged" in error["message"]
    assert error["details"] == [{"source": "un", "status": "failed", "error": error["details"][0]["error"]}]
    assert _versions(mclient, keys) == before == {"un": 1, "watchlist": 1}
    lists = mclient.get("/lists?all=true", headers=keys.headers("screener")).json()["lists"]
    assert [(v["source"], v["version"]) for v in lists] == [("un", 1), ("watchlist", 1)]
    assert mclient.get("/health").json()["status"] == "ok"


def _shrunk_sample(un_fixtures) -> bytes:
    """sample.xml (3 entries) with its two individuals cut out: one entry left."""
    text = (un_fixtures / "sample.xml").read_text(encoding="utf-8")
    start, end = text.index("<INDIVIDUALS>"), text.index("</INDIVIDUALS>")
    return (text[: start + len("<INDIVIDUALS>")] + text[end:]).encode("utf-8")


def test_update_refuses_unknown_and_retired_lists(mclient, keys):
    for name in ("uk-ofsi", "no-such-list"):
        response = mclient.post("/lists/update", json={"sources": [name]}, headers=keys.headers("admin"))
        assert response.status_code == 422 and name in response.json()["error"]["message"]


def test_rollback_by_activation(client, keys, publish, wait):
    publish("v2")  # activated by another process (the CLI): the watcher picks it up
    wait(lambda: _versions(client, keys) == {"watchlist": 2})
    rahimi = client.post("/screen", json={"name": "Tariq Jameel Rahimi"}, headers=keys.headers("screener"))
    assert rahimi.json()["hits"][0]["entity_id"] == "watchlist:WL-006"
    back = client.post("/lists/watchlist/activate", json={"version": 1}, headers=keys.headers("admin"))
    assert back.status_code == 200
    assert back.json()["previous_version"] == 2 and back.json()["index"]["list_versions"] == {"watchlist": 1}
    assert _versions(client, keys) == {"watchlist": 1}  # at once, in this worker
    gone = client.post("/screen", json={"name": "Tariq Jameel Rahimi"}, headers=keys.headers("screener"))
    assert all(h["entity_id"] != "watchlist:WL-006" for h in gone.json()["hits"])
    missing = client.post("/lists/watchlist/activate", json={"version": 7}, headers=keys.headers("admin"))
    assert missing.status_code == 404


def test_a_crashing_index_load_keeps_the_previous_index(app, client, keys, publish, wait):
    holder = app.state.services.holder
    good_loader = holder.loader

    def crash():
        raise MemoryError("simulated crash while building the index")

    holder.loader = crash
    publish("v2")
    wait(lambda: holder.status().failures >= 1)
    assert _versions(client, keys) == {"watchlist": 1}
    health = client.get("/health")
    assert health.status_code == 200 and health.json()["status"] == "degraded"
    assert health.json()["index"] == health.json()["index"] | {"current": False, "reload_failed": True}
    assert "MemoryError" not in health.text  # details go to the log, not to an unauthenticated answer
    listed = client.get("/lists", headers=keys.headers("screener")).json()
    assert "simulated crash" in listed["index"]["last_error"]
    holder.loader = good_loader  # the next try (after reload_retry) succeeds
    wait(lambda: _versions(client, keys) == {"watchlist": 2})
    assert client.get("/health").json()["status"] == "ok"


def test_health_degrades_when_a_list_is_old(settings_for, watchlist):
    from fastapi.testclient import TestClient

    from ctscreen.api import create_app

    app = create_app(settings_for(max_list_age_hours=1e-6))
    with TestClient(app) as test_client:
        health = test_client.get("/health")
        body = health.json()
        assert health.status_code == 200 and body["status"] == "degraded"
        assert body["problems"][0].startswith("watchlist v1 was imported")


def test_health_and_screening_without_lists(settings_for, keys, home, publish, wait):
    from fastapi.testclient import TestClient

    from ctscreen.api import create_app

    with TestClient(create_app(settings_for())) as test_client:
        health = test_client.get("/health")
        assert health.status_code == 503 and health.json()["status"] == "unavailable"
        assert health.json()["problems"] == ["no lists imported"]
        refused = test_client.post("/screen", json=ABDUL, headers=keys.headers("screener"))
        assert refused.status_code == 503 and refused.json()["error"]["code"] == "no_index"
        publish("v1")
        wait(lambda: test_client.get("/health").status_code == 200)
        assert test_client.post("/screen", json=ABDUL, headers=keys.headers("screener")).status_code == 200
