"""The page for coaches and learners: one server-rendered template, plain JavaScript, no build step."""

from __future__ import annotations

from collections import Counter
from typing import Any, get_args

from flask import Blueprint, current_app, render_template
from flask.typing import ResponseReturnValue

from ..config import Settings
from ..schemas import Level

bp = Blueprint("web", __name__, template_folder="templates", static_folder="static",
               static_url_path="/web/static")
LEVELS: tuple[str, ...] = get_args(Level)
LANGUAGE_NAMES = {"ar": "Arabic", "de": "German", "en": "English", "es": "Spanish", "fr": "French", "it": "Italian",
                  "ja": "Japanese", "pt": "Portuguese", "ru": "Russian", "zh": "Chinese"}


def catalogue_facts() -> dict[str, Any] | None:
    """Counts and model of the served artifact for the page footer, or None while nothing is loaded."""
    loaded = current_app.extensions.get("badgepath")
    if loaded is None:
        return None
    manifest = loaded.manifest
    return {"counts": manifest["counts"], "model": manifest["model"]["name"], "created_at": manifest["created_at"]}


def catalogue_languages() -> list[tuple[str, str]]:
    """(ISO 639-1 code, name) of the languages the served credentials are taught in, most credentials first."""
    loaded = current_app.extensions.get("badgepath")
    if loaded is None:
        return []
    counts = Counter(loaded.engine.facts.language.tolist())
    return [(str(code), LANGUAGE_NAMES.get(code, str(code))) for code, _ in counts.most_common() if code]


@bp.get("/")
def index() -> ResponseReturnValue:
    """The page: target, learner and constraints form; results are drawn by static/app.js."""
    settings: Settings = current_app.extensions["badgepath.settings"]
    return render_template("web/index.html", levels=LEVELS, languages=catalogue_languages(), facts=catalogue_facts(),
                           settings=settings)
