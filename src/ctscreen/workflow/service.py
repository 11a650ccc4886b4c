"""The workflow facade: what the CLI and the REST service call.

`Workflow(engine)` owns no state beyond the engine and settings; create one per process (or per request,
it is cheap) and share it between threads. Every method that changes something runs in one write
transaction together with its audit records (see `_db.write_transaction`), and checks the caller's role
first (`keys.require`).
"""

from __future__ import annotations

from typing import Any, TextIO

from sqlalchemy import Engine

from ctscreen.matching import Query, Screener, get_profile
from ctscreen.store import ListStore, make_engine
from ctscreen.workflow import alerts as alert_mod
from ctscreen.workflow import audit, customers, decisions, export, goodguys, keys, rescreen, screenings
from ctscreen.workflow._db import write_transaction
from ctscreen.workflow.alerts import AlertInfo
from ctscreen.workflow.audit import AuditRecord, AuditVerification
from ctscreen.workflow.customers import CustomerInfo
from ctscreen.workflow.decisions import DecisionInfo, WorkflowSettings
from ctscreen.workflow.errors import InvalidInput, NotFound
from ctscreen.workflow.goodguys import GoodGuyInfo
from ctscreen.workflow.keys import (
    APPROVE,
    AUDIT,
    EXPORT,
    READ,
    RESCREEN,
    SCREEN,
    SYSTEM,
    KeyInfo,
    Principal,
    require,
)
from ctscreen.workflow.rescreen import RescreenReport
from ctscreen.workflow.screenings import ScreeningRecord


