"""A dependency-light encoder for BERT mean-pooling sentence-transformers models (all-MiniLM-L6-v2).

It reads the same safetensors weights and tokenizer.json as sentence-transformers and computes the same
pipeline (BERT encoder -> masked mean pooling -> L2 normalise) with numpy alone: torch, transformers,
scikit-learn and scipy are not imported, so a serving worker does not map torch's shared libraries (a fresh
process after create_app() and one recommendation: 387 MB RSS, was 584 MB with the torch version).

The weights are read through the safetensors header: the 30,522 x 384 word embedding table stays memory-mapped
(only the rows read become resident); each layer's weights are copied once into contiguous float32 matrices, pre-
transposed so each projection is x @ W + b, with query, key and value fused into one (384, 1152) matrix (the
attention scale folded into the query's part). Short texts are packed several to a sequence, each with its own
positions; attention masks other texts' tokens and padding with a large negative score before a max-subtracted
softmax, so a packed text gets the vector it gets alone (44 posting phrases: 108 -> 90 ms). LayerNorm takes eps
from config.json. GELU is the exact erf GELU: erfc by the Numerical Recipes Chebyshev fit (fractional error <
1.2e-7), evaluated in float32 within 1e-7 + 2^-22 |GELU(x)| of math.erfc's on [-12, 12] (tests/test_minilm.py).
threads > 0 limits the BLAS threads with threadpoolctl, once, process-wide.

Checked: tests/test_minilm.py and bench/encoder.py compare it with sentence-transformers on 1,000 texts (row
texts of an artifact and edge cases: empty, 400 words, CJK): cosine >= 0.9999 asserted, min 0.9999998
measured; the torch version it replaces differs from it by at most 2.5e-7 per component on the same texts.
One BLAS thread, 2 shared cores, medians: a title encodes in 5.5-6.3 ms (torch version 4.8-6.0 ms), bench/run.py's
200-word description in 55-58 ms (torch version 42-54 ms; MKL's sgemm is ~20% faster than OpenBLAS's here).
The build still uses sentence-transformers.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray
from threadpoolctl import threadpool_limits
from tokenizers import Tokenizer

SUPPORTED = ("sentence_transformers.models.Transformer", "sentence_transformers.models.Pooling",
             "sentence_transformers.models.Normalize")
WORDS = "embeddings.word_embeddings.weight"
MASKED = np.float32(-1e9)  # added to the attention scores of padding; exp(MASKED - max) is exactly 0

Array = NDArray[np.float32]


class UnsupportedModel(ValueError):
    """The model folder is not a BERT mean-pooling, normalised sentence-transformers model."""


def check_layout(folder: Path) -> dict[str, Any]:
    """Read and check the folder's configuration; return the BERT config."""
    modules = [m["type"] for m in json.loads((folder / "modules.json").read_text())]
    config: dict[str, Any] = json.loads((folder / "config.json").read_text())
    pooling = json.loads((folder / "1_Pooling" / "config.json").read_text()) if len(modules) > 1 else {}
    if tuple(modules) != SUPPORTED or config.get("model_type") != "bert" or not pooling.get("pooling_mode_mean_tokens"):
        raise UnsupportedModel(f"{folder}: not a BERT mean-pooling normalised model ({modules})")
    if config.get("hidden_act") != "gelu" or config.get("position_embedding_type", "absolute") != "absolute":
        raise UnsupportedModel(f"{folder}: unsupported activation or position embedding")
    return config


# Numerical Recipes erfc: erfc(z) = t * exp(-z^2 + P(t)), t = 1 / (1 + z / 2), z >= 0, fractional error < 1.2e-7.
ERFC = (-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806,
        0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277)
HORNER = tuple(np.float32(c) for c in ERFC[-2:0:-1])  # P's coefficients but the constant one, highest first
ROOT_HALF = np.float32(math.sqrt(0.5))
# GELU's erfc term is |x| / 2 * erfc(z) = z * t * exp(-z^2 + P(t) - c0) * exp(c0) / sqrt 2 with z = |x| / sqrt 2
GELU_TAIL = np.float32(math.exp(ERFC[0]) / math.sqrt(2.0))
CHUNK = 32768  # elements per pass of gelu: its three scratch arrays stay in the L2 cache


