"""`ctscreen text FILE|-`: screen a document or message for mentions of listed persons and organisations.

The lead registers it in cli.py with `cli_text.register(app)`. Output: a table of mentions (or, with
`--json`, the shape in docs/text-screening.md); warnings go to stderr. Exit status 0 when screened (alerts
or not), 1 when the input cannot be read, 2 for a bad option.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from ctscreen.errors import CTScreenError

FORMATS = ("auto", "plain", "html", "pdf", "mt", "iso20022", "paxlst")

_out = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 200)
_err = Console(stderr=True, soft_wrap=True)


def _load_screener() -> Any:
    from ctscreen.screening import load_screener

    return load_screener()


def _read_input(source: str, max_bytes: int) -> bytes:
    from ctscreen.text.extract import TextInputError, check_size

    if source == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise TextInputError(
                f"standard input is more than the {max_bytes / 1024 / 1024:.1f} MB limit (raise it with --max-mb)"
            )
        return data
    path = Path(source)
    if not path.exists():
        raise TextInputError(f"{source}: no such file")
    if not path.is_file():
        raise TextInputError(f"{source}: not a file")
    check_size(path.stat().st_size, max_bytes)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise TextInputError(f"{source}: {exc.strerror or exc}") from None


def text(
    source: Annotated[str, typer.Argument(help="The file to screen, or - for standard input.")],
    format: Annotated[
        str, typer.Option("--format", "-f", help="auto | plain | html | pdf | mt | iso20022 | paxlst")
    ] = "auto",
    profile: Annotated[
        str | None,
        typer.Option(
            help="kyc | payments | border (default: the format's: payments for mt/iso20022, border for paxlst, else kyc)"
        ),
    ] = None,
    threshold: Annotated[float | None, typer.Option(help="Alert threshold instead of the profile's.")] = None,
    encoding: Annotated[
        str | None, typer.Option(help="Character encoding of plain text or HTML (default: UTF-8, or BOM).")
    ] = None,
    max_mb: Annotated[float, typer.Option("--max-mb", help="Refuse input larger than this (MB).")] = 50.0,
    all_mentions: Annotated[
        bool, typer.Option("--all", help="Show mentions without alerts too (the table; JSON has all).")
    ] = False,
    json_out: Annotated[bool, typer.Option("--json", help="JSON output (docs/text-screening.md).")] = False,
) -> None:
    """Screen free text (plain, HTML, PDF) or a message for listed persons and organisations: each mention
    with its span, sentence and explained hits."""
    from ctscreen.text import screen_text
    from ctscreen.text.api import available_formats

    name = format.strip().lower()
    if name not in FORMATS and name not in available_formats():
        _fail(f"unknown format {format!r}; known: {', '.join(FORMATS)}", code=2)
    if max_mb <= 0:
        _fail("--max-mb must be positive", code=2)
    max_bytes = int(max_mb * 1024 * 1024)
    try:
        data = _read_input(source, max_bytes)
        screener = _load_screener()
        result = screen_text(
            screener,
            data,
            format=name,
            profile=profile,
            threshold=threshold,
            encoding=encoding,
            max_bytes=max_bytes,
        )
    except ValueError as exc:  # unknown profile
        _fail(str(exc), code=2)
        return
    except CTScreenError as exc:
        _fail(str(exc))
        return
    for warning in result.warnings:
        _err.print(f"[yellow]warning:[/] {warning}", highlight=False)
    if json_out:
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    _show(result, all_mentions)


def _fail(message: str, code: int = 1) -> None:
    _err.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


def _show(result: Any, all_mentions: bool) -> None:
    mentions = [m for m in result.mentions if all_mentions or m.alert]
    alerts = sum(1 for m in result.mentions if m.alert)
    _out.print(
        f"{result.format}: {result.characters} characters, {len(result.mentions)} mentions, {alerts} alerting "
        f"({result.profile} profile, alert at {result.threshold})",
        highlight=False,
    )
    if mentions:
        table = Table()
        for column in ("at", "text", "alert", "list", "ref", "listed name", "score", "why"):
            table.add_column(column, overflow="fold")
        for mention in mentions:
            for i, h in enumerate(mention.hits):
                if not all_mentions and not h.alert:
                    continue
                why = list(h.rules)
                if h.hit.name_match:
                    why.insert(
                        0, ", ".join(f"{p.query}≈{p.listed} ({p.how})" for p in h.hit.name_match.pairs)
                    )
                table.add_row(
                    str(mention.start) if i == 0 or not all_mentions else "",
                    mention.text,
                    "[bold red]ALERT[/]" if h.alert else "",
                    h.hit.source,
                    h.hit.ref,
                    h.hit.name,
                    f"{h.score:.3f}",
                    "; ".join(why),
                )
        _out.print(table)
    for party in result.parties:
        flag = "[bold red]ALERT[/]" if party.alert else "no alert"
        _out.print(f"party {party.role}: {party.name} — {flag}", highlight=False)
        for h in party.hits:
            if h.alert or all_mentions:
                _out.print(f"    {h.score:.3f} {h.source} {h.ref} {h.name}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add the `text` command to the ctscreen app."""
    app.command("text")(text)
