"""A Screener over the active list versions in the store, with its index cached on disk.

Building the index takes seconds; loading it from the cache takes a fraction of that, so `ctscreen screen`,
`batch` and each service worker start fast. The cache file is named by the engine version and the sha256 of
every active list version, so a new list version or a new engine can never meet a stale index.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

from ctscreen.errors import StoreError
from ctscreen.matching import ENGINE_VERSION, Screener
from ctscreen.matching.index import MatchIndex
from ctscreen.store import ListStore
from ctscreen.store.engine import home_dir

CACHE_FORMAT = 3  # raised when what the index holds changes within an engine version in development


def index_cache_dir() -> Path:
    return home_dir() / "index"


def _cache_key(store: ListStore, sources: list[str] | None) -> tuple[str, dict[str, int], list[int]]:
    versions = [v for v in store.active_versions() if sources is None or v.source in sources]
    if not versions:
        raise StoreError("no lists imported yet: run `ctscreen lists import PATH` or `ctscreen lists update`")
    text = "|".join(f"{v.source}:{v.version}:{v.sha256}" for v in versions)
    digest = hashlib.sha256(f"{ENGINE_VERSION}|{CACHE_FORMAT}|{text}".encode()).hexdigest()[:24]
    return digest, {v.source: v.version for v in versions}, [v.id for v in versions]


def load_screener(
    store: ListStore | None = None, *, sources: list[str] | None = None, use_cache: bool = True
) -> Screener:
    """Screener over the active versions of all lists (or of `sources`)."""
    store = store or ListStore()
    digest, list_versions, version_ids = _cache_key(store, sources)
    path = index_cache_dir() / f"index-{digest}.pickle"
    if use_cache and path.exists():
        try:
            with path.open("rb") as handle:
                index = pickle.load(handle)
            if isinstance(index, MatchIndex):
                return Screener(index, list_versions)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            pass  # a damaged or outdated cache is rebuilt below
    entities = [e for version_id in version_ids for e in store.iter_entities(version_id)]
    screener = Screener.from_entities(entities, list_versions)
    if use_cache:
        _write_atomically(path, screener.index)
    return screener


def _write_atomically(path: Path, index: MatchIndex) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as handle:
        pickle.dump(index, handle, protocol=pickle.HIGHEST_PROTOCOL)
        temporary = Path(handle.name)
    os.replace(temporary, path)
    for old in path.parent.glob("index-*.pickle"):
        if old != path:
            old.unlink(missing_ok=True)
