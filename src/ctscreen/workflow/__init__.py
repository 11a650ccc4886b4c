"""The compliance workflow: keys and roles, customers, alerts, decisions with four-eyes approval,
good-guy records, delta re-screening, the hash-chained audit log and CSV exports (docs/workflow.md).

`Workflow(engine)` is the one object faces call; `on_list_activated` and `audit_list_event` are the hooks
for the list importer.
"""

from ctscreen.workflow.alerts import AlertInfo
from ctscreen.workflow.audit import AuditRecord, AuditVerification, audit_list_event
from ctscreen.workflow.customers import CustomerInfo
from ctscreen.workflow.decisions import DEFAULT_FOUR_EYES, OUTCOMES, DecisionInfo, WorkflowSettings
from ctscreen.workflow.errors import (
    AuthenticationFailed,
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
    WorkflowError,
)
from ctscreen.workflow.goodguys import GoodGuyInfo
from ctscreen.workflow.keys import PERMISSIONS, ROLES, SYSTEM, KeyInfo, Principal, local_principal, require
from ctscreen.workflow.rescreen import RescreenReport
from ctscreen.workflow.screenings import ScreeningRecord
from ctscreen.workflow.service import Workflow, on_list_activated

__all__ = [
    "DEFAULT_FOUR_EYES",
    "OUTCOMES",
    "PERMISSIONS",
    "ROLES",
    "SYSTEM",
    "AlertInfo",
    "AuditRecord",
    "AuditVerification",
    "AuthenticationFailed",
    "Conflict",
    "CustomerInfo",
    "DecisionInfo",
    "GoodGuyInfo",
    "InvalidInput",
    "KeyInfo",
    "NotFound",
    "PermissionDenied",
    "Principal",
    "RescreenReport",
    "ScreeningRecord",
    "Workflow",
    "WorkflowError",
    "WorkflowSettings",
    "audit_list_event",
    "local_principal",
    "on_list_activated",
    "require",
]
