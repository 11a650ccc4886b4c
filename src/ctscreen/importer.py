"""From files on disk to stored list versions: expand folders, detect formats, parse, store."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ctscreen.errors import CTScreenError, ListFormatError
from ctscreen.sources import detect_format, expand_paths, get_format
from ctscreen.store import ImportResult, ListStore


@dataclass
class ImportOutcome:
    path: Path
    result: ImportResult | None = None
    error: CTScreenError | None = None
    seconds: float = 0.0


def import_paths(
    store: ListStore,
    paths: list[Path],
    *,
    format: str | None = None,
    source: str | None = None,
    published: str | None = None,
    force: bool = False,
    activate: bool = True,
) -> Iterator[ImportOutcome]:
    """Import each list file (a folder stands for the list files in it) as its own version. A file that
    fails is reported and skipped; the others still import, and the failed source keeps its active version."""
    for path in expand_paths(paths):
        started = time.perf_counter()
        try:
            fmt = get_format(format) if format else detect_format(path)
            parsed = fmt.load().parse([path], format=fmt.name, source=source)
            result = store.import_list(parsed, activate=activate, force=force, published=published)
            yield ImportOutcome(path, result=result, seconds=time.perf_counter() - started)
        except CTScreenError as exc:
            yield ImportOutcome(path, error=exc, seconds=time.perf_counter() - started)
        except (ValueError, KeyError, IndexError, OSError, UnicodeError) as exc:
            # A parser bug or an unforeseen file shape: still one line naming the file, nothing stored.
            error = ListFormatError(f"cannot be read ({type(exc).__name__}: {exc})", file=path)
            yield ImportOutcome(path, error=error, seconds=time.perf_counter() - started)


def after_activation(
    store: ListStore, source: str, version: int, previous: int | None, *, imported: bool
) -> str | None:
    """Record a list import/activation in the audit log and re-screen the stored customers it touches.
    Returns a one-line summary of the re-screening, or None when there are no stored customers."""
    from ctscreen.workflow import SYSTEM, Workflow

    workflow = Workflow(store)
    if imported:
        workflow.audit_list_event(SYSTEM, "import", source, version)
    workflow.audit_list_event(SYSTEM, "activate", source, version, {"previous_version": previous})
    if not workflow.list_customers(SYSTEM, limit=1):
        return None
    from ctscreen.screening import load_screener

    report = workflow.on_list_activated(source, previous, version, load_screener(store))
    return (
        f"re-screened {report.customers_rescreened} of {report.customers_total} customers "
        f"({report.added} added, {report.amended} amended, {report.removed} removed entries): "
        f"{report.new_alerts} new alerts, {report.closed_alerts} closed"
    )
