"""ctscreen: counter-terrorism and sanctions screening against the official designation lists.

    from ctscreen import Query, load_screener
    screener = load_screener()                      # the active lists in the store (CTSCREEN_HOME / CTSCREEN_DB)
    result = screener.screen(Query("Hafez Mohammad Sayeed", dob="1950-06-05"), profile="kyc")

`Screener.from_entities(entities)` builds one from parsed entities without a store.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "Screener": "ctscreen.matching",
    "Query": "ctscreen.matching",
    "QueryError": "ctscreen.matching",
    "ScreeningResult": "ctscreen.matching",
    "load_screener": "ctscreen.screening",
    "ListStore": "ctscreen.store",
}


def __getattr__(name: str) -> Any:
    # Imported on first use, so `ctscreen lists ...` does not pay for the matching engine's imports.
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'ctscreen' has no attribute {name!r}")


__all__ = ["ListStore", "Query", "QueryError", "Screener", "ScreeningResult", "__version__", "load_screener"]
