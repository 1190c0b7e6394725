"""A recommended path as a CTDL ceterms:Pathway (JSON-LD): one component per step and the target as destination."""

from __future__ import annotations

import json
import uuid
from datetime import date, timedelta
from typing import Any

Record = dict[str, Any]
CTDL_CONTEXT = "https://credreg.net/ctdl/schema/context/json"
EXTENSION = "https://badgepath.dev/ns#"
NAMESPACE = uuid.UUID("6f9a3c52-8a43-5d0e-9b1c-2f1f6f0c9d41")
COURSE_TYPES = ("course", "guided project", "project")
LANG = "en-US"


def step_dates(start: date, step: Record) -> tuple[date, date]:
    """First day of a step's first week and the day after its last week."""
    return start + timedelta(weeks=step["start_week"] - 1), start + timedelta(weeks=step["end_week"])


def target_name(result: Record) -> str:
    """The target as words: the role title, or the free-text title, or 'the described role'."""
    target = result["target"]
    if target.get("role"):
        return str(target["role"]["title"])
    return str(target.get("title") or "the described role")


def identifiers(result: Record, start: date) -> tuple[str, ...]:
    """Stable UUIDs (as strings) for the pathway, its destination and each step: same request, same ids."""
    target = result["target"].get("role") or {}
    seed = json.dumps([target.get("id"), target_name(result), start.isoformat(),
                       [s["credential"]["id"] for s in result["path"]["steps"]]])
    parts = ["pathway", "destination", *(f"step-{i}" for i in range(len(result["path"]["steps"])))]
    return tuple(str(uuid.uuid5(NAMESPACE, f"{seed}|{part}")) for part in parts)


def node(key: str) -> str:
    """The JSON-LD @id of a generated resource."""
    return f"urn:uuid:{key}"


def pathway(result: Record, start: date) -> Record:
    """The CTDL Pathway JSON-LD document of a recommendation answer, starting on start."""
    steps = result["path"]["steps"]
    pid, gid, *sids = identifiers(result, start)
    name = target_name(result)
    head = {
        "@id": node(pid), "@type": "ceterms:Pathway", "ceterms:ctid": f"ce-{pid}",
        "ceterms:name": {LANG: f"Learning path to {name}"},
        "ceterms:description": {LANG: f"{len(steps)} step(s), {result['path']['total_hours']} hours over "
                                      f"{result['path']['total_weeks']} week(s) from {start.isoformat()}; "
                                      f"skill coverage {result['path']['coverage_before']} to "
                                      f"{result['path']['coverage_after']}."},
        "ceterms:hasDestinationComponent": [node(gid)], "ceterms:hasChild": [node(gid)],
        "ceterms:hasPart": [node(gid), *map(node, sids)],
        "badgepath:startDate": start.isoformat(), "badgepath:totalHours": result["path"]["total_hours"],
    }
    components = [component(step, i, start, pid, gid, sids) for i, step in enumerate(steps)]
    return {"@context": [CTDL_CONTEXT, {"badgepath": EXTENSION}],
            "@graph": [head, destination(result, name, pid, gid, sids), *components]}


def destination(result: Record, name: str, pid: str, gid: str, sids: list[str]) -> Record:
    """The destination component: the target role, whose children are the steps."""
    role = result["target"].get("role")
    out: Record = {
        "@id": node(gid), "@type": "ceterms:JobComponent", "ceterms:ctid": f"ce-{gid}",
        "ceterms:name": {LANG: name}, "ceterms:isDestinationComponentOf": [node(pid)],
        "ceterms:isPartOf": [node(pid)], "ceterms:hasChild": [node(s) for s in sids],
    }
    if role:
        out["ceterms:sourceData"] = role["id"]
    if sids:
        out["ceterms:precededBy"] = [node(sids[-1])]
    return out


def component(step: Record, index: int, start: date, pid: str, gid: str, sids: list[str]) -> Record:
    """One step as a Course or Credential component, preceding the next step (the last precedes the goal)."""
    cred = step["credential"]
    first, after = step_dates(start, step)
    out: Record = {
        "@id": node(sids[index]), "@type": "ceterms:CourseComponent" if cred.get("type") in COURSE_TYPES
        else "ceterms:CredentialComponent",
        "ceterms:ctid": f"ce-{sids[index]}", "ceterms:name": {LANG: cred["name"]},
        "ceterms:description": {LANG: step["why"]}, "ceterms:isPartOf": [node(pid)],
        "ceterms:isChildOf": [node(gid)],
        "ceterms:precedes": [node(sids[index + 1] if index + 1 < len(sids) else gid)],
        "badgepath:credentialId": cred["id"], "badgepath:provider": cred.get("provider"),
        "badgepath:hours": step["hours"], "badgepath:startWeek": step["start_week"],
        "badgepath:endWeek": step["end_week"], "badgepath:startDate": first.isoformat(),
        "badgepath:endDate": (after - timedelta(days=1)).isoformat(),
        "badgepath:covers": [{"@id": c["id"]} for c in step["covers"]],
    }
    if index:
        out["ceterms:precededBy"] = [node(sids[index - 1])]
    if cred.get("url"):
        out["ceterms:sourceData"] = cred["url"]
    return out