class Workflow:
    """Customers, screenings, alerts, decisions, good-guys, delta re-screening, audit and exports."""

    def __init__(self, engine: Engine | ListStore | None = None, *, settings: WorkflowSettings | None = None):
        if isinstance(engine, ListStore):
            self.store = engine
        else:
            self.store = ListStore(engine or make_engine())  # creates / upgrades the schema
        self.engine = self.store.engine
        self.settings = settings or WorkflowSettings()

    # -- keys ----------------------------------------------------------------------------------------

    def authenticate(self, token: str | None) -> Principal:
        """The principal behind an API key; `AuthenticationFailed` for a missing, bad or revoked key."""
        return keys.authenticate(self.engine, token)

    def create_key(self, actor: Principal, name: str, role: str) -> tuple[KeyInfo, str]:
        """A new key; the returned token is shown to the caller once and never again."""
        return keys.create_key(self.engine, name, role, actor=actor)

    def list_keys(self, actor: Principal, *, include_revoked: bool = True) -> list[KeyInfo]:
        return keys.list_keys(self.engine, actor=actor, include_revoked=include_revoked)

    def revoke_key(self, actor: Principal, key_id: str) -> KeyInfo:
        return keys.revoke_key(self.engine, key_id, actor=actor)

    # -- screening -----------------------------------------------------------------------------------

    def load_screener(self, *, sources: list[str] | None = None, use_cache: bool = True) -> Screener:
        """A screener over the active list versions (cached on disk; see `ctscreen.screening`)."""
        from ctscreen.screening import load_screener

        return load_screener(self.store, sources=sources, use_cache=use_cache)

    def screen_customer(
        self,
        principal: Principal,
        customer_id: str,
        fields: dict[str, Any] | Query,
        screener: Screener,
        profile: str = "kyc",
        *,
        threshold: float | None = None,
    ) -> ScreeningRecord:
        """Screen a customer: store their fields and the result; alerting hits become alerts unless a
        good-guy record clears them or an alert on the same evidence is already active."""
        require(principal, SCREEN)
        customer_id = customers.check_customer_id(customer_id)
        return self._screen(principal, customer_id, fields, screener, profile, threshold, "screen")

    def screen(
        self,
        principal: Principal,
        query: Query | dict[str, Any],
        screener: Screener,
        profile: str = "kyc",
        *,
        threshold: float | None = None,
    ) -> ScreeningRecord:
        """Screen without a customer: recorded and audited, every alerting hit becomes an alert."""
        require(principal, SCREEN)
        return self._screen(principal, None, query, screener, profile, threshold, "screen")

    def rescreen_customer(
        self, actor: Principal, customer_id: str, screener: Screener, *, reason: str = "rescreen"
    ) -> ScreeningRecord:
        """Screen a stored customer again with their stored fields, profile and threshold."""
        require(actor, SCREEN)
        with self.engine.connect() as conn:
            customer = customers.get_customer(conn, customers.check_customer_id(customer_id))
        return self._screen(
            actor,
            customer.customer_id,
            customer.fields,
            screener,
            customer.profile,
            customer.threshold,
            reason,
        )

    def _screen(
        self,
        actor: Principal,
        customer_id: str | None,
        fields: dict[str, Any] | Query,
        screener: Screener,
        profile: str,
        threshold: float | None,
        reason: str,
    ) -> ScreeningRecord:
        normalized = customers.normalize_fields(fields)
        try:
            chosen = get_profile(profile)
        except ValueError as exc:
            raise InvalidInput(f"profile: {exc}") from None
        if threshold is not None and not 0.0 < threshold <= 1.0:
            raise InvalidInput(f"threshold: {threshold} is not in (0, 1]")
        result = screener.screen(customers.to_query(normalized), chosen, threshold=threshold)
        with write_transaction(self.engine) as conn:
            return screenings.record_screening(
                conn,
                actor=actor,
                customer_id=customer_id,
                fields=normalized,
                fields_hash=customers.fields_hash(normalized),
                result=result,
                threshold=threshold,
                reason=reason,
            )

    def get_screening(self, principal: Principal, screening_id: int) -> dict[str, Any]:
        """A stored screening in the shape `ScreeningRecord.to_dict()` returned when it was made."""
        require(principal, READ)
        with self.engine.connect() as conn:
            found = screenings.get_screening(conn, screening_id)
        if found is None:
            raise NotFound(f"no screening {screening_id}")
        return found

    # -- customers -----------------------------------------------------------------------------------

    def get_customer(self, principal: Principal, customer_id: str) -> CustomerInfo:
        require(principal, READ)
        with self.engine.connect() as conn:
            return customers.get_customer(conn, customers.check_customer_id(customer_id))

    def list_customers(
        self, principal: Principal, *, limit: int = 100, offset: int = 0
    ) -> list[CustomerInfo]:
        require(principal, READ)
        return customers.list_customers(self.engine, limit=limit, offset=offset)

    # -- alerts and decisions ------------------------------------------------------------------------

    def list_alerts(self, principal: Principal, **filters: Any) -> list[AlertInfo]:
        """Alerts, oldest first. Filters: status (a status, a list, or "active"), customer_id, entity_id,
        source, profile, screening_id, since, until (ISO times), limit (default 100), offset."""
        require(principal, READ)
        return alert_mod.list_alerts(self.engine, **filters)

    def get_alert(self, principal: Principal, alert_id: int) -> AlertInfo:
        require(principal, READ)
        with self.engine.connect() as conn:
            return alert_mod.get_alert(conn, alert_id)

    def decide(self, principal: Principal, alert_id: int, outcome: str, reason: str) -> DecisionInfo:
        """Record true-match / false-positive / escalate with a reason (four-eyes: see `decisions`)."""
        with write_transaction(self.engine) as conn:
            return decisions.decide(conn, self.settings, principal, alert_id, outcome, reason)

    def approve(
        self, principal: Principal, decision_id: int, approve: bool = True, comment: str | None = None
    ) -> DecisionInfo:
        """Confirm (approve=True) or reject (a comment is then required) another person's decision."""
        with write_transaction(self.engine) as conn:
            return decisions.review(conn, principal, decision_id, approve, comment)

    def get_decision(self, principal: Principal, decision_id: int) -> DecisionInfo:
        require(principal, READ)
        with self.engine.connect() as conn:
            return decisions.get_decision(conn, decision_id)

    def list_decisions(self, principal: Principal, **filters: Any) -> list[DecisionInfo]:
        """Decisions, oldest first. Filters: status, alert_id, since, until, limit (default 100), offset."""
        require(principal, READ)
        return decisions.list_decisions(self.engine, **filters)

    def pending_approvals(self, principal: Principal, *, limit: int = 100) -> list[DecisionInfo]:
        require(principal, APPROVE)
        return decisions.list_decisions(self.engine, status=decisions.PENDING, limit=limit)

    def list_goodguys(self, principal: Principal, *, customer_id: str | None = None) -> list[GoodGuyInfo]:
        require(principal, READ)
        return goodguys.list_goodguys(self.engine, customer_id=customer_id)

    # -- delta re-screening --------------------------------------------------------------------------

    def on_list_activated(
        self,
        source: str,
        old_version: int | None,
        new_version: int,
        screener: Screener,
        *,
        actor: Principal = SYSTEM,
    ) -> RescreenReport:
        """Delta re-screening after `source` went from `old_version` (None: a new list) to `new_version`;
        `screener` holds the new active versions."""
        require(actor, RESCREEN)
        return rescreen.run(self, screener, source, old_version, new_version, actor=actor)

    def rescreen(
        self,
        screener: Screener,
        *,
        sources: list[str] | None = None,
        force: bool = False,
        actor: Principal = SYSTEM,
    ) -> list[RescreenReport]:
        """Delta re-screening for the latest activation of each list not yet re-screened (`ctscreen
        rescreen`); `force` runs it again for lists already done."""
        require(actor, RESCREEN)
        return rescreen.latest(self, screener, sources=sources, force=force, actor=actor)

    # -- audit ---------------------------------------------------------------------------------------

    def audit_list_event(
        self,
        actor: Principal,
        action: str,
        source: str,
        version: int,
        detail: dict[str, Any] | None = None,
    ) -> int:
        """Audit a list import ("import") or activation ("activate")."""
        return audit.audit_list_event(self.engine, action, source, version, actor=actor, detail=detail)

    def verify_audit(self, principal: Principal | None = None) -> AuditVerification:
        if principal is not None:
            require(principal, AUDIT)
        return audit.verify(self.engine)

    def audit_records(
        self,
        principal: Principal,
        *,
        after_seq: int = 0,
        limit: int = 100,
        subject: str | None = None,
        newest_first: bool = False,
    ) -> list[AuditRecord]:
        require(principal, AUDIT)
        return audit.records(
            self.engine, after_seq=after_seq, limit=limit, subject=subject, newest_first=newest_first
        )

    # -- exports -------------------------------------------------------------------------------------

    def export_alerts_csv(self, principal: Principal, out: TextIO, **filters: Any) -> int:
        """Write alerts (with their latest decision) as CSV; returns the number of rows. Filters as
        `list_alerts` (without limit/offset). The export itself is audited."""
        require(principal, EXPORT)
        return export.export_alerts(self.engine, out, actor=principal, **filters)

    def export_decisions_csv(self, principal: Principal, out: TextIO, **filters: Any) -> int:
        """Write decisions (with reasons, actors, times, the alert's evidence) as CSV; returns rows."""
        require(principal, EXPORT)
        return export.export_decisions(self.engine, out, actor=principal, **filters)


def on_list_activated(
    store: ListStore | Engine,
    source: str,
    old_version: int | None,
    new_version: int,
    screener: Screener,
    *,
    actor: Principal = SYSTEM,
    settings: WorkflowSettings | None = None,
) -> RescreenReport:
    """Hook for the importer: delta re-screening after a new version of `source` was activated."""
    return Workflow(store, settings=settings).on_list_activated(
        source, old_version, new_version, screener, actor=actor
    )
