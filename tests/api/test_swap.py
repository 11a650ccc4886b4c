"""The index is swapped while requests are in flight: threads keep screening over real HTTP (uvicorn on
loopback) while a new list version is imported and activated, then rolled back through the API. No
request fails, each client sees the versions change once and in order, and the new version's entries are
found afterwards (both databases)."""

from __future__ import annotations

import threading
import time

import httpx

THREADS = 4
QUERIES = [
    {"name": "Karim Haddad", "dob": "1971"},
    {"name": "Tariq Jameel Rahimi"},  # only in watchlist v2
    {"name": "Amina Siddiqui", "country": "Pakistan"},
    {"name": "Northern Crescent Relief Foundation", "type": "organization"},  # removed in v2
]


def test_swap_during_concurrent_requests(server, keys, app, publish, wait):
    headers = keys.headers("screener")
    stop = threading.Event()
    failures: list[str] = []
    seen: list[list[int]] = [[] for _ in range(THREADS)]
    counts = [0] * THREADS

    def hammer(thread: int) -> None:
        with httpx.Client(base_url=server.url, headers=headers, timeout=30) as http:
            i = 0
            while not stop.is_set():
                query = QUERIES[(thread + i) % len(QUERIES)]
                i += 1
                try:
                    response = http.post("/screen", json=query)
                except httpx.HTTPError as exc:
                    failures.append(f"{type(exc).__name__}: {exc}")
                    continue
                if response.status_code != 200:
                    failures.append(f"{response.status_code}: {response.text[:200]}")
                    continue
                version = response.json()["list_versions"]["watchlist"]
                if not seen[thread] or seen[thread][-1] != version:
                    seen[thread].append(version)
                counts[thread] += 1

    threads = [threading.Thread(target=hammer, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    try:
        wait(lambda: min(counts) >= 5)
        publish("v2")  # another process activates a new version; the watcher swaps
        wait(lambda: all(s and s[-1] == 2 for s in seen), timeout=30)
        before_rollback = sum(counts)
        wait(lambda: sum(counts) >= before_rollback + 20)
        with httpx.Client(base_url=server.url, timeout=30) as http:
            back = http.post("/lists/watchlist/activate", json={"version": 1}, headers=keys.headers("admin"))
        assert back.status_code == 200, back.text
        wait(lambda: all(s[-1] == 1 for s in seen), timeout=30)
        time.sleep(0.3)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    assert failures == []
    assert all(s == [1, 2, 1] for s in seen), seen
    assert sum(counts) > 50
    with httpx.Client(base_url=server.url, headers=headers, timeout=30) as http:
        publish("v2")  # v2's content again: a new version 3
        wait(lambda: http.post("/screen", json=QUERIES[1]).json()["list_versions"] == {"watchlist": 3})
        rahimi = http.post("/screen", json=QUERIES[1]).json()
        assert rahimi["hits"][0]["entity_id"] == "watchlist:WL-006"
    status = app.state.services.holder.status()
    assert status.failures == 0 and status.reloads == 4  # v1 at start, v2, v1 (rollback), v3
