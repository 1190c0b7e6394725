"""The engine's entry points: gap report and recommendation (gap + explained, time-boxed path)."""

from __future__ import annotations

import numpy as np

from ..schemas import Constraints, GapRequest, RecommendationRequest
from .core import Engine, Record
from .gap import Gap, analyse_gap, public
from .learner import Holdings, learner_texts, resolve_learner
from .planner import (
    LEVEL_RANK,
    Coverage,
    allowed,
    coverage_matrix,
    greedy,
    order_steps,
    via_pairs,
    weeks,
)
from .target import resolve_target, target_texts

MAX_ALTERNATIVES = 2


def focus(engine: Engine, summary: Record, required: list[Record]) -> list[Record]:
    """For a free-text target, keep as many profile skills as the best-matching role has, plus every skill
    the posting text itself names: blending several roles' profiles ranks skills well but would make the
    gap (and the path) several roles wide."""
    role = summary.get("role")
    if summary["kind"] == "role" or role is None:
        return required
    size = len(engine.role(engine.artifact.role_pos[role["id"]])["skills"])
    named = [r for r in required if any(e["source"] == "text" for e in r["evidence"])]
    profile = [r for r in required if not any(e["source"] == "text" for e in r["evidence"])][:size]
    keep = {id(r) for r in named + profile}
    return [r for r in required if id(r) in keep]


def request_texts(engine: Engine, request: GapRequest) -> list[str]:
    """The texts answering request will encode: its target's, then its learner's free text."""
    return target_texts(engine, request.target) + learner_texts(engine, request.learner)


def assess(engine: Engine, request: GapRequest) -> tuple[Record, Gap, Holdings, list[Record]]:
    """Resolve target and learner and analyse the gap."""
    summary, required, warnings = resolve_target(engine, request.target)
    required = focus(engine, summary, required)
    held = resolve_learner(engine, request.learner)
    return summary, analyse_gap(engine, required, held), held, warnings + held.warnings


def gap_report(engine: Engine, request: GapRequest) -> Record:
    """Body of POST /v1/gap."""
    summary, gap, held, warnings = assess(engine, request)
    return {
        "target": summary,
        "required": [public(r) for r in gap.required],
        "held": held_report(held),
        "gap": [public(r) for r in gap.missing],
        "coverage": gap.coverage(),
        "warnings": warnings,
    }


def held_report(held: Holdings) -> Record:
    """What the learner was understood to hold."""
    return {
        "badges": held.badges,
        "credentials": sorted(held.credentials.values(), key=lambda c: c["id"]),
        "skills": sorted(held.skills.values(), key=lambda s: s["id"]),
    }


def recommend(engine: Engine, request: RecommendationRequest) -> Record:
    """Body of POST /v1/recommendations."""
    summary, gap, held, warnings = assess(engine, request)
    cov = coverage_matrix(engine, gap.missing)
    mask = allowed(engine, held, request.constraints)
    plan = greedy(engine, cov, mask, held, request.constraints)
    steps = order_steps(engine, plan.chosen, cov)
    coverable = cov.strength[cov.rows].max(axis=0, initial=0) > 0 if gap.missing else np.zeros(0, bool)
    reached = np.max(cov.strength[steps], axis=0) > 0 if steps else np.zeros(len(gap.missing), bool)
    return {
        "target": summary,
        "gap": [public(r) for r in gap.missing],
        "path": path_report(engine, gap, cov, steps, mask, held, request.constraints),
        "uncovered": [public(r) for r, ok in zip(gap.missing, coverable, strict=True) if not ok],
        "not_reached": [public(r) for r, c, r2 in zip(gap.missing, coverable, reached, strict=True) if c and not r2],
        "held": held_report(held),
        "warnings": warnings,
    }


def path_report(
    engine: Engine, gap: Gap, cov: Coverage, steps: list[int], mask: np.ndarray, held: Holdings, c: Constraints
) -> Record:
    """The ordered, explained steps with their timeline and totals."""
    out, hours, reached = [], 0.0, np.zeros(len(gap.missing), bool)
    before = gap.coverage()
    stacked = stacks(engine, steps, held)
    news, extras = [], []  # per step: the gap skills it covers first, and the importance reached with it
    for pos in steps:
        teaches = cov.strength[pos] > 0
        news.append(np.flatnonzero(teaches & ~reached))
        reached |= teaches
        extras.append(float(reached @ cov.importance))
    others = alternatives(engine, cov, mask, steps, news)
    for pos, new, extra, alternative in zip(steps, news, extras, others, strict=True):
        start, end = weeks(hours, hours + engine.credential(pos)["hours"], c.hours_per_week)
        hours += engine.credential(pos)["hours"]
        step = step_report(engine, gap, cov, pos, new, steps, stacked)
        step.update(start_week=start, end_week=end, cumulative_hours=round(hours, 2),
                    cumulative_coverage=gap.coverage(extra))
        step["alternatives"] = alternative
        out.append(step)
    total_weeks = out[-1]["end_week"] if out else 0
    return {
        "steps": out, "total_hours": round(hours, 2), "total_weeks": total_weeks,
        "hours_per_week": c.hours_per_week,
        "total_cost": round(sum(engine.credential(p).get("cost") or 0 for p in steps), 2),
        "cost_unknown_steps": sum(1 for p in steps if engine.credential(p).get("cost") is None),
        "coverage_before": before, "coverage_after": gap.coverage(float(reached @ cov.importance)),
        "stacks": stacked,
    }


