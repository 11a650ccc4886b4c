"""Run the quality and speed benchmarks, side by side, and write the tables to bench/results/.

    .venv/bin/python -m bench.run [--quick] [--only quality|speed] [--matchers a,b,...]

See bench/README.md for the datasets, the held-out rule, how peers are calibrated and how to read the table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import metrics as M
from bench.data import (
    INNOCENT_LOCALES,
    SEED,
    BenchQuery,
    LabelledPair,
    build_earlier_aliases,
    build_held_out,
    build_innocents,
    build_partial_names,
    build_self_queries,
    data_dir,
    fit_half,
    load_entities,
    load_pair_sets,
    same_listing_clusters,
    subsample,
)
from bench.peers import PEER_NAMES, Matcher, ctscreen_available, make_matcher
from ctscreen.model import Entity, Listing, Name, Schema

RESULTS = Path(__file__).resolve().parent / "results"
TARGET_ALERTS_PER_1000 = 5.0  # the target; used to calibrate peers when ctscreen's engine is not there

# queries per set: (variants, cross-script, self, innocents, partial, earlier aliases); None = all
CAPS_FULL = {
    "fast": (None, None, None, None, None, None),
    "medium": (None, None, 5000, None, None, None),
    "slow": (1000, 1000, 1000, 5000, 1000, 1000),
}
CAPS_QUICK = {
    "fast": (300, 300, 300, 2000, 300, 300),
    "medium": (150, 150, 150, 800, 150, 150),
    "slow": (40, 40, 40, 300, 40, 40),
}
REPO = Path(__file__).resolve().parent.parent
COMPILED = "ctscreen-compiled"  # ctscreen with its matching core compiled, as `pip install .` builds it
TIER = {
    "ctscreen": "fast",
    COMPILED: "fast",
    "rapidfuzz-jaro-winkler": "fast",
    "rapidfuzz-token-sort": "fast",
    "ofac-sls-like": "medium",
    "rapidfuzz-wratio": "slow",
    "nomenklatura-logic-v2": "slow",
    "nomenklatura-ofac": "slow",
}
SETS = ("variant", "cross-script", "self", "innocent", "partial", "earlier-alias")
RECALL_SETS = ("variant", "cross-script", "self", "partial", "earlier-alias")


@dataclass
class Datasets:
    entities: list[Entity]
    index_entities: list[Entity]
    queries: dict[str, list[BenchQuery]]
    pairs: dict[str, list[LabelledPair]]
    info: dict[str, Any]


def build_datasets(log: Any) -> Datasets:
    entities = load_entities()
    clusters = same_listing_clusters(entities)
    held = build_held_out(entities, clusters=clusters)
    # Only the half of the held-out and shortened names the name model was not fitted on (bench/README.md).
    variants = [q for q in held.variants if fit_half(q) == 1]
    cross_script = [q for q in held.cross_script if fit_half(q) == 1]
    partial = [q for q in build_partial_names(entities, clusters) if fit_half(q) == 1]
    # Names an earlier OFAC list carried and the loaded one does not: read by no one (bench/README.md).
    earlier = [q for q in build_earlier_aliases(entities, clusters) if fit_half(q) == 1]
    self_queries = build_self_queries(entities, clusters=clusters)
    innocents = build_innocents(entities)
    pairs = load_pair_sets()
    info = {
        "lists": sorted({e.source for e in entities}),
        "held_out": held.stats,
        "self_queries": len(self_queries),
        "reported_half": {
            "variant": len(variants),
            "cross-script": len(cross_script),
            "partial": len(partial),
            "earlier-alias": len(earlier),
        },
        "innocents": len(innocents.queries),
        "innocents_dropped_listed": innocents.dropped_listed,
        "innocents_dropped_duplicates": innocents.dropped_duplicates,
        "innocents_dropped_real_companies": innocents.dropped_real_companies,
        "innocent_locales": dict(INNOCENT_LOCALES),
        "pairs": {k: len(v) for k, v in pairs.items()},
        "entities_in_same_listing_clusters": sum(1 for c in clusters.values() if len(c) > 1),
        "seed": SEED,
    }
    log(
        f"lists {info['lists']}: {len(entities)} entities; {len(variants)} variant, "
        f"{len(cross_script)} cross-script, {len(partial)} partial, {len(earlier)} earlier-alias, "
        f"{len(self_queries)} self, {len(innocents.queries)} innocent queries "
        f"({innocents.dropped_listed} generated names dropped as listed, "
        f"{innocents.dropped_real_companies} as real firms)"
    )
    return Datasets(
        entities=entities,
        index_entities=held.index_entities,
        queries={
            "variant": variants,
            "cross-script": cross_script,
            "partial": partial,
            "self": self_queries,
            "innocent": innocents.queries,
            "earlier-alias": earlier,
        },
        pairs=pairs,
        info=info,
    )


# -- quality ---------------------------------------------------------------------------------------------


def _pair_scores(matcher: Matcher, pairs: Sequence[LabelledPair]) -> list[float]:
    """Each pair's score: the right-hand names are indexed (one entity each), each left-hand name searched;
    the score of the pair's own right-hand entity among the hits (0 when not returned)."""
    rights: dict[tuple[str, str | None], str] = {}
    entities: list[Entity] = []
    for p in pairs:
        key = (p.right, p.schema)
        if key not in rights:
            ref = f"p{len(rights)}"
            rights[key] = f"pairs:{ref}"
            entities.append(
                Entity(
                    schema=Schema(p.schema or "organization"),
                    names=(Name(p.right),),
                    listing=Listing(source="pairs", reference=ref),
                )
            )
    matcher.index(entities)
    queries = [
        BenchQuery(
            qid=f"p{i}",
            text=p.left,
            set="pair",
            schema=p.schema,
            expected=frozenset({rights[(p.right, p.schema)]}),
        )
        for i, p in enumerate(pairs)
    ]
    hits = matcher.search_many(queries, limit=len(entities))
    return [M.outcome(q, h, None).expected_score for q, h in zip(queries, hits, strict=True)]


