"""Prometheus metrics: requests and latency per endpoint, screening latency, alerts, decisions, index
reloads, and the age of each active list.

Every app gets its own registry, so several apps in one process (the tests) do not collide. With several
uvicorn workers, `ctscreen serve` points `PROMETHEUS_MULTIPROC_DIR` at a fresh folder before the workers
start; each worker then writes its samples there and `/metrics` answers for all of them together, whichever
worker takes the scrape. The list gauges are read from the database at scrape time, so they are the same
from every worker.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
)
from prometheus_client import generate_latest as _generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from ctscreen.store import ListStore

LATENCY_BUCKETS = (
    0.0005,
    0.001,
    0.0025,
    0.005,
    0.0075,
    0.01,
    0.015,
    0.02,
    0.03,
    0.05,
    0.1,
    0.25,
    0.5,
    1.0,
    2.5,
    5.0,
    10.0,
    30.0,
)


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def parse_time(text: str | None) -> datetime | None:
    """An ISO 8601 time or date from the store (`imported_at`, `published`), as an aware UTC datetime."""
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


class ListCollector(Collector):
    """Active list versions, their entity counts and ages, read from the store at scrape time."""

    def __init__(self, store: ListStore) -> None:
        self.store = store

    def describe(self) -> list[Any]:
        return []  # collected lazily: no database query when the collector is registered

    def collect(self) -> Iterator[GaugeMetricFamily]:
        version = GaugeMetricFamily(
            "ctscreen_list_active_version", "Active version number of each list", labels=["source"]
        )
        entities = GaugeMetricFamily(
            "ctscreen_list_entities", "Entities in the active version of each list", labels=["source"]
        )
        age = GaugeMetricFamily(
            "ctscreen_list_age_seconds",
            "Seconds since the active version of each list was imported",
            labels=["source"],
        )
        published = GaugeMetricFamily(
            "ctscreen_list_published_timestamp_seconds",
            "Publication time the list file carries (Unix time), where it has one",
            labels=["source"],
        )
        try:
            versions = self.store.active_versions()
        except Exception:  # a scrape must not fail because the database is away
            versions = []
        now = time.time()
        for info in versions:
            version.add_metric([info.source], info.version)
            entities.add_metric([info.source], info.entities)
            imported = parse_time(info.imported_at)
            if imported is not None:
                age.add_metric([info.source], max(0.0, now - imported.timestamp()))
            when = parse_time(info.published)
            if when is not None:
                published.add_metric([info.source], when.timestamp())
        yield from (version, entities, age, published)


class Metrics:
    """The service's metrics, on a registry of its own."""

    def __init__(self, store: ListStore) -> None:
        self.store = store
        disable_created_metrics()  # the *_created series only add noise to every counter
        self.registry = CollectorRegistry(auto_describe=True)
        registry = self.registry
        self.requests = Counter(
            "ctscreen_http_requests",
            "HTTP requests by method, route template and status",
            ["method", "route", "status"],
            registry=registry,
        )
        self.request_seconds = Histogram(
            "ctscreen_http_request_duration_seconds",
            "HTTP request latency by method and route template (whole request, in the server)",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.screenings = Counter(
            "ctscreen_screenings",
            "Queries screened, by endpoint (screen, batch, customer, text), profile and whether they alerted",
            ["endpoint", "profile", "alert"],
            registry=registry,
        )
        self.screening_seconds = Histogram(
            "ctscreen_screening_duration_seconds",
            "Time spent in the matching engine per call (a batch counts as one call)",
            ["endpoint"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.alerts_raised = Counter(
            "ctscreen_alerts_raised",
            "Workflow alerts raised by recorded screenings, by profile",
            ["profile"],
            registry=registry,
        )
        self.decisions = Counter(
            "ctscreen_decisions", "Alert decisions recorded, by outcome", ["outcome"], registry=registry
        )
        self.reviews = Counter(
            "ctscreen_decision_reviews",
            "Four-eyes reviews, by result (approved, rejected)",
            ["result"],
            registry=registry,
        )
        self.auth_failures = Counter(
            "ctscreen_auth_failures",
            "Refused requests: 401 (no, bad or revoked key) and 403 (role)",
            ["status"],
            registry=registry,
        )
        self.index_reloads = Counter(
            "ctscreen_index_reloads",
            "Index loads in this worker, by result (ok, failed)",
            ["result"],
            registry=registry,
        )
        self.index_load_seconds = Histogram(
            "ctscreen_index_load_duration_seconds",
            "Time to load (or build) the screening index",
            buckets=(0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120),
            registry=registry,
        )
        self.index_version = Gauge(
            "ctscreen_index_list_version",
            "List version held by the screening index of this worker",
            ["source"],
            registry=registry,
            multiprocess_mode="all",
        )
        self.list_updates = Counter(
            "ctscreen_list_updates",
            "List updates and activations through the API, by source and result",
            ["source", "result"],
            registry=registry,
        )
        if multiprocess_dir() is None:
            self.registry.register(ListCollector(store))

    # -- hooks -----------------------------------------------------------------------------------------

    def index_loaded(self, screener: Any, seconds: float) -> None:
        self.index_reloads.labels("ok").inc()
        self.index_load_seconds.observe(seconds)
        for source, version in screener.list_versions.items():
            self.index_version.labels(source).set(version)

    def index_failed(self) -> None:
        self.index_reloads.labels("failed").inc()

    def screened(self, endpoint: str, profile: str, alerts: int, total: int, seconds: float) -> None:
        if alerts:
            self.screenings.labels(endpoint, profile, "true").inc(alerts)
        if total - alerts:
            self.screenings.labels(endpoint, profile, "false").inc(total - alerts)
        self.screening_seconds.labels(endpoint).observe(seconds)

    # -- exposition ------------------------------------------------------------------------------------

    def render(self) -> tuple[bytes, str]:
        directory = multiprocess_dir()
        if directory is None:
            return _generate_latest(self.registry), CONTENT_TYPE_LATEST
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=directory)
        registry.register(ListCollector(self.store))
        return _generate_latest(registry), CONTENT_TYPE_LATEST


def mark_worker_dead() -> None:
    """Forget this process's live gauges in multiprocess mode (called at worker shutdown)."""
    directory = multiprocess_dir()
    if directory is not None:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(os.getpid(), path=directory)


class InstrumentMiddleware:
    """Counts and times every request by route template (never the raw path, which may carry ids), and
    writes one access-log line: method, route template, status, milliseconds, the caller's public key id.
    Never the query string, the headers or the body. (uvicorn's own access log is turned off, since it
    writes the raw path and query string.)"""

    def __init__(self, app: Any, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_status(message: Any) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            elapsed = time.perf_counter() - started
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            method = scope.get("method", "?")
            self.metrics.requests.labels(method, route, str(status)).inc()
            self.metrics.request_seconds.labels(method, route).observe(elapsed)
            if access_log.isEnabledFor(logging.INFO):
                client = scope.get("client") or ("-", 0)
                access_log.info(
                    '%s "%s %s" %d %.1fms key=%s',
                    client[0],
                    method,
                    route,
                    status,
                    elapsed * 1000,
                    scope.get(KEY_ID_SCOPE) or "-",
                )


KEY_ID_SCOPE = "ctscreen.key_id"  # set by auth: the public key id of the caller, for the access log
access_log = logging.getLogger("ctscreen.api.access")
