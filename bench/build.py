"""Cold and warm build times of a catalogue: python bench/build.py [--catalog DIR].

Cold: an empty temporary embedding cache and output folder. Warm: a rebuild into a new folder with the
cache the cold build filled. Prints one row per build; nothing is asserted.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from service.build import build  # noqa: E402
from service.catalog import load_catalog  # noqa: E402
from service.config import ROOT, load_settings  # noqa: E402
from service.embed import Encoder, prepare_model  # noqa: E402

TABLES = ("skills", "roles", "credentials")


def timed_build(catalog: Path, out: Path, encoder: Encoder, cache: Path) -> tuple[float, dict[str, Any]]:
    """Seconds one build takes, and its manifest."""
    started = time.perf_counter()
    manifest = build(catalog, out, encoder, cache, progress=False)
    return time.perf_counter() - started, manifest


def row(name: str, seconds: float, manifest: dict[str, Any]) -> str:
    """One table line: vector rows, seconds, texts looked up per second, cache hits and misses."""
    rows = sum(manifest["counts"][f"{t}_rows"] for t in TABLES)
    hits, misses = manifest["cache"]["hits"], manifest["cache"]["misses"]
    return f"{name:<6}{rows:>8}{seconds:>10.1f}{(hits + misses) / seconds:>10.0f}{hits:>10}{misses:>10}"


def main() -> None:
    """Build the catalogue cold, then warm, and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", type=Path, default=ROOT / "catalog", help="catalogue folder (default catalog/)")
    catalog = parser.parse_args().catalog
    settings = load_settings()
    started = time.perf_counter()
    sha = prepare_model(settings.model_dir, settings.model_sha256, ROOT / "models" / "all-MiniLM-L6-v2")
    encoder = Encoder(settings.model_dir, sha, threads=settings.torch_threads)
    loaded = load_catalog(catalog)
    print(f"catalogue {catalog}: {len(loaded.skills)} skills, {len(loaded.roles)} roles, "
          f"{len(loaded.credentials)} credentials; model loaded in {time.perf_counter() - started:.1f}s")
    print(f"{'build':<6}{'rows':>8}{'seconds':>10}{'texts/s':>10}{'hits':>10}{'misses':>10}")
    with tempfile.TemporaryDirectory(prefix="badgepath-bench-") as tmp:
        for name, out in (("cold", Path(tmp, "cold", "artifact")), ("warm", Path(tmp, "warm", "artifact"))):
            seconds, manifest = timed_build(catalog, out, encoder, Path(tmp, "cache"))
            print(row(name, seconds, manifest), flush=True)


if __name__ == "__main__":
    main()
