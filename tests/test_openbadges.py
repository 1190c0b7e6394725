"""Open Badges in: JSON, JWT and baked badges are read, verified offline with keys made here, and resolved."""

from __future__ import annotations

import base64
import copy
import hashlib
import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from flask.testing import FlaskClient
from PIL import Image, PngImagePlugin

from service.credentials.errors import FormatError
from service.credentials.openbadges import Badge, read_item
from tests.catalogs import PLOT

BADGES = Path(__file__).parent / "fixtures" / "badges"
RID = {"X-Request-ID": "badges-test"}
NOW = datetime(2026, 6, 1, tzinfo=UTC)
DESIGN_CLOUD = "http://data.europa.eu/esco/skill/11430d93-c835-48ed-8e70-285fa69c9ae6"
CLOUD_INCIDENTS = "http://data.europa.eu/esco/skill/440d5784-52a5-4729-8b04-29f978bd896d"
CLOUD_ENGINEER = "http://data.europa.eu/esco/occupation/349ee6f6-c295-4c38-9b98-48765b55280e"
B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
OB2_REPORT = {
    "spec": "Open Badges 2.0", "container": "json", "id": "https://example.org/beths-cloud-badge.json",
    "name": "Cloud Architecture Practitioner",
    "description": "For designing a multi-tier cloud architecture and defending it in review.",
    "issuer": {"id": "https://example.org/organization.json", "name": "An Example Badge Issuer"},
    "issued_on": "2016-12-31T23:59:59Z", "expires": "2099-06-30T23:59:59Z", "expired": False,
    "alignments": [
        {"name": "design cloud architecture", "url": DESIGN_CLOUD, "framework": "ESCO"},
        {"name": "CCSS.ELA-Literacy.RST.11-12.3", "url": "http://www.corestandards.org/ELA-Literacy/RST/11-12/3",
         "code": "CCSS.ELA-Literacy.RST.11-12.3",
         "description": "Follow precisely a complex multistep procedure when carrying out experiments, taking "
                        "measurements, or performing technical tasks; analyze the specific results based on "
                        "explanations in the text."},
    ],
    "notes": [],
}
HOSTED = "hosted verification re-reads the assertion at its URL; not fetched: reading it needs the network"


# --- signing with keys made in the test (independent of the service's own helpers) -----------------------------


def fixture(name: str) -> dict[str, Any]:
    """A JSON fixture, freshly parsed."""
    value: dict[str, Any] = json.loads((BADGES / name).read_text())
    return value


def b64(data: bytes) -> str:
    """Unpadded base64url."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b58(data: bytes) -> str:
    """Base58btc (Bitcoin alphabet)."""
    number, out = int.from_bytes(data, "big"), ""
    while number:
        number, digit = divmod(number, 58)
        out = B58[digit] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def raw_public(key: Ed25519PrivateKey) -> bytes:
    """The 32 raw bytes of an Ed25519 public key."""
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def did_key(key: Ed25519PrivateKey) -> str:
    """did:key of an Ed25519 key (multicodec 0xed01, base58btc)."""
    return "did:key:z" + b58(b"\xed\x01" + raw_public(key))


def jwk(key: Ed25519PrivateKey) -> dict[str, str]:
    """Public OKP JWK of an Ed25519 key."""
    return {"kty": "OKP", "crv": "Ed25519", "x": b64(raw_public(key))}


def sign_jwt(header: dict[str, Any], payload: dict[str, Any],
             key: Ed25519PrivateKey | ec.EllipticCurvePrivateKey) -> str:
    """A compact JWS signed EdDSA or ES256."""
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(payload).encode())}"
    if isinstance(key, Ed25519PrivateKey):
        signature = key.sign(signing_input.encode())
    else:
        r, s = decode_dss_signature(key.sign(signing_input.encode(), ec.ECDSA(SHA256())))
        signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    return f"{signing_input}.{b64(signature)}"


def canonical(value: Any) -> bytes:
    """JCS for these ASCII, float-free documents: sorted keys, no whitespace."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def add_proof(doc: dict[str, Any], key: Ed25519PrivateKey, method: str | None = None) -> dict[str, Any]:
    """The document with an eddsa-jcs-2022 DataIntegrityProof (VC Data Integrity EdDSA Cryptosuites v1.0)."""
    did = did_key(key)
    proof = {"type": "DataIntegrityProof", "cryptosuite": "eddsa-jcs-2022", "created": "2026-01-01T00:00:00Z",
             "verificationMethod": method or f"{did}#{did[8:]}", "proofPurpose": "assertionMethod",
             "@context": doc["@context"]}
    data = hashlib.sha256(canonical(proof)).digest() + hashlib.sha256(canonical(doc)).digest()
    return {**doc, "proof": {**proof, "proofValue": "z" + b58(key.sign(data))}}


