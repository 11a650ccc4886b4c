"""Text extraction: plain text, HTML, PDF; limits and bad input give a clear error or warnings."""

from __future__ import annotations

import os

import pytest

from ctscreen.text import TextInputError, detect_format, extract
from ctscreen.text.extract import binary_reason, decode


def test_plain_utf8() -> None:
    fmt, out = extract(b"Tehrik-e-Taliban Pakistan")
    assert fmt == "plain"
    assert out.text == "Tehrik-e-Taliban Pakistan"
    assert out.warnings == []


def test_non_utf8_bytes_are_replaced_with_a_warning() -> None:
    data = "Lashkar-e-Taiba in Lahore, caf\u00e9".encode("cp1252")
    fmt, out = extract(data)
    assert "Lashkar-e-Taiba" in out.text
    assert "\ufffd" in out.text
    assert len(out.warnings) == 1 and "not valid UTF-8" in out.warnings[0]


def test_explicit_encoding() -> None:
    data = "caf\u00e9 Taliban".encode("cp1252")
    _, out = extract(data, encoding="cp1252")
    assert out.text == "caf\u00e9 Taliban" and out.warnings == []
    with pytest.raises(TextInputError, match="unknown encoding"):
        extract(data, encoding="no-such-codec")


def test_utf16_with_bom() -> None:
    data = "\ufeffTTP claimed the attack".encode("utf-16-le")
    _, out = extract(data)
    assert out.text == "TTP claimed the attack"


def test_binary_junk_is_refused() -> None:
    junk = os.urandom(20_000)
    with pytest.raises(TextInputError, match="binary|control|NUL"):
        extract(junk)
    with pytest.raises(TextInputError, match="ZIP"):
        extract(b"PK\x03\x04" + junk)
    assert binary_reason(b"plain words\n") is None


def test_oversize_input_is_refused_with_the_limit() -> None:
    data = b"a" * 2048
    with pytest.raises(TextInputError, match=r"more than the 0\.0 MB limit|limit"):
        extract(data, max_bytes=1024)
    fmt, out = extract(data, max_bytes=4096)
    assert len(out.text) == 2048


def test_default_limit_is_50_mb() -> None:
    from ctscreen.text import DEFAULT_MAX_BYTES

    assert DEFAULT_MAX_BYTES == 50 * 1024 * 1024


def test_html_visible_text_only() -> None:
    html = b"""<!DOCTYPE html><html><head><title>Attack in Peshawar</title>
    <script>var group = "Lashkar-e-Taiba"; alert("TTP")</script><style>.x{content:"al-Qaida"}</style></head>
    <body><h1>Blast</h1><p>The banned <b>Tehrik-e-Taliban</b> Pakistan claimed it.</p>
    <!-- Jaish-e-Mohammed in a comment --><noscript>Haqqani network</noscript></body></html>"""
    assert detect_format(html) == "html"
    fmt, out = extract(html)
    assert fmt == "html"
    assert "Tehrik-e-Taliban Pakistan claimed it." in out.text
    assert "Attack in Peshawar" in out.text
    for hidden in ("Lashkar", "TTP", "al-Qaida", "Jaish", "Haqqani"):
        assert hidden not in out.text
    assert any("script/style" in w for w in out.warnings)
    # block elements become line breaks: the heading is its own line
    assert "Blast\n" in out.text


def test_html_meta_charset_and_entities() -> None:
    html = '<html><head><meta charset="windows-1252"></head><body><p>Caf\u00e9 &amp; Daesh</p></body></html>'
    _, out = extract(html.encode("cp1252"), "html")
    assert "Caf\u00e9 & Daesh" in out.text


def test_pdf_with_text(pdf_maker) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("pypdf", reason="PDF input needs pypdf (a dependency of text screening)")
    data = pdf_maker(["The banned Lashkar-e-Taiba and the TTP", "were named in the report."])
    assert detect_format(data) == "pdf"
    fmt, out = extract(data)
    assert fmt == "pdf"
    assert "Lashkar-e-Taiba" in out.text and "TTP" in out.text
    assert out.warnings == []


def test_pdf_without_text_layer_warns(pdf_maker) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("pypdf", reason="PDF input needs pypdf (a dependency of text screening)")
    _, out = extract(pdf_maker(None))
    assert out.text == ""
    assert any("no text layer" in w for w in out.warnings)


def test_broken_pdf_is_a_clear_error() -> None:
    pytest.importorskip("pypdf", reason="PDF input needs pypdf (a dependency of text screening)")
    with pytest.raises(TextInputError, match="PDF"):
        extract(b"%PDF-1.4\n" + os.urandom(3000), "pdf")
    with pytest.raises(TextInputError, match="does not start with %PDF"):
        extract(b"hello", "pdf")


def test_unknown_and_unregistered_formats() -> None:
    with pytest.raises(TextInputError, match="unknown format"):
        extract(b"x", "docx")
    from ctscreen.text.api import _FORMATS

    if "paxlst" not in _FORMATS:
        with pytest.raises(TextInputError, match="no handler is registered"):
            extract(b"UNA:+.? '", "paxlst")


def test_decode_counts_bad_bytes() -> None:
    text, warnings = decode(b"ok \xff\xfe ok")
    assert text.startswith("ok ") and warnings and "2 byte sequence" in warnings[0]
