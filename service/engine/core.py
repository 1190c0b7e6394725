"""The engine's view of the artifact: records, vectors and the searches the domain logic needs."""

from __future__ import annotations

import copy
import re
import sys
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from .. import calibration
from ..catalog import role_names
from ..index import ALT as ALT
from ..index import DESCRIPTION as DESCRIPTION
from ..index import LABEL as LABEL
from ..index import Artifact, Hit, VectorTable
from .acronyms import is_acronym, posting_acronyms
from .idioms import Idiom, IdiomFinder, LanguageFinder, lexicon
from .tools import ToolFinder

Record = dict[str, Any]


class Encodes(Protocol):
    """Anything that turns texts into unit vectors (the real model in the service)."""

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Encode texts to an (n, d) float32 matrix of unit vectors."""
        ...


EMPHASIS_WORDS = frozenset({"LESS", "SPARK"})  # skill names (a CSS language, a data engine) that postings shout


def named_acronyms(labels: Iterable[str]) -> frozenset[str]:
    """The skill labels that are acronyms (is_acronym), but not everyday words written in capitals (EMPHASIS_WORDS)."""
    return frozenset(label for label in labels if is_acronym(label) and label not in EMPHASIS_WORDS)


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
    source: list[str]  # what each alignment was read from: "catalogue", "tag" or "description" (alignment_source)


@dataclass(frozen=True)
class Covering:
    """Per skill (CSR by skill position), the credentials that teach it or a skill at least SKILL_COVER similar,
    ascending, with how well (strength: the similarity times the alignment's confidence to the power
    ALIGNMENT_TRUST), the teaching pair of the best strength (the first, in pair order, among equal ones) and its
    similarity (1.0 for the skill itself)."""

    indptr: np.ndarray
    credential: np.ndarray
    strength: np.ndarray
    pair: np.ndarray
    similarity: np.ndarray


def spans(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The concatenated index ranges [start, start + length)."""
    total = int(lengths.sum())
    offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
    return np.asarray(offsets + np.arange(total), np.int64)


# How well a credential covers a skill: the similarity of the skill it teaches, times its alignment confidence to
# this power. Confidence predicts whether the course really teaches the skill (hand-labelled samples, see
# PATH_TEXT_FLOOR: description sentences 0.60-0.70 right 65 % of the time, from 0.70 90 %; tags from 0.70 84-94 %),
# so a path should prefer a course that surely teaches a gap skill to one that may. Over 400 roles' paths, the
# expected share of right step covers (from session 19's rates): default 0.690 -> 0.702 (+0.7 % hours), 3 steps
# 0.743 -> 0.784, 60 hours 0.734 -> 0.765; power 1 gains half as much, 4 costs 3.7 % more hours (docs/QUALITY.md,
# session 19). 0: off.
ALIGNMENT_TRUST = 2.0


def covering(neighbours: dict[str, np.ndarray], teaching: Teaching, threshold: float) -> Covering:
    """Which credentials cover each skill, from the artifact's neighbour table (taught skills above 0.70) and the
    teaching pairs, each as well as the skill it teaches is similar (at least threshold) times the alignment's
    confidence to the power ALIGNMENT_TRUST: computed once per worker, so a request gathers its gap skills' rows and
    multiplies nothing."""
    indptr, values = neighbours["indptr"], neighbours["values"]
    count = len(indptr) - 1
    skill = np.repeat(np.arange(count), np.diff(indptr))
    keep = values >= threshold
    skill, near, value = skill[keep], neighbours["indices"][keep].astype(np.int64), values[keep].astype(np.float32)
    value[near == skill] = 1.0
    order = np.argsort(teaching.skill, kind="stable")  # pairs by taught skill, in pair order within one
    bounds = np.searchsorted(teaching.skill[order], np.arange(count + 1))
    lengths = bounds[near + 1] - bounds[near]
    pair = order[spans(bounds[near], lengths)]
    skill, similarity = np.repeat(skill, lengths), np.repeat(value, lengths)
    trust = teaching.confidence[pair].astype(np.float32) ** ALIGNMENT_TRUST if ALIGNMENT_TRUST else 1.0
    value = similarity * trust
    credential = teaching.credential[pair]
    ranked = np.lexsort((pair, -value, credential, skill))
    skill, credential, value, pair, similarity = (a[ranked] for a in [skill, credential, value, pair, similarity])
    first = np.ones(len(skill), bool)
    first[1:] = (skill[1:] != skill[:-1]) | (credential[1:] != credential[:-1])
    skill, credential, value, pair, similarity = (a[first] for a in (skill, credential, value, pair, similarity))
    return Covering(np.searchsorted(skill, np.arange(count + 1)), credential, value, pair, similarity)


