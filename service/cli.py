"""Command line: `badgepath model|build|serve|recommend|import`."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from .config import ROOT, Settings, SettingsError, load_settings


def open_encoder(settings: Settings) -> object:
    """Prepare, verify and load the embedding model for an offline build (every core: nothing else is serving)."""
    from .embed import Encoder, prepare_model

    sha = prepare_model(settings.model_dir, settings.model_sha256, ROOT / "models" / "all-MiniLM-L6-v2")
    return Encoder(settings.model_dir, sha, threads=os.cpu_count() or 1)


def cmd_model(args: argparse.Namespace, settings: Settings) -> int:
    """Extract (if needed) and verify the model; print its sha256; export its ONNX graph if missing (a failed export
    stops only a service configured for it)."""
    from .embed import ModelError, prepare_model

    sha = prepare_model(settings.model_dir, settings.model_sha256, ROOT / "models" / "all-MiniLM-L6-v2")
    print(f"model ok: {settings.model_dir} sha256 {sha}")
    from .minilm import UnsupportedModel
    from .onnx_encoder import export, exported_for  # the graph BADGEPATH_ENCODER=onnx serves from

    if exported_for(settings.model_dir) == sha:
        print(f"onnx graph ok: {settings.model_dir / 'onnx'}")
        return 0
    try:
        print(f"onnx graph exported: {export(settings.model_dir, sha)}")
    except (ImportError, OSError, RuntimeError, UnsupportedModel) as error:
        if settings.encoder == "onnx":
            raise ModelError(f"onnx graph not exported: {error}") from error
        print(f"badgepath: onnx graph not exported ({error}); the light encoder serves", file=sys.stderr)
    return 0


def cmd_build(args: argparse.Namespace, settings: Settings) -> int:
    """Validate the catalogue and write the artifact."""
    from .build import build
    from .embed import Encoder

    catalog = Path(args.catalog or settings.catalog_dir)
    out = Path(args.out or settings.artifact_dir)
    if args.if_missing and _artifact_current(out, catalog, settings):
        print(f"artifact up to date: {out}")
        return 0
    started = time.perf_counter()
    from .build import validated_catalog

    checked = validated_catalog(catalog, settings.cache_dir)  # before the model loads: bad input fails fast
    encoder = open_encoder(settings)
    assert isinstance(encoder, Encoder)
    manifest = build(catalog, out, encoder, settings.cache_dir, progress=not args.quiet, catalog=checked)
    counts = ", ".join(f"{k} {v}" for k, v in manifest["counts"].items())
    print(f"built {out} in {time.perf_counter() - started:.1f}s: {counts}; cache {manifest['cache']}")
    return 0


def _artifact_current(out: Path, catalog: Path, settings: Settings) -> bool:
    """Whether out holds a sound artifact of this catalogue, built with today's thresholds and row rules (checked
    without the model)."""
    from . import calibration
    from .build import ROWS_VERSION, catalog_checksums
    from .catalog import catalog_files
    from .index import ArtifactError, read_manifest, verify_files

    try:
        manifest = read_manifest(out)
        verify_files(out, manifest)
    except ArtifactError:
        return False
    return bool(manifest["catalog"]["files"] == catalog_checksums(catalog_files(catalog))
                and manifest.get("thresholds") == calibration.thresholds()
                and manifest.get("rows_version") == ROWS_VERSION)


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    """Run gunicorn with the project's gunicorn.conf.py."""
    conf = ROOT / "gunicorn.conf.py"
    argv = ["gunicorn", "--config", str(conf), "service:create_app()"]
    os.execvp(argv[0], argv)


def cmd_recommend(args: argparse.Namespace, settings: Settings) -> int:
    """Answer one recommendation request read as JSON from a file or stdin."""
    from . import create_app

    body = json.loads(Path(args.request).read_text() if args.request != "-" else sys.stdin.read())
    app = create_app()
    response = app.test_client().post("/v1/recommendations", json=body)
    print(json.dumps(response.get_json(), indent=2, ensure_ascii=False))
    return 0 if response.status_code == 200 else 1


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    """Convert catalogue files to credential records; every problem is listed and nothing is written."""
    from .credentials.ingest import Ingest, catalogue_ids, import_catalog

    catalog = Path(args.catalog or settings.catalog_dir)
    ingest = Ingest(default_hours=args.hours, skills=catalogue_ids(catalog, "skills"),
                    credentials=catalogue_ids(catalog, "credentials") or set())
    try:
        count = import_catalog(args.format, [Path(f) for f in args.files], Path(args.out), ingest)
    finally:
        for warning in ingest.warnings:
            print(f"badgepath: warning: {warning}", file=sys.stderr)
    print(f"imported {count} credential(s) into {args.out}")
    return 0


def parser() -> argparse.ArgumentParser:
    """The argument parser with one sub-command per action."""
    root = argparse.ArgumentParser(prog="badgepath", description=__doc__)
    sub = root.add_subparsers(dest="command", required=True)
    sub.add_parser("model", help="extract and verify the embedding model").set_defaults(func=cmd_model)
    build = sub.add_parser("build", help="validate the catalogue and build the index artifact")
    build.add_argument("--catalog", help="catalogue folder (default: BADGEPATH_CATALOG_DIR or catalog/)")
    build.add_argument("--out", help="artifact path (default: BADGEPATH_ARTIFACT_DIR or models/artifact)")
    build.add_argument("--if-missing", action="store_true",
                       help="skip when a sound artifact of it, built with these thresholds and row rules, exists")
    build.add_argument("--quiet", action="store_true", help="no progress bars")
    build.set_defaults(func=cmd_build)
    sub.add_parser("serve", help="run the HTTP service under gunicorn").set_defaults(func=cmd_serve)
    rec = sub.add_parser("recommend", help="answer one recommendation request (JSON file or -)")
    rec.add_argument("request")
    rec.set_defaults(func=cmd_recommend)
    imp = sub.add_parser("import", help="turn Open Badges classes, CTDL JSON-LD or CSV into credential records")
    imp.add_argument("--format", required=True, choices=("openbadges", "ctdl", "csv"))
    imp.add_argument("files", nargs="+", metavar="FILE")
    imp.add_argument("--out", required=True, help="JSON Lines file to write (.jsonl or .jsonl.gz), atomically")
    imp.add_argument("--catalog", help="catalogue whose taxonomy and credential ids links are checked against "
                                       "(default: BADGEPATH_CATALOG_DIR or catalog/)")
    imp.add_argument("--hours", type=float, help="hours for records whose source gives no duration")
    imp.set_defaults(func=cmd_import)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: one line on stderr and a non-zero exit for any expected failure."""
    from .catalog import CatalogError
    from .embed import ModelError
    from .index import ArtifactError

    args = parser().parse_args(argv)
    try:
        return int(args.func(args, load_settings()))
    except CatalogError as exc:
        print(f"badgepath: {exc}", file=sys.stderr)
        return 2
    except (ModelError, ArtifactError, SettingsError) as exc:
        print(f"badgepath: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
