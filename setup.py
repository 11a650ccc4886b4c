"""Compiles the matching core with mypyc when ctscreen is built as a wheel (`pip install .`).

The compiled modules are the same Python files, compiled by mypyc from their type annotations: the Python
source stays the one implementation, and a build that cannot compile (no C compiler, or
CTSCREEN_PURE_PYTHON=1) installs the same modules as plain Python. An editable install (`pip install -e`,
what `make run` and `make test` set up) is never compiled, so an edited file is what runs. Why mypyc:
docs/decisions.md.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
import warnings

from setuptools import Extension, setup

# The modules a screening spends its time in; each must type-check under mypy (`make test` checks it).
COMPILED = [
    "src/ctscreen/names/normalize.py",
    "src/ctscreen/names/arabic.py",
    "src/ctscreen/names/chinese.py",
    "src/ctscreen/names/phonetic.py",
    "src/ctscreen/names/readings.py",
    "src/ctscreen/names/tokens.py",
    "src/ctscreen/matching/compare.py",
    "src/ctscreen/matching/countries.py",
    "src/ctscreen/matching/engine.py",
    "src/ctscreen/matching/evidence.py",
    "src/ctscreen/matching/index.py",
    "src/ctscreen/matching/learned.py",
    "src/ctscreen/matching/profiles.py",
]


# Commands that compile; the metadata steps a build starts with need no C, and an editable install none.
_BUILDS = ("bdist_wheel", "build", "build_ext", "install")


def compiled_extensions(build_dir: str) -> list:
    if os.environ.get("CTSCREEN_PURE_PYTHON") == "1" or not any(c in sys.argv for c in _BUILDS):
        return []
    try:
        from mypyc.build import mypycify

        extensions = mypycify(
            ["--ignore-missing-imports", "--follow-imports=silent", *COMPILED],
            opt_level="3",
            group_name="ctscreen_core",
            target_dir=os.path.join(build_dir, "mypyc"),
        )
    except BaseException as error:  # mypy exits through SystemExit on a type error
        if os.environ.get("CTSCREEN_REQUIRE_COMPILED") == "1":
            raise
        warnings.warn(f"ctscreen: matching core not compiled, installed as Python ({error!r})", stacklevel=1)
        return []
    # Three inner loops in C (the trees' walk, the choice of candidates, the alignment); their Python twins run
    # where it is not built.
    extensions.append(
        Extension(
            "ctscreen.matching._native",
            ["src/ctscreen/matching/_native.c"],
            extra_compile_args=["-O2", "-ffp-contract=off"],
        )
    )
    for extension in extensions:
        # Without a C compiler the build goes on, and the same modules run as Python.
        extension.optional = os.environ.get("CTSCREEN_REQUIRE_COMPILED") != "1"
    return extensions


# Each build compiles from scratch in a directory of its own: objects left in ./build by an earlier build
# would otherwise be packed when this one cannot compile, old code beside new sources.
_build_dir = tempfile.mkdtemp(prefix="ctscreen-build-")
atexit.register(shutil.rmtree, _build_dir, ignore_errors=True)
setup(ext_modules=compiled_extensions(_build_dir), options={"build": {"build_base": _build_dir}})
