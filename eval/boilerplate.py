"""`python -m eval.boilerplate`: what the posting filter (text.is_boilerplate) sets aside. The hand-written set
eval/data/company_voice.jsonl (a company describing itself vs job sentences in the company's voice, written together
with text.COMPANY_VOICE), then sentences that describe work and should stay: ESCO occupation and skill descriptions
(the catalogue) and, where ../shared is present, O*NET 29.2 task statements. Last, the job-ad task (eval.tasks) for
the roles whose essential skills name pay, benefit or leave words (payroll, pension, holiday, dental, gym ...), whose
duties a keyword filter would set aside."""

from __future__ import annotations

import gzip
import html
import json
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import partial
from typing import Any

from service.config import ROOT
from service.engine.text import COMPANY_VOICE, clean, is_boilerplate, split

from . import datasets, tasks
from .datasets import DATA, Query
from .harness import load_setup, patched
from .run import table

OFFER_WORDS = re.compile(r"\b(salary|salaries|compensation|benefits?|bonus|pension|dental|holidays?|vacation|gym|"
                         r"diversity|payroll|insurance|leave|tips|discount)\b", re.IGNORECASE)
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
    duty_ads()


def offer_word_roles(label: dict[str, str], roles: Sequence[Any], *_: Any, **__: Any) -> list[Query]:
    """Every role with a description and 5 essential skills, two of them named with offer words (the sample size
    and seed the job-ad task passes do not apply)."""
    out = []
    for pos, role in enumerate(roles):
        essential = [s["id"] for s in role["skills"] if s["relation"] == "essential"]
        if len(role.get("description", "")) >= 80 and len(essential) >= 5 and sum(
                bool(OFFER_WORDS.search(label[s])) for s in essential) >= 2:
            out.append(Query(role["description"], datasets.essential_skills(role), "description", pos))
    return out


def duty_ads() -> None:
    """The job-ad rows (all their ads built as eval.tasks builds them) for the roles whose skills are named with
    offer words."""
    setup = load_setup()
    chosen = partial(offer_word_roles, {s["id"]: s["label"] for s in setup.artifact.skills})
    with patched(datasets, occupation_descriptions=chosen):
        results = tasks.job_ads_to_skills(setup, 10_000)
    named = " (roles whose skills name pay, benefit or leave words)"
    print(table([replace(r, task=r.task + named) for r in results]), flush=True)

if __name__ == "__main__":
    main()
