"""Safe XML parsing for every XML list format.

List files come from the network. A hostile or broken file must not read local files or URLs (external
entities), nor blow up memory (entity-expansion "billion laughs"). We refuse any document that declares a
DTD or entities -- no official list format uses them -- and parse with entity resolution and network access
off, so nothing is expanded even if a declaration slipped past the check.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from ctscreen.errors import ListFormatError
from ctscreen.sources.base import looks_like_html

_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(path: Path, *, expected_roots: tuple[str, ...]) -> etree._Element:
    """Parse `path` and return its root element, whose local name must be one of `expected_roots`."""
    data = path.read_bytes()
    return parse_xml_bytes(data, name=str(path), expected_roots=expected_roots)


def parse_xml_bytes(data: bytes, *, name: str, expected_roots: tuple[str, ...]) -> etree._Element:
    if not data.strip():
        raise ListFormatError("file is empty", file=name)
    if looks_like_html(data):
        raise ListFormatError("an HTML page, not an XML list (a failed or blocked download?)", file=name)
    match = _DOCTYPE.search(data[:65536])
    if match:
        line = data[: match.start()].count(b"\n") + 1
        raise ListFormatError(
            "XML declares a DTD or entities; refused (external-entity and entity-expansion protection)",
            file=name,
            line=line,
        )
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        raise ListFormatError(f"malformed or truncated XML: {exc.msg}", file=name, line=line) from None
    if root is None:
        raise ListFormatError("no XML root element", file=name)
    tag = local_name(root)
    if tag not in expected_roots:
        raise ListFormatError(
            f"root element is <{tag}>, expected <{'> or <'.join(expected_roots)}>",
            file=name,
            line=root.sourceline,
        )
    return root


def local_name(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def child_text(element: etree._Element, name: str) -> str | None:
    """Text of the first child with local name `name` (namespace ignored), or None."""
    for child in element:
        if local_name(child) == name:
            return child.text
    return None


def children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element if local_name(child) == name]
