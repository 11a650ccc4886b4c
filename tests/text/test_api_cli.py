"""The Python API's format hook and the `ctscreen text` command."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from ctscreen.matching import Query
from ctscreen.text import Extracted, Party, TextInputError, register_format, screen_text
from ctscreen.text import api as text_api
from ctscreen.text.extract import DEFAULT_MAX_BYTES


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
def test_registered_format_parties_and_fields(real_screener, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(text_api, "_FORMATS", dict(text_api._FORMATS))

    def handler(data: bytes | str, *, encoding: str | None = None) -> Extracted:
        remittance = "DONATION FOR JAMAAT-UD-DAWA RELIEF"
        return Extracted(
            text=remittance,
            parties=[
                Party("debtor", "Hafiz Muhammad Saeed", Query("Hafiz Muhammad Saeed", dob="1950-06-05")),
                Party("creditor", "Acme Traders"),
            ],
            fields=[(":70:", 0, len(remittance))],
        )

    register_format("mt-test", handler, detect=lambda head: head.startswith(b"MT-TEST"))
    with pytest.raises(ValueError, match="already registered"):
        register_format("mt-test", handler)
    result = screen_text(real_screener, b"MT-TEST {4:...}", format="auto")
    assert result.format == "mt-test"
    out = result.to_dict()
    debtor = out["parties"][0]
    assert debtor["role"] == "debtor" and debtor["alert"]
    assert {"QDi.263", "9215"} & {h["ref"] for h in debtor["hits"] if h["alert"]}
    assert out["parties"][1]["alert"] is False
    mention = out["mentions"][0]
    assert mention["field"] == ":70:" and mention["alert"]


def test_unknown_format_is_a_clear_error() -> None:
    with pytest.raises((TextInputError, ValueError), match="nosuchformat"):
        text_api.extract(b"{1:F01}", "nosuchformat")


@pytest.mark.realdata
def test_cli_json(app: typer.Typer, tmp_path, data_dir) -> None:  # type: ignore[no-untyped-def]
    sample = data_dir / "samples" / "news-pk-us-ct-dialogue.txt"
    result = CliRunner().invoke(app, ["text", str(sample), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert set(out) >= {"format", "mentions", "parties", "warnings", "list_versions"}
    assert any(m["text"] == "TTP" and m["alert"] for m in out["mentions"])


@pytest.mark.realdata
def test_cli_table_stdin_and_errors(app: typer.Typer, tmp_path) -> None:  # type: ignore[no-untyped-def]
    runner = CliRunner()
    result = runner.invoke(app, ["text", "-"], input="The banned Lashkar-e-Taiba claimed it.")
    assert result.exit_code == 0, result.output
    assert "Lashkar-e-Taiba" in result.stdout and "ALERT" in result.stdout
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)) * 50)
    result = runner.invoke(app, ["text", str(junk)])
    assert result.exit_code == 1 and "binary" in result.output
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (2 * 1024 * 1024))
    result = runner.invoke(app, ["text", str(big), "--max-mb", "1"])
    assert result.exit_code == 1 and "limit" in result.output
    result = runner.invoke(app, ["text", str(tmp_path / "missing.txt")])
    assert result.exit_code == 1 and "no such file" in result.output
    result = runner.invoke(app, ["text", str(big), "--format", "docx"])
    assert result.exit_code == 2
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Jaish-e-Mohammed \xe9t\xe9".encode("latin-1"))
    result = runner.invoke(app, ["text", str(bad), "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["warnings"]


def test_default_limit() -> None:
    assert DEFAULT_MAX_BYTES == 50 * 1024 * 1024
