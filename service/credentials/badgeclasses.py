"""Open Badges 2.0 BadgeClass and 3.0 Achievement definitions to credential records."""

from __future__ import annotations

import urllib.parse
from pathlib import Path
from typing import Any

from .ingest import Draft, Ingest, at, blank, child, esco_uri, load_json, slug_id
from .values import as_list, ident, text

ACHIEVEMENT_TYPES = {
    "Badge": "badge", "MicroCredential": "micro-credential", "Certificate": "certificate",
    "Diploma": "certificate", "Certification": "professional certificate", "License": "professional certificate",
    "Course": "course", "LearningProgram": "program", "AssociateDegree": "degree", "BachelorDegree": "degree",
    "MasterDegree": "degree", "DoctoralDegree": "degree", "Degree": "degree",
}


def read_badge_classes(path: Path, ingest: Ingest) -> None:
    """One BadgeClass/Achievement or a list of them, as drafts."""
    value = load_json(path, ingest)
    if value is None:
        return
    items = [(child("", i), v) for i, v in enumerate(value)] if isinstance(value, list) else [("", value)]
    for pointer, item in items:
        types = {str(t) for t in as_list(item.get("type"))} if isinstance(item, dict) else set()
        if isinstance(item, dict) and types & {"BadgeClass", "Achievement"}:
            ingest.drafts.append(badge_class(path, ingest, item, pointer, "BadgeClass" in types))
        else:
            ingest.problem(at(path, child(pointer, "type")), "not an Open Badges 2.0 BadgeClass or 3.0 Achievement")


def owner(path: Path, ingest: Ingest, value: Any, pointer: str) -> str | None:
    """The issuer (2.0) or creator (3.0) name; a profile URL alone gives its host name, with a warning."""
    if isinstance(value, dict) and text(value.get("name")):
        return text(value.get("name"))
    host = urllib.parse.urlsplit(value).hostname if isinstance(value, str) else None
    if host:
        ingest.warn(at(path, pointer), f"issuer profile {value[:200]} is not embedded (not fetched); provider "
                                       f"set to its host {host}")
        return host
    ingest.problem(at(path, pointer), "no provider: embed the issuer profile (with a name) or give its URL")
    return None


def web_page(item: dict[str, Any]) -> str | None:
    """The human page of a badge: its criteria URL, else its own http(s) id."""
    for value in (ident(item.get("criteria")), ident(item)):
        if value and value.startswith(("http://", "https://")):
            return value
    return None


def badge_class(path: Path, ingest: Ingest, item: dict[str, Any], pointer: str, ob2: bool) -> Draft:
    """One class as a draft record; alignments are competencies and tags are skill tags."""
    name = text(item.get("name"))
    if not name:
        ingest.problem(at(path, child(pointer, "name")), "a badge class needs a name")
    owner_key = "issuer" if ob2 else "creator"
    provider = owner(path, ingest, item.get(owner_key), child(pointer, owner_key))
    kind = ACHIEVEMENT_TYPES.get(str(item.get("achievementType", "Badge")), "badge")
    found = {"provider": provider, "url": web_page(item), "hours": ingest.hours(
        None, at(path, pointer), "duration (Open Badges has no duration field)")}
    languages = [str(v).split("-")[0].lower() for v in as_list(item.get("inLanguage"))]
    record = {**blank("Open Badges"), "id": slug_id("ob", name or "x", ident(item) or f"{name}|{provider}"),
              "name": name or "", "type": kind, "description": text(item.get("description")) or "",
              **({"language": languages[0]} if languages else {}), **{k: v for k, v in found.items() if v}}
    draft = Draft(at(path, pointer), record, {a for a in (ident(item),) if a})
    for tag in as_list(item.get("tags" if ob2 else "tag")):
        if isinstance(tag, str) and tag.strip():
            draft.tag(tag.strip())
    for i, alignment in enumerate(as_list(item.get("alignment"))):
        where = at(path, child(pointer, "alignment", i))
        if isinstance(alignment, dict):
            uri = esco_uri(alignment.get("targetUrl")) or esco_uri(alignment.get("targetCode"))
            ingest.competency(draft, uri, text(alignment.get("targetName")), where)
        else:
            ingest.problem(where, "an alignment must be an object")
    return draft