def ob3(issuer: str, **changes: Any) -> dict[str, Any]:
    """The OB 3.0 fixture issued by issuer, with top-level changes."""
    doc = fixture("ob3-credential.json")
    doc["issuer"] = {**doc["issuer"], "id": issuer}
    return {**doc, **changes}


def vc_jwt(key: Ed25519PrivateKey, doc: dict[str, Any], **header: Any) -> str:
    """An OB 3.0 VC-JWT (payload claims iss, jti, nbf and vc) signed EdDSA."""
    payload = {"iss": doc["issuer"]["id"], "jti": doc["id"], "nbf": 1262304000, "vc": doc}
    return sign_jwt({"alg": "EdDSA", "typ": "JWT", **header}, payload, key)


def png(keyword: str, text: str, compressed: bool = False) -> bytes:
    """A 4x4 PNG baked with an iTXt chunk, written by Pillow."""
    info = PngImagePlugin.PngInfo()
    info.add_itxt(keyword, text, zip=compressed)
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "#1f6feb").save(out, "PNG", pnginfo=info)
    return out.getvalue()


def read(item: str | dict[str, Any] | bytes) -> Badge:
    """A badge read at NOW; fails the test when the item is not a badge document."""
    badge = read_item(item, NOW)
    assert badge is not None
    return badge


def fault(item: str | dict[str, Any] | bytes) -> tuple[str, dict[str, Any]]:
    """The message and location of a malformed badge."""
    with pytest.raises(FormatError) as caught:
        read_item(item, NOW)
    return caught.value.message, caught.value.where()


# --- reading ---------------------------------------------------------------------------------------------------


def test_ob2_assertion_with_embedded_badge_class() -> None:
    """An OB 2.0 Assertion reports its BadgeClass, issuer, dates and alignments; hosted means unverified."""
    badge = read(fixture("ob2-assertion.json"))
    assert badge.report() == OB2_REPORT
    assert badge.verification.report() == {"status": "unverified", "reason": HOSTED}


def test_ob2_badge_class_by_url_is_not_fetched() -> None:
    """A BadgeClass given only by URL is reported as not fetched, never fetched."""
    badge = read(fixture("ob2-assertion-badge-url.json"))
    assert (badge.name, badge.notes) == (None, [
        "the BadgeClass at https://example.org/robotics-badge.json was not fetched: reading it needs the network"])
    assert badge.verification.status == "unverified"


def test_ob3_json_without_proof_is_unverified() -> None:
    """An unsigned OB 3.0 credential is read but unverified."""
    badge = read(fixture("ob3-credential.json"))
    assert (badge.spec, badge.name, badge.issuer, badge.alignments) == (
        "Open Badges 3.0", "Cloud Incident Response", {"id": "https://example.com/issuers/876543",
                                                        "name": "Example Corp"},
        [{"name": "respond to incidents in cloud", "url": CLOUD_INCIDENTS, "framework": "ESCO"}])
    assert badge.verification.report() == {"status": "unverified", "reason": "no proof: the credential is not signed"}


def test_jwt_with_jwk_header_round_trips_and_verifies() -> None:
    """OB 3.0 as a VC-JWT with the key in the header reads as the JSON does, and verifies."""
    key, doc = Ed25519PrivateKey.generate(), fixture("ob3-credential.json")
    badge = read(vc_jwt(key, doc, jwk=jwk(key)))
    assert {**badge.report(), "container": "json"} == read(doc).report()
    assert badge.verification.report() == {
        "status": "verified", "method": "JWS EdDSA, key from the JOSE header's jwk (not checked against the "
                                        "issuer's published keys, which needs the network)"}


