"""GPU build benchmark: embed the default catalogue and a 1M-item synthetic catalogue, then index them.

A GPU machine lent to a session is bare: it has torch and sentence-transformers, but not the service's packages
(jsonschema, flask, maybe faiss), and a call carries at most 64 MiB. So the benchmark runs in two steps:

    .venv/bin/python bench/gpu_build.py prepare --out .ft/gpu.json.gz   # here: the texts and the index settings
    python3 bench/gpu_build.py run --model DIR --texts .ft/gpu.json.gz --out OUT   # on the CUDA machine

`prepare` writes every unique row text the build embeds for the committed catalogue (skills, roles, credentials and
their tags), the skill labels and role titles the synthetic items are made of, and the index settings of
service/index.py. `run` encodes on the GPU in fp16 and builds the same index as the service (HNSW over fp16 codes
above ANN_MIN_ROWS rows) with faiss on every CPU core, when faiss is there. The CPU build (bench/build.py) is what
`make build` does; this shows how far a GPU takes the same steps.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def prepare(catalog_dir: Path, out: Path) -> None:
    """Write the texts the build embeds, the synthetic items' parts and the index settings (needs the service)."""
    from service import index
    from service.build import credential_rows, role_rows, skill_rows
    from service.catalog import load_catalog

    cat = load_catalog(catalog_dir)
    rows = [*skill_rows(cat.skills).texts, *role_rows(cat.roles).texts, *credential_rows(cat.credentials).texts]
    rows += [t for c in cat.credentials for t in c.get("skill_tags", [])]
    body = {"texts": list(dict.fromkeys(rows)), "labels": [s["label"] for s in cat.skills],
            "titles": [r["title"] for r in cat.roles],
            "index": {"ann_min_rows": index.ANN_MIN_ROWS, "hnsw_m": index.HNSW_M,
                      "ef_construction": index.HNSW_EF_CONSTRUCTION}}
    out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(out, "wt", encoding="utf-8") as handle:
        json.dump(body, handle)
    print(f"{out}: {len(body['texts']):,} texts, {out.stat().st_size / 1e6:.1f} MB")


def synthetic_texts(labels: list[str], titles: list[str], count: int, seed: int = 7) -> list[str]:
    """Credential-like texts built from real ESCO labels and role titles (fixed seed)."""
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


def index_seconds(vectors: Any, settings: dict[str, int]) -> dict[str, float]:
    """Seconds to build the service's index (service/index.py make_index, its settings as prepared) on every CPU
    core; -1 when faiss is not installed."""
    try:
        import faiss
    except ImportError:
        return {"index_seconds": -1.0}
    faiss.omp_set_num_threads(os.cpu_count() or 1)
    started = time.perf_counter()
    dim = vectors.shape[1]
    if len(vectors) < settings["ann_min_rows"]:
        index = faiss.IndexFlatIP(dim)
    else:
        index = faiss.IndexHNSWSQ(dim, faiss.ScalarQuantizer.QT_fp16, settings["hnsw_m"], faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = settings["ef_construction"]
        index.train(vectors)
    index.add(vectors)
    return {"index_seconds": round(time.perf_counter() - started, 2), "threads": float(os.cpu_count() or 1)}


def run(args: argparse.Namespace) -> None:
    """Time the steps and print (and save) one JSON report (needs torch, sentence-transformers and CUDA)."""
    import sentence_transformers
    import torch
    from sentence_transformers import SentenceTransformer

    with gzip.open(args.texts, "rt", encoding="utf-8") as handle:
        body = json.load(handle)
    model = SentenceTransformer(args.model, device="cuda").half()
    report: dict[str, Any] = {"gpu": torch.cuda.get_device_name(0), "torch": torch.__version__,
                              "sentence_transformers": sentence_transformers.__version__, "batch": args.batch,
                              "cpu_cores": os.cpu_count()}
    encode(model, ["warm up"] * 2048, args.batch)
    vectors, seconds = encode(model, body["texts"], args.batch)
    report["default_catalogue"] = {"texts": len(body["texts"]), "encode_seconds": round(seconds, 2),
                                   "texts_per_second": round(len(body["texts"]) / seconds),
                                   **index_seconds(vectors, body["index"])}
    print(json.dumps(report), flush=True)
    synthetic = synthetic_texts(body["labels"], body["titles"], args.synthetic)
    vectors, seconds = encode(model, synthetic, args.batch)
    report["synthetic"] = {"items": len(synthetic), "encode_seconds": round(seconds, 2),
                           "texts_per_second": round(len(synthetic) / seconds), **index_seconds(vectors, body["index"])}
    print(json.dumps(report, indent=2), flush=True)
    if args.out:
        Path(args.out, "gpu_build.json").write_text(json.dumps(report, indent=2))


def main() -> None:
    """prepare (here) or run (on a CUDA machine); see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    steps = parser.add_subparsers(dest="step", required=True)
    p = steps.add_parser("prepare", help="write the texts and index settings (needs the service's packages)")
    p.add_argument("--catalog", type=Path, default=ROOT / "catalog")
    p.add_argument("--out", type=Path, default=ROOT / ".ft" / "gpu.json.gz")
    r = steps.add_parser("run", help="encode and index on a CUDA machine")
    r.add_argument("--model", required=True)
    r.add_argument("--texts", type=Path, default=ROOT / ".ft" / "gpu.json.gz")
    r.add_argument("--synthetic", type=int, default=1_000_000)
    r.add_argument("--batch", type=int, default=1024)
    r.add_argument("--out", default="")
    args = parser.parse_args()
    if args.step == "prepare":
        prepare(args.catalog, args.out)
    else:
        run(args)


if __name__ == "__main__":
    main()
