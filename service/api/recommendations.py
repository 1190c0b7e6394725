"""Gap analysis and recommendations, single and batched."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from ..engine.core import Engine
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


def in_item(problem: Problem, index: int) -> dict[str, Any]:
    """A problem body whose pointers and detail locate it inside the batch."""
    body = problem.body()
    if "errors" in body:
        body["errors"] = [{**e, "pointer": f"/requests/{index}{e['pointer']}"} for e in body["errors"]]
    if problem.status >= 500:
        body["detail"] = f"item {index}: {body['detail']}"
    return body


def batch_item(eng: Engine, index: int, item: Any) -> dict[str, Any]:
    """One batch answer: the recommendation, or its own problem object."""
    try:
        return recommend(eng, parse(RecommendationRequest, item))
    except Exception as exc:  # noqa: BLE001 - every failure becomes this item's problem
        return {"problem": in_item(to_problem(exc), index)}


@bp.post("/recommendations/batch")
def recommendations_batch() -> ResponseReturnValue:
    """Up to 100 recommendation requests answered in order; a bad item fails alone."""
    eng = engine()
    batch = parse(BatchRequest, json_body())
    return jsonify({"results": [batch_item(eng, i, item) for i, item in enumerate(batch.requests)]})
