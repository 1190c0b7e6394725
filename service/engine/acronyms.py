"""Acronyms a posting uses, written out ("CPR" -> "cardiopulmonary resuscitation (CPR)") from a glossary of posting
acronyms and from ESCO's own words.

A phrase that is only an acronym ESCO lists ("HPLC") matches its skill exactly, but inside a sentence ("HPLC method
development experience") MiniLM barely reads it. The table (posting_acronyms) has three sources, the first one
winning where they disagree:
- the glossary (glossary.tsv): 393 acronyms of job postings over 17 sectors, written by hand from general knowledge
  of postings, each with its one meaning there; acronyms with two common meanings (API, GCP, CPC) were left out.
  "POS" is point of sale there, where ESCO's one skill named so is "proof of stake". Session 30 added FPGA and ASIC
  (ESCO's *field-programmable gate arrays* has no alt label; an FPGA engineer's posting had not found it): 395;
- the rows of the index itself, so an evaluation that hides alt labels hides their acronyms too. An acronym is a
  label or alt label of 3-8 characters in capitals (digits, "&", "/" and "-" allowed, at least three capital
  letters) that names exactly one skill. It is written out by another of that skill's names that spells it (see
  spells) and does not contain it: the one with the fewest other words, then the preferred label. An acronym no
  name spells ("GPS" for geographic information systems) is left as written;
- ESCO's descriptions, which define acronyms in passing ("computer numerical control (CNC)"). Those in the skill and
  role description rows are written out by the fewest words before the brackets that spell them, when every row
  agrees; they name no skill themselves.
An acronym that is a skill's preferred label ("SQL", "PHP", "GDPR") is not written out: ESCO names the skill by it.
Two-letter acronyms (AR, HR, IT, PR, RE) are left out: in postings they mean too many things. The matcher decides
whether a written-out phrase is used (target.encoded_items): only when its best skill scores higher than the
phrase's as posted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..index import ALT, DESCRIPTION, LABEL, Records, VectorTable

GLOSSARY = Path(__file__).with_name("glossary.tsv")
ACRONYM = re.compile(r"[A-Z][A-Z0-9&/\-]{2,7}")
CAPITALS = 3  # capital letters an acronym holds at least ("X10", "M41" are not acronyms)
ACRONYM_LINE = re.compile(rb'^"[A-Z][A-Z0-9&/\\-]{2,7}"$', re.MULTILINE)  # a row text, as written in texts.jsonl
DEFINED = re.compile(r"([^():;.]*?)\s*\(([A-Z][A-Z0-9&/\-]{2,7})s?\)")  # "words before (ACRONYM)" in a description
DEFINED_LINE = re.compile(rb"\([A-Z][A-Z0-9&/\\-]{2,7}s?\)")  # somewhere in a row's raw JSON line
WORDS = re.compile(r"[\s\-/,()]+")
FUNCTION = frozenset({"a", "an", "and", "for", "in", "of", "on", "or", "the", "to", "with", "by", "&"})
IN_TEXT = re.compile(r"(?<![\w&/\-])([A-Z][A-Z0-9&/\-]{2,7})(s?)(?![\w&/\-])")


@dataclass(frozen=True)
class Acronym:
    """An acronym, the skill (position) it names (None for one a description defines) and the name that writes it
    out."""

    acronym: str
    skill: int | None
    written_out: str


def is_acronym(name: str) -> bool:
    """Whether a name is an acronym (see the module docstring): 3-8 characters in capitals, at least three capital
    letters."""
    return bool(ACRONYM.fullmatch(name)) and sum(c.isalpha() and c.isupper() for c in name) >= CAPITALS


def spells(acronym: str, name: str) -> bool:
    """Whether name spells acronym out: each word it uses gives the next character by its initial, and maybe a few
    more from inside it ("cardiopulmonary resuscitation": C, P, R); at least two words are used, and no word but a
    function word is skipped between the first used and the last ("geographic information systems" does not spell
    GPS; "data extraction, transformation and loading tools" spells ETL)."""
    letters = "".join(c for c in acronym.lower() if c.isalnum())
    words = [w for w in WORDS.split(name.lower()) if w]
    return bool(letters) and spelled(letters, words, 0, 0, 0)


def spelled(letters: str, words: list[str], i: int, w: int, used: int) -> bool:
    """Whether letters[i:] are spelled by words[w:] (see spells), used words having been used so far."""
    if i == len(letters):
        return used >= 2
    for at in range(w, len(words)):
        if at > w and used and words[at - 1] not in FUNCTION:
            return False  # a content word between two used words was skipped
        word = words[at]
        if word[0] != letters[i]:
            continue
        for end in range(len(letters), i, -1):  # the most characters this word can give first
            if inside(letters[i + 1 : end], word[1:]) and spelled(letters, words, end, at + 1, used + 1):
                return True
    return False


def inside(letters: str, word: str) -> bool:
    """Whether letters appear in word in order."""
    rest = iter(word)
    return all(c in rest for c in letters)


def written_out(acronym: str, names: Sequence[tuple[str, bool]]) -> str | None:
    """The name (text, is the preferred label) that writes acronym out, if any: of those that spell it and do not
    contain it, the one with the fewest other words ("closed-circuit television" before "manage closed-circuit
    television system"), then the preferred label, then the longest."""
    inside_name = re.compile(rf"(?<!\w){re.escape(acronym)}(?!\w)")
    spelling = [(text, preferred) for text, preferred in names
                if not is_acronym(text) and not inside_name.search(text) and spells(acronym, text)]
    if not spelling:
        return None
    return min(spelling, key=lambda n: (extra_words(acronym, n[0]), not n[1], -len(n[0]), n[0]))[0]


def extra_words(acronym: str, name: str) -> int:
    """Words of name that are neither function words nor opened by a character of acronym."""
    letters = set(acronym.lower())
    return sum(w not in FUNCTION and w[0] not in letters for w in WORDS.split(name.lower()) if w)


def named_rows(table: VectorTable, label: int, alt: int) -> list[tuple[str, int, bool]]:
    """The label and alt-label rows (kinds label and alt) of a skill table that are acronyms, as (text, skill, is
    the preferred label): one scan of the table's texts, shared by acronym_table and skill_names."""
    names = (table.kind == label) | (table.kind == alt)
    return [(text, int(table.owner[row]), bool(table.kind[row] == label))
            for row in candidate_rows(table.texts, ACRONYM_LINE, ACRONYM.fullmatch)
            if names[row] and is_acronym(text := table.texts[row])]


def acronym_table(
    table: VectorTable, named: list[tuple[str, int, bool]], label: int, alt: int
) -> dict[str, Acronym]:
    """The acronyms among a skill table's label and alt-label rows (named: see named_rows), each with its skill and
    written-out form."""
    names = (table.kind == label) | (table.kind == alt)
    found: dict[str, set[int]] = {}
    for text, skill, _ in named:
        found.setdefault(text, set()).add(skill)
    owners = sorted(o for skills in found.values() if len(skills) == 1 for o in skills)
    by_owner: dict[int, list[tuple[str, bool]]] = {}
    for row in np.flatnonzero(names & np.isin(table.owner, owners)).tolist():
        by_owner.setdefault(int(table.owner[row]), []).append((table.texts[row], bool(table.kind[row] == label)))
    out: dict[str, Acronym] = {}
    for acronym, skills in sorted(found.items()):
        if len(skills) != 1:
            continue  # ESCO gives it to several skills
        skill = next(iter(skills))
        form = written_out(acronym, by_owner.get(skill, []))
        if form is not None:
            out[acronym] = Acronym(acronym, skill, form)
    return out


def skill_names(named: list[tuple[str, int, bool]]) -> set[str]:
    """The acronyms that are a skill's preferred label ("SQL", "PHP", "GDPR"; named: see named_rows): ESCO names the
    skill by the acronym itself, so a phrase is matched as posted."""
    return {text for text, _, preferred in named if preferred}


def candidate_rows(texts: Sequence[str], line: re.Pattern[bytes], keep: Callable[[str], object]) -> list[int]:
    """Rows worth reading: those whose raw JSON line matches line when the texts are a mapped file (one scan, no
    decoding), else those whose text keep accepts."""
    if isinstance(texts, Records):
        return texts.lines_matching(line)
    return [row for row, value in enumerate(texts) if keep(value)]


def defined_acronyms(tables: Sequence[VectorTable], description: int) -> dict[str, Acronym]:
    """The acronyms the description rows (kind description) of tables define in brackets, each written out by the
    fewest words before the brackets that spell it, when every row that defines it agrees (see the docstring)."""
    forms: dict[str, set[str]] = {}
    for table in tables:
        for row in candidate_rows(table.texts, DEFINED_LINE, DEFINED.search):
            if table.kind[row] != description:
                continue
            for before, acronym in DEFINED.findall(table.texts[row]):
                form = spelled_by(acronym, before.split())
                if form is not None and is_acronym(acronym):
                    forms.setdefault(acronym, set()).add(form.lower())
    return {a: Acronym(a, None, next(iter(f))) for a, f in sorted(forms.items()) if len(f) == 1}


def spelled_by(acronym: str, words: list[str]) -> str | None:
    """The fewest words just before the brackets that spell acronym (see spells) and open with its first character,
    if any. Words between the last one it needs and the brackets stay: trimming them cost more ("cascading style
    (sheets)", "failure mode and (effects analysis)") than it saved ("international civil aviation organization's
    standards (ICAO)")."""
    limit = min(len(acronym) + 5, 2 * len(acronym))
    for start in range(len(words) - 1, max(-1, len(words) - 1 - limit), -1):
        form = " ".join(words[start:]).strip(",;:")
        if form[:1].lower() == acronym[0].lower() and spells(acronym, form):
            return form
    return None


def glossary(path: Path = GLOSSARY) -> dict[str, Acronym]:
    """The job-posting acronyms of the glossary file (acronym, written out, sector; tab-separated, a header line),
    each naming no skill itself. Its meanings were written by hand, so they need not spell the acronym by the rule
    mined names must follow ("ISO", "DAX"); an entry that is not an acronym, or a repeated one, is an error."""
    out: dict[str, Acronym] = {}
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    for number, line in enumerate(lines, start=2):
        acronym, form, _ = line.split("\t")
        if not is_acronym(acronym) or acronym in out or not form.strip():
            raise ValueError(f"{path}:{number}: {acronym!r} is not a new acronym with a written-out form")
        out[acronym] = Acronym(acronym, None, form)
    return out


def posting_acronyms(tables: dict[str, VectorTable]) -> dict[str, Acronym]:
    """The acronyms a posting's phrases and titles are read with (see the module docstring): the glossary's, then
    the skill names', then the descriptions', without the skills' preferred labels."""
    described = defined_acronyms([tables[n] for n in ("skills", "roles") if n in tables], DESCRIPTION)
    skills = tables.get("skills")
    named = named_rows(skills, LABEL, ALT) if skills is not None else []
    by_name = acronym_table(skills, named, LABEL, ALT) if skills is not None else {}
    labels = skill_names(named)
    return {a: entry for a, entry in {**described, **by_name, **glossary()}.items() if a not in labels}


def shouted(text: str) -> bool:
    """Whether a text is in capitals throughout ("CALL US TODAY"): its capital words are no acronyms."""
    return not any(c.islower() for c in text)


def write_out(text: str, table: dict[str, Acronym]) -> str | None:
    """text with each acronym of the table written out before it ("... cardiopulmonary resuscitation (CPR) ..."),
    or None when it names none. A text in capitals throughout ("CALL US TODAY") names none, unless it is one acronym
    ("BLS")."""
    if not table or (shouted(text) and not is_acronym(text.strip())):
        return None
    changed = False

    def expand(match: re.Match[str]) -> str:
        nonlocal changed
        entry = table.get(match.group(1))
        if entry is None:
            return match.group(0)
        changed = True
        return f"{entry.written_out} ({match.group(0)})"

    out = IN_TEXT.sub(expand, text)
    return out if changed else None
