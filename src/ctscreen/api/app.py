"""The REST service: `create_app(settings)` builds the FastAPI app (docs/api.md).

One app per worker process: it opens the database, loads the screening index once at start (from the
on-disk cache when it can) and keeps it current in the background (state.ScreenerHolder). Routes are thin:
authentication and role (auth), the request model (schemas), one call into the Screener or the Workflow,
and the documented JSON back. Every error has one shape (errors); bodies are bounded (limits); every request
is counted and timed (metrics). Nothing logs a request body, a header or a key.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool

from ctscreen import __version__
from ctscreen.api import errors
from ctscreen.api.limits import BodyLimitMiddleware
from ctscreen.api.metrics import InstrumentMiddleware, Metrics, mark_worker_dead
from ctscreen.api.settings import ApiSettings
from ctscreen.api.state import ScreenerHolder, Services
from ctscreen.store import ListStore, make_engine
from ctscreen.workflow import Workflow

DESCRIPTION = """\
Screening against counter-terrorism and sanctions lists (UN, OFAC, UK, EU, ...), with explained hits, and
the compliance workflow: customers, alerts, decisions with four-eyes approval, audit.

Every endpoint but `/health` needs an API key: `Authorization: Bearer cts_<key id>_<secret>`. Roles:
screener (screen), analyst (+ read, decide), supervisor (+ approve, export, audit), admin (+ lists, keys,
re-screening). Errors: `{"error": {"status", "code", "message", "details"}}`. See docs/api.md.
"""

TAGS = [
    {"name": "screening", "description": "Names, batches, free text and messages."},
    {"name": "lists", "description": "Active lists, listed entities, updates and rollbacks."},
    {"name": "customers", "description": "Stored customers and their recorded screenings."},
    {"name": "alerts", "description": "The analysts' queue and decisions on alerts."},
    {"name": "decisions", "description": "Decisions and their four-eyes review."},
    {"name": "keys", "description": "API keys and roles (admins)."},
    {"name": "audit", "description": "The hash-chained audit log and CSV exports for auditors."},
    {"name": "operations", "description": "Health and metrics."},
]


def create_app(settings: ApiSettings | None = None) -> FastAPI:
    """The service over the database in `settings.db_url` (else CTSCREEN_DB / CTSCREEN_HOME)."""
    settings = settings or ApiSettings()
    engine = make_engine(settings.db_url)
    store = ListStore(engine)  # creates or upgrades the schema
    workflow = Workflow(store, settings=settings.workflow)
    metrics = Metrics(store)
    holder = ScreenerHolder(
        store,
        use_cache=settings.use_index_cache,
        warm=settings.warm_index,
        warm_text=settings.warm_text,
        interval=settings.reload_interval,
        retry_after=settings.reload_retry,
        on_load=metrics.index_loaded,
        on_failure=metrics.index_failed,
    )
    svc = Services(settings=settings, store=store, workflow=workflow, holder=holder, metrics=metrics)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(holder.start)  # the index, before the first request is taken
        try:
            yield
        finally:
            holder.stop()
            mark_worker_dead()
            engine.dispose()

    app = FastAPI(
        title="ctscreen",
        version=__version__,
        description=DESCRIPTION,
        openapi_tags=TAGS,
        lifespan=lifespan,
        docs_url="/docs" if settings.public_docs else None,
        redoc_url=None,
        openapi_url="/openapi.json" if settings.public_docs else None,
    )
    app.state.services = svc
    app.state.workflow = workflow
    app.state.metrics = metrics
    errors.install(app)

    from ctscreen.api import routes_lists, routes_ops, routes_screen, routes_workflow

    error_responses = errors.documented(400, 401, 403, 404, 409, 413, 422)
    for router in (routes_screen.router, routes_lists.router, routes_workflow.router, routes_ops.router):
        app.include_router(router, responses=error_responses)
    # Outermost last: instrumentation sees every answer, the size limit's 413s included.
    app.add_middleware(
        BodyLimitMiddleware,
        default=settings.max_body_bytes,
        by_path={"/text": settings.max_text_bytes},
    )
    app.add_middleware(InstrumentMiddleware, metrics=metrics)
    return app


def app_from_env() -> FastAPI:
    """The app for `uvicorn --factory` in each worker process: settings from `CTSCREEN_API_*`."""
    return create_app(ApiSettings.from_env())
