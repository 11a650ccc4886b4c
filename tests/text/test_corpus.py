"""False alerts and misses on the labelled news-like corpora (tests/text/corpus, tests/text/holdout)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root, for bench/

pytestmark = pytest.mark.realdata
HERE = Path(__file__).resolve().parent


@pytest.mark.parametrize(("folder", "recall", "false_alerts"), [("corpus", 0.95, 2), ("holdout", 0.9, 2)])
def test_corpus(real_screener, folder: str, recall: float, false_alerts: int) -> None:  # type: ignore[no-untyped-def]
    from bench.text_bench import evaluate_corpus

    totals = evaluate_corpus(real_screener, HERE / folder).totals()
    assert totals["recall"] >= recall, totals["misses"]
    assert len(totals["false_alerts"]) <= false_alerts, totals["false_alerts"]
    assert len(totals["people_alerts"]) <= false_alerts, totals["people_alerts"]
