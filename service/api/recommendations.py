"""Gap analysis and recommendations, single and batched."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from ..engine.recommend import gap_report, recommend
from ..errors import Problem, to_problem
from ..schemas import BatchRequest, GapRequest, RecommendationRequest
from . import engine, json_body, parse

bp = Blueprint("recommendations", __name__, url_prefix="/v1")


@bp.post("/gap")
def gap() -> ResponseReturnValue:
    """Required skills, what the learner holds, and the gap."""
    return jsonify(gap_report(engine(), parse(GapRequest, json_body())))


@bp.post("/recommendations")
def recommendations() -> ResponseReturnValue:
    """The gap and an explained, time-boxed path of credentials that closes it."""
    return jsonify(recommend(engine(), parse(RecommendationRequest, json_body())))


def batch_item(index: int, item: Any) -> dict[str, Any]:
    """One batch answer: the recommendation, or its own problem object."""
    try:
        return recommend(engine(), parse(RecommendationRequest, item, ("requests", index)))
    except Exception as exc:  # noqa: BLE001 - every failure becomes this item's problem
        problem = to_problem(exc)
        if problem.status >= 500 and not isinstance(exc, Problem):
            problem.detail = f"item {index}: {problem.detail}"
        return {"problem": problem.body()}


@bp.post("/recommendations/batch")
def recommendations_batch() -> ResponseReturnValue:
    """Up to 100 recommendation requests answered in order; a bad item fails alone."""
    batch = parse(BatchRequest, json_body())
    return jsonify({"results": [batch_item(i, item) for i, item in enumerate(batch.requests)]})