def test_jwt_signed_by_the_issuers_did_key_verifies() -> None:
    """A did:key issuer signing its own VC-JWT verifies with the key the DID encodes."""
    key = Ed25519PrivateKey.generate()
    did = did_key(key)
    badge = read(vc_jwt(key, ob3(did), kid=f"{did}#{did[8:]}"))
    assert badge.verification.report() == {"status": "verified",
                                           "method": f"JWS EdDSA, key from {did} (the issuer's own DID)"}


def test_es256_jwt_verifies() -> None:
    """ES256 with a P-256 JWK in the header verifies too."""
    key = ec.generate_private_key(ec.SECP256R1())
    numbers = key.public_key().public_numbers()
    header = {"alg": "ES256", "jwk": {"kty": "EC", "crv": "P-256", "x": b64(numbers.x.to_bytes(32, "big")),
                                      "y": b64(numbers.y.to_bytes(32, "big"))}}
    doc = fixture("ob3-credential.json")
    badge = read(sign_jwt(header, {"iss": doc["issuer"]["id"], "vc": doc}, key))
    assert badge.verification.status == "verified"


def test_tampered_jwt_fails() -> None:
    """Changing the payload after signing fails the signature check."""
    key = Ed25519PrivateKey.generate()
    head, payload, signature = vc_jwt(key, fixture("ob3-credential.json"), jwk=jwk(key)).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["vc"]["credentialSubject"]["achievement"]["name"] = "Cloud Architect"
    badge = read(f"{head}.{b64(json.dumps(claims).encode())}.{signature}")
    assert (badge.name, badge.verification.report()) == ("Cloud Architect", {
        "status": "failed", "reason": "the EdDSA signature does not match the content (altered or wrong key)"})


def test_jwt_signed_by_another_did_fails() -> None:
    """A did:key signature that is not the issuer's DID fails."""
    issuer, other = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    badge = read(vc_jwt(other, ob3(did_key(issuer)), kid=did_key(other)))
    assert badge.verification.report() == {
        "status": "failed", "reason": f"signed with {did_key(other)}, but the issuer is {did_key(issuer)}"}


def test_jwt_whose_key_is_online_is_unverified() -> None:
    """A key only reachable over the network is not fetched: unverified, with the reason."""
    key = Ed25519PrivateKey.generate()
    badge = read(vc_jwt(key, fixture("ob3-credential.json"), kid="https://example.com/issuers/876543#key-1"))
    assert badge.verification.report() == {
        "status": "unverified", "reason": "the signing key (https://example.com/issuers/876543#key-1) is not in "
                                          "the badge; fetching it needs the network"}


def test_jwt_iss_must_be_the_issuer() -> None:
    """The JWT's iss claim naming someone else fails, even with a good signature."""
    key = Ed25519PrivateKey.generate()
    doc = fixture("ob3-credential.json")
    token = sign_jwt({"alg": "EdDSA", "jwk": jwk(key)}, {"iss": "https://evil.example", "vc": doc}, key)
    assert read(token).verification.report() == {
        "status": "failed", "reason": "the JWT iss https://evil.example is not the credential's issuer "
                                      "https://example.com/issuers/876543"}


def test_eddsa_jcs_proof_verifies_and_tampering_fails() -> None:
    """An embedded eddsa-jcs-2022 proof by the issuer's did:key verifies; any change to the content fails."""
    key = Ed25519PrivateKey.generate()
    signed = add_proof(ob3(did_key(key)), key)
    assert read(signed).verification.report() == {
        "status": "verified", "method": f"Data Integrity eddsa-jcs-2022, key {did_key(key)} (the issuer's own DID)"}
    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["achievement"]["description"] += " And more."
    assert read(tampered).verification.report() == {
        "status": "failed", "reason": "the eddsa-jcs-2022 proof does not match the content (altered or wrong key)"}


