"""ISO 20022 pacs.008 / pain.001: parties, agents, addresses, remittance text, validation, hostile XML."""

from __future__ import annotations

import time

import pytest

from ctscreen.text import TextInputError, detect_format, screen_text
from ctscreen.text.formats import MessageFormatError, MessageParty, extract_iso20022

PACS = "urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"


def _party(extracted, field: str) -> MessageParty:  # type: ignore[no-untyped-def]
    for party in extracted.parties:
        if party.field == field or (party.field or "").startswith(field + " ("):
            return party
    raise AssertionError(f"no party {field}: {[p.field for p in extracted.parties]}")


def _field_text(extracted, label: str) -> str:  # type: ignore[no-untyped-def]
    for name, start, end in extracted.fields:
        if name == label:
            return extracted.text[start:end]
    raise AssertionError(f"no field {label}: {extracted.fields}")


def _alerts(hits) -> set[str]:  # type: ignore[no-untyped-def]
    return {h.ref for h in hits if h.alert}


def _pacs(transaction: str, header_extra: str = "", count: int = 1) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="{PACS}"><FIToFICstmrCdtTrf>
<GrpHdr><MsgId>M1</MsgId><CreDtTm>2025-01-05T10:00:00Z</CreDtTm><NbOfTxs>{count}</NbOfTxs>
<SttlmInf><SttlmMtd>INDA</SttlmMtd></SttlmInf>{header_extra}</GrpHdr>
<CdtTrfTxInf>{transaction}</CdtTrfTxInf></FIToFICstmrCdtTrf></Document>""".encode()


TX = (
    "<PmtId><EndToEndId>E1</EndToEndId></PmtId><IntrBkSttlmAmt Ccy='EUR'>1.00</IntrBkSttlmAmt>"
    "<ChrgBr>SHAR</ChrgBr><Dbtr><Nm>Anna Kowalska</Nm></Dbtr>"
    "<DbtrAgt><FinInstnId><BICFI>DEMODEFFXXX</BICFI></FinInstnId></DbtrAgt>"
    "<CdtrAgt><FinInstnId><BICFI>TESTGB2LXXX</BICFI></FinInstnId></CdtrAgt>"
    "<Cdtr><Nm>Sven Olaf Lindqvist</Nm></Cdtr>"
)


# -- reading -------------------------------------------------------------------------------------------------


def test_pacs008_parties(sample) -> None:  # type: ignore[no-untyped-def]
    extracted = extract_iso20022(sample("pacs008_listed.xml"))
    assert extracted.warnings == []
    debtor = _party(extracted, "CdtTrfTxInf[1]/Dbtr")
    assert debtor.role == "debtor" and debtor.name == "Hafiz Muhammad Saeed"
    assert debtor.query.schema == "person" and debtor.query.dob == "1950-06-05"
    assert debtor.query.country == "PK" and debtor.account == "GB29NWBK60161331926819"
    assert debtor.address == ("Mohalla Johar", "116E", "Lahore")
    assert ("place-of-birth", "Sargodha") in debtor.identifiers
    creditor = _party(extracted, "CdtTrfTxInf[1]/Cdtr")
    assert creditor.role == "creditor" and creditor.address == ("Muridke", "Street 4, Block C")
    ultimate = _party(extracted, "CdtTrfTxInf[1]/UltmtCdtr")
    assert ultimate.role == "ultimate-creditor" and ultimate.query.schema == "organization"
    assert ultimate.query.id_number == "REG-55231"
    agent = _party(extracted, "CdtTrfTxInf[1]/CdtrAgt")
    assert agent.role == "creditor-agent" and agent.bic == "EXAMPKKAXXX"
    assert agent.query.country == "PK" and agent.query.id_number == "EXAMPKKA"
    # the same debtor agent in both transactions is screened once
    assert _party(extracted, "CdtTrfTxInf[1]/DbtrAgt").field == "CdtTrfTxInf[1]/DbtrAgt (and 1 more)"
    named_agent = _party(extracted, "CdtTrfTxInf[2]/CdtrAgt")
    assert named_agent.name == "Demo Bank AG" and named_agent.query.country == "DE"
    lei = _party(extracted, "CdtTrfTxInf[2]/Dbtr")
    assert (
        lei.query.id_number == "549300EXAMPLE0000042" and ("lei", "549300EXAMPLE0000042") in lei.identifiers
    )
    assert [p.role for p in extracted.parties][:2] == ["instructing-agent", "instructed-agent"]


def test_remittance_text_fields(sample) -> None:  # type: ignore[no-untyped-def]
    extracted = extract_iso20022(sample("pacs008_listed.xml"))
    assert (
        _field_text(extracted, "CdtTrfTxInf[1]/RmtInf/Ustrd")
        == "Donation for Jamaat-ud-Dawa flood relief programme"
    )
    assert _field_text(extracted, "CdtTrfTxInf[2]/RmtInf/Ustrd") == "Invoice 2025-0042 surgical gloves"
    assert "Street 4" not in extracted.text  # address lines are party details, not scanned text
    scanned = extract_iso20022(sample("pacs008_listed.xml"), scan_addresses=True)
    assert _field_text(scanned, "CdtTrfTxInf[1]/Cdtr/PstlAdr/AdrLine") == "Street 4, Block C"


def test_ustrd_cut_at_140_characters_is_joined() -> None:
    first = "Payment for services rendered under contract 2025/117, second instalment, as agreed; beneficiary reference Tehrik-e Tali"
    first = first.rjust(140, "X")
    tx = TX + (
        f"<RmtInf><Ustrd>{first}</Ustrd><Ustrd>ban Pakistan</Ustrd></RmtInf>"
        "<InstrForCdtrAgt><InstrInf>Call the creditor</InstrInf></InstrForCdtrAgt>"
    )
    extracted = extract_iso20022(_pacs(tx))
    assert _field_text(extracted, "CdtTrfTxInf[1]/RmtInf/Ustrd").endswith("Tehrik-e Taliban Pakistan")
    assert _field_text(extracted, "CdtTrfTxInf[1]/InstrForCdtrAgt[1]/InstrInf") == "Call the creditor"


def test_pain001_parties(sample) -> None:  # type: ignore[no-untyped-def]
    extracted = extract_iso20022(sample("pain001_listed.xml"))
    assert extracted.warnings == []
    assert _party(extracted, "GrpHdr/InitgPty").role == "initiating-party"
    debtor = _party(extracted, "PmtInf[1]/Dbtr")
    assert debtor.role == "debtor" and debtor.query.country == "HK" and debtor.account == "123-456789-001"
    creditor = _party(extracted, "PmtInf[1]/CdtTrfTxInf[1]/Cdtr")
    assert creditor.query.id_number == "A-333602" and creditor.query.dob == "1955-12-26"
    assert ("passport", "A-333602") in creditor.identifiers
    assert _party(extracted, "PmtInf[1]/CdtTrfTxInf[2]/IntrmyAgt1").role == "intermediary"
    assert _party(extracted, "PmtInf[1]/CdtTrfTxInf[2]/UltmtCdtr").role == "ultimate-creditor"


def test_document_in_an_envelope_and_detection(sample) -> None:  # type: ignore[no-untyped-def]
    document = sample("pacs008_listed.xml").split(b"?>", 1)[1]
    wrapped = (
        b'<?xml version="1.0" encoding="UTF-8"?><BusMsg><AppHdr xmlns="urn:iso:std:iso:20022:tech:xsd:head.001.001.02">'
        b"<BizMsgIdr>B1</BizMsgIdr><MsgDefIdr>pacs.008.001.08</MsgDefIdr></AppHdr>" + document + b"</BusMsg>"
    )
    extracted = extract_iso20022(wrapped)
    assert _party(extracted, "CdtTrfTxInf[1]/Dbtr").name == "Hafiz Muhammad Saeed"
    assert detect_format(wrapped) == "iso20022"
    assert detect_format(sample("pain001_listed.xml")) == "iso20022"
    assert detect_format(b"<html><body>pacs.008</body></html>") == "html"


# -- screening on the real lists -----------------------------------------------------------------------------


@pytest.mark.realdata
def test_screen_pacs008(real_screener, sample) -> None:  # type: ignore[no-untyped-def]
    result = screen_text(real_screener, sample("pacs008_listed.xml"), "auto", "payments")
    assert result.format == "iso20022"
    by_field = {p.field.split(" (")[0]: p for p in result.parties}
    assert {"QDi.263", "9215"} <= _alerts(by_field["CdtTrfTxInf[1]/Dbtr"].hits)
    assert {"QDe.118", "7140", "7241"} <= _alerts(by_field["CdtTrfTxInf[1]/Cdtr"].hits)
    assert {"QDe.121", "7946", "8703"} <= _alerts(by_field["CdtTrfTxInf[1]/UltmtCdtr"].hits)
    alerting = {field for field, p in by_field.items() if p.alert}
    assert alerting == {"CdtTrfTxInf[1]/Dbtr", "CdtTrfTxInf[1]/Cdtr", "CdtTrfTxInf[1]/UltmtCdtr"}
    [mention] = [m for m in result.mentions if m.alert]
    assert mention.field == "CdtTrfTxInf[1]/RmtInf/Ustrd" and mention.text == "Jamaat-ud-Dawa"
    assert "QDe.118" in {h.hit.ref for h in mention.hits if h.alert}


@pytest.mark.realdata
def test_screen_pain001(real_screener, sample) -> None:  # type: ignore[no-untyped-def]
    result = screen_text(real_screener, sample("pain001_listed.xml"), "iso20022", "payments")
    alerting = {p.field: p for p in result.parties if p.alert}
    assert set(alerting) == {"PmtInf[1]/CdtTrfTxInf[1]/Cdtr"}
    hits = alerting["PmtInf[1]/CdtTrfTxInf[1]/Cdtr"].hits
    assert {"QDi.135", "7863"} <= _alerts(hits)
    # the listed passport number is evidence on the hit
    un = next(h for h in hits if h.ref == "QDi.135")
    assert any(a.field == "identifier" for a in un.adjustments)
    assert not any(m.alert for m in result.mentions)


# -- bad input -----------------------------------------------------------------------------------------------


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE Document [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"><FIToFICstmrCdtTrf><GrpHdr>
<MsgId>&secret;</MsgId></GrpHdr></FIToFICstmrCdtTrf></Document>"""

