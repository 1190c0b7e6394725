"""Phrasings job postings use for common requirements and duties, each with the ESCO skill it asks for ("full UK
driving licence" -> drive vehicles, "eye for detail" -> attend to detail, "pc literate" -> have computer literacy).
A matcher that compares a posting's phrases with ESCO's labels by meaning misses them: "Full UK driving licence
required" comes nearest *licences regulation* (0.50), and no skill clears the phrase bar.

idioms.tsv (phrase, skill URI, skill label, sector; a header line) was written by hand for the project in session 20
by a helper who saw no evaluation set, no code and no answer of the matcher: the phrasings first, from general
knowledge of UK, Irish, US, Canadian, Australian and New Zealand job boards, then each mapped to the ESCO 1.2.0
concept whose description fits, leaving out phrasings that are ambiguous without context ("driving" alone: also
"driving sales") and those that are an ESCO label or alternative label of any skill (the matcher reads those).

A phrasing is found anywhere in a phrase as whole words, in any case, with a hyphen or spaces between its words
("customer-facing", "customer facing"), a phrasing of several words also with its last word in the singular or the
plural ("risk assessments", "a tax return"); from the left, the longest there first. One next to a negation ("no
direct reports", "a driving licence is not required") is not read. A code review took out 14 phrasings that fire
on other text ("goods in", "above and beyond", "learning disabilities", "salesforce", "5s"): 326 remain.

Session 21 added 311 more (the rows from "driver licence" on), written the same way by a second
helper who saw the first list but no evaluation set, no code and no answer, asked for new phrasings only and 12-25
for each of 18 sectors (software, IT support, engineering, construction, laboratories, nursing and allied health,
social care, security, hospitality, retail, logistics, office and HR, finance, sales and marketing, education,
agriculture and animal care, hair and beauty, creative): 349 written, 11 left out as an ESCO name or a repeat, then
27 by a third helper reviewing them blind for precision ("gcp" is also good clinical practice, "onboarding" a
customer's, "social media channels" the company's own), "salesforce" as before, and 7 that the session's code review
found firing on other text ("after effects" of medication, "debugging" a PLC, "behaviour management" in a care home,
and "learning disabilities" again): 304 of them remain; 11 phrasings for Australian licences and the construction
"white card" came from a user's review: 641 in all; session 22 added "aws d1" and "aws certified welder" (the American
Welding Society's code: "AWS D1.1 Certified Welder" had been *cloud technologies* by "AWS"): 643. "Non-native English
speakers welcome" asks for no English ("non" is a negation cue).

Session 30 added 142 certifications and licences (the rows of sector "certifications": "pmp", "ccna", "prince2
practitioner", "comptia security+", "lean six sigma green belt", "level 2 food hygiene", "cdl class a" ...), written
by a helper from general knowledge of what postings ask for and learners list, each mapped to the ESCO concept the
certificate attests and its description read; a badge "PMP" or "CCNA" had matched nothing. Left out: certificates
with no such concept (CompEx, confined space entry, the Care Certificate, NVQ titles), surface forms that often mean
something else ("csm" a customer success manager, "cpa" cost per acquisition, "bls" the Bureau of Labor Statistics,
"aws certified" the welding society's); on reading the 550 labelled postings' hits, the loose ones ("class 1
licence" also a funeral director's, "cpcs" and "npors" any plant or a slinger, "gas safe" for gas piping, "qts" and
"pgce" for pedagogy, "ecs card"); and on a code review, the ambiguous ("acca" is also HVAC's Air Conditioning
Contractors of America, "aat" Australia's Administrative Appeals Tribunal, "rsa certificate" a TLS one, "aca
qualified" a health plan, "adr certified" a mediator, "series 7" a TV series, "faw" the Football Association of
Wales; "acca qualified" and "aat qualified" stay) and two rows the matcher cannot meet ("cpr/aed", "city & guilds
2382": only spaces or a hyphen may join a phrasing's words). CPR is *provide first aid*, as the older "cpr
certification" row and the labellers have it (12 of the 17 postings naming CPR); BLS and ACLS are *resuscitation*.
796 in all. Over the 81 postings where one fired: skills MAP 0.3239 -> 0.3248 (most certificates are registrations
the labellers left unlabelled: 35 of the 113 hits are labelled skills).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

IDIOMS = Path(__file__).with_name("idioms.tsv")
WORD = re.compile(r"\w(?:[\w+#]|'(?=\w))*")  # "driver's", "c++", "c#"; not a quote's apostrophes
JOINED = re.compile(r"[\s\-]+")  # what may stand between the words of a phrasing: spaces or a hyphen
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'"})


@dataclass(frozen=True)
class Idiom:
    """A phrasing of the lexicon and the ESCO skill it names."""

    phrase: str
    skill_id: str
    label: str


@cache
def lexicon(path: Path = IDIOMS) -> tuple[Idiom, ...]:
    """The lexicon's entries (see the module docstring)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return tuple(Idiom(row["phrase"], row["skill_uri"], row["skill_label"]) for row in rows if words(row["phrase"]))


