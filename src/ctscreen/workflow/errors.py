"""Workflow errors, each with the HTTP status a REST face should answer with."""

from __future__ import annotations

from ctscreen.errors import CTScreenError


class WorkflowError(CTScreenError):
    """Something the workflow refuses; the message says what and why (never a key or secret)."""

    http_status = 400


class InvalidInput(WorkflowError):
    """A field that cannot be used (an empty reason, an unknown role or outcome); the message names it."""

    http_status = 422


class AuthenticationFailed(WorkflowError):
    """No key, a malformed or unknown key, or a revoked key."""

    http_status = 401


class PermissionDenied(WorkflowError):
    """The key's role does not allow the operation, or four-eyes forbids this person doing it."""

    http_status = 403


class NotFound(WorkflowError):
    """No alert, decision, customer, screening or key with that id."""

    http_status = 404


class Conflict(WorkflowError):
    """The record is not in a state that allows the operation (deciding a closed alert, approving twice)."""

    http_status = 409
