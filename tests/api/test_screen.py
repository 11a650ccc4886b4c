"""POST /screen, /screen/batch and /text against the real app (both databases): the documented shapes,
the CLI's answer for the same query, 422 with a clear JSON message for bad input, size limits."""

from __future__ import annotations

import base64
import json

from typer.testing import CliRunner

KARIM = {"name": "Karim Haddad", "dob": "1971", "country": "Lebanon"}


def test_screen_answers_what_the_cli_prints(client, keys, cli_env):
    from ctscreen.cli import app as cli

    response = client.post("/screen", json=KARIM, headers=keys.headers("screener"))
    assert response.status_code == 200
    printed = CliRunner().invoke(
        cli, ["screen", "Karim Haddad", "--dob", "1971", "--country", "Lebanon", "--json"], env=cli_env
    )
    assert printed.exit_code == 0, printed.output
    assert response.json() == json.loads(printed.stdout)
    body = response.json()
    assert body["alert"] is True and body["list_versions"] == {"watchlist": 1}
    (best, *_) = body["hits"]
    assert best["entity_id"] == "watchlist:WL-001" and best["explanation"]["evidence"]


def test_screen_options_and_field_aliases(client, keys):
    headers = keys.headers("screener")
    body = {"name": "Karim Haddad", "type": "person", "id": "LB1234567", "profile": "border", "limit": 1}
    answer = client.post("/screen", json=body, headers=headers).json()
    assert answer["query"] == {"name": "Karim Haddad", "schema": "person", "id_number": "LB1234567"}
    assert answer["profile"] == "border" and len(answer["hits"]) == 1
    high = client.post("/screen", json={**KARIM, "threshold": 1.0}, headers=headers).json()
    assert high["threshold"] == 1.0 and not high["alert"]
    nothing = client.post("/screen", json={"name": "Zyxwvut Qqqq"}, headers=headers).json()
    assert nothing["hits"] == [] and nothing["alert"] is False


def test_recorded_screening_raises_alerts(client, keys):
    headers = keys.headers("screener")
    answer = client.post("/screen", json={**KARIM, "record": True}, headers=headers)
    assert answer.status_code == 200
    body = answer.json()
    assert body["screening_id"] >= 1 and body["workflow"]["new_alerts"] == 1
    assert body["hits"][0]["workflow"]["disposition"] == "alert"
    stored = client.get(f"/screenings/{body['screening_id']}", headers=keys.headers("analyst")).json()
    assert stored["hits"] == body["hits"]
    refused = client.post("/screen", json={**KARIM, "record": True, "limit": 2}, headers=headers)
    assert refused.status_code == 422 and refused.json()["error"]["message"].startswith("limit:")


def test_batch_keeps_order_and_places_of_bad_queries(client, keys):
    queries = [
        {"id": "a", "name": "Karim Haddad", "dob": "1971"},
        {"id": "b", "name": "Amina Siddiqui", "dob": "31/31/1990"},
        {"id": "c", "name": "Dmitri Volkonsky", "country": "Atlantis"},
        {"name": "Yusuf Benali", "type": "person"},
    ]
    response = client.post("/screen/batch", json={"queries": queries}, headers=keys.headers("screener"))
    assert response.status_code == 200
    body = response.json()
    assert [r["id"] for r in body["results"]] == ["a", "b", "c", None]
    assert body["screened"] == 2 and body["errors"] == 2 and body["list_versions"] == {"watchlist": 1}
    assert "dob" in body["results"][1]["error"] and body["results"][1]["hits"] == []
    assert body["results"][2]["error"].startswith("country:")


