"""Payment and manifest screening benchmark: MT103 and pacs.008 messages per second, a 500-passenger PAXLST.

    .venv/bin/python -m bench.message_bench [--messages 2000] [--passengers 500] [--out bench/results]

Pinned to one core. Messages are generated with a fixed seed: every message has its own ordering customer /
debtor and beneficiary / creditor (person and company names built from name pools), BICs, an account, a
remittance line; one in a hundred names a listed party. Measured, per format:

- **extract**: the format handler alone (parse, validate, build the parties and the free text);
- **screen, distinct parties**: `screen_text(..., profile="payments")` on each message, every party new --
  the engine screens each party (sender, receiver, customers, institutions) and the mention finder scans
  the remittance text; this is the worst case;
- **screen, known counterparties**: the same, with counterparties drawn from a pool (`--pool`, default
  1,000) as real payment traffic repeats them; `screen_text`'s party cache (`ctscreen.text.api`, per
  screener, LRU) answers parties seen before. Three pools' worth of earlier messages are screened first
  (untimed), so the timed messages meet counterparties already seen: the steady state of the cache.

PAXLST: a manifest of `--passengers` travellers (names, dates of birth, nationalities, passports; two listed)
is read and screened with the `border` profile; three different manifests, the median reported (wall and
CPU time: on a shared machine the wall time also counts other processes).

Lists: UN + OFAC SDN 2024 + OFAC consolidated + UK OFSI (`bench.data.load_entities`, from CTSCREEN_DATA).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SEED = 20250105

GIVEN = [
    "JOHN",
    "MARIA",
    "AHMED",
    "FATIMA",
    "WEI",
    "LI",
    "PRIYA",
    "RAJ",
    "OLUWASEUN",
    "CHIOMA",
    "SVEN",
    "INGRID",
    "MATEO",
    "LUCIA",
    "YUKI",
    "HIROSHI",
    "ANNA",
    "PIOTR",
    "ELENA",
    "DMITRI",
    "SARAH",
    "DAVID",
    "AMIR",
    "LEILA",
    "CARLOS",
    "ANA",
    "KWAME",
    "ABENA",
    "NGUYEN",
    "THANH",
    "ISABEL",
    "TOMAS",
    "GRETA",
    "LARS",
    "NADIA",
    "OMAR",
    "HANNAH",
    "BENJAMIN",
    "CHLOE",
    "LUCAS",
    "EMMA",
    "NOAH",
    "MIA",
    "ETHAN",
    "SOFIA",
    "ARJUN",
    "MEERA",
    "KENJI",
    "AIKO",
    "FELIX",
    "JULIA",
]
FAMILY = [
    "SMITH",
    "GARCIA",
    "MUELLER",
    "ROSSI",
    "DUBOIS",
    "KOWALSKI",
    "NOVAK",
    "IVANOV",
    "TANAKA",
    "SATO",
    "KIM",
    "PARK",
    "NGUYEN",
    "TRAN",
    "SANTOS",
    "SILVA",
    "OKAFOR",
    "MENSAH",
    "LINDQVIST",
    "HANSEN",
    "JENSEN",
    "VAN",
    "DIJK",
    "MURPHY",
    "WALSH",
    "OCONNOR",
    "FISCHER",
    "WEBER",
    "SCHMIDT",
    "MARTIN",
    "BERNARD",
    "LOPEZ",
    "HERNANDEZ",
    "GONZALEZ",
    "PEREZ",
    "SHARMA",
    "PATEL",
    "GUPTA",
    "IYER",
    "CHEN",
    "WANG",
    "ZHANG",
    "LIU",
    "YILMAZ",
    "DEMIR",
    "KAYA",
    "HORVATH",
    "NAGY",
    "POPESCU",
    "PETROV",
]
COMPANY_A = [
    "NORDIC",
    "ATLAS",
    "BLUE",
    "GREEN",
    "SUMMIT",
    "HARBOUR",
    "PACIFIC",
    "ALPINE",
    "DELTA",
    "CEDAR",
    "EMERALD",
    "GOLDEN",
    "IRON",
    "MAPLE",
    "OCEAN",
    "PRAIRIE",
    "RIVER",
    "SILVER",
    "STONE",
    "SUNRISE",
]
COMPANY_B = [
    "TIMBER",
    "TEXTILES",
    "LOGISTICS",
    "MEDICAL",
    "FOODS",
    "ELECTRONICS",
    "MOTORS",
    "PAPER",
    "PLASTICS",
    "CERAMICS",
    "FURNITURE",
    "TOOLS",
    "CHEMICALS",
    "SOLAR",
    "AGRI",
    "MARINE",
    "PRINTING",
    "SOFTWARE",
]
COMPANY_C = ["LTD", "GMBH", "AB", "SA", "SRL", "BV", "LLC", "INC", "PLC", "OY", "AS", "KFT"]
GOODS = [
    "OFFICE CHAIRS",
    "SPARE PARTS",
    "CONSULTING Q1",
    "RENT MARCH",
    "SOFTWARE LICENCE",
    "FREIGHT",
    "SAMPLES",
    "TUITION",
]
COUNTRIES = ("DE", "GB", "FR", "SE", "NL", "IT", "ES", "PL", "IE", "JP", "US", "CA", "SG", "AE", "KE", "BR")
LISTED = (
    ("HAFIZ MUHAMMAD SAEED", "PK"),
    ("LASHKAR E TAYYIBA", "PK"),
    ("AL-AKHTAR TRUST INTERNATIONAL", "PK"),
    ("DAWOOD IBRAHIM KASKAR", "PK"),
)


def _person(rng: random.Random) -> str:
    return f"{rng.choice(GIVEN)} {rng.choice(GIVEN)} {rng.choice(FAMILY)}"


def _company(rng: random.Random) -> str:
    return f"{rng.choice(COMPANY_A)} {rng.choice(COMPANY_B)} {rng.choice(COMPANY_C)}"


def _bic(rng: random.Random, country: str) -> str:
    bank = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(4))
    return f"{bank}{country}{rng.choice('23456789')}{rng.choice('ABCDEFGHJKLMN')}XXX"


class Parties:
    """Counterparties: new for every message (`pool` None), or drawn from a fixed pool."""

    def __init__(self, rng: random.Random, pool: int | None) -> None:
        self.rng = rng
        self.pool = [self._new() for _ in range(pool)] if pool else None

    def _new(self) -> tuple[str, str, str, str]:
        rng = self.rng
        country = rng.choice(COUNTRIES)
        name = _person(rng) if rng.random() < 0.5 else _company(rng)
        if rng.random() < 0.01:
            name, country = rng.choice(LISTED)
        return name, country, _bic(rng, country), f"{country}{rng.randrange(10**14, 10**15)}"

    def draw(self) -> tuple[str, str, str, str]:
        return self.rng.choice(self.pool) if self.pool else self._new()


def make_mt103(number: int, parties: Parties) -> bytes:
    rng = parties.rng
    debtor, debtor_country, debtor_bic, debtor_account = parties.draw()
    creditor, creditor_country, creditor_bic, creditor_account = parties.draw()
    return (
        f"{{1:F01{debtor_bic[:8]}A{debtor_bic[8:]}0000{number:06d}}}{{2:I103{creditor_bic[:8]}X{creditor_bic[8:]}N}}"
        f"{{3:{{121:{rng.getrandbits(128):032x}}}}}{{4:\r\n"
        f":20:REF{number:013d}\r\n:23B:CRED\r\n:32A:250105EUR{rng.randrange(100, 99999)},{rng.randrange(100):02d}\r\n"
        f":50K:/{debtor_account}\r\n{debtor}\r\n{rng.randrange(1, 200)} MAIN STREET\r\nCITY {debtor_country}\r\n"
        f":52A:{debtor_bic}\r\n:57A:{creditor_bic}\r\n"
        f":59:/{creditor_account}\r\n{creditor}\r\n{rng.randrange(1, 200)} HARBOUR ROAD\r\nTOWN {creditor_country}\r\n"
        f":70:INVOICE {rng.randrange(10000)} {rng.choice(GOODS)}\r\n:71A:SHA\r\n-}}"
    ).encode("ascii")


def make_pacs008(number: int, parties: Parties) -> bytes:
    rng = parties.rng
    debtor, debtor_country, debtor_bic, debtor_account = parties.draw()
    creditor, creditor_country, creditor_bic, creditor_account = parties.draw()
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"><FIToFICstmrCdtTrf>
<GrpHdr><MsgId>MSG{number:012d}</MsgId><CreDtTm>2025-01-05T10:00:00Z</CreDtTm><NbOfTxs>1</NbOfTxs>
<SttlmInf><SttlmMtd>INDA</SttlmMtd></SttlmInf>
<InstgAgt><FinInstnId><BICFI>{debtor_bic}</BICFI></FinInstnId></InstgAgt>
<InstdAgt><FinInstnId><BICFI>{creditor_bic}</BICFI></FinInstnId></InstdAgt></GrpHdr>
<CdtTrfTxInf><PmtId><InstrId>I{number}</InstrId><EndToEndId>E{number}</EndToEndId></PmtId>
<IntrBkSttlmAmt Ccy="EUR">{rng.randrange(100, 99999)}.00</IntrBkSttlmAmt><ChrgBr>SHAR</ChrgBr>
<Dbtr><Nm>{debtor}</Nm><PstlAdr><StrtNm>Main Street</StrtNm><TwnNm>City</TwnNm><Ctry>{debtor_country}</Ctry></PstlAdr></Dbtr>
<DbtrAcct><Id><IBAN>{debtor_account}</IBAN></Id></DbtrAcct>
<DbtrAgt><FinInstnId><BICFI>{debtor_bic}</BICFI></FinInstnId></DbtrAgt>
<CdtrAgt><FinInstnId><BICFI>{creditor_bic}</BICFI></FinInstnId></CdtrAgt>
<Cdtr><Nm>{creditor}</Nm><PstlAdr><TwnNm>Town</TwnNm><Ctry>{creditor_country}</Ctry></PstlAdr></Cdtr>
<CdtrAcct><Id><IBAN>{creditor_account}</IBAN></Id></CdtrAcct>
<RmtInf><Ustrd>Invoice {rng.randrange(10000)} {rng.choice(GOODS).lower()}</Ustrd></RmtInf>
</CdtTrfTxInf></FIToFICstmrCdtTrf></Document>""".encode()


