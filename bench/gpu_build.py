"""GPU build benchmark: embed the default catalogue and a 1M-item synthetic catalogue, then index them.

A GPU machine lent to a session is bare: it has torch and sentence-transformers, but not the service's packages
(jsonschema, flask, faiss), and a call carries at most 64 MiB with the repository. The fp16 model (45 MB) and the
faiss wheel (19 MB) do not travel together, so the benchmark runs in three steps, the last two on one warm machine:

    .venv/bin/python bench/gpu_build.py prepare          # here: texts, index settings, fp16 model in .ft/
    python3 bench/gpu_build.py encode --vectors /tmp/gpu # there (carry .ft): encode, keep the vectors on the machine
    python3 bench/gpu_build.py index --vectors /tmp/gpu --out $OUT   # there again (carry .whl with faiss-cpu)

`prepare` writes every unique row text the build embeds for the committed catalogue (skills, roles, credentials and
their tags), the skill labels and role titles the synthetic items are made of, the index settings of
service/index.py, and an fp16 copy of the model folder. `encode` encodes on the GPU in fp16; `index` builds the same
index as the service (HNSW over fp16 codes above ANN_MIN_ROWS rows) with faiss on every CPU core. `run` does both
in one call where faiss is already there. The CPU build (bench/build.py) is what `make build` does; this shows how
far a GPU takes the same steps. Copy the script out of bench/ before running it there (no service imports needed).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import shutil
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


def half_model(model_dir: Path, out: Path) -> None:
    """Copy the model folder with its weights in fp16 (45 MB, small enough to travel)."""
    import numpy as np
    from safetensors.numpy import load_file, save_file

    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(model_dir, out, ignore=shutil.ignore_patterns("model.safetensors", "*.onnx", "onnx"))
    weights = load_file(str(model_dir / "model.safetensors"))
    save_file({k: v.astype(np.float16) if v.dtype == np.float32 else v for k, v in weights.items()},
              str(out / "model.safetensors"))
    print(f"{out}: fp16 copy of {model_dir}")


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

    sync = torch.cuda.synchronize if torch.cuda.is_available() else (lambda: None)
    sync()
    started = time.perf_counter()
    vectors = model.encode(texts, batch_size=batch, normalize_embeddings=True, convert_to_numpy=True)
    sync()
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


def encode_step(args: argparse.Namespace) -> tuple[dict[str, Any], dict[str, Any]]:
    """Encode the default and the synthetic catalogue on the GPU: the report and each catalogue's vectors (also kept
    in args.vectors when given)."""
    import numpy as np
    import sentence_transformers
    import torch
    from sentence_transformers import SentenceTransformer

    with gzip.open(args.texts, "rt", encoding="utf-8") as handle:
        body = json.load(handle)
    cuda = torch.device(args.device).type == "cuda"
    model = SentenceTransformer(str(args.model), device=args.device)
    model = model.half() if cuda else model.float()
    gpu = torch.cuda.get_device_name(torch.device(args.device)) if cuda else "none (dry run)"
    report: dict[str, Any] = {"gpu": gpu, "torch": torch.__version__,
                              "sentence_transformers": sentence_transformers.__version__, "batch": args.batch,
                              "cpu_cores": os.cpu_count(), "index_settings": body["index"]}
    encode(model, ["warm up"] * args.warmup, args.batch)
    catalogues = {"default_catalogue": body["texts"][: args.limit or None],
                  "synthetic": synthetic_texts(body["labels"], body["titles"], args.synthetic)}
    kept: dict[str, Any] = {}
    for name, texts in catalogues.items():
        vectors, seconds = encode(model, texts, args.batch)
        report[name] = {"texts": len(texts), "encode_seconds": round(seconds, 2),
                        "texts_per_second": round(len(texts) / seconds)}
        print(json.dumps({name: report[name]}), flush=True)
        kept[name] = vectors
        if args.vectors:
            Path(args.vectors).mkdir(parents=True, exist_ok=True)
            np.save(Path(args.vectors, f"{name}.npy"), vectors.astype(np.float16))
    if args.vectors:
        Path(args.vectors, "encode.json").write_text(json.dumps(report, indent=2))
    return report, kept


def index_step(report: dict[str, Any], vectors: dict[str, Any]) -> dict[str, Any]:
    """Time the service's index over each catalogue's vectors and add the figures to the report."""
    for name, matrix in vectors.items():
        report[name].update(index_seconds(matrix, report["index_settings"]))
        print(json.dumps({name: report[name]}), flush=True)
    return report


def save(report: dict[str, Any], out: str) -> None:
    """Print the report and write it to out/gpu_build.json when out is given."""
    print(json.dumps(report, indent=2), flush=True)
    if out:
        Path(out, "gpu_build.json").write_text(json.dumps(report, indent=2))


def run(args: argparse.Namespace) -> None:
    """Encode and index in one call (needs torch, sentence-transformers, CUDA and faiss)."""
    report, vectors = encode_step(args)
    save(index_step(report, vectors), args.out)


def index_only(args: argparse.Namespace) -> None:
    """Index the vectors an earlier encode step kept (needs faiss)."""
    import numpy as np

    report = json.loads(Path(args.vectors, "encode.json").read_text())
    vectors = {name: np.load(Path(args.vectors, f"{name}.npy")).astype(np.float32)
               for name in ("default_catalogue", "synthetic")}
    save(index_step(report, vectors), args.out)


def main() -> None:
    """prepare (here), then encode and index, or run (on a CUDA machine); see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    steps = parser.add_subparsers(dest="step", required=True)
    p = steps.add_parser("prepare", help="write the texts, index settings and fp16 model (needs the service)")
    p.add_argument("--catalog", type=Path, default=ROOT / "catalog")
    p.add_argument("--out", type=Path, default=ROOT / ".ft" / "gpu.json.gz")
    p.add_argument("--model-dir", type=Path, default=ROOT / "models" / "all-MiniLM-L6-v2")
    p.add_argument("--model-out", type=Path, default=ROOT / ".ft" / "base")
    for name, text in (("run", "encode and index in one call"), ("encode", "encode and keep the vectors"),
                       ("index", "index the vectors an encode step kept")):
        r = steps.add_parser(name, help=text)
        r.add_argument("--model", type=Path, default=ROOT / ".ft" / "base")
        r.add_argument("--texts", type=Path, default=ROOT / ".ft" / "gpu.json.gz")
        r.add_argument("--synthetic", type=int, default=1_000_000)
        r.add_argument("--batch", type=int, default=1024)
        r.add_argument("--limit", type=int, default=0, help="encode only this many default texts (dry run)")
        r.add_argument("--warmup", type=int, default=2048, help="texts encoded once before the timed runs")
        r.add_argument("--vectors", default="")
        r.add_argument("--out", default="")
        r.add_argument("--device", default="cuda", help="cpu for a dry run of the steps")
    args = parser.parse_args()
    if args.step == "prepare":
        prepare(args.catalog, args.out)
        half_model(args.model_dir, args.model_out)
    elif args.step == "encode":
        save(encode_step(args)[0], args.out)
    elif args.step == "index":
        index_only(args)
    else:
        run(args)


if __name__ == "__main__":
    main()
