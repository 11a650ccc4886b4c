"""The screener a service worker screens with, and how it is replaced when a list version is activated.

Each worker loads the index once (from the on-disk cache when it can: `ctscreen.screening.load_screener`).
A background thread compares the active list versions with the ones the screener holds every
`reload_interval` seconds (one small query). When they differ, it builds the new screener in that thread,
off the request path, while requests go on with the old one; then the reference is swapped in one
assignment. A request takes the screener once, at its start, so it finishes with the version it began
with even when a swap happens meanwhile. A load that fails (the database went away, the process ran out of
memory, a bug) keeps the old screener, is logged and counted, and is retried after `reload_retry` seconds.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from ctscreen.errors import CTScreenError
from ctscreen.matching import Screener
from ctscreen.store import ListStore
from ctscreen.store.tables import active_lists, list_versions

log = logging.getLogger("ctscreen.api.index")


class NoIndex(CTScreenError):
    """No lists are imported yet (or the first index load failed): nothing to screen against."""

    http_status = 503


@dataclass(frozen=True)
class IndexStatus:
    loaded: bool
    list_versions: dict[str, int]
    loaded_at: str | None
    load_seconds: float | None
    last_error: str | None
    reloads: int
    failures: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "loaded": self.loaded,
            "list_versions": self.list_versions,
            "loaded_at": self.loaded_at,
            "load_seconds": self.load_seconds,
            "last_error": self.last_error,
            "reloads": self.reloads,
            "failures": self.failures,
        }


def active_signature(store: ListStore) -> dict[str, int]:
    """source -> active version number: what a current screener must hold."""
    query = select(active_lists.c.source, list_versions.c.version).join(
        list_versions, list_versions.c.id == active_lists.c.version_id
    )
    with store.engine.connect() as conn:
        return {row.source: row.version for row in conn.execute(query)}


class ScreenerHolder:
    """Holds the current Screener; `get()` for requests, `refresh()` to catch up with the store."""

    def __init__(
        self,
        store: ListStore,
        *,
        use_cache: bool = True,
        warm: bool = True,
        warm_text: bool = False,
        interval: float = 5.0,
        retry_after: float = 60.0,
        loader: Callable[[], Screener] | None = None,
        on_load: Callable[[Screener, float], None] | None = None,
        on_failure: Callable[[], None] | None = None,
    ) -> None:
        self.store = store
        self.use_cache = use_cache
        self.warm = warm
        self.warm_text = warm_text
        self.interval = interval
        self.retry_after = retry_after
        self.loader = loader or self._load
        self._on_load = on_load
        self._on_failure = on_failure
        self._screener: Screener | None = None
        self._loaded_at: str | None = None
        self._load_seconds: float | None = None
        self._last_error: str | None = None
        self._failed: tuple[dict[str, int], float] | None = None
        self._reloads = 0
        self._failures = 0
        self._lock = threading.Lock()  # one load at a time
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _load(self) -> Screener:
        from ctscreen.screening import load_screener

        return load_screener(self.store, use_cache=self.use_cache)

    # -- for requests ----------------------------------------------------------------------------------

    @property
    def screener(self) -> Screener | None:
        return self._screener

    def get(self) -> Screener:
        """The current screener. Only when none was ever loaded (no lists yet, or the app was used without
        its lifespan, as some tests do) is a load attempted here, on the request path."""
        screener = self._screener
        if screener is None:
            screener = self.refresh()
            if screener is None:
                detail = f" ({self._last_error})" if self._last_error else ""
                raise NoIndex(
                    "no screening index is loaded: no lists are imported yet, or loading them failed"
                    f"{detail}; an admin imports them with POST /lists/update or `ctscreen lists import`"
                )
        return screener

    # -- catching up -----------------------------------------------------------------------------------

    def refresh(self, *, force: bool = False, retry_failed: bool = False) -> Screener | None:
        """Load a new screener when the active list versions differ from the held one's (or none is held);
        returns the screener held afterwards. Concurrent callers wait for one load. Never raises: a failed
        load keeps the old screener (see `status().last_error`) and is not tried again for the same versions
        before `retry_after` seconds, unless `retry_failed` (an admin's update) or `force`."""
        with self._lock:
            current = self._screener
            try:
                wanted = active_signature(self.store)
            except Exception as exc:  # the database is unreachable: keep serving what we have
                self._note_failure(None, f"cannot read the active list versions ({type(exc).__name__})")
                return current
            if current is not None and current.list_versions == wanted and not force:
                self._failed, self._last_error = None, None  # current: nothing is failing (any more)
                return current
            if self._failed is None:
                self._last_error = None  # the database answers again
            if not wanted:
                return current
            if (
                not (force or retry_failed)
                and self._failed is not None
                and self._failed[0] == wanted
                and time.monotonic() - self._failed[1] < self.retry_after
            ):
                return current
            started = time.perf_counter()
            try:
                loaded = self.loader()
                if self.warm:
                    warm_up(loaded, text=self.warm_text)
            except Exception as exc:
                self._note_failure(wanted, f"loading the index for {_describe(wanted)} failed: {_short(exc)}")
                return current
            seconds = time.perf_counter() - started
            # The swap: one reference assignment. Requests in flight keep the screener they took.
            self._screener = loaded
            self._loaded_at = datetime.now(UTC).isoformat(timespec="seconds")
            self._load_seconds = round(seconds, 3)
            self._last_error = None
            self._failed = None
            self._reloads += 1
            previous = f" (was {_describe(current.list_versions)})" if current is not None else ""
            del current  # so that the old index is garbage now, for the collection below
            _settle_garbage()
        log.info("index loaded: %s in %.2fs%s", _describe(loaded.list_versions), seconds, previous)
        if self._on_load is not None:
            self._on_load(loaded, seconds)
        return loaded

    def _note_failure(self, wanted: dict[str, int] | None, message: str) -> None:
        self._failures += 1
        self._last_error = message
        if wanted is not None:
            self._failed = (wanted, time.monotonic())
        held = _describe(self._screener.list_versions) if self._screener is not None else "nothing"
        log.error("%s; still serving %s", message, held)
        if self._on_failure is not None:
            self._on_failure()

    def status(self) -> IndexStatus:
        screener = self._screener
        return IndexStatus(
            loaded=screener is not None,
            list_versions=dict(screener.list_versions) if screener is not None else {},
            loaded_at=self._loaded_at,
            load_seconds=self._load_seconds,
            last_error=self._last_error,
            reloads=self._reloads,
            failures=self._failures,
        )

    # -- the background thread -------------------------------------------------------------------------

    def start(self) -> None:
        """Load the index now (the worker's start) and check for new list versions every `interval`."""
        self.refresh()
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="ctscreen-index-watch", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.refresh()
            except Exception:  # refresh() does not raise; never let the watcher die all the same
                log.exception("index watcher: unexpected error")


def warm_up(screener: Screener, *, text: bool = False) -> None:
    """Fill the screener's lazy caches before it serves, off the request path: every listed name's
    prepared form (otherwise built on first comparison, so that the first requests of a worker are slow
    and the heap keeps growing under load) and, with `text`, the mention finder of POST /text (seconds to
    build over the full lists)."""
    screener.warm()
    if text:
        try:
            from ctscreen.text.mentions import finder_for
        except ImportError:  # pragma: no cover - the text module is optional for screening
            return
        finder_for(screener)


def _settle_garbage() -> None:
    """After a swap: collect what the old index left (once, here), then move everything that survives
    (the new index, hundreds of thousands of long-lived objects) out of the collector's reach with
    `gc.freeze()`. Without it every full collection walks the index, a pause of 50-300 ms in the middle of
    some request; with it the service's p99 stays at a few milliseconds."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _short(exc: BaseException, limit: int = 300) -> str:
    text = f"{type(exc).__name__}: {exc}"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _describe(versions: dict[str, int]) -> str:
    return ", ".join(f"{source} v{version}" for source, version in sorted(versions.items())) or "no lists"


@dataclass
class Services:
    """What the routes use, one per app (and so one per worker process)."""

    settings: Any  # ApiSettings
    store: ListStore
    workflow: Any  # ctscreen.workflow.Workflow
    holder: ScreenerHolder
    metrics: Any  # ctscreen.api.metrics.Metrics


def services(request: Any) -> Services:
    """The app's services, from a route's `Request`."""
    return request.app.state.services
