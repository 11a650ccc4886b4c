"""Request size limits: a body larger than the bound is refused with 413 before any work is done.

A pure ASGI middleware, so it sees the bytes as they arrive: a `Content-Length` over the bound is refused
at once, without reading the body; a body sent in chunks (no length) is read only up to the bound. The body
that passes is handed on to the app whole. `POST /text` takes documents and has its own, larger bound; the
batch bound (1,000 queries) is part of the request model (schemas.BatchRequest), so it answers 422.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from ctscreen.api.errors import error_bytes

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, *, default: int, by_path: dict[str, int] | None = None) -> None:
        self.app = app
        self.default = default
        self.by_path = dict(by_path or {})

    def limit_for(self, path: str) -> int:
        return self.by_path.get(path.rstrip("/") or "/", self.default)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope.get("path", "/"))
        length = _content_length(scope)
        if length == -1:
            await _refuse(send, 400, "bad_request", "Content-Length is not a number")
            return
        if length is not None and length > limit:
            await _refuse(send, 413, "payload_too_large", _too_large(length, limit))
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return  # the client went away before sending its body
            body = message.get("body", b"")
            size += len(body)
            if size > limit:
                await _refuse(send, 413, "payload_too_large", _too_large(size, limit, at_least=True))
                return
            if body:
                chunks.append(body)
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()  # after the body: wait for the disconnect, as the server would

        await self.app(scope, replay, send)


def _content_length(scope: Scope) -> int | None:
    """The declared length; None when absent; -1 when malformed."""
    for key, value in scope.get("headers", ()):
        if key == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isdigit() else -1
    return None


def _too_large(size: int, limit: int, *, at_least: bool = False) -> str:
    said = f"more than {limit}" if at_least else str(size)
    return f"request body is {said} bytes; this endpoint accepts at most {limit} bytes"


async def _refuse(send: Send, status: int, code: str, message: str) -> None:
    body = error_bytes(status, code, message)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