ICAO = {"DE": "DEU", "GB": "GBR", "FR": "FRA", "SE": "SWE", "NL": "NLD", "IT": "ITA", "ES": "ESP", "PL": "POL",
        "IE": "IRL", "JP": "JPN", "US": "USA", "CA": "CAN", "SG": "SGP", "AE": "ARE", "KE": "KEN", "BR": "BRA"}  # fmt: skip


def make_paxlst(passengers: int, seed: int = SEED) -> bytes:
    """A manifest of `passengers` travellers; the first two are listed (a name, and a listed passport
    number under another name)."""
    rng = random.Random(seed)
    segments = [
        "UNH+PAX001+PAXLST:D:05B:UN:IATA+BENCH001+01:F", "BGM+745", "NAD+MS+++OPERATIONS DESK",
        "TDT+20+XY123+++XY", "LOC+125+DXB", "DTM+189:2501051200:201", "LOC+87+LHR", "DTM+232:2501051830:201",
    ]  # fmt: skip
    for number in range(passengers):
        if number == 0:
            surname, given, dob, nationality, passport = (
                "KASKAR",
                "DAWOOD IBRAHIM",
                "551226",
                "IND",
                "Z8812345",
            )
        elif number == 1:
            surname, given, dob, nationality, passport = "MANSOUR", "KARIM", "810304", "FRA", "K929139"
        else:
            surname, given = rng.choice(FAMILY), f"{rng.choice(GIVEN)}"
            dob = f"{rng.randrange(40, 99):02d}{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}"
            nationality = ICAO[rng.choice(COUNTRIES)]
            passport = f"{rng.choice('ABCPXZ')}{rng.randrange(10**7, 10**8)}"
        segments += [
            f"NAD+FL+++{surname}:{given}", f"ATT+2++{rng.choice('MF')}", f"DTM+329:{dob}", "LOC+178+DXB",
            "LOC+179+LHR", f"NAT+2+{nationality}", f"RFF+AVF:{rng.getrandbits(30):08X}",
            f"DOC+P:110:111+{passport}", "DTM+36:301231", f"LOC+91+{nationality}",
        ]  # fmt: skip
    segments.append(f"CNT+42:{passengers}")
    segments.append(f"UNT+{len(segments) + 1}+PAX001")
    head = "UNA:+.? '\nUNB+UNOA:4+BENCHAIR:ZZ+BORDER:ZZ+250105:1200+BENCH001++APIS'\n"
    return (head + "'\n".join(segments) + "'\nUNZ+1+BENCH001'\n").encode("ascii")


