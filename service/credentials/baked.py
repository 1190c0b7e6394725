"""Baked badges: the Open Badges payload inside a PNG (iTXt chunk) or an SVG (openbadges element)."""

from __future__ import annotations

import base64
import binascii
import struct
import urllib.parse
import zlib
from typing import Literal
from xml.etree import ElementTree

from .errors import FormatError
from .jose import is_compact_jws

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_KEYWORDS = (b"openbadges", b"openbadgecredential")
SVG_NS = "{http://openbadges.org}"  # Open Badges 2.0 baking
SVG_NS_3 = "{https://purl.imsglobal.org/ob/v3p0}"  # Open Badges 3.0 baking (its openbadges:credential element)
SVG_ELEMENTS = (SVG_NS + "assertion", SVG_NS + "credential", SVG_NS_3 + "credential")
MAX_TEXT = 1 << 20
Kind = Literal["png", "svg", "json", "jws"]


def sniff(data: bytes) -> Kind:
    """What an uploaded badge file holds, from its first bytes."""
    if data.startswith(PNG_SIGNATURE):
        return "png"
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:3]
    kinds: dict[bytes, Kind] = {b"<": "svg", b"{": "json", b"eyJ": "jws"}
    for start, kind in kinds.items():
        if head.startswith(start):
            return kind
    raise FormatError("not an Open Badges file: expected JSON, a JWT, a baked PNG or a baked SVG",
                      offset=0, kind="unsupported_badge_file")


def decoded(data: bytes, what: str) -> str:
    """UTF-8 text of a payload, or a FormatError saying where decoding broke."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormatError(f"{what} is not valid UTF-8", offset=exc.start) from exc


def png_payload(data: bytes) -> str:
    """The text of the openbadges (2.0) or openbadgecredential (3.0) iTXt chunk of a PNG."""
    if not data.startswith(PNG_SIGNATURE):
        raise FormatError("not a PNG file (bad signature)", offset=0)
    pos = len(PNG_SIGNATURE)
    while True:
        kind, body, end = png_chunk(data, pos)
        found = itxt_text(body, pos) if kind == b"iTXt" else None
        if found is not None:
            return found
        if kind == b"IEND":
            raise FormatError("the PNG has no openbadges iTXt chunk (not a baked badge)", offset=pos)
        pos = end


def png_chunk(data: bytes, pos: int) -> tuple[bytes, bytes, int]:
    """The type and data of the PNG chunk at pos, and where the next starts; CRC checked."""
    if pos + 12 > len(data):
        raise FormatError("the PNG ends without an IEND chunk (truncated)", offset=pos)
    length, kind = struct.unpack(">I4s", data[pos : pos + 8])
    end = pos + 12 + length
    name = kind.decode("latin-1")
    if end > len(data):
        raise FormatError(f"PNG chunk {name!r} runs past the end of the file", offset=pos)
    body = data[pos + 8 : end - 4]
    if zlib.crc32(kind + body) != int.from_bytes(data[end - 4 : end], "big"):
        raise FormatError(f"PNG chunk {name!r} fails its CRC check", offset=pos)
    return kind, body, end


def itxt_text(body: bytes, pos: int) -> str | None:
    """The text of an Open Badges iTXt chunk (inflated when compressed), or None for other keywords."""
    keyword, _, rest = body.partition(b"\0")
    if keyword not in PNG_KEYWORDS:
        return None
    if len(rest) < 2:
        raise FormatError("truncated openbadges iTXt chunk", offset=pos)
    compressed, rest = rest[0], rest[2:]
    _language, _, rest = rest.partition(b"\0")
    _translated, _, payload = rest.partition(b"\0")
    if compressed:
        inflater = zlib.decompressobj()
        try:
            payload = inflater.decompress(payload, MAX_TEXT)
        except zlib.error as exc:
            raise FormatError("the openbadges iTXt text does not inflate", offset=pos) from exc
        if inflater.unconsumed_tail:
            raise FormatError(f"the openbadges iTXt text inflates past {MAX_TEXT} bytes", offset=pos)
    return decoded(payload, "the openbadges iTXt text")


def svg_payload(data: bytes) -> str:
    """The content (or verify attribute) of an SVG's openbadges:assertion or openbadges:credential."""
    text = decoded(data, "the SVG")
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise FormatError("SVG documents with a DTD are not accepted (entity expansion)")
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as exc:
        line, column = exc.position
        raise FormatError(f"malformed SVG: {str(exc).split(':')[0]}", line=line, column=column + 1) from exc
    for element in root.iter():
        if element.tag in SVG_ELEMENTS:
            return element_payload(element)
    raise FormatError("the SVG has no openbadges:assertion or openbadges:credential element (not a baked badge)")


def element_payload(element: ElementTree.Element) -> str:
    """A signed badge's JWS (verify attribute) first, else the embedded JSON, else the hosted URL."""
    verify, content = (element.get("verify") or "").strip(), (element.text or "").strip()
    if is_compact_jws(verify) or (verify and not content):
        return verify
    if content:
        return content
    raise FormatError(f"the openbadges:{element.tag.rsplit('}', 1)[-1]} element is empty")


def data_uri(uri: str) -> bytes:
    """The bytes of a data: URI (base64 or percent-encoded)."""
    header, comma, body = uri.partition(",")
    if not comma:
        raise FormatError("a data: URI needs a comma before its data")
    if header.endswith(";base64"):
        try:
            return base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise FormatError("the data: URI is not valid base64") from exc
    return urllib.parse.unquote_to_bytes(body)
