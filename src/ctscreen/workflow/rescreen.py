"""Delta re-screening: when a list version is activated, re-screen only the customers it can affect.

1. `ListStore.diff` gives the added, amended and removed references between the two versions.
2. Active alerts on removed entries are closed (`closed-delisted`, "delisted in <source> v<N>").
3. A small index of only the added and amended entries is built, with the full index's token weights so its
   scores equal the full screener's, and every stored customer is screened against it: a cheap pass,
   because almost every customer meets no candidate at all.
4. Customers with a hit at or above their profile's report floor are re-screened in full against the new
   screener and recorded like any screening (reason "rescreen <source> v<N>"): new alerts, good-guy
   clearances and open alerts apply as usual.
5. The run is stored (`rescreen_runs`) and audited with its counts and, per customer, the entries that
   touched them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select

from ctscreen.matching import Screener, get_profile
from ctscreen.model import Entity
from ctscreen.store import ListStore
from ctscreen.store.tables import entities
from ctscreen.store.workflow_tables import alerts, customers, rescreen_runs
from ctscreen.workflow import alerts as alert_states
from ctscreen.workflow import audit
from ctscreen.workflow._db import dumps, loads, now, write_transaction
from ctscreen.workflow.customers import to_query
from ctscreen.workflow.errors import InvalidInput
from ctscreen.workflow.keys import SYSTEM, Principal

if TYPE_CHECKING:
    from ctscreen.workflow.service import Workflow

_PAGE = 1000


@dataclass
class RescreenReport:
    source: str
    from_version: int | None
    to_version: int
    added: int = 0
    amended: int = 0
    removed: int = 0
    customers_total: int = 0
    customers_rescreened: int = 0
    new_alerts: int = 0
    closed_alerts: int = 0
    auto_cleared: int = 0
    touched: dict[str, list[str]] = field(default_factory=dict)  # customer_id -> entries that hit them
    closed: list[int] = field(default_factory=list)  # alert ids closed as delisted
    screening_ids: list[int] = field(default_factory=list)
    skipped: str | None = None  # why nothing was done, when nothing was
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "from_version": self.from_version,
            "to_version": self.to_version,
            "changes": {"added": self.added, "amended": self.amended, "removed": self.removed},
            "customers_total": self.customers_total,
            "customers_rescreened": self.customers_rescreened,
            "new_alerts": self.new_alerts,
            "closed_alerts": self.closed_alerts,
            "auto_cleared": self.auto_cleared,
            "why": self.touched,
            "closed": self.closed,
            "screening_ids": self.screening_ids,
            "skipped": self.skipped,
            "seconds": round(self.seconds, 3),
        }


def _entities(store: ListStore, version_id: int, refs: list[str]) -> list[Entity]:
    out: list[Entity] = []
    with store.engine.connect() as conn:
        for start in range(0, len(refs), 500):
            rows = conn.execute(
                select(entities.c.data).where(
                    entities.c.version_id == version_id, entities.c.ref.in_(refs[start : start + 500])
                )
            )
            out += [Entity.from_dict(loads(r.data)) for r in rows]
    return out


def delta_screener(changed: list[Entity], full: Screener, list_versions: dict[str, int]) -> Screener:
    """An index of only `changed`, weighing tokens as the full index does (so scores agree with it)."""
    delta = Screener.from_entities(changed, list_versions)
    delta.index.rarity = dict(full.index.rarity) | {
        k: v for k, v in delta.index.rarity.items() if k not in full.index.rarity
    }
    return delta


def run(
    workflow: Workflow,
    screener: Screener,
    source: str,
    from_version: int | None,
    to_version: int,
    *,
    actor: Principal = SYSTEM,
) -> RescreenReport:
    """Re-screen the stored customers for the change from `from_version` (None: nothing before) to
    `to_version` of `source`; `screener` must hold `to_version`."""
    started_at, started = now(), time.perf_counter()
    store = workflow.store
    held = screener.list_versions.get(source)
    if held is not None and held != to_version:
        raise InvalidInput(
            f"screener: holds {source} v{held}, not v{to_version}; load a screener over the new version"
        )
    new = store.get_version(source, to_version)
    report = RescreenReport(source, from_version, to_version)
    if from_version is None:
        changed_refs = [e.ref for e in store.iter_entities(new.id)]
        report.added, removed_refs = len(changed_refs), []
    else:
        diff = store.diff(source, from_version, to_version)
        changed_refs = [c.ref for c in diff.added] + [c.ref for c in diff.amended]
        removed_refs = [c.ref for c in diff.removed]
        report.added, report.amended, report.removed = len(diff.added), len(diff.amended), len(diff.removed)

    if removed_refs:
        removed_ids = [f"{source}:{ref}" for ref in removed_refs]
        reason = f"delisted in {source} v{to_version}"
        with write_transaction(workflow.engine) as conn:
            for start in range(0, len(removed_ids), 500):
                rows = conn.execute(
                    select(alerts).where(
                        alerts.c.entity_id.in_(removed_ids[start : start + 500]),
                        alerts.c.status.in_(alert_states.ACTIVE),
                    )
                ).all()
                for row in rows:
                    alert_states.close_alert(
                        conn, alert_states.alert_from_row(row), alert_states.CLOSED_DELISTED, reason, actor
                    )
                    report.closed.append(row.id)
        report.closed_alerts = len(report.closed)

    if changed_refs:
        delta = delta_screener(_entities(store, new.id, changed_refs), screener, {source: to_version})
        for row in _customers(workflow):
            report.customers_total += 1
            # Every hit the engine reports is at or above the profile's report floor.
            hits = delta.screen(to_query(loads(row.fields)), get_profile(row.profile)).hits
            if hits:
                report.touched[row.customer_id] = [h.entity_id for h in hits]
    else:
        report.customers_total = sum(1 for _ in _customers(workflow))

    reason = f"rescreen {source} v{to_version}"
    for customer_id in report.touched:
        record = workflow.rescreen_customer(actor, customer_id, screener, reason=reason)
        report.customers_rescreened += 1
        report.screening_ids.append(record.screening_id)
        report.new_alerts += len(record.new_alerts)
        report.auto_cleared += len(record.auto_cleared)
    report.seconds = time.perf_counter() - started
    with write_transaction(workflow.engine) as conn:
        run_id = conn.execute(
            insert(rescreen_runs).values(
                source=source,
                from_version=from_version,
                to_version=to_version,
                started_at=started_at,
                finished_at=now(),
                actor=actor.name,
                report=dumps(report.to_dict()),
            )
        ).inserted_primary_key[0]
        summary = report.to_dict()
        summary.pop("screening_ids")
        audit.append(conn, actor, "rescreen.run", f"rescreen:{run_id}", summary)
    return report


def _customers(workflow: Workflow):  # type: ignore[no-untyped-def]
    """Every stored customer, a page at a time (keyset on customer_id)."""
    last = ""
    while True:
        with workflow.engine.connect() as conn:
            rows = conn.execute(
                select(
                    customers.c.customer_id, customers.c.fields, customers.c.profile, customers.c.threshold
                )
                .where(customers.c.customer_id > last)
                .order_by(customers.c.customer_id)
                .limit(_PAGE)
            ).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].customer_id


def last_run(workflow: Workflow, source: str) -> Any:
    with workflow.engine.connect() as conn:
        return conn.execute(
            select(rescreen_runs)
            .where(rescreen_runs.c.source == source)
            .order_by(rescreen_runs.c.id.desc())
            .limit(1)
        ).first()


def latest(
    workflow: Workflow,
    screener: Screener,
    *,
    sources: list[str] | None = None,
    force: bool = False,
    actor: Principal = SYSTEM,
) -> list[RescreenReport]:
    """Re-screen for the latest activation of each list (or of `sources`): from the version the last run
    reached (or the version before the active one) to the active version. A list whose active version was
    already re-screened is skipped unless `force`."""
    reports = []
    active = {v.source: v for v in workflow.store.active_versions()}
    for source in sources or sorted(active):
        info = active.get(source)
        if info is None:
            raise InvalidInput(f"source: no active version of list {source!r}")
        previous = last_run(workflow, source)
        if previous is not None and previous.to_version == info.version and not force:
            reports.append(
                RescreenReport(
                    source,
                    previous.from_version,
                    info.version,
                    skipped=f"{source} v{info.version} was already re-screened at {previous.finished_at}",
                )
            )
            continue
        if previous is not None and previous.to_version != info.version:
            from_version: int | None = previous.to_version
        else:
            earlier = [v.version for v in workflow.store.versions(source) if v.version < info.version]
            from_version = max(earlier) if earlier else None
        reports.append(run(workflow, screener, source, from_version, info.version, actor=actor))
    return reports
