"""Path planning: greedy weighted set cover of the gap by credentials, with prerequisites and a timeline."""

from __future__ import annotations

import math
from collections import Counter
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
    rows: np.ndarray  # the credentials that teach some gap skill (the nonzero rows of strength), ascending


def coverage_matrix(engine: Engine, gap: list[Record]) -> Coverage:
    """Per credential and gap skill, the best similarity of any skill it teaches (precomputed neighbours)."""
    strength = np.zeros((len(engine.artifact.credentials), len(gap)), np.float32)
    importance = np.array([g["importance"] for g in gap], np.float64)
    near = [engine.taught_near(g["pos"], calibration.SKILL_COVER) for g in gap]
    pairs = [engine.pairs_of_skill[skill] for skills in near for skill in skills]
    if not pairs:
        return Coverage(strength, near, importance, np.zeros(0, np.int64))
    counts = [len(p) for p in pairs]
    columns = np.repeat(np.repeat(np.arange(len(gap)), [len(skills) for skills in near]), counts)
    values = np.repeat(np.array([v for skills in near for v in skills.values()], np.float32), counts)
    credentials = engine.teaching.credential[np.concatenate(pairs)]
    np.maximum.at(strength, (credentials, columns), values)
    return Coverage(strength, near, importance, np.unique(credentials))


def via_pairs(engine: Engine, cov: Coverage, pos: int, gaps: list[int]) -> list[tuple[int, float]]:
    """Per gap skill, the teaching pair through which credential pos covers it best and its similarity ((-1, 0.0)
    when none does)."""
    lo, hi = engine.pair_range[pos]
    skills = engine.teaching.skill[lo:hi].tolist()
    out = []
    for g in gaps:
        values = [cov.near[g].get(s, 0.0) for s in skills]
        best = max(values, default=0.0)
        out.append((lo + values.index(best), best) if best > 0 else (-1, 0.0))
    return out


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

    @classmethod
    def of(cls, engine: Engine, plan: Plan) -> Budget:
        """What the plan's chosen credentials use."""
        facts = engine.facts
        return cls(len(plan.chosen), float(facts.hours[plan.chosen].sum()), float(facts.cost[plan.chosen].sum()))


def bounded(c: Constraints) -> bool:
    """Whether the constraints limit the path's steps, hours or cost at all."""
    return c.max_steps is not None or c.max_hours is not None or c.max_cost is not None


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
    valid = ok & (gains > EPS)
    if bounded(c):
        valid &= fitting(Budget.of(engine, plan), steps, hours, cost, c)
    ratio = np.where(valid, np.round(gains * weight[idx] / np.maximum(hours, 0.5), 12), -np.inf)
    return ratio, hours, extra


def greedy(engine: Engine, cov: Coverage, mask: np.ndarray, held: Holdings, c: Constraints) -> Plan:
    """Repeatedly add the credential (with its prerequisites) that adds most weighted coverage per hour.

    Stand-alone candidates keep their gains between rounds; a round re-scores only those covering a gap skill the
    last step raised, and drops for good those that no longer gain or fit (neither can come back). Candidates
    with prerequisites are re-scored every round, as their bundle shrinks when prerequisites join the path."""
    plan = Plan(reached=np.zeros(cov.strength.shape[1], np.float32))
    idx = cov.rows[mask[cov.rows]]
    weight = level_weights(engine, c.level)
    bundles = idx[engine.facts.has_requires[idx]]
    alone = Candidates.of(engine, cov, idx[~engine.facts.has_requires[idx]], weight)
    while True:
        best = alone.best(engine, plan, c)
        extra: dict[int, list[int]] = {}
        if len(bundles):
            rb, hb, extra = scores(engine, cov, bundles, plan, held, c, mask, weight)
            live = np.isfinite(rb)
            bundles, rb, hb = bundles[live], rb[live], hb[live]
        if len(bundles):
            k = int(np.lexsort((bundles, hb, -rb))[0])
            key = (-float(rb[k]), float(hb[k]), int(bundles[k]))
            best = key if best is None or key < best else best
        if best is None:
            break
        before, added = plan.reached, extra.get(best[2], [best[2]])
        plan.chosen.extend(added)
        plan.reached = np.maximum(before, np.max(cov.strength[added], axis=0))
        alone.update(cov, plan, before, added)
        if len(bundles):
            bundles = bundles[~np.isin(bundles, plan.chosen)]
    return prune(engine, cov, plan)


