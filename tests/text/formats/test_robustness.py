"""Never a crash, never a silent empty result: mutated and truncated messages of every format either read
(with parties or text, and warnings where something was wrong) or raise TextInputError."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ctscreen.text import TextInputError, extract

CASES = [
    ("mt", "mt103_listed.fin"),
    ("mt", "mt202cov_listed.fin"),
    ("iso20022", "pacs008_listed.xml"),
    ("iso20022", "pain001_listed.xml"),
    ("paxlst", "paxlst_manifest.edi"),
]
JUNK = st.binary(max_size=12) | st.sampled_from(
    [
        b"{",
        b"}",
        b"-}",
        b"\n:",
        b":59:",
        b"'",
        b"+",
        b"?",
        b"<",
        b"</",
        b"&",
        b"<!DOCTYPE x>",
        b"\xff\xfe",
        b"\x00",
    ]
)


def _check(format: str, data: bytes) -> None:
    try:
        _, extracted = extract(data, format)
    except TextInputError as exc:
        assert str(exc)  # a clear error says something
        return
    assert extracted.parties or extracted.text.strip(), "a silent empty result"


@pytest.mark.parametrize(("format", "name"), CASES)
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.floats(0, 1), length=st.integers(0, 40), junk=JUNK)
def test_mutated_messages(sample, format: str, name: str, cut: float, length: int, junk: bytes) -> None:  # type: ignore[no-untyped-def]
    data = sample(name)
    at = int(cut * len(data))
    _check(format, data[:at] + junk + data[at + length :])


@pytest.mark.parametrize(("format", "name"), CASES)
def test_every_truncation_point(sample, format: str, name: str) -> None:  # type: ignore[no-untyped-def]
    data = sample(name)
    for end in range(0, len(data), max(1, len(data) // 150)):
        _check(format, data[:end])
