"""The light serving encoder gives the same vectors as sentence-transformers on 1,000 real texts."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from service.config import ROOT
from service.embed import Encoder
from service.minilm import LightEncoder, UnsupportedModel, batches, gelu, packs
from tests.conftest import MODEL_DIR

EDGE_CASES = ["", "   padded   ", "SQL", "C++", "ünïcödé façade", "数据分析", "word " * 400, "<b>x</b>\x00"]


def real_texts(artifact_dir: Path, count: int = 1000) -> list[str]:
    """Row texts of the small artifact (labels, alt labels, descriptions, credential texts) and edge cases."""
    texts = [json.loads(line) for name in ("skills", "roles", "credentials")
             for line in (artifact_dir / f"{name}.texts.jsonl").read_text().splitlines()]
    step = max(1, len(texts) // (count - len(EDGE_CASES)))
    return texts[::step][: count - len(EDGE_CASES)] + EDGE_CASES


def test_same_vectors_as_sentence_transformers(encoder: Encoder, artifact_dir: Path) -> None:
    """Cosine >= 0.9999 for every one of 1,000 texts, and the vectors are unit length."""
    texts = real_texts(artifact_dir)
    light = LightEncoder(MODEL_DIR).encode(texts)
    reference = encoder.encode(texts)
    assert len(texts) == 1000 and light.shape == reference.shape == (1000, 384)
    assert float((light * reference).sum(axis=1).min()) >= 0.9999
    assert np.allclose(np.linalg.norm(light, axis=1), 1.0, atol=1e-5)


def test_service_encoder_uses_the_light_backend(model_sha256: str) -> None:
    """The serving encoder picks the light backend for the packaged model."""
    assert Encoder(MODEL_DIR, model_sha256, backend="light").backend == "light"


def test_the_light_encoder_does_not_import_torch(model_sha256: str) -> None:
    """Building and using the light backend in a fresh interpreter leaves torch unimported (~215 MB of RSS)."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from service.embed import Encoder\n"
        f"encoder = Encoder(Path({str(MODEL_DIR)!r}), {model_sha256!r}, backend='light', threads=1)\n"
        "assert encoder.backend == 'light' and encoder.encode(['junior data analyst']).shape == (1, 384)\n"
        "print(sorted(m for m in ('torch', 'transformers', 'sentence_transformers') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_gelu_is_the_exact_erf_gelu() -> None:
    """The numpy GELU matches x * Phi(x) (math.erfc, float64) to float32 accuracy from -12 to 12."""
    x = np.linspace(-12, 12, 24_001, dtype=np.float32)
    exact = np.array([0.5 * v * math.erfc(-v / math.sqrt(2)) for v in x.tolist()])
    error = np.abs(gelu(x.copy()).astype(np.float64) - exact)
    assert float((error / (1e-7 + 2.0**-22 * np.abs(exact))).max()) <= 1.0


def test_other_layouts_are_refused(tmp_path: Path) -> None:
    """A folder whose pipeline is not BERT + mean pooling + normalise is refused (the service then uses ST)."""
    for name in ("config.json", "sentence_bert_config.json", "tokenizer.json"):
        (tmp_path / name).write_bytes((MODEL_DIR / name).read_bytes())
    (tmp_path / "1_Pooling").mkdir()
    (tmp_path / "1_Pooling" / "config.json").write_text(json.dumps({"pooling_mode_cls_token": True}))
    (tmp_path / "modules.json").write_text((MODEL_DIR / "modules.json").read_text())
    with pytest.raises(UnsupportedModel, match="not a BERT mean-pooling normalised model"):
        LightEncoder(tmp_path)


def test_batches_bound_padding_and_size() -> None:
    """Longest first; a row joins a batch while the padding stays within the waste share; at most size rows."""
    got = [(rows.tolist(), length) for rows, length in batches(np.array([6, 40, 13, 14, 5, 6]), 64, 0.5)]
    assert got == [([1, 3], 40), ([2, 0], 13), ([5, 4], 6)]  # 40+14: 26 padding on 54 real tokens (<= 50 %)
    assert [rows.tolist() for rows, _ in batches(np.array([3] * 5), 2, 0.5)] == [[0, 1], [2, 3], [4]]


def test_packs_fill_sequences_longest_first() -> None:
    """Longest first, each text joins the last sequence while it fits; a text longer than the cap stays alone."""
    assert packs(np.array([5, 300, 120, 100, 40, 30]), 256) == [[1], [2, 3], [4, 5, 0]]
    assert packs(np.array([], dtype=np.int64), 256) == []


def test_a_packed_text_gets_the_vector_it_gets_alone() -> None:
    """Phrases encoded in one call (packed several to a sequence) equal each phrase encoded on its own."""
    phrases = ["Python", "strong SQL and Python", "experience with Spark or similar distributed processing",
               "good communication skills in English", "C++", "", "a degree in computer science"] * 6
    light = LightEncoder(MODEL_DIR)
    together = light.encode(phrases)
    alone = np.vstack([light.encode([p]) for p in phrases])
    assert float((together * alone).sum(axis=1).min()) >= 0.99999


def threaded_drift(encode: Callable[[list[str]], np.ndarray]) -> float:
    """Largest difference between 40 batches encoded one after another and the same batches from eight threads."""
    words = ["SQL", "Python and Spark", "manage a team of nurses", "forklift", "plan lessons", "C++", "",
             "build and maintain data pipelines in Python and SQL on a cloud data warehouse"]
    batches = [[f"{w} {i}" for w in words[i % 8 :] + words[: i % 8]] for i in range(40)]
    alone = [encode(b) for b in batches]
    with ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(encode, batches))
    return max(float(np.abs(a - t).max()) for a, t in zip(alone, together, strict=True))


def test_concurrent_calls_get_the_vectors_of_sequential_ones() -> None:
    """Eight threads encoding packed batches at once (as gunicorn's threads do) get the same vectors as one thread."""
    assert threaded_drift(LightEncoder(MODEL_DIR).encode) <= 1e-6