def run_quality(name: str, data: Datasets, quick: bool, log: Any) -> dict[str, Any]:
    caps = (CAPS_QUICK if quick else CAPS_FULL)[TIER.get(name, "slow")]
    picked = {s: subsample(data.queries[s], cap) for s, cap in zip(SETS, caps, strict=True)}
    workers = 2 if name == "rapidfuzz-wratio" else 1
    matcher = make_matcher(name, workers=workers)
    result: dict[str, Any] = {
        "matcher": name,
        "description": matcher.description.replace("{n}", "~40k"),
        "native_threshold": matcher.native_threshold,
        "tier": TIER.get(name, "slow"),
        "n": {s: len(picked[s]) for s in SETS},
        "outcomes": {},
    }
    started = time.perf_counter()
    for sets, entities in (
        (("variant", "cross-script"), data.index_entities),
        (("self", "innocent", "partial", "earlier-alias"), data.entities),
    ):
        matcher.index(entities)
        for s in sets:
            t = time.perf_counter()
            hits = matcher.search_many(picked[s], limit=10)
            cands = matcher.candidates_many(picked[s]) if matcher.has_candidates else [None] * len(hits)
            result["outcomes"][s] = [
                M.outcome(q, h, c) for q, h, c in zip(picked[s], hits, cands, strict=True)
            ]
            log(f"  {name}: {s} {len(picked[s])} queries in {time.perf_counter() - t:.1f}s")
    result["pair_scores"] = {k: _pair_scores(matcher, v) for k, v in data.pairs.items()}
    result["quality_seconds"] = time.perf_counter() - started
    del matcher
    gc.collect()
    return result


def _fmt(x: float | None, pct: bool = True, digits: int = 3) -> str:
    if x is None:
        return "-"
    return f"{x:.{digits}f}"


