"""Parallel clients creating screenings and decisions lose nothing and duplicate nothing (both databases).

Threads share one engine (as service workers in one process do); separate processes each open their own
(as several service workers against one database do).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import func, select

from ctscreen.store.workflow_tables import alerts, audit_log, customers, decisions, screenings
from ctscreen.workflow import Conflict

KARIM = {"name": "Karim Haddad", "dob": "1971"}
THREADS, ROUNDS = 8, 5


def _count(wf, table, *where):
    with wf.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one()


def _audit_actions(wf):
    with wf.engine.connect() as conn:
        return [r.action for r in conn.execute(select(audit_log.c.action).order_by(audit_log.c.seq))]


def test_parallel_threads_lose_and_duplicate_nothing(wf, screener, people):
    def client(thread: int) -> tuple[list[int], list[int], int]:
        screening_ids, decision_ids, conflicts = [], [], 0
        analyst = people.analyst if thread % 2 else people.analyst2
        for round_ in range(ROUNDS):
            own = wf.screen_customer(people.screener, f"T{thread}-{round_}", KARIM, screener)
            shared = wf.screen_customer(people.screener, "SHARED", KARIM, screener)
            screening_ids += [own.screening_id, shared.screening_id]
            decision_ids.append(wf.decide(analyst, own.new_alerts[0], "false-positive", "born in Lyon").id)
            (shared_alert,) = wf.list_alerts(analyst, customer_id="SHARED")
            try:
                decision_ids.append(wf.decide(analyst, shared_alert.id, "true-match", "same passport").id)
            except Conflict:
                conflicts += 1
        return screening_ids, decision_ids, conflicts

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(client, range(THREADS)))
    screening_ids = [s for r in results for s in r[0]]
    decision_ids = [d for r in results for d in r[1]]
    conflicts = sum(r[2] for r in results)

    total = THREADS * ROUNDS
    assert len(set(screening_ids)) == len(screening_ids) == 2 * total == _count(wf, screenings)
    assert _count(wf, customers) == total + 1
    # One alert per own customer, and exactly one for the customer every thread screened at once.
    assert _count(wf, alerts) == total + 1
    assert _count(wf, alerts, alerts.c.customer_id == "SHARED") == 1
    # Every own alert decided once; the shared alert decided by exactly one client, the rest refused.
    assert len(set(decision_ids)) == len(decision_ids) == total + 1 == _count(wf, decisions)
    assert conflicts == total - 1
    actions = _audit_actions(wf)
    assert actions.count("screening") == 2 * total
    assert actions.count("alert.create") == total + 1
    assert actions.count("decision.record") == total + 1
    assert wf.verify_audit().ok


WORKER = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from ctscreen.matching import Screener
    from ctscreen.sources import get_format
    from ctscreen.store import make_engine
    from ctscreen.workflow import Workflow

    url, csv_path, screener_token, analyst_token, worker, rounds = sys.argv[1:]
    fmt = get_format("user-csv")
    parsed = fmt.load().parse([Path(csv_path)], format=fmt.name, source="watchlist")
    screener = Screener.from_entities(parsed.entities, {"watchlist": 1})
    wf = Workflow(make_engine(url))
    who, analyst = wf.authenticate(screener_token), wf.authenticate(analyst_token)
    out = {"screenings": [], "decisions": []}
    for i in range(int(rounds)):
        record = wf.screen_customer(who, f"P{worker}-{i}", {"name": "Karim Haddad", "dob": "1971"}, screener)
        out["screenings"].append(record.screening_id)
        out["decisions"].append(wf.decide(analyst, record.new_alerts[0], "false-positive", "not him").id)
    print(json.dumps(out))
    """
)


def test_parallel_processes_lose_and_duplicate_nothing(wf, screener, people, db_url):
    processes, rounds = 4, 6
    csv_path = Path(__file__).resolve().parent.parent / "fixtures" / "workflow" / "watchlist_v1.csv"
    running = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                WORKER,
                db_url,
                str(csv_path),
                people.tokens["screener"],
                people.tokens["analyst"],
                str(worker),
                str(rounds),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for worker in range(processes)
    ]
    outputs = []
    for process in running:
        stdout, stderr = process.communicate(timeout=240)
        assert process.returncode == 0, stderr
        outputs.append(json.loads(stdout.strip().splitlines()[-1]))
    screening_ids = [s for o in outputs for s in o["screenings"]]
    decision_ids = [d for o in outputs for d in o["decisions"]]
    total = processes * rounds
    assert len(set(screening_ids)) == total == _count(wf, screenings)
    assert len(set(decision_ids)) == total == _count(wf, decisions)
    assert _count(wf, alerts, alerts.c.status == "decided-pending-approval") == total
    actions = _audit_actions(wf)
    assert actions.count("screening") == total and actions.count("decision.record") == total
    assert wf.verify_audit().ok
