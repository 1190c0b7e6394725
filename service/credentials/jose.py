"""Offline key material and signatures: compact JWS, JWK, did:key and did:jwk (no resolver, no network)."""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.hashes import SHA256

from .errors import FormatError

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
ED25519_CODEC, P256_CODEC = b"\xed\x01", b"\x80\x24"
ALGORITHMS = ("EdDSA", "ES256", "RS256")
COMPACT = re.compile(r"^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")

PublicKey = Ed25519PublicKey | ec.EllipticCurvePublicKey | rsa.RSAPublicKey


class KeyUnavailable(Exception):
    """The key exists somewhere else (a URL, a did:web): getting it needs the network."""


class KeyInvalid(Exception):
    """The key given is unusable (bad encoding, unsupported type, wrong for the algorithm)."""


@dataclass(frozen=True)
class Jws:
    """A decoded compact JWS: header, JSON payload, and the bytes the signature covers."""

    header: dict[str, Any]
    payload: dict[str, Any]
    signing_input: bytes
    signature: bytes


def b64url(text: str) -> bytes:
    """Decode unpadded base64url; FormatError when it is not."""
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise FormatError("not valid base64url") from exc


def b58decode(text: str) -> bytes:
    """Decode base58 (Bitcoin alphabet), keeping leading zero bytes."""
    number = 0
    for char in text:
        digit = B58.find(char)
        if digit < 0:
            raise KeyInvalid(f"invalid base58 character {char!r}")
        number = number * 58 + digit
    zeros = len(text) - len(text.lstrip("1"))
    return b"\0" * zeros + number.to_bytes((number.bit_length() + 7) // 8, "big")


def multibase(value: str) -> bytes:
    """Decode a multibase string; only base58btc ('z...') is used by did:key and Data Integrity."""
    if not value.startswith("z"):
        raise KeyInvalid("only base58btc multibase values ('z...') are supported")
    return b58decode(value[1:])


def is_compact_jws(text: str) -> bool:
    """Whether a string looks like a compact JWS/JWT (three base64url parts, a JSON header)."""
    return bool(COMPACT.match(text))


def json_part(text: str, name: str) -> dict[str, Any]:
    """One base64url-encoded JSON object of a JWS."""
    try:
        value = json.loads(b64url(text))
    except (FormatError, UnicodeDecodeError, ValueError) as exc:
        raise FormatError(f"the JWS {name} is not base64url-encoded JSON") from exc
    if not isinstance(value, dict):
        raise FormatError(f"the JWS {name} is not a JSON object")
    return value


def decode_jws(token: str) -> Jws:
    """Split and decode a compact JWS without checking it."""
    parts = token.strip().split(".")
    if len(parts) != 3:
        raise FormatError("a compact JWS has three dot-separated parts")
    header, payload = json_part(parts[0], "header"), json_part(parts[1], "payload")
    signature = b64url(parts[2])
    return Jws(header, payload, f"{parts[0]}.{parts[1]}".encode("ascii"), signature)


def integer(text: Any) -> int:
    """A base64url big-endian unsigned integer of a JWK."""
    if not isinstance(text, str):
        raise KeyInvalid("JWK member is not a string")
    try:
        return int.from_bytes(b64url(text), "big")
    except FormatError as exc:
        raise KeyInvalid("JWK member is not base64url") from exc


def jwk_key(jwk: Any) -> PublicKey:
    """The public key of an Ed25519 (OKP), P-256 (EC) or RSA JWK; private members are ignored."""
    if not isinstance(jwk, dict):
        raise KeyInvalid("the jwk is not a JSON object")
    kty, crv = jwk.get("kty"), jwk.get("crv")
    try:
        if kty == "OKP" and crv == "Ed25519":
            return Ed25519PublicKey.from_public_bytes(integer(jwk.get("x")).to_bytes(32, "big"))
        if kty == "EC" and crv == "P-256":
            return ec.EllipticCurvePublicNumbers(integer(jwk.get("x")), integer(jwk.get("y")),
                                                 ec.SECP256R1()).public_key()
        if kty == "RSA":
            return rsa.RSAPublicNumbers(integer(jwk.get("e")), integer(jwk.get("n"))).public_key()
    except (ValueError, OverflowError) as exc:
        raise KeyInvalid(f"the {kty} JWK is not a valid public key") from exc
    raise KeyInvalid(f"JWK kty {kty!r} crv {crv!r} is not supported (Ed25519, P-256 or RSA)")


def did_key(did: str) -> PublicKey:
    """The public key a did:key (Ed25519, P-256) or did:jwk identifier encodes; others need a resolver."""
    did = did.split("#", 1)[0]
    if did.startswith("did:jwk:"):
        try:
            return jwk_key(json.loads(b64url(did[8:])))
        except (FormatError, ValueError) as exc:
            raise KeyInvalid(f"{did[:60]} does not encode a JWK") from exc
    if not did.startswith("did:key:"):
        raise KeyUnavailable(f"resolving {did[:120]} needs the network")
    raw = multibase(did[8:])
    try:
        if raw[:2] == ED25519_CODEC:
            return Ed25519PublicKey.from_public_bytes(raw[2:])
        if raw[:2] == P256_CODEC:
            return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw[2:])
    except ValueError as exc:
        raise KeyInvalid(f"{did[:60]} does not encode a valid key") from exc
    raise KeyInvalid(f"{did[:60]}: key type not supported (Ed25519 or P-256)")


def signature_ok(key: PublicKey, alg: str, data: bytes, signature: bytes) -> bool:
    """Whether signature is alg's signature of data under key; KeyInvalid when key and alg do not fit."""
    try:
        if alg == "EdDSA" and isinstance(key, Ed25519PublicKey):
            key.verify(signature, data)
        elif alg == "ES256" and isinstance(key, ec.EllipticCurvePublicKey):
            if len(signature) != 64:
                return False
            r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
            key.verify(encode_dss_signature(r, s), data, ec.ECDSA(SHA256()))
        elif alg == "RS256" and isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, data, padding.PKCS1v15(), SHA256())
        else:
            raise KeyInvalid(f"the key is not a {alg} key")
    except InvalidSignature:
        return False
    return True