def test_batch_bounds(client, keys):
    headers = keys.headers("screener")
    thousand = {"queries": [{"name": f"Person Number{i}"} for i in range(1000)]}
    ok = client.post("/screen/batch", json=thousand, headers=headers)
    assert ok.status_code == 200 and len(ok.json()["results"]) == 1000
    over = client.post(
        "/screen/batch", json={"queries": thousand["queries"] + [{"name": "One More"}]}, headers=headers
    )
    assert over.status_code == 422
    error = over.json()["error"]
    assert error["code"] == "validation_error" and error["details"][0]["field"] == "body.queries"
    assert "1000" in error["details"][0]["message"]
    empty = client.post("/screen/batch", json={"queries": []}, headers=headers)
    assert empty.status_code == 422


def _error(response, status):
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "code", "message", "details"}
    assert body["error"]["status"] == status and body["error"]["message"]
    return body["error"]


def test_validation_errors_are_422_with_a_clear_json_message(client, keys):
    headers = keys.headers("screener")
    missing = _error(client.post("/screen", json={"dob": "1971"}, headers=headers), 422)
    assert missing["code"] == "validation_error"
    assert missing["details"] == [{"field": "body.name", "message": "Field required", "type": "missing"}]
    assert missing["message"] == "invalid request: body.name: Field required"
    extra = _error(client.post("/screen", json={"name": "x", "nmae": "y"}, headers=headers), 422)
    assert extra["details"][0]["field"] == "body.nmae"
    wrong = _error(client.post("/screen", json={"name": 12}, headers=headers), 422)
    assert wrong["details"][0]["field"] == "body.name"
    for bad in ({"threshold": 0}, {"threshold": 1.5}, {"profile": "nope"}, {"gender": "x"}, {"limit": 0}):
        error = _error(client.post("/screen", json={"name": "Karim"} | bad, headers=headers), 422)
        assert error["details"][0]["field"] == f"body.{next(iter(bad))}"
    long = _error(client.post("/screen", json={"name": "a" * 501}, headers=headers), 422)
    assert "500" in long["details"][0]["message"]
    blank = _error(client.post("/screen", json={"name": "   "}, headers=headers), 422)
    assert blank["code"] == "invalid_query" and blank["message"] == "name: empty"
    date = _error(client.post("/screen", json={"name": "Karim", "dob": "1971-13"}, headers=headers), 422)
    assert date["message"].startswith("dob:")
    country = _error(client.post("/screen", json={"name": "K", "country": "Narnia"}, headers=headers), 422)
    assert country["message"].startswith("country:")
    broken = _error(
        client.post("/screen", content=b'{"name": ', headers={**headers, "content-type": "application/json"}),
        422,
    )
    assert broken["details"][0]["type"] == "json_invalid"
    not_object = _error(client.post("/screen", json=["Karim"], headers=headers), 422)
    assert not_object["code"] == "validation_error"
    path = _error(client.get("/alerts/0", headers=keys.headers("analyst")), 422)
    assert path["details"][0]["field"] == "path.alert_id"
    query = _error(client.get("/alerts?limit=100000", headers=keys.headers("analyst")), 422)
    assert query["details"][0]["field"] == "query.limit"
    nul = _error(
        client.post(
            "/alerts/1/decisions",
            json={"outcome": "escalate", "reason": "a\x00b"},
            headers=keys.headers("analyst"),
        ),
        422,
    )
    assert nul["details"][0]["field"] == "body.reason"


def test_other_errors_share_the_shape(client, keys):
    _error(client.get("/no/such/thing", headers=keys.headers("screener")), 404)
    assert (
        _error(client.delete("/screen", headers=keys.headers("screener")), 405)["code"]
        == "method_not_allowed"
    )
    missing = _error(client.get("/entities/watchlist/NOPE-1", headers=keys.headers("screener")), 404)
    assert "NOPE-1" in missing["message"]
    unknown = _error(client.get("/entities/nolist/WL-001", headers=keys.headers("screener")), 404)
    assert "nolist" in unknown["message"]
    conflict = _error(client.post("/keys/000000000000/revoke", headers=keys.headers("admin")), 404)
    assert conflict["code"] == "not_found"


