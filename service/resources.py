"""Heavy per-worker resources (model, artifact, engine), loaded once in the app factory."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from .build import catalog_checksums
from .catalog import catalog_files
from .config import ROOT, Settings
from .embed import Encoder, prepare_model
from .engine.core import Engine
from .index import Records, load_artifact

log = logging.getLogger("badgepath")


@dataclass
class Resources:
    """The loaded engine and what /readyz and /v1/meta report about it."""

    engine: Engine
    encoder: Encoder
    manifest: dict[str, Any]
    load_seconds: float


def current_catalog(settings: Settings) -> dict[str, str] | None:
    """Checksums of the configured catalogue files, or None when no catalogue is present."""
    files = catalog_files(settings.catalog_dir)
    if not all(path.is_file() for path in files.values()):
        return None
    return catalog_checksums(files)


def load_resources(settings: Settings) -> Resources:
    """Verify and load model and artifact; raise ModelError/ArtifactError with one clear line."""
    started = time.perf_counter()
    default_dir = ROOT / "models" / "all-MiniLM-L6-v2"
    sha = prepare_model(settings.model_dir, settings.model_sha256, default_dir)
    artifact = load_artifact(settings.artifact_dir, sha, current_catalog(settings))
    encoder = Encoder(settings.model_dir, sha, settings.query_cache_size, settings.torch_threads, settings.encoder)
    engine = Engine(artifact, encoder)
    for records in (artifact.skills, artifact.roles, artifact.credentials):
        if isinstance(records, Records):
            records.release()  # start-up read every record once; serving reads few
    seconds = round(time.perf_counter() - started, 3)
    log.info("loaded model and artifact in %.2fs (%s)", seconds, artifact.manifest["counts"])
    return Resources(engine, encoder, artifact.manifest, seconds)
