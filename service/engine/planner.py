"""Path planning: greedy weighted set cover of the gap by credentials, with prerequisites and a timeline."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .. import calibration
from ..schemas import Constraints
from .core import Engine, Record
from .learner import Holdings

LEVEL_RANK = {"beginner": 0, "mixed": 1, "intermediate": 2, "advanced": 3}
OFF_LEVEL = 0.75
EPS = 1e-9


@dataclass
class Coverage:
    """strength[c, g]: how well credential c teaches gap skill g (0 below threshold); sims per pair."""

    strength: np.ndarray
    sims: np.ndarray
    importance: np.ndarray


def coverage_matrix(engine: Engine, gap: list[Record]) -> Coverage:
    """Per credential and gap skill, the best similarity of any skill it teaches (vectorised)."""
    teach = engine.teaching
    strength = np.zeros((len(engine.artifact.credentials), len(gap)), np.float32)
    importance = np.array([g["importance"] for g in gap], np.float64)
    if not gap or len(teach.skill) == 0:
        return Coverage(strength, np.zeros((len(gap), len(teach.skill)), np.float32), importance)
    gap_pos = np.array([g["pos"] for g in gap])
    sims = engine.skill_similarity(gap_pos, engine.taught)[:, np.searchsorted(engine.taught, teach.skill)]
    sims[teach.skill[None, :] == gap_pos[:, None]] = 1.0
    sims[sims < calibration.SKILL_COVER] = 0.0
    creds, starts = np.unique(teach.credential, return_index=True)
    strength[creds] = np.maximum.reduceat(sims, starts, axis=1).T
    return Coverage(strength, sims, importance)


def via_pair(engine: Engine, cov: Coverage, pos: int, g: int) -> int:
    """Index of the teaching pair through which credential pos covers gap skill g, or -1."""
    lo, hi = engine.pair_range[pos]
    if hi == lo:
        return -1
    j = lo + int(np.argmax(cov.sims[g, lo:hi]))
    return j if cov.sims[g, j] > 0 else -1


@dataclass
class Plan:
    """The chosen credentials (positions) and how much of the gap they reach."""

    chosen: list[int] = field(default_factory=list)
    reached: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))


def allowed(engine: Engine, held: Holdings, constraints: Constraints) -> np.ndarray:
    """Mask of credentials the learner may be offered under the provider and exclusion filters."""
    include = {p.casefold() for p in constraints.include_providers}
    exclude = {p.casefold() for p in constraints.exclude_providers}
    excluded_ids = set(constraints.exclude_credentials)
    mask = np.ones(len(engine.artifact.credentials), bool)
    for i, cred in enumerate(engine.artifact.credentials):
        provider = str(cred.get("provider", "")).casefold()
        mask[i] = not (
            i in held.credentials or cred["id"] in excluded_ids or provider in exclude
            or (include and provider not in include)
        )
    return mask


def prerequisites(engine: Engine, pos: int, have: set[int]) -> list[int]:
    """Missing prerequisites of a credential, transitively, deepest first; cycles cannot occur (build refuses)."""
    out: list[int] = []
    seen = set(have)

    def visit(p: int) -> None:
        for rid in sorted(engine.credential(p).get("requires", [])):
            r = engine.artifact.credential_pos.get(rid)
            if r is not None and r not in seen:
                seen.add(r)
                visit(r)
                out.append(r)

    visit(pos)
    return out


def level_factor(cred: Record, level: str | None) -> float:
    """Preference weight for the learner's preferred level."""
    if level is None or cred.get("level") in (level, None):
        return 1.0
    return 0.9 if cred.get("level") == "mixed" else OFF_LEVEL


def bundle(engine: Engine, pos: int, plan: Plan, held: Holdings) -> list[int]:
    """The credential with the prerequisites it still lacks, prerequisites first."""
    return [*prerequisites(engine, pos, set(plan.chosen) | set(held.credentials)), pos]


