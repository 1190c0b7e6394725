"""Vector tables (FAISS) and the read-only artifact the service searches."""

from __future__ import annotations

import functools
import json
import mmap
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, overload

import faiss
import numpy as np

from .embed import sha256_file

FORMAT_VERSION = 2
ANN_MIN_ROWS = 20_000
HNSW_M = 32
# The graph's build depth and the search depth. Session 24: with efConstruction 80 the service's role search missed
# 3.6 % of the exact top-10 rows of real titles and posting phrases (recall 0.964 at efSearch 128), and a posting whose
# title line met "scrum master" only by it went to *domestic cleaner*; the eval searches exactly, so its tables did not
# show it. efConstruction 200 (build time only) and 256 deep for the role table, which a request searches a few times
# (roles recall 0.994); the skill table, which a posting searches once per phrase, stays at 128 (docs/PERFORMANCE.md).
HNSW_EF_CONSTRUCTION = 200
HNSW_EF_SEARCH = 128
EF_SEARCH = {"roles": 256}  # per table, where it differs from HNSW_EF_SEARCH
SUBSET_MAX_SHARE = 0.25
TABLES = ("skills", "roles", "credentials")
LABEL, ALT, DESCRIPTION = 0, 1, 2  # row kinds: a record's name (preferred label, title), other names, description
EXACT = 0.99  # a score at or above it: the query is the row's text
# The row kinds the service searches on their own (skills and roles by description, engine.target.mixed_search); a
# large table keeps an exact sub-index for each. Preferred labels are only searched with alt labels, so session 2's
# sub-index per minority kind also held a float32 copy of every skill's and role's label vector that no request read:
# 26 MB per worker.
ALONE = (DESCRIPTION,)


class ArtifactError(RuntimeError):
    """The artifact is missing, damaged or does not match the model or catalogue."""