def credential_ref(cred: Record) -> Record:
    """The short form of a credential used in answers."""
    keys = ("id", "name", "provider", "hours", "level", "url", "type", "cost")
    return {k: cred.get(k) for k in keys}


def step_report(
    engine: Engine, gap: Gap, cov: Coverage, pos: int, new: np.ndarray, steps: list[int], stacked: list[Record]
) -> Record:
    """One step: the credential, the gap skills it newly covers (with the matching pair) and why."""
    gaps = new.tolist()
    covers = [cover_entry(engine, gap.missing[g], pair, similarity)
              for g, (pair, similarity) in zip(gaps, via_pairs(engine, cov, pos, gaps), strict=True)]
    reasons = step_reasons(engine, pos, covers, steps, stacked)
    return {
        "credential": credential_ref(engine.credential(pos)),
        "covers": covers,
        "why": "; ".join(r["text"] for r in reasons),
        "reasons": reasons,
        "hours": engine.credential(pos)["hours"],
    }


def cover_entry(engine: Engine, gap_skill: Record, pair: int, similarity: float) -> Record:
    """A covered gap skill with the credential's aligned skill (through teaching pair) and their similarity."""
    teach = engine.teaching
    skill = engine.skill(int(teach.skill[pair]))
    return {
        "id": gap_skill["id"], "label": gap_skill["label"], "importance": gap_skill["importance"],
        "relation": gap_skill["relation"], "similarity": round(similarity, 4),
        "via": {"id": skill["id"], "label": skill["label"], "matched_text": teach.matched[pair],
                "alignment_confidence": round(float(teach.confidence[pair]), 4)},
    }


def step_reasons(
    engine: Engine, pos: int, covers: list[Record], steps: list[int], stacked: list[Record]
) -> list[Record]:
    """Why a step is in the path and where it sits (stacked: the path's stackable credentials)."""
    cred = engine.credential(pos)
    reasons: list[Record] = []
    if covers:
        essential = sum(1 for c in covers if c["relation"] == "essential")
        names = ", ".join(c["label"] for c in covers[:4]) + (" ..." if len(covers) > 4 else "")
        reasons.append({"code": "covers_gap", "count": len(covers), "essential": essential,
                        "text": f"covers {len(covers)} missing skill(s), {essential} essential: {names}"})
    for other in steps:
        if pos in engine.prerequisites_of(other):
            reasons.append({"code": "prerequisite_of", "credential": engine.credential(other)["id"],
                            "text": f"prerequisite of {engine.credential(other)['name']}"})
    reasons.append({"code": "level", "level": cred.get("level"),
                    "text": f"{cred.get('level', 'unknown')} level, placed by level rank "
                            f"{LEVEL_RANK.get(cred.get('level', 'mixed'), 1)}"})
    for stack in stacked:
        if cred["id"] in stack["components"]:
            reasons.append({"code": "stacks_into", "credential": stack["credential"]["id"],
                            "status": stack["status"], "text": stack_text(stack)})
    return reasons


def stack_text(stack: Record) -> str:
    """One sentence about a stackable credential."""
    name = stack["credential"]["name"]
    if stack["status"] == "completes":
        return f"with the path, completes the stackable credential {name}"
    return f"stacks into {name} (missing: {', '.join(stack['missing'])})"


def stacks(engine: Engine, steps: list[int], held: Holdings) -> list[Record]:
    """Larger credentials that the path completes or leaves one step away."""
    have = {engine.credential(p)["id"] for p in [*steps, *held.credentials]}
    parents = sorted({parent for p in steps for parent in engine.credential(p).get("part_of", [])})
    out = []
    for parent in parents:
        pos = engine.artifact.credential_pos.get(parent)
        parts = engine.components.get(parent, [])
        missing = [p for p in parts if p not in have]
        if pos is None or parent in have or len(missing) > 1:
            continue
        out.append({"credential": credential_ref(engine.credential(pos)), "components": parts,
                    "missing": missing, "status": "completes" if not missing else "one_step_away"})
    return out


def alternatives(
    engine: Engine, cov: Coverage, mask: np.ndarray, steps: list[int], news: list[np.ndarray]
) -> list[list[Record]]:
    """Per step, up to two other allowed credentials off the path that cover most of what the step newly covers
    (news: the gap skills each step covers first), per hour; scored for all steps in one product."""
    useful = cov.rows[mask[cov.rows]]
    useful = useful[~np.isin(useful, steps)]
    weights = np.zeros((len(cov.importance), len(steps)))
    for s, new in enumerate(news):
        weights[new, s] = cov.importance[new]
    scores = (cov.strength[useful] > 0).astype(np.float64) @ weights
    hours = np.maximum(engine.facts.hours[useful], 0.5)
    out: list[list[Record]] = []
    for s, new in enumerate(news):
        found = np.flatnonzero(scores[:, s] > 0)  # none when the step covers nothing new (a zero column)
        candidates = useful[found]
        ratio = np.round(scores[found, s] / hours[found], 9)
        ranked = candidates[np.lexsort((candidates, -ratio))]
        out.append([
            {**credential_ref(engine.credential(i)), "covers_count": int((cov.strength[i, new] > 0).sum())}
            for i in ranked[:MAX_ALTERNATIVES].tolist()
        ])
    return out
