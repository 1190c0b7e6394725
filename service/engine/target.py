"""Target resolution: a role id, a free-text title or a job description becomes weighted required skills."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import calibration
from ..index import Hit
from ..schemas import Target
from .core import Engine, NotFound, Record, skill_ref
from .text import is_boilerplate, phrases

RELATION_WEIGHT = {"essential": 1.0, "optional": 0.5}
ROLE_FUSION_MARGIN = 0.05
ROLE_FUSION_MAX = 3
PHRASES_MAX = 120
ROLE_SHARE = 0.5


def role_ref(engine: Engine, pos: int, score: float | None = None) -> Record:
    """The short form of a role used in answers."""
    role = engine.role(pos)
    ref: Record = {"id": role["id"], "title": role["title"], "isco_code": role.get("isco_code")}
    if score is not None:
        ref["score"] = round(score, 4)
    return ref


def add_role_profile(engine: Engine, pos: int, weight: float, required: dict[int, Record]) -> None:
    """Add a role's essential and optional skills, weighted by the role's match weight."""
    role = engine.role(pos)
    for item in role["skills"]:
        spos = engine.artifact.skill_pos[item["id"]]
        importance = RELATION_WEIGHT[item["relation"]] * weight
        entry = required.setdefault(spos, new_requirement(engine, spos, item["relation"]))
        entry["importance"] = max(entry["importance"], importance)
        if RELATION_WEIGHT[item["relation"]] > RELATION_WEIGHT.get(entry["relation"], 0.0):
            entry["relation"] = item["relation"]
        entry["evidence"].append(
            {"source": "role", "role_id": role["id"], "role_title": role["title"], "relation": item["relation"]}
        )


def new_requirement(engine: Engine, pos: int, relation: str) -> Record:
    """An empty required-skill entry."""
    return {**skill_ref(engine.skill(pos)), "pos": pos, "importance": 0.0, "relation": relation, "evidence": []}


def match_roles(engine: Engine, text: str, by_description: bool, k: int = 10) -> list[tuple[int, float]]:
    """Roles nearest a title (by titles) or a text (by descriptions), best first."""
    hits = engine.search_roles(engine.encode([text]), k, by_description=by_description)[0]
    return [(h.owner, h.score) for h in hits]


def fused_roles(matches: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """The best role plus near-ties, each with a weight relative to the best score."""
    if not matches or matches[0][1] < calibration.ROLE_MATCH:
        return []
    best = matches[0][1]
    near = [(p, s) for p, s in matches if s >= best - ROLE_FUSION_MARGIN][:ROLE_FUSION_MAX]
    return [(p, s / best) for p, s in near]


def skill_hits(engine: Engine, vectors: np.ndarray, k: int) -> list[list[Hit]]:
    """The best skills per phrase vector, as the matcher scores them."""
    return engine.search_skills(vectors, k)


def extract_skills(engine: Engine, text: str, k: int = 3) -> tuple[dict[int, Record], list[str]]:
    """Skills named by the phrases of a posting, with the phrase as evidence; also dropped boilerplate."""
    parts = phrases(text)[:PHRASES_MAX]
    kept = [p for p in parts if not is_boilerplate(p)]
    dropped = [p for p in parts if is_boilerplate(p)]
    found: dict[int, Record] = {}
    if not kept:
        return found, dropped
    for phrase, hits in zip(kept, skill_hits(engine, engine.encode(kept), k), strict=True):
        for hit in hits:
            if hit.score >= calibration.PHRASE_SKILL:
                record_phrase(engine, found, hit.owner, hit.score, phrase, hit.text)
    return found, dropped


def record_phrase(
    engine: Engine, found: dict[int, Record], pos: int, score: float, phrase: str, matched: str
) -> None:
    """Keep a phrase match as evidence; the skill's score is its best phrase score."""
    entry = found.setdefault(pos, {**new_requirement(engine, pos, "extracted"), "score": 0.0})
    entry["score"] = max(entry["score"], round(score, 4))
    entry["evidence"].append({"source": "text", "phrase": phrase, "matched": matched, "score": round(score, 4)})


def extraction_weight(score: float) -> float:
    """Map a phrase score above the threshold to an importance in [0.5, 1]."""
    span = max(1e-6, 1.0 - calibration.PHRASE_SKILL)
    return 0.5 + 0.5 * min(1.0, (score - calibration.PHRASE_SKILL) / span)


def fuse(extracted: dict[int, Record], profile: dict[int, Record]) -> dict[int, Record]:
    """Combine extracted skills and role-profile skills by noisy-or of their importances."""
    fused: dict[int, Record] = {}
    for pos in sorted(set(extracted) | set(profile)):
        ext, prof = extracted.get(pos), profile.get(pos)
        e = extraction_weight(ext["score"]) if ext else 0.0
        r = prof["importance"] * ROLE_SHARE if prof else 0.0
        base = dict(ext or prof or {})
        base["importance"] = 1 - (1 - e) * (1 - r)
        base["relation"] = prof["relation"] if prof else "extracted"
        base["evidence"] = (ext or {}).get("evidence", []) + (prof or {}).get("evidence", [])
        fused[pos] = base
    return fused


def resolve_target(engine: Engine, target: Target) -> tuple[Record, list[Record], list[Record]]:
    """Return (target summary, required skills best first, warnings)."""
    warnings: list[Record] = []
    if target.role_id:
        pos = engine.artifact.role_pos.get(target.role_id)
        if pos is None:
            raise NotFound("role", target.role_id, "/target/role_id")
        required: dict[int, Record] = {}
        add_role_profile(engine, pos, 1.0, required)
        summary: Record = {"kind": "role", "role": role_ref(engine, pos, 1.0), "roles": [role_ref(engine, pos, 1.0)]}
        return summary, ranked(required), warnings
    return resolve_text_target(engine, target, warnings)


def resolve_text_target(
    engine: Engine, target: Target, warnings: list[Record]
) -> tuple[Record, list[Record], list[Record]]:
    """Resolve a free-text title and/or description."""
    matches = match_roles(engine, target.title, False) if target.title else []
    if target.description and not matches:
        matches = match_roles(engine, target.description, True)
    roles = fused_roles(matches)
    profile: dict[int, Record] = {}
    for pos, weight in roles:
        add_role_profile(engine, pos, weight, profile)
    summary: Record = {
        "kind": "description" if target.description else "title",
        "role": role_ref(engine, roles[0][0], matches[0][1]) if roles else None,
        "roles": [role_ref(engine, p, s) for p, s in matches[:5]],
    }
    if not roles:
        warnings.append(no_role_warning(matches))
    if not target.description:
        return summary, ranked(profile), warnings
    extracted, dropped = extract_skills(engine, target.description)
    summary["boilerplate_dropped"] = dropped
    if not extracted and not profile:
        warnings.append({"code": "no_skills_found", "detail": "no phrase of the description matched a skill"})
    return summary, ranked(fuse(extracted, profile)), warnings


def no_role_warning(matches: list[tuple[int, float]]) -> Record:
    """Warning that no role matched well enough to be trusted."""
    best = f" (best score {matches[0][1]:.2f})" if matches else ""
    return {
        "code": "no_role_match",
        "detail": f"no role matched above {calibration.ROLE_MATCH}{best}; no role profile was used",
    }


def ranked(required: dict[int, Record]) -> list[Record]:
    """Required skills by importance, then essential first, then id; importances rounded."""
    out: list[Any] = []
    for entry in sorted(required.values(), key=lambda e: (-round(e["importance"], 6), e["id"])):
        entry["importance"] = round(entry["importance"], 4)
        out.append(entry)
    return out