def gelu(x: Array) -> Array:
    """Exact (erf) GELU x * Phi(x), in place on x (returned), float32-accurate.

    x * Phi(x) = max(x, 0) - |x| / 2 * erfc(|x| / sqrt 2) for either sign of x, so erfc is only needed at z >= 0
    (no branch), and neither term cancels the other (the second is at most half the first for x > 0). It runs
    in chunks, so the ~30 element-wise passes read and write cache-resident scratch arrays, not fresh memory."""
    x = np.ascontiguousarray(x)
    flat = x.reshape(-1)  # a view
    size = max(1, min(CHUNK, flat.size))
    scratch = np.empty((3, size), np.float32)
    for start in range(0, flat.size, size):
        part = flat[start : start + size]
        z, t, p = scratch[:, : part.size]
        np.abs(part, out=z)
        z *= ROOT_HALF  # z = |x| / sqrt 2
        np.multiply(z, np.float32(0.5), out=t)
        t += np.float32(1.0)
        np.reciprocal(t, out=t)  # t = 1 / (1 + z / 2)
        np.multiply(t, np.float32(ERFC[-1]), out=p)
        for c in HORNER:
            p += c
            p *= t  # p = P(t) - c0
        t *= z
        z *= z
        p -= z
        np.exp(p, out=p)
        p *= t
        p *= GELU_TAIL  # p = |x| / 2 * erfc(z)
        np.maximum(part, np.float32(0.0), out=part)
        part -= p
    return x


def layer_norm(x: Array, weight: Array, bias: Array, eps: float) -> Array:
    """LayerNorm over the last axis of (rows, hidden) x, in place on x (returned). The means are matrix-vector
    products: BLAS sums a row faster than numpy's reduction."""
    average = np.full(x.shape[-1], 1.0 / x.shape[-1], np.float32)
    x -= (x @ average)[:, None]
    scale = np.square(x) @ average
    scale += np.float32(eps)
    np.sqrt(scale, out=scale)
    x /= scale[:, None]
    x *= weight
    x += bias
    return x


SMALL_GEMM = 100**3  # OpenBLAS's small-matrix kernels (no packing) take products with m * n * k up to this
FEW_ROWS = 20  # up to this many rows, products in blocks that small are faster (measured); above, one product


