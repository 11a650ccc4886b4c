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
