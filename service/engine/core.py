"""The engine's view of the artifact: records, vectors and the searches the domain logic needs."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from ..index import ALT as ALT
from ..index import DESCRIPTION as DESCRIPTION
from ..index import LABEL as LABEL
from ..index import Artifact, Hit
from .acronyms import posting_acronyms
from .tools import ToolFinder

Record = dict[str, Any]


class Encodes(Protocol):
    """Anything that turns texts into unit vectors (the real model in the service)."""

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Encode texts to an (n, d) float32 matrix of unit vectors."""
        ...


class Preencoded:
    """An encoder holding texts encoded together beforehand (a batch's); other texts go to the real encoder."""

    def __init__(self, encoder: Encodes, texts: list[str]):
        self.encoder = encoder
        unique = list(dict.fromkeys(texts))
        self.known = dict(zip(unique, encoder.encode_queries(unique), strict=True)) if unique else {}

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """The vectors of texts, from those encoded beforehand where possible."""
        missing = [t for t in dict.fromkeys(texts) if t not in self.known]
        if missing:
            self.known.update(zip(missing, self.encoder.encode_queries(missing), strict=True))
        return np.stack([self.known[t] for t in texts])


class NotFound(LookupError):
    """A referenced id (role, credential, skill) does not exist in the catalogue."""

    def __init__(self, kind: str, ident: str, pointer: str):
        super().__init__(f"unknown {kind} id {ident!r}")
        self.kind, self.ident, self.pointer = kind, ident, pointer


@dataclass(frozen=True)
class Teaching:
    """Which skills each credential teaches, flattened for vectorised coverage checks."""

    credential: np.ndarray
    skill: np.ndarray
    confidence: np.ndarray
    matched: list[str]


def teaching_pairs(artifact: Artifact) -> Teaching:
    """All (credential, skill) alignment pairs in credential order."""
    creds, skills, confs, texts = [], [], [], []
    for ci, cred in enumerate(artifact.credentials):
        for item in cred.get("skills", []):
            if item["id"] in artifact.skill_pos:
                creds.append(ci)
                skills.append(artifact.skill_pos[item["id"]])
                confs.append(float(item.get("confidence", 1.0)))
                texts.append(str(item.get("matched_text", "")))
    return Teaching(np.array(creds, np.int64), np.array(skills, np.int64), np.array(confs, np.float32), texts)


@dataclass(frozen=True)
class CredentialFacts:
    """Per-credential arrays for vectorised planning (positions follow the id-sorted records)."""

    hours: np.ndarray
    cost: np.ndarray
    level: np.ndarray
    provider: np.ndarray
    has_requires: np.ndarray


def credential_facts(credentials: Sequence[Record]) -> CredentialFacts:
    """Hours, known cost (0 when unknown), level, case-folded provider and prerequisite flag per credential."""
    return CredentialFacts(
        hours=np.array([float(c["hours"]) for c in credentials]),
        cost=np.array([float(c.get("cost") or 0.0) for c in credentials]),
        level=np.array([str(c.get("level", "mixed")) for c in credentials]),
        provider=np.array([str(c.get("provider", "")).casefold() for c in credentials]),
        has_requires=np.array([bool(c.get("requires")) for c in credentials], bool),
    )


