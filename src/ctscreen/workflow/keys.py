"""API keys and roles: who may do what.

A key is `cts_<key id>_<secret>`: the key id (12 hex characters) is public and names the key in lists and
audit records; the secret is 32 random bytes, URL-safe base64. Only the sha256 of the whole token is
stored: a token has 256 bits of entropy, so nobody can guess one from its hash and a slow password hash
(bcrypt, argon2) would add nothing but latency on every request. Tokens are compared with
`hmac.compare_digest`. The plaintext is returned once by `create_key` and never stored, logged or audited.

Roles are cumulative (docs/workflow.md):

| role       | permissions                                                                 |
|------------|-----------------------------------------------------------------------------|
| screener   | screen                                                                      |
| analyst    | screen, read, decide                                                        |
| supervisor | screen, read, decide, approve, export, audit                                |
| admin      | everything: the above, rescreen, lists, keys                                |
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
import re
import secrets
import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, insert, select, update

from ctscreen.store.workflow_tables import api_keys
from ctscreen.workflow import audit
from ctscreen.workflow._db import now, write_transaction
from ctscreen.workflow.errors import AuthenticationFailed, Conflict, InvalidInput, NotFound, PermissionDenied

ROLES = ("screener", "analyst", "supervisor", "admin")
SCREEN = "screen"  # screen names and customers
READ = "read"  # read customers, screenings, alerts, decisions, good-guy records
DECIDE = "decide"  # record a decision on an alert
APPROVE = "approve"  # confirm or reject another person's decision; decide escalated alerts
EXPORT = "export"  # CSV exports for auditors
AUDIT = "audit"  # read and verify the audit log
RESCREEN = "rescreen"  # run delta re-screening
LISTS = "lists"  # import and activate list versions
KEYS = "keys"  # create, list and revoke API keys
PERMISSIONS: dict[str, frozenset[str]] = {
    "screener": frozenset({SCREEN}),
    "analyst": frozenset({SCREEN, READ, DECIDE}),
    "supervisor": frozenset({SCREEN, READ, DECIDE, APPROVE, EXPORT, AUDIT}),
    "admin": frozenset({SCREEN, READ, DECIDE, APPROVE, EXPORT, AUDIT, RESCREEN, LISTS, KEYS}),
}
TOKEN_PREFIX = "cts"
_TOKEN = re.compile(r"^cts_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$")
_DUMMY_HASH = hashlib.sha256(b"no such key").hexdigest()


@dataclass(frozen=True)
class Principal:
    """Who is acting: an authenticated key, the local CLI operator, or the system itself."""

    key_id: str | None
    name: str
    role: str

    def can(self, permission: str) -> bool:
        return permission in PERMISSIONS.get(self.role, frozenset())

    @property
    def person(self) -> str:
        """The name compared by four-eyes rules: case, accents' composition and spacing do not count."""
        return person_key(self.name)

    def to_dict(self) -> dict[str, Any]:
        return {"key_id": self.key_id, "name": self.name, "role": self.role}


# Changes made by ctscreen itself (delta re-screening after a list update).
SYSTEM = Principal(key_id=None, name="system", role="admin")


def local_principal() -> Principal:
    """The person at the command line: whoever can open the database can administer it anyway."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return Principal(key_id=None, name=f"local:{user}", role="admin")


def person_key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


_DOING = {
    SCREEN: "screen",
    READ: "read customers and alerts",
    DECIDE: "decide alerts",
    APPROVE: "approve decisions",
    EXPORT: "export records",
    AUDIT: "read the audit log",
    RESCREEN: "run re-screening",
    LISTS: "manage lists",
    KEYS: "manage API keys",
}


def require(principal: Principal, permission: str) -> None:
    """Raise `PermissionDenied` unless the principal's role grants `permission`."""
    if not principal.can(permission):
        allowed = ", ".join(r for r in ROLES if permission in PERMISSIONS[r])
        raise PermissionDenied(
            f"{principal.name} (role {principal.role}) may not {_DOING.get(permission, permission)}; "
            f"roles allowed: {allowed}"
        )


@dataclass(frozen=True)
class KeyInfo:
    key_id: str
    name: str
    role: str
    created_at: str
    created_by: str
    revoked_at: str | None
    revoked_by: str | None

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "key_id": self.key_id,
            "name": self.name,
            "role": self.role,
            "created_at": self.created_at,
            "created_by": self.created_by,
            "revoked": self.revoked,
            "revoked_at": self.revoked_at,
            "revoked_by": self.revoked_by,
        }


