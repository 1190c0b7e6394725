"""Threshold calibration: accept/reject curves and the F1-best threshold, chosen on one fold, checked on the other."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from service import calibration
from service.build import best_skill_per_text
from service.engine.learner import read_texts
from service.engine.target import extract_skills, match_roles

from . import datasets
from .harness import Setup, without_rows
from .metrics import mean

NONSENSE = ["qwzx plorf", "hello world", "asdf", "lorem ipsum dolor sit amet", "the quick brown fox", "xyz 123",
            "I like turtles", "Monday", "banana", "ok thanks"]
GRID = [round(0.30 + 0.01 * i, 2) for i in range(61)]
SHOWN = [round(0.40 + 0.05 * i, 2) for i in range(11)]


@dataclass(frozen=True)
class Point:
    """One item: the matcher's best score (None: nothing to score), whether its best match is right, gold empty."""

    score: float | None
    correct: bool
    empty: bool


@dataclass(frozen=True)
class Stats:
    """Accepting at or above a threshold: precision of accepted best matches, recall, empty-gold rejection, F1."""

    threshold: float
    precision: float
    recall: float
    rejected: float
    f1: float


def stats(points: Sequence[Point], t: float) -> Stats:
    """Curve point at threshold t (an accepted empty-gold item counts as a wrong acceptance)."""
    accepted = [p for p in points if p.score is not None and p.score >= t]
    right = sum(p.correct for p in accepted)
    labelled = sum(not p.empty for p in points)
    empty = [p for p in points if p.empty]
    precision = right / len(accepted) if accepted else 1.0
    recall = right / labelled if labelled else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    rejected = mean([float(p.score is None or p.score < t) for p in empty]) if empty else 1.0
    return Stats(t, precision, recall, rejected, f1)


def best(points: Sequence[Point]) -> Stats:
    """The F1-best grid threshold (the lowest on ties)."""
    return max((stats(points, t) for t in GRID), key=lambda s: (round(s.f1, 9), -s.threshold))


@dataclass(frozen=True)
class Calibration:
    """F1-best thresholds: per fold (even / odd items, with F1 on the other fold) and pooled; the curve."""

    name: str
    current: float
    folds: tuple[tuple[float, float], tuple[float, float]]
    pooled: Stats
    at_current: Stats
    curve: list[Stats]


def calibrate(name: str, points: Sequence[Point]) -> Calibration:
    """Two-fold check (how much the choice moves between halves) and the pooled F1-best threshold."""
    even, odd = list(points[0::2]), list(points[1::2])
    folds = ((best(even).threshold, stats(odd, best(even).threshold).f1),
             (best(odd).threshold, stats(even, best(odd).threshold).f1))
    current = getattr(calibration, name)
    return Calibration(name, current, folds, best(points), stats(points, current),
                       [stats(points, t) for t in SHOWN])


def phrase_points(setup: Setup) -> list[Point]:
    """Job-ad-style phrases: the best skill extract_skills finds at any score (threshold lifted)."""
    engine, saved = setup.engine(), calibration.PHRASE_SKILL
    names = [s["id"] for s in setup.artifact.skills]
    calibration.PHRASE_SKILL = -1.0
    try:
        out = []
        for q in datasets.labelled_phrases():
            if q.kind == "phrase":
                found = extract_skills(engine, q.text)[0]
                top = min(found.values(), key=lambda e: (-e["score"], e["id"]), default=None)
                out.append(Point(top["score"] if top else None, bool(top and names[top["pos"]] in q.gold),
                                 not q.gold))
        return out
    finally:
        calibration.PHRASE_SKILL = saved


def tag_points(setup: Setup, aligned: bool) -> list[Point]:
    """Provider skill tags: the alignment's best skill (aligned) or the best skill a learner's free text resolves to
    (learner.read_texts)."""
    tags = [q for q in datasets.labelled_phrases() if q.kind == "tag"]
    names = [s["id"] for s in setup.artifact.skills]
    if aligned:
        found = best_skill_per_text(setup.artifact.tables["skills"], [q.text for q in tags],
                                    setup.encoder.encode_queries)
        top = [found.get(q.text) for q in tags]
    else:
        _, readings = read_texts(setup.engine(), [q.text for q in tags])
        top = [(r.hits[0].owner, r.hits[0].score) if r.hits else None for r in readings]
    return [Point(t[1] if t else None, bool(t and names[t[0]] in q.gold), not q.gold) for q, t in zip(tags, top,
                                                                                                      strict=True)]


def title_curve(setup: Setup, n: int) -> list[tuple[float, float, float, int]]:
    """Held-out titles by best score band: (band low, acc@1, hit@10, count); where a title match turns unreliable."""
    art, table = setup.artifact, setup.artifact.tables["roles"]
    queries, drop = datasets.held_out_titles(art.roles, table, n)
    engine = setup.engine({"roles": without_rows(table, setup.vectors["roles"], drop)})
    rows = []
    for q in queries:
        matches = match_roles(engine, q.text, False, 10)
        rows.append((matches[0][1], float(matches[0][0] == q.owner), float(q.owner in [p for p, _ in matches])))
    scores = np.array([r[0] for r in rows])
    bands = []
    for low in SHOWN:
        high = low + 0.05 if low < SHOWN[-1] else 2.0
        inside = [r for r, s in zip(rows, scores, strict=True) if low <= s < high]
        bands.append((low, mean([r[1] for r in inside]), mean([r[2] for r in inside]), len(inside)))
    return bands


def nonsense_scores(setup: Setup) -> list[float]:
    """Best title-match scores of strings that are no job title (a title match must reject them)."""
    engine = setup.engine()
    return [match_roles(engine, text, False, 1)[0][1] for text in NONSENSE]
