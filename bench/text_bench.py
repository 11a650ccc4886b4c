"""Free-text screening benchmark: throughput on news text (one core) and false alerts on a labelled corpus.

    .venv/bin/python -m bench.text_bench [--mb 2] [--corpus tests/text/corpus] [--out bench/results]

- **Quality**: every text of the labelled news-like corpora (`tests/text/corpus/`, 42 short reports naming
  officials, journalists, places, companies and ordinary people beside designated groups; `labels.json` says
  what must be found) is screened with the kyc profile. A *miss* is a labelled mention with no alert on one of
  its expected listings; a *false alert* is an alerting mention where no label expects one; an *extra
  listing* is an alert on an unexpected entity inside a correct mention; *people alerts* are alerts on the
  labelled non-listed names (officials, journalists, places, companies). `tests/text/holdout/` (15 reports,
  written after the text rules were set and not tuned on) is reported separately.
- **Speed**: a news text of `--mb` megabytes is built from the corpus and the sample report, with the people's
  names replaced by Faker names (en_PK, ar_SA, fa_IR, en_US, romanised; fixed seed) in every copy so caches do not
  see the same sentence twice; it is screened once after a warm-up, pinned to one core. The finder build time
  (automaton over every listed name) is reported separately.

Lists: UN + OFAC SDN 2024 + OFAC consolidated + UK OFSI (`bench.data.load_entities`, from CTSCREEN_DATA).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "text" / "corpus"
HOLDOUT = REPO / "tests" / "text" / "holdout"
SEED = 20240503


@dataclass
class FileReport:
    name: str
    expected: int = 0
    found: int = 0
    misses: list[str] = field(default_factory=list)
    false_alerts: list[str] = field(default_factory=list)
    extra_listings: list[str] = field(default_factory=list)
    people: int = 0
    people_alerts: list[str] = field(default_factory=list)


@dataclass
class CorpusReport:
    files: list[FileReport]
    characters: int
    seconds: float

    def totals(self) -> dict[str, Any]:
        expected = sum(f.expected for f in self.files)
        found = sum(f.found for f in self.files)
        return {
            "texts": len(self.files),
            "characters": self.characters,
            "labelled_mentions": expected,
            "found": found,
            "recall": round(found / expected, 4) if expected else None,
            "misses": [m for f in self.files for m in f.misses],
            "false_alerts": [m for f in self.files for m in f.false_alerts],
            "extra_listings": [m for f in self.files for m in f.extra_listings],
            "people_named": sum(f.people for f in self.files),
            "people_alerts": [m for f in self.files for m in f.people_alerts],
        }


def _occurrences(text: str, needle: str, case: bool = True) -> list[tuple[int, int]]:
    haystack, target = (text, needle) if case else (text.lower(), needle.lower())
    out = []
    start = haystack.find(target)
    while start >= 0:
        out.append((start, start + len(target)))
        start = haystack.find(target, start + 1)
    return out


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def evaluate_corpus(screener: Any, corpus: Path = CORPUS, profile: str = "kyc") -> CorpusReport:
    from ctscreen.text import find_mentions

    labels = json.loads((corpus / "labels.json").read_text(encoding="utf-8"))
    reports: list[FileReport] = []
    characters = 0
    seconds = 0.0
    for name, label in sorted(labels.items()):
        text = (corpus / name).read_text(encoding="utf-8")
        characters += len(text)
        started = time.perf_counter()
        mentions = find_mentions(screener, text, profile)
        seconds += time.perf_counter() - started
        report = FileReport(name)
        expected_spans: list[tuple[int, int]] = []
        for item in label["find"]:
            occurrences = _occurrences(text, item["text"])
            expected_spans += occurrences
            wanted = set(item["entities"])
            report.expected += 1
            hit = any(
                _overlaps((m.start, m.end), occ) and any(h.alert and h.entity_id in wanted for h in m.hits)
                for occ in occurrences
                for m in mentions
            )
            if hit:
                report.found += 1
            else:
                report.misses.append(f"{name}: {item['text']!r}")
            for m in mentions:
                if any(_overlaps((m.start, m.end), occ) for occ in occurrences):
                    for h in m.hits:
                        if (
                            h.alert
                            and h.entity_id not in wanted
                            and not _expected_elsewhere(h, m, label, text)
                        ):
                            report.extra_listings.append(
                                f"{name}: {m.text!r} -> {h.entity_id} {h.hit.name!r} ({h.score})"
                            )
        for m in mentions:
            if m.alert and not any(_overlaps((m.start, m.end), span) for span in expected_spans):
                best = max((h for h in m.hits if h.alert), key=lambda h: h.score)
                report.false_alerts.append(
                    f"{name}: {m.text!r} -> {best.entity_id} {best.hit.name!r} ({best.score})"
                )
        for person in label.get("people", []):
            report.people += 1
            for occ in _occurrences(text, person, case=False):
                for m in mentions:
                    if m.alert and _overlaps((m.start, m.end), occ):
                        report.people_alerts.append(f"{name}: {person!r} in {m.text!r}")
        reports.append(report)
    return CorpusReport(reports, characters, seconds)


def _expected_elsewhere(hit: Any, mention: Any, label: dict, text: str) -> bool:
    """An alert on an entity another label of the same span expects (e.g. 'al-Qaeda' inside 'al-Qaeda in
    the Arabian Peninsula' labelled twice) is not extra."""
    for item in label["find"]:
        if hit.entity_id in item["entities"] and any(
            _overlaps((mention.start, mention.end), occ) for occ in _occurrences(text, item["text"])
        ):
            return True
    return False


# -- speed ------------------------------------------------------------------------------------------------


def build_news_text(megabytes: float, corpus: Path = CORPUS, seed: int = SEED) -> str:
    """About `megabytes` MB of news-like text: the corpus and the sample report, repeated with the labelled
    people's names replaced by generated ones in each copy (so no copy repeats another word for word)."""
    labels = json.loads((corpus / "labels.json").read_text(encoding="utf-8"))
    texts: list[tuple[str, list[str]]] = []
    for name, label in sorted(labels.items()):
        people = [p for p in label.get("people", []) if len(p.split()) >= 2 and p[:1].isupper()]
        texts.append(((corpus / name).read_text(encoding="utf-8"), people))
    sample = REPO.parent / "shared" / "data" / "samples" / "news-pk-us-ct-dialogue.txt"
    if sample.exists():
        texts.append(
            (
                sample.read_text(encoding="utf-8"),
                ["Syed Haider Shah", "Christopher Landberg", "Mumtaz Zahra Baloch", "Ned Price"],
            )
        )
    rng = random.Random(seed)
    try:
        from anyascii import anyascii
        from faker import Faker

        fakers = [Faker(locale) for locale in ("en_PK", "ar_SA", "fa_IR", "en_US")]
        for i, f in enumerate(fakers):
            f.seed_instance(seed + i)

        def person() -> str:
            # Arabic and Persian names romanised, as an English-language paper prints them
            return " ".join(w.capitalize() for w in anyascii(rng.choice(fakers).name()).split())
    except ImportError:  # without Faker the copies repeat the names (caches then help more)

        def person() -> str:
            return ""

    target = int(megabytes * 1024 * 1024)
    parts: list[str] = []
    size = 0
    while size < target:
        text, people = texts[rng.randrange(len(texts))]
        for p in people:
            new = person()
            if new:
                text = re.sub(re.escape(p), new, text)
        parts.append(text)
        size += len(text.encode("utf-8")) + 2
    return "\n\n".join(parts)


def measure_speed(screener: Any, megabytes: float) -> dict[str, Any]:
    from ctscreen.text import find_mentions, finder_for

    if hasattr(os, "sched_setaffinity"):
        with contextlib.suppress(OSError):
            os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    started = time.perf_counter()
    finder_for(screener)
    build = time.perf_counter() - started
    text = build_news_text(megabytes)
    size = len(text.encode("utf-8"))
    find_mentions(screener, build_news_text(0.05, seed=SEED + 1))  # warm-up
    started = time.perf_counter()
    cpu_started = time.process_time()
    mentions = find_mentions(screener, text)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    return {
        "cpu_seconds": round(cpu_seconds, 2),
        "cpu_mb_per_s": round(size / 1024 / 1024 / cpu_seconds, 2),
        "load_average": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
        "finder_build_s": round(build, 2),
        "text_mb": round(size / 1024 / 1024, 2),
        "seconds": round(seconds, 2),
        "mb_per_s": round(size / 1024 / 1024 / seconds, 2),
        "mentions": len(mentions),
        "alerting_mentions": sum(1 for m in mentions if m.alert),
    }


def _table(report: CorpusReport, speed: dict[str, Any] | None) -> str:
    t = report.totals()
    lines = [
        "| measure | value |",
        "|---|---|",
        f"| corpus texts / characters | {t['texts']} / {t['characters']} |",
        f"| labelled mentions found (alert on an expected listing) | {t['found']} / {t['labelled_mentions']} "
        f"({t['recall']:.1%}) |",
        f"| misses | {len(t['misses'])} |",
        f"| false alerts (alerting mentions no label expects) | {len(t['false_alerts'])} |",
        f"| alerts on the {t['people_named']} labelled non-listed names (officials, journalists, places, companies) "
        f"| {len(t['people_alerts'])} |",
        f"| extra listings alerted inside correct mentions | {len(t['extra_listings'])} |",
    ]
    if speed:
        lines += [
            f"| finder build (automaton over all listed names) | {speed['finder_build_s']} s |",
            f"| throughput, news text, one core | **{speed['mb_per_s']} MB/s** wall ({speed['text_mb']} MB in "
            f"{speed['seconds']} s; {speed['mentions']} mentions, {speed['alerting_mentions']} alerting) |",
            f"| throughput by CPU time (the process's own) | {speed['cpu_mb_per_s']} MB/s "
            f"(load average {speed['load_average']} during the run) |",
        ]
    for key, title in (
        ("misses", "Misses"),
        ("false_alerts", "False alerts"),
        ("people_alerts", "Alerts on labelled non-listed names"),
        ("extra_listings", "Extra listings"),
    ):
        if t[key]:
            lines += ["", f"{title}:", *[f"- {x}" for x in t[key]]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--mb", type=float, default=2.0, help="size of the news text for the speed run")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--holdout", type=Path, default=HOLDOUT)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results")
    parser.add_argument("--no-speed", action="store_true")
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
    speed = None if args.no_speed else measure_speed(screener, args.mb)
    report = evaluate_corpus(screener, args.corpus)
    table = _table(report, speed)
    holdout = None
    if args.holdout.is_dir():
        holdout = evaluate_corpus(screener, args.holdout)
        table += "\n\nHeld-out corpus (written after the rules were set, not tuned on):\n\n" + _table(
            holdout, None
        )
    print(table)
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = dt.date.today().isoformat()
    (args.out / f"{stamp}-text.md").write_text(
        f"# Text screening benchmark, {stamp}\n\n{table}\n", encoding="utf-8"
    )
    (args.out / f"{stamp}-text.json").write_text(
        json.dumps(
            {"corpus": report.totals(), "holdout": holdout.totals() if holdout else None, "speed": speed},
            indent=2,
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
