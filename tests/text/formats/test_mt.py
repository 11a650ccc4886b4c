"""SWIFT MT103 / MT202COV: blocks, fields, parties, free text, validation, and screening on the real lists."""

from __future__ import annotations

import pytest

from ctscreen.text import TextInputError, detect_format, extract, screen_text
from ctscreen.text.formats import MessageFormatError, MessageParty, extract_mt, parse_mt


def _party(extracted, role: str, sequence_b: bool = False) -> MessageParty:  # type: ignore[no-untyped-def]
    for party in extracted.parties:
        if party.role == role and ("sequence B" in (party.field or "")) == sequence_b:
            return party
    raise AssertionError(f"no party {role}: {[(p.role, p.field) for p in extracted.parties]}")


def _field_text(extracted, label: str) -> str:  # type: ignore[no-untyped-def]
    for name, start, end in extracted.fields:
        if name == label:
            return extracted.text[start:end]
    raise AssertionError(f"no field {label}: {extracted.fields}")


def _alerts(hits) -> set[str]:  # type: ignore[no-untyped-def]
    return {h.ref for h in hits if h.alert}


# -- reading -------------------------------------------------------------------------------------------------


def test_blocks_and_fields(sample) -> None:  # type: ignore[no-untyped-def]
    [message] = parse_mt(sample("mt103_listed.fin"))
    assert message.type == "103"
    assert message.sender == "EXAMGB2LAXXX" and message.receiver == "EXAMPKKAXXXX"
    assert message.user_header["121"] == "7a3f1c2e-5b6d-4e8f-9a0b-1c2d3e4f5a6b"
    assert [f.tag for f in message.fields] == [
        "20", "23B", "32A", "50F", "52A", "57A", "59", "70", "71A", "72",
    ]  # fmt: skip
    assert message.get("50F").line == 5 and message.get("50F").lines[1] == "1/HAFIZ MUHAMMAD SAEED"
    assert message.issues == []


def test_parties_as_structured_queries(sample) -> None:  # type: ignore[no-untyped-def]
    extracted = extract_mt(sample("mt103_listed.fin"))
    assert extracted.warnings == []
    roles = [p.role for p in extracted.parties]
    assert roles == [
        "sender", "receiver", "ordering-customer", "ordering-institution", "account-with-institution",
        "beneficiary",
    ]  # fmt: skip
    ordering = _party(extracted, "ordering-customer")
    assert ordering.name == "HAFIZ MUHAMMAD SAEED" and ordering.field == ":50F:"
    assert ordering.query.dob == "1950-06-05" and ordering.query.country == "PK"
    assert ordering.query.schema == "person"
    assert ordering.account == "GB29NWBK60161331926819"  # kept for the analyst ...
    assert ordering.query.id_number is None  # ... never screened as an identifier
    assert ordering.address == ("HOUSE 116E MOHALLA JOHAR", "LAHORE")
    beneficiary = _party(extracted, "beneficiary")
    assert beneficiary.name == "LASHKAR E TAYYIBA"
    assert beneficiary.query.country == "PK" and beneficiary.address == ("MURIDKE", "PAKISTAN")
    institution = _party(extracted, "account-with-institution")
    assert institution.bic == "EXAMPKKAXXX" and institution.query.schema == "organization"
    assert institution.query.country == "PK" and institution.query.id_number == "EXAMPKKA"
    assert _party(extracted, "sender").bic == "EXAMGB2LXXX"


def test_free_text_fields(sample) -> None:  # type: ignore[no-untyped-def]
    extracted = extract_mt(sample("mt103_listed.fin"))
    assert _field_text(extracted, ":70:") == "DONATION FOR JAMAAT-UD-DAWA FLOOD\nRELIEF PROGRAMME 2025"
    assert _field_text(extracted, ":72:/INS/") == "EXAMGB2L"
    assert _field_text(extracted, ":72:/BNF/") == "URGENT"
    assert "LASHKAR" not in extracted.text  # parties are screened as queries, not again as text


def test_lines_cut_at_35_characters_are_joined(sample) -> None:  # type: ignore[no-untyped-def]
    extracted = extract_mt(sample("mt103_split_lines.fin"))
    assert _party(extracted, "beneficiary").name == "MOVEMENT FOR UNITY AND JIHAD IN WEST AFRICA"
    assert _party(extracted, "beneficiary").address == ("GAO", "MALI")
    assert _party(extracted, "beneficiary").query.country == "ML"
    assert _field_text(extracted, ":70:") == "PAYMENT REF 22310 FOR TEHRIK-E TALIBAN PAKISTAN"


