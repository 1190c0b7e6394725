"""Target resolution: a role id, a free-text title or a job description becomes weighted required skills."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any, NamedTuple

import numpy as np

from .. import calibration
from ..index import EXACT, Hit, VectorTable
from ..schemas import Target
from .acronyms import IN_TEXT, is_acronym, shouted, write_out
from .core import ALT, DESCRIPTION, LABEL, Engine, NotFound, Record, folded
from .idioms import Idiom, words
from .text import (
    BRACKETS,
    bare_generic,
    first_alternative,
    foreign_language,
    head_words,
    inside_brackets,
    known_titles,
    licence_title,
    marked_parts,
    mentions,
    singular_acronyms,
    singular_title,
    supervisor_title,
    title_candidates,
    title_variants,
    unlisted_languages_out,
)
from .tools import ToolHit

RELATION_WEIGHT = {"essential": 1.0, "optional": 0.5}
# The weights below were measured on the eval dev sets (docs/QUALITY.md; `python -m eval.ablations`).
ROLE_NEIGHBOURS = 10
ROLE_NEIGHBOUR_MARGIN = 0.2
# Neighbour roles weigh exp((score - best) / ROLE_TEMPERATURE): a role 0.1 below the best counts 1/e as much.
# 0 weighs them in proportion to their scores (before session 4), which spreads a title's profile almost evenly.
ROLE_TEMPERATURE = 0.1
# A skill's weight from the role profiles in the fusion (see fuse): 1 - exp(-ROLE_SHARE x profile importance). Until
# session 12 it was min(1, 1.5 x importance): a confident role's profile skills all capped at 1 and tied, and a
# blend's weaker ones fell under every phrase-extracted skill, so a long posting's stray matches ("write English",
# "consultation") ranked above its role's own skills. Skills MAP on the six posting sets, 1.5 capped -> 4 smooth:
# 0.368 / 0.266 / 0.300 / 0.363 / 0.313 / 0.266 -> 0.380 / 0.281 / 0.325 / 0.383 / 0.324 / 0.287; synthetic ads with
# the role hidden 0.592 (unchanged), known 0.789 -> 0.783; ESCO descriptions 0.439 -> 0.427. 6 smooth gains a little
# more on the postings (0.383 / 0.292 / 0.328 / 0.391 / 0.328 / 0.291) and costs the ESCO sets more (0.772, 0.412);
# 10 is lower on both. 2.5 capped: postings 0.359 / 0.277 / 0.324 / 0.379 / 0.326 / 0.278, ads 0.573 / 0.761.
ROLE_SHARE = 4.0
# The title's share of the role weights when a posting's text matches roles too (blend_roles). Session 1 chose 0.25 on
# the synthetic ESCO job ads. Session 12 raised it to 0.5 for real postings: skills MAP on the six hand-labelled sets
# 0.364 / 0.265 / 0.289 / 0.341 / 0.289 / 0.266 -> 0.368 / 0.265 / 0.299 / 0.358 / 0.311 / 0.265, and on the
# synthetic ads with their role known 0.751 -> 0.789; the synthetic ads whose role ESCO lacks lose (0.606 -> 0.592).
TITLE_SHARE = 0.5
PHRASES_MAX = 120
MENTIONS = True  # also match the list items named inside longer phrases
MATCHED_MAX = 240
MENTION_SKILL = 0.75
# A list item whose best skill scores under MENTION_SKILL but at least WEAK_ITEM (the bar a course's short skill tag
# must clear to align with a skill, calibration.ALIGN_TAG) still counts for a posting when a matched role's profile
# lists that skill: weak evidence, corroborated. 1 turns this off.
WEAK_ITEM = calibration.ALIGN_TAG
NAMED_ACRONYMS = True  # a phrase holding a skill's acronym label ("SQL") also names that skill (see matchable)
TOOLS = True  # also match named software tools (O*NET) to the ESCO skill of their category (see tools.py)
IDIOMS = True  # also read job-ad phrasings of common requirements ("driving licence"; see idioms.py)
LANGUAGES = True  # also read the languages a phrase asks for by name and level ("Fluent German (C1)"; idioms.py)
IDIOM_SCORE = 0.9  # a hand-written phrasing: surer than a list item at its bar (0.75), short of an exact label
PHRASED_ONLY = True  # a phrase that is mostly a phrasing takes no weaker skill match beside it (see phrased)
TITLE_VARIANTS = True  # also try a posted title's core and its abbreviations written out (text.title_variants)
ROLE_NAMES = True  # a phrase that is an occupation's name (a posting's title line) is not matched to skills
# A posting without a title is matched by its first line too when that reads as a title (text.title_lines) and its
# best role scores at least TITLE_LINE_MATCH, like a title sent with it; failing that, by the line after it when that
# reads as a title too (a company's name heads some postings). Held-out titles scoring under 0.55 have
# their role in the top 10 less than half the time (docs/QUALITY.md), and a company name or a place heading a
# posting scores 0.2-0.55.
TITLE_LINE = True
TITLE_LINE_MATCH = 0.55
# A posting whose opening lines hold no title may name it in a sentence ("We're looking for a Social Media Manager
# to ..."; text.named_titles). A title met in prose is used when its best role scores at least NAMED_TITLE_MATCH:
# held-out titles scoring 0.55-0.70 find their role first 39-46 % of the time, under the posting's opening words
# against role descriptions (about half of real postings); from 0.70, 64-97 % (docs/QUALITY.md, ROLE_MATCH bands).
NAMED_TITLE_MATCH = 0.70
# When no title line or named title clears its bar, the run of the posting's opening words (text.head_words) whose
# best role scores highest is its title if that is at least HEAD_WORDS_MATCH: a posting whose line breaks were lost.
# Over the eight posting sets run as one paragraph, role acc@1 rose 183 -> 190 of 250; the postings as written keep
# every role (docs/QUALITY.md, session 18).
HEAD_WORDS = True
HEAD_WORDS_MATCH = 0.80
ROLE_TEXT_WORDS = 80  # the posting's opening words meet the role descriptions (MiniLM was trained on 128 pieces)
PHRASE_HITS = 3
PHRASE_MARGIN = 0.05
LABEL_SHARE = 0.5
TITLE_LABEL_SHARE = 0.7
SKILL_DEPTH = 20
# A title that is exactly an occupation's alt title is blended like any other match instead of scoring 1: ESCO
# gives generic titles to specific occupations ("crew member": decksman; "laboratory technician": bacteriology
# technician; "security officer": security manager). A skill's alt label is a synonym and still scores as itself.
ALT_TITLE_BLEND = True
# ... but a title mapped to a role by hand (a reported US title, a posted title, a corrected trap title:
# core.HAND_MAPPED) is a person's judgement that boards mean that role by it, and scores as itself when a title is
# exactly it.
MAPPED_EXACT = True
TRAPS_WITHDRAWN = True  # a title exactly a trap title does not go to the roles it was withdrawn from (untrapped)
# A posting's required skills are weighed by their text support too (see supported): the best cosine of any of its
# phrases or list items to the skill's preferred label, at any score. 0 turns this off. Session 7 chose 0.2 on the
# synthetic job ads and the leave-one-out descriptions (fused MAP 0.593 -> 0.611 and 0.446 -> 0.449). Session 10
# raised it to 0.5 for real postings: on both hand-labelled sets MAP rises (0.355 -> 0.362, 0.243 -> 0.264), while
# the synthetic ads, whose gold is the occupation's profile, lose a little (0.611 -> 0.606; role known 0.764 ->
# 0.751) and the ESCO descriptions 0.449 -> 0.438 (docs/QUALITY.md, session 10).
SUPPORT_SHARE = 0.5
# A phrase or list item naming a known acronym ("HPLC method development") is also matched with the acronym written
# out, from the glossary of posting acronyms or from ESCO's own words ("high-performance liquid chromatography (HPLC)
# method development"), and that reading is kept when its best skill scores higher than the phrase's as posted
# (acronyms.py; docs/QUALITY.md, session 8).
ACRONYMS = True
# A title is also read with its acronyms written out (title_readings); the reading whose best role scores higher wins,
# as for the other title variants. The ESCO dev titles and the hand-labelled titles are unchanged by it (few name a
# known acronym); "BIM Coordinator", "HPLC Analyst" and "CBT Therapist" find their roles.
TITLE_ACRONYMS = True
# A text that is one acronym (a learner's "BLS", a posting's list item "POS") is read by its meaning in postings when
# the acronym table gives one and no skill named by the acronym means the same (posting_meaning, agreeing), else only
# by a skill name that holds it (names): MiniLM has no case and reads an acronym it does not know as a few letters
# ("BLS" was *sign language* at 0.73, "FIFO" *in-circuit test*, "POS" *proof of stake* at 1.0).
BARE_ACRONYMS = True
GLOSS_AGREES = 0.5


def role_ref(engine: Engine, pos: int, score: float | None = None) -> Record:
    """The short form of a role used in answers."""
    role = engine.role(pos)
    ref: Record = {"id": role["id"], "title": role["title"], "isco_code": role.get("isco_code")}
    if score is not None:
        ref["score"] = round(score, 4)
    return ref


def add_role_profile(engine: Engine, pos: int, weight: float, required: dict[int, Record]) -> None:
    """Add a role's essential and optional skills, each weighted by relation times the role's weight (summed)."""
    role = engine.role(pos)
    for item in role["skills"]:
        spos = engine.artifact.skill_pos[item["id"]]
        entry = required.get(spos)
        if entry is None:
            entry = required[spos] = new_requirement(engine, spos, item["relation"])
        entry["importance"] += RELATION_WEIGHT[item["relation"]] * weight
        if RELATION_WEIGHT[item["relation"]] > RELATION_WEIGHT.get(entry["relation"], 0.0):
            entry["relation"] = item["relation"]
        entry["evidence"].append(
            {"source": "role", "role_id": role["id"], "role_title": role["title"], "relation": item["relation"]}
        )


def new_requirement(engine: Engine, pos: int, relation: str) -> Record:
    """An empty required-skill entry."""
    return {**engine.skill_ref(pos), "pos": pos, "importance": 0.0, "relation": relation, "evidence": []}


def match_roles(engine: Engine, text: str, by_description: bool, k: int = 10) -> list[tuple[int, float]]:
    """Roles nearest a title (by titles) or a text (by descriptions), best first. A title is tried as posted, as its
    first segment and with its acronyms written out (title_readings); the reading whose best role scores higher
    wins."""
    if by_description:
        hits = engine.search_roles(engine.encode([text]), k, by_description=True)[0]
    else:
        hits = title_hits(engine, text, k)
    return [(h.owner, h.score) for h in hits]


def title_hits(engine: Engine, title: str, k: int) -> list[Hit]:
    """The roles nearest a title as match_roles ranks them, each with the row it matched: the hits of the reading
    (title_readings) whose best role scores highest."""
    readings = title_readings(engine, title)
    more = max(map(len, engine.trapped.values()), default=0) if TRAPS_WITHDRAWN else 0  # room for what untrapped drops
    found = mixed_search(engine.artifact.tables["roles"], engine.encode(readings), k + more, TITLE_LABEL_SHARE,
                         exact_alt=not ALT_TITLE_BLEND, exact_rows=exact_title_rows(engine))
    found = [untrapped(engine, readings, hits)[:k] for hits in found]
    return max(found, key=lambda best: best[0].score if best else -1.0)  # the first variant wins ties


def untrapped(engine: Engine, readings: list[str], hits: list[Hit]) -> list[Hit]:
    """A title's role hits (by any of its readings) without the roles a reading that is exactly a trap title is
    withdrawn from (core.trapped_roles): a recruiter posting "Teaching Assistant" does not mean a university's, and
    "IT Security Officer" read with its acronym written out is still no chief ICT security officer."""
    if not TRAPS_WITHDRAWN:
        return hits
    trapped = frozenset().union(*(engine.trapped.get(folded(reading), frozenset()) for reading in readings))
    return [h for h in hits if h.owner not in trapped] if trapped else hits


def title_readings(engine: Engine, title: str) -> list[str]:
    """The readings of a title matched against role titles: its variants (text.title_variants), the first of the
    alternatives a spaced slash joins in its last variant ("Welder / Fabricator": text.first_alternative), then its
    last variant with its known acronyms written out ("HPLC Analyst" -> "high-performance liquid chromatography
    (HPLC) Analyst": a chromatographer, not a data analyst), when it names one (see TITLE_ACRONYMS), and its last
    variant in the singular when it names its job in the plural (text.singular_title), and as a supervisor when it
    names a team or shift leader (text.supervisor_title), and as the truck or bus driver a driver's title names by
    its licence (text.licence_title: "CDL-A Driver")."""
    title = acronym_title(engine, title)
    variants = title_variants(title) if TITLE_VARIANTS else [title]
    more = [first_alternative(variants[-1]),
            write_out(variants[-1], engine.acronyms) if TITLE_ACRONYMS else None,
            singular_title(variants[-1]),
            supervisor_title(variants[-1]) or supervisor_title(variants[0]),
            licence_title(variants[min(1, len(variants) - 1)]) or licence_title(variants[0]),  # the core first
            comma_head(variants[-1]) if COMMA_READING else None]
    return list(dict.fromkeys([*variants, *(reading for reading in more if reading)]))


# A title whose department or specialism follows a comma ("UX Researcher, Digital Banking", "Drug Safety Associate,
# Pharmacovigilance") is also read as the part before it (comma_head); the best-scoring reading wins, as for the other
# readings. ESCO names some occupations so ("technical supervisor, asphalt production"), so the whole title is read as
# well; an inverted title's one-word head ("Chef, Pastry": *chef* exactly) is not read alone.
# Sixteen posting sets (service index), with the three title-line changes of session 27 (text.FIELDS_FIRST,
# BLURB_LOOKAHEAD, SKIP_SITE_HEAD): roles 417 -> 420 of 490 as written, skills MAP 0.3203 -> 0.3213; the two-word rule,
# from a code review, kept both (0.3214; docs/QUALITY.md, "Session 27").
COMMA_READING = True


def comma_head(title: str) -> str | None:
    """The part of a title before its first comma outside brackets ("UX Researcher, Digital Banking" -> "UX
    Researcher"), when it has two words or more: a one-word head names the job family of an inverted title ("Chef,
    Pastry", "Lecturer, Law", "Scientist, Data"), which the whole names better."""
    comma = next((m for m in re.finditer(", ", title) if not inside_brackets(title, m.start())), None)
    head = title[: comma.start()].strip() if comma else ""
    return head if len(head.split()) >= 2 and not bare_generic(head) else None


def exact_title_rows(engine: Engine) -> np.ndarray | None:
    """The role-table rows that score as themselves when a title is exactly one: those mapped by hand (MAPPED_EXACT)."""
    return engine.mapped_titles if MAPPED_EXACT else None


def acronym_title(engine: Engine, title: str) -> str:
    """A title that is one known acronym typed in lower case or with full stops, in capitals ("cna", "C.N.A." ->
    "CNA"): MiniLM has no case, and "cna" had met *milling machine operator* (by "CNC"), "C.N.A." a refrigeration
    technician; the acronym table is in capitals."""
    word = title.strip()
    bare = word.replace(".", "")
    typed = bare != word or bare.islower()  # full stops, or lower case
    if typed and bare.isalpha() and 2 <= len(bare) <= 6 and bare.upper() in engine.acronyms \
            and bare.lower() not in WORDS_NOT_TITLES:
        return bare.upper()
    return title


WORDS_NOT_TITLES = frozenset({"it", "pa", "hr", "ot", "pt", "ta", "art", "bar", "vet", "van", "ice", "web"})


def posting_roles(engine: Engine, text: str, k: int) -> tuple[list[tuple[int, float]], str | None]:
    """Roles nearest a posting, as a recommendation shows them: by its title line when that is a title whose best role
    scores at least TITLE_LINE_MATCH, else by the best run of its opening words at HEAD_WORDS_MATCH (a posting whose
    line breaks were lost), else by its opening words (boilerplate set aside) against role descriptions; and the
    title line used, if any; the title's near-tied roles ordered by the posting's opening words (text_tie_break)."""
    depth = max(k, ROLE_NEIGHBOURS)  # as deep as a recommendation looks, so a short list breaks its ties the same
    line, by_title = posting_title(engine, title_candidates(text) if TITLE_LINE else [], text, depth)
    kept, _ = posting_phrases(text)
    head = head_vector(engine, kept)
    if line and neighbour_roles(by_title, TITLE_LINE_MATCH):
        return (text_tie_break(engine, by_title, head) if head is not None else by_title)[:k], line
    return roles_by_description(engine, head, k), None


def head_vector(engine: Engine, kept: list[str]) -> np.ndarray | None:
    """The vector of a posting's opening words (posting_head of its kept phrases), None without any."""
    return engine.encode([posting_head(kept)])[0] if kept else None


def roles_by_description(engine: Engine, head: np.ndarray | None, k: int) -> list[tuple[int, float]]:
    """Roles whose descriptions are nearest a posting's opening words (head: their vector), best first."""
    if head is None:
        return []
    return [(h.owner, h.score) for h in engine.search_roles(head[None], k, by_description=True)[0]]


def posting_title(
    engine: Engine, candidates: list[tuple[str, bool]], text: str, k: int
) -> tuple[str | None, list[tuple[int, float]]]:
    """A posting's title and its roles: the first title candidate that clears its bar (line_roles), else the best run
    of its opening words when that scores HEAD_WORDS_MATCH, else the first role title met in its opening words
    (text.known_titles) that clears NAMED_TITLE_MATCH, else what line_roles found (maybe a weak title line)."""
    line, by_title = line_roles(engine, candidates, k)
    if line and neighbour_roles(by_title, TITLE_LINE_MATCH) or not HEAD_WORDS:
        return line, by_title
    head = best_head_words(engine, text)
    by_head = match_roles(engine, head, False, k) if head else []
    if neighbour_roles(by_head, HEAD_WORDS_MATCH):
        return head, by_head
    known, by_known = line_roles(engine, [(title, True) for title in known_titles(text, engine.role_names)], k)
    return (known, by_known) if known else (line, by_title)


def best_head_words(engine: Engine, text: str) -> str | None:
    """Of the runs of a posting's opening words that read as titles (text.head_words), the one whose best role scores
    highest (the earliest and shortest on a tie). The run is chosen on its own score; posting_title then reads it as
    any title is read (match_roles: its variants and acronyms) before the HEAD_WORDS_MATCH bar."""
    runs = head_words(text)
    if not runs:
        return None
    hits = mixed_search(engine.artifact.tables["roles"], engine.encode(runs), 1, TITLE_LABEL_SHARE,
                        exact_alt=not ALT_TITLE_BLEND, exact_rows=exact_title_rows(engine))
    scores = [found[0].score if found else -1.0 for found in hits]
    return runs[int(np.argmax(scores))]


def line_roles(
    engine: Engine, candidates: list[tuple[str, bool]], k: int
) -> tuple[str | None, list[tuple[int, float]]]:
    """Of a posting's title candidates (text.title_candidates: title lines, then titles named in prose), the first
    whose best role scores at least its bar (TITLE_LINE_MATCH, NAMED_TITLE_MATCH), with its roles; else the first
    title line with its (weak) roles; (None, []) without any."""
    first: tuple[str | None, list[tuple[int, float]]] = (None, [])
    for line, named in candidates:
        roles = match_roles(engine, line, False, k)
        if neighbour_roles(roles, NAMED_TITLE_MATCH if named else TITLE_LINE_MATCH):
            return line, roles
        if first[0] is None and not named:
            first = (line, roles)
    return first


def neighbour_roles(matches: list[tuple[int, float]], threshold: float) -> list[tuple[int, float]]:
    """The best role (if it clears threshold) and the roles within ROLE_NEIGHBOUR_MARGIN of it, weighted by
    ROLE_TEMPERATURE; weights sum to 1."""
    if not matches or matches[0][1] < threshold:
        return []
    best = matches[0][1]
    near = [(p, s) for p, s in matches if s >= best - ROLE_NEIGHBOUR_MARGIN][:ROLE_NEIGHBOURS]
    if ROLE_TEMPERATURE:
        near = [(p, math.exp((s - best) / ROLE_TEMPERATURE)) for p, s in near]
    total = sum(s for _, s in near)
    return [(p, s / total) for p, s in near]


# A posting's title may match a few roles about equally ("Compliance Officer": regulatory affairs manager 0.769, legal
# policy officer 0.757, tax compliance officer 0.755, for an investigator of tax returns): the posting's opening words
# (as matched against role descriptions) then break the tie among the roles within TEXT_TIE_MARGIN of the best, weighed
# at TEXT_TIE_WEIGHT against the title's score. Only the order shown changes, not the blend of role profiles. Over the
# seventeen posting sets (520, as written): roles 444 -> 448 (+5, -1). Wider margins or heavier weights let the text
# overrule clear titles (margin 0.1, weight 1: 439; session 9's re-ranking of the title's 10 roles lost on real
# postings too; docs/QUALITY.md, "Session 28").
TEXT_TIE_MARGIN = 0.02
TEXT_TIE_WEIGHT = 0.25


def text_tie_break(engine: Engine, by_title: list[tuple[int, float]], head: np.ndarray) -> list[tuple[int, float]]:
    """The title's roles (best first), those within TEXT_TIE_MARGIN of its best re-ordered by their title score +
    TEXT_TIE_WEIGHT x the cosine of head (the posting's opening words) to the role's description; scores kept."""
    near = [(pos, score) for pos, score in by_title if score >= by_title[0][1] - TEXT_TIE_MARGIN]
    if len(near) < 2 or not TEXT_TIE_WEIGHT:
        return by_title
    described = engine.role_descriptions([pos for pos, _ in near]) @ head
    order = sorted(range(len(near)), key=lambda i: (-(near[i][1] + TEXT_TIE_WEIGHT * float(described[i])), i))
    return [near[i] for i in order] + by_title[len(near):]


def blend_roles(by_title: list[tuple[int, float]], by_text: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """Role weights from the title and the text matchings, TITLE_SHARE to the title when both exist."""
    share = TITLE_SHARE if by_title and by_text else float(bool(by_title))
    weights: dict[int, float] = {}
    for group, w in ((by_title, share), (by_text, 1.0 - share)):
        for pos, weight in group:
            weights[pos] = weights.get(pos, 0.0) + weight * w
    return sorted(((p, w) for p, w in weights.items() if w > 0), key=lambda x: (-x[1], x[0]))


def skill_hits(engine: Engine, vectors: np.ndarray, k: int) -> list[list[Hit]]:
    """Best skills per phrase vector, as the matcher scores them (see mixed_search)."""
    return mixed_search(engine.artifact.tables["skills"], vectors, k, LABEL_SHARE)


def mixed_search(
    table: VectorTable, vectors: np.ndarray, k: int, share: float, exact_alt: bool = True,
    exact_rows: np.ndarray | None = None
) -> list[list[Hit]]:
    """Best owners per vector by share x (best label/alt-label score) + (1 - share) x (description score); an exact
    name scores as itself (an exact alt label too, when exact_alt or when exact_rows flags its row)."""
    depth = max(k, SKILL_DEPTH)
    labels = table.search(vectors, depth, kinds=(LABEL, ALT))
    described = table.search(vectors, depth, kinds=(DESCRIPTION,))
    return [mixed(by_label, by_text, k, share, exact_alt, exact_rows)
            for by_label, by_text in zip(labels, described, strict=True)]


# An exact alt label yields to an exact preferred label: "SQL" is the preferred label of *SQL* and an alt label of
# *database management systems*, and both scored 1.0, so every posting naming SQL also asked for database management
# systems (seven postings, never labelled). With a record named so, the others score as their blend.
# Skills MAP on the seven posting sets: first 0.380 -> 0.381, fifth 0.326 -> 0.327, the rest unchanged; tag RP@5
# 0.600 -> 0.602; titles, alt labels, descriptions and the synthetic ads unchanged.
ALT_YIELDS = True


def mixed(labels: list[Hit], described: list[Hit], k: int, share: float, exact_alt: bool = True,
          exact_rows: np.ndarray | None = None) -> list[Hit]:
    """Blend the two scores per skill (a skill missing from a list gets that list's lowest score, an upper bound).
    The text a record is named by scores as itself (by an alt label only when exact_alt or exact_rows flags its row,
    and only when no record has it as its preferred name: ALT_YIELDS); when several records share that name (ESCO
    gives "operations manager" as an alt title of several roles), the one it is the preferred name of comes first,
    then the closer description."""
    label_hit = {h.owner: h for h in labels}
    text_hit = {h.owner: h for h in described}
    floor_label = labels[-1].score if labels else 0.0
    floor_text = described[-1].score if described else 0.0
    named = ALT_YIELDS and any(h.score >= EXACT and h.kind == LABEL for h in labels)
    scored = []
    for owner in label_hit.keys() | text_hit.keys():
        best, text = label_hit.get(owner), text_hit.get(owner)
        by_label = best.score if best else floor_label
        blend = share * by_label + (1 - share) * (text.score if text else floor_text)
        as_itself = exact_alt or (best is not None and exact_rows is not None and bool(exact_rows[best.row]))
        exact = by_label >= EXACT and ((as_itself and not named) or (best is not None and best.kind == LABEL))
        score = by_label if exact else blend  # the phrase is the skill's name: no blend needed
        preferred = exact and best is not None and best.kind == LABEL
        scored.append((-round(score, 6), not preferred, -round(blend, 6), owner))
    scored.sort()
    return [replace(label_hit.get(owner) or text_hit[owner], score=-negative)
            for negative, _, _, owner in scored[:k]]


def posting_phrases(text: str) -> tuple[list[str], list[str]]:
    """The phrases of a posting worth matching (at most PHRASES_MAX), and the boilerplate ones dropped."""
    kept, dropped, _ = marked_phrases(text)
    return kept, dropped


def marked_phrases(text: str) -> tuple[list[str], list[str], set[str]]:
    """The phrases of a posting worth matching (at most PHRASES_MAX), the boilerplate ones dropped, and those of the
    kept that are nice to have (text.marked_parts)."""
    kept, dropped, optional = marked_parts(text)
    return kept[:PHRASES_MAX], dropped, optional


def extract_skills(engine: Engine, text: str, k: int | None = None) -> tuple[dict[int, Record], list[str]]:
    """Skills named by the phrases of a posting (up to k, default PHRASE_HITS, per phrase), marked when read only
    from nice-to-have lines or licence phrasings (marked); dropped boilerplate."""
    kept, dropped, optional = marked_phrases(text)
    found = phrase_skills(engine, kept, encoded_items(engine, kept, k or PHRASE_HITS))
    return marked(found, kept, optional), dropped


def marked(found: dict[int, Record], kept: list[str], optional: set[str]) -> dict[int, Record]:
    """Extracted skills marked nice to have (mark_optional) and as conditions (mark_conditions), as both the extract
    answer and a posting's answer mark them."""
    return mark_conditions(mark_optional(found, kept, optional))


def mark_optional(found: dict[int, Record], kept: list[str], optional: set[str]) -> dict[int, Record]:
    """Mark the evidence read from a nice-to-have phrase (or from a clause or list item found only inside such
    phrases) with nice_to_have, and a skill whose every phrase is one so too; fuse weighs such a skill
    OPTIONAL_SHARE."""
    if not optional:
        return found
    wished = [text for p in kept if p in optional for text in (p, BRACKETS.sub("", p))]
    needed = [text for p in kept if p not in optional for text in (p, BRACKETS.sub("", p))]
    read: dict[str, bool] = {}  # per evidence phrase, whether it was read from nice-to-have phrases only
    for entry in found.values():
        for evidence in entry["evidence"]:
            phrase = evidence["phrase"]
            if phrase not in read:
                read[phrase] = phrase in optional or (inside(phrase, wished) and not inside(phrase, needed))
            if read[phrase]:
                evidence["nice_to_have"] = True
        if entry["evidence"] and all(e.get("nice_to_have") for e in entry["evidence"]):
            entry["nice_to_have"] = True
    return found


def inside(item: str, texts: list[str]) -> bool:
    """Whether an item (a clause, list item or acronym) stands in one of texts as whole words ("Go" is not in "Good
    communication"); texts hold each phrase with and without its brackets, as clauses are read (clauses_of)."""
    near = [text for text in texts if item in text]
    if not near:
        return False
    pattern = re.compile(rf"(?<!\w){re.escape(item)}(?!\w)")
    return any(pattern.search(text) for text in near)


# A phrase of one word stands alone as a list item does, and is trusted only at MENTION_SKILL: such phrases are mostly
# a posting's headings, fields and places ("Travel", "Education", "Cork", "Waikato" -> *sign language* by "makaton").
# Over the seventeen sets' 520 postings, of the one-word phrases' skills scoring between PHRASE_SKILL and MENTION_SKILL,
# 2 of 142 were labelled (docs/QUALITY.md, "Session 28").
ONE_WORD_BAR = True


def one_word_bar(phrase: str) -> float:
    """The score a kept phrase's skill matches must reach: MENTION_SKILL for one word (ONE_WORD_BAR), else
    PHRASE_SKILL."""
    alone = ONE_WORD_BAR and len(phrase.split()) == 1
    return max(calibration.PHRASE_SKILL, MENTION_SKILL) if alone else calibration.PHRASE_SKILL


def matchable(kept: list[str], named: frozenset[str] = frozenset()) -> list[tuple[str, float]]:
    """The phrases (a long one by its clauses too, see READ_CLAUSES), then the list items named inside them (see
    text.mentions) and, in a phrase not written all in capitals, the skill-naming acronyms they hold (named: "write
    SQL against our warehouse" names SQL; NAMED_ACRONYMS, read with MENTIONS), at most MATCHED_MAX, each with the score
    its skill matches must reach: a list item stands alone, so only a close match is trusted."""
    items = {phrase: one_word_bar(phrase) for phrase in kept}
    if READ_CLAUSES:
        for phrase in kept:
            clauses = clauses_of(phrase)
            if CLAUSE_REPLACES and len(clauses) > 1 and len(phrase.split()) > CLAUSE_REPLACES:
                items.pop(phrase, None)
            for clause in clauses:
                items.setdefault(clause, calibration.PHRASE_SKILL)
    if MENTIONS:
        for phrase in kept:
            found = mentions(phrase)
            if NAMED_ACRONYMS and named and not shouted(phrase):
                found += [m.group(1) for m in IN_TEXT.finditer(phrase) if m.group(1) in named]
            for item in found:
                if item not in items and (len(item.split()) > 1 or looks_like_name(item, phrase.startswith(item))):
                    items[item] = max(calibration.PHRASE_SKILL, MENTION_SKILL)
    return [(item, bar) for item, bar in items.items() if says_something(item)][:MATCHED_MAX]


# A phrase joining duties ("Keeping children safe at all times and following our safeguarding, health and safety and
# hygiene procedures"; "Drive sales and control costs to meet or exceed store budgets and profit goals") reads as none
# of them well enough as a whole. A phrase of more than CLAUSE_PHRASE_WORDS words is also matched clause by clause (its
# commas, semicolons, "and", "or"; brackets aside), each clause of CLAUSE_WORDS words or more at the phrase bar
# (*supervise children* at 0.69, *manage budgets* at 0.60); one of more than CLAUSE_REPLACES words split in two or more
# is no longer matched whole (a long sentence's vector names little). Fifteen sets' skills MAP (service index): 0.3104
# -> 0.3202 as written, 0.2959 -> 0.3058 flattened (docs/QUALITY.md, "Session 26", for the variants measured). An
# "and" between adjectives or verbs would split badly ("weekly and monthly payroll", "packing and labelling parcels"):
# see CLAUSE_JOIN.
READ_CLAUSES = True
CLAUSE_PHRASE_WORDS = 6
CLAUSE_WORDS = 3
CLAUSE_REPLACES = 20
CLAUSE_SPLIT = re.compile(r"\s*(?:(?<!\d),|,(?!\d)|;)\s*(?:and |or |as well as )?|\s+(?:and|or|as well as)\s+",
                          re.IGNORECASE)  # not inside a number ("£1,500,000")


def clauses_of(phrase: str) -> list[str]:
    """The clauses of a phrase of more than CLAUSE_PHRASE_WORDS words (see READ_CLAUSES), of CLAUSE_WORDS words or
    more each, brackets aside; none for a shorter phrase."""
    if len(phrase.split()) <= CLAUSE_PHRASE_WORDS:
        return []
    if CLAUSE_JOIN:
        return joined_clauses(BRACKETS.sub("", phrase))
    clauses = (c.strip(" .:-") for c in CLAUSE_SPLIT.split(BRACKETS.sub("", phrase)))
    return [c for c in clauses if len(c.split()) >= CLAUSE_WORDS]


# A clause too short to read alone is read with the next when "and" or "or" joins them: "packing and labelling
# parcels", "prepare and cook meals" name their duty only together; the next clause is still read alone too ("cook
# meals"). Skills MAP over the 640 labelled postings (service index): 0.3156 -> 0.3167 as written, 0.3002 -> 0.3021
# flattened; joining across commas too ("Plan, prepare and cook meals") read 0.3167 and 0.3016; reading the next clause
# alone as well changed it by +0.0001 / -0.0003 (docs/QUALITY.md, "Session 32").
CLAUSE_JOIN = True
CLAUSE_SPLIT_KEPT = re.compile(f"({CLAUSE_SPLIT.pattern})", re.IGNORECASE)
JOINING = re.compile(r"\s+(?:and|or)\s+", re.IGNORECASE)


def joined_clauses(text: str) -> list[str]:
    """Clauses of CLAUSE_WORDS words or more, a shorter one read with the next when "and" or "or" joins them (and
    the next then read alone too)."""
    parts = CLAUSE_SPLIT_KEPT.split(text)
    clauses, current = [], ""
    for index in range(0, len(parts), 2):
        current += parts[index]
        if len(current.split()) >= CLAUSE_WORDS:
            clauses.append(current.strip(" .:-"))
            if current != parts[index] and len(parts[index].split()) >= CLAUSE_WORDS:
                clauses.append(parts[index].strip(" .:-"))  # "Plan and deliver lessons": "deliver lessons" too
            current = ""
        elif index + 1 < len(parts) and JOINING.fullmatch(parts[index + 1]):
            current += parts[index + 1]
        else:
            current = ""
    return [c for c in clauses if c and c != text.strip(" .:-")]


def says_something(item: str) -> bool:
    """Whether a phrase or list item says more than the names of languages ESCO has no skill for ("Afrikaans")."""
    return any(c.isalpha() for c in unlisted_languages_out(item))


def model_texts(items: list[tuple[str, float]]) -> list[str]:
    """The texts the model reads for matchable items (see matchable): their acronym plurals made singular
    (text.singular_acronyms), without the names of languages ESCO has no skill for (text.unlisted_languages_out).
    encoded_items encodes these, and a batch encodes them beforehand (target_texts)."""
    return [singular_acronyms(unlisted_languages_out(text)) for text, _ in items]


def looks_like_name(word: str, opens_phrase: bool) -> bool:
    """A one-word list item that reads as a name (Django, SQL, C++, S3), not a common word (design); a capital
    that only opens the phrase ('Plan and deliver lessons') does not count."""
    rest = word[1:] if opens_phrase else word
    return any(c.isupper() or c.isdigit() or c in "+#." for c in rest)


class Encoded(NamedTuple):
    """The phrases and list items of a posting to match (with their bars), their vectors and best skills (up to k),
    and the items read with an acronym written out (item index -> the text whose vector and skills were kept)."""

    items: list[tuple[str, float]]
    vectors: np.ndarray
    hits: list[list[Hit]]
    written_out: dict[int, str]


def encoded_items(engine: Engine, kept: list[str], k: int = PHRASE_HITS) -> Encoded:
    """The phrases and list items to match (see matchable), their vectors and best k skills; the items' readings
    with their acronyms written out are encoded and searched in the same calls, and such a reading replaces its
    item when its best skill scores higher (see ACRONYMS)."""
    items = matchable(kept, engine.named_acronyms)
    if not items:
        return Encoded(items, np.zeros((0, 0), np.float32), [], {})
    texts = model_texts(items)
    read = read_with_acronyms(engine, texts, lambda vectors: skill_hits(engine, vectors, k))
    vectors = np.array(read.vectors[: len(texts)])
    for index, (row, _) in read.written.items():
        vectors[index] = read.vectors[row]
    return Encoded(items, vectors, read.hits, {index: text for index, (_, text) in read.written.items()})


class Read(NamedTuple):
    """Texts read as written and with their acronyms written out (read_with_acronyms): the vectors of both (the texts
    first), each text's best hits, and for each text whose written-out reading scored higher, that reading's row in
    vectors and its text."""

    vectors: np.ndarray
    hits: list[list[Hit]]
    written: dict[int, tuple[int, str]]


def read_with_acronyms(engine: Engine, texts: list[str], search: Callable[[np.ndarray], list[list[Hit]]]) -> Read:
    """Encode texts and their written-out readings (written_variants) in one call and search them in one search; a
    reading replaces its text's hits when its best one scores higher (see ACRONYMS)."""
    variants = written_variants(engine, texts)
    vectors = engine.encode(texts + list(variants.values()))
    found = search(vectors)
    hits, written = found[: len(texts)], {}
    for row, (index, variant) in enumerate(variants.items(), start=len(texts)):
        if BARE_ACRONYMS and posting_meaning(engine, texts[index]):
            acronym = texts[index].strip()
            named = agreeing(engine, acronym, [h for h in hits[index] if names(h, acronym)], vectors[row])
            if not named:  # no skill ESCO names by it means what postings do: the posting's meaning is read
                hits[index], written[index] = agreeing(engine, acronym, found[row], vectors[row]), (row, variant)
        elif found[row] and (not hits[index] or found[row][0].score > hits[index][0].score):
            hits[index], written[index] = found[row], (row, variant)
    for index, text in enumerate(texts):
        if BARE_ACRONYMS and index not in written and hits[index] and is_acronym(text.strip()):
            hits[index] = [h for h in hits[index] if names(h, text.strip())]
    return Read(vectors, hits, written)


def names(hit: Hit, acronym: str) -> bool:
    """Whether a hit for a text that is one acronym is sure: the text itself (an exact name, or a word in capitals:
    "PYTHON" is Python), or a name holding it as a word, or holding it without a version number ("SAP" in "SAP ERP",
    "CSS3" in "CSS"). MiniLM reads an acronym it does not know as a few letters ("BLS" was *sign language*, "FIFO"
    *in-circuit test*)."""
    if hit.score >= EXACT:
        return True
    forms = {acronym, VERSION.sub("", acronym)} - {""}
    return any(re.search(rf"(?<![\w&/\-]){re.escape(form)}(?![\w&/\-])", hit.text, re.IGNORECASE) for form in forms)


VERSION = re.compile(r"[-\s]?v?\d+(?:\.\d+)*$", re.IGNORECASE)  # "HTML5", "CSS3", "ISO-9001" -> "HTML", "CSS", "ISO"


def agreeing(engine: Engine, acronym: str, hits: list[Hit], vector: np.ndarray) -> list[Hit]:
    """hits less those matched by the acronym itself (names) whose skill's label does not mean what the acronym's
    written-out reading (vector) says (GLOSS_AGREES): "point of sale (POS)" is far from *blockchain consensus
    mechanisms*, which ESCO names "POS"; "domain name system (DNS)" is near *domain name service*."""
    return [h for h in hits if not names(h, acronym) or float(engine.skill_vectors[h.owner] @ vector) >= GLOSS_AGREES]


def posting_meaning(engine: Engine, text: str) -> bool:
    """Whether a text is one acronym whose meaning in postings the acronym table gives apart from any skill's name
    (the glossary's "POS", point of sale, or an ESCO description's): that meaning wins over a skill that ESCO also
    names by it unless the two agree (see agreeing: ESCO names *blockchain consensus mechanisms* "POS")."""
    entry = engine.acronyms.get(text.strip())
    return entry is not None and entry.skill is None


def written_variants(engine: Engine, texts: list[str]) -> dict[int, str]:
    """For each text naming a known acronym, its reading with the acronym written out (see ACRONYMS)."""
    return {i: out for i, text in enumerate(texts) if ACRONYMS and (out := write_out(text, engine.acronyms))}


def with_readings(engine: Engine, texts: list[str]) -> list[str]:
    """texts, then their written-out readings: what read_with_acronyms encodes (a batch encodes them beforehand)."""
    return [*texts, *written_variants(engine, texts).values()]


def target_texts(engine: Engine, target: Target) -> list[str]:
    """The texts resolving target will encode: its title's readings (or its title line's), the posting's opening
    words, its phrases and list items and their written-out readings, and for a posting with no title candidate, the
    runs of its opening words (best_head_words) and their readings. A batch encodes its items' texts in one call; a
    posting whose title candidates all miss their bars encodes its runs when it needs them."""
    if target.role_id:
        return []
    kept, _, _, lines = text_parts(target)
    titles = [target.title] if target.title else [line for line, _ in lines]
    texts = [t for title in titles for t in title_readings(engine, title)]
    if HEAD_WORDS and target.description and not target.title and not lines and (
            runs := head_words(target.description)):
        texts += [*runs, *(t for run in runs for t in title_readings(engine, run))]
    if not kept:
        return texts
    return [*texts, posting_head(kept), *with_readings(engine, model_texts(matchable(kept, engine.named_acronyms)))]


def phrase_skills(
    engine: Engine, kept: list[str], encoded: Encoded, weak: dict[int, Record] | None = None
) -> dict[int, Record]:
    """Of each phrase's (or named list item's) best skills in encoded (encoded_items), those at or above its bar
    and within PHRASE_MARGIN of its best; a phrase that only names an occupation (a title line) names no skill.
    weak, when given, collects the list items' best matches that score under their bar but at least WEAK_ITEM."""
    found: dict[int, Record] = {}
    if not encoded.items:
        return found
    named = {phrase: phrasings(engine, phrase) for phrase in dict.fromkeys([*kept, *(p for p, _ in encoded.items)])}
    for index, ((phrase, floor), hits) in enumerate(zip(encoded.items, encoded.hits, strict=True)):
        if ROLE_NAMES and hits and hits[0].score < EXACT and folded(phrase) in engine.role_names:
            continue  # an occupation's name (a title line) and no skill's
        if PHRASED_ONLY and whole_phrasing(phrase, named[phrase]):
            continue  # the phrasing's skill (recorded below) and no other
        spelled = encoded.written_out.get(index)
        floor = max(floor, IDIOM_SCORE) if PHRASED_ONLY and phrased(phrase, named[phrase]) else floor
        for hit in hits:
            near = hit.score >= floor and hit.score >= hits[0].score - PHRASE_MARGIN
            if near and names_language(engine, hit, phrase):
                record_phrase(engine, found, hit.owner, hit.score, phrase, hit.text, spelled)
        if weak is not None and hits and floor > calibration.PHRASE_SKILL and WEAK_ITEM <= hits[0].score < floor:
            record_phrase(engine, weak, hits[0].owner, hits[0].score, phrase, hits[0].text, spelled)
    if TOOLS:
        for phrase in kept:
            for tool in engine.tools.find(phrase):
                if not titled_tool(engine, tool):
                    record_tool(engine, found, phrase, tool)
    for phrase in kept:
        for written, idiom in with_languages(engine, phrase, named[phrase]):
            record_idiom(engine, found, phrase, written, idiom)
    return found


def titled_tool(engine: Engine, tool: ToolHit) -> bool:
    """Whether a tool is named by words of two or more that are also a job's title: O*NET lists software called "Site
    Manager" and "Restaurant Manager", and every Site Manager posting required *document management* (a demanding
    user); a one-word name ("Chef", the configuration tool) stays a tool."""
    return ROLE_NAMES and len(tool.written.split()) > 1 and folded(tool.written) in engine.role_names


def names_language(engine: Engine, hit: Hit, phrase: str) -> bool:
    """Whether a phrase may require the skill of hit: any skill but a language's, which the phrase must name
    (core.skill_languages; a town is no language)."""
    language = engine.skill_languages.get(hit.owner)
    return language is None or bool(language.search(phrase))


def phrasings(engine: Engine, text: str) -> list[tuple[str, Idiom]]:
    """The posting phrasings a text holds, with their words as written (idioms.py); none when IDIOMS is off."""
    return engine.idioms.find(text) if IDIOMS else []


def with_languages(engine: Engine, text: str, named: list[tuple[str, Idiom]]) -> list[tuple[str, Idiom]]:
    """A text's phrasings (named), then the languages it asks for (idioms.LanguageFinder) that none of them names,
    when LANGUAGES. A language's name is not a phrasing of the whole phrase (phrased, whole_phrasing take named
    alone): "Excellent written English" keeps *write English* beside *English*."""
    if not LANGUAGES:
        return named
    skills = {idiom.skill_id for _, idiom in named}
    return [*named, *(f for f in engine.language_finder.find(text) if f[1].skill_id not in skills)]


def phrased(phrase: str, found: list[tuple[str, Idiom]]) -> bool:
    """Whether a phrase is mostly the posting phrasings found in it ("Strong communication skills": half its words or
    more), so that only a skill matching it as surely as the phrasing's (IDIOM_SCORE) is taken beside it."""
    return bool(found) and 2 * sum(len(words(w)) for w, _ in found) >= len(words(phrase))


def whole_phrasing(phrase: str, found: list[tuple[str, Idiom]]) -> bool:
    """Whether a phrase is one of the posting phrasings found in it, word for word ("forklift driving"): read by the
    phrasing alone, not also by a skill's label or alt label (ESCO lists "forklift driving" under *drive agricultural
    machines*)."""
    return any(words(w) == words(phrase) for w, _ in found)


def record_idiom(engine: Engine, found: dict[int, Record], phrase: str, written: str, idiom: Idiom) -> None:
    """Keep a job-ad phrasing of the lexicon (idioms.py) as evidence for its ESCO skill, scored IDIOM_SCORE, unless
    the phrase is already evidence for the skill as a named tool or at that score."""
    pos = engine.artifact.skill_pos[idiom.skill_id]
    if any(e["phrase"] == phrase and ("tool" in e or e["score"] >= IDIOM_SCORE) for e in found.get(pos, {}).get(
            "evidence", [])):
        return
    record_phrase(engine, found, pos, IDIOM_SCORE, phrase, idiom.label)
    found[pos]["evidence"][-1]["idiom"] = written


def record_tool(engine: Engine, found: dict[int, Record], phrase: str, tool: ToolHit) -> None:
    """Keep a named tool as evidence for the ESCO skill of its category (scored as the category matched it)."""
    pos = engine.artifact.skill_pos.get(tool.skill_id)
    if pos is None:
        return
    record_phrase(engine, found, pos, tool.score, phrase, tool.matched)
    found[pos]["evidence"][-1]["tool"] = tool.described()


def record_phrase(
    engine: Engine, found: dict[int, Record], pos: int, score: float, phrase: str, matched: str,
    written_out: str | None = None,
) -> None:
    """Keep a phrase match as evidence (with the phrase as read, when an acronym was written out); the skill's
    score is its best phrase score."""
    entry = found.setdefault(pos, {**new_requirement(engine, pos, "extracted"), "score": 0.0})
    entry["score"] = max(entry["score"], round(score, 4))
    evidence: Record = {"source": "text", "phrase": phrase, "matched": matched, "score": round(score, 4)}
    if written_out is not None:
        evidence["written_out"] = written_out
    entry["evidence"].append(evidence)


def posting_head(kept: list[str]) -> str:
    """The first ROLE_TEXT_WORDS words of the kept phrases: what a posting is matched to role descriptions by."""
    return " ".join(" ".join(kept).split()[:ROLE_TEXT_WORDS])


def extraction_weight(score: float) -> float:
    """Map a phrase score above the threshold to an importance in [0.5, 1]."""
    span = max(1e-6, 1.0 - calibration.PHRASE_SKILL)
    return 0.5 + 0.5 * min(1.0, (score - calibration.PHRASE_SKILL) / span)


# The share of its extraction weight a skill keeps when the posting names it only as nice to have (mark_optional).
OPTIONAL_SHARE = 0.5
# A licence the posting asks its holder to have ("Full UK driving licence (occasional travel between sites)") is a
# condition of the job, not a skill it exercises: a skill read only from such phrasings (idioms.py) weighs
# CONDITION_SHARE of its extraction weight, and keeps its place when the roles the posting matches need it (fuse).
# Of the 640 labelled postings' top ten skills, *drive vehicles* read so was labelled in 7 of 54.
CONDITION_SHARE = 0.5
LICENCE = re.compile(r"\b(?:licen[cs]es?|record)\b", re.IGNORECASE)


def mark_conditions(found: dict[int, Record]) -> dict[int, Record]:
    """Mark a skill whose every text evidence is a licence phrasing ("driving licence", "clean driving record") with
    condition (see CONDITION_SHARE)."""
    for entry in found.values():
        evidence = entry["evidence"]
        if CONDITION_SHARE < 1 and evidence and all(LICENCE.search(e.get("idiom", "")) for e in evidence):
            entry["condition"] = True
    return found


def fuse(extracted: dict[int, Record], profile: dict[int, Record]) -> dict[int, Record]:
    """Combine extracted skills and role-profile skills by noisy-or of their importances."""
    fused: dict[int, Record] = {}
    for pos in sorted(set(extracted) | set(profile)):
        ext, prof = extracted.get(pos), profile.get(pos)
        e = extraction_weight(ext["score"]) * share(ext, needed=prof is not None) if ext else 0.0
        r = 1.0 - math.exp(-prof["importance"] * ROLE_SHARE) if prof else 0.0
        base = dict(ext or prof or {})
        base["importance"] = 1 - (1 - e) * (1 - r)
        base["relation"] = prof["relation"] if prof else "extracted"
        base["evidence"] = (ext or {}).get("evidence", []) + (prof or {}).get("evidence", [])
        fused[pos] = base
    return fused


def share(extracted: Record, needed: bool) -> float:
    """The share of its extraction weight an extracted skill keeps: less when only nice to have, or when a condition
    that no role the posting matches needs (needed)."""
    return (OPTIONAL_SHARE if extracted.get("nice_to_have") else 1.0) * (
        CONDITION_SHARE if extracted.get("condition") and not needed else 1.0)


def supported(
    engine: Engine, required: dict[int, Record], items: list[tuple[str, float]], vectors: np.ndarray
) -> dict[int, Record]:
    """Weigh each required skill by how closely the posting's best phrase or list item reads as its name, at any
    score: importance becomes (importance + SUPPORT_SHARE x support) / (1 + SUPPORT_SHARE), and the phrase is shown
    as text_support. A blend of role profiles lists the skills of the roles a posting resembles; this puts first
    the ones the posting talks about, named or not."""
    if not required or not items or not SUPPORT_SHARE:
        return required
    positions = sorted(required)
    scores = vectors @ engine.skill_vectors[np.asarray(positions)].T
    best = scores.argmax(axis=0)
    for column, pos in enumerate(positions):
        support = min(1.0, max(0.0, float(scores[best[column], column])))
        entry = required[pos]
        entry["importance"] = (entry["importance"] + SUPPORT_SHARE * support) / (1 + SUPPORT_SHARE)
        entry["text_support"] = {"score": round(support, 4), "phrase": items[int(best[column])][0]}
    return required


def resolve_target(engine: Engine, target: Target) -> tuple[Record, list[Record], list[Record]]:
    """Return (target summary, required skills best first, warnings)."""
    warnings: list[Record] = []
    if target.role_id:
        pos = engine.role_at(target.role_id)
        if pos is None:
            raise NotFound("role", target.role_id, "/target/role_id")
        required: dict[int, Record] = {}
        add_role_profile(engine, pos, 1.0, required)
        summary: Record = {"kind": "role", "role": role_ref(engine, pos, 1.0), "roles": [role_ref(engine, pos, 1.0)],
                           "resolved": True}
        return summary, ranked(required), warnings
    summary, skills, warnings = resolve_text_target(engine, target, warnings)
    summary["resolved"] = summary["role"] is not None or bool(skills)  # else nothing is required: coverage is vacuous
    return summary, skills, warnings


def text_parts(target: Target) -> tuple[list[str], list[str], set[str], list[tuple[str, bool]]]:
    """A free-text target's phrases worth matching, the boilerplate dropped, the kept phrases that are nice to have,
    and the title candidates of a posting sent without a title (see TITLE_LINE, text.title_candidates)."""
    kept, dropped, optional = marked_phrases(target.description) if target.description else ([], [], set())
    lines = title_candidates(target.description) if TITLE_LINE and target.description and not target.title else []
    return kept, dropped, optional, lines


def resolve_text_target(
    engine: Engine, target: Target, warnings: list[Record]
) -> tuple[Record, list[Record], list[Record]]:
    """Resolve a free-text title and/or description: nearest roles' profiles fused with extracted skills."""
    kept, dropped, optional, lines = text_parts(target)
    titles = engine.preencoded([])  # keeps what it encodes: with_title reuses the title's first reading's vector
    if target.title:
        inferred, by_title = None, match_roles(titles, target.title, False, ROLE_NEIGHBOURS)
    else:
        inferred, by_title = posting_title(titles, lines, target.description or "", ROLE_NEIGHBOURS)
    warnings += language_warning(target.description)
    head = head_vector(engine, kept)
    by_text = roles_by_description(engine, head, ROLE_NEIGHBOURS)
    title_bar = TITLE_LINE_MATCH if inferred else calibration.ROLE_MATCH
    titled = neighbour_roles(by_title, title_bar)
    roles = blend_roles(titled, neighbour_roles(by_text, calibration.ROLE_TEXT_MATCH))
    profile: dict[int, Record] = {}
    for pos, weight in roles:
        add_role_profile(engine, pos, weight, profile)
    shown = text_tie_break(engine, by_title, head) if titled and head is not None else by_title
    shown = shown if titled or not by_text else by_text
    summary: Record = {
        "kind": "description" if target.description else "title",
        "role": role_ref(engine, shown[0][0], shown[0][1]) if roles else None,
        "roles": [role_ref(engine, p, s) for p, s in shown[:5]],
    }
    if titled and inferred:
        summary["title_line"] = inferred
    if not roles:
        warnings.append(no_role_warning(shown, title_bar if shown is by_title else calibration.ROLE_TEXT_MATCH))
    if not target.description:
        return summary, ranked(profile), warnings + blended_title(engine, titled)
    weak: dict[int, Record] = {}
    encoded = encoded_items(engine, kept)
    extracted = phrase_skills(engine, kept, encoded, weak)
    extracted.update({pos: entry for pos, entry in weak.items() if pos in profile and pos not in extracted})
    marked(extracted, kept, optional)
    summary["boilerplate_dropped"] = dropped
    if not extracted and not profile:
        warnings.append({"code": "no_skills_found", "detail": "no phrase of the description matched a skill"})
    items, vectors = with_title(titles, encoded.items, encoded.vectors, target.title or (inferred if titled else None))
    required = by_evidence(by_kind(supported(engine, fuse(extracted, profile), items, vectors)))
    return summary, ranked(required), warnings


# A posting's title counts as one of its phrases for text support (see supported): a short advert whose only sentence
# is set aside (pay in it) had its title role's skills in id order, "operate radio equipment" first for a forklift
# driver; now "operate forklift" (0.81 to the title) heads them. Skills MAP on the six posting sets: +0.001 on three
# sets, +0.003 on one, none lower; the synthetic job ads unchanged. A title sent alone is not weighed so: on the ESCO
# held-out titles it put neighbour roles' skills above the role's own (title -> skills 0.792 -> 0.769).
TITLE_SUPPORT = True


def with_title(
    engine: Engine, items: list[tuple[str, float]], vectors: np.ndarray, title: str | None
) -> tuple[list[tuple[str, float]], np.ndarray]:
    """A posting's items and their vectors, with its title (as its first reading) among them when TITLE_SUPPORT;
    engine should hold the vectors its title was matched by (resolve_text_target), so the reading is not encoded
    again."""
    if not (TITLE_SUPPORT and title):
        return items, vectors
    vector = engine.encode([title_readings(engine, title)[0]])
    return [*items, (title, 0.0)], (np.vstack([vectors, vector]) if items else vector)


# A title alone that several roles match about equally ("nurse": specialist nurse, nurse responsible for general care,
# nurse assistant ...) is answered with their skills blended; the answer says so when its best role weighs less than
# this share of the blend (a quarter of real posting titles), so a coach can pick one role by id.
BLEND_WARNING = 0.3


def blended_title(engine: Engine, titled: list[tuple[int, float]]) -> list[Record]:
    """A title_blends_roles warning naming the roles a title's skills were blended from (titled: role positions and
    their weights, best first), when the best weighs under BLEND_WARNING."""
    if not titled or titled[0][1] >= BLEND_WARNING:
        return []
    shown = [{**role_ref(engine, p), "weight": round(w, 2)} for p, w in titled[:5]]
    names = ", ".join(f"{r['title']} ({r['weight']:.2f})" for r in shown) + (", ..." if len(titled) > 5 else "")
    return [{"code": "title_blends_roles", "roles": shown,
             "detail": f"no role clearly matches the title best: the skills of {len(titled)} close roles are blended "
                       f"by weight ({names}); ask by role_id for one role's own gap"}]


def language_warning(text: str | None) -> list[Record]:
    """A not_english warning when text is written in another language (text.foreign_language)."""
    language = foreign_language(text) if text else None
    if language is None:
        return []
    return [{"code": "not_english", "language": language,
             "detail": f"the text reads as {language}; badgepath matches English text to English ESCO labels, so "
                       "these roles and skills are unreliable: send the posting in English"}]


def no_role_warning(matches: list[tuple[int, float]], threshold: float) -> Record:
    """Warning that no role matched well enough to be trusted (threshold: the one those matches had to clear)."""
    best = f" (best score {matches[0][1]:.2f})" if matches else ""
    return {
        "code": "no_role_match",
        "detail": f"no role matched above {threshold}{best}; no role profile was used",
    }


# What a posting asks for is mostly skills: of the 6,974 skills labelled in the 640 hand-labelled postings, 16 % are
# knowledge concepts, against 32 % of the ten skills a posting's answer put first (a knowledge concept such as
# *mechanics*, *first aid* or *communication* rides on the roles a posting resembles and on its words as readily as a
# skill, and was labelled half as often: 24 % of those in the top ten against 40 %). A knowledge concept's importance
# in a posting's answer is KNOWLEDGE_SHARE of what it reads. Chosen on sets 1-10 (skills MAP 0.3422 -> 0.3553; 0.94
# and 0.90 read 0.3535 and 0.3550), it held on sets 11-21 (0.2940 -> 0.3087), 20 of the 21 sets gaining
# (docs/QUALITY.md, "Session 32").
KNOWLEDGE_SHARE = 0.92


def by_kind(required: dict[int, Record]) -> dict[int, Record]:
    """A posting's required skills with each knowledge concept's importance at KNOWLEDGE_SHARE (see there)."""
    for entry in required.values():
        if entry.get("kind") == "knowledge":
            entry["importance"] *= KNOWLEDGE_SHARE
    return required


# A skill both the posting's words and the roles it resembles name is the likeliest to be asked for: of the ten
# skills the 640 postings' answers put first, those read from both were labelled in 54 % (3,052), those the roles
# alone name in 25 % (2,061), those the words alone name in 23 % (1,233). In a posting's answer a skill only the words
# name weighs TEXT_ONLY_SHARE, one only the roles name ROLE_ONLY_SHARE. Chosen on sets 1-10 by re-ranking the stored
# answers (skills MAP 0.3553 -> 0.3749; 0.88 / 0.90 read 0.3745, 0.85 / 0.88 0.3746), it held on sets 11-21 (0.3096 ->
# 0.3249; docs/QUALITY.md, "Session 32").
TEXT_ONLY_SHARE = 0.85
ROLE_ONLY_SHARE = 0.90


def by_evidence(required: dict[int, Record]) -> dict[int, Record]:
    """A posting's required skills weighed by what names them: its words and a role in full, its words alone
    TEXT_ONLY_SHARE, a role alone ROLE_ONLY_SHARE (see there)."""
    shares = {frozenset({"text"}): TEXT_ONLY_SHARE, frozenset({"role"}): ROLE_ONLY_SHARE}
    for entry in required.values():
        entry["importance"] *= shares.get(frozenset(e["source"] for e in entry["evidence"]), 1.0)
    return required


def ranked(required: dict[int, Record]) -> list[Record]:
    """Required skills by importance, then essential first, then id; importances rounded."""
    out: list[Any] = []
    for entry in sorted(required.values(), key=lambda e: (-round(e["importance"], 6), e["id"])):
        entry["importance"] = round(entry["importance"], 4)
        out.append(entry)
    return out
