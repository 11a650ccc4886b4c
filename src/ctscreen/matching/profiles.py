"""Screening profiles: the alert threshold and the knobs that differ between uses.

Thresholds are chosen from the benchmark (bench/README.md, docs/matching.md), and can be overridden per
request. `kyc` balances recall and alerts for onboarding; `payments` screens parties of real-time payments
(the same recall duty, tighter on alert volume); `border` puts recall first (DESIGN.md §1).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from mypy_extensions import mypyc_attr


@mypyc_attr(native_class=False)  # a public, copyable value
@dataclass(frozen=True)
class Profile:
    name: str
    threshold: float  # score at or above which a hit is an alert
    report_floor: float  # hits below this score are not reported at all
    limit: int = 10  # most hits reported per query
    weak_alias_factor: float = 0.93  # a low-quality a.k.a. is weaker evidence than a real name
    type_mismatch_factor: float = 0.75  # a person query against an organisation, and so on

    def with_threshold(self, threshold: float | None) -> Profile:
        return self if threshold is None else replace(self, threshold=threshold)


PROFILES: dict[str, Profile] = {
    p.name: p
    for p in (
        Profile("kyc", threshold=0.72, report_floor=0.60),
        Profile("payments", threshold=0.76, report_floor=0.65),
        # A traveller is a person: a listed company or ship of the same name is shown, not alerted (0.93 × 0.65).
        Profile("border", threshold=0.64, report_floor=0.55, limit=20, type_mismatch_factor=0.65),
    )
}


def get_profile(name: str) -> Profile:
    try:
        return PROFILES[name]
    except KeyError:
        raise ValueError(f"unknown profile {name!r}; known: {', '.join(PROFILES)}") from None
