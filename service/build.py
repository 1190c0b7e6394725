"""Offline build: validate the catalogue, embed it, align credentials, write the artifact atomically."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from . import calibration
from .catalog import GENERIC_TITLES, KINDS, Catalog, Record, fingerprint, load_catalog, role_names
from .config import readable
from .embed import MODEL_NAME, Encoder, sha256_file
from .engine.target import LABEL_SHARE, MENTION_SKILL, mixed_search
from .engine.text import phrases
from .engine.tools import tool_lexicon
from .index import (
    ANN_MIN_ROWS,
    FORMAT_VERSION,
    HNSW_EF_CONSTRUCTION,
    HNSW_M,
    VectorTable,
    artifact_files,
    make_index,
)

LABEL, ALT, DESCRIPTION = 0, 1, 2
ALIGN_SCORING = f"mixed-{LABEL_SHARE}"  # part of the alignment memo's key: a new scoring must not reuse old answers
PACKAGES = ("badgepath", "sentence-transformers", "torch", "faiss-cpu", "numpy", "transformers")


class EmbeddingCache:
    """Vectors keyed by (model sha256, text) in SQLite, so an unchanged rebuild skips the model."""

    def __init__(self, path: Path, model_sha256: str):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(path)
        self.db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB)")
        self.db.execute("CREATE TABLE IF NOT EXISTS best (key TEXT PRIMARY KEY, owner INTEGER, score REAL)")
        self.model_sha256 = model_sha256
        self.hits = self.misses = 0

    def key(self, text: str, scope: str | None = None) -> str:
        """Cache key of one text under this model (or under another scope, e.g. an index fingerprint)."""
        return hashlib.sha256(f"{self.model_sha256 if scope is None else scope}\0{text}".encode()).hexdigest()

    def _select(self, table: str, columns: str, keys: dict[str, str]) -> Iterator[tuple[str, tuple[Any, ...]]]:
        """(text, other columns) of the rows of table whose key is among keys (key -> text), 900 keys a query."""
        items = list(keys)
        for start in range(0, len(items), 900):
            chunk = items[start : start + 900]
            query = f"SELECT key, {columns} FROM {table} WHERE key IN ({','.join('?' * len(chunk))})"
            for key, *values in self.db.execute(query, chunk):
                yield keys[key], tuple(values)

    def embed(self, encoder: Encoder, texts: Sequence[str], progress: bool) -> np.ndarray:
        """Vectors for texts, encoding only those the cache lacks."""
        unique = list(dict.fromkeys(texts))
        found = self._lookup(unique)
        missing = [t for t in unique if t not in found]
        self.hits, self.misses = self.hits + len(found), self.misses + len(missing)
        if missing:
            fresh = encoder.encode(missing, batch_size=128, progress=progress)
            found.update(zip(missing, fresh, strict=True))
            self._store(missing, fresh)
        dim = encoder.dimension
        return np.stack([found[t] for t in texts]) if texts else np.zeros((0, dim), np.float32)

    def embed_rows(self, encoder: Encoder, texts: list[str], progress: bool) -> np.ndarray:
        """Vectors of a whole row list, kept as one .npy snapshot so an unchanged table loads in one read."""
        digest = hashlib.sha256(self.model_sha256.encode())
        for text in texts:
            digest.update(text.encode() + b"\0")
        path = self.path.parent / f"rows-{digest.hexdigest()[:32]}.npy"
        if path.is_file():
            self.hits += len(set(texts))
            return np.asarray(np.load(path))
        vectors = self.embed(encoder, texts, progress)
        np.save(path.with_suffix(".tmp.npy"), vectors)
        os.replace(path.with_suffix(".tmp.npy"), path)
        return vectors

    def best_known(self, scope: str, texts: list[str]) -> dict[str, tuple[int, float]]:
        """Remembered best matches of texts within one index (scope = the index fingerprint)."""
        keys = {self.key(t, scope): t for t in texts}
        return {t: (int(owner), float(score)) for t, (owner, score) in self._select("best", "owner, score", keys)}

    def remember_best(self, scope: str, best: dict[str, tuple[int, float]]) -> None:
        """Store best matches of texts within one index."""
        rows = [(self.key(t, scope), o, s) for t, (o, s) in best.items()]
        self.db.executemany("INSERT OR REPLACE INTO best VALUES (?, ?, ?)", rows)
        self.db.commit()

    def _lookup(self, texts: list[str]) -> dict[str, np.ndarray]:
        """Cached vectors of the given texts."""
        keys = {self.key(t): t for t in texts}
        return {t: np.frombuffer(blob, dtype=np.float32) for t, (blob,) in self._select("vectors", "vector", keys)}

    def _store(self, texts: list[str], vectors: np.ndarray) -> None:
        """Remember freshly encoded vectors."""
        rows = [(self.key(t), v.astype(np.float32).tobytes()) for t, v in zip(texts, vectors, strict=True)]
        self.db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", rows)
        self.db.commit()


@dataclass
class Rows:
    """Texts to embed for one table, each with the record it belongs to and its kind."""

    texts: list[str]
    owner: list[int]
    kind: list[int]

    def add(self, owner: int, kind: int, text: str) -> None:
        """Append one row when its text is not empty."""
        if text.strip():
            self.texts.append(text.strip())
            self.owner.append(owner)
            self.kind.append(kind)


def skill_rows(skills: list[Record]) -> Rows:
    """Label, alt labels and 'label: description' rows for each skill."""
    rows = Rows([], [], [])
    for i, skill in enumerate(skills):
        rows.add(i, LABEL, skill["label"])
        for alt in dict.fromkeys(skill.get("alt_labels", [])):
            if alt != skill["label"]:
                rows.add(i, ALT, alt)
        if skill.get("description"):
            rows.add(i, DESCRIPTION, skill_text(skill))
    return rows


def skill_text(skill: Record) -> str:
    """A skill's name with its description, as its description row is embedded (the name alone without one)."""
    return f"{skill['label']}: {skill['description']}" if skill.get("description") else str(skill["label"])


