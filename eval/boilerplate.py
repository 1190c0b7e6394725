"""`python -m eval.boilerplate`: what the posting filter (text.is_boilerplate) sets aside. The hand-written set
eval/data/company_voice.jsonl (a company describing itself vs job sentences in the company's voice, written together
with text.COMPANY_VOICE), then sentences that describe work and should stay: ESCO occupation and skill descriptions
(the catalogue) and, where ../shared is present, O*NET 29.2 task statements."""

from __future__ import annotations

import gzip
import html
import json
import re
import zipfile
from collections.abc import Iterable

from service.config import ROOT
from service.engine.text import COMPANY_VOICE, clean, is_boilerplate, split

from .datasets import DATA

ONET_TASKS = ROOT.parent / "shared" / "data" / "onet_29.2" / "xlsx" / "Task Statements.xlsx"


def sentences(texts: Iterable[str]) -> list[str]:
    """The phrases text.split cuts texts into."""
    return [p for text in texts for line in clean(text).splitlines() for p in split(line)]


def catalogue(name: str, field: str) -> list[str]:
    """One text field of every record of a catalogue file."""
    with gzip.open(ROOT / "catalog" / f"{name}.jsonl.gz", "rt", encoding="utf-8") as handle:
        return [json.loads(line).get(field) or "" for line in handle]


def onet_tasks() -> list[str]:
    """O*NET task statements (the shared strings of the xlsx), or none when ../shared is absent."""
    if not ONET_TASKS.is_file():
        return []
    strings = zipfile.ZipFile(ONET_TASKS).read("xl/sharedStrings.xml").decode("utf-8")
    found = (html.unescape(re.sub(r"<[^>]+>", "", s)) for s in re.findall(r"<si>(.*?)</si>", strings, re.S))
    return [s for s in found if len(s.split()) > 4]


def main() -> None:
    """Print the labelled set's counts and how many work sentences the filter sets aside."""
    rows = [json.loads(line) for line in (DATA / "company_voice.jsonl").open(encoding="utf-8")]
    for company in (True, False):
        group = [r["text"] for r in rows if r["company"] is company]
        alone = sum(bool(COMPANY_VOICE.search(text)) for text in group)
        print(f"{'company blurb' if company else 'job sentences'}: {len(group)}, set aside "
              f"{sum(map(is_boilerplate, group))} (by COMPANY_VOICE alone {alone})")
    work = {"ESCO occupation descriptions": sentences(catalogue("roles", "description")),
            "ESCO skill descriptions": sentences(catalogue("skills", "description")),
            "O*NET task statements": onet_tasks()}
    for name, texts in work.items():
        voice = [s for s in texts if COMPANY_VOICE.search(s)]
        aside = [s for s in texts if is_boilerplate(s)]
        print(f"{name}: {len(texts)} sentences; set aside {len(aside)}, as company voice {len(voice)}",
              *aside[:8], sep="\n  ")

if __name__ == "__main__":
    main()