def make_index(vectors: np.ndarray) -> faiss.Index:
    """Exact inner-product index for small tables, HNSW over fp16 codes for large ones."""
    dim = vectors.shape[1]
    if len(vectors) < ANN_MIN_ROWS:
        index: faiss.Index = faiss.IndexFlatIP(dim)
    else:
        fp16: Any = faiss.ScalarQuantizer.QT_fp16
        index = faiss.IndexHNSWSQ(dim, fp16, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        index.train(vectors)
    index.add(vectors)
    return index


@dataclass(frozen=True)
class Hit:
    """One record found by a search: its position, best score, and the row (kind, text) that matched."""

    owner: int
    score: float
    row: int
    kind: int
    texts: Sequence[str] = field(default=(), repr=False, compare=False)

    @property
    def text(self) -> str:
        """The text of the matching row, decoded only when an answer shows it."""
        return self.texts[self.row]


class Exact:
    """Exact inner-product search over a small float32 matrix with one BLAS product and a partial sort: for a
    batch of posting phrases, about 4x faster than faiss's IndexFlatIP, whose top-k heaps dominate at k = 160."""

    def __init__(self, vectors: np.ndarray):
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.ntotal = len(self.vectors)

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores, rows) of the k best rows per query, best first (ties: lower row first), like faiss."""
        scores = queries @ self.vectors.T
        k = min(k, self.ntotal)
        if k < self.ntotal:
            part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        else:
            part = np.broadcast_to(np.arange(self.ntotal), scores.shape)
        top = np.take_along_axis(scores, part, axis=1)
        order = np.lexsort((part, -top), axis=1)
        return np.take_along_axis(top, order, axis=1), np.take_along_axis(part, order, axis=1).astype(np.int64)


class VectorTable:
    """Rows of text vectors, each owned by one catalogue record, searchable by max-score per owner."""

    def __init__(self, index: faiss.Index, owner: np.ndarray, kind: np.ndarray, texts: Sequence[str]):
        self.index = index
        self.owner = owner
        self.kind = kind
        self.texts = texts
        self.fingerprint = ""
        self.subsets: dict[frozenset[int], tuple[Exact, np.ndarray]] = {}
        self.kind_count = int(kind.max(initial=0)) + 1  # searches restricted to kinds look rows up in a mask this long
        self.owner_count = int(owner.max(initial=0)) + 1
        if isinstance(index, faiss.IndexHNSW):
            index.hnsw.efSearch = HNSW_EF_SEARCH
            for alone in ALONE:
                self._add_subset(frozenset([alone]))

    def _add_subset(self, kinds: frozenset[int]) -> None:
        """An exact index over the rows of a minority kind, so a search restricted to it needs no deep scan."""
        rows = np.flatnonzero(np.isin(self.kind, list(kinds))).astype(np.int64)
        if 0 < len(rows) <= SUBSET_MAX_SHARE * self.rows:
            self.subsets[kinds] = (Exact(self.index.reconstruct_batch(rows)), rows)

    @property
    def rows(self) -> int:
        """Number of vector rows."""
        return int(self.index.ntotal)

    def search(
        self, queries: np.ndarray, k: int, kinds: Sequence[int] | None = None, fanout: int = 8
    ) -> list[list[Hit]]:
        """Best k owners per query, scored by their best matching row."""
        queries = np.ascontiguousarray(queries, dtype=np.float32)
        subset = self.subsets.get(frozenset(kinds)) if kinds is not None else None
        if subset is not None:
            exact, ids = subset
            scores, local = exact.search(queries, max(k * fanout, 64))
            rows = ids[local]
        else:
            scores, rows = self.index.search(queries, min(self.rows, max(k * fanout, 64)))
        allowed = None
        if kinds is not None:  # a lookup by row kind: np.isin per query cost 2.4 ms of a posting's answer
            allowed = np.zeros(self.kind_count, bool)
            allowed[[k for k in kinds if 0 <= k < self.kind_count]] = True
        return self._collapse(scores, rows, k, allowed)

    def _collapse(self, scores: np.ndarray, rows: np.ndarray, k: int, allowed: np.ndarray | None) -> list[list[Hit]]:
        """Keep the best row per owner (of the rows whose kind is allowed, if given), ranked by score then owner for
        stable ties; owners that a text names exactly (ESCO gives "project management" as an alt label of project
        commissioning) rank the one it is the preferred label of first. All queries at once: per query, a posting's
        120 searches spent 9 ms in numpy's per-call overhead."""
        queries = len(rows)
        if not queries:
            return []
        keep = rows >= 0
        if allowed is not None:
            keep &= allowed[self.kind[np.maximum(rows, 0)]]
        query = np.broadcast_to(np.arange(queries)[:, None], rows.shape)[keep]
        rows, scores = rows[keep], scores[keep]  # row-major: each query's rows stay best first
        owners = self.owner[rows].astype(np.int64)
        _, first = np.unique(query * self.owner_count + owners, return_index=True)
        best = scores[first].astype(np.float64)
        rounded = np.where(best >= EXACT, 1.0, np.round(best, 6))  # exact names tie ...
        not_named = self.kind[rows[first]] != LABEL  # ... and the owner it is the preferred name of comes first
        ranked = first[np.lexsort((owners[first], not_named, -rounded, query[first]))]
        grouped = query[ranked]  # each query's owners, best first: the first k of each group
        top = ranked[np.arange(len(ranked)) - np.searchsorted(grouped, grouped) < k]
        picked = rows[top]  # whole columns to Python values at once: a posting's answer builds ~2,000 hits
        hits = [Hit(owner, round(score, 6), row, kind, self.texts) for owner, score, row, kind in zip(
            owners[top].tolist(), scores[top].tolist(), picked.tolist(), self.kind[picked].tolist(), strict=True)]
        ends = np.searchsorted(query[top], np.arange(1, queries + 1)).tolist()
        return [hits[start:end] for start, end in zip([0, *ends[:-1]], ends, strict=True)]

    def save(self, directory: Path, name: str) -> None:
        """Write the index, row owners, row kinds and row texts."""
        faiss.write_index(self.index, str(directory / f"{name}.faiss"))
        np.save(directory / f"{name}.owner.npy", self.owner.astype(np.int32))
        np.save(directory / f"{name}.kind.npy", self.kind.astype(np.int8))
        lines = "".join(json.dumps(t, ensure_ascii=False) + "\n" for t in self.texts)
        (directory / f"{name}.texts.jsonl").write_text(lines, encoding="utf-8")

    @classmethod
    def load(cls, directory: Path, name: str) -> VectorTable:
        """Read a table written by save()."""
        index = faiss.read_index(str(directory / f"{name}.faiss"), faiss.IO_FLAG_READ_ONLY)
        owner = np.load(directory / f"{name}.owner.npy")
        kind = np.load(directory / f"{name}.kind.npy")
        texts: Sequence[str] = Records(directory / f"{name}.texts.jsonl", cache_size=0)  # type: ignore[assignment]
        if not (index.ntotal == len(owner) == len(kind) == len(texts)):
            raise ArtifactError(f"{directory / name}.*: row counts disagree")
        table = cls(index, owner, kind, texts)
        if isinstance(index, faiss.IndexHNSW) and name in EF_SEARCH:
            index.hnsw.efSearch = EF_SEARCH[name]
        return table


