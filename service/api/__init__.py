"""HTTP API: blueprints and the helpers they share to parse bodies and reach the engine."""

from __future__ import annotations

import json
import math
from typing import Any, TypeVar
from urllib.parse import unquote_to_bytes

from flask import Flask, current_app, request
from pydantic import BaseModel, ValidationError

from ..config import Settings
from ..engine.core import Engine
from ..errors import Problem, validation_problem
from ..resources import Resources

M = TypeVar("M", bound=BaseModel)


def settings() -> Settings:
    """The app's validated settings."""
    value: Settings = current_app.extensions["badgepath.settings"]
    return value


def resources() -> Resources:
    """The loaded resources, or a 503 problem while they are not loaded."""
    loaded: Resources | None = current_app.extensions.get("badgepath")
    if loaded is None:
        raise Problem(503, "not-ready", "Service Unavailable", "model and artifact are not loaded")
    return loaded


def engine() -> Engine:
    """The engine of this worker."""
    return resources().engine


def limits() -> dict[str, int]:
    """Validation context: the configured request limits."""
    s = settings()
    return {"max_text_chars": s.max_text_chars, "max_badges": s.max_badges, "max_skills": s.max_skills,
            "max_batch": s.max_batch, "max_limit": s.max_limit}


def reject_constant(name: str) -> float:
    """json.loads hook: NaN and Infinity are not JSON."""
    raise ValueError(f"{name} is not a valid JSON number")


def finite(text: str) -> float:
    """json.loads hook: numbers that overflow to infinity are rejected."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"number {text[:40]} is out of range")
    return value


def query_args() -> dict[str, str]:
    """The query string's parameters, or a 400 problem when it is not UTF-8 once percent-decoded (Werkzeug would put
    replacement characters in its place and search for them)."""
    try:
        unquote_to_bytes(request.query_string.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Problem(400, "malformed-query", "Bad Request",
                      f"the query string is not valid UTF-8 once percent-decoded (byte {exc.start})") from exc
    return request.args.to_dict()


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """json.loads hook: an object that names a member twice is refused (which one wins is a parser's guess)."""
    found = dict(pairs)
    if len(found) < len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise ValueError(f"member {key[:40]!r} appears twice in one object")
            seen.add(key)
    return found


INT_DIGITS = 100  # no field takes a longer integer; Python's own limit (4,300) names sys.set_int_max_str_digits()


def whole(text: str) -> int:
    """A JSON integer, refused past INT_DIGITS digits with a message of its own."""
    digits = len(text.lstrip("-"))
    if digits > INT_DIGITS:
        raise ValueError(f"a number of {digits} digits (at most {INT_DIGITS})")
    return int(text)


def json_body() -> Any:
    """The request's JSON document, or 415/400 problems."""
    if not request.is_json:
        raise Problem(415, "unsupported-media-type", "Unsupported Media Type",
                      "send the body as application/json")
    raw = request.get_data(cache=True)
    try:
        document = json.loads(raw.decode("utf-8"), parse_constant=reject_constant, parse_float=finite,
                              parse_int=whole, object_pairs_hook=unique_keys)
    except UnicodeDecodeError as exc:
        raise Problem(400, "malformed-json", "Bad Request", f"body is not valid UTF-8 (byte {exc.start})") from exc
    except RecursionError as exc:
        raise Problem(400, "malformed-json", "Bad Request", "JSON nested too deeply") from exc
    except ValueError as exc:
        raise Problem(400, "malformed-json", "Bad Request", f"malformed JSON: {str(exc)[:200]}") from exc
    return document


def parse(model: type[M], data: Any) -> M:
    """Validate data against a request model with the configured limits; 422 on failure."""
    try:
        return model.model_validate(data, context=limits())
    except ValidationError as exc:
        raise validation_problem(exc) from exc
    except RecursionError as exc:
        raise Problem(400, "malformed-json", "Bad Request", "JSON nested too deeply") from exc


def register_blueprints(app: Flask) -> None:
    """Attach every blueprint to the app."""
    from ..web import bp as web
    from .badges import bp as badges
    from .export import bp as export
    from .health import bp as health
    from .recommendations import bp as recommendations
    from .search import bp as search

    for blueprint in (health, search, recommendations, web, badges, export):
        app.register_blueprint(blueprint)
