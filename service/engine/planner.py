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
    """strength[c, g]: how well credential c teaches gap skill g (0 below threshold); near[g]: taught skill sims."""

    strength: np.ndarray
    near: list[dict[int, float]]
    importance: np.ndarray

    def pair_similarity(self, engine: Engine, g: int, pairs: np.ndarray) -> np.ndarray:
        """Similarity of gap skill g to the skills of the given teaching pairs (0 below threshold)."""
        skills = engine.teaching.skill[pairs].tolist()
        return np.array([self.near[g].get(s, 0.0) for s in skills], np.float32)


def coverage_matrix(engine: Engine, gap: list[Record]) -> Coverage:
    """Per credential and gap skill, the best similarity of any skill it teaches (precomputed neighbours)."""
    strength = np.zeros((len(engine.artifact.credentials), len(gap)), np.float32)
    importance = np.array([g["importance"] for g in gap], np.float64)
    near = [engine.taught_near(g["pos"], calibration.SKILL_COVER) for g in gap]
    for g, skills in enumerate(near):
        column = strength[:, g]
        for skill, value in skills.items():
            np.maximum.at(column, engine.teaching.credential[engine.pairs_of_skill[skill]], value)
    return Coverage(strength, near, importance)


def via_pair(engine: Engine, cov: Coverage, pos: int, g: int) -> int:
    """Index of the teaching pair through which credential pos covers gap skill g, or -1."""
    lo, hi = engine.pair_range[pos]
    if hi == lo:
        return -1
    values = cov.pair_similarity(engine, g, np.arange(lo, hi))
    j = int(np.argmax(values))
    return lo + j if values[j] > 0 else -1


@dataclass
class Plan:
    """The chosen credentials (positions) and how much of the gap they reach."""

    chosen: list[int] = field(default_factory=list)
    reached: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))


def allowed(engine: Engine, held: Holdings, constraints: Constraints) -> np.ndarray:
    """Mask of credentials the learner may be offered under the provider and exclusion filters."""
    facts = engine.facts
    mask = np.ones(len(facts.hours), bool)
    if constraints.include_providers:
        mask &= np.isin(facts.provider, [p.casefold() for p in constraints.include_providers])
    if constraints.exclude_providers:
        mask &= ~np.isin(facts.provider, [p.casefold() for p in constraints.exclude_providers])
    for cid in constraints.exclude_credentials:
        if cid in engine.artifact.credential_pos:
            mask[engine.artifact.credential_pos[cid]] = False
    mask[list(held.credentials)] = False
    return mask


def prerequisites(engine: Engine, pos: int, have: set[int]) -> list[int]:
    """Missing prerequisites of a credential, transitively, deepest first; cycles cannot occur (build refuses)."""
    out: list[int] = []
    seen = set(have)

    def visit(p: int) -> None:
        for r in engine.prerequisites_of(p):
            if r not in seen:
                seen.add(r)
                visit(r)
                out.append(r)

    visit(pos)
    return out


def level_weights(engine: Engine, level: str | None) -> np.ndarray:
    """Preference weight per credential for the learner's preferred level."""
    levels = engine.facts.level
    if level is None:
        return np.ones(len(levels))
    return np.where(levels == level, 1.0, np.where(levels == "mixed", 0.9, OFF_LEVEL))


@dataclass
class Budget:
    """What the path has used so far against the constraints."""

    steps: int = 0
    hours: float = 0.0
    cost: float = 0.0


def fitting(used: Budget, steps: np.ndarray, hours: np.ndarray, cost: np.ndarray,
            c: Constraints) -> np.ndarray:
    """Mask of candidate bundles (steps, hours, cost each) that keep the path within the constraints."""
    ok = np.ones(len(hours), bool)
    if c.max_steps is not None:
        ok &= used.steps + steps <= c.max_steps
    if c.max_hours is not None:
        ok &= used.hours + hours <= c.max_hours + EPS
    if c.max_cost is not None:
        ok &= used.cost + cost <= c.max_cost + EPS
    return ok


