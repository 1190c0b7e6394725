"""Read a learner's Open Badges (2.0 Assertion, 3.0 OpenBadgeCredential) from JSON, a JWT or a baked image."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from .baked import data_uri, decoded, png_payload, sniff, svg_payload
from .errors import FormatError, escape
from .jose import Jws, decode_jws, is_compact_jws
from .values import as_list, ident, instant, iso, text
from .verify import Verification, verify_jws, verify_proofs

OB2, OB3 = "Open Badges 2.0", "Open Badges 3.0"
OB3_TYPES = {"OpenBadgeCredential", "AchievementCredential"}
NOT_FETCHED = "not fetched: reading it needs the network"


@dataclass(frozen=True)
class Badge:
    """An Open Badge as read from any container, with what it claims and how it checked out."""

    spec: str
    container: str
    id: str | None
    name: str | None
    description: str | None
    issuer: dict[str, str | None]
    issued_on: datetime | None
    expires: datetime | None
    alignments: list[dict[str, str]]
    verification: Verification
    notes: list[str] = field(default_factory=list)
    expired: bool = False

    def report(self) -> dict[str, Any]:
        """What the badge says, in the answer's shape."""
        return {
            "spec": self.spec, "container": self.container, "id": self.id, "name": self.name,
            "description": self.description, "issuer": self.issuer, "issued_on": iso(self.issued_on),
            "expires": iso(self.expires), "expired": self.expired, "alignments": self.alignments,
            "notes": self.notes,
        }


def read_item(item: str | dict[str, Any] | bytes, now: datetime) -> Badge | None:
    """The badge a learner's entry holds: a JSON document, a JWT, a data: URI or file bytes; None for ids/titles."""
    if isinstance(item, dict):
        return read_document(item, "json", now)
    if isinstance(item, bytes):
        return read_bytes(item, now)
    if is_compact_jws(item.strip()):
        return read_jws(item.strip(), "jwt", now)
    if item.startswith("data:"):
        return read_bytes(data_uri(item), now)
    return None


def read_bytes(data: bytes, now: datetime) -> Badge:
    """A badge file: baked PNG or SVG, JSON, or a JWT."""
    kind = sniff(data)
    if kind == "png":
        return read_text(png_payload(data), "png", now)
    if kind == "svg":
        return read_text(svg_payload(data), "svg", now)
    return read_text(decoded(data, "the file"), "jwt" if kind == "jws" else "json", now)


def read_text(payload: str, container: str, now: datetime) -> Badge:
    """A badge payload: JSON, a compact JWS, or the URL of a hosted assertion."""
    payload = payload.strip()
    if is_compact_jws(payload):
        return read_jws(payload, container, now)
    if payload.startswith("{"):
        return read_document(load_json(payload), container, now)
    if payload.startswith(("http://", "https://")):
        return hosted(payload[:500], container)
    raise FormatError("the badge payload is neither JSON, a JWS nor an assertion URL")


def load_json(payload: str) -> dict[str, Any]:
    """A JSON object, or a FormatError with the line and column of the fault."""
    try:
        value = json.loads(payload)
    except json.JSONDecodeError as exc:
        raise FormatError(f"malformed JSON: {exc.msg}", line=exc.lineno, column=exc.colno,
                          kind="malformed_json") from exc
    except RecursionError as exc:
        raise FormatError("JSON nested too deeply", kind="malformed_json") from exc
    if not isinstance(value, dict):
        raise FormatError("a badge document must be a JSON object")
    return value


def hosted(url: str, container: str) -> Badge:
    """A baked badge that only points at its hosted assertion."""
    reason = f"the hosted assertion at {url} was {NOT_FETCHED}"
    return Badge(OB2, container, url, None, None, {"id": None, "name": None}, None, None, [],
                 Verification("unverified", reason), [reason])


