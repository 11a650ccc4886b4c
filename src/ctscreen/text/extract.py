"""Text out of plain-text, HTML and PDF input, with limits and warnings.

Never a crash and never a silent empty result: input that cannot be read as the format raises
`TextInputError` with a message saying why; input that can be partly read comes back with `warnings`
(bytes that were not UTF-8, a PDF page without a text layer, script content left out ...).

- **plain**: UTF-8 (a BOM selects UTF-8/16/32); bytes that are not UTF-8 are replaced by U+FFFD and
  counted in a warning, unless an `encoding` is given. Input that looks binary (NUL bytes, many control
  characters, a known binary signature) is refused.
- **html**: parsed with lxml.html (no network, no entities fetched); `<script>`, `<style>`, `<noscript>`,
  `<template>`, `<svg>`, `<iframe>`, `<object>` and comments are dropped; block elements become line breaks,
  so headings and paragraphs are separate sentences. The charset comes from a BOM or `<meta charset>`,
  else UTF-8.
- **pdf**: the text layer of each page, by pypdf. A page with no text (a scanned image) gives a warning;
  a PDF with no text at all gives a warning, not an empty success. Encrypted PDFs are opened with an empty
  password when they allow it, else refused.
"""

from __future__ import annotations

import codecs
import io
import re
from dataclasses import dataclass, field

from ctscreen.errors import CTScreenError

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
MAX_PDF_PAGES = 5000
_SNIFF = 65_536

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a ZIP archive (also DOCX/XLSX/ODT)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x7fELF", "an ELF executable"),
    (b"MZ", "a Windows executable"),
    (b"\xd0\xcf\x11\xe0", "an OLE file (legacy Word/Excel)"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ", "an xz archive"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"SQLite format 3", "an SQLite database"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CONTROL = bytes(c for c in range(32) if c not in (9, 10, 11, 12, 13, 27)) + b"\x7f"
_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|div|p|article|section|span|table|h[1-6])\b",
    re.IGNORECASE | re.DOTALL,
)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


class TextInputError(CTScreenError):
    """Input that cannot be screened as text: too large, binary, not the format it claims to be."""


@dataclass
class Extracted:
    """What a format handler gives back: the text to scan for mentions, structured parties to screen as
    queries (payments, manifests), warnings, and optionally the message field of each stretch of text."""

    text: str
    warnings: list[str] = field(default_factory=list)
    parties: list = field(default_factory=list)  # list[ctscreen.text.api.Party]
    fields: list[tuple[str, int, int]] = field(default_factory=list)  # (label, start, end) in `text`


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"


def check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise TextInputError(
            f"input is {_mb(size)} ({size} bytes), more than the {_mb(max_bytes)} limit "
            "(raise it with --max-mb / max_bytes)"
        )


