"""Artifact and model faults at the service level: the real server refuses to start with one line naming the problem
(and stops instead of booting workers in a loop); an interrupted build leaves the previous artifact serving."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask

from service import create_app
from service.config import ROOT
from service.embed import WEIGHTS, sha256_file
from service.index import load_artifact

from .conftest import MODEL_DIR
from .live import launch

REFUSAL = "badgepath: refusing to start: "


@pytest.fixture
def damaged(artifact_dir: Path, small_catalog: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A private copy of the good artifact and of the catalogue it was built from, to damage."""
    artifact, catalog = tmp_path / "artifact", tmp_path / "catalog"
    shutil.copytree(artifact_dir.resolve(), artifact)
    shutil.copytree(small_catalog, catalog)
    return artifact, catalog


def refused(log: Path, workers: int, settings: dict[str, str]) -> str:
    """Start gunicorn on bad inputs: /readyz never says ready, the master exits 4 ("App failed to load.") with no
    traceback; return the one refusal line (every worker that got that far printed the same one)."""
    server = launch(log, {"workers": str(workers), **settings})
    deadline = time.monotonic() + 120
    while server.proc.poll() is None and time.monotonic() < deadline:
        try:
            assert server.request("GET", "/readyz").status != 200
        except OSError:
            pass
        time.sleep(0.1)
    text = server.log_text()
    assert server.proc.poll() == 4, text[-3000:]
    assert "Traceback" not in text and "Reason: App failed to load." in text
    refusals = {line.split(REFUSAL, 1)[1] for line in text.splitlines() if REFUSAL in line}
    assert len(refusals) == 1, text[-3000:]
    return refusals.pop()


def member(artifact: Path, prefix: str) -> Path:
    """The artifact file whose name starts with prefix (records are .json or .jsonl, by format version)."""
    return next(p for p in sorted(artifact.iterdir()) if p.name.startswith(prefix))


def truncate(path: Path) -> None:
    """Cut a file to half its size."""
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def flip_byte(path: Path) -> None:
    """Change one byte in the middle of a file."""
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def edit_manifest(artifact: Path, key: str, field: str, value: object) -> None:
    """Set manifest[key][field] = value."""
    manifest = json.loads((artifact / "manifest.json").read_text())
    manifest[key][field] = value
    (artifact / "manifest.json").write_text(json.dumps(manifest))


def bad_model(tmp_path: Path) -> Path:
    """A model folder like the real one whose weights are truncated."""
    model = tmp_path / "model"
    model.mkdir()
    for item in MODEL_DIR.iterdir():
        (model / item.name).symlink_to(item)
    (model / WEIGHTS).unlink()
    (model / WEIGHTS).write_bytes((MODEL_DIR / WEIGHTS).read_bytes()[:1_000_000])
    return model


def case_missing_dir(artifact: Path, catalog: Path, tmp: Path) -> tuple[dict[str, str], str]:
    shutil.rmtree(artifact)
    return {}, f"{artifact}/manifest.json: missing (run `badgepath build`)"


def case_missing_file(artifact: Path, catalog: Path, tmp: Path) -> tuple[dict[str, str], str]:
    (artifact / "skills.faiss").unlink()
    return {}, f"{artifact}/skills.faiss: missing"


def case_truncated(artifact: Path, catalog: Path, tmp: Path) -> tuple[dict[str, str], str]:
    records = member(artifact, "credentials.json")
    truncate(records)
    return {}, f"{records}: sha256 differs from manifest.json (altered or truncated)"


def case_altered(artifact: Path, catalog: Path, tmp: Path) -> tuple[dict[str, str], str]:
    flip_byte(artifact / "skill_vectors.npy")
    return {}, f"{artifact}/skill_vectors.npy: sha256 differs from manifest.json (altered or truncated)"


def case_unlisted(artifact: Path, catalog: Path, tmp: Path) -> tuple[dict[str, str], str]:
    (artifact / "extra.json").write_text("{}")
    return {}, f"{artifact}/extra.json: not listed in manifest.json"


def case_manifest_not_json(artifact: Path, catalog: Path, tmp: Path) -> tuple[dict[str, str], str]:
    (artifact / "manifest.json").write_text('{"format_version": 1,')
    return {}, (f"{artifact}/manifest.json: not valid JSON (Expecting property name enclosed in double quotes: "
                "line 1 column 22 (char 21))")


def case_other_model(artifact: Path, catalog: Path, tmp: Path) -> tuple[dict[str, str], str]:
    sha = json.loads((artifact / "manifest.json").read_text())["model"]["sha256"]
    edit_manifest(artifact, "model", "sha256", "0" * 64)
    return {}, (f"manifest.json: built with model sha256 {'0' * 64}, but the loaded model is {sha}; "
                "rebuild with `badgepath build`")


def case_other_catalog(artifact: Path, catalog: Path, tmp: Path) -> tuple[dict[str, str], str]:
    with (catalog / "credentials.jsonl").open("a") as handle:
        handle.write("\n")
    return {}, "manifest.json: built from a different catalogue; rebuild with `badgepath build`"


def case_bad_weights(artifact: Path, catalog: Path, tmp: Path) -> tuple[dict[str, str], str]:
    model = bad_model(tmp)
    expected = json.loads((artifact / "manifest.json").read_text())["model"]["sha256"]
    actual = sha256_file(model / WEIGHTS)
    return {"model_dir": str(model)}, f"{model}/{WEIGHTS}: sha256 {actual} does not match expected {expected}"


