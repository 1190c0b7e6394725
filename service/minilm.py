"""A dependency-light encoder for BERT mean-pooling sentence-transformers models (all-MiniLM-L6-v2).

It loads the same safetensors weights and tokenizer.json as sentence-transformers and computes the same
pipeline (Transformer -> mean pooling -> L2 normalise) with plain torch, so the service starts without
importing transformers, scikit-learn and scipy. tests/test_minilm.py and bench/encoder.py check it
against sentence-transformers (cosine >= 0.9999 on 1,000 texts); the build still uses sentence-transformers.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import torch
from safetensors.torch import load_file
from tokenizers import Tokenizer
from torch import nn
from torch.nn import functional

SUPPORTED = ("sentence_transformers.models.Transformer", "sentence_transformers.models.Pooling",
             "sentence_transformers.models.Normalize")


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


class Layer(nn.Module):
    """One BERT encoder layer (post-norm self-attention and feed-forward)."""

    def __init__(self, hidden: int, heads: int, inner: int, eps: float):
        super().__init__()
        self.heads = heads
        self.query, self.key, self.value = (nn.Linear(hidden, hidden) for _ in range(3))
        self.attention_out, self.attention_norm = nn.Linear(hidden, hidden), nn.LayerNorm(hidden, eps=eps)
        self.inner, self.outer = nn.Linear(hidden, inner), nn.Linear(inner, hidden)
        self.output_norm = nn.LayerNorm(hidden, eps=eps)

    def split(self, x: torch.Tensor) -> torch.Tensor:
        """(batch, length, hidden) -> (batch, heads, length, head size)."""
        b, n, h = x.shape
        return x.view(b, n, self.heads, h // self.heads).transpose(1, 2)

    def forward(self, x: torch.Tensor, keep: torch.Tensor) -> torch.Tensor:
        """Apply the layer; keep is a (batch, 1, 1, length) boolean mask of real tokens."""
        q, k, v = self.split(self.query(x)), self.split(self.key(x)), self.split(self.value(x))
        attended = functional.scaled_dot_product_attention(q, k, v, attn_mask=keep)
        x = self.attention_norm(x + self.attention_out(attended.transpose(1, 2).reshape(x.shape)))
        out: torch.Tensor = self.output_norm(x + self.outer(functional.gelu(self.inner(x))))
        return out


class MiniLM(nn.Module):
    """BERT encoder with embeddings, encoder layers, and masked mean pooling + L2 normalisation."""

    def __init__(self, config: dict[str, Any]):
        super().__init__()
        hidden, eps = int(config["hidden_size"]), float(config["layer_norm_eps"])
        self.words = nn.Embedding(int(config["vocab_size"]), hidden)
        self.positions = nn.Embedding(int(config["max_position_embeddings"]), hidden)
        self.types = nn.Embedding(int(config["type_vocab_size"]), hidden)
        self.norm = nn.LayerNorm(hidden, eps=eps)
        self.layers = nn.ModuleList(
            Layer(hidden, int(config["num_attention_heads"]), int(config["intermediate_size"]), eps)
            for _ in range(int(config["num_hidden_layers"]))
        )

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Unit sentence vectors for token ids and their attention mask."""
        positions = torch.arange(ids.shape[1], device=ids.device)
        x = self.norm(self.words(ids) + self.positions(positions)[None] + self.types(torch.zeros_like(ids)))
        keep = mask.bool()[:, None, None, :]
        for layer in self.layers:
            x = layer(x, keep)
        weights = mask.unsqueeze(-1).to(x.dtype)
        pooled = (x * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
        return functional.normalize(pooled, p=2, dim=1)


def rename(key: str) -> str | None:
    """Map a Hugging Face BertModel weight name to this module's name (None for unused weights)."""
    prefix = "encoder.layer."
    plain = {"embeddings.word_embeddings": "words", "embeddings.position_embeddings": "positions",
             "embeddings.token_type_embeddings": "types", "embeddings.LayerNorm": "norm"}
    layer = {"attention.self.query": "query", "attention.self.key": "key", "attention.self.value": "value",
             "attention.output.dense": "attention_out", "attention.output.LayerNorm": "attention_norm",
             "intermediate.dense": "inner", "output.dense": "outer", "output.LayerNorm": "output_norm"}
    stem, _, leaf = key.rpartition(".")
    if stem in plain:
        return f"{plain[stem]}.{leaf}"
    if stem.startswith(prefix):
        number, _, rest = stem[len(prefix):].partition(".")
        return f"layers.{number}.{layer[rest]}.{leaf}" if rest in layer else None
    return None


WORDS = "embeddings.word_embeddings.weight"


def mapped(path: Path, name: str) -> torch.Tensor:
    """A float32 tensor of the safetensors file, memory-mapped copy-on-write: only rows read become resident
    (the 30,522 x 384 word embedding table is half the model, and a worker reads a small part of it)."""
    with path.open("rb") as handle:
        size = int.from_bytes(handle.read(8), "little")
        header = json.loads(handle.read(size))
    entry = header[name]
    if entry["dtype"] != "F32":
        raise UnsupportedModel(f"{path}: {name} is {entry['dtype']}, expected F32")
    start = 8 + size + int(entry["data_offsets"][0])
    array = np.memmap(path, dtype=np.float32, mode="c", offset=start, shape=tuple(entry["shape"]))
    return torch.from_numpy(array)


class LightEncoder:
    """Tokenise with tokenizer.json and encode with MiniLM: same vectors as sentence-transformers."""

    def __init__(self, folder: Path, threads: int = 0):
        config = check_layout(folder)
        if threads:
            torch.set_num_threads(threads)
        self.max_length = int(json.loads((folder / "sentence_bert_config.json").read_text())["max_seq_length"])
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(self.max_length)
        self.tokenizer.enable_padding(pad_id=int(config.get("pad_token_id", 0)))
        self.model = MiniLM(config)
        renamed = {rename(k): v for k, v in load_file(folder / "model.safetensors").items()}
        weights = {k: v for k, v in renamed.items() if k is not None and k != "words.weight"}
        missing = self.model.load_state_dict(weights, strict=False).missing_keys
        if missing != ["words.weight"]:
            raise UnsupportedModel(f"{folder}: weights missing for {missing}")
        self.model.words.weight = nn.Parameter(mapped(folder / "model.safetensors", WORDS), requires_grad=False)
        self.model.eval()
        self.dimension = int(config["hidden_size"])

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """(n, d) float32 unit vectors, batched by length like sentence-transformers."""
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        out = np.zeros((len(texts), self.dimension), np.float32)
        with torch.inference_mode():
            for start in range(0, len(order), batch_size):
                chunk = order[start : start + batch_size]
                batch = self.tokenizer.encode_batch([texts[i].strip() for i in chunk])
                ids = torch.tensor([b.ids for b in batch], dtype=torch.long)
                mask = torch.tensor([b.attention_mask for b in batch], dtype=torch.long)
                out[chunk] = self.model(ids, mask).numpy()
        return out
