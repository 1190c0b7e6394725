"""Path planning: greedy weighted set cover of the gap by credentials, with prerequisites and a timeline."""

from __future__ import annotations

import bisect
import math
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from ..schemas import Constraints
from .core import Engine, Record, spans
from .learner import Holdings

LEVEL_RANK = {"beginner": 0, "mixed": 1, "intermediate": 2, "advanced": 3}
OFF_LEVEL = 0.75
# A credential outside the preferred languages weighs this much: it is taken only for the gain that no credential in
# them offers (a thousandth of the gain per hour is below any real difference between preferred candidates).
OTHER_LANGUAGE = 1e-3
PREFERENCES_KEPT = 64  # preference masks and weights kept per worker (planner.preferred, planner.weights)
EPS = 1e-9


@dataclass
class Coverage:
    """strength[r, g]: how well credential rows[r] teaches gap skill g (0 below threshold; core.Covering); via[r, g]:
    the teaching pair it does so through (-1: none), and similarity[r, g] that pair's similarity to the gap skill.
    Only the credentials that teach some gap skill have a row."""

    rows: np.ndarray  # credential positions, ascending
    strength: np.ndarray
    via: np.ndarray
    importance: np.ndarray
    similarity: np.ndarray

    def __post_init__(self) -> None:
        self.positions: list[int] = self.rows.tolist()

    def index(self, positions: list[int]) -> list[int]:
        """Row of each credential position (-1 for one that teaches no gap skill)."""
        out = []
        for p in positions:
            r = bisect.bisect_left(self.positions, p)
            out.append(r if r < len(self.positions) and self.positions[r] == p else -1)
        return out

    def of(self, positions: list[int]) -> np.ndarray:
        """Strength rows of credential positions (zeros for one that teaches no gap skill)."""
        return self.at(self.index(positions))

    def at(self, rows: list[int]) -> np.ndarray:
        """Strength rows by row (zeros for -1)."""
        out = np.zeros((len(rows), self.strength.shape[1]), np.float32)
        for i, r in enumerate(rows):
            if r >= 0:
                out[i] = self.strength[r]
        return out

    def reach(self, positions: list[int]) -> np.ndarray:
        """Per gap skill, the best strength among credential positions."""
        rows = [r for r in self.index(positions) if r >= 0]
        if len(rows) == 1:
            return np.array(self.strength[rows[0]])
        return np.asarray(np.max(self.strength[rows], axis=0, initial=0.0))

    def dense(self, credentials: int) -> np.ndarray:
        """The full (credentials x gap skills) strength matrix (for tests)."""
        out = np.zeros((credentials, self.strength.shape[1]), np.float32)
        out[self.rows] = self.strength
        return out


def coverage_matrix(engine: Engine, gap: list[Record]) -> Coverage:
    """Per credential and gap skill, the best similarity of any skill it teaches (gathered from the worker's
    precomputed covering of every skill)."""
    cover = engine.covering
    positions = np.array([g["pos"] for g in gap], np.int64)
    importance = np.array([g["importance"] for g in gap], np.float64)
    starts = cover.indptr[positions]
    lengths = cover.indptr[positions + 1] - starts
    at = spans(starts, lengths)
    rows, inverse = np.unique(cover.credential[at], return_inverse=True)
    columns = np.repeat(np.arange(len(gap)), lengths)
    strength = np.zeros((len(rows), len(gap)), np.float32)
    similarity = np.zeros((len(rows), len(gap)), np.float32)
    via = np.full((len(rows), len(gap)), -1, np.int64)
    strength[inverse, columns] = cover.strength[at]
    similarity[inverse, columns] = cover.similarity[at]
    via[inverse, columns] = cover.pair[at]
    return Coverage(rows.astype(np.int64), strength, via, importance, similarity)


def via_pairs(cov: Coverage, row: int, gaps: list[int]) -> list[tuple[int, float]]:
    """Per gap skill, the teaching pair through which the credential at coverage row covers it best and its
    similarity ((-1, 0.0) when none does, or row is -1: the credential teaches no gap skill)."""
    if row < 0:
        return [(-1, 0.0)] * len(gaps)
    return list(zip(cov.via[row, gaps].tolist(), cov.similarity[row, gaps].tolist(), strict=True))


