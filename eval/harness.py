"""Shared set-up: the artifact, a cached encoder, exact eval tables built from cached row vectors."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from service.build import EmbeddingCache
from service.config import ROOT, load_settings
from service.embed import Encoder, prepare_model
from service.engine.core import Engine
from service.index import Artifact, Exact, Hit, VectorTable, load_artifact

MODEL_DIR = ROOT / "models" / "all-MiniLM-L6-v2"
BUILD_CACHE = ROOT / "models" / "cache" / "embeddings.sqlite"
EVAL_CACHE = ROOT / "models" / "cache" / "eval-embeddings.sqlite"


class CachedEncoder:
    """The real model behind two caches: the build's (read) and the eval's own (read and write)."""

    def __init__(self, encoder: Encoder):
        self.encoder = encoder
        self.build = EmbeddingCache(BUILD_CACHE, encoder.sha256)
        self.own = EmbeddingCache(EVAL_CACHE, encoder.sha256)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors for texts, encoding only texts neither cache holds."""
        if not texts:
            return np.zeros((0, self.encoder.dimension), np.float32)
        unique = list(dict.fromkeys(texts))
        known = self.build._lookup(unique)
        rest = [t for t in unique if t not in known]
        if rest:
            known.update(zip(rest, self.own.embed(self.encoder, rest, progress=False), strict=True))
        return np.stack([known[t] for t in texts]).astype(np.float32)


@dataclass
class Setup:
    """The loaded artifact, encoder and exact copies of its vector tables."""

    artifact: Artifact
    encoder: CachedEncoder
    vectors: dict[str, np.ndarray]

    def engine(self, tables: dict[str, VectorTable] | None = None) -> Engine:
        """An engine over the artifact with some tables replaced."""
        return Engine(replace(self.artifact, tables={**self.exact, **(tables or {})}), self.encoder)

    @cached_property
    def exact(self) -> dict[str, VectorTable]:
        """Exact (flat) versions of the artifact's tables, so eval numbers do not depend on ANN recall."""
        return {name: without_rows(t, self.vectors[name], set()) for name, t in self.artifact.tables.items()}


def load_setup(artifact_dir: Path | None = None) -> Setup:
    """Load model, artifact and every table row's vector (from the build cache). The model and artifact are the
    service's (BADGEPATH_MODEL_DIR, BADGEPATH_MODEL_SHA256, BADGEPATH_ARTIFACT_DIR), so another model is
    evaluated the same way."""
    settings = load_settings()
    sha = prepare_model(settings.model_dir, settings.model_sha256, MODEL_DIR)
    artifact = in_memory(load_artifact(artifact_dir or settings.artifact_dir, sha))
    encoder = CachedEncoder(Encoder(settings.model_dir, sha))
    vectors = {name: encoder.encode_queries(t.texts) for name, t in artifact.tables.items()}
    return Setup(artifact, encoder, vectors)


def in_memory(artifact: Artifact) -> Artifact:
    """The artifact with records and row texts decoded once (the eval reads them many times)."""
    tables = {name: VectorTable(t.index, t.owner, t.kind, list(t.texts)) for name, t in artifact.tables.items()}
    return replace(artifact, skills=list(artifact.skills), roles=list(artifact.roles),
                   credentials=list(artifact.credentials), tables=tables)


def without_rows(table: VectorTable, vectors: np.ndarray, drop: Collection[int]) -> VectorTable:
    """An exact copy of a table without some rows (held-out texts)."""
    keep = np.array([i for i in range(table.rows) if i not in drop], np.int64)
    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(np.ascontiguousarray(vectors[keep]))
    copy = Memo(index, table.owner[keep], table.kind[keep], [table.texts[i] for i in keep])
    for kind in np.unique(copy.kind):  # exact per-kind indexes, as the service keeps for its large tables
        rows = np.flatnonzero(copy.kind == kind).astype(np.int64)
        copy.subsets[frozenset([int(kind)])] = (Exact(vectors[keep][rows]), rows)
    return copy


class Memo(VectorTable):
    """A table that remembers its answers: the eval asks the same phrases once per method."""

    def __init__(self, index: faiss.Index, owner: np.ndarray, kind: np.ndarray, texts: Sequence[str]):
        super().__init__(index, owner, kind, texts)
        self.memo: dict[tuple[bytes, int, tuple[int, ...] | None, int], list[Hit]] = {}

    def search(
        self, queries: np.ndarray, k: int, kinds: Sequence[int] | None = None, fanout: int = 8
    ) -> list[list[Hit]]:
        """Best k owners per query, searching only queries not seen with these arguments."""
        shape = tuple(kinds) if kinds is not None else None
        keys = [(np.asarray(q, np.float32).tobytes(), k, shape, fanout) for q in queries]
        missing = [i for i, key in enumerate(keys) if key not in self.memo]
        if missing:
            found = super().search(np.asarray(queries)[missing], k, kinds, fanout)
            self.memo.update((keys[i], hits) for i, hits in zip(missing, found, strict=True))
        return [self.memo[key] for key in keys]


class Hiding(Memo):
    """A table whose search skips the rows of hidden owners (leave-one-out without rebuilding)."""

    def __init__(self, table: VectorTable):
        super().__init__(table.index, table.owner, table.kind, table.texts)
        self.subsets = dict(table.subsets)
        self.hidden: set[int] = set()

    def search(
        self, queries: np.ndarray, k: int, kinds: Sequence[int] | None = None, fanout: int = 8
    ) -> list[list[Hit]]:
        """Best k owners per query, never a hidden one."""
        found = super().search(queries, k + len(self.hidden), kinds, fanout)
        return [[h for h in hits if h.owner not in self.hidden][:k] for hits in found]


@contextmanager
def patched(module: Any, **values: Any) -> Iterator[None]:
    """Temporarily set module attributes."""
    saved = {k: getattr(module, k) for k in values}
    for k, v in values.items():
        setattr(module, k, v)
    try:
        yield
    finally:
        for k, v in saved.items():
            setattr(module, k, v)
