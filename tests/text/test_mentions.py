"""Mentions in running text, on the real lists (UN + OFAC SDN 2024 + OFAC consolidated + UK OFSI)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctscreen.text import find_mentions, screen_text

pytestmark = pytest.mark.realdata

SAMPLE = "samples/news-pk-us-ct-dialogue.txt"
TTP = {"un:QDe.132", "ofac-sdn:12206", "uk-ofsi:12032"}
ISIL_K = {"un:QDe.161", "ofac-sdn:18647", "uk-ofsi:13788"}
AQ = {"un:QDe.004", "ofac-sdn:6366", "uk-ofsi:6965"}
ISIL = {"ofac-sdn:8759", "un:QDe.115", "uk-ofsi:8441"}
TALIBAN = {"ofac-sdn:6636"}
LET = {"un:QDe.118", "ofac-sdn:7140", "uk-ofsi:7241"}


def alerted(mentions, text: str) -> set[str]:  # type: ignore[no-untyped-def]
    """Entity ids alerting on mentions whose text is `text` (case-insensitive)."""
    return {h.entity_id for m in mentions if m.text.lower() == text.lower() for h in m.hits if h.alert}


def reported(mentions, text: str) -> set[str]:  # type: ignore[no-untyped-def]
    return {h.entity_id for m in mentions if m.text.lower() == text.lower() for h in m.hits}


@pytest.fixture(scope="module")
def sample(data_dir: Path) -> str:
    return (data_dir / SAMPLE).read_text(encoding="utf-8")


def test_sample_news_groups_found_with_their_listings(real_screener, sample: str) -> None:  # type: ignore[no-untyped-def]
    mentions = find_mentions(real_screener, sample)
    assert alerted(mentions, "TTP") >= {"un:QDe.132", "ofac-sdn:12206"}
    assert alerted(mentions, "ISIS-K") & {"un:QDe.161"}
    assert alerted(mentions, "Islamic State-Khorasan province") & ISIL_K
    assert alerted(mentions, "al-Qaida") >= {"un:QDe.004", "ofac-sdn:6366"}
    assert alerted(mentions, "Islamic State") >= {"ofac-sdn:8759", "un:QDe.115"}
    assert alerted(mentions, "Taliban") == TALIBAN
    assert alerted(mentions, "Afghan Taliban") == TALIBAN
    # every mention has its sentence and exact offsets
    for m in mentions:
        assert sample[m.start : m.end] == m.text
        assert " ".join(m.text.split()) in m.sentence


def test_sample_officials_do_not_alert(real_screener, sample: str) -> None:  # type: ignore[no-untyped-def]
    mentions = find_mentions(real_screener, sample)
    officials = ("Syed Haider Shah", "Christopher Landberg", "Mumtaz Zahra Baloch", "Ned Price")
    for official in officials:
        begin = sample.index(official)
        span = (begin, begin + len(official))
        assert not [m for m in mentions if m.alert and m.start < span[1] and span[0] < m.end], official
    # nothing else alerts either: every alerting mention is one of the groups
    groups = {
        "ttp",
        "isis-k",
        "al-qaida",
        "islamic state",
        "islamic state-khorasan province",
        "taliban",
        "afghan taliban",
    }
    assert {m.text.lower() for m in mentions if m.alert} <= groups


def test_screen_text_json_shape(real_screener, sample: str) -> None:  # type: ignore[no-untyped-def]
    out = screen_text(real_screener, sample.encode()).to_dict()
    assert out["format"] == "plain"
    assert out["parties"] == [] and out["warnings"] == []
    assert out["list_versions"] == {"un": 1, "ofac-sdn": 1, "ofac-cons": 1, "uk-ofsi": 1}
    mention = next(m for m in out["mentions"] if m["text"] == "TTP")
    assert set(mention) >= {"start", "end", "text", "sentence", "hits"}
    hit = mention["hits"][0]
    assert set(hit) >= {"source", "ref", "name", "matched_name", "score", "alert", "explanation"}
    assert hit["explanation"]["text"]["found_by"] in ("alias-table", "list-name")
    assert any("acronym 'TTP'" in r for r in hit["explanation"]["text"]["rules"])


def test_line_breaks_hyphens_and_case(real_screener) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Fighters of the Tehrik-e-\nTaliban Pakistan crossed over. Members of the Lashkar-e-Tay-\nyiba were"
        " seen.\nthe meeting discussed tehreek-e-taliban pakistan.\nTEHRIK-E-TALIBAN PAKISTAN CLAIMS ATTACK"
    )
    mentions = find_mentions(real_screener, text)
    texts = {m.text for m in mentions if m.alert}
    assert "Tehrik-e-\nTaliban Pakistan" in texts
    assert "Lashkar-e-Tay-\nyiba" in texts
    assert "tehreek-e-taliban pakistan" in texts
    assert "TEHRIK-E-TALIBAN PAKISTAN" in texts
    for m in mentions:
        if "Taliban" in m.text or "taliban" in m.text or "TALIBAN" in m.text:
            assert {h.entity_id for h in m.hits if h.alert} & TTP
    assert alerted(mentions, "Lashkar-e-Tay-\nyiba") & LET


def test_non_latin_scripts(real_screener) -> None:  # type: ignore[no-untyped-def]
    urdu = "کالعدم تحریک طالبان پاکستان نے حملے کی ذمہ داری قبول کر لی ہے۔"
    assert alerted(find_mentions(real_screener, urdu), "تحریک طالبان پاکستان") & TTP
    arabic = "أعلن تنظيم داعش مسؤوليته عن الهجوم. وكان تنظيم القاعدة قد تبنى هجمات مماثلة."
    mentions = find_mentions(real_screener, arabic)
    assert alerted(mentions, "داعش") & ISIL
    assert alerted(mentions, "القاعدة") & AQ
    russian = "Суд рассматривал дела о финансировании группировки «Аль-Каида» и организации «Исламское государство»."
    mentions = find_mentions(real_screener, russian)
    assert alerted(mentions, "Аль-Каида") & AQ
    assert alerted(mentions, "Исламское государство") & ISIL


def test_acronym_needs_context(real_screener) -> None:  # type: ignore[no-untyped-def]
    medical = "TTP is a rare blood disorder in which small clots form throughout the body."
    mentions = find_mentions(real_screener, medical)
    assert not any(m.alert for m in mentions)
    ttp = next(m for m in mentions if m.text == "TTP")
    assert any("not alerted" in r for h in ttp.hits for r in h.rules)
    assert alerted(find_mentions(real_screener, "The banned TTP claimed the attack."), "TTP") & TTP
    assert (
        alerted(
            find_mentions(real_screener, "Tehrik-e-Taliban Pakistan (TTP) said. Later the TTP denied it."),
            "TTP",
        )
        & TTP
    )
    pharma = "The FDA accepted the BLA for the gene therapy, the company said."
    assert not any(m.alert for m in find_mentions(real_screener, pharma))
    words = "Let us know. IS department staff will move. LET US KNOW IF YOU HAVE QUESTIONS."
    assert not any(m.alert for m in find_mentions(real_screener, words))


def test_media_names_from_the_alias_table(real_screener) -> None:  # type: ignore[no-untyped-def]
    text = "ISKP claimed the bombing. Daesh cells grew active. The Afghan Taliban denied it. JuD militants were held."
    mentions = find_mentions(real_screener, text)
    assert alerted(mentions, "ISKP") >= {"un:QDe.161", "ofac-sdn:18647"}
    assert alerted(mentions, "Daesh") & ISIL
    assert alerted(mentions, "Afghan Taliban") == TALIBAN
    assert alerted(mentions, "JuD") & LET
    iskp = next(m for m in mentions if m.text == "ISKP")
    assert iskp.hits[0].alias is not None and iskp.hits[0].alias["source"]
    # "disease" shares its consonant key with "Daesh" but is not spelled like it
    assert not find_mentions(real_screener, "The disease spread quickly.")


def test_people_beside_the_groups_do_not_alert(real_screener) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Prime Minister Shehbaz Sharif and Interior Minister Mohsin Naqvi met Army Chief General Asim Munir. "
        "Deputy Commissioner Javedullah Mehsud and police officer Qasim Ali Khan briefed them. "
        "Analyst Imtiaz Gul and journalist Abdul Rahman said the people across the province were worried. "
        "Maulana Fazlur Rehman addressed a rally in Dera Ismail Khan."
    )
    assert not [m.text for m in find_mentions(real_screener, text) if m.alert]


def test_listed_people_in_running_text(real_screener) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Sirajuddin Haqqani, the Taliban's interior minister, met Amir Khan Muttaqi. "
        "Hezbollah leader Hassan Nasrallah spoke. Noor Wali Mehsud leads the group."
    )
    mentions = find_mentions(real_screener, text)
    assert alerted(mentions, "Sirajuddin Haqqani") & {"un:TAi.144", "uk-ofsi:9158", "ofac-sdn:10743"}
    assert alerted(mentions, "Amir Khan Muttaqi") & {"un:TAi.026"}
    assert alerted(mentions, "Hassan Nasrallah") == {"ofac-sdn:2686"}
    assert alerted(mentions, "Noor Wali Mehsud") & {"un:QDi.427"}
    # a one-word surname alone is not a mention of the person
    assert not [m for m in find_mentions(real_screener, "Haqqani spoke later.") if m.alert]


def test_long_text_in_chunks_keeps_offsets(real_screener, sample: str) -> None:  # type: ignore[no-untyped-def]
    from ctscreen.text import mentions as module

    text = "\n\n".join([sample] * 120)  # ~350 kB: more than one chunk
    assert len(text) > module.CHUNK_CHARS
    mentions = find_mentions(real_screener, text)
    assert len([m for m in mentions if m.text == "TTP" and m.alert]) == 120
    for m in mentions[::50]:
        assert text[m.start : m.end] == m.text


def test_pure_python_automaton_gives_the_same_mentions(real_screener, sample: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from ctscreen.text import mentions as module

    expected = [(m.start, m.end, [h.entity_id for h in m.hits]) for m in find_mentions(real_screener, sample)]
    monkeypatch.setattr(module, "_ahocorasick", None)
    finder = module.MentionFinder(real_screener)
    assert finder._automaton is None
    got = [(m.start, m.end, [h.entity_id for h in m.hits]) for m in finder.find(sample)]
    assert got == expected
