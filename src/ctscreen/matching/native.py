"""The C twins of three of screening's inner loops (`_native.c`), where the wheel built them.

`NATIVE` is that module, or None in an editable install, where no C compiler was at hand, or with
CTSCREEN_NATIVE=0 (to measure one against the other); callers then run the originals
(`NameModel.log_odds`, `MatchIndex._select`, `compare._align_words`), which give the same results bit for
bit.
"""

from __future__ import annotations

import os
from types import ModuleType


def _load() -> ModuleType | None:
    if os.environ.get("CTSCREEN_NATIVE") == "0":
        return None
    try:
        from ctscreen.matching import _native  # type: ignore[attr-defined]
    except ImportError:
        return None
    return _native


NATIVE = _load()
