"""The embedding model: extracted from its package, verified by sha256 before anything loads it."""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from service.config import ROOT
from service.embed import (
    DEFAULT_MODEL_SHA256,
    REQUIRED_FILES,
    WEIGHTS,
    Encoder,
    ModelError,
    extract_model,
    prepare_model,
    verify_model,
)

MODEL_DIR = ROOT / "models" / "all-MiniLM-L6-v2"


def linked_model(folder: Path, leave_out: str) -> Path:
    """A model folder whose entries are links to the real model's, except one left out."""
    folder.mkdir(parents=True)
    for entry in MODEL_DIR.iterdir():
        if entry.name != leave_out:
            (folder / entry.name).symlink_to(entry)
    return folder


@pytest.fixture(scope="module")
def damaged_model(tmp_path_factory: pytest.TempPathFactory, model_sha256: str) -> tuple[Path, str]:
    """A model folder linking the real files but holding a weights copy with one byte changed; and its sha256."""
    folder = linked_model(tmp_path_factory.mktemp("damaged") / "model", leave_out=WEIGHTS)
    weights = bytearray((MODEL_DIR / WEIGHTS).read_bytes())
    weights[len(weights) // 2] ^= 0x01
    (folder / WEIGHTS).write_bytes(weights)
    return folder, hashlib.sha256(weights).hexdigest()


def model_error(model_dir: Path, expected: str | None) -> str:
    """The message prepare_model refuses a model folder with."""
    with pytest.raises(ModelError) as caught:
        prepare_model(model_dir, expected, MODEL_DIR)
    return str(caught.value)


def cli_model(model_dir: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    """Run `badgepath model` with BADGEPATH_MODEL_DIR (and settings) set and no other BADGEPATH_ setting."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BADGEPATH_")}
    env.update({"BADGEPATH_MODEL_DIR": str(model_dir), **settings})
    return subprocess.run([sys.executable, "-m", "service.cli", "model"], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=False)


def test_packaged_model_verifies(model_sha256: str) -> None:
    """The extracted model's weights are the pinned package's."""
    assert verify_model(MODEL_DIR, DEFAULT_MODEL_SHA256) == model_sha256 == DEFAULT_MODEL_SHA256


def test_altered_weights_are_refused(damaged_model: tuple[Path, str]) -> None:
    """One changed byte in the weights is refused, naming the file and both checksums."""
    folder, actual = damaged_model
    message = f"{folder / WEIGHTS}: sha256 {actual} does not match expected {DEFAULT_MODEL_SHA256}"
    with pytest.raises(ModelError) as caught:
        verify_model(folder, DEFAULT_MODEL_SHA256)
    assert str(caught.value) == message
    assert model_error(folder, None) == message


def test_other_expected_checksum_is_enforced() -> None:
    """An explicit expected sha256 replaces the packaged one."""
    assert model_error(MODEL_DIR, "0" * 64) == (
        f"{MODEL_DIR / WEIGHTS}: sha256 {DEFAULT_MODEL_SHA256} does not match expected {'0' * 64}"
    )


@pytest.mark.parametrize("name", REQUIRED_FILES)
def test_missing_model_file_is_named(tmp_path: Path, name: str) -> None:
    """A model folder lacking a required file is refused, naming it."""
    folder = linked_model(tmp_path / "model", leave_out=name)
    assert model_error(folder, None) == f"{folder / name}: missing model file"


def test_missing_model_folder(tmp_path: Path) -> None:
    """A configured folder that does not exist is not silently replaced by an extraction."""
    assert model_error(tmp_path / "nowhere", None) == f"{tmp_path / 'nowhere'}: model folder does not exist"
    assert not (tmp_path / "nowhere").exists()


def test_extract_model(tmp_path: Path) -> None:
    """The package's model.zip unpacks into a complete, verified folder and nothing else."""
    folder = extract_model(tmp_path / "model")
    assert verify_model(folder, DEFAULT_MODEL_SHA256) == DEFAULT_MODEL_SHA256
    assert all((folder / name).is_file() for name in REQUIRED_FILES)
    assert [p.name for p in tmp_path.iterdir()] == ["model"]


def test_published_folders_are_readable_by_the_serving_user(tmp_path: Path) -> None:
    """The extracted model folder gets mkdir's mode, not tempfile's 0700: the Docker image extracts it as root and
    serves as uid 10001."""
    mask = os.umask(0)
    os.umask(mask)
    folder = extract_model(tmp_path / "model")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o777 & ~mask != 0o700


def test_extract_refuses_unexpected_weights(tmp_path: Path) -> None:
    """Extraction verifies before publishing: a checksum mismatch leaves no folder and no staging."""
    with pytest.raises(ModelError, match=f"does not match expected {'1' * 64}$"):
        extract_model(tmp_path / "model", "1" * 64)
    assert list(tmp_path.iterdir()) == []


def test_encoder_returns_unit_float32_vectors(encoder: Encoder) -> None:
    """Vectors are (n, 384) float32 of norm 1; similar texts score above unrelated ones; empty input is (0, 384)."""
    vectors = encoder.encode(["SQL databases", "relational database queries", "baking sourdough bread"])
    assert (vectors.dtype, vectors.shape) == (np.dtype(np.float32), (3, 384))
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]
    assert encoder.encode([]).shape == (0, 384)


def test_cli_model_ok() -> None:
    """`badgepath model` on the real model prints its path and sha256, and that its ONNX graph is current; exit 0."""
    done = cli_model(MODEL_DIR)
    ok = f"model ok: {MODEL_DIR} sha256 {DEFAULT_MODEL_SHA256}\nonnx graph ok: {MODEL_DIR / 'onnx'}\n"
    assert (done.returncode, done.stdout, done.stderr) == (0, ok, "")


def test_cli_model_without_an_onnx_graph_still_serves_light(tmp_path: Path) -> None:
    """An ONNX export that fails (here: `onnx` is a file, not a folder) warns and exits 0 for the default encoder
    setting (auto: the light encoder serves), and exits 1 when the service is configured for the ONNX encoder."""
    folder = linked_model(tmp_path / "model", leave_out="onnx")
    (folder / "onnx").write_text("not a folder")
    done = cli_model(folder)
    assert (done.returncode, done.stdout) == (0, f"model ok: {folder} sha256 {DEFAULT_MODEL_SHA256}\n")
    assert done.stderr.startswith("badgepath: onnx graph not exported (") and "the light encoder serves" in done.stderr
    done = cli_model(folder, BADGEPATH_ENCODER="onnx")
    assert done.returncode == 1 and done.stderr.startswith("badgepath: onnx graph not exported: ")


def test_cli_model_refuses_damaged_copy(damaged_model: tuple[Path, str]) -> None:
    """`badgepath model` on a damaged copy exits 1 with the one-line reason on stderr."""
    folder, actual = damaged_model
    done = cli_model(folder)
    reason = f"{folder / WEIGHTS}: sha256 {actual} does not match expected {DEFAULT_MODEL_SHA256}"
    assert (done.returncode, done.stdout, done.stderr) == (1, "", f"badgepath: {reason}\n")
