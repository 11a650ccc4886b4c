"""UN/EDIFACT PAXLST manifests: travellers, the border profile, a listed passport under another name."""

from __future__ import annotations

import inspect

import pytest

from ctscreen.text import TextInputError, detect_format, screen_text
from ctscreen.text import api as text_api
from ctscreen.text.formats import MessageFormatError, extract_paxlst, read_travellers

HEAD = (
    "UNA:+.? '\nUNB+UNOA:4+AIR:ZZ+BORDER:ZZ+250105:1200+REF1++APIS'\nUNH+M1+PAXLST:D:05B:UN:IATA+REF1+01:F'\n"
)


def _manifest(*groups: str, count: bool = True) -> bytes:
    body = HEAD + "BGM+745'\n" + "".join(groups)
    segments = body.count("'\n") - 2 + 1  # from UNH, with UNT
    return (body + (f"UNT+{segments}+M1'\n" if count else "") + "UNZ+1+REF1'\n").encode()


TRAVELLER = (
    "NAD+FL+++DOE:JANE'\nATT+2++F'\nDTM+329:900102'\nNAT+2+GBR'\nDOC+P:110:111+123456789'\nDTM+36:301231'\n"
)


def _alerts(hits) -> set[str]:  # type: ignore[no-untyped-def]
    return {h.ref for h in hits if h.alert}


def test_travellers(sample) -> None:  # type: ignore[no-untyped-def]
    travellers, warnings = read_travellers(sample("paxlst_manifest.edi"))
    assert warnings == []
    assert [t.name for t in travellers] == [
        "KARIM MANSOUR", "DAWOOD IBRAHIM KASKAR", "PETER JAMES WALSH", "OLUWASEUN ADEYEMI", "SOPHIE MARTIN",
        "YUKI TANAKA",
    ]  # fmt: skip
    first = travellers[0]
    assert (first.surname, first.given, first.gender, first.dob) == ("MANSOUR", "KARIM", "m", "1981-03-04")
    assert first.nationality == "FR" and first.documents == [("passport", "K929139")]
    assert ("document-expiry", "2029-12-31") in first.details and ("booking", "QX7ZP2") in first.details
    assert travellers[2].address == ["12 QUAY STREET", "GALWAY", "H91", "IRL"]
    assert travellers[4].dob == "1992-12-24"  # CCYYMMDD
    assert travellers[5].qualifier == "FM"


def test_parties_are_person_queries(sample) -> None:  # type: ignore[no-untyped-def]
    extracted = extract_paxlst(sample("paxlst_manifest.edi"))
    assert extracted.text == "" and extracted.warnings == []
    assert [p.role for p in extracted.parties] == ["passenger"] * 5 + ["crew"]
    query = extracted.parties[0].query
    assert (query.name, query.schema, query.dob, query.country, query.gender, query.id_number) == (
        "KARIM MANSOUR", "person", "1981-03-04", "FR", "m", "K929139",
    )  # fmt: skip
    assert extracted.parties[0].field == "NAD+FL traveller 1 (segment 13)"
    assert detect_format(sample("paxlst_manifest.edi")) == "paxlst"


def test_border_is_the_format_profile_where_the_api_has_one() -> None:
    if "profile" not in inspect.signature(text_api.register_format).parameters:
        pytest.skip("ctscreen.text.api has no per-format profile yet")
    assert text_api._FORMATS["paxlst"].profile == "border"
    assert text_api._FORMATS["mt"].profile == "payments"


@pytest.mark.realdata
def test_screen_manifest_with_border_profile(real_screener, sample) -> None:  # type: ignore[no-untyped-def]
    result = screen_text(real_screener, sample("paxlst_manifest.edi"), "auto", "border")
    assert result.format == "paxlst" and result.profile == "border"
    by_name = {p.name: p for p in result.parties}
    # a listed passport number under another name: the identifier floor, whatever the name says
    mansour = by_name["KARIM MANSOUR"]
    assert {"QDi.064", "7208", "7091"} <= _alerts(mansour.hits)
    un = next(h for h in mansour.hits if h.ref == "QDi.064")
    assert un.score >= 0.97 and un.name == "SAMI BEN KHAMIS BEN SALEH ELSSEID"
    assert any(a.field == "identifier" and "K929139" in a.detail for a in un.adjustments)
    assert {"QDi.135", "7863"} <= _alerts(by_name["DAWOOD IBRAHIM KASKAR"].hits)
    for name in ("PETER JAMES WALSH", "OLUWASEUN ADEYEMI", "SOPHIE MARTIN", "YUKI TANAKA"):
        assert not by_name[name].alert, (name, _alerts(by_name[name].hits))