BOMB = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'.encode()
        for i in range(1, 10)
    )
    + b']>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"><FIToFICstmrCdtTrf><GrpHdr>'
    b"<MsgId>&lol9;</MsgId></GrpHdr></FIToFICstmrCdtTrf></Document>"
)


@pytest.mark.parametrize(("data", "line"), [(XXE, 2), (BOMB, 2)], ids=["external-entity", "entity-bomb"])
def test_entities_are_refused(data: bytes, line: int) -> None:
    started = time.perf_counter()
    with pytest.raises(MessageFormatError, match="declares a DTD or entities; refused") as caught:
        extract_iso20022(data)
    assert caught.value.line == line and time.perf_counter() - started < 1
    assert "root:" not in str(caught.value)


def test_a_doctype_after_a_long_prolog_is_refused() -> None:
    data = b'<?xml version="1.0"?>\n<!--' + b"x" * 100_000 + b"-->\n" + XXE.split(b"\n", 1)[1]
    with pytest.raises(MessageFormatError, match="DTD or entities"):
        extract_iso20022(data)


def test_non_utf8_bytes_give_a_partial_result(sample) -> None:  # type: ignore[no-untyped-def]
    data = sample("pain001_listed.xml").replace(b"Anna Kowalska", b"Anna Kowalsk\xe1")
    extracted = extract_iso20022(data)
    [warning] = extracted.warnings
    assert "not valid UTF-8" in warning and "line 45" in warning
    assert _party(extracted, "PmtInf[1]/CdtTrfTxInf[2]/Cdtr").name == "Anna Kowalsk\ufffd"
    assert len(extracted.parties) == 9


