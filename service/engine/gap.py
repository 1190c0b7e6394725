"""Gap analysis: which required skills the learner already covers, and which are missing."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from .. import calibration
from .core import Engine, Record
from .learner import Holdings


@dataclass
class Gap:
    """Required skills split into covered (with the matching held skill) and missing."""

    required: list[Record]
    covered: list[Record]
    missing: list[Record]

    @cached_property
    def total_importance(self) -> float:
        """Sum of importances of all required skills."""
        return float(sum(float(r["importance"]) for r in self.required))

    @cached_property
    def held_importance(self) -> float:
        """Sum of importances of the required skills the learner already covers."""
        return float(sum(float(r["importance"]) for r in self.covered))

    def coverage(self, extra: float = 0.0) -> float:
        """Share of required importance covered, optionally with extra covered importance."""
        total = self.total_importance
        if total == 0:
            return 1.0
        done = self.held_importance + extra
        return round(min(1.0, done / total), 4)


def held_match(engine: Engine, required: list[Record], held: Holdings) -> list[Record | None]:
    """For each required skill, the held skill that covers it (same id or similar enough), if any."""
    positions = sorted(held.skills)
    if not positions or not required:
        return [None] * len(required)
    sims = engine.skill_similarity(np.array([r["pos"] for r in required]), np.array(positions))
    out: list[Record | None] = []
    for i, req in enumerate(required):
        j = int(np.argmax(sims[i]))
        score = 1.0 if req["pos"] in held.skills else float(sims[i, j])
        pos = req["pos"] if req["pos"] in held.skills else positions[j]
        if score >= calibration.SKILL_COVER:
            h = held.skills[pos]
            out.append({"id": h["id"], "label": h["label"], "similarity": round(score, 4), "source": h["source"]})
        else:
            out.append(None)
    return out


def analyse_gap(engine: Engine, required: list[Record], held: Holdings) -> Gap:
    """Split required skills into covered and missing; both keep importance order."""
    covered, missing = [], []
    for req, match in zip(required, held_match(engine, required, held), strict=True):
        if match is None:
            missing.append(req)
        else:
            req["held_as"] = match
            covered.append(req)
    return Gap(required, covered, missing)


def public(entry: Record) -> Record:
    """A required-skill entry without internal fields."""
    return {k: v for k, v in entry.items() if k not in ("pos", "score")}