class IdiomFinder:
    """Finds the lexicon's phrasings in phrases: a phrase's words are looked up in runs of up to `longest`, from the
    left, the longest first (a dictionary lookup per run; one regular expression of 340 alternatives took 5 ms a
    posting)."""

    def __init__(self, idioms: tuple[Idiom, ...]):
        self.by_words = {words(i.phrase): i for i in idioms}
        self.longest = max((len(k) for k in self.by_words), default=0)
        self.firsts = {k[0] for k in self.by_words}

    def find(self, phrase: str) -> list[tuple[str, Idiom]]:
        """The phrasings a phrase holds and no negation cue stands beside, each with the words as written, in order
        of appearance."""
        text = phrase.translate(APOSTROPHES)
        found = list(WORD.finditer(text))
        lower = [m.group(0).lower() for m in found]
        out: list[tuple[str, Idiom]] = []
        i = 0
        while i < len(found):
            n, idiom = self.longest_at(text, found, lower, i) if lower[i] in self.firsts else (1, None)
            if idiom is not None and not negated(text, found, lower, i, i + n):
                out.append((text[found[i].start() : found[i + n - 1].end()], idiom))
            i += n
        return out

    def longest_at(self, text: str, found: list[re.Match[str]], lower: list[str], i: int) -> tuple[int, Idiom | None]:
        """The longest phrasing whose words start at word i (with how many words it has), else (1, None)."""
        for n in range(min(self.longest, len(found) - i), 0, -1):
            run = tuple(lower[i : i + n])
            idiom = self.by_words.get(run) or (self.by_words.get(singular(run)) if n > 1 else None)
            if idiom is not None and all(JOINED.fullmatch(text[found[j].end() : found[j + 1].start()])
                                         for j in range(i, i + n - 1)):
                return n, idiom
        return 1, None


def words(phrase: str) -> tuple[str, ...]:
    """A phrasing's words as looked up: lower case, split at spaces, hyphens and punctuation."""
    return tuple(m.group(0).lower() for m in WORD.finditer(phrase.translate(APOSTROPHES)))


def singular(run: tuple[str, ...]) -> tuple[str, ...]:
    """A run of several words with its last word's plural ending taken off ("risk assessments", "data entries"), to
    meet a phrasing written in the singular; one word, or a last word that reads as no plural, as it is. A phrasing
    written in the plural ("direct reports") is not met in the singular ("a direct report to the director")."""
    last = run[-1] if len(run) > 1 else ""
    if last in NOT_PLURAL or last.endswith(("ss", "us", "is", "ies" if len(last) < 6 else "~")):
        return run
    for plural, one in (("ies", "y"), ("sses", "ss"), ("xes", "x"), ("ches", "ch"), ("shes", "sh"), ("s", "")):
        if last.endswith(plural) and len(last) > len(plural) + 1:
            return (*run[:-1], last[: -len(plural)] + one)
    return run


NOT_PLURAL = frozenset({"news", "series", "species", "analyses", "gas", "lens", "means", "ethics", "logistics"})
NEAR = 4
NEGATIONS = frozenset({"no", "non", "not", "without", "never", "nor", "isn't", "aren't", "don't", "doesn't", "won't",
                       "needn't", "haven't", "hasn't", "can't", "cannot", "wasn't", "weren't", "didn't"})
NOT_NEEDED = frozenset({"required", "needed", "essential", "necessary"})
CLAUSE = re.compile(r"[,;:()\[\]]|\b(?:and|but|or|with|while)\b", re.IGNORECASE)