@dataclass
class Candidates:
    """Stand-alone candidate credentials with their current gains (see greedy)."""

    pos: np.ndarray
    strength: np.ndarray
    gains: np.ndarray
    weight: np.ndarray
    hours: np.ndarray
    cost: np.ndarray
    alive: np.ndarray

    @classmethod
    def of(cls, engine: Engine, cov: Coverage, pos: np.ndarray, weight: np.ndarray) -> Candidates:
        """Candidates at positions pos, scored against an empty path."""
        strength = cov.strength[pos]
        gains = np.maximum(strength, 0.0) @ cov.importance if len(pos) else np.zeros(0)
        return cls(pos, strength, gains, weight[pos], engine.facts.hours[pos], engine.facts.cost[pos],
                   np.ones(len(pos), bool))

    def best(self, engine: Engine, plan: Plan, c: Constraints) -> tuple[float, float, int] | None:
        """(-ratio, hours, position) of the best live candidate, dropping those that no longer gain or fit."""
        live = np.flatnonzero(self.alive)
        ok = self.gains[live] > EPS
        if bounded(c):
            ok &= fitting(Budget.of(engine, plan), np.ones(len(live), np.int64), self.hours[live], self.cost[live], c)
        self.alive[live[~ok]] = False
        live = live[ok]
        if not len(live):
            return None
        ratio = np.round(self.gains[live] * self.weight[live] / np.maximum(self.hours[live], 0.5), 12)
        top = live[ratio == ratio.max()]
        k = int(top[np.lexsort((self.pos[top], self.hours[top]))[0]])
        return -float(ratio.max()), float(self.hours[k]), int(self.pos[k])

    def update(self, cov: Coverage, plan: Plan, before: np.ndarray, added: list[int]) -> None:
        """Re-score the candidates that cover a gap skill the last step raised; drop the ones just added."""
        if len(self.pos):
            wanted = np.asarray(added)
            at = np.minimum(np.searchsorted(self.pos, wanted), len(self.pos) - 1)  # pos is sorted
            self.alive[at[self.pos[at] == wanted]] = False
        raised = np.flatnonzero(plan.reached > before)
        rows = np.flatnonzero(self.alive & (self.strength[:, raised] > before[raised]).any(axis=1))
        if len(rows):
            self.gains[rows] = np.maximum(self.strength[rows] - plan.reached, 0.0) @ cov.importance


def prune(engine: Engine, cov: Coverage, plan: Plan) -> Plan:
    """Drop steps, latest first, whose every covered gap skill another step also covers (never a needed
    prerequisite)."""
    if not plan.chosen:
        return plan
    covers = cov.strength[plan.chosen] > 0
    count = covers.sum(axis=0)
    needed = Counter(r for p in plan.chosen for r in engine.prerequisites_of(p))
    keep = list(plan.chosen)
    for i in reversed(range(len(plan.chosen))):
        pos = plan.chosen[i]
        if len(keep) > 1 and not needed[pos] and bool((count[covers[i]] >= 2).all()):
            keep.remove(pos)
            count -= covers[i]
            needed.subtract(engine.prerequisites_of(pos))
    plan.chosen, plan.reached = keep, np.max(cov.strength[keep], axis=0)
    return plan


def order_steps(engine: Engine, chosen: list[int], cov: Coverage) -> list[int]:
    """Prerequisites first, then level (beginner to advanced), then steps covering more first."""
    deps = {p: set(engine.prerequisites_of(p)) & set(chosen) for p in chosen}
    keys = {p: sort_key(engine, p, cov) for p in chosen}
    if not any(deps.values()):
        return sorted(chosen, key=keys.__getitem__)  # keys are unique (they end with the id)
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
