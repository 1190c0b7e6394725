"""Dev sets built reproducibly (fixed seeds) from the catalogue the artifact was built from."""

from __future__ import annotations

import json
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from service.engine.core import ALT, DESCRIPTION, Record, folded
from service.index import VectorTable

DATA = Path(__file__).parent / "data"
SEED = 20240601


@dataclass(frozen=True)
class Query:
    """One eval query: its text and the gold ids (an empty gold means 'no good match')."""

    text: str
    gold: frozenset[str]
    kind: str = ""
    owner: int = -1


normal = folded  # case- and space-folded text, to spot a held-out title that another record also uses


def owners_by_name(table: VectorTable) -> dict[str, set[int]]:
    """For each normalised label/title row text, the records that use it."""
    users: dict[str, set[int]] = {}
    for row, text in enumerate(table.texts):
        if table.kind[row] != DESCRIPTION:
            users.setdefault(normal(text), set()).add(int(table.owner[row]))
    return users


def held_out_titles(
    roles: Sequence[Record], table: VectorTable, n: int, seed: int = SEED
) -> tuple[list[Query], set[int]]:
    """One alt title per sampled role, unique to that role; returns the queries and the rows to drop."""
    users: dict[str, set[int]] = {}  # each title's owners as ESCO files them: the index's own titles (reported, posted,
    for i, role in enumerate(roles):  # corrected, none of them an ESCO title) and withdrawals do not change the queries
        for title in [role["title"], *role["alt_titles"]]:
            users.setdefault(normal(title), set()).add(i)
    rng = random.Random(seed)
    candidates = [i for i, r in enumerate(roles) if any(len(users[normal(a)]) == 1 for a in r["alt_titles"])]
    queries = []
    for pos in sorted(rng.sample(candidates, min(n, len(candidates)))):
        unique = [a for a in roles[pos]["alt_titles"] if len(users[normal(a)]) == 1]
        title = rng.choice(sorted(unique))
        queries.append(Query(title, frozenset([roles[pos]["id"]]), "title", pos))
    held = {normal(q.text) for q in queries}
    drop = {row for row, t in enumerate(table.texts) if table.kind[row] == ALT and normal(t) in held}
    return queries, drop


GENDER_MARKS = ("(m/f/d)", "(m/w/d)", "(f/m/x)", "m/w/d", "(all genders)")
SENIORITY = ("Senior", "Junior", "Sr.", "Experienced")
SUFFIXES = (" - London", " | Berlin", " - Remote", " - Night shifts", " - £28,000 + benefits", " @ Acme Ltd",
            " - Full time", " - Hybrid (3 days office)", " | Permanent", " - Immediate start")


def as_posted(queries: list[Query], seed: int = SEED + 7) -> list[Query]:
    """The same titles dressed as job boards post them: a gender marker (half), a seniority word (30 %), a
    location, contract or pay suffix (60 %), title case (half). The gold does not change."""
    rng = random.Random(seed)
    out = []
    for q in queries:
        title = q.text.title() if rng.random() < 0.5 else q.text
        if rng.random() < 0.3:
            title = f"{rng.choice(SENIORITY)} {title}"
        if rng.random() < 0.5:
            title = f"{title} {rng.choice(GENDER_MARKS)}"
        if rng.random() < 0.6:
            title += rng.choice(SUFFIXES)
        out.append(Query(title, q.gold, "posted title", q.owner))
    return out


TAGS = (" (Remote)", " (Hybrid)", " (Part-Time)", ", Full Time", " [Nights]", " (Contract)", " (Temporary)",
        " (12 month FTC)", ", Permanent", " (Days/Nights)", " (£30k + benefits)", " (Immediate Start)", " x2",
        " - Weekends", " Part-time 20hrs", " (Maternity Cover)")


def tagged(queries: list[Query], seed: int = SEED + 8) -> list[Query]:
    """The same titles with a job-board tag after them, bracketed, after a comma or bare ("(Remote)", ", Full
    Time", "Part-time 20hrs"), in title case half the time. The gold does not change."""
    rng = random.Random(seed)
    return [Query(f"{q.text.title() if rng.random() < 0.5 else q.text}{rng.choice(TAGS)}", q.gold, "tagged title",
                  q.owner) for q in queries]


ABBREVIATED = {"manager": "Mgr", "assistant": "Asst", "representative": "Rep", "technician": "Tech",
               "engineer": "Eng", "developer": "Dev", "executive": "Exec", "coordinator": "Coord",
               "supervisor": "Supv", "director": "Dir", "operations": "Ops", "mechanical": "Mech",
               "electrical": "Elec", "maintenance": "Maint", "manufacturing": "Mfg", "management": "Mgmt",
               "marketing": "Mktg", "administration": "Admin", "administrative": "Admin", "customer": "Cust",
               "service": "Svc", "specialist": "Spec", "international": "Intl", "senior": "Sr."}