def _pin() -> None:
    if hasattr(os, "sched_setaffinity"):
        with contextlib.suppress(OSError):
            os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def _rate(
    run: Callable[[bytes], Any], messages: list[bytes], warm_up: list[bytes] | None = None
) -> dict[str, Any]:
    for message in messages[:20] if warm_up is None else warm_up:
        run(message)
    started = time.perf_counter()
    cpu = time.process_time()
    alerts = 0
    for message in messages:
        result = run(message)
        alerts += bool(getattr(result, "alert", False))
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu
    return {
        "messages": len(messages),
        "seconds": round(seconds, 3),
        "per_s": round(len(messages) / seconds),
        "cpu_per_s": round(len(messages) / cpu_seconds) if cpu_seconds else None,
        "alerting_messages": alerts if alerts else None,
    }


def measure(screener: Any, messages: int, pool: int, passengers: int) -> dict[str, Any]:
    import ctscreen.text.formats  # noqa: F401  (registers the formats)
    from ctscreen.text import extract, finder_for, screen_text

    _pin()
    finder_for(screener)  # built once per screener; not part of a message's time
    out: dict[str, Any] = {
        "load_average": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None
    }
    for name, make, format in (("MT103", make_mt103, "mt"), ("pacs.008", make_pacs008, "iso20022")):
        rng = random.Random(SEED)
        distinct = [make(n, Parties(rng, None)) for n in range(messages)]
        repeated_parties = Parties(random.Random(SEED + 1), pool)
        earlier = [make(n, repeated_parties) for n in range(3 * pool)]  # traffic before: the cache is warm
        repeated = [make(n, repeated_parties) for n in range(3 * pool, 3 * pool + messages)]
        out[name] = {
            "extract": _rate(lambda m, f=format: extract(m, f), distinct),
            "screen_distinct": _rate(lambda m, f=format: screen_text(screener, m, f, "payments"), distinct),
        }
        # The same screen_text: its party cache (ctscreen.text.api) answers counterparties seen before.
        out[name]["screen_repeated_cached"] = _rate(
            lambda m, f=format: screen_text(screener, m, f, "payments"), repeated, earlier
        )
    runs, cpu_runs = [], []
    for run in range(3):  # a different manifest each time: nothing is screened twice
        manifest = make_paxlst(passengers, seed=SEED + run)
        started, cpu = time.perf_counter(), time.process_time()
        result = screen_text(screener, manifest, "paxlst", "border")
        runs.append(time.perf_counter() - started)
        cpu_runs.append(time.process_time() - cpu)
    started = time.perf_counter()
    _, extracted = extract(manifest, "paxlst")
    extract_seconds = time.perf_counter() - started
    out["PAXLST"] = {
        "passengers": passengers,
        "bytes": len(manifest),
        "extract_s": round(extract_seconds, 3),
        "screen_s_runs": [round(r, 3) for r in runs],
        "screen_cpu_s_runs": [round(r, 3) for r in cpu_runs],
        "screen_s_median": round(sorted(runs)[1], 3),
        "screen_cpu_s_median": round(sorted(cpu_runs)[1], 3),
        "alerting_travellers": sum(1 for p in result.parties if p.alert),
        "travellers": len(extracted.parties),
    }
    return out


