"""Fixtures of the message-format tests: the sample messages in fixtures/ and the registered formats."""

from __future__ import annotations

from pathlib import Path

import pytest

import ctscreen.text.formats  # noqa: F401  (registers mt, iso20022 and paxlst)

SAMPLES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def sample():  # type: ignore[no-untyped-def]
    """sample("mt103_listed.fin") -> the file's bytes."""
    return lambda name: (SAMPLES / name).read_bytes()
