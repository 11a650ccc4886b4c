"""Speed of one matcher, measured in a process of its own (so that peak memory is that matcher's).

Run by `bench.run`; by hand: `.venv/bin/python -m bench.speed --matcher ctscreen --queries Q.json --out S.json`.

- index build time: `Matcher.index` over the full lists, on one core;
- single-query latency: after a warm-up, each `search` timed with perf_counter, pinned to one core
  (sched_setaffinity; DuckDB and BLAS threads set to 1); queries/second = queries / summed latency;
- peak resident memory: VmHWM of this process (lists loaded + index + queries), and VmRSS once the lists
  are loaded, before the index, for reference;
- batch names/second on all cores (`--batch`): the built index shared with one forked worker per core.

nomenklatura's blocker answers a batch of queries in one DuckDB call (one query costs ~0.3-0.6 s of
fixed overhead); its latency here is the per-query scoring time plus the blocker's time for the whole
batch divided by the number of queries, which is the most favourable reading. The one-query blocker cost is
reported as `blocker_single_ms`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any


def _status_kb(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = (len(ordered) - 1) * pct / 100.0
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


_WORKER: Any = None


def _batch_worker(chunk: list[tuple[str, str | None]]) -> int:
    for text, schema in chunk:
        _WORKER.search(text, schema, 10)
    return len(chunk)


def measure(
    matcher_name: str, queries: list[tuple[str, str | None]], batch: bool, warmup: int
) -> dict[str, Any]:
    from bench.data import load_entities
    from bench.peers import NomenklaturaMatcher, make_matcher

    cpus = sorted(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpus[0]})
    entities = load_entities()
    rss_lists = _status_kb("VmRSS") / 1024
    matcher = make_matcher(matcher_name, workers=1)
    t0 = time.perf_counter()
    matcher.index(entities)
    build_s = time.perf_counter() - t0
    rss_index = _status_kb("VmRSS") / 1024

    out: dict[str, Any] = {
        "matcher": matcher_name,
        "ctscreen_build": _ctscreen_build(),
        "entities": len(entities),
        "index_build_s": build_s,
        "rss_lists_mb": rss_lists,
        "rss_after_index_mb": rss_index,
        "queries": len(queries),
    }
    latencies: list[float] = []
    if isinstance(matcher, NomenklaturaMatcher):
        for text, schema in queries[:warmup]:
            matcher.search(text, schema)
        singles = []
        for text, schema in queries[warmup : warmup + 3]:
            t = time.perf_counter()
            matcher.block([matcher._query_entity(text, schema)])
            singles.append(time.perf_counter() - t)
        out["blocker_single_ms"] = 1000 * statistics.median(singles)
        qents = [matcher._query_entity(text, schema) for text, schema in queries]
        t = time.perf_counter()
        blocked = matcher.block(qents)
        block_s = time.perf_counter() - t
        out["blocker_batch_ms_per_query"] = 1000 * block_s / len(qents)
        for q in qents:
            t = time.perf_counter()
            matcher.score(q, blocked[q.id], 10)
            latencies.append(time.perf_counter() - t + block_s / len(qents))
    else:
        for text, schema in queries[:warmup]:
            matcher.search(text, schema)
        for text, schema in queries:
            t = time.perf_counter()
            matcher.search(text, schema)
            latencies.append(time.perf_counter() - t)
    out.update(
        {
            "p50_ms": 1000 * _percentile(latencies, 50),
            "p99_ms": 1000 * _percentile(latencies, 99),
            "mean_ms": 1000 * statistics.fmean(latencies),
            "qps_one_core": len(latencies) / sum(latencies),
        }
    )
    if batch:
        import multiprocessing as mp

        global _WORKER
        _WORKER = matcher
        os.sched_setaffinity(0, set(cpus))
        names = list(queries)
        while len(names) < 4000:
            names += queries
        chunks = [names[i : i + 100] for i in range(0, len(names), 100)]
        ctx = mp.get_context("fork")
        t = time.perf_counter()
        with ctx.Pool(len(cpus)) as pool:
            done = sum(pool.map(_batch_worker, chunks))
        wall = time.perf_counter() - t
        out["batch_cores"] = len(cpus)
        out["batch_names"] = done
        out["batch_names_per_s"] = done / wall
    out["peak_rss_mb"] = _status_kb("VmHWM") / 1024
    return out


def _ctscreen_build() -> str:
    """Which ctscreen ran: the compiled matching core (`make compiled`) or its Python sources."""
    import ctscreen.matching.compare as compare

    return "compiled" if str(compare.__file__).endswith(".so") else "python"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--matcher", required=True)
    parser.add_argument("--queries", required=True, type=Path, help="JSON list of [text, schema]")
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--batch", action="store_true", help="also measure batch names/second on all cores")
    parser.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args(argv)
    queries = [tuple(q) for q in json.loads(args.queries.read_text(encoding="utf-8"))]
    result = measure(args.matcher, queries, args.batch, args.warmup)  # type: ignore[arg-type]
    args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