def table(result: dict[str, Any]) -> str:
    lines = [
        "| format | measure | messages | seconds | messages/s (wall) | messages/s (CPU) |",
        "|---|---|---|---|---|---|",
    ]
    labels = {
        "extract": "extract (parse, validate, parties, text)",
        "screen_distinct": "screen, every party new (worst case)",
        "screen_repeated_cached": "screen, known counterparties (pool), party cache",
    }
    for name in ("MT103", "pacs.008"):
        for key, label in labels.items():
            r = result[name][key]
            lines.append(
                f"| {name} | {label} | {r['messages']} | {r['seconds']} | **{r['per_s']}** | {r['cpu_per_s']} |"
            )
    p = result["PAXLST"]
    lines += [
        "",
        "| PAXLST manifest | value |",
        "|---|---|",
        f"| travellers / bytes | {p['travellers']} / {p['bytes']} |",
        f"| read (pydifact + travellers) | {p['extract_s']} s |",
        f"| screened, border profile: median of 3 manifests, wall | **{p['screen_s_median']} s** "
        f"(runs: {', '.join(map(str, p['screen_s_runs']))}) |",
        f"| screened, border profile: median of 3 manifests, CPU | {p['screen_cpu_s_median']} s "
        f"(runs: {', '.join(map(str, p['screen_cpu_s_runs']))}) |",
        f"| alerting travellers | {p['alerting_travellers']} |",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=2000, help="messages per format and measure")
    parser.add_argument("--pool", type=int, default=1000, help="counterparties in the repeated-traffic pool")
    parser.add_argument("--passengers", type=int, default=500)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)

    from bench.data import load_entities
    from ctscreen.matching import Screener

    started = time.perf_counter()
    entities = load_entities()
    screener = Screener.from_entities(entities, {"un": 1, "ofac-sdn": 1, "ofac-cons": 1, "uk-ofsi": 1})
    print(
        f"lists: {len(entities)} entities, index built in {time.perf_counter() - started:.1f}s",
        file=sys.stderr,
    )
    result = measure(screener, args.messages, args.pool, args.passengers)
    machine = (
        f"Machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.platform()}; "
        f"load average {result['load_average']} at the start."
    )
    text = table(result)
    print(machine + "\n\n" + text)
    if not args.no_write:
        args.out.mkdir(parents=True, exist_ok=True)
        stamp = dt.date.today().isoformat()
        (args.out / f"{stamp}-messages.md").write_text(
            f"# Message screening benchmark, {stamp}\n\n{machine}\n\n`python -m bench.message_bench --messages "
            f"{args.messages} --pool {args.pool} --passengers {args.passengers}`, one core.\n\n{text}\n",
            encoding="utf-8",
        )
        (args.out / f"{stamp}-messages.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