# The rules that turn records into rows (role_rows, skill_rows, credential_rows): raised when they change, so that
# `badgepath build --if-missing` rebuilds an artifact of the same catalogue (2: GENERIC_TITLES, session 22; 3: titles
# withdrawn as traps left out, corrected titles indexed, HNSW graphs built deeper, session 24).
ROWS_VERSION = 3


def role_rows(roles: list[Record]) -> Rows:
    """Title, alt titles (not a bare job-family noun: GENERIC_TITLES), reported US titles and titles other job boards
    post (catalog/README.md), and 'title: description' rows for each role."""
    rows = Rows([], [], [])
    for i, role in enumerate(roles):
        rows.add(i, LABEL, role["title"])
        for alt in dict.fromkeys(role_names(role)[1:]):
            if alt != role["title"] and alt.strip().casefold() not in GENERIC_TITLES:
                rows.add(i, ALT, alt)
        rows.add(i, DESCRIPTION, f"{role['title']}: {role.get('description', '')}")
    return rows


def credential_rows(credentials: list[Record]) -> Rows:
    """Name and 'name: description' rows for each credential."""
    rows = Rows([], [], [])
    for i, cred in enumerate(credentials):
        rows.add(i, LABEL, cred["name"])
        rows.add(i, DESCRIPTION, credential_text(cred))
    return rows


TEACHING_GROUP = "S1.3"
"""ESCO's skill-pillar group "teaching and training": what teachers and trainers do. A course's description sentences
about its subject sit close to "teach <subject>" (teach chemistry, supervise practical courses), and 35 of the 37
hand-labelled sentences matched to such a skill were wrong (docs/QUALITY.md, session 17)."""
EDUCATION_SUBJECT = re.compile(r"\b(educat\w*|teach\w*|pedagog\w*)\b", re.IGNORECASE)
ALIGN_DEPTH = 10  # skills searched per description sentence, so that one outside the teaching group is found
NO_SKILL = (-1, 0.0)  # remembered for a text whose searched skills were all excluded


@dataclass(frozen=True)
class AlignmentJob:
    """How one credential is aligned: by its tags, or else by its description sentences (described)."""

    texts: list[str]
    threshold: float
    cap: int | None
    described: bool


def alignment_texts(credential: Record) -> AlignmentJob:
    """Texts to align a credential by: its tags, else its description sentences; with threshold and cap."""
    tags = list(dict.fromkeys(credential.get("skill_tags", [])))
    if tags:
        return AlignmentJob(tags, calibration.ALIGN_TAG, None, False)
    return AlignmentJob(phrases(credential.get("description", ""), whole=False)[:40], calibration.ALIGN_TEXT,
                        calibration.ALIGN_TEXT_MAX, True)


def teaches_teaching(credential: Record) -> bool:
    """Whether a credential's subject is education or teaching, so that teaching skills may be inferred for it."""
    subjects = [credential.get("subject") or "", *credential.get("subjects", [])]
    return any(EDUCATION_SUBJECT.search(s) for s in subjects if isinstance(s, str))


