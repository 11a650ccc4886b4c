"""Shared test settings.

The real list files are found through one setting, CTSCREEN_DATA (default: ../shared/data beside the
repository). Tests that need them use the `lists_dir` fixture and skip, saying why, when the folder is absent.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def shared_data_dir() -> Path:
    return Path(os.environ.get("CTSCREEN_DATA", REPO.parent / "shared" / "data")).resolve()


@pytest.fixture(scope="session")
def data_dir() -> Path:
    path = shared_data_dir()
    if not (path / "lists").is_dir():
        pytest.skip(f"real list files not found under {path} (set CTSCREEN_DATA)")
    return path


@pytest.fixture(scope="session")
def lists_dir(data_dir: Path) -> Path:
    return data_dir / "lists"


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES
