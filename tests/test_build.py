"""Offline build: a real round trip, the embedding cache, atomic publishing and artifact verification."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import stat
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from service import build as build_module
from service import calibration
from service.build import (
    LABEL,
    PACKAGES,
    ROWS_VERSION,
    EmbeddingCache,
    align_all,
    build,
    build_table,
    catalog_checksums,
    credential_rows,
    package_versions,
    publish,
    role_rows,
    skill_rows,
)
from service.catalog import Catalog, CatalogError, Record, load_catalog
from service.cli import _artifact_current
from service.config import load_settings
from service.embed import DIMENSION, MODEL_NAME, Encoder
from service.index import ALT, DESCRIPTION, FORMAT_VERSION, Artifact, ArtifactError, VectorTable, load_artifact
from tests import catalogs
from tests.catalogs import write_catalog

TABLE_FILES = ("faiss", "owner.npy", "kind.npy", "texts.jsonl")
ARTIFACT_FILES = sorted(
    [f"{t}.{suffix}" for t in ("skills", "roles", "credentials") for suffix in (*TABLE_FILES, "jsonl")]
    + ["skill_neighbours.npz", "skill_vectors.npy", "tools.json"]
)


@dataclass
class Builds:
    """A cold build of the tiny catalogue into an empty cache, and a warm rebuild from that cache elsewhere."""

    catalog: Path
    cache: Path
    cold_out: Path
    cold: dict[str, Any]
    warm_out: Path
    warm: dict[str, Any]


class FailingEncoder(Encoder):
    """The real encoder, failing on its n-th encode call to interrupt a build midway."""

    def __init__(self, real: Encoder, fail_at: int):  # no super().__init__(): reuse the loaded model
        self.real, self.sha256, self.dimension = real, real.sha256, real.dimension
        self.calls, self.fail_at = 0, fail_at

    def encode(self, texts: Sequence[str], batch_size: int = 64, progress: bool = False) -> np.ndarray:
        """Encode with the real model, or fail when this is call number fail_at."""
        self.calls += 1
        if self.calls == self.fail_at:
            raise RuntimeError(f"encoder failed on call {self.calls}")
        return self.real.encode(texts, batch_size, progress)


@pytest.fixture(scope="module")
def catalog(small_catalog: Path) -> Catalog:
    """The small catalogue as validated records."""
    return load_catalog(small_catalog)


@pytest.fixture(scope="module")
def artifact(artifact_dir: Path, model_sha256: str, catalog: Catalog) -> Artifact:
    """The session artifact, loaded with model and catalogue checks on."""
    return load_artifact(artifact_dir, model_sha256, catalog_checksums(catalog.files))


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory, encoder: Encoder) -> Builds:
    """Build the tiny catalogue twice with one fresh cache: cold, then warm into a new folder."""
    root = tmp_path_factory.mktemp("builds")
    catalog = write_catalog(root / "catalog", catalogs.tiny())["skills"].parent
    cold = build(catalog, root / "cold" / "artifact", encoder, root / "cache", progress=False)
    warm = build(catalog, root / "warm" / "artifact", encoder, root / "cache", progress=False)
    return Builds(catalog, root / "cache", root / "cold" / "artifact", cold, root / "warm" / "artifact", warm)


def test_a_published_artifact_is_readable_by_the_serving_user(builds: Builds) -> None:
    """The artifact folder gets mkdir's mode and its files open's, not tempfile's 0700 (the Docker image builds as
    root and serves as uid 10001)."""
    mask = os.umask(0)
    os.umask(mask)
    folder = builds.cold_out.resolve()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o777 & ~mask != 0o700
    assert {stat.S_IMODE(f.stat().st_mode) for f in folder.iterdir()} == {0o666 & ~mask}


def sha256_bytes(path: Path) -> str:
    """sha256 of a file's bytes, computed here independently of the code under test."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(out: Path) -> dict[str, Any]:
    """Where an artifact link points, the checksum of every file there, and the parent folder's listing."""
    return {
        "link": os.readlink(out),
        "files": {p.name: sha256_bytes(p) for p in sorted(out.resolve().iterdir())},
        "listing": sorted(p.name for p in out.parent.iterdir()),
    }


def test_round_trip_counts_and_records(artifact: Artifact, catalog: Catalog) -> None:
    """The artifact holds every catalogue record as given (credentials gain skills) and one row per text."""
    assert (list(artifact.skills), list(artifact.roles)) == (catalog.skills, catalog.roles)
    assert [{**c, "skills": []} for c in artifact.credentials] == catalog.credentials  # the slice declares none
    rows = {"skills": skill_rows(catalog.skills), "roles": role_rows(catalog.roles),
            "credentials": credential_rows(catalog.credentials)}
    assert {name: list(table.texts) for name, table in artifact.tables.items()} == {k: r.texts for k, r in rows.items()}
    assert artifact.skill_vectors.shape == (len(catalog.skills), DIMENSION)


def test_manifest(artifact_dir: Path, artifact: Artifact, catalog: Catalog, model_sha256: str) -> None:
    """The manifest records format, model, catalogue and file checksums, counts, thresholds and versions."""
    manifest = json.loads((artifact_dir / "manifest.json").read_text())
    assert manifest == {
        "format_version": FORMAT_VERSION,
        "created_at": manifest["created_at"],
        "model": {"name": MODEL_NAME, "sha256": model_sha256, "dimension": 384},
        "catalog": {"files": {kind: sha256_bytes(path) for kind, path in catalog.files.items()}},
        "counts": {
            "skills": 377, "roles": 7, "credentials": 85, "tools": 170,
            **{f"{name}_rows": len(table.texts) for name, table in artifact.tables.items()},
        },
        "thresholds": {k: v for k, v in vars(calibration).items() if k.isupper()},
        "rows_version": ROWS_VERSION,
        "versions": package_versions(),
        "files": {name: sha256_bytes(artifact_dir / name) for name in ARTIFACT_FILES},
    }
    assert sorted(manifest["versions"]) == sorted(PACKAGES)
    created = dt.datetime.fromisoformat(manifest["created_at"])
    assert created.utcoffset() == dt.timedelta(0) and created <= dt.datetime.now(dt.UTC)
    assert artifact.manifest == manifest


def test_skill_label_finds_its_skill(artifact: Artifact, encoder: Encoder) -> None:
    """Searching the skills table for a skill's label returns that skill first, by its label row."""
    labels = ["Haskell", "normalise data", "design cloud architecture", "Agile project management"]
    hits = artifact.tables["skills"].search(encoder.encode(labels), 3)
    found = [(artifact.skills[h[0].owner]["label"], h[0].text, h[0].kind) for h in hits]
    assert found == [(label, label, LABEL) for label in labels]
    assert all(h[0].score > 0.999 and h[1].score < h[0].score for h in hits)


def test_skill_vectors_are_label_embeddings(artifact: Artifact, encoder: Encoder) -> None:
    """skill_vectors.npy holds each skill's normalized label vector, in skill order."""
    expected = encoder.encode([s["label"] for s in artifact.skills[:20]])
    assert np.allclose(artifact.skill_vectors[:20], expected, atol=1e-5)
    assert np.allclose(np.linalg.norm(artifact.skill_vectors, axis=1), 1.0, atol=1e-4)


def test_every_credential_is_aligned(artifact: Artifact, catalog: Catalog) -> None:
    """Each credential gets inferred skills from its tags, confident, explained and sorted."""
    for credential in artifact.credentials:
        skills = credential["skills"]
        assert skills, credential["id"]
        assert all(set(s) == {"id", "confidence", "matched_text", "source"} for s in skills)
        assert all(s["source"] == "inferred" and s["id"] in artifact.skill_pos for s in skills)
        assert all(calibration.ALIGN_TAG <= s["confidence"] <= 1 for s in skills)
        assert all(s["matched_text"] in credential["skill_tags"] for s in skills)
        assert skills == sorted(skills, key=lambda s: (-s["confidence"], s["id"]))
        assert len({s["id"] for s in skills}) == len(skills)


ALIGNABLE = ("teach chemistry", "chemistry", "work with chemicals", "geology", "process refunds", "solar energy",
             "tuning techniques", "computer programming")


@pytest.fixture(scope="module")
def alignable(encoder: Encoder, tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Record], VectorTable, Any]:
    """Eight real ESCO skills (one in the teaching group), their skill table and the build's cached embed."""
    records = {s["label"]: s for s in catalogs.catalogue("skills")}
    skills = [records[label] for label in ALIGNABLE]
    cache = EmbeddingCache(tmp_path_factory.mktemp("align") / "embeddings.sqlite", encoder.sha256)
    return skills, build_table(skill_rows(skills), cache, encoder, False), lambda t: cache.embed(encoder, t, False)


def described(name: str, description: str, subject: str) -> Record:
    """A credential without tags, aligned by its description sentences."""
    return {"id": name, "name": name, "description": description, "subject": subject}