def test_rdf_canonicalised_proof_is_unverified() -> None:
    """eddsa-rdfc-2022 needs RDF canonicalization of remote contexts: unverified, said so."""
    key = Ed25519PrivateKey.generate()
    signed = add_proof(ob3(did_key(key)), key)
    signed["proof"]["cryptosuite"] = "eddsa-rdfc-2022"
    assert read(signed).verification.report() == {
        "status": "unverified", "reason": "eddsa-rdfc-2022 proofs need RDF dataset canonicalization of remote "
                                          "JSON-LD contexts; not checked offline"}


def test_expired_badges_are_flagged_and_fail() -> None:
    """validUntil (or a JWT exp) in the past: expired, failed with the date, the signature result kept."""
    key = Ed25519PrivateKey.generate()
    expired = read(add_proof(ob3(did_key(key), validUntil="2020-01-01T00:00:00Z"), key))
    assert (expired.expired, expired.verification.report()) == (True, {
        "status": "failed", "reason": "expired on 2020-01-01T00:00:00Z",
        "method": f"Data Integrity eddsa-jcs-2022, key {did_key(key)} (the issuer's own DID)"})
    doc = fixture("ob3-credential.json")
    token = sign_jwt({"alg": "EdDSA", "jwk": jwk(key)}, {"iss": doc["issuer"]["id"], "exp": 1577836800, "vc": doc},
                     key)
    assert (read(token).expired, read(token).expires) == (True, datetime(2020, 1, 1, tzinfo=UTC))


def test_baked_png_is_read() -> None:
    """PNG badges baked with an openbadges iTXt chunk (plain or compressed; 3.0 keyword with a JWT) are read."""
    assertion = (BADGES / "ob2-assertion.json").read_text()
    for compressed in (False, True):
        badge = read(png("openbadges", assertion, compressed))
        assert badge.report() == {**OB2_REPORT, "container": "png"}
    key = Ed25519PrivateKey.generate()
    signed = read(png("openbadgecredential", vc_jwt(key, fixture("ob3-credential.json"), jwk=jwk(key))))
    assert (signed.container, signed.name, signed.verification.status) == ("png", "Cloud Incident Response",
                                                                             "verified")
    data_uri = "data:image/png;base64," + base64.b64encode(png("openbadges", assertion)).decode()
    assert read(data_uri).report() == {**OB2_REPORT, "container": "png"}


def test_baked_svg_is_read() -> None:
    """An SVG baked with openbadges:assertion (2.0) or openbadges:credential holding a JWT (3.0, under 2.0's namespace
    or its own) is read; one under another namespace holds no badge."""
    assert read((BADGES / "baked-ob2.svg").read_bytes()).report() == {**OB2_REPORT, "container": "svg"}
    key = Ed25519PrivateKey.generate()
    token = vc_jwt(key, fixture("ob3-credential.json"), jwk=jwk(key))
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">'
           f'<openbadges:credential verify="{token}"></openbadges:credential></svg>').encode()
    assert (read(svg).container, read(svg).verification.status) == ("svg", "verified")
    ob3 = svg.replace(b'"http://openbadges.org"', b'"https://purl.imsglobal.org/ob/v3p0"')
    assert (read(ob3).container, read(ob3).verification.status) == ("svg", "verified")  # OB 3.0's own namespace
    other = svg.replace(b'"http://openbadges.org"', b'"https://example.org/badges"')
    with pytest.raises(FormatError):
        read(other)


def test_plain_strings_are_not_documents() -> None:
    """Catalogue ids and titles are left to the engine's text matching."""
    assert read_item("coursera-agile-development-university-of-virginia", NOW) is None
    assert read_item("AWS Certified Cloud Practitioner", NOW) is None


