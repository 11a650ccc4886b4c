"""API keys on every endpoint but /health: `Authorization: Bearer cts_<key id>_<secret>`.

`requires(permission)` is a route dependency: it authenticates the key through the workflow (sha256 of the
token compared in constant time; a revoked key is refused) and checks the role's permission
(docs/workflow.md, "Keys and roles"). A missing, malformed, unknown or revoked key answers 401; a role
without the permission answers 403. The token is never logged or echoed: errors name at most the public key
id, and the access log records only that id.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ctscreen.api.metrics import KEY_ID_SCOPE
from ctscreen.workflow import AuthenticationFailed, Principal, require
from ctscreen.workflow.keys import (
    APPROVE,
    AUDIT,
    DECIDE,
    EXPORT,
    KEYS,
    LISTS,
    READ,
    RESCREEN,
    SCREEN,
)

__all__ = [
    "APPROVE",
    "CanApprove",
    "CanAudit",
    "CanDecide",
    "CanExport",
    "CanManageKeys",
    "CanManageLists",
    "CanRead",
    "CanRescreen",
    "CanScreen",
    "AUDIT",
    "DECIDE",
    "EXPORT",
    "KEYS",
    "LISTS",
    "READ",
    "RESCREEN",
    "SCREEN",
    "bearer",
    "requires",
]

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="ApiKey",
    description="An API key from `ctscreen keys create` (or POST /keys): `Authorization: Bearer cts_<key id>_<secret>`.",
)


def requires(permission: str) -> Callable[..., Principal]:
    """A dependency giving the authenticated principal, refused unless its role grants `permission`."""

    def principal(
        request: Request, credentials: HTTPAuthorizationCredentials | None = Security(bearer)
    ) -> Principal:
        if credentials is None:
            raise AuthenticationFailed(
                "an API key is required: send `Authorization: Bearer <key>` (keys: ctscreen keys create)"
            )
        found = request.app.state.workflow.authenticate(credentials.credentials)
        request.scope[KEY_ID_SCOPE] = found.key_id
        require(found, permission)
        return found

    principal.__name__ = f"requires_{permission}"
    return principal


# The principal of a request, checked for one permission: `def route(..., principal: CanScreen)`.
CanScreen = Annotated[Principal, Depends(requires(SCREEN))]
CanRead = Annotated[Principal, Depends(requires(READ))]
CanDecide = Annotated[Principal, Depends(requires(DECIDE))]
CanApprove = Annotated[Principal, Depends(requires(APPROVE))]
CanExport = Annotated[Principal, Depends(requires(EXPORT))]
CanAudit = Annotated[Principal, Depends(requires(AUDIT))]
CanRescreen = Annotated[Principal, Depends(requires(RESCREEN))]
CanManageLists = Annotated[Principal, Depends(requires(LISTS))]
CanManageKeys = Annotated[Principal, Depends(requires(KEYS))]
