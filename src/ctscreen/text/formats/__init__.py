"""Payment and travel message formats for text screening: SWIFT MT103/MT202COV (`mt`), ISO 20022
pacs.008/pain.001 (`iso20022`) and UN/EDIFACT PAXLST manifests (`paxlst`). Importing a module registers its
format with `ctscreen.text.register_format`; importing this package registers all three.

docs/messages.md describes what each format screens, the validation and the figures.
"""

from ctscreen.text.formats import iso20022, mt, paxlst
from ctscreen.text.formats._common import MessageFormatError, MessageParty
from ctscreen.text.formats.iso20022 import extract_iso20022
from ctscreen.text.formats.mt import extract_mt, parse_mt
from ctscreen.text.formats.paxlst import extract_paxlst, read_travellers

# The entries for ctscreen.text.api.PLUGIN_MODULES.
MODULES = ("ctscreen.text.formats.mt", "ctscreen.text.formats.iso20022", "ctscreen.text.formats.paxlst")

__all__ = [
    "MODULES",
    "MessageFormatError",
    "MessageParty",
    "extract_iso20022",
    "extract_mt",
    "extract_paxlst",
    "iso20022",
    "mt",
    "parse_mt",
    "paxlst",
    "read_travellers",
]
