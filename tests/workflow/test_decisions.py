"""Decisions and four-eyes approval: who may decide, who may approve, and what each outcome does."""

from __future__ import annotations

import pytest

from ctscreen.workflow import (
    AuthenticationFailed,
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
    Workflow,
    WorkflowSettings,
    local_principal,
)

KARIM = {"name": "Karim Haddad", "dob": "1971"}


@pytest.fixture
def alert_id(wf, screener, people):
    return wf.screen_customer(people.screener, "C-1", KARIM, screener, "kyc").new_alerts[0]


def test_false_positive_waits_for_approval_then_becomes_a_goodguy(wf, people, alert_id):
    decision = wf.decide(people.analyst, alert_id, "false-positive", "DOB 1971 but customer born in Lyon")
    assert decision.status == "pending-approval" and decision.requires_approval
    assert wf.get_alert(people.analyst, alert_id).status == "decided-pending-approval"
    assert wf.list_goodguys(people.analyst) == []
    assert [d.id for d in wf.pending_approvals(people.supervisor)] == [decision.id]

    approved = wf.approve(people.supervisor, decision.id, True, "checked the passport copy")
    assert approved.status == "approved" and approved.alert_status == "closed-false-positive"
    assert approved.reviewed_by == "Sue Supervisor" and approved.goodguy_id is not None
    alert = wf.get_alert(people.analyst, alert_id)
    assert alert.status == "closed-false-positive" and alert.closed_at
    (goodguy,) = wf.list_goodguys(people.analyst, customer_id="C-1")
    assert (goodguy.entity_id, goodguy.entity_hash, goodguy.fields_hash) == (
        alert.entity_id,
        alert.entity_hash,
        alert.fields_hash,
    )


def test_true_match_approved_closes_the_alert_without_goodguy(wf, people, alert_id):
    decision = wf.decide(people.analyst, alert_id, "true_match", "same DOB, passport LB1234567 matches")
    approved = wf.approve(people.supervisor, decision.id)
    assert approved.alert_status == "closed-true-match" and approved.goodguy_id is None
    assert wf.list_goodguys(people.analyst) == []


def test_rejected_decision_returns_the_alert_to_open(wf, people, alert_id):
    decision = wf.decide(people.analyst, alert_id, "false-positive", "looks different")
    with pytest.raises(InvalidInput, match="comment"):
        wf.approve(people.supervisor, decision.id, False)
    rejected = wf.approve(people.supervisor, decision.id, False, "the dates of birth agree; look again")
    assert rejected.status == "rejected" and rejected.alert_status == "open"
    assert wf.get_alert(people.analyst, alert_id).status == "open"
    again = wf.decide(people.analyst2, alert_id, "true-match", "dates agree, same passport")
    assert again.status == "pending-approval"


def test_nobody_approves_their_own_decision(wf, people, alert_id):
    # A supervisor decides: the same key cannot approve, nor the same person with another key.
    decision = wf.decide(people.supervisor, alert_id, "false-positive", "different person")
    with pytest.raises(PermissionDenied, match="four-eyes"):
        wf.approve(people.supervisor, decision.id)
    _, token = wf.create_key(local_principal(), "  sue   SUPERVISOR ", "supervisor")
    with pytest.raises(PermissionDenied, match="four-eyes"):
        wf.approve(wf.authenticate(token), decision.id)
    assert wf.approve(people.supervisor2, decision.id).status == "approved"


def test_analysts_and_screeners_cannot_approve_screeners_cannot_decide(wf, people, alert_id):
    with pytest.raises(PermissionDenied):
        wf.decide(people.screener, alert_id, "false-positive", "not them")
    decision = wf.decide(people.analyst, alert_id, "false-positive", "not them")
    with pytest.raises(PermissionDenied, match="may not approve"):
        wf.approve(people.analyst2, decision.id)
    with pytest.raises(PermissionDenied):
        wf.approve(people.analyst, decision.id)
    with pytest.raises(PermissionDenied):
        wf.approve(people.screener, decision.id)
    assert wf.approve(people.admin, decision.id).status == "approved"


