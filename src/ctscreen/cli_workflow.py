"""`ctscreen keys|customers|alerts|decisions|audit|rescreen|export`: the compliance workflow on the command line.

A thin face over `ctscreen.workflow.Workflow`. Commands act as the person whose API key is given with
`--key` or, better (it stays out of the shell history and the process list), the `CTSCREEN_API_KEY`
environment variable. Without a key, commands that administer the database (keys, audit, exports,
re-screening, reading alerts) run as the local operator, who can open the database anyway; deciding and
approving always need the person's own key, because four-eyes compares people.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from ctscreen.errors import CTScreenError

KeyOption = Annotated[
    str | None,
    typer.Option(
        "--key",
        envvar="CTSCREEN_API_KEY",
        help="Your API key (better: set CTSCREEN_API_KEY).",
        show_default=False,
        show_envvar=True,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="JSON output.")]

keys_app = typer.Typer(
    help="Create, list and revoke API keys (roles: screener, analyst, supervisor, admin).",
    no_args_is_help=True,
)
customers_app = typer.Typer(help="Screen stored customers and look them up.", no_args_is_help=True)
alerts_app = typer.Typer(help="List, inspect and decide alerts.", no_args_is_help=True)
decisions_app = typer.Typer(help="List decisions; approve or reject them (four-eyes).", no_args_is_help=True)
audit_app = typer.Typer(help="The hash-chained audit log: verify it, read it.", no_args_is_help=True)

out = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True, soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add the workflow commands to the `ctscreen` app."""
    app.add_typer(keys_app, name="keys")
    app.add_typer(customers_app, name="customers")
    app.add_typer(alerts_app, name="alerts")
    app.add_typer(decisions_app, name="decisions")
    app.add_typer(audit_app, name="audit")
    app.command("rescreen")(rescreen)
    app.command("export")(export)


# -- helpers -------------------------------------------------------------------------------------------


def _workflow():  # type: ignore[no-untyped-def]
    from ctscreen.workflow import Workflow

    return Workflow()


def _principal(workflow: Any, key: str | None, *, key_required: bool = False) -> Any:
    from ctscreen.workflow import local_principal

    if key:
        return workflow.authenticate(key)
    if key_required:
        _fail("this needs your own API key: set CTSCREEN_API_KEY (or pass --key)")
    return local_principal()


def _fail(message: str, code: int = 1) -> None:
    err.print(f"[bold red]error:[/] {message}", highlight=False, markup=True)
    raise typer.Exit(code)


def _error(exc: CTScreenError) -> None:
    from ctscreen.workflow import InvalidInput

    _fail(str(exc), code=2 if isinstance(exc, InvalidInput) else 1)


def _run(key: str | None, call: Callable[[Any, Any], Any]) -> Any:
    """Call the workflow as the key's principal; a workflow error becomes a one-line message and an exit."""
    try:
        workflow = _workflow()
        return call(workflow, _principal(workflow, key))
    except CTScreenError as exc:
        _error(exc)
        raise AssertionError("unreachable") from exc  # _error exits


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _table(title: str, columns: list[str], rows: list[list[Any]]) -> None:
    table = Table(title=title)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*["" if v is None else str(v) for v in row])
    out.print(table)


# -- keys ----------------------------------------------------------------------------------------------


@keys_app.command("create")
def keys_create(
    name: Annotated[str, typer.Argument(help="The person (or system) the key is for.")],
    role: Annotated[str, typer.Option("--role", "-r", help="screener | analyst | supervisor | admin")],
    key: KeyOption = None,
    json_out: JsonOption = False,
) -> None:
    """Create a key and print it once: it is stored only as a hash and cannot be shown again."""
    try:
        workflow = _workflow()
        info, token = workflow.create_key(_principal(workflow, key), name, role)
    except CTScreenError as exc:
        _error(exc)
        return
    if json_out:
        _print_json(info.to_dict() | {"token": token})
        return
    out.print(f"API key {info.key_id} for {info.name} ({info.role}):", highlight=False)
    out.print(token, highlight=False, markup=False)
    err.print("Store it now: it is shown only this once.")


