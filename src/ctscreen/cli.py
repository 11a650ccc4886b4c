"""The `ctscreen` command line: a thin face over the store, the parsers and (later) the matcher."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from ctscreen import __version__
from ctscreen.errors import CTScreenError
from ctscreen.model import Entity
from ctscreen.sources import FORMATS

app = typer.Typer(
    help="Counter-terrorism and sanctions screening against the official designation lists.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
lists_app = typer.Typer(help="Import, download, inspect and compare list versions.", no_args_is_help=True)
app.add_typer(lists_app, name="lists")

# Off a terminal rich would wrap tables at 80 columns; give piped output room.
out = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True, soft_wrap=True)


def _store():  # type: ignore[no-untyped-def]
    from ctscreen.store import ListStore

    return ListStore()


def _fail(message: str, code: int = 1) -> None:
    err.print(f"[bold red]error:[/] {message}", highlight=False, markup=True)
    raise typer.Exit(code)


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


@app.callback(invoke_without_command=True)
def main(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    if version:
        out.print(f"ctscreen {__version__}")
        raise typer.Exit()


@app.command("screen")
def screen(
    name: Annotated[str, typer.Argument(help="The name to screen, in any script.")],
    type_: Annotated[
        str, typer.Option("--type", "-t", help="person | organization | vessel | aircraft | any")
    ] = "any",
    dob: Annotated[
        str | None, typer.Option(help="Date of birth: YYYY, YYYY-MM, YYYY-MM-DD or DD/MM/YYYY.")
    ] = None,
    country: Annotated[str | None, typer.Option(help="Nationality or country: name or ISO code.")] = None,
    gender: Annotated[str | None, typer.Option(help="male | female")] = None,
    id_number: Annotated[
        str | None, typer.Option("--id", help="Passport, national ID, CNIC or IMO number.")
    ] = None,
    profile: Annotated[str, typer.Option(help="kyc | payments | border")] = "kyc",
    threshold: Annotated[float | None, typer.Option(help="Alert threshold instead of the profile's.")] = None,
    limit: Annotated[int | None, typer.Option(help="Most hits to show.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="JSON output (docs/screening-json.md).")] = False,
) -> None:
    """Screen one name against the active lists: ranked hits, each explained."""
    from ctscreen.matching import Query, QueryError
    from ctscreen.screening import load_screener

    query = Query(name, schema=type_, dob=dob, country=country, gender=gender, id_number=id_number)
    try:
        query.validated()
        screener = load_screener()
        result = screener.screen(query, profile, limit=limit, threshold=threshold)
    except (QueryError, ValueError, CTScreenError) as exc:
        _fail(str(exc), code=2 if isinstance(exc, ValueError) else 1)
        return
    if json_out:
        _print_json(result.to_dict())
        return
    _show_result(result)


@app.command("batch")
def batch(
    input_path: Annotated[
        Path, typer.Argument(metavar="INPUT", help="CSV, JSON lines or Parquet file of names.")
    ],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="JSON lines output file (default: standard output).")
    ] = None,
    profile: Annotated[str, typer.Option(help="kyc | payments | border")] = "kyc",
    workers: Annotated[int | None, typer.Option(help="Processes (default: all cores).")] = None,
) -> None:
    """Screen every row of a file; one JSON line of hits per row, in input order (docs/screening-json.md)."""
    from ctscreen.batch import run_batch
    from ctscreen.matching import get_profile
    from ctscreen.screening import load_screener

    try:
        get_profile(profile)
        screener = load_screener()
        summary = run_batch(
            screener, input_path, out if out else sys.stdout, profile=profile, workers=workers
        )
    except (ValueError, CTScreenError) as exc:
        _fail(str(exc))
        return
    for message in summary.error_samples:
        err.print(f"[yellow]row error:[/] {message}", highlight=False)
    if summary.errors > len(summary.error_samples):
        err.print(
            f"[yellow]... {summary.errors - len(summary.error_samples)} more row errors[/] (see the output)"
        )
    err.print(
        f"{summary.rows} rows, {summary.screened} screened, {summary.alerts} with alerts, {summary.errors} "
        f"errors in {summary.seconds:.1f}s",
        highlight=False,
    )
    if summary.errors:
        raise typer.Exit(1)


def _show_result(result: Any) -> None:
    profile = result.profile
    if not result.hits:
        out.print(f"No hits above {profile.report_floor} ({profile.name} profile).")
        return
    table = Table(title=f"{len(result.hits)} hits — {profile.name} profile, alert at {profile.threshold}")
    for column in ("score", "alert", "list", "ref", "listed name", "matched name", "why"):
        table.add_column(column, overflow="fold")
    for hit in result.hits:
        why = []
        if hit.name_match:
            why.append(", ".join(f"{p.query}≈{p.listed} ({p.how})" for p in hit.name_match.pairs))
        why += [f"{a.field}: {a.detail}" for a in hit.adjustments]
        table.add_row(
            f"{hit.score:.3f}",
            "[bold red]ALERT[/]" if hit.alert else "",
            hit.source,
            hit.ref,
            hit.name,
            f"{hit.matched_name} ({hit.matched_kind})",
            "; ".join(why),
        )
    out.print(table)


def _after_activation(
    store: Any, source: str, version: int, result: Any, *, imported: bool, previous: int | None = None
) -> None:
    """Audit the import/activation and re-screen stored customers; a failure here is reported, not fatal:
    the list version is already stored and active."""
    from ctscreen.importer import after_activation

    if result is not None:
        if not result.activated:
            return
        previous = result.previous.version if result.previous else None
    try:
        summary = after_activation(store, source, version, previous, imported=imported)
    except CTScreenError as exc:
        err.print(f"[yellow]warning:[/] {source} v{version} is active, but re-screening failed: {exc}")
        return
    if summary:
        err.print(f"  {source}: {summary}", highlight=False)


@lists_app.command("import")
def lists_import(
    paths: Annotated[list[Path], typer.Argument(help="List files, or folders of list files.")],
    format: Annotated[
        str | None, typer.Option("--format", "-f", help="Format name; detected when not given.")
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", "-s", help="List name (for a user's own list, or to override).")
    ] = None,
    published: Annotated[
        str | None, typer.Option(help="The list's publication date, for files that carry none (YYYY-MM-DD).")
    ] = None,
    force: Annotated[bool, typer.Option(help="Import even when the list shrank by more than half.")] = False,
    no_activate: Annotated[
        bool, typer.Option("--no-activate", help="Store the version, keep the active one.")
    ] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print one JSON object per file.")] = False,
) -> None:
    """Import list files as new versions and activate them. A file that fails leaves its list as it was."""
    from ctscreen.importer import import_paths

    try:
        store = _store()
        failures = 0
        results = []
        for outcome in import_paths(
            store,
            paths,
            format=format,
            source=source,
            published=published,
            force=force,
            activate=not no_activate,
        ):
            if outcome.error is not None:
                failures += 1
                err.print(f"[bold red]error:[/] {outcome.error}", highlight=False)
                results.append({"file": str(outcome.path), "error": str(outcome.error)})
                continue
            result = outcome.result
            assert result is not None
            info = result.version
            results.append(
                {"file": str(outcome.path), "created": result.created, "seconds": round(outcome.seconds, 3)}
                | info.to_dict()
            )
            if json_out:
                continue
            if result.created:
                _after_activation(store, info.source, info.version, result, imported=True)
                state = "active" if result.activated else "stored, not active"
                out.print(
                    f"[green]imported[/] {outcome.path} → {info.source} v{info.version} ({state}): "
                    f"{info.entities} entities ({info.persons} persons, {info.organizations} organisations, "
                    f"{info.vessels} vessels, {info.aircraft} aircraft) in {outcome.seconds:.1f}s",
                    highlight=False,
                )
            else:
                out.print(
                    f"[yellow]unchanged[/] {outcome.path}: same content as active {info.source} v{info.version}",
                    highlight=False,
                )
            for warning in info.warnings[:5] if result.created else []:
                err.print(f"  [yellow]warning:[/] {warning}", highlight=False)
            if result.created and len(info.warnings) > 5:
                err.print(f"  [yellow]... {len(info.warnings) - 5} more warnings[/] (lists status --json)")
        if json_out:
            _print_json(results)
        if failures:
            raise typer.Exit(1)
    except CTScreenError as exc:
        _fail(str(exc))


@lists_app.command("update")
def lists_update(
    source: Annotated[
        list[str] | None, typer.Option("--source", "-s", help="Only these lists (repeatable). Default: all.")
    ] = None,
    mirror: Annotated[
        str | None, typer.Option(help="Fetch from this mirror instead ({mirror}/{source}/{file}).")
    ] = None,
    force: Annotated[bool, typer.Option(help="Import even when a list shrank by more than half.")] = False,
) -> None:
    """Download the official lists, validate them and activate the new versions."""
    from ctscreen.download import OFFICIAL_SOURCES, update_source

    store = _store()
    failures = 0
    for name in source or list(OFFICIAL_SOURCES):
        try:
            result = update_source(
                store, name, mirror=mirror, force=force, on_file=lambda url: err.print(f"fetching {url}")
            )
        except CTScreenError as exc:
            failures += 1
            err.print(f"[bold red]error:[/] {name}: {exc}", highlight=False)
            continue
        info = result.version
        if result.created:
            out.print(
                f"[green]updated[/] {name} → v{info.version}: {info.entities} entities", highlight=False
            )
        else:
            out.print(f"[yellow]unchanged[/] {name}: v{info.version} is current", highlight=False)
    if failures:
        raise typer.Exit(1)


@lists_app.command("status")
def lists_status(
    all_versions: Annotated[
        bool, typer.Option("--all", help="Every stored version, not just the active.")
    ] = False,
    json_out: Annotated[bool, typer.Option("--json", help="JSON output (docs/cli-json.md).")] = False,
) -> None:
    """The active version of each list: publication date, counts, import time, sha256."""
    try:
        store = _store()
        versions = store.versions() if all_versions else store.active_versions()
    except CTScreenError as exc:
        _fail(str(exc))
        return
    if json_out:
        _print_json([v.to_dict() for v in versions])
        return
    if not versions:
        out.print("No lists imported yet: `ctscreen lists import PATH` or `ctscreen lists update`.")
        return
    table = Table(title="Lists")
    for column in (
        "source",
        "version",
        "active",
        "published",
        "entities",
        "persons",
        "orgs",
        "imported",
        "sha256",
    ):
        table.add_column(column)
    for v in versions:
        table.add_row(
            v.source,
            str(v.version),
            "yes" if v.active else "",
            v.published or "-",
            str(v.entities),
            str(v.persons),
            str(v.organizations),
            v.imported_at,
            v.sha256[:12],
        )
    out.print(table)


@lists_app.command("diff")
def lists_diff(
    source: Annotated[str, typer.Argument(help="List name, e.g. un, ofac-sdn.")],
    old: Annotated[
        int | None, typer.Argument(help="Older version (default: the one before the active).")
    ] = None,
    new: Annotated[int | None, typer.Argument(help="Newer version (default: the active one).")] = None,
    limit: Annotated[int, typer.Option(help="Entities shown per category in the text output.")] = 20,
    json_out: Annotated[bool, typer.Option("--json", help="JSON output (docs/cli-json.md).")] = False,
) -> None:
    """Entities added, removed and amended (with the fields that changed) between two versions."""
    if (old is None) != (new is None):
        _fail("give both versions, or neither", code=2)
    try:
        diff = _store().diff(source, old, new)
    except CTScreenError as exc:
        _fail(str(exc))
        return
    if json_out:
        _print_json(diff.to_dict())
        return
    out.print(
        f"{source} v{diff.old.version} → v{diff.new.version}: [green]{len(diff.added)} added[/], "
        f"[red]{len(diff.removed)} removed[/], [yellow]{len(diff.amended)} amended[/]",
        highlight=False,
    )
    for label, changes in (("added", diff.added), ("removed", diff.removed), ("amended", diff.amended)):
        for change in changes[:limit]:
            fields = f"  ({', '.join(change.fields)})" if change.fields else ""
            out.print(f"  {label:8} {change.ref:>14}  {change.name}{fields}", highlight=False)
        if len(changes) > limit:
            out.print(f"  {label:8} ... and {len(changes) - limit} more (--limit, --json)")


@lists_app.command("show")
def lists_show(
    ref: Annotated[str, typer.Argument(help="The list's own reference, e.g. QDe.132 or an OFAC ent_num.")],
    source: Annotated[str | None, typer.Option("--source", "-s", help="Only this list.")] = None,
    version: Annotated[int | None, typer.Option(help="A stored version instead of the active one.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="JSON output (docs/cli-json.md).")] = False,
) -> None:
    """One listed entity with every field and its listing."""
    try:
        found = _store().find(ref, source=source, version=version)
    except CTScreenError as exc:
        _fail(str(exc))
        return
    if not found:
        _fail(f"no entity with reference {ref!r} in the active lists" + (f" of {source}" if source else ""))
    if json_out:
        _print_json([e.to_dict() for e in found])
        return
    for entity in found:
        _show_entity(entity)


def _show_entity(entity: Entity) -> None:
    listing = entity.listing
    out.print(
        f"[bold]{entity.primary_name}[/]  ({entity.schema.value}, {listing.source} {listing.reference})"
    )
    rows: list[tuple[str, str]] = []
    for name in entity.names:
        detail = ", ".join(x for x in (name.script, name.language, name.note) if x)
        rows.append((f"name ({name.kind.value})", name.full + (f"  [{detail}]" if detail else "")))
    if entity.gender:
        rows.append(("gender", entity.gender))
    for d in entity.birth_dates:
        text = d.value or f"{d.from_year}–{d.to_year}"
        rows.append(("date of birth", f"{text} ({d.kind.value})" + (f" {d.note}" if d.note else "")))
    rows += [("place of birth", p.text) for p in entity.birth_places]
    rows += [("nationality", n) for n in entity.nationalities]
    rows += [("citizenship", n) for n in entity.citizenships]
    rows += [("title", t) for t in entity.titles]
    rows += [("position", p) for p in entity.positions]
    for i in entity.identifiers:
        extra = ", ".join(x for x in (i.country, i.type_text, i.note) if x)
        rows.append((f"id ({i.kind.value})", i.number + (f"  [{extra}]" if extra else "")))
    rows += [("address", a.text) for a in entity.addresses]
    rows += [("linked to", link) for link in entity.linked_to]
    rows.append(("programmes", "; ".join(listing.programmes) or "-"))
    if listing.un_reference and listing.un_reference != listing.reference:
        rows.append(("UN reference", listing.un_reference))
    rows += [("other reference", r) for r in listing.other_references]
    rows.append(("listed on", listing.listed_on or "-"))
    if listing.amended_on:
        rows.append(("amended on", ", ".join(listing.amended_on)))
    rows += [(key, value) for key, value in entity.extra]
    if listing.remarks:
        rows.append(("remarks", listing.remarks))
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="dim", no_wrap=True)
    table.add_column()
    for key, value in rows:
        table.add_row(key, value)
    out.print(table)
    out.print()


@lists_app.command("activate")
def lists_activate(
    source: Annotated[str, typer.Argument(help="List name.")],
    version: Annotated[int, typer.Argument(help="Stored version to make active (e.g. to roll back).")],
) -> None:
    """Make a stored version the active one."""
    try:
        store = _store()
        previous = store.active_version(source)
        info = store.activate(source, version)
        _after_activation(
            store, source, version, None, imported=False, previous=previous.version if previous else None
        )
    except CTScreenError as exc:
        _fail(str(exc))
        return
    out.print(f"{info.source} v{info.version} is active ({info.entities} entities)", highlight=False)


@lists_app.command("formats")
def lists_formats() -> None:
    """The list formats ctscreen reads."""
    table = Table(title="Formats")
    table.add_column("format")
    table.add_column("default list name")
    table.add_column("what")
    for fmt in FORMATS:
        table.add_row(fmt.name, fmt.source, fmt.description)
    out.print(table)


def _register_faces() -> None:
    from ctscreen.cli_serve import register as register_serve
    from ctscreen.cli_text import register as register_text
    from ctscreen.cli_workflow import register as register_workflow

    register_workflow(app)
    register_text(app)
    register_serve(app)


_register_faces()

if __name__ == "__main__":
    app()