# A path claims a credential teaches a skill only from an alignment more often right than not. The build infers skills
# at F1-best thresholds (calibration.ALIGN_TAG, ALIGN_TEXT), but on the three hand-labelled samples the weakest of them
# are a coin flip: description sentences under 0.60 right 45 % of the time (0.60-0.70: 65 %, 0.70 and over: 90 %),
# tags under 0.70 54 % (0.70 and over: 84-94 %). Below these floors an inferred alignment neither covers a gap skill
# nor is held through a learner's credential (docs/QUALITY.md, session 25). 0: off.
PATH_TEXT_FLOOR = 0.60
PATH_TAG_FLOOR = 0.70


# An inferred alignment from a description sentence under this confidence is right about two times in three on the
# all-course samples (above it, and from a tag at PATH_TAG_FLOOR or more, 84-94 %): a path step names it as moderate
# evidence.
STRONG_TEXT = 0.70


def alignment_source(item: Record, tags: frozenset[str]) -> str:
    """What a credential's skill alignment was read from: the catalogue's own record, a provider tag, or a sentence
    of the description."""
    if item.get("source") != "inferred":
        return "catalogue"
    return "tag" if item.get("matched_text") in tags else "description"


def trusted(item: Record, tags: frozenset[str]) -> bool:
    """Whether a credential's skill alignment is one a path may claim: given by the catalogue, or inferred at least at
    the floor of its kind (a provider tag or a description sentence)."""
    source = alignment_source(item, tags)
    if source == "catalogue":
        return True
    floor = PATH_TAG_FLOOR if source == "tag" else PATH_TEXT_FLOOR
    return float(item.get("confidence", 1.0)) >= floor


def evidence_strength(source: str, confidence: float) -> str:
    """"moderate" for a description sentence under STRONG_TEXT, "strong" otherwise (of the trusted alignments)."""
    return "moderate" if source == "description" and confidence < STRONG_TEXT else "strong"


def taught_skills(cred: Record, claimed: frozenset[str]) -> list[Record]:
    """The skill alignments of a credential a path may claim (claimed: its skill ids so, from claimable)."""
    return [item for item in cred.get("skills", []) if item["id"] in claimed]


# An inferred alignment is claimed only when the skill (its name and description) resembles the credential's whole
# text (name: description) at least this much, as the build measures support (build.supported). The build keeps a tag
# from 0.12 and a sentence from 0.33, F1-best over all courses; but among the covers the paths for trade, care and
# service roles make, those under 0.30 were right a third of the time ("Unit Testing" teaching *test electronic units*)
# and those above three in four (docs/QUALITY.md, session 25). 0: off.
PATH_SUPPORT = 0.30


def owner_rows(table: VectorTable, kind: int, count: int) -> np.ndarray:
    """Each owner's (last) row of a kind in table, -1 for an owner without one."""
    rows = np.full(count, -1, np.int64)
    found = np.flatnonzero(table.kind == kind)
    rows[table.owner[found]] = found
    return rows