def fits(engine: Engine, items: list[int], plan: Plan, constraints: Constraints) -> bool:
    """Whether adding items keeps the path within steps, hours and budget."""
    creds = [engine.credential(p) for p in [*plan.chosen, *items]]
    if constraints.max_steps is not None and len(creds) > constraints.max_steps:
        return False
    if constraints.max_hours is not None and sum(c["hours"] for c in creds) > constraints.max_hours + EPS:
        return False
    return not (
        constraints.max_cost is not None and sum(c.get("cost") or 0 for c in creds) > constraints.max_cost + EPS
    )


def gain(cov: Coverage, items: list[int], reached: np.ndarray) -> float:
    """Weighted coverage the items add beyond what is already reached."""
    best = np.max(cov.strength[items], axis=0)
    return float(np.maximum(best - reached, 0.0) @ cov.importance)


def greedy(engine: Engine, cov: Coverage, mask: np.ndarray, held: Holdings, c: Constraints) -> Plan:
    """Repeatedly add the credential (with its prerequisites) that adds most weighted coverage per hour."""
    plan = Plan(reached=np.zeros(cov.strength.shape[1], np.float32))
    useful = [int(i) for i in np.flatnonzero(mask & (cov.strength.max(axis=1, initial=0) > 0))]
    while True:
        best: tuple[float, float, str, list[int]] | None = None
        for pos in useful:
            if pos in plan.chosen:
                continue
            items = bundle(engine, pos, plan, held)
            if not all(mask[i] for i in items) or not fits(engine, items, plan, c):
                continue
            added = gain(cov, items, plan.reached)
            if added <= EPS:
                continue
            hours = sum(engine.credential(i)["hours"] for i in items)
            ratio = added * level_factor(engine.credential(pos), c.level) / max(hours, 0.5)
            key = (-ratio, hours, engine.credential(pos)["id"], items)
            best = key if best is None or key[:3] < best[:3] else best
        if best is None:
            return prune(engine, cov, plan)
        plan.chosen.extend(best[3])
        plan.reached = np.max(cov.strength[plan.chosen], axis=0)


def prune(engine: Engine, cov: Coverage, plan: Plan) -> Plan:
    """Drop steps whose coverage later steps made redundant (never a needed prerequisite)."""
    for pos in list(reversed(plan.chosen)):
        rest = [p for p in plan.chosen if p != pos]
        needed = any(engine.credential(pos)["id"] in engine.credential(p).get("requires", []) for p in rest)
        if rest and not needed and np.array_equal(np.max(cov.strength[rest], axis=0) > 0, plan.reached > 0):
            plan.chosen = rest
            plan.reached = np.max(cov.strength[rest], axis=0)
    return plan


def order_steps(engine: Engine, chosen: list[int], cov: Coverage) -> list[int]:
    """Prerequisites first, then level (beginner to advanced), then steps covering more first."""
    ids = {engine.credential(p)["id"]: p for p in chosen}
    deps = {p: {ids[r] for r in engine.credential(p).get("requires", []) if r in ids} for p in chosen}
    placed: list[int] = []
    while len(placed) < len(chosen):
        ready = [p for p in chosen if p not in placed and deps[p] <= set(placed)]
        placed.append(min(ready, key=lambda p: sort_key(engine, p, cov)))
    return placed


def sort_key(engine: Engine, pos: int, cov: Coverage) -> tuple[int, float, str]:
    """Level rank, then covered importance (descending), then id."""
    cred = engine.credential(pos)
    covered = float((cov.strength[pos] > 0) @ cov.importance)
    return LEVEL_RANK.get(cred.get("level", "mixed"), 1), -round(covered, 6), cred["id"]


def weeks(start_hours: float, end_hours: float, per_week: float) -> tuple[int, int]:
    """1-based start and end week of a step spanning these cumulative hours."""
    start = math.floor(start_hours / per_week + EPS) + 1
    end = max(start, math.ceil(end_hours / per_week - EPS))
    return start, end
