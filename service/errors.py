"""Error types and the one handler that renders every error as RFC 9457 application/problem+json."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, current_app, g, json, request
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException

from .engine.core import NotFound

PROBLEM = "application/problem+json"
TYPE_BASE = "https://badgepath.dev/problems/"
log = logging.getLogger("badgepath")


class Problem(Exception):
    """An error with an HTTP status, a stable type slug and optional per-field errors."""

    def __init__(self, status: int, slug: str, title: str, detail: str, errors: list[dict[str, Any]] | None = None):
        super().__init__(detail)
        self.status, self.slug, self.title, self.detail = status, slug, title, detail
        self.errors = errors
        self.headers: dict[str, str] = {}

    def body(self) -> dict[str, Any]:
        """The problem document."""
        body: dict[str, Any] = {
            "type": TYPE_BASE + self.slug, "title": self.title, "status": self.status, "detail": self.detail,
        }
        if self.errors is not None:
            body["errors"] = self.errors
        return body


# RFC 9110's names where Werkzeug still uses RFC 2616's ("Request Entity Too Large"): one status, one title.
TITLES = {413: "Content Too Large", 414: "URI Too Long", 416: "Range Not Satisfiable", 422: "Unprocessable Content"}
# pydantic starts the message of a ValueError raised in a validator with this; the client needs the reason alone.
VALUE_ERROR = "Value error, "


def pointer(loc: tuple[int | str, ...]) -> str:
    """JSON Pointer (RFC 6901) for a pydantic error location."""
    return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in loc) if loc else ""


def message(error: Any) -> str:
    """A pydantic error's message as a client reads it: no "Value error, " prefix, and an object asked for as a JSON
    object, not as "a valid dictionary or instance of RecommendationRequest" (a class name of ours)."""
    if error["type"] == "model_type":
        return "Input should be a JSON object"
    return str(error["msg"]).removeprefix(VALUE_ERROR)


def validation_problem(exc: ValidationError) -> Problem:
    """422 with one entry per invalid field."""
    errors = [
        {"pointer": pointer(tuple(e["loc"])), "message": message(e), "type": e["type"]}
        for e in exc.errors(include_url=False, include_input=False, include_context=False)
    ]
    return Problem(422, "validation", "Unprocessable Content", f"{len(errors)} invalid field(s)", errors)


def not_found_problem(exc: NotFound) -> Problem:
    """404 for an unknown role, credential or skill id."""
    errors = [{"pointer": exc.pointer, "message": str(exc), "type": f"unknown_{exc.kind}"}]
    return Problem(404, f"unknown-{exc.kind}", "Not Found", str(exc), errors)


def http_problem(exc: HTTPException) -> Problem:
    """Werkzeug's HTTP errors (404 route, 405, 413, ...) as problems, keeping headers such as Allow."""
    status = exc.code or 500
    slug = (exc.name or "error").lower().replace(" ", "-")
    detail = exc.description or exc.name or "error"
    if status == 413 and over_body_limit():  # Werkzeug's text names no limit; a client sizing a batch needs it
        detail = f"the request body is over {current_app.config['MAX_CONTENT_LENGTH']} bytes (BADGEPATH_MAX_BODY_BYTES)"
        if request.path.endswith("/batch"):
            detail += "; send the batch as several smaller ones"
    problem = Problem(status, slug, TITLES.get(status, exc.name or "Error"), detail)
    # Werkzeug's own headers include its text/html Content-Type, which must not replace problem+json.
    problem.headers = {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}
    return problem


def over_body_limit() -> bool:
    """Whether this request's body is over MAX_CONTENT_LENGTH: declared so, or a stream found so (security.
    refuse_long_stream); not a body that a form's own limits stopped."""
    length = request.content_length
    return length > current_app.config["MAX_CONTENT_LENGTH"] if length is not None else bool(g.get("over_body_limit"))


def to_problem(exc: Exception) -> Problem:
    """Map any exception to a problem; unknown ones become a 500 without internals."""
    if isinstance(exc, Problem):
        return exc
    if isinstance(exc, ValidationError):
        return validation_problem(exc)
    if isinstance(exc, NotFound):
        return not_found_problem(exc)
    if isinstance(exc, HTTPException):
        return http_problem(exc)
    rid = getattr(g, "request_id", "-")
    log.exception("unhandled error request_id=%s path=%s", rid, request.path)
    return Problem(500, "internal", "Internal Server Error", f"unexpected error; quote request id {rid}")


def problem_response(problem: Problem) -> Response:
    """Render a problem with the problem+json media type and the request id."""
    body = problem.body()
    rid = getattr(g, "request_id", None)
    if rid:
        body["request_id"] = rid
    response = Response(json.dumps(body), status=problem.status, mimetype=PROBLEM)
    response.headers.update(problem.headers)
    return response


def handle(exc: Exception) -> Response:
    """The single error handler registered on the app."""
    return problem_response(to_problem(exc))


def register(app: Flask) -> None:
    """Route every exception through handle()."""
    app.register_error_handler(Exception, handle)