def binary_reason(data: bytes) -> str | None:
    """Why `data` is not text (a known binary signature, NUL bytes, many control bytes), or None."""
    for signature, what in _SIGNATURES:
        if data.startswith(signature):
            return f"the input is {what}, not text"
    if data.startswith(b"%PDF-"):
        return "the input is a PDF: use --format pdf (or auto)"
    head = data[:_SNIFF]
    if not head:
        return None
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return None
    # UTF-16 without a BOM has NULs at every other byte: that is text, handled by decode()
    if head.count(0) > max(1, len(head) // 1000) and _utf16_guess(head) is None:
        return f"the input has {head.count(0)} NUL bytes in its first {len(head)} bytes: binary, not text"
    controls = sum(head.count(c) for c in _CONTROL)
    if controls > len(head) * 0.05:
        return f"{controls} of the first {len(head)} bytes are control characters: binary, not text"
    return None


def _utf16_guess(head: bytes) -> str | None:
    even = head[0::2].count(0)
    odd = head[1::2].count(0)
    half = max(1, len(head) // 2)
    if odd > 0.4 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.4 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def decode(data: bytes, encoding: str | None = None) -> tuple[str, list[str]]:
    """Text of `data`: the given encoding, else BOM, else UTF-16 by its NUL pattern, else UTF-8 with any
    undecodable bytes replaced (U+FFFD) and counted in a warning."""
    warnings: list[str] = []
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise TextInputError(f"unknown encoding {encoding!r}") from None
        text = data.decode(encoding, errors="replace")
        bad = text.count("\ufffd")
        if bad:
            warnings.append(f"{bad} byte sequence(s) were not valid {encoding} and were replaced by U+FFFD")
        return text, warnings
    for bom, name in _BOMS:
        if data.startswith(bom):
            text = data[len(bom) :].decode(name, errors="replace")
            bad = text.count("\ufffd")
            if bad:
                warnings.append(f"{bad} byte sequence(s) were not valid {name} and were replaced by U+FFFD")
            return text, warnings
    guess = _utf16_guess(data[:_SNIFF]) if data[:_SNIFF].count(0) > 2 else None
    if guess:
        warnings.append(f"no byte-order mark: read as {guess} from its NUL-byte pattern")
        return data.decode(guess, errors="replace"), warnings
    try:
        return data.decode("utf-8"), warnings
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", errors="replace")
        bad = text.count("\ufffd") - data.decode("utf-8", errors="ignore").count("\ufffd")
        warnings.append(
            f"{bad} byte sequence(s) were not valid UTF-8 (first at byte {exc.start}) and were replaced "
            "by U+FFFD; matching continued on the rest (give the right encoding with --encoding, e.g. cp1252)"
        )
        return text, warnings


def _check_decoded(text: str) -> None:
    sample = text[:_SNIFF]
    if not sample:
        return
    junk = sample.count("\ufffd") + sum(1 for c in sample if c < " " and c not in "\t\n\r\f\v\x1b")
    if junk > 0.3 * len(sample):
        raise TextInputError(
            f"{junk} of the first {len(sample)} characters are undecodable or control characters: "
            "binary junk, not text"
        )


def extract_plain(data: bytes | str, *, encoding: str | None = None) -> Extracted:
    if isinstance(data, str):
        return Extracted(data)
    reason = binary_reason(data)
    if reason:
        raise TextInputError(reason)
    text, warnings = decode(data, encoding)
    _check_decoded(text)
    return Extracted(text, warnings)


# -- HTML ----------------------------------------------------------------------------------------------------

_DROP_TAGS = frozenset(
    {"script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "canvas"}
)
_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "br",
        "caption",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "title",
        "tr",
        "ul",
    ]
)


def _html_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii", "ignore")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def extract_html(data: bytes | str, *, encoding: str | None = None) -> Extracted:
    import lxml.html
    from lxml import etree

    warnings: list[str] = []
    if isinstance(data, bytes):
        reason = binary_reason(data)
        if reason:
            raise TextInputError(reason)
        text, warnings = decode(data, encoding or _html_charset(data))
    else:
        text = data
    text = _XML_DECLARATION.sub("", text, count=1)
    if not text.strip():
        raise TextInputError("the HTML input is empty")
    parser = lxml.html.HTMLParser(
        remove_comments=True, remove_pis=True, no_network=True, recover=True, huge_tree=False
    )
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise TextInputError(f"not readable as HTML: {exc}") from None
    dropped = 0
    parts: list[str] = []
    # Iterative walk (deeply nested junk must not exhaust the stack): (element, phase) pairs.
    stack: list[tuple[object, bool]] = [(root, False)]
    while stack:
        element, closing = stack.pop()
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.lower().rsplit("}", 1)[-1]
        if closing:
            if tag in _BLOCK_TAGS:
                parts.append("\n\n" if tag not in ("br", "td", "th", "li", "dt", "dd") else "\n")
            if element.tail:
                parts.append(element.tail)
            continue
        if tag in _DROP_TAGS:
            dropped += 1
            if element.tail:
                parts.append(element.tail)
            continue
        if not isinstance(element.tag, str):  # comment or processing instruction left by recover mode
            if element.tail:
                parts.append(element.tail)
            continue
        if tag in _BLOCK_TAGS:
            parts.append("\n")
        if element.text:
            parts.append(element.text)
        stack.append((element, True))
        for child in reversed(element):
            stack.append((child, False))
    out = re.sub(r"[ \t\r\f\v\u00a0]+", " ", "".join(parts))
    out = re.sub(r" ?\n ?", "\n", out)
    out = re.sub(r"\n{3,}", "\n\n", out).strip()
    if dropped:
        warnings.append(f"{dropped} script/style/embedded element(s) were not screened")
    if not out:
        warnings.append("the HTML has no visible text")
    return Extracted(out, warnings)


# -- PDF -----------------------------------------------------------------------------------------------------


def extract_pdf(data: bytes | str, *, max_pages: int = MAX_PDF_PAGES) -> Extracted:
    if isinstance(data, str):
        raise TextInputError("a PDF must be given as bytes")
    if not data.lstrip()[:5] == b"%PDF-":
        raise TextInputError("not a PDF: the input does not start with %PDF-")
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError:  # pragma: no cover - pypdf is a dependency of text screening
        raise TextInputError("PDF input needs the pypdf package (pip install pypdf)") from None
    warnings: list[str] = []
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise TextInputError("the PDF is encrypted with a password: cannot read its text")
            except TextInputError:
                raise
            except Exception as exc:
                raise TextInputError(f"the PDF is encrypted and cannot be opened: {exc}") from None
            warnings.append("the PDF is encrypted; it opened without a password")
        pages = reader.pages
        count = len(pages)
    except TextInputError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, IndexError, AttributeError, OSError) as exc:
        raise TextInputError(f"not a readable PDF: {exc}") from None
    except Exception as exc:  # pypdf raises assorted errors on broken files
        raise TextInputError(f"not a readable PDF: {type(exc).__name__}: {exc}") from None
    if count == 0:
        raise TextInputError("the PDF has no pages")
    if count > max_pages:
        warnings.append(f"the PDF has {count} pages; only the first {max_pages} were read")
        count = max_pages
    texts: list[str] = []
    empty: list[int] = []
    failed: list[str] = []
    for number in range(count):
        try:
            page_text = pages[number].extract_text() or ""
        except Exception as exc:  # one broken page must not lose the others
            failed.append(f"page {number + 1}: {type(exc).__name__}: {exc}")
            page_text = ""
        if not page_text.strip():
            empty.append(number + 1)
        texts.append(page_text.strip())
    if failed:
        warnings.append("text of some pages could not be extracted: " + "; ".join(failed[:5]))
    if len(empty) == count:
        warnings.append(
            f"the PDF has no text layer ({count} page(s) without text; a scanned image?): nothing was "
            "screened. OCR is not done; screen an OCR'd copy"
        )
    elif empty:
        shown = ", ".join(map(str, empty[:20])) + (" ..." if len(empty) > 20 else "")
        warnings.append(f"{len(empty)} page(s) have no text layer and were not screened: {shown}")
    return Extracted("\n\n".join(t for t in texts if t), warnings)


def looks_like_html(data: bytes) -> bool:
    head = data[:4096]
    if head.startswith(codecs.BOM_UTF8):
        head = head[3:]
    return bool(_HTML_START.match(head))


def looks_like_pdf(data: bytes) -> bool:
    return data.lstrip()[:5] == b"%PDF-"
