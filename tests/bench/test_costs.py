"""bench.costs times the engine's own private steps: it must keep up with them as the engine changes."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench import costs  # noqa: E402
from ctscreen.matching import Query  # noqa: E402

QUERIES = [
    Query("Hafiz Muhammad Saeed"),
    Query("Tehreek-e-Taliban Pakistan", "organization"),
    Query("حافظ محمد سعيد"),
    Query("Jan Kowalski"),
]


def test_costs_walks_the_engines_steps(real_screener) -> None:  # type: ignore[no-untyped-def]
    aligned, _ = costs._engine_steps(real_screener, QUERIES[0])
    listed_words = {t.canon for _, listed, _ in aligned for t in listed.tokens}
    assert {"hafiz", "saeed"} <= listed_words  # the listed name it is meant to find is among those aligned
    result = costs.measure(real_screener, QUERIES, repeats=1)
    assert result["queries"] == len(QUERIES)
    assert result["alignments_per_query"] > 1
    assert result["model_rows_per_query"] > 1
    steps = result["us_per_query"]
    assert set(steps) == {"screen", "candidates", "alignment", "features", "model", "rest"}
    assert all(steps[k] > 0 for k in ("screen", "candidates", "alignment", "features", "model"))