# -- bad input -----------------------------------------------------------------------------------------------


def test_bad_fields_are_warnings_naming_the_segment() -> None:
    data = _manifest(
        TRAVELLER,
        "NAD+FL+++ROE:RICHARD'\nDTM+329:991340'\nNAT+2+QQQ'\nDOC+P:110:111'\n",
        "NAD+FL+++:NOSURNAME'\n",
        "CNT+42:5'\n",
    )
    extracted = extract_paxlst(data)
    text = "\n".join(extracted.warnings)
    assert "segment 12 (DTM): date of birth '991340' is not YYMMDD" in text
    assert "segment 13 (NAT): nationality 'QQQ'" in text
    assert "segment 14 (DOC): traveller 2: document P has no number" in text
    assert "segment 15 (NAD): traveller 3 has no surname" in text
    assert "CNT+42 says 5 travellers but the manifest has 3" in text
    richard = next(p for p in extracted.parties if p.name == "RICHARD ROE")
    assert richard.query.dob is None and richard.query.country is None  # screened without them
    with pytest.raises(MessageFormatError, match=r"segment 12 \(DTM\)"):
        extract_paxlst(data, strict=True)


def test_non_utf8_bytes_give_a_partial_result() -> None:
    data = _manifest(TRAVELLER.replace("DOE:JANE", "M\xdcLLER:J\xdcRGEN")).replace(b"\xc3\x9c", b"\xdc")
    extracted = extract_paxlst(data)
    assert any("not valid UTF-8" in w for w in extracted.warnings)
    assert extracted.parties[0].name == "J\ufffdRGEN M\ufffdLLER"
    latin = _manifest(TRAVELLER.replace("DOE:JANE", "M\xdcLLER:J\xdcRGEN")).replace(b"\xc3\x9c", b"\xdc")
    latin = latin.replace(b"UNOA", b"UNOC")  # UNOC is Latin-1: read as such
    assert extract_paxlst(latin).parties[0].name == "J\u00dcRGEN M\u00dcLLER"


def test_cut_short_manifest_keeps_the_travellers_read() -> None:
    data = _manifest(TRAVELLER, TRAVELLER.replace("DOE:JANE", "ROE:RICHARD"), count=False)
    data = data[: data.index(b"UNZ")] + b"NAD+FL+++SMITH"
    extracted = extract_paxlst(data)
    assert [p.name for p in extracted.parties][:2] == ["JANE DOE", "RICHARD ROE"]
    assert any("not closed by a UNT" in w or "unreadable EDIFACT" in w for w in extracted.warnings)


def test_unt_count_is_checked() -> None:
    data = _manifest(TRAVELLER).replace(b"UNT+9+", b"UNT+4+")
    assert any(
        "UNT" in w and "says 4 segments but the message has 9" in w for w in extract_paxlst(data).warnings
    )


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (b"", "empty"),
        (b"NAD+FL+++DOE:JANE'", "not a UN/EDIFACT interchange"),
        (
            HEAD.replace("PAXLST", "ORDERS").encode() + b"BGM+220'UNT+3+M1'UNZ+1+REF1'",
            "'ORDERS' is not PAXLST",
        ),
        (_manifest("NAD+MS+++DESK'\n"), "no traveller"),
        (b"UNA:+.? 'UNB+UNOA:4+A+B+250105:1200+R'", "no message"),
        (
            b"UNA:+.? 'UNB+UNOA:4+A+B+250105:1200+R'UNH+M1+PAXLST'NAD+FL+++A?",
            "unreadable EDIFACT|no traveller",
        ),
    ],
)
def test_unreadable_manifests_are_clear_errors(data: bytes, match: str) -> None:
    with pytest.raises(TextInputError, match=match):
        extract_paxlst(data)
