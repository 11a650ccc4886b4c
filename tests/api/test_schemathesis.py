"""schemathesis against the app's own OpenAPI document: requests generated from it, valid and invalid, on
every operation, as an admin, never get a 5xx, and every answer matches the documented status codes,
content types and schemas (both databases).

Deterministic (Hypothesis derandomised, no example database) and bounded (`MAX_EXAMPLES` per operation and
mode), so it runs in about a minute per database. The operations are driven one by one with Hypothesis
here rather than through schemathesis's pytest plugin, so that they run on the `db_url` fixtures.

POST /lists/update is left out: it downloads from the publishers (502 when they cannot be reached, which
is the right answer, not a server fault); tests/api/test_lists.py covers it against a loopback mirror.
"""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis.errors import Unsatisfiable  # noqa: E402
from schemathesis import GenerationMode, checks  # noqa: E402

MAX_EXAMPLES = 30
SKIPPED = {"POST /lists/update"}
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


def _run(operation, mode, headers):
    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()


def test_generated_requests_get_no_server_error(app, keys):
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    headers = {"Authorization": f"Bearer {keys.tokens['admin']}"}
    failures: list[str] = []
    ran = unsatisfiable = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.label in SKIPPED:
            continue
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            ran += 1
            try:
                _run(operation, mode, headers)
            except Unsatisfiable:
                unsatisfiable += 1  # no invalid request exists (e.g. GET /health takes no input)
            except (Exception, BaseExceptionGroup) as exc:  # every operation is tried; all reported together
                failures.append(f"{operation.label} [{mode.value}]: {str(exc)[:2000]}")
    assert ran >= 2 * 28 and unsatisfiable <= 2
    assert not failures, "\n\n".join(failures)
    answered = _statuses(app)
    assert sum(answered.values()) >= 1000 and not any(status >= 500 for status in answered)
    assert sum(n for status, n in answered.items() if status < 300) >= 300  # not only refusals


def _statuses(app) -> dict[int, int]:
    """Requests the app answered during the run, by status (from its own Prometheus counter)."""
    counts: dict[int, int] = {}
    for metric in app.state.metrics.registry.collect():
        if metric.name == "ctscreen_http_requests":
            for sample in metric.samples:
                if sample.name.endswith("_total"):
                    status = int(sample.labels["status"])
                    counts[status] = counts.get(status, 0) + int(sample.value)
    return counts
