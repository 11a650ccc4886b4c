"""The compiled build (setup.py, `make compiled`): when the suite runs on it, the matching core really is the
compiled one, it screens and pickles its index, and it answers real-list queries byte for byte as the Python
sources do."""

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
def test_the_c_loops_are_built():
    from ctscreen.matching.native import NATIVE

    assert NATIVE is not None, (
        "ctscreen.matching._native (the trees' walk, the choice of candidates, the alignment) not built"
    )


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


# Names of every kind the lists and the benchmark hold: Latin spellings, Arabic and Persian script, Cyrillic,
# Han, organisations, and names with nothing like them listed.
_MIXED_QUERIES = [
    ("Hafez Mohammad Sayeed", "person"),
    ("Usama bin Ladin", "person"),
    ("Sirajuddin Haqani", "person"),
    ("Ayman al-Dhawahri", "person"),
    ("مرتضی میرزایی", "person"),
    ("محمد لكحل", "person"),
    ("القاعدة", "organization"),
    ("سید حسین", "person"),
    ("Евгений Пригожин", "person"),
    ("张伟", "person"),
    ("Lashkar e Tayyiba", "organization"),
    ("Tehreek-i-Taliban Pakistan", "organization"),
    ("Islamic State Khorasan Province", "organization"),
    ("Muhammad Khan", "person"),
    ("Alika Hakim", "person"),
    ("Gazprom Neft", "organization"),
    ("Maria Schneider", "person"),
    ("SORUH COMPANY", "organization"),
]


@compiled_only
@pytest.mark.realdata
def test_compiled_core_screens_as_the_python_sources(real_entities, screening_paths):
    """The same queries over the real lists, here (compiled) and in a process running the Python sources:
    the same JSON, byte for byte."""
    import json
    import subprocess
    import sys

    queries = list(_MIXED_QUERIES)
    for entity in real_entities[::97]:
        queries += [(name.full, entity.schema.value) for name in entity.names[:2]]
    screener = Screener.from_entities(real_entities)
    here = [screener.screen(Query(text, schema=schema)).to_dict() for text, schema in queries]

    program = f"""
import json, sys
from ctscreen.matching import Query, Screener
from ctscreen.sources import parse_file
from pathlib import Path
import ctscreen.matching.compare as compare
assert compare.__file__.endswith(".py"), compare.__file__
entities = [e for f in {[str(p) for p in screening_paths]!r} for e in parse_file(Path(f)).entities]
screener = Screener.from_entities(entities)
queries = json.load(sys.stdin)
print(json.dumps([screener.screen(Query(t, schema=s)).to_dict() for t, s in queries]))
"""
    sources = Path(__file__).resolve().parents[1] / "src"
    env = dict(os.environ, PYTHONPATH=str(sources))
    done = subprocess.run(
        [sys.executable, "-c", program],
        input=json.dumps(queries),
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    there = json.loads(done.stdout)
    assert len(here) == len(there) > 200
    for query, ours, theirs in zip(queries, here, there, strict=True):
        assert json.dumps(ours) == json.dumps(theirs), query