def description_vectors(table: VectorTable, count: int, fallback: np.ndarray | None = None,
                        wanted: np.ndarray | None = None) -> np.ndarray:
    """Each owner's description-row vector (fallback's row, or zeros, for an owner without one); only the owners in
    wanted are filled when given."""
    rows = owner_rows(table, DESCRIPTION, count)
    owners = np.arange(count) if wanted is None else wanted
    out = np.zeros((count, table.index.d), np.float32)
    if fallback is not None:
        out[owners] = np.asarray(fallback[owners], np.float32)
    found = owners[rows[owners] >= 0]
    if len(found):
        out[found] = table.index.reconstruct_batch(rows[found])
    return out


def claimable(artifact: Artifact) -> list[frozenset[str]]:
    """Per credential, the ids of the skills a path may claim it teaches: those the catalogue gives, and those inferred
    at the floor of their kind (trusted) that its whole text supports at PATH_SUPPORT or more."""
    credentials = artifact.credentials
    pairs = [(ci, artifact.skill_pos[item["id"]], item) for ci, c in enumerate(credentials)
             for tags in [frozenset(c.get("skill_tags", []))] for item in c.get("skills", [])
             if item["id"] in artifact.skill_pos and trusted(item, tags)]
    support = np.ones(len(pairs), np.float32)
    if PATH_SUPPORT and pairs:
        skills = np.array(sorted({s for _, s, _ in pairs}), np.int64)
        whole = description_vectors(artifact.tables["credentials"], len(credentials))
        named = description_vectors(artifact.tables["skills"], len(artifact.skill_pos), artifact.skill_vectors, skills)
        for start in range(0, len(pairs), 4096):
            chunk = pairs[start:start + 4096]
            support[start:start + len(chunk)] = np.einsum("ij,ij->i", whole[[c for c, _, _ in chunk]],
                                                          named[[s for _, s, _ in chunk]])
    out: list[set[str]] = [set() for _ in credentials]
    for (ci, _, item), value in zip(pairs, support.tolist(), strict=True):
        if item.get("source") != "inferred" or value >= PATH_SUPPORT:
            out[ci].add(item["id"])
    return [frozenset(ids) for ids in out]


def teaching_pairs(artifact: Artifact, claimed: list[frozenset[str]]) -> Teaching:
    """All (credential, skill) alignment pairs a path may claim (claimed: per credential, from claimable), in
    credential order."""
    creds, skills, confs, texts, sources = [], [], [], [], []
    for ci, cred in enumerate(artifact.credentials):
        tags = frozenset(cred.get("skill_tags", []))
        for item in taught_skills(cred, claimed[ci]):
            if item["id"] in artifact.skill_pos:
                creds.append(ci)
                skills.append(artifact.skill_pos[item["id"]])
                confs.append(float(item.get("confidence", 1.0)))
                texts.append(str(item.get("matched_text") or ""))
                sources.append(alignment_source(item, tags))
    return Teaching(np.array(creds, np.int64), np.array(skills, np.int64), np.array(confs, np.float32), texts,
                    sources)


@dataclass(frozen=True)
class CredentialFacts:
    """Per-credential arrays for vectorised planning (positions follow the id-sorted records)."""

    hours: np.ndarray
    cost: np.ndarray
    level: np.ndarray
    provider: np.ndarray
    language: np.ndarray
    has_requires: np.ndarray


def credential_facts(credentials: Sequence[Record]) -> CredentialFacts:
    """Hours, known cost (0 when unknown), level, case-folded provider and language, and prerequisite flag per
    credential."""
    return CredentialFacts(
        hours=np.array([float(c["hours"]) for c in credentials]),
        cost=np.array([float(c.get("cost") or 0.0) for c in credentials]),
        level=np.array([str(c.get("level", "mixed")) for c in credentials]),
        provider=np.array([str(c.get("provider", "")).casefold() for c in credentials]),
        language=np.array([str(c.get("language") or "").casefold() for c in credentials]),
        has_requires=np.array([bool(c.get("requires")) for c in credentials], bool),
    )


