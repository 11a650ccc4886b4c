"""API keys: created once, stored hashed, refused when revoked or forged; roles and permissions."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from ctscreen.store.tables import metadata
from ctscreen.workflow import (
    PERMISSIONS,
    ROLES,
    AuthenticationFailed,
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
    Principal,
    local_principal,
    require,
)
from ctscreen.workflow.keys import token_hash


def test_key_is_shown_once_and_stored_as_a_hash(wf):
    info, token = wf.create_key(local_principal(), "Ana Analyst", "analyst")
    assert token.startswith(f"cts_{info.key_id}_") and len(token) == 4 + 12 + 1 + 43
    assert wf.authenticate(token) == Principal(info.key_id, "Ana Analyst", "analyst")
    from ctscreen.store.workflow_tables import api_keys

    with wf.engine.connect() as conn:
        row = conn.execute(select(api_keys)).one()
    assert row.secret_sha256 == token_hash(token) and token not in str(tuple(row))
    (listed,) = wf.list_keys(local_principal())
    assert listed.key_id == info.key_id and not listed.revoked and "token" not in listed.to_dict()


@pytest.mark.parametrize(
    "bad",
    ["", "cts_", "Bearer x", "cts_0123456789ab_" + "A" * 43, "cts_0123456789ab_short", "cts_xyz_" + "A" * 43],
)
def test_unknown_or_malformed_keys_are_refused(wf, bad):
    wf.create_key(local_principal(), "Ana", "analyst")
    with pytest.raises(AuthenticationFailed):
        wf.authenticate(bad)


def test_forged_secret_for_a_real_key_id_is_refused(wf):
    info, token = wf.create_key(local_principal(), "Ana", "analyst")
    forged = token[:-1] + ("A" if token[-1] != "A" else "B")
    with pytest.raises(AuthenticationFailed, match="invalid"):
        wf.authenticate(forged)


def test_revoked_key_is_refused_and_revocation_is_final(wf, people):
    token = people.tokens["analyst"]
    revoked = wf.revoke_key(people.admin, token)  # a whole token is accepted; only its id is used
    assert revoked.revoked and revoked.revoked_by == "Ada Admin"
    with pytest.raises(AuthenticationFailed, match="revoked"):
        wf.authenticate(token)
    with pytest.raises(Conflict):
        wf.revoke_key(people.admin, people.analyst.key_id)
    with pytest.raises(NotFound):
        wf.revoke_key(people.admin, "0123456789ab")
    with pytest.raises(InvalidInput):
        wf.revoke_key(people.admin, "not-a-key")
    assert {k.key_id for k in wf.list_keys(people.admin, include_revoked=False)} == {
        p.key_id for label, p in people.principals.items() if label != "analyst"
    }


def test_only_admins_manage_keys(wf, people):
    for label in ("screener", "analyst", "supervisor"):
        with pytest.raises(PermissionDenied):
            wf.create_key(people.principals[label], "Eve", "admin")
        with pytest.raises(PermissionDenied):
            wf.list_keys(people.principals[label])
        with pytest.raises(PermissionDenied):
            wf.revoke_key(people.principals[label], people.admin.key_id)
    info, _ = wf.create_key(people.admin, "New Analyst", "analyst")
    assert info.created_by == "Ada Admin"


@pytest.mark.parametrize(("name", "role", "field"), [("", "analyst", "name"), ("Eve", "root", "role")])
def test_key_input_is_checked(wf, name, role, field):
    with pytest.raises(InvalidInput, match=field):
        wf.create_key(local_principal(), name, role)


def test_role_permissions_are_cumulative():
    assert ROLES == ("screener", "analyst", "supervisor", "admin")
    for lower, higher in zip(ROLES, ROLES[1:], strict=False):
        assert PERMISSIONS[lower] < PERMISSIONS[higher]
    assert PERMISSIONS["screener"] == {"screen"}
    assert "decide" in PERMISSIONS["analyst"] and "approve" not in PERMISSIONS["analyst"]
    assert {"approve", "export", "audit"} <= PERMISSIONS["supervisor"] and "keys" not in PERMISSIONS[
        "supervisor"
    ]
    assert {"keys", "lists", "rescreen"} <= PERMISSIONS["admin"]
    with pytest.raises(PermissionDenied, match="may not decide"):
        require(Principal("k", "Sam", "screener"), "decide")
    require(Principal("k", "Sue", "supervisor"), "approve")


def test_no_key_or_secret_appears_in_logs_or_the_database(wf, people, caplog):
    caplog.set_level(logging.DEBUG)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.DEBUG)  # SQL statements and parameters
    try:
        info, token = wf.create_key(people.admin, "Logged Person", "analyst")
        wf.authenticate(token)
        with pytest.raises(AuthenticationFailed) as refused:
            wf.authenticate(token[:-2] + "zz")
        wf.revoke_key(people.admin, info.key_id)
        with pytest.raises(AuthenticationFailed) as revoked:
            wf.authenticate(token)
    finally:
        logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
    secret = token.split("_", 2)[2]
    assert caplog.records and "secret_sha256" in caplog.text  # the SQL was logged...
    assert secret not in caplog.text  # ...but never the secret
    assert secret not in str(refused.value) and secret not in str(revoked.value)
    with wf.engine.connect() as conn:
        for table in metadata.sorted_tables:
            for row in conn.execute(select(table)):
                assert secret not in str(tuple(row)), table.name