def negated(text: str, found: list[re.Match[str]], lower: list[str], start: int, end: int) -> bool:
    """Whether a phrasing is negated within its clause: a negation cue among the NEAR words before it ("no direct
    reports", "I haven't got a driving licence"), or "not required/needed/essential" after it ("a driving licence is
    not required"). The clause ends at a comma, a colon, a bracket, "and" or "but" ("a driving licence and no criminal
    record" asks for the licence); "No." opening "No. of direct reports" is no negation."""
    for j in range(start - 1, max(-1, start - NEAR - 1), -1):
        if CLAUSE.search(text[found[j].end() : found[j + 1].start()]) or (j + 1 < start and lower[j + 1] in ("and",
                                                                                                          "but")):
            break
        if lower[j] in NEGATIONS and not (lower[j] == "no" and text[found[j].end() : found[j].end() + 1] == "."):
            return True
    after = lower[end : end + NEAR + 1]
    between = text[found[end - 1].end() : found[min(end + NEAR, len(found) - 1)].start()] if end < len(found) else ""
    return any(w in NOT_NEEDED for w in after) and any(w in ("not", "isn't", "aren't") for w in after) \
        and not CLAUSE.search(between)


# A posting asks for a language by naming it beside a level or a manner of use: "Fluent German (C1)", "English B2",
# "speak and write Danish and English fluently", "German-speaking customers". MiniLM reads such a phrase as
# near the language's skills only now and then ("Very good English (min. B2)" met *understand written English* at
# 0.53, under the bar), and the lexicon above lists English phrasings alone. A cue within LANGUAGE_NEAR words of the
# name, in its clause; the name as ESCO writes it or in capitals ("Polish", not "polish"); not negated ("Czech not
# needed", "No German required"). A bare "Dutch is a plus" names no level and is left to the matcher.
LANGUAGE_CUES = frozenset({
    "fluent", "fluently", "fluency", "good", "excellent", "strong", "proficient", "proficiency", "native", "mother",
    "business", "professional", "working", "basic", "conversational", "command", "level", "spoken", "written",
    "speak", "speaks", "speaking", "speaker", "speakers", "write", "writing", "read", "bilingual", "language",
    "languages", "a1", "a2", "b1", "b2", "c1", "c2",
})
LANGUAGE_NEAR = 4
BREAK = re.compile(r";|[.!?]\s")  # what ends a cue's clause


class LanguageFinder:
    """Finds the languages a phrase asks for (see LANGUAGE_CUES), each as an Idiom of its ESCO language skill."""

    def __init__(self, languages: dict[str, Idiom]):
        """languages: the ESCO language skills by their language's name ("German")."""
        self.forms = {**{name.upper(): idiom for name, idiom in languages.items()}, **languages}
        alternatives = "|".join(sorted(map(re.escape, self.forms), key=len, reverse=True))
        self.pattern = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w])") if self.forms else None

    def find(self, phrase: str) -> list[tuple[str, Idiom]]:
        """The languages a phrase asks for, with their names as written, in order of appearance."""
        if self.pattern is None:
            return []
        text = phrase.translate(APOSTROPHES)
        named = list(self.pattern.finditer(text))
        if not named:
            return []
        found = list(WORD.finditer(text))
        lower = [m.group(0).lower() for m in found]
        starts = {m.start(): i for i, m in enumerate(found)}
        out: list[tuple[str, Idiom]] = []
        for match in named:
            i = starts.get(match.start())
            if i is None or negated(text, found, lower, i, i + 1) or not cued(text, found, lower, i):
                continue
            out.append((match.group(0), self.forms[match.group(0)]))
        return out


def cued(text: str, found: list[re.Match[str]], lower: list[str], at: int) -> bool:
    """Whether a cue of LANGUAGE_CUES stands within LANGUAGE_NEAR words of word at, in its clause (no ";" or
    sentence end between; "and", commas and brackets may: "speak and write Danish and English fluently")."""
    for step in (-1, 1):
        j = at
        for _ in range(LANGUAGE_NEAR):
            k = j + step
            if not 0 <= k < len(found) or BREAK.search(text[found[min(j, k)].end() : found[max(j, k)].start()]):
                break
            if lower[k] in LANGUAGE_CUES:
                return True
            j = k
    return False