def best_skill_per_text(
    table: VectorTable, texts: list[str], embed: Any, cache: EmbeddingCache | None = None,
    excluded: np.ndarray | None = None,
) -> dict[str, tuple[int, float]]:
    """The best ESCO skill (scored as job phrases are, by mixed_search) for every text, in one batched pass; with
    excluded (a mask over skills), the best of the others among the ALIGN_DEPTH best."""
    unique = sorted(set(texts))
    scope = f"{table.fingerprint}/{ALIGN_SCORING}" + ("" if excluded is None else
                                                       f"/without-{hashlib.sha256(excluded.tobytes()).hexdigest()[:16]}")
    known = cache.best_known(scope, unique) if cache is not None and table.fingerprint else {}
    todo = [t for t in unique if t not in known]
    if todo:
        hits = mixed_search(table, embed(todo), 1 if excluded is None else ALIGN_DEPTH, LABEL_SHARE)
        kept = [[h for h in found if excluded is None or not excluded[h.owner]] for found in hits]
        fresh = {t: (h[0].owner, h[0].score) if h else NO_SKILL for t, h in zip(todo, kept, strict=True)}
        if cache is not None and table.fingerprint:
            cache.remember_best(scope, fresh)  # NO_SKILL too, so a warm rebuild does not search again
        known.update(fresh)
    return {t: best for t, best in known.items() if best != NO_SKILL}


def aligned(job: AlignmentJob, best: dict[str, tuple[int, float]], skills: list[Record]) -> list[Record]:
    """Inferred skills of one credential: best match per text at or above threshold, strongest first (uncapped:
    align_all caps them once the description's ones are checked)."""
    found: dict[int, Record] = {}
    for text in job.texts:
        owner, score = best.get(text, (-1, 0.0))
        if score >= job.threshold and score > found.get(owner, {}).get("confidence", -1.0):
            found[owner] = {"id": skills[owner]["id"], "confidence": round(score, 4), "matched_text": text,
                            "source": "inferred"}
    return sorted(found.values(), key=lambda s: (-s["confidence"], s["id"]))


def supported(
    inferred: dict[int, list[Record]], credentials: list[Record], positions: dict[str, int], skills: list[Record],
    embed: Any, threshold: float,
) -> dict[int, list[Record]]:
    """Of the skills inferred for each credential, those whose text (name: description) resembles the credential's
    whole text (name: description) at threshold or more: one sentence about context, audience or motivation must not
    make a course teach what it only mentions (ALIGN_TEXT_SUPPORT), nor a tag read in another sense
    (ALIGN_TAG_SUPPORT)."""
    items = [(i, s) for i, found in inferred.items() for s in found]
    if not items:
        return {i: [] for i in inferred}
    whole = dict(zip(inferred, embed([credential_text(credentials[i]) for i in inferred]), strict=True))
    texts = embed([skill_text(skills[positions[s["id"]]]) for _, s in items])
    out: dict[int, list[Record]] = {i: [] for i in inferred}
    for (i, skill), text in zip(items, texts, strict=True):
        if float(text @ whole[i]) >= threshold:
            out[i].append(skill)
    return out


def credential_text(credential: Record) -> str:
    """A credential's whole text as its description row is embedded."""
    return f"{credential['name']}: {credential.get('description', '')}"[:2000]


def align_all(
    credentials: list[Record], table: VectorTable, skills: list[Record], embed: Any,
    cache: EmbeddingCache | None = None,
) -> None:
    """Give every credential without declared ESCO skills inferred ones from its tags or description. A description
    sentence never aligns to a teaching skill unless the credential is about teaching (TEACHING_GROUP), and what a
    sentence or tag names must be supported by the credential's whole text (supported) before the cap applies."""
    jobs = {i: alignment_texts(c) for i, c in enumerate(credentials) if not c.get("skills")}
    teaching = np.array([any(g.startswith(TEACHING_GROUP) for g in s.get("groups", [])) for s in skills])
    plain = {i for i, job in jobs.items() if job.described and not teaches_teaching(credentials[i])}
    best = best_skill_per_text(table, [t for i, job in jobs.items() if i not in plain for t in job.texts], embed,
                               cache)
    best_plain = best_skill_per_text(table, [t for i in sorted(plain) for t in jobs[i].texts], embed, cache, teaching)
    inferred = {i: aligned(job, best_plain if i in plain else best, skills) for i, job in jobs.items()}
    positions = {s["id"]: p for p, s in enumerate(skills)}
    kept = {**supported({i: inferred[i] for i, job in jobs.items() if not job.described}, credentials, positions,
                        skills, embed, calibration.ALIGN_TAG_SUPPORT),
            **supported({i: inferred[i] for i, job in jobs.items() if job.described}, credentials, positions, skills,
                        embed, calibration.ALIGN_TEXT_SUPPORT)}
    for i, cred in enumerate(credentials):
        if i in jobs:
            found = kept[i]
            cred["skills"] = found[: jobs[i].cap] if jobs[i].cap else found
        else:
            cred["skills"] = [{**s, "source": s.get("source", "declared")} for s in cred["skills"]]


