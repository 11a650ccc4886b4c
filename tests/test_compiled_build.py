"""The compiled build (setup.py, `make compiled`): when the suite runs on it, the matching core really is the
compiled one, and it reads the same package data as the sources."""

import importlib
import os
from pathlib import Path

import pytest

from ctscreen.matching import Query, Screener

CORE = [
    "ctscreen.names.normalize",
    "ctscreen.names.arabic",
    "ctscreen.names.tokens",
    "ctscreen.names.phonetic",
    "ctscreen.matching.compare",
    "ctscreen.matching.engine",
    "ctscreen.matching.index",
    "ctscreen.matching.learned",
]

compiled_only = pytest.mark.skipif(
    os.environ.get("CTSCREEN_EXPECT_COMPILED") != "1",
    reason="the suite runs on the editable sources (CTSCREEN_EXPECT_COMPILED=1 runs it on `make compiled`)",
)


@compiled_only
@pytest.mark.parametrize("module", CORE)
def test_core_module_is_compiled(module):
    path = Path(importlib.import_module(module).__file__)
    assert path.suffix == ".so", f"{module} runs from {path}, not the compiled build"


@compiled_only
def test_compiled_core_screens_and_pickles_its_index():
    import pickle

    from ctscreen.model import Entity, Listing, Name, Schema

    entity = Entity(
        schema=Schema.PERSON,
        names=(Name("Hafiz Muhammad SAEED"),),
        listing=Listing(source="user", reference="T1"),
    )
    screener = Screener.from_entities([entity])
    restored = Screener(pickle.loads(pickle.dumps(screener.index)))
    for s in (screener, restored):
        hits = s.screen(Query("Hafez Mohammad Sayeed", schema="person")).hits
        assert hits and hits[0].ref == "T1" and hits[0].alert