ABBREVIATED_PHRASES = {"registered nurse": "RN", "human resources": "HR", "quality assurance": "QA",
                       "information technology": "IT", "personal assistant": "PA", "chief executive officer": "CEO",
                       "user experience": "UX", "heavy goods vehicle": "HGV", "vice president": "VP",
                       "software engineer": "SWE", "chief financial officer": "CFO"}


def abbreviated(queries: list[Query]) -> list[Query]:
    """The titles that hold a word job boards abbreviate, written with the abbreviations ("project manager" ->
    "project Mgr", "registered nurse" -> "RN"). The gold does not change."""
    out = []
    for q in queries:
        title = q.text
        for phrase, short in ABBREVIATED_PHRASES.items():
            title = re.sub(rf"\b{phrase}\b", short, title, flags=re.IGNORECASE)
        title = re.sub(r"[A-Za-z]+", lambda m: ABBREVIATED.get(m.group(0).lower(), m.group(0)), title)
        if title != q.text:
            out.append(Query(title, q.gold, "abbreviated title", q.owner))
    return out


def held_out_alt_labels(
    skills: Sequence[Record], table: VectorTable, n: int, seed: int = SEED + 1
) -> tuple[list[Query], set[int]]:
    """One alt label per sampled skill as the query, with all that skill's alt rows dropped."""
    users = owners_by_name(table)
    rng = random.Random(seed)
    candidates = [i for i, s in enumerate(skills) if any(len(users.get(normal(a), ())) == 1 for a in s["alt_labels"])]
    queries = []
    for pos in sorted(rng.sample(candidates, min(n, len(candidates)))):
        unique = [a for a in skills[pos]["alt_labels"] if len(users.get(normal(a), ())) == 1]
        queries.append(Query(rng.choice(sorted(unique)), frozenset([skills[pos]["id"]]), "alt", pos))
    owners = {q.owner for q in queries}
    drop = {row for row in range(table.rows) if table.kind[row] == ALT and int(table.owner[row]) in owners}
    return queries, drop


def essential_skills(role: Record) -> frozenset[str]:
    """The ids of a role's essential skills: the gold of every role-based dev set."""
    return frozenset(s["id"] for s in role["skills"] if s["relation"] == "essential")


def occupation_descriptions(
    roles: Sequence[Record], n: int, seed: int = SEED + 2, min_essential: int = 5
) -> list[Query]:
    """Sampled occupation descriptions with their essential skills as gold."""
    rng = random.Random(seed)
    candidates = [i for i, r in enumerate(roles) if len(r.get("description", "")) >= 80
                  and sum(s["relation"] == "essential" for s in r["skills"]) >= min_essential]
    out = []
    for pos in sorted(rng.sample(candidates, min(n, len(candidates)))):
        out.append(Query(roles[pos]["description"], essential_skills(roles[pos]), "description", pos))
    return out


def read_jsonl(path: Path) -> list[Record]:
    """The objects of a JSON Lines file (blank lines skipped)."""
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def labelled_phrases(path: Path = DATA / "phrases_labelled.jsonl") -> list[Query]:
    """The hand-labelled tags and phrases (eval/data/README.md)."""
    items = read_jsonl(path)
    return [Query(i["text"], frozenset(i["gold"]), i["kind"]) for i in items]


@dataclass(frozen=True)
class LabelledAlignment:
    """A credential's description sentence, the skills proposed for it with their labels (yes / partly / no, one per
    labeller), and its stratum weight (sentences in its score stratum / labelled from it)."""

    credential: str
    text: str
    labels: dict[str, tuple[str, ...]]
    weight: float
    fallback: str | None = None  # the skill outside the teaching group labelled for it, if any


ALIGNMENT_SETS = {
    "alignments_labelled.jsonl": "description sentence -> skill alignment",
    "alignments_labelled_2.jsonl": "description sentence -> skill alignment",
    "tag_alignments_labelled.jsonl": "course tag -> skill alignment",
}
"""The labelled alignment samples (file -> what the table calls it): two of edX description sentences (the first chose
ALIGN_TEXT_SUPPORT, the second, drawn from the session-17 build and labelled by two other helpers, checks it) and one
of Coursera tags (it chose ALIGN_TAG_SUPPORT)."""


