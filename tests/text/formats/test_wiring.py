"""The formats as the rest of ctscreen sees them: registered without an explicit import, on the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

SAMPLES = Path(__file__).resolve().parent / "fixtures"


def test_formats_load_without_an_explicit_import() -> None:
    """`ctscreen.text.api.PLUGIN_MODULES` names the three modules, so `auto` and the CLI find them."""
    code = (
        "from ctscreen.text import available_formats, detect_format\n"
        "assert {'mt', 'iso20022', 'paxlst'} <= set(available_formats()), available_formats()\n"
        "assert detect_format(b'{1:F01EXAMGB2LAXXX0000000001}{2:I103') == 'mt'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch, real_screener) -> typer.Typer:  # type: ignore[no-untyped-def]
    from ctscreen import cli_text

    monkeypatch.setattr(cli_text, "_load_screener", lambda: real_screener)
    application = typer.Typer()
    cli_text.register(application)

    @application.callback()
    def main() -> None:  # a group, so that "text" is a subcommand as in ctscreen
        pass

    return application


@pytest.mark.realdata
def test_cli_json_and_errors(app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    runner = CliRunner()
    done = runner.invoke(
        app,
        [
            "text",
            str(SAMPLES / "pacs008_listed.xml"),
            "--format",
            "iso20022",
            "--profile",
            "payments",
            "--json",
        ],
    )
    assert done.exit_code == 0, done.output
    out = json.loads(done.stdout)
    assert out["format"] == "iso20022" and out["alert"] and out["profile"] == "payments"
    debtor = next(p for p in out["parties"] if p["field"] == "CdtTrfTxInf[1]/Dbtr")
    assert debtor["alert"] and {"QDi.263"} <= {h["ref"] for h in debtor["hits"]}
    bomb = tmp_path / "bomb.xml"
    bomb.write_bytes(b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><Document>&a;</Document>')
    done = runner.invoke(app, ["text", str(bomb), "--format", "iso20022"])
    assert done.exit_code == 1 and "DTD or entities" in done.output
