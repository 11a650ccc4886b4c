"""The screener holder: a new index is built off the request path while the old one keeps serving; a
failed load or an unreachable database keeps the old one and is reported until it recovers."""

from __future__ import annotations

import threading
import time

from ctscreen.api import state
from ctscreen.api.state import ScreenerHolder


def test_old_index_serves_while_the_new_one_loads(store, watchlist, publish):
    holder = ScreenerHolder(store, use_cache=False)
    first = holder.refresh()
    assert first is not None and first.list_versions == {"watchlist": 1}
    loading = threading.Event()
    real_loader = holder.loader

    def slow_loader():
        loading.set()
        time.sleep(1.0)
        return real_loader()

    holder.loader = slow_loader
    publish("v2")
    loader_thread = threading.Thread(target=holder.refresh)
    loader_thread.start()
    assert loading.wait(10)
    started = time.perf_counter()
    served = [holder.get() for _ in range(100)]
    assert time.perf_counter() - started < 0.5  # never waits for the load
    assert all(s is first for s in served)
    loader_thread.join(10)
    assert holder.get().list_versions == {"watchlist": 2} and holder.status().reloads == 2


def test_failures_keep_the_old_index_until_recovery(store, watchlist, publish, monkeypatch):
    holder = ScreenerHolder(store, use_cache=False, retry_after=3600)
    first = holder.refresh()
    real_signature = state.active_signature

    def unreachable(_store):
        raise ConnectionError("database is down")

    monkeypatch.setattr(state, "active_signature", unreachable)
    assert holder.refresh() is first
    assert "cannot read the active list versions (ConnectionError)" in holder.status().last_error
    monkeypatch.setattr(state, "active_signature", real_signature)
    assert holder.refresh() is first and holder.status().last_error is None  # recovered

    real_loader = holder.loader
    holder.loader = lambda: (_ for _ in ()).throw(OSError("disk full"))
    publish("v2")
    assert holder.refresh() is first
    assert "OSError: disk full" in holder.status().last_error
    holder.loader = real_loader
    assert holder.refresh() is first  # the same versions failed a moment ago: not retried yet ...
    assert holder.refresh(retry_failed=True).list_versions == {"watchlist": 2}  # ... unless asked
    status = holder.status()
    assert status.last_error is None and status.failures == 2 and status.reloads == 2
