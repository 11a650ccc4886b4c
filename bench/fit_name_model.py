"""Fit the learned name score (ctscreen.matching.learned) and write it to the package.

    .venv/bin/python -m bench.fit_name_model [--out PATH]

Training rows come from the benchmark's own builders, on the half it does not report:
- positives: held-out spelling variants, cross-script names, shortened names (`build_partial_names`,
  both shapes) and names with an extra given name (`build_longer_names`, FIT_SEED) whose entity falls in fit
  half 0 (`bench.data.fit_half`), each with its expected entity's best-aligned name;
- hard negatives: listed names asked as queries (`build_self_queries`, fit half 0), every other entity the
  engine retrieves for them ("BANK SADERAT IRAN" for "Bank Melli Iran");
- negatives: Faker innocents drawn with FIT_SEED (not the benchmark's SEED; any name the benchmark's
  innocents also contain is dropped), every candidate the engine retrieves for them.
The alignment runs with the formula score only (`Screener(name_model=None)`), so the rows do not depend on a
previous model. scikit-learn (bench extra) fits histogram gradient boosting with monotone constraints; the
trees are exported to JSON and checked to reproduce scikit-learn's log-odds before they are written.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

import numpy as np

from bench.data import (
    FIT_SEED,
    build_held_out,
    build_innocents,
    build_longer_names,
    build_partial_names,
    build_self_queries,
    fit_half,
    load_entities,
    same_listing_clusters,
    subsample,
)
from ctscreen.matching import Query, Screener
from ctscreen.matching.learned import FEATURES, MONOTONE, NameModel, model_texts, name_features
from ctscreen.matching.profiles import Profile
from ctscreen.model import NameKind
from ctscreen.names import fold

OUT = Path(__file__).resolve().parents[1] / "src" / "ctscreen" / "matching" / "data" / "name_model.json"
# Everything the aligner retrieves, far below any alert threshold, so negatives cover the whole range.
GATHER = Profile("gather", threshold=1.0, report_floor=0.30, limit=40)
NEGATIVES_PER_QUERY = 10
HARD_NEGATIVES_PER_QUERY = 1
# Another entry whose name aligns this well with a listed name is as often the same party listed twice
# without a shared reference as a different one: too noisy to label a negative.
HARD_NEGATIVE_BELOW = 0.8
# Names with an extra given name drawn (about half fall in the fitted half): a share of the positives, not most.
LONGER_NAMES = 4000
PARAMS = {
    "max_iter": 80,
    "early_stopping": False,  # a fixed size: the model then changes only with its data, not a random split
    "max_leaf_nodes": 24,
    "max_depth": 6,
    "learning_rate": 0.15,
    "class_weight": "balanced",
    "random_state": 1,
}


def _rows(
    screener: Screener,
    query,
    wanted: set[str] | None,
    limit: int,
    unwanted: frozenset[str] = frozenset(),
    below: float = 2.0,
) -> list[list[float]]:
    result = screener.screen(Query(query.text, schema=query.schema), GATHER)
    out = []
    folded = fold(query.text)
    for hit in result.hits:
        if hit.name_match is None or (wanted is not None and hit.entity_id not in wanted):
            continue
        if hit.entity_id in unwanted or fold(hit.matched_name) == folded:
            continue  # the query's own entity, or another entry listing the very same name
        if hit.name_match.score >= below:
            continue
        organization = hit.schema != "person"
        query_text, listed_text, listed_reading = model_texts(query.text, hit.matched_name, organization)
        out.append(
            name_features(
                hit.name_match,
                query_text,
                listed_text,
                organization,
                hit.matched_kind == NameKind.WEAK.value,
                listed_reading,
            )
        )
        if len(out) >= limit:
            break
    return out


def export(model, depth: int) -> dict:
    """The fitted trees as plain JSON (nodes of scikit-learn's fitted predictors)."""
    trees = []
    for (predictor,) in model._predictors:  # scikit-learn keeps the fitted trees here
        nodes = []
        for node in predictor.nodes:
            if node["is_leaf"]:
                nodes.append({"leaf": True, "value": float(node["value"])})
            else:
                nodes.append(
                    {
                        "leaf": False,
                        "feature": int(node["feature_idx"]),
                        "threshold": float(node["num_threshold"]),
                        "left": int(node["left"]),
                        "right": int(node["right"]),
                    }
                )
        trees.append(nodes)
    return {
        "version": dt.date.today().isoformat(),
        "features": list(FEATURES),
        "baseline": float(np.ravel(model._baseline_prediction)[0]),
        "depth": depth,
        "trees": trees,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    from sklearn import __version__ as sklearn_version
    from sklearn.ensemble import HistGradientBoostingClassifier

    started = time.perf_counter()
    entities = load_entities()
    clusters = same_listing_clusters(entities)
    held = build_held_out(entities, clusters=clusters)
    partial = build_partial_names(entities, clusters, shapes=("first-last", "first-second"))
    reported = {q.text for q in build_innocents(entities).queries}
    innocents = [q for q in build_innocents(entities, seed=FIT_SEED).queries if q.text not in reported]
    held_screener = Screener.from_entities(held.index_entities, name_model=None)
    full_screener = Screener.from_entities(entities, name_model=None)

    positives: list[list[float]] = []
    fitted_queries = 0
    for query in [*held.variants, *held.cross_script]:
        if fit_half(query) != 0:
            continue
        fitted_queries += 1
        positives.extend(_rows(held_screener, query, set(query.expected), 1))
    longer = subsample(build_longer_names(entities, clusters, seed=FIT_SEED), LONGER_NAMES, FIT_SEED)
    for query in [*partial, *longer]:
        if fit_half(query) != 0:
            continue
        fitted_queries += 1
        positives.extend(_rows(full_screener, query, set(query.expected), 1))
    negatives: list[list[float]] = []
    for query in innocents:
        negatives.extend(_rows(full_screener, query, None, NEGATIVES_PER_QUERY))
    hard = 0
    for query in build_self_queries(entities, clusters):
        if fit_half(query) == 0:
            found = _rows(
                full_screener, query, None, HARD_NEGATIVES_PER_QUERY, query.expected, HARD_NEGATIVE_BELOW
            )
            hard += len(found)
            negatives.extend(found)
    print(
        f"{fitted_queries} fit-half queries -> {len(positives)} positive rows; "
        f"{len(innocents)} innocents (seed {FIT_SEED}) and self queries -> {len(negatives)} negative rows "
        f"({hard} from self queries)",
        file=sys.stderr,
    )
    x = np.array(positives + negatives, dtype=np.float64)
    y = np.r_[np.ones(len(positives)), np.zeros(len(negatives))]
    monotone = [MONOTONE.get(f, 0) for f in FEATURES]
    model = HistGradientBoostingClassifier(monotonic_cst=monotone, **PARAMS).fit(x, y)

    depth = max(int(n["depth"]) for (p,) in model._predictors for n in p.nodes)
    data = export(model, depth)
    data["fitted"] = {
        "positives": len(positives),
        "negatives": len(negatives),
        "innocent_seed": FIT_SEED,
        "fit_half": 0,
        "params": PARAMS,
        "scikit_learn": sklearn_version,
    }
    ours = NameModel.from_dict(data).log_odds(x)
    theirs = model.decision_function(x)
    worst = float(np.max(np.abs(ours - theirs)))
    if worst > 1e-6:
        print(f"exported trees differ from scikit-learn's by {worst}", file=sys.stderr)
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    print(
        f"wrote {args.out} ({len(data['trees'])} trees, depth {depth}, "
        f"{time.perf_counter() - started:.0f} s)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