def case_wrong_checksum(artifact: Path, catalog: Path, tmp: Path) -> tuple[dict[str, str], str]:
    expected = json.loads((artifact / "manifest.json").read_text())["model"]["sha256"]
    return {"model_sha256": "f" * 64}, f"{MODEL_DIR}/{WEIGHTS}: sha256 {expected} does not match expected {'f' * 64}"


def case_bad_setting(artifact: Path, catalog: Path, tmp: Path) -> tuple[dict[str, str], str]:
    return {"rate_limit": "lots"}, ("invalid settings: BADGEPATH_RATE_LIMIT: Value error, couldn't parse rate limit "
                                    "string 'lots'")


CASES = [case_missing_dir, case_missing_file, case_truncated, case_altered, case_unlisted, case_manifest_not_json,
         case_other_model, case_other_catalog, case_bad_weights, case_wrong_checksum, case_bad_setting]


@pytest.mark.parametrize("case", CASES, ids=[c.__name__.removeprefix("case_") for c in CASES])
def test_server_refuses_with_one_line(damaged: tuple[Path, Path], tmp_path: Path,
                                      case: Callable[[Path, Path, Path], tuple[dict[str, str], str]]) -> None:
    """Each fault stops gunicorn (exit 4) with one line naming the file or setting and what is wrong."""
    artifact, catalog = damaged
    settings, message = case(artifact, catalog, tmp_path)
    settings = {"artifact_dir": str(artifact), "catalog_dir": str(catalog), **settings}
    assert refused(tmp_path / "server.log", 1, settings) == message


def test_two_workers_stop_the_master_not_a_boot_loop(damaged: tuple[Path, Path], tmp_path: Path) -> None:
    """With two workers failing, the master still halts at once instead of replacing them forever."""
    artifact, catalog = damaged
    records = member(artifact, "roles.json")
    flip_byte(records)
    started = time.monotonic()
    message = refused(tmp_path / "server.log", 2, {"artifact_dir": str(artifact), "catalog_dir": str(catalog)})
    assert message == f"{records}: sha256 differs from manifest.json (altered or truncated)"
    assert time.monotonic() - started < 60
    assert (tmp_path / "server.log").read_text().count("Booting worker") == 2


def test_create_app_fails_naming_the_problem(damaged: tuple[Path, Path]) -> None:
    """Outside gunicorn, create_app() raises the typed error: the process exits non-zero, its last line names it."""
    artifact, catalog = damaged
    (artifact / "roles.faiss").unlink()
    env = {**os.environ, "BADGEPATH_ARTIFACT_DIR": str(artifact), "BADGEPATH_CATALOG_DIR": str(catalog)}
    done = subprocess.run([sys.executable, "-c", "from service import create_app; create_app()"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == f"service.index.ArtifactError: {artifact}/roles.faiss: missing"


def previous_build(artifact_dir: Path, out: Path) -> Path:
    """Lay out a good artifact as `badgepath build` publishes one: out -> out.<id> (a symlink to the folder)."""
    target = out.parent / f"{out.name}.previous"
    shutil.copytree(artifact_dir.resolve(), target)
    out.symlink_to(target.name)
    return target


def kill_build(out: Path, catalog: Path, cache: Path, when: Callable[[list[Path]], bool]) -> int:
    """Run `badgepath build` into out and SIGKILL it once when(staging folders) holds; return its exit code."""
    env = {**os.environ, "BADGEPATH_CACHE_DIR": str(cache)}
    command = [str(Path(sys.executable).parent / "badgepath"), "build", "--catalog", str(catalog), "--out", str(out),
               "--quiet"]
    build = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while build.poll() is None and time.monotonic() < deadline:
        if when(list(out.parent.glob(f".{out.name}-build-*"))):
            build.send_signal(signal.SIGKILL)
            break
        time.sleep(0.005)
    return build.wait(timeout=60)


def serves(out: Path, catalog: Path) -> Flask:
    """The app on out, checked ready."""
    app = create_app({"artifact_dir": out, "catalog_dir": catalog, "testing": True})
    assert app.test_client().get("/readyz").status_code == 200
    return app


def test_build_killed_midway_keeps_the_previous_artifact(artifact_dir: Path, small_catalog: Path, tmp_path: Path,
                                                         model_sha256: str) -> None:
    """SIGKILL during `badgepath build` (while it embeds into its staging folder) leaves out pointing at the
    previous artifact, which verifies, loads and serves."""
    out = tmp_path / "artifact"
    target = previous_build(artifact_dir, out)
    code = kill_build(out, small_catalog, tmp_path / "cache", when=bool)
    assert code == -signal.SIGKILL
    assert out.resolve() == target.resolve()
    manifest = load_artifact(out, model_sha256).manifest
    app = serves(out, small_catalog)
    assert app.test_client().get("/readyz").get_json()["created_at"] == manifest["created_at"]


def test_build_killed_while_writing_leaves_a_sound_artifact(artifact_dir: Path, small_catalog: Path,
                                                             tmp_path: Path, model_sha256: str) -> None:
    """Killed once files appear in staging (the embeddings cached, so it writes at once), out is the previous
    artifact or, if the build won the race, the new one: never a half-written one."""
    out = tmp_path / "artifact"
    target = previous_build(artifact_dir, out)
    code = kill_build(out, small_catalog, ROOT / "models" / "cache", when=lambda dirs: any(
        any(d.iterdir()) for d in dirs if d.is_dir()))
    assert code in (0, -signal.SIGKILL)
    assert (out.resolve() == target.resolve()) == (code != 0)
    load_artifact(out, model_sha256)
