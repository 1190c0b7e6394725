"""Typed settings read once from the environment (prefix BADGEPATH_)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from limits import parse_many
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "BADGEPATH_"


class Settings(BaseModel):
    """Service settings; every field maps to BADGEPATH_<NAME> in the environment."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    model_dir: Path = ROOT / "models" / "all-MiniLM-L6-v2"
    model_sha256: str | None = None
    artifact_dir: Path = ROOT / "models" / "artifact"
    catalog_dir: Path = ROOT / "catalog"
    cache_dir: Path = ROOT / "models" / "cache"
    max_body_bytes: int = Field(default=1_048_576, gt=0)
    max_text_chars: int = Field(default=20_000, gt=0)
    max_badges: int = Field(default=200, gt=0)
    max_skills: int = Field(default=200, gt=0)
    max_batch: int = Field(default=100, gt=0)
    max_limit: int = Field(default=100, gt=0)
    max_encode_chars: int = Field(default=50_000, gt=0)
    # Threads per worker: ONNX Runtime's (onnx), numpy's BLAS (light) or torch's (sentence-transformers); 0 = the
    # library's default. 1 per worker: more threads oversubscribe 2 cores under load. Named torch_threads for
    # BADGEPATH_TORCH_THREADS.
    torch_threads: int = Field(default=1, ge=0)
    # "auto": ONNX Runtime over the graph `badgepath model` exports from the verified weights (about twice as fast
    # per encode as the light encoder, same vectors), else the light encoder. "onnx" insists on the graph (`badgepath
    # model` fails without it; a worker still falls back, with a warning). docs/PERFORMANCE.md, session 15.
    encoder: Literal["auto", "onnx", "light", "sentence-transformers"] = "auto"
    query_cache_size: int = Field(default=4096, ge=0)
    answer_cache_size: int = Field(default=256, ge=0)
    api_keys: str = ""
    rate_limit: str = ""
    rate_limit_storage_uri: str = "memory://"
    cors_origins: str = ""
    load_model: bool = True
    testing: bool = False
    # Server settings: gunicorn.conf.py reads them; declared here so the app accepts and validates them.
    workers: int = Field(default=2, gt=0)
    threads: int = Field(default=4, gt=0)
    timeout: int = Field(default=60, gt=0)
    log_level: str = "info"
    malloc_arenas: int = Field(default=1, ge=0)  # glibc malloc arenas per worker; 0 = glibc's default

    @field_validator("api_keys")
    @classmethod
    def key_digests(cls, value: str) -> str:
        """API keys are configured as the sha256 hex digests of the keys, never as the keys."""
        if any(not re.fullmatch(r"[0-9a-f]{64}", h.strip().lower()) for h in value.split(",") if h.strip()):
            raise ValueError("give comma-separated sha256 hex digests of the keys, not the keys")
        return value

    @field_validator("rate_limit")
    @classmethod
    def rate_limit_syntax(cls, value: str) -> str:
        """A flask-limiter rate such as `100/minute` or `10/second;1000/hour` (empty: no limit)."""
        if value.strip():
            parse_many(value)
        return value


def from_env(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Collect BADGEPATH_* variables as lower-case setting names."""
    env = os.environ if environ is None else environ
    return {k[len(PREFIX) :].lower(): v for k, v in env.items() if k.startswith(PREFIX)}


class SettingsError(RuntimeError):
    """Raised when the environment holds invalid settings."""


def load_settings(overrides: Mapping[str, Any] | None = None) -> Settings:
    """Validate env settings once, with explicit overrides taking precedence."""
    values = {**from_env(), **dict(overrides or {})}
    try:
        return Settings.model_validate(values)
    except ValidationError as exc:
        problems = "; ".join(
            f"{PREFIX}{'.'.join(str(p) for p in e['loc']).upper()}: {e['msg']}" for e in exc.errors()
        )
        raise SettingsError(f"invalid settings: {problems}") from exc


def readable(path: Path) -> Path:
    """Give a folder or file made by tempfile (mode 0700 / 0600) the mode mkdir or open would have given it (0777 /
    0666 less the umask), so that a service running as another user can read what a build published (the Docker
    image builds as root and serves as uid 10001)."""
    mask = os.umask(0)
    os.umask(mask)
    path.chmod((0o777 if path.is_dir() else 0o666) & ~mask)
    return path