def test_coded_72_continuation_and_hyphen() -> None:
    message = (
        "{1:F01EXAMGB2LAXXX0000000001}{2:I103EXAMPKKAXXXXN}{4:\n:20:R1\n:23B:CRED\n:32A:250105USD1,00\n"
        ":50K:JOHN SMITH\n:59:JANE DOE\n:71A:SHA\n"
        ":72:/BNF/GIFT TO ISLAMIC STATE IN IRAQ A\n//ND THE LEVANT\n/REC/FOR LASHKAR-\n//E-TAYYIBA\n"
        "/ACC/SEE ISLAMIC STATE IN IRAQ\n//AND THE LEVANT\n-}"
    )
    extracted = extract_mt(message)
    # a line filled to 35 characters was cut inside a word; a shorter one ended at a word
    assert _field_text(extracted, ":72:/BNF/") == "GIFT TO ISLAMIC STATE IN IRAQ AND THE LEVANT"
    assert _field_text(extracted, ":72:/ACC/") == "SEE ISLAMIC STATE IN IRAQ AND THE LEVANT"
    assert _field_text(extracted, ":72:/REC/") == "FOR LASHKAR-E-TAYYIBA"


def test_crlf_and_lf_read_alike(sample) -> None:  # type: ignore[no-untyped-def]
    lf = sample("mt103_listed.fin")
    crlf = lf.replace(b"\n", b"\r\n")
    a, b = extract_mt(lf), extract_mt(crlf)
    assert a.text == b.text and [(p.role, p.name, p.query) for p in a.parties] == [
        (p.role, p.name, p.query) for p in b.parties
    ]


def test_detected_as_mt(sample) -> None:  # type: ignore[no-untyped-def]
    assert detect_format(sample("mt103_clean.fin")) == "mt"
    assert detect_format(b":20:REF1\n:23B:CRED\n") == "mt"
    assert detect_format(b"Dear customer, {1: is not a block here") != "mt"
    assert extract(sample("mt202cov_listed.fin"))[0] == "mt"


def test_mt202cov_sequence_b(sample) -> None:  # type: ignore[no-untyped-def]
    [message] = parse_mt(sample("mt202cov_listed.fin"))
    assert message.type == "202COV" and message.issues == []
    assert [f.tag for f in message.fields if f.sequence == "B"] == ["50F", "52A", "57A", "59", "70", "33B"]
    extracted = extract_mt(sample("mt202cov_listed.fin"))
    assert _party(extracted, "beneficiary-institution").bic == "EXAMPKKAXXX"
    ordering = _party(extracted, "ordering-customer", sequence_b=True)
    assert ordering.name == "DAWOOD IBRAHIM KASKAR" and ordering.query.dob == "1955-12-26"
    assert _party(extracted, "beneficiary", sequence_b=True).name == "AL-AKHTAR TRUST INTERNATIONAL"
    assert _field_text(extracted, ":70: (sequence B)") == "SUPPORT FOR LASHKAR-E-TAYYIBA"


def test_several_messages_in_one_file(sample) -> None:  # type: ignore[no-untyped-def]
    messages = parse_mt(sample("mt_batch_clean.fin"))
    assert [m.type for m in messages] == ["103", "202COV"]
    extracted = extract_mt(sample("mt_batch_clean.fin"))
    assert extracted.warnings == []
    labels = [p.field for p in extracted.parties if p.role == "beneficiary"]
    assert labels == ["message 1 :59:", "message 2 :59: (sequence B)"]
    assert {p.message for p in extracted.parties} == {1, 2}


