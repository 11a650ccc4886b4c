"""The benchmark's generated messages are valid ones: the rates are for messages that read without warnings."""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from bench import message_bench as B  # noqa: E402
from ctscreen.text import extract  # noqa: E402


def test_generated_messages_read_cleanly() -> None:
    parties = B.Parties(random.Random(B.SEED), None)
    for number in range(30):
        for make, format in ((B.make_mt103, "mt"), (B.make_pacs008, "iso20022")):
            _, extracted = extract(make(number, parties), format)
            assert extracted.warnings == [] and len(extracted.parties) == 6, extracted.warnings
    manifest = B.make_paxlst(40)
    _, extracted = extract(manifest, "paxlst")
    assert extracted.warnings == [] and len(extracted.parties) == 40
    assert extracted.parties[1].query.id_number == "K929139"
    assert B.make_paxlst(40) == manifest  # fixed seed
