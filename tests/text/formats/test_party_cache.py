"""Message parties already screened against a screener are answered from its party cache: the same hits,
per list version (screener), bounded."""

from __future__ import annotations

import pytest

from ctscreen.matching import Query, Screener
from ctscreen.model import Entity, Listing, Name, Schema
from ctscreen.text import api as text_api
from ctscreen.text import screen_text


def _screener(name: str) -> Screener:
    entity = Entity(
        schema=Schema.ORGANIZATION, names=(Name(name),), listing=Listing(source="user", reference="U1")
    )
    return Screener.from_entities([entity], {"user": 1})


def _counting(screener: Screener) -> list[Query]:
    seen: list[Query] = []
    original = screener.screen

    def screen(query, profile="kyc", **kwargs):  # type: ignore[no-untyped-def]
        seen.append(query)
        return original(query, profile, **kwargs)

    screener.screen = screen  # type: ignore[method-assign]
    return seen


@pytest.mark.realdata
def test_repeated_message_parties_come_from_the_cache(sample) -> None:  # type: ignore[no-untyped-def]
    screener = _screener("AL RASHID TRUST")
    engine_calls = _counting(screener)
    first = screen_text(screener, sample("mt103_listed.fin"), "mt", "payments")
    calls_after_first = len(engine_calls)
    second = screen_text(screener, sample("mt103_listed.fin"), "mt", "payments")
    assert 0 < calls_after_first <= len(first.parties)  # a party repeated within the message: once
    assert len(engine_calls) == calls_after_first  # no party screened again
    assert [p.to_dict() for p in second.parties] == [p.to_dict() for p in first.parties]


@pytest.mark.realdata
def test_each_screener_has_its_own_party_cache(sample) -> None:  # type: ignore[no-untyped-def]
    old, new = _screener("AL RASHID TRUST"), _screener("AL RASHID TRUST")
    screen_text(old, sample("mt103_listed.fin"), "mt", "payments")
    engine_calls = _counting(new)
    screen_text(new, sample("mt103_listed.fin"), "mt", "payments")
    assert engine_calls  # a new list version screens afresh


def test_party_cache_is_bounded() -> None:
    screener = _screener("AL RASHID TRUST")
    cache = text_api._PartyResults(screener, size=3)
    profile = Screener.profile("payments")
    for name in ("A ONE", "B TWO", "C THREE", "D FOUR", "AL RASHID TRUST"):
        cache.screen(Query(name), profile)
    assert len(cache._hits) == 3
    assert [h.ref for h in cache.screen(Query("AL RASHID TRUST"), profile)] == ["U1"]
