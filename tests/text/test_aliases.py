"""The media-alias table: well-formed, documented, and every row meaning listings that exist."""

from __future__ import annotations

import pytest

from ctscreen.text.aliases import AliasTableError, media_aliases, parse_alias_table


def test_table_rows_are_complete() -> None:
    rows = media_aliases()
    assert len(rows) >= 40
    for row in rows:
        assert row.kind in ("acronym", "media-name")
        assert row.expands_to and row.source
    aliases = {r.alias for r in rows}
    for needed in (
        "ISKP",
        "Daesh",
        "ISIS",
        "IS",
        "TTP",
        "LeT",
        "JuD",
        "HQN",
        "Pakistani Taliban",
        "Afghan Taliban",
    ):
        assert needed in aliases


def test_bad_rows_name_the_row_and_field() -> None:
    header = "alias,kind,expands_to,entities,source,note\n"
    with pytest.raises(AliasTableError, match=r"x\.csv:2: field kind"):
        parse_alias_table(header + "TTP,nickname,TEHRIK-E TALIBAN PAKISTAN,,DOMAIN.md,\n", "x.csv")
    with pytest.raises(AliasTableError, match="source is empty"):
        parse_alias_table(header + "TTP,acronym,TEHRIK-E TALIBAN PAKISTAN,,,\n", "x.csv")
    with pytest.raises(AliasTableError, match="not source:ref"):
        parse_alias_table(header + "TTP,acronym,TEHRIK-E TALIBAN PAKISTAN,QDe.132,DOMAIN.md,\n", "x.csv")
    with pytest.raises(AliasTableError, match="missing column"):
        parse_alias_table("alias,kind\nTTP,acronym\n", "x.csv")


@pytest.mark.realdata
def test_every_row_resolves_on_the_real_lists(real_screener) -> None:  # type: ignore[no-untyped-def]
    from ctscreen.text import finder_for

    finder = finder_for(real_screener)
    ids = {e.entity_id for e in real_screener.index.entities}
    for row in media_aliases():
        resolved = finder._resolved_ids(row)
        assert resolved, f"alias {row.alias!r} (line {row.line}) means no listed entity"
        for entity in row.entities:
            assert entity in ids, f"alias {row.alias!r}: {entity} is not on the lists"
        hits = finder._expansion(row, real_screener.profile("kyc"))
        found = {h.entity_id for h in hits if h.alert}
        for entity in row.entities:
            assert entity in found, f"alias {row.alias!r}: no alerting hit on {entity} from {row.expands_to}"
