"""Path coverage: synthetic learners holding part of a role's essential skills, the path vs a naive list."""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np

from service.engine.core import Engine
from service.engine.planner import Coverage, allowed, coverage_matrix
from service.engine.recommend import assess, recommend
from service.schemas import RecommendationRequest

from . import datasets
from .harness import Setup
from .metrics import mean
from .tasks import Result

HELD_SHARE = 0.5
NAIVE_MAX = 200


@dataclass
class Outcome:
    """One learner: coverage of coverable essential gaps, hours and steps, for the path and the naive list."""

    coverage: float
    hours: float
    steps: int
    naive_coverage: float
    naive_hours: float
    equal_hours: float | None


def learner(engine: Engine, pos: int, rng: random.Random) -> dict[str, list[str]]:
    """Badges (credentials that teach them) or skill ids for a random half of a role's essential skills."""
    essential = sorted(s["id"] for s in engine.role(pos)["skills"] if s["relation"] == "essential")
    badges, skills = set(), []
    for sid in rng.sample(essential, round(len(essential) * HELD_SHARE)):
        teachers = engine.teaching.credential[engine.teaching.skill == engine.artifact.skill_pos[sid]]
        if len(teachers):
            badges.add(engine.credential(int(rng.choice(sorted(teachers.tolist()))))["id"])
        else:
            skills.append(sid)
    return {"badges": sorted(badges), "skills": skills}


def reached(cov: Coverage, steps: list[int], targets: np.ndarray) -> float:
    """Share of the target gap columns that the credentials cover."""
    if not len(targets):
        return 1.0
    if not steps:
        return 0.0
    return float((cov.of(steps)[:, targets].max(axis=0) > 0).mean())


def evaluate(engine: Engine, pos: int, rng: random.Random) -> Outcome | None:
    """Path and naive list for one synthetic learner; None when no essential gap skill is coverable."""
    request = RecommendationRequest.model_validate(
        {"learner": learner(engine, pos, rng), "target": {"role_id": engine.role(pos)["id"]}})
    _, gap, held, _ = assess(engine, request)
    cov = coverage_matrix(engine, gap.missing)
    mask = allowed(engine, held, request.constraints)
    essential = np.array([g["relation"] == "essential" for g in gap.missing], bool)
    targets = np.flatnonzero(essential & ((cov.strength * mask[cov.rows, None]).max(axis=0, initial=0) > 0))
    if not len(targets):
        return None
    body = recommend(engine, request)
    steps = [engine.artifact.credential_pos[s["credential"]["id"]] for s in body["path"]["steps"]]
    coverage = reached(cov, steps, targets)
    naive = naive_list(engine, pos, mask)
    hours = [engine.credential(p)["hours"] for p in naive]
    k = max(1, len(steps))
    equal = next((sum(hours[: i + 1]) for i in range(len(naive)) if reached(cov, naive[: i + 1], targets)
                  >= coverage - 1e-9), None)
    return Outcome(coverage, body["path"]["total_hours"], len(steps), reached(cov, naive[:k], targets),
                   sum(hours[:k]), equal)


def naive_list(engine: Engine, pos: int, mask: np.ndarray) -> list[int]:
    """Credentials nearest the role's 'title: description' text, best first, allowed ones only."""
    role = engine.role(pos)
    vector = engine.encode([f"{role['title']}: {role.get('description', '')}"])
    hits = engine.search_credentials(vector, NAIVE_MAX + int((~mask).sum()))[0]
    return [h.owner for h in hits if mask[h.owner]][:NAIVE_MAX]


def path_coverage(setup: Setup, n: int) -> list[Result]:
    """The recommender's path vs the naive nearest-credentials list on n synthetic learners."""
    engine = setup.engine()
    rng = random.Random(datasets.SEED + 4)
    found = [evaluate(engine, pos, rng) for pos in datasets.path_roles(engine.artifact.roles, n)]
    done = [o for o in found if o is not None]
    equal = [o.equal_hours for o in done if o.equal_hours is not None]
    fewer = mean([float(o.equal_hours is None or o.hours < o.equal_hours) for o in done])
    return [
        Result("path coverage", "naive: top-k nearest credentials (k = path steps)", len(done),
               {"coverage": mean([o.naive_coverage for o in done]), "hours": mean([o.naive_hours for o in done])},
               f"reaches the path's coverage for {len(equal)}/{len(done)} learners within {NAIVE_MAX} items; "
               f"mean hours then {mean(equal):.0f}"),
        Result("path coverage", "badgepath recommend (greedy set cover)", len(done),
               {"coverage": mean([o.coverage for o in done]), "hours": mean([o.hours for o in done])},
               f"steps {mean([o.steps for o in done]):.1f}; fewer hours than naive at equal coverage for "
               f"{fewer:.0%}; >=90% coverage for {mean([float(o.coverage >= 0.9) for o in done]):.0%}"),
    ]
