"""Figures computed from one matcher's answers: recall@1, recall at a threshold, alerts per 1,000 innocents,
threshold calibration to an alert rate, and the pairwise figures (best F1, ROC AUC)."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from bench.data import BenchQuery


@dataclass(frozen=True)
class Outcome:
    """What one matcher answered to one query."""

    qid: str
    top_id: str | None
    top_score: float
    expected_rank: int | None  # 1-based rank of the first acceptable entity among the hits
    expected_score: float  # best score of an acceptable entity among the hits (0 when absent)
    candidate_hit: bool | None  # an acceptable entity among the candidates (None: exhaustive matcher)


def outcome(q: BenchQuery, hits: Sequence[tuple[str, float]], candidates: set[str] | None) -> Outcome:
    rank = None
    best = 0.0
    for i, (eid, score) in enumerate(hits, 1):
        if eid in q.expected:
            if rank is None:
                rank = i
            best = max(best, score)
    return Outcome(
        qid=q.qid,
        top_id=hits[0][0] if hits else None,
        top_score=hits[0][1] if hits else 0.0,
        expected_rank=rank,
        expected_score=best,
        candidate_hit=None if candidates is None else bool(candidates & q.expected),
    )


def rate(values: Iterable[bool]) -> float | None:
    values = list(values)
    return sum(values) / len(values) if values else None


def recall_at_1(outs: Sequence[Outcome]) -> float | None:
    return rate(o.expected_rank == 1 for o in outs)


def top_1_with_ties(outs: Sequence[Outcome]) -> float | None:
    """Share of queries whose expected entity scores as high as the top hit: a tie with another entry that
    lists the very same name (the same party on two lists, not linked by a shared reference) counts."""
    return rate(o.expected_rank is not None and o.expected_score >= o.top_score for o in outs)


def recall_at(outs: Sequence[Outcome], threshold: float) -> float | None:
    return rate(o.expected_score >= threshold for o in outs)


def candidate_recall(outs: Sequence[Outcome]) -> float | None:
    known = [o.candidate_hit for o in outs if o.candidate_hit is not None]
    return rate(known) if known else None


def alerts_per_1000(outs: Sequence[Outcome], threshold: float) -> float | None:
    r = rate(o.top_score >= threshold for o in outs)
    return None if r is None else 1000.0 * r


def calibrate(innocent_outs: Sequence[Outcome], per_1000: float) -> float:
    """The lowest threshold at which at most `per_1000` alerts per 1,000 innocents are raised."""
    scores = sorted((o.top_score for o in innocent_outs), reverse=True)
    allowed = int(math.floor(per_1000 * len(scores) / 1000.0 + 1e-9))
    if allowed >= len(scores):
        return 0.0
    boundary = scores[allowed]  # the highest score that must not alert
    return math.nextafter(boundary, math.inf) if boundary > 0 else 1e-9


def by_group(
    queries: Sequence[BenchQuery], outs: Sequence[Outcome], key: Callable[[BenchQuery], str]
) -> dict[str, list[Outcome]]:
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for q, o in zip(queries, outs, strict=True):
        groups[key(q)].append(o)
    return dict(sorted(groups.items()))


# -- pairwise ---------------------------------------------------------------------------------------------


def roc_auc(scores: Sequence[float], labels: Sequence[bool]) -> float | None:
    """Probability that a random match outscores a random non-match (ties count half)."""
    pos = [s for s, y in zip(scores, labels, strict=True) if y]
    neg = [s for s, y in zip(scores, labels, strict=True) if not y]
    if not pos or not neg:
        return None
    ranked = sorted((s, i) for i, s in enumerate(scores))
    ranks = [0.0] * len(scores)
    i = 0
    while i < len(ranked):
        j = i
        while j + 1 < len(ranked) and ranked[j + 1][0] == ranked[i][0]:
            j += 1
        for k in range(i, j + 1):
            ranks[ranked[k][1]] = (i + j) / 2 + 1
        i = j + 1
    pos_rank_sum = sum(r for r, y in zip(ranks, labels, strict=True) if y)
    return (pos_rank_sum - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg))


def prf(scores: Sequence[float], labels: Sequence[bool], threshold: float) -> tuple[float, float, float]:
    tp = sum(1 for s, y in zip(scores, labels, strict=True) if y and s >= threshold)
    fp = sum(1 for s, y in zip(scores, labels, strict=True) if not y and s >= threshold)
    fn = sum(1 for s, y in zip(scores, labels, strict=True) if y and s < threshold)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def best_f1(scores: Sequence[float], labels: Sequence[bool]) -> tuple[float, float, float, float]:
    """(threshold, precision, recall, F1) at the threshold, among the observed positive scores, with best F1."""
    best = (1.0, 0.0, 0.0, 0.0)
    for t in sorted(set(s for s in scores if s > 0)):
        p, r, f = prf(scores, labels, t)
        if f > best[3]:
            best = (t, p, r, f)
    return best