class Engine:
    """Searches and lookups over one artifact with one encoder."""

    def __init__(self, artifact: Artifact, encoder: Encodes):
        self.artifact = artifact
        self.encoder = encoder
        self.teaching = teaching_pairs(artifact)
        self.skill_vectors = np.asarray(artifact.skill_vectors, dtype=np.float32)  # the artifact's mmap, no copy
        order = np.argsort(self.teaching.skill, kind="stable")
        bounds = np.searchsorted(self.teaching.skill[order], np.arange(len(artifact.skills) + 1))
        self.pairs_of_skill = [order[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
        self.components = parts_index(artifact.credentials)
        self.facts = credential_facts(artifact.credentials)
        bounds = np.searchsorted(self.teaching.credential, np.arange(len(artifact.credentials) + 1))
        self.pair_range = list(zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True))
        self.requires = prerequisite_positions(artifact)
        self.tools = ToolFinder(artifact.tools)
        self.acronyms = posting_acronyms(artifact.tables)  # written out when a posting or title names one
        # Every role title and alt title, case- and space-folded: a posting line that is one names the role.
        self.role_names = frozenset(folded(t) for r in artifact.roles for t in [r["title"], *r.get("alt_titles", [])])

    def preencoded(self, texts: list[str]) -> Engine:
        """This engine with texts encoded beforehand in one call (packed together), for one request's use."""
        view = copy.copy(self)
        view.encoder = Preencoded(self.encoder, texts)
        return view

    def prerequisites_of(self, pos: int) -> tuple[int, ...]:
        """Positions of the credentials that credential pos directly requires (in id order)."""
        return self.requires.get(pos, ())

    def skill(self, pos: int) -> Record:
        """Skill record at a position."""
        return self.artifact.skills[pos]

    def role(self, pos: int) -> Record:
        """Role record at a position."""
        return self.artifact.roles[pos]

    def credential(self, pos: int) -> Record:
        """Credential record at a position."""
        return self.artifact.credentials[pos]

    def encode(self, texts: list[str]) -> np.ndarray:
        """Encode request texts (cached by the encoder)."""
        return self.encoder.encode_queries(texts)

    def search_skills(self, vectors: np.ndarray, k: int, descriptions: bool = True) -> list[list[Hit]]:
        """Best skills per query vector, by label, alt label and (optionally) description rows."""
        kinds = (LABEL, ALT, DESCRIPTION) if descriptions else (LABEL, ALT)
        return self.artifact.tables["skills"].search(vectors, k, kinds=kinds)

    def search_roles(self, vectors: np.ndarray, k: int, by_description: bool = False) -> list[list[Hit]]:
        """Best roles per query: by titles, or by 'title: description' rows."""
        kinds = (DESCRIPTION,) if by_description else (LABEL, ALT)
        return self.artifact.tables["roles"].search(vectors, k, kinds=kinds)

    def search_credentials(self, vectors: np.ndarray, k: int, names_only: bool = False) -> list[list[Hit]]:
        """Best credentials per query by name (and description unless names_only)."""
        kinds = (LABEL,) if names_only else (LABEL, DESCRIPTION)
        return self.artifact.tables["credentials"].search(vectors, k, kinds=kinds)

    def skill_similarity(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """Cosine similarity between two lists of skill positions (label vectors)."""
        if len(left) == 0 or len(right) == 0:
            return np.zeros((len(left), len(right)), np.float32)
        return np.asarray(self.skill_vectors[np.asarray(left)] @ self.skill_vectors[np.asarray(right)].T)

    def taught_near(self, pos: int, threshold: float) -> dict[int, float]:
        """Skills some credential teaches that are at least threshold similar to skill pos (itself: 1.0)."""
        table = self.artifact.neighbours
        lo, hi = int(table["indptr"][pos]), int(table["indptr"][pos + 1])
        values = table["values"][lo:hi]
        keep = values >= threshold
        near = dict(zip(table["indices"][lo:hi][keep].tolist(), values[keep].tolist(), strict=True))
        if pos in near:
            near[pos] = 1.0
        return near


def prerequisite_positions(artifact: Artifact) -> dict[int, tuple[int, ...]]:
    """For each credential with prerequisites, their positions in id order (ids not in the catalogue skipped)."""
    out: dict[int, tuple[int, ...]] = {}
    for pos, cred in enumerate(artifact.credentials):
        found = [artifact.credential_pos[r] for r in sorted(cred.get("requires", [])) if r in artifact.credential_pos]
        if found:
            out[pos] = tuple(found)
    return out


def parts_index(credentials: Sequence[Record]) -> dict[str, list[str]]:
    """For each stackable credential id, the ids of the credentials that are part of it."""
    parts: dict[str, list[str]] = {}
    for cred in credentials:
        for parent in cred.get("part_of", []):
            parts.setdefault(parent, []).append(cred["id"])
    return {k: sorted(v) for k, v in parts.items()}


def skill_ref(skill: Record) -> Record:
    """The short form of a skill used in answers."""
    return {"id": skill["id"], "label": skill["label"], "kind": skill.get("kind", "skill")}


def folded(text: str) -> str:
    """Case- and space-folded text."""
    return " ".join(text.casefold().split())