def labelled_alignments(path: Path = DATA / "alignments_labelled.jsonl") -> list[LabelledAlignment]:
    """The hand-labelled edX description sentences (or Coursera tags) with the skill matched to each
    (eval/data/README.md)."""
    out = []
    for i in read_jsonl(path):
        labels = {i["skill"]: tuple(i["labels"])}
        if "fallback" in i:
            labels[i["fallback"]["skill"]] = tuple(i["fallback"]["labels"])
        size = i["stratum_sentences"] if "stratum_sentences" in i else i["stratum_items"]
        out.append(LabelledAlignment(i["credential"], i["text"], labels, size / i["stratum_sample"],
                                     i.get("fallback", {}).get("skill")))
    return out


def labelled_acronyms(path: Path = DATA / "acronyms_labelled.jsonl") -> list[Query]:
    """The hand-labelled job-ad sentences with acronyms (eval/data/README.md); kind: the sector."""
    items = read_jsonl(path)
    return [Query(i["text"], frozenset(i["gold"]), i["sector"]) for i in items]


def labelled_titles(path: Path = DATA / "titles_labelled.jsonl") -> list[Query]:
    """The hand-labelled job titles as posted (eval/data/README.md); kind: the sector."""
    items = read_jsonl(path)
    return [Query(i["text"], frozenset(i["gold"]), i["sector"]) for i in items]


@dataclass(frozen=True)
class Posting:
    """A hand-written job posting with the occupations it is for and the skills it asks for."""

    title: str
    text: str
    roles: frozenset[str]
    skills: frozenset[str]


# The hand-labelled posting sets (eval/data/README.md): make eval task -> (file, what the tables call it).
POSTING_SETS = {
    "postings": ("postings_labelled.jsonl", "hand-labelled postings"),
    "postings-2": ("postings_labelled_2.jsonl", "second set of hand-labelled postings"),
    "postings-3": ("postings_labelled_3.jsonl", "third set of hand-labelled postings"),
    "postings-4": ("postings_labelled_4.jsonl", "fourth set of hand-labelled postings"),
    "postings-5": ("postings_labelled_5.jsonl", "fifth set of hand-labelled postings"),
    "postings-6": ("postings_labelled_6.jsonl", "sixth set of hand-labelled postings"),
    "postings-7": ("postings_labelled_7.jsonl", "seventh set of hand-labelled postings"),
    "postings-8": ("postings_labelled_8.jsonl", "eighth set of hand-labelled postings"),
    "postings-9": ("postings_labelled_9.jsonl", "ninth set of hand-labelled postings"),
    "postings-10": ("postings_labelled_10.jsonl", "tenth set of hand-labelled postings"),
    "postings-11": ("postings_labelled_11.jsonl", "eleventh set of hand-labelled postings"),
    "postings-12": ("postings_labelled_12.jsonl", "twelfth set of hand-labelled postings"),
    "postings-13": ("postings_labelled_13.jsonl", "thirteenth set of hand-labelled postings"),
    "postings-14": ("postings_labelled_14.jsonl", "fourteenth set of hand-labelled postings"),
    "postings-15": ("postings_labelled_15.jsonl", "fifteenth set of hand-labelled postings"),
    "postings-16": ("postings_labelled_16.jsonl", "sixteenth set of hand-labelled postings"),
    "postings-17": ("postings_labelled_17.jsonl", "seventeenth set of hand-labelled postings"),
    "postings-18": ("postings_labelled_18.jsonl", "eighteenth set of hand-labelled postings"),
    "postings-19": ("postings_labelled_19.jsonl", "nineteenth set of hand-labelled postings"),
    "postings-20": ("postings_labelled_20.jsonl", "twentieth set of hand-labelled postings"),
    "postings-21": ("postings_labelled_21.jsonl", "twenty-first set of hand-labelled postings"),
    "postings-22": ("postings_labelled_22.jsonl", "twenty-second set of hand-labelled postings"),
    "postings-23": ("postings_labelled_23.jsonl", "twenty-third set of hand-labelled postings"),
}


def labelled_postings(path: Path = DATA / "postings_labelled.jsonl") -> list[Posting]:
    """The hand-labelled job postings (eval/data/README.md)."""
    items = read_jsonl(path)
    return [Posting(i["title"], i["text"], frozenset(i["gold_roles"]), frozenset(i["gold_skills"])) for i in items]


def path_roles(roles: Sequence[Record], n: int, seed: int = SEED + 3, min_essential: int = 6) -> list[int]:
    """Sampled role positions for the path-coverage check."""
    rng = random.Random(seed)
    candidates = [i for i, r in enumerate(roles) if sum(s["relation"] == "essential" for s in r["skills"])
                  >= min_essential]
    return sorted(rng.sample(candidates, min(n, len(candidates))))
