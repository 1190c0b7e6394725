"""Credential Engine CTDL JSON-LD to credential records.

Reads the registry's compact form (the `ceterms:` prefixes of https://credreg.net/ctdl/schema/context/json) as
published: one resource, a list, or an `@graph`; blank nodes and organizations are looked up within the file.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .ingest import Draft, Ingest, at, blank, child, load_json, slug_id
from .values import as_list, ident, text

TYPES = {
    "ceterms:Badge": "badge", "ceterms:DigitalBadge": "badge", "ceterms:OpenBadge": "badge",
    "ceterms:MicroCredential": "micro-credential", "ceterms:Certificate": "certificate",
    "ceterms:CertificateOfCompletion": "certificate", "ceterms:AcademicCertificate": "certificate",
    "ceterms:ApprenticeshipCertificate": "certificate", "ceterms:JourneymanCertificate": "certificate",
    "ceterms:MasterCertificate": "certificate", "ceterms:Diploma": "certificate",
    "ceterms:Certification": "professional certificate", "ceterms:License": "professional certificate",
    "ceterms:Degree": "degree", "ceterms:AssociateDegree": "degree", "ceterms:BachelorDegree": "degree",
    "ceterms:MasterDegree": "degree", "ceterms:DoctoralDegree": "degree", "ceterms:Course": "course",
    "ceterms:LearningOpportunityProfile": "course", "ceterms:LearningProgram": "program",
}
KNOWN = {
    "ceterms:CredentialOrganization", "ceterms:QACredentialOrganization", "ceterms:Organization",
    "ceterms:ConditionProfile", "ceterms:DurationProfile", "ceterms:CostProfile",
    "ceterms:CredentialAlignmentObject", "ceasn:Competency", "ceasn:CompetencyFramework",
}
CTID = re.compile(r"^ce-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
NUMBER = r"(\d+(?:[.,]\d+)?)"
DURATION = re.compile(rf"P(?:{NUMBER}Y)?(?:{NUMBER}M)?(?:{NUMBER}W)?(?:{NUMBER}D)?"
                      rf"(?:T(?:{NUMBER}H)?(?:{NUMBER}M)?(?:{NUMBER}S)?)?")
# Calendar parts at the catalogue's assumed load (5 h/week, 4.33 weeks/month); time parts are study hours.
UNIT_HOURS = (52 * 5.0, 4.33 * 5.0, 5.0, 5.0 / 7, 1.0, 1 / 60, 1 / 3600)
LEVELS = (("beginner", "beginner"), ("introductory", "beginner"), ("intermediate", "intermediate"),
          ("advanced", "advanced"))
RELATIONS = {"ceterms:requires": "requires", "ceterms:isRequiredFor": "required_by",
             "ceterms:isPreparationFor": "required_by"}
TARGETS = ("ceterms:targetCredential", "ceterms:targetLearningOpportunity")


def duration_hours(value: Any) -> float:
    """Learning hours of an ISO 8601 duration (ValueError when it is not one, or is zero)."""
    match = DURATION.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None or not any(match.groups()) or value.strip().endswith("T"):
        raise ValueError(f"{str(value)[:40]!r} is not an ISO 8601 duration")
    hours = sum(float(n.replace(",", ".")) * h for n, h in zip(match.groups(), UNIT_HOURS, strict=True) if n)
    if round(hours, 2) <= 0:
        raise ValueError(f"{value!r} is no time at all")
    return round(hours, 2)


@dataclass
class Graph:
    """One file's resources by @id, for blank nodes and organizations referenced by id."""

    path: Path
    ingest: Ingest
    by_id: dict[str, dict[str, Any]]

    def deref(self, value: Any) -> Any:
        """The resource an id string names in this file, else the value itself."""
        return self.by_id.get(value, value) if isinstance(value, str) else value

    def problem(self, pointer: str, message: str) -> None:
        """A fault at a JSON pointer of this file."""
        self.ingest.problem(at(self.path, pointer), message)


def nodes(value: Any) -> list[tuple[str, Any]]:
    """The top-level resources of a CTDL document with their pointers."""
    if isinstance(value, dict) and "@graph" in value:
        return [(child("/@graph", i), n) for i, n in enumerate(as_list(value["@graph"]))]
    if isinstance(value, list):
        return [(child("", i), n) for i, n in enumerate(value)]
    return [("", value)]


