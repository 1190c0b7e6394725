"""GPU build benchmark: embed the default catalogue and a 1M-item synthetic catalogue, then index them.

Run on a CUDA machine: python bench/gpu_build.py --model DIR [--synthetic 1000000] [--out DIR].
The CPU build (bench/build.py) is what `make build` does; this shows how far a GPU takes the same steps.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def catalogue_texts(cat: Any) -> list[str]:
    """Every unique row text the build embeds for a catalogue (skills, roles, credentials)."""
    from service.build import credential_rows, role_rows, skill_rows

    rows = [*skill_rows(cat.skills).texts, *role_rows(cat.roles).texts, *credential_rows(cat.credentials).texts]
    rows += [t for c in cat.credentials for t in c.get("skill_tags", [])]
    return list(dict.fromkeys(rows))


def synthetic_texts(cat: Any, count: int, seed: int = 7) -> list[str]:
    """Credential-like texts built from real ESCO labels and role titles (fixed seed)."""
    labels = [s["label"] for s in cat.skills]
    titles = [r["title"] for r in cat.roles]
    kinds = ["Course", "Certificate", "Badge", "Bootcamp", "Specialization"]
    rng = random.Random(seed)
    return [
        f"{rng.choice(kinds)} in {rng.choice(labels)} for {rng.choice(titles)} #{i}: covers "
        + ", ".join(rng.sample(labels, 4))
        for i in range(count)
    ]


def encode(model: Any, texts: list[str], batch: int) -> tuple[Any, float]:
    """Encode on the model's device, returning float32 unit vectors and seconds (synchronised)."""
    import torch

    torch.cuda.synchronize()
    started = time.perf_counter()
    vectors = model.encode(texts, batch_size=batch, normalize_embeddings=True, convert_to_numpy=True)
    torch.cuda.synchronize()
    return vectors.astype("float32"), time.perf_counter() - started


def index_seconds(vectors: Any) -> dict[str, float]:
    """Seconds to build the project's index (HNSW over fp16 codes above 20k rows) with every CPU core."""
    try:
        import faiss
    except ImportError:
        return {"faiss": -1.0}
    from service.index import make_index

    faiss.omp_set_num_threads(os.cpu_count() or 1)
    started = time.perf_counter()
    make_index(vectors)
    return {"index_seconds": round(time.perf_counter() - started, 2), "threads": float(os.cpu_count() or 1)}


def main() -> None:
    """Time the steps and print (and save) one JSON report."""
    import torch
    from sentence_transformers import SentenceTransformer

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", required=True)
    parser.add_argument("--catalog", default=str(ROOT / "catalog"))
    parser.add_argument("--synthetic", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=1024)
    parser.add_argument("--out", default="")
    args = parser.parse_args()
    model = SentenceTransformer(args.model, device="cuda").half()
    report: dict[str, Any] = {"gpu": torch.cuda.get_device_name(0), "torch": torch.__version__}
    encode(model, ["warm up"] * 2048, args.batch)
    from service.catalog import load_catalog

    catalog = load_catalog(Path(args.catalog))
    texts = catalogue_texts(catalog)
    vectors, seconds = encode(model, texts, args.batch)
    report["default_catalogue"] = {"texts": len(texts), "encode_seconds": round(seconds, 2),
                                   "texts_per_second": round(len(texts) / seconds)}
    report["default_catalogue"].update(index_seconds(vectors))
    print(json.dumps(report), flush=True)
    synthetic = synthetic_texts(catalog, args.synthetic)
    vectors, seconds = encode(model, synthetic, args.batch)
    report["synthetic"] = {"items": len(synthetic), "encode_seconds": round(seconds, 2),
                           "texts_per_second": round(len(synthetic) / seconds)}
    report["synthetic"].update(index_seconds(vectors))
    print(json.dumps(report, indent=2), flush=True)
    if args.out:
        Path(args.out, "gpu_build.json").write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
