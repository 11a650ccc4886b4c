"""One JSON shape for every error the service answers, and the mapping from ctscreen's exceptions.

    {"error": {"status": 422, "code": "validation_error", "message": "...", "details": [...]}}

`status` repeats the HTTP status; `code` is a stable machine-readable word; `message` is for people (it
names the field, never a key or secret); `details` lists field errors (`{"field", "message", "type"}`)
or, for a list update, the outcome per list.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ctscreen.api.state import NoIndex
from ctscreen.errors import (
    CTScreenError,
    DownloadError,
    ImportRefused,
    ListFormatError,
    StoreError,
)
from ctscreen.matching import QueryError
from ctscreen.text.extract import TextInputError
from ctscreen.workflow import (
    AuthenticationFailed,
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
)

log = logging.getLogger("ctscreen.api")

# Exceptions with no `http_status` of their own.
_STATUS: tuple[tuple[type[BaseException], int, str], ...] = (
    (AuthenticationFailed, 401, "unauthorized"),
    (PermissionDenied, 403, "forbidden"),
    (NotFound, 404, "not_found"),
    (Conflict, 409, "conflict"),
    (InvalidInput, 422, "invalid_input"),
    (QueryError, 422, "invalid_query"),
    (TextInputError, 422, "invalid_text"),
    (NoIndex, 503, "no_index"),
    (ImportRefused, 409, "import_refused"),
    (ListFormatError, 422, "list_format_error"),
    (DownloadError, 502, "download_failed"),
    (StoreError, 409, "store_error"),
)
_CODES_BY_STATUS = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    411: "length_required",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "too_many_requests",
    500: "internal_error",
    502: "bad_gateway",
    503: "unavailable",
}


class ApiError(CTScreenError):
    """An error a route raises directly, with its status, code and details."""

    def __init__(self, status: int, code: str, message: str, details: list[Any] | None = None) -> None:
        super().__init__(message)
        self.http_status = status
        self.code = code
        self.message = message
        self.details = details or []


_DESCRIPTIONS = {
    400: "Malformed request (e.g. a Content-Length that is not a number)",
    401: "No, bad or revoked key",
    403: "The key's role may not do this (or four-eyes forbids it)",
    404: "No such record, list or endpoint",
    409: "The record's state does not allow this",
    413: "Request body too large",
    415: "Unsupported content type",
    422: "Invalid request",
    502: "A list download failed (the active version is unchanged)",
    503: "No lists imported yet, or no index loaded",
}


def documented(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for these error statuses, all with the error shape."""
    from ctscreen.api.schemas import ErrorResponse

    return {status: {"model": ErrorResponse, "description": _DESCRIPTIONS[status]} for status in statuses}


def error_body(status: int, code: str, message: str, details: list[Any] | None = None) -> dict[str, Any]:
    return {"error": {"status": status, "code": code, "message": message, "details": details or []}}


def error_bytes(status: int, code: str, message: str) -> bytes:
    return json.dumps(error_body(status, code, message), ensure_ascii=False).encode("utf-8")


def error_response(
    status: int,
    code: str,
    message: str,
    details: list[Any] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    if status == 401:
        headers = {"WWW-Authenticate": 'Bearer realm="ctscreen"', **(headers or {})}
    return JSONResponse(error_body(status, code, message, details), status_code=status, headers=headers)


def classify(exc: BaseException) -> tuple[int, str]:
    """(HTTP status, code) for one of ctscreen's exceptions."""
    if isinstance(exc, ApiError):
        return exc.http_status, exc.code
    for kind, status, code in _STATUS:
        if isinstance(exc, kind):
            return status, code
    status = getattr(exc, "http_status", None)
    if isinstance(status, int) and 400 <= status <= 599:
        return status, _CODES_BY_STATUS.get(status, "error")
    return 400, "bad_request"


def field_errors(errors: list[Any]) -> list[dict[str, Any]]:
    """pydantic's errors as `{"field", "message", "type"}`, without echoing the input values."""
    out = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ())]
        out.append(
            {
                "field": ".".join(location) or "body",
                "message": str(error.get("msg", "invalid")),
                "type": str(error.get("type", "value_error")),
            }
        )
    return out


def _summary(details: list[dict[str, Any]]) -> str:
    parts = [f"{d['field']}: {d['message']}" for d in details[:3]]
    more = f" (and {len(details) - 3} more)" if len(details) > 3 else ""
    return "invalid request: " + "; ".join(parts) + more if parts else "invalid request"


def install(app: FastAPI) -> None:
    """Register the handlers that give every error the shape above."""

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        details = field_errors(list(exc.errors()))
        return error_response(422, "validation_error", _summary(details), details)

    @app.exception_handler(CTScreenError)
    async def _ctscreen(request: Request, exc: CTScreenError) -> JSONResponse:
        status, code = classify(exc)
        metrics = getattr(request.app.state, "metrics", None)
        if metrics is not None and status in (401, 403):
            metrics.auth_failures.labels(str(status)).inc()
        details = exc.details if isinstance(exc, ApiError) else []
        message = exc.message if isinstance(exc, ApiError) else str(exc)
        return error_response(status, code, message, details)

    @app.exception_handler(ValueError)
    async def _value(request: Request, exc: ValueError) -> JSONResponse:
        # get_profile's "unknown profile" and QueryError (a ValueError) raised outside the handlers above.
        status, code = (422, "invalid_query") if isinstance(exc, QueryError) else (422, "invalid_input")
        return error_response(status, code, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        status = exc.status_code
        message = exc.detail if isinstance(exc.detail, str) else _CODES_BY_STATUS.get(status, "error")
        if status == 400 and message == "There was an error parsing the body":
            # FastAPI's answer to a body that is not UTF-8 at all; as invalid as broken JSON.
            return error_response(
                422,
                "validation_error",
                "invalid request: body: not valid JSON (it must be UTF-8 encoded)",
                [{"field": "body", "message": "not valid JSON", "type": "json_invalid"}],
            )
        if status == 404 and message == "Not Found":
            message = f"no such endpoint: {request.method} {request.url.path}"
        elif status == 405:
            message = f"method {request.method} is not allowed here"
        return error_response(status, _CODES_BY_STATUS.get(status, "error"), message, None, exc.headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # The traceback goes to the log (never the request body or headers); the client gets no internals.
        log.error(
            "unhandled %s on %s %s",
            type(exc).__name__,
            request.method,
            _route_of(request),
            exc_info=exc,
        )
        return error_response(500, "internal_error", "internal server error; it has been logged")


def _route_of(request: Request) -> str:
    route = request.scope.get("route")
    return getattr(route, "path", None) or "unmatched route"
