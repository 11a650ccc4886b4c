"""Lists: what is active, one listed entity, downloading new versions and rolling back (admins).

An update or activation changes the store first (one transaction: a download, parse or validation failure
leaves the active version as it was), then audits it under the admin's name, swaps this worker's index at
once (the other workers follow within their check interval) and re-screens the stored customers the change
touches (docs/workflow.md, "Delta re-screening").
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Path, Request
from fastapi import Query as QueryParam
from fastapi.responses import JSONResponse

from ctscreen.api.auth import CanManageLists, CanScreen
from ctscreen.api.errors import ApiError, classify, documented
from ctscreen.api.schemas import (
    NO_CONTROLS,
    ActivateRequest,
    ActivateResponse,
    EntityResponse,
    ListsResponse,
    UpdateRequest,
    UpdateResponse,
)
from ctscreen.api.state import Services, services
from ctscreen.errors import CTScreenError, StoreError
from ctscreen.workflow import NotFound, Principal

router = APIRouter(tags=["lists"])


def source_path() -> Any:  # a factory: FastAPI binds a FieldInfo to its first use
    return Path(max_length=40, pattern=NO_CONTROLS, description="List name: un, ofac-sdn, uk-ofsi, ...")


@router.get("/lists", response_model=ListsResponse, summary="Active list versions")
def lists(
    request: Request,
    principal: CanScreen,
    all_versions: bool = QueryParam(
        False, alias="all", description="Every stored version, not just the active."
    ),
) -> Any:
    svc = services(request)
    versions = svc.store.versions() if all_versions else svc.store.active_versions()
    return JSONResponse({"lists": [v.to_dict() for v in versions], "index": svc.holder.status().to_dict()})


@router.get(
    "/entities/{source}/{ref:path}",
    response_model=EntityResponse,
    summary="One listed entity",
    description="The entity with the list's own reference `ref` (UN `QDi.263`, an OFAC ent_num, a UK group "
    "ID) in the active version of `source`, or in `version`: every field, as `ctscreen lists show --json`.",
)
def entity(
    request: Request,
    principal: CanScreen,
    source: str = source_path(),
    ref: str = Path(max_length=100, pattern=NO_CONTROLS),
    version: int | None = QueryParam(None, ge=1, le=2_147_483_647),
) -> Any:
    svc = services(request)
    try:
        info = svc.store.get_version(source, version)
        found = svc.store.find(ref, source=source, version=info.version)
    except StoreError as exc:
        raise NotFound(str(exc)) from None
    if not found:
        raise NotFound(f"no entity with reference {ref!r} in {source} v{info.version}")
    entity = found[0]
    return JSONResponse(
        {
            "entity_id": f"{source}:{entity.listing.reference}",
            "source": source,
            "ref": entity.listing.reference,
            "list_version": info.version,
            "entity": entity.to_dict(),
        }
    )


@router.post(
    "/lists/update",
    response_model=UpdateResponse,
    responses=documented(502, 503),
    summary="Download and activate new list versions (admin)",
    description="Downloads the official lists (or the server's configured mirror), validates them and "
    "activates each new version; a list whose download, parse or validation fails keeps its active "
    "version. 200 when every list was updated or unchanged; otherwise the error of the first failure, "
    "with every list's outcome in `details`.",
)
def update(request: Request, principal: CanManageLists, body: UpdateRequest | None = None) -> Any:
    from ctscreen.download import NOT_DOWNLOADABLE, OFFICIAL_SOURCES, update_source

    svc = services(request)
    body = body or UpdateRequest()
    names = list(dict.fromkeys(body.sources)) if body.sources else list(OFFICIAL_SOURCES)
    for name in names:
        if name in NOT_DOWNLOADABLE:
            raise ApiError(422, "validation_error", f"sources: {name}: {NOT_DOWNLOADABLE[name]}")
        if name not in OFFICIAL_SOURCES:
            known = ", ".join(OFFICIAL_SOURCES)
            raise ApiError(
                422, "validation_error", f"sources: no official download for {name!r}; known: {known}"
            )
    outcomes: list[dict[str, Any]] = []
    first_error: CTScreenError | None = None
    for name in names:
        try:
            result = update_source(svc.store, name, mirror=svc.settings.mirror, force=body.force)
        except CTScreenError as exc:
            first_error = first_error or exc
            svc.metrics.list_updates.labels(name, "failed").inc()
            outcomes.append({"source": name, "status": "failed", "error": str(exc)})
            continue
        info = result.version
        outcome: dict[str, Any] = {
            "source": name,
            "status": "updated" if result.created else "unchanged",
            "version": info.version,
            "previous_version": result.previous.version if result.previous else None,
            "entities": info.entities,
        }
        if result.created and result.activated:
            outcome["rescreen"] = _after_activation(
                svc, principal, name, info.version, outcome["previous_version"], imported=True
            )
        svc.metrics.list_updates.labels(name, outcome["status"]).inc()
        outcomes.append(outcome)
    if first_error is not None:
        status, code = classify(first_error)
        failed = [o["source"] for o in outcomes if o["status"] == "failed"]
        raise ApiError(
            status,
            code,
            f"update failed for {', '.join(failed)} (their active versions are unchanged): {first_error}",
            outcomes,
        )
    return JSONResponse({"results": outcomes, "index": svc.holder.status().to_dict()})


@router.post(
    "/lists/{source}/activate",
    response_model=ActivateResponse,
    summary="Make a stored version active, e.g. to roll back (admin)",
)
def activate(
    request: Request,
    principal: CanManageLists,
    body: ActivateRequest,
    source: str = source_path(),
) -> Any:
    svc = services(request)
    previous = svc.store.active_version(source)
    try:
        info = svc.store.activate(source, body.version)
    except StoreError as exc:
        raise NotFound(str(exc)) from None
    summary = None
    previous_version = previous.version if previous else None
    if previous_version != info.version:
        summary = _after_activation(svc, principal, source, info.version, previous_version, imported=False)
        svc.metrics.list_updates.labels(source, "activated").inc()
    return JSONResponse(
        {
            "list": info.to_dict(),
            "previous_version": previous_version,
            "rescreen": summary,
            "index": svc.holder.status().to_dict(),
        }
    )


def _after_activation(
    svc: Services,
    principal: Principal,
    source: str,
    version: int,
    previous: int | None,
    *,
    imported: bool,
) -> str | None:
    """Audit the change under the admin's name, swap this worker's index, re-screen stored customers.
    The new version is already active: a failure here is reported in the answer, not raised."""
    workflow = svc.workflow
    try:
        if imported:
            workflow.audit_list_event(principal, "import", source, version)
        workflow.audit_list_event(principal, "activate", source, version, {"previous_version": previous})
    except CTScreenError as exc:
        return f"{source} v{version} is active, but auditing it failed: {exc}"
    screener = svc.holder.refresh(retry_failed=True)
    if screener is None or screener.list_versions.get(source) != version:
        return (
            f"{source} v{version} is active, but the index could not be loaded yet (the service keeps "
            "serving the previous one and retries); re-screening was not run: run `ctscreen rescreen`"
        )
    try:
        if not workflow.list_customers(principal, limit=1):
            return None
        report = workflow.on_list_activated(source, previous, version, screener, actor=principal)
    except CTScreenError as exc:
        return f"{source} v{version} is active, but re-screening failed: {exc} (run `ctscreen rescreen`)"
    return (
        f"re-screened {report.customers_rescreened} of {report.customers_total} customers "
        f"({report.added} added, {report.amended} amended, {report.removed} removed entries): "
        f"{report.new_alerts} new alerts, {report.closed_alerts} closed"
    )
