"""The page for coaches and learners: one server-rendered template, plain JavaScript, no build step."""

from __future__ import annotations

from typing import Any, get_args

from flask import Blueprint, current_app, render_template
from flask.typing import ResponseReturnValue

from ..config import Settings
from ..schemas import Level

bp = Blueprint("web", __name__, template_folder="templates", static_folder="static",
               static_url_path="/web/static")
LEVELS: tuple[str, ...] = get_args(Level)


def catalogue_facts() -> dict[str, Any] | None:
    """Counts and model of the served artifact for the page footer, or None while nothing is loaded."""
    loaded = current_app.extensions.get("badgepath")
    if loaded is None:
        return None
    manifest = loaded.manifest
    return {"counts": manifest["counts"], "model": manifest["model"]["name"], "created_at": manifest["created_at"]}


@bp.get("/")
def index() -> ResponseReturnValue:
    """The page: target, learner and constraints form; results are drawn by static/app.js."""
    settings: Settings = current_app.extensions["badgepath.settings"]
    return render_template("web/index.html", levels=LEVELS, facts=catalogue_facts(), settings=settings)
