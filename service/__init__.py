"""badgepath: a skill-gap recommender service (create_app is the only public entry point)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the Flask app: settings validated once, model and artifact loaded once per worker."""
    from flask import Flask

    from . import errors, observability, security
    from .api import register_blueprints
    from .api.recommendations import Answers
    from .config import load_settings
    from .resources import load_resources

    observability.setup_logging()  # before loading, so the load line and load failures are logged
    settings = load_settings(config)
    app = Flask(__name__)
    app.config.update(MAX_CONTENT_LENGTH=settings.max_body_bytes, TESTING=settings.testing)
    app.url_map.merge_slashes = False
    app.url_map.strict_slashes = False
    app.extensions["badgepath.settings"] = settings
    app.extensions["badgepath"] = load_resources(settings) if settings.load_model else None
    app.extensions["badgepath.answers"] = Answers(settings.answer_cache_size)
    observability.init_app(app)
    security.init_app(app, settings)  # after the request id is set, before any view
    errors.register(app)
    register_blueprints(app)
    return app
