"""No key or secret reaches the logs: every logger at DEBUG (SQLAlchemy's statement log included) while
keys are created, used, forged, revoked, and sent where they do not belong (query string, body, path)."""

from __future__ import annotations

import logging

import httpx

from ctscreen.cli_serve import log_config


def test_logs_never_contain_a_key(server, keys, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")  # every statement and its parameters
    admin = keys.headers("admin")
    secrets = [keys.tokens[label] for label in keys.tokens]
    with httpx.Client(base_url=server.url, timeout=30) as http:
        created = http.post("/keys", json={"name": "Lee Logger", "role": "analyst"}, headers=admin)
        assert created.status_code == 201
        token, key_id = created.json()["token"], created.json()["key_id"]
        secrets.append(token)
        mine = {"Authorization": f"Bearer {token}"}
        assert http.post("/screen", json={"name": "Karim Haddad"}, headers=mine).status_code == 200
        assert http.get("/alerts", headers=mine).status_code == 200
        assert http.get("/keys", headers=mine).status_code == 403
        forged = token[:-2] + "xx"
        secrets.append(forged)
        assert http.get("/alerts", headers={"Authorization": f"Bearer {forged}"}).status_code == 401
        assert http.get(f"/alerts?api_key={token}", headers=mine).status_code == 200
        assert http.post("/screen", json={"name": token}, headers=mine).status_code == 200
        assert http.post("/screen", json={"name": "x", "key": token}, headers=mine).status_code == 422
        assert http.post(f"/keys/{token}/revoke", headers=admin).status_code == 422
        assert http.post(f"/keys/{key_id}/revoke", headers=admin).status_code == 200
        assert http.get("/alerts", headers=mine).status_code == 401
        assert http.get("/alerts", headers=keys.headers("revoked")).status_code == 401
    out, err = capfd.readouterr()
    # Everything the service side logged: all records but the test's own HTTP client's (httpx, httpcore),
    # whole (message, arguments and any traceback), plus whatever reached stdout and stderr.
    service = [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    logged = "\n".join(caplog.handler.format(r) for r in service) + out + err
    assert "SELECT" in caplog.text  # the statement log was on
    access = [r.getMessage() for r in caplog.records if r.name == "ctscreen.api.access"]
    assert any('"GET /alerts" 200' in line and f"key={key_id}" in line for line in access)
    assert any('"POST /keys/{key_id}/revoke" 422' in line for line in access)
    for secret in secrets:
        assert secret not in logged
        assert secret[len("cts_") + 12 + 1 :] not in logged  # not even the secret part alone


def test_serve_turns_off_the_raw_access_log():
    config = log_config("info")
    assert config["loggers"]["uvicorn.access"] == {"handlers": [], "level": "WARNING", "propagate": False}
    assert config["loggers"]["ctscreen"]["level"] == "INFO"
