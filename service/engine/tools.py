"""Named software tools (O*NET technology examples) found in postings and matched to the ESCO skill of their
category: ESCO 1.2.0 names few products ("Advanced Excel" matches no ESCO label), O*NET files 8,768 of them under
134 software categories ("Microsoft Excel": spreadsheet software -> ESCO "use spreadsheets software").

The build writes the lexicon (tool_lexicon) into the artifact's tools.json; the service only looks names up
(ToolFinder). A name is found as written in its forms: the full name, the name without a trailing "software",
and without its vendor ("Excel"). Multi-word forms match in any case. A one-word form matches only as spelled
(or in capitals), never opening the phrase; when ESCO's skill and role texts use the word as an ordinary word
("Word", "Office", "Project", "Chef") it must be the vendor-less form of an O*NET hot technology and stand apart
from other capitalised words ("Head Office", "Project Manager" name no tool).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

Record = dict[str, Any]
TOKEN = re.compile(r"[A-Za-z0-9.#+][A-Za-z0-9.#+\-/]*[A-Za-z0-9#+]|[A-Za-z0-9#+]")
WORD = re.compile(r"[A-Za-z]+")
LONGEST = 6  # words in the longest form looked up
COMMON = 3  # a word seen this often in lower case in ESCO texts (and mostly so) is common
VENDOR_NAMES = 3  # a first word shared by this many tool names is a vendor (if not a common word)
MIN_FORM = 3  # characters in a one-word form
FUNCTION = frozenset({"a", "an", "and", "for", "in", "of", "on", "or", "the", "to", "with", "software"})


def tokens(text: str) -> list[str]:
    """Words of a text as tool names are written (C++, C#, .NET, Node.js, TCP/IP), a trailing full stop dropped."""
    return [word for word, _ in spans(text)]


def spans(text: str) -> list[tuple[str, int]]:
    """tokens with the offset where each ends in text."""
    return [(m.group(0).rstrip(".") or m.group(0), m.end()) for m in TOKEN.finditer(text)]


def common_words(records: Iterable[Record]) -> set[str]:
    """Words that ESCO's skill and role texts use as ordinary words: seen at least COMMON times starting lower
    case, and lower case at least half the times seen ("office", "project", "chef"; not "Microsoft", "Excel")."""
    lower: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for record in records:
        texts = [record.get(k, "") for k in ("label", "title", "description")]
        for text in (*texts, *record.get("alt_labels", []), *record.get("alt_titles", [])):
            for word in WORD.findall(text):
                seen[word.lower()] += 1
                if word[0].islower():
                    lower[word.lower()] += 1
    return {w for w, n in lower.items() if n >= COMMON and 2 * n >= seen[w]}


def vendors(names: Iterable[str], common: set[str]) -> set[str]:
    """Capitalised first words shared by several multi-word tool names that are not common words (Microsoft)."""
    firsts = Counter(name.split()[0] for name in names if len(name.split()) > 1)
    return {w for w, n in firsts.items() if n >= VENDOR_NAMES and w[:1].isupper() and w.lower() not in common}


def is_product(name: str) -> bool:
    """Whether a tool name is a product name ("Microsoft Excel", "iOS") rather than a description that O*NET lists
    as an example ("Artificial intelligence software"): no ordinary lower-case word."""
    return not any(word.islower() and word not in FUNCTION for word in WORD.findall(name))


def forms(name: str, vendor_set: set[str]) -> list[tuple[str, bool]]:
    """The forms a tool is written in, each with whether it is the vendor-less form."""
    bare = re.sub(r"\s+software$", "", name, flags=re.IGNORECASE).strip() or name
    out = {name: False, bare: False}
    for form in (name, bare):
        words = form.split()
        if len(words) > 1 and words[0] in vendor_set:
            out.setdefault(" ".join(words[1:]), True)
    return list(out.items())


def tool_lexicon(
    tools: list[Record], skills: list[Record], roles: list[Record], categories: dict[str, Record]
) -> Record:
    """{"forms": {key: [tool name, category, common, source]}, "categories": categories} for the tools whose
    category maps to an ESCO skill (categories: category -> {"id", "score", "matched"}). Multi-word keys are lower
    case; forms that are ESCO labels are left to the ESCO matcher."""
    common = common_words([*skills, *roles])
    esco = {t.casefold() for s in skills for t in (s["label"], *s.get("alt_labels", []))}
    vendor_set = vendors((t["name"] for t in tools), common)
    found: dict[str, list[Any]] = {}
    for tool in sorted(tools, key=lambda t: (not t["hot"], -t["occupations"], t["name"])):
        if tool["category"] not in categories or not is_product(tool["name"]):
            continue
        generic = {*WORD.findall(tool["category"].lower()), "software"}
        for form, vendorless in forms(tool["name"], vendor_set):
            words = form.split()
            if form.casefold() in esco or (len(words) == 1 and len(form) < MIN_FORM):
                continue
            if form.lower() == "software" or (not vendorless and set(WORD.findall(form.lower())) <= generic):
                continue  # "Spreadsheet software" names a category, not a tool; the ESCO matcher reads it
            is_common = len(words) == 1 and form.lower() in common
            if is_common and not (vendorless and tool["hot"]):
                continue
            key = form if len(words) == 1 else " ".join(tokens(form)).lower()
            found.setdefault(key, [tool["name"], tool["category"], is_common, tool["source"]])
    return {"forms": dict(sorted(found.items())), "categories": dict(sorted(categories.items()))}


@dataclass(frozen=True)
class ToolHit:
    """A tool named in a phrase: the words as written, the tool, its category, and that category's ESCO skill
    (with the score and the skill text it matched by)."""

    written: str
    name: str
    category: str
    skill_id: str
    score: float
    matched: str
    source: str

    def described(self) -> dict[str, str]:
        """What an answer shows of the tool as evidence: its name, the words as written, its category and source."""
        return {"name": self.name, "written": self.written, "category": self.category, "source": self.source}


class ToolFinder:
    """Looks up the tool names of an artifact's lexicon in phrases."""

    def __init__(self, lexicon: Record):
        self.forms: dict[str, list[Any]] = lexicon.get("forms", {})
        self.categories: dict[str, Record] = lexicon.get("categories", {})
        self.upper = {k.upper(): k for k in self.forms if " " not in k}

    def find(self, phrase: str) -> list[ToolHit]:
        """The tools a phrase names, longest forms first, without overlaps, in order of appearance."""
        found = spans(phrase)
        words = [w for w, _ in found]
        joined = [i > 0 and phrase[found[i - 1][1] : found[i][1] - len(found[i][0])].isspace()
                  for i in range(len(found))]  # joined[i]: only spaces between word i - 1 and word i
        out: list[ToolHit] = []
        i = 0
        while i < len(words):
            for n in range(min(LONGEST, len(words) - i), 0, -1):
                entry = self.entry(words, joined, i, n)
                if entry is not None:
                    out.append(self.hit(" ".join(words[i : i + n]), entry))
                    i += n
                    break
            else:
                i += 1
        return out

    def named(self, text: str) -> ToolHit | None:
        """The tool a text is the whole name of, in any case ("Terraform", "power bi"), but not a common word alone
        ("Project"): a learner's skill that names one tool alone, where find would not take a one-word name opening
        its phrase."""
        written = " ".join(text.split())
        key = written.lower() if " " in written else written if written in self.forms else self.upper.get(
            written.upper())
        entry = self.forms.get(key) if key else None
        if entry is None or (entry[2] and " " not in written):
            return None  # a common word alone ("project", "Teams", "docs") names no tool
        return self.hit(written, entry)

    def in_text(self, text: str) -> list[ToolHit]:
        """The tool a learner's text is the whole name of (named), else those it names as a posting would (find)."""
        named = self.named(text)
        return [named] if named else self.find(text)

    def hit(self, written: str, entry: list[Any]) -> ToolHit:
        """The words as written, with the lexicon entry they name and its category's ESCO skill."""
        category = self.categories[entry[1]]
        return ToolHit(written, entry[0], entry[1], category["id"], float(category["score"]), category["matched"],
                       entry[3])

    def entry(self, words: list[str], joined: list[bool], i: int, n: int) -> list[Any] | None:
        """The lexicon entry of words[i:i+n], if those words name a tool where they stand."""
        if n > 1:
            return self.forms.get(" ".join(words[i : i + n]).lower())
        word = words[i]
        key = word if word in self.forms else self.upper.get(word) if word.isupper() and len(word) > 1 else None
        if key is None or i == 0:
            return None
        entry = self.forms[key]
        beside = [words[i - 1] if joined[i] and i > 1 else "", words[i + 1] if i + 1 < len(words) and joined[i + 1]
                  else ""]  # the phrase's first word is capitalised anyway
        if entry[2] and any(titled(w) and w not in self.forms for w in beside):
            return None  # a common word next to a capitalised word is part of a name or title ("Head Office")
        return entry


def titled(word: str) -> bool:
    """A capitalised word such as 'Manager' (not an acronym such as 'MS')."""
    return len(word) > 1 and word[0].isupper() and word[1:].islower()
