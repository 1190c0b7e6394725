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
("customer-facing", "customer facing") and its last word maybe in the plural ("risk assessments"); where two overlap,
the longer is taken.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

IDIOMS = Path(__file__).with_name("idioms.tsv")
JOINER = r"[\s\-]+"  # between the words of a phrasing: spaces or a hyphen
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
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return tuple(Idiom(row["phrase"], row["skill_uri"], row["skill_label"]) for row in rows)


def pattern(phrase: str) -> str:
    """A phrasing as a regular expression: its words, a hyphen or spaces between them, the last maybe in the plural,
    whole words only."""
    words = [re.escape(word) for word in re.split(r"[\s\-]+", phrase.strip()) if word]
    plural = "(?:s|es)?" if words[-1][-1:].isalpha() else ""
    return r"(?<![\w'])" + JOINER.join(words) + plural + r"(?![\w'])"


class IdiomFinder:
    """Finds the lexicon's phrasings in phrases."""

    def __init__(self, idioms: tuple[Idiom, ...]):
        self.by_key = {key(i.phrase): i for i in idioms}
        ordered = sorted(idioms, key=lambda i: (-len(i.phrase), i.phrase))  # the longer of two overlapping first
        self.regex = re.compile("|".join(pattern(i.phrase) for i in ordered), re.IGNORECASE) if idioms else None

    def find(self, phrase: str) -> list[tuple[str, Idiom]]:
        """The phrasings a phrase holds, each with the words as written, in order of appearance."""
        if self.regex is None:
            return []
        found = []
        for match in self.regex.finditer(phrase.translate(APOSTROPHES)):
            written = match.group(0)
            looked_up = key(written)
            idiom = next((self.by_key[k] for k in (looked_up, looked_up[:-1], looked_up[:-2]) if k in self.by_key),
                         None)  # as written, else without a plural "s" or "es"
            if idiom is not None:
                found.append((written, idiom))
        return found


def key(text: str) -> str:
    """A phrasing as looked up: lower case, its words joined by one space."""
    return " ".join(re.split(r"[\s\-]+", text.casefold().strip()))

