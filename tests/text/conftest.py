"""Fixtures of the text-screening tests: small documents made in the test (PDFs included)."""

from __future__ import annotations

import pytest


def make_pdf(lines: list[str] | None) -> bytes:
    """A one-page PDF written by hand: `lines` in its text layer, or (None) a page with no text at all, as a
    scanned image has. Only ASCII without parentheses or backslashes in `lines`."""
    content = b""
    if lines:
        shown = b" ".join(b"(" + line.encode("ascii") + b") Tj 0 -16 Td" for line in lines)
        content = b"BT /F1 11 Tf 72 720 Td 14 TL " + shown + b" ET"
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += str(number).encode() + b" 0 obj\n" + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 " + str(len(bodies) + 1).encode() + b"\n0000000000 65535 f \n"
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += b"trailer\n<< /Size " + str(len(bodies) + 1).encode() + b" /Root 1 0 R >>\nstartxref\n"
    out += str(xref).encode() + b"\n%%EOF\n"
    return bytes(out)


@pytest.fixture
def pdf_maker():  # type: ignore[no-untyped-def]
    return make_pdf
