"""Offline verification of Open Badges signatures: VC-JWT/JWS and eddsa-jcs-2022 Data Integrity proofs."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .jose import ALGORITHMS, Jws, KeyInvalid, KeyUnavailable, PublicKey, did_key, jwk_key, multibase, signature_ok
from .values import as_list

Status = Literal["verified", "unverified", "failed"]
NETWORK_NOTE = "not checked against the issuer's published keys, which needs the network"
RDF_SUITES = ("eddsa-rdfc-2022", "ecdsa-rdfc-2019", "Ed25519Signature2020", "Ed25519Signature2018")


@dataclass(frozen=True)
class Verification:
    """The outcome of checking a badge: status, why (when not verified) and what was checked."""

    status: Status
    reason: str | None = None
    method: str | None = None

    def report(self) -> dict[str, str]:
        """The verification block of an answer."""
        out = {"status": self.status, "reason": self.reason, "method": self.method}
        return {k: v for k, v in out.items() if v is not None}


def binding(did: str, issuer_id: str | None) -> tuple[bool, str]:
    """Whether a signing DID may speak for the issuer, and how to describe the key."""
    did = did.split("#", 1)[0]
    if did == issuer_id:
        return True, f"{did[:80]} (the issuer's own DID)"
    if issuer_id and issuer_id.startswith("did:"):
        return False, f"signed with {did[:80]}, but the issuer is {issuer_id[:80]}"
    return True, f"{did[:80]} ({NETWORK_NOTE})"


def jws_key(header: dict[str, Any], issuer_id: str | None) -> tuple[PublicKey, str]:
    """The JWS key available offline (header jwk, DID in kid, or the issuer's did:key) and how it was bound."""
    if "jwk" in header:
        return jwk_key(header["jwk"]), f"the JOSE header's jwk ({NETWORK_NOTE})"
    kid = header.get("kid")
    did = kid if isinstance(kid, str) and kid.startswith("did:") else issuer_id
    if did and did.startswith(("did:key:", "did:jwk:")):
        bound, text = binding(did, issuer_id)
        if not bound:
            raise KeyInvalid(text)
        return did_key(did), text
    where = kid if isinstance(kid, str) else issuer_id or "unknown"
    raise KeyUnavailable(f"the signing key ({str(where)[:120]}) is not in the badge; fetching it needs the network")


def verify_jws(jws: Jws, issuer_id: str | None) -> Verification:
    """Check a compact JWS signature with the key available offline."""
    alg = jws.header.get("alg")
    if not alg or alg == "none":
        return Verification("failed", "the JWS is unsigned (alg none)")
    if alg not in ALGORITHMS:
        return Verification("unverified", f"algorithm {str(alg)[:20]} is not supported (EdDSA, ES256, RS256)")
    try:
        key, source = jws_key(jws.header, issuer_id)
        ok = signature_ok(key, alg, jws.signing_input, jws.signature)
    except KeyUnavailable as exc:
        return Verification("unverified", str(exc))
    except KeyInvalid as exc:
        return Verification("failed", str(exc))
    if not ok:
        return Verification("failed", f"the {alg} signature does not match the content (altered or wrong key)")
    return Verification("verified", method=f"JWS {alg}, key from {source}")


def es_number(value: float) -> str:
    """ECMAScript Number::toString, as JSON Canonicalization (RFC 8785) serialises numbers."""
    if value == 0:
        return "0"
    sign, parts = ("-" if value < 0 else ""), Decimal(repr(abs(value))).as_tuple()
    digits = "".join(map(str, parts.digits)).rstrip("0")
    point, k = len(parts.digits) + int(parts.exponent), len(digits)
    if k <= point <= 21:
        return sign + digits + "0" * (point - k)
    if 0 < point <= 21:
        return sign + digits[:point] + "." + digits[point:]
    if -6 < point <= 0:
        return sign + "0." + "0" * -point + digits
    mantissa = digits[0] + ("." + digits[1:] if k > 1 else "")
    return f"{sign}{mantissa}e{'+' if point > 0 else '-'}{abs(point - 1)}"


def jcs(value: Any) -> str:
    """JSON Canonicalization Scheme (RFC 8785): sorted keys (UTF-16 order), no whitespace, ES numbers."""
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: k.encode("utf-16-be"))
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + jcs(value[k]) for k in keys) + "}"
    if isinstance(value, list):
        return "[" + ",".join(jcs(v) for v in value) + "]"
    if isinstance(value, float):
        return es_number(value)
    return json.dumps(value, ensure_ascii=False)


def jcs_hash_data(document: dict[str, Any], proof: dict[str, Any]) -> bytes:
    """What an eddsa-jcs-2022 signature covers: sha256(JCS(proof config)) + sha256(JCS(document))."""
    config = {k: v for k, v in proof.items() if k != "proofValue"}
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    if "@context" in config:
        unsecured["@context"] = config["@context"]
    return hashlib.sha256(jcs(config).encode()).digest() + hashlib.sha256(jcs(unsecured).encode()).digest()


def context_ok(document: dict[str, Any], proof: dict[str, Any]) -> bool:
    """The proof's @context, when given, must be where the document's @context starts."""
    if "@context" not in proof:
        return True
    mine, theirs = as_list(document.get("@context")), as_list(proof["@context"])
    return mine[: len(theirs)] == theirs


def verify_proof(document: dict[str, Any], proof: dict[str, Any], issuer_id: str | None) -> Verification:
    """Check one embedded proof: eddsa-jcs-2022 offline; RDF-canonicalised suites are reported unverified."""
    suite = proof.get("cryptosuite") or proof.get("type")
    if suite in RDF_SUITES:
        return Verification("unverified", f"{suite} proofs need RDF dataset canonicalization of remote "
                                          "JSON-LD contexts; not checked offline")
    if proof.get("type") != "DataIntegrityProof" or suite != "eddsa-jcs-2022":
        return Verification("unverified", f"proof type {str(suite)[:60]} is not supported (eddsa-jcs-2022 is)")
    if not context_ok(document, proof):
        return Verification("failed", "the proof's @context does not match the credential's")
    method = str(proof.get("verificationMethod", ""))
    try:
        bound, text = binding(method, issuer_id)
        key, signature = did_key(method), multibase(str(proof.get("proofValue", "")))
        if not bound or not isinstance(key, Ed25519PublicKey):
            raise KeyInvalid(text if not bound else "eddsa-jcs-2022 needs an Ed25519 key")
        ok = signature_ok(key, "EdDSA", jcs_hash_data(document, proof), signature)
    except KeyUnavailable as exc:
        return Verification("unverified", str(exc))
    except KeyInvalid as exc:
        return Verification("failed", str(exc))
    if not ok:
        return Verification("failed", "the eddsa-jcs-2022 proof does not match the content (altered or wrong key)")
    return Verification("verified", method=f"Data Integrity eddsa-jcs-2022, key {text}")


def verify_proofs(document: dict[str, Any], issuer_id: str | None) -> Verification:
    """All embedded proofs: any failure fails; else one verified proof verifies; else unverified."""
    proofs = document.get("proof")
    listed = [p for p in as_list(proofs) if isinstance(p, dict)]
    if not listed:
        return Verification("unverified", "no proof: the credential is not signed")
    results = [verify_proof(document, p, issuer_id) for p in listed]
    for status in ("failed", "verified"):
        found = [r for r in results if r.status == status]
        if found:
            return found[0]
    return results[0]