def summarise(
    results: dict[str, dict[str, Any]], data: Datasets, target: float, ct_name: str | None
) -> dict[str, Any]:
    """Figures per matcher: at its native threshold, and at the threshold calibrated on its innocents to
    `target` alerts per 1,000 (ctscreen keeps its profile threshold)."""
    queries_by_id = {q.qid: q for s in SETS for q in data.queries[s]}
    summary: dict[str, Any] = {}
    ct = results.get(ct_name) if ct_name else None
    for name, r in results.items():
        outs = r["outcomes"]
        cal = r["native_threshold"] if name == ct_name else M.calibrate(outs["innocent"], target)
        row: dict[str, Any] = {
            "n": r["n"],
            "native_threshold": r["native_threshold"],
            "calibrated_threshold": cal,
            "quality_seconds": r["quality_seconds"],
        }
        for label, thr in (("native", r["native_threshold"]), ("calibrated", cal)):
            row[label] = {
                "alerts_per_1000": M.alerts_per_1000(outs["innocent"], thr),
                **{f"{s}_recall_at_threshold": M.recall_at(outs[s], thr) for s in RECALL_SETS},
            }
        row["self_top_1_with_ties"] = M.top_1_with_ties(outs["self"])
        for s in RECALL_SETS:
            row[f"{s}_recall_at_1"] = M.recall_at_1(outs[s])
            row[f"{s}_candidate_recall"] = M.candidate_recall(outs[s])
        # ctscreen on exactly this matcher's queries
        if ct is not None and name != ct_name:
            ct_by_qid = {o.qid: o for s in SETS for o in ct["outcomes"][s]}
            same: dict[str, Any] = {}
            for s in RECALL_SETS:
                sub = [ct_by_qid[o.qid] for o in outs[s] if o.qid in ct_by_qid]
                same[f"{s}_recall_at_threshold"] = M.recall_at(sub, ct["native_threshold"])
                same[f"{s}_recall_at_1"] = M.recall_at_1(sub)
            sub_i = [ct_by_qid[o.qid] for o in outs["innocent"] if o.qid in ct_by_qid]
            same["alerts_per_1000"] = M.alerts_per_1000(sub_i, ct["native_threshold"])
            row["ctscreen_same_queries"] = same
        # breakdowns at the calibrated threshold
        breakdown: dict[str, Any] = {}
        for s in RECALL_SETS:
            qs = [queries_by_id[o.qid] for o in outs[s]]
            for key_name, key in (("script", lambda q: q.script), ("schema", lambda q: q.schema or "-")):
                groups = M.by_group(qs, outs[s], key)
                breakdown[f"{s}/{key_name}"] = {
                    g: {
                        "n": len(o),
                        "recall_at_1": M.recall_at_1(o),
                        "recall_at_threshold": M.recall_at(o, cal),
                    }
                    for g, o in groups.items()
                }
        qs = [queries_by_id[o.qid] for o in outs["innocent"]]
        for key_name, key in (
            ("script", lambda q: q.script),
            ("kind", lambda q: q.kind),
            ("locale", lambda q: q.source),
        ):
            groups = M.by_group(qs, outs["innocent"], key)
            breakdown[f"innocent/{key_name}"] = {
                g: {"n": len(o), "alerts_per_1000": M.alerts_per_1000(o, cal)} for g, o in groups.items()
            }
        row["breakdown"] = breakdown
        # pairs
        pairs_out: dict[str, Any] = {}
        for set_name, scores in r["pair_scores"].items():
            labels = [p.is_match for p in data.pairs[set_name]]
            if all(labels):
                pairs_out[set_name] = {
                    "n": len(scores),
                    "recall_at_calibrated": M.rate(s >= cal for s in scores),
                    "recall_at_native": M.rate(s >= r["native_threshold"] for s in scores),
                }
            else:
                t, p, rc, f = M.best_f1(scores, labels)
                cp, cr, cf = M.prf(scores, labels, cal)
                pairs_out[set_name] = {
                    "n": len(scores),
                    "auc": M.roc_auc(scores, labels),
                    "best_f1_threshold": t,
                    "best_precision": p,
                    "best_recall": rc,
                    "best_f1": f,
                    "calibrated_precision": cp,
                    "calibrated_recall": cr,
                    "calibrated_f1": cf,
                }
        row["pairs"] = pairs_out
        summary[name] = row
    return summary