def skill_neighbours(vectors: np.ndarray, catalog: Catalog, chunk: int = 2048) -> dict[str, np.ndarray]:
    """For every skill, the skills some credential teaches that are at least NEIGHBOUR_FLOOR similar (CSR)."""
    pos = {s["id"]: i for i, s in enumerate(catalog.skills)}
    taught = np.unique([pos[x["id"]] for c in catalog.credentials for x in c.get("skills", [])]).astype(np.int64)
    rows, cols, values = [], [], []
    for start in range(0, len(vectors), chunk):
        sims = vectors[start : start + chunk] @ vectors[taught].T
        r, c = np.nonzero(sims >= calibration.NEIGHBOUR_FLOOR)
        rows.append(r + start)
        cols.append(taught[c])
        values.append(sims[r, c])
    row = np.concatenate(rows) if rows else np.zeros(0, np.int64)
    indptr = np.concatenate([[0], np.cumsum(np.bincount(row, minlength=len(vectors)))]).astype(np.int64)
    return {"indptr": indptr, "indices": np.concatenate(cols).astype(np.int32) if cols else np.zeros(0, np.int32),
            "values": np.concatenate(values).astype(np.float32) if values else np.zeros(0, np.float32)}


def package_versions() -> dict[str, str]:
    """Installed versions of the packages that shape the artifact."""
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def cached_index(vectors: np.ndarray, cache_dir: Path) -> faiss.Index:
    """The FAISS index of these exact vectors, reused from the cache when built before."""
    settings = f"{ANN_MIN_ROWS}/{HNSW_M}/{HNSW_EF_CONSTRUCTION}".encode()  # an index built otherwise is not reused
    path = cache_dir / f"index-{hashlib.sha256(vectors.tobytes() + settings).hexdigest()[:32]}.faiss"
    if path.is_file():
        return faiss.read_index(str(path))
    index = make_index(vectors)
    faiss.write_index(index, str(path.with_suffix(".tmp")))
    os.replace(path.with_suffix(".tmp"), path)
    return index


def build_table(rows: Rows, cache: EmbeddingCache, encoder: Encoder, progress: bool) -> VectorTable:
    """Embed a table's rows and index them."""
    vectors = cache.embed_rows(encoder, rows.texts, progress)
    index = cached_index(vectors, cache.path.parent)
    owner, kind = np.array(rows.owner, np.int32), np.array(rows.kind, np.int8)
    table = VectorTable(index, owner, kind, rows.texts)
    table.fingerprint = hashlib.sha256(vectors.tobytes() + owner.tobytes() + kind.tobytes()).hexdigest()
    return table


def write_records(directory: Path, name: str, records: list[Record]) -> None:
    """Write one record list as JSON Lines (read lazily by the service, one line per record)."""
    lines = (json.dumps(r, ensure_ascii=False, separators=(",", ":"), sort_keys=True) for r in records)
    (directory / f"{name}.jsonl").write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")


def make_manifest(directory: Path, catalog: Catalog, encoder: Encoder, tables: dict[str, VectorTable]) -> Record:
    """The manifest: model, catalogue and file checksums, counts, versions, settings."""
    return {
        "format_version": FORMAT_VERSION,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "model": {"name": MODEL_NAME, "sha256": encoder.sha256, "dimension": encoder.dimension},
        "catalog": {"files": catalog_checksums(catalog.files)},
        "counts": {
            "skills": len(catalog.skills), "roles": len(catalog.roles),
            "credentials": len(catalog.credentials), "tools": len(catalog.tools),
            **{f"{k}_rows": t.rows for k, t in tables.items()},
        },
        "thresholds": calibration.thresholds(),
        "rows_version": ROWS_VERSION,
        "versions": package_versions(),
        "files": {p.name: sha256_file(p) for p in artifact_files(directory)},
    }


