"""Where a query's time goes: the engine's steps timed one by one over the speed benchmark's queries.

    .venv/bin/python -m bench.costs [--queries Q.json] [--repeats 5]
    PYTHONPATH=build/compiled .venv/bin/python -m bench.costs   # the compiled core (`make compiled`)

On one core, after a warm-up pass, each step runs over every query, and of `--repeats` passes (5),
interleaved step by step, the best counts (this machine's speed drifts from minute to minute; the best pass is
the least disturbed):

- screen: `Screener.screen`, kyc profile, limit 10, as `bench.speed` times it;
- candidates: `Screener.candidates` (validation, the query's readings, candidate generation);
- alignment: `compare_names` of the query with each candidate name, once per distinct listed name;
- features and model: `name_features` for each alignment the model scores, and `NameModel.score` of a
  query's rows together;
- the rest: screen less the four (preparing the query's words, choosing each entity's best name, evidence,
  building and sorting hits).

The steps are the engine's own private ones, called in its order for the name as written (readings, which
few queries have, are left out of alignment and features). It is a profile, not a benchmark: `bench.run`
measures speed side by side with the peers.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import time
from pathlib import Path
from typing import Any

from bench.speed import _ctscreen_build
from ctscreen.matching import Query, Screener
from ctscreen.matching.compare import NameMatch, compare_names
from ctscreen.matching.engine import MODEL_GATE, get_profile
from ctscreen.matching.learned import name_features
from ctscreen.model import NameKind
from ctscreen.names import informative_text


def _engine_steps(screener: Screener, query: Query) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """What the engine does for the name as written: the (query, listed, rarity) triples it aligns, once per
    distinct listed name, and the `name_features` arguments of each candidate name the model scores."""
    checked = query.validated()
    prepared: dict[bool, Any] = {}
    seen: set[int] = set()
    aligned: list[tuple[Any, ...]] = []
    featured: list[tuple[Any, ...]] = []
    for names in screener._candidate_entities(checked).values():
        for name_index in names:
            facts = screener._listed(name_index)
            if facts.is_org not in prepared:
                prepared[facts.is_org] = screener._prepare_query(checked.name, checked, facts.is_org)
            triple = (prepared[facts.is_org], facts.name.prepared, screener.index.rarity_for(facts.is_org))
            if id(facts.name.prepared) not in seen:
                seen.add(id(facts.name.prepared))
                aligned.append(triple)
            match: NameMatch = compare_names(*triple)
            if not facts.formula_only and match.pairs and match.score >= MODEL_GATE:
                listed_text, listed_reading = facts.model_texts
                query_text = informative_text(checked.name, facts.is_org)
                weak = facts.name.kind is NameKind.WEAK
                featured.append((match, query_text, listed_text, facts.is_org, weak, listed_reading))
    return aligned, featured


def measure(screener: Screener, queries: list[Query], repeats: int) -> dict[str, Any]:
    profile = get_profile("kyc")
    for query in queries:  # warm-up: the similarity caches fill as a long-running screener's would
        screener.screen(query, profile, limit=10)
    steps = [_engine_steps(screener, q) for q in queries]
    aligned = [a for a, _ in steps]
    features = [f for _, f in steps]
    rows = [[name_features(*args) for args in per_query] for per_query in features]
    model = screener.name_model
    assert model is not None

    def screen() -> None:
        for query in queries:
            screener.screen(query, profile, limit=10)

    def candidates() -> None:
        for query in queries:
            screener.candidates(query)

    def alignment() -> None:
        for per_query in aligned:
            for query_name, listed, rarity in per_query:
                compare_names(query_name, listed, rarity)

    def featuring() -> None:
        for per_query in features:
            for args in per_query:
                name_features(*args)

    def scoring() -> None:
        for per_query in rows:
            if per_query:
                model.score(per_query)

    steps = {
        "screen": screen,
        "candidates": candidates,
        "alignment": alignment,
        "features": featuring,
        "model": scoring,
    }
    # Passes interleaved step by step, so that each step's best pass comes from the same minutes as the others'.
    best = dict.fromkeys(steps, float("inf"))
    for _ in range(repeats):
        for name, step in steps.items():
            start = time.process_time()
            step()
            best[name] = min(best[name], time.process_time() - start)
    n = len(queries)
    micros = {name: 1e6 * seconds / n for name, seconds in best.items()}
    micros["rest"] = micros["screen"] - sum(v for k, v in micros.items() if k != "screen")
    return {
        "queries": n,
        "us_per_query": micros,
        "queries_per_second": 1e6 / micros["screen"],
        "alignments_per_query": sum(map(len, aligned)) / n,
        "model_rows_per_query": sum(map(len, rows)) / n,
        "build": _ctscreen_build(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=Path, help="JSON list of [name, schema]; default: bench.run's")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--limit", type=int, default=3000, help="queries when built here (default 3000)")
    args = parser.parse_args()
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    if args.queries:
        pairs = json.loads(args.queries.read_text(encoding="utf-8"))
    else:
        from bench.run import build_datasets, speed_queries

        pairs = speed_queries(build_datasets(lambda *_: None), args.limit)
    from bench.data import load_entities

    screener = Screener.from_entities(load_entities()).warm()
    gc.collect()
    gc.freeze()  # as bench.speed and the service do: the index out of the collector's reach
    result = measure(screener, [Query(name=text, schema=schema) for text, schema in pairs], args.repeats)
    print(f"{result['queries']} queries, {result['build']} core: {result['queries_per_second']:,.0f} q/s")
    print(
        f"{result['alignments_per_query']:.1f} alignments and {result['model_rows_per_query']:.1f} model rows "
        "per query"
    )
    total = result["us_per_query"]["screen"]
    for name, micros in result["us_per_query"].items():
        print(f"  {name:<11} {micros:7.0f} µs  {100 * micros / total:5.1f} %")


if __name__ == "__main__":
    main()
