"""An ONNX Runtime encoder for the same model: the BERT graph exported once from the verified weights, then masked
mean pooling and L2 normalisation in numpy, as sentence-transformers does. Opt-in: BADGEPATH_ENCODER=onnx.

Issue #6 names ONNX Runtime as an optional faster encoder, usable only if it gives the same embeddings. `badgepath
model` exports `onnx/model.onnx` into the model folder with torch (which the build already needs), its weights in
`model.onnx.data` beside it (ONNX Runtime maps them rather than copying them), without the word-embedding table:
the graph takes the embedding rows, which are read from the memory-mapped safetensors table as the light encoder
reads them. The export is checked against the light encoder on CHECK_TEXTS (cosine >= MIN_COSINE; 1,000 texts
against sentence-transformers in tests/test_onnx_encoder.py) and published with a manifest naming the weights'
sha256. A worker loads it only when the manifest names the weights it verified; otherwise (no export, no
onnxruntime, other weights) the light encoder serves, with a warning. Texts are batched longest first at about equal
padded length (no packing: the graph takes a plain attention mask).

Measured (one thread, medians): a title encodes in 2.2 ms (light: 4.6 ms), bench/run.py's 200-word description in
27 ms (light: 53 ms), 33 posting phrases in 73 ms (light, packed: 117 ms). Through gunicorn (docs/PERFORMANCE.md,
session 14) it costs about 40 MB more RSS per worker than the light encoder, and 50–60 MB more after a posting
load (616–630 MB, above the 600 MB target), which is why it is not the default.
"""

from __future__ import annotations

import json
import os
import tempfile
import warnings
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .config import readable
from .minilm import WORDS, Array, UnsupportedModel, batches, check_layout, folder_tokenizer, header, limit_blas, mapped

FOLDER, GRAPH, WEIGHTS, MANIFEST = "onnx", "model.onnx", "model.onnx.data", "badgepath.json"
OPSET = 17
MIN_COSINE = 0.9999
ARENA = True  # ORT reuses its activation buffers: faster, and less RSS after a posting load than malloc
PADDING_WASTE = 0.25  # a row may join a batch while padding stays within a quarter of its real tokens
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
    """The weights' sha256 the folder's exported graph was made from, if there is one."""
    manifest = model_dir / FOLDER / MANIFEST
    if not manifest.is_file() or not graph_path(model_dir).is_file() or not (model_dir / FOLDER / WEIGHTS).is_file():
        return None
    try:
        return str(json.loads(manifest.read_text())["weights_sha256"])
    except (ValueError, KeyError, TypeError):
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
    bert = AutoModel.from_pretrained(str(model_dir), dtype=torch.float32).eval()

    class Hidden(torch.nn.Module):
        """The last hidden state alone (pooling stays in numpy)."""

        def __init__(self, inner: Any):
            super().__init__()
            self.inner = inner

        def forward(self, words: Any, attention_mask: Any) -> Any:
            """Token vectors of a padded batch, from its word-embedding rows."""
            return self.inner(inputs_embeds=words, attention_mask=attention_mask,
                              token_type_ids=torch.zeros_like(attention_mask)).last_hidden_state

    staging = Path(tempfile.mkdtemp(prefix=".export-", dir=target))
    try:
        mask = torch.ones(2, 8, dtype=torch.int64)
        sample = (torch.zeros(2, 8, bert.config.hidden_size), mask)
        traced = staging / "traced.onnx"
        axes = {"batch": 0, "tokens": 1}
        with warnings.catch_warnings():  # tracer warnings on shape checks; CHECK_TEXTS below test other shapes
            warnings.simplefilter("ignore")
            torch.onnx.export(  # the TorchScript exporter: one file, no onnxscript
                Hidden(bert), sample, str(traced), dynamo=False, opset_version=OPSET,
                input_names=["words", "attention_mask"], output_names=["hidden"],
                dynamic_axes={n: {v: k for k, v in axes.items()} for n in ("words", "attention_mask", "hidden")})
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
                                                    "min_cosine_to_light": worst}))
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
        """(n, d) float32 unit vectors, batched longest first with little padding."""
        out = np.zeros((len(texts), self.dimension), np.float32)
        if not texts:
            return out
        encoded = self.tokenizer.encode_batch([t.strip() for t in texts])
        lengths = np.array([len(e.ids) for e in encoded], dtype=np.int64)
        for rows, length in batches(lengths, batch_size, PADDING_WASTE):
            ids = np.zeros((len(rows), length), np.int64)
            mask = np.zeros((len(rows), length), np.int64)
            for r, t in enumerate(rows.tolist()):
                ids[r, : lengths[t]] = encoded[t].ids
                mask[r, : lengths[t]] = 1
            words = np.ascontiguousarray(self.words[ids])
            out[rows] = pooled(self.session.run(None, {"words": words, "attention_mask": mask})[0], mask)
        return out


def pooled(hidden: NDArray[np.float32], mask: NDArray[np.int64]) -> Array:
    """Masked mean over tokens, L2-normalised (a text of no tokens keeps the zero vector)."""
    weights = mask[..., None].astype(np.float32)
    means = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1.0)
    norms = np.linalg.norm(means, axis=1, keepdims=True)
    unit: Array = (means / np.maximum(norms, 1e-12)).astype(np.float32)
    return unit
