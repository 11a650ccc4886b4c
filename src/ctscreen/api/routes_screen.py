"""Screening: one query, a batch of up to 1,000, and free text or messages. Thin: the work is the
Screener's (and the Workflow's, for recorded screenings)."""

from __future__ import annotations

import base64
import binascii
import codecs
import time
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from ctscreen.api.auth import CanScreen
from ctscreen.api.errors import ApiError, documented
from ctscreen.api.schemas import (
    BatchRequest,
    BatchResult,
    ProfileName,
    ScreeningResult,
    ScreenRequest,
    TextFormatName,
    TextRequest,
    TextResult,
)
from ctscreen.api.state import services
from ctscreen.matching import ENGINE_VERSION, QueryError, get_profile
from ctscreen.matching import Query as MatchQuery
from ctscreen.workflow import InvalidInput

router = APIRouter(tags=["screening"])


def _query(fields: dict[str, str]) -> MatchQuery:
    # As `ctscreen screen`: the type is "any" unless given, so the echoed query is the CLI's.
    return MatchQuery(
        fields["name"],
        schema=fields.get("schema", "any"),
        dob=fields.get("dob"),
        country=fields.get("country"),
        gender=fields.get("gender"),
        id_number=fields.get("id_number"),
    )


@router.post(
    "/screen",
    response_model=ScreeningResult,
    responses=documented(503),
    summary="Screen one name",
    description="Ranked, explained hits for one query: the object `ctscreen screen --json` prints "
    "(docs/screening-json.md). With `record: true` the screening is stored and audited, and alerting "
    "hits become alerts (the response then adds `screening_id` and `workflow`).",
)
def screen(body: ScreenRequest, request: Request, principal: CanScreen) -> Any:
    svc = services(request)
    screener = svc.holder.get()  # taken once: a swap during this request does not affect it
    fields = body.query_fields()
    started = time.perf_counter()
    if body.record:
        if body.limit is not None:
            raise InvalidInput("limit: not used with record (a recorded screening keeps the profile's hits)")
        record = svc.workflow.screen(principal, fields, screener, body.profile, threshold=body.threshold)
        data = record.to_dict()
        svc.metrics.alerts_raised.labels(body.profile).inc(data["workflow"]["new_alerts"])
    else:
        result = screener.screen(_query(fields), body.profile, limit=body.limit, threshold=body.threshold)
        data = result.to_dict()
    svc.metrics.screened("screen", body.profile, int(data["alert"]), 1, time.perf_counter() - started)
    return JSONResponse(data)


@router.post(
    "/screen/batch",
    response_model=BatchResult,
    responses=documented(503),
    summary="Screen up to 1,000 names",
    description="Each query is screened as POST /screen would (not recorded), in order, against one list "
    "version set. A query that cannot be screened (an impossible date of birth, an unknown country) keeps "
    "its place with `error` and no hits; a request that breaks the schema is refused whole with 422.",
)
def screen_batch(body: BatchRequest, request: Request, principal: CanScreen) -> Any:
    svc = services(request)
    if len(body.queries) > svc.settings.max_batch:
        raise InvalidInput(f"queries: {len(body.queries)}, more than the {svc.settings.max_batch} allowed")
    screener = svc.holder.get()
    profile = get_profile(body.profile).with_threshold(body.threshold)
    results: list[dict[str, Any]] = []
    alerts = errors = 0
    started = time.perf_counter()
    for item in body.queries:
        query = _query(item.query_fields())
        try:
            data = screener.screen(query, profile, limit=body.limit).to_dict()
        except QueryError as exc:
            errors += 1
            echoed = {k: v for k, v in query.__dict__.items() if v is not None}
            results.append({"id": item.id, "query": echoed, "alert": False, "hits": [], "error": str(exc)})
            continue
        alerts += data["alert"]
        results.append({"id": item.id, "query": data["query"], "alert": data["alert"], "hits": data["hits"]})
    seconds = time.perf_counter() - started
    svc.metrics.screened("batch", body.profile, alerts, len(results) - errors, seconds)
    return JSONResponse(
        {
            "results": results,
            "screened": len(results) - errors,
            "errors": errors,
            "alerts": alerts,
            "profile": profile.name,
            "threshold": profile.threshold,
            "engine_version": ENGINE_VERSION,
            "list_versions": screener.list_versions,
        }
    )


