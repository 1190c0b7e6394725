"""An ONNX Runtime encoder for the same model: the BERT graph exported once from the verified weights, then masked
mean pooling and L2 normalisation in numpy, as sentence-transformers does. The default (BADGEPATH_ENCODER=auto)
since session 15; without a graph for the verified weights the light encoder serves.

Issue #6 names ONNX Runtime as an optional faster encoder, usable only if it gives the same embeddings. `badgepath
model` exports `onnx/model.onnx` into the model folder with torch (which the build already needs), its weights in
`model.onnx.data` beside it, without the word-embedding table: the graph takes the embedding rows, which are read
from the memory-mapped safetensors table as the light encoder reads them. It also takes each token's position
within its text and an additive attention bias, so texts are packed several to a row exactly as the light encoder
packs them (minilm.packed_batches, minilm.attention_bias): a packed text gets the vector it gets alone. The export is
checked against the light encoder on CHECK_TEXTS (cosine >= MIN_COSINE; 1,000 texts against sentence-transformers
in tests/test_onnx_encoder.py) and published with a manifest naming the weights' sha256 and the graph's inputs. A
worker loads it only when the manifest names the weights it verified and those inputs.

Measured (one thread, medians): a title encodes in 2.0-2.2 ms (light: 4.6 ms), bench/run.py's 200-word description
in 25-27 ms (light: 53 ms), 33 posting phrases in 61 ms packed (73 ms with session 14's padded batches; light,
packed: 117-124 ms). RSS and throughput through gunicorn: docs/PERFORMANCE.md, sessions 14 and 15.
"""

from __future__ import annotations

import json
import os
import tempfile
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from .config import readable
from .minilm import (
    WORDS,
    Array,
    Packed,
    UnsupportedModel,
    attention_bias,
    check_layout,
    encode_packed,
    folder_tokenizer,
    header,
    limit_blas,
    mapped,
    segment_means,
)

FOLDER, GRAPH, WEIGHTS, MANIFEST = "onnx", "model.onnx", "model.onnx.data", "badgepath.json"
OPSET = 17
MIN_COSINE = 0.9999
ARENA = True  # ORT reuses its activation buffers: faster, and less RSS after a posting load than malloc
# Packed rows of at most PACK tokens (a longer text keeps a row of its own), RUN_TOKENS // PACK rows to a run: ONNX
# Runtime keeps the largest run's buffers (the (rows, 12, length, length) attention scores above all). Encoding the
# 220 labelled postings' lines in one process: packs of 256 grew RSS by 84 MB, of 128 by 62 MB, of 64 by 55 MB; 33
# posting phrases took 61, 61 and 68 ms. Through gunicorn (posting load, caches off), 4 rows a run against 8: RSS
# 594-596 against 601-602 MB per worker, the same postings per second.
PACK = 128
RUN_TOKENS = 512
INPUTS = ("words", "positions", "bias")  # packed rows, as the light encoder runs them (minilm.packed_batches)
CHECK_TEXTS = (
    "registered nurse", "Senior Data Engineer (Python, SQL, Airflow)", "", "HPLC method development",
    "Manage a team of twelve care workers across two sites and plan their rotas.",
    "熟练使用 SQL 和 Python", "forklift licence; CSCS card; own transport",
    " ".join(["We are looking for an experienced maintenance electrician to join our busy site team."] * 30),
)


def graph_path(model_dir: Path) -> Path:
    """Where the exported graph of a model folder lives."""
    return model_dir / FOLDER / GRAPH