@keys_app.command("list")
def keys_list(
    active: Annotated[bool, typer.Option("--active", help="Leave revoked keys out.")] = False,
    key: KeyOption = None,
    json_out: JsonOption = False,
) -> None:
    """Every key: id, person, role, created, revoked (never the secret)."""
    found = _run(key, lambda workflow, principal: workflow.list_keys(principal, include_revoked=not active))
    if json_out:
        _print_json([k.to_dict() for k in found])
        return
    _table(
        "API keys",
        ["key id", "name", "role", "created", "by", "revoked"],
        [[k.key_id, k.name, k.role, k.created_at, k.created_by, k.revoked_at or ""] for k in found],
    )


@keys_app.command("revoke")
def keys_revoke(
    key_id: Annotated[str, typer.Argument(help="The key id (the part after `cts_`).")],
    key: KeyOption = None,
) -> None:
    """Revoke a key: it is refused from now on."""
    info = _run(key, lambda workflow, principal: workflow.revoke_key(principal, key_id))
    out.print(f"revoked API key {info.key_id} of {info.name} ({info.role})", highlight=False)


# -- customers -----------------------------------------------------------------------------------------


@customers_app.command("screen")
def customers_screen(
    customer_id: Annotated[str, typer.Argument(help="Your stable id for the customer.")],
    name: Annotated[str, typer.Argument(help="The customer's name, in any script.")],
    type_: Annotated[
        str, typer.Option("--type", "-t", help="person | organization | vessel | aircraft | any")
    ] = "any",
    dob: Annotated[str | None, typer.Option(help="Date of birth: YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    country: Annotated[str | None, typer.Option(help="Nationality or country.")] = None,
    gender: Annotated[str | None, typer.Option(help="male | female")] = None,
    id_number: Annotated[
        str | None, typer.Option("--id", help="Passport, national ID or IMO number.")
    ] = None,
    profile: Annotated[str, typer.Option(help="kyc | payments | border")] = "kyc",
    threshold: Annotated[float | None, typer.Option(help="Alert threshold instead of the profile's.")] = None,
    key: KeyOption = None,
    json_out: JsonOption = False,
) -> None:
    """Screen a customer, store the result and raise alerts (good-guy records clear known false positives)."""
    fields = {
        "name": name,
        "schema": type_,
        "dob": dob,
        "country": country,
        "gender": gender,
        "id_number": id_number,
    }
    try:
        workflow = _workflow()
        principal = _principal(workflow, key)
        record = workflow.screen_customer(
            principal, customer_id, fields, workflow.load_screener(), profile, threshold=threshold
        )
    except CTScreenError as exc:
        _error(exc)
        return
    data = record.to_dict()
    if json_out:
        _print_json(data)
        return
    counts = data["workflow"]
    out.print(
        f"screening {record.screening_id} of customer {record.customer_id}: {len(data['hits'])} hits, "
        f"{counts['new_alerts']} new alerts, {counts['open_alerts']} already open, "
        f"{counts['auto_cleared']} cleared by good-guy records",
        highlight=False,
    )
    rows = []
    for hit in data["hits"]:
        disposition = hit["workflow"] or {}
        rows.append(
            [
                f"{hit['score']:.3f}",
                hit["source"],
                hit["ref"],
                hit["name"],
                disposition.get("disposition", ""),
                disposition.get("alert_id") or disposition.get("goodguy_id") or "",
            ]
        )
    if rows:
        _table("hits", ["score", "list", "ref", "listed name", "disposition", "alert / good-guy"], rows)


@customers_app.command("list")
def customers_list(
    limit: Annotated[int, typer.Option(help="Most customers shown.")] = 100,
    offset: Annotated[int, typer.Option(help="Skip this many.")] = 0,
    key: KeyOption = None,
    json_out: JsonOption = False,
) -> None:
    """Stored customers with their last screening."""
    found = _run(
        key, lambda workflow, principal: workflow.list_customers(principal, limit=limit, offset=offset)
    )
    if json_out:
        _print_json([c.to_dict() for c in found])
        return
    _table(
        "customers",
        ["customer", "name", "profile", "last screening", "at"],
        [
            [c.customer_id, c.fields.get("name"), c.profile, c.last_screening_id, c.last_screened_at]
            for c in found
        ],
    )


@customers_app.command("show")
def customers_show(
    customer_id: Annotated[str, typer.Argument(help="The customer's id.")],
    key: KeyOption = None,
    json_out: JsonOption = False,
) -> None:
    """One customer: stored fields, alerts and good-guy records."""
    try:
        workflow = _workflow()
        principal = _principal(workflow, key)
        customer = workflow.get_customer(principal, customer_id)
        found = workflow.list_alerts(principal, customer_id=customer.customer_id, limit=None)
        cleared = workflow.list_goodguys(principal, customer_id=customer.customer_id)
    except CTScreenError as exc:
        _error(exc)
        return
    if json_out:
        _print_json(
            customer.to_dict()
            | {"alerts": [a.to_dict() for a in found], "goodguys": [g.to_dict() for g in cleared]}
        )
        return
    out.print(
        f"[bold]{customer.customer_id}[/]  {customer.fields}  profile {customer.profile}", highlight=False
    )
    _alert_table(found)
    for goodguy in cleared:
        out.print(
            f"good-guy {goodguy.id}: {goodguy.entity_id} cleared by {goodguy.created_by} at {goodguy.created_at}",
            highlight=False,
        )


# -- alerts --------------------------------------------------------------------------------------------


def _alert_table(found: list[Any]) -> None:
    _table(
        f"{len(found)} alerts",
        ["id", "status", "customer", "score", "list entry", "listed name", "profile", "created"],
        [
            [
                a.id,
                a.status,
                a.customer_id or "-",
                f"{a.score:.3f}",
                a.entity_id,
                a.entity_name,
                a.profile,
                a.created_at,
            ]
            for a in found
        ],
    )


@alerts_app.command("list")
def alerts_list(
    status: Annotated[
        str | None, typer.Option(help="active, open, decided-pending-approval, escalated, closed-...")
    ] = None,
    customer: Annotated[str | None, typer.Option(help="Only this customer's alerts.")] = None,
    source: Annotated[str | None, typer.Option(help="Only alerts on this list.")] = None,
    limit: Annotated[int, typer.Option(help="Most alerts shown.")] = 100,
    offset: Annotated[int, typer.Option(help="Skip this many.")] = 0,
    key: KeyOption = None,
    json_out: JsonOption = False,
) -> None:
    """Alerts, oldest first."""
    try:
        workflow = _workflow()
        found = workflow.list_alerts(
            _principal(workflow, key),
            status=status,
            customer_id=customer,
            source=source,
            limit=limit,
            offset=offset,
        )
    except CTScreenError as exc:
        _error(exc)
        return
    if json_out:
        _print_json([a.to_dict() for a in found])
        return
    _alert_table(found)


@alerts_app.command("show")
def alerts_show(
    alert_id: Annotated[int, typer.Argument(help="The alert's id.")],
    key: KeyOption = None,
    json_out: JsonOption = False,
) -> None:
    """One alert with its evidence and decisions."""
    try:
        workflow = _workflow()
        principal = _principal(workflow, key)
        alert = workflow.get_alert(principal, alert_id)
        history = workflow.list_decisions(principal, alert_id=alert_id, limit=None)
    except CTScreenError as exc:
        _error(exc)
        return
    if json_out:
        _print_json(alert.to_dict() | {"decisions": [d.to_dict() for d in history]})
        return
    out.print(
        f"[bold]alert {alert.id}[/] ({alert.status}): customer {alert.customer_id or '-'} ~ {alert.entity_id} "
        f"{alert.entity_name!r} via {alert.matched_name!r}, score {alert.score:.3f} (threshold "
        f"{alert.threshold}, {alert.profile}); lists {alert.list_versions}, engine {alert.engine_version}",
        highlight=False,
    )
    for decision in history:
        out.print(
            f"  decision {decision.id}: {decision.outcome} by {decision.decided_by} at {decision.decided_at} "
            f"({decision.status}): {decision.reason}"
            + (
                f"; reviewed by {decision.reviewed_by}: {decision.review_comment or ''}"
                if decision.reviewed_by
                else ""
            ),
            highlight=False,
        )


@alerts_app.command("decide")
def alerts_decide(
    alert_id: Annotated[int, typer.Argument(help="The alert's id.")],
    outcome: Annotated[str, typer.Option("--outcome", "-o", help="true-match | false-positive | escalate")],
    reason: Annotated[str, typer.Option("--reason", "-m", help="Why: what you compared and found.")],
    key: KeyOption = None,
    json_out: JsonOption = False,
) -> None:
    """Record your decision on an alert (four-eyes profiles then wait for a supervisor's approval)."""
    try:
        workflow = _workflow()
        decision = workflow.decide(_principal(workflow, key, key_required=True), alert_id, outcome, reason)
    except CTScreenError as exc:
        _error(exc)
        return
    if json_out:
        _print_json(decision.to_dict())
        return
    out.print(
        f"decision {decision.id}: {decision.outcome} on alert {alert_id} ({decision.status}); "
        f"alert is {decision.alert_status}",
        highlight=False,
    )


# -- decisions -----------------------------------------------------------------------------------------


@decisions_app.command("list")
def decisions_list(
    status: Annotated[
        str | None, typer.Option(help="pending-approval | approved | rejected | final | void")
    ] = None,
    limit: Annotated[int, typer.Option(help="Most decisions shown.")] = 100,
    key: KeyOption = None,
    json_out: JsonOption = False,
) -> None:
    """Decisions, oldest first (`--status pending-approval`: the approval queue)."""
    found = _run(
        key, lambda workflow, principal: workflow.list_decisions(principal, status=status, limit=limit)
    )
    if json_out:
        _print_json([d.to_dict() for d in found])
        return
    _table(
        f"{len(found)} decisions",
        ["id", "alert", "outcome", "status", "by", "at", "reason", "reviewed by"],
        [
            [d.id, d.alert_id, d.outcome, d.status, d.decided_by, d.decided_at, d.reason, d.reviewed_by]
            for d in found
        ],
    )


def _review(decision_id: int, approve: bool, comment: str | None, key: str | None, json_out: bool) -> None:
    try:
        workflow = _workflow()
        decision = workflow.approve(
            _principal(workflow, key, key_required=True), decision_id, approve, comment
        )
    except CTScreenError as exc:
        _error(exc)
        return
    if json_out:
        _print_json(decision.to_dict())
        return
    out.print(f"decision {decision.id} {decision.status}; alert is {decision.alert_status}", highlight=False)


@decisions_app.command("approve")
def decisions_approve(
    decision_id: Annotated[int, typer.Argument(help="The decision's id.")],
    comment: Annotated[str | None, typer.Option("--comment", "-m", help="Your note.")] = None,
    key: KeyOption = None,
    json_out: JsonOption = False,
) -> None:
    """Confirm another person's decision (supervisor or admin; never your own)."""
    _review(decision_id, True, comment, key, json_out)


@decisions_app.command("reject")
def decisions_reject(
    decision_id: Annotated[int, typer.Argument(help="The decision's id.")],
    comment: Annotated[str, typer.Option("--comment", "-m", help="Why it is rejected.")],
    key: KeyOption = None,
    json_out: JsonOption = False,
) -> None:
    """Reject another person's decision: the alert goes back to be decided again."""
    _review(decision_id, False, comment, key, json_out)


# -- audit ---------------------------------------------------------------------------------------------


@audit_app.command("verify")
def audit_verify(key: KeyOption = None, json_out: JsonOption = False) -> None:
    """Check the whole hash chain; exit 1 and name the first bad record when it was tampered with."""
    result = _run(key, lambda workflow, principal: workflow.verify_audit(principal))
    if json_out:
        _print_json(result.to_dict())
    elif result.ok:
        out.print(
            f"[green]audit log intact[/]: {result.records} records; head {result.head_seq} {result.head_hash}",
            highlight=False,
        )
    else:
        err.print(
            f"[bold red]audit log broken[/] at record {result.first_bad_seq}: {result.problem}",
            highlight=False,
        )
    if not result.ok:
        raise typer.Exit(1)


@audit_app.command("log")
def audit_log(
    limit: Annotated[int, typer.Option(help="Most records shown.")] = 50,
    after: Annotated[int, typer.Option(help="Only records after this sequence number.")] = 0,
    subject: Annotated[str | None, typer.Option(help="Only this subject, e.g. alert:12.")] = None,
    key: KeyOption = None,
    json_out: JsonOption = False,
) -> None:
    """Audit records in order (newest last)."""
    try:
        workflow = _workflow()
        found = workflow.audit_records(
            _principal(workflow, key), after_seq=after, limit=limit, subject=subject
        )
    except CTScreenError as exc:
        _error(exc)
        return
    if json_out:
        _print_json([r.to_dict() for r in found])
        return
    _table(
        "audit log",
        ["seq", "at", "actor", "action", "subject", "payload"],
        [
            [r.seq, r.at, r.actor, r.action, r.subject, json.dumps(r.payload, ensure_ascii=False)]
            for r in found
        ],
    )


# -- rescreen and export -------------------------------------------------------------------------------


def rescreen(
    source: Annotated[
        list[str] | None, typer.Option("--source", "-s", help="Only these lists (repeatable). Default: all.")
    ] = None,
    force: Annotated[bool, typer.Option(help="Run again for lists already re-screened.")] = False,
    key: KeyOption = None,
    json_out: JsonOption = False,
) -> None:
    """Delta re-screening: re-screen the stored customers that the latest list versions can affect."""
    try:
        workflow = _workflow()
        principal = _principal(workflow, key)
        reports = workflow.rescreen(workflow.load_screener(), sources=source, force=force, actor=principal)
    except CTScreenError as exc:
        _error(exc)
        return
    if json_out:
        _print_json([r.to_dict() for r in reports])
        return
    for report in reports:
        if report.skipped:
            out.print(f"[yellow]skipped[/] {report.skipped} (--force to run again)", highlight=False)
            continue
        span = (
            f"v{report.from_version} → v{report.to_version}"
            if report.from_version
            else f"v{report.to_version}"
        )
        out.print(
            f"{report.source} {span}: {report.added} added, {report.amended} amended, {report.removed} removed; "
            f"{report.customers_rescreened} of {report.customers_total} customers re-screened, "
            f"{report.new_alerts} new alerts, {report.closed_alerts} alerts closed (delisted), "
            f"{report.auto_cleared} cleared by good-guy records",
            highlight=False,
        )
        for customer_id, entries in list(report.touched.items())[:20]:
            out.print(f"  {customer_id}: {', '.join(entries)}", highlight=False)


def export(
    what: Annotated[str, typer.Argument(help="alerts | decisions")],
    output: Annotated[
        Path | None, typer.Option("--out", "-o", help="CSV file to write (default: stdout).")
    ] = None,
    status: Annotated[str | None, typer.Option(help="Only this status.")] = None,
    since: Annotated[str | None, typer.Option(help="From this time on (ISO date or time, UTC).")] = None,
    until: Annotated[str | None, typer.Option(help="Before this time (ISO date or time, UTC).")] = None,
    key: KeyOption = None,
) -> None:
    """CSV of alerts or decisions, with reasons, people, times and list versions, for auditors."""
    if what not in ("alerts", "decisions"):
        _fail(f"what: {what!r} is not alerts or decisions", code=2)
    filters = {k: v for k, v in {"status": status, "since": since, "until": until}.items() if v}
    try:
        workflow = _workflow()
        principal = _principal(workflow, key)
        method = workflow.export_alerts_csv if what == "alerts" else workflow.export_decisions_csv
        if output is None:
            rows = method(principal, sys.stdout, **filters)
        else:
            with output.open("w", encoding="utf-8", newline="") as handle:
                rows = method(principal, handle, **filters)
    except CTScreenError as exc:
        _error(exc)
        return
    except OSError as exc:
        _fail(f"{output}: {exc.strerror}")
        return
    err.print(f"{rows} {what} exported" + (f" to {output}" if output else ""), highlight=False)
