"""Learner resolution: badges and skills (ids or free text) become held skills, with warnings."""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import calibration
from ..index import Hit
from ..schemas import Learner
from .core import Engine, Record, skill_ref


@dataclass
class Holdings:
    """What the learner holds: credentials and skills with where each came from."""

    credentials: dict[int, Record] = field(default_factory=dict)
    skills: dict[int, Record] = field(default_factory=dict)
    badges: list[Record] = field(default_factory=list)
    warnings: list[Record] = field(default_factory=list)

    def hold_skill(self, pos: int, entry: Record) -> None:
        """Record a held skill, keeping the most confident source."""
        if pos not in self.skills or entry["confidence"] > self.skills[pos]["confidence"]:
            self.skills[pos] = entry


def hold_credential(engine: Engine, held: Holdings, pos: int, confidence: float) -> None:
    """Hold a catalogue credential and every skill it is aligned to."""
    cred = engine.credential(pos)
    held.credentials[pos] = {"id": cred["id"], "name": cred["name"], "confidence": round(confidence, 4)}
    for item in cred.get("skills", []):
        spos = engine.artifact.skill_pos.get(item["id"])
        if spos is not None:
            entry = {**skill_ref(engine.skill(spos)), "confidence": round(confidence, 4),
                     "source": {"credential": cred["id"], "matched_text": item.get("matched_text")}}
            held.hold_skill(spos, entry)


def resolve_badges(engine: Engine, badges: list[str], held: Holdings) -> None:
    """Catalogue ids are held as such; free text matches a credential or, failing that, a skill."""
    texts = [(i, b) for i, b in enumerate(badges) if b not in engine.artifact.credential_pos]
    for i, badge in enumerate(badges):
        if badge in engine.artifact.credential_pos:
            hold_credential(engine, held, engine.artifact.credential_pos[badge], 1.0)
            held.badges.append({"index": i, "input": badge, "resolved": "credential", "credential": badge,
                                "confidence": 1.0})
    if not texts:
        return
    vectors = engine.encode([t for _, t in texts])
    cred_hits = engine.search_credentials(vectors, 1, names_only=True)
    skill_hits = engine.search_skills(vectors, 1)
    for (index, text), chits, shits in zip(texts, cred_hits, skill_hits, strict=True):
        if chits and chits[0].score >= calibration.BADGE_MATCH:
            hold_credential(engine, held, chits[0].owner, chits[0].score)
            cid = engine.credential(chits[0].owner)["id"]
            held.badges.append({"index": index, "input": text, "resolved": "credential", "credential": cid,
                                "confidence": round(chits[0].score, 4)})
        elif looks_like_id(text):
            held.warnings.append({"code": "unknown_badge", "detail": f"badge id {text!r} is not in the catalogue",
                                  "pointer": f"/learner/badges/{index}"})
            held.badges.append({"index": index, "input": text, "resolved": "unknown"})
        else:
            resolve_badge_as_skill(engine, held, index, text, shits)


def resolve_badge_as_skill(engine: Engine, held: Holdings, index: int, text: str, hits: list[Hit]) -> None:
    """A badge title that matches no credential is read as a skill description, and the answer says so."""
    if hits and hits[0].score >= calibration.FREE_SKILL:
        spos = hits[0].owner
        held.hold_skill(spos, {**skill_ref(engine.skill(spos)), "confidence": round(hits[0].score, 4),
                               "source": {"badge_text": text}})
        held.badges.append({"index": index, "input": text, "resolved": "skill", "skill": engine.skill(spos)["id"],
                            "confidence": round(hits[0].score, 4)})
        held.warnings.append({"code": "badge_read_as_skill", "pointer": f"/learner/badges/{index}",
                              "detail": f"badge {text!r} matched no catalogue credential; read as skill "
                                        f"{engine.skill(spos)['label']!r}"})
    else:
        held.badges.append({"index": index, "input": text, "resolved": "unmatched"})
        held.warnings.append({"code": "badge_unmatched", "pointer": f"/learner/badges/{index}",
                              "detail": f"badge {text!r} matched no credential or skill well enough"})


def looks_like_id(text: str) -> bool:
    """Whether a string is meant as an identifier (URI or slug) rather than a title."""
    return text.startswith(("http://", "https://", "urn:")) or (" " not in text and "-" in text and text.islower())


def resolve_skills(engine: Engine, skills: list[str], held: Holdings) -> None:
    """ESCO URIs are held directly; free text resolves to the nearest skill above the threshold."""
    texts: list[tuple[int, str]] = []
    for i, text in enumerate(skills):
        pos = engine.artifact.skill_pos.get(text)
        if pos is not None:
            held.hold_skill(pos, {**skill_ref(engine.skill(pos)), "confidence": 1.0, "source": {"skill": text}})
        elif text.startswith(("http://", "https://")):
            held.warnings.append({"code": "unknown_skill", "pointer": f"/learner/skills/{i}",
                                  "detail": f"skill id {text!r} is not in the taxonomy"})
        else:
            texts.append((i, text))
    if texts:
        hits = engine.search_skills(engine.encode([t for _, t in texts]), 1)
        for (i, text), found in zip(texts, hits, strict=True):
            hold_free_skill(engine, held, i, text, found)


def hold_free_skill(engine: Engine, held: Holdings, index: int, text: str, hits: list[Hit]) -> None:
    """Hold the best skill for a free-text skill, or warn that none matched."""
    if hits and hits[0].score >= calibration.FREE_SKILL:
        spos = hits[0].owner
        held.hold_skill(spos, {**skill_ref(engine.skill(spos)), "confidence": round(hits[0].score, 4),
                               "source": {"skill_text": text, "matched": hits[0].text}})
    else:
        held.warnings.append({"code": "skill_unmatched", "pointer": f"/learner/skills/{index}",
                              "detail": f"skill {text!r} matched no ESCO skill well enough"})


def resolve_learner(engine: Engine, learner: Learner) -> Holdings:
    """All the learner holds, with warnings for anything not understood."""
    held = Holdings()
    resolve_badges(engine, learner.badges, held)
    resolve_skills(engine, learner.skills, held)
    held.badges.sort(key=lambda b: b["index"])
    return held