def test_declared_latin1_is_read() -> None:
    data = _pacs(TX.replace("Anna Kowalska", "Anna Kowalsk\u00e1")).decode()
    data = data.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').encode("latin-1")
    extracted = extract_iso20022(data)
    assert extracted.warnings == [] and _party(extracted, "CdtTrfTxInf[1]/Dbtr").name == "Anna Kowalská"


def test_missing_mandatory_elements_are_named() -> None:
    tx = TX.replace("<Dbtr><Nm>Anna Kowalska</Nm></Dbtr>", "").replace("<ChrgBr>SHAR</ChrgBr>", "")
    extracted = extract_iso20022(_pacs(tx, count=2))
    text = "\n".join(extracted.warnings)
    assert "pacs.008 element CdtTrfTxInf[1] (line 5): mandatory element <ChrgBr> is missing" in text
    assert "mandatory element <Dbtr> is missing" in text
    assert "NbOfTxs says 2 but the message has 1" in text
    assert [p.name for p in extracted.parties] == ["DEMODEFFXXX", "TESTGB2LXXX", "Sven Olaf Lindqvist"]
    with pytest.raises(MessageFormatError, match=r"CdtTrfTxInf\[1\] \(line 5\): mandatory element <ChrgBr>"):
        extract_iso20022(_pacs(tx), strict=True)


def test_bad_values_are_named() -> None:
    tx = TX.replace("<Nm>Anna Kowalska</Nm>", "<Nm>Anna Kowalska</Nm><PstlAdr><Ctry>XX</Ctry></PstlAdr>")
    tx = tx.replace("DEMODEFFXXX", "NOT-A-BIC").replace(
        "<Cdtr><Nm>Sven Olaf Lindqvist</Nm></Cdtr>", "<Cdtr/>"
    )
    warnings = "\n".join(extract_iso20022(_pacs(tx)).warnings)
    assert "CdtTrfTxInf[1]/Dbtr/PstlAdr/Ctry" in warnings and "'XX' is not an ISO 3166 code" in warnings
    assert "CdtTrfTxInf[1]/DbtrAgt/FinInstnId/BICFI" in warnings and "not a BIC" in warnings
    assert "CdtTrfTxInf[1]/Cdtr" in warnings and "no name (Nm) and no BIC" in warnings


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (_pacs(TX)[:-40], "malformed or truncated XML"),
        (b"", "empty"),
        (
            b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt/></Document>',
            "camt.053.001.08 <BkToCstmrStmt> is not supported",
        ),
        (b"<Invoice><Total>1</Total></Invoice>", "root element is <Invoice>"),
        (b'<Document xmlns="urn:x"><Other/></Document>', "not an ISO 20022 pacs.008"),
        (
            b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"><FIToFICstmrCdtTrf>'
            b"<GrpHdr><MsgId>1</MsgId></GrpHdr></FIToFICstmrCdtTrf></Document>",
            "no party and no free text",
        ),
    ],
)
def test_unreadable_input_is_a_clear_error(data: bytes, match: str) -> None:
    with pytest.raises(TextInputError, match=match):
        extract_iso20022(data)