def failures(
    results: dict[str, Any], data: Datasets, name: str, limit: int = 15
) -> dict[str, list[dict[str, Any]]]:
    """Examples of misses for reading: self-queries whose top hit is not their entity, variants missed."""
    queries_by_id = {q.qid: q for s in SETS for q in data.queries[s]}
    r = results[name]
    thr = r["native_threshold"]
    out: dict[str, list[dict[str, Any]]] = {}
    for s in ("self", "variant", "cross-script"):
        misses = [o for o in r["outcomes"][s] if o.expected_rank != 1 or o.expected_score < thr]
        out[s] = [
            {
                "query": queries_by_id[o.qid].text,
                "expected": sorted(queries_by_id[o.qid].expected)[:3],
                "origin": queries_by_id[o.qid].origin,
                "top": o.top_id,
                "top_score": round(o.top_score, 3),
                "expected_rank": o.expected_rank,
                "expected_score": round(o.expected_score, 3),
            }
            for o in misses[:limit]
        ]
    innocent_alerts = sorted(
        (o for o in r["outcomes"]["innocent"] if o.top_score >= thr), key=lambda o: -o.top_score
    )
    out["innocent-alerts"] = [
        {
            "query": queries_by_id[o.qid].text,
            "locale": queries_by_id[o.qid].source,
            "top": o.top_id,
            "score": round(o.top_score, 3),
        }
        for o in innocent_alerts[:limit]
    ]
    return out


# -- speed -----------------------------------------------------------------------------------------------