@pytest.mark.parametrize(("item", "message", "where"), [
    ({"type": "BadgeClass", "name": "x"}, "not an Open Badges 2.0 Assertion or 3.0 OpenBadgeCredential",
     {"pointer": "/type"}),
    ({"type": "Assertion", "badge": {"issuer": "https://example.org"}}, "the BadgeClass needs a name",
     {"pointer": "/badge/name"}),
    ({"type": "Assertion", "badge": {"name": "x", "alignment": [{"targetFramework": "ESCO"}]}},
     "an alignment needs a targetName, targetUrl or targetCode", {"pointer": "/badge/alignment/0"}),
    ({"type": "Assertion", "badge": {"name": "x"}, "issuedOn": "last tuesday"},
     "'last tuesday' is not an ISO 8601 date-time", {"pointer": "/issuedOn"}),
    ({"type": ["VerifiableCredential", "OpenBadgeCredential"], "issuer": "did:example:1",
      "credentialSubject": {"achievement": {"type": "Achievement"}}}, "the Achievement needs a name",
     {"pointer": "/credentialSubject/achievement/name"}),
    ("eyJhbGciOiJFZERTQSJ9.bm90IGpzb24.c2ln", "the JWS payload is not base64url-encoded JSON", {}),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR" + b"\x00" * 13 + b"\x00\x00\x00\x00",
     "PNG chunk 'IHDR' fails its CRC check", {"offset": 8}),
    (b"<svg xmlns='http://www.w3.org/2000/svg'>\n  <g>\n</svg>", "malformed SVG: mismatched tag",
     {"line": 3, "column": 3}),
    (b'{"type": "Assertion",\n "badge": }', "malformed JSON: Expecting value", {"line": 2, "column": 11}),
    (b"GIF89a", "not an Open Badges file: expected JSON, a JWT, a baked PNG or a baked SVG", {"offset": 0}),
])
def test_malformed_badges_say_where(item: Any, message: str, where: dict[str, Any]) -> None:
    """Each fault names what is wrong and where: JSON pointer, line and column, or byte offset."""
    assert fault(item) == (message, where)


def test_png_without_badge_and_svg_with_dtd_are_refused() -> None:
    """A plain PNG is not a badge; an SVG with a DTD is refused before parsing."""
    plain = io.BytesIO()
    Image.new("RGB", (2, 2)).save(plain, "PNG")
    message, where = fault(plain.getvalue())
    assert message == "the PNG has no openbadges iTXt chunk (not a baked badge)" and set(where) == {"offset"}
    assert fault(b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "b">]><svg/>') == (
        "SVG documents with a DTD are not accepted (entity expansion)", {})


# --- over HTTP ------------------------------------------------------------------------------------------------


def import_json(client: FlaskClient, badges: list[Any]) -> Any:
    """POST /v1/badges/import with a JSON body; the status and body."""
    response = client.post("/v1/badges/import", json={"badges": badges}, headers=RID)
    return response.status_code, response.get_json()


def test_import_reports_each_badge_and_what_it_resolved_to(client: FlaskClient) -> None:
    """A verified and an unverified OB 3.0 badge align to the same ESCO skill: verified counts at 1.0."""
    key = Ed25519PrivateKey.generate()
    verified = vc_jwt(key, fixture("ob3-credential.json"), jwk=jwk(key))
    status, body = import_json(client, [verified, fixture("ob3-credential.json")])
    assert status == 200
    skill = {"id": CLOUD_INCIDENTS, "label": "respond to incidents in cloud", "kind": "skill"}
    via = {"badge": "Cloud Incident Response", "alignment": CLOUD_INCIDENTS, "declared": True}
    assert [(b["index"], b["resolved"], b["verification"]["status"], b["skills"]) for b in body["badges"]] == [
        (0, "skills", "verified", [{**skill, "confidence": 1.0, "source": {**via, "verification": "verified"}}]),
        (1, "skills", "unverified", [{**skill, "confidence": 0.8, "source": {**via, "verification": "unverified"}}]),
    ]
    assert body["badges"][0]["badge"]["container"] == "jwt"
    assert (body["credentials"], body["warnings"]) == ([], [])
    assert body["skills"] == [{**skill, "confidence": 1.0, "source": {**via, "verification": "verified"}}]