# A role's titles mapped to it by hand (catalog/README.md): not ESCO's alt titles, which put generic titles on specific
# occupations, but titles a person judged a recruiter would accept for the role.
HAND_MAPPED = ("reported_titles", "posted_titles", "corrected_titles")


def mapped_title_rows(artifact: Artifact) -> np.ndarray:
    """Per row of the role table, whether it is a title mapped to its role by hand (HAND_MAPPED)."""
    table = artifact.tables["roles"]
    mapped = {(i, folded(t)) for i, role in enumerate(artifact.roles) for key in HAND_MAPPED for t in role.get(key, [])}
    owners = np.fromiter({i for i, _ in mapped}, dtype=np.int64)
    rows = np.flatnonzero((table.kind == ALT) & np.isin(table.owner, owners))  # only their texts are read
    flags = np.zeros(len(table.kind), bool)
    flags[rows] = [(int(table.owner[row]), folded(table.texts[int(row)])) in mapped for row in rows]
    return flags


def trapped_roles(roles: Sequence[Record]) -> dict[str, frozenset[int]]:
    """Per title withdrawn from roles as a trap (folded), the positions of those roles."""
    found: dict[str, set[int]] = {}
    for pos, role in enumerate(roles):
        for title in role.get("withdrawn_titles", []):
            found.setdefault(folded(title), set()).add(pos)
    return {title: frozenset(positions) for title, positions in found.items()}