def read_document(doc: dict[str, Any], container: str, now: datetime) -> Badge:
    """An OB 3.0 credential (its embedded proofs checked) or an OB 2.0 assertion, as given in JSON."""
    if is_ob3(doc):
        badge = ob3(doc, container)
        return dated(replace(badge, verification=verify_proofs(doc, badge.issuer["id"])), now)
    return dated(ob2(doc, container), now)


def is_ob3(doc: dict[str, Any]) -> bool:
    """OB 3.0 when typed so or shaped as a credential; OB 2.0 when an Assertion; else not a badge."""
    types = {str(t) for t in as_list(doc.get("type"))}
    if types & OB3_TYPES or "credentialSubject" in doc:
        return True
    if "Assertion" in types or "badge" in doc:
        return False
    raise FormatError("not an Open Badges 2.0 Assertion or 3.0 OpenBadgeCredential", "/type")


def read_jws(token: str, container: str, now: datetime) -> Badge:
    """A VC-JWT (OB 3.0; payload `vc` or the credential itself) or a signed OB 2.0 assertion.

    The JWT's nbf/exp claims stand in for validity dates the credential does not state itself.
    """
    jws = decode_jws(token)
    inner = isinstance(jws.payload.get("vc"), dict)
    doc = jws.payload["vc"] if inner else jws.payload
    try:
        badge = ob3(doc, container) if is_ob3(doc) else ob2(doc, container)
    except FormatError as exc:
        raise exc.within("/vc" if inner else "") from None
    issued = badge.issued_on or instant(jws.payload.get("nbf"), "/nbf")
    expires = badge.expires or instant(jws.payload.get("exp"), "/exp")
    verification = jws_verification(jws, doc, badge)
    return dated(replace(badge, verification=verification, issued_on=issued, expires=expires), now)


def jws_verification(jws: Jws, doc: dict[str, Any], badge: Badge) -> Verification:
    """The JWS check (an OB 2.0 key is named by verification.creator); OB 3.0's `iss` must be the issuer."""
    if badge.spec == OB2:
        method = doc.get("verification")
        creator = method.get("creator") if isinstance(method, dict) else None
        return verify_jws(jws, creator if isinstance(creator, str) else None)
    iss = jws.payload.get("iss")
    if iss is not None and badge.issuer["id"] and iss != badge.issuer["id"]:
        return Verification("failed", f"the JWT iss {str(iss)[:80]} is not the credential's issuer "
                                      f"{badge.issuer['id'][:80]}")
    return verify_jws(jws, badge.issuer["id"] or (iss if isinstance(iss, str) else None))


def dated(badge: Badge, now: datetime) -> Badge:
    """Expired and not-yet-valid badges fail, whatever their signature says (which the reason keeps)."""
    expired = badge.expires is not None and badge.expires <= now
    early = badge.issued_on is not None and badge.issued_on > now
    if not (expired or early):
        return badge
    problem = f"expired on {iso(badge.expires)}" if expired else f"not valid before {iso(badge.issued_on)}"
    old = badge.verification
    reason = problem if old.status != "failed" else f"{problem}; {old.reason}"
    return replace(badge, verification=Verification("failed", reason, old.method), expired=expired)


def issuer_of(value: Any, pointer: str, notes: list[str]) -> dict[str, str | None]:
    """An issuer given as an embedded profile or as its URL (which is not fetched)."""
    if isinstance(value, str):
        notes.append(f"the issuer profile at {value[:200]} was {NOT_FETCHED}")
        return {"id": value, "name": None}
    if isinstance(value, dict) and (ident(value) or text(value.get("name"))):
        return {"id": ident(value), "name": text(value.get("name"))}
    raise FormatError("an issuer must be a profile object (with id or name) or its URL", pointer)