def test_local_operator_without_a_key_cannot_decide_or_approve(wf, people, alert_id):
    with pytest.raises(PermissionDenied, match="own API key"):
        wf.decide(local_principal(), alert_id, "false-positive", "no")
    decision = wf.decide(people.analyst, alert_id, "false-positive", "not them")
    with pytest.raises(PermissionDenied, match="four-eyes"):
        wf.approve(local_principal(), decision.id)


def test_revoked_key_is_refused(wf, people, alert_id):
    wf.revoke_key(people.admin, people.analyst.key_id)
    with pytest.raises(AuthenticationFailed, match="revoked"):
        wf.authenticate(people.tokens["analyst"])


def test_escalated_alert_is_decided_by_a_supervisor(wf, people, alert_id):
    escalation = wf.decide(people.analyst, alert_id, "escalate", "unsure: partial DOB only")
    assert escalation.status == "final" and escalation.alert_status == "escalated"
    with pytest.raises(PermissionDenied, match="escalated"):
        wf.decide(people.analyst2, alert_id, "false-positive", "fine")
    with pytest.raises(Conflict):
        wf.decide(people.supervisor, alert_id, "escalate", "again")
    decision = wf.decide(people.supervisor, alert_id, "true-match", "passport matches")
    assert decision.status == "pending-approval"
    # Rejecting sends it back where it was: escalated.
    assert (
        wf.approve(people.supervisor2, decision.id, False, "need the source document").alert_status
        == "escalated"
    )


def test_payments_profile_needs_no_approval_by_default(wf, screener, people):
    alert_id = wf.screen_customer(people.screener, "P-1", KARIM, screener, "payments").new_alerts[0]
    decision = wf.decide(people.analyst, alert_id, "false-positive", "beneficiary is a company")
    assert decision.status == "final" and not decision.requires_approval
    assert decision.alert_status == "closed-false-positive" and decision.goodguy_id is not None
    with pytest.raises(Conflict, match="not pending"):
        wf.approve(people.supervisor, decision.id)


def test_four_eyes_is_configurable_per_profile(store, screener, people):
    relaxed = Workflow(store, settings=WorkflowSettings(four_eyes={"kyc": False, "payments": True}))
    kyc_alert = relaxed.screen_customer(people.screener, "C-1", KARIM, screener, "kyc").new_alerts[0]
    assert relaxed.decide(people.analyst, kyc_alert, "true-match", "same person").status == "final"
    pay_alert = relaxed.screen_customer(people.screener, "P-1", KARIM, screener, "payments").new_alerts[0]
    assert relaxed.decide(people.analyst, pay_alert, "true-match", "same person").status == "pending-approval"
    assert WorkflowSettings().requires_approval("some-new-profile")


def test_closed_or_pending_alerts_cannot_be_decided_again(wf, people, alert_id):
    decision = wf.decide(people.analyst, alert_id, "false-positive", "different person")
    with pytest.raises(Conflict, match="decided-pending-approval"):
        wf.decide(people.analyst2, alert_id, "true-match", "no, same")
    wf.approve(people.supervisor, decision.id)
    with pytest.raises(Conflict, match="closed-false-positive"):
        wf.decide(people.analyst2, alert_id, "true-match", "no, same")
    with pytest.raises(Conflict):
        wf.approve(people.supervisor2, decision.id)


@pytest.mark.parametrize(
    ("outcome", "reason", "message"), [("maybe", "why", "outcome"), ("true-match", " ", "reason")]
)
def test_decision_input_is_checked(wf, people, alert_id, outcome, reason, message):
    with pytest.raises(InvalidInput, match=message):
        wf.decide(people.analyst, alert_id, outcome, reason)


def test_unknown_alert_or_decision(wf, people):
    with pytest.raises(NotFound):
        wf.decide(people.analyst, 12345, "true-match", "same person")
    with pytest.raises(NotFound):
        wf.approve(people.supervisor, 12345)


def test_decisions_are_listed_and_filtered(wf, people, alert_id):
    decision = wf.decide(people.analyst, alert_id, "false-positive", "different person")
    assert [d.id for d in wf.list_decisions(people.analyst, status="pending-approval")] == [decision.id]
    assert wf.list_decisions(people.analyst, status="approved") == []
    assert wf.get_decision(people.analyst, decision.id).alert_status == "decided-pending-approval"
    with pytest.raises(InvalidInput):
        wf.list_decisions(people.analyst, status="maybe")
