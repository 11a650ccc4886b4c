"""Batch screening: a CSV, JSON lines or Parquet file of names in, one JSON line of hits out per row.

`run_batch(screener, "names.csv", "hits.jsonl")` screens every row (on all cores by default) and returns
a `BatchSummary`; `iter_rows(path)` reads the rows on their own. `ctscreen batch INPUT` is the command.
"""

from ctscreen.batch.readers import BatchInputError, Row, detect_format, estimate_rows, iter_rows
from ctscreen.batch.runner import BatchOutputError, BatchSummary, default_workers, run_batch, screen_rows

__all__ = [
    "BatchInputError",
    "BatchOutputError",
    "BatchSummary",
    "Row",
    "default_workers",
    "detect_format",
    "estimate_rows",
    "iter_rows",
    "run_batch",
    "screen_rows",
]