def _key_from_row(row: Any) -> KeyInfo:
    return KeyInfo(
        key_id=row.key_id,
        name=row.name,
        role=row.role,
        created_at=row.created_at,
        created_by=row.created_by,
        revoked_at=row.revoked_at,
        revoked_by=row.revoked_by,
    )


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def check_name(name: str) -> str:
    cleaned = " ".join((name or "").split())
    if not cleaned:
        raise InvalidInput("name: empty; give the person (or system) the key is for")
    if len(cleaned) > 200:
        raise InvalidInput(f"name: {len(cleaned)} characters, more than the 200 allowed")
    if any(unicodedata.category(c).startswith("C") for c in cleaned):
        raise InvalidInput("name: contains control characters")
    return cleaned


def check_role(role: str) -> str:
    cleaned = (role or "").strip().lower()
    if cleaned not in ROLES:
        raise InvalidInput(f"role: {role!r} is not one of {', '.join(ROLES)}")
    return cleaned


def create_key(engine: Engine, name: str, role: str, *, actor: Principal) -> tuple[KeyInfo, str]:
    """A new key for `name` with `role`; returns its description and the token, which is shown only now."""
    require(actor, KEYS)
    name, role = check_name(name), check_role(role)
    key_id = secrets.token_hex(6)
    token = f"{TOKEN_PREFIX}_{key_id}_{secrets.token_urlsafe(32)}"
    created = now()
    with write_transaction(engine) as conn:
        conn.execute(
            insert(api_keys).values(
                key_id=key_id,
                name=name,
                role=role,
                secret_sha256=token_hash(token),
                created_at=created,
                created_by=actor.name,
            )
        )
        audit.append(conn, actor, "key.create", f"key:{key_id}", {"name": name, "role": role})
    return KeyInfo(key_id, name, role, created, actor.name, None, None), token


def list_keys(engine: Engine, *, actor: Principal, include_revoked: bool = True) -> list[KeyInfo]:
    require(actor, KEYS)
    query = select(api_keys).order_by(api_keys.c.created_at, api_keys.c.key_id)
    if not include_revoked:
        query = query.where(api_keys.c.revoked_at.is_(None))
    with engine.connect() as conn:
        return [_key_from_row(r) for r in conn.execute(query)]


def revoke_key(engine: Engine, key_id: str, *, actor: Principal) -> KeyInfo:
    """Revoke a key: from now on it is refused. Revoking is final (create a new key instead)."""
    require(actor, KEYS)
    key_id = _public_id(key_id)
    with write_transaction(engine) as conn:
        row = conn.execute(select(api_keys).where(api_keys.c.key_id == key_id)).first()
        if row is None:
            raise NotFound(f"no API key with id {key_id!r}")
        if row.revoked_at is not None:
            raise Conflict(f"API key {key_id} was already revoked at {row.revoked_at} by {row.revoked_by}")
        revoked = now()
        conn.execute(
            update(api_keys)
            .where(api_keys.c.key_id == key_id)
            .values(revoked_at=revoked, revoked_by=actor.name)
        )
        audit.append(conn, actor, "key.revoke", f"key:{key_id}", {"name": row.name, "role": row.role})
    return KeyInfo(row.key_id, row.name, row.role, row.created_at, row.created_by, revoked, actor.name)


def _public_id(key_id: str) -> str:
    """Accept the key id alone or a whole token (whose secret part is then ignored, never echoed)."""
    key_id = (key_id or "").strip()
    match = _TOKEN.match(key_id)
    if match:
        return match.group(1)
    if key_id.startswith(f"{TOKEN_PREFIX}_"):
        key_id = key_id[len(TOKEN_PREFIX) + 1 :].split("_", 1)[0]
    if not re.fullmatch(r"[0-9a-f]{12}", key_id):
        raise InvalidInput("key id: expected 12 hexadecimal characters (the part after `cts_`)")
    return key_id


def authenticate(engine: Engine, token: str | None) -> Principal:
    """The principal a token stands for; `AuthenticationFailed` for a missing, malformed, unknown or
    revoked key. Error messages name at most the public key id, never the token."""
    if not token:
        raise AuthenticationFailed("an API key is required")
    match = _TOKEN.match(token.strip())
    if match is None:
        raise AuthenticationFailed("malformed API key (expected cts_<key id>_<secret>)")
    key_id = match.group(1)
    with engine.connect() as conn:
        row = conn.execute(select(api_keys).where(api_keys.c.key_id == key_id)).first()
    # Compare in constant time, against a dummy hash when the key id is unknown, so timing says nothing.
    expected = row.secret_sha256 if row is not None else _DUMMY_HASH
    if not hmac.compare_digest(expected, token_hash(token.strip())) or row is None:
        raise AuthenticationFailed("invalid API key")
    if row.revoked_at is not None:
        raise AuthenticationFailed(f"API key {key_id} was revoked at {row.revoked_at}")
    return Principal(key_id=row.key_id, name=row.name, role=row.role)
