"""Screen a batch file: every row through the same Screener, one JSON line out per row, in input order.

Parallel on all cores by default. The workers are forked after the index is built, so they share it
copy-on-write (nothing is pickled per task but the rows going out and the JSON text coming back); rows go
out in chunks, a few per worker at a time, and the results are written back in input order. A malformed
row still gets its output line, with `error` naming its line, and the run goes on.

Output line: `{"id": ..., "hits": [hit, ...], "error": "line 7: dob: ...", "list_versions": {...}}`, with
`error` only on a row that was not screened; hits as `Hit.to_dict()`, best first.
"""

from __future__ import annotations

import contextlib
import gc
import json
import multiprocessing
import os
import secrets
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import IO, Any

from ctscreen.batch.readers import Row, estimate_rows, iter_rows
from ctscreen.errors import CTScreenError
from ctscreen.matching import Profile, QueryError, Screener, get_profile

CHUNK_ROWS = 500
WINDOW_PER_WORKER = 4  # chunks in flight per worker process
ERROR_SAMPLES = 20


class BatchOutputError(CTScreenError):
    """The output cannot be written (no such folder, no permission, it is the input)."""


@dataclass(frozen=True)
class BatchSummary:
    rows: int  # output lines written (one per input row)
    screened: int  # rows screened
    errors: int  # malformed rows: not screened, reported with their line
    alerts: int  # screened rows with at least one hit at or above the profile's threshold
    seconds: float
    error_samples: tuple[str, ...] = ()  # the first ERROR_SAMPLES error messages, for a report

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0


@dataclass
class ChunkResult:
    text: str
    rows: int
    screened: int
    errors: int
    alerts: int
    error_samples: list[str]


# What the forked workers screen with: set in the parent just before the fork, so it is inherited.
_SHARED: tuple[Screener, Profile] | None = None


def screen_rows(screener: Screener, profile: Profile, rows: Iterable[Row]) -> ChunkResult:
    """The output lines of some rows, as one text, with their counts."""
    lines: list[str] = []
    screened = alerts = 0
    errors: list[str] = []
    versions = screener.list_versions
    dumps = json.dumps
    for row in rows:
        hits: list[dict[str, Any]] = []
        error = row.error
        if error is None:
            try:
                result = screener.screen(row.query(), profile)
            except QueryError as exc:
                error = str(exc)
            except Exception as exc:  # one row that breaks the engine must not end a million-row run
                error = f"screening failed: {type(exc).__name__}: {exc}"
            else:
                hits = [hit.to_dict() for hit in result.hits]
                screened += 1
                alerts += result.alert
        record: dict[str, Any] = {"id": row.id, "hits": hits}
        if error is not None:
            record["error"] = error = f"{row.where}: {error}"
            errors.append(error)
        record["list_versions"] = versions
        line = dumps(record, ensure_ascii=False, separators=(",", ":"))
        if not line.isascii() and not _encodable(line):
            line = dumps(record, separators=(",", ":"))  # a lone surrogate (a JSON id may hold one): escaped
        lines.append(line)
    text = "\n".join(lines) + "\n" if lines else ""
    return ChunkResult(text, len(lines), screened, len(errors), alerts, errors[:ERROR_SAMPLES])


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _screen_chunk(rows: list[Row]) -> ChunkResult:
    assert _SHARED is not None, "worker started without a screener"
    screener, profile = _SHARED
    return screen_rows(screener, profile, rows)


def _ignore_interrupt() -> None:
    # Ctrl-C reaches the whole process group; the parent stops the pool, the workers need not print tracebacks.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _chunks(rows: Iterator[Row], size: int) -> Iterator[list[Row]]:
    while chunk := list(islice(rows, size)):
        yield chunk


def default_workers() -> int:
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not on Linux
        return max(os.cpu_count() or 1, 1)