def exported_for(model_dir: Path) -> str | None:
    """The weights' sha256 the folder's exported graph was made from, if there is one and it takes INPUTS (a graph
    of session 14's takes a plain attention mask: re-exported)."""
    manifest = model_dir / FOLDER / MANIFEST
    if not manifest.is_file() or not graph_path(model_dir).is_file() or not (model_dir / FOLDER / WEIGHTS).is_file():
        return None
    try:
        stated = json.loads(manifest.read_text())
        return str(stated["weights_sha256"]) if tuple(stated.get("inputs", ())) == INPUTS else None
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def export(model_dir: Path, weights_sha256: str) -> Path:
    """Export the folder's BERT to ONNX (torch), check it against the light encoder, publish graph and manifest."""
    import onnx
    import torch
    from transformers import AutoModel
    from transformers.utils.logging import disable_progress_bar

    from .minilm import LightEncoder

    check_layout(model_dir)
    target = model_dir / FOLDER
    target.mkdir(exist_ok=True)
    disable_progress_bar()  # type: ignore[no-untyped-call]  # output, not a progress bar on stderr
    # eager attention: the scores plus the bias, a plain softmax (the bias keeps packed texts apart)
    bert = AutoModel.from_pretrained(str(model_dir), dtype=torch.float32, attn_implementation="eager").eval()

    class Hidden(torch.nn.Module):
        """The last hidden state alone (pooling stays in numpy), for packed rows."""

        def __init__(self, inner: Any):
            super().__init__()
            self.inner = inner

        def forward(self, words: Any, positions: Any, bias: Any) -> Any:
            """Token vectors of a batch of packed rows, from its word-embedding rows, each token's position within
            its text, and the (batch, 1, key, query) attention bias of minilm.attention_bias."""
            embedded = self.inner.embeddings(inputs_embeds=words, position_ids=positions,
                                             token_type_ids=torch.zeros_like(positions))
            return self.inner.encoder(embedded, attention_mask=bias).last_hidden_state

    staging = Path(tempfile.mkdtemp(prefix=".export-", dir=target))
    try:
        sample = (torch.zeros(2, 8, bert.config.hidden_size), torch.zeros(2, 8, dtype=torch.int64),
                  torch.zeros(2, 1, 8, 8))
        traced = staging / "traced.onnx"
        tokens = {0: "batch", 1: "tokens"}
        with warnings.catch_warnings():  # tracer warnings on shape checks; CHECK_TEXTS below test other shapes
            warnings.simplefilter("ignore")
            torch.onnx.export(  # the TorchScript exporter: one file, no onnxscript
                Hidden(bert), sample, str(traced), dynamo=False, opset_version=OPSET,
                input_names=list(INPUTS), output_names=["hidden"],
                dynamic_axes={"words": tokens, "positions": tokens, "hidden": tokens,
                              "bias": {0: "batch", 2: "tokens", 3: "tokens"}})
        graph = onnx.load(str(traced))  # weights apart: ONNX Runtime maps them from the file instead of copying
        onnx.save_model(graph, str(staging / GRAPH), save_as_external_data=True, all_tensors_to_one_file=True,
                        location=WEIGHTS, size_threshold=1024)
        traced.unlink()
        readable(staging / WEIGHTS)  # onnx writes it 0600
        light = LightEncoder(model_dir).encode(list(CHECK_TEXTS))
        fresh = OnnxEncoder(model_dir, weights_sha256, graph=staging / GRAPH).encode(list(CHECK_TEXTS))
        worst = float((light * fresh).sum(axis=1).min())
        if worst < MIN_COSINE:
            raise UnsupportedModel(f"exported graph disagrees with the light encoder: cosine {worst:.6f}")
        (staging / MANIFEST).write_text(json.dumps({"weights_sha256": weights_sha256, "opset": OPSET,
                                                    "inputs": list(INPUTS), "min_cosine_to_light": worst}))
        (target / MANIFEST).unlink(missing_ok=True)  # no manifest while the two files change: a crash re-exports
        os.replace(staging / WEIGHTS, target / WEIGHTS)
        os.replace(staging / GRAPH, target / GRAPH)
        os.replace(staging / MANIFEST, target / MANIFEST)
    finally:
        for leftover in staging.iterdir():
            leftover.unlink()
        staging.rmdir()
    return target / GRAPH


class OnnxEncoder:
    """Tokenise with tokenizer.json, run the exported graph with ONNX Runtime, mean-pool and normalise."""

    def __init__(self, folder: Path, weights_sha256: str, threads: int = 0, graph: Path | None = None):
        try:
            import onnxruntime
        except ImportError as error:
            raise UnsupportedModel("onnxruntime is not installed") from error
        if graph is None:
            if exported_for(folder) != weights_sha256:
                raise UnsupportedModel(f"{graph_path(folder)}: no graph exported from these weights")
            graph = graph_path(folder)
        config = check_layout(folder)
        limit_blas(threads)  # numpy's too (pooling here, the planner's products), as the light encoder does
        entries, start = header(folder / "model.safetensors")
        self.words = mapped(folder / "model.safetensors", WORDS, entries, start)  # rows read become resident
        self.tokenizer = folder_tokenizer(folder)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
        options.log_severity_level = 3
        options.enable_cpu_mem_arena = ARENA
        self.session = onnxruntime.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])
        self.dimension = int(config["hidden_size"])

    def encode(self, texts: list[str], batch_size: int = 64) -> Array:
        """(n, d) float32 unit vectors: texts packed and batched as the light encoder packs them."""
        return encode_packed(self.tokenizer, texts, self.dimension, min(batch_size, RUN_TOKENS // PACK), self.run,
                             PACK)

    def run(self, batch: Packed) -> Array:
        """(rows, texts in a row, d) unit vectors of one batch of packed rows."""
        count = int(batch.segments.max()) + 1
        bias = attention_bias(batch.segments, count)
        if bias is None:  # one text per row, no padding: nothing to mask
            bias = np.zeros((len(batch.rows), 1, batch.ids.shape[1], batch.ids.shape[1]), np.float32)
        inputs = {"words": np.ascontiguousarray(self.words[batch.ids]), "positions": batch.positions, "bias": bias}
        return segment_means(self.session.run(None, inputs)[0], batch.segments, count)