def read_ctdl(path: Path, ingest: Ingest) -> None:
    """Every credential or learning opportunity of one CTDL JSON-LD file, as drafts."""
    value = load_json(path, ingest)
    if value is None:
        return
    items = nodes(value)
    named = {n["@id"]: n for _, n in items if isinstance(n, dict) and isinstance(n.get("@id"), str)}
    graph, before = Graph(path, ingest, named), (len(ingest.drafts), len(ingest.problems))
    for pointer, node in items:
        if not isinstance(node, dict):
            graph.problem(pointer, "a CTDL resource must be a JSON object")
            continue
        kinds = [str(t) for t in as_list(node.get("@type"))]
        kind = next((TYPES[t] for t in kinds if t in TYPES), None)
        if kind is not None:
            ingest.drafts.append(credential(graph, node, kind, pointer))
        elif not set(kinds) & KNOWN:
            ingest.warn(at(path, child(pointer, "@type")), f"@type {kinds or 'missing'} is not a credential or "
                                                            "learning opportunity; skipped")
    if (len(ingest.drafts), len(ingest.problems)) == before:
        ingest.problem(str(path), "no CTDL credential or learning opportunity found")


def credential(graph: Graph, node: dict[str, Any], kind: str, pointer: str) -> Draft:
    """One CTDL resource as a draft record with its competencies and links."""
    name = text(node.get("ceterms:name"))
    if not name:
        graph.problem(child(pointer, "ceterms:name"), "a credential needs a ceterms:name")
    ctid = str(node.get("ceterms:ctid", "")).lower()
    rid = ctid if CTID.match(ctid) else slug_id("ctdl", name or "x", str(node.get("@id") or name))
    record = {**blank("CTDL"), "id": rid, "name": name or "", "type": kind, "level": level(node),
              "description": text(node.get("ceterms:description")) or "", **optional(graph, node, pointer)}
    aliases = {a for a in (node.get("@id"), node.get("ceterms:ctid")) if isinstance(a, str)}
    draft = Draft(at(graph.path, pointer), record, aliases)
    competencies(graph, node, pointer, draft)
    links(graph, node, pointer, draft)
    return draft


def optional(graph: Graph, node: dict[str, Any], pointer: str) -> dict[str, Any]:
    """Fields present only when the resource gives them (or a default fills them)."""
    faults = len(graph.ingest.problems)
    found: dict[str, Any] = {"provider": provider(graph, node, pointer), "hours": hours(graph, node, pointer),
                             "cost": cost(graph, node, pointer), "url": node.get("ceterms:subjectWebpage")}
    if found["hours"] is None and len(graph.ingest.problems) == faults:
        found["hours"] = graph.ingest.hours(None, at(graph.path, pointer), "ceterms:estimatedDuration")
    languages = [str(v).split("-")[0].lower() for v in as_list(node.get("ceterms:inLanguage"))]
    if languages:
        found["language"] = languages[0]
    return {k: v for k, v in found.items() if v is not None}


def provider(graph: Graph, node: dict[str, Any], pointer: str) -> str | None:
    """The owning (else offering) organization's name; its URI alone is not fetched."""
    for key in ("ceterms:ownedBy", "ceterms:offeredBy"):
        for ref in as_list(node.get(key)):
            org = graph.deref(ref)
            if isinstance(org, dict) and text(org.get("ceterms:name")):
                return text(org.get("ceterms:name"))
    graph.problem(child(pointer, "ceterms:ownedBy"), "no provider: ceterms:ownedBy or ceterms:offeredBy must name "
                                                     "an organization given in this file (a URI is not fetched)")
    return None