def run_batch(
    screener: Screener,
    input_path: str | Path,
    out: str | Path | IO[str] | None = None,
    *,
    profile: str | Profile = "kyc",
    workers: int | None = None,
    progress: bool | None = None,
    chunk_size: int = CHUNK_ROWS,
) -> BatchSummary:
    """Screen every row of `input_path` (CSV, JSON lines or Parquet) and write one JSON line per row to
    `out` (a path, written whole or not at all; a text stream; None for stdout), in input order.

    workers: processes (None: one per core; 1: in this process). progress: a progress bar on stderr
    (None: only when stderr is a terminal). Raises `BatchInputError` for an input that is not a table
    at all and `BatchOutputError` for an output that cannot be written, both before any screening.
    """
    chosen = get_profile(profile) if isinstance(profile, str) else profile
    count = default_workers() if workers is None else workers
    if count < 1:
        raise ValueError(f"workers: {count}; at least 1")
    if chunk_size < 1:
        raise ValueError(f"chunk_size: {chunk_size}; at least 1")
    input_path = Path(input_path)
    if isinstance(out, str | Path) and _same_file(input_path, Path(out)):
        raise BatchOutputError(f"{out}: the output would overwrite the input")
    rows = iter_rows(input_path)  # raises for a file that is not a table, before any work
    show = sys.stderr.isatty() if progress is None else progress
    total = estimate_rows(input_path) if show else None
    if count > 1 and "fork" not in multiprocessing.get_all_start_methods():
        count = 1  # the index cannot be shared without fork; screen in this process

    started = time.perf_counter()
    if count > 1:
        screener.warm()  # once, before the fork: the workers share the prepared names
    rows_done = screened = errors = alerts = 0
    samples: list[str] = []
    with contextlib.ExitStack() as stack:
        sink = stack.enter_context(_output(out))
        chunks = _chunks(rows, chunk_size)
        if count == 1:
            results: Iterator[ChunkResult] = (screen_rows(screener, chosen, chunk) for chunk in chunks)
        else:
            results = stack.enter_context(_forked_pool(screener, chosen, count, sink))(chunks)
        advance = stack.enter_context(_progress(show, total))  # after the fork: rich runs a thread
        for result in results:
            sink.write(result.text)
            rows_done += result.rows
            screened += result.screened
            errors += result.errors
            alerts += result.alerts
            if len(samples) < ERROR_SAMPLES:
                samples.extend(result.error_samples[: ERROR_SAMPLES - len(samples)])
            advance(result.rows)
    return BatchSummary(rows_done, screened, errors, alerts, time.perf_counter() - started, tuple(samples))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return b.exists() and a.samefile(b)
    except OSError:
        return False


@contextlib.contextmanager
def _forked_pool(
    screener: Screener, profile: Profile, workers: int, out: Any
) -> Iterator[Callable[[Iterator[list[Row]]], Iterator[ChunkResult]]]:
    """`workers` processes forked with the screener in place; yields a function that screens chunks on
    them and gives the results back in input order, with at most WINDOW_PER_WORKER chunks per worker in
    flight (the input is read as the results are written, never all at once).

    A process pool from concurrent.futures rather than multiprocessing.Pool: when a worker dies (killed
    for memory, say), Pool.imap waits forever for its chunk; this raises BrokenProcessPool.
    """
    global _SHARED
    # A forked child flushes stdout/stderr when it ends: whatever sits in their buffers would come out twice.
    for stream in (sys.stdout, sys.stderr, out):
        with contextlib.suppress(Exception):
            stream.flush()
    others = {process.pid for process in multiprocessing.active_children()}
    executor = ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context("fork"), initializer=_ignore_interrupt
    )
    started: list[multiprocessing.process.BaseProcess] = []
    try:
        _SHARED = (screener, profile)
        gc.freeze()  # keep the collector off the index's pages in the children, so they stay shared
        try:
            executor.submit(int).result()  # with fork, the first task starts every worker, now
        finally:
            gc.unfreeze()
        started = [p for p in multiprocessing.active_children() if p.pid not in others]
        yield lambda chunks: _in_order(executor, chunks, workers * WINDOW_PER_WORKER)
    except BrokenProcessPool:
        executor.shutdown(wait=True, cancel_futures=True)
        raise CTScreenError(
            "a screening worker process ended abruptly (killed for lack of memory?) and the run stopped; "
            "try fewer workers"
        ) from None
    except BaseException:
        # Ctrl-C, or the output failed: stop now, without screening the chunks already handed out.
        for process in started:
            process.terminate()
        executor.shutdown(wait=True, cancel_futures=True)
        raise
    else:
        executor.shutdown(wait=True)
    finally:
        _SHARED = None


def _in_order(
    executor: ProcessPoolExecutor, chunks: Iterator[list[Row]], window: int
) -> Iterator[ChunkResult]:
    pending: deque[Future[ChunkResult]] = deque()
    for chunk in chunks:
        pending.append(executor.submit(_screen_chunk, chunk))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


@contextlib.contextmanager
def _output(out: str | Path | IO[str] | None) -> Iterator[IO[str]]:
    if out is None or not isinstance(out, str | Path):
        stream = out if out is not None else sys.stdout
        yield stream
        stream.flush()
        return
    path = Path(out)
    # Written beside the target and renamed over it at the end: a run that fails leaves no partial output.
    temporary = path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        handle = temporary.open("x", encoding="utf-8", newline="\n")
    except OSError as exc:
        raise BatchOutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    try:
        with handle:
            yield handle
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def _progress(show: bool, total: int | None) -> Iterator[Callable[[int], None]]:
    if not show:
        yield lambda rows: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    started = time.perf_counter()
    with Progress(
        TextColumn("screening"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]} names/s"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
    ) as bar:
        task = bar.add_task("screening", total=total, rate="-")
        done = 0

        def advance(rows: int) -> None:
            nonlocal done
            done += rows
            elapsed = time.perf_counter() - started
            rate = f"{done / elapsed:,.0f}" if elapsed > 0 else "-"
            bar.update(task, completed=done, total=max(total or 0, done) or None, rate=rate)

        yield advance
        bar.update(task, completed=done, total=done)