def alignments(value: Any, pointer: str) -> list[dict[str, str]]:
    """The alignment entries of a BadgeClass or Achievement."""
    out = []
    for i, item in enumerate(as_list(value)):
        if not isinstance(item, dict):
            raise FormatError("an alignment must be an object", f"{pointer}{escape(i)}")
        fields = {"name": "targetName", "url": "targetUrl", "code": "targetCode", "framework": "targetFramework",
                  "description": "targetDescription"}
        entry = {k: t for k, key in fields.items() if (t := text(item.get(key)))}
        if not ({"name", "url", "code"} & entry.keys()):
            raise FormatError("an alignment needs a targetName, targetUrl or targetCode", f"{pointer}{escape(i)}")
        out.append(entry)
    return out


def ob2(doc: dict[str, Any], container: str) -> Badge:
    """An OB 2.0 Assertion; its BadgeClass must be embedded to be read (a URL is not fetched)."""
    notes: list[str] = []
    badge_class = doc.get("badge")
    if isinstance(badge_class, str):
        notes.append(f"the BadgeClass at {badge_class[:200]} was {NOT_FETCHED}")
        badge_class = {}
    elif not isinstance(badge_class, dict):
        raise FormatError("an Assertion needs its badge: an embedded BadgeClass or its URL", "/badge")
    elif not text(badge_class.get("name")):
        raise FormatError("the BadgeClass needs a name", "/badge/name")
    issuer: dict[str, str | None] = {"id": None, "name": None}
    if "issuer" in badge_class:
        issuer = issuer_of(badge_class["issuer"], "/badge/issuer", notes)
    verification = ob2_verification(doc.get("verification"))
    return Badge(OB2, container, ident(doc), text(badge_class.get("name")), text(badge_class.get("description")),
                 issuer, instant(doc.get("issuedOn"), "/issuedOn"), instant(doc.get("expires"), "/expires"),
                 alignments(badge_class.get("alignment"), "/badge/alignment"), verification, notes)


def ob2_verification(value: Any) -> Verification:
    """OB 2.0 JSON alone cannot be verified offline: hosted needs the URL, signed needs the JWS and key."""
    kind = str(value.get("type", "")) if isinstance(value, dict) else ""
    if kind in ("hosted", "HostedBadge"):
        return Verification("unverified", f"hosted verification re-reads the assertion at its URL; {NOT_FETCHED}")
    if kind in ("signed", "SignedBadge"):
        return Verification("unverified", "a signed assertion is checked from its JWS; this is the bare JSON")
    return Verification("unverified", "the assertion names no verification method")


def ob3(doc: dict[str, Any], container: str) -> Badge:
    """An OB 3.0 OpenBadgeCredential with its embedded Achievement."""
    notes: list[str] = []
    subject, pointer = first_object(doc.get("credentialSubject"), "/credentialSubject")
    achievement = subject.get("achievement")
    if not isinstance(achievement, dict):
        raise FormatError("the credentialSubject needs an embedded Achievement", f"{pointer}/achievement")
    if not text(achievement.get("name")):
        raise FormatError("the Achievement needs a name", f"{pointer}/achievement/name")
    if "issuer" not in doc:
        raise FormatError("the credential needs an issuer", "/issuer")
    issued_key = "validFrom" if "validFrom" in doc else "issuanceDate"
    expiry_key = "validUntil" if "validUntil" in doc else "expirationDate"
    return Badge(OB3, container, ident(doc), text(achievement.get("name")), text(achievement.get("description")),
                 issuer_of(doc["issuer"], "/issuer", notes), instant(doc.get(issued_key), f"/{issued_key}"),
                 instant(doc.get(expiry_key), f"/{expiry_key}"),
                 alignments(achievement.get("alignment"), f"{pointer}/achievement/alignment"),
                 Verification("unverified"), notes)


def first_object(value: Any, pointer: str) -> tuple[dict[str, Any], str]:
    """The first object of a one-or-many value, with its pointer."""
    if isinstance(value, dict):
        return value, pointer
    for i, item in enumerate(as_list(value)):
        if isinstance(item, dict):
            return item, f"{pointer}/{i}"
    raise FormatError("the credential needs a credentialSubject object", pointer)