@dataclass
class Plan:
    """The chosen credentials (positions) and how much of the gap they reach."""

    chosen: list[int] = field(default_factory=list)
    reached: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))


def filters(engine: Engine, constraints: Constraints) -> dict[str, np.ndarray]:
    """Per provider, language or exclusion filter the constraints set, the mask of credentials it lets through."""
    facts = engine.facts
    out: dict[str, np.ndarray] = {}
    if constraints.include_providers:
        out["include_providers"] = np.isin(facts.provider, [p.casefold() for p in constraints.include_providers])
    if constraints.exclude_providers:
        out["exclude_providers"] = ~np.isin(facts.provider, [p.casefold() for p in constraints.exclude_providers])
    if constraints.languages:
        out["languages"] = np.isin(facts.language, [code.casefold() for code in constraints.languages])
    if constraints.exclude_credentials:
        kept = out["exclude_credentials"] = np.ones(len(facts.hours), bool)
        kept[[engine.artifact.credential_pos[cid] for cid in constraints.exclude_credentials
              if cid in engine.artifact.credential_pos]] = False
    return out


def allowed(engine: Engine, held: Holdings, constraints: Constraints) -> np.ndarray:
    """Mask of credentials the learner may be offered under the provider, language and exclusion filters."""
    mask = np.ones(len(engine.facts.hours), bool)
    for kept in filters(engine, constraints).values():
        mask &= kept
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


def preferred_languages(engine: Engine, c: Constraints) -> tuple[str, ...]:
    """The preferred languages that the languages constraint allows and the catalogue teaches in, sorted; ("*",) for
    no preference (none of them)."""
    allowed_codes = [code for code in c.prefer_languages if not c.languages or code in c.languages]
    return tuple(sorted(set(allowed_codes) & engine.languages)) or ("*",)


def preferred(engine: Engine, languages: tuple[str, ...]) -> np.ndarray:
    """Mask of credentials taught in one of the preferred languages (preferred_languages; all for ("*",)); kept per
    worker (read only)."""
    mask = engine.preference_cache.get(languages)
    if mask is None:
        everyone = languages == ("*",)
        mask = np.ones(len(engine.facts.hours), bool) if everyone else np.isin(engine.facts.language, languages)
        remember(engine.preference_cache, languages, mask)
    return mask


def weights(engine: Engine, level: str | None, languages: tuple[str, ...]) -> np.ndarray:
    """Preference weight per credential: its level's (level_weights), times OTHER_LANGUAGE outside the preferred
    languages; kept per worker (read only)."""
    key = (level or "", *languages)
    weight = engine.preference_cache.get(key)
    if weight is None:
        weight = np.where(preferred(engine, languages), 1.0, OTHER_LANGUAGE) * level_weights(engine, level)
        remember(engine.preference_cache, key, weight)
    return weight


def remember(cache: dict[tuple[str, ...], np.ndarray], key: tuple[str, ...], value: np.ndarray) -> None:
    """Keep value under key, emptying the cache first when it holds PREFERENCES_KEPT entries (clients choose keys)."""
    if len(cache) >= PREFERENCES_KEPT:
        cache.clear()
    cache[key] = value


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