def test_50f_party_identifier_and_national_id() -> None:
    message = (
        "{1:F01EXAMGB2LAXXX0000000001}{2:I103EXAMPKKAXXXXN}{4:\n:20:R1\n:23B:CRED\n:32A:250105USD1,00\n"
        ":50F:CCPT/PK/AB1234567\n1/SOME\n1/ONE PERSON\n2/STREET 1\n3/PK/KARACHI\n4/19800101\n5/PK/QUETTA\n"
        "7/PK/1234567890123\n:59F:/123\n1/OTHER COMPANY LTD\n3/GB/LONDON\n:71A:OUR\n-}"
    )
    extracted = extract_mt(message)
    ordering = _party(extracted, "ordering-customer")
    assert ordering.name == "SOME ONE PERSON"
    assert ordering.query.id_number == "AB1234567" and ordering.query.dob == "1980-01-01"
    assert ("national-id", "1234567890123") in ordering.identifiers
    assert ("place-of-birth", "PK/QUETTA") in ordering.identifiers
    beneficiary = _party(extracted, "beneficiary")
    assert beneficiary.name == "OTHER COMPANY LTD" and beneficiary.query.country == "GB"


# -- screening on the real lists -----------------------------------------------------------------------------


@pytest.mark.realdata
def test_screen_listed_mt103(real_screener, sample) -> None:  # type: ignore[no-untyped-def]
    result = screen_text(real_screener, sample("mt103_listed.fin"), "auto", "payments")
    assert result.format == "mt" and result.alert
    parties = {p.role: p for p in result.parties}
    assert {"QDi.263", "9215"} <= _alerts(parties["ordering-customer"].hits)
    assert {"QDe.118", "7140", "7241"} <= _alerts(parties["beneficiary"].hits)
    for role in ("sender", "receiver", "ordering-institution", "account-with-institution"):
        assert not parties[role].alert, role
    [mention] = [m for m in result.mentions if m.alert]
    assert mention.field == ":70:" and mention.text == "JAMAAT-UD-DAWA"
    assert "QDe.118" in {h.hit.ref for h in mention.hits if h.alert}
    out = result.to_dict()
    assert out["parties"][2]["field"] == ":50F:"


@pytest.mark.realdata
def test_screen_clean_mt103_and_batch(real_screener, sample) -> None:  # type: ignore[no-untyped-def]
    for name in ("mt103_clean.fin", "mt_batch_clean.fin"):
        result = screen_text(real_screener, sample(name), "mt", "payments")
        assert not result.alert, (name, [(p.name, _alerts(p.hits)) for p in result.parties if p.alert])
        assert result.parties and result.warnings == []


@pytest.mark.realdata
def test_screen_split_names_and_listed_bic(real_screener, sample) -> None:  # type: ignore[no-untyped-def]
    result = screen_text(real_screener, sample("mt103_split_lines.fin"), "mt", "payments")
    parties = {p.role: p for p in result.parties}
    assert "15609" in _alerts(parties["beneficiary"].hits)  # MUJAO, OFAC, name joined across lines
    # a listed BIC (OFAC SWIFT/BIC KDBKKPPY, Korea Daesong Bank) is an identifier match
    institution = parties["account-with-institution"]
    [hit] = [h for h in institution.hits if h.alert]
    assert hit.ref == "12312" and hit.score >= 0.97
    assert not parties["ordering-customer"].alert
    [mention] = [m for m in result.mentions if m.alert]
    assert mention.field == ":70:" and mention.text == "TEHRIK-E TALIBAN PAKISTAN"
    assert "QDe.132" in {h.hit.ref for h in mention.hits if h.alert}


@pytest.mark.realdata
def test_screen_mt202cov(real_screener, sample) -> None:  # type: ignore[no-untyped-def]
    result = screen_text(real_screener, sample("mt202cov_listed.fin"), "mt", "payments")
    alerting = {(p.role, p.field): _alerts(p.hits) for p in result.parties if p.alert}
    assert {"QDi.135", "7863"} <= alerting[("ordering-customer", ":50F: (sequence B)")]
    assert {"QDe.121", "8703"} <= alerting[("beneficiary", ":59: (sequence B)")]
    assert len(alerting) == 2
    [mention] = [m for m in result.mentions if m.alert]
    assert mention.field == ":70: (sequence B)" and "QDe.118" in {h.hit.ref for h in mention.hits}


# -- bad input -----------------------------------------------------------------------------------------------


def _without(data: bytes, tag: bytes) -> bytes:
    return b"\n".join(line for line in data.split(b"\n") if not line.startswith(tag))