def speed_queries(data: Datasets, n: int) -> list[tuple[str, str | None]]:
    """A fixed mix, a third each: held-out variants, cross-script names, innocents (against the full index)."""
    third = max(1, n // 3)
    mix = (
        subsample(data.queries["variant"], third, SEED + 1)
        + subsample(data.queries["cross-script"], third, SEED + 2)
        + subsample(data.queries["innocent"], n - 2 * third, SEED + 3)
    )
    order = subsample(list(range(len(mix))), len(mix), SEED + 4)
    import random

    random.Random(SEED + 5).shuffle(order)
    return [(mix[i].text, mix[i].schema) for i in order]


def build_compiled(into: Path) -> Path:
    """Build the wheel `pip install .` builds (the matching core compiled by mypyc, setup.py) and unpack it;
    a process with PYTHONPATH set to the returned folder runs it instead of the editable sources."""
    wheels, unpacked = into / "wheel", into / "compiled"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(REPO)],
        env=dict(os.environ, CTSCREEN_REQUIRE_COMPILED="1"),
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("ctscreen-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(unpacked)
    return unpacked


def run_speed(names: Sequence[str], data: Datasets, quick: bool, log: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bench-speed-") as tmp:
        compiled: Path | None = None
        if COMPILED in names:
            t = time.perf_counter()
            try:
                compiled = build_compiled(Path(tmp))
                log(f"  {COMPILED}: wheel built and unpacked ({time.perf_counter() - t:.0f}s)")
            except subprocess.CalledProcessError as error:
                log(f"  {COMPILED}: the wheel did not build: {error.stderr.decode(errors='replace')[-800:]}")
                out[COMPILED] = {"error": "the compiled wheel did not build"}
        for name in names:
            if name == COMPILED and compiled is None:
                continue
            slow = TIER.get(name, "slow") == "slow"
            n = (30 if slow else 200) if quick else (300 if slow else 3000)
            qfile = Path(tmp) / f"{name}-queries.json"
            qfile.write_text(json.dumps(speed_queries(data, n)), encoding="utf-8")
            ofile = Path(tmp) / f"{name}-speed.json"
            env = dict(
                os.environ, OMP_NUM_THREADS="1", NOMENKLATURA_DUCKDB_THREADS="1", RAYON_NUM_THREADS="1"
            )
            if name == COMPILED:
                env["PYTHONPATH"] = os.pathsep.join([str(compiled), str(REPO)])
            cmd = [
                sys.executable,
                "-m",
                "bench.speed",
                "--matcher",
                "ctscreen" if name == COMPILED else name,
                "--queries",
                str(qfile),
                "--out",
                str(ofile),
            ]
            cmd += ["--warmup", "5" if slow else "20"]
            if name in ("ctscreen", COMPILED):
                cmd.append("--batch")
            t = time.perf_counter()
            proc = subprocess.run(cmd, env=env, cwd=REPO, capture_output=True, text=True)
            if proc.returncode != 0:
                log(f"  speed {name} failed: {proc.stderr[-800:]}")
                out[name] = {"error": proc.stderr[-800:]}
                continue
            out[name] = json.loads(ofile.read_text(encoding="utf-8"))
            log(
                f"  speed {name}: p50 {out[name]['p50_ms']:.2f} ms, p99 {out[name]['p99_ms']:.2f} ms, "
                f"{out[name]['qps_one_core']:.0f} q/s ({time.perf_counter() - t:.0f}s)"
            )
    return out


# -- report ----------------------------------------------------------------------------------------------


def _md_table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def quality_tables(
    summary: dict[str, Any], target: float, ct_name: str | None
) -> dict[str, tuple[list[str], list[list[Any]]]]:
    tables: dict[str, tuple[list[str], list[list[Any]]]] = {}
    header = [
        "matcher",
        "queries V/X/S/I/E",
        "threshold",
        "alerts/1k",
        "variant R@1",
        "variant R@thr",
        "cross R@1",
        "cross R@thr",
        "self top-1",
        "self top-1 (ties)",
        "self R@thr",
        "partial R@thr",
        "earlier-alias R@thr",
        "cand. recall V/X",
    ]
    rows = []
    for name, row in summary.items():
        cal = row["calibrated"]
        n = row["n"]
        cand = "/".join(_fmt(row[f"{s}_candidate_recall"]) for s in ("variant", "cross-script"))
        rows.append(
            [
                name,
                f"{n['variant']}/{n['cross-script']}/{n['self']}/{n['innocent']}/{n['earlier-alias']}",
                _fmt(row["calibrated_threshold"]),
                _fmt(cal["alerts_per_1000"], digits=2),
                _fmt(row["variant_recall_at_1"]),
                _fmt(cal["variant_recall_at_threshold"]),
                _fmt(row["cross-script_recall_at_1"]),
                _fmt(cal["cross-script_recall_at_threshold"]),
                _fmt(row["self_recall_at_1"]),
                _fmt(row["self_top_1_with_ties"]),
                _fmt(cal["self_recall_at_threshold"]),
                _fmt(cal["partial_recall_at_threshold"]),
                _fmt(cal["earlier-alias_recall_at_threshold"]),
                cand if row["variant_candidate_recall"] is not None else "exhaustive",
            ]
        )
    tables[f"Recall at the same alert rate (peers calibrated to {target:.2f} alerts per 1,000 innocents)"] = (
        header,
        rows,
    )

    header = [
        "matcher",
        "native threshold",
        "alerts/1k",
        "variant R@thr",
        "cross R@thr",
        "self R@thr",
        "partial R@thr",
        "earlier-alias R@thr",
    ]
    rows = [
        [
            name,
            _fmt(row["native_threshold"]),
            _fmt(row["native"]["alerts_per_1000"], digits=2),
            _fmt(row["native"]["variant_recall_at_threshold"]),
            _fmt(row["native"]["cross-script_recall_at_threshold"]),
            _fmt(row["native"]["self_recall_at_threshold"]),
            _fmt(row["native"]["partial_recall_at_threshold"]),
            _fmt(row["native"]["earlier-alias_recall_at_threshold"]),
        ]
        for name, row in summary.items()
    ]
    tables["At each matcher's own conventional threshold (not comparable across matchers)"] = (header, rows)

    if ct_name:
        header = [
            "peer",
            "its queries V/X/S/I/E",
            "peer variant R@thr",
            "ctscreen",
            "peer cross R@thr",
            "ctscreen",
            "peer self R@1",
            "ctscreen",
            "peer partial R@thr",
            "ctscreen",
            "peer earlier-alias R@thr",
            "ctscreen",
            "ctscreen alerts/1k",
        ]
        rows = []
        for name, row in summary.items():
            same = row.get("ctscreen_same_queries")
            if not same:
                continue
            n = row["n"]
            rows.append(
                [
                    name,
                    f"{n['variant']}/{n['cross-script']}/{n['self']}/{n['innocent']}/{n['earlier-alias']}",
                    _fmt(row["calibrated"]["variant_recall_at_threshold"]),
                    _fmt(same["variant_recall_at_threshold"]),
                    _fmt(row["calibrated"]["cross-script_recall_at_threshold"]),
                    _fmt(same["cross-script_recall_at_threshold"]),
                    _fmt(row["self_recall_at_1"]),
                    _fmt(same["self_recall_at_1"]),
                    _fmt(row["calibrated"]["partial_recall_at_threshold"]),
                    _fmt(same["partial_recall_at_threshold"]),
                    _fmt(row["calibrated"]["earlier-alias_recall_at_threshold"]),
                    _fmt(same["earlier-alias_recall_at_threshold"]),
                    _fmt(same["alerts_per_1000"], digits=2),
                ]
            )
        tables["Each peer against ctscreen on exactly the peer's (sub)sample of queries"] = (header, rows)

    header = ["matcher", "pair set", "n", "AUC", "best-F1 thr", "P", "R", "F1", "P/R/F1 at calibrated thr"]
    rows = []
    for name, row in summary.items():
        for set_name, p in row["pairs"].items():
            if "auc" in p:
                rows.append(
                    [
                        name,
                        set_name,
                        p["n"],
                        _fmt(p["auc"]),
                        _fmt(p["best_f1_threshold"]),
                        _fmt(p["best_precision"]),
                        _fmt(p["best_recall"]),
                        _fmt(p["best_f1"]),
                        f"{_fmt(p['calibrated_precision'])}/{_fmt(p['calibrated_recall'])}/{_fmt(p['calibrated_f1'])}",
                    ]
                )
            else:
                rows.append(
                    [
                        name,
                        set_name,
                        p["n"],
                        "-",
                        "-",
                        "-",
                        _fmt(p["recall_at_calibrated"]),
                        "-",
                        f"recall {_fmt(p['recall_at_calibrated'])}",
                    ]
                )
    tables["Labelled name pairs (watchman copies): ranking quality and best F1"] = (header, rows)
    return tables


def breakdown_tables(summary: dict[str, Any]) -> dict[str, tuple[list[str], list[list[Any]]]]:
    tables: dict[str, tuple[list[str], list[list[Any]]]] = {}
    names = list(summary)
    for key in (
        "variant/script",
        "variant/schema",
        "cross-script/script",
        "cross-script/schema",
        "self/schema",
        "earlier-alias/schema",
    ):
        groups = sorted({g for n in names for g in summary[n]["breakdown"].get(key, {})})
        header = ["matcher"] + [
            f"{g} (n={summary[names[0]]['breakdown'][key].get(g, {}).get('n', '-')})" for g in groups
        ]
        rows = []
        for n in names:
            b = summary[n]["breakdown"].get(key, {})
            rows.append(
                [n]
                + [
                    f"{_fmt(b[g]['recall_at_1'])} / {_fmt(b[g]['recall_at_threshold'])}" if g in b else "-"
                    for g in groups
                ]
            )
        tables[f"{key}: recall@1 / recall at calibrated threshold"] = (header, rows)
    for key in ("innocent/script", "innocent/kind", "innocent/locale"):
        groups = sorted({g for n in names for g in summary[n]["breakdown"].get(key, {})})
        header = ["matcher"] + [
            f"{g} (n={summary[names[0]]['breakdown'][key].get(g, {}).get('n', '-')})" for g in groups
        ]
        rows = []
        for n in names:
            b = summary[n]["breakdown"].get(key, {})
            rows.append([n] + [_fmt(b[g]["alerts_per_1000"], digits=1) if g in b else "-" for g in groups])
        tables[f"{key}: alerts per 1,000 innocents at calibrated threshold"] = (header, rows)
    return tables


def speed_table(speed: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    header = [
        "matcher",
        "queries",
        "p50 ms",
        "p99 ms",
        "q/s (1 core)",
        "index build s",
        "peak RSS MB",
        "RSS lists only MB",
        "batch names/s (all cores)",
        "note",
    ]
    rows = []
    for name, s in speed.items():
        if "error" in s:
            rows.append([name, "-", "-", "-", "-", "-", "-", "-", "-", "failed"])
            continue
        note = ""
        if "blocker_single_ms" in s:
            note = (
                f"blocker amortised {s['blocker_batch_ms_per_query']:.1f} ms/q in batch; one-query blocker call "
                f"{s['blocker_single_ms']:.0f} ms, so {_qps_one_query_blocker(s):.1f} q/s when queries come one at a time"
            )
        rows.append(
            [
                name,
                s["queries"],
                f"{s['p50_ms']:.2f}",
                f"{s['p99_ms']:.2f}",
                f"{s['qps_one_core']:.0f}",
                f"{s['index_build_s']:.1f}",
                f"{s['peak_rss_mb']:.0f}",
                f"{s['rss_lists_mb']:.0f}",
                f"{s['batch_names_per_s']:.0f} ({s['batch_cores']} cores)"
                if "batch_names_per_s" in s
                else "-",
                note,
            ]
        )
    return header, rows


def _qps_one_query_blocker(s: dict[str, Any]) -> float:
    scoring_ms = s["mean_ms"] - s["blocker_batch_ms_per_query"]
    return 1000.0 / (scoring_ms + s["blocker_single_ms"])


def ratios(speed: dict[str, Any]) -> list[str]:
    out = []
    for ours in ("ctscreen", COMPILED):
        ct = speed.get(ours)
        if not ct or "error" in ct:
            continue
        for name, s in speed.items():
            if name in ("ctscreen", COMPILED) or "error" in s:
                continue
            line = f"{ours} / {name}: {ct['qps_one_core'] / s['qps_one_core']:.1f}x queries per second on one core"
            if "blocker_single_ms" in s:
                line += f" ({ct['qps_one_core'] / _qps_one_query_blocker(s):.0f}x when its blocker is called per query)"
            out.append(line)
    return out


def print_rich(title: str, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    for h in header:
        table.add_column(str(h), overflow="fold")
    for row in rows:
        table.add_row(*(str(c) for c in row))
    Console(width=200).print(table)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="ctscreen quality and speed benchmarks, side by side with peers"
    )
    parser.add_argument("--quick", action="store_true", help="subsample for a run of a few minutes")
    parser.add_argument("--only", choices=("quality", "speed"), help="run only one half")
    parser.add_argument(
        "--matchers", help=f"comma-separated subset of: ctscreen, {COMPILED}, {', '.join(PEER_NAMES)}"
    )
    parser.add_argument(
        "--out", type=Path, default=RESULTS, help="folder for the tables (default bench/results)"
    )
    args = parser.parse_args(argv)

    started = time.perf_counter()

    def log(msg: str) -> None:
        print(f"[{time.perf_counter() - started:7.1f}s] {msg}", flush=True)

    ok, why = ctscreen_available()
    # The compiled build scores as the sources do (the suite runs on both): it is timed, not scored again.
    names = (["ctscreen", COMPILED] if ok else []) + list(PEER_NAMES)
    if not ok:
        log(
            f"ctscreen engine not available ({why}): peers only, calibrated to {TARGET_ALERTS_PER_1000}/1,000"
        )
    if args.matchers:
        wanted = [m.strip() for m in args.matchers.split(",") if m.strip()]
        names = [n for n in wanted if n in names]
    ct_name = "ctscreen" if "ctscreen" in names else None
    log(f"data from {data_dir()}; matchers: {', '.join(names)}; {'quick' if args.quick else 'full'} run")
    data = build_datasets(log)

    report: dict[str, Any] = {
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "mode": "quick" if args.quick else "full",
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "versions": _versions(),
        "data": data.info,
    }
    stamp = dt.date.today().isoformat() + ("-quick" if args.quick else "")
    args.out.mkdir(parents=True, exist_ok=True)
    md_quality: list[str] = []
    md_speed: list[str] = []

    if args.only != "speed":
        results: dict[str, dict[str, Any]] = {}
        for name in names:
            if name == COMPILED:
                continue
            log(f"quality: {name}")
            results[name] = run_quality(name, data, args.quick, log)
        target = TARGET_ALERTS_PER_1000
        if ct_name:
            target = (
                M.alerts_per_1000(
                    results[ct_name]["outcomes"]["innocent"], results[ct_name]["native_threshold"]
                )
                or 0.0
            )
        summary = summarise(results, data, target, ct_name)
        report["quality"] = {
            "target_alerts_per_1000": target,
            "calibrated_to": ct_name or "target",
            "matchers": summary,
        }
        if ct_name:
            report["quality"]["ctscreen_misses"] = failures(results, data, ct_name)
        md_quality.append(f"# Quality benchmark, {report['date']} ({report['mode']} run)\n")
        md_quality.append(_data_md(data.info))
        for title, (header, rows) in quality_tables(summary, target, ct_name).items():
            print_rich(title, header, rows)
            md_quality += [f"\n## {title}\n", _md_table(header, rows)]
        for title, (header, rows) in breakdown_tables(summary).items():
            md_quality += [f"\n### {title}\n", _md_table(header, rows)]
        if ct_name:
            md_quality.append("\n## ctscreen misses (first few of each set, for reading)\n")
            md_quality.append(
                "```json\n"
                + json.dumps(report["quality"]["ctscreen_misses"], ensure_ascii=False, indent=1)
                + "\n```"
            )

    if args.only != "quality":
        log("speed: one process per matcher")
        speed = run_speed(names, data, args.quick, log)
        report["speed"] = speed
        report["speed_ratios"] = ratios(speed)
        header, rows = speed_table(speed)
        print_rich("Speed (full lists; single-query latency pinned to one core)", header, rows)
        for line in report["speed_ratios"]:
            print(line)
        md_speed.append(f"# Speed benchmark, {report['date']} ({report['mode']} run)\n")
        md_speed.append(
            f"Machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.platform()}.\n"
        )
        md_speed.append(_md_table(header, rows))
        md_speed += ["", *[f"- {line}" for line in report["speed_ratios"]]]

    report["seconds"] = time.perf_counter() - started
    if md_quality:
        (args.out / f"{stamp}-quality.md").write_text("\n".join(md_quality) + "\n", encoding="utf-8")
    if md_speed:
        (args.out / f"{stamp}-speed.md").write_text("\n".join(md_speed) + "\n", encoding="utf-8")
    (args.out / f"{stamp}.json").write_text(
        json.dumps(report, indent=1, ensure_ascii=False, default=str), encoding="utf-8"
    )
    log(f"done in {report['seconds']:.0f}s; wrote {args.out}/{stamp}-*.md and {stamp}.json")
    return 0


def _data_md(info: dict[str, Any]) -> str:
    h = info["held_out"]
    return (
        f"Lists: {', '.join(info['lists'])} ({h['entities']} entities, {h['names']} names). "
        f"Held-out index: {h['names_removed_from_index']} names removed; {h['variant_queries']} variant and "
        f"{h['cross_script_queries']} cross-script queries, of which the half the name model was not fitted on "
        f"is asked: {info['reported_half']['variant']} variant, {info['reported_half']['cross-script']} "
        f"cross-script, with {info['reported_half']['partial']} shortened (partial) names and "
        f"{info['reported_half'].get('earlier-alias', 0)} names of OFAC's 2021 list its 2024 list no longer "
        "carries (earlier aliases; against the full index). "
        f"Self queries: {info['self_queries']}. "
        f"Innocents: {info['innocents']} (Faker, seed {info['seed']}; {info['innocents_dropped_listed']} generated names "
        f"dropped as equal to a listed name, {info.get('innocents_dropped_real_companies', 0)} companies Faker "
        f"takes from lists of real firms, {info['innocents_dropped_duplicates']} repeats). Pairs: {info['pairs']}.\n"
    )


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for pkg in (
        "ctscreen",
        "nomenklatura",
        "followthemoney",
        "rigour",
        "rapidfuzz",
        "jellyfish",
        "faker",
        "duckdb",
    ):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = "-"
    return out


if __name__ == "__main__":
    sys.exit(main())
