"""Downloads against a real HTTP server on loopback that serves the real list files, and broken ones."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ctscreen.cli import app
from ctscreen.download import update_source
from ctscreen.errors import DownloadError, ImportRefused, ListFormatError


class ListServer:
    """Routes path -> (status, body, headers); records the User-Agent of every request."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, bytes, dict[str, str]]] = {}
        self.user_agents: list[str] = []
        self.hits: dict[str, int] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                server.user_agents.append(self.headers.get("User-Agent", ""))
                server.hits[self.path] = server.hits.get(self.path, 0) + 1
                status, body, headers = server.routes.get(self.path, (404, b"not found", {}))
                self.send_response(status)
                sent_length = headers.get("Content-Length", str(len(body)))
                self.send_header("Content-Length", sent_length)
                for key, value in headers.items():
                    if key != "Content-Length":
                        self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def serve(self, path: str, body: bytes, status: int = 200, **headers: str) -> None:
        self.routes[path] = (status, body, headers)


@pytest.fixture
def server() -> Iterator[ListServer]:
    srv = ListServer()
    yield srv
    srv.httpd.shutdown()


def un_bytes(lists_dir: Path) -> bytes:
    return (lists_dir / "un/consolidated.xml").read_bytes()


def test_update_un_from_mirror(server, store, lists_dir):
    server.serve("/m/un/consolidated.xml", un_bytes(lists_dir), **{"Content-Type": "application/xml"})
    result = update_source(store, "un", mirror=f"{server.url}/m")
    assert result.created and result.version.entities == 1003
    assert result.version.published.startswith("2026-02-27")
    agent = server.user_agents[0]
    assert agent.startswith("Mozilla/5") and len(agent) >= 40
    again = update_source(store, "un", mirror=f"{server.url}/m")
    assert not again.created  # same sha256: no new version


def test_update_ofac_reads_all_four_files(server, store, lists_dir):
    folder = lists_dir / "ofac/legacy_csv_2021-07-07"
    for remote, local in (
        ("SDN.CSV", "sdn.csv"),
        ("ALT.CSV", "alt.csv"),
        ("ADD.CSV", "add.csv"),
        ("SDN_COMMENTS.CSV", "sdn_comments.csv"),
    ):
        server.serve(f"/m/ofac-sdn/{remote}", (folder / local).read_bytes())
    result = update_source(store, "ofac-sdn", mirror=f"{server.url}/m")
    assert result.version.entities == 8976
    assert {f["name"] for f in result.version.files} == {"sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"}
    with_aliases = [e for e in store.iter_entities(result.version.id) if len(e.names) > 1]
    assert len(with_aliases) > 3000


@pytest.fixture
def active_un(server, store, lists_dir):
    server.serve("/good/un/consolidated.xml", un_bytes(lists_dir))
    info = update_source(store, "un", mirror=f"{server.url}/good").version
    return info


def assert_unchanged(store, info) -> None:
    now = store.active_version("un")
    assert (now.version, now.sha256, now.entities) == (info.version, info.sha256, info.entities)


def test_html_instead_of_xml_is_refused(server, store, active_un):
    server.serve(
        "/bad/un/consolidated.xml",
        b"<html><body>Request blocked</body></html>",
        **{"Content-Type": "text/html"},
    )
    with pytest.raises(DownloadError, match="HTML page"):
        update_source(store, "un", mirror=f"{server.url}/bad")
    assert_unchanged(store, active_un)


def test_truncated_download_is_refused(server, store, active_un, lists_dir):
    data = un_bytes(lists_dir)
    # The server promises the whole file and closes after half of it.
    server.serve("/bad/un/consolidated.xml", data[: len(data) // 2], **{"Content-Length": str(len(data))})
    with pytest.raises(DownloadError, match="failed after 2 attempts"):
        update_source(store, "un", mirror=f"{server.url}/bad", retries=2, backoff=0.01)
    assert server.hits["/bad/un/consolidated.xml"] == 2
    assert_unchanged(store, active_un)


def test_truncated_xml_served_whole_is_refused(server, store, active_un, lists_dir):
    data = un_bytes(lists_dir)
    server.serve("/bad/un/consolidated.xml", data[: len(data) // 3])
    with pytest.raises(ListFormatError, match="truncated"):
        update_source(store, "un", mirror=f"{server.url}/bad")
    assert_unchanged(store, active_un)


def test_wrong_root_is_refused(server, store, active_un, lists_dir):
    server.serve(
        "/bad/un/consolidated.xml", (lists_dir / "ofac/consolidated_non_sdn/consolidated.xml").read_bytes()
    )
    with pytest.raises(ListFormatError, match="root element is <sdnList>"):
        update_source(store, "un", mirror=f"{server.url}/bad")
    assert_unchanged(store, active_un)


def test_list_shrunk_by_half_is_refused(server, store, active_un, lists_dir):
    text = un_bytes(lists_dir).decode("utf-8")
    start, end = text.index("<INDIVIDUALS>"), text.index("</INDIVIDUALS>")
    shrunk = text[: start + len("<INDIVIDUALS>")] + text[end:]  # only the 273 entities remain
    server.serve("/bad/un/consolidated.xml", shrunk.encode("utf-8"))
    with pytest.raises(ImportRefused, match="shrank from 1003 to 273"):
        update_source(store, "un", mirror=f"{server.url}/bad")
    assert_unchanged(store, active_un)


def test_server_errors_are_retried_then_reported(server, store, active_un):
    server.serve("/bad/un/consolidated.xml", b"oops", status=503)
    with pytest.raises(DownloadError, match="HTTP 503"):
        update_source(store, "un", mirror=f"{server.url}/bad", retries=3, backoff=0.01)
    assert server.hits["/bad/un/consolidated.xml"] == 3
    server.serve("/gone/un/consolidated.xml", b"no", status=404)
    with pytest.raises(DownloadError, match="HTTP 404"):
        update_source(store, "un", mirror=f"{server.url}/gone", backoff=0.01)
    assert server.hits["/gone/un/consolidated.xml"] == 1  # a 404 is not retried
    assert_unchanged(store, active_un)


def test_retired_and_unknown_sources(store):
    with pytest.raises(DownloadError, match="retired"):
        update_source(store, "uk-ofsi")
    with pytest.raises(DownloadError, match="no official download"):
        update_source(store, "nope")


def test_cli_update_reports_failure_and_keeps_list(server, lists_dir, cli_env):
    runner = CliRunner()
    server.serve("/m/un/consolidated.xml", un_bytes(lists_dir))
    result = runner.invoke(app, ["lists", "update", "--source", "un", "--mirror", f"{server.url}/m"])
    assert result.exit_code == 0, result.stderr
    assert "updated un → v1: 1003 entities" in result.stdout
    server.serve("/x/un/consolidated.xml", b"<html>maintenance</html>")
    result = runner.invoke(app, ["lists", "update", "--source", "un", "--mirror", f"{server.url}/x"])
    assert result.exit_code == 1
    assert "HTML page" in result.stderr
    status = json.loads(runner.invoke(app, ["lists", "status", "--json"]).stdout)
    assert [(s["source"], s["version"], s["entities"]) for s in status] == [("un", 1, 1003)]
