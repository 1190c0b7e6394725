"""Convert the raw ESCO / Coursera / edX data into the badgepath catalogue.

Usage: python catalog/convert.py --data ../shared/data --out catalog

Reads only the files named below, writes skills.jsonl.gz, roles.jsonl.gz,
credentials.jsonl.gz and tools.jsonl.gz (sorted by id, gzip mtime=0, so the output is
byte-reproducible). Standard library only; validates against catalog/schema/
when the optional `jsonschema` package is importable.
"""

from __future__ import annotations

import argparse
import ast
import csv
import gzip
import hashlib
import io
import itertools
import json
import re
import unicodedata
import xml.etree.ElementTree as ElementTree
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

Record = dict[str, Any]

ESCO_SOURCE = "ESCO 1.2.0"
COURSERA_SOURCE = "Coursera 2024"
EDX_SOURCE = "edX"
ONET_SOURCE = "O*NET 29.2"

SKILLS_CSV = "esco_v1.2.0/derived/skills_en_derived.csv.gz"
RELATIONS_CSV = "esco_v1.2.0/derived/occupationSkillRelations_en_derived.csv.gz"
OCCUPATIONS_CSV = "esco_v1.2.0/raw_csv/occupations_en.csv.gz"
BROADER_CSV = "esco_v1.2.0/raw_csv/broaderRelationsSkillPillar_en.csv.gz"
SKILL_GROUPS_CSV = "esco_v1.2.0/raw_csv/skillGroups_en.csv.gz"
COLLECTIONS = ("digital", "digComp", "green", "language", "research", "transversal")
ESCO_111_CSV = "taxonomy_labels_nesta_ojd/esco_v_1_1_1_data_formatted.csv.gz"
COURSERA_CSV = "courses_coursera_2024/Coursera.csv.gz"
EDX_CSV = "courses_edx/edx_courses.csv.gz"
TOOLS_XLSX = "onet_29.2/xlsx/Technology Skills.xlsx"
SHEET = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"

# Coursera duration band -> estimated total learning hours (see README).
WEEKS_PER_MONTH = 52 / 12
HOURS_PER_WEEK = 5.0
COURSERA_HOURS: dict[str, float] = {
    "less than 2 hours": 1.5,
    "1 - 4 weeks": round(2.5 * HOURS_PER_WEEK, 1),
    "1 - 3 months": round(2 * WEEKS_PER_MONTH * HOURS_PER_WEEK, 1),
    "3 - 6 months": round(4.5 * WEEKS_PER_MONTH * HOURS_PER_WEEK, 1),
}
EDX_LANGUAGES: dict[str, str] = {
    "English": "en",
    "Español": "es",
    "Français": "fr",
    "Italiano": "it",
    "Português": "pt",
    "Deutsch": "de",
    "中文": "zh",
    "日本語": "ja",
    "اللغة العربية": "ar",
}
EDX_LEVELS = {"introductory": "beginner", "intermediate": "intermediate", "advanced": "advanced"}
MAX_ID_LEN = 120
EDX_DESCRIPTION_CAP = 1500
FUNCTION_WORDS = {"a", "an", "and", "for", "in", "of", "on", "or", "the", "to", "with"}
TOKEN = re.compile(r"\S+")
WORD_STRIP = ".,;:()[]\"'\u201c\u201d\u2018\u2019"
EN_DASH = "\u2013"


# ---------------------------------------------------------------- helpers


def read_csv(path: Path) -> list[dict[str, str]]:
    """Read a gzipped CSV file into a list of row dicts."""
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def norm_ws(text: str | None) -> str:
    """Collapse all whitespace runs to single spaces and strip."""
    return " ".join((text or "").replace("\u200b", " ").replace("\ufeff", " ").split())


def dedupe(items: Iterable[str]) -> list[str]:
    """Drop empty and repeated strings, keeping first-seen order."""
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        if item and item not in seen:
            seen.add(item)
            out.append(item)
    return out


def norm_key(text: str) -> str:
    """Normalise a title/provider for duplicate detection (Unicode-aware)."""
    text = re.sub(r"[^\w+#]+", " ", text.casefold())
    text = re.sub(r"^the ", "", " ".join(text.split()))
    return text


def slug(text: str) -> str:
    """ASCII slug: lowercase, non-alphanumerics collapsed to '-'."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = text.lower().replace("+", "plus").replace("#", "sharp").replace("&", "and")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def short_hash(text: str, n: int = 8) -> str:
    """Deterministic short hex digest of a string."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:n]


def make_id(prefix: str, title: str, provider: str, key: str, used: set[str]) -> str:
    """Build a unique, deterministic slug id of at most MAX_ID_LEN chars."""
    base = "-".join(
        p for p in (prefix, slug(title) or "x" + short_hash(title), slug(provider)) if p
    )
    if len(base) > MAX_ID_LEN or base in used:
        base = base[: MAX_ID_LEN - 9].rstrip("-") + "-" + short_hash(key)
    used.add(base)
    return base


