"""The light numpy encoder against sentence-transformers: python bench/encoder.py [--artifact DIR] [-n N].

Cosine of the two encoders' vectors on 1,000 row texts of the artifact (labels, alt labels, descriptions,
credential texts, sampled evenly) and edge cases; then the median time of encoding one title and one 200-word
description (bench/run.py's) with one BLAS / torch thread. Prints the numbers; nothing is asserted
(tests/test_minilm.py asserts cosine >= 0.9999).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from bench.run import DESCRIPTION  # noqa: E402
from service.config import ROOT  # noqa: E402
from service.minilm import LightEncoder  # noqa: E402

MODEL_DIR = ROOT / "models" / "all-MiniLM-L6-v2"
EDGE_CASES = ["", "   padded   ", "SQL", "C++", "ünïcödé façade", "数据分析", "word " * 400, "<b>x</b>\x00"]
TITLE = "junior data analyst"


def texts_of(artifact: Path, count: int = 1000) -> list[str]:
    """count texts: the artifact's row texts sampled evenly, and the edge cases."""
    texts = [json.loads(line) for name in ("skills", "roles", "credentials")
             for line in (artifact / f"{name}.texts.jsonl").read_text().splitlines()]
    step = max(1, len(texts) // (count - len(EDGE_CASES)))
    return texts[::step][: count - len(EDGE_CASES)] + EDGE_CASES


def median_ms(fn: Callable[[], object], n: int) -> float:
    """Median milliseconds of n calls, after 5 warm-up calls."""
    for _ in range(5):
        fn()
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main() -> None:
    """Print the cosine check and the timings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--artifact", type=Path, default=ROOT / "models" / "artifact", help="built artifact")
    parser.add_argument("-n", type=int, default=100, help="timed calls per case")
    args = parser.parse_args()
    light = LightEncoder(MODEL_DIR, threads=1)  # BLAS limited to one thread, process-wide
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(1)
    reference = SentenceTransformer(str(MODEL_DIR), device="cpu")

    def st(texts: list[str]) -> np.ndarray:
        return np.asarray(reference.encode(texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True))

    texts = texts_of(args.artifact)
    cosine = (light.encode(texts) * st(texts)).sum(axis=1)
    print(f"cosine on {len(texts)} texts: min {cosine.min():.7f}, mean {cosine.mean():.7f}")
    print("| text | numpy ms | sentence-transformers ms |\n|---|---:|---:|")
    for name, text in (("title", TITLE), ("200-word description", DESCRIPTION)):
        ours = median_ms(lambda text=text: light.encode([text]), args.n)
        theirs = median_ms(lambda text=text: st([text]), args.n)
        print(f"| {name} | {ours:.2f} | {theirs:.2f} |")


if __name__ == "__main__":
    main()