def shares(hours: np.ndarray, steps: np.ndarray, c: Constraints) -> np.ndarray:
    """What a candidate uses of what bounds the path, to weigh its gain by: its hours (at least half an hour) when no
    max_steps is set; else the larger of its share of max_steps and of max_hours, so that three steps are the three
    that close most of the gap (not three short guided projects) unless their hours would take the larger share."""
    hours = np.maximum(hours, 0.5)
    if c.max_steps is None:
        return hours
    share: np.ndarray = steps / c.max_steps
    return share if c.max_hours is None else np.maximum(share, hours / c.max_hours)


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
    """For candidates idx: level-weighted gain per share of the path's bound (shares; -inf where invalid), bundle
    hours, prerequisite bundles."""
    facts = engine.facts
    gains = np.maximum(cov.of(idx.tolist()) - plan.reached, 0.0) @ cov.importance if len(idx) else np.zeros(0)
    hours, cost, steps = facts.hours[idx].copy(), facts.cost[idx].copy(), np.ones(len(idx), np.int64)
    ok = np.ones(len(idx), bool)
    extra: dict[int, list[int]] = {}
    have = set(plan.chosen) | set(held.credentials)
    for k in np.flatnonzero(facts.has_requires[idx]).tolist():
        pos = int(idx[k])
        items = extra[pos] = [*prerequisites(engine, pos, have), pos]
        gains[k] = float(np.maximum(np.max(cov.of(items), axis=0) - plan.reached, 0.0) @ cov.importance)
        hours[k], cost[k], steps[k] = facts.hours[items].sum(), facts.cost[items].sum(), len(items)
        ok[k] = bool(mask[items].all())
    valid = ok & (gains > EPS)
    if bounded(c):
        valid &= fitting(Budget.of(engine, plan), steps, hours, cost, c)
    ratio = np.where(valid, np.round(gains * weight[idx] / shares(hours, steps, c), 12), -np.inf)
    return ratio, hours, extra


def greedy(engine: Engine, cov: Coverage, mask: np.ndarray, held: Holdings, c: Constraints,
           languages: tuple[str, ...]) -> Plan:
    """Repeatedly add the credential (with its prerequisites) that adds most weighted coverage per hour, or per share
    of max_steps and max_hours when max_steps bounds the path (shares); languages: the preferred ones
    (preferred_languages).

    Stand-alone candidates keep their gains between rounds; a round re-scores only those covering a gap skill the
    last step raised, and drops for good those that no longer gain or fit (neither can come back). Candidates
    with prerequisites are re-scored every round, as their bundle shrinks when prerequisites join the path."""
    plan = Plan(reached=np.zeros(cov.strength.shape[1], np.float32))
    usable = mask[cov.rows]
    idx = cov.rows[usable]
    weight = weights(engine, c.level, languages)
    requires = engine.facts.has_requires[idx]
    bundles = idx[requires]
    alone = Candidates(engine, cov, np.flatnonzero(usable)[~requires], weight, c)
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
        plan.reached = np.maximum(before, cov.reach(added))
        alone.update(plan, before, added)
        if len(bundles):
            bundles = bundles[~np.isin(bundles, plan.chosen)]
    return prune(engine, cov, plan, preferred(engine, languages))


class Candidates:
    """Stand-alone candidate credentials (see greedy) with their current keys: ratio (level-weighted gain per hour or
    per share of the path's bound (shares), rounded as the tie-break needs; -inf once dropped), then hours, then
    position."""

    def __init__(self, engine: Engine, cov: Coverage, rows: np.ndarray, weight: np.ndarray, c: Constraints):
        self.strength = cov.strength[rows]
        self.pos = cov.rows[rows]  # ascending
        self.positions: list[int] = self.pos.tolist()
        self.weight, self.hours, self.cost = weight[self.pos], engine.facts.hours[self.pos], engine.facts.cost[self.pos]
        self.importance = cov.importance
        self.per = shares(self.hours, np.ones(len(rows)), c)  # what a gain is weighed per
        self.ratio = np.full(len(rows), -np.inf)
        self.score(np.arange(len(rows)), np.zeros(cov.strength.shape[1], np.float32))

    def score(self, rows: np.ndarray, reached: np.ndarray) -> None:
        """Key candidate rows against the path's reach, dropping those that no longer gain (gains only fall)."""
        gains = np.maximum(self.strength[rows] - reached, 0.0) @ self.importance
        ratio = np.round(gains * self.weight[rows] / self.per[rows], 12)
        self.ratio[rows] = np.where(gains > EPS, ratio, -np.inf)

    def best(self, engine: Engine, plan: Plan, c: Constraints) -> tuple[float, float, int] | None:
        """(-ratio, hours, position) of the best live candidate, dropping those that no longer fit (for good: the
        path only grows)."""
        if bounded(c):
            live = np.flatnonzero(self.ratio > -np.inf)
            ok = fitting(Budget.of(engine, plan), np.ones(len(live), np.int64), self.hours[live], self.cost[live], c)
            self.ratio[live[~ok]] = -np.inf
        if not len(self.ratio):
            return None
        k = int(np.argmax(self.ratio))
        top = float(self.ratio[k])
        if top == -np.inf:
            return None
        ties = (self.ratio == top).nonzero()[0]
        if len(ties) > 1:
            k = int(ties[np.lexsort((self.pos[ties], self.hours[ties]))[0]])
        return -top, float(self.hours[k]), int(self.pos[k])

    def update(self, plan: Plan, before: np.ndarray, added: list[int]) -> None:
        """Drop the candidates just added; re-score those covering a gap skill the last step raised above what
        they reach."""
        for p in added:
            r = bisect.bisect_left(self.positions, p)
            if r < len(self.positions) and self.positions[r] == p:
                self.ratio[r] = -np.inf
        raised = (plan.reached > before).nonzero()[0]
        rows = ((self.strength[:, raised] > before[raised]).any(axis=1) & (self.ratio > -np.inf)).nonzero()[0]
        if len(rows):
            self.score(rows, plan.reached)


