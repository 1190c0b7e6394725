"""The GPU build benchmark's steps, run end to end on the CPU with the real model (a dry run at small sizes)."""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
from pathlib import Path
from types import ModuleType

import numpy as np
from sentence_transformers import SentenceTransformer

from service.config import ROOT
from service.embed import Encoder

SCRIPT = ROOT / "bench" / "gpu_build.py"


def load_script() -> ModuleType:
    """Import bench/gpu_build.py as a module (bench/ is not a package)."""
    spec = importlib.util.spec_from_file_location("gpu_build", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_prepare_encode_index_chain(tmp_path: Path, small_catalog: Path, encoder: Encoder) -> None:
    """prepare writes texts, settings and an fp16 model; encode keeps vectors the index step then indexes."""
    gpu = load_script()
    texts_file, base = tmp_path / "gpu.json.gz", tmp_path / "base"
    gpu.prepare(small_catalog, texts_file)
    gpu.half_model(ROOT / "models" / "all-MiniLM-L6-v2", base)
    with gzip.open(texts_file, "rt", encoding="utf-8") as handle:
        body = json.load(handle)
    assert body["index"] == {"ann_min_rows": 20000, "hnsw_m": 32, "ef_construction": 200}
    assert len(body["texts"]) == len(set(body["texts"])) > 50

    half = SentenceTransformer(str(base), device="cpu").float()
    sample = body["texts"][:40]
    cosines = np.sum(half.encode(sample, normalize_embeddings=True) * encoder.encode(sample), axis=1)
    assert float(cosines.min()) >= 0.999

    args = argparse.Namespace(model=base, texts=texts_file, synthetic=25, batch=16, vectors=str(tmp_path / "vec"),
                              out="", device="cpu", limit=30, warmup=4)
    report, _ = gpu.encode_step(args)
    assert [report[name]["texts"] for name in ("default_catalogue", "synthetic")] == [30, 25]
    assert np.load(tmp_path / "vec" / "synthetic.npy").shape == (25, 384)

    gpu.index_only(argparse.Namespace(vectors=str(tmp_path / "vec"), out=str(tmp_path)))
    saved = json.loads((tmp_path / "gpu_build.json").read_text())
    assert saved["gpu"] == "none (dry run)"
    assert {saved[name]["index_seconds"] >= 0 for name in ("default_catalogue", "synthetic")} == {True}
    assert saved["index_settings"] == body["index"]