def tool_categories(
    catalog: Catalog, table: VectorTable, embed: Callable[[list[str]], np.ndarray]
) -> dict[str, Record]:
    """The ESCO skill each tool category names, scored as a posting's list item is (kept at MENTION_SKILL or
    above): "Spreadsheet software" -> "use spreadsheets software"; "Application server software" names none."""
    names = sorted({t["category"] for t in catalog.tools})
    if not names:
        return {}
    out: dict[str, Record] = {}
    for name, hits in zip(names, mixed_search(table, embed(names), 1, LABEL_SHARE), strict=True):
        if hits and hits[0].score >= MENTION_SKILL:
            out[name] = {"id": catalog.skills[hits[0].owner]["id"], "score": round(hits[0].score, 4),
                         "matched": hits[0].text}
    return out


def catalog_checksums(files: dict[str, Path]) -> dict[str, str]:
    """sha256 of each catalogue file by kind."""
    return {kind: sha256_file(path) for kind, path in files.items()}


STALE_SECONDS = 6 * 3600


def remove_stale_staging(out: Path) -> None:
    """Delete staging folders that killed builds left behind (untouched for hours; a live build writes often)."""
    for folder in out.parent.glob(f".{out.name}-build-*"):
        if folder.is_dir() and time.time() - folder.stat().st_mtime > STALE_SECONDS:
            shutil.rmtree(folder, ignore_errors=True)


def publish(staging: Path, out: Path) -> Path:
    """Point `out` (a symlink) at the finished build in one atomic rename; keep one previous build."""
    target = out.parent / f"{out.name}.{staging.name.rsplit('-', 1)[-1]}"
    staging.rename(target)
    previous = out.resolve() if out.is_symlink() else None
    if out.exists() and not out.is_symlink():  # a plain folder from elsewhere: keep it as the previous build
        previous = out.parent / f"{out.name}.previous-{target.name.rsplit('.', 1)[-1]}"
        out.rename(previous)
    link = out.parent / f".{out.name}.link"
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(target.name)
    os.replace(link, out)
    keep = (target.resolve(), previous)  # resolved: a relative or symlinked out must not lose the previous build
    for old in out.parent.glob(f"{out.name}.*"):
        if old.resolve() not in keep and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
    return target


def validated_catalog(catalog_dir: Path, cache_dir: Path) -> Catalog:
    """The validated catalogue; the per-record schema check is skipped for bytes validated before."""
    marker = cache_dir / f"validated-{fingerprint(catalog_dir)[:32]}"
    catalog = load_catalog(catalog_dir, check_schema=not marker.is_file())
    cache_dir.mkdir(parents=True, exist_ok=True)
    marker.touch()
    return catalog


def build(
    catalog_dir: Path, out: Path, encoder: Encoder, cache_dir: Path, progress: bool = True,
    catalog: Catalog | None = None,
) -> Record:
    """Validate (unless given the validated catalogue), embed, align and publish an artifact; return its manifest."""
    catalog = catalog if catalog is not None else validated_catalog(catalog_dir, cache_dir)
    cache = EmbeddingCache(cache_dir / "embeddings.sqlite", encoder.sha256)
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(out)
    staging = readable(Path(tempfile.mkdtemp(prefix=f".{out.name}-build-", dir=out.parent)))
    try:
        manifest = write_artifact(staging, catalog, encoder, cache, progress)
        publish(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    manifest["cache"] = {"hits": cache.hits, "misses": cache.misses}
    return manifest


def write_artifact(
    staging: Path, catalog: Catalog, encoder: Encoder, cache: EmbeddingCache, progress: bool
) -> Record:
    """Write every artifact file into staging, the manifest last."""
    tables = {"skills": build_table(skill_rows(catalog.skills), cache, encoder, progress)}
    tables["roles"] = build_table(role_rows(catalog.roles), cache, encoder, progress)
    align_all(catalog.credentials, tables["skills"], catalog.skills, lambda t: cache.embed(encoder, t, progress),
              cache)
    tables["credentials"] = build_table(credential_rows(catalog.credentials), cache, encoder, progress)
    for name, table in tables.items():
        table.save(staging, name)
    labels = [s["label"] for s in catalog.skills]
    vectors = cache.embed(encoder, labels, False).astype(np.float32)
    np.save(staging / "skill_vectors.npy", vectors)
    near = skill_neighbours(vectors, catalog)
    np.savez(staging / "skill_neighbours.npz", indptr=near["indptr"], indices=near["indices"], values=near["values"])
    for name in KINDS:
        write_records(staging, name, getattr(catalog, name))
    categories = tool_categories(catalog, tables["skills"], lambda t: cache.embed(encoder, t, False))
    lexicon = tool_lexicon(catalog.tools, catalog.skills, catalog.roles, categories)
    (staging / "tools.json").write_text(json.dumps(lexicon, ensure_ascii=False, sort_keys=True))
    manifest = make_manifest(staging, catalog, encoder, tables)
    (staging / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return manifest