def test_entities(client, keys):
    found = client.get("/entities/watchlist/WL-001", headers=keys.headers("screener"))
    assert found.status_code == 200
    body = found.json()
    assert body["entity_id"] == "watchlist:WL-001" and body["list_version"] == 1
    assert body["entity"]["names"][0]["full"] == "Karim Abdelsalam Haddad"
    assert body["entity"]["schema"] == "person"
    old = client.get("/entities/watchlist/WL-001?version=1", headers=keys.headers("screener"))
    assert old.json() == body


def test_request_size_limits(client, keys):
    headers = {**keys.headers("screener"), "content-type": "application/json"}
    big = json.dumps({"name": "Karim", "dob": " " * (1024 * 1024)}).encode()
    too_large = _error(client.post("/screen", content=big, headers=headers), 413)
    assert too_large["code"] == "payload_too_large" and "1048576" in too_large["message"]

    def chunks():  # no Content-Length: the body is read only up to the limit
        for _ in range(40):
            yield b" " * 65536

    streamed = _error(client.post("/screen", content=chunks(), headers=headers), 413)
    assert "more than 1048576" in streamed["message"]
    # /text has its own, larger bound (10 MiB by default): 2 MiB of text is screened.
    text = ("Nothing to see here. " * 100_000).encode()
    assert len(text) > 2 * 1024 * 1024
    raw = {**keys.headers("screener"), "content-type": "text/plain"}
    assert client.post("/text", content=text, headers=raw).status_code == 200
    assert _error(client.post("/text", content=text * 5, headers=raw), 413)["code"] == "payload_too_large"


def test_text_json_and_raw(client, keys):
    headers = keys.headers("screener")
    document = "Officials said Karim Abdelsalam Haddad had travelled to Beirut in March."
    as_json = client.post("/text", json={"text": document, "profile": "kyc"}, headers=headers)
    assert as_json.status_code == 200
    body = as_json.json()
    assert body["format"] == "plain" and body["alert"] is True
    assert body["mentions"][0]["text"] == "Karim Abdelsalam Haddad"
    assert body["mentions"][0]["hits"][0]["entity_id"] == "watchlist:WL-001"
    raw = client.post(
        "/text?profile=kyc", content=document.encode(), headers={**headers, "content-type": "text/plain"}
    )
    assert raw.status_code == 200 and raw.json()["mentions"] == body["mentions"]
    html = f"<html><body><p>{document}</p><script>var x = 1;</script></body></html>"
    encoded = base64.b64encode(html.encode()).decode()
    as_html = client.post("/text", json={"content_base64": encoded}, headers=headers).json()
    assert as_html["format"] == "html" and as_html["alert"] is True


def test_text_bad_input(client, keys):
    headers = keys.headers("screener")
    both = _error(client.post("/text", json={"text": "a", "content_base64": "YQ=="}, headers=headers), 422)
    assert "exactly one" in both["message"]
    neither = _error(client.post("/text", json={"format": "plain"}, headers=headers), 422)
    assert "exactly one" in neither["message"]
    _error(client.post("/text", json={"content_base64": "###"}, headers=headers), 422)
    _error(client.post("/text", json={"text": "a", "encoding": "no-such-codec"}, headers=headers), 422)
    _error(
        client.post(
            "/text?encoding=no-such-codec", content=b"a", headers=headers | {"content-type": "text/plain"}
        ),
        422,
    )
    _error(client.post("/text", content=b"", headers=headers | {"content-type": "text/plain"}), 422)
    binary = _error(
        client.post(
            "/text",
            content=b"PK\x03\x04" + bytes(range(256)) * 4,
            headers=headers | {"content-type": "application/octet-stream"},
        ),
        422,
    )
    assert binary["code"] == "invalid_text"
    media = _error(
        client.post(
            "/text", content=b"a=b", headers=headers | {"content-type": "application/x-www-form-urlencoded"}
        ),
        415,
    )
    assert media["code"] == "unsupported_media_type"