_RAW_TYPES = ("text/plain", "text/html", "application/pdf", "application/octet-stream")
_TEXT_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/TextRequest"}},
        **{kind: {"schema": {"type": "string", "format": "binary"}} for kind in _RAW_TYPES},
    },
}


@router.post(
    "/text",
    response_model=TextResult,
    responses=documented(415, 503),
    summary="Screen free text, HTML, PDF or a message",
    description="Mentions of listed persons and organisations, and the parties of payment or passenger "
    "messages, as `ctscreen text --json` prints them (docs/text-screening.md). Send JSON (`text`, or "
    "`content_base64` for a PDF, with the options in the body), or the document itself as the body "
    "(text/plain, text/html, application/pdf, application/octet-stream) with the options in the query "
    "string.",
    openapi_extra={"requestBody": _TEXT_BODY},
)
async def text(
    request: Request,
    principal: CanScreen,
    format: TextFormatName = Query("auto", description="Raw bodies only: the format (default: detected)."),
    profile: ProfileName = Query("kyc", description="Raw bodies only: the profile."),
    threshold: float | None = Query(None, gt=0, le=1, description="Raw bodies only: the alert threshold."),
    encoding: str | None = Query(
        None, max_length=40, description="Raw bodies only: the character encoding of text or HTML."
    ),
) -> Any:
    svc = services(request)
    raw = await request.body()
    kind = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if kind == "application/json" or kind.endswith("+json"):
        try:
            body = TextRequest.model_validate_json(raw)
        except ValidationError as exc:
            raise RequestValidationError(
                [{**e, "loc": ("body", *e.get("loc", ()))} for e in exc.errors()]
            ) from None
        if body.text is not None:
            data: bytes | str = body.text
        else:
            try:
                data = base64.b64decode(body.content_base64 or "", validate=True)
            except (binascii.Error, ValueError):
                raise ApiError(422, "validation_error", "content_base64: not valid base64", []) from None
        format, profile, threshold, encoding = body.format, body.profile, body.threshold, body.encoding
    elif kind in ("", *_RAW_TYPES) or kind.startswith("text/"):
        data = raw
        if encoding is not None:
            try:
                codecs.lookup(encoding)
            except LookupError:
                raise ApiError(422, "validation_error", f"encoding: unknown encoding {encoding!r}") from None
    else:
        raise ApiError(
            415,
            "unsupported_media_type",
            f"content type {kind!r}: send application/json or the document ({', '.join(_RAW_TYPES)})",
        )
    if not data:
        raise ApiError(422, "validation_error", "the body is empty: send the text or document to screen")
    screener = await run_in_threadpool(svc.holder.get)  # may load (and so wait) when none is held yet
    started = time.perf_counter()
    result = await run_in_threadpool(
        _screen_text,
        screener,
        data,
        format,
        profile,
        threshold,
        encoding,
        svc.settings.max_text_bytes,
    )
    payload = result.to_dict()
    svc.metrics.screened("text", profile, int(payload["alert"]), 1, time.perf_counter() - started)
    return JSONResponse(payload)


def _screen_text(
    screener: Any,
    data: bytes | str,
    format: str,
    profile: str,
    threshold: float | None,
    encoding: str | None,
    max_bytes: int,
) -> Any:
    from ctscreen.text import screen_text

    return screen_text(
        screener,
        data,
        format=format,
        profile=profile,
        threshold=threshold,
        encoding=encoding,
        max_bytes=max_bytes,
    )
