"""Learner resolution: badges (ids, titles, Open Badges) and skills (ids or text) become held skills."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from .. import calibration
from ..credentials.openbadges import Badge
from ..index import EXACT, Hit
from ..schemas import Learner
from . import target
from .core import Engine, Record, taught_skills
from .target import read_with_acronyms, with_readings
from .text import KIND_WORDS, badge_name, is_vetting, says_nothing, singular_acronyms

BADGE_FACTOR = {"verified": 1.0, "unverified": 0.8}
"""Held-confidence factor of an Open Badge by verification status; failed badges are not counted at all."""

ESCO_SKILL = ("http://data.europa.eu/esco/skill/", "https://data.europa.eu/esco/skill/")
BADGES = "/learner/badges"


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


class Reading(NamedTuple):
    """A free text's best skill (max over label, alt label and description rows), and the reading with its acronyms
    written out when that scored higher and was used instead ("KPI reporting" read as "key performance indicator (KPI)
    reporting": track key performance indicators, not journalism)."""

    hits: list[Hit]
    written_out: str | None


def read_texts(engine: Engine, texts: list[str]) -> tuple[np.ndarray, list[Reading]]:
    """The vectors of texts as typed (as_typed: acronym plurals singular, a short word that is a known acronym in
    capitals), and each one's best skill: read by its subject (skill_subject: no qualification words, nothing for a
    check the learner holds), as written and with its known acronyms written out (target.written_variants), in one
    encode call and one search; the higher-scoring reading wins, and an exact name other skills share goes to the
    closest of them (exact_ties)."""
    typed = [as_typed(engine, t) for t in texts]
    subjects = [skill_subject(t) for t in typed]
    readable = [i for i, subject in enumerate(subjects) if subject]
    found: dict[int, list[Hit]] = {}
    spelled: dict[int, str] = {}
    if readable:  # every text may be a bare qualification or a check ("DBS check"): nothing to read
        read = read_with_acronyms(engine, [subjects[i] for i in readable],
                                  lambda vectors: engine.search_skills(vectors, 1))
        spelled = {readable[index]: text for index, (_, text) in read.written.items()}
        found = dict(zip(readable, read.hits, strict=True))
        found.update(exact_ties(engine, found, {readable[row]: vector for row, vector in enumerate(read.vectors)
                                                if row < len(readable) and readable[row] not in spelled}))
    readings = [Reading(found.get(index, []), spelled.get(index)) for index in range(len(texts))]
    vectors = read.vectors[: len(texts)] if readable and subjects == typed else engine.encode(typed)
    return vectors, readings


TIES = 4  # skills looked at for others named the same way


def exact_ties(engine: Engine, found: dict[int, list[Hit]], vectors: dict[int, np.ndarray]) -> dict[int, list[Hit]]:
    """Texts (by index) whose best skill is an exact name that other skills share ("maths" is an alt label of both
    *geometry* and *mathematics*), held as the one whose own label reads most like the text (vectors: the texts'
    own); otherwise the search's order decided."""
    exact = [i for i, hits in found.items() if i in vectors and hits and hits[0].score >= EXACT]
    out: dict[int, list[Hit]] = {}
    if not exact:
        return out
    for i, hits in zip(exact, engine.search_skills(np.stack([vectors[i] for i in exact]), TIES), strict=True):
        name = found[i][0].text.casefold()
        tied = [h for h in hits if h.score >= EXACT and h.text.casefold() == name]
        if len(tied) > 1:
            closeness = engine.skill_vectors[[h.owner for h in tied]] @ vectors[i]
            out[i] = [tied[int(np.argmax(closeness))]]
    return out


# A learner's text that names a qualification is read by its subject: the words of the qualification pulled the
# reading to other skills ("Google Data Analytics Professional Certificate" was *register deeds* by "register legal
# certificates", "NVQ Level 3" *N1QL*, "Care Certificate" *provide domestic care*; "Excel certification" scored 0.57
# against 0.87 for "Excel"). Its kind words go wherever they are (QUALIFICATION); a level ("Level 3") only beside
# one of them, and a licence or card only at the end ("Forklift licence", "CSCS card"): "Level 3 support", "card
# sorting" and "licence compliance" are skills. A text that is only a qualification holds no skill, and nor does a
# check the learner holds (held_check: "DBS check" was *use databases*). South African, West African and Canadian
# awards too: "NQF Level 4" was *N1QL*, "Matric (Grade 12)" *MATLAB*, "Red Seal Endorsement" *real estate
# underwriting* (a demanding user, session 24).
QUALIFICATION = re.compile(
    # an Australian qualification's level first: "Certificate III in ...", "Cert IV in ..."
    r"\b(?:certificates?|certs?)\s+(?:i{1,3}|iv|vi?)\b(?:\s+(?:in|of|for|on))?\b|"
    r"\b(?:driver (?:cpc|certificate of professional competence)|(?:professional |advanced |national |higher "
    r"national |foundation |(?:national )?senior )?(?:certificates?|certifications?|diplomas?|degrees?)|certified|"
    r"nvq|svq|btec|hnd|hnc|gcses?|a[- ]levels?|o[- ]levels?|qqi|nqf(?:\s*\d+)?|saqa|matric(?:ulation)?|waec|wassce|"
    r"ged|red seal(?: endorsement)?)"
    r"(?:\s+(?:in|of|for|on))?\b",
    re.IGNORECASE,
)
LEVEL = re.compile(r"\b(?:level|lvl|grade)\s*\d+\b", re.IGNORECASE)  # "NQF Level 4", "Matric (Grade 12)"
TRAILING_KIND = re.compile(r"\s+(?:licen[cs]es?|cards?)\s*$", re.IGNORECASE)
# A check the learner has passed, not the work of running checks ("pre-employment screening", "security clearance
# vetting" are HR and vetting officers' skills).
CHECK_WORK = re.compile(r"\b(?:screening|(?<!garda )(?<!police )vetting|sponsorship|visas?|permits?|immigration)\b",
                        re.IGNORECASE)  # "Visa sponsorship" is HR work; "Stamp 4" a status held
SUBJECTS = True


def held_check(text: str) -> bool:
    """Whether a learner's text names a background check they hold (text.is_vetting), not the work of checking."""
    return is_vetting(text) and not CHECK_WORK.search(text)


def skill_subject(text: str) -> str:
    """What a learner's text says they can do, to be matched to a skill: the text without the words of a
    qualification (QUALIFICATION, LEVEL, TRAILING_KIND), and nothing for a check they hold (held_check) or a text
    that is only a qualification."""
    if not SUBJECTS:
        return text
    if held_check(text):
        return ""
    subject = QUALIFICATION.sub(" ", text)
    if subject != text:
        subject = LEVEL.sub(" ", subject)
    subject = TRAILING_KIND.sub("", subject)
    if subject == text:
        return text
    subject = re.sub(r"^[\s,:;/&()\[\]-]*(?:(?:in|of|for|on|and)\b[\s,:;/&()\[\]-]*)*|[\s,:;/&(\[-]+$", "",
                     " ".join(subject.split()))
    for opening, closing in ("()", "[]"):  # "... Support (Ageing)" keeps its own bracket
        while subject.endswith(closing) and subject.count(closing) > subject.count(opening):
            subject = subject[:-1].rstrip()
    return subject if any(c.isalpha() for c in subject) else ""


def unread(text: str) -> str:
    """Why a learner's text held no skill, when it was not read at all (skill_subject of the text as typed), for its
    warning; empty when it was read."""
    if not SUBJECTS or skill_subject(singular_acronyms(text)):
        return ""
    return "is a background check, not a skill" if held_check(text) else \
        "names a qualification but not what it taught: name the skills instead"


# Two different one-word texts are near for MiniLM by their spelling as much as by their sense ("tachograph" met
# *tattoo* at 0.61, "triage" *trigonometry* at 0.60, "Jira" *Bangla* at 0.55): a learner's one word (its subject:
# "tachograph card" too) matched to another one word counts from ONE_WORD_SKILL.
ONE_WORD_SKILL = 0.70


def skill_bar(text: str, hit: Hit, bar: float) -> float:
    """The score a learner's text must reach to hold the skill of hit: bar, or ONE_WORD_SKILL for one word (of its
    subject) matched to another."""
    word, matched = (skill_subject(text) or text).strip().casefold(), hit.text.strip().casefold()
    if " " not in word and " " not in matched and word != matched:
        return max(bar, ONE_WORD_SKILL)
    return bar


# Short words that are also acronyms of the table, which a learner means as words.
WORDS_NOT_ACRONYMS = frozenset({"aim", "cat", "pet", "hit", "did", "odd", "med", "led", "ice", "act", "art", "bar",
                                "set", "sap", "mig", "ate", "ram", "tag", "web", "van", "vet", "eat", "ear", "map"})


def as_typed(engine: Engine, text: str) -> str:
    """A learner's text as the model should read it: acronym plurals singular (text.singular_acronyms: "SOPs" is not
    "sops"), and one short word that is a known acronym in capitals ("pos", "bls"; MiniLM has no case, so "pos" met
    ESCO's "POS", *proof of stake*, at 1.0, while the table writes "POS" out as point of sale)."""
    word = text.strip()
    if 2 <= len(word) <= 6 and word.isalnum() and not word.isupper() and word.lower() not in WORDS_NOT_ACRONYMS \
            and word.upper() in engine.acronyms:
        return word.upper()
    return singular_acronyms(text)


def with_reading(source: Record, reading: Reading) -> Record:
    """A held skill's source, naming the reading with acronyms written out when that was the one matched."""
    return {**source, "written_out": reading.written_out} if reading.written_out else source


def hold_credential(engine: Engine, held: Holdings, pos: int, confidence: float, via: Record | None = None) -> int:
    """Hold a catalogue credential and every skill a path may claim it teaches (Engine.claimed; via: the badge it was
    read from); how many skills it holds through it."""
    cred = engine.credential(pos)
    taught = [(spos, item) for item in taught_skills(cred, engine.claimed[pos])
              if (spos := engine.artifact.skill_pos.get(item["id"])) is not None]
    if pos in held.credentials and held.credentials[pos]["confidence"] >= confidence:
        return len(taught)
    held.credentials[pos] = {"id": cred["id"], "name": cred["name"], "confidence": round(confidence, 4)}
    for spos, item in taught:
        entry = {**engine.skill_ref(spos), "confidence": round(confidence, 4),
                 "source": {"credential": cred["id"], "matched_text": item.get("matched_text"), **(via or {})}}
        held.hold_skill(spos, entry)
    return len(taught)


def teaches_nothing_surely(engine: Engine, pos: int, badge: str, pointer: str) -> Record:
    """Warning for a badge held as a catalogue credential none of whose skills is aligned surely enough to hold."""
    return {"code": "credential_teaches_no_known_skill", "pointer": pointer,
            "detail": f"badge {badge!r} is the catalogue credential {engine.credential(pos)['name']!r}, but none of "
                      f"its skills is aligned surely enough to count as held"}


def resolve_badges(engine: Engine, badges: list[str | Badge], held: Holdings, base: str = BADGES) -> None:
    """Strings are ids or titles; Open Badges are resolved from their name and alignments. The warnings follow the
    badges' order."""
    before = len(held.warnings)
    resolve_strings(engine, [(i, b) for i, b in enumerate(badges) if isinstance(b, str)], held, base)
    resolve_documents(engine, [(i, b) for i, b in enumerate(badges) if isinstance(b, Badge)], held, base)
    held.warnings[before:] = sorted(held.warnings[before:], key=lambda w: badge_index(w, base))


def badge_index(warning: Record, base: str) -> int:
    """The badge a warning points into (its pointer is base/<index>...), or -1."""
    head = str(warning.get("pointer", "")).removeprefix(base + "/").split("/")[0]
    return int(head) if head.isdigit() else -1


def resolve_strings(engine: Engine, badges: list[tuple[int, str]], held: Holdings, base: str) -> None:
    """Catalogue ids and credentials' own web addresses are held as such; free text matches a credential or, failing
    that, a skill."""
    positions = [engine.credential_at(b) for _, b in badges]
    texts = [(i, b) for (i, b), pos in zip(badges, positions, strict=True) if pos is None]
    for (i, badge), pos in zip(badges, positions, strict=True):
        if pos is not None:
            if not hold_credential(engine, held, pos, 1.0):
                held.warnings.append(teaches_nothing_surely(engine, pos, badge, f"{base}/{i}"))
            held.badges.append({"index": i, "input": badge, "resolved": "credential",
                                "credential": engine.credential_refs[pos]["id"], "confidence": 1.0})
    readable = [t for _, t in texts if not says_nothing(t)]
    if not readable:
        found: Iterator[tuple[list[Hit], Reading]] = iter(())
    else:
        vectors, readings = read_texts(engine, readable)
        found = iter(zip(best_names(engine, readable, vectors), readings, strict=True))
    for index, text in texts:  # in badge order, so the warnings are too
        if says_nothing(text):
            held.badges.append({"index": index, "input": text, "resolved": "unmatched"})
            held.warnings.append({"code": "badge_unmatched", "pointer": f"{base}/{index}",
                                  "detail": f"badge {text!r} names no credential or skill"})
            continue
        chits, reading = next(found)
        if chits and chits[0].score >= calibration.BADGE_MATCH:
            if not hold_credential(engine, held, chits[0].owner, chits[0].score):
                held.warnings.append(teaches_nothing_surely(engine, chits[0].owner, text, f"{base}/{index}"))
            cid = engine.credential(chits[0].owner)["id"]
            held.badges.append({"index": index, "input": text, "resolved": "credential", "credential": cid,
                                "confidence": round(chits[0].score, 4)})
        elif looks_like_id(text):
            held.warnings.append({"code": "unknown_badge", "detail": f"badge id {text!r} is not in the catalogue",
                                  "pointer": f"{base}/{index}"})
            held.badges.append({"index": index, "input": text, "resolved": "unknown"})
        else:
            resolve_badge_as_skill(engine, held, index, text, reading, base)


BADGE_NAMES = True  # a badge title is also read without its issuer in brackets and its kind (best_names)
BADGE_NAME_MATCH = 0.95  # a badge title without its dressing must name a credential this nearly (or its provider)


def best_names(engine: Engine, badges: list[str], vectors: np.ndarray) -> list[list[Hit]]:
    """Each badge title's nearest catalogue credential by name: as written (vectors), or without its platform, issuer
    and kind (text.badge_name: "Talent Acquisition (HRCI)", "IBM Data Science Professional Certificate") when that
    scores higher and is sure (sure_name)."""
    hits = engine.search_credentials(vectors, 1, names_only=True)
    names = [(i, dressed) for i, badge in enumerate(badges) if BADGE_NAMES and (dressed := badge_name(badge))]
    if names:
        named = engine.search_credentials(engine.encode([name for _, (name, _) in names]), 1, names_only=True)
        for (i, (_, dressing)), found in zip(names, named, strict=True):
            if found and sure_name(engine, found[0], dressing) and (not hits[i] or found[0].score > hits[i][0].score):
                hits[i] = found
    return hits


def sure_name(engine: Engine, hit: Hit, dressing: str) -> bool:
    """Whether an undressed badge title's match holds: when what was taken off names catalogue providers (by their
    distinctive words), the credential's must be one of them ("Graphic Design (Xbox)" is not Adobe's course); else
    the name must match nearly exactly (BADGE_NAME_MATCH)."""
    words = {w.casefold() for w in re.findall(r"[^\W_]+", KIND_WORDS.sub(" ", dressing))}
    named = {p for w in words for p in engine.provider_words.get(w, ())}
    if named:
        return str(engine.credential(hit.owner).get("provider", "")).casefold() in named
    return hit.score >= BADGE_NAME_MATCH


def resolve_badge_as_skill(
    engine: Engine, held: Holdings, index: int, text: str, reading: Reading, base: str = BADGES
) -> None:
    """A badge title that matches no credential is read as a skill description, and the answer says so: the skill of
    a posting phrasing it holds ("Full UK Driving Licence") unless a skill matches as well as IDIOM_SCORE, else its
    best match; or the skill of the software tool it names ("HashiCorp Terraform Associate"), as its category matched
    that skill, unless a skill matches as well as IDIOM_SCORE."""
    hits = reading.hits
    phrasing = next(iter(target.phrasings(engine, text)), None)
    tool = next(iter(engine.tools.in_text(text)), None) if target.TOOLS else None
    best: tuple[int, float, Record] | None = None
    sure = bool(hits) and hits[0].score >= target.IDIOM_SCORE
    if phrasing is not None and not sure:
        best = (engine.artifact.skill_pos[phrasing[1].skill_id], target.IDIOM_SCORE,
                {"badge_text": text, "idiom": phrasing[0]})
    elif tool is not None and tool.skill_id in engine.artifact.skill_pos and not sure:
        best = (engine.artifact.skill_pos[tool.skill_id], round(tool.score, 4),
                {"badge_text": text, "matched": tool.matched, "tool": tool.described()})
    elif hits and hits[0].score >= skill_bar(text, hits[0], calibration.FREE_SKILL):
        best = (hits[0].owner, round(hits[0].score, 4), with_reading({"badge_text": text}, reading))
    if best is not None:
        spos, confidence, source = best
        held.hold_skill(spos, {**engine.skill_ref(spos), "confidence": confidence, "source": source})
        held.badges.append({"index": index, "input": text, "resolved": "skill", "skill": engine.skill(spos)["id"],
                            "confidence": confidence})
        held.warnings.append({"code": "badge_read_as_skill", "pointer": f"{base}/{index}",
                              "detail": f"badge {text!r} matched no catalogue credential; read as skill "
                                        f"{engine.skill(spos)['label']!r}"})
    else:
        held.badges.append({"index": index, "input": text, "resolved": "unmatched"})
        why = unread(text) or "matched no credential or skill well enough"
        held.warnings.append({"code": "badge_unmatched", "pointer": f"{base}/{index}",
                              "detail": f"badge {text!r} {why}"})


def looks_like_id(text: str) -> bool:
    """Whether a string is meant as an identifier (URI or slug) rather than a title."""
    return text.startswith(("http://", "https://", "urn:")) or (" " not in text and "-" in text and text.islower())


def resolve_skills(engine: Engine, skills: list[str], held: Holdings) -> None:
    """ESCO URIs are held directly; free text resolves to the nearest skill above the threshold."""
    texts: list[tuple[int, str]] = []
    for i, text in enumerate(skills):
        pos = engine.skill_at(text)
        if pos is not None:
            held.hold_skill(pos, {**engine.skill_ref(pos), "confidence": 1.0, "source": {"skill": text}})
        elif text.startswith(("http://", "https://")):
            held.warnings.append({"code": "unknown_skill", "pointer": f"/learner/skills/{i}",
                                  "detail": f"skill id {text!r} is not in the taxonomy"})
        elif says_nothing(text):
            held.warnings.append({"code": "skill_unmatched", "pointer": f"/learner/skills/{i}",
                                  "detail": f"skill {text!r} names no skill"})
        else:
            texts.append((i, text))
    if texts:
        _, readings = read_texts(engine, [t for _, t in texts])
        for (i, text), reading in zip(texts, readings, strict=True):
            parts = slashed(text)
            if not hold_free_skill(engine, held, i, text, reading, quiet=bool(parts)) and parts:
                hold_slashed(engine, held, i, text, parts)


SLASHED = re.compile(r"[^\W_][\w.+#&-]*(?:/[^\W_][\w.+#&-]*)+")  # "BLS/CPR", "Excel/Word", not "A/B testing"


def slashed(text: str) -> list[str]:
    """The parts of a learner's text that is words joined by slashes and nothing else ("BLS/CPR"), or []."""
    word = text.strip()
    return word.split("/") if SLASHED.fullmatch(word) else []


def hold_slashed(engine: Engine, held: Holdings, index: int, text: str, parts: list[str]) -> None:
    """A slashed text that held nothing as a whole is read by its parts (slashed: "BLS/CPR" had been unmatched while
    "BLS" and "CPR" each name a skill), each held under the text's pointer; one warning if none is."""
    _, readings = read_texts(engine, parts)
    held_any = [hold_free_skill(engine, held, index, part, reading, quiet=True)
                for part, reading in zip(parts, readings, strict=True)]
    if not any(held_any):
        held.warnings.append({"code": "skill_unmatched", "pointer": f"/learner/skills/{index}",
                              "detail": f"skill {text!r} matched no ESCO skill well enough"})


# A free-text skill held below this score is held, and the answer says how weakly ("cycle counts" was *bicycle
# mechanics* at 0.63, "DOT regulations" *constitutional law*, with no word of it; a second demanding user).
WEAK_READ = 0.70


def hold_free_skill(engine: Engine, held: Holdings, index: int, text: str, reading: Reading,
                    quiet: bool = False) -> bool:
    """Hold the best skill for a free-text skill, or warn that none matched (unless quiet); whether it held one. A
    text holding posting phrasings ("Full UK driving licence") holds each one's skill at IDIOM_SCORE, and its best
    match only when that scores as well (the rest of such a text matched weakly: "Line management" also read as
    *monitor conveyor belt* at 0.70)."""
    hits = reading.hits
    phrased, mentioned, whole = hold_phrasings(engine, held, text, 1.0, {"skill_text": text})
    bar = target.IDIOM_SCORE if phrased else calibration.FREE_SKILL
    if whole:
        return True  # "forklift driving" is *operate forklift* alone
    if hits and hits[0].score >= skill_bar(text, hits[0], bar):
        spos = hits[0].owner
        held.hold_skill(spos, {**engine.skill_ref(spos), "confidence": round(hits[0].score, 4),
                               "source": with_reading({"skill_text": text, "matched": hits[0].text}, reading)})
        if hits[0].score < WEAK_READ:
            held.warnings.append({"code": "skill_read_weakly", "pointer": f"/learner/skills/{index}",
                                  "detail": f"skill {text!r} was read as {engine.skill(spos)['label']!r} at "
                                            f"{hits[0].score:.2f} (held); name the skill if that is not it"})
        return True
    if not mentioned and not quiet:
        held.warnings.append({"code": "skill_unmatched", "pointer": f"/learner/skills/{index}",
                              "detail": f"skill {text!r} {unread(text) or 'matched no ESCO skill well enough'}"})
    return mentioned is not None


def resolve_learner(engine: Engine, learner: Learner) -> Holdings:
    """All the learner holds, with warnings for anything not understood."""
    held = Holdings()
    resolve_badges(engine, learner.badge_items(), held)
    resolve_skills(engine, learner.skills, held)
    held.badges.sort(key=lambda b: b["index"])
    return held


def learner_texts(engine: Engine, learner: Learner) -> list[str]:
    """The free text resolving learner will encode: badge titles that are not catalogue ids or credentials' web
    addresses, and free-text skills."""
    badges = [b for b in learner.badge_items()
              if isinstance(b, str) and engine.credential_at(b) is None and not says_nothing(b)]
    skills = [s for s in learner.skills if engine.skill_at(s) is None
              and not s.startswith(("http://", "https://")) and not says_nothing(s)]
    names = [found[0] for b in badges if BADGE_NAMES and (found := badge_name(b))]
    typed = [as_typed(engine, t) for t in [*badges, *skills]]
    subjects = [subject for t in typed if (subject := skill_subject(t)) and subject != t]  # read_texts reads them
    return [*with_readings(engine, typed[: len(badges)]), *names, *with_readings(engine, typed[len(badges):]),
            *with_readings(engine, subjects)]


def resolve_documents(engine: Engine, badges: list[tuple[int, Badge]], held: Holdings, base: str) -> None:
    """Report every Open Badge; count those that did not fail and say something to match."""
    counted: list[tuple[Record, Badge]] = []
    for index, badge in badges:
        entry = {"index": index, "badge": badge.report(), "verification": badge.verification.report()}
        held.badges.append(entry)
        status = badge.verification.status
        if status == "failed":
            entry["resolved"] = "not_counted"
            code = "badge_expired" if badge.expired else "badge_failed"
            held.warnings.append({"code": code, "pointer": f"{base}/{index}", "detail": f"badge {badge.name!r} "
                                  f"failed verification ({badge.verification.reason}); not counted"})
        elif badge.name is None:
            entry["resolved"] = "unmatched"
            held.warnings.append({"code": "badge_not_fetched", "pointer": f"{base}/{index}",
                                  "detail": f"badge could not be read offline: {'; '.join(badge.notes)}"})
        else:
            counted.append((entry, badge))
    if counted:
        match_documents(engine, counted, held, base)


def esco_target(alignment: dict[str, str]) -> str | None:
    """The ESCO skill URI an alignment names in targetUrl or targetCode, normalised to http."""
    for key in ("url", "code"):
        value = alignment.get(key, "")
        if value.startswith(ESCO_SKILL):
            return ESCO_SKILL[0] + value.split("/skill/", 1)[1].rstrip("/")
    return None


def known_target(engine: Engine, alignment: dict[str, str]) -> bool:
    """Whether an alignment names an ESCO skill of the taxonomy (else its words are matched)."""
    uri = esco_target(alignment)
    return uri is not None and uri in engine.artifact.skill_pos


def alignment_text(alignment: dict[str, str]) -> str | None:
    """The words an alignment offers for text matching: its name, and its description when given."""
    words = [alignment[k] for k in ("name", "description") if alignment.get(k)]
    return ": ".join(words) if words else None


def match_documents(engine: Engine, counted: list[tuple[Record, Badge]], held: Holdings, base: str) -> None:
    """Names match credentials (as badge titles do: best_names, so "Google Data Analytics Professional Certificate"
    is that course); ESCO alignments are declared skills; other alignments and names match skills."""
    texts = [b.name or "" for _, b in counted]
    for _, badge in counted:
        texts += [t for a in badge.alignments if not known_target(engine, a) and (t := alignment_text(a))]
    vectors, readings = read_texts(engine, texts)
    creds = best_names(engine, texts[: len(counted)], vectors[: len(counted)])  # as a badge title typed is
    hits = dict(zip(texts, readings, strict=True))
    for (entry, badge), cred_hits, name_hits in zip(counted, creds, readings[: len(counted)], strict=True):
        match_document(engine, held, entry, badge, cred_hits, name_hits, hits, base)


def match_document(engine: Engine, held: Holdings, entry: Record, badge: Badge, cred_hits: list[Hit],
                   name_hits: Reading, hits: dict[str, Reading], base: str) -> None:
    """Resolve one counted badge and record what it resolved to."""
    factor, pointer = BADGE_FACTOR[badge.verification.status], f"{base}/{entry['index']}"
    via = {"badge": badge.name, "verification": badge.verification.status}
    aligned = (hold_alignment(engine, held, a, factor, via, hits, pointer) for a in badge.alignments)
    entry["skills"] = [s for s in aligned if s]
    if cred_hits and cred_hits[0].score >= calibration.BADGE_MATCH:
        if not hold_credential(engine, held, cred_hits[0].owner, cred_hits[0].score * factor, via) \
                and not entry["skills"]:
            held.warnings.append(teaches_nothing_surely(engine, cred_hits[0].owner, badge.name or "", pointer))
        entry.update(resolved="credential", credential=engine.credential(cred_hits[0].owner)["id"],
                     confidence=round(cred_hits[0].score * factor, 4))
        return
    if not entry["skills"]:
        found = hold_text(engine, held, badge.name or "", factor, {**via, "badge_text": badge.name}, name_hits)
        entry["skills"] = [found] if found else []
        code, verb = ("badge_read_as_skill", "was read as a skill") if found else ("badge_unmatched", "matched nothing")
        held.warnings.append({"code": code, "pointer": pointer,
                              "detail": f"badge {badge.name!r} matched no catalogue credential and {verb}"})
    entry["resolved"] = "skills" if entry["skills"] else "unmatched"


def hold_alignment(engine: Engine, held: Holdings, alignment: dict[str, str], factor: float, via: Record,
                   hits: dict[str, Reading], pointer: str) -> Record | None:
    """An ESCO alignment is a declared skill; any other is matched by its text, and so is one naming an ESCO URI the
    taxonomy lacks (a typo, another ESCO version), with a warning."""
    uri = esco_target(alignment)
    pos = engine.artifact.skill_pos.get(uri) if uri else None
    if pos is not None:
        entry = {**engine.skill_ref(pos), "confidence": round(factor, 4),
                 "source": {**via, "alignment": uri, "declared": True}}
        held.hold_skill(pos, entry)
        return entry
    words = alignment_text(alignment)
    if uri:
        held.warnings.append({"code": "unknown_skill", "pointer": pointer, "detail": f"aligned skill {uri!r} is not "
                              "in the taxonomy" + ("; its words are read instead" if words else "")})
        if not words:
            return None
    source = {**via, "alignment": words, **({"unknown_target": uri} if uri else {})}
    found = hold_text(engine, held, words or "", factor, source, hits.get(words or "", Reading([], None)))
    if found is None:
        held.warnings.append({"code": "alignment_unmatched", "pointer": pointer,
                              "detail": f"alignment {words!r} matched no ESCO skill well enough"})
    return found


class Phrased(NamedTuple):
    """What hold_phrasings held of a text: the first entry of a phrasing, or of tools that are half the text's words
    or more (which a weaker reading of the text must not join); the first entry held at all; and whether the text is
    a phrasing word for word (target.whole_phrasing: read by it alone)."""

    first: Record | None = None
    mentioned: Record | None = None
    whole: bool = False


def hold_phrasings(engine: Engine, held: Holdings, text: str, factor: float, source: Record) -> Phrased:
    """Hold the skill of each posting phrasing a text holds (target.phrasings) and of each language it names with a
    level (target.with_languages) at IDIOM_SCORE scaled by factor, with the words in its source, and of each software
    tool it names (tools.ToolFinder.in_text: the whole text, in any case, or as a posting names one; "Terraform" is
    *tools for software configuration management*, as in a posting, not *maintain terrazzo*) as its category matched
    that skill."""
    first, mentioned = None, None
    tools = engine.tools.in_text(text) if target.TOOLS else []
    mostly = 2 * sum(len(t.written.split()) for t in tools) >= len(text.split())  # a whole name is all of it
    for tool in tools:
        if (spos := engine.artifact.skill_pos.get(tool.skill_id)) is not None:
            entry = {**engine.skill_ref(spos), "confidence": round(tool.score * factor, 4),
                     "source": {**source, "matched": tool.matched, "tool": tool.described()}}
            held.hold_skill(spos, entry)
            first = first or (entry if mostly else None)
            mentioned = mentioned or entry
    named = target.phrasings(engine, text)
    for written, idiom in target.with_languages(engine, text, named):  # "Business English (B2)" holds *English*
        spos = engine.artifact.skill_pos[idiom.skill_id]
        entry = {**engine.skill_ref(spos), "confidence": round(target.IDIOM_SCORE * factor, 4),
                 "source": {**source, "matched": idiom.label, "idiom": written}}
        held.hold_skill(spos, entry)
        first = first or entry
        mentioned = mentioned or entry
    return Phrased(first, mentioned, target.PHRASED_ONLY and target.whole_phrasing(text, named))


def hold_text(engine: Engine, held: Holdings, text: str, factor: float, source: Record,
              reading: Reading) -> Record | None:
    """Hold the skill a badge text matches, when its score, scaled by the badge's factor, clears FREE_SKILL; a text
    holding posting phrasings holds their skills, as a free-text skill does (hold_phrasings: an alignment named
    "QuickBooks" is *use accounting systems*, not *use word processing software* by "QuickOffice")."""
    hits = reading.hits
    phrased, mentioned, whole = hold_phrasings(engine, held, text, factor, source) if text else Phrased()
    bar = target.IDIOM_SCORE if phrased else calibration.FREE_SKILL
    if whole:
        return phrased
    if not text or not hits or hits[0].score * factor < skill_bar(text, hits[0], bar):
        return mentioned
    pos = hits[0].owner
    entry = {**engine.skill_ref(pos), "confidence": round(hits[0].score * factor, 4),
             "source": with_reading({**source, "matched": hits[0].text}, reading)}
    held.hold_skill(pos, entry)
    return entry