def prune(engine: Engine, cov: Coverage, plan: Plan, ours: np.ndarray) -> Plan:
    """Drop steps, latest first, whose every covered gap skill another step also covers, in a preferred language if
    the step is in one (ours: mask over credentials), so a step in English never gives way to one in another
    language; never a needed prerequisite."""
    if not plan.chosen:
        return plan
    covers = [row.nonzero()[0].tolist() for row in cov.of(plan.chosen)]  # per step, the gap skills it covers
    count = Counter(g for columns in covers for g in columns)
    preferred_count = Counter(g for p, columns in zip(plan.chosen, covers, strict=True) if ours[p] for g in columns)
    needed = Counter(r for p in plan.chosen for r in engine.prerequisites_of(p))
    keep = list(plan.chosen)
    for i in reversed(range(len(plan.chosen))):
        pos = plan.chosen[i]
        others = preferred_count if ours[pos] else count
        if len(keep) > 1 and not needed[pos] and all(others[g] >= 2 for g in covers[i]):
            keep.remove(pos)
            count.subtract(covers[i])
            if ours[pos]:
                preferred_count.subtract(covers[i])
            needed.subtract(engine.prerequisites_of(pos))
    plan.chosen, plan.reached = keep, cov.reach(keep)
    return plan


def order_steps(engine: Engine, chosen: list[int], cov: Coverage) -> list[int]:
    """Prerequisites first, then level (beginner to advanced), then steps covering more first."""
    deps = {p: set(engine.prerequisites_of(p)) & set(chosen) for p in chosen}
    covered = ((cov.of(chosen) > 0) @ cov.importance).tolist()
    keys = {p: sort_key(engine, p, c) for p, c in zip(chosen, covered, strict=True)}
    if not any(deps.values()):
        return sorted(chosen, key=keys.__getitem__)  # keys are unique (they end with the id)
    placed: list[int] = []
    while len(placed) < len(chosen):
        ready = [p for p in chosen if p not in placed and deps[p] <= set(placed)]
        placed.append(min(ready, key=keys.__getitem__))
    return placed


def sort_key(engine: Engine, pos: int, covered: float) -> tuple[int, float, str]:
    """Level rank, then covered importance (descending), then id."""
    cred = engine.credential(pos)
    return level_rank(cred.get("level")), -round(covered, 6), cred["id"]


def level_rank(level: str | None) -> int:
    """Where a level sorts in a path (order_steps): beginner, mixed (and unknown), intermediate, advanced."""
    return LEVEL_RANK.get(level or "mixed", LEVEL_RANK["mixed"])


def weeks(start_hours: float, end_hours: float, per_week: float) -> tuple[int, int]:
    """1-based start and end week of a step spanning these cumulative hours."""
    start = math.floor(start_hours / per_week + EPS) + 1
    end = max(start, math.ceil(end_hours / per_week - EPS))
    return start, end