def test_failed_and_unfetchable_badges_are_not_counted(client: FlaskClient) -> None:
    """An expired badge and a badge whose BadgeClass is online are reported as warnings, not held."""
    expired = {**fixture("ob3-credential.json"), "validUntil": "2001-01-01T00:00:00Z"}
    status, body = import_json(client, [expired, fixture("ob2-assertion-badge-url.json")])
    assert status == 200
    assert [(b["resolved"], b["verification"]) for b in body["badges"]] == [
        ("not_counted", {"status": "failed", "reason": "expired on 2001-01-01T00:00:00Z"}),
        ("unmatched", {"status": "unverified", "reason": HOSTED}),
    ]
    assert (body["credentials"], body["skills"]) == ([], [])
    assert body["warnings"] == [
        {"code": "badge_expired", "pointer": "/badges/0",
         "detail": "badge 'Cloud Incident Response' failed verification (expired on 2001-01-01T00:00:00Z); "
                   "not counted"},
        {"code": "badge_not_fetched", "pointer": "/badges/1",
         "detail": "badge could not be read offline: the BadgeClass at https://example.org/robotics-badge.json "
                   "was not fetched: reading it needs the network"},
    ]


def test_upload_of_baked_files(client: FlaskClient) -> None:
    """Multipart upload: a baked PNG and SVG are read and named by file."""
    files = {"file": [(io.BytesIO(png("openbadges", (BADGES / "ob2-assertion.json").read_text())), "cloud.png"),
                      (io.BytesIO((BADGES / "baked-ob2.svg").read_bytes()), "cloud.svg")]}
    response = client.post("/v1/badges/import", data=files, content_type="multipart/form-data", headers=RID)
    body = response.get_json()
    assert response.status_code == 200
    assert [(b["file"], b["badge"]["container"], b["badge"]["name"]) for b in body["badges"]] == [
        ("cloud.png", "png", "Cloud Architecture Practitioner"),
        ("cloud.svg", "svg", "Cloud Architecture Practitioner")]
    declared = [s for b in body["badges"] for s in b["skills"] if s["id"] == DESIGN_CLOUD]
    assert [s["confidence"] for s in declared] == [0.8, 0.8]


def test_malformed_upload_is_a_located_problem(client: FlaskClient) -> None:
    """Unreadable uploaded files are one 422 problem naming each file and the line/column or byte offset."""
    truncated = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x64IHDR" + b"\x00" * 10
    files = {"file": [(io.BytesIO(b'{"type": "Assertion",\n "badge": }'), "bad.json"),
                      (io.BytesIO((BADGES / "baked-ob2.svg").read_bytes()), "good.svg"),
                      (io.BytesIO(truncated), "cut.png")]}
    response = client.post("/v1/badges/import", data=files, content_type="multipart/form-data", headers=RID)
    assert (response.status_code, response.mimetype) == (422, "application/problem+json")
    assert response.get_json() == {
        "type": "https://badgepath.dev/problems/invalid-badge", "title": "Unprocessable Content", "status": 422,
        "detail": "2 unreadable badge file(s)", "request_id": "badges-test",
        "errors": [
            {"pointer": "/file/0", "file": "bad.json", "line": 2, "column": 11,
             "message": "malformed JSON: Expecting value (line 2, column 11)", "type": "malformed_json"},
            {"pointer": "/file/2", "file": "cut.png", "offset": 8,
             "message": "PNG chunk 'IHDR' runs past the end of the file (byte 8)", "type": "invalid_badge"},
        ],
    }


def test_malformed_json_badge_is_a_located_problem(client: FlaskClient) -> None:
    """A malformed badge object in a JSON body is a 422 whose pointer reaches inside it; a number is no badge."""
    bad = {"type": "Assertion", "badge": {"name": "x", "issuer": 7}}
    problem = {"type": "https://badgepath.dev/problems/validation", "title": "Unprocessable Content", "status": 422,
               "detail": "1 invalid field(s)", "request_id": "badges-test"}
    assert import_json(client, ["Agile Project Management", bad]) == (422, {**problem, "errors": [
        {"pointer": "/badges/1/badge/issuer", "type": "invalid_badge",
         "message": "an issuer must be a profile object (with id or name) or its URL"}]})
    assert import_json(client, [42]) == (422, {**problem, "errors": [
        {"pointer": "/badges/0", "type": "badge_type",
         "message": "Input should be a string (catalogue id, title, JWT or data: URI) or an Open Badges object"}]})