def project(x: Array, weight: Array, bias: Array) -> Array:
    """x @ weight + bias for (rows, in) x and (in, out) weight. A few rows (a short text) are multiplied by
    column blocks of the weight (views, no copies) small enough for OpenBLAS's small-matrix kernels: packing
    the whole weight for every product costs more than the product (a title's encode takes ~1.6x as long)."""
    rows, inner = x.shape
    out = weight.shape[1]
    if rows > FEW_ROWS or rows * inner * out <= SMALL_GEMM:
        y = x @ weight
    else:
        y = np.empty((rows, out), np.float32)
        block = max(16, SMALL_GEMM // (rows * inner) // 16 * 16)
        for start in range(0, out, block):
            np.matmul(x, weight[:, start : start + block], out=y[:, start : start + block])
    y += bias
    return y


def header(path: Path) -> tuple[dict[str, Any], int]:
    """The safetensors header of a file and the offset its data starts at."""
    with path.open("rb") as handle:
        size = int.from_bytes(handle.read(8), "little")
        entries: dict[str, Any] = json.loads(handle.read(size))
    return entries, 8 + size


def mapped(path: Path, name: str, entries: dict[str, Any], start: int) -> Array:
    """A float32 array of the safetensors file (entries and start: its header), memory-mapped copy-on-write: only
    rows read become resident (the 30,522 x 384 word embedding table is half the model, and a worker reads a small
    part of it)."""
    if name not in entries:
        raise UnsupportedModel(f"{path}: no weight {name}")
    entry = entries[name]
    if entry["dtype"] != "F32":
        raise UnsupportedModel(f"{path}: {name} is {entry['dtype']}, expected F32")
    offset = start + int(entry["data_offsets"][0])
    return np.memmap(path, dtype=np.float32, mode="c", offset=offset, shape=tuple(entry["shape"]))


class Layer:
    """One BERT encoder layer (post-norm self-attention and feed-forward), weights as contiguous float32."""

    def __init__(self, weight: Callable[[str], Array], prefix: str, heads: int, eps: float):
        """weight(name) returns the (mapped) Hugging Face weight of that name; prefix names the layer's."""

        def linear(name: str) -> tuple[Array, Array]:  # (in, out) weight, so that the projection is x @ W + b
            return np.ascontiguousarray(weight(f"{prefix}{name}.weight").T), np.array(weight(f"{prefix}{name}.bias"))

        def norm(name: str) -> tuple[Array, Array]:
            return np.array(weight(f"{prefix}{name}.weight")), np.array(weight(f"{prefix}{name}.bias"))

        projections = [linear(f"attention.self.{name}") for name in ("query", "key", "value")]
        hidden = projections[0][0].shape[0]
        scale = np.float32(1.0 / math.sqrt(hidden // heads))  # attention's 1 / sqrt(head size), folded into query
        self.qkv = np.concatenate([projections[0][0] * scale] + [w for w, _ in projections[1:]], axis=1)
        self.qkv_bias = np.concatenate([projections[0][1] * scale] + [b for _, b in projections[1:]])
        self.out, self.out_bias = linear("attention.output.dense")
        self.attention_norm = norm("attention.output.LayerNorm")
        self.inner, self.inner_bias = linear("intermediate.dense")
        self.outer, self.outer_bias = linear("output.dense")
        self.output_norm = norm("output.LayerNorm")
        self.heads, self.eps = heads, eps

    def __call__(self, x: Array, bias: Array | None) -> Array:
        """Apply the layer to (batch, length, hidden); bias is (batch, 1, length, 1): 0 for tokens, MASKED for
        padding (None when there is no padding)."""
        b, n, hidden = x.shape
        size = hidden // self.heads
        flat = x.reshape(b * n, hidden)
        qkv = project(flat, self.qkv, self.qkv_bias)
        q, k, v = qkv.reshape(b, n, 3, self.heads, size).transpose(2, 0, 3, 1, 4)  # each (b, heads, n, size)
        # Scores transposed, (b, heads, key, query): the softmax's reductions over keys then run down columns,
        # which numpy vectorises across queries (twice as fast as a max along rows).
        scores = k @ q.transpose(0, 1, 3, 2)  # already scaled
        if bias is not None:
            scores += bias
        scores -= scores.max(axis=-2, keepdims=True)
        np.exp(scores, out=scores)
        total = np.ones((1, n), np.float32) @ scores  # softmax's denominators, applied after the values
        attended = scores.transpose(0, 1, 3, 2) @ v
        attended /= total.transpose(0, 1, 3, 2)
        merged = attended.transpose(0, 2, 1, 3).reshape(b * n, hidden)
        flat = layer_norm(project(merged, self.out, self.out_bias) + flat, *self.attention_norm, self.eps)
        outer = project(gelu(project(flat, self.inner, self.inner_bias)), self.outer, self.outer_bias)
        outer += flat
        return layer_norm(outer, *self.output_norm, self.eps).reshape(b, n, hidden)


class MiniLM:
    """BERT encoder with embeddings, encoder layers, and masked mean pooling + L2 normalisation, in numpy."""

    def __init__(self, path: Path, config: dict[str, Any]):
        entries, start = header(path)

        def weight(name: str) -> Array:
            return mapped(path, name, entries, start)

        eps, heads = float(config["layer_norm_eps"]), int(config["num_attention_heads"])
        self.words = weight(WORDS)  # stays memory-mapped
        self.positions = np.array(weight("embeddings.position_embeddings.weight"))
        self.type_zero = np.array(weight("embeddings.token_type_embeddings.weight")[0])
        self.norm = (np.array(weight("embeddings.LayerNorm.weight")), np.array(weight("embeddings.LayerNorm.bias")))
        self.eps = eps
        self.layers = [
            Layer(weight, f"encoder.layer.{i}.", heads, eps)
            for i in range(int(config["num_hidden_layers"]))
        ]
        hidden = int(config["hidden_size"])
        if self.words.shape[1] != hidden or self.layers[0].qkv.shape != (hidden, 3 * hidden):
            raise UnsupportedModel(f"{path}: weight shapes do not match hidden_size {hidden}")

    def __call__(self, ids: NDArray[np.int64], segments: NDArray[np.int64], positions: NDArray[np.int64]) -> Array:
        """Unit sentence vectors, (batch, most segments in a row, hidden), for (batch, length) token ids: each row
        holds one or more texts (segments 0, 1, ..., -1 for padding), each with its own positions from 0. A token
        attends only to the tokens of its own text, so a packed text gets the vector it would get alone."""
        b, n = ids.shape
        x = self.words[ids]  # a fresh (batch, length, hidden) array
        x += self.positions[positions]
        x += self.type_zero
        layer_norm(x.reshape(b * n, -1), *self.norm, self.eps)
        count = int(segments.max()) + 1
        bias = attention_bias(segments, count)
        for layer in self.layers:
            x = layer(x, bias)
        return segment_means(x, segments, count)


def segment_means(x: Array, segments: NDArray[np.int64], count: int) -> Array:
    """(batch, count, hidden) unit means of each text's token vectors in packed rows (segments as in MiniLM)."""
    member = (segments[:, None, :] == np.arange(count)[None, :, None]).astype(np.float32)  # (b, count, n)
    pooled: Array = member @ x  # masked sums over each text's tokens
    pooled /= np.maximum(member.sum(axis=2, keepdims=True), np.float32(1e-9))
    pooled /= np.maximum(np.linalg.norm(pooled, axis=2, keepdims=True), np.float32(1e-12))
    return pooled


def attention_bias(segments: NDArray[np.int64], count: int) -> Array | None:
    """(batch, 1, key, query) scores bias: 0 where key and query belong to the same text, MASKED elsewhere and
    for padding keys; None when every row is one text without padding."""
    if count == 1 and bool((segments == 0).all()):
        return None
    same = (segments[:, :, None] == segments[:, None, :]) & (segments[:, :, None] >= 0)
    return np.where(same, np.float32(0.0), MASKED)[:, None, :, :]


# Rows share a batch only when no padding is needed (session 8). Packing already fills sequences up to PACK_TOKENS, so
# batching two rows of unequal length buys nothing on the CPU and pays for the padding: 0.5 (sessions 2-7) batched a
# 252- and an 86-token pack as 2 x 252 (45 ms more for a posting's phrases); at 0 a posting's 46 phrases and items take
# 103 ms instead of 145, 200 titles 316 instead of 398, 20 role descriptions 269 instead of 311 (medians of 5).
PADDING_WASTE = 0.0
PACK_TOKENS = 256  # the model's max_seq_length; attention within a pack costs a little more than apart


def limit_blas(threads: int) -> None:
    """Limit numpy's (and faiss's) BLAS to threads, once and process-wide, not per encode (a threadpool_limits context
    costs ~0.17 ms per call); 0 leaves the library default. Spinning BLAS threads oversubscribe a worker's cores."""
    if threads:
        threadpool_limits(limits=threads, user_api="blas")


def folder_tokenizer(folder: Path) -> Tokenizer:
    """The model folder's tokenizer, truncating at its max_seq_length and padding nothing (tokenizer.json pads to
    128; the encoders pad or pack themselves)."""
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.enable_truncation(int(json.loads((folder / "sentence_bert_config.json").read_text())["max_seq_length"]))
    tokenizer.no_padding()
    return tokenizer


class LightEncoder:
    """Tokenise with tokenizer.json and encode with MiniLM: same vectors as sentence-transformers."""

    def __init__(self, folder: Path, threads: int = 0):
        config = check_layout(folder)
        limit_blas(threads)
        self.tokenizer = folder_tokenizer(folder)
        self.model = MiniLM(folder / "model.safetensors", config)
        self.dimension = int(config["hidden_size"])

    def encode(self, texts: list[str], batch_size: int = 64) -> Array:
        """(n, d) float32 unit vectors; texts are tokenised once, short ones packed into shared sequences (see
        packs) and the sequences batched by token count (see batches), so short phrases cost their own tokens and
        little padding."""
        return encode_packed(self.tokenizer, texts, self.dimension, batch_size,
                             lambda batch: self.model(batch.ids, batch.segments, batch.positions))


class Packed(NamedTuple):
    """One batch of packed sequences: the texts (by index) of each row, and (rows, length) token ids, segments (each
    text's number within its row, -1 for padding) and positions (from 0 within each text)."""

    rows: list[list[int]]
    ids: NDArray[np.int64]
    segments: NDArray[np.int64]
    positions: NDArray[np.int64]


def packed_batches(tokenizer: Tokenizer, texts: list[str], batch_size: int, cap: int = PACK_TOKENS) -> Iterator[Packed]:
    """Texts tokenised once, short ones packed into shared sequences of at most cap tokens (see packs), the
    sequences batched by token count (see batches)."""
    encoded = tokenizer.encode_batch([t.strip() for t in texts])
    lengths = np.array([len(e.ids) for e in encoded], dtype=np.int64)
    groups = packs(lengths, cap)
    sizes = np.array([int(lengths[g].sum()) for g in groups], dtype=np.int64)
    for chunk, length in batches(sizes, batch_size):
        rows = [groups[i] for i in chunk.tolist()]
        ids = np.zeros((len(rows), length), np.int64)
        segments = np.full((len(rows), length), -1, np.int64)
        positions = np.zeros((len(rows), length), np.int64)
        for r, members in enumerate(rows):
            at = 0
            for s, t in enumerate(members):
                size = int(lengths[t])
                ids[r, at : at + size] = encoded[t].ids  # unpadded: exactly size ids
                segments[r, at : at + size] = s
                positions[r, at : at + size] = np.arange(size)
                at += size
        yield Packed(rows, ids, segments, positions)


def encode_packed(
    tokenizer: Tokenizer, texts: list[str], dimension: int, batch_size: int, run: Callable[[Packed], Array],
    cap: int = PACK_TOKENS,
) -> Array:
    """(n, dimension) vectors of texts: packed and batched by packed_batches, each batch's (rows, texts in a row,
    dimension) unit vectors computed by run (the light or the ONNX Runtime encoder)."""
    out = np.zeros((len(texts), dimension), np.float32)
    if not texts:
        return out
    for batch in packed_batches(tokenizer, texts, batch_size, cap):
        vectors = run(batch)
        for r, members in enumerate(batch.rows):
            out[members] = vectors[r, : len(members)]
    return out


def packs(lengths: NDArray[np.int64], cap: int) -> list[list[int]]:
    """Texts (by index) packed into sequences of at most cap tokens, longest first, each text joining the last
    sequence while it fits (a text longer than cap stays alone): 44 posting phrases become 2 sequences."""
    out: list[list[int]] = []
    used = cap
    for t in np.argsort(-lengths, kind="stable").tolist():
        size = int(lengths[t])
        if used + size > cap:
            out.append([])
            used = 0
        out[-1].append(t)
        used += size
    return out


def batches(lengths: NDArray[np.int64], size: int, waste: float = PADDING_WASTE) -> list[tuple[NDArray[np.int64], int]]:
    """(rows, padded length) batches, longest first: at most size rows, and a row joins a batch only while the
    padding it adds stays within waste of the batch's real tokens."""
    order = np.argsort(-lengths, kind="stable")
    out: list[tuple[NDArray[np.int64], int]] = []
    start = 0
    while start < len(order):
        longest, end, real = int(lengths[order[start]]), start + 1, int(lengths[order[start]])
        while end < len(order) and end - start < size:
            real_next = real + int(lengths[order[end]])
            if longest * (end - start + 1) > (1 + waste) * real_next:
                break
            real, end = real_next, end + 1
        out.append((order[start:end], max(longest, 1)))
        start = end
    return out
