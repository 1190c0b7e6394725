"""The OpenAPI 3.1 document, generated from the pydantic models in schemas.py."""

from __future__ import annotations

from functools import cache
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from . import schemas as s

REF = "#/components/schemas/{model}"
ERRORS = {
    "400": "Malformed JSON (or a member named twice), or a query string that is not UTF-8",
    "404": "Unknown route or id", "413": "Body over the limit",
    "405": "Method not allowed (see the Allow header)", "415": "Not JSON",
    "422": "Validation failed (per-field errors)", "500": "Unexpected error (quote the request id)",
    "503": "Model and artifact not loaded yet",
    "401": "API key missing or not valid (only when BADGEPATH_API_KEYS is set)", "414": "URL over 8190 bytes",
    "429": "Over the rate limit (only when BADGEPATH_RATE_LIMIT is set; see Retry-After)",
}
ID_NOTE = "Ids are ESCO URIs or slugs; percent-encode them (e.g. http%3A%2F%2Fdata.europa.eu%2F...)."

# path, method, summary, request model, response model, query parameters
OPERATIONS: list[tuple[str, str, str, type[BaseModel] | None, type[BaseModel], list[str]]] = [
    ("/healthz", "get", "Liveness", None, s.Health, []),
    ("/readyz", "get", "Readiness with the manifest summary (503 before loading)", None, s.Ready, []),
    ("/v1/meta", "get", "Model, catalogue and build facts", None, s.Meta, []),
    ("/v1/skills", "get", "Semantic search of ESCO skills", None, s.SkillSearch, ["q", "limit"]),
    ("/v1/roles", "get", "Roles nearest a title, ranked as /v1/roles/match ranks them", None, s.RoleSearch,
     ["q", "limit"]),
    ("/v1/credentials", "get", "Semantic search of credentials", None, s.CredentialSearch, ["q", "limit", "skill"]),
    ("/v1/roles/{role_id}", "get", "One role and its skills", None, s.RoleDetail, []),
    ("/v1/credentials/{credential_id}", "get", "One credential and its aligned skills", None,
     s.CredentialDetail, []),
    ("/v1/skills/extract", "post", "ESCO skills named in a text", s.TextRequest, s.ExtractResponse, []),
    ("/v1/roles/match", "post", "Roles matching a title or description", s.TextRequest, s.MatchResponse, []),
    ("/v1/gap", "post", "Skill gap between a learner and a target", s.GapRequest, s.GapResponse, []),
    ("/v1/recommendations", "post", "Gap and an explained learning path", s.RecommendationRequest,
     s.RecommendationResponse, []),
    ("/v1/recommendations/batch", "post", "Up to 100 recommendations in one call", s.BatchRequest,
     s.BatchResponse, []),
    ("/v1/recommendations/export", "post", "The path as a CTDL Pathway (JSON-LD) or an iCalendar file",
     s.ExportRequest, s.PathwayExport, ["format"]),
    ("/v1/badges/import", "post", "Read, verify and resolve Open Badges (JSON, JWT, baked PNG/SVG)",
     s.BadgeImportRequest, s.BadgeImportResponse, []),
]
QUERY: dict[str, dict[str, Any]] = {
    "q": {"type": "string", "maxLength": 500},
    "limit": {"type": "integer", "minimum": 1, "maximum": 100, "default": 10},
    "skill": {"type": "string", "maxLength": 100, "description": "only credentials aligned to this ESCO skill id"},
    "format": {"enum": ["ctdl", "ics"], "description": "required: ctdl (application/ld+json) or ics (text/calendar)"},
}
# (path, name): q is required by the skill and role searches; a credential search needs q or skill.
REQUIRED_QUERY = {("/v1/skills", "q"), ("/v1/roles", "q"), ("/v1/recommendations/export", "format")}


def ref(model: type[BaseModel]) -> dict[str, str]:
    """A $ref to a component schema."""
    return {"$ref": REF.format(model=model.__name__)}


def json_content(model: type[BaseModel], media: str = "application/json") -> dict[str, Any]:
    """A content map with one schema."""
    return {media: {"schema": ref(model)}}


def query_parameter(path: str, name: str) -> dict[str, Any]:
    """One query parameter; a required one must hold a non-space character (values are stripped)."""
    required = (path, name) in REQUIRED_QUERY
    schema = {**QUERY[name], "pattern": r"\S"} if required and QUERY[name].get("type") == "string" else QUERY[name]
    return {"name": name, "in": "query", "required": required, "schema": schema}


def operation(path: str, summary: str, body: type[BaseModel] | None, answer: type[BaseModel],
              params: list[str]) -> dict[str, Any]:
    """One operation object with its request, responses and parameters."""
    op: dict[str, Any] = {"summary": summary, "responses": {"200": {"description": "OK",
                                                                      "content": json_content(answer)}}}
    for code, text in ERRORS.items():
        op["responses"][code] = {"description": text, "content": json_content(s.ProblemDetail,
                                                                               "application/problem+json")}
    if body is not None:
        op["requestBody"] = {"required": True, "content": json_content(body)}
    parameters = [query_parameter(path, p) for p in params]
    parameters += [{"name": name.strip("{}"), "in": "path", "required": True, "description": ID_NOTE,
                    "schema": {"type": "string", "maxLength": 500}} for name in path.split("/") if name.startswith("{")]
    if parameters:
        op["parameters"] = parameters
    return op


def other_media() -> dict[tuple[str, str], dict[str, Any]]:
    """Media beyond JSON: a multipart badge upload; the export's JSON-LD and iCalendar answers."""
    upload = {"type": "object", "required": ["file"], "properties": {
        "file": {"type": "array", "items": {"type": "string", "format": "binary"},
                 "description": "badge files: JSON, a JWT, a baked PNG or a baked SVG"}}}
    return {
        ("/v1/badges/import", "post"): {"request": {"multipart/form-data": {"schema": upload}}},
        ("/v1/recommendations/export", "post"): {"response": {
            "application/ld+json": {"schema": ref(s.PathwayExport)},
            "text/calendar": {"schema": {"type": "string", "description": "RFC 5545, one VEVENT per step"}}}},
    }


def component_schemas() -> dict[str, Any]:
    """JSON Schemas of every request and response model."""
    models = {m for _, _, _, req, res, _ in OPERATIONS for m in (req, res) if m is not None} | {s.ProblemDetail}
    modes: list[tuple[type[BaseModel], Literal["validation", "serialization"]]] = [
        (m, "validation" if issubclass(m, s.Strict) else "serialization") for m in models
    ]
    _, top = models_json_schema(sorted(modes, key=lambda x: x[0].__name__), ref_template=REF)
    return dict(sorted(top.get("$defs", {}).items()))


@cache
def openapi_document() -> dict[str, Any]:
    """The whole OpenAPI 3.1 document."""
    paths: dict[str, Any] = {}
    for path, method, summary, body, answer, params in OPERATIONS:
        paths.setdefault(path, {})[method] = operation(path, summary, body, answer, params)
    for (path, method), media in other_media().items():
        paths[path][method]["requestBody"]["content"].update(media.get("request", {}))
        if "response" in media:
            paths[path][method]["responses"]["200"]["content"] = media["response"]
    return {
        "openapi": "3.1.0",
        "info": {"title": "badgepath", "version": "1.0.0",
                 "description": "Skill-gap recommender: from a learner's badges to a target role, "
                                "a timed path of micro-credentials. Errors are application/problem+json."},
        "paths": paths,
        "components": {"schemas": component_schemas()},
    }
