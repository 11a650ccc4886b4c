"""Downloads from the official publishers, validated before anything replaces the active version.

The official URLs are in `OFFICIAL_SOURCES` (facts from DOMAIN.md §1.0). A mirror (`--mirror URL` or
`CTSCREEN_MIRROR`) serves the same files as `{mirror}/{source}/{remote file name}`: for air-gapped sites,
for a caching proxy, and for the tests, which run a local HTTP server on loopback.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from ctscreen import __version__
from ctscreen.errors import DownloadError
from ctscreen.sources import get_format
from ctscreen.sources.base import looks_like_html
from ctscreen.store import ImportResult, ListStore

# OFAC's WAF refuses clients whose User-Agent does not start with "Mozilla/<digit>" or is shorter than 40
# characters (DOMAIN.md §1.2); others refuse an empty one. Say who we are inside a browser-shaped string.
USER_AGENT = f"Mozilla/5.0 (compatible; ctscreen/{__version__}; sanctions list updater)"
MAX_BYTES = 512 * 1024 * 1024
TIMEOUT = httpx.Timeout(120.0, connect=20.0)
RETRIES = 3


@dataclass(frozen=True)
class RemoteFile:
    url: str
    filename: str  # the name the parser expects (OFAC companions are found by name)

    @property
    def remote_name(self) -> str:
        return self.url.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0]


@dataclass(frozen=True)
class OfficialSource:
    source: str
    format: str
    files: tuple[RemoteFile, ...]
    note: str = ""


_SLS = "https://sanctionslistservice.ofac.treas.gov/api/download"

OFFICIAL_SOURCES: dict[str, OfficialSource] = {
    s.source: s
    for s in (
        OfficialSource(
            "un",
            "un-xml",
            (RemoteFile("https://scsanctions.un.org/resources/xml/en/consolidated.xml", "consolidated.xml"),),
        ),
        OfficialSource(
            "ofac-sdn",
            "ofac-csv",
            (
                RemoteFile(f"{_SLS}/SDN.CSV", "sdn.csv"),
                RemoteFile(f"{_SLS}/ALT.CSV", "alt.csv"),
                RemoteFile(f"{_SLS}/ADD.CSV", "add.csv"),
                RemoteFile(f"{_SLS}/SDN_COMMENTS.CSV", "sdn_comments.csv"),
            ),
        ),
        OfficialSource(
            "ofac-cons",
            "ofac-csv",
            (
                RemoteFile(f"{_SLS}/CONS_PRIM.CSV", "cons_prim.csv"),
                RemoteFile(f"{_SLS}/CONS_ALT.CSV", "cons_alt.csv"),
                RemoteFile(f"{_SLS}/CONS_ADD.CSV", "cons_add.csv"),
                RemoteFile(f"{_SLS}/CONS_COMMENTS.CSV", "cons_comments.csv"),
            ),
        ),
        OfficialSource(
            "uk-fcdo",
            "uk-fcdo-csv",
            (
                RemoteFile(
                    "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.csv", "UK-Sanctions-List.csv"
                ),
            ),
        ),
        OfficialSource(
            "eu",
            "eu-xml",
            (
                RemoteFile(
                    "https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content"
                    "?token=dG9rZW4tMjAxNw",
                    "eu-fsf.xml",
                ),
            ),
            note="the public token every user of the FSF files uses",
        ),
        OfficialSource(
            "us-csl",
            "us-csl-csv",
            (
                RemoteFile(
                    "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv",
                    "consolidated.csv",
                ),
            ),
        ),
    )
}

# Sources with no download: retired, or only available as files the user brings.
NOT_DOWNLOADABLE = {
    "uk-ofsi": "the OFSI Consolidated List was retired on 28 January 2026; use uk-fcdo",
    "ftm": "OpenSanctions data needs its own licence for commercial use; import the file with `lists import`",
}


def _mirror_url(mirror: str, source: str, remote: RemoteFile) -> str:
    return f"{mirror.rstrip('/')}/{source}/{remote.remote_name}"


def fetch(
    url: str,
    target: Path,
    *,
    client: httpx.Client,
    retries: int = RETRIES,
    backoff: float = 2.0,
    max_bytes: int = MAX_BYTES,
) -> None:
    """Stream `url` into `target`, retrying connection errors and 5xx/429 answers with back-off."""
    last_error = ""
    for attempt in range(1, retries + 1):
        try:
            with client.stream("GET", url) as response:
                if response.status_code >= 500 or response.status_code == 429:
                    last_error = f"HTTP {response.status_code}"
                elif response.status_code >= 400:
                    raise DownloadError(f"{url}: HTTP {response.status_code}")
                else:
                    _save(response, url, target, max_bytes)
                    return
        except (httpx.TransportError, httpx.DecodingError) as exc:
            last_error = f"{type(exc).__name__}: {exc}"
        if attempt < retries:
            time.sleep(backoff * 2 ** (attempt - 1))
    raise DownloadError(f"{url}: failed after {retries} attempts ({last_error})")


def _save(response: httpx.Response, url: str, target: Path, max_bytes: int) -> None:
    size = 0
    with target.open("wb") as out:
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > max_bytes:
                raise DownloadError(f"{url}: larger than {max_bytes} bytes; refused")
            out.write(chunk)
    if size == 0:
        raise DownloadError(f"{url}: empty response")
    expected = response.headers.get("content-length")
    if expected and expected.isdigit() and int(expected) != size:
        raise DownloadError(f"{url}: truncated download ({size} of {expected} bytes)")
    with target.open("rb") as handle:
        head = handle.read(4096)
    if looks_like_html(head) and not target.name.endswith((".html", ".htm")):
        raise DownloadError(f"{url}: the server sent an HTML page, not the list (blocked or an error page)")


def update_source(
    store: ListStore,
    source: str,
    *,
    mirror: str | None = None,
    force: bool = False,
    retries: int = RETRIES,
    backoff: float = 2.0,
    on_file: Callable[[str], None] | None = None,
) -> ImportResult:
    """Download one official list, validate it (format, root element, size against the active version) and
    import it as a new active version. Any failure leaves the active version as it was."""
    if source in NOT_DOWNLOADABLE:
        raise DownloadError(f"{source}: {NOT_DOWNLOADABLE[source]}")
    official = OFFICIAL_SOURCES.get(source)
    if official is None:
        known = ", ".join(OFFICIAL_SOURCES)
        raise DownloadError(f"no official download for list {source!r}; known: {known}")
    mirror = mirror or os.environ.get("CTSCREEN_MIRROR")
    fmt = get_format(official.format)
    headers = {"User-Agent": USER_AGENT, "Accept": "*/*"}
    with (
        tempfile.TemporaryDirectory(prefix=f"ctscreen-{source}-") as tmp,
        httpx.Client(headers=headers, timeout=TIMEOUT, follow_redirects=True) as client,
    ):
        paths = []
        for remote in official.files:
            url = _mirror_url(mirror, source, remote) if mirror else remote.url
            if on_file:
                on_file(url)
            target = Path(tmp) / remote.filename
            fetch(url, target, client=client, retries=retries, backoff=backoff)
            paths.append(target)
        parsed = fmt.load().parse(paths[:1], format=fmt.name, source=source)
        return store.import_list(parsed, force=force)