def test_import_needs_json_or_multipart(client: FlaskClient) -> None:
    """Any other media type is a 415 problem; an upload without files is a 422."""
    response = client.post("/v1/badges/import", data=b"x", content_type="text/plain", headers=RID)
    assert (response.status_code, response.get_json()) == (415, {
        "type": "https://badgepath.dev/problems/unsupported-media-type", "title": "Unsupported Media Type",
        "status": 415, "detail": "send the badges as application/json or upload them as multipart/form-data",
        "request_id": "badges-test"})
    response = client.post("/v1/badges/import", data={}, content_type="multipart/form-data", headers=RID)
    assert (response.status_code, response.get_json()) == (422, {
        "type": "https://badgepath.dev/problems/validation", "title": "Unprocessable Content", "status": 422,
        "detail": "1 invalid field(s)", "request_id": "badges-test",
        "errors": [{"pointer": "/file", "message": "upload 1 to 200 badge files as `file` parts",
                    "type": "file_count"}]})


def gap_held(client: FlaskClient, badge: Any) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """How the cloud engineer's 'respond to incidents in cloud' is held given one badge, and the warnings."""
    body = {"learner": {"badges": [badge]}, "target": {"role_id": CLOUD_ENGINEER}}
    response = client.post("/v1/gap", json=body, headers=RID)
    assert response.status_code == 200, response.get_json()
    answer = response.get_json()
    required = next(r for r in answer["required"] if r["id"] == CLOUD_INCIDENTS)
    return required.get("held_as"), answer["warnings"]


def test_engine_counts_verified_unverified_and_failed_badges_differently(client: FlaskClient) -> None:
    """In learner.badges: verified counts at 1.0, unverified at 0.8, failed not at all (a warning)."""
    key = Ed25519PrivateKey.generate()
    via = {"badge": "Cloud Incident Response", "alignment": CLOUD_INCIDENTS, "declared": True}
    verified = add_proof(ob3(did_key(key)), key)
    held, warnings = gap_held(client, verified)
    assert (held, warnings) == ({"id": CLOUD_INCIDENTS, "label": "respond to incidents in cloud", "similarity": 1.0,
                                 "source": {**via, "verification": "verified"}}, [])
    unverified_skills = client.post("/v1/badges/import", json={"badges": [fixture("ob3-credential.json")]}).get_json()
    assert unverified_skills["skills"][0]["confidence"] == 0.8
    tampered = copy.deepcopy(verified)
    tampered["credentialSubject"]["achievement"]["name"] = "Cloud Incident Commander"
    held, warnings = gap_held(client, tampered)
    assert held is None
    assert [w for w in warnings if w["pointer"] == "/learner/badges/0"] == [
        {"code": "badge_failed", "pointer": "/learner/badges/0",
         "detail": "badge 'Cloud Incident Commander' failed verification (the eddsa-jcs-2022 proof does not match "
                   "the content (altered or wrong key)); not counted"}]


def test_an_alignment_to_an_esco_uri_the_taxonomy_lacks_is_read_by_its_name(client: FlaskClient) -> None:
    """An ESCO alignment whose URI the taxonomy lacks (a typo, another ESCO version) is warned about and matched by
    its words (targetName), so the badge still counts for the skill it names; without them, the badge's own name is
    read, as for a badge with no alignment."""
    doc = fixture("ob3-credential.json")
    unknown = "http://data.europa.eu/esco/skill/00000000-0000-4000-8000-000000000000"
    doc["credentialSubject"]["achievement"]["alignment"][0]["targetUrl"] = unknown
    status, body = import_json(client, [doc])
    assert status == 200
    assert [(s["id"], s["source"]["alignment"], s["source"]["unknown_target"]) for s in body["skills"]] == [
        (CLOUD_INCIDENTS, "respond to incidents in cloud", unknown)]
    assert body["warnings"] == [{"code": "unknown_skill", "pointer": "/badges/0", "detail": f"aligned skill "
                                 f"{unknown!r} is not in the taxonomy; its words are read instead"}]
    del doc["credentialSubject"]["achievement"]["alignment"][0]["targetName"]
    status, body = import_json(client, [doc])
    assert body["warnings"] == [
        {"code": "unknown_skill", "pointer": "/badges/0",
         "detail": f"aligned skill {unknown!r} is not in the taxonomy"},
        {"code": "badge_read_as_skill", "pointer": "/badges/0",
         "detail": "badge 'Cloud Incident Response' matched no catalogue credential and was read as a skill"}]
    assert [(s["id"], s["source"]["badge_text"]) for s in body["skills"]] == [
        (CLOUD_INCIDENTS, "Cloud Incident Response")]