def test_missing_mandatory_field_is_named(sample) -> None:  # type: ignore[no-untyped-def]
    data = _without(sample("mt103_listed.fin"), b":71A:")
    extracted = extract_mt(data)
    [warning] = extracted.warnings
    assert ":71A:" in warning and "details of charges" in warning and "line 1" in warning
    assert len(extracted.parties) == 6  # the message is still screened
    with pytest.raises(MessageFormatError, match=r"field :71A: .*mandatory") as caught:
        extract_mt(data, strict=True)
    assert caught.value.field == ":71A:" and caught.value.line == 1


def test_missing_beneficiary_and_sequence_b(sample) -> None:  # type: ignore[no-untyped-def]
    data = sample("mt103_listed.fin").replace(b":59:", b":79:")
    warnings = extract_mt(data).warnings
    assert any(":59a:" in w and "beneficiary customer" in w for w in warnings)
    cover = _without(sample("mt202cov_listed.fin"), b":50F:")
    cover = b"\n".join(line for line in cover.split(b"\n") if line[:2] not in (b"1/", b"2/", b"3/", b"4/"))
    warnings = extract_mt(cover).warnings
    assert any(":50a:" in w and "sequence B" in w for w in warnings), warnings


def test_malformed_values_are_named_with_their_line(sample) -> None:  # type: ignore[no-untyped-def]
    data = sample("mt103_listed.fin").replace(b":32A:250105USD25000,00", b":32A:251305USD25000")
    data = data.replace(b":23B:CRED", b":23B:CASH").replace(b":57A:EXAMPKKAXXX", b":57A:NOT A BIC")
    data = data.replace(b":50F:", b":50B:")
    warnings = extract_mt(data).warnings
    assert any("field :32A: (line 4)" in w and "YYMMDD" in w for w in warnings), warnings
    assert any("field :23B: (line 3)" in w and "CASH" in w for w in warnings)
    assert any("field :57A: (line 11)" in w and "not a BIC" in w for w in warnings)
    assert any("field :50B:" in w and "option B is not allowed" in w for w in warnings)


def test_non_utf8_bytes_give_a_partial_result(sample) -> None:  # type: ignore[no-untyped-def]
    data = sample("mt103_clean.fin").replace(b"JOHANNA MUELLER", b"JOHANNA M\xdcLLER")
    extracted = extract_mt(data)
    assert any("not valid UTF-8" in w for w in extracted.warnings)
    assert any("field :59: (line 10)" in w and "U+FFFD" in w for w in extracted.warnings)
    assert _party(extracted, "beneficiary").name == "JOHANNA M\ufffdLLER"
    assert extract_mt(data, encoding="latin-1").warnings == []


def test_long_lines_are_reported(sample) -> None:  # type: ignore[no-untyped-def]
    data = sample("mt103_clean.fin").replace(b"INVOICE 2024-117 OFFICE CHAIRS", b"INVOICE " + b"X" * 40)
    assert any("field :70: (line 14)" in w and "48 characters" in w for w in extract_mt(data).warnings)


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (b"{1:F01EXAMGB2LAXXX0000000001}{2:I103EXAMPKKAXXXXN}{4:\n:20:X\n:59:A\n", "block 4 .* not closed"),
        (b"{1:F01EXAMGB2LAXXX0000000001{2:I103", "block 1 is not closed"),
        (b"{1:F01EXAMGB2LAXXX0000000001}{2:I103EXAMPKKAXXXXN}", "text block \\{4:\\} is missing"),
        (b"{1:F01EXAMGB2LAXXX0000000001}garbage", "expected a block"),
        (b"   \n", "empty"),
        (b":20:X\n:32A:250105USD1,00\n-", "no party and no free text"),
    ],
)
def test_unreadable_structure_is_a_clear_error(data: bytes, match: str) -> None:
    with pytest.raises(MessageFormatError, match=match):
        extract_mt(data)


def test_binary_and_other_types() -> None:
    with pytest.raises(TextInputError, match="PNG"):
        extract_mt(b"\x89PNG\r\n\x1a\n" + b"\x00" * 50)
    other = "{1:F01EXAMGB2LAXXX0000000001}{2:I199EXAMPKKAXXXXN}{4:\n:20:R1\n:79:PLEASE CHECK\n-}"
    extracted = extract_mt(other)
    assert any("MT199 is not MT103 or MT202COV" in w for w in extracted.warnings)
    assert extracted.text == "PLEASE CHECK"