def scores(engine: Engine, cov: Coverage, idx: np.ndarray, plan: Plan, held: Holdings, c: Constraints,
           mask: np.ndarray, weight: np.ndarray) -> tuple[np.ndarray, np.ndarray, dict[int, list[int]]]:
    """For candidates idx: level-weighted gain per hour (-inf where invalid), bundle hours, prerequisite bundles."""
    facts = engine.facts
    gains = np.maximum(cov.strength[idx] - plan.reached, 0.0) @ cov.importance if len(idx) else np.zeros(0)
    hours, cost, steps = facts.hours[idx].copy(), facts.cost[idx].copy(), np.ones(len(idx), np.int64)
    ok = np.ones(len(idx), bool)
    extra: dict[int, list[int]] = {}
    have = set(plan.chosen) | set(held.credentials)
    for k in np.flatnonzero(facts.has_requires[idx]).tolist():
        pos = int(idx[k])
        items = extra[pos] = [*prerequisites(engine, pos, have), pos]
        gains[k] = float(np.maximum(np.max(cov.strength[items], axis=0) - plan.reached, 0.0) @ cov.importance)
        hours[k], cost[k], steps[k] = facts.hours[items].sum(), facts.cost[items].sum(), len(items)
        ok[k] = bool(mask[items].all())
    used = Budget(len(plan.chosen), float(facts.hours[plan.chosen].sum()), float(facts.cost[plan.chosen].sum()))
    valid = ok & (gains > EPS) & fitting(used, steps, hours, cost, c)
    ratio = np.where(valid, np.round(gains * weight[idx] / np.maximum(hours, 0.5), 12), -np.inf)
    return ratio, hours, extra


def greedy(engine: Engine, cov: Coverage, mask: np.ndarray, held: Holdings, c: Constraints) -> Plan:
    """Repeatedly add the credential (with its prerequisites) that adds most weighted coverage per hour."""
    plan = Plan(reached=np.zeros(cov.strength.shape[1], np.float32))
    idx = np.flatnonzero(mask & (cov.strength.max(axis=1, initial=0) > 0))
    weight = level_weights(engine, c.level)
    while len(idx):
        ratio, hours, extra = scores(engine, cov, idx, plan, held, c, mask, weight)
        live = np.isfinite(ratio)
        if not live.any():
            break
        best = int(idx[np.lexsort((idx, hours, -ratio))[0]])
        plan.chosen.extend(extra.get(best, [best]))
        plan.reached = np.max(cov.strength[plan.chosen], axis=0)
        idx = idx[live & ~np.isin(idx, plan.chosen)]
    return prune(engine, cov, plan)


def prune(engine: Engine, cov: Coverage, plan: Plan) -> Plan:
    """Drop steps whose coverage later steps made redundant (never a needed prerequisite)."""
    for pos in list(reversed(plan.chosen)):
        rest = [p for p in plan.chosen if p != pos]
        needed = any(pos in engine.prerequisites_of(p) for p in rest)
        if rest and not needed and np.array_equal(np.max(cov.strength[rest], axis=0) > 0, plan.reached > 0):
            plan.chosen = rest
            plan.reached = np.max(cov.strength[rest], axis=0)
    return plan


def order_steps(engine: Engine, chosen: list[int], cov: Coverage) -> list[int]:
    """Prerequisites first, then level (beginner to advanced), then steps covering more first."""
    deps = {p: set(engine.prerequisites_of(p)) & set(chosen) for p in chosen}
    keys = {p: sort_key(engine, p, cov) for p in chosen}
    placed: list[int] = []
    while len(placed) < len(chosen):
        ready = [p for p in chosen if p not in placed and deps[p] <= set(placed)]
        placed.append(min(ready, key=keys.__getitem__))
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
