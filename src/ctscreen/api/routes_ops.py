"""Operations: GET /health (no key: for load balancers and monitors) and GET /metrics (Prometheus)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from ctscreen import __version__
from ctscreen.api.auth import CanScreen
from ctscreen.api.metrics import parse_time
from ctscreen.api.schemas import Health
from ctscreen.api.state import services
from ctscreen.matching import ENGINE_VERSION

router = APIRouter(tags=["operations"])
log = logging.getLogger("ctscreen.api")


@router.get(
    "/health",
    response_model=Health,
    summary="Liveness and list freshness (no key needed)",
    description="`ok`: the index is loaded and current and every active list was imported within "
    "`max_list_age_hours`. `degraded` (still 200): a list is older than that, or the index lags the active "
    "versions (a reload failed or is under way). `unavailable` (503): no lists, no index or no database. "
    "Says which lists and versions are active; nothing about customers, alerts or keys.",
    responses={503: {"model": Health, "description": "Unavailable"}},
)
def health(request: Request) -> Any:
    svc = services(request)
    max_age = svc.settings.max_list_age_hours
    problems: list[str] = []
    lists: list[dict[str, Any]] = []
    unavailable = False
    try:
        versions = svc.store.active_versions()
    except Exception as exc:  # the message may name the server; it goes to the log, not to this answer
        log.warning("health: database unavailable (%s)", type(exc).__name__)
        versions = []
        unavailable = True
        problems.append("database unavailable")
    now = datetime.now(UTC)
    for info in versions:
        imported = parse_time(info.imported_at)
        exact = (now - imported).total_seconds() / 3600 if imported else None
        stale = exact is None or exact > max_age
        age = round(exact, 2) if exact is not None else None
        if stale:
            problems.append(
                f"{info.source} v{info.version} was imported {age} hours ago (more than {max_age})"
                if age is not None
                else f"{info.source} v{info.version} has no import time"
            )
        lists.append(
            {
                "source": info.source,
                "version": info.version,
                "published": info.published,
                "imported_at": info.imported_at,
                "age_hours": age,
                "stale": stale,
            }
        )
    index = svc.holder.status()
    active = {v.source: v.version for v in versions}
    current = index.loaded and (unavailable or index.list_versions == active)
    if not unavailable and not versions:
        unavailable = True
        problems.append("no lists imported")
    elif not index.loaded:
        unavailable = True
        problems.append("no screening index loaded")
    elif not current:
        problems.append("the index does not hold the active list versions yet (loading, or a load failed)")
    if index.last_error is not None:
        problems.append("the last index load failed; the previous index is served")
    status = "unavailable" if unavailable else ("degraded" if problems else "ok")
    body = {
        "status": status,
        "problems": problems,
        "max_list_age_hours": max_age,
        "lists": lists,
        "index": {
            "loaded": index.loaded,
            "current": current,
            "list_versions": index.list_versions,
            "loaded_at": index.loaded_at,
            "reload_failed": index.last_error is not None,
        },
        "engine_version": ENGINE_VERSION,
        "version": __version__,
    }
    return JSONResponse(body, status_code=503 if unavailable else 200)


@router.get(
    "/metrics",
    response_class=Response,
    summary="Prometheus metrics (any key; give Prometheus a screener key)",
    responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}, "description": "Metrics"}},
)
def metrics(request: Request, principal: CanScreen) -> Response:
    data, content_type = services(request).metrics.render()
    return Response(data, media_type=content_type)