def hours(graph: Graph, node: dict[str, Any], pointer: str) -> float | None:
    """Hours from the first DurationProfile: exactDuration, else the mean of minimum and maximum."""
    for i, ref in enumerate(as_list(node.get("ceterms:estimatedDuration"))):
        profile, where = graph.deref(ref), child(pointer, "ceterms:estimatedDuration", i)
        if not isinstance(profile, dict):
            graph.problem(where, "a ceterms:DurationProfile must be an object")
            continue
        keys = ["ceterms:exactDuration"] if "ceterms:exactDuration" in profile else [
            k for k in ("ceterms:minimumDuration", "ceterms:maximumDuration") if k in profile]
        values = []
        for key in keys:
            try:
                values.append(duration_hours(profile[key]))
            except ValueError as exc:
                graph.problem(child(where, key), str(exc))
        if values:
            return round(sum(values) / len(values), 2)
    return None


def cost(graph: Graph, node: dict[str, Any], pointer: str) -> float | None:
    """The lowest USD price among the CostProfiles (other currencies are not converted)."""
    prices = []
    for i, ref in enumerate(as_list(node.get("ceterms:estimatedCost"))):
        profile, where = graph.deref(ref), child(pointer, "ceterms:estimatedCost", i)
        price = profile.get("ceterms:price") if isinstance(profile, dict) else None
        if price is None:
            continue
        try:
            value = float(price)
        except (TypeError, ValueError):
            value = math.nan
        if not math.isfinite(value) or value < 0:
            graph.problem(child(where, "ceterms:price"), f"price {str(price)[:40]!r} is not a non-negative number")
        elif profile.get("ceterms:currency", "USD") != "USD":
            graph.ingest.warn(at(graph.path, where), f"cost in {profile['ceterms:currency']} is not converted; omitted")
        else:
            prices.append(value)
    return min(prices) if prices else None


def level(node: dict[str, Any]) -> str:
    """beginner/intermediate/advanced from ceterms:audienceLevelType (e.g. audLevel:BeginnerLevel), else mixed."""
    words = " ".join(str(ident(v) or text(v.get("ceterms:targetNodeName")) if isinstance(v, dict) else v)
                     for v in as_list(node.get("ceterms:audienceLevelType"))).casefold()
    found = {lvl for word, lvl in LEVELS if word in words}
    return found.pop() if len(found) == 1 else "mixed"


def competencies(graph: Graph, node: dict[str, Any], pointer: str, draft: Draft) -> None:
    """Competencies it teaches or requires to earn it: ESCO URIs declared, others kept as tags."""
    found = [(child(pointer, "ceterms:teaches", i), c) for i, c in enumerate(as_list(node.get("ceterms:teaches")))]
    for i, condition in enumerate(as_list(node.get("ceterms:requires"))):
        condition = graph.deref(condition)
        if isinstance(condition, dict):
            found += [(child(pointer, "ceterms:requires", i, "ceterms:targetCompetency", j), c)
                      for j, c in enumerate(as_list(condition.get("ceterms:targetCompetency")))]
    for where, item in found:
        item = graph.deref(item)
        if isinstance(item, dict):
            uri = ident(item.get("ceterms:targetNode")) or ident(item)
            name = text(item.get("ceterms:targetNodeName")) or text(item.get("ceasn:competencyText"))
            graph.ingest.competency(draft, uri, name, at(graph.path, where))
        else:
            graph.ingest.competency(draft, item, None, at(graph.path, where))


def reference(value: Any) -> str | None:
    """The id of a linked resource: its URI, its @id, or its CTID."""
    found = ident(value)
    if found is None and isinstance(value, dict) and isinstance(value.get("ceterms:ctid"), str):
        return str(value["ceterms:ctid"])
    return found


def links(graph: Graph, node: dict[str, Any], pointer: str, draft: Draft) -> None:
    """Prerequisite and part-of links, resolved once every file is read."""
    for key, relation in RELATIONS.items():
        for i, condition in enumerate(as_list(node.get(key))):
            condition = graph.deref(condition)
            for target_key in TARGETS if isinstance(condition, dict) else ():
                for j, target in enumerate(as_list(condition.get(target_key))):
                    ref = reference(graph.deref(target))
                    if ref:
                        draft.links.append((relation, ref, at(graph.path, child(pointer, key, i, target_key, j))))
    for key, relation in (("ceterms:isPartOf", "part_of"), ("ceterms:hasPart", "has_part")):
        for i, target in enumerate(as_list(node.get(key))):
            ref = reference(graph.deref(target))
            if ref:
                draft.links.append((relation, ref, at(graph.path, child(pointer, key, i))))