def inferred(credential: Record, skills: list[Record]) -> list[tuple[str, str]]:
    """(skill label, matched sentence) of each skill inferred for a credential, strongest first."""
    labels = {s["id"]: s["label"] for s in skills}
    return [(labels[s["id"]], s["matched_text"]) for s in credential["skills"]]


def test_a_course_sentence_aligns_to_its_subject_not_to_teaching_it(
    alignable: tuple[list[Record], VectorTable, Any],
) -> None:
    """A sentence closest to "teach chemistry" gives a chemistry course the next skill outside ESCO's teaching group;
    a course whose subject is teaching keeps it."""
    skills, table, embed = alignable
    text = "This course teaches chemistry to high school students. Work safely with chemicals in the lab."
    course = described("Chemistry", text, "Science")
    training = described("Chemistry", text, "Education & Teacher Training")
    align_all([course, training], table, skills, embed)
    teaches, lab = "This course teaches chemistry to high school students", "Work safely with chemicals in the lab"
    assert inferred(course, skills) == [("work with chemicals", lab), ("chemistry", teaches)]
    assert inferred(training, skills) == [("teach chemistry", teaches), ("work with chemicals", lab)]


def test_a_skill_the_whole_course_does_not_resemble_is_not_inferred(
    alignable: tuple[list[Record], VectorTable, Any], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """In the real description of edX's "Leaders of Learning", a sentence of its honour code matches "process refunds"
    above ALIGN_TEXT, but the course as a whole is about learning, not refunds (ALIGN_TEXT_SUPPORT)."""
    skills, table, embed = alignable
    course = next(c for c in catalogs.catalogue("credentials") if c["name"] == "Leaders of Learning")
    kept, unchecked = ({k: v for k, v in course.items() if k not in ("skills", "skill_tags")} for _ in range(2))
    align_all([kept], table, skills, embed)
    monkeypatch.setattr(calibration, "ALIGN_TEXT_SUPPORT", -1.0)
    align_all([unchecked], table, skills, embed)
    assert kept["skills"] == []
    assert inferred(unchecked, skills) == [
        ("process refunds", "No refunds will be issued in the case of corrective action for such violations")
    ]


def test_a_tag_read_in_another_sense_is_not_inferred(
    alignable: tuple[list[Record], VectorTable, Any], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Coursera tags "CUDA at Scale for the Enterprise" with "Performance Tuning", which matches the musical "tuning
    techniques" above ALIGN_TAG; the course as a whole does not resemble that skill (ALIGN_TAG_SUPPORT), while its
    "Computer Programming" tag keeps its skill."""
    skills, table, embed = alignable
    course = next(c for c in catalogs.catalogue("credentials") if c["name"] == "CUDA at Scale for the Enterprise")
    kept, unchecked = ({k: v for k, v in course.items() if k != "skills"} for _ in range(2))
    align_all([kept], table, skills, embed)
    monkeypatch.setattr(calibration, "ALIGN_TAG_SUPPORT", -1.0)
    align_all([unchecked], table, skills, embed)
    assert inferred(kept, skills) == [("computer programming", "Computer Programming")]
    assert inferred(unchecked, skills) == [("computer programming", "Computer Programming"),
                                           ("tuning techniques", "Performance Tuning")]


def test_cold_build_fills_the_cache_and_warm_rebuild_hits_only(builds: Builds) -> None:
    """The cold build encodes each distinct text once; the warm rebuild encodes nothing and searches nothing."""
    with sqlite3.connect(builds.cache / "embeddings.sqlite") as db:
        stored = db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0]
        remembered = db.execute("SELECT COUNT(*) FROM best").fetchone()[0]
    hits = builds.cold["cache"]["hits"]
    assert builds.cold["cache"] == {"hits": hits, "misses": stored} and stored > 0 and remembered > 0
    tables = len({p.name for p in builds.cache.glob("rows-*.npy")})
    assert tables == 3 and builds.warm["cache"]["misses"] == 0 and builds.warm["cache"]["hits"] > 0


def test_an_artifact_built_with_other_thresholds_is_not_current(
    builds: Builds, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`badgepath build --if-missing` keeps an artifact of the same catalogue and thresholds, and rebuilds one whose
    manifest records other thresholds (some of them shape the credential alignment and the skill neighbours)."""
    settings = load_settings()
    assert _artifact_current(builds.cold_out, builds.catalog, settings)
    monkeypatch.setattr(calibration, "ALIGN_TEXT_SUPPORT", calibration.ALIGN_TEXT_SUPPORT + 0.01)
    assert not _artifact_current(builds.cold_out, builds.catalog, settings)


def test_an_artifact_built_with_other_row_rules_is_not_current(
    builds: Builds, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An artifact whose rows were made by other rules (ROWS_VERSION: which alt titles are indexed) is rebuilt."""
    settings = load_settings()
    assert _artifact_current(builds.cold_out, builds.catalog, settings)
    monkeypatch.setattr(build_module, "ROWS_VERSION", build_module.ROWS_VERSION + 1)
    assert not _artifact_current(builds.cold_out, builds.catalog, settings)


def test_a_bare_job_family_noun_is_no_roles_alt_title() -> None:
    """ESCO's alt title "supervisor" of *oil refinery control room operator* is not indexed: a bare job-family noun
    names no one occupation, and "Site Supervisor" went there by it."""
    role = {"id": "r", "title": "oil refinery control room operator", "alt_titles": ["supervisor", "Supervisor ",
                                                                                    "refinery operator"]}
    assert role_rows([role]).texts == ["oil refinery control room operator", "refinery operator",
                                       "oil refinery control room operator:"]


def test_warm_rebuild_is_identical(builds: Builds) -> None:
    """A warm rebuild writes the same bytes as the cold build; only created_at differs."""
    cold, warm = (json.loads((out / "manifest.json").read_text()) for out in (builds.cold_out, builds.warm_out))
    assert {**warm, "created_at": None} == {**cold, "created_at": None}
    assert {k: v for k, v in builds.cold.items() if k != "cache"} == cold


def test_published_as_a_link(builds: Builds) -> None:
    """The artifact path is a relative symlink to a sibling build folder; no staging folder remains."""
    target = os.readlink(builds.cold_out)
    assert target.startswith("artifact.") and "/" not in target
    assert snapshot(builds.cold_out)["listing"] == ["artifact", target]


@pytest.mark.parametrize("relative", [False, True], ids=["absolute", "relative"])
def test_publish_keeps_exactly_one_previous_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, relative: bool
) -> None:
    """Each publish points the link at the new build and keeps only the one before it."""
    monkeypatch.chdir(tmp_path)
    out = Path("site/artifact") if relative else tmp_path / "site" / "artifact"
    out.parent.mkdir()
    targets = []
    for number in range(3):
        staging = Path(tempfile.mkdtemp(prefix=".artifact-build-", dir=out.parent))
        (staging / "n.txt").write_text(str(number))
        targets.append(publish(staging, out).name)
    assert sorted(p.name for p in out.parent.iterdir()) == sorted(["artifact", *targets[1:]])
    assert (os.readlink(out), (out / "n.txt").read_text()) == (targets[2], "2")


def edited(directory: Path, catalogue: catalogs.Catalogue, edits: dict[str, dict[int, dict[str, Any]]]) -> Path:
    """Write a catalogue with fields of some records (by kind and 0-based line) replaced."""
    for kind, records in edits.items():
        for index, fields in records.items():
            catalogue[kind][index] = {**catalogue[kind][index], **fields}
    return write_catalog(directory, catalogue)["skills"].parent


def assert_unchanged(builds: Builds, before: dict[str, Any], model_sha256: str) -> None:
    """The published cold build is byte-identical to its snapshot and still loads."""
    assert snapshot(builds.cold_out) == before
    load_artifact(builds.cold_out, model_sha256, catalog_checksums(load_catalog(builds.catalog).files))


def test_invalid_catalogue_leaves_previous_artifact(
    builds: Builds, tmp_path: Path, encoder: Encoder, model_sha256: str
) -> None:
    """A catalogue that fails validation changes nothing at the published path."""
    broken = edited(tmp_path / "broken", catalogs.tiny(), {"credentials": {1: {"hours": 0}}})
    before = snapshot(builds.cold_out)
    with pytest.raises(CatalogError) as caught:
        build(broken, builds.cold_out, encoder, builds.cache, progress=False)
    assert caught.value.problems == [
        f"{broken / 'credentials.jsonl'}:2: schema: hours: 0 is less than or equal to the minimum of 0"
    ]
    assert_unchanged(builds, before, model_sha256)


def test_failed_embedding_leaves_previous_artifact(
    builds: Builds, tmp_path: Path, encoder: Encoder, model_sha256: str
) -> None:
    """An encoder failing midway, after a real call, changes nothing at the published path."""
    changed = edited(tmp_path / "changed", catalogs.tiny(), {
        "roles": {0: {"description": "A new role description."}},
        "credentials": {0: {"description": "A new credential description."}},
    })
    cache = shutil.copytree(builds.cache, tmp_path / "cache")
    failing = FailingEncoder(encoder, fail_at=2)  # call 1 embeds the new role text, call 2 the credential's
    before = snapshot(builds.cold_out)
    with pytest.raises(RuntimeError, match="^encoder failed on call 2$"):
        build(changed, builds.cold_out, failing, cache, progress=False)
    assert failing.calls == 2
    assert_unchanged(builds, before, model_sha256)


@pytest.fixture
def copied(artifact_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the session artifact to damage."""
    return shutil.copytree(artifact_dir.resolve(), tmp_path / "artifact")


def refusal(directory: Path, model_sha256: str | None = None, catalog_sha256: dict[str, str] | None = None) -> str:
    """The message load_artifact refuses an artifact with."""
    with pytest.raises(ArtifactError) as caught:
        load_artifact(directory, model_sha256, catalog_sha256)
    return str(caught.value)


@pytest.mark.parametrize("name", ["skills.faiss", "credentials.jsonl", "skill_vectors.npy", "roles.texts.jsonl"])
def test_altered_byte_is_refused(copied: Path, name: str) -> None:
    """One changed byte in any file fails its checksum, naming the file."""
    data = bytearray((copied / name).read_bytes())
    data[len(data) // 2] ^= 0x01
    (copied / name).write_bytes(data)
    assert refusal(copied) == f"{copied / name}: sha256 differs from manifest.json (altered or truncated)"


def test_truncated_file_is_refused(copied: Path) -> None:
    """A file cut short fails its checksum."""
    path = copied / "skills.owner.npy"
    path.write_bytes(path.read_bytes()[:100])
    assert refusal(copied) == f"{path}: sha256 differs from manifest.json (altered or truncated)"


def test_deleted_file_is_refused(copied: Path) -> None:
    """A file listed in the manifest must exist."""
    (copied / "roles.kind.npy").unlink()
    assert refusal(copied) == f"{copied / 'roles.kind.npy'}: missing"


def test_unlisted_file_is_refused(copied: Path) -> None:
    """A file the manifest does not list is refused, not ignored."""
    (copied / "extra.json").write_text("{}")
    assert refusal(copied) == f"{copied / 'extra.json'}: not listed in manifest.json"


def test_missing_or_foreign_manifest_is_refused(copied: Path) -> None:
    """No manifest, an unreadable one, or another format version: each refused with its reason."""
    manifest = copied / "manifest.json"
    original = json.loads(manifest.read_text())
    manifest.write_text(json.dumps({**original, "format_version": 99}))
    assert refusal(copied) == f"{manifest}: format_version 99, expected {FORMAT_VERSION}"
    manifest.write_text("{")
    assert refusal(copied).startswith(f"{manifest}: not valid JSON (")
    manifest.unlink()
    assert refusal(copied) == f"{manifest}: missing (run `badgepath build`)"


def test_other_model_is_refused(copied: Path, model_sha256: str) -> None:
    """An artifact whose manifest names other model weights is refused, naming both checksums."""
    manifest = json.loads((copied / "manifest.json").read_text())
    manifest["model"]["sha256"] = "0" * 64
    (copied / "manifest.json").write_text(json.dumps(manifest))
    assert refusal(copied, model_sha256) == (
        f"manifest.json: built with model sha256 {'0' * 64}, but the loaded model is {model_sha256}; "
        "rebuild with `badgepath build`"
    )


def test_other_catalogue_is_refused(copied: Path, tmp_path: Path, model_sha256: str) -> None:
    """An artifact built from another catalogue than the configured one is refused."""
    other = edited(tmp_path / "other", catalogs.small(), {"roles": {1: {"description": "Edited."}}})
    checksums = catalog_checksums(load_catalog(other).files)
    assert refusal(copied, model_sha256, checksums) == (
        "manifest.json: built from a different catalogue; rebuild with `badgepath build`"
    )


def test_a_roles_reported_titles_are_alt_title_rows() -> None:
    """A role's reported US titles are matched as its alt titles are: ALT rows after ESCO's, before the description."""
    role = {"id": "r", "title": "general practitioner", "alt_titles": ["GP"], "description": "Treats patients.",
            "reported_titles": ["Family Physician"]}
    rows = role_rows([role])
    assert list(zip(rows.kind, rows.texts, strict=True)) == [
        (LABEL, "general practitioner"), (ALT, "GP"), (ALT, "Family Physician"),
        (DESCRIPTION, "general practitioner: Treats patients.")]