class Engine:
    """Searches and lookups over one artifact with one encoder."""

    def __init__(self, artifact: Artifact, encoder: Encodes):
        self.artifact = artifact
        self.encoder = encoder
        self.claimed = claimable(artifact)  # per credential, the skill ids a path may claim it teaches
        self.teaching = teaching_pairs(artifact, self.claimed)
        self.skill_vectors = np.asarray(artifact.skill_vectors, dtype=np.float32)  # the artifact's mmap, no copy
        self.covering = covering(artifact.neighbours, self.teaching, calibration.SKILL_COVER)
        self.components = parts_index(artifact.credentials)
        self.facts = credential_facts(artifact.credentials)
        self.languages = frozenset(self.facts.language.tolist()) - {""}  # those the credentials are taught in
        self.providers = frozenset(self.facts.provider.tolist()) - {""}  # case-folded, as the constraints match them
        self.provider_words = provider_words(artifact.credentials)
        # Masks per preferred languages and weights per level and languages (planner.preferred, planner.weights).
        self.preference_cache: dict[tuple[str, ...], np.ndarray] = {}
        self.requires = prerequisite_positions(artifact)
        self.skill_refs = skill_refs(artifact)
        self.credential_refs = [credential_ref(c) for c in artifact.credentials]
        self.credential_urls = credential_urls(self.credential_refs)
        self.tools = ToolFinder(artifact.tools)
        # Job-ad phrasings of common requirements ("driving licence"), those whose skill the catalogue has.
        self.idioms = IdiomFinder(tuple(i for i in lexicon() if i.skill_id in artifact.skill_pos))
        self.acronyms = posting_acronyms(artifact.tables)  # written out when a posting or title names one
        # The acronyms that are a skill's preferred label ("SQL", "PHP", "GDPR": 21 of them): a phrase naming one names
        # the skill; not those that are everyday words written in capitals for emphasis ("Nothing LESS than ...").
        self.named_acronyms = named_acronyms(label for _, label, _ in self.skill_refs)
        # Every role's titles (role_names), and those withdrawn from a role as a trap (still job titles), case- and
        # space-folded: a posting line that is one names a job, not a skill.
        self.role_names = frozenset(folded(t) for r in artifact.roles
                                    for t in [*role_names(r), *r.get("withdrawn_titles", [])])
        self.mapped_titles = mapped_title_rows(artifact)
        # A title withdrawn from roles as a trap (catalog/README.md), folded: those roles, which a title exactly it
        # does not go to ("Teaching Assistant" scored *university teaching assistant* 0.84 by its words).
        self.trapped = trapped_roles(artifact.roles)
        # A language skill is required only by a phrase naming the language ("Care Assistant – Galway" met *Irish* at
        # 0.59 by the place): language skills by position, with their language's name (skill_languages).
        self.skill_languages = skill_languages(artifact, self.skill_refs)
        self.language_finder = LanguageFinder(language_idioms(artifact))  # "Fluent German (C1)" asks for *German*
        # Each role's description row in the roles table (-1: none), for target.text_tie_break.
        self.role_description_rows = owner_rows(artifact.tables["roles"], DESCRIPTION, len(artifact.roles))

    def role_descriptions(self, positions: list[int]) -> np.ndarray:
        """The description-row vectors of roles (zeros for a role without one)."""
        rows = self.role_description_rows[positions]
        table = self.artifact.tables["roles"]
        out = np.zeros((len(rows), table.index.d), np.float32)
        if (rows >= 0).any():
            out[rows >= 0] = table.index.reconstruct_batch(rows[rows >= 0])
        return out

    def preencoded(self, texts: list[str]) -> Engine:
        """This engine with texts encoded beforehand in one call (packed together), for one request's use."""
        view = copy.copy(self)
        view.encoder = Preencoded(self.encoder, texts)
        return view

    def role_at(self, ident: str) -> int | None:
        """The position of a role by its ESCO URI, also written with https or as the bare UUID (esco_position)."""
        return esco_position(self.artifact.role_pos, ident, "occupation")

    def skill_at(self, ident: str) -> int | None:
        """The position of a skill by its ESCO URI, also written with https or as the bare UUID (esco_position)."""
        return esco_position(self.artifact.skill_pos, ident, "skill")

    def credential_at(self, ident: str) -> int | None:
        """The position of a credential by its catalogue id, or by its own web address when no other credential has
        it (url_key: with http or https, "www." or not, a trailing slash, tracking parameters or a fragment)."""
        found = self.artifact.credential_pos.get(ident)
        if found is None and "/" in ident:
            found = self.credential_urls.get(url_key(ident))
        return found

    def prerequisites_of(self, pos: int) -> tuple[int, ...]:
        """Positions of the credentials that credential pos directly requires (in id order)."""
        return self.requires.get(pos, ())

    def skill(self, pos: int) -> Record:
        """Skill record at a position."""
        return self.artifact.skills[pos]

    def skill_ref(self, pos: int) -> Record:
        """The short form of the skill at a position (a new dict; kept apart from the records, so no record is read)."""
        ident, label, kind = self.skill_refs[pos]
        return {"id": ident, "label": label, "kind": kind}

    def credential_ref(self, pos: int) -> Record:
        """The short form of the credential at a position (a new dict)."""
        return dict(self.credential_refs[pos])

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


def skill_refs(artifact: Artifact) -> list[tuple[str, str, str]]:
    """(id, label, kind) of every skill, by position (kinds interned: there are few)."""
    return [(str(s["id"]), str(s["label"]), sys.intern(str(s.get("kind", "skill")))) for s in artifact.skills]


def language_idioms(artifact: Artifact) -> dict[str, Idiom]:
    """The ESCO language skills by their language's name: those ESCO also calls "competent in <language>", and those
    with an "interact verbally in <language>" skill (ESCO gives Spanish, Dutch and Portuguese no "competent in")."""
    labels = {str(s["label"]) for s in artifact.skills}
    return {str(s["label"]): Idiom(str(s["label"]), str(s["id"]), str(s["label"])) for s in artifact.skills
            if f"competent in {s['label']}" in s.get("alt_labels", [])
            or f"interact verbally in {s['label']}" in labels}