def write_jsonl_gz(path: Path, records: list[Record]) -> None:
    """Write records sorted by id as gzip JSON lines with mtime=0."""
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        for rec in sorted(records, key=lambda r: r["id"]):
            gz.write((json.dumps(rec, ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8"))
    path.write_bytes(buf.getvalue())


# ---------------------------------------------------------------- skills


def uuid_of(uri: str) -> str:
    """Return the last path segment (UUID) of an ESCO URI."""
    return uri.rstrip("/").rsplit("/", 1)[-1]


def load_esco_111(data: Path) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Load ESCO 1.1.1 alt labels and first hierarchy code per skill UUID."""
    alts: dict[str, list[str]] = defaultdict(list)
    first_level: dict[str, str] = {}
    for row in read_csv(data / ESCO_111_CSV):
        if row["type"] == "altLabels":
            alts[row["id"]].append(norm_ws(row["description"]))
        elif row["type"] == "preferredLabel" and row["hierarchy_levels"]:
            levels = ast.literal_eval(row["hierarchy_levels"])
            if levels and levels[0] and levels[0][0]:
                first_level[row["id"]] = str(levels[0][0])
    return alts, first_level


def load_collections(data: Path) -> dict[str, dict[str, Any]]:
    """Load official v1.2 skillType/altLabels/description/collections from the collection CSVs."""
    out: dict[str, dict[str, Any]] = {}
    for name in COLLECTIONS:
        for row in read_csv(data / f"esco_v1.2.0/raw_csv/{name}SkillsCollection_en.csv.gz"):
            if row["conceptType"] != "KnowledgeSkillCompetence":
                continue
            entry = out.setdefault(row["conceptUri"], {"collections": []})
            entry["collections"].append(name.lower())
            entry["skillType"] = entry.get("skillType") or row["skillType"]
            entry["altLabels"] = [norm_ws(a) for a in re.split(r"\n| \| ", row["altLabels"])]
            entry["description"] = norm_ws(row["description"])
    return out


def load_pillar_groups(data: Path) -> dict[str, set[str]]:
    """Map each skill URI to the codes of its nearest v1.2 skill-pillar groups (S1.3.1, T4.2, L1; ISCED-F field
    codes such as 0714 for knowledge)."""
    groups = {r["conceptUri"]: r["code"] for r in read_csv(data / SKILL_GROUPS_CSV)}
    parents: dict[str, set[str]] = defaultdict(set)
    for row in read_csv(data / BROADER_CSV):
        parents[row["conceptUri"]].add(row["broaderUri"])

    def codes(uri: str) -> set[str]:
        """Walk broader skills up to the nearest skill groups."""
        found: set[str] = set()
        stack, seen = [uri], {uri}
        while stack:
            for parent in parents.get(stack.pop(), ()):
                if parent in seen:
                    continue
                seen.add(parent)
                if parent in groups:
                    found.add(groups[parent])
                else:
                    stack.append(parent)
        return found

    return {uri: codes(uri) for uri in parents if uri not in groups}


def top_code(code: str) -> str:
    """The pillar a group code belongs to: S, T or L, and K for the ISCED-F fields of knowledge."""
    return "K" if code[:1].isdigit() else code[:1]


def skill_kind(
    uri: str, coll: dict[str, Any], pillar: dict[str, set[str]], first: dict[str, str]
) -> str:
    """Classify a skill as 'knowledge' or 'skill' from the best available signal."""
    stype = coll.get(uri, {}).get("skillType")
    if stype:
        return "knowledge" if stype == "knowledge" else "skill"
    if pillar.get(uri):
        return "knowledge" if any(top_code(code) == "K" for code in pillar[uri]) else "skill"
    return "knowledge" if first.get(uuid_of(uri), "").startswith("K") else "skill"


def strip_known_labels(rest: str, labels: Iterable[str]) -> str:
    """Repeatedly strip any known label (longest first) off the front of rest."""
    ordered = sorted({lab for lab in labels if lab}, key=lambda s: (-len(s), s))
    changed = True
    while changed and rest:
        changed = False
        for lab in ordered:
            if rest == lab or rest.startswith(lab + " "):
                rest = rest[len(lab) :].lstrip()
                changed = True
                break
    return rest


def proper_words(labels: Iterable[str]) -> set[str]:
    """Capitalised words occurring in the known labels (likely proper nouns)."""
    return {w.strip(WORD_STRIP) for lab in labels for w in lab.split() if w[:1].isupper()}


def clean_word(match: re.Match[str]) -> str:
    """Token text without surrounding punctuation."""
    return match.group().strip(WORD_STRIP)


def is_sentence_start(
    rest: str, match: re.Match[str], proper: set[str], starters: set[str]
) -> bool:
    """Tell whether this token could start the description sentence."""
    word = clean_word(match)
    if not word or not word[0].isupper() or word in proper:
        return False
    tail = word[1:].replace("-", "")
    inner = [c for i, c in enumerate(word[1:], 1) if word[i - 1] != "-"]
    if tail and (any(c.isupper() for c in inner) or any(c.isdigit() for c in word)):
        return False  # acronym, CamelCase product name or version string
    following = TOKEN.findall(rest[match.end() :])[: 6 if word in starters else 3]
    if not following or any(w.endswith(".") for w in following):
        return True
    return any(w.strip(WORD_STRIP)[:1].islower() for w in following)


def find_description(rest: str, proper: set[str], starters: set[str] | None) -> str:
    """Return the description part of rest (the label-free tail of the text)."""
    if starters is not None:
        proper = proper - starters  # common sentence openers are not proper nouns
    known = starters or set()
    cands = [m for m in TOKEN.finditer(rest) if is_sentence_start(rest, m, proper, known)]
    if not cands:
        return ""
    first = cands[0]
    if starters is None or clean_word(first) in starters:
        return rest[first.start() :]
    for cand in cands[1:]:
        if ". " in rest[first.start() : cand.start()]:
            break
        if clean_word(cand) in starters:
            return rest[cand.start() :]
    return rest[first.start() :]


def guess_label(text: str, label_starts: Counter[str]) -> str:
    """Guess a missing preferred label: the words before the next label-like phrase."""
    words = text.split()
    for i in range(2, min(len(words), 12)):
        if label_starts[words[i]] >= 3 and words[i - 1].lower() not in FUNCTION_WORDS:
            return " ".join(words[:i])
    return " ".join(words[:4])


def learn_starters(prepared: dict[str, tuple[str, set[str]]], known: Iterable[str]) -> set[str]:
    """Words that often open a description but are rarely capitalised mid-sentence."""
    starts: Counter[str] = Counter()
    mids: Counter[str] = Counter()
    texts = list(known)
    for rest, proper in prepared.values():
        texts.append(find_description(rest, proper, None))
    for text in texts:
        toks = text.split()
        if not toks:
            continue
        starts[toks[0].strip(WORD_STRIP)] += 1
        for prev, tok in itertools.pairwise(toks):
            if tok[:1].isupper() and not prev.endswith((".", ":", ";")):
                mids[tok.strip(WORD_STRIP)] += 1
    return {w for w, n in starts.items() if n >= 3 and n >= 2 * mids[w]}


# ESCO 1.2.0 alt labels filed under a skill whose label a reader would not give them, each moved to the skill that
# ESCO itself names the same way: a learner's "forklift driving" was *drive agricultural machines* at 1.0, while
# *operate forklift* ("drive a forklift", "use a forklift") stayed in the gap (a demanding user, session 23).
MOVED_ALT_LABELS = {  # alt label -> (the skill ESCO files it under, the skill it is moved to), by preferred label
    "forklift driving": ("drive agricultural machines", "operate forklift"),
    "driving forklifts": ("drive agricultural machines", "operate forklift"),
    "drive forklifts": ("drive agricultural machines", "operate forklift"),
}


def move_alt_labels(base: dict[str, Record], stats: Counter[str]) -> None:
    """Move the alt labels of MOVED_ALT_LABELS (records by URI); a label not where it is said to be is left alone."""
    by_label = {r["label"]: r for r in base.values()}
    for alt, (source, target) in MOVED_ALT_LABELS.items():
        old, new = by_label.get(source), by_label.get(target)
        if old is not None and new is not None and alt in old["alt_labels"]:
            old["alt_labels"].remove(alt)
            if alt not in new["alt_labels"]:
                new["alt_labels"].append(alt)
            stats["alt_label_moved"] += 1


def build_skills(data: Path) -> tuple[list[Record], dict[str, int]]:
    """Build skill records from the derived ESCO 1.2.0 skills table."""
    rows = read_csv(data / SKILLS_CSV)
    alts_111, first_level = load_esco_111(data)
    coll = load_collections(data)
    pillar = load_pillar_groups(data)
    label_starts = Counter(r["preferredLabel"].split()[0] for r in rows if r["preferredLabel"])
    stats: Counter[str] = Counter()
    prepared: dict[str, tuple[str, set[str]]] = {}
    base: dict[str, Record] = {}
    for row in rows:
        uri, text = row["conceptUri"], norm_ws(row["text"])
        label = norm_ws(row["preferredLabel"])
        if not label:
            label = guess_label(text, label_starts)
            stats["label_guessed"] += 1
        alts = dedupe(coll.get(uri, {}).get("altLabels", []) + alts_111.get(uuid_of(uri), []))
        alts = [a for a in alts if a != label]
        rest = text[len(label) :].lstrip() if text.startswith(label) else text
        rest = strip_known_labels(rest, alts)
        prepared[uri] = (rest, proper_words([label, *alts]))
        base[uri] = {"id": uri, "label": label, "alt_labels": alts}
    move_alt_labels(base, stats)
    starters = learn_starters(prepared, (c["description"] for c in coll.values()))
    records: list[Record] = []
    for uri, rec in base.items():
        official = coll.get(uri, {}).get("description")
        if official:
            description = official
            stats["description_official"] += 1
        else:
            description = find_description(*prepared[uri], starters)
            stats["description_heuristic"] += 1
        if not description:
            stats["description_empty"] += 1
        rec["description"] = description
        rec["kind"] = skill_kind(uri, coll, pillar, first_level)
        stats["kind_" + rec["kind"]] += 1
        if uri in coll:
            rec["collections"] = sorted(set(coll[uri]["collections"]))
        if pillar.get(uri):
            rec["groups"] = sorted(pillar[uri])
        rec["source"] = ESCO_SOURCE
        records.append(rec)
    return records, dict(stats)


# ---------------------------------------------------------------- roles


def build_roles(data: Path, skill_ids: set[str]) -> tuple[list[Record], dict[str, int]]:
    """Build occupation records with essential/optional skill relations."""
    relations: dict[str, dict[str, set[str]]] = defaultdict(
        lambda: {"essential": set(), "optional": set()}
    )
    stats: Counter[str] = Counter()
    for row in read_csv(data / RELATIONS_CSV):
        if row["skillUri"] not in skill_ids:
            stats["relation_unknown_skill"] += 1
            continue
        relations[row["occupationUri"]][row["relationType"]].add(row["skillUri"])
    records: list[Record] = []
    for row in read_csv(data / OCCUPATIONS_CSV):
        uri = row["conceptUri"]
        rel = relations.get(uri, {"essential": set(), "optional": set()})
        optional = rel["optional"] - rel["essential"]
        stats["relation_dropped_duplicate"] += len(rel["optional"]) - len(optional)
        skills = [{"id": s, "relation": "essential"} for s in sorted(rel["essential"])]
        skills += [{"id": s, "relation": "optional"} for s in sorted(optional)]
        title = norm_ws(row["preferredLabel"])
        alts = dedupe(norm_ws(a) for a in row["altLabels"].split("\n"))
        records.append(
            {
                "id": uri,
                "title": title,
                "alt_titles": [a for a in alts if a != title],
                "description": norm_ws(row["description"]),
                "skills": skills,
                "isco_code": row["iscoGroup"].strip(),
                "esco_code": row["code"].strip(),
                "source": ESCO_SOURCE,
            }
        )
        stats["relations"] += len(skills)
    withdraw_trap_titles(records, stats)
    add_reported_titles(records, stats)
    add_posted_titles(records, stats)
    return records, dict(stats)


# US job titles from O*NET 29.2's "Sample of Reported Titles", each mapped by hand to the one ESCO occupation a
# recruiter would accept as the same job, or to none (onet_titles.jsonl; docs/QUALITY.md, session 22).
ONET_TITLES = Path(__file__).parent / "onet_titles.jsonl"
BRACKETED = re.compile(r"^(.*?)\s*\(([^()]+)\)\s*$")  # "Nursing Assistant (CNA)", "CEO (Chief Executive Officer)"


ACRONYM_TITLE = re.compile(r"^(?:[A-Z0-9&/.-]{1,5}\s*)+$")  # "OB", "DSO", "FP MD": a string of acronyms


def title_forms(title: str) -> list[str]:
    """The forms of a reported title to match: without a bracketed part, and the part when it is a name of two words
    or more ("CEO (Chief Executive Officer)"); an acronym alone names too many things ("CMS", "CSR", "OB")."""
    found = BRACKETED.match(title)
    forms = [norm_ws(found.group(1)), norm_ws(found.group(2))] if found else [norm_ws(title)]
    return [f for i, f in enumerate(forms) if not ACRONYM_TITLE.match(f) and (i == 0 or len(f.split()) >= 2)]


def title_votes(mapped: Iterable[tuple[str, str | None]]) -> tuple[dict[str, set[str | None]], dict[str, str]]:
    """Per folded form (title_forms, norm_key, two characters or more) of hand-mapped titles, the occupation uuids it
    was mapped to (None: to none), and the form as written (the first in sort order)."""
    targets: dict[str, set[str | None]] = defaultdict(set)
    written: dict[str, str] = {}
    for title, uuid in mapped:
        for form in title_forms(title):
            key = norm_key(form)
            if len(key) >= 2:
                targets[key].add(uuid)
                written[key] = min(written.get(key, form), form)
    return targets, written


def sort_titles(records: list[Record], field: str) -> None:
    """Sort each record's list of titles in field, case-folded."""
    for record in records:
        if field in record:
            record[field].sort(key=str.casefold)


def withdrawn_from(role: Record, key: str) -> bool:
    """Whether a folded title (norm_key) was withdrawn from a role as a trap."""
    return any(norm_key(t) == key for t in role.get("withdrawn_titles", []))


def add_reported_titles(records: list[Record], stats: Counter[str]) -> None:
    """Give each role the reported US titles mapped to it (ONET_TITLES), as `reported_titles`: a title ESCO already
    gives some occupation is left to ESCO, and one mapped to two occupations, or to one under an O*NET occupation and
    to none under another, is left out."""
    esco = {norm_key(t) for r in records for t in titles_of(r)}  # ESCO's titles, withdrawn ones aside, and corrected
    by_uuid = {uuid_of(r["id"]): r for r in records}
    targets, written = title_votes(  # a title left unmapped under one occupation ("Painter") is a vote too
        pair for line in ONET_TITLES.read_text(encoding="utf-8").splitlines()
        for pair in json.loads(line)["titles"].items())
    for key in sorted(targets):
        uuid = next(iter(targets[key]))
        if targets[key] == {None}:
            continue
        if key in esco:
            stats["reported_title_esco_already"] += 1
        elif len(targets[key]) > 1 or uuid is None:
            stats["reported_title_ambiguous"] += 1
        elif withdrawn_from(by_uuid[uuid], key):
            stats["reported_title_trap"] += 1  # the audit says boards do not mean that occupation by it
        else:
            by_uuid[uuid].setdefault("reported_titles", []).append(written[key])
            stats["reported_titles"] += 1
    sort_titles(records, "reported_titles")


# Job titles as boards in the UK, Ireland, Australia and New Zealand (and India, Singapore, South Africa) post them,
# none an ESCO title, each mapped by hand to the one ESCO occupation a recruiter there would accept
# (posted_titles.jsonl; catalog/README.md): "People & Culture Advisor" was *cultural policy officer*.
POSTED_TITLES = Path(__file__).parent / "posted_titles.jsonl"


def add_posted_titles(records: list[Record], stats: Counter[str]) -> None:
    """Give each role the job-board titles mapped to it (POSTED_TITLES), as `posted_titles`: a title that ESCO or a
    reported US title already gives some occupation is left to them, and one mapped to two occupations is left out."""
    known = {norm_key(t) for r in records for t in titles_of(r)}  # ESCO's, corrected and reported titles
    by_uuid = {uuid_of(r["id"]): r for r in records}
    targets, written = title_votes(
        (entry["title"], uuid_of(entry["uri"]))
        for entry in map(json.loads, POSTED_TITLES.read_text(encoding="utf-8").splitlines()))
    for key in sorted(targets):
        uuid = next(iter(targets[key]))
        if key in known:
            stats["posted_title_known"] += 1
        elif len(targets[key]) > 1:
            stats["posted_title_ambiguous"] += 1
        elif uuid not in by_uuid:
            stats["posted_title_unknown_role"] += 1  # a mistyped mapping: convert's stats say so
        elif withdrawn_from(by_uuid[uuid], key):
            stats["posted_title_trap"] += 1
        else:
            by_uuid[uuid].setdefault("posted_titles", []).append(written[key])
            stats["posted_titles"] += 1
    sort_titles(records, "posted_titles")


# Common job-board titles that ESCO 1.2.0 gives, as an alt title, to occupations a recruiter posting the title would not
# accept: "solicitor" to *court jury coordinator* and *immigration adviser*, "gas engineer" to *petroleum engineer*,
# "security officer" to *security manager*. A hand audit (title_traps.jsonl; catalog/README.md) names each such trap
# and, where one is clearly right, the occupation boards mean by the title.
TITLE_TRAPS = Path(__file__).parent / "title_traps.jsonl"


def usable_alts(role: Record) -> list[str]:
    """A role's ESCO alt titles without those withdrawn from it as traps (withdraw_trap_titles)."""
    withdrawn = set(role.get("withdrawn_titles", []))
    return [t for t in role["alt_titles"] if t not in withdrawn]


def titles_of(role: Record) -> list[str]:
    """Every title a role is matched by (service.catalog.role_names: the converter imports nothing of the service)."""
    return [role["title"], *usable_alts(role), *role.get("reported_titles", []), *role.get("posted_titles", []),
            *role.get("corrected_titles", [])]


def read_traps(path: Path, by_uuid: dict[str, Record]) -> list[Record]:
    """The audited traps, checked: each title once, every occupation known, the right one not among the wrong."""
    traps = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    keys = Counter(norm_key(t["title"]) for t in traps)
    for trap in traps:
        uuids = [uuid_of(w["uri"]) for w in trap["wrong"]] + ([uuid_of(trap["right"]["uri"])] if trap["right"] else [])
        problem = ("listed twice" if keys[norm_key(trap["title"])] > 1 else
                   "names an unknown occupation" if any(u not in by_uuid for u in uuids) else
                   "has its right occupation among the wrong" if trap["right"] and uuids[-1] in uuids[:-1] else "")
        if problem:
            raise ValueError(f"{path.name}: trap title {trap['title']!r} {problem}")
    return traps


def withdraw_trap_titles(records: list[Record], stats: Counter[str]) -> None:
    """Per audited trap (TITLE_TRAPS): the title is marked as withdrawn from the occupations it misleads to
    (`withdrawn_titles`, the ESCO alt titles they are not matched by; `alt_titles` stay ESCO's) and added as a
    `corrected_titles` entry of the occupation boards mean by it, unless that is its preferred title. A trap title
    that is a wrong occupation's preferred title stays, and the trap corrects nothing (the preferred title would win
    the title anyway); stats say so. Run before the reported and posted titles are added, which may then give a
    withdrawn title to the occupation they map it to."""
    by_uuid = {uuid_of(r["id"]): r for r in records}
    for trap in read_traps(TITLE_TRAPS, by_uuid):
        key = norm_key(trap["title"])
        wrong = [by_uuid[uuid_of(w["uri"])] for w in trap["wrong"]]
        if any(norm_key(role["title"]) == key for role in wrong):
            stats["trap_title_preferred_kept"] += 1
            continue
        for role in wrong:
            found = [t for t in role["alt_titles"] if norm_key(t) == key]
            stats["trap_title_withdrawn" if found else "trap_title_not_found"] += 1
            if found:
                role["withdrawn_titles"] = [t for t in role["alt_titles"]
                                            if t in found or t in role.get("withdrawn_titles", [])]
        right = by_uuid[uuid_of(trap["right"]["uri"])] if trap["right"] else None
        if right is not None and norm_key(right["title"]) != key:
            right.setdefault("corrected_titles", []).append(trap["title"])
            stats["trap_title_corrected"] += 1
    sort_titles(records, "corrected_titles")


# ---------------------------------------------------------------- credentials


def parse_number(text: str) -> float | None:
    """Parse '124,980' or '4.7' into a number; None if not numeric."""
    cleaned = text.replace(",", "").strip()
    try:
        return float(cleaned)
    except ValueError:
        return None


def coursera_description(rec: Record) -> str:
    """Compose a short factual description for a Coursera item (source has none)."""
    level = "Mixed-level" if rec["level"] == "mixed" else rec["level"].capitalize() + "-level"
    subjects = " and ".join(rec["subjects"])
    band = rec["duration_band"].lower().replace(" - ", "-")
    text = f"{level} {rec['type']} by {rec['provider']} in {subjects}, duration {band}."
    if rec["skill_tags"]:
        text += " Covers " + ", ".join(rec["skill_tags"]) + "."
    return text


def guess_language(title: str) -> str:
    """Guess a Coursera item's language from its title (the source names none): the script for non-Latin titles, else
    the Latin-script language whose function words and spellings the title uses (latin_language), else English."""
    scripts = {unicodedata.name(ch, "?").split()[0] for ch in title if ch.isalpha()}
    if "日本語" in title or scripts & {"HIRAGANA", "KATAKANA", "KATAKANA-HIRAGANA"}:
        return "ja"
    for script, lang in (("CYRILLIC", "ru"), ("ARABIC", "ar"), ("HANGUL", "ko"), ("CJK", "zh")):
        if script in scripts:
            return lang
    return latin_language(title)


# Function words, spellings and names of the Latin-script languages in the course catalogues. A function word counts
# once for each language that uses it (twice when it is no English word: LATIN_FOREIGN, "de", "et"), a
# spelling twice, an accented vowel inside a word once, the language's own name three times ("en Español"). English
# wins ties, so a title needs more evidence for another language than for English.
LATIN_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset("the and of to in for with a an on your how from by using into at is are you what".split()),
    "es": frozenset("de la el los las del al y en con para por una un su sus que como no tu a".split()),
    "pt": frozenset("de da do das dos em com para e o os as uma um ao na no nas nos à que como".split()),
    "fr": frozenset("de la le les des du et pour dans une un en au aux à sur avec ou par".split()),
    "it": frozenset("di il la e per con del della dei degli un una nel alla delle le".split()),
    "de": frozenset("und der die das für mit ein eine im zu von den".split()),
}
LATIN_FOREIGN = frozenset(
    "de del los las el y para por con una sus da dos das em uma ao nos nas et les des du aux pour dans une sur avec "
    "und der für mit ein eine di il per della dei degli nel alla delle".split())
LATIN_SPELLINGS: dict[str, re.Pattern[str]] = {
    "es": re.compile(r"ión\b|iones\b|dad\b|dades\b|mientos?\b|[ñ¿¡]"),
    "pt": re.compile(r"ção\b|ções\b|dade\b|dades\b|agem\b|[ãõ]"),
    "fr": re.compile(r"\b[ld]['’]\w|[èùœ]|\w+é(e|es|s)?\b"),
    "it": re.compile(r"zione\b|zioni\b"),
    "de": re.compile(r"[äöüß]"),
}
# French spells "-ion" without the accent Spanish gives it and the "-ção" Portuguese writes: it breaks a tie between
# the languages a title may be in ("Gestion de projet de Google"), never makes a title foreign (English has it too).
LATIN_HINTS: dict[str, re.Pattern[str]] = {"fr": re.compile(r"\b\w+ions?\b")}
LATIN_ACCENTS = {"es": "áéíóú", "pt": "áéíóúâêôà", "fr": "éèêâôîûà", "it": "àèéìòù", "de": ""}
LATIN_NAMES = {"es": ("español", "castellano"), "pt": ("português", "portugues", "brasileiro"), "fr": ("français",),
               "it": ("italiano",), "de": ("deutsch",)}


def latin_language(title: str) -> str:
    """The language of a Latin-script title by its score in each language (LATIN_WORDS); another language than English
    needs two points, more than English, and one of its function words where the title has English ones ("Global
    Financing Solutions (by EDHEC and Société Générale)")."""
    text = title.lower()
    words = re.findall(r"[^\W\d_]+", text)
    function = {lang: sum(2 if w in LATIN_FOREIGN else 1 for w in words if w in vocab)
                for lang, vocab in LATIN_WORDS.items()}
    scores = dict(function)
    for lang, pattern in LATIN_SPELLINGS.items():
        scores[lang] += 2 * len(pattern.findall(text)) + 3 * sum(w in LATIN_NAMES[lang] for w in words)
        scores[lang] += sum(1 for w in words if any(ch in LATIN_ACCENTS[lang] for ch in w))
    best = max(scores, key=lambda lang: (scores[lang], lang == "en"))
    foreign = scores[best] >= 2 and scores[best] > scores["en"] and (function[best] or not function["en"])
    if best == "en" or not foreign:
        return "en"
    tied = [lang for lang in scores if lang != "en" and scores[lang] == scores[best]]
    return max(tied, key=lambda lang: len(LATIN_HINTS[lang].findall(text)) if lang in LATIN_HINTS else 0)


# The Coursera snapshot lists 329 Business rows with the skills of the course on the next row: its data rows 643-971
# (0-based, after the header) hold in "Gained Skills" what the course one row below teaches, so "Finance for
# Startups" (row 958) listed "Train The Trainer, Staff Management", which row 959's course teaches, and "Remote
# Leadership for Managers" listed payroll. Found in session 20 (a user saw courses teaching what their titles do
# not): a Viterbi pass over each row's title against the skills of the rows two above to two below (MiniLM cosine,
# a penalty for changing the offset; 0.2-0.4 give the same answer) keeps every row where it is except this one run:
# rows 644-972 take the skills listed one row above, and their title-skills fit rises from 0.163 to 0.444 (12 of
# them fit worse, at the run's edges and in other languages). Row 643 ("Финансовые рынки"), whose own skills are
# listed nowhere, gets none; the list on row 972 matches no course and is dropped. The repair applies only to the
# snapshot analysed (the sha256 of its CSV text).
COURSERA_SHA256 = "d2233cdf50ee421b5b84aa4017c3d8dfc67b4e303f44e20df82c9abab466fe58"
COURSERA_SHIFTED = range(644, 973)  # data rows whose skills are those listed on the row above


def coursera_skills(rows: list[dict[str, str]], path: Path) -> list[str]:
    """Each Coursera row's "Gained Skills", the shifted run of the analysed snapshot put back (shift_back)."""
    skills = [row["Gained Skills"] for row in rows]
    if hashlib.sha256(gzip.decompress(path.read_bytes())).hexdigest() != COURSERA_SHA256:
        print(f"warning: {path} is not the snapshot analysed; its skills are taken as listed")
        return skills
    return shift_back(skills, COURSERA_SHIFTED)


def shift_back(skills: list[str], run: range) -> list[str]:
    """The rows of run take the skills listed one row above; the row above the run, whose list they took, gets none."""
    repaired = [skills[i - 1] if i in run else s for i, s in enumerate(skills)]
    repaired[run.start - 1] = ""
    return repaired


def coursera_rows(data: Path) -> list[Record]:
    """Deduplicated Coursera records (first row wins; tags and subjects merged)."""
    merged: dict[str, Record] = {}
    rows = read_csv(data / COURSERA_CSV)
    for row, gained in zip(rows, coursera_skills(rows, data / COURSERA_CSV), strict=True):
        title, provider = norm_ws(row["Title"]), norm_ws(row["Institution"])
        key = norm_key(title) + "|" + norm_key(provider)
        tags = dedupe(norm_ws(t) for t in gained.split(",") if norm_ws(t))
        subject = norm_ws(row["Subject"])
        if key in merged:
            rec = merged[key]
            rec["skill_tags"] = dedupe(rec["skill_tags"] + tags)
            rec["subjects"] = dedupe([*rec["subjects"], subject])
            continue
        band = norm_ws(row["Duration"])
        rec = {
            "key": key,
            "name": title,
            "provider": provider,
            "type": norm_ws(row["Learning Product"]).lower(),
            "level": norm_ws(row["Level"]).lower(),
            "hours": COURSERA_HOURS[band.lower()],
            "duration_band": band,
            "language": guess_language(title),
            "skill_tags": tags,
            "subject": subject,
            "subjects": [subject],
            "source": COURSERA_SOURCE,
        }
        rating, reviews = parse_number(row["Rate"]), parse_number(row["Reviews"])
        if rating is not None:
            rec["rating"] = rating
        if reviews is not None:
            rec["reviews"] = int(reviews)
        merged[key] = rec
    for rec in merged.values():
        rec["description"] = coursera_description(rec)
    return list(merged.values())


def edx_hours(effort: str, length: str) -> float | None:
    """Midpoint of 'a-b hours per week' (en dash in the data) times the number of weeks."""
    eff = re.match(
        r"\s*(\d+(?:\.\d+)?)\s*(?:[\u2013-]\s*(\d+(?:\.\d+)?))?\s*hours? per week", effort
    )
    weeks = re.match(r"\s*(\d+(?:\.\d+)?)\s*weeks?", length, re.IGNORECASE)
    if not eff or not weeks:
        return None
    low = float(eff.group(1))
    high = float(eff.group(2) or low)
    return round((low + high) / 2 * float(weeks.group(1)), 1)


def edx_cost(price: str) -> tuple[float | None, float | None]:
    """Return (audit cost, verified-certificate cost) in USD from the price text."""
    cert = re.search(r"\$\s*(\d+(?:\.\d+)?)\s*USD", price)
    cert_cost = float(cert.group(1)) if cert else None
    if price.upper().startswith("FREE"):
        return 0.0, cert_cost
    return cert_cost, None


def edx_type(title: str) -> str:
    """Map an edX title to a type: single course unless the title names a programme."""
    low = title.lower()
    if "professional certificate" in low:
        return "professional certificate"
    if "micromasters" in low:
        return "specialization"
    return "course"


def edx_rows(data: Path) -> list[Record]:
    """Build edX records, deduplicated by URL and normalised title+provider."""
    out: dict[str, Record] = {}
    seen_urls: set[str] = set()
    for row in read_csv(data / EDX_CSV):
        title, provider = norm_ws(row["title"]), norm_ws(row["institution"])
        url = row["course_url"].strip()
        key = norm_key(title) + "|" + norm_key(provider)
        if key in out or (url and url in seen_urls):
            continue
        seen_urls.add(url)
        desc = norm_ws(row["summary"])
        body = norm_ws(row["course_description"])
        if body and body not in desc:
            desc = f"{desc} {body}".strip() if desc else body
        if len(desc) > EDX_DESCRIPTION_CAP:
            desc = desc[: EDX_DESCRIPTION_CAP - 1].rsplit(" ", 1)[0] + "…"
        rec: Record = {
            "key": key,
            "name": title,
            "description": desc,
            "provider": provider,
            "type": edx_type(title),
            "level": EDX_LEVELS.get(row["Level"].strip().lower(), "mixed"),
            "language": EDX_LANGUAGES.get(
                row["language"].strip(), row["language"].strip().lower()[:2] or "en"
            ),
            "skill_tags": [],
            "subject": norm_ws(row["subject"]),
            "pacing": "instructor-led"
            if "instructor" in row["course_type"].lower()
            else "self-paced",
            "source": EDX_SOURCE,
        }
        hours = edx_hours(row["course_effort"], row["course_length"])
        if hours:
            rec["hours"] = hours
            rec["effort"] = norm_ws(row["course_effort"]).replace(EN_DASH, "-")
            rec["length_weeks"] = int(row["course_length"].split()[0])
        cost, cert = edx_cost(row["price"])
        if cost is not None:
            rec["cost"] = cost
        if cert is not None:
            rec["certificate_cost"] = cert
        if url:
            rec["url"] = url
        enrolled = parse_number(row["n_enrolled"])
        if enrolled is not None:
            rec["enrolled"] = int(enrolled)
        if row["instructors"].strip():
            rec["instructors"] = dedupe(norm_ws(i) for i in row["instructors"].split("-"))
        out[key] = rec
    return list(out.values())


def merge_cross_source(coursera: list[Record], edx: list[Record]) -> tuple[list[Record], int]:
    """Drop Coursera items also on edX (same title+provider); keep edX, merge tags."""
    by_key = {r["key"]: r for r in edx}
    kept: list[Record] = []
    dropped = 0
    for rec in coursera:
        twin = by_key.get(rec["key"])
        if twin is None:
            kept.append(rec)
            continue
        twin["skill_tags"] = dedupe(twin["skill_tags"] + rec["skill_tags"])
        twin["also_on"] = [COURSERA_SOURCE]
        dropped += 1
    return kept + edx, dropped


def finish_credential(rec: Record, used: set[str]) -> Record:
    """Assign id, fill link fields and order keys for output."""
    prefix = "coursera" if rec["source"] == COURSERA_SOURCE else "edx"
    key = rec.pop("key")
    rec["id"] = make_id(prefix, rec["name"], rec["provider"], prefix + "|" + key, used)
    rec.update({"skills": [], "requires": [], "part_of": []})
    first = [
        "id",
        "name",
        "description",
        "provider",
        "type",
        "level",
        "hours",
        "cost",
        "url",
        "language",
    ]
    core = [*first, "skill_tags", "skills", "requires", "part_of", "source"]
    ordered = {k: rec[k] for k in core if k in rec}
    ordered.update({k: rec[k] for k in sorted(rec) if k not in ordered})
    return ordered


def build_credentials(data: Path) -> tuple[list[Record], dict[str, int]]:
    """Build deduplicated credential records from Coursera 2024 and edX."""
    coursera = coursera_rows(data)
    edx = edx_rows(data)
    merged, cross = merge_cross_source(coursera, edx)
    no_hours = sum(1 for r in merged if not r.get("hours"))
    merged = [r for r in merged if r.get("hours")]
    merged.sort(key=lambda r: (r["source"], r["key"]))
    used: set[str] = set()
    records = [finish_credential(r, used) for r in merged]
    stats = {
        "coursera": len(coursera) - cross,
        "edx": len(edx),
        "cross_source_duplicates": cross,
        "dropped_no_hours": no_hours,
    }
    return records, stats


# ---------------------------------------------------------------- main


def validate(outputs: dict[str, list[Record]]) -> str:
    """Validate records against catalog/schema if jsonschema is importable."""
    try:
        import jsonschema  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        return "jsonschema not installed; skipped validation"
    schema_dir = Path(__file__).resolve().parent / "schema"
    for name, records in outputs.items():
        schema = json.loads((schema_dir / f"{name}.schema.json").read_text(encoding="utf-8"))
        validator = jsonschema.Draft202012Validator(schema)
        for rec in records:
            validator.validate(rec)
    return "validated against catalog/schema"


def iter_summary(counts: dict[str, dict[str, int]]) -> Iterator[str]:
    """Format the per-file statistics for printing."""
    for name, stats in counts.items():
        yield f"{name}: " + ", ".join(f"{k}={v}" for k, v in sorted(stats.items()))


# ---------------------------------------------------------------- tools (O*NET technology skills)


def column_number(ref: str) -> int:
    """0-based column of a cell reference such as 'C12'."""
    letters = re.match(r"[A-Z]+", ref)
    number = 0
    for char in letters.group(0) if letters else "A":
        number = number * 26 + ord(char) - 64
    return number - 1


def xlsx_rows(path: Path) -> list[list[str]]:
    """The cell texts of an .xlsx file's first worksheet, row by row (standard library: zip + XML)."""
    with zipfile.ZipFile(path) as book:
        strings = [
            "".join(t.text or "" for t in item.iter(f"{SHEET}t"))
            for item in ElementTree.fromstring(book.read("xl/sharedStrings.xml")).iter(f"{SHEET}si")
        ]
        sheet = ElementTree.fromstring(book.read("xl/worksheets/sheet1.xml"))
    rows = []
    for row in sheet.iter(f"{SHEET}row"):
        cells: dict[int, str] = {}
        for cell in row.iter(f"{SHEET}c"):
            value = cell.find(f"{SHEET}v")
            text = value.text or "" if value is not None else ""
            cells[column_number(cell.get("r", "A"))] = strings[int(text)] if cell.get("t") == "s" else text
        rows.append([cells.get(i, "") for i in range(max(cells) + 1)] if cells else [])
    return rows


def build_tools(data: Path) -> tuple[list[Record], dict[str, int]]:
    """One record per O*NET technology example (a named tool) with its commodity category (the one most of its rows
    give: O*NET files 155 tools under two or more, MySQL 30 times as database management software and 20 times as
    query software; an empty one never counts), whether O*NET marks it a hot technology, and how many occupations
    list it."""
    header, *rows = xlsx_rows(data / TOOLS_XLSX)
    at = {name: i for i, name in enumerate(header)}
    occupations: dict[str, set[str]] = defaultdict(set)
    categories: dict[str, Counter[str]] = defaultdict(Counter)
    hot: dict[str, bool] = defaultdict(bool)
    for row in rows:
        name = norm_ws(row[at["Example"]])
        if not name:
            continue
        occupations[name].add(row[at["O*NET-SOC Code"]])
        if title := norm_ws(row[at["Commodity Title"]]):
            categories[name][title] += 1
        hot[name] |= row[at["Hot Technology"]] == "Y"
    # the most rows first, ties to the first given (Counter keeps insertion order)
    category = {name: counts.most_common(1)[0][0] for name, counts in categories.items()}
    used: set[str] = set()
    tools = [{"id": make_id("onet-tool", name, "", name, used), "name": name, "category": category[name],
              "hot": hot[name], "occupations": len(occupations[name]), "source": ONET_SOURCE}
             for name in sorted(category)]
    return tools, {"categories": len(set(category.values())), "hot": sum(hot.values()), "rows": len(rows)}


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="shared data directory")
    parser.add_argument("--out", type=Path, required=True, help="output directory")
    parser.add_argument("--no-validate", action="store_true", help="skip jsonschema validation")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    skills, skill_stats = build_skills(args.data)
    skill_ids = {s["id"] for s in skills}
    roles, role_stats = build_roles(args.data, skill_ids)
    credentials, cred_stats = build_credentials(args.data)
    tools, tool_stats = build_tools(args.data)
    outputs = {"skill": skills, "role": roles, "credential": credentials, "tool": tools}
    for name, records in outputs.items():
        write_jsonl_gz(args.out / f"{name}s.jsonl.gz", records)
    counts = {
        "skills": {"records": len(skills), **skill_stats},
        "roles": {"records": len(roles), **role_stats},
        "credentials": {"records": len(credentials), **cred_stats},
        "tools": {"records": len(tools), **tool_stats},
    }
    for line in iter_summary(counts):
        print(line)
    if not args.no_validate:
        print(validate(outputs))


if __name__ == "__main__":
    main()
