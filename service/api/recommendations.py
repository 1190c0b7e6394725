"""Gap analysis and recommendations, single and batched."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable
from threading import Lock
from typing import Any

from flask import Blueprint, Response, current_app, jsonify
from flask.typing import ResponseReturnValue
from pydantic import BaseModel

from ..engine.core import Engine
from ..engine.recommend import gap_report, recommend, request_texts
from ..errors import Problem, to_problem
from ..schemas import BatchRequest, GapRequest, RecommendationRequest
from . import engine, json_body, parse

bp = Blueprint("recommendations", __name__, url_prefix="/v1")


class Answers:
    """Per-worker LRU of encoded answers: the same validated request on the same artifact has the same answer."""

    def __init__(self, size: int):
        self.size = size
        self.entries: OrderedDict[str, bytes] = OrderedDict()
        self.lock = Lock()

    def get_or_compute(self, key: str, compute: Callable[[], Any]) -> bytes:
        """The cached encoded answer for key, computing and storing it when absent."""
        with self.lock:
            if key in self.entries:
                self.entries.move_to_end(key)
                return self.entries[key]
        encoded: bytes = jsonify(compute()).get_data()
        with self.lock:
            self.entries[key] = encoded
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)
        return encoded


def answer(kind: str, request_model: BaseModel, compute: Callable[[], Any]) -> Response:
    """A JSON answer, served from the worker's answer cache when the same request was answered before."""
    answers: Answers | None = current_app.extensions.get("badgepath.answers")
    if answers is None or answers.size == 0:
        return jsonify(compute())
    key = hashlib.sha256(f"{kind}\0{request_model.model_dump_json()}".encode()).hexdigest()
    return Response(answers.get_or_compute(key, compute), mimetype="application/json")


@bp.post("/gap")
def gap() -> ResponseReturnValue:
    """Required skills, what the learner holds, and the gap."""
    body = parse(GapRequest, json_body())
    return answer("gap", body, lambda: gap_report(engine(), body))


@bp.post("/recommendations")
def recommendations() -> ResponseReturnValue:
    """The gap and an explained, time-boxed path of credentials that closes it."""
    body = parse(RecommendationRequest, json_body())
    return answer("recommendations", body, lambda: recommend(engine(), body))


def in_item(problem: Problem, index: int) -> dict[str, Any]:
    """A problem body whose pointers and detail locate it inside the batch."""
    body = problem.body()
    if "errors" in body:
        body["errors"] = [{**e, "pointer": f"/requests/{index}{e['pointer']}"} for e in body["errors"]]
    if problem.status >= 500:
        body["detail"] = f"item {index}: {body['detail']}"
    return body


def parsed_item(index: int, item: Any) -> RecommendationRequest | dict[str, Any]:
    """One batch item as a request, or its own problem object."""
    try:
        return parse(RecommendationRequest, item)
    except Exception as exc:  # noqa: BLE001 - every failure becomes this item's problem
        return {"problem": in_item(to_problem(exc), index)}


def batch_item(eng: Engine, index: int, item: RecommendationRequest | dict[str, Any]) -> dict[str, Any]:
    """One batch answer: the recommendation, or its own problem object."""
    if isinstance(item, dict):
        return item
    try:
        return recommend(eng, item)
    except Exception as exc:  # noqa: BLE001 - every failure becomes this item's problem
        return {"problem": in_item(to_problem(exc), index)}


def preencoded(eng: Engine, items: list[RecommendationRequest | dict[str, Any]]) -> Engine:
    """The engine with the texts of all valid items encoded in one call, which packs short texts together (a title
    alone pays a whole forward pass); past the request's text budget, the items encode one by one, so that only
    those past it fail."""
    texts = [t for item in items if not isinstance(item, dict) for t in request_texts(eng, item)]
    try:
        return eng.preencoded(texts)
    except Problem as exc:
        if exc.status != 413:
            raise
        return eng


@bp.post("/recommendations/batch")
def recommendations_batch() -> ResponseReturnValue:
    """Up to 100 recommendation requests answered in order; a bad item fails alone."""
    batch = parse(BatchRequest, json_body())
    items = [parsed_item(i, item) for i, item in enumerate(batch.requests)]
    eng = preencoded(engine(), items)
    return jsonify({"results": [batch_item(eng, i, item) for i, item in enumerate(items)]})