def skill_languages(artifact: Artifact, refs: list[tuple[str, str, str]]) -> dict[int, re.Pattern[str]]:
    """Per language skill's position (its language's own skill, ESCO's "competent in <language>", or one whose label
    ends with that language: "write Irish", "interact verbally in Irish", "aviation English"; not "traditional Chinese
    medicine"), a pattern of the language's name as a word. refs: the skills' short forms (skill_refs)."""
    names = [str(s["label"]) for s in artifact.skills if f"competent in {s['label']}" in s.get("alt_labels", [])]
    if not names:
        return {}
    pattern = re.compile(r"\b(" + "|".join(sorted(map(re.escape, names), key=len, reverse=True)) + r")$")
    found = ((pos, pattern.search(label)) for pos, (_, label, _) in enumerate(refs))
    return {pos: re.compile(rf"\b{re.escape(m.group(1))}\b", re.IGNORECASE) for pos, m in found if m}


CREDENTIAL_REF = ("id", "name", "provider", "hours", "level", "url", "type", "cost", "certificate_cost", "language")


PROVIDER_WORD_SHARE = 3  # a word of at most this many providers' names tells them apart ("HRCI", "Harvard")


def provider_words(credentials: Sequence[Record]) -> dict[str, frozenset[str]]:
    """The distinctive words of the credential providers' names (two letters or more, in at most PROVIDER_WORD_SHARE
    providers' names, not a platform's such as "Coursera"), case-folded, each with the providers whose name has it."""
    providers = {str(c.get("provider", "")).casefold() for c in credentials} - {""}
    platforms = {w for c in credentials for w in re.findall(r"[^\W\d_]{2,}", str(c.get("source", "")).casefold())}
    found: dict[str, set[str]] = {}
    for provider in providers:
        for word in set(re.findall(r"[^\W_]{2,}", provider)) - platforms:
            found.setdefault(word, set()).add(provider)
    return {w: frozenset(p) for w, p in found.items() if len(p) <= PROVIDER_WORD_SHARE}


ESCO_BASE = "http://data.europa.eu/esco/"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)


def esco_position(positions: Mapping[str, int], ident: str, kind: str) -> int | None:
    """A position by id as given, else by the ESCO URI it spells otherwise: with https, in capitals, with a
    trailing slash, or as the bare UUID of that kind ("258e46f9-0075-4a2e-adae-1ff0477e0f30")."""
    found = positions.get(ident)
    if found is not None:
        return found
    base, _, tail = ident.rstrip("/").rpartition("/")
    esco = base.lower().removeprefix("https://").removeprefix("http://") == f"{ESCO_BASE[7:]}{kind}"
    if not UUID.fullmatch(tail) or not (esco or not base):
        return None
    return positions.get(f"{ESCO_BASE}{kind}/{tail.lower()}")


def url_key(url: str) -> str:
    """A web address as credentials are looked up by it: lower case, without its scheme, "www.", fragment, trailing
    slash or tracking parameters ("utm_..."), the other query parameters kept in order ("https://www.edx.org/course/
    x/?utm_source=mail" -> "edx.org/course/x"; "course.php?id=1" stays apart from "course.php?id=2")."""
    parts = urllib.parse.urlsplit(url.strip().lower())
    host = parts.netloc.removeprefix("www.")
    query = sorted((k, v) for k, v in urllib.parse.parse_qsl(parts.query) if not k.startswith("utm_"))
    key = f"{host}{parts.path.rstrip('/')}"
    return f"{key}?{urllib.parse.urlencode(query)}" if query else key


def credential_urls(refs: list[Record]) -> dict[str, int]:
    """Credential positions by their web address (url_key), for the addresses that name one credential only."""
    found: dict[str, list[int]] = {}
    for pos, ref in enumerate(refs):
        if ref.get("url"):
            found.setdefault(url_key(ref["url"]), []).append(pos)
    return {key: positions[0] for key, positions in found.items() if len(positions) == 1}


def credential_ref(cred: Record) -> Record:
    """The short form of a credential used in answers."""
    return {k: cred.get(k) for k in CREDENTIAL_REF}


def folded(text: str) -> str:
    """Case- and space-folded text."""
    return " ".join(text.casefold().split())