def test_badge_warnings_follow_the_badges_order(client: FlaskClient) -> None:
    """Warnings about Open Badges documents and about badge strings come in the order of the badges they point to."""
    key = Ed25519PrivateKey.generate()
    tampered = add_proof(ob3(did_key(key)), key)
    tampered["credentialSubject"]["achievement"]["name"] = "Cloud Incident Commander"
    body = {"learner": {"badges": ["n/a", tampered, "none"]}, "target": {"role_id": CLOUD_ENGINEER}}
    warnings = client.post("/v1/gap", json=body, headers=RID).get_json()["warnings"]
    assert [(w["code"], w["pointer"]) for w in warnings] == [
        ("badge_unmatched", "/learner/badges/0"), ("badge_failed", "/learner/badges/1"),
        ("badge_unmatched", "/learner/badges/2")]


def test_an_alignment_named_by_a_posting_phrasing_holds_its_skill(client: FlaskClient) -> None:
    """An alignment that names a tool as postings do ("Power BI") holds the skill the lexicon gives it, at IDIOM_SCORE
    scaled by the badge's factor (0.8: this document is not verified), and its O*NET category's skill, as a posting
    naming it requires both; so do the same words typed as a learner's skill. Before, its words alone were matched by
    meaning."""
    doc = fixture("ob3-credential.json")
    doc["credentialSubject"]["achievement"]["alignment"] = [
        {"type": ["Alignment"], "targetName": "Power BI", "targetUrl": "https://example.org/skills/power-bi"}]
    status, body = import_json(client, [doc])
    typed = client.post("/v1/gap", json={"learner": {"skills": ["Power BI"]}, "target": {"role_id": CLOUD_ENGINEER}})
    assert status == 200
    assert [(s["label"], s["confidence"], s["source"].get("idiom"), s["source"].get("tool", {}).get("name"))
            for s in body["skills"]] == [
        ("business intelligence", 0.6212, None, "Microsoft Power BI"),  # the tool's category, 0.7765 x 0.8
        ("data visualisation software", 0.72, "Power BI", None)]
    assert [(s["label"], s["source"].get("idiom"), s["source"].get("tool", {}).get("name"))
            for s in typed.get_json()["held"]["skills"]] == [
        ("business intelligence", None, "Microsoft Power BI"), ("data visualisation software", "Power BI", None)]


def test_an_open_badge_named_as_a_course_with_its_kind_holds_that_course(client: FlaskClient) -> None:
    """An Open Badge whose achievement is a catalogue course's name dressed with its kind ("... Professional
    Certificate") holds that course, as the same title typed as a badge does, besides its aligned skill."""
    doc = fixture("ob3-credential.json")
    name = "Applied Plotting, Charting & Data Representation in Python"
    doc["credentialSubject"]["achievement"]["name"] = f"{name} Professional Certificate"
    status, body = import_json(client, [doc])
    assert status == 200
    assert [(b["resolved"], b.get("credential"), [s["id"] for s in b["skills"]]) for b in body["badges"]] == [
        ("credential", PLOT, [CLOUD_INCIDENTS])]
    typed = client.post("/v1/badges/import", json={"badges": [f"{name} Professional Certificate"]}, headers=RID)
    assert [b.get("credential") for b in typed.get_json()["badges"]] == [PLOT]