class Records(Sequence[dict[str, Any]]):
    """Catalogue records read lazily from a memory-mapped JSON Lines file (recently used ones cached)."""

    def __init__(self, path: Path, cache_size: int = 4096):
        with path.open("rb") as handle:
            self._data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) if path.stat().st_size else b""
        ends = np.flatnonzero(np.frombuffer(self._data, dtype=np.uint8) == 10) + 1 if self._data else np.zeros(0)
        self._bounds = np.concatenate([[0], ends]).astype(np.int64)
        self._count = len(self._bounds) - 1
        self._parse = functools.lru_cache(maxsize=cache_size)(self._read)

    def release(self) -> None:
        """Drop the file pages read so far from this process's resident set (they are re-read on demand)."""
        if isinstance(self._data, mmap.mmap):
            self._data.madvise(mmap.MADV_DONTNEED)

    def _read(self, i: int) -> dict[str, Any]:
        """Decode record i."""
        record: dict[str, Any] = json.loads(self._data[int(self._bounds[i]) : int(self._bounds[i + 1])])
        return record

    def __len__(self) -> int:
        """Number of records."""
        return self._count

    @overload
    def __getitem__(self, i: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, i: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, i: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        """Record i (shared, do not mutate), or a list for a slice."""
        if type(i) is int and 0 <= i < self._count:  # the hot path: the engine reads thousands per answer
            return self._parse(i)
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if not -len(self) <= i < len(self):
            raise IndexError(i)
        return self._parse(i % len(self))

    def __iter__(self) -> Iterator[dict[str, Any]]:
        """Every record in order, decoded without filling the cache."""
        return (self._read(i) for i in range(len(self)))

    def lines_matching(self, pattern: re.Pattern[bytes]) -> list[int]:
        """Positions of the records whose raw JSON line pattern matches, in order (the pattern is searched over the
        mapped file in one pass: no record is decoded; an anchored pattern needs re.MULTILINE)."""
        starts = [m.start() for m in pattern.finditer(self._data)]
        return np.unique(np.searchsorted(self._bounds, starts, side="right") - 1).tolist() if starts else []


@dataclass
class Artifact:
    """Everything the service searches: records, vector tables, skill vectors and the manifest."""

    manifest: dict[str, Any]
    skills: Sequence[dict[str, Any]]
    roles: Sequence[dict[str, Any]]
    credentials: Sequence[dict[str, Any]]
    tables: dict[str, VectorTable]
    skill_vectors: np.ndarray
    neighbours: dict[str, np.ndarray]
    tools: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.skill_pos = {s["id"]: i for i, s in enumerate(self.skills)}
        self.role_pos = {r["id"]: i for i, r in enumerate(self.roles)}
        self.credential_pos = {c["id"]: i for i, c in enumerate(self.credentials)}


def artifact_files(directory: Path) -> list[Path]:
    """Every file of an artifact except its manifest."""
    return sorted(p for p in directory.iterdir() if p.is_file() and p.name != "manifest.json")


def read_manifest(directory: Path) -> dict[str, Any]:
    """Read manifest.json or explain why it cannot be read."""
    path = directory / "manifest.json"
    if not path.is_file():
        raise ArtifactError(f"{path}: missing (run `badgepath build`)")
    try:
        manifest: dict[str, Any] = json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ArtifactError(f"{path}: not valid JSON ({exc})") from exc
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ArtifactError(f"{path}: format_version {manifest.get('format_version')!r}, expected {FORMAT_VERSION}")
    return manifest


def verify_files(directory: Path, manifest: dict[str, Any]) -> None:
    """Check each artifact file exists and matches the sha256 the manifest recorded."""
    recorded: dict[str, str] = manifest.get("files", {})
    present = {p.name for p in artifact_files(directory)}
    for name in sorted(set(recorded) | present):
        if name not in recorded:
            raise ArtifactError(f"{directory / name}: not listed in manifest.json")
        if name not in present:
            raise ArtifactError(f"{directory / name}: missing")
        if sha256_file(directory / name) != recorded[name]:
            raise ArtifactError(f"{directory / name}: sha256 differs from manifest.json (altered or truncated)")


def check_manifest(
    manifest: dict[str, Any], model_sha256: str | None, catalog_sha256: dict[str, str] | None
) -> None:
    """Refuse an artifact built with another model or from another catalogue."""
    if model_sha256 is not None and manifest["model"]["sha256"] != model_sha256:
        raise ArtifactError(
            f"manifest.json: built with model sha256 {manifest['model']['sha256']}, "
            f"but the loaded model is {model_sha256}; rebuild with `badgepath build`"
        )
    if catalog_sha256 is not None and manifest["catalog"]["files"] != catalog_sha256:
        raise ArtifactError("manifest.json: built from a different catalogue; rebuild with `badgepath build`")


def load_artifact(
    directory: Path, model_sha256: str | None = None, catalog_sha256: dict[str, str] | None = None
) -> Artifact:
    """Open a built artifact read-only after verifying it against its manifest."""
    manifest = read_manifest(directory)
    verify_files(directory, manifest)
    check_manifest(manifest, model_sha256, catalog_sha256)
    try:
        records = {t: Records(directory / f"{t}.jsonl") for t in TABLES}
        tables = {t: VectorTable.load(directory, t) for t in TABLES}
        vectors = np.load(directory / "skill_vectors.npy", mmap_mode="r")
        with np.load(directory / "skill_neighbours.npz", allow_pickle=False) as stored:
            neighbours = {k: stored[k] for k in ("indptr", "indices", "values")}
        tools = json.loads((directory / "tools.json").read_text()) if (directory / "tools.json").is_file() else {}
    except (OSError, ValueError, RuntimeError, KeyError) as exc:
        raise ArtifactError(f"{directory}: unreadable artifact ({exc})") from exc
    return Artifact(manifest, records["skills"], records["roles"], records["credentials"], tables, vectors,
                    neighbours, tools)
