"""Semantic search and lookup of skills, roles and credentials; skill extraction and role matching."""

from __future__ import annotations

from typing import Any, TypeVar

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from .. import calibration
from ..engine.core import ALT, LABEL, Engine, NotFound, Record, alignment_source, evidence_strength
from ..engine.target import extract_skills, language_warning, match_roles, posting_roles, title_hits
from ..errors import Problem
from ..schemas import CredentialQuery, SearchQuery, TextRequest
from . import engine, json_body, parse, query_args

bp = Blueprint("search", __name__, url_prefix="/v1")
TITLE_WORDS = 12
Q = TypeVar("Q", bound=SearchQuery)


def query(model: type[Q]) -> Q:
    """The validated query string; q is required unless a credential search names a skill."""
    parsed = parse(model, query_args())
    if not parsed.q and not getattr(parsed, "skill", None):
        message = "q or skill is required" if model is CredentialQuery else "q is required"
        errors = [{"pointer": "/q", "message": message, "type": "missing"}]
        raise Problem(422, "validation", "Unprocessable Content", "1 invalid field(s)", errors)
    return parsed


@bp.get("/skills")
def search_skills() -> ResponseReturnValue:
    """Skills nearest the query, by label, alt label or description."""
    q, eng = query(SearchQuery), engine()
    hits = eng.search_skills(eng.encode([q.q]), q.limit)[0]
    items = [{**eng.skill_ref(h.owner), "score": round(h.score, 4), "matched": h.text} for h in hits]
    return jsonify({"query": q.q, "skills": items})


@bp.get("/roles")
def search_roles() -> ResponseReturnValue:
    """Roles nearest the query as a title, ranked as /v1/roles/match and a recommendation by title rank them (its
    readings, titles and alt titles blended with descriptions), each with the title or alt title it matched."""
    q, eng = query(SearchQuery), engine()
    items = [role_item(eng, h.owner, h.score, h.text if h.kind in (LABEL, ALT) else eng.role(h.owner)["title"])
             for h in title_hits(eng, q.q, q.limit)]
    return jsonify({"query": q.q, "roles": items})


def role_item(eng: Engine, pos: int, score: float, matched: str) -> Record:
    """A role search result."""
    role = eng.role(pos)
    return {"id": role["id"], "title": role["title"], "isco_code": role.get("isco_code"),
            "score": round(score, 4), "matched": matched}


def teaching(eng: Engine, skill_id: str) -> dict[int, float]:
    """Credentials aligned to a skill id by an alignment a path may claim (Engine.claimed), with its confidence."""
    pos = eng.skill_at(skill_id)
    if pos is None:
        raise NotFound("skill", skill_id, "/skill")
    mask = eng.teaching.skill == pos
    return {int(c): float(s) for c, s in zip(eng.teaching.credential[mask], eng.teaching.confidence[mask],
                                             strict=True)}


@bp.get("/credentials")
def search_credentials() -> ResponseReturnValue:
    """Credentials nearest the query (name and description), optionally only those teaching a skill."""
    q, eng = query(CredentialQuery), engine()
    allowed = teaching(eng, q.skill) if q.skill else None
    if q.q:
        depth = len(eng.artifact.credentials) if allowed is not None else q.limit
        hits = [(h.owner, h.score) for h in eng.search_credentials(eng.encode([q.q]), depth)[0]]
        ranked = [(p, s) for p, s in hits if allowed is None or p in allowed][: q.limit]
    else:
        ranked = sorted((allowed or {}).items(), key=lambda x: (-x[1], eng.credential(x[0])["id"]))[: q.limit]
    items = [{**eng.credential_ref(p), "score": round(s, 4)} for p, s in ranked]
    return jsonify({"query": q.q, "skill": q.skill, "credentials": items})


@bp.get("/roles/<path:role_id>")
def get_role(role_id: str) -> ResponseReturnValue:
    """One role with its skills resolved to labels (ids may be percent-encoded URIs)."""
    eng = engine()
    pos = eng.role_at(role_id)
    if pos is None:
        raise NotFound("role", role_id, "/role_id")
    role = dict(eng.role(pos))
    role["skills"] = [{**eng.skill_ref(eng.artifact.skill_pos[s["id"]]), "relation": s["relation"]}
                      for s in role["skills"]]
    return jsonify(role)


@bp.get("/credentials/<path:credential_id>")
def get_credential(credential_id: str) -> ResponseReturnValue:
    """One credential with its aligned skills resolved to labels."""
    eng = engine()
    pos = eng.artifact.credential_pos.get(credential_id)
    if pos is None:
        raise NotFound("credential", credential_id, "/credential_id")
    cred: dict[str, Any] = dict(eng.credential(pos))
    claimed = eng.claimed[pos]
    tags = frozenset(cred.get("skill_tags", []))
    cred["skills"] = [{**s, "label": eng.skill(eng.artifact.skill_pos[s["id"]])["label"],
                       "claimed": (held := s["id"] in claimed), "read_from": (read := alignment_source(s, tags)),
                       "evidence": evidence_strength(read, float(s.get("confidence", 1.0))) if held else "weak"}
                      for s in cred["skills"]]
    return jsonify(cred)


@bp.post("/skills/extract")
def skills_extract() -> ResponseReturnValue:
    """ESCO skills named in a text, best first, each with the phrases that evidence it."""
    body, eng = parse(TextRequest, json_body()), engine()
    found, dropped = extract_skills(eng, body.text)
    ranked = sorted(found.values(), key=lambda e: (-e["score"], e["id"]))[: body.limit]
    skills = [{"id": e["id"], "label": e["label"], "kind": e["kind"], "score": e["score"], "evidence": e["evidence"],
               **{flag: True for flag in ("nice_to_have", "condition") if e.get(flag)}} for e in ranked]
    warnings = [] if skills else [{"code": "no_skills_found",
                                   "detail": f"no phrase matched a skill above {calibration.PHRASE_SKILL}"}]
    warnings += language_warning(body.text)
    return jsonify({"skills": skills, "boilerplate_dropped": dropped, "warnings": warnings})


@bp.post("/roles/match")
def roles_match() -> ResponseReturnValue:
    """Roles matching a job title (short text) or a job description (long text), best first."""
    body, eng = parse(TextRequest, json_body()), engine()
    by_description = len(body.text.split()) > TITLE_WORDS
    line = None
    if by_description:
        matches, line = posting_roles(eng, body.text, body.limit)
    else:
        matches = match_roles(eng, body.text, False, k=body.limit)
    matched = "description" if by_description and not line else "title"  # a title line matches as a title
    floor = calibration.ROLE_TEXT_MATCH if matched == "description" else calibration.ROLE_MATCH
    roles = [role_item(eng, p, s, matched) for p, s in matches if s >= floor]
    warnings = [] if roles else [{"code": "no_role_match", "detail": f"no role matched above {floor}"}]
    warnings += language_warning(body.text)
    answer = {"roles": roles, "matched_by": "description" if by_description else "title", "warnings": warnings}
    return jsonify({**answer, "title_line": line} if line else answer)
