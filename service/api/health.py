"""Health, readiness, build metadata, the OpenAPI document and the offline docs page."""

from __future__ import annotations

import hashlib
from importlib.util import find_spec
from pathlib import Path

from flask import Blueprint, Response, current_app, jsonify, send_from_directory
from flask.typing import ResponseReturnValue

from ..errors import Problem
from ..openapi import openapi_document
from ..resources import Resources
from . import resources

bp = Blueprint("health", __name__)
DOCS_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>badgepath API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script></body></html>
"""
DOCS_INIT = "window.ui = SwaggerUIBundle({url: '/openapi.json', dom_id: '#swagger-ui'});\n"


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """Liveness: the process answers."""
    return jsonify({"status": "ok"})


def summary(loaded: Resources) -> dict[str, object]:
    """Manifest summary shown by /readyz."""
    manifest = loaded.manifest
    return {"status": "ready", "model_sha256": manifest["model"]["sha256"], "counts": manifest["counts"],
            "created_at": manifest["created_at"], "load_seconds": loaded.load_seconds}


@bp.get("/readyz")
def readyz() -> ResponseReturnValue:
    """Readiness: 200 with the manifest summary once model and artifact are loaded, else 503."""
    loaded = current_app.extensions.get("badgepath")
    if loaded is None:
        raise Problem(503, "not-ready", "Service Unavailable", "model and artifact are not loaded")
    return jsonify(summary(loaded))


def catalog_sha256(files: dict[str, str]) -> str:
    """One digest of the whole catalogue: sha256 of its sorted "<kind> <file sha256>" lines."""
    lines = "".join(f"{kind} {digest}\n" for kind, digest in sorted(files.items()))
    return hashlib.sha256(lines.encode()).hexdigest()


@bp.get("/v1/meta")
def meta() -> ResponseReturnValue:
    """Model, catalogue and build facts of the served artifact, and the encoder this worker serves with ("onnx",
    "light" or "sentence-transformers": BADGEPATH_ENCODER=auto falls back to "light" without an exported graph)."""
    manifest = resources().manifest
    catalog = {**manifest["catalog"], "sha256": catalog_sha256(manifest["catalog"]["files"])}
    return jsonify({
        "model": manifest["model"], "catalog": catalog, "counts": manifest["counts"],
        "created_at": manifest["created_at"], "versions": manifest["versions"],
        "thresholds": manifest["thresholds"], "encoder": resources().encoder.backend, "limits": limits(),
    })


def limits() -> dict[str, int]:
    """The request limits this service enforces (the settings' BADGEPATH_MAX_*), so that a client can size a batch."""
    settings = current_app.extensions["badgepath.settings"]
    return {name: int(getattr(settings, name))
            for name in ("max_body_bytes", "max_text_chars", "max_batch", "max_encode_chars")}


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    """The OpenAPI 3.1 document generated from the pydantic models."""
    return jsonify(openapi_document())


@bp.get("/docs")
def docs() -> ResponseReturnValue:
    """Interactive API docs, served offline."""
    return Response(DOCS_HTML, mimetype="text/html")


@bp.get("/docs/init.js")
def docs_init() -> ResponseReturnValue:
    """Swagger UI start-up script (a file, so the page needs no inline script)."""
    return Response(DOCS_INIT, mimetype="text/javascript")


def swagger_dist() -> Path:
    """Folder of the Swagger UI assets shipped by the flask-swagger-ui package."""
    spec = find_spec("flask_swagger_ui")
    if spec is None or not spec.submodule_search_locations:
        raise Problem(404, "not-found", "Not Found", "Swagger UI assets are not installed")
    return Path(list(spec.submodule_search_locations)[0]) / "dist"


@bp.get("/docs/assets/<path:name>")
def docs_assets(name: str) -> ResponseReturnValue:
    """Swagger UI's static files."""
    return send_from_directory(swagger_dist(), name, max_age=86400)
