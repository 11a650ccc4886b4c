"""List formats: one module per official format, all parsing into `ctscreen.model.Entity`.

Each parser module exposes:

- `sniff(path, head) -> str | None`: the format name if the file (first 64 KiB in `head`) is this format;
- `parse(paths, *, format, source=None) -> ParsedList`: parse one file, or one primary file plus companions;
- optionally `is_companion(path) -> bool` and `companions(path) -> list[Path]` for multi-file sets
  (OFAC's sdn.csv with alt.csv, add.csv and sdn_comments.csv beside it).

The registry below is the only place that knows every module; detection asks each in order.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from ctscreen.errors import ListFormatError, UnknownFormatError
from ctscreen.sources.base import ParsedList, looks_like_html


@dataclass(frozen=True)
class ListFormat:
    name: str
    source: str  # default source name for lists of this format
    module: str
    description: str

    def load(self) -> ModuleType:
        return importlib.import_module(f"ctscreen.sources.{self.module}")


FORMATS: tuple[ListFormat, ...] = (
    ListFormat("un-xml", "un", "un", "UN Security Council consolidated list XML"),
    ListFormat(
        "ofac-csv", "ofac-sdn", "ofac_csv", "OFAC legacy CSV set: sdn/alt/add/sdn_comments (or cons_*)"
    ),
    ListFormat("ofac-xml", "ofac-sdn", "ofac_xml", "OFAC sdnList XML (SDN or consolidated non-SDN)"),
    ListFormat("uk-ofsi-xlsx", "uk-ofsi", "uk_ofsi", "UK OFSI consolidated list, Excel"),
    ListFormat("uk-ofsi-csv", "uk-ofsi", "uk_ofsi", "UK OFSI consolidated list, CSV"),
    ListFormat("uk-fcdo-csv", "uk-fcdo", "uk_fcdo", "FCDO UK Sanctions List, CSV"),
    ListFormat("uk-fcdo-xml", "uk-fcdo", "uk_fcdo", "FCDO UK Sanctions List, XML"),
    ListFormat("uk-fcdo-ods", "uk-fcdo", "uk_fcdo", "FCDO UK Sanctions List, ODS (summary export)"),
    ListFormat("eu-xml", "eu", "eu", "EU financial sanctions files (FSF) XML"),
    ListFormat("us-csl-csv", "us-csl", "us_csl", "US Consolidated Screening List CSV"),
    ListFormat("ftm-json", "ftm", "ftm", "OpenSanctions FollowTheMoney JSON lines"),
    ListFormat("user-csv", "user", "user", "a user's own list, CSV (docs/user-lists.md)"),
    ListFormat("user-json", "user", "user", "a user's own list, JSON / JSON lines (docs/user-lists.md)"),
)

FORMATS_BY_NAME = {f.name: f for f in FORMATS}
SNIFF_BYTES = 65536
LIST_SUFFIXES = {".xml", ".csv", ".xlsx", ".ods", ".json", ".jsonl", ".ndjson"}


def get_format(name: str) -> ListFormat:
    try:
        return FORMATS_BY_NAME[name]
    except KeyError:
        known = ", ".join(FORMATS_BY_NAME)
        raise UnknownFormatError(f"unknown format {name!r}; known formats: {known}") from None


def _modules() -> list[ModuleType]:
    seen: dict[str, ModuleType] = {}
    for fmt in FORMATS:
        if fmt.module not in seen:
            seen[fmt.module] = fmt.load()
    return list(seen.values())


def is_companion(path: Path) -> bool:
    """True for files that are read together with a primary file (OFAC alt.csv beside sdn.csv)."""
    return any(getattr(m, "is_companion", None) and m.is_companion(path) for m in _modules())


def detect_format(path: Path) -> ListFormat:
    """Find the format of one file by asking each parser module; name the file when none claims it."""
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError as exc:
        raise ListFormatError(f"cannot read file: {exc.strerror}", file=path) from None
    if not head.strip():
        raise ListFormatError("file is empty", file=path)
    if looks_like_html(head):
        raise ListFormatError("an HTML page, not a list file (a failed or blocked download?)", file=path)
    for module in _modules():
        name = module.sniff(path, head)
        if name:
            return FORMATS_BY_NAME[name]
    raise UnknownFormatError("format not recognised; give it with --format", file=path)


def expand_paths(paths: list[Path]) -> list[Path]:
    """Directories become their files (sorted, recursively); companion files are dropped when their primary
    file is present, since the primary's parser reads them."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in LIST_SUFFIXES)
            )
        elif path.exists():
            files.append(path)
        else:
            raise ListFormatError("no such file", file=path)
    return [f for f in files if not is_companion(f)]


def parse_file(path: Path, *, format: str | None = None, source: str | None = None) -> ParsedList:
    fmt = get_format(format) if format else detect_format(path)
    return fmt.load().parse([path], format=fmt.name, source=source)


__all__ = [
    "FORMATS",
    "ListFormat",
    "ParsedList",
    "detect_format",
    "expand_paths",
    "get_format",
    "is_companion",
    "parse_file",
]
